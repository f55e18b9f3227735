// Command zoomgen is zoomkit's generator. It has two parts that share the
// scope declared in internal/gen/scope, the JSON reader internal/gen/ojson
// and the per-operation and per-event rules in overrides.go:
//
// The REST emitter generates the models and service methods of package
// zoom from the trimmed OpenAPI documents in internal/spec. It is run by go
// generate in package zoom:
//
//	go generate ./zoom/   (go run ../internal/gen/zoomgen -spec ../internal/spec -out .)
//
// It also writes zz_redact.go, the LogValue and Format methods that print
// the models holding a secret redacted (see redact.go), and
// zz_types_test.go, the list of every generated type for the tests that
// must cover them all.
//
// Request types are never response types: a request body and the objects
// nested in it are types of their own (requestName in model.go). Which
// request fields can carry an explicit zero ("", 0, false, an empty list or
// object) is decided by one rule, sendsZero in emit.go: every field of an
// update (PATCH or PUT) body and its nested objects; elsewhere (create
// bodies, query parameters) only fields whose zero the documents give a
// meaning (flags, and numbers per zeroMeaningful: an example, enum or
// description that makes 0 a value, a minimum of 0 under another default,
// or the overrides table's pointerFields). Required fields stay plain.
//
// The events emitter (-events, see events.go) generates webhook/events_gen.go,
// the typed payloads of the webhook events, from the trimmed webhook
// documents in webhook/testdata/spec:
//
//	go run ../internal/gen/zoomgen -events   (-spec testdata/spec -out events_gen.go -restspec ../internal/spec)
//
// (webhook's go:generate line runs this mode.) It also builds the REST
// models from -restspec, to reuse them where an event's payload has their
// shape (see events_reuse.go).
//
// The trimmed documents are made from Zoom's full documents by
// internal/gen/trimspec, run by hand (see README's Development section).
// Output is deterministic: running it twice gives the same bytes.
package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/zoomkit/zoomkit/internal/gen/ojson"
	"github.com/zoomkit/zoomkit/internal/gen/scope"
)

func main() {
	specDir := flag.String("spec", "../internal/spec", "directory of the trimmed OpenAPI documents (with -events: of the trimmed webhook documents, default testdata/spec)")
	outDir := flag.String("out", ".", "directory of package zoom (with -events: the file to write, default events_gen.go)")
	events := flag.Bool("events", false, "generate webhook/events_gen.go instead of package zoom")
	restSpec := flag.String("restspec", "../internal/spec", "with -events: directory of the trimmed REST documents, whose models the events reuse")
	verbose := flag.Bool("v", false, "print the generated types and enums")
	flag.Parse()
	if *events {
		// The defaults are package zoom's; run from package webhook, -events
		// defaults to its documents and file.
		set := map[string]bool{}
		flag.Visit(func(f *flag.Flag) { set[f.Name] = true })
		if !set["spec"] {
			*specDir = "testdata/spec"
		}
		if !set["out"] {
			*outDir = "events_gen.go"
		}
		src, err := generateEvents(*specDir, *restSpec)
		if err != nil {
			log.Fatal(err)
		}
		if err := os.WriteFile(*outDir, src, 0o644); err != nil {
			log.Fatal(err)
		}
		return
	}
	g := newGen()
	g.verbose = *verbose
	if err := g.load(*specDir); err != nil {
		log.Fatal(err)
	}
	if err := g.build(); err != nil {
		log.Fatal(err)
	}
	files, err := g.emit()
	if err != nil {
		log.Fatal(err)
	}
	old, _ := filepath.Glob(filepath.Join(*outDir, "zz_*.go"))
	for _, f := range old {
		if _, ok := files[filepath.Base(f)]; !ok {
			if err := os.Remove(f); err != nil {
				log.Fatal(err)
			}
		}
	}
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		p := filepath.Join(*outDir, n)
		if cur, err := os.ReadFile(p); err == nil && string(cur) == string(files[n]) {
			continue
		}
		if err := os.WriteFile(p, files[n], 0o644); err != nil {
			log.Fatal(err)
		}
	}
}

// specOp is one operation of the documents that the SDK covers.
type specOp struct {
	File, Method, Path, ID, Tag string
	Node, PathItem              *ojson.Node
	Def                         opDef
	text                        opText

	// Filled by build.
	params  []*param // path parameters, in path order
	query   []*param // query parameters
	body    *tref    // request body type, or nil
	out     *tref    // response type, or nil
	optName string   // options type name
}

type param struct {
	Name, GoName, Doc string
	Ref               *tref
	Required          bool
	Schema            *ojson.Node
	Kind              string // path params: "string", "id", "instance"
}

type gen struct {
	verbose bool
	ops     []*specOp
	types   map[string]*goType
	enums   map[string]*enumType
	opts    map[string]*goType
	stems   map[string]string // request body type → opDef.Like
}

func newGen() *gen {
	return &gen{types: map[string]*goType{}, enums: map[string]*enumType{}, opts: map[string]*goType{}, stems: map[string]string{}}
}

var httpMethods = []string{"get", "post", "put", "patch", "delete"}

func (g *gen) load(dir string) error {
	seen := map[string]bool{}
	for _, doc := range scope.Documents() {
		data, err := os.ReadFile(filepath.Join(dir, doc.File))
		if err != nil {
			return err
		}
		root, err := ojson.Parse(data)
		if err != nil {
			return fmt.Errorf("%s: %w", doc.File, err)
		}
		for _, p := range root.Fields("paths") {
			for _, m := range p.Value.Members {
				if !slices.Contains(httpMethods, m.Key) {
					continue
				}
				tag := ""
				for _, t := range m.Value.Elems("tags") {
					if slices.Contains(doc.Tags, t.String) {
						tag = t.String
					}
				}
				if tag == "" {
					continue
				}
				id := m.Value.Str("operationId")
				def, ok := operations[id]
				if !ok {
					return fmt.Errorf("%s %s %s (%s): operationId has no entry in the overrides table", doc.File, strings.ToUpper(m.Key), p.Key, id)
				}
				seen[id] = true
				g.ops = append(g.ops, &specOp{
					File: doc.File, Method: strings.ToUpper(m.Key), Path: p.Key, ID: id, Tag: tag,
					Node: m.Value, PathItem: p.Value, Def: def, text: splitDescription(m.Value.Str("description")),
				})
				if op := g.ops[len(g.ops)-1]; op.text.Rate == "" {
					if def.Rate == "" {
						return fmt.Errorf("%s: the documents give no rate-limit label; set opDef.Rate", id)
					}
					op.text.Rate = def.Rate
					op.text.RateAssumed = true
				} else if def.Rate != "" {
					return fmt.Errorf("%s: opDef.Rate set but the documents say %s", id, op.text.Rate)
				}
			}
		}
	}
	var extra []string
	for id := range operations {
		if !seen[id] {
			extra = append(extra, id)
		}
	}
	if len(extra) > 0 {
		sort.Strings(extra)
		return fmt.Errorf("overrides name operations not in scope: %v", extra)
	}
	// Method names must be unique per service.
	byName := map[string]string{}
	for _, op := range g.ops {
		k := op.Def.Service + "." + op.Def.Method
		if o, dup := byName[k]; dup {
			return fmt.Errorf("%s and %s both map to %s", o, op.ID, k)
		}
		byName[k] = op.ID
	}
	return nil
}
