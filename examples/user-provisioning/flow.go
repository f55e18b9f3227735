package main

import (
	"context"
	"errors"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/zoomkit/zoomkit/examples/internal/exkit"
	"github.com/zoomkit/zoomkit/zoom/zoomtest"
)

// templates names the path templates of the operations RoleUp calls, for
// the transcript (the fake logs the concrete paths).
var templates = map[string]string{
	"users":              "/users",
	"userCreate":         "/users",
	"userEmail":          "/users/email",
	"user":               "/users/{userId}",
	"userDelete":         "/users/{userId}",
	"userStatus":         "/users/{userId}/status",
	"groups":             "/groups",
	"groupMembers":       "/groups/{groupId}/members",
	"groupMembersCreate": "/groups/{groupId}/members",
	"groupMembersDelete": "/groups/{groupId}/members/{memberId}",
	"roles":              "/roles",
	"AddRoleMembers":     "/roles/{roleId}/members",
	"roleMemberDelete":   "/roles/{roleId}/members/{memberId}",
}

// flow drives RoleUp through its whole life against the fake Zoom, the
// way an admin would click through it, and prints what happened.
type flow struct {
	env     *exkit.Env
	fake    *zoomtest.Server
	app     *app
	org     *acme
	log     *exkit.Transcript
	browser *exkit.Browser

	reqMark, delMark int
}

func runFlow(ctx context.Context, env *exkit.Env, a *app, org *acme) error {
	if env.Fake == nil || org == nil {
		return errors.New("the scripted flow runs against the embedded fake Zoom; use -serve with real Zoom")
	}
	f := &flow{env: env, fake: env.Fake, app: a, org: org, log: env.Log, browser: exkit.NewBrowser()}
	steps := []struct {
		title string
		run   func(context.Context) error
	}{
		{"Acme's Zoom account (set up in Zoom's web portal)", f.showAccount},
		{"A member tries to connect RoleUp", f.memberConnects},
		{"Ada (admin) connects RoleUp read-only; RoleUp syncs", f.connectReadOnly},
		{"Read-only: onboarding is refused before calling Zoom", f.readOnlyRefuses},
		{"Ada reconnects read/write; RoleUp syncs", f.connectReadWrite},
		{"Integrations: Zoom's connection state and scopes; Edit configuration", f.integrations},
		{"Onboard new hires: the licences Basic, Pro and Corporate", f.onboard},
		{"Onboard an email that already has a Zoom user", f.onboardExisting},
		{"Onboard people who already have a Zoom account elsewhere", f.onboardElsewhere},
		{"Nina accepts Zoom's invitation; the next sync shows her active", f.acceptInvitation},
		{"Greta accepts: she leaves Globex's Zoom account and joins Acme's", f.acceptElsewhere},
		{"Change roles", f.changeRoles},
		{"Change group memberships", f.changeGroups},
		{"Offboard toggle: Lena is offboarded, then brought back", f.offboardToggle},
		{"Remove: disassociate, delete, withdraw an invitation", f.offboard},
		{"Sync: RoleUp's mirror matches Zoom", f.syncMatches},
		{"Remove RoleUp permanently", f.remove},
		{"After removal nothing reaches Zoom", f.nothingAfterRemoval},
		{"Integrations after removal", f.showIntegrations},
		{"Reinstall: Ada connects again and the sync restores the mirror", f.reinstall},
		{"Emails RoleUp sent", f.outbox},
	}
	for _, s := range steps {
		f.log.Step("%s", s.title)
		err := s.run(ctx)
		f.zoomCalls()
		if err != nil {
			f.log.Fail("%v", err)
			return fmt.Errorf("step %q: %w", s.title, err)
		}
	}
	return nil
}

// zoomCalls prints the requests Zoom received and the webhooks it
// delivered since the last call, collapsing repeats.
func (f *flow) zoomCalls() {
	reqs := f.fake.Requests()
	if f.reqMark > len(reqs) {
		f.reqMark = 0
	}
	type line struct{ method, path, op string }
	var lines []line
	var counts []int
	var failures []string
	for _, r := range reqs[f.reqMark:] {
		p := r.Path
		if t, ok := templates[r.Operation]; ok {
			p = t
		} else if strings.HasPrefix(p, "/v2/") {
			p = strings.TrimPrefix(p, "/v2")
		}
		l := line{r.Method, p, r.Operation}
		if n := len(lines); n > 0 && lines[n-1] == l {
			counts[n-1]++
		} else {
			lines = append(lines, l)
			counts = append(counts, 1)
		}
		if r.Status >= 300 && r.Status != 302 {
			failures = append(failures, fmt.Sprintf("Zoom answered %d to %s", r.Status, r.Operation))
		}
	}
	f.reqMark = len(reqs)
	for i, l := range lines {
		p := l.path
		if counts[i] > 1 {
			p = fmt.Sprintf("%s ×%d", p, counts[i])
		}
		f.log.Call(l.method, p, l.op)
	}
	for _, s := range failures {
		f.log.Note("%s", s)
	}
	dels := f.fake.Deliveries()
	for _, d := range dels[min(f.delMark, len(dels)):] {
		f.log.Note("webhook %s delivered to RoleUp (%d)", d.Event, d.Status)
	}
	f.delMark = len(dels)
}

// mark forgets the calls made so far (the flow's own checks).
func (f *flow) mark() {
	f.reqMark = len(f.fake.Requests())
	f.delMark = len(f.fake.Deliveries())
}

func (f *flow) showAccount(ctx context.Context) error {
	by := map[string]int{}
	for _, u := range f.fake.Users() {
		by[u.Status]++
	}
	f.log.Note("%d users: %d active, %d inactive, %d pending; owner %s, admin %s", len(f.fake.Users()),
		by["active"], by["inactive"], by["pending"], f.org.Owner, f.org.Admin)
	f.log.Note("groups Engineering and Sales; roles Owner, Admin, Member and the custom role Helpdesk")
	return nil
}

var (
	flashRE    = regexp.MustCompile(`<p id="flash" class="(flash|err)">([^<]*)</p>`)
	zoomPageRE = regexp.MustCompile(`<p>([^<]*)</p>`)
)

// connectAs runs "Connect Zoom" in the browser, signed in to Zoom as
// email, and returns RoleUp's message.
func (f *flow) connectAs(ctx context.Context, email, mode string) (ok bool, msg string, err error) {
	if err := f.fake.SetAuthorizingUser(email); err != nil {
		return false, "", err
	}
	status, body, err := f.browser.Get(ctx, f.env.BaseURL+exkit.ConnectPath+"?mode="+mode)
	if err != nil {
		return false, "", err
	}
	f.zoomCalls()
	if status == http.StatusForbidden {
		// RoleUp is an admin-managed app: Zoom's consent page refuses a
		// member, and the browser stays there.
		if m := zoomPageRE.FindStringSubmatch(body); m != nil {
			return false, "Zoom refused on its consent page: " + html.UnescapeString(m[1]), nil
		}
	}
	if status != 200 {
		return false, "", fmt.Errorf("connect: HTTP %d", status)
	}
	m := flashRE.FindStringSubmatch(body)
	if m == nil {
		return false, "", errors.New("connect: no message on RoleUp's page")
	}
	return m[1] == "flash", html.UnescapeString(m[2]), nil
}

func (f *flow) memberConnects(ctx context.Context) error {
	ok, msg, err := f.connectAs(ctx, f.org.Basic, modeReadWrite)
	if err != nil {
		return err
	}
	if ok {
		return fmt.Errorf("a member was allowed to connect: %s", msg)
	}
	f.log.Note("RoleUp is an admin-managed app: Zoom lets only the account owner or an admin install it, so no code reaches RoleUp")
	f.log.Fail("%s", msg)
	c, err := f.app.store.connection(ctx)
	if err != nil || c != nil {
		return fmt.Errorf("a connection was recorded: %v", err)
	}
	f.log.OK("no connection recorded, no token kept, no sync")
	return nil
}

func (f *flow) connect(ctx context.Context, mode string) error {
	ok, msg, err := f.connectAs(ctx, f.org.Admin, mode)
	if err != nil {
		return err
	}
	if !ok {
		return errors.New(msg)
	}
	f.log.OK("%s", msg)
	c, err := f.app.store.connection(ctx)
	if err != nil {
		return err
	}
	if c == nil || c.Mode != mode {
		return fmt.Errorf("expected a %s connection, got %+v", mode, c)
	}
	f.log.Note("granted scopes: %s", c.Scopes)
	return nil
}

func (f *flow) connectReadOnly(ctx context.Context) error { return f.connect(ctx, modeReadOnly) }

func (f *flow) connectReadWrite(ctx context.Context) error { return f.connect(ctx, modeReadWrite) }

func (f *flow) showIntegrations(ctx context.Context) error {
	is, err := f.app.Integrations(ctx)
	if err != nil {
		return err
	}
	for _, i := range is {
		scopes := strings.Join(i.Scopes, " ")
		if scopes == "" {
			scopes = "none"
		}
		f.log.Note("integrations: %s: %s; scopes %s (%s)", i.Name, i.State, scopes, i.Configure)
	}
	return nil
}

// integrations shows the integrations list, then edits the Zoom
// configuration in the browser, as the admin would.
func (f *flow) integrations(ctx context.Context) error {
	if err := f.showIntegrations(ctx); err != nil {
		return err
	}
	resp, err := f.browser.PostForm(f.env.BaseURL+"/integrations/zoom", url.Values{"default_licence": {"pro"}})
	if err != nil {
		return err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return err
	}
	if m := flashRE.FindStringSubmatch(string(body)); m == nil || m[1] != "flash" {
		return fmt.Errorf("edit configuration: %s", body)
	}
	l, err := f.app.DefaultLicence(ctx)
	if err != nil || l != "pro" {
		return fmt.Errorf("default licence %q (%v)", l, err)
	}
	f.log.OK("Edit configuration: saved; new users are offered the Pro licence first")
	return nil
}

func (f *flow) readOnlyRefuses(ctx context.Context) error {
	f.zoomCalls()
	before := len(f.fake.Requests())
	_, err := f.app.Onboard(ctx, f.org.NewBasic, "Nina", "New", "basic")
	if !errors.Is(err, ErrReadOnly) {
		return fmt.Errorf("expected a read-only refusal, got %v", err)
	}
	f.log.Fail("%v", err)
	if n := len(f.fake.Requests()) - before; n != 0 {
		return fmt.Errorf("%d requests reached Zoom", n)
	}
	f.log.OK("no request reached Zoom")
	return nil
}

func (f *flow) onboard(ctx context.Context) error {
	for _, l := range licences {
		f.log.Note("licence %s: %s", l.Name, l.About)
	}
	used, limit := f.fake.Seats()
	f.log.Note("Acme bought %d paid seats; %d are taken", limit, used)
	for _, n := range []struct{ email, first, last, licence string }{
		{f.org.NewBasic, "Nina", "New", "basic"}, {f.org.NewLicensed, "Omar", "New", "pro"},
	} {
		u, err := f.app.Onboard(ctx, n.email, n.first, n.last, n.licence)
		if err != nil {
			return err
		}
		f.zoomCalls()
		f.log.OK("invited %s with a %s licence (%s in Zoom): %s; welcome email sent", u.Email, u.LicenceName(), u.TypeName(), u.Status)
		f.log.Note("invitation: %s", u.Invitation())
	}
	used, _ = f.fake.Seats()
	f.log.Note("%d of %d paid seats taken", used, limit)
	_, err := f.app.Onboard(ctx, f.org.NewCorporate, "Carla", "New", "corporate")
	if !errors.Is(err, ErrNoSeat) {
		return fmt.Errorf("onboarding without a free seat: expected ErrNoSeat, got %v", err)
	}
	f.zoomCalls()
	f.log.Fail("%v", err)
	return nil
}

func (f *flow) onboardExisting(ctx context.Context) error {
	_, err := f.app.Onboard(ctx, f.org.Licensed, "Lena", "Again", "pro")
	if !errors.Is(err, ErrEmailTaken) {
		return fmt.Errorf("expected ErrEmailTaken, got %v", err)
	}
	f.zoomCalls()
	f.log.Fail("%v", err)
	return nil
}

func (f *flow) onboardElsewhere(ctx context.Context) error {
	f.log.Note("Globex's Zoom account (not Acme's) holds its owner %s and %s", f.org.GlobexOwner, f.org.Greta)
	_, err := f.app.Onboard(ctx, f.org.GlobexOwner, "Gus", "Owner", "basic")
	if !errors.Is(err, ErrElsewhere) {
		return fmt.Errorf("onboarding another account's owner: expected ErrElsewhere, got %v", err)
	}
	f.zoomCalls()
	f.log.Fail("%v", err)
	u, err := f.app.Onboard(ctx, f.org.Greta, "Greta", "Globex", "basic")
	if err != nil {
		return err
	}
	f.zoomCalls()
	f.log.OK("%s", u.Onboarded(f.app.org))
	if _, err := f.fake.UserIn(f.org.Globex, f.org.Greta); err != nil {
		return fmt.Errorf("greta left Globex before accepting: %v", err)
	}
	f.log.Note("invitation: %s", u.Invitation())
	f.log.Note("until she accepts, Greta is still a user of Globex's account")
	return nil
}

func (f *flow) acceptElsewhere(ctx context.Context) error {
	if err := f.fake.AcceptInvitation(f.org.Greta); err != nil {
		return err
	}
	f.zoomCalls()
	if _, err := f.fake.UserIn(f.org.Globex, f.org.Greta); err == nil {
		return errors.New("greta is still in Globex's account")
	}
	u, err := f.app.store.user(ctx, f.org.Greta)
	if err != nil || u == nil || u.Status != "active" {
		return fmt.Errorf("%s is not active in the mirror (%+v, %v)", f.org.Greta, u, err)
	}
	f.log.OK("%s: %s (Globex's account no longer lists her)", u.Email, u.Invitation())
	return nil
}

func (f *flow) acceptInvitation(ctx context.Context) error {
	if err := f.fake.AcceptInvitation(f.org.NewBasic); err != nil {
		return err
	}
	f.zoomCalls()
	if u, err := f.app.store.user(ctx, f.org.NewBasic); err == nil && u != nil {
		f.log.Note("the webhook already marked %s %s in the mirror", u.Email, u.Status)
	}
	res, err := f.app.Sync(ctx)
	if err != nil {
		return err
	}
	f.zoomCalls()
	u, err := f.app.store.user(ctx, f.org.NewBasic)
	if err != nil || u == nil || u.Status != "active" {
		return fmt.Errorf("%s is not active in the mirror (%v)", f.org.NewBasic, err)
	}
	f.log.OK("synced %s; Zoom lists %s as %s", res, u.Email, u.Status)
	return nil
}

func (f *flow) changeRoles(ctx context.Context) error {
	for _, c := range []struct{ email, role, name string }{
		{f.org.Basic, f.org.Helpdesk, "Helpdesk"},
		{f.org.Licensed, "1", "Admin"},
		{f.org.Licensed, "2", "Member"},
	} {
		if err := f.app.ChangeRole(ctx, c.email, c.role); err != nil {
			return err
		}
		f.zoomCalls()
		f.log.OK("%s is now %s", c.email, c.name)
	}
	return nil
}

func (f *flow) changeGroups(ctx context.Context) error {
	if err := f.app.AddToGroup(ctx, f.org.NewBasic, f.org.Engineering); err != nil {
		return err
	}
	f.zoomCalls()
	f.log.OK("%s added to Engineering", f.org.NewBasic)
	if err := f.app.RemoveFromGroup(ctx, f.org.Inactive, f.org.SalesGroup); err != nil {
		return err
	}
	f.zoomCalls()
	f.log.OK("%s removed from Sales", f.org.Inactive)
	return nil
}

func (f *flow) offboardToggle(ctx context.Context) error {
	if err := f.app.SetOffboarded(ctx, f.org.Licensed, true); err != nil {
		return err
	}
	f.zoomCalls()
	u, err := f.app.store.user(ctx, f.org.Licensed)
	if err != nil || u == nil || u.Status != "inactive" {
		return fmt.Errorf("%s is not inactive in the mirror (%v)", f.org.Licensed, err)
	}
	used, limit := f.fake.Seats()
	f.log.OK("Offboard on: %s is %s in Zoom (cannot sign in, nothing deleted); %d of %d paid seats taken", u.Email, u.Status, used, limit)
	if err := f.app.SetOffboarded(ctx, f.org.Licensed, false); err != nil {
		return err
	}
	f.zoomCalls()
	if u, err = f.app.store.user(ctx, f.org.Licensed); err != nil || u == nil || u.Status != "active" {
		return fmt.Errorf("%s is not active in the mirror (%v)", f.org.Licensed, err)
	}
	used, _ = f.fake.Seats()
	f.log.OK("Offboard off: %s is %s again; %d of %d paid seats taken", u.Email, u.Status, used, limit)
	err = f.app.SetOffboarded(ctx, f.org.NewLicensed, true)
	if !errors.Is(err, ErrInvalid) {
		return fmt.Errorf("offboarding a pending user: expected a refusal, got %v", err)
	}
	f.log.Fail("%v", err)
	return nil
}

func (f *flow) offboard(ctx context.Context) error {
	for _, o := range []struct{ email, action string }{
		{f.org.Inactive, "disassociate"}, {f.org.Sales, "delete"}, {f.org.Pending, "disassociate"},
	} {
		if err := f.app.Remove(ctx, o.email, o.action); err != nil {
			return err
		}
		f.zoomCalls()
		f.log.OK("%s: %s", o.email, o.action)
	}
	err := f.app.Remove(ctx, f.org.Owner, "delete")
	if !errors.Is(err, ErrInvalid) {
		return fmt.Errorf("offboarding the owner: expected a refusal, got %v", err)
	}
	f.log.Fail("%v", err)
	return nil
}

func (f *flow) syncMatches(ctx context.Context) error {
	res, err := f.app.Sync(ctx)
	if err != nil {
		return err
	}
	f.zoomCalls()
	f.log.OK("synced %s", res)
	if err := mirrorMatchesZoom(ctx, f.app, f.fake); err != nil {
		return err
	}
	f.log.OK("every user's status, type, role and groups match Zoom's")
	return nil
}

func (f *flow) remove(ctx context.Context) error {
	c, err := f.app.store.connection(ctx)
	if err != nil || c == nil {
		return fmt.Errorf("not connected: %v", err)
	}
	if err := f.app.RemovePermanently(ctx); err != nil {
		return err
	}
	f.zoomCalls()
	if _, err := f.env.Tokens.Get(ctx, c.TokenKey); err == nil {
		return errors.New("the token is still stored")
	}
	counts, err := f.app.store.counts(ctx)
	if err != nil {
		return err
	}
	total := 0
	for _, n := range counts {
		total += n
	}
	if total != 0 {
		return fmt.Errorf("local records left: %v", counts)
	}
	f.log.OK("grant revoked, tokens deleted, 0 local records left; confirmation emailed to %s", c.Email)
	return nil
}

func (f *flow) nothingAfterRemoval(ctx context.Context) error {
	f.mark()
	_, err := f.app.Sync(ctx)
	if !errors.Is(err, exkit.ErrNotConnected) {
		return fmt.Errorf("sync after removal: expected ErrNotConnected, got %v", err)
	}
	f.log.Fail("%v", err)
	if n := len(f.fake.Requests()) - f.reqMark; n != 0 {
		return fmt.Errorf("%d requests reached Zoom", n)
	}
	f.log.OK("no request reached Zoom")
	return nil
}

func (f *flow) reinstall(ctx context.Context) error {
	if err := f.connect(ctx, modeReadWrite); err != nil {
		return err
	}
	if err := mirrorMatchesZoom(ctx, f.app, f.fake); err != nil {
		return err
	}
	us, _ := f.app.store.users(ctx, "")
	f.log.OK("mirror restored: %d users, every status, type, role and group as in Zoom", len(us))
	return nil
}

// mirrorMatchesZoom compares RoleUp's mirror with the fake Zoom's state:
// the same users with the same status, type, role and groups, and every
// role in use known. Zoom lists pending users without their id, so a
// pending user may have none in the mirror.
func mirrorMatchesZoom(ctx context.Context, a *app, fake *zoomtest.Server) error {
	mirror, err := a.store.users(ctx, "")
	if err != nil {
		return err
	}
	groups, err := a.store.groups(ctx)
	if err != nil {
		return err
	}
	roles, err := a.store.roles(ctx)
	if err != nil {
		return err
	}
	mirrorGroups := map[string][]string{} // email -> group ids
	for _, g := range groups {
		zg, ok := fake.Group(g.ID)
		if !ok || zg.Name != g.Name {
			return fmt.Errorf("group %s (%s) is not in Zoom", g.Name, g.ID)
		}
		for _, e := range g.Members {
			mirrorGroups[e] = append(mirrorGroups[e], g.ID)
		}
	}
	byEmail := map[string]User{}
	for _, u := range mirror {
		byEmail[u.Email] = u
	}
	zusers := fake.Users()
	if len(zusers) != len(mirror) {
		return fmt.Errorf("the mirror has %d users, Zoom %d", len(mirror), len(zusers))
	}
	for _, z := range zusers {
		m, ok := byEmail[strings.ToLower(z.Email)]
		if !ok {
			return fmt.Errorf("%s is missing from the mirror", z.Email)
		}
		if (m.ZoomID != z.ID && (m.ZoomID != "" || z.Status != "pending")) || m.Status != z.Status || m.Type != z.Type || m.RoleID != z.RoleID {
			return fmt.Errorf("%s: mirror %s/%s/%d/role %s, Zoom %s/%s/%d/role %s", z.Email,
				m.ZoomID, m.Status, m.Type, m.RoleID, z.ID, z.Status, z.Type, z.RoleID)
		}
		want, got := slices.Clone(z.GroupIDs), slices.Clone(mirrorGroups[m.Email])
		sort.Strings(want)
		sort.Strings(got)
		if !slices.Equal(want, got) {
			return fmt.Errorf("%s: groups %v in the mirror, %v in Zoom", z.Email, got, want)
		}
		if !slices.ContainsFunc(roles, func(r Role) bool { return r.ID == z.RoleID }) {
			return fmt.Errorf("%s: role %s is not mirrored", z.Email, z.RoleID)
		}
	}
	return nil
}

func (f *flow) outbox(context.Context) error {
	for _, e := range f.env.Mail.Sent() {
		f.log.OK("to %s: %s", e.To, e.Subject)
	}
	f.log.Note(".eml files in %s", f.env.Mail.Dir)
	return nil
}
