package webhook

import (
	"encoding/json"
	"expvar"
	"sync"
	"sync/atomic"
	"time"
)

// Counters is a Metrics keeping totals in memory, for an app to export as it likes: read them
// with Snapshot, or publish them with expvar (expvar.Publish("zoom_webhooks", c.Var())). It is
// safe for concurrent use; the zero value is ready.
type Counters struct {
	queued, finished, failed, retried, deadLettered atomic.Int64
	inFlight                                        atomic.Int64
	latencyNanos                                    atomic.Int64

	mu      sync.Mutex
	maxLate time.Duration
}

var _ Metrics = (*Counters)(nil)

// CountersSnapshot is the state of a Counters at one moment.
type CountersSnapshot struct {
	// Queued counts events the Handler queued.
	Queued int64 `json:"queued"`
	// InFlight is how many functions are running now.
	InFlight int64 `json:"in_flight"`
	// Finished counts runs of functions that returned, failed ones included; Failed counts
	// those that returned an error (or panicked). Finished-Failed runs succeeded.
	Finished int64 `json:"finished"`
	Failed   int64 `json:"failed"`
	// Retried counts failed events put back for a retry; DeadLettered those given up on.
	Retried      int64 `json:"retried"`
	DeadLettered int64 `json:"dead_lettered"`
	// HandlerTime is the total time functions ran, MaxHandlerTime the longest single run:
	// HandlerTime/Finished is the mean latency.
	HandlerTime    time.Duration `json:"handler_time_ns"`
	MaxHandlerTime time.Duration `json:"max_handler_time_ns"`
}

// EventQueued implements Metrics.
func (c *Counters) EventQueued(string) { c.queued.Add(1) }

// EventStarted implements Metrics.
func (c *Counters) EventStarted(string) { c.inFlight.Add(1) }

// EventFinished implements Metrics.
func (c *Counters) EventFinished(_ string, d time.Duration, err error) {
	c.inFlight.Add(-1)
	c.finished.Add(1)
	if err != nil {
		c.failed.Add(1)
	}
	c.latencyNanos.Add(int64(d))
	c.mu.Lock()
	c.maxLate = max(c.maxLate, d)
	c.mu.Unlock()
}

// EventRetried implements Metrics.
func (c *Counters) EventRetried(string) { c.retried.Add(1) }

// EventDeadLettered implements Metrics.
func (c *Counters) EventDeadLettered(string) { c.deadLettered.Add(1) }

// Snapshot returns the current values.
func (c *Counters) Snapshot() CountersSnapshot {
	c.mu.Lock()
	maxLate := c.maxLate
	c.mu.Unlock()
	return CountersSnapshot{
		Queued:         c.queued.Load(),
		InFlight:       c.inFlight.Load(),
		Finished:       c.finished.Load(),
		Failed:         c.failed.Load(),
		Retried:        c.retried.Load(),
		DeadLettered:   c.deadLettered.Load(),
		HandlerTime:    time.Duration(c.latencyNanos.Load()),
		MaxHandlerTime: maxLate,
	}
}

// Var returns an expvar.Var showing Snapshot as a JSON object, for expvar.Publish.
func (c *Counters) Var() expvar.Var {
	return expvar.Func(func() any { return c.Snapshot() })
}

// String returns Snapshot as JSON.
func (c *Counters) String() string {
	b, _ := json.Marshal(c.Snapshot())
	return string(b)
}
