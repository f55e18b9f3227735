// Package webhook receives Zoom webhook events: it verifies Zoom's x-zm-signature over the raw
// request body, answers the endpoint.url_validation challenge, drops redeliveries, and decodes
// events into typed payloads. It also receives event subscriptions over Zoom's WebSocket endpoint
// (WebSocketSource), through the same Handler.
//
// # Receiving events
//
// Build a Verifier from the app's Secret Token (several while rotating), a Handler around it, and
// register a function per event:
//
//	v, err := webhook.NewVerifier([]string{os.Getenv("ZOOM_WEBHOOK_SECRET")})
//	if err != nil { ... } // an empty secret is an error: the verifier never fails open
//	h, err := webhook.NewHandler(v)
//	if err != nil { ... }
//	h.OnMeetingParticipantJoined(func(ctx context.Context, e *webhook.Event, p *webhook.MeetingParticipantJoinedPayload) error {
//		return attendance.Record(ctx, p.Object.ID, p.Object.Participant.UserName, p.Object.Participant.JoinTime.Time)
//	})
//	h.OnAppDeauthorized(func(ctx context.Context, e *webhook.Event, p *webhook.AppDeauthorizedPayload) error {
//		return tokens.Delete(ctx, p.AccountID, p.UserID)
//	})
//	h.Fallback(func(ctx context.Context, e *webhook.Event) error { return nil }) // events without a handler
//	http.Handle("POST /zoom/webhook", h)
//
// Every event of Zoom's Meetings, Users, Accounts and Marketplace webhook documents (138: meetings,
// webinars, recordings, registrations, chat, AI Companion and summaries, users, groups, TSP,
// accounts, information barriers, app authorization) has a typed payload, an Event* name constant
// and an On method on Handler (see KnownEvents); Handle registers a function with a payload type of
// your own, and On one that takes the raw Event. An event Zoom adds later, or any event without a
// registered function, reaches Fallback as an Event with its raw payload.
//
// # What the Handler answers
//
// 405 to anything but POST; 413 to a body above the verifier's limit (1 MiB by default); 401 with a
// fixed body when the signature does not verify or its timestamp is outside the window (see
// Timestamp window); 400 to a verified body that is not an event, or to
// a URL validation challenge whose plainToken is not 1 to 128 characters of [A-Za-z0-9_-]; 200 with
// {"plainToken","encryptedToken"} to a verified challenge; 200 to a redelivery, without calling the
// application again; 503 when the dedup store fails (so Zoom retries: the event is neither dropped
// nor handled twice); 500 when the application's function returns an error or panics (the dedup
// claim is released, so Zoom's redelivery is handled); 200 otherwise.
//
// Application functions run within the request, so a failure can turn into a retry. Zoom waits 3
// seconds for an answer and retries 5, 25 and 85 minutes after the first attempt: keep the functions
// fast, or use the asynchronous mode (see Asynchronous mode), in which the Handler answers 200 once
// the event is queued, or 503 when the queue fails.
//
// # Asynchronous mode
//
// By default (synchronous mode) the Handler runs the application's function within the request
// and answers Zoom with its outcome. What that guarantees: an event is handled before Zoom gets
// its 200; a failing function becomes a 500, and Zoom's retry (5, 25 and 85 minutes later) is the
// retry. What it does not: Zoom waits only 3 seconds, so a slow function (a database write, an
// email, a call back to Zoom) makes Zoom retry and, after the last retry, drop the event; and a
// process that dies between its 200 and the end of the work loses the event. Use it for fast
// functions and single-process apps.
//
// In asynchronous mode (WithQueue) the Handler verifies and deduplicates as before, writes the raw
// verified event to a durable queue and answers 200 (503 if the queue fails, so Zoom retries);
// Workers, in this process or in other replicas, take events from the queue and run the same
// registered functions:
//
//	q, err := pgqueue.New(db) // or redisqueue.New(client), or queue.NewMemory() in one process
//	h, err := webhook.NewHandler(v, webhook.WithQueue(q), webhook.WithDeduper(sharedDedup))
//	h.OnMeetingParticipantJoined(recordAttendance)
//	http.Handle("POST /zoom/webhook", h)
//	w, err := webhook.NewWorker(h, q, webhook.WithConcurrency(8))
//	go w.Run(ctx) // until ctx ends; then finishes or releases what it runs
//
// What it guarantees:
//
//   - Zoom's answer does not wait for the function: its latency is the queue's write.
//   - At least once: an event is removed from the queue only after its function returned nil. A
//     Worker that crashes or stalls past the visibility timeout (WithVisibilityTimeout) lets the
//     event be handled again by another, so functions must be idempotent (they may run twice, and
//     rarely at the same time when one overran its visibility timeout; the function's context
//     ends at that timeout).
//   - Retries: a function that fails (returns an error or panics) is retried with exponential
//     backoff (WithRetry: 1 s doubling to 5 min, with jitter), and after its last attempt (8 by
//     default; a crash counts as an attempt) the event is dead-lettered with the error. Dead
//     letters are listed and replayed through the queue (DeadLetters, Replay). A function learns
//     its attempt and the previous attempt's error from DeliveryFromContext.
//   - Per-key order: events with the same ordering key (OrderKey: the meeting or webinar, by the
//     Sequencer's rules; WithOrderKey changes it) are handled one at a time, in event_ts order
//     among the events queued together, and a key waits while its earliest event waits for a
//     retry (with the defaults, at most about two minutes of backoff before a failing event is
//     dead-lettered and the key moves on). Different keys run in parallel, up to each Worker's
//     concurrency. An event that
//     arrives after a later event of its key was already handled is still handled (after it): use
//     a Sequencer where going backwards matters.
//   - Graceful shutdown: when Run's context ends, the Worker stops claiming, lets running
//     functions finish for WithShutdownGrace (30 s), then cancels their contexts and releases
//     the events that did not finish to the queue. Run returns when every goroutine it started
//     has ended.
//
// It does not deduplicate inside the queue: the Handler's Deduper does that before queuing (use a
// shared one with replicas). Operability: failures are logged through WithLogger (a warning per
// retry, an error per dead letter), and WithMetrics reports queued, in-flight, retried and
// dead-lettered counts and function latency; Counters keeps them and serves expvar. A
// WebSocketSource on a Handler with a queue queues its events too.
//
// # Verification
//
// Verifier checks the "v0" scheme: x-zm-signature must be "v0=" followed by the lowercase hex
// HMAC-SHA256, keyed with the secret, of "v0:" + x-zm-request-timestamp + ":" + body, computed over
// the body bytes exactly as received (never a re-encoding: Zoom escapes emoji as \uD83D\uDE92 and
// re-encoded JSON does not verify). Comparison is constant time. The timestamp must be within 5
// minutes of the verifier's clock, in the past or the future (a Handler accepts older ones: see
// Timestamp window). Missing, duplicated or malformed
// headers are rejected, each with its own sentinel error (ErrMissingSignature, ErrDuplicateHeader,
// ...); no error text contains the request's values, a secret, or the expected signature.
// WithLegacyToken additionally accepts the deprecated verification token in the Authorization
// header, for apps still configured that way.
//
// Verifier.Verify does the same for an *http.Request and parses the event; VerifyBytes works on a
// header and a body you already read, and ParseEvent parses a verified body.
//
// # Timestamp window
//
// Zoom retries a delivery that was not answered with a 2xx within 3 seconds 5, 25 and 85 minutes
// after the first attempt (ZoomRetrySpan), and does not document whether a retry carries a new
// x-zm-request-timestamp. If it carries the first attempt's, a 5-minute window would refuse every
// retry but the first and the event would be lost. So the Handler accepts timestamps up to
// DefaultTimestampWindow (95 minutes: the last retry, its delivery delay, and clock skew) in the
// past (WithTimestampWindow changes it), and up to the Verifier's tolerance in the future. The bare
// Verifier keeps its strict 5-minute default: it has no dedup behind it.
//
// The wider window does not widen replay exposure, because the Handler only accepts it for requests
// its dedup covers: the dedup key (DefaultKey) is the same for a captured copy of a request and for
// all of Zoom's retries of it, and NewHandler refuses a dedup TTL shorter than MinDedupTTL (window +
// tolerance + ZoomRetrySpan), so a claim outlives every moment a copy of the request or of any of its
// retries is accepted. A replayed request is therefore answered 200 as a duplicate and not handled
// again. Where nothing deduplicates (WithoutDedup, a KeyFunc that returns "", and the
// endpoint.url_validation challenge) the Handler keeps the Verifier's tolerance, and WithoutDedup
// refuses a window wider than it.
//
// What this does not cover: the claim of a delivery whose application function failed is released so
// that Zoom's retry is handled, and a captured copy replayed before that retry is handled in its
// place (it is the same event, once). A claim in a shared Deduper taken by a process that dies before
// answering is never released: Zoom's retries are answered as duplicates until it expires, so that
// event is not handled. Requests accepted through the legacy token carry no timestamp and are only
// as safe as that token.
//
// # Redeliveries
//
// Zoom may deliver an event more than once. Deduplication is on by default: the Handler claims a key
// per event in a Deduper before dispatching it, by default "event name + event_ts +
// payload.object.uuid (or id)", plus the participant, registrant or members the event names
// (DefaultKey; WithDedupKey replaces it), for 24 hours (WithDedupTTL; at least MinDedupTTL). The
// key does not depend on the signature, the timestamp or fields Zoom changes between retries (such
// as download_token), so every retry and every replay of a delivery has the same key. The default
// store, MemoryDeduper, only knows its own process; with several replicas use a shared store through
// WithDeduper (tokenstore/redisstore and tokenstore/sqlstore have one). Verifier.WithReplayCache
// adds a claim per (timestamp, signature), kept while that timestamp is accepted; the Handler
// releases it with the dedup claim when the application's function fails.
//
// # Reliability
//
// With the defaults, what holds: every event Zoom delivers or retries is handled by a Handler
// (through its last retry, whichever timestamp Zoom puts on retries) unless the application's
// function keeps failing; an event whose function succeeded is not handled again for 24 hours, by
// this process (MemoryDeduper) or by every replica sharing a Deduper; a captured request replayed
// while its timestamp is accepted is a duplicate, and afterwards is refused. What cannot hold: Zoom
// drops an event after its last retry, and a claim left by a process that died mid-request in a
// shared Deduper hides that event's retries until it expires (see Timestamp window).
//
// A retried delivery can also arrive after a newer event about the same thing (a participant_left
// after that participant's later participant_joined). A Sequencer reports such events as stale.
//
// # Typed payloads and ids
//
// The payload types are generated from Zoom's webhook OpenAPI documents (internal/gen/zoomgen -events);
// every example event in those documents decodes into them without losing a field. Where an example
// contradicts its schema (a quoted timestamp, an odd time spelling, a member the schema lacks), the
// payload keeps what Zoom's example sends: the cases and their resolution are listed in
// contradictions_test.go. Zoom sends
// meeting and webinar ids as a number in some events and as a string in others: both decode into
// zoom.ID. Times decode into zoom.Time, leniently; app_deauthorized's user_data_retention into
// NullBool. The ids and times are package zoom's own types, the ones its REST models use, so an
// event's meeting id compares with ==, without a conversion, to the ID of a zoom.Meeting; where an
// event's payload has the shape of one of zoom's models (a meeting's recurrence, for example), the
// payload uses that model. Package webhook imports zoom for these types; zoom never imports webhook.
// Event keeps the raw payload, so fields the types do not know are still available. Where Zoom's
// documents spell an event two ways, both reach one handler (group.members_deleted, in Zoom's
// example, reaches OnGroupMemberDeleted), and an event_ts sent as a quoted number, as Zoom's
// examples do for some events, is read like a number.
//
// Payload types that hold a secret (password, host_key, recording_play_passcode and the like) or a
// URL print them redacted: the secret as REDACTED, and in every *_url field the values of the pwd,
// tk, zak, access_token and token query parameters. That holds when the payload, a nested struct,
// or a pointer to one is an attribute value of package log/slog (with the JSON and text handlers:
// they implement slog.LogValuer), and with fmt's verbs and String. json.Marshal keeps every value,
// so re-encoding a payload still reproduces what was received. An *Event prints without its
// payload and download token (see Event).
//
// # Events over WebSockets
//
// Zoom can also deliver an event subscription over a WebSocket, for apps that cannot expose a
// public endpoint: the app connects to Zoom, rather than Zoom to the app. A WebSocketSource does
// that and feeds the events to a Handler, so the functions registered on it and its dedup serve
// both paths (an event that arrives over both is handled once):
//
//	ts, err := cfg.ServerToServer(accountID) // an *oauth.TokenSource
//	src, err := webhook.NewWebSocketSource(h, ts, subscriptionID)
//	err = src.Run(ctx) // returns ctx's error when ctx ends
//
// Run connects to wss://ws.zoom.us/ws?subscriptionId=...&access_token=... (WithWebSocketURL
// changes the endpoint; plain ws:// only on loopback), sends {"module":"heartbeat"} every 30
// seconds (WithHeartbeatInterval), and dispatches every {"module":"message"} whose "content" is an
// event (a JSON string holding the event, or the event object itself). Other modules (heartbeat
// answers, connection notices) are ignored; a message that is not JSON or whose content is not an
// event is logged and skipped; a message above WithMaxMessageBytes (1 MiB) closes the connection.
// When the connection fails or closes, Run reconnects after a jittered exponential backoff (1 s
// doubling to 1 min, WithReconnectBackoff), with a token from the token source; when the handshake
// is refused with 401 or 403 it calls ForceRefresh with the refused token (*oauth.TokenSource has
// it), so a cached token Zoom no longer accepts is not presented again. The access token travels in
// the URL's query: it never appears in errors (they are flattened and scrubbed) or logs.
//
// Trust model: WebSocket events carry no signature and are not verified by the Verifier. They are
// trusted because the source opened the connection itself, over TLS (wss) to the endpoint it was
// given, and authenticated with the app's own access token; whoever can change the endpoint URL or
// intercept TLS can inject events. Dedup applies as for posted events. Differences from HTTP:
// Zoom delivers only while a connection is open (events that happen while it is closed are lost,
// not queued), and nothing redelivers an event whose function failed, so the source only logs the
// failure; for the same reason a failing dedup store does not stop an event (it is handled without
// dedup, at least once) unless the source is stopping.
//
// Confirmed from Zoom's documentation (developers.zoom.us/docs/api/websockets) and its sample
// client (github.com/zoom/websocket-js-sample): the endpoint and its two query parameters, a
// Server-to-Server OAuth (or client-credentials) access token, the heartbeat message and its
// 30-second interval, {"module":"message","content":"<event JSON as a string>"}, and that events
// are not delivered while no connection is open. Not confirmed (no public document found): how
// Zoom refuses a bad or expired token (the source treats a 401 or 403 handshake as a refusal),
// whether and how Zoom answers a heartbeat or announces a connection (e.g. a build_connection
// module; the source ignores every module but "message"), whether Zoom closes a connection when
// its token expires (tokens last an hour; if Zoom closes it, the source reconnects with a fresh
// token), whether a second connection closes the first, the largest message Zoom sends, and
// whether Zoom ever resends an event. The source does not treat silence as a dead connection: it
// would need Zoom to answer heartbeats, which is not documented. The fake Zoom in
// zoom/zoomtest answers heartbeats with {"module":"heartbeat","success":true} and refuses a bad
// token with 401; neither is known to be Zoom's exact behaviour.
//
// # Testing
//
// Sign, SetSignatureHeaders and NewSignedRequest produce requests as Zoom would sign them, for your
// tests and for fake servers; EncryptedToken computes the expected URL validation answer.
package webhook
