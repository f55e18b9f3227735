package tokenstore

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var errCrash = errors.New("simulated crash")

func TestFileCrashBetweenWriteAndRenameKeepsPreviousToken(t *testing.T) {
	dir := t.TempDir()
	s, err := NewFile(dir)
	require.NoError(t, err)
	ctx := context.Background()
	prev := &Token{AccessToken: "CANARY-AT-prev", RefreshToken: "CANARY-RT-prev", Expiry: time.Unix(2e9, 0).UTC()}
	require.NoError(t, s.Put(ctx, "acct", prev))
	var leftover string
	s.beforeRename = func(tmp string) error {
		// A crash after the temporary file was written and synced, before
		// the rename: the temporary file stays behind.
		data, err := os.ReadFile(tmp)
		if err != nil {
			return err
		}
		leftover = filepath.Join(dir, ".tmp-crashed")
		if err := os.WriteFile(leftover, data[:len(data)/2], 0o600); err != nil {
			return err
		}
		return errCrash
	}
	next := &Token{AccessToken: "CANARY-AT-next", RefreshToken: "CANARY-RT-next"}
	require.ErrorIs(t, s.Put(ctx, "acct", next), errCrash, "Put with a crash before rename")
	_, err = s.CompareAndSwap(ctx, "acct", 1, next)
	require.ErrorIs(t, err, errCrash, "CompareAndSwap with a crash before rename")
	// A process restarting on the directory reads the previous token.
	s2, err := NewFile(dir)
	require.NoError(t, err)
	got, v, err := s2.Load(ctx, "acct")
	require.NoError(t, err, "after the crash Load = %v (version %d), %v; want the previous token", got, v, err)
	require.Equal(t, prev.RefreshToken, got.RefreshToken, "after the crash Load = %v (version %d), %v; want the previous token", got, v, err)
	require.Equal(t, int64(1), v, "after the crash Load = %v (version %d), %v; want the previous token", got, v, err)
	_, err = os.Stat(leftover)
	require.NoError(t, err, "test setup")
	// And it can write again.
	_, err = s2.CompareAndSwap(ctx, "acct", 1, next)
	require.NoError(t, err, "write after the crash")
}

// leaveTemp writes a temporary file as a writer killed before its rename
// leaves it, last modified age ago.
func leaveTemp(t *testing.T, dir, name string, age time.Duration, data string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	require.NoError(t, os.WriteFile(p, []byte(data), 0o600))
	mt := time.Now().Add(-age)
	require.NoError(t, os.Chtimes(p, mt, mt))
	return p
}

func exists(p string) bool {
	_, err := os.Lstat(p)
	return err == nil
}

// Writers killed between writing their temporary file and renaming it
// leave refresh tokens behind; opening the store removes them, but only
// files of its own naming pattern that no live writer is using.
func TestFileOpenRemovesStaleTempFiles(t *testing.T) {
	dir := t.TempDir()
	s, err := NewFile(dir)
	require.NoError(t, err)
	ctx := context.Background()
	require.NoError(t, s.Put(ctx, "acct", &Token{AccessToken: "CANARY-AT-1", RefreshToken: "CANARY-RT-1"}))
	secret := `{"format":1,"key":"acct","version":2,"token":{"access_token":"CANARY-AT-2","refresh_token":"CANARY-RT-2"}}`
	hash := filepath.Base(s.base("acct"))
	busyHash := filepath.Base(s.base("busy"))

	// Left by killed writers: 11 files, 8 holding a refresh token.
	var stale []string
	for i := range 11 {
		data := secret
		if i >= 8 {
			data = `{"owner":"o","expires":"2026-01-01T00:00:00Z"}`
		}
		name := fmt.Sprintf(".tmp-%s.json-%d", hash, 1000+i)
		if i%2 == 1 {
			name = fmt.Sprintf(".tmp-%d", 2000+i) // an earlier release's name
		}
		stale = append(stale, leaveTemp(t, dir, name, time.Hour, data))
	}
	// A live writer is writing the record of "busy": it holds its lock.
	unlock, err := lockFile(s.base("busy") + ".lock")
	require.NoError(t, err)
	defer unlock()
	live := leaveTemp(t, dir, ".tmp-"+busyHash+".json-77", time.Hour, secret)
	// A live writer of an earlier release: a recent file of the old name.
	liveOld := leaveTemp(t, dir, ".tmp-4242", time.Second, secret)
	// Files that are not this store's temporary files.
	others := []string{
		leaveTemp(t, dir, ".tmp-crashed", time.Hour, "x"),
		leaveTemp(t, dir, ".tmp-12ab", time.Hour, "x"),
		leaveTemp(t, dir, ".tmp-"+hash+".txt-1", time.Hour, "x"),
		leaveTemp(t, dir, "notes.txt", time.Hour, "x"),
	}

	s2, err := NewFile(dir)
	require.NoError(t, err)
	for _, p := range stale {
		assert.False(t, exists(p), "stale temporary file %s was not removed", filepath.Base(p))
	}
	for _, p := range append([]string{live, liveOld}, others...) {
		assert.True(t, exists(p), "%s was removed", filepath.Base(p))
	}
	got, err := s2.Get(ctx, "acct")
	require.NoError(t, err, "record after cleanup: %v, %v", got, err)
	require.Equal(t, "CANARY-RT-1", got.RefreshToken, "record after cleanup: %v, %v", got, err)
}

// The store's own temporary files follow the pattern the cleanup removes.
func TestFileTempNamesFollowPattern(t *testing.T) {
	dir := t.TempDir()
	s, err := NewFile(dir)
	require.NoError(t, err)
	var seen []string
	s.beforeRename = func(tmp string) error { seen = append(seen, filepath.Base(tmp)); return nil }
	ctx := context.Background()
	require.NoError(t, s.Put(ctx, "k", &Token{AccessToken: "a"}))
	require.NoError(t, s.AcquireLease(ctx, "k", "o", time.Minute))
	require.Len(t, seen, 2, "temporary files: %v", seen)
	for _, name := range seen {
		_, ok := parseTempName(name)
		assert.True(t, ok, "temporary file %q does not follow the store's pattern", name)
	}
}
