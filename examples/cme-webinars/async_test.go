package main

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/zoomkit/zoomkit/zoom"
	"github.com/zoomkit/zoomkit/zoom/zoomtest"
)

// An attendance write that keeps failing is retried, then dead-lettered:
// Zoom got its 200, the Webhook events page lists the dead letter with its
// error, and once the database is back, Replay records the stay.
func TestDeadLetterReplay(t *testing.T) {
	ctx := t.Context()
	env, a, clock, out := setup(t)
	env.Start(a)
	connectAdmin(t, env)
	act, err := a.createActivity(ctx, activityRequest{Topic: "Dead letters", HostEmail: faculty.Email, Start: clock.Now().Add(time.Hour), Duration: 60, CreditHours: 1})
	require.NoError(t, err)
	_, err = env.Fake.StartWebinar(zoom.ID(act.WebinarID))
	require.NoError(t, err)
	require.NoError(t, a.drain(ctx))

	a.faults.Store(4) // every attempt of the next event fails (4 attempts offline)
	_, err = env.Fake.Join(zoom.ID(act.WebinarID), zoomtest.Participant{Name: "Amara Okafor", Email: okafor.Email})
	require.NoError(t, err)
	require.NoError(t, a.drain(ctx))
	dl := env.Fake.Deliveries()
	require.Equal(t, http.StatusOK, dl[len(dl)-1].Status, "Zoom is answered before the work")
	require.Zero(t, count(t, env, `SELECT COUNT(*) FROM cme_webinars_attendance`))
	c := a.events.counters.Snapshot()
	require.Equal(t, int64(1), c.DeadLettered)
	require.Equal(t, int64(3), c.Retried)

	page := get(t, a, "/webhook-events")
	require.Equal(t, http.StatusOK, page.Code)
	body := page.Body.String()
	dls, err := a.events.q.DeadLetters(ctx, 10)
	require.NoError(t, err)
	require.Len(t, dls, 1)
	require.Contains(t, body, `<tr data-id="`+dls[0].ID+`"><td>webinar.participant_joined</td>`)
	require.Contains(t, body, "recording Amara Okafor&#39;s stay: the attendance database is unavailable")
	require.Contains(t, body, `<td id="dead-lettered">1</td>`)
	require.Contains(t, body, `id="replay-`+dls[0].ID+`"`)
	require.NotContains(t, body, env.WebhookSecret)

	// The database is back: replay.
	require.Equal(t, http.StatusSeeOther, post(t, a, "/webhook-events/replay", url.Values{"id": {dls[0].ID}}).Code)
	require.Equal(t, 1, count(t, env, `SELECT COUNT(*) FROM cme_webinars_attendance WHERE name = $1`, "Amara Okafor"))
	body = get(t, a, "/webhook-events").Body.String()
	require.Contains(t, body, `id="no-dead-letters"`)

	// Replaying it again: it is no longer a dead letter.
	again := post(t, a, "/webhook-events/replay", url.Values{"id": {dls[0].ID}})
	require.Equal(t, http.StatusBadRequest, again.Code)
	require.Contains(t, again.Body.String(), "no longer a dead letter")

	// The transcript, once the replicas stopped writing to it.
	a.events.close()
	tr := out.String()
	require.Regexp(t, `✗ webinar\.participant_joined dead-lettered by worker [12] after attempt 4: see the Webhook events page`, tr)
	require.Equal(t, 3, strings.Count(tr, "webinar.participant_joined goes back to the queue, retried after a backoff"))
	require.Contains(t, tr, "replayed: back in the queue")
	require.Regexp(t, `webinar\.participant_joined worked by worker [12]: Amara Okafor joined at`, tr)
}
