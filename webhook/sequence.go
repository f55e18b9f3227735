package webhook

import (
	"reflect"
	"strings"
	"sync"
	"time"
)

// Sequencer spots stale transitions. Zoom retries a delivery that was not
// acknowledged 5, 25 and 85 minutes later, so a participant_left may arrive
// after the same participant's newer participant_joined, or a
// meeting.started after the meeting.ended. Observe reports such an event as
// stale, so a handler can keep its state from going backwards. Events are
// ordered by event_ts within a subject: the object (its uuid or id) and,
// for participant and registrant events, who it is about (not the join or
// leave time, so that joined and left of one participant share a subject).
//
// A Sequencer remembers each subject for its TTL. It is safe for concurrent
// use and local to one process.
type Sequencer struct {
	ttl time.Duration
	now func() time.Time

	mu        sync.Mutex
	newest    map[string]seqEntry
	lastSweep time.Time
}

type seqEntry struct {
	ts   time.Time // newest event_ts seen
	seen time.Time // when it was seen
}

// NewSequencer returns a Sequencer remembering subjects for ttl (24h when
// ttl is not positive: beyond Zoom's retry span), on time.Now or on the
// clock of [WithClock].
//
// WithClock is the one option NewSequencer and [NewMemoryDeduper] take:
// another option of the Verifier's, or WithClock(nil), is a programming
// error and panics, as a bad argument to time.NewTicker does. Tests rarely
// need it: testing/synctest fakes time.Now.
func NewSequencer(ttl time.Duration, opts ...Option) *Sequencer {
	if ttl <= 0 {
		ttl = DefaultDedupTTL
	}
	return &Sequencer{ttl: ttl, now: clockOf("NewSequencer", opts), newest: make(map[string]seqEntry)}
}

// clockOf returns the clock opts set with WithClock, time.Now when none
// does. Any other option, or an invalid one, panics (see NewSequencer).
func clockOf(who string, opts []Option) func() time.Time {
	var v Verifier
	for _, o := range opts {
		if o == nil {
			panic("webhook: " + who + ": nil option")
		}
		if err := o(&v); err != nil {
			panic("webhook: " + who + ": " + err.Error())
		}
	}
	now := v.now
	v.now = nil
	if !reflect.ValueOf(v).IsZero() {
		panic("webhook: " + who + ": only WithClock applies; the other options configure a Verifier")
	}
	if now == nil {
		now = time.Now
	}
	return now
}

// Observe records e and reports whether it is stale: an event about the
// same subject with a later event_ts was observed before. An event with the
// same event_ts is not stale (it is a duplicate, which dedup handles).
func (s *Sequencer) Observe(e *Event) (stale bool) {
	subject := Subject(e)
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	if now.Sub(s.lastSweep) >= time.Minute {
		for k, v := range s.newest {
			if now.Sub(v.seen) > s.ttl {
				delete(s.newest, k)
			}
		}
		s.lastSweep = now
	}
	if prev, ok := s.newest[subject]; ok && now.Sub(prev.seen) <= s.ttl && prev.ts.After(e.Timestamp) {
		return true
	}
	s.newest[subject] = seqEntry{ts: e.Timestamp, seen: now}
	return false
}

// Subject returns what e is about, for ordering: the object's uuid (else
// its id) and the participant or registrant the event names, without event
// names or times. Events without an object have an empty subject suffix and
// are ordered per event name.
func Subject(e *Event) string {
	var b strings.Builder
	obj, ok := member(e.Payload, "object")
	if !ok || len(obj) == 0 || obj[0] != '{' {
		b.WriteString(e.Name)
		return b.String()
	}
	for _, k := range [...]string{"uuid", "id"} {
		if v, ok := member(obj, k); ok {
			if s := scalar(v); s != "" {
				b.WriteString(k + "=" + s)
				break
			}
		}
	}
	writeWho(&b, obj, false)
	return b.String()
}
