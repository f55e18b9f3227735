package redislimit_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"golang.org/x/oauth2"

	"github.com/zoomkit/zoomkit/internal/servicetest"
	"github.com/zoomkit/zoomkit/zoom"
	"github.com/zoomkit/zoomkit/zoom/redislimit"
)

// Environment of a replica process started by BenchmarkReplicaProcesses.
const (
	replicaURLEnv    = "ZOOMKIT_REPLICA_URL"
	replicaCallsEnv  = "ZOOMKIT_REPLICA_CALLS"
	replicaPrefixEnv = "ZOOMKIT_REPLICA_PREFIX" // empty: no shared limiter
	replicaRedisEnv  = "ZOOMKIT_REPLICA_REDIS"
)

// TestReplicaProcess is one replica of BenchmarkReplicaProcesses, run in
// a process of its own; it is skipped in a normal test run. It makes its
// calls from 4 goroutines and prints how many 429s reached it.
func TestReplicaProcess(t *testing.T) {
	url := os.Getenv(replicaURLEnv)
	if url == "" {
		t.Skip("a replica process of BenchmarkReplicaProcesses")
	}
	calls, err := strconv.Atoi(os.Getenv(replicaCallsEnv))
	if err != nil {
		t.Fatal(err)
	}
	pol := zoom.PacingPolicy{Plan: zoom.PlanPro}
	if prefix := os.Getenv(replicaPrefixEnv); prefix != "" {
		rdb := redis.NewClient(&redis.Options{Addr: os.Getenv(replicaRedisEnv)})
		defer rdb.Close()
		pol.Shared = redislimit.New(rdb, prefix)
	}
	c, err := zoom.NewClient(zoom.WithBaseURL(url+"/v2"),
		zoom.WithTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "x"})),
		zoom.WithRetryPolicy(zoom.RetryPolicy{MaxAttempts: 4, MinBackoff: 100 * time.Millisecond, MaxBackoff: time.Second}),
		zoom.WithRatePacing(pol))
	if err != nil {
		t.Fatal(err)
	}
	var saw429, failed atomic.Int64
	work := make(chan struct{})
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for range work {
				_, _, err := c.Meetings.Get(context.Background(), 91538056781, nil)
				switch {
				case errors.Is(err, zoom.ErrRateLimited):
					saw429.Add(1)
				case err != nil:
					failed.Add(1)
				}
			}
		})
	}
	for range calls {
		work <- struct{}{}
	}
	close(work)
	wg.Wait()
	if failed.Load() > 0 {
		t.Fatalf("%d calls failed otherwise than with a 429", failed.Load())
	}
	fmt.Printf("caller429=%d\n", saw429.Load())
}

// BenchmarkReplicaProcesses is BenchmarkReplicas with 8 OS processes (this
// test binary, running TestReplicaProcess) on one Pro account (LIGHT
// 30/s): b.N calls in all, with and without the shared limiter. Run with a
// fixed count, for example:
//
//	go test -run '^$' -bench ReplicaProcesses -benchtime 600x ./zoom/redislimit
func BenchmarkReplicaProcesses(b *testing.B) {
	addr := servicetest.RedisAddr(b)
	const procs = 8
	for _, shared := range []bool{true, false} {
		b.Run(fmt.Sprintf("shared=%v", shared), func(b *testing.B) {
			srv := &limitServer{limit: 30, okPer: map[int64]int{}}
			ts := httptest.NewServer(srv)
			defer ts.Close()
			prefix := ""
			if shared {
				prefix = servicetest.UniqueName("zoomkit-bench-redislimit-procs")
				defer func() {
					rdb := redis.NewClient(&redis.Options{Addr: addr})
					rdb.Del(context.Background(), prefix+":LIGHT")
					rdb.Close()
				}()
			}
			perProc := (b.N + procs - 1) / procs
			var outs [procs]bytes.Buffer
			var cmds []*exec.Cmd
			b.ResetTimer()
			start := time.Now()
			for i := range procs {
				cmd := exec.Command(os.Args[0], "-test.run=^TestReplicaProcess$", "-test.v")
				cmd.Env = append(os.Environ(),
					replicaURLEnv+"="+ts.URL, replicaCallsEnv+"="+strconv.Itoa(perProc),
					replicaPrefixEnv+"="+prefix, replicaRedisEnv+"="+addr)
				cmd.Stdout, cmd.Stderr = &outs[i], &outs[i]
				if err := cmd.Start(); err != nil {
					b.Fatal(err)
				}
				cmds = append(cmds, cmd)
			}
			for i, cmd := range cmds {
				if err := cmd.Wait(); err != nil {
					b.Fatalf("replica %d: %v\n%s", i, err, outs[i].String())
				}
			}
			end := time.Now()
			b.StopTimer()
			caller429 := 0
			for i := range outs {
				for line := range strings.Lines(outs[i].String()) {
					if v, ok := strings.CutPrefix(strings.TrimSpace(line), "caller429="); ok {
						n, _ := strconv.Atoi(v)
						caller429 += n
					}
				}
			}
			srv.mu.Lock()
			n, sum := 0, 0
			// Whole seconds after the first (processes start) and before the
			// last (the tail of retries).
			for sec := start.Unix() + 1; sec < end.Unix()-1; sec++ {
				n, sum = n+1, sum+srv.okPer[sec]
			}
			srv.mu.Unlock()
			if n > 0 {
				b.ReportMetric(float64(sum)/float64(n)/30*100, "%of-limit")
			}
			ok, got429 := srv.ok.Load(), srv.got429.Load()
			b.ReportMetric(float64(got429), "server-429s")
			b.ReportMetric(float64(got429)/float64(max(ok+got429, 1))*100, "%429")
			b.ReportMetric(float64(caller429), "caller-429s")
		})
	}
}
