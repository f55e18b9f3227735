package sqlstore_test

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/zoomkit/zoomkit/tokenstore/sqlstore"
)

// The store's behaviour on real databases is tested by the driver packages
// (sqlstore/sqlite, sqlstore/postgres) through internal/sqlstoretest; these
// tests need no database, so package sqlstore's tests compile no driver.

// noDriver is a database/sql driver that cannot connect: New and
// NewDeduper never use the database.
type noDriver struct{}

func (noDriver) Open(string) (driver.Conn, error) { return nil, errors.New("no database") }

type noConnector struct{}

func (noConnector) Connect(context.Context) (driver.Conn, error) {
	return nil, errors.New("no database")
}
func (noConnector) Driver() driver.Driver { return noDriver{} }

func newDB(t *testing.T) *sql.DB {
	db := sql.OpenDB(noConnector{})
	t.Cleanup(func() { db.Close() })
	return db
}

func TestNewValidatesOptions(t *testing.T) {
	db := newDB(t)
	_, err := sqlstore.New(nil)
	assert.Error(t, err, "New(nil)")
	_, err = sqlstore.NewDeduper(nil)
	assert.Error(t, err, "NewDeduper(nil)")
	for _, name := range []string{"", "1abc", "a-b", "tokens; DROP TABLE x", `a"b`, "a.b.c", strings.Repeat("a", 64), "ä"} {
		_, err := sqlstore.New(db, sqlstore.WithDialect(sqlstore.SQLite), sqlstore.WithTable(name))
		assert.Error(t, err, "WithTable(%q)", name)
		_, err = sqlstore.NewDeduper(db, sqlstore.WithDialect(sqlstore.SQLite), sqlstore.WithTable(name))
		assert.Error(t, err, "NewDeduper WithTable(%q)", name)
	}
	for _, name := range []string{"tokens", "_t1", "public.zoom_tokens", strings.Repeat("a", 63)} {
		s, err := sqlstore.New(db, sqlstore.WithDialect(sqlstore.Postgres), sqlstore.WithTable(name))
		if assert.NoError(t, err, "WithTable(%q)", name) {
			assert.Equal(t, name, s.Table())
		}
	}
	for _, d := range []sqlstore.Dialect{sqlstore.DetectDialect, sqlstore.Dialect(42)} {
		_, err := sqlstore.New(db, sqlstore.WithDialect(d))
		assert.Error(t, err, "WithDialect(%v)", d)
	}
	_, err = sqlstore.New(db, sqlstore.WithDialect(sqlstore.SQLite), sqlstore.WithClock(nil))
	assert.Error(t, err, "WithClock(nil)")
	_, err = sqlstore.New(db, nil)
	assert.Error(t, err, "nil Option")
}

// An unknown driver needs WithDialect; with it, New succeeds.
func TestNewUnknownDriver(t *testing.T) {
	db := newDB(t)
	_, err := sqlstore.New(db)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "WithDialect")
	s, err := sqlstore.New(db, sqlstore.WithDialect(sqlstore.Postgres))
	require.NoError(t, err)
	assert.Equal(t, sqlstore.Postgres, s.Dialect())
	assert.Equal(t, sqlstore.DefaultTable, s.Table())
}

func TestDialectString(t *testing.T) {
	for d, want := range map[sqlstore.Dialect]string{
		sqlstore.DetectDialect: "detect", sqlstore.SQLite: "sqlite", sqlstore.Postgres: "postgres", 42: "Dialect(42)",
	} {
		assert.Equal(t, want, d.String())
	}
}
