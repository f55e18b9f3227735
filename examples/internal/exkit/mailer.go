// Package exkit holds what the example programs share: a Mailer that writes
// .eml files, and a Transcript that prints each step of a flow.
package exkit

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"mime"
	"net/mail"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// Email is one message an example sends.
type Email struct {
	To      string
	Subject string
	Body    string // plain text
}

// Mailer sends email. The examples use an OutboxMailer; a real app plugs
// in its provider.
type Mailer interface {
	Send(ctx context.Context, e Email) error
}

// OutboxMailer writes each message as an RFC 5322 .eml file into Dir, and
// remembers what it sent.
type OutboxMailer struct {
	Dir  string
	From string
	// Now stamps the Date header; nil means time.Now.
	Now func() time.Time

	mu   sync.Mutex
	sent []Email
	seq  int
}

// NewOutboxMailer returns a mailer writing into dir (created if needed).
func NewOutboxMailer(dir, from string) (*OutboxMailer, error) {
	if dir == "" {
		return nil, errors.New("exkit: outbox directory is empty")
	}
	if _, err := mail.ParseAddress(from); err != nil {
		return nil, fmt.Errorf("exkit: sender %q: %w", from, err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	return &OutboxMailer{Dir: dir, From: from}, nil
}

// Send writes e to the outbox.
func (m *OutboxMailer) Send(_ context.Context, e Email) error {
	to, err := mail.ParseAddress(e.To)
	if err != nil {
		return fmt.Errorf("exkit: recipient %q: %w", e.To, err)
	}
	if strings.ContainsAny(e.Subject, "\r\n") {
		return errors.New("exkit: subject contains a line break")
	}
	now := time.Now
	if m.Now != nil {
		now = m.Now
	}
	var id [8]byte
	_, _ = rand.Read(id[:])
	var b bytes.Buffer
	fmt.Fprintf(&b, "From: %s\r\n", m.From)
	fmt.Fprintf(&b, "To: %s\r\n", to.String())
	fmt.Fprintf(&b, "Subject: %s\r\n", mime.QEncoding.Encode("utf-8", e.Subject))
	fmt.Fprintf(&b, "Date: %s\r\n", now().Format(time.RFC1123Z))
	fmt.Fprintf(&b, "Message-ID: <%s@zoomkit.example>\r\n", hex.EncodeToString(id[:]))
	b.WriteString("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n")
	b.WriteString(strings.ReplaceAll(strings.ReplaceAll(e.Body, "\r\n", "\n"), "\n", "\r\n"))
	if !strings.HasSuffix(e.Body, "\n") {
		b.WriteString("\r\n")
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.seq++
	name := fmt.Sprintf("%03d-%s.eml", m.seq, slug(e.Subject))
	if err := os.WriteFile(filepath.Join(m.Dir, name), b.Bytes(), 0o644); err != nil {
		return err
	}
	m.sent = append(m.sent, e)
	return nil
}

// Sent returns the messages sent so far.
func (m *OutboxMailer) Sent() []Email {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]Email(nil), m.sent...)
}

func slug(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
		case b.Len() > 0 && !strings.HasSuffix(b.String(), "-"):
			b.WriteByte('-')
		}
		if b.Len() >= 40 {
			break
		}
	}
	return strings.Trim(b.String(), "-")
}
