package main

import (
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"testing"
	"time"

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
	env, a, clock, _ := setup(t, "")
	id, b := connect(t, env, a)
	ctx := t.Context()
	v, err := a.scheduleVisit(ctx, id, visitRequest{Topic: "Check-up", Start: clock.Now().Add(3 * time.Hour), Duration: 30, Patients: []string{"Ava Lopez"}})
	require.NoError(t, err)
	mid := strconv.FormatInt(v.MeetingID, 10)
	schedule := url.Values{"topic": {"Planted"}, "start": {clock.Now().Add(5 * time.Hour).Format("2006-01-02T15:04")}, "duration": {"20"}, "patients": {"Noah Kim"}}
	state := func() string {
		return exkittest.Snapshot(t, env, "telehealth_providers", "telehealth_patients", "telehealth_visits")
	}
	exkittest.AssertCrossSiteRefusedAll(t, env.BaseURL, b.Jar, state,
		exkittest.Post{Path: "/providers/" + id + "/visits", Form: schedule},
		exkittest.Post{Path: "/providers/" + id + "/visits/" + mid + "/delete"},
		exkittest.Post{Path: "/fake-zoom/uninstall/" + id},
		// Zoom's webhook POSTs carry no Origin; a browser's do, and are refused.
		exkittest.Post{Path: exkit.WebhookPath, Form: url.Values{"event": {"app_deauthorized"}}},
	)
	m, _ := env.Fake.Meeting(zoom.ID(v.MeetingID))
	assert.False(t, m.Deleted)

	// Same origin: each route does its work.
	same := func(path string, form url.Values) string {
		t.Helper()
		st, loc, body := exkittest.PostSameOrigin(t, b.Client, env.BaseURL, path, form)
		assert.Equal(t, http.StatusSeeOther, st, "%s: %s", path, body)
		return loc
	}
	assert.Equal(t, "/providers/"+id, same("/providers/"+id+"/visits", schedule))
	assert.Len(t, env.Fake.Meetings(id), 2)
	assert.Equal(t, "/providers/"+id, same("/providers/"+id+"/visits/"+mid+"/delete", nil))
	m, _ = env.Fake.Meeting(zoom.ID(v.MeetingID))
	assert.True(t, m.Deleted)
	assert.Equal(t, "/", same("/fake-zoom/uninstall/"+id, nil))
	assert.Equal(t, 0, count(t, env, "telehealth_providers"))
}

// What Zoom's failures look like to the provider: a sentence saying what
// happened and what to do, never the Go error or Zoom's own text.
func TestZoomFailuresShownAsSentences(t *testing.T) {
	env, a, clock, _ := setup(t, "")
	id, b := connect(t, env, a)
	noChain := func(body string) {
		t.Helper()
		for _, s := range []string{"zoom:", "oauth:", "creating the Zoom meeting", "invalid_grant", "HTTP 5", "%!"} {
			assert.NotContains(t, body, s)
		}
		assert.Contains(t, body, `<a href="/">Back to the providers</a>`)
	}
	schedule := url.Values{"topic": {"Check-up"}, "start": {clock.Now().Add(3 * time.Hour).Format("2006-01-02T15:04")}, "duration": {"20"}, "patients": {"Ava Lopez"}}

	// Zoom answers 500 to the meeting's creation (a POST: not retried).
	require.NoError(t, env.Fake.InjectFault(zoomtest.Fault{Operation: "meetingCreate", Count: 1, Status: http.StatusInternalServerError}))
	st, _, body := exkittest.PostSameOrigin(t, b.Client, env.BaseURL, "/providers/"+id+"/visits", schedule)
	assert.Equal(t, http.StatusBadGateway, st)
	assert.Contains(t, body, `<p class="err" id="error">`+template.HTMLEscapeString(exkit.MsgZoomDown)+`</p>`)
	noChain(body)
	assert.Equal(t, 0, count(t, env, "telehealth_visits"))
	assert.Empty(t, env.Mail.Sent()[1:], "no invitation for a visit that was not scheduled")

	// The grant was revoked in Zoom: the provider is asked to reconnect.
	env.Fake.RevokeAll()
	st, body, err := b.Get(t.Context(), env.BaseURL+"/providers/"+id)
	require.NoError(t, err)
	assert.Equal(t, http.StatusConflict, st)
	assert.Contains(t, body, template.HTMLEscapeString(exkit.MsgReconnect))
	assert.Contains(t, body, `<a href="`+exkit.ConnectPath+`">Connect Zoom</a>`)
	noChain(body)
}
