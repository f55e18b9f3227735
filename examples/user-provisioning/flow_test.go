package main

import (
	"bytes"
	"context"
	"errors"
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
	if err != nil {
		t.Fatal(err)
	}
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
	if _, err := db.ExecContext(t.Context(), "CREATE SCHEMA "+schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _, _ = db.ExecContext(context.Background(), "DROP SCHEMA "+schema+" CASCADE") })
	u, err := url.Parse(servicetest.PostgresDSN(t))
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	checkFlow(t, exkit.Config{DSN: u.String()})
	var n int
	if err := db.QueryRowContext(t.Context(), "SELECT count(*) FROM "+schema+".user_provisioning_users").Scan(&n); err != nil || n != 7 {
		t.Errorf("PostgreSQL holds %d mirrored users (%v), want 7", n, err)
	}
}

func checkFlow(t *testing.T, cfg exkit.Config) {
	ctx := t.Context()
	env, a, org, out := newTestWith(t, cfg)
	if err := runFlow(ctx, env, a, org); err != nil {
		t.Fatalf("flow: %v\n%s", err, out)
	}
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
		if !strings.Contains(transcript, want) {
			t.Errorf("transcript lacks %q", want)
		}
	}
	for _, secret := range []string{"zt_at_", "zt_rt_", env.OAuth.ClientSecret, env.WebhookSecret} {
		if strings.Contains(transcript, secret) {
			t.Errorf("transcript holds a secret (%.6s...)", secret)
		}
	}

	// Zoom's state after the flow.
	fake := env.Fake
	check := func(email, status string, typ int, role string, groups ...string) {
		t.Helper()
		u, ok := fake.User(email)
		if status == "" {
			if ok {
				t.Errorf("%s still in Zoom", email)
			}
			return
		}
		got := append([]string(nil), u.GroupIDs...)
		sort.Strings(got)
		sort.Strings(groups)
		if !ok || u.Status != status || u.Type != typ || u.RoleID != role || strings.Join(got, ",") != strings.Join(groups, ",") {
			t.Errorf("%s in Zoom: %+v", email, u)
		}
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
	if _, err := fake.UserIn(org.Globex, org.Greta); err == nil {
		t.Error("Greta is still in Globex's account")
	}
	if _, err := fake.UserIn(org.Globex, org.GlobexOwner); err != nil {
		t.Errorf("Globex's owner: %v", err)
	}

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
		if got := fmt.Sprint(byOp[op]); got != want {
			t.Errorf("%s answered %s, want %s", op, got, want)
		}
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
	if refused < 0 {
		t.Fatal("Zoom did not refuse the member")
	}
	if next := reqs[refused+1]; next.Operation != "oauth.authorize" {
		t.Errorf("after the member's refusal Zoom received %s %s", next.Method, next.Path)
	}
	// Removal: nothing reached Zoom between the revocation and the
	// reinstall's authorization.
	var lastRevoke int
	for i, r := range reqs {
		if r.Operation == "oauth.revoke" {
			lastRevoke = i
		}
	}
	if next := reqs[lastRevoke+1]; next.Operation != "oauth.authorize" {
		t.Errorf("after removal Zoom received %s %s", next.Method, next.Path)
	}
	// The read-only step: no write was attempted with the read-only grant.
	for _, r := range reqs {
		if r.Status == http.StatusBadRequest && r.Operation != "userCreate" { // userCreate: no seat left
			t.Errorf("Zoom refused %s %s", r.Method, r.Path)
		}
	}

	// Records: reconnected read/write by Ada, the mirror matches Zoom.
	c, err := a.store.connection(ctx)
	if err != nil || c == nil || c.Mode != modeReadWrite || c.Email != org.Admin || c.RoleID != "1" {
		t.Fatalf("connection %+v %v", c, err)
	}
	if err := mirrorMatchesZoom(ctx, a, fake); err != nil {
		t.Error(err)
	}
	roles, _ := a.store.roles(ctx)
	var names []string
	for _, r := range roles {
		names = append(names, r.Name)
	}
	sort.Strings(names)
	if got := strings.Join(names, ","); got != "Admin,Helpdesk,Member,Owner" {
		t.Errorf("roles %s", got)
	}
	audit, _ := a.store.auditLog(ctx, 100)
	if len(audit) != 2 || audit[1].Action != "connect" || audit[0].Action != "sync" {
		t.Errorf("audit after reinstall: %+v (the removal should have deleted the older entries)", audit)
	}

	// Tokens: Ada's, not Ben's.
	ben, _ := fake.User(org.Basic)
	if _, err := env.Tokens.Get(ctx, "roleup:zoom:"+ben.ID); err == nil {
		t.Error("the member's token is stored")
	}
	if tok, err := env.Tokens.Get(ctx, c.TokenKey); err != nil || tok.AccessToken == "" {
		t.Errorf("Ada's token: %v", err)
	}

	// Emails: two welcomes and the removal notice, as .eml files.
	sent := env.Mail.Sent()
	if len(sent) != 4 || sent[0].To != org.NewBasic || sent[1].To != org.NewLicensed || sent[2].To != org.Greta || sent[3].To != org.Admin {
		t.Fatalf("sent %+v", sent)
	}
	if !strings.Contains(sent[1].Body, "with a Pro licence (a Licensed user in Zoom)") || !strings.Contains(sent[3].Body, "deleted its tokens") {
		t.Errorf("bodies %q / %q", sent[1].Body, sent[3].Body)
	}
	if !strings.Contains(sent[2].Body, "accepting moves you into Acme's account, and you leave the other one") {
		t.Errorf("Greta's welcome: %q", sent[2].Body)
	}
	files, _ := filepath.Glob(filepath.Join(env.Mail.Dir, "*.eml"))
	if len(files) != 4 {
		t.Fatalf("outbox %v", files)
	}
	raw, _ := os.ReadFile(files[0])
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	var dec mime.WordDecoder
	subj, _ := dec.DecodeHeader(msg.Header.Get("Subject"))
	if msg.Header.Get("To") != "<"+org.NewBasic+">" || subj != "Your Zoom account at Acme" {
		t.Errorf("eml headers %v", msg.Header)
	}
}

// connect runs "Connect Zoom" as email in a browser.
func connect(t *testing.T, env *exkit.Env, email, mode string) string {
	t.Helper()
	if err := env.Fake.SetAuthorizingUser(email); err != nil {
		t.Fatal(err)
	}
	b := exkit.NewBrowser()
	defer b.CloseIdleConnections()
	status, body, err := b.Get(t.Context(), env.BaseURL+exkit.ConnectPath+"?mode="+mode)
	if err != nil || status != 200 {
		t.Fatalf("connect: %d %v", status, err)
	}
	return body
}

// A write forced through a read-only grant: Zoom itself refuses (4700),
// and RoleUp explains it.
func TestReadOnlyGrantForcedWrite(t *testing.T) {
	ctx := t.Context()
	env, a, org, _ := newTest(t)
	connect(t, env, org.Admin, modeReadOnly)
	c, err := a.store.connection(ctx)
	if err != nil || c == nil || c.Mode != modeReadOnly {
		t.Fatalf("connection %+v %v", c, err)
	}
	cl, err := a.client(c.TokenKey)
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = cl.Users.Create(ctx, &zoom.CreateUserRequest{Action: zoom.UserCreateActionCreate,
		UserInfo: &zoom.UserInfo{Email: org.NewBasic, Type: zoom.UserTypeBasic}})
	var apiErr *zoom.APIError
	if !errors.Is(err, zoom.ErrMissingScopes) || !errors.As(err, &apiErr) || apiErr.Code != 4700 {
		t.Fatalf("forced write: %v", err)
	}
	// Local state claiming read/write (stale or tampered): RoleUp calls
	// Zoom, which refuses, and the admin gets a clear message.
	if _, err := env.DB.ExecContext(ctx, `UPDATE user_provisioning_connection SET mode = $1`, modeReadWrite); err != nil {
		t.Fatal(err)
	}
	err = a.AddToGroup(ctx, org.Sales, org.Engineering)
	if !errors.Is(err, ErrNoScopes) || !strings.Contains(err.Error(), "4700") || !strings.Contains(err.Error(), "Reconnect RoleUp with read/write") {
		t.Fatalf("app write with a read-only grant: %v", err)
	}
	if g, _ := env.Fake.Group(org.Engineering); len(g.Members) != 3 {
		t.Errorf("Engineering changed: %v", g.Members)
	}
	if _, ok := env.Fake.User(org.NewBasic); ok {
		t.Error("the user was created")
	}
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
		if err := do(); !errors.Is(err, ErrReadOnly) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if n := len(env.Fake.Requests()) - before; n != 0 {
		t.Errorf("%d requests reached Zoom", n)
	}
	if len(env.Mail.Sent()) != 0 {
		t.Error("an email was sent")
	}
	// The page offers no forms, and a posted form is refused all the same.
	b := exkit.NewBrowser()
	defer b.CloseIdleConnections()
	_, page, err := b.Get(ctx, env.BaseURL+"/users")
	if err != nil || strings.Contains(page, `action="/users/onboard"`) || !strings.Contains(page, "Read-only: RoleUp shows the account") {
		t.Errorf("read-only users page (%v):\n%s", err, page)
	}
	resp, err := b.PostForm(env.BaseURL+"/users/onboard", url.Values{"email": {org.NewBasic}, "licence": {"basic"}})
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(body), "connected to Zoom read-only: nothing was changed or sent to Zoom") {
		t.Errorf("posted onboard in read-only mode:\n%s", body)
	}
	if n := len(env.Fake.Requests()) - before; n != 0 {
		t.Errorf("%d requests reached Zoom", n)
	}
}

// Uninstalling from Zoom's Marketplace (app_deauthorized) deletes the
// tokens and every local record; nothing reaches Zoom afterwards.
func TestUninstallFromZoom(t *testing.T) {
	ctx := t.Context()
	env, a, org, _ := newTest(t)
	connect(t, env, org.Admin, modeReadWrite)
	c, _ := a.store.connection(ctx)
	if c == nil {
		t.Fatal("not connected")
	}
	if err := env.Fake.Uninstall(org.Admin); err != nil {
		t.Fatal(err)
	}
	if _, err := env.Tokens.Get(ctx, c.TokenKey); err == nil {
		t.Error("token kept after app_deauthorized")
	}
	counts, _ := a.store.counts(ctx)
	for table, n := range counts {
		if n != 0 {
			t.Errorf("%s: %d rows left", table, n)
		}
	}
	sent := env.Mail.Sent()
	if len(sent) != 1 || sent[0].To != org.Admin || !strings.Contains(sent[0].Body, "uninstalled") {
		t.Errorf("sent %+v", sent)
	}
	before := len(env.Fake.Requests())
	if _, err := a.Sync(ctx); !errors.Is(err, exkit.ErrNotConnected) {
		t.Errorf("sync after uninstall: %v", err)
	}
	if err := a.RemovePermanently(ctx); !errors.Is(err, exkit.ErrNotConnected) {
		t.Errorf("remove after uninstall: %v", err)
	}
	if n := len(env.Fake.Requests()) - before; n != 0 {
		t.Errorf("%d requests after uninstall", n)
	}
}

// An account-level uninstall names the owner in app_deauthorized: RoleUp
// checks its own grant and wipes; another user's own uninstall leaves it
// connected.
func TestUninstallByAccount(t *testing.T) {
	ctx := t.Context()
	env, a, org, _ := newTest(t)
	connect(t, env, org.Admin, modeReadWrite)
	if err := env.Fake.Uninstall(org.Basic); err != nil {
		t.Fatal(err)
	}
	if c, _ := a.store.connection(ctx); c == nil {
		t.Fatal("another user's uninstall removed RoleUp's connection")
	}
	if err := env.Fake.Uninstall(""); err != nil {
		t.Fatal(err)
	}
	if c, _ := a.store.connection(ctx); c != nil {
		t.Fatal("account-level uninstall kept the connection")
	}
	if _, err := env.Tokens.Get(ctx, "roleup:zoom:"+idsOf(env, org.Admin)); err == nil {
		t.Error("token kept")
	}
}

// Removing RoleUp after Zoom already revoked the grant still deletes
// everything.
func TestRemoveWithDeadGrant(t *testing.T) {
	ctx := t.Context()
	env, a, org, _ := newTest(t)
	connect(t, env, org.Admin, modeReadWrite)
	env.Fake.RevokeAll()
	if _, err := a.Sync(ctx); !errors.Is(err, ErrReconnect) {
		t.Errorf("sync with a revoked grant: %v", err)
	}
	if err := a.RemovePermanently(ctx); err != nil {
		t.Fatal(err)
	}
	counts, _ := a.store.counts(ctx)
	for table, n := range counts {
		if n != 0 {
			t.Errorf("%s: %d rows left", table, n)
		}
	}
	if sent := env.Mail.Sent(); len(sent) != 1 || !strings.Contains(sent[0].Body, "Zoom had already ended") {
		t.Errorf("sent %+v", sent)
	}
}

// The web pages and forms.
func TestPages(t *testing.T) {
	ctx := t.Context()
	env, _, org, _ := newTest(t)
	if _, err := env.Fake.AddUser(zoomtest.User{Email: "xss@acme.example", FirstName: "<script>alert(1)</script>"}); err != nil {
		t.Fatal(err)
	}
	b := exkit.NewBrowser()
	defer b.CloseIdleConnections()
	get := func(path string) string {
		t.Helper()
		status, body, err := b.Get(ctx, env.BaseURL+path)
		if err != nil || status != 200 {
			t.Fatalf("GET %s: %d %v", path, status, err)
		}
		return body
	}
	post := func(path string, form url.Values) string {
		t.Helper()
		resp, err := b.PostForm(env.BaseURL+path, form)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 {
			t.Fatalf("POST %s: %d %s", path, resp.StatusCode, body)
		}
		return string(body)
	}
	if home := get("/"); !strings.Contains(home, "Connect Zoom (read/write)") || !strings.Contains(home, "Connect Zoom (read-only)") {
		t.Errorf("home before connecting:\n%s", home)
	}
	// RoleUp's pages share the examples' layout: its name, the stylesheet,
	// the navigation back home from every page.
	for _, path := range []string{"/", "/users", "/integrations", "/integrations/zoom"} {
		page := get(path)
		for _, want := range []string{" · RoleUp</title>", `<link rel="stylesheet" href="` + exkit.StylesheetPath + `">`, `<a class="brand" href="/">RoleUp</a>`, `<a href="/users">Users</a>`} {
			if !strings.Contains(page, want) {
				t.Errorf("%s lacks %s", path, want)
			}
		}
	}
	if err := env.Fake.SetAuthorizingUser(org.Admin); err != nil {
		t.Fatal(err)
	}
	home := get(exkit.ConnectPath + "?mode=read-write")
	if !strings.Contains(home, "Connected to Zoom read-write as ada.admin@acme.example. Synced 8 users") {
		t.Errorf("home after connecting:\n%s", home)
	}
	users := get("/users")
	for _, want := range []string{org.Pending, org.Inactive, "Helpdesk", "Engineering", `action="/users/onboard"`, "&lt;script&gt;"} {
		if !strings.Contains(users, want) {
			t.Errorf("users page lacks %q", want)
		}
	}
	if strings.Contains(users, "<script>") {
		t.Error("users page is not escaped")
	}
	for _, l := range []string{`<option value="basic" selected>Basic</option>`, `<option value="pro">Pro</option>`, `<option value="corporate">Corporate</option>`} {
		if !strings.Contains(users, l) {
			t.Errorf("users page lacks the licence choice %s", l)
		}
	}
	page := post("/users/onboard", url.Values{"email": {org.NewLicensed}, "first_name": {"Omar"}, "licence": {"pro"}})
	if !strings.Contains(page, "Invited omar.new@acme.example with a Pro licence (Licensed in Zoom)") || !strings.Contains(page, "<td>Pro (Licensed)</td>") {
		t.Errorf("onboard page:\n%s", page)
	}
	page = post("/users/onboard", url.Values{"email": {org.NewCorporate}, "licence": {"corporate"}})
	if !strings.Contains(page, "Acme&#39;s Zoom account has no paid seat left for a Corporate licence") {
		t.Errorf("onboard without a seat page:\n%s", page)
	}
	if _, ok := env.Fake.User(org.NewCorporate); ok {
		t.Error("a user was created without a seat")
	}
	page = post("/users/onboard", url.Values{"email": {org.Greta}, "licence": {"basic"}})
	for _, want := range []string{"Zoom&#39;s invitation asks them to leave it and join Acme&#39;s account",
		"<td>pending: invited away from another organisation&#39;s Zoom account", "<td>pending: waiting for them to accept Zoom&#39;s email</td>"} {
		if !strings.Contains(page, want) {
			t.Errorf("onboard from elsewhere page lacks %q:\n%s", want, page)
		}
	}
	page = post("/users/onboard", url.Values{"email": {org.GlobexOwner}, "licence": {"basic"}})
	if !strings.Contains(page, "Zoom will not move it (Zoom code 1009") {
		t.Errorf("onboard another account's owner page:\n%s", page)
	}
	page = post("/users/onboard", url.Values{"email": {org.Basic}, "licence": {"basic"}})
	if !strings.Contains(page, "already has a Zoom user (Zoom 409, code 1005)") {
		t.Errorf("onboard existing page:\n%s", page)
	}
	page = post("/users/role", url.Values{"email": {org.Basic}, "role_id": {org.Helpdesk}})
	if u, _ := env.Fake.User(org.Basic); u.RoleID != org.Helpdesk || !strings.Contains(page, "Changed the role") {
		t.Errorf("role change: %+v", u)
	}
	post("/groups/add", url.Values{"email": {org.Sales}, "group_id": {org.Engineering}})
	post("/groups/remove", url.Values{"email": {org.Basic}, "group_id": {org.Engineering}})
	if g, _ := env.Fake.Group(org.Engineering); strings.Join(g.Members, ",") != idsOf(env, org.Admin, org.Licensed, org.Sales) {
		t.Errorf("Engineering %v", g.Members)
	}
	// The Offboard toggle and Remove, per user.
	for _, want := range []string{`<input type="hidden" name="offboarded" value="on"><button class="offboard secondary" aria-pressed="false" title="Deactivate in Zoom, delete nothing">Offboard: off</button>`,
		`<input type="hidden" name="offboarded" value="off"><button class="offboard" aria-pressed="true" title="Offboarded: deactivated in Zoom. Click to bring back.">Offboard: on</button>`,
		`action="/users/remove"`, `<option value="disassociate">withdraw the invitation</option>`} {
		if !strings.Contains(users, want) {
			t.Errorf("users page lacks %s", want)
		}
	}
	page = post("/users/offboard", url.Values{"email": {org.Sales}, "offboarded": {"on"}})
	if u, _ := env.Fake.User(org.Sales); u.Status != "inactive" || !strings.Contains(page, "Offboarded sam.sales@acme.example: deactivated in Zoom") {
		t.Errorf("offboard toggle on: %+v\n%s", u, page)
	}
	page = post("/users/offboard", url.Values{"email": {org.Sales}, "offboarded": {"off"}})
	if u, _ := env.Fake.User(org.Sales); u.Status != "active" || !strings.Contains(page, "sam.sales@acme.example is back on board") {
		t.Errorf("offboard toggle off: %+v\n%s", u, page)
	}
	post("/users/remove", url.Values{"email": {org.Inactive}, "action": {"delete"}})
	if _, ok := env.Fake.User(org.Inactive); ok {
		t.Error("remove did not delete")
	}
	page = post("/users/remove", url.Values{"email": {org.Pending}, "action": {"delete"}})
	if !strings.Contains(page, "withdraw it with disassociate") {
		t.Errorf("pending delete page:\n%s", page)
	}
	page = post("/sync", nil)
	if !strings.Contains(page, "Synced 9 users") {
		t.Errorf("sync page:\n%s", page)
	}

	// The webhook endpoint only takes signed POSTs.
	resp, err := b.Post(env.BaseURL+exkit.WebhookPath, "application/json", strings.NewReader(`{"event":"app_deauthorized"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("unsigned webhook: %d", resp.StatusCode)
	}

	// The integrations list and the Zoom configuration page.
	integ := get("/integrations")
	for _, want := range []string{"<td>Zoom</td><td>Connected read-write as ada.admin@acme.example</td>", "<code>user:write:admin</code>",
		`<a href="/integrations/zoom">Edit configuration</a>`} {
		if !strings.Contains(integ, want) {
			t.Errorf("integrations page lacks %s:\n%s", want, integ)
		}
	}
	page = post("/integrations/zoom", url.Values{"default_licence": {"corporate"}})
	if !strings.Contains(page, "Saved the Zoom configuration.") || !strings.Contains(page, `<option value="corporate" selected>Corporate</option>`) ||
		!strings.Contains(page, "reconnect read-only") {
		t.Errorf("configuration page:\n%s", page)
	}
	if users := get("/users"); !strings.Contains(users, `<option value="corporate" selected>Corporate</option>`) {
		t.Error("the onboarding form does not offer the configured licence first")
	}
	page = post("/integrations/zoom", url.Values{"default_licence": {"platinum"}})
	if !strings.Contains(page, "Choose a licence: Basic, Pro or Corporate.") {
		t.Errorf("bad configuration page:\n%s", page)
	}

	page = post("/remove", nil)
	if !strings.Contains(page, "RoleUp was removed") || !strings.Contains(page, "Connect Zoom (read/write)") {
		t.Errorf("remove page:\n%s", page)
	}
	if integ := get("/integrations"); !strings.Contains(integ, "<td>Zoom</td><td>Not connected</td><td>none</td>") {
		t.Errorf("integrations page after removal:\n%s", integ)
	}
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
	if err := run(context.Background(), []string{"-data", t.TempDir()}, &out, &out); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "Emails RoleUp sent") {
		t.Errorf("output:\n%s", out.String())
	}
}

// A member's refused connection (Zoom's consent page refuses a member an
// admin-managed app) leaves the admin's connection in place.
func TestMemberRefusedKeepsConnection(t *testing.T) {
	ctx := t.Context()
	env, a, org, _ := newTest(t)
	connect(t, env, org.Admin, modeReadWrite)
	if err := env.Fake.SetAuthorizingUser(org.Licensed); err != nil {
		t.Fatal(err)
	}
	b := exkit.NewBrowser()
	defer b.CloseIdleConnections()
	status, page, err := b.Get(ctx, env.BaseURL+exkit.ConnectPath+"?mode="+modeReadOnly)
	if err != nil || status != http.StatusForbidden || !strings.Contains(page, "An account admin is required to install this type of app") {
		t.Errorf("member's connect: %d %v\n%s", status, err, page)
	}
	c, err := a.store.connection(ctx)
	if err != nil || c == nil || c.Email != org.Admin || c.Mode != modeReadWrite {
		t.Fatalf("connection %+v %v", c, err)
	}
	if _, err := a.Sync(ctx); err != nil {
		t.Fatalf("sync with the admin's grant: %v", err)
	}
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
	if !slices.Equal(table, posts) {
		t.Fatalf("the table covers %v; RoleUp's POST routes are %v", table, posts)
	}
	exkittest.AssertPostRoutesRefuseCrossSite(t, env.BaseURL, routes, state)
	// The same-origin posts did their work.
	if u, ok := env.Fake.User(org.NewBasic); !ok || u.Status != "pending" {
		t.Errorf("same-origin onboard: %+v", u)
	}
	if u, _ := env.Fake.User(org.Licensed); u.Status != "inactive" {
		t.Errorf("same-origin offboard: %+v", u)
	}
	if c, _ := a.store.connection(ctx); c != nil {
		t.Error("same-origin remove kept the connection")
	}
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
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return string(body)
	}
	flash := func(page string) string {
		t.Helper()
		m := flashRE.FindStringSubmatch(page)
		if m == nil || m[1] != "err" {
			t.Fatalf("no error shown:\n%s", page)
		}
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
			if err := env.Fake.InjectFault(tc.fault); err != nil {
				t.Fatal(err)
			}
			got := flash(post("/users/offboard", url.Values{"email": {org.Licensed}, "offboarded": {"on"}}))
			if got != tc.want && !strings.HasPrefix(got, strings.TrimSuffix(tc.want, ".")) {
				t.Errorf("shown %q, want %q", got, tc.want)
			}
			for _, leak := range []string{"zoom:", "oauth:", "dial tcp", "connection reset", "PUT ", "/users/"} {
				if strings.Contains(got, leak) {
					t.Errorf("the sentence shows %q: %s", leak, got)
				}
			}
		})
	}
	env.Fake.ClearFaults()
	if u, _ := env.Fake.User(org.Licensed); u.Status != "active" {
		t.Errorf("Lena after the failures: %s", u.Status)
	}
	// A revoked grant (Zoom's side): reconnect, in plain words.
	env.Fake.RevokeAll()
	if got := flash(post("/sync", nil)); got != "The Zoom connection was revoked or has expired: connect Zoom again." {
		t.Errorf("revoked grant: %q", got)
	}
	// The log has the detail behind each sentence.
	if log := out.String(); !strings.Contains(log, `level=WARN msg="action failed" action="offboard the user"`) || !strings.Contains(log, "zoom_status=500") {
		t.Errorf("the log lacks the failures:\n%s", log)
	}
	_ = ctx
	_ = a
}
