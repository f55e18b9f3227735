package zoomtest_test

import (
	"context"
	"fmt"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zoomkit/zoomkit/zoom"
	"github.com/zoomkit/zoomkit/zoom/zoomtest"
)

func TestWebinarRegistrantsPanelistsAndAttendance(t *testing.T) {
	s, clk := start(t)
	rec := subscribe(t, s, clk)
	c := s.Client("me")
	ctx := context.Background()
	w, _, err := c.Webinars.Create(ctx, "me", &zoom.CreateWebinarRequest{
		Topic: "CME: Cardiology update", Type: zoom.WebinarTypeWebinar, StartTime: zoom.NewTime(clk.Now().Add(time.Hour)), Duration: 60,
		Settings: &zoom.WebinarSettingsRequest{ApprovalType: zoom.Ptr(zoom.ApprovalType(1))},
	})
	require.NoError(t, err)
	id := w.ID
	batch, _, err := c.Webinars.AddBatchRegistrants(ctx, id, &zoom.AddBatchRegistrantsRequest{AutoApprove: zoom.Ptr(false),
		Registrants: []zoom.BatchRegistrant{{Email: "a@example.org", FirstName: "A"}, {Email: "b@example.org", FirstName: "B"}, {Email: "c@example.org", FirstName: "C"}}})
	require.NoError(t, err, "batch: %+v %v", batch, err)
	require.Len(t, batch.Registrants, 3, "batch: %+v %v", batch, err)
	regs := s.Registrants(id)
	if _, err := c.Webinars.UpdateRegistrantStatus(ctx, id, &zoom.UpdateRegistrantStatusRequest{Action: zoom.RegistrantActionApprove,
		Registrants: []zoom.RegistrantRef{{ID: regs[0].ID}, {Email: "b@example.org"}}}, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Webinars.UpdateRegistrantStatus(ctx, id, &zoom.UpdateRegistrantStatusRequest{Action: zoom.RegistrantActionDeny,
		Registrants: []zoom.RegistrantRef{{ID: regs[2].ID}}}, nil); err != nil {
		t.Fatal(err)
	}
	count := func(status zoom.RegistrantStatus) int {
		l, _, err := c.Webinars.ListRegistrants(ctx, id, &zoom.ListWebinarRegistrantsOptions{Status: status})
		require.NoError(t, err, "list %s", status)
		return l.TotalRecords
	}
	assert.Equal(t, 2, count(zoom.RegistrantStatusApproved), "registrant counts wrong: %+v", s.Registrants(id))
	assert.Equal(t, 1, count(zoom.RegistrantStatusDenied), "registrant counts wrong: %+v", s.Registrants(id))
	assert.Equal(t, 0, count(zoom.RegistrantStatusPending), "registrant counts wrong: %+v", s.Registrants(id))
	if _, err := c.Webinars.UpdateRegistrantQuestions(ctx, id, &zoom.UpdateRegistrantQuestionsRequest{
		Questions: []zoom.RegistrantQuestionRequest{{FieldName: "job_title", Required: zoom.Ptr(true)}}}); err != nil {
		t.Fatal(err)
	}
	if q, _, err := c.Webinars.GetRegistrantQuestions(ctx, id); err != nil || len(q.Questions) != 1 {
		t.Errorf("questions: %+v %v", q, err)
	}
	_, _, err = c.Webinars.AddPanelists(ctx, id, &zoom.AddWebinarPanelistsRequest{Panelists: []zoom.PanelistRequest{{Name: "Dr. P", Email: "p@example.org"}}})
	require.NoError(t, err)
	if pl, _, err := c.Webinars.ListPanelists(ctx, id); err != nil || pl.TotalRecords != 1 || pl.Panelists[0].Email != "p@example.org" {
		t.Errorf("panelists: %+v %v", pl, err)
	}

	// A attends 50 minutes, B never comes.
	clk.Advance(time.Hour)
	_, err = s.StartWebinar(id)
	require.NoError(t, err)
	pid, err := s.Join(id, zoomtest.Participant{Name: "A", Email: "a@example.org"})
	require.NoError(t, err)
	_, err = s.Join(id, zoomtest.Participant{Name: "Dr. P", Email: "p@example.org"})
	require.NoError(t, err)
	clk.Advance(50 * time.Minute)
	err = s.Leave(id, pid)
	require.NoError(t, err)
	clk.Advance(10 * time.Minute)
	err = s.EndWebinar(id)
	require.NoError(t, err)
	clk.Advance(zoomtest.DefaultReportDelay)
	parts, _, err := c.Reports.ListWebinarParticipants(ctx, zoom.LatestOf(id),
		&zoom.ListWebinarParticipantsReportOptions{IncludeFields: zoom.ParticipantIncludeFieldRegistrantID})
	require.NoError(t, err)
	if len(parts.Participants) != 2 || parts.Participants[0].UserEmail != "a@example.org" || parts.Participants[0].Duration != 3000 ||
		parts.Participants[0].RegistrantID != regs[0].ID {
		t.Errorf("report participants: %+v", parts.Participants)
	}
	abs, _, err := c.Webinars.ListAbsentees(ctx, zoom.LatestOf(id), nil)
	if err != nil || abs.TotalRecords != 1 || abs.Registrants[0].Email != "b@example.org" {
		t.Errorf("absentees: %+v %v", abs, err)
	}
	inst, _, err := c.Webinars.ListPastInstances(ctx, id)
	require.NoError(t, err, "instances: %+v %v", inst, err)
	require.Len(t, inst.Webinars, 1, "instances: %+v %v", inst, err)
	report, _, err := c.Reports.GetWebinar(ctx, zoom.InstanceID(inst.Webinars[0].UUID))
	if err != nil || report.Duration != 60 || report.ParticipantsCount != 2 {
		t.Errorf("report webinar: %+v %v", report, err)
	}

	// Recording.
	err = s.CompleteRecording(id)
	require.NoError(t, err)
	day := zoom.DateOf(clk.Now())
	recs, _, err := c.CloudRecordings.List(ctx, "me", &zoom.ListRecordingsOptions{From: day, To: day})
	if err != nil || len(recs.Meetings) != 1 || recs.Meetings[0].RecordingCount != 3 {
		t.Errorf("recordings: %+v %v", recs, err)
	}
	want := []string{"webinar.created", "webinar.registration_created", "webinar.registration_created", "webinar.registration_created",
		"webinar.registration_approved", "webinar.registration_approved", "webinar.registration_denied",
		"webinar.started", "webinar.participant_joined", "webinar.participant_joined", "webinar.participant_left",
		"webinar.participant_left", "webinar.ended", "recording.completed"}
	if got := rec.names(); !equal(got, want) {
		t.Errorf("events\n got %v\nwant %v", got, want)
	}
	if ev := rec.last("recording.completed"); ev == nil || ev.DownloadToken == "" {
		t.Error("recording.completed without a download_token")
	}
	checkEvents(t, s)
}

func TestMeetingReportsAndUUIDEncoding(t *testing.T) {
	s, clk := startAt(t, time.Now().UTC().Truncate(time.Hour))
	tok := token(t, s, "me")
	a := do(t, s, tok, "POST", "/users/me/meetings", map[string]any{"topic": "Sync"})
	id := zoom.ID(a.Body["id"].(float64))
	uuid := a.Body["uuid"].(string)
	require.Equal(t, byte('/'), uuid[0], "the first UUID of seed 1 should start with '/': %q", uuid)
	_, err := s.StartMeeting(id)
	require.NoError(t, err)
	p1, _ := s.Join(id, zoomtest.Participant{Name: "Host", Email: "owner@example.com"})
	clk.Advance(10 * time.Minute)
	_, _ = s.Join(id, zoomtest.Participant{Name: "Guest"})
	clk.Advance(10 * time.Minute)
	_ = s.Leave(id, p1)
	_ = s.EndMeeting(id)
	clk.Advance(zoomtest.DefaultReportDelay)

	// Double-encoded UUIDs work; encoded once they name nothing, as at Zoom.
	a = do(t, s, tok, "GET", "/past_meetings/"+url.PathEscape(url.PathEscape(uuid)), nil)
	assert.Equal(t, 200, a.Status, "double-encoded: %d %s", a.Status, a.Raw)
	assert.Equal(t, float64(20), a.Body["duration"].(float64), "double-encoded: %d %s", a.Status, a.Raw)
	a = do(t, s, tok, "GET", "/past_meetings/"+url.PathEscape(uuid), nil)
	assert.Equal(t, 404, a.Status, "encoded once: %d %s", a.Status, a.Raw)
	assert.Equal(t, 3001, code(a), "encoded once: %d %s", a.Status, a.Raw)
	c := s.Client("me")
	ctx := context.Background()
	rp, resp, err := c.Reports.ListMeetingParticipants(ctx, zoom.InstanceID(uuid), &zoom.ListMeetingParticipantsReportOptions{PageSize: 1})
	if err != nil || rp.TotalRecords != 2 || resp.NextPageToken == "" {
		t.Fatalf("report participants: %+v %v", rp, err)
	}
	host := rp.Participants[0]
	assert.Equal(t, s.OwnerID(), host.ID, "host row %+v", host)
	assert.Equal(t, 1200, host.Duration, "host row %+v", host)
	if d, _, err := c.Reports.GetMeeting(ctx, zoom.InstanceID(uuid)); err != nil || d.Duration != 20 || d.ParticipantsCount != 2 {
		t.Errorf("report meeting: %+v %v", d, err)
	}
	day := zoom.DateOf(clk.Now())
	um, _, err := c.Reports.ListMeetings(ctx, "me", &zoom.ListMeetingsReportOptions{From: day, To: day})
	if err != nil || len(um.Meetings) != 1 {
		t.Errorf("report user meetings: %+v %v", um, err)
	}
	// No recording yet: 404 with code 3301.
	a = do(t, s, tok, "GET", fmt.Sprintf("/meetings/%d/recordings", id), nil)
	assert.Equal(t, 404, a.Status, "no recording: %d %s", a.Status, a.Raw)
	assert.Equal(t, 3301, code(a), "no recording: %d %s", a.Status, a.Raw)
}
