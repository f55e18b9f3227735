package exkit

import "log/slog"

// Logger returns a slog logger writing text lines to the app's output, the
// transcript's writer (under its lock). Example apps log there what they
// do not show their users: the Go error behind a sentence on a page, with
// the Zoom code and tracking id. It never logs a secret that the app does
// not put in an attribute.
func (e *Env) Logger() *slog.Logger {
	return slog.New(slog.NewTextHandler(e.Log, nil))
}
