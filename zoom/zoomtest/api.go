package zoomtest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"

	"github.com/zoomkit/zoomkit/internal/spec"
)

// opInfo is what the server needs to know of one operation.
type opInfo struct {
	op     *spec.Operation
	label  string   // LIGHT, MEDIUM, HEAVY, RESOURCE-INTENSIVE
	scopes []string // any one of them grants the operation
}

var labelPattern = regexp.MustCompile("Rate Limit Label[^`]*`([A-Za-z-]+)`")

func buildOpInfo(sp *spec.Spec) map[string]*opInfo {
	out := make(map[string]*opInfo, len(sp.Operations))
	for _, op := range sp.Operations {
		in := &opInfo{op: op, label: "LIGHT"}
		if m := labelPattern.FindStringSubmatch(op.Op.Description); m != nil {
			in.label = strings.ToUpper(m[1])
		}
		if op.Op.Security != nil {
			for _, req := range *op.Op.Security {
				in.scopes = append(in.scopes, req["openapi_oauth"]...)
			}
		}
		out[op.ID] = in
	}
	return out
}

// allScopes returns the classic (macro) scopes of every operation.
func allScopes(ops map[string]*opInfo) []string {
	set := map[string]bool{}
	for _, in := range ops {
		if ext, ok := in.op.Op.Extensions["x-extensions"].(map[string]any); ok {
			if list, ok := ext["x-macro-scopes"].([]any); ok {
				for _, v := range list {
					if s, ok := v.(string); ok {
						set[s] = true
					}
				}
			}
		}
	}
	out := make([]string, 0, len(set))
	for s := range set {
		out = append(out, s)
	}
	sort.Strings(out)
	return out
}

func scopeSet(scopes []string) map[string]bool {
	m := make(map[string]bool, len(scopes))
	for _, s := range scopes {
		m[s] = true
	}
	return m
}

// zoomError is Zoom's error body.
type zoomError struct {
	Code    int          `json:"code"`
	Message string       `json:"message"`
	Errors  []fieldError `json:"errors,omitempty"`
}

type fieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// apiError is a handler's failure: an HTTP status and Zoom's body.
type apiError struct {
	status int
	body   zoomError
}

func (e *apiError) Error() string {
	return fmt.Sprintf("%d (code %d): %s", e.status, e.body.Code, e.body.Message)
}

func fail(status, code int, format string, args ...any) *apiError {
	return &apiError{status: status, body: zoomError{Code: code, Message: fmt.Sprintf(format, args...)}}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	data, err := json.Marshal(v)
	if err != nil {
		status, data = http.StatusInternalServerError, []byte(`{"code":500,"message":"zoomtest: cannot encode the response"}`)
	}
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.Header().Set("Content-Length", strconv.Itoa(len(data)))
	w.WriteHeader(status)
	_, _ = w.Write(data)
}

// call is one API request being handled; handlers run with Server.mu
// held.
type call struct {
	s      *Server
	st     *state
	r      *http.Request
	info   *opInfo
	params map[string]string // path parameters, decoded
	query  url.Values
	body   []byte
	tok    *accessToken
	now    time.Time
	events []pendingEvent
	header http.Header // extra response headers
}

// result is a handler's answer.
type result struct {
	status int
	body   any
}

type handlerFunc func(c *call) (result, *apiError)

func ok(body any) (result, *apiError)      { return result{http.StatusOK, body}, nil }
func created(body any) (result, *apiError) { return result{http.StatusCreated, body}, nil }
func noContent() (result, *apiError)       { return result{http.StatusNoContent, nil}, nil }
func failed(e *apiError) (result, *apiError) {
	return result{}, e
}

// serveAPI answers a request under /v2.
func (s *Server) serveAPI(w http.ResponseWriter, r *http.Request) {
	rec := &statusRecorder{ResponseWriter: w}
	var (
		opName string
		userID string
	)
	defer func() { s.record(r, opName, rec.status, userID) }()

	path := strings.TrimPrefix(r.URL.EscapedPath(), "/v2")
	op, rawParams, err := s.spec.Find(r.Method, path)
	if err != nil {
		s.apiHeaders(rec)
		if s.applyFaults(rec, r, "") {
			return
		}
		writeJSON(rec, http.StatusNotFound, zoomError{Code: 2300, Message: "This API endpoint is not recognized."})
		return
	}
	opName = op.ID
	info := s.ops[op.ID]
	s.apiHeaders(rec)
	if s.applyFaults(rec, r, op.ID) {
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 4<<20))
	if err != nil {
		writeJSON(rec, http.StatusBadRequest, zoomError{Code: 300, Message: "Request body could not be read."})
		return
	}
	r.Body = io.NopCloser(bytes.NewReader(body))

	// Authentication and scopes.
	s.mu.Lock()
	now := s.cfg.now()
	tok, aerr := s.authenticate(r, now)
	if aerr == nil {
		userID = tok.actingUser(s.st)
		aerr = s.checkScopes(tok, info, rawParams)
	}
	if aerr == nil {
		aerr = s.checkPrivilege(tok, info, rawParams, body)
	}
	if aerr == nil {
		aerr = s.checkRate(rec.Header(), info, body, rawParams, tok, now)
	}
	s.mu.Unlock()
	if aerr != nil {
		writeJSON(rec, aerr.status, aerr.body)
		return
	}

	// Validation against the OpenAPI documents.
	vr := r.Clone(r.Context())
	vr.Body = io.NopCloser(bytes.NewReader(body))
	if _, err := s.spec.ValidateRequest(r.Context(), vr, "/v2"); err != nil {
		if ze, bad := validationError(err, body); bad {
			writeJSON(rec, http.StatusBadRequest, ze)
			return
		}
	}

	params := map[string]string{}
	for k, v := range rawParams {
		params[k] = decodeParam(v)
	}
	h := s.handlers[op.ID]
	if h == nil {
		// Not modelled: a stateless answer valid against the document.
		h = s.cannedHandler(op)
	}
	c := &call{s: s, r: r, info: info, params: params, query: r.URL.Query(), body: body, tok: tok, header: rec.Header()}
	res, herr, events, subs := s.run(h, c)
	s.deliver(subs, events)
	if herr != nil {
		writeJSON(rec, herr.status, herr.body)
		return
	}
	switch {
	case res.status == http.StatusNoContent:
		rec.WriteHeader(http.StatusNoContent)
	case res.body == nil:
		rec.WriteHeader(res.status)
	default:
		if s.respCheck != nil {
			data, _ := json.Marshal(res.body)
			s.respCheck(op, res.status, data)
		}
		writeJSON(rec, res.status, res.body)
	}
}

// run calls a handler with the lock held. A panic (a bug of the fake)
// becomes a 500 answer rather than a dropped connection, and the lock is
// released.
func (s *Server) run(h handlerFunc, c *call) (res result, herr *apiError, events []pendingEvent, subs []subscription) {
	s.mu.Lock()
	defer s.mu.Unlock()
	defer func() {
		if v := recover(); v != nil {
			res, events, subs = result{}, nil, nil
			herr = fail(http.StatusInternalServerError, 500, "zoomtest: internal error in %s: %v", c.info.op.ID, v)
		}
	}()
	c.st = s.st
	c.now = s.cfg.now()
	res, herr = h(c)
	events = c.events
	if len(events) > 0 {
		subs = slices.Clone(s.st.subs)
	}
	return res, herr, events, subs
}

// apiHeaders sets the headers every API answer carries.
func (s *Server) apiHeaders(w http.ResponseWriter) {
	s.mu.Lock()
	s.st.seq++
	n := s.st.seq
	s.mu.Unlock()
	w.Header().Set("x-zm-trackingid", fmt.Sprintf("v=2.0;clid=zoomtest;rid=WEB_%032x", n))
}

// decodeParam decodes a path parameter. Zoom wants UUIDs that begin with
// "/" or contain "//" encoded twice; one decoding of such a value still
// holds "%2F", and a second decoding gives the UUID. A value encoded once
// that yields "/" at its start or "//" is kept as is, so it matches no
// meeting, as at Zoom.
func decodeParam(v string) string {
	once, err := url.PathUnescape(v)
	if err != nil {
		return v
	}
	if strings.Contains(once, "%") {
		if twice, err := url.PathUnescape(once); err == nil && (strings.HasPrefix(twice, "/") || strings.Contains(twice, "//")) {
			return twice
		}
	}
	if strings.HasPrefix(once, "/") || strings.Contains(once, "//") {
		return "\x00" + once // cannot match an id
	}
	return once
}

// authenticate checks the bearer token.
func (s *Server) authenticate(r *http.Request, now time.Time) (*accessToken, *apiError) {
	if r.URL.Query().Has("access_token") {
		return nil, fail(http.StatusUnauthorized, 124, "Invalid access token.")
	}
	h := r.Header.Get("Authorization")
	scheme, v, found := strings.Cut(h, " ")
	if !found || !strings.EqualFold(scheme, "bearer") || v == "" {
		return nil, fail(http.StatusUnauthorized, 124, "Invalid access token.")
	}
	t := s.st.tokens[strings.TrimSpace(v)]
	if t == nil || t.revoked {
		return nil, fail(http.StatusUnauthorized, 124, "Invalid access token.")
	}
	if !t.expires.IsZero() && !now.Before(t.expires) {
		return nil, fail(http.StatusUnauthorized, 124, "Access token is expired.")
	}
	if t.userID != "" && s.st.userByID(t.userID) == nil {
		return nil, fail(http.StatusUnauthorized, 124, "Invalid access token.")
	}
	return t, nil
}

// actingUser returns the user id a token acts as.
func (t *accessToken) actingUser(st *state) string {
	if t.userID == "" {
		if a := st.accountByID(t.account); a != nil {
			return a.ownerID
		}
		return st.ownerID
	}
	return t.userID
}

// checkScopes enforces the operation's scopes (Zoom's 4700). A token whose
// matching scopes are all user-level (no ":admin") may only name its own
// user in a {userId} path parameter.
func (s *Server) checkScopes(t *accessToken, info *opInfo, params map[string]string) *apiError {
	if t.scopes == nil || len(info.scopes) == 0 {
		return nil
	}
	var matched []string
	for _, sc := range info.scopes {
		if t.scopes[sc] {
			matched = append(matched, sc)
		}
	}
	if len(matched) == 0 {
		return fail(http.StatusBadRequest, 4700, "Invalid access token, does not contain scopes:[%s].", strings.Join(classic(info.scopes), ", "))
	}
	uid, has := params["userId"]
	if !has || uid == "me" {
		return nil
	}
	for _, sc := range matched {
		if strings.HasSuffix(sc, ":admin") {
			return nil
		}
	}
	u := s.st.lookupUser(decodeParam(uid), t.actingUser(s.st))
	if u != nil && u.ID == t.actingUser(s.st) {
		return nil
	}
	var admin []string
	for _, sc := range classic(info.scopes) {
		if strings.HasSuffix(sc, ":admin") {
			admin = append(admin, sc)
		}
	}
	return fail(http.StatusBadRequest, 4700, "Invalid access token, does not contain scopes:[%s].", strings.Join(admin, ", "))
}

// classic keeps the scopes of the form "area:read" or "area:write[:admin]".
func classic(scopes []string) []string {
	var out []string
	for _, s := range scopes {
		parts := strings.Split(s, ":")
		if len(parts) == 2 || (len(parts) == 3 && parts[2] == "admin") {
			out = append(out, s)
		}
	}
	if len(out) == 0 {
		return scopes
	}
	return out
}

// validationError turns a validation failure into Zoom's 300 body. It
// reports false when every failure is a known quirk of the documents,
// where Zoom accepts what they refuse (see specQuirk).
func validationError(err error, body []byte) (zoomError, bool) {
	var fields []fieldError
	collectFieldErrors(err, "", &fields)
	if len(fields) == 0 {
		return zoomError{Code: 300, Message: "Invalid request: " + scrub(err.Error())}, true
	}
	kept := fields[:0]
	for _, f := range fields {
		if !specQuirk(f, body) {
			kept = append(kept, f)
		}
	}
	if len(kept) == 0 {
		return zoomError{}, false
	}
	return zoomError{Code: 300, Message: "Validation Failed.", Errors: kept}, true
}

// specQuirk reports a validation failure where the documents are
// narrower than Zoom:
//   - recurrence.weekly_days is documented as one day ("1".."7") but Zoom
//     takes a comma-separated list ("2,4");
//   - start_time is typed date-time, yet its description (and Zoom) takes
//     "yyyy-MM-ddTHH:mm:ss" without a zone, read in the timezone field;
//   - the settings bodies (user, group, locked group settings) are a oneOf
//     whose branches exclude nothing, so a body that fits one branch fits
//     several and "matches more than one"; Zoom takes it.
func specQuirk(f fieldError, body []byte) bool {
	if strings.Contains(f.Message, `matches more than one schema from "oneOf"`) {
		return true
	}
	var doc any
	if json.Unmarshal(body, &doc) != nil {
		return false
	}
	v, ok := lookupField(doc, f.Field).(string)
	if !ok {
		return false
	}
	switch {
	case f.Field == "recurrence.weekly_days":
		for _, d := range strings.Split(v, ",") {
			if n, err := strconv.Atoi(strings.TrimSpace(d)); err != nil || n < 1 || n > 7 {
				return false
			}
		}
		return true
	case f.Field == "start_time" && strings.Contains(f.Message, "date-time"):
		_, err := time.Parse("2006-01-02T15:04:05", v)
		return err == nil
	}
	return false
}

// lookupField follows a dotted path ("recurrence.weekly_days") in a
// decoded JSON document.
func lookupField(doc any, path string) any {
	for _, k := range strings.Split(path, ".") {
		m, ok := doc.(map[string]any)
		if !ok {
			return nil
		}
		doc = m[k]
	}
	return doc
}

func collectFieldErrors(err error, prefix string, out *[]fieldError) {
	var me openapi3.MultiError
	if errors.As(err, &me) {
		for _, e := range me {
			collectFieldErrors(e, prefix, out)
		}
		return
	}
	var re *openapi3filter.RequestError
	if errors.As(err, &re) {
		switch {
		case re.Parameter != nil:
			msg := "Invalid field."
			var pse *openapi3.SchemaError
			if errors.As(re.Err, &pse) {
				msg = scrub(pse.Reason)
			} else if re.Err != nil {
				msg = scrub(re.Err.Error())
			} else if re.Reason != "" {
				msg = scrub(re.Reason)
			}
			*out = append(*out, fieldError{Field: re.Parameter.Name, Message: msg})
		case re.Err != nil:
			collectFieldErrors(re.Err, prefix, out)
		default:
			*out = append(*out, fieldError{Field: prefix, Message: scrub(re.Reason)})
		}
		return
	}
	var se *openapi3.SchemaError
	if errors.As(err, &se) {
		*out = append(*out, fieldError{Field: strings.Join(se.JSONPointer(), "."), Message: scrub(se.Reason)})
		return
	}
	*out = append(*out, fieldError{Field: prefix, Message: scrub(err.Error())})
}

// scrub keeps error texts on one short line.
func scrub(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 300 {
		s = s[:300] + "…"
	}
	return s
}

// decode reads the JSON body into v.
func (c *call) decode(v any) *apiError {
	if len(bytes.TrimSpace(c.body)) == 0 {
		return fail(http.StatusBadRequest, 300, "Request Body should be a valid JSON object.")
	}
	if err := json.Unmarshal(c.body, v); err != nil {
		return fail(http.StatusBadRequest, 300, "Request Body should be a valid JSON object.")
	}
	return nil
}

// me returns the acting user's id.
func (c *call) me() string { return c.tok.actingUser(c.st) }

// user resolves the {userId} parameter.
func (c *call) user(param string) (*user, *apiError) {
	v := c.params[param]
	u := c.st.lookupUserIn(c.acct().id, v, c.me())
	if u == nil {
		return nil, fail(http.StatusNotFound, 1001, "User does not exist: %s.", v)
	}
	return u, nil
}

// meeting resolves a meeting id parameter to a meeting (not a webinar).
func (c *call) meeting(param string) (*meeting, *instance, *apiError) {
	v := c.params[param]
	m, in := c.st.findMeeting(v)
	if m == nil || m.Webinar || !c.ours(m) {
		return nil, nil, fail(http.StatusNotFound, 3001, "Meeting does not exist: %s.", v)
	}
	return m, in, nil
}

// webinar resolves a webinar id parameter.
func (c *call) webinar(param string) (*meeting, *instance, *apiError) {
	v := c.params[param]
	m, in := c.st.findMeeting(v)
	if m == nil || !m.Webinar || !c.ours(m) {
		return nil, nil, fail(http.StatusNotFound, 3001, "Webinar does not exist: %s.", v)
	}
	return m, in, nil
}

// page cuts a list of n items into the page the request asks for. key
// names the list (operation and filters): a next_page_token only continues
// the list it came from. It returns the bounds and the envelope fields
// (page_size, total_records, next_page_token, page_count, page_number).
func (c *call) page(key string, n, defSize, maxSize int) (lo, hi int, env map[string]any, e *apiError) {
	size := defSize
	if v := c.query.Get("page_size"); v != "" {
		p, err := strconv.Atoi(v)
		if err != nil || p < 1 {
			return 0, 0, nil, fail(http.StatusBadRequest, 300, "Invalid field: page_size.")
		}
		size = min(p, maxSize)
	}
	lo = 0
	if tok := c.query.Get("next_page_token"); tok != "" {
		pt := c.st.pages[tok]
		if pt == nil || pt.key != key || !c.now.Before(pt.expires) {
			return 0, 0, nil, fail(http.StatusBadRequest, 300, "The next page token is invalid or expired.")
		}
		lo = pt.offset
	} else if v := c.query.Get("page_number"); v != "" {
		p, err := strconv.Atoi(v)
		if err != nil || p < 1 {
			return 0, 0, nil, fail(http.StatusBadRequest, 300, "Invalid field: page_number.")
		}
		lo = (p - 1) * size
	}
	lo = min(lo, n)
	hi = min(lo+size, n)
	next := ""
	if hi < n {
		if len(c.st.pages) > 1000 {
			for k, pt := range c.st.pages {
				if !c.now.Before(pt.expires) {
					delete(c.st.pages, k)
				}
			}
		}
		next = secretToken("", 24)
		c.st.pages[next] = &pageToken{key: key, offset: hi, expires: c.now.Add(15 * time.Minute)}
	}
	pages := (n + size - 1) / size
	env = map[string]any{
		"page_size":       size,
		"total_records":   n,
		"next_page_token": next,
		"page_count":      pages,
		"page_number":     lo/size + 1,
	}
	return lo, hi, env, nil
}

// listKey names a list for page tokens.
func (c *call) listKey(parts ...string) string {
	return c.info.op.ID + "|" + strings.Join(parts, "|")
}
