package zoom

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"
)

func TestNewClientOptionsValidate(t *testing.T) {
	ts := oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "x"})
	bad := map[string][]Option{
		"no credentials":   nil,
		"nil token source": {WithTokenSource(nil)},
		"nil http client":  {WithTokenSource(ts), WithHTTPClient(nil)},
		"relative base":    {WithTokenSource(ts), WithBaseURL("/v2")},
		"ftp base":         {WithTokenSource(ts), WithBaseURL("ftp://api.zoom.us/v2")},
		"base with query":  {WithTokenSource(ts), WithBaseURL("https://api.zoom.us/v2?x=1")},
		"base with user":   {WithTokenSource(ts), WithBaseURL("https://u:p@api.zoom.us/v2")},
		"empty UA":         {WithTokenSource(ts), WithUserAgent(" ")},
		"UA newline":       {WithTokenSource(ts), WithUserAgent("a\r\nX-Evil: 1")},
		"nil logger":       {WithTokenSource(ts), WithLogger(nil)},
		"nil option":       {WithTokenSource(ts), nil},
	}
	for name, opts := range bad {
		_, err := NewClient(opts...)
		assert.Error(t, err, "%s: NewClient accepted", name)
	}
	c, err := NewClient(WithTokenSource(ts), WithBaseURL("https://api-eu.zoom.us/v2/"))
	require.NoError(t, err)
	require.Equal(t, "https://api-eu.zoom.us/v2", c.BaseURL(), "BaseURL = %q", c.BaseURL())
	if c.Meetings == nil || c.Webinars == nil || c.Users == nil || c.Groups == nil || c.Roles == nil ||
		c.Reports == nil || c.CloudRecordings == nil || c.Contacts == nil {
		t.Fatal("a service is nil")
	}
}

func TestRequestHeadersAndDecode(t *testing.T) {
	rt := &fakeRT{steps: []func(*http.Request) (*http.Response, error){
		respond(200, map[string]string{"x-zm-trackingid": "v=2.0;clid=us02;rid=WEB_1", "X-RateLimit-Category": "Light", "X-RateLimit-Limit": "30", "X-RateLimit-Remaining": "29"}, meetingJSON),
	}}
	c := newFakeClient(t, rt, WithUserAgent("app/1.0"))
	m, resp, err := callGet(t.Context(), c)
	require.NoError(t, err)
	r := rt.reqs[0]
	require.Equal(t, "https://api.zoom.test/v2/meetings/85746065", r.URL.String(), "request %s %s", r.Method, r.URL)
	require.Equal(t, "GET", r.Method, "request %s %s", r.Method, r.URL)
	require.Equal(t, "Bearer tok-1", rt.auths[0], "headers %v", r.Header)
	require.Equal(t, "app/1.0", r.Header.Get("User-Agent"), "headers %v", r.Header)
	require.Equal(t, "application/json", r.Header.Get("Accept"), "headers %v", r.Header)
	if m.Topic != "Standup" || resp.TrackingID != "v=2.0;clid=us02;rid=WEB_1" {
		t.Fatalf("m=%+v tracking=%q", m, resp.TrackingID)
	}
	require.Equal(t, "Light", resp.RateLimit.Category, "rate limit %+v", resp.RateLimit)
	require.Equal(t, 30, resp.RateLimit.Limit, "rate limit %+v", resp.RateLimit)
	require.Equal(t, 29, resp.RateLimit.Remaining, "rate limit %+v", resp.RateLimit)
}

func TestQueryAndBodyEncoding(t *testing.T) {
	rt := &fakeRT{steps: []func(*http.Request) (*http.Response, error){respond(204, nil, "")}}
	c := newFakeClient(t, rt)
	type opts struct {
		Type     string `url:"type,omitempty"`
		PageSize int    `url:"page_size,omitempty"`
		From     Date   `url:"from,omitempty"`
	}
	op := &operation{Method: "PATCH", Path: "/meetings/{meetingId}", ID: "meetingUpdate"}
	_, err := c.call(t.Context(), op, buildPath(op.Path, "1"), &opts{Type: "upcoming", From: Date{2026, 11, 2}}, map[string]any{"topic": "T"}, nil)
	require.NoError(t, err)
	got := rt.reqs[0].URL.RawQuery
	require.Equal(t, "from=2026-11-02&type=upcoming", got, "query %q", got)
	if rt.bodies[0] != `{"topic":"T"}` || rt.reqs[0].Header.Get("Content-Type") != "application/json" {
		t.Fatalf("body %q", rt.bodies[0])
	}
	var nilOpts *opts
	_, err = c.call(t.Context(), op, "/meetings/1", nilOpts, nil, nil)
	require.NoError(t, err)
	require.Equal(t, "", rt.reqs[1].URL.RawQuery, "typed nil options sent %q", rt.reqs[1].URL.RawQuery)
}

func TestNonJSONErrorBody(t *testing.T) {
	html := "<html><head><title>502 Bad Gateway</title></head><body>" + strings.Repeat("x", 5000) + "</body></html>"
	rt := &fakeRT{steps: []func(*http.Request) (*http.Response, error){respond(502, map[string]string{"Content-Type": "text/html"}, html)}}
	c := newFakeClient(t, rt, WithRetryPolicy(RetryPolicy{MaxAttempts: 1}))
	_, _, err := callGet(t.Context(), c)
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr, "err = %T %v, want *APIError", err, err)
	require.Equal(t, 502, apiErr.StatusCode, "APIError = %+v", apiErr)
	require.True(t, strings.HasPrefix(apiErr.Body, "<html><head><title>502"), "APIError = %+v", apiErr)
	require.LessOrEqual(t, len(apiErr.Body), 520, "APIError = %+v", apiErr)
	require.NotContains(t, err.Error(), "invalid character", "error text %q", err.Error())
	require.LessOrEqual(t, len(err.Error()), 400, "error text %q", err.Error())
}

func TestZoomErrorBody(t *testing.T) {
	body := `{"code":300,"message":"Validation Failed.","errors":[{"field":"user_info.email","message":"Invalid field."}]}`
	rt := &fakeRT{steps: []func(*http.Request) (*http.Response, error){respond(400, map[string]string{"x-zm-trackingid": "rid-1"}, body)}}
	c := newFakeClient(t, rt)
	_, _, err := callGet(t.Context(), c)
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr, "err = %v", err)
	require.ErrorIs(t, err, ErrBadRequest, "err = %v", err)
	require.NotErrorIs(t, err, ErrNotFound, "err = %v", err)
	want := "zoom: GET /meetings/{meetingId}: 400 (code 300): Validation Failed. [user_info.email: Invalid field.]"
	require.Equal(t, want, err.Error(), "got %q / %+v", err.Error(), apiErr)
	require.Equal(t, "rid-1", apiErr.TrackingID, "got %q / %+v", err.Error(), apiErr)
	require.Len(t, apiErr.Errors, 1, "got %q / %+v", err.Error(), apiErr)
}

func TestErrorSentinels(t *testing.T) {
	for _, tc := range []struct {
		status, code int
		want         []error
		not          []error
	}{
		{404, 3001, []error{ErrNotFound}, []error{ErrBadRequest, ErrUnauthorized}},
		{400, 1001, []error{ErrNotFound, ErrBadRequest}, nil},
		{401, 124, []error{ErrUnauthorized}, []error{ErrForbidden}},
		{400, 4700, []error{ErrMissingScopes, ErrBadRequest}, nil},
		{403, 0, []error{ErrForbidden}, nil},
		{409, 1005, []error{ErrConflict}, nil},
		{500, 0, []error{ErrServer}, []error{ErrRateLimited}},
	} {
		e := &APIError{StatusCode: tc.status, Code: tc.code}
		for _, w := range tc.want {
			assert.ErrorIs(t, e, w, "%d/%d should match %v", tc.status, tc.code, w)
		}
		for _, n := range tc.not {
			assert.NotErrorIs(t, e, n, "%d/%d should not match %v", tc.status, tc.code, n)
		}
	}
}

// refreshingSource is a token source that can force a refresh, as
// oauth.TokenSource does.
type refreshingSource struct {
	mu      sync.Mutex
	current string
	forced  int
}

func (s *refreshingSource) Token() (*oauth2.Token, error) {
	return s.TokenContext(context.Background())
}

func (s *refreshingSource) TokenContext(context.Context) (*oauth2.Token, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return &oauth2.Token{AccessToken: s.current}, nil
}

func (s *refreshingSource) ForceRefresh(_ context.Context, rejected *oauth2.Token) (*oauth2.Token, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.forced++
	if rejected.AccessToken == s.current {
		s.current = fmt.Sprintf("tok-%d", s.forced+1)
	}
	return &oauth2.Token{AccessToken: s.current}, nil
}

func TestCode124ForcesOneRefreshAndOneReplay(t *testing.T) {
	expired := respond(401, nil, `{"code":124,"message":"Invalid access token."}`)
	rt := &fakeRT{steps: []func(*http.Request) (*http.Response, error){expired, respond(201, nil, meetingJSON)}}
	src := &refreshingSource{current: "tok-1"}
	c, err := NewClient(WithHTTPClient(&http.Client{Transport: rt}), WithTokenSource(src))
	require.NoError(t, err)
	// Even a POST is replayed: Zoom refused it before doing anything.
	_, err = callPost(t.Context(), c)
	require.NoError(t, err)
	require.Equal(t, 1, src.forced, "forced %d, auths %q", src.forced, rt.auths)
	require.Equal(t, 2, rt.count(), "forced %d, auths %q", src.forced, rt.auths)
	require.Equal(t, "Bearer tok-1", rt.auths[0], "forced %d, auths %q", src.forced, rt.auths)
	require.Equal(t, "Bearer tok-2", rt.auths[1], "forced %d, auths %q", src.forced, rt.auths)

	// A second 124 after the replay is returned, not looped on.
	rt2 := &fakeRT{steps: []func(*http.Request) (*http.Response, error){expired}}
	src2 := &refreshingSource{current: "tok-1"}
	c2, _ := NewClient(WithHTTPClient(&http.Client{Transport: rt2}), WithTokenSource(src2))
	_, _, err = callGet(t.Context(), c2)
	require.ErrorIs(t, err, ErrUnauthorized, "err %v, forced %d, requests %d", err, src2.forced, rt2.count())
	require.Equal(t, 1, src2.forced, "err %v, forced %d, requests %d", err, src2.forced, rt2.count())
	require.Equal(t, 2, rt2.count(), "err %v, forced %d, requests %d", err, src2.forced, rt2.count())

	// A 401 with another code is not a token problem to refresh.
	rt3 := &fakeRT{steps: []func(*http.Request) (*http.Response, error){respond(401, nil, `{"code":4711,"message":"x"}`)}}
	src3 := &refreshingSource{current: "tok-1"}
	c3, _ := NewClient(WithHTTPClient(&http.Client{Transport: rt3}), WithTokenSource(src3))
	_, _, err = callGet(t.Context(), c3)
	require.ErrorIs(t, err, ErrUnauthorized, "err %v forced %d", err, src3.forced)
	require.Equal(t, 0, src3.forced, "err %v forced %d", err, src3.forced)
}

type failingSource struct{ err error }

func (f failingSource) Token() (*oauth2.Token, error) { return nil, f.err }

func TestTokenSourceErrorWrapped(t *testing.T) {
	sentinel := errors.New("reauthorize")
	rt := &fakeRT{}
	c, _ := NewClient(WithHTTPClient(&http.Client{Transport: rt}), WithTokenSource(failingSource{sentinel}))
	_, _, err := callGet(t.Context(), c)
	var te *TokenError
	require.ErrorIs(t, err, sentinel, "err = %v, requests %d", err, rt.count())
	require.ErrorAs(t, err, &te, "err = %v, requests %d", err, rt.count())
	require.Equal(t, 0, rt.count(), "err = %v, requests %d", err, rt.count())
}

func TestAuthorizationNotSentToAnotherHost(t *testing.T) {
	var otherAuth atomic.Value
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		otherAuth.Store(r.Header.Get("Authorization") + "|" + r.Header.Get("Cookie"))
		io.WriteString(w, meetingJSON)
	}))
	defer other.Close()
	var sameHostAuth atomic.Value
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/v2/meetings/1" {
			http.Redirect(w, r, "/v2/meetings/2", http.StatusFound)
			return
		}
		if r.URL.Path == "/v2/meetings/2" {
			sameHostAuth.Store(r.Header.Get("Authorization"))
			http.Redirect(w, r, other.URL+"/file", http.StatusFound)
			return
		}
		http.NotFound(w, r)
	}))
	defer api.Close()
	c, err := NewClient(WithBaseURL(api.URL+"/v2"), WithHTTPClient(api.Client()),
		WithTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "SECRET-AT"})))
	require.NoError(t, err)
	var out testMeeting
	_, err = c.call(t.Context(), testGet, "/meetings/1", nil, nil, &out)
	require.NoError(t, err)
	require.Equal(t, "Bearer SECRET-AT", sameHostAuth.Load(), "same-host redirect lost the token: %v", sameHostAuth.Load())
	got := otherAuth.Load()
	require.Equal(t, "|", got, "other host received %q", got)
	require.Equal(t, int64(85746065), out.ID, "decoded %+v", out)
	api.Client().CloseIdleConnections()
}

func TestLenientDecoding(t *testing.T) {
	// A field of an unexpected type is left zero; the rest decodes.
	rt := &fakeRT{steps: []func(*http.Request) (*http.Response, error){respond(200, nil, `{"id":"not-a-number","topic":"Kept","unknown":{"a":[1,2]}}`)}}
	c := newFakeClient(t, rt)
	m, resp, err := callGet(t.Context(), c)
	require.NoError(t, err, "m = %+v err = %v", m, err)
	require.Equal(t, "Kept", m.Topic, "m = %+v err = %v", m, err)
	if len(resp.DecodeWarnings) != 1 || resp.DecodeWarnings[0] != (DecodeWarning{Field: "id", Want: "int64", Got: "string"}) {
		t.Fatalf("DecodeWarnings = %+v", resp.DecodeWarnings)
	}
	// Malformed JSON in a 200 is a DecodeError.
	rt = &fakeRT{steps: []func(*http.Request) (*http.Response, error){respond(200, nil, `{"id":`)}}
	c = newFakeClient(t, rt)
	_, _, err = callGet(t.Context(), c)
	var de *DecodeError
	require.ErrorAs(t, err, &de, "err = %v, want *DecodeError", err)
	// An empty 200 body where the operation returns one is a DecodeError
	// too (operations without a body, such as PUT /users/{userId}/status,
	// ignore it: see TestWrongShapeIsDecodeError).
	rt = &fakeRT{steps: []func(*http.Request) (*http.Response, error){respond(200, nil, "")}}
	c = newFakeClient(t, rt)
	_, _, err = callGet(t.Context(), c)
	require.ErrorAs(t, err, &de, "err = %v, want *DecodeError", err)
}

func TestSecretsNeverInLogsOrErrors(t *testing.T) {
	const canaryAT = "CANARY-AT-7f3a"
	var logs bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	steps := []func(*http.Request) (*http.Response, error){
		respond(503, nil, ""),
		respond(404, nil, `{"code":3001,"message":"Meeting does not exist: 1."}`),
		fail(errors.New("dial tcp: connection refused")),
	}
	for _, step := range steps {
		rt := &fakeRT{steps: []func(*http.Request) (*http.Response, error){step}}
		c, err := NewClient(WithHTTPClient(&http.Client{Transport: rt}), WithLogger(logger),
			WithRetryPolicy(RetryPolicy{MaxAttempts: 2, MinBackoff: 1, MaxBackoff: 1}),
			WithTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: canaryAT})))
		require.NoError(t, err)
		q := struct {
			Token string `url:"access_token"`
		}{canaryAT}
		_, err = c.call(t.Context(), testGet, "/meetings/1", &q, nil, nil)
		require.Error(t, err, "want error")
		for _, s := range []string{err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err)} {
			require.NotContains(t, s, canaryAT, "canary in error: %s", s)
		}
	}
	if logs.Len() == 0 {
		t.Fatal("nothing logged at debug level")
	}
	require.NotContains(t, logs.String(), canaryAT, "canary in logs: %s", logs.String())
	if s := fmt.Sprintf("%v %+v %#v", Secret("https://zoom.us/s/1?zak=CANARY"), struct{ S Secret }{"CANARY"}, Secret("CANARY")); strings.Contains(s, "CANARY") {
		t.Fatalf("Secret printed: %s", s)
	}
}

func FuzzParseErrorBody(f *testing.F) {
	for _, s := range []string{
		`{"code":3001,"message":"Meeting does not exist: 1."}`,
		`{"code":"124","message":"Invalid access token."}`,
		`{"code":300,"message":"Validation Failed.","errors":[{"field":"email","message":"Invalid field."}]}`,
		`{"reason":"Invalid Token!","error":"invalid_grant"}`,
		`<html>502</html>`, ``, `null`, `[]`, `{"code":1e400}`, "\xff\xfe",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		e := &APIError{Method: "GET", Path: "/x", StatusCode: 400}
		parseErrorBody(e, []byte(body))
		s := e.Error()
		require.True(t, strings.HasPrefix(s, "zoom: GET /x: 400"), "Error() = %q", s)
		require.LessOrEqual(t, len(e.Body), 520, "Body not truncated: %d bytes", len(e.Body))
	})
}

func TestAuthorizationNotSentToSubdomainOnRedirect(t *testing.T) {
	// net/http itself forwards Authorization to subdomains; the client must not.
	rt := &fakeRT{steps: []func(*http.Request) (*http.Response, error){
		respond(302, map[string]string{"Location": "https://files.api.zoom.test/rec/1"}, ""),
		respond(200, nil, meetingJSON),
	}}
	c := newFakeClient(t, rt)
	_, _, err := callGet(t.Context(), c)
	require.NoError(t, err)
	require.Equal(t, 2, rt.count(), "requests: %d", rt.count())
	require.Equal(t, "files.api.zoom.test", rt.reqs[1].URL.Host, "requests: %d", rt.count())
	if rt.auths[0] == "" || rt.auths[1] != "" {
		t.Fatalf("Authorization headers: %q", rt.auths)
	}
}
