package zoom

import (
	"context"
	"errors"
	"net/http"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDotPathParametersRefused(t *testing.T) {
	for _, id := range []string{".", ".."} {
		for name, call := range map[string]func(c *Client) error{
			"Groups.DeleteMember": func(c *Client) error { _, err := c.Groups.DeleteMember(t.Context(), "G1", id); return err },
			"Groups.DeleteMember group": func(c *Client) error {
				_, err := c.Groups.DeleteMember(t.Context(), id, "M1")
				return err
			},
			"Users.DeleteAssistant": func(c *Client) error { _, err := c.Users.DeleteAssistant(t.Context(), "U1", id); return err },
			"Meetings.DeleteRegistrant": func(c *Client) error {
				_, err := c.Meetings.DeleteRegistrant(t.Context(), 85746065, id, nil)
				return err
			},
			"Meetings.GetPast": func(c *Client) error { _, _, err := c.Meetings.GetPast(t.Context(), InstanceID(id)); return err },
			"Users.Get":        func(c *Client) error { _, _, err := c.Users.Get(t.Context(), id, nil); return err },
		} {
			t.Run(name+" "+id, func(t *testing.T) {
				rt := &fakeRT{steps: []func(*http.Request) (*http.Response, error){respond(204, nil, "")}}
				c := newFakeClient(t, rt)
				err := call(c)
				var ae *ArgumentError
				require.ErrorAs(t, err, &ae, "err = %v, want an *ArgumentError", err)
				require.ErrorIs(t, err, ErrInvalidArgument, "err = %v, want an *ArgumentError", err)
				require.True(t, strings.HasSuffix(ae.Arg, "ID"), "error %q names %q: want the parameter", err, ae.Arg)
				require.Equal(t, 0, rt.count(), "%d requests sent", rt.count())
			})
		}
	}
}

// TestEveryPathParameterChecked sends each generated operation with ".",
// ".." and "" in each of its path parameters, through the client's
// pipeline: none may leave.
func TestEveryPathParameterChecked(t *testing.T) {
	src, err := os.ReadFile("zz_operations.go")
	require.NoError(t, err)
	re := regexp.MustCompile(`&operation\{Method: "(\w+)", Path: "([^"]+)", ID: "([^"]+)"`)
	ops := re.FindAllStringSubmatch(string(src), -1)
	require.GreaterOrEqual(t, len(ops), 100, "found %d operations", len(ops))
	rt := &fakeRT{steps: []func(*http.Request) (*http.Response, error){respond(204, nil, "")}}
	c := newFakeClient(t, rt)
	checked := 0
	for _, m := range ops {
		op := &operation{Method: m[1], Path: m[2], ID: m[3]}
		n := strings.Count(op.Path, "{")
		for i := range n {
			for _, bad := range []string{".", "..", ""} {
				args := make([]string, n)
				for j := range args {
					args[j] = "ok-1"
				}
				args[i] = bad
				_, err := c.call(context.Background(), op, buildPath(op.Path, args...), nil, nil, nil)
				var ae *ArgumentError
				if !errors.As(err, &ae) {
					t.Errorf("%s %s with %q in parameter %d: err = %v", op.Method, op.Path, bad, i, err)
					continue
				}
				checked++
			}
		}
	}
	require.Equal(t, 0, rt.count(), "%d requests sent", rt.count())
	if checked == 0 {
		t.Fatal("nothing checked")
	}
}

func TestPlainHTTPRefusedOffLoopback(t *testing.T) {
	for _, u := range []string{"http://api.zoom.us/v2", "http://10.0.0.8/v2", "http://zoom.example:8080/v2"} {
		_, err := NewClient(WithHTTPClient(http.DefaultClient), WithBaseURL(u))
		assert.Error(t, err, "WithBaseURL(%q) accepted", u)
	}
	for _, u := range []string{"http://localhost:8080/v2", "http://127.0.0.1:9/v2", "http://127.3.4.5/v2", "http://[::1]:80/v2", "https://api-eu.zoom.us/v2"} {
		_, err := NewClient(WithHTTPClient(http.DefaultClient), WithBaseURL(u))
		assert.NoError(t, err, "WithBaseURL(%q)", u)
	}
}

func TestDownloadRefusesPlainHTTPAndDotSegments(t *testing.T) {
	rt := &fakeRT{steps: []func(*http.Request) (*http.Response, error){func(r *http.Request) (*http.Response, error) {
		resp, err := respond(200, nil, "data")(r)
		resp.ContentLength = 4
		return resp, err
	}}}
	c := newFakeClient(t, rt, WithDownloadHosts("files.example", "127.0.0.1:8080"))
	for _, u := range []string{
		"http://files.example/rec/1",           // an allowed host, but plain http
		"http://api.zoom.test/v2/rec/1",        // the API host, plain http
		"https://zoom.us/rec/download/../../x", // dot segments
		"https://zoom.us/rec/download/%2e%2e/x",
		"https://zoom.us/rec/./download/x",
		"https://zoom.us/rec/download/..",
	} {
		_, _, err := c.CloudRecordings.Download(t.Context(), u, &strings.Builder{}, nil)
		assert.ErrorIs(t, err, ErrInvalidArgument, "%s: err = %v, want an *ArgumentError", u, err)
	}
	require.Equal(t, 0, rt.count(), "%d requests sent", rt.count())
	var b strings.Builder
	_, _, err := c.CloudRecordings.Download(t.Context(), "http://127.0.0.1:8080/rec/1", &b, nil)
	require.NoError(t, err, "loopback http: %v %q", err, b.String())
	require.Equal(t, "data", b.String(), "loopback http: %v %q", err, b.String())
}
