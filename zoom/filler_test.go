package zoom

import (
	"bytes"
	"encoding/json"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"
)

// canary is planted in every field that must not be printed.
const canary = "CANARY7q"

// canaryURL is a Zoom URL whose credential query parameters hold the canary.
const canaryURL = "https://zoom.us/w/1?tk=" + canary + "&pwd=" + canary + "&uname=ann&zak=" + canary + "#success"

// sensitiveName matches the JSON names of the string fields that hold a
// credential, whatever their Go type: the test's own judgment, so that a
// generated field the generator forgets to redact fails the test.
var sensitiveName = regexp.MustCompile(`password|passcode|pwd|zak|token|host_key|stream_key|secret`)

// filler sets every field of a value reachable from a generated type: the
// canary in secrets (fields of type Secret and strings with a sensitive
// name), canaryURL in URL fields, and a plain value elsewhere.
type filler struct {
	planted int // canaries planted
}

func (fl *filler) fill(v reflect.Value, name string, depth int) {
	if depth > 8 {
		return // a recursive type: leave the rest zero
	}
	switch v.Type() {
	case reflect.TypeFor[Secret]():
		v.SetString(canary)
		fl.planted++
		return
	case reflect.TypeFor[Time]():
		v.Set(reflect.ValueOf(NewTime(time.Date(2026, 3, 1, 9, 30, 0, 0, time.UTC))))
		return
	case reflect.TypeFor[Date]():
		v.Set(reflect.ValueOf(Date{2026, 3, 1}))
		return
	case reflect.TypeFor[json.RawMessage]():
		v.SetBytes([]byte(`{"raw":1}`))
		return
	}
	switch v.Kind() {
	case reflect.String:
		switch {
		case v.Type() != reflect.TypeFor[string]():
			v.SetString("plain") // an enum, such as PMIPasswordRequirement
		case sensitiveName.MatchString(name) && name != "next_page_token":
			v.SetString(canary)
			fl.planted++
		case strings.HasSuffix(name, "url"):
			v.SetString(canaryURL)
			fl.planted++
		default:
			v.SetString("plain")
		}
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int64:
		v.SetInt(7)
	case reflect.Float64:
		v.SetFloat(1.5)
	case reflect.Interface:
		v.Set(reflect.ValueOf("plain"))
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fl.fill(v.Elem(), name, depth+1)
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 1, 1))
		fl.fill(v.Index(0), name, depth+1)
	case reflect.Map:
		m := reflect.MakeMap(v.Type())
		e := reflect.New(v.Type().Elem()).Elem()
		fl.fill(e, name, depth+1)
		m.SetMapIndex(reflect.ValueOf("k"), e)
		v.Set(m)
	case reflect.Struct:
		for i := range v.NumField() {
			sf := v.Type().Field(i)
			if !sf.IsExported() {
				continue
			}
			tag, ok := sf.Tag.Lookup("json")
			if !ok {
				tag = sf.Tag.Get("url")
			}
			fname, _, _ := strings.Cut(tag, ",")
			fl.fill(v.Field(i), fname, depth+1)
		}
	}
}

// filled returns a pointer to a value of t with every field set.
func filled(t reflect.Type) (reflect.Value, int) {
	var fl filler
	p := reflect.New(t)
	fl.fill(p.Elem(), "", 0)
	return p, fl.planted
}

// TestGeneratedTypesRoundTrip encodes a fully set value of every generated
// type and decodes it back: the wire format keeps every value.
func TestGeneratedTypesRoundTrip(t *testing.T) {
	if len(generatedTypes) < 100 {
		t.Fatalf("generatedTypes lists %d types", len(generatedTypes))
	}
	for _, typ := range generatedTypes {
		t.Run(typ.Name(), func(t *testing.T) {
			p, _ := filled(typ)
			b, err := json.Marshal(p.Interface())
			if err != nil {
				t.Fatal(err)
			}
			back := reflect.New(typ)
			if err := json.Unmarshal(b, back.Interface()); err != nil {
				t.Fatal(err)
			}
			b2, err := json.Marshal(back.Interface())
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(b, b2) {
				t.Fatalf("round trip changed the value:\n%s\n%s", b, b2)
			}
		})
	}
}
