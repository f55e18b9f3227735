package webhook_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/zoomkit/zoomkit/oauth"
	"github.com/zoomkit/zoomkit/webhook"
	"github.com/zoomkit/zoomkit/zoom"
	"github.com/zoomkit/zoomkit/zoom/zoomtest"
)

// End to end through the real packages: a server-to-server token from the
// fake Zoom, a WebSocketSource connected to the fake's WebSocket endpoint,
// meetings created with zoom.Client, and the typed handler of a Handler
// called once per event, across a dropped connection and a refused token.
func TestWebSocketSourceEndToEndWithTheFakeZoom(t *testing.T) {
	srv := zoomtest.NewTestServer(t)
	ctx := context.Background()
	cfg := &oauth.Config{
		ClientID:     srv.ClientID(),
		ClientSecret: srv.ClientSecret(),
		Endpoint:     oauth.Endpoint{AuthURL: srv.AuthURL(), TokenURL: srv.TokenURL(), RevokeURL: srv.RevokeURL()},
		APIBaseURL:   srv.APIURL(),
		HTTPClient:   srv.HTTPClient(),
	}
	ts, err := cfg.ServerToServer(srv.AccountID())
	require.NoError(t, err)
	client, err := zoom.NewClient(zoom.WithBaseURL(srv.APIURL()), zoom.WithHTTPClient(srv.HTTPClient()), zoom.WithTokenSource(ts))
	require.NoError(t, err)

	v, err := webhook.NewVerifier([]string{"webhook-secret"})
	require.NoError(t, err)
	h, err := webhook.NewHandler(v)
	require.NoError(t, err)
	created := make(chan zoom.ID, 10)
	h.OnMeetingCreated(func(_ context.Context, _ *webhook.Event, p *webhook.MeetingCreatedPayload) error {
		created <- p.Object.ID
		return nil
	})

	// The same Handler also receives the events over HTTP: one registration
	// serves both paths, and its dedup makes each event handled once.
	require.NoError(t, srv.SubscribeHandler(h, "webhook-secret", "meeting.created"))
	sub, err := srv.NewWebSocketSubscription()
	require.NoError(t, err)
	src, err := webhook.NewWebSocketSource(h, ts, sub,
		webhook.WithWebSocketURL(srv.WebSocketURL()),
		webhook.WithWebSocketHTTPClient(srv.HTTPClient()),
		webhook.WithReconnectBackoff(time.Millisecond, 10*time.Millisecond))
	require.NoError(t, err)
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- src.Run(runCtx) }()
	defer func() {
		cancel()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Error("Run did not return")
		}
	}()

	wait := func(n int) {
		t.Helper()
		wctx, wcancel := context.WithTimeout(ctx, 10*time.Second)
		defer wcancel()
		require.NoError(t, srv.WaitWebSocketConnections(wctx, n))
	}
	createAndExpect := func(topic string) {
		t.Helper()
		m, _, err := client.Meetings.Create(ctx, "me", &zoom.CreateMeetingRequest{Topic: topic, Type: zoom.MeetingTypeInstant})
		require.NoError(t, err)
		select {
		case id := <-created:
			assert.Equal(t, m.ID, id)
		case <-time.After(10 * time.Second):
			t.Fatalf("%s: meeting.created was not handled", topic)
		}
	}

	wait(1)
	createAndExpect("first")

	// The fake drops the connection: the source reconnects and keeps receiving.
	require.Equal(t, 1, srv.DropWebSocketConnections())
	wait(2)
	createAndExpect("after a drop")

	// Zoom stops accepting the token: the source gets a new one and reconnects.
	before := srv.TokenRequests()["account_credentials"]
	srv.RevokeAll()
	srv.DropWebSocketConnections()
	wait(3)
	assert.Greater(t, srv.TokenRequests()["account_credentials"], before, "a new token was minted")
	createAndExpect("after a refused token")

	cancel()
	select {
	case err := <-done:
		assert.ErrorIs(t, err, context.Canceled)
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return after cancel")
	}
	done <- nil // for the deferred wait
	select {
	case id := <-created:
		t.Errorf("meeting %d handled twice", id)
	default:
	}
}
