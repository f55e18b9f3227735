package zoomtest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"time"

	"github.com/zoomkit/zoomkit/webhook"
)

// subscription is a webhook endpoint: a URL or an in-process handler.
type subscription struct {
	url     string
	handler http.Handler
	secret  string
	events  map[string]bool // nil: every event
	app     *app            // the app whose endpoint it is; nil: the default app
}

func newSubscription(url string, h http.Handler, secret string, events []string) (subscription, error) {
	if secret == "" {
		return subscription{}, errors.New("zoomtest: webhook subscription: empty secret token")
	}
	if h == nil {
		if err := checkHTTPURL(url); err != nil {
			return subscription{}, fmt.Errorf("zoomtest: webhook subscription: %w", err)
		}
	}
	sub := subscription{url: url, handler: h, secret: secret}
	if len(events) > 0 {
		sub.events = map[string]bool{}
		for _, e := range events {
			if e == "" {
				return subscription{}, errors.New("zoomtest: webhook subscription: empty event name")
			}
			sub.events[e] = true
		}
	}
	return sub, nil
}

// Subscribe makes the server POST the events named (every event when none
// is named) to url, signed with secret as Zoom signs them (x-zm-signature
// and x-zm-request-timestamp). The first attempt is synchronous: the API
// request or simulation call that causes an event returns after the
// subscriber answered, or after [DeliveryTimeout]. A failed attempt is
// retried on Zoom's schedule ([RetrySchedule]). The timestamp comes from
// the server's clock; a verifier with its own clock must accept it.
func (s *Server) Subscribe(url, secret string, events ...string) error {
	sub, err := newSubscription(url, nil, secret, events)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.subs = append(s.st.subs, sub)
	return nil
}

// SubscribeHandler is Subscribe for an http.Handler called in-process,
// without a network connection (such as a webhook.Handler).
func (s *Server) SubscribeHandler(h http.Handler, secret string, events ...string) error {
	if h == nil {
		return errors.New("zoomtest: SubscribeHandler: nil handler")
	}
	sub, err := newSubscription("", h, secret, events)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.subs = append(s.st.subs, sub)
	return nil
}

// Unsubscribe removes every webhook subscription.
func (s *Server) Unsubscribe() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.subs = nil
}

// Delivery is one attempt to deliver an event, as [Server.Deliveries]
// reports it.
type Delivery struct {
	// Attempt is 1 for the first attempt, 2 to 4 for Zoom's retries
	// ([RetrySchedule]) and 0 for [Server.Redeliver].
	Attempt int
	// Event is the event name, such as "meeting.created".
	Event string
	// Account is the id of the account the event happened in (empty for
	// endpoint.url_validation).
	Account string
	// URL is the subscriber's URL ("" for a handler subscription).
	URL string
	// Body is the JSON body sent.
	Body []byte
	// Header holds the request headers sent, with the signature.
	Header http.Header
	// Status is the subscriber's HTTP status (0 when there was none).
	Status int
	// Err describes a failed delivery (no answer, no answer within
	// [DeliveryTimeout], or a status other than 200 and 204).
	Err string
	// Time is the server clock at delivery.
	Time time.Time
	// Next is when the server will retry a failed attempt (zero when it
	// will not: the attempt succeeded, was the last, or was manual).
	Next time.Time

	sub *subscription
}

// Deliveries returns the webhook delivery attempts made, oldest first:
// one entry per attempt, retries included.
func (s *Server) Deliveries() []Delivery {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.st.deliveries)
}

// Events returns the event names of the delivery attempts, oldest first
// (an event retried appears once per attempt).
func (s *Server) Events() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]string, 0, len(s.st.deliveries))
	for _, d := range s.st.deliveries {
		out = append(out, d.Event)
	}
	return out
}

// pendingEvent is an event built under the lock and delivered after it.
type pendingEvent struct {
	name    string
	body    []byte
	at      time.Time
	account string // the account it happened in
	// app, when set, is the only app told (app_deauthorized), whether
	// or not it is still installed.
	app *app
}

// event builds an event envelope around payload. account_id is added
// when missing: the account of the host of payload.object (host_id), or
// else the default account.
func (st *state) event(name string, now time.Time, payload map[string]any) pendingEvent {
	if _, set := payload["account_id"]; !set {
		payload["account_id"] = st.accountID
		if obj, ok := payload["object"].(map[string]any); ok {
			if hid, ok := obj["host_id"].(string); ok {
				if h := st.userByID(hid); h != nil {
					payload["account_id"] = h.account
				}
			}
		}
	}
	acct, _ := payload["account_id"].(string)
	env := map[string]any{"event": name, "event_ts": now.UnixMilli(), "payload": payload}
	if name == "recording.completed" {
		if tok, ok := payload["download_token"]; ok {
			env["download_token"] = tok
			delete(payload, "download_token")
		}
	}
	body, _ := json.Marshal(env)
	return pendingEvent{name: name, body: body, at: now, account: acct}
}

// emit queues an event for delivery after the handler. It happened in the
// caller's account.
func (c *call) emit(name string, payload map[string]any) {
	if _, set := payload["account_id"]; !set {
		payload["account_id"] = c.acct().id
	}
	c.events = append(c.events, c.st.event(name, c.now, payload))
}

// Zoom's delivery schedule (REFERENCE 11.1, 14.2).
const (
	// DeliveryTimeout is how long Zoom waits for the subscriber's answer
	// (200 or 204) before it counts the attempt as failed.
	DeliveryTimeout = 3 * time.Second
)

// RetrySchedule returns when Zoom retries a failed delivery, counted from
// the first attempt: 5, 25 and 85 minutes after it (5 minutes after the
// first attempt, 20 after the first retry, 60 after the second). After the
// third retry Zoom drops the event.
func RetrySchedule() []time.Duration {
	return []time.Duration{5 * time.Minute, 25 * time.Minute, 85 * time.Minute}
}

// retry is a delivery attempt waiting for its time.
type retry struct {
	sub     subscription
	ev      pendingEvent // at: the time of the first attempt
	attempt int          // 2 to 4
	due     time.Time
}

// deliver posts events to the subscribers, one after the other, and
// schedules the retries of the attempts that fail.
func (s *Server) deliver(subs []subscription, events []pendingEvent) {
	s.publishWebSocket(events) // ws.go: WebSocket subscriptions get the same events
	if len(events) == 0 || len(subs) == 0 {
		return
	}
	if !s.track() {
		return
	}
	defer s.untrack()
	for _, ev := range events {
		for _, sub := range subs {
			if sub.events != nil && !sub.events[ev.name] {
				continue
			}
			if !s.sends(sub, ev) {
				continue
			}
			s.attempt(sub, ev, 1, ev.at)
		}
	}
}

// track counts a delivery in flight, unless the server is closed.
func (s *Server) track() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return false
	}
	s.inflight++
	return true
}

// untrack ends a delivery counted by track.
func (s *Server) untrack() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.inflight--
	if s.inflight == 0 {
		s.idle.Broadcast()
	}
}

// attempt makes attempt n of ev to sub at the server clock's time now,
// records it, and schedules the next one if it failed.
func (s *Server) attempt(sub subscription, ev pendingEvent, n int, now time.Time) {
	signAt := ev.at
	if n > 1 && s.cfg.retryTimestamp == RetryFreshTimestamp {
		signAt = now
	}
	d, _ := s.deliverOneAnswer(sub, ev, signAt, now)
	d.Attempt = n
	s.mu.Lock()
	defer s.mu.Unlock()
	if d.Err != "" && n <= len(RetrySchedule()) && !s.closed {
		r := &retry{sub: sub, ev: ev, attempt: n + 1, due: ev.at.Add(RetrySchedule()[n-1])}
		d.Next = r.due
		s.st.retries = append(s.st.retries, r)
		if s.cfg.realClock {
			// On the default clock (time.Now, or a synctest bubble's
			// time) a timer makes the retry when it is due.
			time.AfterFunc(r.due.Sub(s.cfg.now()), s.deliverDueInBackground)
		}
	}
	s.st.deliveries = append(s.st.deliveries, d)
}

// DeliverDue makes the webhook retries that are due at the server clock's
// time, oldest first, and returns when they are done. An attempt that
// fails schedules the next; if that one is due too (the clock moved past
// several), it is made at once. With the default clock ([WithClock] not
// used) the server makes retries on its own when they are due (inside a
// testing/synctest bubble, when the bubble's time reaches them); with a
// clock of the test's own, the test calls DeliverDue after moving it. It
// returns the number of attempts made.
func (s *Server) DeliverDue() int {
	if !s.track() {
		return 0
	}
	defer s.untrack()
	made := 0
	for {
		s.mu.Lock()
		now := s.cfg.now()
		best := -1
		for i, r := range s.st.retries {
			if !r.due.After(now) && (best < 0 || r.due.Before(s.st.retries[best].due)) {
				best = i
			}
		}
		if best < 0 || s.closed {
			s.mu.Unlock()
			return made
		}
		r := s.st.retries[best]
		s.st.retries = slices.Delete(s.st.retries, best, best+1)
		s.mu.Unlock()
		s.attempt(r.sub, r.ev, r.attempt, now)
		made++
	}
}

func (s *Server) deliverDueInBackground() { s.DeliverDue() }

// PendingRetries returns how many webhook retries are scheduled and not
// made yet.
func (s *Server) PendingRetries() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.st.retries)
}

// deliverOneAnswer delivers ev to sub, signed with the time signAt, at
// the server clock's time now, and returns the record and the start of
// the subscriber's answer. The subscriber has DeliveryTimeout to answer.
func (s *Server) deliverOneAnswer(sub subscription, ev pendingEvent, signAt, now time.Time) (Delivery, []byte) {
	d := Delivery{Event: ev.name, Account: ev.account, URL: sub.url, Body: ev.body, Time: now, sub: &sub}
	target := sub.url
	if sub.handler != nil {
		target = "http://webhook.invalid/"
	}
	ctx, cancel := context.WithTimeout(context.Background(), DeliveryTimeout)
	defer cancel()
	req, err := webhook.NewSignedRequest(ctx, sub.secret, target, ev.body, signAt)
	if err != nil {
		d.Err = "building the request: " + err.Error()
		return d, nil
	}
	req.Header.Set("User-Agent", "Zoom Marketplace/1.0a")
	s.mu.Lock()
	vt := s.st.verificationToken
	s.mu.Unlock()
	if vt != "" {
		req.Header.Set("Authorization", vt)
	}
	d.Header = req.Header.Clone()
	var answer []byte
	if sub.handler != nil {
		status, body, failure := s.serveHandler(sub.handler, req)
		if failure != "" {
			d.Err = failure
			return d, nil
		}
		d.Status, answer = status, body
	} else {
		resp, err := s.whClient.Do(req)
		if err != nil {
			d.Err = err.Error()
			if errors.Is(err, context.DeadlineExceeded) {
				d.Err = fmt.Sprintf("no answer within %v", DeliveryTimeout)
			}
			return d, nil
		}
		answer, err = io.ReadAll(io.LimitReader(resp.Body, 1<<20))
		resp.Body.Close()
		if err != nil && errors.Is(err, context.DeadlineExceeded) {
			d.Err = fmt.Sprintf("no answer within %v", DeliveryTimeout)
			return d, nil
		}
		d.Status = resp.StatusCode
	}
	if d.Status != http.StatusOK && d.Status != http.StatusNoContent {
		d.Err = fmt.Sprintf("subscriber answered %d", d.Status)
	}
	return d, answer
}

// serveHandler calls an in-process subscriber and waits DeliveryTimeout
// for it (on the time package's clock: inside a testing/synctest bubble,
// the bubble's). A handler still running then is left to finish; Close
// waits for it.
func (s *Server) serveHandler(h http.Handler, req *http.Request) (status int, body []byte, failure string) {
	rec := httptest.NewRecorder()
	done := make(chan bool, 1) // true: the handler panicked
	s.mu.Lock()
	s.inflight++ // the caller is counted already: Close waits for this one too
	s.mu.Unlock()
	go func() {
		defer s.untrack()
		panicked := true
		defer func() {
			if panicked {
				_ = recover() // as net/http: the connection is dropped
			}
			done <- panicked
		}()
		h.ServeHTTP(rec, req)
		panicked = false
	}()
	timer := time.NewTimer(DeliveryTimeout)
	defer timer.Stop()
	select {
	case panicked := <-done:
		if panicked {
			return 0, nil, "the handler panicked: no answer"
		}
		return rec.Code, rec.Body.Bytes(), ""
	case <-timer.C:
		return 0, nil, fmt.Sprintf("no answer within %v", DeliveryTimeout)
	}
}

// emitNow builds and delivers events outside a request (simulation
// helpers). It must be called without the lock.
func (s *Server) emitNow(events []pendingEvent) {
	s.mu.Lock()
	subs := slices.Clone(s.st.subs)
	s.mu.Unlock()
	s.deliver(subs, events)
}

// ValidateEndpoints sends Zoom's endpoint.url_validation challenge to every
// subscription, as Zoom does when an app's endpoint URL is saved (and every
// 72 hours), and checks each answer: HTTP 200 with the plainToken and its
// encryptedToken (the hex HMAC-SHA256 of plainToken under the secret). It
// returns the first failure. The challenges appear in [Server.Deliveries].
func (s *Server) ValidateEndpoints() error {
	if !s.track() {
		return errors.New("zoomtest: ValidateEndpoints: the server is closed")
	}
	defer s.untrack()
	s.mu.Lock()
	subs := slices.Clone(s.st.subs)
	now := s.cfg.now()
	s.mu.Unlock()
	var first error
	for _, sub := range subs {
		plain := secretToken("", 16)
		body, _ := json.Marshal(map[string]any{"event": "endpoint.url_validation", "event_ts": now.UnixMilli(),
			"payload": map[string]any{"plainToken": plain}})
		ev := pendingEvent{name: "endpoint.url_validation", body: body, at: now}
		d, answer := s.deliverOneAnswer(sub, ev, now, now)
		d.Attempt = 1
		var got struct {
			PlainToken     string `json:"plainToken"`
			EncryptedToken string `json:"encryptedToken"`
		}
		if d.Err == "" && (json.Unmarshal(answer, &got) != nil || got.PlainToken != plain ||
			got.EncryptedToken != webhook.EncryptedToken(sub.secret, plain)) {
			d.Err = "the answer to endpoint.url_validation is wrong"
		}
		if d.Status != http.StatusOK && d.Err == "" {
			d.Err = fmt.Sprintf("subscriber answered %d", d.Status)
		}
		s.mu.Lock()
		s.st.deliveries = append(s.st.deliveries, d)
		s.mu.Unlock()
		if d.Err != "" && first == nil {
			target := sub.url
			if target == "" {
				target = "handler"
			}
			first = fmt.Errorf("zoomtest: validating webhook endpoint %s: %s", target, d.Err)
		}
	}
	return first
}

// Redeliver sends the body of delivery i of [Server.Deliveries] again to
// the same subscriber, signed anew at the server clock's time, as when
// Zoom duplicates an event: handlers should be idempotent. The new attempt
// is appended to the deliveries with Attempt 0; it is not retried.
func (s *Server) Redeliver(i int) error {
	s.mu.Lock()
	if i < 0 || i >= len(s.st.deliveries) {
		s.mu.Unlock()
		return fmt.Errorf("zoomtest: Redeliver: no delivery %d", i)
	}
	d := s.st.deliveries[i]
	now := s.cfg.now()
	s.mu.Unlock()
	if d.sub == nil {
		return fmt.Errorf("zoomtest: Redeliver: delivery %d cannot be sent again", i)
	}
	if !s.track() {
		return errors.New("zoomtest: Redeliver: the server is closed")
	}
	defer s.untrack()
	nd, _ := s.deliverOneAnswer(*d.sub, pendingEvent{name: d.Event, body: d.Body, at: now, account: d.Account}, now, now)
	s.mu.Lock()
	s.st.deliveries = append(s.st.deliveries, nd)
	s.mu.Unlock()
	return nil
}
