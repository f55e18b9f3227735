package sqlstoretest

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/zoomkit/zoomkit/internal/servicetest/replicatest"
)

func (su *suite) BenchmarkGet(b *testing.B) {
	for _, be := range su.backends() {
		b.Run(be.Name, func(b *testing.B) {
			s := newStore(b, be.opener()(b))
			ctx := context.Background()
			require.NoError(b, s.Put(ctx, "k", tok(1)))
			b.ReportAllocs()
			for b.Loop() {
				_, err := s.Get(ctx, "k")
				require.NoError(b, err)
			}
		})
	}
}

func (su *suite) BenchmarkPut(b *testing.B) {
	for _, be := range su.backends() {
		b.Run(be.Name, func(b *testing.B) {
			s := newStore(b, be.opener()(b))
			ctx := context.Background()
			b.ReportAllocs()
			for b.Loop() {
				require.NoError(b, s.Put(ctx, "k", tok(1)))
			}
		})
	}
}

// BenchmarkGetParallel measures Get from many goroutines on one pool.
func (su *suite) BenchmarkGetParallel(b *testing.B) {
	for _, be := range su.backends() {
		b.Run(be.Name, func(b *testing.B) {
			s := newStore(b, be.opener()(b))
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
		})
	}
}

// BenchmarkContendedRefresh: 8 replicas, one connection pool each, race to
// refresh one expired grant; one op is one round.
func (su *suite) BenchmarkContendedRefresh(b *testing.B) {
	for _, be := range su.backends() {
		b.Run(fmt.Sprintf("%s/replicas=8", be.Name), func(b *testing.B) {
			replicatest.BenchmarkContendedRefresh(b, sharedBackend(b, be), 8)
		})
	}
}
