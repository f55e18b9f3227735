package zoom

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// This file holds everything the client knows about Zoom's rate limits:
// the labels, the X-RateLimit-* and Retry-After headers, the
// *RateLimitError, and how a 429 is classified. Classification reads the
// HTTP status, Zoom's error code and the headers only, never the message
// text, whose wording Zoom may change.

// RateLabel is the rate-limit label Zoom gives each operation. Calls are
// counted per label and per account: two LIGHT operations share the LIGHT
// budget.
type RateLabel string

// Zoom's rate-limit labels.
const (
	RateLight             RateLabel = "LIGHT"
	RateMedium            RateLabel = "MEDIUM"
	RateHeavy             RateLabel = "HEAVY"
	RateResourceIntensive RateLabel = "RESOURCE-INTENSIVE"
)

// RateLimit is what Zoom's rate-limit headers say.
type RateLimit struct {
	// Category is X-RateLimit-Category: Light, Medium, Heavy or
	// Resource-intensive.
	Category string
	// Type is X-RateLimit-Type: QPS or Daily-limit (set on 429s).
	Type string
	// Limit and Remaining are X-RateLimit-Limit and X-RateLimit-Remaining
	// (-1 when absent).
	Limit, Remaining int
	// RetryAfter is the Retry-After header as a point in time (zero when
	// absent).
	RetryAfter time.Time
}

// RateLimitError is a 429 from Zoom. It unwraps to the *APIError, and
// matches ErrRateLimited, and ErrDailyLimit when the limit lasts until Zoom's
// daily reset (RetryAt then says when).
type RateLimitError struct {
	*APIError
	// RateLimit holds the X-RateLimit-* headers of the answer.
	RateLimit RateLimit
	// Daily reports a daily limit (the account's daily budget for a label,
	// or the 100 meeting/webinar creates or updates per user per day).
	Daily bool
	// RetryAt is when Zoom says a new request may succeed (zero if unknown).
	RetryAt time.Time
}

// Error describes the limit and when it resets.
func (e *RateLimitError) Error() string {
	s := e.APIError.Error()
	if !e.RetryAt.IsZero() {
		s += " (retry at " + e.RetryAt.UTC().Format(time.RFC3339) + ")"
	}
	return s
}

// Unwrap returns the *APIError.
func (e *RateLimitError) Unwrap() error { return e.APIError }

// Is matches ErrRateLimited, and ErrDailyLimit for daily limits.
func (e *RateLimitError) Is(target error) bool {
	if target == ErrDailyLimit {
		return e.Daily
	}
	return target == ErrRateLimited
}

// newRateLimitError classifies a 429 whose body has been parsed into e.
func newRateLimitError(e *APIError, h http.Header, now time.Time) *RateLimitError {
	rl := &RateLimitError{APIError: e, RateLimit: parseRateLimit(h, now)}
	rl.RetryAt = rl.RateLimit.RetryAfter
	rl.Daily = rl.RateLimit.daily()
	if rl.Daily && rl.RetryAt.IsZero() {
		// Zoom's daily limits reset at 00:00 UTC.
		y, m, d := now.UTC().Date()
		rl.RetryAt = time.Date(y, m, d+1, 0, 0, 0, 0, time.UTC)
	}
	return rl
}

// daily reports whether a 429 with these headers lasts until Zoom's daily
// reset. Zoom marks the account's daily budgets with X-RateLimit-Type:
// Daily-limit. Its per-user and per-resource limits (100 meeting or webinar
// creates or updates per user per day, registrant and user-create limits,
// all daily) come with the label's X-RateLimit-Limit but without
// X-RateLimit-Type and without Retry-After, and with requests left in the
// label's budget (X-RateLimit-Remaining above zero, or absent): that
// combination is read as a daily limit too. A 429 without rate-limit
// headers is taken as a per-second limit and retried.
func (r RateLimit) daily() bool {
	if r.Type != "" {
		return strings.Contains(strings.ToLower(r.Type), "daily")
	}
	return r.RetryAfter.IsZero() && r.Limit >= 0 && r.Remaining != 0
}

// retryWait says how long to wait before retrying a response that carries
// Retry-After (a 429, or a 503 from Zoom or a proxy in front of it), and
// whether the client may wait that long. ok is false when the answer must
// not be retried: a daily limit, or a Retry-After beyond maxWait. Without
// Retry-After, wait is zero and the caller backs off.
func retryWait(resp *http.Response, maxWait time.Duration, now time.Time) (wait time.Duration, ok bool) {
	if resp.StatusCode == http.StatusTooManyRequests && parseRateLimit(resp.Header, now).daily() {
		return 0, false
	}
	d, has := parseRetryAfter(resp.Header.Get(hdrRetryAfter), now)
	if !has {
		return 0, true
	}
	if d > maxWait {
		return 0, false
	}
	return d, true
}

// Zoom's headers, spelt in canonical form (as net/http stores them), so
// that reading them allocates nothing: http.Header.Get canonicalizes other
// spellings into a new string on every call.
const (
	hdrRateLimitCategory  = "X-Ratelimit-Category"
	hdrRateLimitType      = "X-Ratelimit-Type"
	hdrRateLimitLimit     = "X-Ratelimit-Limit"
	hdrRateLimitRemaining = "X-Ratelimit-Remaining"
	hdrRetryAfter         = "Retry-After"
	hdrTrackingID         = "X-Zm-Trackingid"
)

func parseRateLimit(h http.Header, now time.Time) RateLimit {
	rl := RateLimit{
		Category:  h.Get(hdrRateLimitCategory),
		Type:      h.Get(hdrRateLimitType),
		Limit:     headerInt(h, hdrRateLimitLimit),
		Remaining: headerInt(h, hdrRateLimitRemaining),
	}
	if d, ok := parseRetryAfter(h.Get(hdrRetryAfter), now); ok {
		rl.RetryAfter = now.Add(d)
	}
	return rl
}

func headerInt(h http.Header, k string) int {
	v := h.Get(k)
	if v == "" {
		return -1
	}
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil {
		return -1
	}
	return n
}

// parseRetryAfter reads Retry-After as delta-seconds, an HTTP date or an
// RFC 3339 instant (Zoom documents the latter). It returns the wait from now
// (zero for a time in the past) and whether the header was understood.
func parseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs < 0 {
			return 0, false
		}
		if secs > int64(100*365*24*time.Hour/time.Second) {
			secs = int64(100 * 365 * 24 * time.Hour / time.Second)
		}
		return time.Duration(secs) * time.Second, true
	}
	var t time.Time
	var err error
	if t, err = http.ParseTime(v); err != nil {
		if t, err = time.Parse(time.RFC3339, v); err != nil {
			return 0, false
		}
	}
	d := t.Sub(now)
	if d < 0 {
		d = 0
	}
	return d, true
}
