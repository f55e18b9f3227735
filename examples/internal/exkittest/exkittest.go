// Package exkittest holds test helpers shared by the example apps' tests.
package exkittest

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
)

// AssertCrossSiteRefused fails t unless a cross-site form post to
// baseURL+path is refused with 403, as a browser would send it from
// another site (Origin and Sec-Fetch-Site both say so). For every way a
// browser marks such a post, and a check that nothing changed, see
// [AssertCrossSiteRefusedAll].
func AssertCrossSiteRefused(t testing.TB, baseURL, path string) {
	t.Helper()
	c := &http.Client{Transport: &http.Transport{}}
	defer c.CloseIdleConnections()
	got := send(t, c, baseURL, path, url.Values{"x": {"1"}},
		map[string]string{"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"})
	assert.Equal(t, http.StatusForbidden, got.status, "cross-site POST %s", path)
}
