package exkit

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"syscall"

	"github.com/zoomkit/zoomkit/oauth"
	"github.com/zoomkit/zoomkit/zoom"
)

// Problem is a failure as the example apps show it to a person: a sentence
// saying what happened and what to do, and the HTTP status of the page.
// It never holds a Go error chain or Zoom's own error text; those go to the
// app's log.
type Problem struct {
	Status  int
	Message string
}

// Level is the slog level to log the failure behind p at: an error when
// the app or Zoom failed (5xx), a warning for what the person can fix.
func (p Problem) Level() slog.Level {
	if p.Status >= 500 {
		return slog.LevelError
	}
	return slog.LevelWarn
}

// The sentences of [ExplainZoom], for tests and for apps that reword one
// failure but keep the others.
const (
	MsgNotConnected   = "Zoom is not connected. Connect your Zoom account, then try again."
	MsgReconnect      = "Zoom no longer accepts this app's access to your Zoom account (the app was removed or its access revoked in Zoom). Connect Zoom again, then try again."
	MsgRateLimited    = "Zoom is receiving too many requests from this app right now. Wait a minute, then try again."
	MsgDailyLimit     = "Zoom's daily limit for this kind of request has been reached. Try again tomorrow."
	MsgMissingScopes  = "Zoom refused: the app was not given the permission this needs. Ask the app's administrator to add it in the Zoom App Marketplace, then connect Zoom again."
	MsgForbidden      = "Zoom does not let your Zoom account do this. Ask your Zoom account's admin, then try again."
	MsgNotFoundInZoom = "Zoom no longer has it: it may have been deleted in Zoom."
	MsgZoomDown       = "Zoom is having trouble right now and did not do it. Try again in a few minutes."
	MsgUnreachable    = "Zoom could not be reached. Check the internet connection, then try again in a minute."
	MsgTokenTrouble   = "Zoom's sign-in service did not answer as expected, so nothing was done. Try again in a minute."
	MsgZoomRefused    = "Zoom refused the request. Check what you entered and try again; if it keeps failing, contact support."

	MsgConnectDenied  = "Zoom was not connected: the access was not allowed on Zoom's page. Click Connect to try again."
	MsgConnectExpired = "Zoom was not connected: this sign-in link has expired or was opened in another browser. Click Connect to start again."
	MsgConnectFailed  = "Zoom could not be connected right now. Try again in a minute."
)

// ExplainZoom turns the failures every example meets when it calls Zoom
// into a [Problem]: no connection ([ErrNotConnected]), a dead grant
// ([oauth.ErrReauthorizationRequired], whose cause may be
// [oauth.ErrGrantMarkedDead]), rate and daily limits, missing scopes, other
// refusals by Zoom (a [*zoom.APIError]), Zoom's server errors, the token
// endpoint, and the network. ok is false for anything else: the app's own
// errors, which the app explains itself.
func ExplainZoom(err error) (p Problem, ok bool) {
	var apiErr *zoom.APIError
	var netErr net.Error
	switch {
	case err == nil:
		return Problem{}, false
	case errors.Is(err, oauth.ErrReauthorizationRequired):
		return Problem{http.StatusConflict, MsgReconnect}, true
	case errors.Is(err, ErrNotConnected):
		return Problem{http.StatusConflict, MsgNotConnected}, true
	case errors.Is(err, oauth.ErrRefreshOutcomeUnknown), errors.Is(err, oauth.ErrSavePending),
		errors.Is(err, oauth.ErrTokenEndpoint), errors.Is(err, oauth.ErrMalformedTokenResponse):
		return Problem{http.StatusServiceUnavailable, MsgTokenTrouble}, true
	case errors.Is(err, zoom.ErrDailyLimit):
		return Problem{http.StatusTooManyRequests, MsgDailyLimit}, true
	case errors.Is(err, zoom.ErrRateLimited):
		return Problem{http.StatusTooManyRequests, MsgRateLimited}, true
	case errors.Is(err, zoom.ErrMissingScopes):
		return Problem{http.StatusBadGateway, MsgMissingScopes}, true
	case errors.Is(err, zoom.ErrUnauthorized):
		return Problem{http.StatusConflict, MsgReconnect}, true
	case errors.Is(err, zoom.ErrForbidden):
		return Problem{http.StatusForbidden, MsgForbidden}, true
	case errors.Is(err, zoom.ErrNotFound):
		return Problem{http.StatusNotFound, MsgNotFoundInZoom}, true
	case errors.Is(err, zoom.ErrServer):
		return Problem{http.StatusBadGateway, MsgZoomDown}, true
	case errors.As(err, &apiErr):
		return Problem{http.StatusBadGateway, MsgZoomRefused}, true
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.ECONNREFUSED),
		errors.Is(err, io.ErrUnexpectedEOF), errors.As(err, new(*zoom.NetworkError)), errors.As(err, &netErr):
		return Problem{http.StatusBadGateway, MsgUnreachable}, true
	}
	return Problem{}, false
}

// ExplainConnect turns a failed "Connect Zoom" round trip (the error an
// [oauth.WithOnError] handler gets) into a [Problem]: declined on Zoom's
// consent page, an expired or foreign state, or Zoom failing.
func ExplainConnect(err error) Problem {
	switch {
	case errors.Is(err, oauth.ErrAuthorizationDenied):
		return Problem{http.StatusBadRequest, MsgConnectDenied}
	case errors.Is(err, oauth.ErrInvalidState):
		return Problem{http.StatusBadRequest, MsgConnectExpired}
	}
	if p, ok := ExplainZoom(err); ok && p.Status != http.StatusConflict {
		return p
	}
	return Problem{http.StatusBadGateway, MsgConnectFailed}
}
