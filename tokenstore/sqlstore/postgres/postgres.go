// Package postgres opens PostgreSQL databases for [sqlstore] through pgx's
// database/sql driver (github.com/jackc/pgx/v5/stdlib), the only driver it
// imports.
//
//	db, err := postgres.Open("postgres://app@db.internal:5432/app")
//	...
//	store, err := sqlstore.New(db) // the PostgreSQL dialect is inferred from the driver
//
// A program that already opens PostgreSQL some other way (lib/pq, its own pgx
// pool through stdlib.OpenDBFromPool) passes its *sql.DB to [sqlstore.New]
// directly and needs no import of this package. Programs that use SQLite
// import [github.com/zoomkit/zoomkit/tokenstore/sqlstore/sqlite] instead and
// never compile pgx.
package postgres

import (
	"database/sql"
	"fmt"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver

	"github.com/zoomkit/zoomkit/tokenstore/sqlstore"
)

// DriverName is the database/sql driver name pgx's stdlib package registers.
const DriverName = "pgx"

// Dialect is the [sqlstore.Dialect] of the databases Open returns; [sqlstore.New]
// infers it, [sqlstore.WithDialect] states it.
const Dialect = sqlstore.Postgres

// Open returns a connection pool to the PostgreSQL database named by dsn, a
// URL (postgres://user:password@host:5432/db?sslmode=verify-full) or a
// keyword/value string ("host=... user=..."). Like [sql.Open] it does not
// connect: the first statement does (call PingContext to check at startup).
// Close the returned *sql.DB when done.
func Open(dsn string) (*sql.DB, error) {
	db, err := sql.Open(DriverName, dsn)
	if err != nil {
		return nil, fmt.Errorf("postgres: open database: %w", err)
	}
	return db, nil
}
