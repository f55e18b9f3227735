package main

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/mail"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	_ "time/tzdata" // hosts' time zones, whatever the machine has

	"github.com/zoomkit/zoomkit/examples/internal/exkit"
	"github.com/zoomkit/zoomkit/oauth"
	"github.com/zoomkit/zoomkit/tokenstore/sqlstore"
	"github.com/zoomkit/zoomkit/webhook"
	"github.com/zoomkit/zoomkit/zoom"
	"github.com/zoomkit/zoomkit/zoom/zoomtest"
)

const (
	slotLength  = 30 // minutes
	serviceName = "Coaching session"
)

// defaultHost is the scheduling account signed in unless the browser
// chose another. A real product has logins and sessions; the example has
// two accounts and a switch (a cookie), whose pages need no password.
func defaultHost() Host {
	return Host{ID: "ada", Name: "Ada Lovelace", Email: "ada.lovelace@mail.example", Timezone: "Europe/London"}
}

// teamHost is a second scheduling account, run by Ada's assistant for her
// team's sessions. It connects the same Zoom user as Ada: both accounts
// share one Zoom connection (one grant, one token).
func teamHost() Host {
	return Host{ID: "team", Name: "Lovelace Coaching team", Email: "team@lovelace-coaching.example", Timezone: "Europe/London"}
}

// accountCookie holds the id of the signed-in scheduling account.
const accountCookie = "scheduling_account"

// clock is the app's time: the real time plus an offset that the offline
// flow moves forward. The fake Zoom, the token sources, the webhook
// verifier and the mailer all read it, so that "two hours later" is the
// same moment for all of them.
type clock struct{ offset atomic.Int64 }

func (c *clock) Now() time.Time          { return time.Now().Add(time.Duration(c.offset.Load())) }
func (c *clock) Advance(d time.Duration) { c.offset.Add(int64(d)) }

// app is the booking service: its records, its Zoom connection per host,
// and its web pages.
type app struct {
	db        *sql.DB
	oauth     *oauth.Config
	tokens    *sqlstore.Store
	mail      exkit.Mailer
	clock     *clock
	publicURL string // where the host's browser reaches the app
	hostID    string // the signed-in host
	newClient func(ts *oauth.TokenSource) (*zoom.Client, error)
	log       *slog.Logger
	pages     *pages
	handler   http.Handler
	// fake is the embedded fake Zoom (offline), whose simulation helpers the
	// dashboard offers under -serve; nil against real Zoom.
	fake *zoomtest.Server

	mu    sync.Mutex
	zooms map[string]*zoomConn // by token key: one TokenSource per key
}

// zoomConn is a host's Zoom client and the token source behind it.
type zoomConn struct {
	ts     *oauth.TokenSource
	client *zoom.Client
}

func newApp(ctx context.Context, env *exkit.Env, clk *clock) (*app, error) {
	a := &app{
		db:        env.DB,
		oauth:     env.OAuth,
		tokens:    env.Tokens,
		mail:      env.Mail,
		clock:     clk,
		publicURL: publicURL(env),
		hostID:    defaultHost().ID,
		newClient: func(ts *oauth.TokenSource) (*zoom.Client, error) { return env.NewClient(ts) },
		log:       env.Logger(),
		zooms:     map[string]*zoomConn{},
		fake:      env.Fake,
	}
	if err := migrate(ctx, a.db); err != nil {
		return nil, err
	}
	for _, h := range []Host{defaultHost(), teamHost()} {
		if err := a.ensureHost(ctx, h); err != nil {
			return nil, err
		}
	}
	var err error
	if a.pages, err = newPages(); err != nil {
		return nil, err
	}

	connect, err := a.oauth.Handlers(a.tokens,
		oauth.WithHandlerClock(clk.Now),
		// One token per Zoom user: the scheduling accounts that connect the
		// same Zoom user share it (Zoom keeps one grant per user and app:
		// the last authorization wins).
		oauth.WithTokenKey(func(_ *http.Request, zoomUserID string) (string, error) { return tokenKey(zoomUserID), nil }),
		oauth.WithOnConnected(a.onConnected),
		oauth.WithOnError(func(w http.ResponseWriter, r *http.Request, err error) {
			a.log.WarnContext(r.Context(), "connect Zoom failed", "account", a.account(r), "error", err)
			a.show(w, r, exkit.ExplainConnect(err))
		}))
	if err != nil {
		return nil, err
	}
	verifier, err := env.Verifier()
	if err != nil {
		return nil, err
	}
	hooks, err := webhook.NewHandler(verifier, webhook.WithDeduper(env.Dedup))
	if err != nil {
		return nil, err
	}
	hooks.OnAppDeauthorized(a.onDeauthorized)
	// meeting.created, .updated, .deleted... echo the app's own calls.
	hooks.Fallback(func(context.Context, *webhook.Event) error { return nil })

	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", a.home)
	mux.Handle("GET "+exkit.ConnectPath, connect.Connect())
	mux.Handle("GET "+exkit.CallbackPath, connect.Callback())
	mux.Handle(exkit.WebhookPath, hooks)
	mux.HandleFunc("POST /account", a.postAccount)
	mux.HandleFunc("GET "+conferencingPath, a.conferencingPage)
	mux.HandleFunc("POST /settings", a.postSettings)
	mux.HandleFunc("POST /zoom/disconnect", a.postDisconnect)
	mux.HandleFunc("GET /book", a.bookPage)
	mux.HandleFunc("POST /book", a.postBook)
	mux.HandleFunc("GET /bookings/{id}", a.bookingPage)
	mux.HandleFunc("GET /call/{id}", a.callPage)
	mux.HandleFunc("POST /bookings/{id}/reschedule", a.postReschedule)
	mux.HandleFunc("POST /bookings/{id}/cancel", a.postCancel)
	if a.fake != nil {
		mux.HandleFunc("POST /fake/{action}", a.postFake)
	}
	// exkit serves the app behind its shared cross-site protection.
	a.handler = mux
	return a, nil
}

func (a *app) ServeHTTP(w http.ResponseWriter, r *http.Request) { a.handler.ServeHTTP(w, r) }

// publicURL is the app's origin as the host's browser sees it: the
// redirect URL's origin against real Zoom (behind a tunnel), else the
// local listener.
func publicURL(env *exkit.Env) string {
	if env.Cfg.RedirectURL != "" {
		if u, err := url.Parse(env.Cfg.RedirectURL); err == nil && u.Host != "" {
			return u.Scheme + "://" + u.Host
		}
	}
	return env.BaseURL
}

// conferencingPath is the Scheduling > Conferencing > Manage conferencing
// page.
const conferencingPath = "/scheduling/conferencing"

// callURL is the link of a booking's built-in call: the app's own page.
func (a *app) callURL(bookingID string) string { return a.publicURL + "/call/" + bookingID }

// tokenKey is where the token of a Zoom user is stored.
func tokenKey(zoomUserID string) string { return "scheduling:zoom:user:" + zoomUserID }

// account returns the id of the scheduling account signed in on r's
// browser (its cookie), the default account without a valid one.
func (a *app) account(r *http.Request) string {
	if c, err := r.Cookie(accountCookie); err == nil {
		if h, err := a.host(r.Context(), c.Value); err == nil {
			return h.ID
		}
	}
	return a.hostID
}

func newID(prefix string) string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return prefix + hex.EncodeToString(b)
}

// zoomFor returns the Zoom client of a connection's token key, creating
// its TokenSource once.
func (a *app) zoomFor(key string) (*zoom.Client, *oauth.TokenSource, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if z := a.zooms[key]; z != nil {
		return z.client, z.ts, nil
	}
	ts, err := a.oauth.TokenSource(a.tokens, key,
		oauth.WithClock(a.clock.Now),
		oauth.WithOnReauthorizationRequired(a.onGrantDead))
	if err != nil {
		return nil, nil, err
	}
	c, err := a.newClient(ts)
	if err != nil {
		return nil, nil, err
	}
	a.zooms[key] = &zoomConn{ts: ts, client: c}
	return c, ts, nil
}

// forget drops the cached client of a key (after a new connection or a
// removal), so that the next call starts from the stored token.
func (a *app) forget(key string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	delete(a.zooms, key)
}

// ---- Zoom connection ----

// onConnected runs at the end of Connect (Manage conferencing): the token is saved under
// the Zoom user's key; the app records which scheduling account connected.
// Other accounts on the same Zoom user use the new token too.
func (a *app) onConnected(w http.ResponseWriter, r *http.Request, c oauth.Connection) {
	conn := &Connection{HostID: a.account(r), ZoomUserID: c.UserID, ZoomEmail: c.Email, ZoomAccountID: c.AccountID, TokenKey: c.Key}
	if err := a.putConnection(r.Context(), conn); err != nil {
		a.fail(w, r, fmt.Errorf("saving the Zoom connection: %w", err))
		return
	}
	a.forget(c.Key)
	http.Redirect(w, r, conferencingPath+"?done=connected", http.StatusSeeOther)
}

// onGrantDead is the TokenSource hook: Zoom refused the refresh token
// (invalid_grant: the user removed the app's access, or the grant expired).
// The connection is flagged and the host gets one "Action required" email.
func (a *app) onGrantDead(ctx context.Context, key string, cause error) {
	reason := "the grant is no longer valid"
	var te *oauth.TokenError
	if errors.As(cause, &te) {
		reason = te.ErrorCode
		if te.Reason != "" {
			reason += " (" + te.Reason + ")"
		}
	}
	changed, err := a.markReconnectRequired(ctx, key, reason)
	if err != nil {
		a.log.ErrorContext(ctx, "flagging the Zoom connection", "key", key, "error", err)
		return
	}
	for _, hostID := range changed {
		conn, err := a.connection(ctx, hostID)
		if err != nil || conn == nil {
			a.log.ErrorContext(ctx, "finding a flagged Zoom connection", "host", hostID, "error", err)
			continue
		}
		why := fmt.Sprintf(`Zoom no longer accepts our access to your Zoom account (%s), so we cannot
create Zoom meetings for your bookings. Until you reconnect, new bookings
get a built-in call link instead; your existing Zoom meetings are unchanged.`, conn.ZoomEmail)
		if err := a.sendReconnectEmail(ctx, hostID, why); err != nil {
			a.log.ErrorContext(ctx, "sending the reconnect email", "host", hostID, "error", err)
		}
	}
}

// sendReconnectEmail sends a host the "Action required" email: why Zoom
// stopped working, and the link that reconnects it.
func (a *app) sendReconnectEmail(ctx context.Context, hostID, why string) error {
	h, err := a.host(ctx, hostID)
	if err != nil {
		return err
	}
	return a.mail.Send(ctx, exkit.Email{
		To:      h.Email,
		Subject: "Action required: reconnect your Zoom account",
		Body: fmt.Sprintf(`Hi %s,

%s

Reconnect Zoom: %s%s
`, h.Name, why, a.publicURL, exkit.ConnectPath),
	})
}

// Disconnect removes this scheduling account's Zoom connection and makes
// built-in calls its default. It does not revoke the grant: on Zoom,
// revoking uninstalls the app for the Zoom user, which would disconnect
// every scheduling account using that Zoom user. The token is deleted
// when no other account uses it; the app stays installed on Zoom (the
// user removes it in Zoom's App Marketplace). Existing Zoom meetings are
// left alone.
func (a *app) Disconnect(ctx context.Context, hostID string) error {
	conn, err := a.connection(ctx, hostID)
	if err != nil {
		return err
	}
	if conn == nil {
		return exkit.ErrNotConnected
	}
	if _, err := a.db.ExecContext(ctx, `DELETE FROM scheduling_zoom_connections WHERE host_id = $1`, hostID); err != nil {
		return err
	}
	var others int
	if err := a.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM scheduling_zoom_connections WHERE token_key = $1`, conn.TokenKey).Scan(&others); err != nil {
		return err
	}
	if others == 0 {
		if err := a.tokens.Delete(ctx, conn.TokenKey); err != nil {
			return fmt.Errorf("deleting the Zoom token: %w", err)
		}
		a.forget(conn.TokenKey)
	}
	return a.putDefaultConferencing(ctx, hostID, confBuiltin)
}

// onDeauthorized handles app_deauthorized: the Zoom user removed the app
// in Zoom's App Marketplace (or it was revoked). Zoom has revoked the
// tokens already. Every scheduling account that used that Zoom user is
// disconnected: the token, the connections and their Zoom settings are
// deleted, the defaults go back to built-in calls, and each host gets the
// "Action required" email with the reconnect link. Bookings stay (they
// are the hosts' business records); their Zoom meetings are not touched.
// A repeated delivery finds nothing left and sends nothing.
func (a *app) onDeauthorized(ctx context.Context, _ *webhook.Event, p *webhook.AppDeauthorizedPayload) error {
	if p.UserID == "" {
		return nil
	}
	conns, err := a.connectionsOfZoomUser(ctx, p.UserID)
	if err != nil {
		return err // 500: Zoom redelivers
	}
	for _, c := range conns {
		if err := a.removeZoomData(ctx, c); err != nil {
			return err
		}
	}
	// The data is gone: a failed email is logged, not retried through
	// Zoom (a redelivery would find no connection to tell about).
	for _, c := range conns {
		why := fmt.Sprintf(`The app was removed from your Zoom account (%s) on Zoom's side, so we
disconnected Zoom and deleted the Zoom data we held. New bookings get a
built-in call link instead; your existing Zoom meetings are unchanged.`, c.ZoomEmail)
		if err := a.sendReconnectEmail(ctx, c.HostID, why); err != nil {
			a.log.ErrorContext(ctx, "sending the reconnect email", "host", c.HostID, "error", err)
		}
	}
	return nil
}

// SetDefaultConferencing sets the host's default: confZoom needs a working
// Zoom connection.
func (a *app) SetDefaultConferencing(ctx context.Context, hostID, kind string) error {
	switch kind {
	case confBuiltin:
	case confZoom:
		conn, err := a.connection(ctx, hostID)
		if err != nil {
			return err
		}
		if !conn.Usable() {
			return fmt.Errorf("making Zoom the default: %w", exkit.ErrNotConnected)
		}
	default:
		return userErr(errInvalidInput, "Choose Zoom or built-in calls as the default.")
	}
	return a.putDefaultConferencing(ctx, hostID, kind)
}

// ---- Bookings ----

// Slots returns the host's free slots: 30 minutes each, 09:00 to 17:00 in
// the host's time zone, on the next three days.
func (a *app) Slots(ctx context.Context, hostID string) ([]time.Time, error) {
	h, err := a.host(ctx, hostID)
	if err != nil {
		return nil, err
	}
	bs, err := a.Bookings(ctx, hostID)
	if err != nil {
		return nil, err
	}
	taken := map[int64]bool{}
	for _, b := range bs {
		if b.Status == bookingConfirmed {
			taken[b.Start.Unix()] = true
		}
	}
	now := a.clock.Now().In(h.loc)
	var out []time.Time
	for d := 1; d <= 3; d++ {
		day := time.Date(now.Year(), now.Month(), now.Day()+d, 9, 0, 0, 0, h.loc)
		for t := day; t.Hour() < 17; t = t.Add(slotLength * time.Minute) {
			if !taken[t.Unix()] {
				out = append(out, t.UTC())
			}
		}
	}
	return out, nil
}

func (a *app) checkSlot(ctx context.Context, hostID string, start time.Time) error {
	slots, err := a.Slots(ctx, hostID)
	if err != nil {
		return err
	}
	for _, s := range slots {
		if s.Equal(start) {
			return nil
		}
	}
	return errSlotUnavailable
}

var (
	errSlotUnavailable = errors.New("this slot is not available")
	errInvalidInput    = errors.New("invalid booking")
	errBookingClosed   = errors.New("the booking can no longer change")
)

// BookingInput is what a client enters on the booking page.
type BookingInput struct {
	ClientName  string
	ClientEmail string
	Start       time.Time
}

// Book books a slot: with Zoom as the host's default, a Zoom meeting is
// created (POST /users/me/meetings); else, or when the Zoom connection is
// gone or needs reconnecting, the booking gets a built-in call.
func (a *app) Book(ctx context.Context, hostID string, in BookingInput) (*Booking, error) {
	in.ClientName = strings.TrimSpace(in.ClientName)
	if in.ClientName == "" || len(in.ClientName) > 100 || strings.ContainsAny(in.ClientName, "\r\n") {
		return nil, userErr(errInvalidInput, "Enter your name (up to 100 characters).")
	}
	addr, err := mail.ParseAddress(strings.TrimSpace(in.ClientEmail))
	if err != nil {
		return nil, userErr(errInvalidInput, "Enter a valid email address.")
	}
	h, err := a.host(ctx, hostID)
	if err != nil {
		return nil, err
	}
	if err := a.checkSlot(ctx, hostID, in.Start); err != nil {
		return nil, err
	}
	b := &Booking{
		ID: newID("bk_"), HostID: hostID, ClientName: in.ClientName, ClientEmail: addr.Address,
		Start: in.Start.UTC(), DurationMin: slotLength, Status: bookingConfirmed, CreatedAt: a.clock.Now(),
	}
	if err := a.conference(ctx, h, b); err != nil {
		return nil, err
	}
	if err := a.insertBooking(ctx, b); err != nil {
		if b.Conferencing == confZoom {
			a.deleteMeeting(context.WithoutCancel(ctx), hostID, b.ZoomMeetingID) // don't leave an orphan
		}
		return nil, err
	}
	return b, a.mail.Send(ctx, exkit.Email{
		To:      b.ClientEmail,
		Subject: fmt.Sprintf("Booking confirmed: %s with %s", serviceName, h.Name),
		Body:    bookingBody(h, b, "Your booking is confirmed."),
	})
}

// conference gives b its call: a Zoom meeting or a built-in room.
func (a *app) conference(ctx context.Context, h *Host, b *Booking) error {
	builtin := func(note string) error {
		b.Conferencing, b.ZoomMeetingID, b.JoinURL, b.Note = confBuiltin, 0, a.callURL(b.ID), note
		return nil
	}
	kind, err := a.defaultConferencing(ctx, h.ID)
	if err != nil {
		return err
	}
	if kind != confZoom {
		return builtin("")
	}
	conn, err := a.connection(ctx, h.ID)
	if err != nil {
		return err
	}
	if !conn.Usable() {
		return builtin("Zoom needs reconnecting: built-in call used")
	}
	client, _, err := a.zoomFor(conn.TokenKey)
	if err != nil {
		return err
	}
	m, _, err := client.Meetings.Create(ctx, "me", &zoom.CreateMeetingRequest{
		Topic:     fmt.Sprintf("%s: %s with %s", serviceName, h.Name, b.ClientName),
		Type:      zoom.MeetingTypeScheduled,
		StartTime: zoom.NewTime(b.Start),
		Duration:  b.DurationMin,
		Timezone:  h.Timezone,
		Agenda:    "Booked by " + b.ClientName + " <" + b.ClientEmail + ">",
	})
	if errors.Is(err, oauth.ErrReauthorizationRequired) {
		// The TokenSource hook flagged the connection and emailed the host.
		return builtin("Zoom needs reconnecting: built-in call used")
	}
	if err != nil {
		return fmt.Errorf("creating the Zoom meeting: %w", err)
	}
	b.Conferencing, b.ZoomMeetingID, b.JoinURL, b.Note = confZoom, int64(m.ID), m.JoinURL, ""
	return nil
}

// zoomOf returns the client for a host's usable connection, or nil.
func (a *app) zoomOf(ctx context.Context, hostID string) (*zoom.Client, error) {
	conn, err := a.connection(ctx, hostID)
	if err != nil || !conn.Usable() {
		return nil, err
	}
	c, _, err := a.zoomFor(conn.TokenKey)
	return c, err
}

func (a *app) deleteMeeting(ctx context.Context, hostID string, id int64) {
	if c, err := a.zoomOf(ctx, hostID); err == nil && c != nil {
		_, _ = c.Meetings.Delete(ctx, zoom.ID(id), nil)
	}
}

func (a *app) confirmedBooking(ctx context.Context, id string) (*Booking, *Host, error) {
	b, err := a.Booking(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	if b.Status != bookingConfirmed {
		return nil, nil, userErr(errBookingClosed, "This booking is %s: it can no longer change.", b.Status)
	}
	h, err := a.host(ctx, b.HostID)
	return b, h, err
}

// Reschedule moves a booking to another slot; its Zoom meeting follows
// (PATCH /meetings/{id}).
func (a *app) Reschedule(ctx context.Context, id string, start time.Time) (*Booking, error) {
	b, h, err := a.confirmedBooking(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := a.checkSlot(ctx, b.HostID, start); err != nil {
		return nil, err
	}
	b.Start, b.Note = start.UTC(), ""
	if b.Conferencing == confZoom {
		client, err := a.zoomOf(ctx, b.HostID)
		if err != nil {
			return nil, err
		}
		if client == nil {
			b.Note = "Zoom not connected: the Zoom meeting keeps its old time"
		} else {
			_, err := client.Meetings.Update(ctx, zoom.ID(b.ZoomMeetingID), &zoom.UpdateMeetingRequest{
				StartTime: zoom.NewTime(b.Start), Duration: zoom.Ptr(b.DurationMin), Timezone: zoom.Ptr(h.Timezone),
			}, nil)
			switch {
			case errors.Is(err, oauth.ErrReauthorizationRequired):
				b.Note = "Zoom needs reconnecting: the Zoom meeting keeps its old time"
			case err != nil:
				return nil, fmt.Errorf("updating the Zoom meeting: %w", err)
			}
		}
	}
	if err := a.updateBooking(ctx, b); err != nil {
		return nil, err
	}
	return b, a.mail.Send(ctx, exkit.Email{
		To:      b.ClientEmail,
		Subject: fmt.Sprintf("Booking rescheduled: %s with %s", serviceName, h.Name),
		Body:    bookingBody(h, b, "Your booking has moved to a new time."),
	})
}

// Cancel cancels a booking and deletes its Zoom meeting
// (DELETE /meetings/{id}).
func (a *app) Cancel(ctx context.Context, id string) (*Booking, error) {
	b, h, err := a.confirmedBooking(ctx, id)
	if err != nil {
		return nil, err
	}
	b.Status, b.Note = bookingCancelled, ""
	if b.Conferencing == confZoom {
		client, err := a.zoomOf(ctx, b.HostID)
		if err != nil {
			return nil, err
		}
		if client == nil {
			b.Note = "Zoom not connected: the Zoom meeting was left in place"
		} else {
			_, err := client.Meetings.Delete(ctx, zoom.ID(b.ZoomMeetingID), nil)
			switch {
			case errors.Is(err, zoom.ErrNotFound): // already deleted in Zoom
			case errors.Is(err, oauth.ErrReauthorizationRequired):
				b.Note = "Zoom needs reconnecting: the Zoom meeting was left in place"
			case err != nil:
				return nil, fmt.Errorf("deleting the Zoom meeting: %w", err)
			}
		}
	}
	if err := a.updateBooking(ctx, b); err != nil {
		return nil, err
	}
	return b, a.mail.Send(ctx, exkit.Email{
		To:      b.ClientEmail,
		Subject: fmt.Sprintf("Booking cancelled: %s with %s", serviceName, h.Name),
		Body:    fmt.Sprintf("Hi %s,\n\nYour %s with %s on %s is cancelled.\n", b.ClientName, serviceName, h.Name, when(h, b.Start)),
	})
}

func when(h *Host, t time.Time) string {
	return t.In(h.loc).Format("Mon 2 Jan 2006, 15:04 MST")
}

func bookingBody(h *Host, b *Booking, lead string) string {
	call := "Join the call: " + b.JoinURL
	if b.Conferencing == confZoom {
		call = "Join the Zoom meeting: " + b.JoinURL
	}
	return fmt.Sprintf("Hi %s,\n\n%s\n\n%s with %s\n%s (%d minutes)\n%s\n",
		b.ClientName, lead, serviceName, h.Name, when(h, b.Start), b.DurationMin, call)
}
