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

	"github.com/zoomkit/zoomkit/examples/internal/exkit"
)

// Post is one POST route of an app, with a form that would change
// something there if the app accepted it.
type Post struct {
	Path string
	Form url.Values
}

// AssertCrossSiteRefusedAll sends each post the ways a page on another
// site makes a browser send it: with Sec-Fetch-Site: cross-site and a
// foreign Origin, and with a foreign Origin alone (browsers without Fetch
// metadata). jar, when not nil, is the signed-in browser's cookie jar,
// whose cookies go along, as they would. It fails t unless every post is
// refused with 403 and state (a snapshot of what the app holds, such as
// [Snapshot]) is the same before and after each.
func AssertCrossSiteRefusedAll(t testing.TB, baseURL string, jar http.CookieJar, state func() string, posts ...Post) {
	t.Helper()
	c := &http.Client{Transport: &http.Transport{}, Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	defer c.CloseIdleConnections()
	ways := []struct {
		name    string
		headers map[string]string
	}{
		{"Sec-Fetch-Site: cross-site", map[string]string{"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"}},
		{"foreign Origin", map[string]string{"Origin": "https://evil.example"}},
	}
	for _, p := range posts {
		for _, way := range ways {
			before := state()
			req, err := http.NewRequestWithContext(context.Background(), http.MethodPost, baseURL+p.Path, strings.NewReader(p.Form.Encode()))
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Accept", "text/html")
			for k, v := range way.headers {
				req.Header.Set(k, v)
			}
			resp, err := c.Do(req)
			if err != nil {
				t.Fatalf("cross-site POST %s (%s): %v", p.Path, way.name, err)
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusForbidden {
				t.Errorf("cross-site POST %s (%s): %d, want 403", p.Path, way.name, resp.StatusCode)
			}
			if after := state(); after != before {
				t.Errorf("cross-site POST %s (%s) changed the app's state:\nbefore:\n%s\nafter:\n%s", p.Path, way.name, before, after)
			}
		}
	}
}

// PostSameOrigin posts form to baseURL+path with c as the app's own page
// makes a browser send it (Origin baseURL, Sec-Fetch-Site: same-origin),
// without following a redirect. It returns the status, the Location
// header and the body.
func PostSameOrigin(t testing.TB, c *http.Client, baseURL, path string, form url.Values) (status int, location, body string) {
	t.Helper()
	cc := *c
	cc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	req, err := http.NewRequestWithContext(context.Background(), http.MethodPost, baseURL+path, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "text/html")
	req.Header.Set("Origin", baseURL)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	resp, err := cc.Do(req)
	if err != nil {
		t.Fatalf("POST %s: %v", path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("Location"), string(b)
}

// Snapshot describes what an example holds: the rows of the token table
// and of the app's tables, the requests the fake Zoom has answered (when
// offline) and the emails sent. Two equal snapshots mean nothing changed.
func Snapshot(t testing.TB, env *exkit.Env, tables ...string) string {
	t.Helper()
	var b strings.Builder
	for _, table := range append([]string{env.Tokens.Table()}, tables...) {
		rows, err := dumpTable(env.DB, table)
		if err != nil {
			t.Fatalf("snapshot of %s: %v", table, err)
		}
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
