package zoom

import (
	"fmt"
	"log/slog"

	"github.com/zoomkit/zoomkit/internal/redact"
)

// The generated types that hold a secret (see zz_redact.go) print through
// the helpers below and those of package internal/redact: their redacted
// method returns a copy whose secrets are replaced (sharing no pointer or
// slice that holds one with the original), and LogValue and Format print
// that copy converted to a type without methods, so that printing never
// recurses.

// redactSecret returns REDACTED for a set secret, "" for an empty one.
func redactSecret(s Secret) Secret { return Secret(redact.String(string(s))) }

// redactor is a generated type that holds a secret.
type redactor[T any] interface{ redacted() T }

func redactPtr[T redactor[T]](p *T) *T {
	if p == nil {
		return nil
	}
	v := (*p).redacted()
	return &v
}

// redactPtrWith returns a pointer to f(*p), or nil for nil: the redacted
// form of an optional field of a request type (a *Secret or *string).
func redactPtrWith[T any](p *T, f func(T) T) *T {
	if p == nil {
		return nil
	}
	v := f(*p)
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
	redact.Format(f, verb, "zoom.DownloadOptions", redactedDownloadOptions(o.redacted()))
}
