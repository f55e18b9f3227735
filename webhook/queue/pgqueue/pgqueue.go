// Package pgqueue is a queue.Queue on PostgreSQL, for webhook's asynchronous mode: one table,
// claimed with SELECT ... FOR UPDATE SKIP LOCKED, with a visibility timeout, attempts, a
// dead-letter state and per-key ordering. It takes a *sql.DB the application opened (pgx's
// stdlib driver, or lib/pq) and imports no driver itself.
//
// # Usage
//
//	db, err := sql.Open("pgx", dsn)
//	q, err := pgqueue.New(db)                    // table zoomkit_webhook_queue; WithTable names another
//	if err := q.Migrate(ctx); err != nil { ... } // once, at startup
//	h, err := webhook.NewHandler(v, webhook.WithQueue(q))
//	w, err := webhook.NewWorker(h, q)
//
// # Schema
//
// Migrate creates the table (and its indexes) if it does not exist. One row per message:
//
//	id          BIGSERIAL PRIMARY KEY  enqueue order
//	key         TEXT     ordering key
//	event_ts    BIGINT   event_ts, milliseconds since the Unix epoch
//	body        BYTEA    the raw verified event
//	attempts    INTEGER  claims so far
//	last_error  TEXT     error of the last failed attempt
//	enqueued_at BIGINT   milliseconds since the Unix epoch
//	visible_at  BIGINT   claimable from then on (claims and retry delays push it forward)
//	token       TEXT     the current claim's token, or NULL
//	dead        BOOLEAN  dead-lettered
//	dead_at     BIGINT   when it was dead-lettered
//	dead_error  TEXT     the error it was dead-lettered with
//
// An acked message is deleted; a dead letter stays, with dead set, until it is replayed or
// deleted by hand (DELETE FROM zoomkit_webhook_queue WHERE dead AND dead_at < ...).
//
// # Claims and order
//
// A claim is a short transaction. Its first statement picks among the oldest live messages that
// are visible and are the earliest (event_ts, id) of their key while no other message of that key
// is claimed or waiting for a retry, takes a transaction-scoped advisory lock per key
// (pg_try_advisory_xact_lock, skipping keys another claim is taking) and locks the rows FOR
// UPDATE SKIP LOCKED (so concurrent claims never wait on one another nor take the same row). Its second statement
// re-checks those conditions on a fresh snapshot, which sees every claim of the key that
// committed before, and marks the messages claimed with a new token and a visibility deadline.
// So at most one message per key is claimed at a time, even when an earlier event of the key is
// queued while a later one is being claimed. No lock is held while a function runs.
//
// Time is the database's (now()), so replicas whose clocks disagree still agree on visibility
// deadlines; WithClock replaces it with an application clock, for tests.
package pgqueue

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/zoomkit/zoomkit/webhook/queue"
)

// DefaultTable is the default table name.
const DefaultTable = "zoomkit_webhook_queue"

// identRE matches the table names accepted by WithTable: an SQL identifier, optionally qualified
// by a schema. The name is interpolated into SQL, so nothing else is accepted.
var identRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]{0,50}(\.[A-Za-z_][A-Za-z0-9_]{0,50})?$`)

// An Option configures a Queue.
type Option func(*Queue) error

// WithTable sets the table name (default DefaultTable): an SQL identifier of letters, digits and
// underscores, at most 51 characters (index names add a suffix), optionally schema-qualified
// ("myschema.events"). It is used unquoted, so PostgreSQL folds it to lower case.
func WithTable(name string) Option {
	return func(q *Queue) error {
		if !identRE.MatchString(name) {
			return fmt.Errorf("pgqueue: invalid table name %q: want letters, digits and underscores, optionally schema-qualified", name)
		}
		q.table = name
		return nil
	}
}

// WithClock makes visibility and retry deadlines use now instead of the database's clock. Every
// process sharing the table must then use the same clock: use it in tests that move time by hand.
func WithClock(now func() time.Time) Option {
	return func(q *Queue) error {
		if now == nil {
			return errors.New("pgqueue: WithClock: nil clock")
		}
		q.now = now
		return nil
	}
}

// Queue is a queue.Queue in a PostgreSQL table. It is safe for concurrent use, and any number of
// Queues in any number of processes may share one table.
type Queue struct {
	db    *sql.DB
	table string
	now   func() time.Time

	create                                              []string
	enqueue, pick, claim, ack, nack, dead, list, replay string
}

var _ queue.Queue = (*Queue)(nil)

// New returns a Queue in a table of db. The table must exist: call Migrate once, for instance
// when the application starts. New does not use the database.
func New(db *sql.DB, opts ...Option) (*Queue, error) {
	if db == nil {
		return nil, errors.New("pgqueue: nil *sql.DB")
	}
	q := &Queue{db: db, table: DefaultTable}
	for _, o := range opts {
		if o == nil {
			return nil, errors.New("pgqueue: nil Option")
		}
		if err := o(q); err != nil {
			return nil, err
		}
	}
	bare := q.table[strings.LastIndexByte(q.table, '.')+1:]
	r := strings.NewReplacer(
		"{t}", q.table,
		"{i}", bare,
		// $1 of every statement is the application clock, or NULL for the database's.
		"{now}", "COALESCE(CAST($1 AS BIGINT), CAST(EXTRACT(EPOCH FROM now()) * 1000 AS BIGINT))",
	).Replace
	q.create = []string{
		r(`CREATE TABLE IF NOT EXISTS {t} (
	id          BIGSERIAL PRIMARY KEY,
	key         TEXT NOT NULL,
	event_ts    BIGINT NOT NULL,
	body        BYTEA NOT NULL,
	attempts    INTEGER NOT NULL DEFAULT 0,
	last_error  TEXT,
	enqueued_at BIGINT NOT NULL,
	visible_at  BIGINT NOT NULL,
	token       TEXT,
	dead        BOOLEAN NOT NULL DEFAULT FALSE,
	dead_at     BIGINT,
	dead_error  TEXT
)`),
		r(`CREATE INDEX IF NOT EXISTS {i}_key ON {t} (key, event_ts, id) WHERE NOT dead`),
		r(`CREATE INDEX IF NOT EXISTS {i}_visible ON {t} (visible_at, id) WHERE NOT dead`),
		r(`CREATE INDEX IF NOT EXISTS {i}_dead ON {t} (dead_at, id) WHERE dead`),
	}
	q.enqueue = r(`INSERT INTO {t} (key, event_ts, body, enqueued_at, visible_at) VALUES ($2, $3, $4, {now}, {now})`)
	// A claim is a transaction of two statements. The first picks the candidates (heads of
	// their keys, nothing of the key in flight), locks their rows FOR UPDATE SKIP LOCKED and
	// takes a transaction-scoped advisory lock per key, skipping keys another claim holds. The
	// second claims them, re-checking the key with a snapshot taken after the locks: a claim
	// of another row of the key that committed before is then visible.
	const head = `NOT EXISTS (
		SELECT 1 FROM {t} o
		WHERE o.key = m.key AND NOT o.dead AND o.id <> m.id
		AND (o.visible_at > {now} OR o.event_ts < m.event_ts OR (o.event_ts = m.event_ts AND o.id < m.id))
	)`
	// The advisory locks are taken on a few candidates only (never on every key with a claimable
	// message, which would make concurrent claims skip them all).
	q.pick = r(`WITH cand AS MATERIALIZED (
	SELECT m.id, m.key FROM {t} m
	WHERE NOT m.dead AND m.visible_at <= {now} AND ` + head + `
	ORDER BY m.id
	LIMIT 4 * CAST($2 AS INTEGER)
)
SELECT t.id FROM cand JOIN {t} t ON t.id = cand.id
WHERE pg_try_advisory_xact_lock(hashtextextended('{t}:' || cand.key, 0))
LIMIT $2
FOR UPDATE OF t SKIP LOCKED`)
	q.claim = r(`UPDATE {t} m SET attempts = m.attempts + 1, visible_at = {now} + $2, token = $3
WHERE m.id = ANY(CAST(string_to_array($4, ',') AS BIGINT[])) AND NOT m.dead AND m.visible_at <= {now} AND ` + head + `
RETURNING m.id, m.key, m.event_ts, m.body, m.attempts, m.last_error, m.enqueued_at`)
	q.ack = r(`DELETE FROM {t} WHERE id = $1 AND token = $2 AND NOT dead`)
	q.nack = r(`UPDATE {t} SET token = NULL, visible_at = {now} + $4, last_error = $5 WHERE id = $2 AND token = $3 AND NOT dead`)
	q.dead = r(`UPDATE {t} SET token = NULL, dead = TRUE, dead_at = {now}, dead_error = $4 WHERE id = $2 AND token = $3 AND NOT dead`)
	q.list = r(`SELECT id, key, event_ts, body, attempts, dead_error, enqueued_at, dead_at FROM {t}
WHERE dead ORDER BY dead_at, id LIMIT $1`)
	q.replay = r(`UPDATE {t} SET dead = FALSE, dead_at = NULL, dead_error = NULL, last_error = NULL, attempts = 0,
	token = NULL, visible_at = {now} WHERE id = $2 AND dead`)
	return q, nil
}

// Table returns the name of the queue's table.
func (q *Queue) Table() string { return q.table }

// Migrate creates the table and its indexes if they do not exist. It is idempotent, and safe to
// call from several processes at once.
func (q *Queue) Migrate(ctx context.Context) error {
	tx, err := q.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("pgqueue: migrate %s: %w", q.table, err)
	}
	defer tx.Rollback() //nolint:errcheck // after Commit, Rollback is a no-op
	// Concurrent CREATE ... IF NOT EXISTS can fail in PostgreSQL: serialize migrations.
	if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(hashtext('zoomkit/pgqueue.migrate'))`); err != nil {
		return fmt.Errorf("pgqueue: migrate %s: %w", q.table, err)
	}
	for _, s := range q.create {
		if _, err := tx.ExecContext(ctx, s); err != nil {
			return fmt.Errorf("pgqueue: migrate %s: %w", q.table, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("pgqueue: migrate %s: %w", q.table, err)
	}
	return nil
}

// clock returns $1 of every statement: the application clock in milliseconds, or nil.
func (q *Queue) clock() any {
	if q.now == nil {
		return nil
	}
	return q.now().UnixMilli()
}

func (q *Queue) errorf(op string, err error) error {
	return fmt.Errorf("pgqueue: %s: %w", op, err)
}

// Enqueue implements queue.Queue.
func (q *Queue) Enqueue(ctx context.Context, m queue.Message) error {
	if err := queue.CheckMessage(m); err != nil {
		return err
	}
	if _, err := q.db.ExecContext(ctx, q.enqueue, q.clock(), m.Key, m.EventTS.UnixMilli(), m.Body); err != nil {
		return q.errorf("enqueue", err)
	}
	return nil
}

// Claim implements queue.Queue.
func (q *Queue) Claim(ctx context.Context, max int, visibility time.Duration) ([]queue.Delivery, error) {
	if err := queue.CheckClaim(max, visibility); err != nil {
		return nil, err
	}
	tx, err := q.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, q.errorf("claim", err)
	}
	defer tx.Rollback() //nolint:errcheck // after Commit, Rollback is a no-op
	now := q.clock()
	ids, err := pickIDs(ctx, tx, q.pick, now, max)
	if err != nil {
		return nil, q.errorf("claim", err)
	}
	if len(ids) == 0 {
		return nil, nil // the transaction is rolled back: it changed nothing
	}
	token := queue.NewToken()
	rows, err := tx.QueryContext(ctx, q.claim, now, visibility.Milliseconds(), token, strings.Join(ids, ","))
	if err != nil {
		return nil, q.errorf("claim", err)
	}
	defer rows.Close()
	var out []queue.Delivery
	for rows.Next() {
		var (
			id, ts, enq int64
			d           queue.Delivery
			lastErr     sql.NullString
		)
		if err := rows.Scan(&id, &d.Key, &ts, &d.Body, &d.Attempt, &lastErr, &enq); err != nil {
			return nil, q.errorf("claim", err)
		}
		d.ID, d.EventTS, d.LastError, d.EnqueuedAt, d.Token = strconv.FormatInt(id, 10), millis(ts), lastErr.String, millis(enq), token
		out = append(out, d)
	}
	if err := rows.Err(); err != nil {
		return nil, q.errorf("claim", err)
	}
	if err := tx.Commit(); err != nil {
		return nil, q.errorf("claim", err)
	}
	// The statement returns rows in no particular order: hand them out oldest first.
	sortByID(out)
	return out, nil
}

// pickIDs runs the first statement of a claim.
func pickIDs(ctx context.Context, tx *sql.Tx, pick string, now any, max int) ([]string, error) {
	rows, err := tx.QueryContext(ctx, pick, now, max)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, strconv.FormatInt(id, 10))
	}
	return ids, rows.Err()
}

// settle runs an Ack, Nack or DeadLetter statement and reports ErrNotClaimed when no row matched.
// Statements other than Ack take the clock as $1.
func (q *Queue) settle(ctx context.Context, op, stmt string, d queue.Delivery, args ...any) error {
	id, err := strconv.ParseInt(d.ID, 10, 64)
	if err != nil || d.Token == "" {
		return queue.ErrNotClaimed
	}
	all := []any{id, d.Token}
	if stmt != q.ack {
		all = append([]any{q.clock()}, all...)
	}
	res, err := q.db.ExecContext(ctx, stmt, append(all, args...)...)
	if err != nil {
		return q.errorf(op, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return q.errorf(op, err)
	}
	if n == 0 {
		return queue.ErrNotClaimed
	}
	return nil
}

// Ack implements queue.Queue.
func (q *Queue) Ack(ctx context.Context, d queue.Delivery) error {
	return q.settle(ctx, "ack", q.ack, d)
}

// Nack implements queue.Queue.
func (q *Queue) Nack(ctx context.Context, d queue.Delivery, retryAfter time.Duration, errText string) error {
	if retryAfter < 0 {
		return fmt.Errorf("%w: negative retry delay", queue.ErrInvalidArgument)
	}
	return q.settle(ctx, "nack", q.nack, d, retryAfter.Milliseconds(), errText)
}

// DeadLetter implements queue.Queue.
func (q *Queue) DeadLetter(ctx context.Context, d queue.Delivery, errText string) error {
	return q.settle(ctx, "dead-letter", q.dead, d, errText)
}

// DeadLetters implements queue.Queue.
func (q *Queue) DeadLetters(ctx context.Context, limit int) ([]queue.DeadLetter, error) {
	if limit <= 0 {
		return nil, fmt.Errorf("%w: limit must be positive", queue.ErrInvalidArgument)
	}
	rows, err := q.db.QueryContext(ctx, q.list, limit)
	if err != nil {
		return nil, q.errorf("dead letters", err)
	}
	defer rows.Close()
	var out []queue.DeadLetter
	for rows.Next() {
		var (
			id, ts, enq, deadAt int64
			l                   queue.DeadLetter
			errText             sql.NullString
		)
		if err := rows.Scan(&id, &l.Key, &ts, &l.Body, &l.Attempts, &errText, &enq, &deadAt); err != nil {
			return nil, q.errorf("dead letters", err)
		}
		l.ID, l.EventTS, l.Error, l.EnqueuedAt, l.DeadAt = strconv.FormatInt(id, 10), millis(ts), errText.String, millis(enq), millis(deadAt)
		out = append(out, l)
	}
	if err := rows.Err(); err != nil {
		return nil, q.errorf("dead letters", err)
	}
	return out, nil
}

// Replay implements queue.Queue.
func (q *Queue) Replay(ctx context.Context, id string) error {
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil {
		return queue.ErrNotFound
	}
	res, err := q.db.ExecContext(ctx, q.replay, q.clock(), n)
	if err != nil {
		return q.errorf("replay", err)
	}
	if k, err := res.RowsAffected(); err != nil {
		return q.errorf("replay", err)
	} else if k == 0 {
		return queue.ErrNotFound
	}
	return nil
}

func millis(ms int64) time.Time { return time.UnixMilli(ms).UTC() }

func sortByID(ds []queue.Delivery) {
	slices.SortFunc(ds, func(a, b queue.Delivery) int {
		x, _ := strconv.ParseInt(a.ID, 10, 64)
		y, _ := strconv.ParseInt(b.ID, 10, 64)
		return cmp.Compare(x, y)
	})
}
