package zoom

import (
	"context"
	"net/http"
	"testing"
)

// The remaining meaningful zeros issue 16 (item 6) names, each through
// its real method: query flags the documents give no default can be sent
// as false (webinarPolls anonymous, setWebinarBrandingVB
// set_default_for_all_panelists), and a survey's rating scale can start at
// 0 ("This value cannot be less than zero") as a poll's can.
func TestDocumentedZerosReachTheWire(t *testing.T) {
	t.Parallel()
	runCases(t, []apiCase{
		{
			name: "webinar polls: anonymous=false",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return c.Webinars.ListPolls(ctx, 85746065123, &ListWebinarPollsOptions{Anonymous: Ptr(false)})
			},
			resp:   []byte(`{"polls":[],"total_records":0}`),
			method: "GET", path: "/webinars/85746065123/polls", query: "anonymous=false",
		},
		{
			name: "webinar polls: anonymous left out when nil",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return c.Webinars.ListPolls(ctx, 85746065123, &ListWebinarPollsOptions{})
			},
			resp:   []byte(`{"polls":[],"total_records":0}`),
			method: "GET", path: "/webinars/85746065123/polls",
		},
		{
			name: "branding virtual background: set_default_for_all_panelists=false",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return noOut(c.Webinars.SetDefaultBrandingVirtualBackground(ctx, 85746065123,
					&SetWebinarBrandingVirtualBackgroundOptions{ID: "vb1", SetDefaultForAllPanelists: Ptr(false)}))
			},
			status: http.StatusNoContent,
			method: "PATCH", path: "/webinars/85746065123/branding/virtual_backgrounds",
			query: "id=vb1&set_default_for_all_panelists=false",
		},
		{
			name: "survey: rating_min_value 0",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return noOut(c.Webinars.UpdateSurvey(ctx, 85746065123, &UpdateWebinarSurveyRequest{
					CustomSurvey: &WebinarSurveyCustomSurveyRequest{
						Title: Ptr("How likely are you to recommend us?"),
						Questions: []WebinarSurveyCustomSurveyQuestionRequest{{
							Name: "Score", Type: WebinarSurveyCustomSurveyQuestionTypeRatingScale,
							RatingMinValue: Ptr(0), RatingMaxValue: 10,
						}},
					},
				}))
			},
			status: http.StatusNoContent,
			method: "PATCH", path: "/webinars/85746065123/survey",
			body: `{"custom_survey":{"title":"How likely are you to recommend us?","questions":[{"name":"Score","type":"rating_scale","rating_min_value":0,"rating_max_value":10}]}}`,
		},
	})
}
