package zoom

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMeetingsService(t *testing.T) {
	t.Parallel()
	runCases(t, []apiCase{
		{
			name: "Create",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return c.Meetings.Create(ctx, "me", &CreateMeetingRequest{
					Topic:     "Weekly sync",
					Type:      MeetingTypeScheduled,
					StartTime: NewTime(time.Date(2026, 3, 1, 15, 0, 0, 0, time.UTC)),
					Duration:  45,
					Timezone:  "Europe/Berlin",
					Settings: &MeetingSettingsRequest{
						JoinBeforeHost: Ptr(false),
						ApprovalType:   Ptr(ApprovalTypeAutomatic),
						Audio:          Ptr(AudioTypeVOIP),
						WaitingRoom:    Ptr(true),
					},
				})
			},
			status: http.StatusCreated,
			resp:   fixture(t, "zoom_rb/meeting/create.json"),
			method: "POST", path: "/users/me/meetings",
			body: `{"topic":"Weekly sync","type":2,"start_time":"2026-03-01T15:00:00Z","duration":45,"timezone":"Europe/Berlin",
				"settings":{"join_before_host":false,"approval_type":0,"audio":"voip","waiting_room":true}}`,
			check: func(t *testing.T, out any) {
				m := out.(*Meeting)
				assert.Equal(t, ID(91538056781), m.ID, "meeting = %d %v %q", m.ID, m.Type, m.Status)
				assert.Equal(t, MeetingTypeScheduled, m.Type, "meeting = %d %v %q", m.ID, m.Type, m.Status)
				assert.Equal(t, MeetingStatusWaiting, m.Status, "meeting = %d %v %q", m.ID, m.Type, m.Status)
				if m.Settings == nil || m.Settings.ApprovalType != ApprovalTypeNoRegistration {
					t.Errorf("settings.approval_type = %+v", m.Settings)
				}
				assert.NotEmpty(t, m.Settings.GlobalDialInNumbers, "global_dial_in_numbers = %+v", m.Settings.GlobalDialInNumbers)
				assert.Equal(t, DialInNumberTypeToll, m.Settings.GlobalDialInNumbers[0].Type, "global_dial_in_numbers = %+v", m.Settings.GlobalDialInNumbers)
				assert.Contains(t, m.StartURL.Reveal(), "zak=", "start_url not kept secret: %v", m.StartURL)
				assert.Equal(t, "REDACTED", fmt.Sprint(m.StartURL), "start_url not kept secret: %v", m.StartURL)
			},
		},
		{
			name: "Get",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return c.Meetings.Get(ctx, 91538056781, &GetMeetingOptions{OccurrenceID: "1648194360000", ShowPreviousOccurrences: Ptr(true)})
			},
			resp:   fixture(t, "zoom_rb/meeting/get.json"),
			method: "GET", path: "/meetings/91538056781",
			query: "occurrence_id=1648194360000&show_previous_occurrences=true",
			check: func(t *testing.T, out any) {
				m := out.(*Meeting)
				want := time.Date(2020, 5, 5, 21, 0, 0, 0, time.UTC)
				if m.ID != 91538056781 || m.UUID != "gFYYRVHMRdSWzGZX/6LsJA==" || !m.StartTime.Equal(want) || m.Duration != 30 {
					t.Errorf("meeting = %+v", m)
				}
				if !m.Settings.JoinBeforeHost || m.Settings.AutoRecording != AutoRecordingCloud {
					t.Errorf("settings = %+v", m.Settings)
				}
			},
		},
		{
			name: "GetNoOptions",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return c.Meetings.Get(ctx, 85746065, nil)
			},
			resp:   []byte(`{"id":"85746065","type":99,"status":"archived","unknown_field":{"x":1},"settings":{"audio":"carrier_pigeon"}}`),
			method: "GET", path: "/meetings/85746065",
			check: func(t *testing.T, out any) {
				m := out.(*Meeting)
				assert.Equal(t, ID(85746065), m.ID, "id sent as a string decoded as %d", m.ID)
				assert.Equal(t, MeetingType(99), m.Type, "unknown enum values = %v %q %q", m.Type, m.Status, m.Settings.Audio)
				assert.Equal(t, "MeetingType(99)", m.Type.String(), "unknown enum values = %v %q %q", m.Type, m.Status, m.Settings.Audio)
				assert.Equal(t, MeetingStatus("archived"), m.Status, "unknown enum values = %v %q %q", m.Type, m.Status, m.Settings.Audio)
				assert.Equal(t, AudioType("carrier_pigeon"), m.Settings.Audio, "unknown enum values = %v %q %q", m.Type, m.Status, m.Settings.Audio)
			},
		},
		{
			name: "List",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return c.Meetings.List(ctx, "jchill@example.com", &ListMeetingsOptions{
					Type: MeetingListTypeUpcoming, PageSize: 300,
					From: Date{2026, time.January, 1}, To: Date{2026, time.January, 31},
				})
			},
			resp:   fixture(t, "zoom_rb/meeting/list.json"),
			method: "GET", path: "/users/jchill@example.com/meetings",
			query: "type=upcoming&page_size=300&from=2026-01-01&to=2026-01-31",
			check: func(t *testing.T, out any) {
				l := out.(*MeetingList)
				if l.TotalRecords != 235 || len(l.Meetings) != 1 || l.Meetings[0].ID != 123456789 || l.Meetings[0].Topic != "Topic for this meeting" {
					t.Errorf("list = %+v", l)
				}
			},
		},
		{
			name: "Update",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return noOut(c.Meetings.Update(ctx, 85746065, &UpdateMeetingRequest{
					Agenda:   Ptr("New agenda"),
					Settings: &MeetingSettingsRequest{JoinBeforeHost: Ptr(false), JBHTime: Ptr(0), MuteUponEntry: Ptr(true)},
				}, &UpdateMeetingOptions{OccurrenceID: "1648194360000"}))
			},
			status: http.StatusNoContent,
			method: "PATCH", path: "/meetings/85746065", query: "occurrence_id=1648194360000",
			body: `{"agenda":"New agenda","settings":{"join_before_host":false,"jbh_time":0,"mute_upon_entry":true}}`,
		},
		{
			name: "Delete",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return noOut(c.Meetings.Delete(ctx, 85746065, &DeleteMeetingOptions{ScheduleForReminder: Ptr(true), CancelMeetingReminder: Ptr(true)}))
			},
			status: http.StatusNoContent,
			method: "DELETE", path: "/meetings/85746065", query: "schedule_for_reminder=true&cancel_meeting_reminder=true",
		},
		{
			name: "UpdateStatus",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return noOut(c.Meetings.UpdateStatus(ctx, 85746065, &UpdateMeetingStatusRequest{Action: MeetingActionEnd}))
			},
			status: http.StatusNoContent,
			method: "PUT", path: "/meetings/85746065/status", body: `{"action":"end"}`,
		},
		{
			name: "GetInvitation",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return c.Meetings.GetInvitation(ctx, 85746065)
			},
			resp:   fixture(t, "zoom_rb/meeting/invitation.json"),
			method: "GET", path: "/meetings/85746065/invitation",
			check: func(t *testing.T, out any) {
				inv := out.(*MeetingInvitation)
				assert.True(t, strings.HasPrefix(inv.Invitation, "Team Member is inviting you"), "invitation = %q", inv.Invitation)
			},
		},
		{
			name: "ListRegistrants",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return c.Meetings.ListRegistrants(ctx, 85746065, &ListMeetingRegistrantsOptions{Status: RegistrantStatusPending, PageSize: 100})
			},
			resp:   []byte(`{"page_size":100,"total_records":1,"next_page_token":"tok","registrants":[{"id":"9tboDiHUQAeOnbmudzWa5g","email":"jchill@example.com","first_name":"Jill","status":"pending","create_time":"2022-03-22T05:59:09Z","join_url":"https://example.com/j/11111"}]}`),
			method: "GET", path: "/meetings/85746065/registrants", query: "status=pending&page_size=100",
			check: func(t *testing.T, out any) {
				l := out.(*RegistrantList)
				if len(l.Registrants) != 1 || l.Registrants[0].Status != RegistrantStatusPending || l.NextPageToken != "tok" {
					t.Errorf("registrants = %+v", l)
				}
			},
		},
		{
			name: "AddRegistrant",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return c.Meetings.AddRegistrant(ctx, 85746065, &AddRegistrantRequest{Email: "jchill@example.com", FirstName: "Jill", LastName: "Chill"},
					&AddMeetingRegistrantOptions{OccurrenceIDs: "1648194360000,1648367160000"})
			},
			status: http.StatusCreated,
			resp:   fixture(t, "zoom_rb/meeting/add_registrant.json"),
			method: "POST", path: "/meetings/85746065/registrants", query: "occurrence_ids=1648194360000%2C1648367160000",
			body: `{"email":"jchill@example.com","first_name":"Jill","last_name":"Chill"}`,
			check: func(t *testing.T, out any) {
				r := out.(*MeetingRegistration)
				if r.ID != 1 || r.RegistrantID != "555" || r.JoinURL == "" {
					t.Errorf("registration = %+v", r)
				}
			},
		},
		{
			name: "UpdateRegistrantStatus",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return noOut(c.Meetings.UpdateRegistrantStatus(ctx, 85746065, &UpdateRegistrantStatusRequest{
					Action: RegistrantActionApprove, Registrants: []RegistrantRef{{ID: "9tboDiHUQAeOnbmudzWa5g"}, {Email: "jchill@example.com"}},
				}, nil))
			},
			status: http.StatusNoContent,
			method: "PUT", path: "/meetings/85746065/registrants/status",
			body: `{"action":"approve","registrants":[{"id":"9tboDiHUQAeOnbmudzWa5g"},{"email":"jchill@example.com"}]}`,
		},
		{
			name: "DeleteRegistrant",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return noOut(c.Meetings.DeleteRegistrant(ctx, 85746065, "a/b c", &DeleteMeetingRegistrantOptions{OccurrenceID: "1648194360000"}))
			},
			status: http.StatusNoContent,
			method: "DELETE", path: "/meetings/85746065/registrants/a%2Fb%20c", query: "occurrence_id=1648194360000",
		},
		{
			name: "AddBatchRegistrants",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return c.Meetings.AddBatchRegistrants(ctx, 85746065, &AddBatchRegistrantsRequest{
					AutoApprove: Ptr(true), Registrants: []BatchRegistrant{{Email: "a@example.com", FirstName: "A"}},
				})
			},
			status: http.StatusCreated,
			resp:   []byte(`{"registrants":[{"email":"a@example.com","join_url":"https://example.com/j/1","registrant_id":"r1","participant_pin_code":380092}]}`),
			method: "POST", path: "/meetings/85746065/batch_registrants",
			body: `{"auto_approve":true,"registrants":[{"email":"a@example.com","first_name":"A"}]}`,
			check: func(t *testing.T, out any) {
				if r := out.(*BatchRegistrantsResult); len(r.Registrants) != 1 || r.Registrants[0].RegistrantID != "r1" {
					t.Errorf("result = %+v", r)
				}
			},
		},
		{
			name: "GetPastByUUIDWithSlash",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return c.Meetings.GetPast(ctx, InstanceID("/gFYYRVHMRdSWzGZX6LsJA=="))
			},
			resp:   []byte(`{"id":85746065,"uuid":"/gFYYRVHMRdSWzGZX6LsJA==","type":2,"participants_count":3,"start_time":"2026-02-01T10:00:00Z","end_time":"2026-02-01T10:30:00Z"}`),
			method: "GET", path: "/past_meetings/%252FgFYYRVHMRdSWzGZX6LsJA==",
			check: func(t *testing.T, out any) {
				p := out.(*PastMeeting)
				assert.Equal(t, ID(85746065), p.ID, "past meeting = %+v", p)
				assert.Equal(t, 3, p.ParticipantsCount, "past meeting = %+v", p)
				assert.Equal(t, 30*time.Minute, p.EndTime.Sub(p.StartTime.Time), "past meeting = %+v", p)
			},
		},
		{
			name: "GetPastLatest",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return c.Meetings.GetPast(ctx, LatestOf(85746065))
			},
			resp:   []byte(`{"id":85746065}`),
			method: "GET", path: "/past_meetings/85746065",
		},
		{
			name: "ListPastInstances",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return c.Meetings.ListPastInstances(ctx, 85746065)
			},
			resp:   fixture(t, "zoom_rb/meeting/instances.json"),
			method: "GET", path: "/past_meetings/85746065/instances",
			check: func(t *testing.T, out any) {
				if l := out.(*MeetingInstanceList); len(l.Meetings) != 1 || l.Meetings[0].UUID != "Vg8IdgluR5WDeWIkpJlElQ==" {
					t.Errorf("instances = %+v", l)
				}
			},
		},
		{
			name: "ListPastParticipantsDoubleSlash",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return c.Meetings.ListPastParticipants(ctx, InstanceID("ab//cd=="), &ListPastMeetingParticipantsOptions{PageSize: 300})
			},
			resp:   []byte(`{"page_size":300,"total_records":1,"participants":[{"id":"u1","name":"Jill","user_email":"jchill@example.com","duration":1800,"join_time":"2026-02-01T10:00:00Z","status":"in_meeting"}]}`),
			method: "GET", path: "/past_meetings/ab%252F%252Fcd==/participants", query: "page_size=300",
			check: func(t *testing.T, out any) {
				l := out.(*ParticipantList)
				if len(l.Participants) != 1 || l.Participants[0].Duration != 1800 || l.Participants[0].Status != ParticipantStatusInMeeting {
					t.Errorf("participants = %+v", l)
				}
			},
		},
		{
			name: "ListUpcoming",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return c.Meetings.ListUpcoming(ctx, "me")
			},
			resp:   []byte(`{"total_records":1,"meetings":[{"id":85746065,"topic":"Sync","type":8,"start_time":"2026-02-01T10:00:00Z","passcode":"abc"}]}`),
			method: "GET", path: "/users/me/upcoming_meetings",
			check: func(t *testing.T, out any) {
				l := out.(*UpcomingMeetingList)
				if len(l.Meetings) != 1 || l.Meetings[0].Type != MeetingTypeRecurringFixedTime || l.Meetings[0].Passcode.Reveal() != "abc" {
					t.Errorf("upcoming = %+v", l)
				}
			},
		},
	})
}

func TestMeetingsArgumentErrors(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for name, call := range map[string]struct {
		arg  string
		call func(c *Client) error
	}{
		"Get zero id":       {"meetingID", func(c *Client) error { _, _, err := c.Meetings.Get(ctx, 0, nil); return err }},
		"List empty user":   {"userID", func(c *Client) error { _, _, err := c.Meetings.List(ctx, "", nil); return err }},
		"Update nil body":   {"body", func(c *Client) error { _, err := c.Meetings.Update(ctx, 1, nil, nil); return err }},
		"AddRegistrant nil": {"body", func(c *Client) error { _, _, err := c.Meetings.AddRegistrant(ctx, 1, nil, nil); return err }},
		"AddRegistrant email": {"body.Email", func(c *Client) error {
			_, _, err := c.Meetings.AddRegistrant(ctx, 1, &AddRegistrantRequest{FirstName: "J"}, nil)
			return err
		}},
		"GetPast empty": {"meetingID", func(c *Client) error { _, _, err := c.Meetings.GetPast(ctx, ""); return err }},
		"Status action": {"body", func(c *Client) error { _, err := c.Meetings.UpdateStatus(ctx, 1, nil); return err }},
		"RegistrantStatus act": {"body.Action", func(c *Client) error {
			_, err := c.Meetings.UpdateRegistrantStatus(ctx, 1, &UpdateRegistrantStatusRequest{}, nil)
			return err
		}},
		"ListAll empty user": {"userID", func(c *Client) error {
			for _, err := range c.Meetings.ListAll(ctx, "", nil) {
				return err
			}
			return nil
		}},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c, _, rec := setupRec(t)
			wantArgError(t, rec, call.call(c), call.arg)
		})
	}
}

// pagedResponder serves pages of meetings keyed by next_page_token: ""
// gives page 0, "p1" page 1, "p2" page 2 (the last). failOn makes that
// token answer 500.
func pagedResponder(t *testing.T, failOn string) httpmock.Responder {
	return func(r *http.Request) (*http.Response, error) {
		tok := r.URL.Query().Get("next_page_token")
		if tok == failOn {
			return httpmock.NewStringResponse(http.StatusBadRequest, `{"code":300,"message":"The next page token is invalid or expired."}`), nil
		}
		page, next := 0, "p1"
		switch tok {
		case "p1":
			page, next = 1, "p2"
		case "p2":
			page, next = 2, ""
		case "":
		default:
			t.Errorf("unexpected token %q", tok)
		}
		body := fmt.Sprintf(`{"page_size":2,"total_records":6,"next_page_token":%q,"meetings":[{"id":%d,"topic":"m%d"},{"id":%d,"topic":"m%d"}]}`,
			next, 100+2*page, 2*page, 101+2*page, 2*page+1)
		return httpmock.NewStringResponse(http.StatusOK, body), nil
	}
}

func TestMeetingsListAll(t *testing.T) {
	t.Parallel()
	t.Run("all pages", func(t *testing.T) {
		t.Parallel()
		c, mt, rec := setupRec(t)
		mt.RegisterNoResponder(pagedResponder(t, "none"))
		opts := &ListMeetingsOptions{Type: MeetingListTypeScheduled, PageSize: 2}
		var topics []string
		for m, err := range c.Meetings.ListAll(context.Background(), "me", opts) {
			require.NoError(t, err)
			topics = append(topics, m.Topic)
		}
		got := strings.Join(topics, ",")
		assert.Equal(t, "m0,m1,m2,m3,m4,m5", got, "topics = %s", got)
		assert.Equal(t, (ListMeetingsOptions{Type: MeetingListTypeScheduled, PageSize: 2}), *opts, "caller's options modified: %+v", opts)
		reqs := rec.requests()
		require.Len(t, reqs, 3, "%d requests, want 3", len(reqs))
		for i, want := range []string{"", "p1", "p2"} {
			q, _ := url.ParseQuery(reqs[i].Query)
			assert.Equal(t, want, q.Get("next_page_token"), "request %d query = %q", i, reqs[i].Query)
			assert.Equal(t, "scheduled", q.Get("type"), "request %d query = %q", i, reqs[i].Query)
			assert.Equal(t, "2", q.Get("page_size"), "request %d query = %q", i, reqs[i].Query)
		}
	})
	t.Run("stop early", func(t *testing.T) {
		t.Parallel()
		c, mt, rec := setupRec(t)
		mt.RegisterNoResponder(pagedResponder(t, "none"))
		n := 0
		for _, err := range c.Meetings.ListAll(context.Background(), "me", nil) {
			require.NoError(t, err)
			n++
			if n == 3 {
				break
			}
		}
		got := len(rec.requests())
		assert.Equal(t, 2, got, "%d requests after 3 items, want 2 (lazy paging)", got)
	})
	t.Run("error mid-way", func(t *testing.T) {
		t.Parallel()
		c, mt, _ := setupRec(t)
		mt.RegisterNoResponder(pagedResponder(t, "p2"))
		var n int
		var errs []error
		for m, err := range c.Meetings.ListAll(context.Background(), "me", nil) {
			if err != nil {
				assert.Nil(t, m, "non-nil item with error")
				errs = append(errs, err)
				continue
			}
			n++
		}
		if n != 4 || len(errs) != 1 || !errors.Is(errs[0], ErrBadRequest) {
			t.Errorf("items = %d, errors = %v", n, errs)
		}
	})
	t.Run("start token", func(t *testing.T) {
		t.Parallel()
		c, mt, rec := setupRec(t)
		mt.RegisterNoResponder(pagedResponder(t, "none"))
		n := 0
		for _, err := range c.Meetings.ListAll(context.Background(), "me", &ListMeetingsOptions{NextPageToken: "p2"}) {
			require.NoError(t, err)
			n++
		}
		if n != 2 || len(rec.requests()) != 1 {
			t.Errorf("items = %d, requests = %d; want 2, 1", n, len(rec.requests()))
		}
	})
}

func TestMeetingsRegistrantsAndParticipantsAll(t *testing.T) {
	t.Parallel()
	c, mt := setup(t)
	mt.RegisterNoResponder(func(r *http.Request) (*http.Response, error) {
		if r.URL.Query().Get("next_page_token") == "" {
			if strings.HasSuffix(r.URL.Path, "/participants") {
				return httpmock.NewStringResponse(200, `{"next_page_token":"n","participants":[{"id":"a"}]}`), nil
			}
			return httpmock.NewStringResponse(200, `{"next_page_token":"n","registrants":[{"id":"a","email":"a@example.com"}]}`), nil
		}
		if strings.HasSuffix(r.URL.Path, "/participants") {
			return httpmock.NewStringResponse(200, `{"participants":[{"id":"b"}]}`), nil
		}
		return httpmock.NewStringResponse(200, `{"registrants":[{"id":"b","email":"b@example.com"}]}`), nil
	})
	var ids []string
	for r, err := range c.Meetings.ListRegistrantsAll(context.Background(), 85746065, nil) {
		require.NoError(t, err)
		ids = append(ids, r.ID)
	}
	for p, err := range c.Meetings.ListPastParticipantsAll(context.Background(), LatestOf(85746065), nil) {
		require.NoError(t, err)
		ids = append(ids, p.ID)
	}
	got := strings.Join(ids, ",")
	assert.Equal(t, "a,b,a,b", got, "ids = %s", got)
}
