package main

// This file lets the events reuse package zoom's models: an event struct
// whose shape is the shape of a zoom model (the same JSON members, of the
// same kinds, recursively) is not emitted, and the events use the zoom
// model instead (zoom.Recurrence for a meeting's recurrence, for example),
// so a value from an event and one from a REST call have one type.
//
// Shapes compare JSON kinds, not Go types: the REST dialect's int, int64
// and int enums are all an integer, as the events' int64 is; string enums
// are a string. zoom.ID and zoom.Time are their own kinds on both sides.
// Only models that appear in responses are candidates (an event reports
// data as a response does; a one-field request body such as
// UpdateUserEmailRequest is not what an event's {"email"} means). Models
// holding a zoom.Secret are never reused: the events print their
// secrets redacted through generated methods of their own (see
// events_redact.go), which cannot reach into zoom's. What the events
// redact and zoom's models keep as plain strings (the pwd in a *_url) is
// redacted in a reused model by a generated redactZoom* function.
//
// eventModels (overrides.go) names the models of event structs that hold a
// subset of a model's members, such as the few settings a meeting event
// carries; fits checks that each such member is the model's, of its kind.

import (
	"fmt"
	"sort"
	"strings"
)

// zoomShapes builds the REST models from the trimmed documents in
// restSpec and returns the name of the zoom model of each shape. Where
// several models share a shape, the shortest name wins (then the first in
// alphabetical order): Recurrence rather than a parallel
// WebinarRecurrence.
func zoomShapes(restSpec string) (*gen, map[string]string, error) {
	g := newGen()
	if err := g.load(restSpec); err != nil {
		return nil, nil, fmt.Errorf("REST documents: %w", err)
	}
	if err := g.build(); err != nil {
		return nil, nil, fmt.Errorf("REST documents: %w", err)
	}
	out := map[string]string{}
	for _, t := range g.allTypes() { // sorted by name
		if t.isOpts || !t.resp {
			continue // events report data as responses do; a request body is not a candidate
		}
		sig, ok := g.shape(&tref{kind: "struct", name: t.Name}, map[string]bool{})
		if !ok {
			continue
		}
		if prev, dup := out[sig]; dup && len(prev) <= len(t.Name) {
			continue
		}
		out[sig] = t.Name
	}
	return g, out, nil
}

// shape returns the shape of a REST type, or false when it holds a secret
// or refers to itself.
func (g *gen) shape(r *tref, visiting map[string]bool) (string, bool) {
	switch r.kind {
	case "string":
		return "s", true
	case "int", "int64":
		return "i", true
	case "id":
		return "id", true
	case "float":
		return "f", true
	case "bool":
		return "b", true
	case "time":
		return "t", true
	case "date":
		return "d", true
	case "raw":
		return "r", true
	case "enum":
		if g.enums[r.name].Int {
			return "i", true
		}
		return "s", true
	case "array":
		s, ok := g.shape(r.elem, visiting)
		return "[" + s, ok
	case "struct":
		t := g.types[r.name]
		if t == nil || visiting[r.name] {
			return "", false
		}
		visiting[r.name] = true
		defer delete(visiting, r.name)
		members := make([]string, 0, len(t.Fields))
		for _, f := range t.Fields {
			s, ok := g.shape(f.Ref, visiting)
			if !ok {
				return "", false
			}
			members = append(members, f.JSON+":"+s)
		}
		sort.Strings(members)
		return "{" + strings.Join(members, ",") + "}", true
	}
	return "", false // secret, map, any: never reused
}

// eventShape returns the shape of an event field's Go type, in the terms
// of shape.
func (g *eventGen) eventShape(goType string, visiting map[string]bool) (string, bool) {
	if elem, ok := strings.CutPrefix(goType, "[]"); ok {
		s, ok := g.eventShape(elem, visiting)
		return "[" + s, ok
	}
	switch goType {
	case "string":
		return "s", true
	case "int64":
		return "i", true
	case "zoom.ID":
		return "id", true
	case "float64":
		return "f", true
	case "bool":
		return "b", true
	case "zoom.Time":
		return "t", true
	case "json.RawMessage":
		return "r", true
	}
	sd := g.byName[goType]
	if sd == nil || visiting[goType] {
		return "", false
	}
	visiting[goType] = true
	defer delete(visiting, goType)
	members := make([]string, 0, len(sd.fields))
	for _, f := range sd.fields {
		if g.redaction(f, nil) != "" {
			return "", false // a secret: zoom's model would hold it as zoom.Secret
		}
		s, ok := g.eventShape(f.goType, visiting)
		if !ok {
			return "", false
		}
		members = append(members, f.json+":"+s)
	}
	sort.Strings(members)
	return "{" + strings.Join(members, ",") + "}", true
}

// reuseZoomModels replaces the event structs shaped like a zoom model, and
// those eventModels names, by the zoom model, and drops the structs no
// payload reaches any more. Payload structs themselves stay: handlers are
// typed by them.
func (g *eventGen) reuseZoomModels(rest *gen, shapes map[string]string) error {
	roots := map[string]bool{}
	for _, e := range g.events {
		roots[e.base+"Payload"] = true
	}
	use := map[string]string{}
	for _, sd := range g.order {
		if roots[sd.name] {
			continue
		}
		if model, ok := g.models[sd.name]; ok {
			ref := &tref{kind: "struct", name: model}
			if _, ok := rest.shape(ref, map[string]bool{}); !ok {
				return fmt.Errorf("eventModels: zoom.%s is not a model, or holds a secret", model)
			}
			if err := g.fits(rest, sd.name, ref, sd.name); err != nil {
				return fmt.Errorf("eventModels: %s is not zoom.%s: %v", sd.name, model, err)
			}
			use[sd.name] = "zoom." + model
			continue
		}
		if sig, ok := g.eventShape(sd.name, map[string]bool{}); ok && shapes[sig] != "" {
			use[sd.name] = "zoom." + shapes[sig]
		}
	}
	for _, sd := range g.order {
		for i := range sd.fields {
			f := &sd.fields[i]
			elem, isSlice := strings.CutPrefix(f.goType, "[]")
			if z, ok := use[elem]; ok {
				if isSlice {
					z = "[]" + z
				}
				f.goType = z
			}
		}
	}
	reached := map[string]bool{}
	var walk func(name string)
	walk = func(name string) {
		sd := g.byName[name]
		if sd == nil || reached[name] {
			return
		}
		reached[name] = true
		for _, f := range sd.fields {
			walk(strings.TrimPrefix(f.goType, "[]"))
		}
	}
	for r := range roots {
		walk(r)
	}
	kept := g.order[:0]
	for _, sd := range g.order {
		if reached[sd.name] {
			kept = append(kept, sd)
		} else {
			delete(g.byName, sd.name)
		}
	}
	g.order = kept
	return nil
}

// fits reports why values of the event type goType would not decode into
// the REST type r without loss: a member r lacks, or one of another kind.
func (g *eventGen) fits(rest *gen, goType string, r *tref, path string) error {
	if elem, ok := strings.CutPrefix(goType, "[]"); ok {
		if r.kind != "array" {
			return fmt.Errorf("%s: a list in the event, %s in the model", path, r.kind)
		}
		return g.fits(rest, elem, r.elem, path+"[]")
	}
	if sd := g.byName[goType]; sd != nil {
		t := rest.types[r.name]
		if r.kind != "struct" || t == nil {
			return fmt.Errorf("%s: an object in the event, %s in the model", path, r.kind)
		}
		for _, f := range sd.fields {
			mf := t.byJSON[f.json]
			if mf == nil {
				return fmt.Errorf("%s.%s: not a member of zoom.%s", path, f.json, t.Name)
			}
			if err := g.fits(rest, f.goType, mf.Ref, path+"."+f.json); err != nil {
				return err
			}
		}
		return nil
	}
	if z, ok := strings.CutPrefix(goType, "zoom."); ok && r.kind == "struct" && z == r.name {
		return nil // already reused
	}
	want, _ := rest.shape(r, map[string]bool{})
	got, _ := g.eventShape(goType, map[string]bool{})
	if got != want {
		return fmt.Errorf("%s: %s in the event, %s in the model", path, goType, base(r))
	}
	return nil
}
