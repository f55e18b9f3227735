package storetest_test

import (
	"flag"
	"fmt"
	"testing"

	"github.com/zoomkit/zoomkit/tokenstore"
	"github.com/zoomkit/zoomkit/tokenstore/storetest"
)

// runTest runs f as a test outside "go test"'s own list, quietly (so that
// the example's output stays the same under -v), and reports whether it
// passed.
func runTest(f func(t *testing.T)) bool {
	if v := flag.Lookup("test.v"); v != nil {
		old := v.Value.String()
		_ = v.Value.Set("false")
		defer func() { _ = v.Value.Set(old) }()
	}
	return testing.RunTests(func(_, _ string) (bool, error) { return true, nil },
		[]testing.InternalTest{{Name: "TestStore", F: f}})
}

// In a _test.go file, run the suite against a Store implementation:
//
//	func TestMyStore(t *testing.T) {
//		storetest.Run(t, func(t *testing.T) tokenstore.Store { return newMyStore(t) })
//	}
//
// Here the suite runs against the Memory store.
func ExampleRun() {
	ok := runTest(func(t *testing.T) {
		storetest.Run(t, func(*testing.T) tokenstore.Store { return tokenstore.NewMemory() })
	})
	fmt.Println("Memory passes the suite:", ok)
	// Output: Memory passes the suite: true
}
