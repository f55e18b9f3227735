package zoom_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"time"

	"golang.org/x/oauth2"

	"github.com/zoomkit/zoomkit/zoom"
)

// fakeZoom answers POST /v2/users/me/meetings and GET /v2/users/me/meetings
// (three pages of two meetings) like Zoom does.
func fakeZoom() *httptest.Server {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v2/users/me/meetings", func(w http.ResponseWriter, r *http.Request) {
		var req map[string]any
		_ = json.NewDecoder(r.Body).Decode(&req)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusCreated)
		_ = json.NewEncoder(w).Encode(map[string]any{
			"id": 85746065, "topic": req["topic"], "type": req["type"], "start_time": req["start_time"],
			"duration": req["duration"], "join_url": "https://zoom.us/j/85746065", "start_url": "https://zoom.us/s/85746065?zak=secret",
		})
	})
	mux.HandleFunc("GET /v2/users/me/meetings", func(w http.ResponseWriter, r *http.Request) {
		pages := map[string]string{
			"":   `{"next_page_token":"p2","meetings":[{"id":1,"topic":"Standup"},{"id":2,"topic":"Planning"}]}`,
			"p2": `{"next_page_token":"p3","meetings":[{"id":3,"topic":"Retro"},{"id":4,"topic":"1:1"}]}`,
			"p3": `{"next_page_token":"","meetings":[{"id":5,"topic":"All hands"}]}`,
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(pages[r.URL.Query().Get("next_page_token")]))
	})
	return httptest.NewServer(mux)
}

func ExampleMeetingsService_Create() {
	srv := fakeZoom()
	defer srv.Close()
	client, err := zoom.NewClient(
		zoom.WithBaseURL(srv.URL+"/v2"), // omit to call https://api.zoom.us/v2
		zoom.WithTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "token"})),
	)
	if err != nil {
		log.Fatal(err)
	}
	m, _, err := client.Meetings.Create(context.Background(), "me", &zoom.CreateMeetingRequest{
		Topic:     "Design review",
		Type:      zoom.MeetingTypeScheduled,
		StartTime: zoom.NewTime(time.Date(2026, 3, 2, 15, 0, 0, 0, time.UTC)),
		Duration:  30,
		Settings:  &zoom.MeetingSettingsRequest{JoinBeforeHost: zoom.Ptr(false), Audio: zoom.Ptr(zoom.AudioTypeVOIP)},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(m.ID, m.Topic, m.Type, m.StartTime.Format(time.RFC3339))
	fmt.Println("join:", m.JoinURL)
	fmt.Println("start:", m.StartURL) // a Secret: printed redacted
	// Output:
	// 85746065 Design review Scheduled 2026-03-02T15:00:00Z
	// join: https://zoom.us/j/85746065
	// start: REDACTED
}

func ExampleMeetingsService_ListAll() {
	srv := fakeZoom()
	defer srv.Close()
	client, err := zoom.NewClient(
		zoom.WithBaseURL(srv.URL+"/v2"),
		zoom.WithTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "token"})),
	)
	if err != nil {
		log.Fatal(err)
	}
	// Pages are fetched as the loop advances; breaking out stops paging.
	for m, err := range client.Meetings.ListAll(context.Background(), "me", &zoom.ListMeetingsOptions{PageSize: 2}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(m.ID, m.Topic)
	}
	// Output:
	// 1 Standup
	// 2 Planning
	// 3 Retro
	// 4 1:1
	// 5 All hands
}
