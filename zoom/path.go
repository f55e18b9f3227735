package zoom

import (
	"net/url"
	"strconv"
	"strings"
)

// escapePathParam escapes one path parameter. Meeting and webinar UUIDs that
// begin with "/" or contain "//" are escaped twice, as Zoom requires; every
// other value is escaped once (so "a/b" stays one segment). Zoom decodes a
// double-escaped UUID twice, so its "+" (base64 has them) is escaped too, as
// encodeURIComponent twice would: no second decode can read it as a space.
func escapePathParam(s string) string {
	e := url.PathEscape(s)
	if strings.HasPrefix(s, "/") || strings.Contains(s, "//") {
		e = url.PathEscape(strings.ReplaceAll(e, "+", "%2B"))
	}
	return e
}

// buildPath fills the {placeholders} of an OpenAPI path template, in order,
// with the escaped args.
func buildPath(template string, args ...string) string {
	if len(args) == 0 {
		return template
	}
	var b strings.Builder
	b.Grow(len(template) + 16*len(args))
	i := 0
	for {
		open := strings.IndexByte(template, '{')
		if open < 0 || i >= len(args) {
			b.WriteString(template)
			return b.String()
		}
		end := strings.IndexByte(template[open:], '}')
		if end < 0 {
			b.WriteString(template)
			return b.String()
		}
		b.WriteString(template[:open])
		b.WriteString(escapePathParam(args[i]))
		i++
		template = template[open+end+1:]
	}
}

// formatID formats a numeric id for a path.
func formatID(id int64) string { return strconv.FormatInt(id, 10) }
