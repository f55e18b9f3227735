package zoomtest_test

import (
	"context"
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zoomkit/zoomkit/zoom"
	"github.com/zoomkit/zoomkit/zoom/zoomtest"
)

func TestMeetingLifecycle(t *testing.T) {
	s, clk := start(t)
	c := s.Client("me")
	ctx := context.Background()

	startAt := clk.Now().Add(24 * time.Hour)
	m, _, err := c.Meetings.Create(ctx, "me", &zoom.CreateMeetingRequest{
		Topic: "Planning", Type: zoom.MeetingTypeScheduled, StartTime: zoom.NewTime(startAt), Duration: 45, Timezone: "UTC",
	})
	require.NoError(t, err)
	if m.ID < 1_000_000_000 || m.ID >= 100_000_000_000 {
		t.Errorf("meeting id %d is not 10 or 11 digits", m.ID)
	}
	if !regexp.MustCompile(`^[A-Za-z0-9+/]{22}==$`).MatchString(m.UUID) {
		t.Errorf("uuid %q is not Zoom-shaped", m.UUID)
	}
	if m.HostID != s.OwnerID() || !m.StartTime.Equal(startAt) || m.Duration != 45 {
		t.Errorf("created %+v", m)
	}
	assert.True(t, strings.HasPrefix(m.JoinURL, s.URL()+"/j/"), "join_url %q", m.JoinURL)

	got, _, err := c.Meetings.Get(ctx, m.ID, nil)
	require.NoError(t, err, "get: %+v %v", got, err)
	require.Equal(t, "Planning", got.Topic, "get: %+v %v", got, err)

	_, err = c.Meetings.Update(ctx, m.ID, &zoom.UpdateMeetingRequest{Topic: zoom.Ptr("Planning v2"), Duration: zoom.Ptr(60)}, nil)
	require.NoError(t, err)
	v, _ := s.Meeting(m.ID)
	assert.Equal(t, "Planning v2", v.Topic, "after update: %+v", v)
	assert.Equal(t, 60, v.Duration, "after update: %+v", v)
	assert.Equal(t, 1, v.Updates, "after update: %+v", v)

	inv, _, err := c.Meetings.GetInvitation(ctx, m.ID)
	if err != nil || !strings.Contains(inv.Invitation, "Planning v2") {
		t.Errorf("invitation: %+v %v", inv, err)
	}

	_, err = c.Meetings.Delete(ctx, m.ID, nil)
	require.NoError(t, err)
	_, _, err = c.Meetings.Get(ctx, m.ID, nil)
	var apiErr *zoom.APIError
	require.ErrorAs(t, err, &apiErr, "get after delete: %v", err)
	require.Equal(t, 404, apiErr.StatusCode, "get after delete: %v", err)
	require.Equal(t, 3001, apiErr.Code, "get after delete: %v", err)
	require.ErrorIs(t, err, zoom.ErrNotFound, "get after delete: %v", err)
	_, err = c.Meetings.Delete(ctx, m.ID, nil)
	assert.ErrorIs(t, err, zoom.ErrNotFound, "second delete: %v", err)
	_, err = c.Meetings.UpdateStatus(ctx, m.ID, &zoom.UpdateMeetingStatusRequest{Action: zoom.MeetingActionRecover})
	require.NoError(t, err, "recover")
	_, _, err = c.Meetings.Get(ctx, m.ID, nil)
	assert.NoError(t, err, "get after recover")
}

func TestMeetingListTypes(t *testing.T) {
	s, clk := start(t)
	c := s.Client("me")
	ctx := context.Background()
	create := func(topic string, at time.Time) zoom.ID {
		m, _, err := c.Meetings.Create(ctx, "me", &zoom.CreateMeetingRequest{Topic: topic, Type: zoom.MeetingTypeScheduled, StartTime: zoom.NewTime(at), Duration: 30})
		require.NoError(t, err)
		return m.ID
	}
	create("tomorrow", clk.Now().Add(24*time.Hour))
	create("in an hour", clk.Now().Add(time.Hour))
	past := create("now", clk.Now())
	clk.Advance(2 * time.Hour) // "now" is over
	_, err := s.StartMeeting(past)
	require.NoError(t, err)
	err = s.EndMeeting(past)
	require.NoError(t, err)
	topics := func(typ zoom.MeetingListType) []string {
		list, _, err := c.Meetings.List(ctx, "me", &zoom.ListMeetingsOptions{Type: typ})
		require.NoError(t, err)
		var out []string
		for _, m := range list.Meetings {
			out = append(out, m.Topic)
		}
		return out
	}
	assert.Equal(t, "now,in an hour,tomorrow", strings.Join(topics(zoom.MeetingListTypeScheduled), ","), "scheduled")
	assert.Equal(t, "tomorrow", strings.Join(topics(zoom.MeetingListTypeUpcoming), ","), "upcoming")
	assert.Equal(t, "now,in an hour", strings.Join(topics(zoom.MeetingListTypePreviousMeetings), ","), "previous")
}

func TestRecurringOccurrences(t *testing.T) {
	s, clk := start(t)
	c := s.Client("me")
	ctx := context.Background()
	five := 5
	m, _, err := c.Meetings.Create(ctx, "me", &zoom.CreateMeetingRequest{
		Topic: "Daily", Type: zoom.MeetingTypeRecurringFixedTime, StartTime: zoom.NewTime(clk.Now().Add(time.Hour)), Duration: 15,
		Recurrence: &zoom.RecurrenceRequest{Type: 1, RepeatInterval: zoom.Ptr(1), EndTimes: &five},
	})
	require.NoError(t, err)
	require.Len(t, m.Occurrences, 5, "occurrences = %d, want 5", len(m.Occurrences))
	second := m.Occurrences[1]
	assert.True(t, second.StartTime.Equal(clk.Now().Add(25*time.Hour)), "second occurrence at %v", second.StartTime)
	_, err = c.Meetings.Delete(ctx, m.ID, &zoom.DeleteMeetingOptions{OccurrenceID: second.OccurrenceID})
	require.NoError(t, err)
	got, _, err := c.Meetings.Get(ctx, m.ID, nil)
	require.NoError(t, err, "after deleting one occurrence: %d %v", len(got.Occurrences), err)
	require.Len(t, got.Occurrences, 4, "after deleting one occurrence: %d %v", len(got.Occurrences), err)
	_, err = c.Meetings.Delete(ctx, m.ID, &zoom.DeleteMeetingOptions{OccurrenceID: "123"})
	var apiErr *zoom.APIError
	if !errors.As(err, &apiErr) || apiErr.Code != 300 {
		t.Errorf("bad occurrence: %v", err)
	}
	// Weekly on Tuesday and Thursday (1 = Sunday), 4 times.
	four := 4
	w, _, err := c.Meetings.Create(ctx, "me", &zoom.CreateMeetingRequest{
		Topic: "Weekly", Type: zoom.MeetingTypeRecurringFixedTime, StartTime: zoom.NewTime(clk.Now().Add(time.Hour)), Duration: 15,
		Recurrence: &zoom.RecurrenceRequest{Type: 2, RepeatInterval: zoom.Ptr(1), WeeklyDays: zoom.Ptr("3,5"), EndTimes: &four},
	})
	require.NoError(t, err)
	var days []string
	for _, o := range w.Occurrences {
		days = append(days, o.StartTime.Weekday().String()[:3])
	}
	assert.Equal(t, "Tue,Thu,Tue,Thu", strings.Join(days, ","), "weekly days")
}

func TestPaginationAndExpiredPageToken(t *testing.T) {
	s, clk := start(t)
	c := s.Client("me")
	ctx := context.Background()
	for i := range 7 {
		_, _, err := c.Meetings.Create(ctx, "me", &zoom.CreateMeetingRequest{Topic: "m", Type: zoom.MeetingTypeScheduled, StartTime: zoom.NewTime(clk.Now().Add(time.Duration(i+1) * time.Hour))})
		require.NoError(t, err)
	}
	n := 0
	for m, err := range c.Meetings.ListAll(ctx, "me", &zoom.ListMeetingsOptions{PageSize: 3}) {
		require.NoError(t, err)
		_ = m
		n++
	}
	assert.Equal(t, 7, n, "ListAll gave %d meetings, want 7", n)
	first, resp, err := c.Meetings.List(ctx, "me", &zoom.ListMeetingsOptions{PageSize: 3})
	if err != nil || resp.NextPageToken == "" || len(first.Meetings) != 3 || first.TotalRecords != 7 {
		t.Fatalf("first page: %+v %v", first, err)
	}
	clk.Advance(16 * time.Minute)
	_, _, err = c.Meetings.List(ctx, "me", &zoom.ListMeetingsOptions{PageSize: 3, NextPageToken: resp.NextPageToken})
	var apiErr *zoom.APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 400 || apiErr.Code != 300 || apiErr.Message != "The next page token is invalid or expired." {
		t.Errorf("expired token: %v", err)
	}
}

func TestDeterministicIDs(t *testing.T) {
	ids := func() []zoom.ID {
		s, err := zoomtest.NewServer(zoomtest.WithSeed(42))
		require.NoError(t, err)
		defer s.Close()
		c := s.Client("me")
		var out []zoom.ID
		for range 3 {
			m, _, err := c.Meetings.Create(context.Background(), "me", &zoom.CreateMeetingRequest{Topic: "x"})
			require.NoError(t, err)
			out = append(out, m.ID)
		}
		return out
	}
	a, b := ids(), ids()
	for i := range a {
		require.Equal(t, b[i], a[i], "ids differ: %v vs %v", a, b)
	}
}

func TestMeetingRegistrants(t *testing.T) {
	s, clk := start(t)
	c := s.Client("me")
	ctx := context.Background()
	m, _, err := c.Meetings.Create(ctx, "me", &zoom.CreateMeetingRequest{Topic: "Open day", Type: zoom.MeetingTypeScheduled,
		StartTime: zoom.NewTime(clk.Now().Add(time.Hour)), Settings: &zoom.MeetingSettingsRequest{ApprovalType: zoom.Ptr(zoom.ApprovalType(0))}})
	require.NoError(t, err)
	batch, _, err := c.Meetings.AddBatchRegistrants(ctx, m.ID, &zoom.AddBatchRegistrantsRequest{Registrants: []zoom.BatchRegistrant{
		{Email: "a@example.org", FirstName: "A"}, {Email: "b@example.org", FirstName: "B"}}})
	require.NoError(t, err, "batch: %+v %v", batch, err)
	require.Len(t, batch.Registrants, 2, "batch: %+v %v", batch, err)
	list, _, err := c.Meetings.ListRegistrants(ctx, m.ID, nil) // approved by default
	require.NoError(t, err, "approved: %+v %v", list, err)
	require.Equal(t, 2, list.TotalRecords, "approved: %+v %v", list, err)
	a := list.Registrants[0]
	if _, err := c.Meetings.UpdateRegistrantStatus(ctx, m.ID, &zoom.UpdateRegistrantStatusRequest{Action: zoom.RegistrantActionCancel,
		Registrants: []zoom.RegistrantRef{{ID: a.ID}}}, nil); err != nil {
		t.Fatal(err)
	}
	denied, _, err := c.Meetings.ListRegistrants(ctx, m.ID, &zoom.ListMeetingRegistrantsOptions{Status: zoom.RegistrantStatusDenied})
	if err != nil || denied.TotalRecords != 1 || denied.Registrants[0].Email != "a@example.org" {
		t.Errorf("denied: %+v %v", denied, err)
	}
	_, err = c.Meetings.DeleteRegistrant(ctx, m.ID, a.ID, nil)
	require.NoError(t, err)
	_, _, err = c.Meetings.GetRegistrant(ctx, m.ID, a.ID)
	var apiErr *zoom.APIError
	if !errors.As(err, &apiErr) || apiErr.Code != 3079 {
		t.Errorf("deleted registrant: %v", err)
	}
	if _, err := c.Meetings.UpdateRegistrantQuestions(ctx, m.ID, &zoom.UpdateRegistrantQuestionsRequest{
		Questions: []zoom.RegistrantQuestionRequest{{FieldName: "org", Required: zoom.Ptr(true)}}}); err != nil {
		t.Fatal(err)
	}
	q, _, err := c.Meetings.GetRegistrantQuestions(ctx, m.ID)
	if err != nil || len(q.Questions) != 1 || q.Questions[0].FieldName != "org" {
		t.Errorf("questions: %+v %v", q, err)
	}

	// Without registration, adding a registrant fails.
	plain, _, _ := c.Meetings.Create(ctx, "me", &zoom.CreateMeetingRequest{Topic: "No registration"})
	_, _, err = c.Meetings.AddRegistrant(ctx, plain.ID, &zoom.AddRegistrantRequest{Email: "z@example.org", FirstName: "Z"}, nil)
	if !errors.As(err, &apiErr) || apiErr.Code != 3000 {
		t.Errorf("registration off: %v", err)
	}
}

// A start time without a zone is read in the meeting's time zone.
func TestLocalStartTime(t *testing.T) {
	s, _ := start(t)
	tok := token(t, s, "me")
	a := do(t, s, tok, "POST", "/users/me/meetings", map[string]any{"topic": "NY", "start_time": "2026-03-20T10:00:00", "timezone": "America/New_York"})
	assert.Equal(t, 201, a.Status, "local start time: %d %s", a.Status, a.Raw)
	assert.Equal(t, "2026-03-20T14:00:00Z", a.Body["start_time"], "local start time: %d %s", a.Status, a.Raw)
	assert.Equal(t, "America/New_York", a.Body["timezone"], "local start time: %d %s", a.Status, a.Raw)
	a = do(t, s, tok, "POST", "/users/me/meetings", map[string]any{"topic": "x", "timezone": "Mars/Olympus_Mons"})
	assert.Equal(t, 400, a.Status, "unknown time zone: %d %s", a.Status, a.Raw)
	assert.Equal(t, 300, code(a), "unknown time zone: %d %s", a.Status, a.Raw)
}
