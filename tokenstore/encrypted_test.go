package tokenstore_test

import (
	"bytes"
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zoomkit/zoomkit/tokenstore"
	"github.com/zoomkit/zoomkit/tokenstore/storetest"
)

func key(b byte) []byte { return bytes.Repeat([]byte{b}, tokenstore.KeySize) }

func ring(t *testing.T, primary string, ids ...string) *tokenstore.Keyring {
	t.Helper()
	keys := map[string][]byte{}
	for i, id := range ids {
		keys[id] = key(byte(i + 1))
	}
	kr, err := tokenstore.NewKeyring(primary, keys)
	require.NoError(t, err)
	return kr
}

func encrypted(t *testing.T, inner tokenstore.Store, kr *tokenstore.Keyring) tokenstore.Store {
	t.Helper()
	s, err := tokenstore.NewEncrypted(inner, kr)
	require.NoError(t, err)
	return s
}

func TestEncryptedConformance(t *testing.T) {
	t.Run("coordinated", func(t *testing.T) {
		storetest.Run(t, func(t *testing.T) tokenstore.Store {
			return encrypted(t, tokenstore.NewMemory(), ring(t, "k1", "k1"))
		}, storetest.WithWrap(inBubble))
	})
	t.Run("plain", func(t *testing.T) {
		storetest.Run(t, func(t *testing.T) tokenstore.Store {
			s := encrypted(t, struct{ tokenstore.Store }{tokenstore.NewMemory()}, ring(t, "k1", "k1"))
			_, ok := s.(tokenstore.CoordinatedStore)
			require.False(t, ok, "an encrypted plain store claims to be coordinated")
			return s
		})
	})
}

var secret = &tokenstore.Token{AccessToken: "CANARY-AT-enc", RefreshToken: "CANARY-RT-enc", TokenType: "bearer", Scope: "meeting:read"}

func TestEncryptedHidesTokensFromInnerStore(t *testing.T) {
	ctx := context.Background()
	inner := tokenstore.NewMemory()
	s := encrypted(t, inner, ring(t, "k1", "k1"))
	require.NoError(t, s.Put(ctx, "user-a", secret))
	raw, _ := inner.Get(ctx, "user-a")
	require.NotContains(t, fmt.Sprintf("%s %s %s", raw.AccessToken, raw.RefreshToken, raw.Scope), "CANARY", "inner store sees plaintext")
	require.Equal(t, "", raw.RefreshToken, "inner store sees plaintext")
	require.Equal(t, "k1", tokenstore.KeyID(raw), "KeyID")
	got, err := s.Get(ctx, "user-a")
	require.NoError(t, err, "round trip: %v", err)
	require.Equal(t, secret.RefreshToken, got.RefreshToken, "round trip: %v", err)
	require.Equal(t, secret.Scope, got.Scope, "round trip: %v", err)
	// Two writes of one token give different ciphertexts (random nonce).
	_ = s.Put(ctx, "user-a", secret)
	raw2, _ := inner.Get(ctx, "user-a")
	require.NotEqual(t, raw.AccessToken, raw2.AccessToken, "nonce reused")
}

func TestEncryptedRejectsTamperingAndCopies(t *testing.T) {
	ctx := context.Background()
	inner := tokenstore.NewMemory()
	s := encrypted(t, inner, ring(t, "k1", "k1"))
	require.NoError(t, s.Put(ctx, "user-a", secret))
	raw, _ := inner.Get(ctx, "user-a")

	// Copied to another user's row.
	_ = inner.Put(ctx, "user-b", raw)
	_, err := s.Get(ctx, "user-b")
	require.ErrorIs(t, err, tokenstore.ErrCorrupt, "ciphertext moved to another key decrypted")
	// One bit flipped.
	b := []byte(raw.AccessToken)
	b[len(b)-5] ^= 1
	_ = inner.Put(ctx, "user-a", &tokenstore.Token{AccessToken: string(b)})
	_, err = s.Get(ctx, "user-a")
	require.ErrorIs(t, err, tokenstore.ErrCorrupt, "tampered ciphertext decrypted")
	require.NotContains(t, err.Error(), "CANARY", "error leaks")
	// Plaintext in the inner store is not accepted as a token.
	_ = inner.Put(ctx, "user-a", secret)
	_, err = s.Get(ctx, "user-a")
	require.ErrorIs(t, err, tokenstore.ErrCorrupt, "plaintext record accepted")
	// Unknown key id.
	other := encrypted(t, inner, ring(t, "k9", "k9"))
	_ = other.Put(ctx, "user-c", secret)
	_, err = s.Get(ctx, "user-c")
	require.ErrorIs(t, err, tokenstore.ErrCorrupt, "unknown key id")
}

func TestEncryptedKeyRotation(t *testing.T) {
	ctx := context.Background()
	inner := tokenstore.NewMemory()
	old := encrypted(t, inner, ring(t, "2025", "2025"))
	require.NoError(t, old.Put(ctx, "u", secret))
	rotated := encrypted(t, inner, ring(t, "2026", "2025", "2026"))
	got, err := rotated.Get(ctx, "u")
	require.NoError(t, err, "old record unreadable after rotation: %v", err)
	require.Equal(t, secret.RefreshToken, got.RefreshToken, "old record unreadable after rotation: %v", err)
	require.NoError(t, rotated.Put(ctx, "u", got))
	raw, _ := inner.Get(ctx, "u")
	require.Equal(t, "2026", tokenstore.KeyID(raw), "key id of the rewrite: want the new primary")
}

func TestKeyringValidation(t *testing.T) {
	cases := map[string]struct {
		primary string
		keys    map[string][]byte
	}{
		"missing primary": {"a", map[string][]byte{"b": key(1)}},
		"short key":       {"a", map[string][]byte{"a": key(1)[:16]}},
		"bad id":          {"a:b", map[string][]byte{"a:b": key(1)}},
		"empty id":        {"", map[string][]byte{"": key(1)}},
	}
	for name, c := range cases {
		_, err := tokenstore.NewKeyring(c.primary, c.keys)
		assert.ErrorIs(t, err, tokenstore.ErrInvalidArgument, "%s", name)
	}
	kr := ring(t, "k1", "k1")
	for _, s := range []string{fmt.Sprint(kr), fmt.Sprintf("%#v", kr), fmt.Sprintf("%+v", kr)} {
		require.NotContains(t, s, "\x01", "keyring prints its key")
	}
	_, err := tokenstore.NewEncrypted(nil, kr)
	require.ErrorIs(t, err, tokenstore.ErrInvalidArgument, "nil inner store accepted")
}
