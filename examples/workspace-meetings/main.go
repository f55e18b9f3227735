// Command workspace-meetings reproduces the Zoom integration of PulsoDesk,
// a team workspace: each member connects their own Zoom account, schedules
// meetings (title, date and time, duration) that Zoom creates in that
// account, and gets back the meeting id, topic, schedule, host and join
// link; members list, view and update their meetings, and delete meeting
// history. Disconnect Zoom asks for confirmation, then revokes the
// member's grant and deletes the access and refresh tokens while the
// meeting history stays. Connecting again works.
//
// With no flags it runs the whole flow against the embedded fake Zoom and
// prints a transcript; -serve runs it as a web app. See README.md.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	_ "time/tzdata" // meetings are scheduled in IANA time zones, even where the OS has no zone database

	"github.com/zoomkit/zoomkit/examples/internal/exkit"
	"github.com/zoomkit/zoomkit/zoom/zoomtest"
)

const (
	name       = "workspace-meetings"
	ownerEmail = "ana.garcia@acme.example"
)

func main() {
	if err := run(context.Background(), os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(2)
		}
		msg := err.Error()
		if !strings.HasPrefix(msg, name+":") {
			msg = name + ": " + msg
		}
		fmt.Fprintln(os.Stderr, msg)
		os.Exit(1)
	}
}

// appScopes are the scopes PulsoDesk's Zoom app has in the Marketplace
// (see README.md); the fake Zoom grants only these, and refuses a call
// that needs another (Zoom's 4700).
func appScopes() []string { return []string{"meeting:read", "meeting:write", "user:read"} }

// fakeOptions configure the embedded fake Zoom like PulsoDesk's account:
// its owner is the workspace admin, Ana, and the app has PulsoDesk's scopes.
func fakeOptions() []zoomtest.Option {
	return []zoomtest.Option{zoomtest.WithOwner(ownerEmail), zoomtest.WithAppScopes(appScopes()...)}
}

// seedFake gives the embedded fake Zoom a user for each member of the
// workspace: Ana owns the Zoom account, Luis is a licensed member of it.
// Against real Zoom (env.Fake nil) each member signs in to their own.
func seedFake(env *exkit.Env) error {
	if env.Fake == nil {
		return nil
	}
	if _, ok := env.Fake.User(luis.Email); ok {
		return nil
	}
	_, err := env.Fake.AddUser(zoomtest.User{Email: luis.Email, FirstName: "Luis", LastName: "Martín", Type: 2})
	return err
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cfg, err := exkit.ParseFlags(name, args, stderr)
	if err != nil {
		return err
	}
	env, err := exkit.Open(ctx, *cfg, stdout, fakeOptions()...)
	if err != nil {
		return err
	}
	defer env.Close()
	if err := seedFake(env); err != nil {
		return err
	}
	a, err := newApp(ctx, env, appOptions{})
	if err != nil {
		return err
	}
	if cfg.Serve {
		fmt.Fprintf(stdout, "PulsoDesk (workspace %q): open %s/ and click Connect Zoom Account.\n", a.name, env.BaseURL)
		fmt.Fprintf(stdout, "data folder (SQLite file, outbox): %s\n", env.Cfg.DataDir)
		return env.Serve(ctx, a)
	}
	return runFlow(ctx, env, a, stdout)
}
