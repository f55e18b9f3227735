package webhook

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// Header names used by Zoom's webhook signature scheme.
const (
	// HeaderSignature carries "v0=" and the lowercase hex HMAC-SHA256 of "v0:{timestamp}:{body}".
	HeaderSignature = "X-Zm-Signature"
	// HeaderTimestamp carries the signing time in Unix seconds.
	HeaderTimestamp = "X-Zm-Request-Timestamp"
	// HeaderAuthorization carries the legacy verification token, for apps still configured that way.
	HeaderAuthorization = "Authorization"
)

// Defaults used by NewVerifier.
const (
	// DefaultTolerance is how far the request timestamp may be from the verifier's clock, in either direction.
	DefaultTolerance = 5 * time.Minute
	// DefaultMaxBodyBytes is the largest request body Verify and the Handler read (1 MiB).
	DefaultMaxBodyBytes int64 = 1 << 20
)

const (
	signaturePrefix = "v0="
	signatureHexLen = 2 * sha256.Size
	maxTimestampLen = 12
)

// A Verifier checks that requests were signed by Zoom with one of the app's secret tokens.
// It is safe for concurrent use.
type Verifier struct {
	secrets   [][]byte
	macs      []sync.Pool // per secret: *macState
	legacy    []byte      // sha256 of the legacy verification token; nil when not configured
	tolerance time.Duration
	now       func() time.Time
	maxBody   int64
	replay    Deduper // nil unless WithReplayCache
}

// An Option configures a Verifier.
type Option func(*Verifier) error

// WithTolerance sets how far the x-zm-request-timestamp may be from the clock, in both directions
// (default 5 minutes). d must be positive. A Handler accepts older timestamps, for Zoom's retries
// (see WithTimestampWindow); the tolerance still bounds timestamps ahead of the clock there.
func WithTolerance(d time.Duration) Option {
	return func(v *Verifier) error {
		if d <= 0 {
			return fmt.Errorf("%w: tolerance must be positive", ErrInvalidOption)
		}
		v.tolerance = d
		return nil
	}
}

// WithClock sets the clock the timestamp window is checked against (default time.Now); a Handler's
// default deduper expires its entries on it too. It is also the one option of NewMemoryDeduper and
// NewSequencer. Most tests need none: testing/synctest fakes time.Now.
func WithClock(now func() time.Time) Option {
	return func(v *Verifier) error {
		if now == nil {
			return fmt.Errorf("%w: nil clock", ErrInvalidOption)
		}
		v.now = now
		return nil
	}
}

// WithMaxBodyBytes sets the largest body Verify and the Handler accept (default 1 MiB). n must be positive.
func WithMaxBodyBytes(n int64) Option {
	return func(v *Verifier) error {
		if n <= 0 {
			return fmt.Errorf("%w: max body bytes must be positive", ErrInvalidOption)
		}
		v.maxBody = n
		return nil
	}
}

// WithLegacyToken enables the deprecated verification-token check for apps still configured that way:
// a request whose signature does not verify is still accepted when its Authorization header equals
// token (compared in constant time). The legacy token is a static bearer secret with no timestamp, so
// anyone who has seen it can forge and replay events; enable it only while an app still depends on it
// (for example for app_deauthorized deliveries that fail signature checks). endpoint.url_validation is
// never answered on the strength of the legacy token. token must not be empty.
func WithLegacyToken(token string) Option {
	return func(v *Verifier) error {
		if token == "" {
			return fmt.Errorf("%w: empty legacy verification token", ErrInvalidOption)
		}
		sum := sha256.Sum256([]byte(token))
		v.legacy = sum[:]
		return nil
	}
}

// WithReplayCache makes the verifier remember each accepted (timestamp, signature) pair in d for as
// long as that timestamp is accepted (twice the tolerance; through a Handler, its window plus the
// tolerance), and reject a second request carrying the same pair with ErrReplay: a captured request
// cannot be replayed within the window. The Handler's redelivery dedup already drops replays of
// events it handled; this option protects direct users of Verify and VerifyBytes. The Handler
// releases the pair when the application's function fails or the dedup store does, because Zoom's
// retry may carry the same timestamp and signature and must be handled. If d fails, verification
// fails with ErrReplayCache (the Handler answers 503). Requests accepted through the legacy token
// carry no signature and are not tracked.
func WithReplayCache(d Deduper) Option {
	return func(v *Verifier) error {
		if d == nil {
			return fmt.Errorf("%w: nil replay cache", ErrInvalidOption)
		}
		v.replay = d
		return nil
	}
}

// NewVerifier returns a Verifier accepting signatures made with any of secrets, the app's Secret
// Tokens. Pass two secrets while rotating: signatures made with either verify until the old one is
// removed. At least one secret is required and none may be empty (ErrNoSecret): a verifier never fails open.
func NewVerifier(secrets []string, opts ...Option) (*Verifier, error) {
	if len(secrets) == 0 {
		return nil, ErrNoSecret
	}
	v := &Verifier{
		tolerance: DefaultTolerance,
		now:       time.Now,
		maxBody:   DefaultMaxBodyBytes,
	}
	for _, s := range secrets {
		if s == "" {
			return nil, ErrNoSecret
		}
		v.secrets = append(v.secrets, []byte(s))
	}
	v.macs = make([]sync.Pool, len(v.secrets))
	for i, s := range v.secrets {
		v.macs[i].New = func() any { return &macState{h: hmac.New(sha256.New, s)} }
	}
	for _, o := range opts {
		if o == nil {
			return nil, fmt.Errorf("%w: nil option", ErrInvalidOption)
		}
		if err := o(v); err != nil {
			return nil, err
		}
	}
	return v, nil
}

// String describes the verifier without revealing its secrets.
func (v *Verifier) String() string {
	return fmt.Sprintf("webhook.Verifier{secrets: %d (redacted), tolerance: %s, maxBodyBytes: %d, legacyToken: %t}",
		len(v.secrets), v.tolerance, v.maxBody, v.legacy != nil)
}

// GoString is String, so %#v does not print the secrets either.
func (v *Verifier) GoString() string { return v.String() }

// LogValue implements slog.LogValuer without revealing the secrets.
func (v *Verifier) LogValue() slog.Value {
	return slog.GroupValue(
		slog.Int("secrets", len(v.secrets)),
		slog.Duration("tolerance", v.tolerance),
		slog.Int64("max_body_bytes", v.maxBody),
		slog.Bool("legacy_token", v.legacy != nil),
	)
}

// MaxBodyBytes reports the largest body the verifier accepts.
func (v *Verifier) MaxBodyBytes() int64 { return v.maxBody }

// Verify reads r's body (at most MaxBodyBytes, else ErrBodyTooLarge), checks its signature with
// VerifyBytes and parses the event envelope. The body is consumed; the returned Event holds it in Raw.
func (v *Verifier) Verify(r *http.Request) (*Event, error) {
	body, err := v.readBody(r.Body, r.ContentLength)
	if err != nil {
		return nil, err
	}
	idx, err := v.verify(r.Context(), r.Header, body)
	if err != nil {
		return nil, err
	}
	e, err := ParseEvent(body)
	if err != nil {
		return nil, err
	}
	e.bySignature = idx >= 0
	e.secret = idx
	return e, nil
}

// VerifyBytes checks the signature headers in h against body, the raw request body exactly as
// received. It returns nil if the signature was made with one of the secrets over exactly these
// bytes at a time within the tolerance window (or, with WithLegacyToken, if the Authorization header
// holds the legacy token). ctx is used only by a replay cache (WithReplayCache).
func (v *Verifier) VerifyBytes(ctx context.Context, h http.Header, body []byte) error {
	_, err := v.verify(ctx, h, body)
	return err
}

func (v *Verifier) readBody(rc io.Reader, contentLength int64) ([]byte, error) {
	if rc == nil || rc == http.NoBody {
		return nil, nil
	}
	if contentLength > v.maxBody {
		return nil, ErrBodyTooLarge
	}
	var buf bytes.Buffer
	if contentLength > 0 {
		buf.Grow(int(contentLength) + 1)
	}
	n, err := buf.ReadFrom(io.LimitReader(rc, v.maxBody+1))
	if n > v.maxBody {
		return nil, ErrBodyTooLarge
	}
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, ErrBodyTooLarge
		}
		return nil, fmt.Errorf("webhook: reading request body: %w", err)
	}
	return buf.Bytes(), nil
}

// window bounds how far a request's timestamp may be from the clock: past
// in the past, ahead in the future.
type window struct {
	past, ahead time.Duration
}

// strict is the verifier's own window: its tolerance, both ways.
func (v *Verifier) strict() window { return window{past: v.tolerance, ahead: v.tolerance} }

// verified describes a request that verified.
type verified struct {
	idx       int       // index of the secret that signed it; -1 when only the legacy token matched
	ts        time.Time // its signing time (zero for the legacy token)
	replayKey string    // its claim in the replay cache ("" if none)
}

// verify returns the index of the secret that signed body, or -1 when only the legacy token matched.
func (v *Verifier) verify(ctx context.Context, h http.Header, body []byte) (int, error) {
	r, err := v.verifyIn(ctx, h, body, v.strict())
	return r.idx, err
}

// verifyIn verifies a request whose timestamp must be within w.
func (v *Verifier) verifyIn(ctx context.Context, h http.Header, body []byte, w window) (verified, error) {
	idx, ts, sig, err := v.verifySignature(h, body, w)
	if err == nil {
		r := verified{idx: idx}
		if sec, ok := parseTimestamp(ts); ok {
			r.ts = time.Unix(sec, 0)
		}
		if v.replay != nil {
			// A claim outlives every instant at which the timestamp is accepted.
			key, err := v.checkReplay(ctx, ts, &sig, w.past+w.ahead+time.Second)
			if err != nil {
				return verified{}, err
			}
			r.replayKey = key
		}
		return r, nil
	}
	if v.legacy != nil && v.legacyMatches(h) {
		return verified{idx: -1}, nil
	}
	return verified{}, err
}

// checkReplay claims the (timestamp, signature) pair for ttl and returns its key; the key holds a
// hash of the signature, so that store errors that quote keys cannot leak a valid signature.
func (v *Verifier) checkReplay(ctx context.Context, ts string, sig *[sha256.Size]byte, ttl time.Duration) (string, error) {
	sum := sha256.Sum256(sig[:])
	key := "zoom-replay:" + ts + ":" + hex.EncodeToString(sum[:16])
	claimed, err := v.replay.Claim(ctx, key, ttl)
	if err != nil {
		return "", fmt.Errorf("%w: %w", ErrReplayCache, err)
	}
	if !claimed {
		return "", ErrReplay
	}
	return key, nil
}

func (v *Verifier) legacyMatches(h http.Header) bool {
	vals := h.Values(HeaderAuthorization)
	if len(vals) != 1 || vals[0] == "" {
		return false
	}
	sum := sha256.Sum256([]byte(vals[0]))
	return hmac.Equal(sum[:], v.legacy)
}

// single returns the one value of the header name, which must be in canonical
// form (h[name] is then h.Values(name) without canonicalising the name again).
func single(h http.Header, name string, missing error) (string, error) {
	vals := h[name]
	switch {
	case len(vals) == 0 || (len(vals) == 1 && vals[0] == ""):
		return "", missing
	case len(vals) > 1:
		return "", fmt.Errorf("%w: %s", ErrDuplicateHeader, name)
	}
	return vals[0], nil
}

func (v *Verifier) verifySignature(h http.Header, body []byte, w window) (idx int, ts string, want [sha256.Size]byte, err error) {
	sigHeader, err := single(h, HeaderSignature, ErrMissingSignature)
	if err != nil {
		return 0, "", want, err
	}
	ts, err = single(h, HeaderTimestamp, ErrMissingTimestamp)
	if err != nil {
		return 0, "", want, err
	}
	if !decodeSignature(sigHeader, &want) {
		return 0, "", want, ErrMalformedSignature
	}
	sec, ok := parseTimestamp(ts)
	if !ok {
		return 0, "", want, ErrMalformedTimestamp
	}
	if d := v.now().Sub(time.Unix(sec, 0)); d > w.past || d < -w.ahead {
		return 0, "", want, ErrTimestampOutOfRange
	}
	match := -1
	for i := range v.secrets {
		if v.macMatches(i, ts, body, &want) && match < 0 {
			match = i
		}
	}
	if match < 0 {
		return 0, "", want, ErrInvalidSignature
	}
	return match, ts, want, nil
}

// macState is a keyed HMAC-SHA256 state with the scratch space of one
// check, pooled per secret: a reset HMAC restores its keyed state (held in
// memory like the secret itself) instead of hashing the key blocks again, which
// saves hmac.New's allocations and two SHA-256 blocks per request.
type macState struct {
	h      hash.Hash
	prefix [3 + maxTimestampLen + 1]byte
	sum    [sha256.Size]byte
}

// macMatches reports whether want is HMAC-SHA256(secret i, "v0:"+ts+":"+body),
// compared in constant time. ts is at most maxTimestampLen bytes.
func (v *Verifier) macMatches(i int, ts string, body []byte, want *[sha256.Size]byte) bool {
	m := v.macs[i].Get().(*macState)
	m.h.Reset()
	p := append(m.prefix[:0], "v0:"...)
	p = append(p, ts...)
	p = append(p, ':')
	m.h.Write(p)
	m.h.Write(body)
	ok := hmac.Equal(m.h.Sum(m.sum[:0]), want[:])
	v.macs[i].Put(m)
	return ok
}

// mac appends HMAC-SHA256(secret, "v0:"+ts+":"+body) to dst.
func mac(secret []byte, ts string, body []byte, dst []byte) []byte {
	m := hmac.New(sha256.New, secret)
	var prefix [3 + maxTimestampLen + 1]byte
	p := append(prefix[:0], "v0:"...)
	p = append(p, ts...)
	p = append(p, ':')
	m.Write(p)
	m.Write(body)
	return m.Sum(dst)
}

func decodeSignature(s string, dst *[sha256.Size]byte) bool {
	if len(s) != len(signaturePrefix)+signatureHexLen || s[:len(signaturePrefix)] != signaturePrefix {
		return false
	}
	s = s[len(signaturePrefix):]
	for i := 0; i < sha256.Size; i++ {
		hi, ok1 := lowerHex(s[2*i])
		lo, ok2 := lowerHex(s[2*i+1])
		if !ok1 || !ok2 {
			return false
		}
		dst[i] = hi<<4 | lo
	}
	return true
}

func lowerHex(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	}
	return 0, false
}

func parseTimestamp(s string) (int64, bool) {
	if len(s) == 0 || len(s) > maxTimestampLen || (s[0] == '0' && len(s) > 1) {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil
}

// Sign returns the x-zm-signature value Zoom would send for body signed with secret at ts:
// "v0=" followed by the lowercase hex HMAC-SHA256 of "v0:{unix seconds}:{body}".
func Sign(secret string, ts time.Time, body []byte) string {
	var sum [sha256.Size]byte
	m := mac([]byte(secret), strconv.FormatInt(ts.Unix(), 10), body, sum[:0])
	return signaturePrefix + hex.EncodeToString(m)
}

// EncryptedToken returns the encryptedToken Zoom expects in reply to an endpoint.url_validation
// challenge: the lowercase hex HMAC-SHA256 of plainToken keyed with secret.
func EncryptedToken(secret, plainToken string) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(plainToken))
	return hex.EncodeToString(m.Sum(nil))
}

// SetSignatureHeaders sets the x-zm-request-timestamp and x-zm-signature headers of h for body
// signed with secret at ts.
func SetSignatureHeaders(h http.Header, secret string, ts time.Time, body []byte) {
	h.Set(HeaderTimestamp, strconv.FormatInt(ts.Unix(), 10))
	h.Set(HeaderSignature, Sign(secret, ts, body))
}

// NewSignedRequest returns a POST request to target carrying body as Zoom would send it: content
// type application/json and signature headers for secret at ts. It is meant for tests and fake servers.
func NewSignedRequest(ctx context.Context, secret, target string, body []byte, ts time.Time) (*http.Request, error) {
	r, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	r.Header.Set("Content-Type", "application/json; charset=utf-8")
	SetSignatureHeaders(r.Header, secret, ts, body)
	return r, nil
}
