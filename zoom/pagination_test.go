package zoom

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
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
		require.NoError(t, err)
		got = append(got, *v)
	}
	require.Len(t, got, 5, "got %v, fetched %q", got, fetched)
	require.Equal(t, 5, got[4], "got %v, fetched %q", got, fetched)
	require.Len(t, fetched, 3, "got %v, fetched %q", got, fetched)

	// Stopping early fetches no further page.
	fetched = nil
	for v := range allPages(t.Context(), "", fetch) {
		if *v == 2 {
			break
		}
	}
	require.Len(t, fetched, 1, "fetched %q after break", fetched)

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
			require.ErrorIs(t, err, boom, "v=%v err=%v", v, err)
			require.Nil(t, v, "v=%v err=%v", v, err)
			errs++
		}
	}
	require.Equal(t, 1, errs, "errs %d calls %d", errs, calls)
	require.Equal(t, 2, calls, "errs %d calls %d", errs, calls)

	// A server that repeats a token does not loop forever: the iteration
	// ends with ErrRepeatedPageToken after the items already had.
	for name, tc := range map[string]struct {
		start string
		next  map[string]string
		calls int
	}{
		"same token":        {"", map[string]string{"": "same", "same": "same"}, 2},
		"cycle":             {"", map[string]string{"": "a", "a": "b", "b": "a"}, 3},
		"back to the start": {"s", map[string]string{"s": "s"}, 1},
	} {
		calls, items := 0, 0
		var last error
		for v, err := range allPages(t.Context(), tc.start, func(_ context.Context, tok string) ([]int, string, error) {
			calls++
			require.LessOrEqual(t, calls, 10, "%s: still paging after 10 pages", name)
			return []int{1}, tc.next[tok], nil
		}) {
			if err != nil {
				require.Nil(t, v, "%s: v=%v, err %v after %v", name, v, err, last)
				require.Nil(t, last, "%s: v=%v, err %v after %v", name, v, err, last)
				last = err
				continue
			}
			items++
		}
		require.ErrorIs(t, last, ErrRepeatedPageToken, "%s: err %v, %d calls, %d items; want ErrRepeatedPageToken after %d", name, last, calls, items, tc.calls)
		require.Equal(t, tc.calls, calls, "%s: err %v, %d calls, %d items; want ErrRepeatedPageToken after %d", name, last, calls, items, tc.calls)
		require.Equal(t, tc.calls, items, "%s: err %v, %d calls, %d items; want ErrRepeatedPageToken after %d", name, last, calls, items, tc.calls)
	}
}

func TestListAllStopsOnRepeatedPageToken(t *testing.T) {
	rt := &fakeRT{steps: []func(*http.Request) (*http.Response, error){
		respond(200, nil, `{"next_page_token":"T1","meetings":[{"id":1}]}`),
		respond(200, nil, `{"next_page_token":"T1","meetings":[{"id":2}]}`),
	}}
	c := newFakeClient(t, rt)
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	var ids []ID
	var last error
	for m, err := range c.Meetings.ListAll(ctx, "me", nil) {
		if err != nil {
			last = err
			break
		}
		ids = append(ids, m.ID)
	}
	require.ErrorIs(t, last, ErrRepeatedPageToken, "err %v, ids %v, %d requests", last, ids, rt.count())
	require.Len(t, ids, 2, "err %v, ids %v, %d requests", last, ids, rt.count())
	require.Equal(t, 2, rt.count(), "err %v, ids %v, %d requests", last, ids, rt.count())
}
