// Package redistest opens the test Redis server of package servicetest
// through go-redis, for the tests that talk to Redis themselves. It lives
// apart from servicetest so that tests which need only an address do not
// compile a Redis client.
package redistest

import (
	"testing"

	"github.com/redis/go-redis/v9"

	"github.com/zoomkit/zoomkit/internal/servicetest"
)

// Open returns a new client (with its own connection pool) of the test
// Redis server (see [servicetest.RedisAddr]), closed when the test ends. It
// skips the test (fails it in CI) when the server is unreachable.
func Open(tb testing.TB) *redis.Client {
	tb.Helper()
	c := redis.NewClient(&redis.Options{Addr: servicetest.RedisAddr(tb)})
	tb.Cleanup(func() { c.Close() })
	return c
}
