package zoom

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func perSecond429(limit string) *http.Response {
	h := http.Header{}
	h.Set("X-RateLimit-Category", "Light")
	h.Set("X-RateLimit-Type", "QPS")
	h.Set("X-RateLimit-Limit", limit)
	h.Set("X-RateLimit-Remaining", "0")
	h.Set("Retry-After", "1")
	return &http.Response{StatusCode: http.StatusTooManyRequests, Header: h}
}

func success(limit, remaining string) *http.Response {
	h := http.Header{}
	if limit != "" {
		h.Set("X-RateLimit-Limit", limit)
		h.Set("X-RateLimit-Remaining", remaining)
	}
	return &http.Response{StatusCode: http.StatusOK, Header: h}
}

// A per-second 429 multiplies the pace by aimdDecrease, once per second
// however many 429s that second brings; each second after adds
// aimdIncrease of the ceiling, up to the ceiling.
func TestAIMDDecreaseOncePerSecondThenAdditiveRecovery(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := newPacer(PacingPolicy{Plan: PlanPro}, slog.New(slog.DiscardHandler)) // LIGHT 30/s, headroom 0.95
		lp := p.label(RateLight)
		ceiling := 30 * 0.95
		require.InDelta(t, ceiling, lp.pace(), 1e-9)

		p.observe(RateLight, perSecond429("30"), time.Now())
		assert.InDelta(t, ceiling*aimdDecrease, lp.pace(), 1e-9)
		time.Sleep(500 * time.Millisecond)
		p.observe(RateLight, perSecond429("30"), time.Now())
		assert.InDelta(t, ceiling*aimdDecrease, lp.pace(), 1e-9, "the 429s of one second are one signal")
		p.observe(RateLight, success("", ""), time.Now())
		assert.InDelta(t, ceiling*aimdDecrease, lp.pace(), 1e-9, "no recovery within the second")
		assert.Equal(t, rateOf(lp), lp.pace(), "the limiter follows the pace")

		time.Sleep(600 * time.Millisecond) // 1.1 s after the first 429
		p.observe(RateLight, perSecond429("30"), time.Now())
		low := ceiling * aimdDecrease * aimdDecrease
		assert.InDelta(t, low, lp.pace(), 1e-9)

		for i := 1; lp.pace() < ceiling; i++ {
			time.Sleep(time.Second)
			p.observe(RateLight, success("", ""), time.Now())
			assert.InDelta(t, min(ceiling, low+float64(i)*aimdIncrease*ceiling), lp.pace(), 1e-9, "second %d", i)
			require.Less(t, i, 10)
		}
		time.Sleep(10 * time.Second)
		p.observe(RateLight, success("", ""), time.Now())
		assert.InDelta(t, ceiling, lp.pace(), 1e-9, "never above the ceiling")
		assert.Equal(t, rateOf(lp), lp.pace())
	})
}

func TestAIMDNeverUnderTheFloor(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := newPacer(PacingPolicy{Plan: PlanPro}, slog.New(slog.DiscardHandler))
		lp := p.label(RateHeavy)
		for range 40 {
			p.observe(RateHeavy, perSecond429("10"), time.Now())
			time.Sleep(time.Second)
		}
		assert.InDelta(t, aimdFloor*10*0.95, lp.pace(), 1e-9)
		assert.EqualValues(t, 40, lp.throttles)
	})
}

func TestAIMDReadsZoomsHeaders(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := newPacer(PacingPolicy{Plan: PlanPro}, slog.New(slog.DiscardHandler))
		lp := p.label(RateLight)
		ceiling := 30 * 0.95

		// A daily limit says nothing about pace.
		daily := perSecond429("6000")
		daily.Header.Set("X-RateLimit-Type", "Daily-limit")
		p.observe(RateLight, daily, time.Now())
		assert.InDelta(t, ceiling, lp.pace(), 1e-9)

		// A success carrying the label's daily budget (Zoom's numbers are in
		// the thousands), even at 0 remaining, is no pace signal.
		p.observe(RateLight, success("6000", "0"), time.Now())
		assert.InDelta(t, ceiling, lp.pace(), 1e-9)

		// A success that spent the last request of a per-second budget
		// slows down before the 429.
		p.observe(RateLight, success("30", "0"), time.Now())
		assert.InDelta(t, ceiling*aimdDecrease, lp.pace(), 1e-9)

		// A per-second 429 naming a lower limit (the account is on a
		// smaller plan than configured) lowers the ceiling.
		time.Sleep(2 * time.Second)
		p.observe(RateLight, perSecond429("4"), time.Now())
		assert.InDelta(t, 4*0.95*aimdDecrease, lp.pace(), 1e-9)
		for range 30 {
			time.Sleep(time.Second)
			p.observe(RateLight, success("4", "3"), time.Now())
		}
		assert.InDelta(t, 4*0.95, lp.pace(), 1e-9, "recovers to the learned ceiling only")

		// A 429 without headers is taken as a per-second limit.
		p.observe(RateLight, &http.Response{StatusCode: http.StatusTooManyRequests, Header: http.Header{}}, time.Now())
		assert.InDelta(t, 4*0.95*aimdDecrease, lp.pace(), 1e-9)
	})
}

// Through the client: the pacing transport tells the pacer how Zoom
// answered, and the next requests are spaced at the lowered pace.
func TestAIMDThroughTheClient(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		wc := &windowCounter{}
		throttle := respond(429, map[string]string{
			"X-RateLimit-Type": "QPS", "X-RateLimit-Limit": "30", "X-RateLimit-Remaining": "0",
		}, `{"code":429,"message":"You have reached the maximum per-second rate limit for this API. Try again later."}`)
		rt := &fakeRT{steps: []func(*http.Request) (*http.Response, error){throttle, wc.step}}
		c := newFakeClient(t, rt, WithRatePacing(PacingPolicy{Plan: PlanPro}),
			WithRetryPolicy(RetryPolicy{MaxAttempts: 2, MinBackoff: time.Millisecond, MaxBackoff: time.Millisecond}))
		_, _, err := callGet(t.Context(), c)
		require.NoError(t, err, "the 429 was retried")
		lp := c.hc.Transport.(pacingTransport).pacer.label(RateLight)
		assert.InDelta(t, 30*0.95*aimdDecrease, lp.pace(), 1e-9)

		for range 20 {
			_, _, err := callGet(t.Context(), c)
			require.NoError(t, err)
		}
		wc.mu.Lock()
		defer wc.mu.Unlock()
		gap := wc.times[len(wc.times)-1].Sub(wc.times[1]) / time.Duration(len(wc.times)-2)
		assert.InDelta(t, float64(time.Second)/(30*0.95*aimdDecrease), float64(gap), float64(time.Millisecond),
			"requests spaced at the lowered pace within the second after the 429")
	})
}

func rateOf(lp *labelPace) float64 { return float64(lp.lim.Limit()) }

// fakeShared is a SharedLimiter that fails while down is set and
// otherwise spaces requests by 1/perSecond on a shared schedule.
type fakeShared struct {
	mu    sync.Mutex
	down  bool
	next  time.Time
	calls int
	rates []float64
}

func (f *fakeShared) Reserve(ctx context.Context, label RateLabel, perSecond float64) (time.Duration, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	if f.down {
		return 0, errors.New("dial tcp 127.0.0.1:6379: connection refused")
	}
	f.rates = append(f.rates, perSecond)
	now := time.Now()
	if f.next.Before(now) {
		f.next = now
	}
	wait := f.next.Sub(now)
	f.next = f.next.Add(time.Duration(float64(time.Second) / perSecond))
	return wait, nil
}

func TestSharedLimiterFailsOpenToLocalPacing(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var logs bytes.Buffer
		shared := &fakeShared{}
		wc := &windowCounter{}
		rt := &fakeRT{steps: []func(*http.Request) (*http.Response, error){wc.step}}
		c := newFakeClient(t, rt,
			WithLogger(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelWarn}))),
			WithRatePacing(PacingPolicy{Plan: PlanFree, Shared: shared})) // LIGHT 4/s: 3.8/s paced
		for range 4 {
			_, _, err := callGet(t.Context(), c)
			require.NoError(t, err)
		}
		assert.Equal(t, 4, shared.calls)
		assert.Equal(t, []float64{3.8, 3.8, 3.8, 3.8}, shared.rates, "the client's pace is passed to the shared limiter")
		assert.Empty(t, logs.String())

		shared.mu.Lock()
		shared.down = true
		shared.mu.Unlock()
		start := time.Now()
		for range 8 {
			_, _, err := callGet(t.Context(), c)
			require.NoError(t, err, "Redis down: calls go on")
		}
		assert.GreaterOrEqual(t, time.Since(start), 7*time.Second/38*10, "paced locally while the shared limiter is down")
		assert.Equal(t, 1, strings.Count(logs.String(), "shared rate limiter unavailable"), "one log line per outage: %s", logs.String())
		assert.NotContains(t, logs.String(), "tok-1")

		shared.mu.Lock()
		shared.down = false
		shared.mu.Unlock()
		_, _, err := callGet(t.Context(), c)
		require.NoError(t, err)
		assert.Equal(t, 1, strings.Count(logs.String(), "shared rate limiter is back"))
	})
}
