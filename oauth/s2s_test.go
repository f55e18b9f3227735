package oauth_test

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

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
				if _, err := ts.Token(); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		if c := f.counts(); c.s2s != 1 || c.tokenRequests != 1 {
			t.Fatalf("50 callers minted %d tokens, want 1", c.s2s)
		}
		first, _ := ts.Token()
		time.Sleep(time.Hour - 2*time.Minute)
		if tok, _ := ts.Token(); tok.AccessToken != first.AccessToken || f.counts().s2s != 1 {
			t.Fatal("token renewed too early")
		}
		time.Sleep(65 * time.Second) // now within 60s of expiry
		if tok, _ := ts.Token(); tok.AccessToken == first.AccessToken || f.counts().s2s != 2 {
			t.Fatal("token not renewed about 60s before expiry")
		}
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
					if _, err := ts.Token(); err != nil {
						t.Error(err)
					}
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
		if !errors.Is(err, oauth.ErrTokenEndpoint) || errors.Is(err, oauth.ErrReauthorizationRequired) {
			t.Fatalf("Token() = %v", err)
		}
		if _, err2 := ts.Token(); !errors.Is(err2, oauth.ErrTokenEndpoint) || f.counts().tokenRequests != 1 {
			t.Fatalf("Token() during the backoff = %v after %d requests; want the last error at once", err2, f.counts().tokenRequests)
		}
		time.Sleep(oauth.DefaultRefreshBackoff) // the backoff after one failure is at most this
		if _, err := ts.Token(); err != nil {
			t.Fatalf("retry: %v", err)
		}
		bad := memConfig(f)
		bad.ClientSecret = "CANARY-wrong-secret"
		ts2, _ := bad.ServerToServer("acct-1")
		_, err = ts2.Token()
		var te *oauth.TokenError
		if !errors.As(err, &te) || te.ErrorCode != "invalid_client" {
			t.Fatalf("wrong secret: %v", err)
		}
		noLeak(t, err)
		if _, err := memConfig(f).ServerToServer(""); !errors.Is(err, oauth.ErrInvalidConfig) {
			t.Fatal("empty account id accepted")
		}
		if _, err := memConfig(f).TokenSource(tokenstore.NewMemory(), "k", oauth.WithStore(tokenstore.NewMemory(), "x")); !errors.Is(err, oauth.ErrInvalidConfig) {
			t.Fatal("WithStore accepted for a user token source")
		}
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
			if s := fmt.Sprintf(format, v); strings.Contains(s, canaryPrefix) {
				t.Errorf("%s of %T leaks: %s", format, v, s)
			}
		}
	}
}
