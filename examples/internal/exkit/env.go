package exkit

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"html"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/zoomkit/zoomkit/oauth"
	"github.com/zoomkit/zoomkit/tokenstore/sqlstore"
	"github.com/zoomkit/zoomkit/tokenstore/sqlstore/sqlite"
	"github.com/zoomkit/zoomkit/webhook"
	"github.com/zoomkit/zoomkit/zoom"
	"github.com/zoomkit/zoomkit/zoom/zoomtest"
	"golang.org/x/oauth2"
)

// Paths every example app serves.
const (
	ConnectPath  = "/zoom/connect"
	CallbackPath = "/zoom/callback"
	WebhookPath  = "/zoom/webhook"
)

// Config is what every example reads from its flags, with environment
// variables as fallbacks. With no client id the example runs against the
// embedded fake Zoom.
type Config struct {
	Name string // the example's name

	Serve   bool   // -serve: run as a web app instead of the scripted flow
	Addr    string // -addr: where -serve listens
	DataDir string // -data: outbox and SQLite file (default: a new temporary folder)
	DSN     string // -db / ZOOMKIT_DB: SQLite file path or postgres:// DSN

	// Real Zoom (an app from Zoom's Marketplace).
	ClientID          string // -client-id / ZOOM_CLIENT_ID
	ClientSecret      string // -client-secret / ZOOM_CLIENT_SECRET
	RedirectURL       string // -redirect-url / ZOOM_REDIRECT_URL (default http://ADDR/zoom/callback)
	WebhookSecret     string // -webhook-secret / ZOOM_WEBHOOK_SECRET
	VerificationToken string // -verification-token / ZOOM_VERIFICATION_TOKEN (legacy apps)
	AccountID         string // -account-id / ZOOM_ACCOUNT_ID (server-to-server apps)

	// Clock, when set, is the time of a scripted flow (not a flag). Open
	// gives it to the fake Zoom and the outbox, and Verifier to the webhook
	// verifier, so that a flow moving it keeps all of them in step; the
	// example still hands it to its token sources and OAuth handlers
	// (oauth.WithClock, oauth.WithHandlerClock).
	Clock TimeSource
}

// Real reports whether the example talks to real Zoom.
func (c *Config) Real() bool { return c.ClientID != "" }

// ParseFlags parses args (os.Args[1:]) into a Config for the example name.
func ParseFlags(name string, args []string, stderr io.Writer) (*Config, error) {
	c := &Config{Name: name}
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	env := func(k string) string { return os.Getenv(k) }
	fs.BoolVar(&c.Serve, "serve", false, "run as a web app on -addr instead of the scripted offline flow")
	fs.StringVar(&c.Addr, "addr", "127.0.0.1:8080", "listen address for -serve")
	fs.StringVar(&c.DataDir, "data", "", "folder for the outbox and the SQLite database (default: a new temporary folder)")
	fs.StringVar(&c.DSN, "db", env("ZOOMKIT_DB"), "token and app database: a SQLite file or a postgres:// DSN (env ZOOMKIT_DB)")
	fs.StringVar(&c.ClientID, "client-id", env("ZOOM_CLIENT_ID"), "Zoom app client id; set it to use real Zoom (env ZOOM_CLIENT_ID)")
	fs.StringVar(&c.ClientSecret, "client-secret", env("ZOOM_CLIENT_SECRET"), "Zoom app client secret (env ZOOM_CLIENT_SECRET)")
	fs.StringVar(&c.RedirectURL, "redirect-url", env("ZOOM_REDIRECT_URL"), "OAuth redirect URL registered with Zoom (env ZOOM_REDIRECT_URL)")
	fs.StringVar(&c.WebhookSecret, "webhook-secret", env("ZOOM_WEBHOOK_SECRET"), "the app's webhook Secret Token (env ZOOM_WEBHOOK_SECRET)")
	fs.StringVar(&c.VerificationToken, "verification-token", env("ZOOM_VERIFICATION_TOKEN"), "legacy webhook verification token, if the app still uses one (env ZOOM_VERIFICATION_TOKEN)")
	fs.StringVar(&c.AccountID, "account-id", env("ZOOM_ACCOUNT_ID"), "account id, for server-to-server apps (env ZOOM_ACCOUNT_ID)")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("%s: unexpected arguments %q", name, fs.Args())
	}
	if c.Real() && (c.ClientSecret == "" || c.WebhookSecret == "") {
		return nil, fmt.Errorf("%s: with a client id, -client-secret and -webhook-secret are required too", name)
	}
	if c.Real() && !c.Serve {
		return nil, fmt.Errorf("%s: against real Zoom the example runs as a web app: add -serve", name)
	}
	return c, nil
}

// Env is an example's wiring: Zoom (the embedded fake, or real Zoom), the
// OAuth app, the token store, webhook dedup, the outbox and the app's
// listener.
type Env struct {
	Cfg Config
	// Fake is the embedded fake Zoom; nil against real Zoom.
	Fake *zoomtest.Server
	// BaseURL is the app's own URL (http://127.0.0.1:PORT).
	BaseURL string
	// OAuth is the Zoom OAuth app, pointed at the fake or at Zoom.
	OAuth *oauth.Config
	// DB holds the tokens, the webhook dedup table and the app's records.
	DB     *sql.DB
	Tokens *sqlstore.Store
	Dedup  *sqlstore.Deduper
	Mail   *OutboxMailer
	Log    *Transcript
	// WebhookSecret is the app's webhook Secret Token (random offline).
	WebhookSecret string

	ln  net.Listener
	srv *http.Server
	// pgDSN is the resolved PostgreSQL DSN (with the example's
	// search_path), "" on SQLite.
	pgDSN string
	// closers run at Close, before the database is closed.
	closers []func()
	// tempData: Open made DataDir, a temporary folder removed by Close
	// after a scripted run.
	tempData bool
}

// Open builds the Env. The app's listener is open when Open returns (so
// the OAuth redirect URL and the webhook URL are known); start serving
// with Start or Serve. fakeOpts configure the embedded fake Zoom.
func Open(ctx context.Context, cfg Config, out io.Writer, fakeOpts ...zoomtest.Option) (_ *Env, err error) {
	e := &Env{Cfg: cfg, Log: NewTranscript(out)}
	defer func() {
		if err != nil {
			e.Close()
		}
	}()
	if e.Cfg.DataDir == "" {
		if e.Cfg.DataDir, err = os.MkdirTemp("", "zoomkit-"+cfg.Name+"-"); err != nil {
			return nil, err
		}
		e.tempData = true
	} else if err = os.MkdirAll(e.Cfg.DataDir, 0o755); err != nil {
		return nil, fmt.Errorf("creating the data folder: %w", err)
	}
	addr := "127.0.0.1:0"
	if cfg.Serve {
		addr = cfg.Addr
	}
	if e.ln, err = net.Listen("tcp", addr); err != nil {
		return nil, fmt.Errorf("listening on %s: %w", addr, err)
	}
	e.BaseURL = "http://" + e.ln.Addr().String()

	if cfg.Real() {
		redirect := cfg.RedirectURL
		if redirect == "" {
			redirect = e.BaseURL + CallbackPath
		}
		e.OAuth = &oauth.Config{ClientID: cfg.ClientID, ClientSecret: cfg.ClientSecret, RedirectURL: redirect}
		e.WebhookSecret = cfg.WebhookSecret
	} else {
		e.WebhookSecret = randomHex(16)
		opts := []zoomtest.Option{
			zoomtest.WithRedirectURLs(e.BaseURL + CallbackPath),
			zoomtest.WithAutoApprove(!cfg.Serve),
		}
		if cfg.Clock != nil {
			opts = append(opts, zoomtest.WithClock(cfg.Clock.Now))
		}
		opts = append(opts, fakeOpts...)
		if e.Fake, err = zoomtest.NewServer(opts...); err != nil {
			return nil, fmt.Errorf("starting the fake Zoom: %w", err)
		}
		if err = e.Fake.Subscribe(e.BaseURL+WebhookPath, e.WebhookSecret); err != nil {
			return nil, err
		}
		e.OAuth = &oauth.Config{
			ClientID:     e.Fake.ClientID(),
			ClientSecret: e.Fake.ClientSecret(),
			RedirectURL:  e.BaseURL + CallbackPath,
			Endpoint:     oauth.Endpoint{AuthURL: e.Fake.AuthURL(), TokenURL: e.Fake.TokenURL(), RevokeURL: e.Fake.RevokeURL()},
			APIBaseURL:   e.Fake.APIURL(),
		}
	}

	if e.DB, e.pgDSN, err = openDB(ctx, e.Cfg.DSN, e.Cfg.DataDir, cfg.Name); err != nil {
		return nil, err
	}
	if e.Tokens, err = sqlstore.New(e.DB); err != nil {
		return nil, err
	}
	if e.Dedup, err = sqlstore.NewDeduper(e.DB); err != nil {
		return nil, err
	}
	if err = e.Tokens.Migrate(ctx); err != nil {
		return nil, err
	}
	if err = e.Dedup.Migrate(ctx); err != nil {
		return nil, err
	}
	if e.Mail, err = NewOutboxMailer(filepath.Join(e.Cfg.DataDir, "outbox"), cfg.Name+" <noreply@"+cfg.Name+".example>"); err != nil {
		return nil, err
	}
	if cfg.Clock != nil {
		e.Mail.Now = cfg.Clock.Now
	}
	return e, nil
}

// openDB opens the app's database: SQLite in dir by default, or PostgreSQL
// for a postgres:// DSN. On PostgreSQL each example keeps its tables in a
// schema of its own, zoomkit_<name> (created if missing), unless the DSN
// names a search_path. pgDSN is the PostgreSQL DSN it opened, with that
// search_path ("" on SQLite).
func openDB(ctx context.Context, dsn, dir, name string) (db *sql.DB, pgDSN string, err error) {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		u, err := url.Parse(dsn)
		if err != nil {
			return nil, "", errors.New("-db: not a valid postgres:// URL")
		}
		if q := u.Query(); q.Get("search_path") == "" {
			schema := "zoomkit_" + strings.Map(func(r rune) rune {
				if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
					return r
				}
				return '_'
			}, strings.ToLower(name))
			admin, err := openPostgres(dsn, name)
			if err != nil {
				return nil, "", err
			}
			_, err = admin.ExecContext(ctx, `CREATE SCHEMA IF NOT EXISTS "`+schema+`"`)
			_ = admin.Close()
			if err != nil {
				return nil, "", fmt.Errorf("creating the schema %s: %w", schema, err)
			}
			q.Set("search_path", schema)
			u.RawQuery = q.Encode()
			dsn = u.String()
		}
		db, err := openPostgres(dsn, name)
		if err != nil {
			return nil, "", err
		}
		return db, dsn, db.PingContext(ctx)
	}
	if dsn == "" {
		dsn = filepath.Join(dir, "app.db")
	}
	db, err = sqlite.Open(dsn)
	return db, "", err
}

// postgresDriver is the database/sql driver a postgres:// DSN is opened
// with: pgx, linked by tokenstore/sqlstore/postgres. The examples import it
// only in builds with -tags postgres (pgdriver.go), so that a run on SQLite
// does not compile a PostgreSQL driver it never uses; test binaries that
// talk to PostgreSQL link it themselves (internal/servicetest/pgtest).
const postgresDriver = "pgx"

// openPostgres opens dsn with [postgresDriver], or says how to build the
// example with it.
func openPostgres(dsn, name string) (*sql.DB, error) {
	if !slices.Contains(sql.Drivers(), postgresDriver) {
		return nil, fmt.Errorf("-db: this build has no PostgreSQL driver; run the example with the postgres tag: go run -tags postgres ./examples/%s -db postgres://USER@HOST/DB", name)
	}
	return sql.Open(postgresDriver, dsn)
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// Postgres reports whether the app's database is PostgreSQL (-db
// postgres://...).
func (e *Env) Postgres() bool { return e.pgDSN != "" }

// OpenReplicaDB opens another connection pool to the app's PostgreSQL
// database (same DSN, same schema), as another replica of the app, in its
// own process, would. The caller closes it. On SQLite it fails: a SQLite
// file belongs to one process.
func (e *Env) OpenReplicaDB(ctx context.Context) (*sql.DB, error) {
	if e.pgDSN == "" {
		return nil, errors.New("replica connections need PostgreSQL (-db postgres://...)")
	}
	db, err := openPostgres(e.pgDSN, e.Cfg.Name)
	if err != nil {
		return nil, err
	}
	if err := db.PingContext(ctx); err != nil {
		_ = db.Close()
		return nil, err
	}
	return db, nil
}

// OnClose registers f to run at Close, after the app's server stopped and
// before the fake Zoom and the database are closed (latest registered
// first): background work of the app, such as webhook workers, stops
// there.
func (e *Env) OnClose(f func()) { e.closers = append(e.closers, f) }

// Verifier returns the webhook verifier for the app's secret (and the
// legacy verification token, when configured), on Cfg.Clock when set: the
// fake signs its deliveries with that clock's time. The examples' handlers
// (webhook.NewHandler) accept Zoom's late retries with their default
// timestamp window, backed by their dedup.
func (e *Env) Verifier(opts ...webhook.Option) (*webhook.Verifier, error) {
	if e.Cfg.Clock != nil {
		opts = append([]webhook.Option{webhook.WithClock(e.Cfg.Clock.Now)}, opts...)
	}
	if e.Cfg.VerificationToken != "" {
		opts = append(opts, webhook.WithLegacyToken(e.Cfg.VerificationToken))
	}
	return webhook.NewVerifier([]string{e.WebhookSecret}, opts...)
}

// NewClient returns a zoom.Client using ts, pointed at the fake offline.
func (e *Env) NewClient(ts oauth2.TokenSource, opts ...zoom.Option) (*zoom.Client, error) {
	base := []zoom.Option{zoom.WithTokenSource(ts)}
	if e.Fake != nil {
		base = append(base, zoom.WithBaseURL(e.Fake.APIURL()))
	}
	return zoom.NewClient(append(base, opts...)...)
}

// Start serves h on the app's listener in the background (the scripted
// flow, and tests), behind [Protect] and [StyledNotFound], with the shared
// stylesheet at [StylesheetPath].
func (e *Env) Start(h http.Handler) {
	e.startHandler(ServeStylesheet(StyledNotFound(e.Cfg.Name, Protect(h))))
}

func (e *Env) startHandler(h http.Handler) {
	e.srv = &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = e.srv.Serve(e.ln) }()
}

// Protect refuses cross-site form posts and other cross-origin unsafe
// requests from browsers (Go's http.CrossOriginProtection: the
// Sec-Fetch-Site and Origin headers), the protection every example app
// shares. Zoom's webhook POSTs carry no browser headers and pass.
func Protect(h http.Handler) http.Handler {
	return http.NewCrossOriginProtection().Handler(h)
}

// StyledNotFound answers a browser's request for a page the app does not
// have (the mux's plain-text 404 or 405) with a page in the app's style
// that says so in a sentence and links back to the start. Other answers,
// and requests that do not ask for HTML (Zoom's webhooks, API clients),
// pass unchanged.
func StyledNotFound(app string, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.Contains(r.Header.Get("Accept"), "text/html") {
			h.ServeHTTP(w, r)
			return
		}
		h.ServeHTTP(&notFoundWriter{ResponseWriter: w, app: app, method: r.Method}, r)
	})
}

// notFoundWriter replaces a plain-text 404 or 405 with the styled page.
type notFoundWriter struct {
	http.ResponseWriter
	app      string
	method   string
	replaced bool
}

func (w *notFoundWriter) WriteHeader(code int) {
	if (code == http.StatusNotFound || code == http.StatusMethodNotAllowed) &&
		strings.HasPrefix(w.Header().Get("Content-Type"), "text/plain") {
		w.replaced = true
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Del("Content-Length")
		w.Header().Del("X-Content-Type-Options")
		w.ResponseWriter.WriteHeader(code)
		msg := "There is no page at this address."
		if code == http.StatusMethodNotAllowed {
			msg = "This page cannot be used that way (" + w.method + ")."
		}
		_, _ = fmt.Fprintf(w.ResponseWriter, notFoundPage, html.EscapeString(w.app), html.EscapeString(msg))
		return
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *notFoundWriter) Write(b []byte) (int, error) {
	if w.replaced {
		return len(b), nil // the plain-text body is replaced
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *notFoundWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

const notFoundPage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Not found · %[1]s</title>
<link rel="stylesheet" href="` + StylesheetPath + `"></head>
<body><header class="bar"><a class="brand" href="/">%[1]s</a></header>
<main><h1>Page not found</h1><p>%[2]s</p><p><a href="/">Back to %[1]s</a></p></main></body></html>
`

// LogRequests logs one line per request to l: method, path, status and
// duration (never the query, which may carry an OAuth code or state).
func LogRequests(l *slog.Logger, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		h.ServeHTTP(sw, r)
		l.LogAttrs(r.Context(), slog.LevelInfo, "request",
			slog.String("method", r.Method), slog.String("path", r.URL.Path),
			slog.Int("status", sw.status), slog.Duration("duration", time.Since(start)))
	})
}

// statusWriter remembers the status a handler wrote.
type statusWriter struct {
	http.ResponseWriter
	status int
	wrote  bool
}

func (w *statusWriter) WriteHeader(code int) {
	if !w.wrote {
		w.status, w.wrote = code, true
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	w.wrote = true
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// Serve serves h until ctx is done or the process is interrupted (-serve).
func (e *Env) Serve(ctx context.Context, h http.Handler) error {
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt)
	defer stop()
	e.startHandler(LogRequests(e.Logger(), ServeStylesheet(StyledNotFound(e.Cfg.Name, Protect(h)))))
	fmt.Fprintf(e.Log.w, "\n%s is serving on %s (Ctrl-C to stop)\n", e.Cfg.Name, e.BaseURL)
	if e.Fake != nil {
		fmt.Fprintf(e.Log.w, "the embedded fake Zoom is at %s\n", e.Fake.URL())
	}
	<-ctx.Done()
	return nil
}

// Close stops the app server and the fake and closes the database. After a
// scripted (offline) run, a data folder Open created is removed, saying so
// in the transcript; one named by -data is kept, and so is the folder of a
// -serve run.
func (e *Env) Close() {
	if e.srv != nil {
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		_ = e.srv.Shutdown(sctx)
		cancel()
	} else if e.ln != nil {
		_ = e.ln.Close()
	}
	for i := len(e.closers) - 1; i >= 0; i-- {
		e.closers[i]()
	}
	e.closers = nil
	if e.Fake != nil {
		e.Fake.Close()
	}
	if e.DB != nil {
		_ = e.DB.Close()
	}
	if e.tempData && !e.Cfg.Serve && e.Cfg.DataDir != "" {
		if err := os.RemoveAll(e.Cfg.DataDir); err == nil {
			e.Log.Note("the temporary data folder %s was removed; run with -data DIR to keep the outbox and database", e.Cfg.DataDir)
		}
		e.tempData = false
	}
}

// Browser is an HTTP client with a cookie jar: it drives the app's
// "Connect Zoom" round trip the way a browser does, following the
// redirects to Zoom's authorization page and back to the app's callback.
type Browser struct{ *http.Client }

// NewBrowser returns a Browser.
func NewBrowser() *Browser {
	jar, _ := cookiejar.New(nil)
	return &Browser{&http.Client{Jar: jar, Timeout: 30 * time.Second}}
}

// Get fetches url and returns the final status and body.
func (b *Browser) Get(ctx context.Context, url string) (int, string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return 0, "", err
	}
	resp, err := b.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	return resp.StatusCode, string(body), err
}

// ErrNotConnected is what example apps return when an action needs a
// Zoom connection that does not exist (never made, or removed).
var ErrNotConnected = errors.New("zoom is not connected")
