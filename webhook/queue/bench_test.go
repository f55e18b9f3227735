package queue_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/zoomkit/zoomkit/webhook/queue"
	"github.com/zoomkit/zoomkit/webhook/queue/internal/workertest"
)

// BenchmarkAckLatency: Zoom's answer while every function takes 2 s, 200 events/s, on Memory.
func BenchmarkAckLatency(b *testing.B) {
	workertest.BenchAckLatency(b, queue.NewMemory(), 200, 2*time.Second)
}

// BenchmarkThroughput: Workers (8 functions of 5 ms each at a time) draining Memory.
func BenchmarkThroughput(b *testing.B) {
	for _, n := range []int{1, 2, 4} {
		b.Run(fmt.Sprintf("workers=%d", n), func(b *testing.B) {
			q := queue.NewMemory()
			workertest.BenchThroughput(b, func(*testing.B) queue.Queue { return q }, n, 5*time.Millisecond)
		})
	}
}
