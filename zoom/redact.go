package zoom

import (
	"fmt"
	"io"
	"log/slog"
	"strings"
)

// redactedText replaces a secret in printed values.
const redactedText = "REDACTED"

// The generated types that hold a secret (see zz_redact.go) print through
// the helpers below: their redacted method returns a copy whose secrets are
// replaced (sharing no pointer, slice or map that holds one with the
// original), and LogValue and Format print that copy converted to a type
// without methods, so that printing never recurses.

// redactSecret returns REDACTED for a set secret, "" for an empty one.
func redactSecret(s Secret) Secret { return Secret(redactString(string(s))) }

// redactString returns REDACTED for a set secret, "" for an empty one.
func redactString(s string) string {
	if s == "" {
		return ""
	}
	return redactedText
}

// secretParams are the query parameters of Zoom URLs that grant access on
// their own: a meeting's or recording's passcode (pwd), a registrant's
// token (tk), a host's ZAK (zak) and access tokens.
var secretParams = []string{"pwd", "tk", "zak", "access_token", "token"}

// redactURL returns u with the values of its credential query parameters
// (see secretParams) replaced by REDACTED; the rest is kept, so that a
// logged join URL still tells which meeting it is for.
func redactURL(u string) string {
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
		if ok && v != "" && isSecretParam(k) {
			p = k + "=" + redactedText
		}
		b.WriteString(p)
	}
	b.WriteString(frag)
	return b.String()
}

func isSecretParam(k string) bool {
	for _, s := range secretParams {
		if strings.EqualFold(k, s) {
			return true
		}
	}
	return false
}

// redactor is a generated type that holds a secret.
type redactor[T any] interface{ redacted() T }

func redactPtr[T redactor[T]](p *T) *T {
	if p == nil {
		return nil
	}
	v := (*p).redacted()
	return &v
}

func redactSlice[T redactor[T]](s []T) []T {
	if s == nil {
		return nil
	}
	out := make([]T, len(s))
	for i, v := range s {
		out[i] = v.redacted()
	}
	return out
}

// formatRedacted prints view, a redacted value converted to a type without
// methods, as fmt would print the original with the same verb and flags;
// for %#v it names the original type (name, such as "zoom.Meeting")
// rather than the view's.
func formatRedacted(f fmt.State, verb rune, name string, view any) {
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

// redacted returns a copy of o with its access token redacted.
func (o DownloadOptions) redacted() DownloadOptions {
	o.AccessToken = redactSecret(o.AccessToken)
	return o
}

// redactedDownloadOptions is DownloadOptions without its methods.
type redactedDownloadOptions DownloadOptions

// LogValue returns o with its access token redacted, for slog.
func (o DownloadOptions) LogValue() slog.Value {
	return slog.AnyValue(redactedDownloadOptions(o.redacted()))
}

// Format prints o with its access token redacted, for every fmt verb.
func (o DownloadOptions) Format(f fmt.State, verb rune) {
	formatRedacted(f, verb, "zoom.DownloadOptions", redactedDownloadOptions(o.redacted()))
}
