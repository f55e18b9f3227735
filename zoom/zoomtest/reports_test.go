package zoomtest_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/zoomkit/zoomkit/zoom"
	"github.com/zoomkit/zoomkit/zoom/zoomtest"
)

// endedWebinar runs a webinar with two registrants, one of whom attends
// with the host, and ends it; it returns the webinar's id and the
// attending registrant's id.
func endedWebinar(t *testing.T, s *zoomtest.Server, clk *clock) (zoom.ID, string) {
	t.Helper()
	ctx := context.Background()
	c := s.Client("me")
	w, _, err := c.Webinars.Create(ctx, "me", &zoom.CreateWebinarRequest{
		Topic: "Grand rounds", Type: zoom.WebinarTypeWebinar, StartTime: zoom.NewTime(clk.Now().Add(time.Hour)), Duration: 60,
		Settings: &zoom.WebinarSettingsRequest{ApprovalType: zoom.Ptr(zoom.ApprovalType(0))},
	})
	require.NoError(t, err)
	_, _, err = c.Webinars.AddBatchRegistrants(ctx, w.ID, &zoom.AddBatchRegistrantsRequest{AutoApprove: zoom.Ptr(true),
		Registrants: []zoom.BatchRegistrant{{Email: "a@example.org", FirstName: "A"}, {Email: "b@example.org", FirstName: "B"}}})
	require.NoError(t, err)
	regs := s.Registrants(w.ID)
	require.Len(t, regs, 2)
	clk.Advance(time.Hour)
	_, err = s.StartWebinar(w.ID)
	require.NoError(t, err)
	_, err = s.Join(w.ID, zoomtest.Participant{Name: "Host", Email: "owner@example.com"})
	require.NoError(t, err)
	_, err = s.Join(w.ID, zoomtest.Participant{Name: "A", Email: "a@example.org"})
	require.NoError(t, err)
	clk.Advance(45 * time.Minute)
	require.NoError(t, s.EndWebinar(w.ID))
	return w.ID, regs[0].ID
}

// notReady checks that err is Zoom's answer for a report not made yet.
func notReady(t *testing.T, what string, err error) {
	t.Helper()
	var ae *zoom.APIError
	if !errors.As(err, &ae) {
		t.Errorf("%s: %v, want Zoom's 404/3001 while the report is being made", what, err)
		return
	}
	assert.Equal(t, 404, ae.StatusCode, what)
	assert.Equal(t, 3001, ae.Code, what)
	assert.ErrorIs(t, err, zoom.ErrNotFound, what)
}

// Zoom makes participant reports some time after the end (up to 30
// minutes by default): before that their endpoints answer 404/3001.
func TestReportsArriveAfterTheDelay(t *testing.T) {
	s, clk := start(t)
	id, _ := endedWebinar(t, s, clk)
	c := s.Client("me")
	ctx := context.Background()
	inst := zoom.LatestOf(id)

	check := func(ready bool) {
		t.Helper()
		_, _, err1 := c.Reports.ListWebinarParticipants(ctx, inst, nil)
		_, _, err2 := c.Webinars.ListPastParticipants(ctx, inst, nil)
		_, _, err3 := c.Reports.GetWebinar(ctx, inst)
		_, _, err4 := c.Webinars.ListAbsentees(ctx, inst, nil)
		for i, err := range []error{err1, err2, err3, err4} {
			what := fmt.Sprintf("call %d at %v after the end", i+1, clk.Now().Sub(s.Participants(id)[0].LeaveTime))
			if ready {
				assert.NoError(t, err, what)
			} else {
				notReady(t, what, err)
			}
		}
	}
	check(false)
	// The past webinar itself is known at once.
	_, _, err := c.Webinars.ListPastInstances(ctx, id)
	require.NoError(t, err)
	clk.Advance(29*time.Minute + 59*time.Second)
	check(false)
	clk.Advance(time.Second)
	check(true)
}

func TestReportDelayOption(t *testing.T) {
	s, clk := start(t, zoomtest.WithReportDelay(0))
	id, _ := endedWebinar(t, s, clk)
	parts, _, err := s.Client("me").Reports.ListWebinarParticipants(context.Background(), zoom.LatestOf(id), nil)
	require.NoError(t, err)
	assert.Len(t, parts.Participants, 2)

	s, clk = start(t, zoomtest.WithReportDelay(2*time.Hour))
	id, _ = endedWebinar(t, s, clk)
	clk.Advance(time.Hour)
	_, _, err = s.Client("me").Reports.ListWebinarParticipants(context.Background(), zoom.LatestOf(id), nil)
	notReady(t, "an hour after the end, with a delay of two", err)

	_, err = zoomtest.NewServer(zoomtest.WithReportDelay(-time.Second))
	assert.ErrorContains(t, err, "WithReportDelay")
}

// A meeting's report, and the list of a user's meetings, wait too.
func TestMeetingReportWaits(t *testing.T) {
	s, clk := startAt(t, time.Now().UTC().Truncate(time.Hour)) // the client checks report dates against today
	c := s.Client("me")
	ctx := context.Background()
	m, _, err := c.Meetings.Create(ctx, "me", &zoom.CreateMeetingRequest{Topic: "Sync"})
	require.NoError(t, err)
	_, err = s.StartMeeting(m.ID)
	require.NoError(t, err)
	_, _ = s.Join(m.ID, zoomtest.Participant{Name: "Host", Email: "owner@example.com"})
	_, _ = s.Join(m.ID, zoomtest.Participant{Name: "Guest"})
	clk.Advance(20 * time.Minute)
	require.NoError(t, s.EndMeeting(m.ID))

	_, _, err = c.Reports.ListMeetingParticipants(ctx, zoom.LatestOf(m.ID), nil)
	notReady(t, "report participants", err)
	_, _, err = c.Reports.GetMeeting(ctx, zoom.LatestOf(m.ID))
	notReady(t, "report details", err)
	_, _, err = c.Meetings.ListPastParticipants(ctx, zoom.LatestOf(m.ID), nil)
	notReady(t, "past participants", err)
	day := zoom.DateOf(clk.Now())
	um, _, err := c.Reports.ListMeetings(ctx, "me", &zoom.ListMeetingsReportOptions{From: day, To: day})
	require.NoError(t, err)
	assert.Empty(t, um.Meetings, "a meeting whose report is not made yet is not listed")
	// The past meeting's details are there at once.
	_, _, err = c.Meetings.GetPast(ctx, zoom.LatestOf(m.ID))
	require.NoError(t, err)

	clk.Advance(30 * time.Minute)
	rp, _, err := c.Reports.ListMeetingParticipants(ctx, zoom.LatestOf(m.ID), nil)
	require.NoError(t, err)
	assert.Len(t, rp.Participants, 2)
	um, _, err = c.Reports.ListMeetings(ctx, "me", &zoom.ListMeetingsReportOptions{From: day, To: day})
	require.NoError(t, err)
	assert.Len(t, um.Meetings, 1)
}

// registrant_id is in a participant report only when include_fields asks
// for it, as Zoom's document says.
func TestReportRegistrantIDOnlyWhenAsked(t *testing.T) {
	s, clk := start(t, zoomtest.WithReportDelay(0))
	id, regID := endedWebinar(t, s, clk)
	tok := token(t, s, "me")
	a := do(t, s, tok, "GET", fmt.Sprintf("/report/webinars/%d/participants", id), nil)
	require.Equal(t, 200, a.Status, a.Raw)
	assert.NotContains(t, a.Raw, "registrant_id")

	c := s.Client("me")
	parts, _, err := c.Reports.ListWebinarParticipants(context.Background(), zoom.LatestOf(id),
		&zoom.ListWebinarParticipantsReportOptions{IncludeFields: zoom.ParticipantIncludeFieldRegistrantID})
	require.NoError(t, err)
	var got []string
	for _, p := range parts.Participants {
		got = append(got, p.Name+":"+p.RegistrantID)
	}
	assert.Equal(t, []string{"Host:", "A:" + regID}, got)
	a = do(t, s, tok, "GET", fmt.Sprintf("/report/webinars/%d/participants?include_fields=registrant_id", id), nil)
	assert.Equal(t, 1, strings.Count(a.Raw, regID), a.Raw)
}
