package webhook

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Deduper remembers which deliveries were handled, so a redelivered event is handled once.
type Deduper interface {
	// Claim records key as being handled for ttl. It returns false if key was already claimed and not released.
	Claim(ctx context.Context, key string, ttl time.Duration) (claimed bool, err error)
	// Release forgets key, so a redelivery is handled again (the handler calls it when the app's handler failed).
	Release(ctx context.Context, key string) error
}

// A KeyFunc returns the deduplication key of an event; deliveries with the same key are handled once.
// An empty key means the event is never deduplicated.
type KeyFunc func(e *Event) string

// DefaultDedupTTL is how long the Handler remembers a delivery by default. It covers Zoom's retry
// span (+5, +25 and +85 minutes after the first attempt) and the timestamp window after the last
// retry (MinDedupTTL) with room to spare.
const DefaultDedupTTL = 24 * time.Hour

// DefaultKey is the default KeyFunc: "zoom:{event}:{event_ts in ms}:{id}{sub}" where id is
// payload.object.uuid, else payload.object.id, else (for payloads without an object, such as
// app_deauthorized) the SHA-256 of the payload bytes. Events about one participant, registrant or
// set of members of an object add who it is (sub): two attendees who join a webinar in the same
// millisecond share the webinar's uuid and event_ts, and must not be taken for a redelivery of one
// another. It deliberately does not hash the whole body: Zoom's redeliveries of recording.completed
// can differ in download_token and download URLs and must still be duplicates.
func DefaultKey(e *Event) string {
	var b strings.Builder
	b.WriteString("zoom:")
	b.WriteString(e.Name)
	b.WriteByte(':')
	var ms int64
	if !e.Timestamp.IsZero() {
		ms = e.Timestamp.UnixMilli()
	}
	b.WriteString(strconv.FormatInt(ms, 10))
	b.WriteByte(':')
	b.WriteString(objectIdentity(e.Payload))
	return b.String()
}

func objectIdentity(payload []byte) string {
	if obj, ok := member(payload, "object"); ok && len(obj) > 0 && obj[0] == '{' {
		for _, k := range [...]string{"uuid", "id"} {
			v, ok := member(obj, k)
			if !ok {
				continue
			}
			if s := scalar(v); s != "" {
				return k + "=" + s + subIdentity(obj)
			}
		}
	}
	sum := sha256.Sum256(payload)
	return "sha256=" + hex.EncodeToString(sum[:])
}

// subIdentity names the participant, registrant or members an event is
// about, within its object, for dedup: join and leave times included, so
// that a participant's two stays are two events.
func subIdentity(obj []byte) string {
	var b strings.Builder
	writeWho(&b, obj, true)
	if v, ok := member(obj, "members"); ok && len(v) > 0 && v[0] == '[' {
		sum := sha256.Sum256(v)
		b.WriteString(":members=" + hex.EncodeToString(sum[:8]))
	}
	return b.String()
}

// writeWho writes the identity of the participant or registrant that obj
// names; withTimes adds the participant's join and leave times.
func writeWho(b *strings.Builder, obj []byte, withTimes bool) {
	for _, nested := range [...]struct {
		name  string
		keys  []string
		times bool
	}{
		{"participant", []string{"participant_uuid", "user_id", "id", "participant_user_id", "email", "user_name"}, true},
		{"registrant", []string{"id", "email"}, false},
	} {
		v, ok := member(obj, nested.name)
		if !ok || len(v) == 0 || v[0] != '{' {
			continue
		}
		keys := nested.keys
		if withTimes && nested.times {
			keys = append(keys[:len(keys):len(keys)], "join_time", "leave_time")
		}
		for _, k := range keys {
			if f, ok := member(v, k); ok {
				if s := scalar(f); s != "" {
					b.WriteString(":" + nested.name + "." + k + "=" + s)
				}
			}
		}
	}
}

// scalar returns a JSON string's value or a number's text ("" otherwise).
func scalar(v []byte) string {
	if s, ok := jsonString(v); ok {
		return s
	}
	if len(v) > 0 && (v[0] == '-' || isDigit(v[0])) {
		return string(v)
	}
	return ""
}

// MemoryDeduper is an in-process Deduper with expiring entries. Expired entries are swept as claims
// arrive, so memory stays bounded by the number of deliveries within one TTL. It does not share
// state between processes: with several replicas behind a load balancer, use a shared store (Redis,
// SQL). It is safe for concurrent use.
type MemoryDeduper struct {
	now func() time.Time

	mu        sync.Mutex
	entries   map[string]time.Time // key -> expiry
	lastSweep time.Time
	sweepAt   int // sweep when len(entries) reaches this
}

const (
	memorySweepInterval = time.Minute
	memoryMinSweepSize  = 1024
)

// NewMemoryDeduper returns an empty MemoryDeduper. Its entries expire on time.Now, or on the clock
// of [WithClock], the one option it takes (see [NewSequencer]).
func NewMemoryDeduper(opts ...Option) *MemoryDeduper {
	return &MemoryDeduper{now: clockOf("NewMemoryDeduper", opts), entries: make(map[string]time.Time), sweepAt: memoryMinSweepSize}
}

// Claim implements Deduper.
func (m *MemoryDeduper) Claim(ctx context.Context, key string, ttl time.Duration) (bool, error) {
	if err := ctx.Err(); err != nil {
		return false, err
	}
	now := m.now()
	m.mu.Lock()
	defer m.mu.Unlock()
	if now.Sub(m.lastSweep) >= memorySweepInterval || len(m.entries) >= m.sweepAt {
		m.sweepLocked(now)
	}
	if exp, ok := m.entries[key]; ok && now.Before(exp) {
		return false, nil
	}
	m.entries[key] = now.Add(ttl)
	return true, nil
}

// Release implements Deduper.
func (m *MemoryDeduper) Release(ctx context.Context, key string) error {
	m.mu.Lock()
	delete(m.entries, key)
	m.mu.Unlock()
	return nil
}

// Len reports how many unexpired or not yet swept entries the deduper holds.
func (m *MemoryDeduper) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.entries)
}

func (m *MemoryDeduper) sweepLocked(now time.Time) {
	for k, exp := range m.entries {
		if !now.Before(exp) {
			delete(m.entries, k)
		}
	}
	m.lastSweep = now
	m.sweepAt = max(2*len(m.entries), memoryMinSweepSize)
}
