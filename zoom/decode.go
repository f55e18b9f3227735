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

// decodeWarnings lists the fields of out's type that data holds with
// another JSON type. It runs only after encoding/json reported a type
// mismatch, so a clean body costs nothing.
func decodeWarnings(data []byte, out any, te *json.UnmarshalTypeError) []DecodeWarning {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var doc any
	var ws warnings
	if dec.Decode(&doc) == nil {
		ws.walk(doc, reflect.TypeOf(out).Elem(), "", false)
	}
	if len(ws.list) == 0 && te != nil {
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
	list []DecodeWarning
	seen map[DecodeWarning]bool
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

var (
	unmarshalerType = reflect.TypeFor[json.Unmarshaler]()
	numberType      = reflect.TypeFor[json.Number]()
)

// walk compares the decoded JSON value v with the Go type t as
// encoding/json would assign it. lenientInts is set inside generated types
// with their own UnmarshalJSON, which take integers sent as strings.
func (ws *warnings) walk(v any, t reflect.Type, path string, lenientInts bool) {
	if v == nil || len(ws.list) >= maxDecodeWarnings {
		return // null leaves any field as it is
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct && reflect.PointerTo(t).Implements(unmarshalerType) {
		return // Time, Date and the flexible scalars decode leniently
	}
	got := valueKind(v)
	switch t.Kind() {
	case reflect.Interface:
		return
	case reflect.Struct:
		obj, ok := v.(map[string]any)
		if !ok {
			ws.add(path, t.String(), got)
			return
		}
		lenient := reflect.PointerTo(t).Implements(unmarshalerType)
		fields := fieldsOf(t)
		for k, fv := range obj {
			f, ok := fields.lookup(k)
			if !ok {
				continue
			}
			ws.walk(fv, f.typ, joinPath(path, f.name), lenient)
		}
	case reflect.Map:
		obj, ok := v.(map[string]any)
		if !ok {
			ws.add(path, t.String(), got)
			return
		}
		for _, ev := range obj {
			ws.walk(ev, t.Elem(), path+"{}", false)
		}
	case reflect.Slice, reflect.Array:
		arr, ok := v.([]any)
		if !ok {
			if t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Uint8 && got == "string" {
				return // []byte takes base64
			}
			ws.add(path, t.String(), got)
			return
		}
		for _, ev := range arr {
			ws.walk(ev, t.Elem(), path+"[]", false)
		}
	case reflect.String:
		if t == numberType {
			if _, ok := v.(json.Number); !ok {
				ws.add(path, t.String(), got)
			}
			return
		}
		if _, ok := v.(string); !ok {
			ws.add(path, t.String(), got)
		}
	case reflect.Bool:
		if _, ok := v.(bool); !ok {
			ws.add(path, t.String(), got)
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		if _, ok := v.(string); ok && lenientInts {
			return
		}
		n, ok := v.(json.Number)
		if !ok {
			ws.add(path, t.String(), got)
			return
		}
		if _, err := strconv.ParseInt(string(n), 10, t.Bits()); err != nil {
			ws.add(path, t.String(), got)
		}
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		n, ok := v.(json.Number)
		if !ok {
			ws.add(path, t.String(), got)
			return
		}
		if _, err := strconv.ParseUint(string(n), 10, t.Bits()); err != nil {
			ws.add(path, t.String(), got)
		}
	case reflect.Float32, reflect.Float64:
		if _, ok := v.(json.Number); !ok {
			ws.add(path, t.String(), got)
		}
	}
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
	name string
	typ  reflect.Type
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
	collectFields(t, sf.byName, 0)
	fieldCache.Store(t, sf)
	return sf
}

func collectFields(t reflect.Type, into map[string]fieldInfo, depth int) {
	if depth > 8 {
		return
	}
	var embedded []reflect.Type
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
				embedded = append(embedded, ft)
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
			into[name] = fieldInfo{name: name, typ: f.Type}
		}
	}
	for _, et := range embedded {
		collectFields(et, into, depth+1)
	}
}
