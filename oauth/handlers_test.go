package oauth_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/zoomkit/zoomkit/oauth"
	"github.com/zoomkit/zoomkit/tokenstore"
)

type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}
func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// issueCode plays the Zoom consent page: the user approves, Zoom issues a
// code bound to the PKCE challenge and redirect URI of the authorize URL.
func (f *fakeZoom) issueCode(t *testing.T, authURL, user string) (code, state string) {
	t.Helper()
	u, err := url.Parse(authURL)
	require.NoError(t, err)
	q := u.Query()
	if q.Get("code_challenge_method") != "S256" || q.Get("code_challenge") == "" || q.Get("response_type") != "code" || q.Get("client_id") != clientID {
		t.Fatalf("authorize URL lacks PKCE S256 or client parameters: %s", u.RawQuery)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.n++
	code = "CANARY-CODE-" + strings.Repeat("x", f.n)
	f.codes[code] = fakeCode{challenge: q.Get("code_challenge"), redirect: q.Get("redirect_uri"), user: user}
	return code, q.Get("state")
}

type browser struct {
	cookie *http.Cookie
	auth   string
}

func connect(t *testing.T, h *oauth.Handlers) browser {
	t.Helper()
	rec := httptest.NewRecorder()
	h.Connect().ServeHTTP(rec, httptest.NewRequest("GET", "https://app.example.com/zoom/connect", nil))
	if rec.Code != http.StatusFound {
		t.Fatalf("connect answered %d", rec.Code)
	}
	cookies := rec.Result().Cookies()
	if len(cookies) != 1 {
		t.Fatalf("connect set %d cookies", len(cookies))
	}
	return browser{cookie: cookies[0], auth: rec.Header().Get("Location")}
}

func callback(h *oauth.Handlers, b browser, query string) *httptest.ResponseRecorder {
	req := httptest.NewRequest("GET", "https://app.example.com/zoom/callback?"+query, nil)
	if b.cookie != nil {
		req.AddCookie(&http.Cookie{Name: b.cookie.Name, Value: b.cookie.Value})
	}
	rec := httptest.NewRecorder()
	h.Callback().ServeHTTP(rec, req)
	return rec
}

type connected struct {
	mu    sync.Mutex
	conns []oauth.Connection
}

func newHandlers(t *testing.T, f *fakeZoom, store tokenstore.Store, clock *fakeClock, opts ...oauth.HandlerOption) (*oauth.Handlers, *connected) {
	t.Helper()
	c := &connected{}
	opts = append([]oauth.HandlerOption{
		oauth.WithHandlerClock(clock.Now),
		oauth.WithHandlerLogger(newLogger(t)),
		oauth.WithOnConnected(func(w http.ResponseWriter, r *http.Request, conn oauth.Connection) {
			c.mu.Lock()
			c.conns = append(c.conns, conn)
			c.mu.Unlock()
			http.Redirect(w, r, "/settings", http.StatusSeeOther)
		}),
	}, opts...)
	h, err := memConfig(f).Handlers(store, opts...)
	require.NoError(t, err)
	return h, c
}

func TestConnectAndCallback(t *testing.T) {
	f := newFake(t)
	store := tokenstore.NewMemory()
	clock := &fakeClock{t: time.Now()}
	h, c := newHandlers(t, f, store, clock, oauth.WithTokenKey(func(r *http.Request, userID string) (string, error) {
		return "tenant-7:" + userID, nil
	}))
	b := connect(t, h)
	ck := b.cookie
	if !ck.HttpOnly || !ck.Secure || ck.SameSite != http.SameSiteLaxMode || ck.Path != "/zoom/callback" || ck.MaxAge <= 0 || ck.MaxAge > 600 {
		t.Fatalf("state cookie attributes: %+v", ck)
	}
	require.NotContains(t, ck.Value, "CANARY", "cookie leaks")
	au, _ := url.Parse(b.auth)
	if au.Query().Get("redirect_uri") != "https://app.example.com/zoom/callback" || len(au.Query().Get("state")) < 22 {
		t.Fatalf("authorize URL: %s", b.auth)
	}
	code, state := f.issueCode(t, b.auth, "zu-1")
	rec := callback(h, b, url.Values{"code": {code}, "state": {state}}.Encode())
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("callback answered %d: %s", rec.Code, rec.Body)
	}
	if len(c.conns) != 1 || c.conns[0].UserID != "zu-1" || c.conns[0].Email != "zu-1@example.com" || c.conns[0].Key != "tenant-7:zu-1" {
		t.Fatalf("hook got %+v", c.conns)
	}
	if _, err := store.Get(context.Background(), "tenant-7:zu-1"); err != nil {
		t.Fatalf("token not saved: %v", err)
	}
	// The saved grant works with a TokenSource under the same key.
	ts := newTS(t, memConfig(f), store, "tenant-7:zu-1")
	if _, err := ts.Token(); err != nil {
		t.Fatal(err)
	}
}

func TestCallbackRejectsBadStates(t *testing.T) {
	f := newFake(t)
	store := tokenstore.NewMemory()
	clock := &fakeClock{t: time.Now()}
	h, c := newHandlers(t, f, store, clock)

	t.Run("replayed", func(t *testing.T) {
		b := connect(t, h)
		code, state := f.issueCode(t, b.auth, "zu-1")
		q := url.Values{"code": {code}, "state": {state}}.Encode()
		if rec := callback(h, b, q); rec.Code != http.StatusSeeOther {
			t.Fatalf("first callback: %d", rec.Code)
		}
		before := f.counts().tokenRequests
		if rec := callback(h, b, q); rec.Code != http.StatusBadRequest || strings.Contains(rec.Body.String(), "CANARY") {
			t.Fatalf("replayed callback answered %d", rec.Code)
		}
		if f.counts().tokenRequests != before {
			t.Fatal("a replayed state reached the token endpoint")
		}
	})
	t.Run("expired", func(t *testing.T) {
		b := connect(t, h)
		code, state := f.issueCode(t, b.auth, "zu-2")
		clock.advance(10*time.Minute + time.Second)
		if rec := callback(h, b, url.Values{"code": {code}, "state": {state}}.Encode()); rec.Code != http.StatusBadRequest {
			t.Fatalf("expired state answered %d", rec.Code)
		}
	})
	t.Run("another browser's cookie", func(t *testing.T) {
		victim := connect(t, h)
		attacker := connect(t, h)
		code, state := f.issueCode(t, attacker.auth, "attacker")
		// The attacker makes the victim's browser land on the callback with
		// the attacker's code and state.
		if rec := callback(h, victim, url.Values{"code": {code}, "state": {state}}.Encode()); rec.Code != http.StatusBadRequest {
			t.Fatalf("cross-browser state answered %d", rec.Code)
		}
	})
	t.Run("no cookie", func(t *testing.T) {
		b := connect(t, h)
		code, state := f.issueCode(t, b.auth, "zu-3")
		b.cookie = nil
		if rec := callback(h, b, url.Values{"code": {code}, "state": {state}}.Encode()); rec.Code != http.StatusBadRequest {
			t.Fatalf("callback without cookie answered %d", rec.Code)
		}
	})
	t.Run("forged cookie", func(t *testing.T) {
		other, _ := newHandlers(t, f, store, clock)
		b := connect(t, other) // sealed with another key
		code, state := f.issueCode(t, b.auth, "zu-4")
		if rec := callback(h, b, url.Values{"code": {code}, "state": {state}}.Encode()); rec.Code != http.StatusBadRequest {
			t.Fatalf("foreign cookie answered %d", rec.Code)
		}
	})
	t.Run("pkce verifier checked", func(t *testing.T) {
		b1 := connect(t, h)
		b2 := connect(t, h)
		// A code bound to b1's challenge, redeemed through b2's state and
		// verifier: Zoom (the fake) refuses the verifier.
		code, _ := f.issueCode(t, b1.auth, "zu-5")
		au, _ := url.Parse(b2.auth)
		rec := callback(h, b2, url.Values{"code": {code}, "state": {au.Query().Get("state")}}.Encode())
		if rec.Code != http.StatusBadGateway {
			t.Fatalf("wrong verifier answered %d", rec.Code)
		}
	})
	t.Run("denied", func(t *testing.T) {
		b := connect(t, h)
		au, _ := url.Parse(b.auth)
		if rec := callback(h, b, url.Values{"error": {"access_denied"}, "state": {au.Query().Get("state")}}.Encode()); rec.Code != http.StatusBadRequest {
			t.Fatalf("denied answered %d", rec.Code)
		}
	})
	if len(c.conns) != 1 {
		t.Fatalf("hook ran %d times, want 1 (only the first valid callback)", len(c.conns))
	}
}

func TestSharedStateStoreAcrossReplicas(t *testing.T) {
	f := newFake(t)
	store := tokenstore.NewMemory()
	clock := &fakeClock{t: time.Now()}
	secret := []byte("0123456789abcdef0123456789abcdef")
	states := oauth.NewStateStore(tokenstore.NewMemory())
	a, _ := newHandlers(t, f, store, clock, oauth.WithStateSecret(secret), oauth.WithStateStore(states))
	b, _ := newHandlers(t, f, store, clock, oauth.WithStateSecret(secret), oauth.WithStateStore(states))
	br := connect(t, a)
	code, state := f.issueCode(t, br.auth, "zu-1")
	q := url.Values{"code": {code}, "state": {state}}.Encode()
	if rec := callback(b, br, q); rec.Code != http.StatusSeeOther {
		t.Fatalf("replica b answered %d", rec.Code)
	}
	if rec := callback(a, br, q); rec.Code != http.StatusBadRequest {
		t.Fatalf("replay on replica a answered %d", rec.Code)
	}
}

func TestDevelopmentCookieOnLocalhost(t *testing.T) {
	f := newFake(t)
	cfg := memConfig(f)
	cfg.RedirectURL = "http://localhost:8080/cb"
	h, err := cfg.Handlers(tokenstore.NewMemory())
	require.NoError(t, err)
	if b := connect(t, h); b.cookie.Secure || b.cookie.Path != "/cb" {
		t.Fatalf("localhost cookie: %+v", b.cookie)
	}
	cfg.RedirectURL = "http://app.example.com/cb"
	if _, err := cfg.Handlers(tokenstore.NewMemory()); !errors.Is(err, oauth.ErrInvalidConfig) {
		t.Fatalf("http redirect URL on a public host accepted: %v", err)
	}
}

func TestHandlerOptionsValidate(t *testing.T) {
	f := newFake(t)
	for i, o := range []oauth.HandlerOption{
		oauth.WithStateSecret([]byte("short")), oauth.WithStateStore(nil), oauth.WithStateTTL(11 * time.Minute),
		oauth.WithStateTTL(0), oauth.WithCookieName("bad name"), oauth.WithTokenKey(nil), oauth.WithOnConnected(nil),
		oauth.WithOnError(nil), oauth.WithHandlerClock(nil), oauth.WithHandlerLogger(nil), nil,
	} {
		if _, err := memConfig(f).Handlers(tokenstore.NewMemory(), o); !errors.Is(err, oauth.ErrInvalidConfig) {
			t.Errorf("option %d: %v", i, err)
		}
	}
}

func TestExchangeRevokeAndMe(t *testing.T) {
	f := newFake(t)
	cfg := memConfig(f)
	ar, err := cfg.NewAuthRequest()
	require.NoError(t, err)
	for _, s := range []string{ar.String(), ar.GoString()} {
		require.NotContains(t, s, ar.Verifier, "AuthRequest prints its verifier")
	}
	code, _ := f.issueCode(t, ar.URL, "zu-1")
	ctx := context.Background()
	if _, err := cfg.Exchange(ctx, code, oauth.NewVerifier()); !errors.Is(err, oauth.ErrTokenEndpoint) {
		t.Fatalf("exchange with a wrong verifier = %v", err)
	} else {
		noLeak(t, err)
	}
	code, _ = f.issueCode(t, ar.URL, "zu-1")
	tok, err := cfg.Exchange(ctx, code, ar.Verifier)
	if err != nil || tok.RefreshToken == "" || tok.Expiry.IsZero() || tok.APIURL == "" {
		t.Fatalf("Exchange = %v, %v", tok, err)
	}
	if _, err := cfg.Exchange(ctx, code, ar.Verifier); err == nil {
		t.Fatal("a code redeemed twice")
	}
	u, err := cfg.Me(ctx, tok.AccessToken)
	if err != nil || u.ID != "zu-1" {
		t.Fatalf("Me = %+v, %v", u, err)
	}
	require.NoError(t, cfg.Revoke(ctx, tok.AccessToken), "Revoke")
	err = cfg.Revoke(ctx, tok.AccessToken)
	require.ErrorIs(t, err, oauth.ErrRevoke, "second Revoke")
	noLeak(t, err)
	_, err = cfg.Me(ctx, tok.AccessToken)
	require.ErrorIs(t, err, oauth.ErrUserLookup, "Me after revoke")
	noLeak(t, err)
}

func TestTokenRequestsUseBasicAuthAndFollowNoRedirect(t *testing.T) {
	var hits, elsewhere int
	var mu sync.Mutex
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		elsewhere++
		mu.Unlock()
	}))
	defer other.Close()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		hits++
		mu.Unlock()
		if id, secret, ok := r.BasicAuth(); !ok || id != clientID || secret != canaryClientSecret {
			t.Errorf("token request without Basic client authentication")
		}
		if r.PostFormValue("client_secret") != "" {
			t.Errorf("client secret in the body")
		}
		http.Redirect(w, r, other.URL+"/oauth/token", http.StatusTemporaryRedirect)
	}))
	defer srv.Close()
	cfg := &oauth.Config{ClientID: clientID, ClientSecret: canaryClientSecret, RedirectURL: "https://app.example.com/cb",
		Endpoint: oauth.Endpoint{TokenURL: srv.URL + "/oauth/token"}, HTTPClient: srv.Client()}
	store := tokenstore.NewMemory()
	mustPut(t, store, "k", &tokenstore.Token{AccessToken: "CANARY-AT-x", RefreshToken: "CANARY-RT-x", Expiry: time.Now().Add(-time.Hour)})
	ts := newTS(t, cfg, store, "k")
	_, err := ts.Token()
	var te *oauth.TokenError
	if !errors.As(err, &te) || te.StatusCode != http.StatusTemporaryRedirect {
		t.Fatalf("Token() = %v; want a *TokenError for the 307", err)
	}
	noLeak(t, err)
	if hits != 1 || elsewhere != 0 {
		t.Fatalf("token server hits %d, redirect target hits %d; want 1 and 0", hits, elsewhere)
	}
}

func TestConnectionRefusedIsSafeToRetry(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	tokenURL := srv.URL + "/oauth/token"
	srv.Close() // nothing listens any more: the dial fails before any byte is sent
	cfg := &oauth.Config{ClientID: clientID, ClientSecret: canaryClientSecret, Endpoint: oauth.Endpoint{TokenURL: tokenURL}}
	store := tokenstore.NewMemory()
	mustPut(t, store, "k", &tokenstore.Token{AccessToken: "CANARY-AT-x", RefreshToken: "CANARY-RT-x", Expiry: time.Now().Add(-time.Hour)})
	ts := newTS(t, cfg, store, "k")
	for range 2 {
		_, err := ts.Token()
		if err == nil || errors.Is(err, oauth.ErrReauthorizationRequired) || !errors.Is(err, oauth.ErrTokenEndpoint) {
			t.Fatalf("Token() with the endpoint down = %v; want a transient token endpoint error", err)
		}
		noLeak(t, err)
	}
}
