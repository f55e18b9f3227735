package peer

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"testing"
	"time"

	zlg "github.com/zoom-lib-golang/zoom-lib-golang"
	"golang.org/x/oauth2"

	"github.com/zoomkit/zoomkit/internal/benchkit"
	"github.com/zoomkit/zoomkit/zoom"
)

var (
	compare = flag.Bool("peer.compare", false, "instead of the tests, compare zoomkit with zoom-lib-golang, alternating in blocks")
	blocks  = flag.Int("peer.blocks", 10, "blocks for -peer.compare")
)

func TestMain(m *testing.M) {
	flag.Parse()
	if *compare {
		srv := benchkit.NewServer()
		err := benchkit.Compare(os.Stdout, *blocks, workloads(srv))
		srv.Close()
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// redirect sends every request to the loopback server, whatever its host:
// zoom-lib-golang's host is fixed to api.zoom.us.
type redirect struct {
	to   *url.URL
	next http.RoundTripper
}

func (r redirect) RoundTrip(req *http.Request) (*http.Response, error) {
	req = req.Clone(req.Context())
	req.URL.Scheme, req.URL.Host, req.Host = r.to.Scheme, r.to.Host, ""
	return r.next.RoundTrip(req)
}

func peerClient(srv *benchkit.Server) *zlg.Client {
	u, _ := url.Parse(srv.URL)
	c := zlg.NewClient("bench-key", "bench-secret")
	c.Transport = redirect{to: u, next: srv.Client().Transport}
	return c
}

func zoomkitClient(srv *benchkit.Server) (*zoom.Client, error) {
	return zoom.NewClient(
		zoom.WithBaseURL(srv.URL+"/v2"),
		zoom.WithHTTPClient(srv.Client()),
		zoom.WithTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "bench-token", TokenType: "Bearer"})),
	)
}

var start = time.Date(2026, 12, 1, 15, 0, 0, 0, time.UTC)

// The same meeting in each library's types. zoom-lib-golang's settings are
// plain bools with omitempty: it cannot send false, so it sends less.
func zoomkitCreate() *zoom.CreateMeetingRequest {
	return &zoom.CreateMeetingRequest{
		Topic: "Quarterly planning", Type: zoom.MeetingTypeScheduled, StartTime: zoom.NewTime(start),
		Duration: 60, Timezone: "America/New_York", Agenda: "Goals, budget, hiring",
		Settings: &zoom.MeetingSettingsRequest{
			HostVideo: zoom.Ptr(true), ParticipantVideo: zoom.Ptr(false), JoinBeforeHost: zoom.Ptr(false),
			MuteUponEntry: zoom.Ptr(true), WaitingRoom: zoom.Ptr(true), ApprovalType: zoom.Ptr(zoom.ApprovalTypeNoRegistration),
			Audio: zoom.Ptr(zoom.AudioTypeBoth), AutoRecording: zoom.Ptr(zoom.AutoRecordingCloud),
		},
	}
}

func peerCreate() zlg.CreateMeetingOptions {
	return zlg.CreateMeetingOptions{
		HostID: benchkit.HostID, Topic: "Quarterly planning", Type: zlg.MeetingTypeScheduled, StartTime: &zlg.Time{Time: start},
		Duration: 60, Timezone: "America/New_York", Agenda: "Goals, budget, hiring",
		Settings: zlg.MeetingSettings{
			HostVideo: true, ParticipantVideo: false, JoinBeforeHost: false, MuteUponEntry: true, WaitingRoom: true,
			ApprovalType: zlg.ApprovalTypeNoRegistrationRequired, Audio: zlg.AudioBoth, AutoRecording: zlg.AutoRecordingCloud,
		},
	}
}

// workloads returns each call the peer has, made by zoomkit (first: the
// subject of the ratios) and by zoom-lib-golang.
func workloads(srv *benchkit.Server) []benchkit.Workload {
	ctx := context.Background()
	zk := func(call func(c *zoom.Client) error) func(b *testing.B) {
		return func(b *testing.B) {
			c, err := zoomkitClient(srv)
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
	pr := func(call func(c *zlg.Client) error) func(b *testing.B) {
		return func(b *testing.B) {
			c := peerClient(srv)
			b.ReportAllocs()
			for b.Loop() {
				if err := call(c); err != nil {
					b.Fatal(err)
				}
			}
		}
	}
	meetingID := func(id int64, err error) error {
		if err == nil && id != benchkit.MeetingID {
			err = errors.New("wrong meeting")
		}
		return err
	}
	page := func(got, want int, err error) error {
		if err == nil && got != want {
			err = fmt.Errorf("page of %d, want %d", got, want)
		}
		return err
	}
	listUsers := func(n int) benchkit.Workload {
		return benchkit.Workload{Name: fmt.Sprintf("ListUsers%d", n), Impls: []benchkit.Impl{
			{Name: "zoomkit", Bench: zk(func(c *zoom.Client) error {
				l, _, err := c.Users.List(ctx, &zoom.ListUsersOptions{PageSize: n})
				if err != nil {
					return err
				}
				return page(len(l.Users), n, nil)
			})},
			{Name: "zoom-lib-golang", Bench: pr(func(c *zlg.Client) error {
				l, err := c.ListUsers(zlg.ListUsersOptions{PageSize: n, PageNumber: 1})
				return page(len(l.Users), n, err)
			})},
		}}
	}
	return []benchkit.Workload{
		{Name: "GetMeeting", Impls: []benchkit.Impl{
			{Name: "zoomkit", Bench: zk(func(c *zoom.Client) error {
				m, _, err := c.Meetings.Get(ctx, benchkit.MeetingID, nil)
				if err != nil {
					return err
				}
				return meetingID(int64(m.ID), nil)
			})},
			{Name: "zoom-lib-golang", Bench: pr(func(c *zlg.Client) error {
				m, err := c.GetMeeting(zlg.GetMeetingOptions{MeetingID: benchkit.MeetingID})
				return meetingID(int64(m.ID), err)
			})},
		}},
		{Name: "CreateMeeting", Impls: []benchkit.Impl{
			{Name: "zoomkit", Bench: zk(func(c *zoom.Client) error {
				m, _, err := c.Meetings.Create(ctx, benchkit.HostID, zoomkitCreate())
				if err != nil {
					return err
				}
				return meetingID(int64(m.ID), nil)
			})},
			{Name: "zoom-lib-golang", Bench: pr(func(c *zlg.Client) error {
				m, err := c.CreateMeeting(peerCreate())
				return meetingID(int64(m.ID), err)
			})},
		}},
		listUsers(1),
		listUsers(300),
	}
}

func bench(b *testing.B, name string) {
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

func BenchmarkGetMeeting(b *testing.B)    { bench(b, "GetMeeting") }
func BenchmarkCreateMeeting(b *testing.B) { bench(b, "CreateMeeting") }
func BenchmarkListUsers1(b *testing.B)    { bench(b, "ListUsers1") }
func BenchmarkListUsers300(b *testing.B)  { bench(b, "ListUsers300") }

// TestBothReachTheServer checks that each workload's calls succeed through
// each library, the peer through the host-rewriting RoundTripper.
func TestBothReachTheServer(t *testing.T) {
	bt := flag.Lookup("test.benchtime")
	old := bt.Value.String()
	if err := bt.Value.Set("1x"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = bt.Value.Set(old) })
	srv := benchkit.NewServer()
	defer srv.Close()
	for _, w := range workloads(srv) {
		for _, im := range w.Impls {
			r := testing.Benchmark(im.Bench)
			if r.N == 0 {
				t.Errorf("%s: %s failed", w.Name, im.Name)
			}
		}
	}
}
