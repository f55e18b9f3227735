package zoomtest_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"
	"golang.org/x/oauth2"

	"github.com/stretchr/testify/require"
	"github.com/zoomkit/zoomkit/zoom"
	"github.com/zoomkit/zoomkit/zoom/zoomtest"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// clock is a settable clock for the server.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// start returns a server with a fixed clock.
func start(t *testing.T, opts ...zoomtest.Option) (*zoomtest.Server, *clock) {
	t.Helper()
	return startAt(t, newClock().Now(), opts...)
}

// startAt returns a server whose clock starts at t0 (calls that the zoom
// client checks against the real date need a clock near it).
func startAt(t *testing.T, t0 time.Time, opts ...zoomtest.Option) (*zoomtest.Server, *clock) {
	t.Helper()
	clk := &clock{t: t0}
	s := zoomtest.NewTestServer(t, append([]zoomtest.Option{zoomtest.WithClock(clk.Now)}, opts...)...)
	zoomtest.CheckResponses(s, func(err error) { t.Errorf("the fake's answer does not match the documents: %v", err) })
	return s, clk
}

// fastRetry makes the zoom client's retries quick.
func fastRetry() zoom.Option {
	return zoom.WithRetryPolicy(zoom.RetryPolicy{MaxAttempts: 4, MinBackoff: time.Millisecond, MaxBackoff: 5 * time.Millisecond, MaxRetryAfter: time.Second})
}

// answer is a raw HTTP answer.
type answer struct {
	Status int
	Header http.Header
	Body   map[string]any
	Raw    string
}

// do sends a raw API request with token (path relative to /v2).
func do(t *testing.T, s *zoomtest.Server, token, method, path string, body any) answer {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		require.NoError(t, err)
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, s.APIURL()+path, rd)
	require.NoError(t, err)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := s.HTTPClient().Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	a := answer{Status: resp.StatusCode, Header: resp.Header, Raw: string(raw)}
	if len(bytes.TrimSpace(raw)) > 0 && strings.HasPrefix(strings.TrimSpace(string(raw)), "{") {
		err := json.Unmarshal(raw, &a.Body)
		require.NoError(t, err, "%s %s: bad JSON %q", method, path, raw)
	}
	return a
}

// token mints a token for user (all scopes unless named).
func token(t *testing.T, s *zoomtest.Server, user string, scopes ...string) string {
	t.Helper()
	tok, err := s.AccessToken(user, scopes...)
	require.NoError(t, err)
	return tok
}

func code(a answer) int {
	n, _ := a.Body["code"].(float64)
	return int(n)
}

func staticToken(tok string) oauth2.TokenSource {
	return oauth2.StaticTokenSource(&oauth2.Token{AccessToken: tok, TokenType: "Bearer"})
}
