package zoom

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/big"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/zoomkit/zoomkit/internal/spec"
)

// docExample builds the body Zoom's documents show for schema s: every
// property, each with the example the document gives it, whether or not
// the example fits its own schema (that is what Zoom sends: an integer id
// as "93201235621", a lone string where a list is declared). A property
// without an example gets a plain value of its declared type. pick chooses
// the alternative of every oneOf/anyOf (modulo their count), so calling it
// with 0, 1, ... reaches each alternative.
func docExample(s *openapi3.Schema, pick, depth int) any {
	if s == nil || depth > 12 {
		return nil
	}
	if s.Example != nil {
		return s.Example
	}
	if alts := append(append(openapi3.SchemaRefs{}, s.OneOf...), s.AnyOf...); len(alts) > 0 && len(s.Properties) == 0 && len(s.AllOf) == 0 {
		return docExample(alts[pick%len(alts)].Value, pick, depth+1)
	}
	if len(s.AllOf) > 0 || len(s.OneOf) > 0 || len(s.AnyOf) > 0 || s.Properties != nil || s.Type.Is("object") {
		obj := map[string]any{}
		for name, pr := range s.Properties {
			if v := docExample(pr.Value, pick, depth+1); v != nil {
				obj[name] = v
			}
		}
		parts := append(openapi3.SchemaRefs{}, s.AllOf...)
		if alts := append(append(openapi3.SchemaRefs{}, s.OneOf...), s.AnyOf...); len(alts) > 0 {
			parts = append(parts, alts[pick%len(alts)])
		}
		for _, p := range parts {
			if m, ok := docExample(p.Value, pick, depth+1).(map[string]any); ok {
				for k, v := range m {
					obj[k] = v
				}
			}
		}
		if len(obj) == 0 {
			return nil
		}
		return obj
	}
	if s.Type.Is("array") {
		if len(s.Enum) > 0 && pick%2 == 1 {
			// The documents give some lists an enum of single values
			// (GroupSettings languages, unchecked_data_center_regions):
			// Zoom may send one value alone.
			return s.Enum[0]
		}
		if s.Items == nil {
			return nil
		}
		if v := docExample(s.Items.Value, pick, depth+1); v != nil {
			return []any{v}
		}
		return nil
	}
	if len(s.Enum) > 0 {
		return s.Enum[0]
	}
	switch {
	case s.Type.Is("string"):
		switch s.Format {
		case "date-time":
			return "2022-03-25T07:29:29Z"
		case "date":
			return "2022-03-25"
		}
		return "example"
	case s.Type.Is("integer"), s.Type.Is("number"):
		return 7.0
	case s.Type.Is("boolean"):
		return true
	}
	return nil
}

// alternatives counts the oneOf/anyOf alternatives of the widest choice in
// s, so docExample(s, 0..n-1) reaches each of them.
func alternatives(s *openapi3.Schema, depth int, seen map[*openapi3.Schema]bool) int {
	if s == nil || depth > 12 || seen[s] {
		return 1
	}
	seen[s] = true
	defer delete(seen, s)
	n := max(1, len(s.OneOf)+len(s.AnyOf))
	if s.Type.Is("array") && len(s.Enum) > 0 {
		n = max(n, 2)
	}
	var subs []*openapi3.Schema
	for _, r := range append(append(append(openapi3.SchemaRefs{}, s.AllOf...), s.OneOf...), s.AnyOf...) {
		subs = append(subs, r.Value)
	}
	for _, p := range s.Properties {
		subs = append(subs, p.Value)
	}
	if s.Items != nil {
		subs = append(subs, s.Items.Value)
	}
	for _, sub := range subs {
		n = max(n, alternatives(sub, depth+1, seen))
	}
	return n
}

// docExampleLosses lists the values of Zoom's documented response examples
// that the SDK cannot give back as Zoom sent them, by operation and JSON
// path, with the reason. Each is a genuine contradiction in the documents:
// an example that says something else than its own schema, in a form no
// Go type of the schema's kind can hold. A new loss fails the test, and so
// does an entry that no longer loses anything.
var docExampleLosses = map[string]string{}

// TestDocumentedResponseExamplesSurvive answers every in-scope operation
// with the body its document shows (every property with the document's
// own example, each oneOf alternative in turn), through the real method,
// and compares what the SDK decoded, re-encoded, with that body key by key
// and value by value. A value the SDK drops or changes without saying so
// fails (issue 16: "fails on any silently dropped value"); a value left
// at zero with a DecodeWarning fails too unless docExampleLosses lists it.
// A list's next_page_token and total_records must reach the Response.
func TestDocumentedResponseExamplesSurvive(t *testing.T) {
	s, err := spec.Load()
	require.NoError(t, err)
	byOp := map[string]apiMethod{}
	for _, m := range apiMethods(t) {
		if !m.Iterator {
			byOp[m.OpID] = m
		}
	}
	losses := map[string]bool{}
	withBody, served, paged := 0, map[string]bool{}, map[string]bool{}
	for _, op := range s.Operations {
		m, ok := byOp[op.ID]
		if !ok {
			continue
		}
		status, rs := successSchema(op)
		if rs == nil {
			continue
		}
		withBody++
		n := alternatives(rs, 0, map[*openapi3.Schema]bool{})
		seenBody := map[string]bool{}
		for pick := range n {
			want := docExample(rs, pick, 0)
			body, err := json.Marshal(want)
			require.NoError(t, err)
			if want == nil || seenBody[string(body)] {
				continue
			}
			seenBody[string(body)] = true
			served[op.ID] = true
			t.Run(fmt.Sprintf("%s/%d", op.ID, pick), func(t *testing.T) {
				c, mt := setup(t)
				replyJSON(mt, status, body)
				svc := reflect.ValueOf(c).Elem().FieldByName(strings.TrimSuffix(m.Service, "Service"))
				meth := svc.MethodByName(m.Name)
				args, _ := methodArgs(t, op, meth)
				res := meth.Call(args)
				errV := res[len(res)-1]
				require.True(t, errV.IsNil(), "%s.%s failed on the documented example: %v", m.Service, m.Name, errV.Interface())
				if len(res) != 3 || res[0].IsNil() {
					t.Fatalf("%s.%s returned no value", m.Service, m.Name)
				}
				resp := res[1].Interface().(*Response)
				re, err := json.Marshal(res[0].Interface())
				require.NoError(t, err)
				var orig, back any
				decodeNumbers(t, body, &orig)
				decodeNumbers(t, re, &back)
				var diffs []string
				compareExample("", orig, back, &diffs)
				// A list's paging fields reach the Response (issue 16, item 2).
				if top, ok := orig.(map[string]any); ok {
					if top["next_page_token"] != nil || top["total_records"] != nil {
						paged[op.ID] = true
					}
					if tok, ok := top["next_page_token"].(string); ok && resp.NextPageToken != tok {
						diffs = append(diffs, fmt.Sprintf("next_page_token: Response.NextPageToken is %q, want %q", resp.NextPageToken, tok))
					}
					if n, ok := top["total_records"].(json.Number); ok && strconv.Itoa(resp.TotalRecords) != n.String() {
						diffs = append(diffs, fmt.Sprintf("total_records: Response.TotalRecords is %d, want %s", resp.TotalRecords, n))
					}
				}
				for _, w := range resp.DecodeWarnings {
					diffs = append(diffs, fmt.Sprintf("%s: warned (%s sent where %s is declared)", w.Field, w.Got, w.Want))
				}
				sort.Strings(diffs)
				for _, d := range diffs {
					key := op.ID + " " + strings.SplitN(d, ":", 2)[0]
					if _, ok := docExampleLosses[key]; ok {
						losses[key] = true
						continue
					}
					t.Errorf("%s", d)
				}
				if t.Failed() {
					t.Logf("documented body: %s\nre-encoded:      %s", body, re)
				}
			})
		}
	}
	for _, op := range s.Operations {
		if _, ok := byOp[op.ID]; ok && !served[op.ID] {
			_, rs := successSchema(op)
			assert.Nil(t, rs, "%s: no documented body served", op.ID)
		}
	}
	if len(served) != withBody || withBody < 100 {
		t.Errorf("served the documented bodies of %d operations, want all %d that return one", len(served), withBody)
	}
	assert.GreaterOrEqual(t, len(paged), 30, "only %d documented lists carry next_page_token or total_records", len(paged))
	t.Logf("%d operations answered with their documented bodies, %d of them paged lists", len(served), len(paged))
	for key, why := range docExampleLosses {
		if !losses[key] {
			t.Errorf("docExampleLosses[%q] (%s) loses nothing now: remove it", key, why)
		}
	}
}

func decodeNumbers(t *testing.T, b []byte, v any) {
	t.Helper()
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	err := d.Decode(v)
	require.NoError(t, err)
}

// compareExample appends to diffs every value of want (a documented body)
// that got (the SDK's re-encoding) lost or changed. A value the SDK
// leaves out because it is a zero it does not re-send (false, 0, "") is
// kept; a value Zoom sent as a string that the SDK holds as the number it
// says (or the reverse), and a lone value the SDK holds as a list of one,
// are the same value.
func compareExample(path string, want, got any, diffs *[]string) {
	if path == "" {
		path = "."
	}
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			if !zeroValue(w) {
				*diffs = append(*diffs, fmt.Sprintf("%s: object became %s", path, kindOf(got)))
			}
			return
		}
		for k, wv := range w {
			p := path + "." + k
			if path == "." {
				p = k
			}
			gv, ok := g[k]
			if !ok {
				if !zeroValue(wv) {
					*diffs = append(*diffs, fmt.Sprintf("%s: dropped", p))
				}
				continue
			}
			compareExample(p, wv, gv, diffs)
		}
	case []any:
		g, ok := got.([]any)
		if !ok {
			if len(w) > 0 {
				*diffs = append(*diffs, fmt.Sprintf("%s: list became %s", path, kindOf(got)))
			}
			return
		}
		if len(g) != len(w) {
			*diffs = append(*diffs, fmt.Sprintf("%s: %d items became %d", path, len(w), len(g)))
			return
		}
		for i := range w {
			compareExample(path+"[]", w[i], g[i], diffs)
		}
	default:
		if g, ok := got.([]any); ok && len(g) == 1 {
			got = g[0] // a lone value kept as a list of one
		}
		if !sameScalar(want, got) {
			*diffs = append(*diffs, fmt.Sprintf("%s: %s %v became %s %v", path, kindOf(want), want, kindOf(got), got))
		}
	}
}

func sameScalar(want, got any) bool {
	if want == nil {
		return true
	}
	if got == nil {
		return zeroValue(want)
	}
	if reflect.DeepEqual(want, got) {
		return true
	}
	ws, gs := scalarText(want), scalarText(got)
	if ws == gs {
		return true
	}
	// Time keeps a fraction of a second it decoded but re-encodes to the
	// second, the form Zoom's requests take (TestTimeDecodesLeniently
	// holds the decoded fraction).
	if wt, err := time.Parse(time.RFC3339Nano, ws); err == nil {
		if gt, err := time.Parse(time.RFC3339, gs); err == nil && wt.Truncate(time.Second).Equal(gt) {
			return true
		}
	}
	// Numbers compare by value (1.0e3 is 1000), also when one side was a
	// string that says the number.
	wf, ok1 := new(big.Float).SetString(strings.TrimSpace(ws))
	gf, ok2 := new(big.Float).SetString(strings.TrimSpace(gs))
	return ok1 && ok2 && wf.Cmp(gf) == 0
}

func scalarText(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case json.Number:
		return x.String()
	case bool:
		if x {
			return "true"
		}
		return "false"
	}
	return fmt.Sprint(v)
}

func zeroValue(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case string:
		return x == ""
	case bool:
		return !x
	case json.Number:
		f, ok := new(big.Float).SetString(x.String())
		return ok && f.Sign() == 0
	case map[string]any:
		for _, c := range x {
			if !zeroValue(c) {
				return false
			}
		}
		return true
	case []any:
		return len(x) == 0
	}
	return false
}

func kindOf(v any) string {
	switch v.(type) {
	case nil:
		return "nothing"
	case map[string]any:
		return "object"
	case []any:
		return "list"
	case string:
		return "string"
	case bool:
		return "bool"
	case json.Number:
		return "number"
	}
	return fmt.Sprintf("%T", v)
}

// The comparison of TestDocumentedResponseExamplesSurvive is strict: it
// reports a dropped value, a changed one, a shortened list and a value of
// another kind, and accepts only the forms that say the same thing.
func TestCompareExampleReportsLosses(t *testing.T) {
	diff := func(want, got string) []string {
		var w, g any
		decodeNumbers(t, []byte(want), &w)
		decodeNumbers(t, []byte(got), &g)
		var diffs []string
		compareExample("", w, g, &diffs)
		return diffs
	}
	for _, c := range []struct{ want, got string }{
		{`{"a":{"meeting_number":93201235621}}`, `{"a":{}}`},
		{`{"a":"x"}`, `{"a":"y"}`},
		{`{"a":[1,2]}`, `{"a":[1]}`},
		{`{"a":{"b":1}}`, `{"a":"b"}`},
		{`{"a":true}`, `{"a":false}`},
		{`{"a":"2022-03-25T07:29:29Z"}`, `{"a":"2022-03-25T07:29:30Z"}`},
	} {
		d := diff(c.want, c.got)
		assert.Len(t, d, 1, "%s → %s: diffs %v, want one", c.want, c.got, d)
	}
	for _, c := range []struct{ want, got string }{
		{`{"meeting_number":"93201235621"}`, `{"meeting_number":93201235621}`},
		{`{"group":"group_01"}`, `{"group":["group_01"]}`},
		{`{"a":false,"b":0,"c":"","d":[],"e":{"f":false}}`, `{}`},
		{`{"t":"2019-02-01T12:34:12.66Z"}`, `{"t":"2019-02-01T12:34:12Z"}`},
		{`{"n":1.0e3}`, `{"n":1000}`},
	} {
		d := diff(c.want, c.got)
		assert.Len(t, d, 0, "%s → %s: diffs %v, want none", c.want, c.got, d)
	}
}
