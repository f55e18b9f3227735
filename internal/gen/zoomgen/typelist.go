package main

import (
	"fmt"
	"sort"
	"strings"
)

// emitTypeList writes the list of the generated struct types, for the
// tests of package zoom that must cover every type (such as the redaction
// test), so that the list never goes stale.
func (g *gen) emitTypeList() string {
	var b strings.Builder
	b.WriteString("// generatedTypes lists every struct type generated from the API documents.\nvar generatedTypes = []reflect.Type{\n")
	for _, t := range g.allTypes() {
		fmt.Fprintf(&b, "\treflect.TypeFor[%s](),\n", t.Name)
	}
	b.WriteString("}\n")
	return b.String()
}

// allTypes returns the generated struct types sorted by name.
func (g *gen) allTypes() []*goType {
	var all []*goType
	for _, t := range g.types {
		all = append(all, t)
	}
	for _, t := range g.opts {
		all = append(all, t)
	}
	sort.Slice(all, func(i, j int) bool { return all[i].Name < all[j].Name })
	return all
}
