package exkittest_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
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
