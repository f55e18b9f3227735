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
// and x-zm-request-timestamp). Deliveries are synchronous: the API request
// or simulation call that causes an event returns after the subscriber
// answered. The timestamp comes from the server's clock; a verifier with
// its own clock must accept it.
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
	// Event is the event name, such as "meeting.created".
	Event string
	// URL is the subscriber's URL ("" for a handler subscription).
	URL string
	// Body is the JSON body sent.
	Body []byte
	// Header holds the request headers sent, with the signature.
	Header http.Header
	// Status is the subscriber's HTTP status (0 when there was none).
	Status int
	// Err describes a failed delivery (no answer, or a status other than
	// 200 and 204).
	Err string
	// Time is the server clock at delivery.
	Time time.Time

	sub *subscription
}

// Deliveries returns the webhook deliveries made, oldest first.
func (s *Server) Deliveries() []Delivery {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.st.deliveries)
}

// Events returns the names of the events delivered, oldest first.
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
	name string
	body []byte
	at   time.Time
}

// event builds an event envelope around payload (account_id is added).
func (st *state) event(name string, now time.Time, payload map[string]any) pendingEvent {
	if _, set := payload["account_id"]; !set {
		payload["account_id"] = st.accountID
	}
	env := map[string]any{"event": name, "event_ts": now.UnixMilli(), "payload": payload}
	if name == "recording.completed" {
		if tok, ok := payload["download_token"]; ok {
			env["download_token"] = tok
			delete(payload, "download_token")
		}
	}
	body, _ := json.Marshal(env)
	return pendingEvent{name: name, body: body, at: now}
}

// emit queues an event for delivery after the handler.
func (c *call) emit(name string, payload map[string]any) {
	c.events = append(c.events, c.st.event(name, c.now, payload))
}

// deliver posts events to the subscribers, one after the other.
func (s *Server) deliver(subs []subscription, events []pendingEvent) {
	s.publishWebSocket(events) // ws.go: WebSocket subscriptions get the same events
	if len(events) == 0 || len(subs) == 0 {
		return
	}
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return
	}
	s.deliveries.Add(1)
	s.mu.Unlock()
	defer s.deliveries.Done()
	for _, ev := range events {
		for _, sub := range subs {
			if sub.events != nil && !sub.events[ev.name] {
				continue
			}
			d := s.deliverOne(sub, ev)
			s.mu.Lock()
			s.st.deliveries = append(s.st.deliveries, d)
			s.mu.Unlock()
		}
	}
}

func (s *Server) deliverOne(sub subscription, ev pendingEvent) Delivery {
	d, _ := s.deliverOneAnswer(sub, ev)
	return d
}

// deliverOneAnswer delivers ev to sub and returns the record and the
// start of the subscriber's answer.
func (s *Server) deliverOneAnswer(sub subscription, ev pendingEvent) (Delivery, []byte) {
	d := Delivery{Event: ev.name, URL: sub.url, Body: ev.body, Time: ev.at, sub: &sub}
	target := sub.url
	if sub.handler != nil {
		target = "http://webhook.invalid/"
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, err := webhook.NewSignedRequest(ctx, sub.secret, target, ev.body, ev.at)
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
		rec := httptest.NewRecorder()
		sub.handler.ServeHTTP(rec, req)
		d.Status = rec.Code
		answer = rec.Body.Bytes()
	} else {
		resp, err := s.whClient.Do(req)
		if err != nil {
			d.Err = err.Error()
			return d, nil
		}
		answer, _ = io.ReadAll(io.LimitReader(resp.Body, 1<<20))
		resp.Body.Close()
		d.Status = resp.StatusCode
	}
	if d.Status != http.StatusOK && d.Status != http.StatusNoContent {
		d.Err = fmt.Sprintf("subscriber answered %d", d.Status)
	}
	return d, answer
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
		d, answer := s.deliverOneAnswer(sub, ev)
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
// the same subscriber, signed anew at the server clock's time, as Zoom does
// when it retries or duplicates an event: handlers should be idempotent.
// The new attempt is appended to the deliveries.
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
	s.deliver([]subscription{*d.sub}, []pendingEvent{{name: d.Event, body: d.Body, at: now}})
	return nil
}
