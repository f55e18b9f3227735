package oauth

import (
	"errors"
	"fmt"
	"strconv"
	"time"
)

// Sentinel errors. Errors returned by this package wrap them, so test with
// errors.Is.
var (
	// ErrReauthorizationRequired reports that the stored grant can no longer
	// produce tokens (refresh token revoked, superseded or missing, app
	// uninstalled): the user must go through "Connect Zoom" again. Errors
	// that match it are *[ReauthorizationError] values.
	ErrReauthorizationRequired = errors.New("oauth: Zoom authorization is no longer valid; the user must reconnect")

	// ErrRefreshOutcomeUnknown reports that a refresh request may have
	// reached Zoom but no usable answer came back, twice in a row (a
	// timeout, a connection broken after the request was written, or a 2xx
	// answer that is not a token, such as a proxy's maintenance page). The
	// stored refresh token is kept: an unknown outcome is not a dead grant.
	// If Zoom did redeem it, the next attempt gets invalid_grant, which is
	// then reported as ErrReauthorizationRequired. It is reported inside a
	// *[RefreshError]: retry later.
	ErrRefreshOutcomeUnknown = errors.New("oauth: the outcome of a token refresh is unknown; the stored grant is kept and will be tried again")

	// ErrSavePending reports that a refreshed token could not be saved to
	// the Store yet. The TokenSource keeps the token in memory, keeps the
	// refresh lease (so that no other replica presents the superseded
	// refresh token) and retries the save in the background until it
	// succeeds. It is reported inside a *[RefreshError]: retry later.
	ErrSavePending = errors.New("oauth: the refreshed token is not saved to the store yet; the save is retried in the background")

	// ErrTokenEndpoint reports a failed request to the token endpoint. Errors
	// that match it are *[TokenError] values or transport errors.
	ErrTokenEndpoint = errors.New("oauth: token endpoint request failed")

	// ErrMalformedTokenResponse reports a token endpoint answer that is not a
	// usable token. The body is never included in the error: it may hold
	// secrets.
	ErrMalformedTokenResponse = errors.New("oauth: malformed token endpoint response")

	// ErrGrantMarkedDead is the cause inside a *[ReauthorizationError] when
	// the stored record carries a dead mark (tokenstore.DeadMark): a
	// replica already found the grant dead, so no request was made and the
	// hook did not run again.
	ErrGrantMarkedDead = errors.New("oauth: the stored grant is marked dead")

	// ErrInvalidConfig reports an unusable Config or option.
	ErrInvalidConfig = errors.New("oauth: invalid configuration")

	// ErrInvalidState reports an authorization callback whose state is
	// missing, malformed, expired, already used, or bound to another browser.
	ErrInvalidState = errors.New("oauth: invalid or expired authorization state")

	// ErrStateReplayed reports a state value presented a second time. It
	// wraps ErrInvalidState.
	ErrStateReplayed = fmt.Errorf("oauth: authorization state already used: %w", ErrInvalidState)

	// ErrAuthorizationDenied reports a callback where Zoom returned an error
	// instead of a code (for example the user clicked "Decline").
	ErrAuthorizationDenied = errors.New("oauth: authorization denied")

	// ErrRevoke reports a failed token revocation.
	ErrRevoke = errors.New("oauth: token revocation failed")
)

// TokenError is an error answer of Zoom's token endpoint:
// {"reason":"Invalid Token!","error":"invalid_grant"}. It never holds the
// request or response body.
type TokenError struct {
	// StatusCode is the HTTP status of the answer.
	StatusCode int
	// ErrorCode is the OAuth error code ("invalid_grant", "invalid_client"...).
	ErrorCode string
	// Reason is Zoom's human readable reason, truncated.
	Reason string
	// ZoomCode is Zoom's numeric OAuth error code (4700-4741) when the body
	// carries one, else 0.
	ZoomCode int
}

// Error describes the token endpoint error.
func (e *TokenError) Error() string {
	s := "oauth: token endpoint: HTTP " + strconv.Itoa(e.StatusCode)
	if e.ErrorCode != "" {
		s += " " + e.ErrorCode
	}
	if e.ZoomCode != 0 {
		s += " (code " + strconv.Itoa(e.ZoomCode) + ")"
	}
	if e.Reason != "" {
		s += ": " + strconv.Quote(e.Reason)
	}
	return s
}

// Is reports whether target is ErrTokenEndpoint.
func (e *TokenError) Is(target error) bool { return target == ErrTokenEndpoint }

// Temporary reports whether the error is worth retrying later with the same
// credentials: 5xx and 429 answers.
func (e *TokenError) Temporary() bool { return e.StatusCode >= 500 || e.StatusCode == 429 }

// grantDead reports whether e means the refresh token can never work again.
func (e *TokenError) grantDead() bool {
	if e.ErrorCode == "invalid_grant" {
		return true
	}
	switch e.ZoomCode {
	case 4711, // refresh token scopes do not match the client's
		4733, // code expired
		4734, // invalid code
		4735, // owner of the token no longer exists / invalid refresh token
		4737, // authentication not found
		4738, // token disabled by an admin
		4740, // refresh token tolerance exceeded
		4741: // token revoked (re-authorized or uninstalled)
		return true
	}
	// Zoom answers a superseded refresh token with reason "Invalid Token!";
	// the error field is not documented, so accept invalid_request too.
	if e.StatusCode >= 400 && e.StatusCode < 500 && e.ErrorCode == "invalid_request" && e.Reason == "Invalid Token!" {
		return true
	}
	return false
}

// RefreshError reports a refresh that failed while the grant stays alive:
// the token endpoint failed or did not answer, its outcome is unknown, or
// the store failed. Nothing was lost; the TokenSource tries again after
// RetryAt (callers asking earlier get this error at once, without a
// request). It unwraps to the cause: a *[TokenError], [ErrTokenEndpoint],
// [ErrRefreshOutcomeUnknown], [ErrSavePending] or a store error.
type RefreshError struct {
	// Key is the store key of the grant.
	Key string
	// RetryAt is the earliest time the TokenSource sends another refresh.
	RetryAt time.Time
	// Err is the cause.
	Err error
}

// Error describes the error without secrets.
func (e *RefreshError) Error() string {
	s := "oauth: token refresh for key " + strconv.Quote(e.Key) + " failed (grant kept"
	if !e.RetryAt.IsZero() {
		s += "; next attempt after " + e.RetryAt.UTC().Format(time.RFC3339)
	}
	s += ")"
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap returns the cause.
func (e *RefreshError) Unwrap() error { return e.Err }

// Temporary reports true: the grant is alive and a later call may succeed.
func (e *RefreshError) Temporary() bool { return true }

// ReauthorizationError reports that the grant stored under Key is dead. It
// matches ErrReauthorizationRequired with errors.Is, and unwraps to the cause:
// a *[TokenError] (errors.As), [ErrGrantMarkedDead] when another replica
// already found the grant dead, or tokenstore.ErrNotFound when nothing is
// stored.
type ReauthorizationError struct {
	// Key is the store key of the dead grant, as chosen by the application.
	Key string
	// Err is the cause.
	Err error
}

// Error describes the error without secrets.
func (e *ReauthorizationError) Error() string {
	s := "oauth: reauthorization required for key " + strconv.Quote(e.Key)
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Is reports whether target is ErrReauthorizationRequired.
func (e *ReauthorizationError) Is(target error) bool { return target == ErrReauthorizationRequired }

// Unwrap returns the cause.
func (e *ReauthorizationError) Unwrap() error { return e.Err }
