package zoom

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestBuildPath(t *testing.T) {
	for _, tc := range []struct {
		tmpl string
		args []string
		want string
	}{
		{"/meetings/{meetingId}", []string{"85746065"}, "/meetings/85746065"},
		{"/users/{userId}/meetings", []string{"me"}, "/users/me/meetings"},
		{"/users/{userId}", []string{"jane+zoom@example.com"}, "/users/jane+zoom@example.com"},
		{"/users/{userId}", []string{"a/b?c#d"}, "/users/a%2Fb%3Fc%23d"},
		{"/users/{userId}", []string{".."}, "/users/.."},
		// Zoom's rule: UUIDs beginning with "/" or containing "//" are double-encoded.
		{"/past_meetings/{meetingId}", []string{"/ajXp112QmuoKj4854875=="}, "/past_meetings/%252FajXp112QmuoKj4854875=="},
		{"/past_meetings/{meetingId}/participants", []string{"aB//cD=="}, "/past_meetings/aB%252F%252FcD==/participants"},
		{"/past_meetings/{meetingId}", []string{"4444AAAiAAAAAiAiAiiAii=="}, "/past_meetings/4444AAAiAAAAAiAiAiiAii=="},
		{"/meetings/{meetingId}/registrants/{registrantId}", []string{"1", "r 1"}, "/meetings/1/registrants/r%201"},
		{"/roles", nil, "/roles"},
	} {
		got := buildPath(tc.tmpl, tc.args...)
		assert.Equal(t, tc.want, got, "buildPath(%q, %q) = %q, want %q", tc.tmpl, tc.args, got, tc.want)
	}
}
