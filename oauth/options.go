package oauth

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/zoomkit/zoomkit/tokenstore"
)

// Defaults of the TokenSource options.
const (
	// DefaultExpiryDelta: a token is renewed this long before it expires.
	DefaultExpiryDelta = 60 * time.Second
	// DefaultLeaseTTL is the refresh lease TTL on a CoordinatedStore. It is
	// comfortably above DefaultRequestTimeout plus the store writes.
	DefaultLeaseTTL = 90 * time.Second
	// DefaultStoreAttempts is how many times a refreshed token's write to
	// the Store is attempted within one refresh, before the save goes on in
	// the background.
	DefaultStoreAttempts = 4
	// DefaultRotationGrace is how long a replica that got invalid_grant
	// waits for another replica's rotated token to be saved before it
	// declares the grant dead (see [WithRotationGrace]).
	DefaultRotationGrace = 15 * time.Second
	// DefaultRefreshBackoff and DefaultMaxRefreshBackoff bound the wait
	// between failed refreshes of one grant (see [WithRefreshBackoff]).
	DefaultRefreshBackoff    = time.Second
	DefaultMaxRefreshBackoff = time.Minute
)

// Option configures a [TokenSource].
type Option func(*settings) error

type settings struct {
	now           func() time.Time
	expiryDelta   time.Duration
	leaseTTL      time.Duration
	storeAttempts int
	storeBackoff  time.Duration
	grace         time.Duration
	backoffMin    time.Duration
	backoffMax    time.Duration
	pollMin       time.Duration
	pollMax       time.Duration
	logger        *slog.Logger
	onReauth      func(ctx context.Context, key string, err error)
	store         tokenstore.Store
	key           string
}

// WithClock sets the clock a TokenSource reads to decide when tokens
// expire and when a failed refresh may be retried (default time.Now). Its
// waits (for another replica's refresh lease, between retries) use timers,
// which testing/synctest fakes: most tests need no clock at all, and one
// given here only moves what the TokenSource reads as now.
func WithClock(now func() time.Time) Option {
	return func(s *settings) error {
		if now == nil {
			return fmt.Errorf("%w: nil clock", ErrInvalidConfig)
		}
		s.now = now
		return nil
	}
}

// WithExpiryDelta sets how long before its expiry a token is renewed
// (default 60s; between 0 and 30 minutes).
func WithExpiryDelta(d time.Duration) Option {
	return func(s *settings) error {
		if d < 0 || d > 30*time.Minute {
			return fmt.Errorf("%w: expiry delta %v out of range [0, 30m]", ErrInvalidConfig, d)
		}
		s.expiryDelta = d
		return nil
	}
}

// WithLeaseTTL sets the refresh lease TTL used with a
// tokenstore.CoordinatedStore (default DefaultLeaseTTL). Keep it above the
// token request timeout plus a store write; tests use short values to let a
// paused leader's lease expire.
func WithLeaseTTL(d time.Duration) Option {
	return func(s *settings) error {
		if d <= 0 || d > time.Hour {
			return fmt.Errorf("%w: lease TTL %v out of range (0, 1h]", ErrInvalidConfig, d)
		}
		s.leaseTTL = d
		return nil
	}
}

// WithStoreRetry sets how many times a refreshed token's write to the Store
// is attempted before the refresh reports [ErrSavePending] (default 4), and
// the first backoff between attempts (default 100ms, doubling). After that
// the save goes on in the background, with the same backoff capped at a
// third of the lease TTL, while the refresh lease is kept: the old refresh
// token is never presented again, by this replica or another.
func WithStoreRetry(attempts int, backoff time.Duration) Option {
	return func(s *settings) error {
		if attempts < 1 || attempts > 100 || backoff < 0 || backoff > time.Minute {
			return fmt.Errorf("%w: store retry (%d, %v) out of range", ErrInvalidConfig, attempts, backoff)
		}
		s.storeAttempts, s.storeBackoff = attempts, backoff
		return nil
	}
}

// WithRotationGrace sets how long a replica whose refresh token Zoom refused
// (invalid_grant) waits, re-reading the CoordinatedStore, before it declares
// the grant dead (default DefaultRotationGrace, at most 10 minutes; 0 turns
// the wait off). Another replica may have redeemed that refresh token and be
// about to save the rotated one, for instance after a pause longer than its
// lease; its save ends the wait and the new token is used. A dead grant is
// then reported once: see [WithOnReauthorizationRequired].
func WithRotationGrace(d time.Duration) Option {
	return func(s *settings) error {
		if d < 0 || d > 10*time.Minute {
			return fmt.Errorf("%w: rotation grace %v out of range [0, 10m]", ErrInvalidConfig, d)
		}
		s.grace = d
		return nil
	}
}

// WithRefreshBackoff sets the wait after a failed refresh (token endpoint
// error, unknown outcome, store failure) before the grant is tried again:
// first backoff, doubling per failure, up to maxBackoff, with jitter
// (defaults DefaultRefreshBackoff and DefaultMaxRefreshBackoff). Callers
// asking meanwhile get the last error at once, or the current token while
// it is still valid. With a CoordinatedStore the failing replica keeps the
// refresh lease for the backoff, so the other replicas wait too.
func WithRefreshBackoff(backoff, maxBackoff time.Duration) Option {
	return func(s *settings) error {
		if backoff <= 0 || maxBackoff < backoff || maxBackoff > time.Hour {
			return fmt.Errorf("%w: refresh backoff (%v, %v) out of range", ErrInvalidConfig, backoff, maxBackoff)
		}
		s.backoffMin, s.backoffMax = backoff, maxBackoff
		return nil
	}
}

// WithLogger logs refreshes and failures to l (default: no logging).
// Tokens and secrets are never logged; keys are.
func WithLogger(l *slog.Logger) Option {
	return func(s *settings) error {
		if l == nil {
			return fmt.Errorf("%w: nil logger", ErrInvalidConfig)
		}
		s.logger = l
		return nil
	}
}

// WithOnReauthorizationRequired calls f when the grant stored under the key
// is found dead (the app emails its user "reconnect Zoom"). err matches
// ErrReauthorizationRequired. With a CoordinatedStore the verdict is stored
// as a dead mark, so f runs once across every replica sharing the store;
// with a plain Store, once per TokenSource. It is not called when nothing is
// stored under the key (Token then fails with an error matching both
// ErrReauthorizationRequired and tokenstore.ErrNotFound), nor on an unknown
// outcome or any other temporary failure. f runs synchronously inside the
// refresh: keep it short, or hand off to a goroutine. It may delete the
// record.
func WithOnReauthorizationRequired(f func(ctx context.Context, key string, err error)) Option {
	return func(s *settings) error {
		if f == nil {
			return fmt.Errorf("%w: nil hook", ErrInvalidConfig)
		}
		s.onReauth = f
		return nil
	}
}

// WithStore shares a server-to-server token through store under key, so
// that several replicas reuse one token instead of each minting one
// (default: a private in-memory store). Only for [Config.ServerToServer].
func WithStore(store tokenstore.Store, key string) Option {
	return func(s *settings) error {
		if store == nil || key == "" {
			return fmt.Errorf("%w: WithStore needs a store and a key", ErrInvalidConfig)
		}
		s.store, s.key = store, key
		return nil
	}
}
