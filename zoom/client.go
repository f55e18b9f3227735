package zoom

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

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
	hc            *http.Client
	maxBody       int64 // cap on a success body
	queries       queryCache
	hdrAccept     []string // {"application/json"}, also the JSON Content-Type
	hdrUserAgent  []string
	auth          atomic.Pointer[authValue]

	common service

	// Meetings covers meetings, registrants, invitations, past meetings,
	// live streaming, in-meeting apps and in-meeting controls.
	Meetings *MeetingsService
	// Webinars covers webinars, registrants, panelists and past webinars.
	Webinars *WebinarsService
	// Users covers users (create, read, update, status, delete, settings)
	// and their PAC accounts.
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
	// Polls covers meeting polls and their past results.
	Polls *PollsService
	// Surveys covers meeting surveys and the account's Zoom surveys.
	Surveys *SurveysService
	// Summaries covers meeting and webinar AI Companion summaries.
	Summaries *SummariesService
	// Templates covers meeting templates.
	Templates *TemplatesService
	// TSP covers the telephony service provider (TSP) settings of the
	// account and its users.
	TSP *TSPService
	// TrackingFields covers the account's meeting tracking fields.
	TrackingFields *TrackingFieldsService
	// H323Devices covers H.323/SIP room devices.
	H323Devices *H323DevicesService
	// SIPPhones covers SIP phones.
	SIPPhones *SIPPhonesService
	// Devices covers Zoom Device Management devices and Zoom Phone
	// Appliances.
	Devices *DevicesService
	// Archiving covers archived meeting and webinar files.
	Archiving *ArchivingService
	// ContactGroups covers contact groups and their members.
	ContactGroups *ContactGroupsService
	// Divisions covers divisions and their members.
	Divisions *DivisionsService
	// Accounts covers account settings, locked settings, owner and domains.
	Accounts *AccountsService
	// Dashboards covers the dashboard metrics of meetings, webinars, Zoom
	// Rooms, clients and quality.
	Dashboards *DashboardsService
	// InformationBarriers covers information barrier policies.
	InformationBarriers *InformationBarriersService
	// DataRequests covers data access and deletion requests.
	DataRequests *DataRequestsService
}

// service is shared by all services of a Client (one allocation, as in
// go-github).
type service struct{ client *Client }

// MeetingsService groups the operations of Zoom's "Meetings",
// "Invitation & Registration", "Live streaming", "In-Meeting Apps" and
// "In-Meeting Features" API sections.
type MeetingsService service

// WebinarsService groups the operations of Zoom's "Webinars" API section.
type WebinarsService service

// UsersService groups the operations of Zoom's "Users" API section (Users
// API) and its "PAC" section (Meetings API).
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

// PollsService groups the operations of Zoom's "Polls" API section.
type PollsService service

// SurveysService groups the operations of Zoom's "Surveys" (Meetings API) and "Survey Management" (Accounts API) API section.
type SurveysService service

// SummariesService groups the operations of Zoom's "Summaries" API section.
type SummariesService service

// TemplatesService groups the operations of Zoom's "Templates" API section.
type TemplatesService service

// TSPService groups the operations of Zoom's "TSP" API section.
type TSPService service

// TrackingFieldsService groups the operations of Zoom's "Tracking Field" API section.
type TrackingFieldsService service

// H323DevicesService groups the operations of Zoom's "H323 Devices" API section.
type H323DevicesService service

// SIPPhonesService groups the operations of Zoom's "SIP Phone" API section.
type SIPPhonesService service

// DevicesService groups the operations of Zoom's "Devices" API section.
type DevicesService service

// ArchivingService groups the operations of Zoom's "Archiving" API section.
type ArchivingService service

// ContactGroupsService groups the operations of Zoom's "Contact Groups" (Users API) API section.
type ContactGroupsService service

// DivisionsService groups the operations of Zoom's "Divisions" (Users API) API section.
type DivisionsService service

// AccountsService groups the operations of Zoom's "Accounts" (Accounts API) API section.
type AccountsService service

// DashboardsService groups the operations of Zoom's "Dashboards" (Accounts API) API section.
type DashboardsService service

// InformationBarriersService groups the operations of Zoom's "Information Barriers" (Accounts API) API section.
type InformationBarriersService service

// DataRequestsService groups the operations of Zoom's "Data Requests" (Accounts API) API section.
type DataRequestsService service

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

	maxResponseBytes int64
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
// https URL without query or fragment; plain http is accepted only for a
// loopback host (localhost, 127.0.0.0/8, ::1), since the bearer token
// travels with every request.
func WithBaseURL(raw string) Option {
	return func(c *config) error {
		u, err := url.Parse(raw)
		if err != nil {
			return fmt.Errorf("zoom: WithBaseURL: %w", err)
		}
		if (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return fmt.Errorf("zoom: WithBaseURL: %q is not an absolute http(s) URL", raw)
		}
		if !secureURL(u) {
			return fmt.Errorf("zoom: WithBaseURL: %q: plain http is only allowed for a loopback host: the bearer token would travel in clear", raw)
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
		baseURL:          DefaultBaseURL,
		userAgent:        defaultUserAgent,
		retry:            DefaultRetryPolicy(),
		maxResponseBytes: DefaultMaxResponseBytes,
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
		maxBody:       cfg.maxResponseBytes,
		hdrAccept:     []string{"application/json"},
		hdrUserAgent:  []string{cfg.userAgent},
	}
	var pc *pacer
	if cfg.pacing != nil {
		pc = newPacer(*cfg.pacing, cfg.logger)
	}
	c.hc = newHTTPClient(cfg.httpClient, pc)
	c.common.client = c
	c.Meetings = (*MeetingsService)(&c.common)
	c.Webinars = (*WebinarsService)(&c.common)
	c.Users = (*UsersService)(&c.common)
	c.Groups = (*GroupsService)(&c.common)
	c.Roles = (*RolesService)(&c.common)
	c.Reports = (*ReportsService)(&c.common)
	c.CloudRecordings = (*CloudRecordingsService)(&c.common)
	c.Contacts = (*ContactsService)(&c.common)
	c.Polls = (*PollsService)(&c.common)
	c.Surveys = (*SurveysService)(&c.common)
	c.Summaries = (*SummariesService)(&c.common)
	c.Templates = (*TemplatesService)(&c.common)
	c.TSP = (*TSPService)(&c.common)
	c.TrackingFields = (*TrackingFieldsService)(&c.common)
	c.H323Devices = (*H323DevicesService)(&c.common)
	c.SIPPhones = (*SIPPhonesService)(&c.common)
	c.Devices = (*DevicesService)(&c.common)
	c.Archiving = (*ArchivingService)(&c.common)
	c.ContactGroups = (*ContactGroupsService)(&c.common)
	c.Divisions = (*DivisionsService)(&c.common)
	c.Accounts = (*AccountsService)(&c.common)
	c.Dashboards = (*DashboardsService)(&c.common)
	c.InformationBarriers = (*InformationBarriersService)(&c.common)
	c.DataRequests = (*DataRequestsService)(&c.common)
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

// request is a built API request: what each attempt of a call sends.
type request struct {
	op          *operation
	url         string
	body        []byte // nil: no body
	contentType string
	// bodyValue is the body as the caller gave it, and token and replayToken
	// the access tokens sent: what an error must not repeat (redact.go).
	bodyValue   any
	token       string
	replayToken string
	// unknown is set when an attempt ended without telling whether Zoom
	// acted on it (a network error after the request was written, a
	// timeout, a 504) and the request was tried again.
	unknown bool
}

// call performs one API operation. path is the escaped path relative to the
// base URL; query is nil or a struct with `url` tags; body is nil or a value
// to send as JSON; out is nil or a pointer to decode the response into.
//
// It is a pipeline of four steps: build the request, send it (with
// retries, and one token refresh and replay if Zoom rejects the access
// token), check the response's status, decode its body.
func (c *Client) call(ctx context.Context, op *operation, path string, q any, body any, out any) (*Response, error) {
	req, err := c.newRequest(ctx, op, path, q, body)
	if err != nil {
		return nil, err
	}
	resp, err := c.do(ctx, req)
	if resp == nil {
		return nil, err
	}
	r := newResponse(resp)
	if err != nil {
		return r, err
	}
	if err := checkResponse(req, resp); err != nil {
		if req.unknown && op.Method == http.MethodDelete && errors.Is(err, ErrNotFound) {
			// An earlier attempt whose answer was lost may have deleted
			// the resource: what the caller asked for is done.
			c.logger.DebugContext(ctx, "zoom: DELETE answered not found after an attempt of unknown outcome; taken as deleted", "operation", op.ID)
			return r, nil
		}
		return r, err
	}
	defer closeBody(resp.Body)
	if out == nil || resp.StatusCode == http.StatusNoContent {
		return r, nil
	}
	if err := c.decode(ctx, op, r, out); err != nil {
		return r, err
	}
	if p, ok := out.(pageInfo); ok {
		r.NextPageToken, r.TotalRecords = p.pageInfo()
	}
	return r, nil
}

// newRequest checks the arguments of a call and encodes its URL and body.
func (c *Client) newRequest(ctx context.Context, op *operation, path string, q any, body any) (*request, error) {
	if ctx == nil {
		return nil, errors.New("zoom: nil context")
	}
	if err := checkPath(op, path); err != nil {
		return nil, err
	}
	if err := checkDateRange(op, q, time.Now()); err != nil {
		return nil, err
	}
	req := &request{op: op, contentType: "application/json"}
	var u strings.Builder
	u.Grow(len(c.base) + len(path) + 128)
	u.WriteString(c.base)
	u.WriteString(path)
	if q != nil {
		if err := c.queries.appendQuery(&u, q); err != nil {
			return nil, fmt.Errorf("zoom: %s: encoding query: %w", op.ID, err)
		}
	}
	req.url = u.String()
	if f, ok := body.(*formFile); ok {
		req.body, req.contentType = f.data, f.contentType
	} else if body != nil {
		req.bodyValue = body
		var err error
		if req.body, err = json.Marshal(body); err != nil {
			return nil, fmt.Errorf("zoom: %s: encoding body: %w", op.ID, err)
		}
	}
	return req, nil
}

// do gets an access token and sends req with it. Zoom answers 401 with code
// 124 for an expired or revoked access token: when the token source can
// refresh, the token is refreshed once and the request replayed once.
// do returns the final response, whatever its status; with an error, the
// response is nil unless the refresh failed.
func (c *Client) do(ctx context.Context, req *request) (*http.Response, error) {
	tok, err := c.token(ctx)
	if err != nil {
		return nil, err
	}
	if tok != nil {
		req.token = tok.AccessToken
	}
	resp, err := c.send(ctx, req, tok)
	if err != nil || !c.tokenRejected(req.op, resp, tok) {
		return resp, err
	}
	nt, err := c.tokens.(forceRefresher).ForceRefresh(ctx, tok)
	if err != nil {
		return resp, errors.Join(newAPIError(req.op, resp, req.secrets()), &TokenError{Err: err})
	}
	if nt == nil || nt.AccessToken == "" || nt.AccessToken == tok.AccessToken {
		return resp, nil // nothing better to replay with: the 401 stands
	}
	c.logger.DebugContext(ctx, "zoom: access token rejected (code 124); replaying with a refreshed token", "operation", req.op.ID)
	closeBody(resp.Body)
	req.replayToken = nt.AccessToken
	return c.send(ctx, req, nt)
}

// tokenRejected reports a 401 with Zoom code 124 for a token the token
// source can refresh. It reads the body and puts it back.
func (c *Client) tokenRejected(op *operation, resp *http.Response, tok *oauth2.Token) bool {
	if resp.StatusCode != http.StatusUnauthorized || tok == nil {
		return false
	}
	if _, ok := c.tokens.(forceRefresher); !ok {
		return false
	}
	return newAPIError(op, resp, nil).Code == 124
}

// send performs the HTTP exchange, retrying as the RetryPolicy says, and
// returns the final response, whatever its status.
func (c *Client) send(ctx context.Context, req *request, tok *oauth2.Token) (*http.Response, error) {
	op := req.op
	actx, st := withAttemptState(ctx, op)
	for attempt := 1; ; attempt++ {
		hreq, err := c.newHTTPRequest(actx, req, tok)
		if err != nil {
			return nil, err
		}
		st.wrote.Store(false)
		start := time.Now()
		resp, err := c.hc.Do(hreq)
		if c.logger.Enabled(ctx, slog.LevelDebug) { // spares boxing the arguments when debug is off
			c.logAttempt(ctx, op, attempt, resp, err, time.Since(start))
		}
		wait, retry := c.retryDelay(ctx, st, attempt, resp, err)
		if !retry {
			if err != nil {
				if ctxErr := ctx.Err(); ctxErr != nil {
					return nil, fmt.Errorf("zoom: %s %s: %w", op.Method, op.Path, ctxErr)
				}
				return nil, &NetworkError{Method: op.Method, Path: op.Path, Err: sanitizeErr(err)}
			}
			return resp, nil
		}
		if outcomeUnknown(st, resp, err) {
			req.unknown = true
		}
		if resp != nil {
			closeBody(resp.Body)
		}
		if err := sleep(ctx, wait); err != nil {
			return nil, fmt.Errorf("zoom: %s %s: %w", op.Method, op.Path, err)
		}
	}
}

// newHTTPRequest builds one attempt of req. Its header values are slices
// shared by the calls of a Client (net/http only reads them, and copies
// the header of a redirected request), which spares an allocation per
// header per call.
func (c *Client) newHTTPRequest(ctx context.Context, req *request, tok *oauth2.Token) (*http.Request, error) {
	var body io.Reader
	if req.body != nil {
		body = bytes.NewReader(req.body)
	}
	hreq, err := http.NewRequestWithContext(ctx, req.op.Method, req.url, body)
	if err != nil {
		return nil, fmt.Errorf("zoom: %s: building request: %w", req.op.ID, sanitizeErr(err))
	}
	h := hreq.Header
	h["Accept"] = c.hdrAccept
	h["User-Agent"] = c.hdrUserAgent
	if req.body != nil {
		if req.contentType == "application/json" {
			h["Content-Type"] = c.hdrAccept
		} else {
			h["Content-Type"] = []string{req.contentType}
		}
	}
	if tok != nil {
		h["Authorization"] = c.authHeader(tok)
	}
	return hreq, nil
}

// authValue is the Authorization header for one access token.
type authValue struct {
	token, typ string
	value      []string
}

// authHeader returns the Authorization header value for tok, built once
// per access token.
func (c *Client) authHeader(tok *oauth2.Token) []string {
	typ := tok.Type()
	if a := c.auth.Load(); a != nil && a.token == tok.AccessToken && a.typ == typ {
		return a.value
	}
	a := &authValue{token: tok.AccessToken, typ: typ, value: []string{typ + " " + tok.AccessToken}}
	c.auth.Store(a)
	return a.value
}

func (c *Client) logAttempt(ctx context.Context, op *operation, attempt int, resp *http.Response, err error, d time.Duration) {
	if err != nil {
		c.logger.DebugContext(ctx, "zoom: request failed",
			"operation", op.ID, "method", op.Method, "path", op.Path,
			"attempt", attempt, "duration", d, "error", sanitizeErr(err))
		return
	}
	c.logger.DebugContext(ctx, "zoom: response",
		"operation", op.ID, "method", op.Method, "path", op.Path,
		"status", resp.StatusCode, "attempt", attempt, "duration", d,
		"tracking_id", resp.Header.Get(hdrTrackingID))
}

// checkResponse returns the error for a response that is not a success:
// an *APIError, or a *RateLimitError for a 429. Secrets of the request
// that the body echoes are redacted.
func checkResponse(req *request, resp *http.Response) error {
	if resp.StatusCode >= 200 && resp.StatusCode <= 299 {
		return nil
	}
	e := newAPIError(req.op, resp, req.secrets())
	if resp.StatusCode == http.StatusTooManyRequests {
		return newRateLimitError(e, resp.Header, time.Now())
	}
	return e
}

// decode reads the body of a success response through the size cap and
// decodes it into out. A field of an unexpected JSON type is left at its
// zero value and listed in r.DecodeWarnings; a body of the wrong shape is
// a *DecodeError.
func (c *Client) decode(ctx context.Context, op *operation, r *Response, out any) error {
	buf := getBuffer()
	defer putBuffer(buf)
	if err := c.readBody(op, r.ContentLength, r.Body, buf); err != nil {
		return err
	}
	data := buf.Bytes()
	if err := checkShape(op, data, out); err != nil {
		return err
	}
	err := json.Unmarshal(data, out)
	if err == nil {
		return nil
	}
	var te *json.UnmarshalTypeError // escapes: only on the error path
	if errors.As(err, &te) {
		// encoding/json finishes the rest of the document after a type
		// mismatch: keep what decoded rather than reject what Zoom sent,
		// repair what Zoom meant, and say which fields were left out.
		r.DecodeWarnings = repairDecode(data, out, te)
		c.logger.DebugContext(ctx, "zoom: response fields of unexpected type left at their zero value",
			"operation", op.ID, "fields", len(r.DecodeWarnings))
		return nil
	}
	return &DecodeError{Operation: op.ID, Err: err}
}

// pageInfo is implemented by list responses.
type pageInfo interface {
	pageInfo() (nextPageToken string, totalRecords int)
}

// closeBody drains up to 64 KiB of b, so that the connection can be
// reused, and closes it. The limit reader comes from the buffer pool
// rather than a new io.LimitReader per call.
func closeBody(b io.ReadCloser) {
	buf := getBuffer()
	buf.lr = io.LimitedReader{R: b, N: 64 << 10}
	_, _ = io.Copy(io.Discard, &buf.lr)
	putBuffer(buf)
	_ = b.Close()
}

// secureURL reports whether a bearer token may travel to u: over https,
// or over http to a loopback host (tests, local development).
func secureURL(u *url.URL) bool {
	switch u.Scheme {
	case "https":
		return true
	case "http":
		return isLoopback(u.Hostname())
	}
	return false
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
