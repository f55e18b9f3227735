package exkit

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/zoomkit/zoomkit/oauth"
	"github.com/zoomkit/zoomkit/zoom"
)

// Each known failure becomes a sentence with a fitting status; nothing of
// the error's own text (Zoom's message, the Go chain) reaches it.
func TestExplainZoom(t *testing.T) {
	raw := "Invalid access token, does not contain scopes"
	for _, c := range []struct {
		name   string
		err    error
		status int
		msg    string
	}{
		{"not connected", fmt.Errorf("listing: %w", ErrNotConnected), http.StatusConflict, MsgNotConnected},
		{"dead grant", &oauth.ReauthorizationError{Key: "k", Err: oauth.ErrGrantMarkedDead}, http.StatusConflict, MsgReconnect},
		{"invalid grant", &zoom.TokenError{Err: &oauth.ReauthorizationError{Key: "k", Err: &oauth.TokenError{StatusCode: 400, ErrorCode: "invalid_grant"}}}, http.StatusConflict, MsgReconnect},
		{"token endpoint", fmt.Errorf("x: %w", oauth.ErrRefreshOutcomeUnknown), http.StatusServiceUnavailable, MsgTokenTrouble},
		{"rate limit", &zoom.RateLimitError{APIError: &zoom.APIError{StatusCode: 429, Message: raw}}, http.StatusTooManyRequests, MsgRateLimited},
		{"daily limit", &zoom.RateLimitError{APIError: &zoom.APIError{StatusCode: 429, Message: raw}, Daily: true}, http.StatusTooManyRequests, MsgDailyLimit},
		{"scopes", &zoom.APIError{StatusCode: 400, Code: 4700, Message: raw}, http.StatusBadGateway, MsgMissingScopes},
		{"forbidden", &zoom.APIError{StatusCode: 403, Message: raw}, http.StatusForbidden, MsgForbidden},
		{"not found", &zoom.APIError{StatusCode: 404, Code: 3001, Message: raw}, http.StatusNotFound, MsgNotFoundInZoom},
		{"server", fmt.Errorf("creating: %w", &zoom.APIError{StatusCode: 503, Message: raw}), http.StatusBadGateway, MsgZoomDown},
		{"other refusal", &zoom.APIError{StatusCode: 400, Code: 300, Message: raw}, http.StatusBadGateway, MsgZoomRefused},
		{"reset", &zoom.NetworkError{Method: "POST", Path: "/users/me/meetings", Err: syscall.ECONNRESET}, http.StatusBadGateway, MsgUnreachable},
		{"timeout", fmt.Errorf("x: %w", context.DeadlineExceeded), http.StatusBadGateway, MsgUnreachable},
	} {
		p, ok := ExplainZoom(c.err)
		assert.True(t, ok, c.name)
		assert.Equal(t, c.status, p.Status, c.name)
		assert.Equal(t, c.msg, p.Message, c.name)
		assert.NotContains(t, p.Message, raw, c.name)
		assert.NotContains(t, p.Message, "zoom:", c.name)
	}
	assert.Equal(t, MsgReconnect, func() string {
		p, _ := ExplainZoom(fmt.Errorf("%w: %w", ErrNotConnected, &oauth.ReauthorizationError{Key: "k"}))
		return p.Message
	}(), "a connection ended by a dead grant asks to reconnect")
	assert.Equal(t, Problem{http.StatusBadRequest, MsgConnectDenied}, ExplainConnect(fmt.Errorf("x: %w", oauth.ErrAuthorizationDenied)))
	assert.Equal(t, Problem{http.StatusBadRequest, MsgConnectExpired}, ExplainConnect(oauth.ErrStateReplayed))
	assert.Equal(t, Problem{http.StatusBadGateway, MsgZoomDown}, ExplainConnect(&zoom.APIError{StatusCode: 500}))
	assert.Equal(t, Problem{http.StatusBadGateway, MsgConnectFailed}, ExplainConnect(errors.New("boom")))
	for _, err := range []error{nil, errors.New("the title is empty")} {
		_, ok := ExplainZoom(err)
		assert.False(t, ok, "%v", err)
	}
	for _, m := range []string{MsgNotConnected, MsgReconnect, MsgRateLimited, MsgDailyLimit, MsgMissingScopes, MsgForbidden,
		MsgNotFoundInZoom, MsgZoomDown, MsgUnreachable, MsgTokenTrouble, MsgZoomRefused} {
		assert.True(t, strings.HasSuffix(m, "."), "a sentence: %q", m)
	}
}

func TestProblemLevel(t *testing.T) {
	assert.Equal(t, slog.LevelError, Problem{Status: http.StatusBadGateway}.Level(), "Zoom or the app failed")
	assert.Equal(t, slog.LevelWarn, Problem{Status: http.StatusConflict}.Level(), "the person can fix it")
}
