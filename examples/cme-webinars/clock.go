package main

import (
	"sync"
	"time"
)

// flowClock is the clock of the scripted offline flow. The fake Zoom
// (participant join and leave times, token expiry, webhook timestamps), the
// token source, the webhook verifier, the attendance records and the outbox
// all read it, so the flow can run a one-hour webinar in an instant and
// every duration it measures is exact.
type flowClock struct {
	mu  sync.Mutex
	now time.Time
}

func newFlowClock(start time.Time) *flowClock { return &flowClock{now: start} }

// Now returns the clock's time.
func (c *flowClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// After waits on the real clock. The token source waits only while another
// process holds a refresh lease, which never happens in the flow.
func (c *flowClock) After(d time.Duration) <-chan time.Time { return time.After(d) }

// Advance moves the clock forward by d.
func (c *flowClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// Set moves the clock to t (never backwards).
func (c *flowClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if t.After(c.now) {
		c.now = t
	}
}
