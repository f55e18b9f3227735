package main

import (
	"context"
	"io"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

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
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(env.Close)
	if err := seedDirectory(env.Fake); err != nil {
		t.Fatal(err)
	}
	serveCtx, stopServe := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- env.Serve(serveCtx, a) }()
	t.Cleanup(func() {
		stopServe()
		if err := <-served; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	css := exkittest.CSS
	dr, _ := env.Fake.User(drRivera.Email)

	// 1. The EHR's home: nobody connected yet.
	c.Do("open the app", chromedp.Navigate(env.BaseURL+"/"), chromedp.WaitVisible(css("#connect")))
	if s := c.Text("#no-providers"); s != "No provider has connected Zoom yet." {
		t.Errorf("home says %q", s)
	}
	c.Shot("home")

	// 2. Connect Zoom: the provider allows the app on Zoom's consent page
	// and lands on their page, which says how to sign in and disconnect.
	allow := css(`button[name="decision"][value="allow"]`)
	c.Do("click Connect Zoom", chromedp.Click(css("#connect")), chromedp.WaitVisible(allow),
		chromedp.SetValue(css("select[name=user]"), dr.ID))
	c.Shot("consent")
	c.Do("allow on Zoom", chromedp.Click(allow), chromedp.WaitVisible(css("#provider")))
	if s := c.Text("#provider"); s != drRivera.Email {
		t.Errorf("provider page of %q", s)
	}
	if s := c.Text("#zoom-connection"); !strings.Contains(s, "email and password") || !strings.Contains(s, "Manage > Added Apps (Installed Apps)") {
		t.Errorf("connection advice %q", s)
	}
	c.Shot("connected")

	// 3. Find a patient by name: the EHR's patients first, Zoom contacts after.
	c.Do("search Kim", chromedp.SetValue(css("#q"), "Kim"), chromedp.Click(css("#search")), chromedp.WaitVisible(css("#found")))
	found := c.Text("#found")
	for _, want := range []string{"Noah Kim <noah.kim@patients.example> · EHR patient", "Jin Kim <jin.kim@clinic.example> · Zoom contact"} {
		if !strings.Contains(found, want) {
			t.Errorf("search results %q lack %q", found, want)
		}
	}
	if strings.Index(found, "EHR patient") > strings.Index(found, "Zoom contact") {
		t.Errorf("Zoom contacts before the EHR's patients: %q", found)
	}
	c.Shot("search")

	// 4. Schedule a visit with a patient found by name.
	c.Do("schedule a visit",
		chromedp.SetValue(css("#topic"), "Follow-up visit"),
		chromedp.SetValue(css("#duration"), "20"),
		chromedp.SetValue(css("#patients"), "Ava Lopez"),
		chromedp.Click(css("#schedule-visit")), chromedp.WaitVisible(css("#visits")))
	if s := c.Text("#visits"); !strings.Contains(s, "Follow-up visit") || !strings.Contains(s, "Ava Lopez") {
		t.Errorf("upcoming visits %q", s)
	}
	ms := env.Fake.Meetings(dr.ID)
	if len(ms) != 1 || ms[0].Topic != "Follow-up visit" || ms[0].Duration != 20 {
		t.Fatalf("Zoom has %+v", ms)
	}
	mid := strconv.FormatInt(int64(ms[0].ID), 10)
	c.Shot("scheduled")

	// 5. The provider opens the visit and starts it as host.
	c.Do("open the visit", chromedp.Click(css(`#visits a[href$="/visits/`+mid+`"]`)), chromedp.WaitVisible(css("#start-visit")))
	if s := c.Text("#invitees"); s != "ava.lopez@patients.example" {
		t.Errorf("invitees in Zoom %q", s)
	}
	start := c.Attr("#start-visit", "href")
	if !strings.HasPrefix(start, env.Fake.URL()+"/s/"+mid) || !strings.Contains(start, "zak=") {
		t.Errorf("start link %q", start)
	}
	c.Shot("visit")
	c.Do("start the visit as host", chromedp.Navigate(start), chromedp.WaitVisible(css("p")))
	if s := c.Text("p"); !strings.Contains(s, "fake Zoom") {
		t.Errorf("the start link opened %q", s)
	}
	c.Shot("visit-started")

	// 6. Disconnect: the provider removes the app from Zoom; Zoom's
	// deauthorization deletes their connection and visit records.
	c.Do("remove the app from Zoom", chromedp.Navigate(env.BaseURL+"/providers/"+dr.ID), chromedp.WaitVisible(css("#remove-app")),
		chromedp.Click(css("#remove-app")), chromedp.WaitVisible(css("#no-providers")))
	if n := count(t, env, "telehealth_providers") + count(t, env, "telehealth_visits"); n != 0 {
		t.Errorf("%d provider and visit records after the removal", n)
	}
	c.Shot("removed")
}
