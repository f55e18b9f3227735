package tokenstore_test

import (
	"testing"
	"testing/synctest"

	"github.com/zoomkit/zoomkit/tokenstore"
	"github.com/zoomkit/zoomkit/tokenstore/storetest"
)

func inBubble(t *testing.T, f func(*testing.T)) { synctest.Test(t, f) }

func TestMemoryConformance(t *testing.T) {
	storetest.Run(t, func(*testing.T) tokenstore.Store { return tokenstore.NewMemory() },
		storetest.WithWrap(inBubble))
}
