package zoom

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Sentinel errors. An *APIError matches them with errors.Is according to its
// HTTP status (and, where Zoom is inconsistent, its Zoom code):
//
//	if errors.Is(err, zoom.ErrNotFound) { ... }
var (
	ErrBadRequest   = errors.New("zoom: bad request")              // 400
	ErrUnauthorized = errors.New("zoom: unauthorized")             // 401, or Zoom code 124
	ErrForbidden    = errors.New("zoom: forbidden")                // 403
	ErrNotFound     = errors.New("zoom: not found")                // 404, or Zoom codes 1001, 3001, 3301, 4130, 4131
	ErrConflict     = errors.New("zoom: conflict")                 // 409
	ErrRateLimited  = errors.New("zoom: rate limited")             // 429
	ErrDailyLimit   = errors.New("zoom: daily rate limit reached") // a 429 that lasts until Zoom's daily reset
	ErrServer       = errors.New("zoom: server error")             // 5xx
	// ErrMissingScopes matches Zoom code 4700: the access token lacks the
	// scopes the operation needs (for example a read-only grant writing).
	ErrMissingScopes = errors.New("zoom: access token lacks required scopes")
	// ErrInvalidArgument matches an *ArgumentError: a call was refused
	// before anything was sent.
	ErrInvalidArgument = errors.New("zoom: invalid argument")
)

// maxErrorBody caps how much of an error response is read.
const maxErrorBody = 64 << 10

// APIError is a non-2xx answer from Zoom. Zoom's error bodies are
// {"code": 3001, "message": "...", "errors": [{"field": "...", "message": "..."}]};
// Code is Zoom's code, whose meaning depends on the endpoint, so test the
// HTTP status first (errors.Is with the sentinels) and the code second.
type APIError struct {
	// Method and Path name the operation (the path template, not the
	// request URL: no ids, no query).
	Method, Path string
	// StatusCode is the HTTP status.
	StatusCode int
	// Code and Message are Zoom's error code and message, when the body is
	// Zoom's JSON error shape.
	Code    int
	Message string
	// Errors lists field-level validation errors (Zoom code 300).
	Errors []FieldError
	// TrackingID is the x-zm-trackingid header: give it to Zoom support.
	TrackingID string
	// Body is the start of a body that is not Zoom's JSON error shape (an
	// HTML page from a proxy, say), truncated.
	Body string
	// Header holds the response headers.
	Header http.Header
}

// FieldError is one field of a validation error.
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// Error formats the error as "zoom: GET /meetings/{meetingId}: 404 (code 3001): Meeting does not exist".
func (e *APIError) Error() string {
	var b strings.Builder
	b.WriteString("zoom: ")
	if e.Method != "" {
		b.WriteString(e.Method)
		b.WriteByte(' ')
		b.WriteString(e.Path)
		b.WriteString(": ")
	}
	b.WriteString(strconv.Itoa(e.StatusCode))
	if e.Code != 0 {
		b.WriteString(" (code ")
		b.WriteString(strconv.Itoa(e.Code))
		b.WriteByte(')')
	}
	if e.Message != "" {
		b.WriteString(": ")
		b.WriteString(e.Message)
	} else if e.Body != "" {
		b.WriteString(": ")
		b.WriteString(strconv.Quote(truncate(e.Body, 200)))
	} else {
		b.WriteString(" ")
		b.WriteString(http.StatusText(e.StatusCode))
	}
	for i, fe := range e.Errors {
		if i == 0 {
			b.WriteString(" [")
		} else {
			b.WriteString("; ")
		}
		b.WriteString(fe.Field)
		b.WriteString(": ")
		b.WriteString(fe.Message)
		if i == len(e.Errors)-1 {
			b.WriteByte(']')
		}
	}
	return b.String()
}

// Is reports whether the error matches one of the sentinels.
func (e *APIError) Is(target error) bool {
	switch target {
	case ErrBadRequest:
		return e.StatusCode == http.StatusBadRequest
	case ErrUnauthorized:
		return e.StatusCode == http.StatusUnauthorized || e.Code == 124
	case ErrForbidden:
		return e.StatusCode == http.StatusForbidden
	case ErrNotFound:
		if e.StatusCode == http.StatusNotFound {
			return true
		}
		switch e.Code {
		case 1001, 3001, 3301, 4130, 4131:
			return true
		}
		return false
	case ErrConflict:
		return e.StatusCode == http.StatusConflict
	case ErrRateLimited:
		return e.StatusCode == http.StatusTooManyRequests
	case ErrServer:
		return e.StatusCode >= 500
	case ErrMissingScopes:
		return e.Code == 4700
	}
	return false
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

// newAPIError reads (at most maxErrorBody of) the body of a failed response
// and closes it. What it keeps of the body is redacted: the secrets' exact
// values and the patterns of redact.go.
func newAPIError(op *operation, resp *http.Response, secrets []string) *APIError {
	e := &APIError{
		Method:     op.Method,
		Path:       op.Path,
		StatusCode: resp.StatusCode,
		TrackingID: resp.Header.Get(hdrTrackingID),
		Header:     resp.Header,
	}
	data, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	closeBody(resp.Body)
	// Put the bytes back so that a caller holding the response can read them.
	resp.Body = io.NopCloser(bytes.NewReader(data))
	parseErrorBody(e, data, secrets...)
	return e
}

// parseErrorBody fills e from an error body. It never fails: a body that is
// not Zoom's JSON error shape is kept, truncated, in e.Body.
//
// Secrets that the body echoes (the values in secrets, and the patterns of
// redact.go) are redacted before anything is kept or truncated.
func parseErrorBody(e *APIError, data []byte, secrets ...string) {
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) == 0 {
		return
	}
	var body struct {
		Code    json.RawMessage `json:"code"`
		Message string          `json:"message"`
		Reason  string          `json:"reason"`
		Errors  []FieldError    `json:"errors"`
	}
	if trimmed[0] == '{' && json.Unmarshal(trimmed, &body) == nil {
		e.Code = parseLenientInt(body.Code)
		e.Message = body.Message
		if e.Message == "" {
			e.Message = body.Reason
		}
		e.Message = redactText(e.Message, secrets)
		e.Errors = body.Errors
		for i := range e.Errors {
			e.Errors[i].Field = redactText(e.Errors[i].Field, secrets)
			e.Errors[i].Message = redactText(e.Errors[i].Message, secrets)
		}
		if e.Code != 0 || e.Message != "" || len(e.Errors) > 0 {
			return
		}
	}
	e.Body = truncate(redactText(sanitizeText(string(trimmed)), secrets), 512)
}

// parseLenientInt reads a JSON number or numeric string; anything else is 0.
func parseLenientInt(raw json.RawMessage) int {
	s := strings.Trim(string(raw), `"`)
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0
	}
	return n
}

// sanitizeText keeps printable text only.
func sanitizeText(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	return strings.Map(func(r rune) rune {
		if r == '\n' || r == '\t' {
			return ' '
		}
		if r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, s)
}

// ArgumentError reports a call refused before any request was sent, such as
// an empty user id or a nil body where one is required. It matches
// ErrInvalidArgument.
type ArgumentError struct {
	// Operation is the Zoom operationId.
	Operation string
	// Arg names the argument.
	Arg string
	// Reason says what is wrong.
	Reason string
}

func (e *ArgumentError) Error() string {
	return "zoom: " + e.Operation + ": argument " + e.Arg + " " + e.Reason
}

// Is matches ErrInvalidArgument.
func (e *ArgumentError) Is(target error) bool { return target == ErrInvalidArgument }

// errRequired returns the error for a missing required argument.
func errRequired(op *operation, arg string) error {
	return &ArgumentError{Operation: op.ID, Arg: arg, Reason: "is required"}
}

// errTooMany reports a request array longer than Zoom's limit.
func errTooMany(op *operation, arg string, n, limit int) error {
	return &ArgumentError{Operation: op.ID, Arg: arg, Reason: fmt.Sprintf("has %d items: Zoom takes at most %d per request", n, limit)}
}

// TokenError reports that no access token could be had from the token
// source. It wraps the token source's error, so errors.Is works with the
// oauth package's errors (oauth.ErrReauthorizationRequired).
type TokenError struct{ Err error }

func (e *TokenError) Error() string { return "zoom: getting access token: " + e.Err.Error() }

// Unwrap returns the token source's error.
func (e *TokenError) Unwrap() error { return e.Err }

// NetworkError reports a request that got no HTTP answer (after retries):
// a refused connection, a reset, a timeout.
type NetworkError struct {
	Method, Path string
	Err          error
}

func (e *NetworkError) Error() string {
	return fmt.Sprintf("zoom: %s %s: %v", e.Method, e.Path, e.Err)
}

// Unwrap returns the underlying error.
func (e *NetworkError) Unwrap() error { return e.Err }

// sanitizeErr strips the query string from URLs inside *url.Error values,
// so that nothing passed in a query (never a token here, but still) leaks
// into error strings.
func sanitizeErr(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		if u, perr := url.Parse(ue.URL); perr == nil {
			u.RawQuery = ""
			u.User = nil
			return &url.Error{Op: ue.Op, URL: u.String(), Err: ue.Err}
		}
	}
	return err
}
