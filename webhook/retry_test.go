package webhook

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/require"
)

// Zoom retries a delivery it got no 2xx for 5, 25 and 85 minutes after the
// first attempt (REFERENCE 11.1, 14.2).
var zoomRetries = []time.Duration{5 * time.Minute, 25 * time.Minute, 85 * time.Minute}

const retryBody = `{"event":"meeting.ended","event_ts":1700000000123,"payload":{"account_id":"a","object":{"id":"85393847045","uuid":"inst=="}}}`

// serveAt sends body through h, signed at ts, and returns the status.
func serveAt(t *testing.T, h http.Handler, body string, ts time.Time) int {
	t.Helper()
	r, err := NewSignedRequest(context.Background(), testSecret, "http://app.test/zoom/webhook", []byte(body), ts)
	require.NoError(t, err)
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w.Code
}

// replay serves a captured request again: same headers, same body.
func replay(h http.Handler, captured *http.Request, body string) int {
	r := httptest.NewRequest(http.MethodPost, "http://app.test/zoom/webhook", strings.NewReader(body))
	r.Header = captured.Header.Clone()
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w.Code
}

// defaultHandler is the Handler an application gets with no options, on
// synctest's fake clock.
func defaultHandler(t *testing.T, vopts ...Option) *Handler {
	t.Helper()
	v, err := NewVerifier([]string{testSecret}, vopts...)
	require.NoError(t, err)
	h, err := NewHandler(v)
	require.NoError(t, err)
	return h
}

// Each of Zoom's retries reaches the application whether Zoom signs it with
// the original timestamp or a fresh one, and the event is handled once.
func TestZoomRetryScheduleIsAccepted(t *testing.T) {
	t.Parallel()
	for _, stamp := range []string{"original timestamp", "fresh timestamp"} {
		t.Run(stamp+"/handler fails until the last retry", func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				h := defaultHandler(t)
				var calls, handled atomic.Int32
				h.OnMeetingEnded(func(ctx context.Context, e *Event, p *MeetingEndedPayload) error {
					if calls.Add(1) <= 3 {
						return errors.New("database down")
					}
					handled.Add(1)
					return nil
				})
				first := time.Now()
				if code := serveAt(t, h, retryBody, first); code != http.StatusInternalServerError {
					t.Fatalf("first attempt: %d, want 500", code)
				}
				for i, at := range zoomRetries {
					time.Sleep(time.Until(first.Add(at)))
					ts := first
					if stamp == "fresh timestamp" {
						ts = time.Now()
					}
					want := http.StatusInternalServerError
					if i == len(zoomRetries)-1 {
						want = http.StatusOK
					}
					if code := serveAt(t, h, retryBody, ts); code != want {
						t.Fatalf("retry at +%v: %d, want %d", at, code, want)
					}
				}
				if calls.Load() != 4 || handled.Load() != 1 {
					t.Fatalf("calls %d, handled %d; want 4 calls, handled once", calls.Load(), handled.Load())
				}
			})
		})
		t.Run(stamp+"/answer was late", func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				// The first attempt was handled but Zoom did not get the
				// answer in time: every retry is a duplicate, answered 200.
				h := defaultHandler(t)
				var calls atomic.Int32
				h.OnMeetingEnded(func(ctx context.Context, e *Event, p *MeetingEndedPayload) error {
					calls.Add(1)
					return nil
				})
				first := time.Now()
				if code := serveAt(t, h, retryBody, first); code != http.StatusOK {
					t.Fatalf("first attempt: %d", code)
				}
				for _, at := range zoomRetries {
					time.Sleep(time.Until(first.Add(at)))
					ts := first
					if stamp == "fresh timestamp" {
						ts = time.Now()
					}
					if code := serveAt(t, h, retryBody, ts); code != http.StatusOK {
						t.Fatalf("retry at +%v: %d, want 200", at, code)
					}
				}
				if calls.Load() != 1 {
					t.Fatalf("handled %d times, want once", calls.Load())
				}
			})
		})
	}
}

// A captured request replayed later is a duplicate, not a new event, for as
// long as its timestamp is accepted; once it is older than the window it is
// refused.
func TestCapturedRequestReplay(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		h := defaultHandler(t)
		var calls atomic.Int32
		h.OnMeetingEnded(func(ctx context.Context, e *Event, p *MeetingEndedPayload) error {
			calls.Add(1)
			return nil
		})
		captured, err := NewSignedRequest(context.Background(), testSecret, "http://app.test/zoom/webhook", []byte(retryBody), time.Now())
		require.NoError(t, err)
		if code := replay(h, captured, retryBody); code != http.StatusOK || calls.Load() != 1 {
			t.Fatalf("original: %d, %d calls", code, calls.Load())
		}
		time.Sleep(60 * time.Minute)
		if code := replay(h, captured, retryBody); code != http.StatusOK || calls.Load() != 1 {
			t.Fatalf("replay at +60min: %d, %d calls; want a duplicate (200, not handled again)", code, calls.Load())
		}
		time.Sleep(DefaultTimestampWindow - 60*time.Minute + time.Second)
		if code := replay(h, captured, retryBody); code != http.StatusUnauthorized || calls.Load() != 1 {
			t.Fatalf("replay past the window: %d, %d calls; want 401", code, calls.Load())
		}
		// A request signed longer ago than the window is refused outright,
		// and one signed further ahead than the verifier's tolerance too.
		for _, ts := range []time.Time{time.Now().Add(-DefaultTimestampWindow - time.Second), time.Now().Add(DefaultTolerance + time.Second)} {
			other := `{"event":"meeting.ended","event_ts":1700000999000,"payload":{"object":{"id":"1","uuid":"u2"}}}`
			if code := serveAt(t, h, other, ts); code != http.StatusUnauthorized {
				t.Fatalf("request signed at %v from now: %d, want 401", time.Until(ts), code)
			}
		}
		if calls.Load() != 1 {
			t.Fatalf("handled %d times", calls.Load())
		}
	})
}

// A captured retry signed with a fresh timestamp at +85 minutes can be
// replayed until +85 minutes plus the window: the claim made at the first
// attempt must still be there.
func TestCapturedLastRetryReplay(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		v, err := NewVerifier([]string{testSecret})
		require.NoError(t, err)
		h, err := NewHandler(v, WithDedupTTL(MinDedupTTL(DefaultTimestampWindow, DefaultTolerance)))
		require.NoError(t, err)
		var calls atomic.Int32
		h.Fallback(func(context.Context, *Event) error { calls.Add(1); return nil })
		first := time.Now()
		serveAt(t, h, retryBody, first)
		time.Sleep(85 * time.Minute)
		captured, _ := NewSignedRequest(context.Background(), testSecret, "http://app.test/", []byte(retryBody), time.Now())
		if code := replay(h, captured, retryBody); code != http.StatusOK {
			t.Fatalf("last retry: %d", code)
		}
		time.Sleep(DefaultTimestampWindow)
		if code := replay(h, captured, retryBody); code != http.StatusOK || calls.Load() != 1 {
			t.Fatalf("replay of the last retry at the end of its window: %d, %d calls; want a duplicate", code, calls.Load())
		}
	})
}

// The dedup TTL must cover the window: a Handler that would forget a claim
// while a captured request is still accepted is refused at construction.
func TestDedupTTLMustCoverWindow(t *testing.T) {
	t.Parallel()
	v := mustVerifier(t, []string{"k"})
	for name, opts := range map[string][]HandlerOption{
		"ttl shorter than the default window": {WithDedupTTL(30 * time.Minute)},
		"ttl of exactly the window":           {WithDedupTTL(DefaultTimestampWindow)},
	} {
		if _, err := NewHandler(v, opts...); !errors.Is(err, ErrInvalidOption) {
			t.Errorf("%s: NewHandler = %v, want ErrInvalidOption", name, err)
		}
	}
	if _, err := NewHandler(v, WithDedupTTL(MinDedupTTL(DefaultTimestampWindow, DefaultTolerance))); err != nil {
		t.Errorf("minimum ttl: %v", err)
	}
}

// With a replay cache on the verifier, Zoom's retry of a failed delivery
// with the original timestamp carries the same signature: it must reach the
// application, not be refused as a replay.
func TestReplayCacheLetsRetriesOfFailedDeliveriesThrough(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		h := defaultHandler(t, WithReplayCache(NewMemoryDeduper()))
		var calls atomic.Int32
		h.OnMeetingEnded(func(ctx context.Context, e *Event, p *MeetingEndedPayload) error {
			if calls.Add(1) == 1 {
				return errors.New("database down")
			}
			return nil
		})
		first := time.Now()
		if code := serveAt(t, h, retryBody, first); code != http.StatusInternalServerError {
			t.Fatalf("first attempt: %d", code)
		}
		time.Sleep(5 * time.Minute)
		if code := serveAt(t, h, retryBody, first); code != http.StatusOK || calls.Load() != 2 {
			t.Fatalf("retry at +5min with the original timestamp: %d, %d calls; want 200 after 2 calls", code, calls.Load())
		}
		// And a captured copy of it, later, is not handled again.
		time.Sleep(20 * time.Minute)
		if code := serveAt(t, h, retryBody, first); calls.Load() != 2 {
			t.Fatalf("replay: %d, %d calls", code, calls.Load())
		}
	})
}

func TestTimestampWindowOptions(t *testing.T) {
	t.Parallel()
	v := mustVerifier(t, []string{"k"})
	for name, opts := range map[string][]HandlerOption{
		"zero window":                      {WithTimestampWindow(0)},
		"window without dedup":             {WithoutDedup(), WithTimestampWindow(time.Hour)},
		"ttl shorter than a custom window": {WithTimestampWindow(3 * time.Hour), WithDedupTTL(4 * time.Hour)},
	} {
		if _, err := NewHandler(v, opts...); !errors.Is(err, ErrInvalidOption) {
			t.Errorf("%s: NewHandler = %v, want ErrInvalidOption", name, err)
		}
	}
	for name, opts := range map[string][]HandlerOption{
		"strict window, short ttl":    {WithTimestampWindow(5 * time.Minute), WithDedupTTL(MinDedupTTL(5*time.Minute, DefaultTolerance))},
		"strict window, no dedup":     {WithoutDedup(), WithTimestampWindow(time.Minute)},
		"long window, long ttl":       {WithTimestampWindow(3 * time.Hour), WithDedupTTL(48 * time.Hour)},
		"default window, default ttl": nil,
	} {
		if _, err := NewHandler(v, opts...); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// Where nothing deduplicates an event (WithoutDedup, or a KeyFunc returning
// ""), and for URL validation challenges, the Handler keeps the verifier's
// strict window: a wide one would let a captured request be replayed.
func TestStrictWindowWithoutDedup(t *testing.T) {
	t.Parallel()
	for name, opts := range map[string][]HandlerOption{
		"WithoutDedup": {WithoutDedup()},
		"empty key":    {WithDedupKey(func(*Event) string { return "" })},
	} {
		t.Run(name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				v, err := NewVerifier([]string{testSecret})
				require.NoError(t, err)
				h, err := NewHandler(v, opts...)
				require.NoError(t, err)
				var calls atomic.Int32
				h.Fallback(func(context.Context, *Event) error { calls.Add(1); return nil })
				signed := time.Now()
				time.Sleep(DefaultTolerance)
				if code := serveAt(t, h, retryBody, signed); code != http.StatusOK {
					t.Fatalf("at the tolerance: %d", code)
				}
				time.Sleep(time.Second)
				if code := serveAt(t, h, retryBody, signed); code != http.StatusUnauthorized || calls.Load() != 1 {
					t.Fatalf("past the tolerance: %d, %d calls; want 401", code, calls.Load())
				}
			})
		})
	}
	synctest.Test(t, func(t *testing.T) {
		h := defaultHandler(t)
		signed := time.Now()
		time.Sleep(DefaultTolerance + time.Second)
		if code := serveAt(t, h, validationBody, signed); code != http.StatusUnauthorized {
			t.Fatalf("stale URL validation challenge: %d, want 401", code)
		}
	})
}

// The bare Verifier keeps its strict 5-minute default whatever the Handler does.
func TestVerifierKeepsStrictDefault(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		v, err := NewVerifier([]string{testSecret})
		require.NoError(t, err)
		if _, err := NewHandler(v); err != nil {
			t.Fatal(err)
		}
		r, _ := NewSignedRequest(context.Background(), testSecret, "http://app.test/", []byte(retryBody), time.Now())
		time.Sleep(DefaultTolerance + time.Second)
		if _, err := v.Verify(r); !errors.Is(err, ErrTimestampOutOfRange) {
			t.Fatalf("Verify 5min+1s later: %v, want ErrTimestampOutOfRange", err)
		}
	})
}

type ttlRecorder struct {
	*MemoryDeduper
	ttls []time.Duration
}

func (r *ttlRecorder) Claim(ctx context.Context, key string, ttl time.Duration) (bool, error) {
	r.ttls = append(r.ttls, ttl)
	return r.MemoryDeduper.Claim(ctx, key, ttl)
}

// Shared Dedupers (Redis, SQL) keep a claim for the TTL the Handler passes:
// it covers the window, and so does the replay cache's.
func TestHandlerPassesTTLsCoveringWindow(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		dedup, cache := &ttlRecorder{MemoryDeduper: NewMemoryDeduper()}, &ttlRecorder{MemoryDeduper: NewMemoryDeduper()}
		v, err := NewVerifier([]string{testSecret}, WithReplayCache(cache))
		require.NoError(t, err)
		h, err := NewHandler(v, WithDeduper(dedup))
		require.NoError(t, err)
		if code := serveAt(t, h, retryBody, time.Now()); code != http.StatusOK {
			t.Fatalf("status %d", code)
		}
		if len(dedup.ttls) != 1 || dedup.ttls[0] < MinDedupTTL(DefaultTimestampWindow, DefaultTolerance) {
			t.Fatalf("dedup TTLs %v", dedup.ttls)
		}
		if len(cache.ttls) != 1 || cache.ttls[0] < DefaultTimestampWindow+DefaultTolerance {
			t.Fatalf("replay cache TTLs %v", cache.ttls)
		}
	})
}
