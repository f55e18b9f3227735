// Package pgtest opens the test PostgreSQL server of package servicetest
// through pgx (tokenstore/sqlstore/postgres), for the tests that talk to
// PostgreSQL themselves.
package pgtest

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"github.com/zoomkit/zoomkit/internal/servicetest"
	"github.com/zoomkit/zoomkit/tokenstore/sqlstore/postgres"
)

// Open returns a new connection pool to the test PostgreSQL server (see
// [servicetest.PostgresDSN]), closed when the test ends. It skips the test
// (fails it in CI) when the server is unreachable, and fails it when the
// server refuses the connection.
func Open(tb testing.TB) *sql.DB {
	tb.Helper()
	dsn := servicetest.PostgresDSN(tb)
	db, err := postgres.Open(dsn)
	if err != nil {
		tb.Fatalf("pgtest: open PostgreSQL: %v", err)
	}
	tb.Cleanup(func() { db.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := db.PingContext(ctx); err != nil {
		tb.Fatalf("pgtest: PostgreSQL at %s: %v", servicetest.RedactDSN(dsn), err)
	}
	return db
}
