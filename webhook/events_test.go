package webhook

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/zoomkit/zoomkit/zoom"
)

// specExample is one example event from the trimmed webhook OpenAPI documents.
type specExample struct {
	file, event string
	body        []byte
}

func loadSpecExamples(t testing.TB) []specExample {
	t.Helper()
	files, err := filepath.Glob("testdata/spec/*.json")
	require.NoError(t, err, "no spec files")
	require.NotEmpty(t, files, "no spec files")
	var out []specExample
	for _, f := range files {
		b, err := os.ReadFile(f)
		require.NoError(t, err)
		var doc struct {
			Webhooks map[string]struct {
				Post struct {
					RequestBody struct {
						Content map[string]struct {
							Examples map[string]struct {
								Value string `json:"value"`
							} `json:"examples"`
						} `json:"content"`
					} `json:"requestBody"`
				} `json:"post"`
			} `json:"webhooks"`
		}
		require.NoError(t, json.Unmarshal(b, &doc))
		for name, w := range doc.Webhooks {
			for _, ex := range w.Post.RequestBody.Content["application/json"].Examples {
				out = append(out, specExample{filepath.Base(f), name, []byte(ex.Value)})
			}
		}
	}
	slices.SortFunc(out, func(a, b specExample) int { return strings.Compare(a.event, b.event) })
	return out
}

// specNameErrata lists the wrong "event" values in Zoom's examples (example of key, name it shows).
var specNameErrata = map[string]string{
	"group.member_deleted":        "group.members_deleted",
	"webinar.registration_denied": "webinar.registration_created",
}

// Every event in scope has a typed payload, and every example in Zoom's documents for those events
// decodes into it with no unknown field and re-encodes to the same content.
func TestSpecExamplesRoundTrip(t *testing.T) {
	t.Parallel()
	examples := loadSpecExamples(t)
	covered := map[string]bool{}
	for _, ex := range examples {
		t.Run(ex.event, func(t *testing.T) {
			e, err := ParseEvent(ex.body)
			require.NoError(t, err)
			require.True(t, e.Name == ex.event || specNameErrata[ex.event] == e.Name, "event name %q in the %s example", e.Name, ex.event)
			e.Name = ex.event
			p := newPayload(e.Name)
			require.NotNil(t, p, "no typed payload for %s", e.Name)
			// No field unknown to the typed payload.
			dec := json.NewDecoder(bytes.NewReader(e.Payload))
			dec.DisallowUnknownFields()
			require.NoError(t, dec.Decode(p), "strict decode")
			// No value lost: re-encode and compare with the original.
			re, err := json.Marshal(p)
			require.NoError(t, err)
			var orig, back any
			mustUseNumber(t, e.Payload, &orig)
			mustUseNumber(t, re, &back)
			diff := equivalent("payload", orig, back)
			require.Empty(t, diff, "round trip differs: %s\nre-encoded: %s", diff, re)
			// TypedPayload agrees.
			tp, err := e.TypedPayload()
			require.NoError(t, err, "TypedPayload")
			require.IsType(t, p, tp, "TypedPayload: %T", tp)
		})
		covered[ex.event] = true
	}
	for _, name := range KnownEvents() {
		assert.True(t, covered[name], "no spec example for %s", name)
	}
}

// specDocuments are Zoom's webhook documents of the Meetings, Users, Accounts and Marketplace APIs,
// whose every event has a typed payload.
var specDocuments = []string{"Meetings.json", "Users.json", "Accounts.json", "Marketplace.json"}

// Every event of the four webhook documents is a known event with a typed payload and a registration
// method on Handler, and there is no other. internal/gen/trimspec keeps every event of a document
// (it fails when internal/gen/scope lacks one), so the trimmed documents hold them all.
func TestEveryDocumentedEventIsTyped(t *testing.T) {
	t.Parallel()
	var documented []string
	for _, f := range specDocuments {
		b, err := os.ReadFile(filepath.Join("testdata/spec", f))
		require.NoError(t, err)
		var doc struct {
			Webhooks map[string]json.RawMessage `json:"webhooks"`
		}
		require.NoError(t, json.Unmarshal(b, &doc))
		require.NotEmpty(t, doc.Webhooks, f)
		for name := range doc.Webhooks {
			documented = append(documented, name)
		}
	}
	slices.Sort(documented)
	known := slices.Sorted(slices.Values(KnownEvents()))
	assert.Equal(t, documented, known)
	assert.Len(t, known, len(documented))
	assert.Len(t, known, 138, "Zoom's 2026-03 documents: 105 Meetings, 21 Users, 10 Accounts and 2 Marketplace events")
	h := reflect.TypeFor[*Handler]()
	for _, name := range known {
		p := newPayload(name)
		require.NotNil(t, p, name)
		base := strings.TrimSuffix(reflect.TypeOf(p).Elem().Name(), "Payload")
		m, ok := h.MethodByName("On" + base)
		if assert.True(t, ok, "Handler.On%s for %s", base, name) {
			fn := m.Type.In(1)
			assert.Equal(t, reflect.TypeOf(p), fn.In(2), "Handler.On%s's function takes *%sPayload", base, base)
		}
	}
}

func mustUseNumber(t *testing.T, b []byte, v any) {
	t.Helper()
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	require.NoError(t, d.Decode(v))
}

func zeroish(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case string:
		return x == ""
	case bool:
		return !x
	case json.Number:
		f, err := x.Float64()
		return err == nil && f == 0
	case []any:
		return len(x) == 0
	case map[string]any:
		for _, e := range x {
			if !zeroish(e) {
				return false
			}
		}
		return true
	}
	return false
}

// equivalent compares an original JSON value with its typed round trip. It allows what the typed
// payload normalises and nothing else: zero values may disappear (omitzero), a numeric string id may
// come back as a number (ID), "true"/"false" as a boolean (NullBool), and a time string may come back
// in another RFC 3339 spelling of the same instant (Time).
func equivalent(path string, orig, back any) string {
	if zeroish(orig) && zeroish(back) {
		return ""
	}
	switch o := orig.(type) {
	case map[string]any:
		b, ok := back.(map[string]any)
		if !ok {
			return fmt.Sprintf("%s: object became %T", path, back)
		}
		for k, ov := range o {
			if d := equivalent(path+"."+k, ov, b[k]); d != "" {
				return d
			}
		}
		for k, bv := range b {
			if _, ok := o[k]; !ok && !zeroish(bv) {
				return fmt.Sprintf("%s.%s: invented value %v", path, k, bv)
			}
		}
		return ""
	case []any:
		b, ok := back.([]any)
		if !ok || len(b) != len(o) {
			return fmt.Sprintf("%s: array became %v", path, back)
		}
		for i := range o {
			if d := equivalent(fmt.Sprintf("%s[%d]", path, i), o[i], b[i]); d != "" {
				return d
			}
		}
		return ""
	case string:
		switch b := back.(type) {
		case string:
			if o == b || sameInstant(o, b) {
				return ""
			}
		case json.Number:
			if o == b.String() {
				return ""
			}
		case bool:
			if strings.EqualFold(o, fmt.Sprint(b)) {
				return ""
			}
		}
	case json.Number, bool:
		if reflect.DeepEqual(orig, back) {
			return ""
		}
	}
	return fmt.Sprintf("%s: %#v became %#v", path, orig, back)
}

// sameInstant reports whether a and b are the same instant at whole seconds: zoom.Time keeps a
// decoded fraction of a second but encodes whole seconds, the form Zoom reads.
func sameInstant(a, b string) bool {
	var ta, tb zoom.Time
	if ta.UnmarshalJSON([]byte(`"`+a+`"`)) != nil || tb.UnmarshalJSON([]byte(`"`+b+`"`)) != nil || ta.IsZero() || tb.IsZero() {
		return false
	}
	return ta.Truncate(time.Second).Equal(tb.Truncate(time.Second))
}

// An event's meeting id and time are zoom's types: the id from meeting.created (a number), from
// meeting.started (a string) and from a REST response compare with ==, without a conversion.
func TestEventIDsAndTimesAreZoomTypes(t *testing.T) {
	t.Parallel()
	var created MeetingCreatedPayload
	var started MeetingStartedPayload
	var fromAPI zoom.Meeting
	require.NoError(t, json.Unmarshal([]byte(`{"object":{"id":85393847045,"start_time":"2026-03-01T15:00:00Z"}}`), &created))
	require.NoError(t, json.Unmarshal([]byte(`{"object":{"id":"85393847045","start_time":"2026-03-01T15:00:00.250Z"}}`), &started))
	require.NoError(t, json.Unmarshal([]byte(`{"id":85393847045,"start_time":"2026-03-01T15:00:00Z"}`), &fromAPI))
	assert.Equal(t, zoom.ID(85393847045), created.Object.ID)
	assert.True(t, created.Object.ID == started.Object.ID && started.Object.ID == fromAPI.ID, "ids differ")
	// So does the meeting number of the AI Companion events.
	var aic MeetingAICompanionStartedPayload
	require.NoError(t, json.Unmarshal([]byte(`{"object":{"meeting_number":"85393847045"}}`), &aic))
	assert.Equal(t, fromAPI.ID, aic.Object.MeetingNumber)
	var st zoom.Time = started.Object.StartTime
	assert.True(t, created.Object.StartTime.Equal(fromAPI.StartTime.Time))
	assert.Equal(t, time.Date(2026, 3, 1, 15, 0, 0, 250e6, time.UTC), st.Time)
	// A time Zoom spells oddly decodes as the zero time rather than rejecting the event.
	var odd MeetingStartedPayload
	require.NoError(t, json.Unmarshal([]byte(`{"object":{"id":1,"start_time":"yesterday"}}`), &odd))
	assert.True(t, odd.Object.StartTime.IsZero())
	// A meeting's recurrence in an event is zoom's model.
	var upd MeetingUpdatedPayload
	require.NoError(t, json.Unmarshal([]byte(`{"object":{"id":1,"recurrence":{"type":2,"repeat_interval":1,"weekly_days":"2,4"}}}`), &upd))
	var rec zoom.Recurrence = upd.Object.Recurrence
	assert.Equal(t, "2,4", rec.WeeklyDays)
}

// Events whose payload carries a meeting's or webinar's settings use zoom's settings models, the
// types Meetings.Get and Webinars.Get return.
func TestEventSettingsAreZoomModels(t *testing.T) {
	t.Parallel()
	var upd MeetingUpdatedPayload
	require.NoError(t, json.Unmarshal([]byte(`{"object":{"id":1,"settings":{"join_before_host":false,"jbh_time":5,"approval_type":2}},
		"old_object":{"id":1,"settings":{"join_before_host":true}}}`), &upd))
	var now, before zoom.MeetingSettings = upd.Object.Settings, upd.OldObject.Settings
	assert.False(t, now.JoinBeforeHost)
	assert.Equal(t, 5, now.JBHTime)
	assert.True(t, before.JoinBeforeHost)
	assert.Equal(t, zoom.ApprovalType(2), now.ApprovalType)
	var created MeetingCreatedPayload
	require.NoError(t, json.Unmarshal([]byte(`{"object":{"id":1,"settings":{"use_pmi":true}}}`), &created))
	var cs zoom.MeetingSettings = created.Object.Settings
	assert.True(t, cs.UsePMI)
	var wupd WebinarUpdatedPayload
	require.NoError(t, json.Unmarshal([]byte(`{"object":{"id":1,"settings":{"panelists_video":true}}}`), &wupd))
	var ws zoom.WebinarSettings = wupd.Object.Settings
	assert.True(t, ws.PanelistsVideo)
}

func TestNullBool(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]NullBool{
		`true`: {true, true}, `false`: {false, true}, `"true"`: {true, true}, `"false"`: {false, true},
		`"TRUE"`: {true, true}, `null`: {}, `""`: {},
	} {
		var p AppDeauthorizedPayload
		assert.NoError(t, json.Unmarshal([]byte(`{"user_data_retention":`+in+`}`), &p), in)
		assert.Equal(t, want, p.UserDataRetention, in)
	}
	var b NullBool
	assert.Error(t, json.Unmarshal([]byte(`"yes"`), &b), `"yes" accepted`)
	out, _ := json.Marshal(AppDeauthorizedPayload{UserDataRetention: NullBool{Bool: false, Valid: true}})
	assert.Equal(t, `{"user_data_retention":false}`, string(out), "marshal")
}

// Events beyond the first 36 reach their typed functions through a Handler with the same leniency:
// a quoted millisecond timestamp, the example's date-time spelling, account.updated's old values;
// an event no document names still reaches Fallback with its raw payload, and TypedPayload
// leaves it to the caller.
func TestNewEventsThroughHandler(t *testing.T) {
	t.Parallel()
	f := newFixture(t, nil)
	var got []string
	f.h.OnRecordingRenamed(func(_ context.Context, _ *Event, p *RecordingRenamedPayload) error {
		got = append(got, fmt.Sprintf("renamed %d at %s", p.Object.ID, p.TimeStamp.Format(time.RFC3339Nano)))
		return nil
	})
	f.h.OnUserPresenceStatusUpdated(func(_ context.Context, _ *Event, p *UserPresenceStatusUpdatedPayload) error {
		got = append(got, fmt.Sprintf("presence %s %s %s", p.Object.ID, p.Object.DateTime.Format(time.RFC3339), p.Object.DateTimeAlt.Format(time.RFC3339)))
		return nil
	})
	f.h.OnAccountUpdated(func(_ context.Context, _ *Event, p *AccountUpdatedPayload) error {
		got = append(got, fmt.Sprintf("account %s %q -> %q", p.Object.ID, p.OldObject.AccountAlias, p.Object.AccountAlias))
		return nil
	})
	f.h.Fallback(func(_ context.Context, e *Event) error {
		tp, err := e.TypedPayload()
		var m map[string]any
		require.NoError(t, e.Unmarshal(&m))
		got = append(got, fmt.Sprintf("fallback %s %v %v %v", e.Name, tp, err, m["object"]))
		return nil
	})
	for _, body := range []string{
		`{"event":"recording.renamed","event_ts":1700000000001,"payload":{"account_id":"a","time_stamp":"1628705277325","object":{"uuid":"u","id":1234567890}}}`,
		`{"event":"user.presence_status_updated","event_ts":"1700000000002","payload":{"object":{"id":"z8y","date_time":"2026-03-01T09:00:00Z","date-time":"2026-03-01T09:00:01Z"}}}`,
		`{"event":"account.updated","event_ts":1700000000003,"payload":{"object":{"id":"abc","account_alias":"JChill"},"old_object":{"id":"abc","account_alias":"Jill_Chill"}}}`,
		`{"event":"phone.callee_ringing","event_ts":1700000000004,"payload":{"object":{"id":"c1"}}}`,
	} {
		w := f.deliver(t, testSecret, body)
		require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	}
	assert.Equal(t, []string{
		"renamed 1234567890 at 2021-08-11T18:07:57.325Z",
		"presence z8y 2026-03-01T09:00:00Z 2026-03-01T09:00:01Z",
		`account abc "Jill_Chill" -> "JChill"`,
		"fallback phone.callee_ringing <nil> <nil> map[id:c1]",
	}, got)
	var m Millis
	for _, bad := range []string{`"soon"`, `"+1"`, `1.5`, `true`} {
		assert.Error(t, json.Unmarshal([]byte(bad), &m), bad)
	}
	out, err := json.Marshal(RecordingRenamedPayload{TimeStamp: Millis{time.UnixMilli(1628705277325)}})
	require.NoError(t, err)
	assert.JSONEq(t, `{"time_stamp":1628705277325}`, string(out))
}
