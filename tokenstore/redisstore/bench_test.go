package redisstore_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/zoomkit/zoomkit/internal/servicetest/replicatest"
)

func BenchmarkGet(b *testing.B) {
	s := newStore(b)
	ctx := context.Background()
	require.NoError(b, s.Put(ctx, "k", tok(1)))
	b.ReportAllocs()
	for b.Loop() { // not require in the loop: its b.Helper takes a lock each call
		if _, err := s.Get(ctx, "k"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkPut(b *testing.B) {
	s := newStore(b)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if err := s.Put(ctx, "k", tok(1)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkGetParallel measures Get from many goroutines on one client.
func BenchmarkGetParallel(b *testing.B) {
	s := newStore(b)
	ctx := context.Background()
	require.NoError(b, s.Put(ctx, "k", tok(1)))
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := s.Get(ctx, "k"); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// BenchmarkContendedRefresh: 8 replicas, one client each, race to refresh
// one expired grant; one op is one round.
func BenchmarkContendedRefresh(b *testing.B) {
	b.Run("replicas=8", func(b *testing.B) {
		replicatest.BenchmarkContendedRefresh(b, sharedBackend(b), 8)
	})
}
