// Package replicatest holds the cross-replica refresh tests shared by the
// SQL and Redis token stores: several replicas, each with its own connection
// pool (or its own OS process), share one Zoom grant through one database
// and refresh it exactly once.
//
// It is a test helper: only tests import it.
package replicatest

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zoomkit/zoomkit/oauth"
	"github.com/zoomkit/zoomkit/tokenstore"
)

// Key is the store key of the shared grant.
const Key = "account-1"

// Environment of a helper process (see [HelperProcess]).
const (
	helperEnv   = "ZOOMKIT_REPLICA_HELPER"
	tokenURLEnv = "ZOOMKIT_REPLICA_TOKEN_URL"
)

// Backend opens replicas of one shared store.
type Backend struct {
	// Open returns a new store on the shared database (or Redis) with a
	// connection pool of its own, as a separate replica would have. It
	// registers its cleanup with tb.
	Open func(tb testing.TB) tokenstore.CoordinatedStore
	// Env is added to the environment of helper processes so that their
	// open function (see HelperProcess) reaches the same shared store.
	Env []string
}

// Config returns the OAuth app config of the fake token endpoint at baseURL.
func Config(baseURL string) *oauth.Config {
	return &oauth.Config{
		ClientID:     ClientID,
		ClientSecret: ClientSecret,
		RedirectURL:  "http://127.0.0.1/oauth/callback",
		Endpoint:     oauth.Endpoint{TokenURL: baseURL + "/oauth/token"},
	}
}

// Result is what one run of [ConcurrentRefresh] observed.
type Result struct {
	Tokens []string // access token returned to each replica
	Stats  Stats    // the fake endpoint's counters
}

// ConcurrentRefresh stores an expired grant, then makes n TokenSources, each
// on its own replica of the store, ask for a token at the same moment. It
// fails tb unless there was exactly one refresh at the token endpoint, no
// refresh token was presented twice or rejected, every replica got the same
// access token, and the stored token is the refreshed one, whose refresh
// token is the newest the endpoint issued.
func ConcurrentRefresh(tb testing.TB, b Backend, n int) Result {
	tb.Helper()
	fake, cfg, seed := expiredGrant(tb, b)
	ctx := context.Background()
	var cnt counts
	sources := make([]*oauth.TokenSource, n)
	for i := range sources {
		ts, err := cfg.TokenSource(countingStore{b.Open(tb), &cnt}, Key)
		require.NoError(tb, err)
		sources[i] = ts
	}
	res := Result{Tokens: make([]string, n)}
	errs := make([]error, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i, ts := range sources {
		wg.Go(func() {
			<-start
			tok, err := ts.TokenContext(ctx)
			if err != nil {
				errs[i] = err
				return
			}
			res.Tokens[i] = tok.AccessToken
		})
	}
	close(start)
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			tb.Errorf("replica %d: %v", i, err)
		}
	}
	res.Stats = fake.Stats()
	checkOneRefresh(tb, seed, res)
	// The one refresh happened under a lease and was written by exactly one
	// compare-and-swap; nobody's write was rejected.
	cnt.mu.Lock()
	defer cnt.mu.Unlock()
	if cnt.leases < 1 || cnt.swaps != 1 || cnt.conflicts != 0 || cnt.releaseFailures != 0 {
		tb.Errorf("replicas took %d leases, made %d compare-and-swaps (%d conflicts), %d lease releases failed; want >= 1 lease and exactly 1 swap, 0 conflicts, 0 failures",
			cnt.leases, cnt.swaps, cnt.conflicts, cnt.releaseFailures)
	}
	tb.Logf("%d replicas: %d leases taken, %d lease-held answers, %d compare-and-swap", n, cnt.leases, cnt.leaseHeld, cnt.swaps)
	return res
}

func checkOneRefresh(tb testing.TB, seed tokenstore.Store, res Result) {
	tb.Helper()
	st := res.Stats
	if st.Refreshes != 1 || st.InvalidGrants != 0 || st.MaxPresented != 1 {
		tb.Errorf("token endpoint saw %d refreshes, %d invalid grants, a refresh token presented up to %d times; want exactly 1, 0, 1",
			st.Refreshes, st.InvalidGrants, st.MaxPresented)
	}
	for i, at := range res.Tokens {
		if at != res.Tokens[0] || at == "" {
			tb.Errorf("replica %d got access token %q, replica 0 got %q: want one shared token", i, at, res.Tokens[0])
		}
	}
	stored, err := seed.Get(context.Background(), Key)
	require.NoError(tb, err, "reading the stored token")
	if stored.AccessToken != res.Tokens[0] || stored.RefreshToken != st.NewestRT {
		tb.Errorf("stored token (access %q, refresh %q) is not the refreshed one (access %q, newest refresh %q)",
			stored.AccessToken, stored.RefreshToken, res.Tokens[0], st.NewestRT)
	}
}

// PausedLeader checks that a lease holder paused past its lease TTL cannot
// overwrite a newer token. Replica A redeems the expired grant's refresh
// token and pauses before writing the result. expire makes A's lease expire
// (it may wait); then replica B takes the lease (proving it expired) and
// stores a newer grant, as after the user reconnected Zoom. When A resumes,
// its late compare-and-swap must be rejected: the stored refresh token is
// the newest one, and both A and a fresh TokenSource on B hand out the newer
// access token, with no further token request.
func PausedLeader(t *testing.T, b Backend, leaseTTL time.Duration, expire func(ctx context.Context, other tokenstore.CoordinatedStore)) {
	t.Helper()
	ctx := t.Context()
	fake := NewFakeZoom()
	srv := httptest.NewServer(fake)
	defer srv.Close()
	cfg := Config(srv.URL)

	storeA, storeB := b.Open(t), b.Open(t)
	_ = storeB.Delete(ctx, Key)
	require.NoError(t, storeB.Put(ctx, Key, fake.Grant(time.Now().Add(-time.Hour))))
	paused, resume := make(chan struct{}), make(chan struct{})
	// A pauses after Zoom rotated, just before its compare-and-swap.
	a, err := cfg.TokenSource(&FaultStore{CoordinatedStore: storeA, BeforeCAS: func() { close(paused); <-resume }}, Key,
		oauth.WithLeaseTTL(leaseTTL))
	require.NoError(t, err)
	type answer struct {
		at  string
		err error
	}
	done := make(chan answer, 1)
	go func() {
		tok, err := a.TokenContext(ctx)
		if err != nil {
			done <- answer{err: err}
			return
		}
		done <- answer{at: tok.AccessToken}
	}()
	<-paused
	if st := fake.Stats(); st.Refreshes != 1 {
		t.Fatalf("A paused after %d refreshes, want 1", st.Refreshes)
	}
	_, staleVersion, err := storeB.Load(ctx, Key)
	require.NoError(t, err)
	expire(ctx, storeB) // A's lease expires while A is paused.
	if err := storeB.AcquireLease(ctx, Key, "replica-b", time.Minute); err != nil {
		close(resume)
		<-done
		t.Fatalf("A's lease did not expire: B cannot take it: %v", err)
	}
	newer := fake.Grant(time.Now().Add(time.Hour))
	if _, err := storeB.CompareAndSwap(ctx, Key, staleVersion, newer); err != nil {
		t.Fatal(err)
	}
	require.NoError(t, storeB.ReleaseLease(ctx, Key, "replica-b"))
	close(resume)
	ans := <-done
	if ans.err != nil {
		t.Fatalf("A after its late write: %v", ans.err)
	}
	stored, err := storeB.Get(ctx, Key)
	require.NoError(t, err)
	if stored.RefreshToken != newer.RefreshToken {
		t.Fatalf("A's late write overwrote the newer token")
	}
	assert.Equal(t, newer.AccessToken, ans.at, "A handed out")
	bts, err := cfg.TokenSource(storeB, Key)
	require.NoError(t, err)
	if tok, err := bts.TokenContext(ctx); err != nil || tok.AccessToken != newer.AccessToken {
		t.Errorf("B's TokenSource = %v, %v; want the newer token", tok, err)
	}
	if st := fake.Stats(); st.Refreshes != 1 || st.InvalidGrants != 0 {
		t.Errorf("token endpoint saw %d refreshes and %d invalid grants, want 1 and 0", st.Refreshes, st.InvalidGrants)
	}
}

// Processes runs ConcurrentRefresh's scenario with n replicas as separate OS
// processes: the test binary re-executed to run only helperTest, a test
// that calls [HelperProcess]. The fake token endpoint runs in this process,
// on loopback.
func Processes(t *testing.T, b Backend, n int, helperTest string) {
	t.Helper()
	// A hung replica process is killed rather than hanging the test binary.
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	fake := NewFakeZoom()
	srv := httptest.NewServer(fake)
	defer srv.Close()

	seed := b.Open(t)
	_ = seed.Delete(ctx, Key)
	require.NoError(t, seed.Put(ctx, Key, fake.Grant(time.Now().Add(-time.Hour))))
	type child struct {
		cmd    *exec.Cmd
		stdin  io.WriteCloser
		lines  *bufio.Scanner
		stderr lockedBuffer
	}
	children := make([]*child, n)
	for i := range children {
		c := &child{}
		c.cmd = exec.CommandContext(ctx, os.Args[0], "-test.run=^"+helperTest+"$", "-test.count=1")
		c.cmd.Env = append(append(os.Environ(), b.Env...), helperEnv+"=1", tokenURLEnv+"="+srv.URL)
		c.cmd.Stderr = &c.stderr
		var err error
		if c.stdin, err = c.cmd.StdinPipe(); err != nil {
			t.Fatal(err)
		}
		out, err := c.cmd.StdoutPipe()
		require.NoError(t, err)
		c.lines = bufio.NewScanner(out)
		require.NoError(t, c.cmd.Start())
		children[i] = c
	}
	next := func(c *child, prefix string) (string, error) {
		for c.lines.Scan() {
			if rest, ok := strings.CutPrefix(c.lines.Text(), prefix); ok {
				return rest, nil
			}
			if rest, ok := strings.CutPrefix(c.lines.Text(), "ERROR "); ok {
				return "", errors.New(rest)
			}
		}
		return "", fmt.Errorf("no %q line (stderr: %s)", prefix, c.stderr.String())
	}
	// Wait until every process has opened its store, then release them all
	// at once.
	for i, c := range children {
		if _, err := next(c, "READY"); err != nil {
			t.Fatalf("replica process %d: %v", i, err)
		}
	}
	for _, c := range children {
		fmt.Fprintln(c.stdin, "GO")
		c.stdin.Close()
	}
	res := Result{Tokens: make([]string, n)}
	for i, c := range children {
		at, err := next(c, "TOKEN ")
		if err != nil {
			t.Errorf("replica process %d: %v", i, err)
		}
		res.Tokens[i] = at
		for c.lines.Scan() { // drain
		}
		if err := c.cmd.Wait(); err != nil {
			t.Errorf("replica process %d: %v (stderr: %s)", i, err, c.stderr.String())
		}
	}
	res.Stats = fake.Stats()
	checkOneRefresh(t, seed, res)
}

// HelperProcess is the body of the helper test run by [Processes]. Outside
// a helper process it returns at once. Inside, it opens the shared store
// with open (which reads the Backend's Env from the environment), reports
// READY, waits for GO on stdin, gets a token from a TokenSource for [Key]
// and prints it.
func HelperProcess(t *testing.T, open func() (tokenstore.Store, func(), error)) {
	if os.Getenv(helperEnv) != "1" {
		t.Skip("helper process for the cross-process refresh test")
	}
	store, closeStore, err := open()
	if err != nil {
		fmt.Printf("ERROR opening the store: %v\n", err)
		return
	}
	defer closeStore()
	ts, err := Config(os.Getenv(tokenURLEnv)).TokenSource(store, Key)
	if err != nil {
		fmt.Printf("ERROR %v\n", err)
		return
	}
	fmt.Println("READY")
	if _, err := bufio.NewReader(os.Stdin).ReadString('\n'); err != nil {
		fmt.Printf("ERROR reading GO: %v\n", err)
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	tok, err := ts.TokenContext(ctx)
	if err != nil {
		fmt.Printf("ERROR %v\n", err)
		return
	}
	fmt.Printf("TOKEN %s\n", tok.AccessToken)
}

// lockedBuffer collects a process's stderr; it may be read while the process
// still writes.
type lockedBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
