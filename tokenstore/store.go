// Package tokenstore persists Zoom OAuth tokens under a key the application
// chooses (an account, a user, a tenant), and lets several processes share one
// Zoom grant without racing on its rotating refresh token.
//
// Zoom rotates refresh tokens: every refresh returns a new one and the old one
// dies at once. A Store therefore is the single source of truth for a grant.
// Stores that can coordinate refreshes across goroutines or processes also
// implement [CoordinatedStore]: a short lease taken before a refresh token is
// redeemed, and a compare-and-swap on a version so that a writer whose lease
// expired can never overwrite a newer token.
//
// Every Store shipped here, and every Store written by users, should pass the
// conformance suite in package tokenstore/storetest.
//
// # Implementations
//
//   - [Memory]: in-process; coordinates the TokenSources of one process.
//   - [File]: one JSON file per key (mode 0600, atomic and durable writes,
//     flock per key); coordinates the processes of one machine.
//   - [NewEncrypted]: wraps any Store with AES-256-GCM, key ids for rotation
//     ([Keyring]), and the store key bound as associated data.
//   - tokenstore/sqlstore and tokenstore/redisstore: coordinate replicas.
//
// # Versions and leases
//
// A refresher holding the lease re-reads the token (Load), redeems the
// refresh token, and writes the result with CompareAndSwap on the version it
// read. If its lease expired meanwhile and another writer stored a newer
// token, the swap fails with ErrConflict and the newer token survives: the
// lease keeps refreshers apart, the version fences a late writer.
//
// # Dead grants
//
// When Zoom refuses a grant's refresh token for good, the token source that
// found out writes the verdict into the record ([Token.Dead]) with a
// compare-and-swap, so every replica reads it instead of asking Zoom again.
// Stores keep the mark like any other field; saving a new grant under the
// key clears it.
package tokenstore

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Errors reported by stores. Stores wrap them, so test with errors.Is.
var (
	// ErrNotFound reports that no token is stored under the key.
	ErrNotFound = errors.New("tokenstore: token not found")
	// ErrConflict reports a compare-and-swap whose expected version is no
	// longer the stored one: another writer stored a newer token first.
	ErrConflict = errors.New("tokenstore: version conflict")
	// ErrLeaseHeld reports that another owner holds the refresh lease.
	ErrLeaseHeld = errors.New("tokenstore: lease held by another owner")
	// ErrCorrupt reports a stored record that cannot be read back as a token
	// (damaged, written by a newer schema, or encrypted with an unknown key).
	// A corrupt record is never returned as a valid token.
	ErrCorrupt = errors.New("tokenstore: stored record is corrupt or unreadable")
	// ErrInvalidArgument reports a call with an unusable argument: a nil
	// token, an empty lease owner, a non-positive lease TTL.
	ErrInvalidArgument = errors.New("tokenstore: invalid argument")
	// ErrNilToken reports a Put or CompareAndSwap of a nil token. It wraps
	// ErrInvalidArgument.
	ErrNilToken = fmt.Errorf("tokenstore: nil token: %w", ErrInvalidArgument)
)

// Store keeps one token per key. Implementations must be safe for concurrent
// use. Get returns an error wrapping ErrNotFound when nothing is stored.
// The token passed to Put and returned by Get is never retained or shared:
// implementations copy it.
type Store interface {
	// Get returns the token stored under key.
	Get(ctx context.Context, key string) (*Token, error)
	// Put stores tok under key, replacing any previous token.
	Put(ctx context.Context, key string, tok *Token) error
	// Delete removes the token stored under key. Deleting a missing key is
	// not an error.
	Delete(ctx context.Context, key string) error
}

// CoordinatedStore is implemented by stores that coordinate refreshes:
// versions for compare-and-swap, and a lease per key with an owner and an
// expiry. Memory and File coordinate within their scope (one process, one
// machine); the SQL and Redis stores coordinate across processes.
//
// Versions start at 1 for the first write of a key and grow by one with every
// successful write (Put or CompareAndSwap); version 0 means "absent".
type CoordinatedStore interface {
	Store
	// Load returns the token stored under key and its version. It returns an
	// error wrapping ErrNotFound when nothing is stored.
	Load(ctx context.Context, key string) (tok *Token, version int64, err error)
	// CompareAndSwap stores tok under key only if the stored version equals
	// version (0: only if absent), and returns the new version. Otherwise it
	// stores nothing and returns an error wrapping ErrConflict.
	CompareAndSwap(ctx context.Context, key string, version int64, tok *Token) (newVersion int64, err error)
	// AcquireLease takes the refresh lease on key for owner, for ttl. It
	// returns an error wrapping ErrLeaseHeld while another owner holds an
	// unexpired lease. An owner that already holds the lease extends it.
	AcquireLease(ctx context.Context, key, owner string, ttl time.Duration) error
	// ReleaseLease gives the lease back, only if owner still holds it.
	// Releasing a lease held by someone else, or an expired one, does nothing.
	ReleaseLease(ctx context.Context, key, owner string) error
}
