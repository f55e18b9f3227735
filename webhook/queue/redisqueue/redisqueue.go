// Package redisqueue is a queue.Queue on Redis (go-redis v9: a single server, Sentinel or Cluster
// through redis.UniversalClient), for webhook's asynchronous mode: messages are entries of a Redis
// Stream, dead letters entries of a second stream, and per-key order and claims are kept in
// sorted sets and hashes beside them. Every operation is one Lua script, so it is atomic.
//
// # Usage
//
//	client := redis.NewClient(&redis.Options{Addr: "localhost:6379"})
//	q, err := redisqueue.New(client, redisqueue.WithPrefix("myapp:zoom:"))
//	h, err := webhook.NewHandler(v, webhook.WithQueue(q))
//	w, err := webhook.NewWorker(h, q)
//
// # Keys
//
// With the prefix p (default DefaultPrefix), every key starts with the hash tag "{p}", so that all
// of a queue's keys are in one Cluster slot:
//
//	{p}s        stream of live messages (fields k: key, ts: event_ts ms, b: body, e: enqueued ms)
//	{p}d        stream of dead letters (the same fields, and id, n: attempts, err, at: dead ms)
//	{p}dx       hash: message id -> dead letter entry id
//	{p}r        sorted set: ordering key -> when the key may next be claimed (ms)
//	{p}k:{key}  sorted set per ordering key: its messages by event_ts, then id
//	{p}c        hash: ordering key -> the claim on it (token|message id)
//	{p}a, {p}e  hashes: message id -> attempts, last error
//
// # Claims, order and stuck deliveries
//
// A key is claimable when its time in {p}r has come; Claim takes the claimable keys (the oldest
// first), claims each key's earliest message with a new token, and pushes the key's time to the
// end of the visibility timeout. Ack and DeadLetter remove the message and make the key
// claimable at once; Nack makes it claimable after the retry delay. A claim whose worker died is
// not settled: when its visibility timeout passes the key is claimable again and its earliest
// message handed out anew (the role XAUTOCLAIM plays for a consumer group). A consumer group is
// not used because it hands out a stream's entries in arrival order to any consumer, which
// cannot keep a key's events in event_ts order nor one at a time.
//
// Time is the Redis server's (TIME, read inside each script), so replicas whose clocks disagree
// agree on deadlines; WithClock replaces it with an application clock, for tests.
//
// Redis without persistence loses queued events on restart: use AOF (appendfsync everysec or
// always) for a queue that must survive one.
package redisqueue

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/redis/go-redis/v9"

	"github.com/zoomkit/zoomkit/webhook/queue"
)

// DefaultPrefix is the default key prefix.
const DefaultPrefix = "zoomkit:webhook:"

// An Option configures a Queue.
type Option func(*Queue) error

// WithPrefix sets the prefix of the queue's keys (default DefaultPrefix): at most 256 bytes of
// printable characters without spaces or braces. Queues with different prefixes share nothing.
func WithPrefix(prefix string) Option {
	return func(q *Queue) error {
		if len(prefix) > 256 {
			return errors.New("redisqueue: key prefix longer than 256 bytes")
		}
		for _, r := range prefix {
			if !unicode.IsPrint(r) || unicode.IsSpace(r) || r == '{' || r == '}' || r == unicode.ReplacementChar {
				return fmt.Errorf("redisqueue: invalid key prefix %q: want printable characters without spaces or braces", prefix)
			}
		}
		q.prefix = prefix
		return nil
	}
}

// WithClock makes deadlines use now instead of the Redis server's clock. Every process sharing
// the queue must then use the same clock: use it in tests that move time by hand.
func WithClock(now func() time.Time) Option {
	return func(q *Queue) error {
		if now == nil {
			return errors.New("redisqueue: WithClock: nil clock")
		}
		q.now = now
		return nil
	}
}

// Queue is a queue.Queue on Redis. It is safe for concurrent use, and any number of Queues in any
// number of processes may share one prefix.
type Queue struct {
	c      redis.UniversalClient
	prefix string
	now    func() time.Time
}

var _ queue.Queue = (*Queue)(nil)

// New returns a Queue on c. It does not use the server.
func New(c redis.UniversalClient, opts ...Option) (*Queue, error) {
	if c == nil {
		return nil, errors.New("redisqueue: nil client")
	}
	q := &Queue{c: c, prefix: DefaultPrefix}
	for _, o := range opts {
		if o == nil {
			return nil, errors.New("redisqueue: nil Option")
		}
		if err := o(q); err != nil {
			return nil, err
		}
	}
	return q, nil
}

// base is the hash-tagged prefix of every key.
func (q *Queue) base() string { return "{" + q.prefix + "}" }

// keys returns the fixed keys of the queue, in the order the scripts expect them.
func (q *Queue) keys() []string {
	b := q.base()
	return []string{b + "s", b + "d", b + "dx", b + "r", b + "c", b + "a", b + "e"}
}

// clock returns ARGV[1] of every script: the application clock in ms, or "" for the server's.
func (q *Queue) clock() string {
	if q.now == nil {
		return ""
	}
	return strconv.FormatInt(q.now().UnixMilli(), 10)
}

// luaPrelude defines the keys, the clock and helpers. Per-key sets are named from ARGV[2], the
// hash-tagged base, so they are in the same slot as KEYS.
const luaPrelude = `
local S, D, DX, R, C, A, E = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7]
local now = tonumber(ARGV[1])
if not now then
	local t = redis.call('TIME')
	now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local base = ARGV[2]
local function kset(key) return base .. 'k:' .. key end
-- pad makes stream ids sort as strings: "ms-seq" -> 20 digits "-" 20 digits.
local function pad(id)
	local ms, seq = string.match(id, '^(%d+)%-(%d+)$')
	return string.rep('0', 20 - #ms) .. ms .. '-' .. string.rep('0', 20 - #seq) .. seq
end
local function unpad(p)
	local ms, seq = string.match(p, '^0*(%d-)%-0*(%d-)$')
	if ms == '' then ms = '0' end
	if seq == '' then seq = '0' end
	return ms .. '-' .. seq
end
local function fields(entry)
	local f = {}
	for i = 1, #entry[2], 2 do f[entry[2][i]] = entry[2][i + 1] end
	return f
end
-- next makes key claimable now if it has messages left, and forgets it otherwise.
local function next(key)
	if redis.call('ZCARD', kset(key)) > 0 then
		redis.call('ZADD', R, now, key)
	else
		redis.call('ZREM', R, key)
	end
end
-- owns checks that ARGV[3] (id) is claimed by ARGV[4] (token) on ARGV[5] (key).
local function owns()
	return redis.call('HGET', C, ARGV[5]) == ARGV[4] .. '|' .. ARGV[3]
end
`

var enqueueScript = redis.NewScript(luaPrelude + `
local id = redis.call('XADD', S, '*', 'k', ARGV[3], 'ts', ARGV[4], 'b', ARGV[5], 'e', now)
redis.call('ZADD', kset(ARGV[3]), tonumber(ARGV[4]), pad(id))
redis.call('ZADD', R, 'NX', now, ARGV[3])
return id
`)

// claimScript: ARGV[3] max, ARGV[4] visibility ms, ARGV[5] token.
var claimScript = redis.NewScript(luaPrelude + `
local max = tonumber(ARGV[3])
local cands = redis.call('ZRANGEBYSCORE', R, '-inf', now, 'LIMIT', 0, max * 10)
local heads = {}
for _, key in ipairs(cands) do
	local h = redis.call('ZRANGE', kset(key), 0, 0)
	if #h == 0 then
		redis.call('ZREM', R, key)
	else
		table.insert(heads, {key, h[1]})
	end
end
table.sort(heads, function(x, y) return x[2] < y[2] end)
local out = {}
for i = 1, math.min(max, #heads) do
	local key, id = heads[i][1], unpad(heads[i][2])
	local entry = redis.call('XRANGE', S, id, id)
	if #entry == 0 then
		redis.call('ZREM', kset(key), heads[i][2])
		next(key)
	else
		local f = fields(entry[1])
		local n = redis.call('HINCRBY', A, id, 1)
		redis.call('HSET', C, key, ARGV[5] .. '|' .. id)
		redis.call('ZADD', R, now + tonumber(ARGV[4]), key)
		local lastErr = redis.call('HGET', E, id) or ''
		table.insert(out, {id, key, f.ts, f.b, n, lastErr, f.e})
	end
end
return out
`)

// settle scripts: ARGV[3] id, ARGV[4] token, ARGV[5] key.
var ackScript = redis.NewScript(luaPrelude + `
if not owns() then return 0 end
redis.call('XDEL', S, ARGV[3])
redis.call('ZREM', kset(ARGV[5]), pad(ARGV[3]))
redis.call('HDEL', A, ARGV[3])
redis.call('HDEL', E, ARGV[3])
redis.call('HDEL', C, ARGV[5])
next(ARGV[5])
return 1
`)

// ARGV[6] delay ms, ARGV[7] error.
var nackScript = redis.NewScript(luaPrelude + `
if not owns() then return 0 end
redis.call('HDEL', C, ARGV[5])
redis.call('HSET', E, ARGV[3], ARGV[7])
redis.call('ZADD', R, now + tonumber(ARGV[6]), ARGV[5])
return 1
`)

// ARGV[6] error.
var deadScript = redis.NewScript(luaPrelude + `
if not owns() then return 0 end
local id = ARGV[3]
local entry = redis.call('XRANGE', S, id, id)
if #entry == 0 then return 0 end
local f = fields(entry[1])
local n = redis.call('HGET', A, id) or '0'
local did = redis.call('XADD', D, '*', 'id', id, 'k', f.k, 'ts', f.ts, 'b', f.b, 'e', f.e, 'n', n, 'err', ARGV[6], 'at', now)
redis.call('HSET', DX, id, did)
redis.call('XDEL', S, id)
redis.call('ZREM', kset(ARGV[5]), pad(id))
redis.call('HDEL', A, id)
redis.call('HDEL', E, id)
redis.call('HDEL', C, ARGV[5])
next(ARGV[5])
return 1
`)

// ARGV[3] id.
var replayScript = redis.NewScript(luaPrelude + `
local did = redis.call('HGET', DX, ARGV[3])
if not did then return 0 end
local entry = redis.call('XRANGE', D, did, did)
redis.call('HDEL', DX, ARGV[3])
redis.call('XDEL', D, did)
if #entry == 0 then return 0 end
local f = fields(entry[1])
local id = redis.call('XADD', S, '*', 'k', f.k, 'ts', f.ts, 'b', f.b, 'e', f.e)
redis.call('ZADD', kset(f.k), tonumber(f.ts), pad(id))
redis.call('ZADD', R, 'NX', now, f.k)
return 1
`)

func (q *Queue) run(ctx context.Context, s *redis.Script, args ...any) (any, error) {
	return s.Run(ctx, q.c, q.keys(), append([]any{q.clock(), q.base()}, args...)...).Result()
}

func wrap(op string, err error) error { return fmt.Errorf("redisqueue: %s: %w", op, err) }

// Enqueue implements queue.Queue.
func (q *Queue) Enqueue(ctx context.Context, m queue.Message) error {
	if err := queue.CheckMessage(m); err != nil {
		return err
	}
	if _, err := q.run(ctx, enqueueScript, m.Key, m.EventTS.UnixMilli(), m.Body); err != nil {
		return wrap("enqueue", err)
	}
	return nil
}

// Claim implements queue.Queue.
func (q *Queue) Claim(ctx context.Context, max int, visibility time.Duration) ([]queue.Delivery, error) {
	if err := queue.CheckClaim(max, visibility); err != nil {
		return nil, err
	}
	token := queue.NewToken()
	res, err := q.run(ctx, claimScript, max, visibility.Milliseconds(), token)
	if err != nil {
		return nil, wrap("claim", err)
	}
	rows, _ := res.([]any)
	out := make([]queue.Delivery, 0, len(rows))
	for _, r := range rows {
		f, ok := r.([]any)
		if !ok || len(f) != 7 {
			return nil, errors.New("redisqueue: claim: unexpected reply")
		}
		d := queue.Delivery{ID: str(f[0]), Key: str(f[1]), EventTS: millis(str(f[2])), Body: []byte(str(f[3])),
			LastError: str(f[5]), EnqueuedAt: millis(str(f[6])), Token: token}
		n, _ := f[4].(int64)
		d.Attempt = int(n)
		out = append(out, d)
	}
	return out, nil
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

func millis(s string) time.Time {
	ms, _ := strconv.ParseInt(s, 10, 64)
	return time.UnixMilli(ms).UTC()
}

func (q *Queue) settle(ctx context.Context, op string, s *redis.Script, d queue.Delivery, args ...any) error {
	if d.Token == "" || d.ID == "" || strings.ContainsAny(d.Token, "|") {
		return queue.ErrNotClaimed
	}
	res, err := q.run(ctx, s, append([]any{d.ID, d.Token, d.Key}, args...)...)
	if err != nil {
		return wrap(op, err)
	}
	if n, _ := res.(int64); n != 1 {
		return queue.ErrNotClaimed
	}
	return nil
}

// Ack implements queue.Queue.
func (q *Queue) Ack(ctx context.Context, d queue.Delivery) error {
	return q.settle(ctx, "ack", ackScript, d)
}

// Nack implements queue.Queue.
func (q *Queue) Nack(ctx context.Context, d queue.Delivery, retryAfter time.Duration, errText string) error {
	if retryAfter < 0 {
		return fmt.Errorf("%w: negative retry delay", queue.ErrInvalidArgument)
	}
	return q.settle(ctx, "nack", nackScript, d, retryAfter.Milliseconds(), errText)
}

// DeadLetter implements queue.Queue.
func (q *Queue) DeadLetter(ctx context.Context, d queue.Delivery, errText string) error {
	return q.settle(ctx, "dead-letter", deadScript, d, errText)
}

// DeadLetters implements queue.Queue.
func (q *Queue) DeadLetters(ctx context.Context, limit int) ([]queue.DeadLetter, error) {
	if limit <= 0 {
		return nil, fmt.Errorf("%w: limit must be positive", queue.ErrInvalidArgument)
	}
	entries, err := q.c.XRangeN(ctx, q.base()+"d", "-", "+", int64(limit)).Result()
	if err != nil {
		return nil, wrap("dead letters", err)
	}
	out := make([]queue.DeadLetter, 0, len(entries))
	for _, e := range entries {
		f := func(k string) string { return str(e.Values[k]) }
		n, _ := strconv.Atoi(f("n"))
		out = append(out, queue.DeadLetter{
			ID: f("id"), Key: f("k"), EventTS: millis(f("ts")), Body: []byte(f("b")), Attempts: n,
			Error: f("err"), EnqueuedAt: millis(f("e")), DeadAt: millis(f("at")),
		})
	}
	return out, nil
}

// Replay implements queue.Queue.
func (q *Queue) Replay(ctx context.Context, id string) error {
	res, err := q.run(ctx, replayScript, id)
	if err != nil {
		return wrap("replay", err)
	}
	if n, _ := res.(int64); n != 1 {
		return queue.ErrNotFound
	}
	return nil
}

// Live returns how many messages are queued or claimed (dead letters not included).
func (q *Queue) Live(ctx context.Context) (int, error) {
	n, err := q.c.XLen(ctx, q.base()+"s").Result()
	if err != nil {
		return 0, wrap("live", err)
	}
	return int(n), nil
}
