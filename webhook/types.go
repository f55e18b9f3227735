package webhook

import (
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"time"
)

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

// Millis is a time Zoom sends as epoch milliseconds, as a number or, in some of its examples, as a
// quoted number (recording.renamed's time_stamp). It encodes as a number; the zero Millis encodes
// as null, and omitzero leaves it out.
type Millis struct {
	time.Time
}

var errBadMillis = errors.New("webhook: value is not epoch milliseconds")

// UnmarshalJSON accepts a number of milliseconds, the same number quoted, "" and null.
func (m *Millis) UnmarshalJSON(data []byte) error {
	s := string(data)
	if len(data) >= 2 && data[0] == '"' && data[len(data)-1] == '"' {
		s = s[1 : len(s)-1]
	}
	if s == "null" || s == "" {
		*m = Millis{}
		return nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || s[0] == '+' {
		return errBadMillis
	}
	*m = Millis{time.UnixMilli(n).UTC()}
	return nil
}

// MarshalJSON encodes m as a number of milliseconds, or null when m is zero.
func (m Millis) MarshalJSON() ([]byte, error) {
	if m.IsZero() {
		return []byte("null"), nil
	}
	return strconv.AppendInt(nil, m.UnixMilli(), 10), nil
}
