package webhook

import (
	"encoding/json"
	"errors"
	"strings"
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
