package zoomtest

import (
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/zoomkit/zoomkit/zoom"
)

// ControlPrefix is the path under which a server started with
// [WithControl] serves its console page and its control endpoints.
const ControlPrefix = "/_zoomtest/"

// WithControl serves, under [ControlPrefix], a read-only console page
// (accounts, users, meetings, grants, webhook deliveries) and control
// endpoints for the test-only actions, so that tests written in any
// language can drive the fake over HTTP (see cmd/zoomfake). The endpoints
// take and return JSON:
//
//	GET  /_zoomtest/                            the console page (HTML)
//	GET  /_zoomtest/state                       users, meetings, grants, deliveries
//	POST /_zoomtest/clock/advance               {"duration":"30m"}: moves the server clock, makes due webhook retries
//	POST /_zoomtest/users                       {"email","first_name","last_name","type","status","role_id"}
//	POST /_zoomtest/users/{email}/accept        accepts the user's invitation
//	POST /_zoomtest/authorizing-user            {"user":"id or email"}: who approves on the consent page
//	POST /_zoomtest/meetings/{id}/start         starts the meeting or webinar
//	POST /_zoomtest/meetings/{id}/join          {"name","email","user_id","registrant_id"}: returns {"participant_id"}
//	POST /_zoomtest/meetings/{id}/leave         {"participant_id"}
//	POST /_zoomtest/meetings/{id}/end           ends it (past instance, participants report)
//	POST /_zoomtest/meetings/{id}/recording     completes its cloud recording
//	POST /_zoomtest/uninstall                   {"user":"id or email"}: the user uninstalls the app
//	POST /_zoomtest/faults                      {"operation","count","status","reset","latency","server_latency"}
//	POST /_zoomtest/faults/clear                clears every fault
//	POST /_zoomtest/webhooks                    {"url","secret","events":[...]}: subscribes
//
// The endpoints are not authenticated: they are for a test server on a
// loopback address. Tokens and secrets never appear on them.
func WithControl() Option {
	return func(c *config) error {
		c.control = true
		return nil
	}
}

// WithAddr makes the server listen on addr (such as "127.0.0.1:8090" or
// "127.0.0.1:0") instead of a random loopback port. Listening on a
// non-loopback address exposes a server with known credentials and, with
// [WithControl], unauthenticated control endpoints: only do so inside an
// isolated test network.
func WithAddr(addr string) Option {
	return func(c *config) error {
		if _, _, err := net.SplitHostPort(addr); err != nil {
			return fmt.Errorf("zoomtest: WithAddr: %q is not host:port", addr)
		}
		c.addr = addr
		return nil
	}
}

// control is the console and control endpoints of a server started with
// WithControl.
type control struct {
	s      *Server
	offset atomic.Int64 // nanoseconds added to the configured clock
	mux    *http.ServeMux
}

// setupControl wraps the configured clock with an advanceable offset and
// builds the control handler. It runs before the state is created.
func (s *Server) setupControl() {
	if !s.cfg.control {
		return
	}
	c := &control{s: s, mux: http.NewServeMux()}
	base := s.cfg.now
	s.cfg.now = func() time.Time { return base().Add(time.Duration(c.offset.Load())) }
	m := c.mux
	m.HandleFunc("GET "+ControlPrefix+"{$}", c.console)
	m.HandleFunc("GET "+ControlPrefix+"state", c.state)
	m.HandleFunc("POST "+ControlPrefix+"clock/advance", c.advance)
	m.HandleFunc("POST "+ControlPrefix+"users", c.addUser)
	m.HandleFunc("POST "+ControlPrefix+"users/{email}/accept", c.accept)
	m.HandleFunc("POST "+ControlPrefix+"authorizing-user", c.authorizingUser)
	m.HandleFunc("POST "+ControlPrefix+"meetings/{id}/{action}", c.meeting)
	m.HandleFunc("POST "+ControlPrefix+"uninstall", c.uninstall)
	m.HandleFunc("POST "+ControlPrefix+"faults", c.fault)
	m.HandleFunc("POST "+ControlPrefix+"faults/clear", c.clearFaults)
	m.HandleFunc("POST "+ControlPrefix+"webhooks", c.subscribe)
	s.ctl = c
}

func (c *control) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	c.mux.ServeHTTP(w, r)
}

// ctlError is the body of a failed control call.
type ctlError struct {
	Error string `json:"error"`
}

func ctlFail(w http.ResponseWriter, status int, err error) {
	writeJSON(w, status, ctlError{Error: err.Error()})
}

// decode reads a small JSON body into v; an empty body leaves v as is.
func decode(r *http.Request, v any) error {
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		return fmt.Errorf("reading the body: %w", err)
	}
	if len(strings.TrimSpace(string(body))) == 0 {
		return nil
	}
	if err := json.Unmarshal(body, v); err != nil {
		return fmt.Errorf("the body is not the expected JSON: %w", err)
	}
	return nil
}

func (c *control) advance(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Duration string `json:"duration"`
	}
	if err := decode(r, &in); err != nil {
		ctlFail(w, http.StatusBadRequest, err)
		return
	}
	d, err := time.ParseDuration(in.Duration)
	if err != nil || d < 0 {
		ctlFail(w, http.StatusBadRequest, errors.New(`duration must be a non-negative Go duration such as "30m"`))
		return
	}
	c.offset.Add(int64(d))
	// The server's timers run on real time: make the webhook retries that
	// fell due.
	c.s.DeliverDue()
	writeJSON(w, http.StatusOK, map[string]any{"now": c.s.cfg.now().UTC().Format(time.RFC3339)})
}

func (c *control) addUser(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Email     string `json:"email"`
		FirstName string `json:"first_name"`
		LastName  string `json:"last_name"`
		Type      int    `json:"type"`
		Status    string `json:"status"`
		RoleID    string `json:"role_id"`
		Timezone  string `json:"timezone"`
	}
	if err := decode(r, &in); err != nil {
		ctlFail(w, http.StatusBadRequest, err)
		return
	}
	u, err := c.s.AddUser(User{Email: in.Email, FirstName: in.FirstName, LastName: in.LastName,
		Type: in.Type, Status: in.Status, RoleID: in.RoleID, Timezone: in.Timezone})
	if err != nil {
		ctlFail(w, http.StatusBadRequest, err)
		return
	}
	writeJSON(w, http.StatusCreated, userJSON(u))
}

func (c *control) accept(w http.ResponseWriter, r *http.Request) {
	if err := c.s.AcceptInvitation(r.PathValue("email")); err != nil {
		ctlFail(w, http.StatusNotFound, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (c *control) authorizingUser(w http.ResponseWriter, r *http.Request) {
	var in struct {
		User string `json:"user"`
	}
	if err := decode(r, &in); err != nil {
		ctlFail(w, http.StatusBadRequest, err)
		return
	}
	if err := c.s.SetAuthorizingUser(in.User); err != nil {
		ctlFail(w, http.StatusNotFound, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (c *control) meeting(w http.ResponseWriter, r *http.Request) {
	n, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		ctlFail(w, http.StatusBadRequest, errors.New("the meeting id must be a number"))
		return
	}
	id := zoom.ID(n)
	switch r.PathValue("action") {
	case "start":
		uuid, err := c.s.StartMeeting(id)
		if err != nil {
			ctlFail(w, http.StatusConflict, err)
			return
		}
		writeJSON(w, http.StatusOK, map[string]string{"uuid": uuid})
	case "join":
		var in struct {
			Name         string `json:"name"`
			Email        string `json:"email"`
			UserID       string `json:"user_id"`
			RegistrantID string `json:"registrant_id"`
		}
		if err := decode(r, &in); err != nil {
			ctlFail(w, http.StatusBadRequest, err)
			return
		}
		pid, err := c.s.Join(id, Participant{Name: in.Name, Email: in.Email, UserID: in.UserID, RegistrantID: in.RegistrantID})
		if err != nil {
			ctlFail(w, http.StatusConflict, err)
			return
		}
		writeJSON(w, http.StatusOK, map[string]string{"participant_id": pid})
	case "leave":
		var in struct {
			ParticipantID string `json:"participant_id"`
		}
		if err := decode(r, &in); err != nil {
			ctlFail(w, http.StatusBadRequest, err)
			return
		}
		if err := c.s.Leave(id, in.ParticipantID); err != nil {
			ctlFail(w, http.StatusConflict, err)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	case "end":
		if err := c.s.EndMeeting(id); err != nil {
			ctlFail(w, http.StatusConflict, err)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	case "recording":
		if err := c.s.CompleteRecording(id); err != nil {
			ctlFail(w, http.StatusConflict, err)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	default:
		ctlFail(w, http.StatusNotFound, errors.New("unknown action: use start, join, leave, end or recording"))
	}
}

func (c *control) uninstall(w http.ResponseWriter, r *http.Request) {
	var in struct {
		User string `json:"user"`
	}
	if err := decode(r, &in); err != nil {
		ctlFail(w, http.StatusBadRequest, err)
		return
	}
	if err := c.s.Uninstall(in.User); err != nil {
		ctlFail(w, http.StatusNotFound, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (c *control) fault(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Operation     string `json:"operation"`
		Count         int    `json:"count"`
		Status        int    `json:"status"`
		Reset         bool   `json:"reset"`
		Latency       string `json:"latency"`
		ServerLatency string `json:"server_latency"`
	}
	if err := decode(r, &in); err != nil {
		ctlFail(w, http.StatusBadRequest, err)
		return
	}
	if in.ServerLatency != "" {
		d, err := time.ParseDuration(in.ServerLatency)
		if err == nil {
			err = c.s.SetLatency(d)
		}
		if err != nil {
			ctlFail(w, http.StatusBadRequest, fmt.Errorf("server_latency: %w", err))
			return
		}
		if in.Count == 0 && in.Status == 0 && !in.Reset && in.Latency == "" {
			w.WriteHeader(http.StatusNoContent)
			return
		}
	}
	f := Fault{Operation: in.Operation, Count: max(in.Count, 1), Status: in.Status, Reset: in.Reset}
	if in.Latency != "" {
		d, err := time.ParseDuration(in.Latency)
		if err != nil {
			ctlFail(w, http.StatusBadRequest, fmt.Errorf("latency: %w", err))
			return
		}
		f.Latency = d
	}
	if err := c.s.InjectFault(f); err != nil {
		ctlFail(w, http.StatusBadRequest, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (c *control) clearFaults(w http.ResponseWriter, _ *http.Request) {
	c.s.ClearFaults()
	w.WriteHeader(http.StatusNoContent)
}

func (c *control) subscribe(w http.ResponseWriter, r *http.Request) {
	var in struct {
		URL    string   `json:"url"`
		Secret string   `json:"secret"`
		Events []string `json:"events"`
	}
	if err := decode(r, &in); err != nil {
		ctlFail(w, http.StatusBadRequest, err)
		return
	}
	if err := c.s.Subscribe(in.URL, in.Secret, in.Events...); err != nil {
		ctlFail(w, http.StatusBadRequest, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// stateView is what GET /_zoomtest/state returns and the console shows.
type stateView struct {
	Now        string         `json:"now"`
	AccountID  string         `json:"account_id"`
	ClientID   string         `json:"client_id"`
	Users      []userView     `json:"users"`
	Accounts   []accountView  `json:"accounts"`
	Meetings   []meetingView  `json:"meetings"`
	Grants     []grantView    `json:"grants"`
	Deliveries []deliveryView `json:"deliveries"`
}

// accountView is one account of the fake and its users.
type accountView struct {
	ID    string     `json:"id"`
	Users []userView `json:"users"`
}

type userView struct {
	ID        string `json:"id"`
	Role      string `json:"role,omitempty"` // the role's name, for the console
	Email     string `json:"email"`
	FirstName string `json:"first_name,omitempty"`
	LastName  string `json:"last_name,omitempty"`
	Type      int    `json:"type"`
	Status    string `json:"status"`
	RoleID    string `json:"role_id"`
}

func userJSON(u User) userView {
	return userView{ID: u.ID, Email: u.Email, FirstName: u.FirstName, LastName: u.LastName, Type: u.Type, Status: u.Status, RoleID: u.RoleID}
}

type meetingView struct {
	ID        zoom.ID `json:"id"`
	HostID    string  `json:"host_id"`
	Webinar   bool    `json:"webinar,omitempty"`
	Topic     string  `json:"topic"`
	StartTime string  `json:"start_time,omitempty"`
	Status    string  `json:"status"`
	Deleted   bool    `json:"deleted,omitempty"`
	Past      int     `json:"past_instances"`
}

type grantView struct {
	UserID  string   `json:"user_id,omitempty"`
	Scopes  []string `json:"scopes"`
	Live    bool     `json:"live"`
	Account bool     `json:"account_level,omitempty"`
}

type deliveryView struct {
	Attempt int    `json:"attempt"`
	Next    string `json:"next_retry,omitempty"`
	Event   string `json:"event"`
	URL     string `json:"url"`
	Status  int    `json:"status"`
	Error   string `json:"error,omitempty"`
	Time    string `json:"time"`
}

func (c *control) snapshot() stateView {
	s := c.s
	v := stateView{Now: s.cfg.now().UTC().Format(time.RFC3339), AccountID: s.AccountID(), ClientID: s.ClientID()}
	roles := map[string]string{}
	for _, r := range s.Roles() {
		roles[r.ID] = r.Name
	}
	for _, u := range s.Users() {
		uv := userJSON(u)
		uv.Role = roles[u.RoleID]
		v.Users = append(v.Users, uv)
		for _, m := range s.Meetings(u.ID) {
			mv := meetingView{ID: m.ID, HostID: m.HostID, Webinar: m.Webinar, Topic: m.Topic, Status: m.Status,
				Deleted: m.Deleted, Past: len(m.PastInstances)}
			if !m.StartTime.IsZero() {
				mv.StartTime = m.StartTime.UTC().Format(time.RFC3339)
			}
			v.Meetings = append(v.Meetings, mv)
		}
	}
	s.mu.Lock()
	var ids []string
	for _, a := range s.st.accounts {
		ids = append(ids, a.id)
	}
	s.mu.Unlock()
	for _, id := range ids {
		av := accountView{ID: id}
		for _, u := range s.AccountUsers(id) {
			av.Users = append(av.Users, userJSON(u))
		}
		v.Accounts = append(v.Accounts, av)
	}
	s.mu.Lock()
	for _, g := range s.st.grants {
		v.Grants = append(v.Grants, grantView{UserID: g.userID, Scopes: append([]string(nil), g.scopes...), Live: !g.revoked, Account: g.accounts})
	}
	s.mu.Unlock()
	for _, d := range s.Deliveries() {
		dv := deliveryView{Attempt: d.Attempt, Event: d.Event, URL: d.URL, Status: d.Status, Error: d.Err, Time: d.Time.UTC().Format(time.RFC3339)}
		if !d.Next.IsZero() {
			dv.Next = d.Next.UTC().Format(time.RFC3339)
		}
		v.Deliveries = append(v.Deliveries, dv)
	}
	return v
}

func (c *control) state(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, c.snapshot())
}

var consolePage = template.Must(template.New("console").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>zoomtest console</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222}
h1{font-size:1.4em}h2{font-size:1.1em;margin-top:1.6em}
table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.25em .6em;text-align:left}
th{background:#f3f3f3}.muted{color:#777}
</style></head><body>
<h1>Fake Zoom (zoomtest)</h1>
<p class="muted">Account {{.AccountID}} · app {{.ClientID}} · server clock {{.Now}} · read only; refresh to update</p>
<h2>Accounts ({{len .Accounts}})</h2>
<table><tr><th>account</th><th>users</th></tr>
{{range .Accounts}}<tr><td>{{.ID}}</td><td>{{range .Users}}{{.Email}} {{end}}</td></tr>
{{end}}</table>
<h2>Users of account {{.AccountID}} ({{len .Users}})</h2>
<table><tr><th>id</th><th>email</th><th>name</th><th>type</th><th>status</th><th>role</th></tr>
{{range .Users}}<tr><td>{{.ID}}</td><td>{{.Email}}</td><td>{{.FirstName}} {{.LastName}}</td><td>{{if eq .Type 1}}Basic{{else if eq .Type 2}}Licensed{{else}}{{.Type}}{{end}}</td><td>{{.Status}}</td><td>{{or .Role .RoleID}}</td></tr>
{{end}}</table>
<h2>Meetings and webinars ({{len .Meetings}})</h2>
<table><tr><th>id</th><th>kind</th><th>topic</th><th>host</th><th>start</th><th>status</th><th>past instances</th></tr>
{{range .Meetings}}<tr><td>{{.ID}}</td><td>{{if .Webinar}}webinar{{else}}meeting{{end}}</td><td>{{.Topic}}</td><td>{{.HostID}}</td><td>{{.StartTime}}</td><td>{{.Status}}{{if .Deleted}} (deleted){{end}}</td><td>{{.Past}}</td></tr>
{{end}}</table>
<h2>Grants ({{len .Grants}})</h2>
<table><tr><th>user</th><th>scopes</th><th>state</th></tr>
{{range .Grants}}<tr><td>{{if .Account}}account (server-to-server){{else}}{{.UserID}}{{end}}</td><td>{{range .Scopes}}{{.}} {{end}}</td><td>{{if .Live}}live{{else}}revoked{{end}}</td></tr>
{{end}}</table>
<h2>Webhook deliveries ({{len .Deliveries}})</h2>
<table><tr><th>time</th><th>event</th><th>attempt</th><th>url</th><th>status</th><th>error</th><th>next retry</th></tr>
{{range .Deliveries}}<tr><td>{{.Time}}</td><td>{{.Event}}</td><td>{{.Attempt}}</td><td>{{.URL}}</td><td>{{.Status}}</td><td>{{.Error}}</td><td>{{.Next}}</td></tr>
{{end}}</table>
</body></html>
`))

func (c *control) console(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
	_ = consolePage.Execute(w, c.snapshot())
}
