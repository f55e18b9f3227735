package zoom

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestWebinarsService(t *testing.T) {
	t.Parallel()
	runCases(t, []apiCase{
		{
			name: "Get",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return c.Webinars.Get(ctx, LatestOf(123456789), nil)
			},
			resp:   fixture(t, "zoom_rb/webinar_get.json"),
			method: "GET", path: "/webinars/123456789",
			check: func(t *testing.T, out any) {
				w := out.(*Webinar)
				assert.Equal(t, ID(123456789), w.ID, "webinar = %+v", w)
				assert.Equal(t, WebinarTypeWebinar, w.Type, "webinar = %+v", w)
				assert.Equal(t, 30, w.Duration, "webinar = %+v", w)
				assert.Equal(t, "REDACTED", fmt.Sprint(w.StartURL), "webinar = %+v", w)
			},
		},
		{
			name: "Create",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return c.Webinars.Create(ctx, "me", &CreateWebinarRequest{
					Topic: "Launch", Type: WebinarTypeWebinar, Duration: 60,
					StartTime: NewTime(time.Date(2026, 4, 1, 16, 0, 0, 0, time.UTC)),
					Settings:  &WebinarSettingsRequest{ApprovalType: Ptr(ApprovalTypeManual), HostVideo: Ptr(true)},
				})
			},
			status: http.StatusCreated,
			resp:   fixture(t, "zoom_rb/webinar/create.json"),
			method: "POST", path: "/users/me/webinars",
			body: `{"topic":"Launch","type":5,"duration":60,"start_time":"2026-04-01T16:00:00Z","settings":{"approval_type":1,"host_video":true}}`,
			check: func(t *testing.T, out any) {
				w := out.(*Webinar)
				assert.Equal(t, ID(1234567890), w.ID, "webinar = %+v", w)
				assert.Equal(t, WebinarTypeWebinar, w.Type, "webinar = %+v", w)
			},
		},
		{
			name: "ListRegistrants",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return c.Webinars.ListRegistrants(ctx, 123456789, &ListWebinarRegistrantsOptions{Status: RegistrantStatusApproved})
			},
			resp:   fixture(t, "zoom_rb/webinar/registrant/list.json"),
			method: "GET", path: "/webinars/123456789/registrants", query: "status=approved",
			check: func(t *testing.T, out any) {
				l := out.(*RegistrantList)
				assert.NotEmpty(t, l.Registrants, "registrants = %+v", l)
			},
		},
		{
			name: "ListPastParticipants",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return c.Webinars.ListPastParticipants(ctx, InstanceID("//abc=="), nil)
			},
			resp:   fixture(t, "zoom_rb/webinar/past_webinars_participants.json"),
			method: "GET", path: "/past_webinars/%252F%252Fabc==/participants",
		},
		{
			name: "UpdateStatus",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return noOut(c.Webinars.UpdateStatus(ctx, 123456789, &UpdateWebinarStatusRequest{Action: WebinarActionEnd}))
			},
			status: http.StatusNoContent,
			method: "PUT", path: "/webinars/123456789/status", body: `{"action":"end"}`,
		},
	})
}

func TestCloudRecordingsService(t *testing.T) {
	t.Parallel()
	to := DateOf(time.Now().UTC()).AddDays(-1)
	from := to.AddDays(-7)
	runCases(t, []apiCase{
		{
			name: "GetByUUID",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return c.CloudRecordings.Get(ctx, InstanceID("/ucc69C82Q5mTNyCRWE29Aw=="), nil)
			},
			resp:   fixture(t, "zoom_rb/recording/get.json"),
			method: "GET", path: "/meetings/%252Fucc69C82Q5mTNyCRWE29Aw==/recordings",
			check: func(t *testing.T, out any) {
				r := out.(*MeetingRecordings)
				if r.ID != 933560800 || len(r.RecordingFiles) != r.RecordingCount || r.RecordingFiles[0].FileType != RecordingFileTypeMP4 ||
					r.RecordingFiles[0].RecordingEnd.Sub(r.RecordingFiles[0].RecordingStart.Time) != 11*time.Second {
					t.Errorf("recordings = %+v", r)
				}
			},
		},
		{
			name: "List",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return c.CloudRecordings.List(ctx, "me", &ListRecordingsOptions{From: from, To: to, PageSize: 300})
			},
			resp:   fixture(t, "zoom_rb/recording/list.json"),
			method: "GET", path: "/users/me/recordings",
			query: "page_size=300&from=" + from.String() + "&to=" + to.String(),
			check: func(t *testing.T, out any) {
				if l := out.(*RecordingList); len(l.Meetings) == 0 || len(l.Meetings[0].RecordingFiles) == 0 {
					t.Errorf("recordings = %+v", l)
				}
			},
		},
		{
			name: "Delete",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return noOut(c.CloudRecordings.Delete(ctx, LatestOf(85746065), &DeleteMeetingRecordingsOptions{Action: RecordingDeleteActionTrash}))
			},
			status: http.StatusNoContent,
			method: "DELETE", path: "/meetings/85746065/recordings", query: "action=trash",
		},
	})
}

func TestReportsService(t *testing.T) {
	t.Parallel()
	to := DateOf(time.Now().UTC()).AddDays(-1)
	from := to.AddDays(-14)
	runCases(t, []apiCase{
		{
			name: "GetDaily",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return c.Reports.GetDaily(ctx, &GetDailyReportOptions{Year: 2017, Month: 7})
			},
			resp:   fixture(t, "zoom_rb/report_getdailyreport.json"),
			method: "GET", path: "/report/daily", query: "year=2017&month=7",
			check: func(t *testing.T, out any) {
				r := out.(*DailyReport)
				assert.Equal(t, 2017, r.Year, "report = %+v", r)
				assert.NotEmpty(t, r.Dates, "report = %+v", r)
				assert.Equal(t, 91, r.Dates[0].Meetings, "report = %+v", r)
			},
		},
		{
			name: "ListActiveHosts",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return c.Reports.ListActiveHosts(ctx, &ListActiveHostsReportOptions{From: from, To: to, Type: ActiveHostsReportTypeActive})
			},
			resp:   fixture(t, "zoom_rb/report_getaccountreport.json"),
			method: "GET", path: "/report/users", query: "type=active&from=" + from.String() + "&to=" + to.String(),
			check: func(t *testing.T, out any) {
				if r := out.(*ActiveHostsReport); r.TotalRecords != 1 || len(r.Users) != 1 {
					t.Errorf("report = %+v", r)
				}
			},
		},
		{
			name: "GetMeeting",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return c.Reports.GetMeeting(ctx, InstanceID("sfsdfsdfc6122222d"))
			},
			resp:   fixture(t, "zoom_rb/report/meeting.json"),
			method: "GET", path: "/report/meetings/sfsdfsdfc6122222d",
			check: func(t *testing.T, out any) {
				if r := out.(*MeetingReport); r.ID != 1000000 || r.StartTime.IsZero() {
					t.Errorf("report = %+v", r)
				}
			},
		},
	})
}

func TestReportsArgumentErrors(t *testing.T) {
	t.Parallel()
	c, _, rec := setupRec(t)
	_, _, err := c.Reports.ListActiveHosts(context.Background(), nil)
	wantArgError(t, rec, err, "opts.From")
}
