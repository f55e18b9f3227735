package webhook

import (
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"time"
)

// ID is a Zoom numeric identifier, such as a meeting or webinar id. Zoom sends payload.object.id as
// a JSON number in some events (meeting.created) and as a string in others (meeting.started); ID
// decodes both, and null or "" as 0. It encodes as a JSON number.
type ID int64

var errBadID = errors.New("webhook: id is neither an integer nor a decimal string")

// UnmarshalJSON accepts a JSON integer, a string holding a decimal integer, "" or null.
func (id *ID) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*id = 0
		return nil
	}
	if len(b) >= 2 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return errBadID
		}
		if s == "" {
			*id = 0
			return nil
		}
		b = []byte(s)
	}
	n, err := strconv.ParseInt(string(b), 10, 64)
	if err != nil {
		return errBadID
	}
	*id = ID(n)
	return nil
}

// MarshalJSON encodes the id as a JSON number.
func (id ID) MarshalJSON() ([]byte, error) {
	return strconv.AppendInt(nil, int64(id), 10), nil
}

// String returns the id in decimal.
func (id ID) String() string { return strconv.FormatInt(int64(id), 10) }

// Time is a time inside an event payload. It decodes RFC 3339 times with or without fractional
// seconds, times without a zone (taken as UTC), and "" or null as the zero time. It encodes as
// RFC 3339 with as many fractional digits as needed, and the zero time as "".
type Time struct {
	time.Time
}

var errBadTime = errors.New("webhook: time is not in RFC 3339 format")

// UnmarshalJSON implements json.Unmarshaler leniently, as described on Time.
func (t *Time) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		t.Time = time.Time{}
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return errBadTime
	}
	s = strings.TrimSpace(s)
	if s == "" {
		t.Time = time.Time{}
		return nil
	}
	for _, layout := range [...]string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02 15:04:05"} {
		if v, err := time.Parse(layout, s); err == nil {
			t.Time = v
			return nil
		}
	}
	return errBadTime
}

// MarshalJSON implements json.Marshaler.
func (t Time) MarshalJSON() ([]byte, error) {
	if t.IsZero() {
		return []byte(`""`), nil
	}
	b := make([]byte, 0, len(time.RFC3339Nano)+2)
	b = append(b, '"')
	b = t.AppendFormat(b, time.RFC3339Nano)
	return append(b, '"'), nil
}

// NullBool is a boolean Zoom sends as true/false, as the strings "true"/"false", or as null, such as
// app_deauthorized's user_data_retention. Valid is false when the value was null, "" or absent.
type NullBool struct {
	Bool  bool
	Valid bool
}

var errBadBool = errors.New("webhook: value is neither a boolean nor \"true\"/\"false\"")

// UnmarshalJSON accepts true, false, "true", "false" (any case), "" and null.
func (b *NullBool) UnmarshalJSON(data []byte) error {
	s := string(data)
	if len(data) >= 2 && data[0] == '"' {
		if err := json.Unmarshal(data, &s); err != nil {
			return errBadBool
		}
		s = strings.ToLower(strings.TrimSpace(s))
	}
	switch s {
	case "true":
		*b = NullBool{Bool: true, Valid: true}
	case "false":
		*b = NullBool{Valid: true}
	case "null", "":
		*b = NullBool{}
	default:
		return errBadBool
	}
	return nil
}

// MarshalJSON encodes true, false, or null when not Valid.
func (b NullBool) MarshalJSON() ([]byte, error) {
	switch {
	case !b.Valid:
		return []byte("null"), nil
	case b.Bool:
		return []byte("true"), nil
	}
	return []byte("false"), nil
}

// IsZero reports whether b is not Valid, so that omitzero leaves it out.
func (b NullBool) IsZero() bool { return !b.Valid }
