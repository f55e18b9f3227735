package zoomtest

import (
	"errors"
	"fmt"
	"net/mail"
	"net/url"
	"regexp"
	"strings"
	"time"
)

// Option configures a Server. Options validate their input: NewServer
// returns the first option error.
type Option func(*config) error

type config struct {
	now               func() time.Time
	accessTTL         time.Duration
	clientID          string
	clientSecret      string
	accountID         string
	ownerEmail        string
	autoApprove       bool
	plan              Plan
	dailyMeetingLimit int
	seed              uint64
	appScopes         []string
	redirectURLs      []string
	webhooks          []subscription
	control           bool   // WithControl
	addr              string // WithAddr
	reportDelay       time.Duration
	// realClock: now is time.Now (WithClock not used), so timers can make
	// the webhook retries.
	realClock      bool
	retryTimestamp RetryTimestamp
	apps           appConfig // apps.go
	seats          int       // WithLicenses; 0: unlimited
}

func defaultConfig() config {
	return config{
		now:          time.Now,
		accessTTL:    time.Hour,
		clientID:     DefaultClientID,
		clientSecret: DefaultClientSecret,
		ownerEmail:   "owner@example.com",
		autoApprove:  true,
		seed:         1,
		reportDelay:  DefaultReportDelay,
		realClock:    true,
	}
}

// Defaults of the fake Zoom app's credentials ([WithClientCredentials]).
const (
	DefaultClientID     = "zoomtest-client-id"
	DefaultClientSecret = "zoomtest-client-secret"
)

// WithClock sets the clock the server reads for everything time-dependent:
// token and authorization-code expiry, next_page_token expiry (15
// minutes), daily rate limits (reset at 00:00 UTC), creation times, and the
// join and leave times of simulated participants, webhook retries and
// report delays. Tests drive it to make time pass; the server then makes
// the webhook retries that are due when [Server.DeliverDue] is called.
// The default is time.Now, with timers for the retries.
func WithClock(now func() time.Time) Option {
	return func(c *config) error {
		if now == nil {
			return errors.New("zoomtest: WithClock: nil clock")
		}
		c.now = now
		c.realClock = false
		return nil
	}
}

// WithAccessTokenLifetime sets how long access tokens minted by the token
// endpoint live (Zoom: one hour). d must be at least one second.
func WithAccessTokenLifetime(d time.Duration) Option {
	return func(c *config) error {
		if d < time.Second {
			return fmt.Errorf("zoomtest: WithAccessTokenLifetime: %v is less than a second", d)
		}
		c.accessTTL = d
		return nil
	}
}

// WithClientCredentials sets the OAuth app's client id and secret, which
// the token and revoke endpoints require (HTTP Basic). The defaults are
// DefaultClientID and DefaultClientSecret.
func WithClientCredentials(clientID, clientSecret string) Option {
	return func(c *config) error {
		if clientID == "" || clientSecret == "" {
			return errors.New("zoomtest: WithClientCredentials: empty client id or secret")
		}
		if strings.ContainsAny(clientID, ": \r\n") {
			return errors.New("zoomtest: WithClientCredentials: client id contains ':' or white space")
		}
		c.clientID, c.clientSecret = clientID, clientSecret
		return nil
	}
}

var idPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

// WithAccount sets the account id (the account_id of server-to-server
// token requests and of webhook payloads). By default it is generated from
// the seed.
func WithAccount(accountID string) Option {
	return func(c *config) error {
		if !idPattern.MatchString(accountID) {
			return fmt.Errorf("zoomtest: WithAccount: %q is not a valid account id (letters, digits, - and _)", accountID)
		}
		c.accountID = accountID
		return nil
	}
}

// WithOwner sets the email of the account owner, the user the server
// creates at start (default owner@example.com).
func WithOwner(email string) Option {
	return func(c *config) error {
		if _, err := mail.ParseAddress(email); err != nil || strings.ContainsAny(email, "<> ") {
			return fmt.Errorf("zoomtest: WithOwner: %q is not an email address", email)
		}
		c.ownerEmail = email
		return nil
	}
}

// WithAutoApprove sets whether GET /oauth/authorize approves at once and
// redirects with a code (true, the default: for tests) or shows a consent
// page where a person picks a user and approves or declines (false: for
// running examples in a browser).
func WithAutoApprove(auto bool) Option {
	return func(c *config) error {
		c.autoApprove = auto
		return nil
	}
}

// WithSeed seeds the generator of ids (meeting ids, UUIDs, user ids...), so
// that two servers with the same seed given the same requests form the
// same ids. The default seed is 1.
func WithSeed(seed uint64) Option {
	return func(c *config) error {
		c.seed = seed
		return nil
	}
}

// WithAppScopes sets the scopes the OAuth app was given in Zoom's
// Marketplace: authorization and server-to-server tokens carry them (an
// authorization request may narrow them with its scope parameter). By
// default the app has every scope the API operations name. Scopes look
// like "meeting:read" or "meeting:write:admin".
func WithAppScopes(scopes ...string) Option {
	return func(c *config) error {
		if len(scopes) == 0 {
			return errors.New("zoomtest: WithAppScopes: no scopes")
		}
		for _, s := range scopes {
			if s == "" || strings.ContainsAny(s, " \t\r\n") {
				return fmt.Errorf("zoomtest: WithAppScopes: bad scope %q", s)
			}
		}
		c.appScopes = append([]string(nil), scopes...)
		return nil
	}
}

// WithRedirectURLs restricts the redirect URLs the authorization and token
// endpoints accept (Zoom's allow list). By default any http(s) URL is
// accepted.
func WithRedirectURLs(urls ...string) Option {
	return func(c *config) error {
		if len(urls) == 0 {
			return errors.New("zoomtest: WithRedirectURLs: no URLs")
		}
		for _, u := range urls {
			if err := checkHTTPURL(u); err != nil {
				return fmt.Errorf("zoomtest: WithRedirectURLs: %w", err)
			}
		}
		c.redirectURLs = append([]string(nil), urls...)
		return nil
	}
}

// WithRateLimits turns rate limiting on with the numbers of plan: Zoom's
// per-second limits per label (LIGHT, MEDIUM, HEAVY, RESOURCE-INTENSIVE),
// the daily limits of the plan, the per-user limit of 100 meeting and
// webinar creates or updates per day, and the daily limits on users
// created with action "create" (50, 1,500 or 10,000 by plan) and on
// groups created (100). Days end at 00:00 UTC. Answers carry Zoom's
// X-RateLimit-* headers and a refused request gets Zoom's 429 body. Rate
// limits are off by default. Seconds and days are read from the server's
// clock ([WithClock]).
func WithRateLimits(plan Plan) Option {
	return func(c *config) error {
		if _, ok := planLimits(plan); !ok {
			return fmt.Errorf("zoomtest: WithRateLimits: unknown plan %q", plan)
		}
		c.plan = plan
		return nil
	}
}

// WithDailyMeetingLimit changes the per-user daily limit on meeting and
// webinar creates and updates (Zoom: 100) that [WithRateLimits] turns on.
func WithDailyMeetingLimit(n int) Option {
	return func(c *config) error {
		if n < 1 {
			return fmt.Errorf("zoomtest: WithDailyMeetingLimit: %d is not positive", n)
		}
		c.dailyMeetingLimit = n
		return nil
	}
}

// WithWebhook subscribes url to the events named (all events when none is
// named), signing deliveries with secret, as [Server.Subscribe] does.
func WithWebhook(url, secret string, events ...string) Option {
	return func(c *config) error {
		sub, err := newSubscription(url, nil, secret, events)
		if err != nil {
			return err
		}
		c.webhooks = append(c.webhooks, sub)
		return nil
	}
}

// RetryTimestamp says which x-zm-request-timestamp (and so which
// x-zm-signature) a webhook retry carries ([WithRetryTimestamp]).
type RetryTimestamp int

const (
	// RetryOriginalTimestamp: a retry repeats the first attempt's
	// timestamp and signature, byte for byte. A retry 85 minutes later is
	// then 85 minutes old, which a handler with a naive 5-minute window
	// rejects: the default, because it is the case that loses events.
	RetryOriginalTimestamp RetryTimestamp = iota
	// RetryFreshTimestamp: each retry is signed anew at its own time.
	RetryFreshTimestamp
)

// WithRetryTimestamp sets whether webhook retries carry the first
// attempt's timestamp and signature (RetryOriginalTimestamp, the default)
// or fresh ones (RetryFreshTimestamp). Zoom does not document which it
// does, so a handler must accept both: test it with each.
func WithRetryTimestamp(r RetryTimestamp) Option {
	return func(c *config) error {
		if r != RetryOriginalTimestamp && r != RetryFreshTimestamp {
			return fmt.Errorf("zoomtest: WithRetryTimestamp: unknown value %d", int(r))
		}
		c.retryTimestamp = r
		return nil
	}
}

// DefaultReportDelay is how long after a meeting or webinar ends its
// participant reports take to appear, by default ([WithReportDelay]).
const DefaultReportDelay = 30 * time.Minute

// WithReportDelay sets how long after the end of a meeting or webinar
// instance Zoom takes to make its attendance data: the past participants,
// the participant and detail reports, the absentees, and the instance's
// row in a user's meeting report. Until then those endpoints answer 404
// with code 3001, as for a meeting Zoom does not know. The default is
// DefaultReportDelay (30 minutes); 0 makes reports ready at the end.
// d must not be negative.
func WithReportDelay(d time.Duration) Option {
	return func(c *config) error {
		if d < 0 {
			return fmt.Errorf("zoomtest: WithReportDelay: %v is negative", d)
		}
		c.reportDelay = d
		return nil
	}
}

func checkHTTPURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("bad URL: %w", err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("%q is not an absolute http(s) URL", raw)
	}
	return nil
}
