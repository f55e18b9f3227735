package oauth

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/zoomkit/zoomkit/tokenstore"
)

// MaxStateTTL is the longest an authorization state may live.
const MaxStateTTL = 10 * time.Minute

// DefaultStateCookie is the default name of the state cookie.
const DefaultStateCookie = "zoomkit_oauth_state"

// StateStore enforces single use of authorization states. Share one across
// replicas (see [NewStateStore]) so that a state is single-use everywhere.
type StateStore interface {
	// Consume records id as used until expires. It returns an error wrapping
	// ErrStateReplayed when id was already consumed.
	Consume(ctx context.Context, id string, expires time.Time) error
}

// MemoryStateStore is the in-process [StateStore], the default of
// [Config.Handlers]. Entries are dropped once expired.
type MemoryStateStore struct {
	mu   sync.Mutex
	used map[string]time.Time
}

// NewMemoryStateStore returns an empty in-process state store.
func NewMemoryStateStore() *MemoryStateStore {
	return &MemoryStateStore{used: map[string]time.Time{}}
}

// Consume records id as used; a second call for id fails with
// ErrStateReplayed.
func (m *MemoryStateStore) Consume(_ context.Context, id string, expires time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := time.Now()
	for k, exp := range m.used {
		if now.After(exp) {
			delete(m.used, k)
		}
	}
	if _, ok := m.used[id]; ok {
		return ErrStateReplayed
	}
	m.used[id] = expires
	return nil
}

// NewStateStore returns a [StateStore] over a CoordinatedStore shared by
// the replicas (SQL, Redis): a state is consumed by a compare-and-swap that
// creates the record "oauth-state:<sha256 of the state>", so only one
// replica can consume it. The records hold no secret; the app may purge old
// ones.
func NewStateStore(store tokenstore.CoordinatedStore) StateStore {
	return coordStateStore{store}
}

type coordStateStore struct{ s tokenstore.CoordinatedStore }

func (c coordStateStore) Consume(ctx context.Context, id string, expires time.Time) error {
	_, err := c.s.CompareAndSwap(ctx, "oauth-state:"+id, 0, &tokenstore.Token{AccessToken: "used", Expiry: expires})
	if errors.Is(err, tokenstore.ErrConflict) {
		return ErrStateReplayed
	}
	return err
}

// Connection describes a completed "Connect Zoom": who connected and where
// the token was saved.
type Connection struct {
	// Key is the store key the token was saved under.
	Key string
	// UserID is the connected Zoom user's id.
	UserID string
	// Email is the connected Zoom user's email.
	Email string
	// AccountID is the user's Zoom account id, when known.
	AccountID string
}

// HandlerOption configures [Config.Handlers].
type HandlerOption func(*handlerSettings) error

type handlerSettings struct {
	secret      []byte
	states      StateStore
	ttl         time.Duration
	cookie      string
	secure      *bool
	keyFunc     func(r *http.Request, userID string) (string, error)
	onConnected func(w http.ResponseWriter, r *http.Request, c Connection)
	onError     func(w http.ResponseWriter, r *http.Request, err error)
	now         func() time.Time
	logger      *slog.Logger
}

// WithStateSecret sets the 32-byte key sealing the state cookie. Replicas
// behind one load balancer must share it; the default is a random key per
// Handlers value, fine for a single process.
func WithStateSecret(secret []byte) HandlerOption {
	return func(s *handlerSettings) error {
		if len(secret) != 32 {
			return fmt.Errorf("%w: state secret must be 32 bytes", ErrInvalidConfig)
		}
		s.secret = append([]byte(nil), secret...)
		return nil
	}
}

// WithStateStore sets the store enforcing single use of states (default: a
// MemoryStateStore; share one across replicas, see NewStateStore).
func WithStateStore(st StateStore) HandlerOption {
	return func(s *handlerSettings) error {
		if st == nil {
			return fmt.Errorf("%w: nil state store", ErrInvalidConfig)
		}
		s.states = st
		return nil
	}
}

// WithStateTTL sets how long a started authorization stays valid (default
// and maximum 10 minutes).
func WithStateTTL(d time.Duration) HandlerOption {
	return func(s *handlerSettings) error {
		if d <= 0 || d > MaxStateTTL {
			return fmt.Errorf("%w: state TTL must be in (0, 10m]", ErrInvalidConfig)
		}
		s.ttl = d
		return nil
	}
}

// WithCookieName sets the state cookie's name (default DefaultStateCookie).
func WithCookieName(name string) HandlerOption {
	return func(s *handlerSettings) error {
		if err := (&http.Cookie{Name: name, Value: "x"}).Valid(); err != nil {
			return fmt.Errorf("%w: invalid cookie name", ErrInvalidConfig)
		}
		s.cookie = name
		return nil
	}
}

// WithSecureCookie forces the Secure attribute of the state cookie on or
// off. By default it is on, unless RedirectURL is http://localhost or a
// loopback address (local development).
func WithSecureCookie(secure bool) HandlerOption {
	return func(s *handlerSettings) error {
		s.secure = &secure
		return nil
	}
}

// WithTokenKey chooses the store key the connected user's token is saved
// under, from the callback request (the app's session: tenant, user) and the
// Zoom user id. The default key is "zoom:user:<Zoom user id>". Use the same
// key with [Config.TokenSource].
func WithTokenKey(f func(r *http.Request, userID string) (string, error)) HandlerOption {
	return func(s *handlerSettings) error {
		if f == nil {
			return fmt.Errorf("%w: nil key function", ErrInvalidConfig)
		}
		s.keyFunc = f
		return nil
	}
}

// WithOnConnected sets the hook called after the token is saved, with the
// connected Zoom user's id and email. It writes the response (typically a
// redirect to the app). The default answers 200 "Zoom connected".
func WithOnConnected(f func(w http.ResponseWriter, r *http.Request, c Connection)) HandlerOption {
	return func(s *handlerSettings) error {
		if f == nil {
			return fmt.Errorf("%w: nil hook", ErrInvalidConfig)
		}
		s.onConnected = f
		return nil
	}
}

// WithOnError sets the function answering a failed callback. err matches
// ErrInvalidState, ErrAuthorizationDenied, ErrTokenEndpoint,
// ErrUserLookup... and holds no secret. The default answers 400 (state,
// denial) or 502/500 with a fixed text.
func WithOnError(f func(w http.ResponseWriter, r *http.Request, err error)) HandlerOption {
	return func(s *handlerSettings) error {
		if f == nil {
			return fmt.Errorf("%w: nil hook", ErrInvalidConfig)
		}
		s.onError = f
		return nil
	}
}

// WithHandlerClock sets the clock deciding state expiry and stamping the
// expiry of the token the callback saves (default time.Now), for tests. It
// is the Handlers' counterpart of [WithClock], of the same shape.
func WithHandlerClock(now func() time.Time) HandlerOption {
	return func(s *handlerSettings) error {
		if now == nil {
			return fmt.Errorf("%w: nil clock", ErrInvalidConfig)
		}
		s.now = now
		return nil
	}
}

// WithHandlerLogger logs connections and failures (never secrets).
func WithHandlerLogger(l *slog.Logger) HandlerOption {
	return func(s *handlerSettings) error {
		if l == nil {
			return fmt.Errorf("%w: nil logger", ErrInvalidConfig)
		}
		s.logger = l
		return nil
	}
}

// Handlers are the two http handlers of "Connect Zoom" for a user-level app.
// Mount Connect on the app's "Connect Zoom" link and Callback on the path of
// Config.RedirectURL.
//
// State handling: Connect draws a 256-bit state and a PKCE verifier, seals
// both with an expiry (AES-256-GCM, key from WithStateSecret) into an
// HttpOnly, SameSite=Lax cookie scoped to the callback path, and redirects
// to Zoom. Callback opens the cookie, requires the state parameter to equal
// the sealed state (so a state from another browser's cookie fails), checks
// the expiry (at most 10 minutes), consumes the state in the StateStore
// (single use, across replicas when the StateStore is shared), clears the
// cookie, exchanges the code with the verifier, looks up the user
// (GET /users/me), saves the token under the app's key, and calls the
// OnConnected hook.
type Handlers struct {
	cfg    *Config
	store  tokenstore.Store
	aead   cipher.AEAD
	set    handlerSettings
	secure bool
	path   string
}

// Handlers returns the connect and callback handlers saving tokens to
// store. Config.RedirectURL is required.
func (c *Config) Handlers(store tokenstore.Store, opts ...HandlerOption) (*Handlers, error) {
	if _, err := c.resolve(); err != nil {
		return nil, err
	}
	if err := checkRedirectURL(c.RedirectURL); err != nil {
		return nil, err
	}
	if store == nil {
		return nil, fmt.Errorf("%w: nil store", ErrInvalidConfig)
	}
	s := handlerSettings{ttl: MaxStateTTL, cookie: DefaultStateCookie, now: time.Now}
	for _, o := range opts {
		if o == nil {
			return nil, fmt.Errorf("%w: nil option", ErrInvalidConfig)
		}
		if err := o(&s); err != nil {
			return nil, err
		}
	}
	if s.secret == nil {
		s.secret = make([]byte, 32)
		_, _ = rand.Read(s.secret)
	}
	if s.states == nil {
		s.states = NewMemoryStateStore()
	}
	if s.keyFunc == nil {
		s.keyFunc = func(_ *http.Request, userID string) (string, error) { return "zoom:user:" + userID, nil }
	}
	block, err := aes.NewCipher(s.secret)
	if err != nil {
		return nil, fmt.Errorf("%w: state secret", ErrInvalidConfig)
	}
	aead, _ := cipher.NewGCM(block)
	ru, _ := url.Parse(c.RedirectURL)
	secure := !(ru.Scheme == "http" && isLoopback(ru.Hostname()))
	if s.secure != nil {
		secure = *s.secure
	}
	path := ru.EscapedPath()
	if path == "" {
		path = "/"
	}
	cfg := *c
	return &Handlers{cfg: &cfg, store: store, aead: aead, set: s, secure: secure, path: path}, nil
}

type sealedState struct {
	State    string `json:"s"`
	Verifier string `json:"v"`
	Expires  int64  `json:"e"`
}

const stateAAD = "zoomkit/oauth/state/v1"

func (h *Handlers) seal(st sealedState) (string, error) {
	plain, err := json.Marshal(st)
	if err != nil {
		return "", err
	}
	nonce := make([]byte, h.aead.NonceSize())
	_, _ = rand.Read(nonce)
	return base64.RawURLEncoding.EncodeToString(h.aead.Seal(nonce, nonce, plain, []byte(stateAAD))), nil
}

func (h *Handlers) open(v string) (sealedState, bool) {
	var st sealedState
	ct, err := base64.RawURLEncoding.DecodeString(v)
	if err != nil || len(ct) < h.aead.NonceSize()+h.aead.Overhead() {
		return st, false
	}
	plain, err := h.aead.Open(nil, ct[:h.aead.NonceSize()], ct[h.aead.NonceSize():], []byte(stateAAD))
	if err != nil || json.Unmarshal(plain, &st) != nil {
		return st, false
	}
	return st, true
}

func (h *Handlers) cookie(value string, maxAge int) *http.Cookie {
	return &http.Cookie{
		Name: h.set.cookie, Value: value, Path: h.path, MaxAge: maxAge,
		HttpOnly: true, Secure: h.secure, SameSite: http.SameSiteLaxMode,
	}
}

// Connect returns the "Connect Zoom" handler: it starts an authorization
// and redirects the browser to Zoom (302).
func (h *Handlers) Connect() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead && r.Method != http.MethodPost {
			w.Header().Set("Allow", "GET, HEAD, POST")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		state, verifier := NewState(), NewVerifier()
		authURL, err := h.cfg.AuthCodeURL(state, verifier)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		v, err := h.seal(sealedState{State: state, Verifier: verifier, Expires: h.set.now().Add(h.set.ttl).Unix()})
		if err != nil {
			h.fail(w, r, err)
			return
		}
		http.SetCookie(w, h.cookie(v, int(h.set.ttl/time.Second)))
		w.Header().Set("Cache-Control", "no-store")
		http.Redirect(w, r, authURL, http.StatusFound)
	})
}

// Callback returns the OAuth redirect handler (mount it on the path of
// Config.RedirectURL).
func (h *Handlers) Callback() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		c, err := h.callback(w, r)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		if h.set.logger != nil {
			h.set.logger.InfoContext(r.Context(), "oauth: Zoom connected", slog.String("key", c.Key), slog.String("zoom_user_id", c.UserID))
		}
		if h.set.onConnected != nil {
			h.set.onConnected(w, r, *c)
			return
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte("Zoom connected\n"))
	})
}

func (h *Handlers) callback(w http.ResponseWriter, r *http.Request) (*Connection, error) {
	if r.Method != http.MethodGet {
		return nil, fmt.Errorf("%w: callback must be a GET", ErrInvalidState)
	}
	q := r.URL.Query()
	ck, err := r.Cookie(h.set.cookie)
	// The cookie is single use whatever happens next.
	http.SetCookie(w, h.cookie("", -1))
	if err != nil {
		return nil, fmt.Errorf("%w: no state cookie", ErrInvalidState)
	}
	st, ok := h.open(ck.Value)
	if !ok {
		return nil, fmt.Errorf("%w: state cookie does not verify", ErrInvalidState)
	}
	param := q.Get("state")
	if len(q["state"]) != 1 || subtle.ConstantTimeCompare([]byte(param), []byte(st.State)) != 1 {
		return nil, fmt.Errorf("%w: state does not match this browser's cookie", ErrInvalidState)
	}
	now := h.set.now()
	exp := time.Unix(st.Expires, 0)
	if !now.Before(exp) {
		return nil, fmt.Errorf("%w: state expired", ErrInvalidState)
	}
	sum := sha256.Sum256([]byte(st.State))
	if err := h.set.states.Consume(r.Context(), hex.EncodeToString(sum[:]), exp); err != nil {
		if errors.Is(err, ErrInvalidState) {
			return nil, err
		}
		return nil, fmt.Errorf("oauth: state store: %w", err)
	}
	if e := q.Get("error"); e != "" {
		return nil, fmt.Errorf("%w: %q", ErrAuthorizationDenied, clip(e, 64))
	}
	code := q.Get("code")
	if code == "" {
		return nil, fmt.Errorf("%w: callback without a code", ErrInvalidState)
	}
	tok, err := h.cfg.exchange(r.Context(), code, st.Verifier, h.set.now)
	if err != nil {
		return nil, err
	}
	u, err := h.cfg.Me(r.Context(), tok.AccessToken)
	if err != nil {
		return nil, err
	}
	key, err := h.set.keyFunc(r, u.ID)
	if err != nil {
		return nil, fmt.Errorf("oauth: choosing the token key: %w", err)
	}
	if key == "" {
		return nil, fmt.Errorf("%w: the token key function returned an empty key", ErrInvalidConfig)
	}
	if err := h.store.Put(context.WithoutCancel(r.Context()), key, tok); err != nil {
		return nil, fmt.Errorf("oauth: saving the new token: %w", err)
	}
	return &Connection{Key: key, UserID: u.ID, Email: u.Email, AccountID: u.AccountID}, nil
}

func (h *Handlers) fail(w http.ResponseWriter, r *http.Request, err error) {
	if h.set.logger != nil {
		h.set.logger.WarnContext(r.Context(), "oauth: Zoom connection failed", slog.String("error", err.Error()))
	}
	if h.set.onError != nil {
		h.set.onError(w, r, err)
		return
	}
	switch {
	case errors.Is(err, ErrInvalidState):
		http.Error(w, "invalid or expired authorization request; please start again", http.StatusBadRequest)
	case errors.Is(err, ErrAuthorizationDenied):
		http.Error(w, "Zoom authorization was declined", http.StatusBadRequest)
	case errors.Is(err, ErrTokenEndpoint), errors.Is(err, ErrUserLookup), errors.Is(err, ErrMalformedTokenResponse):
		http.Error(w, "Zoom could not complete the authorization; please start again", http.StatusBadGateway)
	default:
		http.Error(w, "internal error", http.StatusInternalServerError)
	}
}

// String describes the handlers without secrets.
func (h *Handlers) String() string {
	return fmt.Sprintf("oauth.Handlers{redirect:%q cookie:%s}", h.cfg.RedirectURL, h.set.cookie)
}

// GoString describes the handlers without secrets, for %#v.
func (h *Handlers) GoString() string { return h.String() }
