package zoomtest

import (
	"errors"
	"fmt"
	"net/http"
	"net/mail"
	"slices"
	"strings"
	"time"
)

// User is a user of the fake account, as [Server.AddUser] takes it and
// [Server.User] reports it.
type User struct {
	ID        string // set by the server
	Email     string // required
	FirstName string
	LastName  string
	// Type is 1 (Basic, the default), 2 (Licensed) or 4 (Unassigned).
	Type int
	// Status is "active" (the default), "inactive" or "pending".
	Status string
	// RoleID is the user's role: "0" Owner, "1" Admin, "2" Member (the
	// default), or a role created through the API.
	RoleID   string
	Timezone string
	Dept     string
	// Webinar says whether the user holds the Webinar add-on, which lets
	// them host webinars. Only a Licensed user (Type 2) may hold it; the
	// owner holds it from the start. See [Server.SetWebinar].
	Webinar bool
	// GroupIDs lists the groups the user belongs to (read only).
	GroupIDs []string
	// CreatedAt is when the user was created (read only).
	CreatedAt time.Time
	// AccountID is the account the user belongs to (read only).
	AccountID string
}

// AddUser adds a user to the default account, without the events the API
// would emit, and returns it with its id. The email must not be used in
// any account.
func (s *Server) AddUser(u User) (User, error) {
	return s.addUser("", u)
}

func (s *Server) addUser(accountID string, u User) (User, error) {
	if _, err := mail.ParseAddress(u.Email); err != nil || strings.ContainsAny(u.Email, "<> ") {
		return User{}, fmt.Errorf("zoomtest: AddUser: %q is not an email address", u.Email)
	}
	if u.Type == 0 {
		u.Type = 1
	}
	if u.Type != 1 && u.Type != 2 && u.Type != 4 {
		return User{}, fmt.Errorf("zoomtest: AddUser: type %d is not 1, 2 or 4", u.Type)
	}
	if u.Status == "" {
		u.Status = "active"
	}
	if u.Status != "active" && u.Status != "inactive" && u.Status != "pending" {
		return User{}, fmt.Errorf("zoomtest: AddUser: status %q is not active, inactive or pending", u.Status)
	}
	if u.RoleID == "" {
		u.RoleID = "2"
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	acct := s.st.accounts[0]
	if accountID != "" {
		if acct = s.st.accountByID(accountID); acct == nil {
			return User{}, fmt.Errorf("zoomtest: AddUser: no account %q", accountID)
		}
	}
	if s.st.lookupUser(u.Email, "") != nil {
		return User{}, fmt.Errorf("zoomtest: AddUser: email %q is already used", u.Email)
	}
	if r := s.st.roleByID(u.RoleID); r == nil || (r.account != "" && r.account != acct.id) {
		return User{}, fmt.Errorf("zoomtest: AddUser: no role %q", u.RoleID)
	}
	if u.Webinar && u.Type != 2 {
		return User{}, errors.New("zoomtest: AddUser: the Webinar add-on needs a Licensed user (type 2)")
	}
	if u.Type == 2 && u.Status != "inactive" && !s.st.seatFree(acct) {
		return User{}, fmt.Errorf("zoomtest: AddUser: all %d licensed seats of account %s are taken", acct.seats, acct.id)
	}
	nu := &user{
		ID: s.st.ids.userID(), Email: u.Email, FirstName: u.FirstName, LastName: u.LastName,
		Type: u.Type, Status: u.Status, RoleID: u.RoleID, PMI: s.st.ids.meetingID(),
		Timezone: u.Timezone, Dept: u.Dept, CreatedAt: s.cfg.now().UTC(), Language: "en-US",
		CreationType: "create", webinar: u.Webinar, account: acct.id,
	}
	if nu.Timezone == "" {
		nu.Timezone = "UTC"
	}
	if nu.Status != "pending" {
		nu.Verified = 1
	}
	s.st.users = append(s.st.users, nu)
	return s.st.userView(nu), nil
}

// User returns the user with the id or email idOrEmail ("me" is the
// owner).
func (s *Server) User(idOrEmail string) (User, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.st.lookupUser(idOrEmail, s.st.ownerID)
	if u == nil {
		return User{}, false
	}
	return s.st.userView(u), true
}

// Users returns every user of the default account, in creation order
// ([Server.AccountUsers] for the others).
func (s *Server) Users() []User { return s.AccountUsers(s.AccountID()) }

// OwnerID returns the id of the account owner.
func (s *Server) OwnerID() string { return s.st.ownerID }

// AcceptInvitation activates the pending user with email, as when the
// invited person follows Zoom's confirmation link, and emits
// user.invitation_accepted. When several accounts invited the email, name
// the account with [Server.AcceptInvitationTo].
func (s *Server) AcceptInvitation(email string) error { return s.AcceptInvitationTo("", email) }

// AcceptInvitationTo is AcceptInvitation for the invitation of the
// account accountID ("" for any one). A person who already belongs to
// another account leaves it on accepting (as when Zoom's user consents
// to join the inviting account): their user there is removed, with its
// meetings and tokens.
func (s *Server) AcceptInvitationTo(accountID, email string) error {
	var ev []pendingEvent
	s.mu.Lock()
	var u *user
	for _, p := range s.st.users {
		if p.Status == "pending" && strings.EqualFold(p.Email, email) && (accountID == "" || p.account == accountID) {
			if u != nil {
				s.mu.Unlock()
				return fmt.Errorf("zoomtest: AcceptInvitation: %q is invited by several accounts: use AcceptInvitationTo", email)
			}
			u = p
		}
	}
	if u == nil {
		s.mu.Unlock()
		return fmt.Errorf("zoomtest: AcceptInvitation: no pending user %q", email)
	}
	for _, o := range slices.Clone(s.st.users) {
		if o != u && o.account != u.account && strings.EqualFold(o.Email, email) && o.Status != "pending" {
			s.st.removeUser(o.ID)
			s.revokeUserTokens(o.ID)
		}
	}
	u.Status = "active"
	u.Verified = 1
	ev = append(ev, s.st.event("user.invitation_accepted", s.cfg.now(), map[string]any{
		"account_id": u.account,
		"object":     map[string]any{"id": u.ID, "email": u.Email, "first_name": u.FirstName, "last_name": u.LastName, "type": u.Type},
	}))
	subs := slices.Clone(s.st.subs)
	s.mu.Unlock()
	s.deliver(subs, ev)
	return nil
}

func (st *state) userView(u *user) User {
	return User{
		ID: u.ID, Email: u.Email, FirstName: u.FirstName, LastName: u.LastName, Type: u.Type,
		Status: u.Status, RoleID: u.RoleID, Timezone: u.Timezone, Dept: u.Dept,
		GroupIDs: st.groupIDsOf(u.ID), CreatedAt: u.CreatedAt, Webinar: u.webinar, AccountID: u.account,
	}
}

// userJSON is a user as GET /users lists it; full adds the fields of GET
// /users/{userId}.
func (c *call) userJSON(u *user, full bool) map[string]any {
	m := map[string]any{
		"id":              u.ID,
		"email":           u.Email,
		"first_name":      u.FirstName,
		"last_name":       u.LastName,
		"display_name":    u.displayName(),
		"type":            u.Type,
		"status":          u.Status,
		"pmi":             u.PMI,
		"timezone":        u.Timezone,
		"dept":            u.Dept,
		"verified":        u.Verified,
		"created_at":      zoomTime(u.CreatedAt),
		"user_created_at": zoomTime(u.CreatedAt),
		"role_id":         u.RoleID,
		"group_ids":       c.st.groupIDsOf(u.ID),
		"language":        u.Language,
	}
	if u.Status == "pending" {
		m["created_at"] = zoomTime(c.now)
		if !full {
			delete(m, "id") // Zoom lists pending users without their id
		}
	}
	if full {
		r := c.st.roleByID(u.RoleID)
		roleName := ""
		if r != nil {
			roleName = r.Name
		}
		m["account_id"] = u.account
		m["role_name"] = roleName
		m["use_pmi"] = false
		m["personal_meeting_url"] = fmt.Sprintf("%s/j/%d", c.s.URL(), u.PMI)
		m["job_title"] = u.JobTitle
		m["company"] = u.Company
		m["location"] = u.Location
		m["login_types"] = []int{100}
		m["cluster"] = "us05"
		for k, v := range u.extra {
			if _, set := m[k]; !set {
				m[k] = v
			}
		}
	}
	return m
}

func (c *call) userEvent(name string, u *user, extra map[string]any) {
	p := map[string]any{
		"operator":    c.operatorEmail(),
		"operator_id": c.me(),
		"object":      map[string]any{"id": u.ID, "email": u.Email, "first_name": u.FirstName, "last_name": u.LastName, "type": u.Type},
	}
	for k, v := range extra {
		p[k] = v
	}
	c.emit(name, p)
}

func (c *call) operatorEmail() string {
	if u := c.st.userByID(c.me()); u != nil {
		return u.Email
	}
	return ""
}

// GET /users
func listUsers(c *call) (result, *apiError) {
	status := c.query.Get("status")
	if status == "" {
		status = "active"
	}
	roleID := c.query.Get("role_id")
	var list []*user
	acct := c.acct().id
	for _, u := range c.st.users {
		if u.account == acct && u.Status == status && (roleID == "" || u.RoleID == roleID) {
			list = append(list, u)
		}
	}
	lo, hi, env, e := c.page(c.listKey(status, roleID), len(list), 30, 2000)
	if e != nil {
		return failed(e)
	}
	items := make([]map[string]any, 0, hi-lo)
	for _, u := range list[lo:hi] {
		items = append(items, c.userJSON(u, false))
	}
	env["users"] = items
	return ok(env)
}

// POST /users
func createUser(c *call) (result, *apiError) {
	var req struct {
		Action   string `json:"action"`
		UserInfo struct {
			Email       string `json:"email"`
			Type        int    `json:"type"`
			FirstName   string `json:"first_name"`
			LastName    string `json:"last_name"`
			DisplayName string `json:"display_name"`
		} `json:"user_info"`
	}
	if e := c.decode(&req); e != nil {
		return failed(e)
	}
	info := req.UserInfo
	if _, err := mail.ParseAddress(info.Email); err != nil || info.Email == "" {
		return failed(&apiError{status: http.StatusBadRequest, body: zoomError{Code: 300, Message: "Validation Failed.",
			Errors: []fieldError{{Field: "user_info.email", Message: "Invalid field."}}}})
	}
	switch info.Type {
	case 1, 2, 4, 99:
	default:
		return failed(&apiError{status: http.StatusBadRequest, body: zoomError{Code: 300, Message: "Validation Failed.",
			Errors: []fieldError{{Field: "user_info.type", Message: "Invalid field."}}}})
	}
	acct := c.acct()
	if c.st.lookupUserIn(acct.id, info.Email, "") != nil {
		return failed(fail(http.StatusConflict, 1005, "Email %q has already been used.", info.Email))
	}
	// The email belongs to another account: only an invitation (action
	// "create") can bring the person over; they must accept it.
	// An account owner cannot be invited away from their account.
	if o := c.st.lookupUser(info.Email, ""); o != nil && o.Status != "pending" && (req.Action != "create" || c.st.isOwner(o)) {
		return failed(fail(http.StatusBadRequest, 1009, "The user %s already holds an active account.", info.Email))
	}
	if info.Type == 2 && !c.st.seatFree(acct) {
		return failed(noSeat(acct, false))
	}
	u := &user{
		ID: c.st.ids.userID(), Email: info.Email, FirstName: info.FirstName, LastName: info.LastName,
		DisplayName: info.DisplayName, Type: info.Type, Status: "active", RoleID: "2",
		PMI: c.st.ids.meetingID(), Timezone: "UTC", Language: "en-US", CreatedAt: c.now.UTC(),
		CreationType: req.Action, Verified: 1, account: acct.id,
	}
	if req.Action == "create" {
		u.Status, u.Verified = "pending", 0
	}
	c.st.users = append(c.st.users, u)
	c.userEvent("user.created", u, map[string]any{"creation_type": req.Action})
	return created(map[string]any{"id": u.ID, "email": u.Email, "first_name": u.FirstName, "last_name": u.LastName, "type": u.Type})
}

// GET /users/{userId}
func getUser(c *call) (result, *apiError) {
	u, e := c.user("userId")
	if e != nil {
		return failed(e)
	}
	return ok(c.userJSON(u, true))
}

// PATCH /users/{userId}
func updateUser(c *call) (result, *apiError) {
	u, e := c.user("userId")
	if e != nil {
		return failed(e)
	}
	var req map[string]any
	if e := c.decode(&req); e != nil {
		return failed(e)
	}
	// Checked before anything changes: a refused update loses nothing.
	if v, set := req["type"]; set {
		n, _ := v.(float64)
		if n != 1 && n != 2 && n != 4 && n != 99 {
			return failed(fail(http.StatusBadRequest, 300, "Invalid field: type."))
		}
		if a := c.st.accountOf(u); n == 2 && !u.holdsSeat() && u.Status != "inactive" && !c.st.seatFree(a) {
			return failed(noSeat(a, true))
		}
	}
	if v, set := req["group_id"]; set && c.groupByID(str(v)) == nil {
		return failed(fail(http.StatusNotFound, 4130, "Group does not exist: %s.", str(v)))
	}
	old := map[string]any{}
	changed := map[string]any{"id": u.ID}
	for k, v := range req {
		switch k {
		case "first_name":
			old[k], u.FirstName = u.FirstName, str(v)
		case "last_name":
			old[k], u.LastName = u.LastName, str(v)
		case "display_name":
			old[k], u.DisplayName = u.DisplayName, str(v)
		case "type":
			n, _ := v.(float64)
			old[k], u.Type = u.Type, int(n)
			if u.Type != 2 {
				u.webinar = false // the add-on needs a license
			}
		case "timezone":
			old[k], u.Timezone = u.Timezone, str(v)
		case "dept":
			old[k], u.Dept = u.Dept, str(v)
		case "language":
			old[k], u.Language = u.Language, str(v)
		case "job_title":
			old[k], u.JobTitle = u.JobTitle, str(v)
		case "company":
			old[k], u.Company = u.Company, str(v)
		case "location":
			old[k], u.Location = u.Location, str(v)
		case "group_id":
			gid := str(v)
			g := c.groupByID(gid)
			if g == nil {
				return failed(fail(http.StatusNotFound, 4130, "Group does not exist: %s.", gid))
			}
			if !slices.Contains(g.Members, u.ID) {
				g.Members = append(g.Members, u.ID)
			}
		default:
			if u.extra == nil {
				u.extra = map[string]any{}
			}
			old[k] = u.extra[k]
			u.extra[k] = v
		}
		changed[k] = v
	}
	c.emit("user.updated", map[string]any{
		"operator": c.operatorEmail(), "operator_id": c.me(),
		"object": changed, "old_object": mergeID(old, u.ID), "time_stamp": c.now.UnixMilli(),
	})
	return noContent()
}

func mergeID(m map[string]any, id string) map[string]any {
	m["id"] = id
	return m
}

// DELETE /users/{userId}
func deleteUser(c *call) (result, *apiError) {
	u, e := c.user("userId")
	if e != nil {
		return failed(e)
	}
	if c.st.isOwner(u) {
		return failed(fail(http.StatusBadRequest, 200, "The account owner cannot be deleted."))
	}
	action := c.query.Get("action")
	if action == "" {
		action = "disassociate"
	}
	if action == "delete" && u.Status == "pending" {
		return failed(fail(http.StatusBadRequest, 300, "A pending user can only be disassociated."))
	}
	c.st.removeUser(u.ID)
	c.s.revokeUserTokens(u.ID)
	name := "user.disassociated"
	if action == "delete" {
		name = "user.deleted"
	}
	c.userEvent(name, u, nil)
	return noContent()
}

// PUT /users/{userId}/status
func userStatus(c *call) (result, *apiError) {
	u, e := c.user("userId")
	if e != nil {
		return failed(e)
	}
	var req struct {
		Action string `json:"action"`
	}
	if e := c.decode(&req); e != nil {
		return failed(e)
	}
	switch req.Action {
	case "activate":
		if u.Status == "pending" {
			return failed(fail(http.StatusBadRequest, 300, "The user has not accepted the invitation yet."))
		}
		if a := c.st.accountOf(u); u.Type == 2 && u.Status == "inactive" && !c.st.seatFree(a) {
			return failed(noSeat(a, false))
		}
		u.Status = "active"
		c.userEvent("user.activated", u, nil)
	case "deactivate":
		if c.st.isOwner(u) {
			return failed(fail(http.StatusBadRequest, 200, "The account owner cannot be deactivated."))
		}
		u.Status = "inactive"
		c.userEvent("user.deactivated", u, nil)
	default:
		return failed(fail(http.StatusBadRequest, 300, "Invalid field: action."))
	}
	return result{status: http.StatusOK}, nil
}

// GET /users/email
func userEmail(c *call) (result, *apiError) {
	email := c.query.Get("email")
	return ok(map[string]any{"existed_email": c.st.lookupUser(email, "") != nil})
}

func str(v any) string {
	s, _ := v.(string)
	return s
}
