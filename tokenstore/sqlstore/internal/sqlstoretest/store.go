package sqlstoretest

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/zoomkit/zoomkit/internal/servicetest"
	"github.com/zoomkit/zoomkit/tokenstore"
	"github.com/zoomkit/zoomkit/tokenstore/sqlstore"
	"github.com/zoomkit/zoomkit/tokenstore/storetest"
)

func (su *suite) TestConformance(t *testing.T) {
	for _, b := range su.backends() {
		t.Run(b.Name, func(t *testing.T) {
			t.Parallel()
			storetest.Run(t, func(t *testing.T) tokenstore.Store {
				return newStore(t, b.opener()(t)) // a fresh database each time
			})
		})
	}
}

// TestConformanceEncrypted: the store under tokenstore.NewEncrypted.
func (su *suite) TestConformanceEncrypted(t *testing.T) {
	keys, err := tokenstore.NewKeyring("k1", map[string][]byte{"k1": make([]byte, tokenstore.KeySize)})
	require.NoError(t, err)
	storetest.Run(t, func(t *testing.T) tokenstore.Store {
		s, err := tokenstore.NewEncrypted(newStore(t, su.b.opener()(t)), keys)
		require.NoError(t, err)
		return s
	})
}

const secretAT, secretRT = "SECRET-AT-sqlstore", "SECRET-RT-sqlstore"

func tok(n int) *tokenstore.Token {
	return &tokenstore.Token{
		AccessToken:  fmt.Sprintf("%s-%d", secretAT, n),
		RefreshToken: fmt.Sprintf("%s-%d", secretRT, n),
		TokenType:    "bearer",
		Expiry:       time.Date(2030, 1, 1, 0, 0, n, 0, time.UTC),
		Scope:        "user:read",
	}
}

func noSecret(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		assert.NotContains(t, err.Error(), "SECRET", "error leaks a secret")
	}
}

func (su *suite) TestVersionsAndTombstones(t *testing.T) {
	for _, b := range su.backends() {
		t.Run(b.Name, func(t *testing.T) {
			t.Parallel()
			open := b.opener()
			ctx := t.Context()
			s := newStore(t, open(t))
			require.NoError(t, s.Put(ctx, "k", tok(1)))
			_, v, err := s.Load(ctx, "k")
			require.NoError(t, err, "Load after first Put = %d, %v; want version 1", v, err)
			require.Equal(t, int64(1), v, "Load after first Put = %d, %v; want version 1", v, err)
			require.NoError(t, s.Delete(ctx, "k"))
			// Versions never repeat across a Delete.
			nv, err := s.CompareAndSwap(ctx, "k", 0, tok(2))
			require.NoError(t, err, "CompareAndSwap(0) after Delete = %d, %v; want version 2", nv, err)
			require.Equal(t, int64(2), nv, "CompareAndSwap(0) after Delete = %d, %v; want version 2", nv, err)
			_, err = s.CompareAndSwap(ctx, "k", 1, tok(3))
			require.ErrorIs(t, err, tokenstore.ErrConflict, "CompareAndSwap(1), want ErrConflict")
			// A lease on a key without a token creates no token.
			require.NoError(t, s.AcquireLease(ctx, "leased", "a", time.Minute))
			_, _, err = s.Load(ctx, "leased")
			require.ErrorIs(t, err, tokenstore.ErrNotFound, "Load(leased), want ErrNotFound")
			v, err = s.CompareAndSwap(ctx, "leased", 0, tok(4))
			require.NoError(t, err, "CompareAndSwap(0) on a leased key = %d, %v; want 1", v, err)
			require.Equal(t, int64(1), v, "CompareAndSwap(0) on a leased key = %d, %v; want 1", v, err)
			// Deleting keeps the lease.
			require.NoError(t, s.Delete(ctx, "leased"))
			require.ErrorIs(t, s.AcquireLease(ctx, "leased", "b", time.Minute), tokenstore.ErrLeaseHeld, "AcquireLease(b) after Delete")
		})
	}
}

func (su *suite) TestInvalidArguments(t *testing.T) {
	s := newStore(t, su.b.opener()(t))
	ctx := t.Context()
	assert.ErrorIs(t, s.Put(ctx, "k", nil), tokenstore.ErrNilToken, "Put(nil)")
	err := s.Put(ctx, "k", &tokenstore.Token{RefreshToken: secretRT})
	assert.ErrorIs(t, err, tokenstore.ErrInvalidArgument, "Put(no access token)")
	noSecret(t, err)
	assert.ErrorIs(t, s.AcquireLease(ctx, "k", "", time.Second), tokenstore.ErrInvalidArgument, "AcquireLease(empty owner)")
	assert.ErrorIs(t, s.AcquireLease(ctx, "k", "o", -time.Second), tokenstore.ErrInvalidArgument, "AcquireLease(negative ttl)")
}

// TestDetectDialect: New and NewDeduper infer the dialect from the driver.
// Option validation needs no database: see sqlstore's own tests.
func (su *suite) TestDetectDialect(t *testing.T) {
	db := su.b.opener()(t)
	s, err := sqlstore.New(db)
	require.NoError(t, err)
	assert.Equal(t, su.b.Dialect, s.Dialect(), "dialect inferred from the driver")
	assert.Equal(t, sqlstore.DefaultTable, s.Table())
	_, err = sqlstore.NewDeduper(db)
	assert.NoError(t, err)
}

// TestCorrupt writes damaged rows by hand: each must read back as an error
// wrapping ErrCorrupt that names the problem, never as a token.
func (su *suite) TestCorrupt(t *testing.T) {
	good := `{"access_token":"SECRET-AT","refresh_token":"SECRET-RT"}`
	cases := []struct {
		name    string
		version int64
		schema  int64
		data    any
		want    string
	}{
		{"NewerSchema", 3, sqlstore.SchemaVersion + 1, good, "newer than"},
		{"ZeroSchema", 3, 0, good, "invalid schema version"},
		{"BadJSON", 3, 1, `{"access_token":"SECRET-AT`, "malformed JSON"},
		{"NotAnObject", 3, 1, `[1,2]`, "malformed JSON"},
		{"Null", 3, 1, `null`, "no access token"},
		{"EmptyAccessToken", 3, 1, `{"access_token":"","refresh_token":"SECRET-RT"}`, "no access token"},
		{"WrongType", 3, 1, `{"access_token":42}`, "malformed JSON"},
		{"NoData", 3, 1, nil, "no data"},
		{"ZeroVersion", 0, 1, good, "invalid version"},
	}
	for _, b := range su.backends() {
		t.Run(b.Name, func(t *testing.T) {
			t.Parallel()
			open := b.opener()
			db := open(t)
			s := newStore(t, db)
			for _, tc := range cases {
				t.Run(tc.name, func(t *testing.T) {
					ctx := t.Context()
					q := fmt.Sprintf(`INSERT INTO %s (key, version, schema_version, data, updated_at) VALUES ('%s', %d, %d, $1, 0)`,
						s.Table(), tc.name, tc.version, tc.schema)
					if b.Dialect == sqlstore.SQLite {
						q = strings.Replace(q, "$1", "?", 1)
					}
					_, err := db.ExecContext(ctx, q, tc.data)
					require.NoError(t, err)
					got, err := s.Get(ctx, tc.name)
					require.ErrorIs(t, err, tokenstore.ErrCorrupt, "Get = %v, %v; want nil and ErrCorrupt", got, err)
					require.Nil(t, got, "Get = %v, %v; want nil and ErrCorrupt", got, err)
					assert.Contains(t, err.Error(), tc.want)
					noSecret(t, err)
					_, _, err = s.Load(ctx, tc.name)
					require.ErrorIs(t, err, tokenstore.ErrCorrupt, "Load, want ErrCorrupt")
					// A Put repairs the row.
					require.NoError(t, s.Put(ctx, tc.name, tok(1)))
					got, err = s.Get(ctx, tc.name)
					require.NoError(t, err, "Get after repair = %v", err)
					require.Equal(t, tok(1).AccessToken, got.AccessToken, "Get after repair = %v", err)
				})
			}
		})
	}
}

// TestLeaseInjectedClock drives lease expiry with WithClock: no waiting.
func (su *suite) TestLeaseInjectedClock(t *testing.T) {
	for _, b := range su.backends() {
		t.Run(b.Name, func(t *testing.T) {
			t.Parallel()
			open := b.opener()
			ctx := t.Context()
			clk := newFakeClock()
			db := open(t)
			table := servicetest.UniqueName("zk_tokens_")
			a := newStoreTable(t, db, table, sqlstore.WithClock(clk.Now))
			bs, err := sqlstore.New(open(t), sqlstore.WithTable(table), sqlstore.WithClock(clk.Now))
			require.NoError(t, err)
			require.NoError(t, a.AcquireLease(ctx, "k", "a", 10*time.Second))
			clk.Advance(9999 * time.Millisecond)
			require.ErrorIs(t, bs.AcquireLease(ctx, "k", "b", time.Second), tokenstore.ErrLeaseHeld, "AcquireLease(b) 1ms before expiry")
			// The holder extends its lease.
			require.NoError(t, a.AcquireLease(ctx, "k", "a", 10*time.Second))
			clk.Advance(9999 * time.Millisecond)
			require.ErrorIs(t, bs.AcquireLease(ctx, "k", "b", time.Second), tokenstore.ErrLeaseHeld, "AcquireLease(b) before the extended expiry")
			clk.Advance(time.Millisecond)
			require.NoError(t, bs.AcquireLease(ctx, "k", "b", time.Second), "AcquireLease(b) at expiry")
			// The expired holder cannot release or extend b's lease.
			require.NoError(t, a.ReleaseLease(ctx, "k", "a"))
			require.ErrorIs(t, a.AcquireLease(ctx, "k", "a", time.Second), tokenstore.ErrLeaseHeld, "AcquireLease(a) while b holds it")
		})
	}
}

// TestStaleWriterRejected is the store-level guarantee behind refresh
// coordination: a lease holder paused past its TTL cannot overwrite the token
// a later holder stored.
func (su *suite) TestStaleWriterRejected(t *testing.T) {
	for _, b := range su.backends() {
		t.Run(b.Name, func(t *testing.T) {
			t.Parallel()
			open := b.opener()
			ctx := t.Context()
			clk := newFakeClock()
			table := servicetest.UniqueName("zk_tokens_")
			db := open(t)
			a := newStoreTable(t, db, table, sqlstore.WithClock(clk.Now))
			bs, err := sqlstore.New(open(t), sqlstore.WithTable(table), sqlstore.WithClock(clk.Now))
			require.NoError(t, err)
			require.NoError(t, a.Put(ctx, "k", tok(1)))
			// a takes the lease and reads version 1, then pauses.
			require.NoError(t, a.AcquireLease(ctx, "k", "a", 30*time.Second))
			_, va, err := a.Load(ctx, "k")
			require.NoError(t, err)
			clk.Advance(31 * time.Second)
			// b takes over and stores a newer token.
			require.NoError(t, bs.AcquireLease(ctx, "k", "b", 30*time.Second))
			_, vb, err := bs.Load(ctx, "k")
			require.NoError(t, err)
			_, err = bs.CompareAndSwap(ctx, "k", vb, tok(2))
			require.NoError(t, err)
			// a wakes up: its write is rejected.
			_, err = a.CompareAndSwap(ctx, "k", va, tok(3))
			require.ErrorIs(t, err, tokenstore.ErrConflict, "late CompareAndSwap")
			noSecret(t, err)
			got, err := a.Get(ctx, "k")
			require.NoError(t, err, "stored token is not the newest: %v", err)
			require.Equal(t, tok(2).RefreshToken, got.RefreshToken, "stored token is not the newest: %v", err)
		})
	}
}

// TestConnectionLost: a replica whose database goes away while it holds the
// lease gets an error from ReleaseLease, and the lease expires on its own.
// PostgreSQL is reached through a proxy that is then cut; the SQLite
// connection pool is closed.
func (su *suite) TestConnectionLost(t *testing.T) {
	for _, b := range su.backends() {
		t.Run(b.Name, func(t *testing.T) {
			t.Parallel()
			open := b.opener()
			ctx := t.Context()
			clk := newFakeClock()
			table := servicetest.UniqueName("zk_tokens_")
			other := newStoreTable(t, open(t), table, sqlstore.WithClock(clk.Now))
			var (
				lostDB *sql.DB
				lose   func()
			)
			if b.Dialect == sqlstore.Postgres {
				dsn := b.DSN(t)
				u, err := url.Parse(dsn)
				require.NoError(t, err)
				proxy := servicetest.NewProxy(t, u.Host)
				lostDB, err = b.Open(proxy.DSN(t, dsn))
				require.NoError(t, err)
				t.Cleanup(func() { lostDB.Close() })
				lose = proxy.Cut
			} else {
				lostDB = open(t)
				lose = func() { lostDB.Close() }
			}
			lost, err := sqlstore.New(lostDB, sqlstore.WithTable(table), sqlstore.WithClock(clk.Now))
			require.NoError(t, err)
			require.NoError(t, lost.AcquireLease(ctx, "k", "lost", 5*time.Second))
			lose()
			require.Error(t, lost.ReleaseLease(ctx, "k", "lost"), "ReleaseLease over a lost connection reported no error")
			t.Logf("ReleaseLease reported: %v", err)
			require.ErrorIs(t, other.AcquireLease(ctx, "k", "other", time.Second), tokenstore.ErrLeaseHeld, "AcquireLease before expiry")
			clk.Advance(5 * time.Second)
			require.NoError(t, other.AcquireLease(ctx, "k", "other", time.Second), "the lost holder's lease did not expire")
		})
	}
}

// TestDBClockExpiry checks expiry by the database's own clock (the default):
// a 1ms lease is soon free again. It polls the store, it does not sleep for
// synchronization.
func (su *suite) TestDBClockExpiry(t *testing.T) {
	for _, b := range su.backends() {
		t.Run(b.Name, func(t *testing.T) {
			t.Parallel()
			open := b.opener()
			ctx := t.Context()
			s := newStore(t, open(t))
			require.NoError(t, s.AcquireLease(ctx, "k", "a", time.Hour))
			require.ErrorIs(t, s.AcquireLease(ctx, "k", "b", time.Millisecond), tokenstore.ErrLeaseHeld, "AcquireLease(b)")
			require.NoError(t, s.AcquireLease(ctx, "k", "a", time.Millisecond))
			deadline := time.Now().Add(10 * time.Second)
			for {
				err := s.AcquireLease(ctx, "k", "b", time.Hour)
				if err == nil {
					break
				}
				if !errors.Is(err, tokenstore.ErrLeaseHeld) || time.Now().After(deadline) {
					t.Fatalf("1ms lease still held: %v", err)
				}
			}
		})
	}
}

func (su *suite) TestCancelledContextKeepsData(t *testing.T) {
	s := newStore(t, su.b.opener()(t))
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err := s.CompareAndSwap(ctx, "k", 0, tok(1))
	require.Error(t, err, "CompareAndSwap with a cancelled context succeeded")
	require.Error(t, s.AcquireLease(ctx, "k", "a", time.Second), "AcquireLease with a cancelled context succeeded")
	_, err = s.Get(t.Context(), "k")
	require.ErrorIs(t, err, tokenstore.ErrNotFound, "Get")
}

// TestConcurrentMigrate: replicas starting together all migrate.
func (su *suite) TestConcurrentMigrate(t *testing.T) {
	for _, b := range su.backends() {
		t.Run(b.Name, func(t *testing.T) {
			t.Parallel()
			open := b.opener()
			table := servicetest.UniqueName("zk_tokens_")
			db := open(t)
			t.Cleanup(func() { dropTable(t, db, table) })
			stores := make([]*sqlstore.Store, 8)
			for i := range stores {
				s, err := sqlstore.New(open(t), sqlstore.WithTable(table))
				require.NoError(t, err)
				stores[i] = s
			}
			errs := make(chan error, len(stores))
			for _, s := range stores {
				go func() { errs <- s.Migrate(context.Background()) }()
			}
			for range stores {
				assert.NoError(t, <-errs)
			}
			require.NoError(t, stores[0].Put(t.Context(), "k", tok(1)))
		})
	}
}
