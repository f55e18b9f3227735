package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/zoomkit/zoomkit/oauth"
	"github.com/zoomkit/zoomkit/tokenstore"
	"github.com/zoomkit/zoomkit/webhook"
	"github.com/zoomkit/zoomkit/zoom"
	"github.com/zoomkit/zoomkit/zoom/zoomtest"
)

// TestMain runs the command itself when the test binary is started as
// zoomfake by startFake, so that the test drives a separate process.
func TestMain(m *testing.M) {
	if os.Getenv("ZOOMFAKE_RUN_MAIN") == "1" {
		main()
		return
	}
	os.Exit(m.Run())
}

// startFake starts the command as a child process with args and returns its
// base URL. The process is stopped when the test ends.
func startFake(t *testing.T, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, os.Args[0], append([]string{"-addr", "127.0.0.1:0"}, args...)...)
	cmd.Env = append(os.Environ(), "ZOOMFAKE_RUN_MAIN=1")
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 10 * time.Second
	stderr := &lockedBuffer{}
	cmd.Stderr = stderr
	out, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	t.Cleanup(func() {
		cancel()
		err := cmd.Wait()
		assert.True(t, err == nil || ctx.Err() != nil, "zoomfake exited with %v: %s", err, stderr.String())
	})
	lines := bufio.NewScanner(out)
	require.True(t, lines.Scan(), "no output from zoomfake: %s", stderr.String())
	base, ok := strings.CutPrefix(lines.Text(), "zoomfake: listening on ")
	require.True(t, ok, "first line %q", lines.Text())
	go func() {
		for lines.Scan() { // drain
		}
	}()
	return base
}

func control(t *testing.T, base, path string, body any, out any) int {
	t.Helper()
	b, err := json.Marshal(body)
	require.NoError(t, err)
	resp, err := http.Post(base+zoomtest.ControlPrefix+path, "application/json", bytes.NewReader(b))
	require.NoError(t, err)
	defer resp.Body.Close()
	if out != nil {
		require.NoError(t, json.NewDecoder(resp.Body).Decode(out))
	}
	return resp.StatusCode
}

// The standalone fake, driven over HTTP as a test in another language would:
// a seed file, the OAuth flow of a member through the real oauth package, a
// meeting created with the real zoom client, a signed webhook verified by
// the real webhook package, the live meeting driven by the control
// endpoints, the clock moved, and the console.
func TestStandaloneFake(t *testing.T) {
	const whSecret = "zoomfake-webhook-secret"
	var mu sync.Mutex
	var created []string
	v, err := webhook.NewVerifier([]string{whSecret})
	require.NoError(t, err)
	h, err := webhook.NewHandler(v)
	require.NoError(t, err)
	h.OnMeetingCreated(func(_ context.Context, _ *webhook.Event, p *webhook.MeetingCreatedPayload) error {
		mu.Lock()
		defer mu.Unlock()
		created = append(created, p.Object.Topic)
		return nil
	})
	receiver := httptest.NewServer(h)
	defer receiver.Close()

	seed := filepath.Join(t.TempDir(), "seed.json")
	require.NoError(t, os.WriteFile(seed, []byte(`{
		"client_id": "seeded-app", "client_secret": "seeded-secret", "account_id": "acct-seeded",
		"users": [{"email": "ada@example.com", "first_name": "Ada", "type": 2, "role_id": "1"},
		          {"email": "bo@example.com", "first_name": "Bo"}],
		"licenses": 3,
		"accounts": [{"id": "acct-other", "owner_email": "owner@other.example",
		              "users": [{"email": "cy@other.example"}]}],
		"webhooks": [{"url": "`+receiver.URL+`", "secret": "`+whSecret+`", "events": ["meeting.created"]}]
	}`), 0o600))
	base := startFake(t, "-seed", seed)

	// The user connects Zoom: authorization code with PKCE, then a token.
	cfg := &oauth.Config{
		ClientID: "seeded-app", ClientSecret: "seeded-secret",
		RedirectURL: "http://127.0.0.1:9/zoom/callback",
		Endpoint:    oauth.Endpoint{AuthURL: base + "/oauth/authorize", TokenURL: base + "/oauth/token", RevokeURL: base + "/oauth/revoke"},
		APIBaseURL:  base + "/v2",
	}
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	// The app is admin-managed (it holds admin scopes): a member is refused.
	require.Equal(t, http.StatusNoContent, control(t, base, "authorizing-user", map[string]string{"user": "bo@example.com"}, nil))
	ar, err := cfg.NewAuthRequest()
	require.NoError(t, err)
	resp, err := noFollow.Get(ar.URL)
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusForbidden, resp.StatusCode)
	// The admin installs it.
	require.Equal(t, http.StatusNoContent, control(t, base, "authorizing-user", map[string]string{"user": "ada@example.com"}, nil))
	ar, err = cfg.NewAuthRequest()
	require.NoError(t, err)
	resp, err = noFollow.Get(ar.URL)
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusFound, resp.StatusCode)
	loc, err := url.Parse(resp.Header.Get("Location"))
	require.NoError(t, err)
	require.Equal(t, ar.State, loc.Query().Get("state"))
	ctx := t.Context()
	tok, err := cfg.Exchange(ctx, loc.Query().Get("code"), ar.Verifier)
	require.NoError(t, err)
	me, err := cfg.Me(ctx, tok.AccessToken)
	require.NoError(t, err)
	assert.Equal(t, "ada@example.com", me.Email)

	store := tokenstore.NewMemory()
	require.NoError(t, store.Put(ctx, "ada", tok))
	ts, err := cfg.TokenSource(store, "ada")
	require.NoError(t, err)
	client, err := zoom.NewClient(zoom.WithBaseURL(base+"/v2"), zoom.WithTokenSource(ts))
	require.NoError(t, err)
	m, _, err := client.Meetings.Create(ctx, "me", &zoom.CreateMeetingRequest{Topic: "Standalone sync", Type: zoom.MeetingTypeInstant})
	require.NoError(t, err)
	mu.Lock()
	assert.Equal(t, []string{"Standalone sync"}, created, "meeting.created delivered and verified")
	mu.Unlock()

	// The live meeting, driven by the control endpoints.
	id := m.ID
	path := "meetings/" + id.String() + "/"
	require.Equal(t, http.StatusOK, control(t, base, path+"start", nil, nil))
	var joined struct {
		ParticipantID string `json:"participant_id"`
	}
	require.Equal(t, http.StatusOK, control(t, base, path+"join", map[string]string{"name": "Guest"}, &joined))
	require.NotEmpty(t, joined.ParticipantID)
	// Zoom lists no participants for a meeting attended by one person.
	require.Equal(t, http.StatusOK, control(t, base, path+"join", map[string]string{"name": "Ada", "email": "ada@example.com"}, nil))
	var moved struct {
		Now string `json:"now"`
	}
	require.Equal(t, http.StatusOK, control(t, base, "clock/advance", map[string]string{"duration": "40m"}, &moved))
	now, err := time.Parse(time.RFC3339, moved.Now)
	require.NoError(t, err)
	assert.WithinDuration(t, time.Now().Add(40*time.Minute), now, 5*time.Minute)
	require.Equal(t, http.StatusNoContent, control(t, base, path+"leave", map[string]string{"participant_id": joined.ParticipantID}, nil))
	require.Equal(t, http.StatusNoContent, control(t, base, path+"end", nil, nil))
	// Zoom's past data may take a while after the meeting ends.
	require.Equal(t, http.StatusOK, control(t, base, "clock/advance", map[string]string{"duration": "31m"}, nil))
	instances, _, err := client.Meetings.ListPastInstances(ctx, id)
	require.NoError(t, err)
	require.Len(t, instances.Meetings, 1)
	parts, _, err := client.Meetings.ListPastParticipants(ctx, zoom.InstanceID(instances.Meetings[0].UUID), nil)
	require.NoError(t, err)
	require.Len(t, parts.Participants, 2)
	assert.Equal(t, "Guest", parts.Participants[0].Name)
	assert.GreaterOrEqual(t, int(parts.Participants[0].Duration), 40*60-60, "the stay follows the moved clock")

	// A fault injected over HTTP reaches the client.
	require.Equal(t, http.StatusNoContent, control(t, base, "faults", map[string]any{"operation": "meeting", "count": 1, "status": 404}, nil))
	_, _, err = client.Meetings.Get(ctx, id, nil)
	var apiErr *zoom.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 404, apiErr.StatusCode)

	// The console and the state list what happened, without secrets.
	var st struct {
		AccountID string `json:"account_id"`
		Accounts  []struct {
			ID    string `json:"id"`
			Users []struct {
				Email string `json:"email"`
			} `json:"users"`
		} `json:"accounts"`
		Users []struct {
			Email string `json:"email"`
		} `json:"users"`
		Meetings []struct {
			Topic string `json:"topic"`
		} `json:"meetings"`
		Grants []struct {
			Live bool `json:"live"`
		} `json:"grants"`
		Deliveries []struct {
			Event  string `json:"event"`
			Status int    `json:"status"`
		} `json:"deliveries"`
	}
	stResp, err := http.Get(base + zoomtest.ControlPrefix + "state")
	require.NoError(t, err)
	require.NoError(t, json.NewDecoder(stResp.Body).Decode(&st))
	stResp.Body.Close()
	assert.Equal(t, "acct-seeded", st.AccountID)
	require.Len(t, st.Accounts, 2, "the seeded second account")
	assert.Equal(t, "acct-other", st.Accounts[1].ID)
	assert.Len(t, st.Accounts[1].Users, 2, "its owner and its user")
	assert.Len(t, st.Users, 3)
	require.Len(t, st.Meetings, 1)
	assert.Equal(t, "Standalone sync", st.Meetings[0].Topic)
	require.NotEmpty(t, st.Grants)
	assert.True(t, st.Grants[0].Live)
	require.NotEmpty(t, st.Deliveries)
	assert.Equal(t, "meeting.created", st.Deliveries[0].Event)

	page, err := http.Get(base + zoomtest.ControlPrefix)
	require.NoError(t, err)
	html, err := io.ReadAll(page.Body)
	page.Body.Close()
	require.NoError(t, err)
	assert.Contains(t, string(html), "Standalone sync")
	assert.Contains(t, string(html), "ada@example.com")
	assert.Contains(t, string(html), "cy@other.example")
	for _, secret := range []string{tok.AccessToken, tok.RefreshToken, "seeded-secret", whSecret} {
		assert.NotContains(t, string(html), secret)
	}
}

// lockedBuffer collects the child's stderr, written by os/exec's goroutine.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func TestBadFlags(t *testing.T) {
	var out bytes.Buffer
	assert.Error(t, run(t.Context(), []string{"-rate-limits", "gold"}, &out))
	assert.Error(t, run(t.Context(), []string{"-client-id", "only-id"}, &out))
	assert.Error(t, run(t.Context(), []string{"-seed", filepath.Join(t.TempDir(), "missing.json")}, &out))
	assert.Error(t, run(t.Context(), []string{"stray"}, &out))
	assert.Error(t, run(t.Context(), []string{"-app-kind", "super"}, &out))
}
