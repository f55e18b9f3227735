package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/zoomkit/zoomkit/examples/internal/exkit"
	"github.com/zoomkit/zoomkit/oauth"
	"github.com/zoomkit/zoomkit/webhook"
	"github.com/zoomkit/zoomkit/zoom"
)

// appScopes is what the telehealth app is given in Zoom's Marketplace. The
// issue names meeting:read, meeting:write and user:read; finding invitees by
// name (GET /contacts) needs contact:read as well.
var appScopes = []string{"meeting:read", "meeting:write", "user:read", "contact:read"}

// app is the EHR's Zoom integration: providers (doctors) connect their
// Zoom account, schedule telehealth visits with their patients as
// invitees, list and cancel them; uninstalling the app from Zoom removes
// the provider's data.
type app struct {
	env   *exkit.Env
	log   *exkit.Transcript
	mail  exkit.Mailer
	clock exkit.TimeSource // nil: the real clock
	pages *pages
	slog  *slog.Logger // failures' details; the provider sees a sentence

	oauthH *oauth.Handlers
	hooks  *webhook.Handler
	// verificationToken is the app's verification token: a deauthorization
	// must carry it in its authorization header, besides a valid
	// signature. Offline it is generated and given to the fake Zoom;
	// against real Zoom it is -verification-token (empty: none).
	verificationToken string
	mux               *http.ServeMux

	mu      sync.Mutex
	clients map[string]*zoom.Client // by provider (Zoom user id)
}

// provider is a doctor who connected Zoom.
type provider struct {
	ID          string // Zoom user id
	Email       string
	AccountID   string
	TokenKey    string // where the grant is in the token store
	ConnectedAt time.Time
}

// patient is an invitee of a visit: one of the EHR's own patients, or a
// Zoom company contact (a colleague: a nurse, an interpreter).
type patient struct {
	Name   string `json:"name"`
	Email  string `json:"email"`
	Source string `json:"source,omitempty"` // sourceEHR or sourceZoom
}

// Where an invitee was found.
const (
	sourceEHR  = "EHR patient"
	sourceZoom = "Zoom contact"
)

// ehrPatients are the EHR's own patient records, with their emails. The
// example seeds them; a real EHR has them already.
var ehrPatients = []patient{
	{Name: "Ava Lopez", Email: "ava.lopez@patients.example"},
	{Name: "Noah Kim", Email: "noah.kim@patients.example"},
	{Name: "Grace Kim", Email: "grace.kim@patients.example"},
	{Name: "Liam Chen", Email: "liam.chen@patients.example"},
}

// visit is a telehealth appointment: a Zoom meeting hosted by the provider.
type visit struct {
	MeetingID  int64
	ProviderID string
	Topic      string
	Start      time.Time
	Duration   int // minutes
	JoinURL    string
	// StartURL starts the meeting as its host: it carries the host's ZAK,
	// so it is shown only to the provider, on their visit page, and never
	// logged, stored or emailed. Zoom's ZAK expires, so it is read from
	// Zoom each time the page opens.
	StartURL zoom.Secret
	HostID   string // the Zoom user hosting the meeting
	Patients []patient
	Invitees []string // settings.meeting_invitees, as Zoom returns them
}

// visitRequest is what the provider fills in to schedule a visit.
type visitRequest struct {
	Topic    string
	Start    time.Time
	Duration int      // minutes
	Patients []string // names, looked up in Zoom's contacts
}

// errInput reports a request the provider must correct.
type errInput struct{ msg string }

func (e *errInput) Error() string { return e.msg }

func inputErr(format string, args ...any) error { return &errInput{fmt.Sprintf(format, args...)} }

// newApp creates the app's tables and wires its handlers. clock is nil
// against real Zoom and in -serve mode.
func newApp(ctx context.Context, env *exkit.Env, clock exkit.TimeSource) (*app, error) {
	a := &app{env: env, log: env.Log, slog: env.Logger(), mail: env.Mail, clock: clock, clients: map[string]*zoom.Client{}}
	if err := a.migrate(ctx); err != nil {
		return nil, fmt.Errorf("creating the telehealth tables: %w", err)
	}
	var err error
	if a.pages, err = newPages(); err != nil {
		return nil, err
	}

	hopts := []oauth.HandlerOption{
		oauth.WithTokenKey(func(_ *http.Request, zoomUserID string) (string, error) {
			return tokenKey(zoomUserID), nil
		}),
		oauth.WithOnConnected(func(w http.ResponseWriter, r *http.Request, c oauth.Connection) {
			if err := a.connected(r.Context(), c); err != nil {
				a.failErr(w, r, fmt.Errorf("saving the provider: %w", err))
				return
			}
			http.Redirect(w, r, "/providers/"+c.UserID, http.StatusSeeOther)
		}),
		oauth.WithOnError(func(w http.ResponseWriter, r *http.Request, err error) {
			a.log.Fail("Connect Zoom failed: %v", err)
			a.slog.WarnContext(r.Context(), "connect Zoom failed", "error", err)
			p := exkit.ExplainConnect(err)
			a.pages.fail(w, p.Status, p.Message)
		}),
	}
	if clock != nil {
		hopts = append(hopts, oauth.WithHandlerClock(clock.Now))
	}
	if a.oauthH, err = env.OAuth.Handlers(env.Tokens, hopts...); err != nil {
		return nil, err
	}

	a.verificationToken = env.Cfg.VerificationToken
	if env.Fake != nil {
		if a.verificationToken == "" {
			b := make([]byte, 16)
			_, _ = rand.Read(b)
			a.verificationToken = hex.EncodeToString(b)
		}
		// The fake sends it in the authorization header of its deliveries,
		// as Zoom does for an app that has one.
		env.Fake.SetVerificationToken(a.verificationToken)
	}
	// The signature is always required: the verification token is checked
	// alongside it (checkVerificationToken), not instead of it, so the
	// verifier is built without exkit's legacy-token fallback.
	var vopts []webhook.Option
	if env.Cfg.Clock != nil {
		vopts = append(vopts, webhook.WithClock(env.Cfg.Clock.Now))
	}
	v, err := webhook.NewVerifier([]string{env.WebhookSecret}, vopts...)
	if err != nil {
		return nil, fmt.Errorf("webhook verifier: %w", err)
	}
	if a.hooks, err = webhook.NewHandler(v, webhook.WithDeduper(env.Dedup)); err != nil {
		return nil, err
	}
	a.hooks.OnAppDeauthorized(a.deauthorized)
	// Zoom also notifies the app of the meetings it creates and deletes;
	// the EHR keeps its own records, so those events need no action.
	a.hooks.Fallback(func(context.Context, *webhook.Event) error { return nil })

	a.mux = http.NewServeMux()
	a.mux.HandleFunc("GET /{$}", a.handleHome)
	a.mux.Handle("GET "+exkit.ConnectPath, a.oauthH.Connect())
	a.mux.Handle("GET "+exkit.CallbackPath, a.oauthH.Callback())
	a.mux.Handle(exkit.WebhookPath, a.checkVerificationToken(a.hooks))
	a.mux.HandleFunc("GET /providers/{id}", a.handleProvider)
	a.mux.HandleFunc("POST /providers/{id}/visits", a.handleSchedule)
	a.mux.HandleFunc("GET /providers/{id}/visits/{meeting}", a.handleVisit)
	a.mux.HandleFunc("POST /providers/{id}/visits/{meeting}/delete", a.handleDelete)
	if env.Fake != nil {
		// Offline only: what the provider would do in Zoom's Marketplace.
		a.mux.HandleFunc("POST /fake-zoom/uninstall/{id}", a.handleFakeUninstall)
	}
	return a, nil
}

// ServeHTTP serves the app's pages, the OAuth round trip and the webhook.
func (a *app) ServeHTTP(w http.ResponseWriter, r *http.Request) { a.mux.ServeHTTP(w, r) }

func tokenKey(zoomUserID string) string { return "telehealth:provider:" + zoomUserID }

func (a *app) now() time.Time {
	if a.clock != nil {
		return a.clock.Now()
	}
	return time.Now()
}

// The tables use portable types and $n placeholders: SQLite and PostgreSQL.
func (a *app) migrate(ctx context.Context) error {
	for _, q := range []string{
		`CREATE TABLE IF NOT EXISTS telehealth_providers (
			zoom_user_id VARCHAR(64) PRIMARY KEY,
			email        VARCHAR(320) NOT NULL,
			account_id   VARCHAR(64) NOT NULL,
			token_key    VARCHAR(200) NOT NULL,
			connected_at BIGINT NOT NULL
		)`,
		`CREATE TABLE IF NOT EXISTS telehealth_patients (
			email VARCHAR(320) PRIMARY KEY,
			name  VARCHAR(200) NOT NULL
		)`,
		`CREATE TABLE IF NOT EXISTS telehealth_visits (
			meeting_id   BIGINT PRIMARY KEY,
			provider_id  VARCHAR(64) NOT NULL,
			topic        VARCHAR(300) NOT NULL,
			start_at     BIGINT NOT NULL,
			duration_min INTEGER NOT NULL,
			join_url     TEXT NOT NULL,
			patients     TEXT NOT NULL
		)`,
	} {
		if _, err := a.env.DB.ExecContext(ctx, q); err != nil {
			return err
		}
	}
	for _, p := range ehrPatients {
		if _, err := a.env.DB.ExecContext(ctx, `INSERT INTO telehealth_patients (email, name) VALUES ($1, $2)
			ON CONFLICT (email) DO NOTHING`, p.Email, p.Name); err != nil {
			return err
		}
	}
	return nil
}

// ehrMatches returns the EHR's patients whose name, a word of it, or
// email starts with q (case-insensitive).
func (a *app) ehrMatches(ctx context.Context, q string) ([]patient, error) {
	rows, err := a.env.DB.QueryContext(ctx, `SELECT name, email FROM telehealth_patients ORDER BY name`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	q = strings.ToLower(q)
	var out []patient
	for rows.Next() {
		p := patient{Source: sourceEHR}
		if err := rows.Scan(&p.Name, &p.Email); err != nil {
			return nil, err
		}
		match := strings.HasPrefix(strings.ToLower(p.Name), q) || strings.HasPrefix(strings.ToLower(p.Email), q)
		for _, w := range strings.Fields(p.Name) {
			match = match || strings.HasPrefix(strings.ToLower(w), q)
		}
		if match {
			out = append(out, p)
		}
	}
	return out, rows.Err()
}

// connected records the provider after "Connect Zoom" and emails them.
func (a *app) connected(ctx context.Context, c oauth.Connection) error {
	a.log.Call("POST", "/oauth/token", "authorization_code grant, PKCE")
	a.log.Call("GET", "/users/me", "user")
	_, err := a.env.DB.ExecContext(ctx, `INSERT INTO telehealth_providers (zoom_user_id, email, account_id, token_key, connected_at)
		VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (zoom_user_id) DO UPDATE SET email = $2, account_id = $3, token_key = $4, connected_at = $5`,
		c.UserID, c.Email, c.AccountID, c.Key, a.now().Unix())
	if err != nil {
		return err
	}
	a.dropClient(c.UserID) // a reconnect brings a new grant
	a.log.OK("provider %s (Zoom user %s) connected; token saved under %q", c.Email, c.UserID, c.Key)
	err = a.mail.Send(ctx, exkit.Email{
		To:      c.Email,
		Subject: "Zoom connected to your telehealth account",
		Body: "Your Zoom account " + c.Email + " is now connected.\n\n" +
			"Telehealth visits you schedule will be created as Zoom meetings that you host,\n" +
			"with your patients invited by email.\n\n" +
			signInAdvice + "\n\n" +
			"To disconnect Zoom: " + disconnectPath + "\n",
	})
	if err != nil {
		return fmt.Errorf("sending the welcome email: %w", err)
	}
	a.log.OK("email \"Zoom connected\" sent to %s", c.Email)
	return nil
}

// errNoProvider: nobody with that Zoom user id is connected.
var errNoProvider = fmt.Errorf("provider: %w", exkit.ErrNotConnected)

func (a *app) provider(ctx context.Context, id string) (*provider, error) {
	var p provider
	var at int64
	err := a.env.DB.QueryRowContext(ctx, `SELECT zoom_user_id, email, account_id, token_key, connected_at
		FROM telehealth_providers WHERE zoom_user_id = $1`, id).Scan(&p.ID, &p.Email, &p.AccountID, &p.TokenKey, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errNoProvider
	}
	if err != nil {
		return nil, err
	}
	p.ConnectedAt = time.Unix(at, 0).UTC()
	return &p, nil
}

func (a *app) providers(ctx context.Context) ([]provider, error) {
	rows, err := a.env.DB.QueryContext(ctx, `SELECT zoom_user_id, email, account_id, token_key, connected_at
		FROM telehealth_providers ORDER BY email`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []provider
	for rows.Next() {
		var p provider
		var at int64
		if err := rows.Scan(&p.ID, &p.Email, &p.AccountID, &p.TokenKey, &at); err != nil {
			return nil, err
		}
		p.ConnectedAt = time.Unix(at, 0).UTC()
		out = append(out, p)
	}
	return out, rows.Err()
}

// client returns the Zoom client acting as the provider. A provider who
// is not (or no longer) connected gets exkit.ErrNotConnected, without any
// request to Zoom.
func (a *app) client(ctx context.Context, providerID string) (*zoom.Client, error) {
	p, err := a.provider(ctx, providerID)
	if err != nil {
		return nil, err
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if c := a.clients[p.ID]; c != nil {
		return c, nil
	}
	opts := []oauth.Option{
		// The product refreshes an access token only once it has expired,
		// not a minute ahead as by default. (A request racing the expiry
		// gets Zoom's 401 code 124; the client then refreshes and replays.)
		oauth.WithExpiryDelta(0),
		oauth.WithOnReauthorizationRequired(func(_ context.Context, key string, err error) {
			a.log.Fail("the Zoom grant under %q is no longer valid: the provider must connect Zoom again", key)
		}),
	}
	if a.clock != nil {
		opts = append(opts, oauth.WithClock(a.clock.Now))
	}
	ts, err := a.env.OAuth.TokenSource(a.env.Tokens, p.TokenKey, opts...)
	if err != nil {
		return nil, err
	}
	c, err := a.env.NewClient(ts)
	if err != nil {
		return nil, err
	}
	a.clients[p.ID] = c
	return c, nil
}

func (a *app) dropClient(providerID string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	delete(a.clients, providerID)
}

// searchPatients finds invitees by name: first among the EHR's own
// patients, then in the provider's Zoom company contacts (first name, last
// name, display name or email starting with name). A person in both is
// listed once, as the EHR's patient.
func (a *app) searchPatients(ctx context.Context, providerID, name string) ([]patient, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return nil, inputErr("Enter a name to search for.")
	}
	if _, err := a.provider(ctx, providerID); err != nil {
		return nil, err
	}
	out, err := a.ehrMatches(ctx, name)
	if err != nil {
		return nil, fmt.Errorf("searching the EHR's patients: %w", err)
	}
	contacts, err := a.searchContacts(ctx, providerID, name, out)
	if err != nil {
		return nil, err
	}
	return append(out, contacts...), nil
}

// searchContacts searches the provider's Zoom company contacts, the second
// source of invitees, leaving out the people already found.
func (a *app) searchContacts(ctx context.Context, providerID, name string, found []patient) ([]patient, error) {
	c, err := a.client(ctx, providerID)
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	for _, p := range found {
		seen[strings.ToLower(p.Email)] = true
	}
	a.log.Call("GET", "/contacts", "searchCompanyContacts")
	var out []patient
	for ct, err := range c.Contacts.SearchAll(ctx, &zoom.SearchCompanyContactsOptions{SearchKey: name, PageSize: 25}) {
		if err != nil {
			return nil, fmt.Errorf("searching Zoom contacts for %q: %w", name, err)
		}
		if ct.Email == "" || seen[strings.ToLower(ct.Email)] {
			continue // phones, rooms: nothing to invite; or found already
		}
		seen[strings.ToLower(ct.Email)] = true
		out = append(out, patient{Name: contactName(ct), Email: ct.Email, Source: sourceZoom})
		if len(out) == 50 {
			break
		}
	}
	return out, nil
}

func contactName(c *zoom.CompanyContact) string {
	if c.DisplayName != "" {
		return c.DisplayName
	}
	if n := strings.TrimSpace(c.FirstName + " " + c.LastName); n != "" {
		return n
	}
	return c.Email
}

// findPatient resolves one name to exactly one person: the EHR's patients
// are searched first, and a single exact name or email match there is
// taken without asking Zoom; otherwise Zoom's contacts are searched too,
// an exact match wins, and the rest must be unambiguous.
func (a *app) findPatient(ctx context.Context, providerID, name string) (patient, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return patient{}, inputErr("Enter a name to search for.")
	}
	exactly := func(ps []patient) []patient {
		var exact []patient
		for _, p := range ps {
			if strings.EqualFold(p.Name, name) || strings.EqualFold(p.Email, name) {
				exact = append(exact, p)
			}
		}
		return exact
	}
	found, err := a.ehrMatches(ctx, name)
	if err != nil {
		return patient{}, fmt.Errorf("searching the EHR's patients: %w", err)
	}
	if exact := exactly(found); len(exact) == 1 {
		return exact[0], nil
	}
	contacts, err := a.searchContacts(ctx, providerID, name, found)
	if err != nil {
		return patient{}, err
	}
	found = append(found, contacts...)
	exact := exactly(found)
	switch {
	case len(exact) == 1:
		return exact[0], nil
	case len(exact) == 0 && len(found) == 1:
		return found[0], nil
	case len(found) == 0:
		return patient{}, inputErr("Nobody named %q is among your patients or your Zoom contacts: check the spelling, or enter their email.", name)
	default:
		return patient{}, inputErr("%d people match %q: give the full name or the email.", len(found), name)
	}
}

// scheduleVisit creates the visit as a Zoom meeting hosted by the
// provider, with the patients (found by name) as meeting invitees.
func (a *app) scheduleVisit(ctx context.Context, providerID string, req visitRequest) (*visit, error) {
	req.Topic = strings.TrimSpace(req.Topic)
	switch {
	case req.Topic == "":
		return nil, inputErr("Give the visit a title.")
	case len(req.Topic) > 200:
		return nil, inputErr("The title is too long: 200 characters at most.")
	case req.Start.IsZero() || !req.Start.After(a.now()):
		return nil, inputErr("The visit must start in the future.")
	case req.Duration < 5 || req.Duration > 240:
		return nil, inputErr("The duration must be between 5 and 240 minutes.")
	case len(req.Patients) == 0:
		return nil, inputErr("Invite at least one patient.")
	}
	var (
		patients []patient
		invitees []zoom.MeetingSettingsMeetingInviteeRequest
		seen     = map[string]bool{}
	)
	for _, name := range req.Patients {
		p, err := a.findPatient(ctx, providerID, name)
		if err != nil {
			return nil, err
		}
		if seen[strings.ToLower(p.Email)] {
			continue
		}
		seen[strings.ToLower(p.Email)] = true
		a.log.OK("%q is %s <%s> (%s)", name, p.Name, p.Email, p.Source)
		patients = append(patients, p)
		invitees = append(invitees, zoom.MeetingSettingsMeetingInviteeRequest{Email: p.Email})
	}
	c, err := a.client(ctx, providerID)
	if err != nil {
		return nil, err
	}
	a.log.Call("POST", "/users/{userId}/meetings", "meetingCreate")
	m, _, err := c.Meetings.Create(ctx, "me", &zoom.CreateMeetingRequest{
		Topic:     req.Topic,
		Type:      zoom.MeetingTypeScheduled,
		StartTime: zoom.NewTime(req.Start),
		Duration:  req.Duration,
		Timezone:  "UTC",
		Agenda:    "Telehealth visit",
		Settings: &zoom.MeetingSettingsRequest{
			MeetingInvitees: invitees,
			WaitingRoom:     zoom.Ptr(true),  // the doctor admits the patient
			JoinBeforeHost:  zoom.Ptr(false), // no waiting together without the doctor
		},
	})
	if err != nil {
		return nil, fmt.Errorf("creating the Zoom meeting: %w", err)
	}
	v := &visit{
		MeetingID: int64(m.ID), ProviderID: providerID, Topic: m.Topic, Start: m.StartTime.Time,
		Duration: m.Duration, JoinURL: m.JoinURL, Patients: patients,
	}
	if v.Start.IsZero() {
		v.Start = req.Start
	}
	pj, _ := json.Marshal(patients)
	if _, err := a.env.DB.ExecContext(ctx, `INSERT INTO telehealth_visits (meeting_id, provider_id, topic, start_at, duration_min, join_url, patients)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`,
		v.MeetingID, providerID, v.Topic, v.Start.Unix(), v.Duration, v.JoinURL, string(pj)); err != nil {
		return nil, fmt.Errorf("saving the visit (Zoom meeting %d was created): %w", v.MeetingID, err)
	}
	a.log.OK("visit %q scheduled: Zoom meeting %d at %s, join URL %s", v.Topic, v.MeetingID, v.Start.Format(time.RFC3339), v.JoinURL)
	a.invite(ctx, providerID, v)
	return v, nil
}

// invite emails each invitee the visit's time and join link (never the
// host's start link). A failed email is logged: the visit stands.
func (a *app) invite(ctx context.Context, providerID string, v *visit) {
	host := providerID
	if p, err := a.provider(ctx, providerID); err == nil {
		host = p.Email
	}
	when := v.Start.UTC().Format("Mon 2 Jan 2006 15:04 MST")
	for _, p := range v.Patients {
		err := a.mail.Send(ctx, exkit.Email{
			To:      p.Email,
			Subject: "Your telehealth visit on " + when,
			Body: "Hello " + p.Name + ",\n\n" +
				"You are invited to a telehealth visit over Zoom with " + host + ".\n\n" +
				"Visit: " + v.Topic + "\n" +
				"When:  " + when + " (" + strconv.Itoa(v.Duration) + " minutes)\n" +
				"Join:  " + v.JoinURL + "\n\n" +
				"You will wait in the waiting room until your provider lets you in.\n",
		})
		if err != nil {
			a.log.Fail("emailing the invitation to %s failed: %v", p.Email, err)
			continue
		}
		a.log.OK("invitation emailed to %s", p.Email)
	}
}

// cancel emails each invitee of a deleted visit.
func (a *app) cancel(ctx context.Context, v visit) {
	when := v.Start.UTC().Format("Mon 2 Jan 2006 15:04 MST")
	for _, p := range v.Patients {
		err := a.mail.Send(ctx, exkit.Email{
			To:      p.Email,
			Subject: "Cancelled: your telehealth visit on " + when,
			Body: "Hello " + p.Name + ",\n\n" +
				"Your telehealth visit \"" + v.Topic + "\" on " + when + " is cancelled. Its Zoom link no longer works.\n",
		})
		if err != nil {
			a.log.Fail("emailing the cancellation to %s failed: %v", p.Email, err)
			continue
		}
		a.log.OK("cancellation emailed to %s", p.Email)
	}
}

// localVisits returns the provider's visits as the EHR recorded them.
func (a *app) localVisits(ctx context.Context, providerID string) (map[int64]visit, error) {
	rows, err := a.env.DB.QueryContext(ctx, `SELECT meeting_id, topic, start_at, duration_min, join_url, patients
		FROM telehealth_visits WHERE provider_id = $1`, providerID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]visit{}
	for rows.Next() {
		v := visit{ProviderID: providerID}
		var start int64
		var pj string
		if err := rows.Scan(&v.MeetingID, &v.Topic, &start, &v.Duration, &v.JoinURL, &pj); err != nil {
			return nil, err
		}
		v.Start = time.Unix(start, 0).UTC()
		_ = json.Unmarshal([]byte(pj), &v.Patients)
		out[v.MeetingID] = v
	}
	return out, rows.Err()
}

// upcomingVisits lists the provider's upcoming meetings in Zoom (the
// source of truth: a visit deleted in Zoom is gone), with the patients the
// EHR recorded for each.
func (a *app) upcomingVisits(ctx context.Context, providerID string) ([]visit, error) {
	c, err := a.client(ctx, providerID)
	if err != nil {
		return nil, err
	}
	local, err := a.localVisits(ctx, providerID)
	if err != nil {
		return nil, err
	}
	a.log.Call("GET", "/users/{userId}/meetings?type=upcoming", "meetings")
	var out []visit
	for m, err := range c.Meetings.ListAll(ctx, "me", &zoom.ListMeetingsOptions{Type: zoom.MeetingListTypeUpcoming, PageSize: 300}) {
		if err != nil {
			return nil, fmt.Errorf("listing upcoming Zoom meetings: %w", err)
		}
		v := visit{MeetingID: int64(m.ID), ProviderID: providerID, Topic: m.Topic, Start: m.StartTime.Time, Duration: m.Duration, JoinURL: m.JoinURL}
		if l, ok := local[int64(m.ID)]; ok {
			v.Patients = l.Patients
		}
		out = append(out, v)
	}
	return out, nil
}

// visitDetails reads the visit's meeting from Zoom, with its invitees.
func (a *app) visitDetails(ctx context.Context, providerID string, meetingID int64) (*visit, error) {
	c, err := a.client(ctx, providerID)
	if err != nil {
		return nil, err
	}
	a.log.Call("GET", "/meetings/{meetingId}", "meeting")
	m, _, err := c.Meetings.Get(ctx, zoom.ID(meetingID), nil)
	if err != nil {
		return nil, fmt.Errorf("reading Zoom meeting %d: %w", meetingID, err)
	}
	v := &visit{MeetingID: int64(m.ID), ProviderID: providerID, Topic: m.Topic, Start: m.StartTime.Time, Duration: m.Duration, JoinURL: m.JoinURL, HostID: m.HostID, StartURL: m.StartURL}
	if m.Settings != nil {
		for _, inv := range m.Settings.MeetingInvitees {
			v.Invitees = append(v.Invitees, inv.Email)
		}
	}
	if local, err := a.localVisits(ctx, providerID); err == nil {
		v.Patients = local[meetingID].Patients
	}
	return v, nil
}

// deleteVisit deletes the visit's meeting in Zoom and the EHR's record. A
// meeting already deleted in Zoom counts as deleted.
func (a *app) deleteVisit(ctx context.Context, providerID string, meetingID int64) error {
	c, err := a.client(ctx, providerID)
	if err != nil {
		return err
	}
	local, err := a.localVisits(ctx, providerID)
	if err != nil {
		return err
	}
	a.log.Call("DELETE", "/meetings/{meetingId}", "meetingDelete")
	if _, err := c.Meetings.Delete(ctx, zoom.ID(meetingID), nil); err != nil && !errors.Is(err, zoom.ErrNotFound) {
		return fmt.Errorf("deleting Zoom meeting %d: %w", meetingID, err)
	}
	if _, err := a.env.DB.ExecContext(ctx, `DELETE FROM telehealth_visits WHERE meeting_id = $1 AND provider_id = $2`, meetingID, providerID); err != nil {
		return err
	}
	a.log.OK("visit %d deleted", meetingID)
	if v, ok := local[meetingID]; ok {
		a.cancel(ctx, v)
	}
	return nil
}

// errBadVerificationToken: a deauthorization whose authorization header is
// not the app's verification token.
var errBadVerificationToken = errors.New("the authorization header does not match the app's verification token")

// checkVerificationToken refuses (401) an app_deauthorized delivery whose
// authorization header is not the app's verification token, as the
// product's deauthorization endpoint does; next then verifies the
// signature of what passes. Other events and the URL validation go to
// next unchanged. With no verification token, next alone decides.
func (a *app) checkVerificationToken(next http.Handler) http.Handler {
	if a.verificationToken == "" {
		return next
	}
	want := sha256.Sum256([]byte(a.verificationToken))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			next.ServeHTTP(w, r)
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, webhook.DefaultMaxBodyBytes))
		if err != nil {
			http.Error(w, "unreadable body", http.StatusRequestEntityTooLarge)
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		var head struct {
			Event string `json:"event"`
		}
		if json.Unmarshal(body, &head) == nil && head.Event == "app_deauthorized" {
			got := sha256.Sum256([]byte(r.Header.Get("Authorization")))
			if subtle.ConstantTimeCompare(got[:], want[:]) != 1 {
				a.log.Fail("app_deauthorized refused (401): %v", errBadVerificationToken)
				http.Error(w, "unauthorized", http.StatusUnauthorized)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// deauthorized handles app_deauthorized, which Zoom sends when the
// provider removes the app: it deletes the grant and every record of the
// provider, then emails them. Zoom has already revoked the tokens.
func (a *app) deauthorized(ctx context.Context, _ *webhook.Event, p *webhook.AppDeauthorizedPayload) error {
	how := "signature verified"
	if a.verificationToken != "" {
		how += ", authorization header matches the verification token"
	}
	a.log.Note("webhook app_deauthorized received (Zoom user %s): %s", p.UserID, how)
	if p.ClientID != "" && p.ClientID != a.env.OAuth.ClientID {
		a.log.Note("it is for another app (client id %s): ignored", p.ClientID)
		return nil
	}
	prov, err := a.provider(ctx, p.UserID)
	if errors.Is(err, errNoProvider) {
		a.log.Note("no provider with that Zoom user: nothing to remove")
		return nil
	}
	if err != nil {
		return err // 500: Zoom delivers the event again
	}
	if err := a.env.Tokens.Delete(ctx, prov.TokenKey); err != nil {
		return fmt.Errorf("deleting the Zoom grant: %w", err)
	}
	a.dropClient(prov.ID)
	tx, err := a.env.DB.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() { _ = tx.Rollback() }()
	res, err := tx.ExecContext(ctx, `DELETE FROM telehealth_visits WHERE provider_id = $1`, prov.ID)
	if err != nil {
		return err
	}
	nv, _ := res.RowsAffected()
	if _, err := tx.ExecContext(ctx, `DELETE FROM telehealth_providers WHERE zoom_user_id = $1`, prov.ID); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	a.log.OK("removed provider %s: Zoom grant deleted, provider record and %d visit record(s) deleted", prov.Email, nv)
	err = a.mail.Send(ctx, exkit.Email{
		To:      prov.Email,
		Subject: "Zoom disconnected: your Zoom data was removed",
		Body: "You removed the telehealth app from your Zoom account " + prov.Email + ".\n\n" +
			"We deleted your Zoom connection and the Zoom meeting details we kept for your visits.\n" +
			"Meetings already in your Zoom account stay there.\n\n" +
			"To schedule Zoom visits again, connect Zoom from your telehealth account.\n",
	})
	if err != nil {
		// The data is gone already; a redelivery would find nothing to do,
		// so the failure is logged rather than returned.
		a.log.Fail("sending the removal email to %s failed: %v", prov.Email, err)
		return nil
	}
	a.log.OK("email \"Zoom disconnected\" sent to %s", prov.Email)
	return nil
}
