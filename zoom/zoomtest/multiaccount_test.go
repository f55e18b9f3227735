package zoomtest_test

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/zoomkit/zoomkit/webhook"
	"github.com/zoomkit/zoomkit/zoom"
	"github.com/zoomkit/zoomkit/zoom/zoomtest"
)

// subscribeApp is subscribe for the app clientID's endpoint.
func subscribeApp(t *testing.T, s *zoomtest.Server, clk *clock, clientID string) *recorder {
	t.Helper()
	const secret = "app-wh-secret"
	v, err := webhook.NewVerifier([]string{secret}, webhook.WithClock(clk.Now))
	require.NoError(t, err)
	h, err := webhook.NewHandler(v, webhook.WithoutDedup())
	require.NoError(t, err)
	rec := &recorder{}
	h.Fallback(rec.add)
	ts := httptest.NewServer(h)
	t.Cleanup(ts.Close)
	require.NoError(t, s.SubscribeApp(clientID, ts.URL, secret))
	return rec
}

func accountOf(t *testing.T, e *webhook.Event) string {
	t.Helper()
	var p struct {
		AccountID string `json:"account_id"`
	}
	require.NoError(t, json.Unmarshal(e.Payload, &p))
	return p.AccountID
}

// Two accounts on one fake: each has its own users, owner and seats;
// "me" and user ids resolve within the caller's account.
func TestAccountsAreApart(t *testing.T) {
	s, _ := start(t, zoomtest.WithLicenses(5))
	ctx := context.Background()
	acctB, ownerB, err := s.AddAccount(zoomtest.Account{ID: "acct-b", OwnerEmail: "boss@b.example", Licenses: 1})
	require.NoError(t, err)
	assert.Equal(t, "acct-b", acctB)
	assert.NotEqual(t, s.AccountID(), acctB)
	_, _, err = s.AddAccount(zoomtest.Account{OwnerEmail: "boss@b.example"})
	assert.Error(t, err, "an email belongs to one account")

	ca, cb := s.Client("me"), s.Client(ownerB)
	me, _, err := cb.Users.Get(ctx, "me", nil)
	require.NoError(t, err)
	assert.Equal(t, ownerB, me.ID)
	assert.Equal(t, "acct-b", me.AccountID)
	meA, _, err := ca.Users.Get(ctx, "me", nil)
	require.NoError(t, err)
	assert.Equal(t, s.OwnerID(), meA.ID)
	assert.Equal(t, s.AccountID(), meA.AccountID)

	_, _, err = ca.Users.Get(ctx, ownerB, nil)
	st, code := apiCode(t, err)
	assert.Equal(t, 404, st)
	assert.Equal(t, 1001, code, "another account's user is not found")
	list, _, err := ca.Users.List(ctx, nil)
	require.NoError(t, err)
	for _, u := range list.Users {
		assert.NotEqual(t, ownerB, u.ID)
	}
	assert.Len(t, s.Users(), 1, "Users lists the default account")
	assert.Len(t, s.AccountUsers(acctB), 1)

	// Seats are the account's: B's one seat is its owner's.
	_, _, err = cb.Users.Create(ctx, &zoom.CreateUserRequest{Action: zoom.UserCreateActionCustCreate,
		UserInfo: &zoom.UserInfo{Email: "lic@b.example", Type: zoom.UserTypeLicensed}})
	_, code = apiCode(t, err)
	assert.Equal(t, 3412, code)
	_, _, err = ca.Users.Create(ctx, &zoom.CreateUserRequest{Action: zoom.UserCreateActionCustCreate,
		UserInfo: &zoom.UserInfo{Email: "lic@a.example", Type: zoom.UserTypeLicensed}})
	require.NoError(t, err)

	// Meetings of one account are not found from the other.
	m, _, err := cb.Meetings.Create(ctx, "me", &zoom.CreateMeetingRequest{Topic: "B only"})
	require.NoError(t, err)
	_, _, err = ca.Meetings.Get(ctx, m.ID, nil)
	_, code = apiCode(t, err)
	assert.Equal(t, 3001, code)
	memberA, err := s.AddUser(zoomtest.User{Email: "member@a.example"})
	require.NoError(t, err)
	_, _, err = s.Client(memberA.ID).Meetings.Get(ctx, m.ID, nil)
	_, code = apiCode(t, err)
	assert.Equal(t, 3001, code, "not found for a member either")

	// A server-to-server token names its account: "me" is that owner.
	ts, err := oauthConfig(s).ServerToServer("acct-b")
	require.NoError(t, err)
	cs, err := zoom.NewClient(zoom.WithBaseURL(s.APIURL()), zoom.WithHTTPClient(s.HTTPClient()), zoom.WithTokenSource(ts))
	require.NoError(t, err)
	me, _, err = cs.Users.Get(ctx, "me", nil)
	require.NoError(t, err)
	assert.Equal(t, ownerB, me.ID)
	bad, _ := oauthConfig(s).ServerToServer("acct-nobody")
	_, err = bad.Token()
	assert.Error(t, err)
}

// A user whose email belongs to another account cannot be created
// directly (Zoom's 1009); action "create" invites them instead, and they
// join when they accept, leaving their old account.
func TestUserOfAnotherAccount(t *testing.T) {
	s, _ := start(t)
	ctx := context.Background()
	_, ownerB, err := s.AddAccount(zoomtest.Account{ID: "acct-b", OwnerEmail: "boss@b.example"})
	require.NoError(t, err)
	old, err := s.AddUser(zoomtest.User{Email: "pat@example.com", FirstName: "Pat"})
	require.NoError(t, err)
	cb := s.Client(ownerB)

	_, _, err = cb.Users.Create(ctx, &zoom.CreateUserRequest{Action: zoom.UserCreateActionCustCreate,
		UserInfo: &zoom.UserInfo{Email: "pat@example.com", Type: zoom.UserTypeBasic}})
	require.Error(t, err)
	st, code := apiCode(t, err)
	assert.Equal(t, 400, st)
	assert.Equal(t, 1009, code)
	assert.Contains(t, err.Error(), "already holds an active account")

	inv, _, err := cb.Users.Create(ctx, &zoom.CreateUserRequest{Action: zoom.UserCreateActionCreate,
		UserInfo: &zoom.UserInfo{Email: "pat@example.com", Type: zoom.UserTypeBasic}})
	require.NoError(t, err, "an invitation")
	pending, err := s.UserIn("acct-b", "pat@example.com")
	require.NoError(t, err)
	assert.Equal(t, "pending", pending.Status)
	assert.Equal(t, inv.ID, pending.ID)
	still, _ := s.User(old.ID)
	assert.Equal(t, "active", still.Status, "until they accept, they stay where they are")

	require.NoError(t, s.AcceptInvitationTo("acct-b", "pat@example.com"))
	got, _, err := cb.Users.Get(ctx, "pat@example.com", nil)
	require.NoError(t, err)
	assert.EqualValues(t, "active", got.Status)
	assert.Equal(t, "acct-b", got.AccountID)
	_, left := s.User(old.ID)
	assert.False(t, left, "they left the default account")
	_, _, err = s.Client("me").Users.Get(ctx, "pat@example.com", nil)
	_, code = apiCode(t, err)
	assert.Equal(t, 1001, code)

	// An account's owner is not invited away from it.
	_, _, err = s.Client("me").Users.Create(ctx, &zoom.CreateUserRequest{Action: zoom.UserCreateActionCreate,
		UserInfo: &zoom.UserInfo{Email: "boss@b.example", Type: zoom.UserTypeBasic}})
	_, code = apiCode(t, err)
	assert.Equal(t, 1009, code)
}

// An app's webhooks come only from the accounts that installed it, and
// carry that account's id.
func TestWebhooksPerAccount(t *testing.T) {
	s, clk := start(t, zoomtest.WithApp(zoomtest.App{Kind: zoomtest.UserManaged, ClientID: "multi", ClientSecret: "multi-secret"}))
	ctx := context.Background()
	_, ownerB, err := s.AddAccount(zoomtest.Account{ID: "acct-b", OwnerEmail: "boss@b.example"})
	require.NoError(t, err)
	_, _, err = s.AddAccount(zoomtest.Account{ID: "acct-c", OwnerEmail: "boss@c.example"})
	require.NoError(t, err)
	app := subscribeApp(t, s, clk, "multi")
	def := subscribe(t, s, clk) // the default app's endpoint

	install(t, s, appConfig(s, "multi", "multi-secret"), ownerB)

	_, _, err = s.Client("me").Meetings.Create(ctx, "me", &zoom.CreateMeetingRequest{Topic: "in A"})
	require.NoError(t, err)
	_, _, err = s.Client("boss@c.example").Meetings.Create(ctx, "me", &zoom.CreateMeetingRequest{Topic: "in C"})
	require.NoError(t, err)
	assert.Empty(t, app.names(), "A and C did not install the app")

	_, _, err = s.Client(ownerB).Meetings.Create(ctx, "me", &zoom.CreateMeetingRequest{Topic: "in B"})
	require.NoError(t, err)
	require.Equal(t, []string{"meeting.created"}, app.names())
	assert.Equal(t, "acct-b", accountOf(t, app.last("meeting.created")))

	// The default app is installed in A (its own account) and, through
	// the tokens of Server.Client, in B and C.
	var accts []string
	for _, e := range def.events {
		accts = append(accts, accountOf(t, e))
	}
	assert.Equal(t, []string{s.AccountID(), "acct-c", "acct-b"}, accts)
	var logged []string
	for _, d := range s.Deliveries() {
		logged = append(logged, d.Account)
	}
	assert.Equal(t, []string{s.AccountID(), "acct-c", "acct-b", "acct-b"}, logged, "Deliveries name the account")

	// Uninstalling tells the app, then B's events stop reaching it.
	require.NoError(t, s.UninstallApp("multi", ownerB))
	assert.Equal(t, []string{"meeting.created", "app_deauthorized"}, app.names())
	assert.Equal(t, "acct-b", accountOf(t, app.last("app_deauthorized")))
	_, _, err = s.Client(ownerB).Meetings.Create(ctx, "me", &zoom.CreateMeetingRequest{Topic: "after"})
	require.NoError(t, err)
	assert.Len(t, app.names(), 2)
}

// The live events of a meeting of another account carry that account's
// id, and a user of the default account who joins it is a guest there.
func TestLiveEventsOfAnotherAccount(t *testing.T) {
	s, clk := start(t)
	ctx := context.Background()
	_, ownerB, err := s.AddAccount(zoomtest.Account{ID: "acct-b", OwnerEmail: "boss@b.example"})
	require.NoError(t, err)
	_, err = s.AddUserTo("acct-b", zoomtest.User{Email: "colleague@b.example"})
	require.NoError(t, err)
	_, err = s.AddUser(zoomtest.User{Email: "visitor@a.example"})
	require.NoError(t, err)
	rec := subscribe(t, s, clk)
	m, _, err := s.Client(ownerB).Meetings.Create(ctx, "me", &zoom.CreateMeetingRequest{Topic: "B's"})
	require.NoError(t, err)
	_, err = s.StartMeeting(m.ID)
	require.NoError(t, err)
	assert.Equal(t, "acct-b", accountOf(t, rec.last("meeting.started")))

	emailOf := func(who string) string {
		_, err := s.Join(m.ID, zoomtest.Participant{Name: who, Email: who})
		require.NoError(t, err)
		e := rec.last("meeting.participant_joined")
		require.NotNil(t, e)
		assert.Equal(t, "acct-b", accountOf(t, e))
		var p struct {
			Object struct {
				Participant struct {
					Email string `json:"email"`
				} `json:"participant"`
			} `json:"object"`
		}
		require.NoError(t, json.Unmarshal(e.Payload, &p))
		return p.Object.Participant.Email
	}
	assert.Equal(t, "colleague@b.example", emailOf("colleague@b.example"), "a user of B is signed in")
	assert.Empty(t, emailOf("visitor@a.example"), "a user of A is a guest in B")

	// Its past instances and recordings are not found from A.
	require.NoError(t, s.EndMeeting(m.ID))
	ca := s.Client("me")
	_, _, err = s.Client(ownerB).Meetings.ListPastInstances(ctx, m.ID)
	require.NoError(t, err)
	_, _, err = ca.Meetings.ListPastInstances(ctx, m.ID)
	_, code := apiCode(t, err)
	assert.Equal(t, 3001, code, "past instances")
	_, _, err = ca.Meetings.GetPast(ctx, zoom.LatestOf(m.ID))
	_, code = apiCode(t, err)
	assert.Equal(t, 3001, code, "past meeting")
	_, _, err = ca.CloudRecordings.Get(ctx, zoom.LatestOf(m.ID), nil)
	_, code = apiCode(t, err)
	assert.Equal(t, 3301, code, "recordings")
	links := &zoom.CreateMeetingInviteLinksRequest{Attendees: []zoom.InviteLinkAttendee{{Name: "Guest"}}}
	_, _, err = s.Client(ownerB).Meetings.CreateInviteLinks(ctx, m.ID, links)
	require.NoError(t, err)
	_, _, err = ca.Meetings.CreateInviteLinks(ctx, m.ID, links)
	_, code = apiCode(t, err)
	assert.Equal(t, 3001, code, "an operation answered from the documents")
}

// Groups and custom roles are the account's: another account neither
// lists nor reaches them, and the members of a built-in role are the
// account's own.
func TestGroupsAndRolesPerAccount(t *testing.T) {
	s, _ := start(t)
	ctx := context.Background()
	_, ownerB, err := s.AddAccount(zoomtest.Account{ID: "acct-b", OwnerEmail: "boss@b.example"})
	require.NoError(t, err)
	_, err = s.AddUser(zoomtest.User{Email: "member@a.example"})
	require.NoError(t, err)
	memberB, err := s.AddUserTo("acct-b", zoomtest.User{Email: "member@b.example"})
	require.NoError(t, err)
	ca, cb := s.Client("me"), s.Client(ownerB)

	gA, _, err := ca.Groups.Create(ctx, &zoom.CreateGroupRequest{Name: "Sales"})
	require.NoError(t, err)
	rA, _, err := ca.Roles.Create(ctx, &zoom.CreateRoleRequest{Name: "Auditor"})
	require.NoError(t, err)

	groups, _, err := cb.Groups.List(ctx, nil)
	require.NoError(t, err)
	assert.Empty(t, groups.Groups)
	_, _, err = cb.Groups.Get(ctx, gA.ID)
	_, code := apiCode(t, err)
	assert.Equal(t, 4130, code)
	_, _, err = cb.Groups.Create(ctx, &zoom.CreateGroupRequest{Name: "Sales"})
	require.NoError(t, err, "names are unique within an account")

	roles, _, err := cb.Roles.List(ctx, nil)
	require.NoError(t, err)
	for _, r := range roles.Roles {
		assert.NotEqual(t, rA.ID, r.ID)
		if r.ID == "2" {
			assert.Equal(t, 1, r.TotalMembers, "B's members only")
		}
	}
	_, _, err = cb.Roles.Get(ctx, rA.ID)
	require.Error(t, err)
	members, _, err := cb.Roles.ListMembers(ctx, "2", nil)
	require.NoError(t, err)
	require.Len(t, members.Members, 1)
	assert.Equal(t, memberB.ID, members.Members[0].ID)
}

// Rate limits are counted per account, on each account's plan: one
// account spending its per-second allowance leaves the other's whole.
func TestRateLimitsPerAccount(t *testing.T) {
	s, _ := start(t, zoomtest.WithRateLimits(zoomtest.PlanFree)) // LIGHT: 4 a second
	_, ownerB, err := s.AddAccount(zoomtest.Account{ID: "acct-b", OwnerEmail: "boss@b.example", Plan: zoomtest.PlanPro})
	require.NoError(t, err)
	_, ownerC, err := s.AddAccount(zoomtest.Account{ID: "acct-c", OwnerEmail: "boss@c.example"})
	require.NoError(t, err)
	_, _, err = zoomtest.NewTestServer(t).AddAccount(zoomtest.Account{OwnerEmail: "x@example.com", Plan: "platinum"})
	assert.Error(t, err)
	tok := func(user string) string {
		v, err := s.AccessToken(user)
		require.NoError(t, err)
		return v
	}
	a, b, c := tok("me"), tok(ownerB), tok(ownerC)
	for range 4 {
		require.Equal(t, 200, do(t, s, a, "GET", "/users/me", nil).Status)
	}
	assert.Equal(t, 429, do(t, s, a, "GET", "/users/me", nil).Status, "A spent its second")
	for range 4 {
		require.Equal(t, 200, do(t, s, c, "GET", "/users/me", nil).Status, "C (the server's plan) counts apart")
	}
	for range 10 {
		require.Equal(t, 200, do(t, s, b, "GET", "/users/me", nil).Status, "B is on Pro: 30 a second")
	}
	assert.Equal(t, "30", do(t, s, b, "GET", "/users/me", nil).Header.Get("X-RateLimit-Limit"))
}
