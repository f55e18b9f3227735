package zoomtest

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/zoomkit/zoomkit/internal/spec"
)

// canned is the answer of an operation the fake does not model: the
// document's success status and a body valid against the document,
// taken from the document's example when that example validates, else
// built from the response schema.
type canned struct {
	status int
	body   []byte // nil: no body
}

// cannedAnswers caches the canned answer of each operation.
type cannedAnswers struct {
	mu   sync.Mutex
	byOp map[string]canned
}

// cannedFor returns op's canned answer.
func (s *Server) cannedFor(op *spec.Operation) canned {
	s.canned.mu.Lock()
	defer s.canned.mu.Unlock()
	if c, ok := s.canned.byOp[op.ID]; ok {
		return c
	}
	c := buildCanned(s.spec, op)
	if s.canned.byOp == nil {
		s.canned.byOp = map[string]canned{}
	}
	s.canned.byOp[op.ID] = c
	return c
}

// cannedHandler answers an operation the fake does not model. The users,
// meetings and webinars its path names must exist, as on Zoom (a canned
// answer for a meeting that does not exist would be kinder than Zoom);
// then it answers op's canned status and body.
func (s *Server) cannedHandler(op *spec.Operation) handlerFunc {
	return func(c *call) (result, *apiError) {
		for _, p := range []string{"userId", "hostId"} {
			if _, has := c.params[p]; has {
				if _, e := c.user(p); e != nil {
					return failed(e)
				}
			}
		}
		if _, has := c.params["meetingId"]; has {
			if m, _ := c.st.findMeeting(c.params["meetingId"]); m == nil || m.deleted || !c.ours(m) {
				return failed(fail(http.StatusNotFound, 3001, "Meeting does not exist: %s.", c.params["meetingId"]))
			}
		}
		if _, has := c.params["webinarId"]; has {
			if m, _ := c.st.findMeeting(c.params["webinarId"]); m == nil || !m.Webinar || m.deleted || !c.ours(m) {
				return failed(fail(http.StatusNotFound, 3001, "Webinar does not exist: %s.", c.params["webinarId"]))
			}
		}
		ca := s.cannedFor(op)
		if ca.body == nil {
			return result{status: ca.status}, nil
		}
		return result{status: ca.status, body: json.RawMessage(ca.body)}, nil
	}
}

// cannedTime is the fixed time written into built bodies, so that they are
// the same on every run.
var cannedTime = time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)

func buildCanned(sp *spec.Spec, op *spec.Operation) canned {
	status, resp := successResponse(op.Op)
	if resp == nil {
		return canned{status: status}
	}
	media := resp.Content.Get("application/json")
	if media == nil || media.Schema == nil {
		return canned{status: status}
	}
	valid := func(b []byte) bool {
		return sp.ValidateResponse(context.Background(), op, status, b) == nil
	}
	var examples []any
	if media.Example != nil {
		examples = append(examples, media.Example)
	}
	for _, ex := range media.Examples {
		if ex != nil && ex.Value != nil && ex.Value.Value != nil {
			examples = append(examples, ex.Value.Value)
		}
	}
	if media.Schema.Value != nil && media.Schema.Value.Example != nil {
		examples = append(examples, media.Schema.Value.Example)
	}
	for _, ex := range examples {
		if b, err := json.Marshal(ex); err == nil && valid(b) {
			return canned{status: status, body: b}
		}
	}
	b, _ := json.Marshal(sample(media.Schema, 0))
	return canned{status: status, body: b}
}

// successResponse returns the document's first 2xx status and response.
func successResponse(op *openapi3.Operation) (int, *openapi3.Response) {
	if op.Responses == nil {
		return http.StatusOK, nil
	}
	for _, code := range []int{200, 201, 202, 204} {
		if r := op.Responses.Status(code); r != nil && r.Value != nil {
			return code, r.Value
		}
	}
	return http.StatusOK, nil
}

// sample builds a value valid against the schema: every property, one item
// per array, the first enum value, the example or default when they fit,
// and formats respected.
func sample(ref *openapi3.SchemaRef, depth int) any {
	if ref == nil || ref.Value == nil || depth > 12 {
		return nil
	}
	sc := ref.Value
	if len(sc.AllOf) > 0 {
		out := map[string]any{}
		for _, part := range sc.AllOf {
			if m, ok := sample(part, depth+1).(map[string]any); ok {
				for k, v := range m {
					out[k] = v
				}
			}
		}
		return out
	}
	if alts := append(append([]*openapi3.SchemaRef(nil), sc.OneOf...), sc.AnyOf...); len(alts) > 0 {
		// The first member whose sample the whole schema accepts: a
		// document can type a field as a string and offer an object member
		// it never allows (see spec.Contradictions).
		var first, typed any
		for i, alt := range alts {
			v := sample(alt, depth+1)
			if i == 0 {
				first = v
			}
			if validJSON(sc, v) {
				return v
			}
			if typed == nil && sc.Type != nil && alt.Value != nil && alt.Value.Type != nil && sc.Type.Permits(alt.Value.Type.Slice()[0]) {
				typed = v
			}
		}
		if typed != nil {
			return typed
		}
		return first
	}
	if len(sc.Enum) > 0 {
		return sc.Enum[0]
	}
	switch {
	case sc.Type.Is("object") || (sc.Type == nil && len(sc.Properties) > 0):
		out := map[string]any{}
		for name, p := range sc.Properties {
			if p.Value != nil && p.Value.ReadOnly && p.Value.WriteOnly {
				continue
			}
			if v := sample(p, depth+1); v != nil {
				out[name] = v
			}
		}
		return out
	case sc.Type.Is("array"):
		n := max(int(sc.MinItems), 1)
		if sc.MaxItems != nil && *sc.MaxItems == 0 {
			n = 0
		}
		items := make([]any, 0, n)
		for range n {
			if v := sample(sc.Items, depth+1); v != nil {
				items = append(items, v)
			}
		}
		return items
	case sc.Type.Is("boolean"):
		if b, ok := sc.Example.(bool); ok {
			return b
		}
		return false
	case sc.Type.Is("integer"), sc.Type.Is("number"):
		return sampleNumber(sc)
	case sc.Type.Is("string"):
		return sampleString(sc)
	}
	return nil
}

func sampleNumber(sc *openapi3.Schema) any {
	ok := func(f float64) bool {
		return (sc.Min == nil || f >= *sc.Min) && (sc.Max == nil || f <= *sc.Max)
	}
	for _, c := range []any{sc.Example, sc.Default} {
		if f, isNum := c.(float64); isNum && ok(f) && (!sc.Type.Is("integer") || f == float64(int64(f))) {
			return f
		}
	}
	f := 1.0
	if sc.Min != nil && f < *sc.Min {
		f = *sc.Min
		if sc.ExclusiveMin.IsTrue() {
			f++
		}
	}
	if sc.Max != nil && f > *sc.Max {
		f = *sc.Max
	}
	if sc.Type.Is("integer") {
		return int64(f)
	}
	return f
}

func sampleString(sc *openapi3.Schema) any {
	switch sc.Format {
	case "date-time":
		return cannedTime.Format(time.RFC3339)
	case "date":
		return cannedTime.Format(time.DateOnly)
	case "email":
		return "user@example.com"
	case "uri", "url":
		return "https://example.com/zoomtest"
	case "uuid":
		return "6a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"
	}
	// The document's example or default, when its length fits (a pattern
	// is left to the document's own example; the validation test checks).
	fits := func(s string) bool {
		n := uint64(len([]rune(s)))
		return n >= sc.MinLength && (sc.MaxLength == nil || n <= *sc.MaxLength)
	}
	for _, c := range []any{sc.Example, sc.Default} {
		if s, ok := c.(string); ok && fits(s) {
			return s
		}
	}
	s := "string"
	if sc.MaxLength != nil && uint64(len(s)) > *sc.MaxLength {
		s = s[:*sc.MaxLength]
	}
	if uint64(len(s)) < sc.MinLength {
		s += strings.Repeat("x", int(sc.MinLength)-len(s))
	}
	return s
}

// validJSON reports whether v, as JSON, validates against sc.
func validJSON(sc *openapi3.Schema, v any) bool {
	b, err := json.Marshal(v)
	if err != nil {
		return false
	}
	var w any
	if json.Unmarshal(b, &w) != nil {
		return false
	}
	return sc.VisitJSON(w) == nil
}
