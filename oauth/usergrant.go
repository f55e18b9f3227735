package oauth

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"sync"
	"time"

	"github.com/zoomkit/zoomkit/tokenstore"
)

// userGrant refreshes a user OAuth grant, whose refresh token Zoom rotates
// on every refresh and kills at once. Its rules, in the order they apply:
//
//   - a rotated token is saved before it is handed out; a save that keeps
//     failing goes on in the background while the lease is renewed, and is
//     never dropped because the record was deleted or marked dead meanwhile;
//   - an answer whose outcome is unknown keeps the refresh token: it is
//     presented once more, and only Zoom's refusal of it is a dead grant;
//   - a refusal is checked against the store for a grace period, in case
//     another replica redeemed the token and is about to save;
//   - the dead verdict is stored as a dead mark with a compare-and-swap, so
//     every replica reads it and the hook runs once.
type userGrant struct {
	cfg   *Config
	urls  resolved
	key   string
	store tokenstore.Store
	coord tokenstore.CoordinatedStore // nil for a plain Store
	lease *lease                      // nil for a plain Store
	set   *settings
	// installed is called with a token saved by the background save, so
	// that the TokenSource serves it at once.
	installed func(*tokenstore.Token)

	// burned holds fingerprints of refresh tokens never to present again:
	// redeemed ones, and dead ones when no dead mark could be stored. Only
	// touched by refresh, which the TokenSource serialises.
	burned map[string]bool

	pmu     sync.Mutex
	pending *pendingSave // a rotated token not saved yet
}

// pendingSave is a rotated token whose save is retried in the background.
type pendingSave struct {
	tok   *tokenstore.Token
	ver   int64  // the version it replaces
	spent string // the refresh token it was redeemed with
	done  chan struct{}
	// guarded by userGrant.pmu:
	err   error             // last save error
	saved *tokenstore.Token // when done: the token to hand out, or nil (superseded)
}

func newUserGrant(c *Config, urls resolved, store tokenstore.Store, key string, set *settings) *userGrant {
	cfg := *c
	g := &userGrant{cfg: &cfg, urls: urls, key: key, store: store, set: set, burned: map[string]bool{}}
	g.coord, _ = store.(tokenstore.CoordinatedStore)
	g.lease = newLease(store, key, set)
	return g
}

func (g *userGrant) kind() string { return "user" }

// errSuperseded: the rotated token lost to a newer grant stored meanwhile,
// whose access token is not usable; the refresh starts over with it.
var errSuperseded = errors.New("oauth: refreshed token superseded by a newer stored grant")

func (g *userGrant) refresh(ctx context.Context, rejected string) (*tokenstore.Token, error) {
	for range 3 {
		tok, err := g.refreshOnce(ctx, rejected)
		if !errors.Is(err, errSuperseded) {
			return tok, err
		}
	}
	return nil, errSuperseded
}

func (g *userGrant) refreshOnce(ctx context.Context, rejected string) (*tokenstore.Token, error) {
	if tok, err, ok := g.takePending(rejected); ok {
		return tok, err
	}
	stored, ver, err := load(ctx, g.store, g.key)
	if err != nil {
		return nil, err
	}
	if tok, err, ok := g.check(ctx, stored, ver, rejected); ok {
		return tok, err
	}
	if g.lease == nil {
		return g.redeem(ctx, stored, ver, rejected, redeemOpts{})
	}
	// Cross-replica protocol: lease, re-read, redeem, compare-and-swap.
	t, held, contended, err := g.lease.acquire(ctx, func(t *tokenstore.Token, v int64) bool {
		return v != ver && (t == nil || t.Dead != nil || usable(g.set, t, rejected))
	})
	if err != nil {
		return nil, err
	}
	if !held {
		if tok, err, ok := g.check(ctx, t, 0, rejected); ok {
			return tok, err
		}
		return nil, errSuperseded // cannot happen: stop accepted it
	}
	defer func() {
		if !g.hasPending() { // else the background save keeps the lease
			g.lease.release(ctx)
		}
	}()
	stored, ver, err = load(ctx, g.store, g.key)
	if err != nil {
		return nil, err
	}
	if tok, err, ok := g.check(ctx, stored, ver, rejected); ok {
		return tok, err
	}
	return g.redeem(ctx, stored, ver, rejected, redeemOpts{contended: contended})
}

// redeemOpts qualifies one redeem: depth bounds the redeems of one refresh;
// contended reports that another replica held the lease during this
// refresh, so it may be mid-rotation.
type redeemOpts struct {
	depth     int
	contended bool
}

// check decides, from the stored record alone, whether a refresh is needed:
// ok reports that tok or err is the answer.
func (g *userGrant) check(ctx context.Context, stored *tokenstore.Token, ver int64, rejected string) (tok *tokenstore.Token, err error, ok bool) {
	switch {
	case stored == nil:
		return nil, &ReauthorizationError{Key: g.key, Err: fmt.Errorf("no token stored: %w", tokenstore.ErrNotFound)}, true
	case stored.Dead != nil:
		return nil, g.markedDead(stored), true
	case usable(g.set, stored, rejected):
		return stored, nil, true
	case stored.RefreshToken == "":
		return nil, g.declareDead(ctx, stored, ver, "no refresh token", errors.New("the stored token has no refresh token")), true
	case g.burned[fingerprint(stored.RefreshToken)]:
		return nil, &ReauthorizationError{Key: g.key, Err: errors.New("the stored refresh token was already rejected or consumed")}, true
	}
	return nil, nil, false
}

func (g *userGrant) markedDead(stored *tokenstore.Token) error {
	return &ReauthorizationError{Key: g.key, Err: fmt.Errorf("%w (%s at %s)", ErrGrantMarkedDead,
		clip(stored.Dead.Reason, 64), stored.Dead.At.UTC().Format(time.RFC3339))}
}

func (g *userGrant) grant(ctx context.Context, refreshToken string) (*tokenstore.Token, error) {
	form := url.Values{}
	form.Set("grant_type", "refresh_token")
	form.Set("refresh_token", refreshToken)
	return g.cfg.retrieve(ctx, g.urls.tokenURL, form, g.set.now, true)
}

// unknownOutcome reports a token request that may have been redeemed by
// Zoom although no token came back.
func unknownOutcome(err error) bool {
	var re *requestError
	var me *malformedError
	return errors.As(err, &re) && re.outcome == outcomeUncertain || errors.As(err, &me)
}

// redeem presents stored's refresh token and saves the rotated token. ver
// is the version stored was read at.
func (g *userGrant) redeem(ctx context.Context, stored *tokenstore.Token, ver int64, rejected string, o redeemOpts) (*tokenstore.Token, error) {
	newTok, err := g.grant(ctx, stored.RefreshToken)
	if unknownOutcome(err) {
		// An unknown outcome is not a dead grant. Present the same refresh
		// token once more: if Zoom did redeem it, the answer is
		// invalid_grant, which is then the truth.
		logWarn(ctx, g.set.logger, g.key, "oauth: token refresh outcome unknown; retrying once with the same refresh token", err)
		newTok, err = g.grant(ctx, stored.RefreshToken)
		if unknownOutcome(err) {
			return nil, fmt.Errorf("%w: %w", ErrRefreshOutcomeUnknown, err)
		}
	}
	if err != nil {
		var te *TokenError
		if errors.As(err, &te) && te.grantDead() {
			return g.refused(ctx, stored, ver, rejected, o, te)
		}
		if stillValid(g.set, stored, rejected) {
			// Transient failure: the stored token still works for a while.
			logWarn(ctx, g.set.logger, g.key, "oauth: token refresh failed; the current token is still valid", err)
			return stored, nil
		}
		return nil, err
	}
	if g.set.logger != nil {
		g.set.logger.InfoContext(ctx, "oauth: token refreshed", slog.String("key", g.key), slog.Time("expiry", newTok.Expiry))
	}
	// From here on the old refresh token is spent.
	g.burn(fingerprint(stored.RefreshToken))
	return g.save(ctx, &pendingSave{tok: newTok, ver: ver, spent: stored.RefreshToken, done: make(chan struct{})})
}

// refused handles Zoom's refusal of stored's refresh token. The store is
// re-read: another replica may have saved a rotated token meanwhile. When
// another replica held the lease during this refresh, it may have redeemed
// the token and be about to save (its lease expired while it was paused
// after Zoom rotated): the store is watched for that save within the grace.
// Then the grant is declared dead.
func (g *userGrant) refused(ctx context.Context, stored *tokenstore.Token, ver int64, rejected string, o redeemOpts, te *TokenError) (*tokenstore.Token, error) {
	deadline := g.set.now()
	if g.coord != nil && o.contended {
		deadline = deadline.Add(g.set.grace)
	}
	delay := g.set.pollMin
	for {
		cur, cv, err := load(ctx, g.store, g.key)
		if err == nil {
			switch {
			case cur == nil:
				return nil, &ReauthorizationError{Key: g.key, Err: fmt.Errorf("the grant was removed from the store: %w", tokenstore.ErrNotFound)}
			case cur.Dead != nil:
				return nil, g.markedDead(cur)
			case cur.RefreshToken != stored.RefreshToken:
				if usable(g.set, cur, rejected) {
					return cur, nil
				}
				if o.depth == 0 {
					return g.redeem(ctx, cur, cv, rejected, redeemOpts{depth: 1, contended: o.contended})
				}
			}
		}
		now := g.set.now()
		if !now.Before(deadline) {
			break
		}
		if !sleep(ctx, min(delay, deadline.Sub(now))) {
			break
		}
		delay = min(delay*2, g.set.pollMax)
		if err := g.lease.renew(ctx); err != nil {
			logWarn(ctx, g.set.logger, g.key, "oauth: renewing the refresh lease", err)
		}
	}
	return nil, g.declareDead(ctx, stored, ver, te.ErrorCode, te)
}

// declareDead records that stored's grant is dead and runs the hook once.
// On a CoordinatedStore the verdict is a dead mark written with a
// compare-and-swap on ver, the version stored was read at: a newer save
// wins over it, and a replica that finds the mark already written reports
// it without running the hook again.
func (g *userGrant) declareDead(ctx context.Context, stored *tokenstore.Token, ver int64, reason string, cause error) error {
	if g.coord != nil {
		mark := stored.Clone()
		mark.Dead = &tokenstore.DeadMark{At: g.set.now().UTC(), Reason: clip(reason, 64)}
		_, err := g.coord.CompareAndSwap(ctx, g.key, ver, mark)
		if errors.Is(err, tokenstore.ErrConflict) {
			cur, _, lerr := load(ctx, g.store, g.key)
			switch {
			case lerr != nil:
				err = lerr
			case cur == nil:
				return &ReauthorizationError{Key: g.key, Err: fmt.Errorf("the grant was removed from the store: %w", tokenstore.ErrNotFound)}
			case cur.Dead != nil:
				return g.markedDead(cur)
			case cur.RefreshToken != stored.RefreshToken:
				// A newer grant was saved: the caller's next attempt uses it.
				return fmt.Errorf("oauth: a newer grant was stored while the old one was refused: %w", tokenstore.ErrConflict)
			}
		}
		if err != nil {
			logWarn(ctx, g.set.logger, g.key, "oauth: recording the dead grant in the store", err)
		}
	}
	return g.dead(ctx, stored, cause)
}

// dead marks stored's grant as never to be presented again in this
// process, runs the hook once per grant, and returns the reauthorization
// error.
func (g *userGrant) dead(ctx context.Context, stored *tokenstore.Token, cause error) error {
	err := &ReauthorizationError{Key: g.key, Err: cause}
	id := stored.RefreshToken
	if id == "" {
		id = "no-refresh-token:" + stored.AccessToken
	}
	fp := fingerprint(id)
	if g.burned[fp] {
		return err
	}
	g.burn(fp)
	logWarn(ctx, g.set.logger, g.key, "oauth: reauthorization required", err)
	if g.set.onReauth != nil {
		g.set.onReauth(ctx, g.key, err)
	}
	return err
}

// save writes the rotated token, retrying a few times; then it hands the
// save to a background goroutine that keeps the lease and retries until the
// token is saved or superseded, and reports ErrSavePending.
func (g *userGrant) save(ctx context.Context, p *pendingSave) (*tokenstore.Token, error) {
	delay := g.set.storeBackoff
	var err error
	for attempt := range g.set.storeAttempts {
		if attempt > 0 {
			if !sleep(ctx, delay) {
				break
			}
			delay *= 2
			// The retries may outlast the lease: keep it while the rotated
			// token is unsaved.
			g.renewLease(ctx)
		}
		var tok *tokenstore.Token
		var done bool
		tok, done, err = g.trySave(ctx, p)
		if done {
			if tok == nil {
				return nil, errSuperseded
			}
			return tok, nil
		}
		logWarn(ctx, g.set.logger, g.key, "oauth: saving the refreshed token", err)
	}
	p.err = err
	g.pmu.Lock()
	g.pending = p
	g.pmu.Unlock()
	g.renewLease(ctx) // before this refresh returns and another replica tries
	go g.persist(p)
	return nil, fmt.Errorf("%w: %w", ErrSavePending, err)
}

// trySave makes one attempt at saving p. done reports that p is resolved:
// tok is the token to hand out, or nil when a newer grant that is not
// usable superseded it.
func (g *userGrant) trySave(ctx context.Context, p *pendingSave) (tok *tokenstore.Token, done bool, err error) {
	if g.coord == nil {
		if err := g.store.Put(ctx, g.key, p.tok); err != nil {
			return nil, false, err
		}
		return p.tok, true, nil
	}
	_, err = g.coord.CompareAndSwap(ctx, g.key, p.ver, p.tok)
	if err == nil {
		return p.tok, true, nil
	}
	if !errors.Is(err, tokenstore.ErrConflict) {
		return nil, false, err
	}
	cur, cv, err := load(ctx, g.store, g.key)
	if err != nil {
		return nil, false, err
	}
	if cur == nil || cur.Dead != nil || cur.RefreshToken == p.spent {
		// The record was deleted (a reauthorization hook ran), marked dead
		// by a replica that presented the spent refresh token, or still
		// holds the spent one: the rotated token is the live grant.
		logWarn(ctx, g.set.logger, g.key, "oauth: restoring the rotated token over a stale record", tokenstore.ErrConflict)
		p.ver = cv
		if _, err := g.coord.CompareAndSwap(ctx, g.key, cv, p.tok); err != nil {
			return nil, false, err
		}
		return p.tok, true, nil
	}
	// A newer grant was stored (the user reconnected, or another replica
	// refreshed after this one's lease expired): never overwrite it.
	if usable(g.set, cur, "") {
		return cur, true, nil
	}
	return nil, true, nil
}

// persist retries p's save in the background, renewing the lease so that no
// other replica presents the spent refresh token, until p is saved or
// superseded.
func (g *userGrant) persist(p *pendingSave) {
	ctx := context.Background()
	delay := max(g.set.storeBackoff, 10*time.Millisecond)
	maxDelay := max(g.set.leaseTTL/3, delay)
	for {
		g.renewLease(ctx)
		tok, done, err := g.trySave(ctx, p)
		if done {
			g.pmu.Lock()
			p.saved = tok
			g.pmu.Unlock()
			close(p.done)
			if tok != nil && g.installed != nil {
				g.installed(tok)
			}
			if g.lease != nil {
				g.lease.release(ctx)
			}
			return
		}
		g.pmu.Lock()
		p.err = err
		g.pmu.Unlock()
		logWarn(ctx, g.set.logger, g.key, "oauth: saving the refreshed token (retrying in the background)", err)
		sleep(ctx, delay)
		delay = min(delay*2, maxDelay)
	}
}

// renewLease extends the lease while a rotated token is unsaved, so that no
// other replica presents the spent refresh token.
func (g *userGrant) renewLease(ctx context.Context) {
	if g.lease == nil {
		return
	}
	if err := g.lease.renew(context.WithoutCancel(ctx)); err != nil {
		logWarn(ctx, g.set.logger, g.key, "oauth: keeping the refresh lease while the rotated token is unsaved", err)
	}
}

// takePending answers a refresh while a rotated token is pending: ok
// reports that tok or err is the answer.
func (g *userGrant) takePending(rejected string) (tok *tokenstore.Token, err error, ok bool) {
	g.pmu.Lock()
	defer g.pmu.Unlock()
	p := g.pending
	if p == nil {
		return nil, nil, false
	}
	select {
	case <-p.done:
		g.pending = nil
		if usable(g.set, p.saved, rejected) {
			return p.saved, nil, true
		}
		return nil, nil, false
	default:
		return nil, fmt.Errorf("%w: %w", ErrSavePending, p.err), true
	}
}

func (g *userGrant) hasPending() bool {
	g.pmu.Lock()
	defer g.pmu.Unlock()
	return g.pending != nil
}

func (g *userGrant) holdOff(ctx context.Context, t time.Time) {
	if g.lease != nil && !g.hasPending() {
		g.lease.holdUntil(ctx, t)
	}
}

func fingerprint(s string) string {
	if s == "" {
		return ""
	}
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

// burn records fp as never to be presented again. The set stays small: a
// TokenSource sees one grant at a time.
func (g *userGrant) burn(fp string) {
	if fp == "" {
		return
	}
	if len(g.burned) >= 64 {
		clear(g.burned)
	}
	g.burned[fp] = true
}
