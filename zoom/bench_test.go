package zoom

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/oauth2"
)

// The benchmarks compare the SDK with a hand-written net/http +
// encoding/json client calling the same loopback server for the same body,
// decoding into the same types, draining bodies and reusing connections:
//
//	go test -run '^$' -bench 'GetMeeting|ListUsers300' -benchmem ./zoom/
//
// For a comparison to quote, run both alternately in one process:
//
//	go test ./zoom/ -run '^$' -v -zoomkit.compare

// usersPage returns a page of n realistic users.
func usersPage(n int) []byte {
	var b strings.Builder
	b.WriteString(`{"next_page_token":"IAfJX3jsOLW7w3dokmFl84zOa0MAVGyMEB2","page_count":7,"page_number":1,"page_size":300,"total_records":2000,"users":[`)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"id":"KDcuGIm1QgePTO8WbOqwIQ%03d","first_name":"Jill%d","last_name":"Chill","display_name":"Jill Chill %d",`+
			`"email":"jchill%d@example.com","type":%d,"pmi":%d,"timezone":"Asia/Shanghai","verified":1,"dept":"Developers",`+
			`"created_at":"2019-06-01T07:58:03Z","user_created_at":"2019-06-01T07:58:03Z","last_login_time":"2025-12-01T07:58:03Z",`+
			`"last_client_version":"5.9.6.4993(mac)","language":"en-US","phone_number":"+1 800000000","status":"active",`+
			`"role_id":"0","group_ids":["RSMaSp8sTEGK0_oamiA2_w"]}`, i, i, i, i, 1+i%2, 3542471135+int64(i))
	}
	b.WriteString(`]}`)
	return []byte(b.String())
}

type benchServer struct {
	srv     *httptest.Server
	meeting []byte
	users   []byte
}

// startBenchServer serves the recorded meeting and a 300-user page with a
// Content-Length, as Zoom does, so that both clients reuse connections.
func startBenchServer() (*benchServer, error) {
	meeting, err := os.ReadFile("testdata/zoom_rb/meeting/get.json")
	if err != nil {
		return nil, err
	}
	bs := &benchServer{meeting: meeting, users: usersPage(300)}
	bs.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body []byte
		switch {
		case strings.HasPrefix(r.URL.Path, "/v2/meetings/"):
			body = bs.meeting
		case r.URL.Path == "/v2/users":
			body = bs.users
		default:
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		_, _ = w.Write(body)
	}))
	return bs, nil
}

func newBenchServer(b *testing.B) *benchServer {
	b.Helper()
	bs, err := startBenchServer()
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(bs.srv.Close)
	return bs
}

func (bs *benchServer) client() (*Client, error) {
	return NewClient(
		WithBaseURL(bs.srv.URL+"/v2"),
		WithHTTPClient(bs.srv.Client()),
		WithTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "bench-token", TokenType: "Bearer"})),
	)
}

// baselineGet is the hand-written client: one GET, the JSON decoded into
// out, the body drained so the connection is reused.
func baselineGet(ctx context.Context, hc *http.Client, url string, out any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer bench-token")
	req.Header.Set("Accept", "application/json")
	resp, err := hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	defer func() { _, _ = io.Copy(io.Discard, resp.Body) }()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("status %d", resp.StatusCode)
	}
	return json.NewDecoder(resp.Body).Decode(out)
}

// workload is one call, made by the SDK and by the baseline: a
// hand-written net/http + encoding/json client decoding into the same
// types the SDK decodes into.
type workload struct {
	name          string
	sdk, baseline func(b *testing.B)
}

func workloads(bs *benchServer) []workload {
	ctx := context.Background()
	sdk := func(call func(c *Client) error) func(b *testing.B) {
		return func(b *testing.B) {
			c, err := bs.client()
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
			hc := bs.srv.Client()
			b.ReportAllocs()
			for b.Loop() {
				if err := call(hc); err != nil {
					b.Fatal(err)
				}
			}
		}
	}
	return []workload{
		{
			name: "GetMeeting",
			sdk: sdk(func(c *Client) error {
				m, _, err := c.Meetings.Get(ctx, 91538056781, nil)
				if err == nil && m.ID != 91538056781 {
					err = errors.New("wrong meeting")
				}
				return err
			}),
			baseline: base(func(hc *http.Client) error {
				var m Meeting
				err := baselineGet(ctx, hc, bs.srv.URL+"/v2/meetings/91538056781", &m)
				if err == nil && m.ID != 91538056781 {
					err = errors.New("wrong meeting")
				}
				return err
			}),
		},
		{
			name: "ListUsers300",
			sdk: sdk(func(c *Client) error {
				l, _, err := c.Users.List(ctx, &ListUsersOptions{PageSize: 300})
				if err == nil && len(l.Users) != 300 {
					err = errors.New("wrong page")
				}
				return err
			}),
			baseline: base(func(hc *http.Client) error {
				var l UserList
				err := baselineGet(ctx, hc, bs.srv.URL+"/v2/users?page_size=300", &l)
				if err == nil && len(l.Users) != 300 {
					err = errors.New("wrong page")
				}
				return err
			}),
		},
	}
}

func benchWorkload(b *testing.B, name string) {
	for _, w := range workloads(newBenchServer(b)) {
		if w.name == name {
			b.Run("sdk", w.sdk)
			b.Run("baseline", w.baseline)
			return
		}
	}
	b.Fatalf("no workload %s", name)
}

func BenchmarkGetMeeting(b *testing.B)   { benchWorkload(b, "GetMeeting") }
func BenchmarkListUsers300(b *testing.B) { benchWorkload(b, "ListUsers300") }

// compareBlocks runs each workload's SDK and baseline alternately, in
// blocks, in this one process (the order flips every block), and prints
// the per-block ratios of time and allocations with their medians: the
// comparison to quote. Run it with
//
//	go test ./zoom/ -run '^$' -v -zoomkit.compare [-zoomkit.blocks 10]
func compareBlocks(out io.Writer, blocks int) error {
	bs, err := startBenchServer()
	if err != nil {
		return err
	}
	defer bs.srv.Close()
	for _, w := range workloads(bs) {
		var timeRatios, allocRatios []float64
		for i := range blocks {
			var rs, rb testing.BenchmarkResult
			if i%2 == 0 {
				rs, rb = testing.Benchmark(w.sdk), testing.Benchmark(w.baseline)
			} else {
				rb, rs = testing.Benchmark(w.baseline), testing.Benchmark(w.sdk)
			}
			if rs.N == 0 || rb.N == 0 {
				return fmt.Errorf("%s: a benchmark failed", w.name)
			}
			tr := float64(rs.NsPerOp()) / float64(rb.NsPerOp())
			ar := float64(rs.AllocsPerOp()) / float64(max(rb.AllocsPerOp(), 1))
			timeRatios, allocRatios = append(timeRatios, tr), append(allocRatios, ar)
			fmt.Fprintf(out, "%s block %d: sdk %d ns/op %d allocs, baseline %d ns/op %d allocs, ratio %.2fx time %.2fx allocs\n",
				w.name, i+1, rs.NsPerOp(), rs.AllocsPerOp(), rb.NsPerOp(), rb.AllocsPerOp(), tr, ar)
		}
		fmt.Fprintf(out, "%s: median ratio %.2fx time, %.2fx allocs over %d blocks\n", w.name, median(timeRatios), median(allocRatios), blocks)
	}
	return nil
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	if n := len(s); n%2 == 1 {
		return s[n/2]
	} else if n > 0 {
		return (s[n/2-1] + s[n/2]) / 2
	}
	return 0
}
