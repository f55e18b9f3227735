package zoomtest_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/zoomkit/zoomkit/zoom"
	"github.com/zoomkit/zoomkit/zoom/zoomtest"
)

// Licensed seats are counted per account: with two seats (the owner holds
// one), the second licensed user takes the last, and one more licensed
// user, by create or by update to type 2, gets Zoom's 3412.
func TestLicensedSeats(t *testing.T) {
	s, _ := start(t, zoomtest.WithLicenses(2))
	c := s.Client("me")
	ctx := context.Background()

	lic, _, err := c.Users.Create(ctx, &zoom.CreateUserRequest{Action: zoom.UserCreateActionCreate,
		UserInfo: &zoom.UserInfo{Email: "lic@example.com", Type: zoom.UserTypeLicensed}})
	require.NoError(t, err)
	used, limit := s.Seats()
	assert.Equal(t, 2, used, "a pending licensed user holds a seat")
	assert.Equal(t, 2, limit)

	_, _, err = c.Users.Create(ctx, &zoom.CreateUserRequest{Action: zoom.UserCreateActionCustCreate,
		UserInfo: &zoom.UserInfo{Email: "over@example.com", Type: zoom.UserTypeLicensed}})
	require.Error(t, err)
	st, code := apiCode(t, err)
	assert.Equal(t, 400, st)
	assert.Equal(t, 3412, code)
	assert.Contains(t, err.Error(), "paying users")
	_, exists := s.User("over@example.com")
	assert.False(t, exists, "a refused create adds nobody")

	basic, _, err := c.Users.Create(ctx, &zoom.CreateUserRequest{Action: zoom.UserCreateActionCustCreate,
		UserInfo: &zoom.UserInfo{Email: "basic@example.com", Type: zoom.UserTypeBasic, FirstName: "Bas"}})
	require.NoError(t, err, "basic users take no seat")

	_, err = c.Users.Update(ctx, basic.ID, &zoom.UpdateUserRequest{Type: zoom.Ptr(zoom.UserTypeLicensed), FirstName: zoom.Ptr("Changed")}, nil)
	require.Error(t, err)
	_, code = apiCode(t, err)
	assert.Equal(t, 3412, code)
	u, _ := s.User(basic.ID)
	assert.Equal(t, 1, u.Type)
	assert.Equal(t, "Bas", u.FirstName, "a refused update changes nothing")

	_, err = s.AddUser(zoomtest.User{Email: "seeded@example.com", Type: 2})
	assert.Error(t, err, "seeding respects the seats too")

	// Freeing a seat (down to Basic) lets the other one up.
	_, err = c.Users.Update(ctx, lic.ID, &zoom.UpdateUserRequest{Type: zoom.Ptr(zoom.UserTypeBasic)}, nil)
	require.NoError(t, err)
	_, err = c.Users.Update(ctx, basic.ID, &zoom.UpdateUserRequest{Type: zoom.Ptr(zoom.UserTypeLicensed)}, nil)
	require.NoError(t, err)

	// A deactivated user gives the seat back; reactivating needs one.
	_, err = c.Users.UpdateStatus(ctx, basic.ID, &zoom.UpdateUserStatusRequest{Action: zoom.UserStatusActionDeactivate})
	require.NoError(t, err)
	_, err = c.Users.Update(ctx, lic.ID, &zoom.UpdateUserRequest{Type: zoom.Ptr(zoom.UserTypeLicensed)}, nil)
	require.NoError(t, err)
	_, err = c.Users.UpdateStatus(ctx, basic.ID, &zoom.UpdateUserStatusRequest{Action: zoom.UserStatusActionActivate})
	require.Error(t, err)
	_, code = apiCode(t, err)
	assert.Equal(t, 3412, code)
}

// Without WithLicenses the seats are unlimited, as before.
func TestSeatsUnlimitedByDefault(t *testing.T) {
	s, _ := start(t)
	for _, e := range []string{"a@example.com", "b@example.com", "c@example.com"} {
		_, err := s.AddUser(zoomtest.User{Email: e, Type: 2})
		require.NoError(t, err)
	}
	used, limit := s.Seats()
	assert.Equal(t, 4, used)
	assert.Equal(t, 0, limit)
	_, err := zoomtest.NewServer(zoomtest.WithLicenses(0))
	assert.Error(t, err, "the owner needs a seat")
}

// The webinar feature is an add-on given to a user, not implied by a
// license: a licensed host without it gets Zoom's "Webinar plan is
// missing"; the owner holds it by default.
func TestWebinarAddOn(t *testing.T) {
	s, clk := start(t)
	c := s.Client("me")
	ctx := context.Background()
	req := func() *zoom.CreateWebinarRequest {
		return &zoom.CreateWebinarRequest{Topic: "Grand rounds", StartTime: zoom.NewTime(clk.Now().Add(time.Hour))}
	}

	_, _, err := c.Webinars.Create(ctx, "me", req())
	require.NoError(t, err, "the owner holds the add-on by default")

	lic, err := s.AddUser(zoomtest.User{Email: "lic@example.com", Type: 2})
	require.NoError(t, err)
	assert.False(t, lic.Webinar)
	_, _, err = c.Webinars.Create(ctx, lic.ID, req())
	require.Error(t, err)
	st, code := apiCode(t, err)
	assert.Equal(t, 400, st)
	assert.Equal(t, 200, code)
	assert.Contains(t, err.Error(), "Webinar plan is missing")
	assert.Empty(t, s.Meetings(lic.ID))

	host, err := s.AddUser(zoomtest.User{Email: "host@example.com", Type: 2, Webinar: true})
	require.NoError(t, err)
	assert.True(t, host.Webinar)
	_, _, err = c.Webinars.Create(ctx, host.ID, req())
	require.NoError(t, err)

	_, err = s.AddUser(zoomtest.User{Email: "basic@example.com", Type: 1, Webinar: true})
	assert.Error(t, err, "the add-on needs a license")

	// Through the API: an admin enables the feature in the user's settings.
	_, err = c.Users.UpdateSettings(ctx, lic.ID, &zoom.UpdateUserSettingsRequest{Feature: &zoom.UserSettingsFeatureRequest{Webinar: zoom.Ptr(true)}}, nil)
	require.NoError(t, err)
	u, _ := s.User(lic.ID)
	assert.True(t, u.Webinar)
	set, _, err := c.Users.GetSettings(ctx, lic.ID, nil)
	require.NoError(t, err)
	require.NotNil(t, set.Feature)
	assert.True(t, set.Feature.Webinar)
	_, _, err = c.Webinars.Create(ctx, lic.ID, req())
	require.NoError(t, err)

	// A member may not give themselves the add-on.
	mem, err := s.AddUser(zoomtest.User{Email: "mem@example.com", Type: 2})
	require.NoError(t, err)
	_, err = s.Client(mem.ID).Users.UpdateSettings(ctx, "me", &zoom.UpdateUserSettingsRequest{Feature: &zoom.UserSettingsFeatureRequest{Webinar: zoom.Ptr(true)}}, nil)
	require.Error(t, err)
	_, code = apiCode(t, err)
	assert.Equal(t, 200, code)

	// Only a licensed user may hold it (Zoom's 1122); going Basic drops it.
	basic, err := s.AddUser(zoomtest.User{Email: "b@example.com", Type: 1})
	require.NoError(t, err)
	_, err = c.Users.UpdateSettings(ctx, basic.ID, &zoom.UpdateUserSettingsRequest{Feature: &zoom.UserSettingsFeatureRequest{Webinar: zoom.Ptr(true)}}, nil)
	require.Error(t, err)
	_, code = apiCode(t, err)
	assert.Equal(t, 1122, code)
	_, err = c.Users.Update(ctx, host.ID, &zoom.UpdateUserRequest{Type: zoom.Ptr(zoom.UserTypeBasic)}, nil)
	require.NoError(t, err)
	u, _ = s.User(host.ID)
	assert.False(t, u.Webinar)

	// Seeding takes it away from the owner too.
	require.NoError(t, s.SetWebinar("me", false))
	_, _, err = c.Webinars.Create(ctx, "me", req())
	require.Error(t, err)
	assert.Error(t, s.SetWebinar(basic.ID, true))
}

// A PATCH naming an unknown group changes nothing, not even the fields
// listed before it.
func TestUpdateUserUnknownGroupChangesNothing(t *testing.T) {
	s, _ := start(t)
	u, err := s.AddUser(zoomtest.User{Email: "u@example.com", FirstName: "Before"})
	require.NoError(t, err)
	_, err = s.Client("me").Users.Update(context.Background(), u.ID, &zoom.UpdateUserRequest{FirstName: zoom.Ptr("After"), GroupID: zoom.Ptr("no-such-group")}, nil)
	_, code := apiCode(t, err)
	assert.Equal(t, 4130, code)
	got, _ := s.User(u.ID)
	assert.Equal(t, "Before", got.FirstName)
}
