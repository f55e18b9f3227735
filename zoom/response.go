package zoom

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Response wraps the HTTP response of a call with what Zoom adds to it.
// Its body has been read and closed.
type Response struct {
	*http.Response
	// NextPageToken continues a list; empty on the last page.
	NextPageToken string
	// TotalRecords is the list's total_records, when Zoom sends it.
	TotalRecords int
	// TrackingID is the x-zm-trackingid header: give it to Zoom support.
	TrackingID string
	// RateLimit holds the X-RateLimit-* headers.
	RateLimit RateLimit
}

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

func newResponse(r *http.Response) *Response {
	return &Response{
		Response:   r,
		TrackingID: r.Header.Get("x-zm-trackingid"),
		RateLimit:  parseRateLimit(r.Header, time.Now()),
	}
}

func parseRateLimit(h http.Header, now time.Time) RateLimit {
	rl := RateLimit{
		Category:  h.Get("X-RateLimit-Category"),
		Type:      h.Get("X-RateLimit-Type"),
		Limit:     headerInt(h, "X-RateLimit-Limit"),
		Remaining: headerInt(h, "X-RateLimit-Remaining"),
	}
	if d, ok := parseRetryAfter(h.Get("Retry-After"), now); ok {
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
