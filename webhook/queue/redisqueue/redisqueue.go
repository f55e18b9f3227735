// Package redisqueue is a queue.Queue on Redis Streams (go-redis v9: a single server, Sentinel or
// Cluster through redis.UniversalClient), for webhook's asynchronous mode. Every operation is one
// Lua script, so it is atomic.
//
// # Usage
//
//	client := redis.NewClient(&redis.Options{Addr: "localhost:6379"})
//	q, err := redisqueue.New(client, redisqueue.WithPrefix("myapp:zoom:"))
//	h, err := webhook.NewHandler(v, webhook.WithQueue(q))
//	w, err := webhook.NewWorker(h, q)
//
// # Design
//
// Messages are entries of a stream, kept per ordering key in a sorted set by event_ts. A stream
// read by a consumer group does not by itself keep a key's events in order, nor one at a time: it
// hands out entries in arrival order to any consumer. So the group reads a second stream of
// turns: a key with messages has exactly one turn, either an entry of the turn stream or a retry
// time. Claim reads new turns with XREADGROUP (one consumer per Queue, in the group of the app,
// WithGroup), takes stuck turns over with XAUTOCLAIM once they were idle for the visibility
// timeout (their worker died or stalled), and claims each turn's key's earliest message. Ack and
// DeadLetter acknowledge and delete the turn and add the key's next one; Nack adds it at once, or
// after the retry delay. Dead letters are entries of a third stream.
//
// XAUTOCLAIM measures idleness with the visibility timeout of the Claim that finds the stuck
// turn: give every Worker on a queue the same visibility timeout. Each Queue joins the group
// under a name of its own (Consumer); PruneConsumers removes stopped ones.
//
// # Keys
//
// With the prefix p (default DefaultPrefix), every key starts with the hash tag "{p}", so that all
// of a queue's keys are in one Cluster slot:
//
//	{p}s        stream of messages (fields k: key, ts: event_ts ms, b: body, e: enqueued ms)
//	{p}k:{key}  sorted set per ordering key: its messages by event_ts, then id
//	{p}q        stream of turns (field k: key), read by the consumer group
//	{p}t        hash: ordering key -> its turn's entry id, or "d" while it waits for a retry
//	{p}r        sorted set: ordering key -> its retry time (ms)
//	{p}c        hash: ordering key -> the claim on it (token|message id|turn id|deadline)
//	{p}a, {p}e  hashes: message id -> attempts, last error
//	{p}x        XAUTOCLAIM's cursor
//	{p}d        stream of dead letters (the message's fields, and id, n: attempts, err, at: dead ms)
//	{p}dx       hash: message id -> dead letter entry id
//
// Time is the Redis server's (TIME, read inside each script, and XAUTOCLAIM's idle times), so
// replicas whose clocks disagree agree on deadlines. WithClock replaces it with an application
// clock, for tests: stuck turns are then found by their recorded deadlines instead of XAUTOCLAIM.
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

// DefaultGroup is the default consumer group name.
const DefaultGroup = "zoomkit"

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

// WithGroup sets the name of the consumer group that reads the queue's turns (default
// DefaultGroup): 1 to 64 printable characters without spaces. Every Queue on one prefix must use
// the same group; two apps use two prefixes.
func WithGroup(name string) Option {
	return func(q *Queue) error {
		if name == "" || len(name) > 64 || strings.IndexFunc(name, func(r rune) bool { return !unicode.IsPrint(r) || unicode.IsSpace(r) }) >= 0 {
			return fmt.Errorf("redisqueue: invalid consumer group name %q", name)
		}
		q.group = name
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
	c        redis.UniversalClient
	prefix   string
	group    string
	consumer string
	now      func() time.Time
}

var _ queue.Queue = (*Queue)(nil)

// New returns a Queue on c. It does not use the server.
func New(c redis.UniversalClient, opts ...Option) (*Queue, error) {
	if c == nil {
		return nil, errors.New("redisqueue: nil client")
	}
	q := &Queue{c: c, prefix: DefaultPrefix, group: DefaultGroup, consumer: "c-" + queue.NewToken()}
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
	return []string{b + "s", b + "d", b + "dx", b + "r", b + "c", b + "a", b + "e", b + "q", b + "t", b + "x"}
}

// clock returns ARGV[1] of every script: the application clock in ms, or "" for the server's.
func (q *Queue) clock() string {
	if q.now == nil {
		return ""
	}
	return strconv.FormatInt(q.now().UnixMilli(), 10)
}

// luaPrelude defines the keys, the clock and helpers. Per-key sets are named from ARGV[2], the
// hash-tagged base, so they are in the same slot as KEYS. ARGV[3] is the consumer group, ARGV[4]
// this Queue's consumer name; a script's own arguments start at ARGV[5].
const luaPrelude = `
local S, D, DX, R, C, A, E, Q, T, X = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7], KEYS[8], KEYS[9], KEYS[10]
local appClock = ARGV[1] ~= ''
local now = tonumber(ARGV[1])
if not now then
	local t = redis.call('TIME')
	now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local base, G, CONSUMER = ARGV[2], ARGV[3], ARGV[4]
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
local function ensureGroup()
	redis.pcall('XGROUP', 'CREATE', Q, G, '0', 'MKSTREAM') -- BUSYGROUP when it exists
end
-- A key with messages has one turn: an entry of the stream Q (T[key] = its id), read by the
-- consumer group and pending while a message of the key is claimed, or a retry time in R
-- (T[key] = 'd').
local function addTurn(key)
	local tid = redis.call('XADD', Q, '*', 'k', key)
	redis.call('HSET', T, key, tid)
end
local function endTurn(tid)
	redis.call('XACK', Q, G, tid)
	redis.call('XDEL', Q, tid)
end
local function nextTurn(key)
	if redis.call('ZCARD', kset(key)) > 0 then
		addTurn(key)
	else
		redis.call('HDEL', T, key)
	end
end
-- C[key] = token|message id|turn id|deadline
local function claimOf(v)
	return string.match(v, '^([^|]*)|([^|]*)|([^|]*)|([^|]*)$')
end
-- owns returns the turn of the claim of ARGV[5] (message id) by ARGV[6] (token) on ARGV[7] (key).
local function owns()
	local v = redis.call('HGET', C, ARGV[7])
	if not v then return nil end
	local tok, mid, tid = claimOf(v)
	if tok == ARGV[6] and mid == ARGV[5] then return tid end
	return nil
end
`

var enqueueScript = redis.NewScript(luaPrelude + `
ensureGroup()
local id = redis.call('XADD', S, '*', 'k', ARGV[5], 'ts', ARGV[6], 'b', ARGV[7], 'e', now)
redis.call('ZADD', kset(ARGV[5]), tonumber(ARGV[6]), pad(id))
if redis.call('HEXISTS', T, ARGV[5]) == 0 then addTurn(ARGV[5]) end
return id
`)

// claimScript: ARGV[5] max, ARGV[6] visibility ms, ARGV[7] token.
var claimScript = redis.NewScript(luaPrelude + `
ensureGroup()
local max, vis = tonumber(ARGV[5]), tonumber(ARGV[6])
-- Keys whose retry time came get a turn.
for _, key in ipairs(redis.call('ZRANGEBYSCORE', R, '-inf', now, 'LIMIT', 0, 1000)) do
	redis.call('ZREM', R, key)
	addTurn(key)
end
local turns = {}
-- Turns whose claim outlived its visibility timeout (the worker died or stalled).
if appClock then
	local all = redis.call('HGETALL', C)
	for i = 1, #all, 2 do
		local _, _, tid, dl = claimOf(all[i + 1])
		if #turns < max and tonumber(dl) <= now then
			redis.call('XCLAIM', Q, G, CONSUMER, 0, tid)
			table.insert(turns, {all[i], tid})
		end
	end
else
	local cursor = redis.call('GET', X) or '0-0'
	local r = redis.call('XAUTOCLAIM', Q, G, CONSUMER, vis, cursor, 'COUNT', max)
	redis.call('SET', X, r[1])
	for _, e in ipairs(r[2]) do
		if e then table.insert(turns, {fields(e).k, e[1]}) end
	end
end
-- New turns, oldest first.
if #turns < max then
	local r = redis.call('XREADGROUP', 'GROUP', G, CONSUMER, 'COUNT', max - #turns, 'STREAMS', Q, '>')
	if r then
		for _, e in ipairs(r[1][2]) do table.insert(turns, {fields(e).k, e[1]}) end
	end
end
-- Each turn claims its key's earliest message.
local out = {}
for _, t in ipairs(turns) do
	local key, tid = t[1], t[2]
	local h = redis.call('ZRANGE', kset(key), 0, 0)
	local entry = {}
	if #h > 0 then entry = redis.call('XRANGE', S, unpad(h[1]), unpad(h[1])) end
	if #entry == 0 then
		-- Nothing left to claim (a message lost by hand): end the turn.
		if #h > 0 then redis.call('ZREM', kset(key), h[1]) end
		endTurn(tid)
		redis.call('HDEL', C, key)
		nextTurn(key)
	else
		local id = entry[1][1]
		local f = fields(entry[1])
		local n = redis.call('HINCRBY', A, id, 1)
		redis.call('HSET', C, key, ARGV[7] .. '|' .. id .. '|' .. tid .. '|' .. (now + vis))
		local lastErr = redis.call('HGET', E, id) or ''
		table.insert(out, {id, key, f.ts, f.b, n, lastErr, f.e})
	end
end
return out
`)

// settle scripts: ARGV[5] id, ARGV[6] token, ARGV[7] key.
var ackScript = redis.NewScript(luaPrelude + `
local tid = owns()
if not tid then return 0 end
endTurn(tid)
redis.call('XDEL', S, ARGV[5])
redis.call('ZREM', kset(ARGV[7]), pad(ARGV[5]))
redis.call('HDEL', A, ARGV[5])
redis.call('HDEL', E, ARGV[5])
redis.call('HDEL', C, ARGV[7])
nextTurn(ARGV[7])
return 1
`)

// ARGV[8] delay ms, ARGV[9] error.
var nackScript = redis.NewScript(luaPrelude + `
local tid = owns()
if not tid then return 0 end
endTurn(tid)
redis.call('HDEL', C, ARGV[7])
redis.call('HSET', E, ARGV[5], ARGV[9])
if tonumber(ARGV[8]) == 0 then
	addTurn(ARGV[7])
else
	redis.call('HSET', T, ARGV[7], 'd')
	redis.call('ZADD', R, now + tonumber(ARGV[8]), ARGV[7])
end
return 1
`)

// ARGV[8] error.
var deadScript = redis.NewScript(luaPrelude + `
local tid = owns()
if not tid then return 0 end
local id = ARGV[5]
local entry = redis.call('XRANGE', S, id, id)
if #entry == 0 then return 0 end
local f = fields(entry[1])
local n = redis.call('HGET', A, id) or '0'
local did = redis.call('XADD', D, '*', 'id', id, 'k', f.k, 'ts', f.ts, 'b', f.b, 'e', f.e, 'n', n, 'err', ARGV[8], 'at', now)
redis.call('HSET', DX, id, did)
endTurn(tid)
redis.call('XDEL', S, id)
redis.call('ZREM', kset(ARGV[7]), pad(id))
redis.call('HDEL', A, id)
redis.call('HDEL', E, id)
redis.call('HDEL', C, ARGV[7])
nextTurn(ARGV[7])
return 1
`)

// ARGV[5] id.
var replayScript = redis.NewScript(luaPrelude + `
ensureGroup()
local did = redis.call('HGET', DX, ARGV[5])
if not did then return 0 end
local entry = redis.call('XRANGE', D, did, did)
redis.call('HDEL', DX, ARGV[5])
redis.call('XDEL', D, did)
if #entry == 0 then return 0 end
local f = fields(entry[1])
local id = redis.call('XADD', S, '*', 'k', f.k, 'ts', f.ts, 'b', f.b, 'e', f.e)
redis.call('ZADD', kset(f.k), tonumber(f.ts), pad(id))
if redis.call('HEXISTS', T, f.k) == 0 then addTurn(f.k) end
return 1
`)

func (q *Queue) run(ctx context.Context, s *redis.Script, args ...any) (any, error) {
	return s.Run(ctx, q.c, q.keys(), append([]any{q.clock(), q.base(), q.group, q.consumer}, args...)...).Result()
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
	if d.Token == "" || d.ID == "" || strings.Contains(d.Token, "|") {
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

// Consumer returns this Queue's consumer name in the consumer group (a new one per Queue).
func (q *Queue) Consumer() string { return q.consumer }

// PruneConsumers deletes the group's consumers, other than this Queue's, that have no pending
// turn and were idle for at least idle: every Queue (every process start) joins the group under a
// name of its own, and a stopped one stays listed until pruned. It returns how many it deleted.
func (q *Queue) PruneConsumers(ctx context.Context, idle time.Duration) (int, error) {
	cs, err := q.c.XInfoConsumers(ctx, q.base()+"q", q.group).Result()
	if err != nil {
		return 0, wrap("prune consumers", err)
	}
	n := 0
	for _, c := range cs {
		if c.Name == q.consumer || c.Pending > 0 || c.Idle < idle {
			continue
		}
		if err := q.c.XGroupDelConsumer(ctx, q.base()+"q", q.group, c.Name).Err(); err != nil {
			return n, wrap("prune consumers", err)
		}
		n++
	}
	return n, nil
}
