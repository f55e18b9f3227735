package zoom

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/google/go-querystring/query"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestTimeDecodesLeniently(t *testing.T) {
	for in, want := range map[string]time.Time{
		`"2022-03-23T05:31:16Z"`:      time.Date(2022, 3, 23, 5, 31, 16, 0, time.UTC),
		`"2019-06-17T13:52:28.632Z"`:  time.Date(2019, 6, 17, 13, 52, 28, 632e6, time.UTC),
		`"2026-11-24T09:00:00+01:00"`: time.Date(2026, 11, 24, 8, 0, 0, 0, time.UTC),
		`"2026-11-24T09:00:00"`:       time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC),
		`"2026-11-24"`:                time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC),
		`"2013-5-9"`:                  time.Date(2013, 5, 9, 0, 0, 0, 0, time.UTC),
		`1700000000000`:               time.UnixMilli(1700000000000),
		`""`:                          {},
		`null`:                        {},
		`"not a time"`:                {},
		`true`:                        {},
	} {
		var got Time
		if err := json.Unmarshal([]byte(in), &got); err != nil {
			t.Errorf("%s: %v", in, err)
			continue
		}
		assert.True(t, got.Equal(want), "%s: got %v, want %v", in, got.Time, want)
	}
	b, _ := json.Marshal(struct {
		T Time `json:"t,omitzero"`
		U Time `json:"u"`
	}{T: NewTime(time.Date(2026, 1, 2, 3, 4, 5, 0, time.FixedZone("x", 3600)))})
	require.Equal(t, `{"t":"2026-01-02T02:04:05Z","u":null}`, string(b), "marshal: %s", b)
}

func TestDate(t *testing.T) {
	d, err := ParseDate("2026-02-28")
	require.NoError(t, err, "%v %v", d, err)
	require.Equal(t, "2026-02-28", d.String(), "%v %v", d, err)
	require.Equal(t, "2026-03-01", d.AddDays(1).String(), "%v %v", d, err)
	_, err = ParseDate("28/02/2026")
	require.Error(t, err, "bad date accepted")
	var got struct{ D Date }
	if err := json.Unmarshal([]byte(`{"D":"2026-11-24T10:00:00Z"}`), &got); err != nil || got.D != (Date{2026, 11, 24}) {
		t.Fatalf("%v %v", got, err)
	}
	v := url.Values{}
	_ = d.EncodeValues("from", &v)
	_ = Date{}.EncodeValues("to", &v)
	require.Equal(t, "from=2026-02-28", v.Encode(), "query %q", v.Encode())
	if !d.Before(d.AddDays(1)) || d.AddDays(1).Before(d) {
		t.Fatal("Before")
	}
}

// Zoom sends integers as strings and strings as numbers, nested or not,
// and a lone value where its documents say a list: the client keeps what
// Zoom meant, whatever the depth (issue 16, items 3 and 4).
func TestDecodeRepairsNestedValues(t *testing.T) {
	body := []byte(`{"remote_support_logs":[
		{"meeting_number":"93201235621","duration":"1.0e3","topic":42},
		{"meeting_number":93201235622}],
		"page_size":"30","next_page_token":"t"}`)
	var r RemoteSupportReport
	err := json.Unmarshal(body, &r)
	var te *json.UnmarshalTypeError
	require.ErrorAs(t, err, &te, "encoding/json reported %v, want a type mismatch", err)
	ws := repairDecode(body, &r, te)
	assert.Len(t, ws, 0, "warnings %+v, want none: every value said what Zoom meant", ws)
	if len(r.RemoteSupportLogs) != 2 || r.RemoteSupportLogs[0].MeetingNumber != 93201235621 || r.RemoteSupportLogs[1].MeetingNumber != 93201235622 {
		t.Errorf("logs %+v", r.RemoteSupportLogs)
	}
	assert.Equal(t, 30, r.PageSize, "page %d %q", r.PageSize, r.NextPageToken)
	assert.Equal(t, "t", r.NextPageToken, "page %d %q", r.PageSize, r.NextPageToken)

	hbody := []byte(`{"history_meetings":[{"group":"Sales","participants":"12"},{"group":["A","B"],"participants":3}]}`)
	var h HistoryMeetingsReport
	err = json.Unmarshal(hbody, &h)
	require.ErrorAs(t, err, &te, "encoding/json reported %v", err)
	ws = repairDecode(hbody, &h, te)
	assert.Len(t, ws, 0, "warnings %+v", ws)
	if len(h.HistoryMeetings) != 2 || !slices.Equal(h.HistoryMeetings[0].Group, []string{"Sales"}) || h.HistoryMeetings[0].Participants != 12 ||
		!slices.Equal(h.HistoryMeetings[1].Group, []string{"A", "B"}) || h.HistoryMeetings[1].Participants != 3 {
		t.Errorf("history meetings %+v", h.HistoryMeetings)
	}
}

func TestSecretJSONKeepsValue(t *testing.T) {
	b, _ := json.Marshal(struct {
		S Secret `json:"start_url"`
	}{"https://zoom.us/s/1?zak=abc"})
	require.Equal(t, `{"start_url":"https://zoom.us/s/1?zak=abc"}`, string(b), "%s", b)
	require.Equal(t, "x", Secret("x").Reveal(), "Reveal/String")
	require.Equal(t, "", Secret("").String(), "Reveal/String")
}

func TestLatestOf(t *testing.T) {
	require.Equal(t, InstanceID("95555571001"), LatestOf(95555571001))
}

// A zero Date prints empty, not as the year -1 (issue 18).
func TestZeroDatePrintsEmpty(t *testing.T) {
	var d Date
	s := d.String()
	assert.Equal(t, "", s, "zero Date prints %q", s)
	s = (Date{2026, 3, 10}).String()
	assert.Equal(t, "2026-03-10", s, "Date prints %q", s)
}

// A query flag the document gives no default of false can be sent as
// false (issue 16, item 6): meetingDelete's schedule_for_reminder,
// webinarPolls' anonymous and the like are *bool; nil leaves them out.
func TestFalseQueryFlagIsSent(t *testing.T) {
	rt := &fakeRT{steps: []func(*http.Request) (*http.Response, error){respond(204, nil, ""), respond(204, nil, "")}}
	c := newFakeClient(t, rt)
	_, err := c.Meetings.Delete(t.Context(), 85746065, &DeleteMeetingOptions{ScheduleForReminder: Ptr(false)})
	require.NoError(t, err)
	_, err = c.Meetings.Delete(t.Context(), 85746065, &DeleteMeetingOptions{})
	require.NoError(t, err)
	q := rt.reqs[0].URL.RawQuery
	assert.Equal(t, "schedule_for_reminder=false", q, "query %q, want schedule_for_reminder=false", q)
	q = rt.reqs[1].URL.RawQuery
	assert.Equal(t, "", q, "query %q, want none", q)
}

// A number whose zero Zoom acts on is a pointer in requests, so 0 can be
// sent (issue 16, item 6): an invite link's ttl 0 (no expiration) and a
// webinar's registrants_restrict_number 0 (no restriction).
func TestMeaningfulZerosAreSent(t *testing.T) {
	rt := &fakeRT{steps: []func(*http.Request) (*http.Response, error){
		respond(201, nil, `{"attendees":[]}`), respond(204, nil, ""),
	}}
	c := newFakeClient(t, rt)
	if _, _, err := c.Meetings.CreateInviteLinks(t.Context(), 85746065, &CreateMeetingInviteLinksRequest{
		Attendees: []InviteLinkAttendee{{Name: "Jill"}}, TTL: Ptr[int64](0)}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Webinars.Update(t.Context(), 95204914252, &UpdateWebinarRequest{
		Settings: &WebinarSettingsRequest{RegistrantsRestrictNumber: Ptr(0)}}, nil); err != nil {
		t.Fatal(err)
	}
	b := rt.bodies[0]
	assert.Contains(t, b, `"ttl":0`, "invite links body %s: ttl 0 not sent", b)
	b = rt.bodies[1]
	assert.Contains(t, b, `"registrants_restrict_number":0`, "webinar update body %s: registrants_restrict_number 0 not sent", b)
}

// Zoom sends the same id as a number in one place and a string in another;
// ID reads both and writes a number, in JSON, paths and queries.
func TestIDDecodesNumbersAndStrings(t *testing.T) {
	for in, want := range map[string]ID{
		`85393847045`: 85393847045, `"85393847045"`: 85393847045, `null`: 0, `""`: 0,
		`-1`: -1, `9223372036854775807`: 1<<63 - 1,
	} {
		var id ID
		if err := json.Unmarshal([]byte(in), &id); err != nil || id != want {
			t.Errorf("%s: %v, %v", in, id, err)
		}
	}
	for _, in := range []string{`1.5`, `"abc"`, `true`, `{}`, `"1e3"`, `9223372036854775808`, `" 1"`} {
		id := ID(7)
		if err := json.Unmarshal([]byte(in), &id); err != nil || id != 0 {
			t.Errorf("%s: %d, %v; want 0 and no error (lenient, like Time)", in, id, err)
		}
		if validID([]byte(in)) {
			t.Errorf("%s reported as an id", in)
		}
	}
	b, _ := json.Marshal(struct{ ID ID }{85393847045})
	assert.Equal(t, `{"ID":85393847045}`, string(b), "marshal: %s", b)
	got := LatestOf(85393847045)
	assert.Equal(t, InstanceID("85393847045"), got, "LatestOf: %q", got)
	q, err := query.Values(struct {
		MeetingID ID `url:"meeting_id,omitempty"`
		Other     ID `url:"other,omitempty"`
	}{MeetingID: 85393847045})
	if err != nil || q.Encode() != "meeting_id=85393847045" {
		t.Errorf("query: %q, %v", q.Encode(), err)
	}
}

// Zoom's webhooks quote meeting ids ("id":"85393847045"): a quoted id
// without escapes decodes without allocating, to the value the escaped
// spelling of the same string decodes to.
func TestQuotedIDDecodesWithoutAllocating(t *testing.T) {
	b := []byte(`"85393847045"`)
	var id ID
	allocs := testing.AllocsPerRun(100, func() { _ = id.UnmarshalJSON(b) })
	assert.Equal(t, ID(85393847045), id)
	assert.Zero(t, allocs)
	for _, in := range []string{`"85393847045"`, `"-12"`, `"+12"`, `"1\u0032"`, `"\u0031"`, `"12\"`, `"1 2"`, `"١٢"`, "\"1\x002\"", `"0x1F"`, `""`} {
		got, gotOK := parseID([]byte(in))
		var s string
		wantOK := json.Unmarshal([]byte(in), &s) == nil
		var want ID
		if wantOK && s != "" {
			n, err := strconv.ParseInt(s, 10, 64)
			want, wantOK = ID(n), err == nil
		}
		assert.Equal(t, want, got, in)
		assert.Equal(t, wantOK, gotOK, in)
	}
}
