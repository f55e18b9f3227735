package zoom

import (
	"context"
	"iter"
)

// allPages iterates over the items of a list that pages with
// next_page_token, fetching pages lazily from the page token start. It stops
// when the caller stops, when a page has no next_page_token, or after the
// first error (yielded once, with a nil item).
func allPages[T any](ctx context.Context, start string, fetch func(ctx context.Context, pageToken string) (items []T, next string, err error)) iter.Seq2[*T, error] {
	return func(yield func(*T, error) bool) {
		token := start
		seen := map[string]bool{}
		for {
			items, next, err := fetch(ctx, token)
			if err != nil {
				yield(nil, err)
				return
			}
			for i := range items {
				if !yield(&items[i], nil) {
					return
				}
			}
			if next == "" || seen[next] {
				return
			}
			seen[next] = true
			token = next
		}
	}
}
