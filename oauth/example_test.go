package oauth_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/zoomkit/zoomkit/oauth"
	"github.com/zoomkit/zoomkit/tokenstore"
)

// A persistent token source over a store: the expired token is refreshed
// once, and the rotated refresh token is saved before the access token is
// handed out.
func ExampleConfig_TokenSource() {
	zoom := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		if r.PostForm.Get("refresh_token") != "rt-1" {
			w.WriteHeader(http.StatusBadRequest)
			_, _ = w.Write([]byte(`{"reason":"Invalid Token!","error":"invalid_grant"}`))
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{
			"access_token": "at-2", "refresh_token": "rt-2", "token_type": "bearer", "expires_in": 3599,
		})
	}))
	defer zoom.Close()

	cfg := &oauth.Config{
		ClientID:     "client-id",
		ClientSecret: "client-secret",
		Endpoint:     oauth.Endpoint{TokenURL: zoom.URL + "/oauth/token"},
	}
	store := tokenstore.NewMemory()
	ctx := context.Background()
	_ = store.Put(ctx, "tenant-42", &tokenstore.Token{
		AccessToken: "at-1", RefreshToken: "rt-1", Expiry: time.Now().Add(-time.Minute),
	})

	ts, err := cfg.TokenSource(store, "tenant-42")
	if err != nil {
		fmt.Println(err)
		return
	}
	tok, err := ts.TokenContext(ctx)
	if err != nil {
		fmt.Println(err)
		return
	}
	stored, _ := store.Get(ctx, "tenant-42")
	fmt.Println("new access token:", tok.AccessToken == "at-2")
	fmt.Println("rotated refresh token saved:", stored.RefreshToken == "rt-2")

	// The grant is revoked: the next refresh reports it once, typed.
	_ = store.Put(ctx, "tenant-42", &tokenstore.Token{AccessToken: "at-x", RefreshToken: "rt-x", Expiry: time.Now().Add(-time.Minute)})
	ts2, _ := cfg.TokenSource(store, "tenant-42")
	_, err = ts2.Token()
	fmt.Println("reconnect needed:", errors.Is(err, oauth.ErrReauthorizationRequired))
	// Output:
	// new access token: true
	// rotated refresh token saved: true
	// reconnect needed: true
}

// A Server-to-Server token source: one token per account, cached until
// about 60 seconds before it expires.
func ExampleConfig_ServerToServer() {
	mints := 0
	zoom := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mints++
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"access_token":"s2s","token_type":"bearer","expires_in":3599,"scope":"user:read:admin"}`))
	}))
	defer zoom.Close()
	cfg := &oauth.Config{ClientID: "id", ClientSecret: "secret", Endpoint: oauth.Endpoint{TokenURL: zoom.URL}}
	ts, err := cfg.ServerToServer("account-id")
	if err != nil {
		fmt.Println(err)
		return
	}
	for range 3 {
		if _, err := ts.Token(); err != nil {
			fmt.Println(err)
		}
	}
	fmt.Println("token requests:", mints)
	// Output: token requests: 1
}

// The authorization URL carries a 256-bit state and an S256 PKCE challenge.
func ExampleConfig_NewAuthRequest() {
	cfg := &oauth.Config{ClientID: "id", ClientSecret: "secret", RedirectURL: "https://app.example.com/zoom/callback"}
	ar, err := cfg.NewAuthRequest()
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(ar.State) >= 22, len(ar.Verifier) >= 43)
	// Output: true true
}
