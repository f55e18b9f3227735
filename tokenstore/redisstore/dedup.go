package redisstore

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/zoomkit/zoomkit/tokenstore"
)

// Deduper records which webhook deliveries are being handled, so that a
// redelivered event is handled once across every replica sharing the Redis.
// It implements the webhook package's Deduper interface. A claim is a key
// prefix+"dedup:"+key (key escaped when ambiguous) set with SET NX PX, so it
// expires on its own. It is safe for concurrent use.
type Deduper struct {
	client redis.UniversalClient
	prefix string
}

// NewDeduper returns a Deduper on client. It accepts the same options as
// [New].
func NewDeduper(client redis.UniversalClient, opts ...Option) (*Deduper, error) {
	if client == nil {
		return nil, errors.New("redisstore: nil client")
	}
	c, err := newConfig(opts)
	if err != nil {
		return nil, err
	}
	return &Deduper{client: client, prefix: c.prefix}, nil
}

func (d *Deduper) key(key string) string { return redisKey(d.prefix, kindDedup, key) }

// Claim records key as being handled for ttl. It returns false if key is
// already claimed: claimed, not released, and not expired. An expired claim
// may be claimed again. A ttl under 1ms counts as 1ms.
func (d *Deduper) Claim(ctx context.Context, key string, ttl time.Duration) (bool, error) {
	if ttl <= 0 {
		return false, fmt.Errorf("redisstore: claim ttl must be positive, not %v: %w", ttl, tokenstore.ErrInvalidArgument)
	}
	ok, err := d.client.SetNX(ctx, d.key(key), 1, max(ttl, time.Millisecond)).Result()
	if err != nil {
		return false, fmt.Errorf("redisstore: claim %q: %w", key, err)
	}
	return ok, nil
}

// Release forgets key, so that a redelivery is handled again. Releasing an
// unclaimed key does nothing.
func (d *Deduper) Release(ctx context.Context, key string) error {
	if err := d.client.Del(ctx, d.key(key)).Err(); err != nil {
		return fmt.Errorf("redisstore: release %q: %w", key, err)
	}
	return nil
}
