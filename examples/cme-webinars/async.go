package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/zoomkit/zoomkit/webhook"
	"github.com/zoomkit/zoomkit/webhook/queue"
	"github.com/zoomkit/zoomkit/webhook/queue/pgqueue"
)

// The webhook events are processed asynchronously (webhook's
// asynchronous mode): the endpoint verifies and deduplicates a delivery,
// queues the raw event and answers Zoom 200 at once; two worker replicas
// take the events from the queue and record the attendance. On PostgreSQL
// the queue is a table of the app's database (pgqueue) and each replica
// has its own connection pool, as a replica in its own process has; on
// SQLite (one process) it is an in-memory queue (queue.Memory): pgqueue
// needs PostgreSQL (SKIP LOCKED, advisory locks).

// replicas is how many worker replicas work the queue.
const replicas = 2

// errAttendanceDown is the failure the scripted flow injects into the
// attendance writes (a database that is briefly unavailable).
var errAttendanceDown = errors.New("the attendance database is unavailable")

// events is the app's queue of webhook events and its worker replicas.
type events struct {
	q        queue.Queue
	mem      *queue.Memory // SQLite: the in-process queue
	pg       *pgqueue.Queue
	counters webhook.Counters // queued, in flight, handled, retried, dead-lettered (all replicas)
	dbs      []*sql.DB        // the replicas' own connection pools (PostgreSQL)

	stop context.CancelFunc
	wg   sync.WaitGroup
}

// replicaKey carries the replica number in a function's context.
type replicaKey struct{}

// replicaOf returns the number of the replica running a function (1 or 2).
func replicaOf(ctx context.Context) int {
	n, _ := ctx.Value(replicaKey{}).(int)
	return n
}

// onReplica wraps fn so that its context names replica n.
func onReplica[P any](n int, fn func(context.Context, *webhook.Event, *P) error) func(context.Context, *webhook.Event, *P) error {
	return func(ctx context.Context, e *webhook.Event, p *P) error {
		return fn(context.WithValue(ctx, replicaKey{}, n), e, p)
	}
}

// registerHooks registers the app's webhook functions on h, the handler of
// replica n (0: the endpoint, which only queues).
func (a *app) registerHooks(h *webhook.Handler, n int) {
	h.OnWebinarStarted(onReplica(n, a.onStarted))
	h.OnWebinarParticipantJoined(onReplica(n, a.onJoined))
	h.OnWebinarParticipantLeft(onReplica(n, a.onLeft))
	h.OnWebinarEnded(onReplica(n, a.onEnded))
	h.OnWebinarRegistrationApproved(onReplica(n, a.onApproved))
	h.OnAppDeauthorized(onReplica(n, a.deauthorized))
	// Other events (Zoom also reports the webinars and registrations the
	// platform itself creates) have no function: they are answered 200
	// and not queued.
}

// worked writes what a replica did with an event to the transcript,
// naming the replica and, after a failure, the attempt.
func (a *app) worked(ctx context.Context, event, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	d, ok := webhook.DeliveryFromContext(ctx)
	switch {
	case !ok:
		a.log.Note("webhook %s (verified): %s", event, msg)
	case d.Attempt > 1:
		a.log.OK("%s worked by worker %d, attempt %d (the previous one failed: %s): %s", event, replicaOf(ctx), d.Attempt, d.LastError, msg)
	default:
		a.log.Note("%s worked by worker %d: %s", event, replicaOf(ctx), msg)
	}
}

// injectedFault fails the call when the flow injected a fault (a.faults
// counts the attendance writes still to fail).
func (a *app) injectedFault() error {
	for {
		n := a.faults.Load()
		if n <= 0 {
			return nil
		}
		if a.faults.CompareAndSwap(n, n-1) {
			return errAttendanceDown
		}
	}
}

// metrics reports the queue's counters to the app's Counters and its
// failures to the transcript. replica is 0 for the endpoint.
type metrics struct {
	a       *app
	replica int
}

func (m metrics) EventQueued(event string) { m.a.events.counters.EventQueued(event) }

func (m metrics) EventStarted(event string) { m.a.events.counters.EventStarted(event) }

func (m metrics) EventFinished(event string, d time.Duration, err error) {
	m.a.events.counters.EventFinished(event, d, err)
	if err != nil {
		m.a.log.Fail("%s failed on worker %d: %v", event, m.replica, err)
	}
}

// EventRetried and EventDeadLettered are counted by replicaQueue, before
// the queue records the retry or the dead letter.
func (m metrics) EventRetried(string)      {}
func (m metrics) EventDeadLettered(string) {}

// replicaQueue is the queue as a replica uses it. It counts a retry or a
// dead letter, and writes its transcript line, before the queue records
// it: when drain sees the queue settled, the counters and the transcript
// already say so.
type replicaQueue struct {
	queue.Queue
	a       *app
	replica int
}

// Changed passes the queue's notifications on (queue.Memory has them);
// without them (nil) the Workers poll.
func (q replicaQueue) Changed() <-chan struct{} {
	if n, ok := q.Queue.(queue.Notifier); ok {
		return n.Changed()
	}
	return nil
}

// eventName is the name of a queued event, for the transcript.
func eventName(body []byte) string {
	if e, err := webhook.ParseEvent(body); err == nil {
		return e.Name
	}
	return "event"
}

func (q replicaQueue) Nack(ctx context.Context, d queue.Delivery, retryAfter time.Duration, errText string) error {
	if retryAfter == 0 {
		// The replica is stopping: it releases the event for another.
		return q.Queue.Nack(ctx, d, retryAfter, errText)
	}
	name := eventName(d.Body)
	q.a.events.counters.EventRetried(name)
	q.a.log.Note("%s goes back to the queue, retried after a backoff", name)
	err := q.Queue.Nack(ctx, d, retryAfter, errText)
	if err != nil {
		q.a.log.Fail("putting %s back in the queue failed: it is retried when its claim expires", name)
	}
	return err
}

func (q replicaQueue) DeadLetter(ctx context.Context, d queue.Delivery, errText string) error {
	name := eventName(d.Body)
	q.a.events.counters.EventDeadLettered(name)
	q.a.log.Fail("%s dead-lettered by worker %d after attempt %d: see the Webhook events page", name, q.replica, d.Attempt)
	err := q.Queue.DeadLetter(ctx, d, errText)
	if err != nil {
		q.a.log.Fail("dead-lettering %s failed: it is tried again when its claim expires", name)
	}
	return err
}

// endpointQueue is the queue as the webhook endpoint uses it: it writes
// each event to the transcript before queuing it, so that the line comes
// before the worker's (which may start at once).
type endpointQueue struct {
	queue.Queue
	a *app
}

func (q endpointQueue) Enqueue(ctx context.Context, m queue.Message) error {
	name := eventName(m.Body)
	q.a.log.Note("webhook %s verified and queued; Zoom is answered 200 at once", name)
	err := q.Queue.Enqueue(ctx, m)
	if err != nil {
		q.a.log.Fail("queuing %s failed: Zoom is answered 503 and delivers it again later", name)
	}
	return err
}

// startEvents makes the queue, the endpoint's handler (a.hooks) and the
// replicas, and starts the replicas. They stop when the Env closes.
func (a *app) startEvents(ctx context.Context, v *webhook.Verifier) error {
	ev := &events{}
	a.events = ev
	if a.env.Postgres() {
		q, err := pgqueue.New(a.env.DB)
		if err != nil {
			return err
		}
		if err := q.Migrate(ctx); err != nil {
			return fmt.Errorf("creating the webhook queue: %w", err)
		}
		ev.pg, ev.q = q, q
	} else {
		ev.mem = queue.NewMemory()
		ev.q = ev.mem
	}
	var err error
	if a.hooks, err = webhook.NewHandler(v, webhook.WithDeduper(a.env.Dedup), webhook.WithQueue(endpointQueue{Queue: ev.q, a: a}),
		webhook.WithMetrics(metrics{a: a}), webhook.WithLogger(a.logger)); err != nil {
		return err
	}
	a.registerHooks(a.hooks, 0)

	wopts := []webhook.WorkerOption{webhook.WithConcurrency(4)}
	if a.env.Fake != nil {
		// Offline, the flow waits for the queue after each step: claim
		// and retry at once rather than after Zoom-scale delays.
		wopts = append(wopts, webhook.WithPollInterval(10*time.Millisecond), webhook.WithRetry(4, 10*time.Millisecond, 100*time.Millisecond))
	}
	var workers []*webhook.Worker
	for n := 1; n <= replicas; n++ {
		// Each replica has its handler (the same functions, as in another
		// process) and, on PostgreSQL, its own connections to the queue.
		q := ev.q
		if ev.pg != nil {
			db, err := a.env.OpenReplicaDB(ctx)
			if err != nil {
				ev.close()
				return fmt.Errorf("worker %d: %w", n, err)
			}
			ev.dbs = append(ev.dbs, db)
			if q, err = pgqueue.New(db); err != nil {
				ev.close()
				return err
			}
		}
		h, err := webhook.NewHandler(v, webhook.WithMetrics(metrics{a: a, replica: n}), webhook.WithLogger(a.logger))
		if err != nil {
			ev.close()
			return err
		}
		a.registerHooks(h, n)
		w, err := webhook.NewWorker(h, replicaQueue{Queue: q, a: a, replica: n}, wopts...)
		if err != nil {
			ev.close()
			return err
		}
		workers = append(workers, w)
	}
	rctx, stop := context.WithCancel(context.WithoutCancel(ctx))
	ev.stop = stop
	for _, w := range workers {
		ev.wg.Go(func() { _ = w.Run(rctx) })
	}
	a.env.OnClose(ev.close)
	return nil
}

// close stops the replicas (each finishes or releases what it runs) and
// closes their connections.
func (ev *events) close() {
	if ev.stop != nil {
		ev.stop()
	}
	ev.wg.Wait()
	for _, db := range ev.dbs {
		_ = db.Close()
	}
	ev.dbs = nil
}

// pending counts the events queued, being worked or waiting for a retry
// (not the dead letters).
func (ev *events) pending(ctx context.Context) (int, error) {
	if ev.mem != nil {
		return ev.mem.Len(), nil
	}
	var n int
	err := ev.dbs[0].QueryRowContext(ctx, `SELECT COUNT(*) FROM `+ev.pg.Table()+` WHERE NOT dead`).Scan(&n)
	return n, err
}

// drainTimeout bounds drain.
const drainTimeout = 30 * time.Second

// drain waits until the replicas have worked every queued event (handled
// it or dead-lettered it). Offline, the flow and the fake Zoom's buttons
// call it after each thing Zoom sends, so that the next step sees the
// records; a real platform does not wait.
func (a *app) drain(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, drainTimeout)
	defer cancel()
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	for {
		n, err := a.events.pending(ctx)
		if err != nil {
			return fmt.Errorf("counting the queued webhook events: %w", err)
		}
		if n == 0 {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%d webhook event(s) still queued: %w", n, ctx.Err())
		case <-tick.C:
		}
	}
}

// deadLetters lists the dead-lettered events, oldest first, with the
// event's name (the body is not shown: it may hold secrets).
func (a *app) deadLetters(ctx context.Context) ([]deadLetter, error) {
	dls, err := a.events.q.DeadLetters(ctx, 100)
	if err != nil {
		return nil, err
	}
	out := make([]deadLetter, 0, len(dls))
	for _, d := range dls {
		x := deadLetter{DeadLetter: d, Event: "(not an event)"}
		if e, err := webhook.ParseEvent(d.Body); err == nil {
			x.Event = e.Name
		}
		out = append(out, x)
	}
	return out, nil
}

// deadLetter is a dead-lettered event as the Webhook events page shows it.
type deadLetter struct {
	queue.DeadLetter
	Event string
}
