package main

import (
	"encoding/base64"
	"encoding/json"
	"html/template"
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
	t, err := template.New("page").Parse(pageHTML)
	if err != nil {
		return nil, err
	}
	return &pages{a: a, tmpl: t}, nil
}

func (p *pages) routes(mux *http.ServeMux) {
	mux.HandleFunc("GET /{$}", p.home)
	mux.HandleFunc("GET /users", p.users)
	mux.HandleFunc("GET /integrations", p.integrations)
	mux.HandleFunc("GET /integrations/zoom", p.integrations)
	mux.HandleFunc("POST /integrations/zoom", p.post("/integrations/zoom", func(r *http.Request) (string, error) {
		return "Saved the Zoom configuration.", p.a.Configure(r.Context(), r.PostFormValue("default_licence"))
	}))
	mux.HandleFunc("POST /sync", p.post("/users", func(r *http.Request) (string, error) {
		res, err := p.a.Sync(r.Context())
		return "Synced " + res.String() + ".", err
	}))
	mux.HandleFunc("POST /users/onboard", p.post("/users", func(r *http.Request) (string, error) {
		u, err := p.a.Onboard(r.Context(), r.PostFormValue("email"), r.PostFormValue("first_name"), r.PostFormValue("last_name"), r.PostFormValue("licence"))
		if err != nil {
			return "", err
		}
		return u.Onboarded(p.a.org), nil
	}))
	mux.HandleFunc("POST /users/offboard", p.post("/users", func(r *http.Request) (string, error) {
		email, on := r.PostFormValue("email"), r.PostFormValue("offboarded") == "on"
		if on {
			return "Offboarded " + email + ": deactivated in Zoom, nothing deleted; a paid seat is freed.", p.a.SetOffboarded(r.Context(), email, true)
		}
		return email + " is back on board: active in Zoom again.", p.a.SetOffboarded(r.Context(), email, false)
	}))
	mux.HandleFunc("POST /users/remove", p.post("/users", func(r *http.Request) (string, error) {
		email, action := r.PostFormValue("email"), r.PostFormValue("action")
		return "Removed " + email + " (" + action + ").", p.a.Remove(r.Context(), email, action)
	}))
	mux.HandleFunc("POST /users/role", p.post("/users", func(r *http.Request) (string, error) {
		email := r.PostFormValue("email")
		return "Changed the role of " + email + ".", p.a.ChangeRole(r.Context(), email, r.PostFormValue("role_id"))
	}))
	mux.HandleFunc("POST /groups/add", p.post("/users", func(r *http.Request) (string, error) {
		email := r.PostFormValue("email")
		return "Added " + email + " to the group.", p.a.AddToGroup(r.Context(), email, r.PostFormValue("group_id"))
	}))
	mux.HandleFunc("POST /groups/remove", p.post("/users", func(r *http.Request) (string, error) {
		email := r.PostFormValue("email")
		return "Removed " + email + " from the group.", p.a.RemoveFromGroup(r.Context(), email, r.PostFormValue("group_id"))
	}))
	mux.HandleFunc("POST /remove", p.post("/", func(r *http.Request) (string, error) {
		return "RoleUp was removed: Zoom access revoked, tokens and local data deleted.", p.a.RemovePermanently(r.Context())
	}))
}

// post runs a form action and redirects to next with its outcome.
func (p *pages) post(next string, do func(r *http.Request) (string, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
		if err := r.ParseForm(); err != nil {
			http.Error(w, "bad form", http.StatusBadRequest)
			return
		}
		msg, err := do(r)
		if err != nil {
			p.flash(w, false, explain("complete the action", err).Error())
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
		http.Error(w, "database error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_ = p.tmpl.Execute(w, d)
}

func (p *pages) home(w http.ResponseWriter, r *http.Request) {
	counts, err := p.a.store.counts(r.Context())
	if err != nil {
		http.Error(w, "database error", http.StatusInternalServerError)
		return
	}
	p.render(w, r, &pageData{Page: "home", Counts: counts})
}

// integrations renders the integrations list (/integrations) and the
// Zoom integration's configuration page (/integrations/zoom).
func (p *pages) integrations(w http.ResponseWriter, r *http.Request) {
	is, err := p.a.Integrations(r.Context())
	if err != nil {
		http.Error(w, "database error", http.StatusInternalServerError)
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
		http.Error(w, "database error", http.StatusInternalServerError)
		return
	}
	p.render(w, r, &pageData{Page: "users", Users: us})
}

const pageHTML = `<!doctype html>
<html><head><meta charset="utf-8"><title>RoleUp - Zoom user provisioning</title>
<style>body{font-family:sans-serif;max-width:70em;margin:2em auto}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3em .5em;text-align:left}
.ok{background:#e6ffe6;padding:.5em}.err{background:#ffe6e6;padding:.5em}form.inline{display:inline}</style></head>
<body><h1>RoleUp</h1>
<p><a href="/">Home</a> · <a href="/users">Users</a> · <a href="/integrations">Integrations</a></p>
{{with .Flash}}<p class="{{if .OK}}ok{{else}}err{{end}}">{{.Msg}}</p>{{end}}
{{if eq .Page "home"}}
  {{with .Conn}}
  <p>Connected to Zoom as <b>{{.Email}}</b> ({{if eq .RoleID "0"}}owner{{else}}admin{{end}}), <b>{{.Mode}}</b>. Last sync: {{if .SyncedAt}}{{.SyncedAt}}{{else}}never{{end}}.</p>
  <p>Granted scopes: <code>{{.Scopes}}</code></p>
  <form method="post" action="/sync" class="inline"><button>Sync users now</button></form>
  <form method="post" action="/remove" class="inline"><button>Remove RoleUp permanently</button></form>
  <p>Change access: <a href="{{$.ConnectPath}}?mode=read-write">reconnect read/write</a> · <a href="{{$.ConnectPath}}?mode=read-only">reconnect read-only</a></p>
  {{else}}
  <p>RoleUp is not connected to Zoom. An account owner or admin connects it:</p>
  <p><a href="{{.ConnectPath}}?mode=read-write"><button>Connect Zoom (read/write)</button></a>
     <a href="{{.ConnectPath}}?mode=read-only"><button>Connect Zoom (read-only)</button></a></p>
  {{end}}
  <h2>Local records</h2><ul>{{range $t, $n := .Counts}}<li>{{$t}}: {{$n}}</li>{{end}}</ul>
  <h2>Audit log</h2><ul>{{range .Audit}}<li>{{.At}} {{.Actor}}: {{.Action}} - {{.Detail}}</li>{{else}}<li>empty</li>{{end}}</ul>
{{else if eq .Page "integrations"}}
  <h2>Integrations</h2>
  <table><tr><th>App</th><th>State</th><th>Scopes</th><th></th></tr>
  {{range .Integrations}}<tr><td>{{.Name}}</td><td>{{.State}}</td><td>{{range .Scopes}}<code>{{.}}</code> {{else}}none{{end}}</td>
  <td><a href="{{.Configure}}">Edit configuration</a></td></tr>{{end}}
  </table>
{{else if eq .Page "configure"}}
  <h2>Zoom: configuration</h2>
  {{with .Conn}}
  <p>Connected to Zoom account <code>{{.AccountID}}</code> as <b>{{.Email}}</b> ({{if eq .RoleID "0"}}owner{{else}}admin{{end}}) since {{.ConnectedAt}}. Last sync: {{if .SyncedAt}}{{.SyncedAt}}{{else}}never{{end}}.</p>
  <p>Access: <b>{{.Mode}}</b>. Granted scopes: <code>{{.Scopes}}</code></p>
  <p>Change access (Zoom asks again): <a href="{{$.ConnectPath}}?mode=read-write">reconnect read/write</a> · <a href="{{$.ConnectPath}}?mode=read-only">reconnect read-only</a></p>
  <form method="post" action="/integrations/zoom">
    <label>Licence offered first to new users
    <select name="default_licence">{{range $.Licences}}<option value="{{.ID}}"{{if eq .ID $.DefaultLicence}} selected{{end}}>{{.Name}}</option>{{end}}</select></label>
    <button>Save configuration</button>
  </form>
  <form method="post" action="/sync" class="inline"><button>Sync users now</button></form>
  <form method="post" action="/remove" class="inline"><button>Remove RoleUp permanently</button></form>
  {{else}}
  <p>Zoom is not connected. An account owner or admin connects it:</p>
  <p><a href="{{.ConnectPath}}?mode=read-write"><button>Connect Zoom (read/write)</button></a>
     <a href="{{.ConnectPath}}?mode=read-only"><button>Connect Zoom (read-only)</button></a></p>
  {{end}}
  <p><a href="/integrations">Back to integrations</a></p>
{{else}}
  {{$ro := true}}{{with .Conn}}{{if eq .Mode "read-write"}}{{$ro = false}}{{end}}{{end}}
  {{if $ro}}<p class="err">Read-only: RoleUp shows the account but makes no changes.</p>{{end}}
  <h2>Users ({{len .Users}})</h2>
  <table><tr><th>Email</th><th>Name</th><th>Licence</th><th>Status</th><th>Invitation</th><th>Role</th><th>Groups</th><th>Actions</th></tr>
  {{range .Users}}{{$u := .}}<tr><td>{{.Email}}</td><td>{{.Name}}</td><td>{{.LicenceName}}{{if ne .LicenceName .TypeName}} ({{.TypeName}}){{end}}</td><td>{{.Status}}</td><td>{{.Invitation}}</td><td>{{.RoleName}}</td><td>{{range .Groups}}{{.}} {{end}}</td>
  <td>{{if not $ro}}
    <form method="post" action="/users/role" class="inline"><input type="hidden" name="email" value="{{.Email}}">
      <select name="role_id">{{range $.Roles}}<option value="{{.ID}}"{{if eq .ID $u.RoleID}} selected{{end}}>{{.Name}}</option>{{end}}</select><button>Set role</button></form>
    <form method="post" action="/groups/add" class="inline"><input type="hidden" name="email" value="{{.Email}}">
      <select name="group_id">{{range $.Groups}}<option value="{{.ID}}">{{.Name}}</option>{{end}}</select><button>Add to group</button></form>
    <form method="post" action="/groups/remove" class="inline"><input type="hidden" name="email" value="{{.Email}}">
      <select name="group_id">{{range $.Groups}}<option value="{{.ID}}">{{.Name}}</option>{{end}}</select><button>Remove from group</button></form>
    {{if eq .Status "active" "inactive"}}{{if ne .RoleID "0"}}<form method="post" action="/users/offboard" class="inline"><input type="hidden" name="email" value="{{.Email}}">
      {{if eq .Status "inactive"}}<input type="hidden" name="offboarded" value="off"><button title="Offboarded: deactivated in Zoom. Click to bring back.">Offboard: on</button>{{else}}<input type="hidden" name="offboarded" value="on"><button title="Deactivate in Zoom, delete nothing">Offboard: off</button>{{end}}</form>{{end}}{{end}}
    {{if ne .RoleID "0"}}<form method="post" action="/users/remove" class="inline"><input type="hidden" name="email" value="{{.Email}}">
      <select name="action"><option value="disassociate">{{if eq .Status "pending"}}withdraw the invitation{{else}}remove, keep their own Zoom account{{end}}</option>{{if ne .Status "pending"}}<option value="delete">delete permanently</option>{{end}}</select><button>Remove</button></form>{{end}}
  {{end}}</td></tr>{{end}}
  </table>
  {{if not $ro}}
  <h2>Onboard</h2>
  <form method="post" action="/users/onboard">
    <input name="email" type="email" placeholder="email" required> <input name="first_name" placeholder="first name"> <input name="last_name" placeholder="last name">
    <select name="licence">{{range .Licences}}<option value="{{.ID}}"{{if eq .ID $.DefaultLicence}} selected{{end}}>{{.Name}}</option>{{end}}</select> <button>Invite</button>
  </form>
  <ul>{{range .Licences}}<li><b>{{.Name}}</b>: {{.About}}</li>{{end}}</ul>
  {{end}}
  <h2>Groups</h2><ul>{{range .Groups}}<li>{{.Name}}: {{len .Members}} members</li>{{end}}</ul>
  <h2>Roles</h2><ul>{{range .Roles}}<li>{{.Name}} ({{.ID}})</li>{{end}}</ul>
{{end}}
</body></html>`
