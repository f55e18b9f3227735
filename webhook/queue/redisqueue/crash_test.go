package redisqueue_test

import (
	"context"
	"os"
	"testing"

	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/require"

	"github.com/zoomkit/zoomkit/internal/servicetest"
	"github.com/zoomkit/zoomkit/internal/servicetest/redistest"
	"github.com/zoomkit/zoomkit/webhook/queue"
	"github.com/zoomkit/zoomkit/webhook/queue/internal/workertest"
	"github.com/zoomkit/zoomkit/webhook/queue/redisqueue"
)

const (
	envAddr   = "ZOOMKIT_REDISQUEUE_TEST_ADDR"
	envPrefix = "ZOOMKIT_REDISQUEUE_TEST_PREFIX"
)

// openFromEnv opens, in a worker subprocess, the queue its parent test created.
func openFromEnv(context.Context) (queue.Queue, func(context.Context) (int, error), error) {
	c := redis.NewClient(&redis.Options{Addr: os.Getenv(envAddr)})
	q, err := redisqueue.New(c, redisqueue.WithPrefix(os.Getenv(envPrefix)))
	if err != nil {
		return nil, nil, err
	}
	return q, q.Live, nil
}

func subprocessEnv(t *testing.T) ([]string, *redisqueue.Queue) {
	prefix := uniquePrefix(t)
	q, err := redisqueue.New(redistest.Open(t), redisqueue.WithPrefix(prefix))
	require.NoError(t, err)
	return []string{envAddr + "=" + servicetest.RedisAddr(t), envPrefix + "=" + prefix}, q
}

// Worker processes are killed with SIGKILL at random points across the events: none is lost
// (see workertest.CrashTest).
func TestCrashedWorkersLoseNoEvent(t *testing.T) {
	env, q := subprocessEnv(t)
	workertest.CrashTest(t, q, env, q.Live)
}

// Four worker processes share one queue: each meeting's events run one at a time, in event_ts
// order (see workertest.OrderTest).
func TestWorkerProcessesKeepPerMeetingOrder(t *testing.T) {
	env, q := subprocessEnv(t)
	workertest.OrderTest(t, q, env)
}
