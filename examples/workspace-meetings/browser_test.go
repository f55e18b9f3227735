package main

import (
	"context"
	"io"
	"strconv"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

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
		assert.NoError(t, <-served, "serve")
	})

	step, text, shot := c.Do, c.Text, c.Shot
	css := exkittest.CSS
	navMeetings, navIntegrations := css(`header nav a[href="/"]`), css(`header nav a[href="`+integrationPath+`"]`)

	// 1. The app's home page.
	step("open the app", chromedp.Navigate(env.BaseURL+"/"), chromedp.WaitVisible(css("#connect")))
	assert.Equal(t, "PulsoDesk", text("header .brand"), "header")
	assert.Equal(t, "Zoom: not connected", text("#status"), "status")
	shot("home")

	// 2. Connect Zoom: the fake Zoom's consent page.
	allow := css(`button[name="decision"][value="allow"]`)
	step("click Connect Zoom", chromedp.Click(css("#connect")), chromedp.WaitVisible(allow))
	s := text("select[name=user]")
	assert.Contains(t, s, ownerEmail, "consent page offers %q", s)
	shot("consent")

	// 3. Approve: back on the app, showing the connected account.
	step("approve", chromedp.Click(allow), chromedp.WaitVisible(css("#account")))
	assert.Equal(t, ownerEmail, text("#account"), "connected account shown")
	s = text("#notice")
	assert.Contains(t, s, "Your Zoom account "+ownerEmail+" is connected", "notice %q", s)
	assert.Equal(t, "Connected", text("#zoom-status"), "Settings → Integrations → Zoom shows")
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
	require.NoError(t, err)
	m, err := a.localMeeting(t.Context(), id)
	require.NoError(t, err, "meeting %d not in the history", id)
	href := c.Attr("#join-link", "href")
	assert.Equal(t, m.JoinURL, href, "join link %q, history has %q", href, m.JoinURL)
	assert.NotZero(t, m.JoinURL, "join link %q, history has %q", href, m.JoinURL)
	s = text("#meeting-when")
	assert.Contains(t, s, "14:30", "schedule shown %q", s)
	assert.Contains(t, s, "(Europe/Madrid)", "schedule shown %q", s)
	zm, ok := env.Fake.Meeting(zoom.ID(id))
	assert.True(t, ok, "Zoom has %+v", zm)
	assert.Equal(t, "Customer onboarding call", zm.Topic, "Zoom has %+v", zm)
	assert.Equal(t, 45, zm.Duration, "Zoom has %+v", zm)
	shot("meeting-created")

	// 5. Disconnect: tokens revoked and deleted, the history stays.
	step("disconnect",
		chromedp.Click(navIntegrations), chromedp.WaitVisible(css("#disconnect")),
		chromedp.Click(css("#disconnect")), chromedp.WaitVisible(css("#confirm-disconnect")))
	s = text("#confirm")
	assert.Contains(t, s, "Disconnect Zoom?", "confirmation step %q", s)
	assert.Contains(t, s, ownerEmail, "confirmation step %q", s)
	assert.Equal(t, 0, count(env.Fake.Requests(), "oauth.revoke"), "revoked before the confirmation")
	shot("confirm-disconnect")
	step("confirm the disconnect", chromedp.Click(css("#confirm-disconnect")), chromedp.WaitVisible(css("#connect")))
	s = text("#history")
	assert.Contains(t, s, "Customer onboarding call", "history after the disconnect: %q", s)
	assert.Contains(t, s, m.JoinURL, "history after the disconnect: %q", s)
	_, err = env.Tokens.Get(t.Context(), a.tokenKey(ana))
	assert.ErrorIs(t, err, tokenstore.ErrNotFound, "tokens after the disconnect")
	assert.Equal(t, 1, count(env.Fake.Requests(), "oauth.revoke"), "revoke calls: %v", ops(env.Fake.Requests()))
	shot("disconnected")

	// 6. Connect again.
	step("reconnect", chromedp.Click(css("#connect")), chromedp.WaitVisible(allow),
		chromedp.Click(allow), chromedp.WaitVisible(css("#account")))
	assert.Equal(t, ownerEmail, text("#account"), "reconnected account")
	shot("reconnected")
	assert.Equal(t, 2, env.Fake.TokenRequests()["authorization_code"], "token requests %v", env.Fake.TokenRequests())

	// 7. Luis, a teammate, signs in and connects his own Zoom: he picks his
	// user on Zoom's consent page, and his meeting is hosted by it.
	luisZoom, _ := env.Fake.User(luis.Email)
	step("switch to Luis",
		chromedp.Click(css("#switch")), chromedp.WaitVisible(css("#signin-submit")),
		chromedp.Click(css(`input[name="member"][value="luis"]`)),
		chromedp.Click(css("#signin-submit")), chromedp.WaitVisible(css("#connect")))
	assert.Equal(t, luis.Name, text("#member"), "signed in as")
	shot("luis-signed-in")
	step("Luis connects his Zoom", chromedp.Click(css("#connect")), chromedp.WaitVisible(allow),
		chromedp.SetValue(css("select[name=user]"), luisZoom.ID),
		chromedp.Click(allow), chromedp.WaitVisible(css("#account")))
	assert.Equal(t, luis.Email, text("#account"), "Luis's connected account")
	step("go to Meetings", chromedp.Click(navMeetings), chromedp.WaitVisible(css("#topic")))
	step("Luis schedules a meeting",
		chromedp.SetValue(css("#topic"), "Globex demo"),
		chromedp.SetValue(css("#date"), date),
		chromedp.SetValue(css("#time"), "16:00"),
		chromedp.Click(css("#submit-meeting")),
		chromedp.WaitVisible(css("#join-link")))
	assert.Equal(t, luis.Email, text("#meeting-host"), "host shown")
	lid, err := strconv.ParseInt(text("#meeting-id"), 10, 64)
	require.NoError(t, err)
	zm, ok = env.Fake.Meeting(zoom.ID(lid))
	assert.True(t, ok, "Luis's meeting in Zoom: %+v", zm)
	assert.Equal(t, luisZoom.ID, zm.HostID, "Luis's meeting in Zoom: %+v", zm)
	anaConn, _ := a.connection(t.Context(), ana)
	assert.True(t, anaConn.Active(), "Luis connecting ended Ana's connection")
	shot("luis-meeting")

	// 8. Luis deletes his meeting history (after a confirmation); Ana's
	// meeting stays in the history, and Luis's stays in Zoom.
	step("delete my meeting history",
		chromedp.Navigate(env.BaseURL+"/"), chromedp.WaitVisible(css("#delete-history")),
		chromedp.Click(css("#delete-history")), chromedp.WaitVisible(css("#confirm-delete-history")))
	shot("confirm-delete-history")
	step("confirm", chromedp.Click(css("#confirm-delete-history")), chromedp.WaitVisible(css("#notice")))
	s = text("#notice")
	assert.Contains(t, s, "Your meeting history was deleted", "notice %q", s)
	s = text("#history")
	assert.NotContains(t, s, "Globex demo", "history after Luis deleted his: %q", s)
	assert.Contains(t, s, "Customer onboarding call", "history after Luis deleted his: %q", s)
	_, ok = env.Fake.Meeting(zoom.ID(lid))
	assert.True(t, ok, "deleting the history deleted the meeting in Zoom")
	shot("history-deleted")
}
