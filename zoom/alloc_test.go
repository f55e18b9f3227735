package zoom

import (
	"context"
	"net/http"
	"net/http/httptrace"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
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

// Zoom's usual timestamp ("2019-06-01T07:58:03Z") decodes without
// allocating; every other form still decodes as time.Parse reads it.
func TestTimeDecodesZoomsFormWithoutAllocating(t *testing.T) {
	var tm Time
	b := []byte(`"2019-06-01T07:58:03Z"`)
	allocs := testing.AllocsPerRun(100, func() { _ = tm.UnmarshalJSON(b) })
	assert.Zero(t, allocs)
	assert.Equal(t, time.Date(2019, 6, 1, 7, 58, 3, 0, time.UTC), tm.Time)

	for _, s := range []string{
		"2019-06-01T07:58:03Z", "2024-02-29T23:59:59Z", "2023-02-29T10:00:00Z", "2019-13-01T07:58:03Z",
		"2019-06-31T07:58:03Z", "2019-06-01T24:00:00Z", "2019-06-01T07:60:03Z", "2019-06-01T07:58:60Z",
		"2019-06-01T07:58:03+02:00", "2019-06-01T07:58:03.5Z", "2019-06-01T07:58:03", "2019-06-01",
		"0000-01-01T00:00:00Z", "2019-06-01t07:58:03Z", "2019-06-01T07:58:0aZ", "+019-06-01T07:58:03Z",
		`2019-06-01T07:58:03\u005a`,
	} {
		var got Time
		require.NoError(t, got.UnmarshalJSON([]byte(`"`+s+`"`)))
		unq, err := strconv.Unquote(`"` + s + `"`)
		require.NoError(t, err)
		want := parseTime(unq)
		assert.True(t, want.Equal(got.Time) && want.Location() == got.Location(), "%s: got %v, want %v", s, got.Time, want)
	}
}
