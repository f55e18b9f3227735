package zoomtest

import (
	"crypto/subtle"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// AppKind is how a Zoom Marketplace app is managed, which decides who may
// install it and which grant types its credentials use.
type AppKind int

const (
	// UserManaged is a General (OAuth) app that any user of the account
	// may add for themselves. Zoom gives such apps user-level scopes only
	// (no ":admin" scope): its tokens reach the installing user's own data.
	UserManaged AppKind = iota + 1
	// AdminManaged is a General (OAuth) app that only an account owner or
	// admin may add: when a member approves it, the authorization page
	// refuses ("An account admin is required to install this type of
	// app") and no code is issued. It holds admin scopes.
	AdminManaged
	// ServerToServer is a Server-to-Server OAuth app: account_credentials
	// tokens that act as the account, no authorization page, no refresh
	// token.
	ServerToServer
)

// String names the kind as Zoom's Marketplace does.
func (k AppKind) String() string {
	switch k {
	case UserManaged:
		return "user-managed"
	case AdminManaged:
		return "admin-managed"
	case ServerToServer:
		return "server-to-server"
	}
	return fmt.Sprintf("AppKind(%d)", int(k))
}

// App is a Marketplace app registered on the fake with [WithApp].
type App struct {
	Kind         AppKind
	ClientID     string
	ClientSecret string
	// Scopes are the scopes the app was given in the Marketplace. Empty:
	// every scope the API operations name (for a user-managed app, every
	// user-level one).
	Scopes []string
}

// appConfig is the part of config about apps.
type appConfig struct {
	defaultKind AppKind // 0: derived from the default app's scopes
	extra       []App
}

// app is a registered app.
type app struct {
	kind         AppKind
	clientID     string
	clientSecret string
	scopes       []string
	// anyGrant lets the default app (unless WithAppKind names its kind)
	// also mint server-to-server tokens, as before app kinds existed.
	anyGrant bool
}

// ErrAdminRequired is the cause of the error [Server.AuthorizeAs] returns
// when a user who is not an account owner or admin approves an
// admin-managed app.
var ErrAdminRequired = errors.New("an account admin is required to install this type of app")

// adminRequiredText is what Zoom's authorization page shows then.
const adminRequiredText = "An account admin is required to install this type of app"

// WithApp registers one more Marketplace app on the fake, besides the
// default one ([Server.ClientID]): its kind, its credentials (which the
// token and revoke endpoints check) and its scopes. A user-managed app
// cannot hold an admin scope, as in Zoom. Tokens, grants, revocation and
// [Server.UninstallApp] are per app.
func WithApp(a App) Option {
	return func(c *config) error {
		if a.Kind < UserManaged || a.Kind > ServerToServer {
			return fmt.Errorf("zoomtest: WithApp: unknown app kind %d", int(a.Kind))
		}
		if a.ClientID == "" || a.ClientSecret == "" {
			return errors.New("zoomtest: WithApp: empty client id or secret")
		}
		if strings.ContainsAny(a.ClientID, ": \r\n") {
			return errors.New("zoomtest: WithApp: client id contains ':' or white space")
		}
		for _, s := range a.Scopes {
			if s == "" || strings.ContainsAny(s, " \t\r\n") {
				return fmt.Errorf("zoomtest: WithApp: bad scope %q", s)
			}
			if a.Kind == UserManaged && isAdminScope(s) {
				return fmt.Errorf("zoomtest: WithApp: a user-managed app cannot hold the admin scope %q", s)
			}
		}
		if a.ClientID == c.clientID || slices.ContainsFunc(c.apps.extra, func(x App) bool { return x.ClientID == a.ClientID }) {
			return fmt.Errorf("zoomtest: WithApp: client id %q is already used", a.ClientID)
		}
		a.Scopes = slices.Clone(a.Scopes)
		c.apps.extra = append(c.apps.extra, a)
		return nil
	}
}

// WithAppKind sets the kind of the default app. By default its kind
// follows its scopes ([WithAppScopes]): admin-managed when one of them is
// an admin scope (the default scopes include every one), user-managed
// otherwise; and it also answers account_credentials, as a
// server-to-server app with the same credentials would. Once a kind is
// named, the default app is exactly of that kind.
func WithAppKind(k AppKind) Option {
	return func(c *config) error {
		if k < UserManaged || k > ServerToServer {
			return fmt.Errorf("zoomtest: WithAppKind: unknown app kind %d", int(k))
		}
		c.apps.defaultKind = k
		return nil
	}
}

// isAdminScope reports whether a scope is account-level: "meeting:read:admin",
// "user:read:list_users:admin", "webinar_token:read:admin:live_streaming",
// or a master scope.
func isAdminScope(s string) bool {
	parts := strings.Split(s, ":")
	for _, p := range parts[1:] {
		if p == "admin" || p == "master" {
			return true
		}
	}
	return false
}

// buildApps resolves the registered apps; allScopes are the scopes the
// operations name.
func buildApps(cfg *config, allScopes []string) ([]*app, error) {
	def := &app{kind: cfg.apps.defaultKind, clientID: cfg.clientID, clientSecret: cfg.clientSecret, scopes: cfg.appScopes}
	if len(def.scopes) == 0 {
		def.scopes = allScopes
		if def.kind == UserManaged {
			def.scopes = slices.DeleteFunc(slices.Clone(allScopes), isAdminScope)
		}
	}
	if def.kind == 0 {
		def.anyGrant = true
		def.kind = UserManaged
		if slices.ContainsFunc(def.scopes, isAdminScope) {
			def.kind = AdminManaged
		}
	}
	if def.kind == UserManaged {
		if i := slices.IndexFunc(def.scopes, isAdminScope); i >= 0 && !def.anyGrant {
			return nil, fmt.Errorf("zoomtest: WithAppKind: a user-managed app cannot hold the admin scope %q", def.scopes[i])
		}
	}
	out := []*app{def}
	for _, a := range cfg.apps.extra {
		x := &app{kind: a.Kind, clientID: a.ClientID, clientSecret: a.ClientSecret, scopes: a.Scopes}
		if len(x.scopes) == 0 {
			x.scopes = allScopes
			if a.Kind == UserManaged {
				x.scopes = slices.DeleteFunc(slices.Clone(allScopes), isAdminScope)
			}
		}
		out = append(out, x)
	}
	return out, nil
}

// appByClientID returns the app with that client id, or nil.
func (s *Server) appByClientID(id string) *app {
	for _, a := range s.apps {
		if a.clientID == id {
			return a
		}
	}
	return nil
}

// authClient checks HTTP Basic client credentials in constant time and
// returns the app they belong to, or nil.
func (s *Server) authClient(id, secret string) *app {
	var found *app
	for _, a := range s.apps {
		x := subtle.ConstantTimeCompare([]byte(id), []byte(a.clientID))
		y := subtle.ConstantTimeCompare([]byte(secret), []byte(a.clientSecret))
		if x&y == 1 {
			found = a
		}
	}
	return found
}

// defaultApp is the app of [Server.ClientID].
func (s *Server) defaultApp() *app { return s.apps[0] }

// canGrantCode reports whether the app uses the authorization page.
func (a *app) canGrantCode() bool { return a.kind != ServerToServer }

// canGrantAccount reports whether the app mints account_credentials tokens.
func (a *app) canGrantAccount() bool { return a.kind == ServerToServer || a.anyGrant }

// isAccountAdmin reports whether u holds the Owner or Admin role. Custom
// roles count as members: their privileges are not modelled.
func isAccountAdmin(u *user) bool { return u.RoleID == "0" || u.RoleID == "1" }
