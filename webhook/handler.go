package webhook

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"sync"
	"time"
)

// EventEndpointURLValidation is the challenge Zoom sends to check that an endpoint belongs to the app.
// The Handler answers it itself; it is never dispatched.
const EventEndpointURLValidation = "endpoint.url_validation"

// EndpointURLValidationPayload is the payload of endpoint.url_validation.
type EndpointURLValidationPayload struct {
	// PlainToken is the random string to be signed with the secret token.
	PlainToken string `json:"plainToken"`
}

// URLValidationResponse is the reply to endpoint.url_validation.
type URLValidationResponse struct {
	PlainToken     string `json:"plainToken"`
	EncryptedToken string `json:"encryptedToken"`
}

// A HandlerFunc handles one verified event. Returning an error makes the Handler answer 500 so that
// Zoom redelivers the event later.
type HandlerFunc func(ctx context.Context, e *Event) error

// Handler is an http.Handler for a Zoom Event Notification Endpoint. For each request it
//
//   - answers 405 to methods other than POST, and 413 to bodies above the verifier's maximum;
//   - verifies the signature, answering 401 with a fixed body when it does not verify;
//   - answers endpoint.url_validation (only when the signature verified, only for a plainToken of
//     1 to 128 characters from A-Z a-z 0-9 _ -, else 400);
//   - answers 400 to a verified body that is not an event envelope;
//   - claims the event's dedup key and answers 200 without dispatching when it was already claimed
//     (a redelivery); if the dedup store fails it answers 503, so Zoom retries rather than the event
//     being dropped or handled twice;
//   - runs the handler registered for the event name, else the fallback, else nothing;
//   - answers 200 when that succeeds, and 500 when it returns an error or panics, after releasing
//     the dedup key so that Zoom's redelivery is handled.
//
// Handlers run synchronously within the request, so a failure can become a 5xx and a retry. Zoom
// waits 3 seconds for the answer: keep handlers fast, and hand slow work to a queue of your own
// (after which the event counts as handled).
//
// Register handlers before serving. A Handler is safe for concurrent use.
type Handler struct {
	v        *Verifier
	dedup    Deduper
	keyFunc  KeyFunc
	ttl      time.Duration
	logger   *slog.Logger
	mu       sync.RWMutex
	routes   map[string]HandlerFunc
	fallback HandlerFunc
}

// A HandlerOption configures a Handler.
type HandlerOption func(*Handler) error

// WithDeduper sets the store used to drop redeliveries (default: a MemoryDeduper for this process).
func WithDeduper(d Deduper) HandlerOption {
	return func(h *Handler) error {
		if d == nil {
			return fmt.Errorf("%w: nil Deduper (use WithoutDedup to disable deduplication)", ErrInvalidOption)
		}
		h.dedup = d
		return nil
	}
}

// WithoutDedup disables deduplication: every verified delivery is dispatched.
func WithoutDedup() HandlerOption {
	return func(h *Handler) error {
		h.dedup = nil
		return nil
	}
}

// WithDedupKey sets the function computing dedup keys (default DefaultKey).
func WithDedupKey(f KeyFunc) HandlerOption {
	return func(h *Handler) error {
		if f == nil {
			return fmt.Errorf("%w: nil KeyFunc", ErrInvalidOption)
		}
		h.keyFunc = f
		return nil
	}
}

// WithDedupTTL sets how long a handled delivery is remembered (default DefaultDedupTTL). d must be positive.
func WithDedupTTL(d time.Duration) HandlerOption {
	return func(h *Handler) error {
		if d <= 0 {
			return fmt.Errorf("%w: dedup TTL must be positive", ErrInvalidOption)
		}
		h.ttl = d
		return nil
	}
}

// WithLogger makes the Handler log rejected requests and failed handlers (default: no logging).
// Logs name the event and the reason; they never contain bodies, headers or secrets.
func WithLogger(l *slog.Logger) HandlerOption {
	return func(h *Handler) error {
		if l == nil {
			return fmt.Errorf("%w: nil logger", ErrInvalidOption)
		}
		h.logger = l
		return nil
	}
}

// NewHandler returns a Handler verifying requests with v.
func NewHandler(v *Verifier, opts ...HandlerOption) (*Handler, error) {
	if v == nil {
		return nil, fmt.Errorf("%w: nil Verifier", ErrInvalidOption)
	}
	h := &Handler{
		v:       v,
		dedup:   NewMemoryDeduper(nil),
		keyFunc: DefaultKey,
		ttl:     DefaultDedupTTL,
		routes:  make(map[string]HandlerFunc),
	}
	for _, o := range opts {
		if o == nil {
			return nil, fmt.Errorf("%w: nil option", ErrInvalidOption)
		}
		if err := o(h); err != nil {
			return nil, err
		}
	}
	return h, nil
}

// On registers fn for events named name. It panics if name is empty or endpoint.url_validation, if
// fn is nil, or if name already has a handler (like http.ServeMux, these are programming errors).
func (h *Handler) On(name string, fn HandlerFunc) {
	if name == "" || name == EventEndpointURLValidation || fn == nil {
		panic("webhook: On needs a non-empty event name other than endpoint.url_validation and a non-nil func")
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if _, dup := h.routes[name]; dup {
		panic("webhook: a handler is already registered for " + name)
	}
	h.routes[name] = fn
}

// Fallback registers fn for events with no handler of their own, such as events this package has no
// types for. Without a fallback such events are acknowledged and dropped. fn replaces any earlier fallback.
func (h *Handler) Fallback(fn HandlerFunc) {
	h.mu.Lock()
	h.fallback = fn
	h.mu.Unlock()
}

// Handle registers fn for events named name, decoding their payload into a P first. A payload that
// does not decode into P is a handler failure (500, so Zoom retries). The generated On... methods
// (OnMeetingStarted and so on) are Handle with the right name and payload type.
func Handle[P any](h *Handler, name string, fn func(ctx context.Context, e *Event, p *P) error) {
	if fn == nil {
		panic("webhook: Handle needs a non-nil func")
	}
	h.On(name, func(ctx context.Context, e *Event) error {
		p := new(P)
		if err := e.Unmarshal(p); err != nil {
			return fmt.Errorf("webhook: decoding %s payload: %w", e.Name, err)
		}
		return fn(ctx, e, p)
	})
}

const (
	bodyUnauthorized = "unauthorized\n"
	bodyBadRequest   = "bad request\n"
)

// ServeHTTP implements http.Handler.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		plain(w, http.StatusMethodNotAllowed, "method not allowed\n")
		return
	}
	var body []byte
	var err error
	if r.Body != nil {
		body, err = h.v.readBody(http.MaxBytesReader(w, r.Body, h.v.maxBody), r.ContentLength)
	}
	if err != nil {
		if errors.Is(err, ErrBodyTooLarge) {
			h.log(r.Context(), "webhook: body too large", "", err)
			plain(w, http.StatusRequestEntityTooLarge, "request body too large\n")
			return
		}
		h.log(r.Context(), "webhook: reading body failed", "", err)
		plain(w, http.StatusBadRequest, bodyBadRequest)
		return
	}
	idx, err := h.v.verify(r.Context(), r.Header, body)
	if errors.Is(err, ErrReplayCache) {
		h.log(r.Context(), "webhook: replay cache failed", "", err)
		plain(w, http.StatusServiceUnavailable, "replay cache unavailable\n")
		return
	}
	if err != nil {
		h.log(r.Context(), "webhook: rejected request", "", err)
		plain(w, http.StatusUnauthorized, bodyUnauthorized)
		return
	}
	e, err := ParseEvent(body)
	if err != nil {
		h.log(r.Context(), "webhook: rejected body", "", err)
		plain(w, http.StatusBadRequest, bodyBadRequest)
		return
	}
	e.bySignature, e.secret = idx >= 0, idx

	if e.Name == EventEndpointURLValidation {
		h.answerValidation(w, r, e)
		return
	}
	h.dispatch(w, r, e)
}

func (h *Handler) answerValidation(w http.ResponseWriter, r *http.Request, e *Event) {
	if !e.bySignature {
		// Only the legacy token matched: never sign a challenge on its strength.
		h.log(r.Context(), "webhook: url validation without signature", e.Name, ErrMissingSignature)
		plain(w, http.StatusUnauthorized, bodyUnauthorized)
		return
	}
	var p EndpointURLValidationPayload
	if err := e.Unmarshal(&p); err != nil || !validPlainToken(p.PlainToken) {
		h.log(r.Context(), "webhook: url validation rejected", e.Name, ErrInvalidPlainToken)
		plain(w, http.StatusBadRequest, bodyBadRequest)
		return
	}
	resp, _ := json.Marshal(URLValidationResponse{
		PlainToken:     p.PlainToken,
		EncryptedToken: EncryptedToken(string(h.v.secrets[e.secret]), p.PlainToken),
	})
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(resp)
}

func validPlainToken(s string) bool {
	if len(s) == 0 || len(s) > 128 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(('A' <= c && c <= 'Z') || ('a' <= c && c <= 'z') || ('0' <= c && c <= '9') || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

func (h *Handler) dispatch(w http.ResponseWriter, r *http.Request, e *Event) {
	h.mu.RLock()
	fn, ok := h.routes[e.Name]
	if !ok {
		fn = h.fallback
	}
	h.mu.RUnlock()

	ctx := r.Context()
	var key string
	if h.dedup != nil {
		key = h.keyFunc(e)
	}
	if key != "" {
		claimed, err := h.dedup.Claim(ctx, key, h.ttl)
		if err != nil {
			// Fail closed but retriable: neither drop the event nor risk handling it twice.
			h.log(ctx, "webhook: dedup store failed", e.Name, err)
			plain(w, http.StatusServiceUnavailable, "dedup store unavailable\n")
			return
		}
		if !claimed {
			w.WriteHeader(http.StatusOK)
			return
		}
	}
	if fn == nil {
		w.WriteHeader(http.StatusOK)
		return
	}
	if err := run(ctx, fn, e); err != nil {
		h.log(ctx, "webhook: handler failed", e.Name, err)
		if key != "" {
			if rerr := h.dedup.Release(context.WithoutCancel(ctx), key); rerr != nil {
				h.log(ctx, "webhook: dedup release failed", e.Name, rerr)
			}
		}
		plain(w, http.StatusInternalServerError, "handler failed\n")
		return
	}
	w.WriteHeader(http.StatusOK)
}

// errHandlerPanic is returned (wrapped) when an app handler panicked.
var errHandlerPanic = errors.New("webhook: handler panicked")

func run(ctx context.Context, fn HandlerFunc, e *Event) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("%w: %v\n%s", errHandlerPanic, p, debug.Stack())
		}
	}()
	return fn(ctx, e)
}

func (h *Handler) log(ctx context.Context, msg, event string, err error) {
	if h.logger == nil {
		return
	}
	attrs := []slog.Attr{slog.String("error", err.Error())}
	if event != "" {
		attrs = append(attrs, slog.String("event", event))
	}
	h.logger.LogAttrs(ctx, slog.LevelWarn, msg, attrs...)
}

func plain(w http.ResponseWriter, code int, body string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(code)
	_, _ = w.Write([]byte(body))
}
