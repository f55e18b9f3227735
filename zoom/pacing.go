package zoom

import (
	"context"
	"fmt"
	"net/http"

	"golang.org/x/time/rate"
)

// Plan is a Zoom account plan, for rate-limit pacing. Zoom's per-second
// limits depend on the plan of the account the calls are made for.
type Plan int

// Zoom plans with distinct rate limits.
const (
	PlanFree     Plan = iota + 1 // Light 4/s, Medium 2/s, Heavy 1/s, Resource-intensive 10/min
	PlanPro                      // Light 30/s, Medium 20/s, Heavy 10/s, Resource-intensive 10/min
	PlanBusiness                 // Business, Education, Enterprise, Partner: Light 80/s, Medium 60/s, Heavy 40/s, Resource-intensive 20/min
)

// String names the plan.
func (p Plan) String() string {
	switch p {
	case PlanFree:
		return "Free"
	case PlanPro:
		return "Pro"
	case PlanBusiness:
		return "Business+"
	}
	return fmt.Sprintf("Plan(%d)", int(p))
}

// Limits returns Zoom's published per-second limits of the plan, per
// label, in requests per second (Resource-intensive limits are per minute,
// so they come out as a fraction).
func (p Plan) Limits() map[RateLabel]float64 {
	switch p {
	case PlanFree:
		return map[RateLabel]float64{RateLight: 4, RateMedium: 2, RateHeavy: 1, RateResourceIntensive: 10.0 / 60}
	case PlanPro:
		return map[RateLabel]float64{RateLight: 30, RateMedium: 20, RateHeavy: 10, RateResourceIntensive: 10.0 / 60}
	case PlanBusiness:
		return map[RateLabel]float64{RateLight: 80, RateMedium: 60, RateHeavy: 40, RateResourceIntensive: 20.0 / 60}
	}
	return nil
}

// PacingPolicy configures client-side rate-limit pacing (see
// [WithRatePacing]).
type PacingPolicy struct {
	// Plan selects Zoom's published limits.
	Plan Plan
	// Headroom is the share of each limit the client uses, in (0, 1].
	// Zero means 0.95: requests are spaced so that no window of one second
	// holds more than the limit, at 95% of the limit's throughput.
	Headroom float64
	// Limits overrides the plan's figure for some labels, in requests per
	// second (for accounts whose limits Zoom raised).
	Limits map[RateLabel]float64
}

// WithRatePacing turns on client-side pacing: requests wait, per rate-limit
// label, so that the client stays under Zoom's per-second limits for the
// plan instead of collecting 429s. The pace is shared by every goroutine
// using the Client (calls are counted per label across the account, so
// give one Client per account). Waiting honours the request's context.
// A 429 that still arrives (other apps share the account's budget) is
// retried as usual.
func WithRatePacing(p PacingPolicy) Option {
	return func(c *config) error {
		if p.Plan.Limits() == nil {
			return fmt.Errorf("zoom: WithRatePacing: unknown plan %v", p.Plan)
		}
		if p.Headroom < 0 || p.Headroom > 1 {
			return fmt.Errorf("zoom: WithRatePacing: headroom %v is outside (0, 1]", p.Headroom)
		}
		for l, v := range p.Limits {
			if v <= 0 {
				return fmt.Errorf("zoom: WithRatePacing: limit for %s must be positive", l)
			}
		}
		c.pacing = &p
		return nil
	}
}

// pacer spaces requests per rate label.
type pacer struct {
	limiters map[RateLabel]*rate.Limiter
}

func newPacer(p PacingPolicy) *pacer {
	head := p.Headroom
	if head == 0 {
		head = 0.95
	}
	limits := p.Plan.Limits()
	for l, v := range p.Limits {
		limits[l] = v
	}
	pc := &pacer{limiters: make(map[RateLabel]*rate.Limiter, len(limits))}
	for l, v := range limits {
		// Burst 1 and a spacing of 1/(headroom*limit) keep every one-second
		// window at or under the limit.
		pc.limiters[l] = rate.NewLimiter(rate.Limit(v*head), 1)
	}
	return pc
}

func (p *pacer) wait(ctx context.Context, label RateLabel) error {
	lim := p.limiters[label]
	if lim == nil {
		lim = p.limiters[RateMedium]
	}
	if err := lim.Wait(ctx); err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil {
			return ctxErr
		}
		// rate.Limiter reports a wait beyond the deadline at once.
		return fmt.Errorf("%w: waiting for the %s rate-limit pace would pass the context deadline", context.DeadlineExceeded, label)
	}
	return nil
}

// pacingTransport waits for the operation's pace before every attempt,
// retries included.
type pacingTransport struct {
	next  http.RoundTripper
	pacer *pacer
}

func (t pacingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if st := stateOf(r.Context()); st != nil && st.op.Rate != "" {
		if err := t.pacer.wait(r.Context(), st.op.Rate); err != nil {
			if r.Body != nil {
				_ = r.Body.Close()
			}
			return nil, err
		}
	}
	return t.next.RoundTrip(r)
}
