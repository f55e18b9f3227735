// Command scheduling reproduces a booking service's Zoom integration
// (Introwise): a host connects Zoom and makes it the default conferencing;
// bookings create Zoom meetings, reschedules update them, cancellations
// delete them; disconnecting removes one account's connection (without
// revoking: a second account on the same Zoom user keeps working) and
// falls back to built-in calls; a grant revoked on Zoom's side, or the app
// uninstalled there, ends in an "Action required" email, and an uninstall
// removes the Zoom data of every account that used that Zoom user.
//
//	go run ./examples/scheduling          # the scripted flow, offline
//	go run ./examples/scheduling -serve   # the web app, offline
//
// See README.md for real Zoom.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/zoomkit/zoomkit/examples/internal/exkit"
	"github.com/zoomkit/zoomkit/zoom/zoomtest"
)

// zoomEmail is the host's Zoom login in the fake Zoom (offline runs).
const zoomEmail = "ada@lovelace-coaching.example"

func main() {
	if err := run(context.Background(), os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return
		}
		msg := err.Error()
		if !strings.HasPrefix(msg, "scheduling:") {
			msg = "scheduling: " + msg
		}
		fmt.Fprintln(os.Stderr, msg)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cfg, err := exkit.ParseFlags("scheduling", args, stderr)
	if err != nil {
		return err
	}
	clk := &clock{}
	env, a, err := open(ctx, *cfg, stdout, clk)
	if err != nil {
		return err
	}
	defer env.Close()
	if cfg.Serve {
		return env.Serve(ctx, a)
	}
	env.Start(a)
	if err := runFlow(ctx, env, a, clk); err != nil {
		return fmt.Errorf("flow failed: %w", err)
	}
	fmt.Fprintf(stdout, "\nDone. Outbox and database: %s\n", env.Cfg.DataDir)
	return nil
}

// appScopes are what the Marketplace app needs (granular scopes): create,
// update and delete the user's meetings, and read the user (the connected
// account's email).
func appScopes() []string {
	return []string{"meeting:write:meeting", "meeting:update:meeting", "meeting:delete:meeting", "user:read:user"}
}

// open wires the environment (the fake Zoom offline, on the app's clock,
// with the app's scopes) and the app.
func open(ctx context.Context, cfg exkit.Config, out io.Writer, clk *clock, fakeOpts ...zoomtest.Option) (*exkit.Env, *app, error) {
	fakeOpts = append([]zoomtest.Option{zoomtest.WithOwner(zoomEmail), zoomtest.WithAppScopes(appScopes()...)}, fakeOpts...)
	cfg.Clock = clk // the fake, the outbox and the webhook verifier follow it
	env, err := exkit.Open(ctx, cfg, out, fakeOpts...)
	if err != nil {
		return nil, nil, err
	}
	a, err := newApp(ctx, env, clk)
	if err != nil {
		env.Close()
		return nil, nil, err
	}
	return env, a, nil
}
