package zoom

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptrace"
	"strings"
	"sync/atomic"
	"time"

	"github.com/hashicorp/go-retryablehttp"
)

// RetryPolicy says which failed attempts are tried again, and how long to
// wait in between.
//
// What is retried:
//   - GET, PUT, PATCH and DELETE: 429 (per-second limits), 502, 503, 504 and
//     network errors (refused, reset, EOF, timeouts);
//   - POST: only 429 and network errors that happened before a byte of the
//     request was written. Zoom has no idempotency keys, so a POST that may
//     have reached Zoom (a timeout, a reset after writing, a 5xx) is never
//     repeated: a retried create could duplicate a meeting;
//   - never: a daily limit, or a 429 whose Retry-After is beyond
//     MaxRetryAfter. Those return a *RateLimitError at once, with the reset
//     time.
//
// Waits use Retry-After when Zoom sends it (seconds, HTTP date or RFC 3339),
// otherwise jittered exponential backoff; they end as soon as the context is
// done.
type RetryPolicy struct {
	// MaxAttempts is the number of attempts in all, the first included
	// (1: no retries). Zero means 4.
	MaxAttempts int
	// MinBackoff is the first backoff step. Zero means 500ms.
	MinBackoff time.Duration
	// MaxBackoff caps a backoff step. Zero means 30s.
	MaxBackoff time.Duration
	// MaxRetryAfter is the longest Retry-After honoured by waiting; a longer
	// one returns a *RateLimitError at once. Zero means 60s.
	MaxRetryAfter time.Duration
}

// DefaultRetryPolicy returns the default policy: 4 attempts, backoff from
// 500ms to 30s, Retry-After honoured up to 60s.
func DefaultRetryPolicy() RetryPolicy {
	return RetryPolicy{MaxAttempts: 4, MinBackoff: 500 * time.Millisecond, MaxBackoff: 30 * time.Second, MaxRetryAfter: time.Minute}
}

func (p *RetryPolicy) validate() error {
	if p.MaxAttempts < 0 || p.MinBackoff < 0 || p.MaxBackoff < 0 || p.MaxRetryAfter < 0 {
		return errors.New("zoom: RetryPolicy: negative value")
	}
	if p.MaxAttempts > 100 {
		return fmt.Errorf("zoom: RetryPolicy: MaxAttempts %d is more than 100", p.MaxAttempts)
	}
	d := DefaultRetryPolicy()
	if p.MaxAttempts == 0 {
		p.MaxAttempts = d.MaxAttempts
	}
	if p.MinBackoff == 0 {
		p.MinBackoff = d.MinBackoff
	}
	if p.MaxBackoff == 0 {
		p.MaxBackoff = d.MaxBackoff
	}
	if p.MaxRetryAfter == 0 {
		p.MaxRetryAfter = d.MaxRetryAfter
	}
	if p.MaxBackoff < p.MinBackoff {
		return fmt.Errorf("zoom: RetryPolicy: MaxBackoff %v is less than MinBackoff %v", p.MaxBackoff, p.MinBackoff)
	}
	return nil
}

// attemptState follows one call across its attempts.
type attemptState struct {
	op    *operation
	wrote atomic.Bool // a byte of the current attempt's request was written
}

type attemptKey struct{}

func withAttemptState(ctx context.Context, op *operation) context.Context {
	st := &attemptState{op: op}
	ctx = context.WithValue(ctx, attemptKey{}, st)
	return httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{
		WroteHeaderField: func(string, []string) { st.wrote.Store(true) },
		WroteHeaders:     func() { st.wrote.Store(true) },
	})
}

func stateOf(ctx context.Context) *attemptState {
	st, _ := ctx.Value(attemptKey{}).(*attemptState)
	return st
}

// noCloseTransport hides the transport's CloseIdleConnections from
// go-retryablehttp, which calls it after failures: a shared transport's
// pooled connections belong to the application.
type noCloseTransport struct{ rt http.RoundTripper }

func (t noCloseTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	return t.rt.RoundTrip(r)
}

func newRetryClient(c *Client, hc *http.Client, pc *pacer) *retryablehttp.Client {
	var base http.Client
	if hc != nil {
		base = *hc
	} else {
		base = http.Client{Timeout: 60 * time.Second}
	}
	rt := base.Transport
	if rt == nil {
		rt = http.DefaultTransport
	}
	if pc != nil {
		rt = pacingTransport{next: rt, pacer: pc}
	}
	base.Transport = noCloseTransport{rt: rt}
	userCheck := base.CheckRedirect
	base.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		// Never send the Authorization header to another host.
		if len(via) > 0 && !strings.EqualFold(req.URL.Host, via[0].URL.Host) {
			req.Header.Del("Authorization")
		}
		if userCheck != nil {
			return userCheck(req, via)
		}
		if len(via) >= 10 {
			return errors.New("stopped after 10 redirects")
		}
		return nil
	}
	p := c.retry
	return &retryablehttp.Client{
		HTTPClient:   &base,
		Logger:       nil, // it would log full URLs
		RetryWaitMin: p.MinBackoff,
		RetryWaitMax: p.MaxBackoff,
		RetryMax:     p.MaxAttempts - 1,
		RequestLogHook: func(_ retryablehttp.Logger, r *http.Request, attempt int) {
			if st := stateOf(r.Context()); st != nil {
				st.wrote.Store(false)
				if attempt > 0 {
					c.logger.DebugContext(r.Context(), "zoom: retrying", "operation", st.op.ID, "attempt", attempt+1)
				}
			}
		},
		CheckRetry:   c.checkRetry,
		Backoff:      c.backoff,
		ErrorHandler: retryablehttp.PassthroughErrorHandler,
	}
}

func idempotent(method string) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodPut, http.MethodPatch, http.MethodDelete, http.MethodOptions:
		return true
	}
	return false
}

// checkRetry is the retry policy described on RetryPolicy.
func (c *Client) checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	if ctx.Err() != nil {
		return false, ctx.Err()
	}
	st := stateOf(ctx)
	method := http.MethodGet
	if st != nil {
		method = st.op.Method
	}
	if err != nil {
		if !retryableNetErr(err) {
			return false, err
		}
		if idempotent(method) {
			return true, nil
		}
		// POST: only when nothing was written.
		return st != nil && !st.wrote.Load(), nil
	}
	switch resp.StatusCode {
	case http.StatusTooManyRequests:
		rl := c.rateLimitFrom(st, resp)
		if rl.Daily {
			return false, nil
		}
		if !rl.RetryAt.IsZero() && time.Until(rl.RetryAt) > c.retry.MaxRetryAfter {
			return false, nil
		}
		return true, nil
	case http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return idempotent(method), nil
	}
	return false, nil
}

// rateLimitFrom classifies a 429. It reads the body (capped) and puts it
// back, so the final error can still report Zoom's message.
func (c *Client) rateLimitFrom(st *attemptState, resp *http.Response) *RateLimitError {
	data, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	_ = resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(data))
	op := &operation{}
	if st != nil {
		op = st.op
	}
	e := &APIError{Method: op.Method, Path: op.Path, StatusCode: resp.StatusCode,
		TrackingID: resp.Header.Get("x-zm-trackingid"), Header: resp.Header}
	parseErrorBody(e, data)
	return classifyRateLimit(e, resp.Header, time.Now())
}

// classifyRateLimit builds the *RateLimitError for a 429.
func classifyRateLimit(e *APIError, h http.Header, now time.Time) *RateLimitError {
	rl := &RateLimitError{APIError: e, RateLimit: parseRateLimit(h, now)}
	rl.RetryAt = rl.RateLimit.RetryAfter
	typ := strings.ToLower(rl.RateLimit.Type)
	msg := strings.ToLower(e.Message)
	if strings.Contains(typ, "daily") || strings.Contains(msg, "daily") {
		rl.Daily = true
		if rl.RetryAt.IsZero() {
			// Zoom's daily limits reset at 00:00 UTC.
			y, m, d := now.UTC().Date()
			rl.RetryAt = time.Date(y, m, d+1, 0, 0, 0, 0, time.UTC)
		}
	}
	return rl
}

// backoff waits Retry-After when Zoom sent it, otherwise an exponential step
// with jitter (half fixed, half random).
func (c *Client) backoff(minWait, maxWait time.Duration, attempt int, resp *http.Response) time.Duration {
	if resp != nil && resp.StatusCode == http.StatusTooManyRequests {
		if d, ok := parseRetryAfter(resp.Header.Get("Retry-After"), time.Now()); ok {
			if d > c.retry.MaxRetryAfter {
				d = c.retry.MaxRetryAfter
			}
			if d > 0 {
				return d
			}
		}
	}
	step := minWait
	for i := 0; i < attempt && step < maxWait; i++ {
		step *= 2
	}
	if step > maxWait {
		step = maxWait
	}
	half := step / 2
	if half <= 0 {
		return step
	}
	return half + rand.N(half+1)
}

// retryableNetErr reports whether a transport error may succeed on retry.
func retryableNetErr(err error) bool {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	var cve *tls.CertificateVerificationError
	if errors.As(err, &cve) {
		return false
	}
	var uae x509.UnknownAuthorityError
	if errors.As(err, &uae) {
		return false
	}
	var hn x509.HostnameError
	if errors.As(err, &hn) {
		return false
	}
	var ci x509.CertificateInvalidError
	if errors.As(err, &ci) {
		return false
	}
	if strings.Contains(err.Error(), "stopped after") || strings.Contains(err.Error(), "unsupported protocol scheme") {
		return false
	}
	// Refused connections, resets, EOFs, timeouts.
	return true
}
