package main

import (
	"bytes"
	"context"
	"fmt"
	"html"
	"io"
	"mime"
	"net/http"
	"net/mail"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zoomkit/zoomkit/examples/internal/exkit"
	"github.com/zoomkit/zoomkit/examples/internal/exkittest"
	"github.com/zoomkit/zoomkit/internal/servicetest"
	"github.com/zoomkit/zoomkit/internal/servicetest/pgtest"
	"github.com/zoomkit/zoomkit/zoom"
	"github.com/zoomkit/zoomkit/zoom/zoomtest"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// newTest builds RoleUp on a fresh fake Zoom seeded with Acme, serving.
func newTest(t *testing.T) (*exkit.Env, *app, *acme, *bytes.Buffer) {
	return newTestWith(t, exkit.Config{})
}

func newTestWith(t *testing.T, cfg exkit.Config) (*exkit.Env, *app, *acme, *bytes.Buffer) {
	t.Helper()
	var out bytes.Buffer
	cfg.Name, cfg.DataDir = name, t.TempDir()
	env, a, org, err := setup(t.Context(), cfg, &out)
	require.NoError(t, err)
	t.Cleanup(env.Close)
	env.Start(a)
	return env, a, org, &out
}

func ops(reqs []zoomtest.Request) map[string][]int {
	out := map[string][]int{}
	for _, r := range reqs {
		out[r.Operation] = append(out[r.Operation], r.Status)
	}
	return out
}

func TestFlow(t *testing.T) { checkFlow(t, exkit.Config{}) }

// TestFlowPostgres runs the flow with the tokens, the webhook dedup table
// and RoleUp's tables in PostgreSQL (a schema of its own), as with
// -db postgres://...
func TestFlowPostgres(t *testing.T) {
	db := pgtest.Open(t)
	schema := servicetest.UniqueName("user_provisioning_")
	_, err := db.ExecContext(t.Context(), "CREATE SCHEMA "+schema)
	require.NoError(t, err)
	t.Cleanup(func() { _, _ = db.ExecContext(context.Background(), "DROP SCHEMA "+schema+" CASCADE") })
	u, err := url.Parse(servicetest.PostgresDSN(t))
	require.NoError(t, err)
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	checkFlow(t, exkit.Config{DSN: u.String()})
	var n int
	err = db.QueryRowContext(t.Context(), "SELECT count(*) FROM "+schema+".user_provisioning_users").Scan(&n)
	assert.NoError(t, err, "PostgreSQL holds %d mirrored users (%v), want 7", n, err)
	assert.Equal(t, 7, n, "PostgreSQL holds %d mirrored users (%v), want 7", n, err)
}

func checkFlow(t *testing.T, cfg exkit.Config) {
	ctx := t.Context()
	env, a, org, out := newTestWith(t, cfg)
	require.NoError(t, runFlow(ctx, env, a, org), "flow\n%s", out)
	transcript := out.String()
	for _, want := range []string{
		"Zoom refused on its consent page: An account admin is required to install this type of app.",
		"Connected to Zoom read-only as ada.admin@acme.example. Synced 7 users (5 active, 1 inactive, 1 pending), 2 groups with 5 memberships, 4 roles.",
		"RoleUp is connected to Zoom read-only: nothing was changed",
		"lena.licensed@acme.example already has a Zoom user (Zoom 409, code 1005)",
		"licence Corporate: Zoom Licensed user (type 2)",
		"invited omar.new@acme.example with a Pro licence (Licensed in Zoom): pending",
		"5 of 5 paid seats taken",
		"gus.owner@globex.example already has a Zoom account with another organisation, and Zoom will not move it (Zoom code 1009",
		"greta@globex.example already has a Zoom account with another organisation: Zoom's invitation asks them to leave it and join Acme's account",
		"invitation: pending: invited away from another organisation's Zoom account",
		"invitation: pending: waiting for them to accept Zoom's email",
		"greta@globex.example: accepted: left their other Zoom account and joined (Globex's account no longer lists her)",
		"→ GET /users/email (userEmail)",
		"integrations: Zoom: Connected read-write as ada.admin@acme.example; scopes user:read:admin group:read:admin role:read:admin user:write:admin group:write:admin role:write:admin",
		"Edit configuration: saved; new users are offered the Pro licence first",
		"integrations: Zoom: Not connected; scopes none",
		"Offboard on: lena.licensed@acme.example is inactive in Zoom (cannot sign in, nothing deleted); 4 of 5 paid seats taken",
		"Offboard off: lena.licensed@acme.example is active again; 5 of 5 paid seats taken",
		"→ PUT /users/{userId}/status (userStatus)",
		"omar.new@acme.example has not accepted the invitation yet: withdraw it with Remove.",
		"Acme's Zoom account has no paid seat left for a Corporate licence: carla.new@acme.example was not invited.",
		"→ POST /roles/{roleId}/members (AddRoleMembers)",
		"→ DELETE /groups/{groupId}/members/{memberId} (groupMembersDelete)",
		"synced 7 users (6 active, 0 inactive, 1 pending), 2 groups with 4 memberships, 4 roles",
		"mirror restored: 7 users",
	} {
		assert.Contains(t, transcript, want, "transcript lacks %q", want)
	}
	for _, secret := range []string{"zt_at_", "zt_rt_", env.OAuth.ClientSecret, env.WebhookSecret} {
		assert.NotContains(t, transcript, secret, "transcript holds a secret (%.6s...)", secret)
	}

	// Zoom's state after the flow.
	fake := env.Fake
	check := func(email, status string, typ int, role string, groups ...string) {
		t.Helper()
		u, ok := fake.User(email)
		if status == "" {
			assert.False(t, ok, "%s still in Zoom", email)
			return
		}
		got := append([]string(nil), u.GroupIDs...)
		sort.Strings(got)
		sort.Strings(groups)
		assert.True(t, ok, "%s in Zoom: %+v", email, u)
		assert.Equal(t, status, u.Status, "%s in Zoom: %+v", email, u)
		assert.Equal(t, typ, u.Type, "%s in Zoom: %+v", email, u)
		assert.Equal(t, role, u.RoleID, "%s in Zoom: %+v", email, u)
		assert.Equal(t, strings.Join(groups, ","), strings.Join(got, ","), "%s in Zoom: %+v", email, u)
	}
	check(org.NewBasic, "active", 1, "2", org.Engineering)
	check(org.NewLicensed, "pending", 2, "2")
	check(org.Basic, "active", 1, org.Helpdesk, org.Engineering)
	check(org.Licensed, "active", 2, "2", org.Engineering)
	check(org.Admin, "active", 2, "1", org.Engineering)
	check(org.Inactive, "", 0, "")
	check(org.Sales, "", 0, "")
	check(org.Pending, "", 0, "")
	check(org.Greta, "active", 1, "2")
	_, err := fake.UserIn(org.Globex, org.Greta)
	assert.Error(t, err, "Greta is still in Globex's account")
	_, err = fake.UserIn(org.Globex, org.GlobexOwner)
	assert.NoError(t, err, "Globex's owner")

	// The calls RoleUp made.
	reqs := fake.Requests()
	byOp := ops(reqs)
	for op, want := range map[string]string{
		"userCreate":         "[201 201 400 409 400 201]",
		"AddRoleMembers":     "[201 201]",
		"roleMemberDelete":   "[204]",
		"groupMembersCreate": "[201]",
		"groupMembersDelete": "[204]",
		"userDelete":         "[204 204 204]",
		"userStatus":         "[200 200]",
		"oauth.revoke":       "[200]", // removal (Zoom refused the member: no grant to revoke)
	} {
		assert.Equal(t, want, fmt.Sprint(byOp[op]), "%s answered", op)
	}
	// The member: Zoom's consent page refused (403), before any code,
	// token or sync.
	refused := -1
	for i, r := range reqs {
		if r.Operation == "oauth.authorize" && r.Status == http.StatusForbidden {
			refused = i
			break
		}
		if r.Operation == "users" || r.Operation == "groups" || r.Operation == "roles" {
			t.Errorf("request %s before the member's refusal", r.Operation)
		}
	}
	require.GreaterOrEqual(t, refused, 0, "Zoom did not refuse the member")
	next := reqs[refused+1]
	assert.Equal(t, "oauth.authorize", next.Operation, "after the member's refusal Zoom received %s %s", next.Method, next.Path)
	// Removal: nothing reached Zoom between the revocation and the
	// reinstall's authorization.
	var lastRevoke int
	for i, r := range reqs {
		if r.Operation == "oauth.revoke" {
			lastRevoke = i
		}
	}
	next = reqs[lastRevoke+1]
	assert.Equal(t, "oauth.authorize", next.Operation, "after removal Zoom received %s %s", next.Method, next.Path)
	// The read-only step: no write was attempted with the read-only grant.
	for _, r := range reqs {
		if r.Status == http.StatusBadRequest && r.Operation != "userCreate" { // userCreate: no seat left
			t.Errorf("Zoom refused %s %s", r.Method, r.Path)
		}
	}

	// Records: reconnected read/write by Ada, the mirror matches Zoom.
	c, err := a.store.connection(ctx)
	require.NoError(t, err, "connection %+v %v", c, err)
	require.NotNil(t, c, "connection %+v %v", c, err)
	require.Equal(t, modeReadWrite, c.Mode, "connection %+v %v", c, err)
	require.Equal(t, org.Admin, c.Email, "connection %+v %v", c, err)
	require.Equal(t, "1", c.RoleID, "connection %+v %v", c, err)
	assert.NoError(t, mirrorMatchesZoom(ctx, a, fake))
	roles, _ := a.store.roles(ctx)
	var names []string
	for _, r := range roles {
		names = append(names, r.Name)
	}
	sort.Strings(names)
	assert.Equal(t, "Admin,Helpdesk,Member,Owner", strings.Join(names, ","), "roles")
	audit, _ := a.store.auditLog(ctx, 100)
	if assert.Len(t, audit, 2, "audit after reinstall: %+v (the removal should have deleted the older entries)", audit) {
		assert.Equal(t, "connect", audit[1].Action, "audit after reinstall: %+v (the removal should have deleted the older entries)", audit)
		assert.Equal(t, "sync", audit[0].Action, "audit after reinstall: %+v (the removal should have deleted the older entries)", audit)
	}

	// Tokens: Ada's, not Ben's.
	ben, _ := fake.User(org.Basic)
	_, err = env.Tokens.Get(ctx, "roleup:zoom:"+ben.ID)
	assert.Error(t, err, "the member's token is stored")
	tok, err := env.Tokens.Get(ctx, c.TokenKey)
	if assert.NoError(t, err, "Ada's token: %v", err) {
		assert.NotZero(t, tok.AccessToken, "Ada's token: %v", err)
	}

	// Emails: two welcomes and the removal notice, as .eml files.
	sent := env.Mail.Sent()
	require.Len(t, sent, 4, "sent %+v", sent)
	require.Equal(t, org.NewBasic, sent[0].To, "sent %+v", sent)
	require.Equal(t, org.NewLicensed, sent[1].To, "sent %+v", sent)
	require.Equal(t, org.Greta, sent[2].To, "sent %+v", sent)
	require.Equal(t, org.Admin, sent[3].To, "sent %+v", sent)
	assert.Contains(t, sent[1].Body, "with a Pro licence (a Licensed user in Zoom)", "bodies %q / %q", sent[1].Body, sent[3].Body)
	assert.Contains(t, sent[3].Body, "deleted its tokens", "bodies %q / %q", sent[1].Body, sent[3].Body)
	assert.Contains(t, sent[2].Body, "accepting moves you into Acme's account, and you leave the other one", "Greta's welcome: %q", sent[2].Body)
	files, _ := filepath.Glob(filepath.Join(env.Mail.Dir, "*.eml"))
	require.Len(t, files, 4, "outbox %v", files)
	raw, _ := os.ReadFile(files[0])
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	require.NoError(t, err)
	var dec mime.WordDecoder
	subj, _ := dec.DecodeHeader(msg.Header.Get("Subject"))
	assert.Equal(t, "<"+org.NewBasic+">", msg.Header.Get("To"), "eml headers %v", msg.Header)
	assert.Equal(t, "Your Zoom account at Acme", subj, "eml headers %v", msg.Header)
}

// connect runs "Connect Zoom" as email in a browser.
func connect(t *testing.T, env *exkit.Env, email, mode string) string {
	t.Helper()
	require.NoError(t, env.Fake.SetAuthorizingUser(email))
	b := exkit.NewBrowser()
	defer b.CloseIdleConnections()
	status, body, err := b.Get(t.Context(), env.BaseURL+exkit.ConnectPath+"?mode="+mode)
	require.NoError(t, err, "connect: %d %v", status, err)
	require.Equal(t, 200, status, "connect: %d %v", status, err)
	return body
}

// A write forced through a read-only grant: Zoom itself refuses (4700),
// and RoleUp explains it.
func TestReadOnlyGrantForcedWrite(t *testing.T) {
	ctx := t.Context()
	env, a, org, _ := newTest(t)
	connect(t, env, org.Admin, modeReadOnly)
	c, err := a.store.connection(ctx)
	require.NoError(t, err, "connection %+v %v", c, err)
	require.NotNil(t, c, "connection %+v %v", c, err)
	require.Equal(t, modeReadOnly, c.Mode, "connection %+v %v", c, err)
	cl, err := a.client(c.TokenKey)
	require.NoError(t, err)
	_, _, err = cl.Users.Create(ctx, &zoom.CreateUserRequest{Action: zoom.UserCreateActionCreate,
		UserInfo: &zoom.UserInfo{Email: org.NewBasic, Type: zoom.UserTypeBasic}})
	var apiErr *zoom.APIError
	require.ErrorIs(t, err, zoom.ErrMissingScopes, "forced write: %v", err)
	require.ErrorAs(t, err, &apiErr, "forced write: %v", err)
	require.Equal(t, 4700, apiErr.Code, "forced write: %v", err)
	// Local state claiming read/write (stale or tampered): RoleUp calls
	// Zoom, which refuses, and the admin gets a clear message.
	_, err = env.DB.ExecContext(ctx, `UPDATE user_provisioning_connection SET mode = $1`, modeReadWrite)
	require.NoError(t, err)
	err = a.AddToGroup(ctx, org.Sales, org.Engineering)
	require.ErrorIs(t, err, ErrNoScopes, "app write with a read-only grant: %v", err)
	require.Contains(t, err.Error(), "4700", "app write with a read-only grant: %v", err)
	require.Contains(t, err.Error(), "Reconnect RoleUp with read/write", "app write with a read-only grant: %v", err)
	g, _ := env.Fake.Group(org.Engineering)
	assert.Len(t, g.Members, 3, "Engineering changed: %v", g.Members)
	_, ok := env.Fake.User(org.NewBasic)
	assert.False(t, ok, "the user was created")
}

// In read-only mode every write is refused before any request.
func TestReadOnlyRefusesEveryWrite(t *testing.T) {
	ctx := t.Context()
	env, a, org, _ := newTest(t)
	connect(t, env, org.Owner, modeReadOnly)
	before := len(env.Fake.Requests())
	for name, do := range map[string]func() error{
		"onboard":  func() error { _, err := a.Onboard(ctx, org.NewBasic, "N", "N", "basic"); return err },
		"offboard": func() error { return a.SetOffboarded(ctx, org.Basic, true) },
		"delete":   func() error { return a.Remove(ctx, org.Basic, "delete") },
		"role":     func() error { return a.ChangeRole(ctx, org.Basic, org.Helpdesk) },
		"add":      func() error { return a.AddToGroup(ctx, org.Sales, org.Engineering) },
		"remove":   func() error { return a.RemoveFromGroup(ctx, org.Basic, org.Engineering) },
	} {
		assert.ErrorIs(t, do(), ErrReadOnly, "%s", name)
	}
	assert.Equal(t, 0, len(env.Fake.Requests())-before, "requests reached Zoom")
	assert.Empty(t, env.Mail.Sent(), "an email was sent")
	// The page offers no forms, and a posted form is refused all the same.
	b := exkit.NewBrowser()
	defer b.CloseIdleConnections()
	_, page, err := b.Get(ctx, env.BaseURL+"/users")
	assert.NoError(t, err, "read-only users page (%v):\n%s", err, page)
	assert.NotContains(t, page, `action="/users/onboard"`, "read-only users page (%v):\n%s", err, page)
	assert.Contains(t, page, "Read-only: RoleUp shows the account", "read-only users page (%v):\n%s", err, page)
	resp, err := b.PostForm(env.BaseURL+"/users/onboard", url.Values{"email": {org.NewBasic}, "licence": {"basic"}})
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Contains(t, string(body), "connected to Zoom read-only: nothing was changed or sent to Zoom", "posted onboard in read-only mode:\n%s", body)
	assert.Equal(t, 0, len(env.Fake.Requests())-before, "requests reached Zoom")
}

// Uninstalling from Zoom's Marketplace (app_deauthorized) deletes the
// tokens and every local record; nothing reaches Zoom afterwards.
func TestUninstallFromZoom(t *testing.T) {
	ctx := t.Context()
	env, a, org, _ := newTest(t)
	connect(t, env, org.Admin, modeReadWrite)
	c, _ := a.store.connection(ctx)
	require.NotNil(t, c, "not connected")
	require.NoError(t, env.Fake.Uninstall(org.Admin))
	_, err := env.Tokens.Get(ctx, c.TokenKey)
	assert.Error(t, err, "token kept after app_deauthorized")
	counts, _ := a.store.counts(ctx)
	for table, n := range counts {
		assert.Equal(t, 0, n, "%s rows left", table)
	}
	sent := env.Mail.Sent()
	if assert.Len(t, sent, 1, "sent %+v", sent) {
		assert.Equal(t, org.Admin, sent[0].To, "sent %+v", sent)
		assert.Contains(t, sent[0].Body, "uninstalled", "sent %+v", sent)
	}
	before := len(env.Fake.Requests())
	_, err = a.Sync(ctx)
	assert.ErrorIs(t, err, exkit.ErrNotConnected, "sync after uninstall")
	assert.ErrorIs(t, a.RemovePermanently(ctx), exkit.ErrNotConnected, "remove after uninstall")
	assert.Equal(t, 0, len(env.Fake.Requests())-before, "requests after uninstall")
}

// An account-level uninstall names the owner in app_deauthorized: RoleUp
// checks its own grant and wipes; another user's own uninstall leaves it
// connected.
func TestUninstallByAccount(t *testing.T) {
	ctx := t.Context()
	env, a, org, _ := newTest(t)
	connect(t, env, org.Admin, modeReadWrite)
	require.NoError(t, env.Fake.Uninstall(org.Basic))
	c, _ := a.store.connection(ctx)
	require.NotNil(t, c, "another user's uninstall removed RoleUp's connection")
	require.NoError(t, env.Fake.Uninstall(""))
	c, _ = a.store.connection(ctx)
	require.Nil(t, c, "account-level uninstall kept the connection")
	_, err := env.Tokens.Get(ctx, "roleup:zoom:"+idsOf(env, org.Admin))
	assert.Error(t, err, "token kept")
}

// Removing RoleUp after Zoom already revoked the grant still deletes
// everything.
func TestRemoveWithDeadGrant(t *testing.T) {
	ctx := t.Context()
	env, a, org, _ := newTest(t)
	connect(t, env, org.Admin, modeReadWrite)
	env.Fake.RevokeAll()
	_, err := a.Sync(ctx)
	assert.ErrorIs(t, err, ErrReconnect, "sync with a revoked grant")
	require.NoError(t, a.RemovePermanently(ctx))
	counts, _ := a.store.counts(ctx)
	for table, n := range counts {
		assert.Equal(t, 0, n, "%s rows left", table)
	}
	sent := env.Mail.Sent()
	if assert.Len(t, sent, 1, "sent %+v", sent) {
		assert.Contains(t, sent[0].Body, "Zoom had already ended", "sent %+v", sent)
	}
}

// The web pages and forms.
func TestPages(t *testing.T) {
	ctx := t.Context()
	env, _, org, _ := newTest(t)
	_, err := env.Fake.AddUser(zoomtest.User{Email: "xss@acme.example", FirstName: "<script>alert(1)</script>"})
	require.NoError(t, err)
	b := exkit.NewBrowser()
	defer b.CloseIdleConnections()
	get := func(path string) string {
		t.Helper()
		status, body, err := b.Get(ctx, env.BaseURL+path)
		require.NoError(t, err, "GET %s: %d %v", path, status, err)
		require.Equal(t, 200, status, "GET %s: %d %v", path, status, err)
		return body
	}
	post := func(path string, form url.Values) string {
		t.Helper()
		resp, err := b.PostForm(env.BaseURL+path, form)
		require.NoError(t, err)
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		require.Equal(t, 200, resp.StatusCode, "POST %s %s", path, body)
		return string(body)
	}
	home := get("/")
	assert.Contains(t, home, "Connect Zoom (read/write)", "home before connecting:\n%s", home)
	assert.Contains(t, home, "Connect Zoom (read-only)", "home before connecting:\n%s", home)
	// RoleUp's pages share the examples' layout: its name, the stylesheet,
	// the navigation back home from every page.
	for _, path := range []string{"/", "/users", "/integrations", "/integrations/zoom"} {
		page := get(path)
		for _, want := range []string{" · RoleUp</title>", `<link rel="stylesheet" href="` + exkit.StylesheetPath + `">`, `<a class="brand" href="/">RoleUp</a>`, `<a href="/users">Users</a>`} {
			assert.Contains(t, page, want, "%s lacks %s", path, want)
		}
	}
	require.NoError(t, env.Fake.SetAuthorizingUser(org.Admin))
	home = get(exkit.ConnectPath + "?mode=read-write")
	assert.Contains(t, home, "Connected to Zoom read-write as ada.admin@acme.example. Synced 8 users", "home after connecting:\n%s", home)
	users := get("/users")
	for _, want := range []string{org.Pending, org.Inactive, "Helpdesk", "Engineering", `action="/users/onboard"`, "&lt;script&gt;"} {
		assert.Contains(t, users, want, "users page lacks %q", want)
	}
	assert.NotContains(t, users, "<script>", "users page is not escaped")
	for _, l := range []string{`<option value="basic" selected>Basic</option>`, `<option value="pro">Pro</option>`, `<option value="corporate">Corporate</option>`} {
		assert.Contains(t, users, l, "users page lacks the licence choice %s", l)
	}
	page := post("/users/onboard", url.Values{"email": {org.NewLicensed}, "first_name": {"Omar"}, "licence": {"pro"}})
	assert.Contains(t, page, "Invited omar.new@acme.example with a Pro licence (Licensed in Zoom)", "onboard page:\n%s", page)
	assert.Contains(t, page, "<td>Pro (Licensed)</td>", "onboard page:\n%s", page)
	page = post("/users/onboard", url.Values{"email": {org.NewCorporate}, "licence": {"corporate"}})
	assert.Contains(t, page, "Acme&#39;s Zoom account has no paid seat left for a Corporate licence", "onboard without a seat page:\n%s", page)
	_, ok := env.Fake.User(org.NewCorporate)
	assert.False(t, ok, "a user was created without a seat")
	page = post("/users/onboard", url.Values{"email": {org.Greta}, "licence": {"basic"}})
	for _, want := range []string{"Zoom&#39;s invitation asks them to leave it and join Acme&#39;s account",
		"<td>pending: invited away from another organisation&#39;s Zoom account", "<td>pending: waiting for them to accept Zoom&#39;s email</td>"} {
		assert.Contains(t, page, want, "onboard from elsewhere page lacks %q:\n%s", want, page)
	}
	page = post("/users/onboard", url.Values{"email": {org.GlobexOwner}, "licence": {"basic"}})
	assert.Contains(t, page, "Zoom will not move it (Zoom code 1009", "onboard another account's owner page:\n%s", page)
	page = post("/users/onboard", url.Values{"email": {org.Basic}, "licence": {"basic"}})
	assert.Contains(t, page, "already has a Zoom user (Zoom 409, code 1005)", "onboard existing page:\n%s", page)
	page = post("/users/role", url.Values{"email": {org.Basic}, "role_id": {org.Helpdesk}})
	u, _ := env.Fake.User(org.Basic)
	assert.Equal(t, org.Helpdesk, u.RoleID, "role change: %+v", u)
	assert.Contains(t, page, "Changed the role", "role change: %+v", u)
	post("/groups/add", url.Values{"email": {org.Sales}, "group_id": {org.Engineering}})
	post("/groups/remove", url.Values{"email": {org.Basic}, "group_id": {org.Engineering}})
	g, _ := env.Fake.Group(org.Engineering)
	assert.Equal(t, idsOf(env, org.Admin, org.Licensed, org.Sales), strings.Join(g.Members, ","), "Engineering %v", g.Members)
	// The Offboard toggle and Remove, per user.
	for _, want := range []string{`<input type="hidden" name="offboarded" value="on"><button class="offboard secondary" aria-pressed="false" title="Deactivate in Zoom, delete nothing">Offboard: off</button>`,
		`<input type="hidden" name="offboarded" value="off"><button class="offboard" aria-pressed="true" title="Offboarded: deactivated in Zoom. Click to bring back.">Offboard: on</button>`,
		`action="/users/remove"`, `<option value="disassociate">withdraw the invitation</option>`} {
		assert.Contains(t, users, want, "users page lacks %s", want)
	}
	page = post("/users/offboard", url.Values{"email": {org.Sales}, "offboarded": {"on"}})
	u, _ = env.Fake.User(org.Sales)
	assert.Equal(t, "inactive", u.Status, "offboard toggle on: %+v\n%s", u, page)
	assert.Contains(t, page, "Offboarded sam.sales@acme.example: deactivated in Zoom", "offboard toggle on: %+v\n%s", u, page)
	page = post("/users/offboard", url.Values{"email": {org.Sales}, "offboarded": {"off"}})
	u, _ = env.Fake.User(org.Sales)
	assert.Equal(t, "active", u.Status, "offboard toggle off: %+v\n%s", u, page)
	assert.Contains(t, page, "sam.sales@acme.example is back on board", "offboard toggle off: %+v\n%s", u, page)
	post("/users/remove", url.Values{"email": {org.Inactive}, "action": {"delete"}})
	_, ok = env.Fake.User(org.Inactive)
	assert.False(t, ok, "remove did not delete")
	page = post("/users/remove", url.Values{"email": {org.Pending}, "action": {"delete"}})
	assert.Contains(t, page, "withdraw it with disassociate", "pending delete page:\n%s", page)
	page = post("/sync", nil)
	assert.Contains(t, page, "Synced 9 users", "sync page:\n%s", page)

	// The webhook endpoint only takes signed POSTs.
	resp, err := b.Post(env.BaseURL+exkit.WebhookPath, "application/json", strings.NewReader(`{"event":"app_deauthorized"}`))
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode, "unsigned webhook")

	// The integrations list and the Zoom configuration page.
	integ := get("/integrations")
	for _, want := range []string{"<td>Zoom</td><td>Connected read-write as ada.admin@acme.example</td>", "<code>user:write:admin</code>",
		`<a href="/integrations/zoom">Edit configuration</a>`} {
		assert.Contains(t, integ, want, "integrations page lacks %s:\n%s", want, integ)
	}
	page = post("/integrations/zoom", url.Values{"default_licence": {"corporate"}})
	assert.Contains(t, page, "Saved the Zoom configuration.", "configuration page:\n%s", page)
	assert.Contains(t, page, `<option value="corporate" selected>Corporate</option>`, "configuration page:\n%s", page)
	assert.Contains(t, page, "reconnect read-only", "configuration page:\n%s", page)
	users = get("/users")
	assert.Contains(t, users, `<option value="corporate" selected>Corporate</option>`, "the onboarding form does not offer the configured licence first")
	page = post("/integrations/zoom", url.Values{"default_licence": {"platinum"}})
	assert.Contains(t, page, "Choose a licence: Basic, Pro or Corporate.", "bad configuration page:\n%s", page)

	page = post("/remove", nil)
	assert.Contains(t, page, "RoleUp was removed", "remove page:\n%s", page)
	assert.Contains(t, page, "Connect Zoom (read/write)", "remove page:\n%s", page)
	integ = get("/integrations")
	assert.Contains(t, integ, "<td>Zoom</td><td>Not connected</td><td>none</td>", "integrations page after removal:\n%s", integ)
}

func idsOf(env *exkit.Env, emails ...string) string {
	var ids []string
	for _, e := range emails {
		u, _ := env.Fake.User(e)
		ids = append(ids, u.ID)
	}
	return strings.Join(ids, ",")
}

func TestRunOffline(t *testing.T) {
	t.Setenv("ZOOM_CLIENT_ID", "")
	t.Setenv("ZOOMKIT_DB", "")
	var out bytes.Buffer
	require.NoError(t, run(context.Background(), []string{"-data", t.TempDir()}, &out, &out), "\n%s", out.String())
	assert.Contains(t, out.String(), "Emails RoleUp sent", "output:\n%s", out.String())
}

// A member's refused connection (Zoom's consent page refuses a member an
// admin-managed app) leaves the admin's connection in place.
func TestMemberRefusedKeepsConnection(t *testing.T) {
	ctx := t.Context()
	env, a, org, _ := newTest(t)
	connect(t, env, org.Admin, modeReadWrite)
	require.NoError(t, env.Fake.SetAuthorizingUser(org.Licensed))
	b := exkit.NewBrowser()
	defer b.CloseIdleConnections()
	status, page, err := b.Get(ctx, env.BaseURL+exkit.ConnectPath+"?mode="+modeReadOnly)
	assert.NoError(t, err, "member's connect: %d %v\n%s", status, err, page)
	assert.Equal(t, http.StatusForbidden, status, "member's connect: %d %v\n%s", status, err, page)
	assert.Contains(t, page, "An account admin is required to install this type of app", "member's connect: %d %v\n%s", status, err, page)
	c, err := a.store.connection(ctx)
	require.NoError(t, err, "connection %+v %v", c, err)
	require.NotNil(t, c, "connection %+v %v", c, err)
	require.Equal(t, org.Admin, c.Email, "connection %+v %v", c, err)
	require.Equal(t, modeReadWrite, c.Mode, "connection %+v %v", c, err)
	_, err = a.Sync(ctx)
	require.NoError(t, err, "sync with the admin's grant")
}

// Every POST route refuses a browser's cross-site post (a foreign Origin,
// Sec-Fetch-Site cross-site or same-site) with 403 and changes nothing:
// no Zoom request, no record, no email; the same post from RoleUp's own
// pages goes through.
func TestCrossSitePostsRefused(t *testing.T) {
	ctx := t.Context()
	env, a, org, _ := newTest(t)
	connect(t, env, org.Admin, modeReadWrite)
	state := func() string {
		counts, err := a.store.counts(ctx)
		c, _ := a.store.connection(ctx)
		dl, _ := a.DefaultLicence(ctx)
		return fmt.Sprintf("zoom requests %d, records %v (%v), connected %v, licence %s, emails %d",
			len(env.Fake.Requests()), counts, err, c != nil, dl, len(env.Mail.Sent()))
	}
	routes := []exkittest.PostRoute{
		{Path: "/integrations/zoom", Form: url.Values{"default_licence": {"pro"}}, SameOrigin: http.StatusSeeOther},
		{Path: "/sync", SameOrigin: http.StatusSeeOther},
		{Path: "/users/onboard", Form: url.Values{"email": {org.NewBasic}, "licence": {"basic"}}, SameOrigin: http.StatusSeeOther},
		{Path: "/users/role", Form: url.Values{"email": {org.Basic}, "role_id": {org.Helpdesk}}, SameOrigin: http.StatusSeeOther},
		{Path: "/groups/add", Form: url.Values{"email": {org.Sales}, "group_id": {org.Engineering}}, SameOrigin: http.StatusSeeOther},
		{Path: "/groups/remove", Form: url.Values{"email": {org.Basic}, "group_id": {org.Engineering}}, SameOrigin: http.StatusSeeOther},
		{Path: "/users/offboard", Form: url.Values{"email": {org.Licensed}, "offboarded": {"on"}}, SameOrigin: http.StatusSeeOther},
		{Path: "/users/remove", Form: url.Values{"email": {org.Inactive}, "action": {"delete"}}, SameOrigin: http.StatusSeeOther},
		{Path: exkit.WebhookPath, SameOrigin: http.StatusUnauthorized}, // Zoom's posts carry a signature, not a browser's headers
		{Path: "/remove", SameOrigin: http.StatusSeeOther},
	}
	var table []string
	for _, r := range routes {
		table = append(table, r.Path)
	}
	slices.Sort(table)
	posts := slices.Sorted(slices.Values(a.posts))
	require.Equal(t, posts, table, "the table covers; RoleUp's POST routes are")
	exkittest.AssertPostRoutesRefuseCrossSite(t, env.BaseURL, routes, state)
	// The same-origin posts did their work.
	u, ok := env.Fake.User(org.NewBasic)
	assert.True(t, ok, "same-origin onboard: %+v", u)
	assert.Equal(t, "pending", u.Status, "same-origin onboard: %+v", u)
	u, _ = env.Fake.User(org.Licensed)
	assert.Equal(t, "inactive", u.Status, "same-origin offboard: %+v", u)
	c, _ := a.store.connection(ctx)
	assert.Nil(t, c, "same-origin remove kept the connection")
}

// Zoom failing, or out of reach, is told in a sentence that says what to
// do; the Go error and Zoom's own text go to the log, not to the page.
func TestFailuresShownAsSentences(t *testing.T) {
	ctx := t.Context()
	env, a, org, out := newTest(t)
	connect(t, env, org.Admin, modeReadWrite)
	b := exkit.NewBrowser()
	defer b.CloseIdleConnections()
	post := func(path string, form url.Values) string {
		t.Helper()
		resp, err := b.PostForm(env.BaseURL+path, form)
		require.NoError(t, err)
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return string(body)
	}
	flash := func(page string) string {
		t.Helper()
		m := flashRE.FindStringSubmatch(page)
		require.NotNil(t, m, "no error shown:\n%s", page)
		require.Equal(t, "err", m[1], "no error shown:\n%s", page)
		return html.UnescapeString(m[2])
	}
	for _, tc := range []struct {
		name  string
		fault zoomtest.Fault
		want  string
	}{
		{"Zoom's server error", zoomtest.Fault{Operation: "userStatus", Count: 10, Status: http.StatusInternalServerError},
			"Zoom had a problem on its side and could not offboard " + org.Licensed + ". Try again in a few minutes."},
		{"network", zoomtest.Fault{Operation: "userStatus", Count: 10, Reset: true},
			"RoleUp could not reach Zoom to offboard " + org.Licensed + ". Check the network connection, then try again."},
		{"rate limit", zoomtest.Fault{Operation: "userStatus", Count: 10, Status: http.StatusTooManyRequests},
			"Zoom is busy with RoleUp's requests and could not offboard " + org.Licensed + " now. Nothing was changed: try again in a minute."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env.Fake.ClearFaults()
			require.NoError(t, env.Fake.InjectFault(tc.fault))
			got := flash(post("/users/offboard", url.Values{"email": {org.Licensed}, "offboarded": {"on"}}))
			if got != tc.want && !strings.HasPrefix(got, strings.TrimSuffix(tc.want, ".")) {
				t.Errorf("shown %q, want %q", got, tc.want)
			}
			for _, leak := range []string{"zoom:", "oauth:", "dial tcp", "connection reset", "PUT ", "/users/"} {
				assert.NotContains(t, got, leak, "the sentence shows %q: %s", leak, got)
			}
		})
	}
	env.Fake.ClearFaults()
	u, _ := env.Fake.User(org.Licensed)
	assert.Equal(t, "active", u.Status, "Lena after the failures")
	// A revoked grant (Zoom's side): reconnect, in plain words.
	env.Fake.RevokeAll()
	assert.Equal(t, "The Zoom connection was revoked or has expired: connect Zoom again.", flash(post("/sync", nil)), "revoked grant")
	// The log has the detail behind each sentence.
	log := out.String()
	assert.Contains(t, log, `level=WARN msg="action failed" action="offboard the user"`, "the log lacks the failures:\n%s", log)
	assert.Contains(t, log, "zoom_status=500", "the log lacks the failures:\n%s", log)
	_ = ctx
	_ = a
}
