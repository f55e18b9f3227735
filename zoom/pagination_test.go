package zoom

import (
	"context"
	"errors"
	"testing"
)

func TestAllPages(t *testing.T) {
	pages := map[string]struct {
		items []int
		next  string
	}{
		"":   {[]int{1, 2}, "p2"},
		"p2": {[]int{3}, "p3"},
		"p3": {[]int{4, 5}, ""},
	}
	var fetched []string
	fetch := func(_ context.Context, tok string) ([]int, string, error) {
		fetched = append(fetched, tok)
		p := pages[tok]
		return p.items, p.next, nil
	}
	var got []int
	for v, err := range allPages(t.Context(), "", fetch) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, *v)
	}
	if len(got) != 5 || got[4] != 5 || len(fetched) != 3 {
		t.Fatalf("got %v, fetched %q", got, fetched)
	}

	// Stopping early fetches no further page.
	fetched = nil
	for v := range allPages(t.Context(), "", fetch) {
		if *v == 2 {
			break
		}
	}
	if len(fetched) != 1 {
		t.Fatalf("fetched %q after break", fetched)
	}

	// An error is yielded once and ends the iteration.
	boom := errors.New("boom")
	calls := 0
	var errs int
	for v, err := range allPages(t.Context(), "", func(_ context.Context, tok string) ([]int, string, error) {
		calls++
		if tok == "p2" {
			return nil, "", boom
		}
		return []int{1}, "p2", nil
	}) {
		if err != nil {
			if !errors.Is(err, boom) || v != nil {
				t.Fatalf("v=%v err=%v", v, err)
			}
			errs++
		}
	}
	if errs != 1 || calls != 2 {
		t.Fatalf("errs %d calls %d", errs, calls)
	}

	// A server that repeats a token does not loop forever.
	calls = 0
	for range allPages(t.Context(), "", func(_ context.Context, tok string) ([]int, string, error) {
		calls++
		return []int{1}, "same", nil
	}) {
	}
	if calls != 2 {
		t.Fatalf("calls %d on a repeating token", calls)
	}
}
