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
			if vec.RawOK && err != nil {
				t.Fatalf("genuine vector rejected: %v", err)
			}
			if !vec.RawOK && err == nil {
				t.Fatalf("bad vector accepted")
			}
			if err != nil && strings.Contains(err.Error(), vec.Secret) {
				t.Fatalf("error text contains the secret")
			}
			if vec.RawOK {
				// Sign reproduces Zoom's signature, and the body parses as an event.
				if got := Sign(vec.Secret, now, []byte(vec.Body)); got != vec.Sig {
					t.Fatalf("Sign = %s, want %s", got, vec.Sig)
				}
				if _, err := ParseEvent([]byte(vec.Body)); err != nil {
					t.Fatal(err)
				}
			}
		})
		if vec.RawOK {
			genuine++
		}
	}
	if genuine < 2 {
		t.Fatalf("expected at least 2 genuine vectors, got %d", genuine)
	}
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
		if ms.Object.ID != 85393847045 || !strings.Contains(ms.Object.Topic, "\U0001F692") {
			t.Fatalf("decoded %+v", ms.Object)
		}
		if want := time.Date(2024, 7, 11, 14, 12, 55, 0, time.UTC); !ms.Object.StartTime.Equal(want) {
			t.Fatalf("start_time %v", ms.Object.StartTime)
		}
		if e.Timestamp.UnixMilli() != 1720707175904 {
			t.Fatalf("event_ts %v", e.Timestamp)
		}
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
	if got := Sign(goldenSecret, goldenTime, []byte(goldenBody)); got != goldenSig {
		t.Fatalf("Sign = %s", got)
	}
	if got := EncryptedToken(goldenSecret, "abc_DEF-123"); got != goldenEncrypted {
		t.Fatalf("EncryptedToken = %s", got)
	}
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
		if err := v.VerifyBytes(context.Background(), h, body); err != nil {
			t.Fatalf("body %d: %v", i, err)
		}
		// A canonical re-encoding is a different message: it must not verify with the same signature.
		var m any
		require.NoError(t, json.Unmarshal(body, &m))
		re, _ := json.Marshal(m)
		if !bytes.Equal(re, body) {
			if err := v.VerifyBytes(context.Background(), h, re); !errors.Is(err, ErrInvalidSignature) {
				t.Fatalf("body %d: re-encoded body verified: %v", i, err)
			}
		}
		if _, err := ParseEvent(body); err != nil {
			t.Fatalf("body %d: %v", i, err)
		}
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
		if tc.ok != (err == nil) || (!tc.ok && !errors.Is(err, ErrTimestampOutOfRange)) {
			t.Errorf("offset %v: err = %v", tc.offset, err)
		}
	}
	// A custom tolerance.
	v2 := mustVerifier(t, []string{"k"}, WithClock(fixedClock(now)), WithTolerance(10*time.Second))
	ts := now.Add(-11 * time.Second)
	if err := v2.VerifyBytes(context.Background(), sigHeader(Sign("k", ts, body), strconv.FormatInt(ts.Unix(), 10)), body); !errors.Is(err, ErrTimestampOutOfRange) {
		t.Fatalf("tolerance 10s, offset 11s: %v", err)
	}
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
		if ok != (err == nil) {
			t.Errorf("%s: err = %v", name, err)
		}
		if !ok && !errors.Is(err, ErrInvalidSignature) {
			t.Errorf("%s: want ErrInvalidSignature, got %v", name, err)
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
		if !errors.Is(err, tc.want) {
			t.Errorf("%s: got %v, want %v", tc.name, err, tc.want)
		}
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
		if _, err := NewVerifier(tc.secrets, tc.opts...); !errors.Is(err, tc.want) {
			t.Errorf("%s: got %v, want %v", name, err, tc.want)
		}
	}
}

func TestVerifierDoesNotPrintSecrets(t *testing.T) {
	t.Parallel()
	v := mustVerifier(t, []string{"CANARY-SECRET-1", "CANARY-SECRET-2"}, WithLegacyToken("CANARY-LEGACY"))
	var logs bytes.Buffer
	slog.New(slog.NewJSONHandler(&logs, nil)).Info("verifier", "v", v)
	for _, s := range []string{fmt.Sprint(v), fmt.Sprintf("%+v", v), fmt.Sprintf("%#v", v), fmt.Sprintf("%v", *v), logs.String()} {
		if strings.Contains(s, "CANARY") {
			t.Fatalf("secret printed: %s", s)
		}
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
	if e.Name != EventRecordingCompleted || e.DownloadToken != "CANARY-DL" || !bytes.Equal(e.Raw, body) ||
		e.Timestamp != time.UnixMilli(1700000000123).UTC() || string(e.Payload) != `{"object":{"id":5}}` {
		t.Fatalf("event %#v", e)
	}
	for _, s := range []string{fmt.Sprint(e), fmt.Sprintf("%+v", e), fmt.Sprintf("%#v", e)} {
		if strings.Contains(s, "CANARY") {
			t.Fatalf("download token printed: %s", s)
		}
	}

	// One byte over the limit, with and without a Content-Length.
	big := append(append([]byte{}, body...), ' ')
	r, _ = NewSignedRequest(context.Background(), "k", "https://example.com/zoom", big, goldenTime)
	if _, err := v.Verify(r); !errors.Is(err, ErrBodyTooLarge) {
		t.Fatalf("oversized: %v", err)
	}
	r, _ = NewSignedRequest(context.Background(), "k", "https://example.com/zoom", big, goldenTime)
	r.ContentLength = -1
	r.Body = io.NopCloser(bytes.NewReader(big))
	if _, err := v.Verify(r); !errors.Is(err, ErrBodyTooLarge) {
		t.Fatalf("oversized, unknown length: %v", err)
	}
	// A tampered body.
	r, _ = NewSignedRequest(context.Background(), "k", "https://example.com/zoom", body, goldenTime)
	r.Body = io.NopCloser(bytes.NewReader(bytes.Replace(body, []byte("5"), []byte("6"), 1)))
	if _, err := v.Verify(r); !errors.Is(err, ErrInvalidSignature) {
		t.Fatalf("tampered: %v", err)
	}
}

func TestLegacyToken(t *testing.T) {
	t.Parallel()
	body := []byte(`{"event":"app_deauthorized","payload":{"user_id":"u"}}`)
	v := mustVerifier(t, []string{"k"}, WithClock(fixedClock(goldenTime)), WithLegacyToken("legacy-token"))
	plain := mustVerifier(t, []string{"k"}, WithClock(fixedClock(goldenTime)))
	h := http.Header{HeaderAuthorization: {"legacy-token"}}
	require.NoError(t, v.VerifyBytes(context.Background(), h, body), "legacy token rejected")
	if err := plain.VerifyBytes(context.Background(), h, body); !errors.Is(err, ErrMissingSignature) {
		t.Fatalf("legacy token accepted without opt-in: %v", err)
	}
	for _, bad := range []http.Header{
		{HeaderAuthorization: {"legacy-token-x"}},
		{HeaderAuthorization: {"Bearer legacy-token"}},
		{HeaderAuthorization: {"legacy-token", "legacy-token"}},
		{HeaderAuthorization: {""}},
		{},
	} {
		if err := v.VerifyBytes(context.Background(), bad, body); err == nil {
			t.Fatalf("accepted %v", bad)
		}
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
	if err := v.VerifyBytes(ctx, h, body); !errors.Is(err, ErrReplay) {
		t.Fatalf("replay within the window: %v", err)
	}
	clock.Advance(2 * time.Second)
	if err := v.VerifyBytes(ctx, h, body); !errors.Is(err, ErrTimestampOutOfRange) {
		t.Fatalf("replay after the window: %v", err)
	}
	// A new signature for the same body (Zoom's redelivery) is not a replay.
	h2 := sigHeader(Sign("k", clock.Now(), body), strconv.FormatInt(clock.Now().Unix(), 10))
	require.NoError(t, v.VerifyBytes(ctx, h2, body))
	// Bad signatures are not remembered (they cannot fill the cache).
	n := cache.Len()
	_ = v.VerifyBytes(ctx, sigHeader("v0="+strings.Repeat("00", 32), "1700000301"), body)
	if cache.Len() != n {
		t.Fatal("rejected request stored in the replay cache")
	}

	// A failing cache fails verification, without leaking the signature; the Handler answers 503.
	bad := mustVerifier(t, []string{"k"}, WithClock(fixedClock(goldenTime)), WithReplayCache(failingDeduper{errors.New("store down")}))
	err := bad.VerifyBytes(ctx, h, body)
	if !errors.Is(err, ErrReplayCache) || strings.Contains(err.Error(), h.Get(HeaderSignature)[3:]) {
		t.Fatalf("failing cache: %v", err)
	}
	hd, _ := NewHandler(bad)
	r, _ := NewSignedRequest(ctx, "k", "http://app.test/", body, goldenTime)
	w := httptest.NewRecorder()
	hd.ServeHTTP(w, r)
	if w.Code != http.StatusServiceUnavailable {
		t.Fatalf("handler with failing replay cache: %d", w.Code)
	}
	if _, err := NewVerifier([]string{"k"}, WithReplayCache(nil)); !errors.Is(err, ErrInvalidOption) {
		t.Fatal(err)
	}
}
