// Command webhookgen is kept only because webhook's go:generate line runs
// it: it forwards to the events emitter of zoomgen (internal/gen/zoomgen,
// the one generator), with the same flags:
//
//	go run ../internal/gen/zoomgen -events -spec testdata/spec -out events_gen.go
//
// Delete it once webhook/generate.go runs zoomgen directly.
package main

import (
	"flag"
	"log"
	"os"
	"os/exec"
)

func main() {
	specDir := flag.String("spec", "testdata/spec", "directory holding the trimmed webhook OpenAPI documents")
	out := flag.String("out", "events_gen.go", "output file")
	flag.Parse()
	// go generate puts the go command of the running toolchain first in PATH.
	cmd := exec.Command("go", "run", "github.com/zoomkit/zoomkit/internal/gen/zoomgen", "-events", "-spec", *specDir, "-out", *out)
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	if err := cmd.Run(); err != nil {
		log.Fatalf("webhookgen: zoomgen -events: %v", err)
	}
}
