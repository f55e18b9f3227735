// Package sqlstoretest is the test suite of package sqlstore, run by the
// tests of each driver package (tokenstore/sqlstore/sqlite,
// tokenstore/sqlstore/postgres) against its own database. It imports no
// database driver itself, so neither driver's tests compile the other's.
package sqlstoretest

import (
	"context"
	"database/sql"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/zoomkit/zoomkit/internal/servicetest"
	"github.com/zoomkit/zoomkit/tokenstore/sqlstore"
)

// Backend is one database engine the suite runs against.
type Backend struct {
	// Name names the engine in subtest names: "SQLite", "Postgres".
	Name string
	// Dialect is the dialect sqlstore.New must infer for its databases.
	Dialect sqlstore.Dialect
	// DSN returns the data source name of a database for tb: a new one
	// (SQLite: a file in tb.TempDir()) or a shared server's (PostgreSQL;
	// every test uses tables of its own). It skips tb (fails it in CI) when
	// the server is unreachable.
	DSN func(tb testing.TB) string
	// Open opens a new connection pool to the database named by dsn.
	Open func(dsn string) (*sql.DB, error)
}

// backend is the Backend the tests range over.
type backend = Backend

// opener returns a function opening a new connection pool at each call;
// every pool opened by one opener reaches the same database.
func (b Backend) opener() func(t testing.TB) *sql.DB {
	var (
		mu  sync.Mutex
		dsn string
	)
	return func(t testing.TB) *sql.DB {
		t.Helper()
		mu.Lock()
		if dsn == "" {
			dsn = b.DSN(t)
		}
		d := dsn
		mu.Unlock()
		db, err := b.Open(d)
		require.NoError(t, err)
		t.Cleanup(func() { db.Close() })
		return db
	}
}

// suite holds the Backend of one run; its Test* methods are the tests.
type suite struct{ b Backend }

func (su *suite) backends() []backend { return []backend{su.b} }

// Run runs every test of the suite against b, each as a subtest of t named
// after the test (TestConformance, TestDeduper, ...).
func Run(t *testing.T, b Backend) {
	su := &suite{b: b}
	v := reflect.ValueOf(su)
	typ := v.Type()
	for i := range typ.NumMethod() {
		m := typ.Method(i)
		if !strings.HasPrefix(m.Name, "Test") {
			continue
		}
		f := v.Method(i).Interface().(func(*testing.T))
		t.Run(m.Name, f)
	}
}

// Bench runs every benchmark of the suite against be.
func Bench(b *testing.B, be Backend) {
	su := &suite{b: be}
	v := reflect.ValueOf(su)
	typ := v.Type()
	for i := range typ.NumMethod() {
		m := typ.Method(i)
		if !strings.HasPrefix(m.Name, "Benchmark") {
			continue
		}
		f := v.Method(i).Interface().(func(*testing.B))
		b.Run(strings.TrimPrefix(m.Name, "Benchmark"), f)
	}
}

// newStore returns a migrated Store on db in a table of its own, dropped when
// the test ends.
func newStore(t testing.TB, db *sql.DB, opts ...sqlstore.Option) *sqlstore.Store {
	t.Helper()
	table := servicetest.UniqueName("zk_tokens_")
	return newStoreTable(t, db, table, opts...)
}

func newStoreTable(t testing.TB, db *sql.DB, table string, opts ...sqlstore.Option) *sqlstore.Store {
	t.Helper()
	s, err := sqlstore.New(db, append([]sqlstore.Option{sqlstore.WithTable(table)}, opts...)...)
	require.NoError(t, err)
	require.NoError(t, s.Migrate(context.Background()))
	t.Cleanup(func() { dropTable(t, db, table) })
	return s
}

func dropTable(t testing.TB, db *sql.DB, table string) {
	_, err := db.ExecContext(context.Background(), "DROP TABLE IF EXISTS "+table)
	assert.NoError(t, err, "drop %s", table)
}

// fakeClock is a clock the test moves by hand.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func newFakeClock() *fakeClock {
	return &fakeClock{now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}
