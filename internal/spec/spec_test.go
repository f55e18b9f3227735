package spec

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/assert"

	"github.com/stretchr/testify/require"
)

func TestLoad(t *testing.T) {
	s, err := Load()
	require.NoError(t, err)
	if got := len(s.Operations); got != 316 {
		t.Errorf("operations = %d, want 316", got)
	}
	op, params, err := s.Find("GET", "/users/email")
	if err != nil || op.ID != "userEmail" || len(params) != 0 {
		t.Errorf("Find(/users/email) = %v, %v, %v", op, params, err)
	}
	op, params, err = s.Find("GET", "/meetings/123")
	if err != nil || op.ID != "meeting" || params["meetingId"] != "123" {
		t.Errorf("Find(/meetings/123) = %v, %v, %v", op, params, err)
	}
	if s.ByID("meetingCreate") == nil {
		t.Error("ByID(meetingCreate) = nil")
	}
}

// The embedded documents are exactly the scope's, and every operation in
// them carries a covered tag.
func TestScope(t *testing.T) {
	embedded, err := files.ReadDir(".")
	require.NoError(t, err)
	var names []string
	for _, e := range embedded {
		names = append(names, e.Name())
	}
	if want := slices.Sorted(slices.Values(Files)); !slices.Equal(names, want) {
		t.Errorf("embedded documents %v, scope names %v", names, want)
	}
	s, err := Load()
	require.NoError(t, err)
	for _, op := range s.Operations {
		if !slices.ContainsFunc(op.Tags, func(tag string) bool { return InScope(op.File, tag) }) {
			t.Errorf("%s %s (%s) in %s has no covered tag: %v", op.Method, op.Path, op.ID, op.File, op.Tags)
		}
	}
	if InScope("meetings.json", "Users") || !InScope("users.json", "Users") {
		t.Error("InScope mixes up documents")
	}
}

// Every contradiction names an operation of the documents, and every
// response contradiction still holds: its probe body, what the document
// describes, still fails to validate with the listed error. (Request contradictions are
// checked by package zoom's contract test, which sends the bodies.)
func TestContradictionsHold(t *testing.T) {
	s, err := Load()
	require.NoError(t, err)
	seen := map[string]bool{}
	for _, c := range Contradictions {
		key := c.OpID + " " + c.Side + " " + c.Match
		require.False(t, seen[key], "%s listed twice", key)
		seen[key] = true
		op := s.ByID(c.OpID)
		require.NotNil(t, op, "%s is not an operation of the documents", c.OpID)
		require.Contains(t, []string{"request", "response", "example"}, c.Side)
		require.NotEmpty(t, c.Match)
		require.NotEmpty(t, c.Defect)
		require.NotEmpty(t, c.Resolution)
		if c.Side != "response" {
			continue
		}
		require.NotEmpty(t, c.Probe, "%s: a response contradiction needs a probe body", c.OpID)
		status := 200
		for _, code := range []int{200, 201} {
			if op.Op.Responses.Status(code) != nil {
				status = code
				break
			}
		}
		_, held := Tolerated(c.OpID, "response", s.ValidateResponse(context.Background(), op, status, []byte(c.Probe)))
		assert.True(t, held, "%s: the document's examples no longer fail with %q: remove the entry", c.OpID, c.Match)
	}
}

// The example contradictions are exactly the fields of the documents whose
// example fails the field's own schema: a new one (Zoom's documents
// refreshed) must be listed, a fixed one removed.
func TestExampleContradictions(t *testing.T) {
	s, err := Load()
	require.NoError(t, err)
	found := map[string]bool{}
	var walk func(id, path string, ref *openapi3.SchemaRef, depth int)
	walk = func(id, path string, ref *openapi3.SchemaRef, depth int) {
		if ref == nil || ref.Value == nil || depth > 15 {
			return
		}
		sc := ref.Value
		if sc.Example != nil && sc.VisitJSON(sc.Example) != nil {
			found[id+" "+path] = true
		}
		for name, p := range sc.Properties {
			walk(id, path+"."+name, p, depth+1)
		}
		for _, group := range [][]*openapi3.SchemaRef{sc.AllOf, sc.OneOf, sc.AnyOf} {
			for _, p := range group {
				walk(id, path, p, depth+1)
			}
		}
		if sc.Items != nil {
			walk(id, path+"[]", sc.Items, depth+1)
		}
	}
	for _, op := range s.Operations {
		if rb := op.Op.RequestBody; rb != nil && rb.Value != nil {
			if mt := rb.Value.Content.Get("application/json"); mt != nil {
				walk(op.ID, "req", mt.Schema, 0)
			}
		}
		for code, r := range op.Op.Responses.Map() {
			if strings.HasPrefix(code, "2") && r.Value != nil {
				if mt := r.Value.Content.Get("application/json"); mt != nil {
					walk(op.ID, "resp", mt.Schema, 0)
				}
			}
		}
	}
	listed := map[string]bool{}
	for _, c := range Contradictions {
		if c.Side == "example" {
			listed[c.OpID+" "+c.Match] = true
		}
	}
	for k := range found {
		assert.True(t, listed[k], "%s: the document's example fails its schema; list it in Contradictions", k)
	}
	for k := range listed {
		assert.True(t, found[k], "%s: the example now validates; remove it from Contradictions", k)
	}
}
