package tokenstore

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// ErrUnsafeDirectory reports a File store directory that users other than
// its owner may write to (group- or world-writable, with or without the
// sticky bit): they could delete the records, and with them the grants, or
// replace them. It wraps [ErrInvalidArgument].
var ErrUnsafeDirectory = fmt.Errorf("tokenstore: file store directory is writable by group or others: %w", ErrInvalidArgument)

// staleTempAge is how old a temporary file whose key cannot be told (named
// by an earlier release) must be before opening a store removes it.
const staleTempAge = 10 * time.Minute

// File is a [CoordinatedStore] keeping one JSON file per key in a
// directory. It coordinates every File over the same directory on one
// machine: writes and leases take an advisory lock (flock) per key, so
// several processes may share the directory. Do not use it on a network
// file system shared by several machines: use the SQL or Redis stores.
//
// Writes are atomic and durable: the record goes to a temporary file in the
// same directory (mode 0600), which is fsynced, renamed over the record, and
// the directory is fsynced. A crash at any point leaves either the previous
// or the new record, never a torn one. File names are the SHA-256 of the
// key, so keys never become paths.
//
// Tokens are stored in plaintext: wrap the store with [NewEncrypted] unless
// the disk is otherwise protected.
//
// Reliability: a record is replaced atomically and durably, under a lock
// that every File on the machine takes, so a reader sees a whole record and
// a compare-and-swap never loses an update. A writer killed before its
// rename leaves a temporary file holding the token it was writing; NewFile
// removes such files (see there). The directory must not be writable by
// group or others: NewFile refuses it with [ErrUnsafeDirectory]. What does
// not hold: on a network file system flock may not coordinate machines, and
// on systems without flock (Windows) only Files of one process coordinate.
type File struct {
	dir string
	mu  sync.Mutex // serialises this process's writers; flock serialises processes
	// beforeRename, when set (tests), runs between writing the temporary
	// file and renaming it; an error aborts the write like a crash would.
	beforeRename func(tmp string) error
}

var _ CoordinatedStore = (*File)(nil)

// fileRecord is the on-disk format.
type fileRecord struct {
	Format  int    `json:"format"`
	Key     string `json:"key"`
	Version int64  `json:"version"`
	Token   *Token `json:"token"` // nil: deleted (the version is kept)
}

type fileLease struct {
	Owner   string    `json:"owner"`
	Expires time.Time `json:"expires"`
}

// NewFile returns a store keeping its files in dir, created with mode 0700
// if missing.
//
// An existing dir that users other than its owner may write to (mode bits
// 0o020 or 0o002, sticky or not) is refused with an error wrapping
// [ErrUnsafeDirectory] and [ErrInvalidArgument]: such users could delete or
// replace the records. Group-writable is refused too, because a shared
// group is not the store's owner; chmod go-w the directory (on Windows,
// where mode bits do not say who may write, this check is skipped).
//
// NewFile then removes the temporary files that writers killed before their
// rename left behind (they hold the tokens being written). It removes only
// files named like this store's temporary files, and only those no live
// writer is using: a file named after its key is removed when that key's
// lock is free (a writer holds it from creating the file until it is
// renamed or removed); a file of an earlier release, whose name does not
// say its key, is removed when it is more than 10 minutes old. Cleanup is
// best effort: a file it cannot remove is left and does not fail NewFile.
func NewFile(dir string) (*File, error) {
	if dir == "" {
		return nil, fmt.Errorf("tokenstore: file store: empty directory: %w", ErrInvalidArgument)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("tokenstore: file store: %w", err)
	}
	st, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("tokenstore: file store: %w", err)
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("tokenstore: file store: %s is not a directory: %w", dir, ErrInvalidArgument)
	}
	if writableByOthers(st.Mode()) {
		return nil, fmt.Errorf("tokenstore: file store: %s has mode %v: %w", dir, st.Mode().Perm(), ErrUnsafeDirectory)
	}
	f := &File{dir: dir}
	f.removeStaleTemps(time.Now())
	return f, nil
}

// Temporary files are named tempPrefix + the target's file name + "-" +
// random digits: ".tmp-{sha256 of the key in hex}.json-123456789" for a
// record, ".lease-..." for a lease. Earlier releases named them
// tempPrefix + random digits.
const tempPrefix = ".tmp-"

// parseTempName reports whether name is one of this store's temporary
// files, and the hex key hash it names ("" for an earlier release's name).
func parseTempName(name string) (hash string, ok bool) {
	rest, ok := strings.CutPrefix(name, tempPrefix)
	if !ok {
		return "", false
	}
	i := strings.LastIndexByte(rest, '-')
	target, random := rest[:max(i, 0)], rest[i+1:]
	if !allDigits(random) {
		return "", false
	}
	if i < 0 {
		return "", true // an earlier release's name: digits only
	}
	hash, ext, _ := strings.Cut(target, ".")
	if len(hash) != 2*sha256.Size || (ext != "json" && ext != "lease") {
		return "", false
	}
	if _, err := hex.DecodeString(hash); err != nil || strings.ToLower(hash) != hash {
		return "", false
	}
	return hash, true
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// removeStaleTemps removes the temporary files killed writers left (see
// NewFile).
func (f *File) removeStaleTemps(now time.Time) {
	entries, err := os.ReadDir(f.dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		if !e.Type().IsRegular() {
			continue
		}
		hash, ok := parseTempName(e.Name())
		if !ok {
			continue
		}
		path := filepath.Join(f.dir, e.Name())
		if hash != "" {
			unlock, locked, err := tryLockFile(filepath.Join(f.dir, hash+".lock"))
			if locked {
				// Writers of this key hold its lock from creating their
				// temporary file until it is gone: this one is orphaned.
				_ = os.Remove(path)
				unlock()
				continue
			}
			if err == nil {
				continue // a live writer holds the lock
			}
			// Locks unavailable: fall back to the file's age.
		}
		if info, err := e.Info(); err == nil && now.Sub(info.ModTime()) > staleTempAge {
			_ = os.Remove(path)
		}
	}
}

func (f *File) base(key string) string {
	h := sha256.Sum256([]byte(key))
	return filepath.Join(f.dir, hex.EncodeToString(h[:]))
}

// Get returns the token stored under key.
func (f *File) Get(ctx context.Context, key string) (*Token, error) {
	tok, _, err := f.Load(ctx, key)
	return tok, err
}

// Load returns the token stored under key and its version.
func (f *File) Load(ctx context.Context, key string) (*Token, int64, error) {
	if err := ctx.Err(); err != nil {
		return nil, 0, err
	}
	rec, err := f.read(key)
	if err != nil {
		return nil, 0, err
	}
	if rec.Token == nil {
		return nil, 0, fmt.Errorf("tokenstore: file get: %w", ErrNotFound)
	}
	return rec.Token, rec.Version, nil
}

// read returns the record of key; a missing file is a zero record.
func (f *File) read(key string) (*fileRecord, error) {
	data, err := os.ReadFile(f.base(key) + ".json")
	if errors.Is(err, fs.ErrNotExist) {
		return &fileRecord{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("tokenstore: file read: %w", err)
	}
	var rec fileRecord
	if err := json.Unmarshal(data, &rec); err != nil || rec.Format != 1 || rec.Key != key {
		return nil, fmt.Errorf("tokenstore: file read: %w", ErrCorrupt)
	}
	return &rec, nil
}

// locked runs fn holding this process's mutex and the key's file lock.
func (f *File) locked(ctx context.Context, key string, fn func() error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	unlock, err := lockFile(f.base(key) + ".lock")
	if err != nil {
		return fmt.Errorf("tokenstore: file lock: %w", err)
	}
	defer unlock()
	return fn()
}

// Put stores tok under key.
func (f *File) Put(ctx context.Context, key string, tok *Token) error {
	if err := checkPut(ctx, tok); err != nil {
		return err
	}
	return f.locked(ctx, key, func() error {
		rec, err := f.read(key)
		if err != nil && !errors.Is(err, ErrCorrupt) {
			return err
		}
		var v int64
		if rec != nil {
			v = rec.Version
		}
		return f.writeRecord(key, &fileRecord{Format: 1, Key: key, Version: v + 1, Token: tok})
	})
}

// Delete removes the token stored under key (a tombstone keeps the version
// so that versions never repeat).
func (f *File) Delete(ctx context.Context, key string) error {
	return f.locked(ctx, key, func() error {
		rec, err := f.read(key)
		if err != nil {
			if errors.Is(err, ErrCorrupt) {
				return removeIfExists(f.base(key) + ".json")
			}
			return err
		}
		if rec.Token == nil {
			return nil
		}
		return f.writeRecord(key, &fileRecord{Format: 1, Key: key, Version: rec.Version})
	})
}

// CompareAndSwap stores tok only if the stored version equals version.
func (f *File) CompareAndSwap(ctx context.Context, key string, version int64, tok *Token) (int64, error) {
	if err := checkPut(ctx, tok); err != nil {
		return 0, err
	}
	var nv int64
	err := f.locked(ctx, key, func() error {
		rec, err := f.read(key)
		if err != nil {
			return err
		}
		var cur int64
		if rec.Token != nil {
			cur = rec.Version
		}
		if cur != version {
			return fmt.Errorf("tokenstore: file compare-and-swap: %w", ErrConflict)
		}
		nv = rec.Version + 1
		return f.writeRecord(key, &fileRecord{Format: 1, Key: key, Version: nv, Token: tok})
	})
	if err != nil {
		return 0, err
	}
	return nv, nil
}

// AcquireLease takes or extends the refresh lease on key for owner.
func (f *File) AcquireLease(ctx context.Context, key, owner string, ttl time.Duration) error {
	if err := checkLease(ctx, owner, ttl); err != nil {
		return err
	}
	return f.locked(ctx, key, func() error {
		now := time.Now()
		if l, ok := f.readLease(key); ok && l.Owner != owner && now.Before(l.Expires) {
			return fmt.Errorf("tokenstore: file lease: %w", ErrLeaseHeld)
		}
		data, err := json.Marshal(fileLease{Owner: owner, Expires: now.Add(ttl)})
		if err != nil {
			return err
		}
		return f.writeAtomic(f.base(key)+".lease", data)
	})
}

// ReleaseLease gives the lease on key back if owner holds it.
func (f *File) ReleaseLease(ctx context.Context, key, owner string) error {
	return f.locked(ctx, key, func() error {
		if l, ok := f.readLease(key); ok && l.Owner == owner {
			return removeIfExists(f.base(key) + ".lease")
		}
		return nil
	})
}

func (f *File) readLease(key string) (fileLease, bool) {
	var l fileLease
	data, err := os.ReadFile(f.base(key) + ".lease")
	if err != nil || json.Unmarshal(data, &l) != nil {
		return l, false // a missing or damaged lease is no lease
	}
	return l, true
}

func (f *File) writeRecord(key string, rec *fileRecord) error {
	data, err := json.Marshal(rec)
	if err != nil {
		return fmt.Errorf("tokenstore: file encode: %w", err)
	}
	return f.writeAtomic(f.base(key)+".json", data)
}

// writeAtomic writes data to path: temporary file (0600) in the same
// directory, fsync, rename, fsync of the directory.
func (f *File) writeAtomic(path string, data []byte) (err error) {
	tmp, err := os.CreateTemp(f.dir, tempPrefix+filepath.Base(path)+"-*")
	if err != nil {
		return fmt.Errorf("tokenstore: file write: %w", err)
	}
	renamed := false
	defer func() {
		if !renamed {
			_ = tmp.Close()
			_ = os.Remove(tmp.Name())
		}
	}()
	if err := tmp.Chmod(0o600); err != nil {
		return fmt.Errorf("tokenstore: file write: %w", err)
	}
	if _, err := tmp.Write(data); err != nil {
		return fmt.Errorf("tokenstore: file write: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("tokenstore: file sync: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("tokenstore: file write: %w", err)
	}
	if f.beforeRename != nil {
		if err := f.beforeRename(tmp.Name()); err != nil {
			return err
		}
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("tokenstore: file rename: %w", err)
	}
	renamed = true
	if err := syncDir(f.dir); err != nil {
		return fmt.Errorf("tokenstore: file sync directory: %w", err)
	}
	return nil
}

func removeIfExists(path string) error {
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("tokenstore: file remove: %w", err)
	}
	return nil
}
