package oauth

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/zoomkit/zoomkit/tokenstore"
)

// lease is one TokenSource's side of the refresh lease on a key of a
// CoordinatedStore: the lease keeps replicas from redeeming one grant at the
// same time; the record's version fences a holder whose lease expired.
type lease struct {
	store tokenstore.CoordinatedStore
	key   string
	owner string // random per TokenSource
	set   *settings
}

func newLease(store tokenstore.Store, key string, set *settings) *lease {
	coord, ok := store.(tokenstore.CoordinatedStore)
	if !ok {
		return nil
	}
	return &lease{store: coord, key: key, owner: randomID(), set: set}
}

// acquire takes the lease, polling while another owner holds it (25 ms
// doubling to 1 s, on timers, bounded by ctx). While it waits it re-reads
// the record; as soon as stop accepts what it read (another replica stored
// a newer token, or a dead mark), it returns that record without the lease.
// held reports whether the lease was taken; contended, whether another
// owner held it first.
func (l *lease) acquire(ctx context.Context, stop func(tok *tokenstore.Token, ver int64) bool) (tok *tokenstore.Token, held, contended bool, err error) {
	backoff := l.set.pollMin
	for {
		err := l.store.AcquireLease(ctx, l.key, l.owner, l.set.leaseTTL)
		if err == nil {
			return nil, true, contended, nil
		}
		if !errors.Is(err, tokenstore.ErrLeaseHeld) {
			return nil, false, contended, fmt.Errorf("oauth: taking the refresh lease: %w", err)
		}
		contended = true
		if !sleep(ctx, backoff) {
			return nil, false, true, fmt.Errorf("oauth: waiting for another replica's refresh: %w", context.Cause(ctx))
		}
		backoff = min(backoff*2, l.set.pollMax)
		t, v, err := load(ctx, l.store, l.key)
		if err == nil && stop(t, v) {
			return t, false, true, nil
		}
	}
}

// renew extends the lease by its TTL; it fails with ErrLeaseHeld when the
// lease expired and another owner took it.
func (l *lease) renew(ctx context.Context) error {
	return l.store.AcquireLease(ctx, l.key, l.owner, l.set.leaseTTL)
}

// holdUntil keeps (or takes) the lease until t, so that other replicas do
// not try the grant again before this one's backoff ends. Best effort.
func (l *lease) holdUntil(ctx context.Context, t time.Time) {
	d := t.Sub(l.set.now())
	if d <= 0 {
		return
	}
	if err := l.store.AcquireLease(ctx, l.key, l.owner, d); err != nil && !errors.Is(err, tokenstore.ErrLeaseHeld) {
		logWarn(ctx, l.set.logger, l.key, "oauth: holding the refresh lease through the backoff", err)
	}
}

// release gives the lease back if this owner still holds it.
func (l *lease) release(ctx context.Context) {
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if err := l.store.ReleaseLease(rctx, l.key, l.owner); err != nil {
		logWarn(rctx, l.set.logger, l.key, "oauth: releasing refresh lease", err)
	}
}

// sleep waits d, or until ctx ends (false).
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}
