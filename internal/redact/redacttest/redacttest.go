// Package redacttest checks that types redact their secrets in every
// printing an app may log, for the tests of packages zoom and webhook.
package redacttest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"
)

// Canary is planted in every field that must not be printed.
const Canary = "CANARY7q"

// CanaryURL is a Zoom URL whose credential query parameters hold Canary.
const CanaryURL = "https://zoom.us/w/1?tk=" + Canary + "&pwd=" + Canary + "&uname=ann&zak=" + Canary + "#success"

// sensitiveName matches the JSON names of the string fields that hold a
// credential: the test's own judgment, independent of the generators', so
// that a field a generator forgets to redact fails the test.
var sensitiveName = regexp.MustCompile(`password|passcode|pwd|zak|token|host_key|stream_key|secret`)

// settingName matches the sensitive-looking names of settings about
// passwords, which hold a flag or a choice ("jbh_only", "true"), not a
// credential: require_password_for_pmi_meetings, force_pmi_jbh_password,
// pstn_password_protected.
var settingName = regexp.MustCompile(`^(require|force)_.*password|password_protected$`)

// Fill returns a pointer to a new value of t with every exported field
// set, and the number of canaries planted: Canary in fields of a string
// type named Secret and in plain string fields with a sensitive JSON name
// (but next_page_token), CanaryURL in plain string fields named *url, a
// plain value elsewhere. Slices and maps get one element.
func Fill(t reflect.Type) (reflect.Value, int) {
	var fl filler
	p := reflect.New(t)
	fl.fill(p.Elem(), "", 0)
	return p, fl.planted
}

type filler struct{ planted int }

func (fl *filler) fill(v reflect.Value, name string, depth int) {
	if depth > 8 {
		return // a recursive type: leave the rest zero
	}
	switch v.Type() {
	case reflect.TypeFor[time.Time]():
		v.Set(reflect.ValueOf(time.Date(2026, 3, 1, 9, 30, 0, 0, time.UTC)))
		return
	case reflect.TypeFor[json.RawMessage]():
		v.SetBytes([]byte(`{"raw":1}`))
		return
	}
	switch v.Kind() {
	case reflect.String:
		plain := v.Type() == reflect.TypeFor[string]()
		switch {
		case v.Type().Name() == "Secret",
			plain && sensitiveName.MatchString(name) && !settingName.MatchString(name) && name != "next_page_token":
			v.SetString(Canary)
			fl.planted++
		case plain && strings.HasSuffix(name, "url"):
			v.SetString(CanaryURL)
			fl.planted++
		default:
			v.SetString("plain") // an enum holds no secret
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

// Printings returns every way an app prints v in its logs: fmt's verbs,
// String, and slog's JSON and text handlers with v as an attribute value
// and inside a group.
func Printings(v any) map[string]string {
	out := map[string]string{}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
		out[verb] = fmt.Sprintf(verb, v)
	}
	if s, ok := v.(fmt.Stringer); ok {
		out["String"] = s.String()
	}
	for name, h := range map[string]func(*bytes.Buffer) slog.Handler{
		"slog JSON": func(b *bytes.Buffer) slog.Handler { return slog.NewJSONHandler(b, nil) },
		"slog text": func(b *bytes.Buffer) slog.Handler { return slog.NewTextHandler(b, nil) },
	} {
		var b bytes.Buffer
		slog.New(h(&b)).Info("logged", "value", v, slog.Group("g", slog.Any("nested", v)))
		out[name] = b.String()
	}
	return out
}

// Check fills a value of typ with Fill and, when it planted a canary,
// checks that json.Marshal shows every canary (the wire format), that no
// printing of the value or of a pointer to it shows one, and that printing
// left the value unchanged. It reports whether a canary was planted.
func Check(t *testing.T, typ reflect.Type) bool {
	t.Helper()
	p, planted := Fill(typ)
	if planted == 0 {
		return false
	}
	wire, err := json.Marshal(p.Interface())
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(wire), Canary); n < planted {
		t.Fatalf("json.Marshal shows %d of %d canaries: %s", n, planted, wire)
	}
	for _, v := range []any{p.Elem().Interface(), p.Interface()} {
		for how, s := range Printings(v) {
			if strings.Contains(s, Canary) {
				t.Errorf("%T printed with %s shows a secret:\n%s", v, how, s)
			}
		}
	}
	if after, _ := json.Marshal(p.Interface()); !bytes.Equal(wire, after) {
		t.Fatalf("printing changed the value:\n%s\n%s", wire, after)
	}
	return true
}

// Structs returns the struct types reachable from roots through fields,
// pointers, slices and maps, roots included, in the order found.
func Structs(roots ...reflect.Type) []reflect.Type {
	var out []reflect.Type
	seen := map[reflect.Type]bool{}
	var walk func(reflect.Type)
	walk = func(t reflect.Type) {
		for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Map {
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct || seen[t] {
			return
		}
		seen[t] = true
		out = append(out, t)
		for i := range t.NumField() {
			if t.Field(i).IsExported() {
				walk(t.Field(i).Type)
			}
		}
	}
	for _, r := range roots {
		walk(r)
	}
	return out
}
