package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/csv"
	"fmt"
	"html"
	"io"
	"maps"
	"mime"
	"net/http"
	"net/http/httptest"
	"net/mail"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/zoomkit/zoomkit/examples/internal/exkit"
	"github.com/zoomkit/zoomkit/examples/internal/exkittest"
	"github.com/zoomkit/zoomkit/internal/servicetest"
	"github.com/zoomkit/zoomkit/internal/servicetest/pgtest"
	"github.com/zoomkit/zoomkit/tokenstore"
	"github.com/zoomkit/zoomkit/webhook/queue"
	"github.com/zoomkit/zoomkit/zoom"
	"github.com/zoomkit/zoomkit/zoom/zoomtest"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// setup opens the example offline, as `go run` does, in a temporary folder.
func setup(t *testing.T, fakeOpts ...zoomtest.Option) (*exkit.Env, *app, *exkit.Clock, *bytes.Buffer) {
	t.Helper()
	return setupWith(t, exkit.Config{}, fakeOpts...)
}

// setupWith is setup with cfg (its DSN: -db).
func setupWith(t *testing.T, cfg exkit.Config, fakeOpts ...zoomtest.Option) (*exkit.Env, *app, *exkit.Clock, *bytes.Buffer) {
	t.Helper()
	var out bytes.Buffer
	cfg.Name, cfg.DataDir = exampleName, t.TempDir()
	env, a, clock, err := open(t.Context(), &cfg, &out, fakeOpts...)
	require.NoError(t, err)
	t.Cleanup(env.Close)
	return env, a, clock, &out
}

func count(t *testing.T, env *exkit.Env, query string, args ...any) int {
	t.Helper()
	var n int
	require.NoError(t, env.DB.QueryRowContext(t.Context(), query, args...).Scan(&n))
	return n
}

type email struct {
	To, Subject, Body string
}

// outbox parses the .eml files the mailer wrote, in order.
func outbox(t *testing.T, env *exkit.Env) []email {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(env.Cfg.DataDir, "outbox", "*.eml"))
	require.NoError(t, err)
	slices.Sort(files)
	var out []email
	dec := new(mime.WordDecoder)
	for _, f := range files {
		b, err := os.ReadFile(f)
		require.NoError(t, err)
		m, err := mail.ReadMessage(bytes.NewReader(b))
		require.NoError(t, err, f)
		to, err := mail.ParseAddress(m.Header.Get("To"))
		require.NoError(t, err, "%s: To", f)
		subj, err := dec.DecodeHeader(m.Header.Get("Subject"))
		require.NoError(t, err)
		body, _ := io.ReadAll(m.Body)
		out = append(out, email{To: to.Address, Subject: subj, Body: string(body)})
	}
	return out
}

func TestFlow(t *testing.T) {
	env, out := checkFlow(t, exkit.Config{})
	require.Contains(t, out.String(), "webhook events are queued (in memory: pgqueue needs PostgreSQL) and worked by 2 worker replicas")
	err := env.DB.QueryRowContext(t.Context(), "SELECT 1 FROM sqlite_master WHERE name = 'zoomkit_webhook_queue'").Scan(new(int))
	require.ErrorIs(t, err, sql.ErrNoRows, "no queue table on SQLite")
}

// TestFlowPostgres runs the flow with the tokens, the dedup table, the
// app's tables and the webhook queue (pgqueue) in PostgreSQL, in a schema
// of its own, as with -db postgres://...: the two worker replicas each
// have their own connections to the queue.
func TestFlowPostgres(t *testing.T) {
	db := pgtest.Open(t)
	schema := servicetest.UniqueName("cme_webinars_")
	require.NoError(t, db.QueryRowContext(t.Context(), "SELECT 1").Scan(new(int)))
	_, err := db.ExecContext(t.Context(), "CREATE SCHEMA "+schema)
	require.NoError(t, err)
	t.Cleanup(func() { _, _ = db.ExecContext(context.Background(), "DROP SCHEMA "+schema+" CASCADE") })
	u, err := url.Parse(servicetest.PostgresDSN(t))
	require.NoError(t, err)
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	_, out := checkFlow(t, exkit.Config{DSN: u.String()})
	require.Contains(t, out.String(), "webhook events are queued (PostgreSQL table zoomkit_webhook_queue) and worked by 2 worker replicas")
	var live, dead int
	require.NoError(t, db.QueryRowContext(t.Context(), "SELECT COUNT(*) FILTER (WHERE NOT dead), COUNT(*) FILTER (WHERE dead) FROM "+schema+".zoomkit_webhook_queue").Scan(&live, &dead))
	require.Zero(t, live+dead, "every queued event was handled and acked")
}

// checkFlow runs the scripted flow on cfg's database and checks what it
// did.
func checkFlow(t *testing.T, cfg exkit.Config) (*exkit.Env, *bytes.Buffer) {
	ctx := t.Context()
	env, a, clock, out := setupWith(t, cfg)
	res, err := runFlow(ctx, env, a, clock)
	require.NoError(t, err, "flow\n%s", out)
	id := res.WebinarID
	// The title the coordinator corrected, in Zoom and on the platform.
	act, err := a.activity(ctx, id)
	assert.NoError(t, err, "the activity")
	assert.Equal(t, renamedTopic, res.Renamed, "renamed")
	assert.Equal(t, renamedTopic, act.Topic, "the activity is %+v", act)
	// A member's approval: Zoom refused the admin-managed app.
	assert.Equal(t, "An account admin is required to install this type of app.", res.MemberRefused, "member's refusal")

	// The webinar in Zoom: hosted by the faculty member, created with the
	// admin's grant, registration with manual approval.
	w, ok := env.Fake.Meeting(zoom.ID(id))
	fac, _ := env.Fake.User(faculty.Email)
	require.True(t, ok, "webinar in Zoom: %+v (faculty %s)", w, fac.ID)
	require.True(t, w.Webinar, "webinar in Zoom: %+v (faculty %s)", w, fac.ID)
	require.Equal(t, fac.ID, w.HostID, "webinar in Zoom: %+v (faculty %s)", w, fac.ID)
	require.Equal(t, 60, w.Duration, "webinar in Zoom: %+v (faculty %s)", w, fac.ID)
	if at, _ := w.Settings["approval_type"].(float64); at != 1 {
		if ai, _ := w.Settings["approval_type"].(int); ai != 1 {
			t.Errorf("approval_type = %v, want 1", w.Settings["approval_type"])
		}
	}
	regs := env.Fake.Registrants(zoom.ID(id))
	require.Len(t, regs, 5, "registrants in Zoom")
	for _, r := range regs {
		assert.Equal(t, "approved", r.Status, "registrant %s in Zoom", r.Email)
	}
	assert.Equal(t, 5, count(t, env, `SELECT COUNT(*) FROM cme_webinars_registrants WHERE webinar_id = $1 AND status = 'approved'`, id), "approved registrants recorded")

	// The Zoom calls, all made with the admin's grant.
	ops := map[string]int{}
	for _, r := range env.Fake.Requests() {
		ops[r.Operation]++
		if !strings.HasPrefix(r.Operation, "oauth.") && r.UserID != res.AdminID {
			t.Errorf("%s was made as %q, not as the admin", r.Operation, r.UserID)
		}
		if r.Status >= 400 && (r.Operation != "oauth.authorize" || r.Status != http.StatusForbidden) {
			t.Errorf("%s %s answered %d", r.Method, r.Path, r.Status)
		}
	}
	assert.Equal(t, []int64{res.WebinarID}, res.Listed, "Zoom lists %v after cancelling %d, want only %d", res.Listed, res.CancelledID, res.WebinarID)
	assert.NotZero(t, res.CancelledID, "Zoom lists %v after cancelling %d, want only %d", res.Listed, res.CancelledID, res.WebinarID)
	assert.Zero(t, res.PurgedEarly, "purge: stays deleted before the retention period")
	assert.Equal(t, int64(6), res.Purged, "purge: stays deleted after the retention period")
	assert.Equal(t, 2, ops["oauth.authorize"], "oauth.authorize calls (the member's refused approval, the admin's)")
	for op, want := range map[string]int{
		"user": 1, "webinarCreate": 2, "webinars": 1, "webinarUpdate": 2, "webinarDelete": 1, "addBatchWebinarRegistrants": 1, "webinarRegistrantCreate": 1,
		"webinarRegistrants": 1, "webinarRegistrantStatus": 1, "reportWebinarParticipants": 1, "webinarAbsentees": 1,
	} {
		assert.Equal(t, want, ops[op], "%s calls (all: %v)", op, ops)
	}
	assert.Equal(t, 1, res.Refreshes, "token refreshes at the reconciliation")

	// Webhooks: every delivery accepted, but the first attempt during the
	// outage, which Zoom's retry made good; the redelivery deduplicated.
	var failed []string
	for _, d := range env.Fake.Deliveries() {
		if d.Status != http.StatusOK {
			failed = append(failed, d.Event+" "+strconv.Itoa(d.Status))
		}
	}
	assert.Equal(t, []string{"webinar.participant_joined 503"}, failed, "failed deliveries")
	assert.Equal(t, "webinar.participant_joined", res.RetriedEvent, "retried")
	assert.Equal(t, http.StatusOK, res.ReplayStatus, "redelivery answered")

	// Attendance from webhooks: 6 stays, each with its join (the retry
	// brought the one sent during the outage).
	segs := res.Stays // as recorded before the retention purge
	require.Len(t, segs, 6, "stays recorded: %+v", segs)
	orphans := 0
	for _, s := range segs {
		if s.Join.IsZero() {
			orphans++
			assert.Equal(t, nair.Email, s.Email, "stay without a join: %+v", s)
		}
	}
	assert.Zero(t, orphans, "stays without a join")

	// Credit.
	type want struct {
		minutes, webhookMin, reportMin int
		percent                        string
		awarded, absent                bool
	}
	wants := map[string]want{
		okafor.Email:    {60, 60, 60, "100.0", true, false},
		fernandez.Email: {55, 55, 55, "91.7", true, false},
		nair.Email:      {53, 53, 53, "88.3", true, false},
		weiss.Email:     {40, 40, 40, "66.7", false, false},
		sato.Email:      {0, 0, 0, "0.0", false, true},
	}
	rows, err := a.credits(ctx, id)
	require.NoError(t, err)
	require.Len(t, rows, len(wants), "credit rows")
	for _, r := range rows {
		w := wants[r.Email]
		assert.EqualValues(t, w.minutes, r.Minutes, "%s: %+v, want %+v", r.Email, r, w)
		assert.EqualValues(t, w.webhookMin, r.WebhookSeconds/60, "%s: %+v, want %+v", r.Email, r, w)
		assert.EqualValues(t, w.reportMin, r.ReportSeconds/60, "%s: %+v, want %+v", r.Email, r, w)
		assert.Equal(t, w.percent, r.Percent(), "%s: %+v, want %+v", r.Email, r, w)
		assert.Equal(t, w.awarded, r.Awarded(), "%s: %+v, want %+v", r.Email, r, w)
		assert.Equal(t, w.absent, r.Absent, "%s: %+v, want %+v", r.Email, r, w)
		if r.Awarded() && r.Credit != 1 {
			t.Errorf("%s: credit %v, want 1.0", r.Email, r.Credit)
		}
	}
	assert.Equal(t, []string{sato.Email}, res.Rec.Absentees, "absentees")

	// The CSV in the data folder.
	f, err := os.Open(filepath.Join(env.Cfg.DataDir, "cme-credit-"+strconv.FormatInt(id, 10)+".csv"))
	require.NoError(t, err)
	recs, err := csv.NewReader(f).ReadAll()
	f.Close()
	require.NoError(t, err)
	require.Len(t, recs, 6, "CSV: %v", recs)
	require.Equal(t, csvHeader, recs[0], "CSV: %v", recs)
	for _, rec := range recs[1:] {
		w, ok := wants[rec[1]]
		if !ok {
			t.Errorf("CSV row for %q", rec[1])
			continue
		}
		awarded, hours := "no", "0.00"
		if w.awarded {
			awarded, hours = "yes", "1.00"
		}
		assert.Equal(t, strconv.Itoa(w.minutes), rec[2], "CSV row %v, want %+v", rec, w)
		assert.Equal(t, w.percent, rec[3], "CSV row %v, want %+v", rec, w)
		assert.Equal(t, awarded, rec[4], "CSV row %v, want %+v", rec, w)
		assert.Equal(t, hours, rec[5], "CSV row %v, want %+v", rec, w)
	}

	// Emails: connected, 5 approvals with the personal join links, 3
	// certificates, 2 notices, disconnected.
	mails := outbox(t, env)
	require.Len(t, mails, 12, "emails")
	assert.Equal(t, orgAdmin, mails[0].To, "first email: %+v", mails[0])
	assert.Contains(t, mails[0].Subject, "Zoom connected", "first email: %+v", mails[0])
	joinURL := map[string]string{}
	for _, r := range regs {
		joinURL[r.Email] = r.JoinURL
	}
	kinds := map[string][]string{}
	for _, m := range mails[1:11] {
		switch {
		case strings.HasPrefix(m.Subject, "Registration approved"):
			kinds["approved"] = append(kinds["approved"], m.To)
			assert.NotEmpty(t, joinURL[m.To], "approval email to %s lacks the join URL", m.To)
			assert.Contains(t, m.Body, joinURL[m.To], "approval email to %s lacks the join URL %q", m.To, joinURL[m.To])
		case strings.HasPrefix(m.Subject, "CME certificate"):
			kinds["certificate"] = append(kinds["certificate"], m.To)
			assert.Contains(t, m.Body, "1.00 AMA PRA Category 1 Credit", "certificate to %s", m.To)
		case strings.HasPrefix(m.Subject, "CME attendance"):
			kinds["notice"] = append(kinds["notice"], m.To)
		default:
			t.Errorf("unexpected email %+v", m)
		}
	}
	for k, want := range map[string][]string{
		"approved":    {fernandez.Email, nair.Email, okafor.Email, sato.Email, weiss.Email},
		"certificate": {fernandez.Email, nair.Email, okafor.Email},
		"notice":      {sato.Email, weiss.Email},
	} {
		got := kinds[k]
		slices.Sort(got)
		slices.Sort(want)
		assert.Equal(t, want, got, "%s emails", k)
	}
	last := mails[11]
	assert.Equal(t, orgAdmin, last.To, "last email: %+v", last)
	assert.Contains(t, last.Subject, "Zoom disconnected", "last email: %+v", last)

	// Uninstall: the grant is gone, the records stay, no more Zoom calls.
	_, err = env.Tokens.Get(ctx, orgTokenKey)
	assert.ErrorIs(t, err, tokenstore.ErrNotFound, "the grant is still stored")
	assert.Equal(t, 1, count(t, env, `SELECT COUNT(*) FROM cme_webinars_org WHERE disconnected_at > 0`), "organisation not marked disconnected")
	for table, want := range map[string]int{"cme_webinars_activities": 2, "cme_webinars_registrants": 5, "cme_webinars_attendance": 0, "cme_webinars_credits": 5} {
		assert.Equal(t, want, count(t, env, "SELECT COUNT(*) FROM "+table), "%s: rows after the uninstall", table)
	}
	assert.Zero(t, res.RequestsAfter, "Zoom requests after the uninstall")
	n := len(env.Fake.Requests())
	_, err = a.reconcileAndCredit(ctx, id)
	assert.ErrorIs(t, err, exkit.ErrNotConnected, "reconcile after the uninstall")
	_, err = a.register(ctx, id, person{"Late", "Comer", "late@example.org"})
	assert.ErrorIs(t, err, exkit.ErrNotConnected, "register after the uninstall")
	assert.Len(t, env.Fake.Requests(), n, "Zoom requests after the uninstall")

	// The transcript names each step's Zoom calls; no secret is printed.
	if env.Postgres() {
		// Each replica has its own connection pool, as in its own process.
		require.Len(t, a.events.dbs, replicas)
		require.NotSame(t, a.events.dbs[0], a.events.dbs[1])
		for _, db := range a.events.dbs {
			require.NotSame(t, env.DB, db)
		}
	} else {
		require.Empty(t, a.events.dbs)
	}
	a.events.close() // the replicas stop writing to it
	tr := out.String()
	for _, s := range []string{
		"POST /users/{userId}/webinars (webinarCreate)",
		"PATCH /webinars/{webinarId} (webinarUpdate)",
		`renamed "` + renamedTopic + `" (was "Grand Rounds: Hypertension management update 2026"), in Zoom and on the platform`,
		"DELETE /webinars/{webinarId}?cancel_webinar_reminder=true (webinarDelete)",
		"POST /webinars/{webinarId}/batch_registrants (addBatchWebinarRegistrants)",
		"PUT /webinars/{webinarId}/registrants/status (webinarRegistrantStatus, action approve)",
		"GET /report/webinars/{webinarId}/participants (reportWebinarParticipants)",
		"GET /past_webinars/{webinarId}/absentees (webinarAbsentees)",
		"Zoom retries the delivery, 5 minutes after the first attempt",
		"Dr. Nair's rejoin is recorded, 5 minutes late",
		"no Zoom request was made after the uninstall",
	} {
		assert.Contains(t, tr, s, "transcript lacks %q", s)
	}
	if strings.Contains(tr, env.WebhookSecret) || strings.Contains(tr, env.Fake.ClientSecret()) {
		t.Error("the transcript shows a secret")
	}

	// Asynchronous mode: each event queued, then worked by a replica; the
	// injected failure retried from the queue, Zoom answered 200.
	require.True(t, res.WorkerRetried)
	require.Regexp(t, `webhook webinar\.participant_joined verified and queued; Zoom is answered 200 at once\n.*webinar\.participant_joined worked by worker [12]: Amara Okafor joined at`, tr)
	require.Regexp(t, `✗ webinar\.participant_joined failed on worker [12]: recording Hannah Weiss's stay: the attendance database is unavailable\n.*webinar\.participant_joined goes back to the queue, retried after a backoff\n`, tr)
	require.Regexp(t, `✓ webinar\.participant_joined worked by worker [12], attempt 2 \(the previous one failed: recording Hannah Weiss's stay: the attendance database is unavailable\): Hannah Weiss joined at`, tr)
	c := a.events.counters.Snapshot()
	require.Equal(t, int64(1), c.Retried)
	require.Zero(t, c.DeadLettered)
	require.Zero(t, c.InFlight)
	require.Equal(t, int64(1), c.Failed)
	require.Equal(t, c.Queued, c.Finished-c.Failed, "each queued event handled successfully once")
	return env, out
}

// TestScopes runs the flow with the granular scopes of the README, and
// without the report scope.
func TestScopes(t *testing.T) {
	granular := []string{"webinar:write:webinar:admin", "webinar:read:list_webinars:admin", "webinar:update:webinar:admin", "webinar:delete:webinar:admin", "webinar:write:batch_registrants:admin",
		"webinar:write:registrant:admin", "webinar:read:list_registrants:admin",
		"webinar:update:registrant_status:admin", "webinar:read:list_absentees:admin",
		"report:read:list_webinar_participants:admin", "user:read:user:admin"}
	t.Run("granular", func(t *testing.T) {
		env, a, clock, out := setup(t, zoomtest.WithAppScopes(granular...))
		_, err := runFlow(t.Context(), env, a, clock)
		require.NoError(t, err, "flow with granular scopes\n%s", out)
	})
	t.Run("without report:read:admin", func(t *testing.T) {
		env, a, clock, out := setup(t, zoomtest.WithAppScopes("webinar:read:admin", "webinar:write:admin", "user:read:admin"))
		_, err := runFlow(t.Context(), env, a, clock)
		require.ErrorIs(t, err, zoom.ErrMissingScopes, "flow without the report scope\n%s", out)
		require.ErrorContains(t, err, "participant report", "flow without the report scope\n%s", out)
	})
}

func TestRun(t *testing.T) {
	t.Setenv("ZOOM_CLIENT_ID", "")
	var out, errb bytes.Buffer
	require.NoError(t, run(t.Context(), []string{"-data", t.TempDir()}, &out, &errb), "run\n%s%s", out.String(), errb.String())
	assert.Contains(t, out.String(), "Done", "transcript:\n%s", out.String())
	assert.Error(t, run(t.Context(), []string{"stray"}, &out, &errb), "a stray argument was accepted")
}

func TestAttendedSeconds(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 18, 0, 0, 0, time.UTC)
	m := func(a, b int) interval {
		return interval{t0.Add(time.Duration(a) * time.Minute), t0.Add(time.Duration(b) * time.Minute)}
	}
	for _, tc := range []struct {
		stays []interval
		want  int
	}{
		{nil, 0},
		{[]interval{m(0, 60)}, 3600},
		{[]interval{m(25, 60), m(0, 20)}, 55 * 60},            // rejoin: the stays add up
		{[]interval{m(0, 40), m(30, 60)}, 3600},               // two devices: counted once
		{[]interval{m(0, 10), m(5, 8), m(20, 30)}, 1200},      // nested
		{[]interval{m(10, 10), {from: t0.Add(time.Hour)}}, 0}, // empty and unknown
	} {
		assert.Equal(t, tc.want, attendedSeconds(tc.stays), "%v", tc.stays)
	}
}

func post(t *testing.T, a *app, path string, form url.Values) *httptest.ResponseRecorder {
	t.Helper()
	r := httptest.NewRequestWithContext(t.Context(), http.MethodPost, path, strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	w := httptest.NewRecorder()
	a.ServeHTTP(w, r)
	return w
}

func get(t *testing.T, a *app, path string) *httptest.ResponseRecorder {
	t.Helper()
	w := httptest.NewRecorder()
	a.ServeHTTP(w, httptest.NewRequestWithContext(t.Context(), http.MethodGet, path, nil))
	return w
}

// TestPages drives the web app as the -serve user does, with the fake
// Zoom controls standing for the host and the physicians.
func TestPages(t *testing.T) {
	env, a, clock, _ := setup(t)
	env.Start(a)
	require.NoError(t, seedAccount(env.Fake))

	home := get(t, a, "/")
	require.Equal(t, http.StatusOK, home.Code, "home before connecting")
	require.Contains(t, home.Body.String(), exkit.ConnectPath, "home before connecting: %d", home.Code)
	// POM's pages share the examples' layout: its name, the stylesheet, a
	// way back to the activities from every page.
	for _, want := range []string{"<title>CME activities · POM</title>", `<link rel="stylesheet" href="` + exkit.StylesheetPath + `">`, `<a class="brand" href="/">POM</a>`} {
		assert.Contains(t, home.Body.String(), want, "home lacks %s", want)
	}
	unknown := get(t, a, "/webinars/123")
	assert.Equal(t, http.StatusNotFound, unknown.Code, "an unknown activity: %s", unknown.Body)
	assert.Contains(t, unknown.Body.String(), "There is no such CME activity", "an unknown activity: %d", unknown.Code)
	assert.Contains(t, unknown.Body.String(), `<a href="/">Back to CME activities</a>`, "an unknown activity: %d", unknown.Code)
	// The integration is enabled from the Integrations (settings) section,
	// which says what is kept after the app is removed.
	for _, want := range []string{`<h2 id="integrations">Integrations</h2>`, "Enable Zoom Integration", "kept as required"} {
		assert.Contains(t, home.Body.String(), want, "home before connecting lacks %q", want)
	}
	early := post(t, a, "/webinars", url.Values{"topic": {"x"}, "host": {faculty.Email}, "start": {"2030-01-01T10:00"}, "duration": {"60"}, "credit": {"1"}})
	assert.Equal(t, http.StatusConflict, early.Code, "scheduling before connecting")

	status, body, err := exkit.NewBrowser().Get(t.Context(), env.BaseURL+exkit.ConnectPath)
	require.NoError(t, err, "connect")
	require.Equal(t, http.StatusOK, status, "connect\n%s", body)
	require.Contains(t, body, `connected by <span id="zoom-admin">`+orgAdmin, "connect: %d", status)
	require.Contains(t, body, "Schedule a CME webinar", "connect: %d", status)

	start := clock.Now().Add(2 * time.Hour)
	// A licensed user without the Webinar add-on cannot host: the
	// organiser is told so, and nothing is scheduled.
	_, err = env.Fake.AddUser(zoomtest.User{Email: "no.addon@pom.example", Type: 2})
	require.NoError(t, err)
	noAddon := post(t, a, "/webinars", url.Values{"topic": {"x"}, "host": {"no.addon@pom.example"}, "start": {start.Format("2006-01-02T15:04")}, "duration": {"60"}, "credit": {"1"}})
	assert.Equal(t, http.StatusBadRequest, noAddon.Code, "host without the add-on: %s", noAddon.Body)
	assert.Contains(t, noAddon.Body.String(), "Webinar add-on", "host without the add-on: %d", noAddon.Code)
	for _, tc := range []struct {
		form url.Values
		code int
	}{
		{url.Values{"topic": {""}, "host": {faculty.Email}, "start": {start.Format("2006-01-02T15:04")}, "duration": {"60"}, "credit": {"1"}}, http.StatusBadRequest},
		{url.Values{"topic": {"x"}, "host": {faculty.Email}, "start": {"yesterday"}, "duration": {"60"}, "credit": {"1"}}, http.StatusBadRequest},
		{url.Values{"topic": {"x"}, "host": {faculty.Email}, "start": {start.Format("2006-01-02T15:04")}, "duration": {"60"}, "credit": {"0"}}, http.StatusBadRequest},
	} {
		assert.Equal(t, tc.code, post(t, a, "/webinars", tc.form).Code, "%v", tc.form)
	}
	w := post(t, a, "/webinars", url.Values{"topic": {"Sepsis <bundle> review"}, "host": {faculty.Email}, "start": {start.Format("2006-01-02T15:04")}, "duration": {"30"}, "credit": {"0.5"}})
	require.Equal(t, http.StatusSeeOther, w.Code, "schedule: %s", w.Body)
	page := w.Header().Get("Location")
	id, _ := strconv.ParseInt(strings.TrimPrefix(page, "/webinars/"), 10, 64)
	_, ok := env.Fake.Meeting(zoom.ID(id))
	require.True(t, ok, "no webinar %d in Zoom", id)
	assert.Contains(t, get(t, a, "/").Body.String(), "Sepsis &lt;bundle&gt; review", "the home page does not list the activity, escaped")

	w = post(t, a, page+"/batch", url.Values{"people": {"Amara Okafor <amara.okafor@stmarys.example>\nnot an address"}})
	assert.Equal(t, http.StatusBadRequest, w.Code, "bad batch line")
	w = post(t, a, page+"/batch", url.Values{"people": {"Amara Okafor <amara.okafor@stmarys.example>\nHannah Weiss <hannah.weiss@northside.example>"}})
	assert.Equal(t, http.StatusSeeOther, w.Code, "batch: %s", w.Body)
	w = post(t, a, page+"/registrants", url.Values{"first": {"Kenji"}, "last": {"Sato"}, "email": {"kenji.sato@bayhealth.example"}})
	assert.Equal(t, http.StatusSeeOther, w.Code, "register: %s", w.Body)
	body = get(t, a, page).Body.String()
	assert.Equal(t, 3, strings.Count(body, "<td>pending</td>"), "the page does not show 3 pending registrants:\n%s", body)
	w = post(t, a, page+"/approve", nil)
	assert.Equal(t, http.StatusSeeOther, w.Code, "approve: %s", w.Body)
	assert.Equal(t, 3, strings.Count(get(t, a, page).Body.String(), "<td>approved</td>"), "the page does not show 3 approved registrants")
	assert.Equal(t, http.StatusBadRequest, post(t, a, page+"/reconcile", nil).Code, "reconcile before the webinar")
	assert.Equal(t, http.StatusNotFound, get(t, a, page+"/credits.csv").Code, "CSV before credit")

	clock.Set(start)
	for _, action := range []string{"start", "join"} {
		w = post(t, a, "/fake-zoom"+page+"/"+action, nil)
		require.Equal(t, http.StatusSeeOther, w.Code, "fake %s: %s", action, w.Body)
	}
	assert.Equal(t, 3, strings.Count(get(t, a, page).Body.String(), "in the webinar"), "the page does not show 3 participants in the webinar")
	clock.Advance(30 * time.Minute)
	require.Equal(t, http.StatusSeeOther, post(t, a, "/fake-zoom"+page+"/end", nil).Code, "fake end")
	// Right after the end Zoom has not made the report yet.
	w = post(t, a, page+"/reconcile", nil)
	require.Equal(t, http.StatusConflict, w.Code, "reconcile at the end: %s", w.Body)
	require.Contains(t, w.Body.String(), "try again later", "reconcile at the end: %d", w.Code)
	assert.Zero(t, count(t, env, `SELECT COUNT(*) FROM cme_webinars_credits WHERE webinar_id = $1`, id), "credit rows saved without Zoom's report")
	clock.Advance(zoomtest.DefaultReportDelay)
	w = post(t, a, page+"/reconcile", nil)
	require.Equal(t, http.StatusSeeOther, w.Code, "reconcile: %s", w.Body)
	body = get(t, a, page).Body.String()
	assert.Equal(t, 3, strings.Count(body, "0.50 h"), "the page does not show 3 credits of 0.50 h:\n%s", body)
	csvw := get(t, a, page+"/credits.csv")
	recs, err := csv.NewReader(csvw.Body).ReadAll()
	assert.Equal(t, http.StatusOK, csvw.Code, "CSV: %v", recs)
	if assert.NoError(t, err, "CSV") && assert.Len(t, recs, 4, "CSV: %v", recs) {
		assert.Equal(t, "30", recs[1][2], "CSV: %v", recs)
		assert.Equal(t, "yes", recs[1][4], "CSV: %v", recs)
	}

	require.Equal(t, http.StatusSeeOther, post(t, a, "/fake-zoom/uninstall", nil).Code, "uninstall")
	n := len(env.Fake.Requests())
	assert.Contains(t, get(t, a, "/").Body.String(), "Zoom was disconnected", "the home page does not say Zoom was disconnected")
	w = get(t, a, page)
	assert.Equal(t, http.StatusOK, w.Code, "the activity page after the uninstall")
	assert.Equal(t, 3, strings.Count(w.Body.String(), "0.50 h"), "the activity page after the uninstall: %d", w.Code)
	assert.NotContains(t, w.Body.String(), "Approve pending", "the activity page after the uninstall: %d", w.Code)
	assert.Equal(t, http.StatusConflict, post(t, a, page+"/approve", nil).Code, "approve after the uninstall")
	assert.Len(t, env.Fake.Requests(), n, "Zoom requests after the uninstall")
	assert.Equal(t, http.StatusNotFound, get(t, a, "/webinars/123").Code, "unknown activity")
}

// TestWebhookRejectsUnsigned checks that attendance cannot be forged.
func TestWebhookRejectsUnsigned(t *testing.T) {
	env, a, _, _ := setup(t)
	body := `{"event":"webinar.participant_joined","event_ts":1,"payload":{"object":{"id":"1","uuid":"u","participant":{"user_id":"1","user_name":"Mallory"}}}}`
	r := httptest.NewRequestWithContext(t.Context(), http.MethodPost, exkit.WebhookPath, strings.NewReader(body))
	w := httptest.NewRecorder()
	a.ServeHTTP(w, r)
	assert.Contains(t, []int{http.StatusUnauthorized, http.StatusForbidden, http.StatusBadRequest}, w.Code, "unsigned webhook")
	assert.Zero(t, count(t, env, `SELECT COUNT(*) FROM cme_webinars_attendance`), "stays recorded from an unsigned event")
}

// TestLetTimePass: offline, the web app's "let time pass" control moves
// the clock the fake Zoom and the app share, so a webinar run from the
// pages has real durations and Zoom's report delay passes.
func TestLetTimePass(t *testing.T) {
	_, a, clock, _ := setup(t)
	before := clock.Now()
	w := post(t, a, "/fake-zoom/time", url.Values{"minutes": {"30"}})
	require.Equal(t, http.StatusSeeOther, w.Code, "let time pass: %s", w.Body)
	assert.Equal(t, 30*time.Minute, clock.Now().Sub(before), "the clock moved")
	assert.Equal(t, http.StatusBadRequest, post(t, a, "/fake-zoom/time", url.Values{"minutes": {"-5"}}).Code, "negative minutes")
	assert.Contains(t, get(t, a, "/").Body.String(), "deleted 30 days after", "the home page does not state the retention period")
	assert.Contains(t, get(t, a, "/").Body.String(), `action="/fake-zoom/time"`, "the home page has no let-time-pass control")
}

// TestCancel: the coordinator cancels a scheduled webinar from its page;
// Zoom deletes it (telling the registrants by email) and the activity is
// marked cancelled.
func TestCancel(t *testing.T) {
	env, a, clock, _ := setup(t)
	env.Start(a)
	require.NoError(t, seedAccount(env.Fake))
	status, _, err := exkit.NewBrowser().Get(t.Context(), env.BaseURL+exkit.ConnectPath)
	require.NoError(t, err, "connect")
	require.Equal(t, http.StatusOK, status, "connect")
	act, err := a.createActivity(t.Context(), activityRequest{Topic: "To cancel", HostEmail: faculty.Email, Start: clock.Now().Add(24 * time.Hour), Duration: 60, CreditHours: 1})
	require.NoError(t, err)
	path := fmt.Sprintf("/webinars/%d", act.WebinarID)
	// Rescheduled first: Zoom's webinar and the activity change together.
	later := act.Start.Add(2 * time.Hour)
	w := post(t, a, path+"/update", url.Values{"start": {later.Format("2006-01-02T15:04")}, "duration": {"90"}})
	require.Equal(t, http.StatusSeeOther, w.Code, "reschedule: %s", w.Body)
	got, err := a.activity(t.Context(), act.WebinarID)
	require.NoError(t, err, "after rescheduling")
	require.True(t, got.Start.Equal(later), "after rescheduling: %+v", got)
	require.EqualValues(t, 90, got.Duration, "after rescheduling: %+v", got)
	assert.Equal(t, http.StatusBadRequest, post(t, a, path+"/update", url.Values{"start": {later.Format("2006-01-02T15:04")}, "duration": {"5"}}).Code, "a 5-minute reschedule")
	w = post(t, a, path+"/cancel", nil)
	require.Equal(t, http.StatusSeeOther, w.Code, "cancel: %s", w.Body)
	got, err = a.activity(t.Context(), act.WebinarID)
	require.NoError(t, err, "after cancel")
	require.Equal(t, "cancelled", got.Status, "after cancel: %+v", got)
	deleted := false
	for _, r := range env.Fake.Requests() {
		if r.Operation == "webinarDelete" && r.Status == http.StatusNoContent {
			deleted = true
		}
	}
	assert.True(t, deleted, "Zoom's webinar was not deleted")
	updated := 0
	for _, r := range env.Fake.Requests() {
		if r.Operation == "webinarUpdate" && r.Status == http.StatusNoContent {
			updated++
		}
	}
	assert.Equal(t, 1, updated, "Zoom's webinar updates")
	assert.Contains(t, get(t, a, path).Body.String(), `<b id="status">cancelled</b>`, "the page does not show the activity as cancelled")
	page := get(t, a, "/zoom-webinars?host="+url.QueryEscape(faculty.Email))
	assert.Equal(t, http.StatusOK, page.Code, "Zoom's list after the cancel: %s", page.Body)
	assert.NotContains(t, page.Body.String(), path, "Zoom's list after the cancel: %d", page.Code)
	assert.Contains(t, page.Body.String(), "Zoom lists no upcoming webinar", "Zoom's list after the cancel: %d", page.Code)
	assert.Equal(t, http.StatusConflict, post(t, a, path+"/cancel", nil).Code, "cancelling twice")
}

// connectAdmin enables the Zoom integration as the admin, through the
// browser round trip.
func connectAdmin(t *testing.T, env *exkit.Env) {
	t.Helper()
	require.NoError(t, seedAccount(env.Fake))
	status, _, err := exkit.NewBrowser().Get(t.Context(), env.BaseURL+exkit.ConnectPath)
	require.NoError(t, err, "connect")
	require.Equal(t, http.StatusOK, status, "connect")
}

// Every POST route refuses a browser's cross-site post (a foreign Origin,
// Sec-Fetch-Site cross-site or same-site) with 403 and changes nothing:
// no Zoom request, no record, no email; the same post from the
// platform's own pages goes through.
func TestCrossSitePostsRefused(t *testing.T) {
	env, a, clock, _ := setup(t)
	env.Start(a)
	connectAdmin(t, env)
	act, err := a.createActivity(t.Context(), activityRequest{Topic: "Cross-site", HostEmail: faculty.Email, Start: clock.Now().Add(24 * time.Hour), Duration: 60, CreditHours: 1})
	require.NoError(t, err)
	w := fmt.Sprintf("/webinars/%d", act.WebinarID)
	// A dead letter to replay: an event no worker has a function for.
	require.NoError(t, a.events.q.Enqueue(t.Context(), queue.Message{Key: "cross-site", Body: []byte(`{"event":"meeting.created","event_ts":1,"payload":{}}`)}))
	require.NoError(t, a.drain(t.Context()))
	dls, err := a.events.q.DeadLetters(t.Context(), 10)
	require.NoError(t, err)
	require.Len(t, dls, 1)
	state := func() string {
		var b strings.Builder
		fmt.Fprintf(&b, "zoom requests %d, emails %d, clock %s", len(env.Fake.Requests()), len(env.Mail.Sent()), clock.Now().Format(time.RFC3339))
		// Dead-lettered: a replay of the dead letter dead-letters it again
		// (no worker has a function for it). The other counters move
		// while the workers handle the webhooks of earlier posts.
		fmt.Fprintf(&b, ", dead-lettered %d", a.events.counters.Snapshot().DeadLettered)
		for _, table := range []string{"cme_webinars_org WHERE disconnected_at = 0", "cme_webinars_activities", "cme_webinars_activities WHERE status = 'scheduled'",
			"cme_webinars_registrants", "cme_webinars_registrants WHERE status = 'approved'", "cme_webinars_attendance", "cme_webinars_credits"} {
			fmt.Fprintf(&b, ", %s: %d", table, count(t, env, "SELECT COUNT(*) FROM "+table))
		}
		return b.String()
	}
	start := clock.Now().Add(48 * time.Hour).Format("2006-01-02T15:04")
	routes := map[string]exkittest.PostRoute{ // by the pattern the app registers
		"POST /webinars":                         {Path: "/webinars", Form: url.Values{"topic": {"Sepsis review"}, "host": {faculty.Email}, "start": {start}, "duration": {"60"}, "credit": {"1"}}, SameOrigin: http.StatusSeeOther},
		"POST /webinars/{id}/batch":              {Path: w + "/batch", Form: url.Values{"people": {"Amara Okafor <amara.okafor@stmarys.example>"}}, SameOrigin: http.StatusSeeOther},
		"POST /webinars/{id}/registrants":        {Path: w + "/registrants", Form: url.Values{"first": {"Kenji"}, "last": {"Sato"}, "email": {sato.Email}}, SameOrigin: http.StatusSeeOther},
		"POST /webinars/{id}/approve":            {Path: w + "/approve", SameOrigin: http.StatusSeeOther},
		"POST /webinars/{id}/update":             {Path: w + "/update", Form: url.Values{"topic": {"Cross-site, renamed"}, "start": {start}, "duration": {"90"}}, SameOrigin: http.StatusSeeOther},
		"POST /fake-zoom/time":                   {Path: "/fake-zoom/time", Form: url.Values{"minutes": {"5"}}, SameOrigin: http.StatusSeeOther},
		"POST /webinars/{id}/cancel":             {Path: w + "/cancel", SameOrigin: http.StatusSeeOther},
		"POST /webinars/{id}/reconcile":          {Path: w + "/reconcile", SameOrigin: http.StatusBadRequest},                   // a cancelled webinar has not ended
		"POST /fake-zoom/webinars/{id}/{action}": {Path: "/fake-zoom" + w + "/end", SameOrigin: http.StatusInternalServerError}, // a cancelled webinar is gone from Zoom
		exkit.WebhookPath:                        {Path: exkit.WebhookPath, SameOrigin: http.StatusUnauthorized},                // Zoom's posts carry a signature, not a browser's headers
		"POST /fake-zoom/uninstall":              {Path: "/fake-zoom/uninstall", SameOrigin: http.StatusSeeOther},
		"POST /webhook-events/replay":            {Path: "/webhook-events/replay", Form: url.Values{"id": {dls[0].ID}}, SameOrigin: http.StatusSeeOther},
	}
	order := []string{"POST /webinars", "POST /webinars/{id}/batch", "POST /webinars/{id}/registrants", "POST /webinars/{id}/approve",
		"POST /webinars/{id}/update", "POST /fake-zoom/time", "POST /webinars/{id}/cancel", "POST /webinars/{id}/reconcile",
		"POST /fake-zoom/webinars/{id}/{action}", exkit.WebhookPath, "POST /webhook-events/replay", "POST /fake-zoom/uninstall"}
	require.Equal(t, slices.Sorted(slices.Values(a.mux.posts)), slices.Sorted(maps.Keys(routes)), "the routes the table covers (actual) against the app's POST routes (expected)")
	var table []exkittest.PostRoute
	for _, p := range order {
		table = append(table, routes[p])
	}
	exkittest.AssertPostRoutesRefuseCrossSite(t, env.BaseURL, table, state)
	// The same-origin posts did their work.
	got, _ := a.activity(t.Context(), act.WebinarID)
	assert.Equal(t, "Cross-site, renamed", got.Topic, "after the same-origin posts: %+v", got)
	assert.Equal(t, "cancelled", got.Status, "after the same-origin posts: %+v", got)
	o, _ := a.organisation(t.Context())
	assert.False(t, o.Connected(), "the same-origin uninstall left Zoom connected")
}

// Failures are told in sentences that say what to do: a host without a
// webinar licence, Zoom's server errors and rate limits, a network
// failure, a revoked grant. Zoom's own text and the Go error go to the
// log, not to the page.
func TestFailuresShownAsSentences(t *testing.T) {
	env, a, clock, out := setup(t)
	env.Start(a)
	connectAdmin(t, env)
	_, err := env.Fake.AddUser(zoomtest.User{Email: "no.addon@pom.example", Type: 2})
	require.NoError(t, err)
	act, err := a.createActivity(t.Context(), activityRequest{Topic: "Failures", HostEmail: faculty.Email, Start: clock.Now().Add(24 * time.Hour), Duration: 60, CreditHours: 1})
	require.NoError(t, err)
	start := act.Start.Format("2006-01-02T15:04")
	schedule := url.Values{"topic": {"x"}, "host": {"no.addon@pom.example"}, "start": {start}, "duration": {"60"}, "credit": {"1"}}
	update := url.Values{"topic": {"Renamed"}, "start": {start}, "duration": {"60"}}
	path := fmt.Sprintf("/webinars/%d", act.WebinarID)
	errorRE := regexp.MustCompile(`<p class="err" id="error">([^<]*)</p>`)
	for _, tc := range []struct {
		name  string
		fault *zoomtest.Fault
		path  string
		form  url.Values
		code  int
		want  string
	}{
		{"host without a webinar licence", nil, "/webinars", schedule, http.StatusBadRequest,
			"Could not schedule the webinar: no.addon@pom.example has no webinar licence, so the Zoom admin must assign them the Webinar add-on first."},
		{"Zoom's server error", &zoomtest.Fault{Operation: "webinarUpdate", Count: 10, Status: http.StatusInternalServerError}, path + "/update", update, http.StatusBadGateway,
			"Zoom had a problem on its side and could not change the webinar: try again in a few minutes."},
		{"rate limit", &zoomtest.Fault{Operation: "webinarUpdate", Count: 10, Status: http.StatusTooManyRequests}, path + "/update", update, http.StatusTooManyRequests,
			"Zoom is busy with the platform's requests and could not change the webinar now: try again in a minute."},
		{"network", &zoomtest.Fault{Operation: "webinarUpdate", Count: 10, Reset: true}, path + "/update", update, http.StatusBadGateway,
			"The platform could not reach Zoom to change the webinar: check the network connection, then try again."},
		{"bad start", nil, path + "/update", url.Values{"start": {"tomorrow"}, "duration": {"60"}}, http.StatusBadRequest,
			"Could not change the webinar: the start time is not a date and time."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env.Fake.ClearFaults()
			if tc.fault != nil {
				require.NoError(t, env.Fake.InjectFault(*tc.fault))
			}
			w := post(t, a, tc.path, tc.form)
			m := errorRE.FindStringSubmatch(w.Body.String())
			require.Equal(t, tc.code, w.Code, "shown %q", m)
			require.NotNil(t, m, "%d, shown no error; want %q", w.Code, tc.want)
			require.Equal(t, tc.want, html.UnescapeString(m[1]), "%d, shown %q", w.Code, m)
			for _, leak := range []string{"zoom:", "oauth:", "Webinar plan is missing", "connection reset", "PATCH", "webinarUpdate"} {
				assert.NotContains(t, w.Body.String(), leak, "the page shows %q", leak)
			}
		})
	}
	env.Fake.ClearFaults()
	got, _ := a.activity(t.Context(), act.WebinarID)
	assert.Equal(t, "Failures", got.Topic, "the title changed")
	// Zoom revoked the grant: an admin must enable the integration again.
	env.Fake.RevokeAll()
	w := post(t, a, path+"/update", update)
	m := errorRE.FindStringSubmatch(w.Body.String())
	if assert.NotNil(t, m, "revoked grant: %d shows no error", w.Code) {
		assert.Equal(t, "Zoom no longer accepts the platform's connection, so it could not change the webinar: a Zoom account admin must enable the Zoom integration again.", html.UnescapeString(m[1]), "revoked grant: %d %q", w.Code, m)
	}
	log := out.String()
	assert.Contains(t, log, `msg="action failed" action="change the webinar"`, "the log lacks the failures:\n%s", log)
	assert.Contains(t, log, "zoom_status=500", "the log lacks the failures:\n%s", log)
	assert.Contains(t, log, "Webinar plan is missing", "the log lacks the failures:\n%s", log)
}

// Zoom lists at most 300 items a page: the platform lists a host's
// webinars and approves registrations past the first page.
func TestListsPastOnePage(t *testing.T) {
	ctx := t.Context()
	env, a, clock, _ := setup(t)
	env.Start(a)
	connectAdmin(t, env)
	env.Fake.Unsubscribe() // the webhooks of 300 creations and registrations are not this test's subject
	owner := env.Fake.Client(env.Fake.OwnerID())
	const webinars = 305
	for i := range webinars - 1 {
		_, _, err := owner.Webinars.Create(ctx, faculty.Email, &zoom.CreateWebinarRequest{Topic: fmt.Sprintf("Journal club %d", i+1),
			Type: zoom.WebinarTypeWebinar, StartTime: zoom.NewTime(clock.Now().Add(time.Duration(i+2) * time.Hour)), Duration: 60})
		require.NoError(t, err)
	}
	act, err := a.createActivity(ctx, activityRequest{Topic: "Registrants", HostEmail: faculty.Email, Start: clock.Now().Add(time.Hour), Duration: 60, CreditHours: 1})
	require.NoError(t, err)
	listed, err := a.zoomWebinars(ctx, faculty.Email)
	require.NoError(t, err, "listed webinars")
	require.Len(t, listed, webinars, "listed webinars")
	page := get(t, a, "/zoom-webinars?host="+url.QueryEscape(faculty.Email)).Body.String()
	assert.Contains(t, page, fmt.Sprintf("%d upcoming webinars", webinars), "the page does not list every webinar")
	assert.Contains(t, page, fmt.Sprintf(`data-webinar="%d"`, act.WebinarID), "the page does not list every webinar")

	const people = 310
	var ps []person
	for i := range people {
		ps = append(ps, person{FirstName: "Dr", LastName: fmt.Sprintf("No%03d", i), Email: fmt.Sprintf("dr%03d@clinic.example", i)})
	}
	_, err = a.registerBatch(ctx, act.WebinarID, ps)
	require.NoError(t, err)
	approved, err := a.approvePending(ctx, act.WebinarID)
	require.NoError(t, err, "approved")
	require.Len(t, approved, people, "approved")
	n := 0
	for _, r := range env.Fake.Registrants(zoom.ID(act.WebinarID)) {
		if r.Status == "approved" {
			n++
		}
	}
	assert.Equal(t, people, n, "approved in Zoom")
	assert.Equal(t, people, count(t, env, `SELECT COUNT(*) FROM cme_webinars_registrants WHERE status = 'approved'`), "approved recorded")
	pages := map[string]int{}
	for _, r := range env.Fake.Requests() {
		pages[r.Operation]++
	}
	for op, want := range map[string]int{"webinars": 4, "webinarRegistrants": 2, "addBatchWebinarRegistrants": 11, "webinarRegistrantStatus": 11} {
		assert.Equal(t, want, pages[op], "%s requests %v: want 2 pages of webinars for each of the 2 listings, 2 of registrants, 11 batches of 30", op, pages)
	}
}
