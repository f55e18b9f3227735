package exkit

import (
	"fmt"
	"io"
	"strings"
	"sync"
)

// Transcript prints a flow as numbered steps, each with the Zoom calls it
// made and what came of them:
//
//  3. Register participants
//     → POST /webinars/{webinarId}/batch_registrants (addBatchRegistrants)
//     ✓ 3 registrants added
type Transcript struct {
	mu   sync.Mutex
	w    io.Writer
	step int
}

// NewTranscript writes to w.
func NewTranscript(w io.Writer) *Transcript { return &Transcript{w: w} }

// Step starts a numbered step.
func (t *Transcript) Step(format string, args ...any) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.step++
	fmt.Fprintf(t.w, "\n%d. %s\n", t.step, fmt.Sprintf(format, args...))
}

// Call notes a Zoom API call.
func (t *Transcript) Call(method, path, operationID string) {
	t.line("→ %s %s (%s)", method, path, operationID)
}

// OK notes a result.
func (t *Transcript) OK(format string, args ...any) { t.line("✓ "+format, args...) }

// Note notes anything else.
func (t *Transcript) Note(format string, args ...any) { t.line("· "+format, args...) }

// Fail notes a refused or failed action that the flow expected.
func (t *Transcript) Fail(format string, args ...any) { t.line("✗ "+format, args...) }

func (t *Transcript) line(format string, args ...any) {
	t.mu.Lock()
	defer t.mu.Unlock()
	s := fmt.Sprintf(format, args...)
	for _, l := range strings.Split(s, "\n") {
		fmt.Fprintf(t.w, "   %s\n", l)
	}
}

// Write writes p to the transcript's output as is, under the transcript's
// lock: a slog handler (see [Env.Logger]) can share the output with the
// transcript's lines without interleaving them.
func (t *Transcript) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.w.Write(p)
}
