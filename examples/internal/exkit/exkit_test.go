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
)

func TestOutboxMailer(t *testing.T) {
	dir := t.TempDir()
	m, err := NewOutboxMailer(filepath.Join(dir, "outbox"), "Clinic <noreply@clinic.example>")
	if err != nil {
		t.Fatal(err)
	}
	m.Now = func() time.Time { return time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC) }
	if err := m.Send(t.Context(), Email{To: "dr.ada@clinic.example", Subject: "Zoom connected ✓", Body: "Hello\nThanks"}); err != nil {
		t.Fatal(err)
	}
	if err := m.Send(t.Context(), Email{To: "not an address", Subject: "x"}); err == nil {
		t.Fatal("bad recipient accepted")
	}
	if err := m.Send(t.Context(), Email{To: "a@b.example", Subject: "x\r\nBcc: evil@x"}); err == nil {
		t.Fatal("header injection accepted")
	}
	files, _ := filepath.Glob(filepath.Join(dir, "outbox", "*.eml"))
	if len(files) != 1 || !strings.HasSuffix(files[0], "001-zoom-connected.eml") {
		t.Fatalf("files %v", files)
	}
	raw, _ := os.ReadFile(files[0])
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	var dec mime.WordDecoder
	if subj, _ := dec.DecodeHeader(msg.Header.Get("Subject")); subj != "Zoom connected ✓" || msg.Header.Get("To") != "<dr.ada@clinic.example>" {
		t.Fatalf("headers %v", msg.Header)
	}
	if len(m.Sent()) != 1 || m.Sent()[0].Body != "Hello\nThanks" {
		t.Fatalf("sent %+v", m.Sent())
	}
	if _, err := NewOutboxMailer("", "a@b.example"); err == nil {
		t.Fatal("empty dir accepted")
	}
}

func TestTranscript(t *testing.T) {
	var b bytes.Buffer
	tr := NewTranscript(&b)
	tr.Step("Create a webinar")
	tr.Call("POST", "/users/{userId}/webinars", "webinarCreate")
	tr.OK("webinar %d created", 123)
	tr.Fail("write refused: %s", "read-only")
	want := "\n1. Create a webinar\n   → POST /users/{userId}/webinars (webinarCreate)\n   ✓ webinar 123 created\n   ✗ write refused: read-only\n"
	if b.String() != want {
		t.Fatalf("got %q", b.String())
	}
}

func TestClock(t *testing.T) {
	start := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	c := NewClock(start)
	c.Advance(time.Hour)
	c.Set(start) // never backwards
	if got := c.Now(); !got.Equal(start.Add(time.Hour)) {
		t.Fatalf("Now = %v", got)
	}
	c.Set(start.Add(2 * time.Hour))
	if got := c.Now(); !got.Equal(start.Add(2 * time.Hour)) {
		t.Fatalf("Now = %v", got)
	}
}
