package zoom

import (
	"context"
	"net/http"
	"testing"
)

// TestRequestsSendZeros sends each kind of zero through the real methods:
// an update (PATCH or PUT) body can set any field to "", 0, false, an
// empty list or an empty object while leaving the others untouched (nil),
// and create bodies carry the zeros the documents give a meaning (#18,
// #16 item 6; the rule is sendsZero in internal/gen/zoomgen).
func TestRequestsSendZeros(t *testing.T) {
	t.Parallel()
	noContent := http.StatusNoContent
	runCases(t, []apiCase{
		{
			name: "update meeting: only the field set is sent",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return noOut(c.Meetings.Update(ctx, 85746065, &UpdateMeetingRequest{Topic: Ptr("Tumor board")}, nil))
			},
			status: noContent, method: "PATCH", path: "/meetings/85746065",
			body: `{"topic":"Tumor board"}`,
		},
		{
			name: "update meeting: clear the agenda",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return noOut(c.Meetings.Update(ctx, 85746065, &UpdateMeetingRequest{Agenda: Ptr("")}, nil))
			},
			status: noContent, method: "PATCH", path: "/meetings/85746065",
			body: `{"agenda":""}`,
		},
		{
			name: "update meeting: zero jbh_time, false setting, empty list, empty string in settings",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return noOut(c.Meetings.Update(ctx, 85746065, &UpdateMeetingRequest{
					Settings: &MeetingSettingsRequest{
						JBHTime:          Ptr(0),
						JoinBeforeHost:   Ptr(false),
						MeetingInvitees:  []MeetingSettingsMeetingInviteeRequest{},
						AlternativeHosts: Ptr(""),
					},
				}, nil))
			},
			status: noContent, method: "PATCH", path: "/meetings/85746065",
			body: `{"settings":{"jbh_time":0,"join_before_host":false,"meeting_invitees":[],"alternative_hosts":""}}`,
		},
		{
			name: "update meeting: empty settings object",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return noOut(c.Meetings.Update(ctx, 85746065, &UpdateMeetingRequest{Settings: &MeetingSettingsRequest{}}, nil))
			},
			status: noContent, method: "PATCH", path: "/meetings/85746065",
			body: `{"settings":{}}`,
		},
		{
			name: "update webinar: registrants_restrict_number 0 removes the restriction",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return noOut(c.Webinars.Update(ctx, 85746065123, &UpdateWebinarRequest{
					Settings: &WebinarSettingsRequest{RegistrantsRestrictNumber: Ptr(0)},
				}, nil))
			},
			status: noContent, method: "PATCH", path: "/webinars/85746065123",
			body: `{"settings":{"registrants_restrict_number":0}}`,
		},
		{
			name: "update user: clear a string, empty list",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return noOut(c.Users.Update(ctx, "me", &UpdateUserRequest{Dept: Ptr(""), DivisionIDs: []string{}}, nil))
			},
			status: noContent, method: "PATCH", path: "/users/me",
			body: `{"dept":"","division_ids":[]}`,
		},
		{
			name: "update user settings: nested false, zero and empty string",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return noOut(c.Users.UpdateSettings(ctx, "me", &UpdateUserSettingsRequest{
					InMeeting:       &UserSettingsInMeetingRequest{Whiteboard: Ptr(false), AllowUsersSaveChats: Ptr(0)},
					ScheduleMeeting: &UserSettingsScheduleMeetingRequest{DefaultPasswordForScheduledMeetings: Ptr("")},
				}, nil))
			},
			status: noContent, method: "PATCH", path: "/users/me/settings",
			body: `{"in_meeting":{"whiteboard":false,"allow_users_save_chats":0},"schedule_meeting":{"default_password_for_scheduled_meetings":""}}`,
		},
		{
			name: "update poll (PUT): rating_min_value 0 and an empty title",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return noOut(c.Webinars.UpdatePoll(ctx, 85746065123, "QalIoKWLTJehBJ8e1xRrbQ", &UpdateWebinarPollRequest{
					Title:     Ptr(""),
					Questions: []PollQuestionRequest{{Name: "Rate the session", Type: PollQuestionTypeRatingScale, RatingMinValue: Ptr(0), RatingMaxValue: 4}},
				}))
			},
			status: noContent, method: "PUT", path: "/webinars/85746065123/polls/QalIoKWLTJehBJ8e1xRrbQ",
			body: `{"title":"","questions":[{"name":"Rate the session","type":"rating_scale","rating_min_value":0,"rating_max_value":4}]}`,
		},
		{
			name: "create poll: rating_min_value 0 is sent, other zeros are not",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return c.Webinars.CreatePoll(ctx, 85746065123, &CreateWebinarPollRequest{
					Title:     "Check",
					Questions: []PollQuestionRequest{{Name: "Rate", Type: PollQuestionTypeRatingScale, RatingMinValue: Ptr(0), RatingMaxValue: 4}},
				})
			},
			status: http.StatusCreated, resp: []byte(`{"id":"QalIoKWLTJehBJ8e1xRrbQ"}`),
			method: "POST", path: "/webinars/85746065123/polls",
			body: `{"title":"Check","questions":[{"name":"Rate","type":"rating_scale","rating_min_value":0,"rating_max_value":4}]}`,
		},
		{
			name: "meeting invite links: ttl 0 means no expiration",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return c.Meetings.CreateInviteLinks(ctx, 85746065, &CreateMeetingInviteLinksRequest{
					Attendees: []InviteLinkAttendee{{Name: "Jill"}}, TTL: Ptr[int64](0),
				})
			},
			status: http.StatusCreated, resp: []byte(`{"attendees":[]}`),
			method: "POST", path: "/meetings/85746065/invite_links",
			body: `{"attendees":[{"name":"Jill"}],"ttl":0}`,
		},
		{
			name: "webinar invite links: ttl 0 means no expiration",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return c.Webinars.CreateInviteLinks(ctx, 85746065123, &CreateWebinarInviteLinksRequest{
					Attendees: []InviteLinkAttendee{{Name: "Jill", DisableVideo: Ptr(false)}}, TTL: Ptr[int64](0),
				})
			},
			status: http.StatusCreated, resp: []byte(`{"attendees":[]}`),
			method: "POST", path: "/webinars/85746065123/invite_links",
			body: `{"attendees":[{"name":"Jill","disable_video":false}],"ttl":0}`,
		},
		{
			name: "create meeting: plain fields whose zero means unset are left out",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return c.Meetings.Create(ctx, "me", &CreateMeetingRequest{Topic: "Standup", Agenda: ""})
			},
			status: http.StatusCreated, resp: []byte(`{"id":85746065}`),
			method: "POST", path: "/users/me/meetings",
			body: `{"topic":"Standup"}`,
		},
	})
}
