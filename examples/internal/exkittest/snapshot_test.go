package exkittest_test

import (
	"io"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/zoomkit/zoomkit/examples/internal/exkit"
	"github.com/zoomkit/zoomkit/examples/internal/exkittest"
)

// A snapshot changes when a row, a Zoom request or an email does.
func TestSnapshot(t *testing.T) {
	ctx := t.Context()
	env, err := exkit.Open(ctx, exkit.Config{Name: "exkittest", DataDir: t.TempDir()}, io.Discard)
	require.NoError(t, err)
	defer env.Close()
	_, err = env.DB.ExecContext(ctx, `CREATE TABLE things (id INTEGER PRIMARY KEY, name TEXT NOT NULL)`)
	require.NoError(t, err)
	s0 := exkittest.Snapshot(t, env, "things")
	assert.Equal(t, s0, exkittest.Snapshot(t, env, "things"), "stable")
	assert.Contains(t, s0, "things: 0 rows")

	_, err = env.DB.ExecContext(ctx, `INSERT INTO things (id, name) VALUES (1, 'a b')`)
	require.NoError(t, err)
	s1 := exkittest.Snapshot(t, env, "things")
	assert.Contains(t, s1, "[1 a b]")
	_, err = env.DB.ExecContext(ctx, `UPDATE things SET name = 'a c'`)
	require.NoError(t, err)
	s2 := exkittest.Snapshot(t, env, "things")
	assert.NotEqual(t, s1, s2)

	require.NoError(t, env.Mail.Send(ctx, exkit.Email{To: "x@example.com", Subject: "s", Body: "b"}))
	assert.NotEqual(t, s2, exkittest.Snapshot(t, env, "things"))
}
