package zoomtest_test

import (
	"context"
	"fmt"
	"log"
	"net/http"
	"time"

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

// A handler that fails gets Zoom's retries, 5, 25 and 85 minutes after the
// first attempt. With a clock of the test's own, move it and call
// DeliverDue.
func ExampleServer_DeliverDue() {
	now := time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)
	s, err := zoomtest.NewServer(zoomtest.WithClock(func() time.Time { return now }))
	if err != nil {
		log.Fatal(err)
	}
	defer s.Close()
	down := true
	err = s.SubscribeHandler(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		if down {
			w.WriteHeader(http.StatusServiceUnavailable)
		}
	}), "secret", "meeting.created")
	if err != nil {
		log.Fatal(err)
	}
	if _, _, err := s.Client("me").Meetings.Create(context.Background(), "me", &zoom.CreateMeetingRequest{Topic: "Demo"}); err != nil {
		log.Fatal(err)
	}
	now = now.Add(5 * time.Minute)
	s.DeliverDue() // fails again
	down = false
	now = now.Add(20 * time.Minute)
	s.DeliverDue()
	for _, d := range s.Deliveries() {
		fmt.Println(d.Event, d.Attempt, d.Time.Format("15:04"), d.Status, d.Next.Format("15:04"))
	}
	// Output:
	// meeting.created 1 09:00 503 09:05
	// meeting.created 2 09:05 503 09:25
	// meeting.created 3 09:25 200 00:00
}

// Two customers' accounts on one fake: each owner sees their own users,
// and an email of one account cannot simply be created in the other.
func ExampleServer_AddAccount() {
	s, err := zoomtest.NewServer(zoomtest.WithAccount("clinic-a"))
	if err != nil {
		log.Fatal(err)
	}
	defer s.Close()
	acctB, ownerB, err := s.AddAccount(zoomtest.Account{ID: "clinic-b", OwnerEmail: "owner@clinic-b.example", Licenses: 5})
	if err != nil {
		log.Fatal(err)
	}
	if _, err := s.AddUser(zoomtest.User{Email: "dr.lee@example.com", Type: 2}); err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	b := s.Client(ownerB)
	me, _, _ := b.Users.Get(ctx, "me", nil)
	fmt.Println(acctB, me.Email, me.AccountID)

	_, _, err = b.Users.Create(ctx, &zoom.CreateUserRequest{Action: zoom.UserCreateActionCustCreate,
		UserInfo: &zoom.UserInfo{Email: "dr.lee@example.com", Type: zoom.UserTypeBasic}})
	fmt.Println(err)
	// Output:
	// clinic-b owner@clinic-b.example clinic-b
	// zoom: POST /users: 400 (code 1009): The user dr.lee@example.com already holds an active account.
}
