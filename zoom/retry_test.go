package zoom

import (
	"context"
	"errors"
	"io"
	"net/http"
	"syscall"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const meetingJSON = `{"id":85746065,"topic":"Standup"}`

func TestRetryGETOn503ThenSuccess(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		rt := &fakeRT{steps: []func(*http.Request) (*http.Response, error){
			respond(503, nil, "<html>busy</html>"),
			respond(503, nil, ""),
			respond(200, nil, meetingJSON),
		}}
		c := newFakeClient(t, rt)
		start := time.Now()
		m, _, err := callGet(t.Context(), c)
		require.NoError(t, err)
		require.Equal(t, int64(85746065), m.ID, "got %+v after %d attempts, want the meeting after 3", m, rt.count())
		require.Equal(t, 3, rt.count(), "got %+v after %d attempts, want the meeting after 3", m, rt.count())
		// Two backoff waits: at least half of 500ms and of 1s.
		el := time.Since(start)
		require.GreaterOrEqual(t, el, 750*time.Millisecond, "waited %v, want between 750ms and 1.5s", el)
		require.LessOrEqual(t, el, 1500*time.Millisecond, "waited %v, want between 750ms and 1.5s", el)
	})
}

func TestRetryGiveUpAfterMaxAttempts(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		rt := &fakeRT{steps: []func(*http.Request) (*http.Response, error){respond(502, nil, "Bad Gateway")}}
		c := newFakeClient(t, rt, WithRetryPolicy(RetryPolicy{MaxAttempts: 3}))
		_, resp, err := callGet(t.Context(), c)
		var apiErr *APIError
		require.ErrorAs(t, err, &apiErr, "err = %v, want an APIError 502 matching ErrServer", err)
		require.Equal(t, 502, apiErr.StatusCode, "err = %v, want an APIError 502 matching ErrServer", err)
		require.ErrorIs(t, err, ErrServer, "err = %v, want an APIError 502 matching ErrServer", err)
		require.Equal(t, "Bad Gateway", apiErr.Body, "Body = %q", apiErr.Body)
		require.NotNil(t, resp, "resp = %v", resp)
		require.Equal(t, 502, resp.StatusCode, "resp = %v", resp)
		require.Equal(t, 3, rt.count(), "attempts = %d, want 3", rt.count())
	})
}

func TestRetryNetworkErrorGET(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		rt := &fakeRT{steps: []func(*http.Request) (*http.Response, error){
			fail(syscall.ECONNRESET),
			fail(io.ErrUnexpectedEOF),
			respond(200, nil, meetingJSON),
		}}
		c := newFakeClient(t, rt)
		_, _, err := callGet(t.Context(), c)
		require.NoError(t, err)
		require.Equal(t, 3, rt.count(), "attempts = %d, want 3", rt.count())
	})
}

func TestPOSTNotRetriedOn5xxOrAfterWrite(t *testing.T) {
	for name, step := range map[string]func(*http.Request) (*http.Response, error){
		"503":           respond(503, nil, ""),
		"502":           respond(502, nil, ""),
		"reset":         fail(syscall.ECONNRESET),
		"unexpectedEOF": fail(io.ErrUnexpectedEOF),
	} {
		t.Run(name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				// The fake transport reads the request, so it counts as
				// written: the POST may have reached Zoom.
				rt := &fakeRT{steps: []func(*http.Request) (*http.Response, error){markWritten(step)}}
				c := newFakeClient(t, rt)
				_, err := callPost(t.Context(), c)
				require.Error(t, err, "want an error")
				require.Equal(t, 1, rt.count(), "POST sent %d times, want 1", rt.count())
			})
		})
	}
}

// markWritten simulates a transport that wrote the request before failing.
func markWritten(step func(*http.Request) (*http.Response, error)) func(*http.Request) (*http.Response, error) {
	return func(r *http.Request) (*http.Response, error) {
		if st := stateOf(r.Context()); st != nil {
			st.wrote.Store(true)
		}
		return step(r)
	}
}

func TestPOSTRetriedWhenNothingWritten(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		rt := &fakeRT{steps: []func(*http.Request) (*http.Response, error){
			fail(syscall.ECONNREFUSED), // dial failed: no byte sent
			respond(201, nil, meetingJSON),
		}}
		c := newFakeClient(t, rt)
		_, err := callPost(t.Context(), c)
		require.NoError(t, err)
		require.Equal(t, 2, rt.count(), "attempts = %d, want 2", rt.count())
		if rt.bodies[0] != rt.bodies[1] || rt.bodies[1] != `{"topic":"x"}` {
			t.Fatalf("body not replayed: %q", rt.bodies)
		}
	})
}

func TestPOSTRetriedOnQPS429(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		rt := &fakeRT{steps: []func(*http.Request) (*http.Response, error){
			markWritten(respond(429, map[string]string{"X-RateLimit-Type": "QPS", "Retry-After": "2"},
				`{"code":429,"message":"You have reached the maximum per-second rate limit for this API. Try again later."}`)),
			respond(201, nil, meetingJSON),
		}}
		c := newFakeClient(t, rt)
		start := time.Now()
		_, err := callPost(t.Context(), c)
		require.NoError(t, err)
		el := time.Since(start)
		require.Equal(t, 2*time.Second, el, "waited %v, want exactly Retry-After 2s", el)
		require.Equal(t, 2, rt.count(), "attempts = %d", rt.count())
	})
}

func TestRetryAfterForms(t *testing.T) {
	now := time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"3", 3 * time.Second, true},
		{"0", 0, true},
		{"Tue, 24 Nov 2026 12:00:05 GMT", 5 * time.Second, true},
		{"2026-11-24T12:00:02Z", 2 * time.Second, true},
		{"2026-11-24T11:00:00Z", 0, true}, // past
		{"soon", 0, false},
		{"-4", 0, false},
		{"", 0, false},
	} {
		got, ok := parseRetryAfter(tc.in, now)
		assert.Equal(t, tc.want, got, "parseRetryAfter(%q) = %v, %v; want %v, %v", tc.in, got, ok, tc.want, tc.ok)
		assert.Equal(t, tc.ok, ok, "parseRetryAfter(%q) = %v, %v; want %v, %v", tc.in, got, ok, tc.want, tc.ok)
	}
}

func TestRetryAfterRFC3339Waited(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		at := time.Now().Add(2 * time.Second).UTC().Format(time.RFC3339)
		rt := &fakeRT{steps: []func(*http.Request) (*http.Response, error){
			respond(429, map[string]string{"Retry-After": at}, `{"code":429,"message":"You have reached the maximum per-second rate limit for this API. Try again later."}`),
			respond(200, nil, meetingJSON),
		}}
		c := newFakeClient(t, rt)
		start := time.Now()
		_, _, err := callGet(t.Context(), c)
		require.NoError(t, err)
		el := time.Since(start)
		require.GreaterOrEqual(t, el, time.Second, "waited %v, want about 2s", el)
		require.LessOrEqual(t, el, 2*time.Second, "waited %v, want about 2s", el)
	})
}

func TestLongRetryAfterReturnsAtOnce(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		rt := &fakeRT{steps: []func(*http.Request) (*http.Response, error){
			respond(429, map[string]string{"Retry-After": "3600", "X-RateLimit-Category": "Heavy"}, `{"code":429,"message":"Try again later."}`),
		}}
		c := newFakeClient(t, rt)
		start := time.Now()
		_, _, err := callGet(t.Context(), c)
		require.Zero(t, time.Since(start), "waited %v, want an immediate error", time.Since(start))
		var rl *RateLimitError
		require.ErrorAs(t, err, &rl, "err = %v, want *RateLimitError", err)
		require.ErrorIs(t, err, ErrRateLimited, "err = %v, want *RateLimitError", err)
		got := rl.RetryAt.Sub(start)
		require.Equal(t, time.Hour, got, "RetryAt in %v, want 1h", got)
		require.Equal(t, "Heavy", rl.RateLimit.Category, "rl = %+v, attempts %d", rl.RateLimit, rt.count())
		require.Equal(t, 1, rt.count(), "rl = %+v, attempts %d", rl.RateLimit, rt.count())
	})
}

func TestDailyLimitReturnsTypedError(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		// The per-user meeting create limit, as Zoom sends it: no
		// X-RateLimit-Type and no Retry-After.
		rt := &fakeRT{steps: []func(*http.Request) (*http.Response, error){
			respond(429, map[string]string{"x-ratelimit-category": "Light", "x-ratelimit-limit": "6000", "x-ratelimit-remaining": "5893"},
				`{"code":429,"message":"You have exceeded the daily rate limit (100) of Meeting Create/Update API requests permitted for this particular user. You may resume these requests at GMT 00:00:00."}`),
		}}
		c := newFakeClient(t, rt)
		_, err := callPost(t.Context(), c)
		var rl *RateLimitError
		if !errors.As(err, &rl) || !errors.Is(err, ErrDailyLimit) || !rl.Daily {
			t.Fatalf("err = %v, want a daily *RateLimitError", err)
		}
		now := time.Now().UTC()
		want := time.Date(now.Year(), now.Month(), now.Day()+1, 0, 0, 0, 0, time.UTC)
		require.True(t, rl.RetryAt.Equal(want), "RetryAt = %v, want next 00:00 UTC %v", rl.RetryAt, want)
		require.Equal(t, 429, rl.Code, "rl = %+v attempts %d", rl, rt.count())
		require.Equal(t, 5893, rl.RateLimit.Remaining, "rl = %+v attempts %d", rl, rt.count())
		require.Equal(t, 1, rt.count(), "rl = %+v attempts %d", rl, rt.count())
		var apiErr *APIError
		require.ErrorAs(t, err, &apiErr, "RateLimitError does not unwrap to *APIError")
	})
}

func TestDailyLimitHeader(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		rt := &fakeRT{steps: []func(*http.Request) (*http.Response, error){
			respond(429, map[string]string{"X-RateLimit-Type": "Daily-limit", "Retry-After": "2026-12-01T00:00:00Z"}, `{"code":429,"message":"You have reached the maximum daily rate limit for this API."}`),
		}}
		c := newFakeClient(t, rt)
		_, _, err := callGet(t.Context(), c)
		require.ErrorIs(t, err, ErrDailyLimit, "err = %v after %d attempts", err, rt.count())
		require.Equal(t, 1, rt.count(), "err = %v after %d attempts", err, rt.count())
	})
}

func TestBackoffEndsWhenContextDone(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		rt := &fakeRT{steps: []func(*http.Request) (*http.Response, error){respond(503, nil, "")}}
		c := newFakeClient(t, rt, WithRetryPolicy(RetryPolicy{MaxAttempts: 10, MinBackoff: 10 * time.Second, MaxBackoff: time.Minute}))
		ctx, cancel := context.WithTimeout(t.Context(), 3*time.Second)
		defer cancel()
		start := time.Now()
		_, _, err := callGet(ctx, c)
		require.ErrorIs(t, err, context.DeadlineExceeded, "err = %v, want deadline exceeded", err)
		el := time.Since(start)
		require.Equal(t, 3*time.Second, el, "returned after %v, want as soon as ctx is done (3s)", el)
	})
}

func TestBackoffBounds(t *testing.T) {
	c := &Client{retry: RetryPolicy{MaxAttempts: 10, MinBackoff: 500 * time.Millisecond, MaxBackoff: 4 * time.Second}}
	for attempt := range 8 {
		for range 50 {
			d := c.backoff(attempt + 1)
			step := min(500*time.Millisecond<<attempt, 4*time.Second)
			require.GreaterOrEqual(t, d, step/2, "attempt %d: backoff %v outside [%v, %v]", attempt, d, step/2, step)
			require.LessOrEqual(t, d, step, "attempt %d: backoff %v outside [%v, %v]", attempt, d, step/2, step)
		}
	}
}

func TestRetryStormBounded(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		rt := &fakeRT{steps: []func(*http.Request) (*http.Response, error){respond(503, nil, "")}}
		c := newFakeClient(t, rt)
		done := make(chan struct{})
		const callers = 100
		for range callers {
			go func() {
				defer func() { done <- struct{}{} }()
				_, _, _ = callGet(t.Context(), c)
			}()
		}
		for range callers {
			<-done
		}
		got, max := rt.count(), callers*DefaultRetryPolicy().MaxAttempts
		require.Equal(t, max, got, "attempts = %d, want exactly %d", got, max)
	})
}

func TestRetryPolicyValidation(t *testing.T) {
	for _, p := range []RetryPolicy{
		{MaxAttempts: -1},
		{MinBackoff: -time.Second},
		{MinBackoff: time.Minute, MaxBackoff: time.Second},
		{MaxAttempts: 1000},
	} {
		_, err := NewClient(WithHTTPClient(http.DefaultClient), WithRetryPolicy(p))
		assert.Error(t, err, "policy %+v accepted", p)
	}
	rt := &fakeRT{steps: []func(*http.Request) (*http.Response, error){respond(503, nil, "")}}
	c := newFakeClient(t, rt, WithRetryPolicy(RetryPolicy{MaxAttempts: 1}))
	_, _, err := callGet(t.Context(), c)
	require.ErrorIs(t, err, ErrServer, "MaxAttempts 1: err %v after %d attempts", err, rt.count())
	require.Equal(t, 1, rt.count(), "MaxAttempts 1: err %v after %d attempts", err, rt.count())
}

func TestRateLimitClassifiedByHeadersNotText(t *testing.T) {
	for _, tc := range []struct {
		name    string
		headers map[string]string
		message string
		daily   bool
	}{
		{"QPS type, daily wording", map[string]string{"X-RateLimit-Type": "QPS"}, "the daily rate limit", false},
		{"no headers, daily wording", nil, "You have exceeded the daily rate limit", false},
		{"daily type, other wording", map[string]string{"X-RateLimit-Type": "Daily-limit"}, "Try again later.", true},
		{"per-user limit, other wording", map[string]string{"X-RateLimit-Category": "Light", "X-RateLimit-Limit": "6000", "X-RateLimit-Remaining": "12"}, "Limite atteinte.", true},
		{"label exhausted without type", map[string]string{"X-RateLimit-Limit": "30", "X-RateLimit-Remaining": "0"}, "daily", false},
		{"per-user limit with Retry-After", map[string]string{"X-RateLimit-Limit": "6000", "Retry-After": "1"}, "daily", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				body := `{"code":429,"message":"` + tc.message + `"}`
				rt := &fakeRT{steps: []func(*http.Request) (*http.Response, error){respond(429, tc.headers, body)}}
				c := newFakeClient(t, rt, WithRetryPolicy(RetryPolicy{MaxAttempts: 2}))
				_, _, err := callGet(t.Context(), c)
				var rl *RateLimitError
				require.ErrorAs(t, err, &rl, "err = %v, want *RateLimitError", err)
				require.Equal(t, tc.daily, rl.Daily, "Daily = %v, want %v", rl.Daily, tc.daily)
				require.Equal(t, tc.daily, errors.Is(err, ErrDailyLimit), "Daily = %v, want %v", rl.Daily, tc.daily)
				wantAttempts := 2
				if tc.daily {
					wantAttempts = 1
				}
				require.Equal(t, wantAttempts, rt.count(), "attempts = %d, want %d", rt.count(), wantAttempts)
			})
		})
	}
}
