package zoomtest

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/zoomkit/zoomkit/zoom"
)

// poll is a webinar poll or quiz.
type poll struct {
	ID        string
	Title     string
	Status    string // notstart, started, ended, sharing
	Anonymous bool
	PollType  int
	Questions []any // as sent: the document's question objects
}

func (p *poll) json() map[string]any {
	qs := p.Questions
	if qs == nil {
		qs = []any{}
	}
	return map[string]any{"id": p.ID, "title": p.Title, "status": p.Status, "anonymous": p.Anonymous,
		"poll_type": p.PollType, "questions": qs}
}

// answer is one participant's answer to one poll or survey question.
type answer struct {
	PollID   string // "" for the survey
	Name     string
	Email    string
	Question string
	Answer   string
	Time     time.Time
}

// pollBody is the body of POST and PUT /webinars/{webinarId}/polls.
type pollBody struct {
	Title     *string `json:"title"`
	Anonymous *bool   `json:"anonymous"`
	PollType  *int    `json:"poll_type"`
	Questions []any   `json:"questions"`
}

func (b pollBody) apply(p *poll) {
	if b.Title != nil {
		p.Title = *b.Title
	}
	if b.Anonymous != nil {
		p.Anonymous = *b.Anonymous
	}
	if b.PollType != nil {
		p.PollType = *b.PollType
	}
	if b.Questions != nil {
		p.Questions = b.Questions
	}
}

// GET /webinars/{webinarId}/polls
func listWebinarPolls(c *call) (result, *apiError) {
	m, e := c.liveWebinar()
	if e != nil {
		return failed(e)
	}
	anon := c.query.Get("anonymous") == "true"
	items := []map[string]any{}
	for _, p := range m.polls {
		if c.query.Has("anonymous") && p.Anonymous != anon {
			continue
		}
		items = append(items, p.json())
	}
	return ok(map[string]any{"polls": items, "total_records": len(items)})
}

// POST /webinars/{webinarId}/polls
func createWebinarPoll(c *call) (result, *apiError) {
	m, e := c.liveWebinar()
	if e != nil {
		return failed(e)
	}
	var b pollBody
	if err := json.Unmarshal(c.body, &b); err != nil {
		return failed(fail(http.StatusBadRequest, 300, "Invalid request body."))
	}
	p := &poll{ID: c.st.ids.userID(), Status: "notstart", PollType: 1}
	b.apply(p)
	m.polls = append(m.polls, p)
	return created(p.json())
}

// webinarPoll resolves {webinarId} and {pollId}: the webinar, the poll and
// its index.
func (c *call) webinarPoll() (*meeting, *poll, int, *apiError) {
	m, e := c.liveWebinar()
	if e != nil {
		return nil, nil, -1, e
	}
	id := c.params["pollId"]
	for i, p := range m.polls {
		if p.ID == id {
			return m, p, i, nil
		}
	}
	return nil, nil, -1, fail(http.StatusBadRequest, 4400, "Invalid poll IDs.")
}

// GET /webinars/{webinarId}/polls/{pollId}
func getWebinarPoll(c *call) (result, *apiError) {
	_, p, _, e := c.webinarPoll()
	if e != nil {
		return failed(e)
	}
	return ok(p.json())
}

// PUT /webinars/{webinarId}/polls/{pollId}
func updateWebinarPoll(c *call) (result, *apiError) {
	_, p, _, e := c.webinarPoll()
	if e != nil {
		return failed(e)
	}
	var b pollBody
	if err := json.Unmarshal(c.body, &b); err != nil {
		return failed(fail(http.StatusBadRequest, 300, "Invalid request body."))
	}
	b.apply(p)
	return noContent()
}

// DELETE /webinars/{webinarId}/polls/{pollId}
func deleteWebinarPoll(c *call) (result, *apiError) {
	m, _, i, e := c.webinarPoll()
	if e != nil {
		return failed(e)
	}
	m.polls = slices.Delete(m.polls, i, i+1)
	return noContent()
}

// defaultSurvey is what a webinar without a survey reports: the
// document's defaults.
func defaultSurvey() map[string]any {
	return map[string]any{"show_in_the_browser": true, "show_in_the_follow_up_email": false}
}

// GET /webinars/{webinarId}/survey
func getWebinarSurvey(c *call) (result, *apiError) {
	m, e := c.liveWebinar()
	if e != nil {
		return failed(e)
	}
	if m.survey == nil {
		return ok(defaultSurvey())
	}
	return ok(m.survey)
}

// PATCH /webinars/{webinarId}/survey
func updateWebinarSurvey(c *call) (result, *apiError) {
	m, e := c.liveWebinar()
	if e != nil {
		return failed(e)
	}
	var b map[string]any
	if err := json.Unmarshal(c.body, &b); err != nil {
		return failed(fail(http.StatusBadRequest, 300, "Invalid request body."))
	}
	if m.survey == nil {
		m.survey = defaultSurvey()
	}
	maps.Copy(m.survey, b)
	return noContent()
}

// DELETE /webinars/{webinarId}/survey
func deleteWebinarSurvey(c *call) (result, *apiError) {
	m, e := c.liveWebinar()
	if e != nil {
		return failed(e)
	}
	m.survey = nil
	return noContent()
}

// liveWebinar resolves {webinarId} to a webinar that is not deleted.
func (c *call) liveWebinar() (*meeting, *apiError) {
	m, _, e := c.webinar("webinarId")
	if e != nil {
		return nil, e
	}
	if m.deleted {
		return nil, fail(http.StatusNotFound, 3001, "Webinar does not exist: %s.", c.params["webinarId"])
	}
	return m, nil
}

// GET /past_webinars/{webinarId}/polls and /report/webinars/{webinarId}/polls
func pastWebinarPolls(c *call) (result, *apiError) { return c.pollResults(false) }
func reportWebinarPolls(c *call) (result, *apiError) {
	return c.pollResults(true)
}

func (c *call) pollResults(report bool) (result, *apiError) {
	m, in, e := c.pastInstance("webinarId", true)
	if e != nil {
		return failed(e)
	}
	type who struct{ name, email string }
	var order []who
	details := map[who][]map[string]any{}
	for _, a := range in.answers {
		if a.PollID == "" {
			continue
		}
		w := who{a.Name, a.Email}
		if _, seen := details[w]; !seen {
			order = append(order, w)
		}
		details[w] = append(details[w], map[string]any{"polling_id": a.PollID, "question": a.Question,
			"answer": a.Answer, "date_time": zoomTime(a.Time)})
	}
	items := []map[string]any{}
	for _, w := range order {
		it := map[string]any{"name": w.name, "email": w.email, "question_details": details[w]}
		if report {
			first, last, _ := strings.Cut(w.name, " ")
			it["first_name"], it["last_name"] = first, last
		}
		items = append(items, it)
	}
	return ok(map[string]any{"id": m.ID, "uuid": in.UUID, "start_time": zoomTime(in.StartTime), "questions": items})
}

// GET /report/webinars/{webinarId}/survey
func reportWebinarSurvey(c *call) (result, *apiError) {
	m, in, e := c.pastInstance("webinarId", true)
	if e != nil {
		return failed(e)
	}
	type who struct{ name, email string }
	var order []who
	details := map[who][]map[string]any{}
	for _, a := range in.answers {
		if a.PollID != "" {
			continue
		}
		w := who{a.Name, a.Email}
		if _, seen := details[w]; !seen {
			order = append(order, w)
		}
		details[w] = append(details[w], map[string]any{"question": a.Question, "answer": a.Answer, "date_time": zoomTime(a.Time)})
	}
	items := []map[string]any{}
	for _, w := range order {
		first, last, _ := strings.Cut(w.name, " ")
		items = append(items, map[string]any{"name": w.name, "email": w.email, "first_name": first, "last_name": last,
			"answer_details": details[w]})
	}
	title := ""
	if cs, ok := m.survey["custom_survey"].(map[string]any); ok {
		title, _ = cs["title"].(string)
	}
	return ok(map[string]any{"webinar_id": m.ID, "webinar_uuid": in.UUID, "start_time": zoomTime(in.StartTime),
		"survey_id": in.UUID, "survey_name": title, "survey_answers": items})
}

// AnswerPoll records, in the running instance of a webinar, the answers of
// the participant participantID (as [Server.Join] returned it) to the poll
// pollID: question title to answer. The answers appear in the past
// webinar's poll results and poll report once the webinar ends. As on Zoom,
// an anonymous poll's answers carry the name "Anonymous Attendee" and no
// email, and the email of a participant who is neither a user of the
// account nor a registrant is empty.
func (s *Server) AnswerPoll(webinarID zoom.ID, participantID, pollID string, answers map[string]string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	m, in, p, err := s.st.liveParticipant(webinarID, participantID)
	if err != nil {
		return fmt.Errorf("zoomtest: AnswerPoll: %w", err)
	}
	var pl *poll
	for _, q := range m.polls {
		if q.ID == pollID {
			pl = q
		}
	}
	if pl == nil {
		return fmt.Errorf("zoomtest: AnswerPoll: webinar %d has no poll %q", webinarID, pollID)
	}
	name, email := p.Name, s.st.shownEmail(m, p)
	if pl.Anonymous {
		name, email = "Anonymous Attendee", ""
	}
	now := s.cfg.now().UTC().Truncate(time.Second)
	for _, q := range slices.Sorted(maps.Keys(answers)) {
		in.answers = append(in.answers, &answer{PollID: pl.ID, Name: name, Email: email, Question: q, Answer: answers[q], Time: now})
	}
	return nil
}

// AnswerSurvey records the webinar survey answers (question to answer) of
// the participant participantID in the running instance of a webinar; they
// appear in the webinar survey report once it ends.
func (s *Server) AnswerSurvey(webinarID zoom.ID, participantID string, answers map[string]string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	m, in, p, err := s.st.liveParticipant(webinarID, participantID)
	if err != nil {
		return fmt.Errorf("zoomtest: AnswerSurvey: %w", err)
	}
	if m.survey == nil {
		return fmt.Errorf("zoomtest: AnswerSurvey: webinar %d has no survey", webinarID)
	}
	name, email := p.Name, s.st.shownEmail(m, p)
	if cs, ok := m.survey["custom_survey"].(map[string]any); ok && cs["anonymous"] == true {
		name, email = "Anonymous Attendee", ""
	}
	now := s.cfg.now().UTC().Truncate(time.Second)
	for _, q := range slices.Sorted(maps.Keys(answers)) {
		in.answers = append(in.answers, &answer{Name: name, Email: email, Question: q, Answer: answers[q], Time: now})
	}
	return nil
}

// liveParticipant finds a participant of the running instance of a webinar.
func (st *state) liveParticipant(webinarID zoom.ID, participantID string) (*meeting, *instance, *participant, error) {
	m := st.meetings[webinarID]
	if m == nil || !m.Webinar || m.deleted {
		return nil, nil, nil, fmt.Errorf("no webinar %d", webinarID)
	}
	if m.Live == nil {
		return nil, nil, nil, fmt.Errorf("webinar %d is not running", webinarID)
	}
	for _, p := range m.Live.Participants {
		if p.ID == participantID {
			return m, m.Live, p, nil
		}
	}
	return nil, nil, nil, fmt.Errorf("no participant %q in webinar %d", participantID, webinarID)
}

// shownEmail is the email Zoom shows of p in m's poll and survey results:
// that of a user of the account or of a registrant, else empty.
func (st *state) shownEmail(m *meeting, p *participant) string {
	if p.Email == "" {
		return ""
	}
	if p.UserID != "" || st.lookupUser(p.Email, "") != nil || p.RegistrantID != "" {
		return p.Email
	}
	for _, r := range m.Registrants {
		if strings.EqualFold(r.Email, p.Email) {
			return p.Email
		}
	}
	return ""
}
