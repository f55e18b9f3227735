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
// token before handing it out, and finishes a refresh even when its caller
// gives up. When the grant is dead it returns a *[ReauthorizationError]
// (errors.Is(err, ErrReauthorizationRequired)) and calls the
// [WithOnReauthorizationRequired] hook; any other failure is a
// *[RefreshError]: the grant is kept and tried again after a backoff.
//
// # Several replicas
//
// When the Store implements tokenstore.CoordinatedStore (Memory, File, and
// the SQL and Redis stores), a refresh follows this protocol:
//
//  1. Load the record; if its token is still valid (another replica
//     refreshed), use it; if it carries a dead mark, report it.
//  2. AcquireLease(key, owner, ttl): owner is random per TokenSource, ttl is
//     [WithLeaseTTL] (default 90 s, above the 30 s request timeout plus the
//     store writes).
//  3. If the lease is held, poll (25 ms doubling to 1 s, on timers,
//     bounded by the refresh's own deadline): Load again and use the stored
//     token (or report the dead mark) as soon as its version changed; try
//     the lease again, which succeeds once the holder released it or it
//     expired.
//  4. With the lease: Load again (re-read); if valid, use it, no request.
//  5. Redeem the refresh token (one POST; a second one with the same
//     refresh token only when the first one's outcome is unknown).
//  6. CompareAndSwap(key, version read in 4, new token). A conflict means
//     the record changed meanwhile: a newer grant (the lease expired and
//     another replica refreshed, or the user reconnected) is never
//     overwritten and is used instead; a deleted record, a dead mark or the
//     spent token itself is replaced by the rotated token, the live grant.
//  7. ReleaseLease(key, owner) (only the owner's lease is released).
//
// With a plain Store, refreshes are single-flight within the TokenSource
// only: use one TokenSource per key per process.
//
// # Reliability
//
// What a TokenSource guarantees, each with its test in this package
// (lifecycle_test.go) and, across replicas on SQLite, PostgreSQL and Redis,
// in internal/servicetest/replicatest:
//
//   - A rotated token the Store cannot save is never lost. After
//     [WithStoreRetry]'s attempts, callers get [ErrSavePending] (or the
//     previous token while it is valid); the save goes on in the
//     background, with backoff, while the TokenSource renews the lease, so
//     no other replica presents the superseded refresh token. The pending
//     token survives the record being deleted or marked dead meanwhile (a
//     reauthorization hook that deletes the record is fine). Once saved, it
//     is served at once.
//   - An unknown outcome is not a dead grant. A timeout
//     ([Config.RequestTimeout]), a connection broken after the request was
//     written, or a 2xx answer that is not a token (a proxy's maintenance
//     page) keeps the stored refresh token, which is presented once more
//     with the same value: if Zoom did redeem it, its invalid_grant is the
//     verdict; if the outcome is unknown again, callers get
//     [ErrRefreshOutcomeUnknown] inside a *[RefreshError] and the grant is
//     tried again later. The hook never runs on an unknown outcome.
//   - A refused refresh token is checked against the store first. A
//     replica that waited for another's lease during the refresh keeps
//     watching the store for [WithRotationGrace] (default 15 s) for that
//     replica's save of the rotated token before it declares the grant
//     dead.
//   - A dead grant is dead once, for every replica. The first replica to
//     establish it writes a dead mark (tokenstore.DeadMark) with a
//     compare-and-swap on the version it read, so a newer save always wins
//     over the mark; the others read the mark and report
//     ErrReauthorizationRequired (wrapping [ErrGrantMarkedDead]) without
//     asking Zoom, and the hook runs once across replicas. Saving a new
//     grant under the key (the user reconnected) clears the mark.
//   - A failing token endpoint is not hammered. After a failure, the grant
//     waits [WithRefreshBackoff] (1 s doubling to 1 min, jittered) before
//     the next request; callers asking meanwhile get the last error at once
//     (or the current token while it is valid), and on a CoordinatedStore
//     the failing replica keeps the lease for the backoff, so the other
//     replicas wait too.
//
// What cannot be guaranteed: Zoom keeps no grace period for a redeemed
// refresh token. A process killed (or a machine lost) after Zoom answered a
// refresh and before the rotated token was saved loses the grant; the next
// refresh gets invalid_grant, the grant is marked dead, and the user is
// asked to reconnect once. Likewise, a holder paused past its lease TTL
// while no replica was waiting for its lease can have its grant declared
// dead by a replica that comes later; when the holder resumes, its save
// replaces the dead mark and the grant lives on, but the hook has run and
// that replica's callers were told to reauthorize.
//
// # Errors
//
// Sentinels work with errors.Is: [ErrReauthorizationRequired],
// [ErrRefreshOutcomeUnknown], [ErrSavePending], [ErrGrantMarkedDead],
// [ErrTokenEndpoint], [ErrInvalidState],
// [ErrStateReplayed], [ErrInvalidConfig]... Typed errors work with errors.As:
// *[TokenError] (Zoom's {"error","reason"} answer), *[ReauthorizationError],
// *[RefreshError] (temporary: the grant is kept).
// No error, log line or %v output ever holds a token, code, verifier or the
// client secret. Note that *oauth2.Token (golang.org/x/oauth2) does not redact
// itself: never print the tokens a TokenSource returns.
package oauth
