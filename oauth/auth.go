package oauth

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"golang.org/x/oauth2"

	"github.com/zoomkit/zoomkit/tokenstore"
)

// NewState returns a fresh authorization state: 256 bits from crypto/rand,
// base64url encoded.
func NewState() string {
	var b [32]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go 1.24+)
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// NewVerifier returns a fresh PKCE code verifier (RFC 7636, 256 bits).
func NewVerifier() string { return oauth2.GenerateVerifier() }

// AuthRequest is one authorization attempt: the URL to send the browser to,
// and the state and PKCE verifier to keep (server side or sealed) until the
// callback. It prints without its verifier.
type AuthRequest struct {
	// URL is Zoom's authorization page with every parameter set.
	URL string
	// State is the anti-CSRF state sent to Zoom and expected back.
	State string
	// Verifier is the PKCE code verifier, needed by Exchange. Secret.
	Verifier string
}

// String describes the request without its verifier.
func (a AuthRequest) String() string {
	return fmt.Sprintf("oauth.AuthRequest{URL:%q Verifier:%s}", a.URL, redact(a.Verifier))
}

// GoString describes the request without its verifier, for %#v.
func (a AuthRequest) GoString() string { return a.String() }

// Format implements fmt.Formatter: every verb prints the description
// without the verifier.
func (a AuthRequest) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, a.String()) }

// NewAuthRequest starts an authorization: a fresh state (256 bits), a fresh
// PKCE verifier, and the authorization URL with code_challenge_method=S256.
// Most apps use [Config.Handlers] instead, which also binds the state to the
// browser.
func (c *Config) NewAuthRequest() (*AuthRequest, error) {
	state, verifier := NewState(), NewVerifier()
	u, err := c.AuthCodeURL(state, verifier)
	if err != nil {
		return nil, err
	}
	return &AuthRequest{URL: u, State: state, Verifier: verifier}, nil
}

// AuthCodeURL returns Zoom's authorization URL for state and the S256 PKCE
// challenge of verifier. state must carry at least 128 bits (22 or more
// characters; use [NewState]) and verifier must be a valid PKCE verifier (use
// [NewVerifier]). The redirect_uri is Config.RedirectURL, verbatim.
func (c *Config) AuthCodeURL(state, verifier string) (string, error) {
	r, err := c.resolve()
	if err != nil {
		return "", err
	}
	if err := checkRedirectURL(c.RedirectURL); err != nil {
		return "", err
	}
	if len(state) < 22 {
		return "", fmt.Errorf("%w: state must carry at least 128 bits", ErrInvalidConfig)
	}
	if len(verifier) < 43 || len(verifier) > 128 {
		return "", fmt.Errorf("%w: PKCE verifier must be 43 to 128 characters", ErrInvalidConfig)
	}
	u, _ := url.Parse(r.authURL) // checked by resolve
	q := u.Query()
	q.Set("response_type", "code")
	q.Set("client_id", c.ClientID)
	q.Set("redirect_uri", c.RedirectURL)
	q.Set("state", state)
	q.Set("code_challenge", oauth2.S256ChallengeFromVerifier(verifier))
	q.Set("code_challenge_method", "S256")
	if len(c.Scopes) > 0 {
		q.Set("scope", strings.Join(c.Scopes, " "))
	}
	u.RawQuery = q.Encode()
	return u.String(), nil
}

func checkRedirectURL(raw string) error {
	if raw == "" {
		return fmt.Errorf("%w: RedirectURL is empty", ErrInvalidConfig)
	}
	if err := checkURL(raw); err != nil {
		return fmt.Errorf("%w: RedirectURL: %v", ErrInvalidConfig, err)
	}
	return nil
}

// Exchange redeems an authorization code with its PKCE verifier and returns
// the token (with its refresh token). Save it to a Store before using it:
// it is the only copy of a single-use refresh token. An invalid, expired or
// reused code is a *[TokenError] with ErrorCode "invalid_grant".
func (c *Config) Exchange(ctx context.Context, code, verifier string) (*tokenstore.Token, error) {
	return c.exchange(ctx, code, verifier, time.Now)
}

// exchange is Exchange with the clock that stamps the token's expiry.
func (c *Config) exchange(ctx context.Context, code, verifier string, now func() time.Time) (*tokenstore.Token, error) {
	r, err := c.resolve()
	if err != nil {
		return nil, err
	}
	if err := checkRedirectURL(c.RedirectURL); err != nil {
		return nil, err
	}
	if code == "" || verifier == "" {
		return nil, fmt.Errorf("%w: Exchange needs a code and a PKCE verifier", ErrInvalidConfig)
	}
	form := url.Values{
		"grant_type":    {"authorization_code"},
		"code":          {code},
		"redirect_uri":  {c.RedirectURL},
		"code_verifier": {verifier},
	}
	tok, err := c.retrieve(ctx, r.tokenURL, form, now, true)
	if err != nil {
		return nil, fmt.Errorf("oauth: exchanging authorization code: %w", err)
	}
	return tok, nil
}

// Revoke revokes accessToken (and with it the grant): POST
// {RevokeURL} with token=<access token> and HTTP Basic client
// authentication. Zoom answers {"status":"success"}. Delete the stored token
// afterwards.
func (c *Config) Revoke(ctx context.Context, accessToken string) error {
	r, err := c.resolve()
	if err != nil {
		return err
	}
	if accessToken == "" {
		return fmt.Errorf("%w: empty token", ErrRevoke)
	}
	ctx, cancel := context.WithTimeout(ctx, c.requestTimeout())
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, r.revokeURL, strings.NewReader(url.Values{"token": {accessToken}}.Encode()))
	if err != nil {
		return fmt.Errorf("%w: building request", ErrRevoke)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	req.SetBasicAuth(c.ClientID, c.ClientSecret)
	resp, err := c.client().Do(req)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrRevoke, scrubURLError(err))
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	var out struct {
		Status string `json:"status"`
		Error  string `json:"error"`
		Reason string `json:"reason"`
	}
	_ = json.Unmarshal(body, &out)
	if resp.StatusCode != http.StatusOK || (out.Status != "" && out.Status != "success") {
		return fmt.Errorf("%w: %w", ErrRevoke, &TokenError{StatusCode: resp.StatusCode, ErrorCode: clip(out.Error, 64), Reason: clip(out.Reason, 200)})
	}
	return nil
}

// User is the Zoom user a token belongs to.
type User struct {
	// ID is the Zoom user id.
	ID string `json:"id"`
	// Email is the user's email address.
	Email string `json:"email"`
	// AccountID is the user's Zoom account id, when returned.
	AccountID string `json:"account_id,omitempty"`
}

// ErrUserLookup reports a failed GET /users/me.
var ErrUserLookup = errors.New("oauth: looking up the connected user failed")

// Me returns the user accessToken belongs to: GET {APIBaseURL}/users/me.
func (c *Config) Me(ctx context.Context, accessToken string) (*User, error) {
	r, err := c.resolve()
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, c.requestTimeout())
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, r.apiBase+"/users/me", nil)
	if err != nil {
		return nil, fmt.Errorf("%w: building request", ErrUserLookup)
	}
	req.Header.Set("Authorization", "Bearer "+accessToken)
	req.Header.Set("Accept", "application/json")
	resp, err := c.client().Do(req)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrUserLookup, scrubURLError(err))
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return nil, fmt.Errorf("%w: reading answer: %v", ErrUserLookup, err)
	}
	if resp.StatusCode != http.StatusOK {
		var ze struct {
			Code    int    `json:"code"`
			Message string `json:"message"`
		}
		_ = json.Unmarshal(body, &ze)
		return nil, fmt.Errorf("%w: HTTP %d (code %d) %q", ErrUserLookup, resp.StatusCode, ze.Code, clip(ze.Message, 200))
	}
	var u User
	if err := json.Unmarshal(body, &u); err != nil || u.ID == "" {
		return nil, fmt.Errorf("%w: answer without a user id", ErrUserLookup)
	}
	return &u, nil
}
