package webhook_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"time"

	"github.com/zoomkit/zoomkit/webhook"
)

func Example() {
	const secret = "my-secret-token"
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

	v, err := webhook.NewVerifier([]string{secret}, webhook.WithClock(func() time.Time { return now }))
	if err != nil {
		panic(err)
	}
	h, err := webhook.NewHandler(v)
	if err != nil {
		panic(err)
	}
	h.OnMeetingStarted(func(ctx context.Context, e *webhook.Event, p *webhook.MeetingStartedPayload) error {
		fmt.Printf("%s: meeting %d %q started at %s\n", e.Name, p.Object.ID, p.Object.Topic, p.Object.StartTime.Format(time.Kitchen))
		return nil
	})

	body := []byte(`{"event":"meeting.started","event_ts":1772366400000,"payload":{"account_id":"acc","object":{"id":"85393847045","uuid":"jUh5o3dKQIytvcsfTtKBlg==","topic":"Caf\u00e9 \uD83D\uDE92","start_time":"2026-03-01T12:00:00Z"}}}`)
	deliver := func(secret string) int {
		r, err := webhook.NewSignedRequest(context.Background(), secret, "https://app.example.com/zoom/webhook", body, now)
		if err != nil {
			panic(err)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w.Code
	}

	fmt.Println("status:", deliver(secret))
	fmt.Println("redelivery:", deliver(secret))
	fmt.Println("forged:", deliver("not-the-secret"))
	// Output:
	// meeting.started: meeting 85393847045 "Café 🚒" started at 12:00PM
	// status: 200
	// redelivery: 200
	// forged: 401
}

func ExampleSign() {
	ts := time.Unix(1700000000, 0)
	fmt.Println(webhook.Sign("golden-secret-1", ts, []byte(`{"event":"app_deauthorized"}`)))
	// Output:
	// v0=bbc68f425023fd9e53ecb1383ccbef37ff7ad082c8ff0c36aa09f45b81deec51
}
