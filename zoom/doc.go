// Package zoom is a typed client for the Zoom REST API v2: every operation
// of Zoom's Meetings, Users and Accounts API documents (313), and contact
// search of the Team Chat API.
//
// # Creating a client
//
// A Client needs access tokens; package oauth provides token sources for
// user-level apps (authorization code with PKCE, rotating refresh tokens
// kept in a store) and server-to-server apps (account credentials):
//
//	client, err := zoom.NewClient(zoom.WithTokenSource(ts))
//
// Options validate their input and NewClient reports the first bad one. No
// environment variable is read.
//
// # Calling Zoom
//
// Services follow Zoom's documentation sections (client.Meetings,
// client.Users, ...). Every method takes a context first and returns the
// decoded result, a *Response and an error:
//
//	m, resp, err := client.Meetings.Get(ctx, meetingID, nil)
//
// The services, by the section of Zoom's documentation they cover:
//
//   - Meetings API: Meetings (meetings, invitation and registration, live
//     streaming, in-meeting apps and features), Webinars, Polls, Surveys
//     (meeting surveys), Summaries, Templates, TSP, TrackingFields,
//     H323Devices, SIPPhones, Devices (Zoom Device Management and Zoom Phone
//     Appliances), Archiving, Reports, CloudRecordings; PAC accounts are in
//     Users.
//   - Users API: Users, Groups, ContactGroups, Divisions.
//   - Accounts API: Accounts (settings, locked settings, owner, domains,
//     virtual backgrounds), Roles, Dashboards, InformationBarriers,
//     DataRequests, and Surveys (Survey Management).
//   - Team Chat API: Contacts.
//
// Each method's doc comment names the Zoom operation it calls, as
// "Zoom API: METHOD /path (operationId)". Meeting and webinar ids are an
// [ID], the type package webhook's events use too: an id from an event
// compares with == to one from a call, and an untyped constant needs no
// conversion (client.Meetings.Get(ctx, 85393847045, nil)). Times are a
// [Time], in events too.
// Calls that take either an id or the UUID of one instance take an
// [InstanceID]; UUIDs that Zoom wants double-encoded are encoded so.
//
// # Request bodies
//
// A request body is a type of its own, named as a request
// (CreateMeetingRequest, AddRegistrantRequest, MeetingSettingsRequest),
// never a response type. In an update (a PATCH or PUT body and the objects
// nested in it) every optional field can be set to its zero while the
// others stay untouched: scalars are pointers ([Ptr] makes one), a nil
// list or map is left out and an empty one is sent as [] or {}, a nil
// nested object is left out and an empty one is sent as {}:
//
//	// Clears the agenda and turns join-before-host off; nothing else changes.
//	client.Meetings.Update(ctx, id, &zoom.UpdateMeetingRequest{
//		Agenda:   zoom.Ptr(""),
//		Settings: &zoom.MeetingSettingsRequest{JoinBeforeHost: zoom.Ptr(false)},
//	}, nil)
//
// Create bodies keep plain fields where Zoom takes a zero as "not set", and
// are pointers where Zoom's documents give the zero a meaning: flags, and
// numbers such as ttl 0 ("no expiration") or rating_min_value 0.
//
// # Pagination
//
// List methods return one page; the *Response carries NextPageToken. Their
// ...All twins return an iterator that fetches pages as the loop needs them:
//
//	for m, err := range client.Meetings.ListAll(ctx, "me", nil) {
//		if err != nil { ... }
//		fmt.Println(m.Topic)
//	}
//
// # Errors
//
// A non-2xx answer is an *APIError with the HTTP status, Zoom's code and
// message, field errors and the x-zm-trackingid to give Zoom support. Test
// it with errors.Is against the sentinels (ErrNotFound, ErrUnauthorized,
// ErrConflict, ErrRateLimited, ErrMissingScopes, ...) or with errors.As:
//
//	var apiErr *zoom.APIError
//	if errors.As(err, &apiErr) && apiErr.Code == 1005 { ... } // email already in use
//
// A body that is not Zoom's JSON (an HTML page from a proxy) still gives an
// *APIError, with the start of the body. A call refused before sending
// (a required argument missing, a "." or ".." id) gives an *ArgumentError.
//
// # Retries and rate limits
//
// GET, PUT, PATCH and DELETE are retried on 429, 502, 503, 504 and network
// errors; POST only on 429 or when the request never left, because Zoom has
// no idempotency keys and a repeated create would duplicate a meeting. Waits
// follow Retry-After (seconds, HTTP date or RFC 3339) or jittered
// exponential backoff, and end when the context is done. A daily limit
// returns a *RateLimitError at once, with the reset time. See RetryPolicy.
// A 429 is classified by its status, Zoom code and X-RateLimit-* and
// Retry-After headers, never by the wording of Zoom's message.
//
// Zoom counts calls per rate-limit label (LIGHT, MEDIUM, HEAVY,
// RESOURCE-INTENSIVE) and account. [WithRatePacing] spaces requests per label
// for the account's plan, shared by every goroutine using the Client, so
// that calls wait instead of collecting 429s. The pace backs off on 429s
// and recovers second by second (see [WithRatePacing]); with
// [PacingPolicy].Shared (package zoom/redislimit) every replica of an app
// paces on one schedule in Redis.
//
// # Performance
//
// BENCHMARKS.md at the root of the repository gives the numbers, all from
// commands it names: an alternating comparison, in one process, of this
// client with a hand-written net/http + encoding/json client on Get
// meeting, Create meeting, List users (1 and 300 per page) and a webinar
// participant report page (go test ./zoom/ -run '^$' -v -zoomkit.compare),
// the same against zoom-lib-golang in the module internal/bench/peer, and
// the pacing benchmarks.
//
// An access token that Zoom rejects with code 124 is refreshed once and the
// call replayed once, when the token source can refresh (package oauth's
// can).
//
// # Reports and recordings
//
// Report and dashboard calls whose from/to window is outside Zoom's
// documented limits (one month, and for some the last six months) are
// refused before the call with an *ArgumentError. [CloudRecordingsService.Download] streams
// a recording file to an io.Writer, sending the token only to Zoom's hosts.
//
// # Where Zoom's documents contradict themselves
//
// A few operations are documented in a way no request or answer can meet;
// the client takes the plain reading:
//
//   - the settings bodies of users, groups and the account, and their
//     locked settings, are a oneOf of members with no required property
//     (every body matches several): the client sends and decodes one
//     type, the union of the members' fields (UserSettings, GroupSettings,
//     AccountSettings, ...), and Zoom applies the fields it knows;
//   - DevicesService.ChangeAssociation's body requires an "action" it does
//     not declare: the client sends the declared room_id and app_type;
//   - an archived meeting's complete_time is both a date-time and one of
//     [object, ""]: the client decodes a time, zero when Zoom sends "".
//   - some fields' documented examples fail their own schema (an enum
//     value the enum lacks, a string where an object is documented): enum
//     types are strings, so any value Zoom sends is kept, and a value of
//     another JSON type is repaired or left zero with a DecodeWarnings
//     entry.
//
// # Reliability
//
// What the client guarantees, whatever the network does:
//
//   - No duplicate POSTs. A POST is sent again only after a 429 or when not
//     one byte of it was written (a refused connection). A timeout, a reset
//     after writing or a 5xx is returned, never retried: Zoom has no
//     idempotency keys. The one exception is a 401 with code 124 (expired
//     access token), which Zoom answers before doing anything: any method
//     is replayed once with a refreshed token.
//   - Which calls are retried, and when. GET, PUT, PATCH and DELETE are
//     retried on 429, 502, 503 and 504, on network errors, and after the
//     HTTP client's own per-attempt timeout, up to RetryPolicy.MaxAttempts
//     in all. Retry-After is honoured on 429s and 5xxs up to
//     RetryPolicy.MaxRetryAfter; a longer one, or a daily limit, is
//     returned at once. The caller's context ending stops everything.
//   - A DELETE whose attempt ended without telling what Zoom did (a reset
//     after the request was written, a timeout, a 504) and whose retry gets
//     "not found" returns success: the lost attempt most likely deleted the
//     resource. The *Response holds the 404.
//   - Success bodies are read through a cap, 64 MiB by default
//     ([WithMaxResponseBytes]); a longer body is a *ResponseTooLargeError
//     and is not read past the cap. Downloads stream and are not capped.
//   - Decode errors and warnings. A success body that is not JSON, is empty
//     where the operation returns a body, or is not an object where an
//     object is documented (an array, a number) is a *DecodeError. A field
//     Zoom sends with another JSON type than documented keeps what Zoom
//     meant, at any depth: a number sent as a string ("93201235621"), a
//     string id sent as a number, "true"/"false" for a boolean, a lone value
//     where a list is documented (a list of one). A field that cannot be
//     repaired is left at its zero value and the call succeeds; it is
//     listed in Response.DecodeWarnings (its path and types, never its
//     value). The repair runs only after encoding/json reports a mismatch,
//     so a clean body costs one pass; it is the client's: json.Unmarshal
//     into a generated type yourself is plain encoding/json.
//   - Paths are validated: a path parameter that is empty, "." or ".." is
//     refused with an *ArgumentError naming the parameter before anything
//     is sent, since a proxy would resolve a dot segment (deleting the
//     group instead of one member). [CloudRecordingsService.Download]
//     refuses dot segments in its URL.
//   - The bearer token never travels in clear: [WithBaseURL] and Download
//     refuse plain http except to a loopback host (localhost, 127.0.0.0/8,
//     ::1), and a redirect to another host or to plain http loses the
//     Authorization header.
//   - A ...All iterator whose pages come back with a next_page_token Zoom
//     already returned ends with [ErrRepeatedPageToken] instead of paging
//     forever.
//
// What cannot be guaranteed: a POST whose answer was lost may or may not
// have been done by Zoom; the error (a *NetworkError) says so, and the
// caller decides, for example by listing what exists before creating again.
//
// # Secrets
//
// Tokens are never logged nor put in errors. The Authorization header never
// follows a redirect to another host. Secrets a server echoes back in an
// error (the request's passwords and other Secret values, its access
// token, zak=, pwd= and access_token= parameters, Bearer credentials, JWTs)
// are redacted from the *APIError's message, field errors and body before
// they are kept.
//
// Values in Zoom's answers that grant access on their own are redacted
// whenever a model holding them is logged or printed:
//
//   - fields of type [Secret]: start_url (it embeds the host's ZAK),
//     meeting and webinar passwords and passcodes (password, passcode,
//     encrypted_password, h323_password, pstn_password and the like),
//     host_key, recording_play_passcode, download_access_token and token;
//   - the string fields pmi_password, stream_key, dynamic_host_key and
//     default_password_for_scheduled_meetings;
//   - in every URL field (join_url, registration_url, personal_meeting_url,
//     share_url, ...), the values of the pwd, tk, zak, access_token and
//     token query parameters. The rest of the URL is kept, so a logged join
//     URL still names its meeting.
//
// Such values show as REDACTED when the model, or a pointer to it, is
//
//   - an attribute value of package log/slog (slog.Any("meeting", m)), also
//     in a group, with the JSON and text handlers and any handler that
//     resolves values as handlers must: every model holding a secret,
//     directly or in a nested struct or slice (a Meeting, a MeetingList, a
//     User, the Settings of a Webinar, ...), implements slog.LogValuer, so
//     even the JSON handler, which would otherwise encode it with
//     json.Marshal, sees a redacted copy;
//   - printed by package fmt with any verb (%v, %+v, %#v, %s, ...) or by
//     its String method.
//
// A [Secret] printed on its own shows REDACTED the same ways; a plain
// string field taken out of its model (m.JoinURL) is printed as is. The
// model itself is never changed.
//
// json.Marshal keeps every value: it is the wire format, which requests
// need. So does anything that marshals a model itself, such as a logger
// that encodes a whole struct of yours holding a model: log the model as
// an attribute of its own. Use string(s) or [Secret.Reveal] for the value
// of a secret. A nil pointer to a model that holds secrets logs as slog's
// "LogValue panicked" message rather than null, since its LogValue method
// has a value receiver (so that values and pointers both redact).
package zoom
