package zoomtest

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/zoomkit/zoomkit/zoom"
)

// Meeting is a meeting or webinar as [Server.Meeting] reports it.
type Meeting struct {
	ID        zoom.ID
	UUID      string
	HostID    string
	Webinar   bool
	Topic     string
	Type      int
	StartTime time.Time // zero for meetings without a fixed time
	Duration  int       // minutes
	Timezone  string
	Agenda    string
	Password  string
	// Status is "waiting" or "started".
	Status string
	// Deleted reports a deleted meeting (its past instances remain).
	Deleted bool
	// Settings holds the settings as sent by the API requests, merged
	// over the defaults.
	Settings map[string]any
	// Occurrences lists the occurrence ids (unix milliseconds) of a
	// recurring meeting with a fixed time, deleted ones left out.
	Occurrences []string
	// PastInstances lists the UUIDs of ended instances, oldest first.
	PastInstances []string
	// Updates counts the updates through the API.
	Updates int
}

// Meeting returns the meeting or webinar with the id.
func (s *Server) Meeting(id zoom.ID) (Meeting, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.st.meetings[id]
	if m == nil {
		return Meeting{}, false
	}
	return m.view(), true
}

// Meetings returns the meetings and webinars hosted by userID (an id, an
// email or "me" for the owner), deleted ones included, in creation order.
func (s *Server) Meetings(userID string) []Meeting {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.st.lookupUser(userID, s.st.ownerID)
	if u == nil {
		return nil
	}
	var out []Meeting
	for _, id := range s.st.order {
		if m := s.st.meetings[id]; m != nil && m.HostID == u.ID {
			out = append(out, m.view())
		}
	}
	return out
}

func (m *meeting) view() Meeting {
	v := Meeting{
		ID: m.ID, UUID: m.UUID, HostID: m.HostID, Webinar: m.Webinar, Topic: m.Topic, Type: m.Type,
		StartTime: m.StartTime, Duration: m.Duration, Timezone: m.Timezone, Agenda: m.Agenda,
		Password: m.Password, Status: m.Status, Deleted: m.deleted, Settings: maps.Clone(m.Settings),
		Updates: m.updates,
	}
	for _, o := range m.Occurrences {
		if o.Status != "deleted" {
			v.Occurrences = append(v.Occurrences, o.ID)
		}
	}
	for _, in := range m.Past {
		v.PastInstances = append(v.PastInstances, in.UUID)
	}
	return v
}

// meetingBody is the body of create and update requests.
type meetingBody struct {
	Topic           *string        `json:"topic"`
	Type            *int           `json:"type"`
	StartTime       *string        `json:"start_time"`
	Duration        *int           `json:"duration"`
	Timezone        *string        `json:"timezone"`
	Password        *string        `json:"password"`
	DefaultPassword *bool          `json:"default_password"`
	DefaultPasscode *bool          `json:"default_passcode"`
	Agenda          *string        `json:"agenda"`
	Recurrence      map[string]any `json:"recurrence"`
	Settings        map[string]any `json:"settings"`
	TrackingFields  []any          `json:"tracking_fields"`
	ScheduleFor     *string        `json:"schedule_for"`
	PreSchedule     *bool          `json:"pre_schedule"`
}

func defaultSettings(webinar bool) map[string]any {
	s := map[string]any{
		"host_video":                           false,
		"participant_video":                    false,
		"join_before_host":                     false,
		"jbh_time":                             0,
		"mute_upon_entry":                      false,
		"waiting_room":                         false,
		"audio":                                "voip",
		"auto_recording":                       "none",
		"approval_type":                        2,
		"alternative_hosts":                    "",
		"registrants_email_notification":       true,
		"registrants_confirmation_email":       true,
		"meeting_authentication":               false,
		"close_registration":                   false,
		"email_notification":                   true,
		"alternative_hosts_email_notification": true,
		"use_pmi":                              false,
	}
	if webinar {
		delete(s, "participant_video")
		delete(s, "join_before_host")
		delete(s, "jbh_time")
		delete(s, "waiting_room")
		delete(s, "mute_upon_entry")
		s["panelists_video"] = false
		s["practice_session"] = false
		s["hd_video"] = false
		s["on_demand"] = false
		s["panelists_invitation_email_notification"] = true
	}
	return s
}

func (m *meeting) approvalType() int {
	switch v := m.Settings["approval_type"].(type) {
	case float64:
		return int(v)
	case int:
		return v
	}
	return 2
}

func (m *meeting) registrationOn() bool {
	t := m.approvalType()
	return t == 0 || t == 1
}

func (m *meeting) kind() string {
	if m.Webinar {
		return "webinar"
	}
	return "meeting"
}

// POST /users/{userId}/meetings and /users/{userId}/webinars.
func createMeeting(c *call) (result, *apiError) {
	return c.createEvent(false)
}

func createWebinar(c *call) (result, *apiError) {
	return c.createEvent(true)
}

func (c *call) createEvent(webinar bool) (result, *apiError) {
	host, e := c.user("userId")
	if e != nil {
		return failed(e)
	}
	var req meetingBody
	if len(strings.TrimSpace(string(c.body))) > 0 {
		if e := c.decode(&req); e != nil {
			return failed(e)
		}
	}
	if req.ScheduleFor != nil && *req.ScheduleFor != "" {
		h := c.st.lookupUserIn(c.acct().id, *req.ScheduleFor, c.me())
		if h == nil {
			return failed(fail(http.StatusBadRequest, 300, "Invalid schedule_for: %s.", *req.ScheduleFor))
		}
		host = h
	}
	if host.Status != "active" {
		return failed(fail(http.StatusBadRequest, 3161, "Meeting hosting and scheduling capabilities are not allowed for your user account."))
	}
	if webinar && (host.Type != 2 || !host.webinar) {
		return failed(fail(http.StatusBadRequest, 200, "Webinar plan is missing. You must subscribe to the webinar plan and enable webinars for user %s in order to perform this action.", host.ID))
	}
	m := &meeting{
		ID: c.st.ids.meetingID(), UUID: c.st.ids.uuid(), HostID: host.ID, Webinar: webinar,
		Topic: "Zoom meeting", Type: 2, Duration: 60, Timezone: host.Timezone, CreatedAt: c.now.UTC(),
		Settings: defaultSettings(webinar), Status: "waiting",
	}
	if webinar {
		m.Topic, m.Type = "Zoom webinar", 5
	}
	for c.st.meetings[m.ID] != nil {
		m.ID = c.st.ids.meetingID()
	}
	if e := c.applyMeetingBody(m, &req, true); e != nil {
		return failed(e)
	}
	if req.Password == nil && (req.DefaultPassword == nil || *req.DefaultPassword) && (req.DefaultPasscode == nil || *req.DefaultPasscode) {
		m.Password = c.st.ids.password()
	}
	c.st.meetings[m.ID] = m
	c.st.order = append(c.st.order, m.ID)
	obj := c.meetingJSON(m, true, "")
	delete(obj, "start_url")
	eobj := eventObject(obj)
	ev := map[string]any{"operator": c.operatorEmail(), "operator_id": c.me(), "object": eobj}
	if webinar {
		eobj["creation_source"] = "open_api"
	}
	c.emit(m.kind()+".created", ev)
	return created(c.meetingJSON(m, true, ""))
}

// eventObject keeps the fields webhook objects carry.
func eventObject(obj map[string]any) map[string]any {
	out := map[string]any{}
	for _, k := range []string{"uuid", "id", "host_id", "topic", "type", "start_time", "duration", "timezone", "join_url", "password", "agenda", "occurrences", "recurrence", "settings", "tracking_fields"} {
		if v, ok := obj[k]; ok {
			out[k] = v
		}
	}
	return out
}

// applyMeetingBody sets m's fields from a create or update body.
func (c *call) applyMeetingBody(m *meeting, req *meetingBody, creating bool) *apiError {
	if req.Topic != nil {
		m.Topic = *req.Topic
	}
	if req.Type != nil {
		t := *req.Type
		valid := map[int]bool{1: true, 2: true, 3: true, 8: true, 10: true}
		if m.Webinar {
			valid = map[int]bool{5: true, 6: true, 9: true}
		}
		if !valid[t] {
			return fail(http.StatusBadRequest, 300, "Invalid field: type.")
		}
		m.Type = t
	}
	if req.Timezone != nil {
		if *req.Timezone != "" {
			if _, err := time.LoadLocation(*req.Timezone); err != nil && *req.Timezone != "UTC" {
				return fail(http.StatusBadRequest, 300, "Invalid timezone: %s.", *req.Timezone)
			}
		}
		m.Timezone = *req.Timezone
	}
	if req.StartTime != nil {
		t, okT := parseZoomTime(*req.StartTime, m.Timezone)
		if !okT {
			return fail(http.StatusBadRequest, 300, "Invalid field: start_time.")
		}
		if creating && t.Before(c.now) {
			t = c.now.UTC().Truncate(time.Second)
		}
		m.StartTime = t
	} else if creating && m.Type != 3 && m.Type != 6 {
		m.StartTime = c.now.UTC().Truncate(time.Second)
	}
	if req.Duration != nil {
		m.Duration = *req.Duration
	}
	if req.Password != nil {
		if len(*req.Password) > 10 {
			return fail(http.StatusBadRequest, 300, "Password must be 10 characters or fewer.")
		}
		m.Password = *req.Password
	}
	if req.Agenda != nil {
		m.Agenda = *req.Agenda
	}
	if req.Settings != nil {
		for k, v := range req.Settings {
			m.Settings[k] = v
		}
	}
	if req.TrackingFields != nil {
		m.Tracking = req.TrackingFields
	}
	if req.PreSchedule != nil {
		m.PreSchedule = *req.PreSchedule
	}
	if req.Recurrence != nil {
		m.Recur = req.Recurrence
	}
	if m.Type == 3 || m.Type == 6 {
		m.StartTime = time.Time{}
		m.Occurrences = nil
	}
	if (m.Type == 8 || m.Type == 9) && (req.Recurrence != nil || req.StartTime != nil || req.Type != nil || creating) {
		occ, e := occurrencesFor(m.StartTime, m.Duration, m.Recur)
		if e != nil {
			return e
		}
		m.Occurrences = occ
	}
	return nil
}

// occurrencesFor computes the occurrences of a recurring meeting.
func occurrencesFor(start time.Time, dur int, rec map[string]any) ([]*occurrence, *apiError) {
	if rec == nil {
		return nil, fail(http.StatusBadRequest, 300, "Recurrence is required for a recurring meeting with a fixed time.")
	}
	typ := intField(rec, "type", 0)
	interval := intField(rec, "repeat_interval", 1)
	if interval < 1 {
		interval = 1
	}
	endTimes := intField(rec, "end_times", 0)
	var endDate time.Time
	if v, ok := rec["end_date_time"].(string); ok && v != "" {
		t, okT := parseZoomTime(v, "")
		if !okT {
			return nil, fail(http.StatusBadRequest, 300, "Invalid field: recurrence.end_date_time.")
		}
		endDate = t
	}
	if endTimes == 0 && endDate.IsZero() {
		endTimes = 7
	}
	if endTimes > 60 {
		return nil, fail(http.StatusBadRequest, 300, "Invalid field: recurrence.end_times.")
	}
	limit := 60
	if endTimes > 0 {
		limit = endTimes
	}
	var out []*occurrence
	add := func(t time.Time) bool {
		if !endDate.IsZero() && t.After(endDate) {
			return false
		}
		out = append(out, &occurrence{ID: strconv.FormatInt(t.UnixMilli(), 10), StartTime: t, Duration: dur, Status: "available"})
		return len(out) < limit
	}
	switch typ {
	case 1:
		if interval > 99 {
			return nil, fail(http.StatusBadRequest, 300, "Invalid field: recurrence.repeat_interval.")
		}
		for t := start; add(t); t = t.AddDate(0, 0, interval) {
		}
	case 2:
		if interval > 50 {
			return nil, fail(http.StatusBadRequest, 300, "Invalid field: recurrence.repeat_interval.")
		}
		days := map[time.Weekday]bool{}
		if v, ok := rec["weekly_days"].(string); ok && v != "" {
			for _, d := range strings.Split(v, ",") {
				n, err := strconv.Atoi(strings.TrimSpace(d))
				if err != nil || n < 1 || n > 7 {
					return nil, fail(http.StatusBadRequest, 300, "Invalid field: recurrence.weekly_days.")
				}
				days[time.Weekday(n-1)] = true
			}
		} else {
			days[start.Weekday()] = true
		}
		weekStart := start.AddDate(0, 0, -int(start.Weekday()))
	weeks:
		for w := 0; w < 60*50; w += interval {
			for d := 0; d < 7; d++ {
				t := weekStart.AddDate(0, 0, w*7+d)
				if t.Before(start) || !days[t.Weekday()] {
					continue
				}
				if !add(t) {
					break weeks
				}
			}
		}
	case 3:
		if interval > 10 {
			return nil, fail(http.StatusBadRequest, 300, "Invalid field: recurrence.repeat_interval.")
		}
		day := intField(rec, "monthly_day", start.Day())
		for i := 0; i < 60*10; i += interval {
			y, mo, _ := start.Date()
			t := time.Date(y, mo+time.Month(i), 1, start.Hour(), start.Minute(), start.Second(), 0, time.UTC)
			if day > daysIn(t) {
				continue
			}
			t = t.AddDate(0, 0, day-1)
			if t.Before(start) {
				continue
			}
			if !add(t) {
				break
			}
		}
	default:
		return nil, fail(http.StatusBadRequest, 300, "Invalid field: recurrence.type.")
	}
	return out, nil
}

func daysIn(t time.Time) int {
	return time.Date(t.Year(), t.Month()+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

func intField(m map[string]any, k string, def int) int {
	switch v := m[k].(type) {
	case float64:
		return int(v)
	case int:
		return v
	case string:
		if n, err := strconv.Atoi(v); err == nil {
			return n
		}
	}
	return def
}

// meetingJSON renders a meeting or webinar as GET returns it.
func (c *call) meetingJSON(m *meeting, full bool, occID string) map[string]any {
	host := c.st.userByID(m.HostID)
	hostEmail := ""
	if host != nil {
		hostEmail = host.Email
	}
	base := c.s.URL()
	out := map[string]any{
		"uuid":       m.UUID,
		"id":         m.ID,
		"host_id":    m.HostID,
		"host_email": hostEmail,
		"topic":      m.Topic,
		"type":       m.Type,
		"duration":   m.Duration,
		"timezone":   m.Timezone,
		"created_at": zoomTime(m.CreatedAt),
		"join_url":   fmt.Sprintf("%s/j/%d?pwd=%s", base, m.ID, encPwd(m.Password)),
	}
	if m.Webinar {
		out["join_url"] = fmt.Sprintf("%s/w/%d?tk=%s", base, m.ID, encPwd(m.Password))
	}
	if !m.StartTime.IsZero() {
		out["start_time"] = zoomTime(m.StartTime)
	}
	if m.Agenda != "" {
		out["agenda"] = m.Agenda
	}
	if !full {
		if a, ok := out["agenda"].(string); ok && len(a) > 250 {
			out["agenda"] = a[:250]
		}
		if m.Type == 8 || m.Type == 9 {
			if o := m.nextOccurrence(c.now); o != nil {
				out["start_time"] = zoomTime(o.StartTime)
			}
		}
		return out
	}
	out["status"] = m.Status
	out["start_url"] = fmt.Sprintf("%s/s/%d?zak=%s", base, m.ID, secretToken("", 12))
	out["password"] = m.Password
	out["h323_password"] = digitsOf(m.Password)
	out["pstn_password"] = digitsOf(m.Password)
	out["encrypted_password"] = encPwd(m.Password)
	if m.Webinar {
		delete(out, "h323_password")
		delete(out, "pstn_password")
		delete(out, "encrypted_password")
		out["h323_passcode"] = digitsOf(m.Password)
		out["encrypted_passcode"] = encPwd(m.Password)
	}
	out["pre_schedule"] = m.PreSchedule
	out["settings"] = maps.Clone(m.Settings)
	if m.registrationOn() {
		out["registration_url"] = fmt.Sprintf("%s/%s/register/%d", base, m.kind(), m.ID)
	}
	if m.Recur != nil && (m.Type == 8 || m.Type == 9) {
		out["recurrence"] = m.Recur
	}
	if len(m.Tracking) > 0 {
		out["tracking_fields"] = m.Tracking
	}
	if len(m.Occurrences) > 0 {
		var occ []map[string]any
		for _, o := range m.Occurrences {
			if o.Status == "deleted" && c.query.Get("show_previous_occurrences") != "true" {
				continue
			}
			if occID != "" && o.ID != occID {
				continue
			}
			if occID == "" && c.query.Get("show_previous_occurrences") != "true" && !o.StartTime.Add(time.Duration(o.Duration)*time.Minute).After(c.now) {
				continue
			}
			occ = append(occ, map[string]any{"occurrence_id": o.ID, "start_time": zoomTime(o.StartTime), "duration": o.Duration, "status": o.Status})
			if occID != "" {
				out["start_time"] = zoomTime(o.StartTime)
				out["duration"] = o.Duration
			}
		}
		if occ != nil {
			out["occurrences"] = occ
		}
	}
	return out
}

func (m *meeting) nextOccurrence(now time.Time) *occurrence {
	for _, o := range m.Occurrences {
		if o.Status != "deleted" && o.StartTime.Add(time.Duration(o.Duration)*time.Minute).After(now) {
			return o
		}
	}
	return nil
}

func (m *meeting) occurrence(id string) *occurrence {
	for _, o := range m.Occurrences {
		if o.ID == id && o.Status != "deleted" {
			return o
		}
	}
	return nil
}

func encPwd(p string) string {
	if p == "" {
		return ""
	}
	var b strings.Builder
	for _, r := range p {
		fmt.Fprintf(&b, "%02x", r)
	}
	return b.String()
}

func digitsOf(p string) string {
	var b strings.Builder
	for _, r := range p {
		b.WriteByte(byte('0' + int(r)%10))
	}
	return b.String()
}

// GET /meetings/{meetingId} and /webinars/{webinarId}.
func getMeeting(c *call) (result, *apiError) {
	m, e := c.liveMeeting("meetingId", false)
	if e != nil {
		return failed(e)
	}
	return c.getEvent(m)
}

func getWebinar(c *call) (result, *apiError) {
	m, e := c.liveMeeting("webinarId", true)
	if e != nil {
		return failed(e)
	}
	return c.getEvent(m)
}

func (c *call) getEvent(m *meeting) (result, *apiError) {
	occID := c.query.Get("occurrence_id")
	if occID != "" && m.occurrence(occID) == nil {
		return failed(fail(http.StatusBadRequest, 300, "Invalid occurrence_id: %s.", occID))
	}
	return ok(c.meetingJSON(m, true, occID))
}

// liveMeeting resolves a meeting or webinar that is not deleted.
func (c *call) liveMeeting(param string, webinar bool) (*meeting, *apiError) {
	var (
		m *meeting
		e *apiError
	)
	if webinar {
		m, _, e = c.webinar(param)
	} else {
		m, _, e = c.meeting(param)
	}
	if e != nil {
		return nil, e
	}
	if m.deleted {
		if webinar {
			return nil, fail(http.StatusNotFound, 3001, "Webinar does not exist: %s.", c.params[param])
		}
		return nil, fail(http.StatusNotFound, 3001, "Meeting does not exist: %s.", c.params[param])
	}
	return m, nil
}

// GET /users/{userId}/meetings and /users/{userId}/webinars.
func listMeetings(c *call) (result, *apiError) { return c.listEvents(false) }
func listWebinars(c *call) (result, *apiError) { return c.listEvents(true) }

func (c *call) listEvents(webinar bool) (result, *apiError) {
	host, e := c.user("userId")
	if e != nil {
		return failed(e)
	}
	typ := c.query.Get("type")
	if typ == "" {
		typ = "scheduled"
	}
	var list []*meeting
	for _, id := range c.st.order {
		m := c.st.meetings[id]
		if m == nil || m.deleted || m.HostID != host.ID || m.Webinar != webinar {
			continue
		}
		if !webinar && m.Type == 1 && typ != "live" {
			continue // instant meetings are not listed
		}
		if c.matchesListType(m, typ) {
			list = append(list, m)
		}
	}
	sort.SliceStable(list, func(i, j int) bool { return c.sortTime(list[i]).Before(c.sortTime(list[j])) })
	lo, hi, env, e := c.page(c.listKey(host.ID, typ), len(list), 30, 300)
	if e != nil {
		return failed(e)
	}
	items := make([]map[string]any, 0, hi-lo)
	for _, m := range list[lo:hi] {
		items = append(items, c.meetingJSON(m, false, ""))
	}
	if webinar {
		env["webinars"] = items
	} else {
		env["meetings"] = items
	}
	return ok(env)
}

func (c *call) sortTime(m *meeting) time.Time {
	if o := m.nextOccurrence(c.now); o != nil {
		return o.StartTime
	}
	if m.StartTime.IsZero() {
		return m.CreatedAt
	}
	return m.StartTime
}

// ended reports whether a meeting's scheduled time is over.
func (c *call) ended(m *meeting) bool {
	if m.Type == 3 || m.Type == 6 {
		return false
	}
	if m.Type == 8 || m.Type == 9 {
		return m.nextOccurrence(c.now) == nil
	}
	return !m.StartTime.Add(time.Duration(m.Duration) * time.Minute).After(c.now)
}

func (c *call) matchesListType(m *meeting, typ string) bool {
	switch typ {
	case "live":
		return m.Live != nil
	case "upcoming", "upcoming_meetings": // live ones included
		return m.Live != nil || !c.ended(m)
	case "previous_meetings":
		return len(m.Past) > 0 || c.ended(m)
	default: // scheduled
		return true
	}
}

// GET /users/{userId}/upcoming_meetings
func listUpcoming(c *call) (result, *apiError) {
	host, e := c.user("userId")
	if e != nil {
		return failed(e)
	}
	var items []map[string]any
	for _, id := range c.st.order {
		m := c.st.meetings[id]
		if m == nil || m.deleted || m.Webinar || m.HostID != host.ID || m.Type == 1 {
			continue
		}
		st := c.sortTime(m)
		if c.ended(m) || st.After(c.now.Add(24*time.Hour)) {
			continue
		}
		j := c.meetingJSON(m, false, "")
		j["passcode"] = m.Password
		j["use_pmi"] = false
		j["is_host"] = true
		items = append(items, j)
	}
	if items == nil {
		items = []map[string]any{}
	}
	return ok(map[string]any{"total_records": len(items), "meetings": items})
}

// PATCH /meetings/{meetingId} and /webinars/{webinarId}.
func updateMeeting(c *call) (result, *apiError) { return c.updateEvent("meetingId", false) }
func updateWebinar(c *call) (result, *apiError) { return c.updateEvent("webinarId", true) }

func (c *call) updateEvent(param string, webinar bool) (result, *apiError) {
	m, e := c.liveMeeting(param, webinar)
	if e != nil {
		return failed(e)
	}
	var req meetingBody
	if e := c.decode(&req); e != nil {
		return failed(e)
	}
	var raw map[string]any
	_ = json.Unmarshal(c.body, &raw)
	before := c.meetingJSON(m, true, "")
	occID := c.query.Get("occurrence_id")
	scope := "all"
	if occID != "" {
		o := m.occurrence(occID)
		if o == nil {
			return failed(fail(http.StatusBadRequest, 300, "Invalid occurrence_id: %s.", occID))
		}
		scope = "single"
		if req.StartTime != nil {
			t, okT := parseZoomTime(*req.StartTime, m.Timezone)
			if !okT {
				return failed(fail(http.StatusBadRequest, 300, "Invalid field: start_time."))
			}
			o.StartTime = t
		}
		if req.Duration != nil {
			o.Duration = *req.Duration
		}
		if req.Agenda != nil {
			m.Agenda = *req.Agenda
		}
	} else if e := c.applyMeetingBody(m, &req, false); e != nil {
		return failed(e)
	}
	m.updates++
	obj := map[string]any{"id": m.ID, "uuid": m.UUID}
	old := map[string]any{"id": m.ID, "uuid": m.UUID}
	for k, v := range raw {
		obj[k] = v
		if ov, had := before[k]; had {
			old[k] = ov
		}
	}
	if occID != "" {
		obj["occurrences"] = []map[string]any{{"occurrence_id": occID}}
	}
	c.emit(m.kind()+".updated", map[string]any{
		"operator": c.operatorEmail(), "operator_id": c.me(), "scope": scope,
		"object": obj, "old_object": old, "time_stamp": c.now.UnixMilli(),
	})
	return noContent()
}

// DELETE /meetings/{meetingId} and /webinars/{webinarId}.
func deleteMeeting(c *call) (result, *apiError) { return c.deleteEvent("meetingId", false) }
func deleteWebinar(c *call) (result, *apiError) { return c.deleteEvent("webinarId", true) }

func (c *call) deleteEvent(param string, webinar bool) (result, *apiError) {
	m, e := c.liveMeeting(param, webinar)
	if e != nil {
		return failed(e)
	}
	obj := eventObject(c.meetingJSON(m, true, ""))
	delete(obj, "settings")
	delete(obj, "password")
	delete(obj, "join_url")
	operation := "all"
	if occID := c.query.Get("occurrence_id"); occID != "" {
		o := m.occurrence(occID)
		if o == nil {
			return failed(fail(http.StatusBadRequest, 300, "Invalid occurrence_id: %s.", occID))
		}
		o.Status = "deleted"
		operation = "single"
		obj["occurrences"] = []map[string]any{{"occurrence_id": o.ID, "start_time": zoomTime(o.StartTime)}}
	} else {
		m.deleted = true
	}
	c.emit(m.kind()+".deleted", map[string]any{
		"operator": c.operatorEmail(), "operator_id": c.me(), "operation": operation, "object": obj,
	})
	return noContent()
}

// PUT /meetings/{meetingId}/status and /webinars/{webinarId}/status.
func meetingStatus(c *call) (result, *apiError) { return c.eventStatus("meetingId", false) }
func webinarStatus(c *call) (result, *apiError) { return c.eventStatus("webinarId", true) }

func (c *call) eventStatus(param string, webinar bool) (result, *apiError) {
	var req struct {
		Action string `json:"action"`
	}
	if e := c.decode(&req); e != nil {
		return failed(e)
	}
	var (
		m *meeting
		e *apiError
	)
	if webinar {
		m, _, e = c.webinar(param)
	} else {
		m, _, e = c.meeting(param)
	}
	if e != nil {
		return failed(e)
	}
	switch req.Action {
	case "end":
		if m.deleted {
			return failed(fail(http.StatusNotFound, 3001, "Meeting does not exist: %s.", c.params[param]))
		}
		if m.Live != nil {
			c.events = append(c.events, c.s.endLocked(m, c.now)...)
		}
	case "recover":
		if !m.deleted {
			return failed(fail(http.StatusBadRequest, 3000, "The meeting is not deleted."))
		}
		m.deleted = false
		c.emit(m.kind()+".recovered", map[string]any{
			"operator": c.operatorEmail(), "operator_id": c.me(), "object": eventObject(c.meetingJSON(m, true, "")),
		})
	default:
		return failed(fail(http.StatusBadRequest, 300, "Invalid field: action."))
	}
	return noContent()
}

// GET /meetings/{meetingId}/invitation
func meetingInvitation(c *call) (result, *apiError) {
	m, e := c.liveMeeting("meetingId", false)
	if e != nil {
		return failed(e)
	}
	host := c.st.userByID(m.HostID)
	name := ""
	if host != nil {
		name = host.displayName()
	}
	j := c.meetingJSON(m, true, "")
	var b strings.Builder
	fmt.Fprintf(&b, "%s is inviting you to a scheduled Zoom meeting.\r\n\r\n", name)
	fmt.Fprintf(&b, "Topic: %s\r\n", m.Topic)
	if !m.StartTime.IsZero() {
		fmt.Fprintf(&b, "Time: %s\r\n", m.StartTime.UTC().Format("Jan 2, 2006 03:04 PM")+" Universal Time UTC")
	}
	fmt.Fprintf(&b, "\r\nJoin Zoom Meeting\r\n%s\r\n\r\n", j["join_url"])
	fmt.Fprintf(&b, "Meeting ID: %s\r\n", spaced(m.ID))
	if m.Password != "" {
		fmt.Fprintf(&b, "Passcode: %s\r\n", m.Password)
	}
	return ok(map[string]any{"invitation": b.String(), "sip_links": []string{fmt.Sprintf("%d@zoomcrc.com", m.ID)}})
}

// spaced formats a meeting id as Zoom prints it: "857 4606 5123".
func spaced(id zoom.ID) string {
	s := id.String()
	if len(s) < 10 {
		return s
	}
	return s[:3] + " " + s[3:len(s)-4] + " " + s[len(s)-4:]
}
