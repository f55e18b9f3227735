// Package queuetest is the conformance suite for queue.Queue implementations: the queues shipped
// with zoomkit run it, and so should any Queue an application writes.
//
// Call [Run] from a test with a function that returns a fresh, empty queue reading time from the
// clock it is given, so that the suite moves time by hand and never sleeps:
//
//	func TestMyQueue(t *testing.T) {
//		queuetest.Run(t, func(t *testing.T, now func() time.Time) queue.Queue { return newMyQueue(t, now) })
//	}
package queuetest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/zoomkit/zoomkit/webhook/queue"
)

// Option configures [Run].
type Option func(*config)

type config struct {
	goroutines int
	messages   int
}

// WithGoroutines sets how many goroutines the concurrency check uses (default 8).
func WithGoroutines(n int) Option {
	return func(c *config) {
		if n > 1 {
			c.goroutines = n
		}
	}
}

// WithMessages sets how many messages the concurrency check enqueues (default 200).
func WithMessages(n int) Option {
	return func(c *config) {
		if n > 0 {
			c.messages = n
		}
	}
}

// Clock is the suite's hand-moved clock; its Now is what the queue under test is given.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// NewClock returns a Clock at a fixed instant.
func NewClock() *Clock {
	return &Clock{now: time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)}
}

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock forward by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// Run runs the conformance suite against queues returned by newQueue. Each subtest gets its own
// queue; newQueue may register cleanups with t. The queue must read time only from now.
func Run(t *testing.T, newQueue func(t *testing.T, now func() time.Time) queue.Queue, opts ...Option) {
	t.Helper()
	c := config{goroutines: 8, messages: 200}
	for _, o := range opts {
		o(&c)
	}
	tests := []struct {
		name string
		f    func(t *testing.T, q queue.Queue, clk *Clock, c *config)
	}{
		{"ClaimEmpty", testClaimEmpty},
		{"EnqueueClaimAck", testEnqueueClaimAck},
		{"BinaryBody", testBinaryBody},
		{"InvalidArguments", testInvalid},
		{"CancelledContext", testCancelled},
		{"VisibilityTimeout", testVisibility},
		{"NackRetryAfter", testNackRetryAfter},
		{"NackNow", testNackNow},
		{"SettleNeedsTheClaim", testSettleNeedsClaim},
		{"OldestKeyFirst", testOldestFirst},
		{"PerKeyOrder", testPerKeyOrder},
		{"KeyWaitsForRetry", testKeyWaitsForRetry},
		{"LateEarlierEvent", testLateEarlier},
		{"DeadLetterAndReplay", testDeadLetterReplay},
		{"DeadLettersOldestFirst", testDeadLettersOrder},
		{"ConcurrentWorkers", testConcurrent},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			clk := NewClock()
			tc.f(t, newQueue(t, clk.Now), clk, &c)
		})
	}
}

func msg(key string, tsSec int, body string) queue.Message {
	return queue.Message{
		Key:     key,
		EventTS: time.Date(2026, 11, 29, 11, 0, tsSec, 0, time.UTC),
		Body:    []byte(body),
	}
}

func enqueue(t *testing.T, q queue.Queue, ms ...queue.Message) {
	t.Helper()
	for _, m := range ms {
		if err := q.Enqueue(t.Context(), m); err != nil {
			t.Fatalf("Enqueue(%s): %v", m.Body, err)
		}
	}
}

func claim(t *testing.T, q queue.Queue, max int, vis time.Duration) []queue.Delivery {
	t.Helper()
	ds, err := q.Claim(t.Context(), max, vis)
	if err != nil {
		t.Fatalf("Claim: %v", err)
	}
	if len(ds) > max {
		t.Fatalf("Claim(%d) returned %d deliveries", max, len(ds))
	}
	return ds
}

// claimOne claims and expects exactly one delivery with body want.
func claimOne(t *testing.T, q queue.Queue, want string) queue.Delivery {
	t.Helper()
	ds := claim(t, q, 10, time.Minute)
	if len(ds) != 1 || string(ds[0].Body) != want {
		t.Fatalf("Claim = %s, want exactly %s", bodies(ds), want)
	}
	return ds[0]
}

func claimNone(t *testing.T, q queue.Queue, why string) {
	t.Helper()
	if ds := claim(t, q, 10, time.Minute); len(ds) != 0 {
		t.Fatalf("Claim = %s, want nothing: %s", bodies(ds), why)
	}
}

func bodies(ds []queue.Delivery) string {
	var b bytes.Buffer
	b.WriteByte('[')
	for i, d := range ds {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.Write(d.Body)
	}
	b.WriteByte(']')
	return b.String()
}

func ack(t *testing.T, q queue.Queue, d queue.Delivery) {
	t.Helper()
	if err := q.Ack(t.Context(), d); err != nil {
		t.Fatalf("Ack(%s): %v", d.Body, err)
	}
}

func testClaimEmpty(t *testing.T, q queue.Queue, _ *Clock, _ *config) {
	claimNone(t, q, "the queue is empty")
	ls, err := q.DeadLetters(t.Context(), 10)
	if err != nil || len(ls) != 0 {
		t.Fatalf("DeadLetters = %d, %v; want none", len(ls), err)
	}
}

func testEnqueueClaimAck(t *testing.T, q queue.Queue, clk *Clock, _ *config) {
	m := msg("meeting:1", 5, `{"event":"meeting.started"}`)
	enqueue(t, q, m)
	enqueuedAt := clk.Now()
	clk.Advance(time.Second)
	d := claimOne(t, q, string(m.Body))
	if d.ID == "" || d.Token == "" {
		t.Fatalf("delivery without ID or Token: %+v", d)
	}
	if d.Key != m.Key || !d.EventTS.Equal(m.EventTS) || d.Attempt != 1 || d.LastError != "" {
		t.Fatalf("delivery = key %q ts %v attempt %d lastError %q; want %q %v 1 \"\"",
			d.Key, d.EventTS, d.Attempt, d.LastError, m.Key, m.EventTS)
	}
	if !d.EnqueuedAt.Equal(enqueuedAt) {
		t.Fatalf("EnqueuedAt = %v, want %v", d.EnqueuedAt, enqueuedAt)
	}
	claimNone(t, q, "the only message is claimed")
	ack(t, q, d)
	clk.Advance(time.Hour)
	claimNone(t, q, "the only message was acked")
	if err := q.Ack(t.Context(), d); !errors.Is(err, queue.ErrNotClaimed) {
		t.Fatalf("second Ack = %v, want ErrNotClaimed", err)
	}
}

func testBinaryBody(t *testing.T, q queue.Queue, _ *Clock, _ *config) {
	body := []byte("{\"event\":\"x\",\"s\":\"\x00\xff\xfe\\uD83D\\uDE92 é\"}")
	want := bytes.Clone(body)
	enqueue(t, q, queue.Message{Key: "k", Body: body}) // and a zero EventTS
	body[2] = 'X'                                      // the queue keeps its own copy
	ds := claim(t, q, 1, time.Minute)
	if len(ds) != 1 {
		t.Fatalf("Claim = %d deliveries, want 1", len(ds))
	}
	if !bytes.Equal(ds[0].Body, want) {
		t.Fatalf("Body = %q, want the bytes as enqueued %q", ds[0].Body, want)
	}
	if !ds[0].EventTS.IsZero() {
		t.Fatalf("EventTS = %v, want the zero time", ds[0].EventTS)
	}
}

func testInvalid(t *testing.T, q queue.Queue, _ *Clock, _ *config) {
	ctx := t.Context()
	for _, m := range []queue.Message{{Key: "", Body: []byte("{}")}, {Key: "k"}} {
		if err := q.Enqueue(ctx, m); !errors.Is(err, queue.ErrInvalidArgument) {
			t.Errorf("Enqueue(key %q, %d bytes) = %v, want ErrInvalidArgument", m.Key, len(m.Body), err)
		}
	}
	if _, err := q.Claim(ctx, 0, time.Minute); !errors.Is(err, queue.ErrInvalidArgument) {
		t.Errorf("Claim(0, 1m) = %v, want ErrInvalidArgument", err)
	}
	if _, err := q.Claim(ctx, 1, 0); !errors.Is(err, queue.ErrInvalidArgument) {
		t.Errorf("Claim(1, 0) = %v, want ErrInvalidArgument", err)
	}
	if _, err := q.DeadLetters(ctx, 0); !errors.Is(err, queue.ErrInvalidArgument) {
		t.Errorf("DeadLetters(0) = %v, want ErrInvalidArgument", err)
	}
	enqueue(t, q, msg("k", 1, "a"))
	d := claimOne(t, q, "a")
	if err := q.Nack(ctx, d, -time.Second, "x"); !errors.Is(err, queue.ErrInvalidArgument) {
		t.Errorf("Nack(-1s) = %v, want ErrInvalidArgument", err)
	}
	if err := q.Replay(ctx, "no-such-id"); !errors.Is(err, queue.ErrNotFound) {
		t.Errorf("Replay(unknown) = %v, want ErrNotFound", err)
	}
	if err := q.Replay(ctx, d.ID); !errors.Is(err, queue.ErrNotFound) {
		t.Errorf("Replay(a live message) = %v, want ErrNotFound", err)
	}
}

func testCancelled(t *testing.T, q queue.Queue, _ *Clock, _ *config) {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if err := q.Enqueue(ctx, msg("k", 1, "a")); err == nil {
		t.Error("Enqueue with a cancelled context succeeded")
	}
	if _, err := q.Claim(ctx, 1, time.Minute); err == nil {
		t.Error("Claim with a cancelled context succeeded")
	}
	if _, err := q.DeadLetters(ctx, 1); err == nil {
		t.Error("DeadLetters with a cancelled context succeeded")
	}
}

func testVisibility(t *testing.T, q queue.Queue, clk *Clock, _ *config) {
	enqueue(t, q, msg("k", 1, "a"))
	first := claim(t, q, 1, 30*time.Second)
	if len(first) != 1 {
		t.Fatalf("Claim = %d deliveries, want 1", len(first))
	}
	clk.Advance(29 * time.Second)
	claimNone(t, q, "the claim's visibility timeout has not passed")
	clk.Advance(2 * time.Second)
	second := claimOne(t, q, "a")
	if second.Attempt != 2 || second.ID != first[0].ID || second.Token == first[0].Token {
		t.Fatalf("reclaim = attempt %d id %q token same %v; want attempt 2, same id, new token",
			second.Attempt, second.ID, second.Token == first[0].Token)
	}
	// The expired claim can no longer settle the message.
	if err := q.Ack(t.Context(), first[0]); !errors.Is(err, queue.ErrNotClaimed) {
		t.Fatalf("Ack by the expired claim = %v, want ErrNotClaimed", err)
	}
	if err := q.Nack(t.Context(), first[0], 0, "x"); !errors.Is(err, queue.ErrNotClaimed) {
		t.Fatalf("Nack by the expired claim = %v, want ErrNotClaimed", err)
	}
	if err := q.DeadLetter(t.Context(), first[0], "x"); !errors.Is(err, queue.ErrNotClaimed) {
		t.Fatalf("DeadLetter by the expired claim = %v, want ErrNotClaimed", err)
	}
	ack(t, q, second)
	clk.Advance(time.Hour)
	claimNone(t, q, "acked")
}

func testNackRetryAfter(t *testing.T, q queue.Queue, clk *Clock, _ *config) {
	enqueue(t, q, msg("k", 1, "a"))
	d := claimOne(t, q, "a")
	if err := q.Nack(t.Context(), d, 10*time.Second, "boom: database down"); err != nil {
		t.Fatalf("Nack: %v", err)
	}
	clk.Advance(9 * time.Second)
	claimNone(t, q, "the retry delay has not passed")
	clk.Advance(time.Second)
	d2 := claimOne(t, q, "a")
	if d2.Attempt != 2 || d2.LastError != "boom: database down" {
		t.Fatalf("retry = attempt %d lastError %q; want 2, the Nack's error", d2.Attempt, d2.LastError)
	}
	if err := q.Ack(t.Context(), d); !errors.Is(err, queue.ErrNotClaimed) {
		t.Fatalf("Ack by the nacked claim = %v, want ErrNotClaimed", err)
	}
	ack(t, q, d2)
}

func testNackNow(t *testing.T, q queue.Queue, _ *Clock, _ *config) {
	enqueue(t, q, msg("k", 1, "a"))
	d := claimOne(t, q, "a")
	if err := q.Nack(t.Context(), d, 0, "released"); err != nil {
		t.Fatalf("Nack: %v", err)
	}
	d2 := claimOne(t, q, "a")
	if d2.Attempt != 2 {
		t.Fatalf("Attempt = %d, want 2", d2.Attempt)
	}
}

func testSettleNeedsClaim(t *testing.T, q queue.Queue, _ *Clock, _ *config) {
	enqueue(t, q, msg("k", 1, "a"))
	d := claimOne(t, q, "a")
	forged := d
	forged.Token = "not-the-token"
	if err := q.Ack(t.Context(), forged); !errors.Is(err, queue.ErrNotClaimed) {
		t.Fatalf("Ack with a wrong token = %v, want ErrNotClaimed", err)
	}
	unknown := d
	unknown.ID = "999999999"
	if err := q.Ack(t.Context(), unknown); !errors.Is(err, queue.ErrNotClaimed) {
		t.Fatalf("Ack of an unknown id = %v, want ErrNotClaimed", err)
	}
	claimNone(t, q, "wrong-token settles must not release the claim")
	ack(t, q, d)
}

func testOldestFirst(t *testing.T, q queue.Queue, _ *Clock, _ *config) {
	enqueue(t, q, msg("k1", 9, "a"), msg("k2", 1, "b"), msg("k3", 5, "c"))
	var got []string
	for range 3 {
		ds := claim(t, q, 1, time.Minute)
		if len(ds) != 1 {
			t.Fatalf("Claim(1) = %d deliveries, want 1", len(ds))
		}
		got = append(got, string(ds[0].Body))
	}
	if fmt.Sprint(got) != "[a b c]" {
		t.Fatalf("claims across keys = %v, want enqueue order [a b c]", got)
	}
}

func testPerKeyOrder(t *testing.T, q queue.Queue, _ *Clock, _ *config) {
	// Key A arrives out of event_ts order; B is another key.
	enqueue(t, q, msg("A", 3, "a3"), msg("A", 1, "a1"), msg("B", 7, "b7"), msg("A", 2, "a2"), msg("A", 2, "a2bis"))
	ds := claim(t, q, 10, time.Minute)
	if bodies(ds) != "[a1 b7]" && bodies(ds) != "[b7 a1]" {
		t.Fatalf("Claim = %s, want the earliest of each key: a1 and b7", bodies(ds))
	}
	for _, d := range ds {
		if string(d.Body) == "b7" {
			ack(t, q, d)
		}
	}
	claimNone(t, q, "a1 is in flight: no other A may be claimed")
	for _, d := range ds {
		if string(d.Body) == "a1" {
			ack(t, q, d)
		}
	}
	// Equal event_ts: enqueue order.
	for _, want := range []string{"a2", "a2bis", "a3"} {
		d := claimOne(t, q, want)
		ack(t, q, d)
	}
	claimNone(t, q, "all acked")
}

func testKeyWaitsForRetry(t *testing.T, q queue.Queue, clk *Clock, _ *config) {
	enqueue(t, q, msg("A", 1, "a1"), msg("A", 2, "a2"))
	d := claimOne(t, q, "a1")
	if err := q.Nack(t.Context(), d, time.Minute, "later"); err != nil {
		t.Fatalf("Nack: %v", err)
	}
	claimNone(t, q, "a1 waits for its retry: a2 must not overtake it")
	clk.Advance(time.Minute)
	d = claimOne(t, q, "a1")
	ack(t, q, d)
	ack(t, q, claimOne(t, q, "a2"))
}

func testLateEarlier(t *testing.T, q queue.Queue, clk *Clock, _ *config) {
	enqueue(t, q, msg("A", 5, "a5"))
	d5 := claimOne(t, q, "a5")
	// A delivery of an earlier event of A arrives while a5 is handled.
	enqueue(t, q, msg("A", 4, "a4"))
	claimNone(t, q, "a5 is in flight: nothing else of A may be claimed")
	if err := q.Nack(t.Context(), d5, 0, "retry"); err != nil {
		t.Fatalf("Nack: %v", err)
	}
	ack(t, q, claimOne(t, q, "a4"))
	ack(t, q, claimOne(t, q, "a5"))
	// And after a crash (the claim expires), the earlier event comes first as well.
	enqueue(t, q, msg("A", 9, "a9"))
	claimOne(t, q, "a9")
	enqueue(t, q, msg("A", 8, "a8"))
	clk.Advance(2 * time.Minute)
	ack(t, q, claimOne(t, q, "a8"))
	ack(t, q, claimOne(t, q, "a9"))
}

func testDeadLetterReplay(t *testing.T, q queue.Queue, clk *Clock, _ *config) {
	ctx := t.Context()
	enqueue(t, q, msg("A", 1, "a1"), msg("A", 2, "a2"))
	enqueuedAt := clk.Now()
	d := claimOne(t, q, "a1")
	if err := q.Nack(ctx, d, 0, "first failure"); err != nil {
		t.Fatalf("Nack: %v", err)
	}
	d = claimOne(t, q, "a1")
	clk.Advance(time.Second)
	if err := q.DeadLetter(ctx, d, "always fails"); err != nil {
		t.Fatalf("DeadLetter: %v", err)
	}
	if err := q.Ack(ctx, d); !errors.Is(err, queue.ErrNotClaimed) {
		t.Fatalf("Ack after DeadLetter = %v, want ErrNotClaimed", err)
	}
	// The key moves on.
	a2 := claimOne(t, q, "a2")
	ls, err := q.DeadLetters(ctx, 10)
	if err != nil {
		t.Fatalf("DeadLetters: %v", err)
	}
	if len(ls) != 1 {
		t.Fatalf("DeadLetters = %d, want 1", len(ls))
	}
	l := ls[0]
	if l.ID != d.ID || l.Key != "A" || string(l.Body) != "a1" || l.Attempts != 2 || l.Error != "always fails" ||
		!l.EventTS.Equal(msg("A", 1, "").EventTS) || !l.EnqueuedAt.Equal(enqueuedAt) || !l.DeadAt.Equal(clk.Now()) {
		t.Fatalf("dead letter = %+v", l)
	}
	if err := q.Replay(ctx, l.ID); err != nil {
		t.Fatalf("Replay: %v", err)
	}
	if err := q.Replay(ctx, l.ID); !errors.Is(err, queue.ErrNotFound) {
		t.Fatalf("second Replay = %v, want ErrNotFound", err)
	}
	if ls, err := q.DeadLetters(ctx, 10); err != nil || len(ls) != 0 {
		t.Fatalf("DeadLetters after Replay = %d, %v; want none", len(ls), err)
	}
	claimNone(t, q, "a2 is in flight; the replayed a1 is earlier and waits for it")
	ack(t, q, a2)
	r := claimOne(t, q, "a1")
	if r.Attempt != 1 {
		t.Fatalf("replayed Attempt = %d, want 1 (attempts reset)", r.Attempt)
	}
	ack(t, q, r)
	claimNone(t, q, "all handled")
}

func testDeadLettersOrder(t *testing.T, q queue.Queue, clk *Clock, _ *config) {
	ctx := t.Context()
	for i := range 3 {
		enqueue(t, q, msg(fmt.Sprintf("k%d", i), i, fmt.Sprintf("m%d", i)))
	}
	for range 3 {
		ds := claim(t, q, 1, time.Minute)
		if len(ds) != 1 {
			t.Fatalf("Claim = %d, want 1", len(ds))
		}
		clk.Advance(time.Second)
		if err := q.DeadLetter(ctx, ds[0], "err "+string(ds[0].Body)); err != nil {
			t.Fatalf("DeadLetter: %v", err)
		}
	}
	ls, err := q.DeadLetters(ctx, 2)
	if err != nil {
		t.Fatalf("DeadLetters: %v", err)
	}
	if len(ls) != 2 || string(ls[0].Body) != "m0" || string(ls[1].Body) != "m1" || ls[1].Error != "err m1" {
		t.Fatalf("DeadLetters(2) = %+v, want m0 and m1", ls)
	}
}

// testConcurrent runs several workers against one queue: every message is acked once, no key ever
// has two messages in flight, and each key's messages are claimed in event_ts order.
func testConcurrent(t *testing.T, q queue.Queue, _ *Clock, c *config) {
	const keys = 10
	for i := range c.messages {
		// Interleave keys, and within a key enqueue in event_ts order (so the order is well defined).
		enqueue(t, q, msg(fmt.Sprintf("k%d", i%keys), i/keys, fmt.Sprintf("%d", i)))
	}
	var (
		mu       sync.Mutex
		inFlight = map[string]bool{}
		lastTS   = map[string]time.Time{}
		acked    = map[string]int{}
		wg       sync.WaitGroup
	)
	ctx := t.Context()
	for range c.goroutines {
		wg.Go(func() {
			for {
				ds, err := q.Claim(ctx, 3, time.Hour)
				if err != nil {
					t.Errorf("Claim: %v", err)
					return
				}
				if len(ds) == 0 {
					mu.Lock()
					done := len(acked) == c.messages
					mu.Unlock()
					if done {
						return
					}
					continue
				}
				for _, d := range ds {
					mu.Lock()
					if inFlight[d.Key] {
						t.Errorf("two messages of key %s in flight at once", d.Key)
					}
					if d.EventTS.Before(lastTS[d.Key]) {
						t.Errorf("key %s: event_ts %v claimed after %v", d.Key, d.EventTS, lastTS[d.Key])
					}
					inFlight[d.Key] = true
					lastTS[d.Key] = d.EventTS
					mu.Unlock()
				}
				for _, d := range ds {
					mu.Lock()
					inFlight[d.Key] = false
					acked[string(d.Body)]++
					mu.Unlock()
					if err := q.Ack(ctx, d); err != nil {
						t.Errorf("Ack: %v", err)
					}
				}
				if t.Failed() {
					return
				}
			}
		})
	}
	wg.Wait()
	for body, n := range acked {
		if n != 1 {
			t.Errorf("message %s handled %d times, want once", body, n)
		}
	}
	if len(acked) != c.messages {
		t.Errorf("%d messages handled, want %d", len(acked), c.messages)
	}
}
