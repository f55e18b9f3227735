package pgqueue_test

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
	"testing"
	"time"

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
	if err != nil {
		t.Fatal(err)
	}
	if err := q.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if _, err := db.ExecContext(context.Background(), "DROP TABLE IF EXISTS "+table); err != nil {
			t.Errorf("drop %s: %v", table, err)
		}
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
	if _, err := db.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if _, err := db.ExecContext(context.Background(), "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			t.Errorf("drop schema: %v", err)
		}
	})
	q, err := pgqueue.New(db, pgqueue.WithTable(schema+".events"))
	if err != nil {
		t.Fatal(err)
	}
	if err := q.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if err := q.Migrate(ctx); err != nil {
		t.Fatalf("second Migrate: %v", err)
	}
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
		t.Fatalf("second Claim = %d, %v; the database clock must keep the claim hidden", len(again), err)
	}
	if err := q.Ack(ctx, ds[0]); err != nil {
		t.Fatal(err)
	}
}

func TestNewValidates(t *testing.T) {
	db := &sql.DB{}
	for _, name := range []string{"", "1abc", "a-b", "a.b.c", "x; DROP TABLE y", "a b"} {
		if _, err := pgqueue.New(db, pgqueue.WithTable(name)); err == nil {
			t.Errorf("WithTable(%q) accepted", name)
		}
	}
	if _, err := pgqueue.New(nil); err == nil {
		t.Error("New(nil) accepted")
	}
	if _, err := pgqueue.New(db, nil); err == nil {
		t.Error("a nil Option accepted")
	}
	if _, err := pgqueue.New(db, pgqueue.WithClock(nil)); err == nil {
		t.Error("WithClock(nil) accepted")
	}
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
		if err := q.Enqueue(ctx, queue.Message{Key: key, EventTS: base.Add(time.Hour), Body: []byte("later")}); err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		var claimed [3][]queue.Delivery
		start := make(chan struct{})
		for g := range 2 {
			wg.Go(func() {
				<-start
				ds, err := q.Claim(ctx, 10, time.Hour)
				if err != nil {
					t.Error(err)
				}
				claimed[g] = ds
			})
		}
		wg.Go(func() {
			<-start
			if err := q.Enqueue(ctx, queue.Message{Key: key, EventTS: base, Body: []byte("earlier")}); err != nil {
				t.Error(err)
			}
			ds, err := q.Claim(ctx, 10, time.Hour)
			if err != nil {
				t.Error(err)
			}
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
		if n > 1 {
			t.Fatalf("round %d: %d messages of one key claimed at once", i, n)
		}
		// Settle the round: whatever is claimed stays claimed (visibility 1h), on its own key.
	}
}
