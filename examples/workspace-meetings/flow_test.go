package main

import (
	"bytes"
	"context"
	"io"
	"mime"
	"net/http"
	"net/mail"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
	"golang.org/x/oauth2"

	"github.com/zoomkit/zoomkit/examples/internal/exkit"
	"github.com/zoomkit/zoomkit/internal/servicetest"
	"github.com/zoomkit/zoomkit/internal/servicetest/pgtest"
	"github.com/zoomkit/zoomkit/tokenstore"
	"github.com/zoomkit/zoomkit/zoom"
	"github.com/zoomkit/zoomkit/zoom/zoomtest"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// open builds the env and the app in a temporary folder.
func open(t *testing.T, out io.Writer, cfg exkit.Config, fakeOpts ...zoomtest.Option) (*exkit.Env, *app) {
	t.Helper()
	cfg.Name = name
	if cfg.DataDir == "" {
		cfg.DataDir = t.TempDir()
	}
	env, err := exkit.Open(t.Context(), cfg, out, append(fakeOptions(), fakeOpts...)...)
	require.NoError(t, err)
	t.Cleanup(env.Close)
	require.NoError(t, seedFake(env))
	a, err := newApp(t.Context(), env, appOptions{})
	require.NoError(t, err)
	return env, a
}

func ops(reqs []zoomtest.Request) []string {
	var out []string
	for _, r := range reqs {
		out = append(out, r.Operation)
	}
	return out
}

func count(reqs []zoomtest.Request, op string) int {
	n := 0
	for _, r := range reqs {
		if r.Operation == op {
			n++
		}
	}
	return n
}

func TestFlow(t *testing.T) { checkFlow(t, exkit.Config{}) }

// TestFlowPostgres runs the flow with the tokens, the webhook dedup table
// and the app's tables in PostgreSQL (a schema of its own), as with
// -db postgres://...
func TestFlowPostgres(t *testing.T) {
	db := pgtest.Open(t)
	schema := servicetest.UniqueName("workspace_meetings_")
	_, err := db.ExecContext(t.Context(), "CREATE SCHEMA "+schema)
	require.NoError(t, err)
	t.Cleanup(func() { _, _ = db.ExecContext(context.Background(), "DROP SCHEMA "+schema+" CASCADE") })
	u, err := url.Parse(servicetest.PostgresDSN(t))
	require.NoError(t, err)
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	checkFlow(t, exkit.Config{DSN: u.String()})
	var n int
	err = db.QueryRowContext(t.Context(), "SELECT count(*) FROM "+schema+".workspace_meetings_history").Scan(&n)
	assert.NoError(t, err, "PostgreSQL holds %d meetings (%v), want 3", n, err)
	assert.Equal(t, 3, n, "PostgreSQL holds %d meetings (%v), want 3", n, err)
}

func checkFlow(t *testing.T, cfg exkit.Config) {
	ctx := t.Context()
	var out bytes.Buffer
	env, a := open(t, &out, cfg)
	res, err := runFlowResult(ctx, env, a, &out)
	require.NoError(t, err, "flow\n%s", out.String())
	transcript := out.String()
	madrid := loadZone("Europe/Madrid")
	day := res.Day

	// The app's records: each member's own connection (Ana's reconnected,
	// Luis's untouched by her disconnect), and the meetings, each with the
	// member who scheduled it and that member's Zoom account as the host.
	c, err := a.connection(ctx, ana)
	require.NoError(t, err, "connection %+v, %v", c, err)
	require.True(t, c.Active(), "connection %+v, %v", c, err)
	require.Equal(t, ownerEmail, c.Email, "connection %+v, %v", c, err)
	require.Equal(t, c.ZoomUserID, env.Fake.OwnerID(), "connection %+v, %v", c, err)
	require.Equal(t, c.TokenKey, a.tokenKey(ana), "connection %+v, %v", c, err)
	luisZoom, _ := env.Fake.User(luis.Email)
	lc, err := a.connection(ctx, luis)
	require.NoError(t, err, "Luis's connection %+v, %v", lc, err)
	require.True(t, lc.Active(), "Luis's connection %+v, %v", lc, err)
	require.Equal(t, luis.Email, lc.Email, "Luis's connection %+v, %v", lc, err)
	require.Equal(t, luisZoom.ID, lc.ZoomUserID, "Luis's connection %+v, %v", lc, err)
	require.NotEqual(t, c.ZoomUserID, lc.ZoomUserID, "Luis's connection %+v, %v", lc, err)
	require.Equal(t, a.tokenKey(luis), lc.TokenKey, "Luis's connection %+v, %v", lc, err)
	require.NotEqual(t, c.TokenKey, lc.TokenKey, "Luis's connection %+v, %v", lc, err)
	tok, err := env.Tokens.Get(ctx, a.tokenKey(luis))
	if assert.NoError(t, err, "Luis's token: %v", err) {
		assert.NotZero(t, tok.AccessToken, "Luis's token: %v", err)
	}
	hist, err := a.history(ctx)
	require.NoError(t, err, "history %+v, %v", hist, err)
	require.Len(t, hist, 3, "history %+v, %v", hist, err)
	hostOf := map[string]string{ana.ID: ownerEmail, luis.ID: luis.Email}
	byID := map[int64]meeting{}
	for _, m := range hist {
		byID[m.ID] = m
		assert.Equal(t, statusScheduled, m.Status, "history row %+v", m)
		assert.Contains(t, m.JoinURL, "/j/"+strconv.FormatInt(m.ID, 10), "history row %+v", m)
		assert.Equal(t, m.HostEmail, hostOf[m.MemberID], "history row %+v", m)
	}
	lm := byID[res.Luis.ID]
	assert.Equal(t, luis.ID, lm.MemberID, "Luis's meeting in the history: %+v", lm)
	assert.Equal(t, luis.Email, lm.HostEmail, "Luis's meeting in the history: %+v", lm)
	assert.Equal(t, "Customer onboarding: Globex", lm.Topic, "Luis's meeting in the history: %+v", lm)
	_, ok := byID[res.Second.ID]
	assert.False(t, ok, "meeting %d is still in the history after its deletion", res.Second.ID)
	first, second, third := byID[res.First.ID], *res.DeletedFromHistory, byID[res.Third.ID]
	wantStart := time.Date(day.Year(), day.Month(), day.Day(), 10, 30, 0, 0, madrid)
	assert.Equal(t, "Weekly design review (extended)", first.Topic, "updated meeting in history: %+v (want start %v)", first, wantStart)
	assert.True(t, first.Start.Equal(wantStart), "updated meeting in history: %+v (want start %v)", first, wantStart)
	assert.Equal(t, 60, first.Duration, "updated meeting in history: %+v (want start %v)", first, wantStart)
	assert.Equal(t, "Europe/Madrid", first.Timezone, "updated meeting in history: %+v (want start %v)", first, wantStart)
	ny := loadZone("America/New_York")
	d2 := day.AddDate(0, 0, 1)
	assert.Equal(t, "1:1 Ana / Luis - quarterly goals", second.Topic, "second meeting (renamed in Zoom, by webhook): %+v", second)
	assert.Equal(t, "America/New_York", second.Timezone, "second meeting (renamed in Zoom, by webhook): %+v", second)
	assert.Equal(t, 30, second.Duration, "second meeting (renamed in Zoom, by webhook): %+v", second)
	assert.True(t, second.Start.Equal(time.Date(d2.Year(), d2.Month(), d2.Day(), 16, 30, 0, 0, ny)), "second meeting (renamed in Zoom, by webhook): %+v", second)
	assert.Equal(t, "Sprint retro", third.Topic, "meeting after the reconnect: %+v", third)
	assert.Equal(t, 30, third.Duration, "meeting after the reconnect: %+v", third)

	// Zoom's side agrees.
	for _, m := range append(hist, second) {
		zm, ok := env.Fake.Meeting(zoom.ID(m.ID))
		wantHost := env.Fake.OwnerID()
		if m.MemberID == luis.ID {
			wantHost = luisZoom.ID
		}
		assert.True(t, ok, "Zoom has %+v for %+v", zm, m)
		assert.Equal(t, m.Topic, zm.Topic, "Zoom has %+v for %+v", zm, m)
		assert.True(t, zm.StartTime.Equal(m.Start), "Zoom has %+v for %+v", zm, m)
		assert.Equal(t, m.Duration, zm.Duration, "Zoom has %+v for %+v", zm, m)
		assert.Equal(t, wantHost, zm.HostID, "Zoom has %+v for %+v", zm, m)
	}

	// The Zoom calls made.
	reqs := env.Fake.Requests()
	for op, want := range map[string]int{"oauth.authorize": 3, "oauth.token": 3, "user": 3, "meetingCreate": 4,
		"meetings": 1, "meeting": 2, "meetingUpdate": 2 /* PulsoDesk's, and Ana's in the portal */, "oauth.revoke": 1} {
		assert.Equal(t, want, count(reqs, op), "%s calls (%v)", op, ops(reqs))
	}
	n := env.Fake.TokenRequests()["authorization_code"]
	assert.Equal(t, 3, n, "token requests %v", env.Fake.TokenRequests())
	assert.Equal(t, 0, env.Fake.TokenRequests()["refresh_token"], "token requests %v", env.Fake.TokenRequests())
	for _, r := range reqs {
		assert.Less(t, r.Status, 400, "failed Zoom call %+v", r)
	}
	// Nothing reached Zoom between the revoke and the next authorization.
	assert.Equal(t, 0, res.RequestsWhileDisconnected, "requests while disconnected")
	for i, r := range reqs {
		if r.Operation == "oauth.revoke" && (i+1 >= len(reqs) || reqs[i+1].Operation != "oauth.authorize") {
			t.Errorf("after the revoke came %v", ops(reqs[i+1:]))
		}
	}

	// Webhooks: every delivery verified and was answered 200.
	for _, d := range env.Fake.Deliveries() {
		assert.Equal(t, http.StatusOK, d.Status, "delivery %s: %d %s", d.Event, d.Status, d.Err)
		assert.Equal(t, "", d.Err, "delivery %s: %d %s", d.Event, d.Status, d.Err)
	}

	// Tokens: a fresh grant is stored after the reconnect.
	tok, err = env.Tokens.Get(ctx, a.tokenKey(ana))
	if assert.NoError(t, err, "token after the reconnect: %v", err) {
		assert.NotZero(t, tok.AccessToken, "token after the reconnect: %v", err)
		assert.NotZero(t, tok.RefreshToken, "token after the reconnect: %v", err)
	}

	// Emails, each to the member's own Zoom email: connect, schedulings,
	// disconnect, connect, as .eml files.
	sent := env.Mail.Sent()
	var subjects []string
	for _, e := range sent {
		subjects = append(subjects, e.To+": "+e.Subject)
	}
	want := []string{ownerEmail + ": Zoom is connected to Acme team", ownerEmail + ": Meeting scheduled: Weekly design review",
		ownerEmail + ": Meeting scheduled: 1:1 Ana / Luis", luis.Email + ": Zoom is connected to Acme team",
		luis.Email + ": Meeting scheduled: Customer onboarding: Globex", ownerEmail + ": Zoom is disconnected from Acme team",
		ownerEmail + ": Zoom is connected to Acme team", ownerEmail + ": Meeting scheduled: Sprint retro"}
	assert.Equal(t, strings.Join(want, "|"), strings.Join(subjects, "|"), "emails %q, want %q", subjects, want)
	files, _ := filepath.Glob(filepath.Join(env.Mail.Dir, "*.eml"))
	require.Len(t, files, len(want), "outbox %v", files)
	raw, err := os.ReadFile(files[1])
	require.NoError(t, err)
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	require.NoError(t, err)
	var dec mime.WordDecoder
	subj, _ := dec.DecodeHeader(msg.Header.Get("Subject"))
	body, _ := io.ReadAll(msg.Body)
	assert.Equal(t, "Meeting scheduled: Weekly design review", subj, "scheduling email %q:\n%s", subj, body)
	assert.Contains(t, string(body), res.First.JoinURL, "scheduling email %q:\n%s", subj, body)
	assert.Contains(t, string(body), "(Europe/Madrid)", "scheduling email %q:\n%s", subj, body)
	assert.Contains(t, string(body), strconv.FormatInt(res.First.ID, 10), "scheduling email %q:\n%s", subj, body)

	// The transcript shows ids, topics, times with zones and join links,
	// and no secret.
	for _, s := range []string{strconv.FormatInt(res.First.ID, 10), "Weekly design review (extended)", "(Europe/Madrid)",
		"(America/New_York)", res.First.JoinURL, "POST /users/me/meetings (meetingCreate, 201)",
		"PATCH /meetings/" + strconv.FormatInt(res.First.ID, 10) + " (meetingUpdate, 204)", "POST /oauth/revoke (oauth.revoke, 200)",
		"scheduling a new meeting is refused", "PulsoDesk asks to confirm first",
		"a POST without the confirmation goes back to the confirmation step",
		"deletes meeting " + strconv.FormatInt(res.Second.ID, 10) + " from the meeting history", "its Join link is gone",
		"signed in to PulsoDesk as Luis Martín", "Only Ana García, who scheduled it in their Zoom account, can change meeting", "Settings → Integrations → Zoom shows status Connected",
		"clicks Schedule Meeting, chooses Zoom", "In Settings → Integrations → Zoom, Ana clicks Disconnect", "host:      " + luis.Email, "Luis's own Zoom connection (" + luis.Email + ") is not affected"} {
		assert.Contains(t, transcript, s, "transcript lacks %q", s)
	}
	checkNoSecrets(t, env, transcript)
	for _, f := range files {
		b, _ := os.ReadFile(f)
		checkNoSecrets(t, env, string(b))
	}
}

// checkNoSecrets fails if s holds a token, the client secret, the webhook
// secret or a start URL.
func checkNoSecrets(t *testing.T, env *exkit.Env, s string) {
	t.Helper()
	for _, bad := range []string{"zt_at_", "zt_rt_", "zak=", "/s/", env.Fake.ClientSecret(), env.WebhookSecret, "start_url"} {
		assert.NotContains(t, s, bad, "output holds a secret (%q)", bad)
	}
}

// connect runs the Connect Zoom round trip and returns the stored token.
func connect(t *testing.T, env *exkit.Env, a *app) *tokenstore.Token {
	t.Helper()
	status, body, err := exkit.NewBrowser().Get(t.Context(), env.BaseURL+exkit.ConnectPath)
	require.NoError(t, err, "connect: %d %v\n%s", status, err, body)
	require.Equal(t, http.StatusOK, status, "connect: %d %v\n%s", status, err, body)
	require.Contains(t, body, ownerEmail, "connect: %d %v\n%s", status, err, body)
	tok, err := env.Tokens.Get(t.Context(), a.tokenKey(ana))
	require.NoError(t, err)
	return tok
}

func tomorrow(a *app) string {
	return a.now().In(loadZone(a.zone)).AddDate(0, 0, 1).Format("2006-01-02")
}

func TestDisconnectKillsBothTokens(t *testing.T) {
	ctx := t.Context()
	env, a := open(t, io.Discard, exkit.Config{})
	env.Start(a)
	old := connect(t, env, a)
	m, err := a.createMeeting(ctx, ana, meetingInput{Topic: "Kickoff", Date: tomorrow(a), Time: "09:00", Timezone: "Europe/Madrid", Duration: 30})
	require.NoError(t, err)
	revoked, err := a.disconnect(ctx, ana)
	require.NoError(t, err, "disconnect: %v %v", revoked, err)
	require.True(t, revoked, "disconnect: %v %v", revoked, err)
	_, err = env.Tokens.Get(ctx, a.tokenKey(ana))
	require.ErrorIs(t, err, tokenstore.ErrNotFound, "token still stored")
	// Zoom refuses the old access token...
	cl, err := env.NewClient(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: old.AccessToken, TokenType: "Bearer"}))
	require.NoError(t, err)
	_, _, err = cl.Meetings.Get(ctx, zoom.ID(m.ID), nil)
	assert.ErrorIs(t, err, zoom.ErrUnauthorized, "old access token")
	// ...and the old refresh token.
	form := url.Values{"grant_type": {"refresh_token"}, "refresh_token": {old.RefreshToken}}
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, env.Fake.TokenURL(), strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(env.Fake.ClientID(), env.Fake.ClientSecret())
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusBadRequest, resp.StatusCode, "old refresh token: status")
	// The history stays; disconnecting twice is refused.
	h, err := a.history(ctx)
	assert.NoError(t, err, "history %+v %v", h, err)
	if assert.Len(t, h, 1, "history %+v %v", h, err) {
		assert.Equal(t, m.ID, h[0].ID, "history %+v %v", h, err)
		assert.Equal(t, m.JoinURL, h[0].JoinURL, "history %+v %v", h, err)
	}
	_, err = a.disconnect(ctx, ana)
	assert.ErrorIs(t, err, exkit.ErrNotConnected, "second disconnect")
	// Reconnecting makes a new grant.
	tok := connect(t, env, a)
	assert.NotEqual(t, old.AccessToken, tok.AccessToken, "reconnect reused the old tokens")
	assert.NotEqual(t, old.RefreshToken, tok.RefreshToken, "reconnect reused the old tokens")
	_, err = a.listMeetings(ctx, ana)
	assert.NoError(t, err, "list after reconnect")
}

// TestDisconnectAfterExpiry: the stored access token has expired, so the
// disconnect refreshes it before revoking; every token dies.
func TestDisconnectAfterExpiry(t *testing.T) {
	ctx := t.Context()
	env, a := open(t, io.Discard, exkit.Config{})
	env.Start(a)
	old := connect(t, env, a)
	expired := *old
	expired.Expiry = time.Now().Add(-time.Minute)
	require.NoError(t, env.Tokens.Put(ctx, a.tokenKey(ana), &expired))
	revoked, err := a.disconnect(ctx, ana)
	require.NoError(t, err, "disconnect: %v %v", revoked, err)
	require.True(t, revoked, "disconnect: %v %v", revoked, err)
	assert.Equal(t, 1, env.Fake.TokenRequests()["refresh_token"], "refreshes")
	_, err = env.Tokens.Get(ctx, a.tokenKey(ana))
	assert.ErrorIs(t, err, tokenstore.ErrNotFound, "token still stored")
	reqs := env.Fake.Requests()
	last := reqs[len(reqs)-1]
	assert.Equal(t, "oauth.revoke", last.Operation, "last request %+v", last)
	assert.Equal(t, http.StatusOK, last.Status, "last request %+v", last)
	// The whole grant is dead: even the first access token is refused.
	cl, _ := env.NewClient(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: old.AccessToken, TokenType: "Bearer"}))
	_, _, err = cl.Users.Get(ctx, "me", nil)
	assert.ErrorIs(t, err, zoom.ErrUnauthorized, "old access token")
}

func TestUninstallInZoom(t *testing.T) {
	ctx := t.Context()
	env, a := open(t, io.Discard, exkit.Config{})
	env.Start(a)
	connect(t, env, a)
	_, err := a.createMeeting(ctx, ana, meetingInput{Topic: "Kickoff", Date: tomorrow(a), Time: "09:00", Timezone: "UTC", Duration: 30})
	require.NoError(t, err)
	// The user removes the app in Zoom's Marketplace: app_deauthorized.
	require.NoError(t, env.Fake.Uninstall(ownerEmail))
	c, err := a.connection(ctx, ana)
	require.NoError(t, err, "connection after uninstall %+v %v", c, err)
	require.False(t, c.Active(), "connection after uninstall %+v %v", c, err)
	require.Equal(t, "the app was removed in Zoom", c.Reason, "connection after uninstall %+v %v", c, err)
	_, err = env.Tokens.Get(ctx, a.tokenKey(ana))
	assert.ErrorIs(t, err, tokenstore.ErrNotFound, "token after uninstall")
	h, _ := a.history(ctx)
	assert.Len(t, h, 1, "history %+v", h)
	n := len(env.Fake.Requests())
	_, err = a.listMeetings(ctx, ana)
	assert.ErrorIs(t, err, exkit.ErrNotConnected, "list after uninstall")
	assert.Len(t, env.Fake.Requests(), n, "a request reached Zoom after the uninstall")
}

func TestGrantRevokedInZoom(t *testing.T) {
	ctx := t.Context()
	env, a := open(t, io.Discard, exkit.Config{})
	env.Start(a)
	connect(t, env, a)
	env.Fake.RevokeAll() // say, an admin deactivated the app, without a webhook
	_, err := a.listMeetings(ctx, ana)
	require.ErrorIs(t, err, exkit.ErrNotConnected, "list with a dead grant")
	c, _ := a.connection(ctx, ana)
	assert.False(t, c.Active(), "connection still active")
	_, err = env.Tokens.Get(ctx, a.tokenKey(ana))
	assert.ErrorIs(t, err, tokenstore.ErrNotFound, "dead token kept")
	connect(t, env, a)
	_, err = a.listMeetings(ctx, ana)
	assert.NoError(t, err, "after reconnect")
}

func TestMeetingDeletedInZoom(t *testing.T) {
	ctx := t.Context()
	env, a := open(t, io.Discard, exkit.Config{})
	env.Start(a)
	connect(t, env, a)
	m, err := a.createMeeting(ctx, ana, meetingInput{Topic: "Kickoff", Date: tomorrow(a), Time: "09:00", Timezone: "UTC", Duration: 30})
	require.NoError(t, err)
	_, err = env.Fake.Client("me").Meetings.Delete(ctx, zoom.ID(m.ID), nil)
	require.NoError(t, err)
	got, err := a.localMeeting(ctx, m.ID)
	require.NoError(t, err, "after meeting.deleted: %+v %v", got, err)
	require.Equal(t, statusDeleted, got.Status, "after meeting.deleted: %+v %v", got, err)
	_, err = a.joinLink(ctx, m.ID)
	assert.ErrorIs(t, err, zoom.ErrNotFound, "join link of a deleted meeting")
}

func TestInputValidation(t *testing.T) {
	now := time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)
	ok := meetingInput{Topic: "x", Date: "2026-11-25", Time: "10:00", Timezone: "Asia/Tokyo", Duration: 30}
	got, err := ok.start(now)
	require.NoError(t, err, "%v %v", got, err)
	require.True(t, got.Equal(time.Date(2026, 11, 25, 1, 0, 0, 0, time.UTC)), "%v %v", got, err)
	for name, mod := range map[string]func(*meetingInput){
		"empty title": func(m *meetingInput) { m.Topic = "  " },
		"long title":  func(m *meetingInput) { m.Topic = strings.Repeat("a", 201) },
		"duration 0":  func(m *meetingInput) { m.Duration = 0 },
		"duration":    func(m *meetingInput) { m.Duration = 1441 },
		"zone":        func(m *meetingInput) { m.Timezone = "Mars/Olympus" },
		"local zone":  func(m *meetingInput) { m.Timezone = "Local" },
		"date":        func(m *meetingInput) { m.Date = "25/11/2026" },
		"past":        func(m *meetingInput) { m.Date = "2026-11-23" },
	} {
		in := ok
		mod(&in)
		_, err := in.start(now)
		assert.ErrorIs(t, err, errInvalid, "%s", name)
	}
}

// TestPages drives the web pages as a browser does.
func TestPages(t *testing.T) {
	ctx := t.Context()
	env, a := open(t, io.Discard, exkit.Config{})
	env.Start(a)
	b := exkit.NewBrowser()
	b.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	do := func(method, path string, form url.Values, origin string) (int, string, http.Header) {
		t.Helper()
		var body io.Reader
		if form != nil {
			body = strings.NewReader(form.Encode())
		}
		req, _ := http.NewRequestWithContext(ctx, method, env.BaseURL+path, body)
		if form != nil {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		if origin != "" {
			req.Header.Set("Origin", origin)
		}
		resp, err := b.Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		raw, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(raw), resp.Header
	}
	expect := func(status int, body string, wantStatus int, wants ...string) {
		t.Helper()
		assert.Equal(t, wantStatus, status, "status\n%s", body)
		for _, w := range wants {
			assert.Contains(t, body, w, "page lacks %q\n%s", w, body)
		}
	}

	st, body, _ := do("GET", "/", nil, "")
	expect(st, body, 200, "Zoom: not connected", `id="connect"`, exkit.ConnectPath, "Connect Zoom Account", "No meetings yet")
	st, body, _ = do("GET", "/settings/integrations/zoom", nil, "")
	expect(st, body, 200, `id="zoom-status">Not connected`, "Connect Zoom Account", "Permissions requested")
	early := url.Values{"topic": {"x"}, "date": {tomorrow(a)}, "time": {"09:00"}, "timezone": {"UTC"}, "duration": {"30"}}
	st, body, _ = do("POST", "/meetings", early, "")
	expect(st, body, http.StatusConflict, "Your Zoom account is not connected to PulsoDesk. Click Connect Zoom Account, then try again.")

	// A callback without this browser's state cookie connects nothing.
	st, body, _ = do("GET", exkit.CallbackPath+"?code=x&state=y", nil, "")
	expect(st, body, http.StatusBadRequest, "Zoom could not be connected", exkit.MsgConnectExpired)
	c, err := a.connection(ctx, ana)
	require.Nil(t, c, "connection %+v %v", c, err)
	require.NoError(t, err, "connection %+v %v", c, err)

	connect(t, env, a)
	// Labels as PulsoDesk's Zoom integration docs name them: Settings →
	// Integrations → Zoom with its status, the permissions requested,
	// Connect Zoom Account and Disconnect; Schedule Meeting with Zoom as the
	// platform, Title, Date, Time, Duration and Schedule.
	st, body, _ = do("GET", "/settings/integrations/zoom?connected=1", nil, "")
	expect(st, body, 200, `id="account">`+ownerEmail, "Your Zoom account "+ownerEmail+" is connected", "Settings → Integrations → Zoom",
		`id="zoom-status">Connected`, "Permissions requested", "meeting:write", "meeting:read", "user:read", `id="disconnect"`, ">Disconnect</a>")
	st, body, _ = do("GET", "/", nil, "")
	expect(st, body, 200, "Schedule Meeting", `id="platform"`, `<option value="zoom" selected>Zoom</option>`, `id="topic"`,
		">Schedule</button>", "Manage in Settings → Integrations → Zoom")
	other := url.Values{"platform": {"teams"}, "topic": {"x"}, "date": {tomorrow(a)}, "time": {"09:00"}, "timezone": {"UTC"}, "duration": {"30"}}
	st, body, _ = do("POST", "/meetings", other, "")
	expect(st, body, http.StatusBadRequest, "choose Zoom")

	form := url.Values{"topic": {"Planning <Q1>"}, "date": {tomorrow(a)}, "time": {"15:00"}, "timezone": {"Asia/Tokyo"}, "duration": {"50"}}
	st, body, _ = do("POST", "/meetings", form, "http://evil.example")
	expect(st, body, http.StatusForbidden)
	st, body, hdr := do("POST", "/meetings", form, env.BaseURL)
	expect(st, body, http.StatusSeeOther)
	loc := hdr.Get("Location")
	id, err := strconv.ParseInt(regexp.MustCompile(`^/meetings/(\d+)\?created=1$`).FindStringSubmatch(loc + "")[1], 10, 64)
	require.NoError(t, err, "location %q", loc)
	m, _ := a.localMeeting(ctx, id)
	st, body, _ = do("GET", loc, nil, "")
	expect(st, body, 200, "Meeting scheduled in Zoom", `id="meeting-id">`+strconv.FormatInt(id, 10), "Planning &lt;Q1&gt;",
		"15:00 JST (Asia/Tokyo)", `id="join-link" href="`+m.JoinURL, "Update in Zoom")
	checkNoSecrets(t, env, body)

	bad := url.Values{"topic": {"x"}, "date": {tomorrow(a)}, "time": {"25:00"}, "timezone": {"UTC"}, "duration": {"30"}}
	st, body, _ = do("POST", "/meetings", bad, "")
	expect(st, body, http.StatusBadRequest, "date and time")

	form.Set("topic", "Planning Q1")
	form.Set("duration", "90")
	st, body, hdr = do("POST", "/meetings/"+strconv.FormatInt(id, 10), form, "")
	expect(st, body, http.StatusSeeOther)
	st, body, _ = do("GET", hdr.Get("Location"), nil, "")
	expect(st, body, 200, "Meeting updated in Zoom", "Planning Q1", "90 minutes", "Read from your Zoom account just now")
	zm, _ := env.Fake.Meeting(zoom.ID(id))
	assert.Equal(t, "Planning Q1", zm.Topic, "Zoom has %+v", zm)
	assert.Equal(t, 90, zm.Duration, "Zoom has %+v", zm)

	st, body, _ = do("GET", "/meetings", nil, "")
	expect(st, body, 200, "Scheduled meetings in Zoom (1)", "Planning Q1")
	st, _, hdr = do("GET", "/meetings/"+strconv.FormatInt(id, 10)+"/join", nil, "")
	assert.Equal(t, http.StatusSeeOther, st, "join: %d %q", st, hdr.Get("Location"))
	assert.Equal(t, m.JoinURL, hdr.Get("Location"), "join: %d %q", st, hdr.Get("Location"))
	// Meeting history: one entry, then the whole history (with a
	// confirmation step); Zoom keeps the meetings.
	form.Set("topic", "Retro")
	st, body, hdr = do("POST", "/meetings", form, "")
	expect(st, body, http.StatusSeeOther)
	retro, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimPrefix(hdr.Get("Location"), "/meetings/"), "?created=1"), 10, 64)
	require.NoError(t, err)
	st, body, _ = do("GET", "/", nil, "")
	expect(st, body, 200, `id="delete-history"`)
	st, body, _ = do("GET", "/meetings/"+strconv.FormatInt(retro, 10), nil, "")
	expect(st, body, 200, `id="delete-entry"`)
	st, body, hdr = do("POST", "/meetings/"+strconv.FormatInt(retro, 10)+"/delete", url.Values{}, "")
	expect(st, body, http.StatusSeeOther)
	st, body, _ = do("GET", hdr.Get("Location"), nil, "")
	expect(st, body, 200, "deleted from the meeting history. It is still scheduled in Zoom", "Planning Q1")
	assert.NotContains(t, body, "Retro", "the deleted entry is still shown")
	_, ok := env.Fake.Meeting(zoom.ID(retro))
	assert.True(t, ok, "deleting a history entry deleted the meeting in Zoom")
	st, body, _ = do("POST", "/meetings/"+strconv.FormatInt(retro, 10)+"/delete", url.Values{}, "")
	expect(st, body, http.StatusNotFound)
	st, body, _ = do("GET", "/meetings/"+strconv.FormatInt(retro, 10)+"/join", nil, "")
	expect(st, body, http.StatusNotFound)
	st, body, _ = do("GET", "/history/delete", nil, "")
	expect(st, body, 200, "Delete my meeting history?", "1 meeting(s)", `name="confirm" value="yes"`)
	st, _, hdr = do("POST", "/history/delete", url.Values{}, "")
	assert.Equal(t, http.StatusSeeOther, st, "unconfirmed history deletion: %d %q", st, hdr.Get("Location"))
	assert.Equal(t, "/history/delete", hdr.Get("Location"), "unconfirmed history deletion: %d %q", st, hdr.Get("Location"))
	h, _ := a.history(ctx)
	require.Len(t, h, 1, "history after an unconfirmed deletion: %+v", h)
	keep, _ := a.localMeeting(ctx, id)
	n0 := len(env.Fake.Requests())
	st, body, hdr = do("POST", "/history/delete", url.Values{"confirm": {"yes"}}, "")
	expect(st, body, http.StatusSeeOther)
	st, body, _ = do("GET", hdr.Get("Location"), nil, "")
	expect(st, body, 200, "Your meeting history was deleted", "No meetings yet")
	h, _ = a.history(ctx)
	assert.Empty(t, h, "history %+v; Zoom calls %v", h, ops(env.Fake.Requests()[n0:]))
	assert.Len(t, env.Fake.Requests(), n0, "history %+v; Zoom calls %v", h, ops(env.Fake.Requests()[n0:]))
	_, ok = env.Fake.Meeting(zoom.ID(id))
	assert.True(t, ok, "deleting the history deleted the meeting in Zoom")
	// Put the meeting back in the history for the disconnect checks below.
	require.NoError(t, a.saveMeeting(ctx, keep))

	st, body, _ = do("GET", "/meetings/999", nil, "")
	expect(st, body, http.StatusNotFound)
	st, body, _ = do("GET", "/meetings/abc", nil, "")
	expect(st, body, http.StatusNotFound)
	// Every page leads back to Meetings with the product's label.
	for _, p := range []string{"/meetings/" + strconv.FormatInt(id, 10), "/meetings", "/settings/integrations/zoom", "/signin", "/disconnect"} {
		st, body, _ = do("GET", p, nil, "")
		expect(st, body, 200, "<title>", `<a href="/">Meetings</a>`, `<a href="/settings/integrations/zoom">Settings → Integrations</a>`, exkit.StylesheetPath)
		assert.NotContains(t, body, "Back to the workspace", "%s still says Back to the workspace", p)
	}

	// Disconnect Zoom asks first; a POST without the confirmation does
	// nothing but lead back to that step.
	st, body, _ = do("GET", "/disconnect", nil, "")
	expect(st, body, 200, "Disconnect Zoom?", ownerEmail, `name="confirm" value="yes"`, `id="confirm-disconnect"`, `id="cancel"`)
	st, body, hdr = do("POST", "/disconnect", url.Values{}, env.BaseURL)
	expect(st, body, http.StatusSeeOther)
	assert.Equal(t, "/disconnect", hdr.Get("Location"), "unconfirmed disconnect went to")
	c, _ = a.connection(ctx, ana)
	require.True(t, c.Active(), "a disconnect without the confirmation revoked the grant")
	require.Equal(t, 0, count(env.Fake.Requests(), "oauth.revoke"), "a disconnect without the confirmation revoked the grant")
	st, body, hdr = do("POST", "/disconnect", url.Values{"confirm": {"yes"}}, env.BaseURL)
	expect(st, body, http.StatusSeeOther)
	st, body, _ = do("GET", hdr.Get("Location"), nil, "")
	expect(st, body, 200, "Zoom is disconnected", "Zoom: not connected", `id="connect"`, "disconnected in PulsoDesk",
		`id="history"`, "Planning Q1", m.JoinURL)
	n := len(env.Fake.Requests())
	st, body, _ = do("GET", "/meetings/"+strconv.FormatInt(id, 10), nil, "")
	expect(st, body, 200, "Planning Q1", m.JoinURL, "From the workspace's history")
	st, body, _ = do("GET", "/meetings", nil, "")
	expect(st, body, http.StatusConflict)
	assert.Len(t, env.Fake.Requests(), n, "pages called Zoom while disconnected")
	st, body, _ = do("POST", "/disconnect", url.Values{"confirm": {"yes"}}, "")
	expect(st, body, http.StatusConflict)
	st, _, hdr = do("GET", "/disconnect", nil, "")
	assert.Equal(t, http.StatusSeeOther, st, "confirmation page while disconnected: %d %q", st, hdr.Get("Location"))
	assert.Equal(t, "/", hdr.Get("Location"), "confirmation page while disconnected: %d %q", st, hdr.Get("Location"))
}

// TestRun runs the command as `go run` does.
func TestRun(t *testing.T) {
	for _, k := range []string{"ZOOM_CLIENT_ID", "ZOOM_CLIENT_SECRET", "ZOOM_WEBHOOK_SECRET", "ZOOMKIT_DB"} {
		t.Setenv(k, "")
	}
	var out, errOut bytes.Buffer
	require.NoError(t, run(context.Background(), []string{"-data", t.TempDir()}, &out, &errOut), "\n%s%s", out.String(), errOut.String())
	if !strings.Contains(out.String(), "Done.") {
		t.Error(out.String())
	}
	err := run(context.Background(), []string{"stray"}, &out, &errOut)
	assert.Error(t, err, "stray argument accepted")
}

// TestMembersConnectTheirOwnZoom: each member of the workspace connects
// their own Zoom account, and a meeting is created in its creator's
// account; one member's changes, history deletion and uninstall leave the
// other's alone.
func TestMembersConnectTheirOwnZoom(t *testing.T) {
	ctx := t.Context()
	env, a := open(t, io.Discard, exkit.Config{})
	env.Start(a)
	luisZoom, ok := env.Fake.User(luis.Email)
	require.True(t, ok, "the fake has no Zoom user for Luis")
	post := func(b *exkit.Browser, path string, form url.Values) (int, string, string) {
		t.Helper()
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, env.BaseURL+path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		resp, err := b.Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		raw, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(raw), resp.Header.Get("Location")
	}
	newBrowser := func() *exkit.Browser {
		b := exkit.NewBrowser()
		b.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
		return b
	}
	anaB, luisB := newBrowser(), newBrowser()
	st, body, _ := post(luisB, "/signin", url.Values{"member": {"mallory"}})
	assert.Equal(t, http.StatusBadRequest, st, "sign in as a stranger\n%s", body)
	st, _, loc := post(luisB, "/signin", url.Values{"member": {luis.ID}})
	require.Equal(t, http.StatusSeeOther, st, "sign in: %d %q", st, loc)
	require.Equal(t, "/", loc, "sign in: %d %q", st, loc)

	// Ana connects her Zoom; Luis is still not connected.
	connect(t, env, a)
	_, body, _ = luisB.Get(ctx, env.BaseURL+"/")
	assert.Contains(t, body, `id="member">Luis Martín`, "Luis's page before he connects:\n%s", body)
	assert.Contains(t, body, "Zoom: not connected", "Luis's page before he connects:\n%s", body)
	assert.NotContains(t, body, ownerEmail, "Luis's page before he connects:\n%s", body)
	form := url.Values{"topic": {"Luis's demo"}, "date": {tomorrow(a)}, "time": {"11:00"}, "timezone": {"UTC"}, "duration": {"30"}}
	st, _, _ = post(luisB, "/meetings", form)
	assert.Equal(t, http.StatusConflict, st, "Luis scheduled on Ana's Zoom")

	// Luis connects his own Zoom (he is signed in to Zoom as himself).
	require.NoError(t, env.Fake.SetAuthorizingUser(luis.Email))
	luisB.CheckRedirect = nil
	st, body, err := luisB.Get(ctx, env.BaseURL+exkit.ConnectPath)
	luisB.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	require.NoError(t, err, "Luis connects: %d %v\n%s", st, err, body)
	require.Equal(t, http.StatusOK, st, "Luis connects: %d %v\n%s", st, err, body)
	require.Contains(t, body, `id="account">`+luis.Email, "Luis connects: %d %v\n%s", st, err, body)
	c, _ := a.connection(ctx, ana)
	assert.True(t, c.Active(), "Ana's connection after Luis connected: %+v", c)
	assert.Equal(t, c.ZoomUserID, env.Fake.OwnerID(), "Ana's connection after Luis connected: %+v", c)

	// Each one's meeting lands in their own Zoom account.
	st, _, loc = post(luisB, "/meetings", form)
	require.Equal(t, http.StatusSeeOther, st, "Luis schedules")
	luisID, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimPrefix(loc, "/meetings/"), "?created=1"), 10, 64)
	form.Set("topic", "Ana's review")
	st, _, loc = post(anaB, "/meetings", form)
	require.Equal(t, http.StatusSeeOther, st, "Ana schedules")
	anaID, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimPrefix(loc, "/meetings/"), "?created=1"), 10, 64)
	zm, _ := env.Fake.Meeting(zoom.ID(luisID))
	assert.Equal(t, luisZoom.ID, zm.HostID, "Luis's meeting is hosted by, want his Zoom user")
	zm, _ = env.Fake.Meeting(zoom.ID(anaID))
	assert.Equal(t, zm.HostID, env.Fake.OwnerID(), "Ana's meeting is hosted by")
	m, _ := a.localMeeting(ctx, luisID)
	assert.Equal(t, luis.ID, m.MemberID, "history of Luis's meeting: %+v", m)
	assert.Equal(t, luis.Email, m.HostEmail, "history of Luis's meeting: %+v", m)
	var toLuis int
	for _, e := range env.Mail.Sent() {
		if e.To == luis.Email {
			toLuis++
		}
	}
	assert.Equal(t, 2, toLuis, "emails to Luis, want 2 (connected, scheduled)")

	// Luis sees Ana's meeting from the history, and cannot change it or
	// delete it from the history.
	_, body, _ = luisB.Get(ctx, env.BaseURL+"/meetings/"+strconv.FormatInt(anaID, 10))
	assert.Contains(t, body, `id="meeting-host">`+ownerEmail, "Luis's view of Ana's meeting:\n%s", body)
	assert.NotContains(t, body, "Update in Zoom", "Luis's view of Ana's meeting:\n%s", body)
	assert.NotContains(t, body, `id="delete-entry"`, "Luis's view of Ana's meeting:\n%s", body)
	form.Set("topic", "hijacked")
	st, body, _ = post(luisB, "/meetings/"+strconv.FormatInt(anaID, 10), form)
	assert.Equal(t, http.StatusForbidden, st, "Luis updates Ana's meeting: %d\n%s", st, body)
	assert.Contains(t, body, "Only Ana García", "Luis updates Ana's meeting: %d\n%s", st, body)
	st, _, _ = post(luisB, "/meetings/"+strconv.FormatInt(anaID, 10)+"/delete", url.Values{})
	assert.Equal(t, http.StatusNotFound, st, "Luis deletes Ana's history entry")
	zm, _ = env.Fake.Meeting(zoom.ID(anaID))
	assert.Equal(t, "Ana's review", zm.Topic, "Ana's meeting in Zoom: %+v", zm)

	// Luis deletes his meeting history: Ana's entry stays.
	st, _, _ = post(luisB, "/history/delete", url.Values{"confirm": {"yes"}})
	assert.Equal(t, http.StatusSeeOther, st, "Luis deletes his history")
	h, _ := a.history(ctx)
	if assert.Len(t, h, 1, "history after Luis deleted his: %+v", h) {
		assert.Equal(t, anaID, h[0].ID, "history after Luis deleted his: %+v", h)
	}
	_, body, _ = luisB.Get(ctx, env.BaseURL+"/")
	assert.NotContains(t, body, `id="delete-history"`, "Luis's page after he deleted his history:\n%s", body)
	assert.Contains(t, body, "Ana&#39;s review", "Luis's page after he deleted his history:\n%s", body)

	// Luis disconnects (he confirms): only his connection ends, and the
	// app_deauthorized that Zoom sends for his user leaves Ana's alone.
	st, _, _ = post(luisB, "/disconnect", url.Values{"confirm": {"yes"}})
	require.Equal(t, http.StatusSeeOther, st, "Luis disconnects")
	c, _ = a.connection(ctx, luis)
	assert.False(t, c.Active(), "Luis is still connected")
	c, _ = a.connection(ctx, ana)
	assert.True(t, c.Active(), "Luis's disconnect ended Ana's connection: %+v", c)
	_, err = a.listMeetings(ctx, ana)
	assert.NoError(t, err, "Ana's Zoom after Luis disconnected")
}
