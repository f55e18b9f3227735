// Package sqlstore is a [tokenstore.CoordinatedStore] on database/sql, for
// SQLite and PostgreSQL. It takes a *sql.DB opened with the driver you chose
// and imports no driver itself: package
// [github.com/zoomkit/zoomkit/tokenstore/sqlstore/sqlite] opens SQLite files
// with the pure-Go modernc.org/sqlite, package
// [github.com/zoomkit/zoomkit/tokenstore/sqlstore/postgres] opens PostgreSQL
// through pgx, and a *sql.DB from lib/pq or mattn/go-sqlite3 works as well.
// A program compiles only the driver it imports. Several replicas of an
// integration share one Zoom grant through it without ever racing on the
// rotating refresh token: the oauth package's TokenSource takes the key's
// refresh lease, re-reads the token, redeems the refresh token and writes the
// new token with a compare-and-swap on the version it read. A replica whose
// lease expired while it was paused can therefore never overwrite a newer
// token. The package also has a [Deduper] for webhook redeliveries.
//
// # Usage
//
//	db, err := sqlite.Open("/var/lib/myapp/tokens.db") // or postgres.Open(dsn)
//	...
//	store, err := sqlstore.New(db)                      // dialect inferred from the driver
//	...
//	if err := store.Migrate(ctx); err != nil { ... }    // once, at startup
//	ts, err := oauthConfig.TokenSource(store, accountID)
//
// # Schema
//
// [Store.Migrate] creates the token table (default [DefaultTable]) if it does
// not exist; [WithTable] names another. One row per key:
//
//	key            TEXT PRIMARY KEY
//	version        BIGINT   compare-and-swap version: 1 for the first write, +1 per write
//	schema_version INTEGER  layout of data (SchemaVersion); 0 when no token is stored
//	data           TEXT     the token as JSON; NULL when no token is stored
//	lease_owner    TEXT     refresh lease holder, or NULL
//	lease_expires  BIGINT   lease expiry, milliseconds since the Unix epoch
//	updated_at     BIGINT   last token write, milliseconds since the Unix epoch
//
// A Delete keeps the row (and its version) as a tombstone, so versions never
// repeat. A row whose schema_version is higher than [SchemaVersion] (written
// by a newer release), whose JSON is damaged or whose access token is empty
// reads back as an error wrapping [tokenstore.ErrCorrupt], never as a token.
// Tokens are secrets: they never appear in errors.
//
// # Leases and clocks
//
// A lease is a state of the row, not a database lock: no transaction or
// connection is held while the holder talks to Zoom, and a holder that
// crashes or loses its connection simply lets the lease expire. Every lease
// statement is one atomic upsert that reads the current time itself, so all
// expiries are measured by one clock: the database's (julianday('now') in
// SQLite, now() in PostgreSQL). Replicas whose own clocks disagree still agree on who holds a
// lease. [WithClock] replaces it with an application clock, for tests that
// drive expiry by hand; every process sharing the table must then use the
// same clock.
//
// # SQLite
//
// sqlite.Open opens a database file in WAL mode with a busy timeout, so
// that several connections and processes on one machine can share it.
package sqlstore
