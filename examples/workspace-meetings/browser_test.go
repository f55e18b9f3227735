package main

import (
	"context"
	"errors"
	"io"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/zoomkit/zoomkit/examples/internal/exkit"
	"github.com/zoomkit/zoomkit/examples/internal/exkittest"
	"github.com/zoomkit/zoomkit/tokenstore"
	"github.com/zoomkit/zoomkit/zoom"
	"github.com/zoomkit/zoomkit/zoom/zoomtest"
)

// TestBrowserServe runs the -serve web app in headless Chromium: open the
// app, Connect Zoom, approve on the fake Zoom's consent page, land back on
// the app showing the account's email, schedule a meeting and see its join
// link, disconnect, and connect again. Each page is saved as a PNG.
func TestBrowserServe(t *testing.T) {
	c := exkittest.NewChrome(t, name)
	// The app as `go run ./examples/workspace-meetings -serve` runs it, on
	// a free port, with the fake Zoom showing its consent page.
	env, a := open(t, io.Discard, exkit.Config{Serve: true, Addr: "127.0.0.1:0"}, zoomtest.WithAutoApprove(false))
	serveCtx, stopServe := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- env.Serve(serveCtx, a) }()
	t.Cleanup(func() {
		stopServe()
		if err := <-served; err != nil {
			t.Errorf("serve: %v", err)
		}
	})

	step, text, shot := c.Do, c.Text, c.Shot
	css := exkittest.CSS
	navMeetings, navIntegrations := css(`header nav a[href="/"]`), css(`header nav a[href="`+integrationPath+`"]`)

	// 1. The app's home page.
	step("open the app", chromedp.Navigate(env.BaseURL+"/"), chromedp.WaitVisible(css("#connect")))
	if s := text("header .brand"); s != "PulsoDesk" {
		t.Errorf("header %q", s)
	}
	if s := text("#status"); s != "Zoom: not connected" {
		t.Errorf("status %q", s)
	}
	shot("home")

	// 2. Connect Zoom: the fake Zoom's consent page.
	allow := css(`button[name="decision"][value="allow"]`)
	step("click Connect Zoom", chromedp.Click(css("#connect")), chromedp.WaitVisible(allow))
	if s := text("select[name=user]"); !strings.Contains(s, ownerEmail) {
		t.Errorf("consent page offers %q", s)
	}
	shot("consent")

	// 3. Approve: back on the app, showing the connected account.
	step("approve", chromedp.Click(allow), chromedp.WaitVisible(css("#account")))
	if s := text("#account"); s != ownerEmail {
		t.Errorf("connected account shown %q, want %q", s, ownerEmail)
	}
	if s := text("#notice"); !strings.Contains(s, "Your Zoom account "+ownerEmail+" is connected") {
		t.Errorf("notice %q", s)
	}
	if s := text("#zoom-status"); s != "Connected" {
		t.Errorf("Settings → Integrations → Zoom shows %q", s)
	}
	shot("connected")
	step("go to Meetings", chromedp.Click(navMeetings), chromedp.WaitVisible(css("#topic")))

	// 4. Schedule a meeting; its page shows the join link.
	date := a.now().In(loadZone("Europe/Madrid")).AddDate(0, 0, 2).Format("2006-01-02")
	step("schedule a meeting",
		chromedp.SetValue(css("#topic"), "Customer onboarding call"),
		chromedp.SetValue(css("#date"), date),
		chromedp.SetValue(css("#time"), "14:30"),
		chromedp.SetValue(css("#timezone"), "Europe/Madrid"),
		chromedp.SetValue(css("#duration"), "45"),
		chromedp.Click(css("#submit-meeting")),
		chromedp.WaitVisible(css("#join-link")))
	id, err := strconv.ParseInt(text("#meeting-id"), 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	m, err := a.localMeeting(t.Context(), id)
	if err != nil {
		t.Fatalf("meeting %d not in the history: %v", id, err)
	}
	if href := c.Attr("#join-link", "href"); href != m.JoinURL || m.JoinURL == "" {
		t.Errorf("join link %q, history has %q", href, m.JoinURL)
	}
	if s := text("#meeting-when"); !strings.Contains(s, "14:30") || !strings.Contains(s, "(Europe/Madrid)") {
		t.Errorf("schedule shown %q", s)
	}
	if zm, ok := env.Fake.Meeting(zoom.ID(id)); !ok || zm.Topic != "Customer onboarding call" || zm.Duration != 45 {
		t.Errorf("Zoom has %+v", zm)
	}
	shot("meeting-created")

	// 5. Disconnect: tokens revoked and deleted, the history stays.
	step("disconnect",
		chromedp.Click(navIntegrations), chromedp.WaitVisible(css("#disconnect")),
		chromedp.Click(css("#disconnect")), chromedp.WaitVisible(css("#confirm-disconnect")))
	if s := text("#confirm"); !strings.Contains(s, "Disconnect Zoom?") || !strings.Contains(s, ownerEmail) {
		t.Errorf("confirmation step %q", s)
	}
	if count(env.Fake.Requests(), "oauth.revoke") != 0 {
		t.Error("revoked before the confirmation")
	}
	shot("confirm-disconnect")
	step("confirm the disconnect", chromedp.Click(css("#confirm-disconnect")), chromedp.WaitVisible(css("#connect")))
	if s := text("#history"); !strings.Contains(s, "Customer onboarding call") || !strings.Contains(s, m.JoinURL) {
		t.Errorf("history after the disconnect: %q", s)
	}
	if _, err := env.Tokens.Get(t.Context(), a.tokenKey(ana)); !errors.Is(err, tokenstore.ErrNotFound) {
		t.Errorf("tokens after the disconnect: %v", err)
	}
	if count(env.Fake.Requests(), "oauth.revoke") != 1 {
		t.Errorf("revoke calls: %v", ops(env.Fake.Requests()))
	}
	shot("disconnected")

	// 6. Connect again.
	step("reconnect", chromedp.Click(css("#connect")), chromedp.WaitVisible(allow),
		chromedp.Click(allow), chromedp.WaitVisible(css("#account")))
	if s := text("#account"); s != ownerEmail {
		t.Errorf("reconnected account %q", s)
	}
	shot("reconnected")
	if env.Fake.TokenRequests()["authorization_code"] != 2 {
		t.Errorf("token requests %v", env.Fake.TokenRequests())
	}

	// 7. Luis, a teammate, signs in and connects his own Zoom: he picks his
	// user on Zoom's consent page, and his meeting is hosted by it.
	luisZoom, _ := env.Fake.User(luis.Email)
	step("switch to Luis",
		chromedp.Click(css("#switch")), chromedp.WaitVisible(css("#signin-submit")),
		chromedp.Click(css(`input[name="member"][value="luis"]`)),
		chromedp.Click(css("#signin-submit")), chromedp.WaitVisible(css("#connect")))
	if s := text("#member"); s != luis.Name {
		t.Errorf("signed in as %q", s)
	}
	shot("luis-signed-in")
	step("Luis connects his Zoom", chromedp.Click(css("#connect")), chromedp.WaitVisible(allow),
		chromedp.SetValue(css("select[name=user]"), luisZoom.ID),
		chromedp.Click(allow), chromedp.WaitVisible(css("#account")))
	if s := text("#account"); s != luis.Email {
		t.Errorf("Luis's connected account %q", s)
	}
	step("go to Meetings", chromedp.Click(navMeetings), chromedp.WaitVisible(css("#topic")))
	step("Luis schedules a meeting",
		chromedp.SetValue(css("#topic"), "Globex demo"),
		chromedp.SetValue(css("#date"), date),
		chromedp.SetValue(css("#time"), "16:00"),
		chromedp.Click(css("#submit-meeting")),
		chromedp.WaitVisible(css("#join-link")))
	if s := text("#meeting-host"); s != luis.Email {
		t.Errorf("host shown %q, want %q", s, luis.Email)
	}
	lid, err := strconv.ParseInt(text("#meeting-id"), 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	if zm, ok := env.Fake.Meeting(zoom.ID(lid)); !ok || zm.HostID != luisZoom.ID {
		t.Errorf("Luis's meeting in Zoom: %+v", zm)
	}
	if c, _ := a.connection(t.Context(), ana); !c.Active() {
		t.Error("Luis connecting ended Ana's connection")
	}
	shot("luis-meeting")

	// 8. Luis deletes his meeting history (after a confirmation); Ana's
	// meeting stays in the history, and Luis's stays in Zoom.
	step("delete my meeting history",
		chromedp.Navigate(env.BaseURL+"/"), chromedp.WaitVisible(css("#delete-history")),
		chromedp.Click(css("#delete-history")), chromedp.WaitVisible(css("#confirm-delete-history")))
	shot("confirm-delete-history")
	step("confirm", chromedp.Click(css("#confirm-delete-history")), chromedp.WaitVisible(css("#notice")))
	if s := text("#notice"); !strings.Contains(s, "Your meeting history was deleted") {
		t.Errorf("notice %q", s)
	}
	if s := text("#history"); strings.Contains(s, "Globex demo") || !strings.Contains(s, "Customer onboarding call") {
		t.Errorf("history after Luis deleted his: %q", s)
	}
	if _, ok := env.Fake.Meeting(zoom.ID(lid)); !ok {
		t.Error("deleting the history deleted the meeting in Zoom")
	}
	shot("history-deleted")
}
