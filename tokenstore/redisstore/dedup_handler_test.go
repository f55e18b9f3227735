package redisstore_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/zoomkit/zoomkit/webhook"
)

// Through a webhook.Handler with its defaults, a claim lives in Redis for
// at least MinDedupTTL of the Handler's window, so a captured request is a
// duplicate for as long as the Handler accepts it; and two replicas
// sharing the Redis handle Zoom's retry (same timestamp) once.
func TestDeduperClaimCoversHandlerWindow(t *testing.T) {
	ctx := t.Context()
	prefix := uniquePrefix(t)
	c := newClient(t)
	v, err := webhook.NewVerifier([]string{"secret"})
	require.NoError(t, err)
	calls := 0
	replica := func() *webhook.Handler {
		h, err := webhook.NewHandler(v, webhook.WithDeduper(newDeduper(t, prefix)))
		require.NoError(t, err)
		h.Fallback(func(context.Context, *webhook.Event) error { calls++; return nil })
		return h
	}
	a, b := replica(), replica()
	body := []byte(`{"event":"meeting.ended","event_ts":1700000000123,"payload":{"object":{"id":"1","uuid":"u=="}}}`)
	signed := time.Now()
	for _, h := range []*webhook.Handler{a, b} {
		r, err := webhook.NewSignedRequest(ctx, "secret", "http://app.test/", body, signed)
		require.NoError(t, err)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		require.Equal(t, http.StatusOK, w.Code, "status")
	}
	require.Equal(t, 1, calls, "handlings across replicas")
	keys, err := c.Keys(ctx, prefix+"dedup:*").Result()
	require.NoError(t, err, "dedup keys %v, %v", keys, err)
	require.Len(t, keys, 1, "dedup keys %v, %v", keys, err)
	ttl, err := c.PTTL(ctx, keys[0]).Result()
	want := webhook.MinDedupTTL(webhook.DefaultTimestampWindow, webhook.DefaultTolerance)
	require.NoError(t, err, "claim TTL %v, %v; want at least %v", ttl, err, want)
	require.GreaterOrEqual(t, ttl, want-time.Minute, "claim TTL %v, %v; want at least %v", ttl, err, want)
}
