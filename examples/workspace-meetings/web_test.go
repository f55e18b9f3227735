package main

import (
	"html/template"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/zoomkit/zoomkit/examples/internal/exkit"
	"github.com/zoomkit/zoomkit/examples/internal/exkittest"
	"github.com/zoomkit/zoomkit/zoom"
	"github.com/zoomkit/zoomkit/zoom/zoomtest"
)

// Every POST route refuses a cross-site form post (403) and changes
// nothing: not the tables, not Zoom, not the outbox. The same posts from
// the app's own pages still work.
func TestCrossSiteRefusedOnEveryPost(t *testing.T) {
	ctx := t.Context()
	env, a := open(t, io.Discard, exkit.Config{})
	env.Start(a)
	anaB := exkit.NewBrowser()
	defer anaB.CloseIdleConnections()
	st, body, err := anaB.Get(ctx, env.BaseURL+exkit.ConnectPath)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, st, body)
	m, err := a.createMeeting(ctx, ana, meetingInput{Topic: "Kickoff", Date: tomorrow(a), Time: "09:00", Timezone: "Europe/Madrid", Duration: 30})
	require.NoError(t, err)
	id := strconv.FormatInt(m.ID, 10)
	create := url.Values{"platform": {"zoom"}, "topic": {"Planted"}, "date": {tomorrow(a)}, "time": {"10:00"}, "timezone": {"UTC"}, "duration": {"30"}}
	update := url.Values{"topic": {"Renamed"}, "date": {tomorrow(a)}, "time": {"11:00"}, "timezone": {"UTC"}, "duration": {"45"}}
	state := func() string {
		return exkittest.Snapshot(t, env, "workspace_meetings_member_connection", "workspace_meetings_history")
	}
	exkittest.AssertCrossSiteRefusedAll(t, env.BaseURL, anaB.Jar, state,
		exkittest.Post{Path: "/signin", Form: url.Values{"member": {luis.ID}}},
		exkittest.Post{Path: "/meetings", Form: create},
		exkittest.Post{Path: "/meetings/" + id, Form: update},
		exkittest.Post{Path: "/meetings/" + id + "/delete"},
		exkittest.Post{Path: "/history/delete", Form: url.Values{"confirm": {"yes"}}},
		exkittest.Post{Path: "/disconnect", Form: url.Values{"confirm": {"yes"}}},
		// Zoom's webhook POSTs carry no Origin; a browser's do, and are refused.
		exkittest.Post{Path: exkit.WebhookPath, Form: url.Values{"event": {"app_deauthorized"}}},
	)
	zm, _ := env.Fake.Meeting(zoom.ID(m.ID))
	assert.Equal(t, "Kickoff", zm.Topic)

	// Same origin: each route does its work.
	same := func(path string, form url.Values, wantStatus int) string {
		t.Helper()
		st, loc, body := exkittest.PostSameOrigin(t, anaB.Client, env.BaseURL, path, form)
		assert.Equal(t, wantStatus, st, "%s: %s", path, body)
		return loc
	}
	assert.Regexp(t, `^/meetings/\d+\?created=1$`, same("/meetings", create, http.StatusSeeOther))
	assert.Equal(t, "/meetings/"+id+"?updated=1", same("/meetings/"+id, update, http.StatusSeeOther))
	zm, _ = env.Fake.Meeting(zoom.ID(m.ID))
	assert.Equal(t, "Renamed", zm.Topic)
	assert.Equal(t, "/?deleted=1", same("/meetings/"+id+"/delete", nil, http.StatusSeeOther))
	assert.Equal(t, "/?history=deleted", same("/history/delete", url.Values{"confirm": {"yes"}}, http.StatusSeeOther))
	assert.Equal(t, "/?disconnected=1", same("/disconnect", url.Values{"confirm": {"yes"}}, http.StatusSeeOther))
	c, _ := a.connection(ctx, ana)
	assert.False(t, c.Active())
	assert.Equal(t, "/", same("/signin", url.Values{"member": {luis.ID}}, http.StatusSeeOther))
}

// What Zoom's failures look like to a member: a sentence saying what
// happened and what to do, never the Go error or Zoom's own text.
func TestZoomFailuresShownAsSentences(t *testing.T) {
	ctx := t.Context()
	env, a := open(t, io.Discard, exkit.Config{})
	env.Start(a)
	b := exkit.NewBrowser()
	defer b.CloseIdleConnections()
	st, body, err := b.Get(ctx, env.BaseURL+exkit.ConnectPath)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, st, body)
	form := url.Values{"topic": {"Planning"}, "date": {tomorrow(a)}, "time": {"15:00"}, "timezone": {"UTC"}, "duration": {"30"}}
	noChain := func(body string) {
		t.Helper()
		for _, s := range []string{"zoom:", "oauth:", "HTTP 5", "Internal Error", "invalid_grant", "%!"} {
			assert.NotContains(t, body, s)
		}
	}

	// Zoom answers 500 to the create (a POST: not retried).
	require.NoError(t, env.Fake.InjectFault(zoomtest.Fault{Operation: "meetingCreate", Count: 1, Status: http.StatusInternalServerError}))
	st, _, body = exkittest.PostSameOrigin(t, b.Client, env.BaseURL, "/meetings", form)
	assert.Equal(t, http.StatusBadGateway, st)
	assert.Contains(t, body, `<div class="err" id="error">`+template.HTMLEscapeString(exkit.MsgZoomDown)+`</div>`)
	assert.Contains(t, body, "<h1>Scheduling the meeting</h1>")
	assert.Contains(t, body, `<a href="/">Back to Meetings</a>`)
	noChain(body)

	// The connection is reset before Zoom answers.
	require.NoError(t, env.Fake.InjectFault(zoomtest.Fault{Operation: "meetingCreate", Count: 1, Reset: true}))
	st, _, body = exkittest.PostSameOrigin(t, b.Client, env.BaseURL, "/meetings", form)
	assert.Equal(t, http.StatusBadGateway, st)
	assert.Contains(t, body, template.HTMLEscapeString(exkit.MsgUnreachable))
	noChain(body)

	// The grant was revoked in Zoom: the member is asked to reconnect.
	env.Fake.RevokeAll()
	st, _, body = exkittest.PostSameOrigin(t, b.Client, env.BaseURL, "/meetings", form)
	assert.Equal(t, http.StatusConflict, st)
	assert.Contains(t, body, template.HTMLEscapeString(exkit.MsgReconnect))
	assert.Contains(t, body, `href="`+exkit.ConnectPath+`">Connect Zoom Account</a>`)
	noChain(body)
	assert.NotContains(t, body, "Your Zoom account is not connected", "a revoked grant is explained as never connected")
	assert.Empty(t, env.Fake.Meetings(""), "no meeting was created")
}
