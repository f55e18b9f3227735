package main

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/zoomkit/zoomkit/internal/gen/ojson"
)

func encode(t *testing.T, n *ojson.Node) string {
	t.Helper()
	var b bytes.Buffer
	n.Encode(&b, 0)
	return b.String()
}

func parse(t *testing.T, s string) *ojson.Node {
	t.Helper()
	n, err := ojson.Parse([]byte(s))
	require.NoError(t, err)
	return n
}

func TestTrim(t *testing.T) {
	doc := parse(t, `{"openapi":"3.0.0","x-extra":1,"info":{},"paths":{
		"/a":{"parameters":[],"get":{"tags":["Keep"]},"post":{"tags":["Drop"]}},
		"/b":{"get":{"tags":["Drop"]}},
		"/c":{"delete":{"tags":["Other","Keep"]}}},"components":{}}`)
	if n := trim(doc, []string{"Keep"}); n != 2 {
		t.Errorf("kept %d operations, want 2", n)
	}
	want := encode(t, parse(t, `{"openapi":"3.0.0","info":{},"paths":{
		"/a":{"parameters":[],"get":{"tags":["Keep"]}},
		"/c":{"delete":{"tags":["Other","Keep"]}}},"components":{}}`))
	if got := encode(t, doc); got != want {
		t.Errorf("trimmed:\n%s\nwant:\n%s", got, want)
	}
}

func TestTrimEvents(t *testing.T) {
	doc := parse(t, `{"openapi":"3.1.0","info":{},"webhooks":{
		"a.one":{"post":{"requestBody":{},"responses":{"200":{}}}},
		"b.two":{"post":{"requestBody":{}}},
		"c.three":{"post":{}}}}`)
	n, missing := trimEvents(doc, []string{"c.three", "a.one", "d.four"})
	if n != 2 || len(missing) != 1 || missing[0] != "d.four" {
		t.Errorf("trimEvents = %d, %v; want 2, [d.four]", n, missing)
	}
	want := encode(t, parse(t, `{"openapi":"3.1.0","info":{},"webhooks":{
		"c.three":{"post":{}},
		"a.one":{"post":{"requestBody":{}}}}}`))
	if got := encode(t, doc); got != want {
		t.Errorf("trimmed:\n%s\nwant:\n%s", got, want)
	}
}

func TestTrimEventsNoWebhooks(t *testing.T) {
	doc := parse(t, `{"openapi":"3.0.0","paths":{}}`)
	if n, missing := trimEvents(doc, []string{"a.one"}); n != 0 || len(missing) != 1 {
		t.Errorf("trimEvents = %d, %v; want 0, [a.one]", n, missing)
	}
}

// The two slips of account.settings_updated's schema are repaired, and nothing else changes: a
// "properties" member that is a schema, a numeric minimum, and a property named minimum stay.
func TestRepairSchemas(t *testing.T) {
	doc := parse(t, `{"webhooks":{"e":{"type":"object","properties":{
		"chat":{"type":"object","properties":{"type":"object","a":{"type":"boolean"}}},
		"ports_range":{"type":"string","minimum":"1","maximum":"65535"},
		"n":{"type":"integer","minimum":1},
		"minimum":{"type":"string"}}}}}`)
	got := repairSchemas(doc, "")
	require.Equal(t, []string{
		"/webhooks/e/properties/chat/properties/type (not a schema)",
		"/webhooks/e/properties/ports_range/minimum (a string)",
		"/webhooks/e/properties/ports_range/maximum (a string)",
	}, got)
	want := encode(t, parse(t, `{"webhooks":{"e":{"type":"object","properties":{
		"chat":{"type":"object","properties":{"a":{"type":"boolean"}}},
		"ports_range":{"type":"string"},
		"n":{"type":"integer","minimum":1},
		"minimum":{"type":"string"}}}}}`))
	require.Equal(t, want, encode(t, doc))
	require.Empty(t, repairSchemas(doc, ""), "a second pass finds nothing")
}
