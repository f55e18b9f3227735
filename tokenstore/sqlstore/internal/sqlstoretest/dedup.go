package sqlstoretest

import (
	"context"
	"database/sql"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/zoomkit/zoomkit/internal/servicetest"
	"github.com/zoomkit/zoomkit/tokenstore/sqlstore"
	"github.com/zoomkit/zoomkit/webhook"
)

var _ webhook.Deduper = (*sqlstore.Deduper)(nil)

func newDeduper(t testing.TB, db *sql.DB, table string, opts ...sqlstore.Option) *sqlstore.Deduper {
	t.Helper()
	d, err := sqlstore.NewDeduper(db, append([]sqlstore.Option{sqlstore.WithTable(table)}, opts...)...)
	require.NoError(t, err)
	require.NoError(t, d.Migrate(context.Background()))
	return d
}

func (su *suite) TestDeduper(t *testing.T) {
	for _, b := range su.backends() {
		t.Run(b.Name, func(t *testing.T) {
			t.Parallel()
			open := b.opener()
			ctx := t.Context()
			clk := newFakeClock()
			table := servicetest.UniqueName("zk_dedup_")
			db := open(t)
			d := newDeduper(t, db, table, sqlstore.WithClock(clk.Now))
			t.Cleanup(func() { dropTable(t, db, table) })
			// Another replica with its own pool.
			d2 := newDeduper(t, open(t), table, sqlstore.WithClock(clk.Now))

			claim := func(d *sqlstore.Deduper, key string, want bool) {
				t.Helper()
				got, err := d.Claim(ctx, key, time.Minute)
				require.NoError(t, err, "Claim(%q) = %v, %v; want %v", key, got, err, want)
				require.Equal(t, want, got, "Claim(%q) = %v, %v; want %v", key, got, err, want)
			}
			claim(d, "evt-1", true)
			claim(d2, "evt-1", false)
			claim(d, "evt-1", false)
			claim(d2, "evt-2", true)
			require.NoError(t, d2.Release(ctx, "evt-1"))
			claim(d2, "evt-1", true)
			require.NoError(t, d.Release(ctx, "never-claimed"))
			// Expired claims can be claimed again, and purged.
			clk.Advance(time.Minute - time.Millisecond)
			claim(d, "evt-2", false)
			clk.Advance(time.Millisecond)
			claim(d, "evt-2", true)
			n, err := d.PurgeExpired(ctx)
			require.NoError(t, err, "PurgeExpired")
			require.Equal(t, int64(1), n, "PurgeExpired: evt-1, claimed a minute ago")
			claim(d2, "evt-2", false)
			_, err = d.Claim(ctx, "k", 0)
			require.Error(t, err, "Claim with a zero ttl succeeded")
		})
	}
}

// TestDeduperConcurrent: replicas with their own pools race to claim one
// redelivered event; exactly one handles it.
func (su *suite) TestDeduperConcurrent(t *testing.T) {
	for _, b := range su.backends() {
		t.Run(b.Name, func(t *testing.T) {
			t.Parallel()
			open := b.opener()
			table := servicetest.UniqueName("zk_dedup_")
			db := open(t)
			newDeduper(t, db, table)
			t.Cleanup(func() { dropTable(t, db, table) })
			const replicas = 8
			ds := make([]*sqlstore.Deduper, replicas)
			for i := range ds {
				ds[i] = newDeduper(t, open(t), table)
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
		})
	}
}

// TestDeduperDBClock: with the database's clock, a claim expires on its own.
func (su *suite) TestDeduperDBClock(t *testing.T) {
	for _, b := range su.backends() {
		t.Run(b.Name, func(t *testing.T) {
			t.Parallel()
			ctx := t.Context()
			table := servicetest.UniqueName("zk_dedup_")
			db := b.opener()(t)
			d := newDeduper(t, db, table)
			t.Cleanup(func() { dropTable(t, db, table) })
			ok, err := d.Claim(ctx, "k", time.Millisecond)
			require.True(t, ok, "Claim = %v, %v", ok, err)
			require.NoError(t, err, "Claim = %v, %v", ok, err)
			deadline := time.Now().Add(10 * time.Second)
			for {
				ok, err := d.Claim(ctx, "k", time.Hour)
				require.NoError(t, err)
				if ok {
					break
				}
				if time.Now().After(deadline) {
					t.Fatal("1ms claim never expired")
				}
			}
			ok, err = d.Claim(ctx, "k", time.Hour)
			require.False(t, ok, "Claim of a held key = %v, %v", ok, err)
			require.NoError(t, err, "Claim of a held key = %v, %v", ok, err)
		})
	}
}
