package zoomtest_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zoomkit/zoomkit/webhook"
	"github.com/zoomkit/zoomkit/zoom"
	"github.com/zoomkit/zoomkit/zoom/zoomtest"
)

// recorder collects verified events.
type recorder struct {
	mu     sync.Mutex
	events []*webhook.Event
}

func (r *recorder) add(_ context.Context, e *webhook.Event) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	cp := *e
	cp.Raw = append(json.RawMessage(nil), e.Raw...)
	cp.Payload = append(json.RawMessage(nil), e.Payload...)
	r.events = append(r.events, &cp)
	return nil
}

func (r *recorder) names() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for _, e := range r.events {
		out = append(out, e.Name)
	}
	return out
}

func (r *recorder) last(name string) *webhook.Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	for i := len(r.events) - 1; i >= 0; i-- {
		if r.events[i].Name == name {
			return r.events[i]
		}
	}
	return nil
}

// subscribe starts a verifying webhook endpoint (a webhook.Handler on a
// loopback server) and subscribes it to s.
func subscribe(t *testing.T, s *zoomtest.Server, clk *clock) *recorder {
	t.Helper()
	const secret = "wh-secret-token"
	v, err := webhook.NewVerifier([]string{secret}, webhook.WithClock(clk.Now))
	require.NoError(t, err)
	h, err := webhook.NewHandler(v, webhook.WithoutDedup())
	require.NoError(t, err)
	rec := &recorder{}
	h.Fallback(rec.add)
	ts := httptest.NewServer(h)
	t.Cleanup(ts.Close)
	err = s.Subscribe(ts.URL, secret)
	require.NoError(t, err)
	return rec
}

func TestWebhookMeetingEvents(t *testing.T) {
	s, clk := start(t)
	rec := subscribe(t, s, clk)
	c := s.Client("me")
	ctx := context.Background()

	m, _, err := c.Meetings.Create(ctx, "me", &zoom.CreateMeetingRequest{Topic: "Hooked", Type: zoom.MeetingTypeScheduled,
		Settings: &zoom.MeetingSettingsRequest{ApprovalType: zoom.Ptr(zoom.ApprovalType(1))}})
	require.NoError(t, err)
	ev := rec.last("meeting.created")
	require.NotNil(t, ev, "no meeting.created; got %v", rec.names())
	p, err := ev.TypedPayload()
	require.NoError(t, err)
	created := p.(*webhook.MeetingCreatedPayload)
	assert.Equal(t, m.ID, created.Object.ID, "meeting.created payload %+v", created)
	assert.Equal(t, "Hooked", created.Object.Topic, "meeting.created payload %+v", created)
	assert.Equal(t, s.AccountID(), created.AccountID, "meeting.created payload %+v", created)
	// The id is a number in meeting.created.
	var raw struct {
		Payload struct {
			Object struct {
				ID json.RawMessage `json:"id"`
			} `json:"object"`
		} `json:"payload"`
	}
	_ = json.Unmarshal(ev.Raw, &raw)
	assert.Equal(t, m.ID.String(), string(raw.Payload.Object.ID), "meeting.created id = %s, want a number", raw.Payload.Object.ID)

	reg, _, err := c.Meetings.AddRegistrant(ctx, m.ID, &zoom.AddRegistrantRequest{Email: "ada@example.org", FirstName: "Ada"}, nil)
	require.NoError(t, err)
	got := s.Registrants(m.ID)
	require.Len(t, got, 1, "registrants %+v", got)
	require.Equal(t, "pending", got[0].Status, "registrants %+v", got)
	if _, err := c.Meetings.UpdateRegistrantStatus(ctx, m.ID, &zoom.UpdateRegistrantStatusRequest{
		Action: zoom.RegistrantActionApprove, Registrants: []zoom.RegistrantRef{{ID: reg.RegistrantID}}}, nil); err != nil {
		t.Fatal(err)
	}
	_, err = c.Meetings.Update(ctx, m.ID, &zoom.UpdateMeetingRequest{Topic: zoom.Ptr("Hooked 2")}, nil)
	require.NoError(t, err)

	// Live events: the meeting id is a string there.
	_, err = s.StartMeeting(m.ID)
	require.NoError(t, err)
	clk.Advance(time.Minute)
	pid, err := s.Join(m.ID, zoomtest.Participant{Name: "Ada", Email: "ada@example.org"})
	require.NoError(t, err)
	_, err = s.Join(m.ID, zoomtest.Participant{Name: "Guest"})
	require.NoError(t, err)
	clk.Advance(20 * time.Minute)
	err = s.Leave(m.ID, pid)
	require.NoError(t, err)
	clk.Advance(5 * time.Minute)
	_, err = c.Meetings.UpdateStatus(ctx, m.ID, &zoom.UpdateMeetingStatusRequest{Action: zoom.MeetingActionEnd})
	require.NoError(t, err)
	want := []string{"meeting.created", "meeting.registration_created", "meeting.registration_approved", "meeting.updated",
		"meeting.started", "meeting.participant_joined", "meeting.participant_joined", "meeting.participant_left",
		"meeting.participant_left", "meeting.ended"}
	if got := rec.names(); !equal(got, want) {
		t.Errorf("events\n got %v\nwant %v", got, want)
	}
	joined, _ := rec.last("meeting.participant_joined").TypedPayload()
	jp := joined.(*webhook.MeetingParticipantJoinedPayload)
	assert.Equal(t, m.ID, jp.Object.ID, "participant_joined %+v", jp.Object)
	assert.Equal(t, "Guest", jp.Object.Participant.UserName, "participant_joined %+v", jp.Object)
	_ = json.Unmarshal(rec.last("meeting.started").Raw, &raw)
	assert.Equal(t, strconv.Quote(m.ID.String()), string(raw.Payload.Object.ID), "meeting.started id = %s, want a string", raw.Payload.Object.ID)
	for _, d := range s.Deliveries() {
		assert.Equal(t, "", d.Err, "delivery %s: %d %s", d.Event, d.Status, d.Err)
		assert.Equal(t, 200, d.Status, "delivery %s: %d %s", d.Event, d.Status, d.Err)
	}

	// The past meeting and its participants, with the simulated times.
	past, _, err := c.Meetings.GetPast(ctx, zoom.LatestOf(m.ID))
	require.NoError(t, err)
	assert.Equal(t, 26, past.Duration, "past meeting %+v", past)
	assert.Equal(t, 2, past.ParticipantsCount, "past meeting %+v", past)
	clk.Advance(zoomtest.DefaultReportDelay) // the attendance data comes later
	parts, _, err := c.Meetings.ListPastParticipants(ctx, zoom.InstanceID(past.UUID), nil)
	require.NoError(t, err)
	if len(parts.Participants) != 2 || parts.Participants[0].Name != "Ada" || parts.Participants[0].Duration != 20*60 ||
		parts.Participants[0].RegistrantID != reg.RegistrantID {
		t.Errorf("participants %+v", parts.Participants)
	}
	checkEvents(t, s)
}

func TestUninstallRevokesAndNotifies(t *testing.T) {
	s, clk := start(t)
	rec := subscribe(t, s, clk)
	c := s.Client("me")
	ctx := context.Background()
	_, _, err := c.Users.Get(ctx, "me", nil)
	require.NoError(t, err)
	err = s.Uninstall("me")
	require.NoError(t, err)
	ev := rec.last("app_deauthorized")
	require.NotNil(t, ev, "no app_deauthorized; got %v", rec.names())
	p, _ := ev.TypedPayload()
	d := p.(*webhook.AppDeauthorizedPayload)
	assert.Equal(t, s.OwnerID(), d.UserID, "app_deauthorized %+v", d)
	assert.Equal(t, s.ClientID(), d.ClientID, "app_deauthorized %+v", d)
	assert.Equal(t, s.AccountID(), d.AccountID, "app_deauthorized %+v", d)
	_, _, err = c.Users.Get(ctx, "me", nil)
	assert.ErrorIs(t, err, zoom.ErrUnauthorized, "after uninstall: %v", err)
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestWebhookSubscriptionsAndFailures(t *testing.T) {
	s, clk := start(t)
	// A handler subscription for user events only, and a failing endpoint.
	v, _ := webhook.NewVerifier([]string{"s1"}, webhook.WithClock(clk.Now))
	h, _ := webhook.NewHandler(v, webhook.WithoutDedup())
	rec := &recorder{}
	h.Fallback(rec.add)
	err := s.SubscribeHandler(h, "s1", "user.created")
	require.NoError(t, err)
	down := httptest.NewServer(http500())
	defer down.Close()
	err = s.Subscribe(down.URL, "s2", "group.created", "group.member_added")
	require.NoError(t, err)
	err = s.Subscribe("not a url", "s")
	assert.Error(t, err, "a bad URL was accepted")
	c := s.Client("me")
	ctx := context.Background()
	if _, _, err := c.Users.Create(ctx, &zoom.CreateUserRequest{Action: zoom.UserCreateActionAutoCreate,
		UserInfo: &zoom.UserInfo{Email: "x@example.com", Type: zoom.UserTypeBasic}}); err != nil {
		t.Fatal(err)
	}
	g, _, err := c.Groups.Create(ctx, &zoom.CreateGroupRequest{Name: "Ops"})
	require.NoError(t, err)
	_, _, err = c.Groups.AddMembers(ctx, g.ID, &zoom.AddGroupMembersRequest{Members: []zoom.UserRef{{Email: "x@example.com"}}})
	require.NoError(t, err)
	if got := rec.names(); !equal(got, []string{"user.created"}) {
		t.Errorf("handler got %v", got)
	}
	ds := s.Deliveries()
	if len(ds) != 3 || ds[1].Event != "group.created" || ds[1].Status != 500 || ds[1].Err == "" || ds[2].Event != "group.member_added" {
		t.Fatalf("deliveries %+v", ds)
	}
	// The delivery is signed as Zoom signs.
	v2, _ := webhook.NewVerifier([]string{"s2"}, webhook.WithClock(clk.Now))
	err = v2.VerifyBytes(ctx, ds[1].Header, ds[1].Body)
	assert.NoError(t, err, "signature")
	if got := s.Events(); !equal(got, []string{"user.created", "group.created", "group.member_added"}) {
		t.Errorf("Events() = %v", got)
	}
}

func http500() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(500) })
}

func TestValidateEndpoints(t *testing.T) {
	s, clk := start(t)
	subscribe(t, s, clk) // a webhook.Handler answers the challenge itself
	err := s.ValidateEndpoints()
	require.NoError(t, err)
	down := httptest.NewServer(http500())
	defer down.Close()
	_ = s.Subscribe(down.URL, "x")
	err = s.ValidateEndpoints()
	assert.Error(t, err, "a failing endpoint validated")
}

// Many clients at once: the race detector watches the state.
func TestConcurrentClients(t *testing.T) {
	s, clk := start(t)
	subscribe(t, s, clk)
	ctx := context.Background()
	var wg sync.WaitGroup
	for i := range 8 {
		u, err := s.AddUser(zoomtest.User{Email: "u" + strconv.Itoa(i) + "@example.com", Type: 2})
		require.NoError(t, err)
		c := s.Client(u.ID)
		wg.Go(func() {
			for range 5 {
				m, _, err := c.Meetings.Create(ctx, "me", &zoom.CreateMeetingRequest{Topic: "t"})
				if err != nil {
					t.Error(err)
					return
				}
				_, _, err = c.Meetings.List(ctx, "me", nil)
				assert.NoError(t, err)
				_, err = s.StartMeeting(m.ID)
				assert.NoError(t, err)
				_ = s.EndMeeting(m.ID)
			}
		})
	}
	wg.Wait()
	n := len(s.Deliveries())
	assert.Equal(t, 8*5*3, n, "deliveries = %d, want %d", n, 8*5*3)
}

// Every event the server emits is one the webhook package knows, and its
// payload decodes into the typed payload.
func TestEveryEventDecodes(t *testing.T) {
	s, clk := start(t)
	err := s.SubscribeHandler(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}), "x")
	require.NoError(t, err)
	c := s.Client("me")
	ctx := context.Background()
	must := func(err error) {
		t.Helper()
		require.NoError(t, err)
	}
	approval := &zoom.MeetingSettingsRequest{ApprovalType: zoom.Ptr(zoom.ApprovalType(1))}
	m, _, err := c.Meetings.Create(ctx, "me", &zoom.CreateMeetingRequest{Topic: "all events", Settings: approval})
	must(err)
	r, _, err := c.Meetings.AddRegistrant(ctx, m.ID, &zoom.AddRegistrantRequest{Email: "r@example.org", FirstName: "R"}, nil)
	must(err)
	for _, a := range []zoom.RegistrantAction{zoom.RegistrantActionApprove, zoom.RegistrantActionCancel, zoom.RegistrantActionApprove, zoom.RegistrantActionDeny} {
		_, err = c.Meetings.UpdateRegistrantStatus(ctx, m.ID, &zoom.UpdateRegistrantStatusRequest{Action: a, Registrants: []zoom.RegistrantRef{{ID: r.RegistrantID}}}, nil)
		must(err)
	}
	_, err = c.Meetings.Update(ctx, m.ID, &zoom.UpdateMeetingRequest{Topic: zoom.Ptr("renamed")}, nil)
	must(err)
	_, err = s.StartMeeting(m.ID)
	must(err)
	p1, err := s.Join(m.ID, zoomtest.Participant{Name: "P", Email: "r@example.org"})
	must(err)
	clk.Advance(time.Minute)
	must(s.Leave(m.ID, p1))
	must(s.EndMeeting(m.ID))
	must(s.CompleteRecording(m.ID))
	_, err = c.Meetings.Delete(ctx, m.ID, nil)
	must(err)
	_, err = c.Meetings.UpdateStatus(ctx, m.ID, &zoom.UpdateMeetingStatusRequest{Action: zoom.MeetingActionRecover})
	must(err)

	w, _, err := c.Webinars.Create(ctx, "me", &zoom.CreateWebinarRequest{Topic: "w", Settings: &zoom.WebinarSettingsRequest{ApprovalType: zoom.Ptr(zoom.ApprovalType(0))}})
	must(err)
	_, _, err = c.Webinars.AddRegistrant(ctx, w.ID, &zoom.AddRegistrantRequest{Email: "r@example.org", FirstName: "R"}, nil)
	must(err)
	_, err = c.Webinars.Update(ctx, w.ID, &zoom.UpdateWebinarRequest{Topic: zoom.Ptr("w2")}, nil)
	must(err)
	_, err = s.StartWebinar(w.ID)
	must(err)
	_, err = s.Join(w.ID, zoomtest.Participant{Name: "V"})
	must(err)
	must(s.EndWebinar(w.ID))
	_, err = c.Webinars.Delete(ctx, w.ID, nil)
	must(err)

	u, _, err := c.Users.Create(ctx, &zoom.CreateUserRequest{Action: zoom.UserCreateActionCreate, UserInfo: &zoom.UserInfo{Email: "u@example.org", Type: zoom.UserTypeBasic}})
	must(err)
	must(s.AcceptInvitation("u@example.org"))
	_, err = c.Users.Update(ctx, u.ID, &zoom.UpdateUserRequest{FirstName: zoom.Ptr("U")}, nil)
	must(err)
	_, err = c.Users.UpdateStatus(ctx, u.ID, &zoom.UpdateUserStatusRequest{Action: zoom.UserStatusActionDeactivate})
	must(err)
	_, err = c.Users.UpdateStatus(ctx, u.ID, &zoom.UpdateUserStatusRequest{Action: zoom.UserStatusActionActivate})
	must(err)
	g, _, err := c.Groups.Create(ctx, &zoom.CreateGroupRequest{Name: "G"})
	must(err)
	_, _, err = c.Groups.AddMembers(ctx, g.ID, &zoom.AddGroupMembersRequest{Members: []zoom.UserRef{{ID: u.ID}}})
	must(err)
	_, err = c.Groups.DeleteMember(ctx, g.ID, u.ID)
	must(err)
	_, err = c.Groups.Update(ctx, g.ID, &zoom.UpdateGroupRequest{Name: zoom.Ptr("G2")})
	must(err)
	_, err = c.Groups.Delete(ctx, g.ID)
	must(err)
	_, err = c.Users.Delete(ctx, u.ID, nil)
	must(err)
	must(s.Uninstall("me"))

	known := map[string]bool{}
	for _, n := range webhook.KnownEvents() {
		known[n] = true
	}
	seen := map[string]bool{}
	for _, d := range s.Deliveries() {
		seen[d.Event] = true
		if !known[d.Event] && d.Event != "meeting.recovered" && d.Event != "user.invitation_accepted" {
			t.Errorf("event %s is unknown to package webhook", d.Event)
		}
		ev, err := webhook.ParseEvent(d.Body)
		if err != nil {
			t.Errorf("%s: %v", d.Event, err)
			continue
		}
		_, err = ev.TypedPayload()
		assert.NoError(t, err, "%s: payload: %v\n%s", d.Event, err, d.Body)
	}
	assert.GreaterOrEqual(t, len(seen), 30, "only %d kinds of events: %v", len(seen), seen)
	checkEvents(t, s)
}

// A webhook handler may call the API back while the delivery is under way
// (as an app fetching the attendance report on meeting.ended).
func TestHandlerCallsBackIntoTheAPI(t *testing.T) {
	s, clk := start(t, zoomtest.WithReportDelay(0)) // the report is ready at the end
	c := s.Client("me")
	v, _ := webhook.NewVerifier([]string{"k"}, webhook.WithClock(clk.Now))
	h, _ := webhook.NewHandler(v, webhook.WithoutDedup())
	var attended []string
	h.OnMeetingEnded(func(ctx context.Context, _ *webhook.Event, p *webhook.MeetingEndedPayload) error {
		for part, err := range c.Reports.ListMeetingParticipantsAll(ctx, zoom.InstanceID(p.Object.UUID), nil) {
			if err != nil {
				return err
			}
			attended = append(attended, part.Name)
		}
		return nil
	})
	ts := httptest.NewServer(h)
	defer ts.Close()
	err := s.Subscribe(ts.URL, "k", "meeting.ended")
	require.NoError(t, err)
	ctx := context.Background()
	m, _, err := c.Meetings.Create(ctx, "me", &zoom.CreateMeetingRequest{Topic: "CME"})
	require.NoError(t, err)
	_, _ = s.StartMeeting(m.ID)
	_, _ = s.Join(m.ID, zoomtest.Participant{Name: "Dr. A"})
	_, _ = s.Join(m.ID, zoomtest.Participant{Name: "Dr. B"})
	clk.Advance(time.Hour)
	// Ended through the API: the delivery happens inside that request.
	_, err = c.Meetings.UpdateStatus(ctx, m.ID, &zoom.UpdateMeetingStatusRequest{Action: zoom.MeetingActionEnd})
	require.NoError(t, err)
	if !equal(attended, []string{"Dr. A", "Dr. B"}) {
		t.Errorf("attended %v; deliveries %+v", attended, s.Deliveries())
	}
}

// A redelivered event reaches the handler's deduplication.
func TestRedeliver(t *testing.T) {
	s, clk := start(t)
	v, _ := webhook.NewVerifier([]string{"k"}, webhook.WithClock(clk.Now))
	h, _ := webhook.NewHandler(v) // deduplicates in memory
	calls := 0
	h.OnMeetingCreated(func(context.Context, *webhook.Event, *webhook.MeetingCreatedPayload) error {
		calls++
		return nil
	})
	err := s.SubscribeHandler(h, "k")
	require.NoError(t, err)
	_, _, err = s.Client("me").Meetings.Create(context.Background(), "me", &zoom.CreateMeetingRequest{Topic: "once"})
	require.NoError(t, err)
	clk.Advance(5 * time.Minute)
	err = s.Redeliver(0)
	require.NoError(t, err)
	ds := s.Deliveries()
	if len(ds) != 2 || ds[1].Status != 200 || string(ds[1].Body) != string(ds[0].Body) || ds[1].Header.Get("x-zm-request-timestamp") == ds[0].Header.Get("x-zm-request-timestamp") {
		t.Errorf("deliveries %+v", ds)
	}
	assert.Equal(t, 1, calls, "handler called %d times, want 1", calls)
	err = s.Redeliver(7)
	assert.Error(t, err, "Redeliver(7) worked")
}
