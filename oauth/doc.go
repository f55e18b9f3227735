// Package oauth implements Zoom OAuth for user-level and Server-to-Server
// apps: the authorization-code flow with PKCE and a browser-bound,
// single-use state; code exchange and revocation; and persistent token
// sources that survive Zoom's rotating refresh tokens.
//
// # Configuration
//
// A [Config] is a struct literal: client id and secret, the redirect URL
// registered with Zoom, and optionally overridden endpoints (tests, regional
// hosts). Token requests use HTTP Basic client authentication, a form body,
// and never follow redirects; plain http is accepted only for loopback
// hosts.
//
// # Connecting a user
//
// [Config.Handlers] returns two handlers: Connect (mount on the "Connect
// Zoom" link) and Callback (mount on the redirect URL's path):
//
//	h, err := cfg.Handlers(store,
//		oauth.WithStateSecret(secret32),           // shared by all replicas
//		oauth.WithStateStore(oauth.NewStateStore(sharedCoordinatedStore)),
//		oauth.WithTokenKey(func(r *http.Request, zoomUserID string) (string, error) {
//			return tenantOf(r) + ":" + zoomUserID, nil
//		}),
//		oauth.WithOnConnected(func(w http.ResponseWriter, r *http.Request, c oauth.Connection) {
//			// c.UserID, c.Email, c.Key
//			http.Redirect(w, r, "/settings", http.StatusSeeOther)
//		}))
//	mux.Handle("GET /zoom/connect", h.Connect())
//	mux.Handle("GET /zoom/callback", h.Callback())
//
// State design: Connect draws a 256-bit state (crypto/rand) and a PKCE
// verifier and seals both, with an expiry of at most 10 minutes, into a
// cookie (AES-256-GCM under the state secret; HttpOnly, SameSite=Lax, Path =
// the callback path, Secure unless the redirect URL is http://localhost or a
// loopback address). The verifier therefore never leaves the browser's
// sealed cookie and the server keeps no session. Callback accepts the state
// only if it equals the one sealed in this browser's cookie (a state from
// another browser fails), it has not expired, and the [StateStore] has not
// seen it before (single use). The default StateStore is in-process; with
// several replicas share one through [NewStateStore] over the SQL or Redis
// store, and share the state secret with [WithStateSecret].
//
// After the exchange Callback calls GET {APIBaseURL}/users/me with the new
// token, saves the token under the key chosen by [WithTokenKey] (default
// "zoom:user:<Zoom user id>"), and calls the [WithOnConnected] hook with the
// user's id and email.
//
// # Token sources
//
// [Config.TokenSource] returns a [TokenSource] for the grant stored under a
// key; [Config.ServerToServer] one for a Server-to-Server app (the
// account_credentials grant, renewed about 60 s before expiry, shareable
// through [WithStore]). Both implement oauth2.TokenSource, plus
// TokenContext(ctx) and ForceRefresh(ctx, rejected) used by package zoom
// after a 401 with Zoom code 124.
//
// Zoom rotates the refresh token on every refresh and kills the old one at
// once. A TokenSource therefore refreshes once per key, saves the rotated
// token before handing it out, finishes a refresh even when its caller gives
// up, retries failed store writes while keeping the new token in memory,
// and never presents a refresh token twice, not even after a request whose
// answer was lost. When the grant is dead it returns a
// *[ReauthorizationError] (errors.Is(err, ErrReauthorizationRequired)) and
// calls the [WithOnReauthorizationRequired] hook once.
//
// # Several replicas
//
// When the Store implements tokenstore.CoordinatedStore (Memory, File, and
// the SQL and Redis stores), a refresh follows this protocol:
//
//  1. Load the token; if it is still valid (another replica refreshed), use it.
//  2. AcquireLease(key, owner, ttl): owner is random per TokenSource, ttl is
//     [WithLeaseTTL] (default 90 s, above the 30 s request timeout plus the
//     store writes).
//  3. If the lease is held, poll (25 ms doubling to 1 s, on the [Clock],
//     bounded by the refresh's own deadline): Load again and use the stored
//     token as soon as its version changed and it is valid; try the lease
//     again, which succeeds once the holder released it or it expired.
//  4. With the lease: Load again (re-read); if valid, use it, no request.
//  5. Redeem the refresh token (one POST).
//  6. [WithBeforeCommit] hook (tests), then CompareAndSwap(key, version read
//     in 4, new token). A conflict means a newer token was stored meanwhile
//     (the lease expired and another replica or a reconnect wrote): it is
//     never overwritten; the stored token is used.
//  7. ReleaseLease(key, owner) (only the owner's lease is released).
//
// With a plain Store, refreshes are single-flight within the TokenSource
// only: use one TokenSource per key per process.
//
// # Errors
//
// Sentinels work with errors.Is: [ErrReauthorizationRequired],
// [ErrRefreshOutcomeUnknown], [ErrTokenEndpoint], [ErrInvalidState],
// [ErrStateReplayed], [ErrInvalidConfig]... Typed errors work with errors.As:
// *[TokenError] (Zoom's {"error","reason"} answer), *[ReauthorizationError].
// No error, log line or %v output ever holds a token, code, verifier or the
// client secret. Note that *oauth2.Token (golang.org/x/oauth2) does not redact
// itself: never print the tokens a TokenSource returns.
package oauth
