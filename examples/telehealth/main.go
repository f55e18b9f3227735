// Command telehealth reproduces the Zoom integration of an EHR for doctors
// and patients (Zymebalanz): a provider connects Zoom, schedules telehealth
// visits with patients found by name, lists and deletes them, and removing
// the app from Zoom deletes the provider's data.
//
//	go run ./examples/telehealth          # scripted flow against the embedded fake Zoom
//	go run ./examples/telehealth -serve   # the web app, on http://127.0.0.1:8080
//
// See README.md for running it against real Zoom.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/zoomkit/zoomkit/examples/internal/exkit"
	"github.com/zoomkit/zoomkit/zoom/zoomtest"
)

func main() {
	if err := run(context.Background(), os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return
		}
		msg := err.Error()
		if !strings.HasPrefix(msg, "telehealth:") {
			msg = "telehealth: " + msg
		}
		fmt.Fprintln(os.Stderr, msg)
		os.Exit(1)
	}
}

// run parses the flags and runs the scripted flow, or serves the app.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cfg, err := exkit.ParseFlags("telehealth", args, stderr)
	if err != nil {
		return err
	}
	env, a, clock, err := open(ctx, cfg, stdout)
	if err != nil {
		return err
	}
	defer env.Close()
	if cfg.Serve {
		if env.Fake != nil {
			if err := seedDirectory(env.Fake); err != nil {
				return err
			}
			fmt.Fprintf(stdout, "fake Zoom: sign in as %s (the provider) on the consent page; EHR patients: %s; Zoom contacts: %s\n", drRivera.Email, patientNames(), contactNames())
		}
		return env.Serve(ctx, a)
	}
	_, err = runFlow(ctx, env, a, clock)
	return err
}

// open builds the environment and the app. Offline, without -serve, the
// fake Zoom and the app share a flow clock that the scripted flow moves.
func open(ctx context.Context, cfg *exkit.Config, stdout io.Writer) (*exkit.Env, *app, *exkit.Clock, error) {
	var clock *exkit.Clock
	fakeOpts := []zoomtest.Option{
		zoomtest.WithAppScopes(appScopes...),
		zoomtest.WithOwner(clinicAdmin),
	}
	if !cfg.Real() && !cfg.Serve {
		clock = exkit.NewClock(time.Now().UTC().Truncate(time.Second))
	}
	ecfg := *cfg
	if clock != nil {
		ecfg.Clock = clock // the fake, the outbox and the webhook verifier follow it
	}
	env, err := exkit.Open(ctx, ecfg, stdout, fakeOpts...)
	if err != nil {
		return nil, nil, nil, err
	}
	var appClock exkit.TimeSource // stays a nil interface without the flow clock
	if clock != nil {
		appClock = clock
	}
	a, err := newApp(ctx, env, appClock)
	if err != nil {
		env.Close()
		return nil, nil, nil, err
	}
	return env, a, clock, nil
}
