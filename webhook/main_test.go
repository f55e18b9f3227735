package webhook

import (
	"flag"
	"fmt"
	"os"
	"testing"

	"go.uber.org/goleak"
)

var (
	compare = flag.Bool("zoomkit.compare", false, "instead of the tests, compare verify + decode with raw HMAC + encoding/json, alternating in blocks (see compareBlocks)")
	blocks  = flag.Int("zoomkit.blocks", 10, "blocks for -zoomkit.compare")
)

func TestMain(m *testing.M) {
	flag.Parse()
	if *compare {
		if err := compareBlocks(os.Stdout, *blocks); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	goleak.VerifyTestMain(m)
}
