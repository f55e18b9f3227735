package main

import (
	"bytes"
	"fmt"
	"sort"
	"strings"
)

// secretNames are the string fields that grant access on their own: the
// types holding them print them as REDACTED under slog and fmt (the same
// fields as package zoom's Secret fields).
var eventSecretNames = map[string]bool{
	"password": true, "passcode": true, "encrypted_password": true, "encrypted_passcode": true,
	"h323_password": true, "h323_passcode": true, "pstn_password": true, "pstn_passcode": true,
	"host_key": true, "dynamic_host_key": true, "recording_play_passcode": true, "start_url": true,
	"zak": true, "token": true, "download_token": true, "download_access_token": true,
	"pmi_password": true, "stream_key": true, "authorized_channel_token": true,
}

// redaction returns the statement of the generated redacted method that
// replaces field f of x, or "" when f holds no secret. secretful tells the
// structs whose values hold a secret.
func (g *eventGen) redaction(f eventField, secretful map[string]bool) string {
	switch {
	case f.goType == "string" && eventSecretNames[f.json]:
		return fmt.Sprintf("x.%s = redact.String(x.%s)", f.goName, f.goName)
	case f.goType == "string" && strings.HasSuffix(f.json, "_url"):
		return fmt.Sprintf("x.%s = redact.URL(x.%s)", f.goName, f.goName)
	case secretful[f.goType]:
		return fmt.Sprintf("x.%s = x.%s.redacted()", f.goName, f.goName)
	case strings.HasPrefix(f.goType, "[]") && secretful[f.goType[2:]]:
		return fmt.Sprintf("x.%s = redactSlice(x.%s)", f.goName, f.goName)
	case strings.HasPrefix(f.goType, "zoom.") && g.zoomRedacts(f.goType[5:]):
		return fmt.Sprintf("x.%s = redactZoom%s(x.%s)", f.goName, f.goType[5:], f.goName)
	case strings.HasPrefix(f.goType, "[]zoom.") && g.zoomRedacts(f.goType[7:]):
		return fmt.Sprintf("x.%s = redactEach(x.%s, redactZoom%s)", f.goName, f.goName, f.goType[7:])
	}
	return ""
}

// zoomRedactsField reports whether a string member of a zoom model is one
// the events print redacted (zoom's own models leave URLs as they are).
func zoomRedactsField(f *field) bool {
	return f.Ref.kind == "string" && (eventSecretNames[f.JSON] || strings.HasSuffix(f.JSON, "_url"))
}

// zoomRedacts reports whether the zoom model name, reused by an event (see
// events_reuse.go), holds a value the events print redacted, in a member
// or a nested model.
func (g *eventGen) zoomRedacts(name string) bool {
	if g.rest == nil {
		return false
	}
	if v, ok := g.zoomRedact[name]; ok {
		return v
	}
	t := g.rest.types[name]
	if t == nil {
		return false // zoom.ID, zoom.Time
	}
	g.zoomRedact[name] = false // a model that refers to itself holds nothing more
	need := false
	for _, f := range t.Fields {
		r := f.Ref
		if r.kind == "array" {
			r = r.elem
		}
		if zoomRedactsField(f) || (r.kind == "struct" && g.zoomRedacts(r.name)) {
			need = true
		}
	}
	g.zoomRedact[name] = need
	return need
}

// emitZoomRedact writes, for every zoom model the events reuse that holds a
// value they print redacted, a function returning a redacted copy of it,
// sharing nothing that holds a secret with the original.
func (g *eventGen) emitZoomRedact(b *bytes.Buffer) {
	var names []string
	for n, need := range g.zoomRedact {
		if need {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	for _, n := range names {
		t := g.rest.types[n]
		eventComment(b, "", fmt.Sprintf("redactZoom%s returns a copy of v with the values the events print redacted replaced, sharing nothing that holds them with v.", n))
		fmt.Fprintf(b, "func redactZoom%s(v zoom.%s) zoom.%s {\n", n, n, n)
		for _, f := range t.Fields {
			typ, _ := g.rest.fieldType(t, f)
			switch {
			case zoomRedactsField(f):
				fn := "redact.String"
				if strings.HasSuffix(f.JSON, "_url") {
					fn = "redact.URL"
				}
				if typ == "*string" {
					fmt.Fprintf(b, "\tif v.%s != nil {\n\t\ts := %s(*v.%s)\n\t\tv.%s = &s\n\t}\n", f.GoName, fn, f.GoName, f.GoName)
				} else {
					fmt.Fprintf(b, "\tv.%s = %s(v.%s)\n", f.GoName, fn, f.GoName)
				}
			case f.Ref.kind == "struct" && g.zoomRedact[f.Ref.name]:
				if strings.HasPrefix(typ, "*") {
					fmt.Fprintf(b, "\tif v.%s != nil {\n\t\tc := redactZoom%s(*v.%s)\n\t\tv.%s = &c\n\t}\n", f.GoName, f.Ref.name, f.GoName, f.GoName)
				} else {
					fmt.Fprintf(b, "\tv.%s = redactZoom%s(v.%s)\n", f.GoName, f.Ref.name, f.GoName)
				}
			case f.Ref.kind == "array" && f.Ref.elem.kind == "struct" && g.zoomRedact[f.Ref.elem.name]:
				fmt.Fprintf(b, "\tv.%s = redactEach(v.%s, redactZoom%s)\n", f.GoName, f.GoName, f.Ref.elem.name)
			}
		}
		b.WriteString("\treturn v\n}\n\n")
	}
}

// secretful returns the structs whose values hold a secret, in a field or
// in a nested struct or slice.
func (g *eventGen) secretful() map[string]bool {
	s := map[string]bool{}
	for changed := true; changed; {
		changed = false
		for _, sd := range g.order {
			if s[sd.name] {
				continue
			}
			for _, f := range sd.fields {
				if g.redaction(f, s) != "" {
					s[sd.name] = true
					changed = true
					break
				}
			}
		}
	}
	return s
}

// emitRedact writes, for every struct holding a secret, the methods that
// print it redacted: LogValue for slog (whose JSON handler would otherwise
// marshal it, secrets included), Format for every fmt verb, and String.
// json.Marshal is untouched: re-encoding reproduces what was received.
func (g *eventGen) emitRedact(b *bytes.Buffer, secretful map[string]bool) {
	for _, sd := range g.order {
		if !secretful[sd.name] {
			continue
		}
		view := "redacted" + sd.name
		b.WriteString("// redacted returns a copy of x with its secrets replaced, sharing nothing that holds a secret\n// with x.\n")
		fmt.Fprintf(b, "func (x %s) redacted() %s {\n", sd.name, sd.name)
		for _, f := range sd.fields {
			if s := g.redaction(f, secretful); s != "" {
				fmt.Fprintf(b, "\t%s\n", s)
			}
		}
		b.WriteString("\treturn x\n}\n\n")
		eventComment(b, "", fmt.Sprintf("%s is a redacted %s without its methods, as LogValue and Format print it.", view, sd.name))
		fmt.Fprintf(b, "type %s %s\n\n", view, sd.name)
		b.WriteString("// LogValue returns x with its secrets redacted, for slog: the JSON handler encodes it as usual,\n// but with the secrets as REDACTED.\n")
		fmt.Fprintf(b, "func (x %s) LogValue() slog.Value { return slog.AnyValue(%s(x.redacted())) }\n\n", sd.name, view)
		b.WriteString("// Format prints x with its secrets redacted, for every fmt verb.\n")
		fmt.Fprintf(b, "func (x %s) Format(f fmt.State, verb rune) {\n\tredact.Format(f, verb, %q, %s(x.redacted()))\n}\n\n", sd.name, "webhook."+sd.name, view)
		b.WriteString("// String returns x as %v prints it, with its secrets redacted.\n")
		fmt.Fprintf(b, "func (x %s) String() string { return fmt.Sprint(x) }\n\n", sd.name)
	}
}
