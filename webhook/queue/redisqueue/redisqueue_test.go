package redisqueue_test

import (
	"context"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
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
		if err := iter.Err(); err != nil {
			t.Errorf("clean up %s: %v", prefix, err)
		}
	})
	return prefix
}

func newQueue(t testing.TB, opts ...redisqueue.Option) *redisqueue.Queue {
	t.Helper()
	q, err := redisqueue.New(redistest.Open(t), append([]redisqueue.Option{redisqueue.WithPrefix(uniquePrefix(t))}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
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
	if err := q.Enqueue(ctx, queue.Message{Key: "k", EventTS: before, Body: []byte(`{"event":"x"}`)}); err != nil {
		t.Fatal(err)
	}
	ds, err := q.Claim(ctx, 5, time.Hour)
	if err != nil || len(ds) != 1 {
		t.Fatalf("Claim = %d, %v", len(ds), err)
	}
	if ds[0].EnqueuedAt.Before(before) || !ds[0].EventTS.Equal(before.Truncate(time.Millisecond)) {
		t.Fatalf("times: enqueued %v, event_ts %v (want %v)", ds[0].EnqueuedAt, ds[0].EventTS, before)
	}
	if again, err := q.Claim(ctx, 5, time.Hour); err != nil || len(again) != 0 {
		t.Fatalf("second Claim = %d, %v; the server clock must keep the claim hidden", len(again), err)
	}
	if err := q.Ack(ctx, ds[0]); err != nil {
		t.Fatal(err)
	}
	if n, err := q.Live(ctx); err != nil || n != 0 {
		t.Fatalf("Live = %d, %v; want 0", n, err)
	}
}

func TestNewValidates(t *testing.T) {
	c := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1"})
	defer c.Close()
	for _, p := range []string{"a b", "a{b", "}", "\x00", string(make([]byte, 300))} {
		if _, err := redisqueue.New(c, redisqueue.WithPrefix(p)); err == nil {
			t.Errorf("WithPrefix(%q) accepted", p)
		}
	}
	if _, err := redisqueue.New(nil); err == nil {
		t.Error("New(nil) accepted")
	}
	if _, err := redisqueue.New(c, nil); err == nil {
		t.Error("a nil Option accepted")
	}
	if _, err := redisqueue.New(c, redisqueue.WithClock(nil)); err == nil {
		t.Error("WithClock(nil) accepted")
	}
}

// Queues under different prefixes share nothing.
func TestPrefixesAreIsolated(t *testing.T) {
	a, b := newQueue(t), newQueue(t)
	if err := a.Enqueue(t.Context(), queue.Message{Key: "k", Body: []byte("x")}); err != nil {
		t.Fatal(err)
	}
	if ds, err := b.Claim(t.Context(), 5, time.Minute); err != nil || len(ds) != 0 {
		t.Fatalf("the other queue claimed %d, %v", len(ds), err)
	}
}

// Every Queue joins the consumer group under its own name; PruneConsumers removes idle ones
// without pending turns.
func TestPruneConsumers(t *testing.T) {
	ctx := t.Context()
	c := redistest.Open(t)
	prefix := uniquePrefix(t)
	a, err := redisqueue.New(c, redisqueue.WithPrefix(prefix))
	if err != nil {
		t.Fatal(err)
	}
	b, err := redisqueue.New(c, redisqueue.WithPrefix(prefix))
	if err != nil {
		t.Fatal(err)
	}
	if a.Consumer() == b.Consumer() {
		t.Fatal("two Queues share a consumer name")
	}
	for _, k := range []string{"k1", "k2"} {
		if err := a.Enqueue(ctx, queue.Message{Key: k, Body: []byte(k)}); err != nil {
			t.Fatal(err)
		}
	}
	da, err := a.Claim(ctx, 1, time.Hour)
	if err != nil || len(da) != 1 {
		t.Fatalf("a.Claim = %d, %v", len(da), err)
	}
	db, err := b.Claim(ctx, 1, time.Hour)
	if err != nil || len(db) != 1 {
		t.Fatalf("b.Claim = %d, %v", len(db), err)
	}
	// b's consumer has a pending turn: it stays.
	if n, err := a.PruneConsumers(ctx, 0); err != nil || n != 0 {
		t.Fatalf("PruneConsumers with b's turn pending = %d, %v; want 0", n, err)
	}
	if err := b.Ack(ctx, db[0]); err != nil {
		t.Fatal(err)
	}
	if n, err := a.PruneConsumers(ctx, 0); err != nil || n != 1 {
		t.Fatalf("PruneConsumers = %d, %v; want b's consumer deleted", n, err)
	}
	// a keeps its claim and settles it.
	if err := a.Ack(ctx, da[0]); err != nil {
		t.Fatal(err)
	}
}
