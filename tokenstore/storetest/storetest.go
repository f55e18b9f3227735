// Package storetest is the conformance suite for tokenstore.Store
// implementations: the stores shipped with zoomkit run it, and so should any
// Store an application writes.
//
// Call [Run] from a test with a function that returns a fresh, empty store:
//
//	func TestMyStore(t *testing.T) {
//		storetest.Run(t, func(t *testing.T) tokenstore.Store { return newMyStore(t) })
//	}
//
// When the store also implements tokenstore.CoordinatedStore, Run checks
// versions, compare-and-swap and leases too, including lease expiry, which
// needs real (or synctest) time to pass: see [WithLeaseTTL] and [WithWrap].
package storetest

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/zoomkit/zoomkit/tokenstore"
)

// Option configures [Run].
type Option func(*config)

type config struct {
	leaseTTL   time.Duration
	maxWait    time.Duration
	wrap       func(t *testing.T, f func(t *testing.T))
	goroutines int
}

// WithLeaseTTL sets the TTL used by the lease-expiry check (default 50ms).
// Stores whose lease clock has a coarse resolution need a larger value.
func WithLeaseTTL(d time.Duration) Option {
	return func(c *config) {
		if d > 0 {
			c.leaseTTL = d
		}
	}
}

// WithMaxWait bounds how long the lease-expiry check waits for an expired
// lease to become available (default 10s).
func WithMaxWait(d time.Duration) Option {
	return func(c *config) {
		if d > 0 {
			c.maxWait = d
		}
	}
}

// WithWrap runs the body of every subtest through wrap, for example inside a
// testing/synctest bubble so that lease expiry uses a fake clock:
//
//	storetest.WithWrap(func(t *testing.T, f func(*testing.T)) { synctest.Test(t, f) })
func WithWrap(wrap func(t *testing.T, f func(t *testing.T))) Option {
	return func(c *config) {
		if wrap != nil {
			c.wrap = wrap
		}
	}
}

// WithGoroutines sets how many goroutines the concurrency checks use
// (default 16).
func WithGoroutines(n int) Option {
	return func(c *config) {
		if n > 1 {
			c.goroutines = n
		}
	}
}

// Canary secrets used by the suite's tokens; a store must never put them in
// an error string.
const (
	CanaryAccess  = "CANARY-AT-storetest-7f3a"
	CanaryRefresh = "CANARY-RT-storetest-9c1e"
)

// Run runs the conformance suite against stores returned by newStore. Each
// subtest gets its own store from newStore; newStore may register cleanups
// with t.
func Run(t *testing.T, newStore func(t *testing.T) tokenstore.Store, opts ...Option) {
	t.Helper()
	c := config{
		leaseTTL:   50 * time.Millisecond,
		maxWait:    10 * time.Second,
		wrap:       func(t *testing.T, f func(t *testing.T)) { f(t) },
		goroutines: 16,
	}
	for _, o := range opts {
		o(&c)
	}
	basic := []struct {
		name string
		f    func(t *testing.T, s tokenstore.Store, c *config)
	}{
		{"GetMissing", testGetMissing},
		{"PutGet", testPutGet},
		{"PutReplaces", testPutReplaces},
		{"DeadMark", testDeadMark},
		{"KeysAreIsolated", testKeysIsolated},
		{"Delete", testDelete},
		{"CopiesTokens", testCopies},
		{"PutNil", testPutNil},
		{"CancelledContext", testCancelled},
		{"ConcurrentPutGet", testConcurrentPutGet},
	}
	for _, tc := range basic {
		t.Run(tc.name, func(t *testing.T) {
			c.wrap(t, func(t *testing.T) { tc.f(t, newStore(t), &c) })
		})
	}
	coordinated := []struct {
		name string
		f    func(t *testing.T, s tokenstore.CoordinatedStore, c *config)
	}{
		{"LoadMissing", testLoadMissing},
		{"CompareAndSwap", testCAS},
		{"PutBumpsVersion", testPutBumpsVersion},
		{"DeleteThenCreate", testDeleteThenCreate},
		{"ConcurrentCompareAndSwap", testConcurrentCAS},
		{"Lease", testLease},
		{"LeasePerKey", testLeasePerKey},
		{"LeaseExpiry", testLeaseExpiry},
		{"ConcurrentLease", testConcurrentLease},
		{"LeaseInvalidArguments", testLeaseInvalid},
	}
	for _, tc := range coordinated {
		t.Run(tc.name, func(t *testing.T) {
			c.wrap(t, func(t *testing.T) {
				s, ok := newStore(t).(tokenstore.CoordinatedStore)
				if !ok {
					t.Skip("store does not implement tokenstore.CoordinatedStore")
				}
				tc.f(t, s, &c)
			})
		})
	}
}

func sample(n int) *tokenstore.Token {
	return &tokenstore.Token{
		AccessToken:  fmt.Sprintf("%s-%d", CanaryAccess, n),
		RefreshToken: fmt.Sprintf("%s-%d", CanaryRefresh, n),
		TokenType:    "bearer",
		Expiry:       time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC).Add(time.Duration(n) * time.Second),
		Scope:        "meeting:read meeting:write user:read",
		APIURL:       "https://api.zoom.us",
	}
}

func same(a, b *tokenstore.Token) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.AccessToken == b.AccessToken && a.RefreshToken == b.RefreshToken &&
		a.TokenType == b.TokenType && a.Expiry.Equal(b.Expiry) && a.Scope == b.Scope && a.APIURL == b.APIURL
}

func noCanary(t *testing.T, err error) {
	t.Helper()
	if err == nil {
		return
	}
	if s := err.Error(); strings.Contains(s, "CANARY") {
		t.Errorf("error string leaks a secret: %q", s)
	}
}

func mustPut(t *testing.T, s tokenstore.Store, key string, tok *tokenstore.Token) {
	t.Helper()
	if err := s.Put(t.Context(), key, tok); err != nil {
		noCanary(t, err)
		t.Fatalf("Put(%q): %v", key, err)
	}
}

func mustGet(t *testing.T, s tokenstore.Store, key string) *tokenstore.Token {
	t.Helper()
	tok, err := s.Get(t.Context(), key)
	if err != nil {
		noCanary(t, err)
		t.Fatalf("Get(%q): %v", key, err)
	}
	if tok == nil {
		t.Fatalf("Get(%q) returned a nil token and no error", key)
	}
	return tok
}

func testGetMissing(t *testing.T, s tokenstore.Store, _ *config) {
	tok, err := s.Get(t.Context(), "missing")
	if !errors.Is(err, tokenstore.ErrNotFound) {
		t.Fatalf("Get(missing) = %v, %v; want an error wrapping ErrNotFound", tok, err)
	}
}

func testPutGet(t *testing.T, s tokenstore.Store, _ *config) {
	want := sample(1)
	mustPut(t, s, "acct-1", want)
	if got := mustGet(t, s, "acct-1"); !same(got, want) {
		t.Fatalf("Get returned %#v, want %#v (fields differ)", got, want)
	}
	// A minimal token (no refresh token, no expiry) round-trips too.
	min := &tokenstore.Token{AccessToken: CanaryAccess + "-min"}
	mustPut(t, s, "acct-min", min)
	got := mustGet(t, s, "acct-min")
	if got.AccessToken != min.AccessToken || got.RefreshToken != "" || !got.Expiry.IsZero() {
		t.Fatalf("minimal token did not round-trip: %#v", got)
	}
}

// testDeadMark: a dead grant's verdict round-trips with its record, and a
// new grant saved under the key clears it.
func testDeadMark(t *testing.T, s tokenstore.Store, _ *config) {
	dead := sample(1)
	dead.Dead = &tokenstore.DeadMark{At: time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC), Reason: "invalid_grant"}
	mustPut(t, s, "k", dead)
	got := mustGet(t, s, "k")
	if !same(got, dead) || got.Dead == nil || !got.Dead.At.Equal(dead.Dead.At) || got.Dead.Reason != "invalid_grant" {
		t.Fatalf("a dead-marked record did not round-trip: %#v (mark %+v)", got, got.Dead)
	}
	mustPut(t, s, "k", sample(2))
	if got := mustGet(t, s, "k"); got.Dead != nil || !same(got, sample(2)) {
		t.Fatalf("a new grant did not clear the dead mark: %#v", got)
	}
}

func testPutReplaces(t *testing.T, s tokenstore.Store, _ *config) {
	mustPut(t, s, "k", sample(1))
	mustPut(t, s, "k", sample(2))
	if got := mustGet(t, s, "k"); !same(got, sample(2)) {
		t.Fatalf("after two Puts Get returned %#v, want the second token", got)
	}
}

func testKeysIsolated(t *testing.T, s tokenstore.Store, _ *config) {
	keys := []string{"a", "A", "a/b", "../a", "a b", "user:42@example.com", "zoom:ünïcödé", strings.Repeat("k", 300)}
	for i, k := range keys {
		mustPut(t, s, k, sample(i))
	}
	for i, k := range keys {
		if got := mustGet(t, s, k); !same(got, sample(i)) {
			t.Errorf("key %q returned the token of another key", k)
		}
	}
}

func testDelete(t *testing.T, s tokenstore.Store, _ *config) {
	mustPut(t, s, "k", sample(1))
	mustPut(t, s, "other", sample(2))
	if err := s.Delete(t.Context(), "k"); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	if _, err := s.Get(t.Context(), "k"); !errors.Is(err, tokenstore.ErrNotFound) {
		t.Fatalf("Get after Delete = %v, want ErrNotFound", err)
	}
	if err := s.Delete(t.Context(), "k"); err != nil {
		t.Fatalf("Delete of a missing key = %v, want nil", err)
	}
	if got := mustGet(t, s, "other"); !same(got, sample(2)) {
		t.Fatalf("Delete removed another key")
	}
}

func testCopies(t *testing.T, s tokenstore.Store, _ *config) {
	tok := sample(1)
	mustPut(t, s, "k", tok)
	tok.AccessToken = "mutated"
	got := mustGet(t, s, "k")
	if got.AccessToken != sample(1).AccessToken {
		t.Fatalf("store retained the caller's token: mutation after Put is visible")
	}
	got.RefreshToken = "mutated"
	if again := mustGet(t, s, "k"); again.RefreshToken != sample(1).RefreshToken {
		t.Fatalf("store shares the returned token: mutation after Get is visible")
	}
}

func testPutNil(t *testing.T, s tokenstore.Store, _ *config) {
	if err := s.Put(t.Context(), "k", nil); err == nil {
		t.Fatalf("Put(nil) succeeded; want an error")
	}
}

func testCancelled(t *testing.T, s tokenstore.Store, _ *config) {
	mustPut(t, s, "k", sample(1))
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := s.Get(ctx, "k"); err == nil {
		t.Errorf("Get with a cancelled context succeeded; want an error")
	}
	if err := s.Put(ctx, "k", sample(2)); err == nil {
		t.Errorf("Put with a cancelled context succeeded; want an error")
	}
	if got := mustGet(t, s, "k"); !same(got, sample(1)) && !same(got, sample(2)) {
		t.Errorf("token damaged by a cancelled Put")
	}
}

func testConcurrentPutGet(t *testing.T, s tokenstore.Store, c *config) {
	mustPut(t, s, "k", sample(0))
	var wg sync.WaitGroup
	errs := make(chan error, 4*c.goroutines)
	for i := range c.goroutines {
		wg.Add(2)
		go func() {
			defer wg.Done()
			for j := range 4 {
				if err := s.Put(context.Background(), "k", sample(i*10+j)); err != nil {
					errs <- fmt.Errorf("concurrent put: %w", err)
				}
			}
		}()
		go func() {
			defer wg.Done()
			for range 4 {
				tok, err := s.Get(context.Background(), "k")
				if err != nil {
					errs <- fmt.Errorf("concurrent get: %w", err)
					continue
				}
				// Every read must be a whole token that was written, never a mix.
				var n int
				if _, err := fmt.Sscanf(strings.TrimPrefix(tok.AccessToken, CanaryAccess+"-"), "%d", &n); err != nil || !same(tok, sample(n)) {
					errs <- errors.New("concurrent get returned a torn or unknown token")
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		noCanary(t, err)
		t.Error(err)
	}
}

func testLoadMissing(t *testing.T, s tokenstore.CoordinatedStore, _ *config) {
	_, v, err := s.Load(t.Context(), "missing")
	if !errors.Is(err, tokenstore.ErrNotFound) || v != 0 {
		t.Fatalf("Load(missing) = version %d, %v; want 0 and ErrNotFound", v, err)
	}
}

func load(t *testing.T, s tokenstore.CoordinatedStore, key string) (*tokenstore.Token, int64) {
	t.Helper()
	tok, v, err := s.Load(t.Context(), key)
	if err != nil {
		noCanary(t, err)
		t.Fatalf("Load(%q): %v", key, err)
	}
	return tok, v
}

func testCAS(t *testing.T, s tokenstore.CoordinatedStore, _ *config) {
	ctx := t.Context()
	v1, err := s.CompareAndSwap(ctx, "k", 0, sample(1))
	if err != nil {
		t.Fatalf("CompareAndSwap(0) on an absent key: %v", err)
	}
	if v1 != 1 {
		t.Errorf("first version = %d, want 1", v1)
	}
	tok, v := load(t, s, "k")
	if v != v1 || !same(tok, sample(1)) {
		t.Fatalf("Load = %d, want version %d and the swapped token", v, v1)
	}
	if _, err := s.CompareAndSwap(ctx, "k", 0, sample(9)); !errors.Is(err, tokenstore.ErrConflict) {
		t.Fatalf("CompareAndSwap(0) on a present key = %v, want ErrConflict", err)
	}
	v2, err := s.CompareAndSwap(ctx, "k", v1, sample(2))
	if err != nil {
		t.Fatalf("CompareAndSwap(current): %v", err)
	}
	if v2 != v1+1 {
		t.Errorf("version after a swap = %d, want %d", v2, v1+1)
	}
	_, err = s.CompareAndSwap(ctx, "k", v1, sample(3))
	if !errors.Is(err, tokenstore.ErrConflict) {
		t.Fatalf("CompareAndSwap(stale) = %v, want ErrConflict", err)
	}
	noCanary(t, err)
	if tok, v := load(t, s, "k"); v != v2 || !same(tok, sample(2)) {
		t.Fatalf("a stale CompareAndSwap changed the stored token (version %d)", v)
	}
	if got := mustGet(t, s, "k"); !same(got, sample(2)) {
		t.Fatalf("Get disagrees with Load")
	}
	if _, err := s.CompareAndSwap(ctx, "k", v2, nil); err == nil {
		t.Fatalf("CompareAndSwap(nil) succeeded; want an error")
	}
}

func testPutBumpsVersion(t *testing.T, s tokenstore.CoordinatedStore, _ *config) {
	mustPut(t, s, "k", sample(1))
	_, v1 := load(t, s, "k")
	if v1 < 1 {
		t.Fatalf("version after Put = %d, want >= 1", v1)
	}
	mustPut(t, s, "k", sample(2))
	_, v2 := load(t, s, "k")
	if v2 <= v1 {
		t.Fatalf("Put did not advance the version: %d then %d", v1, v2)
	}
	if _, err := s.CompareAndSwap(t.Context(), "k", v1, sample(3)); !errors.Is(err, tokenstore.ErrConflict) {
		t.Fatalf("CompareAndSwap with the version before a Put = %v, want ErrConflict", err)
	}
}

func testDeleteThenCreate(t *testing.T, s tokenstore.CoordinatedStore, _ *config) {
	ctx := t.Context()
	mustPut(t, s, "k", sample(1))
	_, v := load(t, s, "k")
	if err := s.Delete(ctx, "k"); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	if _, _, err := s.Load(ctx, "k"); !errors.Is(err, tokenstore.ErrNotFound) {
		t.Fatalf("Load after Delete = %v, want ErrNotFound", err)
	}
	if _, err := s.CompareAndSwap(ctx, "k", v, sample(2)); !errors.Is(err, tokenstore.ErrConflict) {
		t.Fatalf("CompareAndSwap with the version of a deleted token = %v, want ErrConflict", err)
	}
	nv, err := s.CompareAndSwap(ctx, "k", 0, sample(3))
	if err != nil || nv < 1 {
		t.Fatalf("CompareAndSwap(0) after Delete = %d, %v; want success", nv, err)
	}
}

func testConcurrentCAS(t *testing.T, s tokenstore.CoordinatedStore, c *config) {
	mustPut(t, s, "k", sample(0))
	_, v := load(t, s, "k")
	var wg sync.WaitGroup
	var mu sync.Mutex
	wins, conflicts := 0, 0
	for i := range c.goroutines {
		wg.Go(func() {
			_, err := s.CompareAndSwap(context.Background(), "k", v, sample(i+1))
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				wins++
			case errors.Is(err, tokenstore.ErrConflict):
				conflicts++
			default:
				t.Errorf("CompareAndSwap: %v", err)
			}
		})
	}
	wg.Wait()
	if wins != 1 || conflicts != c.goroutines-1 {
		t.Fatalf("%d concurrent swaps from one version: %d won, %d conflicted; want exactly 1 winner", c.goroutines, wins, conflicts)
	}
}

func testLease(t *testing.T, s tokenstore.CoordinatedStore, _ *config) {
	ctx := t.Context()
	ttl := time.Minute
	if err := s.AcquireLease(ctx, "k", "owner-a", ttl); err != nil {
		t.Fatalf("AcquireLease(a): %v", err)
	}
	if err := s.AcquireLease(ctx, "k", "owner-b", ttl); !errors.Is(err, tokenstore.ErrLeaseHeld) {
		t.Fatalf("AcquireLease(b) while a holds it = %v, want ErrLeaseHeld", err)
	}
	if err := s.AcquireLease(ctx, "k", "owner-a", ttl); err != nil {
		t.Fatalf("AcquireLease by the holder (extend) = %v, want nil", err)
	}
	if err := s.ReleaseLease(ctx, "k", "owner-b"); err != nil {
		t.Fatalf("ReleaseLease by a non-holder = %v, want nil (no-op)", err)
	}
	if err := s.AcquireLease(ctx, "k", "owner-b", ttl); !errors.Is(err, tokenstore.ErrLeaseHeld) {
		t.Fatalf("a non-holder's ReleaseLease released the lease (AcquireLease(b) = %v)", err)
	}
	if err := s.ReleaseLease(ctx, "k", "owner-a"); err != nil {
		t.Fatalf("ReleaseLease(a): %v", err)
	}
	if err := s.AcquireLease(ctx, "k", "owner-b", ttl); err != nil {
		t.Fatalf("AcquireLease(b) after release: %v", err)
	}
	if err := s.ReleaseLease(ctx, "k", "owner-b"); err != nil {
		t.Fatalf("ReleaseLease(b): %v", err)
	}
	// Leases do not touch the token.
	if _, _, err := s.Load(ctx, "k"); !errors.Is(err, tokenstore.ErrNotFound) {
		t.Fatalf("leases created a token: Load = %v", err)
	}
}

func testLeasePerKey(t *testing.T, s tokenstore.CoordinatedStore, _ *config) {
	ctx := t.Context()
	if err := s.AcquireLease(ctx, "k1", "owner-a", time.Minute); err != nil {
		t.Fatalf("AcquireLease(k1): %v", err)
	}
	if err := s.AcquireLease(ctx, "k2", "owner-b", time.Minute); err != nil {
		t.Fatalf("a lease on k1 blocks k2: %v", err)
	}
}

func testLeaseExpiry(t *testing.T, s tokenstore.CoordinatedStore, c *config) {
	ctx := t.Context()
	if err := s.AcquireLease(ctx, "k", "owner-a", c.leaseTTL); err != nil {
		t.Fatalf("AcquireLease(a): %v", err)
	}
	deadline := time.Now().Add(c.maxWait)
	for {
		err := s.AcquireLease(ctx, "k", "owner-b", time.Minute)
		if err == nil {
			break
		}
		if !errors.Is(err, tokenstore.ErrLeaseHeld) {
			t.Fatalf("AcquireLease(b): %v", err)
		}
		if time.Now().After(deadline) {
			t.Fatalf("lease with TTL %v still held after %v", c.leaseTTL, c.maxWait)
		}
		time.Sleep(c.leaseTTL / 4)
	}
	// The expired holder's release must not free the new holder's lease.
	if err := s.ReleaseLease(ctx, "k", "owner-a"); err != nil {
		t.Fatalf("ReleaseLease by the expired holder: %v", err)
	}
	if err := s.AcquireLease(ctx, "k", "owner-c", time.Minute); !errors.Is(err, tokenstore.ErrLeaseHeld) {
		t.Fatalf("an expired holder's ReleaseLease freed another owner's lease (AcquireLease(c) = %v)", err)
	}
}

func testConcurrentLease(t *testing.T, s tokenstore.CoordinatedStore, c *config) {
	var wg sync.WaitGroup
	var mu sync.Mutex
	wins := 0
	for i := range c.goroutines {
		wg.Go(func() {
			err := s.AcquireLease(context.Background(), "k", fmt.Sprintf("owner-%d", i), time.Minute)
			if err != nil && !errors.Is(err, tokenstore.ErrLeaseHeld) {
				t.Errorf("AcquireLease: %v", err)
				return
			}
			if err == nil {
				mu.Lock()
				wins++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if wins != 1 {
		t.Fatalf("%d owners raced for one lease: %d got it, want exactly 1", c.goroutines, wins)
	}
}

func testLeaseInvalid(t *testing.T, s tokenstore.CoordinatedStore, _ *config) {
	ctx := t.Context()
	if err := s.AcquireLease(ctx, "k", "", time.Minute); err == nil {
		t.Errorf("AcquireLease with an empty owner succeeded")
	}
	if err := s.AcquireLease(ctx, "k", "owner", 0); err == nil {
		t.Errorf("AcquireLease with a zero TTL succeeded")
	}
}
