package zoom

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/zoomkit/zoomkit/internal/benchkit"
)

// The benchmarks compare the SDK with a hand-written net/http +
// encoding/json client calling the same loopback server (internal/benchkit)
// for the same body, sending and decoding the same types, draining bodies
// and reusing connections:
//
//	go test -run '^$' -bench 'GetMeeting|CreateMeeting|ListUsers|WebinarParticipants' -benchmem ./zoom/
//
// For a comparison to quote, run both alternately in one process:
//
//	go test ./zoom/ -run '^$' -v -zoomkit.compare
//
// The comparison with zoom-lib-golang lives in its own module,
// internal/bench/peer.

func benchClient(srv *benchkit.Server) (*Client, error) {
	return NewClient(
		WithBaseURL(srv.URL+"/v2"),
		WithHTTPClient(srv.Client()),
		WithTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "bench-token", TokenType: "Bearer"})),
	)
}

// benchCreateMeeting is the body both clients send to create a meeting.
func benchCreateMeeting() *CreateMeetingRequest {
	return &CreateMeetingRequest{
		Topic:     "Quarterly planning",
		Type:      MeetingTypeScheduled,
		StartTime: NewTime(time.Date(2026, 12, 1, 15, 0, 0, 0, time.UTC)),
		Duration:  60,
		Timezone:  "America/New_York",
		Agenda:    "Goals, budget, hiring",
		Settings: &MeetingSettingsRequest{
			HostVideo:        Ptr(true),
			ParticipantVideo: Ptr(false),
			JoinBeforeHost:   Ptr(false),
			MuteUponEntry:    Ptr(true),
			WaitingRoom:      Ptr(true),
			ApprovalType:     Ptr(ApprovalTypeNoRegistration),
			Audio:            Ptr(AudioTypeBoth),
			AutoRecording:    Ptr(AutoRecordingCloud),
		},
	}
}

// baselineDo is the hand-written client: one request with body as JSON
// (when not nil), the answer decoded into out, the body drained so the
// connection is reused.
func baselineDo(ctx context.Context, hc *http.Client, method, url string, body, out any) error {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, url, rd)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer bench-token")
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	defer func() { _, _ = io.Copy(io.Discard, resp.Body) }()
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("status %d", resp.StatusCode)
	}
	return json.NewDecoder(resp.Body).Decode(out)
}

// workloads returns each benchmarked call made by the SDK and by the
// baseline, a hand-written net/http + encoding/json client sending and
// decoding the same types.
func workloads(srv *benchkit.Server) []benchkit.Workload {
	ctx := context.Background()
	sdk := func(call func(c *Client) error) func(b *testing.B) {
		return func(b *testing.B) {
			c, err := benchClient(srv)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if err := call(c); err != nil {
					b.Fatal(err)
				}
			}
		}
	}
	base := func(call func(hc *http.Client) error) func(b *testing.B) {
		return func(b *testing.B) {
			hc := srv.Client()
			b.ReportAllocs()
			for b.Loop() {
				if err := call(hc); err != nil {
					b.Fatal(err)
				}
			}
		}
	}
	meetingURL := fmt.Sprintf("%s/v2/meetings/%d", srv.URL, benchkit.MeetingID)
	createURL := srv.URL + "/v2/users/" + benchkit.HostID + "/meetings"
	participantsURL := srv.URL + "/v2/report/webinars/" + benchkit.WebinarID + "/participants?page_size=300"
	checkMeeting := func(m *Meeting, err error) error {
		if err == nil && m.ID != benchkit.MeetingID {
			err = errors.New("wrong meeting")
		}
		return err
	}
	listUsers := func(n int) benchkit.Workload {
		return benchkit.Workload{Name: fmt.Sprintf("ListUsers%d", n), Impls: []benchkit.Impl{
			{Name: "sdk", Bench: sdk(func(c *Client) error {
				l, _, err := c.Users.List(ctx, &ListUsersOptions{PageSize: n})
				if err == nil && len(l.Users) != n {
					err = errors.New("wrong page")
				}
				return err
			})},
			{Name: "baseline", Bench: base(func(hc *http.Client) error {
				var l UserList
				err := baselineDo(ctx, hc, http.MethodGet, fmt.Sprintf("%s/v2/users?page_size=%d", srv.URL, n), nil, &l)
				if err == nil && len(l.Users) != n {
					err = errors.New("wrong page")
				}
				return err
			})},
		}}
	}
	return []benchkit.Workload{
		{Name: "GetMeeting", Impls: []benchkit.Impl{
			{Name: "sdk", Bench: sdk(func(c *Client) error {
				m, _, err := c.Meetings.Get(ctx, benchkit.MeetingID, nil)
				return checkMeeting(m, err)
			})},
			{Name: "baseline", Bench: base(func(hc *http.Client) error {
				var m Meeting
				err := baselineDo(ctx, hc, http.MethodGet, meetingURL, nil, &m)
				return checkMeeting(&m, err)
			})},
		}},
		{Name: "CreateMeeting", Impls: []benchkit.Impl{
			{Name: "sdk", Bench: sdk(func(c *Client) error {
				m, _, err := c.Meetings.Create(ctx, benchkit.HostID, benchCreateMeeting())
				return checkMeeting(m, err)
			})},
			{Name: "baseline", Bench: base(func(hc *http.Client) error {
				var m Meeting
				err := baselineDo(ctx, hc, http.MethodPost, createURL, benchCreateMeeting(), &m)
				return checkMeeting(&m, err)
			})},
		}},
		listUsers(1),
		listUsers(300),
		{Name: "WebinarParticipants300", Impls: []benchkit.Impl{
			{Name: "sdk", Bench: sdk(func(c *Client) error {
				p, _, err := c.Reports.ListWebinarParticipants(ctx, benchkit.WebinarID, &ListWebinarParticipantsReportOptions{PageSize: 300})
				if err == nil && len(p.Participants) != 300 {
					err = errors.New("wrong page")
				}
				return err
			})},
			{Name: "baseline", Bench: base(func(hc *http.Client) error {
				var p WebinarParticipantsReport
				err := baselineDo(ctx, hc, http.MethodGet, participantsURL, nil, &p)
				if err == nil && len(p.Participants) != 300 {
					err = errors.New("wrong page")
				}
				return err
			})},
		}},
	}
}

func benchWorkload(b *testing.B, name string) {
	srv := benchkit.NewServer()
	b.Cleanup(srv.Close)
	for _, w := range workloads(srv) {
		if w.Name == name {
			for _, im := range w.Impls {
				b.Run(im.Name, im.Bench)
			}
			return
		}
	}
	b.Fatalf("no workload %s", name)
}

func BenchmarkGetMeeting(b *testing.B)             { benchWorkload(b, "GetMeeting") }
func BenchmarkCreateMeeting(b *testing.B)          { benchWorkload(b, "CreateMeeting") }
func BenchmarkListUsers1(b *testing.B)             { benchWorkload(b, "ListUsers1") }
func BenchmarkListUsers300(b *testing.B)           { benchWorkload(b, "ListUsers300") }
func BenchmarkWebinarParticipants300(b *testing.B) { benchWorkload(b, "WebinarParticipants300") }

// compareBlocks runs each workload's SDK and baseline alternately, in
// blocks, in this one process, and prints the per-block ratios of time and
// allocations with their medians: the comparison to quote. Run it with
//
//	go test ./zoom/ -run '^$' -v -zoomkit.compare [-zoomkit.blocks 10]
func compareBlocks(out io.Writer, blocks int) error {
	srv := benchkit.NewServer()
	defer srv.Close()
	return benchkit.Compare(out, blocks, workloads(srv))
}
