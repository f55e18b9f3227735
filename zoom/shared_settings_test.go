package zoom

import (
	"reflect"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestUserAndGroupSettingsShareTypes: the nested settings that Zoom's user
// and group settings repeat with the same shape are one Go type, so values
// compare and move between them without a conversion.
func TestUserAndGroupSettingsShareTypes(t *testing.T) {
	t.Parallel()
	for _, pair := range [][2]any{
		{UserSettings{}.AudioConferencing, GroupSettings{}.AudioConferencing},
		{UserSettings{}.EmailNotification, GroupSettings{}.EmailNotification},
		{UserSettings{}.Profile, GroupSettings{}.Profile},
		{UserSettingsInMeeting{}.WebinarChat, GroupSettingsInMeeting{}.WebinarChat},
		{UserSettingsInMeeting{}.LanguageInterpretation, GroupSettingsInMeeting{}.LanguageInterpretation},
		{UpdateUserSettingsRequest{}.Profile, UpdateGroupSettingsRequest{}.Profile},
	} {
		assert.Equal(t, reflect.TypeOf(pair[0]), reflect.TypeOf(pair[1]))
	}
	u := UserSettings{Profile: &ProfileSettings{RecordingStorageLocation: &RecordingStorageLocation{}}}
	g := GroupSettings{Profile: u.Profile}
	assert.Equal(t, u.Profile, g.Profile)
}
