// Package redislimit paces the Zoom API calls of every replica of an app
// together, in Redis, so that N processes on one Zoom account stay within
// the account's per-label limits instead of each taking the whole limit.
//
// It is a [zoom.SharedLimiter]: pass it as [zoom.PacingPolicy].Shared.
//
//	lim := redislimit.New(rdb, "myapp:zoom:acct-123")
//	c, err := zoom.NewClient(
//		zoom.WithTokenSource(ts),
//		zoom.WithRatePacing(zoom.PacingPolicy{Plan: zoom.PlanPro, Shared: lim}),
//	)
//
// Each label has one key in Redis holding its GCRA "theoretical arrival
// time": a Lua script, run atomically with Redis' clock, hands out the next
// slot of the label's schedule (one every 1/rate seconds) and returns how
// long the caller waits for it. Requests are spread evenly, whichever
// replica sends them. When Redis cannot be reached the client paces on its
// own and logs it (see [zoom.PacingPolicy]).
//
// Give every Zoom account its own prefix: Zoom counts calls per account.
package redislimit

import (
	"context"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/zoomkit/zoomkit/zoom"
)

// reserve is GCRA with no burst, as a schedule: the caller takes the slot
// at max(tat, now) and the next slot moves one interval on. Times are
// microseconds of Redis' own clock, the same for every replica. The key
// expires once its schedule is in the past.
const reserveScript = `
local interval = tonumber(ARGV[1])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if tat < now then tat = now end
local next = tat + interval
redis.call('SET', KEYS[1], string.format('%d', next), 'PX', math.ceil((next - now) / 1000) + 1000)
return tat - now
`

// Limiter is a zoom.SharedLimiter backed by Redis.
type Limiter struct {
	rdb     redis.Scripter
	prefix  string
	reserve *redis.Script
}

// New returns a Limiter storing its schedules under prefix + ":" + label
// in rdb (a *redis.Client, *redis.ClusterClient or *redis.Ring).
func New(rdb redis.Scripter, prefix string) *Limiter {
	return &Limiter{rdb: rdb, prefix: prefix, reserve: redis.NewScript(reserveScript)}
}

// ErrBadRate is returned for a rate that is not a positive, finite number.
var ErrBadRate = errors.New("redislimit: rate must be positive and finite")

// Reserve takes the next slot of label's schedule at perSecond requests
// per second across every replica, and returns how long to wait for it.
func (l *Limiter) Reserve(ctx context.Context, label zoom.RateLabel, perSecond float64) (time.Duration, error) {
	if !(perSecond > 0) || math.IsInf(perSecond, 0) {
		return 0, ErrBadRate
	}
	interval := max(int64(1e6/perSecond), 1) // microseconds
	us, err := l.reserve.Run(ctx, l.rdb, []string{l.prefix + ":" + string(label)}, interval).Int64()
	if err != nil {
		return 0, fmt.Errorf("redislimit: %s: %w", label, err)
	}
	return time.Duration(max(us, 0)) * time.Microsecond, nil
}
