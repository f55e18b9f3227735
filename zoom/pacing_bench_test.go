package zoom

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/oauth2"
)

// zoomLimitServer enforces per-second limits per rate label the way Zoom
// does: a 429 with Zoom's body and headers once a label's budget for the
// current second is spent.
type zoomLimitServer struct {
	limits     map[string]int // path → limit per second
	labels     map[string]string
	mu         sync.Mutex
	second     map[string]int64
	used       map[string]int
	ok, got429 atomic.Int64
}

func newZoomLimitServer() *zoomLimitServer {
	return &zoomLimitServer{
		limits: map[string]int{"/v2/meetings/85746065": 30, "/v2/report/daily": 10}, // Pro: Light 30/s, Heavy 10/s
		labels: map[string]string{"/v2/meetings/85746065": "Light", "/v2/report/daily": "Heavy"},
		second: map[string]int64{}, used: map[string]int{},
	}
}

func (s *zoomLimitServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	limit := s.limits[r.URL.Path]
	label := s.labels[r.URL.Path]
	now := time.Now().Unix()
	s.mu.Lock()
	if s.second[label] != now {
		s.second[label], s.used[label] = now, 0
	}
	s.used[label]++
	used := s.used[label]
	s.mu.Unlock()
	w.Header().Set("X-RateLimit-Category", label)
	w.Header().Set("X-RateLimit-Limit", strconv.Itoa(limit))
	if used > limit {
		s.got429.Add(1)
		w.Header().Set("X-RateLimit-Type", "QPS")
		w.Header().Set("X-RateLimit-Remaining", "0")
		w.Header().Set("Retry-After", "1")
		w.WriteHeader(http.StatusTooManyRequests)
		io.WriteString(w, `{"code":429,"message":"You have reached the maximum per-second rate limit for this API. Try again later."}`)
		return
	}
	s.ok.Add(1)
	w.Header().Set("X-RateLimit-Remaining", strconv.Itoa(limit-used))
	io.WriteString(w, meetingJSON)
}

// BenchmarkRatePacing hammers a LIGHT and a HEAVY endpoint from 32
// goroutines against a server enforcing Pro's limits (30/s and 10/s). It
// reports the 429s the server sent, the 429s that reached callers, and
// throughput as a share of the server's limit. Run with a fixed count, for
// example: go test -run '^$' -bench RatePacing -benchtime 120x ./zoom
func BenchmarkRatePacing(b *testing.B) {
	for _, paced := range []bool{true, false} {
		b.Run(fmt.Sprintf("pacing=%v", paced), func(b *testing.B) {
			srv := newZoomLimitServer()
			ts := httptest.NewServer(srv)
			defer ts.Close()
			opts := []Option{
				WithBaseURL(ts.URL + "/v2"), WithHTTPClient(ts.Client()),
				WithTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "x"})),
				WithRetryPolicy(RetryPolicy{MaxAttempts: 4, MinBackoff: 100 * time.Millisecond, MaxBackoff: time.Second}),
			}
			if paced {
				opts = append(opts, WithRatePacing(PacingPolicy{Plan: PlanPro}))
			}
			c, err := NewClient(opts...)
			if err != nil {
				b.Fatal(err)
			}
			heavy := &operation{Method: "GET", Path: "/report/daily", ID: "reportDaily", Rate: RateHeavy}
			var callerSaw429 atomic.Int64
			work := make(chan int)
			var wg sync.WaitGroup
			b.ResetTimer()
			start := time.Now()
			for range 32 {
				wg.Go(func() {
					for i := range work {
						var err error
						if i%4 == 3 { // 1 HEAVY for 3 LIGHT: the same 3:1 ratio as the limits
							_, err = c.call(b.Context(), heavy, "/report/daily", nil, nil, nil)
						} else {
							_, _, err = callGet(b.Context(), c)
						}
						if errors.Is(err, ErrRateLimited) {
							callerSaw429.Add(1)
						}
					}
				})
			}
			for i := range b.N {
				work <- i
			}
			close(work)
			wg.Wait()
			el := time.Since(start).Seconds()
			b.StopTimer()
			// Combined capacity is 40/s (30 LIGHT + 10 HEAVY).
			b.ReportMetric(float64(srv.ok.Load())/el/40*100, "%of-limit")
			b.ReportMetric(float64(srv.got429.Load()), "server-429s")
			b.ReportMetric(float64(callerSaw429.Load()), "caller-429s")
			ts.Client().CloseIdleConnections()
		})
	}
}
