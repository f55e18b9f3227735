package zoom

import (
	"encoding/json"
	"io"
	"log/slog"
	"reflect"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zoomkit/zoomkit/internal/redact/redacttest"
)

// TestGeneratedTypesRedactSecrets fills every generated type with canaries
// in its secrets (by the test's own judgment of what is a secret, see
// redacttest.Fill) and checks that no printing of the value or of a
// pointer to it shows one, while json.Marshal keeps them all.
func TestGeneratedTypesRedactSecrets(t *testing.T) {
	covered := map[string]bool{}
	for _, typ := range generatedTypes {
		t.Run(typ.Name(), func(t *testing.T) {
			covered[typ.Name()] = redacttest.Check(t, typ)
		})
	}
	for _, name := range []string{"Meeting", "MeetingList", "Webinar", "MeetingSettings", "Registrant", "RecordingList", "User"} {
		if !covered[name] {
			t.Errorf("%s holds no secret the test could plant", name)
		}
	}
}

func TestDownloadOptionsRedacted(t *testing.T) {
	o := DownloadOptions{AccessToken: redacttest.Canary}
	for _, v := range []any{o, &o} {
		for how, s := range redacttest.Printings(v) {
			assert.NotContains(t, s, redacttest.Canary, "%T printed with %s: %s", v, how, s)
			assert.Contains(t, s, "REDACTED", "%T printed with %s: %s", v, how, s)
		}
	}
	require.Equal(t, Secret(redacttest.Canary), o.AccessToken, "printing changed the value")
}

// TestRedactedPrintings pins what a redacted Meeting looks like: the
// secrets replaced, the rest (including the meeting in its join URL) kept.
func TestRedactedPrintings(t *testing.T) {
	m := Meeting{ID: 85746065, StartURL: "https://zoom.us/s/85746065?zak=" + redacttest.Canary, JoinURL: "https://zoom.us/j/85746065?pwd=" + redacttest.Canary, Password: redacttest.Canary}
	got := redacttest.Printings(&m)
	for how, want := range map[string]string{
		"slog JSON": `"value":{"id":85746065,"join_url":"https://zoom.us/j/85746065?pwd=REDACTED","password":"REDACTED","start_url":"REDACTED"}`,
		"slog text": `value="{AssistantID: HostEmail: HostID: ID:85746065 `,
		"%#v":       `zoom.Meeting{AssistantID:"", HostEmail:"", HostID:"", ID:85746065, `,
		"%v":        ` https://zoom.us/j/85746065?pwd=REDACTED `,
	} {
		assert.Contains(t, got[how], want, "%s:\n%s\nwant it to contain\n%s", how, got[how], want)
	}
	assert.Contains(t, got["%+v"], "JoinURL:https://zoom.us/j/85746065?pwd=REDACTED ", got["%+v"])
	assert.Contains(t, got["%+v"], "StartURL:REDACTED ", got["%+v"])
}

// BenchmarkRedaction measures decoding a meeting list (which the redaction
// methods must leave as fast as without them: they are methods only) and
// logging one with slog's JSON handler.
func BenchmarkRedaction(b *testing.B) {
	p, _ := redacttest.Fill(reflect.TypeFor[MeetingList]())
	l := p.Interface().(*MeetingList)
	for range 29 {
		l.Meetings = append(l.Meetings, l.Meetings[0])
	}
	data, err := json.Marshal(l)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("decode", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			var l MeetingList
			if err := json.Unmarshal(data, &l); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("slogJSON", func(b *testing.B) {
		logger := slog.New(slog.NewJSONHandler(io.Discard, nil))
		b.ReportAllocs()
		for b.Loop() {
			logger.Info("meetings", "list", l)
		}
	})
}
