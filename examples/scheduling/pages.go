package main

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"time"

	"github.com/zoomkit/zoomkit/examples/internal/exkit"
	"github.com/zoomkit/zoomkit/oauth"
)

// pages holds the parsed templates.
type pages struct{ t *template.Template }

// layout is the booking service's look: exkit's shared layout, with the
// host's Dashboard, Scheduling > Conferencing > Manage conferencing, and
// the public booking page in the header.
func layout() exkit.Layout {
	return exkit.Layout{App: "Scheduling", Nav: []exkit.NavLink{
		{Href: "/", Label: "Dashboard"},
		{Href: conferencingPath, Label: "Manage conferencing"},
		{Href: "/book", Label: "Booking page"},
	}}
}

const templates = `{{define "head"}}{{template "top" .Title}}{{with .Crumbs}}<p class="muted crumbs">{{.}}</p>{{end}}<h1>{{.Title}}</h1>{{end}}

{{define "home"}}{{template "head" .}}
{{with .Flash}}<p class="flash">{{.}}</p>{{end}}
<p>Signed in as <b id="account">{{.Host.Name}}</b> ({{.Host.Email}}) · your booking page: <a href="/book?host={{.Host.ID}}">/book?host={{.Host.ID}}</a></p>
<form method="post" action="/account" class="actions"><label>Switch account <select name="account" id="account-select">{{range .Accounts}}<option value="{{.ID}}"{{if eq .ID $.Host.ID}} selected{{end}}>{{.Name}}</option>{{end}}</select></label> <button class="secondary" id="switch">Switch</button></form>
{{$c := .Conn}}
<div class="card" id="conferencing"><h2>Conferencing</h2>
<p id="zoom-status">Zoom: {{if not $c}}Not connected.{{else if $c.Usable}}Connected as {{$c.ZoomEmail}}{{else}}<b>Action required:</b> reconnect Zoom ({{$c.ZoomEmail}}).{{end}}</p>
<p>New bookings get: <b id="effective">{{.Effective}}</b></p>
<p><a href="/scheduling/conferencing">Manage conferencing</a></p></div>
<h2>Bookings</h2>
{{if .Bookings}}<table><tr><th>When</th><th>Client</th><th>Status</th><th>Call</th><th></th></tr>
{{range .Bookings}}<tr><td>{{$.When .Start}}</td><td>{{.ClientName}}</td><td>{{.Status}}</td>
<td>{{if eq .Conferencing "zoom"}}Zoom {{.ZoomMeetingID}}{{else}}built-in{{end}} <a href="{{.JoinURL}}">join</a>{{with .Note}}<br><small>{{.}}</small>{{end}}</td>
<td><a href="/bookings/{{.ID}}">open</a></td></tr>{{end}}</table>
{{else}}<p>No bookings yet.</p>{{end}}
{{if .Fake}}<div class="card"><h2>Embedded fake Zoom</h2><p>What Ada or Zoom would do on Zoom's side:</p>
<div class="actions"><form method="post" action="/fake/revoke"><button class="secondary">Revoke the app's access</button></form>
<form method="post" action="/fake/advance"><button class="secondary">Let two hours pass</button></form>
<form method="post" action="/fake/uninstall"><button class="danger">Uninstall the app</button></form></div></div>{{end}}
{{template "bottom"}}{{end}}

{{define "conferencing"}}{{template "head" .}}
{{with .Flash}}<p class="flash">{{.}}</p>{{end}}
<p class="muted">Signed in as <b>{{.Host.Name}}</b> · <a href="/">Back to the dashboard</a></p>
<p>How your clients meet you. New bookings use the default.</p>
{{$c := .Conn}}
<table><tr><th>Conferencing</th><th>Status</th><th></th></tr>
<tr id="zoom-row"><td><b>Zoom</b>{{if eq .Effective "Zoom meeting"}} <small>(default)</small>{{end}}</td>
<td id="zoom-status">{{if not $c}}Not connected.{{else if $c.Usable}}Connected as <b id="zoom-email">{{$c.ZoomEmail}}</b>{{else}}<b>Action required:</b> Zoom no longer accepts our access to <b id="zoom-email">{{$c.ZoomEmail}}</b>.
New bookings get a built-in call until you reconnect.{{end}}</td>
<td><div class="actions">{{if not $c}}<form method="get" action="{{.ConnectPath}}"><button id="connect">Connect</button></form>
{{else}}{{if not $c.Usable}}<form method="get" action="{{.ConnectPath}}"><button id="reconnect">Reconnect</button></form>
{{end}}<form method="post" action="/zoom/disconnect"><button class="danger" id="disconnect">Disconnect</button></form>
{{if and $c.Usable (ne .Default "zoom")}}<form method="post" action="/settings"><input type="hidden" name="conferencing" value="zoom"><button class="secondary" id="default-zoom">Make default</button></form>{{end}}{{end}}</div></td></tr>
<tr><td><b>Built-in calls</b>{{if eq .Effective "built-in call"}} <small>(default)</small>{{end}}</td>
<td>Always available: each booking gets a call page on this site.</td>
<td><div class="actions">{{if ne .Default "builtin"}}<form method="post" action="/settings"><input type="hidden" name="conferencing" value="builtin"><button class="secondary" id="default-builtin">Make default</button></form>{{end}}</div></td></tr></table>
<p>New bookings get: <b id="effective">{{.Effective}}</b></p>
<p class="muted"><small>Disconnect removes Zoom from this account only; to remove the app from Zoom, uninstall it in Zoom's App Marketplace.</small></p>
{{template "bottom"}}{{end}}

{{define "call"}}{{template "head" .}}
{{with .B}}<p>{{$.Service}} with {{$.Host.Name}} and <b>{{.ClientName}}</b>, {{$.When .Start}} ({{.DurationMin}} minutes).</p>
{{if eq .Status "cancelled"}}<p class="err">This booking is cancelled.</p>
{{else if eq .Conferencing "zoom"}}<p>This session is a Zoom meeting: <a href="{{.JoinURL}}">join it on Zoom</a>.</p>
{{else}}<div class="card"><p>The call opens here at the booked time. (The example's stand-in for a video room.)</p></div>{{end}}
<p><a href="/bookings/{{.ID}}">Back to the booking</a></p>{{end}}
{{template "bottom"}}{{end}}

{{define "book"}}{{template "head" .}}
{{with .Error}}<p class="err">{{.}}</p>{{end}}
<p>Book a {{.Minutes}}-minute {{.Service}} with {{.Host.Name}} (times in {{.Host.Timezone}}).</p>
<form method="post" action="/book"><input type="hidden" name="host" value="{{.Host.ID}}">
<p><label>Your name <input id="name" name="name" required maxlength="100"></label></p>
<p><label>Your email <input id="email" name="email" type="email" required></label></p>
<p><label>Time <select id="start" name="start">{{range .Slots}}<option value="{{.Unix}}">{{$.When .}}</option>{{end}}</select></label></p>
<p><button id="book">Book</button></p></form>
{{template "bottom"}}{{end}}

{{define "booking"}}{{template "head" .}}
{{with .Error}}<p class="err">{{.}}</p>{{end}}
{{with .B}}<p>{{$.Service}} with {{$.Host.Name}} for <b>{{.ClientName}}</b> &lt;{{.ClientEmail}}&gt;</p>
<p>When: <b>{{$.When .Start}}</b> ({{.DurationMin}} minutes) · status: <b id="status">{{.Status}}</b></p>
<p>Call: <span id="call-kind">{{if eq .Conferencing "zoom"}}Zoom meeting {{.ZoomMeetingID}}{{else}}built-in call{{end}}</span> · <a id="join" href="{{.JoinURL}}">{{.JoinURL}}</a></p>
{{with .Note}}<p><small>{{.}}</small></p>{{end}}
{{if eq .Status "confirmed"}}
<div class="actions"><form method="post" action="/bookings/{{.ID}}/reschedule"><select name="start">{{range $.Slots}}<option value="{{.Unix}}">{{$.When .}}</option>{{end}}</select>
<button class="secondary" id="reschedule">Reschedule</button></form>
<form method="post" action="/bookings/{{.ID}}/cancel"><button class="danger" id="cancel">Cancel booking</button></form></div>{{end}}{{end}}
<p><a href="/">Back to the dashboard</a></p>
{{template "bottom"}}{{end}}

{{define "error"}}{{template "head" .}}<p class="err">{{.Error}}</p><p><a href="/">Back to the dashboard</a></p>{{template "bottom"}}{{end}}`

func newPages() (*pages, error) {
	return &pages{t: layout().Parse(templates, nil)}, nil
}

// view is what every page gets.
type view struct {
	Title       string
	Crumbs      string
	Host        *Host
	Flash       string
	Error       string
	ConnectPath string
	Service     string
	Minutes     int
	Conn        *Connection
	Default     string
	Effective   string
	Bookings    []*Booking
	B           *Booking
	Slots       []time.Time
	Fake        bool
	Accounts    []Host
}

// When formats a time in the host's zone.
func (v *view) When(t time.Time) string { return when(v.Host, t) }

func (a *app) render(w http.ResponseWriter, r *http.Request, status int, name string, v *view) {
	var buf bytes.Buffer
	if err := a.pages.t.ExecuteTemplate(&buf, name, v); err != nil {
		a.log.ErrorContext(r.Context(), "rendering", "page", name, "error", err)
		http.Error(w, "This page could not be shown. Reload it; if it keeps failing, contact support.", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// userError is a refusal of the app's own, whose text is a sentence for
// the host or the client: what is wrong and what to do. kind is one of the
// app's sentinel errors (errInvalidInput, errSlotUnavailable...).
type userError struct {
	kind error
	msg  string
}

func (e *userError) Error() string { return e.msg }
func (e *userError) Unwrap() error { return e.kind }

func userErr(kind error, format string, args ...any) error {
	return &userError{kind: kind, msg: fmt.Sprintf(format, args...)}
}

// Sentences for the app's own failures.
const (
	msgNotConnected = "Zoom is not connected to this account: connect Zoom first, on Manage conferencing."
	msgSlotTaken    = "This time is not available any more: choose another one."
	msgNoBooking    = "There is no such booking: check the link in your confirmation email."
	msgAppTrouble   = "Something went wrong on our side and this was not done. Try again in a moment; if it keeps failing, contact the host."
)

// explain is the one place that turns a failure into what a person reads
// and the page's status: the app's own refusals say their sentence; Zoom's
// failures (a dead grant, limits, Zoom down, the network) get exkit's
// sentences; anything else is the app's own trouble. No Go error chain and
// no text of Zoom's reaches a page: the details go to the log.
func explain(err error) exkit.Problem {
	status := func(kind error) int {
		switch {
		case errors.Is(kind, errNoBooking):
			return http.StatusNotFound
		case errors.Is(kind, errSlotUnavailable), errors.Is(kind, errBookingClosed):
			return http.StatusConflict
		}
		return http.StatusBadRequest
	}
	var ue *userError
	switch {
	case errors.As(err, &ue):
		return exkit.Problem{Status: status(ue.kind), Message: ue.msg}
	case errors.Is(err, errSlotUnavailable):
		return exkit.Problem{Status: http.StatusConflict, Message: msgSlotTaken}
	case errors.Is(err, errNoBooking):
		return exkit.Problem{Status: http.StatusNotFound, Message: msgNoBooking}
	case errors.Is(err, exkit.ErrNotConnected) && !errors.Is(err, oauth.ErrReauthorizationRequired):
		return exkit.Problem{Status: http.StatusConflict, Message: msgNotConnected}
	}
	if p, ok := exkit.ExplainZoom(err); ok {
		return p
	}
	return exkit.Problem{Status: http.StatusInternalServerError, Message: msgAppTrouble}
}

// fail logs the failure with its details and shows the sentence explain
// gives for it.
func (a *app) fail(w http.ResponseWriter, r *http.Request, err error) {
	p := explain(err)
	a.log.Log(r.Context(), p.Level(), "request failed", "path", r.URL.Path, "account", a.account(r), "status", p.Status, "error", err)
	a.show(w, r, p)
}

// show renders the error page with p's sentence.
func (a *app) show(w http.ResponseWriter, r *http.Request, p exkit.Problem) {
	h, _ := a.host(r.Context(), a.account(r))
	if h == nil {
		d := defaultHost()
		h = &d
	}
	a.render(w, r, p.Status, "error", &view{Title: "That did not work", Host: h, Error: p.Message})
}

func flash(done string) string {
	switch done {
	case "connected":
		return "Zoom is connected."
	case "disconnected":
		return "Zoom is disconnected from this account. New bookings get built-in calls; your existing Zoom meetings are unchanged."
	case "settings":
		return "Settings saved."
	case "revoke":
		return "Fake Zoom: the app's access was revoked. The next token refresh will fail (let two hours pass, then book)."
	case "advance":
		return "Fake Zoom: two hours passed."
	case "uninstall":
		return "Fake Zoom: the app was uninstalled and app_deauthorized delivered."
	}
	return ""
}

// home is the host's dashboard.
func (a *app) home(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	h, err := a.host(ctx, a.account(r))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	v := &view{Title: "Dashboard", Host: h, ConnectPath: exkit.ConnectPath, Flash: flash(r.URL.Query().Get("done")), Fake: a.fake != nil, Accounts: []Host{defaultHost(), teamHost()}}
	if err := a.conferencingView(r, v); err != nil {
		a.fail(w, r, err)
		return
	}
	if v.Bookings, err = a.Bookings(ctx, h.ID); err != nil {
		a.fail(w, r, err)
		return
	}
	a.render(w, r, http.StatusOK, "home", v)
}

// conferencingView fills in the account's Zoom connection and default.
func (a *app) conferencingView(r *http.Request, v *view) error {
	var err error
	if v.Conn, err = a.connection(r.Context(), v.Host.ID); err != nil {
		return err
	}
	if v.Default, err = a.defaultConferencing(r.Context(), v.Host.ID); err != nil {
		return err
	}
	v.Effective = "built-in call"
	if v.Default == confZoom && v.Conn.Usable() {
		v.Effective = "Zoom meeting"
	}
	return nil
}

// conferencingPage is Scheduling > Conferencing > Manage conferencing:
// Connect, Disconnect, Reconnect and Make default.
func (a *app) conferencingPage(w http.ResponseWriter, r *http.Request) {
	h, err := a.host(r.Context(), a.account(r))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	v := &view{Title: "Manage conferencing", Crumbs: "Scheduling › Conferencing", Host: h, ConnectPath: exkit.ConnectPath, Flash: flash(r.URL.Query().Get("done"))}
	if err := a.conferencingView(r, v); err != nil {
		a.fail(w, r, err)
		return
	}
	a.render(w, r, http.StatusOK, "conferencing", v)
}

// callPage is a booking's built-in call: the link clients get is the
// app's own page.
func (a *app) callPage(w http.ResponseWriter, r *http.Request) {
	b, err := a.Booking(r.Context(), r.PathValue("id"))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	v, err := a.bookView(r, b.HostID, "Built-in call")
	if err != nil {
		a.fail(w, r, err)
		return
	}
	v.B = b
	a.render(w, r, http.StatusOK, "call", v)
}

func (a *app) postSettings(w http.ResponseWriter, r *http.Request) {
	if err := a.SetDefaultConferencing(r.Context(), a.account(r), r.PostFormValue("conferencing")); err != nil {
		a.fail(w, r, err)
		return
	}
	http.Redirect(w, r, conferencingPath+"?done=settings", http.StatusSeeOther)
}

func (a *app) postDisconnect(w http.ResponseWriter, r *http.Request) {
	if err := a.Disconnect(r.Context(), a.account(r)); err != nil {
		a.fail(w, r, err)
		return
	}
	http.Redirect(w, r, conferencingPath+"?done=disconnected", http.StatusSeeOther)
}

// postAccount switches the signed-in scheduling account (the example's
// stand-in for a login).
func (a *app) postAccount(w http.ResponseWriter, r *http.Request) {
	h, err := a.host(r.Context(), r.PostFormValue("account"))
	if err != nil {
		a.fail(w, r, userErr(errInvalidInput, "There is no such account: choose one from the list."))
		return
	}
	http.SetCookie(w, &http.Cookie{Name: accountCookie, Value: h.ID, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode})
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

// bookHost is the account whose public booking page r asks for (?host=),
// the default account without one.
func (a *app) bookHost(r *http.Request) string {
	if id := r.FormValue("host"); id != "" {
		if h, err := a.host(r.Context(), id); err == nil {
			return h.ID
		}
	}
	return a.hostID
}

func (a *app) bookView(r *http.Request, hostID, title string) (*view, error) {
	h, err := a.host(r.Context(), hostID)
	if err != nil {
		return nil, err
	}
	slots, err := a.Slots(r.Context(), h.ID)
	if err != nil {
		return nil, err
	}
	return &view{Title: title, Host: h, Service: serviceName, Minutes: slotLength, Slots: slots}, nil
}

// bookPage is the public booking page.
func (a *app) bookPage(w http.ResponseWriter, r *http.Request) {
	v, err := a.bookView(r, a.bookHost(r), "Book "+a.hostName(r))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	a.render(w, r, http.StatusOK, "book", v)
}

func (a *app) hostName(r *http.Request) string {
	if h, err := a.host(r.Context(), a.bookHost(r)); err == nil {
		return h.Name
	}
	return ""
}

func formTime(r *http.Request) (time.Time, error) {
	n, err := strconv.ParseInt(r.PostFormValue("start"), 10, 64)
	if err != nil {
		return time.Time{}, errSlotUnavailable
	}
	return time.Unix(n, 0).UTC(), nil
}

func (a *app) postBook(w http.ResponseWriter, r *http.Request) {
	start, err := formTime(r)
	if err == nil {
		var b *Booking
		b, err = a.Book(r.Context(), a.bookHost(r), BookingInput{ClientName: r.PostFormValue("name"), ClientEmail: r.PostFormValue("email"), Start: start})
		if b != nil {
			// Booked (even if the confirmation email failed).
			http.Redirect(w, r, "/bookings/"+b.ID, http.StatusSeeOther)
			return
		}
	}
	if errors.Is(err, errInvalidInput) || errors.Is(err, errSlotUnavailable) {
		v, verr := a.bookView(r, a.bookHost(r), "Book "+a.hostName(r))
		if verr != nil {
			a.fail(w, r, verr)
			return
		}
		v.Error = explain(err).Message
		a.render(w, r, http.StatusBadRequest, "book", v)
		return
	}
	a.fail(w, r, err)
}

func (a *app) bookingPage(w http.ResponseWriter, r *http.Request) {
	b, err := a.Booking(r.Context(), r.PathValue("id"))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	v, err := a.bookView(r, b.HostID, "Booking")
	if err != nil {
		a.fail(w, r, err)
		return
	}
	v.B = b
	a.render(w, r, http.StatusOK, "booking", v)
}

func (a *app) postReschedule(w http.ResponseWriter, r *http.Request) {
	start, err := formTime(r)
	if err == nil {
		_, err = a.Reschedule(r.Context(), r.PathValue("id"), start)
	}
	if err != nil {
		a.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/bookings/"+r.PathValue("id"), http.StatusSeeOther)
}

func (a *app) postCancel(w http.ResponseWriter, r *http.Request) {
	if _, err := a.Cancel(r.Context(), r.PathValue("id")); err != nil {
		a.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/bookings/"+r.PathValue("id"), http.StatusSeeOther)
}

// postFake runs the fake Zoom's simulation helpers (offline -serve only).
func (a *app) postFake(w http.ResponseWriter, r *http.Request) {
	action := r.PathValue("action")
	switch action {
	case "revoke":
		a.fake.RevokeAll()
	case "advance":
		a.clock.Advance(2 * time.Hour)
	case "uninstall":
		c, err := a.connection(r.Context(), a.account(r))
		if err == nil && c == nil {
			err = exkit.ErrNotConnected
		}
		if err == nil {
			err = a.fake.Uninstall(c.ZoomUserID)
		}
		if err != nil {
			a.fail(w, r, err)
			return
		}
	default:
		http.NotFound(w, r)
		return
	}
	http.Redirect(w, r, "/?done="+action, http.StatusSeeOther)
}
