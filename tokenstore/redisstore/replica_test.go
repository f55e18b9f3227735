package redisstore_test

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/zoomkit/zoomkit/internal/servicetest"
	"github.com/zoomkit/zoomkit/internal/servicetest/replicatest"
	"github.com/zoomkit/zoomkit/tokenstore"
	"github.com/zoomkit/zoomkit/tokenstore/redisstore"
)

// Environment of the helper processes of TestCrossReplicaProcesses.
const (
	addrEnv   = "ZOOMKIT_REDISSTORE_ADDR"
	prefixEnv = "ZOOMKIT_REDISSTORE_PREFIX"
)

// sharedBackend returns a replicatest.Backend whose replicas each have their
// own client (and connection pool) and share one key prefix.
func sharedBackend(tb testing.TB) replicatest.Backend {
	tb.Helper()
	addr := servicetest.RedisAddr(tb)
	prefix := uniquePrefix(tb)
	return replicatest.Backend{
		Open: func(tb testing.TB) tokenstore.CoordinatedStore {
			return newStorePrefix(tb, newClient(tb), prefix)
		},
		Env: []string{addrEnv + "=" + addr, prefixEnv + "=" + prefix},
	}
}

// TestCrossReplicaRefresh: 8 TokenSources, each with its own client, share
// one expired grant and ask for a token at once.
func TestCrossReplicaRefresh(t *testing.T) {
	b := sharedBackend(t)
	for range 3 {
		replicatest.ConcurrentRefresh(t, b, 8)
	}
}

// TestCrossReplicaProcesses runs the 8 replicas as separate OS processes.
func TestCrossReplicaProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns processes")
	}
	replicatest.Processes(t, sharedBackend(t), 8, "TestHelperProcess")
}

func TestHelperProcess(t *testing.T) {
	replicatest.HelperProcess(t, func() (tokenstore.Store, func(), error) {
		c := redis.NewClient(&redis.Options{Addr: os.Getenv(addrEnv)})
		s, err := redisstore.New(c, redisstore.WithPrefix(os.Getenv(prefixEnv)))
		if err != nil {
			c.Close()
			return nil, nil, err
		}
		return s, func() { c.Close() }, nil
	})
}

// TestCrossReplicaPausedLeader: the lease holder paused past its lease TTL
// cannot overwrite the newer token. Redis expires leases by its own clock,
// so the test uses a short real TTL and polls until the lease is free.
func TestCrossReplicaPausedLeader(t *testing.T) {
	replicatest.PausedLeader(t, sharedBackend(t), 100*time.Millisecond, func(ctx context.Context, other tokenstore.CoordinatedStore) {
		waitLeaseFree(t, other.(*redisstore.Store), replicatest.Key, "replica-b")
	})
}

// TestCrossReplicaUnsavedRotation: a rotated token whose save fails (6
// times, or for longer than the lease TTL) is kept, saved in the background
// under a renewed lease, and never superseded by another replica's
// invalid_grant.
func TestCrossReplicaUnsavedRotation(t *testing.T) {
	t.Run("6 failed writes", func(t *testing.T) {
		replicatest.UnsavedRotation(t, sharedBackend(t), 300*time.Millisecond, &replicatest.WriteFaults{N: 6})
	})
	t.Run("writes fail past the lease TTL", func(t *testing.T) {
		replicatest.UnsavedRotation(t, sharedBackend(t), 300*time.Millisecond, &replicatest.WriteFaults{For: time.Second})
	})
}

// TestCrossReplicaDeadOnce: a revoked grant costs one token request and one
// hook call across 8 replicas.
func TestCrossReplicaDeadOnce(t *testing.T) {
	replicatest.DeadOnce(t, sharedBackend(t), 8)
}

// TestCrossReplicaPausedHolder: a replica that waited for a holder paused
// after Zoom rotated waits for its save instead of declaring the grant dead.
func TestCrossReplicaPausedHolder(t *testing.T) {
	replicatest.PausedHolder(t, sharedBackend(t), 300*time.Millisecond, 16)
}
