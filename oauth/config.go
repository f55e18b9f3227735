package oauth

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/zoomkit/zoomkit/tokenstore"
)

// Zoom's OAuth endpoints and API base URL, the defaults of [Config].
const (
	DefaultAuthURL    = "https://zoom.us/oauth/authorize"
	DefaultTokenURL   = "https://zoom.us/oauth/token"
	DefaultRevokeURL  = "https://zoom.us/oauth/revoke"
	DefaultAPIBaseURL = "https://api.zoom.us/v2"
)

// DefaultRequestTimeout is the default of [Config.RequestTimeout]: it bounds
// one request to the token, revoke or users/me endpoint unless the context
// is shorter (token refreshes ignore the caller's context: see
// [TokenSource]).
const DefaultRequestTimeout = 30 * time.Second

// maxBody caps how much of a token endpoint answer is read.
const maxBody = 1 << 20

// Endpoint holds Zoom's OAuth URLs. Empty fields mean Zoom's defaults; tests
// and regional deployments override them.
type Endpoint struct {
	// AuthURL is the browser authorization page (DefaultAuthURL).
	AuthURL string
	// TokenURL is the token endpoint (DefaultTokenURL).
	TokenURL string
	// RevokeURL is the revocation endpoint (DefaultRevokeURL).
	RevokeURL string
}

// Config describes a Zoom OAuth app. It is a plain value: build it with a
// struct literal and do not modify it while it is in use. Every method
// validates it and returns an error wrapping ErrInvalidConfig when it is
// unusable.
//
// Token requests authenticate with HTTP Basic (client id and secret), send
// their parameters in a form body, and never follow redirects.
type Config struct {
	// ClientID is the app's client id. Required.
	ClientID string
	// ClientSecret is the app's client secret. Required. Secret: it never
	// appears in logs or errors.
	ClientSecret string
	// RedirectURL is the OAuth redirect URL registered with Zoom, used
	// verbatim (never taken from a request). Required for user-level apps.
	RedirectURL string
	// Scopes optionally narrows the scopes requested at authorization.
	Scopes []string
	// Endpoint overrides Zoom's OAuth URLs.
	Endpoint Endpoint
	// APIBaseURL is the REST API base used to look up the connected user
	// (GET {APIBaseURL}/users/me). Default DefaultAPIBaseURL.
	APIBaseURL string
	// HTTPClient sends token, revoke and users/me requests. Its redirect
	// policy is replaced by "never follow". Nil means a client whose
	// transport opens a fresh connection per request, so that a refresh is
	// never sent on a stale keep-alive connection whose failure would leave
	// its outcome unknown.
	HTTPClient *http.Client
	// RequestTimeout bounds one request to the token, revoke or users/me
	// endpoint (default DefaultRequestTimeout, at most 5 minutes). A
	// refresh whose answer does not come in time has an unknown outcome:
	// see [TokenSource].
	RequestTimeout time.Duration
}

func (c *Config) requestTimeout() time.Duration {
	if c.RequestTimeout > 0 {
		return c.RequestTimeout
	}
	return DefaultRequestTimeout
}

// String describes the config without its secret.
func (c Config) String() string {
	return fmt.Sprintf("oauth.Config{ClientID:%q ClientSecret:%s RedirectURL:%q}", c.ClientID, redact(c.ClientSecret), c.RedirectURL)
}

// GoString describes the config without its secret, for %#v.
func (c Config) GoString() string { return c.String() }

// Format implements fmt.Formatter: every verb prints the description
// without the secret.
func (c Config) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, c.String()) }

func redact(s string) string {
	if s == "" {
		return `""`
	}
	return "REDACTED"
}

type resolved struct {
	authURL, tokenURL, revokeURL, apiBase string
}

func (c *Config) resolve() (resolved, error) {
	if c == nil {
		return resolved{}, fmt.Errorf("%w: nil Config", ErrInvalidConfig)
	}
	if c.ClientID == "" {
		return resolved{}, fmt.Errorf("%w: ClientID is empty", ErrInvalidConfig)
	}
	if c.ClientSecret == "" {
		return resolved{}, fmt.Errorf("%w: ClientSecret is empty", ErrInvalidConfig)
	}
	if c.RequestTimeout < 0 || c.RequestTimeout > 5*time.Minute {
		return resolved{}, fmt.Errorf("%w: RequestTimeout %v out of range [0, 5m]", ErrInvalidConfig, c.RequestTimeout)
	}
	r := resolved{
		authURL:   or(c.Endpoint.AuthURL, DefaultAuthURL),
		tokenURL:  or(c.Endpoint.TokenURL, DefaultTokenURL),
		revokeURL: or(c.Endpoint.RevokeURL, DefaultRevokeURL),
		apiBase:   strings.TrimRight(or(c.APIBaseURL, DefaultAPIBaseURL), "/"),
	}
	for name, u := range map[string]string{"AuthURL": r.authURL, "TokenURL": r.tokenURL, "RevokeURL": r.revokeURL, "APIBaseURL": r.apiBase} {
		if err := checkURL(u); err != nil {
			return resolved{}, fmt.Errorf("%w: %s: %v", ErrInvalidConfig, name, err)
		}
	}
	return r, nil
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// checkURL accepts absolute https URLs, and http URLs on a loopback host
// (tests, local development).
func checkURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return errors.New("not a URL")
	}
	if u.Host == "" || u.User != nil || u.Fragment != "" {
		return errors.New("must be an absolute URL without user info or fragment")
	}
	switch u.Scheme {
	case "https":
		return nil
	case "http":
		if isLoopback(u.Hostname()) {
			return nil
		}
		return errors.New("http is only allowed for loopback hosts")
	}
	return errors.New("scheme must be https")
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func noRedirect(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

func (c *Config) client() *http.Client {
	if c.HTTPClient != nil {
		cl := *c.HTTPClient
		cl.CheckRedirect = noRedirect
		return &cl
	}
	// A fresh transport without keep-alives: it holds no connection pool,
	// and a refresh never goes out on a stale pooled connection.
	var t *http.Transport
	if dt, ok := http.DefaultTransport.(*http.Transport); ok {
		t = dt.Clone()
	} else {
		t = &http.Transport{Proxy: http.ProxyFromEnvironment, TLSHandshakeTimeout: 10 * time.Second}
	}
	t.DisableKeepAlives = true
	t.ResponseHeaderTimeout = c.requestTimeout()
	return &http.Client{Transport: t, CheckRedirect: noRedirect}
}

// tokenResponse is Zoom's token endpoint answer, success or error.
type tokenResponse struct {
	AccessToken  string          `json:"access_token"`
	TokenType    string          `json:"token_type"`
	RefreshToken string          `json:"refresh_token"`
	ExpiresIn    json.RawMessage `json:"expires_in"`
	Scope        string          `json:"scope"`
	APIURL       string          `json:"api_url"`
	Error        string          `json:"error"`
	Reason       string          `json:"reason"`
	Description  string          `json:"error_description"`
	Code         json.RawMessage `json:"code"`
}

// outcome classifies a failed token request.
type outcome int

const (
	outcomeNotSent   outcome = iota // nothing reached the server: safe to retry with the same grant
	outcomeRejected                 // the server answered with an error: the grant was not redeemed
	outcomeUncertain                // the server may have redeemed the grant: never re-present it
)

// requestError is a transport-level failure of a token request.
type requestError struct {
	outcome outcome
	err     error
}

func (e *requestError) Error() string {
	if e.outcome == outcomeUncertain {
		return "oauth: token request failed after it was sent: " + e.err.Error()
	}
	return "oauth: token request failed before it was sent: " + e.err.Error()
}

func (e *requestError) Unwrap() []error { return []error{ErrTokenEndpoint, e.err} }

// malformedError is a 2xx answer without a usable token: the server accepted
// the grant, so its outcome counts as uncertain.
type malformedError struct{ what string }

func (e *malformedError) Error() string {
	return ErrMalformedTokenResponse.Error() + ": " + e.what
}
func (e *malformedError) Unwrap() error { return ErrMalformedTokenResponse }

// retrieve posts form to the token endpoint and parses the answer. now is
// the clock used to turn expires_in into an absolute expiry. wantRefresh
// requires a refresh token in a successful answer.
func (c *Config) retrieve(ctx context.Context, tokenURL string, form url.Values, now func() time.Time, wantRefresh bool) (*tokenstore.Token, error) {
	ctx, cancel := context.WithTimeout(ctx, c.requestTimeout())
	defer cancel()
	var wrote atomic.Bool
	trace := &httptrace.ClientTrace{WroteHeaders: func() { wrote.Store(true) }}
	req, err := http.NewRequestWithContext(httptrace.WithClientTrace(ctx, trace), http.MethodPost, tokenURL, strings.NewReader(form.Encode()))
	if err != nil {
		return nil, &requestError{outcome: outcomeNotSent, err: errors.New("cannot build request")}
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	req.SetBasicAuth(c.ClientID, c.ClientSecret)
	start := now()
	resp, err := c.client().Do(req)
	if err != nil {
		o := outcomeUncertain
		if !wrote.Load() && isDialError(err) {
			o = outcomeNotSent
		}
		return nil, &requestError{outcome: o, err: scrubURLError(err)}
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		if resp.StatusCode >= 200 && resp.StatusCode < 300 {
			return nil, &requestError{outcome: outcomeUncertain, err: errors.New("reading the answer: " + err.Error())}
		}
		return nil, &TokenError{StatusCode: resp.StatusCode}
	}
	var tr tokenResponse
	jsonErr := json.Unmarshal(body, &tr)
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		te := &TokenError{StatusCode: resp.StatusCode}
		if jsonErr == nil {
			te.ErrorCode = clip(tr.Error, 64)
			te.Reason = clip(or(tr.Reason, tr.Description), 200)
			te.ZoomCode = parseCode(tr.Code)
		}
		return nil, te
	}
	if jsonErr != nil {
		return nil, &malformedError{what: "not JSON"}
	}
	if tr.AccessToken == "" {
		return nil, &malformedError{what: "no access_token"}
	}
	if wantRefresh && tr.RefreshToken == "" {
		return nil, &malformedError{what: "no refresh_token"}
	}
	exp, ok := parseExpiresIn(tr.ExpiresIn)
	if !ok {
		// Zoom always sends expires_in; without a usable one assume Zoom's
		// documented lifetime rather than discard a redeemed grant.
		exp = defaultExpiresIn
	}
	tok := &tokenstore.Token{
		AccessToken:  tr.AccessToken,
		RefreshToken: tr.RefreshToken,
		TokenType:    or(tr.TokenType, "bearer"),
		Scope:        tr.Scope,
		APIURL:       tr.APIURL,
	}
	if exp > 0 {
		tok.Expiry = start.Add(time.Duration(exp) * time.Second)
	}
	return tok, nil
}

// defaultExpiresIn is Zoom's documented access token lifetime, used when an
// answer lacks expires_in.
const defaultExpiresIn = 3600

func parseExpiresIn(raw json.RawMessage) (int64, bool) {
	s := strings.Trim(string(raw), `"`)
	if s == "" || s == "null" {
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f <= 0 || f > 10*365*24*3600 {
		return 0, false
	}
	return int64(f), true
}

func parseCode(raw json.RawMessage) int {
	n, err := strconv.Atoi(strings.Trim(string(raw), `"`))
	if err != nil {
		return 0
	}
	return n
}

// clip truncates s to n bytes of valid UTF-8 and drops control characters.
func clip(s string, n int) string {
	if len(s) > n {
		s = s[:n]
		for !utf8.ValidString(s) {
			s = s[:len(s)-1]
		}
	}
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, s)
}

// scrubURLError keeps the operation and the underlying error of a
// *url.Error but drops the URL's query, which could carry a secret.
func scrubURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		u, perr := url.Parse(ue.URL)
		if perr == nil {
			u.RawQuery = ""
			u.User = nil
			return &url.Error{Op: ue.Op, URL: u.String(), Err: ue.Err}
		}
		return &url.Error{Op: ue.Op, URL: "(redacted)", Err: ue.Err}
	}
	return err
}

// isDialError reports an error raised while connecting, before any byte of
// the request could be written.
func isDialError(err error) bool {
	var oe *net.OpError
	if errors.As(err, &oe) && oe.Op == "dial" {
		return true
	}
	var de *net.DNSError
	return errors.As(err, &de)
}
