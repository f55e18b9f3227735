package exkit

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLayoutWrapsPagesWithSharedHeaderAndStylesheet(t *testing.T) {
	l := Layout{App: "PulsoDesk", Nav: []NavLink{{"/", "Home"}, {"/settings", "Settings"}}, Footer: "demo"}
	tmpl := l.Parse(`{{define "home"}}{{template "top" "Meetings"}}<h1>{{.}}</h1>{{template "bottom"}}{{end}}`, nil)
	var b bytes.Buffer
	require.NoError(t, tmpl.ExecuteTemplate(&b, "home", "<Hello>"))
	out := b.String()
	assert.Contains(t, out, "<title>Meetings · PulsoDesk</title>")
	assert.Contains(t, out, `<link rel="stylesheet" href="/assets/app.css">`)
	assert.Contains(t, out, `<a href="/settings">Settings</a>`)
	assert.Contains(t, out, "<h1>&lt;Hello&gt;</h1>", "page values are escaped")
	assert.Contains(t, out, "demo · ")
}

func TestServeStylesheet(t *testing.T) {
	h := ServeStylesheet(http.NotFoundHandler())
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, StylesheetPath, nil))
	assert.Equal(t, http.StatusOK, rec.Code)
	assert.Equal(t, "text/css; charset=utf-8", rec.Header().Get("Content-Type"))
	assert.True(t, strings.HasPrefix(rec.Body.String(), "*{box-sizing"))

	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/other", nil))
	assert.Equal(t, http.StatusNotFound, rec.Code, "other paths reach the app")
}
