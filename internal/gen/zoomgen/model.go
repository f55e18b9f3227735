package main

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/zoomkit/zoomkit/internal/gen/ojson"
)

// tref is a Go type for a schema.
type tref struct {
	kind string // string, secret, int, int64, float, bool, time, date, struct, array, map, raw, enum
	name string // struct or enum name
	elem *tref  // array and map element
}

type goType struct {
	Name    string
	stem    string // the name its nested types are named after (Name without the Request suffix of a split type)
	reqSide bool   // built from a request body: a request type, never a response's
	Doc     string // schema description, first sentence
	Fields  []*field
	byJSON  map[string]*field
	req     bool     // reachable from a request body
	resp    bool     // reachable from a response body
	parents []string // "Parent.field" where it is used, for docs
	roots   []string // "Service.Method" whose request/response it is
	rootReq []string
	isOpts  bool
	update  bool // reachable from a PATCH or PUT body: every field can be sent as its zero (see sendsZero)
	page    bool // has next_page_token
	counts  bool // has total_records
}

type field struct {
	JSON, GoName, Doc string
	Ref               *tref
	Required          bool // required in a request schema
	Schema            *ojson.Node
	alt               *tref // the list form of an object field that a oneOf also gives as a list
	list              bool  // the List field of a type that decodes from either an object or a list
}

type enumType struct {
	Name   string
	Int    bool
	Values []string // in first-seen order
	seen   map[string]bool
	Doc    string
}

func (g *gen) build() error {
	for _, op := range g.ops {
		if err := g.buildOp(op); err != nil {
			return fmt.Errorf("%s: %w", op.ID, err)
		}
	}
	// Request bodies after every response, so that a request schema
	// unified with a response type (see requestName) is known to be one.
	for _, op := range g.ops {
		if err := g.buildBody(op); err != nil {
			return fmt.Errorf("%s: %w", op.ID, err)
		}
	}
	for _, op := range g.ops {
		if op.out == nil && op.Def.Decode != "" {
			t := g.types[op.Def.Decode]
			if t == nil {
				return fmt.Errorf("%s: Decode names unknown type %s", op.ID, op.Def.Decode)
			}
			op.out = &tref{kind: "struct", name: t.Name}
			t.roots = appendUnique(t.roots, op.svcMethod())
		}
	}
	g.eitherKinds()
	// Roles: requests and responses, and the request types of updates.
	for _, op := range g.ops {
		if op.body != nil {
			g.mark(op.body, true, map[string]bool{})
			if op.Method == "PATCH" || op.Method == "PUT" {
				g.markUpdate(op.body, map[string]bool{})
			}
		}
		if op.out != nil {
			g.mark(op.out, false, map[string]bool{})
		}
	}
	unnamed, err := g.dedupe()
	if err != nil {
		return err
	}
	if g.verbose {
		for _, ns := range unnamed {
			fmt.Printf("identical types left apart (not in sharedTypes): %v\n", ns)
		}
		names := make([]string, 0, len(g.types))
		for n := range g.types {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			t := g.types[n]
			var fs []string
			for _, f := range t.Fields {
				fs = append(fs, f.JSON)
			}
			fmt.Printf("type %s req=%v resp=%v parents=%v roots=%v\n    %s\n", n, t.req, t.resp, t.parents, t.roots, strings.Join(fs, " "))
		}
		names = names[:0]
		for n := range g.enums {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			fmt.Printf("enum %s int=%v %v\n", n, g.enums[n].Int, g.enums[n].Values)
		}
	}
	return nil
}

func (g *gen) mark(r *tref, req bool, seen map[string]bool) {
	for r != nil && (r.kind == "array" || r.kind == "map") {
		r = r.elem
	}
	if r == nil || r.kind != "struct" || seen[r.name] {
		return
	}
	seen[r.name] = true
	t := g.types[r.name]
	if req {
		t.req = true
	} else {
		t.resp = true
	}
	for _, f := range t.Fields {
		g.mark(f.Ref, req, seen)
	}
}

// eitherKinds gives the object type of each field that the documents'
// oneOf members give both as an object and as a list of objects (Users'
// settings' authentication_options: an object, or a list when called with
// option=meeting_authentication) a List field: the type decodes the list
// into List and the object into its other fields, so neither form loses a
// value (emitted by emitEither).
func (g *gen) eitherKinds() {
	for _, t := range g.allTypes() {
		for _, f := range t.Fields {
			if f.alt == nil {
				continue
			}
			ot := g.types[f.Ref.name]
			if ot.byJSON["-"] != nil {
				continue
			}
			lf := &field{JSON: "-", GoName: "List", Ref: f.alt, list: true,
				Doc: fmt.Sprintf("List holds %s when Zoom sends it as a list (the documents give both forms); the other fields are then empty.", f.JSON)}
			ot.Fields = append(ot.Fields, lf)
			ot.byJSON["-"] = lf
			g.mark(f.alt, t.req, map[string]bool{})
		}
	}
}

// markUpdate marks the update body r and the objects nested in it, but not
// the elements of its lists and maps: a list is sent whole, each element a
// complete value, so there is no field of an element to leave untouched.
func (g *gen) markUpdate(r *tref, seen map[string]bool) {
	if r == nil || r.kind != "struct" || seen[r.name] {
		return
	}
	seen[r.name] = true
	t := g.types[r.name]
	t.update = true
	for _, f := range t.Fields {
		g.markUpdate(f.Ref, seen)
	}
}

func (op *specOp) svcMethod() string { return op.Def.Service + "Service." + op.Def.Method }

func (g *gen) buildOp(op *specOp) error {
	d := op.Def
	// Parameters: path-item level first, then operation level.
	var ps []*ojson.Node
	ps = append(ps, op.PathItem.Elems("parameters")...)
	ps = append(ps, op.Node.Elems("parameters")...)
	byName := map[string]*ojson.Node{}
	var order []string
	for _, p := range ps {
		n := p.Str("name")
		if _, ok := byName[n]; !ok {
			order = append(order, n)
		}
		byName[n] = p
	}
	// Path parameters in path order.
	for _, seg := range strings.Split(op.Path, "/") {
		if !strings.HasPrefix(seg, "{") {
			continue
		}
		name := strings.Trim(seg, "{}")
		p := byName[name]
		if p == nil {
			return fmt.Errorf("path parameter %s not declared", name)
		}
		s := p.Get("schema")
		kind := "string"
		switch {
		case d.Params[name] != "":
			kind = d.Params[name]
		case s.Str("type") == "integer":
			kind = "id"
		case name == "meetingId" || name == "webinarId" || name == "meetingUUID" || name == "webinarUUID":
			kind = idKind(op.Path)
			if kind == "id" && !strings.Contains(op.Path, "/recordings") && strings.Contains(strings.ToLower(p.Str("description")), "uuid") {
				// The document says the call takes the id or a UUID
				// (Webinars.Get): take both.
				kind = "instance"
			}
		}
		op.params = append(op.params, &param{Name: name, GoName: unexported(name), Doc: firstSentence(p.Str("description")), Kind: kind, Required: true, Schema: s})
	}
	// Query parameters → options type.
	var query []*ojson.Node
	for _, n := range order {
		if p := byName[n]; p.Str("in") == "query" {
			query = append(query, p)
		}
	}
	if len(query) > 0 {
		op.optName = d.Base + "Options"
		t := &goType{Name: op.optName, byJSON: map[string]*field{}, isOpts: true, roots: []string{op.svcMethod()}}
		for _, p := range query {
			name := p.Str("name")
			s := p.Get("schema")
			f := &field{JSON: name, GoName: exported(name), Doc: firstSentence(p.Str("description")), Required: p.Truthy("required"), Schema: s}
			f.Ref = g.schemaType(s, op.optName, name, false, op.optName)
			if d.Query[name] != "" {
				f.Ref = &tref{kind: d.Query[name]}
			}
			t.Fields = append(t.Fields, f)
			t.byJSON[name] = f
			op.query = append(op.query, &param{Name: name, GoName: f.GoName, Required: f.Required, Ref: f.Ref})
		}
		g.opts[op.optName] = t
	}
	// Response body: the first 2xx response with a JSON schema.
	var codes []string
	for _, m := range op.Node.Fields("responses") {
		codes = append(codes, m.Key)
	}
	sort.Strings(codes)
	for _, c := range codes {
		if !strings.HasPrefix(c, "2") {
			continue
		}
		s := op.Node.Path("responses", c, "content", "application/json", "schema")
		if s == nil || (len(s.Fields("properties")) == 0 && s.Get("allOf") == nil && s.Get("oneOf") == nil && s.Get("items") == nil) {
			continue
		}
		name := d.Result
		if name == "" {
			name = d.Base + "Result"
		}
		op.out = g.schemaType(s, name, "", false, "")
		if op.out.kind == "struct" {
			t := g.types[op.out.name]
			t.roots = appendUnique(t.roots, op.svcMethod())
		}
		break
	}
	return nil
}

// buildBody builds the request body type of op. A request body is always
// a request type of its own (see requestName), never a response type.
func (g *gen) buildBody(op *specOp) error {
	d := op.Def
	rb := op.Node.Get("requestBody")
	if rb == nil || d.Upload != "" {
		return nil
	}
	s := rb.Path("content", "application/json", "schema")
	if s == nil {
		return fmt.Errorf("request body is not JSON: %v", keys(rb.Get("content")))
	}
	name := d.Body
	if name == "" {
		name = d.Base + "Request"
	}
	if g.types[name] != nil && !g.types[name].reqSide {
		return fmt.Errorf("request body %s is a response type: name it as a request", name)
	}
	if d.Like != "" {
		g.stems[name] = d.Like
	}
	op.body = g.schemaType(s, name, "", true, "")
	if op.body.kind == "struct" {
		t := g.types[op.body.name]
		t.rootReq = appendUnique(t.rootReq, op.svcMethod())
	}
	return nil
}

func keys(n *ojson.Node) []string {
	var ks []string
	for _, m := range n.Members {
		ks = append(ks, m.Key)
	}
	return ks
}

func appendUnique(s []string, v string) []string {
	for _, x := range s {
		if x == v {
			return s
		}
	}
	return append(s, v)
}

// schemaType returns the Go type for schema s. name is the type name an
// object would get (before aliasing); with prop it is the stem of the
// parent whose field prop s is the type of, and owner the parent's Go name
// (prop and owner empty for a root). req tells whether s is part of a
// request.
func (g *gen) schemaType(s *ojson.Node, name, prop string, req bool, owner string) *tref {
	if s == nil {
		return &tref{kind: "raw"}
	}
	typ := s.Str("type")
	if typ == "" && (s.Get("properties") != nil || s.Get("allOf") != nil || s.Get("oneOf") != nil || s.Get("anyOf") != nil) {
		typ = "object"
	}
	parent := name
	if prop != "" {
		name = name + exported(prop)
	}
	// Enums.
	if e := s.Get("enum"); e != nil && (typ == "string" || typ == "integer") {
		if en := g.enumFor(parent, prop, typ, e, s); en != "" {
			return &tref{kind: "enum", name: en}
		}
	}
	switch typ {
	case "string":
		switch {
		case s.Str("format") == "date-time":
			return &tref{kind: "time"}
		case s.Str("format") == "date":
			return &tref{kind: "date"}
		case secretFields[prop]:
			return &tref{kind: "secret"}
		}
		return &tref{kind: "string"}
	case "integer":
		if isIDName(prop) {
			return &tref{kind: "id"}
		}
		if s.Str("format") == "int64" {
			return &tref{kind: "int64"}
		}
		return &tref{kind: "int"}
	case "number":
		return &tref{kind: "float"}
	case "boolean":
		return &tref{kind: "bool"}
	case "array":
		elemName := name
		if prop != "" {
			elemName = parent + exported(singular(prop))
		} else {
			elemName = name + "Item"
		}
		el := g.schemaType(s.Get("items"), elemName, "", req, "")
		if el.kind == "struct" && prop != "" {
			t := g.types[el.name]
			t.parents = appendUnique(t.parents, owner+"."+prop)
		}
		return &tref{kind: "array", elem: el}
	case "object":
		if !hasProps(s) {
			if ap := s.Get("additionalProperties"); ap != nil && ap.Kind == ojson.Object && ap.Str("type") != "" {
				return &tref{kind: "map", elem: g.schemaType(ap, name+"Value", "", req, "")}
			}
			return &tref{kind: "map", elem: &tref{kind: "any"}}
		}
		stem := alias(name)
		canon := stem
		if req {
			canon = g.requestName(stem)
		}
		if st := g.stems[canon]; st != "" {
			stem = st
		}
		t := g.types[canon]
		if t == nil {
			t = &goType{Name: canon, stem: stem, reqSide: req, byJSON: map[string]*field{}, Doc: firstSentence(s.Str("description"))}
			g.types[canon] = t
		}
		if prop != "" {
			t.parents = appendUnique(t.parents, owner+"."+prop)
		}
		g.addProps(t, s, req, true)
		return &tref{kind: "struct", name: canon}
	}
	return &tref{kind: "raw"}
}

// requestName is the Go name of the request type for the (aliased) schema
// name: the name itself, unless a response type has it, in which case the
// request side is a type of its own named name+"Request" (its fields are
// shaped for sending, see sendsZero), so request types are never response
// types.
func (g *gen) requestName(name string) string {
	if t := g.types[name]; t != nil && !t.reqSide {
		return name + "Request"
	}
	return name
}

func hasProps(s *ojson.Node) bool {
	if len(s.Fields("properties")) > 0 {
		return true
	}
	for _, k := range []string{"allOf", "oneOf", "anyOf"} {
		for _, c := range s.Elems(k) {
			if hasProps(c) {
				return true
			}
		}
	}
	return false
}

// addProps merges the properties of s (and of its allOf/oneOf/anyOf
// members) into t. req tells whether t is a request type; required whether
// s's required list applies (not for a oneOf or anyOf member).
func (g *gen) addProps(t *goType, s *ojson.Node, req, required bool) {
	isRequired := map[string]bool{}
	for _, r := range s.Elems("required") {
		isRequired[r.String] = true
	}
	for _, m := range s.Fields("properties") {
		if m.Key == "" {
			continue
		}
		f := t.byJSON[m.Key]
		ref := g.schemaType(m.Value, t.stem, m.Key, req, t.Name)
		if ov, ok := fieldTypes[t.stem+"."+m.Key]; ok {
			ref = ov
		}
		if f == nil {
			f = &field{JSON: m.Key, GoName: exported(m.Key), Ref: ref, Schema: m.Value, Doc: firstSentence(m.Value.Str("description"))}
			for _, o := range t.Fields {
				if o.GoName == f.GoName {
					f.GoName += "2"
				}
			}
			t.byJSON[m.Key] = f
			t.Fields = append(t.Fields, f)
			switch m.Key {
			case "next_page_token":
				t.page = true
			case "total_records":
				t.counts = true
			}
		} else {
			if f.Doc == "" {
				f.Doc = firstSentence(m.Value.Str("description"))
			}
			// A oneOf gives the field as an object in one member and as a
			// list in another: the object type also decodes the list (see
			// eitherKinds).
			isList := func(r *tref) bool { return r.kind == "array" && r.elem.kind == "struct" }
			switch {
			case f.Ref.kind == "struct" && isList(ref) && f.alt == nil:
				f.alt = ref
			case isList(f.Ref) && ref.kind == "struct":
				f.alt, f.Ref = f.Ref, ref
			}
		}
		if req && (required && isRequired[m.Key] || requiredFields[t.Name+"."+m.Key]) {
			f.Required = true
		}
	}
	for _, k := range []string{"allOf", "oneOf", "anyOf"} {
		for _, c := range s.Elems(k) {
			g.addProps(t, c, req, required && k == "allOf")
		}
	}
}

// isIDName reports whether a field named json holds an identifier (id,
// *_id, pmi), which Zoom sends as a number in one place and a string in
// another. Integer identifiers are zoom.ID in the REST models and the
// events alike (the shared type mapping).
func isIDName(json string) bool {
	return json == "id" || strings.HasSuffix(json, "_id") || json == "pmi"
}

// enumFor returns the enum type for a field, or "" for a plain type.
func (g *gen) enumFor(parent, prop, typ string, vals, s *ojson.Node) string {
	key := alias(parent) + "." + prop
	name, ok := enumNames[key]
	if !ok {
		name, ok = enumByJSON[prop]
	}
	if name == "-" {
		return ""
	}
	if !ok {
		if typ == "integer" || prop == "" {
			return ""
		}
		name = alias(parent) + exported(prop)
	}
	e := g.enums[name]
	if e == nil {
		e = &enumType{Name: name, Int: typ == "integer", seen: map[string]bool{}}
		g.enums[name] = e
	}
	if e.Int != (typ == "integer") {
		panic(fmt.Sprintf("enum %s used for strings and integers (%s)", name, key))
	}
	if e.Doc == "" {
		e.Doc = firstSentence(s.Str("description"))
	}
	for _, v := range vals.Array {
		var sv string
		switch v.Kind {
		case ojson.String:
			sv = v.String
		case ojson.Number:
			sv = v.Number.String()
			if _, err := strconv.Atoi(sv); err != nil {
				continue
			}
		default:
			continue
		}
		if !e.seen[sv] {
			e.seen[sv] = true
			e.Values = append(e.Values, sv)
		}
	}
	return name
}

func alias(name string) string {
	for range 10 {
		a, ok := typeAliases[name]
		if !ok {
			a, ok = suffixAlias(name)
		}
		if !ok || a == name {
			return name
		}
		name = a
	}
	return name
}

// suffixAlias applies the longest "*Suffix" alias matching name.
func suffixAlias(name string) (string, bool) {
	best, bestLen := "", 0
	for k, v := range typeAliases {
		if strings.HasPrefix(k, "*") && strings.HasSuffix(name, k[1:]) && len(k) > bestLen {
			best, bestLen = v, len(k)
		}
	}
	return best, bestLen > 0
}
