//go:build !unix

package tokenstore

// lockFile is a no-op where flock is unavailable: a File store then
// coordinates only within one process (its mutex).
func lockFile(string) (func(), error) { return func() {}, nil }

// syncDir is a no-op where directories cannot be fsynced.
func syncDir(string) error { return nil }
