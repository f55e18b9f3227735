package redisqueue_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/zoomkit/zoomkit/internal/servicetest/redistest"
	"github.com/zoomkit/zoomkit/webhook/queue"
	"github.com/zoomkit/zoomkit/webhook/queue/internal/workertest"
	"github.com/zoomkit/zoomkit/webhook/queue/redisqueue"
)

// BenchmarkAckLatency: Zoom's answer while every function takes 2 s, 200 events/s, on Redis.
func BenchmarkAckLatency(b *testing.B) {
	workertest.BenchAckLatency(b, newQueue(b), 200, 2*time.Second)
}

// BenchmarkThroughput: 1, 2 and 4 Workers, each with a client of its own (as separate processes
// would have), draining one queue with 8 functions of 5 ms each at a time.
func BenchmarkThroughput(b *testing.B) {
	for _, n := range []int{1, 2, 4} {
		b.Run(fmt.Sprintf("workers=%d", n), func(b *testing.B) {
			prefix := uniquePrefix(b)
			workertest.BenchThroughput(b, func(b *testing.B) queue.Queue {
				q, err := redisqueue.New(redistest.Open(b), redisqueue.WithPrefix(prefix))
				require.NoError(b, err)
				return q
			}, n, 5*time.Millisecond)
		})
	}
}
