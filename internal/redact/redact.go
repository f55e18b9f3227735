// Package redact replaces secrets in the values that packages zoom and
// webhook print for logs: their models' LogValue and Format methods print a
// copy whose secrets went through String or URL, converted to a type
// without methods, through Format.
package redact

import (
	"fmt"
	"io"
	"strings"
)

// Text replaces a secret.
const Text = "REDACTED"

// String returns Text for a set secret, "" for an empty one.
func String(s string) string {
	if s == "" {
		return ""
	}
	return Text
}

// urlParams are the query parameters of Zoom URLs that grant access on
// their own: a meeting's or recording's passcode (pwd), a registrant's
// token (tk), a host's ZAK (zak) and access tokens.
var urlParams = []string{"pwd", "tk", "zak", "access_token", "token"}

// URL returns u with the values of the query parameters that grant access
// (pwd, tk, zak, access_token and token, in any case) replaced by Text; the
// rest is kept, so that a logged join URL still tells which meeting it is
// for. u need not parse as a URL.
func URL(u string) string {
	q := strings.IndexByte(u, '?')
	if q < 0 {
		return u
	}
	query, frag := u[q+1:], ""
	if h := strings.IndexByte(query, '#'); h >= 0 {
		query, frag = query[:h], query[h:]
	}
	var b strings.Builder
	b.Grow(len(u))
	b.WriteString(u[:q+1])
	for i, p := range strings.Split(query, "&") {
		if i > 0 {
			b.WriteByte('&')
		}
		k, v, ok := strings.Cut(p, "=")
		if ok && v != "" && isURLParam(k) {
			p = k + "=" + Text
		}
		b.WriteString(p)
	}
	b.WriteString(frag)
	return b.String()
}

func isURLParam(k string) bool {
	for _, s := range urlParams {
		if strings.EqualFold(k, s) {
			return true
		}
	}
	return false
}

// Format prints view, a redacted value converted to a type without methods
// (so that printing it does not call Format again), as fmt would print the
// original with the same verb and flags. For %#v it names the original
// type (name, such as "zoom.Meeting") rather than the view's.
func Format(f fmt.State, verb rune, name string, view any) {
	if verb == 'v' && f.Flag('#') {
		s := fmt.Sprintf("%#v", view)
		if _, fields, ok := strings.Cut(s, "{"); ok {
			s = name + "{" + fields
		}
		io.WriteString(f, s)
		return
	}
	fmt.Fprintf(f, fmt.FormatString(f, verb), view)
}
