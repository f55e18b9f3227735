package oauth

import (
	"errors"
	"fmt"
	"strconv"
)

// Sentinel errors. Errors returned by this package wrap them, so test with
// errors.Is.
var (
	// ErrReauthorizationRequired reports that the stored grant can no longer
	// produce tokens (refresh token revoked, superseded or missing, app
	// uninstalled): the user must go through "Connect Zoom" again. Errors
	// that match it are *[ReauthorizationError] values.
	ErrReauthorizationRequired = errors.New("oauth: Zoom authorization is no longer valid; the user must reconnect")

	// ErrRefreshOutcomeUnknown reports that a refresh request reached Zoom
	// but its answer was lost (timeout or broken connection after the request
	// was written). Zoom may have rotated the refresh token, so the old one is
	// never presented again. It is reported inside a *[ReauthorizationError].
	ErrRefreshOutcomeUnknown = errors.New("oauth: the outcome of a token refresh is unknown; the refresh token will not be presented again")

	// ErrTokenEndpoint reports a failed request to the token endpoint. Errors
	// that match it are *[TokenError] values or transport errors.
	ErrTokenEndpoint = errors.New("oauth: token endpoint request failed")

	// ErrMalformedTokenResponse reports a token endpoint answer that is not a
	// usable token. The body is never included in the error: it may hold
	// secrets.
	ErrMalformedTokenResponse = errors.New("oauth: malformed token endpoint response")

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

// ReauthorizationError reports that the grant stored under Key is dead. It
// matches ErrReauthorizationRequired with errors.Is, and unwraps to the cause:
// a *[TokenError] (errors.As), ErrRefreshOutcomeUnknown, or
// tokenstore.ErrNotFound when nothing was ever stored.
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
