package zoomtest_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/zoomkit/zoomkit/zoom/zoomtest"
)

func TestControlEndpointsRefuseBadInput(t *testing.T) {
	s := zoomtest.NewTestServer(t, zoomtest.WithControl())
	post := func(path, body string) int {
		t.Helper()
		resp, err := http.Post(s.URL()+zoomtest.ControlPrefix+path, "application/json", strings.NewReader(body))
		require.NoError(t, err)
		resp.Body.Close()
		return resp.StatusCode
	}
	assert.Equal(t, http.StatusBadRequest, post("clock/advance", `{"duration":"-5m"}`))
	assert.Equal(t, http.StatusBadRequest, post("clock/advance", `{"duration":"soon"}`))
	assert.Equal(t, http.StatusBadRequest, post("clock/advance", `not json`))
	assert.Equal(t, http.StatusBadRequest, post("meetings/abc/start", ``))
	assert.Equal(t, http.StatusNotFound, post("meetings/123/dance", ``))
	assert.Equal(t, http.StatusConflict, post("meetings/123/start", ``), "no such meeting")
	assert.Equal(t, http.StatusBadRequest, post("users", `{"email":"not-an-email"}`))
	assert.Equal(t, http.StatusCreated, post("users", `{"email":"bo@example.com"}`))
	u, ok := s.User("bo@example.com")
	require.True(t, ok)
	assert.Equal(t, "2", u.RoleID)
	assert.Equal(t, http.StatusBadRequest, post("faults", `{"latency":"fast"}`))
}

func TestControlIsOffByDefault(t *testing.T) {
	s := zoomtest.NewTestServer(t)
	resp, err := http.Get(s.URL() + zoomtest.ControlPrefix + "state")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusNotFound, resp.StatusCode)
	_, err = zoomtest.NewServer(zoomtest.WithAddr("no-port"))
	assert.Error(t, err)
}
