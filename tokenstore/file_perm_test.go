//go:build unix

package tokenstore_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

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
		if tc.ok && err != nil {
			t.Errorf("mode %v: %v", tc.mode, err)
		}
		if !tc.ok && (!errors.Is(err, tokenstore.ErrUnsafeDirectory) || !errors.Is(err, tokenstore.ErrInvalidArgument)) {
			t.Errorf("mode %v: NewFile = %v, want ErrUnsafeDirectory wrapping ErrInvalidArgument", tc.mode, err)
		}
	}
}
