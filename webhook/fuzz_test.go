package webhook

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

const fuzzSecret = "fuzz-secret"

func addSeedBodies(f *testing.F, add func(body []byte)) {
	add([]byte(goldenBody))
	add([]byte(validationBody))
	add([]byte(benchBody))
	add([]byte(`{"event":"a","event_ts":null,"payload":null,"download_token":null}`))
	add([]byte(`{"ev\u0065nt":"x"}`))
	add([]byte(`{"event":"x","event":"y"}`))
	add([]byte(`[{"event":"x"}]`))
	add([]byte(``))
	for _, vec := range loadVectors(f) {
		add([]byte(vec.Body))
	}
}

// FuzzVerify checks that verification never panics and accepts only a signature equal to
// Sign(secret, ts, body) over exactly these bytes, with a timestamp inside the window; and that
// rejections never echo the expected signature.
func FuzzVerify(f *testing.F) {
	v, err := NewVerifier([]string{fuzzSecret}, WithClock(fixedClock(goldenTime)))
	if err != nil {
		f.Fatal(err)
	}
	addSeedBodies(f, func(body []byte) {
		f.Add(Sign(fuzzSecret, goldenTime, body), "1700000000", body)
		f.Add(Sign(fuzzSecret, goldenTime, body), "1700000301", body)
	})
	f.Add("v0=", "", []byte("{}"))
	f.Add(goldenSig, "1700000000", []byte(goldenBody))
	f.Fuzz(func(t *testing.T, sig, ts string, body []byte) {
		h := http.Header{}
		h.Set(HeaderSignature, sig)
		h.Set(HeaderTimestamp, ts)
		err := v.VerifyBytes(context.Background(), h, body)
		if err == nil {
			n, ok := parseTimestamp(ts)
			if !ok || n < 1700000000-300 || n > 1700000000+300 {
				t.Fatalf("accepted timestamp %q", ts)
			}
			if want := Sign(fuzzSecret, unix(n), body); sig != want {
				t.Fatalf("accepted signature %q, want %q", sig, want)
			}
			return
		}
		if n, ok := parseTimestamp(ts); ok {
			if want := Sign(fuzzSecret, unix(n), body); strings.Contains(err.Error(), want[3:]) {
				t.Fatal("error text contains the expected signature")
			}
		}
	})
}

// FuzzParseEvent checks that envelope parsing never panics, agrees with encoding/json (a reference
// parser built on json.Decoder), and that decoding a payload into its event's typed payload, and any
// payload up to 4 KiB into every typed payload, never panics.
func FuzzParseEvent(f *testing.F) {
	addSeedBodies(f, func(body []byte) { f.Add(body) })
	for _, ex := range loadSpecExamples(f) {
		f.Add(ex.body)
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		require.Equal(t, json.Valid(body), valid(body), "valid (actual) against json.Valid (expected)")
		e, err := ParseEvent(body)
		ref, refErr := referenceParse(body)
		if (err == nil) != (refErr == nil) {
			t.Fatalf("ParseEvent err = %v, reference err = %v", err, refErr)
		}
		if err != nil {
			return
		}
		require.Equal(t, ref.Name, e.Name, "ParseEvent = %+v, reference = %+v", e, ref)
		require.True(t, e.Timestamp.Equal(ref.Timestamp), "ParseEvent = %+v, reference = %+v", e, ref)
		require.Equal(t, ref.DownloadToken, e.DownloadToken, "ParseEvent = %+v, reference = %+v", e, ref)
		require.True(t, bytes.Equal(e.Payload, ref.Payload), "ParseEvent = %+v, reference = %+v", e, ref)
		_ = DefaultKey(e)
		_, _ = e.TypedPayload()
		if len(e.Payload) > 4096 {
			return // the large seeds (the settings events' examples) into all 138 types would take the run's time
		}
		for _, name := range KnownEvents() {
			e.Name = name
			_, _ = e.TypedPayload()
		}
	})
}

// referenceParse implements ParseEvent's rules with encoding/json.
func referenceParse(body []byte) (*Event, error) {
	if !json.Valid(body) {
		return nil, ErrMalformedEvent
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil, ErrMalformedEvent
	}
	e := &Event{}
	seen := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		key := tok.(string)
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, err
		}
		switch key {
		case "event", "event_ts", "payload", "download_token":
			if seen[key] {
				return nil, ErrMalformedEvent
			}
			seen[key] = true
		default:
			continue
		}
		isNull := string(raw) == "null"
		switch key {
		case "event":
			if raw[0] != '"' || json.Unmarshal(raw, &e.Name) != nil {
				return nil, ErrMalformedEvent
			}
		case "event_ts":
			if raw[0] == '"' { // a quoted number, as Zoom's examples send for some events
				num := string(raw[1 : len(raw)-1])
				n, err := strconv.ParseInt(num, 10, 64)
				if err != nil || strings.HasPrefix(num, "+") {
					return nil, ErrMalformedEvent
				}
				e.Timestamp = unixMilli(n)
				continue
			}
			var ms *int64
			if json.Unmarshal(raw, &ms) != nil {
				return nil, ErrMalformedEvent
			}
			if ms != nil {
				e.Timestamp = unixMilli(*ms)
			}
		case "payload":
			if raw[0] != '{' && !isNull {
				return nil, ErrMalformedEvent
			}
			if !isNull {
				e.Payload = raw
			}
		case "download_token":
			var tok *string
			if json.Unmarshal(raw, &tok) != nil {
				return nil, ErrMalformedEvent
			}
			if tok != nil {
				e.DownloadToken = *tok
			}
		}
	}
	if e.Name == "" {
		return nil, ErrMalformedEvent
	}
	return e, nil
}

// FuzzHandler checks that no request makes the Handler panic or answer an unexpected status, and that
// only requests signed over their exact body reach the application.
func FuzzHandler(f *testing.F) {
	addSeedBodies(f, func(body []byte) {
		f.Add("POST", Sign(fuzzSecret, goldenTime, body), "1700000000", body)
	})
	f.Add("GET", "", "", []byte(nil))
	f.Add("POST", "v0=00", "1700000000", []byte(validationBody))
	v, err := NewVerifier([]string{fuzzSecret}, WithClock(fixedClock(goldenTime)), WithMaxBodyBytes(4096))
	if err != nil {
		f.Fatal(err)
	}
	// One handler for all inputs (sequential within a fuzz worker); dedup off so that every verified
	// input reaches the application.
	h, err := NewHandler(v, WithoutDedup())
	if err != nil {
		f.Fatal(err)
	}
	var reached bool
	h.Fallback(func(ctx context.Context, e *Event) error {
		reached = true
		if e.Name == "fail" {
			return io.ErrUnexpectedEOF
		}
		if e.Name == "panic" {
			panic("boom")
		}
		return nil
	})
	for _, name := range KnownEvents() {
		h.On(name, func(ctx context.Context, e *Event) error { reached = true; _, err := e.TypedPayload(); return err })
	}
	f.Fuzz(func(t *testing.T, method, sig, ts string, body []byte) {
		reached = false
		if !validMethod(method) {
			method = "POST"
		}
		r := httptest.NewRequest(method, "/", bytes.NewReader(body))
		r.Header.Set(HeaderSignature, sig)
		r.Header.Set(HeaderTimestamp, ts)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		require.Contains(t, []int{200, 400, 401, 405, 413, 500}, w.Code, "status")
		if reached && v.VerifyBytes(context.Background(), r.Header, body) != nil {
			t.Fatal("unverified request reached the application")
		}
		if strings.Contains(w.Body.String(), "encryptedToken") && (w.Code != 200 || v.VerifyBytes(context.Background(), r.Header, body) != nil) {
			t.Fatal("challenge answered without a valid signature")
		}
	})
}

func validMethod(m string) bool {
	if m == "" {
		return false
	}
	for _, c := range m {
		if c < 'A' || c > 'Z' {
			return false
		}
	}
	return true
}

func unix(sec int64) time.Time     { return time.Unix(sec, 0) }
func unixMilli(ms int64) time.Time { return time.UnixMilli(ms).UTC() }
