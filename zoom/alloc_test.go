package zoom

import (
	"context"
	"net/http"
	"net/http/httptrace"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// Reading Zoom's headers from a response allocates nothing: the keys are
// written in canonical form, so http.Header.Get need not canonicalize them.
func TestResponseHeadersParsedWithoutAllocating(t *testing.T) {
	h := http.Header{}
	h.Set("x-zm-trackingid", "v=2.0;clid=us02;rid=WEB_1")
	h.Set("x-ratelimit-category", "Light")
	h.Set("x-ratelimit-limit", "30")
	h.Set("x-ratelimit-remaining", "29")
	h.Set("x-ratelimit-type", "QPS")
	now := time.Now()
	var rl RateLimit
	allocs := testing.AllocsPerRun(100, func() { rl = parseRateLimit(h, now) })
	assert.Zero(t, allocs)
	assert.Equal(t, RateLimit{Category: "Light", Type: "QPS", Limit: 30, Remaining: 29}, rl)

	resp := &http.Response{Header: h}
	var r *Response
	allocs = testing.AllocsPerRun(100, func() { r = newResponse(resp) })
	assert.Equal(t, 1.0, allocs, "the *Response only")
	assert.Equal(t, "v=2.0;clid=us02;rid=WEB_1", r.TrackingID)
}

// The state of a call is one allocation: it is the context that carries
// it. POST and DELETE add the write-tracing hooks.
func TestAttemptStateIsOneAllocation(t *testing.T) {
	ctx := t.Context()
	get := &operation{Method: http.MethodGet, Path: "/meetings/{meetingId}", ID: "meeting", Rate: RateLight}
	var st *attemptState
	allocs := testing.AllocsPerRun(100, func() {
		var actx context.Context
		actx, st = withAttemptState(ctx, get)
		if stateOf(actx) != st {
			t.Fatal("state not found in its context")
		}
	})
	assert.Equal(t, 1.0, allocs)

	post := &operation{Method: http.MethodPost, Path: "/users/{userId}/meetings", ID: "meetingCreate", Rate: RateLight}
	actx, st := withAttemptState(ctx, post)
	assert.Same(t, st, stateOf(actx))
	trace := httptrace.ContextClientTrace(actx)
	if assert.NotNil(t, trace) {
		assert.False(t, st.wrote.Load())
		trace.WroteHeaders()
		assert.True(t, st.wrote.Load(), "the trace marks the request written")
	}
	// The state's context is the caller's: deadlines, values, cancellation.
	type key struct{}
	cctx, cancel := context.WithCancel(context.WithValue(ctx, key{}, "v"))
	actx, _ = withAttemptState(cctx, get)
	assert.Equal(t, "v", actx.Value(key{}))
	cancel()
	<-actx.Done()
	assert.ErrorIs(t, actx.Err(), context.Canceled)
}
