package main

import (
	"regexp"
	"strings"
)

var (
	reScopes    = regexp.MustCompile(`(?m)^\s*\*\*\[Scopes\]\([^)]*\):\*\*[ \t]*\n?[ \t]*(?:\* )?(.*)$`)
	reGranular  = regexp.MustCompile(`(?m)^\s*\*\*\[Granular Scopes\]\([^)]*\):\*\*(.*)$`)
	reRate      = regexp.MustCompile(`(?m)^\s*\*\*\[Rate Limit Label\]\([^)]*\):\*\*(.*)$`)
	reRateValue = regexp.MustCompile("`?([A-Za-z][A-Za-z-]+)`?")
	reLink      = regexp.MustCompile(`\[([^\]]*)\]\(([^)]*)\)`)
	reBR        = regexp.MustCompile(`(?i)<br\s*/?>|</?p>|</?ul>|</?ol>`)
	reLI        = regexp.MustCompile(`(?i)<li>`)
	reTag       = regexp.MustCompile(`</?[a-zA-Z][a-zA-Z0-9]*(\s[^<>]*)?/?>`)
	reBold      = regexp.MustCompile(`\*\*([^*]*)\*\*|__([^_]+)__`)
	reHeading   = regexp.MustCompile(`(?m)^#+\s*`)
	reSpaces    = regexp.MustCompile(`[ \t]+`)
	reBullet    = regexp.MustCompile(`^([*+-]|\d+\.)\s+`)
	reBacktick  = regexp.MustCompile("`([^`]*)`")
)

// opText is what the generator takes from an operation's description.
type opText struct {
	Body   string   // the description without the scope and rate lines
	Scopes []string // classic scopes
	Rate   string   // rate-limit label

	RateAssumed bool // the documents give none; Rate comes from the overrides
}

func splitDescription(desc string) opText {
	var t opText
	if m := reScopes.FindStringSubmatch(desc); m != nil {
		for _, s := range strings.Split(m[1], ",") {
			s = strings.Trim(strings.TrimSpace(s), "`")
			if s != "" {
				t.Scopes = append(t.Scopes, s)
			}
		}
	}
	if m := reRate.FindStringSubmatch(desc); m != nil {
		if v := reRateValue.FindStringSubmatch(m[1]); v != nil {
			t.Rate = strings.ToUpper(v[1])
		}
	}
	desc = reScopes.ReplaceAllString(desc, "")
	desc = reGranular.ReplaceAllString(desc, "")
	desc = reRate.ReplaceAllString(desc, "")
	t.Body = desc
	return t
}

// cleanMarkdown turns Zoom's markdown/HTML description text into plain
// paragraphs for Go doc comments: links become their text, emphasis and
// tags are dropped, list items become Go doc list items. Paragraphs are
// separated by blank lines.
func cleanMarkdown(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\\n", "\n")
	s = reLI.ReplaceAllString(s, "\n* ")
	s = reBR.ReplaceAllString(s, "\n")
	s = reTag.ReplaceAllString(s, "")
	s = reLink.ReplaceAllString(s, "$1")
	s = reBold.ReplaceAllString(s, "$1$2")
	s = reHeading.ReplaceAllString(s, "")
	s = reBacktick.ReplaceAllString(s, "$1")
	s = strings.NewReplacer("&nbsp;", " ", "&amp;", "&", "&lt;", "<", "&gt;", ">", "&quot;", `"`, "\u00a0", " ", "\\_", "_", "\\*", "*").Replace(s)
	var paras []string
	var cur []string
	flush := func() {
		if len(cur) > 0 {
			paras = append(paras, strings.Join(cur, " "))
			cur = nil
		}
	}
	for _, line := range strings.Split(s, "\n") {
		line = strings.TrimSpace(reSpaces.ReplaceAllString(line, " "))
		if line == "" {
			flush()
			continue
		}
		if reBullet.MatchString(line) {
			flush()
			paras = append(paras, "- "+reBullet.ReplaceAllString(line, ""))
			continue
		}
		cur = append(cur, line)
	}
	flush()
	// Join consecutive list items into one block.
	var out []string
	for i, p := range paras {
		if i > 0 && strings.HasPrefix(p, "- ") && strings.HasPrefix(paras[i-1], "- ") {
			out[len(out)-1] += "\n" + p
			continue
		}
		out = append(out, p)
	}
	return strings.Join(out, "\n\n")
}

// firstSentence returns the first sentence of cleaned text.
func firstSentence(s string) string {
	s = cleanMarkdown(s)
	if i := strings.Index(s, "\n"); i >= 0 {
		s = s[:i]
	}
	s = strings.TrimPrefix(s, "- ")
	for i := 0; i+1 < len(s); i++ {
		if (s[i] == '.' || s[i] == '!' || s[i] == '?') && s[i+1] == ' ' {
			prev := strings.LastIndexByte(s[:i], ' ')
			word := s[prev+1 : i]
			if word == "e.g" || word == "i.e" || word == "etc" || word == "vs" || len(word) == 1 {
				continue
			}
			return s[:i+1]
		}
	}
	s = strings.TrimSpace(s)
	if s != "" && !strings.HasSuffix(s, ".") && !strings.HasSuffix(s, ":") {
		s += "."
	}
	return s
}

// comment renders text (paragraphs separated by blank lines, list blocks
// of "- " lines) as a Go comment with the given indent, wrapped at width.
func comment(text, indent string, width int) string {
	var b strings.Builder
	paras := strings.Split(strings.TrimSpace(text), "\n\n")
	for i, p := range paras {
		if i > 0 {
			b.WriteString(indent + "//\n")
		}
		for _, line := range strings.Split(p, "\n") {
			if strings.HasPrefix(line, "- ") {
				wrap(&b, strings.TrimPrefix(line, "- "), indent+"//   - ", indent+"//     ", width)
			} else {
				wrap(&b, line, indent+"// ", indent+"// ", width)
			}
		}
	}
	return b.String()
}

func wrap(b *strings.Builder, text, first, rest string, width int) {
	prefix := first
	line := ""
	for _, w := range strings.Fields(text) {
		if line != "" && len(prefix)+len(line)+1+len(w) > width {
			b.WriteString(prefix + line + "\n")
			prefix, line = rest, ""
		}
		if line == "" {
			line = w
		} else {
			line += " " + w
		}
	}
	if line != "" {
		b.WriteString(prefix + line + "\n")
	}
}
