package zoom

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptrace"
	"strings"
	"sync/atomic"
	"time"
)

// RetryPolicy says which failed attempts are tried again, and how long to
// wait in between.
//
// What is retried:
//   - GET, PUT, PATCH and DELETE: 429 (per-second limits), 502, 503, 504 and
//     network errors (refused, reset, EOF, and the HTTP client's own
//     per-attempt timeout; the caller's context ending is never retried);
//   - POST: only 429 and network errors that happened before a byte of the
//     request was written. Zoom has no idempotency keys, so a POST that may
//     have reached Zoom (a timeout, a reset after writing, a 5xx) is never
//     repeated: a retried create could duplicate a meeting;
//   - never: a daily limit, or a 429 or 5xx whose Retry-After is beyond
//     MaxRetryAfter. Those return at once (a 429 as a *RateLimitError, with
//     the reset time).
//
// A DELETE whose attempt ended without an answer telling what Zoom did
// (a network error after the request was written, a timeout, a 504) and
// whose retry gets "not found" returns success: the lost attempt most
// likely deleted the resource. The *Response then holds the 404.
//
// Waits use Retry-After when Zoom sends it on a 429 or a 5xx (seconds,
// HTTP date or RFC 3339), otherwise jittered exponential backoff; they end
// as soon as the context is done.
type RetryPolicy struct {
	// MaxAttempts is the number of attempts in all, the first included
	// (1: no retries). Zero means 4.
	MaxAttempts int
	// MinBackoff is the first backoff step. Zero means 500ms.
	MinBackoff time.Duration
	// MaxBackoff caps a backoff step. Zero means 30s.
	MaxBackoff time.Duration
	// MaxRetryAfter is the longest Retry-After honoured by waiting; a longer
	// one returns the error at once (for a 429, a *RateLimitError). Zero
	// means 60s.
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

// attemptState follows one call across its attempts. It travels in the
// request's context, so the pacing transport knows the operation and the
// retry decision knows whether a byte of the request was written. It is
// that context itself (it answers Value for attemptKey and delegates the
// rest to the caller's context), and it holds the trace hooks: one
// allocation for the state of a call.
type attemptState struct {
	context.Context
	op    *operation
	wrote atomic.Bool // a byte of the current attempt's request was written
	trace httptrace.ClientTrace
}

type attemptKey struct{}

// Value returns the state for attemptKey, else the parent's value.
func (st *attemptState) Value(key any) any {
	if _, ok := key.(attemptKey); ok {
		return st
	}
	return st.Context.Value(key)
}

func (st *attemptState) markWrote() { st.wrote.Store(true) }

// withAttemptState returns a context carrying a new state for a call of op.
func withAttemptState(ctx context.Context, op *operation) (context.Context, *attemptState) {
	st := &attemptState{Context: ctx, op: op}
	if idempotent(op.Method) && op.Method != http.MethodDelete {
		// Whether a byte was written matters only to decide if a POST may
		// be repeated and if a DELETE's outcome is unknown: spare the
		// trace's allocations on every other call.
		return st, st
	}
	st.trace.WroteHeaderField = func(string, []string) { st.markWrote() }
	st.trace.WroteHeaders = st.markWrote
	return httptrace.WithClientTrace(st, &st.trace), st
}

func stateOf(ctx context.Context) *attemptState {
	st, _ := ctx.Value(attemptKey{}).(*attemptState)
	return st
}

// newHTTPClient returns the client's copy of hc (or of a default client):
// its transport paces requests when pc is set, and its redirect policy
// never sends the Authorization header to another host.
func newHTTPClient(hc *http.Client, pc *pacer) *http.Client {
	var base http.Client
	if hc != nil {
		base = *hc
	} else {
		base = http.Client{Timeout: 60 * time.Second}
	}
	if pc != nil {
		rt := base.Transport
		if rt == nil {
			rt = http.DefaultTransport
		}
		base.Transport = pacingTransport{next: rt, pacer: pc}
	}
	userCheck := base.CheckRedirect
	base.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		// Never send the Authorization header to another host, nor over
		// plain http to a host that is not loopback.
		if len(via) > 0 && (!strings.EqualFold(req.URL.Host, via[0].URL.Host) || !secureURL(req.URL)) {
			req.Header.Del("Authorization")
		}
		if userCheck != nil {
			if err := userCheck(req, via); err != nil {
				return &redirectError{err}
			}
			return nil
		}
		if len(via) >= 10 {
			return &redirectError{errors.New("stopped after 10 redirects")}
		}
		return nil
	}
	return &base
}

// redirectError is a refusal of the redirect policy: never retried.
type redirectError struct{ err error }

func (e *redirectError) Error() string { return e.err.Error() }
func (e *redirectError) Unwrap() error { return e.err }

func idempotent(method string) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodPut, http.MethodPatch, http.MethodDelete, http.MethodOptions:
		return true
	}
	return false
}

// retryDelay is the retry policy described on RetryPolicy: it says whether
// the attempt-th attempt (from 1) that ended with resp or err is tried
// again, and after how long.
func (c *Client) retryDelay(ctx context.Context, st *attemptState, attempt int, resp *http.Response, err error) (time.Duration, bool) {
	if attempt >= c.retry.MaxAttempts || ctx.Err() != nil {
		return 0, false
	}
	method := st.op.Method
	if err != nil {
		if !retryableNetErr(err) {
			return 0, false
		}
		// POST: only when nothing was written.
		if !idempotent(method) && st.wrote.Load() {
			return 0, false
		}
		return c.backoff(attempt), true
	}
	switch resp.StatusCode {
	case http.StatusTooManyRequests:
		wait, ok := retryWait(resp, c.retry.MaxRetryAfter, time.Now())
		if !ok {
			return 0, false
		}
		if wait > 0 {
			return wait, true
		}
		return c.backoff(attempt), true
	case http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		if !idempotent(method) {
			return 0, false
		}
		wait, ok := retryWait(resp, c.retry.MaxRetryAfter, time.Now())
		if !ok {
			return 0, false
		}
		if wait > 0 {
			return wait, true
		}
		return c.backoff(attempt), true
	}
	return 0, false
}

// outcomeUnknown reports whether an attempt ended without telling whether
// Zoom acted on it: a network error after a byte of the request was
// written, a timeout, or a 504 from a gateway.
func outcomeUnknown(st *attemptState, resp *http.Response, err error) bool {
	if err != nil {
		return st.wrote.Load() || errors.Is(err, context.DeadlineExceeded)
	}
	return resp.StatusCode == http.StatusGatewayTimeout
}

// backoff is the wait after the attempt-th attempt (from 1): an
// exponential step from MinBackoff, capped at MaxBackoff, with jitter (half
// fixed, half random).
func (c *Client) backoff(attempt int) time.Duration {
	step, maxWait := c.retry.MinBackoff, c.retry.MaxBackoff
	for i := 1; i < attempt && step < maxWait; i++ {
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

// sleep waits d, or until ctx is done.
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// retryableNetErr reports whether a transport error may succeed on retry.
// The caller's context is alive: a deadline here is the HTTP client's own
// per-attempt timeout, which is retried.
func retryableNetErr(err error) bool {
	if errors.Is(err, context.Canceled) {
		return false
	}
	var re *redirectError
	if errors.As(err, &re) {
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
	// Refused connections, resets, EOFs.
	return true
}
