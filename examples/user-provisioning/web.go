package main

import (
	"encoding/base64"
	"encoding/json"
	"html/template"
	"log/slog"
	"net/http"

	"github.com/zoomkit/zoomkit/examples/internal/exkit"
)

const flashCookie = "roleup_flash"

// pages renders RoleUp's HTML.
type pages struct {
	a    *app
	tmpl *template.Template
}

func newPages(a *app) (*pages, error) {
	t := layout.Parse(pageHTML, nil)
	return &pages{a: a, tmpl: t}, nil
}

func (p *pages) routes(mux *routes) {
	mux.HandleFunc("GET /{$}", p.home)
	mux.HandleFunc("GET /users", p.users)
	mux.HandleFunc("GET /integrations", p.integrations)
	mux.HandleFunc("GET /integrations/zoom", p.integrations)
	mux.HandleFunc("POST /integrations/zoom", p.post("/integrations/zoom", "save the configuration", func(r *http.Request) (string, error) {
		return "Saved the Zoom configuration.", p.a.Configure(r.Context(), r.PostFormValue("default_licence"))
	}))
	mux.HandleFunc("POST /sync", p.post("/users", "sync the users", func(r *http.Request) (string, error) {
		res, err := p.a.Sync(r.Context())
		return "Synced " + res.String() + ".", err
	}))
	mux.HandleFunc("POST /users/onboard", p.post("/users", "invite the user", func(r *http.Request) (string, error) {
		u, err := p.a.Onboard(r.Context(), r.PostFormValue("email"), r.PostFormValue("first_name"), r.PostFormValue("last_name"), r.PostFormValue("licence"))
		if err != nil {
			return "", err
		}
		return u.Onboarded(p.a.org), nil
	}))
	mux.HandleFunc("POST /users/offboard", p.post("/users", "offboard the user", func(r *http.Request) (string, error) {
		email, on := r.PostFormValue("email"), r.PostFormValue("offboarded") == "on"
		if on {
			return "Offboarded " + email + ": deactivated in Zoom, nothing deleted; a paid seat is freed.", p.a.SetOffboarded(r.Context(), email, true)
		}
		return email + " is back on board: active in Zoom again.", p.a.SetOffboarded(r.Context(), email, false)
	}))
	mux.HandleFunc("POST /users/remove", p.post("/users", "remove the user", func(r *http.Request) (string, error) {
		email, action := r.PostFormValue("email"), r.PostFormValue("action")
		return "Removed " + email + " (" + action + ").", p.a.Remove(r.Context(), email, action)
	}))
	mux.HandleFunc("POST /users/role", p.post("/users", "change the role", func(r *http.Request) (string, error) {
		email := r.PostFormValue("email")
		return "Changed the role of " + email + ".", p.a.ChangeRole(r.Context(), email, r.PostFormValue("role_id"))
	}))
	mux.HandleFunc("POST /groups/add", p.post("/users", "add the user to the group", func(r *http.Request) (string, error) {
		email := r.PostFormValue("email")
		return "Added " + email + " to the group.", p.a.AddToGroup(r.Context(), email, r.PostFormValue("group_id"))
	}))
	mux.HandleFunc("POST /groups/remove", p.post("/users", "remove the user from the group", func(r *http.Request) (string, error) {
		email := r.PostFormValue("email")
		return "Removed " + email + " from the group.", p.a.RemoveFromGroup(r.Context(), email, r.PostFormValue("group_id"))
	}))
	mux.HandleFunc("POST /remove", p.post("/", "remove RoleUp", func(r *http.Request) (string, error) {
		return "RoleUp was removed: Zoom access revoked, tokens and local data deleted.", p.a.RemovePermanently(r.Context())
	}))
}

// post runs a form action and redirects to next with its outcome.
func (p *pages) post(next, what string, do func(r *http.Request) (string, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
		if err := r.ParseForm(); err != nil {
			p.problem(w, r, http.StatusBadRequest, "The form could not be read: go back, then send it again.", err)
			return
		}
		msg, err := do(r)
		if err != nil {
			p.flash(w, false, p.a.failed(r.Context(), what, err).Error())
		} else {
			p.flash(w, true, msg)
		}
		http.Redirect(w, r, next, http.StatusSeeOther)
	}
}

type flashMsg struct {
	OK  bool   `json:"ok"`
	Msg string `json:"msg"`
}

// flash stores a one-time message for the next page.
func (p *pages) flash(w http.ResponseWriter, ok bool, msg string) {
	b, _ := json.Marshal(flashMsg{OK: ok, Msg: msg})
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: base64.RawURLEncoding.EncodeToString(b), Path: "/",
		MaxAge: 60, HttpOnly: true, SameSite: http.SameSiteLaxMode})
}

func (p *pages) takeFlash(w http.ResponseWriter, r *http.Request) *flashMsg {
	ck, err := r.Cookie(flashCookie)
	if err != nil {
		return nil
	}
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Path: "/", MaxAge: -1})
	b, err := base64.RawURLEncoding.DecodeString(ck.Value)
	var f flashMsg
	if err != nil || json.Unmarshal(b, &f) != nil {
		return nil
	}
	return &f
}

type pageData struct {
	Page           string
	Title          string
	Flash          *flashMsg
	Conn           *Connection
	ConnectPath    string
	Users          []User
	Groups         []Group
	Roles          []Role
	Audit          []AuditEntry
	Counts         map[string]int
	Licences       []Licence
	DefaultLicence string
	Integrations   []Integration
}

func (p *pages) render(w http.ResponseWriter, r *http.Request, d *pageData) {
	ctx := r.Context()
	d.Flash = p.takeFlash(w, r)
	d.Title = titles[d.Page]
	d.ConnectPath = exkit.ConnectPath
	d.Licences = licences
	var err error
	if d.Conn, err = p.a.store.connection(ctx); err == nil {
		d.Groups, err = p.a.store.groups(ctx)
	}
	if err == nil {
		d.Roles, err = p.a.store.roles(ctx)
	}
	if err == nil {
		d.Audit, err = p.a.store.auditLog(ctx, 10)
	}
	if err == nil {
		d.DefaultLicence, err = p.a.DefaultLicence(ctx)
	}
	if err != nil {
		p.problem(w, r, http.StatusInternalServerError, recordsProblem, err)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_ = p.tmpl.ExecuteTemplate(w, "page", d)
}

func (p *pages) home(w http.ResponseWriter, r *http.Request) {
	counts, err := p.a.store.counts(r.Context())
	if err != nil {
		p.problem(w, r, http.StatusInternalServerError, recordsProblem, err)
		return
	}
	p.render(w, r, &pageData{Page: "home", Counts: counts})
}

// integrations renders the integrations list (/integrations) and the
// Zoom integration's configuration page (/integrations/zoom).
func (p *pages) integrations(w http.ResponseWriter, r *http.Request) {
	is, err := p.a.Integrations(r.Context())
	if err != nil {
		p.problem(w, r, http.StatusInternalServerError, recordsProblem, err)
		return
	}
	page := "integrations"
	if r.URL.Path == "/integrations/zoom" {
		page = "configure"
	}
	p.render(w, r, &pageData{Page: page, Integrations: is})
}

func (p *pages) users(w http.ResponseWriter, r *http.Request) {
	us, err := p.a.store.users(r.Context(), "")
	if err != nil {
		p.problem(w, r, http.StatusInternalServerError, recordsProblem, err)
		return
	}
	p.render(w, r, &pageData{Page: "users", Users: us})
}

// layout is RoleUp's look: the shared layout of the example apps, with
// RoleUp's navigation.
var layout = exkit.Layout{
	App:    "RoleUp",
	Nav:    []exkit.NavLink{{Href: "/", Label: "Home"}, {Href: "/users", Label: "Users"}, {Href: "/integrations", Label: "Integrations"}},
	Footer: "RoleUp · access management for Zoom",
}

// titles are the pages' titles, by pageData.Page.
var titles = map[string]string{"home": "Home", "users": "Users", "integrations": "Integrations", "configure": "Zoom configuration"}

// recordsProblem is shown when RoleUp cannot read its own records.
const recordsProblem = "RoleUp could not read its records. Try again; if it keeps failing, RoleUp's log has the details."

// problem shows a page with msg, a sentence for the admin, and logs err.
func (p *pages) problem(w http.ResponseWriter, r *http.Request, status int, msg string, err error) {
	p.a.log.LogAttrs(r.Context(), slog.LevelWarn, "page failed", slog.String("path", r.URL.Path), slog.String("shown", msg), slog.String("error", err.Error()))
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = p.tmpl.ExecuteTemplate(w, "problem", msg)
}

const pageHTML = `{{define "problem"}}{{template "top" "Something went wrong"}}<h1>Something went wrong</h1>
<p class="err">{{.}}</p><p><a href="/">Back to RoleUp</a></p>{{template "bottom"}}{{end}}
{{define "connect"}}<div class="actions">
  <a class="button" id="connect-rw" href="{{.}}?mode=read-write">Connect Zoom (read/write)</a>
  <a class="button secondary" id="connect-ro" href="{{.}}?mode=read-only">Connect Zoom (read-only)</a></div>{{end}}
{{define "page"}}{{template "top" .Title}}
{{with .Flash}}<p id="flash" class="{{if .OK}}flash{{else}}err{{end}}">{{.Msg}}</p>{{end}}
{{if eq .Page "home"}}
  <h1>Zoom user provisioning</h1>
  <div class="card">
  {{with .Conn}}
  <p id="status">Connected to Zoom as <b id="account">{{.Email}}</b> ({{if eq .RoleID "0"}}owner{{else}}admin{{end}}), <span class="badge ok" id="mode">{{.Mode}}</span>. Last sync: {{if .SyncedAt}}{{.SyncedAt}}{{else}}never{{end}}.</p>
  <p class="muted">Granted scopes: <code>{{.Scopes}}</code></p>
  <div class="actions">
  <form method="post" action="/sync" class="inline"><button id="sync">Sync users now</button></form>
  <a class="button secondary" href="/users">Manage users</a>
  <form method="post" action="/remove" class="inline"><button class="danger" id="remove-roleup">Remove RoleUp permanently</button></form></div>
  <p class="muted">Change access: <a href="{{$.ConnectPath}}?mode=read-write">reconnect read/write</a> · <a href="{{$.ConnectPath}}?mode=read-only">reconnect read-only</a></p>
  {{else}}
  <p id="status">RoleUp is not connected to Zoom. An account owner or admin connects it:</p>
  {{template "connect" .ConnectPath}}
  {{end}}
  </div>
  <h2>Local records</h2><ul id="counts">{{range $t, $n := .Counts}}<li>{{$t}}: {{$n}}</li>{{end}}</ul>
  <h2>Audit log</h2><ul id="audit">{{range .Audit}}<li>{{.At}} {{.Actor}}: {{.Action}} - {{.Detail}}</li>{{else}}<li class="muted">empty</li>{{end}}</ul>
{{else if eq .Page "integrations"}}
  <h1>Integrations</h1>
  <table class="list"><tr><th>App</th><th>State</th><th>Scopes</th><th></th></tr>
  {{range .Integrations}}<tr><td>{{.Name}}</td><td>{{.State}}</td><td>{{range .Scopes}}<code>{{.}}</code> {{else}}none{{end}}</td>
  <td><a href="{{.Configure}}">Edit configuration</a></td></tr>{{end}}
  </table>
  <p><a href="/">Back to RoleUp</a></p>
{{else if eq .Page "configure"}}
  <h1>Zoom: configuration</h1>
  {{with .Conn}}
  <div class="card">
  <p>Connected to Zoom account <code>{{.AccountID}}</code> as <b>{{.Email}}</b> ({{if eq .RoleID "0"}}owner{{else}}admin{{end}}) since {{.ConnectedAt}}. Last sync: {{if .SyncedAt}}{{.SyncedAt}}{{else}}never{{end}}.</p>
  <p>Access: <span class="badge ok">{{.Mode}}</span>. Granted scopes: <code>{{.Scopes}}</code></p>
  <p class="muted">Change access (Zoom asks again): <a href="{{$.ConnectPath}}?mode=read-write">reconnect read/write</a> · <a href="{{$.ConnectPath}}?mode=read-only">reconnect read-only</a></p>
  </div>
  <form method="post" action="/integrations/zoom">
    <label for="default-licence">Licence offered first to new users</label>
    <select id="default-licence" name="default_licence">{{range $.Licences}}<option value="{{.ID}}"{{if eq .ID $.DefaultLicence}} selected{{end}}>{{.Name}}</option>{{end}}</select>
    <button>Save configuration</button>
  </form>
  <div class="actions">
  <form method="post" action="/sync" class="inline"><button class="secondary">Sync users now</button></form>
  <form method="post" action="/remove" class="inline"><button class="danger">Remove RoleUp permanently</button></form></div>
  {{else}}
  <p>Zoom is not connected. An account owner or admin connects it:</p>
  {{template "connect" $.ConnectPath}}
  {{end}}
  <p><a href="/integrations">Back to integrations</a></p>
{{else}}
  {{$ro := true}}{{with .Conn}}{{if eq .Mode "read-write"}}{{$ro = false}}{{end}}{{end}}
  <h1>Users</h1>
  {{if not .Conn}}<p class="err">RoleUp is not connected to Zoom: <a href="/">connect it on the home page</a> to see and manage the account's users.</p>
  {{else if $ro}}<p class="err">Read-only: RoleUp shows the account but makes no changes.</p>{{end}}
  <h2>Users ({{len .Users}})</h2>
  <table class="list" id="users"><tr><th>Email</th><th>Name</th><th>Licence</th><th>Status</th><th>Invitation</th><th>Role</th><th>Groups</th><th>Actions</th></tr>
  {{range .Users}}{{$u := .}}<tr data-email="{{.Email}}"><td>{{.Email}}</td><td>{{.Name}}</td><td>{{.LicenceName}}{{if ne .LicenceName .TypeName}} ({{.TypeName}}){{end}}</td><td><span class="badge {{if eq .Status "active"}}ok{{else if eq .Status "pending"}}warn{{else}}off{{end}}">{{.Status}}</span></td><td>{{.Invitation}}</td><td>{{.RoleName}}</td><td>{{range .Groups}}{{.}} {{end}}</td>
  <td>{{if not $ro}}
    <form method="post" action="/users/role" class="inline"><input type="hidden" name="email" value="{{.Email}}">
      <select name="role_id">{{range $.Roles}}<option value="{{.ID}}"{{if eq .ID $u.RoleID}} selected{{end}}>{{.Name}}</option>{{end}}</select><button class="secondary">Set role</button></form>
    <form method="post" action="/groups/add" class="inline"><input type="hidden" name="email" value="{{.Email}}">
      <select name="group_id">{{range $.Groups}}<option value="{{.ID}}">{{.Name}}</option>{{end}}</select><button class="secondary">Add to group</button></form>
    <form method="post" action="/groups/remove" class="inline"><input type="hidden" name="email" value="{{.Email}}">
      <select name="group_id">{{range $.Groups}}<option value="{{.ID}}">{{.Name}}</option>{{end}}</select><button class="secondary">Remove from group</button></form>
    {{if eq .Status "active" "inactive"}}{{if ne .RoleID "0"}}<form method="post" action="/users/offboard" class="inline"><input type="hidden" name="email" value="{{.Email}}">
      {{if eq .Status "inactive"}}<input type="hidden" name="offboarded" value="off"><button class="offboard" aria-pressed="true" title="Offboarded: deactivated in Zoom. Click to bring back.">Offboard: on</button>{{else}}<input type="hidden" name="offboarded" value="on"><button class="offboard secondary" aria-pressed="false" title="Deactivate in Zoom, delete nothing">Offboard: off</button>{{end}}</form>{{end}}{{end}}
    {{if ne .RoleID "0"}}<form method="post" action="/users/remove" class="inline"><input type="hidden" name="email" value="{{.Email}}">
      <select name="action"><option value="disassociate">{{if eq .Status "pending"}}withdraw the invitation{{else}}remove, keep their own Zoom account{{end}}</option>{{if ne .Status "pending"}}<option value="delete">delete permanently</option>{{end}}</select><button class="danger remove">Remove</button></form>{{end}}
  {{end}}</td></tr>{{end}}
  </table>
  {{if not $ro}}
  <h2>Onboard</h2>
  <form method="post" action="/users/onboard" class="card">
    <label for="onboard-email">Email</label><input id="onboard-email" name="email" type="email" placeholder="name@company.example" required>
    <label for="onboard-first">First name</label><input id="onboard-first" name="first_name">
    <label for="onboard-last">Last name</label><input id="onboard-last" name="last_name">
    <label for="onboard-licence">Licence</label><select id="onboard-licence" name="licence">{{range .Licences}}<option value="{{.ID}}"{{if eq .ID $.DefaultLicence}} selected{{end}}>{{.Name}}</option>{{end}}</select>
    <div class="actions"><button id="onboard-submit">Invite</button></div>
    <ul class="muted">{{range .Licences}}<li><b>{{.Name}}</b>: {{.About}}</li>{{end}}</ul>
  </form>
  {{end}}
  <h2>Groups</h2><ul>{{range .Groups}}<li>{{.Name}}: {{len .Members}} members</li>{{end}}</ul>
  <h2>Roles</h2><ul>{{range .Roles}}<li>{{.Name}} ({{.ID}})</li>{{end}}</ul>
  <p><a href="/">Back to RoleUp</a></p>
{{end}}
{{template "bottom"}}{{end}}`
