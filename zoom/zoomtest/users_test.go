package zoomtest_test

import (
	"context"
	"errors"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zoomkit/zoomkit/zoom"
	"github.com/zoomkit/zoomkit/zoom/zoomtest"
)

func TestUsersLifecycle(t *testing.T) {
	s, clk := start(t)
	rec := subscribe(t, s, clk)
	c := s.Client("me")
	ctx := context.Background()

	created, _, err := c.Users.Create(ctx, &zoom.CreateUserRequest{Action: zoom.UserCreateActionCreate,
		UserInfo: &zoom.UserInfo{Email: "new.hire@example.com", Type: zoom.UserTypeLicensed, FirstName: "New", LastName: "Hire"}})
	require.NoError(t, err)
	if !regexp.MustCompile(`^[A-Za-z0-9_-]{22}$`).MatchString(created.ID) || created.Type != zoom.UserTypeLicensed {
		t.Errorf("created %+v", created)
	}
	u, _ := s.User(created.ID)
	assert.Equal(t, "pending", u.Status, "status after create = %q, want pending", u.Status)
	pending, _, err := c.Users.List(ctx, &zoom.ListUsersOptions{Status: zoom.UserStatusPending})
	require.NoError(t, err, "pending users %+v %v", pending, err)
	require.Len(t, pending.Users, 1, "pending users %+v %v", pending, err)
	require.Equal(t, "new.hire@example.com", pending.Users[0].Email, "pending users %+v %v", pending, err)

	// The same email again: 409 with code 1005.
	_, _, err = c.Users.Create(ctx, &zoom.CreateUserRequest{Action: zoom.UserCreateActionCreate,
		UserInfo: &zoom.UserInfo{Email: "NEW.HIRE@example.com", Type: zoom.UserTypeBasic}})
	var apiErr *zoom.APIError
	require.ErrorAs(t, err, &apiErr, "duplicate email: %v", err)
	require.Equal(t, 409, apiErr.StatusCode, "duplicate email: %v", err)
	require.Equal(t, 1005, apiErr.Code, "duplicate email: %v", err)
	require.ErrorIs(t, err, zoom.ErrConflict, "duplicate email: %v", err)

	err = s.AcceptInvitation("new.hire@example.com")
	require.NoError(t, err)
	got, _, err := c.Users.Get(ctx, "new.hire@example.com", nil)
	require.NoError(t, err, "get after accepting: %+v %v", got, err)
	require.Equal(t, zoom.UserStatusActive, got.Status, "get after accepting: %+v %v", got, err)
	require.Equal(t, created.ID, got.ID, "get after accepting: %+v %v", got, err)

	_, err = c.Users.UpdateStatus(ctx, created.ID, &zoom.UpdateUserStatusRequest{Action: zoom.UserStatusActionDeactivate})
	require.NoError(t, err)
	u, _ = s.User(created.ID)
	assert.Equal(t, "inactive", u.Status, "after deactivate: %q", u.Status)
	_, err = c.Users.Delete(ctx, created.ID, &zoom.DeleteUserOptions{Action: zoom.UserDeleteActionDelete})
	require.NoError(t, err)
	_, _, err = c.Users.Get(ctx, created.ID, nil)
	assert.ErrorIs(t, err, zoom.ErrNotFound, "get after delete: %v", err)
	// A pending user is removed by disassociation.
	p2, _ := s.AddUser(zoomtest.User{Email: "later@example.com", Status: "pending"})
	_, err = c.Users.Delete(ctx, p2.ID, nil)
	require.NoError(t, err)
	want := []string{"user.created", "user.invitation_accepted", "user.deactivated", "user.deleted", "user.disassociated"}
	if got := rec.names(); !equal(got, want) {
		t.Errorf("events %v, want %v", got, want)
	}
}

func TestGroupsRolesContacts(t *testing.T) {
	s, _ := start(t)
	c := s.Client("me")
	ctx := context.Background()
	ada, _ := s.AddUser(zoomtest.User{Email: "ada@example.com", FirstName: "Ada", LastName: "Lovelace"})
	alan, _ := s.AddUser(zoomtest.User{Email: "alan@example.com", FirstName: "Alan", LastName: "Turing"})

	g, _, err := c.Groups.Create(ctx, &zoom.CreateGroupRequest{Name: "Engineering"})
	require.NoError(t, err)
	_, _, err = c.Groups.Create(ctx, &zoom.CreateGroupRequest{Name: "engineering"})
	assert.ErrorIs(t, err, zoom.ErrConflict, "duplicate group name: %v", err)
	_, _, err = c.Groups.AddMembers(ctx, g.ID, &zoom.AddGroupMembersRequest{Members: []zoom.UserRef{{ID: ada.ID}, {Email: alan.Email}}})
	require.NoError(t, err)
	members, _, err := c.Groups.ListMembers(ctx, g.ID, nil)
	require.NoError(t, err, "members %+v %v", members, err)
	require.Equal(t, 2, members.TotalRecords, "members %+v %v", members, err)
	if u, _ := s.User(ada.ID); len(u.GroupIDs) != 1 || u.GroupIDs[0] != g.ID {
		t.Errorf("ada's groups %v", u.GroupIDs)
	}
	_, err = c.Groups.DeleteMember(ctx, g.ID, alan.ID)
	require.NoError(t, err)
	_, err = c.Groups.DeleteMember(ctx, g.ID, alan.ID)
	var apiErr *zoom.APIError
	if !errors.As(err, &apiErr) || apiErr.Code != 4131 {
		t.Errorf("removing a non-member: %v", err)
	}
	if _, _, err := c.Groups.Get(ctx, "nope"); !errors.As(err, &apiErr) || apiErr.Code != 4130 {
		t.Errorf("missing group: %v", err)
	}

	roles, _, err := c.Roles.List(ctx, nil)
	require.NoError(t, err, "roles %+v %v", roles, err)
	require.Len(t, roles.Roles, 3, "roles %+v %v", roles, err)
	_, _, err = c.Roles.AddMembers(ctx, "1", &zoom.AddRoleMembersRequest{Members: []zoom.UserRef{{ID: ada.ID}}})
	require.NoError(t, err)
	admins, _, err := c.Roles.ListMembers(ctx, "1", nil)
	require.NoError(t, err, "admins %+v %v", admins, err)
	require.Len(t, admins.Members, 1, "admins %+v %v", admins, err)
	require.Equal(t, ada.ID, admins.Members[0].ID, "admins %+v %v", admins, err)
	u, _ := s.User(ada.ID)
	assert.Equal(t, "1", u.RoleID, "ada's role = %q", u.RoleID)
	_, err = c.Roles.DeleteMember(ctx, "1", ada.ID)
	require.NoError(t, err)
	u, _ = s.User(ada.ID)
	assert.Equal(t, "2", u.RoleID, "ada's role after removal = %q", u.RoleID)

	// Contact search by name, one per page by default.
	var names []string
	for ct, err := range c.Contacts.SearchAll(ctx, &zoom.SearchCompanyContactsOptions{SearchKey: "a"}) {
		require.NoError(t, err)
		names = append(names, ct.FirstName)
	}
	if !equal(names, []string{"Account", "Ada", "Alan"}) {
		t.Errorf("search a: %v", names)
	}
	res, _, err := c.Contacts.Search(ctx, &zoom.SearchCompanyContactsOptions{SearchKey: "turing", PageSize: 25})
	if err != nil || len(res.Contacts) != 1 || res.Contacts[0].Email != alan.Email {
		t.Errorf("search turing: %+v %v", res, err)
	}
}

func TestCheckEmailAndUnsubscribe(t *testing.T) {
	s, clk := start(t)
	c := s.Client("me")
	ctx := context.Background()
	got, _, err := c.Users.CheckEmail(ctx, &zoom.CheckUserEmailOptions{Email: "owner@example.com"})
	if err != nil || !got.ExistedEmail {
		t.Errorf("existing email: %+v %v", got, err)
	}
	got, _, err = c.Users.CheckEmail(ctx, &zoom.CheckUserEmailOptions{Email: "nobody@example.com"})
	if err != nil || got.ExistedEmail {
		t.Errorf("unknown email: %+v %v", got, err)
	}
	rec := subscribe(t, s, clk)
	s.Unsubscribe()
	_, _ = s.AddUser(zoomtest.User{Email: "quiet@example.com"})
	if _, _, err := c.Users.Create(ctx, &zoom.CreateUserRequest{Action: zoom.UserCreateActionAutoCreate,
		UserInfo: &zoom.UserInfo{Email: "q2@example.com", Type: zoom.UserTypeBasic}}); err != nil {
		t.Fatal(err)
	}
	n := len(rec.names())
	assert.Equal(t, 0, n, "%d events after Unsubscribe", n)
}
