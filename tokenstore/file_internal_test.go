package tokenstore

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"
)

var errCrash = errors.New("simulated crash")

func TestFileCrashBetweenWriteAndRenameKeepsPreviousToken(t *testing.T) {
	dir := t.TempDir()
	s, err := NewFile(dir)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	prev := &Token{AccessToken: "CANARY-AT-prev", RefreshToken: "CANARY-RT-prev", Expiry: time.Unix(2e9, 0).UTC()}
	if err := s.Put(ctx, "acct", prev); err != nil {
		t.Fatal(err)
	}
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
	if err := s.Put(ctx, "acct", next); !errors.Is(err, errCrash) {
		t.Fatalf("Put with a crash before rename = %v", err)
	}
	if _, err := s.CompareAndSwap(ctx, "acct", 1, next); !errors.Is(err, errCrash) {
		t.Fatalf("CompareAndSwap with a crash before rename = %v", err)
	}
	// A process restarting on the directory reads the previous token.
	s2, err := NewFile(dir)
	if err != nil {
		t.Fatal(err)
	}
	got, v, err := s2.Load(ctx, "acct")
	if err != nil || got.RefreshToken != prev.RefreshToken || v != 1 {
		t.Fatalf("after the crash Load = %v (version %d), %v; want the previous token", got, v, err)
	}
	if _, err := os.Stat(leftover); err != nil {
		t.Fatalf("test setup: %v", err)
	}
	// And it can write again.
	if _, err := s2.CompareAndSwap(ctx, "acct", 1, next); err != nil {
		t.Fatalf("write after the crash: %v", err)
	}
}
