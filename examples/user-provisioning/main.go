// Command user-provisioning reproduces RoleUp, an access-management
// dashboard, on zoomkit: an account owner or admin connects Zoom read/write
// or read-only; RoleUp mirrors the account's users (active, inactive,
// pending), groups and roles; it onboards users by email with a Basic, Pro
// or Corporate licence (Zoom's Basic or Licensed user), shows their
// invitation state, offboards (deactivates) and removes them, changes roles
// and group memberships; it lists its integrations with a configuration
// page; and it removes itself permanently (revoke, delete tokens and local
// data).
//
// Without flags it runs the whole flow against the embedded fake Zoom and
// prints a transcript; -serve runs it as a web app. See README.md.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/zoomkit/zoomkit/examples/internal/exkit"
	"github.com/zoomkit/zoomkit/zoom"
	"github.com/zoomkit/zoomkit/zoom/zoomtest"
)

const name = "user-provisioning"

func main() {
	if err := run(context.Background(), os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", name, err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cfg, err := exkit.ParseFlags(name, args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	if err != nil {
		return err
	}
	env, a, org, err := setup(ctx, *cfg, stdout)
	if err != nil {
		return err
	}
	defer env.Close()
	if cfg.Serve {
		if org != nil {
			fmt.Fprintf(stdout, "Offline: on the fake Zoom's consent page, sign in as %s (admin) or %s (owner);\n%s is a member and is refused.\n",
				org.Admin, org.Owner, org.Basic)
		}
		return env.Serve(ctx, a)
	}
	env.Start(a)
	return runFlow(ctx, env, a, org)
}

// setup opens the environment, builds RoleUp and, offline, seeds the fake
// Zoom with Acme's account.
func setup(ctx context.Context, cfg exkit.Config, out io.Writer) (_ *exkit.Env, _ *app, _ *acme, err error) {
	env, err := exkit.Open(ctx, cfg, out, fakeOptions()...)
	if err != nil {
		return nil, nil, nil, err
	}
	defer func() {
		if err != nil {
			env.Close()
		}
	}()
	orgName := "your company"
	if env.Fake != nil {
		orgName = "Acme"
	}
	a, err := newApp(ctx, env, orgName)
	if err != nil {
		return nil, nil, nil, err
	}
	var org *acme
	if env.Fake != nil {
		if org, err = seedAcme(ctx, env.Fake); err != nil {
			return nil, nil, nil, fmt.Errorf("seeding the fake Zoom: %w", err)
		}
	}
	return env, a, org, nil
}

// fakeOptions configure the embedded fake Zoom: Acme's owner, the
// scopes RoleUp's Marketplace app was given, and the paid seats Acme
// bought: five, of which the owner, Ada, Lena and Sam hold four.
func fakeOptions() []zoomtest.Option {
	return []zoomtest.Option{
		zoomtest.WithOwner("olivia.owner@acme.example"),
		zoomtest.WithAppScopes(append(append([]string{}, readScopes...), writeScopes...)...),
		zoomtest.WithLicenses(acmeSeats),
	}
}

// acmeSeats is the number of paid (Licensed) seats Acme bought.
const acmeSeats = 5

// acme is the fake Zoom account the flow runs on.
type acme struct {
	Owner, Admin            string // emails
	Basic, Licensed, Sales  string
	Inactive, Pending       string
	Engineering, SalesGroup string // group ids
	Helpdesk                string // custom role id
	NewBasic, NewLicensed   string // onboarded by the flow
	NewCorporate            string // onboarded when no seat is left
	// Globex is another organisation's Zoom account: its owner cannot
	// leave it, its member Greta can be invited away from it.
	Globex, GlobexOwner, Greta string
}

// seedAcme creates Acme's users, groups and custom role in the fake, as an
// admin would have set them up in Zoom's web portal.
func seedAcme(ctx context.Context, fake *zoomtest.Server) (*acme, error) {
	o := &acme{
		Owner: "olivia.owner@acme.example", Admin: "ada.admin@acme.example",
		Basic: "ben.basic@acme.example", Licensed: "lena.licensed@acme.example", Sales: "sam.sales@acme.example",
		Inactive: "ian.inactive@acme.example", Pending: "paula.pending@acme.example",
		NewBasic: "nina.new@acme.example", NewLicensed: "omar.new@acme.example",
		NewCorporate: "carla.new@acme.example",
		Globex:       "globex", GlobexOwner: "gus.owner@globex.example", Greta: "greta@globex.example",
	}
	users := []zoomtest.User{
		{Email: o.Admin, FirstName: "Ada", LastName: "Admin", Type: 2, RoleID: "1", Dept: "IT"},
		{Email: o.Basic, FirstName: "Ben", LastName: "Basic", Type: 1, Dept: "Engineering"},
		{Email: o.Licensed, FirstName: "Lena", LastName: "Licensed", Type: 2, Dept: "Engineering"},
		{Email: o.Sales, FirstName: "Sam", LastName: "Sales", Type: 2, Dept: "Sales"},
		{Email: o.Inactive, FirstName: "Ian", LastName: "Inactive", Type: 1, Status: "inactive", Dept: "Sales"},
		{Email: o.Pending, FirstName: "Paula", LastName: "Pending", Type: 1, Status: "pending"},
	}
	for _, u := range users {
		if _, err := fake.AddUser(u); err != nil {
			return nil, err
		}
	}
	// Another organisation's Zoom account, which RoleUp is not installed in.
	if _, _, err := fake.AddAccount(zoomtest.Account{ID: o.Globex, OwnerEmail: o.GlobexOwner}); err != nil {
		return nil, err
	}
	if _, err := fake.AddUserTo(o.Globex, zoomtest.User{Email: o.Greta, FirstName: "Greta", LastName: "Globex", Type: 1}); err != nil {
		return nil, err
	}
	var err error
	if o.Engineering, err = fake.AddGroup("Engineering", o.Admin, o.Basic, o.Licensed); err != nil {
		return nil, err
	}
	if o.SalesGroup, err = fake.AddGroup("Sales", o.Sales, o.Inactive); err != nil {
		return nil, err
	}
	// The fake has no helper for roles: the owner creates the custom role
	// through the API, as in Zoom's web portal.
	r, _, err := fake.Client("me").Roles.Create(ctx, &zoom.CreateRoleRequest{Name: "Helpdesk",
		Description: "Resets passwords and views users.", Type: "common", Privileges: []string{"User:Read", "User:Edit"}})
	if err != nil {
		return nil, err
	}
	o.Helpdesk = r.ID
	fake.ResetRequests()
	return o, nil
}
