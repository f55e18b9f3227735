// Package queue defines the durable queue behind webhook's asynchronous mode: the Handler writes
// each verified event to a Queue and answers Zoom at once, and a webhook.Worker claims events from
// it and runs the registered functions.
//
// This package holds the interface, an in-memory implementation (Memory, for tests and
// single-process apps) and, in queuetest, the conformance suite every implementation runs. Queues
// on real engines live in their own packages: pgqueue (PostgreSQL) and redisqueue (Redis Streams).
// It imports no database driver.
//
// # Semantics
//
// A message is enqueued with an ordering key and its event_ts. Claim hands out messages with a
// visibility timeout: until it passes, or until the claim is acked, nacked or dead-lettered, no
// other Claim returns that message. A claim whose timeout passed (the worker died or stalled) is
// handed out again: delivery is at least once.
//
// Per-key order: at most one message of a key is claimed at a time, and it is the key's earliest
// live message (by event_ts, then by enqueue order). A key whose earliest message waits for a
// retry (Nack with a delay) waits with it, so later events of the key are never handled before an
// earlier one that is being retried. A dead-lettered message leaves its key, and the next one
// proceeds. Different keys are independent.
//
// Each Claim counts an attempt (Delivery.Attempt), including claims that end in a crash or a
// release: a message that kills its worker every time is dead-lettered eventually rather than
// retried for ever.
package queue

import (
	"context"
	"errors"
	"time"
)

// Errors returned by queues. Match them with errors.Is.
var (
	// ErrNotClaimed reports an Ack, Nack or DeadLetter for a claim that is no longer held: its
	// visibility timeout passed and another Claim took the message, or it was already settled.
	ErrNotClaimed = errors.New("queue: message is not claimed by this delivery")
	// ErrNotFound reports a Replay of a dead letter that does not exist.
	ErrNotFound = errors.New("queue: no such dead letter")
	// ErrInvalidArgument reports an unusable argument: an empty key or body, a non-positive visibility
	// timeout or claim size, a negative delay.
	ErrInvalidArgument = errors.New("queue: invalid argument")
)

// A Message is what is enqueued: one verified event.
type Message struct {
	// Key orders messages: those with the same key are handed out one at a time, in EventTS order.
	Key string
	// EventTS is the event's event_ts (the zero time when the event had none).
	EventTS time.Time
	// Body is the raw verified event body. It may hold secrets (a download_token): queues store it
	// as is and never put it in errors or logs.
	Body []byte
}

// A Delivery is a claimed message.
type Delivery struct {
	// ID identifies the message in its queue.
	ID string
	// Key, EventTS and Body are the message as enqueued.
	Key     string
	EventTS time.Time
	Body    []byte
	// Attempt counts the claims of this message, this one included (1 on the first).
	Attempt int
	// LastError is the error text of the previous attempt's Nack ("" on the first attempt).
	LastError string
	// EnqueuedAt is when the message was enqueued, by the queue's clock.
	EnqueuedAt time.Time
	// Token identifies this claim; Ack, Nack and DeadLetter check it, so that a worker whose claim
	// expired cannot settle the message another worker claimed since.
	Token string
}

// A DeadLetter is a message that was given up on.
type DeadLetter struct {
	// ID identifies the dead letter (the message's ID); pass it to Replay.
	ID      string
	Key     string
	EventTS time.Time
	Body    []byte
	// Attempts is how many times the message was claimed.
	Attempts int
	// Error is the error of the last attempt.
	Error string
	// EnqueuedAt is when the message was first enqueued; DeadAt when it was dead-lettered.
	EnqueuedAt time.Time
	DeadAt     time.Time
}

// A Queue is a durable queue of webhook events with per-key ordering (see the package
// documentation). Implementations are safe for concurrent use, and any number of processes may
// share one queue. Errors never contain message bodies.
type Queue interface {
	// Enqueue adds m. When it returns nil the message is stored durably (as durably as the engine).
	Enqueue(ctx context.Context, m Message) error
	// Claim returns up to max claimable messages (none when there are none: it does not wait), each
	// hidden from other claims for visibility.
	Claim(ctx context.Context, max int, visibility time.Duration) ([]Delivery, error)
	// Ack removes a handled message.
	Ack(ctx context.Context, d Delivery) error
	// Nack ends the claim: the message is claimable again after retryAfter (0: at once), and
	// errText becomes its LastError.
	Nack(ctx context.Context, d Delivery, retryAfter time.Duration, errText string) error
	// DeadLetter moves the message to the dead letters with errText.
	DeadLetter(ctx context.Context, d Delivery, errText string) error
	// DeadLetters lists up to limit dead letters, oldest first.
	DeadLetters(ctx context.Context, limit int) ([]DeadLetter, error)
	// Replay moves a dead letter back to the queue, claimable at once, with its attempts reset.
	Replay(ctx context.Context, id string) error
}

// A Notifier is a Queue that can tell waiting workers when a message may have become claimable
// (Memory is one). Workers of queues without it poll.
type Notifier interface {
	// Changed returns a channel closed at the next change that may make a message claimable.
	Changed() <-chan struct{}
}
