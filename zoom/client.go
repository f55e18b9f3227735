package zoom

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/google/go-querystring/query"
	"github.com/hashicorp/go-retryablehttp"
	"golang.org/x/oauth2"
)

// DefaultBaseURL is the global Zoom REST API host. Regional hosts
// (https://api-eu.zoom.us/v2, ...) work too; see [WithBaseURL].
const DefaultBaseURL = "https://api.zoom.us/v2"

const defaultUserAgent = "zoomkit-go/0.1 (+https://github.com/zoomkit/zoomkit)"

// Client calls the Zoom REST API. Create one with [NewClient]; a Client is
// safe for concurrent use by many goroutines and should be reused.
type Client struct {
	base          string // base URL without trailing slash
	baseHost      string
	downloadHosts []string
	tokens        oauth2.TokenSource
	userAgent     string
	logger        *slog.Logger
	retry         RetryPolicy
	rc            *retryablehttp.Client

	common service

	// Meetings covers meetings, registrants, invitations, polls and past
	// meetings.
	Meetings *MeetingsService
	// Webinars covers webinars, registrants, panelists and past webinars.
	Webinars *WebinarsService
	// Users covers users: create, read, update, status, delete.
	Users *UsersService
	// Groups covers groups and their members.
	Groups *GroupsService
	// Roles covers roles and role members.
	Roles *RolesService
	// Reports covers usage and participant reports.
	Reports *ReportsService
	// CloudRecordings covers cloud recordings.
	CloudRecordings *CloudRecordingsService
	// Contacts covers company contact search (Team Chat API).
	Contacts *ContactsService
}

// service is shared by all services of a Client (one allocation, as in
// go-github).
type service struct{ client *Client }

// MeetingsService groups the operations of Zoom's "Meetings" and
// "Invitation & Registration" API sections.
type MeetingsService service

// WebinarsService groups the operations of Zoom's "Webinars" API section.
type WebinarsService service

// UsersService groups the operations of Zoom's "Users" API section.
type UsersService service

// GroupsService groups the operations of Zoom's "Groups" API section.
type GroupsService service

// RolesService groups the operations of Zoom's "Roles" API section.
type RolesService service

// ReportsService groups the operations of Zoom's "Reports" API section.
type ReportsService service

// CloudRecordingsService groups the operations of Zoom's "Cloud Recording"
// API section.
type CloudRecordingsService service

// ContactsService groups the operations of Zoom's "Contacts" API section
// (Team Chat API).
type ContactsService service

// Option configures a Client. Options validate their input: NewClient returns
// the first option error.
type Option func(*config) error

type config struct {
	tokens        oauth2.TokenSource
	httpClient    *http.Client
	baseURL       string
	userAgent     string
	logger        *slog.Logger
	retry         RetryPolicy
	pacing        *PacingPolicy
	downloadHosts []string
}

// WithTokenSource sets where access tokens come from: any
// oauth2.TokenSource, such as the ones in package oauth. When the source
// also has a TokenContext(ctx) method it is used, so token refreshes see the
// request's context; when it has ForceRefresh(ctx, rejected), an access token
// that Zoom rejects with code 124 is refreshed once and the call replayed.
func WithTokenSource(ts oauth2.TokenSource) Option {
	return func(c *config) error {
		if ts == nil {
			return errors.New("zoom: WithTokenSource: nil token source")
		}
		c.tokens = ts
		return nil
	}
}

// WithHTTPClient sets the HTTP client used for requests. The client is not
// modified: the Client works on a copy whose redirect policy never sends
// the Authorization header to another host. Without a token source the
// HTTP client must authenticate requests itself.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *config) error {
		if hc == nil {
			return errors.New("zoom: WithHTTPClient: nil client")
		}
		c.httpClient = hc
		return nil
	}
}

// WithBaseURL sets the API base URL, such as a regional host
// ("https://api-eu.zoom.us/v2") or a test server. It must be an absolute
// http or https URL without query or fragment.
func WithBaseURL(raw string) Option {
	return func(c *config) error {
		u, err := url.Parse(raw)
		if err != nil {
			return fmt.Errorf("zoom: WithBaseURL: %w", err)
		}
		if (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return fmt.Errorf("zoom: WithBaseURL: %q is not an absolute http(s) URL", raw)
		}
		if u.RawQuery != "" || u.Fragment != "" || u.User != nil {
			return fmt.Errorf("zoom: WithBaseURL: %q must not have user info, query or fragment", raw)
		}
		c.baseURL = strings.TrimRight(u.String(), "/")
		return nil
	}
}

// WithUserAgent sets the User-Agent header sent with every request.
func WithUserAgent(ua string) Option {
	return func(c *config) error {
		if strings.TrimSpace(ua) == "" || strings.ContainsAny(ua, "\r\n") {
			return errors.New("zoom: WithUserAgent: empty or multi-line user agent")
		}
		c.userAgent = ua
		return nil
	}
}

// WithLogger sets the logger for request diagnostics (at debug level: the
// operation, status, attempt and tracking id). Nothing secret is logged:
// no tokens, no query strings, no bodies. By default nothing is logged.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) error {
		if l == nil {
			return errors.New("zoom: WithLogger: nil logger")
		}
		c.logger = l
		return nil
	}
}

// WithRetryPolicy replaces the default retry policy; see [RetryPolicy].
func WithRetryPolicy(p RetryPolicy) Option {
	return func(c *config) error {
		if err := p.validate(); err != nil {
			return err
		}
		c.retry = p
		return nil
	}
}

// NewClient returns a Client configured by opts. A token source
// ([WithTokenSource]) or an authenticating HTTP client ([WithHTTPClient]) is
// required.
func NewClient(opts ...Option) (*Client, error) {
	cfg := config{
		baseURL:   DefaultBaseURL,
		userAgent: defaultUserAgent,
		retry:     DefaultRetryPolicy(),
	}
	for _, o := range opts {
		if o == nil {
			return nil, errors.New("zoom: NewClient: nil option")
		}
		if err := o(&cfg); err != nil {
			return nil, err
		}
	}
	if cfg.tokens == nil && cfg.httpClient == nil {
		return nil, errors.New("zoom: NewClient: no credentials: use WithTokenSource (or WithHTTPClient with an authenticating client)")
	}
	if cfg.logger == nil {
		cfg.logger = slog.New(slog.DiscardHandler)
	}
	bu, _ := url.Parse(cfg.baseURL)
	c := &Client{
		base:          cfg.baseURL,
		baseHost:      bu.Host,
		downloadHosts: cfg.downloadHosts,
		tokens:        cfg.tokens,
		userAgent:     cfg.userAgent,
		logger:        cfg.logger,
		retry:         cfg.retry,
	}
	var pc *pacer
	if cfg.pacing != nil {
		pc = newPacer(*cfg.pacing)
	}
	c.rc = newRetryClient(c, cfg.httpClient, pc)
	c.common.client = c
	c.Meetings = (*MeetingsService)(&c.common)
	c.Webinars = (*WebinarsService)(&c.common)
	c.Users = (*UsersService)(&c.common)
	c.Groups = (*GroupsService)(&c.common)
	c.Roles = (*RolesService)(&c.common)
	c.Reports = (*ReportsService)(&c.common)
	c.CloudRecordings = (*CloudRecordingsService)(&c.common)
	c.Contacts = (*ContactsService)(&c.common)
	return c, nil
}

// BaseURL returns the API base URL the client calls.
func (c *Client) BaseURL() string { return c.base }

// operation describes one Zoom API operation. Generated code declares one per
// operation.
type operation struct {
	Method string    // HTTP method
	Path   string    // path template as in the OpenAPI document
	ID     string    // operationId
	Rate   RateLabel // Zoom's rate-limit label
}

// contextTokenSource is implemented by token sources that take a context.
type contextTokenSource interface {
	TokenContext(ctx context.Context) (*oauth2.Token, error)
}

// forceRefresher is implemented by token sources that can replace an access
// token Zoom rejected.
type forceRefresher interface {
	ForceRefresh(ctx context.Context, rejected *oauth2.Token) (*oauth2.Token, error)
}

func (c *Client) token(ctx context.Context) (*oauth2.Token, error) {
	if c.tokens == nil {
		return nil, nil
	}
	var (
		t   *oauth2.Token
		err error
	)
	if cts, ok := c.tokens.(contextTokenSource); ok {
		t, err = cts.TokenContext(ctx)
	} else {
		t, err = c.tokens.Token()
	}
	if err != nil {
		return nil, &TokenError{Err: err}
	}
	if t == nil || t.AccessToken == "" {
		return nil, &TokenError{Err: errors.New("token source returned no access token")}
	}
	return t, nil
}

// call performs one API operation. path is the escaped path relative to the
// base URL; query is nil or a struct with `url` tags; body is nil or a value
// to send as JSON; out is nil or a pointer to decode the response into.
func (c *Client) call(ctx context.Context, op *operation, path string, q any, body any, out any) (*Response, error) {
	if ctx == nil {
		return nil, errors.New("zoom: nil context")
	}
	if err := checkDateRange(op, q, time.Now()); err != nil {
		return nil, err
	}
	u := c.base + path
	if q != nil {
		vals, err := query.Values(q)
		if err != nil {
			return nil, fmt.Errorf("zoom: %s: encoding query: %w", op.ID, err)
		}
		if len(vals) > 0 {
			u += "?" + vals.Encode()
		}
	}
	var payload []byte
	contentType := "application/json"
	if f, ok := body.(*formFile); ok {
		payload, contentType = f.data, f.contentType
	} else if body != nil {
		var err error
		payload, err = json.Marshal(body)
		if err != nil {
			return nil, fmt.Errorf("zoom: %s: encoding body: %w", op.ID, err)
		}
	}
	tok, err := c.token(ctx)
	if err != nil {
		return nil, err
	}
	resp, err := c.send(ctx, op, u, payload, contentType, tok)
	if err != nil {
		return nil, err
	}
	// Zoom answers 401 with code 124 for an expired or revoked access token:
	// refresh once and replay once, when the token source can refresh.
	if resp.StatusCode == http.StatusUnauthorized && tok != nil {
		if fr, ok := c.tokens.(forceRefresher); ok {
			apiErr := newAPIError(op, resp)
			if apiErr.Code == 124 {
				nt, ferr := fr.ForceRefresh(ctx, tok)
				if ferr != nil {
					return newResponse(resp), errors.Join(apiErr, &TokenError{Err: ferr})
				}
				if nt != nil && nt.AccessToken != "" && nt.AccessToken != tok.AccessToken {
					c.logger.DebugContext(ctx, "zoom: access token rejected (code 124); replaying with a refreshed token", "operation", op.ID)
					resp, err = c.send(ctx, op, u, payload, contentType, nt)
					if err != nil {
						return nil, err
					}
				} else {
					return newResponse(resp), apiErr
				}
			} else {
				return newResponse(resp), apiErr
			}
		}
	}
	r := newResponse(resp)
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return r, errorFor(op, resp)
	}
	defer closeBody(resp.Body)
	if out != nil && resp.StatusCode != http.StatusNoContent {
		if err := c.decode(ctx, op, resp.Body, out); err != nil {
			return r, err
		}
		if p, ok := out.(pageInfo); ok {
			r.NextPageToken, r.TotalRecords = p.pageInfo()
		}
	}
	return r, nil
}

// send performs the HTTP exchange with retries and returns the final
// response, whatever its status.
func (c *Client) send(ctx context.Context, op *operation, u string, payload []byte, contentType string, tok *oauth2.Token) (*http.Response, error) {
	var bodyArg any
	if payload != nil {
		bodyArg = payload
	}
	req, err := retryablehttp.NewRequestWithContext(withAttemptState(ctx, op), op.Method, u, bodyArg)
	if err != nil {
		return nil, fmt.Errorf("zoom: %s: building request: %w", op.ID, err)
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.userAgent)
	if payload != nil {
		req.Header.Set("Content-Type", contentType)
	}
	if tok != nil {
		tt := tok.Type()
		req.Header.Set("Authorization", tt+" "+tok.AccessToken)
	}
	start := time.Now()
	resp, err := c.rc.Do(req)
	if err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil {
			return nil, fmt.Errorf("zoom: %s %s: %w", op.Method, op.Path, ctxErr)
		}
		var rl *RateLimitError
		if errors.As(err, &rl) {
			return nil, err
		}
		return nil, &NetworkError{Method: op.Method, Path: op.Path, Err: sanitizeErr(err)}
	}
	if c.logger.Enabled(ctx, slog.LevelDebug) { // spares boxing the arguments when debug is off
		c.logger.DebugContext(ctx, "zoom: response",
			"operation", op.ID, "method", op.Method, "path", op.Path,
			"status", resp.StatusCode, "duration", time.Since(start),
			"tracking_id", resp.Header.Get("x-zm-trackingid"))
	}
	return resp, nil
}

func (c *Client) decode(ctx context.Context, op *operation, r io.Reader, out any) error {
	buf := getBuffer()
	defer putBuffer(buf)
	if _, err := buf.ReadFrom(r); err != nil {
		return &NetworkError{Method: op.Method, Path: op.Path, Err: sanitizeErr(err)}
	}
	if len(bytes.TrimSpace(buf.Bytes())) == 0 {
		return nil
	}
	var err error
	if d, ok := out.(bodyDecoder); ok {
		err = d.decodeBody(buf.Bytes())
	} else {
		err = json.Unmarshal(buf.Bytes(), out)
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		// encoding/json finishes the rest of the document after a type
		// mismatch: keep what decoded rather than reject what Zoom sent.
		c.logger.DebugContext(ctx, "zoom: response field of unexpected type left at its zero value",
			"operation", op.ID, "field", te.Field, "json_type", te.Value)
		return nil
	}
	if err != nil {
		return &DecodeError{Operation: op.ID, Err: err}
	}
	return nil
}

// errorFor turns a failed response into an *APIError, or a *RateLimitError
// for a 429.
func errorFor(op *operation, resp *http.Response) error {
	e := newAPIError(op, resp)
	if resp.StatusCode == http.StatusTooManyRequests {
		return classifyRateLimit(e, resp.Header, time.Now())
	}
	return e
}

// bodyDecoder is implemented by generated response types that have an
// UnmarshalJSON: decoding the body through it directly spares
// encoding/json a second pass over the bytes.
type bodyDecoder interface {
	decodeBody(data []byte) error
}

// pageInfo is implemented by list responses.
type pageInfo interface {
	pageInfo() (nextPageToken string, totalRecords int)
}

func closeBody(b io.ReadCloser) {
	_, _ = io.CopyN(io.Discard, b, 64<<10)
	_ = b.Close()
}
