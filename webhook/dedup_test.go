package webhook

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// MemoryDeduper with its default clock, under synctest's fake time.
func TestMemoryDeduperTTL(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		ctx := context.Background()
		d := NewMemoryDeduper()
		claim := func(key string) bool {
			t.Helper()
			ok, err := d.Claim(ctx, key, time.Hour)
			require.NoError(t, err)
			return ok
		}
		require.True(t, claim("a"), "first claim must win, second must lose")
		require.False(t, claim("a"), "first claim must win, second must lose")
		time.Sleep(59 * time.Minute) // fake time
		require.False(t, claim("a"), "claimed before expiry")
		time.Sleep(time.Minute)
		require.True(t, claim("a"), "not claimable after expiry")
		require.NoError(t, d.Release(ctx, "a"))
		require.True(t, claim("a"), "not claimable after release")
	})
}

func TestMemoryDeduperSweepsExpired(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		ctx := context.Background()
		d := NewMemoryDeduper()
		for i := range 10000 {
			_, err := d.Claim(ctx, fmt.Sprint("k", i), time.Minute)
			require.NoError(t, err)
		}
		time.Sleep(2 * time.Minute)
		_, err := d.Claim(ctx, "new", time.Minute)
		require.NoError(t, err)
		require.Equal(t, 1, d.Len(), "entries after sweep")
		// Size-triggered sweeps keep a burst within one minute bounded too.
		for i := range 5000 {
			_, _ = d.Claim(ctx, fmt.Sprint("b", i), time.Second)
			if i%1000 == 999 {
				time.Sleep(2 * time.Second)
			}
		}
		require.LessOrEqual(t, d.Len(), 2*memoryMinSweepSize+1000, "entries: expired ones not swept")
	})
}

func TestMemoryDeduperConcurrentClaims(t *testing.T) {
	t.Parallel()
	d := NewMemoryDeduper()
	var wg sync.WaitGroup
	var mu sync.Mutex
	wins := 0
	for range 50 {
		wg.Go(func() {
			ok, err := d.Claim(context.Background(), "same", time.Hour)
			assert.NoError(t, err)
			if ok {
				mu.Lock()
				wins++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	require.Equal(t, 1, wins, "winners")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := d.Claim(ctx, "x", time.Hour)
	require.Error(t, err, "claim with cancelled context succeeded")
}

// The deduper's entries expire on the clock of WithClock, not on time.Now.
func TestMemoryDeduperHonoursItsClock(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 25, 20, 0, 0, 0, time.UTC)
	d := NewMemoryDeduper(WithClock(func() time.Time { return now }))
	ctx := t.Context()
	ok, err := d.Claim(ctx, "k", time.Hour)
	require.NoError(t, err)
	require.True(t, ok)
	now = now.Add(59 * time.Minute)
	ok, _ = d.Claim(ctx, "k", time.Hour)
	assert.False(t, ok, "claimed again before its TTL passed on the clock")
	now = now.Add(2 * time.Minute)
	ok, _ = d.Claim(ctx, "k", time.Hour)
	assert.True(t, ok, "still held after its TTL passed on the clock")
}

// WithClock is the one option of NewMemoryDeduper and NewSequencer; another is a programming error.
func TestDeduperAndSequencerTakeOnlyWithClock(t *testing.T) {
	t.Parallel()
	assert.PanicsWithValue(t, "webhook: NewMemoryDeduper: only WithClock applies; the other options configure a Verifier",
		func() { NewMemoryDeduper(WithTolerance(time.Minute)) })
	assert.Panics(t, func() { NewSequencer(0, WithClock(nil)) })
	assert.Panics(t, func() { NewSequencer(0, nil) })
	assert.NotPanics(t, func() { NewSequencer(time.Hour, WithClock(time.Now)) })
}

// A Handler's default deduper expires on the Verifier's clock.
func TestHandlerDefaultDeduperUsesTheVerifierClock(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 25, 20, 0, 0, 0, time.UTC)
	v, err := NewVerifier([]string{"s"}, WithClock(func() time.Time { return now }))
	require.NoError(t, err)
	h, err := NewHandler(v)
	require.NoError(t, err)
	md, ok := h.dedup.(*MemoryDeduper)
	require.True(t, ok)
	assert.Equal(t, now, md.now())
}
