package tokenstore_test

import (
	"bytes"
	"fmt"
	"log/slog"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/zoomkit/zoomkit/tokenstore"
)

func TestTokenRedactsEverywhere(t *testing.T) {
	tok := tokenstore.Token{AccessToken: "CANARY-AT-1", RefreshToken: "CANARY-RT-1", TokenType: "bearer", Expiry: time.Unix(2e9, 0), Scope: "s"}
	for _, v := range []any{tok, &tok, []any{tok}, struct{ T tokenstore.Token }{tok}} {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%d"} {
			s := fmt.Sprintf(verb, v)
			assert.NotContains(t, s, "CANARY", "%s of %T leaks: %s", verb, v, s)
		}
	}
	var buf bytes.Buffer
	for _, h := range []slog.Handler{slog.NewTextHandler(&buf, nil), slog.NewJSONHandler(&buf, nil)} {
		l := slog.New(h)
		l.Info("token", "tok", tok, "ptr", &tok, slog.Any("any", tok))
	}
	require.NotContains(t, buf.String(), "CANARY", "slog output leaks or does not redact: %s", buf.String())
	require.Contains(t, buf.String(), "REDACTED", "slog output leaks or does not redact: %s", buf.String())
}

func TestTokenOAuth2RoundTrip(t *testing.T) {
	tok := &tokenstore.Token{AccessToken: "a", RefreshToken: "r", TokenType: "bearer", Expiry: time.Unix(2e9, 0), Scope: "x y", APIURL: "https://api-eu.zoom.us"}
	o := tok.OAuth2()
	require.Equal(t, "a", o.AccessToken, "OAuth2 = %v", o)
	require.Equal(t, "r", o.RefreshToken, "OAuth2 = %v", o)
	require.True(t, o.Expiry.Equal(tok.Expiry), "OAuth2 = %v", o)
	back := tokenstore.FromOAuth2(o)
	require.Equal(t, *tok, *back, "round trip lost fields")
	require.Nil(t, tokenstore.FromOAuth2(nil), "nil handling")
	require.Nil(t, (*tokenstore.Token)(nil).OAuth2(), "nil handling")
	_ = oauth2.Token{}
}
