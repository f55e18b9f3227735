package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/mail"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/zoomkit/zoomkit/examples/internal/exkit"
	"github.com/zoomkit/zoomkit/oauth"
	"github.com/zoomkit/zoomkit/webhook"
	"github.com/zoomkit/zoomkit/zoom"
)

// appScopes is what the CME platform's app is given in Zoom's Marketplace.
// An admin installs it once for the organisation, so the scopes are the
// admin ones: webinars of any host in the account, their registrants, and
// the account's reports.
var appScopes = []string{"webinar:read:admin", "webinar:write:admin", "report:read:admin", "user:read:admin"}

// creditThreshold is the share of the scheduled duration a physician must
// attend to be awarded credit.
const creditThreshold = 0.75

// app is the CME platform's Zoom integration.
type app struct {
	env   *exkit.Env
	log   *exkit.Transcript
	mail  exkit.Mailer
	clock exkit.TimeSource // nil: the real clock
	flow  *exkit.Clock     // offline: the clock the fake Zoom shares; nil against real Zoom
	pages *pages

	oauthH *oauth.Handlers
	hooks  *webhook.Handler // the endpoint: verifies, deduplicates, queues
	events *events          // the queue and its worker replicas
	faults atomic.Int32     // attendance writes still to fail (the flow injects a failure)
	mux    *routes
	logger *slog.Logger // the Go errors behind the sentences shown

	mu     sync.Mutex
	client *zoom.Client // for the organisation's grant; nil until needed
}

// org is the organisation's Zoom connection, made once by an admin.
type org struct {
	AccountID      string
	AdminID        string // the Zoom user who installed the app
	AdminEmail     string
	TokenKey       string // where the grant is in the token store
	ConnectedAt    time.Time
	DisconnectedAt time.Time // zero while connected
}

// Connected reports whether the grant is in use.
func (o *org) Connected() bool { return o.DisconnectedAt.IsZero() }

// activity is a CME activity delivered as a Zoom webinar.
type activity struct {
	WebinarID    int64
	Topic        string
	HostEmail    string
	Start        time.Time
	Duration     int     // scheduled minutes
	CreditHours  float64 // AMA PRA Category 1 Credit(s) offered
	JoinURL      string
	Status       string // scheduled, live, ended, credited
	InstanceUUID string // the instance that ran (from webinar.started/ended)
	StartedAt    time.Time
	EndedAt      time.Time
}

// activityRequest is what the CME coordinator fills in.
type activityRequest struct {
	Topic       string
	HostEmail   string // a licensed webinar host of the account
	Start       time.Time
	Duration    int // minutes
	CreditHours float64
}

// person is a physician to register.
type person struct {
	FirstName, LastName, Email string
}

func (p person) Name() string { return strings.TrimSpace(p.FirstName + " " + p.LastName) }

// registrant is a registration as the platform records it.
type registrant struct {
	WebinarID    int64
	RegistrantID string
	Email        string
	FirstName    string
	LastName     string
	Status       string // pending, approved, denied
	JoinURL      string
}

func (r registrant) Name() string { return strings.TrimSpace(r.FirstName + " " + r.LastName) }

// segment is one stay of a participant in the webinar, from the
// webinar.participant_joined and participant_left webhooks.
type segment struct {
	ParticipantID string // Zoom's per-webinar participant id (user_id)
	RegistrantID  string
	Email         string
	Name          string
	Join, Leave   time.Time // zero Join: the joined event never arrived; zero Leave: still in
}

// errInput reports a request the user must correct. msg is a sentence
// fragment for the user; cause, when set, is Zoom's answer behind it.
type errInput struct {
	msg   string
	cause error
}

func (e *errInput) Error() string {
	if e.cause != nil {
		return e.msg + ": " + e.cause.Error()
	}
	return e.msg
}

func (e *errInput) Unwrap() error { return e.cause }

func inputErr(format string, args ...any) error { return &errInput{msg: fmt.Sprintf(format, args...)} }

// errNoActivity: the platform has no such webinar.
var errNoActivity = errors.New("no such CME activity")

// newApp creates the app's tables and wires its handlers. clock is nil
// against real Zoom and in -serve mode.
func newApp(ctx context.Context, env *exkit.Env, clock exkit.TimeSource) (*app, error) {
	a := &app{env: env, log: env.Log, mail: env.Mail, clock: clock, logger: env.Logger()}
	if err := a.migrate(ctx); err != nil {
		return nil, fmt.Errorf("creating the %s tables: %w", exampleName, err)
	}
	var err error
	if a.pages, err = newPages(); err != nil {
		return nil, err
	}

	hopts := []oauth.HandlerOption{
		// One grant for the organisation: the key names the account, not
		// the admin who happened to install the app.
		oauth.WithTokenKey(func(*http.Request, string) (string, error) { return orgTokenKey, nil }),
		oauth.WithOnConnected(func(w http.ResponseWriter, r *http.Request, c oauth.Connection) {
			if err := a.connected(r.Context(), c); err != nil {
				p := a.failed(r.Context(), "save the Zoom connection", err)
				a.pages.fail(w, p.Status, p.Msg)
				return
			}
			http.Redirect(w, r, "/", http.StatusSeeOther)
		}),
		oauth.WithOnError(func(w http.ResponseWriter, r *http.Request, err error) {
			a.log.Fail("Connect Zoom failed: %v", err)
			msg := "Zoom could not complete the connection: start again with Enable Zoom Integration."
			if errors.Is(err, oauth.ErrAuthorizationDenied) {
				msg = "The Zoom authorization was declined: the Zoom integration is not enabled."
			}
			a.logger.LogAttrs(r.Context(), slog.LevelWarn, "connect failed", slog.String("shown", msg), slog.String("error", err.Error()))
			a.pages.fail(w, http.StatusBadRequest, msg)
		}),
	}
	if clock != nil {
		hopts = append(hopts, oauth.WithHandlerClock(clock.Now))
	}
	if a.oauthH, err = env.OAuth.Handlers(env.Tokens, hopts...); err != nil {
		return nil, err
	}

	v, err := env.Verifier()
	if err != nil {
		return nil, fmt.Errorf("webhook verifier: %w", err)
	}
	if err := a.startEvents(ctx, v); err != nil {
		return nil, fmt.Errorf("webhook queue: %w", err)
	}

	a.routes()
	return a, nil
}

// ServeHTTP serves the app's pages, the OAuth round trip and the webhook.
func (a *app) ServeHTTP(w http.ResponseWriter, r *http.Request) { a.mux.ServeHTTP(w, r) }

const orgTokenKey = exampleName + ":org"

func (a *app) now() time.Time {
	if a.clock != nil {
		return a.clock.Now().UTC()
	}
	return time.Now().UTC()
}

func unix(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.Unix()
}

func fromUnix(s int64) time.Time {
	if s == 0 {
		return time.Time{}
	}
	return time.Unix(s, 0).UTC()
}

// The tables use portable types and $n placeholders: SQLite and PostgreSQL.
func (a *app) migrate(ctx context.Context) error {
	for _, q := range []string{
		`CREATE TABLE IF NOT EXISTS cme_webinars_org (
			account_id      VARCHAR(64) PRIMARY KEY,
			admin_user_id   VARCHAR(64) NOT NULL,
			admin_email     VARCHAR(320) NOT NULL,
			token_key       VARCHAR(200) NOT NULL,
			connected_at    BIGINT NOT NULL,
			disconnected_at BIGINT NOT NULL DEFAULT 0
		)`,
		`CREATE TABLE IF NOT EXISTS cme_webinars_activities (
			webinar_id    BIGINT PRIMARY KEY,
			topic         VARCHAR(300) NOT NULL,
			host_email    VARCHAR(320) NOT NULL,
			start_at      BIGINT NOT NULL,
			duration_min  INTEGER NOT NULL,
			credit_centi  INTEGER NOT NULL,
			join_url      TEXT NOT NULL,
			status        VARCHAR(20) NOT NULL,
			instance_uuid VARCHAR(64) NOT NULL DEFAULT '',
			started_at    BIGINT NOT NULL DEFAULT 0,
			ended_at      BIGINT NOT NULL DEFAULT 0
		)`,
		`CREATE TABLE IF NOT EXISTS cme_webinars_registrants (
			webinar_id    BIGINT NOT NULL,
			email         VARCHAR(320) NOT NULL,
			registrant_id VARCHAR(64) NOT NULL,
			first_name    VARCHAR(100) NOT NULL,
			last_name     VARCHAR(100) NOT NULL,
			status        VARCHAR(20) NOT NULL,
			join_url      TEXT NOT NULL,
			registered_at BIGINT NOT NULL,
			PRIMARY KEY (webinar_id, email)
		)`,
		`CREATE TABLE IF NOT EXISTS cme_webinars_attendance (
			webinar_id     BIGINT NOT NULL,
			instance_uuid  VARCHAR(64) NOT NULL,
			participant_id VARCHAR(64) NOT NULL,
			registrant_id  VARCHAR(64) NOT NULL,
			email          VARCHAR(320) NOT NULL,
			name           VARCHAR(200) NOT NULL,
			join_at        BIGINT NOT NULL,
			leave_at       BIGINT NOT NULL,
			PRIMARY KEY (instance_uuid, participant_id, join_at)
		)`,
		`CREATE TABLE IF NOT EXISTS cme_webinars_credits (
			webinar_id      BIGINT NOT NULL,
			email           VARCHAR(320) NOT NULL,
			name            VARCHAR(200) NOT NULL,
			registrant_id   VARCHAR(64) NOT NULL,
			webhook_seconds INTEGER NOT NULL,
			report_seconds  INTEGER NOT NULL,
			minutes         INTEGER NOT NULL,
			percent_tenths  INTEGER NOT NULL,
			credit_centi    INTEGER NOT NULL,
			absent          INTEGER NOT NULL,
			note            TEXT NOT NULL,
			computed_at     BIGINT NOT NULL,
			PRIMARY KEY (webinar_id, email)
		)`,
	} {
		if _, err := a.env.DB.ExecContext(ctx, q); err != nil {
			return err
		}
	}
	return nil
}

// connected records the organisation's connection after "Connect Zoom"
// and emails the admin.
func (a *app) connected(ctx context.Context, c oauth.Connection) error {
	a.log.Call("POST", "/oauth/token", "authorization_code grant, PKCE")
	a.log.Call("GET", "/users/me", "user")
	_, err := a.env.DB.ExecContext(ctx, `INSERT INTO cme_webinars_org (account_id, admin_user_id, admin_email, token_key, connected_at, disconnected_at)
		VALUES ($1, $2, $3, $4, $5, 0)
		ON CONFLICT (account_id) DO UPDATE SET admin_user_id = $2, admin_email = $3, token_key = $4, connected_at = $5, disconnected_at = 0`,
		c.AccountID, c.UserID, c.Email, c.Key, a.now().Unix())
	if err != nil {
		return err
	}
	a.dropClient()
	a.log.OK("organisation connected by admin %s (Zoom account %s); one grant saved under %q", c.Email, c.AccountID, c.Key)
	err = a.mail.Send(ctx, exkit.Email{
		To:      c.Email,
		Subject: "Zoom connected to your CME platform",
		Body: "You connected Zoom account " + c.AccountID + " to the CME platform.\n\n" +
			"CME webinars will be scheduled in Zoom for your faculty, with registration and approval;\n" +
			"attendance is recorded from Zoom and credit is awarded after each webinar.\n\n" +
			"To disconnect, remove the app in Zoom (App Marketplace > Manage > Installed Apps).\n" +
			"Attendance and credit records stay on the platform.\n",
	})
	if err != nil {
		return fmt.Errorf("sending the confirmation email: %w", err)
	}
	a.log.OK("email \"Zoom connected\" sent to %s", c.Email)
	return nil
}

// organisation returns the organisation's connection: the live one, else
// the most recent (exkit.ErrNotConnected if there was never one).
func (a *app) organisation(ctx context.Context) (*org, error) {
	return a.scanOrg(ctx, `SELECT account_id, admin_user_id, admin_email, token_key, connected_at, disconnected_at
		FROM cme_webinars_org ORDER BY CASE WHEN disconnected_at = 0 THEN 0 ELSE 1 END, connected_at DESC, disconnected_at DESC LIMIT 1`)
}

// organisationOf returns the connection of a Zoom account.
func (a *app) organisationOf(ctx context.Context, accountID string) (*org, error) {
	return a.scanOrg(ctx, `SELECT account_id, admin_user_id, admin_email, token_key, connected_at, disconnected_at
		FROM cme_webinars_org WHERE account_id = $1`, accountID)
}

func (a *app) scanOrg(ctx context.Context, query string, args ...any) (*org, error) {
	var o org
	var at, gone int64
	err := a.env.DB.QueryRowContext(ctx, query, args...).Scan(&o.AccountID, &o.AdminID, &o.AdminEmail, &o.TokenKey, &at, &gone)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, exkit.ErrNotConnected
	}
	if err != nil {
		return nil, err
	}
	o.ConnectedAt, o.DisconnectedAt = fromUnix(at), fromUnix(gone)
	return &o, nil
}

// zoomClient returns the client acting with the organisation's grant. With
// no connection (never made, or removed) it returns exkit.ErrNotConnected
// without any request to Zoom.
func (a *app) zoomClient(ctx context.Context) (*zoom.Client, error) {
	o, err := a.organisation(ctx)
	if err != nil {
		return nil, err
	}
	if !o.Connected() {
		return nil, exkit.ErrNotConnected
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.client != nil {
		return a.client, nil
	}
	opts := []oauth.Option{
		oauth.WithOnReauthorizationRequired(func(_ context.Context, key string, _ error) {
			a.log.Fail("the Zoom grant under %q is no longer valid: an admin must connect Zoom again", key)
		}),
	}
	if a.clock != nil {
		opts = append(opts, oauth.WithClock(a.clock.Now))
	}
	ts, err := a.env.OAuth.TokenSource(a.env.Tokens, o.TokenKey, opts...)
	if err != nil {
		return nil, err
	}
	if a.client, err = a.env.NewClient(ts); err != nil {
		return nil, err
	}
	return a.client, nil
}

func (a *app) dropClient() {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.client = nil
}

// createActivity schedules the CME webinar in Zoom for its faculty host,
// with registration that the platform approves (approval_type 1).
func (a *app) createActivity(ctx context.Context, req activityRequest) (*activity, error) {
	req.Topic = strings.TrimSpace(req.Topic)
	req.HostEmail = strings.TrimSpace(req.HostEmail)
	switch {
	case req.Topic == "":
		return nil, inputErr("the activity needs a title")
	case len(req.Topic) > 200:
		return nil, inputErr("the title is too long (200 characters at most)")
	case !validEmail(req.HostEmail):
		return nil, inputErr("the host must be the email of a webinar host of the account")
	case req.Start.IsZero() || !req.Start.After(a.now()):
		return nil, inputErr("the webinar must start in the future")
	case req.Duration < 15 || req.Duration > 480:
		return nil, inputErr("the duration must be between 15 and 480 minutes")
	case req.CreditHours < 0.25 || req.CreditHours > 8:
		return nil, inputErr("the credit must be between 0.25 and 8 hours")
	}
	c, err := a.zoomClient(ctx)
	if err != nil {
		return nil, err
	}
	a.log.Call("POST", "/users/{userId}/webinars", "webinarCreate")
	w, _, err := c.Webinars.Create(ctx, req.HostEmail, &zoom.CreateWebinarRequest{
		Topic:     req.Topic,
		Type:      zoom.WebinarTypeWebinar,
		StartTime: zoom.NewTime(req.Start),
		Duration:  req.Duration,
		Timezone:  "UTC",
		Agenda:    fmt.Sprintf("CME activity: %.2g AMA PRA Category 1 Credit(s)", req.CreditHours),
		Settings: &zoom.WebinarSettingsRequest{
			ApprovalType:                 zoom.Ptr(zoom.ApprovalTypeManual), // the platform checks and approves each registration
			RegistrantsConfirmationEmail: zoom.Ptr(false),                   // the platform sends its own
			EmailInAttendeeReport:        zoom.Ptr(true),                    // emails in the participant report
			PracticeSession:              zoom.Ptr(false),
		},
	})
	if noWebinarPlan(err) {
		// A license is not enough: the host needs the Webinar add-on,
		// which the Zoom admin assigns.
		return nil, &errInput{msg: fmt.Sprintf("%s has no webinar licence, so the Zoom admin must assign them the Webinar add-on first", req.HostEmail), cause: err}
	}
	if err != nil {
		return nil, fmt.Errorf("creating the Zoom webinar: %w", err)
	}
	act := &activity{
		WebinarID: int64(w.ID), Topic: w.Topic, HostEmail: req.HostEmail, Start: w.StartTime.Time, Duration: w.Duration,
		CreditHours: req.CreditHours, JoinURL: w.JoinURL, Status: "scheduled",
	}
	if act.Start.IsZero() {
		act.Start = req.Start
	}
	if act.Duration == 0 {
		act.Duration = req.Duration
	}
	if _, err := a.env.DB.ExecContext(ctx, `INSERT INTO cme_webinars_activities (webinar_id, topic, host_email, start_at, duration_min, credit_centi, join_url, status)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
		act.WebinarID, act.Topic, act.HostEmail, act.Start.Unix(), act.Duration, int(act.CreditHours*100+0.5), act.JoinURL, act.Status); err != nil {
		return nil, fmt.Errorf("saving the activity (Zoom webinar %d was created): %w", act.WebinarID, err)
	}
	a.log.OK("webinar %d %q, host %s, %s UTC, %d min, registration with manual approval", act.WebinarID, act.Topic, act.HostEmail, act.Start.Format("2006-01-02 15:04"), act.Duration)
	return act, nil
}

const activityCols = `webinar_id, topic, host_email, start_at, duration_min, credit_centi, join_url, status, instance_uuid, started_at, ended_at`

func scanActivity(sc interface{ Scan(...any) error }) (*activity, error) {
	var act activity
	var start, started, ended int64
	var centi int
	if err := sc.Scan(&act.WebinarID, &act.Topic, &act.HostEmail, &start, &act.Duration, &centi, &act.JoinURL, &act.Status, &act.InstanceUUID, &started, &ended); err != nil {
		return nil, err
	}
	act.Start, act.StartedAt, act.EndedAt = fromUnix(start), fromUnix(started), fromUnix(ended)
	act.CreditHours = float64(centi) / 100
	return &act, nil
}

func (a *app) activity(ctx context.Context, webinarID int64) (*activity, error) {
	act, err := scanActivity(a.env.DB.QueryRowContext(ctx, `SELECT `+activityCols+` FROM cme_webinars_activities WHERE webinar_id = $1`, webinarID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errNoActivity
	}
	return act, err
}

func (a *app) activities(ctx context.Context) ([]activity, error) {
	rows, err := a.env.DB.QueryContext(ctx, `SELECT `+activityCols+` FROM cme_webinars_activities ORDER BY start_at, webinar_id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []activity
	for rows.Next() {
		act, err := scanActivity(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *act)
	}
	return out, rows.Err()
}

func validEmail(s string) bool {
	addr, err := mail.ParseAddress(s)
	return err == nil && addr.Address == s
}

func checkPeople(people []person) error {
	if len(people) == 0 {
		return inputErr("nobody to register")
	}
	seen := map[string]bool{}
	for _, p := range people {
		if strings.TrimSpace(p.FirstName) == "" {
			return inputErr("%s: a first name is required", p.Email)
		}
		if !validEmail(p.Email) {
			return inputErr("%q is not an email address", p.Email)
		}
		if seen[strings.ToLower(p.Email)] {
			return inputErr("%s is listed twice", p.Email)
		}
		seen[strings.ToLower(p.Email)] = true
	}
	return nil
}

// maxBatch is Zoom's limit of registrants per batch registration.
const maxBatch = 30

// registerBatch registers physicians in batches of 30 (Zoom's limit); the
// registrations wait for approval.
func (a *app) registerBatch(ctx context.Context, webinarID int64, people []person) ([]registrant, error) {
	if err := checkPeople(people); err != nil {
		return nil, err
	}
	if _, err := a.activity(ctx, webinarID); err != nil {
		return nil, err
	}
	c, err := a.zoomClient(ctx)
	if err != nil {
		return nil, err
	}
	byEmail := map[string]person{}
	for _, p := range people {
		byEmail[strings.ToLower(p.Email)] = p
	}
	var out []registrant
	for lo := 0; lo < len(people); lo += maxBatch {
		chunk := people[lo:min(lo+maxBatch, len(people))]
		req := &zoom.AddBatchRegistrantsRequest{AutoApprove: zoom.Ptr(false), RegistrantsConfirmationEmail: zoom.Ptr(false)}
		for _, p := range chunk {
			req.Registrants = append(req.Registrants, zoom.BatchRegistrant{Email: p.Email, FirstName: p.FirstName, LastName: p.LastName})
		}
		a.log.Call("POST", "/webinars/{webinarId}/batch_registrants", "addBatchWebinarRegistrants")
		res, _, err := c.Webinars.AddBatchRegistrants(ctx, zoom.ID(webinarID), req)
		if err != nil {
			return out, fmt.Errorf("batch registration for webinar %d: %w", webinarID, err)
		}
		for _, l := range res.Registrants {
			p := byEmail[strings.ToLower(l.Email)]
			r := registrant{WebinarID: webinarID, RegistrantID: l.RegistrantID, Email: l.Email, FirstName: p.FirstName, LastName: p.LastName, Status: "pending", JoinURL: l.JoinURL}
			if err := a.saveRegistrant(ctx, r); err != nil {
				return out, err
			}
			out = append(out, r)
		}
	}
	a.log.OK("%d registrants added in %d batch(es), pending approval", len(out), (len(people)+maxBatch-1)/maxBatch)
	return out, nil
}

// register registers one physician (a late sign-up on the platform).
func (a *app) register(ctx context.Context, webinarID int64, p person) (*registrant, error) {
	if err := checkPeople([]person{p}); err != nil {
		return nil, err
	}
	if _, err := a.activity(ctx, webinarID); err != nil {
		return nil, err
	}
	c, err := a.zoomClient(ctx)
	if err != nil {
		return nil, err
	}
	a.log.Call("POST", "/webinars/{webinarId}/registrants", "webinarRegistrantCreate")
	res, _, err := c.Webinars.AddRegistrant(ctx, zoom.ID(webinarID), &zoom.AddRegistrantRequest{Email: p.Email, FirstName: p.FirstName, LastName: p.LastName, Industry: "Healthcare"}, nil)
	if err != nil {
		return nil, fmt.Errorf("registering %s for webinar %d: %w", p.Email, webinarID, err)
	}
	r := registrant{WebinarID: webinarID, RegistrantID: res.RegistrantID, Email: p.Email, FirstName: p.FirstName, LastName: p.LastName, Status: "pending", JoinURL: res.JoinURL}
	if err := a.saveRegistrant(ctx, r); err != nil {
		return nil, err
	}
	a.log.OK("%s <%s> registered (registrant %s), pending approval", r.Name(), r.Email, r.RegistrantID)
	return &r, nil
}

func (a *app) saveRegistrant(ctx context.Context, r registrant) error {
	_, err := a.env.DB.ExecContext(ctx, `INSERT INTO cme_webinars_registrants (webinar_id, email, registrant_id, first_name, last_name, status, join_url, registered_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
		ON CONFLICT (webinar_id, email) DO UPDATE SET registrant_id = $3, join_url = $7`,
		r.WebinarID, strings.ToLower(r.Email), r.RegistrantID, r.FirstName, r.LastName, r.Status, r.JoinURL, a.now().Unix())
	return err
}

func (a *app) registrants(ctx context.Context, webinarID int64) ([]registrant, error) {
	rows, err := a.env.DB.QueryContext(ctx, `SELECT registrant_id, email, first_name, last_name, status, join_url
		FROM cme_webinars_registrants WHERE webinar_id = $1 ORDER BY last_name, first_name`, webinarID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []registrant
	for rows.Next() {
		r := registrant{WebinarID: webinarID}
		if err := rows.Scan(&r.RegistrantID, &r.Email, &r.FirstName, &r.LastName, &r.Status, &r.JoinURL); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// approvePending approves every registration Zoom holds as pending (in
// batches of 30 per request) and emails each physician their join link.
func (a *app) approvePending(ctx context.Context, webinarID int64) ([]registrant, error) {
	act, err := a.activity(ctx, webinarID)
	if err != nil {
		return nil, err
	}
	c, err := a.zoomClient(ctx)
	if err != nil {
		return nil, err
	}
	a.log.Call("GET", "/webinars/{webinarId}/registrants?status=pending", "webinarRegistrants")
	var pending []*zoom.Registrant
	for r, err := range c.Webinars.ListRegistrantsAll(ctx, zoom.ID(webinarID), &zoom.ListWebinarRegistrantsOptions{Status: zoom.RegistrantStatusPending, PageSize: 300}) {
		if err != nil {
			return nil, fmt.Errorf("listing pending registrants of webinar %d: %w", webinarID, err)
		}
		pending = append(pending, r)
	}
	var approved []registrant
	for lo := 0; lo < len(pending); lo += maxBatch {
		chunk := pending[lo:min(lo+maxBatch, len(pending))]
		body := &zoom.UpdateRegistrantStatusRequest{Action: zoom.RegistrantActionApprove}
		for _, r := range chunk {
			body.Registrants = append(body.Registrants, zoom.RegistrantRef{ID: r.ID, Email: r.Email})
		}
		a.log.Call("PUT", "/webinars/{webinarId}/registrants/status", "webinarRegistrantStatus, action approve")
		if _, err := c.Webinars.UpdateRegistrantStatus(ctx, zoom.ID(webinarID), body, nil); err != nil {
			return approved, fmt.Errorf("approving registrants of webinar %d: %w", webinarID, err)
		}
		for _, zr := range chunk {
			r := registrant{WebinarID: webinarID, RegistrantID: zr.ID, Email: zr.Email, FirstName: zr.FirstName, LastName: zr.LastName, Status: "approved", JoinURL: zr.JoinURL}
			if err := a.markApproved(ctx, r); err != nil {
				return approved, err
			}
			approved = append(approved, r)
		}
	}
	a.log.OK("%d registration(s) approved", len(approved))
	for _, r := range approved {
		err := a.mail.Send(ctx, exkit.Email{
			To:      r.Email,
			Subject: "Registration approved: " + act.Topic,
			Body: fmt.Sprintf("Dear %s,\n\nYour registration for the CME webinar %q is approved.\n\n"+
				"When: %s UTC (%d minutes)\nJoin: %s\n\n"+
				"This activity offers %.2g AMA PRA Category 1 Credit(s). Credit is awarded to physicians\n"+
				"who attend at least %d%% of the scheduled time; join with this personal link so we can\n"+
				"record your attendance.\n",
				r.Name(), act.Topic, act.Start.Format("Mon 2 Jan 2006 15:04"), act.Duration, r.JoinURL, act.CreditHours, int(creditThreshold*100)),
		})
		if err != nil {
			return approved, fmt.Errorf("emailing %s: %w", r.Email, err)
		}
	}
	if len(approved) > 0 {
		a.log.OK("%d email(s) \"Registration approved\" sent with the personal join links", len(approved))
	}
	return approved, nil
}

func (a *app) markApproved(ctx context.Context, r registrant) error {
	res, err := a.env.DB.ExecContext(ctx, `UPDATE cme_webinars_registrants SET status = 'approved', registrant_id = $3, join_url = CASE WHEN $4 = '' THEN join_url ELSE $4 END
		WHERE webinar_id = $1 AND email = $2`, r.WebinarID, strings.ToLower(r.Email), r.RegistrantID, r.JoinURL)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		// Registered elsewhere (Zoom's registration page): record it now.
		return a.saveRegistrant(ctx, r)
	}
	return nil
}

// errNotScheduled: only a webinar that has not started can be cancelled.
var errNotScheduled = errors.New("only a scheduled webinar that has not started can be cancelled")

// cancelActivity cancels a scheduled webinar: Zoom deletes it and, with
// cancel_webinar_reminder, emails the panelists and registrants; the
// platform keeps the activity, marked cancelled.
func (a *app) cancelActivity(ctx context.Context, webinarID int64) error {
	act, err := a.activity(ctx, webinarID)
	if err != nil {
		return err
	}
	if act.Status != "scheduled" {
		return errNotScheduled
	}
	c, err := a.zoomClient(ctx)
	if err != nil {
		return err
	}
	a.log.Call("DELETE", "/webinars/{webinarId}?cancel_webinar_reminder=true", "webinarDelete")
	if _, err := c.Webinars.Delete(ctx, zoom.ID(webinarID), &zoom.DeleteWebinarOptions{CancelWebinarReminder: zoom.Ptr(true)}); err != nil {
		return fmt.Errorf("cancelling webinar %d in Zoom: %w", webinarID, err)
	}
	if _, err := a.env.DB.ExecContext(ctx, `UPDATE cme_webinars_activities SET status = 'cancelled' WHERE webinar_id = $1`, webinarID); err != nil {
		return fmt.Errorf("marking activity %d cancelled: %w", webinarID, err)
	}
	a.log.OK("webinar %d cancelled; Zoom emails the registrants", webinarID)
	return nil
}

// activityChange is what the coordinator changes on a scheduled webinar.
type activityChange struct {
	Topic    string // the title; "" keeps it
	Start    time.Time
	Duration int // minutes
}

// updateActivity changes a scheduled webinar's title, start and duration,
// in Zoom (one PATCH) and in the platform's records.
func (a *app) updateActivity(ctx context.Context, webinarID int64, ch activityChange) error {
	act, err := a.activity(ctx, webinarID)
	if err != nil {
		return err
	}
	ch.Topic = strings.TrimSpace(ch.Topic)
	if ch.Topic == "" {
		ch.Topic = act.Topic
	}
	switch {
	case act.Status != "scheduled":
		return inputErr("only a scheduled webinar that has not started can be changed")
	case strings.TrimSpace(ch.Topic) == "":
		return inputErr("the webinar needs a title")
	case len(ch.Topic) > 200:
		return inputErr("the title is too long (200 characters at most)")
	case ch.Start.IsZero() || !ch.Start.After(a.now()):
		return inputErr("the webinar must start in the future")
	case ch.Duration < 15 || ch.Duration > 480:
		return inputErr("the duration must be between 15 and 480 minutes")
	}
	c, err := a.zoomClient(ctx)
	if err != nil {
		return err
	}
	a.log.Call("PATCH", "/webinars/{webinarId}", "webinarUpdate")
	req := &zoom.UpdateWebinarRequest{Topic: zoom.Ptr(ch.Topic), StartTime: zoom.NewTime(ch.Start), Duration: zoom.Ptr(ch.Duration)}
	if _, err := c.Webinars.Update(ctx, zoom.ID(webinarID), req, nil); err != nil {
		return fmt.Errorf("updating webinar %d in Zoom: %w", webinarID, err)
	}
	if _, err := a.env.DB.ExecContext(ctx, `UPDATE cme_webinars_activities SET topic = $2, start_at = $3, duration_min = $4 WHERE webinar_id = $1`,
		webinarID, ch.Topic, ch.Start.Unix(), ch.Duration); err != nil {
		return fmt.Errorf("saving the changes to activity %d: %w", webinarID, err)
	}
	var what []string
	if ch.Topic != act.Topic {
		what = append(what, fmt.Sprintf("renamed %q (was %q)", ch.Topic, act.Topic))
	}
	if !ch.Start.Equal(act.Start) || ch.Duration != act.Duration {
		what = append(what, fmt.Sprintf("moved to %s UTC, %d min", ch.Start.UTC().Format("2006-01-02 15:04"), ch.Duration))
	}
	if len(what) == 0 {
		what = append(what, "unchanged")
	}
	a.log.OK("webinar %d %s, in Zoom and on the platform", webinarID, strings.Join(what, "; "))
	return nil
}

// zoomWebinars lists a host's upcoming webinars as Zoom has them, every
// page (at most 300 a page): a cancelled webinar is gone from the list.
// Zoom pages this list by page number: the client has no iterator for it.
func (a *app) zoomWebinars(ctx context.Context, host string) ([]zoom.Webinar, error) {
	c, err := a.zoomClient(ctx)
	if err != nil {
		return nil, err
	}
	a.log.Call("GET", "/users/{userId}/webinars", "webinars")
	var out []zoom.Webinar
	for page := 1; ; page++ {
		l, _, err := c.Webinars.List(ctx, host, &zoom.ListWebinarsOptions{PageSize: 300, PageNumber: page})
		if err != nil {
			return nil, fmt.Errorf("listing the webinars of %s in Zoom: %w", host, err)
		}
		out = append(out, l.Webinars...)
		if len(l.Webinars) == 0 || page >= l.PageCount || len(out) >= l.TotalRecords {
			return out, nil
		}
	}
}

// attendanceRetention is how long the raw attendance (the webhook stays)
// is kept after the app is removed from Zoom. The activities,
// registrations and credits stay, as CME accreditation requires.
const attendanceRetention = 30 * 24 * time.Hour

// purgeExpired deletes the webhook stays once the app has been removed
// for longer than attendanceRetention. It returns the rows deleted.
func (a *app) purgeExpired(ctx context.Context) (int64, error) {
	o, err := a.organisation(ctx)
	switch {
	case errors.Is(err, exkit.ErrNotConnected):
		return 0, nil // never connected: nothing to purge
	case err != nil:
		return 0, err
	case o.Connected() || a.now().Sub(o.DisconnectedAt) < attendanceRetention:
		return 0, nil
	}
	res, err := a.env.DB.ExecContext(ctx, `DELETE FROM cme_webinars_attendance`)
	if err != nil {
		return 0, fmt.Errorf("purging the attendance records: %w", err)
	}
	return res.RowsAffected()
}
