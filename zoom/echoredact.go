package zoom

import (
	"reflect"
	"regexp"
	"sort"
	"strings"
)

// Zoom and the proxies in front of it sometimes echo parts of a request in
// an error: a password that failed validation, a start URL with the host's
// ZAK, the access token. What an *APIError keeps of a body (Message, Body,
// field errors) is redacted before it is stored, so neither Error() nor
// the fields print a secret:
//
//   - the values of the request's Secret-typed fields, and its access token;
//   - query parameters that carry secrets (zak=, pwd=, tk=, access_token=,
//     ...), JSON members named like secrets ("password", "start_url", ...),
//     Bearer and Basic credentials, and JWTs (Zoom's tokens are JWTs).

var redactions = []struct {
	re   *regexp.Regexp
	repl string
}{
	{regexp.MustCompile(`(?i)\b(zak|pwd|tk|token|access_token|refresh_token|id_token|password|passcode|download_token|download_access_token|client_secret)=[^&\s"'<>]+`), "${1}=REDACTED"},
	{regexp.MustCompile(`(?i)"(password|passcode|pmi_password|h323_password|pstn_password|encrypted_password|recording_play_passcode|start_url|zak|token|access_token|refresh_token|id_token|download_token|download_access_token|host_key|client_secret|secret_token)"\s*:\s*"(?:[^"\\]|\\.)*"`), `"${1}":"REDACTED"`},
	{regexp.MustCompile(`(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{6,}`), "${1} REDACTED"},
	{regexp.MustCompile(`\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*`), "REDACTED"},
}

// minSecretLen is the shortest exact value redacted: shorter ones would
// blank ordinary words of the message.
const minSecretLen = 3

// redactText replaces the secrets (exact values) and the secret patterns
// in s with REDACTED.
func redactText(s string, secrets []string) string {
	if s == "" {
		return s
	}
	for _, v := range secrets {
		if len(v) >= minSecretLen && strings.Contains(s, v) {
			s = strings.ReplaceAll(s, v, "REDACTED")
		}
	}
	for _, r := range redactions {
		s = r.re.ReplaceAllString(s, r.repl)
	}
	return s
}

// secrets returns the secret values a request carried: its access tokens
// and the values of Secret-typed fields in its body, longest first (so a
// value containing another is replaced whole).
func (r *request) secrets() []string {
	var out []string
	for _, t := range []string{r.token, r.replayToken} {
		if t != "" {
			out = append(out, t)
		}
	}
	if r.bodyValue != nil {
		collectSecrets(reflect.ValueOf(r.bodyValue), &out, 0)
	}
	sort.Slice(out, func(i, j int) bool { return len(out[i]) > len(out[j]) })
	return out
}

var secretType = reflect.TypeFor[Secret]()

func collectSecrets(v reflect.Value, out *[]string, depth int) {
	if depth > 12 || !v.IsValid() {
		return
	}
	if v.Type() == secretType {
		if s := v.String(); s != "" {
			*out = append(*out, s)
		}
		return
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			collectSecrets(v.Elem(), out, depth+1)
		}
	case reflect.Struct:
		t := v.Type()
		for i := range v.NumField() {
			if t.Field(i).IsExported() {
				collectSecrets(v.Field(i), out, depth+1)
			}
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			collectSecrets(v.Index(i), out, depth+1)
		}
	case reflect.Map:
		iter := v.MapRange()
		for iter.Next() {
			collectSecrets(iter.Value(), out, depth+1)
		}
	}
}
