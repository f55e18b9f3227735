package tokenstore_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zoomkit/zoomkit/tokenstore"
	"github.com/zoomkit/zoomkit/tokenstore/storetest"
)

func newFile(t *testing.T, dir string) *tokenstore.File {
	t.Helper()
	s, err := tokenstore.NewFile(dir)
	require.NoError(t, err)
	return s
}

func TestFileConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) tokenstore.Store { return newFile(t, t.TempDir()) },
		storetest.WithWrap(inBubble))
}

func TestFilePermissionsAndNames(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "tokens")
	s := newFile(t, dir)
	key := "../../etc/passwd"
	require.NoError(t, s.Put(context.Background(), key, &tokenstore.Token{AccessToken: "CANARY-AT-1"}))
	st, err := os.Stat(dir)
	require.NoError(t, err, "directory mode")
	require.Equal(t, os.FileMode(0o700), st.Mode().Perm(), "directory mode")
	entries, _ := os.ReadDir(dir)
	found := false
	for _, e := range entries {
		require.NotContains(t, e.Name(), "passwd", "key leaked into a file name: %s", e.Name())
		require.NotContains(t, e.Name(), "..", "key leaked into a file name: %s", e.Name())
		info, _ := e.Info()
		require.Equal(t, os.FileMode(0o600), info.Mode().Perm(), "%s has mode", e.Name())
		if strings.HasSuffix(e.Name(), ".json") {
			found = true
		}
	}
	require.True(t, found, "no record file written")
}

func TestFileCorruptRecord(t *testing.T) {
	dir := t.TempDir()
	s := newFile(t, dir)
	require.NoError(t, s.Put(context.Background(), "k", &tokenstore.Token{AccessToken: "CANARY-AT-1"}))
	matches, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	require.Len(t, matches, 1, "records: %v", matches)
	require.NoError(t, os.WriteFile(matches[0], []byte(`{"format":1,"key":"k","tok`), 0o600))
	_, err := s.Get(context.Background(), "k")
	require.ErrorIs(t, err, tokenstore.ErrCorrupt, "Get of a damaged record, want ErrCorrupt")
}

// Fifty writers over two File values (as two processes would) on one
// directory: every read is a whole token.
func TestFileConcurrentWritersAcrossInstances(t *testing.T) {
	dir := t.TempDir()
	a, b := newFile(t, dir), newFile(t, dir)
	ctx := context.Background()
	var wg sync.WaitGroup
	for i := range 50 {
		wg.Go(func() {
			s := a
			if i%2 == 1 {
				s = b
			}
			tok := &tokenstore.Token{AccessToken: fmt.Sprintf("CANARY-AT-%d", i), RefreshToken: fmt.Sprintf("CANARY-RT-%d", i)}
			assert.NoError(t, s.Put(ctx, "k", tok))
			got, err := s.Get(ctx, "k")
			if assert.NoError(t, err, "torn read: %v", err) {
				assert.Equal(t, strings.TrimPrefix(got.RefreshToken, "CANARY-RT-"), strings.TrimPrefix(got.AccessToken, "CANARY-AT-"), "torn read: %v", err)
			}
		})
	}
	wg.Wait()
	_, v, err := a.Load(ctx, "k")
	require.NoError(t, err, "version after 50 writes = %d, %v; want 50 (no lost update)", v, err)
	require.Equal(t, int64(50), v, "version after 50 writes = %d, %v; want 50 (no lost update)", v, err)
	matches, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	data, _ := os.ReadFile(matches[0])
	require.True(t, json.Valid(data), "record is not valid JSON")
	tmps, _ := filepath.Glob(filepath.Join(dir, ".tmp-*"))
	require.Empty(t, tmps, "temporary files left behind: %v", tmps)
}
