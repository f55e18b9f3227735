package zoomtest

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/zoomkit/zoomkit/zoom"
)

// pastInstance resolves an id (latest ended instance) or a UUID (that
// instance, if ended).
func (c *call) pastInstance(param string, webinar bool) (*meeting, *instance, *apiError) {
	v := c.params[param]
	m, in := c.st.findMeeting(v)
	notFound := fail(http.StatusNotFound, 3001, "Meeting does not exist: %s.", v)
	if webinar {
		notFound = fail(http.StatusNotFound, 3001, "Webinar does not exist: %s.", v)
	}
	if m == nil || m.Webinar != webinar || !c.ours(m) {
		return nil, nil, notFound
	}
	if in == nil {
		if len(m.Past) == 0 {
			return nil, nil, notFound
		}
		in = m.Past[len(m.Past)-1]
	}
	if in.EndTime.IsZero() {
		return nil, nil, fail(http.StatusBadRequest, 3000, "The meeting is in progress: %s.", v)
	}
	if c.now.Sub(in.EndTime) > 365*24*time.Hour {
		return nil, nil, fail(http.StatusBadRequest, 12702, "Can not access a meeting a year ago.")
	}
	return m, in, nil
}

// reportReady reports whether Zoom has made the attendance data of an
// ended instance: [WithReportDelay] after its end.
func (c *call) reportReady(in *instance) bool {
	return !in.EndTime.IsZero() && !c.now.Before(in.EndTime.Add(c.s.cfg.reportDelay))
}

// pastReport is pastInstance for the attendance data (participants,
// reports, absentees): until Zoom has made it, the answer is notYet, the
// endpoint's own "not found" (Zoom documents no other answer).
func (c *call) pastReport(param string, webinar bool, notYet string) (*meeting, *instance, *apiError) {
	m, in, e := c.pastInstance(param, webinar)
	if e != nil {
		return nil, nil, e
	}
	if !c.reportReady(in) {
		return nil, nil, fail(http.StatusNotFound, 3001, notYet, c.params[param])
	}
	return m, in, nil
}

// The endpoints' documented "not found" messages.
const (
	reportMeetingMissing = "Meeting %s not found or has expired."
	reportWebinarMissing = "Webinar \"%s\" not found or has expired."
	pastMeetingMissing   = "Meeting does not exist: %s."
	pastWebinarMissing   = "Webinar does not exist: %s."
	absenteesMissing     = "Webinar %s not found or expired."
)

func (c *call) pastDetails(m *meeting, in *instance, report bool) map[string]any {
	host := c.st.userByID(m.HostID)
	name, email, dept := "", "", ""
	if host != nil {
		name, email, dept = host.displayName(), host.Email, host.Dept
	}
	total := 0
	for _, p := range in.Participants {
		total += int(p.LeaveTime.Sub(p.JoinTime) / time.Minute)
	}
	out := map[string]any{
		"uuid":               in.UUID,
		"id":                 m.ID,
		"host_id":            m.HostID,
		"topic":              m.Topic,
		"type":               m.Type,
		"start_time":         zoomTime(in.StartTime),
		"end_time":           zoomTime(in.EndTime),
		"duration":           int(in.EndTime.Sub(in.StartTime) / time.Minute),
		"total_minutes":      total,
		"participants_count": uniqueParticipants(in),
		"user_name":          name,
		"user_email":         email,
		"dept":               dept,
	}
	if !report {
		out["source"] = "Zoom"
		out["has_meeting_summary"] = false
	} else {
		out["custom_keys"] = []any{}
		out["tracking_fields"] = []any{}
	}
	return out
}

// GET /past_meetings/{meetingId} and /report/meetings/{meetingId},
// /report/webinars/{webinarId}.
func pastMeetingDetails(c *call) (result, *apiError) {
	m, in, e := c.pastInstance("meetingId", false)
	if e != nil {
		return failed(e)
	}
	return ok(c.pastDetails(m, in, false))
}

func reportMeetingDetails(c *call) (result, *apiError) {
	m, in, e := c.pastReport("meetingId", false, reportMeetingMissing)
	if e != nil {
		return failed(e)
	}
	return ok(c.pastDetails(m, in, true))
}

func reportWebinarDetails(c *call) (result, *apiError) {
	m, in, e := c.pastReport("webinarId", true, reportWebinarMissing)
	if e != nil {
		return failed(e)
	}
	return ok(c.pastDetails(m, in, true))
}

// GET /past_meetings/{meetingId}/instances and /past_webinars/{webinarId}/instances.
func pastMeetingInstances(c *call) (result, *apiError) { return c.instances("meetingId", false) }
func pastWebinarInstances(c *call) (result, *apiError) { return c.instances("webinarId", true) }

func (c *call) instances(param string, webinar bool) (result, *apiError) {
	v := c.params[param]
	id, err := strconv.ParseInt(v, 10, 64)
	m := c.st.meetings[zoom.ID(id)]
	if err != nil || m == nil || m.Webinar != webinar || !c.ours(m) {
		if webinar {
			return failed(fail(http.StatusNotFound, 3001, "Webinar does not exist: %s.", v))
		}
		return failed(fail(http.StatusNotFound, 3001, "Meeting does not exist: %s.", v))
	}
	items := []map[string]any{}
	for _, in := range m.Past {
		items = append(items, map[string]any{"uuid": in.UUID, "start_time": zoomTime(in.StartTime)})
	}
	if webinar {
		return ok(map[string]any{"webinars": items})
	}
	return ok(map[string]any{"meetings": items})
}

// uniqueParticipants counts the distinct people in an instance.
func uniqueParticipants(in *instance) int {
	unique := map[string]bool{}
	for _, p := range in.Participants {
		unique[p.Name+"|"+p.Email] = true
	}
	return len(unique)
}

// participantsPage lists an instance's participants, one entry per stay.
func (c *call) participantsPage(m *meeting, in *instance, report bool) (result, *apiError) {
	list := in.Participants
	// Zoom returns nothing for meetings with a single participant.
	if uniqueParticipants(in) < 2 {
		list = nil
	}
	lo, hi, env, e := c.page(c.listKey(in.UUID), len(list), 30, 300)
	if e != nil {
		return failed(e)
	}
	items := []map[string]any{}
	for _, p := range list[lo:hi] {
		it := map[string]any{
			"id":            p.UserID,
			"name":          p.Name,
			"user_id":       p.ID,
			"registrant_id": p.RegistrantID,
			"user_email":    p.Email,
			"join_time":     zoomTime(p.JoinTime),
			"leave_time":    zoomTime(p.LeaveTime),
			"duration":      int(p.LeaveTime.Sub(p.JoinTime) / time.Second),
			"failover":      false,
			"status":        "in_meeting",
		}
		if report {
			it["participant_user_id"] = p.UserID
			it["customer_key"] = ""
			// Only on request (include_fields=registrant_id).
			if !slices.Contains(strings.Split(c.query.Get("include_fields"), ","), "registrant_id") {
				delete(it, "registrant_id")
			}
		} else {
			it["internal_user"] = p.UserID != ""
		}
		items = append(items, it)
	}
	env["participants"] = items
	delete(env, "page_number")
	return ok(env)
}

// GET /past_meetings/{meetingId}/participants
func pastMeetingParticipants(c *call) (result, *apiError) {
	m, in, e := c.pastReport("meetingId", false, pastMeetingMissing)
	if e != nil {
		return failed(e)
	}
	return c.participantsPage(m, in, false)
}

// GET /past_webinars/{webinarId}/participants
func pastWebinarParticipants(c *call) (result, *apiError) {
	m, in, e := c.pastReport("webinarId", true, pastWebinarMissing)
	if e != nil {
		return failed(e)
	}
	return c.participantsPage(m, in, false)
}

// GET /report/meetings/{meetingId}/participants
func reportMeetingParticipants(c *call) (result, *apiError) {
	m, in, e := c.pastReport("meetingId", false, reportMeetingMissing)
	if e != nil {
		return failed(e)
	}
	return c.participantsPage(m, in, true)
}

// GET /report/webinars/{webinarId}/participants
func reportWebinarParticipants(c *call) (result, *apiError) {
	m, in, e := c.pastReport("webinarId", true, reportWebinarMissing)
	if e != nil {
		return failed(e)
	}
	return c.participantsPage(m, in, true)
}

// GET /past_webinars/{webinarId}/absentees: approved registrants who did
// not join.
func webinarAbsentees(c *call) (result, *apiError) {
	m, in, e := c.pastReport("webinarId", true, absenteesMissing)
	if e != nil {
		return failed(e)
	}
	if !m.registrationOn() && len(m.Registrants) == 0 {
		return failed(fail(http.StatusBadRequest, 3000, "This webinar does not have registration enabled: %d.", m.ID))
	}
	attended := map[string]bool{}
	for _, p := range in.Participants {
		if p.RegistrantID != "" {
			attended[p.RegistrantID] = true
		}
		if p.Email != "" {
			attended["email:"+lower(p.Email)] = true
		}
	}
	var list []*registrant
	for _, r := range m.Registrants {
		if r.Status == "approved" && !attended[r.ID] && !attended["email:"+lower(r.Email)] {
			list = append(list, r)
		}
	}
	lo, hi, env, e := c.page(c.listKey(in.UUID), len(list), 30, 300)
	if e != nil {
		return failed(e)
	}
	items := []map[string]any{}
	for _, r := range list[lo:hi] {
		items = append(items, c.registrantJSON(m, r))
	}
	env["registrants"] = items
	return ok(env)
}

// GET /report/users/{userId}/meetings
func reportUserMeetings(c *call) (result, *apiError) {
	host, e := c.user("userId")
	if e != nil {
		return failed(e)
	}
	from, to, e := c.dateRange()
	if e != nil {
		return failed(e)
	}
	type row struct {
		m  *meeting
		in *instance
	}
	var list []row
	for _, id := range c.st.order {
		m := c.st.meetings[id]
		if m == nil || m.Webinar || m.HostID != host.ID {
			continue
		}
		for _, in := range m.Past {
			// Zoom reports only meetings with two participants or more,
			// once it has made their report.
			if !in.StartTime.Before(from) && in.StartTime.Before(to) && uniqueParticipants(in) >= 2 && c.reportReady(in) {
				list = append(list, row{m, in})
			}
		}
	}
	lo, hi, env, e := c.page(c.listKey(host.ID, from.String(), to.String()), len(list), 30, 300)
	if e != nil {
		return failed(e)
	}
	items := []map[string]any{}
	for _, r := range list[lo:hi] {
		d := c.pastDetails(r.m, r.in, true)
		d["schedule_time"] = zoomTime(r.m.StartTime)
		d["has_recording"] = r.in.Recording != nil
		items = append(items, d)
	}
	env["meetings"] = items
	env["from"] = from.Format("2006-01-02")
	env["to"] = to.AddDate(0, 0, -1).Format("2006-01-02")
	return ok(env)
}

// dateRange reads from and to (dates, to inclusive); the default is the
// last day. It returns [from, to+1day).
func (c *call) dateRange() (time.Time, time.Time, *apiError) {
	today := time.Date(c.now.UTC().Year(), c.now.UTC().Month(), c.now.UTC().Day(), 0, 0, 0, 0, time.UTC)
	from, to := today, today
	if v := c.query.Get("from"); v != "" {
		t, err := time.Parse("2006-01-02", v)
		if err != nil {
			return time.Time{}, time.Time{}, fail(http.StatusBadRequest, 300, "Invalid field: from.")
		}
		from = t
	}
	if v := c.query.Get("to"); v != "" {
		t, err := time.Parse("2006-01-02", v)
		if err != nil {
			return time.Time{}, time.Time{}, fail(http.StatusBadRequest, 300, "Invalid field: to.")
		}
		to = t
	}
	if to.Before(from) {
		return time.Time{}, time.Time{}, fail(http.StatusBadRequest, 300, "The to date must not be before the from date.")
	}
	return from, to.AddDate(0, 0, 1), nil
}

// GET /users/{userId}/recordings
func listRecordings(c *call) (result, *apiError) {
	host, e := c.user("userId")
	if e != nil {
		return failed(e)
	}
	from, to, e := c.dateRange()
	if e != nil {
		return failed(e)
	}
	var list []map[string]any
	for _, id := range c.st.order {
		m := c.st.meetings[id]
		if m == nil || m.HostID != host.ID {
			continue
		}
		for _, in := range m.Past {
			if in.Recording != nil && !in.Recording.deleted && !in.StartTime.Before(from) && in.StartTime.Before(to) {
				j := c.st.recordingJSON(c.s, m, in)
				j["account_id"] = c.st.accountOf(host).id
				list = append(list, j)
			}
		}
	}
	lo, hi, env, e := c.page(c.listKey(host.ID, from.String(), to.String()), len(list), 30, 300)
	if e != nil {
		return failed(e)
	}
	items := list[lo:hi]
	if items == nil {
		items = []map[string]any{}
	}
	env["meetings"] = items
	env["from"] = from.Format("2006-01-02")
	env["to"] = to.AddDate(0, 0, -1).Format("2006-01-02")
	delete(env, "page_number")
	return ok(env)
}

// recordedInstance resolves a meeting id or UUID to an instance with a
// recording.
func (c *call) recordedInstance() (*meeting, *instance, *apiError) {
	v := c.params["meetingId"]
	m, in := c.st.findMeeting(v)
	if m != nil && !c.ours(m) {
		m, in = nil, nil // another account's
	}
	if m != nil && in == nil {
		for i := len(m.Past) - 1; i >= 0; i-- {
			if m.Past[i].Recording != nil && !m.Past[i].Recording.deleted {
				in = m.Past[i]
				break
			}
		}
	}
	if m == nil || in == nil || in.Recording == nil || in.Recording.deleted {
		return nil, nil, fail(http.StatusNotFound, 3301, "There is no recording for this meeting.")
	}
	return m, in, nil
}

// GET /meetings/{meetingId}/recordings
func getRecording(c *call) (result, *apiError) {
	m, in, e := c.recordedInstance()
	if e != nil {
		return failed(e)
	}
	j := c.st.recordingJSON(c.s, m, in)
	j["account_id"] = c.st.accountOf(c.st.userByID(m.HostID)).id
	if u := c.st.userByID(m.HostID); u != nil {
		j["host_email"] = u.Email
	}
	return ok(j)
}

// DELETE /meetings/{meetingId}/recordings
func deleteRecording(c *call) (result, *apiError) {
	_, in, e := c.recordedInstance()
	if e != nil {
		return failed(e)
	}
	in.Recording.deleted = true
	return noContent()
}

func lower(s string) string {
	b := []byte(s)
	for i, ch := range b {
		if 'A' <= ch && ch <= 'Z' {
			b[i] = ch + 'a' - 'A'
		}
	}
	return string(b)
}
