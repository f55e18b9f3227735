package queue_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

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
	require.NoError(t, q.Enqueue(t.Context(), queue.Message{Key: "k", Body: []byte("{}")}))
	select {
	case <-ch:
	default:
		t.Fatal("Enqueue did not close the Changed channel")
	}
	ds, err := q.Claim(t.Context(), 1, time.Minute)
	require.NoError(t, err, "Claim")
	require.Len(t, ds, 1, "Claim")
	ch = q.Changed()
	require.NoError(t, q.Ack(t.Context(), ds[0]))
	select {
	case <-ch:
	default:
		t.Fatal("Ack did not close the Changed channel (it can unblock the key's next message)")
	}
	require.Equal(t, 0, q.Len(), "Len after Ack")
}
