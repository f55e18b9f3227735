package zoom

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"golang.org/x/oauth2"
)

// The benchmarks compare the SDK with a hand-written net/http +
// encoding/json client calling the same loopback server for the same
// body:
//
//	go test -run '^$' -bench 'GetMeeting|ListUsers300' -benchmem ./zoom/

// baseMeeting is what a hand-written client would decode a meeting into.
type baseMeeting struct {
	UUID      string `json:"uuid"`
	ID        int64  `json:"id"`
	HostID    string `json:"host_id"`
	Topic     string `json:"topic"`
	Type      int    `json:"type"`
	Status    string `json:"status"`
	StartTime string `json:"start_time"`
	Duration  int    `json:"duration"`
	Timezone  string `json:"timezone"`
	CreatedAt string `json:"created_at"`
	StartURL  string `json:"start_url"`
	JoinURL   string `json:"join_url"`
	Password  string `json:"password"`
	Agenda    string `json:"agenda"`
	Settings  *struct {
		HostVideo                    bool     `json:"host_video"`
		ParticipantVideo             bool     `json:"participant_video"`
		CNMeeting                    bool     `json:"cn_meeting"`
		InMeeting                    bool     `json:"in_meeting"`
		JoinBeforeHost               bool     `json:"join_before_host"`
		MuteUponEntry                bool     `json:"mute_upon_entry"`
		Watermark                    bool     `json:"watermark"`
		UsePMI                       bool     `json:"use_pmi"`
		ApprovalType                 int      `json:"approval_type"`
		Audio                        string   `json:"audio"`
		AutoRecording                string   `json:"auto_recording"`
		EnforceLogin                 bool     `json:"enforce_login"`
		EnforceLoginDomains          string   `json:"enforce_login_domains"`
		AlternativeHosts             string   `json:"alternative_hosts"`
		CloseRegistration            bool     `json:"close_registration"`
		RegistrantsConfirmationEmail bool     `json:"registrants_confirmation_email"`
		WaitingRoom                  bool     `json:"waiting_room"`
		GlobalDialInCountries        []string `json:"global_dial_in_countries"`
		GlobalDialInNumbers          []struct {
			CountryName string `json:"country_name"`
			City        string `json:"city"`
			Number      string `json:"number"`
			Type        string `json:"type"`
			Country     string `json:"country"`
		} `json:"global_dial_in_numbers"`
		RegistrantsEmailNotification bool `json:"registrants_email_notification"`
		MeetingAuthentication        bool `json:"meeting_authentication"`
	} `json:"settings"`
}

// baseUser and baseUserList are what a hand-written client would decode
// a page of users into.
type baseUser struct {
	ID                string   `json:"id"`
	FirstName         string   `json:"first_name"`
	LastName          string   `json:"last_name"`
	DisplayName       string   `json:"display_name"`
	Email             string   `json:"email"`
	Type              int      `json:"type"`
	PMI               int64    `json:"pmi"`
	Timezone          string   `json:"timezone"`
	Verified          int      `json:"verified"`
	Dept              string   `json:"dept"`
	CreatedAt         string   `json:"created_at"`
	UserCreatedAt     string   `json:"user_created_at"`
	LastLoginTime     string   `json:"last_login_time"`
	LastClientVersion string   `json:"last_client_version"`
	Language          string   `json:"language"`
	PhoneNumber       string   `json:"phone_number"`
	Status            string   `json:"status"`
	RoleID            string   `json:"role_id"`
	GroupIDs          []string `json:"group_ids"`
}

type baseUserList struct {
	NextPageToken string     `json:"next_page_token"`
	PageCount     int        `json:"page_count"`
	PageNumber    int        `json:"page_number"`
	PageSize      int        `json:"page_size"`
	TotalRecords  int        `json:"total_records"`
	Users         []baseUser `json:"users"`
}

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

func newBenchServer(b *testing.B) *benchServer {
	b.Helper()
	meeting, err := os.ReadFile("testdata/zoom_rb/meeting/get.json")
	if err != nil {
		b.Fatal(err)
	}
	bs := &benchServer{meeting: meeting, users: usersPage(300)}
	bs.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch {
		case strings.HasPrefix(r.URL.Path, "/v2/meetings/"):
			_, _ = w.Write(bs.meeting)
		case r.URL.Path == "/v2/users":
			_, _ = w.Write(bs.users)
		default:
			http.NotFound(w, r)
		}
	}))
	b.Cleanup(bs.srv.Close)
	return bs
}

func (bs *benchServer) client(b *testing.B) *Client {
	b.Helper()
	c, err := NewClient(
		WithBaseURL(bs.srv.URL+"/v2"),
		WithHTTPClient(bs.srv.Client()),
		WithTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "bench-token", TokenType: "Bearer"})),
	)
	if err != nil {
		b.Fatal(err)
	}
	return c
}

// baselineGet is the hand-written client: one GET, JSON decoded into out.
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
	if resp.StatusCode != http.StatusOK {
		_, _ = io.Copy(io.Discard, resp.Body)
		return fmt.Errorf("status %d", resp.StatusCode)
	}
	return json.NewDecoder(resp.Body).Decode(out)
}

func BenchmarkGetMeeting(b *testing.B) {
	bs := newBenchServer(b)
	ctx := context.Background()
	b.Run("sdk", func(b *testing.B) {
		c := bs.client(b)
		b.ReportAllocs()
		for b.Loop() {
			m, _, err := c.Meetings.Get(ctx, 91538056781, nil)
			if err != nil || m.ID != 91538056781 {
				b.Fatal(err)
			}
		}
	})
	b.Run("baseline", func(b *testing.B) {
		hc := bs.srv.Client()
		b.ReportAllocs()
		for b.Loop() {
			var m baseMeeting
			if err := baselineGet(ctx, hc, bs.srv.URL+"/v2/meetings/91538056781", &m); err != nil || m.ID != 91538056781 {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkListUsers300(b *testing.B) {
	bs := newBenchServer(b)
	ctx := context.Background()
	b.Run("sdk", func(b *testing.B) {
		c := bs.client(b)
		opts := &ListUsersOptions{PageSize: 300}
		b.ReportAllocs()
		for b.Loop() {
			l, _, err := c.Users.List(ctx, opts)
			if err != nil || len(l.Users) != 300 {
				b.Fatal(err)
			}
		}
	})
	b.Run("baseline", func(b *testing.B) {
		hc := bs.srv.Client()
		b.ReportAllocs()
		for b.Loop() {
			var l baseUserList
			if err := baselineGet(ctx, hc, bs.srv.URL+"/v2/users?page_size=300", &l); err != nil || len(l.Users) != 300 {
				b.Fatal(err)
			}
		}
	})
}
