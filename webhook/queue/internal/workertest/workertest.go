// Package workertest runs webhook Workers in subprocesses of a test binary, for the crash and
// ordering tests of the queues: the test re-executes its own binary with an environment variable
// that makes TestMain call Main, which runs a Worker on the queue the test names and reports what
// it handles, until it is killed or (in drain mode) the queue is empty.
//
// Events are meeting.participant_joined events of meeting "m<key>" whose participant id names
// the event ("e<n>"); a topic of "poison" makes the function always fail.
package workertest

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/zoomkit/zoomkit/webhook"
	"github.com/zoomkit/zoomkit/webhook/queue"
)

// Environment of a worker subprocess.
const (
	envRole        = "ZOOMKIT_WORKERTEST_ROLE"
	envLog         = "ZOOMKIT_WORKERTEST_LOG"
	envDrain       = "ZOOMKIT_WORKERTEST_DRAIN"
	envVisibility  = "ZOOMKIT_WORKERTEST_VISIBILITY"
	envConcurrency = "ZOOMKIT_WORKERTEST_CONCURRENCY"
)

// Opener opens, in a subprocess, the queue the parent test set up (from environment variables
// the test passed to Start), and returns how many live (not dead-lettered) messages it holds.
type Opener func(ctx context.Context) (q queue.Queue, live func(context.Context) (int, error), err error)

// Main runs the worker role and exits when the environment asks for it; otherwise it returns at
// once. Call it first thing in TestMain.
func Main(open Opener) {
	if os.Getenv(envRole) != "worker" {
		return
	}
	if err := worker(open); err != nil {
		fmt.Fprintln(os.Stderr, "workertest:", err)
		os.Exit(2)
	}
	os.Exit(0)
}

// drainLimit bounds how long a draining worker waits for the queue to empty.
const drainLimit = 2 * time.Minute

// MaxAttempts is the Workers' attempt limit: kills count as attempts, so it is high enough that
// an event is not killed that often, while poison events are dead-lettered after it.
const MaxAttempts = 10

func worker(open Opener) error {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	q, live, err := open(ctx)
	if err != nil {
		return err
	}
	logf, err := os.OpenFile(os.Getenv(envLog), os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return err
	}
	defer logf.Close()
	vis, err := time.ParseDuration(os.Getenv(envVisibility))
	if err != nil {
		return err
	}
	conc, err := strconv.Atoi(os.Getenv(envConcurrency))
	if err != nil {
		return err
	}
	v, err := webhook.NewVerifier([]string{"unused"})
	if err != nil {
		return err
	}
	h, err := webhook.NewHandler(v)
	if err != nil {
		return err
	}
	pid := os.Getpid()
	var outMu sync.Mutex
	h.OnMeetingParticipantJoined(func(_ context.Context, e *webhook.Event, p *webhook.MeetingParticipantJoinedPayload) error {
		line := fmt.Sprintf("%s %s %d %d", p.Object.UUID, p.Object.Participant.UserID, e.Timestamp.UnixMilli(), pid)
		// The parent counts these lines to choose when to kill.
		outMu.Lock()
		fmt.Fprintln(os.Stdout, "start "+line)
		outMu.Unlock()
		// One write(2) per line, O_APPEND: lines of concurrent processes never interleave.
		if _, err := logf.WriteString("start " + line + "\n"); err != nil {
			return err
		}
		if p.Object.Topic == "poison" {
			return fmt.Errorf("poison event %s", p.Object.Participant.UserID)
		}
		_, err := logf.WriteString("done " + line + "\n")
		return err
	})
	w, err := webhook.NewWorker(h, q, webhook.WithConcurrency(conc), webhook.WithVisibilityTimeout(vis),
		webhook.WithRetry(MaxAttempts, time.Millisecond, 10*time.Millisecond), webhook.WithPollInterval(20*time.Millisecond))
	if err != nil {
		return err
	}
	drain := os.Getenv(envDrain) == "1"
	drained := make(chan bool, 1)
	if drain {
		go func() {
			// Poll the queue: stop once nothing is left but dead letters, or give up after
			// drainLimit (events stuck: the test fails rather than hangs).
			t := time.NewTicker(50 * time.Millisecond)
			defer t.Stop()
			limit := time.After(drainLimit)
			for {
				select {
				case <-limit:
					drained <- false
					cancel()
					return
				case <-t.C:
				}
				if n, err := live(ctx); err == nil && n == 0 {
					drained <- true
					cancel()
					return
				}
			}
		}()
	}
	if err := w.Run(ctx); err != context.Canceled {
		return err
	}
	if drain && !<-drained {
		return fmt.Errorf("the queue still holds live messages after %v", drainLimit)
	}
	return nil
}

// A Proc is a worker subprocess.
type Proc struct {
	t      *testing.T
	cmd    *exec.Cmd
	lines  *bufio.Scanner
	stdout io.ReadCloser
	starts int
}

// Config describes the workers a test starts.
type Config struct {
	// Env is passed to the subprocess (the queue's location, for the Opener).
	Env []string
	// Log is the file the workers append their lines to.
	Log string
	// Visibility and Concurrency configure each Worker.
	Visibility  time.Duration
	Concurrency int
}

// Start starts a worker subprocess; drain makes it exit once the queue holds only dead letters.
func Start(t *testing.T, c Config, drain bool) *Proc {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), c.Env...)
	cmd.Env = append(cmd.Env, envRole+"=worker", envLog+"="+c.Log,
		envVisibility+"="+c.Visibility.String(), envConcurrency+"="+strconv.Itoa(c.Concurrency))
	if drain {
		cmd.Env = append(cmd.Env, envDrain+"=1")
	}
	cmd.Stderr = os.Stderr
	dieWithParent(cmd)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &Proc{t: t, cmd: cmd, stdout: stdout, lines: bufio.NewScanner(stdout)}
	t.Cleanup(func() {
		if p.cmd.ProcessState == nil {
			_ = p.cmd.Process.Kill()
			_ = p.cmd.Wait()
		}
	})
	return p
}

// WaitStarts reads the worker's output until it started n more functions, and reports false if
// the worker exited first.
func (p *Proc) WaitStarts(n int) bool {
	for i := 0; i < n; i++ {
		if !p.lines.Scan() {
			return false
		}
		p.starts++
	}
	return true
}

// Kill sends SIGKILL and reaps the process.
func (p *Proc) Kill() {
	p.t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		p.t.Fatalf("kill: %v", err)
	}
	_, _ = io.Copy(io.Discard, p.stdout)
	_ = p.cmd.Wait()
}

// Wait reads the rest of the output and waits for a clean exit.
func (p *Proc) Wait() {
	p.t.Helper()
	_, _ = io.Copy(io.Discard, p.stdout)
	if err := p.cmd.Wait(); err != nil {
		p.t.Fatalf("worker exited with %v", err)
	}
}

// A Line is one line of the workers' log.
type Line struct {
	Done    bool // else start
	Meeting string
	Event   string
	TS      int64
	PID     int
}

// ReadLog parses the workers' log.
func ReadLog(t *testing.T, path string) []Line {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out []Line
	for _, s := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		if s == "" {
			continue
		}
		f := strings.Fields(s)
		if len(f) != 5 {
			t.Fatalf("bad log line %q", s)
		}
		ts, _ := strconv.ParseInt(f[3], 10, 64)
		pid, _ := strconv.Atoi(f[4])
		out = append(out, Line{Done: f[0] == "done", Meeting: f[1], Event: f[2], TS: ts, PID: pid})
	}
	return out
}

// Base is the event_ts of event 0; event n is n milliseconds later.
var Base = time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC)

// EventBody returns event n of meeting m: poison events always fail.
func EventBody(meeting string, n int, poison bool) []byte {
	topic := "ok"
	if poison {
		topic = "poison"
	}
	b, _ := json.Marshal(map[string]any{
		"event":    webhook.EventMeetingParticipantJoined,
		"event_ts": Base.Add(time.Duration(n) * time.Millisecond).UnixMilli(),
		"payload": map[string]any{"account_id": "a", "object": map[string]any{
			"id": 1, "uuid": meeting, "topic": topic,
			"participant": map[string]any{"user_id": "e" + strconv.Itoa(n), "user_name": "U"},
		}},
	})
	return b
}

// CheckOrder reports, for every meeting, whether its events started one at a time and in event_ts
// order: in the log, every start of a meeting's event follows the done (or start, for a poison
// event, or the start of a killed attempt) of the previous one, and event_ts never goes back
// except to repeat the last event (a retry after a crash or failure).
func CheckOrder(t *testing.T, lines []Line) {
	t.Helper()
	last := map[string]int64{}
	for i, l := range lines {
		if l.Done {
			continue
		}
		prev, seen := last[l.Meeting]
		if seen && l.TS < prev {
			t.Errorf("log line %d: meeting %s: event_ts %d started after %d", i, l.Meeting, l.TS, prev)
		}
		last[l.Meeting] = l.TS
	}
}

// Events returns the distinct event ids of the lines that match done.
func Events(lines []Line, done bool) []string {
	var ids []string
	for _, l := range lines {
		if l.Done == done {
			ids = append(ids, l.Event)
		}
	}
	slices.Sort(ids)
	return slices.Compact(ids)
}

// CheckSerial reports, for every meeting, that its events ran strictly one after the other in
// event_ts order: start and done alternate, each for a later event than the one before. It holds
// when no worker was killed and no event failed.
func CheckSerial(t *testing.T, lines []Line) {
	t.Helper()
	type state struct {
		open bool
		ts   int64
		seen bool
	}
	st := map[string]*state{}
	for i, l := range lines {
		s := st[l.Meeting]
		if s == nil {
			s = &state{}
			st[l.Meeting] = s
		}
		switch {
		case !l.Done && s.open:
			t.Errorf("log line %d: meeting %s: event %s started while event_ts %d was running", i, l.Meeting, l.Event, s.ts)
		case !l.Done && s.seen && l.TS <= s.ts:
			t.Errorf("log line %d: meeting %s: event_ts %d started after %d", i, l.Meeting, l.TS, s.ts)
		case l.Done && (!s.open || l.TS != s.ts):
			t.Errorf("log line %d: meeting %s: done %s without its start", i, l.Meeting, l.Event)
		}
		s.open, s.ts, s.seen = !l.Done, l.TS, true
	}
}

const crashSecret = "crash-test-secret"

// fill queues events through a Handler in asynchronous mode, as Zoom's deliveries would be:
// meetings × perMeeting events, each meeting's in random order; poison(n) events always fail.
func fill(t *testing.T, q queue.Queue, meetings, perMeeting int, poison func(n int) bool) (all, poisoned []string) {
	t.Helper()
	v, err := webhook.NewVerifier([]string{crashSecret})
	if err != nil {
		t.Fatal(err)
	}
	h, err := webhook.NewHandler(v, webhook.WithQueue(q))
	if err != nil {
		t.Fatal(err)
	}
	h.OnMeetingParticipantJoined(func(context.Context, *webhook.Event, *webhook.MeetingParticipantJoinedPayload) error {
		t.Error("the function ran in the receiving process")
		return nil
	})
	var order []int
	for n := range meetings * perMeeting {
		order = append(order, n)
	}
	rand.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
	for _, n := range order {
		body := EventBody(fmt.Sprintf("m%d", n%meetings), n, poison(n))
		r, err := webhook.NewSignedRequest(t.Context(), crashSecret, "http://app.test/zoom", body, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code != http.StatusOK {
			t.Fatalf("event %d answered %d", n, w.Code)
		}
		all = append(all, fmt.Sprintf("e%d", n))
		if poison(n) {
			poisoned = append(poisoned, fmt.Sprintf("e%d", n))
		}
	}
	slices.Sort(all)
	slices.Sort(poisoned)
	return all, poisoned
}

// CrashEventsEnv names the variable that sets how many events the crash and ordering tests
// queue (a multiple of 20), for a longer or shorter run.
const CrashEventsEnv = "ZOOMKIT_CRASH_EVENTS"

// crashEvents is how many events the tests queue: $ZOOMKIT_CRASH_EVENTS, or 1,000 (200 with -short).
func crashEvents() int {
	if n, err := strconv.Atoi(os.Getenv(CrashEventsEnv)); err == nil && n >= 20 {
		return n / 20 * 20
	}
	if testing.Short() {
		return 200
	}
	return 1000
}

// CrashTest: worker processes are killed with SIGKILL at random points (mid-function, between the function
// and its ack, mid-claim) across the events; a last one drains the queue. Every event is handled
// at least once, none is lost, each meeting's events start in event_ts order, and only the
// events whose function always fails are dead-lettered.
func CrashTest(t *testing.T, q queue.Queue, env []string, live func(context.Context) (int, error)) {
	t.Helper()
	all, poisoned := fill(t, q, 20, crashEvents()/20, func(n int) bool { return n%50 == 7 })
	cfg := Config{
		Env:        env,
		Log:        filepath.Join(t.TempDir(), "worker.log"),
		Visibility: 300 * time.Millisecond, Concurrency: 4,
	}
	// Kill workers until they have started half as many functions as there are events, so that
	// every killed worker still has events to start (each event starts at least once).
	kills, budget := 0, len(all)/2
	for {
		n := 3 + rand.IntN(25)
		if n > budget {
			break
		}
		budget -= n
		p := Start(t, cfg, false)
		if !p.WaitStarts(n) {
			t.Fatal("a worker exited before it was killed")
		}
		p.Kill()
		kills++
	}
	Start(t, cfg, true).Wait()

	lines := ReadLog(t, cfg.Log)
	nonPoison := slices.DeleteFunc(slices.Clone(all), func(e string) bool { return slices.Contains(poisoned, e) })
	if done := Events(lines, true); !slices.Equal(done, nonPoison) {
		t.Errorf("%d events handled, want %d (all but the poison ones)", len(done), len(nonPoison))
	}
	if started := Events(lines, false); !slices.Equal(started, all) {
		t.Errorf("%d events started, want %d", len(started), len(all))
	}
	CheckOrder(t, lines)

	dead, err := q.DeadLetters(t.Context(), 1000)
	if err != nil {
		t.Fatal(err)
	}
	var deadIDs []string
	for _, d := range dead {
		e, err := webhook.ParseEvent(d.Body)
		if err != nil {
			t.Fatal(err)
		}
		var p webhook.MeetingParticipantJoinedPayload
		if err := e.Unmarshal(&p); err != nil {
			t.Fatal(err)
		}
		deadIDs = append(deadIDs, p.Object.Participant.UserID)
		if !strings.Contains(d.Error, "poison event") {
			t.Errorf("dead letter %s: error %q, want the function's", p.Object.Participant.UserID, d.Error)
		}
	}
	slices.Sort(deadIDs)
	if !slices.Equal(deadIDs, poisoned) {
		t.Errorf("dead letters %v, want exactly the poison events %v", deadIDs, poisoned)
	}
	if n, err := live(t.Context()); err != nil || n != 0 {
		t.Errorf("%d messages left in the queue (%v)", n, err)
	}
	t.Logf("%d events, %d kills, %d log lines (starts and dones, with repeats after kills and failures)", len(all), kills, len(lines))
}

// OrderTest: four worker processes share one queue: each meeting's events run one at a time, in event_ts
// order, while the processes share the meetings.
func OrderTest(t *testing.T, q queue.Queue, env []string) {
	t.Helper()
	all, _ := fill(t, q, 10, crashEvents()/10, func(int) bool { return false })
	cfg := Config{
		Env:        env,
		Log:        filepath.Join(t.TempDir(), "worker.log"),
		Visibility: time.Minute, Concurrency: 3,
	}
	var procs []*Proc
	for range 4 {
		procs = append(procs, Start(t, cfg, true))
	}
	for _, p := range procs {
		p.Wait()
	}
	lines := ReadLog(t, cfg.Log)
	if done := Events(lines, true); !slices.Equal(done, all) {
		t.Errorf("%d events handled, want %d", len(done), len(all))
	}
	if len(lines) != 2*len(all) {
		t.Errorf("%d log lines, want %d: an event ran twice without a crash", len(lines), 2*len(all))
	}
	CheckSerial(t, lines)
	pids := map[int]bool{}
	for _, l := range lines {
		pids[l.PID] = true
	}
	t.Logf("%d events handled by %d processes", len(all), len(pids))
}

// BenchAckLatency measures what Zoom waits for in asynchronous mode: a Handler on q behind an
// HTTP server on loopback receives b.N signed events at rate per second (open loop: each request
// is sent on schedule whether or not the previous ones were answered), while Workers on q run a
// function that takes handlerTime per event. It reports the answer's latency percentiles
// (p50-ms, p99-ms, max-ms) and how many events the Workers finished.
func BenchAckLatency(b *testing.B, q queue.Queue, rate int, handlerTime time.Duration) {
	const secret = "bench-secret"
	v, err := webhook.NewVerifier([]string{secret})
	if err != nil {
		b.Fatal(err)
	}
	var counters webhook.Counters
	h, err := webhook.NewHandler(v, webhook.WithQueue(q), webhook.WithMetrics(&counters))
	if err != nil {
		b.Fatal(err)
	}
	h.OnMeetingParticipantJoined(func(ctx context.Context, _ *webhook.Event, _ *webhook.MeetingParticipantJoinedPayload) error {
		t := time.NewTimer(handlerTime) // the slow work: a database write, an email, a call to Zoom
		defer t.Stop()
		select {
		case <-t.C:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	})
	w, err := webhook.NewWorker(h, q, webhook.WithConcurrency(2*rate*int(max(handlerTime/time.Second, 1))),
		webhook.WithVisibilityTimeout(time.Minute), webhook.WithShutdownGrace(0), webhook.WithPollInterval(50*time.Millisecond))
	if err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	workerDone := make(chan struct{})
	go func() {
		defer close(workerDone)
		_ = w.Run(ctx)
	}()
	srv := httptest.NewServer(h)
	tr := &http.Transport{MaxIdleConnsPerHost: 512}
	client := &http.Client{Transport: tr, Timeout: 30 * time.Second}
	defer func() {
		cancel()
		<-workerDone
		srv.Close()
		tr.CloseIdleConnections()
	}()
	// As many meetings as events in flight: per-meeting order does not hold the Workers back.
	meetings := 2 * rate * int(max(handlerTime/time.Second, 1))
	run := rand.Int64()
	lat := make([]time.Duration, b.N)
	var wg sync.WaitGroup
	tick := time.NewTicker(time.Second / time.Duration(rate))
	defer tick.Stop()
	b.ResetTimer()
	for i := range b.N {
		<-tick.C
		body := EventBody(fmt.Sprintf("m%d-%d", run, i%meetings), i, false)
		wg.Go(func() {
			req, err := webhook.NewSignedRequest(context.Background(), secret, srv.URL, body, time.Now())
			if err != nil {
				b.Error(err)
				return
			}
			start := time.Now()
			resp, err := client.Do(req)
			if err != nil {
				b.Error(err)
				return
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			lat[i] = time.Since(start)
			if resp.StatusCode != http.StatusOK {
				b.Errorf("answer %d", resp.StatusCode)
			}
		})
	}
	wg.Wait()
	b.StopTimer()
	slices.Sort(lat)
	ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
	b.ReportMetric(ms(lat[len(lat)/2]), "p50-ms")
	b.ReportMetric(ms(lat[min(len(lat)-1, len(lat)*99/100)]), "p99-ms")
	b.ReportMetric(ms(lat[len(lat)-1]), "max-ms")
	b.ReportMetric(float64(counters.Snapshot().Finished), "finished")
}

// BenchThroughput measures how fast Workers drain q: b.N events over 1,000 meetings are queued
// first, then workers Workers (each with concurrency 8, on queues from open, so each may have
// connections of its own) run a function taking handlerTime, until every event is handled. It
// reports events/s. Run it for 1, 2, 4... workers to see where the engine becomes the limit.
func BenchThroughput(b *testing.B, open func(b *testing.B) queue.Queue, workers int, handlerTime time.Duration) {
	q0 := open(b)
	ctx := context.Background()
	run := rand.Int64()
	for i := range b.N {
		body := EventBody(fmt.Sprintf("m%d-%d", run, i%1000), i, false)
		e, err := webhook.ParseEvent(body)
		if err != nil {
			b.Fatal(err)
		}
		if err := q0.Enqueue(ctx, queue.Message{Key: webhook.OrderKey(e), EventTS: e.Timestamp, Body: body}); err != nil {
			b.Fatal(err)
		}
	}
	v, err := webhook.NewVerifier([]string{"unused"})
	if err != nil {
		b.Fatal(err)
	}
	var counters webhook.Counters
	h, err := webhook.NewHandler(v, webhook.WithMetrics(&counters))
	if err != nil {
		b.Fatal(err)
	}
	all := make(chan struct{})
	var handled atomic.Int64
	h.OnMeetingParticipantJoined(func(context.Context, *webhook.Event, *webhook.MeetingParticipantJoinedPayload) error {
		t := time.NewTimer(handlerTime)
		<-t.C
		if handled.Add(1) == int64(b.N) {
			close(all)
		}
		return nil
	})
	wctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	b.ResetTimer()
	start := time.Now()
	for range workers {
		w, err := webhook.NewWorker(h, open(b), webhook.WithConcurrency(8), webhook.WithPollInterval(10*time.Millisecond))
		if err != nil {
			b.Fatal(err)
		}
		wg.Go(func() { _ = w.Run(wctx) })
	}
	<-all
	elapsed := time.Since(start)
	b.StopTimer()
	cancel()
	wg.Wait()
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "events/s")
}
