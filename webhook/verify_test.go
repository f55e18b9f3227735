package webhook

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type sigVector struct {
	Body   string `json:"body"`
	Secret string `json:"secret"`
	Sig    string `json:"sig"`
	TS     string `json:"ts"`
	RawOK  bool   `json:"raw_ok"`
}

func loadVectors(t testing.TB) []sigVector {
	t.Helper()
	b, err := os.ReadFile("testdata/signatures.json")
	require.NoError(t, err)
	var vs []sigVector
	require.NoError(t, json.Unmarshal(b, &vs))
	return vs
}

func fixedClock(t time.Time) func() time.Time { return func() time.Time { return t } }

func mustVerifier(t testing.TB, secrets []string, opts ...Option) *Verifier {
	t.Helper()
	v, err := NewVerifier(secrets, opts...)
	require.NoError(t, err)
	return v
}

func sigHeader(sig, ts string) http.Header {
	h := http.Header{}
	if sig != "" {
		h.Set(HeaderSignature, sig)
	}
	if ts != "" {
		h.Set(HeaderTimestamp, ts)
	}
	return h
}

// The vectors from ZoomNet: genuine Zoom signatures verify over the raw bytes, the rest fail.
func TestKnownAnswerVectors(t *testing.T) {
	t.Parallel()
	vs := loadVectors(t)
	genuine := 0
	for i, vec := range vs {
		t.Run(strconv.Itoa(i), func(t *testing.T) {
			ts, err := strconv.ParseInt(vec.TS, 10, 64)
			require.NoError(t, err)
			now := time.Unix(ts, 0)
			if ts > 5e9 { // the replayed-with-a-future-timestamp vector
				now = time.Unix(1720705455, 0)
			}
			v := mustVerifier(t, []string{vec.Secret}, WithClock(fixedClock(now)))
			err = v.VerifyBytes(context.Background(), sigHeader(vec.Sig, vec.TS), []byte(vec.Body))
			if vec.RawOK {
				require.NoError(t, err, "genuine vector rejected")
			} else {
				require.Error(t, err, "bad vector accepted")
				require.NotContains(t, err.Error(), vec.Secret, "error text contains the secret")
			}
			if vec.RawOK {
				// Sign reproduces Zoom's signature, and the body parses as an event.
				require.Equal(t, vec.Sig, Sign(vec.Secret, now, []byte(vec.Body)), "Sign")
				_, err := ParseEvent([]byte(vec.Body))
				require.NoError(t, err)
			}
		})
		if vec.RawOK {
			genuine++
		}
	}
	require.GreaterOrEqual(t, genuine, 2, "expected at least 2 genuine vectors")
}

// The emoji vector decodes into the typed payload with the surrogate pairs joined, and the string id
// becomes an ID.
func TestGenuineEmojiVectorDecodes(t *testing.T) {
	t.Parallel()
	for _, vec := range loadVectors(t) {
		if !vec.RawOK || !strings.Contains(vec.Body, "meeting.started") {
			continue
		}
		e, err := ParseEvent([]byte(vec.Body))
		require.NoError(t, err)
		p, err := e.TypedPayload()
		require.NoError(t, err)
		ms := p.(*MeetingStartedPayload)
		require.EqualValues(t, 85393847045, ms.Object.ID, "decoded %+v", ms.Object)
		require.Contains(t, ms.Object.Topic, "\U0001F692", "decoded %+v", ms.Object)
		require.True(t, ms.Object.StartTime.Equal(time.Date(2024, 7, 11, 14, 12, 55, 0, time.UTC)), "start_time %v", ms.Object.StartTime)
		require.Equal(t, int64(1720707175904), e.Timestamp.UnixMilli(), "event_ts %v", e.Timestamp)
		return
	}
	t.Fatal("emoji vector not found")
}

// Golden vectors computed independently with
// printf '%s' 'v0:1700000000:BODY' | openssl dgst -sha256 -hmac golden-secret-1
const (
	goldenSecret = "golden-secret-1"
	goldenBody   = `{"event":"meeting.started","event_ts":1700000000123,"payload":{"account_id":"acc","object":{"id":"85393847045","uuid":"abc==","topic":"caf\u00e9 \/ r\u00e9union"}}}`
	goldenSig    = "v0=8272328ee3815c8b10ad5406f171b493de7484c2a6207159b9dc8f8dc37c9299"
	// printf '%s' 'abc_DEF-123' | openssl dgst -sha256 -hmac golden-secret-1
	goldenEncrypted = "9e1d93aa23cf3eef5b646a8ae5c628c3455324cbd7b586d3b71f4f09ea33a2c4"
)

var goldenTime = time.Unix(1700000000, 0)

func TestOpenSSLGolden(t *testing.T) {
	t.Parallel()
	require.Equal(t, goldenSig, Sign(goldenSecret, goldenTime, []byte(goldenBody)), "Sign")
	require.Equal(t, goldenEncrypted, EncryptedToken(goldenSecret, "abc_DEF-123"), "EncryptedToken")
	v := mustVerifier(t, []string{goldenSecret}, WithClock(fixedClock(goldenTime)))
	require.NoError(t, v.VerifyBytes(context.Background(), sigHeader(goldenSig, "1700000000"), []byte(goldenBody)))
}

// Bodies that a re-serialising verifier would break: key order, escaped unicode, "\/", whitespace.
func TestNonCanonicalJSONVerifies(t *testing.T) {
	t.Parallel()
	bodies := []string{
		goldenBody,
		`{"payload":{"object":{"topic":"\u00e9\u00E9 \/\/ \ud83d\ude92","id":1},"account_id":"a"},"event_ts":1700000000123,"event":"meeting.created"}`,
		"{\n  \"event\" : \"meeting.created\",\r\n\t\"event_ts\":1700000000123 ,\"payload\":{ \"object\" : { \"id\" : \"1\" } }\n}\n",
		`{"event":"meeting.created","payload":{"object":{"topic":"Test \uD83D\uDE92\uD83D\uDE92 ? - ’ – \uD83D\uDE97"}},"event_ts":1}`,
	}
	v := mustVerifier(t, []string{"s3cret"}, WithClock(fixedClock(goldenTime)))
	for i, b := range bodies {
		body := []byte(b)
		h := sigHeader(Sign("s3cret", goldenTime, body), "1700000000")
		require.NoError(t, v.VerifyBytes(context.Background(), h, body), "body %d", i)
		// A canonical re-encoding is a different message: it must not verify with the same signature.
		var m any
		require.NoError(t, json.Unmarshal(body, &m))
		re, _ := json.Marshal(m)
		if !bytes.Equal(re, body) {
			require.ErrorIs(t, v.VerifyBytes(context.Background(), h, re), ErrInvalidSignature, "body %d: re-encoded body verified", i)
		}
		_, err := ParseEvent(body)
		require.NoError(t, err, "body %d", i)
	}
}

func TestTimestampWindow(t *testing.T) {
	t.Parallel()
	now := time.Unix(1_800_000_000, 0)
	body := []byte(`{"event":"meeting.started","event_ts":1}`)
	v := mustVerifier(t, []string{"k"}, WithClock(fixedClock(now)))
	for _, tc := range []struct {
		offset time.Duration
		ok     bool
	}{
		{-299 * time.Second, true},
		{299 * time.Second, true},
		{-300 * time.Second, true},
		{300 * time.Second, true},
		{-301 * time.Second, false},
		{301 * time.Second, false},
		{-24 * time.Hour, false},
		{24 * time.Hour, false},
	} {
		ts := now.Add(tc.offset)
		h := sigHeader(Sign("k", ts, body), strconv.FormatInt(ts.Unix(), 10))
		err := v.VerifyBytes(context.Background(), h, body)
		if tc.ok {
			assert.NoError(t, err, "offset %v", tc.offset)
		} else {
			assert.ErrorIs(t, err, ErrTimestampOutOfRange, "offset %v", tc.offset)
		}
	}
	// A custom tolerance.
	v2 := mustVerifier(t, []string{"k"}, WithClock(fixedClock(now)), WithTolerance(10*time.Second))
	ts := now.Add(-11 * time.Second)
	err := v2.VerifyBytes(context.Background(), sigHeader(Sign("k", ts, body), strconv.FormatInt(ts.Unix(), 10)), body)
	require.ErrorIs(t, err, ErrTimestampOutOfRange, "tolerance 10s, offset 11s")
}

func TestSecretRotation(t *testing.T) {
	t.Parallel()
	body := []byte(`{"event":"user.created","event_ts":1,"payload":{}}`)
	clock := fixedClock(goldenTime)
	oldOnly := mustVerifier(t, []string{"old"}, WithClock(clock))
	both := mustVerifier(t, []string{"new", "old"}, WithClock(clock))
	newOnly := mustVerifier(t, []string{"new"}, WithClock(clock))
	hOld := sigHeader(Sign("old", goldenTime, body), "1700000000")
	hNew := sigHeader(Sign("new", goldenTime, body), "1700000000")
	check := func(name string, v *Verifier, h http.Header, ok bool) {
		t.Helper()
		err := v.VerifyBytes(context.Background(), h, body)
		if ok {
			assert.NoError(t, err, name)
		} else {
			assert.ErrorIs(t, err, ErrInvalidSignature, name)
		}
	}
	check("old secret, old verifier", oldOnly, hOld, true)
	check("new signature, old verifier", oldOnly, hNew, false)
	check("old signature during rotation", both, hOld, true)
	check("new signature during rotation", both, hNew, true)
	check("old signature after rotation", newOnly, hOld, false)
	check("new signature after rotation", newOnly, hNew, true)
}

func TestHeaderErrors(t *testing.T) {
	t.Parallel()
	body := []byte(`{"event":"x"}`)
	good := Sign("k", goldenTime, body)
	v := mustVerifier(t, []string{"k"}, WithClock(fixedClock(goldenTime)))
	for _, tc := range []struct {
		name string
		h    http.Header
		want error
	}{
		{"no headers", http.Header{}, ErrMissingSignature},
		{"no signature", sigHeader("", "1700000000"), ErrMissingSignature},
		{"empty signature", http.Header{HeaderSignature: {""}, HeaderTimestamp: {"1700000000"}}, ErrMissingSignature},
		{"no timestamp", sigHeader(good, ""), ErrMissingTimestamp},
		{"duplicate signature", http.Header{HeaderSignature: {good, good}, HeaderTimestamp: {"1700000000"}}, ErrDuplicateHeader},
		{"duplicate timestamp", http.Header{HeaderSignature: {good}, HeaderTimestamp: {"1700000000", "1700000000"}}, ErrDuplicateHeader},
		{"no v0 prefix", sigHeader(good[3:], "1700000000"), ErrMalformedSignature},
		{"v1 scheme", sigHeader("v1="+good[3:], "1700000000"), ErrMalformedSignature},
		{"uppercase hex", sigHeader("v0="+strings.ToUpper(good[3:]), "1700000000"), ErrMalformedSignature},
		{"short", sigHeader(good[:len(good)-2], "1700000000"), ErrMalformedSignature},
		{"long", sigHeader(good+"00", "1700000000"), ErrMalformedSignature},
		{"two signatures", sigHeader(good+","+good, "1700000000"), ErrMalformedSignature},
		{"spaces", sigHeader(" "+good, "1700000000"), ErrMalformedSignature},
		{"non-hex", sigHeader("v0="+strings.Repeat("zz", 32), "1700000000"), ErrMalformedSignature},
		{"signed timestamp", sigHeader(good, "+1700000000"), ErrMalformedTimestamp},
		{"negative timestamp", sigHeader(good, "-1700000000"), ErrMalformedTimestamp},
		{"fractional timestamp", sigHeader(good, "1700000000.5"), ErrMalformedTimestamp},
		{"millisecond timestamp", sigHeader(good, "1700000000000"), ErrMalformedTimestamp},
		{"timestamp with space", sigHeader(good, " 1700000000"), ErrMalformedTimestamp},
		{"leading zero timestamp", sigHeader(good, "01700000000"), ErrMalformedTimestamp},
		{"hex timestamp", sigHeader(good, "0x65"), ErrMalformedTimestamp},
		{"wrong signature", sigHeader("v0="+strings.Repeat("ab", 32), "1700000000"), ErrInvalidSignature},
		{"other timestamp in window", sigHeader(good, "1700000001"), ErrInvalidSignature},
	} {
		err := v.VerifyBytes(context.Background(), tc.h, body)
		assert.ErrorIs(t, err, tc.want, tc.name)
		if err != nil && (strings.Contains(err.Error(), good[3:]) || strings.Contains(err.Error(), "1700000000")) {
			t.Errorf("%s: error text echoes input or the expected MAC: %q", tc.name, err)
		}
	}
}

func TestNewVerifierValidation(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]struct {
		secrets []string
		opts    []Option
		want    error
	}{
		"nil secrets":      {nil, nil, ErrNoSecret},
		"empty secret":     {[]string{""}, nil, ErrNoSecret},
		"one empty of two": {[]string{"a", ""}, nil, ErrNoSecret},
		"zero tolerance":   {[]string{"a"}, []Option{WithTolerance(0)}, ErrInvalidOption},
		"negative max":     {[]string{"a"}, []Option{WithMaxBodyBytes(-1)}, ErrInvalidOption},
		"nil clock":        {[]string{"a"}, []Option{WithClock(nil)}, ErrInvalidOption},
		"empty legacy":     {[]string{"a"}, []Option{WithLegacyToken("")}, ErrInvalidOption},
		"nil option":       {[]string{"a"}, []Option{nil}, ErrInvalidOption},
	} {
		_, err := NewVerifier(tc.secrets, tc.opts...)
		assert.ErrorIs(t, err, tc.want, name)
	}
}

func TestVerifierDoesNotPrintSecrets(t *testing.T) {
	t.Parallel()
	v := mustVerifier(t, []string{"CANARY-SECRET-1", "CANARY-SECRET-2"}, WithLegacyToken("CANARY-LEGACY"))
	var logs bytes.Buffer
	slog.New(slog.NewJSONHandler(&logs, nil)).Info("verifier", "v", v)
	for _, s := range []string{fmt.Sprint(v), fmt.Sprintf("%+v", v), fmt.Sprintf("%#v", v), fmt.Sprintf("%v", *v), logs.String()} {
		require.NotContains(t, s, "CANARY", "secret printed")
	}
}

func TestVerifyRequest(t *testing.T) {
	t.Parallel()
	body := []byte(`{"event":"recording.completed","event_ts":1700000000123,"download_token":"CANARY-DL","payload":{"object":{"id":5}}}`)
	v := mustVerifier(t, []string{"k"}, WithClock(fixedClock(goldenTime)), WithMaxBodyBytes(int64(len(body))))
	r, err := NewSignedRequest(context.Background(), "k", "https://example.com/zoom", body, goldenTime)
	require.NoError(t, err)
	e, err := v.Verify(r)
	require.NoError(t, err)
	require.Equal(t, EventRecordingCompleted, e.Name, "event %#v", e)
	require.Equal(t, "CANARY-DL", e.DownloadToken, "event %#v", e)
	require.True(t, bytes.Equal(e.Raw, body), "event %#v", e)
	require.True(t, e.Timestamp == time.UnixMilli(1700000000123).UTC(), "event %#v", e)
	require.Equal(t, `{"object":{"id":5}}`, string(e.Payload), "event %#v", e)
	for _, s := range []string{fmt.Sprint(e), fmt.Sprintf("%+v", e), fmt.Sprintf("%#v", e)} {
		require.NotContains(t, s, "CANARY", "download token printed")
	}

	// One byte over the limit, with and without a Content-Length.
	big := append(append([]byte{}, body...), ' ')
	r, _ = NewSignedRequest(context.Background(), "k", "https://example.com/zoom", big, goldenTime)
	_, err = v.Verify(r)
	require.ErrorIs(t, err, ErrBodyTooLarge, "oversized")
	r, _ = NewSignedRequest(context.Background(), "k", "https://example.com/zoom", big, goldenTime)
	r.ContentLength = -1
	r.Body = io.NopCloser(bytes.NewReader(big))
	_, err = v.Verify(r)
	require.ErrorIs(t, err, ErrBodyTooLarge, "oversized, unknown length")
	// A tampered body.
	r, _ = NewSignedRequest(context.Background(), "k", "https://example.com/zoom", body, goldenTime)
	r.Body = io.NopCloser(bytes.NewReader(bytes.Replace(body, []byte("5"), []byte("6"), 1)))
	_, err = v.Verify(r)
	require.ErrorIs(t, err, ErrInvalidSignature, "tampered")
}

func TestLegacyToken(t *testing.T) {
	t.Parallel()
	body := []byte(`{"event":"app_deauthorized","payload":{"user_id":"u"}}`)
	v := mustVerifier(t, []string{"k"}, WithClock(fixedClock(goldenTime)), WithLegacyToken("legacy-token"))
	plain := mustVerifier(t, []string{"k"}, WithClock(fixedClock(goldenTime)))
	h := http.Header{HeaderAuthorization: {"legacy-token"}}
	require.NoError(t, v.VerifyBytes(context.Background(), h, body), "legacy token rejected")
	require.ErrorIs(t, plain.VerifyBytes(context.Background(), h, body), ErrMissingSignature, "legacy token accepted without opt-in")
	for _, bad := range []http.Header{
		{HeaderAuthorization: {"legacy-token-x"}},
		{HeaderAuthorization: {"Bearer legacy-token"}},
		{HeaderAuthorization: {"legacy-token", "legacy-token"}},
		{HeaderAuthorization: {""}},
		{},
	} {
		require.Error(t, v.VerifyBytes(context.Background(), bad, body), "accepted %v", bad)
	}
	// A valid signature still works with the legacy option on.
	require.NoError(t, v.VerifyBytes(context.Background(), sigHeader(Sign("k", goldenTime, body), "1700000000"), body))
}

func TestReplayCache(t *testing.T) {
	t.Parallel()
	clock := &testClock{now: goldenTime}
	cache := NewMemoryDeduper(WithClock(clock.Now))
	v := mustVerifier(t, []string{"k"}, WithClock(clock.Now), WithReplayCache(cache))
	body := []byte(`{"event":"meeting.deleted","event_ts":1,"payload":{"object":{"id":1}}}`)
	h := sigHeader(Sign("k", goldenTime, body), "1700000000")
	ctx := context.Background()
	require.NoError(t, v.VerifyBytes(ctx, h, body))
	clock.Advance(299 * time.Second)
	require.ErrorIs(t, v.VerifyBytes(ctx, h, body), ErrReplay, "replay within the window")
	clock.Advance(2 * time.Second)
	require.ErrorIs(t, v.VerifyBytes(ctx, h, body), ErrTimestampOutOfRange, "replay after the window")
	// A new signature for the same body (Zoom's redelivery) is not a replay.
	h2 := sigHeader(Sign("k", clock.Now(), body), strconv.FormatInt(clock.Now().Unix(), 10))
	require.NoError(t, v.VerifyBytes(ctx, h2, body))
	// Bad signatures are not remembered (they cannot fill the cache).
	n := cache.Len()
	_ = v.VerifyBytes(ctx, sigHeader("v0="+strings.Repeat("00", 32), "1700000301"), body)
	require.Equal(t, n, cache.Len(), "rejected request stored in the replay cache")

	// A failing cache fails verification, without leaking the signature; the Handler answers 503.
	bad := mustVerifier(t, []string{"k"}, WithClock(fixedClock(goldenTime)), WithReplayCache(failingDeduper{errors.New("store down")}))
	err := bad.VerifyBytes(ctx, h, body)
	require.ErrorIs(t, err, ErrReplayCache, "failing cache")
	require.NotContains(t, err.Error(), h.Get(HeaderSignature)[3:], "failing cache: %v", err)
	hd, _ := NewHandler(bad)
	r, _ := NewSignedRequest(ctx, "k", "http://app.test/", body, goldenTime)
	w := httptest.NewRecorder()
	hd.ServeHTTP(w, r)
	require.Equal(t, http.StatusServiceUnavailable, w.Code, "handler with failing replay cache")
	_, err = NewVerifier([]string{"k"}, WithReplayCache(nil))
	require.ErrorIs(t, err, ErrInvalidOption)
}
