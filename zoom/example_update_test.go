package zoom_test

import (
	"context"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"

	"golang.org/x/oauth2"

	"github.com/zoomkit/zoomkit/zoom"
)

// An update sends only the fields set, zeros included: here it clears the
// agenda and turns join-before-host off, and leaves everything else as it is.
func ExampleMeetingsService_Update() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		fmt.Println(r.Method, r.URL.Path, string(body)) // what Zoom receives
		w.WriteHeader(http.StatusNoContent)
	}))
	defer srv.Close()
	client, err := zoom.NewClient(
		zoom.WithBaseURL(srv.URL+"/v2"), // omit to call https://api.zoom.us/v2
		zoom.WithTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "token"})),
	)
	if err != nil {
		log.Fatal(err)
	}
	_, err = client.Meetings.Update(context.Background(), 85746065, &zoom.UpdateMeetingRequest{
		Agenda:   zoom.Ptr(""),
		Settings: &zoom.MeetingSettingsRequest{JoinBeforeHost: zoom.Ptr(false)},
	}, nil)
	if err != nil {
		log.Fatal(err)
	}
	// Output:
	// PATCH /v2/meetings/85746065 {"agenda":"","settings":{"join_before_host":false}}
}
