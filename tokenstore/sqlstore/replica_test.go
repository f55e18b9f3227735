package sqlstore_test

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/zoomkit/zoomkit/internal/servicetest"
	"github.com/zoomkit/zoomkit/internal/servicetest/replicatest"
	"github.com/zoomkit/zoomkit/tokenstore"
	"github.com/zoomkit/zoomkit/tokenstore/sqlstore"
)

// Environment of the helper processes of TestCrossReplicaProcesses.
const (
	driverEnv = "ZOOMKIT_SQLSTORE_DRIVER"
	dsnEnv    = "ZOOMKIT_SQLSTORE_DSN"
	tableEnv  = "ZOOMKIT_SQLSTORE_TABLE"
)

// sharedBackend returns a replicatest.Backend whose replicas each open their
// own connection pool to one database and share one migrated table.
func sharedBackend(tb testing.TB, name string, opts ...sqlstore.Option) replicatest.Backend {
	tb.Helper()
	var driver, dsn string
	switch name {
	case "SQLite":
		driver, dsn = "sqlite", filepath.Join(tb.TempDir(), "shared.db")
	case "Postgres":
		driver, dsn = "pgx", servicetest.PostgresDSN(tb)
	}
	table := servicetest.UniqueName("zk_replica_")
	open := func(tb testing.TB) tokenstore.CoordinatedStore {
		tb.Helper()
		db, err := openDB(driver, dsn)
		if err != nil {
			tb.Fatal(err)
		}
		tb.Cleanup(func() { db.Close() })
		s, err := sqlstore.New(db, append([]sqlstore.Option{sqlstore.WithTable(table)}, opts...)...)
		if err != nil {
			tb.Fatal(err)
		}
		return s
	}
	db, err := openDB(driver, dsn)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	newStoreTable(tb, db, table) // migrates; drops the table before db closes
	return replicatest.Backend{
		Open: open,
		Env:  []string{driverEnv + "=" + driver, dsnEnv + "=" + dsn, tableEnv + "=" + table},
	}
}

func openDB(driver, dsn string) (*sql.DB, error) {
	if driver == "sqlite" {
		return sqlstore.OpenSQLite(dsn)
	}
	return sql.Open(driver, dsn)
}

// TestCrossReplicaRefresh: 8 TokenSources, each on its own connection pool,
// share one expired grant and ask for a token at once.
func TestCrossReplicaRefresh(t *testing.T) {
	for _, name := range []string{"SQLite", "Postgres"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			b := sharedBackend(t, name)
			for range 3 {
				replicatest.ConcurrentRefresh(t, b, 8)
			}
		})
	}
}

// TestCrossReplicaProcesses runs the 8 replicas as separate OS processes.
func TestCrossReplicaProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns processes")
	}
	for _, name := range []string{"SQLite", "Postgres"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			replicatest.Processes(t, sharedBackend(t, name), 8, "TestHelperProcess")
		})
	}
}

func TestHelperProcess(t *testing.T) {
	replicatest.HelperProcess(t, func() (tokenstore.Store, func(), error) {
		db, err := openDB(os.Getenv(driverEnv), os.Getenv(dsnEnv))
		if err != nil {
			return nil, nil, err
		}
		s, err := sqlstore.New(db, sqlstore.WithTable(os.Getenv(tableEnv)))
		if err != nil {
			db.Close()
			return nil, nil, err
		}
		return s, func() { db.Close() }, nil
	})
}

// TestCrossReplicaPausedLeader: the lease holder paused past its lease TTL
// (driven by an injected clock shared by the replicas' stores) cannot
// overwrite the newer token.
func TestCrossReplicaPausedLeader(t *testing.T) {
	for _, name := range []string{"SQLite", "Postgres"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			clk := newFakeClock()
			const ttl = 30 * time.Second
			b := sharedBackend(t, name, sqlstore.WithClock(clk.Now))
			replicatest.PausedLeader(t, b, ttl, func(context.Context, tokenstore.CoordinatedStore) {
				clk.Advance(ttl + time.Millisecond)
			})
		})
	}
}

// TestCrossReplicaUnsavedRotation: a rotated token whose save fails (6
// times, or for longer than the lease TTL) is kept, saved in the background
// under a renewed lease, and never superseded by another replica's
// invalid_grant.
func TestCrossReplicaUnsavedRotation(t *testing.T) {
	for _, name := range []string{"SQLite", "Postgres"} {
		t.Run(name, func(t *testing.T) {
			t.Run("6 failed writes", func(t *testing.T) {
				replicatest.UnsavedRotation(t, sharedBackend(t, name), 300*time.Millisecond, &replicatest.WriteFaults{N: 6})
			})
			t.Run("writes fail past the lease TTL", func(t *testing.T) {
				replicatest.UnsavedRotation(t, sharedBackend(t, name), 300*time.Millisecond, &replicatest.WriteFaults{For: time.Second})
			})
		})
	}
}

// TestCrossReplicaDeadOnce: a revoked grant costs one token request and one
// hook call across 8 replicas.
func TestCrossReplicaDeadOnce(t *testing.T) {
	for _, name := range []string{"SQLite", "Postgres"} {
		t.Run(name, func(t *testing.T) {
			replicatest.DeadOnce(t, sharedBackend(t, name), 8)
		})
	}
}

// TestCrossReplicaPausedHolder: a replica that waited for a holder paused
// after Zoom rotated waits for its save instead of declaring the grant dead.
func TestCrossReplicaPausedHolder(t *testing.T) {
	for _, name := range []string{"SQLite", "Postgres"} {
		t.Run(name, func(t *testing.T) {
			replicatest.PausedHolder(t, sharedBackend(t, name), 300*time.Millisecond, 16)
		})
	}
}
