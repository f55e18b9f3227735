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
)

// TestBrowserServe runs the -serve web app in headless Chromium: Dr. Chen,
// a member, is refused on Zoom's consent page; the admin enables the Zoom
// integration; the coordinator schedules a webinar, changes its title,
// finds it in Zoom's list and cancels it; a second webinar gets a
// registration, approval, a run with "let time pass" (a join that keeps
// failing is dead-lettered, shown on the Webhook events page and
// replayed), reconciliation and credit; the admin removes the app in Zoom. Each page is saved as a PNG.
func TestBrowserServe(t *testing.T) {
	c := exkittest.NewChrome(t, exampleName)

	// The app as `go run ./examples/cme-webinars -serve` runs it, on a
	// free port, with the fake Zoom showing its consent page.
	env, a, _, err := open(t.Context(), &exkit.Config{Name: exampleName, Serve: true, Addr: "127.0.0.1:0", DataDir: t.TempDir()}, io.Discard)
	require.NoError(t, err)
	require.NoError(t, seedAccount(env.Fake))
	serveCtx, stopServe := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- env.Serve(serveCtx, a) }()
	t.Cleanup(func() {
		stopServe()
		assert.NoError(t, <-served, "serve")
		env.Close()
	})
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	text := func(sel, want string) {
		t.Helper()
		s := c.Text(sel)
		assert.Contains(t, s, want, "%s reads %q, want %q", sel, s, want)
	}
	const allow = `button[name="decision"][value="allow"]`

	// 1. Home: the Integrations section offers Enable Zoom Integration.
	c.Do("open POM", chromedp.Navigate(env.BaseURL+"/"), chromedp.WaitVisible(css("#enable-zoom")))
	text("#zoom-status", "Not enabled")
	c.Shot("home")

	// 2. Dr. Chen, a member of the Zoom account, tries: Zoom refuses on its
	// consent page (the app is admin-managed) and POM gets no code.
	lena, _ := env.Fake.User(faculty.Email)
	c.Submit("Enable Zoom Integration as a member", "#enable-zoom")
	c.Do("choose the member", chromedp.WaitVisible(css(allow)), chromedp.SetValue(css("select[name=user]"), lena.ID))
	c.Shot("consent-member")
	c.Submit("approve as the member", allow)
	text("body", "An account admin is required to install this type of app.")
	c.Shot("member-refused")
	if o, err := a.organisation(t.Context()); err == nil && o.Connected() {
		t.Fatal("a member enabled the integration")
	}

	// 3. The admin enables it.
	c.Do("back to POM", chromedp.Navigate(env.BaseURL+"/"), chromedp.WaitVisible(css("#enable-zoom")))
	c.Submit("Enable Zoom Integration as the admin", "#enable-zoom")
	c.Submit("approve as the admin", allow, chromedp.WaitVisible(css(allow)), chromedp.SetValue(css("select[name=user]"), env.Fake.OwnerID()))
	text("#zoom-status", "Zoom Integration enabled")
	text("#zoom-admin", orgAdmin)
	c.Shot("enabled")

	// 4. Schedule a webinar for Dr. Chen.
	c.Submit("schedule a webinar", "#schedule-submit", chromedp.SetValue(css("#topic"), "Sepsis bundle review"))
	text("#title", "Sepsis bundle review")
	id, err := strconv.ParseInt(c.Text("#webinar-id"), 10, 64)
	require.NoError(t, err)
	w, ok := env.Fake.Meeting(zoom.ID(id))
	assert.True(t, ok, "the webinar in Zoom: %+v", w)
	assert.True(t, w.Webinar, "the webinar in Zoom: %+v", w)
	assert.Equal(t, "Sepsis bundle review", w.Topic, "the webinar in Zoom: %+v", w)
	assert.Equal(t, lena.ID, w.HostID, "the webinar in Zoom: %+v", w)
	c.Shot("scheduled")

	// 5. Change its title: in Zoom and on the platform.
	const title = "Sepsis bundle review: 2026 update"
	c.Submit("change the title", "#update-submit", chromedp.SetValue(css("#new-title"), title))
	text("#title", title)
	w, _ = env.Fake.Meeting(zoom.ID(id))
	assert.Equal(t, title, w.Topic, "Zoom's title")
	c.Shot("renamed")

	// 6. Zoom's list of Dr. Chen's webinars shows the new title.
	c.Submit("go home", "header a.brand")
	c.Submit("list Dr. Chen's webinars in Zoom", "#list-submit")
	text(`#zoom-webinars tr[data-webinar="`+strconv.FormatInt(id, 10)+`"]`, title)
	c.Shot("zoom-list")

	// 7. Cancel it: Zoom deletes it, POM keeps the activity, cancelled.
	c.Submit("open the webinar", `#zoom-webinars tr[data-webinar="`+strconv.FormatInt(id, 10)+`"] a`)
	c.Submit("cancel the webinar", "#cancel")
	text("#status", "cancelled")
	w, ok = env.Fake.Meeting(zoom.ID(id))
	assert.True(t, ok, "the cancelled webinar in Zoom: %+v", w)
	assert.True(t, w.Deleted, "the cancelled webinar in Zoom: %+v", w)
	c.Shot("cancelled")

	// 8. A second webinar: a physician registers and is approved; the
	// webinar runs for an hour of fake time; the report is reconciled and
	// credit awarded.
	c.Submit("go home", "header a.brand")
	c.Submit("schedule a second webinar", "#schedule-submit", chromedp.SetValue(css("#topic"), "Heart failure update"))
	id2 := c.Text("#webinar-id")
	c.Submit("register Dr. Okafor", "#register-submit",
		chromedp.SetValue(css("#reg-first"), okafor.FirstName), chromedp.SetValue(css("#reg-last"), okafor.LastName), chromedp.SetValue(css("#reg-email"), okafor.Email))
	text(`#registrants tr[data-email="`+okafor.Email+`"]`, "pending")
	c.Submit("approve", "#approve")
	text(`#registrants tr[data-email="`+okafor.Email+`"]`, "approved")
	c.Shot("approved")
	c.Submit("the host starts the webinar", "#fake-start")
	text("#status", "live")
	// Her join's every attempt fails (the attendance database is down):
	// after the last, it is a dead letter on the Webhook events page; the
	// database is back, and Replay records it.
	a.faults.Store(4)
	c.Submit("Dr. Okafor joins", "#fake-join")
	c.Submit("open the Webhook events page", `header a[href="/webhook-events"]`)
	text("#dead-letters", "webinar.participant_joined")
	text("#dead-letters", "the attendance database is unavailable")
	text("#dead-lettered", "1")
	c.Shot("dead-letter")
	c.Submit("replay the dead letter", "#dead-letters button")
	text("#no-dead-letters", "No dead letter")
	text("#retried", "3") // the attempts before the last
	c.Shot("replayed")
	c.Submit("go home", "header a.brand")
	c.Submit("back to the webinar", `#activities tr[data-webinar="`+id2+`"] a`)
	text("#attendance", okafor.Email)
	before := c.Text("#fake-now")
	c.Submit("let an hour pass", "#let-time-pass", chromedp.SetValue(css("#minutes"), "60"))
	assert.NotEqual(t, before, c.Text("#fake-now"), "the fake time did not move from %s", before)
	c.Submit("the host ends the webinar", "#fake-end")
	text("#status", "ended")
	c.Submit("wait for Zoom's report", "#let-time-pass", chromedp.SetValue(css("#minutes"), "30"))
	c.Submit("reconcile", "#reconcile")
	text("#status", "credited")
	text("#credits", "1.00 h")
	c.Shot("credited")

	// 9. The admin removes the app in Zoom: the grant is deleted, the
	// records stay.
	c.Submit("remove the app in Zoom", "#fake-uninstall")
	text("#zoom-status", "Zoom was disconnected")
	_, err = env.Tokens.Get(t.Context(), orgTokenKey)
	assert.ErrorIs(t, err, tokenstore.ErrNotFound, "the grant after the removal")
	c.Submit("open the credited webinar", `#activities tr[data-webinar="`+id2+`"] a`)
	text("#credits", "1.00 h")
	assert.Zero(t, c.Count("#approve"), "the page still offers Zoom actions")
	c.Shot("removed")
}
