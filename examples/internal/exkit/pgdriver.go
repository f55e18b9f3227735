//go:build postgres

package exkit

// With -tags postgres the examples link pgx for -db postgres://... (see
// openPostgres).
import _ "github.com/zoomkit/zoomkit/tokenstore/sqlstore/postgres"
