package zoomtest

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/zoomkit/zoomkit/zoom"
)

// Participant is someone who joins a simulated meeting or webinar.
type Participant struct {
	// Name is the display name (required).
	Name string
	// Email is the participant's email, if known. Live participant events
	// show it only for users of the account (see UserID): Zoom hides
	// guests' emails there. Reports and [Server.Participants] keep it.
	Email string
	// UserID is the Zoom user id of a signed-in user of the account.
	// When empty and Email names a user of the account, it is filled in.
	UserID string
	// RegistrantID links the participant to a registration. When empty
	// and Email matches a registrant, it is filled in.
	RegistrantID string
}

// Attendance is one stay of a participant in a meeting or webinar
// instance, as [Server.Participants] reports it.
type Attendance struct {
	// ID is the per-meeting participant id (Zoom's user_id in reports).
	ID           string
	UserID       string
	Name         string
	Email        string
	RegistrantID string
	JoinTime     time.Time
	LeaveTime    time.Time // zero while in the meeting
}

// StartMeeting starts a meeting (or webinar) as when its host clicks
// Start: a new instance with a new UUID begins at the server clock's time,
// and meeting.started (or webinar.started) is emitted. It returns the
// instance's UUID.
func (s *Server) StartMeeting(id zoom.ID) (string, error) {
	s.mu.Lock()
	m := s.st.meetings[id]
	if m == nil || m.deleted {
		s.mu.Unlock()
		return "", fmt.Errorf("zoomtest: StartMeeting: no meeting %d", id)
	}
	if m.Live != nil {
		s.mu.Unlock()
		return "", fmt.Errorf("zoomtest: StartMeeting: meeting %d is already started", id)
	}
	now := s.cfg.now()
	uuid := m.UUID
	// The first instance keeps the meeting's UUID; later ones get new ones.
	for _, in := range m.Past {
		if in.UUID == uuid {
			uuid = s.st.ids.uuid()
			break
		}
	}
	m.Live = &instance{UUID: uuid, StartTime: now.UTC().Truncate(time.Second)}
	m.Status = "started"
	ev := s.st.event(m.kind()+".started", now, map[string]any{"object": s.st.liveObject(m, m.Live, nil)})
	s.mu.Unlock()
	s.emitNow([]pendingEvent{ev})
	return uuid, nil
}

// StartWebinar is StartMeeting for a webinar.
func (s *Server) StartWebinar(id zoom.ID) (string, error) { return s.StartMeeting(id) }

// liveObject is the object of started, ended and participant events: the
// meeting id is a string there.
func (st *state) liveObject(m *meeting, in *instance, p *participant) map[string]any {
	obj := map[string]any{
		"id":         m.ID.String(),
		"uuid":       in.UUID,
		"host_id":    m.HostID,
		"topic":      m.Topic,
		"type":       m.Type,
		"start_time": zoomTime(in.StartTime),
		"timezone":   m.Timezone,
		"duration":   m.Duration,
	}
	if !in.EndTime.IsZero() && p == nil {
		obj["end_time"] = zoomTime(in.EndTime)
	}
	if p != nil {
		// Zoom gives the email only of participants signed in to the
		// host's account (those with a user id); guests' email, id and
		// participant_user_id are empty strings.
		email := p.Email
		if p.UserID == "" {
			email = ""
		}
		pj := map[string]any{
			"user_id":             p.ID,
			"user_name":           p.Name,
			"id":                  p.UserID,
			"participant_uuid":    p.UUID,
			"participant_user_id": p.UserID,
			"email":               email,
			"registrant_id":       p.RegistrantID,
			"join_time":           zoomTime(p.JoinTime),
		}
		if !p.LeaveTime.IsZero() {
			pj["leave_time"] = zoomTime(p.LeaveTime)
			pj["leave_reason"] = "left the meeting"
			delete(pj, "join_time") // participant_left carries only leave_time
		}
		obj["participant"] = pj
	}
	return obj
}

// Join makes p join the running instance of a meeting or webinar at the
// server clock's time and emits meeting.participant_joined (or
// webinar.participant_joined). It returns the participant's per-meeting
// id, which [Server.Leave] takes.
func (s *Server) Join(meetingID zoom.ID, p Participant) (string, error) {
	if strings.TrimSpace(p.Name) == "" {
		return "", fmt.Errorf("zoomtest: Join: participant without a name")
	}
	s.mu.Lock()
	m := s.st.meetings[meetingID]
	if m == nil || m.Live == nil {
		s.mu.Unlock()
		return "", fmt.Errorf("zoomtest: Join: meeting %d is not started", meetingID)
	}
	now := s.cfg.now()
	in := m.Live
	if p.UserID == "" && p.Email != "" {
		// Signed in to the host's account: guests of another account
		// stay guests.
		if u := s.st.lookupUserIn(s.st.accountOf(s.st.userByID(m.HostID)).id, p.Email, ""); u != nil {
			p.UserID = u.ID
		}
	}
	if p.RegistrantID == "" && p.Email != "" {
		for _, r := range m.Registrants {
			if strings.EqualFold(r.Email, p.Email) {
				p.RegistrantID = r.ID
			}
		}
	}
	in.nextPID++
	pa := &participant{
		ID: strconv.Itoa(16778240 + in.nextPID), UUID: s.st.ids.userID(), UserID: p.UserID, Name: p.Name,
		Email: p.Email, RegistrantID: p.RegistrantID, JoinTime: now.UTC().Truncate(time.Second),
	}
	in.Participants = append(in.Participants, pa)
	ev := s.st.event(m.kind()+".participant_joined", now, map[string]any{"object": s.st.liveObject(m, in, pa)})
	s.mu.Unlock()
	s.emitNow([]pendingEvent{ev})
	return pa.ID, nil
}

// Leave makes the participant with the per-meeting id participantID (from
// [Server.Join]) leave at the server clock's time, and emits
// meeting.participant_left (or webinar.participant_left).
func (s *Server) Leave(meetingID zoom.ID, participantID string) error {
	s.mu.Lock()
	m := s.st.meetings[meetingID]
	if m == nil || m.Live == nil {
		s.mu.Unlock()
		return fmt.Errorf("zoomtest: Leave: meeting %d is not started", meetingID)
	}
	var pa *participant
	for _, p := range m.Live.Participants {
		if p.ID == participantID && p.LeaveTime.IsZero() {
			pa = p
		}
	}
	if pa == nil {
		s.mu.Unlock()
		return fmt.Errorf("zoomtest: Leave: no participant %q in meeting %d", participantID, meetingID)
	}
	now := s.cfg.now()
	pa.LeaveTime = now.UTC().Truncate(time.Second)
	ev := s.st.event(m.kind()+".participant_left", now, map[string]any{"object": s.st.liveObject(m, m.Live, pa)})
	s.mu.Unlock()
	s.emitNow([]pendingEvent{ev})
	return nil
}

// EndMeeting ends the running instance of a meeting or webinar: the
// participants still in it leave (participant_left events), and
// meeting.ended (or webinar.ended) is emitted. The instance becomes a past
// meeting, with its participants in the past-meeting and report APIs.
func (s *Server) EndMeeting(id zoom.ID) error {
	s.mu.Lock()
	m := s.st.meetings[id]
	if m == nil || m.Live == nil {
		s.mu.Unlock()
		return fmt.Errorf("zoomtest: EndMeeting: meeting %d is not started", id)
	}
	evs := s.endLocked(m, s.cfg.now())
	s.mu.Unlock()
	s.emitNow(evs)
	return nil
}

// EndWebinar is EndMeeting for a webinar.
func (s *Server) EndWebinar(id zoom.ID) error { return s.EndMeeting(id) }

// endLocked ends m's live instance; s.mu is held.
func (s *Server) endLocked(m *meeting, now time.Time) []pendingEvent {
	in := m.Live
	var evs []pendingEvent
	end := now.UTC().Truncate(time.Second)
	for _, p := range in.Participants {
		if p.LeaveTime.IsZero() {
			p.LeaveTime = end
			evs = append(evs, s.st.event(m.kind()+".participant_left", now, map[string]any{"object": s.st.liveObject(m, in, p)}))
		}
	}
	in.EndTime = end
	m.Past = append(m.Past, in)
	m.Live = nil
	m.Status = "waiting"
	obj := s.st.liveObject(m, in, nil)
	payload := map[string]any{"object": obj}
	if m.Webinar {
		obj["practice_session"] = false
	}
	evs = append(evs, s.st.event(m.kind()+".ended", now, payload))
	return evs
}

// Participants returns the attendance of the latest instance (running or
// past) of a meeting or webinar, in join order.
func (s *Server) Participants(meetingID zoom.ID) []Attendance {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.st.meetings[meetingID]
	if m == nil {
		return nil
	}
	in := m.Live
	if in == nil && len(m.Past) > 0 {
		in = m.Past[len(m.Past)-1]
	}
	if in == nil {
		return nil
	}
	out := make([]Attendance, 0, len(in.Participants))
	for _, p := range in.Participants {
		out = append(out, Attendance{ID: p.ID, UserID: p.UserID, Name: p.Name, Email: p.Email,
			RegistrantID: p.RegistrantID, JoinTime: p.JoinTime, LeaveTime: p.LeaveTime})
	}
	return out
}

// CompleteRecording attaches a cloud recording (MP4, M4A and closed
// captions) to the latest ended instance of a meeting or webinar and
// emits recording.completed.
func (s *Server) CompleteRecording(meetingID zoom.ID) error {
	s.mu.Lock()
	m := s.st.meetings[meetingID]
	if m == nil || len(m.Past) == 0 {
		s.mu.Unlock()
		return fmt.Errorf("zoomtest: CompleteRecording: meeting %d has no ended instance", meetingID)
	}
	in := m.Past[len(m.Past)-1]
	if in.Recording == nil {
		rec := &recording{ID: s.st.ids.userID(), Start: in.StartTime, End: in.EndTime}
		secs := int64(in.EndTime.Sub(in.StartTime) / time.Second)
		for _, f := range []struct{ typ, ext, rt string }{
			{"MP4", "MP4", "shared_screen_with_speaker_view"},
			{"M4A", "M4A", "audio_only"},
			{"CC", "VTT", "closed_caption"}, // valid in both the API's and the events' documents
		} {
			size := 1000 + secs*2000
			rec.Files = append(rec.Files, recordingFile{ID: s.st.ids.userID(), Type: f.typ, Ext: f.ext, RecType: f.rt,
				Start: in.StartTime, End: in.EndTime, Size: size})
			rec.Size += size
		}
		in.Recording = rec
	}
	now := s.cfg.now()
	obj := s.st.recordingJSON(s, m, in)
	obj["type"] = m.Type // a number in the event, a string in the API
	obj["account_id"] = s.st.accountOf(s.st.userByID(m.HostID)).id
	obj["password"] = m.Password
	if u := s.st.userByID(m.HostID); u != nil {
		obj["host_email"] = u.Email
	}
	ev := s.st.event("recording.completed", now, map[string]any{"object": obj, "download_token": secretToken("", 24)})
	s.mu.Unlock()
	s.emitNow([]pendingEvent{ev})
	return nil
}

// recordingJSON renders an instance's recording as the API does (the
// meeting id is a number, the type a string).
func (st *state) recordingJSON(s *Server, m *meeting, in *instance) map[string]any {
	rec := in.Recording
	var files []map[string]any
	for _, f := range rec.Files {
		files = append(files, map[string]any{
			"id":              f.ID,
			"meeting_id":      in.UUID,
			"recording_start": zoomTime(f.Start),
			"recording_end":   zoomTime(f.End),
			"file_type":       f.Type,
			"file_extension":  f.Ext,
			"file_size":       f.Size,
			"play_url":        fmt.Sprintf("%s/rec/play/%s", s.URL(), f.ID),
			"download_url":    fmt.Sprintf("%s/rec/download/%s", s.URL(), f.ID),
			"status":          "completed",
			"recording_type":  f.RecType,
		})
	}
	return map[string]any{
		"uuid":            in.UUID,
		"id":              m.ID,
		"host_id":         m.HostID,
		"topic":           m.Topic,
		"type":            strconv.Itoa(m.Type),
		"start_time":      zoomTime(in.StartTime),
		"timezone":        m.Timezone,
		"duration":        int(in.EndTime.Sub(in.StartTime) / time.Minute),
		"total_size":      rec.Size,
		"recording_count": len(files),
		"share_url":       fmt.Sprintf("%s/rec/share/%s", s.URL(), rec.ID),
		"recording_files": files,
	}
}

// Uninstall simulates the removal of the default app in Zoom's
// Marketplace: by a user (userID names them) or, with userID empty, by the
// account admin for the whole account. It is [Server.UninstallApp] for
// [Server.ClientID].
func (s *Server) Uninstall(userID string) error {
	return s.UninstallApp(s.ClientID(), userID)
}

// UninstallApp simulates the removal of the app clientID in Zoom's
// Marketplace (Manage > Installed apps): by a user (userID names them) or,
// with userID empty, by the account admin for the whole account. Every
// grant and token of that installation dies at once, and app_deauthorized
// is sent, as when the app revokes the user's token at /oauth/revoke.
func (s *Server) UninstallApp(clientID, userID string) error {
	s.mu.Lock()
	a := s.appByClientID(clientID)
	if a == nil {
		s.mu.Unlock()
		return fmt.Errorf("zoomtest: UninstallApp: no app %q", clientID)
	}
	uid := ""
	if userID != "" {
		u := s.st.lookupUser(userID, s.st.ownerID)
		if u == nil {
			s.mu.Unlock()
			return fmt.Errorf("zoomtest: Uninstall: no user %q", userID)
		}
		uid = u.ID
	}
	ev := s.uninstallLocked(a, uid)
	s.mu.Unlock()
	s.emitNow([]pendingEvent{ev})
	return nil
}
