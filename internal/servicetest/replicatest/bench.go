package replicatest

import (
	"context"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/zoomkit/zoomkit/oauth"
	"github.com/zoomkit/zoomkit/tokenstore"
)

// BenchmarkContendedRefresh measures one contended refresh round per
// iteration: an expired grant is stored, then n fresh TokenSources, one per
// replica store (each with its own connection pool, opened once), ask for a
// token at once. Exactly one of them refreshes; the round ends when all n
// have the new token. It reports refreshes per round, which must be 1.
func BenchmarkContendedRefresh(b *testing.B, backend Backend, n int) {
	fake := NewFakeZoom()
	srv := httptest.NewServer(fake)
	defer srv.Close()
	cfg := Config(srv.URL)
	ctx := context.Background()
	seed := backend.Open(b)
	stores := make([]tokenstore.CoordinatedStore, n)
	for i := range stores {
		stores[i] = backend.Open(b)
	}
	rounds := 0
	for b.Loop() {
		b.StopTimer()
		require.NoError(b, seed.Put(ctx, Key, fake.Grant(time.Now().Add(-time.Hour))))
		sources := make([]*oauth.TokenSource, n)
		for i := range sources {
			ts, err := cfg.TokenSource(stores[i], Key)
			require.NoError(b, err)
			sources[i] = ts
		}
		start := make(chan struct{})
		var wg sync.WaitGroup
		for _, ts := range sources {
			wg.Go(func() {
				<-start
				if _, err := ts.TokenContext(ctx); err != nil {
					b.Error(err)
				}
			})
		}
		b.StartTimer()
		close(start)
		wg.Wait()
		rounds++
	}
	st := fake.Stats()
	if st.Refreshes != rounds || st.InvalidGrants != 0 {
		b.Fatalf("%d rounds made %d refreshes and %d invalid grants; want one refresh per round", rounds, st.Refreshes, st.InvalidGrants)
	}
	b.ReportMetric(float64(st.Refreshes)/float64(rounds), "refreshes/round")
}
