package pgqueue_test

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/zoomkit/zoomkit/internal/servicetest"
	"github.com/zoomkit/zoomkit/internal/servicetest/pgtest"
	"github.com/zoomkit/zoomkit/webhook/queue"
	"github.com/zoomkit/zoomkit/webhook/queue/internal/workertest"
	"github.com/zoomkit/zoomkit/webhook/queue/pgqueue"
	"github.com/zoomkit/zoomkit/webhook/queue/queuetest"
)

func TestMain(m *testing.M) {
	workertest.Main(openFromEnv)
	goleak.VerifyTestMain(m)
}

// newQueue returns a migrated Queue on db in a table of its own, dropped when the test ends.
func newQueue(t testing.TB, db *sql.DB, opts ...pgqueue.Option) *pgqueue.Queue {
	t.Helper()
	table := servicetest.UniqueName("zk_queue_")
	q, err := pgqueue.New(db, append([]pgqueue.Option{pgqueue.WithTable(table)}, opts...)...)
	require.NoError(t, err)
	require.NoError(t, q.Migrate(context.Background()))
	t.Cleanup(func() {
		_, err := db.ExecContext(context.Background(), "DROP TABLE IF EXISTS "+table)
		assert.NoError(t, err, "drop %s", table)
	})
	return q
}

func TestConformance(t *testing.T) {
	db := pgtest.Open(t)
	queuetest.Run(t, func(t *testing.T, now func() time.Time) queue.Queue {
		return newQueue(t, db, pgqueue.WithClock(now))
	})
}

func TestDatabaseClockAndSchemaQualifiedTable(t *testing.T) {
	db := pgtest.Open(t)
	ctx := t.Context()
	schema := servicetest.UniqueName("zk_qschema_")
	_, err := db.ExecContext(ctx, "CREATE SCHEMA "+schema)
	require.NoError(t, err)
	t.Cleanup(func() {
		_, err := db.ExecContext(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
		assert.NoError(t, err, "drop schema")
	})
	q, err := pgqueue.New(db, pgqueue.WithTable(schema+".events"))
	require.NoError(t, err)
	require.NoError(t, q.Migrate(ctx))
	require.NoError(t, q.Migrate(ctx), "second Migrate")
	before := time.Now().Add(-time.Minute)
	require.NoError(t, q.Enqueue(ctx, queue.Message{Key: "k", EventTS: before, Body: []byte(`{"event":"x"}`)}))
	ds, err := q.Claim(ctx, 5, time.Hour)
	require.NoError(t, err, "Claim")
	require.Len(t, ds, 1, "Claim")
	require.False(t, ds[0].EnqueuedAt.Before(before), "times: enqueued %v, event_ts %v (want %v)", ds[0].EnqueuedAt, ds[0].EventTS, before)
	require.True(t, ds[0].EventTS.Equal(before.Truncate(time.Millisecond)), "times: enqueued %v, event_ts %v (want %v)", ds[0].EnqueuedAt, ds[0].EventTS, before)
	again, err := q.Claim(ctx, 5, time.Hour)
	require.NoError(t, err, "second Claim")
	require.Empty(t, again, "second Claim: the database clock must keep the claim hidden")
	require.NoError(t, q.Ack(ctx, ds[0]))
}

func TestNewValidates(t *testing.T) {
	db := &sql.DB{}
	for _, name := range []string{"", "1abc", "a-b", "a.b.c", "x; DROP TABLE y", "a b"} {
		_, err := pgqueue.New(db, pgqueue.WithTable(name))
		assert.Error(t, err, "WithTable(%q) accepted", name)
	}
	_, err := pgqueue.New(nil)
	assert.Error(t, err, "New(nil) accepted")
	_, err = pgqueue.New(db, nil)
	assert.Error(t, err, "a nil Option accepted")
	_, err = pgqueue.New(db, pgqueue.WithClock(nil))
	assert.Error(t, err, "WithClock(nil) accepted")
}

// An earlier event of a key queued while a later one is being claimed must not be claimed
// alongside it: at most one message of a key is in flight.
func TestLateEarlierEventRacingAClaim(t *testing.T) {
	db := pgtest.Open(t)
	db.SetMaxOpenConns(8)
	q := newQueue(t, db)
	ctx := t.Context()
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range 150 {
		key := fmt.Sprintf("k%d", i)
		require.NoError(t, q.Enqueue(ctx, queue.Message{Key: key, EventTS: base.Add(time.Hour), Body: []byte("later")}))
		var wg sync.WaitGroup
		var claimed [3][]queue.Delivery
		start := make(chan struct{})
		for g := range 2 {
			wg.Go(func() {
				<-start
				ds, err := q.Claim(ctx, 10, time.Hour)
				assert.NoError(t, err)
				claimed[g] = ds
			})
		}
		wg.Go(func() {
			<-start
			assert.NoError(t, q.Enqueue(ctx, queue.Message{Key: key, EventTS: base, Body: []byte("earlier")}))
			ds, err := q.Claim(ctx, 10, time.Hour)
			assert.NoError(t, err)
			claimed[2] = ds
		})
		close(start)
		wg.Wait()
		n := 0
		for _, ds := range claimed {
			for _, d := range ds {
				if d.Key == key {
					n++
				}
			}
		}
		require.LessOrEqual(t, n, 1, "round %d: messages of one key claimed at once", i)
		// Settle the round: whatever is claimed stays claimed (visibility 1h), on its own key.
	}
}
