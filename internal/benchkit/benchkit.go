// Package benchkit holds what the REST benchmarks of zoomkit share with the
// peer benchmark module (internal/bench/peer): a loopback server answering
// the benchmarked Zoom calls with recorded bodies, and the comparison that
// runs implementations alternately, in blocks, in one process, and prints
// per-block ratios and their medians.
//
// Absolute numbers from a shared machine are noisy; the ratios of one
// block, measured seconds apart on the same machine, are what to quote.
package benchkit

import (
	_ "embed"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// Recorded bodies (testdata/LICENSE.zoom_rb: from kyleboe/zoom_rb).
var (
	//go:embed testdata/meeting_get.json
	MeetingGet []byte
	//go:embed testdata/meeting_create.json
	MeetingCreate []byte
)

// The ids the server answers for.
const (
	MeetingID = 91538056781
	WebinarID = "95204914252"
	HostID    = "r55v2FgSTVmDmVot18DX3A"
)

// UsersPage returns a List users page of n realistic users.
func UsersPage(n int) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, `{"next_page_token":"IAfJX3jsOLW7w3dokmFl84zOa0MAVGyMEB2","page_count":7,"page_number":1,"page_size":%d,"total_records":2000,"users":[`, n)
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

// ParticipantsPage returns a webinar participant report page of n
// participants, as GET /report/webinars/{id}/participants answers.
func ParticipantsPage(n int) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, `{"page_count":4,"page_size":%d,"total_records":1100,"next_page_token":"Tva2CuIdTgsv8wAnhyAdU3m06Y2HuLQtlh3","participants":[`, n)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"id":"30R7kT7bTIKSNUFEuH_%03d","user_id":"%d","participant_user_id":"30R7kT7bTIKSNUFEuH_%03d","name":"Attendee %d",`+
			`"user_email":"attendee%d@example.org","join_time":"2026-11-17T16:%02d:12Z","leave_time":"2026-11-17T17:%02d:40Z",`+
			`"duration":%d,"failover":false,"status":"in_meeting","registrant_id":"9tboDiHUQAeOnbmudzWa%03d","customer_key":"","bo_mtg_id":""}`,
			i, 16778240+i, i, i, i, i%60, i%60, 3000+i, i)
	}
	b.WriteString(`]}`)
	return []byte(b.String())
}

// Server answers the benchmarked calls under /v2 with a Content-Length, as
// Zoom does, so that clients reuse connections:
//
//	GET  /v2/meetings/{id}                        the recorded meeting
//	POST /v2/users/{id}/meetings                  201, the recorded created meeting
//	GET  /v2/users?page_size=N                    a page of N users (1 or 300)
//	GET  /v2/report/webinars/{id}/participants    a page of 300 participants
type Server struct {
	*httptest.Server
	users1, users300, participants []byte
}

// NewServer starts a Server; Close it when done.
func NewServer() *Server {
	s := &Server{users1: UsersPage(1), users300: UsersPage(300), participants: ParticipantsPage(300)}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	return s
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	var body []byte
	status := http.StatusOK
	p := r.URL.Path
	switch {
	case r.Method == http.MethodGet && strings.HasPrefix(p, "/v2/meetings/"):
		body = MeetingGet
	case r.Method == http.MethodPost && strings.HasPrefix(p, "/v2/users/") && strings.HasSuffix(p, "/meetings"):
		// Drain what the client sent, as a real server reads it.
		if _, err := io.Copy(io.Discard, r.Body); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		body, status = MeetingCreate, http.StatusCreated
	case r.Method == http.MethodGet && p == "/v2/users":
		body = s.users300
		if r.URL.Query().Get("page_size") == "1" {
			body = s.users1
		}
	case r.Method == http.MethodGet && strings.HasPrefix(p, "/v2/report/webinars/") && strings.HasSuffix(p, "/participants"):
		body = s.participants
	default:
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// Impl is one implementation of a workload: a benchmark function that
// makes the call b.N times.
type Impl struct {
	Name  string
	Bench func(b *testing.B)
}

// Workload is one Zoom call and its implementations. The first is the
// subject and the last the reference: ratios are subject / reference.
type Workload struct {
	Name  string
	Impls []Impl
}

// Compare runs each workload's implementations alternately, in blocks (the
// order reverses every block), in this one process, and prints, per block,
// ns/op and allocs/op of each and the ratios of the first to the last,
// then the medians of those ratios over the blocks and the ratio of the
// fastest blocks (each implementation's least ns/op).
func Compare(out io.Writer, blocks int, ws []Workload) error {
	if blocks < 1 {
		return fmt.Errorf("benchkit: %d blocks", blocks)
	}
	for _, w := range ws {
		if len(w.Impls) < 2 {
			return fmt.Errorf("benchkit: %s: need two implementations", w.Name)
		}
		first, last := w.Impls[0].Name, w.Impls[len(w.Impls)-1].Name
		var timeRatios, allocRatios []float64
		fastest := map[string]int64{} // per implementation, its least ns/op over the blocks
		for i := range blocks {
			order := slices.Clone(w.Impls)
			if i%2 == 1 {
				slices.Reverse(order)
			}
			res := map[string]testing.BenchmarkResult{}
			for _, im := range order {
				r := testing.Benchmark(im.Bench)
				if r.N == 0 {
					return fmt.Errorf("%s: %s failed", w.Name, im.Name)
				}
				res[im.Name] = r
				if f, ok := fastest[im.Name]; !ok || r.NsPerOp() < f {
					fastest[im.Name] = r.NsPerOp()
				}
			}
			rf, rl := res[first], res[last]
			tr := float64(rf.NsPerOp()) / float64(rl.NsPerOp())
			ar := float64(rf.AllocsPerOp()) / float64(max(rl.AllocsPerOp(), 1))
			timeRatios, allocRatios = append(timeRatios, tr), append(allocRatios, ar)
			fmt.Fprintf(out, "%s block %d:", w.Name, i+1)
			for _, im := range w.Impls {
				r := res[im.Name]
				fmt.Fprintf(out, " %s %d ns/op %d allocs %d B;", im.Name, r.NsPerOp(), r.AllocsPerOp(), r.AllocedBytesPerOp())
			}
			fmt.Fprintf(out, " %s/%s %.2fx time %.2fx allocs\n", first, last, tr, ar)
		}
		fmt.Fprintf(out, "%s: median %s/%s %.2fx time, %.2fx allocs over %d blocks\n",
			w.Name, first, last, Median(timeRatios), Median(allocRatios), blocks)
		// Other work on the machine only ever adds time: the fastest block of
		// each is the least disturbed measure of it.
		fmt.Fprintf(out, "%s: fastest block %s %d ns/op, %s %d ns/op: %s/%s %.2fx time\n",
			w.Name, first, fastest[first], last, fastest[last], first, last,
			float64(fastest[first])/float64(max(fastest[last], 1)))
	}
	return nil
}

// Median returns the median of xs (0 for none).
func Median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	if n := len(s); n%2 == 1 {
		return s[n/2]
	} else if n > 0 {
		return (s[n/2-1] + s[n/2]) / 2
	}
	return 0
}
