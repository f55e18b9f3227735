// Command trimspec makes the trimmed OpenAPI documents in internal/spec from
// Zoom's full API-hub documents: it keeps only the operations of the tags
// the SDK covers (and the document's servers, info and components), in the
// original member order.
//
// It is run by hand, from the repository root, when Zoom's documents are
// refreshed (the full documents are not part of the repository; they are
// downloaded from https://developers.zoom.us/api-hub/<family>/methods/endpoints.json):
//
//	go run ./internal/gen/trimspec -src /path/to/zoom-api/openapi/endpoints -dst internal/spec
//	go generate ./zoom/
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
)

// keep lists, per source document, the trimmed file and the tags kept.
var keep = []struct {
	src, dst string
	tags     []string
}{
	{"Meetings.json", "meetings.json", []string{"Meetings", "Invitation & Registration", "Webinars", "Reports", "Cloud Recording"}},
	{"Users.json", "users.json", []string{"Users", "Groups"}},
	{"Accounts.json", "accounts.json", []string{"Roles"}},
	{"Team_Chat.json", "team_chat.json", []string{"Contacts"}},
}

var methods = []string{"get", "put", "post", "delete", "options", "head", "patch", "trace"}

func main() {
	src := flag.String("src", "", "directory of Zoom's full OpenAPI documents (Meetings.json, Users.json, Accounts.json, Team_Chat.json from the API hub)")
	dst := flag.String("dst", "internal/spec", "directory for the trimmed documents")
	flag.Parse()
	if *src == "" {
		log.Fatal("trimspec: -src is required")
	}
	total := 0
	for _, k := range keep {
		data, err := os.ReadFile(filepath.Join(*src, k.src))
		if err != nil {
			log.Fatal(err)
		}
		doc, err := ojson.Parse(data)
		if err != nil {
			log.Fatalf("%s: %v", k.src, err)
		}
		n := trim(doc, k.tags)
		total += n
		var b bytes.Buffer
		doc.Encode(&b, 0)
		b.WriteByte('\n')
		if err := os.WriteFile(filepath.Join(*dst, k.dst), b.Bytes(), 0o644); err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%s: %d operations\n", k.dst, n)
	}
	fmt.Printf("total: %d operations\n", total)
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
