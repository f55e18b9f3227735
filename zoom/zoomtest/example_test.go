package zoomtest_test

import (
	"context"
	"fmt"
	"log"

	"github.com/zoomkit/zoomkit/oauth"
	"github.com/zoomkit/zoomkit/webhook"
	"github.com/zoomkit/zoomkit/zoom"
	"github.com/zoomkit/zoomkit/zoom/zoomtest"
)

// A test of your own code starts a fake Zoom, takes a client acting as a
// user, and checks what Zoom would hold afterwards.
func Example() {
	s, err := zoomtest.NewServer()
	if err != nil {
		log.Fatal(err)
	}
	defer s.Close()

	client := s.Client("me") // the account owner, with every scope
	ctx := context.Background()

	m, _, err := client.Meetings.Create(ctx, "me", &zoom.CreateMeetingRequest{
		Topic:    "Weekly sync",
		Type:     zoom.MeetingTypeScheduled,
		Duration: 30,
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(m.Topic, m.Duration)

	_, _, err = client.Meetings.Get(ctx, 12345, nil)
	fmt.Println(err)

	got, _ := s.Meeting(m.ID)
	fmt.Println(got.Topic, got.Status)
	// Output:
	// Weekly sync 30
	// zoom: GET /meetings/{meetingId}: 404 (code 3001): Meeting does not exist: 12345.
	// Weekly sync waiting
}

// Webhook events reach a handler signed as Zoom signs them; the simulation
// helpers emit the live ones.
func ExampleServer_SubscribeHandler() {
	s, err := zoomtest.NewServer()
	if err != nil {
		log.Fatal(err)
	}
	defer s.Close()

	const secret = "my-webhook-secret-token"
	v, _ := webhook.NewVerifier([]string{secret})
	h, _ := webhook.NewHandler(v)
	h.OnMeetingParticipantJoined(func(_ context.Context, _ *webhook.Event, p *webhook.MeetingParticipantJoinedPayload) error {
		fmt.Println("joined:", p.Object.Participant.UserName)
		return nil
	})
	h.Fallback(func(_ context.Context, e *webhook.Event) error {
		fmt.Println("event:", e.Name)
		return nil
	})
	if err := s.SubscribeHandler(h, secret); err != nil {
		log.Fatal(err)
	}

	m, _, err := s.Client("me").Meetings.Create(context.Background(), "me", &zoom.CreateMeetingRequest{Topic: "Demo"})
	if err != nil {
		log.Fatal(err)
	}
	_, _ = s.StartMeeting(m.ID)
	_, _ = s.Join(m.ID, zoomtest.Participant{Name: "Grace"})
	_ = s.EndMeeting(m.ID)
	// Output:
	// event: meeting.created
	// event: meeting.started
	// joined: Grace
	// event: meeting.participant_left
	// event: meeting.ended
}

// The real OAuth flow: the app's authorization URL, the user's approval
// (AuthorizeAs plays the browser), the code exchange.
//
// The app is user-managed (user-level scopes only), so a member may
// install it; an app holding admin scopes needs an owner or admin.
func ExampleServer_AuthorizeAs() {
	s, err := zoomtest.NewServer(zoomtest.WithAppScopes("meeting:write", "user:read"))
	if err != nil {
		log.Fatal(err)
	}
	defer s.Close()
	u, _ := s.AddUser(zoomtest.User{Email: "provider@clinic.example", FirstName: "Ana", Type: 2})

	cfg := &oauth.Config{
		ClientID:     s.ClientID(),
		ClientSecret: s.ClientSecret(),
		RedirectURL:  "http://127.0.0.1:8080/zoom/callback",
		Endpoint:     oauth.Endpoint{AuthURL: s.AuthURL(), TokenURL: s.TokenURL(), RevokeURL: s.RevokeURL()},
		APIBaseURL:   s.APIURL(),
	}
	ar, _ := cfg.NewAuthRequest()
	callback, err := s.AuthorizeAs(u.Email, ar.URL)
	if err != nil {
		log.Fatal(err)
	}
	tok, err := cfg.Exchange(context.Background(), callback.Query().Get("code"), ar.Verifier)
	if err != nil {
		log.Fatal(err)
	}
	me, _ := cfg.Me(context.Background(), tok.AccessToken)
	fmt.Println(me.Email, tok.RefreshToken != "")
	// Output:
	// provider@clinic.example true
}
