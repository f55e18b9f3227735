package redisstore_test

import (
	"context"
	"testing"

	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/zoomkit/zoomkit/internal/servicetest"
	"github.com/zoomkit/zoomkit/internal/servicetest/redistest"
	"github.com/zoomkit/zoomkit/tokenstore/redisstore"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// newClient returns a new client (with its own connection pool) of the test
// Redis, closed when the test ends.
func newClient(t testing.TB) *redis.Client { t.Helper(); return redistest.Open(t) }

// uniquePrefix returns a key prefix no other test uses; its keys are deleted
// when the test ends.
func uniquePrefix(t testing.TB) string {
	t.Helper()
	prefix := servicetest.UniqueName("zktest:") + ":"
	addr := servicetest.RedisAddr(t)
	t.Cleanup(func() {
		c := redis.NewClient(&redis.Options{Addr: addr})
		defer c.Close()
		ctx := context.Background()
		iter := c.Scan(ctx, 0, prefix+"*", 1000).Iterator()
		for iter.Next(ctx) {
			c.Del(ctx, iter.Val())
		}
		assert.NoError(t, iter.Err(), "clean up %s*", prefix)
	})
	return prefix
}

// newStore returns a Store on a new client, under a prefix of its own.
func newStore(t testing.TB) *redisstore.Store {
	t.Helper()
	return newStorePrefix(t, newClient(t), uniquePrefix(t))
}

func newStorePrefix(t testing.TB, c redis.UniversalClient, prefix string) *redisstore.Store {
	t.Helper()
	s, err := redisstore.New(c, redisstore.WithPrefix(prefix))
	require.NoError(t, err)
	return s
}
