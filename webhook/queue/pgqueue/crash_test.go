package pgqueue_test

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver, for the worker subprocesses

	"github.com/zoomkit/zoomkit/internal/servicetest"
	"github.com/zoomkit/zoomkit/webhook"
	"github.com/zoomkit/zoomkit/webhook/queue"
	"github.com/zoomkit/zoomkit/webhook/queue/internal/workertest"
	"github.com/zoomkit/zoomkit/webhook/queue/pgqueue"
)

const (
	envDSN   = "ZOOMKIT_PGQUEUE_TEST_DSN"
	envTable = "ZOOMKIT_PGQUEUE_TEST_TABLE"
)

// openFromEnv opens, in a worker subprocess, the queue its parent test created.
func openFromEnv(ctx context.Context) (queue.Queue, func(context.Context) (int, error), error) {
	db, err := sql.Open("pgx", os.Getenv(envDSN))
	if err != nil {
		return nil, nil, err
	}
	table := os.Getenv(envTable)
	q, err := pgqueue.New(db, pgqueue.WithTable(table))
	if err != nil {
		return nil, nil, err
	}
	live := func(ctx context.Context) (n int, err error) {
		err = db.QueryRowContext(ctx, "SELECT count(*) FROM "+table+" WHERE NOT dead").Scan(&n)
		return n, err
	}
	return q, live, nil
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
		body := workertest.EventBody(fmt.Sprintf("m%d", n%meetings), n, poison(n))
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

func crashEvents() int {
	if testing.Short() {
		return 100
	}
	return 200
}

// Worker processes are killed with SIGKILL at random points (mid-function, between the function
// and its ack, mid-claim) across the events; a last one drains the queue. Every event is handled
// at least once, none is lost, each meeting's events start in event_ts order, and only the
// events whose function always fails are dead-lettered.
func TestCrashedWorkersLoseNoEvent(t *testing.T) {
	db := servicetest.Postgres(t)
	q := newQueue(t, db)
	all, poisoned := fill(t, q, 20, crashEvents()/20, func(n int) bool { return n%50 == 7 })
	cfg := workertest.Config{
		Env:        []string{envDSN + "=" + servicetest.PostgresDSN(t), envTable + "=" + q.Table()},
		Log:        filepath.Join(t.TempDir(), "worker.log"),
		Visibility: 300 * time.Millisecond, Concurrency: 4,
	}
	kills := 0
	for range 12 {
		p := workertest.Start(t, cfg, false)
		if !p.WaitStarts(3 + rand.IntN(25)) {
			t.Fatal("a worker exited before it was killed")
		}
		p.Kill()
		kills++
	}
	workertest.Start(t, cfg, true).Wait()

	lines := workertest.ReadLog(t, cfg.Log)
	nonPoison := slices.DeleteFunc(slices.Clone(all), func(e string) bool { return slices.Contains(poisoned, e) })
	if done := workertest.Events(lines, true); !slices.Equal(done, nonPoison) {
		t.Errorf("%d events handled, want %d (all but the poison ones)", len(done), len(nonPoison))
	}
	if started := workertest.Events(lines, false); !slices.Equal(started, all) {
		t.Errorf("%d events started, want %d", len(started), len(all))
	}
	workertest.CheckOrder(t, lines)

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
	var live int
	if err := db.QueryRowContext(t.Context(), "SELECT count(*) FROM "+q.Table()+" WHERE NOT dead").Scan(&live); err != nil {
		t.Fatal(err)
	}
	if live != 0 {
		t.Errorf("%d messages left in the queue", live)
	}
	t.Logf("%d events, %d kills, %d log lines (starts and dones, with repeats after kills and failures)", len(all), kills, len(lines))
}

// Four worker processes share one queue: each meeting's events run one at a time, in event_ts
// order, while the processes share the meetings.
func TestWorkerProcessesKeepPerMeetingOrder(t *testing.T) {
	db := servicetest.Postgres(t)
	q := newQueue(t, db)
	all, _ := fill(t, q, 10, crashEvents()/10, func(int) bool { return false })
	cfg := workertest.Config{
		Env:        []string{envDSN + "=" + servicetest.PostgresDSN(t), envTable + "=" + q.Table()},
		Log:        filepath.Join(t.TempDir(), "worker.log"),
		Visibility: time.Minute, Concurrency: 3,
	}
	var procs []*workertest.Proc
	for range 4 {
		procs = append(procs, workertest.Start(t, cfg, true))
	}
	for _, p := range procs {
		p.Wait()
	}
	lines := workertest.ReadLog(t, cfg.Log)
	if done := workertest.Events(lines, true); !slices.Equal(done, all) {
		t.Errorf("%d events handled, want %d", len(done), len(all))
	}
	if len(lines) != 2*len(all) {
		t.Errorf("%d log lines, want %d: an event ran twice without a crash", len(lines), 2*len(all))
	}
	workertest.CheckSerial(t, lines)
	pids := map[int]bool{}
	for _, l := range lines {
		pids[l.PID] = true
	}
	t.Logf("%d events handled by %d processes", len(all), len(pids))
}
