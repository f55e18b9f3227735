package main

import (
	"bytes"
	"os"
	"testing"
)

// The committed webhook/events_gen.go is what the generator produces from the committed specs.
func TestEventsUpToDate(t *testing.T) {
	got, err := generateEvents("../../../webhook/testdata/spec", "../../spec")
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile("../../../webhook/events_gen.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatal("webhook/events_gen.go is stale: run go generate ./webhook (zoomgen -events)")
	}
}

func TestEventNaming(t *testing.T) {
	for in, want := range map[string]string{
		"meeting.participant_joined": "MeetingParticipantJoined",
		"app_deauthorized":           "AppDeauthorized",
		"host_id":                    "HostID",
		"join_url":                   "JoinURL",
		"uuid":                       "UUID",
	} {
		if got := camel(in); got != want {
			t.Errorf("camel(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{"occurrences": "occurrence", "recording_files": "recording_file", "entries": "entry", "address": "address"} {
		if got := singular(in); got != want {
			t.Errorf("singular(%q) = %q", in, got)
		}
	}
}
