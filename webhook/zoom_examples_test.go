package webhook

import (
	"context"
	"net/http/httptest"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// deliver signs body as Zoom does and serves it through h, returning the
// status the Handler answered.
func deliver(t *testing.T, h *Handler, clk time.Time, body []byte) int {
	t.Helper()
	req, err := NewSignedRequest(t.Context(), "s", "https://app.example/zoom/webhook", body, clk)
	require.NoError(t, err)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Code
}

func newExampleHandler(t *testing.T, clk time.Time) *Handler {
	t.Helper()
	v, err := NewVerifier([]string{"s"}, WithClock(func() time.Time { return clk }))
	require.NoError(t, err)
	h, err := NewHandler(v)
	require.NoError(t, err)
	return h
}

// Zoom's own example of app.authorization_request_created (Marketplace
// webhook document, copied to testdata/examples) sends event_ts as the
// quoted number "1641884378841": the Handler accepts it with its
// timestamp, where it used to answer 400 and have Zoom retry and drop the
// event (issue 16, item 5).
func TestQuotedEventTimestampFromZoomExample(t *testing.T) {
	body, err := os.ReadFile("testdata/examples/app.authorization_request_created.json")
	require.NoError(t, err)
	require.Contains(t, string(body), `"event_ts": "1641884378841"`, "the example quotes event_ts")
	clk := time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)
	h := newExampleHandler(t, clk)
	var got []*Event
	h.On("app.authorization_request_created", func(_ context.Context, e *Event) error {
		got = append(got, e)
		return nil
	})
	assert.Equal(t, 200, deliver(t, h, clk, body))
	require.Len(t, got, 1)
	assert.Equal(t, time.UnixMilli(1641884378841).UTC(), got[0].Timestamp)
	assert.Contains(t, string(got[0].Payload), `"requester_name": "Jill Chill"`)
}

// Zoom's example for the group member removal event (Users webhook
// document) is named group.members_deleted; delivered as Zoom shows it,
// it reaches the typed group.member_deleted handler with its members.
func TestGroupMembersDeletedZoomExample(t *testing.T) {
	var body []byte
	for _, ex := range loadSpecExamples(t) {
		if ex.event == EventGroupMemberDeleted {
			body = ex.body
		}
	}
	require.NotNil(t, body, "no example for %s in testdata/spec", EventGroupMemberDeleted)
	e, err := ParseEvent(body)
	require.NoError(t, err)
	require.Equal(t, "group.members_deleted", e.Name, "Zoom's example spells it so")

	clk := time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)
	h := newExampleHandler(t, clk)
	var got []*GroupMemberDeletedPayload
	var names []string
	h.OnGroupMemberDeleted(func(_ context.Context, e *Event, p *GroupMemberDeletedPayload) error {
		names = append(names, e.Name)
		got = append(got, p)
		return nil
	})
	assert.Equal(t, 200, deliver(t, h, clk, body))
	require.Len(t, got, 1)
	assert.Equal(t, []string{"group.members_deleted"}, names, "Event.Name keeps what Zoom sent")
	assert.NotEmpty(t, got[0].Object.Members)
}
