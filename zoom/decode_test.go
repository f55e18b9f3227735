package zoom

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// endlessBody is a JSON object that never ends; it counts what was read.
type endlessBody struct{ read atomic.Int64 }

func (b *endlessBody) Read(p []byte) (int, error) {
	if b.read.Load() == 0 && len(p) > 0 {
		n := copy(p, `{"topic":"`)
		b.read.Add(int64(n))
		return n, nil
	}
	for i := range p {
		p[i] = 'x'
	}
	b.read.Add(int64(len(p)))
	return len(p), nil
}

func (b *endlessBody) Close() error { return nil }

func TestResponseBodyCapped(t *testing.T) {
	body := &endlessBody{}
	rt := &fakeRT{steps: []func(*http.Request) (*http.Response, error){func(r *http.Request) (*http.Response, error) {
		return &http.Response{StatusCode: 200, Header: http.Header{}, Body: body, ContentLength: -1, Request: r}, nil
	}}}
	const limit = 1 << 20
	c := newFakeClient(t, rt, WithMaxResponseBytes(limit))
	_, resp, err := callGet(t.Context(), c)
	var tl *ResponseTooLargeError
	require.ErrorAs(t, err, &tl, "err = %v, want a *ResponseTooLargeError", err)
	require.Equal(t, int64(limit), tl.Limit, "err = %v, want a *ResponseTooLargeError", err)
	require.NotNil(t, resp, "resp = %v", resp)
	require.Equal(t, 200, resp.StatusCode, "resp = %v", resp)
	if n := body.read.Load(); n > limit+128<<10 {
		t.Fatalf("read %d bytes of the body, want at most about the %d limit", n, limit)
	}

	// A declared length beyond the cap is refused without reading.
	body2 := &endlessBody{}
	rt2 := &fakeRT{steps: []func(*http.Request) (*http.Response, error){func(r *http.Request) (*http.Response, error) {
		return &http.Response{StatusCode: 200, Header: http.Header{}, Body: body2, ContentLength: 400 << 20, Request: r}, nil
	}}}
	c2 := newFakeClient(t, rt2)
	if _, _, err := callGet(t.Context(), c2); !errors.As(err, &tl) || tl.Limit != 64<<20 {
		t.Fatalf("err = %v, want a *ResponseTooLargeError with the 64 MiB default", err)
	}
	if n := body2.read.Load(); n > 128<<10 {
		t.Fatalf("read %d bytes of an announced 400 MiB body", n)
	}

	for _, n := range []int64{0, -1} {
		_, err := NewClient(WithHTTPClient(http.DefaultClient), WithMaxResponseBytes(n))
		assert.Error(t, err, "WithMaxResponseBytes(%d) accepted", n)
	}
}

func TestDownloadNotCapped(t *testing.T) {
	const size = 3 << 20
	rt := &fakeRT{steps: []func(*http.Request) (*http.Response, error){func(r *http.Request) (*http.Response, error) {
		return &http.Response{StatusCode: 200, Header: http.Header{}, Body: io.NopCloser(io.LimitReader(&endlessBody{}, size)), ContentLength: size, Request: r}, nil
	}}}
	c := newFakeClient(t, rt, WithMaxResponseBytes(1<<20))
	n, _, err := c.CloudRecordings.Download(t.Context(), "https://zoom.us/rec/download/1", io.Discard, nil)
	require.NoError(t, err, "n = %d, err = %v", n, err)
	require.Equal(t, int64(size), n, "n = %d, err = %v", n, err)
}

func TestWrongShapeIsDecodeError(t *testing.T) {
	for _, body := range []string{`[1,2,3]`, `42`, `"x"`, `true`, `null`, ``, "  \n"} {
		t.Run(fmt.Sprintf("%q", body), func(t *testing.T) {
			rt := &fakeRT{steps: []func(*http.Request) (*http.Response, error){respond(200, nil, body)}}
			c := newFakeClient(t, rt)
			m, resp, err := callGet(t.Context(), c)
			var de *DecodeError
			require.ErrorAs(t, err, &de, "m = %+v, err = %v; want a *DecodeError", m, err)
			require.Nil(t, m, "m = %+v, err = %v; want a *DecodeError", m, err)
			require.NotNil(t, resp, "resp = %v", resp)
			require.Equal(t, 200, resp.StatusCode, "resp = %v", resp)
			require.NotContains(t, err.Error(), "1,2,3", "error repeats the body: %v", err)
		})
	}
	// Through a generated method too.
	rt := &fakeRT{steps: []func(*http.Request) (*http.Response, error){respond(200, nil, `[1,2,3]`)}}
	c := newFakeClient(t, rt)
	var de *DecodeError
	if m, _, err := c.Meetings.Get(t.Context(), 85746065, nil); !errors.As(err, &de) || m != nil {
		t.Fatalf("Meetings.Get: m = %v, err = %v", m, err)
	}
	// A method without a response body ignores an empty 200 or 204.
	for _, st := range []int{200, 204} {
		rt := &fakeRT{steps: []func(*http.Request) (*http.Response, error){respond(st, nil, "")}}
		c := newFakeClient(t, rt)
		_, err := c.Users.UpdateStatus(t.Context(), "me", &UpdateUserStatusRequest{Action: "activate"})
		require.NoError(t, err, "%d", st)
	}
}

func TestDecodeWarningsListMismatchedFields(t *testing.T) {
	const canary = "CANARY-VALUE-93f1"
	rt := &fakeRT{steps: []func(*http.Request) (*http.Response, error){respond(200, nil,
		`{"id":"`+canary+`","topic":12345,"duration":"60","agenda":"kept",
		  "settings":{"host_video":"`+canary+`","join_before_host":true,"approval_type":"x"},
		  "tracking_fields":{"field":"`+canary+`"}}`)}}
	c := newFakeClient(t, rt)
	m, resp, err := c.Meetings.Get(t.Context(), 85746065, nil)
	require.NoError(t, err)
	if m.Agenda != "kept" || m.Settings == nil || !m.Settings.JoinBeforeHost {
		t.Fatalf("the rest was not decoded: %+v", m)
	}
	got := map[string]DecodeWarning{}
	for _, w := range resp.DecodeWarnings {
		got[w.Field] = w
	}
	// What still says what Zoom meant is repaired, nested or not: a number
	// where a string is due, a number sent as a string, a lone object
	// where a list is due.
	if m.Topic != "12345" || m.Duration != 60 || len(m.TrackingFields) != 1 || m.TrackingFields[0].Field != canary {
		t.Errorf("not repaired: topic %q, duration %d, tracking fields %+v", m.Topic, m.Duration, m.TrackingFields)
	}
	for field, kind := range map[string]string{
		"id":                     "string",
		"settings.host_video":    "string",
		"settings.approval_type": "string",
	} {
		w, ok := got[field]
		if !ok || w.Got != kind || w.Want == "" {
			t.Errorf("warning for %s = %+v (present %v), want Got %q; all: %+v", field, w, ok, kind, resp.DecodeWarnings)
		}
	}
	assert.Len(t, resp.DecodeWarnings, 3, "warnings %+v, want exactly the three unrepairable fields", resp.DecodeWarnings)
	s := fmt.Sprintf("%v %+v %#v", resp.DecodeWarnings, resp.DecodeWarnings, resp.DecodeWarnings)
	require.NotContains(t, s, canary, "warnings carry values: %s", s)
	require.NotContains(t, s, "12345", "warnings carry values: %s", s)

	// A clean body has none.
	rt = &fakeRT{steps: []func(*http.Request) (*http.Response, error){respond(200, nil, meetingJSON)}}
	c = newFakeClient(t, rt)
	_, resp, err = callGet(t.Context(), c)
	require.NoError(t, err, "err %v, warnings %+v", err, resp.DecodeWarnings)
	require.Len(t, resp.DecodeWarnings, 0, "err %v, warnings %+v", err, resp.DecodeWarnings)
}
