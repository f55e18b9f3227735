package webhook

import (
	"reflect"
	"testing"

	"github.com/zoomkit/zoomkit/internal/redact/redacttest"
)

// TestPayloadsRedactSecrets walks every typed payload of a known event and
// the structs nested in it, fills each with canaries in its secrets (by
// the test's own judgment, see redacttest.Fill), and checks that no
// printing of the value or of a pointer to it shows one, while
// json.Marshal keeps them all.
func TestPayloadsRedactSecrets(t *testing.T) {
	var roots []reflect.Type
	for _, name := range KnownEvents() {
		roots = append(roots, reflect.TypeOf(newPayload(name)).Elem())
	}
	covered := map[string]bool{}
	for _, typ := range redacttest.Structs(roots...) {
		t.Run(typ.Name(), func(t *testing.T) {
			covered[typ.Name()] = redacttest.Check(t, typ)
		})
	}
	for _, name := range []string{"MeetingCreatedPayload", "MeetingCreatedObject", "RecordingCompletedPayload"} {
		if !covered[name] {
			t.Errorf("%s holds no secret the test could plant", name)
		}
	}
}
