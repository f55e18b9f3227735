package main

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/mail"
	"strconv"
	"strings"
	"time"

	"github.com/zoomkit/zoomkit/examples/internal/exkit"
	"github.com/zoomkit/zoomkit/webhook/queue"
	"github.com/zoomkit/zoomkit/zoom"
	"github.com/zoomkit/zoomkit/zoom/zoomtest"
)

// pages renders the app's HTML (html/template escapes every value) on the
// shared layout of the example apps.
type pages struct{ t *template.Template }

// look is POM's header and footer.
var look = exkit.Layout{
	App:    "POM",
	Nav:    []exkit.NavLink{{Href: "/", Label: "CME activities"}, {Href: "/#integrations", Label: "Integrations"}, {Href: "/webhook-events", Label: "Webhook events"}},
	Footer: "POM · continuing medical education",
}

const pageText = `{{define "timecontrol"}}{{with .}}<form method="post" action="/fake-zoom/time" class="card"><input type="hidden" name="back" value="{{.Back}}">
<span class="muted">Fake Zoom time: <span id="fake-now">{{.Now.Format "2006-01-02 15:04 MST"}}</span></span><label for="minutes">Let time pass (minutes)</label>
<input id="minutes" type="number" name="minutes" min="1" max="10080" value="30"> <button id="let-time-pass" class="secondary">Let time pass</button></form>{{end}}{{end}}

{{define "home"}}{{template "top" "CME activities"}}
<h1>CME webinars over Zoom</h1>
<h2>CME activities</h2>
{{if .Activities}}<table class="list" id="activities"><tr><th>When (UTC)</th><th>Activity</th><th>Host</th><th>Credit</th><th>Status</th></tr>
{{range .Activities}}<tr data-webinar="{{.WebinarID}}"><td>{{.Start.Format "2006-01-02 15:04"}} · {{.Duration}} min</td><td><a href="/webinars/{{.WebinarID}}">{{.Topic}}</a></td>
<td>{{.HostEmail}}</td><td>{{printf "%.2f" .CreditHours}} h</td><td><span class="badge {{if eq .Status "cancelled"}}off{{else if eq .Status "credited"}}ok{{else if eq .Status "scheduled"}}warn{{end}}">{{.Status}}</span></td></tr>{{end}}</table>
{{else}}<p class="muted">No activity yet.</p>{{end}}
{{if .Connected}}<form method="get" action="/zoom-webinars" class="actions"><label for="list-host">List a host's webinars in Zoom</label><input id="list-host" name="host" type="email" required value="{{.DefaultHost}}"> <button id="list-submit" class="secondary">List</button></form>
<h2>Schedule a CME webinar</h2>
<form method="post" action="/webinars" class="card">
<label for="topic">Title</label><input id="topic" name="topic" required size="50" value="Grand Rounds: Hypertension update">
<label for="host">Faculty host (a licensed webinar host)</label><input id="host" name="host" type="email" required value="{{.DefaultHost}}">
<label for="start">Start (UTC)</label><input id="start" type="datetime-local" name="start" required value="{{.DefaultStart}}">
<label for="duration">Duration (min)</label><input id="duration" type="number" name="duration" min="15" max="480" value="60">
<label for="credit">Credit (hours)</label><input id="credit" type="number" name="credit" min="0.25" max="8" step="0.25" value="1">
<div class="actions"><button id="schedule-submit">Schedule in Zoom</button></div></form>{{end}}
<h2 id="integrations">Integrations</h2>
<div class="card"><h3>Zoom</h3>
{{with .Org}}{{if .Connected}}<p id="zoom-status"><span class="badge ok">Enabled</span> Zoom Integration enabled: Zoom account <b>{{.AccountID}}</b> connected by <span id="zoom-admin">{{.AdminEmail}}</span> on {{.ConnectedAt.Format "2006-01-02 15:04 MST"}}.</p>
{{else}}<p id="zoom-status" class="err">Zoom was disconnected on {{.DisconnectedAt.Format "2006-01-02 15:04 MST"}} (the app was removed in Zoom).</p>
<p><a class="button" id="enable-zoom" href="` + exkit.ConnectPath + `">Enable Zoom Integration</a> again (a Zoom account admin or owner)</p>{{end}}
{{else}}<p id="zoom-status"><span class="badge off">Not enabled</span> A Zoom account admin or owner enables the integration once for the whole organisation.</p>
<p><a class="button" id="enable-zoom" href="` + exkit.ConnectPath + `">Enable Zoom Integration</a></p>{{end}}
<p class="muted">If the app is removed from Zoom, the platform keeps the activities, registrations, attendance and credit records: they are kept as required for CME accreditation, and stops calling Zoom. The raw attendance from Zoom's webhooks is deleted 30 days after the removal.</p></div>
{{template "timecontrol" .LetTimePass}}
{{template "bottom"}}{{end}}

{{define "webinar"}}{{template "top" .Activity.Topic}}
{{with .Activity}}<h1 id="title">{{.Topic}}</h1>
<p>Zoom webinar <span id="webinar-id">{{.WebinarID}}</span> · {{.Start.Format "2006-01-02 15:04 MST"}} · {{.Duration}} min · host {{.HostEmail}} · {{printf "%.2f" .CreditHours}} AMA PRA Category 1 Credit(s) · status <b id="status">{{.Status}}</b></p>{{end}}
{{if .Error}}<p class="err" id="error">{{.Error}}</p>{{end}}
{{if and .Connected (eq .Activity.Status "scheduled")}}<h2>Change the webinar</h2>
<form method="post" action="/webinars/{{.Activity.WebinarID}}/update" class="card">
<label for="new-title">Title</label><input id="new-title" name="topic" required size="50" value="{{.Activity.Topic}}">
<label for="new-start">Start (UTC)</label><input id="new-start" type="datetime-local" name="start" required value="{{.Activity.Start.Format "2006-01-02T15:04"}}">
<label for="new-duration">Duration (min)</label><input id="new-duration" type="number" name="duration" min="15" max="480" value="{{.Activity.Duration}}">
<div class="actions"><button id="update-submit">Save the changes in Zoom</button></div></form>
<form method="post" action="/webinars/{{.Activity.WebinarID}}/cancel"><button id="cancel" class="danger">Cancel the webinar (Zoom emails the registrants)</button></form>{{end}}
<h2>Registrants</h2>
{{if .Registrants}}<table class="list" id="registrants"><tr><th>Name</th><th>Email</th><th>Status</th><th>Registrant id</th></tr>
{{range .Registrants}}<tr data-email="{{.Email}}"><td>{{.Name}}</td><td>{{.Email}}</td><td>{{.Status}}</td><td class="muted">{{.RegistrantID}}</td></tr>{{end}}</table>
{{else}}<p class="muted">Nobody registered yet.</p>{{end}}
{{if and .Connected (ne .Activity.Status "cancelled")}}<form method="post" action="/webinars/{{.Activity.WebinarID}}/approve"><button id="approve">Approve pending registrations</button></form>
<h3>Register physicians (batch, up to 30 per request)</h3>
<form method="post" action="/webinars/{{.Activity.WebinarID}}/batch"><textarea id="people" name="people" rows="4" cols="60" placeholder="First Last &lt;email&gt;, one per line"></textarea><br><button id="batch-submit" class="secondary">Register</button></form>
<h3>Register one physician</h3>
<form method="post" action="/webinars/{{.Activity.WebinarID}}/registrants" class="actions">
<input id="reg-first" name="first" placeholder="First name" required> <input id="reg-last" name="last" placeholder="Last name"> <input id="reg-email" name="email" type="email" placeholder="email" required> <button id="register-submit" class="secondary">Register</button></form>
{{end}}
<h2>Attendance from webhooks</h2>
{{if .Segments}}<table class="list" id="attendance"><tr><th>Participant</th><th>Email</th><th>Joined</th><th>Left</th></tr>
{{range .Segments}}<tr><td>{{.Name}}</td><td>{{.Email}}</td><td>{{if .Join.IsZero}}(not received){{else}}{{.Join.Format "15:04:05"}}{{end}}</td><td>{{if .Leave.IsZero}}in the webinar{{else}}{{.Leave.Format "15:04:05"}}{{end}}</td></tr>{{end}}</table>
{{else}}<p class="muted">No participant yet.</p>{{end}}
<h2>Credit</h2>
{{if .Credits}}<p>Rule: attended at least {{.Threshold}}% of the {{.Activity.Duration}} scheduled minutes. <a href="/webinars/{{.Activity.WebinarID}}/credits.csv">Download the CSV</a></p>
<table class="list" id="credits"><tr><th>Name</th><th>Email</th><th>Minutes</th><th>%</th><th>Credit</th><th>Note</th></tr>
{{range .Credits}}<tr><td>{{.Name}}</td><td>{{.Email}}</td><td>{{.Minutes}}</td><td>{{.Percent}}</td><td>{{if .Awarded}}{{printf "%.2f" .Credit}} h{{else}}none{{end}}</td><td class="muted">{{.Note}}</td></tr>{{end}}</table>
{{else}}<p class="muted">Credit is awarded after the webinar ends.</p>{{end}}
{{if and .Connected (or (eq .Activity.Status "ended") (eq .Activity.Status "credited"))}}<form method="post" action="/webinars/{{.Activity.WebinarID}}/reconcile"><button id="reconcile">Reconcile with Zoom's report and award credit</button></form>{{end}}
{{if .Offline}}<h2>Embedded fake Zoom</h2>
<div class="card"><p class="muted">What the host, the physicians and the admin do in Zoom.</p>
<div class="actions">{{if ne .Activity.Status "cancelled"}}
<form method="post" action="/fake-zoom/webinars/{{.Activity.WebinarID}}/start"><button id="fake-start" class="secondary">Host starts the webinar</button></form>
<form method="post" action="/fake-zoom/webinars/{{.Activity.WebinarID}}/join"><button id="fake-join" class="secondary">Every approved registrant joins</button></form>
<form method="post" action="/fake-zoom/webinars/{{.Activity.WebinarID}}/end"><button id="fake-end" class="secondary">Host ends the webinar</button></form>{{end}}
<form method="post" action="/fake-zoom/uninstall"><button id="fake-uninstall" class="danger">Admin removes the app from Zoom (Marketplace)</button></form></div></div>{{end}}
{{template "timecontrol" .LetTimePass}}
<p><a href="/">Back to CME activities</a></p>
{{template "bottom"}}{{end}}

{{define "zoomwebinars"}}{{template "top" "Webinars in Zoom"}}<h1>Webinars of {{.Host}} in Zoom</h1>
{{if .Webinars}}<p class="muted" id="zoom-count">{{len .Webinars}} upcoming webinars</p><table class="list" id="zoom-webinars"><tr><th>Zoom webinar</th><th>Topic</th><th>Start (UTC)</th><th>Duration</th></tr>
{{range .Webinars}}<tr data-webinar="{{.ID}}"><td><a href="/webinars/{{.ID}}">{{.ID}}</a></td><td>{{.Topic}}</td><td>{{.StartTime.UTC.Format "2006-01-02 15:04"}}</td><td>{{.Duration}} min</td></tr>{{end}}</table>
{{else}}<p>Zoom lists no upcoming webinar for this host.</p>{{end}}<p><a href="/">Back to CME activities</a></p>{{template "bottom"}}{{end}}

{{define "events"}}{{template "top" "Webhook events"}}
<h1>Webhook events</h1>
<p>Zoom's webhooks are verified, deduplicated and queued ({{.Queue}}); Zoom is answered at once, and {{.Replicas}} worker replicas record them. A failed event is retried with a backoff; after its last attempt it is a dead letter, kept here until it is replayed.</p>
{{with .Counters}}<table class="list" id="counters"><tr><th>Queued</th><th>Waiting or in progress</th><th>Handled</th><th>Failed attempts</th><th>Retried</th><th>Dead letters</th><th>Mean handling time</th></tr>
<tr><td id="queued">{{.Queued}}</td><td id="pending">{{$.Pending}}</td><td id="handled">{{$.Handled}}</td><td id="failed">{{.Failed}}</td><td id="retried">{{.Retried}}</td><td id="dead-lettered">{{.DeadLettered}}</td><td>{{$.Mean}}</td></tr></table>{{end}}
<h2>Dead letters</h2>
{{if .DeadLetters}}<table class="list" id="dead-letters"><tr><th>Event</th><th>Ordering key</th><th>Attempts</th><th>Last error</th><th>Dead since (UTC)</th><th></th></tr>
{{range .DeadLetters}}<tr data-id="{{.ID}}"><td>{{.Event}}</td><td class="muted">{{.Key}}</td><td>{{.Attempts}}</td><td class="err">{{.Error}}</td><td>{{.DeadAt.UTC.Format "2006-01-02 15:04:05"}}</td>
<td><form method="post" action="/webhook-events/replay"><input type="hidden" name="id" value="{{.ID}}"><button class="secondary" id="replay-{{.ID}}">Replay</button></form></td></tr>{{end}}</table>
{{else}}<p class="muted" id="no-dead-letters">No dead letter.</p>{{end}}
<p><a href="/">Back to CME activities</a></p>
{{template "bottom"}}{{end}}

{{define "error"}}{{template "top" "Something went wrong"}}<h1>Something went wrong</h1><p class="err" id="error">{{.}}</p><p><a href="/">Back to CME activities</a></p>{{template "bottom"}}{{end}}`

func newPages() (*pages, error) {
	return &pages{t: look.Parse(pageText, nil)}, nil
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

func (a *app) routes() {
	a.mux = &routes{ServeMux: http.NewServeMux()}
	a.mux.HandleFunc("GET /{$}", a.handleHome)
	a.mux.Handle("GET "+exkit.ConnectPath, a.oauthH.Connect())
	a.mux.Handle("GET "+exkit.CallbackPath, a.oauthH.Callback())
	a.mux.Handle(exkit.WebhookPath, a.hooks)
	a.mux.HandleFunc("POST /webinars", a.handleCreate)
	a.mux.HandleFunc("GET /webinars/{id}", a.handleWebinar)
	a.mux.HandleFunc("POST /webinars/{id}/batch", a.handleBatch)
	a.mux.HandleFunc("POST /webinars/{id}/registrants", a.handleRegister)
	a.mux.HandleFunc("POST /webinars/{id}/approve", a.handleApprove)
	a.mux.HandleFunc("POST /webinars/{id}/cancel", a.handleCancel)
	a.mux.HandleFunc("POST /webinars/{id}/update", a.handleUpdate)
	a.mux.HandleFunc("GET /zoom-webinars", a.handleZoomWebinars)
	a.mux.HandleFunc("POST /webinars/{id}/reconcile", a.handleReconcile)
	a.mux.HandleFunc("GET /webinars/{id}/credits.csv", a.handleCSV)
	a.mux.HandleFunc("GET /webhook-events", a.handleEvents)
	a.mux.HandleFunc("POST /webhook-events/replay", a.handleReplay)
	if a.env.Fake != nil {
		// Offline only: what people do in Zoom itself.
		a.mux.HandleFunc("POST /fake-zoom/webinars/{id}/{action}", a.handleFakeWebinar)
		a.mux.HandleFunc("POST /fake-zoom/uninstall", a.handleFakeUninstall)
		a.mux.HandleFunc("POST /fake-zoom/time", a.handleLetTimePass)
	}
}

// fail shows the page of a failed action: the sentence explain gives, with
// the Go error logged.
func (a *app) fail(w http.ResponseWriter, r *http.Request, what string, err error) {
	p := a.failed(r.Context(), what, err)
	a.pages.fail(w, p.Status, p.Msg)
}

func (a *app) handleHome(w http.ResponseWriter, r *http.Request) {
	o, err := a.organisation(r.Context())
	if err != nil && !errors.Is(err, exkit.ErrNotConnected) {
		a.fail(w, r, "show the activities", err)
		return
	}
	acts, err := a.activities(r.Context())
	if err != nil {
		a.fail(w, r, "show the activities", err)
		return
	}
	host := faculty.Email
	if a.env.Fake == nil {
		host = ""
	}
	a.pages.render(w, http.StatusOK, "home", map[string]any{
		"Org":          o,
		"Connected":    o != nil && o.Connected(),
		"Activities":   acts,
		"DefaultHost":  host,
		"DefaultStart": a.now().Add(24 * time.Hour).Truncate(time.Hour).Format("2006-01-02T15:04"),
		"LetTimePass":  a.letTimePass("/"),
	})
}

func webinarID(r *http.Request) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	return id, err == nil && id > 0
}

// parseStart reads a datetime-local field, in UTC.
func parseStart(s string) (time.Time, error) {
	t, err := time.ParseInLocation("2006-01-02T15:04", s, time.UTC)
	if err != nil {
		return time.Time{}, inputErr("the start time is not a date and time")
	}
	return t, nil
}

func (a *app) handleCreate(w http.ResponseWriter, r *http.Request) {
	start, err := parseStart(r.FormValue("start"))
	if err != nil {
		a.fail(w, r, "schedule the webinar", err)
		return
	}
	dur, _ := strconv.Atoi(r.FormValue("duration"))
	credit, _ := strconv.ParseFloat(r.FormValue("credit"), 64)
	act, err := a.createActivity(r.Context(), activityRequest{
		Topic: r.FormValue("topic"), HostEmail: r.FormValue("host"), Start: start, Duration: dur, CreditHours: credit,
	})
	if err != nil {
		a.fail(w, r, "schedule the webinar", err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/webinars/%d", act.WebinarID), http.StatusSeeOther)
}

func (a *app) handleWebinar(w http.ResponseWriter, r *http.Request) {
	id, ok := webinarID(r)
	if !ok {
		a.fail(w, r, "show the activity", errNoActivity)
		return
	}
	a.renderWebinar(w, r, id, http.StatusOK, "")
}

// renderWebinar shows the platform's records only: the page makes no Zoom
// call, so it works (read only) after Zoom is disconnected.
func (a *app) renderWebinar(w http.ResponseWriter, r *http.Request, id int64, code int, msg string) {
	ctx := r.Context()
	act, err := a.activity(ctx, id)
	if err != nil {
		a.fail(w, r, "show the activity", err)
		return
	}
	o, _ := a.organisation(ctx)
	regs, err1 := a.registrants(ctx, id)
	segs, err2 := a.segments(ctx, id)
	creds, err3 := a.credits(ctx, id)
	if err := errors.Join(err1, err2, err3); err != nil {
		a.fail(w, r, "show the activity", err)
		return
	}
	a.pages.render(w, code, "webinar", map[string]any{
		"Activity": act, "Registrants": regs, "Segments": segs, "Credits": creds, "Error": msg,
		"Connected": o != nil && o.Connected(), "Offline": a.env.Fake != nil, "Threshold": int(creditThreshold * 100),
		"LetTimePass": a.letTimePass(fmt.Sprintf("/webinars/%d", id)),
	})
}

// after finishes a POST on a webinar: back to its page, or the page with
// the sentence explaining the failure.
func (a *app) after(w http.ResponseWriter, r *http.Request, id int64, err error, what string) {
	if err != nil {
		p := a.failed(r.Context(), what, err)
		a.renderWebinar(w, r, id, p.Status, p.Msg)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/webinars/%d", id), http.StatusSeeOther)
}

// parsePeople reads "First Last <email>" lines.
func parsePeople(text string) ([]person, error) {
	var out []person
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		addr, err := mail.ParseAddress(line)
		if err != nil {
			return nil, inputErr("%q is not a line of the form First Last <email>", line)
		}
		first, last, _ := strings.Cut(strings.TrimSpace(addr.Name), " ")
		out = append(out, person{FirstName: first, LastName: strings.TrimSpace(last), Email: addr.Address})
	}
	return out, nil
}

func (a *app) handleBatch(w http.ResponseWriter, r *http.Request) {
	id, ok := webinarID(r)
	if !ok {
		a.fail(w, r, "register the physicians", errNoActivity)
		return
	}
	people, err := parsePeople(r.FormValue("people"))
	if err == nil {
		_, err = a.registerBatch(r.Context(), id, people)
	}
	a.after(w, r, id, err, "register the physicians")
}

func (a *app) handleRegister(w http.ResponseWriter, r *http.Request) {
	id, ok := webinarID(r)
	if !ok {
		a.fail(w, r, "register the physician", errNoActivity)
		return
	}
	_, err := a.register(r.Context(), id, person{FirstName: strings.TrimSpace(r.FormValue("first")), LastName: strings.TrimSpace(r.FormValue("last")), Email: strings.TrimSpace(r.FormValue("email"))})
	a.after(w, r, id, err, "register the physician")
}

func (a *app) handleApprove(w http.ResponseWriter, r *http.Request) {
	id, ok := webinarID(r)
	if !ok {
		a.fail(w, r, "approve the registrations", errNoActivity)
		return
	}
	_, err := a.approvePending(r.Context(), id)
	a.after(w, r, id, err, "approve the registrations")
}

func (a *app) handleReconcile(w http.ResponseWriter, r *http.Request) {
	id, ok := webinarID(r)
	if !ok {
		a.fail(w, r, "reconcile the attendance", errNoActivity)
		return
	}
	_, err := a.reconcileAndCredit(r.Context(), id)
	a.after(w, r, id, err, "reconcile the attendance and award credit")
}

func (a *app) handleCSV(w http.ResponseWriter, r *http.Request) {
	id, ok := webinarID(r)
	if !ok {
		a.fail(w, r, "download the credit CSV", errNoActivity)
		return
	}
	var b bytes.Buffer
	if err := a.creditCSV(r.Context(), &b, id); err != nil {
		a.fail(w, r, "download the credit CSV", err)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="cme-credit-%d.csv"`, id))
	_, _ = b.WriteTo(w)
}

// handleFakeWebinar plays the host and the physicians in the embedded fake
// Zoom (-serve offline).
func (a *app) handleFakeWebinar(w http.ResponseWriter, r *http.Request) {
	id, ok := webinarID(r)
	if !ok {
		a.fail(w, r, "act in the fake Zoom", errNoActivity)
		return
	}
	var err error
	switch r.PathValue("action") {
	case "start":
		_, err = a.env.Fake.StartWebinar(zoom.ID(id))
	case "end":
		err = a.env.Fake.EndWebinar(zoom.ID(id))
	case "join":
		var regs []registrant
		if regs, err = a.registrants(r.Context(), id); err == nil {
			for _, reg := range regs {
				if reg.Status == "approved" {
					if _, err = a.env.Fake.Join(zoom.ID(id), zoomtest.Participant{Name: reg.Name(), Email: reg.Email}); err != nil {
						break
					}
				}
			}
		}
	default:
		http.NotFound(w, r)
		return
	}
	// The page shows what the workers made of Zoom's webhooks.
	err = errors.Join(err, a.drain(r.Context()))
	a.after(w, r, id, err, r.PathValue("action")+" the webinar in the fake Zoom")
}

func (a *app) handleFakeUninstall(w http.ResponseWriter, r *http.Request) {
	o, err := a.organisation(r.Context())
	if err == nil {
		err = errors.Join(a.env.Fake.Uninstall(o.AdminID), a.drain(r.Context()))
	}
	if err != nil {
		a.fail(w, r, "remove the app from Zoom", err)
		return
	}
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

// handleLetTimePass moves the clock the app and the fake Zoom share
// (offline only): stays get real durations, Zoom's report delay passes,
// and due webhook retries are delivered.
func (a *app) handleLetTimePass(w http.ResponseWriter, r *http.Request) {
	if a.flow == nil {
		http.NotFound(w, r)
		return
	}
	m, err := strconv.Atoi(r.FormValue("minutes"))
	if err != nil || m < 1 || m > 7*24*60 {
		a.fail(w, r, "let time pass", inputErr("give a number of minutes from 1 to 10080 (a week)"))
		return
	}
	a.flow.Advance(time.Duration(m) * time.Minute)
	if _, err := a.purgeExpired(r.Context()); err != nil {
		a.fail(w, r, "let time pass", err)
		return
	}
	a.env.Fake.DeliverDue()
	if err := a.drain(r.Context()); err != nil {
		a.fail(w, r, "let time pass", err)
		return
	}
	back := "/"
	if ref := r.FormValue("back"); strings.HasPrefix(ref, "/") && !strings.HasPrefix(ref, "//") {
		back = ref
	}
	http.Redirect(w, r, back, http.StatusSeeOther)
}

// timeControl is the "let time pass" form's data.
type timeControl struct {
	Now  time.Time
	Back string
}

// letTimePass is the control's data, or nil when there is no flow clock.
func (a *app) letTimePass(back string) *timeControl {
	if a.flow == nil {
		return nil
	}
	return &timeControl{Now: a.flow.Now(), Back: back}
}

func (a *app) handleCancel(w http.ResponseWriter, r *http.Request) {
	id, ok := webinarID(r)
	if !ok {
		a.fail(w, r, "cancel the webinar", errNoActivity)
		return
	}
	a.after(w, r, id, a.cancelActivity(r.Context(), id), "cancel the webinar")
}

func (a *app) handleUpdate(w http.ResponseWriter, r *http.Request) {
	id, ok := webinarID(r)
	if !ok {
		a.fail(w, r, "change the webinar", errNoActivity)
		return
	}
	start, err := parseStart(r.FormValue("start"))
	if err == nil {
		dur, _ := strconv.Atoi(r.FormValue("duration"))
		err = a.updateActivity(r.Context(), id, activityChange{Topic: r.FormValue("topic"), Start: start, Duration: dur})
	}
	a.after(w, r, id, err, "change the webinar")
}

func (a *app) handleZoomWebinars(w http.ResponseWriter, r *http.Request) {
	host := strings.TrimSpace(r.FormValue("host"))
	if _, err := mail.ParseAddress(host); err != nil {
		a.fail(w, r, "list the webinars", inputErr("give the email of a webinar host of the account"))
		return
	}
	list, err := a.zoomWebinars(r.Context(), host)
	if err != nil {
		a.fail(w, r, "list the webinars", err)
		return
	}
	a.pages.render(w, http.StatusOK, "zoomwebinars", map[string]any{"Host": host, "Webinars": list})
}

// handleEvents shows the queue's counters and its dead letters.
func (a *app) handleEvents(w http.ResponseWriter, r *http.Request) {
	dls, err := a.deadLetters(r.Context())
	if err != nil {
		a.fail(w, r, "list the dead letters", err)
		return
	}
	pending, err := a.events.pending(r.Context())
	if err != nil {
		a.fail(w, r, "count the queued events", err)
		return
	}
	c := a.events.counters.Snapshot()
	mean := "-"
	if c.Finished > 0 {
		mean = (c.HandlerTime / time.Duration(c.Finished)).Round(time.Microsecond).String()
	}
	a.pages.render(w, http.StatusOK, "events", map[string]any{
		"Queue":       queueName(a),
		"Replicas":    replicas,
		"Counters":    c,
		"Pending":     pending,
		"Handled":     c.Finished - c.Failed,
		"Mean":        mean,
		"DeadLetters": dls,
	})
}

// handleReplay puts a dead letter back in the queue, its attempts reset:
// once the cause is fixed, the workers record it.
func (a *app) handleReplay(w http.ResponseWriter, r *http.Request) {
	id := r.FormValue("id")
	err := a.events.q.Replay(r.Context(), id)
	if errors.Is(err, queue.ErrNotFound) {
		err = inputErr("that event is no longer a dead letter (it was replayed already)")
	}
	if err != nil {
		a.fail(w, r, "replay the event", err)
		return
	}
	a.log.Note("dead letter %s replayed: back in the queue", id)
	if a.env.Fake != nil {
		// Offline, show the outcome.
		if err := a.drain(r.Context()); err != nil {
			a.fail(w, r, "replay the event", err)
			return
		}
	}
	http.Redirect(w, r, "/webhook-events", http.StatusSeeOther)
}
