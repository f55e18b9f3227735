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
)

// pages holds the parsed templates.
type pages struct{ t *template.Template }

const layout = `{{define "top"}}<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{.Title}} · scheduling</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.3rem;text-align:left}
.box{border:1px solid #ccc;border-radius:6px;padding:.5rem 1rem;margin:1rem 0}.warn{border-color:#c60;background:#fff4e5}
.flash{background:#eef9ee;padding:.5rem 1rem}.err{background:#fdecec;padding:.5rem 1rem}form{display:inline}</style>
</head><body>{{with .Crumbs}}<p class="crumbs">{{.}}</p>{{end}}<h1>{{.Title}}</h1>{{end}}
{{define "bottom"}}</body></html>{{end}}

{{define "home"}}{{template "top" .}}
{{with .Flash}}<p class="flash">{{.}}</p>{{end}}
<p>Signed in as <b id="account">{{.Host.Name}}</b> ({{.Host.Email}}) · your booking page: <a href="/book?host={{.Host.ID}}">/book?host={{.Host.ID}}</a></p>
<form method="post" action="/account"><label>Switch account <select name="account">{{range .Accounts}}<option value="{{.ID}}"{{if eq .ID $.Host.ID}} selected{{end}}>{{.Name}}</option>{{end}}</select></label> <button>Switch</button></form>
{{$c := .Conn}}
<div class="box{{if and $c (not $c.Usable)}} warn{{end}}"><h2>Conferencing</h2>
<p>Zoom: {{if not $c}}Not connected.{{else if $c.Usable}}Connected as {{$c.ZoomEmail}}{{else}}<b>Action required:</b> reconnect Zoom ({{$c.ZoomEmail}}).{{end}}</p>
<p>New bookings get: <b id="effective">{{.Effective}}</b></p>
<p><a href="/scheduling/conferencing">Manage conferencing</a></p></div>
<h2>Bookings</h2>
{{if .Bookings}}<table><tr><th>When</th><th>Client</th><th>Status</th><th>Call</th><th></th></tr>
{{range .Bookings}}<tr><td>{{$.When .Start}}</td><td>{{.ClientName}}</td><td>{{.Status}}</td>
<td>{{if eq .Conferencing "zoom"}}Zoom {{.ZoomMeetingID}}{{else}}built-in{{end}} <a href="{{.JoinURL}}">join</a>{{with .Note}}<br><small>{{.}}</small>{{end}}</td>
<td><a href="/bookings/{{.ID}}">open</a></td></tr>{{end}}</table>
{{else}}<p>No bookings yet.</p>{{end}}
{{if .Fake}}<div class="box"><h2>Embedded fake Zoom</h2><p>What Ada or Zoom would do on Zoom's side:</p>
<form method="post" action="/fake/revoke"><button>Revoke the app's access</button></form>
<form method="post" action="/fake/advance"><button>Let two hours pass</button></form>
<form method="post" action="/fake/uninstall"><button>Uninstall the app</button></form></div>{{end}}
{{template "bottom"}}{{end}}

{{define "conferencing"}}{{template "top" .}}
{{with .Flash}}<p class="flash">{{.}}</p>{{end}}
<p>Signed in as <b>{{.Host.Name}}</b> · <a href="/">Dashboard</a></p>
<p>How your clients meet you. New bookings use the default.</p>
{{$c := .Conn}}
<table><tr><th>Conferencing</th><th>Status</th><th></th></tr>
<tr{{if and $c (not $c.Usable)}} class="warn"{{end}}><td><b>Zoom</b>{{if eq .Effective "Zoom meeting"}} <small>(default)</small>{{end}}</td>
<td>{{if not $c}}Not connected.{{else if $c.Usable}}Connected as <b id="zoom-email">{{$c.ZoomEmail}}</b>{{else}}<b>Action required:</b> Zoom no longer accepts our access to <b id="zoom-email">{{$c.ZoomEmail}}</b>.
New bookings get a built-in call until you reconnect.{{with $c.StatusReason}} (Zoom said: {{.}}){{end}}{{end}}</td>
<td>{{if not $c}}<form method="get" action="{{.ConnectPath}}"><button>Connect</button></form>
{{else}}{{if not $c.Usable}}<form method="get" action="{{.ConnectPath}}"><button>Reconnect</button></form>
{{end}}<form method="post" action="/zoom/disconnect"><button>Disconnect</button></form>
{{if and $c.Usable (ne .Default "zoom")}}<form method="post" action="/settings"><input type="hidden" name="conferencing" value="zoom"><button>Make default</button></form>{{end}}{{end}}</td></tr>
<tr><td><b>Built-in calls</b>{{if eq .Effective "built-in call"}} <small>(default)</small>{{end}}</td>
<td>Always available: each booking gets a call page on this site.</td>
<td>{{if ne .Default "builtin"}}<form method="post" action="/settings"><input type="hidden" name="conferencing" value="builtin"><button>Make default</button></form>{{end}}</td></tr></table>
<p>New bookings get: <b id="effective">{{.Effective}}</b></p>
<p><small>Disconnect removes Zoom from this account only; to remove the app from Zoom, uninstall it in Zoom's App Marketplace.</small></p>
{{template "bottom"}}{{end}}

{{define "call"}}{{template "top" .}}
{{with .B}}<p>{{$.Service}} with {{$.Host.Name}} and <b>{{.ClientName}}</b>, {{$.When .Start}} ({{.DurationMin}} minutes).</p>
{{if eq .Status "cancelled"}}<p class="err">This booking is cancelled.</p>
{{else if eq .Conferencing "zoom"}}<p>This session is a Zoom meeting: <a href="{{.JoinURL}}">join it on Zoom</a>.</p>
{{else}}<div class="box"><p>The call opens here at the booked time. (The example's stand-in for a video room.)</p></div>{{end}}
<p><a href="/bookings/{{.ID}}">Booking</a></p>{{end}}
{{template "bottom"}}{{end}}

{{define "book"}}{{template "top" .}}
{{with .Error}}<p class="err">{{.}}</p>{{end}}
<p>Book a {{.Minutes}}-minute {{.Service}} with {{.Host.Name}} (times in {{.Host.Timezone}}).</p>
<form method="post" action="/book"><input type="hidden" name="host" value="{{.Host.ID}}">
<p><label>Your name <input name="name" required maxlength="100"></label></p>
<p><label>Your email <input name="email" type="email" required></label></p>
<p><label>Time <select name="start">{{range .Slots}}<option value="{{.Unix}}">{{$.When .}}</option>{{end}}</select></label></p>
<p><button>Book</button></p></form>
{{template "bottom"}}{{end}}

{{define "booking"}}{{template "top" .}}
{{with .Error}}<p class="err">{{.}}</p>{{end}}
{{with .B}}<p>{{$.Service}} with {{$.Host.Name}} for <b>{{.ClientName}}</b> &lt;{{.ClientEmail}}&gt;</p>
<p>When: <b>{{$.When .Start}}</b> ({{.DurationMin}} minutes) · status: <b id="status">{{.Status}}</b></p>
<p>Call: {{if eq .Conferencing "zoom"}}Zoom meeting {{.ZoomMeetingID}}{{else}}built-in call{{end}} · <a id="join" href="{{.JoinURL}}">{{.JoinURL}}</a></p>
{{with .Note}}<p><small>{{.}}</small></p>{{end}}
{{if eq .Status "confirmed"}}
<form method="post" action="/bookings/{{.ID}}/reschedule"><select name="start">{{range $.Slots}}<option value="{{.Unix}}">{{$.When .}}</option>{{end}}</select>
<button>Reschedule</button></form>
<form method="post" action="/bookings/{{.ID}}/cancel"><button>Cancel booking</button></form>{{end}}{{end}}
<p><a href="/">Dashboard</a></p>
{{template "bottom"}}{{end}}

{{define "error"}}{{template "top" .}}<p class="err">{{.Error}}</p><p><a href="/">Back</a></p>{{template "bottom"}}{{end}}`

func newPages() (*pages, error) {
	t, err := template.New("pages").Parse(layout)
	if err != nil {
		return nil, err
	}
	return &pages{t: t}, nil
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
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

func (a *app) fail(w http.ResponseWriter, r *http.Request, err error) {
	status := http.StatusInternalServerError
	switch {
	case errors.Is(err, errInvalidInput):
		status = http.StatusBadRequest
	case errors.Is(err, errNoBooking):
		status = http.StatusNotFound
	case errors.Is(err, errSlotUnavailable), errors.Is(err, exkit.ErrNotConnected), errors.Is(err, errBookingClosed):
		status = http.StatusConflict
	default:
		a.log.ErrorContext(r.Context(), "request failed", "path", r.URL.Path, "error", err)
	}
	h, _ := a.host(r.Context(), a.account(r))
	a.render(w, r, status, "error", &view{Title: "Something went wrong", Host: h, Error: err.Error()})
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
		a.fail(w, r, fmt.Errorf("%w: no such account", errInvalidInput))
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
		v.Error = err.Error()
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
