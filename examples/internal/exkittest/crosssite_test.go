package exkittest_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/zoomkit/zoomkit/examples/internal/exkit"
	"github.com/zoomkit/zoomkit/examples/internal/exkittest"
)

// recorder is a testing.TB that records failures instead of failing.
type recorder struct {
	testing.TB
	mu     sync.Mutex
	errors []string
}

func (r *recorder) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}

// The table-driven check passes for a protected app, fails for a route
// that accepts a cross-site post, and a same-origin post still works.
func TestAssertCrossSiteRefusedAll(t *testing.T) {
	var mu sync.Mutex
	changes := 0
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		changes++
		mu.Unlock()
		http.Redirect(w, r, "/done", http.StatusSeeOther)
	})
	state := func() string {
		mu.Lock()
		defer mu.Unlock()
		return fmt.Sprint(changes)
	}
	posts := []exkittest.Post{{Path: "/a", Form: url.Values{"x": {"1"}}}, {Path: "/b"}}

	protected := httptest.NewServer(exkit.Protect(h))
	defer protected.Close()
	exkittest.AssertCrossSiteRefusedAll(t, protected.URL, nil, state, posts...)
	assert.Equal(t, "0", state())
	st, loc, _ := exkittest.PostSameOrigin(t, protected.Client(), protected.URL, "/a", url.Values{"x": {"1"}})
	assert.Equal(t, http.StatusSeeOther, st)
	assert.Equal(t, "/done", loc)
	assert.Equal(t, "1", state())

	open := httptest.NewServer(h)
	defer open.Close()
	rec := &recorder{TB: t}
	exkittest.AssertCrossSiteRefusedAll(rec, open.URL, nil, state, posts[0])
	assert.Len(t, rec.errors, 2*len(exkittest.CrossSite), "each way: a status and a state change: %q", rec.errors)
}
