package zoomtest_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/zoomkit/zoomkit/internal/spec"
	"github.com/zoomkit/zoomkit/zoom"
	"github.com/zoomkit/zoomkit/zoom/zoomtest"
)

// Every operation the fake does not model answers the document's success
// status with a body valid against the document, so users' code paths
// through rarely used endpoints still run.
func TestUnmodelledOperationsAnswerValidBodies(t *testing.T) {
	s := zoomtest.NewTestServer(t)
	answers := zoomtest.UnmodelledAnswers(s)
	require.NotEmpty(t, answers)
	withBody := 0
	for id, a := range answers {
		assert.True(t, a.Status >= 200 && a.Status < 300, "%s: status %d", id, a.Status)
		if _, ok := spec.Tolerated(id, "response", a.Valid); ok {
			// Zoom's document contradicts itself (see spec.Contradictions).
			continue
		}
		assert.NoError(t, a.Valid, "%s: the canned body does not validate: %s", id, a.Body)
		if a.Body != nil {
			withBody++
		}
	}
	t.Logf("%d unmodelled operations, %d with a JSON body", len(answers), withBody)
}

// Through the real client: an unmodelled read decodes into its typed
// result, an unmodelled write succeeds.
func TestUnmodelledOperationThroughTheClient(t *testing.T) {
	s := zoomtest.NewTestServer(t)
	c := s.Client("me")
	ctx := t.Context()
	settings, _, err := c.Users.GetSettings(ctx, "me", nil)
	require.NoError(t, err)
	require.NotNil(t, settings)
	_, err = c.Users.UpdateSettings(ctx, "me", &zoom.UpdateUserSettingsRequest{}, nil)
	assert.NoError(t, err)
}

// Every section of Zoom's Meetings, Users and Accounts documents that the
// fake does not model answers through the real client: a read of each
// decodes into its typed result.
func TestUnmodelledSectionsThroughTheClient(t *testing.T) {
	s := zoomtest.NewTestServer(t)
	c := s.Client("me")
	ctx := t.Context()
	m, _, err := c.Meetings.Create(ctx, "me", &zoom.CreateMeetingRequest{Topic: "sections"})
	require.NoError(t, err)
	today := zoom.DateOf(time.Now().UTC())
	window := func() (zoom.Date, zoom.Date) { return today.AddDays(-10), today.AddDays(-1) }
	from, to := window()
	for name, call := range map[string]func() (any, error){
		"Polls.List":          func() (any, error) { r, _, err := c.Polls.List(ctx, m.ID, nil); return r, err },
		"Surveys.GetMeeting":  func() (any, error) { r, _, err := c.Surveys.GetMeeting(ctx, m.ID); return r, err },
		"Surveys.List":        func() (any, error) { r, _, err := c.Surveys.List(ctx, nil); return r, err },
		"Summaries.List":      func() (any, error) { r, _, err := c.Summaries.List(ctx, nil); return r, err },
		"Templates.List":      func() (any, error) { r, _, err := c.Templates.List(ctx, "me"); return r, err },
		"TSP.Get":             func() (any, error) { r, _, err := c.TSP.Get(ctx); return r, err },
		"TrackingFields.List": func() (any, error) { r, _, err := c.TrackingFields.List(ctx); return r, err },
		"H323Devices.List":    func() (any, error) { r, _, err := c.H323Devices.List(ctx, nil); return r, err },
		"SIPPhones.List":      func() (any, error) { r, _, err := c.SIPPhones.List(ctx, nil); return r, err },
		"Devices.List":        func() (any, error) { r, _, err := c.Devices.List(ctx, nil); return r, err },
		"Archiving.ListFiles": func() (any, error) { r, _, err := c.Archiving.ListFiles(ctx, nil); return r, err },
		"ContactGroups.List":  func() (any, error) { r, _, err := c.ContactGroups.List(ctx, nil); return r, err },
		"Divisions.List":      func() (any, error) { r, _, err := c.Divisions.List(ctx, nil); return r, err },
		"Accounts.GetSettings": func() (any, error) {
			r, _, err := c.Accounts.GetSettings(ctx, "me", nil)
			return r, err
		},
		"Dashboards.ListMeetings": func() (any, error) {
			r, _, err := c.Dashboards.ListMeetings(ctx, &zoom.ListDashboardMeetingsOptions{From: from, To: to})
			return r, err
		},
		"InformationBarriers.List": func() (any, error) { r, _, err := c.InformationBarriers.List(ctx, nil); return r, err },
		"DataRequests.List":        func() (any, error) { r, _, err := c.DataRequests.List(ctx, nil); return r, err },
		"Meetings.GetLiveStream": func() (any, error) {
			r, _, err := c.Meetings.GetLiveStream(ctx, m.ID)
			return r, err
		},
	} {
		res, err := call()
		if assert.NoError(t, err, name) {
			assert.NotNil(t, res, name)
		}
	}
	// Writes succeed too.
	_, err = c.TrackingFields.Delete(ctx, "field")
	assert.NoError(t, err)
	_, err = c.Summaries.Delete(ctx, zoom.InstanceID(strconv.FormatInt(int64(m.ID), 10)))
	assert.NoError(t, err)
}
