package redisstore_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/zoomkit/zoomkit/tokenstore"
)

// TestNestedPrefixesDoNotShareKeys: a store whose prefix is another
// store's prefix plus "token:" (or "lease:") must not read or overwrite the
// other store's records through a key that spells the rest of the name.
func TestNestedPrefixesDoNotShareKeys(t *testing.T) {
	ctx := t.Context()
	base := uniquePrefix(t)
	c := newClient(t)
	for _, tc := range []struct {
		name          string
		outerKey      string // key used with prefix base
		innerPrefix   string // base + this
		innerKey      string
		innerIsLeased bool // the inner store takes a lease instead of writing a token
	}{
		{"token in token", "token:x", "token:", "x", false},
		{"brief example", "b:x", "b", "x", false},
		{"nested with colon", "b:token:x", "token:b:", "x", false},
		{"token over lease", "lease:x", "token:", "x", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			outer := newStorePrefix(t, c, base)
			inner := newStorePrefix(t, c, base+tc.innerPrefix)
			if tc.innerIsLeased {
				require.NoError(t, inner.AcquireLease(ctx, tc.innerKey, "owner", time.Minute))
				t.Cleanup(func() { _ = inner.ReleaseLease(ctx, tc.innerKey, "owner") })
			} else {
				require.NoError(t, inner.Put(ctx, tc.innerKey, tok(1)))
			}
			_, err := outer.Get(ctx, tc.outerKey)
			require.ErrorIs(t, err, tokenstore.ErrNotFound, "outer.Get(%q); want ErrNotFound (it read the inner store's record)", tc.outerKey)
			require.NoError(t, outer.Put(ctx, tc.outerKey, tok(2)), "outer.Put(%q)", tc.outerKey)
			if !tc.innerIsLeased {
				got, v, err := inner.Load(ctx, tc.innerKey)
				require.NoError(t, err, "inner.Load(%q) = %v (version %d), %v; want its own token at version 1", tc.innerKey, got, v, err)
				require.Equal(t, tok(1).RefreshToken, got.RefreshToken, "inner.Load(%q) = %v (version %d), %v; want its own token at version 1", tc.innerKey, got, v, err)
				require.Equal(t, int64(1), v, "inner.Load(%q) = %v (version %d), %v; want its own token at version 1", tc.innerKey, got, v, err)
			}
		})
	}
}

// TestNestedPrefixesDedup: the same for the Deduper.
func TestNestedPrefixesDedup(t *testing.T) {
	ctx := t.Context()
	base := uniquePrefix(t)
	outer, inner := newDeduper(t, base), newDeduper(t, base+"dedup:")
	ok, err := inner.Claim(ctx, "x", time.Minute)
	require.NoError(t, err, "inner.Claim = %v, %v", ok, err)
	require.True(t, ok, "inner.Claim = %v, %v", ok, err)
	ok, err = outer.Claim(ctx, "dedup:x", time.Minute)
	require.NoError(t, err, "outer.Claim(dedup:x) = %v, %v; want claimed (the key belongs to another deduper)", ok, err)
	require.True(t, ok, "outer.Claim(dedup:x) = %v, %v; want claimed (the key belongs to another deduper)", ok, err)
}

// TestLegacyLayoutStillRead: a record written by an earlier release under
// prefix+"token:"+key is still found, with its version.
func TestLegacyLayoutStillRead(t *testing.T) {
	ctx := t.Context()
	prefix := uniquePrefix(t)
	c := newClient(t)
	s := newStorePrefix(t, c, prefix)
	data, err := tokenstore.EncodeRecord(tok(7))
	require.NoError(t, err)
	require.NoError(t, c.HSet(ctx, prefix+"token:acct:user", "v", 3, "s", 1, "d", string(data)).Err())
	got, v, err := s.Load(ctx, "acct:user")
	require.NoError(t, err, "Load = %v (version %d), %v; want the stored token at version 3", got, v, err)
	require.Equal(t, tok(7).RefreshToken, got.RefreshToken, "Load = %v (version %d), %v; want the stored token at version 3", got, v, err)
	require.Equal(t, int64(3), v, "Load = %v (version %d), %v; want the stored token at version 3", got, v, err)
	_, err = s.CompareAndSwap(ctx, "acct:user", 3, tok(8))
	require.NoError(t, err, "CompareAndSwap on the read version")
}
