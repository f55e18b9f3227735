package replicatest

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/zoomkit/zoomkit/tokenstore"
)

// counts records how the replicas used the shared store.
type counts struct {
	mu                         sync.Mutex
	leases, leaseHeld, swaps   int
	conflicts, releaseFailures int
}

// countingStore counts the coordination calls of one replica.
type countingStore struct {
	tokenstore.CoordinatedStore
	c *counts
}

func (s countingStore) AcquireLease(ctx context.Context, key, owner string, ttl time.Duration) error {
	err := s.CoordinatedStore.AcquireLease(ctx, key, owner, ttl)
	s.c.mu.Lock()
	defer s.c.mu.Unlock()
	switch {
	case err == nil:
		s.c.leases++
	case errors.Is(err, tokenstore.ErrLeaseHeld):
		s.c.leaseHeld++
	}
	return err
}

func (s countingStore) CompareAndSwap(ctx context.Context, key string, version int64, tok *tokenstore.Token) (int64, error) {
	v, err := s.CoordinatedStore.CompareAndSwap(ctx, key, version, tok)
	s.c.mu.Lock()
	defer s.c.mu.Unlock()
	switch {
	case err == nil:
		s.c.swaps++
	case errors.Is(err, tokenstore.ErrConflict):
		s.c.conflicts++
	}
	return v, err
}

func (s countingStore) ReleaseLease(ctx context.Context, key, owner string) error {
	err := s.CoordinatedStore.ReleaseLease(ctx, key, owner)
	if err != nil {
		s.c.mu.Lock()
		s.c.releaseFailures++
		s.c.mu.Unlock()
	}
	return err
}
