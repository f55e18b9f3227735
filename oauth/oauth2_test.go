package oauth_test

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/zoomkit/zoomkit/oauth"
	"github.com/zoomkit/zoomkit/tokenstore"
)

func TestFromOAuth2AndBack(t *testing.T) {
	oc := &oauth2.Config{
		ClientID:     clientID,
		ClientSecret: canaryClientSecret,
		RedirectURL:  "https://app.example.com/zoom/callback",
		Scopes:       []string{"meeting:read", "user:read"},
		Endpoint: oauth2.Endpoint{
			AuthURL:  "https://zoom.test/oauth/authorize",
			TokenURL: "https://zoom.test/oauth/token",
		},
	}
	cfg := oauth.FromOAuth2(oc)
	require.NotNil(t, cfg)
	assert.Equal(t, clientID, cfg.ClientID)
	assert.Equal(t, canaryClientSecret, cfg.ClientSecret)
	assert.Equal(t, oc.RedirectURL, cfg.RedirectURL)
	assert.Equal(t, oc.Scopes, cfg.Scopes)
	assert.Equal(t, oauth.Endpoint{AuthURL: oc.Endpoint.AuthURL, TokenURL: oc.Endpoint.TokenURL}, cfg.Endpoint)
	assert.NotContains(t, cfg.String(), canaryClientSecret)

	back := cfg.OAuth2()
	want := *oc
	want.Endpoint.AuthStyle = oauth2.AuthStyleInHeader
	assert.Equal(t, &want, back)

	// Neither shares the scopes with the other.
	oc.Scopes[0] = "changed"
	assert.Equal(t, "meeting:read", cfg.Scopes[0])
	cfg.Scopes[1] = "changed"
	assert.Equal(t, "user:read", back.Scopes[1])
}

func TestOAuth2DefaultsToZoom(t *testing.T) {
	oc := (&oauth.Config{ClientID: "id", ClientSecret: "secret"}).OAuth2()
	assert.Equal(t, oauth2.Endpoint{AuthURL: oauth.DefaultAuthURL, TokenURL: oauth.DefaultTokenURL, AuthStyle: oauth2.AuthStyleInHeader}, oc.Endpoint)
	assert.Nil(t, (*oauth.Config)(nil).OAuth2())

	// A Config made from an oauth2.Config without URLs talks to Zoom.
	cfg := oauth.FromOAuth2(&oauth2.Config{ClientID: "id", ClientSecret: "secret", RedirectURL: "https://app.example.com/cb"})
	ar, err := cfg.NewAuthRequest()
	require.NoError(t, err)
	u, err := url.Parse(ar.URL)
	require.NoError(t, err)
	assert.Equal(t, oauth.DefaultAuthURL, u.Scheme+"://"+u.Host+u.Path)

	// A nil oauth2.Config gives a Config every method refuses.
	_, err = oauth.FromOAuth2(nil).NewAuthRequest()
	assert.ErrorIs(t, err, oauth.ErrInvalidConfig)
}

// The authorization URL of a Config made from an oauth2.Config carries its
// endpoint, client id, redirect URL and scopes, like the oauth2.Config's own.
func TestFromOAuth2AuthorizationURL(t *testing.T) {
	oc := &oauth2.Config{
		ClientID: "id", ClientSecret: "secret", RedirectURL: "https://app.example.com/cb",
		Scopes:   []string{"meeting:write"},
		Endpoint: oauth2.Endpoint{AuthURL: "https://zoom.test/oauth/authorize", TokenURL: "https://zoom.test/oauth/token"},
	}
	ar, err := oauth.FromOAuth2(oc).NewAuthRequest()
	require.NoError(t, err)
	ours, err := url.Parse(ar.URL)
	require.NoError(t, err)
	theirs, err := url.Parse(oc.AuthCodeURL("state"))
	require.NoError(t, err)
	assert.Equal(t, theirs.Host+theirs.Path, ours.Host+ours.Path)
	for _, k := range []string{"client_id", "redirect_uri", "scope", "response_type"} {
		assert.Equal(t, theirs.Query().Get(k), ours.Query().Get(k), k)
	}
}

// A TokenSource from a Config made from an oauth2.Config authorizes the
// requests of an oauth2.NewClient, refreshing the expired token once.
func TestTokenSourceWithOAuth2NewClient(t *testing.T) {
	f := newFake(t)
	mem := memConfig(f)
	cfg := oauth.FromOAuth2(mem.OAuth2())
	cfg.HTTPClient = mem.HTTPClient
	store := tokenstore.NewMemory()
	mustPut(t, store, "acct", f.grant("ada", time.Now().Add(-time.Minute)))
	ts := newTS(t, cfg, store, "acct")

	ctx := context.WithValue(t.Context(), oauth2.HTTPClient, &http.Client{Transport: memTransport{f}})
	client := oauth2.NewClient(ctx, ts)
	for range 3 {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, "https://zoom.test/v2/users/me", nil)
		require.NoError(t, err)
		resp, err := client.Do(req)
		require.NoError(t, err)
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		require.NoError(t, err)
		require.Equal(t, http.StatusOK, resp.StatusCode, "%s", body)
		assert.Contains(t, string(body), `"id":"ada"`)
	}
	assert.Equal(t, 1, f.counts().refreshes, "one refresh for three requests")
	var _ oauth2.TokenSource = ts
}
