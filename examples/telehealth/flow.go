package main

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/zoomkit/zoomkit/examples/internal/exkit"
	"github.com/zoomkit/zoomkit/zoom/zoomtest"
)

// The people of the fake Zoom account: the clinic's admin (the account
// owner), a provider, and two colleagues who are company contacts. The
// patients are the EHR's own (ehrPatients), not Zoom users.
const clinicAdmin = "admin@clinic.example"

var (
	drRivera = zoomtest.User{Email: "maya.rivera@clinic.example", FirstName: "Maya", LastName: "Rivera", Type: 2, Dept: "Cardiology"}
	staff    = []zoomtest.User{
		{Email: "sam.okafor@clinic.example", FirstName: "Sam", LastName: "Okafor", Dept: "Nursing"},
		{Email: "jin.kim@clinic.example", FirstName: "Jin", LastName: "Kim", Dept: "Interpreting"},
	}
)

// patientNames lists the EHR's patients, for the -serve banner.
func patientNames() string {
	var s []string
	for _, p := range ehrPatients {
		s = append(s, p.Name)
	}
	return strings.Join(s, ", ")
}

// contactNames lists the Zoom company contacts besides the provider.
func contactNames() string {
	var s []string
	for _, u := range staff {
		s = append(s, u.FirstName+" "+u.LastName)
	}
	return strings.Join(s, ", ")
}

// seedDirectory adds the provider and the staff to the fake account.
func seedDirectory(fake *zoomtest.Server) error {
	for _, u := range append([]zoomtest.User{drRivera}, staff...) {
		if _, err := fake.AddUser(u); err != nil {
			return fmt.Errorf("seeding the fake Zoom: %w", err)
		}
	}
	return fake.SetAuthorizingUser(drRivera.Email)
}

// flowResult is what the scripted flow did, for its test.
type flowResult struct {
	ProviderID     string
	Kept, Deleted  int64 // meeting ids of the visit kept and the one deleted
	KeptInvitees   []string
	Found          []patient // the search for "Kim"
	StartURL       string    // the host's start link of the kept visit (never printed)
	RefreshesEarly int       // refresh requests 59m30s after connecting
	RefreshesLate  int       // refresh requests after the expiry
	RequestsAfter  int       // Zoom requests made after the uninstall
}

// runFlow runs the product's flow against the embedded fake Zoom, through
// the app's own code paths, printing each step. It uses the fake only for
// what people and Zoom do: approving the consent, removing the app.
func runFlow(ctx context.Context, env *exkit.Env, a *app, clock *exkit.Clock) (*flowResult, error) {
	if env.Fake == nil || clock == nil {
		return nil, errors.New("the scripted flow runs against the embedded fake Zoom; use -serve with real Zoom")
	}
	log := env.Log
	res := &flowResult{}
	env.Start(a)

	log.Step("Start the EHR and the fake Zoom")
	if err := seedDirectory(env.Fake); err != nil {
		return nil, err
	}
	log.Note("app scopes: %s", strings.Join(appScopes, " "))
	log.Note("webhook %s%s: every event must carry a valid x-zm-signature (HMAC-SHA256 of the secret token)", env.BaseURL, exkit.WebhookPath)
	log.Note("deauthorization (app_deauthorized): the authorization header must also match the app's verification token")
	log.Note("Zoom account: admin %s; provider Dr. %s %s <%s>; company contacts %s", clinicAdmin, drRivera.FirstName, drRivera.LastName, drRivera.Email, contactNames())
	log.Note("the EHR's own patients, with their emails: %s", patientNames())

	log.Step("Dr. Rivera clicks Connect Zoom and approves the app")
	log.Call("GET", "/oauth/authorize", "consent, approved as "+drRivera.Email)
	status, body, err := exkit.NewBrowser().Get(ctx, env.BaseURL+exkit.ConnectPath)
	if err != nil {
		return nil, fmt.Errorf("connect Zoom: %w", err)
	}
	if status != 200 || !strings.Contains(body, drRivera.Email) {
		return nil, fmt.Errorf("connect Zoom: the browser ended on a %d page without the provider", status)
	}
	u, _ := env.Fake.User(drRivera.Email)
	res.ProviderID = u.ID
	prov, err := a.provider(ctx, u.ID)
	if err != nil {
		return nil, fmt.Errorf("connect Zoom: %w", err)
	}
	connectedAt := clock.Now()
	log.OK("the browser is back on the provider's page (/providers/%s)", prov.ID)
	for _, want := range []string{disconnectPath, signInAdvice} {
		if !strings.Contains(body, want) {
			return nil, fmt.Errorf("the page after connecting does not say %q", want)
		}
	}
	log.Note("the page says: %s", signInAdvice)
	log.Note("and, to disconnect: %s", disconnectPath)

	log.Step("Find invitees named \"Kim\": the EHR's patients first, then Zoom company contacts")
	found, err := a.searchPatients(ctx, prov.ID, "Kim")
	if err != nil {
		return nil, err
	}
	for _, p := range found {
		log.OK("%s <%s> (%s)", p.Name, p.Email, p.Source)
		res.Found = append(res.Found, p)
	}

	log.Step("Schedule a visit with Ava Lopez, tomorrow")
	start := clock.Now().Add(24 * time.Hour).Truncate(time.Hour)
	v1, err := a.scheduleVisit(ctx, prov.ID, visitRequest{Topic: "Blood pressure follow-up", Start: start, Duration: 20, Patients: []string{"Ava Lopez"}})
	if err != nil {
		return nil, err
	}

	log.Step("Schedule a visit with Noah Kim, his mother Grace Kim and nurse Sam Okafor, in two hours")
	start = clock.Now().Add(2 * time.Hour).Truncate(time.Minute)
	v2, err := a.scheduleVisit(ctx, prov.ID, visitRequest{Topic: "Pediatric consultation", Start: start, Duration: 30, Patients: []string{"Noah Kim", "grace.kim@patients.example", "Sam Okafor"}})
	if err != nil {
		return nil, err
	}
	res.Kept, res.Deleted = v2.MeetingID, v1.MeetingID

	log.Step("Open the visit: the meeting in Zoom, with its invitees")
	d, err := a.visitDetails(ctx, prov.ID, v2.MeetingID)
	if err != nil {
		return nil, err
	}
	res.KeptInvitees = d.Invitees
	if d.HostID != prov.ID {
		return nil, fmt.Errorf("meeting %d is hosted by %q, not by the provider", d.MeetingID, d.HostID)
	}
	log.OK("meeting %d %q, host %s (the provider)", d.MeetingID, d.Topic, d.HostID)
	log.OK("settings.meeting_invitees: %s", strings.Join(d.Invitees, ", "))
	if !strings.Contains(d.StartURL.Reveal(), "zak=") {
		return nil, fmt.Errorf("meeting %d has no host start link", d.MeetingID)
	}
	res.StartURL = d.StartURL.Reveal()
	log.OK("Dr. Rivera can start the visit as host: the start link (with her ZAK) is on her visit page only, never printed or emailed")

	log.Step("List upcoming visits")
	if err := printUpcoming(ctx, a, prov.ID, 2); err != nil {
		return nil, err
	}

	log.Step("Delete the blood pressure follow-up")
	if err := a.deleteVisit(ctx, prov.ID, v1.MeetingID); err != nil {
		return nil, err
	}
	if err := printUpcoming(ctx, a, prov.ID, 1); err != nil {
		return nil, err
	}

	tok, err := env.Tokens.Get(ctx, prov.TokenKey)
	if err != nil {
		return nil, err
	}
	expiry, oldRefresh := tok.Expiry, tok.RefreshToken
	refreshes := func() int { return env.Fake.TokenRequests()["refresh_token"] }

	log.Step("59 min 30 s after connecting: the access token has not expired")
	clock.Advance(connectedAt.Add(59*time.Minute + 30*time.Second).Sub(clock.Now()))
	before := refreshes()
	if err := printUpcoming(ctx, a, prov.ID, 1); err != nil {
		return nil, err
	}
	res.RefreshesEarly = refreshes() - before
	if res.RefreshesEarly != 0 {
		return nil, fmt.Errorf("the token was refreshed %d time(s) before it expired", res.RefreshesEarly)
	}
	log.OK("no token request: the token expires at %s, and this app refreshes only after expiry", expiry.Format("15:04:05"))
	log.Note("(a token source with the default 60 s margin would have refreshed here)")

	log.Step("61 minutes after connecting: the access token has expired")
	clock.Advance(connectedAt.Add(61 * time.Minute).Sub(clock.Now()))
	before = refreshes()
	log.Call("POST", "/oauth/token", "refresh_token grant, before the API call")
	if err := printUpcoming(ctx, a, prov.ID, 1); err != nil {
		return nil, err
	}
	res.RefreshesLate = refreshes() - before
	tok, err = env.Tokens.Get(ctx, prov.TokenKey)
	if err != nil {
		return nil, err
	}
	if res.RefreshesLate != 1 || tok.RefreshToken == oldRefresh {
		return nil, fmt.Errorf("after expiry: %d refresh request(s), rotated refresh token saved: %v", res.RefreshesLate, tok.RefreshToken != oldRefresh)
	}
	log.OK("one refresh; Zoom rotated the refresh token and the new one is saved (expires %s)", tok.Expiry.Format("15:04:05"))

	log.Step("Dr. Rivera removes the app from her Zoom account (Marketplace > Installed Apps > Remove)")
	log.Note("Zoom revokes the app's tokens and sends app_deauthorized to %s", exkit.WebhookPath)
	if err := env.Fake.Uninstall(prov.ID); err != nil {
		return nil, err
	}
	dl := env.Fake.Deliveries()
	if len(dl) == 0 || dl[len(dl)-1].Event != "app_deauthorized" || dl[len(dl)-1].Status != 200 {
		return nil, errors.New("app_deauthorized was not delivered and accepted")
	}
	log.OK("the app answered Zoom 200")
	if _, err := a.provider(ctx, prov.ID); !errors.Is(err, exkit.ErrNotConnected) {
		return nil, fmt.Errorf("the provider record is still there (%v)", err)
	}

	log.Step("Dr. Rivera opens her visits page again")
	n := len(env.Fake.Requests())
	_, err = a.upcomingVisits(ctx, prov.ID)
	if !errors.Is(err, exkit.ErrNotConnected) {
		return nil, fmt.Errorf("after the uninstall, listing visits gave %v", err)
	}
	res.RequestsAfter = len(env.Fake.Requests()) - n
	if res.RequestsAfter != 0 {
		return nil, fmt.Errorf("%d Zoom request(s) were made after the uninstall", res.RequestsAfter)
	}
	log.Fail("Zoom is not connected: the page offers Connect Zoom; no Zoom request was made")

	log.Step("Done")
	log.Note("outbox: %s (%d emails)", filepath.Join(env.Cfg.DataDir, "outbox"), len(env.Mail.Sent()))
	log.Note("database: %s", dbName(env))
	return res, nil
}

func printUpcoming(ctx context.Context, a *app, providerID string, want int) error {
	vs, err := a.upcomingVisits(ctx, providerID)
	if err != nil {
		return err
	}
	for _, v := range vs {
		var names []string
		for _, p := range v.Patients {
			names = append(names, p.Name)
		}
		a.log.OK("%s  %-26q meeting %d  invitees: %s", v.Start.Format("Mon 15:04 MST"), v.Topic, v.MeetingID, strings.Join(names, ", "))
	}
	if len(vs) != want {
		return fmt.Errorf("%d upcoming visits, want %d", len(vs), want)
	}
	return nil
}

func dbName(env *exkit.Env) string {
	switch dsn := env.Cfg.DSN; {
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"):
		return "PostgreSQL (-db)"
	case dsn != "":
		return dsn
	}
	return filepath.Join(env.Cfg.DataDir, "app.db")
}
