package zoomtest_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zoomkit/zoomkit/oauth"
	"github.com/zoomkit/zoomkit/tokenstore"
	"github.com/zoomkit/zoomkit/zoom"
	"github.com/zoomkit/zoomkit/zoom/zoomtest"
)

func oauthConfig(s *zoomtest.Server, scopes ...string) *oauth.Config {
	return &oauth.Config{
		ClientID:     s.ClientID(),
		ClientSecret: s.ClientSecret(),
		RedirectURL:  "http://127.0.0.1:9/zoom/callback",
		Scopes:       scopes,
		Endpoint:     oauth.Endpoint{AuthURL: s.AuthURL(), TokenURL: s.TokenURL(), RevokeURL: s.RevokeURL()},
		APIBaseURL:   s.APIURL(),
		HTTPClient:   s.HTTPClient(),
	}
}

// userApp makes the default app user-managed (user-level scopes), so
// that members may install it.
var userApp = zoomtest.WithAppScopes("meeting:read", "meeting:write", "user:read")

// authorize follows the authorization page (auto-approve) and returns the
// callback's query.
func authorize(t *testing.T, s *zoomtest.Server, authURL string) url.Values {
	t.Helper()
	hc := s.HTTPClient()
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := hc.Get(authURL)
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusFound, resp.StatusCode, "authorize: status %d", resp.StatusCode)
	loc, err := url.Parse(resp.Header.Get("Location"))
	require.NoError(t, err)
	return loc.Query()
}

// connect runs the whole user OAuth flow for the signed-in user.
func connect(t *testing.T, s *zoomtest.Server, cfg *oauth.Config) *tokenstore.Token {
	t.Helper()
	ar, err := cfg.NewAuthRequest()
	require.NoError(t, err)
	q := authorize(t, s, ar.URL)
	if q.Get("state") != ar.State || q.Get("code") == "" {
		t.Fatalf("callback query %v", q)
	}
	tok, err := cfg.Exchange(context.Background(), q.Get("code"), ar.Verifier)
	require.NoError(t, err)
	return tok
}

func TestOAuthAuthorizationCodeWithPKCE(t *testing.T) {
	s, _ := start(t, userApp)
	u, err := s.AddUser(zoomtest.User{Email: "dr.who@example.com", FirstName: "Dr", LastName: "Who", Type: 2})
	require.NoError(t, err)
	err = s.SetAuthorizingUser(u.Email)
	require.NoError(t, err)
	cfg := oauthConfig(s)
	ctx := context.Background()
	tok := connect(t, s, cfg)
	if tok.RefreshToken == "" || tok.APIURL != s.URL() {
		t.Errorf("token %v", tok)
	}
	me, err := cfg.Me(ctx, tok.AccessToken)
	require.NoError(t, err, "me: %+v %v", me, err)
	require.Equal(t, u.ID, me.ID, "me: %+v %v", me, err)
	require.Equal(t, u.Email, me.Email, "me: %+v %v", me, err)

	// A wrong verifier and a reused code are refused.
	ar, _ := cfg.NewAuthRequest()
	q := authorize(t, s, ar.URL)
	_, err = cfg.Exchange(ctx, q.Get("code"), oauth.NewVerifier())
	var te *oauth.TokenError
	if !errors.As(err, &te) || te.ErrorCode != "invalid_grant" {
		t.Errorf("wrong verifier: %v", err)
	}
	_, err = cfg.Exchange(ctx, q.Get("code"), ar.Verifier)
	if !errors.As(err, &te) || te.ErrorCode != "invalid_grant" {
		t.Errorf("reused code: %v", err)
	}
	got := s.TokenRequests()["authorization_code"]
	assert.Equal(t, 3, got, "authorization_code requests = %d", got)
}

func TestOAuthRefreshIsSingleUse(t *testing.T) {
	clk := &clock{t: time.Now().UTC().Truncate(time.Second)}
	s := zoomtest.NewTestServer(t, zoomtest.WithClock(clk.Now), zoomtest.WithAccessTokenLifetime(time.Hour))
	cfg := oauthConfig(s)
	ctx := context.Background()
	tok := connect(t, s, cfg)
	first := tok.RefreshToken

	store := tokenstore.NewMemory()
	err := store.Put(ctx, "user-1", tok)
	require.NoError(t, err)
	ts, err := cfg.TokenSource(store, "user-1", oauth.WithClock(clk.Now))
	require.NoError(t, err)
	c, err := zoom.NewClient(zoom.WithBaseURL(s.APIURL()), zoom.WithHTTPClient(s.HTTPClient()), zoom.WithTokenSource(ts))
	require.NoError(t, err)
	_, _, err = c.Users.Get(ctx, "me", nil)
	require.NoError(t, err)
	n := s.TokenRequests()["refresh_token"]
	require.Equal(t, 0, n, "refreshed %d times before expiry", n)
	clk.Advance(2 * time.Hour)
	// The old access token has expired at Zoom.
	a := do(t, s, tok.AccessToken, "GET", "/users/me", nil)
	assert.Equal(t, 401, a.Status, "expired token: %d %s", a.Status, a.Raw)
	assert.Equal(t, 124, code(a), "expired token: %d %s", a.Status, a.Raw)
	_, _, err = c.Users.Get(ctx, "me", nil)
	require.NoError(t, err, "after expiry")
	n = s.TokenRequests()["refresh_token"]
	assert.Equal(t, 1, n, "refresh requests = %d, want 1", n)
	// The first refresh token died when it was used.
	form := url.Values{"grant_type": {"refresh_token"}, "refresh_token": {first}}
	req, _ := http.NewRequest("POST", s.TokenURL(), strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(s.ClientID(), s.ClientSecret())
	resp, err := s.HTTPClient().Do(req)
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 400 || string(body) != `{"error":"invalid_grant","reason":"Invalid Token!"}` {
		t.Errorf("reused refresh token: %d %s", resp.StatusCode, body)
	}
}

func TestOAuthServerToServerAndRevoke(t *testing.T) {
	s, _ := start(t, zoomtest.WithAccount("acct-123"))
	cfg := oauthConfig(s)
	ctx := context.Background()
	ts, err := cfg.ServerToServer("acct-123")
	require.NoError(t, err)
	c, err := zoom.NewClient(zoom.WithBaseURL(s.APIURL()), zoom.WithHTTPClient(s.HTTPClient()), zoom.WithTokenSource(ts))
	require.NoError(t, err)
	list, _, err := c.Users.List(ctx, nil)
	require.NoError(t, err, "users: %+v %v", list, err)
	require.Len(t, list.Users, 1, "users: %+v %v", list, err)
	n := s.TokenRequests()["account_credentials"]
	assert.Equal(t, 1, n, "account_credentials requests = %d", n)
	bad, _ := cfg.ServerToServer("other")
	_, err = bad.Token()
	assert.Error(t, err, "a wrong account id got a token")

	// Revoking a user's token kills the grant.
	tok := connect(t, s, cfg)
	err = cfg.Revoke(ctx, tok.AccessToken)
	require.NoError(t, err)
	a := do(t, s, tok.AccessToken, "GET", "/users/me", nil)
	assert.Equal(t, 401, a.Status, "revoked token: %d %s", a.Status, a.Raw)
	assert.Equal(t, 124, code(a), "revoked token: %d %s", a.Status, a.Raw)
}

func TestOAuthScopesEnforced(t *testing.T) {
	s, _ := start(t)
	cfg := oauthConfig(s, "meeting:read", "user:read")
	tok := connect(t, s, cfg)
	assert.Equal(t, "meeting:read user:read", tok.Scope, "scope = %q", tok.Scope)
	ctx := context.Background()
	store := tokenstore.NewMemory()
	_ = store.Put(ctx, "k", tok)
	ts, _ := cfg.TokenSource(store, "k")
	c, _ := zoom.NewClient(zoom.WithBaseURL(s.APIURL()), zoom.WithHTTPClient(s.HTTPClient()), zoom.WithTokenSource(ts))
	_, _, err := c.Meetings.List(ctx, "me", nil)
	require.NoError(t, err, "read with a read grant")
	_, _, err = c.Meetings.Create(ctx, "me", &zoom.CreateMeetingRequest{Topic: "nope"})
	var apiErr *zoom.APIError
	require.ErrorIs(t, err, zoom.ErrMissingScopes, "write with a read grant: %v", err)
	require.ErrorAs(t, err, &apiErr, "write with a read grant: %v", err)
	require.Equal(t, 4700, apiErr.Code, "write with a read grant: %v", err)
	if len(s.Meetings("me")) != 0 {
		t.Error("a meeting was created")
	}
	// A user-level (non-admin) grant names only its own user.
	other, _ := s.AddUser(zoomtest.User{Email: "other@example.com"})
	_, _, err = c.Meetings.List(ctx, other.ID, nil)
	assert.ErrorIs(t, err, zoom.ErrMissingScopes, "other user's meetings with a user-level grant: %v", err)
}

func TestOAuthLifetimeAndConsentPage(t *testing.T) {
	s, _ := start(t, zoomtest.WithAccessTokenLifetime(10*time.Minute), zoomtest.WithAutoApprove(false), userApp)
	u, _ := s.AddUser(zoomtest.User{Email: "pat@example.com", FirstName: "Pat"})
	cfg := oauthConfig(s)
	ar, _ := cfg.NewAuthRequest()
	hc := s.HTTPClient()
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := hc.Get(ar.URL)
	require.NoError(t, err)
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.Equal(t, 200, resp.StatusCode, "consent page: %d %s", resp.StatusCode, page)
	require.Contains(t, string(page), "pat@example.com", "consent page: %d %s", resp.StatusCode, page)
	require.Contains(t, string(page), `value="deny"`, "consent page: %d %s", resp.StatusCode, page)
	post := func(decision string) url.Values {
		form := url.Values{"decision": {decision}, "user": {u.ID}}
		resp, err := hc.PostForm(ar.URL, form)
		require.NoError(t, err)
		resp.Body.Close()
		loc, _ := url.Parse(resp.Header.Get("Location"))
		return loc.Query()
	}
	q := post("deny")
	assert.Equal(t, "access_denied", q.Get("error"), "declined: %v", q)
	assert.Equal(t, ar.State, q.Get("state"), "declined: %v", q)
	q = post("allow")
	tok, err := cfg.Exchange(context.Background(), q.Get("code"), ar.Verifier)
	require.NoError(t, err)
	d := time.Until(tok.Expiry)
	assert.LessOrEqual(t, d, 10*time.Minute, "lifetime %v", d)
	assert.GreaterOrEqual(t, d, 9*time.Minute, "lifetime %v", d)
	me, err := cfg.Me(context.Background(), tok.AccessToken)
	if err != nil || me.ID != u.ID {
		t.Errorf("me = %+v %v", me, err)
	}
}

func TestAuthorizeAs(t *testing.T) {
	s, _ := start(t, zoomtest.WithAutoApprove(false), userApp)
	u, _ := s.AddUser(zoomtest.User{Email: "lee@example.com"})
	cfg := oauthConfig(s)
	ar, _ := cfg.NewAuthRequest()
	cb, err := s.AuthorizeAs("lee@example.com", ar.URL)
	require.NoError(t, err)
	require.True(t, strings.HasPrefix(cb.String(), cfg.RedirectURL+"?"), "callback %s", cb)
	require.Equal(t, ar.State, cb.Query().Get("state"), "callback %s", cb)
	tok, err := cfg.Exchange(context.Background(), cb.Query().Get("code"), ar.Verifier)
	require.NoError(t, err)
	if me, err := cfg.Me(context.Background(), tok.AccessToken); err != nil || me.ID != u.ID {
		t.Errorf("me = %+v %v", me, err)
	}
}

func TestAuthorizationErrors(t *testing.T) {
	s, _ := start(t, zoomtest.WithAppScopes("meeting:read", "meeting:write"), zoomtest.WithRedirectURLs("http://127.0.0.1:9/zoom/callback"))
	hc := s.HTTPClient()
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	get := func(q url.Values) *http.Response {
		resp, err := hc.Get(s.OAuthURL() + "/oauth/authorize?" + q.Encode())
		require.NoError(t, err)
		resp.Body.Close()
		return resp
	}
	ok := url.Values{"response_type": {"code"}, "client_id": {s.ClientID()}, "redirect_uri": {"http://127.0.0.1:9/zoom/callback"}, "state": {"st"}}
	bad := func(k, v string) url.Values {
		q := url.Values{}
		for kk, vv := range ok {
			q[kk] = vv
		}
		q.Set(k, v)
		return q
	}
	// A wrong client or redirect is shown to the user, never redirected.
	r := get(bad("client_id", "other"))
	assert.Equal(t, 400, r.StatusCode, "bad client: %d", r.StatusCode)
	assert.Equal(t, "", r.Header.Get("Location"), "bad client: %d", r.StatusCode)
	r = get(bad("redirect_uri", "http://evil.example/cb"))
	assert.Equal(t, 400, r.StatusCode, "bad redirect: %d", r.StatusCode)
	assert.Equal(t, "", r.Header.Get("Location"), "bad redirect: %d", r.StatusCode)
	// Other errors go back to the app.
	for q, want := range map[string]url.Values{
		"invalid_scope":             bad("scope", "user:write:admin"),
		"unsupported_response_type": bad("response_type", "token"),
	} {
		r := get(want)
		loc, _ := url.Parse(r.Header.Get("Location"))
		assert.Equal(t, 302, r.StatusCode, "%s: %d %s", q, r.StatusCode, loc)
		assert.Equal(t, q, loc.Query().Get("error"), "%s: %d %s", q, r.StatusCode, loc)
		assert.Equal(t, "st", loc.Query().Get("state"), "%s: %d %s", q, r.StatusCode, loc)
	}
	// The app's scopes are what a grant carries.
	cfg := oauthConfig(s)
	tok := connect(t, s, cfg)
	assert.Equal(t, "meeting:read meeting:write", tok.Scope, "scope %q", tok.Scope)
	a := do(t, s, tok.AccessToken, "GET", "/users/me", nil)
	assert.Equal(t, 400, a.Status, "users/me without user scopes: %d %s", a.Status, a.Raw)
	assert.Equal(t, 4700, code(a), "users/me without user scopes: %d %s", a.Status, a.Raw)
}
