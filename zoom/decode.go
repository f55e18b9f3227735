package zoom

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strconv"
	"strings"
	"sync"
)

// DefaultMaxResponseBytes is the default cap on a success response body
// (see [WithMaxResponseBytes]).
const DefaultMaxResponseBytes = 64 << 20

// WithMaxResponseBytes caps the size of a success response body the client
// reads (default 64 MiB). A longer body ends the call with a
// *ResponseTooLargeError, after reading at most n bytes of it.
// [CloudRecordingsService.Download] is not capped: it streams.
func WithMaxResponseBytes(n int64) Option {
	return func(c *config) error {
		if n <= 0 {
			return fmt.Errorf("zoom: WithMaxResponseBytes: %d is not a positive size", n)
		}
		c.maxResponseBytes = n
		return nil
	}
}

// ResponseTooLargeError reports a success response whose body is longer
// than the client's cap ([WithMaxResponseBytes]). The body was not read
// past the cap.
type ResponseTooLargeError struct {
	// Operation is the Zoom operationId.
	Operation string
	// Limit is the cap, in bytes.
	Limit int64
}

func (e *ResponseTooLargeError) Error() string {
	return "zoom: " + e.Operation + ": response body larger than the " + strconv.FormatInt(e.Limit, 10) + "-byte limit (see WithMaxResponseBytes)"
}

// DecodeError reports a success response whose body could not be decoded:
// not JSON, empty where the operation returns a body, or of another shape
// than the operation returns (an array or a number where Zoom documents an
// object). The body itself is not repeated.
type DecodeError struct {
	Operation string
	Err       error
}

func (e *DecodeError) Error() string {
	return "zoom: " + e.Operation + ": decoding response: " + e.Err.Error()
}

// Unwrap returns the underlying error.
func (e *DecodeError) Unwrap() error { return e.Err }

// DecodeWarning names a response field that was left at its zero value
// because Zoom sent another JSON type than the field has (a string where a
// number is documented, say). The rest of the response decoded. Warnings
// carry no values: a field may hold a secret.
type DecodeWarning struct {
	// Field is the field's JSON path, as "settings.approval_type"; "[]"
	// stands for any element of an array.
	Field string
	// Want is the Go type of the field.
	Want string
	// Got is the JSON kind Zoom sent: "string", "number", "bool", "array"
	// or "object".
	Got string
}

// maxDecodeWarnings caps the warnings kept on one response.
const maxDecodeWarnings = 100

// readBody reads a success body through the client's cap into buf.
func (c *Client) readBody(op *operation, contentLength int64, r io.Reader, buf *bodyBuf) error {
	if contentLength > c.maxBody {
		return &ResponseTooLargeError{Operation: op.ID, Limit: c.maxBody}
	}
	buf.lr = io.LimitedReader{R: r, N: c.maxBody + 1}
	n, err := buf.ReadFrom(&buf.lr)
	if err != nil {
		return &NetworkError{Method: op.Method, Path: op.Path, Err: sanitizeErr(err)}
	}
	if n > c.maxBody {
		return &ResponseTooLargeError{Operation: op.ID, Limit: c.maxBody}
	}
	return nil
}

// checkShape refuses a body whose top-level JSON value is not what out
// decodes from: an object for a struct or a map, an array for a slice.
// encoding/json would leave out empty and report nothing.
func checkShape(op *operation, data []byte, out any) error {
	data = bytes.TrimSpace(data)
	if len(data) == 0 {
		return &DecodeError{Operation: op.ID, Err: errors.New("empty body where the operation returns one")}
	}
	t := reflect.TypeOf(out)
	if t.Kind() != reflect.Pointer {
		return nil
	}
	var want byte
	switch t.Elem().Kind() {
	case reflect.Struct, reflect.Map:
		want = '{'
	case reflect.Slice, reflect.Array:
		want = '['
	default:
		return nil
	}
	if data[0] != want {
		return &DecodeError{Operation: op.ID, Err: fmt.Errorf("got a JSON %s where the operation returns %s", jsonKind(data[0]), kindName(want))}
	}
	return nil
}

func kindName(b byte) string {
	if b == '{' {
		return "an object"
	}
	return "an array"
}

// jsonKind names the kind of the JSON value starting with b.
func jsonKind(b byte) string {
	switch b {
	case '{':
		return "object"
	case '[':
		return "array"
	case '"':
		return "string"
	case 't', 'f':
		return "bool"
	case 'n':
		return "null"
	}
	return "number"
}

// repairDecode runs after encoding/json reported a type mismatch in data
// (it decodes the rest of the document regardless). It walks data again
// against out and repairs what Zoom meant, the same rule for every field,
// nested or not: an integer or float sent as a string ("93201235621"), a
// string id sent as a number, a boolean sent as "true"/"false", and a lone
// value where the documents say a list (one-element list). What cannot be
// repaired is left at its zero value and returned as a warning. A clean body
// never gets here, so leniency costs nothing until Zoom needs it.
func repairDecode(data []byte, out any, te *json.UnmarshalTypeError) []DecodeWarning {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var doc any
	var ws warnings
	if dec.Decode(&doc) == nil {
		if rv := reflect.ValueOf(out); rv.Kind() == reflect.Pointer && !rv.IsNil() {
			ws.repair(doc, rv.Elem(), "")
		}
	}
	if len(ws.list) == 0 && te != nil && !ws.repaired {
		// Whatever the walk missed, the error encoding/json reported is
		// one. Its Value may carry the number it read: keep the kind only.
		got, _, _ := strings.Cut(te.Value, " ")
		want := ""
		if te.Type != nil {
			want = te.Type.String()
		}
		ws.add(te.Field, want, got)
	}
	return ws.list
}

type warnings struct {
	list     []DecodeWarning
	seen     map[DecodeWarning]bool
	repaired bool
}

func (ws *warnings) add(field, want, got string) {
	w := DecodeWarning{Field: field, Want: want, Got: got}
	if ws.seen[w] || len(ws.list) >= maxDecodeWarnings {
		return
	}
	if ws.seen == nil {
		ws.seen = map[DecodeWarning]bool{}
	}
	ws.seen[w] = true
	ws.list = append(ws.list, w)
}

// truncate drops the warnings after the first n.
func (ws *warnings) truncate(n int) {
	for _, w := range ws.list[n:] {
		delete(ws.seen, w)
	}
	ws.list = ws.list[:n]
}

var (
	unmarshalerType = reflect.TypeFor[json.Unmarshaler]()
	numberType      = reflect.TypeFor[json.Number]()
	idType          = reflect.TypeFor[ID]()
)

func validID(raw []byte) bool { _, ok := parseID(raw); return ok }

// repair compares the decoded JSON value v with rv, the Go value
// encoding/json assigned it to, and sets rv where Zoom sent the value with
// another JSON type that still says what it means.
func (ws *warnings) repair(v any, rv reflect.Value, path string) {
	if v == nil || len(ws.list) >= maxDecodeWarnings {
		return // null leaves any field as it is
	}
	t := rv.Type()
	if t.Kind() == reflect.Pointer {
		if rv.IsNil() {
			// encoding/json leaves a pointer nil when the value did not
			// fit: build one, and keep it only if the repair worked.
			nv := reflect.New(t.Elem())
			before := len(ws.list)
			ws.repair(v, nv.Elem(), path)
			if len(ws.list) == before && !nv.Elem().IsZero() {
				rv.Set(nv)
			}
			return
		}
		ws.repair(v, rv.Elem(), path)
		return
	}
	got := valueKind(v)
	if t == idType {
		// ID decodes leniently, leaving 0 for what is no id: say so.
		if raw, err := json.Marshal(v); err != nil || !validID(raw) {
			ws.add(path, t.String(), got)
		}
		return
	}
	if t.Kind() != reflect.Struct && reflect.PointerTo(t).Implements(unmarshalerType) {
		return // Time, Date and the flexible scalars decode leniently
	}
	switch t.Kind() {
	case reflect.Interface:
		return
	case reflect.Struct:
		obj, ok := v.(map[string]any)
		if !ok {
			if reflect.PointerTo(t).Implements(unmarshalerType) {
				return // an object-or-list type (UserSettingsAuthenticationOptions) decoded it
			}
			ws.add(path, t.String(), got)
			return
		}
		fields := fieldsOf(t)
		for k, fv := range obj {
			f, ok := fields.lookup(k)
			if !ok {
				continue
			}
			fvv, ok := fieldByIndex(rv, f.index)
			if !ok {
				continue
			}
			ws.repair(fv, fvv, joinPath(path, f.name))
		}
	case reflect.Map:
		obj, ok := v.(map[string]any)
		if !ok {
			ws.add(path, t.String(), got)
			return
		}
		if rv.IsNil() {
			return // the whole map failed: nothing to walk into
		}
		for k, ev := range obj {
			if t.Key().Kind() != reflect.String {
				continue
			}
			cur := rv.MapIndex(reflect.ValueOf(k).Convert(t.Key()))
			if !cur.IsValid() {
				continue
			}
			nv := reflect.New(t.Elem()).Elem()
			nv.Set(cur)
			ws.repair(ev, nv, path+"{}")
			rv.SetMapIndex(reflect.ValueOf(k).Convert(t.Key()), nv)
		}
	case reflect.Slice, reflect.Array:
		arr, ok := v.([]any)
		if !ok {
			if t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Uint8 && got == "string" {
				return // []byte takes base64
			}
			if t.Kind() == reflect.Slice {
				// A lone value where the documents say a list: a list of one.
				before := len(ws.list)
				one := reflect.New(t.Elem()).Elem()
				if !ws.fill(v, one, path+"[]") || len(ws.list) != before {
					// One mismatch, one warning: the list's, not also
					// the element's it was tried as.
					ws.truncate(before)
					ws.add(path, t.String(), got)
					return
				}
				rv.Set(reflect.Append(reflect.MakeSlice(t, 0, 1), one))
				ws.repaired = true
				return
			}
			ws.add(path, t.String(), got)
			return
		}
		if t.Kind() == reflect.Slice && rv.Len() != len(arr) {
			// encoding/json gave up on the list: decode each item afresh.
			if rv.Len() == 0 {
				rv.Set(reflect.MakeSlice(t, len(arr), len(arr)))
			}
		}
		for i, ev := range arr {
			if i >= rv.Len() {
				break
			}
			ws.repair(ev, rv.Index(i), path+"[]")
		}
	default:
		ws.fill(v, rv, path)
	}
}

// fill sets a scalar rv from v, repairing a JSON type that still says what
// Zoom meant; it reports whether rv holds v's value (or v fits as
// encoding/json decoded it). A mismatch it cannot repair is a warning.
func (ws *warnings) fill(v any, rv reflect.Value, path string) bool {
	t := rv.Type()
	got := valueKind(v)
	if t.Kind() == reflect.Struct || t.Kind() == reflect.Map || t.Kind() == reflect.Slice || t.Kind() == reflect.Pointer {
		before := len(ws.list)
		if t.Kind() == reflect.Pointer {
			nv := reflect.New(t.Elem())
			ws.repair(v, nv.Elem(), path)
			rv.Set(nv)
		} else if raw, err := json.Marshal(v); err == nil && json.Unmarshal(raw, rv.Addr().Interface()) != nil {
			ws.repair(v, rv, path)
		}
		return len(ws.list) == before
	}
	if reflect.PointerTo(t).Implements(unmarshalerType) {
		raw, err := json.Marshal(v)
		return err == nil && json.Unmarshal(raw, rv.Addr().Interface()) == nil
	}
	switch t.Kind() {
	case reflect.String:
		switch x := v.(type) {
		case string:
			if t == numberType {
				ws.add(path, t.String(), got)
				return false
			}
			rv.SetString(x)
			return true
		case json.Number:
			// An id Zoom sent as a number where the documents say a string.
			if rv.String() != string(x) {
				rv.SetString(string(x))
				ws.repaired = true
			}
			return true
		}
	case reflect.Bool:
		switch x := v.(type) {
		case bool:
			rv.SetBool(x)
			return true
		case string:
			if b, err := strconv.ParseBool(x); err == nil && (x == "true" || x == "false") {
				rv.SetBool(b)
				ws.repaired = true
				return true
			}
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		s, isStr := v.(string)
		if n, ok := v.(json.Number); ok {
			s = string(n)
		} else if isStr && strings.TrimSpace(s) == "" {
			return true // "" is no value: leave the zero
		} else if !isStr {
			break
		}
		s = strings.TrimSpace(s)
		if i, err := strconv.ParseInt(s, 10, t.Bits()); err == nil {
			if rv.Int() != i {
				rv.SetInt(i)
				ws.repaired = true
			}
			return true
		}
		if f, err := strconv.ParseFloat(s, 64); err == nil && f == float64(int64(f)) && !rv.OverflowInt(int64(f)) {
			rv.SetInt(int64(f))
			ws.repaired = true
			return true
		}
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		s, isStr := v.(string)
		if n, ok := v.(json.Number); ok {
			s = string(n)
		} else if !isStr {
			break
		}
		if u, err := strconv.ParseUint(strings.TrimSpace(s), 10, t.Bits()); err == nil {
			if rv.Uint() != u {
				rv.SetUint(u)
				ws.repaired = true
			}
			return true
		}
	case reflect.Float32, reflect.Float64:
		s, isStr := v.(string)
		if n, ok := v.(json.Number); ok {
			s = string(n)
		} else if !isStr {
			break
		}
		if f, err := strconv.ParseFloat(strings.TrimSpace(s), t.Bits()); err == nil {
			if rv.Float() != f {
				rv.SetFloat(f)
				ws.repaired = true
			}
			return true
		}
	default:
		return true
	}
	ws.add(path, t.String(), got)
	return false
}

// fieldByIndex follows index into rv, allocating embedded pointers.
func fieldByIndex(rv reflect.Value, index []int) (reflect.Value, bool) {
	for i, x := range index {
		if i > 0 && rv.Kind() == reflect.Pointer {
			if rv.IsNil() {
				if !rv.CanSet() {
					return reflect.Value{}, false
				}
				rv.Set(reflect.New(rv.Type().Elem()))
			}
			rv = rv.Elem()
		}
		rv = rv.Field(x)
	}
	return rv, rv.CanSet()
}

func joinPath(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

func valueKind(v any) string {
	switch v.(type) {
	case map[string]any:
		return "object"
	case []any:
		return "array"
	case string:
		return "string"
	case bool:
		return "bool"
	case json.Number:
		return "number"
	}
	return "null"
}

// structFields maps the JSON names of a struct's fields (embedded structs
// flattened, shallower fields first) to their types.
type structFields struct {
	byName map[string]fieldInfo
}

type fieldInfo struct {
	name  string
	typ   reflect.Type
	index []int // for reflect.Value.FieldByIndex, through embedded structs
}

// lookup finds a field as encoding/json does: exact name first, then
// case-insensitively.
func (sf structFields) lookup(key string) (fieldInfo, bool) {
	if f, ok := sf.byName[key]; ok {
		return f, true
	}
	for name, f := range sf.byName {
		if strings.EqualFold(name, key) {
			return f, true
		}
	}
	return fieldInfo{}, false
}

var fieldCache sync.Map // reflect.Type -> structFields

func fieldsOf(t reflect.Type) structFields {
	if sf, ok := fieldCache.Load(t); ok {
		return sf.(structFields)
	}
	sf := structFields{byName: map[string]fieldInfo{}}
	collectFields(t, sf.byName, nil, 0)
	fieldCache.Store(t, sf)
	return sf
}

func collectFields(t reflect.Type, into map[string]fieldInfo, prefix []int, depth int) {
	if depth > 8 {
		return
	}
	type emb struct {
		t     reflect.Type
		index []int
	}
	var embedded []emb
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		ft := f.Type
		if f.Anonymous && name == "" {
			for ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				embedded = append(embedded, emb{ft, append(append([]int(nil), prefix...), i)})
				continue
			}
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		if _, ok := into[name]; !ok {
			into[name] = fieldInfo{name: name, typ: f.Type, index: append(append([]int(nil), prefix...), i)}
		}
	}
	for _, e := range embedded {
		collectFields(e.t, into, e.index, depth+1)
	}
}
