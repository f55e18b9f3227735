package zoom

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// DownloadOptions adjusts [CloudRecordingsService.Download].
type DownloadOptions struct {
	// AccessToken, when set, is sent instead of the client's token: the
	// download_access_token of a recording, or the download_token of a
	// recording.completed webhook event.
	AccessToken Secret
}

var opDownload = &operation{Method: http.MethodGet, Path: "{download_url}", ID: "recordingDownload"}

// Download streams the recording file at downloadURL (a recording file's
// download_url) to w and returns the number of bytes written.
//
// downloadURL must be https (plain http only to a loopback host) and have
// no "." or ".." path segment. The bearer token is sent only to Zoom's hosts (zoom.us and its
// subdomains, zoomgov.com and its subdomains, the client's API host, and
// hosts added with [WithDownloadHosts]); any other URL is refused before a
// request, since download URLs often come from webhook payloads. Zoom
// answers with a redirect to its storage; the redirect is followed without
// the token. The download is not retried: a failure after the first byte
// would duplicate data in w.
func (s *CloudRecordingsService) Download(ctx context.Context, downloadURL string, w io.Writer, opts *DownloadOptions) (int64, *Response, error) {
	c := s.client
	if w == nil {
		return 0, nil, &ArgumentError{Operation: opDownload.ID, Arg: "w", Reason: "is required"}
	}
	u, err := url.Parse(downloadURL)
	if err != nil || u.Host == "" {
		return 0, nil, &ArgumentError{Operation: opDownload.ID, Arg: "downloadURL", Reason: "is not an absolute URL"}
	}
	if !secureURL(u) {
		return 0, nil, &ArgumentError{Operation: opDownload.ID, Arg: "downloadURL",
			Reason: "is plain http to a host that is not loopback: the token would travel in clear"}
	}
	if hasDotSegment(u) {
		return 0, nil, &ArgumentError{Operation: opDownload.ID, Arg: "downloadURL",
			Reason: `has a "." or ".." path segment`}
	}
	if !c.downloadHostAllowed(u) {
		return 0, nil, &ArgumentError{Operation: opDownload.ID, Arg: "downloadURL",
			Reason: fmt.Sprintf("names host %q, which is not a Zoom host (see WithDownloadHosts)", u.Hostname())}
	}
	var token string
	if opts != nil && opts.AccessToken != "" {
		token = string(opts.AccessToken)
	} else {
		tok, err := c.token(ctx)
		if err != nil {
			return 0, nil, err
		}
		if tok != nil {
			token = tok.AccessToken
		}
	}
	actx, _ := withAttemptState(ctx, opDownload)
	req, err := http.NewRequestWithContext(actx, http.MethodGet, u.String(), nil)
	if err != nil {
		return 0, nil, &ArgumentError{Operation: opDownload.ID, Arg: "downloadURL", Reason: "is not a valid URL"}
	}
	req.Header.Set("User-Agent", c.userAgent)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil {
			return 0, nil, ctxErr
		}
		return 0, nil, &NetworkError{Method: http.MethodGet, Path: "recording download", Err: sanitizeErr(err)}
	}
	r := newResponse(resp)
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return 0, r, checkResponse(&request{op: opDownload, token: token}, resp)
	}
	defer closeBody(resp.Body)
	n, err := io.Copy(w, resp.Body)
	if err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil {
			return n, r, ctxErr
		}
		return n, r, &NetworkError{Method: http.MethodGet, Path: "recording download", Err: sanitizeErr(err)}
	}
	if resp.ContentLength >= 0 && n != resp.ContentLength {
		return n, r, &NetworkError{Method: http.MethodGet, Path: "recording download", Err: io.ErrUnexpectedEOF}
	}
	return n, r, nil
}

// WithDownloadHosts adds hosts (exact host names, optionally with a port)
// that may receive the bearer token in [CloudRecordingsService.Download],
// besides Zoom's own; for tests and proxies.
func WithDownloadHosts(hosts ...string) Option {
	return func(c *config) error {
		for _, h := range hosts {
			if h == "" || strings.ContainsAny(h, "/?#@ ") {
				return errors.New("zoom: WithDownloadHosts: invalid host " + fmt.Sprintf("%q", h))
			}
			c.downloadHosts = append(c.downloadHosts, strings.ToLower(h))
		}
		return nil
	}
}

func (c *Client) downloadHostAllowed(u *url.URL) bool {
	host := strings.ToLower(u.Host)
	for _, h := range c.downloadHosts {
		if host == h {
			return secureURL(u)
		}
	}
	if strings.EqualFold(u.Host, c.baseHost) {
		return secureURL(u)
	}
	if u.Scheme != "https" || u.Port() != "" {
		return false
	}
	name := strings.ToLower(u.Hostname())
	for _, zone := range []string{"zoom.us", "zoomgov.com"} {
		if name == zone || strings.HasSuffix(name, "."+zone) {
			return true
		}
	}
	return false
}

// hasDotSegment reports whether the URL's path, decoded or as sent, has a
// "." or ".." segment, which a proxy would resolve.
func hasDotSegment(u *url.URL) bool {
	for _, p := range []string{u.Path, u.EscapedPath()} {
		for _, seg := range strings.Split(p, "/") {
			switch strings.ToLower(seg) {
			case ".", "..", "%2e", "%2e%2e", ".%2e", "%2e.":
				return true
			}
		}
	}
	return false
}
