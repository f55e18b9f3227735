package zoom

import (
	"context"
	"fmt"
	"mime"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestUsersService(t *testing.T) {
	t.Parallel()
	runCases(t, []apiCase{
		{
			name: "List",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return c.Users.List(ctx, &ListUsersOptions{Status: UserStatusActive, PageSize: 2000, IncludeFields: UserIncludeFieldHostKey})
			},
			resp:   fixture(t, "zoom_rb/user/list.json"),
			method: "GET", path: "/users", query: "status=active&page_size=2000&include_fields=host_key",
			check: func(t *testing.T, out any) {
				l := out.(*UserList)
				require.Len(t, l.Users, 1, "users = %+v", l)
				require.Equal(t, 1, l.TotalRecords, "users = %+v", l)
				u := l.Users[0]
				if u.ID != "z8yAAAAA8bbbQ" || u.Type != UserTypeLicensed || u.PMI != 581111112 || u.Status != UserStatusActive ||
					!u.LastLoginTime.Equal(time.Date(2019, 9, 13, 21, 8, 52, 0, time.UTC)) || len(u.IMGroupIDs) != 1 {
					t.Errorf("user = %+v", u)
				}
			},
		},
		{
			name: "ListPending",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return c.Users.List(ctx, &ListUsersOptions{Status: UserStatusPending})
			},
			resp:   fixture(t, "zoom_rb/user/pending.json"),
			method: "GET", path: "/users", query: "status=pending",
			check: func(t *testing.T, out any) {
				if l := out.(*UserList); l.TotalRecords != 235 || len(l.Users) == 0 || l.Users[0].Email == "" {
					t.Errorf("users = %+v", l)
				}
			},
		},
		{
			name: "GetByEmail",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return c.Users.Get(ctx, "a+b@example.com", &GetUserOptions{EncryptedEmail: true})
			},
			resp:   fixture(t, "zoom_rb/user/get.json"),
			method: "GET", path: "/users/a+b@example.com", query: "encrypted_email=true",
			check: func(t *testing.T, out any) {
				u := out.(*User)
				assert.Equal(t, "z8dsdsdsdsdCfp8uQ", u.ID, "user = %+v", u)
				assert.Equal(t, ID(100000000), u.PMI, "user = %+v", u)
				assert.Equal(t, UserTypeLicensed, u.Type, "user = %+v", u)
			},
		},
		{
			name:   "GetSSOUser",
			call:   func(ctx context.Context, c *Client) (any, *Response, error) { return c.Users.Get(ctx, "me", nil) },
			resp:   fixture(t, "zoom_rb/user/getbyemail.json"),
			method: "GET", path: "/users/me",
			check: func(t *testing.T, out any) {
				u := out.(*User)
				assert.Equal(t, UserTypeNone, u.Type, "type = %v", u.Type)
				assert.Equal(t, "None", u.Type.String(), "type = %v", u.Type)
			},
		},
		{
			name: "Create",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return c.Users.Create(ctx, &CreateUserRequest{
					Action:   UserCreateActionCustCreate,
					UserInfo: &UserInfo{Email: "foo@bar.com", Type: UserTypeBasic, FirstName: "Zoomie"},
				})
			},
			status: http.StatusCreated,
			resp:   fixture(t, "zoom_rb/user/create.json"),
			method: "POST", path: "/users",
			body: `{"action":"custCreate","user_info":{"email":"foo@bar.com","type":1,"first_name":"Zoomie"}}`,
			check: func(t *testing.T, out any) {
				u := out.(*CreatedUser)
				assert.Equal(t, "foobar", u.ID, "created = %+v", u)
				assert.Equal(t, UserTypeBasic, u.Type, "created = %+v", u)
			},
		},
		{
			name: "Update",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return noOut(c.Users.Update(ctx, "me", &UpdateUserRequest{JobTitle: Ptr("Engineer"), UsePMI: Ptr(false)}, nil))
			},
			status: http.StatusNoContent,
			method: "PATCH", path: "/users/me", body: `{"job_title":"Engineer","use_pmi":false}`,
		},
		{
			name: "DeletePermanently",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return noOut(c.Users.Delete(ctx, "z8dsdsdsdsdCfp8uQ", &DeleteUserOptions{
					Action: UserDeleteActionDelete, TransferEmail: "boss@example.com", TransferMeeting: Ptr(true), TransferRecording: Ptr(true),
				}))
			},
			status: http.StatusNoContent,
			method: "DELETE", path: "/users/z8dsdsdsdsdCfp8uQ",
			query: "action=delete&transfer_email=boss%40example.com&transfer_meeting=true&transfer_recording=true",
		},
		{
			name: "UpdateStatus",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return noOut(c.Users.UpdateStatus(ctx, "me", &UpdateUserStatusRequest{Action: UserStatusActionDeactivate}))
			},
			method: "PUT", path: "/users/me/status", body: `{"action":"deactivate"}`,
		},
		{
			name: "CheckEmail",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return c.Users.CheckEmail(ctx, &CheckUserEmailOptions{Email: "jchill@example.com"})
			},
			resp:   fixture(t, "zoom_rb/user/email_check.json"),
			method: "GET", path: "/users/email", query: "email=jchill%40example.com",
			check: func(t *testing.T, out any) {
				if !out.(*EmailCheck).ExistedEmail {
					t.Error("existed_email = false")
				}
			},
		},
		{
			name: "CheckVanityName",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return c.Users.CheckVanityName(ctx, &CheckVanityNameOptions{VanityName: "jill"})
			},
			resp:   fixture(t, "zoom_rb/user/vanity_name.json"),
			method: "GET", path: "/users/vanity_name", query: "vanity_name=jill",
		},
		{
			name: "GetToken",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return c.Users.GetToken(ctx, "me", &GetUserTokenOptions{Type: UserTokenTypeZAK, TTL: 3600})
			},
			resp:   fixture(t, "zoom_rb/user/token.json"),
			method: "GET", path: "/users/me/token", query: "type=zak&ttl=3600",
			check: func(t *testing.T, out any) {
				tok := out.(*UserToken)
				if tok.Token.Reveal() != "string" || fmt.Sprintf("%v %+v", tok.Token, *tok) == "" || strings.Contains(fmt.Sprintf("%+v", *tok), "string") {
					t.Errorf("token printed as %+v", *tok)
				}
			},
		},
		{
			name:   "GetMyZAK",
			call:   func(ctx context.Context, c *Client) (any, *Response, error) { return c.Users.GetMyZAK(ctx) },
			resp:   fixture(t, "zoom_rb/user/zak.json"),
			method: "GET", path: "/users/me/zak",
			check: func(t *testing.T, out any) {
				assert.True(t, strings.HasPrefix(out.(*UserToken).Token.Reveal(), "eyJ"), "zak not decoded")
			},
		},
		{
			name: "GetSettings",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return c.Users.GetSettings(ctx, "me", &GetUserSettingsOptions{Option: SettingsOptionMeetingSecurity})
			},
			resp:   fixture(t, "zoom_rb/user/settings_get.json"),
			method: "GET", path: "/users/me/settings", query: "option=meeting_security",
			check: func(t *testing.T, out any) {
				s := out.(*UserSettings)
				if s.Feature == nil || s.InMeeting == nil || s.Recording == nil || s.EmailNotification == nil {
					t.Errorf("settings = %+v", s)
				}
			},
		},
		{
			name:   "GetPermissions",
			call:   func(ctx context.Context, c *Client) (any, *Response, error) { return c.Users.GetPermissions(ctx, "me") },
			resp:   fixture(t, "zoom_rb/user/permissions.json"),
			method: "GET", path: "/users/me/permissions",
			check: func(t *testing.T, out any) {
				assert.GreaterOrEqual(t, len(out.(*UserPermissions).Permissions), 10, "permissions = %v", out)
			},
		},
		{
			name:   "ListAssistants",
			call:   func(ctx context.Context, c *Client) (any, *Response, error) { return c.Users.ListAssistants(ctx, "me") },
			resp:   fixture(t, "zoom_rb/user/assistant/list.json"),
			method: "GET", path: "/users/me/assistants",
			check: func(t *testing.T, out any) {
				if l := out.(*AssistantList); len(l.Assistants) != 1 || l.Assistants[0].Email != "foo@bar.com" {
					t.Errorf("assistants = %+v", l)
				}
			},
		},
		{
			name: "AddAssistants",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return c.Users.AddAssistants(ctx, "me", &AddUserAssistantsRequest{Assistants: []AssistantRequest{{Email: "foo@bar.com"}}})
			},
			status: http.StatusCreated,
			resp:   fixture(t, "zoom_rb/user/assistant/create.json"),
			method: "POST", path: "/users/me/assistants", body: `{"assistants":[{"email":"foo@bar.com"}]}`,
			check: func(t *testing.T, out any) {
				if a := out.(*AddedAssistants); a.IDs != "foo" || a.AddAt.IsZero() {
					t.Errorf("added = %+v", a)
				}
			},
		},
		{
			name:   "ListSchedulers",
			call:   func(ctx context.Context, c *Client) (any, *Response, error) { return c.Users.ListSchedulers(ctx, "me") },
			resp:   fixture(t, "zoom_rb/user/scheduler/list.json"),
			method: "GET", path: "/users/me/schedulers",
			check: func(t *testing.T, out any) {
				if l := out.(*SchedulerList); len(l.Schedulers) != 2 || l.Schedulers[1].ID != "barfoo" {
					t.Errorf("schedulers = %+v", l)
				}
			},
		},
		{
			name: "DeleteScheduler",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return noOut(c.Users.DeleteScheduler(ctx, "me", "bar foo"))
			},
			status: http.StatusNoContent,
			method: "DELETE", path: "/users/me/schedulers/bar%20foo",
		},
		{
			name: "UpdatePresenceStatus",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return noOut(c.Users.UpdatePresenceStatus(ctx, "me", &UpdateUserPresenceStatusRequest{Status: PresenceAway}))
			},
			status: http.StatusNoContent,
			method: "PUT", path: "/users/me/presence_status", body: `{"status":"Away"}`,
		},
	})
}

func TestUsersUploadPicture(t *testing.T) {
	t.Parallel()
	c, mt, rec := setupRec(t)
	replyJSON(mt, http.StatusCreated, nil)
	_, err := c.Users.UploadPicture(context.Background(), "me", "me.png", strings.NewReader("\x89PNG\r\n\x1a\nimage"))
	require.NoError(t, err)
	r := rec.last(t)
	assert.Equal(t, "POST", r.Method, "request = %s %s", r.Method, r.Path)
	assert.Equal(t, "/users/me/picture", r.Path, "request = %s %s", r.Method, r.Path)
	mediaType, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	require.NoError(t, err, "Content-Type = %q", r.Header.Get("Content-Type"))
	require.Equal(t, "multipart/form-data", mediaType, "Content-Type = %q", r.Header.Get("Content-Type"))
	form, err := multipart.NewReader(strings.NewReader(string(r.Body)), params["boundary"]).ReadForm(1 << 20)
	require.NoError(t, err)
	files := form.File["pic_file"]
	if len(files) != 1 || files[0].Filename != "me.png" || files[0].Size != 13 {
		t.Errorf("form files = %+v", form.File)
	}
}

func TestUsersArgumentErrors(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for name, tc := range map[string]struct {
		arg  string
		call func(c *Client) error
	}{
		"Get empty id":        {"userID", func(c *Client) error { _, _, err := c.Users.Get(ctx, "", nil); return err }},
		"Create nil body":     {"body", func(c *Client) error { _, _, err := c.Users.Create(ctx, nil); return err }},
		"Create no action":    {"body.Action", func(c *Client) error { _, _, err := c.Users.Create(ctx, &CreateUserRequest{}); return err }},
		"CheckEmail nil opts": {"opts.Email", func(c *Client) error { _, _, err := c.Users.CheckEmail(ctx, nil); return err }},
		"Delete empty id":     {"userID", func(c *Client) error { _, err := c.Users.Delete(ctx, "", nil); return err }},
		"UpdateEmail empty": {"body.Email", func(c *Client) error {
			_, err := c.Users.UpdateEmail(ctx, "me", &UpdateUserEmailRequest{})
			return err
		}},
		"UploadPicture nil": {"content", func(c *Client) error { _, err := c.Users.UploadPicture(ctx, "me", "a.png", nil); return err }},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c, _, rec := setupRec(t)
			wantArgError(t, rec, tc.call(c), tc.arg)
		})
	}
}

func TestUsersListAll(t *testing.T) {
	t.Parallel()
	c, mt, rec := setupRec(t)
	mt.RegisterNoResponder(func(r *http.Request) (*http.Response, error) {
		switch r.URL.Query().Get("next_page_token") {
		case "":
			return httpmock.NewStringResponse(200, `{"next_page_token":"t2","users":[{"id":"u1"},{"id":"u2"}]}`), nil
		case "t2":
			return httpmock.NewStringResponse(200, `{"next_page_token":"t3","users":[{"id":"u3"}]}`), nil
		default:
			return httpmock.NewStringResponse(200, `{"next_page_token":"","users":[{"id":"u4"}]}`), nil
		}
	})
	opts := &ListUsersOptions{PageSize: 2000}
	var ids []string
	for u, err := range c.Users.ListAll(context.Background(), opts) {
		require.NoError(t, err)
		ids = append(ids, u.ID)
	}
	if strings.Join(ids, ",") != "u1,u2,u3,u4" || len(rec.requests()) != 3 || opts.NextPageToken != "" {
		t.Errorf("ids = %v, requests = %d, opts = %+v", ids, len(rec.requests()), opts)
	}
}
