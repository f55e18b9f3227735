package redisstore

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/zoomkit/zoomkit/tokenstore"
)

// SchemaVersion is the version of the token record layout this package
// writes. A record with a higher schema version was written by a newer
// release and is reported as corrupt rather than misread.
const SchemaVersion = 1

// Hash fields of a token record.
const (
	fieldVersion = "v" // version, kept after a Delete
	fieldSchema  = "s" // schema version
	fieldData    = "d" // the token as JSON
)

// Scripts. Each touches a single key, so they work on Redis Cluster too.
var (
	// putScript stores a token whatever the version: KEYS[1] record,
	// ARGV[1] schema version, ARGV[2] data. Returns the new version.
	putScript = redis.NewScript(`
local v = redis.call('HINCRBY', KEYS[1], 'v', 1)
redis.call('HSET', KEYS[1], 's', ARGV[1], 'd', ARGV[2])
return v`)

	// casScript stores a token if the version matches: KEYS[1] record,
	// ARGV[1] expected version (0: absent), ARGV[2] schema version, ARGV[3]
	// data. Returns the new version, or -1 on conflict.
	casScript = redis.NewScript(`
local cur = redis.call('HMGET', KEYS[1], 'v', 'd')
local v = 0
if cur[2] then v = tonumber(cur[1]) or -1 end
if v ~= tonumber(ARGV[1]) then return -1 end
local nv = redis.call('HINCRBY', KEYS[1], 'v', 1)
redis.call('HSET', KEYS[1], 's', ARGV[2], 'd', ARGV[3])
return nv`)

	// acquireScript takes the lease with SET NX PX, or extends it for the
	// same owner: KEYS[1] lease, ARGV[1] owner, ARGV[2] ttl in ms. Returns 1
	// if owner holds the lease, 0 if another owner does.
	acquireScript = redis.NewScript(`
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 1 end
if redis.call('GET', KEYS[1]) == ARGV[1] then
	redis.call('PEXPIRE', KEYS[1], ARGV[2])
	return 1
end
return 0`)

	// releaseScript deletes the lease if owner holds it: KEYS[1] lease,
	// ARGV[1] owner.
	releaseScript = redis.NewScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`)
)

// Store is a [tokenstore.CoordinatedStore] on Redis. It is safe for
// concurrent use, and any number of Stores in any number of processes may
// share one Redis (or Redis Cluster) with the same prefix.
//
// A token is a hash at prefix+"token:"+key (key escaped when ambiguous, see
// the package documentation) holding its version, schema
// version and JSON. The refresh lease is a string at prefix+"lease:"+key
// holding the owner, taken with SET NX PX: it expires by the Redis server's
// clock, so a holder that dies or loses its connection simply lets it
// expire. Compare-and-swap, lease extension and release are Lua scripts run
// with EVALSHA.
type Store struct {
	client redis.UniversalClient
	prefix string
}

var _ tokenstore.CoordinatedStore = (*Store)(nil)

// New returns a Store on client. It does not use the connection; Redis needs
// no schema.
func New(client redis.UniversalClient, opts ...Option) (*Store, error) {
	if client == nil {
		return nil, errors.New("redisstore: nil client")
	}
	c, err := newConfig(opts)
	if err != nil {
		return nil, err
	}
	return &Store{client: client, prefix: c.prefix}, nil
}

// Prefix returns the key prefix.
func (s *Store) Prefix() string { return s.prefix }

func (s *Store) tokenKey(key string) string { return redisKey(s.prefix, kindToken, key) }
func (s *Store) leaseKey(key string) string { return redisKey(s.prefix, kindLease, key) }

// Get returns the token stored under key.
func (s *Store) Get(ctx context.Context, key string) (*tokenstore.Token, error) {
	tok, _, err := s.Load(ctx, key)
	return tok, err
}

// Load returns the token stored under key and its version.
func (s *Store) Load(ctx context.Context, key string) (*tokenstore.Token, int64, error) {
	vals, err := s.client.HMGet(ctx, s.tokenKey(key), fieldVersion, fieldSchema, fieldData).Result()
	if err != nil {
		if isWrongType(err) {
			return nil, 0, fmt.Errorf("redisstore: key %q: record is not a hash: %w", key, tokenstore.ErrCorrupt)
		}
		return nil, 0, fmt.Errorf("redisstore: load %q: %w", key, err)
	}
	if len(vals) != 3 {
		return nil, 0, fmt.Errorf("redisstore: load %q: unexpected reply of %d values", key, len(vals))
	}
	if vals[1] == nil && vals[2] == nil {
		// Nothing stored, or the tombstone of a Delete.
		return nil, 0, fmt.Errorf("redisstore: key %q: %w", key, tokenstore.ErrNotFound)
	}
	version, err := parseInt(vals[0])
	if err != nil || version < 1 {
		return nil, 0, fmt.Errorf("redisstore: key %q: record has an invalid version: %w", key, tokenstore.ErrCorrupt)
	}
	schema, err := parseInt(vals[1])
	if err != nil {
		return nil, 0, fmt.Errorf("redisstore: key %q: record has an invalid schema version: %w", key, tokenstore.ErrCorrupt)
	}
	data, ok := vals[2].(string)
	tok, err := decode(key, schema, data, ok)
	if err != nil {
		return nil, 0, err
	}
	return tok, version, nil
}

// Put stores tok under key, replacing any previous token, whatever its
// version.
func (s *Store) Put(ctx context.Context, key string, tok *tokenstore.Token) error {
	data, err := encode(tok)
	if err != nil {
		return err
	}
	if err := putScript.Run(ctx, s.client, []string{s.tokenKey(key)}, SchemaVersion, data).Err(); err != nil {
		return fmt.Errorf("redisstore: put %q: %w", key, scrub(err))
	}
	return nil
}

// CompareAndSwap stores tok under key only if the stored version is version
// (0: only if no token is stored), and returns the new version. Otherwise it
// returns an error wrapping [tokenstore.ErrConflict].
func (s *Store) CompareAndSwap(ctx context.Context, key string, version int64, tok *tokenstore.Token) (int64, error) {
	data, err := encode(tok)
	if err != nil {
		return 0, err
	}
	nv, err := casScript.Run(ctx, s.client, []string{s.tokenKey(key)}, version, SchemaVersion, data).Int64()
	if err != nil {
		return 0, fmt.Errorf("redisstore: compare-and-swap %q: %w", key, scrub(err))
	}
	if nv < 0 {
		return 0, fmt.Errorf("redisstore: key %q: expected version %d: %w", key, version, tokenstore.ErrConflict)
	}
	return nv, nil
}

// Delete removes the token stored under key. The key's version survives, so
// that the next token stored under key gets a higher version than the deleted
// one; a lease on the key survives too.
func (s *Store) Delete(ctx context.Context, key string) error {
	if err := s.client.HDel(ctx, s.tokenKey(key), fieldSchema, fieldData).Err(); err != nil {
		return fmt.Errorf("redisstore: delete %q: %w", key, err)
	}
	return nil
}

// AcquireLease takes the refresh lease on key for owner for ttl, by the Redis
// server's clock, or extends it if owner holds it already. It returns an
// error wrapping [tokenstore.ErrLeaseHeld] while another owner holds it.
// Redis expires leases with millisecond precision; a ttl under 1ms counts as
// 1ms.
func (s *Store) AcquireLease(ctx context.Context, key, owner string, ttl time.Duration) error {
	if owner == "" {
		return fmt.Errorf("redisstore: lease owner must not be empty: %w", tokenstore.ErrInvalidArgument)
	}
	if ttl <= 0 {
		return fmt.Errorf("redisstore: lease ttl must be positive, not %v: %w", ttl, tokenstore.ErrInvalidArgument)
	}
	ms := max(ttl.Milliseconds(), 1)
	got, err := acquireScript.Run(ctx, s.client, []string{s.leaseKey(key)}, owner, ms).Int64()
	if err != nil {
		return fmt.Errorf("redisstore: acquire lease on %q: %w", key, err)
	}
	if got != 1 {
		return fmt.Errorf("redisstore: key %q: %w", key, tokenstore.ErrLeaseHeld)
	}
	return nil
}

// ReleaseLease gives the lease on key back if owner holds it. Releasing a
// lease owner does not hold does nothing. An error (such as a lost
// connection) leaves the lease to expire on its own.
func (s *Store) ReleaseLease(ctx context.Context, key, owner string) error {
	if err := releaseScript.Run(ctx, s.client, []string{s.leaseKey(key)}, owner).Err(); err != nil {
		return fmt.Errorf("redisstore: release lease on %q: %w", key, err)
	}
	return nil
}

func parseInt(v any) (int64, error) {
	s, ok := v.(string)
	if !ok {
		return 0, errors.New("not a string")
	}
	return strconv.ParseInt(s, 10, 64)
}

func isWrongType(err error) bool {
	return err != nil && strings.HasPrefix(err.Error(), "WRONGTYPE")
}

// scrub keeps a server error from quoting script arguments (it does not, but
// a proxy might): only the first word of a Redis error reply is kept when it
// is not a network or context error.
func scrub(err error) error {
	var rerr redis.Error
	if errors.As(err, &rerr) {
		msg := rerr.Error()
		if i := strings.IndexByte(msg, ' '); i > 0 {
			msg = msg[:i]
		}
		if msg == "WRONGTYPE" {
			return fmt.Errorf("record is not a hash: %w", tokenstore.ErrCorrupt)
		}
		return fmt.Errorf("redis error %s", msg)
	}
	return err
}

// encode returns the JSON stored for tok.
func encode(tok *tokenstore.Token) (string, error) {
	b, err := tokenstore.EncodeRecord(tok)
	if err != nil {
		return "", fmt.Errorf("redisstore: %w", err)
	}
	return string(b), nil
}

// decode reads a stored record back, never returning an unusable token.
func decode(key string, schema int64, data string, valid bool) (*tokenstore.Token, error) {
	var raw []byte
	if valid {
		raw = []byte(data)
	}
	tok, err := tokenstore.DecodeRecord(schema, SchemaVersion, raw)
	if err != nil {
		return nil, fmt.Errorf("redisstore: key %q: %w", key, err)
	}
	return tok, nil
}
