package zoom

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"
)

func TestDownloadStreamsWithoutLeakingToken(t *testing.T) {
	payload := bytes.Repeat([]byte("MP4DATA-"), 100_000) // 800 KB
	var storageAuth atomic.Value
	storage := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		storageAuth.Store(r.Header.Get("Authorization"))
		w.Write(payload)
	}))
	defer storage.Close()
	var zoomAuth atomic.Value
	zoomHost := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		zoomAuth.Store(r.Header.Get("Authorization"))
		if r.URL.Path == "/rec/download/missing" {
			w.WriteHeader(404)
			io.WriteString(w, `{"code":3301,"message":"This recording does not exist."}`)
			return
		}
		http.Redirect(w, r, storage.URL+"/blob?sig=1", http.StatusFound)
	}))
	defer zoomHost.Close()
	zu, _ := url.Parse(zoomHost.URL)
	c, err := NewClient(WithTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "AT-SECRET"})),
		WithDownloadHosts(zu.Host))
	require.NoError(t, err)
	var buf bytes.Buffer
	n, _, err := c.CloudRecordings.Download(t.Context(), zoomHost.URL+"/rec/download/abc", &buf, nil)
	require.NoError(t, err)
	require.Equal(t, int64(len(payload)), n, "got %d bytes", n)
	require.True(t, bytes.Equal(buf.Bytes(), payload), "got %d bytes", n)
	require.Equal(t, "Bearer AT-SECRET", zoomAuth.Load(), "zoom host got %q, storage got %q", zoomAuth.Load(), storageAuth.Load())
	require.Equal(t, "", storageAuth.Load(), "zoom host got %q, storage got %q", zoomAuth.Load(), storageAuth.Load())

	// The download_token of a webhook event replaces the client's token.
	_, _, err = c.CloudRecordings.Download(t.Context(), zoomHost.URL+"/rec/download/abc", io.Discard, &DownloadOptions{AccessToken: "DL-TOKEN"})
	require.NoError(t, err)
	require.Equal(t, "Bearer DL-TOKEN", zoomAuth.Load(), "zoom host got %q", zoomAuth.Load())

	_, _, err = c.CloudRecordings.Download(t.Context(), zoomHost.URL+"/rec/download/missing", io.Discard, nil)
	require.ErrorIs(t, err, ErrNotFound, "err = %v", err)
	zoomHost.Client().CloseIdleConnections()
}

func TestDownloadRefusesForeignHosts(t *testing.T) {
	rt := &fakeRT{}
	c := newFakeClient(t, rt)
	for _, u := range []string{
		"https://evil.example/rec/download/1",
		"https://zoom.us.evil.example/rec",
		"http://zoom.us/rec/download/1", // plain http would expose the token
		"https://zoom.us:8443/rec",
		"/rec/download/1",
		"::",
	} {
		_, _, err := c.CloudRecordings.Download(t.Context(), u, io.Discard, nil)
		assert.ErrorIs(t, err, ErrInvalidArgument, "%s: err = %v", u, err)
	}
	require.Equal(t, 0, rt.count(), "%d requests sent", rt.count())
	allowed := []string{"https://zoom.us/rec/download/1", "https://us02web.zoom.us/rec/download/1", "https://api.zoom.test/v2/x", "https://zoomgov.com/rec/1"}
	for _, s := range allowed {
		u, _ := url.Parse(s)
		assert.True(t, c.downloadHostAllowed(u), "%s refused", s)
	}
	_, err := NewClient(WithHTTPClient(http.DefaultClient), WithDownloadHosts("a/b"))
	require.Error(t, err, "bad host accepted")
}

func TestDownloadTruncatedBody(t *testing.T) {
	rt := &fakeRT{steps: []func(*http.Request) (*http.Response, error){func(r *http.Request) (*http.Response, error) {
		return &http.Response{StatusCode: 200, Header: http.Header{}, ContentLength: 100,
			Body: io.NopCloser(strings.NewReader("short")), Request: r}, nil
	}}}
	c := newFakeClient(t, rt)
	n, _, err := c.CloudRecordings.Download(t.Context(), "https://zoom.us/rec/download/1", io.Discard, nil)
	require.ErrorIs(t, err, io.ErrUnexpectedEOF, "n=%d err=%v", n, err)
	require.Equal(t, int64(5), n, "n=%d err=%v", n, err)
}
