package main

import (
	"fmt"
	"strings"
)

// redactedStrings are string fields that grant access on their own but stay
// plain strings (making them Secret would break callers that assign them):
// the types holding them print them as REDACTED, like Secret fields.
var redactedStrings = map[string]bool{
	"pmi_password": true, "stream_key": true, "dynamic_host_key": true, "default_password_for_scheduled_meetings": true,
}

// isURLField tells the string fields holding a URL: the types holding them
// print them with the credential query parameters (pwd, tk, zak, ...)
// redacted, the rest of the URL kept.
func isURLField(json string) bool { return strings.HasSuffix(json, "_url") || json == "url" }

// redaction returns the statement that replaces field f of x by its
// redacted form in the generated redacted method, or "" when f holds no
// secret. secretful tells the struct types whose values hold a secret.
func (g *gen) redaction(t *goType, f *field, secretful map[string]bool) string {
	typ, _ := g.fieldType(t, f)
	r := f.Ref
	switch {
	case typ == "Secret":
		return fmt.Sprintf("x.%s = redactSecret(x.%s)", f.GoName, f.GoName)
	case typ == "*Secret":
		return fmt.Sprintf("x.%s = redactPtrWith(x.%s, redactSecret)", f.GoName, f.GoName)
	case typ == "string" && redactedStrings[f.JSON]:
		return fmt.Sprintf("x.%s = redact.String(x.%s)", f.GoName, f.GoName)
	case typ == "*string" && redactedStrings[f.JSON]:
		return fmt.Sprintf("x.%s = redactPtrWith(x.%s, redact.String)", f.GoName, f.GoName)
	case typ == "string" && isURLField(f.JSON):
		return fmt.Sprintf("x.%s = redact.URL(x.%s)", f.GoName, f.GoName)
	case typ == "*string" && isURLField(f.JSON):
		return fmt.Sprintf("x.%s = redactPtrWith(x.%s, redact.URL)", f.GoName, f.GoName)
	case r.kind == "struct" && secretful[r.name] && typ == r.name:
		return fmt.Sprintf("x.%s = x.%s.redacted()", f.GoName, f.GoName)
	case r.kind == "struct" && secretful[r.name] && typ == "*"+r.name:
		return fmt.Sprintf("x.%s = redactPtr(x.%s)", f.GoName, f.GoName)
	case r.kind == "array" && r.elem.kind == "struct" && secretful[r.elem.name]:
		return fmt.Sprintf("x.%s = redactSlice(x.%s)", f.GoName, f.GoName)
	case r.kind == "map" && r.elem.kind == "struct" && secretful[r.elem.name]:
		// No such field today: emitRedact refuses it until zoom has a
		// redactMap helper.
		return fmt.Sprintf("x.%s = redactMap(x.%s)", f.GoName, f.GoName)
	}
	return ""
}

// secretful returns the struct types whose values hold a secret, in a
// field or in a nested struct, slice or map.
func (g *gen) secretful() map[string]bool {
	all := g.allTypes()
	s := map[string]bool{}
	for changed := true; changed; {
		changed = false
		for _, t := range all {
			if s[t.Name] {
				continue
			}
			for _, f := range t.Fields {
				if g.redaction(t, f, s) != "" {
					s[t.Name] = true
					changed = true
					break
				}
			}
		}
	}
	return s
}

// emitRedact writes, for every type holding a secret, the methods that
// print it redacted: LogValue for slog (whose JSON handler would otherwise
// marshal it, secrets included), Format for every fmt verb, and String.
// json.Marshal is untouched: it is the wire format.
func (g *gen) emitRedact() (string, error) {
	secretful := g.secretful()
	var b strings.Builder
	for _, t := range g.allTypes() {
		if !secretful[t.Name] {
			continue
		}
		for _, f := range t.Fields {
			r := f.Ref
			if (r.kind == "array" || r.kind == "map") && r.elem.kind != "struct" && strings.Contains(base(r), "Secret") {
				return "", fmt.Errorf("%s.%s: a %s cannot be redacted", t.Name, f.JSON, base(r))
			}
			if r.kind == "map" && r.elem.kind == "struct" && secretful[r.elem.name] {
				return "", fmt.Errorf("%s.%s: a map of %s holds secrets: add a redactMap helper to zoom/redact.go", t.Name, f.JSON, r.elem.name)
			}
		}
		view := "redacted" + t.Name
		b.WriteString("// redacted returns a copy of x with its secrets replaced, sharing nothing\n// that holds a secret with x.\n")
		fmt.Fprintf(&b, "func (x %s) redacted() %s {\n", t.Name, t.Name)
		for _, f := range t.Fields {
			if s := g.redaction(t, f, secretful); s != "" {
				fmt.Fprintf(&b, "\t%s\n", s)
			}
		}
		b.WriteString("\treturn x\n}\n\n")
		b.WriteString(comment(fmt.Sprintf("%s is a redacted %s without its methods, as LogValue and Format print it.", view, t.Name), "", width))
		fmt.Fprintf(&b, "type %s %s\n\n", view, t.Name)
		b.WriteString("// LogValue returns x with its secrets redacted, for slog: the JSON handler\n// encodes it as usual, but with the secrets as REDACTED.\n")
		fmt.Fprintf(&b, "func (x %s) LogValue() slog.Value { return slog.AnyValue(%s(x.redacted())) }\n\n", t.Name, view)
		b.WriteString("// Format prints x with its secrets redacted, for every fmt verb.\n")
		fmt.Fprintf(&b, "func (x %s) Format(f fmt.State, verb rune) {\n\tredact.Format(f, verb, %q, %s(x.redacted()))\n}\n\n", t.Name, "zoom."+t.Name, view)
		b.WriteString("// String returns x as %v prints it, with its secrets redacted.\n")
		fmt.Fprintf(&b, "func (x %s) String() string { return fmt.Sprint(x) }\n\n", t.Name)
	}
	return b.String(), nil
}
