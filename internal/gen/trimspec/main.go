// Command trimspec makes the trimmed OpenAPI documents the generator reads
// from Zoom's full API-hub documents, keeping what internal/gen/scope
// declares and Zoom's text unchanged, in the original member order:
//
//   - internal/spec: of each REST document, only the operations of the
//     covered tags (and the document's servers, info and components);
//   - webhook/testdata/spec (with -webhooks): of each webhook document, every
//     event (scope.Events must name them all), without their responses
//     sections (copies of the request schema), and with the two slips that
//     make a schema invalid JSON Schema repaired (see repairSchemas).
//
// It is run by hand, from the repository root, when Zoom's documents are
// refreshed (the full documents are not part of the repository; they are
// downloaded from https://developers.zoom.us/api-hub/<family>/methods/endpoints.json
// and .../<family>/events/webhooks.json):
//
//	go run ./internal/gen/trimspec -src /path/to/zoom-api/openapi/endpoints -dst internal/spec \
//		-webhooks /path/to/zoom-api/openapi/webhooks -webhooks-dst webhook/testdata/spec
//	go generate ./...
package main

import (
	"bytes"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"slices"

	"github.com/zoomkit/zoomkit/internal/gen/ojson"
	"github.com/zoomkit/zoomkit/internal/gen/scope"
)

var methods = []string{"get", "put", "post", "delete", "options", "head", "patch", "trace"}

func main() {
	src := flag.String("src", "", "directory of Zoom's full OpenAPI documents (Meetings.json, Users.json, Accounts.json, Team_Chat.json from the API hub)")
	dst := flag.String("dst", "internal/spec", "directory for the trimmed documents")
	whSrc := flag.String("webhooks", "", "directory of Zoom's full webhook documents (Meetings.json, Users.json, Accounts.json, Marketplace.json); empty: leave the webhook documents alone")
	whDst := flag.String("webhooks-dst", "webhook/testdata/spec", "directory for the trimmed webhook documents")
	flag.Parse()
	if *src == "" {
		log.Fatal("trimspec: -src is required")
	}
	total := 0
	for _, d := range scope.Documents() {
		doc := read(filepath.Join(*src, d.Source))
		n := trim(doc, d.Tags)
		total += n
		write(filepath.Join(*dst, d.File), doc)
		fmt.Printf("%s: %d operations\n", d.File, n)
	}
	fmt.Printf("total: %d operations\n", total)
	if *whSrc == "" {
		return
	}
	total = 0
	for _, name := range scope.EventDocuments() {
		var events []string
		for _, e := range scope.Events() {
			if e.Document == name {
				events = append(events, e.Name)
			}
		}
		doc := read(filepath.Join(*whSrc, name+".json"))
		if extra := untyped(doc, events); len(extra) > 0 {
			log.Fatalf("%s.json: events not in scope.Events: %v (every event of the document is typed: add them)", name, extra)
		}
		n, missing := trimEvents(doc, events)
		if len(missing) > 0 {
			log.Fatalf("%s.json: no events %v", name, missing)
		}
		for _, r := range repairSchemas(doc, "") {
			fmt.Printf("%s.json: repaired %s\n", name, r)
		}
		total += n
		write(filepath.Join(*whDst, name+".json"), doc)
		fmt.Printf("%s.json: %d events\n", name, n)
	}
	fmt.Printf("total: %d events\n", total)
}

func read(path string) *ojson.Node {
	data, err := os.ReadFile(path)
	if err != nil {
		log.Fatal(err)
	}
	doc, err := ojson.Parse(data)
	if err != nil {
		log.Fatalf("%s: %v", path, err)
	}
	return doc
}

func write(path string, doc *ojson.Node) {
	var b bytes.Buffer
	doc.Encode(&b, 0)
	b.WriteByte('\n')
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		log.Fatal(err)
	}
}

// trim drops the operations without a kept tag, the paths left empty, and
// the top-level members other than openapi, info, servers, paths and
// components. It returns the number of operations kept.
func trim(doc *ojson.Node, tags []string) int {
	count := 0
	var top []ojson.Member
	for _, m := range doc.Members {
		switch m.Key {
		case "openapi", "info", "servers", "components":
			top = append(top, m)
		case "paths":
			var paths []ojson.Member
			for _, p := range m.Value.Members {
				var ms []ojson.Member
				ops := 0
				for _, om := range p.Value.Members {
					if !slices.Contains(methods, om.Key) {
						ms = append(ms, om)
						continue
					}
					if hasTag(om.Value, tags) {
						ms = append(ms, om)
						ops++
					}
				}
				if ops > 0 {
					count += ops
					paths = append(paths, ojson.Member{Key: p.Key, Value: &ojson.Node{Kind: ojson.Object, Members: ms}})
				}
			}
			top = append(top, ojson.Member{Key: "paths", Value: &ojson.Node{Kind: ojson.Object, Members: paths}})
		}
	}
	doc.Members = top
	return count
}

func hasTag(op *ojson.Node, tags []string) bool {
	for _, t := range op.Elems("tags") {
		if slices.Contains(tags, t.String) {
			return true
		}
	}
	return false
}

// repairSchemas fixes, in place, the slips that make a webhook document's
// schemas invalid JSON Schema (account.settings_updated has both), and
// returns where it fixed one:
//   - a member of a "properties" object that is not a schema (chat's
//     properties hold "type": "object", meant for chat itself): dropped;
//   - "minimum" or "maximum" given as a string (ports_range, a string
//     itself): dropped, as they would not apply to a string anyway.
//
// Nothing else of Zoom's text changes; webhook's contradictions_test.go
// lists these with the other slips of the documents.
func repairSchemas(n *ojson.Node, path string) []string {
	var out []string
	switch n.Kind {
	case ojson.Object:
		n.Members = slices.DeleteFunc(n.Members, func(m ojson.Member) bool {
			bad := (m.Key == "minimum" || m.Key == "maximum") && m.Value.Kind == ojson.String
			if bad {
				out = append(out, path+"/"+m.Key+" (a string)")
			}
			return bad
		})
		for _, m := range n.Members {
			if m.Key == "properties" && m.Value.Kind == ojson.Object {
				m.Value.Members = slices.DeleteFunc(m.Value.Members, func(p ojson.Member) bool {
					bad := p.Value.Kind != ojson.Object
					if bad {
						out = append(out, path+"/properties/"+p.Key+" (not a schema)")
					}
					return bad
				})
			}
			out = append(out, repairSchemas(m.Value, path+"/"+m.Key)...)
		}
	case ojson.Array:
		for i, e := range n.Array {
			out = append(out, repairSchemas(e, fmt.Sprintf("%s/%d", path, i))...)
		}
	}
	return out
}

// untyped returns the events of doc that are not in events.
func untyped(doc *ojson.Node, events []string) []string {
	var out []string
	for _, m := range doc.Fields("webhooks") {
		if !slices.Contains(events, m.Key) {
			out = append(out, m.Key)
		}
	}
	return out
}

// trimEvents keeps, in the order of events, the webhooks named there,
// without their responses sections, and drops the top-level members other
// than openapi, info, webhooks and components. It returns the number of
// events kept and the names of events the document lacks.
func trimEvents(doc *ojson.Node, events []string) (int, []string) {
	var top []ojson.Member
	var missing []string
	n := 0
	for _, m := range doc.Members {
		switch m.Key {
		case "openapi", "info", "components":
			top = append(top, m)
		case "webhooks":
			var kept []ojson.Member
			for _, e := range events {
				w := m.Value.Get(e)
				if w == nil {
					missing = append(missing, e)
					continue
				}
				for _, op := range w.Members {
					if op.Value.Kind == ojson.Object {
						op.Value.Members = slices.DeleteFunc(op.Value.Members, func(x ojson.Member) bool { return x.Key == "responses" })
					}
				}
				kept = append(kept, ojson.Member{Key: e, Value: w})
			}
			n = len(kept)
			top = append(top, ojson.Member{Key: "webhooks", Value: &ojson.Node{Kind: ojson.Object, Members: kept}})
		}
	}
	doc.Members = top
	if doc.Get("webhooks") == nil {
		missing = events
	}
	return n, missing
}
