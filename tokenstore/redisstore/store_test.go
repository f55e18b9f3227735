package redisstore_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/zoomkit/zoomkit/internal/servicetest"
	"github.com/zoomkit/zoomkit/tokenstore"
	"github.com/zoomkit/zoomkit/tokenstore/redisstore"
	"github.com/zoomkit/zoomkit/tokenstore/storetest"
)

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) tokenstore.Store { return newStore(t) })
}

// TestConformanceEncrypted: the store under tokenstore.NewEncrypted.
func TestConformanceEncrypted(t *testing.T) {
	keys, err := tokenstore.NewKeyring("k1", map[string][]byte{"k1": make([]byte, tokenstore.KeySize)})
	require.NoError(t, err)
	storetest.Run(t, func(t *testing.T) tokenstore.Store {
		s, err := tokenstore.NewEncrypted(newStore(t), keys)
		require.NoError(t, err)
		return s
	})
}

const secretAT, secretRT = "SECRET-AT-redisstore", "SECRET-RT-redisstore"

func tok(n int) *tokenstore.Token {
	return &tokenstore.Token{
		AccessToken:  fmt.Sprintf("%s-%d", secretAT, n),
		RefreshToken: fmt.Sprintf("%s-%d", secretRT, n),
		TokenType:    "bearer",
		Expiry:       time.Date(2030, 1, 1, 0, 0, n, 0, time.UTC),
		Scope:        "user:read",
	}
}

func noSecret(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		assert.NotContains(t, err.Error(), "SECRET", "error leaks a secret")
	}
}

func TestVersionsAndTombstones(t *testing.T) {
	ctx := t.Context()
	s := newStore(t)
	require.NoError(t, s.Put(ctx, "k", tok(1)))
	_, v, err := s.Load(ctx, "k")
	require.NoError(t, err, "Load after first Put = %d, %v; want version 1", v, err)
	require.Equal(t, int64(1), v, "Load after first Put = %d, %v; want version 1", v, err)
	require.NoError(t, s.Delete(ctx, "k"))
	nv, err := s.CompareAndSwap(ctx, "k", 0, tok(2))
	require.NoError(t, err, "CompareAndSwap(0) after Delete = %d, %v; want version 2", nv, err)
	require.Equal(t, int64(2), nv, "CompareAndSwap(0) after Delete = %d, %v; want version 2", nv, err)
	_, err = s.CompareAndSwap(ctx, "k", 1, tok(3))
	require.ErrorIs(t, err, tokenstore.ErrConflict, "CompareAndSwap(1), want ErrConflict")
	require.NoError(t, s.AcquireLease(ctx, "leased", "a", time.Minute))
	_, _, err = s.Load(ctx, "leased")
	require.ErrorIs(t, err, tokenstore.ErrNotFound, "Load(leased), want ErrNotFound")
	require.NoError(t, s.Delete(ctx, "leased"))
	require.ErrorIs(t, s.AcquireLease(ctx, "leased", "b", time.Minute), tokenstore.ErrLeaseHeld, "AcquireLease(b) after Delete")
}

func TestScriptCacheFlushed(t *testing.T) {
	ctx := t.Context()
	c := newClient(t)
	s := newStorePrefix(t, c, uniquePrefix(t))
	require.NoError(t, s.Put(ctx, "k", tok(1)))
	require.NoError(t, c.ScriptFlush(ctx).Err())
	// EVALSHA fails with NOSCRIPT; the store falls back to EVAL.
	v, err := s.CompareAndSwap(ctx, "k", 1, tok(2))
	require.NoError(t, err, "CompareAndSwap after SCRIPT FLUSH = %d, %v", v, err)
	require.Equal(t, int64(2), v, "CompareAndSwap after SCRIPT FLUSH = %d, %v", v, err)
}

func TestInvalidArguments(t *testing.T) {
	s := newStore(t)
	ctx := t.Context()
	assert.ErrorIs(t, s.Put(ctx, "k", nil), tokenstore.ErrNilToken, "Put(nil)")
	err := s.Put(ctx, "k", &tokenstore.Token{RefreshToken: secretRT})
	assert.ErrorIs(t, err, tokenstore.ErrInvalidArgument, "Put(no access token)")
	noSecret(t, err)
}

func TestOptions(t *testing.T) {
	c := newClient(t)
	_, err := redisstore.New(nil)
	assert.Error(t, err, "New(nil) succeeded")
	_, err = redisstore.NewDeduper(nil)
	assert.Error(t, err, "NewDeduper(nil) succeeded")
	for _, p := range []string{"a b", "a\nb", "a\x00", strings.Repeat("p", 257), "\xff"} {
		_, err := redisstore.New(c, redisstore.WithPrefix(p))
		assert.Error(t, err, "WithPrefix(%q) accepted", p)
		_, err = redisstore.NewDeduper(c, redisstore.WithPrefix(p))
		assert.Error(t, err, "NewDeduper(WithPrefix(%q)) accepted", p)
	}
	_, err = redisstore.New(c, nil)
	assert.Error(t, err, "nil Option accepted")
	s, err := redisstore.New(c)
	require.NoError(t, err, "New = %v, %v", s, err)
	require.Equal(t, redisstore.DefaultPrefix, s.Prefix(), "New = %v, %v", s, err)
	s, err = redisstore.New(c, redisstore.WithPrefix(""))
	require.NoError(t, err, "WithPrefix(\"\") = %v", err)
	require.Equal(t, "", s.Prefix(), "WithPrefix(\"\") = %v", err)
}

// TestCorrupt writes damaged records by hand: each must read back as an error
// wrapping ErrCorrupt that names the problem, never as a token.
func TestCorrupt(t *testing.T) {
	good := `{"access_token":"SECRET-AT","refresh_token":"SECRET-RT"}`
	cases := []struct {
		name   string
		fields []any
		want   string
	}{
		{"NewerSchema", []any{"v", 3, "s", redisstore.SchemaVersion + 1, "d", good}, "newer than"},
		{"ZeroSchema", []any{"v", 3, "s", 0, "d", good}, "invalid schema version"},
		{"BadSchema", []any{"v", 3, "s", "x", "d", good}, "invalid schema version"},
		{"BadJSON", []any{"v", 3, "s", 1, "d", `{"access_token":"SECRET-AT`}, "malformed JSON"},
		{"Null", []any{"v", 3, "s", 1, "d", `null`}, "no access token"},
		{"EmptyAccessToken", []any{"v", 3, "s", 1, "d", `{"access_token":"","refresh_token":"SECRET-RT"}`}, "no access token"},
		{"NoData", []any{"v", 3, "s", 1}, "no data"},
		{"NoVersion", []any{"s", 1, "d", good}, "invalid version"},
		{"BadVersion", []any{"v", "x", "s", 1, "d", good}, "invalid version"},
	}
	ctx := t.Context()
	c := newClient(t)
	prefix := uniquePrefix(t)
	s := newStorePrefix(t, c, prefix)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			require.NoError(t, c.HSet(ctx, prefix+"token:"+tc.name, tc.fields...).Err())
			got, err := s.Get(ctx, tc.name)
			require.ErrorIs(t, err, tokenstore.ErrCorrupt, "Get = %v, %v; want nil and ErrCorrupt", got, err)
			require.Nil(t, got, "Get = %v, %v; want nil and ErrCorrupt", got, err)
			assert.Contains(t, err.Error(), tc.want)
			noSecret(t, err)
		})
	}
	t.Run("NotAHash", func(t *testing.T) {
		require.NoError(t, c.Set(ctx, prefix+"token:str", good, 0).Err())
		_, err := s.Get(ctx, "str")
		require.ErrorIs(t, err, tokenstore.ErrCorrupt, "Get, want ErrCorrupt")
		err = s.Put(ctx, "str", tok(1))
		require.ErrorIs(t, err, tokenstore.ErrCorrupt, "Put over a string")
		noSecret(t, err)
	})
}

// waitLeaseFree polls until owner gets the lease on key: the holder's lease
// expires by the Redis server's clock.
func waitLeaseFree(t *testing.T, s *redisstore.Store, key, owner string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		err := s.AcquireLease(t.Context(), key, owner, time.Minute)
		if err == nil {
			return
		}
		if !errors.Is(err, tokenstore.ErrLeaseHeld) || time.Now().After(deadline) {
			t.Fatalf("lease never became free: %v", err)
		}
	}
}

// TestStaleWriterRejected: a lease holder paused past its TTL cannot
// overwrite the token a later holder stored.
func TestStaleWriterRejected(t *testing.T) {
	ctx := t.Context()
	prefix := uniquePrefix(t)
	a := newStorePrefix(t, newClient(t), prefix)
	b := newStorePrefix(t, newClient(t), prefix)
	require.NoError(t, a.Put(ctx, "k", tok(1)))
	require.NoError(t, a.AcquireLease(ctx, "k", "a", 20*time.Millisecond))
	_, va, err := a.Load(ctx, "k")
	require.NoError(t, err)
	// a pauses; its lease expires and b takes over.
	waitLeaseFree(t, b, "k", "b")
	_, vb, err := b.Load(ctx, "k")
	require.NoError(t, err)
	_, err = b.CompareAndSwap(ctx, "k", vb, tok(2))
	require.NoError(t, err)
	_, err = a.CompareAndSwap(ctx, "k", va, tok(3))
	require.ErrorIs(t, err, tokenstore.ErrConflict, "late CompareAndSwap")
	noSecret(t, err)
	got, err := a.Get(ctx, "k")
	require.NoError(t, err, "stored token is not the newest: %v", err)
	require.Equal(t, tok(2).RefreshToken, got.RefreshToken, "stored token is not the newest: %v", err)
	// a's release does not free b's lease.
	require.NoError(t, a.ReleaseLease(ctx, "k", "a"))
	require.ErrorIs(t, a.AcquireLease(ctx, "k", "a", time.Minute), tokenstore.ErrLeaseHeld, "AcquireLease(a)")
}

// TestConnectionLost: a replica whose connection to Redis goes away (a proxy
// is cut) while it holds the lease gets an error from ReleaseLease, and the
// lease expires on its own.
func TestConnectionLost(t *testing.T) {
	ctx := t.Context()
	prefix := uniquePrefix(t)
	other := newStorePrefix(t, newClient(t), prefix)
	proxy := servicetest.NewProxy(t, servicetest.RedisAddr(t))
	lostClient := redis.NewClient(&redis.Options{Addr: proxy.Addr(), MaxRetries: 1})
	t.Cleanup(func() { lostClient.Close() })
	lost := newStorePrefix(t, lostClient, prefix)
	require.NoError(t, lost.AcquireLease(ctx, "k", "lost", 50*time.Millisecond))
	proxy.Cut()
	err := lost.ReleaseLease(ctx, "k", "lost")
	require.Error(t, err, "ReleaseLease over a lost connection reported no error")
	t.Logf("ReleaseLease reported: %v", err)
	waitLeaseFree(t, other, "k", "other")
}

func TestCancelledContext(t *testing.T) {
	s := newStore(t)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err := s.CompareAndSwap(ctx, "k", 0, tok(1))
	require.Error(t, err, "CompareAndSwap with a cancelled context succeeded")
	require.Error(t, s.AcquireLease(ctx, "k", "a", time.Second), "AcquireLease with a cancelled context succeeded")
	_, err = s.Get(t.Context(), "k")
	require.ErrorIs(t, err, tokenstore.ErrNotFound, "Get")
}
