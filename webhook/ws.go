package webhook

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	mrand "math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/coder/websocket"
	"golang.org/x/oauth2"
)

// Zoom's WebSocket event delivery (see the package documentation, "Events over WebSockets").
const (
	// DefaultWebSocketURL is Zoom's WebSocket endpoint for event subscriptions.
	DefaultWebSocketURL = "wss://ws.zoom.us/ws"
	// DefaultHeartbeatInterval is how often a WebSocketSource sends {"module":"heartbeat"}: Zoom's
	// sample client sends one every 30 seconds.
	DefaultHeartbeatInterval = 30 * time.Second
	// DefaultReconnectBackoff and DefaultMaxReconnectBackoff bound the wait before a reconnection:
	// the first doubled per consecutive failure, capped at the second, each with jitter in [d/2, d].
	DefaultReconnectBackoff    = time.Second
	DefaultMaxReconnectBackoff = time.Minute
)

// ErrWebSocketTokenRefused reports that the WebSocket endpoint refused the access token (the
// handshake was answered 401 or 403). The source then asks its token source for a new token
// (ForceRefresh) before the next attempt.
var ErrWebSocketTokenRefused = errors.New("webhook: websocket endpoint refused the access token")

// A WebSocketTokenSource hands out access tokens for the WebSocket connection: a server-to-server
// *oauth.TokenSource (from oauth.Config.ServerToServer) is one. If it also has the method
//
//	ForceRefresh(ctx context.Context, rejected *oauth2.Token) (*oauth2.Token, error)
//
// (as *oauth.TokenSource does), the source calls it when Zoom refuses a token, instead of
// TokenContext, so that it does not get the refused token back from a cache.
type WebSocketTokenSource interface {
	TokenContext(ctx context.Context) (*oauth2.Token, error)
}

type forceRefresher interface {
	ForceRefresh(ctx context.Context, rejected *oauth2.Token) (*oauth2.Token, error)
}

// WebSocketSource receives a Zoom event subscription over a WebSocket and feeds its events to a
// Handler, which dispatches them to the functions registered on it, with its dedup, exactly as it
// does for events posted over HTTP. Create one with NewWebSocketSource and call Run.
type WebSocketSource struct {
	h         *Handler
	ts        WebSocketTokenSource
	subID     string
	endpoint  *url.URL
	client    *http.Client
	heartbeat time.Duration
	minWait   time.Duration
	maxWait   time.Duration
	maxMsg    int64
	logger    *slog.Logger

	// after is the clock: time.After by default, a fake in tests.
	after func(time.Duration) <-chan time.Time
}

// A WebSocketOption configures a WebSocketSource.
type WebSocketOption func(*WebSocketSource) error

// WithWebSocketURL sets the endpoint (default DefaultWebSocketURL). It must be a wss:// URL, or a
// ws:// URL on a loopback host (tests, zoomtest); the source adds subscriptionId and access_token
// to its query.
func WithWebSocketURL(raw string) WebSocketOption {
	return func(s *WebSocketSource) error {
		u, err := checkWebSocketURL(raw)
		if err != nil {
			return fmt.Errorf("%w: websocket URL: %v", ErrInvalidOption, err)
		}
		s.endpoint = u
		return nil
	}
}

// WithWebSocketHTTPClient sets the HTTP client of the handshake (default: a client without
// timeout on http.DefaultTransport; the handshake is bounded by the source itself).
func WithWebSocketHTTPClient(c *http.Client) WebSocketOption {
	return func(s *WebSocketSource) error {
		if c == nil {
			return fmt.Errorf("%w: nil HTTP client", ErrInvalidOption)
		}
		s.client = c
		return nil
	}
}

// WithHeartbeatInterval sets how often the source sends a heartbeat (default
// DefaultHeartbeatInterval). d must be positive.
func WithHeartbeatInterval(d time.Duration) WebSocketOption {
	return func(s *WebSocketSource) error {
		if d <= 0 {
			return fmt.Errorf("%w: heartbeat interval must be positive", ErrInvalidOption)
		}
		s.heartbeat = d
		return nil
	}
}

// WithReconnectBackoff sets the first and the longest wait before reconnecting (defaults
// DefaultReconnectBackoff and DefaultMaxReconnectBackoff). Both must be positive, min <= max.
func WithReconnectBackoff(minWait, maxWait time.Duration) WebSocketOption {
	return func(s *WebSocketSource) error {
		if minWait <= 0 || maxWait < minWait {
			return fmt.Errorf("%w: reconnect backoff needs 0 < min <= max", ErrInvalidOption)
		}
		s.minWait, s.maxWait = minWait, maxWait
		return nil
	}
}

// WithMaxMessageBytes sets the largest WebSocket message the source reads (default
// DefaultMaxBodyBytes, 1 MiB, as for posted events). A larger message closes the connection, and
// the source reconnects. n must be positive.
func WithMaxMessageBytes(n int64) WebSocketOption {
	return func(s *WebSocketSource) error {
		if n <= 0 {
			return fmt.Errorf("%w: max message size must be positive", ErrInvalidOption)
		}
		s.maxMsg = n
		return nil
	}
}

// WithWebSocketLogger makes the source log connections, reconnections and skipped messages
// (default: the Handler's logger, if any). Logs never contain tokens, URLs or message bodies.
func WithWebSocketLogger(l *slog.Logger) WebSocketOption {
	return func(s *WebSocketSource) error {
		if l == nil {
			return fmt.Errorf("%w: nil logger", ErrInvalidOption)
		}
		s.logger = l
		return nil
	}
}

// NewWebSocketSource returns a source that connects to Zoom's WebSocket endpoint for the event
// subscription subscriptionID, with access tokens from ts, and dispatches the events it receives
// through h. One Handler can serve an HTTP endpoint and WebSocket sources at once: the same
// registrations and the same dedup apply to both.
func NewWebSocketSource(h *Handler, ts WebSocketTokenSource, subscriptionID string, opts ...WebSocketOption) (*WebSocketSource, error) {
	if h == nil {
		return nil, fmt.Errorf("%w: nil Handler", ErrInvalidOption)
	}
	if ts == nil {
		return nil, fmt.Errorf("%w: nil token source", ErrInvalidOption)
	}
	if subscriptionID == "" {
		return nil, fmt.Errorf("%w: empty subscription id", ErrInvalidOption)
	}
	s := &WebSocketSource{
		h: h, ts: ts, subID: subscriptionID,
		client:    &http.Client{},
		heartbeat: DefaultHeartbeatInterval,
		minWait:   DefaultReconnectBackoff,
		maxWait:   DefaultMaxReconnectBackoff,
		maxMsg:    DefaultMaxBodyBytes,
		logger:    h.logger,
		after:     time.After,
	}
	s.endpoint, _ = url.Parse(DefaultWebSocketURL)
	for _, o := range opts {
		if o == nil {
			return nil, fmt.Errorf("%w: nil option", ErrInvalidOption)
		}
		if err := o(s); err != nil {
			return nil, err
		}
	}
	return s, nil
}

func checkWebSocketURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, errors.New("not a URL")
	}
	if u.Host == "" || u.User != nil || u.Fragment != "" {
		return nil, errors.New("must be an absolute URL without user info or fragment")
	}
	switch u.Scheme {
	case "wss":
		return u, nil
	case "ws":
		if h := u.Hostname(); h == "localhost" || net.ParseIP(h).IsLoopback() {
			return u, nil
		}
		return nil, errors.New("ws:// is only allowed for loopback hosts")
	}
	return nil, errors.New("scheme must be wss")
}

// String describes the source without its token.
func (s *WebSocketSource) String() string {
	return fmt.Sprintf("webhook.WebSocketSource{url: %q, subscription: %q}", s.endpoint.Redacted(), s.subID)
}

// Run connects, receives events and dispatches them until ctx ends, reconnecting whenever the
// connection fails or closes: after a jittered exponential backoff, with a token from the token
// source (a forced refresh when Zoom refused the last one). It returns ctx's error once ctx is done
// and every goroutine it started has ended. Events that happen while no connection is open are
// not delivered (Zoom does not queue them). Call Run once at a time per subscription: Zoom may
// close an older connection of a subscription when a new one opens.
func (s *WebSocketSource) Run(ctx context.Context) error {
	var rejected *oauth2.Token
	failures := 0
	for {
		tok, err := s.token(ctx, rejected)
		rejected = nil
		if err == nil {
			var opened bool
			opened, err = s.session(ctx, tok)
			if opened {
				failures = 0
			}
			if errors.Is(err, ErrWebSocketTokenRefused) {
				rejected = tok
			}
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		failures++
		wait := s.backoff(failures)
		s.logWarn(ctx, "webhook: websocket disconnected, reconnecting", slog.String("error", err.Error()),
			slog.Duration("wait", wait))
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-s.after(wait):
		}
	}
}

func (s *WebSocketSource) token(ctx context.Context, rejected *oauth2.Token) (*oauth2.Token, error) {
	var tok *oauth2.Token
	var err error
	if fr, ok := s.ts.(forceRefresher); ok && rejected != nil {
		tok, err = fr.ForceRefresh(ctx, rejected)
	} else {
		tok, err = s.ts.TokenContext(ctx)
	}
	if err != nil {
		return nil, fmt.Errorf("webhook: websocket access token: %w", err)
	}
	if tok == nil || tok.AccessToken == "" {
		return nil, errors.New("webhook: websocket access token: token source returned no token")
	}
	return tok, nil
}

// backoff returns the wait after n consecutive failures: minWait doubled per failure, capped at
// maxWait, with jitter in [d/2, d].
func (s *WebSocketSource) backoff(n int) time.Duration {
	d := s.minWait
	for i := 1; i < n && d < s.maxWait; i++ {
		d *= 2
	}
	d = min(d, s.maxWait)
	return d/2 + mrand.N(d/2+1)
}

// dialTimeout bounds the handshake.
const dialTimeout = 30 * time.Second

// session opens one connection and reads from it until it fails or ctx ends. opened reports
// whether the handshake succeeded. The error never contains the token.
func (s *WebSocketSource) session(ctx context.Context, tok *oauth2.Token) (opened bool, err error) {
	u := *s.endpoint
	q := u.Query()
	q.Set("subscriptionId", s.subID)
	q.Set("access_token", tok.AccessToken)
	u.RawQuery = q.Encode()

	dctx, cancel := context.WithTimeout(ctx, dialTimeout)
	c, resp, err := websocket.Dial(dctx, u.String(), &websocket.DialOptions{HTTPClient: s.client})
	cancel()
	if err != nil {
		if resp != nil && (resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden) {
			return false, ErrWebSocketTokenRefused
		}
		return false, scrubError("webhook: websocket handshake", err, tok.AccessToken)
	}
	defer c.CloseNow()
	c.SetReadLimit(s.maxMsg)
	s.logInfo(ctx, "webhook: websocket connected")

	sctx, stop := context.WithCancel(ctx)
	hbDone := make(chan struct{})
	go func() {
		defer close(hbDone)
		s.heartbeats(sctx, c)
	}()
	defer func() {
		stop()
		<-hbDone
	}()
	for {
		_, data, err := c.Read(sctx)
		if err != nil {
			if ctx.Err() != nil {
				return true, ctx.Err()
			}
			return true, scrubError("webhook: websocket read", err, tok.AccessToken)
		}
		s.handleMessage(sctx, data)
	}
}

var heartbeatMessage = []byte(`{"module":"heartbeat"}`)

// heartbeats sends a heartbeat every interval until ctx ends; a failed write closes the connection,
// which ends the session's read.
func (s *WebSocketSource) heartbeats(ctx context.Context, c *websocket.Conn) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-s.after(s.heartbeat):
		}
		wctx, cancel := context.WithTimeout(ctx, s.heartbeat)
		err := c.Write(wctx, websocket.MessageText, heartbeatMessage)
		cancel()
		if err != nil {
			if ctx.Err() == nil {
				s.logWarn(ctx, "webhook: websocket heartbeat failed", slog.String("error", "write failed"))
			}
			_ = c.CloseNow()
			return
		}
	}
}

// wsMessage is one message from Zoom's WebSocket endpoint.
type wsMessage struct {
	Module  string          `json:"module"`
	Content json.RawMessage `json:"content"`
}

// handleMessage dispatches an event message and skips the rest; it never fails.
func (s *WebSocketSource) handleMessage(ctx context.Context, data []byte) {
	var m wsMessage
	if err := json.Unmarshal(data, &m); err != nil {
		s.logWarn(ctx, "webhook: websocket message skipped", slog.String("error", "not a JSON object"))
		return
	}
	if m.Module != "message" {
		// Heartbeat answers and connection notices carry no event.
		s.logDebug(ctx, "webhook: websocket message without event", slog.String("module", m.Module))
		return
	}
	body := []byte(m.Content)
	if len(body) > 0 && body[0] == '"' {
		var str string
		if json.Unmarshal(body, &str) != nil {
			s.logWarn(ctx, "webhook: websocket message skipped", slog.String("error", "bad content"))
			return
		}
		body = []byte(str)
	}
	e, err := ParseEvent(body)
	if err != nil {
		s.logWarn(ctx, "webhook: websocket message skipped", slog.String("error", err.Error()))
		return
	}
	if e.Name == EventEndpointURLValidation {
		s.logWarn(ctx, "webhook: websocket message skipped", slog.String("event", e.Name))
		return
	}
	// No signature to check: the connection itself is authenticated (TLS to Zoom, our token).
	// Zoom does not redeliver over a WebSocket, so a failing dedup store does not drop the event.
	// A failing function is logged by the Handler; nothing redelivers the event.
	_ = s.h.process(ctx, e, false, true, verified{idx: -1})
}

// scrubError returns err's text, prefixed, with the token and the URL query removed, as a new
// error: the original (a *url.Error holding the URL) is not wrapped, so errors.As cannot reach it.
func scrubError(prefix string, err error, token string) error {
	msg := err.Error()
	if token != "" {
		msg = strings.ReplaceAll(msg, url.QueryEscape(token), "REDACTED")
		msg = strings.ReplaceAll(msg, token, "REDACTED")
	}
	return &wsError{msg: prefix + ": " + msg, timeout: errors.Is(err, context.DeadlineExceeded)}
}

type wsError struct {
	msg     string
	timeout bool
}

func (e *wsError) Error() string { return e.msg }

// Is lets a handshake that timed out match context.DeadlineExceeded.
func (e *wsError) Is(target error) bool { return e.timeout && target == context.DeadlineExceeded }

func (s *WebSocketSource) logWarn(ctx context.Context, msg string, attrs ...slog.Attr) {
	if s.logger != nil {
		s.logger.LogAttrs(ctx, slog.LevelWarn, msg, attrs...)
	}
}

func (s *WebSocketSource) logInfo(ctx context.Context, msg string, attrs ...slog.Attr) {
	if s.logger != nil {
		s.logger.LogAttrs(ctx, slog.LevelInfo, msg, attrs...)
	}
}

func (s *WebSocketSource) logDebug(ctx context.Context, msg string, attrs ...slog.Attr) {
	if s.logger != nil {
		s.logger.LogAttrs(ctx, slog.LevelDebug, msg, attrs...)
	}
}
