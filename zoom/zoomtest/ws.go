package zoomtest

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/coder/websocket"
)

// WebSocketPath is the path of the fake's WebSocket endpoint for event
// subscriptions (Zoom's is wss://ws.zoom.us/ws).
const WebSocketPath = "/ws"

// wsHub holds the WebSocket event subscriptions and their open connections.
// Its zero value is ready; it has a lock of its own (never taken with s.mu
// held the other way round: s.mu is never held while calling into it).
type wsHub struct {
	mu      sync.Mutex
	subs    map[string]map[string]bool // subscription id -> events (nil: all)
	conns   map[*wsConn]struct{}
	opened  int           // connections accepted since the start
	changed chan struct{} // closed and replaced when opened grows
	closed  bool
	wg      sync.WaitGroup // handlers of open connections
}

type wsConn struct {
	c      *websocket.Conn
	events map[string]bool
}

// NewWebSocketSubscription creates an event subscription delivered over
// WebSockets, for the events named (every event when none is named), and
// returns its id: connect to [Server.WebSocketURL] with
// ?subscriptionId=<id>&access_token=<token>. Every event the server sends
// to webhook subscribers is also sent, once, to every connection open on a
// matching subscription at that moment, as
// {"module":"message","content":"<event JSON>"}; events that happen while
// no connection is open are not delivered, as at Zoom. [Server.Redeliver]
// sends the event to the open connections again (a duplicate).
func (s *Server) NewWebSocketSubscription(events ...string) (string, error) {
	var set map[string]bool
	if len(events) > 0 {
		set = map[string]bool{}
		for _, e := range events {
			if e == "" {
				return "", errors.New("zoomtest: NewWebSocketSubscription: empty event name")
			}
			set[e] = true
		}
	}
	id := secretToken("", 16)
	h := &s.ws
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.subs == nil {
		h.subs = map[string]map[string]bool{}
	}
	h.subs[id] = set
	return id, nil
}

// WebSocketURL returns the WebSocket endpoint's URL, such as
// ws://127.0.0.1:40123/ws, to pass to webhook.WithWebSocketURL.
func (s *Server) WebSocketURL() string {
	return "ws" + strings.TrimPrefix(s.ts.URL, "http") + WebSocketPath
}

// WebSocketConnections returns how many WebSocket connections are open.
func (s *Server) WebSocketConnections() int {
	s.ws.mu.Lock()
	defer s.ws.mu.Unlock()
	return len(s.ws.conns)
}

// WaitWebSocketConnections waits until n WebSocket connections have been
// accepted since the server started (reconnections count), or ctx ends.
// Tests use it to know that a client is connected before causing events.
func (s *Server) WaitWebSocketConnections(ctx context.Context, n int) error {
	h := &s.ws
	for {
		h.mu.Lock()
		if h.opened >= n {
			h.mu.Unlock()
			return nil
		}
		ch := h.changedLocked()
		h.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// DropWebSocketConnections closes every open WebSocket connection abruptly,
// as a network failure or a Zoom restart would, and returns how many it
// closed. Clients are expected to reconnect.
func (s *Server) DropWebSocketConnections() int {
	h := &s.ws
	h.mu.Lock()
	conns := make([]*wsConn, 0, len(h.conns))
	for c := range h.conns {
		conns = append(conns, c)
	}
	h.mu.Unlock()
	for _, c := range conns {
		_ = c.c.CloseNow()
	}
	return len(conns)
}

func (h *wsHub) changedLocked() chan struct{} {
	if h.changed == nil {
		h.changed = make(chan struct{})
	}
	return h.changed
}

// serveWebSocket serves GET /ws: the token must be valid and the
// subscription known, else the handshake is answered 401 (code 124, as the
// REST API) or 404.
func (s *Server) serveWebSocket(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	s.mu.Lock()
	t := s.st.tokens[q.Get("access_token")]
	valid := t != nil && !t.revoked && (t.expires.IsZero() || s.cfg.now().Before(t.expires)) &&
		(t.userID == "" || s.st.userByID(t.userID) != nil)
	s.mu.Unlock()
	h := &s.ws
	h.mu.Lock()
	events, known := h.subs[q.Get("subscriptionId")]
	closed := h.closed
	if !closed && valid && known {
		h.wg.Add(1)
	}
	h.mu.Unlock()
	switch {
	case closed:
		s.record(r, "websocket", http.StatusServiceUnavailable, "")
		writeJSON(w, http.StatusServiceUnavailable, zoomError{Code: 503, Message: "The server is closed."})
		return
	case !valid:
		s.record(r, "websocket", http.StatusUnauthorized, "")
		writeJSON(w, http.StatusUnauthorized, zoomError{Code: 124, Message: "Invalid access token."})
		return
	case !known:
		s.record(r, "websocket", http.StatusNotFound, "")
		writeJSON(w, http.StatusNotFound, zoomError{Code: 404, Message: "Subscription not found."})
		return
	}
	defer h.wg.Done()
	c, err := websocket.Accept(w, r, nil)
	if err != nil {
		s.record(r, "websocket", http.StatusBadRequest, "")
		return
	}
	defer c.CloseNow()
	s.record(r, "websocket", http.StatusSwitchingProtocols, "")
	c.SetReadLimit(64 << 10)
	wc := &wsConn{c: c, events: events}
	h.mu.Lock()
	if h.closed {
		h.mu.Unlock()
		return
	}
	if h.conns == nil {
		h.conns = map[*wsConn]struct{}{}
	}
	h.conns[wc] = struct{}{}
	h.opened++
	if h.changed != nil {
		close(h.changed)
		h.changed = nil
	}
	h.mu.Unlock()
	defer func() {
		h.mu.Lock()
		delete(h.conns, wc)
		h.mu.Unlock()
	}()
	for {
		_, data, err := c.Read(context.Background())
		if err != nil {
			return // closed by the client, by Drop or by Close
		}
		var m struct {
			Module string `json:"module"`
		}
		if json.Unmarshal(data, &m) == nil && m.Module == "heartbeat" {
			ctx, cancel := context.WithTimeout(context.Background(), wsWriteTimeout)
			err := c.Write(ctx, websocket.MessageText, []byte(`{"module":"heartbeat","success":true}`))
			cancel()
			if err != nil {
				return
			}
		}
	}
}

// wsWriteTimeout bounds the fake's writes to a WebSocket connection; a
// connection that does not take a message within it is closed.
const wsWriteTimeout = 3 * time.Second

// publishWebSocket sends events to the open WebSocket connections whose
// subscription names them, one after the other. It is called where
// webhook deliveries fan out, without s.mu held.
func (s *Server) publishWebSocket(events []pendingEvent) {
	h := &s.ws
	h.mu.Lock()
	if h.closed || len(h.conns) == 0 {
		h.mu.Unlock()
		return
	}
	conns := make([]*wsConn, 0, len(h.conns))
	for c := range h.conns {
		conns = append(conns, c)
	}
	h.wg.Add(1)
	h.mu.Unlock()
	defer h.wg.Done()
	for _, ev := range events {
		msg, _ := json.Marshal(map[string]string{"module": "message", "content": string(ev.body)})
		for _, c := range conns {
			if c.events != nil && !c.events[ev.name] {
				continue
			}
			ctx, cancel := context.WithTimeout(context.Background(), wsWriteTimeout)
			if err := c.c.Write(ctx, websocket.MessageText, msg); err != nil {
				_ = c.c.CloseNow()
			}
			cancel()
		}
	}
}

// closeWebSocket closes every connection and waits for their handlers.
func (s *Server) closeWebSocket() {
	h := &s.ws
	h.mu.Lock()
	h.closed = true
	h.mu.Unlock()
	s.DropWebSocketConnections()
	h.wg.Wait()
}
