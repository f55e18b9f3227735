package sqlstore

import (
	"database/sql"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// detectDialect infers the dialect from the type of the database's driver.
func detectDialect(db *sql.DB) (Dialect, error) {
	name := fmt.Sprintf("%T", db.Driver())
	switch {
	case strings.Contains(strings.ToLower(name), "sqlite"):
		return SQLite, nil
	case name == "*stdlib.Driver", strings.HasPrefix(name, "*pq."):
		return Postgres, nil
	}
	return DetectDialect, fmt.Errorf("sqlstore: cannot infer the SQL dialect of driver %s: use WithDialect", name)
}

// query is an SQL statement written with $1..$n placeholders, the token {t}
// for the table and {now} for the current time in milliseconds since the Unix
// epoch. render turns it into the statement for one dialect and clock.
type query struct {
	text string
	n    int // number of $ parameters, not counting {now}
}

// stmt is a rendered query.
type stmt struct {
	sql     string
	usesNow bool
}

var placeholderRE = regexp.MustCompile(`\$([0-9]+)`)

func (q query) render(d Dialect, table string, appClock bool) stmt {
	s := strings.ReplaceAll(q.text, "{t}", table)
	usesNow := strings.Contains(s, "{now}")
	var now string
	switch {
	case appClock:
		now = "CAST($" + strconv.Itoa(q.n+1) + " AS BIGINT)"
	case d == Postgres:
		now = "CAST(EXTRACT(EPOCH FROM now()) * 1000 AS BIGINT)"
	default:
		now = "CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER)"
	}
	s = strings.ReplaceAll(s, "{now}", now)
	if d == SQLite {
		s = placeholderRE.ReplaceAllString(s, "?$1")
	}
	return stmt{sql: s, usesNow: usesNow && appClock}
}

// args returns the arguments of st: a, then the time from the application
// clock when the statement uses it.
func (st stmt) args(now func() time.Time, a ...any) []any {
	if st.usesNow {
		return append(a, now().UnixMilli())
	}
	return a
}
