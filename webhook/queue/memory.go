package queue

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"slices"
	"strconv"
	"sync"
	"time"
)

// Memory is a Queue in the memory of one process: for tests, and for single-process apps that
// accept losing queued events when the process exits. It is safe for concurrent use.
type Memory struct {
	now func() time.Time

	mu      sync.Mutex
	seq     int64
	byID    map[string]*item
	byKey   map[string][]*item // live items, sorted by (eventTS, seq)
	dead    []*item            // dead letters, oldest first
	changed chan struct{}
}

type item struct {
	id        string
	seq       int64
	key       string
	ts        time.Time
	body      []byte
	attempts  int
	lastErr   string
	enqueued  time.Time
	visibleAt time.Time
	token     string
	deadErr   string
	deadAt    time.Time
}

var _ Notifier = (*Memory)(nil)

// MemoryOption configures a Memory queue.
type MemoryOption func(*Memory)

// WithClock makes visibility and retry deadlines use now instead of time.Now: use it in tests
// that move time by hand. It panics if now is nil.
func WithClock(now func() time.Time) MemoryOption {
	if now == nil {
		panic("queue: WithClock: nil clock")
	}
	return func(q *Memory) { q.now = now }
}

// NewMemory returns an empty Memory queue (on time.Now unless WithClock says otherwise).
func NewMemory(opts ...MemoryOption) *Memory {
	q := &Memory{now: time.Now, byID: make(map[string]*item), byKey: make(map[string][]*item), changed: make(chan struct{})}
	for _, o := range opts {
		if o != nil { // a nil option (an unset one passed along) changes nothing
			o(q)
		}
	}
	return q
}

// Changed implements Notifier.
func (q *Memory) Changed() <-chan struct{} {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.changed
}

// notifyLocked wakes the waiters of Changed.
func (q *Memory) notifyLocked() {
	close(q.changed)
	q.changed = make(chan struct{})
}

// Len returns how many messages are queued or claimed (dead letters not included).
func (q *Memory) Len() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.byID)
}

// Enqueue implements Queue.
func (q *Memory) Enqueue(ctx context.Context, m Message) error {
	if err := checkMessage(m); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	now := q.now()
	q.mu.Lock()
	defer q.mu.Unlock()
	q.seq++
	it := &item{
		id: strconv.FormatInt(q.seq, 10), seq: q.seq, key: m.Key, ts: m.EventTS,
		body: slices.Clone(m.Body), enqueued: now, visibleAt: now,
	}
	q.byID[it.id] = it
	items := append(q.byKey[m.Key], it)
	slices.SortStableFunc(items, compareItems)
	q.byKey[m.Key] = items
	q.notifyLocked()
	return nil
}

func compareItems(a, b *item) int {
	if c := a.ts.Compare(b.ts); c != 0 {
		return c
	}
	return cmp.Compare(a.seq, b.seq)
}

// Claim implements Queue.
func (q *Memory) Claim(ctx context.Context, max int, visibility time.Duration) ([]Delivery, error) {
	if err := checkClaim(max, visibility); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	now := q.now()
	q.mu.Lock()
	defer q.mu.Unlock()
	var heads []*item
	for _, items := range q.byKey {
		if claimable(items, now) {
			heads = append(heads, items[0])
		}
	}
	slices.SortFunc(heads, func(a, b *item) int { return cmp.Compare(a.seq, b.seq) })
	if len(heads) > max {
		heads = heads[:max]
	}
	out := make([]Delivery, 0, len(heads))
	for _, it := range heads {
		it.attempts++
		it.visibleAt = now.Add(visibility)
		it.token = newToken()
		out = append(out, Delivery{
			ID: it.id, Key: it.key, EventTS: it.ts, Body: slices.Clone(it.body), Attempt: it.attempts,
			LastError: it.lastErr, EnqueuedAt: it.enqueued, Token: it.token,
		})
	}
	return out, nil
}

// claimable reports whether the key's first item can be claimed: it is visible, and no other item
// of the key is claimed or waiting for a retry.
func claimable(items []*item, now time.Time) bool {
	for _, it := range items {
		if it.visibleAt.After(now) {
			return false
		}
	}
	return len(items) > 0
}

// settleLocked finds the claimed item of d, or reports ErrNotClaimed.
func (q *Memory) settleLocked(d Delivery) (*item, error) {
	it, ok := q.byID[d.ID]
	if !ok || it.token == "" || it.token != d.Token {
		return nil, ErrNotClaimed
	}
	return it, nil
}

func (q *Memory) removeLocked(it *item) {
	delete(q.byID, it.id)
	items := slices.DeleteFunc(q.byKey[it.key], func(x *item) bool { return x == it })
	if len(items) == 0 {
		delete(q.byKey, it.key)
	} else {
		q.byKey[it.key] = items
	}
}

// Ack implements Queue.
func (q *Memory) Ack(ctx context.Context, d Delivery) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	it, err := q.settleLocked(d)
	if err != nil {
		return err
	}
	q.removeLocked(it)
	q.notifyLocked()
	return nil
}

// Nack implements Queue.
func (q *Memory) Nack(ctx context.Context, d Delivery, retryAfter time.Duration, errText string) error {
	if retryAfter < 0 {
		return fmt.Errorf("%w: negative retry delay", ErrInvalidArgument)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	now := q.now()
	q.mu.Lock()
	defer q.mu.Unlock()
	it, err := q.settleLocked(d)
	if err != nil {
		return err
	}
	it.token = ""
	it.visibleAt = now.Add(retryAfter)
	it.lastErr = errText
	q.notifyLocked()
	return nil
}

// DeadLetter implements Queue.
func (q *Memory) DeadLetter(ctx context.Context, d Delivery, errText string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	now := q.now()
	q.mu.Lock()
	defer q.mu.Unlock()
	it, err := q.settleLocked(d)
	if err != nil {
		return err
	}
	q.removeLocked(it)
	it.token, it.deadErr, it.deadAt = "", errText, now
	q.dead = append(q.dead, it)
	q.notifyLocked()
	return nil
}

// DeadLetters implements Queue.
func (q *Memory) DeadLetters(ctx context.Context, limit int) ([]DeadLetter, error) {
	if limit <= 0 {
		return nil, fmt.Errorf("%w: limit must be positive", ErrInvalidArgument)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	out := make([]DeadLetter, 0, min(limit, len(q.dead)))
	for _, it := range q.dead[:min(limit, len(q.dead))] {
		out = append(out, DeadLetter{
			ID: it.id, Key: it.key, EventTS: it.ts, Body: slices.Clone(it.body), Attempts: it.attempts,
			Error: it.deadErr, EnqueuedAt: it.enqueued, DeadAt: it.deadAt,
		})
	}
	return out, nil
}

// Replay implements Queue.
func (q *Memory) Replay(ctx context.Context, id string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	now := q.now()
	q.mu.Lock()
	defer q.mu.Unlock()
	i := slices.IndexFunc(q.dead, func(it *item) bool { return it.id == id })
	if i < 0 {
		return ErrNotFound
	}
	it := q.dead[i]
	q.dead = slices.Delete(q.dead, i, i+1)
	it.attempts, it.lastErr, it.deadErr, it.deadAt, it.visibleAt = 0, "", "", time.Time{}, now
	q.byID[it.id] = it
	items := append(q.byKey[it.key], it)
	slices.SortStableFunc(items, compareItems)
	q.byKey[it.key] = items
	q.notifyLocked()
	return nil
}

func checkMessage(m Message) error {
	if m.Key == "" {
		return fmt.Errorf("%w: empty key", ErrInvalidArgument)
	}
	if len(m.Body) == 0 {
		return fmt.Errorf("%w: empty body", ErrInvalidArgument)
	}
	return nil
}

func checkClaim(max int, visibility time.Duration) error {
	if max <= 0 {
		return fmt.Errorf("%w: claim size must be positive", ErrInvalidArgument)
	}
	if visibility <= 0 {
		return fmt.Errorf("%w: visibility timeout must be positive", ErrInvalidArgument)
	}
	return nil
}

// newToken returns a random claim token.
func newToken() string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// CheckMessage validates a Message for Enqueue the way Memory does (ErrInvalidArgument), for
// implementations in other packages to share.
func CheckMessage(m Message) error { return checkMessage(m) }

// CheckClaim validates the arguments of Claim the way Memory does (ErrInvalidArgument).
func CheckClaim(max int, visibility time.Duration) error { return checkClaim(max, visibility) }

// NewToken returns a random claim token (24 hex digits), for implementations in other packages.
func NewToken() string { return newToken() }
