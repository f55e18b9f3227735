// Package zoomtest runs a fake Zoom in-process, so that programs using
// package zoom, oauth and webhook run offline and their tests need no
// credentials, as stripe-mock and fake-gcs-server do for theirs.
//
// A [Server] is an httptest server on a loopback port with its state in
// memory: users, meetings, webinars, registrants, panelists, groups,
// roles, past meetings and participants, reports and recordings. It
// serves
//
//   - the REST API under /v2 ([Server.APIURL]), answering as Zoom does:
//     Zoom's ids (meeting ids of 10 or 11 digits, 24-character UUIDs some
//     of which start with "/" or contain "//", 22-character user ids),
//     Zoom's error bodies and codes, next_page_token pagination whose
//     tokens expire after 15 minutes, and 404 with code 2300 for unknown
//     routes. Every request is validated against the same trimmed OpenAPI
//     documents as the client's contract test; one that fails gets Zoom's
//     400 with code 300 and the field errors;
//   - the OAuth endpoints /oauth/authorize (auto-approve by default, a
//     consent page with [WithAutoApprove](false)), /oauth/token
//     (authorization_code with PKCE checked, refresh_token single use,
//     account_credentials) and /oauth/revoke. Access tokens carry scopes
//     that each operation checks (Zoom's 4700 when they are missing);
//   - signed webhook deliveries ([Server.Subscribe]) for the changes made
//     through the API and for the live events of the simulation helpers
//     ([Server.StartMeeting], [Server.Join], [Server.Leave],
//     [Server.EndMeeting], [Server.CompleteRecording], [Server.Uninstall]).
//
// # Apps, installers and what a grant can do
//
// The fake has a default app ([Server.ClientID], [Server.ClientSecret])
// and the apps registered with [WithApp], each of a kind ([AppKind]):
//
//   - [UserManaged]: any active user may install it; Zoom gives such apps
//     user-level scopes only, so [WithApp] refuses an admin scope;
//   - [AdminManaged]: only an account owner or admin may install it. When a
//     member approves, the authorization page answers 403 with Zoom's
//     "An account admin is required to install this type of app" and no
//     code; the app's redirect URL is not called ([Server.AuthorizeAs]
//     returns an error wrapping [ErrAdminRequired]);
//   - [ServerToServer]: account_credentials only, no authorization page.
//
// The default app's kind follows its scopes ([WithAppScopes]): with an
// admin scope (the default scopes include every one) it is admin-managed,
// without one user-managed. This changes what the fake did before, when
// any member could approve admin scopes: Zoom has no app that lets a
// member grant them. The default app also still answers
// account_credentials, as a server-to-server app sharing its credentials
// would (Zoom keeps these apart); [WithAppKind] makes it exactly one kind.
//
// A token acts with the power of the user it belongs to, read at each
// call, whatever its scopes (so demoting an admin takes effect on the
// next call; tokens of [Server.AccessToken] and [Server.Client] too). A
// member (any role but Owner and Admin; custom roles count as members)
// gets 400 with code 200 "No privilege." (the answer Zoom documents for
// POST /users) on operations whose classic scopes are all admin scopes
// (groups, roles, reports), on listing, creating, deleting and
// (de)activating users, on assigning roles (so no member makes itself
// Admin), and when naming another user in {userId} or schedule_for (no
// meetings or webinars for other hosts); acting on a meeting or webinar
// they neither host nor co-host (settings.alternative_hosts) gets 400
// with code 3000 "Cannot access meeting information." (the documents'
// text); changing their own user type gets code 1108. A token lacking the operation's scopes gets 400 with
// code 4700, so read scopes do not write; a user-level grant naming
// another user gets 4700 listing the admin scopes. Server-to-server
// tokens act as the account.
//
// # Uninstall
//
// Revoking a user's access or refresh token at /oauth/revoke uninstalls
// the app for that user, as Zoom does: every grant of that user for the
// app dies with its tokens, and app_deauthorized is delivered before the
// revoke is answered, so a handler must not wait for the Revoke call that
// caused it. [Server.Uninstall] and [Server.UninstallApp] (the Marketplace
// side) take the same path. The payload follows Zoom's current webhook
// document: account_id, user_id, client_id, deauthorization_time
// (RFC 3339 UTC with milliseconds), signature (a new 64-digit lowercase hex
// id per deauthorization, not an HMAC to verify) and event_ts (epoch
// milliseconds, a number); user_data_retention, absent from that
// document, is not sent. Revoking a server-to-server token, or one of
// [Server.AccessToken], only ends that token.
//
// Zoom facts we could not confirm: the HTTP status and page of the
// admin-install refusal (the fake answers 403 with the message, without
// redirecting); whether Zoom answers a demoted admin or a member holding
// admin scopes with code 200 "No privilege." (documented for POST /users)
// or with 4711 "Invalid access token, does not contain scopes" (reported
// by third parties for tokens lacking admin scopes); whether a member on
// another host's meeting gets 3000 or 404/3001; Zoom's answer when an
// OAuth app asks for account_credentials (the fake: unsupported_grant_type);
// and whether revoking an admin-managed app's token uninstalls it for the
// whole account (the fake: for the user only).
//
// Rate limits ([WithRateLimits]) and fault injection ([Server.InjectFault],
// [Server.FailNext], [Server.ResetNext], [Server.SetLatency],
// [Server.RateLimitStorm]) exercise a client's retries.
//
// # Using it in a test
//
//	func TestScheduling(t *testing.T) {
//		s := zoomtest.NewTestServer(t) // closed when the test ends
//		client := s.Client("me")       // acts as the account owner
//		m, _, err := client.Meetings.Create(ctx, "me", &zoom.CreateMeetingRequest{Topic: "Intro call"})
//		if err != nil {
//			t.Fatal(err)
//		}
//		if got, _ := s.Meeting(m.ID); got.Topic != "Intro call" {
//			t.Errorf("topic = %q", got.Topic)
//		}
//	}
//
// Users are seeded with [Server.AddUser]; [Server.Client] and
// [Server.AccessToken] give ready credentials; the real OAuth flow works
// against [Server.AuthURL] and [Server.TokenURL] with the credentials of
// [Server.ClientID] and [Server.ClientSecret] (see "Apps, installers and
// what a grant can do" below), and [Server.AuthorizeAs] plays the user's
// browser on the authorization page. With a
// server-to-server token, "me" names the account owner. [Server.Requests]
// logs what the server received (say, to check that nothing reached Zoom
// after an uninstall) and [Server.Deliveries] what it delivered.
//
// # Time
//
// [WithClock] gives the server a clock that tests move: token and code
// expiry, page-token expiry, daily limits and the times of simulated
// participants follow it. Inside testing/synctest bubbles, use
// [Server.Transport], which serves requests in memory.
//
// # What it leaves out
//
// Documented operations outside the resources above (polls, surveys,
// branding, settings, ...) answer 501 with a Zoom-shaped body naming the
// operation. Webhook deliveries are made once, synchronously, and not
// retried: a failed delivery is recorded in [Server.Deliveries], and
// [Server.Redeliver] sends one again (to test idempotent handlers). Where the
// documents are narrower than Zoom (recurrence.weekly_days takes "2,4";
// start_time may leave out the zone, read in the meeting's timezone), the
// server follows Zoom.
//
// # Secrets
//
// The server never logs, and its error answers never repeat a token or
// the client secret.
package zoomtest
