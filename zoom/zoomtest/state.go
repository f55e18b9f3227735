package zoomtest

import (
	"slices"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // meeting time zones resolve on machines without zoneinfo

	"github.com/zoomkit/zoomkit/zoom"
)

// state is everything the server knows. It is guarded by Server.mu.
type state struct {
	ids *idGen
	// verificationToken, when set, rides on webhook deliveries
	// (SetVerificationToken).
	verificationToken string
	// accountID and ownerID are the default account's (accounts[0]).
	accountID string
	ownerID   string
	accounts  []*account // the default account first (accounts.go)

	users    []*user // in creation order
	meetings map[zoom.ID]*meeting
	order    []zoom.ID // meeting and webinar ids in creation order
	groups   []*group
	roles    []*role

	tokens  map[string]*accessToken // access token -> token
	refresh map[string]*grant       // live refresh token -> grant
	grants  []*grant
	codes   map[string]*authCode
	pages   map[string]*pageToken

	signedIn string // user id the authorization page acts as

	requests      []Request
	tokenRequests map[string]int
	deliveries    []Delivery
	retries       []*retry // scheduled, not made yet
	subs          []subscription

	faults  []*faultState
	latency time.Duration

	rate rateState
	seq  int // tracking-id counter
}

func newState(cfg *config) *state {
	st := &state{
		ids:           newIDGen(cfg.seed),
		meetings:      map[zoom.ID]*meeting{},
		tokens:        map[string]*accessToken{},
		refresh:       map[string]*grant{},
		codes:         map[string]*authCode{},
		pages:         map[string]*pageToken{},
		tokenRequests: map[string]int{},
		subs:          append([]subscription(nil), cfg.webhooks...),
	}
	st.rate.init()
	st.accountID = cfg.accountID
	if st.accountID == "" {
		st.accountID = st.ids.userID()
	}
	st.roles = []*role{
		{ID: "0", Name: "Owner", Description: "Account owner has full privileges to access and manage a Zoom account.", Type: "common", builtin: true},
		{ID: "1", Name: "Admin", Description: "Admins have wide range privileges to access and manage a Zoom account.", Type: "common", builtin: true},
		{ID: "2", Name: "Member", Description: "Members have access to basic Zoom video meeting functions but no account management privileges.", Type: "common", builtin: true},
	}
	now := cfg.now().UTC()
	owner := &user{
		ID: st.ids.userID(), Email: cfg.ownerEmail, FirstName: "Account", LastName: "Owner",
		Type: 2, Status: "active", RoleID: "0", PMI: st.ids.meetingID(), Timezone: "UTC",
		CreatedAt: now, Language: "en-US", Verified: 1, webinar: true,
	}
	owner.account = st.accountID
	st.users = append(st.users, owner)
	st.ownerID = owner.ID
	st.accounts = []*account{{id: st.accountID, ownerID: owner.ID, seats: cfg.seats, plan: cfg.plan, rate: &st.rate}}
	st.signedIn = owner.ID
	return st
}

type user struct {
	ID, Email, FirstName, LastName, DisplayName string
	Type                                        int
	Status                                      string // active, inactive, pending
	RoleID                                      string
	PMI                                         zoom.ID
	Timezone, Dept, Language, JobTitle, Company string
	Location                                    string
	Verified                                    int
	CreatedAt                                   time.Time
	// CreationType is how it was created: create, autoCreate, custCreate,
	// ssoCreate.
	CreationType string
	// webinar: the user holds the Webinar add-on (feature.webinar).
	webinar bool
	account string         // the id of the account the user belongs to
	extra   map[string]any // other fields set by PATCH, echoed back
}

func (u *user) displayName() string {
	if u.DisplayName != "" {
		return u.DisplayName
	}
	return strings.TrimSpace(u.FirstName + " " + u.LastName)
}

// meeting is a meeting or a webinar.
type meeting struct {
	ID        zoom.ID
	UUID      string
	HostID    string
	Webinar   bool
	Topic     string
	Type      int
	StartTime time.Time // zero for type 1 (instant, until started) and 3/6
	Duration  int
	Timezone  string
	Agenda    string
	Password  string
	CreatedAt time.Time
	Settings  map[string]any
	Recur     map[string]any
	Tracking  []any
	Status    string // waiting, started
	// Occurrences of a recurring meeting with a fixed time.
	Occurrences []*occurrence
	Registrants []*registrant
	Questions   map[string]any // {questions:[...], custom_questions:[...]}
	Panelists   []*panelist
	Live        *instance   // the running instance, if started
	Past        []*instance // ended instances, oldest first
	PreSchedule bool
	updates     int
	deleted     bool
	polls       []*poll        // webinar polls and quizzes
	survey      map[string]any // webinar survey; nil when none
}

type occurrence struct {
	ID        string // unix milliseconds of the start time
	StartTime time.Time
	Duration  int
	Status    string // available, deleted
}

type registrant struct {
	ID         string
	Email      string
	FirstName  string
	LastName   string
	Status     string // approved, pending, denied
	CreateTime time.Time
	JoinURL    string
	PinCode    int64
	Fields     map[string]any // other registration fields, echoed back
	Occurs     []string       // occurrence ids registered for
}

type panelist struct {
	ID, Email, Name, JoinURL string
}

// instance is one held session of a meeting or webinar.
type instance struct {
	UUID         string
	StartTime    time.Time
	EndTime      time.Time // zero while live
	Participants []*participant
	Recording    *recording
	nextPID      int
	answers      []*answer // poll and survey answers, in order
}

type participant struct {
	ID           string // per-meeting participant id (Zoom's user_id)
	UUID         string // participant_uuid
	UserID       string // Zoom user id when signed in
	Name         string
	Email        string
	RegistrantID string
	JoinTime     time.Time
	LeaveTime    time.Time // zero while in the meeting
}

type recording struct {
	deleted bool
	ID      string
	Start   time.Time
	End     time.Time
	Files   []recordingFile
	Size    int64
}

type recordingFile struct {
	ID, Type, Ext, RecType string
	Start, End             time.Time
	Size                   int64
}

type group struct {
	ID        string
	Name      string
	Members   []string // user ids
	CreatedAt time.Time
	account   string
}

type role struct {
	ID, Name, Description, Type string
	Privileges                  []string
	builtin                     bool
	account                     string // "" for the built-in roles of every account
}

// accessToken is a live or dead access token.
type accessToken struct {
	kind    string // "test", "user", "account"
	userID  string // acting user ("" for account tokens: the owner)
	account string // account tokens: the account they act for
	scopes  map[string]bool
	expires time.Time // zero: never
	revoked bool
	grant   *grant
}

// grant is one authorization of the app: by a user (authorization code) or
// by the account (account credentials).
type grant struct {
	app      *app
	id       string
	userID   string // "" for account-level grants
	scopes   []string
	refresh  string // the one refresh token that works
	access   []string
	revoked  bool
	accounts bool
	account  string // account-level grants: the account's id
}

type authCode struct {
	app       *app
	userID    string
	redirect  string
	challenge string
	method    string
	scopes    []string
	expires   time.Time
}

// pageToken continues a list.
type pageToken struct {
	key     string
	offset  int
	expires time.Time
}

// lookupUser finds a user by id or email (case-insensitive); "me" means
// the user me. It returns nil when there is none.
func (st *state) lookupUser(idOrEmail, me string) *user {
	if idOrEmail == "me" {
		idOrEmail = me
	}
	for _, u := range st.users {
		if u.ID == idOrEmail || strings.EqualFold(u.Email, idOrEmail) {
			return u
		}
	}
	return nil
}

func (st *state) userByID(id string) *user {
	for _, u := range st.users {
		if u.ID == id {
			return u
		}
	}
	return nil
}

func (st *state) removeUser(id string) {
	for i, u := range st.users {
		if u.ID == id {
			st.users = append(st.users[:i], st.users[i+1:]...)
			break
		}
	}
	for _, g := range st.groups {
		g.Members = removeString(g.Members, id)
	}
	for _, mid := range st.order {
		if m := st.meetings[mid]; m != nil && m.HostID == id {
			delete(st.meetings, mid)
		}
	}
	st.order = slices.DeleteFunc(st.order, func(id zoom.ID) bool { return st.meetings[id] == nil })
}

func (st *state) groupByID(id string) *group {
	for _, g := range st.groups {
		if g.ID == id {
			return g
		}
	}
	return nil
}

func (st *state) roleByID(id string) *role {
	for _, r := range st.roles {
		if r.ID == id {
			return r
		}
	}
	return nil
}

func (st *state) groupIDsOf(userID string) []string {
	out := []string{}
	for _, g := range st.groups {
		for _, m := range g.Members {
			if m == userID {
				out = append(out, g.ID)
			}
		}
	}
	return out
}

// findMeeting finds a meeting or webinar by numeric id or by the UUID of
// one of its instances; for a UUID it also returns that instance.
func (st *state) findMeeting(idOrUUID string) (*meeting, *instance) {
	if n, err := strconv.ParseInt(idOrUUID, 10, 64); err == nil {
		return st.meetings[zoom.ID(n)], nil
	}
	for _, id := range st.order {
		m := st.meetings[id]
		if m == nil {
			continue
		}
		if m.Live != nil && m.Live.UUID == idOrUUID {
			return m, m.Live
		}
		for _, in := range m.Past {
			if in.UUID == idOrUUID {
				return m, in
			}
		}
		if m.UUID == idOrUUID {
			return m, nil
		}
	}
	return nil, nil
}

func removeString(list []string, s string) []string {
	return slices.DeleteFunc(list, func(v string) bool { return v == s })
}

// zoomTime formats t as Zoom does in responses.
func zoomTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02T15:04:05Z")
}

// parseZoomTime reads a request time: RFC 3339 (UTC with Z), or
// "2006-01-02T15:04:05" in the zone tz (an IANA name; UTC when empty or
// unknown).
func parseZoomTime(s, tz string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, false
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t.UTC(), true
	}
	loc := time.UTC
	if tz != "" {
		if l, err := time.LoadLocation(tz); err == nil {
			loc = l
		}
	}
	for _, layout := range []string{"2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02"} {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}
