package zoomtest_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/zoomkit/zoomkit/zoom"
	"github.com/zoomkit/zoomkit/zoom/zoomtest"
)

func wsDial(ctx context.Context, s *zoomtest.Server, sub, tok string) (*websocket.Conn, *http.Response, error) {
	u := s.WebSocketURL() + "?" + url.Values{"subscriptionId": {sub}, "access_token": {tok}}.Encode()
	return websocket.Dial(ctx, u, &websocket.DialOptions{HTTPClient: s.HTTPClient()})
}

func wsRead(t *testing.T, c *websocket.Conn) map[string]any {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, data, err := c.Read(ctx)
	require.NoError(t, err)
	var m map[string]any
	require.NoError(t, json.Unmarshal(data, &m))
	return m
}

func TestWebSocketEndpointRefusesBadTokensAndUnknownSubscriptions(t *testing.T) {
	s, _ := start(t)
	ctx := context.Background()
	sub, err := s.NewWebSocketSubscription()
	require.NoError(t, err)
	tok, err := s.AccessToken("me")
	require.NoError(t, err)

	_, resp, err := wsDial(ctx, s, sub, "not-a-token")
	require.Error(t, err)
	require.NotNil(t, resp)
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)

	_, resp, err = wsDial(ctx, s, "no-such-subscription", tok)
	require.Error(t, err)
	require.NotNil(t, resp)
	assert.Equal(t, http.StatusNotFound, resp.StatusCode)

	s.RevokeAll()
	_, resp, err = wsDial(ctx, s, sub, tok)
	require.Error(t, err)
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode, "a revoked token")

	_, err = s.NewWebSocketSubscription("")
	assert.Error(t, err)

	var statuses []int
	for _, r := range s.Requests() {
		if r.Operation == "websocket" {
			statuses = append(statuses, r.Status)
			assert.Equal(t, zoomtest.WebSocketPath, r.Path)
		}
	}
	assert.Equal(t, []int{401, 404, 401}, statuses)
}

func TestWebSocketEndpointAnswersHeartbeatsAndDeliversEvents(t *testing.T) {
	s, clk := startAt(t, time.Now())
	ctx := context.Background()
	all, err := s.NewWebSocketSubscription()
	require.NoError(t, err)
	deletedOnly, err := s.NewWebSocketSubscription("meeting.deleted")
	require.NoError(t, err)
	tok, err := s.AccessToken("me")
	require.NoError(t, err)

	c, _, err := wsDial(ctx, s, all, tok)
	require.NoError(t, err)
	defer c.CloseNow()
	d, _, err := wsDial(ctx, s, deletedOnly, tok)
	require.NoError(t, err)
	defer d.CloseNow()
	require.NoError(t, s.WaitWebSocketConnections(ctx, 2))
	assert.Equal(t, 2, s.WebSocketConnections())

	require.NoError(t, c.Write(ctx, websocket.MessageText, []byte(`{"module":"heartbeat"}`)))
	assert.Equal(t, map[string]any{"module": "heartbeat", "success": true}, wsRead(t, c))

	m, _, err := s.Client("me").Meetings.Create(ctx, "me", &zoom.CreateMeetingRequest{Topic: "WS", Type: zoom.MeetingTypeScheduled,
		StartTime: zoom.NewTime(clk.Now().Add(time.Hour))})
	require.NoError(t, err)
	msg := wsRead(t, c)
	assert.Equal(t, "message", msg["module"])
	content, ok := msg["content"].(string)
	require.True(t, ok, "content is the event JSON as a string")
	var ev struct {
		Event   string `json:"event"`
		Payload struct {
			Object struct {
				ID int64 `json:"id"`
			} `json:"object"`
		} `json:"payload"`
	}
	require.NoError(t, json.Unmarshal([]byte(content), &ev))
	assert.Equal(t, "meeting.created", ev.Event)
	assert.Equal(t, int64(m.ID), ev.Payload.Object.ID)

	// The filtered subscription gets meeting.deleted and nothing before it.
	_, err = s.Client("me").Meetings.Delete(ctx, m.ID, nil)
	require.NoError(t, err)
	got := wsRead(t, d)
	assert.Contains(t, got["content"], `"meeting.deleted"`)
	assert.Contains(t, wsRead(t, c)["content"], `"meeting.deleted"`)

	assert.Equal(t, 2, s.DropWebSocketConnections())
	rctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	_, _, err = c.Read(rctx)
	assert.Error(t, err, "a dropped connection is closed")
}

func TestWebSocketEndpointClosesConnectionsOnClose(t *testing.T) {
	s, err := zoomtest.NewServer()
	require.NoError(t, err)
	defer s.Close()
	ctx := context.Background()
	sub, err := s.NewWebSocketSubscription()
	require.NoError(t, err)
	tok, err := s.AccessToken("me")
	require.NoError(t, err)
	c, _, err := wsDial(ctx, s, sub, tok)
	require.NoError(t, err)
	defer c.CloseNow()
	require.NoError(t, s.WaitWebSocketConnections(ctx, 1))
	s.Close() // returns with the connection's handler ended (goleak checks)
	rctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	_, _, err = c.Read(rctx)
	assert.Error(t, err)
	assert.Equal(t, 0, s.WebSocketConnections())
}
