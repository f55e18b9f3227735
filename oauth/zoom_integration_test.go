package oauth_test

import (
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

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
			if err != nil || m.Topic != "Standup" {
				t.Errorf("Get: %+v, %v", m, err)
			}
		})
	}
	wg.Wait()
	c := f.counts()
	if c.refreshes != 1 || c.invalidGrants != 0 || c.maxPresented != 1 {
		t.Fatalf("refreshes %d, invalid_grant %d, a refresh token presented %d times; want 1, 0, 1", c.refreshes, c.invalidGrants, c.maxPresented)
	}
	if got := apiCalls.Load(); got != callers+rejected.Load() || rejected.Load() > callers {
		t.Fatalf("%d API calls with %d rejected: each caller replays at most once", got, rejected.Load())
	}
	stored, _ := store.Get(t.Context(), "tenant-1")
	if stored.AccessToken == tok.AccessToken || stored.RefreshToken == tok.RefreshToken {
		t.Fatal("the rotated token was not saved")
	}
}
