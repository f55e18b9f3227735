package zoomtest_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/zoomkit/zoomkit/webhook"
	"github.com/zoomkit/zoomkit/zoom"
	"github.com/zoomkit/zoomkit/zoom/zoomtest"
)

func TestSeedRolesAndGroups(t *testing.T) {
	s, _ := start(t)
	ctx := t.Context()
	id, err := s.AddRole("Helpdesk", "first-line support", "User:Read")
	require.NoError(t, err)
	_, err = s.AddRole("helpdesk", "")
	require.Error(t, err, "a duplicate role name was accepted")
	_, err = s.AddRole(" ", "")
	require.Error(t, err, "an empty role name was accepted")
	// The API sees the seeded role.
	client := s.Client("me")
	list, _, err := client.Roles.List(ctx, nil)
	require.NoError(t, err)
	var names []string
	for _, r := range list.Roles {
		names = append(names, r.Name)
	}
	require.True(t, slices.Contains(names, "Helpdesk"), "roles through the API: %q", names)
	require.True(t, slices.Contains(names, "Owner"), "roles through the API: %q", names)
	// A member assigned through the API shows in Roles().
	u, err := s.AddUser(zoomtest.User{Email: "ben@acme.example", FirstName: "Ben"})
	require.NoError(t, err)
	_, _, err = client.Roles.AddMembers(ctx, id, &zoom.AddRoleMembersRequest{Members: []zoom.UserRef{{ID: u.ID}}})
	require.NoError(t, err)
	var helpdesk zoomtest.Role
	for _, r := range s.Roles() {
		if r.ID == id {
			helpdesk = r
		}
	}
	if helpdesk.Name != "Helpdesk" || helpdesk.Builtin || !slices.Equal(helpdesk.MemberIDs, []string{u.ID}) {
		t.Fatalf("Roles() = %+v", helpdesk)
	}
	gid, err := s.AddGroup("Engineering", u.ID)
	require.NoError(t, err)
	groups := s.Groups()
	if len(groups) != 1 || groups[0].ID != gid || !slices.Equal(groups[0].Members, []string{u.ID}) {
		t.Fatalf("Groups() = %+v", groups)
	}
}

func TestRevokeUserSilently(t *testing.T) {
	s, _ := start(t)
	ctx := t.Context()
	ada, err := s.AddUser(zoomtest.User{Email: "ada@acme.example", FirstName: "Ada", Type: 2})
	require.NoError(t, err)
	adaClient, ownerClient := s.Client(ada.ID, fastRetry()), s.Client("me", fastRetry())
	_, _, err = adaClient.Users.Get(ctx, "me", nil)
	require.NoError(t, err)
	before := len(s.Deliveries())
	err = s.RevokeUser("ADA@acme.example")
	require.NoError(t, err)
	var apiErr *zoom.APIError
	if _, _, err := adaClient.Users.Get(ctx, "me", nil); !errors.As(err, &apiErr) || apiErr.Code != 124 {
		t.Fatalf("after RevokeUser: %v, want 401 code 124", err)
	}
	_, _, err = ownerClient.Users.Get(ctx, "me", nil)
	require.NoError(t, err, "another user's token was revoked too")
	got := len(s.Deliveries())
	require.Equal(t, before, got, "RevokeUser sent %d webhooks", got-before)
	err = s.RevokeUser("nobody@acme.example")
	require.Error(t, err, "revoking an unknown user succeeded")
}

func TestVerificationTokenOnDeliveries(t *testing.T) {
	s, clk := start(t)
	const secret, legacy = "wh-secret", "legacy-verification-token"
	v, err := webhook.NewVerifier([]string{secret}, webhook.WithClock(clk.Now), webhook.WithLegacyToken(legacy))
	require.NoError(t, err)
	h, err := webhook.NewHandler(v)
	require.NoError(t, err)
	var created int
	h.OnMeetingCreated(func(_ context.Context, _ *webhook.Event, _ *webhook.MeetingCreatedPayload) error {
		created++
		return nil
	})
	err = s.SubscribeHandler(h, secret)
	require.NoError(t, err)
	s.SetVerificationToken(legacy)
	client := s.Client("me")
	_, _, err = client.Meetings.Create(t.Context(), "me", &zoom.CreateMeetingRequest{Topic: "x", Type: zoom.MeetingTypeScheduled})
	require.NoError(t, err)
	ds := s.Deliveries()
	d := ds[len(ds)-1]
	if d.Header.Get("Authorization") != legacy || d.Header.Get("X-Zm-Signature") == "" || d.Status != http.StatusOK || created != 1 {
		t.Fatalf("delivery %+v, handled %d", d, created)
	}
	// A legacy-only delivery (no signature) still verifies with the token.
	r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(string(d.Body)))
	r.Header.Set("Authorization", legacy)
	_, err = v.Verify(r)
	require.NoError(t, err, "legacy-only delivery")
	s.SetVerificationToken("")
	_, _, err = client.Meetings.Create(t.Context(), "me", &zoom.CreateMeetingRequest{Topic: "y", Type: zoom.MeetingTypeScheduled})
	require.NoError(t, err)
	ds = s.Deliveries()
	got := ds[len(ds)-1].Header.Get("Authorization")
	require.Equal(t, "", got, "Authorization still sent: %q", got)
}
