package webhook_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"time"

	"github.com/zoomkit/zoomkit/webhook"
	"github.com/zoomkit/zoomkit/webhook/queue"
)

// The asynchronous mode: the Handler answers once the event is queued, and a Worker runs the
// function, retrying it when it fails. With several replicas, use pgqueue or redisqueue (and a
// shared Deduper) instead of the in-memory queue.
func ExampleWorker() {
	const secret = "my-secret-token"
	v, err := webhook.NewVerifier([]string{secret})
	if err != nil {
		panic(err)
	}
	q := queue.NewMemory()
	h, err := webhook.NewHandler(v, webhook.WithQueue(q))
	if err != nil {
		panic(err)
	}
	answered, handled := make(chan struct{}), make(chan struct{})
	attempts := 0
	h.OnMeetingParticipantJoined(func(ctx context.Context, e *webhook.Event, p *webhook.MeetingParticipantJoinedPayload) error {
		<-answered // only so that the output below is in a fixed order
		attempts++
		if attempts == 1 {
			return fmt.Errorf("attendance database unavailable") // retried after a backoff
		}
		fmt.Printf("attempt %d: %s joined meeting %s\n", attempts, p.Object.Participant.UserName, p.Object.UUID)
		close(handled)
		return nil
	})

	w, err := webhook.NewWorker(h, q, webhook.WithRetry(5, 10*time.Millisecond, time.Second))
	if err != nil {
		panic(err)
	}
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- w.Run(ctx) }()

	body := []byte(`{"event":"meeting.participant_joined","event_ts":1772366400000,"payload":{"account_id":"acc","object":{"id":"85393847045","uuid":"jUh5o3dKQIytvcsfTtKBlg==","participant":{"user_id":"16778240","user_name":"Ada"}}}}`)
	r, err := webhook.NewSignedRequest(context.Background(), secret, "https://app.example.com/zoom/webhook", body, time.Now())
	if err != nil {
		panic(err)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, r)
	fmt.Println("answered:", rec.Code) // before the function ran
	close(answered)

	<-handled
	stop()
	fmt.Println("run:", <-done)
	// Output:
	// answered: 200
	// attempt 2: Ada joined meeting jUh5o3dKQIytvcsfTtKBlg==
	// run: context canceled
}
