package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/mail"
	"strings"

	"github.com/zoomkit/zoomkit/examples/internal/exkit"
	"github.com/zoomkit/zoomkit/oauth"
	"github.com/zoomkit/zoomkit/zoom"
)

// Kinds of refusal the app explains to the admin (errors.Is).
var (
	ErrReadOnly    = errors.New("read-only connection")
	ErrNotAdmin    = errors.New("the connecting Zoom user is not an owner or admin")
	ErrEmailTaken  = errors.New("email already used in Zoom")
	ErrNoSeat      = errors.New("no licensed seat left in the Zoom account")
	ErrElsewhere   = errors.New("the email holds a Zoom account that cannot leave it")
	ErrInvalid     = errors.New("invalid request")
	ErrNoScopes    = errors.New("zoom refused: missing scopes")
	ErrReconnect   = errors.New("zoom connection revoked or expired")
	ErrUnknownUser = errors.New("unknown user")
	ErrZoom        = errors.New("zoom refused the request")
	ErrBusy        = errors.New("zoom rate limit")
	ErrUnreachable = errors.New("zoom could not be reached")
	ErrInternal    = errors.New("roleup internal error")
)

// problem is an error with a message written for the admin.
type problem struct {
	kind  error
	msg   string
	cause error
}

func (p *problem) Error() string        { return p.msg }
func (p *problem) Is(target error) bool { return target == p.kind }
func (p *problem) Unwrap() error        { return p.cause }
func refuse(kind error, format string, args ...any) error {
	return &problem{kind: kind, msg: fmt.Sprintf(format, args...)}
}

// explain turns an error into a sentence for the admin: what happened and
// what to do. It is the one place where RoleUp maps Zoom's and the
// connection's failures; the Go error stays the cause (errors.Is/As), for
// the log, and never reaches a page. what is the action, as a verb phrase
// ("invite ana@acme.example").
func explain(what string, err error) error {
	var p *problem
	if errors.As(err, &p) {
		return err
	}
	wrap := func(kind error, format string, args ...any) error {
		return &problem{kind: kind, msg: fmt.Sprintf(format, args...), cause: err}
	}
	var apiErr *zoom.APIError
	var netErr net.Error
	switch {
	case errors.Is(err, exkit.ErrNotConnected):
		return wrap(exkit.ErrNotConnected, "Zoom is not connected: an owner or admin must connect RoleUp first.")
	case errors.Is(err, oauth.ErrReauthorizationRequired), errors.Is(err, oauth.ErrGrantMarkedDead), errors.Is(err, zoom.ErrUnauthorized):
		return wrap(ErrReconnect, "The Zoom connection was revoked or has expired: connect Zoom again.")
	case errors.Is(err, zoom.ErrMissingScopes):
		return wrap(ErrNoScopes, "Zoom refused to %s: the connection lacks the scopes for it (Zoom code 4700). Reconnect RoleUp with read/write access.", what)
	case errors.Is(err, zoom.ErrDailyLimit):
		return wrap(ErrBusy, "Zoom's daily limit for this kind of request is reached, so RoleUp could not %s. Try again after midnight UTC.", what)
	case errors.Is(err, zoom.ErrRateLimited):
		return wrap(ErrBusy, "Zoom is busy with RoleUp's requests and could not %s now. Nothing was changed: try again in a minute.", what)
	case errors.As(err, &apiErr) && apiErr.StatusCode == 400 && apiErr.Code == 200:
		return wrap(ErrNotAdmin, "Zoom refused to %s: the connected Zoom user lacks the privilege. Connect RoleUp as an account owner or admin.", what)
	case errors.Is(err, zoom.ErrNotFound):
		return wrap(ErrZoom, "Zoom could not %s: it no longer has that user or group. Sync to refresh RoleUp's list, then try again.", what)
	case errors.Is(err, zoom.ErrServer):
		return wrap(ErrZoom, "Zoom had a problem on its side and could not %s. Try again in a few minutes.", what)
	case errors.As(err, &apiErr):
		return wrap(ErrZoom, "Zoom refused to %s (Zoom code %d). Check the user in Zoom's web portal, then try again.", what, apiErr.Code)
	case errors.Is(err, oauth.ErrTokenEndpoint), errors.Is(err, oauth.ErrRefreshOutcomeUnknown),
		errors.Is(err, context.DeadlineExceeded), errors.As(err, &netErr):
		return wrap(ErrUnreachable, "RoleUp could not reach Zoom to %s. Check the network connection, then try again.", what)
	}
	return wrap(ErrInternal, "RoleUp could not %s because of an error of its own. Try again; if it keeps failing, RoleUp's log has the details.", what)
}

// writable returns the connection and its client when RoleUp may change
// Zoom: connected, in read/write mode. It never calls Zoom.
func (a *app) writable(ctx context.Context) (*Connection, *zoom.Client, error) {
	c, err := a.store.connection(ctx)
	if err != nil {
		return nil, nil, err
	}
	if c == nil {
		return nil, nil, explain("", exkit.ErrNotConnected)
	}
	if c.Mode != modeReadWrite {
		return nil, nil, refuse(ErrReadOnly, "RoleUp is connected to Zoom read-only: nothing was changed or sent to Zoom. Reconnect with read/write access to make changes.")
	}
	cl, err := a.client(c.TokenKey)
	return c, cl, err
}

// readable returns the connection and its client for reads.
func (a *app) readable(ctx context.Context) (*Connection, *zoom.Client, error) {
	c, err := a.store.connection(ctx)
	if err != nil {
		return nil, nil, err
	}
	if c == nil {
		return nil, nil, explain("", exkit.ErrNotConnected)
	}
	cl, err := a.client(c.TokenKey)
	return c, cl, err
}

// SyncResult counts what a sync mirrored.
type SyncResult struct {
	Active, Inactive, Pending int
	Groups, Memberships       int
	Roles                     int
}

func (r SyncResult) String() string {
	return fmt.Sprintf("%d users (%d active, %d inactive, %d pending), %d groups with %d memberships, %d roles",
		r.Active+r.Inactive+r.Pending, r.Active, r.Inactive, r.Pending, r.Groups, r.Memberships, r.Roles)
}

// Sync reads every user (active, inactive and pending), every group with
// its members and every role from Zoom, then replaces the local mirror.
func (a *app) Sync(ctx context.Context) (SyncResult, error) {
	var res SyncResult
	_, cl, err := a.readable(ctx)
	if err != nil {
		return res, err
	}
	var m mirror
	for _, status := range []zoom.UserStatus{zoom.UserStatusActive, zoom.UserStatusInactive, zoom.UserStatusPending} {
		for u, err := range cl.Users.ListAll(ctx, &zoom.ListUsersOptions{Status: status, PageSize: 300}) {
			if err != nil {
				return res, explain("list "+string(status)+" users", err)
			}
			st := string(u.Status)
			if st == "" {
				st = string(status)
			}
			m.users = append(m.users, User{Email: u.Email, ZoomID: u.ID, FirstName: u.FirstName, LastName: u.LastName,
				Type: int(u.Type), Status: st, RoleID: u.RoleID})
			switch status {
			case zoom.UserStatusActive:
				res.Active++
			case zoom.UserStatusInactive:
				res.Inactive++
			default:
				res.Pending++
			}
		}
	}
	for g, err := range cl.Groups.ListAll(ctx, &zoom.ListGroupsOptions{PageSize: 300}) {
		if err != nil {
			return res, explain("list groups", err)
		}
		m.groups = append(m.groups, Group{ID: g.ID, Name: g.Name})
	}
	for i := range m.groups {
		for mem, err := range cl.Groups.ListMembersAll(ctx, m.groups[i].ID, &zoom.ListGroupMembersOptions{PageSize: 300}) {
			if err != nil {
				return res, explain("list the members of "+m.groups[i].Name, err)
			}
			m.groups[i].Members = append(m.groups[i].Members, mem.Email)
			res.Memberships++
		}
	}
	roles, _, err := cl.Roles.List(ctx, &zoom.ListRolesOptions{Type: zoom.RoleTypeCommon})
	if err != nil {
		return res, explain("list roles", err)
	}
	for _, r := range roles.Roles {
		m.roles = append(m.roles, Role{ID: r.ID, Name: r.Name, Description: r.Description})
	}
	res.Groups, res.Roles = len(m.groups), len(m.roles)
	if err := a.store.replaceMirror(ctx, &m); err != nil {
		return res, err
	}
	_ = a.store.audit(ctx, "RoleUp", "sync", res.String())
	return res, nil
}

// Licence is a licence choice RoleUp offers at onboarding, mapped onto
// Zoom's user type.
type Licence struct {
	ID, Name string
	Type     int    // Zoom's user type: 1 Basic, 2 Licensed
	About    string // what it means in Zoom
}

// licences are the choices RoleUp names. Zoom knows two user types for
// them: Basic (free, no seat) and Licensed, which takes one of the
// account's paid seats; Pro and Corporate are both Licensed users, on the
// plan the account bought.
var licences = []Licence{
	{ID: "basic", Name: "Basic", Type: 1, About: "Zoom Basic user (type 1): free, takes no paid seat"},
	{ID: "pro", Name: "Pro", Type: 2, About: "Zoom Licensed user (type 2): takes one paid seat of the account's plan"},
	{ID: "corporate", Name: "Corporate", Type: 2, About: "Zoom Licensed user (type 2): takes one paid seat of the account's business plan"},
}

func licenceByID(id string) (Licence, bool) {
	for _, l := range licences {
		if l.ID == id {
			return l, true
		}
	}
	return Licence{}, false
}

// Onboard invites a new user by email with a licence (basic, pro or
// corporate): Zoom creates a pending user of the licence's type and sends
// its own confirmation email; RoleUp adds a heads-up of its own.
func (a *app) Onboard(ctx context.Context, email, first, last, licence string) (*User, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	if addr, err := mail.ParseAddress(email); err != nil || addr.Address != email {
		return nil, refuse(ErrInvalid, "%q is not an email address.", email)
	}
	lic, ok := licenceByID(licence)
	if !ok {
		return nil, refuse(ErrInvalid, "Choose a licence: Basic, Pro or Corporate.")
	}
	typ := lic.Type
	c, cl, err := a.writable(ctx)
	if err != nil {
		return nil, err
	}
	// Does the email already have a Zoom account, outside this one? Then
	// Zoom's invitation asks the person to leave it and join.
	check, _, err := cl.Users.CheckEmail(ctx, &zoom.CheckUserEmailOptions{Email: email})
	if err != nil {
		return nil, explain("check "+email, err)
	}
	mine, err := a.store.user(ctx, email)
	if err != nil {
		return nil, err
	}
	elsewhere := check.ExistedEmail && mine == nil
	created, _, err := cl.Users.Create(ctx, &zoom.CreateUserRequest{
		Action:   zoom.UserCreateActionCreate,
		UserInfo: &zoom.UserInfo{Email: email, Type: zoom.UserType(typ), FirstName: first, LastName: last},
	})
	var apiErr *zoom.APIError
	if errors.As(err, &apiErr) && apiErr.StatusCode == 409 && apiErr.Code == 1005 {
		return nil, &problem{kind: ErrEmailTaken, cause: err,
			msg: fmt.Sprintf("%s already has a Zoom user (Zoom 409, code 1005): nobody was invited. Find them in the user list, or sync if they are missing.", email)}
	}
	if errors.As(err, &apiErr) && apiErr.Code == 1009 {
		return nil, &problem{kind: ErrElsewhere, cause: err,
			msg: fmt.Sprintf("%s already has a Zoom account with another organisation, and Zoom will not move it (Zoom code 1009: it cannot leave that account, for example because it owns it). Nobody was invited: ask them to leave or hand over that account first, or onboard them with another email.", email)}
	}
	if errors.As(err, &apiErr) && apiErr.Code == 3412 {
		return nil, &problem{kind: ErrNoSeat, cause: err,
			msg: fmt.Sprintf("%s's Zoom account has no paid seat left for a %s licence: %s was not invited. Invite them as Basic, free a seat (offboard a licensed user), or buy more licences in Zoom's billing page.", a.org, lic.Name, email)}
	}
	if err != nil {
		return nil, explain("invite "+email, err)
	}
	u := User{Email: email, ZoomID: created.ID, FirstName: first, LastName: last, Type: typ, Status: "pending", RoleID: "2"}
	u.Licence, u.Elsewhere = lic.ID, elsewhere
	if err := a.store.upsertUser(ctx, u); err != nil {
		return nil, err
	}
	if err := a.store.setLicence(ctx, email, lic.ID, elsewhere); err != nil {
		return nil, err
	}
	_ = a.store.audit(ctx, c.Email, "onboard", fmt.Sprintf("invited %s as %s (%s)", email, lic.Name, typeName(typ)))
	if err := a.mail.Send(ctx, exkit.Email{To: email, Subject: "Your Zoom account at " + a.org,
		Body: fmt.Sprintf("Hello %s,\n\n%s added you to %s's Zoom account with a %s licence (a %s user in Zoom).\nZoom sends you a separate email: follow its link to activate your account.%s\n\n-- RoleUp, on behalf of %s\n",
			u.Name(), c.Email, a.org, lic.Name, typeName(typ), elsewhereNote(elsewhere, a.org), c.Email)}); err != nil {
		return nil, &problem{kind: ErrInternal, cause: err,
			msg: fmt.Sprintf("Invited %s in Zoom (Zoom sends its own invitation), but RoleUp could not send its welcome note.", email)}
	}
	return &u, nil
}

// elsewhereNote tells a person who holds a Zoom account elsewhere what
// accepting means.
func elsewhereNote(elsewhere bool, org string) string {
	if !elsewhere {
		return ""
	}
	return "\nYour email already has a Zoom account with another organisation: accepting moves you into " + org + "'s account, and you leave the other one."
}

// Onboarded is the message shown after inviting u.
func (u *User) Onboarded(org string) string {
	msg := fmt.Sprintf("Invited %s with a %s licence (%s in Zoom): pending until they accept Zoom's email.", u.Email, u.LicenceName(), u.TypeName())
	if u.Elsewhere {
		msg += fmt.Sprintf(" %s already has a Zoom account with another organisation: Zoom's invitation asks them to leave it and join %s's account; until they accept, they stay there.", u.Email, org)
	}
	return msg
}

// SetOffboarded is the Offboard toggle: on deactivates the user in Zoom
// (they can no longer sign in, and a Licensed user gives back their paid
// seat; nothing is deleted), off activates them again, which takes a seat
// back for a Licensed user.
func (a *app) SetOffboarded(ctx context.Context, email string, on bool) error {
	c, cl, err := a.writable(ctx)
	if err != nil {
		return err
	}
	u, err := a.knownUser(ctx, email)
	if err != nil {
		return err
	}
	action, status, verb := zoom.UserStatusActionDeactivate, "inactive", "offboarded"
	if !on {
		action, status, verb = zoom.UserStatusActionActivate, "active", "back on board"
	}
	switch {
	case u.RoleID == "0":
		return refuse(ErrInvalid, "%s is the account owner and cannot be offboarded.", u.Email)
	case u.Status == "pending":
		return refuse(ErrInvalid, "%s has not accepted the invitation yet: withdraw it with Remove.", u.Email)
	case u.Status == status:
		return refuse(ErrInvalid, "%s is already %s.", u.Email, verb)
	}
	_, err = cl.Users.UpdateStatus(ctx, u.Ref(), &zoom.UpdateUserStatusRequest{Action: action})
	var apiErr *zoom.APIError
	if errors.As(err, &apiErr) && apiErr.Code == 3412 {
		return &problem{kind: ErrNoSeat, cause: err,
			msg: fmt.Sprintf("%s's Zoom account has no paid seat left for %s, who is a Licensed user: they stay offboarded. Free a seat or buy more licences in Zoom's billing page.", a.org, u.Email)}
	}
	if err != nil {
		return explain("offboard "+u.Email, err)
	}
	if err := a.store.setStatus(ctx, u.Email, status); err != nil {
		return err
	}
	_ = a.store.audit(ctx, c.Email, "offboard", fmt.Sprintf("%s %s", u.Email, verb))
	return nil
}

// Remove removes a user from the account: "disassociate" (the person
// keeps a free personal Zoom account; the only way to withdraw a pending
// invitation) or "delete" (permanently, with their data).
func (a *app) Remove(ctx context.Context, email, action string) error {
	if action != string(zoom.UserDeleteActionDisassociate) && action != string(zoom.UserDeleteActionDelete) {
		return refuse(ErrInvalid, "Choose disassociate or delete.")
	}
	c, cl, err := a.writable(ctx)
	if err != nil {
		return err
	}
	u, err := a.knownUser(ctx, email)
	if err != nil {
		return err
	}
	if u.RoleID == "0" {
		return refuse(ErrInvalid, "%s is the account owner and cannot be removed.", u.Email)
	}
	if u.Status == "pending" && action == "delete" {
		return refuse(ErrInvalid, "%s has not accepted the invitation yet: withdraw it with disassociate.", u.Email)
	}
	if _, err := cl.Users.Delete(ctx, u.Ref(), &zoom.DeleteUserOptions{Action: zoom.UserDeleteAction(action)}); err != nil {
		return explain("remove "+u.Email, err)
	}
	if err := a.store.removeUser(ctx, u.Email); err != nil {
		return err
	}
	_ = a.store.audit(ctx, c.Email, "remove", fmt.Sprintf("%s %sd", u.Email, action))
	return nil
}

// ChangeRole gives the user roleID. Zoom users hold one role: assigning
// a role replaces the old one; back to Member is an unassignment.
func (a *app) ChangeRole(ctx context.Context, email, roleID string) error {
	c, cl, err := a.writable(ctx)
	if err != nil {
		return err
	}
	u, err := a.knownUser(ctx, email)
	if err != nil {
		return err
	}
	switch {
	case u.RoleID == roleID:
		return refuse(ErrInvalid, "%s already has the role %s.", u.Email, a.store.roleName(ctx, roleID))
	case u.RoleID == "0":
		return refuse(ErrInvalid, "%s is the account owner: transfer ownership in Zoom's web portal.", u.Email)
	case roleID == "0":
		return refuse(ErrInvalid, "The owner role is transferred in Zoom's web portal, not assigned.")
	case roleID == "2":
		if _, err := cl.Roles.DeleteMember(ctx, u.RoleID, u.Ref()); err != nil {
			return explain("change the role of "+u.Email, err)
		}
	default:
		if _, _, err := cl.Roles.AddMembers(ctx, roleID, &zoom.AddRoleMembersRequest{Members: []zoom.UserRef{userRef(u)}}); err != nil {
			return explain("change the role of "+u.Email, err)
		}
	}
	if err := a.store.setRole(ctx, u.Email, roleID); err != nil {
		return err
	}
	_ = a.store.audit(ctx, c.Email, "role", fmt.Sprintf("%s: %s → %s", u.Email, a.store.roleName(ctx, u.RoleID), a.store.roleName(ctx, roleID)))
	return nil
}

// AddToGroup adds the user to the group.
func (a *app) AddToGroup(ctx context.Context, email, groupID string) error {
	c, cl, err := a.writable(ctx)
	if err != nil {
		return err
	}
	u, err := a.knownUser(ctx, email)
	if err != nil {
		return err
	}
	name, ok := a.store.groupName(ctx, groupID)
	if !ok {
		return refuse(ErrInvalid, "Unknown group: sync to refresh the list.")
	}
	if _, _, err := cl.Groups.AddMembers(ctx, groupID, &zoom.AddGroupMembersRequest{Members: []zoom.UserRef{userRef(u)}}); err != nil {
		return explain("add "+u.Email+" to "+name, err)
	}
	if err := a.store.addMember(ctx, groupID, u.Email); err != nil {
		return err
	}
	_ = a.store.audit(ctx, c.Email, "group", fmt.Sprintf("%s added to %s", u.Email, name))
	return nil
}

// RemoveFromGroup removes the user from the group.
func (a *app) RemoveFromGroup(ctx context.Context, email, groupID string) error {
	c, cl, err := a.writable(ctx)
	if err != nil {
		return err
	}
	u, err := a.knownUser(ctx, email)
	if err != nil {
		return err
	}
	name, ok := a.store.groupName(ctx, groupID)
	if !ok {
		return refuse(ErrInvalid, "Unknown group: sync to refresh the list.")
	}
	if _, err := cl.Groups.DeleteMember(ctx, groupID, u.Ref()); err != nil && !errors.Is(err, zoom.ErrNotFound) {
		return explain("remove "+u.Email+" from "+name, err)
	}
	if err := a.store.removeMember(ctx, groupID, u.Email); err != nil {
		return err
	}
	_ = a.store.audit(ctx, c.Email, "group", fmt.Sprintf("%s removed from %s", u.Email, name))
	return nil
}

func (a *app) knownUser(ctx context.Context, email string) (*User, error) {
	u, err := a.store.user(ctx, email)
	if err != nil {
		return nil, err
	}
	if u == nil {
		return nil, refuse(ErrUnknownUser, "%q is not in RoleUp's user list: sync to refresh it.", email)
	}
	return u, nil
}

func userRef(u *User) zoom.UserRef {
	if u.ZoomID != "" {
		return zoom.UserRef{ID: u.ZoomID}
	}
	return zoom.UserRef{Email: u.Email}
}

// RemovePermanently removes the integration: it revokes the Zoom grant,
// deletes the tokens and deletes every local record (mirror, audit log,
// connection). Reconnecting and syncing restores the mirror from Zoom.
func (a *app) RemovePermanently(ctx context.Context) error {
	c, err := a.store.connection(ctx)
	if err != nil {
		return err
	}
	if c == nil {
		return explain("", exkit.ErrNotConnected)
	}
	// Revoking uninstalls RoleUp for the admin, and Zoom answers with
	// app_deauthorized: take the token first, delete everything, then
	// revoke, so that the webhook finds nothing left to remove.
	tok := a.liveToken(ctx, c.TokenKey)
	if err := a.env.Tokens.Delete(ctx, c.TokenKey); err != nil {
		return fmt.Errorf("deleting the Zoom tokens: %w", err)
	}
	a.dropClient(c.TokenKey)
	if err := a.store.wipe(ctx); err != nil {
		return fmt.Errorf("deleting the local data: %w", err)
	}
	revoked := tok != "" && a.env.OAuth.Revoke(ctx, tok) == nil
	note := "RoleUp revoked its access to Zoom"
	if !revoked {
		note = "Zoom had already ended RoleUp's access"
	}
	return a.mail.Send(ctx, exkit.Email{To: c.Email, Subject: "RoleUp was removed from Zoom",
		Body: fmt.Sprintf("Hello,\n\n%s and deleted its tokens and every record it kept (users, groups, roles, audit log).\nConnect Zoom again at any time: a sync restores the user list from Zoom.\n\n-- RoleUp\n", note)})
}

// revokeGrant revokes the grant stored under key; it reports whether Zoom
// confirmed the revocation (false when the grant was already dead).
// Zoom then uninstalls RoleUp for that user and sends app_deauthorized.
func (a *app) revokeGrant(ctx context.Context, key string) bool {
	tok := a.liveToken(ctx, key)
	return tok != "" && a.env.OAuth.Revoke(ctx, tok) == nil
}

// liveToken returns a live access token of the grant under key, "" when
// the grant is dead (revoked in Zoom, app uninstalled): TokenContext
// refreshes an expired access token first.
func (a *app) liveToken(ctx context.Context, key string) string {
	ts, err := a.tokenSource(key)
	if err != nil {
		return ""
	}
	tok, err := ts.TokenContext(ctx)
	if err != nil {
		return ""
	}
	return tok.AccessToken
}

// Integration is one line of RoleUp's integrations list.
type Integration struct {
	Name, State string
	Connected   bool
	Mode        string
	Scopes      []string
	Configure   string // the configuration page
}

// Integrations lists the apps RoleUp integrates with: Zoom, with its
// connection state and granted scopes. It reads local records only.
func (a *app) Integrations(ctx context.Context) ([]Integration, error) {
	c, err := a.store.connection(ctx)
	if err != nil {
		return nil, err
	}
	z := Integration{Name: "Zoom", State: "Not connected", Configure: "/integrations/zoom"}
	if c != nil {
		z.Connected, z.Mode, z.Scopes = true, c.Mode, strings.Fields(c.Scopes)
		z.State = fmt.Sprintf("Connected %s as %s", c.Mode, c.Email)
	}
	return []Integration{z}, nil
}

// settingDefaultLicence names the licence the onboarding form offers first.
const settingDefaultLicence = "default_licence"

// DefaultLicence is the licence the onboarding form offers first.
func (a *app) DefaultLicence(ctx context.Context) (string, error) {
	return a.store.setting(ctx, settingDefaultLicence, "basic")
}

// Configure saves the Zoom integration's settings in RoleUp: the licence
// new users get by default. It changes nothing in Zoom.
func (a *app) Configure(ctx context.Context, defaultLicence string) error {
	l, ok := licenceByID(defaultLicence)
	if !ok {
		return refuse(ErrInvalid, "Choose a licence: Basic, Pro or Corporate.")
	}
	c, err := a.store.connection(ctx)
	if err != nil {
		return err
	}
	if c == nil {
		return explain("", exkit.ErrNotConnected)
	}
	if err := a.store.setSetting(ctx, settingDefaultLicence, l.ID); err != nil {
		return err
	}
	_ = a.store.audit(ctx, c.Email, "configure", "default licence for new users: "+l.Name)
	return nil
}
