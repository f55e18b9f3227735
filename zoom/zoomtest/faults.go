package zoomtest

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"
)

// Fault describes a failure to inject into the next matching requests
// ([Server.InjectFault]).
type Fault struct {
	// Operation limits the fault to one operation: a Zoom operationId
	// ("meetingCreate"), or "oauth.token", "oauth.revoke",
	// "oauth.authorize". Empty matches every API request (under /v2).
	Operation string
	// Count is how many matching requests fail (at least 1).
	Count int
	// Status, when set, is answered instead of handling the request: a
	// 5xx answers Zoom's error body; 429 answers a per-second rate-limit
	// 429 with Zoom's headers.
	Status int
	// Reset drops the connection without an answer (a TCP reset on the
	// loopback server; an error wrapping syscall.ECONNRESET through
	// [Server.Transport]).
	Reset bool
	// Latency delays the answer (or the reset). The wait ends early when
	// the request's context is done.
	Latency time.Duration
}

type faultState struct {
	f    Fault
	left int
}

// InjectFault makes the next f.Count requests matching f fail as f says.
// Faults apply in the order injected; a request consumes at most one.
func (s *Server) InjectFault(f Fault) error {
	if f.Count < 1 {
		return fmt.Errorf("zoomtest: InjectFault: count %d is not positive", f.Count)
	}
	if f.Status != 0 && (f.Status < 400 || f.Status > 599) {
		return fmt.Errorf("zoomtest: InjectFault: status %d is not an error status", f.Status)
	}
	if f.Latency < 0 {
		return errors.New("zoomtest: InjectFault: negative latency")
	}
	if f.Status == 0 && !f.Reset && f.Latency == 0 {
		return errors.New("zoomtest: InjectFault: the fault does nothing")
	}
	if f.Status != 0 && f.Reset {
		return errors.New("zoomtest: InjectFault: both a status and a reset")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.faults = append(s.st.faults, &faultState{f: f, left: f.Count})
	return nil
}

// FailNext makes the next n API requests answer status (such as 500 or
// 503) with Zoom's error body.
func (s *Server) FailNext(n, status int) error {
	return s.InjectFault(Fault{Count: n, Status: status})
}

// ResetNext drops the connection of the next n API requests.
func (s *Server) ResetNext(n int) error {
	return s.InjectFault(Fault{Count: n, Reset: true})
}

// RateLimitStorm makes the next n API requests answer 429 with Zoom's
// per-second rate-limit body and headers, whether rate limits are on or
// not.
func (s *Server) RateLimitStorm(n int) error {
	if n < 1 {
		return fmt.Errorf("zoomtest: RateLimitStorm: count %d is not positive", n)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.rate.storm += n
	return nil
}

// SetLatency delays every answer by d (0 turns it off). The wait ends
// early when the request's context is done.
func (s *Server) SetLatency(d time.Duration) error {
	if d < 0 {
		return errors.New("zoomtest: SetLatency: negative latency")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.latency = d
	return nil
}

// ClearFaults removes injected faults, latency and 429 storms.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.faults = nil
	s.st.latency = 0
	s.st.rate.storm = 0
}

// applyFaults applies latency and the first matching fault. It reports
// whether the request was answered (or dropped).
func (s *Server) applyFaults(w http.ResponseWriter, r *http.Request, op string) bool {
	api := !strings.HasPrefix(op, "oauth.")
	s.mu.Lock()
	delay := s.st.latency
	var f *Fault
	for i, fs := range s.st.faults {
		if (fs.f.Operation == "" && api) || fs.f.Operation == op {
			fs.left--
			ff := fs.f
			f = &ff
			if fs.left <= 0 {
				s.st.faults = append(s.st.faults[:i], s.st.faults[i+1:]...)
			}
			break
		}
	}
	s.mu.Unlock()
	if f != nil {
		delay += f.Latency
	}
	if delay > 0 {
		t := time.NewTimer(delay)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
		}
	}
	if f == nil {
		return false
	}
	switch {
	case f.Reset:
		resetConn(w)
		return true
	case f.Status == http.StatusTooManyRequests:
		w.Header().Set("X-RateLimit-Type", "QPS")
		writeJSON(w, f.Status, zoomError{Code: 429, Message: msgPerSecond})
		return true
	case f.Status != 0:
		msg := http.StatusText(f.Status)
		if msg == "" {
			msg = "Error"
		}
		if !api {
			writeJSON(w, f.Status, map[string]string{"reason": msg, "error": "server_error"})
			return true
		}
		writeJSON(w, f.Status, zoomError{Code: f.Status, Message: msg + " (injected by zoomtest)."})
		return true
	}
	return false
}

// resetConn drops the connection: with a TCP reset when the connection
// can be hijacked, otherwise by aborting the handler.
func resetConn(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	if tc, ok := conn.(*net.TCPConn); ok {
		_ = tc.SetLinger(0)
	}
	_ = conn.Close()
}
