package tokenstore

import (
	"fmt"
	"io"
	"log/slog"
	"time"

	"golang.org/x/oauth2"
)

// Token is a Zoom OAuth token as stored. Its String, GoString and LogValue
// methods redact the access and refresh tokens, so a Token can be logged or
// printed with %v or %#v without leaking a secret.
type Token struct {
	// AccessToken is the bearer token sent to the Zoom API. Secret.
	AccessToken string `json:"access_token"`
	// RefreshToken redeems a new token (user OAuth only). Secret; Zoom
	// invalidates it as soon as it is used.
	RefreshToken string `json:"refresh_token,omitempty"`
	// TokenType is the token type, "bearer".
	TokenType string `json:"token_type,omitempty"`
	// Expiry is when the access token expires.
	Expiry time.Time `json:"expiry,omitzero"`
	// Scope lists the granted scopes, separated by spaces.
	Scope string `json:"scope,omitempty"`
	// APIURL is the regional API host Zoom named for this grant, if any.
	APIURL string `json:"api_url,omitempty"`
	// Dead, when not nil, records that the grant was found dead: Zoom
	// refused its refresh token (revoked, superseded, app uninstalled). A
	// token source that reads such a record reports that the user must
	// reconnect, without asking Zoom and without running its
	// reauthorization hook again. Saving a new grant under the key (the
	// user reconnected) replaces the record and so clears the mark.
	Dead *DeadMark `json:"dead,omitempty"`
}

// DeadMark is the verdict on a dead grant, stored with its record so that
// every replica reads it instead of asking Zoom again. It holds no secret.
type DeadMark struct {
	// At is when the grant was found dead.
	At time.Time `json:"at"`
	// Reason is a short, secret-free description, such as Zoom's error
	// code ("invalid_grant").
	Reason string `json:"reason,omitempty"`
}

// OAuth2 returns the token as an *oauth2.Token.
func (t *Token) OAuth2() *oauth2.Token {
	if t == nil {
		return nil
	}
	o := &oauth2.Token{
		AccessToken:  t.AccessToken,
		TokenType:    t.TokenType,
		RefreshToken: t.RefreshToken,
		Expiry:       t.Expiry,
	}
	return o.WithExtra(map[string]any{"scope": t.Scope, "api_url": t.APIURL})
}

// FromOAuth2 converts an *oauth2.Token, keeping Zoom's scope and api_url
// extras when present.
func FromOAuth2(o *oauth2.Token) *Token {
	if o == nil {
		return nil
	}
	t := &Token{
		AccessToken:  o.AccessToken,
		RefreshToken: o.RefreshToken,
		TokenType:    o.TokenType,
		Expiry:       o.Expiry,
	}
	if s, ok := o.Extra("scope").(string); ok {
		t.Scope = s
	}
	if s, ok := o.Extra("api_url").(string); ok {
		t.APIURL = s
	}
	return t
}

// Clone returns a copy of t.
func (t *Token) Clone() *Token {
	if t == nil {
		return nil
	}
	c := *t
	if t.Dead != nil {
		d := *t.Dead
		c.Dead = &d
	}
	return &c
}

func redact(s string) string {
	if s == "" {
		return ""
	}
	return "REDACTED"
}

// String describes the token without its secrets.
func (t Token) String() string {
	dead := ""
	if t.Dead != nil {
		dead = fmt.Sprintf(" Dead:{At:%s Reason:%q}", t.Dead.At.Format(time.RFC3339), t.Dead.Reason)
	}
	return fmt.Sprintf("tokenstore.Token{AccessToken:%s RefreshToken:%s TokenType:%s Expiry:%s Scope:%q%s}",
		redact(t.AccessToken), redact(t.RefreshToken), t.TokenType, t.Expiry.Format(time.RFC3339), t.Scope, dead)
}

// GoString describes the token without its secrets, for %#v.
func (t Token) GoString() string { return t.String() }

// Format implements fmt.Formatter so that every verb (%v, %+v, %#v, %s,
// %d, %x...) prints the redacted description, never the secrets.
func (t Token) Format(f fmt.State, verb rune) {
	if verb == 'v' && f.Flag('#') {
		_, _ = io.WriteString(f, t.GoString())
		return
	}
	_, _ = io.WriteString(f, t.String())
}

// LogValue implements slog.LogValuer: the token logs without its secrets.
func (t Token) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("access_token", redact(t.AccessToken)),
		slog.String("refresh_token", redact(t.RefreshToken)),
		slog.Time("expiry", t.Expiry),
		slog.String("scope", t.Scope),
		slog.Bool("dead", t.Dead != nil),
	)
}
