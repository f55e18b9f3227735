package exkit

import (
	"sync"
	"time"
)

// Clock is the clock of a scripted offline flow. Give it to everything
// that reads time: the fake Zoom (zoomtest.WithClock: token expiry, webhook
// timestamps), the token source (oauth.WithClock: when to refresh), the
// OAuth handlers (oauth.WithHandlerClock), the webhook verifier
// (webhook.WithClock: its timestamp window must move with the fake's
// signatures) and the outbox (OutboxMailer.Now), each as its Now method.
// Then the flow can let an hour pass in an instant.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// TimeSource is what an example reads its time from: a *Clock in a
// scripted flow, nil for the real clock. The clock options of oauth,
// webhook and zoomtest take its Now method.
type TimeSource interface{ Now() time.Time }

// NewClock returns a Clock standing at start.
func NewClock(start time.Time) *Clock { return &Clock{now: start} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock forward by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// Set moves the clock to t; it never moves backwards.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if t.After(c.now) {
		c.now = t
	}
}
