package zoomtest

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"html/template"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"time"
)

// codeLifetime is how long an authorization code lives (Zoom: 5 minutes).
const codeLifetime = 5 * time.Minute

// SetAuthorizingUser sets the user (id or email) who is "signed in" in the
// browser: the authorization page grants the app on their behalf. The
// default is the owner.
func (s *Server) SetAuthorizingUser(idOrEmail string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.st.lookupUser(idOrEmail, s.st.ownerID)
	if u == nil {
		return fmt.Errorf("zoomtest: SetAuthorizingUser: no user %q", idOrEmail)
	}
	s.st.signedIn = u.ID
	return nil
}

// AuthorizeAs plays the browser of the user userID (an id or an email) on
// the authorization page: it opens authURL (such as the URL of
// oauth.Config.NewAuthRequest, which must point at [Server.AuthURL]),
// approves, and returns the URL Zoom would redirect the browser to, with
// the code and state (or the error) in its query. It works whether or not
// the server auto-approves. When userID is not an account owner or admin
// and the app is admin-managed, Zoom's page refuses and AuthorizeAs
// returns an error wrapping [ErrAdminRequired].
func (s *Server) AuthorizeAs(userID, authURL string) (*url.URL, error) {
	u, err := url.Parse(authURL)
	if err != nil {
		return nil, fmt.Errorf("zoomtest: AuthorizeAs: %w", err)
	}
	if u.Path != "/oauth/authorize" {
		return nil, fmt.Errorf("zoomtest: AuthorizeAs: %q is not the authorization page", u.Path)
	}
	s.mu.Lock()
	usr := s.st.lookupUser(userID, s.st.ownerID)
	s.mu.Unlock()
	if usr == nil {
		return nil, fmt.Errorf("zoomtest: AuthorizeAs: no user %q", userID)
	}
	form := u.Query()
	form.Set("decision", "allow")
	form.Set("user", usr.ID)
	req := httptest.NewRequest(http.MethodPost, s.AuthURL(), strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	rec := httptest.NewRecorder()
	s.mux.ServeHTTP(rec, req)
	if rec.Code == http.StatusForbidden && strings.Contains(rec.Body.String(), adminRequiredText) {
		return nil, fmt.Errorf("zoomtest: AuthorizeAs: %s approved an admin-managed app: %w", usr.Email, ErrAdminRequired)
	}
	if rec.Code != http.StatusFound {
		return nil, fmt.Errorf("zoomtest: AuthorizeAs: the authorization page answered %d", rec.Code)
	}
	return url.Parse(rec.Header().Get("Location"))
}

func oauthError(w http.ResponseWriter, status int, errCode, reason string) {
	writeJSON(w, status, map[string]string{"reason": reason, "error": errCode})
}

func (s *Server) redirectAllowed(u string) bool {
	if checkHTTPURL(u) != nil {
		return false
	}
	return len(s.cfg.redirectURLs) == 0 || slices.Contains(s.cfg.redirectURLs, u)
}

// authorize serves GET (and, for the consent page, POST) /oauth/authorize.
func (s *Server) authorize(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	q := r.Form
	redirect := q.Get("redirect_uri")
	a := s.appByClientID(q.Get("client_id"))
	if a == nil || !a.canGrantCode() {
		writeHTML(w, http.StatusBadRequest, "Invalid client_id", "The app's client_id is not valid (error 4702).")
		return
	}
	if !s.redirectAllowed(redirect) {
		writeHTML(w, http.StatusBadRequest, "Invalid redirect", "The redirect URL is not on the app's allow list (error 4709).")
		return
	}
	back := func(params url.Values) {
		if st := q.Get("state"); st != "" {
			params.Set("state", st)
		}
		sep := "?"
		if strings.Contains(redirect, "?") {
			sep = "&"
		}
		http.Redirect(w, r, redirect+sep+params.Encode(), http.StatusFound)
	}
	if q.Get("response_type") != "code" {
		back(url.Values{"error": {"unsupported_response_type"}})
		return
	}
	method := q.Get("code_challenge_method")
	challenge := q.Get("code_challenge")
	if challenge != "" && method == "" {
		method = "plain"
	}
	if challenge != "" && method != "plain" && method != "S256" {
		back(url.Values{"error": {"invalid_request"}, "error_description": {"unsupported code_challenge_method"}})
		return
	}
	scopes := a.scopes
	if sc := strings.Fields(q.Get("scope")); len(sc) > 0 {
		for _, x := range sc {
			if !slices.Contains(a.scopes, x) {
				back(url.Values{"error": {"invalid_scope"}})
				return
			}
		}
		scopes = sc
	}
	s.mu.Lock()
	userID := s.st.signedIn
	var users []*user
	for _, u := range s.st.users {
		if u.Status == "active" {
			users = append(users, u)
		}
	}
	s.mu.Unlock()
	decision := ""
	if r.Method == http.MethodPost {
		decision = r.PostForm.Get("decision")
		if u := r.PostForm.Get("user"); u != "" {
			userID = u
		}
	}
	if !s.cfg.autoApprove || decision != "" {
		switch decision {
		case "":
			s.consentPage(w, q, users, userID, scopes)
			return
		case "deny":
			back(url.Values{"error": {"access_denied"}})
			return
		}
	}
	s.mu.Lock()
	u := s.st.userByID(userID)
	if u == nil || u.Status != "active" {
		s.mu.Unlock()
		back(url.Values{"error": {"access_denied"}})
		return
	}
	if a.kind == AdminManaged && !isAccountAdmin(u) {
		// Zoom refuses on its own page: the app's redirect URL is not
		// called.
		s.mu.Unlock()
		writeHTML(w, http.StatusForbidden, "This app cannot be added", adminRequiredText+".")
		return
	}
	code := secretToken("", 24)
	s.st.codes[code] = &authCode{app: a, userID: u.ID, redirect: redirect, challenge: challenge, method: method,
		scopes: slices.Clone(scopes), expires: s.cfg.now().Add(codeLifetime)}
	s.mu.Unlock()
	back(url.Values{"code": {code}})
}

var consentTmpl = template.Must(template.New("consent").Parse(`<!doctype html>
<html><head><meta charset="utf-8"><title>Authorize app - Zoom (fake)</title>
<style>body{font-family:sans-serif;max-width:36em;margin:3em auto}li{font-family:monospace}</style></head>
<body><h1>An app would like to access your Zoom account</h1>
<p>This is zoomtest, a fake Zoom. Choose the user who grants access.</p>
<form method="post">
{{range $k, $vs := .Params}}{{range $vs}}<input type="hidden" name="{{$k}}" value="{{.}}">{{end}}{{end}}
<p><label>Signed in as <select name="user">{{range .Users}}<option value="{{.ID}}"{{if .Selected}} selected{{end}}>{{.Label}}</option>{{end}}</select></label></p>
<p>The app asks for:</p><ul>{{range .Scopes}}<li>{{.}}</li>{{end}}</ul>
<button name="decision" value="allow">Allow</button> <button name="decision" value="deny">Decline</button>
</form></body></html>`))

func (s *Server) consentPage(w http.ResponseWriter, q url.Values, users []*user, selected string, scopes []string) {
	type opt struct {
		ID, Label string
		Selected  bool
	}
	var opts []opt
	for _, u := range users {
		opts = append(opts, opt{ID: u.ID, Label: u.displayName() + " <" + u.Email + ">", Selected: u.ID == selected})
	}
	params := url.Values{}
	for _, k := range []string{"response_type", "client_id", "redirect_uri", "state", "code_challenge", "code_challenge_method", "scope"} {
		if v := q.Get(k); v != "" {
			params.Set(k, v)
		}
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_ = consentTmpl.Execute(w, map[string]any{"Params": params, "Users": opts, "Scopes": scopes})
}

func writeHTML(w http.ResponseWriter, status int, title, msg string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	fmt.Fprintf(w, "<!doctype html><title>%s</title><h1>%s</h1><p>%s</p>\n",
		template.HTMLEscapeString(title), template.HTMLEscapeString(title), template.HTMLEscapeString(msg))
}

// clientAuth checks HTTP Basic client credentials and returns the app
// they belong to (nil when they are wrong).
func (s *Server) clientAuth(r *http.Request) *app {
	id, secret, ok := r.BasicAuth()
	if !ok {
		return nil
	}
	return s.authClient(id, secret)
}

// token serves POST /oauth/token.
func (s *Server) token(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		oauthError(w, http.StatusMethodNotAllowed, "invalid_request", "Method not allowed.")
		return
	}
	if err := r.ParseForm(); err != nil {
		oauthError(w, http.StatusBadRequest, "invalid_request", "Invalid request.")
		return
	}
	grantType := r.Form.Get("grant_type") // Zoom also reads query parameters
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.clientAuth(r)
	if a == nil {
		oauthError(w, http.StatusUnauthorized, "invalid_client", "Invalid client_id or client_secret")
		return
	}
	now := s.cfg.now()
	switch grantType {
	case "authorization_code":
		if !a.canGrantCode() {
			oauthError(w, http.StatusBadRequest, "unsupported_grant_type", "Unsupported grant type")
			return
		}
		code := r.Form.Get("code")
		ac := s.st.codes[code]
		delete(s.st.codes, code) // single use
		if ac == nil || ac.app != a || !now.Before(ac.expires) {
			oauthError(w, http.StatusBadRequest, "invalid_grant", "Invalid authorization code")
			return
		}
		if ac.redirect != r.Form.Get("redirect_uri") {
			oauthError(w, http.StatusBadRequest, "invalid_grant", "Redirect URI mismatch.")
			return
		}
		if ac.challenge != "" && !pkceMatches(ac.challenge, ac.method, r.Form.Get("code_verifier")) {
			oauthError(w, http.StatusBadRequest, "invalid_grant", "Invalid code_verifier")
			return
		}
		if s.st.userByID(ac.userID) == nil {
			oauthError(w, http.StatusBadRequest, "invalid_grant", "Invalid authorization code")
			return
		}
		// The last authorization wins: earlier grants of this user for
		// this app die.
		for _, g := range s.st.grants {
			if g.app == a && !g.accounts && g.userID == ac.userID && !g.revoked {
				s.revokeGrantLocked(g)
			}
		}
		g := &grant{app: a, id: secretToken("", 8), userID: ac.userID, scopes: ac.scopes}
		s.st.grants = append(s.st.grants, g)
		s.issue(w, g, now, true)
	case "refresh_token":
		rt := r.Form.Get("refresh_token")
		g := s.st.refresh[rt]
		if g == nil || g.app != a || g.revoked || s.st.userByID(g.userID) == nil {
			oauthError(w, http.StatusBadRequest, "invalid_grant", "Invalid Token!")
			return
		}
		delete(s.st.refresh, rt) // single use: the old one dies at once
		s.issue(w, g, now, true)
	case "account_credentials":
		if !a.canGrantAccount() {
			oauthError(w, http.StatusBadRequest, "unsupported_grant_type", "Unsupported grant type")
			return
		}
		acct := s.st.accountByID(r.Form.Get("account_id"))
		if acct == nil {
			oauthError(w, http.StatusBadRequest, "invalid_request", "Invalid account_id")
			return
		}
		g := &grant{app: a, id: secretToken("", 8), scopes: a.scopes, accounts: true, account: acct.id}
		s.st.grants = append(s.st.grants, g)
		s.issue(w, g, now, false)
	case "":
		oauthError(w, http.StatusBadRequest, "invalid_request", "Missing grant_type")
	default:
		oauthError(w, http.StatusBadRequest, "unsupported_grant_type", "Unsupported grant type")
	}
}

// issue mints an access token (and a refresh token) for g and writes the
// token response; s.mu is held.
func (s *Server) issue(w http.ResponseWriter, g *grant, now time.Time, withRefresh bool) {
	at := secretToken("zt_at_", 32)
	t := &accessToken{kind: "user", userID: g.userID, scopes: scopeSet(g.scopes), expires: now.Add(s.cfg.accessTTL), grant: g, account: g.account}
	if g.accounts {
		t.kind = "account"
	}
	s.st.tokens[at] = t
	g.access = append(g.access, at)
	resp := map[string]any{
		"access_token": at,
		"token_type":   "bearer",
		"expires_in":   int(s.cfg.accessTTL / time.Second),
		"scope":        strings.Join(g.scopes, " "),
		"api_url":      s.URL(),
	}
	if withRefresh {
		rt := secretToken("zt_rt_", 32)
		if g.refresh != "" {
			delete(s.st.refresh, g.refresh)
		}
		g.refresh = rt
		s.st.refresh[rt] = g
		resp["refresh_token"] = rt
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, resp)
}

func pkceMatches(challenge, method, verifier string) bool {
	if verifier == "" {
		return false
	}
	want := verifier
	if method == "S256" {
		sum := sha256.Sum256([]byte(verifier))
		want = base64.RawURLEncoding.EncodeToString(sum[:])
	}
	return subtle.ConstantTimeCompare([]byte(want), []byte(challenge)) == 1
}

// revoke serves POST /oauth/revoke?token=...: revoking a user's token
// (access or refresh) uninstalls the app for that user, as Zoom does: all
// of the user's grants for the app die with their tokens, and
// app_deauthorized is sent. A server-to-server token, or one minted by
// [Server.AccessToken], only dies.
func (s *Server) revoke(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		oauthError(w, http.StatusMethodNotAllowed, "invalid_request", "Method not allowed.")
		return
	}
	if err := r.ParseForm(); err != nil {
		oauthError(w, http.StatusBadRequest, "invalid_request", "Invalid request.")
		return
	}
	s.mu.Lock()
	a := s.clientAuth(r)
	if a == nil {
		s.mu.Unlock()
		oauthError(w, http.StatusUnauthorized, "invalid_client", "Invalid client_id or client_secret")
		return
	}
	tok := r.Form.Get("token")
	var g *grant
	if t := s.st.tokens[tok]; t != nil && !t.revoked && (t.grant != nil || a == s.defaultApp()) {
		g = t.grant
		if g == nil {
			t.revoked = true
		}
	} else if rg := s.st.refresh[tok]; rg != nil {
		g = rg
	} else {
		s.mu.Unlock()
		oauthError(w, http.StatusBadRequest, "invalid_request", "Invalid Token!")
		return
	}
	if g != nil && g.app != a {
		s.mu.Unlock()
		oauthError(w, http.StatusBadRequest, "invalid_request", "Invalid Token!")
		return
	}
	var events []pendingEvent
	switch {
	case g == nil:
	case g.accounts:
		s.revokeGrantLocked(g)
	default:
		events = append(events, s.uninstallLocked(a, g.userID))
	}
	s.mu.Unlock()
	// Zoom tells the app before the revocation is answered (the fake
	// delivers synchronously): a handler of app_deauthorized must not
	// wait for the Revoke call that caused it.
	s.emitNow(events)
	writeJSON(w, http.StatusOK, map[string]string{"status": "success"})
}

// uninstallLocked removes the app a for the user userID (for the whole
// account when userID is empty): the grants and tokens of that
// installation die, and it returns the app_deauthorized event to send.
// Uninstalling from the Marketplace ([Server.UninstallApp]) and revoking a
// token share it. s.mu is held.
func (s *Server) uninstallLocked(a *app, userID string) pendingEvent {
	for _, g := range s.st.grants {
		if g.app == a && (userID == "" || (!g.accounts && g.userID == userID)) {
			s.revokeGrantLocked(g)
		}
	}
	if a == s.defaultApp() {
		// Tokens of Server.AccessToken stand for the default app's.
		for _, t := range s.st.tokens {
			if t.grant == nil && (userID == "" || t.userID == userID) {
				t.revoked = true
			}
		}
	}
	if userID == "" {
		userID = s.st.ownerID
	}
	acct := s.st.accountID
	if u := s.st.userByID(userID); u != nil {
		acct = u.account
	}
	now := s.cfg.now()
	ev := s.st.event("app_deauthorized", now, map[string]any{
		"account_id":           acct,
		"user_id":              userID,
		"client_id":            a.clientID,
		"deauthorization_time": now.UTC().Format("2006-01-02T15:04:05.000Z"),
		"signature":            hexToken(32),
		"event_ts":             now.UnixMilli(),
	})
	ev.app = a // to that app's endpoints only, installed or not any more
	return ev
}

// revokeGrantLocked kills a grant and its tokens; s.mu is held.
func (s *Server) revokeGrantLocked(g *grant) {
	g.revoked = true
	for _, at := range g.access {
		if t := s.st.tokens[at]; t != nil {
			t.revoked = true
		}
	}
	if g.refresh != "" {
		delete(s.st.refresh, g.refresh)
		g.refresh = ""
	}
}

// revokeInstallLocked revokes every token of an installation: the user's
// (userID set) or the account's (userID empty: every grant and token of
// the app). s.mu is held.
func (s *Server) revokeInstallLocked(userID string) {
	for _, g := range s.st.grants {
		if userID == "" || (!g.accounts && g.userID == userID) {
			s.revokeGrantLocked(g)
		}
	}
	for _, t := range s.st.tokens {
		if userID == "" || t.userID == userID {
			t.revoked = true
		}
	}
}

// revokeUserTokens revokes a removed user's tokens; s.mu is held.
func (s *Server) revokeUserTokens(userID string) { s.revokeInstallLocked(userID) }

// RevokeAll revokes every token the server has issued, as when the app is
// deactivated.
func (s *Server) RevokeAll() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.revokeInstallLocked("")
}

// hexToken returns n random bytes in lowercase hex, the format of the
// signature of app_deauthorized (a 64-digit id in Zoom's document).
func hexToken(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
