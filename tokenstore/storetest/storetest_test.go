package storetest_test

import (
	"testing"

	"go.uber.org/goleak"

	"github.com/zoomkit/zoomkit/tokenstore"
	"github.com/zoomkit/zoomkit/tokenstore/storetest"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// The suite runs against the reference Memory store with real time.
func TestRunMemory(t *testing.T) {
	storetest.Run(t, func(*testing.T) tokenstore.Store { return tokenstore.NewMemory() })
}
