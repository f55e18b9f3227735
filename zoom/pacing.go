package zoom

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

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
	// Shared, when set, paces the requests of every process of the app
	// together (Zoom counts the calls of an account, whichever replica
	// makes them): see package zoom/redislimit. When it fails, the client
	// falls back to pacing alone and logs it (at warn level, once per
	// outage).
	Shared SharedLimiter
}

// SharedLimiter spaces requests across processes. Reserve takes the next
// slot for one request of label at perSecond requests per second for all
// processes together, and returns how long to wait before sending it.
// The pace passed in is the client's own (AIMD-adjusted) pace for the
// label.
type SharedLimiter interface {
	Reserve(ctx context.Context, label RateLabel, perSecond float64) (time.Duration, error)
}

// WithRatePacing turns on client-side pacing: requests wait, per rate-limit
// label, so that the client stays under Zoom's per-second limits for the
// plan instead of collecting 429s. The pace is shared by every goroutine
// using the Client (calls are counted per label across the account, so
// give one Client per account). Waiting honours the request's context.
//
// Requests are spread evenly within the second, and the pace learns from
// Zoom's answers: a per-second 429, or a success that spent the last
// request of a per-second X-RateLimit-Limit (X-RateLimit-Remaining: 0),
// multiplies the label's pace by 0.9 (once per second); each second
// without one adds 5% of the ceiling back, up to Headroom × the limit. A
// per-second 429 naming a lower X-RateLimit-Limit than configured lowers
// the ceiling. A 429 that still arrives (other apps share the account's
// budget) is retried as usual. BenchmarkRatePacing measures the share of
// the limit reached and the 429s, under load, latency jitter and CPU
// starvation.
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

// pacer spaces requests per rate label, and learns from Zoom's answers:
// a per-second 429 lowers the label's pace (multiplicative decrease), each
// second without one raises it again (additive increase) up to its
// ceiling, headroom × limit; a 429 that names a per-second limit lower than
// the configured one lowers the ceiling.
type pacer struct {
	labels  map[RateLabel]*labelPace
	shared  SharedLimiter
	logger  *slog.Logger
	failing atomic.Bool // the shared limiter failed last time
}

// AIMD parameters. A 429 multiplies the pace by aimdDecrease, at most once
// per aimdHold (the 429s of one crowded second are one signal); each
// second after that adds aimdIncrease × ceiling; the pace never goes under
// aimdFloor × ceiling.
const (
	aimdDecrease = 0.9
	aimdIncrease = 0.05
	aimdFloor    = 0.2
	aimdHold     = time.Second
)

// labelPace is the pace of one rate label.
type labelPace struct {
	lim       *rate.Limiter // burst 1: requests spread evenly over the second
	limit     float64       // the configured limit, requests per second
	headroom  float64
	mu        sync.Mutex
	ceiling   float64   // requests per second: headroom × the limit
	cur       float64   // the pace now, in (aimdFloor × ceiling, ceiling]
	changed   time.Time // when cur last changed (or the last increase step)
	decreased time.Time // the last decrease
	throttles int64     // 429s that decreased the pace, for tests
}

func newLabelPace(limit, headroom float64, now time.Time) *labelPace {
	c := limit * headroom
	return &labelPace{lim: rate.NewLimiter(rate.Limit(c), 1), limit: limit, headroom: headroom, ceiling: c, cur: c, changed: now}
}

func newPacer(p PacingPolicy, logger *slog.Logger) *pacer {
	head := p.Headroom
	if head == 0 {
		head = 0.95
	}
	limits := p.Plan.Limits()
	for l, v := range p.Limits {
		limits[l] = v
	}
	now := time.Now()
	pc := &pacer{labels: make(map[RateLabel]*labelPace, len(limits)), shared: p.Shared, logger: logger}
	for l, v := range limits {
		pc.labels[l] = newLabelPace(v, head, now)
	}
	return pc
}

func (p *pacer) label(label RateLabel) *labelPace {
	if lp := p.labels[label]; lp != nil {
		return lp
	}
	return p.labels[RateMedium]
}

func (p *pacer) wait(ctx context.Context, label RateLabel) error {
	lp := p.label(label)
	if p.shared != nil {
		d, err := p.shared.Reserve(ctx, label, lp.pace())
		if err == nil {
			if p.failing.CompareAndSwap(true, false) {
				p.logger.WarnContext(ctx, "zoom: shared rate limiter is back; pacing with the other replicas again")
			}
			if err := sleep(ctx, d); err != nil {
				return err
			}
			return nil
		}
		if ctxErr := ctx.Err(); ctxErr != nil {
			return ctxErr
		}
		if p.failing.CompareAndSwap(false, true) {
			p.logger.WarnContext(ctx, "zoom: shared rate limiter unavailable; pacing this process alone", "error", err)
		}
	}
	if err := lp.lim.Wait(ctx); err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil {
			return ctxErr
		}
		// rate.Limiter reports a wait beyond the deadline at once.
		return fmt.Errorf("%w: waiting for the %s rate-limit pace would pass the context deadline", context.DeadlineExceeded, label)
	}
	return nil
}

// observe learns from an answer to a request of the label.
func (p *pacer) observe(label RateLabel, resp *http.Response, now time.Time) {
	lp := p.label(label)
	rl := parseRateLimit(resp.Header, now)
	if resp.StatusCode != http.StatusTooManyRequests {
		if rl.Remaining == 0 && rl.Limit > 0 && float64(rl.Limit) <= 2*lp.limit {
			// The answer spent the last request of a per-second budget
			// (Zoom's daily budgets have limits in the thousands): the
			// next one this second would be refused. Slow down now.
			lp.throttled(rl, now)
			return
		}
		lp.recover(now)
		return
	}
	if rl.daily() {
		return // a daily budget: pace has nothing to do with it
	}
	lp.throttled(rl, now)
}

// recover raises the pace by aimdIncrease × ceiling per whole second since
// the last change, up to the ceiling.
func (lp *labelPace) recover(now time.Time) {
	lp.mu.Lock()
	defer lp.mu.Unlock()
	if lp.cur >= lp.ceiling {
		lp.changed = now
		return
	}
	steps := int(now.Sub(lp.changed) / time.Second)
	if steps <= 0 {
		return
	}
	lp.cur = min(lp.ceiling, lp.cur+float64(steps)*aimdIncrease*lp.ceiling)
	lp.changed = lp.changed.Add(time.Duration(steps) * time.Second)
	lp.lim.SetLimitAt(now, rate.Limit(lp.cur))
}

// throttled lowers the pace after a per-second 429, once per aimdHold,
// and the ceiling when the 429 names a per-second limit under it.
func (lp *labelPace) throttled(rl RateLimit, now time.Time) {
	lp.mu.Lock()
	defer lp.mu.Unlock()
	if strings.EqualFold(rl.Type, "QPS") && rl.Limit > 0 {
		if c := float64(rl.Limit) * lp.headroom; c < lp.ceiling {
			lp.ceiling = c
			lp.cur = min(lp.cur, c)
		}
	}
	if !lp.decreased.IsZero() && now.Sub(lp.decreased) < aimdHold {
		lp.lim.SetLimitAt(now, rate.Limit(lp.cur))
		return
	}
	lp.throttles++
	lp.cur = max(lp.cur*aimdDecrease, aimdFloor*lp.ceiling)
	lp.decreased, lp.changed = now, now
	lp.lim.SetLimitAt(now, rate.Limit(lp.cur))
}

// pace returns the label's pace now, in requests per second.
func (lp *labelPace) pace() float64 {
	lp.mu.Lock()
	defer lp.mu.Unlock()
	return lp.cur
}

// pacingTransport waits for the operation's pace before every attempt,
// retries included, and tells the pacer how Zoom answered.
type pacingTransport struct {
	next  http.RoundTripper
	pacer *pacer
}

func (t pacingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	st := stateOf(r.Context())
	if st == nil || st.op.Rate == "" {
		return t.next.RoundTrip(r)
	}
	if err := t.pacer.wait(r.Context(), st.op.Rate); err != nil {
		if r.Body != nil {
			_ = r.Body.Close()
		}
		return nil, err
	}
	resp, err := t.next.RoundTrip(r)
	if err == nil {
		t.pacer.observe(st.op.Rate, resp, time.Now())
	}
	return resp, err
}
