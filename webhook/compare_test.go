package webhook

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/textproto"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/zoomkit/zoomkit/internal/benchkit"
	"github.com/zoomkit/zoomkit/zoom"
)

// The comparison of verify + typed decode with a hand-written HMAC-SHA256 and
// encoding/json, alternating in blocks in one process:
//
//	go test ./webhook/ -run '^$' -v -zoomkit.compare [-zoomkit.blocks 10]
//
// Both sides start from the same headers and the same body: the genuine
// Zoom-signed meeting.started delivery of testdata/signatures.json.

// genuineStarted is the signed meeting.started vector of
// testdata/signatures.json: body, secret, signature and timestamp as Zoom sent them.
func genuineStarted(tb testing.TB) (body []byte, secret string, h http.Header, at time.Time) {
	tb.Helper()
	for _, v := range loadVectors(tb) {
		if v.RawOK && json.Valid([]byte(v.Body)) && eventName(v.Body) == "meeting.started" {
			sec, err := strconv.ParseInt(v.TS, 10, 64)
			require.NoError(tb, err)
			return []byte(v.Body), v.Secret, sigHeader(v.Sig, v.TS), time.Unix(sec, 0)
		}
	}
	tb.Fatal("testdata/signatures.json has no genuine meeting.started vector")
	return nil, "", nil, time.Time{}
}

func eventName(body string) string {
	var e struct {
		Event string `json:"event"`
	}
	_ = json.Unmarshal([]byte(body), &e)
	return e.Event
}

// rawStarted is what a hand-written receiver decodes meeting.started into:
// the envelope and payload with the fields and field types of
// MeetingStartedPayload, and no methods of its own.
type rawStarted struct {
	Event   string `json:"event"`
	EventTS int64  `json:"event_ts"`
	Payload struct {
		AccountID string `json:"account_id"`
		Object    struct {
			ID        zoom.ID   `json:"id"`
			UUID      string    `json:"uuid"`
			HostID    string    `json:"host_id"`
			Topic     string    `json:"topic"`
			Type      int64     `json:"type"`
			StartTime zoom.Time `json:"start_time"`
			Timezone  string    `json:"timezone"`
			Duration  int64     `json:"duration"`
		} `json:"object"`
	} `json:"payload"`
}

// rawVerifyDecode is the baseline: the timestamp window, HMAC-SHA256 over
// "v0:{ts}:{body}" compared in constant time with the header, then one
// json.Unmarshal of the whole body.
func rawVerifyDecode(secret []byte, now time.Time, h http.Header, body []byte, dst *rawStarted) error {
	ts, sig := h.Get(HeaderTimestamp), h.Get(HeaderSignature)
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return err
	}
	if d := now.Sub(time.Unix(sec, 0)); d > DefaultTolerance || d < -DefaultTolerance {
		return ErrTimestampOutOfRange
	}
	m := hmac.New(sha256.New, secret)
	io.WriteString(m, "v0:"+ts+":")
	m.Write(body)
	var sum [sha256.Size]byte
	var want [signatureHexLen + len(signaturePrefix)]byte
	copy(want[:], signaturePrefix)
	hex.Encode(want[len(signaturePrefix):], m.Sum(sum[:0]))
	if !hmac.Equal(want[:], []byte(sig)) {
		return ErrInvalidSignature
	}
	return json.Unmarshal(body, dst)
}

// sdkVerifyDecode is what an application does with this package given the
// same headers and body: VerifyBytes, ParseEvent, and the typed payload.
func sdkVerifyDecode(v *Verifier, h http.Header, body []byte, dst *MeetingStartedPayload) (*Event, error) {
	if err := v.VerifyBytes(context.Background(), h, body); err != nil {
		return nil, err
	}
	e, err := ParseEvent(body)
	if err != nil {
		return nil, err
	}
	return e, e.Unmarshal(dst)
}

func TestVerifyDecodeBaselineAgrees(t *testing.T) {
	t.Parallel()
	body, secret, h, at := genuineStarted(t)
	v := mustVerifier(t, []string{secret}, WithClock(fixedClock(at)))
	var p MeetingStartedPayload
	e, err := sdkVerifyDecode(v, h, body, &p)
	require.NoError(t, err)
	var r rawStarted
	require.NoError(t, rawVerifyDecode([]byte(secret), at, h, body, &r))

	require.Equal(t, "meeting.started", e.Name)
	require.Equal(t, r.Event, e.Name)
	require.Equal(t, time.UnixMilli(r.EventTS).UTC(), e.Timestamp)
	require.Equal(t, r.Payload.AccountID, p.AccountID)
	o := r.Payload.Object
	require.Equal(t, MeetingStartedObject{
		ID: o.ID, UUID: o.UUID, HostID: o.HostID, Topic: o.Topic, Type: o.Type,
		StartTime: o.StartTime, Timezone: o.Timezone, Duration: o.Duration,
	}, p.Object)
	require.Equal(t, zoom.ID(85393847045), p.Object.ID)
	require.Equal(t, time.Date(2024, 7, 11, 14, 12, 55, 0, time.UTC), p.Object.StartTime.Time)
	require.Contains(t, p.Object.Topic, "\U0001F692")

	// Both reject the body once altered.
	bad := append([]byte(nil), body...)
	bad[len(bad)-2]++
	_, err = sdkVerifyDecode(v, h, bad, &p)
	require.ErrorIs(t, err, ErrInvalidSignature)
	require.ErrorIs(t, rawVerifyDecode([]byte(secret), at, h, bad, &r), ErrInvalidSignature)
}

func benchSDKVerifyDecode(b *testing.B) {
	body, secret, h, at := genuineStarted(b)
	v := mustVerifier(b, []string{secret}, WithClock(fixedClock(at)))
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		var p MeetingStartedPayload
		if _, err := sdkVerifyDecode(v, h, body, &p); err != nil {
			b.Fatal(err)
		}
	}
}

func benchRawVerifyDecode(b *testing.B) {
	body, secret, h, at := genuineStarted(b)
	key := []byte(secret)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		var r rawStarted
		if err := rawVerifyDecode(key, at, h, body, &r); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkVerifyDecodeGenuine runs both sides one after the other, for
// profiling; quote -zoomkit.compare instead.
func BenchmarkVerifyDecodeGenuine(b *testing.B) {
	b.Run("webhook", benchSDKVerifyDecode)
	b.Run("raw", benchRawVerifyDecode)
}

// compareBlocks runs the SDK and the raw baseline alternately, in blocks,
// and prints per-block ratios and their medians.
func compareBlocks(out io.Writer, blocks int) error {
	fmt.Fprintln(out, "verify + decode of a genuine signed meeting.started delivery")
	return benchkit.Compare(out, blocks, []benchkit.Workload{{
		Name: "VerifyDecode",
		Impls: []benchkit.Impl{
			{Name: "webhook", Bench: benchSDKVerifyDecode},
			{Name: "raw", Bench: benchRawVerifyDecode},
		},
	}})
}

// The header names are looked up without canonicalising them again.
func TestHeaderNamesAreCanonical(t *testing.T) {
	t.Parallel()
	for _, n := range []string{HeaderSignature, HeaderTimestamp} {
		require.Equal(t, textproto.CanonicalMIMEHeaderKey(n), n)
	}
	// A header set through Set or Add under any spelling still verifies.
	body, secret, h, at := genuineStarted(t)
	v := mustVerifier(t, []string{secret}, WithClock(fixedClock(at)))
	h2 := http.Header{}
	h2.Set("x-zm-signature", h.Get(HeaderSignature))
	h2.Add("X-ZM-REQUEST-TIMESTAMP", h.Get(HeaderTimestamp))
	require.NoError(t, v.VerifyBytes(context.Background(), h2, body))
}

// The pooled HMAC states are per secret and safe for concurrent use: with two
// secrets, concurrent requests signed with either verify, and altered ones don't.
func TestPooledMACConcurrent(t *testing.T) {
	t.Parallel()
	body, secret, h, at := genuineStarted(t)
	other := "second-secret-rotating-in"
	v := mustVerifier(t, []string{other, secret}, WithClock(fixedClock(at)))
	h2 := http.Header{}
	SetSignatureHeaders(h2, other, at, body)
	bad := append([]byte(nil), body...)
	bad[10] ^= 1
	var wg sync.WaitGroup
	errs := make(chan error, 3*8*50)
	for range 8 {
		wg.Go(func() {
			for range 50 {
				errs <- v.VerifyBytes(context.Background(), h, body)
				errs <- v.VerifyBytes(context.Background(), h2, body)
				if err := v.VerifyBytes(context.Background(), h, bad); !errors.Is(err, ErrInvalidSignature) {
					errs <- fmt.Errorf("altered body: %v", err)
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
}
