package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/zoomkit/zoomkit/examples/internal/exkit"
	"github.com/zoomkit/zoomkit/oauth"
	"github.com/zoomkit/zoomkit/tokenstore"
	"github.com/zoomkit/zoomkit/webhook"
	"github.com/zoomkit/zoomkit/zoom"
)

// The app's own tables (the token and dedup tables belong to sqlstore).
// Types and statements are portable between SQLite and PostgreSQL.
func schema() []string {
	return []string{
		`CREATE TABLE IF NOT EXISTS workspace_meetings_member_connection (
		workspace_id      TEXT NOT NULL,
		member_id         TEXT NOT NULL,
		token_key         TEXT NOT NULL,
		zoom_user_id      TEXT NOT NULL,
		email             TEXT NOT NULL,
		connected_at      BIGINT NOT NULL,
		disconnected_at   BIGINT,
		disconnect_reason TEXT NOT NULL DEFAULT '',
		PRIMARY KEY (workspace_id, member_id)
	)`,
		`CREATE TABLE IF NOT EXISTS workspace_meetings_history (
		zoom_meeting_id BIGINT PRIMARY KEY,
		workspace_id    TEXT NOT NULL,
		member_id       TEXT NOT NULL,
		host_email      TEXT NOT NULL,
		topic           TEXT NOT NULL,
		start_time      BIGINT NOT NULL,
		timezone        TEXT NOT NULL,
		duration        INTEGER NOT NULL,
		join_url        TEXT NOT NULL,
		status          TEXT NOT NULL,
		created_at      BIGINT NOT NULL,
		updated_at      BIGINT NOT NULL
	)`,
	}
}

// Meeting statuses in the app's history.
const (
	statusScheduled = "scheduled"
	statusDeleted   = "deleted" // deleted in Zoom; the record stays
)

// member is a person of the workspace. Each member connects their own Zoom
// account, so the meetings they schedule are created in it.
type member struct {
	ID    string
	Name  string
	Email string // their PulsoDesk login; often, not always, their Zoom email
}

// The workspace's members. A real PulsoDesk has accounts and passwords;
// this example signs in by picking a member (see /signin).
var (
	ana  = member{ID: "ana", Name: "Ana García", Email: "ana.garcia@acme.example"}
	luis = member{ID: "luis", Name: "Luis Martín", Email: "luis.martin@acme.example"}
)

func workspaceMembers() []member { return []member{ana, luis} }

func memberByID(id string) (member, bool) {
	for _, m := range workspaceMembers() {
		if m.ID == id {
			return m, true
		}
	}
	return member{}, false
}

// memberCookie holds the signed-in member's id.
const memberCookie = "pulsodesk_member"

// signedIn returns the member using this browser: the one chosen on the
// sign-in page, else the workspace's first member (its admin).
func signedIn(r *http.Request) member {
	if c, err := r.Cookie(memberCookie); err == nil {
		if m, ok := memberByID(c.Value); ok {
			return m
		}
	}
	return workspaceMembers()[0]
}

// connection is a member's Zoom connection (one per member).
type connection struct {
	MemberID       string
	TokenKey       string
	ZoomUserID     string
	Email          string
	ConnectedAt    time.Time
	DisconnectedAt time.Time // zero while connected
	Reason         string    // why it was disconnected
}

// Active reports whether the connection is live.
func (c *connection) Active() bool { return c != nil && c.DisconnectedAt.IsZero() }

// meeting is one meeting in the workspace's history. It never holds the
// start URL (a host credential): only the join link, which is meant to be
// shared.
type meeting struct {
	ID        int64
	MemberID  string // the member who scheduled it, in their Zoom account
	HostEmail string
	Topic     string
	Start     time.Time // UTC
	Timezone  string    // IANA name the meeting was scheduled in
	Duration  int       // minutes
	JoinURL   string
	Status    string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// When formats the start time in the meeting's time zone, with the zone.
func (m meeting) When() string { return formatWhen(m.Start, m.Timezone) }

// LocalDate and LocalTime are the start in the meeting's zone, for forms.
func (m meeting) LocalDate() string { return m.Start.In(loadZone(m.Timezone)).Format("2006-01-02") }

// LocalTime is the start time of day in the meeting's zone.
func (m meeting) LocalTime() string { return m.Start.In(loadZone(m.Timezone)).Format("15:04") }

func formatWhen(t time.Time, tz string) string {
	return t.In(loadZone(tz)).Format("Mon 2 Jan 2006 15:04 MST") + " (" + tz + ")"
}

func loadZone(name string) *time.Location {
	if loc, err := time.LoadLocation(name); err == nil {
		return loc
	}
	return time.UTC
}

// meetingInput is what a teammate fills in: a title, a date and time in a
// time zone, and a duration.
type meetingInput struct {
	Topic    string
	Date     string // 2006-01-02
	Time     string // 15:04
	Timezone string // IANA name
	Duration int    // minutes
}

// errInvalid marks a form the app refuses (400).
var errInvalid = errors.New("invalid input")

// errNotYours marks a change to another member's meeting (403).
var errNotYours = errors.New("not your meeting")

// userError is a refusal of the app's own, whose text is a sentence for
// the member: what is wrong and what to do. kind is errInvalid,
// errNotYours or zoom.ErrNotFound (no such meeting in the history).
type userError struct {
	kind error
	msg  string
}

func (e *userError) Error() string { return e.msg }
func (e *userError) Unwrap() error { return e.kind }

func userErr(kind error, format string, args ...any) error {
	return &userError{kind: kind, msg: fmt.Sprintf(format, args...)}
}

func memberName(id string) string {
	if m, ok := memberByID(id); ok {
		return m.Name
	}
	return id
}

// start validates the input and returns the start instant.
func (in meetingInput) start(now time.Time) (time.Time, error) {
	if strings.TrimSpace(in.Topic) == "" {
		return time.Time{}, userErr(errInvalid, "The title is empty: give the meeting a title.")
	}
	if len([]rune(in.Topic)) > 200 {
		return time.Time{}, userErr(errInvalid, "The title is longer than 200 characters: shorten it.")
	}
	if in.Duration < 1 || in.Duration > 1440 {
		return time.Time{}, userErr(errInvalid, "The duration must be 1 to 1440 minutes.")
	}
	loc, err := time.LoadLocation(in.Timezone)
	if err != nil || in.Timezone == "" || in.Timezone == "Local" {
		return time.Time{}, userErr(errInvalid, "%q is not a time zone PulsoDesk knows: choose one from the list.", in.Timezone)
	}
	t, err := time.ParseInLocation("2006-01-02 15:04", in.Date+" "+in.Time, loc)
	if err != nil {
		return time.Time{}, userErr(errInvalid, "The date and time must look like 2026-12-01 and 14:30.")
	}
	if !t.After(now) {
		return time.Time{}, userErr(errInvalid, "The meeting must start in the future: pick a later date or time.")
	}
	return t.UTC(), nil
}

// app is PulsoDesk's Zoom integration for one team workspace.
type app struct {
	env       *exkit.Env
	workspace string // workspace id
	name      string // workspace name, shown on the pages
	zone      string // the workspace's default time zone
	now       func() time.Time
	mux       *http.ServeMux
	oauth     *oauth.Handlers
	tmpl      *template.Template
	log       *slog.Logger // failures' details; the member sees a sentence
}

// appOptions configure newApp; zero values take the defaults.
type appOptions struct {
	Workspace string
	Name      string
	Zone      string
	Now       func() time.Time
}

func newApp(ctx context.Context, env *exkit.Env, o appOptions) (*app, error) {
	a := &app{env: env, workspace: o.Workspace, name: o.Name, zone: o.Zone, now: o.Now, log: env.Logger()}
	if a.workspace == "" {
		a.workspace = "acme-team"
	}
	if a.name == "" {
		a.name = "Acme team"
	}
	if a.zone == "" {
		a.zone = "Europe/Madrid"
	}
	if a.now == nil {
		a.now = time.Now
	}
	for _, stmt := range schema() {
		if _, err := env.DB.ExecContext(ctx, stmt); err != nil {
			return nil, fmt.Errorf("creating the app's tables: %w", err)
		}
	}
	var err error
	funcs := template.FuncMap{
		"dict": func(kv ...any) (map[string]any, error) {
			if len(kv)%2 != 0 {
				return nil, errors.New("dict: odd number of arguments")
			}
			m := make(map[string]any, len(kv)/2)
			for i := 0; i < len(kv); i += 2 {
				k, ok := kv[i].(string)
				if !ok {
					return nil, errors.New("dict: key is not a string")
				}
				m[k] = kv[i+1]
			}
			return m, nil
		},
		// zonesWith lists the offered zones, and tz if it is not one of them.
		"zonesWith": func(tz string) []string {
			zs := zones()
			if !slices.Contains(zs, tz) && tz != "" {
				zs = append(zs, tz)
			}
			return zs
		},
		"input": func(m meeting) meetingInput {
			return meetingInput{Topic: m.Topic, Date: m.LocalDate(), Time: m.LocalTime(), Timezone: m.Timezone, Duration: m.Duration}
		},
	}
	a.tmpl = layout(env.Fake != nil).Parse(pages, funcs)
	a.oauth, err = env.OAuth.Handlers(env.Tokens,
		// One Zoom account per member: reconnecting replaces their grant.
		oauth.WithTokenKey(func(r *http.Request, _ string) (string, error) { return a.tokenKey(signedIn(r)), nil }),
		oauth.WithOnConnected(a.connected),
		oauth.WithOnError(func(w http.ResponseWriter, r *http.Request, err error) {
			a.log.WarnContext(r.Context(), "connect Zoom failed", "member", signedIn(r).ID, "error", err)
			a.show(w, r, "Zoom could not be connected", exkit.ExplainConnect(err))
		}))
	if err != nil {
		return nil, err
	}
	v, err := env.Verifier()
	if err != nil {
		return nil, err
	}
	hook, err := webhook.NewHandler(v, webhook.WithDeduper(env.Dedup))
	if err != nil {
		return nil, err
	}
	hook.OnMeetingUpdated(a.onMeetingUpdated)
	hook.OnMeetingDeleted(a.onMeetingDeleted)
	hook.OnAppDeauthorized(a.onAppDeauthorized)
	hook.Fallback(func(context.Context, *webhook.Event) error { return nil })

	a.mux = http.NewServeMux()
	a.mux.HandleFunc("GET /{$}", a.home)
	a.mux.HandleFunc("GET "+integrationPath, a.integrationPage)
	a.mux.HandleFunc("GET /signin", a.signinPage)
	a.mux.HandleFunc("POST /signin", a.signin)
	a.mux.Handle(exkit.ConnectPath, a.oauth.Connect())
	a.mux.Handle(exkit.CallbackPath, a.oauth.Callback())
	a.mux.Handle(exkit.WebhookPath, hook)
	a.mux.HandleFunc("GET /meetings", a.listPage)
	a.mux.HandleFunc("POST /meetings", a.createPage)
	a.mux.HandleFunc("GET /meetings/{id}", a.viewPage)
	a.mux.HandleFunc("POST /meetings/{id}", a.updatePage)
	a.mux.HandleFunc("GET /meetings/{id}/join", a.joinPage)
	a.mux.HandleFunc("POST /meetings/{id}/delete", a.deleteHistoryEntryPage)
	a.mux.HandleFunc("GET /history/delete", a.confirmDeleteHistoryPage)
	a.mux.HandleFunc("POST /history/delete", a.deleteHistoryPage)
	a.mux.HandleFunc("GET /disconnect", a.confirmDisconnectPage)
	a.mux.HandleFunc("POST /disconnect", a.disconnectPage)
	return a, nil
}

func (a *app) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("X-Frame-Options", "DENY")
	// Cross-site posts are refused by exkit's shared protection.
	a.mux.ServeHTTP(w, r)
}

func (a *app) tokenKey(m member) string {
	return "pulsodesk:workspace:" + a.workspace + ":member:" + m.ID + ":zoom"
}

// ---- connection ----

// connected is the OAuth callback's hook: the grant is stored already.
func (a *app) connected(w http.ResponseWriter, r *http.Request, c oauth.Connection) {
	if err := a.recordConnection(r.Context(), signedIn(r), c); err != nil {
		a.fail(w, r, "Saving the Zoom connection", err)
		return
	}
	http.Redirect(w, r, integrationPath+"?connected=1", http.StatusSeeOther)
}

func (a *app) recordConnection(ctx context.Context, m member, c oauth.Connection) error {
	now := a.now().UnixMilli()
	_, err := a.env.DB.ExecContext(ctx, `INSERT INTO workspace_meetings_member_connection
		(workspace_id, member_id, token_key, zoom_user_id, email, connected_at, disconnected_at, disconnect_reason)
		VALUES ($1, $6, $2, $3, $4, $5, NULL, '')
		ON CONFLICT (workspace_id, member_id) DO UPDATE SET token_key = excluded.token_key, zoom_user_id = excluded.zoom_user_id,
		email = excluded.email, connected_at = excluded.connected_at, disconnected_at = NULL, disconnect_reason = ''`,
		a.workspace, c.Key, c.UserID, c.Email, now, m.ID)
	if err != nil {
		return err
	}
	return a.env.Mail.Send(ctx, exkit.Email{
		To:      c.Email,
		Subject: "Zoom is connected to " + a.name,
		Body: fmt.Sprintf("Hello %s,\n\nYour Zoom account %s is now connected to your PulsoDesk account in the %s workspace.\n"+
			"The meetings you schedule from PulsoDesk are created in this Zoom account; you can disconnect at any time.\n",
			m.Name, c.Email, a.name),
	})
}

// connection returns a member's connection record (nil if they never
// connected).
func (a *app) connection(ctx context.Context, m member) (*connection, error) {
	var c connection
	var connected int64
	var disconnected sql.NullInt64
	err := a.env.DB.QueryRowContext(ctx, `SELECT member_id, token_key, zoom_user_id, email, connected_at, disconnected_at, disconnect_reason
		FROM workspace_meetings_member_connection WHERE workspace_id = $1 AND member_id = $2`, a.workspace, m.ID).
		Scan(&c.MemberID, &c.TokenKey, &c.ZoomUserID, &c.Email, &connected, &disconnected, &c.Reason)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	c.ConnectedAt = time.UnixMilli(connected).UTC()
	if disconnected.Valid {
		c.DisconnectedAt = time.UnixMilli(disconnected.Int64).UTC()
	}
	return &c, nil
}

// client returns a Zoom client acting as the member's connected Zoom user.
func (a *app) client(ctx context.Context, m member) (*zoom.Client, *connection, error) {
	c, err := a.connection(ctx, m)
	if err != nil {
		return nil, nil, err
	}
	if !c.Active() {
		return nil, c, exkit.ErrNotConnected
	}
	ts, err := a.env.OAuth.TokenSource(a.env.Tokens, c.TokenKey)
	if err != nil {
		return nil, c, err
	}
	cl, err := a.env.NewClient(ts)
	return cl, c, err
}

// zoomFailed handles an error of a Zoom call: a dead grant (revoked in Zoom,
// app removed) ends the connection, so the pages offer to reconnect.
func (a *app) zoomFailed(ctx context.Context, m member, err error) error {
	if errors.Is(err, oauth.ErrReauthorizationRequired) {
		if derr := a.endConnection(ctx, m, "Zoom no longer accepts PulsoDesk's authorization"); derr != nil {
			return errors.Join(err, derr)
		}
		return fmt.Errorf("%w: %w", exkit.ErrNotConnected, err)
	}
	return err
}

// endConnection deletes the stored access and refresh tokens and marks the
// connection as ended. The meeting history stays.
func (a *app) endConnection(ctx context.Context, m member, reason string) error {
	if err := a.env.Tokens.Delete(ctx, a.tokenKey(m)); err != nil {
		return fmt.Errorf("deleting the Zoom tokens: %w", err)
	}
	_, err := a.env.DB.ExecContext(ctx, `UPDATE workspace_meetings_member_connection
		SET disconnected_at = $1, disconnect_reason = $2 WHERE workspace_id = $3 AND member_id = $4 AND disconnected_at IS NULL`,
		a.now().UnixMilli(), reason, a.workspace, m.ID)
	return err
}

// disconnect is "Disconnect Zoom": revoke the grant at Zoom (so the tokens
// are dead even if a copy leaked), delete the stored access and refresh
// tokens, and keep the meeting history.
func (a *app) disconnect(ctx context.Context, mb member) (revoked bool, err error) {
	c, err := a.connection(ctx, mb)
	if err != nil {
		return false, err
	}
	if !c.Active() {
		return false, exkit.ErrNotConnected
	}
	// Revoke with a live access token: the token source refreshes it first
	// if it has expired (the refresh token rotates as usual).
	ts, err := a.env.OAuth.TokenSource(a.env.Tokens, c.TokenKey)
	if err != nil {
		return false, err
	}
	tok, err := ts.TokenContext(ctx)
	switch {
	case errors.Is(err, oauth.ErrReauthorizationRequired), errors.Is(err, tokenstore.ErrNotFound):
		// The grant is dead already (or gone): nothing left to revoke.
		tok = nil
	case err != nil:
		return false, err
	}
	// Revoking uninstalls the app for the Zoom user, and Zoom answers with
	// app_deauthorized (before the revoke returns): end the connection
	// first, so that the webhook finds it ended and the reason stays ours.
	if err := a.endConnection(ctx, mb, "disconnected in PulsoDesk"); err != nil {
		return false, err
	}
	if tok != nil {
		// Revoking one token of the grant kills the grant and all its
		// tokens. A grant that died meanwhile is not an error for the user.
		if rerr := a.env.OAuth.Revoke(ctx, tok.AccessToken); rerr == nil {
			revoked = true
		} else if !errors.Is(rerr, oauth.ErrRevoke) {
			return false, rerr
		}
	}
	err = a.env.Mail.Send(ctx, exkit.Email{
		To:      c.Email,
		Subject: "Zoom is disconnected from " + a.name,
		Body: fmt.Sprintf("Hello,\n\nYour Zoom account %s was disconnected from PulsoDesk (%s workspace): PulsoDesk revoked its access\n"+
			"and deleted its tokens. The meetings already scheduled still take place, and their\n"+
			"history and join links stay in PulsoDesk. Connect Zoom again to schedule new ones.\n", c.Email, a.name),
	})
	return revoked, err
}

// ---- meetings ----

// createMeeting schedules a meeting in the Zoom account of the member who
// creates it (Zoom makes that account the host).
func (a *app) createMeeting(ctx context.Context, mb member, in meetingInput) (*meeting, error) {
	start, err := in.start(a.now())
	if err != nil {
		return nil, err
	}
	cl, c, err := a.client(ctx, mb)
	if err != nil {
		return nil, err
	}
	zm, _, err := cl.Meetings.Create(ctx, "me", &zoom.CreateMeetingRequest{
		Topic:     strings.TrimSpace(in.Topic),
		Type:      zoom.MeetingTypeScheduled,
		StartTime: zoom.NewTime(start),
		Timezone:  in.Timezone,
		Duration:  in.Duration,
	})
	if err != nil {
		return nil, a.zoomFailed(ctx, mb, err)
	}
	m := fromZoom(zm, in.Timezone)
	m.MemberID = mb.ID
	if m.HostEmail == "" {
		m.HostEmail = c.Email
	}
	now := a.now().UTC()
	m.CreatedAt, m.UpdatedAt = now, now
	if err := a.saveMeeting(ctx, m); err != nil {
		return nil, err
	}
	err = a.env.Mail.Send(ctx, exkit.Email{
		To:      c.Email,
		Subject: "Meeting scheduled: " + oneLine(m.Topic),
		Body: fmt.Sprintf("%s\n\nWhen: %s\nDuration: %d minutes\nJoin: %s\nMeeting ID: %d\nHost: %s\n\nScheduled by %s from PulsoDesk (%s).\n",
			m.Topic, m.When(), m.Duration, m.JoinURL, m.ID, m.HostEmail, mb.Name, a.name),
	})
	return &m, err
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// fromZoom keeps what the workspace shows; never the start URL.
func fromZoom(zm *zoom.Meeting, zone string) meeting {
	if zm.Timezone != "" {
		zone = zm.Timezone
	}
	return meeting{
		ID: int64(zm.ID), HostEmail: zm.HostEmail, Topic: zm.Topic, Start: zm.StartTime.UTC(), Timezone: zone,
		Duration: zm.Duration, JoinURL: zm.JoinURL, Status: statusScheduled,
	}
}

func (a *app) saveMeeting(ctx context.Context, m meeting) error {
	_, err := a.env.DB.ExecContext(ctx, `INSERT INTO workspace_meetings_history
		(zoom_meeting_id, workspace_id, member_id, host_email, topic, start_time, timezone, duration, join_url, status, created_at, updated_at)
		VALUES ($1, $2, $12, $3, $4, $5, $6, $7, $8, $9, $10, $11)
		ON CONFLICT (zoom_meeting_id) DO UPDATE SET topic = excluded.topic, start_time = excluded.start_time,
		timezone = excluded.timezone, duration = excluded.duration, join_url = excluded.join_url,
		status = excluded.status, updated_at = excluded.updated_at`,
		m.ID, a.workspace, m.HostEmail, m.Topic, m.Start.Unix(), m.Timezone, m.Duration, m.JoinURL, m.Status,
		m.CreatedAt.UnixMilli(), m.UpdatedAt.UnixMilli(), m.MemberID)
	return err
}

const meetingColumns = `zoom_meeting_id, member_id, host_email, topic, start_time, timezone, duration, join_url, status, created_at, updated_at`

func scanMeeting(row interface{ Scan(...any) error }) (meeting, error) {
	var m meeting
	var start, created, updated int64
	err := row.Scan(&m.ID, &m.MemberID, &m.HostEmail, &m.Topic, &start, &m.Timezone, &m.Duration, &m.JoinURL, &m.Status, &created, &updated)
	m.Start = time.Unix(start, 0).UTC()
	m.CreatedAt = time.UnixMilli(created).UTC()
	m.UpdatedAt = time.UnixMilli(updated).UTC()
	return m, err
}

// history is the workspace's own record of its meetings, soonest first. It
// needs no Zoom connection.
func (a *app) history(ctx context.Context) ([]meeting, error) {
	rows, err := a.env.DB.QueryContext(ctx, `SELECT `+meetingColumns+` FROM workspace_meetings_history
		WHERE workspace_id = $1 ORDER BY start_time, zoom_meeting_id`, a.workspace)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []meeting
	for rows.Next() {
		m, err := scanMeeting(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// localMeeting returns a meeting of the history (sql.ErrNoRows if none).
func (a *app) localMeeting(ctx context.Context, id int64) (meeting, error) {
	return scanMeeting(a.env.DB.QueryRowContext(ctx, `SELECT `+meetingColumns+` FROM workspace_meetings_history
		WHERE workspace_id = $1 AND zoom_meeting_id = $2`, a.workspace, id))
}

// listMeetings lists the scheduled meetings in the member's Zoom account
// and refreshes the history's copies of them.
func (a *app) listMeetings(ctx context.Context, mb member) ([]meeting, error) {
	cl, _, err := a.client(ctx, mb)
	if err != nil {
		return nil, err
	}
	var out []meeting
	for zm, err := range cl.Meetings.ListAll(ctx, "me", &zoom.ListMeetingsOptions{Type: zoom.MeetingListTypeScheduled, PageSize: 100}) {
		if err != nil {
			return nil, a.zoomFailed(ctx, mb, err)
		}
		m := fromZoom(zm, a.zone)
		if old, err := a.localMeeting(ctx, m.ID); err == nil {
			m.MemberID, m.HostEmail, m.CreatedAt = old.MemberID, old.HostEmail, old.CreatedAt
			if m.JoinURL == "" {
				m.JoinURL = old.JoinURL
			}
			if !sameSchedule(old, m) {
				m.UpdatedAt = a.now().UTC()
				if err := a.saveMeeting(ctx, m); err != nil {
					return nil, err
				}
			}
		}
		out = append(out, m)
	}
	return out, nil
}

func sameSchedule(a, b meeting) bool {
	return a.Topic == b.Topic && a.Start.Equal(b.Start) && a.Duration == b.Duration && a.Timezone == b.Timezone
}

// viewMeeting reads a meeting from Zoom when connected (refreshing the
// history), and from the history otherwise (fromZoom false).
// Only the member who scheduled it can read it in Zoom: it is in their
// account; the others see the history's copy.
func (a *app) viewMeeting(ctx context.Context, mb member, id int64) (m meeting, live bool, err error) {
	local, err := a.localMeeting(ctx, id)
	if errors.Is(err, sql.ErrNoRows) {
		return meeting{}, false, userErr(zoom.ErrNotFound, "Meeting %d is not in this workspace's meeting history.", id)
	}
	if err != nil {
		return meeting{}, false, err
	}
	if local.MemberID != mb.ID || local.Status == statusDeleted {
		return local, false, nil
	}
	cl, _, err := a.client(ctx, mb)
	if errors.Is(err, exkit.ErrNotConnected) {
		return local, false, nil
	}
	if err != nil {
		return meeting{}, false, err
	}
	zm, _, err := cl.Meetings.Get(ctx, zoom.ID(id), nil)
	if errors.Is(err, zoom.ErrNotFound) {
		local.Status, local.UpdatedAt = statusDeleted, a.now().UTC()
		return local, false, a.saveMeeting(ctx, local)
	}
	if err != nil {
		return meeting{}, false, a.zoomFailed(ctx, mb, err)
	}
	m = fromZoom(zm, local.Timezone)
	m.MemberID, m.HostEmail, m.CreatedAt, m.UpdatedAt = local.MemberID, local.HostEmail, local.CreatedAt, local.UpdatedAt
	if !sameSchedule(m, local) || m.JoinURL != local.JoinURL || m.Status != local.Status {
		m.UpdatedAt = a.now().UTC()
		if err := a.saveMeeting(ctx, m); err != nil {
			return meeting{}, false, err
		}
	}
	return m, true, nil
}

// updateMeeting changes a meeting's title, time and duration in Zoom, then
// in the history.
// Only the member who scheduled it can: it is in their Zoom account.
func (a *app) updateMeeting(ctx context.Context, mb member, id int64, in meetingInput) (*meeting, error) {
	start, err := in.start(a.now())
	if err != nil {
		return nil, err
	}
	m, err := a.localMeeting(ctx, id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, userErr(zoom.ErrNotFound, "Meeting %d is not in this workspace's meeting history.", id)
	}
	if err != nil {
		return nil, err
	}
	if m.MemberID != mb.ID {
		return nil, userErr(errNotYours, "Only %s, who scheduled it in their Zoom account, can change meeting %d.", memberName(m.MemberID), id)
	}
	cl, _, err := a.client(ctx, mb)
	if err != nil {
		return nil, err
	}
	_, err = cl.Meetings.Update(ctx, zoom.ID(id), &zoom.UpdateMeetingRequest{
		Topic:     zoom.Ptr(strings.TrimSpace(in.Topic)),
		StartTime: zoom.NewTime(start),
		Timezone:  zoom.Ptr(in.Timezone),
		Duration:  zoom.Ptr(in.Duration),
	}, nil)
	if err != nil {
		return nil, a.zoomFailed(ctx, mb, err)
	}
	m.Topic, m.Start, m.Timezone, m.Duration = strings.TrimSpace(in.Topic), start, in.Timezone, in.Duration
	m.UpdatedAt = a.now().UTC()
	return &m, a.saveMeeting(ctx, m)
}

// joinLink returns a meeting's join link from the history: it needs no Zoom
// call, and it still works after Zoom is disconnected.
func (a *app) joinLink(ctx context.Context, id int64) (string, error) {
	m, err := a.localMeeting(ctx, id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", userErr(zoom.ErrNotFound, "Meeting %d is not in this workspace's meeting history.", id)
	}
	if err != nil {
		return "", err
	}
	if m.Status == statusDeleted || m.JoinURL == "" {
		return "", userErr(zoom.ErrNotFound, "Meeting %d was deleted in Zoom: its join link no longer works.", id)
	}
	return m.JoinURL, nil
}

// deleteHistoryEntry deletes one meeting from the workspace's history. The
// meeting itself stays in Zoom (and still takes place): only PulsoDesk's
// record of it, with its join link, goes.
// A member deletes the entries of the meetings they scheduled.
func (a *app) deleteHistoryEntry(ctx context.Context, mb member, id int64) error {
	res, err := a.env.DB.ExecContext(ctx, `DELETE FROM workspace_meetings_history
		WHERE workspace_id = $1 AND zoom_meeting_id = $2 AND member_id = $3`, a.workspace, id, mb.ID)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err == nil && n == 0 {
		return userErr(zoom.ErrNotFound, "Meeting %d is not in your meeting history (it may have been deleted already).", id)
	}
	return nil
}

// deleteHistory deletes a member's meeting history (the meetings they
// scheduled) and returns how many it held. Nothing changes in Zoom.
func (a *app) deleteHistory(ctx context.Context, mb member) (int64, error) {
	res, err := a.env.DB.ExecContext(ctx, `DELETE FROM workspace_meetings_history WHERE workspace_id = $1 AND member_id = $2`,
		a.workspace, mb.ID)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// ---- webhooks: changes made in Zoom itself ----

func (a *app) onMeetingUpdated(ctx context.Context, _ *webhook.Event, p *webhook.MeetingUpdatedPayload) error {
	m, err := a.localMeeting(ctx, int64(p.Object.ID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil // not scheduled from this workspace
	}
	if err != nil {
		return err
	}
	o := p.Object // only the changed fields are present
	if o.Topic != "" {
		m.Topic = o.Topic
	}
	if !o.StartTime.IsZero() {
		m.Start = o.StartTime.UTC()
	}
	if o.Timezone != "" {
		m.Timezone = o.Timezone
	}
	if o.Duration > 0 {
		m.Duration = int(o.Duration)
	}
	if o.JoinURL != "" {
		m.JoinURL = o.JoinURL
	}
	m.UpdatedAt = a.now().UTC()
	return a.saveMeeting(ctx, m)
}

func (a *app) onMeetingDeleted(ctx context.Context, _ *webhook.Event, p *webhook.MeetingDeletedPayload) error {
	if len(p.Object.Occurrences) > 0 {
		return nil // one occurrence of a recurring meeting; this app schedules none
	}
	_, err := a.env.DB.ExecContext(ctx, `UPDATE workspace_meetings_history SET status = $1, updated_at = $2
		WHERE workspace_id = $3 AND zoom_meeting_id = $4`, statusDeleted, a.now().UnixMilli(), a.workspace, int64(p.Object.ID))
	return err
}

// onAppDeauthorized: the user removed the app in Zoom. Zoom has revoked the
// tokens already; delete them and keep the history.
// Every member connected to that Zoom user loses the connection.
func (a *app) onAppDeauthorized(ctx context.Context, _ *webhook.Event, p *webhook.AppDeauthorizedPayload) error {
	for _, mb := range workspaceMembers() {
		c, err := a.connection(ctx, mb)
		if err != nil {
			return err
		}
		if !c.Active() || c.ZoomUserID != p.UserID {
			continue
		}
		if err := a.endConnection(ctx, mb, "the app was removed in Zoom"); err != nil {
			return err
		}
	}
	return nil
}

// ---- pages ----

type pageData struct {
	Member    member   // the signed-in member
	Members   []member // the workspace's members
	Title     string
	Workspace string
	Conn      *connection
	Notice    string
	Error     string
	Meetings  []meeting
	Own       int // how many of Meetings the signed-in member scheduled
	Meeting   *meeting
	FromZoom  bool
	Default   meetingInput
	ConnectTo string
	Offline   bool // Zoom is the embedded fake
}

// zones are the time zones the forms offer.
func zones() []string {
	return []string{"Europe/Madrid", "Europe/London", "America/New_York", "America/Los_Angeles", "Asia/Tokyo", "UTC"}
}

func (a *app) page(r *http.Request, title string) (pageData, error) {
	mb := signedIn(r)
	c, err := a.connection(r.Context(), mb)
	tomorrow := a.now().In(loadZone(a.zone)).AddDate(0, 0, 1)
	return pageData{
		Member: mb, Members: workspaceMembers(), Title: title, Workspace: a.name, Conn: c, ConnectTo: exkit.ConnectPath, Offline: a.env.Fake != nil,
		Default: meetingInput{Date: tomorrow.Format("2006-01-02"), Time: "10:00", Timezone: a.zone, Duration: 30},
	}, err
}

func (a *app) render(w http.ResponseWriter, status int, name string, d pageData) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = a.tmpl.ExecuteTemplate(w, name, d)
}

// appTrouble is what a member reads when PulsoDesk itself failed (its
// database, its outbox): the details are in the log.
const appTrouble = "PulsoDesk could not finish this because of a problem on its side. Try again in a moment; if it keeps failing, contact your workspace admin."

// explain is the one place that turns a failure into what the member
// reads: the app's own refusals say their sentence; Zoom's failures (a
// dead grant, limits, Zoom down, the network) get exkit's sentences;
// anything else is PulsoDesk's own trouble. No Go error chain and no text
// of Zoom's reaches a page.
func explain(err error) exkit.Problem {
	var ue *userError
	if errors.As(err, &ue) {
		switch {
		case errors.Is(ue.kind, errNotYours):
			return exkit.Problem{Status: http.StatusForbidden, Message: ue.msg}
		case errors.Is(ue.kind, zoom.ErrNotFound):
			return exkit.Problem{Status: http.StatusNotFound, Message: ue.msg}
		}
		return exkit.Problem{Status: http.StatusBadRequest, Message: ue.msg}
	}
	if errors.Is(err, exkit.ErrNotConnected) && !errors.Is(err, oauth.ErrReauthorizationRequired) {
		return exkit.Problem{Status: http.StatusConflict, Message: "Your Zoom account is not connected to PulsoDesk. Click Connect Zoom Account, then try again."}
	}
	if p, ok := exkit.ExplainZoom(err); ok {
		return p
	}
	return exkit.Problem{Status: http.StatusInternalServerError, Message: appTrouble}
}

// fail logs what failed, with the error, and shows the member the
// sentence explain gives for it.
func (a *app) fail(w http.ResponseWriter, r *http.Request, what string, err error) {
	p := explain(err)
	a.log.Log(r.Context(), p.Level(), what+" failed", "member", signedIn(r).ID, "path", r.URL.Path, "status", p.Status, "error", err)
	a.show(w, r, what, p)
}

// show renders the error page: what was being done, and the sentence.
func (a *app) show(w http.ResponseWriter, r *http.Request, what string, p exkit.Problem) {
	d, _ := a.page(r, what)
	d.Error = p.Message
	a.render(w, p.Status, "error", d)
}

func (a *app) home(w http.ResponseWriter, r *http.Request) {
	d, err := a.page(r, "Meetings")
	if err == nil {
		d.Meetings, err = a.history(r.Context())
	}
	if err != nil {
		a.fail(w, r, "Loading the workspace", err)
		return
	}
	for _, m := range d.Meetings {
		if m.MemberID == d.Member.ID {
			d.Own++
		}
	}
	switch {
	case r.URL.Query().Get("deleted") == "1":
		d.Notice = "The meeting was deleted from the meeting history. It is still scheduled in Zoom."
	case r.URL.Query().Get("history") == "deleted":
		d.Notice = "Your meeting history was deleted. Your meetings scheduled in Zoom still take place."
	case r.URL.Query().Get("disconnected") == "1":
		d.Notice = "Zoom is disconnected: its access was revoked and its tokens deleted. The meeting history stays."
	}
	a.render(w, http.StatusOK, "home", d)
}

func (a *app) listPage(w http.ResponseWriter, r *http.Request) {
	d, err := a.page(r, "Meetings in Zoom")
	if err == nil {
		d.Meetings, err = a.listMeetings(r.Context(), signedIn(r))
	}
	if err != nil {
		a.fail(w, r, "Listing the meetings in Zoom", err)
		return
	}
	a.render(w, http.StatusOK, "list", d)
}

// integrationPath is Settings → Integrations → Zoom, where a member
// connects and disconnects their own Zoom account.
const integrationPath = "/settings/integrations/zoom"

func (a *app) integrationPage(w http.ResponseWriter, r *http.Request) {
	d, err := a.page(r, "Zoom integration")
	if err != nil {
		a.fail(w, r, "Loading the workspace", err)
		return
	}
	if r.URL.Query().Get("connected") == "1" && d.Conn.Active() {
		d.Notice = "Your Zoom account " + d.Conn.Email + " is connected. Meetings you schedule are created in it."
	}
	a.render(w, http.StatusOK, "integration", d)
}

func formInput(r *http.Request) meetingInput {
	dur, _ := strconv.Atoi(r.PostFormValue("duration"))
	return meetingInput{
		Topic: r.PostFormValue("topic"), Date: r.PostFormValue("date"), Time: r.PostFormValue("time"),
		Timezone: r.PostFormValue("timezone"), Duration: dur,
	}
}

func (a *app) createPage(w http.ResponseWriter, r *http.Request) {
	if p := r.PostFormValue("platform"); p != "" && p != "zoom" {
		a.fail(w, r, "Scheduling the meeting", userErr(errInvalid, "The meeting platform %q is not available here: choose Zoom.", p))
		return
	}
	m, err := a.createMeeting(r.Context(), signedIn(r), formInput(r))
	if err != nil {
		a.fail(w, r, "Scheduling the meeting", err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/meetings/%d?created=1", m.ID), http.StatusSeeOther)
}

func meetingID(r *http.Request) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	return id, err == nil && id > 0
}

func (a *app) viewPage(w http.ResponseWriter, r *http.Request) {
	id, ok := meetingID(r)
	if !ok {
		http.NotFound(w, r)
		return
	}
	d, err := a.page(r, "Meeting")
	if err != nil {
		a.fail(w, r, "Loading the workspace", err)
		return
	}
	m, fromZoom, err := a.viewMeeting(r.Context(), signedIn(r), id)
	if err != nil {
		a.fail(w, r, "Loading the meeting", err)
		return
	}
	d.Meeting, d.FromZoom, d.Title = &m, fromZoom, m.Topic
	switch {
	case r.URL.Query().Get("created") == "1":
		d.Notice = "Meeting scheduled in Zoom."
	case r.URL.Query().Get("updated") == "1":
		d.Notice = "Meeting updated in Zoom."
	}
	a.render(w, http.StatusOK, "meeting", d)
}

func (a *app) updatePage(w http.ResponseWriter, r *http.Request) {
	id, ok := meetingID(r)
	if !ok {
		http.NotFound(w, r)
		return
	}
	if _, err := a.updateMeeting(r.Context(), signedIn(r), id, formInput(r)); err != nil {
		a.fail(w, r, "Updating the meeting", err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/meetings/%d?updated=1", id), http.StatusSeeOther)
}

func (a *app) joinPage(w http.ResponseWriter, r *http.Request) {
	id, ok := meetingID(r)
	if !ok {
		http.NotFound(w, r)
		return
	}
	link, err := a.joinLink(r.Context(), id)
	if err != nil {
		a.fail(w, r, "Joining the meeting", err)
		return
	}
	http.Redirect(w, r, link, http.StatusSeeOther)
}

func (a *app) deleteHistoryEntryPage(w http.ResponseWriter, r *http.Request) {
	id, ok := meetingID(r)
	if !ok {
		http.NotFound(w, r)
		return
	}
	if err := a.deleteHistoryEntry(r.Context(), signedIn(r), id); err != nil {
		a.fail(w, r, "Deleting the meeting from the history", err)
		return
	}
	http.Redirect(w, r, "/?deleted=1", http.StatusSeeOther)
}

func (a *app) confirmDeleteHistoryPage(w http.ResponseWriter, r *http.Request) {
	d, err := a.page(r, "Delete my meeting history")
	if err == nil {
		d.Meetings, err = a.history(r.Context())
	}
	d.Meetings = slices.DeleteFunc(d.Meetings, func(m meeting) bool { return m.MemberID != d.Member.ID })
	if err != nil {
		a.fail(w, r, "Loading the workspace", err)
		return
	}
	a.render(w, http.StatusOK, "confirm-delete-history", d)
}

// deleteHistoryPage deletes the history only with the confirmation form.
func (a *app) deleteHistoryPage(w http.ResponseWriter, r *http.Request) {
	if r.PostFormValue("confirm") != "yes" {
		http.Redirect(w, r, "/history/delete", http.StatusSeeOther)
		return
	}
	if _, err := a.deleteHistory(r.Context(), signedIn(r)); err != nil {
		a.fail(w, r, "Deleting the meeting history", err)
		return
	}
	http.Redirect(w, r, "/?history=deleted", http.StatusSeeOther)
}

// confirmDisconnectPage is the step between the Disconnect Zoom button and
// the revoke: it says what disconnecting does and asks to confirm.
func (a *app) confirmDisconnectPage(w http.ResponseWriter, r *http.Request) {
	d, err := a.page(r, "Disconnect Zoom")
	if err != nil {
		a.fail(w, r, "Loading the workspace", err)
		return
	}
	if !d.Conn.Active() {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return
	}
	a.render(w, http.StatusOK, "confirm-disconnect", d)
}

// disconnectPage revokes only when the confirmation form says so: any
// other POST (a stale form, a script) goes back to the confirmation step
// and changes nothing.
func (a *app) disconnectPage(w http.ResponseWriter, r *http.Request) {
	if r.PostFormValue("confirm") != "yes" {
		http.Redirect(w, r, "/disconnect", http.StatusSeeOther)
		return
	}
	if _, err := a.disconnect(r.Context(), signedIn(r)); err != nil {
		a.fail(w, r, "Disconnecting Zoom", err)
		return
	}
	http.Redirect(w, r, "/?disconnected=1", http.StatusSeeOther)
}

func (a *app) signinPage(w http.ResponseWriter, r *http.Request) {
	d, err := a.page(r, "Sign in")
	if err != nil {
		a.fail(w, r, "Loading the workspace", err)
		return
	}
	a.render(w, http.StatusOK, "signin", d)
}

// signin switches the browser to another member of the workspace.
func (a *app) signin(w http.ResponseWriter, r *http.Request) {
	m, ok := memberByID(r.PostFormValue("member"))
	if !ok {
		d, _ := a.page(r, "Sign in")
		d.Error = "Choose a member of the workspace to sign in."
		a.render(w, http.StatusBadRequest, "signin", d)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: memberCookie, Value: m.ID, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode})
	http.Redirect(w, r, "/", http.StatusSeeOther)
}
