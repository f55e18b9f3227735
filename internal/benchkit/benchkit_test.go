package benchkit

import (
	"bytes"
	"encoding/json"
	"flag"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestServerAnswersTheBenchmarkedCalls(t *testing.T) {
	s := NewServer()
	defer s.Close()
	hc := s.Client()
	get := func(method, path string, wantStatus, wantItems int, key string) {
		t.Helper()
		req, err := http.NewRequestWithContext(t.Context(), method, s.URL+path, strings.NewReader(`{"topic":"x"}`))
		require.NoError(t, err)
		resp, err := hc.Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		assert.Equal(t, wantStatus, resp.StatusCode, path)
		assert.Equal(t, int64(len(body)), resp.ContentLength, "%s: a Content-Length keeps connections reused", path)
		var doc map[string]json.RawMessage
		require.NoError(t, json.Unmarshal(body, &doc), path)
		if key != "" {
			var items []json.RawMessage
			require.NoError(t, json.Unmarshal(doc[key], &items))
			assert.Len(t, items, wantItems, path)
		}
	}
	get(http.MethodGet, "/v2/meetings/91538056781", 200, 0, "")
	get(http.MethodPost, "/v2/users/"+HostID+"/meetings", 201, 0, "")
	get(http.MethodGet, "/v2/users?page_size=1", 200, 1, "users")
	get(http.MethodGet, "/v2/users?page_size=300", 200, 300, "users")
	get(http.MethodGet, "/v2/report/webinars/"+WebinarID+"/participants?page_size=300", 200, 300, "participants")

	resp, err := hc.Get(s.URL + "/v2/unknown")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusNotFound, resp.StatusCode)
}

func TestCompareAlternatesAndPrintsMedians(t *testing.T) {
	var order []string
	impl := func(name string) Impl {
		return Impl{Name: name, Bench: func(b *testing.B) {
			order = append(order, name)
			for b.Loop() {
			}
		}}
	}
	// Brief benchmarks: this checks the alternation, not the numbers.
	bt := flag.Lookup("test.benchtime")
	old := bt.Value.String()
	require.NoError(t, bt.Value.Set("20x"))
	t.Cleanup(func() { _ = bt.Value.Set(old) })
	var out bytes.Buffer
	require.NoError(t, Compare(&out, 2, []Workload{{Name: "W", Impls: []Impl{impl("a"), impl("b")}}}))
	// testing.Benchmark calls a function several times while it sizes b.N:
	// runs of one name are one benchmark. Block 1 runs a then b, block 2
	// b then a.
	var runs []string
	for _, n := range order {
		if len(runs) == 0 || runs[len(runs)-1] != n {
			runs = append(runs, n)
		}
	}
	assert.Equal(t, []string{"a", "b", "a"}, runs)
	assert.Contains(t, out.String(), "W block 1:")
	assert.Contains(t, out.String(), "W block 2:")
	assert.Contains(t, out.String(), "W: median a/b")
	assert.Regexp(t, `W: fastest block a \d+ ns/op, b \d+ ns/op: a/b \d+\.\d\dx time`, out.String())
	assert.Error(t, Compare(&out, 0, nil))
	assert.Error(t, Compare(&out, 1, []Workload{{Name: "one", Impls: []Impl{impl("a")}}}))
}

func TestMedian(t *testing.T) {
	assert.Equal(t, 0.0, Median(nil))
	assert.Equal(t, 2.0, Median([]float64{3, 1, 2}))
	assert.Equal(t, 2.5, Median([]float64{4, 1, 2, 3}))
}
