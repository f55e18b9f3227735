package zoom

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/zoomkit/zoomkit/internal/spec"
)

// docBody returns the body internal/spec documents for the success
// response of operation id (see docExample), as a JSON value to edit.
func docBody(t *testing.T, id string, pick int) map[string]any {
	t.Helper()
	s, err := spec.Load()
	require.NoError(t, err)
	op := s.ByID(id)
	require.NotNil(t, op, id)
	_, rs := successSchema(op)
	require.NotNil(t, rs, "%s documents no success body", id)
	raw, err := json.Marshal(docExample(rs, pick, 0))
	require.NoError(t, err)
	var body map[string]any
	decodeNumbers(t, raw, &body)
	return body
}

// setEvery sets key to val wherever it occurs in v, and returns how often.
func setEvery(v any, key string, val any) int {
	n := 0
	switch x := v.(type) {
	case map[string]any:
		for k, c := range x {
			if k == key {
				x[k] = val
				n++
				continue
			}
			n += setEvery(c, key, val)
		}
	case []any:
		for _, c := range x {
			n += setEvery(c, key, val)
		}
	}
	return n
}

// valuesOf collects the values of key wherever it occurs in v.
func valuesOf(v any, key string) []any {
	var out []any
	switch x := v.(type) {
	case map[string]any:
		for k, c := range x {
			if k == key {
				out = append(out, c)
			}
			out = append(out, valuesOf(c, key)...)
		}
	case []any:
		for _, c := range x {
			out = append(out, valuesOf(c, key)...)
		}
	}
	return out
}

func reportWindow() (string, string) {
	today := DateOf(time.Now().UTC())
	return today.AddDays(-10).String(), today.AddDays(-1).String()
}

// replyWith answers the next call of c with body.
func replyWith(t *testing.T, body any) *Client {
	t.Helper()
	raw, err := json.Marshal(body)
	require.NoError(t, err)
	c, mt := setup(t)
	replyJSON(mt, http.StatusOK, raw)
	return c
}

// Zoom's examples send a remote support log's meeting_number as a string
// ("93201235621") where the documents say integer: the nested id is kept,
// as a top-level one is, and nothing is reported as lost (issue 16, item 3).
func TestNestedIDSentAsString(t *testing.T) {
	body := docBody(t, "Getremotesupportreport", 0)
	require.Equal(t, 1, setEvery(body, "meeting_number", "93201235621"))
	c := replyWith(t, body)
	from, to := reportWindow()
	r, resp, err := c.Reports.GetRemoteSupport(t.Context(), &GetRemoteSupportReportOptions{From: from, To: to})
	require.NoError(t, err)
	require.Len(t, r.RemoteSupportLogs, 1)
	assert.EqualValues(t, 93201235621, r.RemoteSupportLogs[0].MeetingNumber)
	assert.Empty(t, resp.DecodeWarnings)

	// What says no number is left at zero, and reported at its path.
	setEvery(body, "meeting_number", "room 5")
	c = replyWith(t, body)
	r, resp, err = c.Reports.GetRemoteSupport(t.Context(), &GetRemoteSupportReportOptions{From: from, To: to})
	require.NoError(t, err)
	assert.Zero(t, r.RemoteSupportLogs[0].MeetingNumber)
	assert.Equal(t, []DecodeWarning{{Field: "remote_support_logs[].meeting_number", Want: "int", Got: "string"}}, resp.DecodeWarnings)
}

// Zoom's documented history meeting has "group": "group_01" where the
// schema says a list: a lone value is a list of one (issue 16, item 4).
func TestHistoryMeetingLoneGroup(t *testing.T) {
	body := docBody(t, "Gethistorymeetingandwebinarlist", 0)
	require.Equal(t, []any{"group_01"}, valuesOf(body, "group"), "the documented example")
	c := replyWith(t, body)
	from, to := reportWindow()
	r, resp, err := c.Reports.ListHistoryMeetings(t.Context(), &ListHistoryMeetingsReportOptions{From: from, To: to})
	require.NoError(t, err)
	require.Len(t, r.HistoryMeetings, 1)
	assert.Equal(t, []string{"group_01"}, r.HistoryMeetings[0].Group)
	assert.Empty(t, resp.DecodeWarnings)
}

// GroupSettings' languages and unchecked_data_center_regions are lists
// whose documents give an enum of single values: a lone value Zoom sends
// is a list of one, through the real method (issue 16, item 4).
func TestGroupSettingsLoneListValues(t *testing.T) {
	body := docBody(t, "getGroupSettings", 0)
	require.Positive(t, setEvery(body, "languages", "English"))
	require.Positive(t, setEvery(body, "unchecked_data_center_regions", "EU"))
	c := replyWith(t, body)
	gs, resp, err := c.Groups.GetSettings(t.Context(), "gr0up1d", nil)
	require.NoError(t, err)
	assert.Empty(t, resp.DecodeWarnings)
	re, err := json.Marshal(gs)
	require.NoError(t, err)
	var back any
	decodeNumbers(t, re, &back)
	langs, regions := valuesOf(back, "languages"), valuesOf(back, "unchecked_data_center_regions")
	require.NotEmpty(t, langs)
	require.NotEmpty(t, regions)
	for _, v := range langs {
		assert.Equal(t, []any{"English"}, v)
	}
	for _, v := range regions {
		assert.Equal(t, []any{"EU"}, v)
	}
}

// Every field of the wrong JSON kind is reported, not only the first:
// at the top level, in different items of a list and inside nested
// objects of one item (issue 16, item 4).
func TestEveryKindMismatchIsReported(t *testing.T) {
	body := docBody(t, "Gethistorymeetingandwebinarlist", 0)
	item := body["history_meetings"].([]any)[0].(map[string]any)
	second := map[string]any{}
	for k, v := range item {
		second[k] = v
	}
	item["participants"] = "many"
	item["feature_used"] = "all of them"
	second["duration"] = map[string]any{"minutes": 5}
	second["custom_fields"] = true
	body["history_meetings"] = []any{item, second}
	body["page_size"] = []any{30}
	c := replyWith(t, body)
	from, to := reportWindow()
	r, resp, err := c.Reports.ListHistoryMeetings(t.Context(), &ListHistoryMeetingsReportOptions{From: from, To: to})
	require.NoError(t, err)
	require.Len(t, r.HistoryMeetings, 2)
	assert.Equal(t, []string{"group_01"}, r.HistoryMeetings[0].Group, "the rest of the item still decodes")
	got := map[string]string{}
	for _, w := range resp.DecodeWarnings {
		got[w.Field] = w.Got
	}
	assert.Equal(t, map[string]string{
		"history_meetings[].participants":  "string",
		"history_meetings[].feature_used":  "string",
		"history_meetings[].duration":      "object",
		"history_meetings[].custom_fields": "bool",
		"page_size":                        "array",
	}, got)
}
