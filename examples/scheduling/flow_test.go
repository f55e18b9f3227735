package main

import (
	"bytes"
	"fmt"
	"mime"
	"net/http"
	"net/http/httptest"
	"net/mail"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/zoomkit/zoomkit/examples/internal/exkit"
	"github.com/zoomkit/zoomkit/tokenstore"
	"github.com/zoomkit/zoomkit/webhook"
	"github.com/zoomkit/zoomkit/zoom"
	"github.com/zoomkit/zoomkit/zoom/zoomtest"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

type harness struct {
	env *exkit.Env
	app *app
	clk *clock
	out *bytes.Buffer
}

func newHarness(t *testing.T, fakeOpts ...zoomtest.Option) *harness {
	t.Helper()
	h := &harness{clk: &clock{}, out: &bytes.Buffer{}}
	var err error
	h.env, h.app, err = open(t.Context(), exkit.Config{Name: "scheduling", DataDir: t.TempDir()}, h.out, h.clk, fakeOpts...)
	require.NoError(t, err)
	t.Cleanup(h.env.Close)
	h.env.Start(h.app)
	return h
}

func (h *harness) ops() []string {
	var out []string
	for _, r := range h.env.Fake.Requests() {
		op := r.Operation
		if r.Status >= 400 {
			op += fmt.Sprintf("!%d", r.Status)
		}
		out = append(out, op)
	}
	return out
}

func (h *harness) count(t *testing.T, table string) int {
	t.Helper()
	var n int
	require.NoError(t, h.env.DB.QueryRowContext(t.Context(), "SELECT COUNT(*) FROM "+table+" WHERE host_id = $1", h.app.hostID).Scan(&n))
	return n
}

// outbox parses the .eml files.
func outbox(t *testing.T, dir string) []*mail.Message {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.eml"))
	require.NoError(t, err)
	slices.Sort(files)
	var out []*mail.Message
	for _, f := range files {
		raw, err := os.ReadFile(f)
		require.NoError(t, err)
		m, err := mail.ReadMessage(bytes.NewReader(raw))
		require.NoError(t, err, "%s", f)
		out = append(out, m)
	}
	return out
}

func subject(t *testing.T, m *mail.Message) string {
	var dec mime.WordDecoder
	s, err := dec.DecodeHeader(m.Header.Get("Subject"))
	require.NoError(t, err)
	return s
}

func body(t *testing.T, m *mail.Message) string {
	var b bytes.Buffer
	_, err := b.ReadFrom(m.Body)
	require.NoError(t, err)
	return strings.ReplaceAll(b.String(), "\r\n", "\n")
}

func TestFlow(t *testing.T) {
	h := newHarness(t)
	ctx := t.Context()
	require.NoError(t, runFlow(ctx, h.env, h.app, h.clk), "flow\n%s", h.out)

	// The Zoom calls, in order. The disconnect makes no call (no revoke:
	// it would uninstall the app for the team account too). Nothing
	// reaches Zoom for Ada between the disconnect and the reconnect, nor
	// after the dead grant's one refresh, nor after the uninstall.
	want := []string{
		"oauth.authorize", "oauth.token", "user", // Ada connects
		"oauth.authorize", "oauth.token", "user", // the team account connects the same Zoom user
		"meetingCreate", "meetingUpdate", "meetingDelete", // Grace: book, reschedule, cancel
		"meetingCreate",                          // Alan (Ada disconnects: no call)
		"meetingCreate",                          // Hedy, with the team (Katherine: no call)
		"oauth.authorize", "oauth.token", "user", // reconnect
		"oauth.token!400",                        // Margaret: the refresh gets invalid_grant (Edsger: no call)
		"oauth.authorize", "oauth.token", "user", // reconnect from the email
		"meetingCreate", // Barbara (uninstall, Donald: no call)
	}
	assert.Equal(t, want, h.ops(), "Zoom calls")
	tokens := h.env.Fake.TokenRequests()
	assert.Equal(t, 4, tokens["authorization_code"], "token requests %v", tokens)
	assert.Equal(t, 1, tokens["refresh_token"], "token requests %v", tokens)

	// The records.
	bs, err := h.app.Bookings(ctx, h.app.hostID)
	require.NoError(t, err)
	type rec struct{ name, status, conf string }
	var got []rec
	by := map[string]*Booking{}
	for _, b := range bs {
		got = append(got, rec{b.ClientName, b.Status, b.Conferencing})
		by[b.ClientName] = b
	}
	slices.SortFunc(got, func(a, b rec) int { return strings.Compare(a.name, b.name) })
	wantRecs := []rec{
		{"Alan Turing", bookingConfirmed, confZoom},
		{"Barbara Liskov", bookingConfirmed, confZoom},
		{"Donald Knuth", bookingConfirmed, confBuiltin},
		{"Edsger Dijkstra", bookingConfirmed, confBuiltin},
		{"Grace Hopper", bookingCancelled, confZoom},
		{"Katherine Johnson", bookingConfirmed, confBuiltin},
		{"Margaret Hamilton", bookingConfirmed, confBuiltin},
	}
	assert.Equal(t, wantRecs, got, "bookings")
	for _, name := range []string{"Margaret Hamilton", "Edsger Dijkstra"} {
		b := by[name]
		assert.Contains(t, b.Note, "reconnect", "%s: note %q", name, b.Note)
	}
	for _, b := range bs {
		if b.Conferencing == confBuiltin && (b.ZoomMeetingID != 0 || b.JoinURL != h.env.BaseURL+"/call/"+b.ID) {
			t.Errorf("built-in booking %+v", b)
		}
	}

	// Zoom's side: Grace's meeting deleted; Alan's (made before the
	// disconnect) and Barbara's (before the uninstall) left alone.
	grace, _ := h.env.Fake.Meeting(zoom.ID(by["Grace Hopper"].ZoomMeetingID))
	assert.True(t, grace.Deleted, "Grace's meeting %+v", grace)
	assert.Equal(t, 1, grace.Updates, "Grace's meeting %+v", grace)
	assert.True(t, grace.StartTime.Equal(by["Grace Hopper"].Start), "Grace's meeting %+v", grace)
	for _, name := range []string{"Alan Turing", "Barbara Liskov"} {
		b := by[name]
		m, ok := h.env.Fake.Meeting(zoom.ID(b.ZoomMeetingID))
		assert.True(t, ok, "%s's meeting %+v (booking %+v)", name, m, b)
		assert.False(t, m.Deleted, "%s's meeting %+v (booking %+v)", name, m, b)
		assert.Equal(t, 30, m.Duration, "%s's meeting %+v (booking %+v)", name, m, b)
		assert.Equal(t, "Europe/London", m.Timezone, "%s's meeting %+v (booking %+v)", name, m, b)
		assert.True(t, m.StartTime.Equal(b.Start), "%s's meeting %+v (booking %+v)", name, m, b)
		assert.Equal(t, "Coaching session: Ada Lovelace with "+name, m.Topic, "%s's meeting %+v (booking %+v)", name, m, b)
		assert.NotZero(t, b.JoinURL, "%s's meeting %+v (booking %+v)", name, m, b)
	}
	// The team account's booking made after Ada's disconnect is a Zoom
	// meeting on the shared connection.
	teamBs, err := h.app.Bookings(ctx, teamHost().ID)
	require.NoError(t, err)
	if len(teamBs) != 1 || teamBs[0].ClientName != "Hedy Lamarr" || teamBs[0].Conferencing != confZoom {
		t.Errorf("team bookings %+v", teamBs)
	} else if m, ok := h.env.Fake.Meeting(zoom.ID(teamBs[0].ZoomMeetingID)); !ok || m.Deleted {
		t.Errorf("Hedy's meeting %+v", m)
	}
	assert.Len(t, h.env.Fake.Meetings(zoomEmail), 4, "meetings on Zoom")

	// Uninstalled: token, connection and settings gone.
	owner, _ := h.env.Fake.User(zoomEmail)
	_, err = h.env.Tokens.Get(ctx, tokenKey(owner.ID))
	assert.ErrorIs(t, err, tokenstore.ErrNotFound, "token after uninstall")
	assert.Equal(t, 0, h.count(t, "scheduling_zoom_connections"), "connections after uninstall")
	for _, id := range []string{h.app.hostID, teamHost().ID} {
		kind, err := h.app.defaultConferencing(ctx, id)
		assert.NoError(t, err, "%s's default after uninstall: %q %v", id, kind, err)
		assert.Equal(t, confBuiltin, kind, "%s's default after uninstall: %q %v", id, kind, err)
	}
	var deauth []zoomtest.Delivery
	for _, d := range h.env.Fake.Deliveries() {
		assert.Equal(t, http.StatusOK, d.Status, "webhook %s answered", d.Event)
		if d.Event == "app_deauthorized" {
			deauth = append(deauth, d)
		}
	}
	// One, for the uninstall in the Marketplace: the disconnect revokes
	// nothing.
	assert.Len(t, deauth, 1, "app_deauthorized deliveries")

	// The outbox.
	msgs := outbox(t, h.env.Mail.Dir)
	require.Len(t, msgs, 14, "%d emails (%d sent)", len(msgs), len(h.env.Mail.Sent()))
	require.Len(t, h.env.Mail.Sent(), 14, "%d emails (%d sent)", len(msgs), len(h.env.Mail.Sent()))
	var actions []*mail.Message
	for _, m := range msgs {
		s := subject(t, m)
		if strings.HasPrefix(s, "Action required") {
			actions = append(actions, m)
			continue
		}
		to, _ := mail.ParseAddress(m.Header.Get("To"))
		var b *Booking
		for _, x := range append(bs, teamBs...) {
			if x.ClientEmail == to.Address {
				b = x
			}
		}
		if b == nil {
			t.Errorf("email %q to %s: no booking", s, to.Address)
			continue
		}
		if txt := body(t, m); !strings.HasPrefix(s, "Booking cancelled") && !strings.Contains(txt, b.JoinURL) {
			t.Errorf("email %q to %s lacks the join link %s:\n%s", s, to.Address, b.JoinURL, txt)
		}
	}
	// The dead grant, then the uninstall: each time one email to each
	// account on the shared connection, with the reconnect link.
	var deadTo, uninstallTo []string
	for _, m := range actions {
		to, _ := mail.ParseAddress(m.Header.Get("To"))
		txt := body(t, m)
		assert.Contains(t, txt, "Reconnect Zoom: "+h.env.BaseURL+exkit.ConnectPath+"\n", "Action required email to %s:\n%s", to.Address, txt)
		assert.Contains(t, txt, zoomEmail, "Action required email to %s:\n%s", to.Address, txt)
		if strings.Contains(txt, "removed from your Zoom account") {
			uninstallTo = append(uninstallTo, to.Address)
		} else {
			deadTo = append(deadTo, to.Address)
		}
	}
	slices.Sort(deadTo)
	slices.Sort(uninstallTo)
	wantTo := []string{defaultHost().Email, teamHost().Email}
	assert.Equal(t, wantTo, deadTo, "Action required emails: dead grant to %q, uninstall to %q; want both %q", deadTo, uninstallTo, wantTo)
	assert.Equal(t, wantTo, uninstallTo, "Action required emails: dead grant to %q, uninstall to %q; want both %q", deadTo, uninstallTo, wantTo)

	// The transcript names the calls and never a secret.
	out := h.out.String()
	for _, s := range []string{
		"→ POST /users/{userId}/meetings (meetingCreate)", "→ PATCH /meetings/{meetingId} (meetingUpdate)",
		"→ DELETE /meetings/{meetingId} (meetingDelete)", "share one Zoom connection", "the grant is not revoked",
		"Connected as " + zoomEmail, "invalid_grant", "webhook app_deauthorized, verified and answered 200",
	} {
		assert.Contains(t, out, s, "transcript lacks %q", s)
	}
	for _, secret := range []string{h.env.Fake.ClientSecret(), h.env.WebhookSecret, "access_token", "refresh_token", "start_url"} {
		assert.NotContains(t, out, secret, "transcript contains a secret (%q)", secret)
	}
}

// connect runs Connect in a browser and makes Zoom the default.
func (h *harness) connect(t *testing.T) {
	t.Helper()
	status, body, err := exkit.NewBrowser().Get(t.Context(), h.env.BaseURL+exkit.ConnectPath)
	require.NoError(t, err, "connect: %d %v\n%s", status, err, body)
	require.Equal(t, http.StatusOK, status, "connect: %d %v\n%s", status, err, body)
	require.Contains(t, body, zoomEmail, "connect: %d %v\n%s", status, err, body)
	require.NoError(t, h.app.SetDefaultConferencing(t.Context(), h.app.hostID, confZoom))
}

func (h *harness) book(t *testing.T, name string, slot int) *Booking {
	t.Helper()
	slots, err := h.app.Slots(t.Context(), h.app.hostID)
	require.NoError(t, err)
	b, err := h.app.Book(t.Context(), h.app.hostID, BookingInput{ClientName: name, ClientEmail: strings.ToLower(strings.Fields(name)[0]) + "@clients.example", Start: slots[slot]})
	require.NoError(t, err)
	return b
}

// A grant that dies with Zoom bookings in place: their reschedule and
// cancel leave the Zoom meeting alone, the host is told once, and the
// disconnect still cleans up locally.
func TestDeadGrantWithExistingMeetings(t *testing.T) {
	h := newHarness(t)
	ctx := t.Context()
	h.connect(t)
	a := h.book(t, "Ada Byron", 0)
	require.Equal(t, confZoom, a.Conferencing, "booking %+v", a)
	h.env.Fake.RevokeAll()
	h.clk.Advance(90 * time.Minute)
	h.env.Fake.ResetRequests()

	slots, _ := h.app.Slots(ctx, h.app.hostID)
	moved, err := h.app.Reschedule(ctx, a.ID, slots[2])
	require.NoError(t, err)
	assert.Contains(t, moved.Note, "keeps its old time", "rescheduled %+v", moved)
	assert.Equal(t, a.ZoomMeetingID, moved.ZoomMeetingID, "rescheduled %+v", moved)
	b := h.book(t, "Bob Kahn", 0)
	assert.Equal(t, confBuiltin, b.Conferencing, "booking %+v", b)
	cancelled, err := h.app.Cancel(ctx, a.ID)
	require.NoError(t, err)
	assert.Contains(t, cancelled.Note, "left in place", "cancelled %+v", cancelled)
	m, _ := h.env.Fake.Meeting(zoom.ID(a.ZoomMeetingID))
	assert.False(t, m.Deleted, "the meeting was touched: %+v", m)
	assert.Equal(t, 0, m.Updates, "the meeting was touched: %+v", m)
	conn, _ := h.app.connection(ctx, h.app.hostID)
	require.NoError(t, h.app.Disconnect(ctx, h.app.hostID), "disconnect")
	// One refresh (invalid_grant), then nothing: not for the booking, the
	// cancel nor the revoke.
	assert.Equal(t, []string{"oauth.token!400"}, h.ops(), "Zoom calls")
	n := 0
	for _, e := range h.env.Mail.Sent() {
		if strings.HasPrefix(e.Subject, "Action required") {
			n++
		}
	}
	assert.Equal(t, 1, n, "Action required emails")
	_, err = h.env.Tokens.Get(ctx, conn.TokenKey)
	assert.ErrorIs(t, err, tokenstore.ErrNotFound, "token after disconnect")
	kind, _ := h.app.defaultConferencing(ctx, h.app.hostID)
	assert.Equal(t, confBuiltin, kind, "default")
}

func TestPages(t *testing.T) {
	h := newHarness(t)
	ctx := t.Context()
	do := func(method, path string, form url.Values, hdr ...string) *httptest.ResponseRecorder {
		t.Helper()
		var r *http.Request
		if form != nil {
			r = httptest.NewRequestWithContext(ctx, method, path, strings.NewReader(form.Encode()))
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		} else {
			r = httptest.NewRequestWithContext(ctx, method, path, nil)
		}
		for i := 0; i+1 < len(hdr); i += 2 {
			r.Header.Set(hdr[i], hdr[i+1])
		}
		w := httptest.NewRecorder()
		exkit.Protect(h.app).ServeHTTP(w, r) // as exkit serves it
		return w
	}
	expect := func(w *httptest.ResponseRecorder, status int, contains ...string) {
		t.Helper()
		assert.Equal(t, status, w.Code, "status: %s", snippet(w.Body.String()))
		for _, s := range contains {
			assert.Contains(t, w.Body.String(), s, "page lacks %q:\n%s", s, w.Body.String())
		}
	}

	expect(do("GET", "/", nil), 200, "Not connected.", `href="/scheduling/conferencing">Manage conferencing</a>`, "No bookings yet.", `<b id="effective">built-in call</b>`)
	// Scheduling > Conferencing > Manage conferencing, with the buttons
	// the product's docs name.
	expect(do("GET", "/scheduling/conferencing", nil), 200, "Scheduling", "Conferencing", "<h1>Manage conferencing</h1>",
		"Not connected.", `action="/zoom/connect"`, button("Connect"), "Built-in calls", `<b id="effective">built-in call</b>`)
	slots, _ := h.app.Slots(ctx, h.app.hostID)
	expect(do("GET", "/book", nil), 200, "Book a 30-minute Coaching session with Ada Lovelace", fmt.Sprintf(`value="%d"`, slots[0].Unix()))

	// Refusals.
	expect(do("POST", "/settings", url.Values{"conferencing": {"zoom"}}), 409, "connect Zoom first")
	expect(do("POST", "/zoom/disconnect", url.Values{}), 409, "not connected")
	expect(do("POST", "/book", url.Values{"name": {"Eve"}, "email": {"not-an-email"}, "start": {unix(slots[0])}}), 400, "valid email")
	expect(do("POST", "/book", url.Values{"name": {"Eve"}, "email": {"eve@clients.example"}, "start": {"12345"}}), 400, "not available")
	expect(do("GET", "/bookings/bk_nope", nil), 404)
	expect(do("POST", "/account", url.Values{"account": {"nobody"}}), 400, "no such account")
	expect(do("POST", "/settings", url.Values{"conferencing": {"builtin"}}, "Sec-Fetch-Site", "cross-site"), 403)
	expect(do("GET", exkit.WebhookPath, nil), 405)
	expect(do("POST", exkit.WebhookPath, url.Values{}), 401)

	// A booking through the pages, with HTML escaping.
	w := do("POST", "/book", url.Values{"name": {"<Eve & Co>"}, "email": {"eve@clients.example"}, "start": {unix(slots[0])}})
	expect(w, 303)
	loc := w.Header().Get("Location")
	expect(do("GET", loc, nil), 200, "&lt;Eve &amp; Co&gt;", h.env.BaseURL+"/call/", `<b id="status">confirmed</b>`)
	// The built-in call link is the app's own page.
	expect(do("GET", strings.Replace(loc, "/bookings/", "/call/", 1), nil), 200, "Built-in call", "&lt;Eve &amp; Co&gt;")
	expect(do("GET", "/call/bk_nope", nil), 404)
	expect(do("POST", "/book", url.Values{"name": {"Mallory"}, "email": {"m@clients.example"}, "start": {unix(slots[0])}}), 400, "not available")
	expect(do("POST", loc+"/reschedule", url.Values{"start": {unix(slots[5])}}), 303)
	expect(do("POST", loc+"/cancel", url.Values{}), 303)
	expect(do("GET", loc, nil), 200, `<b id="status">cancelled</b>`)
	expect(do("POST", loc+"/cancel", url.Values{}), 409, "no longer change")
	expect(do("GET", "/", nil), 200, "&lt;Eve &amp; Co&gt;", "cancelled")
	assert.Empty(t, h.env.Fake.Requests(), "Zoom calls without a connection: %v", h.ops())

	// Connected; disconnected from the dashboard.
	h.connect(t)
	expect(do("GET", "/", nil), 200, "Connected as "+zoomEmail, `<b id="effective">Zoom meeting</b>`, "Embedded fake Zoom")
	expect(do("GET", "/scheduling/conferencing", nil), 200, `Connected as <b id="zoom-email">`+zoomEmail, `<b id="effective">Zoom meeting</b>`,
		button("Disconnect"), button("Make default"))
	expect(do("POST", "/settings", url.Values{"conferencing": {"builtin"}}), 303)
	expect(do("GET", "/scheduling/conferencing", nil), 200, `<b id="effective">built-in call</b>`, `value="zoom"><button class="secondary" id="default-zoom">Make default</button>`)
	expect(do("POST", "/settings", url.Values{"conferencing": {"zoom"}}), 303)
	w = do("POST", "/zoom/disconnect", url.Values{})
	expect(w, 303)
	expect(do("GET", w.Header().Get("Location"), nil), 200, "Zoom is disconnected", "Not connected.", button("Connect"), `<b id="effective">built-in call</b>`)

	// Connected again, then the fake Zoom's controls: revoke, two hours,
	// a booking; the dashboard asks to reconnect; uninstall.
	h.connect(t)
	expect(do("POST", "/fake/revoke", url.Values{}), 303)
	expect(do("POST", "/fake/advance", url.Values{}), 303)
	slots, _ = h.app.Slots(ctx, h.app.hostID)
	w = do("POST", "/book", url.Values{"name": {"Frank"}, "email": {"frank@clients.example"}, "start": {unix(slots[0])}})
	expect(w, 303)
	expect(do("GET", w.Header().Get("Location"), nil), 200, h.env.BaseURL+"/call/", "Zoom needs reconnecting")
	expect(do("GET", "/", nil), 200, "Action required", `<b id="effective">built-in call</b>`)
	expect(do("GET", "/scheduling/conferencing", nil), 200, "Action required", button("Reconnect"), button("Disconnect"), "New bookings get a built-in call until you reconnect.", `<b id="effective">built-in call</b>`)
	w = do("GET", "/scheduling/conferencing", nil)
	assert.NotContains(t, w.Body.String(), "invalid_grant", "the page shows Zoom's raw error")
	expect(do("POST", "/fake/uninstall", url.Values{}), 303)
	expect(do("GET", "/?done=uninstall", nil), 200, "app_deauthorized", "Not connected.")
	expect(do("POST", "/fake/uninstall", url.Values{}), 409)
	expect(do("POST", "/fake/bogus", url.Values{}), 404)
}

// An unverified app_deauthorized (wrong secret) removes nothing.
func TestForgedDeauthorization(t *testing.T) {
	h := newHarness(t)
	h.connect(t)
	c, _ := h.app.connection(t.Context(), h.app.hostID)
	body := fmt.Sprintf(`{"event":"app_deauthorized","event_ts":%d,"payload":{"user_id":%q,"account_id":"x"}}`, h.clk.Now().UnixMilli(), c.ZoomUserID)
	r, err := webhook.NewSignedRequest(t.Context(), "not-the-secret", h.env.BaseURL+exkit.WebhookPath, []byte(body), h.clk.Now())
	require.NoError(t, err)
	resp, err := http.DefaultClient.Do(r)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode, "forged event answered")
	c, _ = h.app.connection(t.Context(), h.app.hostID)
	assert.NotNil(t, c, "a forged event removed the connection")
	http.DefaultClient.CloseIdleConnections()
}

// An app lacking a scope fails the action clearly (and keeps the booking
// as it was).
func TestMissingScope(t *testing.T) {
	h := newHarness(t, zoomtest.WithAppScopes("meeting:write:meeting", "meeting:update:meeting", "user:read:user"))
	h.connect(t)
	b := h.book(t, "Ada Byron", 0)
	_, err := h.app.Cancel(t.Context(), b.ID)
	require.ErrorIs(t, err, zoom.ErrMissingScopes, "cancel: %v", err)
	require.Contains(t, err.Error(), "deleting the Zoom meeting", "cancel: %v", err)
	got, _ := h.app.Booking(t.Context(), b.ID)
	assert.Equal(t, bookingConfirmed, got.Status, "booking %+v", got)
}

// connectAs runs Connect in a browser signed in to hostID.
func (h *harness) connectAs(t *testing.T, hostID string) {
	t.Helper()
	br := exkit.NewBrowser()
	defer br.CloseIdleConnections()
	resp, err := br.PostForm(h.env.BaseURL+"/account", url.Values{"account": {hostID}})
	require.NoError(t, err)
	resp.Body.Close()
	status, page, err := br.Get(t.Context(), h.env.BaseURL+exkit.ConnectPath)
	require.NoError(t, err, "connect as %s: %d %v\n%s", hostID, status, err, page)
	require.Equal(t, http.StatusOK, status, "connect as %s: %d %v\n%s", hostID, status, err, page)
	require.Contains(t, page, `Connected as <b id="zoom-email">`+zoomEmail, "connect as %s: %d %v\n%s", hostID, status, err, page)
	require.NoError(t, h.app.SetDefaultConferencing(t.Context(), hostID, confZoom))
}

// Disconnect never calls Zoom: the team's disconnect leaves Ada's
// bookings on Zoom; the last account's disconnect deletes the token, and
// the app stays installed on Zoom (no app_deauthorized).
func TestDisconnectSharedConnection(t *testing.T) {
	h := newHarness(t)
	ctx := t.Context()
	ada, team := h.app.hostID, teamHost().ID
	h.connectAs(t, ada)
	h.connectAs(t, team)
	conn, _ := h.app.connection(ctx, ada)
	h.env.Fake.ResetRequests()

	require.NoError(t, h.app.Disconnect(ctx, team))
	c, _ := h.app.connection(ctx, team)
	assert.Nil(t, c, "team connection after disconnect")
	kind, _ := h.app.defaultConferencing(ctx, team)
	assert.Equal(t, confBuiltin, kind, "team default")
	_, err := h.env.Tokens.Get(ctx, conn.TokenKey)
	assert.NoError(t, err, "the shared token should stay")
	b := h.book(t, "Ada Byron", 0)
	assert.Equal(t, confZoom, b.Conferencing, "Ada's booking after the team's disconnect %+v", b)
	require.NoError(t, h.app.Disconnect(ctx, ada))
	_, err = h.env.Tokens.Get(ctx, conn.TokenKey)
	assert.ErrorIs(t, err, tokenstore.ErrNotFound, "token after the last disconnect")
	assert.Equal(t, []string{"meetingCreate"}, h.ops(), "Zoom calls")
	for _, d := range h.env.Fake.Deliveries() {
		if d.Event == "app_deauthorized" {
			t.Error("a disconnect uninstalled the app on Zoom")
		}
	}
	assert.ErrorIs(t, h.app.Disconnect(ctx, ada), exkit.ErrNotConnected, "second disconnect")
}

// app_deauthorized tells each account once: a duplicate delivery finds
// nothing left and sends nothing.
func TestUninstallDuplicateDelivery(t *testing.T) {
	h := newHarness(t)
	ctx := t.Context()
	h.connectAs(t, h.app.hostID)
	h.connectAs(t, teamHost().ID)
	conn, _ := h.app.connection(ctx, h.app.hostID)
	require.NoError(t, h.env.Fake.Uninstall(conn.ZoomUserID))
	ds := h.env.Fake.Deliveries()
	require.NoError(t, h.env.Fake.Redeliver(len(ds)-1))
	var to []string
	for _, e := range h.env.Mail.Sent() {
		if strings.HasPrefix(e.Subject, "Action required") {
			to = append(to, e.To)
		}
	}
	slices.Sort(to)
	want := []string{defaultHost().Email, teamHost().Email}
	assert.Equal(t, want, to, "Action required emails")
	for _, d := range h.env.Fake.Deliveries() {
		assert.Equal(t, http.StatusOK, d.Status, "%s answered", d.Event)
	}
}
