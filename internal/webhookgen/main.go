// Command webhookgen generates webhook/events_gen.go, the typed payloads of the Zoom webhook events
// the webhook package supports (the events declared in internal/gen/scope), from Zoom's webhook
// OpenAPI documents (trimmed copies in webhook/testdata/spec, made by internal/gen/trimspec). Run it
// through go generate in package webhook:
//
//	go generate ./webhook
//
// Types come from each event's requestBody schema, with these rules:
//   - objects with properties become structs named after the event and the field (MeetingCreatedObject);
//     a $ref (old_object -> object) reuses the referenced struct; objects without properties stay
//     json.RawMessage;
//   - strings with format date-time, or named *_time, become webhook.Time (lenient RFC 3339);
//   - integers become int64, or webhook.ID when named id, *_id or pmi (Zoom sends some ids as strings);
//   - payload.object.id of meeting, webinar and recording events is webhook.ID whatever the schema
//     says (the ID typing trap), and a few more fields are overridden (see overrides and extras);
//   - fields that appear in Zoom's example but not in the schema are added, typed from the example
//     value, so that decoding an example loses nothing.
//
// Every field is tagged omitzero, so re-encoding a payload reproduces what was received. Structs
// holding a secret get LogValue, Format and String methods that print it redacted (see redact.go).
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"go/format"
	"io"
	"log"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/zoomkit/zoomkit/internal/gen/scope"
)

type override struct{ goType, doc string }

// overrides maps "event prefix|path below payload" to a Go type. Prefix "*" matches every event.
var overrides = map[string]override{
	// The ID typing trap: a number in meeting.created, a string in meeting.started, either in webinar.ended.
	"meeting|object.id":       {"ID", ""},
	"meeting|old_object.id":   {"ID", ""},
	"webinar|object.id":       {"ID", ""},
	"webinar|old_object.id":   {"ID", ""},
	"recording|object.id":     {"ID", ""},
	"recording|old_object.id": {"ID", ""},
	// A number in the schema, "2024-09-08 15:58:40" in the example: kept raw.
	"app_deauthorized|event_ts": {"json.RawMessage", "The timestamp of the webhook event, kept raw: the schema says a number, Zoom's example shows a \"2006-01-02 15:04:05\" string."},
}

// extras adds fields that Zoom sends but the current schema omits.
var extras = map[string][]field{
	"app_deauthorized|": {{
		json: "user_data_retention", goType: "NullBool",
		doc: "Whether the user asked Zoom to retain their data. Older deliveries send the string \"true\" or \"false\", 2025 deliveries null, and the 2026 schema omits it.",
	}},
}

func main() {
	specDir := flag.String("spec", "testdata/spec", "directory holding the trimmed webhook OpenAPI documents")
	out := flag.String("out", "events_gen.go", "output file")
	flag.Parse()
	src, err := generate(*specDir)
	if err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(*out, src, 0o644); err != nil {
		log.Fatal(err)
	}
}

// generate returns the gofmt-ed source of events_gen.go for the documents in specDir.
func generate(specDir string) ([]byte, error) {
	g := &gen{structs: map[*node]*structDef{}, byName: map[string]*structDef{}}
	docs := map[string]*node{}
	for _, ev := range scope.Events() {
		d, ok := docs[ev.Document]
		if !ok {
			var err error
			d, err = load(filepath.Join(specDir, ev.Document+".json"))
			if err != nil {
				return nil, err
			}
			docs[ev.Document] = d
		}
		if err := g.event(d, ev.Name); err != nil {
			return nil, fmt.Errorf("%s: %v", ev.Name, err)
		}
	}
	return format.Source(g.emit())
}

// ---- ordered JSON ----

type kind int

const (
	kNull kind = iota
	kBool
	kNum
	kStr
	kArr
	kObj
)

type node struct {
	kind kind
	b    bool
	s    string // string value or number text
	arr  []*node
	keys []string
	vals []*node
}

func (n *node) get(k string) *node {
	if n == nil || n.kind != kObj {
		return nil
	}
	for i, kk := range n.keys {
		if kk == k {
			return n.vals[i]
		}
	}
	return nil
}

func (n *node) str(k string) string {
	if v := n.get(k); v != nil && v.kind == kStr {
		return v.s
	}
	return ""
}

func load(path string) (*node, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return parse(b)
}

func parse(b []byte) (*node, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	n, err := parseValue(dec)
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("trailing data")
	}
	return n, nil
}

func parseValue(dec *json.Decoder) (*node, error) {
	t, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch v := t.(type) {
	case nil:
		return &node{kind: kNull}, nil
	case bool:
		return &node{kind: kBool, b: v}, nil
	case json.Number:
		return &node{kind: kNum, s: v.String()}, nil
	case string:
		return &node{kind: kStr, s: v}, nil
	case json.Delim:
		if v == '[' {
			n := &node{kind: kArr}
			for dec.More() {
				c, err := parseValue(dec)
				if err != nil {
					return nil, err
				}
				n.arr = append(n.arr, c)
			}
			_, err := dec.Token()
			return n, err
		}
		n := &node{kind: kObj}
		for dec.More() {
			kt, err := dec.Token()
			if err != nil {
				return nil, err
			}
			c, err := parseValue(dec)
			if err != nil {
				return nil, err
			}
			n.keys = append(n.keys, kt.(string))
			n.vals = append(n.vals, c)
		}
		_, err := dec.Token()
		return n, err
	}
	return nil, fmt.Errorf("unexpected token %v", t)
}

// ---- generation ----

type field struct {
	goName, json, goType, doc string
}

type structDef struct {
	name   string
	doc    string
	fields []field
}

func (s *structDef) field(json string) *field {
	for i := range s.fields {
		if s.fields[i].json == json {
			return &s.fields[i]
		}
	}
	return nil
}

type eventInfo struct {
	name, base, doc string
}

type gen struct {
	root    *node // current document
	structs map[*node]*structDef
	byName  map[string]*structDef
	order   []*structDef
	events  []eventInfo
}

func (g *gen) resolve(n *node) (*node, error) {
	for i := 0; n != nil && n.get("$ref") != nil; i++ {
		if i > 10 {
			return nil, fmt.Errorf("ref loop")
		}
		ref := n.str("$ref")
		if !strings.HasPrefix(ref, "#/") {
			return nil, fmt.Errorf("unsupported ref %q", ref)
		}
		parts := strings.Split(ref[2:], "/")
		if parts[0] == "paths" { // Zoom's webhook documents point into "paths" but hold "webhooks"
			parts[0] = "webhooks"
		}
		t := g.root
		for _, p := range parts {
			p = strings.ReplaceAll(strings.ReplaceAll(p, "~1", "/"), "~0", "~")
			t = t.get(p)
			if t == nil {
				return nil, fmt.Errorf("unresolved ref %q", ref)
			}
		}
		n = t
	}
	return n, nil
}

// props merges properties of a schema and its allOf/oneOf/anyOf members, in order.
func (g *gen) props(s *node) ([]string, []*node, error) {
	var keys []string
	var vals []*node
	seen := map[string]bool{}
	add := func(p *node) {
		if p == nil {
			return
		}
		for i, k := range p.keys {
			if !seen[k] {
				seen[k] = true
				keys = append(keys, k)
				vals = append(vals, p.vals[i])
			}
		}
	}
	add(s.get("properties"))
	for _, comb := range []string{"allOf", "oneOf", "anyOf"} {
		if c := s.get(comb); c != nil {
			for _, sub := range c.arr {
				r, err := g.resolve(sub)
				if err != nil {
					return nil, nil, err
				}
				add(r.get("properties"))
			}
		}
	}
	return keys, vals, nil
}

func (g *gen) event(doc *node, name string) error {
	g.root = doc
	wh := doc.get("webhooks").get(name)
	if wh == nil {
		return fmt.Errorf("not in spec")
	}
	rb := wh.get("post").get("requestBody")
	content := rb.get("content").get("application/json")
	schema, err := g.resolve(content.get("schema"))
	if err != nil {
		return err
	}
	keys, vals, err := g.props(schema)
	if err != nil {
		return err
	}
	var payload *node
	for i, k := range keys {
		if k == "payload" {
			payload = vals[i]
		}
	}
	if payload == nil {
		return fmt.Errorf("no payload schema")
	}
	base := camel(name)
	ev := eventInfo{name: name, base: base, doc: eventDoc(rb.str("description"))}
	prefix := name
	if i := strings.IndexByte(name, '.'); i >= 0 {
		prefix = name[:i]
	}
	c := &ctx{g: g, base: base, prefix: prefix}
	typ, err := c.typeFor(payload, base+"Payload", "", "", "")
	if err != nil {
		return err
	}
	sd := g.byName[typ]
	if sd == nil {
		return fmt.Errorf("payload is not an object")
	}
	sd.doc = fmt.Sprintf("%s is the payload of %s events. %s", sd.name, name, ev.doc)
	for _, f := range extras[name+"|"] {
		f.goName = goName(f.json)
		sd.fields = append(sd.fields, f)
	}
	// Add fields present in Zoom's examples but missing from the schema.
	if exs := content.get("examples"); exs != nil {
		for _, ex := range exs.vals {
			v := ex.get("value")
			if v == nil || v.kind != kStr {
				continue
			}
			exNode, err := parse([]byte(v.s))
			if err != nil {
				return fmt.Errorf("example: %v", err)
			}
			if p := exNode.get("payload"); p != nil {
				c.mergeExample(sd, p)
			}
		}
	}
	g.events = append(g.events, ev)
	return nil
}

type ctx struct {
	g      *gen
	base   string
	prefix string
}

// typeFor returns the Go type for schema s; hint names a new struct, path is the JSON path below payload.
func (c *ctx) typeFor(s *node, hint, parent, path, desc string) (string, error) {
	s, err := c.g.resolve(s)
	if err != nil {
		return "", err
	}
	if s == nil {
		return "json.RawMessage", nil
	}
	keys, vals, err := c.g.props(s)
	if err != nil {
		return "", err
	}
	typ := s.str("type")
	if len(keys) > 0 {
		if sd, ok := c.g.structs[s]; ok {
			return sd.name, nil
		}
		name := hint
		if _, taken := c.g.byName[name]; taken && parent != "" {
			name = parent + strings.TrimPrefix(hint, c.base)
		}
		for i := 2; c.g.byName[name] != nil; i++ {
			name = fmt.Sprintf("%s%d", hint, i)
		}
		d := s.str("description")
		if d == "" {
			d = desc
		}
		sd := &structDef{name: name, doc: fmt.Sprintf("%s is %s", name, lowerFirst(docText(d, "a part of a "+c.base+" payload.")))}
		c.g.structs[s] = sd
		c.g.byName[name] = sd
		c.g.order = append(c.g.order, sd)
		for i, k := range keys {
			p, err := c.g.resolve(vals[i])
			if err != nil {
				return "", err
			}
			fpath := k
			if path != "" {
				fpath = path + "." + k
			}
			var ft, fdoc string
			if o, ok := c.override(fpath); ok {
				ft, fdoc = o.goType, o.doc
			} else {
				childHint := c.base + camel(k)
				if p.str("type") == "array" {
					childHint = c.base + camel(singular(k))
				}
				ft, err = c.typeFor(p, childHint, name, fpath, "")
				if err != nil {
					return "", fmt.Errorf("%s: %v", fpath, err)
				}
			}
			if fdoc == "" {
				fdoc = docText(p.str("description"), "")
				if d := p.get("deprecated"); d != nil && d.b {
					fdoc = strings.TrimSpace(fdoc + " Zoom marks this field deprecated.")
				}
			}
			sd.fields = append(sd.fields, field{goName: goName(k), json: k, goType: ft, doc: fdoc})
		}
		return name, nil
	}
	switch typ {
	case "object", "":
		return "json.RawMessage", nil
	case "array":
		items := s.get("items")
		if items == nil {
			return "[]json.RawMessage", nil
		}
		d := s.str("description")
		if d != "" {
			d = "one element of: " + lowerFirst(docText(d, ""))
		}
		it, err := c.typeFor(items, hint, parent, path, d)
		if err != nil {
			return "", err
		}
		return "[]" + it, nil
	case "string":
		if s.str("format") == "date-time" || isTimeName(path) {
			return "Time", nil
		}
		return "string", nil
	case "integer": // int64 even without format int64: sizes exceed 32 bits
		if isIDName(path) {
			return "ID", nil
		}
		return "int64", nil
	case "number":
		return "float64", nil
	case "boolean":
		return "bool", nil
	}
	return "", fmt.Errorf("unsupported type %q", typ)
}

func (c *ctx) override(path string) (override, bool) {
	if o, ok := overrides[c.prefix+"|"+path]; ok {
		return o, true
	}
	o, ok := overrides["*|"+path]
	return o, ok
}

// mergeExample adds to sd the example's keys it lacks, recursing into known struct fields.
func (c *ctx) mergeExample(sd *structDef, ex *node) {
	if ex.kind != kObj {
		return
	}
	for i, k := range ex.keys {
		v := ex.vals[i]
		f := sd.field(k)
		if f == nil {
			sd.fields = append(sd.fields, field{
				goName: goName(k), json: k, goType: exampleType(v),
				doc: "Not in Zoom's schema; present in its example event.",
			})
			continue
		}
		elem := strings.TrimPrefix(f.goType, "[]")
		child := c.g.byName[elem]
		if child == nil {
			continue
		}
		if v.kind == kArr {
			for _, it := range v.arr {
				c.mergeExample(child, it)
			}
		} else {
			c.mergeExample(child, v)
		}
	}
}

// isIDName reports whether an integer field is an identifier, which Zoom may also send as a string.
func isIDName(path string) bool {
	name := path[strings.LastIndexByte(path, '.')+1:]
	return name == "id" || strings.HasSuffix(name, "_id") || name == "pmi"
}

// isTimeName reports whether a string field holds a time by its name, where the schema gives no format
// (start_time in meeting.started, for example).
func isTimeName(path string) bool {
	name := path[strings.LastIndexByte(path, '.')+1:]
	return strings.HasSuffix(name, "_time") || name == "date_time"
}

func exampleType(v *node) string {
	switch v.kind {
	case kStr:
		if v.s != "" && regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d`).MatchString(v.s) {
			return "Time"
		}
		return "string"
	case kBool:
		return "bool"
	case kNum:
		if strings.ContainsAny(v.s, ".eE") {
			return "float64"
		}
		return "int64"
	}
	return "json.RawMessage"
}

// ---- naming and docs ----

var initialisms = map[string]string{
	"id": "ID", "url": "URL", "uuid": "UUID", "pmi": "PMI", "api": "API", "ip": "IP", "sip": "SIP",
	"tsp": "TSP", "jbh": "JBH", "pstn": "PSTN", "sdk": "SDK", "ai": "AI", "cc": "CC", "http": "HTTP",
	"json": "JSON", "os": "OS", "ui": "UI", "ts": "TS",
}

func camel(s string) string {
	var b strings.Builder
	for _, part := range regexp.MustCompile(`[._\-\s]+`).Split(s, -1) {
		if part == "" {
			continue
		}
		if up, ok := initialisms[strings.ToLower(part)]; ok {
			b.WriteString(up)
			continue
		}
		b.WriteString(strings.ToUpper(part[:1]) + part[1:])
	}
	return b.String()
}

func goName(jsonName string) string {
	n := camel(jsonName)
	if n == "" || !(n[0] >= 'A' && n[0] <= 'Z') {
		n = "X" + n
	}
	return n
}

func singular(s string) string {
	switch {
	case strings.HasSuffix(s, "ies"):
		return s[:len(s)-3] + "y"
	case strings.HasSuffix(s, "ss"):
		return s
	case strings.HasSuffix(s, "s"):
		return s[:len(s)-1]
	}
	return s + "_item"
}

var (
	mdLink  = regexp.MustCompile(`\[([^\]]*)\]\([^)]*\)`)
	mdMarks = regexp.MustCompile("\\*\\*|`")
	spaces  = regexp.MustCompile(`\s+`)
)

// docText returns the first paragraph of a description as plain text, at most a few sentences.
func docText(desc, fallback string) string {
	desc = strings.TrimSpace(desc)
	if desc == "" {
		return fallback
	}
	para := strings.SplitN(desc, "\n\n", 2)[0]
	para = mdLink.ReplaceAllString(para, "$1")
	para = mdMarks.ReplaceAllString(para, "")
	para = strings.TrimSpace(spaces.ReplaceAllString(para, " "))
	if len(para) > 400 {
		cut := strings.LastIndex(para[:400], ". ")
		if cut > 0 {
			para = para[:cut+1]
		} else {
			para = para[:400] + "..."
		}
	}
	if !strings.HasSuffix(para, ".") && !strings.HasSuffix(para, "...") {
		para += "."
	}
	return para
}

// eventDoc returns the first paragraph after the "# name" heading of an event description.
func eventDoc(desc string) string {
	paras := strings.Split(strings.TrimSpace(desc), "\n\n")
	for _, p := range paras {
		p = strings.TrimSpace(p)
		if p == "" || strings.HasPrefix(p, "#") {
			continue
		}
		return docText(p, "")
	}
	return ""
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	if strings.HasPrefix(s, "The ") || strings.HasPrefix(s, "A ") || strings.HasPrefix(s, "An ") || strings.HasPrefix(s, "Information ") {
		return strings.ToLower(s[:1]) + s[1:]
	}
	return s
}

func comment(b *bytes.Buffer, indent, text string) {
	words := strings.Fields(text)
	line := indent + "//"
	for _, w := range words {
		if len(line)+1+len(w) > 100 && line != indent+"//" {
			b.WriteString(line + "\n")
			line = indent + "//"
		}
		line += " " + w
	}
	b.WriteString(line + "\n")
}

func (g *gen) emit() []byte {
	var b bytes.Buffer
	b.WriteString("// Code generated by internal/webhookgen from Zoom's webhook OpenAPI documents; DO NOT EDIT.\n\n")
	secretful := g.secretful()
	if len(secretful) > 0 {
		b.WriteString("package webhook\n\nimport (\n\t\"context\"\n\t\"encoding/json\"\n\t\"fmt\"\n\t\"log/slog\"\n\n\t\"github.com/zoomkit/zoomkit/internal/redact\"\n)\n\n")
	} else {
		b.WriteString("package webhook\n\nimport (\n\t\"context\"\n\t\"encoding/json\"\n)\n\n")
	}
	b.WriteString("// Names of the events with typed payloads.\nconst (\n")
	for _, e := range g.events {
		fmt.Fprintf(&b, "\t// Event%s is %q.\n\tEvent%s = %q\n", e.base, e.name, e.base, e.name)
	}
	b.WriteString(")\n\n")
	b.WriteString("// KnownEvents returns the names of the events this package has typed payloads for.\nfunc KnownEvents() []string {\n\treturn []string{\n")
	for _, e := range g.events {
		fmt.Fprintf(&b, "\t\tEvent%s,\n", e.base)
	}
	b.WriteString("\t}\n}\n\n")
	b.WriteString("// newPayload returns a pointer to a new typed payload for a known event, else nil.\nfunc newPayload(name string) any {\n\tswitch name {\n")
	for _, e := range g.events {
		fmt.Fprintf(&b, "\tcase Event%s:\n\t\treturn new(%sPayload)\n", e.base, e.base)
	}
	b.WriteString("\tcase EventEndpointURLValidation:\n\t\treturn new(EndpointURLValidationPayload)\n")
	b.WriteString("\t}\n\treturn nil\n}\n\n")
	for _, e := range g.events {
		comment(&b, "", fmt.Sprintf("On%s registers fn for %s events (see Handle and %sPayload).", e.base, e.name, e.base))
		fmt.Fprintf(&b, "func (h *Handler) On%s(fn func(ctx context.Context, e *Event, p *%sPayload) error) {\n\tHandle(h, Event%s, fn)\n}\n\n", e.base, e.base, e.base)
	}
	for _, sd := range g.order {
		comment(&b, "", sd.doc)
		fmt.Fprintf(&b, "type %s struct {\n", sd.name)
		for _, f := range sd.fields {
			if f.doc != "" {
				comment(&b, "\t", f.doc)
			}
			fmt.Fprintf(&b, "\t%s %s `json:\"%s,omitzero\"`\n", f.goName, f.goType, f.json)
		}
		b.WriteString("}\n\n")
	}
	g.emitRedact(&b, secretful)
	return b.Bytes()
}
