package zoom

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/zoomkit/zoomkit/internal/spec"
)

// testBase is the base URL of the clients made by setup: Zoom's own, so
// that requests carry the paths of the OpenAPI documents.
const testBase = "https://api.zoom.us/v2"

// recordedRequest is one request a test client sent.
type recordedRequest struct {
	Method string
	Path   string // escaped path below /v2
	Query  string // raw query
	Header http.Header
	Body   []byte
	OpID   string // operation the request matched in the spec
}

// recordingTransport records every request and validates it against the
// trimmed OpenAPI documents before handing it to the mock transport: a
// request that does not validate fails the test that sent it.
type recordingTransport struct {
	t    testing.TB
	next http.RoundTripper

	mu   sync.Mutex
	reqs []recordedRequest
}

func (rt *recordingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	var body []byte
	if r.Body != nil {
		var err error
		body, err = io.ReadAll(r.Body)
		if err != nil {
			return nil, err
		}
		_ = r.Body.Close()
	}
	rec := recordedRequest{
		Method: r.Method,
		Path:   r.URL.EscapedPath(),
		Query:  r.URL.RawQuery,
		Header: r.Header.Clone(),
		Body:   body,
	}
	if len(rec.Path) >= 3 && rec.Path[:3] == "/v2" {
		rec.Path = rec.Path[3:]
	}
	rec.OpID = validateRequest(rt.t, r, body)
	rt.mu.Lock()
	rt.reqs = append(rt.reqs, rec)
	rt.mu.Unlock()
	r2 := r.Clone(r.Context())
	r2.Body = io.NopCloser(bytes.NewReader(body))
	return rt.next.RoundTrip(r2)
}

// requests returns the recorded requests.
func (rt *recordingTransport) requests() []recordedRequest {
	rt.mu.Lock()
	defer rt.mu.Unlock()
	return append([]recordedRequest(nil), rt.reqs...)
}

// last returns the last recorded request; it fails the test when there is none.
func (rt *recordingTransport) last(t testing.TB) recordedRequest {
	t.Helper()
	reqs := rt.requests()
	require.NotEmpty(t, reqs, "no request was sent")
	return reqs[len(reqs)-1]
}

// toleratedRequests records the request contradictions (spec.Contradictions)
// that a validation error was tolerated for, so a test can tell stale
// entries.
var toleratedRequests sync.Map

// validateRequest validates r against the documents and returns the
// operationId it matched; a mismatch is a test error.
func validateRequest(t testing.TB, r *http.Request, body []byte) string {
	t.Helper()
	s, err := spec.Load()
	require.NoError(t, err, "loading spec")
	vr := r.Clone(context.Background())
	vr.Body = io.NopCloser(bytes.NewReader(body))
	op, err := s.ValidateRequest(context.Background(), vr, "/v2")
	if op != nil {
		if c, ok := spec.Tolerated(op.ID, "request", err); ok {
			// Zoom's document contradicts itself here; see spec.Contradictions.
			t.Logf("%s: tolerated contradiction in the documents (%s): %v", op.ID, c.Defect, err)
			toleratedRequests.Store(op.ID, true)
			err = nil
		}
	}
	if err != nil {
		t.Errorf("request does not validate against the OpenAPI documents:\n%s %s\nbody: %s\n%v", r.Method, r.URL, body, err)
		if op == nil {
			return ""
		}
		return op.ID
	}
	return op.ID
}

// setup returns a client whose requests go through a recording,
// validating transport to a fresh httpmock transport.
func setup(t testing.TB) (*Client, *httpmock.MockTransport) {
	c, mt, _ := setupRec(t)
	return c, mt
}

// setupRec is setup that also returns the recorder.
func setupRec(t testing.TB) (*Client, *httpmock.MockTransport, *recordingTransport) {
	t.Helper()
	mt := httpmock.NewMockTransport()
	rec := &recordingTransport{t: t, next: mt}
	c, err := NewClient(
		WithHTTPClient(&http.Client{Transport: rec}),
		WithTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "test-token", TokenType: "Bearer"})),
		WithBaseURL(testBase),
		WithRetryPolicy(RetryPolicy{MaxAttempts: 2, MinBackoff: time.Millisecond, MaxBackoff: time.Millisecond, MaxRetryAfter: time.Millisecond}),
	)
	require.NoError(t, err)
	return c, mt, rec
}

// fixture returns the bytes of testdata/name.
func fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", filepath.FromSlash(name)))
	require.NoError(t, err)
	return b
}

// replyJSON makes every request answer status with body.
func replyJSON(mt *httpmock.MockTransport, status int, body []byte) {
	mt.RegisterNoResponder(func(*http.Request) (*http.Response, error) {
		r := httpmock.NewBytesResponse(status, body)
		r.Header.Set("Content-Type", "application/json")
		return r, nil
	})
}

// jsonEqual reports whether two JSON documents are equal as values.
func jsonEqual(t testing.TB, got []byte, want string) {
	t.Helper()
	var g, w any
	err := json.Unmarshal(got, &g)
	require.NoError(t, err, "body %q is not JSON", got)
	err = json.Unmarshal([]byte(want), &w)
	require.NoError(t, err, "bad want %q", want)
	gb, _ := json.Marshal(g)
	wb, _ := json.Marshal(w)
	assert.True(t, bytes.Equal(gb, wb), "body = %s\nwant   %s", gb, wb)
}

// apiCase is one call of a service method against a canned response.
type apiCase struct {
	name   string
	call   func(ctx context.Context, c *Client) (any, *Response, error)
	status int    // response status (200 when zero)
	resp   []byte // response body (none when nil)
	method string // wanted method
	path   string // wanted escaped path below /v2
	query  string // wanted query, compared as values ("" for none)
	body   string // wanted JSON body ("" for none)
	check  func(t *testing.T, out any)
}

// runCases runs each case in a subtest with its own client.
func runCases(t *testing.T, cases []apiCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, mt, rec := setupRec(t)
			status := tc.status
			if status == 0 {
				status = http.StatusOK
			}
			replyJSON(mt, status, tc.resp)
			out, resp, err := tc.call(context.Background(), c)
			require.NoError(t, err)
			require.NotNil(t, resp, "response = %+v, want status %d", resp, status)
			require.Equal(t, status, resp.StatusCode, "response = %+v, want status %d", resp, status)
			r := rec.last(t)
			assert.Equal(t, tc.method, r.Method, "request = %s %s, want %s %s", r.Method, r.Path, tc.method, tc.path)
			assert.Equal(t, tc.path, r.Path, "request = %s %s, want %s %s", r.Method, r.Path, tc.method, tc.path)
			gotQ, _ := url.ParseQuery(r.Query)
			wantQ, _ := url.ParseQuery(tc.query)
			assert.Equal(t, wantQ, gotQ, "query = %q, want %q", r.Query, tc.query)
			switch {
			case tc.body == "" && len(r.Body) != 0:
				t.Errorf("body = %s, want none", r.Body)
			case tc.body != "":
				ct := r.Header.Get("Content-Type")
				assert.Equal(t, "application/json", ct, "Content-Type = %q", ct)
				jsonEqual(t, r.Body, tc.body)
			}
			got := r.Header.Get("Authorization")
			assert.Equal(t, "Bearer test-token", got, "Authorization = %q", got)
			if tc.check != nil {
				tc.check(t, out)
			}
		})
	}
}

// noOut adapts a method without a response body to apiCase.call.
func noOut(resp *Response, err error) (any, *Response, error) { return nil, resp, err }

// wantArgError checks that err is an *ArgumentError naming arg and that no
// request was sent.
func wantArgError(t *testing.T, rec *recordingTransport, err error, arg string) {
	t.Helper()
	var ae *ArgumentError
	require.ErrorAs(t, err, &ae, "error = %v, want an *ArgumentError", err)
	require.ErrorIs(t, err, ErrInvalidArgument, "error = %v, want an *ArgumentError", err)
	assert.Equal(t, arg, ae.Arg, "Arg = %q, want %q", ae.Arg, arg)
	n := len(rec.requests())
	assert.Equal(t, 0, n, "%d requests sent, want none", n)
}
