package zoom

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Ptr returns a pointer to v, for optional request fields:
//
//	Settings: &zoom.MeetingSettingsRequest{JoinBeforeHost: zoom.Ptr(false)}
func Ptr[T any](v T) *T { return &v }

// The value types below (ID, Time, Date, InstanceID, Secret) are shared by
// the REST models of this package and the event payloads of package
// webhook, which imports them from here: a meeting id from a
// meeting.started event and one from Meetings.Get are both an ID and
// compare with ==. They live in zoom rather than a package of their own
// because the events also reuse zoom's models (Recurrence, settings),
// so webhook imports zoom anyway; zoom never imports webhook.

// ID is a Zoom numeric identifier, such as a meeting or webinar id (the
// meeting number), in REST models, calls and event payloads alike. Zoom
// sends the same id as a JSON number in one place and as a string in
// another (meeting.created and meeting.started, for example); ID decodes
// both, and null or "" as 0. Like Time, it never fails: a value that is
// neither (a word, a fraction, an object) leaves 0, so one odd field cannot
// reject a whole response or event; in a response it is also listed among
// Response.DecodeWarnings when the response has other fields to repair.
// It encodes as a JSON number, and in paths and query parameters in
// decimal. An untyped constant converts on its own:
// client.Meetings.Get(ctx, 85393847045, nil).
type ID int64

// UnmarshalJSON accepts a JSON integer, a string holding a decimal
// integer, "" or null, and leaves 0 for anything else.
func (id *ID) UnmarshalJSON(b []byte) error {
	*id, _ = parseID(b)
	return nil
}

// parseID reads a JSON id as ID.UnmarshalJSON does, and reports whether
// the value was one (an integer, a decimal string, "" or null).
func parseID(b []byte) (ID, bool) {
	if string(b) == "null" {
		return 0, true
	}
	if len(b) >= 2 && b[0] == '"' && b[len(b)-1] == '"' && bytes.IndexByte(b, '\\') < 0 {
		// No escapes: the string is its bytes (the common case, without
		// allocating). Bytes that are not digits fail ParseInt below, as
		// they would once unescaped.
		b = b[1 : len(b)-1]
		if len(b) == 0 {
			return 0, true
		}
	} else if len(b) >= 2 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return 0, false
		}
		if s == "" {
			return 0, true
		}
		b = []byte(s)
	}
	n, err := strconv.ParseInt(string(b), 10, 64)
	if err != nil {
		return 0, false
	}
	return ID(n), true
}

// MarshalJSON encodes the id as a JSON number.
func (id ID) MarshalJSON() ([]byte, error) {
	return strconv.AppendInt(nil, int64(id), 10), nil
}

// String returns the id in decimal.
func (id ID) String() string { return strconv.FormatInt(int64(id), 10) }

// Time is a timestamp in a Zoom request, response or event payload. It
// decodes leniently (RFC 3339 with or without fractional seconds, Zoom's
// zone-less "2006-01-02T15:04:05" and "2006-01-02 15:04:05" taken as UTC, a
// plain date, epoch milliseconds, an empty string or null as the zero
// time; an unknown format leaves the zero time rather than failing) and
// encodes as UTC "2006-01-02T15:04:05Z", the form Zoom reads as GMT: a
// decoded fraction of a second is kept in the value but not re-encoded.
type Time struct{ time.Time }

// NewTime returns t as a Time.
func NewTime(t time.Time) Time { return Time{t} }

var timeLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04:05",
	"2006-01-02T15:04Z07:00",
	"2006-01-02",
	"2006-1-2", // un-padded, seen in report bodies
}

// UnmarshalJSON decodes a Zoom timestamp. It never fails on a string: an
// unknown format leaves the zero time, so one odd field cannot reject a
// whole response.
func (t *Time) UnmarshalJSON(b []byte) error {
	t.Time = time.Time{}
	if len(b) == 0 || b[0] != '"' {
		// null, or a number of epoch milliseconds (seen in webhooks).
		if n, err := strconv.ParseInt(string(b), 10, 64); err == nil && n > 0 {
			t.Time = time.UnixMilli(n).UTC()
		}
		return nil
	}
	s, err := strconv.Unquote(string(b))
	if err != nil {
		return nil
	}
	t.Time = parseTime(s)
	return nil
}

func parseTime(s string) time.Time {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}
	}
	for _, l := range timeLayouts {
		if tt, err := time.Parse(l, s); err == nil {
			return tt
		}
	}
	return time.Time{}
}

// MarshalJSON encodes the time as UTC "2006-01-02T15:04:05Z" (null when
// zero; use omitzero to leave it out).
func (t Time) MarshalJSON() ([]byte, error) {
	if t.IsZero() {
		return []byte("null"), nil
	}
	return []byte(`"` + t.UTC().Format("2006-01-02T15:04:05Z") + `"`), nil
}

// EncodeValues writes the time as a query parameter
// ("2006-01-02T15:04:05Z"), for go-querystring.
func (t Time) EncodeValues(key string, v *url.Values) error {
	if !t.IsZero() {
		v.Set(key, t.UTC().Format("2006-01-02T15:04:05Z"))
	}
	return nil
}

// Date is a calendar date, as Zoom's report and list filters take them
// ("2006-01-02").
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// DateOf returns the date of t in t's location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, m, d}
}

// ParseDate parses "2006-01-02".
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, err
	}
	return DateOf(t), nil
}

// IsZero reports whether d is the zero Date.
func (d Date) IsZero() bool { return d == Date{} }

// String formats d as "2006-01-02"; the zero Date prints as "".
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
}

// Time returns midnight of d in loc.
func (d Date) Time(loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, loc)
}

// AddDays returns d plus n days.
func (d Date) AddDays(n int) Date { return DateOf(d.Time(time.UTC).AddDate(0, 0, n)) }

// Before reports whether d is before e.
func (d Date) Before(e Date) bool { return d.Time(time.UTC).Before(e.Time(time.UTC)) }

// MarshalJSON encodes the date as "2006-01-02" (null when zero).
func (d Date) MarshalJSON() ([]byte, error) {
	if d.IsZero() {
		return []byte("null"), nil
	}
	return []byte(`"` + d.String() + `"`), nil
}

// UnmarshalJSON decodes a date leniently: a date, a timestamp (its date
// part), an empty string or null.
func (d *Date) UnmarshalJSON(b []byte) error {
	*d = Date{}
	s, err := strconv.Unquote(string(b))
	if err != nil {
		return nil
	}
	if t := parseTime(s); !t.IsZero() {
		*d = DateOf(t)
	}
	return nil
}

// EncodeValues writes the date as a query parameter, for go-querystring.
func (d Date) EncodeValues(key string, v *url.Values) error {
	if !d.IsZero() {
		v.Set(key, d.String())
	}
	return nil
}

// InstanceID names a meeting or webinar in calls that take either its
// numeric id (meaning its latest instance) or the UUID of one instance, such
// as past-meeting, report and recording calls. Build one with [LatestOf] or
// by converting a UUID string: zoom.InstanceID(uuid). UUIDs that begin with
// "/" or contain "//" are double-encoded in the path, as Zoom requires.
type InstanceID string

// LatestOf returns the InstanceID naming the latest instance of the meeting
// or webinar with the given id.
func LatestOf(id ID) InstanceID { return InstanceID(id.String()) }

// bodyBuf holds a response body while it is decoded; pooled, with the
// limiting reader that caps it, so reading a body allocates nothing.
type bodyBuf struct {
	bytes.Buffer
	lr io.LimitedReader
}

var bufPool = sync.Pool{New: func() any { return new(bodyBuf) }}

func getBuffer() *bodyBuf { return bufPool.Get().(*bodyBuf) }

func putBuffer(b *bodyBuf) {
	b.lr = io.LimitedReader{}
	if b.Cap() > 1<<20 {
		return
	}
	b.Reset()
	bufPool.Put(b)
}

// Secret is a string Zoom returns that grants access on its own, such as a
// meeting's start_url (it embeds the host's ZAK), a passcode or a download
// token. It prints as REDACTED with %v, %+v, %#v and in slog output, and
// so do the models holding it (see "Secrets" in the package doc); use
// string(s) or Reveal for the value. It encodes to JSON as the plain string.
type Secret string

// Reveal returns the secret value.
func (s Secret) Reveal() string { return string(s) }

// String redacts the value.
func (s Secret) String() string {
	if s == "" {
		return ""
	}
	return "REDACTED"
}

// GoString redacts the value, for %#v.
func (s Secret) GoString() string { return `zoom.Secret("` + s.String() + `")` }

// LogValue redacts the value in slog output.
func (s Secret) LogValue() slog.Value { return slog.StringValue(s.String()) }
