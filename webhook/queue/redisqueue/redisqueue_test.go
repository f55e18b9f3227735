package redisqueue_test

import (
	"context"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/zoomkit/zoomkit/internal/servicetest"
	"github.com/zoomkit/zoomkit/internal/servicetest/redistest"
	"github.com/zoomkit/zoomkit/webhook/queue"
	"github.com/zoomkit/zoomkit/webhook/queue/internal/workertest"
	"github.com/zoomkit/zoomkit/webhook/queue/queuetest"
	"github.com/zoomkit/zoomkit/webhook/queue/redisqueue"
)

func TestMain(m *testing.M) {
	workertest.Main(openFromEnv)
	goleak.VerifyTestMain(m)
}

// uniquePrefix returns a key prefix no other test uses; its keys are deleted when the test ends.
func uniquePrefix(t testing.TB) string {
	t.Helper()
	prefix := servicetest.UniqueName("zktest:q:") + ":"
	addr := servicetest.RedisAddr(t)
	t.Cleanup(func() {
		c := redis.NewClient(&redis.Options{Addr: addr})
		defer c.Close()
		ctx := context.Background()
		iter := c.Scan(ctx, 0, "{"+prefix+"}*", 1000).Iterator()
		for iter.Next(ctx) {
			c.Del(ctx, iter.Val())
		}
		assert.NoError(t, iter.Err(), "clean up %s", prefix)
	})
	return prefix
}

func newQueue(t testing.TB, opts ...redisqueue.Option) *redisqueue.Queue {
	t.Helper()
	q, err := redisqueue.New(redistest.Open(t), append([]redisqueue.Option{redisqueue.WithPrefix(uniquePrefix(t))}, opts...)...)
	require.NoError(t, err)
	return q
}

func TestConformance(t *testing.T) {
	queuetest.Run(t, func(t *testing.T, now func() time.Time) queue.Queue {
		return newQueue(t, redisqueue.WithClock(now))
	})
}

func TestServerClock(t *testing.T) {
	q := newQueue(t)
	ctx := t.Context()
	before := time.Now().Add(-time.Minute)
	require.NoError(t, q.Enqueue(ctx, queue.Message{Key: "k", EventTS: before, Body: []byte(`{"event":"x"}`)}))
	ds, err := q.Claim(ctx, 5, time.Hour)
	require.NoError(t, err, "Claim")
	require.Len(t, ds, 1, "Claim")
	require.False(t, ds[0].EnqueuedAt.Before(before), "times: enqueued %v, event_ts %v (want %v)", ds[0].EnqueuedAt, ds[0].EventTS, before)
	require.True(t, ds[0].EventTS.Equal(before.Truncate(time.Millisecond)), "times: enqueued %v, event_ts %v (want %v)", ds[0].EnqueuedAt, ds[0].EventTS, before)
	again, err := q.Claim(ctx, 5, time.Hour)
	require.NoError(t, err, "second Claim")
	require.Empty(t, again, "second Claim: the server clock must keep the claim hidden")
	require.NoError(t, q.Ack(ctx, ds[0]))
	n, err := q.Live(ctx)
	require.NoError(t, err, "Live")
	require.Equal(t, 0, n, "Live")
}

func TestNewValidates(t *testing.T) {
	c := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1"})
	defer c.Close()
	for _, p := range []string{"a b", "a{b", "}", "\x00", string(make([]byte, 300))} {
		_, err := redisqueue.New(c, redisqueue.WithPrefix(p))
		assert.Error(t, err, "WithPrefix(%q) accepted", p)
	}
	_, err := redisqueue.New(nil)
	assert.Error(t, err, "New(nil) accepted")
	_, err = redisqueue.New(c, nil)
	assert.Error(t, err, "a nil Option accepted")
	_, err = redisqueue.New(c, redisqueue.WithClock(nil))
	assert.Error(t, err, "WithClock(nil) accepted")
}

// Queues under different prefixes share nothing.
func TestPrefixesAreIsolated(t *testing.T) {
	a, b := newQueue(t), newQueue(t)
	require.NoError(t, a.Enqueue(t.Context(), queue.Message{Key: "k", Body: []byte("x")}))
	ds, err := b.Claim(t.Context(), 5, time.Minute)
	require.NoError(t, err, "the other queue's Claim")
	require.Empty(t, ds, "the other queue claimed")
}

// Every Queue joins the consumer group under its own name; PruneConsumers removes idle ones
// without pending turns.
func TestPruneConsumers(t *testing.T) {
	ctx := t.Context()
	c := redistest.Open(t)
	prefix := uniquePrefix(t)
	a, err := redisqueue.New(c, redisqueue.WithPrefix(prefix))
	require.NoError(t, err)
	b, err := redisqueue.New(c, redisqueue.WithPrefix(prefix))
	require.NoError(t, err)
	require.NotEqual(t, a.Consumer(), b.Consumer(), "two Queues share a consumer name")
	for _, k := range []string{"k1", "k2"} {
		require.NoError(t, a.Enqueue(ctx, queue.Message{Key: k, Body: []byte(k)}))
	}
	da, err := a.Claim(ctx, 1, time.Hour)
	require.NoError(t, err, "a.Claim")
	require.Len(t, da, 1, "a.Claim")
	db, err := b.Claim(ctx, 1, time.Hour)
	require.NoError(t, err, "b.Claim")
	require.Len(t, db, 1, "b.Claim")
	// b's consumer has a pending turn: it stays.
	n, err := a.PruneConsumers(ctx, 0)
	require.NoError(t, err, "PruneConsumers with b's turn pending")
	require.Equal(t, 0, n, "PruneConsumers with b's turn pending")
	require.NoError(t, b.Ack(ctx, db[0]))
	n, err = a.PruneConsumers(ctx, 0)
	require.NoError(t, err, "PruneConsumers")
	require.Equal(t, 1, n, "PruneConsumers: want b's consumer deleted")
	// a keeps its claim and settles it.
	require.NoError(t, a.Ack(ctx, da[0]))
}
