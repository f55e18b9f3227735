package main

import (
	"context"
	"errors"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/zoomkit/zoomkit/examples/internal/exkit"
	"github.com/zoomkit/zoomkit/zoom"
)

// flow is the scripted offline run: the host and her clients use the
// app's pages (the same handlers as -serve); the fake Zoom stands in for
// what people do on Zoom's side (approve, revoke, uninstall).
type flow struct {
	env     *exkit.Env
	app     *app
	clk     *clock
	log     *exkit.Transcript
	browser *exkit.Browser // Ada's
	team    *exkit.Browser // her assistant's, signed in to the team account
	// what was already printed
	reqs, hooks, mails int
}

// operation paths as Zoom documents them, for the transcript.
func pathTemplate(op, path string) string {
	switch op {
	case "meetingCreate":
		return "/users/{userId}/meetings"
	case "meetingUpdate", "meetingDelete", "meeting":
		return "/meetings/{meetingId}"
	case "user":
		return "/users/{userId}"
	}
	return path
}

func runFlow(ctx context.Context, env *exkit.Env, a *app, clk *clock) error {
	if env.Fake == nil {
		return errors.New("the scripted flow runs against the embedded fake Zoom; use -serve with real Zoom")
	}
	f := &flow{env: env, app: a, clk: clk, log: env.Log, browser: exkit.NewBrowser(), team: exkit.NewBrowser()}
	defer f.browser.CloseIdleConnections()
	defer f.team.CloseIdleConnections()
	host, team := a.hostID, teamHost().ID

	f.log.Step("Ada (a coach) opens Scheduling > Conferencing > Manage conferencing")
	page, err := f.get(ctx, conferencingPath)
	if err != nil {
		return err
	}
	if !hasAll(page, "<h1>Manage conferencing</h1>", "Not connected.", button("Connect"), `<b id="effective">built-in call</b>`) {
		return errors.New("the Manage conferencing page should show Zoom as not connected, with a Connect button")
	}
	f.log.OK("Zoom: Not connected [Connect] · Built-in calls: default · new bookings get: built-in call")

	f.log.Step("Ada clicks Connect and approves the app on Zoom")
	if page, err = f.get(ctx, exkit.ConnectPath); err != nil {
		return err
	}
	f.calls()
	conn, err := a.connection(ctx, host)
	if err != nil {
		return err
	}
	if !conn.Usable() || !hasAll(page, `Connected as <b id="zoom-email">`+conn.ZoomEmail+`</b>`, button("Disconnect"), button("Make default")) {
		return errors.New("the Manage conferencing page should show the connected Zoom account, with Disconnect and Make default")
	}
	f.log.OK("Manage conferencing: Connected as %s [Disconnect] [Make default] (Zoom user %s); token stored under %q", conn.ZoomEmail, conn.ZoomUserID, conn.TokenKey)

	f.log.Step("Ada clicks Make default on Zoom")
	if page, err = f.post(ctx, "/settings", url.Values{"conferencing": {confZoom}}); err != nil {
		return err
	}
	if !strings.Contains(page, `<b id="effective">Zoom meeting</b>`) {
		return errors.New("the default should now be Zoom")
	}
	f.log.OK("new bookings get: Zoom meeting")

	f.log.Step("Ada's assistant signs in to the team account and connects the same Zoom account")
	if page, err = f.postAs(ctx, f.team, "/account", url.Values{"account": {team}}); err != nil {
		return err
	}
	if !strings.Contains(page, `<b id="account">`+teamHost().Name+`</b>`) || !strings.Contains(page, "Not connected.") {
		return errors.New("the team account's dashboard should show Zoom as not connected")
	}
	if _, err = f.getAs(ctx, f.team, exkit.ConnectPath); err != nil {
		return err
	}
	if page, err = f.postAs(ctx, f.team, "/settings", url.Values{"conferencing": {confZoom}}); err != nil {
		return err
	}
	f.calls()
	teamConn, err := a.connection(ctx, team)
	if err != nil {
		return err
	}
	if conn, err = a.connection(ctx, host); err != nil {
		return err
	}
	if !teamConn.Usable() || !conn.Usable() || teamConn.TokenKey != conn.TokenKey || !strings.Contains(page, `<b id="effective">Zoom meeting</b>`) {
		return errors.New("both accounts should use one Zoom connection, with Zoom as the default")
	}
	f.log.OK("%s and %s share one Zoom connection (%s, token %q); both default to Zoom meetings", defaultHost().Name, teamHost().Name, conn.ZoomEmail, conn.TokenKey)

	f.log.Step("Grace books a 30-minute session")
	grace, err := f.book(ctx, "Grace Hopper", "grace@clients.example", 0)
	if err != nil {
		return err
	}
	if err := f.expectZoom(grace); err != nil {
		return err
	}

	f.log.Step("Grace reschedules to another slot")
	slots, err := a.Slots(ctx, host)
	if err != nil {
		return err
	}
	if _, err := f.post(ctx, "/bookings/"+grace.ID+"/reschedule", url.Values{"start": {unix(slots[3])}}); err != nil {
		return err
	}
	f.calls()
	if grace, err = a.Booking(ctx, grace.ID); err != nil {
		return err
	}
	if m, ok := env.Fake.Meeting(zoom.ID(grace.ZoomMeetingID)); !ok || !m.StartTime.Equal(grace.Start) {
		return errors.New("the Zoom meeting should have moved with the booking")
	}
	f.log.OK("booking %s moved to %s; Zoom meeting %d updated", grace.ID, f.when(grace.Start), grace.ZoomMeetingID)
	f.emails()

	f.log.Step("Grace cancels")
	if _, err := f.post(ctx, "/bookings/"+grace.ID+"/cancel", nil); err != nil {
		return err
	}
	f.calls()
	if grace, err = a.Booking(ctx, grace.ID); err != nil {
		return err
	}
	if m, _ := env.Fake.Meeting(zoom.ID(grace.ZoomMeetingID)); grace.Status != bookingCancelled || !m.Deleted {
		return errors.New("the booking should be cancelled and its Zoom meeting deleted")
	}
	f.log.OK("booking %s cancelled; Zoom meeting %d deleted", grace.ID, grace.ZoomMeetingID)
	f.emails()

	f.log.Step("Alan books a session")
	alan, err := f.book(ctx, "Alan Turing", "alan@clients.example", 1)
	if err != nil {
		return err
	}
	if err := f.expectZoom(alan); err != nil {
		return err
	}

	f.log.Step("Ada disconnects Zoom from her account")
	if page, err = f.post(ctx, "/zoom/disconnect", nil); err != nil {
		return err
	}
	f.calls()
	if conn, err = a.connection(ctx, host); err != nil || conn != nil {
		return fmt.Errorf("the connection should be gone (%v)", err)
	}
	if !hasAll(page, "<h1>Manage conferencing</h1>", "Not connected.", button("Connect"), `<b id="effective">built-in call</b>`) {
		return errors.New("the Manage conferencing page should show Zoom disconnected and built-in calls")
	}
	f.log.OK("Ada's connection removed; her default conferencing fell back to built-in calls")
	for _, d := range env.Fake.Deliveries() {
		if d.Event == "app_deauthorized" {
			return errors.New("disconnecting must not revoke the grant (revoking uninstalls the app on Zoom)")
		}
	}
	if teamConn, err = a.connection(ctx, team); err != nil || !teamConn.Usable() {
		return fmt.Errorf("the team account's Zoom connection should stay (%v)", err)
	}
	if _, err := env.Tokens.Get(ctx, teamConn.TokenKey); err != nil {
		return fmt.Errorf("the shared token should stay: %w", err)
	}
	f.log.Note("the grant is not revoked: revoking would uninstall the app on Zoom and disconnect the team account too")
	if m, ok := env.Fake.Meeting(zoom.ID(alan.ZoomMeetingID)); !ok || m.Deleted {
		return errors.New("the Zoom meeting of Alan's booking should be left alone")
	}
	f.log.Note("on Zoom: Alan's meeting %d is still scheduled (existing meetings are left alone)", alan.ZoomMeetingID)

	f.log.Step("Hedy books a session on the team's booking page")
	hedy, err := f.bookWith(ctx, team, "Hedy Lamarr", "hedy@clients.example", 0)
	if err != nil {
		return err
	}
	if err := f.expectZoom(hedy); err != nil {
		return err
	}
	f.log.Note("the team account still books Zoom meetings on the shared connection")

	f.log.Step("Katherine books a session")
	kath, err := f.book(ctx, "Katherine Johnson", "katherine@clients.example", 2)
	if err != nil {
		return err
	}
	if err := f.expectBuiltin(kath); err != nil {
		return err
	}

	f.log.Step("Ada connects Zoom again and makes it her default")
	if _, err = f.get(ctx, exkit.ConnectPath); err != nil {
		return err
	}
	if page, err = f.post(ctx, "/settings", url.Values{"conferencing": {confZoom}}); err != nil {
		return err
	}
	f.calls()
	if !strings.Contains(page, `<b id="effective">Zoom meeting</b>`) {
		return errors.New("the default should be Zoom again")
	}
	f.log.OK("connected as %s; new bookings get: Zoom meeting", zoomEmail)

	f.log.Step("On Zoom's side the app's access is revoked; two hours pass")
	env.Fake.RevokeAll()
	clk.Advance(2 * time.Hour)
	f.log.Note("Zoom revoked the grant; the stored access token has expired (clock +2h)")

	f.log.Step("Margaret books a session")
	margaret, err := f.book(ctx, "Margaret Hamilton", "margaret@clients.example", 4)
	if err != nil {
		return err
	}
	if err := f.expectBuiltin(margaret); err != nil {
		return err
	}
	if conn, err = a.connection(ctx, host); err != nil || conn == nil || conn.Status != statusReconnectRequired {
		return fmt.Errorf("the connection should need reconnecting (%v)", err)
	}
	if teamConn, err = a.connection(ctx, team); err != nil || teamConn == nil || teamConn.Status != statusReconnectRequired {
		return fmt.Errorf("the team's connection should need reconnecting too (%v)", err)
	}
	f.log.OK("the shared Zoom connection is marked \"reconnect required\" for both accounts (Zoom said: %s)", conn.StatusReason)
	reconnect := ""
	for _, e := range env.Mail.Sent() {
		if strings.HasPrefix(e.Subject, "Action required") {
			reconnect = linkAfter(e.Body, "Reconnect Zoom: ")
		}
	}
	if reconnect != a.publicURL+exkit.ConnectPath {
		return fmt.Errorf("the Action required email should carry the reconnect link, got %q", reconnect)
	}
	if page, err = f.get(ctx, conferencingPath); err != nil {
		return err
	}
	if !hasAll(page, "Action required", button("Reconnect"), button("Disconnect")) {
		return errors.New("the Manage conferencing page should offer Reconnect")
	}
	f.log.OK("Manage conferencing: Action required [Reconnect] [Disconnect]")

	f.log.Step("Edsger books a session")
	edsger, err := f.book(ctx, "Edsger Dijkstra", "edsger@clients.example", 5)
	if err != nil {
		return err
	}
	if err := f.expectBuiltin(edsger); err != nil {
		return err
	}
	f.log.Note("no second \"Action required\" email")

	f.log.Step("Ada follows the reconnect link in the email")
	if page, err = f.get(ctx, strings.TrimPrefix(reconnect, a.publicURL)); err != nil {
		return err
	}
	f.calls()
	if conn, err = a.connection(ctx, host); err != nil || !conn.Usable() || !strings.Contains(page, `<b id="effective">Zoom meeting</b>`) {
		return fmt.Errorf("the Zoom connection should be back, with Zoom as the default (%v)", err)
	}
	if teamConn, err = a.connection(ctx, team); err != nil || !teamConn.Usable() {
		return fmt.Errorf("the team's connection should be back too (%v)", err)
	}
	f.log.OK("connected as %s; Zoom is the default again, for the team account too", conn.ZoomEmail)

	f.log.Step("Barbara books a session")
	barbara, err := f.book(ctx, "Barbara Liskov", "barbara@clients.example", 6)
	if err != nil {
		return err
	}
	if err := f.expectZoom(barbara); err != nil {
		return err
	}

	f.log.Step("Ada uninstalls the app from Zoom's App Marketplace")
	before := len(env.Mail.Sent())
	if err := env.Fake.Uninstall(conn.ZoomUserID); err != nil {
		return err
	}
	f.calls()
	for _, id := range []string{host, team} {
		if c, err := a.connection(ctx, id); err != nil || c != nil {
			return fmt.Errorf("%s's connection should be removed (%v)", id, err)
		}
		if kind, err := a.defaultConferencing(ctx, id); err != nil || kind != confBuiltin {
			return fmt.Errorf("%s's default should be built-in calls, is %q (%v)", id, kind, err)
		}
	}
	if _, err := env.Tokens.Get(ctx, conn.TokenKey); err == nil {
		return errors.New("the token should be deleted")
	}
	if page, err = f.get(ctx, "/"); err != nil {
		return err
	}
	if !strings.Contains(page, "Not connected.") || !strings.Contains(page, `<b id="effective">built-in call</b>`) {
		return errors.New("the dashboard should show Zoom as not connected and built-in calls")
	}
	told := map[string]bool{}
	for _, e := range env.Mail.Sent()[before:] {
		if strings.HasPrefix(e.Subject, "Action required") && strings.Contains(e.Body, "removed from your Zoom account") &&
			linkAfter(e.Body, "Reconnect Zoom: ") == a.publicURL+exkit.ConnectPath {
			told[e.To] = true
		}
	}
	if !told[defaultHost().Email] || !told[teamHost().Email] {
		return fmt.Errorf("both accounts should get the Action required email with the reconnect link (%v)", told)
	}
	f.log.OK("both accounts are disconnected: the Zoom token, connections and Zoom settings are deleted; defaults are built-in calls")
	f.emails()

	f.log.Step("Donald books a session")
	donald, err := f.book(ctx, "Donald Knuth", "donald@clients.example", 7)
	if err != nil {
		return err
	}
	if err := f.expectBuiltin(donald); err != nil {
		return err
	}

	f.log.Step("Summary")
	total := 0
	for _, id := range []string{host, team} {
		bs, err := a.Bookings(ctx, id)
		if err != nil {
			return err
		}
		for _, b := range bs {
			call := "built-in call"
			if b.Conferencing == confZoom {
				call = fmt.Sprintf("Zoom meeting %d", b.ZoomMeetingID)
			}
			f.log.Note("%-4s %-9s %-18s %s  %s", id, b.Status, b.ClientName, f.when(b.Start), call)
		}
		total += len(bs)
	}
	f.log.OK("%d bookings, %d emails in %s", total, len(env.Mail.Sent()), env.Mail.Dir)
	return nil
}

// button is a page's button with this label.
func button(label string) string { return ">" + label + "</button>" }

func hasAll(page string, parts ...string) bool {
	for _, p := range parts {
		if !strings.Contains(page, p) {
			return false
		}
	}
	return true
}

func unix(t time.Time) string { return strconv.FormatInt(t.Unix(), 10) }

func linkAfter(body, label string) string {
	_, rest, ok := strings.Cut(body, label)
	if !ok {
		return ""
	}
	line, _, _ := strings.Cut(rest, "\n")
	return strings.TrimSpace(line)
}

func (f *flow) when(t time.Time) string {
	h, err := f.app.host(context.Background(), f.app.hostID)
	if err != nil {
		return t.UTC().Format(time.RFC3339)
	}
	return when(h, t)
}

// book books Ada's i-th free slot through her public booking page.
func (f *flow) book(ctx context.Context, name, email string, i int) (*Booking, error) {
	return f.bookWith(ctx, f.app.hostID, name, email, i)
}

// bookWith books the i-th free slot of an account through its public
// booking page, in the client's own browser.
func (f *flow) bookWith(ctx context.Context, hostID, name, email string, i int) (*Booking, error) {
	slots, err := f.app.Slots(ctx, hostID)
	if err != nil {
		return nil, err
	}
	if i >= len(slots) {
		return nil, errors.New("not enough free slots")
	}
	client := exkit.NewBrowser()
	defer client.CloseIdleConnections()
	resp, err := client.PostForm(f.env.BaseURL+"/book", url.Values{"host": {hostID}, "name": {name}, "email": {email}, "start": {unix(slots[i])}})
	if err != nil {
		return nil, err
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	id, ok := strings.CutPrefix(resp.Request.URL.Path, "/bookings/")
	if resp.StatusCode != http.StatusOK || !ok {
		return nil, fmt.Errorf("booking for %s: %s: %s", name, resp.Status, snippet(string(body)))
	}
	f.calls()
	return f.app.Booking(ctx, id)
}

func (f *flow) expectZoom(b *Booking) error {
	m, ok := f.env.Fake.Meeting(zoom.ID(b.ZoomMeetingID))
	if b.Conferencing != confZoom || !ok || m.Deleted || !m.StartTime.Equal(b.Start) {
		return fmt.Errorf("booking %s should have a Zoom meeting at its time", b.ID)
	}
	f.log.OK("booking %s on %s: Zoom meeting %d %q\njoin %s", b.ID, f.when(b.Start), b.ZoomMeetingID, m.Topic, b.JoinURL)
	f.emails()
	return nil
}

func (f *flow) expectBuiltin(b *Booking) error {
	if b.Conferencing != confBuiltin || b.JoinURL != f.app.callURL(b.ID) {
		return fmt.Errorf("booking %s should have a built-in call", b.ID)
	}
	// The client's link opens the app's own call page.
	client := exkit.NewBrowser()
	defer client.CloseIdleConnections()
	status, page, err := client.Get(context.Background(), b.JoinURL)
	if err != nil || status != http.StatusOK || !strings.Contains(page, "Built-in call") || !strings.Contains(page, html.EscapeString(b.ClientName)) {
		return fmt.Errorf("the built-in call link %s should open the call page: %d %v", b.JoinURL, status, err)
	}
	msg := fmt.Sprintf("booking %s on %s: built-in call %s", b.ID, f.when(b.Start), b.JoinURL)
	if b.Note != "" {
		msg += "\n(" + b.Note + ")"
	}
	f.log.OK("%s", msg)
	f.emails()
	return nil
}

func (f *flow) get(ctx context.Context, path string) (string, error) {
	return f.getAs(ctx, f.browser, path)
}

func (f *flow) post(ctx context.Context, path string, form url.Values) (string, error) {
	return f.postAs(ctx, f.browser, path, form)
}

func (f *flow) getAs(ctx context.Context, br *exkit.Browser, path string) (string, error) {
	status, body, err := br.Get(ctx, f.env.BaseURL+path)
	if err != nil {
		return "", err
	}
	if status != http.StatusOK {
		return "", fmt.Errorf("GET %s: %d: %s", path, status, snippet(body))
	}
	return body, nil
}

func (f *flow) postAs(ctx context.Context, br *exkit.Browser, path string, form url.Values) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, f.env.BaseURL+path, strings.NewReader(form.Encode()))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := br.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return "", err
	}
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("POST %s: %s: %s", path, resp.Status, snippet(string(body)))
	}
	return string(body), nil
}

func snippet(s string) string {
	if _, after, ok := strings.Cut(s, `class="err">`); ok {
		s, _, _ = strings.Cut(after, "<")
	}
	if len(s) > 200 {
		s = s[:200]
	}
	return strings.TrimSpace(s)
}

// calls prints the requests Zoom received and the webhooks it delivered
// since the last print.
func (f *flow) calls() {
	reqs := f.env.Fake.Requests()
	n := 0
	for _, r := range reqs[f.reqs:] {
		n++
		f.log.Call(r.Method, pathTemplate(r.Operation, r.Path), r.Operation)
		if r.Status >= 300 && r.Status != http.StatusFound {
			f.log.Fail("Zoom answered %d", r.Status)
		}
	}
	f.reqs = len(reqs)
	ds := f.env.Fake.Deliveries()
	for _, d := range ds[f.hooks:] {
		f.log.Note("← webhook %s, verified and answered %d", d.Event, d.Status)
	}
	f.hooks = len(ds)
	if n == 0 {
		f.log.Note("no Zoom call")
	}
}

// emails prints the emails sent since the last print.
func (f *flow) emails() {
	sent := f.env.Mail.Sent()
	for _, e := range sent[f.mails:] {
		f.log.Note("email to %s: %q", e.To, e.Subject)
		if link := linkAfter(e.Body, "Reconnect Zoom: "); link != "" {
			f.log.Note("  with the link %s", link)
		}
	}
	f.mails = len(sent)
}
