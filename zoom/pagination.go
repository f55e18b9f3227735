package zoom

import (
	"context"
	"errors"
	"iter"
)

// ErrRepeatedPageToken ends a ...All iteration when Zoom answers with a
// next_page_token it already returned (or the one the iteration started
// from): following it would fetch the same pages forever. The items of the
// pages fetched so far have been yielded.
var ErrRepeatedPageToken = errors.New("zoom: Zoom repeated a next_page_token: the list does not end")

// allPages iterates over the items of a list that pages with
// next_page_token, fetching pages lazily from the page token start. It stops
// when the caller stops, when a page has no next_page_token, or after the
// first error (yielded once, with a nil item), ErrRepeatedPageToken when a
// token comes back a second time.
func allPages[T any](ctx context.Context, start string, fetch func(ctx context.Context, pageToken string) (items []T, next string, err error)) iter.Seq2[*T, error] {
	return func(yield func(*T, error) bool) {
		token := start
		seen := map[string]bool{}
		if start != "" {
			seen[start] = true
		}
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
			if next == "" {
				return
			}
			if seen[next] {
				yield(nil, ErrRepeatedPageToken)
				return
			}
			seen[next] = true
			token = next
		}
	}
}
