package queue_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/zoomkit/zoomkit/webhook/queue"
)

// The Memory queue takes its clock as the other queues, stores and the
// webhook package do: a WithClock option with a func() time.Time (one
// clock shape, issue 18). Visibility deadlines follow that clock.
func TestMemoryWithClock(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)
	q := queue.NewMemory(queue.WithClock(func() time.Time { return now }))
	require.NoError(t, q.Enqueue(t.Context(), queue.Message{Key: "k", Body: []byte("{}")}))
	ds, err := q.Claim(t.Context(), 1, time.Minute)
	require.NoError(t, err)
	require.Len(t, ds, 1)
	ds, err = q.Claim(t.Context(), 1, time.Minute)
	require.NoError(t, err)
	assert.Empty(t, ds, "claimed again before its visibility deadline")
	now = now.Add(2 * time.Minute)
	ds, err = q.Claim(t.Context(), 1, time.Minute)
	require.NoError(t, err)
	assert.Len(t, ds, 1, "not claimable again after the deadline on the queue's clock")

	assert.Panics(t, func() { queue.NewMemory(queue.WithClock(nil)) })
	assert.NotNil(t, queue.NewMemory(), "time.Now without options")
}
