package zoom

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"
)

func TestEchoedSecretsRedactedInErrors(t *testing.T) {
	const (
		pass  = "Pw-CANARY-1a2b"
		zak   = "ZAK-CANARY-3c4d"
		pwd   = "PWD-CANARY-5e6f"
		at    = "AT-CANARY-7a8b"
		jwt   = "eyJhbGciOiJIUzUxMiJ9.eyJzdWIiOiJDQU5BUlkifQ.c2lnQ0FOQVJZ"
		other = "Bearer-CANARY-9c0d"
	)
	for name, body := range map[string]string{
		"message echoes the password":  `{"code":300,"message":"Password ` + pass + ` is too weak."}`,
		"field error echoes it":        `{"code":300,"message":"Validation Failed.","errors":[{"field":"password","message":"'` + pass + `' is not allowed"}]}`,
		"start url with zak":           `{"code":3000,"message":"Cannot start https://zoom.us/s/1?zak=` + zak + `&x=1"}`,
		"join url with pwd":            `{"code":3000,"message":"see https://zoom.us/j/1?pwd=` + pwd + `"}`,
		"html body echoes the token":   `<html>bad token ` + at + ` / access_token=` + at + `</html>`,
		"body echoes a bearer":         `<p>Authorization: Bearer ` + other + `</p>`,
		"json body echoes fields":      `{"password":"` + pass + `","start_url":"https://zoom.us/s/1?zak=` + zak + `","access_token":"` + at + `"}`,
		"message echoes a jwt":         `{"code":124,"message":"Invalid access token ` + jwt + `"}`,
		"message echoes a reason text": `{"reason":"refresh token ` + jwt + ` revoked"}`,
	} {
		t.Run(name, func(t *testing.T) {
			rt := &fakeRT{steps: []func(*http.Request) (*http.Response, error){respond(400, nil, body)}}
			c, err := NewClient(WithHTTPClient(&http.Client{Transport: rt}), WithBaseURL("https://api.zoom.test/v2"),
				WithTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: at})))
			require.NoError(t, err)
			_, _, err = c.Meetings.Create(t.Context(), "me", &CreateMeetingRequest{Topic: "t", Password: pass})
			require.Error(t, err, "want an error")
			apiErr, _ := err.(*APIError)
			require.NotNil(t, apiErr, "err = %T %v", err, err)
			shown := []string{err.Error(), fmt.Sprintf("%v|%+v|%#v", err, err, err), apiErr.Message, apiErr.Body, fmt.Sprint(apiErr.Errors)}
			for _, s := range shown {
				for _, secret := range []string{pass, zak, pwd, at, jwt, other, "CANARY"} {
					require.NotContains(t, s, secret, "%q shows a secret: %s", secret, s)
				}
			}
			require.Contains(t, err.Error(), "REDACTED", "Error() = %s, want a REDACTED mark", err)
		})
	}
}

func TestRedactionKeepsOrdinaryMessages(t *testing.T) {
	for _, msg := range []string{
		"Meeting does not exist: 85746065.",
		"You have reached the maximum per-second rate limit for this API. Try again later.",
		"User does not exist: jane@example.com.",
		"Invalid field.",
	} {
		got := redactText(msg, nil)
		assert.Equal(t, msg, got, "redactText(%q) = %q", msg, got)
	}
}

func TestRedactedBeforeTruncation(t *testing.T) {
	// A token that straddles the 512-byte cut is redacted whole, not left
	// as a prefix.
	const at = "AT-CANARY-0123456789abcdef"
	body := "<html>" + strings.Repeat("x", 500) + at + "</html>"
	e := &APIError{StatusCode: 502}
	parseErrorBody(e, []byte(body), at)
	require.NotContains(t, e.Body, "AT-CANARY", "Body = %q", e.Body)
}

func TestReplayedTokensRedacted(t *testing.T) {
	// After a code-124 replay, an error echoing either token is redacted.
	rt := &fakeRT{steps: []func(*http.Request) (*http.Response, error){
		respond(401, nil, `{"code":124,"message":"Invalid access token."}`),
		respond(400, nil, `{"code":300,"message":"tokens tok-1 and tok-2 refused"}`),
	}}
	src := &refreshingSource{current: "tok-1"}
	c, err := NewClient(WithHTTPClient(&http.Client{Transport: rt}), WithTokenSource(src))
	require.NoError(t, err)
	_, _, err = callGet(t.Context(), c)
	require.Error(t, err, "err = %v", err)
	require.NotContains(t, err.Error(), "tok-1", "err = %v", err)
	require.NotContains(t, err.Error(), "tok-2", "err = %v", err)
}
