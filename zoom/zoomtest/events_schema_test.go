package zoomtest_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/zoomkit/zoomkit/zoom/zoomtest"
)

// eventSchemas compiles the event schemas of Zoom's webhook documents, as
// vendored (trimmed) by package webhook.
func eventSchemas(t *testing.T) map[string]*jsonschema.Schema {
	t.Helper()
	out := map[string]*jsonschema.Schema{}
	files, _ := filepath.Glob("../../webhook/testdata/spec/*.json")
	if len(files) == 0 {
		t.Skip("webhook/testdata/spec is missing")
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		require.NoError(t, err)
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
		require.NoError(t, err)
		m, ok := doc.(map[string]any)
		require.True(t, ok, "%s: not an object", f)
		hooks, _ := m["webhooks"].(map[string]any)
		// The documents' $refs point at #/paths/<event>/...
		m["paths"] = hooks
		c := jsonschema.NewCompiler()
		url := "mem://" + filepath.Base(f)
		err = c.AddResource(url, m)
		require.NoError(t, err)
		for name := range hooks {
			ptr := url + "#/webhooks/" + strings.ReplaceAll(name, "/", "~1") + "/post/requestBody/content/application~1json/schema"
			sch, err := c.Compile(ptr)
			require.NoError(t, err, "%s", name)
			out[name] = sch
		}
	}
	return out
}

// checkEvents validates every delivery of s against Zoom's event schemas.
func checkEvents(t *testing.T, s *zoomtest.Server) {
	t.Helper()
	schemas := eventSchemas(t)
	checked := 0
	for _, d := range s.Deliveries() {
		sch := schemas[d.Event]
		if sch == nil {
			continue
		}
		v, err := jsonschema.UnmarshalJSON(bytes.NewReader(d.Body))
		require.NoError(t, err)
		err = sch.Validate(v)
		assert.NoError(t, err, "%s does not match Zoom's schema: %v\n%s", d.Event, err, d.Body)
		checked++
	}
	t.Logf("%d deliveries checked against %d schemas", checked, len(schemas))
}
