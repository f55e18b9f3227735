package webhook

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"
)

const wsWait = 10 * time.Second

// fakeAfter is a clock for a WebSocketSource: every wait it is asked for is
// reported on reqs, and fires when the test sends on its channel.
type fakeAfter struct{ reqs chan timerReq }

type timerReq struct {
	d  time.Duration
	ch chan time.Time
}

func newFakeAfter() *fakeAfter { return &fakeAfter{reqs: make(chan timerReq, 100)} }

func (f *fakeAfter) after(d time.Duration) <-chan time.Time {
	ch := make(chan time.Time, 1)
	f.reqs <- timerReq{d, ch}
	return ch
}

// next returns the next wait asked for that is not a heartbeat of hb (0: any).
func (f *fakeAfter) next(t *testing.T, skip time.Duration) timerReq {
	t.Helper()
	for {
		select {
		case r := <-f.reqs:
			if skip != 0 && r.d == skip {
				continue
			}
			return r
		case <-time.After(wsWait):
			t.Fatal("no timer was started")
		}
	}
}

// staticTokens hands out tokens; ForceRefresh moves to the next one.
type staticTokens struct {
	mu       sync.Mutex
	toks     []string
	i        int
	rejected []string
}

func (s *staticTokens) TokenContext(context.Context) (*oauth2.Token, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return &oauth2.Token{AccessToken: s.toks[s.i]}, nil
}

func (s *staticTokens) ForceRefresh(_ context.Context, rejected *oauth2.Token) (*oauth2.Token, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rejected = append(s.rejected, rejected.AccessToken)
	if s.i < len(s.toks)-1 {
		s.i++
	}
	return &oauth2.Token{AccessToken: s.toks[s.i]}, nil
}

// wsPeer is a test WebSocket endpoint: it accepts tokens in good and hands
// each connection to the test.
type wsPeer struct {
	srv   *httptest.Server
	conns chan *websocket.Conn
	mu    sync.Mutex
	good  map[string]bool
	seen  []string // tokens presented
	wg    sync.WaitGroup
	done  chan struct{}
}

func newWSPeer(t *testing.T, good ...string) *wsPeer {
	p := &wsPeer{conns: make(chan *websocket.Conn, 10), good: map[string]bool{}, done: make(chan struct{})}
	for _, g := range good {
		p.good[g] = true
	}
	p.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tok := r.URL.Query().Get("access_token")
		p.mu.Lock()
		p.seen = append(p.seen, tok)
		ok := p.good[tok] && r.URL.Query().Get("subscriptionId") == "sub-1"
		p.mu.Unlock()
		if !ok {
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		c, err := websocket.Accept(w, r, nil)
		if err != nil {
			return
		}
		p.wg.Add(1)
		defer p.wg.Done()
		p.conns <- c
		<-p.done // the test owns the connection until the end
		_ = c.CloseNow()
	}))
	t.Cleanup(func() {
		close(p.done)
		p.srv.Close()
		p.wg.Wait()
	})
	return p
}

func (p *wsPeer) url() string { return "ws" + strings.TrimPrefix(p.srv.URL, "http") + "/ws" }

func (p *wsPeer) accept(t *testing.T) *websocket.Conn {
	t.Helper()
	select {
	case c := <-p.conns:
		return c
	case <-time.After(wsWait):
		t.Fatal("the source did not connect")
		return nil
	}
}

func sendEvent(t *testing.T, c *websocket.Conn, body string) {
	t.Helper()
	msg, _ := json.Marshal(map[string]string{"module": "message", "content": body})
	require.NoError(t, c.Write(context.Background(), websocket.MessageText, msg))
}

// runSource starts s.Run and returns a function that cancels it and
// returns Run's error.
func runSource(t *testing.T, s *WebSocketSource) func() error {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	stopped := false
	stop := func() error {
		if stopped {
			return nil
		}
		stopped = true
		cancel()
		select {
		case err := <-done:
			return err
		case <-time.After(wsWait):
			t.Fatal("Run did not return after cancel")
			return nil
		}
	}
	t.Cleanup(func() { _ = stop() })
	return stop
}

func newTestSource(t *testing.T, h *Handler, ts WebSocketTokenSource, url string, clock *fakeAfter, opts ...WebSocketOption) *WebSocketSource {
	t.Helper()
	s, err := NewWebSocketSource(h, ts, "sub-1", append([]WebSocketOption{WithWebSocketURL(url)}, opts...)...)
	require.NoError(t, err)
	s.after = clock.after
	return s
}

func newTestHandler(t *testing.T, opts ...HandlerOption) *Handler {
	t.Helper()
	v, err := NewVerifier([]string{"secret"})
	require.NoError(t, err)
	h, err := NewHandler(v, opts...)
	require.NoError(t, err)
	return h
}

const startedEvent = `{"event":"meeting.started","event_ts":1700000000000,"payload":{"account_id":"a","object":{"id":85746065432,"uuid":"u1","topic":"T"}}}`

func TestWebSocketSourceDispatchesEventsOnceAndSkipsMalformedMessages(t *testing.T) {
	var logs bytes.Buffer
	var logMu sync.Mutex
	logger := slog.New(slog.NewTextHandler(lockedWriter{&logMu, &logs}, &slog.HandlerOptions{Level: slog.LevelDebug}))
	h := newTestHandler(t, WithLogger(logger))
	got := make(chan string, 10)
	h.OnMeetingStarted(func(_ context.Context, _ *Event, p *MeetingStartedPayload) error {
		got <- p.Object.Topic
		return nil
	})
	other := make(chan string, 10)
	h.Fallback(func(_ context.Context, e *Event) error { other <- e.Name; return nil })

	peer := newWSPeer(t, "tok-secret-1")
	s := newTestSource(t, h, &staticTokens{toks: []string{"tok-secret-1"}}, peer.url(), newFakeAfter())
	stop := runSource(t, s)
	c := peer.accept(t)

	ctx := context.Background()
	for _, bad := range []string{
		`not json`,
		`{"module":"heartbeat","success":true}`,
		`{"module":"build_connection","success":true}`,
		`{"module":"message","content":"not an event"}`,
		`{"module":"message","content":42}`,
		`{"module":"message","content":"{\"event\":\"endpoint.url_validation\",\"payload\":{\"plainToken\":\"x\"}}"}`,
	} {
		require.NoError(t, c.Write(ctx, websocket.MessageText, []byte(bad)))
	}
	sendEvent(t, c, startedEvent)
	sendEvent(t, c, startedEvent) // a duplicate: dropped by the Handler's dedup
	// content as an object rather than a string is accepted too
	require.NoError(t, c.Write(ctx, websocket.MessageText,
		[]byte(`{"module":"message","content":{"event":"user.created","event_ts":1,"payload":{"object":{"id":"x"}}}}`)))

	select {
	case topic := <-got:
		assert.Equal(t, "T", topic)
	case <-time.After(wsWait):
		t.Fatal("meeting.started was not dispatched")
	}
	select {
	case name := <-other:
		assert.Equal(t, "user.created", name)
	case <-time.After(wsWait):
		t.Fatal("user.created was not dispatched")
	}
	require.ErrorIs(t, stop(), context.Canceled)
	assert.Empty(t, got, "the duplicate was dispatched")
	assert.Empty(t, other)

	logMu.Lock()
	defer logMu.Unlock()
	assert.Contains(t, logs.String(), "websocket message skipped")
	assert.NotContains(t, logs.String(), "tok-secret-1")
}

type lockedWriter struct {
	mu *sync.Mutex
	b  *bytes.Buffer
}

func (w lockedWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.Write(p)
}

func TestWebSocketSourceSendsHeartbeatsOnZoomsInterval(t *testing.T) {
	h := newTestHandler(t)
	peer := newWSPeer(t, "tok")
	clock := newFakeAfter()
	s := newTestSource(t, h, &staticTokens{toks: []string{"tok"}}, peer.url(), clock)
	runSource(t, s)
	c := peer.accept(t)
	for range 2 {
		r := clock.next(t, 0)
		require.Equal(t, 30*time.Second, r.d, "heartbeat interval")
		r.ch <- time.Time{}
		ctx, cancel := context.WithTimeout(context.Background(), wsWait)
		typ, msg, err := c.Read(ctx)
		cancel()
		require.NoError(t, err)
		assert.Equal(t, websocket.MessageText, typ)
		assert.JSONEq(t, `{"module":"heartbeat"}`, string(msg))
	}
}

func TestWebSocketSourceReconnectsWithBackoffAfterTheConnectionDrops(t *testing.T) {
	h := newTestHandler(t)
	got := make(chan string, 10)
	h.OnMeetingStarted(func(_ context.Context, _ *Event, p *MeetingStartedPayload) error {
		got <- p.Object.UUID
		return nil
	})
	peer := newWSPeer(t, "tok")
	clock := newFakeAfter()
	s := newTestSource(t, h, &staticTokens{toks: []string{"tok"}}, peer.url(), clock,
		WithReconnectBackoff(2*time.Second, 8*time.Second))
	runSource(t, s)

	for i, want := range []time.Duration{2 * time.Second, 2 * time.Second} {
		c := peer.accept(t)
		sendEvent(t, c, strings.Replace(startedEvent, `"u1"`, `"u-`+string(rune('a'+i))+`"`, 1))
		select {
		case <-got:
		case <-time.After(wsWait):
			t.Fatalf("connection %d: event not dispatched", i)
		}
		require.NoError(t, c.CloseNow()) // the server drops the connection
		r := clock.next(t, DefaultHeartbeatInterval)
		// A connection that opened resets the backoff: each drop waits the first step.
		assert.GreaterOrEqual(t, r.d, want/2)
		assert.LessOrEqual(t, r.d, want)
		r.ch <- time.Time{}
	}
	peer.accept(t) // and it reconnects again
}

func TestWebSocketSourceBacksOffExponentiallyWhileConnectingFails(t *testing.T) {
	h := newTestHandler(t)
	peer := newWSPeer(t) // refuses every token
	clock := newFakeAfter()
	ts := &staticTokens{toks: []string{"tok"}}
	s := newTestSource(t, h, ts, peer.url(), clock, WithReconnectBackoff(time.Second, 4*time.Second))
	runSource(t, s)
	for _, d := range []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 4 * time.Second} {
		r := clock.next(t, 0)
		assert.GreaterOrEqual(t, r.d, d/2)
		assert.LessOrEqual(t, r.d, d)
		r.ch <- time.Time{}
	}
}

func TestWebSocketSourceForcesARefreshWhenTheTokenIsRefused(t *testing.T) {
	h := newTestHandler(t)
	peer := newWSPeer(t, "tok-new")
	clock := newFakeAfter()
	ts := &staticTokens{toks: []string{"tok-old", "tok-new"}}
	s := newTestSource(t, h, ts, peer.url(), clock)
	runSource(t, s)

	r := clock.next(t, 0) // the backoff after the refusal
	r.ch <- time.Time{}
	peer.accept(t)
	ts.mu.Lock()
	assert.Equal(t, []string{"tok-old"}, ts.rejected, "ForceRefresh with the refused token")
	ts.mu.Unlock()
	peer.mu.Lock()
	assert.Equal(t, []string{"tok-old", "tok-new"}, peer.seen)
	peer.mu.Unlock()
}

func TestWebSocketSourceClosesTheConnectionOnAnOversizedMessage(t *testing.T) {
	h := newTestHandler(t)
	peer := newWSPeer(t, "tok")
	clock := newFakeAfter()
	s := newTestSource(t, h, &staticTokens{toks: []string{"tok"}}, peer.url(), clock, WithMaxMessageBytes(64))
	runSource(t, s)
	c := peer.accept(t)
	sendEvent(t, c, startedEvent) // > 64 bytes
	r := clock.next(t, DefaultHeartbeatInterval)
	r.ch <- time.Time{}
	peer.accept(t) // reconnected
}

func TestWebSocketSourceRunReturnsWhenTheContextEnds(t *testing.T) {
	h := newTestHandler(t)
	peer := newWSPeer(t, "tok")
	s := newTestSource(t, h, &staticTokens{toks: []string{"tok"}}, peer.url(), newFakeAfter())
	stop := runSource(t, s)
	peer.accept(t)
	require.ErrorIs(t, stop(), context.Canceled)

	// And while waiting to reconnect.
	refusing := newWSPeer(t)
	s = newTestSource(t, h, &staticTokens{toks: []string{"tok"}}, refusing.url(), newFakeAfter())
	stop = runSource(t, s)
	require.ErrorIs(t, stop(), context.Canceled)
}

func TestWebSocketSourceErrorsAndLogsHideTheToken(t *testing.T) {
	var logs bytes.Buffer
	var mu sync.Mutex
	logger := slog.New(slog.NewTextHandler(lockedWriter{&mu, &logs}, nil))
	h := newTestHandler(t)
	// A closed port: the handshake fails with a *url.Error naming the URL.
	dead := httptest.NewServer(http.NotFoundHandler())
	u := "ws" + strings.TrimPrefix(dead.URL, "http") + "/ws"
	dead.Close()
	tok := "sekrit/token+value"
	s := newTestSource(t, h, &staticTokens{toks: []string{tok}}, u, newFakeAfter(), WithWebSocketLogger(logger))
	_, err := s.session(context.Background(), &oauth2.Token{AccessToken: tok})
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "sekrit")
	assert.Contains(t, err.Error(), "REDACTED")
	var target interface{ Unwrap() error }
	assert.False(t, errors.As(err, &target), "the error wraps nothing that holds the URL")

	clock := newFakeAfter()
	s = newTestSource(t, h, &staticTokens{toks: []string{tok}}, u, clock, WithWebSocketLogger(logger))
	runSource(t, s)
	clock.next(t, 0) // one failure logged
	mu.Lock()
	defer mu.Unlock()
	assert.Contains(t, logs.String(), "reconnecting")
	assert.NotContains(t, logs.String(), "sekrit")
	assert.NotContains(t, s.String(), "sekrit")
}

func TestNewWebSocketSourceValidates(t *testing.T) {
	h := newTestHandler(t)
	ts := &staticTokens{toks: []string{"t"}}
	for name, tc := range map[string]struct {
		h    *Handler
		ts   WebSocketTokenSource
		sub  string
		opts []WebSocketOption
	}{
		"nil handler":     {nil, ts, "s", nil},
		"nil tokens":      {h, nil, "s", nil},
		"no subscription": {h, ts, "", nil},
		"plain ws":        {h, ts, "s", []WebSocketOption{WithWebSocketURL("ws://ws.zoom.us/ws")}},
		"https":           {h, ts, "s", []WebSocketOption{WithWebSocketURL("https://ws.zoom.us/ws")}},
		"user info":       {h, ts, "s", []WebSocketOption{WithWebSocketURL("wss://u:p@ws.zoom.us/ws")}},
		"heartbeat":       {h, ts, "s", []WebSocketOption{WithHeartbeatInterval(0)}},
		"backoff":         {h, ts, "s", []WebSocketOption{WithReconnectBackoff(2, 1)}},
		"size":            {h, ts, "s", []WebSocketOption{WithMaxMessageBytes(0)}},
		"client":          {h, ts, "s", []WebSocketOption{WithWebSocketHTTPClient(nil)}},
		"logger":          {h, ts, "s", []WebSocketOption{WithWebSocketLogger(nil)}},
		"nil option":      {h, ts, "s", []WebSocketOption{nil}},
	} {
		_, err := NewWebSocketSource(tc.h, tc.ts, tc.sub, tc.opts...)
		assert.ErrorIs(t, err, ErrInvalidOption, name)
	}
	for _, ok := range []string{"wss://ws.zoom.us/ws", "ws://127.0.0.1:8080/ws", "ws://localhost/ws", "ws://[::1]:1/ws"} {
		_, err := NewWebSocketSource(h, ts, "s", WithWebSocketURL(ok))
		assert.NoError(t, err, ok)
	}
}

// An event read just as the source stops is handled with a cancelled
// context, and the deduper refuses to claim with it: that is not a failing
// store to fail open on, or the event is handled a second time.
func TestWebSocketSourceDoesNotFailOpenWhenItsContextEnds(t *testing.T) {
	h := newTestHandler(t)
	var calls int
	h.OnMeetingStarted(func(context.Context, *Event, *MeetingStartedPayload) error { calls++; return nil })
	s := newTestSource(t, h, &staticTokens{toks: []string{"t"}}, "ws://127.0.0.1:1/ws", newFakeAfter())
	msg, _ := json.Marshal(map[string]string{"module": "message", "content": startedEvent})
	s.handleMessage(context.Background(), msg)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	s.handleMessage(ctx, msg) // a duplicate, read as the source stops
	assert.Equal(t, 1, calls)
}

// Zoom does not redeliver over a WebSocket: when the dedup store fails the
// event is handled anyway (at least once) rather than lost.
func TestWebSocketSourceHandlesEventsWhenTheDedupStoreFails(t *testing.T) {
	h := newTestHandler(t, WithDeduper(failingDeduper{errors.New("store down")}))
	var calls int
	h.OnMeetingStarted(func(context.Context, *Event, *MeetingStartedPayload) error { calls++; return nil })
	s := newTestSource(t, h, &staticTokens{toks: []string{"t"}}, "ws://127.0.0.1:1/ws", newFakeAfter())
	msg, _ := json.Marshal(map[string]string{"module": "message", "content": startedEvent})
	s.handleMessage(context.Background(), msg)
	assert.Equal(t, 1, calls)
}

// A function that fails over the WebSocket is logged and its dedup claim
// released, so that the event is handled should Zoom send it again; the
// connection stays open.
func TestWebSocketSourceReleasesTheClaimWhenTheFunctionFails(t *testing.T) {
	var logs bytes.Buffer
	var mu sync.Mutex
	h := newTestHandler(t, WithLogger(slog.New(slog.NewTextHandler(lockedWriter{&mu, &logs}, nil))))
	calls := 0
	h.OnMeetingStarted(func(context.Context, *Event, *MeetingStartedPayload) error {
		calls++
		if calls == 1 {
			return errors.New("database down")
		}
		return nil
	})
	s := newTestSource(t, h, &staticTokens{toks: []string{"t"}}, "ws://127.0.0.1:1/ws", newFakeAfter())
	msg, _ := json.Marshal(map[string]string{"module": "message", "content": startedEvent})
	s.handleMessage(context.Background(), msg)
	s.handleMessage(context.Background(), msg)
	s.handleMessage(context.Background(), msg) // handled by the second: a duplicate now
	assert.Equal(t, 2, calls)
	mu.Lock()
	defer mu.Unlock()
	assert.Contains(t, logs.String(), "handler failed")
}
