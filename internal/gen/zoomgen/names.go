package main

import (
	"strings"
	"unicode"
)

// initialisms are written in upper case in Go names.
var initialisms = map[string]bool{
	"API": true, "ID": true, "IDS": true, "URL": true, "URI": true, "UUID": true, "HTTP": true, "HTTPS": true,
	"JSON": true, "IP": true, "PMI": true, "SSO": true, "SIP": true, "PSTN": true, "TSP": true, "QA": true,
	"ZAK": true, "CRC": true, "TTL": true, "IM": true, "VB": true, "RTMS": true, "CMS": true, "H323": true,
	"PAC": true, "SMS": true, "E2EE": true, "AI": true, "CN": true, "JBH": true, "CC": true, "PBX": true,
	"VOIP": true, "CSV": true, "MP4": true, "M4A": true, "MP3": true, "VTT": true, "TXT": true, "PDF": true, "UI": true, "SDK": true, "ISV": true, "IQ": true, "OTP": true, "DLP": true,
}

// words splits a JSON or OpenAPI name into words: snake_case, kebab-case,
// camelCase and spaces.
func words(s string) []string {
	var out []string
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			out = append(out, string(cur))
			cur = cur[:0]
		}
	}
	rs := []rune(s)
	for i, r := range rs {
		switch {
		case !unicode.IsLetter(r) && !unicode.IsDigit(r):
			flush()
		case unicode.IsUpper(r) && len(cur) > 0 && (unicode.IsLower(cur[len(cur)-1]) || (i+1 < len(rs) && unicode.IsLower(rs[i+1]) && unicode.IsUpper(cur[len(cur)-1]))):
			flush()
			cur = append(cur, r)
		default:
			cur = append(cur, r)
		}
	}
	flush()
	return out
}

// exported returns the exported Go name for s: "meeting_id" → "MeetingID".
func exported(s string) string {
	var b strings.Builder
	for _, w := range words(s) {
		u := strings.ToUpper(w)
		if initialisms[u] {
			if u == "IDS" {
				u = "IDs"
			}
			b.WriteString(u)
			continue
		}
		b.WriteString(strings.ToUpper(w[:1]))
		b.WriteString(strings.ToLower(w[1:]))
	}
	n := b.String()
	if n == "" {
		return "X"
	}
	if unicode.IsDigit(rune(n[0])) {
		n = "X" + n
	}
	return n
}

// unexported returns the unexported Go name for s: "meetingId" → "meetingID".
func unexported(s string) string {
	e := exported(s)
	ws := words(s)
	if len(ws) > 0 && initialisms[strings.ToUpper(ws[0])] {
		f := strings.ToUpper(ws[0])
		if f == "IDS" {
			f = "IDs"
		}
		return strings.ToLower(f) + e[len(f):]
	}
	n := strings.ToLower(e[:1]) + e[1:]
	switch n {
	case "type", "func", "var", "range", "map", "chan", "go", "select", "case", "default", "interface", "struct", "package", "import", "return":
		n += "_"
	}
	return n
}

// singular makes a plural English noun singular, well enough for field
// names such as "meetings", "registrants", "occurrences", "questions".
func singular(s string) string {
	switch {
	case strings.HasSuffix(s, "ies"):
		return s[:len(s)-3] + "y"
	case strings.HasSuffix(s, "sses"), strings.HasSuffix(s, "shes"), strings.HasSuffix(s, "ches"), strings.HasSuffix(s, "xes"):
		return s[:len(s)-2]
	case strings.HasSuffix(s, "ss"), strings.HasSuffix(s, "us"), strings.HasSuffix(s, "is"):
		return s
	case strings.HasSuffix(s, "s"):
		return s[:len(s)-1]
	}
	return s + "Item"
}

// thirdPerson turns the verb that starts a summary ("Get a meeting") into
// the third person ("gets a meeting").
func thirdPerson(summary string) string {
	summary = strings.TrimSpace(summary)
	verb, rest, _ := strings.Cut(summary, " ")
	v := strings.ToLower(verb)
	switch {
	case v == "":
	case strings.HasSuffix(v, "s") || strings.HasSuffix(v, "sh") || strings.HasSuffix(v, "ch") || strings.HasSuffix(v, "x"):
		v += "es"
	case strings.HasSuffix(v, "y") && !strings.ContainsAny(v[len(v)-2:len(v)-1], "aeiou"):
		v = v[:len(v)-1] + "ies"
	default:
		v += "s"
	}
	if rest == "" {
		return v
	}
	// Keep proper nouns (Zoom, SIP, ...) but lower-case ordinary words.
	return v + " " + lowerFirstWord(rest)
}

func lowerFirstWord(s string) string {
	w, rest, _ := strings.Cut(s, " ")
	if len(w) > 1 && unicode.IsUpper(rune(w[0])) && unicode.IsLower(rune(w[1])) && !properNoun[w] {
		w = strings.ToLower(w[:1]) + w[1:]
	}
	if rest == "" {
		return w
	}
	return w + " " + rest
}

var properNoun = map[string]bool{"Zoom": true, "Team": true}
