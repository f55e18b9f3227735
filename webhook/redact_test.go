package webhook

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/stretchr/testify/assert"

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
	// Payloads known to carry one: a meeting password and join URL, a recording download token, a
	// live stream's key and URL, a transcript's download URL, a PMI password among user settings,
	// an archiving service's channel token among account settings, a summary document's URL.
	for _, name := range []string{
		"MeetingCreatedPayload", "MeetingCreatedObject", "RecordingCompletedPayload",
		"MeetingLiveStreamingStartedPayload", "RecordingTranscriptCompletedPayload", "RecordingTrashedPayload",
		"UserSettingsUpdatedPayload", "AccountSettingsUpdatedPayload", "MeetingSummaryCompletedPayload",
	} {
		assert.True(t, covered[name], "%s holds no secret the test could plant", name)
	}
}

// TestEventPrintsNoSecret checks that an Event, as a value or a pointer,
// prints neither its download token nor its raw body (which holds the
// payload's secrets), while its name shows.
func TestEventPrintsNoSecret(t *testing.T) {
	e := Event{
		Name:          EventRecordingCompleted,
		Payload:       json.RawMessage(`{"object":{"password":"` + redacttest.Canary + `"}}`),
		DownloadToken: redacttest.Canary,
		Raw:           json.RawMessage(`{"download_token":"` + redacttest.Canary + `"}`),
	}
	for _, v := range []any{e, &e} {
		for how, s := range redacttest.Printings(v) {
			assert.NotContains(t, s, redacttest.Canary, "%T printed with %s:\n%s", v, how, s)
			assert.Contains(t, s, EventRecordingCompleted, "%T printed with %s:\n%s", v, how, s)
		}
	}
}
