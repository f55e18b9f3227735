package exkittest

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zoomkit/zoomkit/examples/internal/exkit"
)

// CrossSite lists the ways a browser marks a form post that a page on
// another site made; the shared protection (exkit.Protect) refuses each
// with 403. "foreign Origin" alone is what browsers without Fetch metadata
// send.
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

// Post is one POST route of an app, with a form that would change
// something there if the app accepted it.
type Post struct {
	Path string
	Form url.Values
}

// AssertCrossSiteRefusedAll sends each post every way of [CrossSite], as a
// page on another site makes a browser send it. jar, when not nil, is the
// signed-in browser's cookie jar, whose cookies go along, as they would.
// It fails t unless every post is refused with 403 and state (a snapshot
// of what the app holds, such as [Snapshot]) is the same before and after
// each.
func AssertCrossSiteRefusedAll(t testing.TB, baseURL string, jar http.CookieJar, state func() string, posts ...Post) {
	t.Helper()
	c := &http.Client{Transport: &http.Transport{}, Jar: jar}
	defer c.CloseIdleConnections()
	for _, p := range posts {
		for _, way := range CrossSite {
			before := state()
			resp := send(t, c, baseURL, p.Path, p.Form, way.Header)
			assert.Equal(t, http.StatusForbidden, resp.status, "cross-site POST %s (%s)", p.Path, way.Name)
			assert.Equal(t, before, state(), "cross-site POST %s (%s) changed the app's state", p.Path, way.Name)
		}
	}
}

// PostRoute is one POST route of an app, with a form it accepts.
type PostRoute struct {
	Path string
	Form url.Values
	// SameOrigin is the status a same-origin post gets; 0 accepts any
	// status but 403.
	SameOrigin int
}

// AssertPostRoutesRefuseCrossSite checks each route in turn: every
// [CrossSite] way must be refused with state unchanged (see
// [AssertCrossSiteRefusedAll]), then a same-origin post must go through.
func AssertPostRoutesRefuseCrossSite(t *testing.T, baseURL string, routes []PostRoute, state func() string) {
	t.Helper()
	for _, r := range routes {
		AssertCrossSiteRefusedAll(t, baseURL, nil, state, Post{Path: r.Path, Form: r.Form})
		got := PostForm(t, baseURL, r.Path, r.Form, SameOrigin(baseURL))
		if got == http.StatusForbidden || r.SameOrigin != 0 && got != r.SameOrigin {
			t.Errorf("POST %s (same origin): %d, want %d (not 403)", r.Path, got, r.SameOrigin)
		}
	}
}

// PostForm posts form to baseURL+path with header and returns the status,
// without following a redirect.
func PostForm(t testing.TB, baseURL, path string, form url.Values, header map[string]string) int {
	t.Helper()
	c := &http.Client{Transport: &http.Transport{}}
	defer c.CloseIdleConnections()
	return send(t, c, baseURL, path, form, header).status
}

// PostSameOrigin posts form to baseURL+path with c as the app's own page
// makes a browser send it (Origin baseURL, Sec-Fetch-Site: same-origin),
// without following a redirect. It returns the status, the Location
// header and the body.
func PostSameOrigin(t testing.TB, c *http.Client, baseURL, path string, form url.Values) (status int, location, body string) {
	t.Helper()
	resp := send(t, c, baseURL, path, form, SameOrigin(baseURL))
	return resp.status, resp.location, resp.body
}

// answer is what send got back.
type answer struct {
	status         int
	location, body string
}

// send posts form to baseURL+path through c with header, as a browser's
// form post (Accept: text/html), without following a redirect.
func send(t testing.TB, c *http.Client, baseURL, path string, form url.Values, header map[string]string) answer {
	t.Helper()
	cc := *c
	cc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	req, err := http.NewRequestWithContext(context.Background(), http.MethodPost, baseURL+path, strings.NewReader(form.Encode()))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "text/html")
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := cc.Do(req)
	require.NoError(t, err, "POST %s", path)
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return answer{resp.StatusCode, resp.Header.Get("Location"), string(b)}
}

// Snapshot describes what an example holds: the rows of the token table
// and of the app's tables, the requests the fake Zoom has answered (when
// offline) and the emails sent. Two equal snapshots mean nothing changed.
func Snapshot(t testing.TB, env *exkit.Env, tables ...string) string {
	t.Helper()
	var b strings.Builder
	for _, table := range append([]string{env.Tokens.Table()}, tables...) {
		rows, err := dumpTable(env.DB, table)
		require.NoError(t, err, "snapshot of %s", table)
		fmt.Fprintf(&b, "%s: %d rows\n", table, len(rows))
		for _, r := range rows {
			fmt.Fprintf(&b, "  %s\n", r)
		}
	}
	if env.Fake != nil {
		fmt.Fprintf(&b, "fake Zoom requests: %d\n", len(env.Fake.Requests()))
	}
	fmt.Fprintf(&b, "emails sent: %d\n", len(env.Mail.Sent()))
	return b.String()
}

// dumpTable returns every row of table, formatted, sorted.
func dumpTable(db *sql.DB, table string) ([]string, error) {
	rows, err := db.QueryContext(context.Background(), "SELECT * FROM "+table)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	var out []string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		for i, v := range vals {
			if bs, ok := v.([]byte); ok {
				vals[i] = string(bs)
			}
		}
		out = append(out, fmt.Sprintf("%v", vals))
	}
	slices.Sort(out)
	return out, rows.Err()
}
