package zoomtest_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"syscall"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zoomkit/zoomkit/oauth"
	"github.com/zoomkit/zoomkit/tokenstore"
	"github.com/zoomkit/zoomkit/zoom"
	"github.com/zoomkit/zoomkit/zoom/zoomtest"
)

func statuses(s *zoomtest.Server, op string) []int {
	var out []int
	for _, r := range s.Requests() {
		if r.Operation == op {
			out = append(out, r.Status)
		}
	}
	return out
}

func TestRateLimitsPerSecondAndDaily(t *testing.T) {
	s, clk := start(t, zoomtest.WithRateLimits(zoomtest.PlanPro), zoomtest.WithDailyMeetingLimit(3))
	tok := token(t, s, "me")
	// LIGHT allows 30 per second on Pro; the clock does not move.
	var last answer
	for range 30 {
		last = do(t, s, tok, "GET", "/users/me", nil)
	}
	require.Equal(t, 200, last.Status, "30th request: %d %v", last.Status, last.Header)
	require.Equal(t, "Light", last.Header.Get("X-RateLimit-Category"), "30th request: %d %v", last.Status, last.Header)
	require.Equal(t, "0", last.Header.Get("X-RateLimit-Remaining"), "30th request: %d %v", last.Status, last.Header)
	a := do(t, s, tok, "GET", "/users/me", nil)
	if a.Status != 429 || code(a) != 429 || a.Header.Get("X-RateLimit-Type") != "QPS" ||
		a.Body["message"] != "You have reached the maximum per-second rate limit for this API. Try again later." {
		t.Fatalf("31st request: %d %v %s", a.Status, a.Header, a.Raw)
	}
	// MEDIUM has its own budget.
	if a := do(t, s, tok, "GET", "/users", nil); a.Status != 200 || a.Header.Get("X-RateLimit-Category") != "Medium" {
		t.Errorf("medium: %d", a.Status)
	}
	clk.Advance(time.Second)
	a = do(t, s, tok, "GET", "/users/me", nil)
	assert.Equal(t, 200, a.Status, "next second: %d", a.Status)

	// The host's daily create/update limit (3 here), reset at 00:00 UTC.
	c := s.Client("me", fastRetry())
	ctx := context.Background()
	for i := range 3 {
		clk.Advance(time.Second)
		_, _, err := c.Meetings.Create(ctx, "me", &zoom.CreateMeetingRequest{Topic: "m"})
		require.NoError(t, err, "create %d", i)
	}
	_, _, err := c.Meetings.Create(ctx, "me", &zoom.CreateMeetingRequest{Topic: "one too many"})
	var rl *zoom.RateLimitError
	if !errors.As(err, &rl) || !errors.Is(err, zoom.ErrDailyLimit) || rl.RetryAt.IsZero() {
		t.Fatalf("4th create: %v", err)
	}
	y, m, d := clk.Now().Date()
	clk.Advance(time.Date(y, m, d+1, 0, 0, 1, 0, time.UTC).Sub(clk.Now()))
	_, _, err = c.Meetings.Create(ctx, "me", &zoom.CreateMeetingRequest{Topic: "tomorrow"})
	assert.NoError(t, err, "after midnight")
}

func TestRateLimitsFreePlanDaily(t *testing.T) {
	s, clk := start(t, zoomtest.WithRateLimits(zoomtest.PlanFree))
	tok := token(t, s, "me")
	// HEAVY: 1 per second, 1000 per day on Free.
	for i := range 1000 {
		clk.Advance(time.Second)
		a := do(t, s, tok, "GET", "/report/users/me/meetings?from=2026-03-01&to=2026-03-10", nil)
		require.Equal(t, 200, a.Status, "request %d: %d %s", i, a.Status, a.Raw)
	}
	clk.Advance(time.Second)
	a := do(t, s, tok, "GET", "/report/users/me/meetings?from=2026-03-01&to=2026-03-10", nil)
	if a.Status != 429 || a.Header.Get("X-RateLimit-Type") != "Daily-limit" || a.Header.Get("Retry-After") == "" {
		t.Errorf("1001st heavy request: %d %v %s", a.Status, a.Header, a.Raw)
	}
}

func TestFaults(t *testing.T) {
	s, _ := start(t)
	c := s.Client("me", fastRetry())
	ctx := context.Background()

	// 5xx for the next two requests: a GET is retried.
	err := s.FailNext(2, 503)
	require.NoError(t, err)
	_, _, err = c.Users.Get(ctx, "me", nil)
	require.NoError(t, err, "GET after two 503s")
	if got := statuses(s, "user"); !equalInts(got, []int{503, 503, 200}) {
		t.Errorf("statuses %v", got)
	}

	// A create is not retried after a 500.
	_ = s.FailNext(1, 500)
	_, _, err = c.Meetings.Create(ctx, "me", &zoom.CreateMeetingRequest{Topic: "x"})
	assert.ErrorIs(t, err, zoom.ErrServer, "create after a 500: %v", err)

	// Connection resets: a GET is retried, a POST is not.
	_ = s.ResetNext(1)
	_, _, err = c.Users.Get(ctx, "me", nil)
	assert.NoError(t, err, "GET after a reset")
	_ = s.InjectFault(zoomtest.Fault{Operation: "meetingCreate", Count: 1, Reset: true})
	_, _, err = c.Meetings.Create(ctx, "me", &zoom.CreateMeetingRequest{Topic: "x"})
	var ne *zoom.NetworkError
	assert.ErrorAs(t, err, &ne, "create after a reset: %v", err)
	if len(s.Meetings("me")) != 0 {
		t.Error("a meeting was created")
	}

	// A storm of 429s is ridden out.
	_ = s.RateLimitStorm(2)
	_, _, err = c.Users.Get(ctx, "me", nil)
	assert.NoError(t, err, "GET through a 429 storm")

	// Latency ends with the caller's context.
	_ = s.SetLatency(time.Minute)
	cctx, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	_, _, err = c.Users.Get(cctx, "me", nil)
	cancel()
	assert.ErrorIs(t, err, context.DeadlineExceeded, "slow answer: %v", err)
	s.ClearFaults()
	_, _, err = c.Users.Get(ctx, "me", nil)
	assert.NoError(t, err, "after ClearFaults")
	err = s.InjectFault(zoomtest.Fault{Count: 0, Status: 500})
	assert.Error(t, err, "a zero count was accepted")
}

// The in-memory transport works inside a synctest bubble, where time is
// fake: a minute of latency passes at once.
func TestTransportInSynctest(t *testing.T) {
	s := zoomtest.NewTestServer(t)
	tok := token(t, s, "me")
	synctest.Test(t, func(t *testing.T) {
		hc := &http.Client{Transport: s.Transport()}
		c, err := zoom.NewClient(zoom.WithBaseURL(s.APIURL()), zoom.WithHTTPClient(hc), zoom.WithTokenSource(staticToken(tok)))
		require.NoError(t, err)
		_ = s.SetLatency(time.Minute)
		defer s.ClearFaults()
		start := time.Now()
		u, _, err := c.Users.Get(context.Background(), "me", nil)
		require.NoError(t, err, "get: %+v %v", u, err)
		require.Equal(t, s.OwnerID(), u.ID, "get: %+v %v", u, err)
		d := time.Since(start)
		assert.Equal(t, time.Minute, d, "took %v of bubble time", d)
		s.ClearFaults()
		_ = s.ResetNext(1)
		req, _ := http.NewRequest("GET", s.APIURL()+"/users/me", nil)
		_, err = hc.Do(req)
		assert.ErrorIs(t, err, syscall.ECONNRESET, "reset through the transport: %v", err)
	})
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestTokenEndpointFaults(t *testing.T) {
	s, _ := start(t, zoomtest.WithAccount("acct-1"))
	cfg := oauthConfig(s)
	_ = s.InjectFault(zoomtest.Fault{Operation: "oauth.token", Count: 1, Status: 503})
	clk := newClock()
	ts, _ := cfg.ServerToServer("acct-1", oauth.WithClock(clk.Now))
	_, err := ts.Token()
	var te *oauth.TokenError
	require.ErrorAs(t, err, &te, "token during an outage: %v", err)
	require.Equal(t, 503, te.StatusCode, "token during an outage: %v", err)
	require.True(t, te.Temporary(), "token during an outage: %v", err)
	clk.Advance(oauth.DefaultRefreshBackoff) // the token source backs off after a failure
	_, err = ts.Token()
	require.NoError(t, err, "token after the outage")
	// API faults leave the token endpoint alone.
	_ = s.FailNext(1, 500)
	ts2, _ := cfg.ServerToServer("acct-1", oauth.WithStore(tokenstore.NewMemory(), "other"))
	_, err = ts2.Token()
	assert.NoError(t, err, "token with an API fault pending")
	got := s.TokenRequests()["account_credentials"]
	assert.Equal(t, 3, got, "account_credentials requests = %d, want 3", got)
}

func TestGroupCreateDailyLimit(t *testing.T) {
	s, clk := start(t, zoomtest.WithRateLimits(zoomtest.PlanBusiness))
	tok := token(t, s, "me")
	for i := range 100 {
		if i%50 == 0 {
			clk.Advance(time.Second)
		}
		a := do(t, s, tok, "POST", "/groups", map[string]any{"name": fmt.Sprintf("g%d", i)})
		require.Equal(t, 201, a.Status, "group %d: %d %s", i, a.Status, a.Raw)
	}
	clk.Advance(time.Second)
	if a := do(t, s, tok, "POST", "/groups", map[string]any{"name": "one too many"}); a.Status != 429 || a.Header.Get("X-RateLimit-Type") != "Daily-limit" {
		t.Errorf("101st group: %d %s", a.Status, a.Raw)
	}
}
