package zoom

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/zoomkit/zoomkit/internal/redact/redacttest"
)

// TestGeneratedTypesRoundTrip encodes a fully set value of every generated
// type and decodes it back: the wire format keeps every value.
func TestGeneratedTypesRoundTrip(t *testing.T) {
	require.GreaterOrEqual(t, len(generatedTypes), 100, "generatedTypes lists %d types", len(generatedTypes))
	for _, typ := range generatedTypes {
		t.Run(typ.Name(), func(t *testing.T) {
			p, _ := redacttest.Fill(typ)
			b, err := json.Marshal(p.Interface())
			require.NoError(t, err)
			back := reflect.New(typ)
			err = json.Unmarshal(b, back.Interface())
			require.NoError(t, err)
			b2, err := json.Marshal(back.Interface())
			require.NoError(t, err)
			require.True(t, bytes.Equal(b, b2), "round trip changed the value:\n%s\n%s", b, b2)
		})
	}
}
