package webhook_test

import (
	"context"
	"fmt"

	"github.com/zoomkit/zoomkit/oauth"
	"github.com/zoomkit/zoomkit/webhook"
	"github.com/zoomkit/zoomkit/zoom"
	"github.com/zoomkit/zoomkit/zoom/zoomtest"
)

// A server-to-server app receives its event subscription over a WebSocket,
// here from the fake Zoom of package zoomtest. Against Zoom, leave out
// WithWebSocketURL and WithWebSocketHTTPClient, and use the subscription id
// from the app's Marketplace page.
func ExampleWebSocketSource() {
	srv, err := zoomtest.NewServer()
	if err != nil {
		panic(err)
	}
	defer srv.Close()
	cfg := &oauth.Config{
		ClientID:     srv.ClientID(),
		ClientSecret: srv.ClientSecret(),
		Endpoint:     oauth.Endpoint{TokenURL: srv.TokenURL()},
		HTTPClient:   srv.HTTPClient(),
	}
	ts, err := cfg.ServerToServer(srv.AccountID())
	if err != nil {
		panic(err)
	}

	v, _ := webhook.NewVerifier([]string{"the app's secret token"}) // for events posted over HTTP
	h, _ := webhook.NewHandler(v)
	done := make(chan struct{})
	h.OnMeetingCreated(func(_ context.Context, e *webhook.Event, p *webhook.MeetingCreatedPayload) error {
		fmt.Println(e.Name, p.Object.Topic)
		close(done)
		return nil
	})

	subscriptionID, _ := srv.NewWebSocketSubscription()
	src, err := webhook.NewWebSocketSource(h, ts, subscriptionID,
		webhook.WithWebSocketURL(srv.WebSocketURL()), webhook.WithWebSocketHTTPClient(srv.HTTPClient()))
	if err != nil {
		panic(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	stopped := make(chan error)
	go func() { stopped <- src.Run(ctx) }()
	_ = srv.WaitWebSocketConnections(ctx, 1) // events are only delivered to open connections

	client, _ := zoom.NewClient(zoom.WithBaseURL(srv.APIURL()), zoom.WithHTTPClient(srv.HTTPClient()), zoom.WithTokenSource(ts))
	if _, _, err := client.Meetings.Create(ctx, "me", &zoom.CreateMeetingRequest{Topic: "Standup", Type: zoom.MeetingTypeInstant}); err != nil {
		panic(err)
	}
	<-done
	cancel()
	fmt.Println(<-stopped)
	// Output:
	// meeting.created Standup
	// context canceled
}
