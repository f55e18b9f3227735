package webhook

import "errors"

// Sentinel errors returned by verification, parsing and construction. Match them with errors.Is.
// None of their texts, nor the texts of errors wrapping them, contain request input, secrets or the
// expected signature.
var (
	// ErrMissingSignature reports a request without an x-zm-signature header.
	ErrMissingSignature = errors.New("webhook: missing x-zm-signature header")
	// ErrMissingTimestamp reports a request without an x-zm-request-timestamp header.
	ErrMissingTimestamp = errors.New("webhook: missing x-zm-request-timestamp header")
	// ErrDuplicateHeader reports a signature, timestamp or authorization header sent more than once.
	ErrDuplicateHeader = errors.New("webhook: duplicated header")
	// ErrMalformedSignature reports an x-zm-signature that is not "v0=" followed by 64 lowercase hex digits.
	ErrMalformedSignature = errors.New("webhook: malformed x-zm-signature header")
	// ErrMalformedTimestamp reports an x-zm-request-timestamp that is not 1 to 12 decimal digits
	// without a leading zero.
	ErrMalformedTimestamp = errors.New("webhook: malformed x-zm-request-timestamp header")
	// ErrTimestampOutOfRange reports a timestamp further from the verifier's clock than its tolerance,
	// in the past or in the future.
	ErrTimestampOutOfRange = errors.New("webhook: request timestamp outside the tolerance window")
	// ErrInvalidSignature reports a well-formed signature that matches none of the secrets.
	ErrInvalidSignature = errors.New("webhook: invalid signature")
	// ErrReplay reports a (timestamp, signature) pair seen before, with WithReplayCache.
	ErrReplay = errors.New("webhook: replayed request")
	// ErrReplayCache reports a failure of the replay cache store; the request may be genuine.
	ErrReplayCache = errors.New("webhook: replay cache unavailable")
	// ErrBodyTooLarge reports a request body above the verifier's maximum size.
	ErrBodyTooLarge = errors.New("webhook: request body too large")
	// ErrMalformedEvent reports a verified body that is not a Zoom event envelope: not a JSON object,
	// invalid JSON, no "event" string, a non-integer "event_ts", a non-object "payload", or one of
	// these keys repeated.
	ErrMalformedEvent = errors.New("webhook: malformed event")
	// ErrInvalidPlainToken reports an endpoint.url_validation challenge whose plainToken is missing,
	// longer than 128 characters, or holds characters other than A-Z, a-z, 0-9, '_' and '-'.
	ErrInvalidPlainToken = errors.New("webhook: invalid plainToken in endpoint.url_validation")
	// ErrNoSecret reports a Verifier constructed without a secret, or with an empty one.
	ErrNoSecret = errors.New("webhook: empty secret token")
	// ErrInvalidOption reports an option given an unusable value (a non-positive duration or size, a
	// nil function or store).
	ErrInvalidOption = errors.New("webhook: invalid option")
)
