package sqlstore

import (
	"database/sql"
	"errors"
	"fmt"
	"strings"

	_ "modernc.org/sqlite" // registers the pure-Go "sqlite" database/sql driver
)

// OpenSQLite opens (creating it if needed) the SQLite database file at path
// with the pure-Go driver modernc.org/sqlite, in WAL mode with a 5 s busy
// timeout, so that several connections and processes on one machine can
// share it, and with synchronous=FULL: a rotated refresh token that was
// reported stored survives a power loss (losing it would kill the grant).
// Close the returned *sql.DB when done.
func OpenSQLite(path string) (*sql.DB, error) {
	if path == "" || strings.ContainsAny(path, "?#") {
		return nil, fmt.Errorf("sqlstore: OpenSQLite: invalid path %q", path)
	}
	if path == ":memory:" {
		return nil, errors.New("sqlstore: OpenSQLite: an in-memory database is private to each connection; use a file")
	}
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)")
	if err != nil {
		return nil, fmt.Errorf("sqlstore: open SQLite database: %w", err)
	}
	return db, nil
}
