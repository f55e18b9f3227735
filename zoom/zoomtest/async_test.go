package zoomtest_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/zoomkit/zoomkit/webhook"
	"github.com/zoomkit/zoomkit/webhook/queue"
	"github.com/zoomkit/zoomkit/zoom"
	"github.com/zoomkit/zoomkit/zoom/zoomtest"
)

// flakyQueue is a queue.Memory whose Enqueue fails once for every third
// event: the Handler answers 503 and Zoom retries.
type flakyQueue struct {
	*queue.Memory
	mu     sync.Mutex
	n      int
	failed map[string]bool // bodies whose Enqueue failed once
}

func (q *flakyQueue) Enqueue(ctx context.Context, m queue.Message) error {
	q.mu.Lock()
	body := string(m.Body)
	if _, seen := q.failed[body]; !seen {
		q.n++
		q.failed[body] = q.n%3 == 0
		if q.failed[body] {
			q.mu.Unlock()
			return errors.New("the queue is unavailable")
		}
	}
	q.mu.Unlock()
	return q.Memory.Enqueue(ctx, m)
}

// The fake Zoom's webhook deliveries, with Zoom's retry schedule, into a
// Handler in asynchronous mode and a Worker: every event is handled once
// per dedup key, though the queue fails the first time for some events
// (503: Zoom retries 5 minutes later), Zoom does not get the answer to
// the first delivery of others (Zoom retries; the Handler's dedup drops
// the retry: the event was queued), and the function's first attempt
// fails for every event (the Worker retries it from the queue).
func TestDeliveriesIntoAsyncHandler(t *testing.T) {
	s := zoomtest.NewTestServer(t)
	tok := token(t, s, "me")
	synctest.Test(t, func(t *testing.T) {
		v, err := webhook.NewVerifier([]string{"k"})
		require.NoError(t, err)
		mem := queue.NewMemory()
		q := &flakyQueue{Memory: mem, failed: map[string]bool{}}
		h, err := webhook.NewHandler(v, webhook.WithQueue(q)) // deduplicates in memory, 95-minute window
		require.NoError(t, err)

		var mu sync.Mutex
		handled := map[string]int{}     // dedup key → successful runs
		firstFailed := map[string]int{} // dedup key → failed first attempts
		fn := func(ctx context.Context, e *webhook.Event) error {
			d, ok := webhook.DeliveryFromContext(ctx)
			require.True(t, ok, "run by the Worker")
			mu.Lock()
			defer mu.Unlock()
			key := webhook.DefaultKey(e)
			if d.Attempt == 1 {
				firstFailed[key]++
				return errors.New("the database is busy")
			}
			assert.Equal(t, "the database is busy", d.LastError)
			handled[key]++
			return nil
		}
		events := []string{"meeting.created", "meeting.started", "meeting.participant_joined", "meeting.participant_left", "meeting.ended"}
		for _, name := range events {
			h.On(name, fn)
		}

		// The endpoint: Zoom does not get the answer to the first
		// delivery of every fourth event (a connection reset after the
		// Handler queued it).
		var emu sync.Mutex
		requests, lost := 0, map[string]bool{}
		endpoint := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, r)
			sig := r.Header.Get("x-zm-signature")
			emu.Lock()
			requests++
			lose := requests%4 == 2 && !lost[sig] && rec.Code == http.StatusOK
			if lose {
				lost[sig] = true
			}
			emu.Unlock()
			if lose {
				w.WriteHeader(http.StatusBadGateway)
				return
			}
			w.WriteHeader(rec.Code)
			_, _ = rec.Body.WriteTo(w)
		})
		require.NoError(t, s.SubscribeHandler(endpoint, "k", events...))

		w, err := webhook.NewWorker(h, q, webhook.WithConcurrency(2), webhook.WithRetry(3, time.Second, time.Minute))
		require.NoError(t, err)
		ctx, stop := context.WithCancel(context.Background())
		done := make(chan error)
		go func() { done <- w.Run(ctx) }()

		c, err := zoom.NewClient(zoom.WithBaseURL(s.APIURL()), zoom.WithHTTPClient(&http.Client{Transport: s.Transport()}),
			zoom.WithTokenSource(staticToken(tok)))
		require.NoError(t, err)
		m, _, err := c.Meetings.Create(context.Background(), "me", &zoom.CreateMeetingRequest{Topic: "async"})
		require.NoError(t, err)
		_, err = s.StartMeeting(m.ID)
		require.NoError(t, err)
		var ids []string
		for _, name := range []string{"Ada", "Grace", "Edsger", "Barbara"} {
			id, err := s.Join(m.ID, zoomtest.Participant{Name: name, Email: name + "@example.com"})
			require.NoError(t, err)
			ids = append(ids, id)
		}
		time.Sleep(time.Minute)
		require.NoError(t, s.Leave(m.ID, ids[1]))
		require.NoError(t, s.EndMeeting(m.ID))

		time.Sleep(2 * time.Hour) // past Zoom's last retry (+85 min) and the Worker's backoffs
		synctest.Wait()
		stop()
		require.ErrorIs(t, <-done, context.Canceled)

		// Zoom: every event got a 200 in the end; some only on a retry.
		ds := s.Deliveries()
		last := map[string]zoomtest.Delivery{} // by body
		statuses := map[int]int{}
		for _, d := range ds {
			last[string(d.Body)] = d
			statuses[d.Status]++
		}
		keys := map[string]bool{}
		for body, d := range last {
			assert.Equal(t, http.StatusOK, d.Status, "last attempt of %s", d.Event)
			e, err := webhook.ParseEvent([]byte(body))
			require.NoError(t, err)
			keys[webhook.DefaultKey(e)] = true
		}
		// meeting.created, started, 4 joins, 4 leaves (one before the end), ended.
		require.Len(t, last, 11)
		assert.Positive(t, statuses[http.StatusServiceUnavailable], "the queue failed: Zoom retried")
		assert.Positive(t, statuses[http.StatusBadGateway], "an answer was lost: Zoom retried")
		assert.Equal(t, 11+statuses[http.StatusServiceUnavailable]+statuses[http.StatusBadGateway], len(ds))
		assert.Zero(t, s.PendingRetries())

		// The app: each dedup key handled once, on its second attempt.
		mu.Lock()
		defer mu.Unlock()
		require.Len(t, handled, len(keys))
		for k := range keys {
			assert.Equal(t, 1, handled[k], "handled %s", k)
			assert.Equal(t, 1, firstFailed[k], "failed first attempts of %s", k)
		}
		assert.Zero(t, mem.Len())
		dls, err := mem.DeadLetters(context.Background(), 10)
		require.NoError(t, err)
		assert.Empty(t, dls)
	})
}
