package zoom

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// quotedNumbers builds a JSON object for struct type t in which every
// number field, nested or not, in lists or not, is a quoted number, as
// Zoom's examples send ids and counts ("93201235621"). It reports how many
// such fields it set.
func quotedNumbers(t reflect.Type, depth int) (map[string]any, int) {
	obj := map[string]any{}
	n := 0
	for name, f := range fieldsOf(t).byName {
		if v, c := quotedValue(f.typ, depth); c > 0 {
			obj[name] = v
			n += c
		}
	}
	return obj, n
}

func quotedValue(ft reflect.Type, depth int) (any, int) {
	for ft.Kind() == reflect.Pointer {
		ft = ft.Elem()
	}
	if ft == idType {
		return "93201235621", 1
	}
	if reflect.PointerTo(ft).Implements(unmarshalerType) && (ft.Kind() != reflect.Struct || ft == reflect.TypeFor[Date]() || ft == reflect.TypeFor[Time]()) {
		return nil, 0 // Time, Date and the other lenient scalars
	}
	switch ft.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return "42", 1
	case reflect.Float32, reflect.Float64:
		return "1.5", 1
	case reflect.Slice:
		if v, c := quotedValue(ft.Elem(), depth); c > 0 {
			return []any{v}, c
		}
	case reflect.Struct:
		if depth < 6 && ft.PkgPath() == idType.PkgPath() {
			if o, c := quotedNumbers(ft, depth+1); c > 0 {
				return o, c
			}
		}
	}
	return nil, 0
}

// Every integer id and count the generator emits, and every other number,
// nested or not, decodes from a quoted number to the number it says, with
// no warning (issue 16, item 3: leniency is not for top-level ids only).
func TestEveryNumberFieldAcceptsAQuotedNumber(t *testing.T) {
	types, fields := 0, 0
	for _, rt := range generatedTypes {
		if rt.Kind() != reflect.Struct || strings.HasSuffix(rt.Name(), "Options") {
			continue
		}
		body, n := quotedNumbers(rt, 0)
		if n == 0 {
			continue
		}
		types++
		fields += n
		raw, err := json.Marshal(body)
		require.NoError(t, err)
		p := reflect.New(rt)
		var warns []DecodeWarning
		if err := json.Unmarshal(raw, p.Interface()); err != nil {
			var te *json.UnmarshalTypeError
			if !errors.As(err, &te) {
				t.Errorf("%s: %v", rt.Name(), err)
				continue
			}
			warns = repairDecode(raw, p.Interface(), te)
		}
		assert.Empty(t, warns, "%s: warnings %+v for %s", rt.Name(), warns, raw)
		re, err := json.Marshal(p.Interface())
		require.NoError(t, err)
		var orig, back any
		decodeNumbers(t, raw, &orig)
		decodeNumbers(t, re, &back)
		var diffs []string
		compareExample("", orig, back, &diffs)
		assert.Empty(t, diffs, "%s lost quoted numbers: %v\nsent:       %s\nre-encoded: %s", rt.Name(), diffs, raw, re)
	}
	require.GreaterOrEqual(t, types, 100, "only %d types with %d number fields: is generatedTypes complete?", types, fields)
	require.GreaterOrEqual(t, fields, 500, "only %d types with %d number fields: is generatedTypes complete?", types, fields)
	t.Logf("%d number fields of %d types", fields, types)
}
