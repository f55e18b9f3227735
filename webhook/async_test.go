package webhook

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/zoomkit/zoomkit/webhook/queue"
)

// meetingEvent is an event about meeting uuid at event_ts second ts (after goldenTime), with a
// participant so that events of one meeting differ.
func meetingEvent(name, uuid string, ts int, who string) string {
	return fmt.Sprintf(`{"event":%q,"event_ts":%d,"payload":{"account_id":"a","object":{"id":1,"uuid":%q,"topic":"T","participant":{"user_id":%q,"user_name":"U"}}}}`,
		name, goldenTime.Add(time.Duration(ts)*time.Second).UnixMilli(), uuid, who)
}

// failingQueue fails every call.
type failingQueue struct{ queue.Queue }

var errQueueDown = errors.New("queue down")

func (failingQueue) Enqueue(context.Context, queue.Message) error { return errQueueDown }

// syncLog is a goroutine-safe log buffer.
type syncLog struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *syncLog) Write(p []byte) (int, error) { l.mu.Lock(); defer l.mu.Unlock(); return l.b.Write(p) }
func (l *syncLog) String() string              { l.mu.Lock(); defer l.mu.Unlock(); return l.b.String() }

func TestAsyncHandlerQueuesAndAnswersWithoutRunningTheFunction(t *testing.T) {
	t.Parallel()
	q := queue.NewMemory()
	var counters Counters
	f := newFixture(t, nil, WithQueue(q), WithMetrics(&counters))
	f.h.OnMeetingParticipantJoined(func(context.Context, *Event, *MeetingParticipantJoinedPayload) error {
		t.Error("the function ran within the request")
		return nil
	})
	body := meetingEvent(EventMeetingParticipantJoined, "m1", 1, "ada")
	w := f.deliver(t, testSecret, body)
	require.Equal(t, http.StatusOK, w.Code)
	require.Equal(t, 1, q.Len())

	// Zoom's redelivery is a duplicate: not queued again.
	w = f.deliver(t, testSecret, body)
	require.Equal(t, http.StatusOK, w.Code)
	require.Equal(t, 1, q.Len())

	// An event without a function is answered and dropped, as in synchronous mode.
	w = f.deliver(t, testSecret, meetingEvent(EventMeetingEnded, "m1", 2, ""))
	require.Equal(t, http.StatusOK, w.Code)
	require.Equal(t, 1, q.Len())
	require.EqualValues(t, 1, counters.Snapshot().Queued)

	ds, err := q.Claim(t.Context(), 10, time.Minute)
	require.NoError(t, err)
	require.Len(t, ds, 1)
	assert.Equal(t, body, string(ds[0].Body), "the raw verified body is queued byte for byte")
	assert.Equal(t, "uuid=m1", ds[0].Key)
	assert.True(t, ds[0].EventTS.Equal(goldenTime.Add(time.Second)))
}

func TestAsyncHandlerAnswers503AndReleasesDedupWhenTheQueueFails(t *testing.T) {
	t.Parallel()
	f := newFixture(t, nil, WithQueue(failingQueue{}))
	f.h.OnMeetingStarted(func(context.Context, *Event, *MeetingStartedPayload) error { return nil })
	body := meetingEvent(EventMeetingStarted, "m1", 1, "")
	w := f.deliver(t, testSecret, body)
	require.Equal(t, http.StatusServiceUnavailable, w.Code)
	require.Contains(t, f.logs.String(), "queue failed")
	require.NotContains(t, f.logs.String(), testSecret)
	// The claim was released: Zoom's retry is not a duplicate.
	claimed, err := f.dedup.Claim(t.Context(), DefaultKey(mustParse(t, body)), time.Hour)
	require.NoError(t, err)
	require.True(t, claimed, "the dedup claim of an event that was not queued must be released")
}

func mustParse(t *testing.T, body string) *Event {
	t.Helper()
	e, err := ParseEvent([]byte(body))
	require.NoError(t, err)
	return e
}

func TestAsyncOptionsValidate(t *testing.T) {
	t.Parallel()
	v := mustVerifier(t, []string{testSecret})
	for name, o := range map[string]HandlerOption{
		"WithQueue(nil)":    WithQueue(nil),
		"WithOrderKey(nil)": WithOrderKey(nil),
		"WithMetrics(nil)":  WithMetrics(nil),
	} {
		_, err := NewHandler(v, o)
		assert.ErrorIs(t, err, ErrInvalidOption, name)
	}
	h, err := NewHandler(v)
	require.NoError(t, err)
	q := queue.NewMemory()
	for name, o := range map[string]WorkerOption{
		"WithConcurrency(0)":           WithConcurrency(0),
		"WithVisibilityTimeout(0)":     WithVisibilityTimeout(0),
		"WithRetry(0, 1s, 1s)":         WithRetry(0, time.Second, time.Second),
		"WithRetry(1, 2s, 1s)":         WithRetry(1, 2*time.Second, time.Second),
		"WithRetry(1, 0, 1s)":          WithRetry(1, 0, time.Second),
		"WithPollInterval(0)":          WithPollInterval(0),
		"WithShutdownGrace(-1)":        WithShutdownGrace(-1),
		"nil option":                   nil,
		"WithConcurrency(-3) + others": WithConcurrency(-3),
	} {
		_, err := NewWorker(h, q, o)
		assert.ErrorIs(t, err, ErrInvalidOption, name)
	}
	_, err = NewWorker(nil, q)
	assert.ErrorIs(t, err, ErrInvalidOption)
	_, err = NewWorker(h, nil)
	assert.ErrorIs(t, err, ErrInvalidOption)
}

func TestOrderKey(t *testing.T) {
	t.Parallel()
	joined := mustParse(t, meetingEvent(EventMeetingParticipantJoined, "m1", 1, "ada"))
	left := mustParse(t, meetingEvent(EventMeetingParticipantLeft, "m1", 2, "bob"))
	ended := mustParse(t, meetingEvent(EventMeetingEnded, "m1", 3, ""))
	assert.Equal(t, "uuid=m1", OrderKey(joined))
	assert.Equal(t, OrderKey(joined), OrderKey(left), "one meeting, one key")
	assert.Equal(t, OrderKey(joined), OrderKey(ended))
	byID := mustParse(t, `{"event":"user.updated","event_ts":1,"payload":{"object":{"id":"u7"}}}`)
	assert.Equal(t, "id=u7", OrderKey(byID))
	noObject := mustParse(t, `{"event":"app_deauthorized","event_ts":1,"payload":{"user_id":"x"}}`)
	assert.Equal(t, "app_deauthorized", OrderKey(noObject))
}

// asyncFixture is a Handler in asynchronous mode on a Memory queue, with a Worker on it.
type asyncFixture struct {
	*fixture
	q        *queue.Memory
	counters *Counters
	logs     *syncLog
}

func newAsyncFixture(t *testing.T) *asyncFixture {
	t.Helper()
	q := queue.NewMemory()
	counters := &Counters{}
	logs := &syncLog{}
	f := newFixture(t, nil, WithQueue(q), WithMetrics(counters), WithLogger(slog.New(slog.NewTextHandler(logs, nil))))
	return &asyncFixture{fixture: f, q: q, counters: counters, logs: logs}
}

// start runs a Worker until the test's bubble work is done; stop cancels it and waits for Run.
func (f *asyncFixture) start(t *testing.T, opts ...WorkerOption) (stop func()) {
	t.Helper()
	w, err := NewWorker(f.h, f.q, opts...)
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx) }()
	return func() {
		cancel()
		require.ErrorIs(t, <-done, context.Canceled)
	}
}

func TestWorkerRunsTheTypedFunctionAndAcks(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newAsyncFixture(t)
		got := make(chan string, 1)
		f.h.OnMeetingParticipantJoined(func(ctx context.Context, e *Event, p *MeetingParticipantJoinedPayload) error {
			d, ok := DeliveryFromContext(ctx)
			assert.True(t, ok)
			assert.Equal(t, 1, d.Attempt)
			assert.Equal(t, "uuid=m1", d.Key)
			got <- p.Object.UUID + "/" + p.Object.Participant.UserID
			return nil
		})
		stop := f.start(t)
		require.Equal(t, http.StatusOK, f.deliver(t, testSecret, meetingEvent(EventMeetingParticipantJoined, "m1", 1, "ada")).Code)
		require.Equal(t, "m1/ada", <-got)
		synctest.Wait()
		require.Equal(t, 0, f.q.Len(), "the handled event is acked")
		stop()
		s := f.counters.Snapshot()
		assert.Equal(t, CountersSnapshot{Queued: 1, Finished: 1}, CountersSnapshot{Queued: s.Queued, Finished: s.Finished, InFlight: s.InFlight})
	})
}

func TestWorkerRetriesWithBackoffThenDeadLetters(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newAsyncFixture(t)
		var mu sync.Mutex
		var times []time.Time
		f.h.OnMeetingStarted(func(context.Context, *Event, *MeetingStartedPayload) error {
			mu.Lock()
			times = append(times, time.Now())
			mu.Unlock()
			return errors.New("database unavailable")
		})
		stop := f.start(t, WithRetry(4, time.Second, 3*time.Second))
		start := time.Now()
		require.Equal(t, http.StatusOK, f.deliver(t, testSecret, meetingEvent(EventMeetingStarted, "m1", 1, "")).Code)
		time.Sleep(time.Minute)
		synctest.Wait()
		stop()

		require.Len(t, times, 4, "4 attempts, then the event is dead-lettered")
		// Waits before attempts 2, 3, 4: 1s, 2s, 3s (capped) nominal, each with jitter in [d/2, d].
		prev := start
		for i, nominal := range []time.Duration{0, time.Second, 2 * time.Second, 3 * time.Second} {
			gap := times[i].Sub(prev)
			assert.True(t, gap >= nominal/2 && gap <= nominal, "wait before attempt %d = %v, want within [%v, %v]", i+1, gap, nominal/2, nominal)
			prev = times[i]
		}
		ls, err := f.q.DeadLetters(t.Context(), 10)
		require.NoError(t, err)
		require.Len(t, ls, 1)
		assert.Equal(t, "database unavailable", ls[0].Error)
		assert.Equal(t, 4, ls[0].Attempts)
		assert.Equal(t, 0, f.q.Len())
		s := f.counters.Snapshot()
		assert.EqualValues(t, 3, s.Retried)
		assert.EqualValues(t, 1, s.DeadLettered)
		assert.EqualValues(t, 4, s.Failed)
		assert.EqualValues(t, 0, s.InFlight)
		logs := f.logs.String()
		assert.Equal(t, 3, strings.Count(logs, "will retry"), logs)
		assert.Equal(t, 1, strings.Count(logs, "dead-lettered"), logs)
	})
}

func TestWorkerSucceedsOnARetryAndReplayedDeadLettersAreHandled(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newAsyncFixture(t)
		var mu sync.Mutex
		calls := 0
		fail := true
		f.h.OnMeetingStarted(func(ctx context.Context, _ *Event, _ *MeetingStartedPayload) error {
			mu.Lock()
			defer mu.Unlock()
			calls++
			if d, _ := DeliveryFromContext(ctx); d.Attempt != calls && calls <= 3 {
				t.Errorf("call %d: attempt %d", calls, d.Attempt)
			}
			if calls == 2 {
				panic("boom") // a panic is a failure like any other
			}
			if fail && calls < 3 {
				return errors.New("transient")
			}
			if fail {
				return errors.New("always")
			}
			return nil
		})
		stop := f.start(t, WithRetry(3, time.Second, time.Second))
		require.Equal(t, http.StatusOK, f.deliver(t, testSecret, meetingEvent(EventMeetingStarted, "m1", 1, "")).Code)
		time.Sleep(time.Minute)
		synctest.Wait()
		ls, err := f.q.DeadLetters(t.Context(), 10)
		require.NoError(t, err)
		require.Len(t, ls, 1)
		assert.Equal(t, "always", ls[0].Error)
		assert.Contains(t, f.logs.String(), "handler panicked")

		mu.Lock()
		fail = false
		mu.Unlock()
		require.NoError(t, f.q.Replay(t.Context(), ls[0].ID))
		synctest.Wait()
		stop()
		mu.Lock()
		assert.Equal(t, 4, calls)
		mu.Unlock()
		assert.Equal(t, 0, f.q.Len())
		ls, err = f.q.DeadLetters(t.Context(), 10)
		require.NoError(t, err)
		assert.Empty(t, ls)
	})
}

func TestWorkerDeadLettersEventsItCannotHandle(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newAsyncFixture(t)
		stop := f.start(t)
		require.NoError(t, f.q.Enqueue(t.Context(), queue.Message{Key: "k", Body: []byte("not json")}))
		require.NoError(t, f.q.Enqueue(t.Context(), queue.Message{Key: "k2", Body: []byte(meetingEvent(EventMeetingStarted, "m", 1, ""))}))
		synctest.Wait()
		stop()
		ls, err := f.q.DeadLetters(t.Context(), 10)
		require.NoError(t, err)
		require.Len(t, ls, 2)
		errs := []string{ls[0].Error, ls[1].Error}
		slices.Sort(errs)
		assert.Contains(t, errs[0], "no function registered for meeting.started")
		assert.Contains(t, errs[1], "queued body is not an event")
	})
}

// Events of one meeting are handled one at a time in event_ts order, whatever order they were
// received in, while other meetings proceed in parallel.
func TestWorkerKeepsPerKeyOrderAndRunsKeysInParallel(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newAsyncFixture(t)
		var mu sync.Mutex
		order := map[string][]int{}
		running := map[string]int{}
		maxParallel := 0
		total := 0
		f.h.OnMeetingParticipantJoined(func(_ context.Context, e *Event, p *MeetingParticipantJoinedPayload) error {
			mu.Lock()
			running[p.Object.UUID]++
			if running[p.Object.UUID] > 1 {
				t.Errorf("two events of %s at once", p.Object.UUID)
			}
			total++
			maxParallel = max(maxParallel, total)
			mu.Unlock()
			time.Sleep(time.Second) // slow handler
			mu.Lock()
			running[p.Object.UUID]--
			total--
			order[p.Object.UUID] = append(order[p.Object.UUID], int(e.Timestamp.Sub(goldenTime)/time.Second))
			mu.Unlock()
			return nil
		})
		// Queue everything before the worker starts, out of order within each meeting.
		for _, ts := range []int{5, 1, 4, 2, 3} {
			for _, m := range []string{"m1", "m2", "m3"} {
				require.Equal(t, http.StatusOK, f.deliver(t, testSecret, meetingEvent(EventMeetingParticipantJoined, m, ts, "p"+fmt.Sprint(ts))).Code)
			}
		}
		stop := f.start(t, WithConcurrency(4))
		time.Sleep(time.Minute)
		synctest.Wait()
		stop()
		for _, m := range []string{"m1", "m2", "m3"} {
			assert.Equal(t, []int{1, 2, 3, 4, 5}, order[m], "meeting %s", m)
		}
		assert.Equal(t, 3, maxParallel, "the three meetings run in parallel")
	})
}

func TestWorkerShutdownFinishesOrReleasesInFlightEvents(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newAsyncFixture(t)
		f.h.OnMeetingStarted(func(ctx context.Context, e *Event, p *MeetingStartedPayload) error {
			d := time.Second // finishes within the grace period
			if p.Object.UUID == "slow" {
				d = time.Hour
			}
			select {
			case <-time.After(d):
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		})
		w, err := NewWorker(f.h, f.q, WithShutdownGrace(10*time.Second))
		require.NoError(t, err)
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- w.Run(ctx) }()
		require.Equal(t, http.StatusOK, f.deliver(t, testSecret, meetingEvent(EventMeetingStarted, "quick", 1, "")).Code)
		require.Equal(t, http.StatusOK, f.deliver(t, testSecret, meetingEvent(EventMeetingStarted, "slow", 1, "")).Code)
		synctest.Wait() // both running
		cancel()
		start := time.Now()
		require.ErrorIs(t, <-done, context.Canceled)
		assert.Equal(t, 10*time.Second, time.Since(start), "Run waits for the grace period, then cancels")
		// The quick one was acked, the slow one released for another worker, claimable at once.
		require.Equal(t, 1, f.q.Len())
		ds, err := f.q.Claim(t.Context(), 10, time.Minute)
		require.NoError(t, err)
		require.Len(t, ds, 1)
		assert.Contains(t, string(ds[0].Body), `"slow"`)
		assert.Contains(t, ds[0].LastError, "worker stopped")
		assert.Contains(t, f.logs.String(), "released at shutdown")
	})
}

func TestWebSocketSourceFeedsTheQueue(t *testing.T) {
	t.Parallel()
	q := queue.NewMemory()
	h := newTestHandler(t, WithQueue(q))
	h.OnMeetingStarted(func(context.Context, *Event, *MeetingStartedPayload) error {
		t.Error("the function ran on the WebSocket's goroutine")
		return nil
	})
	s, err := NewWebSocketSource(h, &staticTokens{toks: []string{"tok"}}, "sub-1")
	require.NoError(t, err)
	msg, err := json.Marshal(map[string]string{"module": "message", "content": startedEvent})
	require.NoError(t, err)
	s.handleMessage(t.Context(), msg)
	require.Equal(t, 1, q.Len())
	ds, err := q.Claim(t.Context(), 1, time.Minute)
	require.NoError(t, err)
	require.Len(t, ds, 1)
	assert.Equal(t, startedEvent, string(ds[0].Body))
}

// flakyQueue fails its first claims.
type flakyQueue struct {
	*queue.Memory
	mu       sync.Mutex
	failures int
}

func (q *flakyQueue) Claim(ctx context.Context, max int, vis time.Duration) ([]queue.Delivery, error) {
	q.mu.Lock()
	fail := q.failures > 0
	if fail {
		q.failures--
	}
	q.mu.Unlock()
	if fail {
		return nil, errQueueDown
	}
	return q.Memory.Claim(ctx, max, vis)
}

func TestWorkerBacksOffWhileTheQueueFails(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		logs := &syncLog{}
		q := &flakyQueue{Memory: queue.NewMemory(), failures: 3}
		f := newFixture(t, nil, WithQueue(q), WithLogger(slog.New(slog.NewTextHandler(logs, nil))))
		got := make(chan struct{})
		f.h.OnMeetingStarted(func(context.Context, *Event, *MeetingStartedPayload) error { close(got); return nil })
		w, err := NewWorker(f.h, q, WithPollInterval(time.Second))
		require.NoError(t, err)
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- w.Run(ctx) }()
		require.Equal(t, http.StatusOK, f.deliver(t, testSecret, meetingEvent(EventMeetingStarted, "m", 1, "")).Code)
		start := time.Now()
		<-got
		// Three failed claims, waits of about 1 s, 2 s and 4 s (jittered to half at least).
		assert.GreaterOrEqual(t, time.Since(start), 3500*time.Millisecond)
		cancel()
		require.ErrorIs(t, <-done, context.Canceled)
		assert.Equal(t, 3, strings.Count(logs.String(), "queue claim failed"), logs.String())
	})
}

func TestWebSocketSourceHandlesTheEventWhenTheQueueFails(t *testing.T) {
	t.Parallel()
	h := newTestHandler(t, WithQueue(failingQueue{}))
	ran := 0
	h.OnMeetingStarted(func(context.Context, *Event, *MeetingStartedPayload) error { ran++; return nil })
	s, err := NewWebSocketSource(h, &staticTokens{toks: []string{"tok"}}, "sub-1")
	require.NoError(t, err)
	msg, err := json.Marshal(map[string]string{"module": "message", "content": startedEvent})
	require.NoError(t, err)
	s.handleMessage(t.Context(), msg)
	assert.Equal(t, 1, ran, "nothing redelivers a WebSocket event: it is handled at once rather than lost")
}

func TestDeliveryFromContextOutsideAWorker(t *testing.T) {
	t.Parallel()
	f := newFixture(t, nil)
	f.h.OnMeetingStarted(func(ctx context.Context, _ *Event, _ *MeetingStartedPayload) error {
		_, ok := DeliveryFromContext(ctx)
		assert.False(t, ok, "synchronous mode has no queue delivery")
		return nil
	})
	require.Equal(t, http.StatusOK, f.deliver(t, testSecret, meetingEvent(EventMeetingStarted, "m", 1, "")).Code)
}
