package main

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/zoomkit/zoomkit/examples/internal/exkit"
	"github.com/zoomkit/zoomkit/oauth"
	"github.com/zoomkit/zoomkit/webhook"
	"github.com/zoomkit/zoomkit/zoom"
)

// Scopes RoleUp asks for. A read-only connection asks for the read scopes
// only; read/write adds the write scopes.
var (
	readScopes  = []string{"user:read:admin", "group:read:admin", "role:read:admin"}
	writeScopes = []string{"user:write:admin", "group:write:admin", "role:write:admin"}
)

// modeCookie carries the access mode the admin chose from the Connect
// button to the OAuth callback.
const modeCookie = "roleup_mode"

// app is RoleUp: the access-management dashboard.
type app struct {
	env   *exkit.Env
	store *store
	mail  exkit.Mailer
	org   string
	log   *slog.Logger // the Go errors behind the sentences shown

	connectRW, connectRO *oauth.Handlers
	hooks                *webhook.Handler
	pages                *pages
	handler              http.Handler
	posts                []string // the paths of the POST routes

	mu      sync.Mutex
	sources map[string]*oauth.TokenSource
	clients map[string]*zoom.Client
}

// newApp builds RoleUp on env and creates its tables. org names the
// organisation in emails.
func newApp(ctx context.Context, env *exkit.Env, org string) (*app, error) {
	a := &app{
		env: env, store: &store{db: env.DB, now: time.Now}, mail: env.Mail, org: org, log: env.Logger(),
		sources: map[string]*oauth.TokenSource{}, clients: map[string]*zoom.Client{},
	}
	if err := a.store.migrate(ctx); err != nil {
		return nil, err
	}
	// Two Connect buttons, one callback: both handlers share the state
	// secret and the state store, so either one's Callback completes an
	// authorization the other started.
	secret := make([]byte, 32)
	_, _ = rand.Read(secret)
	states := oauth.NewMemoryStateStore()
	opts := []oauth.HandlerOption{
		oauth.WithStateSecret(secret),
		oauth.WithStateStore(states),
		oauth.WithTokenKey(func(_ *http.Request, userID string) (string, error) { return "roleup:zoom:" + userID, nil }),
		oauth.WithOnConnected(a.onConnected),
		oauth.WithOnError(func(w http.ResponseWriter, r *http.Request, err error) {
			msg := "Zoom could not complete the connection: start again with Connect Zoom."
			if errors.Is(err, oauth.ErrAuthorizationDenied) {
				msg = "The Zoom authorization was declined: RoleUp is not connected."
			}
			a.log.LogAttrs(r.Context(), slog.LevelWarn, "connect failed", slog.String("shown", msg), slog.String("error", err.Error()))
			a.pages.flash(w, false, msg)
			http.Redirect(w, r, "/", http.StatusSeeOther)
		}),
	}
	rw, ro := *env.OAuth, *env.OAuth
	rw.Scopes = append(slices.Clone(readScopes), writeScopes...)
	ro.Scopes = slices.Clone(readScopes)
	var err error
	if a.connectRW, err = rw.Handlers(env.Tokens, opts...); err != nil {
		return nil, err
	}
	if a.connectRO, err = ro.Handlers(env.Tokens, opts...); err != nil {
		return nil, err
	}
	if a.hooks, err = a.webhooks(); err != nil {
		return nil, err
	}
	if a.pages, err = newPages(a); err != nil {
		return nil, err
	}
	mux := &routes{ServeMux: http.NewServeMux()}
	mux.HandleFunc("GET "+exkit.ConnectPath, a.connect)
	mux.Handle("GET "+exkit.CallbackPath, a.connectRW.Callback())
	mux.Handle("POST "+exkit.WebhookPath, a.hooks)
	a.pages.routes(mux)
	a.posts = mux.posts
	// exkit serves the app behind its shared cross-site protection.
	a.handler = mux
	return a, nil
}

func (a *app) ServeHTTP(w http.ResponseWriter, r *http.Request) { a.handler.ServeHTTP(w, r) }

// connect starts "Connect Zoom" with the access mode the admin chose.
func (a *app) connect(w http.ResponseWriter, r *http.Request) {
	mode := r.URL.Query().Get("mode")
	if mode != modeReadOnly {
		mode = modeReadWrite
	}
	http.SetCookie(w, &http.Cookie{Name: modeCookie, Value: mode, Path: exkit.CallbackPath, MaxAge: 600,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: !strings.HasPrefix(a.env.OAuth.RedirectURL, "http://")})
	if mode == modeReadOnly {
		a.connectRO.Connect().ServeHTTP(w, r)
		return
	}
	a.connectRW.Connect().ServeHTTP(w, r)
}

// onConnected runs after Zoom's redirect, with the token saved: RoleUp
// keeps the connection only for an account owner or admin, then syncs.
func (a *app) onConnected(w http.ResponseWriter, r *http.Request, oc oauth.Connection) {
	ctx := r.Context()
	requested := modeReadWrite
	if ck, err := r.Cookie(modeCookie); err == nil && ck.Value == modeReadOnly {
		requested = modeReadOnly
	}
	http.SetCookie(w, &http.Cookie{Name: modeCookie, Path: exkit.CallbackPath, MaxAge: -1})
	c, err := a.completeConnection(ctx, oc, requested)
	if err != nil {
		a.pages.flash(w, false, a.failed(ctx, "connect Zoom", err).Error())
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return
	}
	msg := fmt.Sprintf("Connected to Zoom %s as %s.", c.Mode, c.Email)
	if res, err := a.Sync(ctx); err != nil {
		a.pages.flash(w, false, msg+" "+a.failed(ctx, "sync the users", err).Error())
	} else {
		a.pages.flash(w, true, msg+" Synced "+res.String()+".")
	}
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

// completeConnection checks the connecting user's role and records the
// connection; a member's grant is revoked and deleted at once.
func (a *app) completeConnection(ctx context.Context, oc oauth.Connection, requested string) (*Connection, error) {
	a.dropClient(oc.Key) // a new grant: forget the old one's cached token
	tok, err := a.env.Tokens.Get(ctx, oc.Key)
	if err != nil {
		return nil, err
	}
	cl, err := a.client(oc.Key)
	if err != nil {
		return nil, err
	}
	me, _, err := cl.Users.Get(ctx, "me", nil)
	if err != nil {
		return nil, err
	}
	if me.RoleID != "0" && me.RoleID != "1" {
		a.revokeGrant(ctx, oc.Key)
		if err := a.env.Tokens.Delete(ctx, oc.Key); err != nil {
			return nil, err
		}
		a.dropClient(oc.Key)
		role := me.RoleName
		if role == "" {
			role = "role " + me.RoleID
		}
		_ = a.store.audit(ctx, me.Email, "connect refused", "not an owner or admin ("+role+")")
		return nil, refuse(ErrNotAdmin, "%s is a %s in Zoom: only the account owner or an admin can connect RoleUp. Nothing was synced and the authorization was revoked.", me.Email, role)
	}
	// The mode is what the admin chose, narrowed to what Zoom granted: a
	// grant without any write scope (classic "user:write:admin" or a
	// granular ":write:" one) is read-only.
	granted := strings.Fields(tok.Scope)
	mode := requested
	if mode == modeReadWrite && len(granted) > 0 && !slices.ContainsFunc(granted, func(s string) bool { return strings.Contains(s, ":write") }) {
		mode = modeReadOnly
	}
	old, err := a.store.connection(ctx)
	if err != nil {
		return nil, err
	}
	c := &Connection{TokenKey: oc.Key, ZoomUserID: me.ID, Email: me.Email, AccountID: me.AccountID, RoleID: me.RoleID,
		Mode: mode, Scopes: tok.Scope, ConnectedAt: a.store.stamp()}
	if old != nil {
		c.SyncedAt = old.SyncedAt
	}
	if err := a.store.saveConnection(ctx, c); err != nil {
		return nil, err
	}
	if old != nil && old.TokenKey != oc.Key {
		// Another admin connected: end the previous admin's grant. The new
		// connection is saved first: revoking uninstalls RoleUp for the
		// previous admin, and the app_deauthorized Zoom sends for them
		// must not remove the new connection.
		a.revokeGrant(ctx, old.TokenKey)
		_ = a.env.Tokens.Delete(ctx, old.TokenKey)
		a.dropClient(old.TokenKey)
	}
	_ = a.store.audit(ctx, me.Email, "connect", fmt.Sprintf("connected %s (%s)", mode, me.RoleName))
	return c, nil
}

// tokenSource returns the (cached) token source of the grant under key.
func (a *app) tokenSource(key string) (*oauth.TokenSource, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if ts := a.sources[key]; ts != nil {
		return ts, nil
	}
	ts, err := a.env.OAuth.TokenSource(a.env.Tokens, key)
	if err != nil {
		return nil, err
	}
	a.sources[key] = ts
	return ts, nil
}

// client returns the (cached) Zoom client of the grant under key.
func (a *app) client(key string) (*zoom.Client, error) {
	ts, err := a.tokenSource(key)
	if err != nil {
		return nil, err
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if c := a.clients[key]; c != nil {
		return c, nil
	}
	c, err := a.env.NewClient(ts, zoom.WithUserAgent("RoleUp-example/1.0"))
	if err != nil {
		return nil, err
	}
	a.clients[key] = c
	return c, nil
}

func (a *app) dropClient(key string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	delete(a.clients, key)
	delete(a.sources, key)
}

// invitationAccepted is the payload of user.invitation_accepted, which
// package webhook has no type for.
type invitationAccepted struct {
	AccountID string `json:"account_id"`
	Object    struct {
		ID    string `json:"id"`
		Email string `json:"email"`
	} `json:"object"`
}

// webhooks keeps the mirror current between syncs and removes everything
// when the app is uninstalled from Zoom's Marketplace.
func (a *app) webhooks() (*webhook.Handler, error) {
	v, err := a.env.Verifier()
	if err != nil {
		return nil, err
	}
	h, err := webhook.NewHandler(v, webhook.WithDeduper(a.env.Dedup))
	if err != nil {
		return nil, err
	}
	connected := func(ctx context.Context) bool {
		c, err := a.store.connection(ctx)
		return err == nil && c != nil
	}
	h.OnUserCreated(func(ctx context.Context, _ *webhook.Event, p *webhook.UserCreatedPayload) error {
		if !connected(ctx) {
			return nil
		}
		if u, err := a.store.user(ctx, p.Object.Email); err != nil || u != nil {
			return err // already mirrored (RoleUp's own invitation)
		}
		status := "active"
		if p.CreationType == "create" {
			status = "pending"
		}
		return a.store.upsertUser(ctx, User{Email: p.Object.Email, ZoomID: p.Object.ID, FirstName: p.Object.FirstName,
			LastName: p.Object.LastName, Type: int(p.Object.Type), Status: status, RoleID: "2"})
	})
	webhook.Handle(h, "user.invitation_accepted", func(ctx context.Context, _ *webhook.Event, p *invitationAccepted) error {
		if !connected(ctx) {
			return nil
		}
		if err := a.store.setStatus(ctx, p.Object.Email, "active"); err != nil {
			return err
		}
		return a.store.audit(ctx, "Zoom", "invitation accepted", p.Object.Email+" is now active")
	})
	h.OnUserActivated(func(ctx context.Context, _ *webhook.Event, p *webhook.UserActivatedPayload) error {
		return a.store.setStatus(ctx, p.Object.Email, "active")
	})
	h.OnUserDeactivated(func(ctx context.Context, _ *webhook.Event, p *webhook.UserDeactivatedPayload) error {
		return a.store.setStatus(ctx, p.Object.Email, "inactive")
	})
	h.OnUserDeleted(func(ctx context.Context, _ *webhook.Event, p *webhook.UserDeletedPayload) error {
		return a.store.removeUser(ctx, p.Object.Email)
	})
	h.OnUserDisassociated(func(ctx context.Context, _ *webhook.Event, p *webhook.UserDisassociatedPayload) error {
		return a.store.removeUser(ctx, p.Object.Email)
	})
	h.OnAppDeauthorized(func(ctx context.Context, _ *webhook.Event, p *webhook.AppDeauthorizedPayload) error {
		c, err := a.store.connection(ctx)
		if err != nil || c == nil || p.AccountID != c.AccountID && p.UserID != c.ZoomUserID {
			return err
		}
		if p.UserID != c.ZoomUserID && !a.grantDead(ctx, c.TokenKey) {
			return nil // another user of the account removed their own install
		}
		// Zoom already revoked the tokens: delete them and every record.
		if err := a.env.Tokens.Delete(ctx, c.TokenKey); err != nil {
			return err
		}
		a.dropClient(c.TokenKey)
		if err := a.store.wipe(ctx); err != nil {
			return err
		}
		return a.mail.Send(ctx, exkit.Email{To: c.Email, Subject: "RoleUp was removed from Zoom",
			Body: "Hello,\n\nRoleUp was uninstalled from your Zoom account. It deleted its tokens and every record it kept (users, groups, roles, audit log).\n\n-- RoleUp\n"})
	})
	h.Fallback(func(context.Context, *webhook.Event) error { return nil })
	return h, nil
}

// grantDead reports whether Zoom no longer accepts the grant under key
// (one GET /users/me): after an account-level uninstall, app_deauthorized
// names the account, not RoleUp's admin.
func (a *app) grantDead(ctx context.Context, key string) bool {
	cl, err := a.client(key)
	if err != nil {
		return false
	}
	_, _, err = cl.Users.Get(ctx, "me", nil)
	return errors.Is(err, oauth.ErrReauthorizationRequired) || errors.Is(err, zoom.ErrUnauthorized)
}

// failed explains err to the admin (explain) and logs the Go error behind
// the sentence, with Zoom's code and tracking id when Zoom answered.
func (a *app) failed(ctx context.Context, what string, err error) error {
	shown := explain(what, err)
	attrs := []slog.Attr{slog.String("action", what), slog.String("shown", shown.Error())}
	if cause := errors.Unwrap(shown); cause != nil {
		attrs = append(attrs, slog.String("error", cause.Error()))
	}
	var apiErr *zoom.APIError
	if errors.As(err, &apiErr) {
		attrs = append(attrs, slog.Int("zoom_status", apiErr.StatusCode), slog.Int("zoom_code", apiErr.Code), slog.String("zoom_tracking_id", apiErr.TrackingID))
	}
	level := slog.LevelInfo // a refusal RoleUp explains
	for _, k := range []error{ErrInternal, ErrUnreachable, ErrZoom, ErrReconnect, ErrBusy} {
		if errors.Is(shown, k) {
			level = slog.LevelWarn
		}
	}
	a.log.LogAttrs(ctx, level, "action failed", attrs...)
	return shown
}

// routes is the app's mux; it remembers the POST routes (the cross-site
// test posts to each).
type routes struct {
	*http.ServeMux
	posts []string
}

func (m *routes) Handle(pattern string, h http.Handler) {
	if path, ok := strings.CutPrefix(pattern, http.MethodPost+" "); ok {
		m.posts = append(m.posts, path)
	}
	m.ServeMux.Handle(pattern, h)
}

func (m *routes) HandleFunc(pattern string, h func(http.ResponseWriter, *http.Request)) {
	m.Handle(pattern, http.HandlerFunc(h))
}
