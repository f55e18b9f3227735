package main

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestGeneratedFilesUpToDate regenerates package zoom in memory and
// compares with the checked-in files (what CI checks with go generate and
// git diff).
func TestGeneratedFilesUpToDate(t *testing.T) {
	g := newGen()
	require.NoError(t, g.load("../../spec"))
	require.NoError(t, g.build())
	files, err := g.emit()
	require.NoError(t, err)
	existing, _ := filepath.Glob("../../../zoom/zz_*.go")
	var names []string
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	assert.Len(t, existing, len(names), "zoom's generated files against the generator's: run go generate ./zoom")
	for _, n := range names {
		cur, err := os.ReadFile(filepath.Join("../../../zoom", n))
		if err != nil || string(cur) != string(files[n]) {
			t.Errorf("zoom/%s is stale: run go generate ./zoom", n)
		}
	}
}

func TestNames(t *testing.T) {
	for in, want := range map[string]string{
		"meeting_id": "MeetingID", "join_url": "JoinURL", "h323_password": "H323Password", "uuid": "UUID",
		"pmi": "PMI", "group_ids": "GroupIDs", "thirdParty": "ThirdParty", "MP4": "MP4", "1-20": "X120",
		"language_item_pairList": "LanguageItemPairList", "ZOOM_WHITEBOARD": "ZoomWhiteboard",
	} {
		if got := exported(in); got != want {
			t.Errorf("exported(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{"meetingId": "meetingID", "userId": "userID", "type": "type_", "identifier": "identifier"} {
		if got := unexported(in); got != want {
			t.Errorf("unexported(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{"meetings": "meeting", "occurrences": "occurrence", "countries": "country", "settings": "setting", "status": "status"} {
		if got := singular(in); got != want {
			t.Errorf("singular(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{"Get a meeting": "gets a meeting", "Search company contacts": "searches company contacts", "Update a user's status": "updates a user's status"} {
		if got := thirdPerson(in); got != want {
			t.Errorf("thirdPerson(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCleanMarkdown(t *testing.T) {
	in := "Retrieve a [meeting](https://example.com/x).\n\n**Prerequisites**\n* A `Pro` plan.<br>\n* Another.\n\n**[Scopes](https://x):** `meeting:read`,`meeting:read:admin`\n\n**[Rate Limit Label](https://y):** `Light`"
	txt := splitDescription(in)
	if txt.Rate != "LIGHT" || len(txt.Scopes) != 2 || txt.Scopes[1] != "meeting:read:admin" {
		t.Errorf("split = %+v", txt)
	}
	want := "Retrieve a meeting.\n\nPrerequisites\n\n- A Pro plan.\n- Another."
	if got := cleanMarkdown(txt.Body); got != want {
		t.Errorf("cleanMarkdown = %q, want %q", got, want)
	}
	if got := firstSentence("The meeting's ID. Store it as int64, e.g. 123. More."); got != "The meeting's ID." {
		t.Errorf("firstSentence = %q", got)
	}
}

// TestRequestTypesAreNotResponseTypes checks that no generated type is both
// sent (reachable from a request body) and received (reachable from a
// response): request bodies and their nested objects are request types of
// their own, named as requests where a response type has the schema's name.
func TestRequestTypesAreNotResponseTypes(t *testing.T) {
	g := newGen()
	if err := g.load("../../spec"); err != nil {
		t.Fatal(err)
	}
	if err := g.build(); err != nil {
		t.Fatal(err)
	}
	reqs := 0
	for name, typ := range g.types {
		if typ.req && typ.resp {
			t.Errorf("%s is both a request and a response type", name)
		}
		if typ.req {
			reqs++
		}
	}
	for _, op := range g.ops {
		if op.body != nil && op.body.kind == "struct" && !strings.HasSuffix(op.body.name, "Request") {
			t.Errorf("%s: request body %s is not named as a request", op.ID, op.body.name)
		}
	}
	if reqs < 100 {
		t.Errorf("only %d request types: is the body walk broken?", reqs)
	}
}

// TestSettingsTypesUnified checks that no nested type of the user settings
// is left structurally identical to one of the group settings without a
// name in sharedTypes (a new pair from a spec update must be named, so the
// two stay one type).
func TestSettingsTypesUnified(t *testing.T) {
	g := newGen()
	if err := g.load("../../spec"); err != nil {
		t.Fatal(err)
	}
	if err := g.build(); err != nil {
		t.Fatal(err)
	}
	unnamed, err := g.dedupe()
	if err != nil {
		t.Fatal(err)
	}
	for _, ns := range unnamed {
		var user, group bool
		for _, n := range ns {
			user = user || strings.HasPrefix(n, "UserSettings")
			group = group || strings.HasPrefix(n, "GroupSettings")
		}
		if user && group {
			t.Errorf("identical user and group settings types without a shared name: %v", ns)
		}
	}
	// The user's and group's update bodies differ in audio_conferencing
	// (the group's has more fields), so only its response side is shared.
	for _, n := range []string{"ProfileSettings", "AudioConferencingSettings", "EmailNotificationSettings", "WebinarChatSettings",
		"ProfileSettingsRequest", "EmailNotificationSettingsRequest", "WebinarChatSettingsRequest"} {
		if g.types[n] == nil {
			t.Errorf("%s not generated", n)
		}
	}
}
