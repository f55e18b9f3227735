package zoom

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/zoomkit/zoomkit/internal/spec"
)

// specExample builds a body from the example values of an OpenAPI schema
// given as decoded JSON (properties and array items; the first member of
// a oneOf).
func specExample(s map[string]any) any {
	if ex, ok := s["example"]; ok {
		return ex
	}
	if items, ok := s["items"].(map[string]any); ok {
		return []any{specExample(items)}
	}
	if props, ok := s["properties"].(map[string]any); ok {
		obj := map[string]any{}
		for k, v := range props {
			obj[k] = specExample(v.(map[string]any))
		}
		return obj
	}
	if one, ok := s["oneOf"].([]any); ok && len(one) > 0 {
		return specExample(one[0].(map[string]any))
	}
	return nil
}

// dig walks decoded JSON by object keys and array indexes.
func dig(t *testing.T, v any, path ...any) any {
	t.Helper()
	for _, p := range path {
		switch k := p.(type) {
		case string:
			m, ok := v.(map[string]any)
			require.True(t, ok, "no object at %v", p)
			v = m[k]
		case int:
			a, ok := v.([]any)
			require.True(t, ok, "no array at %v", p)
			require.Less(t, k, len(a))
			v = a[k]
		}
	}
	require.NotNil(t, v, "nothing at %v", path)
	return v
}

// TestUserSettingsAuthenticationOptionsEitherKind decodes the bodies
// Users.GetSettings answers with option=meeting_authentication and
// option=recording_authentication, where authentication_options is a list,
// not the object of the full settings (issue 16 item 1): the bodies are the
// examples of the oneOf members in internal/spec's users.json, and every
// value of the list is kept.
func TestUserSettingsAuthenticationOptionsEitherKind(t *testing.T) {
	t.Parallel()
	data, err := spec.Data("users.json")
	require.NoError(t, err)
	var doc any
	require.NoError(t, json.Unmarshal(data, &doc))
	schema := dig(t, doc, "paths", "/users/{userId}/settings", "get", "responses", "200", "content", "application/json", "schema")
	for i, option := range []SettingsOption{SettingsOptionMeetingAuthentication, SettingsOptionRecordingAuthentication} {
		member := dig(t, schema, "oneOf", 2, "oneOf", i).(map[string]any)
		body, err := json.Marshal(specExample(member))
		require.NoError(t, err)
		want := dig(t, specExample(member), "authentication_options", 0).(map[string]any)
		runCases(t, []apiCase{{
			name: string(option),
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return c.Users.GetSettings(ctx, "me", &GetUserSettingsOptions{Option: option})
			},
			resp: body, method: "GET", path: "/users/me/settings", query: "option=" + string(option),
			check: func(t *testing.T, out any) {
				s := out.(*UserSettings)
				require.NotNil(t, s.AuthenticationOptions, "authentication_options dropped from %s", body)
				require.Len(t, s.AuthenticationOptions.List, 1)
				o := s.AuthenticationOptions.List[0]
				got := map[string]any{
					"default_option": o.DefaultOption, "domains": o.Domains, "id": o.ID,
					"name": o.Name, "type": string(o.Type), "visible": o.Visible,
				}
				assert.Equal(t, want, got)
				assert.Nil(t, s.AuthenticationOptions.MeetingAuthentication)
				switch option {
				case SettingsOptionMeetingAuthentication:
					assert.True(t, s.MeetingAuthentication)
					assert.True(t, s.AllowAuthenticationException)
				default:
					assert.True(t, s.RecordingAuthentication)
				}
			},
		}})
	}
}

// TestUserSettingsAuthenticationOptionsObject keeps decoding the object
// form of the full settings, and both forms encode back as they came.
func TestUserSettingsAuthenticationOptionsObject(t *testing.T) {
	t.Parallel()
	obj := `{"authentication_options":{"meeting_authentication":{"meeting_authentication":true,"authentication_options":[{"id":"a1","name":"Signed in","visible":true}]}}}`
	var s UserSettings
	require.NoError(t, json.Unmarshal([]byte(obj), &s))
	require.NotNil(t, s.AuthenticationOptions)
	require.NotNil(t, s.AuthenticationOptions.MeetingAuthentication)
	assert.True(t, s.AuthenticationOptions.MeetingAuthentication.MeetingAuthentication)
	require.Len(t, s.AuthenticationOptions.MeetingAuthentication.AuthenticationOptions, 1)
	assert.Nil(t, s.AuthenticationOptions.List)
	back, err := json.Marshal(s)
	require.NoError(t, err)
	assert.JSONEq(t, obj, string(back))

	list := `{"authentication_options":[{"id":"a1","name":"Signed in","visible":true}],"meeting_authentication":true}`
	var l UserSettings
	require.NoError(t, json.Unmarshal([]byte(list), &l))
	back, err = json.Marshal(l)
	require.NoError(t, err)
	assert.JSONEq(t, list, string(back))
	assert.Equal(t, "a1", l.AuthenticationOptions.List[0].ID, fmt.Sprint(l.AuthenticationOptions))
}

// TestUserSettingsListFormSurvivesRepair: when another field of the body
// needs the repair walk, the list form of authentication_options is kept
// and raises no decode warning.
func TestUserSettingsListFormSurvivesRepair(t *testing.T) {
	t.Parallel()
	rt := &fakeRT{steps: []func(*http.Request) (*http.Response, error){respond(200, nil,
		`{"authentication_options":[{"id":"a1","name":"Signed in"}],"meeting_authentication":"true"}`)}}
	c := newFakeClient(t, rt)
	s, resp, err := c.Users.GetSettings(t.Context(), "me", &GetUserSettingsOptions{Option: SettingsOptionMeetingAuthentication})
	require.NoError(t, err)
	assert.True(t, s.MeetingAuthentication, "the quoted flag is repaired")
	require.NotNil(t, s.AuthenticationOptions)
	require.Len(t, s.AuthenticationOptions.List, 1)
	assert.Equal(t, "a1", s.AuthenticationOptions.List[0].ID)
	for _, w := range resp.DecodeWarnings {
		assert.NotContains(t, w.Field, "authentication_options")
	}
}
