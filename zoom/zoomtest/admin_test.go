package zoomtest_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zoomkit/zoomkit/zoom"
	"github.com/zoomkit/zoomkit/zoom/zoomtest"
)

func TestAdminSurface(t *testing.T) {
	s, clk := start(t)
	rec := subscribe(t, s, clk)
	c := s.Client("me")
	ctx := context.Background()
	u, _ := s.AddUser(zoomtest.User{Email: "kim@example.com", FirstName: "Kim"})

	_, err := c.Users.Update(ctx, u.ID, &zoom.UpdateUserRequest{FirstName: zoom.Ptr("Kimberly"), Dept: zoom.Ptr("Sales"), JobTitle: zoom.Ptr("Rep")}, nil)
	require.NoError(t, err)
	got, _, err := c.Users.Get(ctx, u.ID, nil)
	require.NoError(t, err, "after update: %+v %v", got, err)
	require.Equal(t, "Kimberly", got.FirstName, "after update: %+v %v", got, err)
	require.Equal(t, "Sales", got.Dept, "after update: %+v %v", got, err)
	all := s.Users()
	assert.Len(t, all, 2, "Users() = %d", len(all))

	// Groups: list, rename, move a member, delete.
	g1, err := s.AddGroup("Sales", u.ID)
	require.NoError(t, err)
	g2, _, err := c.Groups.Create(ctx, &zoom.CreateGroupRequest{Name: "EMEA"})
	require.NoError(t, err)
	list, _, err := c.Groups.List(ctx, nil)
	require.NoError(t, err, "groups %+v %v", list, err)
	require.Equal(t, 2, list.TotalRecords, "groups %+v %v", list, err)
	_, err = c.Groups.Update(ctx, g1, &zoom.UpdateGroupRequest{Name: zoom.Ptr("Sales EU")})
	require.NoError(t, err)
	_, err = c.Groups.UpdateMember(ctx, g1, u.ID, &zoom.UpdateGroupMemberRequest{Action: zoom.GroupMemberActionMove, TargetGroupID: zoom.Ptr(g2.ID)})
	require.NoError(t, err)
	if g, _ := s.Group(g2.ID); len(g.Members) != 1 || g.Members[0] != u.ID {
		t.Errorf("after move: %+v", g)
	}
	if g, _ := s.Group(g1); g.Name != "Sales EU" || len(g.Members) != 0 {
		t.Errorf("after move: %+v", g)
	}
	_, err = c.Groups.Delete(ctx, g1)
	require.NoError(t, err)
	if _, ok := s.Group(g1); ok {
		t.Error("group still there")
	}

	// Roles: create, read, update, delete.
	r, _, err := c.Roles.Create(ctx, &zoom.CreateRoleRequest{Name: "Auditor", Description: "Reads reports", Privileges: []string{"Report:Read"}})
	require.NoError(t, err)
	_, _, err = c.Roles.Create(ctx, &zoom.CreateRoleRequest{Name: "auditor"})
	assert.Error(t, err, "duplicate role name accepted")
	_, err = c.Roles.Update(ctx, r.ID, &zoom.UpdateRoleRequest{Description: zoom.Ptr("Reads everything")})
	require.NoError(t, err)
	rr, _, err := c.Roles.Get(ctx, r.ID)
	require.NoError(t, err, "role %+v %v", rr, err)
	require.Equal(t, "Reads everything", rr.Description, "role %+v %v", rr, err)
	_, err = c.Roles.Delete(ctx, r.ID)
	require.NoError(t, err)
	var apiErr *zoom.APIError
	if _, _, err := c.Roles.Get(ctx, r.ID); !errors.As(err, &apiErr) || apiErr.Code != 1034 {
		t.Errorf("deleted role: %v", err)
	}
	_, err = c.Roles.Delete(ctx, "2")
	assert.Error(t, err, "deleted a built-in role")

	want := []string{"user.updated", "group.created", "group.updated", "group.deleted"}
	if got := rec.names(); !equal(got, want) {
		t.Errorf("events %v, want %v", got, want)
	}
}

func TestUpcomingInstancesAndRecordings(t *testing.T) {
	s, clk := start(t)
	c := s.Client("me")
	ctx := context.Background()
	soon, _, _ := c.Meetings.Create(ctx, "me", &zoom.CreateMeetingRequest{Topic: "Soon", Type: zoom.MeetingTypeScheduled, StartTime: zoom.NewTime(clk.Now().Add(2 * time.Hour))})
	_, _, _ = c.Meetings.Create(ctx, "me", &zoom.CreateMeetingRequest{Topic: "Next week", Type: zoom.MeetingTypeScheduled, StartTime: zoom.NewTime(clk.Now().Add(7 * 24 * time.Hour))})
	up, _, err := c.Meetings.ListUpcoming(ctx, "me")
	require.NoError(t, err, "upcoming 24h: %+v %v", up, err)
	require.Len(t, up.Meetings, 1, "upcoming 24h: %+v %v", up, err)
	require.Equal(t, "Soon", up.Meetings[0].Topic, "upcoming 24h: %+v %v", up, err)
	// Two instances of one meeting, with a recording of the second.
	for range 2 {
		_, err := s.StartMeeting(soon.ID)
		require.NoError(t, err)
		clk.Advance(30 * time.Minute)
		err = s.EndMeeting(soon.ID)
		require.NoError(t, err)
	}
	inst, _, err := c.Meetings.ListPastInstances(ctx, soon.ID)
	if err != nil || len(inst.Meetings) != 2 || inst.Meetings[0].UUID == inst.Meetings[1].UUID {
		t.Fatalf("instances %+v %v", inst, err)
	}
	err = s.CompleteRecording(soon.ID)
	require.NoError(t, err)
	r, _, err := c.CloudRecordings.Get(ctx, zoom.LatestOf(soon.ID), nil)
	require.NoError(t, err, "recording: %+v %v", r, err)
	require.Equal(t, 3, r.RecordingCount, "recording: %+v %v", r, err)
	require.Equal(t, inst.Meetings[1].UUID, r.UUID, "recording: %+v %v", r, err)
	_, err = c.CloudRecordings.Delete(ctx, zoom.LatestOf(soon.ID), nil)
	assert.NoError(t, err, "delete recording")
	var apiErr *zoom.APIError
	if _, _, err := c.CloudRecordings.Get(ctx, zoom.LatestOf(soon.ID), nil); !errors.As(err, &apiErr) || apiErr.Code != 3301 {
		t.Errorf("after delete: %v", err)
	}
	// A monthly recurring meeting on the 31st skips short months.
	three := 3
	m, _, err := c.Meetings.Create(ctx, "me", &zoom.CreateMeetingRequest{Topic: "Month end", Type: zoom.MeetingTypeRecurringFixedTime,
		StartTime: zoom.NewTime(time.Date(2026, 3, 31, 15, 0, 0, 0, time.UTC)), Recurrence: &zoom.RecurrenceRequest{Type: 3, MonthlyDay: zoom.Ptr(31), EndTimes: &three}})
	require.NoError(t, err)
	var months []string
	for _, o := range m.Occurrences {
		months = append(months, o.StartTime.Format("Jan 2"))
	}
	if !equal(months, []string{"Mar 31", "May 31", "Jul 31"}) {
		t.Errorf("monthly: %v", months)
	}
}

func TestWebinarUpdateEndDelete(t *testing.T) {
	s, clk := start(t)
	c := s.Client("me")
	ctx := context.Background()
	w, _, err := c.Webinars.Create(ctx, "me", &zoom.CreateWebinarRequest{Topic: "Launch", StartTime: zoom.NewTime(clk.Now().Add(time.Hour))})
	require.NoError(t, err)
	id := w.ID
	_, err = c.Webinars.Update(ctx, id, &zoom.UpdateWebinarRequest{Topic: zoom.Ptr("Launch day")}, nil)
	require.NoError(t, err)
	if got, _, err := c.Webinars.Get(ctx, zoom.LatestOf(id), nil); err != nil || got.Topic != "Launch day" || got.Type != zoom.WebinarTypeWebinar {
		t.Errorf("get: %+v %v", got, err)
	}
	if l, _, err := c.Webinars.List(ctx, "me", nil); err != nil || l.TotalRecords != 1 {
		t.Errorf("list: %+v %v", l, err)
	}
	if _, _, err := c.Webinars.AddPanelists(ctx, id, &zoom.AddWebinarPanelistsRequest{Panelists: []zoom.PanelistRequest{
		{Name: "P1", Email: "p1@example.org"}, {Name: "P2", Email: "p2@example.org"}}}); err != nil {
		t.Fatal(err)
	}
	_, err = c.Webinars.DeletePanelist(ctx, id, "p1@example.org")
	assert.NoError(t, err, "delete panelist")
	_, err = c.Webinars.DeleteAllPanelists(ctx, id)
	assert.NoError(t, err, "delete panelists")
	_, _ = s.StartWebinar(id)
	_, _ = s.Join(id, zoomtest.Participant{Name: "Viewer"})
	clk.Advance(10 * time.Minute)
	_, err = c.Webinars.UpdateStatus(ctx, id, &zoom.UpdateWebinarStatusRequest{Action: zoom.WebinarActionEnd})
	require.NoError(t, err)
	if ps := s.Participants(id); len(ps) != 1 || ps[0].LeaveTime.Sub(ps[0].JoinTime) != 10*time.Minute {
		t.Errorf("participants %+v", ps)
	}
	// Zoom lists no participants for a one-person session (once its
	// report is made).
	clk.Advance(zoomtest.DefaultReportDelay)
	if pl, _, err := c.Webinars.ListPastParticipants(ctx, zoom.LatestOf(id), nil); err != nil || pl.TotalRecords != 0 {
		t.Errorf("past participants: %+v %v", pl, err)
	}
	_, err = c.Webinars.Delete(ctx, id, nil)
	require.NoError(t, err)
	_, _, err = c.Webinars.Get(ctx, zoom.LatestOf(id), nil)
	assert.ErrorIs(t, err, zoom.ErrNotFound, "after delete: %v", err)
	// A meeting id is not a webinar id.
	m, _, _ := c.Meetings.Create(ctx, "me", &zoom.CreateMeetingRequest{Topic: "m"})
	_, _, err = c.Webinars.Get(ctx, zoom.LatestOf(m.ID), nil)
	assert.ErrorIs(t, err, zoom.ErrNotFound, "meeting as webinar: %v", err)
}

func TestUninstallByAdminRevokesEverything(t *testing.T) {
	s, _ := start(t, zoomtest.WithAccount("acct-9"))
	cfg := oauthConfig(s)
	ts, _ := cfg.ServerToServer("acct-9")
	c, _ := zoom.NewClient(zoom.WithBaseURL(s.APIURL()), zoom.WithHTTPClient(s.HTTPClient()), zoom.WithTokenSource(ts))
	ctx := context.Background()
	_, _, err := c.Users.Get(ctx, "me", nil)
	require.NoError(t, err)
	user := connect(t, s, cfg)
	err = s.Uninstall("")
	require.NoError(t, err)
	s.ResetRequests()
	a := do(t, s, user.AccessToken, "GET", "/users/me", nil)
	assert.Equal(t, 401, a.Status, "user token after uninstall: %d", a.Status)
	tok, _ := ts.Token()
	a = do(t, s, tok.AccessToken, "GET", "/users/me", nil)
	assert.Equal(t, 401, a.Status, "s2s token after uninstall: %d", a.Status)
	n := len(s.Requests())
	assert.Equal(t, 2, n, "requests after uninstall = %d", n)
	s.RevokeAll() // nothing left to revoke
}
