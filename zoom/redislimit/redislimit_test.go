package redislimit_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/zoomkit/zoomkit/internal/servicetest"
	"github.com/zoomkit/zoomkit/zoom"
	"github.com/zoomkit/zoomkit/zoom/redislimit"
)

// Two replicas (each with its own Redis connection) share one schedule:
// the i-th slot handed out, whichever replica takes it, is i intervals
// after the first. Each wait is the slot's time minus Redis' clock at the
// call, so it lies in [i×interval − elapsed, i×interval].
func TestReplicasShareOneSchedule(t *testing.T) {
	addr := servicetest.RedisAddr(t)
	prefix := servicetest.UniqueName("zoomkit-test-redislimit")
	var replicas []*redislimit.Limiter
	for range 2 {
		rdb := redis.NewClient(&redis.Options{Addr: addr})
		t.Cleanup(func() { rdb.Close() })
		replicas = append(replicas, redislimit.New(rdb, prefix))
	}
	t.Cleanup(func() {
		rdb := redis.NewClient(&redis.Options{Addr: addr})
		defer rdb.Close()
		rdb.Del(context.Background(), prefix+":LIGHT", prefix+":HEAVY")
	})
	const perSecond = 10.0
	interval := 100 * time.Millisecond
	var waits []time.Duration
	start := time.Now()
	for i := range 20 {
		d, err := replicas[i%2].Reserve(t.Context(), zoom.RateLight, perSecond)
		require.NoError(t, err)
		waits = append(waits, d)
	}
	elapsed := time.Since(start)
	slices.Sort(waits)
	for i, d := range waits {
		assert.LessOrEqual(t, d, time.Duration(i)*interval, "slot %d", i)
		assert.GreaterOrEqual(t, d, time.Duration(i)*interval-elapsed-time.Millisecond, "slot %d", i)
	}
	// Labels have their own schedules.
	d, err := replicas[0].Reserve(t.Context(), zoom.RateHeavy, perSecond)
	require.NoError(t, err)
	assert.Less(t, d, interval)

	_, err = replicas[0].Reserve(t.Context(), zoom.RateLight, 0)
	assert.ErrorIs(t, err, redislimit.ErrBadRate)
}

// With Redis unreachable, Reserve fails (the client then paces alone and
// logs it once; see zoom's TestSharedLimiterFailsOpenToLocalPacing) and
// the calls still go through.
func TestUnreachableRedisFailsOpen(t *testing.T) {
	ln := httptest.NewServer(http.NotFoundHandler()) // a port that speaks no Redis
	addr := ln.Listener.Addr().String()
	ln.Close()
	rdb := redis.NewClient(&redis.Options{Addr: addr, MaxRetries: -1, DialTimeout: 200 * time.Millisecond})
	defer rdb.Close()
	lim := redislimit.New(rdb, "zoomkit-test-unreachable")
	_, err := lim.Reserve(t.Context(), zoom.RateLight, 10)
	require.Error(t, err)

	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `{"id":91538056781,"topic":"t"}`)
	}))
	defer srv.Close()
	var logs bytes.Buffer
	c, err := zoom.NewClient(zoom.WithBaseURL(srv.URL+"/v2"), zoom.WithHTTPClient(srv.Client()),
		zoom.WithTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "secret-token"})),
		zoom.WithLogger(slog.New(slog.NewTextHandler(&logs, nil))),
		zoom.WithRatePacing(zoom.PacingPolicy{Plan: zoom.PlanPro, Shared: lim}))
	require.NoError(t, err)
	for range 3 {
		m, _, err := c.Meetings.Get(t.Context(), 91538056781, nil)
		require.NoError(t, err)
		assert.EqualValues(t, 91538056781, m.ID)
	}
	assert.Contains(t, logs.String(), "shared rate limiter unavailable")
	assert.NotContains(t, logs.String(), "secret-token")
}

// limitServer enforces a per-second limit per calendar second for the
// whole account, answering 429 as Zoom does.
type limitServer struct {
	limit      int
	mu         sync.Mutex
	second     int64
	used       int
	okPer      map[int64]int
	ok, got429 atomic.Int64
}

func (s *limitServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	now := time.Now().Unix()
	s.mu.Lock()
	if s.second != now {
		s.second, s.used = now, 0
	}
	s.used++
	used := s.used
	if used <= s.limit {
		s.okPer[now]++
	}
	s.mu.Unlock()
	w.Header().Set("X-RateLimit-Category", "Light")
	w.Header().Set("X-RateLimit-Limit", strconv.Itoa(s.limit))
	if used > s.limit {
		s.got429.Add(1)
		w.Header().Set("X-RateLimit-Type", "QPS")
		w.Header().Set("X-RateLimit-Remaining", "0")
		w.Header().Set("Retry-After", "1")
		w.WriteHeader(http.StatusTooManyRequests)
		io.WriteString(w, `{"code":429,"message":"You have reached the maximum per-second rate limit for this API. Try again later."}`)
		return
	}
	s.ok.Add(1)
	w.Header().Set("X-RateLimit-Remaining", strconv.Itoa(s.limit-used))
	io.WriteString(w, `{"id":91538056781,"topic":"t"}`)
}

// BenchmarkReplicas runs 8 replicas of an app (8 Clients, each with its
// own Redis connection, in this process) on one Pro account (LIGHT 30/s),
// each calling as fast as its pacing lets it, with and without the shared
// limiter. It reports the steady-state share of the account's limit, the
// 429s the server sent (and their share of requests) and the 429s that
// reached callers. Run with a fixed count, for example:
//
//	go test -run '^$' -bench Replicas -benchtime 600x ./zoom/redislimit
func BenchmarkReplicas(b *testing.B) {
	addr := servicetest.RedisAddr(b)
	for _, shared := range []bool{true, false} {
		b.Run(fmt.Sprintf("shared=%v", shared), func(b *testing.B) {
			srv := &limitServer{limit: 30, okPer: map[int64]int{}}
			ts := httptest.NewServer(srv)
			defer ts.Close()
			prefix := servicetest.UniqueName("zoomkit-bench-redislimit")
			var clients []*zoom.Client
			for range 8 {
				pol := zoom.PacingPolicy{Plan: zoom.PlanPro}
				if shared {
					rdb := redis.NewClient(&redis.Options{Addr: addr})
					defer rdb.Close()
					pol.Shared = redislimit.New(rdb, prefix)
				}
				c, err := zoom.NewClient(zoom.WithBaseURL(ts.URL+"/v2"), zoom.WithHTTPClient(ts.Client()),
					zoom.WithTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "x"})),
					zoom.WithRetryPolicy(zoom.RetryPolicy{MaxAttempts: 4, MinBackoff: 100 * time.Millisecond, MaxBackoff: time.Second}),
					zoom.WithRatePacing(pol))
				if err != nil {
					b.Fatal(err)
				}
				clients = append(clients, c)
			}
			var callerSaw429 atomic.Int64
			work := make(chan int)
			var wg sync.WaitGroup
			b.ResetTimer()
			start := time.Now()
			for i := range 32 {
				c := clients[i%len(clients)]
				wg.Go(func() {
					for range work {
						_, _, err := c.Meetings.Get(context.Background(), 91538056781, nil)
						if errors.Is(err, zoom.ErrRateLimited) {
							callerSaw429.Add(1)
						}
					}
				})
			}
			for i := range b.N {
				work <- i
			}
			dispatched := time.Now()
			close(work)
			wg.Wait()
			b.StopTimer()
			srv.mu.Lock()
			n, sum := 0, 0
			for sec := start.Unix() + 1; sec < dispatched.Unix(); sec++ {
				n, sum = n+1, sum+srv.okPer[sec]
			}
			srv.mu.Unlock()
			if n > 0 {
				b.ReportMetric(float64(sum)/float64(n)/30*100, "%of-limit")
			}
			ok, got429 := srv.ok.Load(), srv.got429.Load()
			b.ReportMetric(float64(got429), "server-429s")
			b.ReportMetric(float64(got429)/float64(max(ok+got429, 1))*100, "%429")
			b.ReportMetric(float64(callerSaw429.Load()), "caller-429s")
			if shared {
				rdb := redis.NewClient(&redis.Options{Addr: addr})
				rdb.Del(context.Background(), prefix+":LIGHT")
				rdb.Close()
			}
		})
	}
}
