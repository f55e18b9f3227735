package zoom_test

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"os"

	"github.com/zoomkit/zoomkit/zoom"
)

// Logging a meeting redacts its start URL, its password and the pwd in its
// join URL, with slog's JSON handler as with fmt; json.Marshal, the wire
// format, keeps them.
func ExampleMeeting_LogValue() {
	m := &zoom.Meeting{
		ID:       85746065,
		Topic:    "Design review",
		JoinURL:  "https://zoom.us/j/85746065?pwd=c2VjcmV0",
		StartURL: "https://zoom.us/s/85746065?zak=eyJ0eXAi",
		Password: "481516",
	}
	noTime := func(_ []string, a slog.Attr) slog.Attr {
		if a.Key == slog.TimeKey {
			return slog.Attr{}
		}
		return a
	}
	logger := slog.New(slog.NewJSONHandler(os.Stdout, &slog.HandlerOptions{ReplaceAttr: noTime}))
	logger.Info("created", "meeting", m)
	fmt.Println(m.StartURL, m.Password)
	wire, _ := json.Marshal(m)
	fmt.Println(string(wire))
	// Output:
	// {"level":"INFO","msg":"created","meeting":{"id":85746065,"join_url":"https://zoom.us/j/85746065?pwd=REDACTED","password":"REDACTED","start_url":"REDACTED","topic":"Design review"}}
	// REDACTED REDACTED
	// {"id":85746065,"join_url":"https://zoom.us/j/85746065?pwd=c2VjcmV0","password":"481516","start_url":"https://zoom.us/s/85746065?zak=eyJ0eXAi","topic":"Design review"}
}
