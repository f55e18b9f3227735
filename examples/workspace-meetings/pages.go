package main

// pages are the app's HTML templates (html/template: every value is
// escaped). State changes are POST forms. No page ever shows a meeting's
// start URL: it would let anyone start the meeting as its host.
const pages = `
{{define "head"}}<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{.Title}} - PulsoDesk</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font-family:system-ui,sans-serif;max-width:52em;margin:2em auto;padding:0 1em;color:#1d2330}
header{display:flex;justify-content:space-between;align-items:center;border-bottom:2px solid #2d8cff;padding-bottom:.5em}
h1{font-size:1.4em;margin:0} h2{font-size:1.15em;margin-top:1.6em}
.card{border:1px solid #d6dbe4;border-radius:8px;padding:1em;margin:1em 0}
.notice{background:#e8f5e9;border-color:#81c784} .error{background:#fdecea;border-color:#e57373}
.btn{display:inline-block;background:#2d8cff;color:#fff;border:0;border-radius:6px;padding:.5em 1em;font-size:1em;text-decoration:none;cursor:pointer}
.btn.secondary{background:#6b7280} .btn.danger{background:#c62828}
table{border-collapse:collapse;width:100%} th,td{text-align:left;padding:.35em .5em;border-bottom:1px solid #e5e7eb}
label{display:inline-block;margin:.3em 1em .3em 0} input,select{font-size:1em;padding:.2em}
.muted{color:#6b7280} .card h2{margin-top:0}
</style></head><body>
<header><h1><a href="/" style="color:inherit;text-decoration:none">PulsoDesk</a> · {{.Workspace}}</h1>
<nav><a href="/" id="nav-meetings">Meetings</a> · <a href="/settings/integrations/zoom" id="nav-integrations">Settings → Integrations</a></nav>
<span><span id="member">{{.Member.Name}}</span> (<a href="/signin" id="switch">switch</a>) · <span id="status">{{if .Conn.Active}}Zoom: <strong id="account">{{.Conn.Email}}</strong>{{else}}Zoom: not connected{{end}}</span></span></header>
{{if .Notice}}<div class="card notice" id="notice">{{.Notice}}</div>{{end}}
{{if .Error}}<div class="card error" id="error">{{.Error}}</div>{{end}}
{{end}}

{{define "foot"}}<p class="muted">{{if .Offline}}Offline: Zoom is the embedded fake (zoomtest). {{end}}<a href="/meetings">Meetings in Zoom</a></p></body></html>{{end}}

{{define "schedule"}}
<form method="post" action="{{.Action}}" id="meeting-form">
{{if .Platform}}<label>Meeting platform <select id="platform" name="platform"><option value="zoom" selected>Zoom</option></select></label><br>{{end}}
<label>Title <input id="topic" name="topic" required maxlength="200" size="34" value="{{.In.Topic}}"></label><br>
<label>Date <input id="date" name="date" type="date" required value="{{.In.Date}}"></label>
<label>Time <input id="time" name="time" type="time" required value="{{.In.Time}}"></label>
<label>Time zone <select id="timezone" name="timezone">{{$tz := .In.Timezone}}{{range zonesWith $tz}}<option{{if eq . $tz}} selected{{end}}>{{.}}</option>{{end}}</select></label>
<label>Duration <input id="duration" name="duration" type="number" min="1" max="1440" required value="{{.In.Duration}}"> min</label><br>
<button class="btn" id="submit-meeting" type="submit">{{.Button}}</button>
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
<a class="btn" id="connect" href="{{.ConnectTo}}">Connect Zoom Account</a>
{{end}}
</div>
{{if .Conn.Active}}<h2>Schedule Meeting</h2>
{{template "schedule" (dict "Action" "/meetings" "Button" "Schedule" "In" .Default "Platform" true)}}{{end}}
<h2>Meeting history</h2>
{{template "history" .Meetings}}
{{if .Own}}<p><a class="btn secondary" id="delete-history" href="/history/delete">Delete my meeting history</a></p>{{end}}
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
<p><a class="btn" href="/meetings/{{.ID}}/join">Join meeting</a></p>{{end}}
{{if eq .MemberID $.Member.ID}}<form method="post" action="/meetings/{{.ID}}/delete"><button class="btn secondary" id="delete-entry" type="submit">Delete from meeting history</button>
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
<form method="post" action="/disconnect"><input type="hidden" name="confirm" value="yes">
<button class="btn danger" id="confirm-disconnect" type="submit">Confirm: disconnect Zoom</button>
<a class="btn secondary" id="cancel" href="/settings/integrations/zoom">Cancel</a></form>
</div>
{{template "foot" .}}{{end}}

{{define "confirm-delete-history"}}{{template "head" .}}
<div class="card" id="confirm">
<h2>Delete my meeting history?</h2>
<p>PulsoDesk will delete its record of the {{len .Meetings}} meeting(s) you scheduled, with their join links. This cannot be undone.</p>
<p>Nothing changes in Zoom: the meetings stay scheduled there and still take place.</p>
<form method="post" action="/history/delete"><input type="hidden" name="confirm" value="yes">
<button class="btn danger" id="confirm-delete-history" type="submit">Yes, delete my meeting history</button>
<a class="btn secondary" id="cancel" href="/">Cancel</a></form>
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
{{if .Conn.Active}}<a class="btn danger" id="disconnect" href="/disconnect">Disconnect</a>
<p class="muted">You can also remove PulsoDesk from your Zoom account's app settings; PulsoDesk then ends the connection.</p>
{{else}}<a class="btn" id="connect" href="{{.ConnectTo}}">Connect Zoom Account</a>{{end}}
</div>
<p><a href="/">Back to Meetings</a></p>
{{template "foot" .}}{{end}}

{{define "signin"}}{{template "head" .}}
<div class="card" id="signin">
<h2>Sign in to {{.Workspace}}</h2>
<p class="muted">This example has no passwords: pick a member of the workspace.</p>
<form method="post" action="/signin">{{range .Members}}
<p><label><input type="radio" name="member" value="{{.ID}}"{{if eq .ID $.Member.ID}} checked{{end}}> {{.Name}} ({{.Email}})</label></p>{{end}}
<button class="btn" id="signin-submit" type="submit">Sign in</button></form>
</div>
<p><a href="/">Back to Meetings</a></p>
{{template "foot" .}}{{end}}

{{define "error"}}{{template "head" .}}
<p><a href="/">Back to Meetings</a>{{if not .Conn.Active}} · <a href="{{.ConnectTo}}">Connect Zoom Account</a>{{end}}</p>
{{template "foot" .}}{{end}}
`
