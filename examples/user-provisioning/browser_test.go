package main

import (
	"context"
	"io"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/zoomkit/zoomkit/examples/internal/exkit"
	"github.com/zoomkit/zoomkit/examples/internal/exkittest"
	"github.com/zoomkit/zoomkit/tokenstore"
)

// TestBrowserServe runs the -serve web app in headless Chromium: a member
// is refused on Zoom's consent page; Ada (admin) connects RoleUp; on Users
// she onboards Omar with a Pro licence and Greta, who has a Zoom account
// elsewhere; she offboards Lena and brings her back with the toggle,
// removes Ian, and removes RoleUp permanently. Each page is saved as a PNG.
func TestBrowserServe(t *testing.T) {
	c := exkittest.NewChrome(t, name)

	// The app as `go run ./examples/user-provisioning -serve` runs it, on a
	// free port, with the fake Zoom showing its consent page.
	env, a, org, err := setup(t.Context(), exkit.Config{Name: name, Serve: true, Addr: "127.0.0.1:0", DataDir: t.TempDir()}, io.Discard)
	require.NoError(t, err)
	serveCtx, stopServe := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- env.Serve(serveCtx, a) }()
	t.Cleanup(func() {
		stopServe()
		assert.NoError(t, <-served, "serve")
		env.Close()
	})
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	row := func(email string) string { return `tr[data-email="` + email + `"]` }
	flash := func(want string) {
		t.Helper()
		s := c.Text("#flash")
		assert.Contains(t, s, want, "the page says %q, want %q", s, want)
	}

	// 1. Home, not connected.
	c.Do("open RoleUp", chromedp.Navigate(env.BaseURL+"/"), chromedp.WaitVisible(css("#connect-rw")))
	s := c.Text("#status")
	assert.Contains(t, s, "RoleUp is not connected to Zoom", "status %q", s)
	c.Shot("home")

	// 2. A member approves on Zoom's consent page: Zoom refuses the
	// admin-managed app, and RoleUp gets no code.
	allow := css(`button[name="decision"][value="allow"]`)
	ben, _ := env.Fake.User(org.Basic)
	c.Submit("Connect Zoom as a member", "#connect-rw")
	c.Do("choose the member", chromedp.WaitVisible(allow), chromedp.SetValue(css("select[name=user]"), ben.ID))
	c.Shot("consent-member")
	c.Submit("approve as the member", `button[name="decision"][value="allow"]`)
	s = c.Text("body")
	assert.Contains(t, s, "An account admin is required to install this type of app", "Zoom's page after the member approved: %q", s)
	c.Shot("member-refused")
	conn, _ := a.store.connection(t.Context())
	require.Nil(t, conn, "a member connected RoleUp")

	// 3. Ada, an admin, connects read/write; RoleUp syncs.
	ada, _ := env.Fake.User(org.Admin)
	c.Do("back to RoleUp", chromedp.Navigate(env.BaseURL+"/"), chromedp.WaitVisible(css("#connect-rw")))
	c.Submit("Connect Zoom as the admin", "#connect-rw")
	c.Submit("approve as the admin", `button[name="decision"][value="allow"]`, chromedp.SetValue(css("select[name=user]"), ada.ID))
	flash("Connected to Zoom read-write as " + org.Admin + ". Synced 7 users")
	assert.Equal(t, modeReadWrite, c.Text("#mode"), "mode")
	c.Shot("connected")

	// 4. Onboard Omar with a Pro licence: a Licensed user in Zoom, pending.
	c.Submit("go to Users", `header nav a[href="/users"]`)
	c.Submit("onboard Omar as Pro", "#onboard-submit",
		chromedp.SetValue(css("#onboard-email"), org.NewLicensed),
		chromedp.SetValue(css("#onboard-first"), "Omar"),
		chromedp.SetValue(css("#onboard-last"), "New"),
		chromedp.SetValue(css("#onboard-licence"), "pro"))
	flash("Invited " + org.NewLicensed + " with a Pro licence (Licensed in Zoom): pending until they accept Zoom's email.")
	s = c.Text(row(org.NewLicensed))
	assert.Contains(t, s, "Pro (Licensed)", "Omar's row: %q", s)
	assert.Contains(t, s, "waiting for them to accept Zoom's email", "Omar's row: %q", s)
	u, ok := env.Fake.User(org.NewLicensed)
	assert.True(t, ok, "Omar in Zoom: %+v", u)
	assert.Equal(t, 2, u.Type, "Omar in Zoom: %+v", u)
	assert.Equal(t, "pending", u.Status, "Omar in Zoom: %+v", u)
	c.Shot("onboarded-pro")

	// Greta has a Zoom account with another organisation: Zoom's
	// invitation asks her to leave it.
	c.Submit("onboard Greta", "#onboard-submit",
		chromedp.SetValue(css("#onboard-email"), org.Greta),
		chromedp.SetValue(css("#onboard-licence"), "basic"))
	flash("already has a Zoom account with another organisation: Zoom's invitation asks them to leave it and join Acme's account")
	c.Shot("onboarded-elsewhere")

	// 5. The Offboard toggle: Lena is deactivated in Zoom, then active again.
	c.Submit("offboard Lena", row(org.Licensed)+" button.offboard")
	flash("Offboarded " + org.Licensed + ": deactivated in Zoom, nothing deleted")
	assert.Equal(t, "Offboard: on", c.Text(row(org.Licensed)+" button.offboard"), "the toggle reads")
	u, _ = env.Fake.User(org.Licensed)
	assert.Equal(t, "inactive", u.Status, "Lena in Zoom after Offboard on")
	c.Shot("offboarded")
	c.Submit("bring Lena back", row(org.Licensed)+" button.offboard")
	flash(org.Licensed + " is back on board")
	u, _ = env.Fake.User(org.Licensed)
	assert.Equal(t, "active", u.Status, "Lena in Zoom after Offboard off")

	// 6. Remove Ian permanently.
	c.Submit("remove Ian", row(org.Inactive)+" button.remove",
		chromedp.SetValue(css(row(org.Inactive)+` select[name="action"]`), "delete"))
	flash("Removed " + org.Inactive + " (delete).")
	assert.Equal(t, 0, c.Count(row(org.Inactive)), "Ian is still listed")
	_, ok = env.Fake.User(org.Inactive)
	assert.False(t, ok, "Ian is still in Zoom")
	c.Shot("removed-user")

	// 7. Remove RoleUp permanently: the grant is revoked, the tokens and
	// every record deleted.
	conn, _ = a.store.connection(t.Context())
	c.Submit("go home", "header a.brand")
	c.Submit("remove RoleUp", "#remove-roleup")
	flash("RoleUp was removed: Zoom access revoked, tokens and local data deleted.")
	_, err = env.Tokens.Get(t.Context(), conn.TokenKey)
	assert.ErrorIs(t, err, tokenstore.ErrNotFound, "tokens after the removal")
	us, _ := a.store.users(t.Context(), "")
	assert.Empty(t, us, "users still mirrored")
	c.Shot("removed")
}
