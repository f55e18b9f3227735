package zoom

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"reflect"
	"strings"
	"testing"
)

// printings returns every way an app prints v in its logs: fmt's verbs and
// slog's JSON and text handlers, with v as an attribute value and inside a
// group.
func printings(v any) map[string]string {
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

// TestGeneratedTypesRedactSecrets fills every generated type with canaries
// in its secrets (by the test's own judgment of what is a secret, see
// sensitiveName) and checks that no printing of the value or of a pointer
// to it shows one, while json.Marshal keeps them all.
func TestGeneratedTypesRedactSecrets(t *testing.T) {
	covered := map[string]bool{}
	for _, typ := range generatedTypes {
		p, planted := filled(typ)
		if planted == 0 {
			continue
		}
		covered[typ.Name()] = true
		t.Run(typ.Name(), func(t *testing.T) {
			wire, err := json.Marshal(p.Interface())
			if err != nil {
				t.Fatal(err)
			}
			if n := strings.Count(string(wire), canary); n < planted {
				t.Fatalf("json.Marshal shows %d of %d canaries: %s", n, planted, wire)
			}
			for _, v := range []any{p.Elem().Interface(), p.Interface()} {
				for how, s := range printings(v) {
					if strings.Contains(s, canary) {
						t.Errorf("%T printed with %s shows a secret:\n%s", v, how, s)
					}
				}
			}
			after, _ := json.Marshal(p.Interface())
			if !bytes.Equal(wire, after) {
				t.Fatalf("printing changed the value:\n%s\n%s", wire, after)
			}
		})
	}
	for _, name := range []string{"Meeting", "MeetingList", "Webinar", "MeetingSettings", "Registrant", "RecordingList", "User"} {
		if !covered[name] {
			t.Errorf("%s holds no secret the test could plant", name)
		}
	}
}

func TestDownloadOptionsRedacted(t *testing.T) {
	o := DownloadOptions{AccessToken: canary}
	for _, v := range []any{o, &o} {
		for how, s := range printings(v) {
			if strings.Contains(s, canary) || !strings.Contains(s, "REDACTED") {
				t.Errorf("%T printed with %s: %s", v, how, s)
			}
		}
	}
	if o.AccessToken != canary {
		t.Fatal("printing changed the value")
	}
}

// TestRedactedPrintings pins what a redacted Meeting looks like: the
// secrets replaced, the rest (including the meeting in its join URL) kept.
func TestRedactedPrintings(t *testing.T) {
	m := Meeting{ID: 85746065, StartURL: "https://zoom.us/s/85746065?zak=" + canary, JoinURL: "https://zoom.us/j/85746065?pwd=" + canary, Password: canary}
	got := printings(&m)
	for how, want := range map[string]string{
		"slog JSON": `"value":{"id":85746065,"join_url":"https://zoom.us/j/85746065?pwd=REDACTED","password":"REDACTED","start_url":"REDACTED"}`,
		"slog text": `value="{AssistantID: HostEmail: HostID: ID:85746065 `,
		"%#v":       `zoom.Meeting{AssistantID:"", HostEmail:"", HostID:"", ID:85746065, `,
		"%v":        ` https://zoom.us/j/85746065?pwd=REDACTED `,
	} {
		if !strings.Contains(got[how], want) {
			t.Errorf("%s:\n%s\nwant it to contain\n%s", how, got[how], want)
		}
	}
	if !strings.Contains(got["%+v"], "JoinURL:https://zoom.us/j/85746065?pwd=REDACTED ") || !strings.Contains(got["%+v"], "StartURL:REDACTED ") {
		t.Error(got["%+v"])
	}
}

// BenchmarkRedaction measures decoding a meeting list (which the redaction
// methods must leave as fast as without them: they are methods only) and
// logging one with slog's JSON handler.
func BenchmarkRedaction(b *testing.B) {
	p, _ := filled(reflect.TypeFor[MeetingList]())
	l := p.Interface().(*MeetingList)
	for range 29 {
		l.Meetings = append(l.Meetings, l.Meetings[0])
	}
	data, err := json.Marshal(l)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("decode", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			var l MeetingList
			if err := json.Unmarshal(data, &l); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("slogJSON", func(b *testing.B) {
		logger := slog.New(slog.NewJSONHandler(io.Discard, nil))
		b.ReportAllocs()
		for b.Loop() {
			logger.Info("meetings", "list", l)
		}
	})
}
