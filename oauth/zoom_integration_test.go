package oauth_test

import (
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zoomkit/zoomkit/tokenstore"
	"github.com/zoomkit/zoomkit/zoom"
)

// Zoom answers 401 with code 124 when it no longer accepts an access token
// that has not expired yet (a password change, an admin action). The zoom
// client then asks the TokenSource for one refresh and replays the call
// once; concurrent callers share that one refresh.
func TestZoomClientRefreshesOnceOnCode124(t *testing.T) {
	f := newFake(t)
	store := tokenstore.NewMemory()
	tok := f.grant("u1", time.Now().Add(time.Hour))
	mustPut(t, store, "tenant-1", tok)
	ts := newTS(t, memConfig(f), store, "tenant-1")

	// Zoom stops accepting the access token early.
	f.mu.Lock()
	delete(f.validAT, tok.AccessToken)
	f.mu.Unlock()

	var apiCalls, rejected atomic.Int32
	api := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		apiCalls.Add(1)
		at, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		f.mu.Lock()
		_, ok := f.validAT[at]
		f.mu.Unlock()
		if !ok {
			rejected.Add(1)
			writeJSON(w, 401, map[string]any{"code": 124, "message": "Invalid access token."})
			return
		}
		writeJSON(w, 200, map[string]any{"id": 85746065, "topic": "Standup"})
	})
	client, err := zoom.NewClient(zoom.WithTokenSource(ts), zoom.WithBaseURL("https://zoom.test/v2"),
		zoom.WithHTTPClient(&http.Client{Transport: memTransport{api}}))
	require.NoError(t, err)
	const callers = 10
	var wg sync.WaitGroup
	for range callers {
		wg.Go(func() {
			m, _, err := client.Meetings.Get(t.Context(), 85746065, nil)
			noLeak(t, err)
			if assert.NoError(t, err, "Get: %+v, %v", m, err) {
				assert.Equal(t, "Standup", m.Topic, "Get: %+v, %v", m, err)
			}
		})
	}
	wg.Wait()
	c := f.counts()
	require.Equal(t, 1, c.refreshes, "refreshes %d, invalid_grant %d, a refresh token presented %d times; want 1, 0, 1", c.refreshes, c.invalidGrants, c.maxPresented)
	require.Equal(t, 0, c.invalidGrants, "refreshes %d, invalid_grant %d, a refresh token presented %d times; want 1, 0, 1", c.refreshes, c.invalidGrants, c.maxPresented)
	require.Equal(t, 1, c.maxPresented, "refreshes %d, invalid_grant %d, a refresh token presented %d times; want 1, 0, 1", c.refreshes, c.invalidGrants, c.maxPresented)
	got := apiCalls.Load()
	require.Equal(t, callers+rejected.Load(), got, "%d API calls with %d rejected: each caller replays at most once", got, rejected.Load())
	require.LessOrEqual(t, rejected.Load(), int32(callers), "%d API calls with %d rejected: each caller replays at most once", got, rejected.Load())
	stored, _ := store.Get(t.Context(), "tenant-1")
	require.NotEqual(t, tok.AccessToken, stored.AccessToken, "the rotated token was not saved")
	require.NotEqual(t, tok.RefreshToken, stored.RefreshToken, "the rotated token was not saved")
}
