package pgqueue_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/zoomkit/zoomkit/internal/servicetest/pgtest"
	"github.com/zoomkit/zoomkit/webhook/queue"
	"github.com/zoomkit/zoomkit/webhook/queue/internal/workertest"
	"github.com/zoomkit/zoomkit/webhook/queue/pgqueue"
)

// BenchmarkAckLatency: Zoom's answer while every function takes 2 s, 200 events/s, on PostgreSQL
// (the Handler's enqueue competes with the Workers' claims and acks for the database).
func BenchmarkAckLatency(b *testing.B) {
	db := pgtest.Open(b)
	db.SetMaxOpenConns(32)
	workertest.BenchAckLatency(b, newQueue(b, db), 200, 2*time.Second)
}

// BenchmarkThroughput: 1, 2 and 4 Workers, each with a connection pool of its own (as separate
// processes would have), draining one table with 8 functions of 5 ms each at a time.
func BenchmarkThroughput(b *testing.B) {
	for _, n := range []int{1, 2, 4} {
		b.Run(fmt.Sprintf("workers=%d", n), func(b *testing.B) {
			table := newQueue(b, pgtest.Open(b)).Table()
			workertest.BenchThroughput(b, func(b *testing.B) queue.Queue {
				db := pgtest.Open(b)
				db.SetMaxOpenConns(4)
				q, err := pgqueue.New(db, pgqueue.WithTable(table))
				require.NoError(b, err)
				return q
			}, n, 5*time.Millisecond)
		})
	}
}
