package zoom

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// windowCounter records request times and checks no one-second window
// holds more than limit requests.
type windowCounter struct {
	mu    sync.Mutex
	times []time.Time
}

func (w *windowCounter) step(r *http.Request) (*http.Response, error) {
	w.mu.Lock()
	w.times = append(w.times, time.Now())
	w.mu.Unlock()
	return respond(200, nil, meetingJSON)(r)
}

func (w *windowCounter) maxInWindow(d time.Duration) int {
	w.mu.Lock()
	defer w.mu.Unlock()
	best := 0
	for i := range w.times {
		n := 0
		for j := i; j < len(w.times) && w.times[j].Sub(w.times[i]) < d; j++ {
			n++
		}
		best = max(best, n)
	}
	return best
}

func TestRatePacingKeepsUnderLimit(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		wc := &windowCounter{}
		rt := &fakeRT{steps: []func(*http.Request) (*http.Response, error){wc.step}}
		c := newFakeClient(t, rt, WithRatePacing(PacingPolicy{Plan: PlanFree}))
		heavy := &operation{Method: "GET", Path: "/report/daily", ID: "reportDaily", Rate: RateHeavy}
		start := time.Now()
		var wg sync.WaitGroup
		for range 20 {
			wg.Add(2)
			go func() { defer wg.Done(); _, _, _ = callGet(t.Context(), c) }() // LIGHT: 4/s on Free
			go func() { defer wg.Done(); _, _ = c.call(t.Context(), heavy, "/report/daily", nil, nil, nil) }()
		}
		wg.Wait()
		require.Equal(t, 40, rt.count(), "requests = %d", rt.count())
		// 20 LIGHT at 3.8/s and 20 HEAVY at 0.95/s in parallel: HEAVY sets the pace.
		el := time.Since(start)
		require.GreaterOrEqual(t, el, 19*time.Second, "took %v, want about 20s (HEAVY at 0.95/s)", el)
		require.LessOrEqual(t, el, 21*time.Second, "took %v, want about 20s (HEAVY at 0.95/s)", el)
	})
}

func TestRatePacingWindows(t *testing.T) {
	for _, plan := range []Plan{PlanFree, PlanPro, PlanBusiness} {
		t.Run(plan.String(), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				wc := &windowCounter{}
				rt := &fakeRT{steps: []func(*http.Request) (*http.Response, error){wc.step}}
				c := newFakeClient(t, rt, WithRatePacing(PacingPolicy{Plan: plan}))
				limit := int(plan.Limits()[RateLight])
				n := 3 * limit
				start := time.Now()
				var wg sync.WaitGroup
				for range n {
					wg.Go(func() { _, _, _ = callGet(t.Context(), c) })
				}
				wg.Wait()
				got := wc.maxInWindow(time.Second)
				require.LessOrEqual(t, got, limit, "%d requests in one second, limit %d", got, limit)
				// Throughput at least 90% of the limit.
				el := time.Since(start)
				require.GreaterOrEqual(t, float64(n)/el.Seconds(), 0.9*float64(limit), "%d requests in %v: under 90%% of %d/s", n, el, limit)
			})
		})
	}
}

func TestRatePacingHonoursContext(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		rt := &fakeRT{steps: []func(*http.Request) (*http.Response, error){respond(200, nil, meetingJSON)}}
		c := newFakeClient(t, rt, WithRatePacing(PacingPolicy{Plan: PlanFree, Limits: map[RateLabel]float64{RateLight: 0.1}}))
		_, _, err := callGet(t.Context(), c)
		require.NoError(t, err)
		ctx, cancel := context.WithTimeout(t.Context(), time.Second)
		defer cancel()
		start := time.Now()
		_, _, err = callGet(ctx, c)
		require.ErrorIs(t, err, context.DeadlineExceeded, "err = %v", err)
		require.LessOrEqual(t, time.Since(start), time.Second, "waited %v, %d requests", time.Since(start), rt.count())
		require.Equal(t, 1, rt.count(), "waited %v, %d requests", time.Since(start), rt.count())
	})
}

func TestRatePacingValidation(t *testing.T) {
	for _, p := range []PacingPolicy{{}, {Plan: 9}, {Plan: PlanPro, Headroom: 1.5}, {Plan: PlanPro, Limits: map[RateLabel]float64{RateLight: 0}}} {
		_, err := NewClient(WithHTTPClient(http.DefaultClient), WithRatePacing(p))
		assert.Error(t, err, "%+v accepted", p)
	}
}
