package zoomtest_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/zoomkit/zoomkit/oauth"
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
	if !errors.As(err, &ae) {
		t.Fatalf("not an API error: %v", err)
	}
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
	_, err = c.Users.Update(ctx, "me", &zoom.UpdateUserRequest{FirstName: "New"}, nil)
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
