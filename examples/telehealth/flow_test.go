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
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

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
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(env.Close)
	return env, a, clock, &out
}

func count(t *testing.T, env *exkit.Env, table string) int {
	t.Helper()
	var n int
	if err := env.DB.QueryRowContext(t.Context(), "SELECT COUNT(*) FROM "+table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// outbox parses the .eml files the mailer wrote.
func outbox(t *testing.T, env *exkit.Env) []*mail.Message {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(env.Cfg.DataDir, "outbox", "*.eml"))
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(files)
	var out []*mail.Message
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		m, err := mail.ReadMessage(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
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
			if err != nil {
				t.Fatalf("flow: %v\n%s", err, out)
			}
			provider, _ := env.Fake.User(drRivera.Email)
			if res.ProviderID != provider.ID {
				t.Fatalf("provider id %q, want %q", res.ProviderID, provider.ID)
			}

			// Zoom's side: the kept visit is a meeting hosted by the
			// provider with the patients as invitees; the other is deleted.
			kept, ok := env.Fake.Meeting(zoom.ID(res.Kept))
			if !ok || kept.Deleted || kept.HostID != provider.ID || kept.Topic != "Pediatric consultation" {
				t.Errorf("kept meeting: %+v", kept)
			}
			wantInvitees := []string{"noah.kim@patients.example", "grace.kim@patients.example", "sam.okafor@clinic.example"}
			if !slices.Equal(res.KeptInvitees, wantInvitees) {
				t.Errorf("invitees from GET meeting = %v, want %v", res.KeptInvitees, wantInvitees)
			}
			inv, _ := kept.Settings["meeting_invitees"].([]any)
			if len(inv) != 3 {
				t.Errorf("fake's meeting_invitees = %v", kept.Settings["meeting_invitees"])
			}
			if kept.Settings["waiting_room"] != true || kept.Settings["join_before_host"] != false {
				t.Errorf("settings: waiting_room %v, join_before_host %v", kept.Settings["waiting_room"], kept.Settings["join_before_host"])
			}
			if del, ok := env.Fake.Meeting(zoom.ID(res.Deleted)); !ok || !del.Deleted {
				t.Errorf("deleted meeting: %+v", del)
			}

			// Tokens: refreshed once, only after expiry; gone after the uninstall.
			if res.RefreshesEarly != 0 || res.RefreshesLate != 1 {
				t.Errorf("refreshes before expiry %d (want 0), after %d (want 1)", res.RefreshesEarly, res.RefreshesLate)
			}
			if got := env.Fake.TokenRequests(); got["authorization_code"] != 1 || got["refresh_token"] != 1 || len(got) != 2 {
				t.Errorf("token requests %v", got)
			}
			if _, err := env.Tokens.Get(ctx, tokenKey(provider.ID)); !errors.Is(err, tokenstore.ErrNotFound) {
				t.Errorf("token after uninstall: %v", err)
			}

			// Records: provider and visits removed.
			if n := count(t, env, "telehealth_providers"); n != 0 {
				t.Errorf("%d provider records after uninstall", n)
			}
			if n := count(t, env, "telehealth_visits"); n != 0 {
				t.Errorf("%d visit records after uninstall", n)
			}

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
			if !slices.Equal(ops, wantOps) {
				t.Errorf("Zoom requests:\n got %v\nwant %v", ops, wantOps)
			}
			if res.RequestsAfter != 0 {
				t.Errorf("%d requests after the uninstall", res.RequestsAfter)
			}

			// The deauthorization was delivered, verified and accepted.
			dl := env.Fake.Deliveries()
			last := dl[len(dl)-1]
			if last.Event != "app_deauthorized" || last.Status != 200 || last.Header.Get("X-Zm-Signature") == "" {
				t.Errorf("last delivery %s: status %d, err %q", last.Event, last.Status, last.Err)
			}
			if a.verificationToken == "" || last.Header.Get("Authorization") != a.verificationToken {
				t.Error("the deauthorization did not carry the app's verification token")
			}

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
			if !slices.Equal(found, wantFound) {
				t.Errorf("search for Kim:\n got %q\nwant %q", found, wantFound)
			}

			// Emails: the provider's "connected", an invitation to each
			// invitee with the join link, a cancellation, the provider's
			// "disconnected".
			msgs := outbox(t, env)
			if len(msgs) != 7 || len(env.Mail.Sent()) != 7 {
				t.Fatalf("%d emails in the outbox, %d sent", len(msgs), len(env.Mail.Sent()))
			}
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
				if to == nil || to.Address != want.to || !strings.HasPrefix(subj, want.subject) || want.body == "" || !strings.Contains(string(b), want.body) {
					t.Errorf("email %d: to %v, subject %q; want %q to %s with %q:\n%s", i, to, subj, want.subject, want.to, want.body, b)
				}
			}

			// The transcript names the steps and no secret.
			for _, want := range []string{"Connect Zoom", "(searchCompanyContacts)", "(EHR patient)", "(Zoom contact)", "invitation emailed to", "(meetingCreate)", "(meetingDelete)", "refresh_token grant", "app_deauthorized", "no Zoom request was made",
				"authorization header matches the verification token", "Sign in to Zoom with your email and password", "Manage > Added Apps"} {
				if !strings.Contains(out.String(), want) {
					t.Errorf("transcript lacks %q", want)
				}
			}
			// The host's start link exists but reaches only the provider's
			// page: not the transcript, not an email.
			if !strings.Contains(res.StartURL, "zak=") {
				t.Errorf("start link %q has no ZAK", res.StartURL)
			}
			if strings.Contains(out.String(), res.StartURL) || strings.Contains(out.String(), "zak=") || strings.Contains(out.String(), "/s/") {
				t.Error("the transcript holds the start link")
			}
			for i, b := range bodies {
				if strings.Contains(b, "zak=") || strings.Contains(b, "/s/") {
					t.Errorf("email %d holds a start link", i)
				}
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
	if err := seedDirectory(env.Fake); err != nil {
		t.Fatal(err)
	}
	env.Start(a)
	b := exkit.NewBrowser()
	t.Cleanup(b.CloseIdleConnections)
	status, body, err := b.Get(t.Context(), env.BaseURL+exkit.ConnectPath)
	if err != nil || status != 200 || !strings.Contains(body, drRivera.Email) {
		t.Fatalf("connect: %d %v\n%s", status, err, body)
	}
	u, _ := env.Fake.User(drRivera.Email)
	return u.ID, b
}

// The grant holds only the app's scopes: a write they do not cover is
// refused by Zoom with code 4700.
func TestScopesRefuseOtherWrites(t *testing.T) {
	env, a, _, _ := setup(t, "")
	id, _ := connect(t, env, a)
	c, err := a.client(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Users.Update(t.Context(), "me", &zoom.UpdateUserRequest{Dept: zoom.Ptr("Telehealth")}, nil)
	var apiErr *zoom.APIError
	if !errors.Is(err, zoom.ErrMissingScopes) || !errors.As(err, &apiErr) || apiErr.Code != 4700 {
		t.Fatalf("PATCH /users/me without user:write: %v", err)
	}
	if u, _ := env.Fake.User(id); u.Dept != drRivera.Dept {
		t.Errorf("dept changed to %q", u.Dept)
	}

	// Why the app also has contact:read: with only the three scopes the
	// issue names, Zoom refuses the contact search.
	tok, err := env.Fake.AccessToken(id, "meeting:read", "meeting:write", "user:read")
	if err != nil {
		t.Fatal(err)
	}
	narrow, err := env.NewClient(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: tok, TokenType: "bearer"}))
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = narrow.Contacts.Search(t.Context(), &zoom.SearchCompanyContactsOptions{SearchKey: "Ava"})
	if !errors.Is(err, zoom.ErrMissingScopes) || !errors.As(err, &apiErr) || apiErr.Code != 4700 {
		t.Fatalf("GET /contacts without contact:read: %v", err)
	}
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
				if err != nil {
					t.Fatal(err)
				}
				if auth != "" {
					req.Header.Set("Authorization", auth)
				}
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
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
				if st := post(c.signed, c.auth); st != http.StatusUnauthorized {
					t.Errorf("%s: %d, want 401", c.name, st)
				}
				if _, err := a.provider(t.Context(), id); err != nil {
					t.Fatalf("%s: the provider was removed (%v)", c.name, err)
				}
			}
			if !strings.Contains(out.String(), "does not match the app's verification token") {
				t.Errorf("transcript:\n%s", out)
			}
			if strings.Contains(out.String(), a.verificationToken) {
				t.Error("the transcript holds the verification token")
			}

			// What Zoom sends: the signature and the token.
			if st := post(true, a.verificationToken); st != http.StatusOK {
				t.Fatalf("signed with the token: %d", st)
			}
			if _, err := a.provider(t.Context(), id); !errors.Is(err, exkit.ErrNotConnected) {
				t.Fatalf("provider after deauthorization: %v", err)
			}
			if _, err := env.Tokens.Get(t.Context(), tokenKey(id)); !errors.Is(err, tokenstore.ErrNotFound) {
				t.Errorf("token after deauthorization: %v", err)
			}
			if sent := env.Mail.Sent(); len(sent) != 2 || !strings.HasPrefix(sent[1].Subject, "Zoom disconnected") {
				t.Errorf("emails %+v", sent)
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
		if err != nil {
			t.Fatal(err)
		}
		return status, body
	}
	post := func(path string, form url.Values) (int, string) {
		t.Helper()
		resp, err := b.PostForm(env.BaseURL+path, form)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(body)
	}

	if st, body := get("/"); st != 200 || !strings.Contains(body, "Connect Zoom") || !strings.Contains(body, "/providers/"+id) {
		t.Errorf("home: %d\n%s", st, body)
	}
	if st, body := get("/providers/" + id); st != 200 || !strings.Contains(body, "No upcoming visits") ||
		!strings.Contains(body, "email and password") || !strings.Contains(body, "Manage > Added Apps (Installed Apps)") {
		t.Errorf("provider page: %d\n%s", st, body)
	}
	if st, body := get("/providers/" + id + "?q=Kim"); st != 200 || !strings.Contains(body, "Noah Kim &lt;noah.kim@patients.example&gt; · EHR patient") ||
		!strings.Contains(body, "Jin Kim &lt;jin.kim@clinic.example&gt; · Zoom contact") {
		t.Errorf("search: %d\n%s", st, body)
	}

	start := clock.Now().Add(3 * time.Hour).Format("2006-01-02T15:04")
	st, body := post("/providers/"+id+"/visits", url.Values{
		"topic": {"Check-up <script>alert(1)</script>"}, "start": {start}, "duration": {"25"}, "patients": {"Ava Lopez\nNoah Kim"},
	})
	if st != 200 || !strings.Contains(body, "Check-up &lt;script&gt;") || strings.Contains(body, "<script>alert") {
		t.Fatalf("schedule: %d\n%s", st, body)
	}
	ms := env.Fake.Meetings(id)
	if len(ms) != 1 {
		t.Fatalf("%d meetings in Zoom", len(ms))
	}
	mid := strconv.FormatInt(int64(ms[0].ID), 10)
	if n := count(t, env, "telehealth_visits"); n != 1 {
		t.Errorf("%d visit records", n)
	}
	if st, body := get("/providers/" + id + "/visits/" + mid); st != 200 ||
		!strings.Contains(body, "ava.lopez@patients.example, noah.kim@patients.example") || !strings.Contains(body, ms[0].Topic[:8]) {
		t.Errorf("visit page: %d\n%s", st, body)
	}
	// Only the provider's visit page has the host's start link, read
	// fresh from Zoom; the visits list does not.
	if _, body := get("/providers/" + id + "/visits/" + mid); !strings.Contains(body, "Start visit as host") || !strings.Contains(body, "/s/"+mid+"?zak=") {
		t.Errorf("visit page without the host's start link:\n%s", body)
	}
	if _, body := get("/providers/" + id); strings.Contains(body, "zak=") {
		t.Error("the visits list holds a start link")
	}

	for _, c := range []struct {
		form url.Values
		want string
	}{
		{url.Values{"topic": {"x"}, "start": {start}, "duration": {"25"}, "patients": {"Nobody Here"}}, "Nobody named"},
		{url.Values{"topic": {"x"}, "start": {start}, "duration": {"25"}, "patients": {"Kim"}}, "3 people match"},
		{url.Values{"topic": {"x"}, "start": {"2001-01-01T10:00"}, "duration": {"25"}, "patients": {"Ava Lopez"}}, "in the future"},
		{url.Values{"topic": {"x"}, "start": {"tomorrow"}, "duration": {"25"}, "patients": {"Ava Lopez"}}, "start time"},
	} {
		if st, body := post("/providers/"+id+"/visits", c.form); st != http.StatusBadRequest || !strings.Contains(body, c.want) {
			t.Errorf("schedule %v: %d, want 400 with %q", c.form, st, c.want)
		}
	}
	if len(env.Fake.Meetings(id)) != 1 {
		t.Error("a refused form created a meeting")
	}

	if st, body := post("/providers/"+id+"/visits/"+mid+"/delete", nil); st != 200 || !strings.Contains(body, "No upcoming visits") {
		t.Errorf("delete: %d\n%s", st, body)
	}
	if m, _ := env.Fake.Meeting(ms[0].ID); !m.Deleted {
		t.Error("meeting not deleted in Zoom")
	}
	if n := count(t, env, "telehealth_visits"); n != 0 {
		t.Errorf("%d visit records after delete", n)
	}
	// Offline -serve: the provider removes the app "in Zoom".
	if st, body := post("/fake-zoom/uninstall/"+id, nil); st != 200 || !strings.Contains(body, "No provider has connected Zoom yet") {
		t.Errorf("uninstall: %d\n%s", st, body)
	}
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
	if !slices.Equal(sent, wantSent) {
		t.Errorf("emails:\n got %q\nwant %q", sent, wantSent)
	}
	if st, body := get("/providers/" + id); st != http.StatusNotFound || !strings.Contains(body, "Connect Zoom") {
		t.Errorf("provider page after uninstall: %d\n%s", st, body)
	}
	if st, _ := get("/providers/nobody"); st != http.StatusNotFound {
		t.Errorf("unknown provider: %d", st)
	}
	n := len(env.Fake.Requests())
	if st, _ := post("/providers/nobody/visits/123/delete", nil); st != http.StatusNotFound || len(env.Fake.Requests()) != n {
		t.Errorf("delete for an unknown provider: %d, %d Zoom requests", st, len(env.Fake.Requests())-n)
	}
}

// run with no flags exits cleanly (what `go run ./examples/telehealth` does).
func TestRun(t *testing.T) {
	t.Setenv("ZOOM_CLIENT_ID", "")
	t.Setenv("ZOOMKIT_DB", "")
	var out, errOut bytes.Buffer
	if err := run(context.Background(), []string{"-data", t.TempDir()}, &out, &errOut); err != nil {
		t.Fatalf("%v\n%s%s", err, out.String(), errOut.String())
	}
	if !strings.Contains(out.String(), "Done") {
		t.Errorf("transcript:\n%s", out.String())
	}
}
