package exkit

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/zoomkit/zoomkit/internal/servicetest"
	"github.com/zoomkit/zoomkit/internal/servicetest/pgtest"
	"github.com/zoomkit/zoomkit/oauth"
	"github.com/zoomkit/zoomkit/webhook"
	"github.com/zoomkit/zoomkit/zoom"
	"github.com/zoomkit/zoomkit/zoom/zoomtest"
)

func TestParseFlags(t *testing.T) {
	t.Setenv("ZOOM_CLIENT_ID", "")
	c, err := ParseFlags("demo", []string{"-addr", "127.0.0.1:9999", "-serve"}, &bytes.Buffer{})
	require.NoError(t, err, "%+v %v", c, err)
	require.True(t, c.Serve, "%+v %v", c, err)
	require.Equal(t, "127.0.0.1:9999", c.Addr, "%+v %v", c, err)
	require.False(t, c.Real(), "%+v %v", c, err)
	_, err = ParseFlags("demo", []string{"-client-id", "x"}, &bytes.Buffer{})
	require.Error(t, err, "client id without secret accepted")
	t.Setenv("ZOOM_CLIENT_ID", "id")
	t.Setenv("ZOOM_CLIENT_SECRET", "s")
	t.Setenv("ZOOM_WEBHOOK_SECRET", "w")
	_, err = ParseFlags("demo", nil, &bytes.Buffer{})
	require.Error(t, err, "real Zoom without -serve accepted")
	c, err = ParseFlags("demo", []string{"-serve"}, &bytes.Buffer{})
	require.NoError(t, err, "%+v %v", c, err)
	require.True(t, c.Real(), "%+v %v", c, err)
	_, err = ParseFlags("demo", []string{"stray"}, &bytes.Buffer{})
	require.Error(t, err, "stray argument accepted")
}

func TestOfflineConnectRoundTrip(t *testing.T) {
	ctx := t.Context()
	var out bytes.Buffer
	// A -data folder that does not exist yet is created.
	dir := filepath.Join(t.TempDir(), "new", "data")
	env, err := Open(ctx, Config{Name: "demo", DataDir: dir}, &out, zoomtest.WithOwner("owner@acme.example"))
	require.NoError(t, err)
	defer env.Close()

	var connected oauth.Connection
	h, err := env.OAuth.Handlers(env.Tokens, oauth.WithOnConnected(func(w http.ResponseWriter, r *http.Request, c oauth.Connection) {
		connected = c
		http.Redirect(w, r, "/", http.StatusSeeOther)
	}))
	require.NoError(t, err)
	mux := http.NewServeMux()
	mux.Handle(ConnectPath, h.Connect())
	mux.Handle(CallbackPath, h.Callback())
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("home")) })
	env.Start(mux)

	status, body, err := NewBrowser().Get(ctx, env.BaseURL+ConnectPath)
	require.NoError(t, err, "connect: %d %q %v", status, body, err)
	require.Equal(t, 200, status, "connect: %d %q %v", status, body, err)
	require.Equal(t, "home", body, "connect: %d %q %v", status, body, err)
	require.Equal(t, "owner@acme.example", connected.Email, "connected %+v", connected)
	require.NotZero(t, connected.UserID, "connected %+v", connected)
	tok, err := env.Tokens.Get(ctx, connected.Key)
	require.NoError(t, err, "stored token: %v", err)
	require.NotZero(t, tok.AccessToken, "stored token: %v", err)
	require.NotZero(t, tok.RefreshToken, "stored token: %v", err)
	ts, err := env.OAuth.TokenSource(env.Tokens, connected.Key)
	require.NoError(t, err)
	_, err = env.NewClient(ts)
	require.NoError(t, err)
	if v, err := env.Verifier(); err != nil || v == nil {
		t.Fatal(err)
	}
	require.True(t, strings.HasPrefix(env.BaseURL, "http://127.0.0.1:"), "BaseURL %q", env.BaseURL)
}

// With Cfg.Clock the fake, the outbox and the webhook verifier all follow
// the flow's time: a webhook the fake signs three hours "ahead" verifies.
func TestOpenSharesTheFlowClock(t *testing.T) {
	ctx := t.Context()
	clock := NewClock(time.Now().Add(3 * time.Hour).Truncate(time.Second))
	env, err := Open(ctx, Config{Name: "demo", DataDir: t.TempDir(), Clock: clock}, &bytes.Buffer{})
	require.NoError(t, err)
	defer env.Close()
	v, err := env.Verifier()
	require.NoError(t, err)
	h, err := webhook.NewHandler(v)
	require.NoError(t, err)
	var created int
	h.OnMeetingCreated(func(context.Context, *webhook.Event, *webhook.MeetingCreatedPayload) error {
		created++
		return nil
	})
	mux := http.NewServeMux()
	mux.Handle(WebhookPath, h)
	env.Start(mux)
	_, _, err = env.Fake.Client("me").Meetings.Create(ctx, "me", &zoom.CreateMeetingRequest{Topic: "t", Type: zoom.MeetingTypeScheduled})
	require.NoError(t, err)
	ds := env.Fake.Deliveries()
	if len(ds) != 1 || ds[0].Status != http.StatusOK || created != 1 {
		status := 0
		if len(ds) > 0 {
			status = ds[0].Status
		}
		t.Fatalf("%d deliveries, the first answered %d, %d handled: the verifier does not follow the flow clock", len(ds), status, created)
	}
	if !ds[0].Time.Equal(clock.Now()) {
		t.Fatalf("the fake signed at %v, want the flow clock's %v", ds[0].Time, clock.Now())
	}
	got := env.Mail.Now()
	require.True(t, got.Equal(clock.Now()), "the outbox stamps %v, want %v", got, clock.Now())
}

// Zoom's last retry comes 85 minutes after the first attempt, perhaps
// with the first attempt's timestamp: the examples' verifiers accept it.
func TestVerifierKeepsZoomsRetries(t *testing.T) {
	clk := NewClock(time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC))
	env := &Env{Cfg: Config{Clock: clk}, WebhookSecret: "s3cret"}
	v, err := env.Verifier()
	require.NoError(t, err)
	h, err := webhook.NewHandler(v)
	require.NoError(t, err)
	handled := 0
	h.OnMeetingCreated(func(context.Context, *webhook.Event, *webhook.MeetingCreatedPayload) error {
		handled++
		return nil
	})
	deliver := func(body []byte, signedAt time.Time) int {
		req, err := webhook.NewSignedRequest(t.Context(), "s3cret", "http://app.invalid/zoom/webhook", body, signedAt)
		require.NoError(t, err)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec.Code
	}
	first := clk.Now()
	late := []byte(`{"event":"meeting.created","event_ts":1773133200000,"payload":{"object":{"id":1,"topic":"late"}}}`)
	clk.Advance(85 * time.Minute)
	code := deliver(late, first)
	assert.Equal(t, 200, code, "the retry at +85 minutes with the first timestamp: %d, handled %d", code, handled)
	assert.Equal(t, 1, handled, "the retry at +85 minutes with the first timestamp: %d, handled %d", code, handled)
	stale := []byte(`{"event":"meeting.created","event_ts":1773133200001,"payload":{"object":{"id":2,"topic":"stale"}}}`)
	clk.Advance(webhook.DefaultTimestampWindow)
	if code := deliver(stale, first); code == 200 || handled != 1 {
		t.Errorf("a timestamp older than the window was accepted: %d", code)
	}
}

// With -db postgres://... and no search_path, an example keeps its tables
// in a schema of its own, so two examples never share a table.
func TestPostgresSchemaPerExample(t *testing.T) {
	admin := pgtest.Open(t)
	name := servicetest.UniqueName("exkit-test-")
	schema := "zoomkit_" + strings.ReplaceAll(name, "-", "_")
	t.Cleanup(func() { _, _ = admin.ExecContext(context.Background(), `DROP SCHEMA IF EXISTS "`+schema+`" CASCADE`) })
	db, dsn, err := openDB(t.Context(), servicetest.PostgresDSN(t), t.TempDir(), name)
	require.NoError(t, err)
	defer db.Close()
	_, err = db.ExecContext(t.Context(), "CREATE TABLE probe (id int)")
	require.NoError(t, err)
	var n int
	if err := admin.QueryRowContext(t.Context(),
		"SELECT count(*) FROM information_schema.tables WHERE table_schema = $1 AND table_name = 'probe'", schema).Scan(&n); err != nil || n != 1 {
		t.Fatalf("the table is not in schema %s: %d, %v", schema, n, err)
	}
	// A replica's own connection pool reaches the same schema.
	e := &Env{Cfg: Config{Name: name}, pgDSN: dsn}
	require.True(t, e.Postgres())
	replica, err := e.OpenReplicaDB(t.Context())
	require.NoError(t, err)
	defer replica.Close()
	require.NoError(t, replica.QueryRowContext(t.Context(), "SELECT count(*) FROM probe").Scan(&n))
	require.Zero(t, n)
}

// On SQLite there is no replica connection: the file belongs to one
// process. Close runs the OnClose functions, latest first, before it
// closes the database.
func TestOnCloseAndReplicaOnSQLite(t *testing.T) {
	env, err := Open(t.Context(), Config{Name: "exkit-test", DataDir: t.TempDir()}, io.Discard)
	require.NoError(t, err)
	require.False(t, env.Postgres())
	_, err = env.OpenReplicaDB(t.Context())
	require.ErrorContains(t, err, "PostgreSQL")
	var order []string
	env.OnClose(func() { order = append(order, "first") })
	env.OnClose(func() {
		order = append(order, "second")
		require.NoError(t, env.DB.PingContext(context.Background()), "the database is still open")
	})
	env.Close()
	require.Equal(t, []string{"second", "first"}, order)
}

// An offline run removes the temporary data folder Open made; a folder
// named by -data is kept.
func TestTemporaryDataFolderRemoved(t *testing.T) {
	var out strings.Builder
	env, err := Open(t.Context(), Config{Name: "exkit-test"}, &out)
	require.NoError(t, err)
	dir := env.Cfg.DataDir
	_, err = os.Stat(dir)
	require.NoError(t, err, "the data folder was not made")
	env.Close()
	_, err = os.Stat(dir)
	assert.True(t, os.IsNotExist(err), "the temporary data folder %s is still there (%v)", dir, err)
	assert.Contains(t, out.String(), "-data DIR", "the transcript does not say how to keep the folder:\n%s", out.String())

	kept := t.TempDir()
	env, err = Open(t.Context(), Config{Name: "exkit-test", DataDir: kept}, io.Discard)
	require.NoError(t, err)
	env.Close()
	_, err = os.Stat(filepath.Join(kept, "app.db"))
	assert.NoError(t, err, "the -data folder lost its database")
}
