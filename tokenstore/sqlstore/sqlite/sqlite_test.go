package sqlite_test

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/zoomkit/zoomkit/tokenstore/sqlstore/internal/sqlstoretest"
	"github.com/zoomkit/zoomkit/tokenstore/sqlstore/sqlite"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// backend gives each test a database file of its own.
var backend = sqlstoretest.Backend{
	Name:    "SQLite",
	Dialect: sqlite.Dialect,
	DSN:     func(tb testing.TB) string { return filepath.Join(tb.TempDir(), "tokens.db") },
	Open:    sqlite.Open,
}

// TestSQLStore runs package sqlstore's suite on SQLite.
func TestSQLStore(t *testing.T) { sqlstoretest.Run(t, backend) }

// TestHelperProcess is a replica process of TestSQLStore/TestCrossReplicaProcesses.
func TestHelperProcess(t *testing.T) { sqlstoretest.HelperProcess(t, sqlite.Open) }

func BenchmarkSQLStore(b *testing.B) { sqlstoretest.Bench(b, backend) }

func TestOpenInvalidPath(t *testing.T) {
	for _, path := range []string{"", "a?b", "a#b", ":memory:"} {
		db, err := sqlite.Open(path)
		assert.Error(t, err, "Open(%q)", path)
		assert.Nil(t, db)
	}
}

func TestOpenPragmas(t *testing.T) {
	db, err := sqlite.Open(filepath.Join(t.TempDir(), "p.db"))
	require.NoError(t, err)
	defer db.Close()
	for pragma, want := range map[string]string{"journal_mode": "wal", "busy_timeout": "5000", "synchronous": "2"} {
		var got string
		require.NoError(t, db.QueryRowContext(t.Context(), "PRAGMA "+pragma).Scan(&got))
		assert.Equal(t, want, got, "PRAGMA %s", pragma)
	}
}
