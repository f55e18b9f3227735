package zoom

import (
	"errors"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"runtime"
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
	jitter     time.Duration  // each request reaches the server after up to this much
	limits     map[string]int // path → limit per second
	labels     map[string]string
	mu         sync.Mutex
	second     map[string]int64
	used       map[string]int
	okPer      map[int64]int // successes per calendar second, all labels
	ok, got429 atomic.Int64
}

// steadyShare is the mean share of the combined limit (capacity per
// second) that successes reached over the whole seconds after the first
// and before end's: the steady state, without the ramp-up and the tail of
// retries.
func (s *zoomLimitServer) steadyShare(start, end time.Time, capacity int) float64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	n, sum := 0, 0
	for sec := start.Unix() + 1; sec < end.Unix(); sec++ {
		n++
		sum += s.okPer[sec]
	}
	if n == 0 {
		return 0
	}
	return float64(sum) / float64(n) / float64(capacity)
}

func newZoomLimitServer() *zoomLimitServer {
	return &zoomLimitServer{
		limits: map[string]int{"/v2/meetings/85746065": 30, "/v2/report/daily": 10}, // Pro: Light 30/s, Heavy 10/s
		labels: map[string]string{"/v2/meetings/85746065": "Light", "/v2/report/daily": "Heavy"},
		second: map[string]int64{}, used: map[string]int{}, okPer: map[int64]int{},
	}
}

func (s *zoomLimitServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if s.jitter > 0 {
		// Network latency jitter: the request is counted when it arrives.
		time.Sleep(rand.N(s.jitter))
	}
	limit := s.limits[r.URL.Path]
	label := s.labels[r.URL.Path]
	now := time.Now().Unix()
	s.mu.Lock()
	if s.second[label] != now {
		s.second[label], s.used[label] = now, 0
	}
	s.used[label]++
	used := s.used[label]
	if used <= s.limits[r.URL.Path] {
		s.okPer[now]++
	}
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
// goroutines against a server enforcing Pro's limits (30/s and 10/s) per
// calendar second, answering 429 as Zoom does. It reports throughput as a
// share of the server's limit over the whole seconds of the steady state
// (%of-limit: without the first second and the tail of retries), the 429s the server sent
// (server-429s, and as a share of all requests, %429), and the 429s that
// reached callers (caller-429s). Scenarios: normal load; 0-200 ms of
// latency jitter before each request reaches the server; GOMAXPROCS=1 with
// 4 goroutines burning CPU; and, for contrast, no pacing. Run with a fixed
// count, for example:
//
//	go test -run '^$' -bench RatePacing -benchtime 400x ./zoom
func BenchmarkRatePacing(b *testing.B) {
	for _, sc := range []struct {
		name   string
		paced  bool
		jitter time.Duration
		starve bool
	}{
		{name: "paced", paced: true},
		{name: "paced/jitter=0-200ms", paced: true, jitter: 200 * time.Millisecond},
		{name: "paced/GOMAXPROCS=1+busy", paced: true, starve: true},
		{name: "unpaced", paced: false},
	} {
		b.Run(sc.name, func(b *testing.B) {
			srv := newZoomLimitServer()
			srv.jitter = sc.jitter
			ts := httptest.NewServer(srv)
			defer ts.Close()
			opts := []Option{
				WithBaseURL(ts.URL + "/v2"), WithHTTPClient(ts.Client()),
				WithTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "x"})),
				WithRetryPolicy(RetryPolicy{MaxAttempts: 4, MinBackoff: 100 * time.Millisecond, MaxBackoff: time.Second}),
			}
			if sc.paced {
				opts = append(opts, WithRatePacing(PacingPolicy{Plan: PlanPro}))
			}
			c, err := NewClient(opts...)
			if err != nil {
				b.Fatal(err)
			}
			if sc.starve {
				defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
				stop := make(chan struct{})
				var busy sync.WaitGroup
				for range 4 {
					busy.Go(func() {
						x := 0
						for {
							select {
							case <-stop:
								_ = x
								return
							default:
								for i := range 100000 {
									x += i
								}
							}
						}
					})
				}
				defer busy.Wait()
				defer close(stop)
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
			dispatched := time.Now()
			close(work)
			wg.Wait()
			b.StopTimer()
			// Combined capacity is 40/s (30 LIGHT + 10 HEAVY).
			ok, got429 := srv.ok.Load(), srv.got429.Load()
			b.ReportMetric(srv.steadyShare(start, dispatched, 40)*100, "%of-limit")
			b.ReportMetric(float64(got429), "server-429s")
			b.ReportMetric(float64(got429)/float64(max(ok+got429, 1))*100, "%429")
			b.ReportMetric(float64(callerSaw429.Load()), "caller-429s")
			ts.Client().CloseIdleConnections()
		})
	}
}
