package zoomtest

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/zoomkit/zoomkit/zoom"
)

// Registrant is a meeting or webinar registrant as [Server.Registrants]
// reports it.
type Registrant struct {
	ID        string
	Email     string
	FirstName string
	LastName  string
	// Status is "approved", "pending" or "denied".
	Status     string
	CreateTime time.Time
	JoinURL    string
}

// Registrants returns the registrants of a meeting or webinar, in
// registration order.
func (s *Server) Registrants(meetingID zoom.ID) []Registrant {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.st.meetings[meetingID]
	if m == nil {
		return nil
	}
	out := make([]Registrant, 0, len(m.Registrants))
	for _, r := range m.Registrants {
		out = append(out, Registrant{ID: r.ID, Email: r.Email, FirstName: r.FirstName, LastName: r.LastName,
			Status: r.Status, CreateTime: r.CreateTime, JoinURL: r.JoinURL})
	}
	return out
}

func (c *call) eventEntity(param string) (*meeting, *apiError) {
	return c.liveMeeting(param, param == "webinarId")
}

func (c *call) registrantJSON(m *meeting, r *registrant) map[string]any {
	out := map[string]any{
		"id":                   r.ID,
		"email":                r.Email,
		"first_name":           r.FirstName,
		"last_name":            r.LastName,
		"status":               r.Status,
		"create_time":          zoomTime(r.CreateTime),
		"join_url":             r.JoinURL,
		"participant_pin_code": r.PinCode,
		"custom_questions":     []any{},
	}
	for k, v := range r.Fields {
		out[k] = v
	}
	return out
}

// registrationEventObject is the object of registration events; event is
// "registration_created", "registration_approved"... The registrant
// carries what Zoom's documents list for the event.
func (c *call) registrationEventObject(m *meeting, r *registrant, event string) map[string]any {
	obj := map[string]any{
		"uuid": m.UUID, "id": m.ID, "host_id": m.HostID, "topic": m.Topic, "type": m.Type,
		"duration": m.Duration, "timezone": m.Timezone,
	}
	if !m.StartTime.IsZero() {
		obj["start_time"] = zoomTime(m.StartTime)
	}
	reg := c.registrantJSON(m, r)
	delete(reg, "create_time")
	if m.Webinar {
		delete(reg, "participant_pin_code")
	}
	if event != "registration_created" {
		keep := map[string]bool{"id": true, "first_name": true, "last_name": true, "email": true}
		if event == "registration_approved" {
			keep["join_url"] = true
			keep["participant_pin_code"] = !m.Webinar
		}
		for k := range reg {
			if !keep[k] {
				delete(reg, k)
			}
		}
	}
	obj["registrant"] = reg
	return obj
}

// GET .../registrants
func listRegistrants(c *call) (result, *apiError) {
	param := eventParam(c)
	m, e := c.eventEntity(param)
	if e != nil {
		return failed(e)
	}
	if !m.registrationOn() {
		return failed(fail(http.StatusBadRequest, 300, "Registration has not been enabled for this %s: %d.", m.kind(), m.ID))
	}
	status := c.query.Get("status")
	if status == "" {
		status = "approved"
	}
	occID := c.query.Get("occurrence_id")
	var list []*registrant
	for _, r := range m.Registrants {
		if r.Status == status && (occID == "" || len(r.Occurs) == 0 || slices.Contains(r.Occurs, occID)) {
			list = append(list, r)
		}
	}
	lo, hi, env, e := c.page(c.listKey(m.ID.String(), status, occID), len(list), 30, 300)
	if e != nil {
		return failed(e)
	}
	items := make([]map[string]any, 0, hi-lo)
	for _, r := range list[lo:hi] {
		items = append(items, c.registrantJSON(m, r))
	}
	env["registrants"] = items
	return ok(env)
}

func eventParam(c *call) string {
	if _, ok := c.params["webinarId"]; ok {
		return "webinarId"
	}
	return "meetingId"
}

// POST .../registrants
func addRegistrant(c *call) (result, *apiError) {
	param := eventParam(c)
	m, e := c.eventEntity(param)
	if e != nil {
		if param == "meetingId" && e.status == http.StatusNotFound {
			e.body.Code = 1001 // as documented for this operation
		}
		return failed(e)
	}
	var req map[string]any
	if e := c.decode(&req); e != nil {
		return failed(e)
	}
	if !m.registrationOn() || m.Type == 1 || m.Type == 3 || m.Type == 6 {
		return failed(fail(http.StatusBadRequest, 3000, "Registration has not been enabled for this %s: %d.", m.kind(), m.ID))
	}
	if host := c.st.userByID(m.HostID); host != nil && strings.EqualFold(host.Email, str(req["email"])) {
		return failed(fail(http.StatusBadRequest, 3027, "Host cannot register."))
	}
	var occs []string
	if v := c.query.Get("occurrence_ids"); v != "" {
		for _, id := range strings.Split(v, ",") {
			if m.occurrence(strings.TrimSpace(id)) == nil {
				return failed(fail(http.StatusBadRequest, 300, "Invalid occurrence_ids: %s.", id))
			}
			occs = append(occs, strings.TrimSpace(id))
		}
	}
	auto, _ := req["auto_approve"].(bool)
	r, isNew, e := c.register(m, str(req["email"]), str(req["first_name"]), str(req["last_name"]), auto, occs)
	if e != nil {
		return failed(e)
	}
	if isNew {
		r.Fields = map[string]any{}
		for _, k := range []string{"address", "city", "state", "zip", "country", "phone", "comments", "custom_questions",
			"industry", "job_title", "no_of_employees", "org", "purchasing_time_frame", "role_in_purchase_process", "language", "source_id"} {
			if v, ok := req[k]; ok {
				r.Fields[k] = v
			}
		}
		c.emit(m.kind()+".registration_created", map[string]any{"object": c.registrationEventObject(m, r, "registration_created")})
	}
	out := map[string]any{
		"id":                   m.ID,
		"registrant_id":        r.ID,
		"join_url":             r.JoinURL,
		"topic":                m.Topic,
		"participant_pin_code": r.PinCode,
	}
	if !m.StartTime.IsZero() {
		out["start_time"] = zoomTime(m.StartTime)
	}
	if len(m.Occurrences) > 0 {
		var list []map[string]any
		for _, o := range m.Occurrences {
			if o.Status != "deleted" && (len(occs) == 0 || slices.Contains(occs, o.ID)) {
				list = append(list, map[string]any{"occurrence_id": o.ID, "start_time": zoomTime(o.StartTime), "duration": o.Duration, "status": o.Status})
			}
		}
		out["occurrences"] = list
	}
	return created(out)
}

// register adds a registrant, or returns the existing one with that email.
func (c *call) register(m *meeting, email, first, last string, auto bool, occs []string) (*registrant, bool, *apiError) {
	for _, r := range m.Registrants {
		if strings.EqualFold(r.Email, email) {
			return r, false, nil
		}
	}
	if len(m.Registrants) >= 4999 {
		return nil, false, fail(http.StatusBadRequest, 3043, "Meeting has reached maximum attendee capacity.")
	}
	r := &registrant{
		ID: c.st.ids.userID(), Email: email, FirstName: first, LastName: last, Status: "approved",
		CreateTime: c.now.UTC(), Occurs: occs,
	}
	if m.approvalType() == 1 && !auto {
		r.Status = "pending"
	}
	pin, _ := strconv.ParseInt(c.st.ids.digits(9), 10, 64)
	r.PinCode = pin
	prefix := "j"
	if m.Webinar {
		prefix = "w"
	}
	r.JoinURL = fmt.Sprintf("%s/%s/%d?tk=%s", c.s.URL(), prefix, m.ID, r.ID)
	m.Registrants = append(m.Registrants, r)
	return r, true, nil
}

// POST .../batch_registrants
func batchRegistrants(c *call) (result, *apiError) {
	param := eventParam(c)
	m, e := c.eventEntity(param)
	if e != nil {
		return failed(e)
	}
	var req struct {
		AutoApprove bool `json:"auto_approve"`
		Registrants []struct {
			Email     string `json:"email"`
			FirstName string `json:"first_name"`
			LastName  string `json:"last_name"`
		} `json:"registrants"`
	}
	if e := c.decode(&req); e != nil {
		return failed(e)
	}
	if !m.Webinar && m.Type != 2 {
		return failed(fail(http.StatusBadRequest, 303, "Batch registration is only supported for scheduled meetings (type 2)."))
	}
	if !m.registrationOn() {
		return failed(fail(http.StatusBadRequest, 3000, "Registration has not been enabled for this %s: %d.", m.kind(), m.ID))
	}
	if len(req.Registrants) > 30 {
		return failed(fail(http.StatusBadRequest, 300, "A batch holds at most 30 registrants."))
	}
	var out []map[string]any
	for _, in := range req.Registrants {
		r, isNew, e := c.register(m, in.Email, in.FirstName, in.LastName, req.AutoApprove, nil)
		if e != nil {
			return failed(e)
		}
		if isNew {
			c.emit(m.kind()+".registration_created", map[string]any{"object": c.registrationEventObject(m, r, "registration_created")})
		}
		out = append(out, map[string]any{"email": r.Email, "registrant_id": r.ID, "join_url": r.JoinURL, "participant_pin_code": r.PinCode})
	}
	return created(map[string]any{"registrants": out})
}

func findRegistrant(m *meeting, id string) *registrant {
	for _, r := range m.Registrants {
		if r.ID == id {
			return r
		}
	}
	return nil
}

// GET .../registrants/{registrantId}
func getRegistrant(c *call) (result, *apiError) {
	m, e := c.eventEntity(eventParam(c))
	if e != nil {
		return failed(e)
	}
	r := findRegistrant(m, c.params["registrantId"])
	if r == nil {
		return failed(fail(http.StatusBadRequest, 3079, "Registrant does not exist: %s.", c.params["registrantId"]))
	}
	return ok(c.registrantJSON(m, r))
}

// DELETE .../registrants/{registrantId}
func deleteRegistrant(c *call) (result, *apiError) {
	m, e := c.eventEntity(eventParam(c))
	if e != nil {
		return failed(e)
	}
	id := c.params["registrantId"]
	r := findRegistrant(m, id)
	if r == nil {
		return failed(fail(http.StatusBadRequest, 300, "Invalid registrant: %s.", id))
	}
	m.Registrants = slices.DeleteFunc(m.Registrants, func(x *registrant) bool { return x == r })
	return noContent()
}

// PUT .../registrants/status
func registrantStatus(c *call) (result, *apiError) {
	m, e := c.eventEntity(eventParam(c))
	if e != nil {
		return failed(e)
	}
	var req struct {
		Action      string `json:"action"`
		Registrants []struct {
			ID    string `json:"id"`
			Email string `json:"email"`
		} `json:"registrants"`
	}
	if e := c.decode(&req); e != nil {
		return failed(e)
	}
	if len(req.Registrants) > 30 {
		return failed(fail(http.StatusBadRequest, 300, "At most 30 registrants at a time."))
	}
	var targets []*registrant
	if len(req.Registrants) == 0 {
		targets = slices.Clone(m.Registrants)
	}
	for _, in := range req.Registrants {
		var found *registrant
		for _, r := range m.Registrants {
			if (in.ID != "" && r.ID == in.ID) || (in.ID == "" && in.Email != "" && strings.EqualFold(r.Email, in.Email)) {
				found = r
			}
		}
		if found == nil {
			return failed(fail(http.StatusBadRequest, 3079, "Registrant does not exist: %s.", in.ID+in.Email))
		}
		targets = append(targets, found)
	}
	var to, event string
	switch req.Action {
	case "approve":
		to, event = "approved", "registration_approved"
	case "deny":
		to, event = "denied", "registration_denied"
	case "cancel":
		to, event = "denied", "registration_cancelled"
	default:
		return failed(fail(http.StatusBadRequest, 300, "Invalid field: action."))
	}
	for _, r := range targets {
		if req.Action == "cancel" && r.Status != "approved" {
			continue
		}
		if r.Status == to {
			continue
		}
		r.Status = to
		c.emit(m.kind()+"."+event, map[string]any{
			"operator": c.operatorEmail(), "operator_id": c.me(), "object": c.registrationEventObject(m, r, event),
		})
	}
	return noContent()
}

// GET .../registrants/questions
func getQuestions(c *call) (result, *apiError) {
	m, e := c.eventEntity(eventParam(c))
	if e != nil {
		return failed(e)
	}
	if m.Questions == nil {
		return ok(map[string]any{"questions": []any{}, "custom_questions": []any{}})
	}
	return ok(m.Questions)
}

// PATCH .../registrants/questions
func updateQuestions(c *call) (result, *apiError) {
	m, e := c.eventEntity(eventParam(c))
	if e != nil {
		return failed(e)
	}
	var req map[string]any
	if e := c.decode(&req); e != nil {
		return failed(e)
	}
	q := map[string]any{"questions": []any{}, "custom_questions": []any{}}
	for k, v := range m.Questions {
		q[k] = v
	}
	for _, k := range []string{"questions", "custom_questions"} {
		if v, ok := req[k]; ok {
			q[k] = v
		}
	}
	m.Questions = q
	return noContent()
}

// GET /webinars/{webinarId}/panelists
func listPanelists(c *call) (result, *apiError) {
	m, e := c.liveMeeting("webinarId", true)
	if e != nil {
		return failed(e)
	}
	items := make([]map[string]any, 0, len(m.Panelists))
	for _, p := range m.Panelists {
		items = append(items, map[string]any{"id": p.ID, "email": p.Email, "name": p.Name, "join_url": p.JoinURL})
	}
	return ok(map[string]any{"total_records": len(items), "panelists": items})
}

// POST /webinars/{webinarId}/panelists
func addPanelists(c *call) (result, *apiError) {
	m, e := c.liveMeeting("webinarId", true)
	if e != nil {
		return failed(e)
	}
	var req struct {
		Panelists []struct {
			Email string `json:"email"`
			Name  string `json:"name"`
		} `json:"panelists"`
	}
	if e := c.decode(&req); e != nil {
		return failed(e)
	}
	if len(req.Panelists) > 30 {
		return failed(fail(http.StatusBadRequest, 300, "At most 30 panelists at a time."))
	}
	var ids []string
	for _, in := range req.Panelists {
		var p *panelist
		for _, x := range m.Panelists {
			if strings.EqualFold(x.Email, in.Email) {
				p = x
				x.Name = in.Name
			}
		}
		if p == nil {
			p = &panelist{ID: c.st.ids.userID(), Email: in.Email, Name: in.Name}
			p.JoinURL = fmt.Sprintf("%s/w/%d?tk=%s", c.s.URL(), m.ID, p.ID)
			m.Panelists = append(m.Panelists, p)
		}
		ids = append(ids, p.ID)
	}
	return created(map[string]any{"id": strings.Join(ids, ","), "updated_at": zoomTime(c.now)})
}

// DELETE /webinars/{webinarId}/panelists
func deletePanelists(c *call) (result, *apiError) {
	m, e := c.liveMeeting("webinarId", true)
	if e != nil {
		return failed(e)
	}
	m.Panelists = nil
	return noContent()
}

// DELETE /webinars/{webinarId}/panelists/{panelistId}
func deletePanelist(c *call) (result, *apiError) {
	m, e := c.liveMeeting("webinarId", true)
	if e != nil {
		return failed(e)
	}
	id := c.params["panelistId"]
	n := len(m.Panelists)
	m.Panelists = slices.DeleteFunc(m.Panelists, func(p *panelist) bool { return p.ID == id || strings.EqualFold(p.Email, id) })
	if len(m.Panelists) == n {
		return failed(fail(http.StatusNotFound, 3001, "Panelist does not exist: %s.", id))
	}
	return noContent()
}
