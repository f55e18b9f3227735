package exkit

import (
	"bytes"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zoomkit/zoomkit/oauth"
	"github.com/zoomkit/zoomkit/zoom/zoomtest"
)

func TestParseFlags(t *testing.T) {
	t.Setenv("ZOOM_CLIENT_ID", "")
	c, err := ParseFlags("demo", []string{"-addr", "127.0.0.1:9999", "-serve"}, &bytes.Buffer{})
	if err != nil || !c.Serve || c.Addr != "127.0.0.1:9999" || c.Real() {
		t.Fatalf("%+v %v", c, err)
	}
	if _, err := ParseFlags("demo", []string{"-client-id", "x"}, &bytes.Buffer{}); err == nil {
		t.Fatal("client id without secret accepted")
	}
	t.Setenv("ZOOM_CLIENT_ID", "id")
	t.Setenv("ZOOM_CLIENT_SECRET", "s")
	t.Setenv("ZOOM_WEBHOOK_SECRET", "w")
	if _, err := ParseFlags("demo", nil, &bytes.Buffer{}); err == nil {
		t.Fatal("real Zoom without -serve accepted")
	}
	if c, err := ParseFlags("demo", []string{"-serve"}, &bytes.Buffer{}); err != nil || !c.Real() {
		t.Fatalf("%+v %v", c, err)
	}
	if _, err := ParseFlags("demo", []string{"stray"}, &bytes.Buffer{}); err == nil {
		t.Fatal("stray argument accepted")
	}
}

func TestOfflineConnectRoundTrip(t *testing.T) {
	ctx := t.Context()
	var out bytes.Buffer
	// A -data folder that does not exist yet is created.
	dir := filepath.Join(t.TempDir(), "new", "data")
	env, err := Open(ctx, Config{Name: "demo", DataDir: dir}, &out, zoomtest.WithOwner("owner@acme.example"))
	if err != nil {
		t.Fatal(err)
	}
	defer env.Close()

	var connected oauth.Connection
	h, err := env.OAuth.Handlers(env.Tokens, oauth.WithOnConnected(func(w http.ResponseWriter, r *http.Request, c oauth.Connection) {
		connected = c
		http.Redirect(w, r, "/", http.StatusSeeOther)
	}))
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle(ConnectPath, h.Connect())
	mux.Handle(CallbackPath, h.Callback())
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("home")) })
	env.Start(mux)

	status, body, err := NewBrowser().Get(ctx, env.BaseURL+ConnectPath)
	if err != nil || status != 200 || body != "home" {
		t.Fatalf("connect: %d %q %v", status, body, err)
	}
	if connected.Email != "owner@acme.example" || connected.UserID == "" {
		t.Fatalf("connected %+v", connected)
	}
	tok, err := env.Tokens.Get(ctx, connected.Key)
	if err != nil || tok.AccessToken == "" || tok.RefreshToken == "" {
		t.Fatalf("stored token: %v", err)
	}
	ts, err := env.OAuth.TokenSource(env.Tokens, connected.Key)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := env.NewClient(ts); err != nil {
		t.Fatal(err)
	}
	if v, err := env.Verifier(); err != nil || v == nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(env.BaseURL, "http://127.0.0.1:") {
		t.Fatalf("BaseURL %q", env.BaseURL)
	}
}
