package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/mail"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
	"golang.org/x/oauth2"

	"github.com/zoomkit/zoomkit/examples/internal/exkit"
	"github.com/zoomkit/zoomkit/examples/internal/exkittest"
	"github.com/zoomkit/zoomkit/tokenstore"
	"github.com/zoomkit/zoomkit/webhook"
	"github.com/zoomkit/zoomkit/zoom"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// setup opens the example offline, as `go run` does, in a temporary folder.
func setup(t *testing.T, verificationToken string) (*exkit.Env, *app, *exkit.Clock, *bytes.Buffer) {
	t.Helper()
	var out bytes.Buffer
	cfg := &exkit.Config{Name: "telehealth", DataDir: t.TempDir(), VerificationToken: verificationToken}
	env, a, clock, err := open(t.Context(), cfg, &out)
	require.NoError(t, err)
	t.Cleanup(env.Close)
	return env, a, clock, &out
}

func count(t *testing.T, env *exkit.Env, table string) int {
	t.Helper()
	var n int
	require.NoError(t, env.DB.QueryRowContext(t.Context(), "SELECT COUNT(*) FROM "+table).Scan(&n))
	return n
}

// outbox parses the .eml files the mailer wrote.
func outbox(t *testing.T, env *exkit.Env) []*mail.Message {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(env.Cfg.DataDir, "outbox", "*.eml"))
	require.NoError(t, err)
	slices.Sort(files)
	var out []*mail.Message
	for _, f := range files {
		b, err := os.ReadFile(f)
		require.NoError(t, err)
		m, err := mail.ReadMessage(bytes.NewReader(b))
		require.NoError(t, err, "%s", f)
		out = append(out, m)
	}
	return out
}

func TestFlow(t *testing.T) {
	for _, tc := range []struct{ name, verificationToken string }{
		{"signature", ""},
		{"signature and legacy verification token", "legacy-verification-token-0123456789"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := t.Context()
			env, a, clock, out := setup(t, tc.verificationToken)
			res, err := runFlow(ctx, env, a, clock)
			require.NoError(t, err, "flow\n%s", out)
			provider, _ := env.Fake.User(drRivera.Email)
			require.Equal(t, provider.ID, res.ProviderID, "provider id")

			// Zoom's side: the kept visit is a meeting hosted by the
			// provider with the patients as invitees; the other is deleted.
			kept, ok := env.Fake.Meeting(zoom.ID(res.Kept))
			assert.True(t, ok, "kept meeting: %+v", kept)
			assert.False(t, kept.Deleted, "kept meeting: %+v", kept)
			assert.Equal(t, provider.ID, kept.HostID, "kept meeting: %+v", kept)
			assert.Equal(t, "Pediatric consultation", kept.Topic, "kept meeting: %+v", kept)
			wantInvitees := []string{"noah.kim@patients.example", "grace.kim@patients.example", "sam.okafor@clinic.example"}
			assert.Equal(t, wantInvitees, res.KeptInvitees, "invitees from GET meeting")
			inv, _ := kept.Settings["meeting_invitees"].([]any)
			assert.Len(t, inv, 3, "fake's meeting_invitees = %v", kept.Settings["meeting_invitees"])
			assert.Equal(t, true, kept.Settings["waiting_room"], "settings: waiting_room %v, join_before_host %v", kept.Settings["waiting_room"], kept.Settings["join_before_host"])
			assert.Equal(t, false, kept.Settings["join_before_host"], "settings: waiting_room %v, join_before_host %v", kept.Settings["waiting_room"], kept.Settings["join_before_host"])
			del, ok := env.Fake.Meeting(zoom.ID(res.Deleted))
			assert.True(t, ok, "deleted meeting: %+v", del)
			assert.True(t, del.Deleted, "deleted meeting: %+v", del)

			// Tokens: refreshed once, only after expiry; gone after the uninstall.
			assert.Equal(t, 0, res.RefreshesEarly, "refreshes before expiry %d (want 0), after %d (want 1)", res.RefreshesEarly, res.RefreshesLate)
			assert.Equal(t, 1, res.RefreshesLate, "refreshes before expiry %d (want 0), after %d (want 1)", res.RefreshesEarly, res.RefreshesLate)
			got := env.Fake.TokenRequests()
			assert.Equal(t, 1, got["authorization_code"], "token requests %v", got)
			assert.Equal(t, 1, got["refresh_token"], "token requests %v", got)
			assert.Len(t, got, 2, "token requests %v", got)
			_, err = env.Tokens.Get(ctx, tokenKey(provider.ID))
			assert.ErrorIs(t, err, tokenstore.ErrNotFound, "token after uninstall")

			// Records: provider and visits removed.
			assert.Equal(t, 0, count(t, env, "telehealth_providers"), "provider records after uninstall")
			assert.Equal(t, 0, count(t, env, "telehealth_visits"), "visit records after uninstall")

			// The Zoom calls, in order, all as the provider and successful;
			// none after the uninstall.
			var ops []string
			for _, r := range env.Fake.Requests() {
				ops = append(ops, r.Operation)
				if r.Status >= 300 && r.Operation != "oauth.authorize" {
					t.Errorf("%s %s answered %d", r.Method, r.Path, r.Status)
				}
				if !strings.HasPrefix(r.Operation, "oauth.") && r.UserID != provider.ID {
					t.Errorf("%s %s made as %q", r.Method, r.Path, r.UserID)
				}
			}
			wantOps := []string{
				"oauth.authorize", "oauth.token", "user", "meetings", // connect, then the provider's page
				"searchCompanyContacts",                  // find by name: the contacts after the EHR's patients
				"meetingCreate",                          // visit 1: Ava Lopez is the EHR's patient, no search in Zoom
				"searchCompanyContacts", "meetingCreate", // visit 2: Sam Okafor is a Zoom contact
				"meeting",                   // open the visit
				"meetings",                  // list
				"meetingDelete", "meetings", // delete, list
				"meetings",                // before expiry: no refresh
				"oauth.token", "meetings", // after expiry: one refresh
			}
			assert.Equal(t, wantOps, ops, "Zoom requests")
			assert.Equal(t, 0, res.RequestsAfter, "requests after the uninstall")

			// The deauthorization was delivered, verified and accepted.
			dl := env.Fake.Deliveries()
			last := dl[len(dl)-1]
			assert.Equal(t, "app_deauthorized", last.Event, "last delivery %s: status %d, err %q", last.Event, last.Status, last.Err)
			assert.Equal(t, 200, last.Status, "last delivery %s: status %d, err %q", last.Event, last.Status, last.Err)
			assert.NotZero(t, last.Header.Get("X-Zm-Signature"), "last delivery %s: status %d, err %q", last.Event, last.Status, last.Err)
			assert.NotZero(t, a.verificationToken, "the deauthorization did not carry the app's verification token")
			assert.Equal(t, a.verificationToken, last.Header.Get("Authorization"), "the deauthorization did not carry the app's verification token")

			// Invitees: the EHR's patients first, then Zoom's contacts.
			var found []string
			for _, p := range res.Found {
				found = append(found, p.Name+" <"+p.Email+"> "+p.Source)
			}
			wantFound := []string{
				"Grace Kim <grace.kim@patients.example> EHR patient",
				"Noah Kim <noah.kim@patients.example> EHR patient",
				"Jin Kim <jin.kim@clinic.example> Zoom contact",
			}
			assert.Equal(t, wantFound, found, "search for Kim")

			// Emails: the provider's "connected", an invitation to each
			// invitee with the join link, a cancellation, the provider's
			// "disconnected".
			msgs := outbox(t, env)
			require.Len(t, msgs, 7, "%d emails in the outbox, %d sent", len(msgs), len(env.Mail.Sent()))
			require.Len(t, env.Mail.Sent(), 7, "%d emails in the outbox, %d sent", len(msgs), len(env.Mail.Sent()))
			keptJoin, deletedJoin := "/j/"+strconv.FormatInt(res.Kept, 10)+"?pwd=", "/j/"+strconv.FormatInt(res.Deleted, 10)+"?pwd="
			dec := new(mime.WordDecoder)
			bodies := make([]string, len(msgs))
			for i, want := range []struct{ to, subject, body string }{
				{drRivera.Email, "Zoom connected", "email and password"},
				{"ava.lopez@patients.example", "Your telehealth visit on", deletedJoin},
				{"noah.kim@patients.example", "Your telehealth visit on", keptJoin},
				{"grace.kim@patients.example", "Your telehealth visit on", keptJoin},
				{"sam.okafor@clinic.example", "Your telehealth visit on", keptJoin},
				{"ava.lopez@patients.example", "Cancelled: your telehealth visit on", "Blood pressure follow-up"},
				{drRivera.Email, "Zoom disconnected", "deleted your Zoom connection"},
			} {
				to, _ := mail.ParseAddress(msgs[i].Header.Get("To"))
				subj, _ := dec.DecodeHeader(msgs[i].Header.Get("Subject"))
				b, _ := io.ReadAll(msgs[i].Body)
				bodies[i] = subj + "\n" + string(b)
				msg := fmt.Sprintf("email %d: to %v, subject %q; want %q to %s with %q:\n%s", i, to, subj, want.subject, want.to, want.body, b)
				if assert.NotNil(t, to, msg) {
					assert.Equal(t, want.to, to.Address, msg)
				}
				assert.True(t, strings.HasPrefix(subj, want.subject), msg)
				assert.NotZero(t, want.body, msg)
				assert.Contains(t, string(b), want.body, msg)
			}

			// The transcript names the steps and no secret.
			for _, want := range []string{"Connect Zoom", "(searchCompanyContacts)", "(EHR patient)", "(Zoom contact)", "invitation emailed to", "(meetingCreate)", "(meetingDelete)", "refresh_token grant", "app_deauthorized", "no Zoom request was made",
				"authorization header matches the verification token", "Sign in to Zoom with your email and password", "Manage > Added Apps"} {
				assert.Contains(t, out.String(), want, "transcript lacks %q", want)
			}
			// The host's start link exists but reaches only the provider's
			// page: not the transcript, not an email.
			assert.Contains(t, res.StartURL, "zak=", "start link %q has no ZAK", res.StartURL)
			assert.NotContains(t, out.String(), res.StartURL, "the transcript holds the start link")
			assert.NotContains(t, out.String(), "zak=", "the transcript holds the start link")
			assert.NotContains(t, out.String(), "/s/", "the transcript holds the start link")
			for i, b := range bodies {
				assert.NotContains(t, b, "zak=", "email %d holds a start link", i)
				assert.NotContains(t, b, "/s/", "email %d holds a start link", i)
			}
			for _, secret := range []string{env.Fake.ClientSecret(), env.WebhookSecret, a.verificationToken} {
				if secret != "" && strings.Contains(out.String(), secret) {
					t.Error("the transcript holds a secret")
				}
			}
		})
	}
}

// connect seeds the fake and connects the provider through the browser.
func connect(t *testing.T, env *exkit.Env, a *app) (string, *exkit.Browser) {
	t.Helper()
	require.NoError(t, seedDirectory(env.Fake))
	env.Start(a)
	b := exkit.NewBrowser()
	t.Cleanup(b.CloseIdleConnections)
	status, body, err := b.Get(t.Context(), env.BaseURL+exkit.ConnectPath)
	require.NoError(t, err, "connect: %d %v\n%s", status, err, body)
	require.Equal(t, 200, status, "connect: %d %v\n%s", status, err, body)
	require.Contains(t, body, drRivera.Email, "connect: %d %v\n%s", status, err, body)
	u, _ := env.Fake.User(drRivera.Email)
	return u.ID, b
}

// The grant holds only the app's scopes: a write they do not cover is
// refused by Zoom with code 4700.
func TestScopesRefuseOtherWrites(t *testing.T) {
	env, a, _, _ := setup(t, "")
	id, _ := connect(t, env, a)
	c, err := a.client(t.Context(), id)
	require.NoError(t, err)
	_, err = c.Users.Update(t.Context(), "me", &zoom.UpdateUserRequest{Dept: zoom.Ptr("Telehealth")}, nil)
	var apiErr *zoom.APIError
	require.ErrorIs(t, err, zoom.ErrMissingScopes, "PATCH /users/me without user:write: %v", err)
	require.ErrorAs(t, err, &apiErr, "PATCH /users/me without user:write: %v", err)
	require.Equal(t, 4700, apiErr.Code, "PATCH /users/me without user:write: %v", err)
	u, _ := env.Fake.User(id)
	assert.Equal(t, drRivera.Dept, u.Dept, "dept changed")

	// Why the app also has contact:read: with only the three scopes the
	// issue names, Zoom refuses the contact search.
	tok, err := env.Fake.AccessToken(id, "meeting:read", "meeting:write", "user:read")
	require.NoError(t, err)
	narrow, err := env.NewClient(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: tok, TokenType: "bearer"}))
	require.NoError(t, err)
	_, _, err = narrow.Contacts.Search(t.Context(), &zoom.SearchCompanyContactsOptions{SearchKey: "Ava"})
	require.ErrorIs(t, err, zoom.ErrMissingScopes, "GET /contacts without contact:read: %v", err)
	require.ErrorAs(t, err, &apiErr, "GET /contacts without contact:read: %v", err)
	require.Equal(t, 4700, apiErr.Code, "GET /contacts without contact:read: %v", err)
}

// The deauthorization endpoint, in the default run, checks the
// authorization header against the app's verification token alongside the
// signature: a delivery missing either is refused and removes nothing.
func TestDeauthorizationChecksVerificationToken(t *testing.T) {
	const given = "legacy-verification-token-0123456789"
	for _, tc := range []struct{ name, token string }{{"default run", ""}, {"-verification-token", given}} {
		t.Run(tc.name, func(t *testing.T) {
			env, a, clock, out := setup(t, tc.token)
			id, _ := connect(t, env, a)
			if a.verificationToken == "" || (tc.token != "" && a.verificationToken != tc.token) {
				t.Fatalf("verification token %q", a.verificationToken)
			}
			post := func(signed bool, auth string) int {
				t.Helper()
				body := []byte(`{"event":"app_deauthorized","event_ts":` + strconv.FormatInt(clock.Now().UnixMilli(), 10) + `,"payload":{"account_id":"` + env.Fake.AccountID() + `","user_id":"` + id +
					`","client_id":"` + env.Fake.ClientID() + `","signature":"x","deauthorization_time":"2026-01-01T00:00:00.000Z"}}`)
				target := env.BaseURL + exkit.WebhookPath
				var req *http.Request
				var err error
				if signed {
					req, err = webhook.NewSignedRequest(t.Context(), env.WebhookSecret, target, body, clock.Now())
				} else {
					req, err = http.NewRequestWithContext(t.Context(), http.MethodPost, target, bytes.NewReader(body))
					req.Header.Set("Content-Type", "application/json")
				}
				require.NoError(t, err)
				if auth != "" {
					req.Header.Set("Authorization", auth)
				}
				resp, err := http.DefaultClient.Do(req)
				require.NoError(t, err)
				resp.Body.Close()
				return resp.StatusCode
			}
			t.Cleanup(http.DefaultClient.CloseIdleConnections)

			for _, c := range []struct {
				name   string
				signed bool
				auth   string
			}{
				{"signed, no authorization header", true, ""},
				{"signed, wrong token", true, "wrong-token"},
				{"token without a signature", false, a.verificationToken},
			} {
				assert.Equal(t, http.StatusUnauthorized, post(c.signed, c.auth), "%s, want 401", c.name)
				_, err := a.provider(t.Context(), id)
				require.NoError(t, err, "%s: the provider was removed", c.name)
			}
			assert.Contains(t, out.String(), "does not match the app's verification token", "transcript:\n%s", out)
			assert.NotContains(t, out.String(), a.verificationToken, "the transcript holds the verification token")

			// What Zoom sends: the signature and the token.
			require.Equal(t, http.StatusOK, post(true, a.verificationToken), "signed with the token")
			_, err := a.provider(t.Context(), id)
			require.ErrorIs(t, err, exkit.ErrNotConnected, "provider after deauthorization")
			_, err = env.Tokens.Get(t.Context(), tokenKey(id))
			assert.ErrorIs(t, err, tokenstore.ErrNotFound, "token after deauthorization")
			sent := env.Mail.Sent()
			if assert.Len(t, sent, 2, "emails %+v", sent) {
				assert.True(t, strings.HasPrefix(sent[1].Subject, "Zoom disconnected"), "emails %+v", sent)
			}
		})
	}
}

// The web pages: each renders, shows the data, and the forms act through
// the same code as the flow.
func TestPages(t *testing.T) {
	env, a, clock, _ := setup(t, "")
	id, b := connect(t, env, a)
	exkittest.AssertCrossSiteRefused(t, env.BaseURL, "/providers/"+id+"/visits")
	ctx := t.Context()
	get := func(path string) (int, string) {
		t.Helper()
		status, body, err := b.Get(ctx, env.BaseURL+path)
		require.NoError(t, err)
		return status, body
	}
	post := func(path string, form url.Values) (int, string) {
		t.Helper()
		resp, err := b.PostForm(env.BaseURL+path, form)
		require.NoError(t, err)
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(body)
	}

	st, body := get("/")
	assert.Equal(t, 200, st, "home: %d\n%s", st, body)
	assert.Contains(t, body, "Connect Zoom", "home: %d\n%s", st, body)
	assert.Contains(t, body, "/providers/"+id, "home: %d\n%s", st, body)
	st, body = get("/providers/" + id)
	assert.Equal(t, 200, st, "provider page: %d\n%s", st, body)
	assert.Contains(t, body, "No upcoming visits", "provider page: %d\n%s", st, body)
	assert.Contains(t, body, "email and password", "provider page: %d\n%s", st, body)
	assert.Contains(t, body, "Manage > Added Apps (Installed Apps)", "provider page: %d\n%s", st, body)
	st, body = get("/providers/" + id + "?q=Kim")
	assert.Equal(t, 200, st, "search: %d\n%s", st, body)
	assert.Contains(t, body, "Noah Kim &lt;noah.kim@patients.example&gt; · EHR patient", "search: %d\n%s", st, body)
	assert.Contains(t, body, "Jin Kim &lt;jin.kim@clinic.example&gt; · Zoom contact", "search: %d\n%s", st, body)

	start := clock.Now().Add(3 * time.Hour).Format("2006-01-02T15:04")
	st, body = post("/providers/"+id+"/visits", url.Values{
		"topic": {"Check-up <script>alert(1)</script>"}, "start": {start}, "duration": {"25"}, "patients": {"Ava Lopez\nNoah Kim"},
	})
	require.Equal(t, 200, st, "schedule: %d\n%s", st, body)
	require.Contains(t, body, "Check-up &lt;script&gt;", "schedule: %d\n%s", st, body)
	require.NotContains(t, body, "<script>alert", "schedule: %d\n%s", st, body)
	ms := env.Fake.Meetings(id)
	require.Len(t, ms, 1, "meetings in Zoom")
	mid := strconv.FormatInt(int64(ms[0].ID), 10)
	assert.Equal(t, 1, count(t, env, "telehealth_visits"), "visit records")
	st, body = get("/providers/" + id + "/visits/" + mid)
	assert.Equal(t, 200, st, "visit page: %d\n%s", st, body)
	assert.Contains(t, body, "ava.lopez@patients.example, noah.kim@patients.example", "visit page: %d\n%s", st, body)
	assert.Contains(t, body, ms[0].Topic[:8], "visit page: %d\n%s", st, body)
	// Only the provider's visit page has the host's start link, read
	// fresh from Zoom; the visits list does not.
	_, body = get("/providers/" + id + "/visits/" + mid)
	assert.Contains(t, body, "Start visit as host", "visit page without the host's start link:\n%s", body)
	assert.Contains(t, body, "/s/"+mid+"?zak=", "visit page without the host's start link:\n%s", body)
	_, body = get("/providers/" + id)
	assert.NotContains(t, body, "zak=", "the visits list holds a start link")

	for _, c := range []struct {
		form url.Values
		want string
	}{
		{url.Values{"topic": {"x"}, "start": {start}, "duration": {"25"}, "patients": {"Nobody Here"}}, "Nobody named"},
		{url.Values{"topic": {"x"}, "start": {start}, "duration": {"25"}, "patients": {"Kim"}}, "3 people match"},
		{url.Values{"topic": {"x"}, "start": {"2001-01-01T10:00"}, "duration": {"25"}, "patients": {"Ava Lopez"}}, "in the future"},
		{url.Values{"topic": {"x"}, "start": {"tomorrow"}, "duration": {"25"}, "patients": {"Ava Lopez"}}, "start time"},
	} {
		st, body := post("/providers/"+id+"/visits", c.form)
		assert.Equal(t, http.StatusBadRequest, st, "schedule %v: %d, want 400 with %q", c.form, st, c.want)
		assert.Contains(t, body, c.want, "schedule %v: %d, want 400 with %q", c.form, st, c.want)
	}
	assert.Len(t, env.Fake.Meetings(id), 1, "a refused form created a meeting")

	st, body = post("/providers/"+id+"/visits/"+mid+"/delete", nil)
	assert.Equal(t, 200, st, "delete: %d\n%s", st, body)
	assert.Contains(t, body, "No upcoming visits", "delete: %d\n%s", st, body)
	m, _ := env.Fake.Meeting(ms[0].ID)
	assert.True(t, m.Deleted, "meeting not deleted in Zoom")
	assert.Equal(t, 0, count(t, env, "telehealth_visits"), "visit records after delete")
	// Offline -serve: the provider removes the app "in Zoom".
	st, body = post("/fake-zoom/uninstall/"+id, nil)
	assert.Equal(t, 200, st, "uninstall: %d\n%s", st, body)
	assert.Contains(t, body, "No provider has connected Zoom yet", "uninstall: %d\n%s", st, body)
	var sent []string
	for _, e := range env.Mail.Sent() {
		sent = append(sent, e.To+": "+strings.SplitN(e.Subject, " on ", 2)[0])
	}
	wantSent := []string{
		drRivera.Email + ": Zoom connected to your telehealth account",
		"ava.lopez@patients.example: Your telehealth visit", "noah.kim@patients.example: Your telehealth visit",
		"ava.lopez@patients.example: Cancelled: your telehealth visit", "noah.kim@patients.example: Cancelled: your telehealth visit",
		drRivera.Email + ": Zoom disconnected: your Zoom data was removed",
	}
	assert.Equal(t, wantSent, sent, "emails")
	st, body = get("/providers/" + id)
	assert.Equal(t, http.StatusNotFound, st, "provider page after uninstall: %d\n%s", st, body)
	assert.Contains(t, body, "Connect Zoom", "provider page after uninstall: %d\n%s", st, body)
	st, _ = get("/providers/nobody")
	assert.Equal(t, http.StatusNotFound, st, "unknown provider")
	n := len(env.Fake.Requests())
	st, _ = post("/providers/nobody/visits/123/delete", nil)
	assert.Equal(t, http.StatusNotFound, st, "delete for an unknown provider: %d, %d Zoom requests", st, len(env.Fake.Requests())-n)
	assert.Len(t, env.Fake.Requests(), n, "delete for an unknown provider: %d, %d Zoom requests", st, len(env.Fake.Requests())-n)
}

// run with no flags exits cleanly (what `go run ./examples/telehealth` does).
func TestRun(t *testing.T) {
	t.Setenv("ZOOM_CLIENT_ID", "")
	t.Setenv("ZOOMKIT_DB", "")
	var out, errOut bytes.Buffer
	require.NoError(t, run(context.Background(), []string{"-data", t.TempDir()}, &out, &errOut), "\n%s%s", out.String(), errOut.String())
	assert.Contains(t, out.String(), "Done", "transcript:\n%s", out.String())
}
