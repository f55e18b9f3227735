package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/zoomkit/zoomkit/tokenstore"
)

// SchemaVersion is the version of the token record layout this package writes
// in the schema_version column. A row with a higher schema_version was written
// by a newer release and is reported as corrupt rather than misread.
const SchemaVersion = 1

// Store is a [tokenstore.CoordinatedStore] on a database/sql database. It is
// safe for concurrent use, and any number of Stores in any number of
// processes may share one table.
//
// Leases are a state of the token's row (an owner and an expiry), never a
// database lock or transaction: no connection is held while the lease holder
// calls Zoom, and a holder that dies or loses its connection simply lets the
// lease expire.
type Store struct {
	db      *sql.DB
	dialect Dialect
	table   string
	now     func() time.Time

	create, get, put, casAbsent, cas, del, acquire, release stmt
}

var _ tokenstore.CoordinatedStore = (*Store)(nil)

// New returns a Store keeping tokens in a table of db (by default
// [DefaultTable]). The table must exist: call [Store.Migrate] once, for
// instance when the application starts. New does not use the database.
func New(db *sql.DB, opts ...Option) (*Store, error) {
	if db == nil {
		return nil, errors.New("sqlstore: nil *sql.DB")
	}
	c, err := newConfig(DefaultTable, opts)
	if err != nil {
		return nil, err
	}
	if c.dialect == DetectDialect {
		if c.dialect, err = detectDialect(db); err != nil {
			return nil, err
		}
	}
	s := &Store{db: db, dialect: c.dialect, table: c.table, now: c.now}
	r := func(q query) stmt { return q.render(c.dialect, c.table, c.now != nil) }
	s.create = r(query{text: `CREATE TABLE IF NOT EXISTS {t} (
	key            TEXT PRIMARY KEY,
	version        BIGINT NOT NULL DEFAULT 0,
	schema_version INTEGER NOT NULL DEFAULT 0,
	data           TEXT,
	lease_owner    TEXT,
	lease_expires  BIGINT,
	updated_at     BIGINT NOT NULL
)`})
	s.get = r(query{text: `SELECT version, schema_version, data FROM {t} WHERE key = $1`, n: 1})
	const upsert = `INSERT INTO {t} AS cur (key, version, schema_version, data, updated_at)
VALUES ($1, 1, $2, $3, {now})
ON CONFLICT (key) DO UPDATE SET version = cur.version + 1, schema_version = excluded.schema_version,
	data = excluded.data, updated_at = excluded.updated_at`
	s.put = r(query{text: upsert + ` RETURNING version`, n: 3})
	s.casAbsent = r(query{text: upsert + ` WHERE cur.data IS NULL RETURNING version`, n: 3})
	s.cas = r(query{text: `UPDATE {t} SET version = version + 1, schema_version = $2, data = $3, updated_at = {now}
WHERE key = $1 AND version = $4 AND data IS NOT NULL RETURNING version`, n: 4})
	// Delete leaves a tombstone keeping the version, so that versions never
	// repeat: a writer holding the version of a deleted token cannot
	// overwrite a token created after the Delete.
	s.del = r(query{text: `UPDATE {t} SET schema_version = 0, data = NULL, updated_at = {now} WHERE key = $1`, n: 1})
	s.acquire = r(query{text: `INSERT INTO {t} AS cur (key, version, schema_version, data, lease_owner, lease_expires, updated_at)
VALUES ($1, 0, 0, NULL, $2, {now} + CAST($3 AS BIGINT), {now})
ON CONFLICT (key) DO UPDATE SET lease_owner = excluded.lease_owner, lease_expires = excluded.lease_expires
WHERE cur.lease_owner IS NULL OR cur.lease_owner = excluded.lease_owner OR cur.lease_expires <= {now}
RETURNING version`, n: 3})
	s.release = r(query{text: `UPDATE {t} SET lease_owner = NULL, lease_expires = NULL WHERE key = $1 AND lease_owner = $2`, n: 2})
	return s, nil
}

// Dialect returns the SQL dialect the store speaks.
func (s *Store) Dialect() Dialect { return s.dialect }

// Table returns the name of the token table.
func (s *Store) Table() string { return s.table }

// Migrate creates the token table if it does not exist. It is idempotent, and
// safe to call from several processes at once.
//
// The table has one row per key: key (primary key), version, schema_version,
// data (the token as JSON), lease_owner, lease_expires and updated_at (both in
// milliseconds since the Unix epoch).
func (s *Store) Migrate(ctx context.Context) error {
	return migrate(ctx, s.db, s.dialect, s.table, s.create.sql)
}

func migrate(ctx context.Context, db *sql.DB, d Dialect, table, create string) error {
	if d != Postgres {
		if _, err := db.ExecContext(ctx, create); err != nil {
			return fmt.Errorf("sqlstore: migrate %s: %w", table, err)
		}
		return nil
	}
	// Concurrent CREATE TABLE IF NOT EXISTS can fail in PostgreSQL: serialize
	// migrations with a transaction-scoped advisory lock.
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlstore: migrate %s: %w", table, err)
	}
	defer tx.Rollback() //nolint:errcheck // after Commit, Rollback is a no-op
	if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(hashtext('zoomkit/sqlstore.migrate'))`); err != nil {
		return fmt.Errorf("sqlstore: migrate %s: %w", table, err)
	}
	if _, err := tx.ExecContext(ctx, create); err != nil {
		return fmt.Errorf("sqlstore: migrate %s: %w", table, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("sqlstore: migrate %s: %w", table, err)
	}
	return nil
}

// Get returns the token stored under key.
func (s *Store) Get(ctx context.Context, key string) (*tokenstore.Token, error) {
	tok, _, err := s.Load(ctx, key)
	return tok, err
}

// Load returns the token stored under key and its version.
func (s *Store) Load(ctx context.Context, key string) (*tokenstore.Token, int64, error) {
	var (
		version, schema int64
		data            sql.NullString
	)
	err := s.db.QueryRowContext(ctx, s.get.sql, s.get.args(s.now, key)...).Scan(&version, &schema, &data)
	if errors.Is(err, sql.ErrNoRows) || err == nil && !data.Valid && schema == 0 {
		// No row, or a row holding only a lease or the tombstone of a Delete.
		return nil, 0, fmt.Errorf("sqlstore: key %q: %w", key, tokenstore.ErrNotFound)
	}
	if err != nil {
		return nil, 0, fmt.Errorf("sqlstore: load %q: %w", key, err)
	}
	if version < 1 {
		return nil, 0, fmt.Errorf("sqlstore: key %q: record has invalid version %d: %w", key, version, tokenstore.ErrCorrupt)
	}
	tok, err := decode(key, schema, data.String, data.Valid)
	if err != nil {
		return nil, 0, err
	}
	return tok, version, nil
}

// Put stores tok under key, replacing any previous token, whatever its
// version.
func (s *Store) Put(ctx context.Context, key string, tok *tokenstore.Token) error {
	data, err := encode(tok)
	if err != nil {
		return err
	}
	var v int64
	if err := s.db.QueryRowContext(ctx, s.put.sql, s.put.args(s.now, key, SchemaVersion, data)...).Scan(&v); err != nil {
		return fmt.Errorf("sqlstore: put %q: %w", key, err)
	}
	return nil
}

// CompareAndSwap stores tok under key only if the stored version is version
// (0: only if no token is stored), and returns the new version. Otherwise it
// returns an error wrapping [tokenstore.ErrConflict].
func (s *Store) CompareAndSwap(ctx context.Context, key string, version int64, tok *tokenstore.Token) (int64, error) {
	data, err := encode(tok)
	if err != nil {
		return 0, err
	}
	var row *sql.Row
	if version == 0 {
		row = s.db.QueryRowContext(ctx, s.casAbsent.sql, s.casAbsent.args(s.now, key, SchemaVersion, data)...)
	} else {
		row = s.db.QueryRowContext(ctx, s.cas.sql, s.cas.args(s.now, key, SchemaVersion, data, version)...)
	}
	var v int64
	switch err := row.Scan(&v); {
	case errors.Is(err, sql.ErrNoRows):
		return 0, fmt.Errorf("sqlstore: key %q: expected version %d: %w", key, version, tokenstore.ErrConflict)
	case err != nil:
		return 0, fmt.Errorf("sqlstore: compare-and-swap %q: %w", key, err)
	}
	return v, nil
}

// Delete removes the token stored under key. A lease on the key survives, and
// so does the key's version: the next token stored under key gets a higher
// version than the deleted one.
func (s *Store) Delete(ctx context.Context, key string) error {
	if _, err := s.db.ExecContext(ctx, s.del.sql, s.del.args(s.now, key)...); err != nil {
		return fmt.Errorf("sqlstore: delete %q: %w", key, err)
	}
	return nil
}

// AcquireLease takes the refresh lease on key for owner until ttl from now
// (by the database's clock unless [WithClock] is used), or extends it if owner
// holds it already. It returns an error wrapping [tokenstore.ErrLeaseHeld]
// while another owner holds an unexpired lease. A key need not have a token
// to be leased.
func (s *Store) AcquireLease(ctx context.Context, key, owner string, ttl time.Duration) error {
	if owner == "" {
		return fmt.Errorf("sqlstore: lease owner must not be empty: %w", tokenstore.ErrInvalidArgument)
	}
	if ttl <= 0 {
		return fmt.Errorf("sqlstore: lease ttl must be positive, not %v: %w", ttl, tokenstore.ErrInvalidArgument)
	}
	ms := ttl.Milliseconds()
	if ms == 0 {
		ms = 1
	}
	var v int64
	switch err := s.db.QueryRowContext(ctx, s.acquire.sql, s.acquire.args(s.now, key, owner, ms)...).Scan(&v); {
	case errors.Is(err, sql.ErrNoRows):
		return fmt.Errorf("sqlstore: key %q: %w", key, tokenstore.ErrLeaseHeld)
	case err != nil:
		return fmt.Errorf("sqlstore: acquire lease on %q: %w", key, err)
	}
	return nil
}

// ReleaseLease gives the lease on key back if owner holds it. Releasing a
// lease owner does not hold does nothing. An error (such as a lost
// connection) leaves the lease to expire on its own.
func (s *Store) ReleaseLease(ctx context.Context, key, owner string) error {
	if _, err := s.db.ExecContext(ctx, s.release.sql, s.release.args(s.now, key, owner)...); err != nil {
		return fmt.Errorf("sqlstore: release lease on %q: %w", key, err)
	}
	return nil
}

// encode returns the JSON stored for tok.
func encode(tok *tokenstore.Token) (string, error) {
	b, err := tokenstore.EncodeRecord(tok)
	if err != nil {
		return "", fmt.Errorf("sqlstore: %w", err)
	}
	return string(b), nil
}

// decode reads a stored record back, never returning an unusable token.
func decode(key string, schema int64, data string, valid bool) (*tokenstore.Token, error) {
	var raw []byte
	if valid {
		raw = []byte(data)
	}
	tok, err := tokenstore.DecodeRecord(schema, SchemaVersion, raw)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: key %q: %w", key, err)
	}
	return tok, nil
}
