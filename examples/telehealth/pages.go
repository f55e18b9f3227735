package main

import (
	"bytes"
	"errors"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/zoomkit/zoomkit/examples/internal/exkit"
	"github.com/zoomkit/zoomkit/oauth"
	"github.com/zoomkit/zoomkit/zoom"
)

// pages renders the app's HTML (html/template escapes every value).
type pages struct{ t *template.Template }

// layout is the EHR's look: exkit's shared layout, with the connected
// providers and Connect Zoom in the header.
func layout() exkit.Layout {
	return exkit.Layout{App: "Telehealth", Nav: []exkit.NavLink{
		{Href: "/", Label: "Providers"},
		{Href: exkit.ConnectPath, Label: "Connect Zoom"},
	}}
}

const templates = `{{define "home"}}{{template "top" "Providers"}}
<h1>Telehealth visits over Zoom</h1>
<p><a class="button" id="connect" href="` + exkit.ConnectPath + `">Connect Zoom</a></p>
<h2>Connected providers</h2>
{{if .}}<ul id="providers">{{range .}}<li><a href="/providers/{{.ID}}">{{.Email}}</a> (connected {{.ConnectedAt.Format "2006-01-02 15:04 MST"}})</li>{{end}}</ul>
{{else}}<p class="muted" id="no-providers">No provider has connected Zoom yet.</p>{{end}}
{{template "bottom"}}{{end}}

{{define "provider"}}{{template "top" .Provider.Email}}
<h1 id="provider">{{.Provider.Email}}</h1>
<div class="card" id="zoom-connection"><h2>Zoom connection</h2>
<p><span class="badge ok">Connected</span> Zoom is connected: visits you schedule are Zoom meetings that you host. ` + signInAdvice + `</p>
<p><strong>To disconnect Zoom:</strong> ` + disconnectPath + ` Zoom then tells us, and we delete your Zoom connection and the visit details we kept.</p></div>
<h2>Upcoming visits</h2>
{{if .Visits}}<table id="visits"><tr><th>When (UTC)</th><th>Visit</th><th>Patients</th><th></th></tr>
{{range .Visits}}<tr><td>{{.Start.Format "2006-01-02 15:04"}} · {{.Duration}} min</td>
<td><a href="/providers/{{$.Provider.ID}}/visits/{{.MeetingID}}">{{.Topic}}</a></td>
<td>{{range $i, $p := .Patients}}{{if $i}}, {{end}}{{$p.Name}}{{end}}</td>
<td><form method="post" action="/providers/{{$.Provider.ID}}/visits/{{.MeetingID}}/delete"><button class="danger">Delete</button></form></td></tr>{{end}}
</table>{{else}}<p class="muted" id="no-visits">No upcoming visits.</p>{{end}}

<h2>Find a patient</h2>
<form method="get" action="/providers/{{.Provider.ID}}" class="actions"><input id="q" name="q" value="{{.Query}}" placeholder="name or email"> <button id="search">Search patients and Zoom contacts</button></form>
<p class="muted"><small>Your patients in the EHR come first; colleagues in your Zoom account's contacts after them.</small></p>
{{if .Query}}{{if .Found}}<ul id="found">{{range .Found}}<li>{{.Name}} &lt;{{.Email}}&gt; · {{.Source}}</li>{{end}}</ul>{{else}}<p class="muted" id="found">Nobody matches {{.Query}}.</p>{{end}}{{end}}

<h2>Schedule a visit</h2>
<form method="post" action="/providers/{{.Provider.ID}}/visits" class="card" id="schedule">
<label>Title <input id="topic" name="topic" required value="Telehealth visit"></label>
<label>Start (UTC) <input id="start" type="datetime-local" name="start" required value="{{.DefaultStart}}"></label>
<label>Duration (min) <input id="duration" type="number" name="duration" min="5" max="240" value="30"></label>
<label>Invitees: patients or Zoom contacts (names or emails, one per line; each gets the invitation by email) <textarea id="patients" name="patients" rows="3" cols="40" required></textarea></label>
<p><button id="schedule-visit">Schedule in Zoom</button></p>
</form>
{{if .Offline}}<div class="card"><h2>Embedded fake Zoom</h2>
<form method="post" action="/fake-zoom/uninstall/{{.Provider.ID}}"><button class="danger" id="remove-app">Remove the app from Zoom (as in Zoom's Marketplace)</button></form></div>{{end}}
<p><a href="/">Back to the providers</a></p>
{{template "bottom"}}{{end}}

{{define "visit"}}{{template "top" .Visit.Topic}}
<h1 id="visit-topic">{{.Visit.Topic}}</h1>
<p><a href="/providers/{{.Provider.ID}}">Back to {{.Provider.Email}}</a></p>
<table>
<tr><th>Zoom meeting</th><td>{{.Visit.MeetingID}}</td></tr>
<tr><th>Starts (UTC)</th><td>{{.Visit.Start.Format "2006-01-02 15:04"}} · {{.Visit.Duration}} min</td></tr>
{{if .Visit.StartURL}}<tr><th>Start as host</th><td><a class="button" id="start-visit" href="{{.Visit.StartURL.Reveal}}" rel="noreferrer" target="_blank">Start visit as host</a>
<br><small>This link opens Zoom signed in as you, the host. It is for you only: do not share it. Patients use the join link.</small></td></tr>{{end}}
<tr><th>Join link (patients)</th><td><a id="join-link" href="{{.Visit.JoinURL}}">{{.Visit.JoinURL}}</a></td></tr>
<tr><th>Patients</th><td>{{range $i, $p := .Visit.Patients}}{{if $i}}, {{end}}{{$p.Name}}{{end}}</td></tr>
<tr><th>Invitees in Zoom</th><td id="invitees">{{range $i, $e := .Visit.Invitees}}{{if $i}}, {{end}}{{$e}}{{end}}</td></tr>
</table>
<form method="post" action="/providers/{{.Provider.ID}}/visits/{{.Visit.MeetingID}}/delete"><button class="danger" id="delete-visit">Delete visit</button></form>
{{template "bottom"}}{{end}}

{{define "error"}}{{template "top" "That did not work"}}
<h1>That did not work</h1><p class="err" id="error">{{.}}</p>
<p><a href="/">Back to the providers</a> · <a href="` + exkit.ConnectPath + `">Connect Zoom</a></p>
{{template "bottom"}}{{end}}`

// What the provider is told after connecting: how to sign in to Zoom, and
// where and how to remove the app (which deauthorizes it).
const (
	signInAdvice   = "Sign in to Zoom with your email and password (the Zoom account you connected) to start your visits."
	disconnectPath = "Sign in to Zoom with your email and password, open the Zoom App Marketplace, click Manage > Added Apps (Installed Apps), find Telehealth and click Remove."
)

func newPages() (*pages, error) {
	return &pages{t: layout().Parse(templates, nil)}, nil
}

func (p *pages) render(w http.ResponseWriter, status int, name string, data any) {
	var b bytes.Buffer
	if err := p.t.ExecuteTemplate(&b, name, data); err != nil {
		http.Error(w, "This page could not be shown. Reload it; if it keeps failing, contact support.", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = b.WriteTo(w)
}

func (p *pages) fail(w http.ResponseWriter, status int, msg string) {
	p.render(w, status, "error", msg)
}

// Sentences for the app's own failures.
const (
	msgNoProvider = "This provider has not connected Zoom (or removed the app from Zoom). Connect Zoom to schedule visits."
	msgNoVisit    = "Zoom has no such visit any more: it may have been deleted in Zoom."
	msgAppTrouble = "Something went wrong on our side and this was not done. Try again in a moment; if it keeps failing, contact the clinic's support."
)

// explain is the one place that turns a failure into what the provider
// reads and the page's status: a correction to make (errInput) says its
// sentence; Zoom's failures (a dead grant, limits, Zoom down, the network)
// get exkit's sentences; anything else is the EHR's own trouble. No Go
// error chain and no text of Zoom's reaches a page: the details go to the
// log.
func explain(err error) exkit.Problem {
	var in *errInput
	switch {
	case errors.As(err, &in):
		return exkit.Problem{Status: http.StatusBadRequest, Message: in.msg}
	case errors.Is(err, oauth.ErrReauthorizationRequired):
		return exkit.Problem{Status: http.StatusConflict, Message: exkit.MsgReconnect}
	case errors.Is(err, exkit.ErrNotConnected):
		return exkit.Problem{Status: http.StatusNotFound, Message: msgNoProvider}
	case errors.Is(err, zoom.ErrNotFound):
		return exkit.Problem{Status: http.StatusNotFound, Message: msgNoVisit}
	}
	if p, ok := exkit.ExplainZoom(err); ok {
		return p
	}
	return exkit.Problem{Status: http.StatusInternalServerError, Message: msgAppTrouble}
}

// failErr logs an action's failure with its details and answers with the
// sentence and status explain gives for it.
func (a *app) failErr(w http.ResponseWriter, r *http.Request, err error) {
	p := explain(err)
	a.slog.Log(r.Context(), p.Level(), "request failed", "path", r.URL.Path, "status", p.Status, "error", err)
	a.pages.fail(w, p.Status, p.Message)
}

func (a *app) handleHome(w http.ResponseWriter, r *http.Request) {
	ps, err := a.providers(r.Context())
	if err != nil {
		a.failErr(w, r, err)
		return
	}
	a.pages.render(w, http.StatusOK, "home", ps)
}

func (a *app) handleProvider(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p, err := a.provider(ctx, r.PathValue("id"))
	if err != nil {
		a.failErr(w, r, err)
		return
	}
	data := struct {
		Provider     *provider
		Visits       []visit
		Query        string
		Found        []patient
		DefaultStart string
		Offline      bool
	}{Provider: p, Query: strings.TrimSpace(r.URL.Query().Get("q")), Offline: a.env.Fake != nil}
	data.DefaultStart = a.now().UTC().Add(24 * time.Hour).Truncate(time.Hour).Format("2006-01-02T15:04")
	if data.Visits, err = a.upcomingVisits(ctx, p.ID); err != nil {
		a.failErr(w, r, err)
		return
	}
	if data.Query != "" {
		if data.Found, err = a.searchPatients(ctx, p.ID, data.Query); err != nil {
			a.failErr(w, r, err)
			return
		}
	}
	a.pages.render(w, http.StatusOK, "provider", data)
}

func (a *app) handleSchedule(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		a.pages.fail(w, http.StatusBadRequest, "The form could not be read: reload the page and try again.")
		return
	}
	req := visitRequest{Topic: r.PostForm.Get("topic")}
	start, err := time.ParseInLocation("2006-01-02T15:04", r.PostForm.Get("start"), time.UTC)
	if err != nil {
		a.pages.fail(w, http.StatusBadRequest, "The start time must look like 2026-01-31T14:30.")
		return
	}
	req.Start = start
	if req.Duration, err = strconv.Atoi(r.PostForm.Get("duration")); err != nil {
		a.pages.fail(w, http.StatusBadRequest, "The duration must be a number of minutes.")
		return
	}
	for _, line := range strings.FieldsFunc(r.PostForm.Get("patients"), func(c rune) bool { return c == '\n' || c == ';' }) {
		if s := strings.TrimSpace(line); s != "" {
			req.Patients = append(req.Patients, s)
		}
	}
	if _, err := a.scheduleVisit(r.Context(), id, req); err != nil {
		a.failErr(w, r, err)
		return
	}
	http.Redirect(w, r, "/providers/"+id, http.StatusSeeOther)
}

func (a *app) handleVisit(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p, err := a.provider(ctx, r.PathValue("id"))
	if err != nil {
		a.failErr(w, r, err)
		return
	}
	mid, err := strconv.ParseInt(r.PathValue("meeting"), 10, 64)
	if err != nil || mid <= 0 {
		a.pages.fail(w, http.StatusNotFound, "There is no such visit.")
		return
	}
	v, err := a.visitDetails(ctx, p.ID, mid)
	if err != nil {
		a.failErr(w, r, err)
		return
	}
	// The page holds the host's start link: keep it out of caches and
	// out of the Referer of the links it opens.
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Referrer-Policy", "no-referrer")
	a.pages.render(w, http.StatusOK, "visit", struct {
		Provider *provider
		Visit    *visit
	}{p, v})
}

func (a *app) handleDelete(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	mid, err := strconv.ParseInt(r.PathValue("meeting"), 10, 64)
	if err != nil || mid <= 0 {
		a.pages.fail(w, http.StatusNotFound, "There is no such visit.")
		return
	}
	if err := a.deleteVisit(r.Context(), id, mid); err != nil {
		a.failErr(w, r, err)
		return
	}
	http.Redirect(w, r, "/providers/"+id, http.StatusSeeOther)
}

// handleFakeUninstall removes the app in the embedded fake Zoom, which
// revokes the tokens and sends app_deauthorized to the webhook.
func (a *app) handleFakeUninstall(w http.ResponseWriter, r *http.Request) {
	if err := a.env.Fake.Uninstall(r.PathValue("id")); err != nil {
		a.slog.WarnContext(r.Context(), "removing the app in the fake Zoom failed", "error", err)
		a.pages.fail(w, http.StatusNotFound, "The fake Zoom has no such user with the app installed: nothing was removed.")
		return
	}
	http.Redirect(w, r, "/", http.StatusSeeOther)
}
