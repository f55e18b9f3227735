package webhook

import (
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"time"
	"unicode/utf8"
)

// An Event is a Zoom webhook delivery: the envelope decoded, the payload kept raw so that nothing is
// lost. Decode the payload with Unmarshal, TypedPayload, or let a Handler do it for registered events.
//
// DownloadToken and Raw can hold secrets (recording.completed's download_token); String, GoString
// and LogValue leave them out.
type Event struct {
	// Name is the event name, e.g. "meeting.started" ("event" in the body).
	Name string
	// Timestamp is when the event happened ("event_ts", epoch milliseconds), in UTC. It is the zero
	// time when Zoom did not send one (app_deauthorized carries it inside the payload).
	Timestamp time.Time
	// Payload is the raw "payload" object, byte for byte as received (nil if absent or null).
	Payload json.RawMessage
	// DownloadToken is the top-level "download_token" of recording events: a bearer token for the
	// payload's download_url values. Treat it as a secret.
	DownloadToken string
	// Raw is the whole body as received and verified.
	Raw json.RawMessage

	bySignature bool // verified by signature (not only by the legacy token)
	secret      int  // index of the secret that signed it
}

// Unmarshal decodes the payload into v with encoding/json.
func (e *Event) Unmarshal(v any) error {
	if len(e.Payload) == 0 {
		return json.Unmarshal([]byte("null"), v)
	}
	return json.Unmarshal(e.Payload, v)
}

// TypedPayload decodes the payload into the typed payload struct of a known event (for example
// *MeetingStartedPayload for "meeting.started") and returns it. For other events it returns nil, nil.
func (e *Event) TypedPayload() (any, error) {
	p := newPayload(e.Name)
	if p == nil {
		return nil, nil
	}
	if err := e.Unmarshal(p); err != nil {
		return nil, err
	}
	return p, nil
}

// String describes the event by name and timestamp, leaving out the payload and download token.
func (e *Event) String() string {
	if e == nil {
		return "webhook.Event(nil)"
	}
	return e.describe()
}

func (e *Event) describe() string {
	return fmt.Sprintf("webhook.Event{Name: %q, Timestamp: %s, Payload: %d bytes}",
		e.Name, e.Timestamp.Format(time.RFC3339Nano), len(e.Payload))
}

// GoString is String, so %#v does not print the download token either.
func (e *Event) GoString() string { return e.String() }

// Format prints String for every verb, so that an Event value, not only a
// pointer, prints without its payload and download token.
func (e Event) Format(f fmt.State, _ rune) { io.WriteString(f, e.describe()) }

// LogValue implements slog.LogValuer with the name and timestamp only (for
// an Event value too).
func (e Event) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("event", e.Name),
		slog.Time("event_ts", e.Timestamp),
		slog.Int("payload_bytes", len(e.Payload)),
	)
}

// ParseEvent parses a Zoom event envelope. It does not verify anything: pass it only bodies that a
// Verifier accepted. body must be a JSON object with an "event" string, optionally an integer
// "event_ts" (milliseconds, a number or, as Zoom's examples send it for some events, a quoted
// number), a "payload" object and a "download_token" string; anything else is
// ErrMalformedEvent. The returned Event's Payload and Raw alias body.
func ParseEvent(body []byte) (*Event, error) {
	e := &Event{Raw: body}
	var seenEvent, seenTS, seenPayload, seenToken bool
	s := scanner{data: body}
	s.ws()
	if s.pos >= len(body) || body[s.pos] != '{' {
		return nil, ErrMalformedEvent
	}
	err := s.object(func(key []byte, escaped bool, val []byte) error {
		k := string(key) // does not allocate in the switch below
		if escaped {
			var ks string
			if json.Unmarshal(append(append([]byte{'"'}, key...), '"'), &ks) != nil {
				return ErrMalformedEvent
			}
			k = ks
		}
		switch k {
		case "event":
			if seenEvent {
				return ErrMalformedEvent
			}
			seenEvent = true
			name, ok := jsonString(val)
			if !ok {
				return ErrMalformedEvent
			}
			e.Name = name
		case "event_ts":
			if seenTS {
				return ErrMalformedEvent
			}
			seenTS = true
			if string(val) == "null" {
				return nil
			}
			num := val
			if len(val) >= 2 && val[0] == '"' && val[len(val)-1] == '"' {
				// Zoom's examples quote it for some events
				// (workspace.*, visitor_management.*, ...).
				num = val[1 : len(val)-1]
			}
			ms, err := strconv.ParseInt(string(num), 10, 64)
			if err != nil || len(num) == 0 || num[0] == '+' {
				return ErrMalformedEvent
			}
			e.Timestamp = time.UnixMilli(ms).UTC()
		case "payload":
			if seenPayload {
				return ErrMalformedEvent
			}
			seenPayload = true
			switch val[0] {
			case '{':
				e.Payload = json.RawMessage(val)
			case 'n':
			default:
				return ErrMalformedEvent
			}
		case "download_token":
			if seenToken {
				return ErrMalformedEvent
			}
			seenToken = true
			if string(val) == "null" {
				return nil
			}
			tok, ok := jsonString(val)
			if !ok {
				return ErrMalformedEvent
			}
			e.DownloadToken = tok
		}
		return nil
	})
	if err != nil {
		return nil, ErrMalformedEvent
	}
	s.ws()
	if s.pos != len(body) || e.Name == "" {
		return nil, ErrMalformedEvent
	}
	return e, nil
}

// jsonString decodes a raw JSON string value (already validated).
func jsonString(val []byte) (string, bool) {
	if len(val) < 2 || val[0] != '"' {
		return "", false
	}
	inner := val[1 : len(val)-1]
	plain := utf8.Valid(inner)
	for _, c := range inner {
		if c == '\\' {
			plain = false
			break
		}
	}
	if plain {
		return string(inner), true
	}
	var s string
	if json.Unmarshal(val, &s) != nil {
		return "", false
	}
	return s, true
}
