package main

import (
	"sync"
	"time"
)

// flowClock is the clock of the scripted offline flow. The fake Zoom (token
// expiry, webhook timestamps), the token source (when to refresh), the
// webhook verifier (timestamp tolerance) and the outbox all read it, so that
// the flow can let an hour pass in an instant.
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

// After waits on the real clock. The token source only waits while another
// process holds a refresh lease, which never happens in the flow; a real
// wait keeps such a wait bounded even though nobody advances this clock.
func (c *flowClock) After(d time.Duration) <-chan time.Time { return time.After(d) }

// Advance moves the clock forward by d.
func (c *flowClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}
