package zoomtest_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/zoomkit/zoomkit/webhook"
	"github.com/zoomkit/zoomkit/zoom"
	"github.com/zoomkit/zoomkit/zoom/zoomtest"
)

// In live participant events Zoom gives the email and the user ids only
// of participants signed in to the host's account: a guest's email,
// participant_user_id and id are empty; registrant_id stays.
func TestLiveEventsHideGuestsEmails(t *testing.T) {
	s, clk := start(t)
	_, err := s.AddUser(zoomtest.User{Email: "member@example.com", FirstName: "M", Type: 1})
	require.NoError(t, err)
	member, _ := s.User("member@example.com")
	v, _ := webhook.NewVerifier([]string{"k"}, webhook.WithClock(clk.Now))
	h, _ := webhook.NewHandler(v, webhook.WithoutDedup())
	type seen struct{ name, email, id, participantUserID, registrantID string }
	var joined, left []seen
	h.OnWebinarParticipantJoined(func(_ context.Context, _ *webhook.Event, p *webhook.WebinarParticipantJoinedPayload) error {
		pp := p.Object.Participant
		joined = append(joined, seen{pp.UserName, pp.Email, pp.ID, pp.ParticipantUserID, pp.RegistrantID})
		return nil
	})
	h.OnWebinarParticipantLeft(func(_ context.Context, _ *webhook.Event, p *webhook.WebinarParticipantLeftPayload) error {
		pp := p.Object.Participant
		left = append(left, seen{pp.UserName, pp.Email, pp.ID, pp.ParticipantUserID, pp.RegistrantID})
		return nil
	})
	require.NoError(t, s.SubscribeHandler(h, "k"))

	ctx := context.Background()
	c := s.Client("me")
	w, _, err := c.Webinars.Create(ctx, "me", &zoom.CreateWebinarRequest{Topic: "Open day", Type: zoom.WebinarTypeWebinar,
		Settings: &zoom.WebinarSettings{ApprovalType: zoom.Ptr(zoom.ApprovalType(0))}})
	require.NoError(t, err)
	reg, _, err := c.Webinars.AddRegistrant(ctx, w.ID, &zoom.Registrant{Email: "guest@elsewhere.example", FirstName: "G"}, nil)
	require.NoError(t, err)
	_, err = s.StartWebinar(w.ID)
	require.NoError(t, err)
	_, err = s.Join(w.ID, zoomtest.Participant{Name: "Member", Email: "member@example.com"})
	require.NoError(t, err)
	_, err = s.Join(w.ID, zoomtest.Participant{Name: "Guest", Email: "guest@elsewhere.example"})
	require.NoError(t, err)
	require.NoError(t, s.EndWebinar(w.ID))

	want := []seen{
		{"Member", "member@example.com", member.ID, member.ID, ""},
		{"Guest", "", "", "", reg.RegistrantID},
	}
	assert.Equal(t, want, joined)
	assert.Equal(t, want, left)
	// The fake still knows who the guest was.
	assert.Equal(t, "guest@elsewhere.example", s.Participants(w.ID)[1].Email)
}
