package oauth_test

// Faults in the token lifecycle that must never lose a live grant (issue
// "never lose a Zoom grant"): a rotated token the store could not save, a
// holder paused after Zoom rotated, answers whose outcome is unknown, a dead
// grant seen by many replicas, a failing token endpoint.

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/zoomkit/zoomkit/internal/servicetest/replicatest"
	"github.com/zoomkit/zoomkit/oauth"
	"github.com/zoomkit/zoomkit/tokenstore"
)

// hookCounter is a reauthorization hook that does what many apps do: count
// the alert and delete the dead grant's record.
type hookCounter struct {
	n     atomic.Int32
	store tokenstore.Store
}

func (h *hookCounter) hook(ctx context.Context, key string, _ error) {
	h.n.Add(1)
	if h.store != nil {
		_ = h.store.Delete(ctx, key)
	}
}

// tokenUntil calls ts until it hands out a token, each call bounded by 5 s,
// for at most 30 minutes of (fake) time. It fails on a reauthorization
// error: the grant is alive.
func tokenUntil(t *testing.T, ts *oauth.TokenSource) string {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Minute); time.Now().Before(deadline); {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		tok, err := ts.TokenContext(ctx)
		cancel()
		if err == nil {
			return tok.AccessToken
		}
		noLeak(t, err)
		require.NotErrorIs(t, err, oauth.ErrReauthorizationRequired, "a live grant was declared dead")
		time.Sleep(time.Second)
	}
	t.Fatal("no token within 30 minutes")
	return ""
}

// Item 1: the rotated token's save fails (N times, or for longer than the
// lease TTL). The replica that holds it keeps the lease and keeps saving; the
// other replica never presents the superseded refresh token.
func TestUnsavedRotatedTokenIsNeverLost(t *testing.T) {
	for name, faults := range map[string]func() *replicatest.WriteFaults{
		"writes fail 6 times then heal":      func() *replicatest.WriteFaults { return &replicatest.WriteFaults{N: 6} },
		"writes fail past the lease TTL":     func() *replicatest.WriteFaults { return &replicatest.WriteFaults{For: 4 * oauth.DefaultLeaseTTL} },
		"writes fail for ten lease TTLs now": func() *replicatest.WriteFaults { return &replicatest.WriteFaults{For: 10 * oauth.DefaultLeaseTTL} },
	} {
		t.Run(name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				f := newFake(t)
				shared := tokenstore.NewMemory()
				mustPut(t, shared, "k", f.grant("u1", time.Now().Add(-time.Minute)))
				wf := faults()
				hooks := &hookCounter{store: shared}
				a := newTS(t, memConfig(f), &replicatest.FaultStore{CoordinatedStore: shared, Faults: wf}, "k",
					oauth.WithOnReauthorizationRequired(hooks.hook))
				b := newTS(t, memConfig(f), &replicatest.FaultStore{CoordinatedStore: shared, Faults: wf}, "k",
					oauth.WithOnReauthorizationRequired(hooks.hook))

				_, err := a.Token() // A redeems; its save fails
				require.Error(t, err)
				noLeak(t, err)
				require.NotErrorIs(t, err, oauth.ErrReauthorizationRequired)

				atB := tokenUntil(t, b)
				atA := tokenUntil(t, a)
				assert.Equal(t, atA, atB, "both replicas hand out the one rotated token")
				stored, err := shared.Get(t.Context(), "k")
				require.NoError(t, err)
				c := f.counts()
				assert.Equal(t, stored.AccessToken, atA, "the handed-out token is the stored one")
				assert.Equal(t, 0, c.invalidGrants, "a superseded refresh token was presented")
				assert.Equal(t, 1, c.refreshes)
				assert.Equal(t, int32(0), hooks.n.Load(), "reauthorization hook calls")
				assert.Equal(t, f.newestRT(), stored.RefreshToken, "the stored refresh token is the newest Zoom issued")
				synctest.Wait() // the background save is done: no goroutine left
			})
		})
	}
}

// Item 1: a holder paused past its lease TTL after Zoom rotated. The replica
// that waited for the lease and then took it over presents the old refresh
// token and gets invalid_grant; it waits for the holder's save (within the
// grace) instead of telling its 56 callers to reauthorize.
func TestFollowerWaitsForPausedHoldersSave(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFake(t)
		shared := tokenstore.NewMemory()
		mustPut(t, shared, "k", f.grant("u1", time.Now().Add(-time.Minute)))
		paused, release := make(chan struct{}), make(chan struct{})
		hooks := &hookCounter{store: shared}
		a := newTS(t, memConfig(f), &replicatest.FaultStore{CoordinatedStore: shared, BeforeCAS: func() { close(paused); <-release }}, "k",
			oauth.WithLeaseTTL(2*time.Second), oauth.WithOnReauthorizationRequired(hooks.hook))
		b := newTS(t, memConfig(f), shared, "k",
			oauth.WithLeaseTTL(2*time.Second), oauth.WithOnReauthorizationRequired(hooks.hook))
		aDone := make(chan string, 1)
		go func() {
			tok, err := a.Token()
			if err != nil {
				t.Errorf("holder: %v", err)
				aDone <- ""
				return
			}
			aDone <- tok.AccessToken
		}()
		<-paused
		// B's callers arrive while A holds the lease; A stays paused past
		// its lease TTL (2 s), B takes over and presents the old refresh
		// token; A resumes 5 s in and saves.
		go func() {
			time.Sleep(5 * time.Second)
			close(release)
		}()
		var wg sync.WaitGroup
		var dead atomic.Int32
		got := make([]string, 56)
		for i := range got {
			wg.Go(func() {
				tok, err := b.Token()
				if err != nil {
					noLeak(t, err)
					if errors.Is(err, oauth.ErrReauthorizationRequired) {
						dead.Add(1)
					}
					return
				}
				got[i] = tok.AccessToken
			})
		}
		wg.Wait()
		atA := <-aDone
		assert.Equal(t, int32(0), dead.Load(), "callers wrongly told to reauthorize")
		for i, at := range got {
			assert.Equal(t, atA, at, "caller %d", i)
		}
		assert.Equal(t, int32(0), hooks.n.Load(), "reauthorization hook calls")
		stored, err := shared.Get(t.Context(), "k")
		require.NoError(t, err)
		assert.Equal(t, f.newestRT(), stored.RefreshToken)
		assert.Equal(t, 1, f.counts().refreshes)
	})
}

// faultTransport answers the first len(script) token requests with a fault
// and passes the rest to next.
type faultTransport struct {
	next http.RoundTripper
	mu   sync.Mutex
	// script holds one fault per request; "" passes the request on.
	script []string
	sent   int
}

func (ft *faultTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	ft.mu.Lock()
	ft.sent++
	fault := ""
	if len(ft.script) > 0 {
		fault, ft.script = ft.script[0], ft.script[1:]
	}
	ft.mu.Unlock()
	reset := &net.OpError{Op: "read", Net: "tcp", Err: syscall.ECONNRESET}
	switch fault {
	case "maintenance page": // a proxy answers 200 with HTML; Zoom never saw it
		return &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"text/html"}},
			Body: io.NopCloser(strings.NewReader("<html>Down for maintenance</html>")), Request: r}, nil
	case "reset after write": // the connection dies; Zoom never processed it
		return nil, reset
	case "no answer": // nothing comes back until our timeout
		<-r.Context().Done()
		return nil, r.Context().Err()
	case "redeemed then reset": // Zoom rotated, the answer was lost
		resp, err := ft.next.RoundTrip(r)
		if err == nil {
			resp.Body.Close()
		}
		return nil, reset
	case "500":
		return &http.Response{StatusCode: 500, Header: http.Header{"Content-Type": {"application/json"}},
			Body: io.NopCloser(strings.NewReader(`{"reason":"Internal Error","error":"server_error"}`)), Request: r}, nil
	}
	return ft.next.RoundTrip(r)
}

func faultConfig(f *fakeZoom, script ...string) (*oauth.Config, *faultTransport) {
	cfg := memConfig(f)
	ft := &faultTransport{next: cfg.HTTPClient.Transport, script: script}
	cfg.HTTPClient = &http.Client{Transport: ft}
	return cfg, ft
}

// Item 2: an answer whose outcome is unknown keeps the refresh token: it is
// presented once more; only Zoom's invalid_grant on that retry kills the
// grant.
func TestUnknownOutcomeIsNotADeadGrant(t *testing.T) {
	for _, fault := range []string{"maintenance page", "reset after write", "no answer"} {
		t.Run(fault, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				f := newFake(t)
				cfg, ft := faultConfig(f, fault)
				store := tokenstore.NewMemory()
				seed := f.grant("u1", time.Now().Add(-time.Minute))
				mustPut(t, store, "k", seed)
				hooks := &hookCounter{}
				ts := newTS(t, cfg, store, "k", oauth.WithOnReauthorizationRequired(hooks.hook))
				tok, err := ts.Token()
				require.NoError(t, err, "the retry with the same refresh token should have succeeded")
				stored, err := store.Get(t.Context(), "k")
				require.NoError(t, err)
				assert.Equal(t, stored.AccessToken, tok.AccessToken)
				assert.Equal(t, f.newestRT(), stored.RefreshToken)
				assert.Equal(t, 2, ft.sent, "one retry with the same refresh token")
				assert.Equal(t, int32(0), hooks.n.Load())
			})
		})
	}
	t.Run("Zoom redeemed, answer lost", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			f := newFake(t)
			cfg, _ := faultConfig(f, "redeemed then reset")
			store := tokenstore.NewMemory()
			mustPut(t, store, "k", f.grant("u1", time.Now().Add(-time.Minute)))
			hooks := &hookCounter{}
			ts := newTS(t, cfg, store, "k", oauth.WithOnReauthorizationRequired(hooks.hook))
			_, err := ts.Token()
			require.ErrorIs(t, err, oauth.ErrReauthorizationRequired, "the retry's invalid_grant is the truth")
			noLeak(t, err)
			assert.Equal(t, int32(1), hooks.n.Load())
			assert.Equal(t, 2, f.counts().tokenRequests)
		})
	})
	t.Run("unknown twice", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			f := newFake(t)
			cfg, _ := faultConfig(f, "reset after write", "maintenance page")
			store := tokenstore.NewMemory()
			seed := f.grant("u1", time.Now().Add(-time.Minute))
			mustPut(t, store, "k", seed)
			hooks := &hookCounter{}
			ts := newTS(t, cfg, store, "k", oauth.WithOnReauthorizationRequired(hooks.hook))
			_, err := ts.Token()
			require.ErrorIs(t, err, oauth.ErrRefreshOutcomeUnknown)
			require.NotErrorIs(t, err, oauth.ErrReauthorizationRequired)
			noLeak(t, err)
			stored, err := store.Get(t.Context(), "k")
			require.NoError(t, err)
			assert.Equal(t, seed.RefreshToken, stored.RefreshToken, "the stored refresh token is kept")
			assert.Equal(t, int32(0), hooks.n.Load())
			// Later, Zoom is reachable again: the same refresh token works.
			at := tokenUntil(t, ts)
			stored, err = store.Get(t.Context(), "k")
			require.NoError(t, err)
			assert.Equal(t, stored.AccessToken, at)
			assert.Equal(t, int32(0), hooks.n.Load())
		})
	})
}

// Item 3: a revoked grant is established dead by one replica; the others read
// the dead mark and make no token request; the hook runs once; a reconnect
// clears the mark.
func TestDeadGrantIsDeadOnceForEveryReplica(t *testing.T) {
	backends := map[string]func(t *testing.T) func() tokenstore.Store{
		"memory": func(*testing.T) func() tokenstore.Store {
			m := tokenstore.NewMemory()
			return func() tokenstore.Store { return m }
		},
		"file": func(t *testing.T) func() tokenstore.Store {
			dir := t.TempDir()
			return func() tokenstore.Store {
				fs, err := tokenstore.NewFile(dir)
				require.NoError(t, err)
				return fs
			}
		},
	}
	for name, backend := range backends {
		t.Run(name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				f := newFake(t)
				open := backend(t)
				mustPut(t, open(), "k", f.grant("u1", time.Now().Add(-time.Minute)))
				f.revokeAll() // the user uninstalled the app
				hooks := &hookCounter{}
				replicas := func() []*oauth.TokenSource {
					r := make([]*oauth.TokenSource, 8)
					for i := range r {
						r[i] = newTS(t, memConfig(f), open(), "k", oauth.WithOnReauthorizationRequired(hooks.hook))
					}
					return r
				}
				for round := range 2 {
					var wg sync.WaitGroup
					for _, ts := range replicas() {
						wg.Go(func() {
							_, err := ts.Token()
							assert.ErrorIs(t, err, oauth.ErrReauthorizationRequired, "round %d", round)
							noLeak(t, err)
						})
					}
					wg.Wait()
					assert.Equal(t, 1, f.counts().tokenRequests, "token requests after round %d", round)
					assert.Equal(t, int32(1), hooks.n.Load(), "hook calls after round %d", round)
				}
				// The user reconnects: the new grant replaces the dead mark.
				mustPut(t, open(), "k", f.grant("u1", time.Now().Add(time.Hour)))
				for _, ts := range replicas() {
					_, err := ts.Token()
					assert.NoError(t, err)
				}
			})
		})
	}
}

// Item 4: during a token endpoint outage, busy callers share one backoff per
// grant and get the last error at once.
func TestFailingTokenEndpointIsNotHammered(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFake(t)
		cfg := memConfig(f)
		outageEnds := time.Now().Add(10 * time.Second)
		var sent atomic.Int32
		cfg.HTTPClient = &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
			sent.Add(1)
			if time.Now().Before(outageEnds) {
				return &http.Response{StatusCode: 500, Header: http.Header{"Content-Type": {"application/json"}},
					Body: io.NopCloser(strings.NewReader(`{"reason":"Internal Error","error":"server_error"}`)), Request: r}, nil
			}
			return memTransport{f}.RoundTrip(r)
		})}
		store := tokenstore.NewMemory()
		mustPut(t, store, "k", f.grant("u1", time.Now().Add(-time.Minute)))
		ts := newTS(t, cfg, store, "k")
		var wg sync.WaitGroup
		var slow atomic.Int32
		for range 20 {
			wg.Go(func() {
				for time.Now().Before(outageEnds) {
					start := time.Now()
					_, err := ts.Token()
					if err != nil {
						var te *oauth.TokenError
						assert.ErrorAs(t, err, &te)
						assert.NotErrorIs(t, err, oauth.ErrReauthorizationRequired)
						if time.Since(start) > 0 {
							slow.Add(1)
						}
					}
					time.Sleep(10 * time.Millisecond)
				}
			})
		}
		wg.Wait()
		n := sent.Load()
		assert.LessOrEqual(t, n, int32(10), "token requests during a 10 s outage")
		assert.GreaterOrEqual(t, n, int32(3), "the outage is probed more than once")
		assert.Zero(t, slow.Load(), "callers waited for an error instead of getting the last one at once")
		tokenUntil(t, ts)
		assert.Equal(t, 1, f.counts().refreshes)
	})
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// A holder paused past its lease TTL while nobody waited for its lease: a
// replica that comes later presents the old refresh token and, with no sign
// of a rotation in progress, marks the grant dead. When the holder resumes,
// its rotated token replaces the dead mark: the grant lives on.
func TestResumedHolderRestoresGrantOverDeadMark(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFake(t)
		shared := tokenstore.NewMemory()
		mustPut(t, shared, "k", f.grant("u1", time.Now().Add(-time.Minute)))
		paused, release := make(chan struct{}), make(chan struct{})
		a := newTS(t, memConfig(f), &replicatest.FaultStore{CoordinatedStore: shared, BeforeCAS: func() { close(paused); <-release }}, "k",
			oauth.WithLeaseTTL(2*time.Second))
		b := newTS(t, memConfig(f), shared, "k", oauth.WithLeaseTTL(2*time.Second))
		aDone := make(chan error, 1)
		go func() { _, err := a.Token(); aDone <- err }()
		<-paused
		time.Sleep(3 * time.Second) // A's lease expired; nobody was waiting for it
		_, err := b.Token()
		require.ErrorIs(t, err, oauth.ErrReauthorizationRequired)
		close(release)
		require.NoError(t, <-aDone)
		stored, err := shared.Get(t.Context(), "k")
		require.NoError(t, err)
		assert.Nil(t, stored.Dead, "the dead mark was replaced")
		assert.Equal(t, f.newestRT(), stored.RefreshToken)
		// B's next calls use the restored grant.
		time.Sleep(time.Minute)
		at := tokenUntil(t, b)
		assert.Equal(t, stored.AccessToken, at)
	})
}

// A reauthorization hook elsewhere deletes the record while this replica's
// rotated token waits to be saved: the save writes it back.
func TestPendingTokenSurvivesDeletedRecord(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFake(t)
		shared := tokenstore.NewMemory()
		mustPut(t, shared, "k", f.grant("u1", time.Now().Add(-time.Minute)))
		wf := &replicatest.WriteFaults{N: 10}
		a := newTS(t, memConfig(f), &replicatest.FaultStore{CoordinatedStore: shared, Faults: wf}, "k")
		_, err := a.Token()
		require.ErrorIs(t, err, oauth.ErrSavePending)
		require.NoError(t, shared.Delete(t.Context(), "k"))
		at := tokenUntil(t, a)
		stored, err := shared.Get(t.Context(), "k")
		require.NoError(t, err)
		assert.Equal(t, stored.AccessToken, at)
		assert.Equal(t, f.newestRT(), stored.RefreshToken)
		synctest.Wait()
	})
}
