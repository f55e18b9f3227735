package sqlstore

import (
	"errors"
	"fmt"
	"regexp"
	"time"
)

// Dialect selects the SQL spoken to the database.
type Dialect int

// Dialects supported by this package. The zero value, DetectDialect, makes
// [New] and [NewDeduper] infer the dialect from the driver of the *sql.DB:
// modernc.org/sqlite ("sqlite") and github.com/mattn/go-sqlite3 are SQLite,
// pgx's stdlib driver ("pgx") and lib/pq are PostgreSQL.
const (
	DetectDialect Dialect = iota
	// SQLite is SQLite 3.35 or newer (upsert with RETURNING), such as the
	// pure-Go modernc.org/sqlite.
	SQLite
	// Postgres is PostgreSQL 9.5 or newer, such as through pgx's stdlib
	// driver.
	Postgres
)

// String returns the dialect's name.
func (d Dialect) String() string {
	switch d {
	case DetectDialect:
		return "detect"
	case SQLite:
		return "sqlite"
	case Postgres:
		return "postgres"
	}
	return fmt.Sprintf("Dialect(%d)", int(d))
}

// Default table names.
const (
	DefaultTable      = "zoomkit_tokens"
	DefaultDedupTable = "zoomkit_webhook_dedup"
)

// Option configures a [Store] or a [Deduper].
type Option func(*config) error

type config struct {
	dialect Dialect
	table   string
	now     func() time.Time
}

// identRE matches the table names accepted by WithTable: an SQL identifier,
// optionally qualified by a schema. The name is interpolated into SQL, so
// nothing else is accepted.
var identRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]{0,62}(\.[A-Za-z_][A-Za-z0-9_]{0,62})?$`)

// WithDialect sets the SQL dialect instead of inferring it from the driver.
func WithDialect(d Dialect) Option {
	return func(c *config) error {
		if d != SQLite && d != Postgres {
			return fmt.Errorf("sqlstore: unknown dialect %v", d)
		}
		c.dialect = d
		return nil
	}
}

// WithTable sets the table name: [DefaultTable] for a Store,
// [DefaultDedupTable] for a Deduper. The name must be an SQL identifier
// (letters, digits, underscores, not starting with a digit, at most 63
// characters), optionally qualified by a schema ("myschema.tokens"). It is
// used unquoted, so PostgreSQL folds it to lower case.
func WithTable(name string) Option {
	return func(c *config) error {
		if !identRE.MatchString(name) {
			return fmt.Errorf("sqlstore: invalid table name %q: want letters, digits and underscores, optionally schema-qualified", name)
		}
		c.table = name
		return nil
	}
}

// WithClock makes lease and dedup expiry use now instead of the database's
// clock.
//
// By default every expiry is computed and compared by the database itself
// (julianday('now') in SQLite, now() in PostgreSQL) inside the statement that
// acquires or checks it, so replicas whose clocks disagree still agree on who
// holds a lease. Use WithClock only when every process sharing the table uses
// the same clock, typically in tests that drive expiry by hand.
func WithClock(now func() time.Time) Option {
	return func(c *config) error {
		if now == nil {
			return errors.New("sqlstore: WithClock: nil clock")
		}
		c.now = now
		return nil
	}
}

func newConfig(defaultTable string, opts []Option) (*config, error) {
	c := &config{table: defaultTable}
	for _, o := range opts {
		if o == nil {
			return nil, errors.New("sqlstore: nil Option")
		}
		if err := o(c); err != nil {
			return nil, err
		}
	}
	return c, nil
}
