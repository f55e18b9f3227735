package main

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// The committed webhook/events_gen.go is what the generator produces from the committed specs.
func TestEventsUpToDate(t *testing.T) {
	got, err := generateEvents("../../../webhook/testdata/spec", "../../spec")
	require.NoError(t, err)
	want, err := os.ReadFile("../../../webhook/events_gen.go")
	require.NoError(t, err)
	if !bytes.Equal(got, want) {
		t.Fatal("webhook/events_gen.go is stale: run go generate ./webhook (zoomgen -events)")
	}
}

func TestEventNaming(t *testing.T) {
	for in, want := range map[string]string{
		"meeting.participant_joined":       "MeetingParticipantJoined",
		"app_deauthorized":                 "AppDeauthorized",
		"host_id":                          "HostID",
		"join_url":                         "JoinURL",
		"uuid":                             "UUID",
		"recording_file_ids":               "RecordingFileIDs",
		"sso_bypass_user":                  "SSOBypassUser",
		"meeting.aic_transcript_completed": "MeetingAICTranscriptCompleted",
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

// An event struct eventModels maps to a zoom model must hold only members of that model, of the same
// kinds; otherwise the generator fails rather than lose a field.
func TestEventModelFits(t *testing.T) {
	rest, _, err := zoomShapes("../../spec")
	if err != nil {
		t.Fatal(err)
	}
	g := &eventGen{byName: map[string]*eventStruct{}}
	add := func(name string, fields ...eventField) {
		g.byName[name] = &eventStruct{name: name, fields: fields}
	}
	settings := &tref{kind: "struct", name: "MeetingSettings"}
	add("Fits", eventField{json: "join_before_host", goType: "bool"}, eventField{json: "jbh_time", goType: "int64"})
	if err := g.fits(rest, "Fits", settings, "Fits"); err != nil {
		t.Fatalf("a subset of MeetingSettings: %v", err)
	}
	add("Extra", eventField{json: "use_pmi", goType: "bool"}, eventField{json: "not_a_setting", goType: "string"})
	if err := g.fits(rest, "Extra", settings, "Extra"); err == nil || !strings.Contains(err.Error(), "Extra.not_a_setting: not a member of zoom.MeetingSettings") {
		t.Fatalf("a member the model lacks: %v", err)
	}
	add("Kind", eventField{json: "join_before_host", goType: "string"})
	if err := g.fits(rest, "Kind", settings, "Kind"); err == nil || !strings.Contains(err.Error(), "Kind.join_before_host") {
		t.Fatalf("a member of another kind: %v", err)
	}
}
