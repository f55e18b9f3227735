package zoom

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestGroupsService(t *testing.T) {
	t.Parallel()
	runCases(t, []apiCase{
		{
			name: "List",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return c.Groups.List(ctx, &ListGroupsOptions{PageSize: 300})
			},
			resp:   fixture(t, "zoom_rb/groups/list.json"),
			method: "GET", path: "/groups", query: "page_size=300",
			check: func(t *testing.T, out any) {
				if l := out.(*GroupList); l.TotalRecords != 2 || len(l.Groups) != 2 || l.Groups[1].TotalMembers != 20 {
					t.Errorf("groups = %+v", l)
				}
			},
		},
		{
			name: "Create",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return c.Groups.Create(ctx, &CreateGroupRequest{Name: "Sales"})
			},
			status: http.StatusCreated,
			resp:   fixture(t, "zoom_rb/groups/create.json"),
			method: "POST", path: "/groups", body: `{"name":"Sales"}`,
			check: func(t *testing.T, out any) {
				if g := out.(*Group); g.ID == "" || g.Name == "" {
					t.Errorf("group = %+v", g)
				}
			},
		},
		{
			name:   "Get",
			call:   func(ctx context.Context, c *Client) (any, *Response, error) { return c.Groups.Get(ctx, "g1") },
			resp:   fixture(t, "zoom_rb/groups/get.json"),
			method: "GET", path: "/groups/g1",
		},
		{
			name: "Update",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return noOut(c.Groups.Update(ctx, "g1", &UpdateGroupRequest{Name: Ptr("Marketing")}))
			},
			status: http.StatusNoContent,
			method: "PATCH", path: "/groups/g1", body: `{"name":"Marketing"}`,
		},
		{
			name:   "Delete",
			call:   func(ctx context.Context, c *Client) (any, *Response, error) { return noOut(c.Groups.Delete(ctx, "g1")) },
			status: http.StatusNoContent,
			method: "DELETE", path: "/groups/g1",
		},
		{
			name: "ListMembers",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return c.Groups.ListMembers(ctx, "g1", &ListGroupMembersOptions{PageSize: 2000})
			},
			resp:   []byte(`{"members":[{"id":"u1","email":"a@example.com","type":2}],"page_size":2000,"total_records":1,"next_page_token":""}`),
			method: "GET", path: "/groups/g1/members", query: "page_size=2000",
			check: func(t *testing.T, out any) {
				if l := out.(*GroupMemberList); len(l.Members) != 1 || l.Members[0].Type != UserTypeLicensed {
					t.Errorf("members = %+v", l)
				}
			},
		},
		{
			name: "AddMembers",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return c.Groups.AddMembers(ctx, "g1", &AddGroupMembersRequest{Members: []UserRef{{Email: "a@example.com"}, {ID: "u2"}}})
			},
			status: http.StatusCreated,
			resp:   []byte(`{"ids":"u1,u2","added_at":"2026-01-02T03:04:05Z"}`),
			method: "POST", path: "/groups/g1/members", body: `{"members":[{"email":"a@example.com"},{"id":"u2"}]}`,
			check: func(t *testing.T, out any) {
				if a := out.(*AddedGroupMembers); a.IDs != "u1,u2" || a.AddedAt.IsZero() {
					t.Errorf("added = %+v", a)
				}
			},
		},
		{
			name: "UpdateMember",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return noOut(c.Groups.UpdateMember(ctx, "g1", "a@example.com", &UpdateGroupMemberRequest{Action: GroupMemberActionMove, TargetGroupID: Ptr("g2")}))
			},
			status: http.StatusNoContent,
			method: "PATCH", path: "/groups/g1/members/a@example.com", body: `{"action":"move","target_group_id":"g2"}`,
		},
		{
			name: "DeleteMember",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return noOut(c.Groups.DeleteMember(ctx, "g1", "u1"))
			},
			status: http.StatusNoContent,
			method: "DELETE", path: "/groups/g1/members/u1",
		},
	})
}

func TestGroupsArgumentErrors(t *testing.T) {
	t.Parallel()
	c, _, rec := setupRec(t)
	_, _, err := c.Groups.Get(context.Background(), "")
	wantArgError(t, rec, err, "groupID")
	_, err = c.Groups.DeleteMember(context.Background(), "g1", "")
	wantArgError(t, rec, err, "memberID")
	_, err = c.Groups.UpdateMember(context.Background(), "g1", "u1", &UpdateGroupMemberRequest{})
	wantArgError(t, rec, err, "body.Action")
}

func TestGroupsListMembersAll(t *testing.T) {
	t.Parallel()
	c, mt := setup(t)
	mt.RegisterNoResponder(func(r *http.Request) (*http.Response, error) {
		if r.URL.Query().Get("next_page_token") == "" {
			return httpmock.NewStringResponse(200, `{"next_page_token":"x","members":[{"id":"a"},{"id":"b"}]}`), nil
		}
		return httpmock.NewStringResponse(200, `{"members":[{"id":"c"}]}`), nil
	})
	var ids []string
	for m, err := range c.Groups.ListMembersAll(context.Background(), "g1", &ListGroupMembersOptions{PageSize: 2}) {
		require.NoError(t, err)
		ids = append(ids, m.ID)
	}
	assert.Equal(t, "abc", strings.Join(ids, ""), "ids = %v", ids)
}

func TestRolesService(t *testing.T) {
	t.Parallel()
	runCases(t, []apiCase{
		{
			name: "List",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return c.Roles.List(ctx, &ListRolesOptions{Type: RoleTypeCommon})
			},
			resp:   fixture(t, "zoom_rb/roles/list.json"),
			method: "GET", path: "/roles", query: "type=common",
			check: func(t *testing.T, out any) {
				l := out.(*RoleList)
				assert.GreaterOrEqual(t, len(l.Roles), 3, "roles = %+v", l)
				assert.Equal(t, "Owner", l.Roles[0].Name, "roles = %+v", l)
			},
		},
		{
			name:   "Get",
			call:   func(ctx context.Context, c *Client) (any, *Response, error) { return c.Roles.Get(ctx, "2") },
			resp:   fixture(t, "zoom_rb/roles/get.json"),
			method: "GET", path: "/roles/2",
			check: func(t *testing.T, out any) {
				if r := out.(*Role); r.Name != "Member" || len(r.Privileges) != 3 || r.TotalMembers != 2 {
					t.Errorf("role = %+v", r)
				}
			},
		},
		{
			name: "Create",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return c.Roles.Create(ctx, &CreateRoleRequest{Name: "Helpdesk", Description: "Support staff", Privileges: []string{"User:Read"}})
			},
			status: http.StatusCreated,
			resp:   fixture(t, "zoom_rb/roles/create.json"),
			method: "POST", path: "/roles", body: `{"name":"Helpdesk","description":"Support staff","privileges":["User:Read"]}`,
			check: func(t *testing.T, out any) {
				if r := out.(*Role); r.ID == "" || r.Name == "" {
					t.Errorf("role = %+v", r)
				}
			},
		},
		{
			name: "Update",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return noOut(c.Roles.Update(ctx, "5", &UpdateRoleRequest{Description: Ptr("New")}))
			},
			status: http.StatusNoContent,
			method: "PATCH", path: "/roles/5", body: `{"description":"New"}`,
		},
		{
			name:   "Delete",
			call:   func(ctx context.Context, c *Client) (any, *Response, error) { return noOut(c.Roles.Delete(ctx, "5")) },
			status: http.StatusNoContent,
			method: "DELETE", path: "/roles/5",
		},
		{
			name: "ListMembers",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return c.Roles.ListMembers(ctx, "2", &ListRoleMembersOptions{PageSize: 300})
			},
			resp:   fixture(t, "zoom_rb/roles/members.json"),
			method: "GET", path: "/roles/2/members", query: "page_size=300",
			check: func(t *testing.T, out any) {
				if l := out.(*RoleMemberList); len(l.Members) != 1 || l.Members[0].Type != UserTypeBasic || l.TotalRecords != 1 {
					t.Errorf("members = %+v", l)
				}
			},
		},
		{
			name: "AddMembers",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return c.Roles.AddMembers(ctx, "2", &AddRoleMembersRequest{Members: []UserRef{{Email: "a@example.com"}}})
			},
			status: http.StatusCreated,
			resp:   fixture(t, "zoom_rb/roles/assign.json"),
			method: "POST", path: "/roles/2/members", body: `{"members":[{"email":"a@example.com"}]}`,
			check: func(t *testing.T, out any) {
				// zoom_rb's body has "ids" as an array where the documents
				// say string: the mismatch decodes without error.
				a := out.(*AddedRoleMembers)
				assert.NotNil(t, a, "nil result")
			},
		},
		{
			name: "DeleteMember",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return noOut(c.Roles.DeleteMember(ctx, "2", "u1"))
			},
			status: http.StatusNoContent,
			method: "DELETE", path: "/roles/2/members/u1",
		},
	})
}

func TestContactsService(t *testing.T) {
	t.Parallel()
	runCases(t, []apiCase{
		{
			name: "Search",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return c.Contacts.Search(ctx, &SearchCompanyContactsOptions{SearchKey: "jill", QueryPresenceStatus: Ptr(true), PageSize: 25})
			},
			resp:   []byte(`{"contacts":[{"id":"u1","email":"jchill@example.com","first_name":"Jill","presence_status":"Available","contact_type":1,"unknown":true}],"next_page_token":"","page_size":25}`),
			method: "GET", path: "/contacts", query: "search_key=jill&query_presence_status=true&page_size=25",
			check: func(t *testing.T, out any) {
				if l := out.(*CompanyContactList); len(l.Contacts) != 1 || l.Contacts[0].PresenceStatus != PresenceAvailable {
					t.Errorf("contacts = %+v", l)
				}
			},
		},
		{
			name: "ListMine",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return c.Contacts.ListMine(ctx, &ListUserContactsOptions{Type: "company", PageSize: 50})
			},
			resp:   []byte(`{"contacts":[{"id":"u1","email":"a@example.com"}],"page_size":50}`),
			method: "GET", path: "/chat/users/me/contacts", query: "type=company&page_size=50",
		},
		{
			name: "GetMine",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return c.Contacts.GetMine(ctx, "a@example.com", &GetUserContactOptions{QueryPresenceStatus: Ptr(true)})
			},
			resp:   []byte(`{"id":"u1","email":"a@example.com","presence_status":"Do_Not_Disturb"}`),
			method: "GET", path: "/chat/users/me/contacts/a@example.com", query: "query_presence_status=true",
			check: func(t *testing.T, out any) {
				u := out.(*UserContact)
				assert.Equal(t, PresenceDoNotDisturb, u.PresenceStatus, "contact = %+v", u)
			},
		},
	})
}

func TestContactsSearchRequiresKey(t *testing.T) {
	t.Parallel()
	c, _, rec := setupRec(t)
	_, _, err := c.Contacts.Search(context.Background(), &SearchCompanyContactsOptions{PageSize: 5})
	wantArgError(t, rec, err, "opts.SearchKey")
	for _, err := range c.Contacts.SearchAll(context.Background(), nil) {
		wantArgError(t, rec, err, "opts.SearchKey")
	}
}
