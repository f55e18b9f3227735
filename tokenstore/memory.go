package tokenstore

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// Memory is an in-process [CoordinatedStore]. Its leases and versions
// coordinate every TokenSource of one process; nothing survives a restart.
// The zero value is not usable: create one with [NewMemory].
//
// Lease expiry is measured with time.Now, so tests running inside a
// testing/synctest bubble get a fake clock for free.
type Memory struct {
	mu      sync.Mutex
	entries map[string]*memEntry
	leases  map[string]memLease
}

type memEntry struct {
	tok     *Token // nil after Delete
	version int64  // last version written; kept after Delete so versions never repeat
}

type memLease struct {
	owner   string
	expires time.Time
}

// NewMemory returns an empty in-memory store.
func NewMemory() *Memory {
	return &Memory{entries: make(map[string]*memEntry), leases: make(map[string]memLease)}
}

var _ CoordinatedStore = (*Memory)(nil)

// Get returns a copy of the token stored under key.
func (m *Memory) Get(ctx context.Context, key string) (*Token, error) {
	tok, _, err := m.Load(ctx, key)
	return tok, err
}

// Load returns a copy of the token stored under key and its version.
func (m *Memory) Load(ctx context.Context, key string) (*Token, int64, error) {
	if err := ctx.Err(); err != nil {
		return nil, 0, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	e := m.entries[key]
	if e == nil || e.tok == nil {
		return nil, 0, fmt.Errorf("tokenstore: memory get: %w", ErrNotFound)
	}
	return e.tok.Clone(), e.version, nil
}

// Put stores a copy of tok under key.
func (m *Memory) Put(ctx context.Context, key string, tok *Token) error {
	if err := checkPut(ctx, tok); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.writeLocked(key, tok)
	return nil
}

func (m *Memory) writeLocked(key string, tok *Token) int64 {
	e := m.entries[key]
	if e == nil {
		e = &memEntry{}
		m.entries[key] = e
	}
	e.tok = tok.Clone()
	e.version++
	return e.version
}

// Delete removes the token stored under key.
func (m *Memory) Delete(ctx context.Context, key string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if e := m.entries[key]; e != nil {
		e.tok = nil
	}
	return nil
}

// CompareAndSwap stores tok only if the stored version equals version
// (0: only if nothing is stored).
func (m *Memory) CompareAndSwap(ctx context.Context, key string, version int64, tok *Token) (int64, error) {
	if err := checkPut(ctx, tok); err != nil {
		return 0, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	var cur int64
	if e := m.entries[key]; e != nil && e.tok != nil {
		cur = e.version
	}
	if cur != version {
		return 0, fmt.Errorf("tokenstore: memory compare-and-swap: %w", ErrConflict)
	}
	return m.writeLocked(key, tok), nil
}

// AcquireLease takes or extends the refresh lease on key for owner.
func (m *Memory) AcquireLease(ctx context.Context, key, owner string, ttl time.Duration) error {
	if err := checkLease(ctx, owner, ttl); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	now := time.Now()
	if l, ok := m.leases[key]; ok && l.owner != owner && now.Before(l.expires) {
		return fmt.Errorf("tokenstore: memory lease: %w", ErrLeaseHeld)
	}
	m.leases[key] = memLease{owner: owner, expires: now.Add(ttl)}
	return nil
}

// ReleaseLease gives the lease on key back if owner holds it.
func (m *Memory) ReleaseLease(ctx context.Context, key, owner string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if l, ok := m.leases[key]; ok && l.owner == owner {
		delete(m.leases, key)
	}
	return nil
}

func checkPut(ctx context.Context, tok *Token) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if tok == nil {
		return ErrNilToken
	}
	return nil
}

func checkLease(ctx context.Context, owner string, ttl time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if owner == "" {
		return fmt.Errorf("tokenstore: lease owner must not be empty: %w", ErrInvalidArgument)
	}
	if ttl <= 0 {
		return fmt.Errorf("tokenstore: lease ttl must be positive: %w", ErrInvalidArgument)
	}
	return nil
}
