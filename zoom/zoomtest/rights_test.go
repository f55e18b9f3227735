package zoomtest_test

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/zoomkit/zoomkit/oauth"
	"github.com/zoomkit/zoomkit/webhook"
	"github.com/zoomkit/zoomkit/zoom"
	"github.com/zoomkit/zoomkit/zoom/zoomtest"
)

// appConfig is an oauth.Config for the app clientID/secret of s.
func appConfig(s *zoomtest.Server, clientID, secret string) *oauth.Config {
	cfg := oauthConfig(s)
	cfg.ClientID, cfg.ClientSecret = clientID, secret
	return cfg
}

// install runs the OAuth flow for cfg as user and returns the token.
func install(t *testing.T, s *zoomtest.Server, cfg *oauth.Config, user string) (string, string) {
	t.Helper()
	ar, err := cfg.NewAuthRequest()
	require.NoError(t, err)
	cb, err := s.AuthorizeAs(user, ar.URL)
	require.NoError(t, err)
	tok, err := cfg.Exchange(context.Background(), cb.Query().Get("code"), ar.Verifier)
	require.NoError(t, err)
	return tok.AccessToken, tok.RefreshToken
}

// apiCode returns the Zoom error code of err (0 when it is not an API
// error).
func apiCode(t *testing.T, err error) (int, int) {
	t.Helper()
	var ae *zoom.APIError
	require.ErrorAs(t, err, &ae, "not an API error: %v", err)
	return ae.StatusCode, ae.Code
}

func addMember(t *testing.T, s *zoomtest.Server, email string) zoomtest.User {
	t.Helper()
	u, err := s.AddUser(zoomtest.User{Email: email, FirstName: "Mem", LastName: "Ber", Type: 2})
	require.NoError(t, err)
	return u
}

func addAdmin(t *testing.T, s *zoomtest.Server, email string) zoomtest.User {
	t.Helper()
	u, err := s.AddUser(zoomtest.User{Email: email, FirstName: "Ad", LastName: "Min", Type: 2, RoleID: "1"})
	require.NoError(t, err)
	return u
}

// A member who approves an admin-managed app is refused on Zoom's page
// and gets no code; an admin installs it.
func TestAdminManagedAppNeedsAnAdmin(t *testing.T) {
	s, _ := start(t, zoomtest.WithApp(zoomtest.App{Kind: zoomtest.AdminManaged, ClientID: "adm", ClientSecret: "adm-secret",
		Scopes: []string{"user:read:admin", "user:write:admin"}}))
	member := addMember(t, s, "member@example.com")
	admin := addAdmin(t, s, "admin@example.com")
	cfg := appConfig(s, "adm", "adm-secret")

	ar, err := cfg.NewAuthRequest()
	require.NoError(t, err)
	_, err = s.AuthorizeAs(member.Email, ar.URL)
	require.ErrorIs(t, err, zoomtest.ErrAdminRequired)

	// The browser of a signed-in member stays on Zoom's page with the
	// message; the app's callback is not called.
	require.NoError(t, s.SetAuthorizingUser(member.Email))
	hc := s.HTTPClient()
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := hc.Get(ar.URL)
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Equal(t, http.StatusForbidden, resp.StatusCode)
	assert.Contains(t, string(body), "An account admin is required to install this type of app")
	assert.Empty(t, resp.Header.Get("Location"))

	at, _ := install(t, s, cfg, admin.Email)
	c, err := zoom.NewClient(zoom.WithBaseURL(s.APIURL()), zoom.WithHTTPClient(s.HTTPClient()), zoom.WithTokenSource(staticToken(at)))
	require.NoError(t, err)
	_, _, err = c.Users.Create(context.Background(), &zoom.CreateUserRequest{Action: zoom.UserCreateActionCustCreate,
		UserInfo: &zoom.UserInfo{Email: "new@example.com", Type: 1}})
	require.NoError(t, err)
}

// The default app holds every scope, admin ones included: Zoom would
// make it an admin-managed app, so a member cannot install it.
func TestDefaultAppWithAdminScopesRefusesMember(t *testing.T) {
	s, _ := start(t)
	member := addMember(t, s, "member@example.com")
	ar, err := oauthConfig(s).NewAuthRequest()
	require.NoError(t, err)
	_, err = s.AuthorizeAs(member.Email, ar.URL)
	require.Error(t, err, "a member installed an app holding admin scopes")
	assert.Contains(t, err.Error(), "admin")
}

// A user-managed app is installed by a member; its tokens reach only
// the member's own data. It cannot hold admin scopes.
func TestUserManagedApp(t *testing.T) {
	_, err := zoomtest.NewServer(zoomtest.WithApp(zoomtest.App{Kind: zoomtest.UserManaged, ClientID: "u", ClientSecret: "s",
		Scopes: []string{"meeting:write:admin"}}))
	require.Error(t, err)

	s, _ := start(t, zoomtest.WithApp(zoomtest.App{Kind: zoomtest.UserManaged, ClientID: "usr", ClientSecret: "usr-secret"}))
	member := addMember(t, s, "member@example.com")
	other := addMember(t, s, "other@example.com")
	at, _ := install(t, s, appConfig(s, "usr", "usr-secret"), member.Email)
	c, err := zoom.NewClient(zoom.WithBaseURL(s.APIURL()), zoom.WithHTTPClient(s.HTTPClient()), zoom.WithTokenSource(staticToken(at)))
	require.NoError(t, err)
	ctx := context.Background()
	_, _, err = c.Meetings.Create(ctx, "me", &zoom.CreateMeetingRequest{Topic: "Mine"})
	require.NoError(t, err)
	_, _, err = c.Meetings.Create(ctx, other.ID, &zoom.CreateMeetingRequest{Topic: "Theirs"})
	st, code := apiCode(t, err)
	assert.Equal(t, 400, st)
	assert.Equal(t, 4700, code)
}

// A member's token, whatever its scopes, has a member's power: no user
// management, no webinars for other hosts, no self-promotion.
func TestMemberTokenHasNoAdminPower(t *testing.T) {
	s, _ := start(t)
	member := addMember(t, s, "member@example.com")
	other := addMember(t, s, "other@example.com")
	for _, u := range []zoomtest.User{member, other} { // both may host webinars
		require.NoError(t, s.SetWebinar(u.ID, true))
	}
	c := s.Client(member.Email) // every scope, including admin ones
	ctx := context.Background()
	noPrivilege := func(t *testing.T, err error) {
		t.Helper()
		require.Error(t, err)
		st, code := apiCode(t, err)
		assert.Equal(t, 400, st)
		assert.Equal(t, 200, code)
		assert.Contains(t, err.Error(), "No privilege")
	}
	t.Run("create user", func(t *testing.T) {
		_, _, err := c.Users.Create(ctx, &zoom.CreateUserRequest{Action: zoom.UserCreateActionCustCreate,
			UserInfo: &zoom.UserInfo{Email: "new@example.com", Type: 1}})
		noPrivilege(t, err)
	})
	t.Run("delete user", func(t *testing.T) {
		_, err := c.Users.Delete(ctx, other.ID, nil)
		noPrivilege(t, err)
		_, ok := s.User(other.ID)
		assert.True(t, ok)
	})
	t.Run("webinar for another host", func(t *testing.T) {
		_, _, err := c.Webinars.Create(ctx, other.ID, &zoom.CreateWebinarRequest{Topic: "Theirs"})
		noPrivilege(t, err)
		_, _, err = c.Webinars.Create(ctx, "me", &zoom.CreateWebinarRequest{Topic: "Theirs", ScheduleFor: other.Email})
		noPrivilege(t, err)
		_, _, err = c.Webinars.Create(ctx, "me", &zoom.CreateWebinarRequest{Topic: "Mine"})
		require.NoError(t, err)
	})
	t.Run("make itself admin", func(t *testing.T) {
		_, _, err := c.Roles.AddMembers(ctx, "1", &zoom.AddRoleMembersRequest{Members: []zoom.UserRef{{ID: member.ID}}})
		noPrivilege(t, err)
		u, _ := s.User(member.ID)
		assert.Equal(t, "2", u.RoleID)
	})
	t.Run("another host's webinar", func(t *testing.T) {
		w, _, err := s.Client(other.Email).Webinars.Create(ctx, "me", &zoom.CreateWebinarRequest{Topic: "Theirs"})
		require.NoError(t, err)
		_, err = c.Webinars.Delete(ctx, w.ID, nil)
		require.Error(t, err)
		st, code := apiCode(t, err)
		assert.Equal(t, 400, st)
		assert.Equal(t, 3000, code)
		_, _, err = c.Webinars.Get(ctx, zoom.LatestOf(w.ID), nil)
		_, code = apiCode(t, err)
		assert.Equal(t, 3000, code)
	})
	t.Run("list users", func(t *testing.T) {
		_, _, err := c.Users.List(ctx, nil)
		noPrivilege(t, err)
	})
}

// Demoting an admin takes effect on the admin's next call.
func TestDemotionTakesEffectOnNextCall(t *testing.T) {
	s, _ := start(t)
	admin := addAdmin(t, s, "admin@example.com")
	at, _ := install(t, s, oauthConfig(s), admin.Email)
	c, err := zoom.NewClient(zoom.WithBaseURL(s.APIURL()), zoom.WithHTTPClient(s.HTTPClient()), zoom.WithTokenSource(staticToken(at)))
	require.NoError(t, err)
	ctx := context.Background()
	_, _, err = c.Users.Create(ctx, &zoom.CreateUserRequest{Action: zoom.UserCreateActionCustCreate, UserInfo: &zoom.UserInfo{Email: "a@example.com", Type: 1}})
	require.NoError(t, err)

	_, err = s.Client("me").Roles.DeleteMember(ctx, "1", admin.ID)
	require.NoError(t, err)
	_, _, err = c.Users.Create(ctx, &zoom.CreateUserRequest{Action: zoom.UserCreateActionCustCreate, UserInfo: &zoom.UserInfo{Email: "b@example.com", Type: 1}})
	st, code := apiCode(t, err)
	assert.Equal(t, 400, st)
	assert.Equal(t, 200, code)
}

// A token with read scopes only cannot write (4700).
func TestReadScopesRefuseWrites(t *testing.T) {
	s, _ := start(t, zoomtest.WithApp(zoomtest.App{Kind: zoomtest.UserManaged, ClientID: "ro", ClientSecret: "ro-secret",
		Scopes: []string{"meeting:read", "user:read"}}))
	member := addMember(t, s, "member@example.com")
	at, _ := install(t, s, appConfig(s, "ro", "ro-secret"), member.Email)
	c, err := zoom.NewClient(zoom.WithBaseURL(s.APIURL()), zoom.WithHTTPClient(s.HTTPClient()), zoom.WithTokenSource(staticToken(at)))
	require.NoError(t, err)
	ctx := context.Background()
	_, _, err = c.Meetings.List(ctx, "me", nil)
	require.NoError(t, err)
	_, _, err = c.Meetings.Create(ctx, "me", &zoom.CreateMeetingRequest{Topic: "x"})
	st, code := apiCode(t, err)
	assert.Equal(t, 400, st)
	assert.Equal(t, 4700, code)
	_, err = c.Users.Update(ctx, "me", &zoom.UpdateUserRequest{FirstName: zoom.Ptr("New")}, nil)
	_, code = apiCode(t, err)
	assert.Equal(t, 4700, code)
}

// A member may not upgrade their own user type.
func TestMemberCannotChangeOwnType(t *testing.T) {
	s, _ := start(t)
	member := addMember(t, s, "member@example.com")
	a := do(t, s, token(t, s, member.ID), http.MethodPatch, "/users/me", map[string]any{"type": 2})
	assert.Equal(t, 400, a.Status)
	assert.Equal(t, 1108, code(a))
	a = do(t, s, token(t, s, member.ID), http.MethodPatch, "/users/me", map[string]any{"dept": "R&D"})
	assert.Equal(t, 204, a.Status)
}

// A server-to-server app mints account tokens only; an OAuth app of a
// named kind does not answer account_credentials.
func TestServerToServerApp(t *testing.T) {
	s, _ := start(t, zoomtest.WithApp(zoomtest.App{Kind: zoomtest.ServerToServer, ClientID: "s2s", ClientSecret: "s2s-secret"}),
		zoomtest.WithAppKind(zoomtest.UserManaged))
	ctx := context.Background()
	ts, err := appConfig(s, "s2s", "s2s-secret").ServerToServer(s.AccountID())
	require.NoError(t, err)
	c, err := zoom.NewClient(zoom.WithBaseURL(s.APIURL()), zoom.WithHTTPClient(s.HTTPClient()), zoom.WithTokenSource(ts))
	require.NoError(t, err)
	_, _, err = c.Users.Create(ctx, &zoom.CreateUserRequest{Action: zoom.UserCreateActionCustCreate, UserInfo: &zoom.UserInfo{Email: "a@example.com", Type: 1}})
	require.NoError(t, err)

	// No authorization page for it.
	cfg := appConfig(s, "s2s", "s2s-secret")
	ar, _ := cfg.NewAuthRequest()
	_, err = s.AuthorizeAs("me", ar.URL)
	require.Error(t, err)

	// The default app, now exactly user-managed, has no account tokens.
	ts2, err := oauthConfig(s).ServerToServer(s.AccountID())
	require.NoError(t, err)
	_, err = ts2.Token()
	require.Error(t, err)
}

// deauthorizations collects the app_deauthorized events a real
// webhook.Handler receives.
type deauthorizations struct {
	mu   sync.Mutex
	got  []webhook.AppDeauthorizedPayload
	raw  [][]byte
	hook *webhook.Handler
}

// A clientID names the app whose endpoint it is (the default app's
// otherwise): app_deauthorized goes to the app uninstalled only.
func subscribeDeauth(t *testing.T, s *zoomtest.Server, clk *clock, clientID ...string) *deauthorizations {
	t.Helper()
	const secret = "deauth-secret"
	v, err := webhook.NewVerifier([]string{secret}, webhook.WithClock(clk.Now))
	require.NoError(t, err)
	h, err := webhook.NewHandler(v, webhook.WithoutDedup())
	require.NoError(t, err)
	d := &deauthorizations{hook: h}
	h.OnAppDeauthorized(func(_ context.Context, e *webhook.Event, p *webhook.AppDeauthorizedPayload) error {
		d.mu.Lock()
		defer d.mu.Unlock()
		d.got = append(d.got, *p)
		d.raw = append(d.raw, e.Payload)
		return nil
	})
	if len(clientID) > 0 {
		require.NoError(t, s.SubscribeAppHandler(clientID[0], h, secret, "app_deauthorized"))
		return d
	}
	require.NoError(t, s.SubscribeHandler(h, secret, "app_deauthorized"))
	return d
}

func (d *deauthorizations) all() []webhook.AppDeauthorizedPayload {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]webhook.AppDeauthorizedPayload(nil), d.got...)
}

var signatureFormat = regexp.MustCompile(`^[0-9a-f]{64}$`)

// Revoking a user's token uninstalls the app for that user: every grant
// of the user for the app dies, and app_deauthorized follows, in the
// format of Zoom's document.
func TestRevokeUninstallsTheApp(t *testing.T) {
	s, clk := start(t)
	d := subscribeDeauth(t, s, clk)
	admin := addAdmin(t, s, "admin@example.com")
	other := addAdmin(t, s, "other@example.com")
	cfg := oauthConfig(s)
	ctx := context.Background()
	at, rt := install(t, s, cfg, admin.Email)
	otherAT, _ := install(t, s, cfg, other.Email)
	testTok := token(t, s, admin.ID)

	require.NoError(t, cfg.Revoke(ctx, at))

	got := d.all()
	require.Len(t, got, 1, "app_deauthorized after a revoke")
	p := got[0]
	assert.Equal(t, admin.ID, p.UserID)
	assert.Equal(t, s.ClientID(), p.ClientID)
	assert.Equal(t, s.AccountID(), p.AccountID)
	assert.Regexp(t, signatureFormat, p.Signature)
	assert.True(t, p.DeauthorizationTime.Time.Equal(clk.Now()), "deauthorization_time %v", p.DeauthorizationTime)
	raw := string(d.raw[0])
	assert.Regexp(t, `"deauthorization_time":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z"`, raw)
	assert.Regexp(t, `"event_ts":\d{13}[,}]`, raw)
	assert.NotContains(t, raw, "user_data_retention", "absent from the current document")
	checkEvents(t, s)

	// Every grant of the user for the app died; the other user's lives.
	assert.Equal(t, 400, refreshStatus(t, s, rt))
	assert.Equal(t, 401, do(t, s, at, http.MethodGet, "/users/me", nil).Status)
	assert.Equal(t, 401, do(t, s, testTok, http.MethodGet, "/users/me", nil).Status)
	assert.Equal(t, 200, do(t, s, otherAT, http.MethodGet, "/users/me", nil).Status)

	// A second revoke of a dead token is refused and sends nothing.
	require.Error(t, cfg.Revoke(ctx, at))
	assert.Len(t, d.all(), 1)
}

// Revoking with the refresh token uninstalls too.
func TestRevokeByRefreshToken(t *testing.T) {
	s, clk := start(t)
	d := subscribeDeauth(t, s, clk)
	admin := addAdmin(t, s, "admin@example.com")
	cfg := oauthConfig(s)
	at, rt := install(t, s, cfg, admin.Email)
	require.NoError(t, cfg.Revoke(context.Background(), rt))
	require.Len(t, d.all(), 1)
	assert.Equal(t, 401, do(t, s, at, http.MethodGet, "/users/me", nil).Status)
}

// The Marketplace uninstall and the revoke endpoint share one path: the
// same payload, per app.
func TestUninstallAndRevokeShareOnePath(t *testing.T) {
	s, clk := start(t, zoomtest.WithApp(zoomtest.App{Kind: zoomtest.UserManaged, ClientID: "usr", ClientSecret: "usr-secret"}))
	d := subscribeDeauth(t, s, clk, "usr")
	other := subscribeDeauth(t, s, clk) // the default app's endpoint
	member := addMember(t, s, "member@example.com")
	usrCfg := appConfig(s, "usr", "usr-secret")
	at1, _ := install(t, s, usrCfg, member.Email)

	clk.Advance(time.Minute)
	require.NoError(t, s.UninstallApp("usr", member.Email))
	assert.Equal(t, 401, do(t, s, at1, http.MethodGet, "/users/me", nil).Status)

	at2, _ := install(t, s, usrCfg, member.Email)
	require.NoError(t, usrCfg.Revoke(context.Background(), at2))

	got := d.all()
	require.Len(t, got, 2)
	for _, p := range got {
		assert.Equal(t, member.ID, p.UserID)
		assert.Equal(t, "usr", p.ClientID)
		assert.Regexp(t, signatureFormat, p.Signature)
	}
	assert.NotEqual(t, got[0].Signature, got[1].Signature, "one signature per deauthorization")
	assert.Empty(t, other.all(), "another app is not told")
	checkEvents(t, s)

	// Another app's credentials cannot revoke this app's tokens.
	at3, _ := install(t, s, usrCfg, member.Email)
	err := oauthConfig(s).Revoke(context.Background(), at3)
	require.Error(t, err)
	assert.Equal(t, 200, do(t, s, at3, http.MethodGet, "/users/me", nil).Status)
	assert.False(t, strings.Contains(err.Error(), at3), "the error repeats the token")
}

// refreshStatus posts a refresh_token grant for the default app and
// returns the status.
func refreshStatus(t *testing.T, s *zoomtest.Server, rt string) int {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, s.TokenURL(), strings.NewReader(url.Values{"grant_type": {"refresh_token"}, "refresh_token": {rt}}.Encode()))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(s.ClientID(), s.ClientSecret())
	resp, err := s.HTTPClient().Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	return resp.StatusCode
}
