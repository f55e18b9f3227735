package zoomtest_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/zoomkit/zoomkit/zoom"
	"github.com/zoomkit/zoomkit/zoom/zoomtest"
)

// A CME webinar takes attendance questions through a poll and feedback
// through a survey: polls and the survey are kept, answered by
// participants, and reported per participant after the webinar.
func TestWebinarPollsAndSurvey(t *testing.T) {
	s, clk := start(t)
	c := s.Client("me")
	ctx := t.Context()
	w, _, err := c.Webinars.Create(ctx, "me", &zoom.CreateWebinarRequest{Topic: "CME: Lipids", Type: zoom.WebinarTypeWebinar,
		StartTime: zoom.NewTime(clk.Now().Add(time.Hour)), Duration: 60,
		Settings: &zoom.WebinarSettingsRequest{ApprovalType: zoom.Ptr(zoom.ApprovalType(0))}})
	require.NoError(t, err)
	id := w.ID

	p, _, err := c.Webinars.CreatePoll(ctx, id, &zoom.CreateWebinarPollRequest{Title: "Attendance check",
		Questions: []zoom.PollQuestionRequest{{Name: "Which drug class lowers LDL most?", Type: "single", Answers: []string{"Statins", "Fibrates"}}}})
	require.NoError(t, err)
	require.NotEmpty(t, p.ID)
	anon, _, err := c.Webinars.CreatePoll(ctx, id, &zoom.CreateWebinarPollRequest{Title: "Anonymous pulse", Anonymous: zoom.Ptr(true),
		Questions: []zoom.PollQuestionRequest{{Name: "Pace?", Type: "single", Answers: []string{"Fine", "Fast"}}}})
	require.NoError(t, err)
	list, _, err := c.Webinars.ListPolls(ctx, id, nil)
	require.NoError(t, err)
	assert.Equal(t, 2, list.TotalRecords)
	_, err = c.Webinars.UpdatePoll(ctx, id, p.ID, &zoom.UpdateWebinarPollRequest{Title: zoom.Ptr("Attendance check 1")})
	require.NoError(t, err)
	got, _, err := c.Webinars.GetPoll(ctx, id, p.ID)
	require.NoError(t, err)
	assert.Equal(t, "Attendance check 1", got.Title)
	assert.Len(t, got.Questions, 1)
	_, _, err = c.Webinars.GetPoll(ctx, id, "no-such-poll")
	var apiErr *zoom.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 4400, apiErr.Code)

	sv, _, err := c.Webinars.GetSurvey(ctx, id)
	require.NoError(t, err)
	assert.Nil(t, sv.CustomSurvey, "no survey yet: the document's defaults")
	_, err = c.Webinars.UpdateSurvey(ctx, id, &zoom.UpdateWebinarSurveyRequest{CustomSurvey: &zoom.WebinarSurveyCustomSurveyRequest{Title: zoom.Ptr("Evaluation")}})
	require.NoError(t, err)
	sv, _, err = c.Webinars.GetSurvey(ctx, id)
	require.NoError(t, err)
	require.NotNil(t, sv.CustomSurvey)
	assert.Equal(t, "Evaluation", sv.CustomSurvey.Title)

	// The webinar runs: a registrant, a guest.
	_, _, err = c.Webinars.AddRegistrant(ctx, id, &zoom.AddRegistrantRequest{Email: "ada@example.org", FirstName: "Ada"}, nil)
	require.NoError(t, err)
	_, err = s.StartWebinar(id)
	require.NoError(t, err)
	ada, err := s.Join(id, zoomtest.Participant{Name: "Ada Lovelace", Email: "ada@example.org"})
	require.NoError(t, err)
	guest, err := s.Join(id, zoomtest.Participant{Name: "Guest Person", Email: "guest@elsewhere.example"})
	require.NoError(t, err)
	require.NoError(t, s.AnswerPoll(id, ada, p.ID, map[string]string{"Which drug class lowers LDL most?": "Statins"}))
	require.NoError(t, s.AnswerPoll(id, guest, p.ID, map[string]string{"Which drug class lowers LDL most?": "Fibrates"}))
	require.NoError(t, s.AnswerPoll(id, ada, anon.ID, map[string]string{"Pace?": "Fast"}))
	require.NoError(t, s.AnswerSurvey(id, ada, map[string]string{"Was it useful?": "Yes"}))
	assert.Error(t, s.AnswerPoll(id, ada, "no-such-poll", nil))
	assert.Error(t, s.AnswerPoll(id, "nobody", p.ID, nil))
	clk.Advance(45 * time.Minute)
	require.NoError(t, s.EndWebinar(id))
	clk.Advance(31 * time.Minute)

	res, _, err := c.Webinars.ListPastPollResults(ctx, zoom.LatestOf(id))
	require.NoError(t, err)
	require.Len(t, res.Questions, 3)
	byName := map[string]zoom.PollReportQuestion{}
	for _, q := range res.Questions {
		byName[q.Name] = q
	}
	assert.Equal(t, "ada@example.org", byName["Ada Lovelace"].Email, "a registrant's email is shown")
	assert.Empty(t, byName["Guest Person"].Email, "a guest's email is not")
	assert.Empty(t, byName["Anonymous Attendee"].Email)
	require.Len(t, byName["Ada Lovelace"].QuestionDetails, 1)
	assert.Equal(t, "Statins", byName["Ada Lovelace"].QuestionDetails[0].Answer)
	assert.Equal(t, p.ID, byName["Ada Lovelace"].QuestionDetails[0].PollingID)

	rep, _, err := c.Reports.GetWebinarPolls(ctx, zoom.LatestOf(id))
	require.NoError(t, err)
	assert.Len(t, rep.Questions, 3)
	survey, _, err := c.Reports.GetWebinarSurvey(ctx, zoom.LatestOf(id))
	require.NoError(t, err)
	assert.Equal(t, "Evaluation", survey.SurveyName)
	require.Len(t, survey.SurveyAnswers, 1)
	assert.Equal(t, "Yes", survey.SurveyAnswers[0].AnswerDetails[0].Answer)

	_, err = c.Webinars.DeletePoll(ctx, id, anon.ID)
	require.NoError(t, err)
	_, err = c.Webinars.DeleteSurvey(ctx, id)
	require.NoError(t, err)
	list, _, err = c.Webinars.ListPolls(ctx, id, nil)
	require.NoError(t, err)
	assert.Equal(t, 1, list.TotalRecords)
}

// Webinars.Get takes the webinar's id or the UUID of one of its instances,
// as Zoom's document says (issue 16, item 7).
func TestGetWebinarByUUID(t *testing.T) {
	s, clk := start(t)
	c := s.Client("me")
	ctx := t.Context()
	w, _, err := c.Webinars.Create(ctx, "me", &zoom.CreateWebinarRequest{Topic: "By UUID", Type: zoom.WebinarTypeWebinar,
		StartTime: zoom.NewTime(clk.Now().Add(time.Hour)), Duration: 30})
	require.NoError(t, err)
	byID, _, err := c.Webinars.Get(ctx, zoom.LatestOf(w.ID), nil)
	require.NoError(t, err)
	byUUID, _, err := c.Webinars.Get(ctx, zoom.InstanceID(w.UUID), nil)
	require.NoError(t, err)
	assert.Equal(t, byID.ID, byUUID.ID)
	assert.Equal(t, "By UUID", byUUID.Topic)
}
