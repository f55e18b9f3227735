package spec

import (
	"slices"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestLoad(t *testing.T) {
	s, err := Load()
	require.NoError(t, err)
	if got := len(s.Operations); got != 183 {
		t.Errorf("operations = %d, want 183", got)
	}
	op, params, err := s.Find("GET", "/users/email")
	if err != nil || op.ID != "userEmail" || len(params) != 0 {
		t.Errorf("Find(/users/email) = %v, %v, %v", op, params, err)
	}
	op, params, err = s.Find("GET", "/meetings/123")
	if err != nil || op.ID != "meeting" || params["meetingId"] != "123" {
		t.Errorf("Find(/meetings/123) = %v, %v, %v", op, params, err)
	}
	if s.ByID("meetingCreate") == nil {
		t.Error("ByID(meetingCreate) = nil")
	}
}

// The embedded documents are exactly the scope's, and every operation in
// them carries a covered tag.
func TestScope(t *testing.T) {
	embedded, err := files.ReadDir(".")
	require.NoError(t, err)
	var names []string
	for _, e := range embedded {
		names = append(names, e.Name())
	}
	if want := slices.Sorted(slices.Values(Files)); !slices.Equal(names, want) {
		t.Errorf("embedded documents %v, scope names %v", names, want)
	}
	s, err := Load()
	require.NoError(t, err)
	for _, op := range s.Operations {
		if !slices.ContainsFunc(op.Tags, func(tag string) bool { return InScope(op.File, tag) }) {
			t.Errorf("%s %s (%s) in %s has no covered tag: %v", op.Method, op.Path, op.ID, op.File, op.Tags)
		}
	}
	if InScope("meetings.json", "Users") || !InScope("users.json", "Users") {
		t.Error("InScope mixes up documents")
	}
}
