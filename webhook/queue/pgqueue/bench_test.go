package pgqueue_test

import (
	"testing"
	"time"

	"github.com/zoomkit/zoomkit/internal/servicetest/pgtest"
	"github.com/zoomkit/zoomkit/webhook/queue/internal/workertest"
)

// BenchmarkAckLatency: Zoom's answer while every function takes 2 s, 200 events/s, on PostgreSQL
// (the Handler's enqueue competes with the Workers' claims and acks for the database).
func BenchmarkAckLatency(b *testing.B) {
	db := pgtest.Open(b)
	db.SetMaxOpenConns(32)
	workertest.BenchAckLatency(b, newQueue(b, db), 200, 2*time.Second)
}
