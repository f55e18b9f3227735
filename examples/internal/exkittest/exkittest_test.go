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
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("%s: %d", name, resp.StatusCode)
		}
	}
	if posted != 2 {
		t.Errorf("handler ran %d times, want 2", posted)
	}
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
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	code, body := get("/nope", "text/html,application/xhtml+xml")
	if code != 404 || !strings.Contains(body, "Page not found") || !strings.Contains(body, `href="/"`) || strings.Contains(body, "404 page not found") {
		t.Errorf("browser 404: %d %s", code, body)
	}
	if code, body := get("/nope", "application/json"); code != 404 || !strings.Contains(body, "404 page not found") {
		t.Errorf("API 404: %d %s", code, body)
	}
	if code, body := get("/", "text/html"); code != 200 || body != "home" {
		t.Errorf("home: %d %s", code, body)
	}
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
	if got := state(); got != "map[/a:1 /b:1]" {
		t.Errorf("handler ran %s, want once per route (the same-origin posts)", got)
	}
}
