package tokenstore

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"
)

// KeySize is the size of an encryption key: AES-256.
const KeySize = 32

const (
	envelopePrefix = "zkenc1:"
	aadPrefix      = "zoomkit/tokenstore/encrypted/v1\x00"
)

// Keyring holds the keys of an encrypted store: one primary key that
// encrypts, and any number of older keys that still decrypt. Each key has a
// short id written in front of every ciphertext, so that keys can rotate:
// add the new key, deploy, make it primary, deploy, and drop the old key once
// every token was rewritten (tokens are rewritten at every refresh).
//
// A Keyring prints without its keys.
type Keyring struct {
	primary string
	aeads   map[string]cipher.AEAD
}

// NewKeyring returns a keyring encrypting with keys[primaryID]. Key ids are
// 1 to 32 characters from [A-Za-z0-9_-]; every key is KeySize random bytes.
// The key slices are copied.
func NewKeyring(primaryID string, keys map[string][]byte) (*Keyring, error) {
	if _, ok := keys[primaryID]; !ok {
		return nil, fmt.Errorf("tokenstore: keyring: primary key id %q not among the keys: %w", primaryID, ErrInvalidArgument)
	}
	kr := &Keyring{primary: primaryID, aeads: make(map[string]cipher.AEAD, len(keys))}
	for id, k := range keys {
		if !validKeyID(id) {
			return nil, fmt.Errorf("tokenstore: keyring: invalid key id %q: %w", id, ErrInvalidArgument)
		}
		if len(k) != KeySize {
			return nil, fmt.Errorf("tokenstore: keyring: key %q is %d bytes, want %d: %w", id, len(k), KeySize, ErrInvalidArgument)
		}
		block, err := aes.NewCipher(append([]byte(nil), k...))
		if err != nil {
			return nil, fmt.Errorf("tokenstore: keyring: %w", err)
		}
		aead, err := cipher.NewGCM(block)
		if err != nil {
			return nil, fmt.Errorf("tokenstore: keyring: %w", err)
		}
		kr.aeads[id] = aead
	}
	return kr, nil
}

func validKeyID(id string) bool {
	if len(id) == 0 || len(id) > 32 {
		return false
	}
	for _, r := range id {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}

// PrimaryID returns the id of the key that encrypts.
func (k *Keyring) PrimaryID() string { return k.primary }

// String lists the key ids, never the keys.
func (k *Keyring) String() string {
	ids := make([]string, 0, len(k.aeads))
	for id := range k.aeads {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return fmt.Sprintf("tokenstore.Keyring{primary:%s ids:%s}", k.primary, strings.Join(ids, ","))
}

// GoString lists the key ids, never the keys.
func (k *Keyring) GoString() string { return k.String() }

func aad(keyID, storeKey string) []byte {
	return []byte(aadPrefix + keyID + "\x00" + storeKey)
}

// seal encrypts tok for storeKey into an envelope token.
func (k *Keyring) seal(storeKey string, tok *Token) (*Token, error) {
	plain, err := json.Marshal(tok)
	if err != nil {
		return nil, fmt.Errorf("tokenstore: encrypt: %w", err)
	}
	aead := k.aeads[k.primary]
	nonce := make([]byte, aead.NonceSize(), aead.NonceSize()+len(plain)+aead.Overhead())
	_, _ = rand.Read(nonce) // crypto/rand.Read never fails (Go 1.24+)
	ct := aead.Seal(nonce, nonce, plain, aad(k.primary, storeKey))
	clear(plain)
	return &Token{AccessToken: envelopePrefix + k.primary + ":" + base64.RawURLEncoding.EncodeToString(ct)}, nil
}

// open decrypts an envelope token stored under storeKey.
func (k *Keyring) open(storeKey string, env *Token) (*Token, error) {
	rest, ok := strings.CutPrefix(env.AccessToken, envelopePrefix)
	if !ok {
		return nil, fmt.Errorf("tokenstore: decrypt: not an encrypted record: %w", ErrCorrupt)
	}
	id, b64, ok := strings.Cut(rest, ":")
	if !ok {
		return nil, fmt.Errorf("tokenstore: decrypt: malformed envelope: %w", ErrCorrupt)
	}
	aead, ok := k.aeads[id]
	if !ok {
		return nil, fmt.Errorf("tokenstore: decrypt: unknown key id %q: %w", id, ErrCorrupt)
	}
	ct, err := base64.RawURLEncoding.DecodeString(b64)
	if err != nil || len(ct) < aead.NonceSize()+aead.Overhead() {
		return nil, fmt.Errorf("tokenstore: decrypt: malformed envelope: %w", ErrCorrupt)
	}
	plain, err := aead.Open(nil, ct[:aead.NonceSize()], ct[aead.NonceSize():], aad(id, storeKey))
	if err != nil {
		return nil, fmt.Errorf("tokenstore: decrypt: authentication failed (tampered, wrong key, or copied from another key): %w", ErrCorrupt)
	}
	var tok Token
	err = json.Unmarshal(plain, &tok)
	clear(plain)
	if err != nil {
		return nil, fmt.Errorf("tokenstore: decrypt: %w", ErrCorrupt)
	}
	return &tok, nil
}

// KeyID returns the id of the key that encrypted an envelope token as
// stored by an encrypted store in its inner store, or "" if tok is not one.
// Tools use it to find records still encrypted with a retired key.
func KeyID(tok *Token) string {
	if tok == nil {
		return ""
	}
	rest, ok := strings.CutPrefix(tok.AccessToken, envelopePrefix)
	if !ok {
		return ""
	}
	id, _, _ := strings.Cut(rest, ":")
	return id
}

// NewEncrypted wraps inner so that every token is encrypted with AES-256-GCM
// before inner sees it: a random 96-bit nonce per write, the key id in front
// of the ciphertext, and the record's store key bound as associated data, so
// a ciphertext copied under another key (another user's row) fails to
// decrypt. A record that fails to decrypt reads as an error wrapping
// ErrCorrupt, never as a token.
//
// Inside inner, a token is stored as a Token whose AccessToken holds the
// envelope "zkenc1:<key id>:<base64url(nonce|ciphertext|tag)>" and whose
// other fields are empty.
//
// The returned Store implements [CoordinatedStore] exactly when inner does
// (versions and leases pass through).
func NewEncrypted(inner Store, keys *Keyring) (Store, error) {
	if inner == nil || keys == nil {
		return nil, fmt.Errorf("tokenstore: encrypted store needs a store and a keyring: %w", ErrInvalidArgument)
	}
	e := &encrypted{inner: inner, keys: keys}
	if c, ok := inner.(CoordinatedStore); ok {
		return &encryptedCoordinated{encrypted: e, inner: c}, nil
	}
	return e, nil
}

type encrypted struct {
	inner Store
	keys  *Keyring
}

func (e *encrypted) Get(ctx context.Context, key string) (*Token, error) {
	env, err := e.inner.Get(ctx, key)
	if err != nil {
		return nil, err
	}
	return e.keys.open(key, env)
}

func (e *encrypted) Put(ctx context.Context, key string, tok *Token) error {
	if err := checkPut(ctx, tok); err != nil {
		return err
	}
	env, err := e.keys.seal(key, tok)
	if err != nil {
		return err
	}
	return e.inner.Put(ctx, key, env)
}

func (e *encrypted) Delete(ctx context.Context, key string) error { return e.inner.Delete(ctx, key) }

type encryptedCoordinated struct {
	*encrypted
	inner CoordinatedStore
}

func (e *encryptedCoordinated) Load(ctx context.Context, key string) (*Token, int64, error) {
	env, v, err := e.inner.Load(ctx, key)
	if err != nil {
		return nil, 0, err
	}
	tok, err := e.keys.open(key, env)
	if err != nil {
		return nil, 0, err
	}
	return tok, v, nil
}

func (e *encryptedCoordinated) CompareAndSwap(ctx context.Context, key string, version int64, tok *Token) (int64, error) {
	if err := checkPut(ctx, tok); err != nil {
		return 0, err
	}
	env, err := e.keys.seal(key, tok)
	if err != nil {
		return 0, err
	}
	return e.inner.CompareAndSwap(ctx, key, version, env)
}

func (e *encryptedCoordinated) AcquireLease(ctx context.Context, key, owner string, ttl time.Duration) error {
	return e.inner.AcquireLease(ctx, key, owner, ttl)
}

func (e *encryptedCoordinated) ReleaseLease(ctx context.Context, key, owner string) error {
	return e.inner.ReleaseLease(ctx, key, owner)
}
