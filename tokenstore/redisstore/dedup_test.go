package redisstore_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/zoomkit/zoomkit/tokenstore/redisstore"
	"github.com/zoomkit/zoomkit/webhook"
)

var _ webhook.Deduper = (*redisstore.Deduper)(nil)

func newDeduper(t testing.TB, prefix string) *redisstore.Deduper {
	t.Helper()
	d, err := redisstore.NewDeduper(newClient(t), redisstore.WithPrefix(prefix))
	require.NoError(t, err)
	return d
}

func TestDeduper(t *testing.T) {
	ctx := t.Context()
	prefix := uniquePrefix(t)
	d, d2 := newDeduper(t, prefix), newDeduper(t, prefix)
	claim := func(d *redisstore.Deduper, key string, ttl time.Duration, want bool) {
		t.Helper()
		got, err := d.Claim(ctx, key, ttl)
		require.NoError(t, err, "Claim(%q) = %v, %v; want %v", key, got, err, want)
		require.Equal(t, want, got, "Claim(%q) = %v, %v; want %v", key, got, err, want)
	}
	claim(d, "evt-1", time.Minute, true)
	claim(d2, "evt-1", time.Minute, false)
	claim(d, "evt-1", time.Minute, false)
	require.NoError(t, d2.Release(ctx, "evt-1"))
	claim(d2, "evt-1", time.Minute, true)
	require.NoError(t, d.Release(ctx, "never-claimed"))
	_, err := d.Claim(ctx, "k", 0)
	require.Error(t, err, "Claim with a zero ttl succeeded")
	// An expired claim can be claimed again (Redis's clock: poll).
	claim(d, "short", time.Millisecond, true)
	deadline := time.Now().Add(10 * time.Second)
	for {
		ok, err := d2.Claim(ctx, "short", time.Minute)
		require.NoError(t, err)
		if ok {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("1ms claim never expired")
		}
	}
}

func TestDeduperConcurrent(t *testing.T) {
	prefix := uniquePrefix(t)
	const replicas = 8
	ds := make([]*redisstore.Deduper, replicas)
	for i := range ds {
		ds[i] = newDeduper(t, prefix)
	}
	for round := range 5 {
		key := "zoom:meeting.started:" + string(rune('a'+round))
		var (
			wg      sync.WaitGroup
			mu      sync.Mutex
			handled int
		)
		for _, d := range ds {
			wg.Go(func() {
				ok, err := d.Claim(context.Background(), key, time.Hour)
				if err != nil {
					t.Error(err)
					return
				}
				if ok {
					mu.Lock()
					handled++
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		require.Equal(t, 1, handled, "round %d replicas handled the event", round)
	}
}
