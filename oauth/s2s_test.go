package oauth_test

import (
	"fmt"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zoomkit/zoomkit/oauth"
	"github.com/zoomkit/zoomkit/tokenstore"
)

func TestServerToServerCachesAndRenewsEarly(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFake(t)
		f.delay = 100 * time.Millisecond
		ts, err := memConfig(f).ServerToServer("acct-1", oauth.WithLogger(newLogger(t)))
		require.NoError(t, err)
		var wg sync.WaitGroup
		for range 50 {
			wg.Go(func() {
				_, err := ts.Token()
				assert.NoError(t, err)
			})
		}
		wg.Wait()
		c := f.counts()
		require.Equal(t, 1, c.s2s, "50 callers minted %d tokens, want 1", c.s2s)
		require.Equal(t, 1, c.tokenRequests, "50 callers minted %d tokens, want 1", c.s2s)
		first, _ := ts.Token()
		time.Sleep(time.Hour - 2*time.Minute)
		tok, _ := ts.Token()
		require.Equal(t, first.AccessToken, tok.AccessToken, "token renewed too early")
		require.Equal(t, 1, f.counts().s2s, "token renewed too early")
		time.Sleep(65 * time.Second) // now within 60s of expiry
		tok, _ = ts.Token()
		require.NotEqual(t, first.AccessToken, tok.AccessToken, "token not renewed about 60s before expiry")
		require.Equal(t, 2, f.counts().s2s, "token not renewed about 60s before expiry")
	})
}

func TestServerToServerSharedThroughStore(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFake(t)
		f.delay = 100 * time.Millisecond
		store := tokenstore.NewMemory()
		var wg sync.WaitGroup
		for range 6 {
			ts, err := memConfig(f).ServerToServer("acct-1", oauth.WithStore(store, "s2s:acct-1"))
			require.NoError(t, err)
			for range 5 {
				wg.Go(func() {
					_, err := ts.Token()
					assert.NoError(t, err)
				})
			}
		}
		wg.Wait()
		require.Equal(t, 1, f.counts().s2s, "tokens minted by 6 replicas")
	})
}

func TestServerToServerErrors(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFake(t)
		f.status = []int{500}
		ts, err := memConfig(f).ServerToServer("acct-1")
		require.NoError(t, err)
		_, err = ts.Token()
		require.ErrorIs(t, err, oauth.ErrTokenEndpoint, "Token = %v", err)
		require.NotErrorIs(t, err, oauth.ErrReauthorizationRequired, "Token = %v", err)
		_, err2 := ts.Token()
		require.ErrorIs(t, err2, oauth.ErrTokenEndpoint, "Token during the backoff = %v after %d requests; want the last error at once", err2, f.counts().tokenRequests)
		require.Equal(t, 1, f.counts().tokenRequests, "Token during the backoff = %v after %d requests; want the last error at once", err2, f.counts().tokenRequests)
		time.Sleep(oauth.DefaultRefreshBackoff) // the backoff after one failure is at most this
		_, err = ts.Token()
		require.NoError(t, err, "retry")
		bad := memConfig(f)
		bad.ClientSecret = "CANARY-wrong-secret"
		ts2, _ := bad.ServerToServer("acct-1")
		_, err = ts2.Token()
		var te *oauth.TokenError
		require.ErrorAs(t, err, &te, "wrong secret: %v", err)
		require.Equal(t, "invalid_client", te.ErrorCode, "wrong secret: %v", err)
		noLeak(t, err)
		_, err = memConfig(f).ServerToServer("")
		require.ErrorIs(t, err, oauth.ErrInvalidConfig, "empty account id accepted")
		_, err = memConfig(f).TokenSource(tokenstore.NewMemory(), "k", oauth.WithStore(tokenstore.NewMemory(), "x"))
		require.ErrorIs(t, err, oauth.ErrInvalidConfig, "WithStore accepted for a user token source")
	})
}

func TestNothingPrintsSecrets(t *testing.T) {
	f := newFake(t)
	cfg := memConfig(f)
	store := tokenstore.NewMemory()
	tok := f.grant("u", time.Now().Add(time.Hour))
	mustPut(t, store, "k", tok)
	ts := newTS(t, cfg, store, "k")
	_, _ = ts.Token()
	h, _ := cfg.Handlers(store, oauth.WithStateSecret([]byte("CANARY-state-secret-32-bytes!!!!")))
	for _, v := range []any{cfg, *cfg, ts, h, tok, *tok} {
		for _, format := range []string{"%v", "%+v", "%#v", "%s"} {
			s := fmt.Sprintf(format, v)
			assert.NotContains(t, s, canaryPrefix, "%s of %T leaks: %s", format, v, s)
		}
	}
}
