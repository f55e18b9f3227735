package main

import (
	"context"
	"io"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/zoomkit/zoomkit/examples/internal/exkit"
	"github.com/zoomkit/zoomkit/examples/internal/exkittest"
	"github.com/zoomkit/zoomkit/zoom"
)

// TestBrowserServe runs the -serve web app in headless Chromium: on
// Manage conferencing, Connect Zoom through the fake Zoom's consent page
// and Make default; a client books a session on the booking page and gets
// a Zoom meeting; the host makes built-in calls the default again and
// disconnects Zoom. Each page is saved as a PNG.
func TestBrowserServe(t *testing.T) {
	c := exkittest.NewChrome(t, "scheduling")
	// The app as `go run ./examples/scheduling -serve` runs it, on a free
	// port, with the fake Zoom showing its consent page.
	env, a, err := open(t.Context(), exkit.Config{Name: "scheduling", DataDir: t.TempDir(), Serve: true, Addr: "127.0.0.1:0"}, io.Discard, &clock{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(env.Close)
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
	nav := func(href string) chromedp.CSS { return css(`header nav a[href="` + href + `"]`) }

	// 1. The host's dashboard: Zoom not connected, built-in calls.
	c.Do("open the dashboard", chromedp.Navigate(env.BaseURL+"/"), chromedp.WaitVisible(css("#zoom-status")))
	if s := c.Text("#zoom-status"); s != "Zoom: Not connected." {
		t.Errorf("dashboard says %q", s)
	}
	c.Shot("dashboard")

	// 2. Scheduling > Conferencing > Manage conferencing: Connect.
	c.Do("open Manage conferencing", chromedp.Click(nav(conferencingPath)), chromedp.WaitVisible(css("#connect")))
	if s := c.Text(".crumbs"); s != "Scheduling › Conferencing" {
		t.Errorf("crumbs %q", s)
	}
	c.Shot("manage-conferencing")
	allow := css(`button[name="decision"][value="allow"]`)
	c.Do("click Connect", chromedp.Click(css("#connect")), chromedp.WaitVisible(allow))
	c.Shot("consent")
	c.Do("allow on Zoom", chromedp.Click(allow), chromedp.WaitVisible(css("#zoom-email")))
	if s := c.Text("#zoom-email"); s != zoomEmail {
		t.Errorf("connected as %q", s)
	}
	if s := c.Text(".flash"); s != "Zoom is connected." {
		t.Errorf("notice %q", s)
	}
	c.Shot("connected")

	// 3. Make default: new bookings get a Zoom meeting.
	c.Do("make Zoom the default", chromedp.Click(css("#default-zoom")), chromedp.WaitVisible(css("#default-builtin")))
	if s := c.Text("#effective"); s != "Zoom meeting" {
		t.Errorf("new bookings get %q", s)
	}
	c.Shot("zoom-default")

	// 4. A client books on the booking page: a Zoom meeting is created.
	c.Do("open the booking page", chromedp.Click(nav("/book")), chromedp.WaitVisible(css("#book")))
	c.Shot("booking-page")
	c.Do("book a session",
		chromedp.SetValue(css("#name"), "Grace Hopper"),
		chromedp.SetValue(css("#email"), "grace@clients.example"),
		chromedp.Click(css("#book")), chromedp.WaitVisible(css("#call-kind")))
	id := strings.TrimPrefix(c.Location(), env.BaseURL+"/bookings/")
	b, err := a.Booking(t.Context(), id)
	if err != nil {
		t.Fatalf("booking %q: %v", id, err)
	}
	if b.Conferencing != confZoom || b.ZoomMeetingID == 0 {
		t.Fatalf("booking %+v", b)
	}
	if m, ok := env.Fake.Meeting(zoom.ID(b.ZoomMeetingID)); !ok || !strings.Contains(m.Topic, "Grace Hopper") {
		t.Errorf("Zoom has %+v", m)
	}
	if s := c.Text("#call-kind"); !strings.HasPrefix(s, "Zoom meeting ") {
		t.Errorf("call %q", s)
	}
	if href := c.Attr("#join", "href"); href != b.JoinURL {
		t.Errorf("join link %q, want %q", href, b.JoinURL)
	}
	c.Shot("booked")

	// 5. Back on Manage conferencing: built-in calls become the default,
	// then Disconnect.
	c.Do("make built-in calls the default", chromedp.Click(nav(conferencingPath)), chromedp.WaitVisible(css("#default-builtin")),
		chromedp.Click(css("#default-builtin")), chromedp.WaitVisible(css("#default-zoom")))
	if s := c.Text("#effective"); s != "built-in call" {
		t.Errorf("new bookings get %q", s)
	}
	c.Do("disconnect", chromedp.Click(css("#disconnect")), chromedp.WaitVisible(css("#connect")))
	if s := c.Text(".flash"); !strings.HasPrefix(s, "Zoom is disconnected from this account.") {
		t.Errorf("notice %q", s)
	}
	if conn, err := a.connection(t.Context(), a.hostID); conn != nil || err != nil {
		t.Errorf("connection after the disconnect: %+v %v", conn, err)
	}
	if m, ok := env.Fake.Meeting(zoom.ID(b.ZoomMeetingID)); !ok || m.Deleted {
		t.Error("the disconnect touched the booked Zoom meeting")
	}
	c.Shot("disconnected")
}
