package sqlstore_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/zoomkit/zoomkit/internal/servicetest"
	"github.com/zoomkit/zoomkit/tokenstore/sqlstore"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// backend opens databases of one engine for the tests.
type backend struct {
	name string
	// opener returns a function opening a new connection pool at each call;
	// every pool opened by one opener reaches the same database.
	opener func() func(t testing.TB) *sql.DB
}

// backends returns SQLite (always) and PostgreSQL (skipped when the server is
// not reachable, failed in CI). Each call gives fresh databases.
func backends() []backend {
	return []backend{
		{name: "SQLite", opener: sqliteOpener},
		{name: "Postgres", opener: func() func(t testing.TB) *sql.DB { return postgresOpen }},
	}
}

func postgresOpen(t testing.TB) *sql.DB { return servicetest.Postgres(t) }

// sqliteOpener returns an opener whose pools all reach one database file,
// created in the temporary directory of the first test that opens it.
func sqliteOpener() func(t testing.TB) *sql.DB {
	var (
		mu   sync.Mutex
		path string
	)
	return func(t testing.TB) *sql.DB {
		t.Helper()
		mu.Lock()
		if path == "" {
			path = filepath.Join(t.TempDir(), "tokens.db")
		}
		p := path
		mu.Unlock()
		db, err := sqlstore.OpenSQLite(p)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
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
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { dropTable(t, db, table) })
	return s
}

func dropTable(t testing.TB, db *sql.DB, table string) {
	if _, err := db.ExecContext(context.Background(), "DROP TABLE IF EXISTS "+table); err != nil {
		t.Errorf("drop %s: %v", table, err)
	}
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
