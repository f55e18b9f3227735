package main

import (
	"context"
	"io"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

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
	require.NoError(t, err)
	t.Cleanup(env.Close)
	serveCtx, stopServe := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- env.Serve(serveCtx, a) }()
	t.Cleanup(func() {
		stopServe()
		assert.NoError(t, <-served, "serve")
	})
	css := exkittest.CSS
	nav := func(href string) chromedp.CSS { return css(`header nav a[href="` + href + `"]`) }

	// 1. The host's dashboard: Zoom not connected, built-in calls.
	c.Do("open the dashboard", chromedp.Navigate(env.BaseURL+"/"), chromedp.WaitVisible(css("#zoom-status")))
	assert.Equal(t, "Zoom: Not connected.", c.Text("#zoom-status"), "dashboard")
	c.Shot("dashboard")

	// 2. Scheduling > Conferencing > Manage conferencing: Connect.
	c.Do("open Manage conferencing", chromedp.Click(nav(conferencingPath)), chromedp.WaitVisible(css("#connect")))
	assert.Equal(t, "Scheduling › Conferencing", c.Text(".crumbs"), "crumbs")
	c.Shot("manage-conferencing")
	allow := css(`button[name="decision"][value="allow"]`)
	c.Do("click Connect", chromedp.Click(css("#connect")), chromedp.WaitVisible(allow))
	c.Shot("consent")
	c.Do("allow on Zoom", chromedp.Click(allow), chromedp.WaitVisible(css("#zoom-email")))
	assert.Equal(t, zoomEmail, c.Text("#zoom-email"), "connected as")
	assert.Equal(t, "Zoom is connected.", c.Text(".flash"), "notice")
	c.Shot("connected")

	// 3. Make default: new bookings get a Zoom meeting.
	c.Do("make Zoom the default", chromedp.Click(css("#default-zoom")), chromedp.WaitVisible(css("#default-builtin")))
	assert.Equal(t, "Zoom meeting", c.Text("#effective"), "new bookings get")
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
	require.NoError(t, err, "booking %q", id)
	require.Equal(t, confZoom, b.Conferencing, "booking %+v", b)
	require.NotZero(t, b.ZoomMeetingID, "booking %+v", b)
	m, ok := env.Fake.Meeting(zoom.ID(b.ZoomMeetingID))
	assert.True(t, ok, "Zoom has %+v", m)
	assert.Contains(t, m.Topic, "Grace Hopper", "Zoom has %+v", m)
	s := c.Text("#call-kind")
	assert.True(t, strings.HasPrefix(s, "Zoom meeting "), "call %q", s)
	assert.Equal(t, b.JoinURL, c.Attr("#join", "href"), "join link")
	c.Shot("booked")

	// 5. Back on Manage conferencing: built-in calls become the default,
	// then Disconnect.
	c.Do("make built-in calls the default", chromedp.Click(nav(conferencingPath)), chromedp.WaitVisible(css("#default-builtin")),
		chromedp.Click(css("#default-builtin")), chromedp.WaitVisible(css("#default-zoom")))
	assert.Equal(t, "built-in call", c.Text("#effective"), "new bookings get")
	c.Do("disconnect", chromedp.Click(css("#disconnect")), chromedp.WaitVisible(css("#connect")))
	s = c.Text(".flash")
	assert.True(t, strings.HasPrefix(s, "Zoom is disconnected from this account."), "notice %q", s)
	conn, err := a.connection(t.Context(), a.hostID)
	assert.Nil(t, conn, "connection after the disconnect: %+v %v", conn, err)
	assert.NoError(t, err, "connection after the disconnect: %+v %v", conn, err)
	m, ok = env.Fake.Meeting(zoom.ID(b.ZoomMeetingID))
	assert.True(t, ok, "the disconnect touched the booked Zoom meeting")
	assert.False(t, m.Deleted, "the disconnect touched the booked Zoom meeting")
	c.Shot("disconnected")
}
