package oauth

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	mrand "math/rand/v2"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/oauth2"

	"github.com/zoomkit/zoomkit/tokenstore"
)

// refresher obtains a new token for one grant. Its implementations are the
// user grant (rotating refresh tokens, leases, dead marks) and the
// server-to-server grant. Calls are serialised by the TokenSource.
type refresher interface {
	// refresh returns the token to hand out, already persisted. rejected
	// is an access token the API refused ("" if none): it is never
	// returned.
	refresh(ctx context.Context, rejected string) (*tokenstore.Token, error)
	// holdOff tells the refresher that the next attempt waits until t,
	// after a failed refresh; a coordinated refresher keeps other replicas
	// waiting as long.
	holdOff(ctx context.Context, t time.Time)
	kind() string
}

// TokenSource hands out Zoom access tokens for one key, refreshing them
// through a [tokenstore.Store]. It is safe for concurrent use, implements
// oauth2.TokenSource, and also offers the context-aware TokenContext and
// ForceRefresh used by package zoom.
//
// Like x/oauth2's reuse token source, it is a cache in front of a refresher:
// a valid cached token is returned without any I/O; concurrent callers
// share one refresh; a failed refresh is retried after a jittered,
// exponential backoff shared by all callers of the grant, during which
// callers get the last error (a *[RefreshError]) at once, or the current
// token while it is still valid. The refresher is the user grant
// ([Config.TokenSource]) or the server-to-server grant
// ([Config.ServerToServer]); see the package documentation for the
// guarantees each gives.
type TokenSource struct {
	key string
	set settings
	r   refresher
	cur atomic.Pointer[cached]

	mu       sync.Mutex // guards the fields below
	flight   *flight
	failures int
	retryAt  time.Time
	lastErr  error

	rmu sync.Mutex // serialises refreshes
}

type cached struct {
	tok       *oauth2.Token
	refreshAt time.Time // zero: never
	expiry    time.Time
}

type flight struct {
	done     chan struct{}
	rejected string
	tok      *oauth2.Token
	err      error
}

var (
	_ oauth2.TokenSource = (*TokenSource)(nil)
)

// TokenSource returns the persistent, rotation-safe token source of the user
// grant stored under key in store. The grant is put there by the callback
// handler (see [Config.Handlers]) or by the app after [Config.Exchange].
func (c *Config) TokenSource(store tokenstore.Store, key string, opts ...Option) (*TokenSource, error) {
	if store == nil {
		return nil, fmt.Errorf("%w: nil store", ErrInvalidConfig)
	}
	if key == "" {
		return nil, fmt.Errorf("%w: empty key", ErrInvalidConfig)
	}
	set, urls, err := c.settings(opts)
	if err != nil {
		return nil, err
	}
	if set.store != nil {
		return nil, fmt.Errorf("%w: WithStore is for server-to-server token sources", ErrInvalidConfig)
	}
	ts := &TokenSource{key: key, set: set}
	g := newUserGrant(c, urls, store, key, &ts.set)
	g.installed = ts.install
	ts.r = g
	return ts, nil
}

// ServerToServer returns a token source for a Server-to-Server OAuth app
// (grant account_credentials, no refresh token). The token is cached and
// renewed about 60s before it expires; with [WithStore] it is shared through
// a Store, and with a CoordinatedStore only one replica mints a new token.
func (c *Config) ServerToServer(accountID string, opts ...Option) (*TokenSource, error) {
	if accountID == "" {
		return nil, fmt.Errorf("%w: empty account id", ErrInvalidConfig)
	}
	set, urls, err := c.settings(opts)
	if err != nil {
		return nil, err
	}
	store, key := set.store, set.key
	if store == nil {
		store, key = tokenstore.NewMemory(), "zoom:s2s:"+accountID
	}
	ts := &TokenSource{key: key, set: set}
	ts.r = newS2SGrant(c, urls, accountID, store, key, &ts.set)
	return ts, nil
}

func (c *Config) settings(opts []Option) (settings, resolved, error) {
	urls, err := c.resolve()
	if err != nil {
		return settings{}, resolved{}, err
	}
	s := settings{
		now:           time.Now,
		expiryDelta:   DefaultExpiryDelta,
		leaseTTL:      DefaultLeaseTTL,
		storeAttempts: DefaultStoreAttempts,
		storeBackoff:  100 * time.Millisecond,
		grace:         DefaultRotationGrace,
		backoffMin:    DefaultRefreshBackoff,
		backoffMax:    DefaultMaxRefreshBackoff,
		pollMin:       25 * time.Millisecond,
		pollMax:       time.Second,
	}
	for _, o := range opts {
		if o == nil {
			return settings{}, resolved{}, fmt.Errorf("%w: nil option", ErrInvalidConfig)
		}
		if err := o(&s); err != nil {
			return settings{}, resolved{}, err
		}
	}
	return s, urls, nil
}

func randomID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go 1.24+)
	return hex.EncodeToString(b[:])
}

// Key returns the store key of this token source.
func (ts *TokenSource) Key() string { return ts.key }

// Token returns a valid access token; it is TokenContext without a context.
// The returned token must not be modified.
func (ts *TokenSource) Token() (*oauth2.Token, error) {
	return ts.TokenContext(context.Background())
}

// TokenContext returns a valid access token, refreshing it if it expires
// within the expiry delta. ctx bounds only the caller's wait: a refresh
// already started runs to completion. The returned token must not be
// modified.
func (ts *TokenSource) TokenContext(ctx context.Context) (*oauth2.Token, error) {
	if c := ts.cur.Load(); c != nil && (c.refreshAt.IsZero() || ts.set.now().Before(c.refreshAt)) {
		return c.tok, nil
	}
	return ts.slow(ctx, "")
}

// ForceRefresh is called when the API rejected the access token of rejected
// (HTTP 401, Zoom code 124). If the current token already differs, it is
// returned without a request; otherwise the token is refreshed once
// (single-flight, same rules as expiry) and the new token returned.
func (ts *TokenSource) ForceRefresh(ctx context.Context, rejected *oauth2.Token) (*oauth2.Token, error) {
	if rejected == nil || rejected.AccessToken == "" {
		return ts.TokenContext(ctx)
	}
	if c := ts.cur.Load(); c != nil && c.tok.AccessToken != rejected.AccessToken &&
		(c.refreshAt.IsZero() || ts.set.now().Before(c.refreshAt)) {
		return c.tok, nil
	}
	return ts.slow(ctx, rejected.AccessToken)
}

func (ts *TokenSource) fresh(c *cached, rejected string) bool {
	if c == nil || (rejected != "" && c.tok.AccessToken == rejected) {
		return false
	}
	return c.refreshAt.IsZero() || ts.set.now().Before(c.refreshAt)
}

// valid reports whether c can still be used (not expired, not rejected).
func (ts *TokenSource) valid(c *cached, rejected string) bool {
	return c != nil && c.tok.AccessToken != rejected && (c.expiry.IsZero() || ts.set.now().Before(c.expiry))
}

func (ts *TokenSource) slow(ctx context.Context, rejected string) (*oauth2.Token, error) {
	for attempt := 0; ; attempt++ {
		ts.mu.Lock()
		c := ts.cur.Load()
		if ts.fresh(c, rejected) {
			ts.mu.Unlock()
			return c.tok, nil
		}
		f := ts.flight
		if f == nil {
			if ts.lastErr != nil && ts.set.now().Before(ts.retryAt) {
				// Backing off after a failure: answer at once.
				err := ts.lastErr
				ts.mu.Unlock()
				if ts.valid(c, rejected) {
					return c.tok, nil
				}
				return nil, err
			}
			f = &flight{done: make(chan struct{}), rejected: rejected}
			ts.flight = f
			go ts.run(ctx, f)
		}
		ts.mu.Unlock()
		select {
		case <-f.done:
		case <-ctx.Done():
			return nil, fmt.Errorf("oauth: waiting for token refresh: %w", context.Cause(ctx))
		}
		// A forced refresh that joined a flight which ended on the rejected
		// token itself starts one flight of its own.
		if f.err == nil && rejected != "" && f.tok.AccessToken == rejected && f.rejected != rejected && attempt == 0 {
			continue
		}
		return f.tok, f.err
	}
}

// run performs one refresh for the callers of f, detached from the first
// caller's cancellation and bounded by its own deadline.
func (ts *TokenSource) run(parent context.Context, f *flight) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(parent), ts.set.leaseTTL+ts.set.grace+2*maxRequestTimeout)
	defer cancel()
	ts.rmu.Lock()
	tok, err := ts.r.refresh(ctx, f.rejected)
	ts.rmu.Unlock()
	var holdOff time.Time
	ts.mu.Lock()
	switch {
	case err == nil:
		c := ts.newCached(tok)
		ts.cur.Store(c)
		f.tok = c.tok
		ts.failures, ts.lastErr, ts.retryAt = 0, nil, time.Time{}
	case errors.Is(err, ErrReauthorizationRequired):
		// A dead grant costs no request to report again (dead mark or
		// the refresher's memory): no backoff needed.
		ts.failures, ts.lastErr, ts.retryAt = 0, nil, time.Time{}
		f.err = err
	default:
		ts.failures++
		ts.retryAt = ts.set.now().Add(ts.backoff(ts.failures))
		holdOff = ts.retryAt
		err = &RefreshError{Key: ts.key, RetryAt: ts.retryAt, Err: err}
		ts.lastErr = err
		f.err = err
		if old := ts.cur.Load(); ts.valid(old, f.rejected) {
			// The current token still works for a while: keep serving it.
			f.tok, f.err = old.tok, nil
		}
	}
	ts.flight = nil
	ts.mu.Unlock()
	close(f.done)
	if err != nil {
		ts.logWarn(ctx, "oauth: token refresh failed", err)
	}
	if !holdOff.IsZero() {
		ts.r.holdOff(ctx, holdOff)
	}
}

// install serves tok, saved by a background save, and ends the backoff.
func (ts *TokenSource) install(tok *tokenstore.Token) {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	ts.cur.Store(ts.newCached(tok))
	ts.failures, ts.lastErr, ts.retryAt = 0, nil, time.Time{}
}

// backoff returns the wait after n consecutive failures: the base doubled
// per failure, capped, with jitter in [d/2, d].
func (ts *TokenSource) backoff(n int) time.Duration {
	d := ts.set.backoffMin
	for i := 1; i < n && d < ts.set.backoffMax; i++ {
		d *= 2
	}
	d = min(d, ts.set.backoffMax)
	return d/2 + mrand.N(d/2+1)
}

func (ts *TokenSource) newCached(t *tokenstore.Token) *cached {
	c := &cached{tok: t.OAuth2(), expiry: t.Expiry}
	if !t.Expiry.IsZero() {
		c.refreshAt = t.Expiry.Add(-ts.set.expiryDelta)
		// A token served after a failed refresh: retry at most every 5s.
		if now := ts.set.now(); !now.Before(c.refreshAt) {
			c.refreshAt = now.Add(5 * time.Second)
			if t.Expiry.Before(c.refreshAt) {
				c.refreshAt = t.Expiry
			}
		}
	}
	return c
}

func (ts *TokenSource) logWarn(ctx context.Context, msg string, err error) {
	logWarn(ctx, ts.set.logger, ts.key, msg, err)
}

func logWarn(ctx context.Context, l *slog.Logger, key, msg string, err error) {
	if l != nil {
		l.WarnContext(ctx, msg, slog.String("key", key), slog.String("error", err.Error()))
	}
}

// String describes the token source without secrets.
func (ts *TokenSource) String() string {
	return fmt.Sprintf("oauth.TokenSource{kind:%s key:%q}", ts.r.kind(), ts.key)
}

// GoString describes the token source without secrets, for %#v.
func (ts *TokenSource) GoString() string { return ts.String() }

// maxRequestTimeout is the largest Config.RequestTimeout; a refresh makes at
// most two token requests.
const maxRequestTimeout = 5 * time.Minute

// usable reports whether a stored token can be handed out as is: it has an
// access token that is not rejected, is not marked dead, and is not within
// the expiry delta of its expiry.
func usable(s *settings, t *tokenstore.Token, rejected string) bool {
	if t == nil || t.Dead != nil || t.AccessToken == "" || (rejected != "" && t.AccessToken == rejected) {
		return false
	}
	return t.Expiry.IsZero() || s.now().Before(t.Expiry.Add(-s.expiryDelta))
}

// stillValid reports whether a stored token works for a while yet, though it
// is due for renewal: served when a refresh fails for a transient reason.
func stillValid(s *settings, t *tokenstore.Token, rejected string) bool {
	if t == nil || t.Dead != nil || t.AccessToken == "" || t.AccessToken == rejected {
		return false
	}
	return t.Expiry.IsZero() || s.now().Before(t.Expiry)
}

// load reads key from store: the token and its version (0 on a plain
// store), or (nil, 0, nil) when nothing is stored.
func load(ctx context.Context, store tokenstore.Store, key string) (*tokenstore.Token, int64, error) {
	var (
		t   *tokenstore.Token
		v   int64
		err error
	)
	if coord, ok := store.(tokenstore.CoordinatedStore); ok {
		t, v, err = coord.Load(ctx, key)
	} else {
		t, err = store.Get(ctx, key)
	}
	if errors.Is(err, tokenstore.ErrNotFound) {
		return nil, 0, nil
	}
	if err != nil {
		return nil, 0, fmt.Errorf("oauth: reading token store: %w", err)
	}
	return t, v, nil
}
