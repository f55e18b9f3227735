package main

import (
	"bytes"
	"context"
	"errors"
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
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(env.Close)
	if err := seedFake(env); err != nil {
		t.Fatal(err)
	}
	a, err := newApp(t.Context(), env, appOptions{})
	if err != nil {
		t.Fatal(err)
	}
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
	if _, err := db.ExecContext(t.Context(), "CREATE SCHEMA "+schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _, _ = db.ExecContext(context.Background(), "DROP SCHEMA "+schema+" CASCADE") })
	u, err := url.Parse(servicetest.PostgresDSN(t))
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	checkFlow(t, exkit.Config{DSN: u.String()})
	var n int
	if err := db.QueryRowContext(t.Context(), "SELECT count(*) FROM "+schema+".workspace_meetings_history").Scan(&n); err != nil || n != 3 {
		t.Errorf("PostgreSQL holds %d meetings (%v), want 3", n, err)
	}
}

func checkFlow(t *testing.T, cfg exkit.Config) {
	ctx := t.Context()
	var out bytes.Buffer
	env, a := open(t, &out, cfg)
	res, err := runFlowResult(ctx, env, a, &out)
	if err != nil {
		t.Fatalf("flow: %v\n%s", err, out.String())
	}
	transcript := out.String()
	madrid := loadZone("Europe/Madrid")
	day := res.Day

	// The app's records: each member's own connection (Ana's reconnected,
	// Luis's untouched by her disconnect), and the meetings, each with the
	// member who scheduled it and that member's Zoom account as the host.
	c, err := a.connection(ctx, ana)
	if err != nil || !c.Active() || c.Email != ownerEmail || c.ZoomUserID != env.Fake.OwnerID() || c.TokenKey != a.tokenKey(ana) {
		t.Fatalf("connection %+v, %v", c, err)
	}
	luisZoom, _ := env.Fake.User(luis.Email)
	lc, err := a.connection(ctx, luis)
	if err != nil || !lc.Active() || lc.Email != luis.Email || lc.ZoomUserID != luisZoom.ID || lc.ZoomUserID == c.ZoomUserID ||
		lc.TokenKey != a.tokenKey(luis) || lc.TokenKey == c.TokenKey {
		t.Fatalf("Luis's connection %+v, %v", lc, err)
	}
	if tok, err := env.Tokens.Get(ctx, a.tokenKey(luis)); err != nil || tok.AccessToken == "" {
		t.Errorf("Luis's token: %v", err)
	}
	hist, err := a.history(ctx)
	if err != nil || len(hist) != 3 {
		t.Fatalf("history %+v, %v", hist, err)
	}
	hostOf := map[string]string{ana.ID: ownerEmail, luis.ID: luis.Email}
	byID := map[int64]meeting{}
	for _, m := range hist {
		byID[m.ID] = m
		if m.Status != statusScheduled || !strings.Contains(m.JoinURL, "/j/"+strconv.FormatInt(m.ID, 10)) || m.HostEmail != hostOf[m.MemberID] {
			t.Errorf("history row %+v", m)
		}
	}
	if lm := byID[res.Luis.ID]; lm.MemberID != luis.ID || lm.HostEmail != luis.Email || lm.Topic != "Customer onboarding: Globex" {
		t.Errorf("Luis's meeting in the history: %+v", lm)
	}
	if _, ok := byID[res.Second.ID]; ok {
		t.Errorf("meeting %d is still in the history after its deletion", res.Second.ID)
	}
	first, second, third := byID[res.First.ID], *res.DeletedFromHistory, byID[res.Third.ID]
	wantStart := time.Date(day.Year(), day.Month(), day.Day(), 10, 30, 0, 0, madrid)
	if first.Topic != "Weekly design review (extended)" || !first.Start.Equal(wantStart) || first.Duration != 60 || first.Timezone != "Europe/Madrid" {
		t.Errorf("updated meeting in history: %+v (want start %v)", first, wantStart)
	}
	ny := loadZone("America/New_York")
	d2 := day.AddDate(0, 0, 1)
	if second.Topic != "1:1 Ana / Luis - quarterly goals" || second.Timezone != "America/New_York" || second.Duration != 30 ||
		!second.Start.Equal(time.Date(d2.Year(), d2.Month(), d2.Day(), 16, 30, 0, 0, ny)) {
		t.Errorf("second meeting (renamed in Zoom, by webhook): %+v", second)
	}
	if third.Topic != "Sprint retro" || third.Duration != 30 {
		t.Errorf("meeting after the reconnect: %+v", third)
	}

	// Zoom's side agrees.
	for _, m := range append(hist, second) {
		zm, ok := env.Fake.Meeting(zoom.ID(m.ID))
		wantHost := env.Fake.OwnerID()
		if m.MemberID == luis.ID {
			wantHost = luisZoom.ID
		}
		if !ok || zm.Topic != m.Topic || !zm.StartTime.Equal(m.Start) || zm.Duration != m.Duration || zm.HostID != wantHost {
			t.Errorf("Zoom has %+v for %+v", zm, m)
		}
	}

	// The Zoom calls made.
	reqs := env.Fake.Requests()
	for op, want := range map[string]int{"oauth.authorize": 3, "oauth.token": 3, "user": 3, "meetingCreate": 4,
		"meetings": 1, "meeting": 2, "meetingUpdate": 2 /* PulsoDesk's, and Ana's in the portal */, "oauth.revoke": 1} {
		if got := count(reqs, op); got != want {
			t.Errorf("%s: %d calls, want %d (%v)", op, got, want, ops(reqs))
		}
	}
	if n := env.Fake.TokenRequests()["authorization_code"]; n != 3 || env.Fake.TokenRequests()["refresh_token"] != 0 {
		t.Errorf("token requests %v", env.Fake.TokenRequests())
	}
	for _, r := range reqs {
		if r.Status >= 400 {
			t.Errorf("failed Zoom call %+v", r)
		}
	}
	// Nothing reached Zoom between the revoke and the next authorization.
	if res.RequestsWhileDisconnected != 0 {
		t.Errorf("%d requests while disconnected", res.RequestsWhileDisconnected)
	}
	for i, r := range reqs {
		if r.Operation == "oauth.revoke" && (i+1 >= len(reqs) || reqs[i+1].Operation != "oauth.authorize") {
			t.Errorf("after the revoke came %v", ops(reqs[i+1:]))
		}
	}

	// Webhooks: every delivery verified and was answered 200.
	for _, d := range env.Fake.Deliveries() {
		if d.Status != http.StatusOK || d.Err != "" {
			t.Errorf("delivery %s: %d %s", d.Event, d.Status, d.Err)
		}
	}

	// Tokens: a fresh grant is stored after the reconnect.
	if tok, err := env.Tokens.Get(ctx, a.tokenKey(ana)); err != nil || tok.AccessToken == "" || tok.RefreshToken == "" {
		t.Errorf("token after the reconnect: %v", err)
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
	if strings.Join(subjects, "|") != strings.Join(want, "|") {
		t.Errorf("emails %q, want %q", subjects, want)
	}
	files, _ := filepath.Glob(filepath.Join(env.Mail.Dir, "*.eml"))
	if len(files) != len(want) {
		t.Fatalf("outbox %v", files)
	}
	raw, err := os.ReadFile(files[1])
	if err != nil {
		t.Fatal(err)
	}
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	var dec mime.WordDecoder
	subj, _ := dec.DecodeHeader(msg.Header.Get("Subject"))
	body, _ := io.ReadAll(msg.Body)
	if subj != "Meeting scheduled: Weekly design review" || !strings.Contains(string(body), res.First.JoinURL) ||
		!strings.Contains(string(body), "(Europe/Madrid)") || !strings.Contains(string(body), strconv.FormatInt(res.First.ID, 10)) {
		t.Errorf("scheduling email %q:\n%s", subj, body)
	}

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
		if !strings.Contains(transcript, s) {
			t.Errorf("transcript lacks %q", s)
		}
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
		if strings.Contains(s, bad) {
			t.Errorf("output holds a secret (%q)", bad)
		}
	}
}

// connect runs the Connect Zoom round trip and returns the stored token.
func connect(t *testing.T, env *exkit.Env, a *app) *tokenstore.Token {
	t.Helper()
	status, body, err := exkit.NewBrowser().Get(t.Context(), env.BaseURL+exkit.ConnectPath)
	if err != nil || status != http.StatusOK || !strings.Contains(body, ownerEmail) {
		t.Fatalf("connect: %d %v\n%s", status, err, body)
	}
	tok, err := env.Tokens.Get(t.Context(), a.tokenKey(ana))
	if err != nil {
		t.Fatal(err)
	}
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
	if err != nil {
		t.Fatal(err)
	}
	revoked, err := a.disconnect(ctx, ana)
	if err != nil || !revoked {
		t.Fatalf("disconnect: %v %v", revoked, err)
	}
	if _, err := env.Tokens.Get(ctx, a.tokenKey(ana)); !errors.Is(err, tokenstore.ErrNotFound) {
		t.Fatalf("token still stored: %v", err)
	}
	// Zoom refuses the old access token...
	cl, err := env.NewClient(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: old.AccessToken, TokenType: "Bearer"}))
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := cl.Meetings.Get(ctx, zoom.ID(m.ID), nil); !errors.Is(err, zoom.ErrUnauthorized) {
		t.Errorf("old access token: %v", err)
	}
	// ...and the old refresh token.
	form := url.Values{"grant_type": {"refresh_token"}, "refresh_token": {old.RefreshToken}}
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, env.Fake.TokenURL(), strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(env.Fake.ClientID(), env.Fake.ClientSecret())
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("old refresh token: status %d", resp.StatusCode)
	}
	// The history stays; disconnecting twice is refused.
	if h, err := a.history(ctx); err != nil || len(h) != 1 || h[0].ID != m.ID || h[0].JoinURL != m.JoinURL {
		t.Errorf("history %+v %v", h, err)
	}
	if _, err := a.disconnect(ctx, ana); !errors.Is(err, exkit.ErrNotConnected) {
		t.Errorf("second disconnect: %v", err)
	}
	// Reconnecting makes a new grant.
	if tok := connect(t, env, a); tok.AccessToken == old.AccessToken || tok.RefreshToken == old.RefreshToken {
		t.Error("reconnect reused the old tokens")
	}
	if _, err := a.listMeetings(ctx, ana); err != nil {
		t.Errorf("list after reconnect: %v", err)
	}
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
	if err := env.Tokens.Put(ctx, a.tokenKey(ana), &expired); err != nil {
		t.Fatal(err)
	}
	if revoked, err := a.disconnect(ctx, ana); err != nil || !revoked {
		t.Fatalf("disconnect: %v %v", revoked, err)
	}
	if n := env.Fake.TokenRequests()["refresh_token"]; n != 1 {
		t.Errorf("refreshes: %d", n)
	}
	if _, err := env.Tokens.Get(ctx, a.tokenKey(ana)); !errors.Is(err, tokenstore.ErrNotFound) {
		t.Errorf("token still stored: %v", err)
	}
	reqs := env.Fake.Requests()
	if last := reqs[len(reqs)-1]; last.Operation != "oauth.revoke" || last.Status != http.StatusOK {
		t.Errorf("last request %+v", last)
	}
	// The whole grant is dead: even the first access token is refused.
	cl, _ := env.NewClient(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: old.AccessToken, TokenType: "Bearer"}))
	if _, _, err := cl.Users.Get(ctx, "me", nil); !errors.Is(err, zoom.ErrUnauthorized) {
		t.Errorf("old access token: %v", err)
	}
}

func TestUninstallInZoom(t *testing.T) {
	ctx := t.Context()
	env, a := open(t, io.Discard, exkit.Config{})
	env.Start(a)
	connect(t, env, a)
	if _, err := a.createMeeting(ctx, ana, meetingInput{Topic: "Kickoff", Date: tomorrow(a), Time: "09:00", Timezone: "UTC", Duration: 30}); err != nil {
		t.Fatal(err)
	}
	// The user removes the app in Zoom's Marketplace: app_deauthorized.
	if err := env.Fake.Uninstall(ownerEmail); err != nil {
		t.Fatal(err)
	}
	c, err := a.connection(ctx, ana)
	if err != nil || c.Active() || c.Reason != "the app was removed in Zoom" {
		t.Fatalf("connection after uninstall %+v %v", c, err)
	}
	if _, err := env.Tokens.Get(ctx, a.tokenKey(ana)); !errors.Is(err, tokenstore.ErrNotFound) {
		t.Errorf("token after uninstall: %v", err)
	}
	if h, _ := a.history(ctx); len(h) != 1 {
		t.Errorf("history %+v", h)
	}
	n := len(env.Fake.Requests())
	if _, err := a.listMeetings(ctx, ana); !errors.Is(err, exkit.ErrNotConnected) {
		t.Errorf("list after uninstall: %v", err)
	}
	if len(env.Fake.Requests()) != n {
		t.Error("a request reached Zoom after the uninstall")
	}
}

func TestGrantRevokedInZoom(t *testing.T) {
	ctx := t.Context()
	env, a := open(t, io.Discard, exkit.Config{})
	env.Start(a)
	connect(t, env, a)
	env.Fake.RevokeAll() // say, an admin deactivated the app, without a webhook
	_, err := a.listMeetings(ctx, ana)
	if !errors.Is(err, exkit.ErrNotConnected) {
		t.Fatalf("list with a dead grant: %v", err)
	}
	c, _ := a.connection(ctx, ana)
	if c.Active() {
		t.Error("connection still active")
	}
	if _, err := env.Tokens.Get(ctx, a.tokenKey(ana)); !errors.Is(err, tokenstore.ErrNotFound) {
		t.Errorf("dead token kept: %v", err)
	}
	connect(t, env, a)
	if _, err := a.listMeetings(ctx, ana); err != nil {
		t.Errorf("after reconnect: %v", err)
	}
}

func TestMeetingDeletedInZoom(t *testing.T) {
	ctx := t.Context()
	env, a := open(t, io.Discard, exkit.Config{})
	env.Start(a)
	connect(t, env, a)
	m, err := a.createMeeting(ctx, ana, meetingInput{Topic: "Kickoff", Date: tomorrow(a), Time: "09:00", Timezone: "UTC", Duration: 30})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := env.Fake.Client("me").Meetings.Delete(ctx, zoom.ID(m.ID), nil); err != nil {
		t.Fatal(err)
	}
	got, err := a.localMeeting(ctx, m.ID)
	if err != nil || got.Status != statusDeleted {
		t.Fatalf("after meeting.deleted: %+v %v", got, err)
	}
	if _, err := a.joinLink(ctx, m.ID); !errors.Is(err, zoom.ErrNotFound) {
		t.Errorf("join link of a deleted meeting: %v", err)
	}
}

func TestInputValidation(t *testing.T) {
	now := time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)
	ok := meetingInput{Topic: "x", Date: "2026-11-25", Time: "10:00", Timezone: "Asia/Tokyo", Duration: 30}
	if got, err := ok.start(now); err != nil || !got.Equal(time.Date(2026, 11, 25, 1, 0, 0, 0, time.UTC)) {
		t.Fatalf("%v %v", got, err)
	}
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
		if _, err := in.start(now); !errors.Is(err, errInvalid) {
			t.Errorf("%s: %v", name, err)
		}
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
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		raw, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(raw), resp.Header
	}
	expect := func(status int, body string, wantStatus int, wants ...string) {
		t.Helper()
		if status != wantStatus {
			t.Errorf("status %d, want %d\n%s", status, wantStatus, body)
		}
		for _, w := range wants {
			if !strings.Contains(body, w) {
				t.Errorf("page lacks %q\n%s", w, body)
			}
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
	if c, err := a.connection(ctx, ana); c != nil || err != nil {
		t.Fatalf("connection %+v %v", c, err)
	}

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
	if err != nil {
		t.Fatalf("location %q", loc)
	}
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
	if zm, _ := env.Fake.Meeting(zoom.ID(id)); zm.Topic != "Planning Q1" || zm.Duration != 90 {
		t.Errorf("Zoom has %+v", zm)
	}

	st, body, _ = do("GET", "/meetings", nil, "")
	expect(st, body, 200, "Scheduled meetings in Zoom (1)", "Planning Q1")
	st, _, hdr = do("GET", "/meetings/"+strconv.FormatInt(id, 10)+"/join", nil, "")
	if st != http.StatusSeeOther || hdr.Get("Location") != m.JoinURL {
		t.Errorf("join: %d %q", st, hdr.Get("Location"))
	}
	// Meeting history: one entry, then the whole history (with a
	// confirmation step); Zoom keeps the meetings.
	form.Set("topic", "Retro")
	st, body, hdr = do("POST", "/meetings", form, "")
	expect(st, body, http.StatusSeeOther)
	retro, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimPrefix(hdr.Get("Location"), "/meetings/"), "?created=1"), 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	st, body, _ = do("GET", "/", nil, "")
	expect(st, body, 200, `id="delete-history"`)
	st, body, _ = do("GET", "/meetings/"+strconv.FormatInt(retro, 10), nil, "")
	expect(st, body, 200, `id="delete-entry"`)
	st, body, hdr = do("POST", "/meetings/"+strconv.FormatInt(retro, 10)+"/delete", url.Values{}, "")
	expect(st, body, http.StatusSeeOther)
	st, body, _ = do("GET", hdr.Get("Location"), nil, "")
	expect(st, body, 200, "deleted from the meeting history. It is still scheduled in Zoom", "Planning Q1")
	if strings.Contains(body, "Retro") {
		t.Error("the deleted entry is still shown")
	}
	if _, ok := env.Fake.Meeting(zoom.ID(retro)); !ok {
		t.Error("deleting a history entry deleted the meeting in Zoom")
	}
	st, body, _ = do("POST", "/meetings/"+strconv.FormatInt(retro, 10)+"/delete", url.Values{}, "")
	expect(st, body, http.StatusNotFound)
	st, body, _ = do("GET", "/meetings/"+strconv.FormatInt(retro, 10)+"/join", nil, "")
	expect(st, body, http.StatusNotFound)
	st, body, _ = do("GET", "/history/delete", nil, "")
	expect(st, body, 200, "Delete my meeting history?", "1 meeting(s)", `name="confirm" value="yes"`)
	st, _, hdr = do("POST", "/history/delete", url.Values{}, "")
	if st != http.StatusSeeOther || hdr.Get("Location") != "/history/delete" {
		t.Errorf("unconfirmed history deletion: %d %q", st, hdr.Get("Location"))
	}
	if h, _ := a.history(ctx); len(h) != 1 {
		t.Fatalf("history after an unconfirmed deletion: %+v", h)
	}
	keep, _ := a.localMeeting(ctx, id)
	n0 := len(env.Fake.Requests())
	st, body, hdr = do("POST", "/history/delete", url.Values{"confirm": {"yes"}}, "")
	expect(st, body, http.StatusSeeOther)
	st, body, _ = do("GET", hdr.Get("Location"), nil, "")
	expect(st, body, 200, "Your meeting history was deleted", "No meetings yet")
	if h, _ := a.history(ctx); len(h) != 0 || len(env.Fake.Requests()) != n0 {
		t.Errorf("history %+v; Zoom calls %v", h, ops(env.Fake.Requests()[n0:]))
	}
	if _, ok := env.Fake.Meeting(zoom.ID(id)); !ok {
		t.Error("deleting the history deleted the meeting in Zoom")
	}
	// Put the meeting back in the history for the disconnect checks below.
	if err := a.saveMeeting(ctx, keep); err != nil {
		t.Fatal(err)
	}

	st, body, _ = do("GET", "/meetings/999", nil, "")
	expect(st, body, http.StatusNotFound)
	st, body, _ = do("GET", "/meetings/abc", nil, "")
	expect(st, body, http.StatusNotFound)
	// Every page leads back to Meetings with the product's label.
	for _, p := range []string{"/meetings/" + strconv.FormatInt(id, 10), "/meetings", "/settings/integrations/zoom", "/signin", "/disconnect"} {
		st, body, _ = do("GET", p, nil, "")
		expect(st, body, 200, "<title>", `<a href="/">Meetings</a>`, `<a href="/settings/integrations/zoom">Settings → Integrations</a>`, exkit.StylesheetPath)
		if strings.Contains(body, "Back to the workspace") {
			t.Errorf("%s still says Back to the workspace", p)
		}
	}

	// Disconnect Zoom asks first; a POST without the confirmation does
	// nothing but lead back to that step.
	st, body, _ = do("GET", "/disconnect", nil, "")
	expect(st, body, 200, "Disconnect Zoom?", ownerEmail, `name="confirm" value="yes"`, `id="confirm-disconnect"`, `id="cancel"`)
	st, body, hdr = do("POST", "/disconnect", url.Values{}, env.BaseURL)
	expect(st, body, http.StatusSeeOther)
	if loc := hdr.Get("Location"); loc != "/disconnect" {
		t.Errorf("unconfirmed disconnect went to %q", loc)
	}
	if c, _ := a.connection(ctx, ana); !c.Active() || count(env.Fake.Requests(), "oauth.revoke") != 0 {
		t.Fatal("a disconnect without the confirmation revoked the grant")
	}
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
	if len(env.Fake.Requests()) != n {
		t.Error("pages called Zoom while disconnected")
	}
	st, body, _ = do("POST", "/disconnect", url.Values{"confirm": {"yes"}}, "")
	expect(st, body, http.StatusConflict)
	st, _, hdr = do("GET", "/disconnect", nil, "")
	if st != http.StatusSeeOther || hdr.Get("Location") != "/" {
		t.Errorf("confirmation page while disconnected: %d %q", st, hdr.Get("Location"))
	}
}

// TestRun runs the command as `go run` does.
func TestRun(t *testing.T) {
	for _, k := range []string{"ZOOM_CLIENT_ID", "ZOOM_CLIENT_SECRET", "ZOOM_WEBHOOK_SECRET", "ZOOMKIT_DB"} {
		t.Setenv(k, "")
	}
	var out, errOut bytes.Buffer
	if err := run(context.Background(), []string{"-data", t.TempDir()}, &out, &errOut); err != nil {
		t.Fatalf("%v\n%s%s", err, out.String(), errOut.String())
	}
	if !strings.Contains(out.String(), "Done.") {
		t.Error(out.String())
	}
	if err := run(context.Background(), []string{"stray"}, &out, &errOut); err == nil {
		t.Error("stray argument accepted")
	}
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
	if !ok {
		t.Fatal("the fake has no Zoom user for Luis")
	}
	post := func(b *exkit.Browser, path string, form url.Values) (int, string, string) {
		t.Helper()
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, env.BaseURL+path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		resp, err := b.Do(req)
		if err != nil {
			t.Fatal(err)
		}
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
	if st, body, _ := post(luisB, "/signin", url.Values{"member": {"mallory"}}); st != http.StatusBadRequest {
		t.Errorf("sign in as a stranger: %d\n%s", st, body)
	}
	if st, _, loc := post(luisB, "/signin", url.Values{"member": {luis.ID}}); st != http.StatusSeeOther || loc != "/" {
		t.Fatalf("sign in: %d %q", st, loc)
	}

	// Ana connects her Zoom; Luis is still not connected.
	connect(t, env, a)
	_, body, _ := luisB.Get(ctx, env.BaseURL+"/")
	if !strings.Contains(body, `id="member">Luis Martín`) || !strings.Contains(body, "Zoom: not connected") || strings.Contains(body, ownerEmail) {
		t.Errorf("Luis's page before he connects:\n%s", body)
	}
	form := url.Values{"topic": {"Luis's demo"}, "date": {tomorrow(a)}, "time": {"11:00"}, "timezone": {"UTC"}, "duration": {"30"}}
	if st, _, _ := post(luisB, "/meetings", form); st != http.StatusConflict {
		t.Errorf("Luis scheduled on Ana's Zoom: %d", st)
	}

	// Luis connects his own Zoom (he is signed in to Zoom as himself).
	if err := env.Fake.SetAuthorizingUser(luis.Email); err != nil {
		t.Fatal(err)
	}
	luisB.CheckRedirect = nil
	st, body, err := luisB.Get(ctx, env.BaseURL+exkit.ConnectPath)
	luisB.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	if err != nil || st != http.StatusOK || !strings.Contains(body, `id="account">`+luis.Email) {
		t.Fatalf("Luis connects: %d %v\n%s", st, err, body)
	}
	if c, _ := a.connection(ctx, ana); !c.Active() || c.ZoomUserID != env.Fake.OwnerID() {
		t.Errorf("Ana's connection after Luis connected: %+v", c)
	}

	// Each one's meeting lands in their own Zoom account.
	st, _, loc := post(luisB, "/meetings", form)
	if st != http.StatusSeeOther {
		t.Fatalf("Luis schedules: %d", st)
	}
	luisID, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimPrefix(loc, "/meetings/"), "?created=1"), 10, 64)
	form.Set("topic", "Ana's review")
	st, _, loc = post(anaB, "/meetings", form)
	if st != http.StatusSeeOther {
		t.Fatalf("Ana schedules: %d", st)
	}
	anaID, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimPrefix(loc, "/meetings/"), "?created=1"), 10, 64)
	if zm, _ := env.Fake.Meeting(zoom.ID(luisID)); zm.HostID != luisZoom.ID {
		t.Errorf("Luis's meeting is hosted by %q, want his Zoom user %q", zm.HostID, luisZoom.ID)
	}
	if zm, _ := env.Fake.Meeting(zoom.ID(anaID)); zm.HostID != env.Fake.OwnerID() {
		t.Errorf("Ana's meeting is hosted by %q", zm.HostID)
	}
	if m, _ := a.localMeeting(ctx, luisID); m.MemberID != luis.ID || m.HostEmail != luis.Email {
		t.Errorf("history of Luis's meeting: %+v", m)
	}
	var toLuis int
	for _, e := range env.Mail.Sent() {
		if e.To == luis.Email {
			toLuis++
		}
	}
	if toLuis != 2 {
		t.Errorf("%d emails to Luis, want 2 (connected, scheduled)", toLuis)
	}

	// Luis sees Ana's meeting from the history, and cannot change it or
	// delete it from the history.
	_, body, _ = luisB.Get(ctx, env.BaseURL+"/meetings/"+strconv.FormatInt(anaID, 10))
	if !strings.Contains(body, `id="meeting-host">`+ownerEmail) || strings.Contains(body, "Update in Zoom") || strings.Contains(body, `id="delete-entry"`) {
		t.Errorf("Luis's view of Ana's meeting:\n%s", body)
	}
	form.Set("topic", "hijacked")
	if st, body, _ := post(luisB, "/meetings/"+strconv.FormatInt(anaID, 10), form); st != http.StatusForbidden || !strings.Contains(body, "Only Ana García") {
		t.Errorf("Luis updates Ana's meeting: %d\n%s", st, body)
	}
	if st, _, _ := post(luisB, "/meetings/"+strconv.FormatInt(anaID, 10)+"/delete", url.Values{}); st != http.StatusNotFound {
		t.Errorf("Luis deletes Ana's history entry: %d", st)
	}
	if zm, _ := env.Fake.Meeting(zoom.ID(anaID)); zm.Topic != "Ana's review" {
		t.Errorf("Ana's meeting in Zoom: %+v", zm)
	}

	// Luis deletes his meeting history: Ana's entry stays.
	if st, _, _ := post(luisB, "/history/delete", url.Values{"confirm": {"yes"}}); st != http.StatusSeeOther {
		t.Errorf("Luis deletes his history: %d", st)
	}
	if h, _ := a.history(ctx); len(h) != 1 || h[0].ID != anaID {
		t.Errorf("history after Luis deleted his: %+v", h)
	}
	if _, body, _ := luisB.Get(ctx, env.BaseURL+"/"); strings.Contains(body, `id="delete-history"`) || !strings.Contains(body, "Ana&#39;s review") {
		t.Errorf("Luis's page after he deleted his history:\n%s", body)
	}

	// Luis disconnects (he confirms): only his connection ends, and the
	// app_deauthorized that Zoom sends for his user leaves Ana's alone.
	if st, _, _ := post(luisB, "/disconnect", url.Values{"confirm": {"yes"}}); st != http.StatusSeeOther {
		t.Fatalf("Luis disconnects: %d", st)
	}
	if c, _ := a.connection(ctx, luis); c.Active() {
		t.Error("Luis is still connected")
	}
	if c, _ := a.connection(ctx, ana); !c.Active() {
		t.Errorf("Luis's disconnect ended Ana's connection: %+v", c)
	}
	if _, err := a.listMeetings(ctx, ana); err != nil {
		t.Errorf("Ana's Zoom after Luis disconnected: %v", err)
	}
}
