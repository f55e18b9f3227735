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

	"github.com/zoomkit/zoomkit/webhook/queue"
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
//   - verifies the signature, answering 401 with a fixed body when it does not verify or its
//     timestamp is older than the window (DefaultTimestampWindow, for Zoom's retries) or further
//     ahead than the verifier's tolerance;
//   - answers endpoint.url_validation (only when the signature verified, only for a plainToken of
//     1 to 128 characters from A-Z a-z 0-9 _ -, else 400);
//   - answers 400 to a verified body that is not an event envelope;
//   - claims the event's dedup key and answers 200 without dispatching when it was already claimed
//     (a redelivery); if the dedup store fails it answers 503, so Zoom retries rather than the event
//     being dropped or handled twice;
//   - runs the handler registered for the event name, else the fallback, else nothing;
//   - answers 200 when that succeeds, and 500 when it returns an error or panics, after releasing
//     the dedup key so that Zoom's redelivery is handled;
//   - in asynchronous mode (WithQueue), instead of the last two steps, queues an event that has a
//     handler and answers 200, or 503 after releasing the dedup key when the queue fails.
//
// By default handlers run synchronously within the request, so a failure can become a 5xx and a
// retry. Zoom waits 3 seconds for the answer: keep handlers fast, or use the asynchronous mode
// (WithQueue and a Worker), in which the Handler queues the event durably and answers at once,
// and a Worker runs the handler with retries (see the package documentation).
//
// Register handlers before serving. A Handler is safe for concurrent use.
type Handler struct {
	v         *Verifier
	dedup     Deduper
	keyFunc   KeyFunc
	ttl       time.Duration
	window    time.Duration // how old a timestamp is accepted
	windowSet bool
	logger    *slog.Logger
	mu        sync.RWMutex
	routes    map[string]HandlerFunc
	fallback  HandlerFunc
	queue     queue.Queue // asynchronous mode when set
	orderKey  KeyFunc
	metrics   Metrics
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

// WithDedupTTL sets how long a handled delivery is remembered (default DefaultDedupTTL). d must be
// positive and at least MinDedupTTL of the Handler's timestamp window and the Verifier's tolerance
// (3 hours 5 minutes with the defaults), else NewHandler fails.
func WithDedupTTL(d time.Duration) HandlerOption {
	return func(h *Handler) error {
		if d <= 0 {
			return fmt.Errorf("%w: dedup TTL must be positive", ErrInvalidOption)
		}
		h.ttl = d
		return nil
	}
}

// Zoom's retry schedule and the Handler's timestamp window.
const (
	// ZoomRetrySpan is how long after the first attempt Zoom sends its last retry of a delivery it
	// got no 2xx for: it retries 5, 25 and 85 minutes after the first attempt, then drops the event.
	ZoomRetrySpan = 85 * time.Minute
	// DefaultTimestampWindow is how old an x-zm-request-timestamp the Handler accepts by default:
	// 90 minutes for Zoom's last retry (should it carry the first attempt's timestamp) and its
	// delivery delay, plus 5 minutes of clock skew. Timestamps ahead of the clock are still bounded
	// by the Verifier's tolerance.
	DefaultTimestampWindow = 95 * time.Minute
)

// MinDedupTTL returns the shortest dedup TTL a Handler accepts for a timestamp window and a verifier
// tolerance: window + tolerance + ZoomRetrySpan. A claim made when a delivery is first handled (its
// timestamp up to tolerance ahead of the clock) then outlives every copy of every retry of it
// (signed up to ZoomRetrySpan later, accepted for window after that), so a captured request
// replayed while its timestamp is accepted is always a duplicate.
func MinDedupTTL(window, tolerance time.Duration) time.Duration {
	return window + tolerance + ZoomRetrySpan
}

// WithTimestampWindow sets how old a request's x-zm-request-timestamp the Handler accepts (default
// DefaultTimestampWindow, or the Verifier's tolerance if that is longer). It replaces the Verifier's
// tolerance for timestamps in the past only; timestamps ahead of the clock stay bounded by the
// tolerance. d must be positive, the dedup TTL at least MinDedupTTL(d, tolerance), and with
// WithoutDedup d may not exceed the Verifier's tolerance: a window is only as safe as the dedup
// that catches replays within it. A window shorter than ZoomRetrySpan refuses Zoom's late retries
// if Zoom signs them with the first attempt's timestamp.
func WithTimestampWindow(d time.Duration) HandlerOption {
	return func(h *Handler) error {
		if d <= 0 {
			return fmt.Errorf("%w: timestamp window must be positive", ErrInvalidOption)
		}
		h.window, h.windowSet = d, true
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
		v:        v,
		dedup:    NewMemoryDeduper(WithClock(v.now)),
		keyFunc:  DefaultKey,
		ttl:      DefaultDedupTTL,
		routes:   make(map[string]HandlerFunc),
		orderKey: OrderKey,
		metrics:  noMetrics{},
	}
	for _, o := range opts {
		if o == nil {
			return nil, fmt.Errorf("%w: nil option", ErrInvalidOption)
		}
		if err := o(h); err != nil {
			return nil, err
		}
	}
	if err := h.checkWindow(); err != nil {
		return nil, err
	}
	return h, nil
}

// checkWindow sets the default timestamp window and refuses one that the dedup does not cover.
func (h *Handler) checkWindow() error {
	tol := h.v.tolerance
	if h.dedup == nil {
		if !h.windowSet {
			h.window = tol
		} else if h.window > tol {
			return fmt.Errorf("%w: a timestamp window (%v) longer than the verifier's tolerance (%v) needs dedup to catch replays within it",
				ErrInvalidOption, h.window, tol)
		}
		return nil
	}
	if !h.windowSet {
		h.window = max(DefaultTimestampWindow, tol)
	}
	if minTTL := MinDedupTTL(h.window, tol); h.ttl < minTTL {
		return fmt.Errorf("%w: dedup TTL %v is shorter than %v (timestamp window %v + verifier tolerance %v + Zoom's retry span %v): a captured request could be replayed after its claim expired",
			ErrInvalidOption, h.ttl, minTTL, h.window, tol, ZoomRetrySpan)
	}
	return nil
}

// eventAliases maps the other spellings Zoom uses for an event to the name
// its handler is registered under. Zoom's example of the group member
// removal event is named group.members_deleted, its schema
// group.member_deleted; both reach OnGroupMemberDeleted. Event.Name keeps
// the name Zoom sent.
var eventAliases = map[string]string{
	"group.members_deleted": EventGroupMemberDeleted,
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
	vr, err := h.v.verifyIn(r.Context(), r.Header, body, window{past: h.window, ahead: h.v.tolerance})
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
	e.bySignature, e.secret = vr.idx >= 0, vr.idx

	if e.Name == EventEndpointURLValidation {
		// Challenges are not deduplicated: only the verifier's strict window applies.
		if !h.fresh(vr) {
			h.log(r.Context(), "webhook: rejected request", e.Name, ErrTimestampOutOfRange)
			plain(w, http.StatusUnauthorized, bodyUnauthorized)
			return
		}
		h.answerValidation(w, r, e)
		return
	}
	h.dispatch(w, r, e, vr)
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

func (h *Handler) dispatch(w http.ResponseWriter, r *http.Request, e *Event, vr verified) {
	switch status := h.process(r.Context(), e, !h.fresh(vr), false, vr); status {
	case http.StatusOK:
		w.WriteHeader(http.StatusOK)
	case http.StatusUnauthorized:
		plain(w, status, bodyUnauthorized)
	case http.StatusServiceUnavailable:
		plain(w, status, "dedup store unavailable\n")
	default:
		plain(w, status, "handler failed\n")
	}
}

// process deduplicates e and runs the function registered for it, and returns the HTTP status
// that reports the outcome: 200 (handled, a duplicate, or no function), 401 (stale: nothing would
// catch a replay of an event without a dedup key), 503 (the dedup store failed) or 500 (the
// function failed; its dedup claim is released). With failOpen, a failing dedup store does not
// stop the event: it is handled without a claim (for sources that get no redelivery); a claim
// refused because ctx ended is not a failing store, and the event is not handled.
func (h *Handler) process(ctx context.Context, e *Event, stale, failOpen bool, vr verified) int {
	fn := h.route(e.Name)

	var key string
	if h.dedup != nil {
		key = h.keyFunc(e)
	}
	if key == "" && stale {
		// Nothing would catch a replay of this event: only the verifier's strict window applies.
		h.log(ctx, "webhook: rejected request", e.Name, ErrTimestampOutOfRange)
		return http.StatusUnauthorized
	}
	if key != "" {
		claimed, err := h.dedup.Claim(ctx, key, h.ttl)
		switch {
		case err != nil && failOpen && ctx.Err() == nil:
			h.log(ctx, "webhook: dedup store failed, handling the event without dedup", e.Name, err)
			key = ""
		case err != nil:
			// Fail closed but retriable: neither drop the event nor risk handling it twice.
			h.log(ctx, "webhook: dedup store failed", e.Name, err)
			h.releaseReplay(ctx, e.Name, vr)
			return http.StatusServiceUnavailable
		case !claimed:
			return http.StatusOK
		}
	}
	if fn == nil {
		return http.StatusOK
	}
	if h.queue != nil {
		return h.enqueue(ctx, e, key, failOpen, fn, vr)
	}
	return h.runNow(ctx, e, key, fn, vr)
}

// route returns the function registered for an event name (or its alias), else the fallback.
func (h *Handler) route(name string) HandlerFunc {
	h.mu.RLock()
	defer h.mu.RUnlock()
	fn, ok := h.routes[name]
	if !ok {
		if canon, alias := eventAliases[name]; alias {
			fn, ok = h.routes[canon]
		}
	}
	if !ok {
		fn = h.fallback
	}
	return fn
}

// runNow runs fn for e within the request; when it fails, the claims are released so that
// Zoom's redelivery is handled.
func (h *Handler) runNow(ctx context.Context, e *Event, key string, fn HandlerFunc, vr verified) int {
	if err := run(ctx, fn, e); err != nil {
		h.log(ctx, "webhook: handler failed", e.Name, err)
		h.releaseClaims(ctx, e.Name, key, vr)
		return http.StatusInternalServerError
	}
	return http.StatusOK
}

// releaseClaims forgets an event's dedup claim (key, if any) and replay claim.
func (h *Handler) releaseClaims(ctx context.Context, event, key string, vr verified) {
	if key != "" {
		if rerr := h.dedup.Release(context.WithoutCancel(ctx), key); rerr != nil {
			h.log(ctx, "webhook: dedup release failed", event, rerr)
		}
	}
	h.releaseReplay(ctx, event, vr)
}

// fresh reports whether a verified request is within the verifier's own tolerance (requests
// accepted through the legacy token carry no timestamp and count as fresh, as with Verify).
func (h *Handler) fresh(vr verified) bool {
	return vr.ts.IsZero() || h.v.now().Sub(vr.ts) <= h.v.tolerance
}

// releaseReplay forgets the request's replay-cache claim when the event was not handled, so that
// Zoom's retry, which may carry the same timestamp and signature, is not refused as a replay.
func (h *Handler) releaseReplay(ctx context.Context, event string, vr verified) {
	if vr.replayKey == "" {
		return
	}
	if err := h.v.replay.Release(context.WithoutCancel(ctx), vr.replayKey); err != nil {
		h.log(ctx, "webhook: replay cache release failed", event, err)
	}
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
