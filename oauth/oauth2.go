package oauth

import (
	"slices"

	"golang.org/x/oauth2"
)

// FromOAuth2 returns a Config for the Zoom app c describes, so that code
// that already holds an [oauth2.Config] plugs in: the client id and secret,
// the redirect URL, the scopes and the endpoint's AuthURL and TokenURL
// (empty URLs mean Zoom's). Fields oauth2.Config does not have keep their
// defaults (the revoke URL, the API base URL, the HTTP client); set them on
// the result. c.Endpoint.AuthStyle is not used: Zoom's token endpoint takes
// the client's credentials with HTTP Basic, which Config always sends. A
// nil c gives a nil *Config, whose methods report [ErrInvalidConfig].
func FromOAuth2(c *oauth2.Config) *Config {
	if c == nil {
		return nil
	}
	return &Config{
		ClientID:     c.ClientID,
		ClientSecret: c.ClientSecret,
		RedirectURL:  c.RedirectURL,
		Scopes:       slices.Clone(c.Scopes),
		Endpoint: Endpoint{
			AuthURL:  c.Endpoint.AuthURL,
			TokenURL: c.Endpoint.TokenURL,
		},
	}
}

// OAuth2 returns the [oauth2.Config] of the app: the client id and secret,
// the redirect URL, the scopes and the authorization and token URLs (Zoom's
// when the Endpoint leaves them empty), with the credentials sent in the
// header as Zoom requires. Use it with libraries that take an oauth2.Config;
// for tokens that survive Zoom's rotating refresh tokens across goroutines
// and replicas, use [Config.TokenSource], whose token source also works with
// [oauth2.NewClient]. The result shares nothing with c.
func (c *Config) OAuth2() *oauth2.Config {
	if c == nil {
		return nil
	}
	authURL, tokenURL := c.Endpoint.AuthURL, c.Endpoint.TokenURL
	if authURL == "" {
		authURL = DefaultAuthURL
	}
	if tokenURL == "" {
		tokenURL = DefaultTokenURL
	}
	return &oauth2.Config{
		ClientID:     c.ClientID,
		ClientSecret: c.ClientSecret,
		RedirectURL:  c.RedirectURL,
		Scopes:       slices.Clone(c.Scopes),
		Endpoint: oauth2.Endpoint{
			AuthURL:   authURL,
			TokenURL:  tokenURL,
			AuthStyle: oauth2.AuthStyleInHeader,
		},
	}
}
