package pgqueue_test

import (
	"context"
	"database/sql"
	"os"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver, for the worker subprocesses

	"github.com/zoomkit/zoomkit/internal/servicetest"
	"github.com/zoomkit/zoomkit/internal/servicetest/pgtest"
	"github.com/zoomkit/zoomkit/webhook/queue"
	"github.com/zoomkit/zoomkit/webhook/queue/internal/workertest"
	"github.com/zoomkit/zoomkit/webhook/queue/pgqueue"
)

const (
	envDSN   = "ZOOMKIT_PGQUEUE_TEST_DSN"
	envTable = "ZOOMKIT_PGQUEUE_TEST_TABLE"
)

// openFromEnv opens, in a worker subprocess, the queue its parent test created.
func openFromEnv(ctx context.Context) (queue.Queue, func(context.Context) (int, error), error) {
	db, err := sql.Open("pgx", os.Getenv(envDSN))
	if err != nil {
		return nil, nil, err
	}
	table := os.Getenv(envTable)
	q, err := pgqueue.New(db, pgqueue.WithTable(table))
	if err != nil {
		return nil, nil, err
	}
	return q, liveCounter(db, table), nil
}

func liveCounter(db *sql.DB, table string) func(context.Context) (int, error) {
	return func(ctx context.Context) (n int, err error) {
		err = db.QueryRowContext(ctx, "SELECT count(*) FROM "+table+" WHERE NOT dead").Scan(&n)
		return n, err
	}
}

// Worker processes are killed with SIGKILL at random points across the events: none is lost
// (see workertest.CrashTest).
func TestCrashedWorkersLoseNoEvent(t *testing.T) {
	db := pgtest.Open(t)
	q := newQueue(t, db)
	workertest.CrashTest(t, q, []string{envDSN + "=" + servicetest.PostgresDSN(t), envTable + "=" + q.Table()}, liveCounter(db, q.Table()))
}

// Four worker processes share one queue: each meeting's events run one at a time, in event_ts
// order (see workertest.OrderTest).
func TestWorkerProcessesKeepPerMeetingOrder(t *testing.T) {
	db := pgtest.Open(t)
	q := newQueue(t, db)
	workertest.OrderTest(t, q, []string{envDSN + "=" + servicetest.PostgresDSN(t), envTable + "=" + q.Table()})
}
