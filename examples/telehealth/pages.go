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

const layout = `{{define "top"}}<!doctype html><html><head><meta charset="utf-8"><title>Telehealth · Zoom</title>
<style>body{font-family:sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem}table{border-collapse:collapse}td,th{padding:.3rem .6rem;border-bottom:1px solid #ddd;text-align:left}.err{color:#a00}</style>
</head><body><p><a href="/">Telehealth</a></p>{{end}}
{{define "bottom"}}</body></html>{{end}}

{{define "home"}}{{template "top"}}
<h1>Telehealth visits over Zoom</h1>
<p><a href="` + exkit.ConnectPath + `"><button>Connect Zoom</button></a></p>
<h2>Connected providers</h2>
{{if .}}<ul>{{range .}}<li><a href="/providers/{{.ID}}">{{.Email}}</a> (connected {{.ConnectedAt.Format "2006-01-02 15:04 MST"}})</li>{{end}}</ul>
{{else}}<p>No provider has connected Zoom yet.</p>{{end}}
{{template "bottom"}}{{end}}

{{define "provider"}}{{template "top"}}
<h1>{{.Provider.Email}}</h1>
<h2>Zoom connection</h2>
<p>Zoom is connected: visits you schedule are Zoom meetings that you host. ` + signInAdvice + `</p>
<p><strong>To disconnect Zoom:</strong> ` + disconnectPath + ` Zoom then tells us, and we delete your Zoom connection and the visit details we kept.</p>
<h2>Upcoming visits</h2>
{{if .Visits}}<table><tr><th>When (UTC)</th><th>Visit</th><th>Patients</th><th></th></tr>
{{range .Visits}}<tr><td>{{.Start.Format "2006-01-02 15:04"}} · {{.Duration}} min</td>
<td><a href="/providers/{{$.Provider.ID}}/visits/{{.MeetingID}}">{{.Topic}}</a></td>
<td>{{range $i, $p := .Patients}}{{if $i}}, {{end}}{{$p.Name}}{{end}}</td>
<td><form method="post" action="/providers/{{$.Provider.ID}}/visits/{{.MeetingID}}/delete"><button>Delete</button></form></td></tr>{{end}}
</table>{{else}}<p>No upcoming visits.</p>{{end}}

<h2>Find a patient</h2>
<form method="get" action="/providers/{{.Provider.ID}}"><input name="q" value="{{.Query}}" placeholder="name or email"> <button>Search patients and Zoom contacts</button></form>
<p><small>Your patients in the EHR come first; colleagues in your Zoom account's contacts after them.</small></p>
{{if .Query}}{{if .Found}}<ul>{{range .Found}}<li>{{.Name}} &lt;{{.Email}}&gt; · {{.Source}}</li>{{end}}</ul>{{else}}<p>Nobody matches {{.Query}}.</p>{{end}}{{end}}

<h2>Schedule a visit</h2>
<form method="post" action="/providers/{{.Provider.ID}}/visits">
<p><label>Title <input name="topic" required value="Telehealth visit"></label></p>
<p><label>Start (UTC) <input type="datetime-local" name="start" required value="{{.DefaultStart}}"></label>
<label>Duration (min) <input type="number" name="duration" min="5" max="240" value="30"></label></p>
<p><label>Invitees: patients or Zoom contacts (names or emails, one per line; each gets the invitation by email) <br><textarea name="patients" rows="3" cols="40" required></textarea></label></p>
<p><button>Schedule in Zoom</button></p>
</form>
{{if .Offline}}<h2>Embedded fake Zoom</h2>
<form method="post" action="/fake-zoom/uninstall/{{.Provider.ID}}"><button>Remove the app from Zoom (as in Zoom's Marketplace)</button></form>{{end}}
{{template "bottom"}}{{end}}

{{define "visit"}}{{template "top"}}
<h1>{{.Visit.Topic}}</h1>
<p><a href="/providers/{{.Provider.ID}}">Back to {{.Provider.Email}}</a></p>
<table>
<tr><th>Zoom meeting</th><td>{{.Visit.MeetingID}}</td></tr>
<tr><th>Starts (UTC)</th><td>{{.Visit.Start.Format "2006-01-02 15:04"}} · {{.Visit.Duration}} min</td></tr>
{{if .Visit.StartURL}}<tr><th>Start as host</th><td><a href="{{.Visit.StartURL.Reveal}}" rel="noreferrer" target="_blank"><button>Start visit as host</button></a>
<br><small>This link opens Zoom signed in as you, the host. It is for you only: do not share it. Patients use the join link.</small></td></tr>{{end}}
<tr><th>Join link (patients)</th><td><a href="{{.Visit.JoinURL}}">{{.Visit.JoinURL}}</a></td></tr>
<tr><th>Patients</th><td>{{range $i, $p := .Visit.Patients}}{{if $i}}, {{end}}{{$p.Name}}{{end}}</td></tr>
<tr><th>Invitees in Zoom</th><td>{{range $i, $e := .Visit.Invitees}}{{if $i}}, {{end}}{{$e}}{{end}}</td></tr>
</table>
<form method="post" action="/providers/{{.Provider.ID}}/visits/{{.Visit.MeetingID}}/delete"><button>Delete visit</button></form>
{{template "bottom"}}{{end}}

{{define "error"}}{{template "top"}}
<h1>Something went wrong</h1><p class="err">{{.}}</p>
<p><a href="/">Home</a> · <a href="` + exkit.ConnectPath + `">Connect Zoom</a></p>
{{template "bottom"}}{{end}}`

// What the provider is told after connecting: how to sign in to Zoom, and
// where and how to remove the app (which deauthorizes it).
const (
	signInAdvice   = "Sign in to Zoom with your email and password (the Zoom account you connected) to start your visits."
	disconnectPath = "Sign in to Zoom with your email and password, open the Zoom App Marketplace, click Manage > Added Apps (Installed Apps), find Telehealth and click Remove."
)

func newPages() (*pages, error) {
	t, err := template.New("telehealth").Parse(layout)
	if err != nil {
		return nil, err
	}
	return &pages{t: t}, nil
}

func (p *pages) render(w http.ResponseWriter, status int, name string, data any) {
	var b bytes.Buffer
	if err := p.t.ExecuteTemplate(&b, name, data); err != nil {
		http.Error(w, "rendering the page failed", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = b.WriteTo(w)
}

func (p *pages) fail(w http.ResponseWriter, status int, msg string) {
	p.render(w, status, "error", msg)
}

// failErr answers an action's error with a status that fits it.
func (a *app) failErr(w http.ResponseWriter, err error) {
	var in *errInput
	switch {
	case errors.As(err, &in):
		a.pages.fail(w, http.StatusBadRequest, in.msg)
	case errors.Is(err, exkit.ErrNotConnected):
		a.pages.fail(w, http.StatusNotFound, "This provider has not connected Zoom (or removed the app from Zoom). Connect Zoom to schedule visits.")
	case errors.Is(err, oauth.ErrReauthorizationRequired):
		a.pages.fail(w, http.StatusConflict, "The Zoom connection is no longer valid. Connect Zoom again.")
	case errors.Is(err, zoom.ErrNotFound):
		a.pages.fail(w, http.StatusNotFound, "Zoom has no such meeting.")
	default:
		a.pages.fail(w, http.StatusBadGateway, err.Error())
	}
}

func (a *app) handleHome(w http.ResponseWriter, r *http.Request) {
	ps, err := a.providers(r.Context())
	if err != nil {
		a.failErr(w, err)
		return
	}
	a.pages.render(w, http.StatusOK, "home", ps)
}

func (a *app) handleProvider(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p, err := a.provider(ctx, r.PathValue("id"))
	if err != nil {
		a.failErr(w, err)
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
		a.failErr(w, err)
		return
	}
	if data.Query != "" {
		if data.Found, err = a.searchPatients(ctx, p.ID, data.Query); err != nil {
			a.failErr(w, err)
			return
		}
	}
	a.pages.render(w, http.StatusOK, "provider", data)
}

func (a *app) handleSchedule(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		a.pages.fail(w, http.StatusBadRequest, "unreadable form")
		return
	}
	req := visitRequest{Topic: r.PostForm.Get("topic")}
	start, err := time.ParseInLocation("2006-01-02T15:04", r.PostForm.Get("start"), time.UTC)
	if err != nil {
		a.pages.fail(w, http.StatusBadRequest, "the start time must look like 2026-01-31T14:30")
		return
	}
	req.Start = start
	if req.Duration, err = strconv.Atoi(r.PostForm.Get("duration")); err != nil {
		a.pages.fail(w, http.StatusBadRequest, "the duration must be a number of minutes")
		return
	}
	for _, line := range strings.FieldsFunc(r.PostForm.Get("patients"), func(c rune) bool { return c == '\n' || c == ';' }) {
		if s := strings.TrimSpace(line); s != "" {
			req.Patients = append(req.Patients, s)
		}
	}
	if _, err := a.scheduleVisit(r.Context(), id, req); err != nil {
		a.failErr(w, err)
		return
	}
	http.Redirect(w, r, "/providers/"+id, http.StatusSeeOther)
}

func (a *app) handleVisit(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p, err := a.provider(ctx, r.PathValue("id"))
	if err != nil {
		a.failErr(w, err)
		return
	}
	mid, err := strconv.ParseInt(r.PathValue("meeting"), 10, 64)
	if err != nil || mid <= 0 {
		a.pages.fail(w, http.StatusNotFound, "no such visit")
		return
	}
	v, err := a.visitDetails(ctx, p.ID, mid)
	if err != nil {
		a.failErr(w, err)
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
		a.pages.fail(w, http.StatusNotFound, "no such visit")
		return
	}
	if err := a.deleteVisit(r.Context(), id, mid); err != nil {
		a.failErr(w, err)
		return
	}
	http.Redirect(w, r, "/providers/"+id, http.StatusSeeOther)
}

// handleFakeUninstall removes the app in the embedded fake Zoom, which
// revokes the tokens and sends app_deauthorized to the webhook.
func (a *app) handleFakeUninstall(w http.ResponseWriter, r *http.Request) {
	if err := a.env.Fake.Uninstall(r.PathValue("id")); err != nil {
		a.pages.fail(w, http.StatusNotFound, err.Error())
		return
	}
	http.Redirect(w, r, "/", http.StatusSeeOther)
}
