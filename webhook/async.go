package webhook

import (
	"context"
	"fmt"
	"log/slog"
	mrand "math/rand/v2"
	"net/http"
	"strings"
	"time"

	"github.com/zoomkit/zoomkit/webhook/queue"
)

// WithQueue puts the Handler in asynchronous mode: a verified, deduplicated event that has a
// registered function is written to q and answered 200 at once, instead of being handled within
// the request. A Worker on the same queue (in this process or another) runs the functions. If q
// fails, the dedup claim is released and the request answered 503, so that Zoom retries. See the
// package documentation, Asynchronous mode.
func WithQueue(q queue.Queue) HandlerOption {
	return func(h *Handler) error {
		if q == nil {
			return fmt.Errorf("%w: nil Queue", ErrInvalidOption)
		}
		h.queue = q
		return nil
	}
}

// WithOrderKey sets the function computing an event's ordering key in asynchronous mode (default
// OrderKey): events with the same key are handled one at a time, in event_ts order. Subject is a
// finer choice (one participant's events rather than a whole meeting's), with more parallelism.
// An empty key falls back to the event name.
func WithOrderKey(f KeyFunc) HandlerOption {
	return func(h *Handler) error {
		if f == nil {
			return fmt.Errorf("%w: nil order KeyFunc", ErrInvalidOption)
		}
		h.orderKey = f
		return nil
	}
}

// WithMetrics makes the Handler, and the Workers running its functions, report to m (default:
// nothing). Counters is an implementation that also serves expvar.
func WithMetrics(m Metrics) HandlerOption {
	return func(h *Handler) error {
		if m == nil {
			return fmt.Errorf("%w: nil Metrics", ErrInvalidOption)
		}
		h.metrics = m
		return nil
	}
}

// OrderKey is the default ordering key of the asynchronous mode: the meeting, webinar or other
// object the event is about, by the Sequencer's rules (payload.object.uuid, else its id), without
// the participant or registrant; events without an object are ordered per event name. So every
// event of one meeting instance is handled in event_ts order.
func OrderKey(e *Event) string {
	obj, ok := member(e.Payload, "object")
	if ok && len(obj) > 0 && obj[0] == '{' {
		for _, k := range [...]string{"uuid", "id"} {
			if v, ok := member(obj, k); ok {
				if s := scalar(v); s != "" {
					return k + "=" + s
				}
			}
		}
	}
	return e.Name
}

// enqueue writes e to the Handler's queue and returns the status answering it: 200 when it is
// queued, else 503 after releasing its dedup claim (key) and replay claim, so that Zoom retries.
// With failOpen (a source without redelivery) an event that cannot be queued is handled at once
// by fn instead.
func (h *Handler) enqueue(ctx context.Context, e *Event, key string, failOpen bool, fn HandlerFunc, vr verified) int {
	ok := h.orderKey(e)
	if ok == "" {
		ok = e.Name
	}
	err := h.queue.Enqueue(ctx, queue.Message{Key: ok, EventTS: e.Timestamp, Body: e.Raw})
	if err == nil {
		h.metrics.EventQueued(e.Name)
		return http.StatusOK
	}
	if failOpen && ctx.Err() == nil {
		h.log(ctx, "webhook: queue failed, handling the event at once", e.Name, err)
		return h.runNow(ctx, e, key, fn, vr)
	}
	h.log(ctx, "webhook: queue failed", e.Name, err)
	h.releaseClaims(ctx, e.Name, key, vr)
	return http.StatusServiceUnavailable
}

// Metrics receives the counters of the asynchronous mode. Its methods must be fast and safe for
// concurrent use; event is the event name (a bounded set, fit for a metric label).
type Metrics interface {
	// EventQueued is called when the Handler queued an event.
	EventQueued(event string)
	// EventStarted is called when a Worker starts running a function (one more in flight).
	EventStarted(event string)
	// EventFinished is called when that function returned (one fewer in flight), after d, with
	// its error.
	EventFinished(event string, d time.Duration, err error)
	// EventRetried is called when a failed event was put back for a retry.
	EventRetried(event string)
	// EventDeadLettered is called when an event was given up on.
	EventDeadLettered(event string)
}

type noMetrics struct{}

func (noMetrics) EventQueued(string)                         {}
func (noMetrics) EventStarted(string)                        {}
func (noMetrics) EventFinished(string, time.Duration, error) {}
func (noMetrics) EventRetried(string)                        {}
func (noMetrics) EventDeadLettered(string)                   {}

// Worker defaults.
const (
	DefaultWorkerConcurrency = 8
	DefaultVisibilityTimeout = 5 * time.Minute
	DefaultMaxAttempts       = 8
	DefaultRetryBackoff      = time.Second
	DefaultMaxRetryBackoff   = 5 * time.Minute
	DefaultPollInterval      = time.Second
	DefaultShutdownGrace     = 30 * time.Second
)

// settleTimeout bounds an Ack, Nack or DeadLetter after the function returned.
const settleTimeout = 30 * time.Second

// maxErrorText bounds the error text stored with a retried or dead-lettered event.
const maxErrorText = 4096

// A Worker takes events from a queue and runs the functions registered on a Handler for them:
// the other half of the asynchronous mode (see WithQueue and the package documentation). Any
// number of Workers, in any number of processes, may share a queue. Create one with NewWorker and
// call Run.
type Worker struct {
	h           *Handler
	q           queue.Queue
	concurrency int
	visibility  time.Duration
	maxAttempts int
	minBackoff  time.Duration
	maxBackoff  time.Duration
	poll        time.Duration
	grace       time.Duration
}

// A WorkerOption configures a Worker.
type WorkerOption func(*Worker) error

// WithConcurrency sets how many events a Worker handles at once (default
// DefaultWorkerConcurrency): events of different keys run in parallel. n must be positive.
func WithConcurrency(n int) WorkerOption {
	return func(w *Worker) error {
		if n <= 0 {
			return fmt.Errorf("%w: concurrency must be positive", ErrInvalidOption)
		}
		w.concurrency = n
		return nil
	}
}

// WithVisibilityTimeout sets how long a claimed event is hidden from other Workers (default
// DefaultVisibilityTimeout). It is also the deadline of the function's context: an event whose
// Worker died is handled again once it passes. d must be positive.
func WithVisibilityTimeout(d time.Duration) WorkerOption {
	return func(w *Worker) error {
		if d <= 0 {
			return fmt.Errorf("%w: visibility timeout must be positive", ErrInvalidOption)
		}
		w.visibility = d
		return nil
	}
}

// WithRetry sets how many attempts an event gets (default DefaultMaxAttempts) and the backoff
// between them: minBackoff doubled per attempt, capped at maxBackoff, with jitter in [d/2, d]
// (defaults DefaultRetryBackoff and DefaultMaxRetryBackoff). After the last attempt fails the
// event is dead-lettered. Needs attempts >= 1 and 0 < minBackoff <= maxBackoff.
func WithRetry(attempts int, minBackoff, maxBackoff time.Duration) WorkerOption {
	return func(w *Worker) error {
		if attempts < 1 || minBackoff <= 0 || maxBackoff < minBackoff {
			return fmt.Errorf("%w: retry needs attempts >= 1 and 0 < min backoff <= max backoff", ErrInvalidOption)
		}
		w.maxAttempts, w.minBackoff, w.maxBackoff = attempts, minBackoff, maxBackoff
		return nil
	}
}

// WithPollInterval sets how long an idle Worker waits before asking the queue again (default
// DefaultPollInterval). Workers of a queue.Notifier (such as queue.Memory) are also woken by it,
// and every Worker is woken when one of its own events is settled. d must be positive.
func WithPollInterval(d time.Duration) WorkerOption {
	return func(w *Worker) error {
		if d <= 0 {
			return fmt.Errorf("%w: poll interval must be positive", ErrInvalidOption)
		}
		w.poll = d
		return nil
	}
}

// WithShutdownGrace sets how long Run lets running functions finish once its context ends
// (default DefaultShutdownGrace). Then their contexts are cancelled, and events whose functions
// still fail are released to the queue for another Worker. d must not be negative.
func WithShutdownGrace(d time.Duration) WorkerOption {
	return func(w *Worker) error {
		if d < 0 {
			return fmt.Errorf("%w: shutdown grace must not be negative", ErrInvalidOption)
		}
		w.grace = d
		return nil
	}
}

// NewWorker returns a Worker running h's registered functions for the events in q. It logs and
// counts through h's logger and metrics.
func NewWorker(h *Handler, q queue.Queue, opts ...WorkerOption) (*Worker, error) {
	if h == nil {
		return nil, fmt.Errorf("%w: nil Handler", ErrInvalidOption)
	}
	if q == nil {
		return nil, fmt.Errorf("%w: nil Queue", ErrInvalidOption)
	}
	w := &Worker{
		h: h, q: q,
		concurrency: DefaultWorkerConcurrency,
		visibility:  DefaultVisibilityTimeout,
		maxAttempts: DefaultMaxAttempts,
		minBackoff:  DefaultRetryBackoff,
		maxBackoff:  DefaultMaxRetryBackoff,
		poll:        DefaultPollInterval,
		grace:       DefaultShutdownGrace,
	}
	for _, o := range opts {
		if o == nil {
			return nil, fmt.Errorf("%w: nil option", ErrInvalidOption)
		}
		if err := o(w); err != nil {
			return nil, err
		}
	}
	return w, nil
}

// Run claims events and runs their functions until ctx ends, then stops claiming, lets the
// running functions finish for the shutdown grace, cancels the ones still running, and returns
// ctx's error once every function returned and its event was settled: acked, put back for a
// retry, dead-lettered, or released for another Worker. No goroutine it started outlives it.
func (w *Worker) Run(ctx context.Context) error {
	// Functions run on a context that outlives ctx by the grace period.
	hctx, cancelHandlers := context.WithCancel(context.WithoutCancel(ctx))
	defer cancelHandlers()
	done := make(chan struct{}, w.concurrency)
	running := 0
	failures := 0
	notifier, _ := w.q.(queue.Notifier)
	for ctx.Err() == nil {
		if running == w.concurrency {
			select {
			case <-ctx.Done():
			case <-done:
				running--
			}
			continue
		}
		var changed <-chan struct{}
		if notifier != nil {
			changed = notifier.Changed()
		}
		ds, err := w.q.Claim(ctx, w.concurrency-running, w.visibility)
		if err != nil && ctx.Err() == nil {
			failures++
			w.logf(ctx, slog.LevelWarn, "webhook: queue claim failed", "", slog.String("error", err.Error()))
		} else {
			failures = 0
		}
		for _, d := range ds {
			running++
			go func() {
				defer func() { done <- struct{}{} }()
				w.handle(hctx, d)
			}()
		}
		if len(ds) > 0 {
			continue
		}
		wait := w.poll
		if failures > 0 {
			// The queue is failing: back off, whatever it announces.
			wait = w.backoff(failures, w.poll, max(w.poll, time.Minute))
			changed = nil
		}
		timer := time.NewTimer(wait)
		select {
		case <-ctx.Done():
		case <-changed:
		case <-done:
			running--
		case <-timer.C:
		}
		timer.Stop()
	}
	// Shutdown: let running functions finish, then cancel them.
	grace := time.NewTimer(w.grace)
	defer grace.Stop()
	for running > 0 {
		select {
		case <-done:
			running--
		case <-grace.C:
			cancelHandlers()
		}
	}
	return ctx.Err()
}

// handle runs the function of one claimed event and settles it.
func (w *Worker) handle(ctx context.Context, d queue.Delivery) {
	e, err := ParseEvent(d.Body)
	if err != nil {
		w.deadLetter(ctx, d, "", fmt.Errorf("webhook: queued body is not an event: %w", err))
		return
	}
	fn := w.h.route(e.Name)
	if fn == nil {
		w.deadLetter(ctx, d, e.Name, fmt.Errorf("webhook: no function registered for %s in this worker", e.Name))
		return
	}
	m := w.h.metrics
	m.EventStarted(e.Name)
	fctx, cancel := context.WithTimeout(context.WithValue(ctx, deliveryKey{}, d), w.visibility)
	start := time.Now()
	err = run(fctx, fn, e)
	elapsed := time.Since(start)
	cancel()
	m.EventFinished(e.Name, elapsed, err)
	switch {
	case err == nil:
		sctx, cancel := settleContext(ctx)
		defer cancel()
		if aerr := w.q.Ack(sctx, d); aerr != nil {
			// The claim expired and another Worker has the event, or the queue failed: the event
			// will be handled again (at least once).
			w.logf(ctx, slog.LevelWarn, "webhook: ack failed", e.Name, slog.String("error", aerr.Error()),
				slog.String("id", d.ID))
		}
	case ctx.Err() != nil:
		// Shutting down: release the event for another Worker.
		sctx, cancel := settleContext(ctx)
		defer cancel()
		if nerr := w.q.Nack(sctx, d, 0, errorText(fmt.Errorf("worker stopped: %w", err))); nerr != nil {
			w.logf(ctx, slog.LevelWarn, "webhook: release failed", e.Name, slog.String("error", nerr.Error()),
				slog.String("id", d.ID))
			return
		}
		w.logf(ctx, slog.LevelInfo, "webhook: event released at shutdown", e.Name, slog.String("id", d.ID))
	case d.Attempt >= w.maxAttempts:
		w.deadLetter(ctx, d, e.Name, err)
	default:
		wait := w.backoff(d.Attempt, w.minBackoff, w.maxBackoff)
		sctx, cancel := settleContext(ctx)
		defer cancel()
		if nerr := w.q.Nack(sctx, d, wait, errorText(err)); nerr != nil {
			w.logf(ctx, slog.LevelWarn, "webhook: handler failed, retry not scheduled", e.Name,
				slog.String("error", err.Error()), slog.String("queue_error", nerr.Error()),
				slog.String("id", d.ID), slog.Int("attempt", d.Attempt))
			return
		}
		m.EventRetried(e.Name)
		w.logf(ctx, slog.LevelWarn, "webhook: handler failed, will retry", e.Name,
			slog.String("error", err.Error()), slog.String("id", d.ID), slog.Int("attempt", d.Attempt),
			slog.Duration("retry_in", wait))
	}
}

func (w *Worker) deadLetter(ctx context.Context, d queue.Delivery, event string, err error) {
	sctx, cancel := settleContext(ctx)
	defer cancel()
	if derr := w.q.DeadLetter(sctx, d, errorText(err)); derr != nil {
		w.logf(ctx, slog.LevelError, "webhook: dead-lettering failed", event, slog.String("error", err.Error()),
			slog.String("queue_error", derr.Error()), slog.String("id", d.ID), slog.Int("attempt", d.Attempt))
		return
	}
	w.h.metrics.EventDeadLettered(event)
	w.logf(ctx, slog.LevelError, "webhook: event dead-lettered", event, slog.String("error", err.Error()),
		slog.String("id", d.ID), slog.Int("attempt", d.Attempt))
}

type deliveryKey struct{}

// DeliveryFromContext returns the queue delivery a Worker is running a function for: its
// attempt (1 on the first), the previous attempt's error, when it was queued. ok is false outside
// a Worker (in synchronous mode). The delivery's Body holds the raw event, which may contain
// secrets: do not log it.
func DeliveryFromContext(ctx context.Context) (d queue.Delivery, ok bool) {
	d, ok = ctx.Value(deliveryKey{}).(queue.Delivery)
	return d, ok
}

// settleContext is the context of a settle call: it survives the shutdown of the functions'
// context, bounded by settleTimeout.
func settleContext(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.WithoutCancel(ctx), settleTimeout)
}

// backoff returns the wait before attempt n+1: base doubled per attempt, capped at maxWait, with
// jitter in [d/2, d].
func (w *Worker) backoff(n int, base, maxWait time.Duration) time.Duration {
	d := base
	for i := 1; i < n && d < maxWait; i++ {
		d *= 2
	}
	d = min(d, maxWait)
	return d/2 + mrand.N(d/2+1)
}

func errorText(err error) string {
	s := err.Error()
	if len(s) > maxErrorText {
		s = strings.ToValidUTF8(s[:maxErrorText], "")
	}
	return s
}

func (w *Worker) logf(ctx context.Context, level slog.Level, msg, event string, attrs ...slog.Attr) {
	if w.h.logger == nil {
		return
	}
	if event != "" {
		attrs = append(attrs, slog.String("event", event))
	}
	w.h.logger.LogAttrs(ctx, level, msg, attrs...)
}
