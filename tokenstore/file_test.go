package tokenstore_test

import (
	"context"
	"encoding/json"
	"errors"
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
	if st, err := os.Stat(dir); err != nil || st.Mode().Perm() != 0o700 {
		t.Fatalf("directory mode = %v, %v; want 0700", st.Mode().Perm(), err)
	}
	entries, _ := os.ReadDir(dir)
	found := false
	for _, e := range entries {
		if strings.Contains(e.Name(), "passwd") || strings.Contains(e.Name(), "..") {
			t.Fatalf("key leaked into a file name: %s", e.Name())
		}
		info, _ := e.Info()
		if info.Mode().Perm() != 0o600 {
			t.Fatalf("%s has mode %v, want 0600", e.Name(), info.Mode().Perm())
		}
		if strings.HasSuffix(e.Name(), ".json") {
			found = true
		}
	}
	if !found {
		t.Fatalf("no record file written")
	}
}

func TestFileCorruptRecord(t *testing.T) {
	dir := t.TempDir()
	s := newFile(t, dir)
	require.NoError(t, s.Put(context.Background(), "k", &tokenstore.Token{AccessToken: "CANARY-AT-1"}))
	matches, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	if len(matches) != 1 {
		t.Fatalf("records: %v", matches)
	}
	require.NoError(t, os.WriteFile(matches[0], []byte(`{"format":1,"key":"k","tok`), 0o600))
	if _, err := s.Get(context.Background(), "k"); !errors.Is(err, tokenstore.ErrCorrupt) {
		t.Fatalf("Get of a damaged record = %v, want ErrCorrupt", err)
	}
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
			if err != nil || strings.TrimPrefix(got.AccessToken, "CANARY-AT-") != strings.TrimPrefix(got.RefreshToken, "CANARY-RT-") {
				t.Errorf("torn read: %v", err)
			}
		})
	}
	wg.Wait()
	_, v, err := a.Load(ctx, "k")
	if err != nil || v != 50 {
		t.Fatalf("version after 50 writes = %d, %v; want 50 (no lost update)", v, err)
	}
	matches, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	data, _ := os.ReadFile(matches[0])
	if !json.Valid(data) {
		t.Fatalf("record is not valid JSON")
	}
	tmps, _ := filepath.Glob(filepath.Join(dir, ".tmp-*"))
	if len(tmps) != 0 {
		t.Fatalf("temporary files left behind: %v", tmps)
	}
}
