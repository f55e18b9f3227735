package webhook

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"
)

// benchBody is a meeting.participant_joined delivery of about 1 KB, shaped like Zoom's.
const benchBody = `{"event":"meeting.participant_joined","payload":{"account_id":"VjZoEArIT5y-HlWxkV-tVA","object":{"uuid":"jUh5o3dKQIytvcsfTtKBlg==","participant":{"user_id":"16778240","user_name":"Jill Chill \uD83D\uDE92 Caf\u00e9","id":"iFxeBPYun6SAiWUzBcEkX","participant_uuid":"55555AAAiAAAAAiAiAiiAii","join_time":"2024-07-11T14:13:02Z","email":"jchill@example.com","registrant_id":"abcdefghij0-klmnopq23456","participant_user_id":"rstuvwxyza789-cde","customer_key":"349589LkJyeW","phone_number":"8615250064084"},"id":"85393847045","type":2,"topic":"Quarterly planning \u2013 engineering, product and design leads (EMEA + AMER) \/ follow-up from the offsite, agenda in the invite; please read the pre-reads, bring last quarter's numbers, and add your topics to the shared document before Friday so we can plan time for each \u2014 thanks!","host_id":"8lzIwvZTSOqjndWPbPqzuA","duration":60,"start_time":"2024-07-11T14:12:55Z","timezone":"America/New_York"}},"event_ts":1720707182904}`

const benchSecret = "4fv1RkqGQUq5sWbEz6hA5A"

func benchSetup(b *testing.B) (*Verifier, http.Header, []byte) {
	body := []byte(benchBody)
	ts := goldenTime
	v := mustVerifier(b, []string{benchSecret}, WithClock(fixedClock(ts)))
	h := http.Header{}
	SetSignatureHeaders(h, benchSecret, ts, body)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	return v, h, body
}

// BenchmarkVerifyAndDecode compares this package (header checks, HMAC over the raw body, envelope
// parse, typed payload decode) with a baseline doing only an HMAC-SHA256 and one json.Unmarshal of
// the whole body into the same typed payload.
func BenchmarkVerifyAndDecode(b *testing.B) {
	b.Run("webhook", func(b *testing.B) {
		v, h, body := benchSetup(b)
		for b.Loop() {
			if err := v.VerifyBytes(context.Background(), h, body); err != nil {
				b.Fatal(err)
			}
			e, err := ParseEvent(body)
			if err != nil {
				b.Fatal(err)
			}
			var p MeetingParticipantJoinedPayload
			if err := e.Unmarshal(&p); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("baseline", func(b *testing.B) {
		_, h, body := benchSetup(b)
		sig := h.Get(HeaderSignature)
		ts := h.Get(HeaderTimestamp)
		for b.Loop() {
			m := hmac.New(sha256.New, []byte(benchSecret))
			m.Write([]byte("v0:" + ts + ":"))
			m.Write(body)
			if !hmac.Equal([]byte("v0="+hex.EncodeToString(m.Sum(nil))), []byte(sig)) {
				b.Fatal("mismatch")
			}
			var ev struct {
				Event   string                          `json:"event"`
				EventTS int64                           `json:"event_ts"`
				Payload MeetingParticipantJoinedPayload `json:"payload"`
			}
			if err := json.Unmarshal(body, &ev); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func TestBenchBodyIsRealistic(t *testing.T) {
	t.Parallel()
	require.GreaterOrEqual(t, len(benchBody), 900, "bench body is %d bytes", len(benchBody))
	require.LessOrEqual(t, len(benchBody), 1200, "bench body is %d bytes", len(benchBody))
	e, err := ParseEvent([]byte(benchBody))
	require.NoError(t, err)
	var p MeetingParticipantJoinedPayload
	require.NoError(t, e.Unmarshal(&p))
	require.EqualValues(t, 85393847045, p.Object.ID, "%+v", p)
	require.False(t, p.Object.Participant.JoinTime.IsZero(), "%+v", p)
	_ = strconv.Itoa
}
