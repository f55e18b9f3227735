package postgres_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/zoomkit/zoomkit/internal/servicetest"
	"github.com/zoomkit/zoomkit/tokenstore/sqlstore/internal/sqlstoretest"
	"github.com/zoomkit/zoomkit/tokenstore/sqlstore/postgres"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// backend is the test server (skipped when unreachable, failed in CI); every
// test uses tables of its own.
var backend = sqlstoretest.Backend{
	Name:    "Postgres",
	Dialect: postgres.Dialect,
	DSN:     servicetest.PostgresDSN,
	Open:    postgres.Open,
}

// TestSQLStore runs package sqlstore's suite on PostgreSQL.
func TestSQLStore(t *testing.T) { sqlstoretest.Run(t, backend) }

// TestHelperProcess is a replica process of TestSQLStore/TestCrossReplicaProcesses.
func TestHelperProcess(t *testing.T) { sqlstoretest.HelperProcess(t, postgres.Open) }

func BenchmarkSQLStore(b *testing.B) { sqlstoretest.Bench(b, backend) }

func TestOpenInvalidDSN(t *testing.T) {
	db, err := postgres.Open("postgres://u:pw-secret@[::1")
	if err == nil {
		// pgx parses the DSN when the pool first connects.
		defer db.Close()
		err = db.PingContext(t.Context())
	}
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "pw-secret")
}
