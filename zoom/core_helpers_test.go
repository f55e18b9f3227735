package zoom

import (
	"context"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"
)

// fakeRT is an in-memory transport: it answers each request with the next
// scripted step and records what it saw. It needs no socket, so it works
// inside synctest bubbles.
type fakeRT struct {
	mu     sync.Mutex
	steps  []func(*http.Request) (*http.Response, error)
	reqs   []*http.Request
	auths  []string
	bodies []string
}

func (f *fakeRT) RoundTrip(r *http.Request) (*http.Response, error) {
	f.mu.Lock()
	var body string
	if r.Body != nil {
		b, _ := io.ReadAll(r.Body)
		body = string(b)
	}
	f.reqs = append(f.reqs, r)
	f.auths = append(f.auths, r.Header.Get("Authorization"))
	f.bodies = append(f.bodies, body)
	i := len(f.reqs) - 1
	var step func(*http.Request) (*http.Response, error)
	if i < len(f.steps) {
		step = f.steps[i]
	} else if len(f.steps) > 0 {
		step = f.steps[len(f.steps)-1]
	}
	f.mu.Unlock()
	if step == nil {
		return respond(500, nil, "")(r)
	}
	return step(r)
}

func (f *fakeRT) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.reqs)
}

// respond builds a scripted step.
func respond(status int, h map[string]string, body string) func(*http.Request) (*http.Response, error) {
	return func(r *http.Request) (*http.Response, error) {
		hdr := http.Header{}
		for k, v := range h {
			hdr.Set(k, v)
		}
		if body != "" && hdr.Get("Content-Type") == "" {
			hdr.Set("Content-Type", "application/json")
		}
		return &http.Response{
			StatusCode: status, Status: http.StatusText(status), Header: hdr,
			Body: io.NopCloser(strings.NewReader(body)), Request: r,
		}, nil
	}
}

func fail(err error) func(*http.Request) (*http.Response, error) {
	return func(*http.Request) (*http.Response, error) { return nil, err }
}

func newFakeClient(t testing.TB, rt http.RoundTripper, opts ...Option) *Client {
	t.Helper()
	base := []Option{
		WithHTTPClient(&http.Client{Transport: rt}),
		WithTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "tok-1", TokenType: "Bearer"})),
		WithBaseURL("https://api.zoom.test/v2"),
	}
	c, err := NewClient(append(base, opts...)...)
	require.NoError(t, err)
	return c
}

var (
	testGet  = &operation{Method: http.MethodGet, Path: "/meetings/{meetingId}", ID: "meeting", Rate: RateLight}
	testPost = &operation{Method: http.MethodPost, Path: "/users/{userId}/meetings", ID: "meetingCreate", Rate: RateLight}
)

type testMeeting struct {
	ID    int64  `json:"id"`
	Topic string `json:"topic"`
}

func callGet(ctx context.Context, c *Client) (*testMeeting, *Response, error) {
	var out testMeeting
	resp, err := c.call(ctx, testGet, buildPath(testGet.Path, "85746065"), nil, nil, &out)
	if err != nil {
		return nil, resp, err
	}
	return &out, resp, nil
}

func callPost(ctx context.Context, c *Client) (*Response, error) {
	return c.call(ctx, testPost, buildPath(testPost.Path, "me"), nil, map[string]string{"topic": "x"}, nil)
}
