package zoom

import (
	"context"
	"net/http"
	"strings"
	"syscall"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/require"
)

// hang is a scripted step that answers only when the request's context
// ends, as a server that never responds.
func hang(r *http.Request) (*http.Response, error) {
	<-r.Context().Done()
	return nil, r.Context().Err()
}

func TestRetryAfterOn503Honoured(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		rt := &fakeRT{steps: []func(*http.Request) (*http.Response, error){
			respond(503, map[string]string{"Retry-After": "7"}, ""),
			respond(200, nil, meetingJSON),
		}}
		c := newFakeClient(t, rt, WithRetryPolicy(RetryPolicy{MaxAttempts: 2, MaxRetryAfter: 10 * time.Second}))
		start := time.Now()
		_, _, err := callGet(t.Context(), c)
		require.NoError(t, err)
		el := time.Since(start)
		require.Equal(t, 7*time.Second, el, "waited %v, want Retry-After's 7s", el)
	})
}

func TestRetryAfterOn503BeyondMaxReturnsAtOnce(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		rt := &fakeRT{steps: []func(*http.Request) (*http.Response, error){
			respond(503, map[string]string{"Retry-After": "3600"}, ""),
			respond(200, nil, meetingJSON),
		}}
		c := newFakeClient(t, rt)
		start := time.Now()
		_, _, err := callGet(t.Context(), c)
		require.ErrorIs(t, err, ErrServer, "err = %v after %d attempts and %v, want the 503 at once", err, rt.count(), time.Since(start))
		require.Equal(t, 1, rt.count(), "err = %v after %d attempts and %v, want the 503 at once", err, rt.count(), time.Since(start))
		require.Equal(t, time.Duration(0), time.Since(start), "err = %v after %d attempts and %v, want the 503 at once", err, rt.count(), time.Since(start))
	})
}

func TestGETTimeoutRetried(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		rt := &fakeRT{steps: []func(*http.Request) (*http.Response, error){
			hang,
			respond(200, nil, meetingJSON),
		}}
		c := newFakeClient(t, rt)
		c2, err := NewClient(WithHTTPClient(&http.Client{Transport: rt, Timeout: 5 * time.Second}),
			WithTokenSource(c.tokens), WithBaseURL("https://api.zoom.test/v2"))
		require.NoError(t, err)
		m, _, err := callGet(t.Context(), c2)
		require.NoError(t, err, "m = %+v, err = %v", m, err)
		require.Equal(t, int64(85746065), m.ID, "m = %+v, err = %v", m, err)
		require.Equal(t, 2, rt.count(), "attempts = %d, want 2", rt.count())
	})
}

func TestPOSTTimeoutAfterWriteNotRetried(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		rt := &fakeRT{steps: []func(*http.Request) (*http.Response, error){markWritten(hang), respond(201, nil, meetingJSON)}}
		c, err := NewClient(WithHTTPClient(&http.Client{Transport: rt, Timeout: 5 * time.Second}), WithBaseURL("https://api.zoom.test/v2"))
		require.NoError(t, err)
		var ne *NetworkError
		_, err = callPost(t.Context(), c)
		require.ErrorAs(t, err, &ne, "err = %v after %d attempts, want a *NetworkError after 1", err, rt.count())
		require.Equal(t, 1, rt.count(), "err = %v after %d attempts, want a *NetworkError after 1", err, rt.count())
	})
}

var testDelete = &operation{Method: http.MethodDelete, Path: "/meetings/{meetingId}", ID: "meetingDelete", Rate: RateLight}

func callDelete(ctx context.Context, c *Client) (*Response, error) {
	return c.call(ctx, testDelete, buildPath(testDelete.Path, "85746065"), nil, nil, nil)
}

func TestDeleteNotFoundAfterUnknownOutcomeIsSuccess(t *testing.T) {
	notFound := respond(404, nil, `{"code":3001,"message":"Meeting does not exist: 85746065."}`)
	for name, first := range map[string]func(*http.Request) (*http.Response, error){
		"reset after write": markWritten(fail(syscall.ECONNRESET)),
		"timeout":           hang,
		"gateway timeout":   respond(504, nil, ""),
	} {
		t.Run(name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				rt := &fakeRT{steps: []func(*http.Request) (*http.Response, error){first, notFound}}
				c, err := NewClient(WithHTTPClient(&http.Client{Transport: rt, Timeout: 5 * time.Second}), WithBaseURL("https://api.zoom.test/v2"))
				require.NoError(t, err)
				resp, err := callDelete(t.Context(), c)
				require.NoError(t, err, "want success: the first attempt may have deleted it")
				require.Equal(t, 2, rt.count(), "attempts %d, resp %+v", rt.count(), resp)
				require.NotNil(t, resp, "attempts %d, resp %+v", rt.count(), resp)
				require.Equal(t, 404, resp.StatusCode, "attempts %d, resp %+v", rt.count(), resp)
			})
		})
	}
}

func TestDeleteNotFoundAfterKnownOutcomeIsNotFound(t *testing.T) {
	notFound := respond(404, nil, `{"code":3001,"message":"Meeting does not exist: 85746065."}`)
	for name, steps := range map[string][]func(*http.Request) (*http.Response, error){
		"first attempt":          {notFound},
		"after refused dial":     {fail(syscall.ECONNREFUSED), notFound},
		"after 503":              {respond(503, nil, ""), notFound},
		"GET after reset, write": {markWritten(fail(syscall.ECONNRESET)), notFound},
	} {
		t.Run(name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				rt := &fakeRT{steps: steps}
				c := newFakeClient(t, rt)
				var err error
				if strings.HasPrefix(name, "GET") {
					_, _, err = callGet(t.Context(), c)
				} else {
					_, err = callDelete(t.Context(), c)
				}
				require.ErrorIs(t, err, ErrNotFound, "err = %v after %d attempts, want not found after %d", err, rt.count(), len(steps))
				require.Equal(t, len(steps), rt.count(), "err = %v after %d attempts, want not found after %d", err, rt.count(), len(steps))
			})
		})
	}
}
