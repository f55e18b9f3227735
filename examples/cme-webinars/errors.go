package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"

	"github.com/zoomkit/zoomkit/examples/internal/exkit"
	"github.com/zoomkit/zoomkit/oauth"
	"github.com/zoomkit/zoomkit/zoom"
)

// problem is what the coordinator reads when an action fails: a sentence
// that says what happened and what to do, and the HTTP status of the page.
type problem struct {
	Status int
	Msg    string
}

// explain is the one place where the platform maps failures to what the
// coordinator reads. what is the action, as a verb phrase ("schedule the
// webinar"). Zoom's own error text and the Go error never reach a page:
// failed logs them.
func explain(what string, err error) problem {
	var in *errInput
	var api *zoom.APIError
	var netErr net.Error
	switch {
	case errors.As(err, &in):
		return problem{http.StatusBadRequest, fmt.Sprintf("Could not %s: %s.", what, in.msg)}
	case errors.Is(err, errNoActivity):
		return problem{http.StatusNotFound, "There is no such CME activity: choose one from the list of activities."}
	case errors.Is(err, errNoCredits):
		return problem{http.StatusNotFound, "Credit has not been awarded for this activity yet: reconcile it with Zoom's report after the webinar first."}
	case errors.Is(err, errReportNotReady):
		return problem{http.StatusConflict, "Zoom has not made the webinar's participant report yet: it does so up to 30 minutes after the end, so try again later."}
	case errors.Is(err, errNotScheduled):
		return problem{http.StatusConflict, "Only a scheduled webinar that has not started can be cancelled."}
	case errors.Is(err, exkit.ErrNotConnected):
		return problem{http.StatusConflict, "Zoom is not connected: a Zoom account admin or owner must enable the Zoom integration (Integrations, on the home page) first."}
	case errors.Is(err, oauth.ErrReauthorizationRequired), errors.Is(err, oauth.ErrGrantMarkedDead), errors.Is(err, zoom.ErrUnauthorized):
		return problem{http.StatusConflict, fmt.Sprintf("Zoom no longer accepts the platform's connection, so it could not %s: a Zoom account admin must enable the Zoom integration again.", what)}
	case errors.Is(err, zoom.ErrMissingScopes):
		return problem{http.StatusBadGateway, fmt.Sprintf("The platform's Zoom app lacks a permission it needs to %s: a Zoom admin must add the missing scope to the app, then enable the integration again.", what)}
	case noWebinarPlan(err):
		return problem{http.StatusBadRequest, fmt.Sprintf("Could not %s: the host has no webinar licence. The Zoom admin must assign them the Webinar add-on first.", what)}
	case errors.Is(err, zoom.ErrDailyLimit):
		return problem{http.StatusTooManyRequests, fmt.Sprintf("Zoom's daily limit is reached, so it could not %s (Zoom allows a host 100 webinar changes a day): try again after midnight UTC.", what)}
	case errors.Is(err, zoom.ErrRateLimited):
		return problem{http.StatusTooManyRequests, fmt.Sprintf("Zoom is busy with the platform's requests and could not %s now: try again in a minute.", what)}
	case errors.Is(err, zoom.ErrNotFound):
		return problem{http.StatusBadGateway, fmt.Sprintf("Zoom could not %s: it no longer has this webinar (it may have been deleted in Zoom).", what)}
	case errors.Is(err, zoom.ErrServer):
		return problem{http.StatusBadGateway, fmt.Sprintf("Zoom had a problem on its side and could not %s: try again in a few minutes.", what)}
	case errors.As(err, &api):
		return problem{http.StatusBadGateway, fmt.Sprintf("Zoom refused to %s (Zoom code %d): check the webinar in Zoom, then try again.", what, api.Code)}
	case errors.Is(err, oauth.ErrTokenEndpoint), errors.Is(err, oauth.ErrRefreshOutcomeUnknown),
		errors.Is(err, context.DeadlineExceeded), errors.As(err, &netErr):
		return problem{http.StatusBadGateway, fmt.Sprintf("The platform could not reach Zoom to %s: check the network connection, then try again.", what)}
	}
	return problem{http.StatusInternalServerError, fmt.Sprintf("The platform could not %s because of an error of its own: try again, and if it keeps failing, the platform's log has the details.", what)}
}

// noWebinarPlan reports whether Zoom refused because the host has no
// webinar licence: a Zoom licence alone hosts no webinar, the admin must
// assign the Webinar add-on.
func noWebinarPlan(err error) bool {
	var api *zoom.APIError
	return errors.As(err, &api) && api.Code == 200 && strings.Contains(api.Message, "Webinar plan is missing")
}

// failed explains err (explain) and logs the Go error behind the
// sentence, with Zoom's code and tracking id when Zoom answered.
func (a *app) failed(ctx context.Context, what string, err error) problem {
	p := explain(what, err)
	attrs := []slog.Attr{slog.String("action", what), slog.String("shown", p.Msg), slog.String("error", err.Error())}
	var api *zoom.APIError
	if errors.As(err, &api) {
		attrs = append(attrs, slog.Int("zoom_status", api.StatusCode), slog.Int("zoom_code", api.Code), slog.String("zoom_tracking_id", api.TrackingID))
	}
	level := slog.LevelInfo // a request the coordinator can correct
	if p.Status >= 500 || p.Status == http.StatusTooManyRequests {
		level = slog.LevelWarn
	}
	a.logger.LogAttrs(ctx, level, "action failed", attrs...)
	return p
}

// routes is the app's mux; it remembers the patterns of the routes that
// take POSTs (the cross-site test posts to each).
type routes struct {
	*http.ServeMux
	posts []string
}

func (m *routes) Handle(pattern string, h http.Handler) {
	if strings.HasPrefix(pattern, http.MethodPost+" ") || strings.HasPrefix(pattern, "/") {
		m.posts = append(m.posts, pattern)
	}
	m.ServeMux.Handle(pattern, h)
}

func (m *routes) HandleFunc(pattern string, h func(http.ResponseWriter, *http.Request)) {
	m.Handle(pattern, http.HandlerFunc(h))
}
