package main

import "github.com/zoomkit/zoomkit/examples/internal/exkit"

// layout is PulsoDesk's look: exkit's shared layout with the product's
// navigation (Meetings; Settings → Integrations → Zoom, as its docs name
// them).
func layout(offline bool) exkit.Layout {
	l := exkit.Layout{App: "PulsoDesk", Nav: []exkit.NavLink{
		{Href: "/", Label: "Meetings"},
		{Href: "/meetings", Label: "Meetings in Zoom"},
		{Href: integrationPath, Label: "Settings → Integrations"},
	}}
	if offline {
		l.Footer = "Offline: Zoom is the embedded fake (zoomtest)"
	}
	return l
}

// pages are the app's HTML templates (html/template: every value is
// escaped). State changes are POST forms. No page ever shows a meeting's
// start URL: it would let anyone start the meeting as its host.
const pages = `
{{define "head"}}{{template "whoami" .}}{{template "messages" .}}{{end}}

{{define "whoami"}}{{template "top" .Title}}
<p class="muted" id="whoami">{{.Workspace}} · <span id="member">{{.Member.Name}}</span> (<a href="/signin" id="switch">switch</a>) · <span id="status">{{if .Conn.Active}}Zoom: <strong id="account">{{.Conn.Email}}</strong>{{else}}Zoom: not connected{{end}}</span></p>
{{end}}

{{define "messages"}}{{if .Notice}}<div class="flash" id="notice">{{.Notice}}</div>{{end}}
{{if .Error}}<div class="err" id="error">{{.Error}}</div>{{end}}
{{end}}

{{define "foot"}}{{template "bottom"}}{{end}}

{{define "schedule"}}
<form method="post" action="{{.Action}}" id="meeting-form">
{{if .Platform}}<label>Meeting platform <select id="platform" name="platform"><option value="zoom" selected>Zoom</option></select></label>{{end}}
<label>Title <input id="topic" name="topic" required maxlength="200" size="34" value="{{.In.Topic}}"></label>
<label>Date <input id="date" name="date" type="date" required value="{{.In.Date}}"></label>
<label>Time <input id="time" name="time" type="time" required value="{{.In.Time}}"></label>
<label>Time zone <select id="timezone" name="timezone">{{$tz := .In.Timezone}}{{range zonesWith $tz}}<option{{if eq . $tz}} selected{{end}}>{{.}}</option>{{end}}</select></label>
<label>Duration <input id="duration" name="duration" type="number" min="1" max="1440" required value="{{.In.Duration}}"> min</label>
<button id="submit-meeting" type="submit">{{.Button}}</button>
</form>
{{end}}

{{define "history"}}
{{if .}}<table id="history"><thead><tr><th>Meeting ID</th><th>Title</th><th>Time</th><th>Duration</th><th>Host</th><th>Join Link</th><th>Status</th></tr></thead><tbody>
{{range .}}<tr data-id="{{.ID}}"><td><a href="/meetings/{{.ID}}">{{.ID}}</a></td><td>{{.Topic}}</td><td>{{.When}}</td><td>{{.Duration}} min</td><td class="host">{{.HostEmail}}</td>
<td>{{if eq .Status "scheduled"}}<a href="{{.JoinURL}}">{{.JoinURL}}</a>{{else}}-{{end}}</td><td>{{.Status}}</td></tr>
{{end}}</tbody></table>{{else}}<p class="muted" id="no-meetings">No meetings yet.</p>{{end}}
{{end}}

{{define "home"}}{{template "head" .}}
<div class="card" id="connection">
{{if .Conn.Active}}
<p>Zoom: <strong>Connected</strong> as {{.Conn.Email}}. The meetings you schedule here are created in your Zoom account, with you as the host.
<a href="/settings/integrations/zoom">Manage in Settings → Integrations → Zoom</a></p>
{{else}}
{{if .Conn}}<p>Your Zoom account ({{.Conn.Email}}) is no longer connected: {{.Conn.Reason}}. The meeting history below stays.</p>{{end}}
<p>Each member of the workspace connects their own Zoom account: the meetings you schedule from PulsoDesk are created in yours.</p>
<a class="button" id="connect" href="{{.ConnectTo}}">Connect Zoom Account</a>
{{end}}
</div>
{{if .Conn.Active}}<h2>Schedule Meeting</h2>
{{template "schedule" (dict "Action" "/meetings" "Button" "Schedule" "In" .Default "Platform" true)}}{{end}}
<h2>Meeting history</h2>
{{template "history" .Meetings}}
{{if .Own}}<p><a class="button secondary" id="delete-history" href="/history/delete">Delete my meeting history</a></p>{{end}}
{{template "foot" .}}{{end}}

{{define "list"}}{{template "head" .}}
<h2>Scheduled meetings in Zoom ({{len .Meetings}})</h2>
{{template "history" .Meetings}}
<p><a href="/">Back to Meetings</a></p>
{{template "foot" .}}{{end}}

{{define "meeting"}}{{template "head" .}}{{with .Meeting}}
<div class="card" id="meeting">
<h2 id="meeting-topic">{{.Topic}}</h2>
<p>Meeting ID <strong id="meeting-id">{{.ID}}</strong> · host <span id="meeting-host">{{.HostEmail}}</span> · <span id="meeting-status">{{.Status}}</span></p>
<p>Time: <strong id="meeting-when">{{.When}}</strong> · {{.Duration}} minutes</p>
{{if eq .Status "scheduled"}}<p>Join Link: <a id="join-link" href="{{.JoinURL}}">{{.JoinURL}}</a></p>
<p><a class="button" href="/meetings/{{.ID}}/join">Join meeting</a></p>{{end}}
{{if eq .MemberID $.Member.ID}}<form method="post" action="/meetings/{{.ID}}/delete"><button class="secondary" id="delete-entry" type="submit">Delete from meeting history</button>
<span class="muted">PulsoDesk forgets this meeting; it stays in Zoom.</span></form>{{end}}
</div>{{end}}
<p class="muted">{{if .FromZoom}}Read from your Zoom account just now.{{else}}From the workspace's history (the meeting is in another member's Zoom account, your Zoom is not connected, or Zoom no longer has it).{{end}}</p>
{{if and .Conn.Active .FromZoom}}<h2>Change the meeting</h2>
{{with .Meeting}}{{template "schedule" (dict "Action" (printf "/meetings/%d" .ID) "Button" "Update in Zoom" "In" (input .))}}{{end}}{{end}}
<p><a href="/">Back to Meetings</a></p>
{{template "foot" .}}{{end}}

{{define "confirm-disconnect"}}{{template "head" .}}
<div class="card" id="confirm">
<h2>Disconnect Zoom?</h2>
<p>PulsoDesk will revoke its access to your Zoom account <strong>{{.Conn.Email}}</strong> and delete its tokens.
Zoom removes the PulsoDesk app from that account. Other members' Zoom connections are not affected.</p>
<p>Meetings already scheduled still take place, and the meeting history and its join links stay in PulsoDesk.
To schedule new meetings, connect Zoom again.</p>
<form method="post" action="/disconnect" class="actions"><input type="hidden" name="confirm" value="yes">
<button class="danger" id="confirm-disconnect" type="submit">Confirm: disconnect Zoom</button>
<a class="button secondary" id="cancel" href="/settings/integrations/zoom">Cancel</a></form>
</div>
{{template "foot" .}}{{end}}

{{define "confirm-delete-history"}}{{template "head" .}}
<div class="card" id="confirm">
<h2>Delete my meeting history?</h2>
<p>PulsoDesk will delete its record of the {{len .Meetings}} meeting(s) you scheduled, with their join links. This cannot be undone.</p>
<p>Nothing changes in Zoom: the meetings stay scheduled there and still take place.</p>
<form method="post" action="/history/delete" class="actions"><input type="hidden" name="confirm" value="yes">
<button class="danger" id="confirm-delete-history" type="submit">Yes, delete my meeting history</button>
<a class="button secondary" id="cancel" href="/">Cancel</a></form>
</div>
{{template "foot" .}}{{end}}

{{define "integration"}}{{template "head" .}}
<p class="muted">Settings → Integrations → Zoom</p>
<div class="card" id="zoom-integration">
<h2>Zoom</h2>
<p>Status: <strong id="zoom-status">{{if .Conn.Active}}Connected{{else}}Not connected{{end}}</strong>{{if .Conn.Active}} · Zoom account <strong>{{.Conn.Email}}</strong> since {{.Conn.ConnectedAt.Format "2 Jan 2006 15:04 MST"}}{{end}}</p>
<p>Your own Zoom account: the meetings you schedule from PulsoDesk are created in it. Every member of {{.Workspace}} connects their own.</p>
<h3>Permissions requested</h3>
<ul id="permissions">
<li><code>meeting:write</code>: create Zoom meetings</li>
<li><code>meeting:read</code>: read meeting details</li>
<li><code>user:read</code>: identify the connected Zoom account</li>
</ul>
<p class="muted">PulsoDesk does not ask for recordings, chat messages or meeting content.</p>
{{if .Conn.Active}}<a class="button danger" id="disconnect" href="/disconnect">Disconnect</a>
<p class="muted">You can also remove PulsoDesk from your Zoom account's app settings; PulsoDesk then ends the connection.</p>
{{else}}<a class="button" id="connect" href="{{.ConnectTo}}">Connect Zoom Account</a>{{end}}
</div>
<p><a href="/">Back to Meetings</a></p>
{{template "foot" .}}{{end}}

{{define "signin"}}{{template "head" .}}
<div class="card" id="signin">
<h2>Sign in to {{.Workspace}}</h2>
<p class="muted">This example has no passwords: pick a member of the workspace.</p>
<form method="post" action="/signin">{{range .Members}}
<p><label><input type="radio" name="member" value="{{.ID}}"{{if eq .ID $.Member.ID}} checked{{end}}> {{.Name}} ({{.Email}})</label></p>{{end}}
<button id="signin-submit" type="submit">Sign in</button></form>
</div>
<p><a href="/">Back to Meetings</a></p>
{{template "foot" .}}{{end}}

{{define "error"}}{{template "whoami" .}}
<h1>{{.Title}}</h1>
{{template "messages" .}}
<p><a href="/">Back to Meetings</a>{{if not .Conn.Active}} · <a href="{{.ConnectTo}}">Connect Zoom Account</a>{{end}}</p>
{{template "foot" .}}{{end}}
`
