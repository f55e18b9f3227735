package replicatest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/zoomkit/zoomkit/tokenstore"
)

// Client credentials the fake token endpoint accepts.
const (
	ClientID     = "replicatest-client"
	ClientSecret = "replicatest-secret"
)

// FakeZoom is a fake of Zoom's token endpoint (POST /oauth/token, grant
// refresh_token) with Zoom's rotation rule: a refresh token is single use and
// dies as soon as it is redeemed. It counts requests.
type FakeZoom struct {
	mu            sync.Mutex
	n             int
	valid         map[string]bool // refresh tokens that can be redeemed
	presented     map[string]int
	refreshes     int
	invalidGrants int
	lastRT        string        // newest refresh token issued
	refused       chan struct{} // closed at the first invalid grant
}

// NewFakeZoom returns a fake with no grant.
func NewFakeZoom() *FakeZoom {
	return &FakeZoom{valid: map[string]bool{}, presented: map[string]int{}, refused: make(chan struct{})}
}

// Grant creates a new grant (as after the user connected Zoom) whose access
// token expires at expiry, and returns it as stored.
func (f *FakeZoom) Grant(expiry time.Time) *tokenstore.Token {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.n++
	rt := fmt.Sprintf("fake-rt-%d", f.n)
	f.valid[rt] = true
	f.lastRT = rt
	return &tokenstore.Token{AccessToken: fmt.Sprintf("fake-at-%d", f.n), RefreshToken: rt, TokenType: "bearer", Expiry: expiry}
}

// Revoke kills every grant, as when the user uninstalls the app: every
// refresh token is refused from now on.
func (f *FakeZoom) Revoke() {
	f.mu.Lock()
	defer f.mu.Unlock()
	clear(f.valid)
}

// Refused is closed when the fake refuses a refresh token for the first time.
func (f *FakeZoom) Refused() <-chan struct{} { return f.refused }

// Stats are the fake's counters.
type Stats struct {
	// Refreshes counts successful refresh_token redemptions.
	Refreshes int
	// InvalidGrants counts refresh tokens presented while invalid.
	InvalidGrants int
	// MaxPresented is how often the most presented refresh token was
	// presented (1 when no refresh token was ever presented twice).
	MaxPresented int
	// NewestRT is the newest refresh token issued (by Grant or a refresh).
	NewestRT string
}

// Stats returns the counters.
func (f *FakeZoom) Stats() Stats {
	f.mu.Lock()
	defer f.mu.Unlock()
	s := Stats{Refreshes: f.refreshes, InvalidGrants: f.invalidGrants, NewestRT: f.lastRT}
	for _, n := range f.presented {
		s.MaxPresented = max(s.MaxPresented, n)
	}
	return s
}

// ServeHTTP answers POST /oauth/token.
func (f *FakeZoom) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/oauth/token" || r.Method != http.MethodPost {
		http.NotFound(w, r)
		return
	}
	id, secret, ok := r.BasicAuth()
	if !ok || id != ClientID || secret != ClientSecret {
		writeJSON(w, http.StatusUnauthorized, map[string]any{"reason": "Invalid client_id or client_secret", "error": "invalid_client"})
		return
	}
	if err := r.ParseForm(); err != nil || r.PostForm.Get("grant_type") != "refresh_token" {
		writeJSON(w, http.StatusBadRequest, map[string]any{"reason": "Unsupported grant type", "error": "unsupported_grant_type"})
		return
	}
	rt := r.PostForm.Get("refresh_token")
	f.mu.Lock()
	defer f.mu.Unlock()
	f.presented[rt]++
	if !f.valid[rt] {
		if f.invalidGrants == 0 {
			close(f.refused)
		}
		f.invalidGrants++
		writeJSON(w, http.StatusBadRequest, map[string]any{"reason": "Invalid Token!", "error": "invalid_grant"})
		return
	}
	delete(f.valid, rt)
	f.refreshes++
	f.n++
	nrt := fmt.Sprintf("fake-rt-%d", f.n)
	f.valid[nrt] = true
	f.lastRT = nrt
	writeJSON(w, http.StatusOK, map[string]any{
		"access_token":  fmt.Sprintf("fake-at-%d", f.n),
		"token_type":    "bearer",
		"refresh_token": nrt,
		"expires_in":    3600,
		"scope":         "user:read",
		"api_url":       "https://api.zoom.us",
	})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
