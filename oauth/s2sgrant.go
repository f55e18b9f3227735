package oauth

import (
	"context"
	"errors"
	"net/url"
	"time"

	"github.com/zoomkit/zoomkit/tokenstore"
)

// s2sGrant mints Server-to-Server OAuth tokens (grant account_credentials).
// There is no refresh token to lose: a new token leaves the previous ones
// valid until they expire. Sharing a token through a Store is an economy,
// not a safety rule, so a failed save never withholds a minted token.
type s2sGrant struct {
	cfg     *Config
	urls    resolved
	account string
	key     string
	store   tokenstore.Store
	coord   tokenstore.CoordinatedStore
	lease   *lease
	set     *settings
}

func newS2SGrant(c *Config, urls resolved, account string, store tokenstore.Store, key string, set *settings) *s2sGrant {
	cfg := *c
	g := &s2sGrant{cfg: &cfg, urls: urls, account: account, key: key, store: store, set: set}
	g.coord, _ = store.(tokenstore.CoordinatedStore)
	g.lease = newLease(store, key, set)
	return g
}

func (g *s2sGrant) kind() string { return "server-to-server" }

func (g *s2sGrant) refresh(ctx context.Context, rejected string) (*tokenstore.Token, error) {
	stored, ver, err := load(ctx, g.store, g.key)
	if err != nil {
		return nil, err
	}
	if usable(g.set, stored, rejected) {
		return stored, nil
	}
	if g.lease != nil {
		// One replica mints; the others wait for its token.
		t, held, _, err := g.lease.acquire(ctx, func(t *tokenstore.Token, v int64) bool {
			return v != ver && usable(g.set, t, rejected)
		})
		if err != nil {
			return nil, err
		}
		if !held {
			return t, nil
		}
		defer g.lease.release(ctx)
		if stored, ver, err = load(ctx, g.store, g.key); err != nil {
			return nil, err
		}
		if usable(g.set, stored, rejected) {
			return stored, nil
		}
	}
	form := url.Values{}
	form.Set("grant_type", "account_credentials")
	form.Set("account_id", g.account)
	tok, err := g.cfg.retrieve(ctx, g.urls.tokenURL, form, g.set.now, false)
	if err != nil {
		if stillValid(g.set, stored, rejected) {
			return stored, nil
		}
		return nil, err
	}
	if g.coord != nil {
		_, err = g.coord.CompareAndSwap(ctx, g.key, ver, tok)
		if errors.Is(err, tokenstore.ErrConflict) {
			if cur, _, lerr := load(ctx, g.store, g.key); lerr == nil && usable(g.set, cur, rejected) {
				return cur, nil
			}
		}
	} else {
		err = g.store.Put(ctx, g.key, tok)
	}
	if err != nil {
		logWarn(ctx, g.set.logger, g.key, "oauth: sharing the server-to-server token through the store", err)
	}
	return tok, nil
}

func (g *s2sGrant) holdOff(ctx context.Context, t time.Time) {
	if g.lease != nil {
		g.lease.holdUntil(ctx, t)
	}
}
