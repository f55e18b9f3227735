package zoom

import (
	"net/url"
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

// checkPath refuses a built path with a path parameter that is empty, "."
// or "..": sent raw, a dot segment is resolved by any proxy on the way (so
// DELETE /groups/G1/members/.. would delete the group), and an empty one
// names another resource. The escaped parameters hold no "/", so the
// path's segments line up with the template's. The error names the
// parameter, never its value.
func checkPath(op *operation, path string) error {
	if !suspectPath(path) {
		return nil
	}
	tmpl := op.Path
	for {
		var seg, tseg string
		seg, path, _ = cutSegment(path)
		tseg, tmpl, _ = cutSegment(tmpl)
		if isParam(tseg) && (seg == "" || seg == "." || seg == "..") {
			reason := "must not be empty"
			if seg != "" {
				reason = `must not be "." or ".." (a proxy would resolve it as a path step)`
			}
			return &ArgumentError{Operation: op.ID, Arg: paramName(tseg), Reason: reason}
		}
		if path == "" && tmpl == "" {
			break
		}
	}
	// Not a parameter, or the path does not follow the template: refuse any
	// dot or empty segment all the same.
	return &ArgumentError{Operation: op.ID, Arg: "path", Reason: "has an empty, \".\" or \"..\" segment"}
}

// suspectPath reports whether path has an empty, "." or ".." segment after
// its leading "/"; it allocates nothing.
func suspectPath(path string) bool {
	start := 0
	if strings.HasPrefix(path, "/") {
		start = 1
	}
	for i := start; i <= len(path); i++ {
		if i < len(path) && path[i] != '/' {
			continue
		}
		switch path[start:i] {
		case "", ".", "..":
			return true
		}
		start = i + 1
	}
	return false
}

// cutSegment returns the first segment of p (after a leading "/") and the
// rest, starting at its "/".
func cutSegment(p string) (seg, rest string, ok bool) {
	p = strings.TrimPrefix(p, "/")
	if i := strings.IndexByte(p, '/'); i >= 0 {
		return p[:i], p[i:], true
	}
	return p, "", false
}

func isParam(seg string) bool {
	return len(seg) > 2 && seg[0] == '{' && seg[len(seg)-1] == '}'
}

// paramName turns a template placeholder into the argument's Go name, as
// the generated methods spell it: "{memberId}" becomes "memberID".
func paramName(seg string) string {
	name := seg[1 : len(seg)-1]
	if strings.HasSuffix(name, "Id") {
		name = strings.TrimSuffix(name, "Id") + "ID"
	}
	return name
}
