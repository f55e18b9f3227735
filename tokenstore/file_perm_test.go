//go:build unix

package tokenstore_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zoomkit/zoomkit/tokenstore"
)

// A directory other users may write to lets them delete or replace the
// records (and so the grants): the File store refuses it.
func TestFileRefusesDirectoryWritableByOthers(t *testing.T) {
	for _, tc := range []struct {
		mode os.FileMode
		ok   bool
	}{
		{0o700, true},
		{0o750, true},
		{0o755, true},
		{0o770, false},
		{0o730, false},
		{0o777, false},
		{0o703, false},
		{0o777 | os.ModeSticky, false}, // like /tmp: others still create files in it
	} {
		dir := filepath.Join(t.TempDir(), "tokens")
		require.NoError(t, os.Mkdir(dir, 0o700))
		require.NoError(t, os.Chmod(dir, tc.mode))
		_, err := tokenstore.NewFile(dir)
		if tc.ok {
			assert.NoError(t, err, "mode %v", tc.mode)
		} else {
			assert.ErrorIs(t, err, tokenstore.ErrUnsafeDirectory, "mode %v", tc.mode)
			assert.ErrorIs(t, err, tokenstore.ErrInvalidArgument, "mode %v: ErrUnsafeDirectory wraps ErrInvalidArgument", tc.mode)
		}
	}
}
