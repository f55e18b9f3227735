package exkittest_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zoomkit/zoomkit/examples/internal/exkit"
	"github.com/zoomkit/zoomkit/examples/internal/exkittest"
)

// The shared protection refuses a browser's cross-site form post and lets
// a same-origin post and Zoom's webhook POST (no browser headers) through.
func TestProtect(t *testing.T) {
	posted := 0
	srv := httptest.NewServer(exkit.Protect(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		posted++
	})))
	defer srv.Close()
	exkittest.AssertCrossSiteRefused(t, srv.URL, "/settings")
	for name, headers := range map[string]map[string]string{
		"same origin": {"Origin": srv.URL, "Sec-Fetch-Site": "same-origin"},
		"webhook":     {},
	} {
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/zoom/webhook", strings.NewReader("{}"))
		for k, v := range headers {
			req.Header.Set(k, v)
		}
		resp, err := srv.Client().Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		assert.Equal(t, http.StatusOK, resp.StatusCode, "%s", name)
	}
	assert.Equal(t, 2, posted, "handler runs")
}

// A browser asking for a page the app does not have gets a styled page with
// a way back; API clients and Zoom's webhooks get the plain answer.
func TestStyledNotFound(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte("home")) })
	srv := httptest.NewServer(exkit.StyledNotFound("demo", mux))
	defer srv.Close()
	get := func(path, accept string) (int, string) {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+path, nil)
		req.Header.Set("Accept", accept)
		resp, err := srv.Client().Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	code, body := get("/nope", "text/html,application/xhtml+xml")
	assert.Equal(t, 404, code, "browser 404: %d %s", code, body)
	assert.Contains(t, body, "Page not found", "browser 404: %d %s", code, body)
	assert.Contains(t, body, `href="/"`, "browser 404: %d %s", code, body)
	assert.NotContains(t, body, "404 page not found", "browser 404: %d %s", code, body)
	code, body = get("/nope", "application/json")
	assert.Equal(t, 404, code, "API 404: %d %s", code, body)
	assert.Contains(t, body, "404 page not found", "API 404: %d %s", code, body)
	code, body = get("/", "text/html")
	assert.Equal(t, 200, code, "home: %d %s", code, body)
	assert.Equal(t, "home", body, "home: %d %s", code, body)
}

// Each cross-site variant of a post is refused before the handler runs;
// the same-origin post reaches it.
func TestAssertPostRoutesRefuseCrossSite(t *testing.T) {
	var mu sync.Mutex
	posted := map[string]int{}
	srv := httptest.NewServer(exkit.Protect(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		posted[r.URL.Path]++
		mu.Unlock()
		http.Redirect(w, r, "/", http.StatusSeeOther)
	})))
	defer srv.Close()
	state := func() string {
		mu.Lock()
		defer mu.Unlock()
		return fmt.Sprint(posted)
	}
	exkittest.AssertPostRoutesRefuseCrossSite(t, srv.URL, []exkittest.PostRoute{
		{Path: "/a", Form: url.Values{"x": {"1"}}, SameOrigin: http.StatusSeeOther},
		{Path: "/b"},
	}, state)
	assert.Equal(t, "map[/a:1 /b:1]", state(), "handler runs: once per route (the same-origin posts)")
}
