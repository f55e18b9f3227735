package sqlstoretest

import (
	"context"
	"database/sql"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/zoomkit/zoomkit/internal/servicetest"
	"github.com/zoomkit/zoomkit/internal/servicetest/replicatest"
	"github.com/zoomkit/zoomkit/tokenstore"
	"github.com/zoomkit/zoomkit/tokenstore/sqlstore"
)

// Environment of the helper processes of TestCrossReplicaProcesses.
const (
	dsnEnv   = "ZOOMKIT_SQLSTORE_DSN"
	tableEnv = "ZOOMKIT_SQLSTORE_TABLE"
)

// sharedBackend returns a replicatest.Backend whose replicas each open their
// own connection pool to one database and share one migrated table.
func sharedBackend(tb testing.TB, b Backend, opts ...sqlstore.Option) replicatest.Backend {
	tb.Helper()
	dsn := b.DSN(tb)
	table := servicetest.UniqueName("zk_replica_")
	open := func(tb testing.TB) tokenstore.CoordinatedStore {
		tb.Helper()
		db, err := b.Open(dsn)
		require.NoError(tb, err)
		tb.Cleanup(func() { db.Close() })
		s, err := sqlstore.New(db, append([]sqlstore.Option{sqlstore.WithTable(table)}, opts...)...)
		require.NoError(tb, err)
		return s
	}
	db, err := b.Open(dsn)
	require.NoError(tb, err)
	tb.Cleanup(func() { db.Close() })
	newStoreTable(tb, db, table) // migrates; drops the table before db closes
	return replicatest.Backend{
		Open: open,
		Env:  []string{dsnEnv + "=" + dsn, tableEnv + "=" + table},
	}
}

// TestCrossReplicaRefresh: 8 TokenSources, each on its own connection pool,
// share one expired grant and ask for a token at once.
func (su *suite) TestCrossReplicaRefresh(t *testing.T) {
	for _, be := range su.backends() {
		t.Run(be.Name, func(t *testing.T) {
			t.Parallel()
			b := sharedBackend(t, be)
			for range 3 {
				replicatest.ConcurrentRefresh(t, b, 8)
			}
		})
	}
}

// TestCrossReplicaProcesses runs the 8 replicas as separate OS processes.
func (su *suite) TestCrossReplicaProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns processes")
	}
	for _, be := range su.backends() {
		t.Run(be.Name, func(t *testing.T) {
			t.Parallel()
			replicatest.Processes(t, sharedBackend(t, be), 8, "TestHelperProcess")
		})
	}
}

// HelperProcess is the body of the test named TestHelperProcess that each
// driver package's tests must declare for TestCrossReplicaProcesses: a
// replica process opening its database with open.
func HelperProcess(t *testing.T, open func(dsn string) (*sql.DB, error)) {
	replicatest.HelperProcess(t, func() (tokenstore.Store, func(), error) {
		db, err := open(os.Getenv(dsnEnv))
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
func (su *suite) TestCrossReplicaPausedLeader(t *testing.T) {
	for _, be := range su.backends() {
		t.Run(be.Name, func(t *testing.T) {
			t.Parallel()
			clk := newFakeClock()
			const ttl = 30 * time.Second
			b := sharedBackend(t, be, sqlstore.WithClock(clk.Now))
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
func (su *suite) TestCrossReplicaUnsavedRotation(t *testing.T) {
	for _, be := range su.backends() {
		t.Run(be.Name, func(t *testing.T) {
			t.Run("6 failed writes", func(t *testing.T) {
				replicatest.UnsavedRotation(t, sharedBackend(t, be), 300*time.Millisecond, &replicatest.WriteFaults{N: 6})
			})
			t.Run("writes fail past the lease TTL", func(t *testing.T) {
				replicatest.UnsavedRotation(t, sharedBackend(t, be), 300*time.Millisecond, &replicatest.WriteFaults{For: time.Second})
			})
		})
	}
}

// TestCrossReplicaDeadOnce: a revoked grant costs one token request and one
// hook call across 8 replicas.
func (su *suite) TestCrossReplicaDeadOnce(t *testing.T) {
	for _, be := range su.backends() {
		t.Run(be.Name, func(t *testing.T) {
			replicatest.DeadOnce(t, sharedBackend(t, be), 8)
		})
	}
}

// TestCrossReplicaPausedHolder: a replica that waited for a holder paused
// after Zoom rotated waits for its save instead of declaring the grant dead.
func (su *suite) TestCrossReplicaPausedHolder(t *testing.T) {
	for _, be := range su.backends() {
		t.Run(be.Name, func(t *testing.T) {
			replicatest.PausedHolder(t, sharedBackend(t, be), 300*time.Millisecond, 16)
		})
	}
}
