package zoomtest

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/mail"
	"strings"
)

// WithLicenses limits the account's licensed seats to n: users of type 2
// (Licensed), the owner among them, active or pending (Zoom counts the
// Pending Users list), take one each; deactivated users give theirs back.
// A create or update to type 2, an activation or an [Server.AddUser] that
// needs one more seat is refused: the API answers Zoom's 400 with code
// 3412. n must be at least 1, for the owner's seat. By default the seats
// are unlimited.
func WithLicenses(n int) Option {
	return func(c *config) error {
		if n < 1 {
			return fmt.Errorf("zoomtest: WithLicenses: %d seats leave none for the owner", n)
		}
		c.seats = n
		return nil
	}
}

// Seats returns the licensed seats the default account uses and its
// limit (0: unlimited, see [WithLicenses]).
func (s *Server) Seats() (used, limit int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.st.accounts[0]
	return s.st.seatsUsed(a), a.seats
}

// holdsSeat reports whether u takes a licensed seat.
func (u *user) holdsSeat() bool { return u.Type == 2 && u.Status != "inactive" }

// seatsUsed counts the licensed seats taken in the account a.
func (st *state) seatsUsed(a *account) int {
	n := 0
	for _, u := range st.users {
		if u.account == a.id && u.holdsSeat() {
			n++
		}
	}
	return n
}

// seatFree reports whether one more user of the account a may take a
// licensed seat.
func (st *state) seatFree(a *account) bool {
	return a.seats == 0 || st.seatsUsed(a) < a.seats
}

// noSeat is Zoom's answer when the account a has no licensed seat left
// (userCreate's and userUpdate's documented 3412); converting names the
// update's wording.
func noSeat(a *account, converting bool) *apiError {
	if converting {
		return fail(http.StatusBadRequest, 3412, "Your request to convert the user type of a \"Basic\" user to a \"Licensed\" user was not approved at this time because your account has reached the permitted maximum number of \"%d\" paying users. Please purchase additional licenses or remove existing paying user(s) from your \"Users\" list or the \"Pending Users\" list before attempting to convert a user to a paying user.", a.seats)
	}
	return fail(http.StatusBadRequest, 3412, "Your request to add a new \"Licensed\" user couldn't be approved at this time because your account has reached the permitted maximum number of \"%d\" paying users. Please purchase additional licenses or contact the Zoom support team to provision additional users in your account.", a.seats)
}

// account is one Zoom account of the fake.
type account struct {
	id      string
	ownerID string
	seats   int        // 0: unlimited
	plan    Plan       // rate limits; "": none
	rate    *rateState // the account's rate counters
}

// Account describes one more account for [Server.AddAccount].
type Account struct {
	// ID is the account id (letters, digits, - and _); generated when
	// empty.
	ID string
	// OwnerEmail is the email of the account owner, who is created with
	// it (Licensed, with the Webinar add-on). Required, and used by no
	// other account.
	OwnerEmail string
	// Licenses is the number of licensed seats, as [WithLicenses] (0:
	// unlimited).
	Licenses int
	// Plan is the account's plan for rate limits, counted per account
	// ([WithRateLimits]); empty: the server's ([WithRateLimits], or no
	// limits).
	Plan Plan
}

// AddAccount adds one more account to the fake, with its owner, and
// returns their ids. The server's own account ([Server.AccountID]) stays
// the default: [Server.AddUser], [Server.Users] and "me" in the helpers
// name it. The new account's users are added through the API by its
// owner (use [Server.Client] with ownerID) or with [Server.AddUserTo].
func (s *Server) AddAccount(a Account) (accountID, ownerID string, err error) {
	if err := checkEmail(a.OwnerEmail); err != nil {
		return "", "", fmt.Errorf("zoomtest: AddAccount: %w", err)
	}
	if a.ID != "" && !idPattern.MatchString(a.ID) {
		return "", "", fmt.Errorf("zoomtest: AddAccount: %q is not a valid account id (letters, digits, - and _)", a.ID)
	}
	if a.Licenses < 0 {
		return "", "", fmt.Errorf("zoomtest: AddAccount: %d licenses", a.Licenses)
	}
	if a.Plan == "" {
		a.Plan = s.cfg.plan
	} else if _, ok := planLimits(a.Plan); !ok {
		return "", "", fmt.Errorf("zoomtest: AddAccount: unknown plan %q", a.Plan)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if a.ID == "" {
		a.ID = s.st.ids.userID()
	}
	if s.st.accountByID(a.ID) != nil {
		return "", "", fmt.Errorf("zoomtest: AddAccount: account %q exists", a.ID)
	}
	if s.st.lookupUser(a.OwnerEmail, "") != nil {
		return "", "", fmt.Errorf("zoomtest: AddAccount: email %q is already used", a.OwnerEmail)
	}
	now := s.cfg.now().UTC()
	owner := &user{
		ID: s.st.ids.userID(), Email: a.OwnerEmail, FirstName: "Account", LastName: "Owner",
		Type: 2, Status: "active", RoleID: "0", PMI: s.st.ids.meetingID(), Timezone: "UTC",
		CreatedAt: now, Language: "en-US", Verified: 1, webinar: true, account: a.ID,
	}
	s.st.users = append(s.st.users, owner)
	rs := &rateState{}
	rs.init()
	s.st.accounts = append(s.st.accounts, &account{id: a.ID, ownerID: owner.ID, seats: a.Licenses, plan: a.Plan, rate: rs})
	return a.ID, owner.ID, nil
}

// AddUserTo is [Server.AddUser] for the account accountID.
func (s *Server) AddUserTo(accountID string, u User) (User, error) {
	return s.addUser(accountID, u)
}

// AccountUsers returns the users of the account accountID, in creation
// order (none for an unknown account).
func (s *Server) AccountUsers(accountID string) []User {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []User
	for _, u := range s.st.users {
		if u.account == accountID {
			out = append(out, s.st.userView(u))
		}
	}
	return out
}

// UserIn returns the user with the id or email idOrEmail in the account
// accountID.
func (s *Server) UserIn(accountID, idOrEmail string) (User, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.st.accountByID(accountID)
	if a == nil {
		return User{}, fmt.Errorf("zoomtest: UserIn: no account %q", accountID)
	}
	u := s.st.lookupUserIn(a.id, idOrEmail, a.ownerID)
	if u == nil {
		return User{}, fmt.Errorf("zoomtest: UserIn: no user %q in account %q", idOrEmail, accountID)
	}
	return s.st.userView(u), nil
}

func (st *state) accountByID(id string) *account {
	for _, a := range st.accounts {
		if a.id == id {
			return a
		}
	}
	return nil
}

// accountOf returns the account of the user u (the default one for
// none).
func (st *state) accountOf(u *user) *account {
	if u != nil {
		if a := st.accountByID(u.account); a != nil {
			return a
		}
	}
	return st.accounts[0]
}

// lookupUserIn is lookupUser within the account acct.
func (st *state) lookupUserIn(acct, idOrEmail, me string) *user {
	if idOrEmail == "me" {
		idOrEmail = me
	}
	for _, u := range st.users {
		if u.account == acct && (u.ID == idOrEmail || strings.EqualFold(u.Email, idOrEmail)) {
			return u
		}
	}
	return nil
}

// isOwner reports whether u owns their account.
func (st *state) isOwner(u *user) bool { return st.accountOf(u).ownerID == u.ID }

// acct is the account the call acts in: the token's.
func (c *call) acct() *account {
	if c.tok.kind == "account" {
		if a := c.st.accountByID(c.tok.account); a != nil {
			return a
		}
	}
	return c.st.accountOf(c.st.userByID(c.me()))
}

// ours reports whether the meeting or webinar m belongs to the call's
// account (its host's).
func (c *call) ours(m *meeting) bool {
	return c.st.accountOf(c.st.userByID(m.HostID)) == c.acct()
}

func checkEmail(e string) error {
	if _, err := mail.ParseAddress(e); err != nil || strings.ContainsAny(e, "<> ") {
		return fmt.Errorf("%q is not an email address", e)
	}
	return nil
}

// SetWebinar gives the user idOrEmail ("me" is the owner) the Webinar
// add-on, or takes it away, as an admin does in Zoom's web portal,
// without events. Only a Licensed user may hold it.
func (s *Server) SetWebinar(idOrEmail string, on bool) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.st.lookupUser(idOrEmail, s.st.ownerID)
	if u == nil {
		return fmt.Errorf("zoomtest: SetWebinar: no user %q", idOrEmail)
	}
	if on && u.Type != 2 {
		return errors.New("zoomtest: SetWebinar: the Webinar add-on needs a Licensed user (type 2)")
	}
	u.webinar = on
	return nil
}

// webinarOnlyLicensed is Zoom's answer when the Webinar feature is enabled
// for a user who is not Licensed (userSettingsUpdate's 1122).
func webinarOnlyLicensed() *apiError {
	return fail(http.StatusBadRequest, 1122, "Webinar feature can only be enabled for Licensed or On-prem users.")
}

// PATCH /users/{userId}/settings: feature.webinar gives or takes the
// Webinar add-on (an owner's or admin's act); the rest keeps no state.
func updateUserSettings(c *call) (result, *apiError) {
	u, e := c.user("userId")
	if e != nil {
		return failed(e)
	}
	var req struct {
		Feature *struct {
			Webinar *bool `json:"webinar"`
		} `json:"feature"`
	}
	_ = json.Unmarshal(c.body, &req) // validated against the document already
	if req.Feature != nil && req.Feature.Webinar != nil {
		if c.tok.kind != "account" {
			if me := c.st.userByID(c.me()); me == nil || !isAccountAdmin(me) {
				return failed(noPrivilege())
			}
		}
		if *req.Feature.Webinar && u.Type != 2 {
			return failed(webinarOnlyLicensed())
		}
		u.webinar = *req.Feature.Webinar
	}
	return c.s.cannedHandler(c.info.op)(c)
}

// GET /users/{userId}/settings: the document's answer, with the user's
// Webinar add-on in feature.webinar.
func getUserSettings(c *call) (result, *apiError) {
	u, e := c.user("userId")
	if e != nil {
		return failed(e)
	}
	res, e := c.s.cannedHandler(c.info.op)(c)
	if e != nil {
		return res, e
	}
	raw, isRaw := res.body.(json.RawMessage)
	var body map[string]any
	if !isRaw || json.Unmarshal(raw, &body) != nil {
		return res, nil
	}
	if f, has := body["feature"].(map[string]any); has {
		f["webinar"] = u.webinar
		res.body = body
	}
	return res, nil
}

// SubscribeApp is [Server.Subscribe] for the endpoint of the app clientID
// (one of [WithApp]): it receives the events of the accounts that
// installed the app (a user of the account holds a live grant of it, or
// the account holds a server-to-server token of it), and the app's own
// app_deauthorized.
func (s *Server) SubscribeApp(clientID, url, secret string, events ...string) error {
	return s.subscribeApp(clientID, url, nil, secret, events)
}

// SubscribeAppHandler is SubscribeApp for an in-process handler.
func (s *Server) SubscribeAppHandler(clientID string, h http.Handler, secret string, events ...string) error {
	if h == nil {
		return errors.New("zoomtest: SubscribeAppHandler: nil handler")
	}
	return s.subscribeApp(clientID, "", h, secret, events)
}

func (s *Server) subscribeApp(clientID, url string, h http.Handler, secret string, events []string) error {
	a := s.appByClientID(clientID)
	if a == nil {
		return fmt.Errorf("zoomtest: SubscribeApp: no app %q", clientID)
	}
	sub, err := newSubscription(url, h, secret, events)
	if err != nil {
		return err
	}
	sub.app = a
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.subs = append(s.st.subs, sub)
	return nil
}

// sends reports whether ev goes to sub: the app's own app_deauthorized,
// or an event of an account that installed the app.
func (s *Server) sends(sub subscription, ev pendingEvent) bool {
	a := sub.app
	if a == nil {
		a = s.defaultApp()
	}
	if ev.app != nil {
		return ev.app == a
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.installedLocked(a, ev.account)
}

// installedLocked reports whether the account acct installed the app a.
// The default app counts as installed in the default account, and
// anywhere a user holds a token of [Server.AccessToken] (which stand for
// its tokens). s.mu is held.
func (s *Server) installedLocked(a *app, acct string) bool {
	if a == s.defaultApp() && acct == s.st.accountID {
		return true
	}
	inAcct := func(userID string) bool {
		u := s.st.userByID(userID)
		return u != nil && u.account == acct
	}
	for _, g := range s.st.grants {
		if g.app == a && !g.revoked && ((g.accounts && g.account == acct) || (!g.accounts && inAcct(g.userID))) {
			return true
		}
	}
	if a == s.defaultApp() {
		for _, t := range s.st.tokens {
			if t.grant == nil && !t.revoked && inAcct(t.userID) {
				return true
			}
		}
	}
	return false
}

// groups returns the groups of the call's account.
func (c *call) groups() []*group {
	acct := c.acct().id
	var out []*group
	for _, g := range c.st.groups {
		if g.account == acct {
			out = append(out, g)
		}
	}
	return out
}

// groupByID finds a group of the call's account.
func (c *call) groupByID(id string) *group {
	if g := c.st.groupByID(id); g != nil && g.account == c.acct().id {
		return g
	}
	return nil
}

// roles returns the built-in roles and the custom roles of the call's
// account.
func (c *call) roles() []*role {
	acct := c.acct().id
	var out []*role
	for _, r := range c.st.roles {
		if r.account == "" || r.account == acct {
			out = append(out, r)
		}
	}
	return out
}

// roleByID finds a built-in role or a custom role of the call's account.
func (c *call) roleByID(id string) *role {
	if r := c.st.roleByID(id); r != nil && (r.account == "" || r.account == c.acct().id) {
		return r
	}
	return nil
}
