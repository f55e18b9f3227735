// Command zoomfake serves zoomtest's fake Zoom on a chosen address, for
// tests written in any language and for trying an integration by hand, as
// stripe-mock does for Stripe:
//
//	go run github.com/zoomkit/zoomkit/zoom/zoomtest/cmd/zoomfake -addr 127.0.0.1:8090
//
// It serves Zoom's REST API under /v2, the OAuth endpoints under /oauth,
// signed webhook deliveries to the subscribed URLs, a read-only console page
// at /_zoomtest/ and control endpoints under /_zoomtest/ for the test-only
// actions (advance the clock, add users, start, join, leave and end
// meetings, uninstall, inject faults): see zoomtest.WithControl. It prints
// one line, "zoomfake: listening on URL", once it accepts requests, and
// runs until interrupted.
//
// Flags:
//
//	-addr              listen address (default 127.0.0.1:8090; port 0 picks one)
//	-seed FILE         a JSON seed file (below); flags override its fields
//	-client-id         the fake app's client id (default zoomtest-client-id)
//	-client-secret     the fake app's client secret (default zoomtest-client-secret)
//	-account           the account id (default: generated)
//	-owner             the account owner's email (default owner@example.com)
//	-webhook-url       subscribe this URL to every event
//	-webhook-secret    the webhook secret token for -webhook-url
//	-rate-limits PLAN  turn on Zoom's rate limits of free, pro or business
//	-app-kind KIND     the app's kind: user-managed, admin-managed or
//	                   server-to-server (default: admin-managed when it has
//	                   admin scopes, as the default every-scope app does)
//	-consent           show the consent page instead of approving at once
//
// The seed file:
//
//	{
//	  "client_id": "my-app", "client_secret": "my-secret",
//	  "account_id": "acct-1", "owner_email": "owner@example.com",
//	  "rate_limits": "pro", "consent": false,
//	  "app_kind": "admin-managed", "scopes": ["meeting:read:admin", "meeting:write:admin"],
//	  "apps": [{"kind": "user-managed", "client_id": "other", "client_secret": "s2", "scopes": ["meeting:read"]}],
//	  "licenses": 10,
//	  "users": [{"email": "ada@example.com", "first_name": "Ada", "type": 2, "role_id": "1", "webinar": true}],
//	  "accounts": [{"id": "acct-2", "owner_email": "owner@other.example", "licenses": 5,
//	                "users": [{"email": "bo@other.example", "type": 1}]}],
//	  "webhooks": [{"url": "http://127.0.0.1:9000/zoom/webhook", "secret": "whsec", "events": ["meeting.created"]}]
//	}
//
// The fake's credentials are test credentials: never reuse real ones.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/zoomkit/zoomkit/zoom/zoomtest"
)

func main() {
	if err := run(context.Background(), os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "zoomfake:", err)
		os.Exit(2)
	}
}

// seedFile is the JSON seed file.
type seedFile struct {
	ClientID     string   `json:"client_id"`
	ClientSecret string   `json:"client_secret"`
	AccountID    string   `json:"account_id"`
	OwnerEmail   string   `json:"owner_email"`
	RateLimits   string   `json:"rate_limits"`
	Consent      bool     `json:"consent"`
	AppKind      string   `json:"app_kind"`
	Scopes       []string `json:"scopes"`
	Apps         []struct {
		Kind         string   `json:"kind"`
		ClientID     string   `json:"client_id"`
		ClientSecret string   `json:"client_secret"`
		Scopes       []string `json:"scopes"`
	} `json:"apps"`
	Licenses int        `json:"licenses"`
	Users    []seedUser `json:"users"`
	Accounts []struct {
		ID         string     `json:"id"`
		OwnerEmail string     `json:"owner_email"`
		Licenses   int        `json:"licenses"`
		Plan       string     `json:"plan"`
		Users      []seedUser `json:"users"`
	} `json:"accounts"`
	Webhooks []struct {
		URL    string   `json:"url"`
		Secret string   `json:"secret"`
		Events []string `json:"events"`
	} `json:"webhooks"`
}

// seedUser is a user of the seed file.
type seedUser struct {
	Email     string `json:"email"`
	FirstName string `json:"first_name"`
	LastName  string `json:"last_name"`
	Type      int    `json:"type"`
	Status    string `json:"status"`
	RoleID    string `json:"role_id"`
	Timezone  string `json:"timezone"`
	Webinar   bool   `json:"webinar"`
}

func (u seedUser) user() zoomtest.User {
	return zoomtest.User{Email: u.Email, FirstName: u.FirstName, LastName: u.LastName,
		Type: u.Type, Status: u.Status, RoleID: u.RoleID, Timezone: u.Timezone, Webinar: u.Webinar}
}

func readSeed(path string) (*seedFile, error) {
	var sf seedFile
	if path == "" {
		return &sf, nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(b, &sf); err != nil {
		return nil, fmt.Errorf("seed file %s: %w", path, err)
	}
	return &sf, nil
}

func parseKind(s string) (zoomtest.AppKind, error) {
	for _, k := range []zoomtest.AppKind{zoomtest.UserManaged, zoomtest.AdminManaged, zoomtest.ServerToServer} {
		if s == k.String() {
			return k, nil
		}
	}
	return 0, fmt.Errorf("app kind %q: use user-managed, admin-managed or server-to-server", s)
}

// run parses args, starts the server, prints its URL to out and serves
// until ctx ends or the process is interrupted.
func run(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("zoomfake", flag.ContinueOnError)
	fs.SetOutput(out)
	addr := fs.String("addr", "127.0.0.1:8090", "listen address (port 0 picks a free one)")
	seedPath := fs.String("seed", "", "JSON seed file")
	clientID := fs.String("client-id", "", "the fake app's client id")
	clientSecret := fs.String("client-secret", "", "the fake app's client secret")
	account := fs.String("account", "", "the account id")
	owner := fs.String("owner", "", "the account owner's email")
	whURL := fs.String("webhook-url", "", "subscribe this URL to every event")
	whSecret := fs.String("webhook-secret", "", "the webhook secret token for -webhook-url")
	plan := fs.String("rate-limits", "", "turn on the rate limits of plan free, pro or business")
	consent := fs.Bool("consent", false, "show the consent page instead of approving at once")
	appKind := fs.String("app-kind", "", "the app's kind: user-managed, admin-managed or server-to-server")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments: %q", fs.Args())
	}
	sf, err := readSeed(*seedPath)
	if err != nil {
		return err
	}
	set := func(dst *string, flagVal string) {
		if flagVal != "" {
			*dst = flagVal
		}
	}
	set(&sf.ClientID, *clientID)
	set(&sf.ClientSecret, *clientSecret)
	set(&sf.AccountID, *account)
	set(&sf.OwnerEmail, *owner)
	set(&sf.RateLimits, *plan)
	set(&sf.AppKind, *appKind)
	sf.Consent = sf.Consent || *consent

	opts := []zoomtest.Option{zoomtest.WithAddr(*addr), zoomtest.WithControl(), zoomtest.WithAutoApprove(!sf.Consent)}
	if sf.ClientID != "" || sf.ClientSecret != "" {
		if sf.ClientID == "" || sf.ClientSecret == "" {
			return errors.New("give both the client id and the client secret, or neither")
		}
		opts = append(opts, zoomtest.WithClientCredentials(sf.ClientID, sf.ClientSecret))
	}
	if sf.AccountID != "" {
		opts = append(opts, zoomtest.WithAccount(sf.AccountID))
	}
	if sf.Licenses > 0 {
		opts = append(opts, zoomtest.WithLicenses(sf.Licenses))
	}
	if sf.OwnerEmail != "" {
		opts = append(opts, zoomtest.WithOwner(sf.OwnerEmail))
	}
	switch p := zoomtest.Plan(sf.RateLimits); p {
	case "":
	case zoomtest.PlanFree, zoomtest.PlanPro, zoomtest.PlanBusiness:
		opts = append(opts, zoomtest.WithRateLimits(p))
	default:
		return fmt.Errorf("rate limits: unknown plan %q (free, pro or business)", p)
	}
	if sf.AppKind != "" {
		k, err := parseKind(sf.AppKind)
		if err != nil {
			return err
		}
		opts = append(opts, zoomtest.WithAppKind(k))
	}
	if len(sf.Scopes) > 0 {
		opts = append(opts, zoomtest.WithAppScopes(sf.Scopes...))
	}
	for _, a := range sf.Apps {
		k, err := parseKind(a.Kind)
		if err != nil {
			return err
		}
		opts = append(opts, zoomtest.WithApp(zoomtest.App{Kind: k, ClientID: a.ClientID, ClientSecret: a.ClientSecret, Scopes: a.Scopes}))
	}
	for _, w := range sf.Webhooks {
		opts = append(opts, zoomtest.WithWebhook(w.URL, w.Secret, w.Events...))
	}
	if *whURL != "" {
		opts = append(opts, zoomtest.WithWebhook(*whURL, *whSecret))
	}
	s, err := zoomtest.NewServer(opts...)
	if err != nil {
		return err
	}
	defer s.Close()
	for _, u := range sf.Users {
		if _, err := s.AddUser(u.user()); err != nil {
			return fmt.Errorf("seed user: %w", err)
		}
	}
	for _, a := range sf.Accounts {
		id, _, err := s.AddAccount(zoomtest.Account{ID: a.ID, OwnerEmail: a.OwnerEmail, Licenses: a.Licenses, Plan: zoomtest.Plan(a.Plan)})
		if err != nil {
			return fmt.Errorf("seed account: %w", err)
		}
		for _, u := range a.Users {
			if _, err := s.AddUserTo(id, u.user()); err != nil {
				return fmt.Errorf("seed user of account %s: %w", id, err)
			}
		}
	}
	fmt.Fprintf(out, "zoomfake: listening on %s\n", s.URL())
	fmt.Fprintf(out, "zoomfake: API %s, OAuth %s (client id %s), console %s%s\n",
		s.APIURL(), s.AuthURL(), s.ClientID(), s.URL(), zoomtest.ControlPrefix)
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	<-ctx.Done()
	return nil
}
