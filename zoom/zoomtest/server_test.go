package zoomtest_test

import (
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zoomkit/zoomkit/zoom/zoomtest"
)

func TestUnknownRoutesAnswerAsZoom(t *testing.T) {
	s, _ := start(t)
	tok := token(t, s, "me")
	for _, c := range []struct{ method, path string }{
		{"GET", "/nope"},
		{"GET", "/meetings"},
		{"DELETE", "/users"},
		{"GET", "/users/me/meetings/extra/segments"},
		{"POST", "/meetings/123"},
		{"GET", ""},
	} {
		a := do(t, s, tok, c.method, c.path, nil)
		assert.Equal(t, 404, a.Status, "%s %s: %d %s", c.method, c.path, a.Status, a.Raw)
		assert.Equal(t, 2300, code(a), "%s %s: %d %s", c.method, c.path, a.Status, a.Raw)
		assert.Equal(t, "This API endpoint is not recognized.", a.Body["message"], "%s %s: %d %s", c.method, c.path, a.Status, a.Raw)
	}
	// Outside /v2 and /oauth.
	resp, err := s.HTTPClient().Get(s.URL() + "/api/v1/whatever")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, 404, resp.StatusCode, "/api/v1/whatever: %d", resp.StatusCode)
	// Documented operations the fake does not model answer from the
	// document, for subjects that exist.
	a := do(t, s, tok, "GET", "/webinars/123/polls", nil)
	assert.Equal(t, 404, a.Status, "unmodelled operation on a missing webinar: %d %s", a.Status, a.Raw)
	assert.Contains(t, a.Raw, "3001", "unmodelled operation on a missing webinar: %d %s", a.Status, a.Raw)
	a = do(t, s, tok, "GET", "/users/me/settings", nil)
	assert.Equal(t, 200, a.Status, "unmodelled operation: %d %s", a.Status, a.Raw)
	assert.Contains(t, a.Raw, "schedule_meeting", "unmodelled operation: %d %s", a.Status, a.Raw)
}

// Random requests never make the server fail or panic.
func TestNoPanicOnRandomRequests(t *testing.T) {
	s, _ := start(t)
	tok := token(t, s, "me")
	r := rand.New(rand.NewPCG(1, 2))
	segs := []string{"users", "me", "meetings", "webinars", "123", "%2F", "%252Fab%253D%253D", "registrants", "status",
		"groups", "members", "roles", "past_meetings", "report", "participants", "", "..", "recordings", "questions", "x%zz"}
	methods := []string{"GET", "POST", "PATCH", "PUT", "DELETE"}
	bodies := []string{"", "{}", "[]", "null", `{"topic":5}`, `{"action":"end"}`, "{", `{"registrants":[{}]}`, `{"members":[{"id":"me"}]}`}
	for i := range 600 {
		var b strings.Builder
		for range 1 + r.IntN(5) {
			b.WriteString("/" + segs[r.IntN(len(segs))])
		}
		method := methods[r.IntN(len(methods))]
		body := bodies[r.IntN(len(bodies))]
		req, err := http.NewRequest(method, s.APIURL()+b.String(), strings.NewReader(body))
		if err != nil {
			continue
		}
		req.Header.Set("Authorization", "Bearer "+tok)
		req.Header.Set("Content-Type", "application/json")
		resp, err := s.HTTPClient().Do(req)
		require.NoError(t, err, "request %d %s %s", i, method, b.String())
		data, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode >= 500 {
			t.Errorf("%s %s %s: %d %s", method, b.String(), body, resp.StatusCode, data)
		}
		if resp.StatusCode >= 400 && !strings.Contains(string(data), `"code":`) {
			t.Errorf("%s %s: %d without a Zoom error body: %s", method, b.String(), resp.StatusCode, data)
		}
	}
}

func TestValidationAgainstTheDocuments(t *testing.T) {
	s, _ := start(t)
	tok := token(t, s, "me")
	a := do(t, s, tok, "GET", "/users/me/meetings?type=bogus", nil)
	require.Equal(t, 400, a.Status, "bad enum: %d %s", a.Status, a.Raw)
	require.Equal(t, 300, code(a), "bad enum: %d %s", a.Status, a.Raw)
	require.Equal(t, "Validation Failed.", a.Body["message"], "bad enum: %d %s", a.Status, a.Raw)
	f := a.Body["errors"].([]any)[0].(map[string]any)
	assert.Equal(t, "type", f["field"], "field error %v", f)
	a = do(t, s, tok, "POST", "/users", map[string]any{"user_info": map[string]any{"email": "x@example.com", "type": 1}})
	assert.Equal(t, 400, a.Status, "missing action: %d %s", a.Status, a.Raw)
	assert.Equal(t, 300, code(a), "missing action: %d %s", a.Status, a.Raw)
	assert.Contains(t, a.Raw, `"field":"action"`, "missing action: %d %s", a.Status, a.Raw)
	a = do(t, s, tok, "POST", "/users/me/meetings", map[string]any{"topic": strings.Repeat("x", 201)})
	assert.Equal(t, 400, a.Status, "long topic: %d %s", a.Status, a.Raw)
	assert.Contains(t, a.Raw, `"field":"topic"`, "long topic: %d %s", a.Status, a.Raw)
	a = do(t, s, tok, "GET", "/meetings/not-a-number", nil)
	assert.Equal(t, 400, a.Status, "bad meeting id: %d %s", a.Status, a.Raw)
	assert.Equal(t, 300, code(a), "bad meeting id: %d %s", a.Status, a.Raw)
	if len(s.Meetings("me")) != 0 {
		t.Error("an invalid request changed the state")
	}
}

func TestAuthentication(t *testing.T) {
	s, _ := start(t)
	tok := token(t, s, "me")
	for name, a := range map[string]answer{
		"no token":    do(t, s, "", "GET", "/users/me", nil),
		"bad token":   do(t, s, "not-a-token-SECRET", "GET", "/users/me", nil),
		"query token": do(t, s, "", "GET", "/users/me?access_token="+tok, nil),
	} {
		assert.Equal(t, 401, a.Status, "%s: %d %s", name, a.Status, a.Raw)
		assert.Equal(t, 124, code(a), "%s: %d %s", name, a.Status, a.Raw)
		assert.NotContains(t, a.Raw, "SECRET", "%s: %d %s", name, a.Status, a.Raw)
		assert.NotContains(t, a.Raw, tok, "%s: %d %s", name, a.Status, a.Raw)
	}
	// Wrong client secret at the token endpoint: never echoed.
	req, _ := http.NewRequest("POST", s.TokenURL(), strings.NewReader("grant_type=account_credentials&account_id="+s.AccountID()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(s.ClientID(), "wrong-SECRET")
	resp, err := s.HTTPClient().Do(req)
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Equal(t, 401, resp.StatusCode, "bad client secret: %d %s", resp.StatusCode, body)
	assert.Contains(t, string(body), "invalid_client", "bad client secret: %d %s", resp.StatusCode, body)
	assert.NotContains(t, string(body), "SECRET", "bad client secret: %d %s", resp.StatusCode, body)
}

func TestRequestLog(t *testing.T) {
	s, _ := start(t)
	tok := token(t, s, "me")
	do(t, s, tok, "GET", "/users/me", nil)
	do(t, s, tok, "GET", fmt.Sprintf("/meetings/%d", 1234567890), nil)
	do(t, s, "", "GET", "/nope", nil)
	got := s.Requests()
	want := []zoomtest.Request{
		{Method: "GET", Path: "/v2/users/me", Operation: "user", Status: 200, UserID: s.OwnerID()},
		{Method: "GET", Path: "/v2/meetings/1234567890", Operation: "meeting", Status: 404, UserID: s.OwnerID()},
		{Method: "GET", Path: "/v2/nope", Operation: "", Status: 404},
	}
	if len(got) != len(want) {
		t.Fatalf("log %+v", got)
	}
	for i := range want {
		got[i].Time = want[i].Time
		assert.Equal(t, want[i], got[i], "entry %d = %+v, want %+v", i, got[i], want[i])
	}
	s.ResetRequests()
	assert.Len(t, s.Requests(), 0, "ResetRequests left entries")
}

func TestOptionsValidate(t *testing.T) {
	for name, o := range map[string]zoomtest.Option{
		"clock":    zoomtest.WithClock(nil),
		"lifetime": zoomtest.WithAccessTokenLifetime(0),
		"client":   zoomtest.WithClientCredentials("", "x"),
		"account":  zoomtest.WithAccount("bad id!"),
		"owner":    zoomtest.WithOwner("not an email"),
		"scopes":   zoomtest.WithAppScopes(),
		"redirect": zoomtest.WithRedirectURLs("ftp://x"),
		"plan":     zoomtest.WithRateLimits("platinum"),
		"limit":    zoomtest.WithDailyMeetingLimit(0),
		"webhook":  zoomtest.WithWebhook("http://127.0.0.1/hook", ""),
		"nil":      nil,
	} {
		if s, err := zoomtest.NewServer(o); err == nil {
			s.Close()
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestServerPrintsNoSecret(t *testing.T) {
	s, _ := start(t, zoomtest.WithClientCredentials("id", "TOP-SECRET"))
	for _, out := range []string{fmt.Sprint(s), fmt.Sprintf("%+v", s), fmt.Sprintf("%#v", s)} {
		assert.NotContains(t, out, "TOP-SECRET", "printed %q", out)
		assert.Contains(t, out, s.URL(), "printed %q", out)
	}
}
