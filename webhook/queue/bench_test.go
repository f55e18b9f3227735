package queue_test

import (
	"testing"
	"time"

	"github.com/zoomkit/zoomkit/webhook/queue"
	"github.com/zoomkit/zoomkit/webhook/queue/internal/workertest"
)

// BenchmarkAckLatency: Zoom's answer while every function takes 2 s, 200 events/s, on Memory.
func BenchmarkAckLatency(b *testing.B) {
	workertest.BenchAckLatency(b, queue.NewMemory(nil), 200, 2*time.Second)
}
