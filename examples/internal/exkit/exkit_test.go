package exkit

import (
	"bytes"
	"mime"
	"net/mail"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestOutboxMailer(t *testing.T) {
	dir := t.TempDir()
	m, err := NewOutboxMailer(filepath.Join(dir, "outbox"), "Clinic <noreply@clinic.example>")
	require.NoError(t, err)
	m.Now = func() time.Time { return time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC) }
	require.NoError(t, m.Send(t.Context(), Email{To: "dr.ada@clinic.example", Subject: "Zoom connected ✓", Body: "Hello\nThanks"}))
	require.Error(t, m.Send(t.Context(), Email{To: "not an address", Subject: "x"}), "bad recipient accepted")
	require.Error(t, m.Send(t.Context(), Email{To: "a@b.example", Subject: "x\r\nBcc: evil@x"}), "header injection accepted")
	files, _ := filepath.Glob(filepath.Join(dir, "outbox", "*.eml"))
	require.Len(t, files, 1, "files %v", files)
	require.True(t, strings.HasSuffix(files[0], "001-zoom-connected.eml"), "files %v", files)
	raw, _ := os.ReadFile(files[0])
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	require.NoError(t, err)
	var dec mime.WordDecoder
	subj, _ := dec.DecodeHeader(msg.Header.Get("Subject"))
	require.Equal(t, "Zoom connected ✓", subj, "headers %v", msg.Header)
	require.Equal(t, "<dr.ada@clinic.example>", msg.Header.Get("To"), "headers %v", msg.Header)
	require.Len(t, m.Sent(), 1, "sent %+v", m.Sent())
	require.Equal(t, "Hello\nThanks", m.Sent()[0].Body, "sent %+v", m.Sent())
	_, err = NewOutboxMailer("", "a@b.example")
	require.Error(t, err, "empty dir accepted")
}

func TestTranscript(t *testing.T) {
	var b bytes.Buffer
	tr := NewTranscript(&b)
	tr.Step("Create a webinar")
	tr.Call("POST", "/users/{userId}/webinars", "webinarCreate")
	tr.OK("webinar %d created", 123)
	tr.Fail("write refused: %s", "read-only")
	want := "\n1. Create a webinar\n   → POST /users/{userId}/webinars (webinarCreate)\n   ✓ webinar 123 created\n   ✗ write refused: read-only\n"
	require.Equal(t, want, b.String())
}

func TestClock(t *testing.T) {
	start := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	c := NewClock(start)
	c.Advance(time.Hour)
	c.Set(start) // never backwards
	got := c.Now()
	require.True(t, got.Equal(start.Add(time.Hour)), "Now = %v", got)
	c.Set(start.Add(2 * time.Hour))
	got = c.Now()
	require.True(t, got.Equal(start.Add(2*time.Hour)), "Now = %v", got)
}
