//go:build !unix

package tokenstore

import (
	"errors"
	"os"
)

// lockFile is a no-op where flock is unavailable: a File store then
// coordinates only within one process (its mutex).
func lockFile(string) (func(), error) { return func() {}, nil }

// syncDir is a no-op where directories cannot be fsynced.
func syncDir(string) error { return nil }

// tryLockFile cannot tell whether a writer is active where flock is
// unavailable.
func tryLockFile(string) (func(), bool, error) { return nil, false, errNoFileLocks }

var errNoFileLocks = errors.New("file locks unavailable")

// writableByOthers is false where permission bits do not describe who may
// write (Windows reports every directory as 0777).
func writableByOthers(os.FileMode) bool { return false }
