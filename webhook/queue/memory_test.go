package queue_test

import (
	"testing"
	"time"

	"github.com/zoomkit/zoomkit/webhook/queue"
	"github.com/zoomkit/zoomkit/webhook/queue/queuetest"
)

func TestMemoryConformance(t *testing.T) {
	t.Parallel()
	queuetest.Run(t, func(t *testing.T, now func() time.Time) queue.Queue { return queue.NewMemory(queue.WithClock(now)) })
}

func TestMemoryChangedWakesOnEnqueueAndSettle(t *testing.T) {
	t.Parallel()
	q := queue.NewMemory()
	ch := q.Changed()
	select {
	case <-ch:
		t.Fatal("Changed closed before any change")
	default:
	}
	if err := q.Enqueue(t.Context(), queue.Message{Key: "k", Body: []byte("{}")}); err != nil {
		t.Fatal(err)
	}
	select {
	case <-ch:
	default:
		t.Fatal("Enqueue did not close the Changed channel")
	}
	ds, err := q.Claim(t.Context(), 1, time.Minute)
	if err != nil || len(ds) != 1 {
		t.Fatalf("Claim = %d, %v", len(ds), err)
	}
	ch = q.Changed()
	if err := q.Ack(t.Context(), ds[0]); err != nil {
		t.Fatal(err)
	}
	select {
	case <-ch:
	default:
		t.Fatal("Ack did not close the Changed channel (it can unblock the key's next message)")
	}
	if q.Len() != 0 {
		t.Fatalf("Len = %d after Ack, want 0", q.Len())
	}
}
