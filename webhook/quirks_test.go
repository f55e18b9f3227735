package webhook

import (
	"context"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Zoom's own examples send event_ts as a quoted number for 16 events
// (app.authorization_request_created, workspace.*, visitor_management.*,
// zoomroom.location_*): the envelope parses, with the same timestamp.
func TestQuotedEventTimestamp(t *testing.T) {
	for _, body := range []string{
		`{"event":"workspace.reservation_created","event_ts":"1626230691572","payload":{}}`,
		`{"event":"workspace.reservation_created","event_ts":1626230691572,"payload":{}}`,
	} {
		e, err := ParseEvent([]byte(body))
		require.NoError(t, err, body)
		want := time.UnixMilli(1626230691572).UTC()
		assert.True(t, e.Timestamp.Equal(want), "%s: timestamp %v, want %v", body, e.Timestamp, want)
	}
	for _, bad := range []string{`"soon"`, `"1.5"`, `""`, `"-"`} {
		_, err := ParseEvent([]byte(`{"event":"x","event_ts":` + bad + `}`))
		assert.Error(t, err, "event_ts %s accepted", bad)
	}
}

// Zoom's example of the group member removal event is named
// group.members_deleted, its schema group.member_deleted: both reach the
// typed handler.
func TestGroupMembersDeletedAlias(t *testing.T) {
	clk := time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)
	v, err := NewVerifier([]string{"s"}, WithClock(func() time.Time { return clk }))
	require.NoError(t, err)
	h, err := NewHandler(v)
	require.NoError(t, err)
	var got []string
	h.OnGroupMemberDeleted(func(_ context.Context, e *Event, p *GroupMemberDeletedPayload) error {
		got = append(got, e.Name)
		return nil
	})
	for i, name := range []string{"group.member_deleted", "group.members_deleted"} {
		body := []byte(`{"event":"` + name + `","event_ts":` + []string{"1773133200000", "1773133200001"}[i] + `,"payload":{"account_id":"a","object":{"id":"g1","name":"G","members":[{"id":"u1","email":"u@example.com"}]}}}`)
		req, err := NewSignedRequest(t.Context(), "s", "https://app.example/zoom/webhook", body, clk)
		require.NoError(t, err)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		require.Equal(t, 200, rec.Code, "%s: %s", name, rec.Body)
	}
	assert.Len(t, got, 2, "typed handler saw %v, want both spellings", got)
}
