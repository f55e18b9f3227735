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

	"github.com/stretchr/testify/assert"
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
				require.Equal(t, http.StatusInternalServerError, serveAt(t, h, retryBody, first), "first attempt")
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
					require.Equal(t, want, serveAt(t, h, retryBody, ts), "retry at +%v", at)
				}
				require.EqualValues(t, 4, calls.Load(), "calls")
				require.EqualValues(t, 1, handled.Load(), "handled once")
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
				require.Equal(t, http.StatusOK, serveAt(t, h, retryBody, first), "first attempt")
				for _, at := range zoomRetries {
					time.Sleep(time.Until(first.Add(at)))
					ts := first
					if stamp == "fresh timestamp" {
						ts = time.Now()
					}
					require.Equal(t, http.StatusOK, serveAt(t, h, retryBody, ts), "retry at +%v", at)
				}
				require.EqualValues(t, 1, calls.Load(), "handled times, want once")
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
		require.Equal(t, http.StatusOK, replay(h, captured, retryBody), "original")
		require.EqualValues(t, 1, calls.Load(), "original: calls")
		time.Sleep(60 * time.Minute)
		require.Equal(t, http.StatusOK, replay(h, captured, retryBody), "replay at +60min: want a duplicate (200, not handled again)")
		require.EqualValues(t, 1, calls.Load(), "replay at +60min: calls; want a duplicate (200, not handled again)")
		time.Sleep(DefaultTimestampWindow - 60*time.Minute + time.Second)
		require.Equal(t, http.StatusUnauthorized, replay(h, captured, retryBody), "replay past the window")
		require.EqualValues(t, 1, calls.Load(), "replay past the window: calls")
		// A request signed longer ago than the window is refused outright,
		// and one signed further ahead than the verifier's tolerance too.
		for _, ts := range []time.Time{time.Now().Add(-DefaultTimestampWindow - time.Second), time.Now().Add(DefaultTolerance + time.Second)} {
			other := `{"event":"meeting.ended","event_ts":1700000999000,"payload":{"object":{"id":"1","uuid":"u2"}}}`
			require.Equal(t, http.StatusUnauthorized, serveAt(t, h, other, ts), "request signed at %v from now", time.Until(ts))
		}
		require.EqualValues(t, 1, calls.Load(), "handled times")
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
		require.Equal(t, http.StatusOK, replay(h, captured, retryBody), "last retry")
		time.Sleep(DefaultTimestampWindow)
		require.Equal(t, http.StatusOK, replay(h, captured, retryBody), "replay of the last retry at the end of its window: want a duplicate")
		require.EqualValues(t, 1, calls.Load(), "replay of the last retry at the end of its window: calls; want a duplicate")
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
		_, err := NewHandler(v, opts...)
		assert.ErrorIs(t, err, ErrInvalidOption, "%s: NewHandler", name)
	}
	_, err := NewHandler(v, WithDedupTTL(MinDedupTTL(DefaultTimestampWindow, DefaultTolerance)))
	assert.NoError(t, err, "minimum ttl")
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
		require.Equal(t, http.StatusInternalServerError, serveAt(t, h, retryBody, first), "first attempt")
		time.Sleep(5 * time.Minute)
		require.Equal(t, http.StatusOK, serveAt(t, h, retryBody, first), "retry at +5min with the original timestamp: want 200 after 2 calls")
		require.EqualValues(t, 2, calls.Load(), "retry at +5min with the original timestamp: calls; want 200 after 2 calls")
		// And a captured copy of it, later, is not handled again.
		time.Sleep(20 * time.Minute)
		code := serveAt(t, h, retryBody, first)
		require.EqualValues(t, 2, calls.Load(), "replay: %d", code)
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
		_, err := NewHandler(v, opts...)
		assert.ErrorIs(t, err, ErrInvalidOption, "%s: NewHandler", name)
	}
	for name, opts := range map[string][]HandlerOption{
		"strict window, short ttl":    {WithTimestampWindow(5 * time.Minute), WithDedupTTL(MinDedupTTL(5*time.Minute, DefaultTolerance))},
		"strict window, no dedup":     {WithoutDedup(), WithTimestampWindow(time.Minute)},
		"long window, long ttl":       {WithTimestampWindow(3 * time.Hour), WithDedupTTL(48 * time.Hour)},
		"default window, default ttl": nil,
	} {
		_, err := NewHandler(v, opts...)
		assert.NoError(t, err, name)
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
				require.Equal(t, http.StatusOK, serveAt(t, h, retryBody, signed), "at the tolerance")
				time.Sleep(time.Second)
				require.Equal(t, http.StatusUnauthorized, serveAt(t, h, retryBody, signed), "past the tolerance")
				require.EqualValues(t, 1, calls.Load(), "past the tolerance: calls")
			})
		})
	}
	synctest.Test(t, func(t *testing.T) {
		h := defaultHandler(t)
		signed := time.Now()
		time.Sleep(DefaultTolerance + time.Second)
		require.Equal(t, http.StatusUnauthorized, serveAt(t, h, validationBody, signed), "stale URL validation challenge")
	})
}

// The bare Verifier keeps its strict 5-minute default whatever the Handler does.
func TestVerifierKeepsStrictDefault(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		v, err := NewVerifier([]string{testSecret})
		require.NoError(t, err)
		_, err = NewHandler(v)
		require.NoError(t, err)
		r, _ := NewSignedRequest(context.Background(), testSecret, "http://app.test/", []byte(retryBody), time.Now())
		time.Sleep(DefaultTolerance + time.Second)
		_, err = v.Verify(r)
		require.ErrorIs(t, err, ErrTimestampOutOfRange, "Verify 5min+1s later")
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
		require.Equal(t, http.StatusOK, serveAt(t, h, retryBody, time.Now()), "status")
		require.Len(t, dedup.ttls, 1, "dedup TTLs")
		require.GreaterOrEqual(t, dedup.ttls[0], MinDedupTTL(DefaultTimestampWindow, DefaultTolerance), "dedup TTLs %v", dedup.ttls)
		require.Len(t, cache.ttls, 1, "replay cache TTLs")
		require.GreaterOrEqual(t, cache.ttls[0], DefaultTimestampWindow+DefaultTolerance, "replay cache TTLs %v", cache.ttls)
	})
}
