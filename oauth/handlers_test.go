package oauth_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
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
	require.Equal(t, "S256", q.Get("code_challenge_method"), "authorize URL lacks PKCE S256 or client parameters: %s", u.RawQuery)
	require.NotZero(t, q.Get("code_challenge"), "authorize URL lacks PKCE S256 or client parameters: %s", u.RawQuery)
	require.Equal(t, "code", q.Get("response_type"), "authorize URL lacks PKCE S256 or client parameters: %s", u.RawQuery)
	require.Equal(t, clientID, q.Get("client_id"), "authorize URL lacks PKCE S256 or client parameters: %s", u.RawQuery)
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
	require.Equal(t, http.StatusFound, rec.Code, "connect answered")
	cookies := rec.Result().Cookies()
	require.Len(t, cookies, 1, "connect set cookies")
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
	require.True(t, ck.HttpOnly, "state cookie attributes: %+v", ck)
	require.True(t, ck.Secure, "state cookie attributes: %+v", ck)
	require.Equal(t, http.SameSiteLaxMode, ck.SameSite, "state cookie attributes: %+v", ck)
	require.Equal(t, "/zoom/callback", ck.Path, "state cookie attributes: %+v", ck)
	require.Greater(t, ck.MaxAge, 0, "state cookie attributes: %+v", ck)
	require.LessOrEqual(t, ck.MaxAge, 600, "state cookie attributes: %+v", ck)
	require.NotContains(t, ck.Value, "CANARY", "cookie leaks")
	au, _ := url.Parse(b.auth)
	require.Equal(t, "https://app.example.com/zoom/callback", au.Query().Get("redirect_uri"), "authorize URL: %s", b.auth)
	require.GreaterOrEqual(t, len(au.Query().Get("state")), 22, "authorize URL: %s", b.auth)
	code, state := f.issueCode(t, b.auth, "zu-1")
	rec := callback(h, b, url.Values{"code": {code}, "state": {state}}.Encode())
	require.Equal(t, http.StatusSeeOther, rec.Code, "callback answered: %s", rec.Body)
	require.Len(t, c.conns, 1, "hook got %+v", c.conns)
	require.Equal(t, "zu-1", c.conns[0].UserID, "hook got %+v", c.conns)
	require.Equal(t, "zu-1@example.com", c.conns[0].Email, "hook got %+v", c.conns)
	require.Equal(t, "tenant-7:zu-1", c.conns[0].Key, "hook got %+v", c.conns)
	_, err := store.Get(context.Background(), "tenant-7:zu-1")
	require.NoError(t, err, "token not saved")
	// The saved grant works with a TokenSource under the same key.
	ts := newTS(t, memConfig(f), store, "tenant-7:zu-1")
	_, err = ts.Token()
	require.NoError(t, err)
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
		rec := callback(h, b, q)
		require.Equal(t, http.StatusSeeOther, rec.Code, "first callback")
		before := f.counts().tokenRequests
		rec = callback(h, b, q)
		require.Equal(t, http.StatusBadRequest, rec.Code, "replayed callback answered %d", rec.Code)
		require.NotContains(t, rec.Body.String(), "CANARY", "replayed callback answered %d", rec.Code)
		require.Equal(t, before, f.counts().tokenRequests, "a replayed state reached the token endpoint")
	})
	t.Run("expired", func(t *testing.T) {
		b := connect(t, h)
		code, state := f.issueCode(t, b.auth, "zu-2")
		clock.advance(10*time.Minute + time.Second)
		rec := callback(h, b, url.Values{"code": {code}, "state": {state}}.Encode())
		require.Equal(t, http.StatusBadRequest, rec.Code, "expired state answered")
	})
	t.Run("another browser's cookie", func(t *testing.T) {
		victim := connect(t, h)
		attacker := connect(t, h)
		code, state := f.issueCode(t, attacker.auth, "attacker")
		// The attacker makes the victim's browser land on the callback with
		// the attacker's code and state.
		rec := callback(h, victim, url.Values{"code": {code}, "state": {state}}.Encode())
		require.Equal(t, http.StatusBadRequest, rec.Code, "cross-browser state answered")
	})
	t.Run("no cookie", func(t *testing.T) {
		b := connect(t, h)
		code, state := f.issueCode(t, b.auth, "zu-3")
		b.cookie = nil
		rec := callback(h, b, url.Values{"code": {code}, "state": {state}}.Encode())
		require.Equal(t, http.StatusBadRequest, rec.Code, "callback without cookie answered")
	})
	t.Run("forged cookie", func(t *testing.T) {
		other, _ := newHandlers(t, f, store, clock)
		b := connect(t, other) // sealed with another key
		code, state := f.issueCode(t, b.auth, "zu-4")
		rec := callback(h, b, url.Values{"code": {code}, "state": {state}}.Encode())
		require.Equal(t, http.StatusBadRequest, rec.Code, "foreign cookie answered")
	})
	t.Run("pkce verifier checked", func(t *testing.T) {
		b1 := connect(t, h)
		b2 := connect(t, h)
		// A code bound to b1's challenge, redeemed through b2's state and
		// verifier: Zoom (the fake) refuses the verifier.
		code, _ := f.issueCode(t, b1.auth, "zu-5")
		au, _ := url.Parse(b2.auth)
		rec := callback(h, b2, url.Values{"code": {code}, "state": {au.Query().Get("state")}}.Encode())
		require.Equal(t, http.StatusBadGateway, rec.Code, "wrong verifier answered")
	})
	t.Run("denied", func(t *testing.T) {
		b := connect(t, h)
		au, _ := url.Parse(b.auth)
		rec := callback(h, b, url.Values{"error": {"access_denied"}, "state": {au.Query().Get("state")}}.Encode())
		require.Equal(t, http.StatusBadRequest, rec.Code, "denied answered")
	})
	require.Len(t, c.conns, 1, "hook runs (only the first valid callback)")
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
	rec := callback(b, br, q)
	require.Equal(t, http.StatusSeeOther, rec.Code, "replica b answered")
	rec = callback(a, br, q)
	require.Equal(t, http.StatusBadRequest, rec.Code, "replay on replica a answered")
}

func TestDevelopmentCookieOnLocalhost(t *testing.T) {
	f := newFake(t)
	cfg := memConfig(f)
	cfg.RedirectURL = "http://localhost:8080/cb"
	h, err := cfg.Handlers(tokenstore.NewMemory())
	require.NoError(t, err)
	b := connect(t, h)
	require.False(t, b.cookie.Secure, "localhost cookie: %+v", b.cookie)
	require.Equal(t, "/cb", b.cookie.Path, "localhost cookie: %+v", b.cookie)
	cfg.RedirectURL = "http://app.example.com/cb"
	_, err = cfg.Handlers(tokenstore.NewMemory())
	require.ErrorIs(t, err, oauth.ErrInvalidConfig, "http redirect URL on a public host accepted")
}

func TestHandlerOptionsValidate(t *testing.T) {
	f := newFake(t)
	for i, o := range []oauth.HandlerOption{
		oauth.WithStateSecret([]byte("short")), oauth.WithStateStore(nil), oauth.WithStateTTL(11 * time.Minute),
		oauth.WithStateTTL(0), oauth.WithCookieName("bad name"), oauth.WithTokenKey(nil), oauth.WithOnConnected(nil),
		oauth.WithOnError(nil), oauth.WithHandlerClock(nil), oauth.WithHandlerLogger(nil), nil,
	} {
		_, err := memConfig(f).Handlers(tokenstore.NewMemory(), o)
		assert.ErrorIs(t, err, oauth.ErrInvalidConfig, "option %d", i)
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
	_, err = cfg.Exchange(ctx, code, oauth.NewVerifier())
	require.ErrorIs(t, err, oauth.ErrTokenEndpoint, "exchange with a wrong verifier")
	noLeak(t, err)
	code, _ = f.issueCode(t, ar.URL, "zu-1")
	tok, err := cfg.Exchange(ctx, code, ar.Verifier)
	require.NoError(t, err, "Exchange = %v, %v", tok, err)
	require.NotZero(t, tok.RefreshToken, "Exchange = %v, %v", tok, err)
	require.False(t, tok.Expiry.IsZero(), "Exchange = %v, %v", tok, err)
	require.NotZero(t, tok.APIURL, "Exchange = %v, %v", tok, err)
	_, err = cfg.Exchange(ctx, code, ar.Verifier)
	require.Error(t, err, "a code redeemed twice")
	u, err := cfg.Me(ctx, tok.AccessToken)
	require.NoError(t, err, "Me = %+v, %v", u, err)
	require.Equal(t, "zu-1", u.ID, "Me = %+v, %v", u, err)
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
		id, secret, ok := r.BasicAuth()
		assert.True(t, ok, "token request without Basic client authentication")
		assert.Equal(t, clientID, id, "token request without Basic client authentication")
		assert.Equal(t, canaryClientSecret, secret, "token request without Basic client authentication")
		assert.Equal(t, "", r.PostFormValue("client_secret"), "client secret in the body")
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
	require.ErrorAs(t, err, &te, "Token = %v; want a *TokenError for the 307", err)
	require.Equal(t, http.StatusTemporaryRedirect, te.StatusCode, "Token = %v; want a *TokenError for the 307", err)
	noLeak(t, err)
	require.Equal(t, 1, hits, "token server hits %d, redirect target hits %d; want 1 and 0", hits, elsewhere)
	require.Equal(t, 0, elsewhere, "token server hits %d, redirect target hits %d; want 1 and 0", hits, elsewhere)
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
		require.Error(t, err, "Token with the endpoint down = %v; want a transient token endpoint error", err)
		require.NotErrorIs(t, err, oauth.ErrReauthorizationRequired, "Token with the endpoint down = %v; want a transient token endpoint error", err)
		require.ErrorIs(t, err, oauth.ErrTokenEndpoint, "Token with the endpoint down = %v; want a transient token endpoint error", err)
		noLeak(t, err)
	}
}
