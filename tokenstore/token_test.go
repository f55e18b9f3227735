package tokenstore_test

import (
	"bytes"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/zoomkit/zoomkit/tokenstore"
)

func TestTokenRedactsEverywhere(t *testing.T) {
	tok := tokenstore.Token{AccessToken: "CANARY-AT-1", RefreshToken: "CANARY-RT-1", TokenType: "bearer", Expiry: time.Unix(2e9, 0), Scope: "s"}
	for _, v := range []any{tok, &tok, []any{tok}, struct{ T tokenstore.Token }{tok}} {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%d"} {
			if s := fmt.Sprintf(verb, v); strings.Contains(s, "CANARY") {
				t.Errorf("%s of %T leaks: %s", verb, v, s)
			}
		}
	}
	var buf bytes.Buffer
	for _, h := range []slog.Handler{slog.NewTextHandler(&buf, nil), slog.NewJSONHandler(&buf, nil)} {
		l := slog.New(h)
		l.Info("token", "tok", tok, "ptr", &tok, slog.Any("any", tok))
	}
	if strings.Contains(buf.String(), "CANARY") || !strings.Contains(buf.String(), "REDACTED") {
		t.Fatalf("slog output leaks or does not redact: %s", buf.String())
	}
}

func TestTokenOAuth2RoundTrip(t *testing.T) {
	tok := &tokenstore.Token{AccessToken: "a", RefreshToken: "r", TokenType: "bearer", Expiry: time.Unix(2e9, 0), Scope: "x y", APIURL: "https://api-eu.zoom.us"}
	o := tok.OAuth2()
	if o.AccessToken != "a" || o.RefreshToken != "r" || !o.Expiry.Equal(tok.Expiry) {
		t.Fatalf("OAuth2() = %v", o)
	}
	back := tokenstore.FromOAuth2(o)
	if *back != *tok {
		t.Fatalf("round trip lost fields")
	}
	if tokenstore.FromOAuth2(nil) != nil || (*tokenstore.Token)(nil).OAuth2() != nil {
		t.Fatal("nil handling")
	}
	_ = oauth2.Token{}
}
