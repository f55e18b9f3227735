package exkit

import (
	"html/template"
	"net/http"
)

// StylesheetPath is where every example app serves the shared stylesheet
// ([Stylesheet]); the shared layout links to it.
const StylesheetPath = "/assets/app.css"

// Layout is the look the five example apps share: one stylesheet, a header
// with the product's name and its navigation, and a footer. Pages are
// html/template texts that open with {{template "top" "Page title"}} and
// close with {{template "bottom"}}; the dot given to "top" is the page's
// title (a string).
//
// The stylesheet's classes: .flash (a success notice), .err (an error
// sentence), .muted, .card, .actions (a row of buttons), button.danger,
// button.secondary, table.list, .badge and .badge.ok/.warn/.off.
type Layout struct {
	// App is the product's name, shown in the header and the tab title.
	App string
	// Nav lists the header's links, in order. The first is usually "/".
	Nav []NavLink
	// Footer is a line of plain text under every page (optional).
	Footer string
}

// NavLink is one link of a [Layout]'s header.
type NavLink struct {
	Href, Label string
}

// Parse returns the app's page templates: the shared "top" and "bottom"
// templates, funcs (may be nil), and pages. The func "layout" returns l.
// It panics when pages do not parse, as template.Must does: page texts are
// constants of the program.
func (l Layout) Parse(pages string, funcs template.FuncMap) *template.Template {
	fm := template.FuncMap{"layout": func() Layout { return l }}
	for k, v := range funcs {
		fm[k] = v
	}
	t := template.Must(template.New("layout").Funcs(fm).Parse(layoutText))
	return template.Must(t.Parse(pages))
}

const layoutText = `{{define "top"}}<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{with .}}{{.}} · {{end}}{{layout.App}}</title>
<link rel="stylesheet" href="` + StylesheetPath + `"></head>
<body><header class="bar"><a class="brand" href="/">{{layout.App}}</a>
<nav>{{range layout.Nav}}<a href="{{.Href}}">{{.Label}}</a>{{end}}</nav></header>
<main>{{end}}
{{define "bottom"}}</main>
<footer>{{with layout.Footer}}{{.}} · {{end}}an example app built on zoomkit</footer>
</body></html>{{end}}`

// Stylesheet is the shared stylesheet, served at [StylesheetPath] by
// [Env.Start] and [Env.Serve] (and by [ServeStylesheet] for other servers).
const Stylesheet = `*{box-sizing:border-box}
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1d2330;background:#f6f7fb}
header.bar{display:flex;gap:1.5rem;align-items:center;padding:.7rem 1.5rem;background:#0b5cff;color:#fff}
header.bar a{color:#fff;text-decoration:none}
header.bar .brand{font-weight:700;font-size:1.1rem}
header.bar nav{display:flex;gap:1rem;flex-wrap:wrap}
header.bar nav a{opacity:.9}header.bar nav a:hover{opacity:1;text-decoration:underline}
main{max-width:62rem;margin:1.5rem auto;padding:0 1.5rem}
footer{max-width:62rem;margin:2rem auto;padding:0 1.5rem;color:#778;font-size:.85rem}
h1{font-size:1.5rem;margin:.5rem 0 1rem}h2{font-size:1.15rem;margin:1.5rem 0 .5rem}
a{color:#0b5cff}
.card{background:#fff;border:1px solid #e2e5ee;border-radius:8px;padding:1rem 1.25rem;margin:1rem 0}
.flash{background:#e9f8ee;border:1px solid #b9e4c6;border-radius:6px;padding:.6rem 1rem;margin:1rem 0}
.err{background:#fdeeee;border:1px solid #f2c2c2;border-radius:6px;padding:.6rem 1rem;margin:1rem 0;color:#7a1111}
.muted{color:#6b7285}
table.list,table{border-collapse:collapse;width:100%;background:#fff;border:1px solid #e2e5ee;border-radius:8px}
th,td{padding:.45rem .7rem;border-bottom:1px solid #eceef4;text-align:left;vertical-align:top}
th{font-weight:600;background:#fafbfd}
form{margin:.5rem 0}form.inline,td form{display:inline}
label{display:block;margin:.4rem 0 .15rem;font-weight:500}
input,select,textarea{font:inherit;padding:.35rem .5rem;border:1px solid #c8ccd8;border-radius:5px;max-width:100%}
button,.button{font:inherit;padding:.35rem .9rem;border-radius:5px;border:1px solid #0b5cff;background:#0b5cff;color:#fff;cursor:pointer;text-decoration:none;display:inline-block}
button.secondary,.button.secondary{background:#fff;color:#0b5cff}
button.danger,.button.danger{background:#c62828;border-color:#c62828}
.actions{display:flex;gap:.5rem;flex-wrap:wrap;align-items:center;margin:.75rem 0}
.badge{display:inline-block;padding:0 .5rem;border-radius:999px;font-size:.8rem;background:#eceef4;color:#434a5c}
.badge.ok{background:#e0f4e7;color:#1b6b35}.badge.warn{background:#fff2d6;color:#7a5200}.badge.off{background:#eee;color:#777}
code{background:#eef0f6;padding:0 .25rem;border-radius:3px}
`

// ServeStylesheet serves [Stylesheet] at [StylesheetPath] and passes every
// other request to h.
func ServeStylesheet(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == StylesheetPath && (r.Method == http.MethodGet || r.Method == http.MethodHead) {
			w.Header().Set("Content-Type", "text/css; charset=utf-8")
			w.Header().Set("Cache-Control", "max-age=300")
			_, _ = w.Write([]byte(Stylesheet))
			return
		}
		h.ServeHTTP(w, r)
	})
}
