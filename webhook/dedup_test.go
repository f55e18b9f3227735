package webhook

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

// MemoryDeduper with its default clock, under synctest's fake time.
func TestMemoryDeduperTTL(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		ctx := context.Background()
		d := NewMemoryDeduper(nil)
		claim := func(key string) bool {
			t.Helper()
			ok, err := d.Claim(ctx, key, time.Hour)
			if err != nil {
				t.Fatal(err)
			}
			return ok
		}
		if !claim("a") || claim("a") {
			t.Fatal("first claim must win, second must lose")
		}
		time.Sleep(59 * time.Minute) // fake time
		if claim("a") {
			t.Fatal("claimed before expiry")
		}
		time.Sleep(time.Minute)
		if !claim("a") {
			t.Fatal("not claimable after expiry")
		}
		if err := d.Release(ctx, "a"); err != nil {
			t.Fatal(err)
		}
		if !claim("a") {
			t.Fatal("not claimable after release")
		}
	})
}

func TestMemoryDeduperSweepsExpired(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		ctx := context.Background()
		d := NewMemoryDeduper(nil)
		for i := range 10000 {
			if _, err := d.Claim(ctx, fmt.Sprint("k", i), time.Minute); err != nil {
				t.Fatal(err)
			}
		}
		time.Sleep(2 * time.Minute)
		if _, err := d.Claim(ctx, "new", time.Minute); err != nil {
			t.Fatal(err)
		}
		if n := d.Len(); n != 1 {
			t.Fatalf("%d entries after sweep, want 1", n)
		}
		// Size-triggered sweeps keep a burst within one minute bounded too.
		for i := range 5000 {
			_, _ = d.Claim(ctx, fmt.Sprint("b", i), time.Second)
			if i%1000 == 999 {
				time.Sleep(2 * time.Second)
			}
		}
		if n := d.Len(); n > 2*memoryMinSweepSize+1000 {
			t.Fatalf("%d entries: expired ones not swept", n)
		}
	})
}

func TestMemoryDeduperConcurrentClaims(t *testing.T) {
	t.Parallel()
	d := NewMemoryDeduper(nil)
	var wg sync.WaitGroup
	var mu sync.Mutex
	wins := 0
	for range 50 {
		wg.Go(func() {
			ok, err := d.Claim(context.Background(), "same", time.Hour)
			if err != nil {
				t.Error(err)
			}
			if ok {
				mu.Lock()
				wins++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if wins != 1 {
		t.Fatalf("%d winners", wins)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := d.Claim(ctx, "x", time.Hour); err == nil {
		t.Fatal("claim with cancelled context succeeded")
	}
}
