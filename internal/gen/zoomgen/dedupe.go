package main

import (
	"fmt"
	"sort"
	"strings"
)

// refKey renders r for a type signature.
func refKey(r *tref) string {
	if r == nil {
		return ""
	}
	return r.kind + ":" + base(r)
}

// signature is the structure of t: its side, and its fields' JSON names,
// Go names, types and required marks, in sorted order (docs aside).
func (g *gen) signature(t *goType) string {
	var fs []string
	for _, f := range t.Fields {
		fs = append(fs, fmt.Sprintf("%s|%s|%s|%v|%v|%s", f.JSON, f.GoName, refKey(f.Ref), f.Required, f.list, refKey(f.alt)))
	}
	sort.Strings(fs)
	return fmt.Sprintf("%v|%v|%s", t.reqSide, t.update, strings.Join(fs, ";"))
}

// dedupe unifies the nested types that are structurally identical (same
// fields of the same types, on the same side; see signature) and that the
// overrides table names in sharedTypes: user and group settings repeat
// many of their nested objects. The unified type takes the name of the
// table (plus "Request" on the request side) and every reference to its
// members; it repeats until no named group is left, since parents whose
// children were unified may become identical in turn. Identical types the
// table does not name stay apart (unnamed returns them): their sameness is
// a coincidence of shape (Country and LanguageCode), not one schema.
func (g *gen) dedupe() (unnamed [][]string, err error) {
	for {
		groups := map[string][]*goType{}
		for _, t := range g.types {
			if len(t.roots) > 0 || len(t.rootReq) > 0 {
				continue // a method's own body or result keeps its name
			}
			s := g.signature(t)
			groups[s] = append(groups[s], t)
		}
		rename := map[string]string{}
		unnamed = nil
		var sigs []string
		for s, ts := range groups {
			if len(ts) > 1 {
				sigs = append(sigs, s)
			}
		}
		sort.Strings(sigs)
		for _, s := range sigs {
			ts := groups[s]
			sort.Slice(ts, func(i, j int) bool { return ts[i].Name < ts[j].Name })
			name := ""
			for _, t := range ts {
				stem, suffix := strings.CutSuffix(t.Name, "Request")
				if !t.reqSide {
					stem, suffix = t.Name, false
				}
				if n, ok := sharedTypes[stem]; ok {
					if suffix {
						n += "Request"
					}
					if name != "" && name != n {
						return nil, fmt.Errorf("sharedTypes names %s both %s and %s", t.Name, name, n)
					}
					name = n
				}
			}
			if name == "" {
				var ns []string
				for _, t := range ts {
					ns = append(ns, t.Name)
				}
				unnamed = append(unnamed, ns)
				continue
			}
			if o := g.types[name]; o != nil && !slicesContains(ts, o) {
				return nil, fmt.Errorf("sharedTypes: %s is already another type", name)
			}
			for _, t := range ts {
				if t.Name != name {
					rename[t.Name] = name
				}
			}
		}
		if len(rename) == 0 {
			return unnamed, nil
		}
		g.applyRename(rename)
	}
}

func slicesContains(ts []*goType, t *goType) bool {
	for _, x := range ts {
		if x == t {
			return true
		}
	}
	return false
}

// applyRename merges each type named on the left into the one named on the
// right (creating it from the first member if needed), and points every
// reference at it.
func (g *gen) applyRename(rename map[string]string) {
	var olds []string
	for o := range rename {
		olds = append(olds, o)
	}
	sort.Strings(olds)
	for _, o := range olds {
		n := rename[o]
		t := g.types[o]
		delete(g.types, o)
		u := g.types[n]
		if u == nil {
			t.Name = n
			g.types[n] = t
			continue
		}
		for _, p := range t.parents {
			u.parents = appendUnique(u.parents, p)
		}
		for i, f := range u.Fields {
			if f.Doc == "" {
				f.Doc = t.Fields[i].Doc
			}
		}
		u.req, u.resp = u.req || t.req, u.resp || t.resp
		if u.Doc != t.Doc {
			u.Doc = "" // "The group's ..." would mislead for the user's
		}
	}
	fix := func(r *tref) {
		for ; r != nil; r = r.elem {
			if n, ok := rename[r.name]; ok && r.kind == "struct" {
				r.name = n
			}
		}
	}
	for _, t := range g.types {
		var ps []string
		for _, p := range t.parents {
			owner, prop, _ := strings.Cut(p, ".")
			if n, ok := rename[owner]; ok {
				p = n + "." + prop
			}
			ps = appendUnique(ps, p)
		}
		t.parents = ps
		for _, f := range t.Fields {
			fix(f.Ref)
			fix(f.alt)
		}
	}
	for _, op := range g.ops {
		fix(op.body)
		fix(op.out)
	}
}
