package exkittest

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// CrossSite lists the ways a browser marks a form post that another site
// made; the shared protection (exkit.Protect) refuses each with 403.
var CrossSite = []struct {
	Name   string
	Header map[string]string
}{
	{"foreign Origin", map[string]string{"Origin": "https://evil.example"}},
	{"Sec-Fetch-Site cross-site", map[string]string{"Sec-Fetch-Site": "cross-site"}},
	{"both", map[string]string{"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"}},
	{"same-site sibling", map[string]string{"Origin": "https://other.example", "Sec-Fetch-Site": "same-site"}},
}

// SameOrigin is the header of a form post from the app's own page at
// baseURL.
func SameOrigin(baseURL string) map[string]string {
	return map[string]string{"Origin": baseURL, "Sec-Fetch-Site": "same-origin"}
}

// PostForm posts form to baseURL+path with header and returns the status,
// without following a redirect.
func PostForm(t testing.TB, baseURL, path string, form url.Values, header map[string]string) int {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, baseURL+path, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for k, v := range header {
		req.Header.Set(k, v)
	}
	c := &http.Client{Transport: &http.Transport{}, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}
	defer c.CloseIdleConnections()
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// PostRoute is one POST route of an app, with a form it accepts.
type PostRoute struct {
	Path string
	Form url.Values
	// SameOrigin is the status a same-origin post gets; 0 accepts any
	// status but 403.
	SameOrigin int
}

// AssertPostRoutesRefuseCrossSite posts to each route in turn: every
// [CrossSite] variant must be refused with 403 with state unchanged (state
// describes what a post could change: the app's records, Zoom's requests,
// the outbox), then a same-origin post must go through.
func AssertPostRoutesRefuseCrossSite(t *testing.T, baseURL string, routes []PostRoute, state func() string) {
	t.Helper()
	for _, r := range routes {
		before := state()
		for _, v := range CrossSite {
			if got := PostForm(t, baseURL, r.Path, r.Form, v.Header); got != http.StatusForbidden {
				t.Errorf("POST %s (%s): %d, want 403", r.Path, v.Name, got)
			}
		}
		if after := state(); after != before {
			t.Errorf("POST %s from another site changed the state:\nbefore %s\nafter  %s", r.Path, before, after)
		}
		got := PostForm(t, baseURL, r.Path, r.Form, SameOrigin(baseURL))
		if got == http.StatusForbidden || r.SameOrigin != 0 && got != r.SameOrigin {
			t.Errorf("POST %s (same origin): %d, want %d (not 403)", r.Path, got, r.SameOrigin)
		}
	}
}
