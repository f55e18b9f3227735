package zoomtest

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/zoomkit/zoomkit/internal/spec"
	"github.com/zoomkit/zoomkit/zoom"
)

// Server is a fake Zoom running in-process: the REST API under /v2, the
// OAuth endpoints under /oauth, and webhook delivery to subscribed URLs.
// Create one with [NewServer] and Close it when done. A Server is safe for
// concurrent use.
type Server struct {
	cfg  config
	spec *spec.Spec
	ops  map[string]*opInfo // by operationId
	apps []*app             // the default app first
	// handlers implement the operations, by operationId.
	handlers map[string]handlerFunc
	ts       *httptest.Server
	mux      http.Handler

	mu sync.Mutex // guards st
	st *state

	// inflight counts the deliveries under way (guarded by mu); idle is
	// signalled when it drops to 0. Not a sync.WaitGroup: deliveries run
	// inside testing/synctest bubbles too, and Close may wait outside.
	inflight  int
	idle      *sync.Cond
	closed    bool // guarded by mu
	whClient  *http.Client
	whTr      *http.Transport
	closeOnce sync.Once

	// canned holds the answers of operations the fake does not model.
	canned cannedAnswers

	// ctl serves the console and control endpoints (WithControl).
	ctl *control

	// ws holds the WebSocket event subscriptions (ws.go).
	ws wsHub

	// respCheck, when set (by tests), sees every successful JSON answer.
	respCheck func(op *spec.Operation, status int, body []byte)
}

// NewServer starts a fake Zoom on a loopback port. Its state is in memory
// and holds, at start, the account owner (see [Server.OwnerID]) and Zoom's
// built-in roles.
func NewServer(opts ...Option) (*Server, error) {
	cfg := defaultConfig()
	for _, o := range opts {
		if o == nil {
			return nil, errors.New("zoomtest: NewServer: nil option")
		}
		if err := o(&cfg); err != nil {
			return nil, err
		}
	}
	sp, err := spec.Load()
	if err != nil {
		return nil, fmt.Errorf("zoomtest: loading the OpenAPI documents: %w", err)
	}
	s := &Server{cfg: cfg, spec: sp}
	s.idle = sync.NewCond(&s.mu)
	s.ops = buildOpInfo(sp)
	s.handlers = handlerTable()
	if s.apps, err = buildApps(&s.cfg, allScopes(s.ops)); err != nil {
		return nil, err
	}
	s.cfg.appScopes = s.apps[0].scopes
	s.setupControl()
	s.st = newState(&s.cfg)
	s.whTr = &http.Transport{Proxy: nil, DisableKeepAlives: true}
	s.whClient = &http.Client{
		Transport: s.whTr,
		Timeout:   DeliveryTimeout,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
	s.mux = http.HandlerFunc(s.serveHTTP)
	if s.cfg.addr == "" {
		s.ts = httptest.NewServer(s.mux)
		return s, nil
	}
	l, err := net.Listen("tcp", s.cfg.addr)
	if err != nil {
		return nil, fmt.Errorf("zoomtest: listening on %s: %w", s.cfg.addr, err)
	}
	s.ts = httptest.NewUnstartedServer(s.mux)
	_ = s.ts.Listener.Close()
	s.ts.Listener = l
	s.ts.Start()
	return s, nil
}

// NewTestServer starts a Server for tb, failing the test when an option is
// invalid, and closes it when the test ends.
func NewTestServer(tb testing.TB, opts ...Option) *Server {
	tb.Helper()
	s, err := NewServer(opts...)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(s.Close)
	return s
}

// Close shuts the server down: it waits for requests and webhook
// deliveries in flight, and leaves no goroutine behind.
func (s *Server) Close() {
	s.closeOnce.Do(func() {
		s.ts.Close()
		s.closeWebSocket()
		s.mu.Lock()
		s.closed = true
		for s.inflight > 0 {
			s.idle.Wait()
		}
		s.mu.Unlock()
		s.whTr.CloseIdleConnections()
	})
}

// URL returns the server's root URL, such as http://127.0.0.1:40123. The
// OAuth endpoints are under it.
func (s *Server) URL() string { return s.ts.URL }

// APIURL returns the REST API base URL: URL()+"/v2", to pass to
// zoom.WithBaseURL.
func (s *Server) APIURL() string { return s.ts.URL + "/v2" }

// OAuthURL returns the base of the OAuth endpoints: OAuthURL()+"/oauth/authorize",
// "/oauth/token" and "/oauth/revoke".
func (s *Server) OAuthURL() string { return s.ts.URL }

// AuthURL returns the authorization page's URL.
func (s *Server) AuthURL() string { return s.ts.URL + "/oauth/authorize" }

// TokenURL returns the token endpoint's URL.
func (s *Server) TokenURL() string { return s.ts.URL + "/oauth/token" }

// RevokeURL returns the revocation endpoint's URL.
func (s *Server) RevokeURL() string { return s.ts.URL + "/oauth/revoke" }

// ClientID returns the default app's client id (see [WithApp] for more
// apps and [WithAppKind] for its kind).
func (s *Server) ClientID() string { return s.cfg.clientID }

// ClientSecret returns the default app's client secret.
func (s *Server) ClientSecret() string { return s.cfg.clientSecret }

// AccountID returns the account id.
func (s *Server) AccountID() string { return s.st.accountID }

// HTTPClient returns an HTTP client that reaches the server over loopback.
func (s *Server) HTTPClient() *http.Client { return s.ts.Client() }

// Transport returns an http.RoundTripper that serves requests in memory,
// without a network connection, whatever their host: use it inside
// testing/synctest bubbles, where real sockets do not belong. Injected
// connection resets come back as errors wrapping syscall.ECONNRESET.
// Webhook deliveries to URLs still use the network: inside a bubble,
// subscribe handlers instead ([Server.SubscribeHandler]).
func (s *Server) Transport() http.RoundTripper { return memTransport{s: s} }

// Client returns a zoom.Client acting as the user userID (an id, an email
// or "me" for the owner) with an access token holding every scope. Its
// token does not expire (only revocation, such as [Server.Uninstall], ends
// it). opts are passed on to zoom.NewClient after the server's base URL,
// token source and HTTP client, so they may replace them (inside a
// testing/synctest bubble, pass zoom.WithHTTPClient(&http.Client{Transport:
// s.Transport()})). Client panics if the user does not exist or an option
// is invalid: it is meant for tests.
func (s *Server) Client(userID string, opts ...zoom.Option) *zoom.Client {
	tok, err := s.AccessToken(userID)
	if err != nil {
		panic(err)
	}
	all := append([]zoom.Option{
		zoom.WithBaseURL(s.APIURL()),
		zoom.WithHTTPClient(s.HTTPClient()),
		zoom.WithTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: tok, TokenType: "Bearer"})),
	}, opts...)
	c, err := zoom.NewClient(all...)
	if err != nil {
		panic(fmt.Sprintf("zoomtest: Client: %v", err))
	}
	return c
}

// AccessToken mints an access token acting as userID (an id, an email, or
// "me" for the owner) holding scopes, or every scope when none is named.
// The token does not expire; revocation ends it. Use it to build your own
// client, or to test a grant that lacks scopes.
func (s *Server) AccessToken(userID string, scopes ...string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.st.lookupUser(userID, s.st.ownerID)
	if u == nil {
		return "", fmt.Errorf("zoomtest: no user %q", userID)
	}
	t := &accessToken{userID: u.ID, kind: "test"}
	if len(scopes) > 0 {
		t.scopes = scopeSet(scopes)
	}
	v := secretToken("zt_at_", 24)
	s.st.tokens[v] = t
	return v, nil
}

// serveHTTP is the root handler.
func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	p := r.URL.EscapedPath()
	switch {
	case p == "/v2" || strings.HasPrefix(p, "/v2/"):
		s.serveAPI(w, r)
	case s.ctl != nil && strings.HasPrefix(p, ControlPrefix):
		s.ctl.ServeHTTP(w, r)
	case p == "/oauth/authorize":
		s.serveOAuth(w, r, "oauth.authorize", s.authorize)
	case p == "/oauth/token":
		s.serveOAuth(w, r, "oauth.token", s.token)
	case p == "/oauth/revoke":
		s.serveOAuth(w, r, "oauth.revoke", s.revoke)
	case p == WebSocketPath:
		s.serveWebSocket(w, r)
	case strings.HasPrefix(p, "/j/") || strings.HasPrefix(p, "/s/") || strings.HasPrefix(p, "/w/"):
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = io.WriteString(w, "<!doctype html><title>Zoom (fake)</title><p>This is zoomtest's fake Zoom: meetings are not joined here.</p>\n")
	default:
		s.record(r, "", http.StatusNotFound, "")
		writeJSON(w, http.StatusNotFound, zoomError{Code: 2300, Message: "This API endpoint is not recognized."})
	}
}

// statusRecorder remembers the status written.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (w *statusRecorder) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusRecorder) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection.
func (w *statusRecorder) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (s *Server) serveOAuth(w http.ResponseWriter, r *http.Request, name string, h http.HandlerFunc) {
	rec := &statusRecorder{ResponseWriter: w}
	defer func() {
		if rec.status != 0 {
			s.record(r, name, rec.status, "")
		}
	}()
	if name == "oauth.token" {
		// Counted as received, whether a fault answers it or not.
		_ = r.ParseForm()
		s.mu.Lock()
		s.st.tokenRequests[r.Form.Get("grant_type")]++
		s.mu.Unlock()
	}
	if s.applyFaults(rec, r, name) {
		return
	}
	h(rec, r)
}

// record appends to the request log.
func (s *Server) record(r *http.Request, op string, status int, userID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.requests = append(s.st.requests, Request{
		Time: s.cfg.now(), Method: r.Method, Path: r.URL.EscapedPath(), Operation: op, Status: status, UserID: userID,
	})
}

// Request is one request the server received, as logged by
// [Server.Requests].
type Request struct {
	Time   time.Time // server clock when it was answered
	Method string
	// Path is the escaped URL path, without the query.
	Path string
	// Operation is the Zoom operationId ("meetingCreate"), or
	// "oauth.authorize", "oauth.token", "oauth.revoke", "websocket" (the
	// WebSocket endpoint's handshake; 101 when accepted); empty for an unknown
	// route.
	Operation string
	// Status is the HTTP status answered (0 for a dropped connection).
	Status int
	// UserID is the user whose access token was presented, if any.
	UserID string
}

// Requests returns the log of requests received, oldest first.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.st.requests)
}

// ResetRequests empties the request log and the token-request counts.
func (s *Server) ResetRequests() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.requests = nil
	s.st.tokenRequests = map[string]int{}
}

// TokenRequests returns how many token requests the token endpoint
// received, by grant_type ("authorization_code", "refresh_token",
// "account_credentials", ...), successful or not.
func (s *Server) TokenRequests() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]int, len(s.st.tokenRequests))
	for k, v := range s.st.tokenRequests {
		out[k] = v
	}
	return out
}

// memTransport serves requests in memory.
type memTransport struct{ s *Server }

// connReset is what memTransport returns for an injected connection reset.
func connReset() error {
	return &net.OpError{Op: "read", Net: "tcp", Err: os.NewSyscallError("read", syscall.ECONNRESET)}
}

func (t memTransport) RoundTrip(r *http.Request) (resp *http.Response, err error) {
	if err := r.Context().Err(); err != nil {
		return nil, err
	}
	t.s.mu.Lock()
	closed := t.s.closed
	t.s.mu.Unlock()
	if closed {
		return nil, errors.New("zoomtest: the server is closed")
	}
	var body []byte
	if r.Body != nil {
		body, err = io.ReadAll(r.Body)
		r.Body.Close()
		if err != nil {
			return nil, err
		}
	}
	req := r.Clone(r.Context())
	req.Body = io.NopCloser(bytes.NewReader(body))
	req.ContentLength = int64(len(body))
	req.RequestURI = req.URL.RequestURI()
	if req.Host == "" {
		req.Host = req.URL.Host
	}
	req.RemoteAddr = "127.0.0.1:1"
	rec := httptest.NewRecorder()
	aborted := func() (aborted bool) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					aborted = true
					return
				}
				panic(v)
			}
		}()
		t.s.mux.ServeHTTP(rec, req)
		return false
	}()
	if aborted {
		return nil, connReset()
	}
	res := rec.Result()
	res.Request = r
	return res, nil
}

// String describes the server by its URL, without secrets.
func (s *Server) String() string { return "zoomtest.Server(" + s.ts.URL + ")" }

// GoString is String, so that %#v prints no secret either.
func (s *Server) GoString() string { return s.String() }
