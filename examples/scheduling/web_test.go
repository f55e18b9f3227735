package main

import (
	"html/template"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/zoomkit/zoomkit/examples/internal/exkit"
	"github.com/zoomkit/zoomkit/examples/internal/exkittest"
	"github.com/zoomkit/zoomkit/zoom/zoomtest"
)

// Every POST route refuses a cross-site form post (403) and changes
// nothing: not the tables, not the clock, not Zoom, not the outbox. The
// same posts from the app's own pages still work.
func TestCrossSiteRefusedOnEveryPost(t *testing.T) {
	h := newHarness(t)
	ctx := t.Context()
	h.connect(t)
	b := h.book(t, "Ada Byron", 0)
	require.Equal(t, confZoom, b.Conferencing)
	slots, err := h.app.Slots(ctx, h.app.hostID)
	require.NoError(t, err)
	book := url.Values{"host": {"ada"}, "name": {"Eve"}, "email": {"eve@clients.example"}, "start": {unix(slots[1])}}
	move := url.Values{"start": {unix(slots[2])}}
	state := func() string {
		return exkittest.Snapshot(t, h.env, "scheduling_hosts", "scheduling_settings", "scheduling_zoom_connections", "scheduling_bookings") +
			"clock offset: " + strconv.FormatInt(h.clk.offset.Load(), 10)
	}
	jar, _ := cookiejar.New(nil)
	exkittest.AssertCrossSiteRefusedAll(t, h.env.BaseURL, jar, state,
		exkittest.Post{Path: "/account", Form: url.Values{"account": {"team"}}},
		exkittest.Post{Path: "/settings", Form: url.Values{"conferencing": {"builtin"}}},
		exkittest.Post{Path: "/zoom/disconnect"},
		exkittest.Post{Path: "/book", Form: book},
		exkittest.Post{Path: "/bookings/" + b.ID + "/reschedule", Form: move},
		exkittest.Post{Path: "/bookings/" + b.ID + "/cancel"},
		exkittest.Post{Path: "/fake/revoke"},
		exkittest.Post{Path: "/fake/advance"},
		exkittest.Post{Path: "/fake/uninstall"},
		// Zoom's webhook POSTs carry no Origin; a browser's do, and are refused.
		exkittest.Post{Path: exkit.WebhookPath, Form: url.Values{"event": {"app_deauthorized"}}},
	)

	// Same origin: each route does its work, and Zoom still works (the
	// refused revoke and uninstall did nothing).
	c := &http.Client{Jar: jar}
	defer c.CloseIdleConnections()
	same := func(path string, form url.Values) string {
		t.Helper()
		st, loc, body := exkittest.PostSameOrigin(t, c, h.env.BaseURL, path, form)
		assert.Equal(t, http.StatusSeeOther, st, "%s: %s", path, body)
		return loc
	}
	loc := same("/book", book)
	require.True(t, strings.HasPrefix(loc, "/bookings/"), loc)
	eve, err := h.app.Booking(ctx, strings.TrimPrefix(loc, "/bookings/"))
	require.NoError(t, err)
	assert.Equal(t, confZoom, eve.Conferencing, "Zoom still creates the meetings")
	same("/bookings/"+b.ID+"/reschedule", move)
	same("/bookings/"+b.ID+"/cancel", nil)
	got, _ := h.app.Booking(ctx, b.ID)
	assert.Equal(t, bookingCancelled, got.Status)
	assert.Equal(t, conferencingPath+"?done=settings", same("/settings", url.Values{"conferencing": {"builtin"}}))
	assert.Equal(t, "/?done=advance", same("/fake/advance", nil))
	assert.Equal(t, conferencingPath+"?done=disconnected", same("/zoom/disconnect", nil))
	assert.Equal(t, "/", same("/account", url.Values{"account": {"team"}}))
	resp, err := c.Get(h.env.BaseURL + "/")
	require.NoError(t, err)
	defer resp.Body.Close()
	page, _ := io.ReadAll(resp.Body)
	assert.Contains(t, string(page), `<b id="account">`+teamHost().Name+`</b>`, "the account was switched")
}

// What Zoom's failures look like: a sentence saying what happened and what
// to do, never the Go error or Zoom's own text; nothing half-done stays.
func TestZoomFailuresShownAsSentences(t *testing.T) {
	h := newHarness(t)
	ctx := t.Context()
	h.connect(t)
	c := &http.Client{}
	defer c.CloseIdleConnections()
	noChain := func(body string) {
		t.Helper()
		for _, s := range []string{"zoom:", "oauth:", "creating the Zoom meeting", "HTTP 5", "%!"} {
			assert.NotContains(t, body, s)
		}
		assert.Contains(t, body, `<a href="/">Back to the dashboard</a>`)
	}
	slots, err := h.app.Slots(ctx, h.app.hostID)
	require.NoError(t, err)
	book := url.Values{"host": {"ada"}, "name": {"Grace"}, "email": {"grace@clients.example"}, "start": {unix(slots[0])}}

	// Zoom answers 500 to the meeting's creation (a POST: not retried).
	require.NoError(t, h.env.Fake.InjectFault(zoomtest.Fault{Operation: "meetingCreate", Count: 1, Status: http.StatusInternalServerError}))
	st, _, body := exkittest.PostSameOrigin(t, c, h.env.BaseURL, "/book", book)
	assert.Equal(t, http.StatusBadGateway, st)
	assert.Contains(t, body, `<p class="err">`+template.HTMLEscapeString(exkit.MsgZoomDown)+`</p>`)
	noChain(body)
	bs, _ := h.app.Bookings(ctx, h.app.hostID)
	assert.Empty(t, bs, "no booking without its meeting")

	// Zoom refuses to delete the meeting (403): the booking stays.
	b := h.book(t, "Ada Byron", 0)
	require.NoError(t, h.env.Fake.InjectFault(zoomtest.Fault{Operation: "meetingDelete", Count: 1, Status: http.StatusForbidden}))
	st, _, body = exkittest.PostSameOrigin(t, c, h.env.BaseURL, "/bookings/"+b.ID+"/cancel", nil)
	assert.Equal(t, http.StatusForbidden, st)
	assert.Contains(t, body, template.HTMLEscapeString(exkit.MsgForbidden))
	noChain(body)
	got, _ := h.app.Booking(ctx, b.ID)
	assert.Equal(t, bookingConfirmed, got.Status)

	// Our own refusals are sentences too.
	st, _, body = exkittest.PostSameOrigin(t, c, h.env.BaseURL, "/settings", url.Values{"conferencing": {"skype"}})
	assert.Equal(t, http.StatusBadRequest, st)
	assert.Contains(t, body, "Choose Zoom or built-in calls as the default.")
}
