package webhook

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A specContradiction is a place where one of Zoom's webhook documents contradicts itself: an
// example event whose value does not fit the event's schema (or names another event), or a schema
// the generator has to read past. Resolution says what the typed payload does about it.
type specContradiction struct {
	Kind        string // "name" (the example's event name), "value" (a value the schema does not allow), "member" or "schema"
	Event, Path string // Path is below the event body ("payload.object.id")
	Example     string // what the example shows
	Schema      string // what the schema says
	Resolution  string
}

// specContradictions lists every contradiction in the four webhook documents, in one place.
// TestSpecContradictionsListed checks that the examples' mismatches are exactly the ones listed
// here as "value"; "schema" entries are the schemas' own slips. Two whole classes are resolved by a
// rule rather than listed one by one: ids that the schema types integer and an example sends as a
// numeric string, or the other way round, decode into zoom.ID (integerIDAsString), and members an example shows
// but its schema lacks are added to the payload type, typed from the example value and documented
// "Not in Zoom's schema; present in its example event" (the test counts them: exampleOnlyMembers).
var specContradictions = []specContradiction{
	{"name", "group.member_deleted", "event", `"group.members_deleted"`, `"group.member_deleted"`,
		"Both names reach OnGroupMemberDeleted (eventAliases)."},
	{"name", "webinar.registration_denied", "event", `"webinar.registration_created"`, `"webinar.registration_denied"`,
		"A copy-paste slip in the example: the example is decoded as webinar.registration_denied."},
	{"value", "app.authorization_request_created", "event_ts", `"1641884378841" (quoted)`, "integer",
		"ParseEvent reads an event_ts sent as a quoted number like a number."},
	{"value", "app_deauthorized", "payload.event_ts", `"2024-09-08 15:58:40"`, "number",
		"Kept raw (json.RawMessage): both spellings decode and re-encode unchanged."},
	{"value", "recording.renamed", "payload.time_stamp", `"1628705277325" (quoted)`, "number",
		"Millis: epoch milliseconds, a number or a quoted number."},
	{"value", "meeting.chat_message_sent", "payload.object.chat_message.date_time", `"GMT20220110-072010"`, "string, format date-time",
		"A string, as received: zoom.Time would read the example's spelling as the zero time."},
	{"value", "meeting.chat_message_file_sent", "payload.object.chat_message_file.date_time", `"GMT20220110-072010"`, "string, format date-time",
		"A string, as received (as meeting.chat_message_sent)."},
	{"value", "webinar.chat_message_sent", "payload.object.chat_message.date_time", `"GMT20220110-072010"`, "string, format date-time",
		"A string, as received (as meeting.chat_message_sent)."},
	{"value", "webinar.chat_message_file_sent", "payload.object.chat_message_file.date_time", `"GMT20220110-072010"`, "string, format date-time",
		"A string, as received (as meeting.chat_message_sent)."},
	{"value", "account.lock_settings_updated", "payload.object.settings.recording.auto_recording", `"cloud"`, "boolean (whether the setting is locked)",
		"Kept raw (json.RawMessage): a boolean and the example's string both decode."},
	{"value", "account.lock_settings_updated", "payload.old_object.settings.recording.auto_recording", `"cloud"`, "boolean (whether the setting is locked)",
		"Kept raw (json.RawMessage), as in object."},
	{"member", "user.presence_status_updated", "payload.object.date-time", `a "date-time" member`, `a "date_time" member`,
		"Both decode: DateTime (the schema's date_time) and DateTimeAlt (the example's date-time)."},
	{"member", "account.updated", "payload.old_object", "the changed members of object with their old values", `one placeholder member, "$changed_field_name"`,
		"old_object has object's type, AccountUpdatedObject."},
	{"schema", "account.settings_updated", "payload.object.settings.chat", "", `"type": "object" among chat's properties`,
		"internal/gen/trimspec drops it from the trimmed copy (it is not a schema; chat is an object)."},
	{"schema", "account.settings_updated", "payload.object.settings.in_meeting.ports_range", "", `"minimum": "1", "maximum": "65535" (strings) on a string`,
		"internal/gen/trimspec drops them from the trimmed copy (invalid JSON Schema; they would not apply to a string)."},
	{"schema", "recording.batch_deleted", "payload.object.meetings[].recording_file_ids", "", `"item" for "items"`,
		"The generator reads item as items: a []string."},
	{"schema", "recording.batch_recovered", "payload.object.meetings[].recording_file_ids", "", `"item" for "items"`,
		"The generator reads item as items: a []string."},
}

// exampleOnlyMembers is how many members Zoom's examples show that their schemas lack (each is
// added to the payload type; see specContradictions).
const exampleOnlyMembers = 41

// TestSpecContradictionsListed walks every example event of the four documents beside its schema and
// checks that each value the schema does not allow is listed in specContradictions (or resolved by
// the integer id rule), that each listed example mismatch is still there, and counts the members the
// schemas lack.
func TestSpecContradictionsListed(t *testing.T) {
	t.Parallel()
	listed := map[string]bool{}
	for _, c := range specContradictions {
		if c.Kind == "value" {
			listed[c.Event+" "+c.Path] = true
		}
		assert.NotEmpty(t, c.Resolution, "%s %s", c.Event, c.Path)
	}
	found := map[string]bool{}
	extra := 0
	for _, f := range specDocuments {
		b, err := os.ReadFile(filepath.Join("testdata/spec", f))
		require.NoError(t, err)
		var doc map[string]any
		require.NoError(t, json.Unmarshal(b, &doc))
		w := schemaWalker{doc: doc}
		for name, hook := range doc["webhooks"].(map[string]any) {
			content := dig(hook, "post", "requestBody", "content", "application/json").(map[string]any)
			for _, ex := range content["examples"].(map[string]any) {
				var v any
				require.NoError(t, json.Unmarshal([]byte(ex.(map[string]any)["value"].(string)), &v), name)
				w.walk(name, "", content["schema"], v)
			}
		}
		for _, m := range w.mismatches {
			found[m] = true
		}
		extra += w.extra
	}
	assert.Equal(t, slices.Sorted(keys(listed)), slices.Sorted(keys(found)), "example values their schema does not allow")
	assert.Equal(t, exampleOnlyMembers, extra, "example members their schema lacks")
	// The listed event-name slips are the ones the round-trip test forgives.
	for ev, shown := range specNameErrata {
		i := slices.IndexFunc(specContradictions, func(c specContradiction) bool { return c.Event == ev && c.Kind == "name" })
		if assert.GreaterOrEqual(t, i, 0, "%s is not listed", ev) {
			assert.Equal(t, `"`+shown+`"`, specContradictions[i].Example)
		}
	}
}

func keys(m map[string]bool) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

func dig(v any, path ...string) any {
	for _, p := range path {
		v = v.(map[string]any)[p]
	}
	return v
}

// schemaWalker compares example values with the JSON schema of Zoom's webhook documents.
type schemaWalker struct {
	doc        map[string]any
	mismatches []string // "event path" of each value the schema does not allow
	extra      int      // members an example shows that an object schema with properties lacks
}

var (
	rfc3339Prefix = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d`)
	integerString = regexp.MustCompile(`^-?\d+$`)
)

func (w *schemaWalker) resolve(s any) map[string]any {
	m, _ := s.(map[string]any)
	for m != nil && m["$ref"] != nil {
		var t any = w.doc
		for _, p := range strings.Split(strings.TrimPrefix(m["$ref"].(string), "#/"), "/") {
			if p == "paths" {
				p = "webhooks" // Zoom's webhook documents point into paths but hold webhooks
			}
			t = t.(map[string]any)[strings.ReplaceAll(p, "~1", "/")]
		}
		m, _ = t.(map[string]any)
	}
	return m
}

func (w *schemaWalker) props(s map[string]any) map[string]any {
	out := map[string]any{}
	for _, k := range []string{"allOf", "oneOf", "anyOf"} {
		subs, _ := s[k].([]any)
		for _, sub := range subs {
			p, _ := w.resolve(sub)["properties"].(map[string]any)
			for n, v := range p {
				out[n] = v
			}
		}
	}
	p, _ := s["properties"].(map[string]any)
	for n, v := range p {
		out[n] = v
	}
	return out
}

func (w *schemaWalker) walk(event, path string, schema, v any) {
	s := w.resolve(schema)
	if s == nil {
		return
	}
	typ, _ := s["type"].(string)
	bad := func() { w.mismatches = append(w.mismatches, event+" "+path) }
	join := func(k string) string {
		if path == "" {
			return k
		}
		return path + "." + k
	}
	switch x := v.(type) {
	case map[string]any:
		if typ != "" && typ != "object" {
			bad()
			return
		}
		props := w.props(s)
		for k, e := range x {
			if p, ok := props[k]; ok {
				w.walk(event, join(k), p, e)
			} else if len(props) > 0 {
				w.extra++
			}
		}
	case []any:
		if typ != "array" {
			bad()
			return
		}
		items := s["items"]
		if items == nil {
			items = s["item"]
		}
		for _, e := range x {
			w.walk(event, path+"[]", items, e)
		}
	case bool:
		if typ != "boolean" {
			bad()
		}
	case float64:
		if typ != "integer" && typ != "number" && (typ != "string" || !isIDPath(path)) { // integerIDAsString
			bad()
		}
	case string:
		switch {
		case typ == "integer" && isIDPath(path) && integerString.MatchString(x):
			// integerIDAsString: zoom.ID reads both.
		case typ != "string":
			bad()
		case s["format"] == "date-time" && x != "" && !rfc3339Prefix.MatchString(x):
			bad()
		}
	case nil:
	default:
		panic(fmt.Sprintf("%T", v))
	}
}

// isIDPath reports whether the member at path is an id (id, *_id, pmi), which zoom.ID holds.
func isIDPath(path string) bool {
	name := path[strings.LastIndexByte(path, '.')+1:]
	return name == "id" || strings.HasSuffix(name, "_id") || name == "pmi"
}
