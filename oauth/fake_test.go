package oauth_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/zoomkit/zoomkit/oauth"
	"github.com/zoomkit/zoomkit/tokenstore"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// Canary secrets: none of them may ever appear in a log line or an error.
const (
	canaryClientSecret = "CANARY-SECRET-5d2b"
	canaryPrefix       = "CANARY"
	clientID           = "client-id-1"
)

// fakeZoom plays Zoom's token rules: single-use rotating refresh tokens,
// Basic client authentication, authorization codes bound to a PKCE
// challenge. It counts every request.
type fakeZoom struct {
	t *testing.T

	mu            sync.Mutex
	n             int
	validRT       map[string]string // refresh token -> user id
	validAT       map[string]string // access token -> user id
	presented     map[string]int    // refresh token -> times presented
	codes         map[string]fakeCode
	tokenRequests int
	refreshes     int
	invalidGrants int
	s2sMints      int
	revokes       int
	expiresIn     int
	status        []int         // scripted statuses for the next token requests
	delay         time.Duration // token endpoint latency (fake time under synctest)
	hold          chan struct{} // when set, token requests wait for it
	afterRedeem   func()        // runs after a refresh token was redeemed, before answering
	raw           string        // when set, the body of the next successful answer
	statusBody    string        // body of scripted error statuses (default: server_error)
}

type fakeCode struct {
	challenge, redirect, user string
}

func newFake(t *testing.T) *fakeZoom {
	return &fakeZoom{
		t:         t,
		validRT:   map[string]string{},
		validAT:   map[string]string{},
		presented: map[string]int{},
		codes:     map[string]fakeCode{},
		expiresIn: 3600,
	}
}

// grant creates a fresh grant for user and returns its token as stored.
func (f *fakeZoom) grant(user string, expiry time.Time) *tokenstore.Token {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.n++
	at := fmt.Sprintf("CANARY-AT-%d", f.n)
	rt := fmt.Sprintf("CANARY-RT-%d", f.n)
	f.validAT[at] = user
	f.validRT[rt] = user
	return &tokenstore.Token{AccessToken: at, RefreshToken: rt, TokenType: "bearer", Expiry: expiry}
}

func (f *fakeZoom) revokeAll() {
	f.mu.Lock()
	defer f.mu.Unlock()
	clear(f.validRT)
	clear(f.validAT)
}

// newestRT returns the newest refresh token the fake issued.
func (f *fakeZoom) newestRT() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return fmt.Sprintf("CANARY-RT-%d", f.n)
}

type counts struct{ tokenRequests, refreshes, invalidGrants, s2s, maxPresented int }

func (f *fakeZoom) counts() counts {
	f.mu.Lock()
	defer f.mu.Unlock()
	c := counts{f.tokenRequests, f.refreshes, f.invalidGrants, f.s2sMints, 0}
	for _, n := range f.presented {
		c.maxPresented = max(c.maxPresented, n)
	}
	return c
}

func (f *fakeZoom) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case "/oauth/token":
		f.token(w, r)
	case "/oauth/revoke":
		f.revoke(w, r)
	case "/v2/users/me":
		f.me(w, r)
	default:
		http.NotFound(w, r)
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func (f *fakeZoom) token(w http.ResponseWriter, r *http.Request) {
	id, secret, ok := r.BasicAuth()
	if r.Method != http.MethodPost {
		writeJSON(w, 405, map[string]string{"error": "invalid_request"})
		return
	}
	if r.URL.RawQuery != "" {
		f.t.Errorf("token request carries a query string")
	}
	if err := r.ParseForm(); err != nil {
		writeJSON(w, 400, map[string]string{"error": "invalid_request"})
		return
	}
	f.mu.Lock()
	f.tokenRequests++
	delay, hold := f.delay, f.hold
	var status int
	if len(f.status) > 0 {
		status, f.status = f.status[0], f.status[1:]
	}
	f.mu.Unlock()
	if delay > 0 {
		time.Sleep(delay)
	}
	if hold != nil {
		<-hold
	}
	if status != 0 {
		if f.statusBody != "" {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(status)
			_, _ = w.Write([]byte(f.statusBody))
			return
		}
		writeJSON(w, status, map[string]string{"reason": "Internal Error", "error": "server_error"})
		return
	}
	if !ok || id != clientID || secret != canaryClientSecret {
		writeJSON(w, 401, map[string]string{"reason": "Invalid client_id or client_secret", "error": "invalid_client"})
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	var user string
	switch r.PostForm.Get("grant_type") {
	case "refresh_token":
		rt := r.PostForm.Get("refresh_token")
		f.presented[rt]++
		u, valid := f.validRT[rt]
		if !valid {
			f.invalidGrants++
			writeJSON(w, 400, map[string]string{"reason": "Invalid Token!", "error": "invalid_grant"})
			return
		}
		delete(f.validRT, rt) // single use, dies at once
		f.refreshes++
		user = u
		if f.afterRedeem != nil {
			f.mu.Unlock()
			f.afterRedeem()
			f.mu.Lock()
		}
	case "authorization_code":
		c, valid := f.codes[r.PostForm.Get("code")]
		delete(f.codes, r.PostForm.Get("code"))
		sum := sha256.Sum256([]byte(r.PostForm.Get("code_verifier")))
		if !valid || c.redirect != r.PostForm.Get("redirect_uri") ||
			base64.RawURLEncoding.EncodeToString(sum[:]) != c.challenge {
			f.invalidGrants++
			writeJSON(w, 400, map[string]string{"reason": "Invalid authorization code", "error": "invalid_grant"})
			return
		}
		user = c.user
	case "account_credentials":
		if r.PostForm.Get("account_id") == "" {
			writeJSON(w, 400, map[string]string{"reason": "account_id missing", "error": "invalid_request"})
			return
		}
		f.s2sMints++
		f.n++
		at := fmt.Sprintf("CANARY-S2S-AT-%d", f.n)
		f.validAT[at] = "s2s"
		writeJSON(w, 200, map[string]any{"access_token": at, "token_type": "bearer", "expires_in": f.expiresIn, "scope": "user:read:admin", "api_url": "https://api.zoom.us"})
		return
	default:
		writeJSON(w, 400, map[string]string{"reason": "Unsupported grant type", "error": "unsupported_grant_type"})
		return
	}
	f.n++
	at := fmt.Sprintf("CANARY-AT-%d", f.n)
	rt := fmt.Sprintf("CANARY-RT-%d", f.n)
	f.validAT[at] = user
	f.validRT[rt] = user
	if f.raw != "" {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(strings.ReplaceAll(f.raw, "{AT}", at)))
		f.raw = ""
		return
	}
	writeJSON(w, 200, map[string]any{"access_token": at, "token_type": "bearer", "refresh_token": rt, "expires_in": f.expiresIn, "scope": "meeting:read user:read", "api_url": "https://api.zoom.us"})
}

func (f *fakeZoom) revoke(w http.ResponseWriter, r *http.Request) {
	id, secret, ok := r.BasicAuth()
	if !ok || id != clientID || secret != canaryClientSecret {
		writeJSON(w, 401, map[string]string{"reason": "Invalid client", "error": "invalid_client"})
		return
	}
	_ = r.ParseForm()
	f.mu.Lock()
	defer f.mu.Unlock()
	f.revokes++
	at := r.PostForm.Get("token")
	user, ok := f.validAT[at]
	if !ok {
		writeJSON(w, 400, map[string]string{"reason": "Invalid Token!", "error": "invalid_request"})
		return
	}
	for k, u := range f.validAT {
		if u == user {
			delete(f.validAT, k)
		}
	}
	for k, u := range f.validRT {
		if u == user {
			delete(f.validRT, k)
		}
	}
	writeJSON(w, 200, map[string]string{"status": "success"})
}

func (f *fakeZoom) me(w http.ResponseWriter, r *http.Request) {
	at, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	f.mu.Lock()
	user, valid := f.validAT[at]
	f.mu.Unlock()
	if !ok || !valid {
		writeJSON(w, 401, map[string]any{"code": 124, "message": "Invalid access token."})
		return
	}
	writeJSON(w, 200, map[string]any{"id": user, "email": user + "@example.com", "first_name": "Ada"})
}

// memTransport serves requests in memory (usable inside synctest bubbles).
// A cancelled request context fails the round trip after the handler got the
// request, like a timeout after the request was written.
type memTransport struct{ h http.Handler }

func (m memTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	rec := httptest.NewRecorder()
	done := make(chan struct{})
	go func() {
		defer close(done)
		m.h.ServeHTTP(rec, r)
	}()
	select {
	case <-done:
		return rec.Result(), nil
	case <-r.Context().Done():
		<-done // keep the bubble tidy: the handler finishes its side effects
		return nil, r.Context().Err()
	}
}

func memConfig(f *fakeZoom) *oauth.Config {
	return &oauth.Config{
		ClientID:     clientID,
		ClientSecret: canaryClientSecret,
		RedirectURL:  "https://app.example.com/zoom/callback",
		Endpoint: oauth.Endpoint{
			AuthURL:   "https://zoom.test/oauth/authorize",
			TokenURL:  "https://zoom.test/oauth/token",
			RevokeURL: "https://zoom.test/oauth/revoke",
		},
		APIBaseURL: "https://zoom.test/v2",
		HTTPClient: &http.Client{Transport: memTransport{f}},
	}
}

// capture is a slog handler keeping every line, checked for canaries.
type capture struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func newLogger(t *testing.T) *slog.Logger {
	c := &capture{}
	t.Cleanup(func() {
		c.mu.Lock()
		defer c.mu.Unlock()
		assert.NotContains(t, c.buf.String(), canaryPrefix, "a canary secret reached the log")
	})
	return slog.New(slog.NewTextHandler(&lockedWriter{c}, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

type lockedWriter struct{ c *capture }

func (w *lockedWriter) Write(p []byte) (int, error) {
	w.c.mu.Lock()
	defer w.c.mu.Unlock()
	return w.c.buf.Write(p)
}

// noLeak fails when err's text, in any format, holds a canary.
func noLeak(t *testing.T, err error) {
	t.Helper()
	if err == nil {
		return
	}
	for _, s := range []string{err.Error(), fmt.Sprintf("%v", err), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err)} {
		assert.NotContains(t, s, canaryPrefix, "error leaks a secret")
	}
}

func mustPut(t *testing.T, s tokenstore.Store, key string, tok *tokenstore.Token) {
	t.Helper()
	require.NoError(t, s.Put(context.Background(), key, tok))
}
