// Command cme-webinars reproduces the Zoom integration of a continuing
// medical education (CME) platform (POM): an admin connects Zoom once for
// the organisation; the platform schedules CME webinars with registration,
// registers and approves physicians, records attendance from verified
// webhooks, reconciles it with Zoom's participant report and absentees
// after the webinar, awards credit to those who attended at least 75% of
// the scheduled time and writes a CSV; when the admin removes the app,
// the Zoom grant is deleted and the attendance records are kept.
//
//	go run ./examples/cme-webinars          # scripted flow against the embedded fake Zoom
//	go run ./examples/cme-webinars -serve   # the web app, on http://127.0.0.1:8080
//
// See README.md for running it against real Zoom.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"strings"
	"time"

	"github.com/zoomkit/zoomkit/examples/internal/exkit"
	"github.com/zoomkit/zoomkit/zoom/zoomtest"
)

const exampleName = "cme-webinars"

func main() {
	if err := run(context.Background(), os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return
		}
		msg := err.Error()
		if !strings.HasPrefix(msg, exampleName+":") {
			msg = exampleName + ": " + msg
		}
		fmt.Fprintln(os.Stderr, msg)
		os.Exit(1)
	}
}

// run parses the flags and runs the scripted flow, or serves the app.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cfg, err := exkit.ParseFlags(exampleName, args, stderr)
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
			if err := seedAccount(env.Fake); err != nil {
				return err
			}
			fmt.Fprintf(stdout, "fake Zoom: sign in as %s (the admin) on the consent page; the webinar host is %s\n", orgAdmin, faculty.Email)
		}
		return env.Serve(ctx, a)
	}
	_, err = runFlow(ctx, env, a, clock)
	return err
}

// open builds the environment and the app. Offline, without -serve, the
// fake Zoom and the app share a flow clock that the scripted flow moves.
// extra configures the fake Zoom further (tests).
func open(ctx context.Context, cfg *exkit.Config, stdout io.Writer, extra ...zoomtest.Option) (*exkit.Env, *app, *exkit.Clock, error) {
	var clock *exkit.Clock
	fakeOpts := []zoomtest.Option{
		zoomtest.WithAppScopes(appScopes...),
		zoomtest.WithOwner(orgAdmin),
		// New ids on every run, as Zoom never reuses them: a database kept
		// from an earlier run (-data, -db) holds the earlier ones.
		zoomtest.WithSeed(rand.Uint64()),
	}
	switch {
	case !cfg.Real() && !cfg.Serve:
		clock = exkit.NewClock(time.Now().UTC().Truncate(time.Hour))
	case !cfg.Real():
		// -serve offline: the clock starts now and moves only when the
		// user lets time pass on the home page.
		clock = exkit.NewClock(time.Now().UTC())
	}
	fakeOpts = append(fakeOpts, extra...)
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
	a.flow = clock
	return env, a, clock, nil
}
