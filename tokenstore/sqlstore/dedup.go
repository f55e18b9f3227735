package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/zoomkit/zoomkit/tokenstore"
)

// Deduper records which webhook deliveries are being handled, so that a
// redelivered event is handled once across every replica sharing the table.
// It implements the webhook package's Deduper interface. It is safe for
// concurrent use.
type Deduper struct {
	db      *sql.DB
	dialect Dialect
	table   string
	now     func() time.Time

	create, claim, release, purge stmt
}

// NewDeduper returns a Deduper keeping claims in a table of db (by default
// [DefaultDedupTable]). The table must exist: call [Deduper.Migrate] once.
// It accepts the same options as [New].
func NewDeduper(db *sql.DB, opts ...Option) (*Deduper, error) {
	if db == nil {
		return nil, errors.New("sqlstore: nil *sql.DB")
	}
	c, err := newConfig(DefaultDedupTable, opts)
	if err != nil {
		return nil, err
	}
	if c.dialect == DetectDialect {
		if c.dialect, err = detectDialect(db); err != nil {
			return nil, err
		}
	}
	d := &Deduper{db: db, dialect: c.dialect, table: c.table, now: c.now}
	r := func(q query) stmt { return q.render(c.dialect, c.table, c.now != nil) }
	d.create = r(query{text: `CREATE TABLE IF NOT EXISTS {t} (
	key        TEXT PRIMARY KEY,
	expires_at BIGINT NOT NULL
)`})
	d.claim = r(query{text: `INSERT INTO {t} AS cur (key, expires_at) VALUES ($1, {now} + CAST($2 AS BIGINT))
ON CONFLICT (key) DO UPDATE SET expires_at = excluded.expires_at WHERE cur.expires_at <= {now}
RETURNING expires_at`, n: 2})
	d.release = r(query{text: `DELETE FROM {t} WHERE key = $1`, n: 1})
	d.purge = r(query{text: `DELETE FROM {t} WHERE expires_at <= {now}`})
	return d, nil
}

// Migrate creates the dedup table if it does not exist. It is idempotent.
// The table has one row per claimed key: key (primary key) and expires_at in
// milliseconds since the Unix epoch.
func (d *Deduper) Migrate(ctx context.Context) error {
	return migrate(ctx, d.db, d.dialect, d.table, d.create.sql)
}

// Claim records key as being handled for ttl. It returns false if key is
// already claimed: claimed, not released, and not expired. An expired claim
// may be claimed again.
func (d *Deduper) Claim(ctx context.Context, key string, ttl time.Duration) (bool, error) {
	if ttl <= 0 {
		return false, fmt.Errorf("sqlstore: claim ttl must be positive, not %v: %w", ttl, tokenstore.ErrInvalidArgument)
	}
	ms := ttl.Milliseconds()
	if ms == 0 {
		ms = 1
	}
	var exp int64
	switch err := d.db.QueryRowContext(ctx, d.claim.sql, d.claim.args(d.now, key, ms)...).Scan(&exp); {
	case errors.Is(err, sql.ErrNoRows):
		return false, nil
	case err != nil:
		return false, fmt.Errorf("sqlstore: claim %q: %w", key, err)
	}
	return true, nil
}

// Release forgets key, so that a redelivery is handled again. Releasing an
// unclaimed key does nothing.
func (d *Deduper) Release(ctx context.Context, key string) error {
	if _, err := d.db.ExecContext(ctx, d.release.sql, d.release.args(d.now, key)...); err != nil {
		return fmt.Errorf("sqlstore: release %q: %w", key, err)
	}
	return nil
}

// PurgeExpired deletes expired claims and returns how many it deleted.
// Expired claims are harmless (they are claimed again over), but they take
// space: call PurgeExpired now and then, from one replica or from all.
func (d *Deduper) PurgeExpired(ctx context.Context) (int64, error) {
	res, err := d.db.ExecContext(ctx, d.purge.sql, d.purge.args(d.now)...)
	if err != nil {
		return 0, fmt.Errorf("sqlstore: purge expired claims: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("sqlstore: purge expired claims: %w", err)
	}
	return n, nil
}
