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
		if w.Code != http.StatusOK {
			t.Fatalf("status %d", w.Code)
		}
	}
	if calls != 1 {
		t.Fatalf("handled %d times across replicas, want 1", calls)
	}
	keys, err := c.Keys(ctx, prefix+"dedup:*").Result()
	if err != nil || len(keys) != 1 {
		t.Fatalf("dedup keys %v, %v", keys, err)
	}
	ttl, err := c.PTTL(ctx, keys[0]).Result()
	if want := webhook.MinDedupTTL(webhook.DefaultTimestampWindow, webhook.DefaultTolerance); err != nil || ttl < want-time.Minute {
		t.Fatalf("claim TTL %v, %v; want at least %v", ttl, err, want)
	}
}
