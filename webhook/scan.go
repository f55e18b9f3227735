package webhook

// A small validating JSON scanner. It accepts exactly the texts encoding/json accepts (json.Valid),
// which FuzzParseEvent checks, and lets ParseEvent find the envelope fields in one pass that is much
// cheaper than a second json.Unmarshal of the whole body.

import "errors"

const maxDepth = 10000 // as encoding/json

var errSyntax = errors.New("webhook: invalid JSON")

type scanner struct {
	data  []byte
	pos   int
	depth int
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func (s *scanner) ws() {
	for s.pos < len(s.data) && isSpace(s.data[s.pos]) {
		s.pos++
	}
}

// value validates and skips one JSON value starting at s.pos (after whitespace).
func (s *scanner) value() error {
	if s.pos >= len(s.data) {
		return errSyntax
	}
	switch c := s.data[s.pos]; {
	case c == '{':
		return s.object(nil)
	case c == '[':
		return s.array()
	case c == '"':
		_, err := s.str()
		return err
	case c == '-' || ('0' <= c && c <= '9'):
		_, err := s.number()
		return err
	case c == 't':
		return s.lit("true")
	case c == 'f':
		return s.lit("false")
	case c == 'n':
		return s.lit("null")
	}
	return errSyntax
}

func (s *scanner) lit(l string) error {
	if len(s.data)-s.pos < len(l) || string(s.data[s.pos:s.pos+len(l)]) != l {
		return errSyntax
	}
	s.pos += len(l)
	return nil
}

// object validates an object; for each member it calls fn (if not nil) with the raw key (without
// quotes, escapes undecoded), whether the key had escapes, and the raw value.
func (s *scanner) object(fn func(key []byte, escaped bool, val []byte) error) error {
	s.depth++
	if s.depth > maxDepth {
		return errSyntax
	}
	s.pos++ // '{'
	s.ws()
	if s.pos < len(s.data) && s.data[s.pos] == '}' {
		s.pos++
		s.depth--
		return nil
	}
	for {
		if s.pos >= len(s.data) || s.data[s.pos] != '"' {
			return errSyntax
		}
		kstart := s.pos
		escaped, err := s.str()
		if err != nil {
			return err
		}
		key := s.data[kstart+1 : s.pos-1]
		s.ws()
		if s.pos >= len(s.data) || s.data[s.pos] != ':' {
			return errSyntax
		}
		s.pos++
		s.ws()
		vstart := s.pos
		if err := s.value(); err != nil {
			return err
		}
		if fn != nil {
			if err := fn(key, escaped, s.data[vstart:s.pos]); err != nil {
				return err
			}
		}
		s.ws()
		if s.pos >= len(s.data) {
			return errSyntax
		}
		switch s.data[s.pos] {
		case ',':
			s.pos++
			s.ws()
		case '}':
			s.pos++
			s.depth--
			return nil
		default:
			return errSyntax
		}
	}
}

func (s *scanner) array() error {
	s.depth++
	if s.depth > maxDepth {
		return errSyntax
	}
	s.pos++ // '['
	s.ws()
	if s.pos < len(s.data) && s.data[s.pos] == ']' {
		s.pos++
		s.depth--
		return nil
	}
	for {
		if err := s.value(); err != nil {
			return err
		}
		s.ws()
		if s.pos >= len(s.data) {
			return errSyntax
		}
		switch s.data[s.pos] {
		case ',':
			s.pos++
			s.ws()
		case ']':
			s.pos++
			s.depth--
			return nil
		default:
			return errSyntax
		}
	}
}

// str validates a string starting at the opening quote and reports whether it contains escapes.
func (s *scanner) str() (bool, error) {
	s.pos++ // '"'
	escaped := false
	for s.pos < len(s.data) {
		c := s.data[s.pos]
		switch {
		case c == '"':
			s.pos++
			return escaped, nil
		case c == '\\':
			escaped = true
			s.pos++
			if s.pos >= len(s.data) {
				return false, errSyntax
			}
			switch s.data[s.pos] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				s.pos++
			case 'u':
				s.pos++
				if len(s.data)-s.pos < 4 {
					return false, errSyntax
				}
				for i := 0; i < 4; i++ {
					if !isHex(s.data[s.pos+i]) {
						return false, errSyntax
					}
				}
				s.pos += 4
			default:
				return false, errSyntax
			}
		case c < 0x20:
			return false, errSyntax
		default:
			s.pos++
		}
	}
	return false, errSyntax
}

func isHex(c byte) bool {
	return ('0' <= c && c <= '9') || ('a' <= c && c <= 'f') || ('A' <= c && c <= 'F')
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// number validates a number and reports whether it is an integer (no fraction, no exponent).
func (s *scanner) number() (bool, error) {
	d := s.data
	if d[s.pos] == '-' {
		s.pos++
	}
	if s.pos >= len(d) || !isDigit(d[s.pos]) {
		return false, errSyntax
	}
	if d[s.pos] == '0' {
		s.pos++
	} else {
		for s.pos < len(d) && isDigit(d[s.pos]) {
			s.pos++
		}
	}
	integer := true
	if s.pos < len(d) && d[s.pos] == '.' {
		integer = false
		s.pos++
		if s.pos >= len(d) || !isDigit(d[s.pos]) {
			return false, errSyntax
		}
		for s.pos < len(d) && isDigit(d[s.pos]) {
			s.pos++
		}
	}
	if s.pos < len(d) && (d[s.pos] == 'e' || d[s.pos] == 'E') {
		integer = false
		s.pos++
		if s.pos < len(d) && (d[s.pos] == '+' || d[s.pos] == '-') {
			s.pos++
		}
		if s.pos >= len(d) || !isDigit(d[s.pos]) {
			return false, errSyntax
		}
		for s.pos < len(d) && isDigit(d[s.pos]) {
			s.pos++
		}
	}
	return integer, nil
}

// valid reports whether data is one JSON value, as json.Valid.
func valid(data []byte) bool {
	s := scanner{data: data}
	s.ws()
	if s.value() != nil {
		return false
	}
	s.ws()
	return s.pos == len(data)
}

// member returns the raw value of the member named key in the JSON object obj (exact, case-sensitive
// match on unescaped keys). obj must be valid JSON.
func member(obj []byte, key string) ([]byte, bool) {
	s := scanner{data: obj}
	s.ws()
	if s.pos >= len(obj) || obj[s.pos] != '{' {
		return nil, false
	}
	var out []byte
	found := false
	_ = s.object(func(k []byte, escaped bool, v []byte) error {
		if !escaped && string(k) == key {
			out, found = v, true
		}
		return nil
	})
	return out, found
}
