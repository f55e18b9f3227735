package oauth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/oauth2"

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
	// the Store is attempted within one refresh.
	DefaultStoreAttempts = 4
)

// Clock is the time source of a TokenSource: when tokens expire, and how
// long to wait while another replica holds the refresh lease. Tests inject a
// fake; testing/synctest works with the default real clock too.
type Clock interface {
	// Now returns the current time.
	Now() time.Time
	// After waits for d to pass, like time.After.
	After(d time.Duration) <-chan time.Time
}

type realClock struct{}

func (realClock) Now() time.Time                         { return time.Now() }
func (realClock) After(d time.Duration) <-chan time.Time { return time.After(d) }

// Option configures a [TokenSource].
type Option func(*settings) error

type settings struct {
	clock         Clock
	expiryDelta   time.Duration
	leaseTTL      time.Duration
	storeAttempts int
	storeBackoff  time.Duration
	pollMin       time.Duration
	pollMax       time.Duration
	logger        *slog.Logger
	onReauth      func(ctx context.Context, key string, err error)
	beforeCommit  func(ctx context.Context, key string)
	beforeRefresh func(ctx context.Context, key string)
	store         tokenstore.Store
	key           string
}

// WithClock sets the clock (default: the real clock).
func WithClock(c Clock) Option {
	return func(s *settings) error {
		if c == nil {
			return fmt.Errorf("%w: nil Clock", ErrInvalidConfig)
		}
		s.clock = c
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
// is attempted (default 4) and the first backoff between attempts (default
// 100ms, doubling). When every attempt fails the new token stays in memory,
// unused, and the next call retries the write before anything else: the
// old refresh token is never presented again.
func WithStoreRetry(attempts int, backoff time.Duration) Option {
	return func(s *settings) error {
		if attempts < 1 || attempts > 100 || backoff < 0 || backoff > time.Minute {
			return fmt.Errorf("%w: store retry (%d, %v) out of range", ErrInvalidConfig, attempts, backoff)
		}
		s.storeAttempts, s.storeBackoff = attempts, backoff
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

// WithOnReauthorizationRequired calls f once each time the grant stored
// under the key is found dead (the app emails its user "reconnect Zoom").
// err matches ErrReauthorizationRequired. It is not called when nothing was
// ever stored under the key (Token then fails with an error matching both
// ErrReauthorizationRequired and tokenstore.ErrNotFound). f runs
// synchronously inside the refresh: keep it short, or hand off to a
// goroutine.
func WithOnReauthorizationRequired(f func(ctx context.Context, key string, err error)) Option {
	return func(s *settings) error {
		if f == nil {
			return fmt.Errorf("%w: nil hook", ErrInvalidConfig)
		}
		s.onReauth = f
		return nil
	}
}

// WithBeforeCommit is a test hook: f runs after the token endpoint returned
// a new token and before it is written to the Store (the CompareAndSwap on a
// CoordinatedStore). A cross-replica test blocks in f until the leader's
// lease has expired and another replica has refreshed, then checks that the
// late write is rejected and the newer token kept.
func WithBeforeCommit(f func(ctx context.Context, key string)) Option {
	return func(s *settings) error {
		if f == nil {
			return fmt.Errorf("%w: nil hook", ErrInvalidConfig)
		}
		s.beforeCommit = f
		return nil
	}
}

// WithBeforeRefresh is a test hook: f runs just before the refresh token
// is presented to the token endpoint (on a CoordinatedStore: while holding
// the lease, after the re-read). A cross-replica test blocks in f past the
// lease TTL to check that another replica takes over and that this one then
// adopts the stored token instead of overwriting it.
func WithBeforeRefresh(f func(ctx context.Context, key string)) Option {
	return func(s *settings) error {
		if f == nil {
			return fmt.Errorf("%w: nil hook", ErrInvalidConfig)
		}
		s.beforeRefresh = f
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

// TokenSource hands out Zoom access tokens for one key, refreshing them
// through a [tokenstore.Store]. It is safe for concurrent use, implements
// oauth2.TokenSource, and also offers the context-aware TokenContext and
// ForceRefresh used by package zoom.
//
// Guarantees (user OAuth, where Zoom rotates the refresh token on every
// refresh):
//   - a valid cached token is returned without any I/O;
//   - concurrent callers share one refresh per TokenSource, and TokenSources
//     over one CoordinatedStore share one refresh per key (lease, re-read,
//     compare-and-swap);
//   - a refreshed token is written to the Store before any caller receives
//     it; a failed write is retried, and the new token is kept in memory
//     until written: the old refresh token is never presented again;
//   - the refresh runs detached from the caller's context, bounded by its
//     own timeouts, so a cancelled caller never loses a rotated token;
//   - on invalid_grant (or a Zoom "token revoked/invalid" code) the Store is
//     re-read once (another replica may have rotated it); otherwise every
//     caller gets a *ReauthorizationError and the hook runs once. No further
//     token request is made for that refresh token;
//   - when a refresh request was sent but its answer lost, the refresh token
//     is never presented again either (ErrRefreshOutcomeUnknown).
//
// Use one TokenSource per key per process (or a CoordinatedStore such as
// tokenstore.Memory, which also coordinates separate TokenSources).
type TokenSource struct {
	cfg      *Config
	urls     resolved
	key      string
	store    tokenstore.Store
	coord    tokenstore.CoordinatedStore // nil for plain stores
	owner    string
	s2s      bool
	account  string
	set      settings
	cur      atomic.Pointer[cached]
	mu       sync.Mutex // guards flight
	flight   *flight
	fmu      sync.Mutex // serialises flights' use of the fields below
	pending  *tokenstore.Token
	pendingV int64
	burned   map[string]bool // fingerprints of refresh tokens never to present again
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
	ts, err := c.newTokenSource(opts)
	if err != nil {
		return nil, err
	}
	if ts.set.store != nil {
		return nil, fmt.Errorf("%w: WithStore is for server-to-server token sources", ErrInvalidConfig)
	}
	ts.store, ts.key = store, key
	ts.coord, _ = store.(tokenstore.CoordinatedStore)
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
	ts, err := c.newTokenSource(opts)
	if err != nil {
		return nil, err
	}
	ts.s2s, ts.account = true, accountID
	ts.store, ts.key = ts.set.store, ts.set.key
	if ts.store == nil {
		ts.store, ts.key = tokenstore.NewMemory(), "zoom:s2s:"+accountID
	}
	ts.coord, _ = ts.store.(tokenstore.CoordinatedStore)
	return ts, nil
}

func (c *Config) newTokenSource(opts []Option) (*TokenSource, error) {
	urls, err := c.resolve()
	if err != nil {
		return nil, err
	}
	s := settings{
		clock:         realClock{},
		expiryDelta:   DefaultExpiryDelta,
		leaseTTL:      DefaultLeaseTTL,
		storeAttempts: DefaultStoreAttempts,
		storeBackoff:  100 * time.Millisecond,
		pollMin:       25 * time.Millisecond,
		pollMax:       time.Second,
	}
	for _, o := range opts {
		if o == nil {
			return nil, fmt.Errorf("%w: nil option", ErrInvalidConfig)
		}
		if err := o(&s); err != nil {
			return nil, err
		}
	}
	cfg := *c
	return &TokenSource{cfg: &cfg, urls: urls, set: s, owner: randomID(), burned: map[string]bool{}}, nil
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
	if c := ts.cur.Load(); c != nil && (c.refreshAt.IsZero() || ts.set.clock.Now().Before(c.refreshAt)) {
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
		(c.refreshAt.IsZero() || ts.set.clock.Now().Before(c.refreshAt)) {
		return c.tok, nil
	}
	return ts.slow(ctx, rejected.AccessToken)
}

func (ts *TokenSource) fresh(c *cached, rejected string) bool {
	if c == nil || (rejected != "" && c.tok.AccessToken == rejected) {
		return false
	}
	return c.refreshAt.IsZero() || ts.set.clock.Now().Before(c.refreshAt)
}

func (ts *TokenSource) slow(ctx context.Context, rejected string) (*oauth2.Token, error) {
	for attempt := 0; ; attempt++ {
		ts.mu.Lock()
		if c := ts.cur.Load(); ts.fresh(c, rejected) {
			ts.mu.Unlock()
			return c.tok, nil
		}
		f := ts.flight
		if f == nil {
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

func (ts *TokenSource) run(parent context.Context, f *flight) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(parent), ts.set.leaseTTL+DefaultRequestTimeout+30*time.Second)
	defer cancel()
	ts.fmu.Lock()
	tok, err := ts.refresh(ctx, f.rejected)
	ts.fmu.Unlock()
	var c *cached
	if err == nil {
		c = ts.newCached(tok)
	}
	ts.mu.Lock()
	if c != nil {
		ts.cur.Store(c)
		f.tok = c.tok
	} else if old := ts.cur.Load(); old != nil && !errors.Is(err, ErrReauthorizationRequired) &&
		(old.expiry.IsZero() || ts.set.clock.Now().Before(old.expiry)) && old.tok.AccessToken != f.rejected {
		// A transient failure while the current token is still valid: keep
		// serving it; the next call past refreshAt tries again.
		f.tok = old.tok
		err = nil
	}
	f.err = err
	ts.flight = nil
	ts.mu.Unlock()
	close(f.done)
}

func (ts *TokenSource) newCached(t *tokenstore.Token) *cached {
	c := &cached{tok: t.OAuth2(), expiry: t.Expiry}
	if !t.Expiry.IsZero() {
		c.refreshAt = t.Expiry.Add(-ts.set.expiryDelta)
		// A token served after a failed refresh: retry at most every 5s.
		if now := ts.set.clock.Now(); !now.Before(c.refreshAt) {
			c.refreshAt = now.Add(5 * time.Second)
			if t.Expiry.Before(c.refreshAt) {
				c.refreshAt = t.Expiry
			}
		}
	}
	return c
}

// usable reports whether a stored token can be handed out as is.
func (ts *TokenSource) usable(t *tokenstore.Token, rejected string) bool {
	if t == nil || t.AccessToken == "" || (rejected != "" && t.AccessToken == rejected) {
		return false
	}
	return t.Expiry.IsZero() || ts.set.clock.Now().Before(t.Expiry.Add(-ts.set.expiryDelta))
}

func (ts *TokenSource) load(ctx context.Context) (*tokenstore.Token, int64, error) {
	if ts.coord != nil {
		return ts.coord.Load(ctx, ts.key)
	}
	t, err := ts.store.Get(ctx, ts.key)
	return t, 0, err
}

func fingerprint(rt string) string {
	if rt == "" {
		return ""
	}
	h := sha256.Sum256([]byte(rt))
	return hex.EncodeToString(h[:])
}

func (ts *TokenSource) logWarn(ctx context.Context, msg string, err error) {
	if ts.set.logger != nil {
		ts.set.logger.WarnContext(ctx, msg, slog.String("key", ts.key), slog.String("error", err.Error()))
	}
}

// refresh runs inside a flight (fmu held). It returns the token to hand out,
// already persisted.
func (ts *TokenSource) refresh(ctx context.Context, rejected string) (*tokenstore.Token, error) {
	if ts.pending != nil {
		tok, err := ts.savePending(ctx)
		if err != nil || tok != nil {
			return tok, err
		}
	}
	stored, ver, err := ts.load(ctx)
	notFound := errors.Is(err, tokenstore.ErrNotFound)
	if err != nil && !notFound {
		return nil, fmt.Errorf("oauth: reading token store: %w", err)
	}
	if notFound {
		stored, ver = nil, 0
	}
	if ts.usable(stored, rejected) {
		return stored, nil
	}
	if !ts.s2s {
		if err := ts.checkRedeemable(ctx, stored, notFound); err != nil {
			return nil, err
		}
	}
	if ts.coord == nil {
		return ts.redeem(ctx, stored, 0, rejected, false)
	}
	// Cross-replica protocol: lease, re-read, redeem, compare-and-swap, release.
	backoff := ts.set.pollMin
	for {
		err := ts.coord.AcquireLease(ctx, ts.key, ts.owner, ts.set.leaseTTL)
		if err == nil {
			break
		}
		if !errors.Is(err, tokenstore.ErrLeaseHeld) {
			return nil, fmt.Errorf("oauth: taking the refresh lease: %w", err)
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("oauth: waiting for another replica's refresh: %w", context.Cause(ctx))
		case <-ts.set.clock.After(backoff):
		}
		backoff = min(backoff*2, ts.set.pollMax)
		s2, v2, err := ts.coord.Load(ctx, ts.key)
		if err == nil && v2 != ver && ts.usable(s2, rejected) {
			return s2, nil
		}
	}
	defer func() {
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		if err := ts.coord.ReleaseLease(rctx, ts.key, ts.owner); err != nil {
			ts.logWarn(rctx, "oauth: releasing refresh lease", err)
		}
	}()
	stored, ver, err = ts.coord.Load(ctx, ts.key)
	notFound = errors.Is(err, tokenstore.ErrNotFound)
	if err != nil && !notFound {
		return nil, fmt.Errorf("oauth: reading token store: %w", err)
	}
	if notFound {
		stored, ver = nil, 0
	}
	if ts.usable(stored, rejected) {
		return stored, nil
	}
	if !ts.s2s {
		if err := ts.checkRedeemable(ctx, stored, notFound); err != nil {
			return nil, err
		}
	}
	return ts.redeem(ctx, stored, ver, rejected, false)
}

// checkRedeemable refuses, without a request, a grant that cannot or must
// not be redeemed.
func (ts *TokenSource) checkRedeemable(ctx context.Context, stored *tokenstore.Token, notFound bool) error {
	switch {
	case notFound:
		return &ReauthorizationError{Key: ts.key, Err: fmt.Errorf("no token stored: %w", tokenstore.ErrNotFound)}
	case stored.RefreshToken == "":
		return ts.dead(ctx, "no-refresh-token:"+stored.AccessToken, errors.New("the stored token has no refresh token"))
	case ts.burned[fingerprint(stored.RefreshToken)]:
		return &ReauthorizationError{Key: ts.key, Err: errors.New("the stored refresh token was already rejected or consumed")}
	}
	return nil
}

// dead marks rt as never to be presented again, runs the hook once per
// refresh token, and returns the reauthorization error.
func (ts *TokenSource) dead(ctx context.Context, rt string, cause error) error {
	err := &ReauthorizationError{Key: ts.key, Err: cause}
	fp := fingerprint(rt)
	if ts.burned[fp] {
		return err
	}
	ts.burn(fp)
	ts.logWarn(ctx, "oauth: reauthorization required", err)
	if ts.set.onReauth != nil {
		ts.set.onReauth(ctx, ts.key, err)
	}
	return err
}

func (ts *TokenSource) grant(ctx context.Context, stored *tokenstore.Token) (*tokenstore.Token, error) {
	form := url.Values{}
	if ts.s2s {
		form.Set("grant_type", "account_credentials")
		form.Set("account_id", ts.account)
		return ts.cfg.retrieve(ctx, ts.urls.tokenURL, form, ts.set.clock.Now, false)
	}
	form.Set("grant_type", "refresh_token")
	form.Set("refresh_token", stored.RefreshToken)
	return ts.cfg.retrieve(ctx, ts.urls.tokenURL, form, ts.set.clock.Now, true)
}

// redeem asks the token endpoint for a new token and persists it. ver is
// the version read under the lease (coordinated stores).
func (ts *TokenSource) redeem(ctx context.Context, stored *tokenstore.Token, ver int64, rejected string, second bool) (*tokenstore.Token, error) {
	if ts.set.beforeRefresh != nil {
		ts.set.beforeRefresh(ctx, ts.key)
	}
	newTok, err := ts.grant(ctx, stored)
	if err != nil {
		return ts.grantFailed(ctx, stored, rejected, second, err)
	}
	if ts.set.logger != nil {
		ts.set.logger.InfoContext(ctx, "oauth: token refreshed", slog.String("key", ts.key), slog.Time("expiry", newTok.Expiry))
	}
	if !ts.s2s {
		// From here on the old refresh token is spent.
		ts.burn(fingerprint(stored.RefreshToken))
	}
	if ts.set.beforeCommit != nil {
		ts.set.beforeCommit(ctx, ts.key)
	}
	ts.pending, ts.pendingV = newTok, ver
	tok, err := ts.savePending(ctx)
	if err != nil {
		return nil, err
	}
	if tok == nil {
		return nil, fmt.Errorf("oauth: refreshed token superseded by a newer stored token that is not usable: %w", tokenstore.ErrConflict)
	}
	return tok, nil
}

// savePending writes ts.pending to the store, retrying. It returns the token
// to hand out; (nil, nil) when a newer token was stored meanwhile and is not
// usable, in which case pending is dropped and the caller starts over.
func (ts *TokenSource) savePending(ctx context.Context) (*tokenstore.Token, error) {
	backoff := ts.set.storeBackoff
	var err error
	for attempt := 0; attempt < ts.set.storeAttempts; attempt++ {
		if attempt > 0 {
			select {
			case <-ctx.Done():
				attempt = ts.set.storeAttempts
				continue
			case <-ts.set.clock.After(backoff):
			}
			backoff *= 2
		}
		if ts.coord != nil {
			_, err = ts.coord.CompareAndSwap(ctx, ts.key, ts.pendingV, ts.pending)
			if errors.Is(err, tokenstore.ErrConflict) {
				// A newer token is stored (our lease expired and another
				// replica refreshed, or the user reconnected): never
				// overwrite it.
				ts.pending = nil
				stored, _, lerr := ts.coord.Load(ctx, ts.key)
				if lerr == nil && ts.usable(stored, "") {
					return stored, nil
				}
				return nil, nil
			}
		} else {
			err = ts.store.Put(ctx, ts.key, ts.pending)
		}
		if err == nil {
			tok := ts.pending
			ts.pending = nil
			return tok, nil
		}
		ts.logWarn(ctx, "oauth: saving refreshed token", err)
	}
	return nil, fmt.Errorf("oauth: saving the refreshed token (kept in memory, will retry): %w", err)
}

func (ts *TokenSource) grantFailed(ctx context.Context, stored *tokenstore.Token, rejected string, second bool, err error) (*tokenstore.Token, error) {
	var te *TokenError
	var re *requestError
	var me *malformedError
	switch {
	case !ts.s2s && errors.As(err, &te) && te.grantDead():
		// Another replica may have rotated the token: re-read once.
		s2, v2, lerr := ts.load(ctx)
		if lerr == nil && s2.RefreshToken != "" && s2.RefreshToken != stored.RefreshToken {
			if ts.usable(s2, rejected) {
				return s2, nil
			}
			if !second {
				return ts.redeem(ctx, s2, v2, rejected, true)
			}
		}
		return nil, ts.dead(ctx, stored.RefreshToken, err)
	case !ts.s2s && (errors.As(err, &re) && re.outcome == outcomeUncertain || errors.As(err, &me)):
		// Zoom may have rotated the refresh token: never present it again
		// (dead below marks it).
		s2, v2, lerr := ts.load(ctx)
		if lerr == nil && s2.RefreshToken != stored.RefreshToken && ts.usable(s2, rejected) {
			return s2, nil
		}
		if lerr == nil && ts.coord != nil && s2.RefreshToken == stored.RefreshToken {
			// Tell the other replicas: keep the access token, drop the
			// refresh token whose fate is unknown.
			c := s2.Clone()
			c.RefreshToken = ""
			ts.burn(fingerprint("no-refresh-token:" + c.AccessToken))
			if _, cerr := ts.coord.CompareAndSwap(ctx, ts.key, v2, c); cerr != nil {
				ts.logWarn(ctx, "oauth: marking refresh token as spent", cerr)
			}
		}
		return nil, ts.dead(ctx, stored.RefreshToken, fmt.Errorf("%w: %w", ErrRefreshOutcomeUnknown, err))
	default:
		ts.logWarn(ctx, "oauth: token refresh failed", err)
		if stored != nil && stored.AccessToken != rejected && (stored.Expiry.IsZero() || ts.set.clock.Now().Before(stored.Expiry)) {
			// Transient failure: the stored token still works for a while.
			return stored, nil
		}
		return nil, err
	}
}

// burn records fp as never to be presented again. The set stays small: a
// TokenSource sees one grant at a time.
func (ts *TokenSource) burn(fp string) {
	if fp == "" {
		return
	}
	if len(ts.burned) >= 64 {
		clear(ts.burned)
	}
	ts.burned[fp] = true
}

// String describes the token source without secrets.
func (ts *TokenSource) String() string {
	kind := "user"
	if ts.s2s {
		kind = "server-to-server"
	}
	return fmt.Sprintf("oauth.TokenSource{kind:%s key:%q}", kind, ts.key)
}

// GoString describes the token source without secrets, for %#v.
func (ts *TokenSource) GoString() string { return ts.String() }
