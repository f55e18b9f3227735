package zoom

// Tests of the operations attendance and CME apps live on (issue 5, item
// 2): webinar and meeting registrants, panelists, past webinars and
// meetings, participant reports, report date windows and cloud
// recordings. Every call goes through the generated methods and the
// validating transport of setup_test.go; the bodies are in
// testdata/attendance (realistic ones that validate against the documents,
// and "quirks" ones with what Zoom really sends besides).

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/zoomkit/zoomkit/internal/spec"
)

// attendanceFixtures maps the bodies of testdata/attendance that follow the
// documents to their operation; TestAttendanceFixturesValidate holds them
// to it. The others (*_quirks.json, recording_get.json) deviate on purpose.
var attendanceFixtures = map[string]string{
	"attendance/webinar_registrants.json":         "webinarRegistrants",
	"attendance/batch_registrants.json":           "addBatchWebinarRegistrants",
	"attendance/webinar_registration.json":        "webinarRegistrantCreate",
	"attendance/registrant_questions.json":        "webinarRegistrantsQuestionsGet",
	"attendance/panelists.json":                   "webinarPanelists",
	"attendance/past_webinar_instances.json":      "pastWebinars",
	"attendance/past_participants.json":           "listWebinarParticipants",
	"attendance/absentees.json":                   "webinarAbsentees",
	"attendance/past_meeting.json":                "pastMeetingDetails",
	"attendance/report_meeting_participants.json": "reportMeetingParticipants",
	"attendance/report_webinar_participants.json": "reportWebinarParticipants",
	"attendance/report_webinar.json":              "reportWebinarDetails",
	"attendance/report_meeting.json":              "reportMeetingDetails",
	"attendance/report_meetings.json":             "reportMeetings",
	"attendance/recordings_list.json":             "recordingsList",
}

func TestAttendanceFixturesValidate(t *testing.T) {
	t.Parallel()
	s, err := spec.Load()
	require.NoError(t, err)
	names := make([]string, 0, len(attendanceFixtures))
	for n := range attendanceFixtures {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, name := range names {
		op := s.ByID(attendanceFixtures[name])
		if op == nil {
			t.Errorf("%s: unknown operation %s", name, attendanceFixtures[name])
			continue
		}
		status, sc := successSchema(op)
		if sc == nil {
			t.Errorf("%s: %s documents no success body", name, op.ID)
			continue
		}
		err := s.ValidateResponse(context.Background(), op, status, fixture(t, name))
		assert.NoError(t, err, "%s does not validate against %s", name, op.ID)
	}
	// The quirks bodies really are off the documents (else they test nothing).
	for name, opID := range map[string]string{
		"attendance/report_participants_quirks.json": "reportMeetingParticipants",
		"attendance/recording_get.json":              "recordingGet",
	} {
		op := s.ByID(opID)
		status, _ := successSchema(op)
		err := s.ValidateResponse(context.Background(), op, status, fixture(t, name))
		assert.Error(t, err, "%s validates against %s: it is meant to carry Zoom's quirks", name, opID)
	}
}

// utc parses an RFC 3339 time for the checks.
func utc(t *testing.T, s string) time.Time {
	t.Helper()
	tt, err := time.Parse(time.RFC3339, s)
	require.NoError(t, err)
	return tt
}

func TestAttendanceWebinarRegistrants(t *testing.T) {
	t.Parallel()
	runCases(t, []apiCase{
		{
			name: "AddRegistrant",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return c.Webinars.AddRegistrant(ctx, 85746065123, &AddRegistrantRequest{
					Email: "a.okafor@example.org", FirstName: "Adaeze", LastName: "Okafor",
					Org: "St. Mary's Hospital", JobTitle: "Cardiologist",
					CustomQuestions: []RegistrantCustomQuestionRequest{{Title: "NPI number", Value: "1234567893"}, {Title: "Degree", Value: "MD"}},
					Language:        "en-US", AutoApprove: Ptr(false),
				}, &AddWebinarRegistrantOptions{OccurrenceIDs: "1764604800000,1765209600000"})
			},
			status: http.StatusCreated,
			resp:   fixture(t, "attendance/webinar_registration.json"),
			method: "POST", path: "/webinars/85746065123/registrants",
			query: "occurrence_ids=1764604800000%2C1765209600000",
			body: `{"email":"a.okafor@example.org","first_name":"Adaeze","last_name":"Okafor","org":"St. Mary's Hospital",
				"job_title":"Cardiologist","custom_questions":[{"title":"NPI number","value":"1234567893"},{"title":"Degree","value":"MD"}],
				"language":"en-US","auto_approve":false}`,
			check: func(t *testing.T, out any) {
				r := out.(*WebinarRegistration)
				if r.ID != 85746065123 || r.RegistrantID != "9tboDiHUQAeOnbmudzWa5g" || !strings.Contains(r.JoinURL, "tk=abc.def") ||
					!r.StartTime.Equal(utc(t, "2026-12-01T16:00:00Z")) || len(r.Occurrences) != 1 || r.Occurrences[0].OccurrenceID != "1764604800000" {
					t.Errorf("registration = %+v", r)
				}
			},
		},
		{
			name: "AddBatchRegistrants",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return c.Webinars.AddBatchRegistrants(ctx, 85746065123, &AddBatchRegistrantsRequest{
					AutoApprove: Ptr(true), RegistrantsConfirmationEmail: Ptr(false),
					Registrants: []BatchRegistrant{
						{Email: "a.okafor@example.org", FirstName: "Adaeze", LastName: "Okafor"},
						{Email: "jchill@example.com", FirstName: "Jill"},
					},
				})
			},
			status: http.StatusCreated,
			resp:   fixture(t, "attendance/batch_registrants.json"),
			method: "POST", path: "/webinars/85746065123/batch_registrants",
			body: `{"auto_approve":true,"registrants_confirmation_email":false,"registrants":[
				{"email":"a.okafor@example.org","first_name":"Adaeze","last_name":"Okafor"},{"email":"jchill@example.com","first_name":"Jill"}]}`,
			check: func(t *testing.T, out any) {
				got := map[string]string{}
				for _, r := range out.(*BatchRegistrantsResult).Registrants {
					got[r.Email] = r.RegistrantID + " " + r.JoinURL + " " + fmt.Sprint(r.ParticipantPinCode)
				}
				want := map[string]string{
					"a.okafor@example.org": "9tboDiHUQAeOnbmudzWa5g https://example.zoom.us/w/85746065123?tk=abc.def 380986",
					"jchill@example.com":   "_f08HhPJS82MIVLuuFaJPg https://example.zoom.us/w/85746065123?tk=ghi.jkl 380987",
				}
				assert.Equal(t, want, got, "registrants = %v", got)
			},
		},
		{
			name: "ListRegistrantsPending",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return c.Webinars.ListRegistrants(ctx, 85746065123, &ListWebinarRegistrantsOptions{Status: RegistrantStatusPending, PageSize: 2, OccurrenceID: "1764604800000"})
			},
			resp:   fixture(t, "attendance/webinar_registrants.json"),
			method: "GET", path: "/webinars/85746065123/registrants",
			query: "status=pending&page_size=2&occurrence_id=1764604800000",
			check: func(t *testing.T, out any) {
				l := out.(*RegistrantList)
				require.Equal(t, 3, l.TotalRecords, "list = %+v", l)
				require.Equal(t, "Tva2CuIdTgsv8wAnhyAdU3m06Y2HuLQtlh3", l.NextPageToken, "list = %+v", l)
				require.Len(t, l.Registrants, 2, "list = %+v", l)
				r := l.Registrants[0]
				if r.ID != "9tboDiHUQAeOnbmudzWa5g" || r.Status != RegistrantStatusPending || r.Email != "a.okafor@example.org" ||
					r.ParticipantPinCode != 380986 || !r.CreateTime.Equal(utc(t, "2026-11-02T14:03:17Z")) ||
					len(r.CustomQuestions) != 2 || r.CustomQuestions[0] != (RegistrantCustomQuestion{Title: "NPI number", Value: "1234567893"}) {
					t.Errorf("registrant = %+v", r)
				}
			},
		},
		{
			name: "ListRegistrantsApproved",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return c.Webinars.ListRegistrants(ctx, 85746065123, &ListWebinarRegistrantsOptions{Status: RegistrantStatusApproved, TrackingSourceID: "5516482804"})
			},
			resp:   []byte(`{"total_records":0,"registrants":[]}`),
			method: "GET", path: "/webinars/85746065123/registrants", query: "status=approved&tracking_source_id=5516482804",
			check: func(t *testing.T, out any) {
				if l := out.(*RegistrantList); len(l.Registrants) != 0 || l.NextPageToken != "" {
					t.Errorf("list = %+v", l)
				}
			},
		},
		{
			name: "ListRegistrantsDenied",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return c.Webinars.ListRegistrants(ctx, 85746065123, &ListWebinarRegistrantsOptions{Status: RegistrantStatusDenied, NextPageToken: "tok en/+="})
			},
			resp:   []byte(`{"registrants":[{"id":"x","email":"x@example.com","first_name":"X","status":"denied"}]}`),
			method: "GET", path: "/webinars/85746065123/registrants", query: "status=denied&next_page_token=tok+en%2F%2B%3D",
			check: func(t *testing.T, out any) {
				if l := out.(*RegistrantList); len(l.Registrants) != 1 || l.Registrants[0].Status != RegistrantStatusDenied {
					t.Errorf("list = %+v", l)
				}
			},
		},
		{
			name: "Approve",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return noOut(c.Webinars.UpdateRegistrantStatus(ctx, 85746065123, &UpdateRegistrantStatusRequest{
					Action:      RegistrantActionApprove,
					Registrants: []RegistrantRef{{ID: "9tboDiHUQAeOnbmudzWa5g", Email: "a.okafor@example.org"}, {ID: "_f08HhPJS82MIVLuuFaJPg"}},
				}, nil))
			},
			status: http.StatusNoContent,
			method: "PUT", path: "/webinars/85746065123/registrants/status",
			body: `{"action":"approve","registrants":[{"id":"9tboDiHUQAeOnbmudzWa5g","email":"a.okafor@example.org"},{"id":"_f08HhPJS82MIVLuuFaJPg"}]}`,
		},
		{
			name: "Deny",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return noOut(c.Webinars.UpdateRegistrantStatus(ctx, 85746065123, &UpdateRegistrantStatusRequest{
					Action: RegistrantActionDeny, Registrants: []RegistrantRef{{Email: "spam@example.net"}},
				}, &UpdateWebinarRegistrantStatusOptions{OccurrenceID: "1764604800000"}))
			},
			status: http.StatusNoContent,
			method: "PUT", path: "/webinars/85746065123/registrants/status", query: "occurrence_id=1764604800000",
			body: `{"action":"deny","registrants":[{"email":"spam@example.net"}]}`,
		},
		{
			name: "Cancel",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return noOut(c.Webinars.UpdateRegistrantStatus(ctx, 85746065123, &UpdateRegistrantStatusRequest{
					Action: RegistrantActionCancel, Registrants: []RegistrantRef{{ID: "9tboDiHUQAeOnbmudzWa5g", Email: "a.okafor@example.org"}},
				}, nil))
			},
			status: http.StatusNoContent,
			method: "PUT", path: "/webinars/85746065123/registrants/status",
			body: `{"action":"cancel","registrants":[{"id":"9tboDiHUQAeOnbmudzWa5g","email":"a.okafor@example.org"}]}`,
		},
		{
			name: "GetRegistrantQuestions",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return c.Webinars.GetRegistrantQuestions(ctx, 85746065123)
			},
			resp:   fixture(t, "attendance/registrant_questions.json"),
			method: "GET", path: "/webinars/85746065123/registrants/questions",
			check: func(t *testing.T, out any) {
				q := out.(*RegistrantQuestions)
				if len(q.Questions) != 3 || q.Questions[1].FieldName != RegistrantQuestionFieldNameOrg || !q.Questions[1].Required ||
					q.Questions[2].Required {
					t.Errorf("questions = %+v", q.Questions)
				}
				if len(q.CustomQuestions) != 2 || q.CustomQuestions[1].Type != CustomQuestionTypeSingleRadio ||
					strings.Join(q.CustomQuestions[1].Answers, ",") != "MD,DO,NP,PA,RN,Other" || q.CustomQuestions[0].Title != "NPI number" {
					t.Errorf("custom questions = %+v", q.CustomQuestions)
				}
			},
		},
		{
			name: "UpdateRegistrantQuestions",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return noOut(c.Webinars.UpdateRegistrantQuestions(ctx, 85746065123, &UpdateRegistrantQuestionsRequest{
					Questions: []RegistrantQuestionRequest{{FieldName: RegistrantQuestionFieldNameOrg, Required: Ptr(true)}, {FieldName: RegistrantQuestionFieldNameJobTitle, Required: Ptr(false)}},
					CustomQuestions: []RegistrantCustomQuestionDefinitionRequest{
						{Title: "NPI number", Type: CustomQuestionTypeShort, Required: Ptr(true)},
						{Title: "Degree", Type: CustomQuestionTypeSingleDropdown, Required: Ptr(true), Answers: []string{"MD", "DO"}},
					},
				}))
			},
			status: http.StatusNoContent,
			method: "PATCH", path: "/webinars/85746065123/registrants/questions",
			body: `{"questions":[{"field_name":"org","required":true},{"field_name":"job_title","required":false}],
				"custom_questions":[{"title":"NPI number","type":"short","required":true},{"title":"Degree","type":"single_dropdown","required":true,"answers":["MD","DO"]}]}`,
		},
	})
}

func TestAttendanceMeetingRegistrants(t *testing.T) {
	t.Parallel()
	runCases(t, []apiCase{
		{
			name: "AddRegistrant",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return c.Meetings.AddRegistrant(ctx, 85746065, &AddRegistrantRequest{
					Email: "jchill@example.com", FirstName: "Jill",
					CustomQuestions: []RegistrantCustomQuestionRequest{{Title: "Specialty", Value: "Oncology"}},
				}, &AddMeetingRegistrantOptions{OccurrenceIDs: "1648194360000"})
			},
			status: http.StatusCreated,
			resp:   []byte(`{"id":85746065,"join_url":"https://example.zoom.us/j/85746065?tk=x","registrant_id":"fdgsfh2ey82fuh","start_time":"2026-11-17T16:00:00Z","topic":"Tumor board","occurrences":[],"participant_pin_code":380986}`),
			method: "POST", path: "/meetings/85746065/registrants", query: "occurrence_ids=1648194360000",
			body: `{"email":"jchill@example.com","first_name":"Jill","custom_questions":[{"title":"Specialty","value":"Oncology"}]}`,
			check: func(t *testing.T, out any) {
				r := out.(*MeetingRegistration)
				assert.Equal(t, ID(85746065), r.ID, "registration = %+v", r)
				assert.Equal(t, "fdgsfh2ey82fuh", r.RegistrantID, "registration = %+v", r)
				assert.Equal(t, int64(380986), r.ParticipantPinCode, "registration = %+v", r)
				assert.Equal(t, "Tumor board", r.Topic, "registration = %+v", r)
			},
		},
		{
			name: "AddBatchRegistrants",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return c.Meetings.AddBatchRegistrants(ctx, 85746065, &AddBatchRegistrantsRequest{
					Registrants: []BatchRegistrant{{Email: "jchill@example.com", FirstName: "Jill", LastName: "Chill"}},
				})
			},
			status: http.StatusCreated,
			resp:   []byte(`{"registrants":[{"email":"jchill@example.com","registrant_id":"r1","join_url":"https://example.zoom.us/j/85746065?tk=r1","participant_pin_code":1}]}`),
			method: "POST", path: "/meetings/85746065/batch_registrants",
			body: `{"registrants":[{"email":"jchill@example.com","first_name":"Jill","last_name":"Chill"}]}`,
			check: func(t *testing.T, out any) {
				if l := out.(*BatchRegistrantsResult).Registrants; len(l) != 1 || l[0].RegistrantID != "r1" || l[0].Email != "jchill@example.com" {
					t.Errorf("registrants = %+v", l)
				}
			},
		},
		{
			name: "ListRegistrantsPending",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return c.Meetings.ListRegistrants(ctx, 85746065, &ListMeetingRegistrantsOptions{Status: RegistrantStatusPending, PageSize: 300})
			},
			resp:   fixture(t, "attendance/webinar_registrants.json"),
			method: "GET", path: "/meetings/85746065/registrants", query: "status=pending&page_size=300",
			check: func(t *testing.T, out any) {
				if l := out.(*RegistrantList); len(l.Registrants) != 2 || l.Registrants[1].FirstName != "Jill" || l.Registrants[1].Status != RegistrantStatusPending {
					t.Errorf("list = %+v", l)
				}
			},
		},
		{
			name: "Deny",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return noOut(c.Meetings.UpdateRegistrantStatus(ctx, 85746065, &UpdateRegistrantStatusRequest{
					Action: RegistrantActionDeny, Registrants: []RegistrantRef{{ID: "r1", Email: "jchill@example.com"}},
				}, &UpdateMeetingRegistrantStatusOptions{OccurrenceID: "1648194360000"}))
			},
			status: http.StatusNoContent,
			method: "PUT", path: "/meetings/85746065/registrants/status", query: "occurrence_id=1648194360000",
			body: `{"action":"deny","registrants":[{"id":"r1","email":"jchill@example.com"}]}`,
		},
		{
			name: "GetRegistrantQuestions",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return c.Meetings.GetRegistrantQuestions(ctx, 85746065)
			},
			resp:   fixture(t, "attendance/registrant_questions.json"),
			method: "GET", path: "/meetings/85746065/registrants/questions",
			check: func(t *testing.T, out any) {
				if q := out.(*RegistrantQuestions); len(q.Questions) != 3 || len(q.CustomQuestions) != 2 || q.Questions[0].FieldName != RegistrantQuestionFieldNameLastName {
					t.Errorf("questions = %+v", q)
				}
			},
		},
		{
			name: "UpdateRegistrantQuestions",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return noOut(c.Meetings.UpdateRegistrantQuestions(ctx, 85746065, &UpdateRegistrantQuestionsRequest{
					Questions: []RegistrantQuestionRequest{{FieldName: RegistrantQuestionFieldNameLastName, Required: Ptr(true)}},
				}))
			},
			status: http.StatusNoContent,
			method: "PATCH", path: "/meetings/85746065/registrants/questions",
			body: `{"questions":[{"field_name":"last_name","required":true}]}`,
		},
	})
}

func TestAttendanceArgumentErrors(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	refs := func(n int) []RegistrantRef {
		r := make([]RegistrantRef, n)
		for i := range r {
			r[i] = RegistrantRef{ID: fmt.Sprint("r", i)}
		}
		return r
	}
	batch := func(n int) []BatchRegistrant {
		r := make([]BatchRegistrant, n)
		for i := range r {
			r[i] = BatchRegistrant{Email: fmt.Sprintf("u%d@example.com", i), FirstName: "U"}
		}
		return r
	}
	for _, tc := range []struct {
		name, arg string
		call      func(c *Client) error
	}{
		{"webinar add no email", "body.Email", func(c *Client) error {
			_, _, err := c.Webinars.AddRegistrant(ctx, 85746065123, &AddRegistrantRequest{FirstName: "Jill"}, nil)
			return err
		}},
		{"webinar add no first name", "body.FirstName", func(c *Client) error {
			_, _, err := c.Webinars.AddRegistrant(ctx, 85746065123, &AddRegistrantRequest{Email: "jchill@example.com", LastName: "Chill"}, nil)
			return err
		}},
		{"webinar add nil body", "body", func(c *Client) error {
			_, _, err := c.Webinars.AddRegistrant(ctx, 85746065123, nil, nil)
			return err
		}},
		{"webinar add no id", "webinarID", func(c *Client) error {
			_, _, err := c.Webinars.AddRegistrant(ctx, 0, &AddRegistrantRequest{Email: "a@example.com", FirstName: "A"}, nil)
			return err
		}},
		{"meeting add no email", "body.Email", func(c *Client) error {
			_, _, err := c.Meetings.AddRegistrant(ctx, 85746065, &AddRegistrantRequest{FirstName: "Jill"}, nil)
			return err
		}},
		{"meeting add no first name", "body.FirstName", func(c *Client) error {
			_, _, err := c.Meetings.AddRegistrant(ctx, 85746065, &AddRegistrantRequest{Email: "jchill@example.com"}, nil)
			return err
		}},
		{"status no action", "body.Action", func(c *Client) error {
			_, err := c.Webinars.UpdateRegistrantStatus(ctx, 85746065123, &UpdateRegistrantStatusRequest{Registrants: refs(1)}, nil)
			return err
		}},
		{"webinar status 31", "body.Registrants", func(c *Client) error {
			_, err := c.Webinars.UpdateRegistrantStatus(ctx, 85746065123, &UpdateRegistrantStatusRequest{Action: RegistrantActionApprove, Registrants: refs(31)}, nil)
			return err
		}},
		{"meeting status 31", "body.Registrants", func(c *Client) error {
			_, err := c.Meetings.UpdateRegistrantStatus(ctx, 85746065, &UpdateRegistrantStatusRequest{Action: RegistrantActionCancel, Registrants: refs(31)}, nil)
			return err
		}},
		{"webinar batch 31", "body.Registrants", func(c *Client) error {
			_, _, err := c.Webinars.AddBatchRegistrants(ctx, 85746065123, &AddBatchRegistrantsRequest{Registrants: batch(31)})
			return err
		}},
		{"meeting batch 31", "body.Registrants", func(c *Client) error {
			_, _, err := c.Meetings.AddBatchRegistrants(ctx, 85746065, &AddBatchRegistrantsRequest{Registrants: batch(31)})
			return err
		}},
		{"panelists 31", "body.Panelists", func(c *Client) error {
			p := make([]PanelistRequest, 31)
			for i := range p {
				p[i] = PanelistRequest{Email: fmt.Sprintf("p%d@example.com", i), Name: "P"}
			}
			_, _, err := c.Webinars.AddPanelists(ctx, 85746065123, &AddWebinarPanelistsRequest{Panelists: p})
			return err
		}},
		{"delete panelist no id", "panelistID", func(c *Client) error {
			_, err := c.Webinars.DeletePanelist(ctx, 85746065123, "")
			return err
		}},
		{"past participants no id", "webinarID", func(c *Client) error {
			_, _, err := c.Webinars.ListPastParticipants(ctx, "", nil)
			return err
		}},
		{"report participants no id", "meetingID", func(c *Client) error {
			_, _, err := c.Reports.ListMeetingParticipants(ctx, "", nil)
			return err
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, _, rec := setupRec(t)
			wantArgError(t, rec, tc.call(c), tc.arg)
		})
	}
	// Thirty is allowed.
	c, mt, rec := setupRec(t)
	replyJSON(mt, http.StatusCreated, []byte(`{"registrants":[]}`))
	_, _, err := c.Webinars.AddBatchRegistrants(ctx, 85746065123, &AddBatchRegistrantsRequest{Registrants: batch(30)})
	require.NoError(t, err, "30 registrants")
	var sent AddBatchRegistrantsRequest
	if err := json.Unmarshal(rec.last(t).Body, &sent); err != nil || len(sent.Registrants) != 30 {
		t.Errorf("sent %d registrants (%v), want 30", len(sent.Registrants), err)
	}
}

func TestAttendancePanelists(t *testing.T) {
	t.Parallel()
	runCases(t, []apiCase{
		{
			name: "List",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return c.Webinars.ListPanelists(ctx, 85746065123)
			},
			resp:   fixture(t, "attendance/panelists.json"),
			method: "GET", path: "/webinars/85746065123/panelists",
			check: func(t *testing.T, out any) {
				l := out.(*PanelistList)
				if l.TotalRecords != 2 || len(l.Panelists) != 2 || l.Panelists[0].ID != "xOQ2y8zPQ5Cm-BY3w3R1dw" ||
					l.Panelists[0].Name != "Dr. Min-jun Lee" || l.Panelists[1].Email != "moderator+cme@example.org" || !strings.HasSuffix(l.Panelists[1].JoinURL, "tk=p2") {
					t.Errorf("panelists = %+v", l)
				}
			},
		},
		{
			name: "Add",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return c.Webinars.AddPanelists(ctx, 85746065123, &AddWebinarPanelistsRequest{Panelists: []PanelistRequest{
					{Email: "dr.lee@example.org", Name: "Dr. Min-jun Lee", NameTagName: "Dr. Lee", NameTagPronouns: "he/him"},
					{Email: "moderator+cme@example.org", Name: "CME Moderator"},
				}})
			},
			status: http.StatusCreated,
			resp:   []byte(`{"id":"85746065123","updated_at":"2026-11-20T10:11:12Z"}`),
			method: "POST", path: "/webinars/85746065123/panelists",
			body: `{"panelists":[{"email":"dr.lee@example.org","name":"Dr. Min-jun Lee","name_tag_name":"Dr. Lee","name_tag_pronouns":"he/him"},
				{"email":"moderator+cme@example.org","name":"CME Moderator"}]}`,
			check: func(t *testing.T, out any) {
				if a := out.(*AddedPanelists); a.ID != "85746065123" || !a.UpdatedAt.Equal(utc(t, "2026-11-20T10:11:12Z")) {
					t.Errorf("added = %+v", a)
				}
			},
		},
		{
			name: "DeleteByID",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return noOut(c.Webinars.DeletePanelist(ctx, 85746065123, "xOQ2y8zPQ5Cm-BY3w3R1dw"))
			},
			status: http.StatusNoContent,
			method: "DELETE", path: "/webinars/85746065123/panelists/xOQ2y8zPQ5Cm-BY3w3R1dw",
		},
		{
			name: "DeleteByEmail",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return noOut(c.Webinars.DeletePanelist(ctx, 85746065123, "moderator+cme@example.org"))
			},
			status: http.StatusNoContent,
			method: "DELETE", path: "/webinars/85746065123/panelists/moderator+cme@example.org",
		},
		{
			name: "DeleteByOddID",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return noOut(c.Webinars.DeletePanelist(ctx, 85746065123, "a/b c?d#e"))
			},
			status: http.StatusNoContent,
			method: "DELETE", path: "/webinars/85746065123/panelists/a%2Fb%20c%3Fd%23e",
		},
		{
			name: "DeleteAll",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return noOut(c.Webinars.DeleteAllPanelists(ctx, 85746065123))
			},
			status: http.StatusNoContent,
			method: "DELETE", path: "/webinars/85746065123/panelists",
		},
	})
}

// instanceIDs are the ids past-meeting, report and recording calls take,
// with the path segment each must become.
var instanceIDs = []struct {
	name string
	id   InstanceID
	seg  string
}{
	{"numeric", LatestOf(85746065), "85746065"},
	{"uuid leading slash", InstanceID("/ajXp112QmuoKj4854875=="), "%252FajXp112QmuoKj4854875=="},
	{"uuid double slash", InstanceID("aB//cD=="), "aB%252F%252FcD=="},
	{"uuid plain", InstanceID("4444AAAiAAAAAiAiAiiAii=="), "4444AAAiAAAAAiAiAiiAii=="},
	{"uuid inner slash", InstanceID("Kx9+fQ/aB1Zq3w=="), "Kx9+fQ%2FaB1Zq3w=="},
	// Decoded twice by Zoom, a "+" must not become a space.
	{"uuid slash and plus", InstanceID("/Kx9+fQ//aB1Zq3w=="), "%252FKx9%252BfQ%252F%252FaB1Zq3w=="},
}

func TestAttendancePastAndReportInstanceIDs(t *testing.T) {
	t.Parallel()
	type op struct {
		name   string
		path   string // with %s for the segment
		query  string
		resp   string
		call   func(ctx context.Context, c *Client, id InstanceID) (any, error)
		decode func(t *testing.T, out any)
	}
	ops := []op{
		{"Meetings.GetPast", "/past_meetings/%s", "", "attendance/past_meeting.json",
			func(ctx context.Context, c *Client, id InstanceID) (any, error) {
				out, _, err := c.Meetings.GetPast(ctx, id)
				return out, err
			},
			func(t *testing.T, out any) {
				p := out.(*PastMeeting)
				if p.ID != 85746065 || p.UUID != "aB//cD==" || p.Duration != 64 || p.TotalMinutes != 190 || p.ParticipantsCount != 3 ||
					p.Type != MeetingTypeScheduled || p.EndTime.Sub(p.StartTime.Time) != 63*time.Minute+50*time.Second {
					t.Errorf("past meeting = %+v", p)
				}
			}},
		{"Meetings.ListPastParticipants", "/past_meetings/%s/participants", "page_size=300", "attendance/past_participants.json",
			func(ctx context.Context, c *Client, id InstanceID) (any, error) {
				out, _, err := c.Meetings.ListPastParticipants(ctx, id, &ListPastMeetingParticipantsOptions{PageSize: 300})
				return out, err
			},
			func(t *testing.T, out any) { checkPastParticipants(t, out.(*ParticipantList)) }},
		{"Webinars.ListPastParticipants", "/past_webinars/%s/participants", "page_size=30&next_page_token=abc", "attendance/past_participants.json",
			func(ctx context.Context, c *Client, id InstanceID) (any, error) {
				out, _, err := c.Webinars.ListPastParticipants(ctx, id, &ListPastWebinarParticipantsOptions{PageSize: 30, NextPageToken: "abc"})
				return out, err
			},
			func(t *testing.T, out any) { checkPastParticipants(t, out.(*ParticipantList)) }},
		{"Webinars.ListAbsentees", "/past_webinars/%s/absentees", "occurrence_id=1764604800000", "attendance/absentees.json",
			func(ctx context.Context, c *Client, id InstanceID) (any, error) {
				out, _, err := c.Webinars.ListAbsentees(ctx, id, &ListWebinarAbsenteesOptions{OccurrenceID: "1764604800000"})
				return out, err
			},
			func(t *testing.T, out any) {
				l := out.(*AbsenteeList)
				if l.TotalRecords != 1 || len(l.Registrants) != 1 || l.Registrants[0].Email != "jchill@example.com" ||
					l.Registrants[0].Status != RegistrantStatusApproved || l.Registrants[0].CustomQuestions[0].Value != "1558444216" {
					t.Errorf("absentees = %+v", l)
				}
			}},
		{"Reports.GetMeeting", "/report/meetings/%s", "", "attendance/report_meeting.json",
			func(ctx context.Context, c *Client, id InstanceID) (any, error) {
				out, _, err := c.Reports.GetMeeting(ctx, id)
				return out, err
			},
			func(t *testing.T, out any) {
				r := out.(*MeetingReport)
				if r.ID != 85746065 || r.UUID != "4444AAAiAAAAAiAiAiiAii==" || r.ParticipantsCount != 5 || r.Duration != 64 || r.TotalMinutes != 190 ||
					len(r.CustomKeys) != 1 || r.CustomKeys[0].Value != "4410" || len(r.TrackingFields) != 1 || r.TrackingFields[0].Value != "Case review" ||
					!r.StartTime.Equal(utc(t, "2026-11-17T15:58:10Z")) {
					t.Errorf("report = %+v", r)
				}
			}},
		{"Reports.GetWebinar", "/report/webinars/%s", "", "attendance/report_webinar.json",
			func(ctx context.Context, c *Client, id InstanceID) (any, error) {
				out, _, err := c.Reports.GetWebinar(ctx, id)
				return out, err
			},
			func(t *testing.T, out any) {
				r := out.(*WebinarReport)
				if r.ID != 85746065123 || r.Type != 5 || r.ParticipantsCount != 3 || r.TotalMinutes != 402 || r.Duration != 63 ||
					r.CustomKeys[0].Key != "activity_id" || r.TrackingFields[0].Field != "Credit type" || !r.EndTime.Equal(utc(t, "2026-11-17T17:02:10Z")) {
					t.Errorf("report = %+v", r)
				}
			}},
		{"Reports.ListMeetingParticipants", "/report/meetings/%s/participants", "include_fields=registrant_id&page_size=300", "attendance/report_meeting_participants.json",
			func(ctx context.Context, c *Client, id InstanceID) (any, error) {
				out, _, err := c.Reports.ListMeetingParticipants(ctx, id, &ListMeetingParticipantsReportOptions{IncludeFields: ParticipantIncludeFieldRegistrantID, PageSize: 300})
				return out, err
			},
			func(t *testing.T, out any) { checkMeetingParticipantsReport(t, out.(*MeetingParticipantsReport)) }},
		{"Reports.ListWebinarParticipants", "/report/webinars/%s/participants", "include_fields=registrant_id", "attendance/report_webinar_participants.json",
			func(ctx context.Context, c *Client, id InstanceID) (any, error) {
				out, _, err := c.Reports.ListWebinarParticipants(ctx, id, &ListWebinarParticipantsReportOptions{IncludeFields: ParticipantIncludeFieldRegistrantID})
				return out, err
			},
			func(t *testing.T, out any) { checkWebinarParticipantsReport(t, out.(*WebinarParticipantsReport)) }},
		{"CloudRecordings.Get", "/meetings/%s/recordings", "include_fields=download_access_token&ttl=3600", "attendance/recording_get.json",
			func(ctx context.Context, c *Client, id InstanceID) (any, error) {
				out, _, err := c.CloudRecordings.Get(ctx, id, &GetMeetingRecordingsOptions{IncludeFields: "download_access_token", TTL: 3600})
				return out, err
			},
			func(t *testing.T, out any) { checkRecordingGet(t, out.(*MeetingRecordings)) }},
	}
	for _, o := range ops {
		for _, id := range instanceIDs {
			t.Run(o.name+"/"+id.name, func(t *testing.T) {
				t.Parallel()
				c, mt, rec := setupRec(t)
				replyJSON(mt, http.StatusOK, fixture(t, o.resp))
				out, err := o.call(context.Background(), c, id.id)
				require.NoError(t, err)
				r := rec.last(t)
				if want := fmt.Sprintf(o.path, id.seg); r.Method != http.MethodGet || r.Path != want {
					t.Errorf("request = %s %s, want GET %s", r.Method, r.Path, want)
				}
				gotQ, _ := url.ParseQuery(r.Query)
				wantQ, _ := url.ParseQuery(o.query)
				assert.Equal(t, wantQ, gotQ, "query = %q, want %q", r.Query, o.query)
				// What Zoom receives: the path unescaped once still names the
				// UUID escaped once when it had to be double-encoded.
				seg := strings.TrimPrefix(r.Path, strings.SplitN(o.path, "%s", 2)[0])
				seg, _, _ = strings.Cut(seg, "/")
				once, err := url.PathUnescape(seg)
				require.NoError(t, err)
				if s := string(id.id); strings.HasPrefix(s, "/") || strings.Contains(s, "//") {
					twice, _ := url.PathUnescape(once)
					assert.Equal(t, s, twice, "segment %q does not decode twice to %q (once: %q)", seg, s, once)
					assert.NotContains(t, once, "+", "segment %q does not decode twice to %q (once: %q)", seg, s, once)
				} else if once != s {
					t.Errorf("segment %q decodes to %q, want %q", seg, once, s)
				}
				o.decode(t, out)
			})
		}
	}
}

func checkPastParticipants(t *testing.T, l *ParticipantList) {
	t.Helper()
	require.Equal(t, 4, l.TotalRecords, "list = %+v", l)
	require.Equal(t, 30, l.PageSize, "list = %+v", l)
	require.Equal(t, "", l.NextPageToken, "list = %+v", l)
	require.Len(t, l.Participants, 4, "list = %+v", l)
	p := l.Participants
	// A rejoin: the same person twice, with two user_ids and durations.
	if p[0].ID != p[1].ID || p[0].UserID == p[1].UserID || p[0].RegistrantID != "9tboDiHUQAeOnbmudzWa5g" || p[1].RegistrantID != p[0].RegistrantID {
		t.Errorf("rejoin = %+v / %+v", p[0], p[1])
	}
	if p[0].Duration+p[1].Duration != 3700 || !p[1].Failover || p[0].Failover {
		t.Errorf("durations %d+%d, failover %v %v", p[0].Duration, p[1].Duration, p[0].Failover, p[1].Failover)
	}
	for _, x := range p {
		got := int(x.LeaveTime.Sub(x.JoinTime.Time) / time.Second)
		assert.Equal(t, x.Duration, got, "%s: leave-join = %ds, duration %d", x.Name, got, x.Duration)
	}
	g := p[2]
	assert.Equal(t, "", g.UserEmail, "guest = %+v", g)
	assert.Equal(t, "", g.ID, "guest = %+v", g)
	assert.Equal(t, "iPhone (guest)", g.Name, "guest = %+v", g)
	assert.Equal(t, ParticipantStatusInWaitingRoom, g.Status, "guest = %+v", g)
	assert.Equal(t, 270, g.Duration, "guest = %+v", g)
	if h := p[3]; !h.InternalUser || h.UserEmail != "dr.lee@example.org" || h.Status != ParticipantStatusInMeeting || !h.JoinTime.Equal(utc(t, "2026-11-17T15:50:00Z")) {
		t.Errorf("panelist = %+v", h)
	}
}

func checkMeetingParticipantsReport(t *testing.T, r *MeetingParticipantsReport) {
	t.Helper()
	require.Equal(t, 5, r.TotalRecords, "report = %+v", r)
	require.Equal(t, 300, r.PageSize, "report = %+v", r)
	require.Equal(t, 1, r.PageCount, "report = %+v", r)
	require.Len(t, r.Participants, 5, "report = %+v", r)
	want := []ReportParticipant{
		{ID: "30R7kT7bTIKSNUFEuH_Qlg", UserID: "16778240", ParticipantUserID: "30R7kT7bTIKSNUFEuH_Qlg", Name: "Adaeze Okafor", UserEmail: "a.okafor@example.org",
			JoinTime: NewTime(utc(t, "2026-11-17T15:58:10Z")), LeaveTime: NewTime(utc(t, "2026-11-17T16:25:41Z")), Duration: 1651, Status: ParticipantStatusInMeeting, RegistrantID: "9tboDiHUQAeOnbmudzWa5g"},
		{ID: "30R7kT7bTIKSNUFEuH_Qlg", UserID: "16779264", ParticipantUserID: "30R7kT7bTIKSNUFEuH_Qlg", Name: "Adaeze Okafor", UserEmail: "a.okafor@example.org",
			JoinTime: NewTime(utc(t, "2026-11-17T16:27:03Z")), LeaveTime: NewTime(utc(t, "2026-11-17T17:01:12Z")), Duration: 2049, Failover: true, Status: ParticipantStatusInMeeting, RegistrantID: "9tboDiHUQAeOnbmudzWa5g"},
		{UserID: "16780288", Name: "iPhone (guest)", JoinTime: NewTime(utc(t, "2026-11-17T16:05:00Z")), LeaveTime: NewTime(utc(t, "2026-11-17T16:09:30Z")), Duration: 270, Status: ParticipantStatusInWaitingRoom},
		{UserID: "16781312", Name: "SDK kiosk", JoinTime: NewTime(utc(t, "2026-11-17T16:00:00Z")), LeaveTime: NewTime(utc(t, "2026-11-17T16:30:00Z")), Duration: 1800, Status: ParticipantStatusInMeeting, CustomerKey: "349589LkJyeW", BoMtgID: "27423744"},
		{ID: "DYHrdpjrS3uaOf7dPkkg8w", UserID: "16782336", ParticipantUserID: "DYHrdpjrS3uaOf7dPkkg8w", Name: "Dr. Min-jun Lee", UserEmail: "dr.lee@example.org",
			JoinTime: NewTime(utc(t, "2026-11-17T15:50:00Z")), LeaveTime: NewTime(utc(t, "2026-11-17T17:02:00Z")), Duration: 4320, Status: ParticipantStatusInMeeting},
	}
	for i := range want {
		assert.Equal(t, want[i], r.Participants[i], "participant %d =\n%+v\nwant\n%+v", i, r.Participants[i], want[i])
	}
	// Attendance per registrant, summed over rejoins.
	total := map[string]int{}
	for _, p := range r.Participants {
		total[p.RegistrantID] += p.Duration
	}
	assert.Equal(t, 3700, total["9tboDiHUQAeOnbmudzWa5g"], "attendance = %v", total)
}

func checkWebinarParticipantsReport(t *testing.T, r *WebinarParticipantsReport) {
	t.Helper()
	require.Equal(t, 3, r.TotalRecords, "report = %+v", r)
	require.Len(t, r.Participants, 3, "report = %+v", r)
	total := map[string]int{}
	for _, p := range r.Participants {
		total[p.RegistrantID] += p.Duration
		got := int(p.LeaveTime.Sub(p.JoinTime.Time) / time.Second)
		assert.Equal(t, p.Duration, got, "%s: leave-join = %ds, duration %d", p.Name, got, p.Duration)
	}
	if total["9tboDiHUQAeOnbmudzWa5g"] != 3508 || total["_f08HhPJS82MIVLuuFaJPg"] != 2910 || len(total) != 2 {
		t.Errorf("attendance = %v", total)
	}
	p := r.Participants[0]
	assert.Equal(t, "30R7kT7bTIKSNUFEuH_Qlg", p.ParticipantUserID, "participant = %+v", p)
	assert.Equal(t, "a.okafor@example.org", p.UserEmail, "participant = %+v", p)
	assert.Equal(t, "16778240", p.UserID, "participant = %+v", p)
}

func checkRecordingGet(t *testing.T, r *MeetingRecordings) {
	t.Helper()
	assert.Equal(t, ID(85746065), r.ID, "recordings = %+v", r)
	assert.Equal(t, "/ajXp112QmuoKj4854875==", r.UUID, "recordings = %+v", r)
	assert.Equal(t, 2, r.RecordingCount, "recordings = %+v", r)
	assert.Equal(t, int64(184467), r.TotalSize, "recordings = %+v", r)
	assert.Equal(t, 61, r.Duration, "recordings = %+v", r)
	assert.Equal(t, "2", r.Type, "recordings = %+v", r)
	const token = "eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzUxMiJ9.secret.sig"
	assert.Equal(t, token, r.DownloadAccessToken.Reveal(), "download_access_token = %q", r.DownloadAccessToken.Reveal())
	assert.Equal(t, token, string(r.DownloadAccessToken), "download_access_token = %q", r.DownloadAccessToken.Reveal())
	for _, s := range []string{fmt.Sprint(r.DownloadAccessToken), fmt.Sprintf("%+v", *r), fmt.Sprintf("%#v", *r), fmt.Sprintf("%v", r.RecordingPlayPasscode)} {
		assert.NotContains(t, s, "secret.sig", "a secret prints: %s", s)
		assert.NotContains(t, s, "yNYIS408", "a secret prints: %s", s)
	}
	assert.Equal(t, "REDACTED", fmt.Sprint(r.DownloadAccessToken), "token prints %q, password %q", r.DownloadAccessToken, r.Password)
	assert.Equal(t, Secret(""), r.Password, "token prints %q, password %q", r.DownloadAccessToken, r.Password)
	require.Len(t, r.RecordingFiles, 2, "files = %+v", r.RecordingFiles)
	f := r.RecordingFiles[0]
	if f.FileType != RecordingFileTypeM4A || f.FileExtension != RecordingFileExtensionM4A || f.FileSize != 184000 || f.DownloadURL != "https://example.zoom.us/rec/download/m4a" ||
		f.RecordingType != RecordingTypeAudioOnly || f.Status != RecordingFileStatusCompleted || f.RecordingEnd.Sub(f.RecordingStart.Time) != 59*time.Minute+30*time.Second {
		t.Errorf("file = %+v", f)
	}
	// Unknown enum values and empty times are kept as sent, not rejected.
	if g := r.RecordingFiles[1]; g.FileType != "SUMMARY_V2" || g.RecordingType != "summary_v3" || g.Status != "processing" ||
		!g.RecordingStart.IsZero() || !g.RecordingEnd.IsZero() || g.DownloadURL == "" {
		t.Errorf("file = %+v", g)
	}
}

func TestAttendancePastInstances(t *testing.T) {
	t.Parallel()
	runCases(t, []apiCase{
		{
			name: "Webinars",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return c.Webinars.ListPastInstances(ctx, 85746065123)
			},
			resp:   fixture(t, "attendance/past_webinar_instances.json"),
			method: "GET", path: "/past_webinars/85746065123/instances",
			check: func(t *testing.T, out any) {
				w := out.(*WebinarInstanceList).Webinars
				if len(w) != 3 || w[0].UUID != "/ajXp112QmuoKj4854875==" || w[1].UUID != "aB//cD==" || !w[2].StartTime.Equal(utc(t, "2026-11-17T15:59:58Z")) {
					t.Errorf("instances = %+v", w)
				}
			},
		},
		{
			name: "Meetings",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return c.Meetings.ListPastInstances(ctx, 85746065)
			},
			resp:   []byte(`{"meetings":[{"uuid":"aB//cD==","start_time":"2026-11-17T15:58:10Z"},{"uuid":"Vg8IdgluR5WDeWIkpJlElQ==","start_time":""}]}`),
			method: "GET", path: "/past_meetings/85746065/instances",
			check: func(t *testing.T, out any) {
				m := out.(*MeetingInstanceList).Meetings
				if len(m) != 2 || m[0].UUID != "aB//cD==" || !m[1].StartTime.IsZero() || m[1].UUID != "Vg8IdgluR5WDeWIkpJlElQ==" {
					t.Errorf("instances = %+v", m)
				}
			},
		},
	})
	// An instance UUID from the list goes straight back into the next call.
	c, mt, rec := setupRec(t)
	replyJSON(mt, http.StatusOK, fixture(t, "attendance/past_webinar_instances.json"))
	l, _, err := c.Webinars.ListPastInstances(context.Background(), 85746065123)
	require.NoError(t, err)
	var paths []string
	for _, w := range l.Webinars {
		_, _, err := c.Reports.ListWebinarParticipants(context.Background(), InstanceID(w.UUID), nil)
		require.NoError(t, err)
		paths = append(paths, rec.last(t).Path)
	}
	want := []string{
		"/report/webinars/%252FajXp112QmuoKj4854875==/participants",
		"/report/webinars/aB%252F%252FcD==/participants",
		"/report/webinars/4444AAAiAAAAAiAiAiiAii==/participants",
	}
	assert.Equal(t, want, paths, "paths = %q", paths)
}

func TestAttendanceRecordingsList(t *testing.T) {
	t.Parallel()
	to := DateOf(time.Now().UTC())
	from := to.AddDays(-23)
	runCases(t, []apiCase{{
		name: "List",
		call: func(ctx context.Context, c *Client) (any, *Response, error) {
			return c.CloudRecordings.List(ctx, "cme@example.org", &ListRecordingsOptions{From: from, To: to, PageSize: 30})
		},
		resp:   fixture(t, "attendance/recordings_list.json"),
		method: "GET", path: "/users/cme@example.org/recordings",
		query: "from=" + from.String() + "&to=" + to.String() + "&page_size=30",
		check: func(t *testing.T, out any) {
			l := out.(*RecordingList)
			if l.From != (Date{2026, time.November, 1}) || l.To != (Date{2026, time.November, 24}) || l.TotalRecords != 1 || len(l.Meetings) != 1 {
				t.Fatalf("list = %+v", l)
			}
			m := l.Meetings[0]
			require.Equal(t, ID(85746065123), m.ID, "meeting = %+v", m)
			require.Equal(t, "aB//cD==", m.UUID, "meeting = %+v", m)
			require.Equal(t, 2, m.RecordingCount, "meeting = %+v", m)
			require.Equal(t, int64(529758816), m.TotalSize, "meeting = %+v", m)
			require.Equal(t, "5", m.Type, "meeting = %+v", m)
			require.Len(t, m.RecordingFiles, 2, "meeting = %+v", m)
			var size float64
			for _, f := range m.RecordingFiles {
				size += f.FileSize
				if !strings.HasPrefix(f.DownloadURL, "https://example.zoom.us/rec/download/") || f.RecordingStart.IsZero() || f.Status != RecordingFileStatusCompleted {
					t.Errorf("file = %+v", f)
				}
			}
			if f := m.RecordingFiles[1]; f.FileType != RecordingFileTypeTranscript || f.FileExtension != RecordingFileExtensionVTT || f.FileSize != 707602 ||
				f.RecordingEnd.Sub(f.RecordingStart.Time) != time.Hour+2*time.Minute+2*time.Second {
				t.Errorf("transcript = %+v", f)
			}
			assert.Equal(t, float64(529758816), size, "file sizes sum to %v", size)
		},
	}})
}

func TestAttendanceReportMeetingsDateWindow(t *testing.T) {
	t.Parallel()
	today := DateOf(time.Now().UTC())
	ctx := context.Background()
	t.Run("in window", func(t *testing.T) {
		t.Parallel()
		c, mt, rec := setupRec(t)
		replyJSON(mt, http.StatusOK, fixture(t, "attendance/report_meetings.json"))
		from := today.AddDays(-23)
		r, _, err := c.Reports.ListMeetings(ctx, "host@example.org", &ListMeetingsReportOptions{From: from, To: today, Type: MeetingsReportTypePast, PageSize: 30})
		require.NoError(t, err)
		req := rec.last(t)
		q, _ := url.ParseQuery(req.Query)
		want := url.Values{"from": {from.String()}, "to": {today.String()}, "type": {"past"}, "page_size": {"30"}}
		assert.Equal(t, "/report/users/host@example.org/meetings", req.Path, "request = %s ? %s (%s)", req.Path, req.Query, req.OpID)
		assert.Equal(t, want, q, "request = %s ? %s (%s)", req.Path, req.Query, req.OpID)
		assert.Equal(t, "reportMeetings", req.OpID, "request = %s ? %s (%s)", req.Path, req.Query, req.OpID)
		if r.From != (Date{2026, time.November, 1}) || r.To != (Date{2026, time.November, 24}) || len(r.Meetings) != 2 {
			t.Fatalf("report = %+v", r)
		}
		m := r.Meetings[1]
		if m.UUID != "/ajXp112QmuoKj4854875==" || m.ID != 85746065 || m.Type != 8 || m.ParticipantsCount != 4 ||
			m.JoinTime != "11/10/2026 15:59" || m.LeaveTime != "11/10/2026 17:00" || m.ScheduleTime != "11/10/2026 16:00" {
			t.Errorf("meeting = %+v", m)
		}
		if m := r.Meetings[0]; !m.HasRecording || !m.HasScreenShare || m.ParticipantsCountMyAccount != 3 || m.TotalMinutes != 190 {
			t.Errorf("meeting = %+v", m)
		}
	})
	t.Run("literal dates", func(t *testing.T) {
		// The query as Zoom documents it; the dates are checked against
		// today, so this case only runs while they are inside the window.
		from, to := Date{2026, time.November, 1}, Date{2026, time.November, 24}
		if err := checkDateRange(&operation{ID: "reportMeetings"}, &ListMeetingsReportOptions{From: from, To: to}, time.Now()); err != nil {
			t.Skipf("%s..%s is outside today's window: %v", from, to, err)
		}
		c, mt, rec := setupRec(t)
		replyJSON(mt, http.StatusOK, fixture(t, "attendance/report_meetings.json"))
		_, _, err := c.Reports.ListMeetings(ctx, "me", &ListMeetingsReportOptions{From: from, To: to})
		require.NoError(t, err)
		q := rec.last(t).Query
		assert.Equal(t, "from=2026-11-01&to=2026-11-24", q, "query = %q", q)
	})
	for _, tc := range []struct {
		name     string
		from, to Date
		arg      string
	}{
		{"missing", Date{}, Date{}, "opts.From"},
		{"missing to", today.AddDays(-3), Date{}, "opts.To"},
		{"over a month", today.AddDays(-40), today, "from/to"},
		{"reversed", today, today.AddDays(-3), "to"},
		{"beyond six months", DateOf(today.Time(time.UTC).AddDate(0, -7, 0)), DateOf(today.Time(time.UTC).AddDate(0, -7, 10)), "from"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, _, rec := setupRec(t)
			_, _, err := c.Reports.ListMeetings(ctx, "me", &ListMeetingsReportOptions{From: tc.from, To: tc.to})
			var ae *ArgumentError
			require.ErrorAs(t, err, &ae, "err = %v, want an *ArgumentError", err)
			require.ErrorIs(t, err, ErrInvalidArgument, "err = %v, want an *ArgumentError", err)
			assert.Equal(t, tc.arg, ae.Arg, "err = %#v (%v), want Arg %q", ae, err, tc.arg)
			assert.Equal(t, "reportMeetings", ae.Operation, "err = %#v (%v), want Arg %q", ae, err, tc.arg)
			assert.Contains(t, err.Error(), ae.Reason, "err = %#v (%v), want Arg %q", ae, err, tc.arg)
			n := len(rec.requests())
			assert.Equal(t, 0, n, "%d requests sent", n)
			// The iterator refuses the same way, as its one item.
			var errs []error
			for m, err := range c.Reports.ListMeetingsAll(ctx, "me", &ListMeetingsReportOptions{From: tc.from, To: tc.to}) {
				assert.Nil(t, m, "item with an invalid window")
				errs = append(errs, err)
			}
			if len(errs) != 1 || !errors.Is(errs[0], ErrInvalidArgument) || len(rec.requests()) != 0 {
				t.Errorf("iterator: %v, %d requests", errs, len(rec.requests()))
			}
		})
	}
}

// TestAttendanceDateRuleOptions holds every operation with a date rule:
// its generated options type carries from and to as Dates tagged
// url:"from" and url:"to" (else checkDateRange would see nothing), and its
// method refuses a window over a month before any request.
func TestAttendanceDateRuleOptions(t *testing.T) {
	t.Parallel()
	s, err := spec.Load()
	require.NoError(t, err)
	today := DateOf(time.Now().UTC())
	seen := map[string]bool{}
	for _, m := range apiMethods(t) {
		if _, ok := dateRules[m.OpID]; !ok || m.Iterator {
			continue
		}
		seen[m.OpID] = true
		t.Run(m.Service+"."+m.Name, func(t *testing.T) {
			c, _, rec := setupRec(t)
			meth := reflect.ValueOf(c).Elem().FieldByName(strings.TrimSuffix(m.Service, "Service")).MethodByName(m.Name)
			require.True(t, meth.IsValid(), "no method %s.%s", m.Service, m.Name)
			args, _ := methodArgs(t, s.ByID(m.OpID), meth)
			var opts reflect.Value
			for _, a := range args {
				if a.Kind() == reflect.Pointer && strings.HasSuffix(a.Type().Elem().Name(), "Options") {
					opts = a.Elem()
				}
			}
			require.True(t, opts.IsValid(), "%s has no options", m.OpID)
			tags := map[string]string{}
			for i := range opts.NumField() {
				f := opts.Type().Field(i)
				name, _, _ := strings.Cut(f.Tag.Get("url"), ",")
				if name == "from" || name == "to" {
					assert.Equal(t, reflect.TypeFor[Date](), f.Type, "%s.%s is %s, want zoom.Date", opts.Type().Name(), f.Name, f.Type)
					tags[name] = f.Name
				}
			}
			if tags["from"] == "" || tags["to"] == "" {
				t.Fatalf("%s has no from/to Date fields: %v", opts.Type().Name(), tags)
			}
			opts.FieldByName(tags["from"]).Set(reflect.ValueOf(today.AddDays(-40)))
			opts.FieldByName(tags["to"]).Set(reflect.ValueOf(today.AddDays(-1)))
			res := meth.Call(args)
			err, _ := res[len(res)-1].Interface().(error)
			var ae *ArgumentError
			if !errors.As(err, &ae) || ae.Operation != m.OpID || ae.Arg != "from/to" {
				t.Errorf("err = %v, want a from/to *ArgumentError", err)
			}
			n := len(rec.requests())
			assert.Equal(t, 0, n, "%d requests sent", n)
		})
	}
	for id := range dateRules {
		if !seen[id] {
			t.Errorf("dateRules names %s, which no generated method calls", id)
		}
	}
}

// pagedItems answers a list operation with three pages of two items
// (tokens "", "p1", "p2"), or a 400 on the page whose token is failOn. The
// items, under key, are {"id":"i<n>", ...extra}.
func pagedItems(t *testing.T, key, extra, failOn string) httpmock.Responder {
	return func(r *http.Request) (*http.Response, error) {
		tok := r.URL.Query().Get("next_page_token")
		if tok == failOn {
			return httpmock.NewStringResponse(http.StatusBadRequest, `{"code":300,"message":"The next page token is invalid or expired."}`), nil
		}
		page, next := 0, "p1"
		switch tok {
		case "":
		case "p1":
			page, next = 1, "p2"
		case "p2":
			page, next = 2, ""
		default:
			t.Errorf("unexpected token %q", tok)
		}
		body := fmt.Sprintf(`{"page_size":2,"page_count":3,"total_records":"6","next_page_token":%q,%q:[{"id":"i%d"%s},{"id":"i%d"%s}]}`,
			next, key, 2*page, extra, 2*page+1, extra)
		resp := httpmock.NewStringResponse(http.StatusOK, body)
		resp.Header.Set("Content-Type", "application/json")
		return resp, nil
	}
}

// idSeq maps an iterator's items to their ids.
func idSeq[T any](seq iter.Seq2[*T, error], id func(*T) string) iter.Seq2[string, error] {
	return func(yield func(string, error) bool) {
		for x, err := range seq {
			s := ""
			if x != nil {
				s = id(x)
			}
			if !yield(s, err) {
				return
			}
		}
	}
}

func TestAttendanceIterators(t *testing.T) {
	t.Parallel()
	inst := InstanceID("aB//cD==")
	today := DateOf(time.Now().UTC())
	regID := func(r *Registrant) string { return r.ID }
	partID := func(p *Participant) string { return p.ID }
	repID := func(p *ReportParticipant) string { return p.ID }
	for _, tc := range []struct {
		name  string
		key   string // item array
		extra string // more item fields
		path  string
		query url.Values // besides page_size and next_page_token
		all   func(ctx context.Context, c *Client) iter.Seq2[string, error]
	}{
		{"Webinars.ListRegistrantsAll", "registrants", `,"email":"x@example.com","first_name":"X","status":"pending"`,
			"/webinars/85746065123/registrants", url.Values{"status": {"pending"}},
			func(ctx context.Context, c *Client) iter.Seq2[string, error] {
				return idSeq(c.Webinars.ListRegistrantsAll(ctx, 85746065123, &ListWebinarRegistrantsOptions{Status: RegistrantStatusPending, PageSize: 2}), regID)
			}},
		{"Meetings.ListRegistrantsAll", "registrants", `,"email":"x@example.com","first_name":"X","status":"denied"`,
			"/meetings/85746065/registrants", url.Values{"status": {"denied"}},
			func(ctx context.Context, c *Client) iter.Seq2[string, error] {
				return idSeq(c.Meetings.ListRegistrantsAll(ctx, 85746065, &ListMeetingRegistrantsOptions{Status: RegistrantStatusDenied, PageSize: 2}), regID)
			}},
		{"Webinars.ListPastParticipantsAll", "participants", `,"duration":60`,
			"/past_webinars/aB%252F%252FcD==/participants", url.Values{},
			func(ctx context.Context, c *Client) iter.Seq2[string, error] {
				return idSeq(c.Webinars.ListPastParticipantsAll(ctx, inst, &ListPastWebinarParticipantsOptions{PageSize: 2}), partID)
			}},
		{"Meetings.ListPastParticipantsAll", "participants", `,"duration":"60"`,
			"/past_meetings/85746065/participants", url.Values{},
			func(ctx context.Context, c *Client) iter.Seq2[string, error] {
				return idSeq(c.Meetings.ListPastParticipantsAll(ctx, LatestOf(85746065), &ListPastMeetingParticipantsOptions{PageSize: 2}), partID)
			}},
		{"Webinars.ListAbsenteesAll", "registrants", `,"email":"x@example.com","first_name":"X"`,
			"/past_webinars/%252FajXp112QmuoKj4854875==/absentees", url.Values{"occurrence_id": {"1764604800000"}},
			func(ctx context.Context, c *Client) iter.Seq2[string, error] {
				return idSeq(c.Webinars.ListAbsenteesAll(ctx, "/ajXp112QmuoKj4854875==", &ListWebinarAbsenteesOptions{OccurrenceID: "1764604800000", PageSize: 2}), regID)
			}},
		{"Reports.ListMeetingParticipantsAll", "participants", `,"duration":60,"registrant_id":"r"`,
			"/report/meetings/4444AAAiAAAAAiAiAiiAii==/participants", url.Values{"include_fields": {"registrant_id"}},
			func(ctx context.Context, c *Client) iter.Seq2[string, error] {
				return idSeq(c.Reports.ListMeetingParticipantsAll(ctx, "4444AAAiAAAAAiAiAiiAii==", &ListMeetingParticipantsReportOptions{IncludeFields: ParticipantIncludeFieldRegistrantID, PageSize: 2}), repID)
			}},
		{"Reports.ListWebinarParticipantsAll", "participants", `,"duration":"60","registrant_id":"r"`,
			"/report/webinars/aB%252F%252FcD==/participants", url.Values{"include_fields": {"registrant_id"}},
			func(ctx context.Context, c *Client) iter.Seq2[string, error] {
				return idSeq(c.Reports.ListWebinarParticipantsAll(ctx, inst, &ListWebinarParticipantsReportOptions{IncludeFields: ParticipantIncludeFieldRegistrantID, PageSize: 2}), repID)
			}},
		{"Reports.ListMeetingsAll", "meetings", "",
			"/report/users/me/meetings", url.Values{"from": {today.AddDays(-20).String()}, "to": {today.String()}, "type": {"pastJoined"}},
			func(ctx context.Context, c *Client) iter.Seq2[string, error] {
				return idSeq(c.Reports.ListMeetingsAll(ctx, "me", &ListMeetingsReportOptions{From: today.AddDays(-20), To: today, Type: MeetingsReportTypePastJoined, PageSize: 2}),
					func(m *MeetingReport) string { return m.UUID })
			}},
		{"CloudRecordings.ListAll", "meetings", "",
			"/users/me/recordings", url.Values{"mc": {"false"}},
			func(ctx context.Context, c *Client) iter.Seq2[string, error] {
				return idSeq(c.CloudRecordings.ListAll(ctx, "me", &ListRecordingsOptions{Mc: "false", PageSize: 2}), func(m *MeetingRecordings) string { return m.UUID })
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			// Recording and meeting report items have numeric ids (sent
			// here as a string and as a number); they are named by uuid.
			isRecordings := tc.key == "meetings"
			responder := func(failOn string) httpmock.Responder {
				if !isRecordings {
					return pagedItems(t, tc.key, tc.extra, failOn)
				}
				return func(r *http.Request) (*http.Response, error) {
					tok := r.URL.Query().Get("next_page_token")
					if tok == failOn {
						return httpmock.NewStringResponse(http.StatusBadRequest, `{"code":300,"message":"The next page token is invalid or expired."}`), nil
					}
					page, next := map[string]int{"": 0, "p1": 1, "p2": 2}[tok], map[string]string{"": "p1", "p1": "p2", "p2": ""}[tok]
					body := fmt.Sprintf(`{"page_size":2,"total_records":6,"next_page_token":%q,"meetings":[{"id":"85746065","uuid":"i%d"},{"id":85746066,"uuid":"i%d"}]}`, next, 2*page, 2*page+1)
					return httpmock.NewStringResponse(http.StatusOK, body), nil
				}
			}
			t.Run("three pages", func(t *testing.T) {
				c, mt, rec := setupRec(t)
				mt.RegisterNoResponder(responder("none"))
				var ids []string
				for id, err := range tc.all(ctx, c) {
					require.NoError(t, err)
					ids = append(ids, id)
				}
				got := strings.Join(ids, ",")
				assert.Equal(t, "i0,i1,i2,i3,i4,i5", got, "ids = %s", got)
				reqs := rec.requests()
				require.Len(t, reqs, 3, "%d requests, want 3", len(reqs))
				for i, tok := range []string{"", "p1", "p2"} {
					q, _ := url.ParseQuery(reqs[i].Query)
					want := url.Values{"page_size": {"2"}}
					for k, v := range tc.query {
						want[k] = v
					}
					if tok != "" {
						want.Set("next_page_token", tok)
					}
					assert.Equal(t, want, q, "request %d = %s ? %s, want %s ? %s", i, reqs[i].Path, reqs[i].Query, tc.path, want.Encode())
					assert.Equal(t, tc.path, reqs[i].Path, "request %d = %s ? %s, want %s ? %s", i, reqs[i].Path, reqs[i].Query, tc.path, want.Encode())
				}
			})
			t.Run("stop early", func(t *testing.T) {
				c, mt, rec := setupRec(t)
				mt.RegisterNoResponder(responder("none"))
				var ids []string
				for id, err := range tc.all(ctx, c) {
					require.NoError(t, err)
					ids = append(ids, id)
					if len(ids) == 3 {
						break
					}
				}
				if got := strings.Join(ids, ","); got != "i0,i1,i2" || len(rec.requests()) != 2 {
					t.Errorf("ids = %s after %d requests, want i0,i1,i2 after 2", got, len(rec.requests()))
				}
			})
			t.Run("error mid-way", func(t *testing.T) {
				c, mt, rec := setupRec(t)
				mt.RegisterNoResponder(responder("p2"))
				var ids []string
				var errs []error
				for id, err := range tc.all(ctx, c) {
					if err != nil {
						assert.Equal(t, "", id, "item with the error")
						errs = append(errs, err)
						continue
					}
					ids = append(ids, id)
				}
				var apiErr *APIError
				if got := strings.Join(ids, ","); got != "i0,i1,i2,i3" || len(errs) != 1 || !errors.Is(errs[0], ErrBadRequest) ||
					!errors.As(errs[0], &apiErr) || apiErr.Code != 300 || len(rec.requests()) != 3 {
					t.Errorf("ids = %s, errors = %v, %d requests", got, errs, len(rec.requests()))
				}
			})
		})
	}
}

// TestAttendanceLenientDecoding answers each operation with what Zoom
// really sends besides the documents (unknown fields and enum values,
// numbers as strings and ids as numbers, empty or zone-less timestamps,
// nulls): nothing is rejected, and the attendance figures survive.
func TestAttendanceLenientDecoding(t *testing.T) {
	t.Parallel()
	quirks := fixture(t, "attendance/report_participants_quirks.json")
	checkQuirkParticipants := func(t *testing.T, total int, p []ReportParticipant) {
		t.Helper()
		require.Equal(t, 4, total, "total %d, %d participants", total, len(p))
		require.Len(t, p, 4, "total %d, %d participants", total, len(p))
		if p[0].Duration != 1651 || p[0].UserID != "16778240" || p[0].RegistrantID != "9tboDiHUQAeOnbmudzWa5g" ||
			!p[0].JoinTime.Equal(utc(t, "2026-11-17T15:58:10.66Z")) || !p[0].LeaveTime.Equal(utc(t, "2026-11-17T16:25:41Z")) {
			t.Errorf("participant 0 = %+v", p[0])
		}
		if p[1].Status != "in_breakout_room" || !p[1].LeaveTime.IsZero() || !p[1].JoinTime.Equal(utc(t, "2026-11-17T16:05:00Z")) ||
			p[1].Duration != 270 || p[1].UserEmail != "" || p[1].Name != "Dial-in +1 555 0100" || p[1].Failover {
			t.Errorf("participant 1 = %+v", p[1])
		}
		if p[2].ID != "12345" || p[2].ParticipantUserID != "67890" || p[2].RegistrantID != "42" || p[2].Duration != 59 ||
			!p[2].JoinTime.IsZero() || !p[2].LeaveTime.IsZero() || p[2].UserEmail != "legacy@example.org" {
			t.Errorf("participant 2 = %+v", p[2])
		}
		if p[3].Name != "Still loading" || p[3].Duration != 0 || p[3].JoinTime.IsZero() {
			t.Errorf("participant 3 = %+v", p[3])
		}
	}
	for _, tc := range []struct {
		name  string
		body  string
		call  func(ctx context.Context, c *Client) (any, error)
		check func(t *testing.T, out any)
	}{
		{"Reports.ListMeetingParticipants", string(quirks),
			func(ctx context.Context, c *Client) (any, error) {
				out, _, err := c.Reports.ListMeetingParticipants(ctx, "aB//cD==", nil)
				return out, err
			},
			func(t *testing.T, out any) {
				r := out.(*MeetingParticipantsReport)
				assert.Equal(t, 300, r.PageSize, "report = %+v", r)
				assert.Equal(t, 1, r.PageCount, "report = %+v", r)
				assert.Equal(t, "", r.NextPageToken, "report = %+v", r)
				checkQuirkParticipants(t, r.TotalRecords, r.Participants)
			}},
		{"Reports.ListWebinarParticipants", string(quirks),
			func(ctx context.Context, c *Client) (any, error) {
				out, _, err := c.Reports.ListWebinarParticipants(ctx, LatestOf(85746065123), nil)
				return out, err
			},
			func(t *testing.T, out any) {
				r := out.(*WebinarParticipantsReport)
				checkQuirkParticipants(t, r.TotalRecords, r.Participants)
			}},
		{"Webinars.ListPastParticipants", `{"total_records":"2","page_size":"30","next_page_token":null,"unknown":{"a":[1]},"participants":[
			{"id":12345,"user_id":16778240,"name":"N","user_email":"","join_time":"2026-11-17T16:00:00Z","leave_time":"","duration":"1800","failover":"false","status":"in_breakout_room","registrant_id":987,"internal_user":"no","new":{}},
			{"id":"x","name":"M","join_time":"2026-11-17T16:00:00","leave_time":"2026-11-17T16:30:00.000Z","duration":1800.0,"status":"in_meeting"}]}`,
			func(ctx context.Context, c *Client) (any, error) {
				out, _, err := c.Webinars.ListPastParticipants(ctx, "aB//cD==", nil)
				return out, err
			},
			func(t *testing.T, out any) {
				l := out.(*ParticipantList)
				require.Equal(t, 2, l.TotalRecords, "list = %+v", l)
				require.Equal(t, 30, l.PageSize, "list = %+v", l)
				require.Len(t, l.Participants, 2, "list = %+v", l)
				p := l.Participants
				if p[0].ID != "12345" || p[0].UserID != "16778240" || p[0].RegistrantID != "987" || p[0].Duration != 1800 ||
					p[0].Status != "in_breakout_room" || !p[0].LeaveTime.IsZero() || p[0].Name != "N" {
					t.Errorf("participant 0 = %+v", p[0])
				}
				assert.Equal(t, 30*time.Minute, p[1].LeaveTime.Sub(p[1].JoinTime.Time), "participant 1 = %+v", p[1])
				assert.Equal(t, 1800, p[1].Duration, "participant 1 = %+v", p[1])
				assert.Equal(t, ParticipantStatusInMeeting, p[1].Status, "participant 1 = %+v", p[1])
			}},
		{"Meetings.ListPastParticipants", `{"participants":[{"id":"a","duration":"20","join_time":"2019-02-01T12:34:12.660Z","leave_time":"2019-03-01T12:34:12.660Z"}],"total_records":1}`,
			func(ctx context.Context, c *Client) (any, error) {
				out, _, err := c.Meetings.ListPastParticipants(ctx, LatestOf(85746065), nil)
				return out, err
			},
			func(t *testing.T, out any) {
				if p := out.(*ParticipantList).Participants; len(p) != 1 || p[0].Duration != 20 || p[0].JoinTime.IsZero() {
					t.Errorf("participants = %+v", p)
				}
			}},
		{"Webinars.ListRegistrants", `{"page_size":"30","total_records":"2","next_page_token":null,"unknown":{"a":1},"registrants":[
			{"id":"r1","email":"a@example.com","first_name":"A","status":"waitlisted","create_time":"","custom_questions":null,"language":"xx-XX","extra":[1,2]},
			{"id":"r2","email":"b@example.com","first_name":"B","status":"approved","create_time":"2026-11-02T14:03:17.123Z","custom_questions":[{"title":"NPI","value":"1","id":7}]}]}`,
			func(ctx context.Context, c *Client) (any, error) {
				out, _, err := c.Webinars.ListRegistrants(ctx, 85746065123, nil)
				return out, err
			},
			func(t *testing.T, out any) {
				l := out.(*RegistrantList)
				require.Equal(t, 2, l.TotalRecords, "list = %+v", l)
				require.Equal(t, 30, l.PageSize, "list = %+v", l)
				require.Len(t, l.Registrants, 2, "list = %+v", l)
				r := l.Registrants
				if r[0].Status != "waitlisted" || !r[0].CreateTime.IsZero() || r[0].Language != "xx-XX" || r[0].Email != "a@example.com" ||
					r[1].Status != RegistrantStatusApproved || !r[1].CreateTime.Equal(utc(t, "2026-11-02T14:03:17.123Z")) || r[1].CustomQuestions[0].Value != "1" {
					t.Errorf("registrants = %+v", r)
				}
			}},
		{"Webinars.ListAbsentees", `{"total_records":"1","page_number":"1","registrants":[{"id":"r1","email":"a@example.com","first_name":"A","status":"","create_time":"2026-11-02 14:03:17","join_url":"u","unknown":null}]}`,
			func(ctx context.Context, c *Client) (any, error) {
				out, _, err := c.Webinars.ListAbsentees(ctx, "/ajXp112QmuoKj4854875==", nil)
				return out, err
			},
			func(t *testing.T, out any) {
				l := out.(*AbsenteeList)
				if l.TotalRecords != 1 || l.PageNumber != 1 || len(l.Registrants) != 1 || l.Registrants[0].JoinURL != "u" ||
					!l.Registrants[0].CreateTime.Equal(utc(t, "2026-11-02T14:03:17Z")) {
					t.Errorf("absentees = %+v", l)
				}
			}},
		{"Webinars.AddBatchRegistrants", `{"registrants":[{"email":"a@example.com","registrant_id":"r1","join_url":"u","participant_pin_code":null,"new_field":true}],"unknown":1}`,
			func(ctx context.Context, c *Client) (any, error) {
				out, _, err := c.Webinars.AddBatchRegistrants(ctx, 85746065123, &AddBatchRegistrantsRequest{Registrants: []BatchRegistrant{{Email: "a@example.com", FirstName: "A"}}})
				return out, err
			},
			func(t *testing.T, out any) {
				if r := out.(*BatchRegistrantsResult).Registrants; len(r) != 1 || r[0].RegistrantID != "r1" || r[0].JoinURL != "u" {
					t.Errorf("registrants = %+v", r)
				}
			}},
		{"Webinars.AddRegistrant", `{"id":"85746065123","registrant_id":"r1","join_url":"u","start_time":"","topic":"T",
			"occurrences":[{"occurrence_id":"1764604800000","start_time":"2026-12-01T16:00:00","duration":60,"status":"deleted_soon"}],"extra":{}}`,
			func(ctx context.Context, c *Client) (any, error) {
				out, _, err := c.Webinars.AddRegistrant(ctx, 85746065123, &AddRegistrantRequest{Email: "a@example.com", FirstName: "A"}, nil)
				return out, err
			},
			func(t *testing.T, out any) {
				r := out.(*WebinarRegistration)
				if r.ID != 85746065123 || r.RegistrantID != "r1" || !r.StartTime.IsZero() || len(r.Occurrences) != 1 ||
					!r.Occurrences[0].StartTime.Equal(utc(t, "2026-12-01T16:00:00Z")) || r.Occurrences[0].Status != "deleted_soon" {
					t.Errorf("registration = %+v", r)
				}
			}},
		{"Meetings.AddRegistrant", `{"id":"85746065","registrant_id":"r1","participant_pin_code":"380986","start_time":null}`,
			func(ctx context.Context, c *Client) (any, error) {
				out, _, err := c.Meetings.AddRegistrant(ctx, 85746065, &AddRegistrantRequest{Email: "a@example.com", FirstName: "A"}, nil)
				return out, err
			},
			func(t *testing.T, out any) {
				r := out.(*MeetingRegistration)
				assert.Equal(t, ID(85746065), r.ID, "registration = %+v", r)
				assert.Equal(t, int64(380986), r.ParticipantPinCode, "registration = %+v", r)
				assert.Equal(t, "r1", r.RegistrantID, "registration = %+v", r)
			}},
		{"Webinars.GetRegistrantQuestions", `{"questions":[{"field_name":"favorite_color","required":true}],"custom_questions":[{"title":"T","type":"checkbox","required":true,"answers":null,"extra":1}],"unknown":[]}`,
			func(ctx context.Context, c *Client) (any, error) {
				out, _, err := c.Webinars.GetRegistrantQuestions(ctx, 85746065123)
				return out, err
			},
			func(t *testing.T, out any) {
				q := out.(*RegistrantQuestions)
				if len(q.Questions) != 1 || q.Questions[0].FieldName != "favorite_color" || len(q.CustomQuestions) != 1 || q.CustomQuestions[0].Type != "checkbox" {
					t.Errorf("questions = %+v", q)
				}
			}},
		{"Webinars.ListPanelists", `{"total_records":"2","panelists":[{"id":"p1","email":"e@example.com","name":"N","unknown":1},{"name":"Mike","email":"m@example.com"}]}`,
			func(ctx context.Context, c *Client) (any, error) {
				out, _, err := c.Webinars.ListPanelists(ctx, 85746065123)
				return out, err
			},
			func(t *testing.T, out any) {
				if l := out.(*PanelistList); l.TotalRecords != 2 || len(l.Panelists) != 2 || l.Panelists[1].Email != "m@example.com" {
					t.Errorf("panelists = %+v", l)
				}
			}},
		{"Webinars.AddPanelists", `{"id":"85746065123","updated_at":"","extra":{"a":1}}`,
			func(ctx context.Context, c *Client) (any, error) {
				out, _, err := c.Webinars.AddPanelists(ctx, 85746065123, &AddWebinarPanelistsRequest{Panelists: []PanelistRequest{{Email: "p@example.com", Name: "P"}}})
				return out, err
			},
			func(t *testing.T, out any) {
				if a := out.(*AddedPanelists); a.ID != "85746065123" || !a.UpdatedAt.IsZero() {
					t.Errorf("added = %+v", a)
				}
			}},
		{"Webinars.ListPastInstances", `{"webinars":[{"uuid":"u1","start_time":""},{"uuid":"u2","start_time":"2026-11-17 16:00:00","new":1}],"total":2}`,
			func(ctx context.Context, c *Client) (any, error) {
				out, _, err := c.Webinars.ListPastInstances(ctx, 85746065123)
				return out, err
			},
			func(t *testing.T, out any) {
				w := out.(*WebinarInstanceList).Webinars
				if len(w) != 2 || !w[0].StartTime.IsZero() || w[0].UUID != "u1" || !w[1].StartTime.Equal(utc(t, "2026-11-17T16:00:00Z")) {
					t.Errorf("instances = %+v", w)
				}
			}},
		{"Meetings.GetPast", `{"id":"85746065","uuid":"u","duration":"64","participants_count":"3","total_minutes":"190","start_time":"2026-11-17T15:58:10.123Z","end_time":"","source":"API","new":1}`,
			func(ctx context.Context, c *Client) (any, error) {
				out, _, err := c.Meetings.GetPast(ctx, "u")
				return out, err
			},
			func(t *testing.T, out any) {
				p := out.(*PastMeeting)
				if p.ID != 85746065 || p.Duration != 64 || p.ParticipantsCount != 3 || p.TotalMinutes != 190 || !p.EndTime.IsZero() || p.StartTime.IsZero() {
					t.Errorf("past meeting = %+v", p)
				}
			}},
		{"Reports.GetMeeting", `{"uuid":"u","id":"85746065","type":"2","duration":"64","total_minutes":"190","participants_count":"5","start_time":"2026-11-17T15:58:10Z","end_time":"",
			"custom_keys":[{"key":"k","value":"v","extra":1}],"tracking_fields":null,"unknown":1}`,
			func(ctx context.Context, c *Client) (any, error) {
				out, _, err := c.Reports.GetMeeting(ctx, "u")
				return out, err
			},
			func(t *testing.T, out any) {
				r := out.(*MeetingReport)
				if r.ID != 85746065 || r.Type != 2 || r.Duration != 64 || r.TotalMinutes != 190 || r.ParticipantsCount != 5 || !r.EndTime.IsZero() || r.CustomKeys[0].Value != "v" {
					t.Errorf("report = %+v", r)
				}
			}},
		{"Reports.GetWebinar", `{"uuid":"u","id":"85746065123","type":"5","duration":"63","total_minutes":"402","participants_count":"3","start_time":"","end_time":null,"unknown":{}}`,
			func(ctx context.Context, c *Client) (any, error) {
				out, _, err := c.Reports.GetWebinar(ctx, "u")
				return out, err
			},
			func(t *testing.T, out any) {
				r := out.(*WebinarReport)
				if r.ID != 85746065123 || r.Type != 5 || r.Duration != 63 || r.TotalMinutes != 402 || r.ParticipantsCount != 3 || !r.StartTime.IsZero() {
					t.Errorf("report = %+v", r)
				}
			}},
		{"Reports.ListMeetings", `{"from":"2026-11-1","to":"2026-11-24T00:00:00Z","total_records":"1","page_count":"1","next_page_token":"",
			"meetings":[{"uuid":"u","id":"85746065","participants_count":"4","duration":"61","total_minutes":"150","type":"8","join_time":"","unknown":1}]}`,
			func(ctx context.Context, c *Client) (any, error) {
				today := DateOf(time.Now().UTC())
				out, _, err := c.Reports.ListMeetings(ctx, "me", &ListMeetingsReportOptions{From: today.AddDays(-3), To: today})
				return out, err
			},
			func(t *testing.T, out any) {
				r := out.(*UserMeetingsReport)
				if r.From != (Date{2026, time.November, 1}) || r.To != (Date{2026, time.November, 24}) || r.TotalRecords != 1 || len(r.Meetings) != 1 {
					t.Fatalf("report = %+v", r)
				}
				m := r.Meetings[0]
				assert.Equal(t, ID(85746065), m.ID, "meeting = %+v", m)
				assert.Equal(t, 4, m.ParticipantsCount, "meeting = %+v", m)
				assert.Equal(t, 61, m.Duration, "meeting = %+v", m)
				assert.Equal(t, 150, m.TotalMinutes, "meeting = %+v", m)
				assert.Equal(t, 8, m.Type, "meeting = %+v", m)
			}},
		{"CloudRecordings.List", `{"from":"2026-11-01","to":"","total_records":"1","next_page_token":null,"meetings":[{"uuid":"u","id":"85746065","type":2,"total_size":"529758816","recording_count":"2","duration":"63",
			"recording_files":[{"id":"f","file_type":"NEW_TYPE","recording_type":"new_view","status":"processing","recording_start":"","recording_end":"2026-11-17T17:02:03Z","download_url":"https://example.zoom.us/rec/download/f"}],"unknown":1}]}`,
			func(ctx context.Context, c *Client) (any, error) {
				out, _, err := c.CloudRecordings.List(ctx, "me", nil)
				return out, err
			},
			func(t *testing.T, out any) {
				l := out.(*RecordingList)
				if l.TotalRecords != 1 || l.From != (Date{2026, time.November, 1}) || !l.To.IsZero() || len(l.Meetings) != 1 {
					t.Fatalf("list = %+v", l)
				}
				m := l.Meetings[0]
				require.Equal(t, ID(85746065), m.ID, "meeting = %+v", m)
				require.Equal(t, "2", m.Type, "meeting = %+v", m)
				require.Equal(t, int64(529758816), m.TotalSize, "meeting = %+v", m)
				require.Equal(t, 2, m.RecordingCount, "meeting = %+v", m)
				require.Equal(t, 63, m.Duration, "meeting = %+v", m)
				require.Len(t, m.RecordingFiles, 1, "meeting = %+v", m)
				if f := m.RecordingFiles[0]; f.FileType != "NEW_TYPE" || f.RecordingType != "new_view" || !f.RecordingStart.IsZero() || f.RecordingEnd.IsZero() || f.DownloadURL == "" {
					t.Errorf("file = %+v", f)
				}
			}},
		{"CloudRecordings.Get", string(fixture(t, "attendance/recording_get.json")),
			func(ctx context.Context, c *Client) (any, error) {
				out, _, err := c.CloudRecordings.Get(ctx, "/ajXp112QmuoKj4854875==", nil)
				return out, err
			},
			func(t *testing.T, out any) { checkRecordingGet(t, out.(*MeetingRecordings)) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, mt := setup(t)
			replyJSON(mt, http.StatusOK, []byte(tc.body))
			out, err := tc.call(context.Background(), c)
			require.NoError(t, err, "decoding failed")
			tc.check(t, out)
		})
	}
}
