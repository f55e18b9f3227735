package replicatest

import (
	"context"
	"errors"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/zoomkit/zoomkit/oauth"
	"github.com/zoomkit/zoomkit/tokenstore"
)

// errWriteFault is the error of an injected store write failure.
var errWriteFault = errors.New("replicatest: injected store write failure")

// WriteFaults makes the writes (Put, CompareAndSwap) of every replica that
// shares it fail: the next N writes, or every write for the duration For
// from the first write on. Reads and leases keep working, as when a
// database refuses writes (disk full, read-only failover) but answers
// queries.
type WriteFaults struct {
	mu    sync.Mutex
	N     int
	For   time.Duration
	until time.Time // set at the first write when For is set
	held  bool      // every write fails until release, whatever For says
}

// hold makes every write fail until release, so that a check of what a
// replica does while writes fail does not depend on how fast the machine
// runs it; For still counts from the first write.
func (w *WriteFaults) hold() {
	w.mu.Lock()
	w.held = true
	w.mu.Unlock()
}

func (w *WriteFaults) release() {
	w.mu.Lock()
	w.held = false
	w.mu.Unlock()
}

func (w *WriteFaults) fail() bool {
	if w == nil {
		return false
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.N > 0 {
		w.N--
		return true
	}
	if w.For > 0 && w.until.IsZero() {
		w.until = time.Now().Add(w.For)
	}
	return w.held || time.Now().Before(w.until)
}

// FaultStore is one replica's view of a shared CoordinatedStore, with the
// write faults it shares with other replicas (nil: none) and an optional
// pause before its first compare-and-swap (BeforeCAS: a holder paused after
// Zoom rotated, before its save). The oauth tests use it too.
type FaultStore struct {
	tokenstore.CoordinatedStore
	Faults    *WriteFaults
	BeforeCAS func()
	once      sync.Once
}

func (s *FaultStore) Put(ctx context.Context, key string, tok *tokenstore.Token) error {
	if s.Faults.fail() {
		return errWriteFault
	}
	return s.CoordinatedStore.Put(ctx, key, tok)
}

func (s *FaultStore) CompareAndSwap(ctx context.Context, key string, v int64, tok *tokenstore.Token) (int64, error) {
	if s.BeforeCAS != nil {
		s.once.Do(s.BeforeCAS)
	}
	if s.Faults.fail() {
		return 0, errWriteFault
	}
	return s.CoordinatedStore.CompareAndSwap(ctx, key, v, tok)
}

// expiredGrant starts the fake token endpoint (stopped when tb ends) and
// stores an expired grant under Key in a fresh replica of b's store.
func expiredGrant(tb testing.TB, b Backend) (*FakeZoom, *oauth.Config, tokenstore.CoordinatedStore) {
	tb.Helper()
	fake := NewFakeZoom()
	srv := httptest.NewServer(fake)
	tb.Cleanup(srv.Close)
	seed := b.Open(tb)
	ctx := context.Background()
	_ = seed.Delete(ctx, Key)
	require.NoError(tb, seed.Put(ctx, Key, fake.Grant(time.Now().Add(-time.Hour))), "seeding the expired grant")
	return fake, Config(srv.URL), seed
}

// tokenUntil asks ts for a token until it gets one, for at most 30 s. It
// fails tb on a reauthorization error: the grant is alive.
func tokenUntil(tb testing.TB, ts *oauth.TokenSource) string {
	tb.Helper()
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		tok, err := ts.TokenContext(ctx)
		cancel()
		if err == nil {
			return tok.AccessToken
		}
		if errors.Is(err, oauth.ErrReauthorizationRequired) {
			tb.Fatalf("a live grant was declared dead: %v", err)
		}
		var re *oauth.RefreshError
		if errors.As(err, &re) {
			// Wait for the backoff the TokenSource asked for.
			time.Sleep(max(time.Until(re.RetryAt), 10*time.Millisecond))
		}
	}
	tb.Fatal("no token within 30 s")
	return ""
}

// UnsavedRotation checks that a rotated token whose save fails is never
// lost: replica A redeems the expired grant while the store refuses writes
// (faults, shared by both replicas); A keeps the lease and saves in the
// background; replica B never presents the superseded refresh token. Both
// end with the one rotated token, which is stored; Zoom saw one refresh and
// no invalid_grant, and the reauthorization hook (which deletes the record,
// as many apps do) never ran.
func UnsavedRotation(t *testing.T, b Backend, leaseTTL time.Duration, faults *WriteFaults) {
	t.Helper()
	fake, cfg, seed := expiredGrant(t, b)
	ctx := t.Context()
	var hooks atomic.Int32
	hook := oauth.WithOnReauthorizationRequired(func(ctx context.Context, key string, _ error) {
		hooks.Add(1)
		_ = seed.Delete(ctx, key)
	})
	a, err := cfg.TokenSource(&FaultStore{CoordinatedStore: b.Open(t), Faults: faults}, Key, oauth.WithLeaseTTL(leaseTTL), hook)
	require.NoError(t, err)
	bts, err := cfg.TokenSource(&FaultStore{CoordinatedStore: b.Open(t), Faults: faults}, Key, oauth.WithLeaseTTL(leaseTTL), hook)
	require.NoError(t, err)
	// With For, writes fail at least until A has given up saving in the
	// foreground (on a busy machine A's retries may outlast For).
	if faults.For > 0 {
		faults.hold()
	}
	_, err = a.TokenContext(ctx)
	faults.release()
	require.ErrorIs(t, err, oauth.ErrSavePending, "A with the store refusing writes")
	atB := tokenUntil(t, bts)
	atA := tokenUntil(t, a)
	stored, err := seed.Get(ctx, Key)
	require.NoError(t, err)
	st := fake.Stats()
	if atA != atB || stored.AccessToken != atA || stored.RefreshToken != st.NewestRT {
		t.Errorf("A handed out %q, B %q, the store holds %q: want the one rotated token, stored", atA, atB, stored.AccessToken)
	}
	if st.Refreshes != 1 || st.InvalidGrants != 0 || st.MaxPresented != 1 {
		t.Errorf("token endpoint saw %d refreshes, %d invalid grants, a refresh token presented up to %d times; want 1, 0, 1",
			st.Refreshes, st.InvalidGrants, st.MaxPresented)
	}
	if n := hooks.Load(); n != 0 {
		t.Errorf("reauthorization hook ran %d times for a live grant", n)
	}
}

// DeadOnce checks that a revoked grant is found dead by one of n replicas
// and reported by all: Zoom sees one token request, the hook runs once, a
// second round (as after a restart) makes no request, and a reconnect (a new
// grant stored under the key) clears the dead mark.
func DeadOnce(t *testing.T, b Backend, n int) {
	t.Helper()
	fake, cfg, seed := expiredGrant(t, b)
	ctx := t.Context()
	fake.Revoke()
	var hooks atomic.Int32
	for round := range 2 {
		var wg sync.WaitGroup
		for range n {
			ts, err := cfg.TokenSource(b.Open(t), Key, oauth.WithOnReauthorizationRequired(func(context.Context, string, error) { hooks.Add(1) }))
			require.NoError(t, err)
			wg.Go(func() {
				if _, err := ts.TokenContext(ctx); !errors.Is(err, oauth.ErrReauthorizationRequired) {
					t.Errorf("round %d: Token() = %v, want ErrReauthorizationRequired", round, err)
				}
			})
		}
		wg.Wait()
		if st := fake.Stats(); st.InvalidGrants != 1 || st.Refreshes != 0 {
			t.Errorf("after round %d Zoom saw %d refused and %d accepted refreshes; want 1 and 0", round, st.InvalidGrants, st.Refreshes)
		}
		if h := hooks.Load(); h != 1 {
			t.Errorf("after round %d the hook ran %d times, want once across %d replicas", round, h, n)
		}
	}
	fresh := fake.Grant(time.Now().Add(time.Hour))
	require.NoError(t, seed.Put(ctx, Key, fresh))
	ts, err := cfg.TokenSource(b.Open(t), Key)
	require.NoError(t, err)
	if tok, err := ts.TokenContext(ctx); err != nil || tok.AccessToken != fresh.AccessToken {
		t.Errorf("after the reconnect: %v, %v; want the new grant", tok, err)
	}
}

// PausedHolder checks that a replica waiting for the lease does not declare
// the grant dead when the holder it waited for redeemed the refresh token
// and paused past its lease TTL before saving: the waiting replica takes
// the lease, presents the spent refresh token, gets invalid_grant, and
// watches the store until the holder's save lands. All n callers of that
// replica get the rotated token; the reauthorization hook never runs.
func PausedHolder(t *testing.T, b Backend, leaseTTL time.Duration, n int) {
	t.Helper()
	fake, cfg, seed := expiredGrant(t, b)
	ctx := t.Context()
	var hooks atomic.Int32
	hook := oauth.WithOnReauthorizationRequired(func(context.Context, string, error) { hooks.Add(1) })
	paused, release := make(chan struct{}), make(chan struct{})
	a, err := cfg.TokenSource(&FaultStore{CoordinatedStore: b.Open(t), BeforeCAS: func() { close(paused); <-release }}, Key,
		oauth.WithLeaseTTL(leaseTTL), hook)
	require.NoError(t, err)
	bts, err := cfg.TokenSource(b.Open(t), Key, oauth.WithLeaseTTL(leaseTTL), oauth.WithRotationGrace(30*time.Second), hook)
	require.NoError(t, err)
	aDone := make(chan string, 1)
	go func() {
		tok, err := a.TokenContext(ctx)
		if err != nil {
			t.Errorf("holder: %v", err)
			aDone <- ""
			return
		}
		aDone <- tok.AccessToken
	}()
	<-paused // Zoom rotated; the holder has not saved
	got := make([]string, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			tok, err := bts.TokenContext(ctx)
			if err != nil {
				errs[i] = err
				return
			}
			got[i] = tok.AccessToken
		})
	}
	// Resume the holder once the other replica was refused.
	select {
	case <-fake.Refused():
	case <-time.After(20 * time.Second):
		close(release)
		t.Fatal("the waiting replica never presented the spent refresh token")
	}
	close(release)
	wg.Wait()
	atA := <-aDone
	for i := range n {
		if errs[i] != nil || got[i] != atA {
			t.Errorf("caller %d: %q, %v; want the holder's token", i, got[i], errs[i])
		}
	}
	if h := hooks.Load(); h != 0 {
		t.Errorf("reauthorization hook ran %d times for a live grant", h)
	}
	stored, err := seed.Get(ctx, Key)
	if err != nil || stored.RefreshToken != fake.Stats().NewestRT {
		t.Errorf("stored %v, %v; want the newest refresh token", stored, err)
	}
}
