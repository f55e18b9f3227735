package webhook

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/zoomkit/zoomkit/zoom"
)

// testClock is a settable clock shared by a verifier and a deduper.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *testClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *testClock) Set(t time.Time) {
	c.mu.Lock()
	c.now = t
	c.mu.Unlock()
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

const testSecret = "test-secret"

type fixture struct {
	clock *testClock
	h     *Handler
	dedup *MemoryDeduper
	logs  *bytes.Buffer
}

func newFixture(t *testing.T, vopts []Option, hopts ...HandlerOption) *fixture {
	t.Helper()
	c := &testClock{now: goldenTime}
	v := mustVerifier(t, []string{testSecret}, append([]Option{WithClock(c.Now)}, vopts...)...)
	d := NewMemoryDeduper(WithClock(c.Now))
	logs := &bytes.Buffer{}
	h, err := NewHandler(v, append([]HandlerOption{WithDeduper(d), WithLogger(slog.New(slog.NewTextHandler(logs, nil)))}, hopts...)...)
	require.NoError(t, err)
	return &fixture{clock: c, h: h, dedup: d, logs: logs}
}

// deliver signs body with secret at the fixture's current time and serves it.
func (f *fixture) deliver(t *testing.T, secret string, body string) *httptest.ResponseRecorder {
	t.Helper()
	r, err := NewSignedRequest(context.Background(), secret, "http://app.test/zoom/webhook", []byte(body), f.clock.Now())
	require.NoError(t, err)
	return f.serve(r)
}

func (f *fixture) serve(r *http.Request) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	f.h.ServeHTTP(w, r)
	return w
}

const validationBody = `{"payload":{"plainToken":"abc_DEF-123"},"event_ts":1700000000000,"event":"endpoint.url_validation"}`

func TestURLValidation(t *testing.T) {
	t.Parallel()
	f := newFixture(t, nil)
	w := f.deliver(t, testSecret, validationBody)
	require.Equal(t, http.StatusOK, w.Code, "status: %s", w.Body)
	var resp URLValidationResponse
	require.NoError(t, json.Unmarshal(w.Body.Bytes(), &resp))
	require.Equal(t, "abc_DEF-123", resp.PlainToken, "response %+v", resp)
	require.Equal(t, EncryptedToken(testSecret, "abc_DEF-123"), resp.EncryptedToken, "response %+v", resp)
	require.Equal(t, "application/json", w.Header().Get("Content-Type"), "content type")
}

func TestURLValidationAnsweredWithSigningSecret(t *testing.T) {
	t.Parallel()
	c := &testClock{now: goldenTime}
	v := mustVerifier(t, []string{"new", "old"}, WithClock(c.Now))
	h, err := NewHandler(v)
	require.NoError(t, err)
	r, _ := NewSignedRequest(context.Background(), "old", "http://app.test/", []byte(validationBody), c.Now())
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	var resp URLValidationResponse
	_ = json.Unmarshal(w.Body.Bytes(), &resp)
	require.Equal(t, 200, w.Code, "%d %+v", w.Code, resp)
	require.Equal(t, EncryptedToken("old", "abc_DEF-123"), resp.EncryptedToken, "%d %+v", w.Code, resp)
}

// The signing oracle: an unsigned or badly signed challenge must get 401 and no encryptedToken, and
// a signed challenge with a hostile plainToken gets 400 and no encryptedToken.
func TestURLValidationWithoutValidSignature(t *testing.T) {
	t.Parallel()
	f := newFixture(t, []Option{WithLegacyToken("legacy")})
	oracle := `{"event":"endpoint.url_validation","event_ts":1700000000000,"payload":{"plainToken":"v0:1700000000:{\"event\":\"meeting.deleted\"}"}}`
	cases := map[string]func() *http.Request{
		"unsigned": func() *http.Request {
			return httptest.NewRequest(http.MethodPost, "/", strings.NewReader(validationBody))
		},
		"wrong secret": func() *http.Request {
			r, _ := NewSignedRequest(context.Background(), "attacker", "http://app.test/", []byte(validationBody), f.clock.Now())
			return r
		},
		"oracle plainToken, unsigned": func() *http.Request {
			return httptest.NewRequest(http.MethodPost, "/", strings.NewReader(oracle))
		},
		"stale signature": func() *http.Request {
			r, _ := NewSignedRequest(context.Background(), testSecret, "http://app.test/", []byte(validationBody), f.clock.Now().Add(-time.Hour))
			return r
		},
		"legacy token only": func() *http.Request {
			r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(validationBody))
			r.Header.Set("Authorization", "legacy")
			return r
		},
	}
	for name, mk := range cases {
		w := f.serve(mk())
		assert.Equal(t, http.StatusUnauthorized, w.Code, "%s: %d %q", name, w.Code, w.Body)
		assert.NotContains(t, w.Body.String(), "encryptedToken", "%s: %d %q", name, w.Code, w.Body)
	}
	for _, tok := range []string{
		"v0:1700000000:{}", "", strings.Repeat("a", 129), "a b", "a/b", "é", "a\u0000",
	} {
		body, _ := json.Marshal(map[string]any{"event": "endpoint.url_validation", "payload": map[string]string{"plainToken": tok}})
		w := f.deliver(t, testSecret, string(body))
		assert.Equal(t, http.StatusBadRequest, w.Code, "plainToken %q: %d %q", tok, w.Code, w.Body)
		assert.NotContains(t, w.Body.String(), "encryptedToken", "plainToken %q: %d %q", tok, w.Code, w.Body)
	}
	w := f.deliver(t, testSecret, `{"event":"endpoint.url_validation","payload":{"plainToken":"`+strings.Repeat("a", 128)+`"}}`)
	assert.Equal(t, 200, w.Code, "128-character plainToken")
}

func TestHandlerRejections(t *testing.T) {
	t.Parallel()
	f := newFixture(t, []Option{WithMaxBodyBytes(256)})
	var calls atomic.Int32
	f.h.Fallback(func(ctx context.Context, e *Event) error { calls.Add(1); return nil })

	r := httptest.NewRequest(http.MethodGet, "/", nil)
	w := f.serve(r)
	assert.Equal(t, http.StatusMethodNotAllowed, w.Code, "GET")
	assert.Equal(t, "POST", w.Header().Get("Allow"), "GET: %d", w.Code)
	big := `{"event":"x","payload":{"pad":"` + strings.Repeat("a", 300) + `"}}`
	assert.Equal(t, http.StatusRequestEntityTooLarge, f.deliver(t, testSecret, big).Code, "big")
	r, _ = NewSignedRequest(context.Background(), testSecret, "http://app.test/", []byte(big), f.clock.Now())
	r.ContentLength = -1
	assert.Equal(t, http.StatusRequestEntityTooLarge, f.serve(r).Code, "big, chunked")
	w = f.deliver(t, "wrong", `{"event":"meeting.created"}`)
	assert.Equal(t, http.StatusUnauthorized, w.Code, "bad signature: %d %q", w.Code, w.Body)
	assert.Equal(t, bodyUnauthorized, w.Body.String(), "bad signature: %d %q", w.Code, w.Body)
	for _, body := range []string{`[]`, `{"event":1}`, `{}`, `not json`, `{"event":"a","event":"b"}`, `{"event":"a","payload":[]}`, `{"event":"a","event_ts":1.5}`} {
		assert.Equal(t, http.StatusBadRequest, f.deliver(t, testSecret, body).Code, body)
	}
	require.Zero(t, calls.Load(), "handler called for rejected requests")
	require.NotContains(t, f.logs.String(), testSecret, "secret logged")
}

func TestHandlerDispatch(t *testing.T) {
	t.Parallel()
	f := newFixture(t, nil)
	var got []string
	var mu sync.Mutex
	record := func(s string) { mu.Lock(); got = append(got, s); mu.Unlock() }
	f.h.OnMeetingParticipantJoined(func(ctx context.Context, e *Event, p *MeetingParticipantJoinedPayload) error {
		record(fmt.Sprintf("joined %d %s %s", p.Object.ID, p.Object.Participant.UserName, p.Object.Participant.JoinTime.Format(time.RFC3339)))
		return nil
	})
	Handle(f.h, "meeting.chat_message_sent", func(ctx context.Context, e *Event, p *struct {
		Object struct{ ID zoom.ID } `json:"object"`
	}) error {
		record(fmt.Sprintf("chat %d", p.Object.ID))
		return nil
	})
	f.h.Fallback(func(ctx context.Context, e *Event) error { record("fallback " + e.Name); return nil })

	for _, body := range []string{
		`{"event":"meeting.participant_joined","event_ts":1700000000001,"payload":{"object":{"id":"85393847045","uuid":"u1","participant":{"user_name":"Jill","join_time":"2023-11-14T22:13:20Z"}}}}`,
		`{"event":"meeting.chat_message_sent","event_ts":1700000000002,"payload":{"object":{"id":42}}}`,
		`{"event":"meeting.summary_completed","event_ts":1700000000003,"payload":{"object":{"uuid":"u2"}}}`,
	} {
		w := f.deliver(t, testSecret, body)
		require.Equal(t, http.StatusOK, w.Code, "%d %s", w.Code, w.Body)
	}
	want := []string{"joined 85393847045 Jill 2023-11-14T22:13:20Z", "chat 42", "fallback meeting.summary_completed"}
	require.Equal(t, fmt.Sprint(want), fmt.Sprint(got), "got %q", got)
	// A payload that does not decode into the registered type is a handler failure.
	w := f.deliver(t, testSecret, `{"event":"meeting.participant_joined","event_ts":1700000000009,"payload":{"object":{"id":1,"participant":"not-an-object"}}}`)
	require.Equal(t, http.StatusInternalServerError, w.Code, "undecodable payload")
	// Without a fallback, unknown events are acknowledged.
	g := newFixture(t, nil)
	w = g.deliver(t, testSecret, `{"event":"something.new","event_ts":1}`)
	require.Equal(t, http.StatusOK, w.Code, "unknown event without fallback")
}

func TestHandlerRegistrationPanics(t *testing.T) {
	t.Parallel()
	f := newFixture(t, nil)
	f.h.On("a", func(context.Context, *Event) error { return nil })
	for name, fn := range map[string]func(){
		"duplicate":      func() { f.h.On("a", func(context.Context, *Event) error { return nil }) },
		"empty name":     func() { f.h.On("", func(context.Context, *Event) error { return nil }) },
		"nil func":       func() { f.h.On("b", nil) },
		"url validation": func() { f.h.On(EventEndpointURLValidation, func(context.Context, *Event) error { return nil }) },
	} {
		assert.Panics(t, fn, "%s: no panic", name)
	}
}

func TestNewHandlerValidation(t *testing.T) {
	t.Parallel()
	v := mustVerifier(t, []string{"k"})
	for name, tc := range map[string]struct {
		v    *Verifier
		opts []HandlerOption
	}{
		"nil verifier": {nil, nil},
		"nil deduper":  {v, []HandlerOption{WithDeduper(nil)}},
		"nil key":      {v, []HandlerOption{WithDedupKey(nil)}},
		"zero ttl":     {v, []HandlerOption{WithDedupTTL(0)}},
		"nil logger":   {v, []HandlerOption{WithLogger(nil)}},
		"nil option":   {v, []HandlerOption{nil}},
	} {
		_, err := NewHandler(tc.v, tc.opts...)
		assert.ErrorIs(t, err, ErrInvalidOption, name)
	}
}

// Zoom redelivers at +5, +25 and +85 minutes with fresh signatures; the event is handled once, and a
// redelivery that differs only in download_token and download URLs is still a duplicate.
func TestRedeliveriesAreDeduplicated(t *testing.T) {
	t.Parallel()
	f := newFixture(t, nil)
	var calls atomic.Int32
	f.h.OnRecordingCompleted(func(ctx context.Context, e *Event, p *RecordingCompletedPayload) error {
		calls.Add(1)
		return nil
	})
	body := func(token string) string {
		return `{"event":"recording.completed","event_ts":1700000000123,"download_token":"` + token +
			`","payload":{"account_id":"a","object":{"id":85393847045,"uuid":"inst==","recording_files":[{"download_url":"https://zoom.us/rec/download/` + token + `"}]}}}`
	}
	start := f.clock.Now()
	for i, at := range []time.Duration{0, 5 * time.Minute, 25 * time.Minute, 85 * time.Minute, 23 * time.Hour} {
		f.clock.Set(start.Add(at))
		w := f.deliver(t, testSecret, body(fmt.Sprintf("token-%d", i)))
		require.Equal(t, http.StatusOK, w.Code, "delivery at +%v", at)
	}
	require.EqualValues(t, 1, calls.Load(), "handled times")
	// Another instance of the same meeting, or another event name, is not a duplicate.
	f.deliver(t, testSecret, strings.Replace(body("x"), "inst==", "other==", 1))
	f.deliver(t, testSecret, strings.Replace(body("x"), "1700000000123", "1700000000124", 1))
	require.EqualValues(t, 3, calls.Load(), "handled times")
	// After the TTL the key is forgotten (and swept).
	f.clock.Advance(25 * time.Hour)
	f.deliver(t, testSecret, body("late"))
	require.EqualValues(t, 4, calls.Load(), "after TTL: handled times")
}

func TestHandlerFailureReleasesForRetry(t *testing.T) {
	t.Parallel()
	f := newFixture(t, nil)
	var calls atomic.Int32
	f.h.OnMeetingEnded(func(ctx context.Context, e *Event, p *MeetingEndedPayload) error {
		switch calls.Add(1) {
		case 1:
			return errors.New("database down")
		case 2:
			panic("handler bug")
		}
		return nil
	})
	body := `{"event":"meeting.ended","event_ts":1700000000123,"payload":{"object":{"id":"1","uuid":"u"}}}`
	for i, want := range []int{500, 500, 200, 200} {
		f.clock.Advance(time.Minute)
		w := f.deliver(t, testSecret, body)
		require.Equal(t, want, w.Code, "delivery %d", i)
	}
	require.EqualValues(t, 3, calls.Load(), "calls")
	require.Contains(t, f.logs.String(), "handler bug", "panic not logged")
}

type failingDeduper struct{ claimErr error }

func (d failingDeduper) Claim(context.Context, string, time.Duration) (bool, error) {
	return false, d.claimErr
}
func (d failingDeduper) Release(context.Context, string) error { return nil }

// If the dedup store fails, the handler answers 503 so Zoom retries: it neither drops the event nor
// risks handling it twice.
func TestDedupStoreFailure(t *testing.T) {
	t.Parallel()
	f := newFixture(t, nil, WithDeduper(failingDeduper{errors.New("redis: connection refused")}))
	var calls atomic.Int32
	f.h.Fallback(func(context.Context, *Event) error { calls.Add(1); return nil })
	w := f.deliver(t, testSecret, `{"event":"meeting.created","event_ts":1,"payload":{"object":{"id":1}}}`)
	require.Equal(t, http.StatusServiceUnavailable, w.Code, "status")
	require.Zero(t, calls.Load(), "handler ran without a claim")
	// URL validation does not depend on the store.
	w = f.deliver(t, testSecret, validationBody)
	require.Equal(t, http.StatusOK, w.Code, "validation")
}

func TestWithoutDedupAndCustomKey(t *testing.T) {
	t.Parallel()
	var calls atomic.Int32
	count := func(context.Context, *Event) error { calls.Add(1); return nil }
	body := `{"event":"meeting.created","event_ts":1,"payload":{"object":{"id":1}}}`

	f := newFixture(t, nil, WithoutDedup())
	f.h.Fallback(count)
	f.deliver(t, testSecret, body)
	f.deliver(t, testSecret, body)
	require.EqualValues(t, 2, calls.Load(), "WithoutDedup: calls")
	calls.Store(0)
	g := newFixture(t, nil, WithDedupKey(func(e *Event) string { return "" }))
	g.h.Fallback(count)
	g.deliver(t, testSecret, body)
	g.deliver(t, testSecret, body)
	require.EqualValues(t, 2, calls.Load(), "empty key: calls")
}

func TestLegacyTokenThroughHandler(t *testing.T) {
	t.Parallel()
	f := newFixture(t, []Option{WithLegacyToken("legacy-token")})
	var got *AppDeauthorizedPayload
	f.h.OnAppDeauthorized(func(ctx context.Context, e *Event, p *AppDeauthorizedPayload) error { got = p; return nil })
	body := `{"event":"app_deauthorized","payload":{"account_id":"a","user_id":"u","client_id":"c","deauthorization_time":"2025-06-01T10:00:00.123Z","signature":"sig","user_data_retention":"false"}}`
	r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
	r.Header.Set("Authorization", "legacy-token")
	w := f.serve(r)
	require.Equal(t, 200, w.Code, "%d %+v", w.Code, got)
	require.NotNil(t, got, "%d %+v", w.Code, got)
	require.Equal(t, "u", got.UserID, "%d %+v", w.Code, got)
	require.Equal(t, NullBool{false, true}, got.UserDataRetention, "%d %+v", w.Code, got)
	r = httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
	r.Header.Set("Authorization", "wrong")
	w = f.serve(r)
	require.Equal(t, http.StatusUnauthorized, w.Code, "wrong legacy token")
}

func TestDefaultKey(t *testing.T) {
	t.Parallel()
	mk := func(body string) *Event {
		e, err := ParseEvent([]byte(body))
		require.NoError(t, err)
		return e
	}
	for body, want := range map[string]string{
		`{"event":"meeting.created","event_ts":1700000000123,"payload":{"object":{"uuid":"a/b==","id":5}}}`: "zoom:meeting.created:1700000000123:uuid=a/b==",
		`{"event":"meeting.started","event_ts":2,"payload":{"object":{"id":"85393847045"}}}`:                "zoom:meeting.started:2:id=85393847045",
		`{"event":"group.created","event_ts":3,"payload":{"object":{"id":"grp","uuid":""}}}`:                "zoom:group.created:3:id=grp",
		`{"event":"x","payload":{}}`: "zoom:x:0:sha256=44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a",
	} {
		assert.Equal(t, want, DefaultKey(mk(body)), body)
	}
	// The key ignores download_token and the rest of the payload.
	a := DefaultKey(mk(`{"event":"recording.completed","event_ts":1,"download_token":"A","payload":{"object":{"uuid":"u","share_url":"1"}}}`))
	b := DefaultKey(mk(`{"event":"recording.completed","event_ts":1,"download_token":"B","payload":{"object":{"share_url":"2","uuid":"u"}}}`))
	require.Equal(t, a, b)

	// Two attendees joining in the same millisecond share the webinar's uuid
	// and event_ts: they are two events, not a redelivery. A redelivery of
	// one of them is still a duplicate.
	joined := func(user, at string) string {
		return `{"event":"webinar.participant_joined","event_ts":1700000000123,"payload":{"object":{"id":"9","uuid":"w==","participant":{"user_id":"` + user + `","user_name":"N","join_time":"` + at + `"}}}}`
	}
	okafor, fernandez := DefaultKey(mk(joined("16778240", "2026-11-25T20:00:00Z"))), DefaultKey(mk(joined("16779264", "2026-11-25T20:00:00Z")))
	require.NotEqual(t, okafor, fernandez, "two participants got one key")
	require.Equal(t, okafor, DefaultKey(mk(joined("16778240", "2026-11-25T20:00:00Z"))), "a redelivery got another key")
	// Likewise two registrants of one meeting, and two member sets of one group.
	reg := func(id string) string {
		return DefaultKey(mk(`{"event":"meeting.registration_created","event_ts":5,"payload":{"object":{"id":9,"uuid":"m==","registrant":{"id":"` + id + `","email":"` + id + `@x.example"}}}}`))
	}
	require.NotEqual(t, reg("r1"), reg("r2"), "two registrants got one key")
	members := func(id string) string {
		return DefaultKey(mk(`{"event":"group.member_added","event_ts":6,"payload":{"object":{"id":"g","members":[{"id":"` + id + `","email":"a@x.example"}]}}}`))
	}
	first, again := members("u1"), members("u1")
	require.NotEqual(t, first, members("u2"), "group member keys")
	require.Equal(t, first, again, "group member keys")
}

// Concurrent deliveries of one event (Zoom's retry racing a slow first attempt) are handled once.
func TestConcurrentDuplicatesHandledOnce(t *testing.T) {
	t.Parallel()
	f := newFixture(t, nil)
	var calls atomic.Int32
	f.h.OnWebinarParticipantJoined(func(ctx context.Context, e *Event, p *WebinarParticipantJoinedPayload) error {
		calls.Add(1)
		return nil
	})
	body := `{"event":"webinar.participant_joined","event_ts":1700000000123,"payload":{"object":{"id":"1","uuid":"w=="}}}`
	var wg sync.WaitGroup
	codes := make([]int, 20)
	for i := range codes {
		r, err := NewSignedRequest(context.Background(), testSecret, "http://app.test/", []byte(body), f.clock.Now())
		require.NoError(t, err)
		wg.Go(func() { codes[i] = f.serve(r).Code })
	}
	wg.Wait()
	for i, c := range codes {
		require.Equal(t, http.StatusOK, c, "delivery %d", i)
	}
	require.EqualValues(t, 1, calls.Load(), "handled times")
}
