// Package sqlite opens SQLite databases for [sqlstore] with the pure-Go
// driver modernc.org/sqlite, the only driver it imports.
//
//	db, err := sqlite.Open("/var/lib/myapp/tokens.db")
//	...
//	store, err := sqlstore.New(db) // the SQLite dialect is inferred from the driver
//
// Programs that use PostgreSQL import [github.com/zoomkit/zoomkit/tokenstore/sqlstore/postgres]
// instead and never compile SQLite.
package sqlite

import (
	"database/sql"
	"errors"
	"fmt"
	"strings"

	_ "modernc.org/sqlite" // registers the pure-Go "sqlite" database/sql driver

	"github.com/zoomkit/zoomkit/tokenstore/sqlstore"
)

// DriverName is the database/sql driver name modernc.org/sqlite registers.
const DriverName = "sqlite"

// Dialect is the [sqlstore.Dialect] of the databases Open returns; [sqlstore.New]
// infers it, [sqlstore.WithDialect] states it.
const Dialect = sqlstore.SQLite

// Open opens (creating it if needed) the SQLite database file at path in WAL
// mode with a 5 s busy timeout, so that several connections and processes on
// one machine can share it, and with synchronous=FULL: a rotated refresh
// token that was reported stored survives a power loss (losing it would kill
// the grant). Close the returned *sql.DB when done.
func Open(path string) (*sql.DB, error) {
	if path == "" || strings.ContainsAny(path, "?#") {
		return nil, fmt.Errorf("sqlite: Open: invalid path %q", path)
	}
	if path == ":memory:" {
		return nil, errors.New("sqlite: Open: an in-memory database is private to each connection; use a file")
	}
	db, err := sql.Open(DriverName, "file:"+path+"?_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)")
	if err != nil {
		return nil, fmt.Errorf("sqlite: open database: %w", err)
	}
	return db, nil
}
