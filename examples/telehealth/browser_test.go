package main

import (
	"context"
	"io"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/zoomkit/zoomkit/examples/internal/exkit"
	"github.com/zoomkit/zoomkit/examples/internal/exkittest"
)

// TestBrowserServe runs the -serve web app in headless Chromium: the
// provider connects Zoom through the fake Zoom's consent page, finds
// patients by name, schedules a visit with a patient, opens it and starts
// it as host, then removes the app from Zoom (the deauthorization deletes
// their data). Each page is saved as a PNG.
func TestBrowserServe(t *testing.T) {
	c := exkittest.NewChrome(t, "telehealth")
	// The app as `go run ./examples/telehealth -serve` runs it, on a free
	// port, with the fake Zoom showing its consent page.
	env, a, _, err := open(t.Context(), &exkit.Config{Name: "telehealth", DataDir: t.TempDir(), Serve: true, Addr: "127.0.0.1:0"}, io.Discard)
	require.NoError(t, err)
	t.Cleanup(env.Close)
	require.NoError(t, seedDirectory(env.Fake))
	serveCtx, stopServe := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- env.Serve(serveCtx, a) }()
	t.Cleanup(func() {
		stopServe()
		assert.NoError(t, <-served, "serve")
	})
	css := exkittest.CSS
	dr, _ := env.Fake.User(drRivera.Email)

	// 1. The EHR's home: nobody connected yet.
	c.Do("open the app", chromedp.Navigate(env.BaseURL+"/"), chromedp.WaitVisible(css("#connect")))
	assert.Equal(t, "No provider has connected Zoom yet.", c.Text("#no-providers"), "home")
	c.Shot("home")

	// 2. Connect Zoom: the provider allows the app on Zoom's consent page
	// and lands on their page, which says how to sign in and disconnect.
	allow := css(`button[name="decision"][value="allow"]`)
	c.Do("click Connect Zoom", chromedp.Click(css("#connect")), chromedp.WaitVisible(allow),
		chromedp.SetValue(css("select[name=user]"), dr.ID))
	c.Shot("consent")
	c.Do("allow on Zoom", chromedp.Click(allow), chromedp.WaitVisible(css("#provider")))
	assert.Equal(t, drRivera.Email, c.Text("#provider"), "provider page")
	s := c.Text("#zoom-connection")
	assert.Contains(t, s, "email and password", "connection advice %q", s)
	assert.Contains(t, s, "Manage > Added Apps (Installed Apps)", "connection advice %q", s)
	c.Shot("connected")

	// 3. Find a patient by name: the EHR's patients first, Zoom contacts after.
	c.Do("search Kim", chromedp.SetValue(css("#q"), "Kim"), chromedp.Click(css("#search")), chromedp.WaitVisible(css("#found")))
	found := c.Text("#found")
	for _, want := range []string{"Noah Kim <noah.kim@patients.example> · EHR patient", "Jin Kim <jin.kim@clinic.example> · Zoom contact"} {
		assert.Contains(t, found, want, "search results %q lack %q", found, want)
	}
	assert.LessOrEqual(t, strings.Index(found, "EHR patient"), strings.Index(found, "Zoom contact"), "Zoom contacts before the EHR's patients: %q", found)
	c.Shot("search")

	// 4. Schedule a visit with a patient found by name.
	c.Do("schedule a visit",
		chromedp.SetValue(css("#topic"), "Follow-up visit"),
		chromedp.SetValue(css("#duration"), "20"),
		chromedp.SetValue(css("#patients"), "Ava Lopez"),
		chromedp.Click(css("#schedule-visit")), chromedp.WaitVisible(css("#visits")))
	s = c.Text("#visits")
	assert.Contains(t, s, "Follow-up visit", "upcoming visits %q", s)
	assert.Contains(t, s, "Ava Lopez", "upcoming visits %q", s)
	ms := env.Fake.Meetings(dr.ID)
	require.Len(t, ms, 1, "Zoom has %+v", ms)
	require.Equal(t, "Follow-up visit", ms[0].Topic, "Zoom has %+v", ms)
	require.Equal(t, 20, ms[0].Duration, "Zoom has %+v", ms)
	mid := strconv.FormatInt(int64(ms[0].ID), 10)
	c.Shot("scheduled")

	// 5. The provider opens the visit and starts it as host.
	c.Do("open the visit", chromedp.Click(css(`#visits a[href$="/visits/`+mid+`"]`)), chromedp.WaitVisible(css("#start-visit")))
	assert.Equal(t, "ava.lopez@patients.example", c.Text("#invitees"), "invitees in Zoom")
	start := c.Attr("#start-visit", "href")
	assert.True(t, strings.HasPrefix(start, env.Fake.URL()+"/s/"+mid), "start link %q", start)
	assert.Contains(t, start, "zak=", "start link %q", start)
	c.Shot("visit")
	c.Do("start the visit as host", chromedp.Navigate(start), chromedp.WaitVisible(css("p")))
	s = c.Text("p")
	assert.Contains(t, s, "fake Zoom", "the start link opened %q", s)
	c.Shot("visit-started")

	// 6. Disconnect: the provider removes the app from Zoom; Zoom's
	// deauthorization deletes their connection and visit records.
	c.Do("remove the app from Zoom", chromedp.Navigate(env.BaseURL+"/providers/"+dr.ID), chromedp.WaitVisible(css("#remove-app")),
		chromedp.Click(css("#remove-app")), chromedp.WaitVisible(css("#no-providers")))
	assert.Equal(t, 0, count(t, env, "telehealth_providers")+count(t, env, "telehealth_visits"), "provider and visit records after the removal")
	c.Shot("removed")
}
