package webhook

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestSequencerReportsStaleTransitions(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 25, 20, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	s := NewSequencer(0, WithClock(clock))
	ev := func(name string, tsMin int, user string) *Event {
		body := fmt.Sprintf(`{"event":%q,"event_ts":%d,"payload":{"object":{"id":"9","uuid":"w==","participant":{"user_id":%q,"user_name":"Ada","join_time":"x","leave_time":"y"}}}}`,
			name, time.Date(2026, 11, 25, 20, tsMin, 0, 0, time.UTC).UnixMilli(), user)
		e, err := ParseEvent([]byte(body))
		require.NoError(t, err)
		return e
	}
	// Ada leaves at 20:10 (Zoom's delivery fails) and rejoins at 20:12.
	require.False(t, s.Observe(ev("webinar.participant_joined", 12, "16778240")), "the rejoin is not stale")
	// Zoom's retry of the 20:10 participant_left arrives 5 minutes later.
	now = now.Add(15 * time.Minute)
	require.True(t, s.Observe(ev("webinar.participant_left", 10, "16778240")), "a left older than the newer joined must be reported stale")
	// Another participant's older event is not stale.
	require.False(t, s.Observe(ev("webinar.participant_left", 10, "99")), "another participant's event was reported stale")
	// The same event_ts is a duplicate, not stale.
	require.False(t, s.Observe(ev("webinar.participant_joined", 12, "16778240")), "an equal event_ts was reported stale")
	// After the TTL the subject is forgotten.
	now = now.Add(25 * time.Hour)
	require.False(t, s.Observe(ev("webinar.participant_left", 10, "16778240")), "a subject past its TTL was still remembered")
	// meeting.started redelivered after meeting.ended.
	started := &Event{Name: "meeting.started", Timestamp: time.UnixMilli(1000), Payload: []byte(`{"object":{"uuid":"m=="}}`)}
	ended := &Event{Name: "meeting.ended", Timestamp: time.UnixMilli(2000), Payload: []byte(`{"object":{"uuid":"m=="}}`)}
	require.False(t, s.Observe(ended), "a started older than the ended must be stale")
	require.True(t, s.Observe(started), "a started older than the ended must be stale")
	require.Equal(t, "uuid=m==", Subject(started), "subjects %q %q", Subject(started), Subject(ended))
	require.Equal(t, "uuid=m==", Subject(ended), "subjects %q %q", Subject(started), Subject(ended))
}
