// Package scope declares, once, what zoomkit covers of Zoom's API: the REST
// documents and the tags of each whose every operation is generated, and
// the webhook documents and the events with typed payloads.
//
// Every other place reads it: internal/gen/trimspec trims Zoom's documents
// to it, internal/gen/zoomgen generates the REST surface and the events
// from it (its overrides table must name every covered operation and
// nothing else), and internal/spec embeds and loads the trimmed documents
// it names. Growing the scope starts here: add the tag or event, re-trim,
// add the overrides entries, regenerate.
package scope

import "slices"

// Document is one of Zoom's REST API documents and the tags covered.
type Document struct {
	Source string   // file name in Zoom's API hub (https://developers.zoom.us/api-hub/<family>/methods/endpoints.json saved as Meetings.json)
	File   string   // trimmed copy in internal/spec
	Family string   // API family of the developers.zoom.us reference links
	Tags   []string // every operation carrying one of these tags is covered
}

// Event is one webhook event with a typed payload.
type Event struct {
	Document string // Zoom's webhook document, without ".json": Meetings, Users, Marketplace
	Name     string // event name, such as meeting.created
}

// Documents returns the covered REST documents, in a fixed order (the
// order of the generated operations).
func Documents() []Document {
	return []Document{
		{"Meetings.json", "meetings.json", "meetings", []string{"Meetings", "Invitation & Registration", "Webinars", "Reports", "Cloud Recording", "Polls", "Surveys", "Summaries", "Live streaming", "Templates", "TSP", "Tracking Field", "H323 Devices", "SIP Phone", "Archiving", "In-Meeting Apps", "In-Meeting Features", "PAC", "Devices"}},
		{"Users.json", "users.json", "users", []string{"Users", "Groups", "Contact Groups", "Divisions"}},
		{"Accounts.json", "accounts.json", "accounts", []string{"Roles", "Accounts", "Dashboards", "Data Requests", "Information Barriers", "Survey Management"}},
		{"Team_Chat.json", "team_chat.json", "team-chat", []string{"Contacts"}},
	}
}

// Files returns the names of the trimmed REST documents, in the order of
// Documents.
func Files() []string {
	var out []string
	for _, d := range Documents() {
		out = append(out, d.File)
	}
	return out
}

// Covers reports whether the operations tagged tag in the trimmed document
// file are in scope.
func Covers(file, tag string) bool {
	for _, d := range Documents() {
		if d.File == file {
			return slices.Contains(d.Tags, tag)
		}
	}
	return false
}

// Events returns the events with typed payloads, grouped by document, in
// the order of the generated code.
func Events() []Event {
	return []Event{
		{"Meetings", "meeting.created"},
		{"Meetings", "meeting.updated"},
		{"Meetings", "meeting.deleted"},
		{"Meetings", "meeting.started"},
		{"Meetings", "meeting.ended"},
		{"Meetings", "meeting.participant_joined"},
		{"Meetings", "meeting.participant_left"},
		{"Meetings", "meeting.registration_created"},
		{"Meetings", "meeting.registration_approved"},
		{"Meetings", "meeting.registration_cancelled"},
		{"Meetings", "meeting.registration_denied"},
		{"Meetings", "webinar.created"},
		{"Meetings", "webinar.updated"},
		{"Meetings", "webinar.deleted"},
		{"Meetings", "webinar.started"},
		{"Meetings", "webinar.ended"},
		{"Meetings", "webinar.participant_joined"},
		{"Meetings", "webinar.participant_left"},
		{"Meetings", "webinar.registration_created"},
		{"Meetings", "webinar.registration_approved"},
		{"Meetings", "webinar.registration_cancelled"},
		{"Meetings", "webinar.registration_denied"},
		{"Meetings", "recording.completed"},
		{"Users", "user.created"},
		{"Users", "user.updated"},
		{"Users", "user.activated"},
		{"Users", "user.deactivated"},
		{"Users", "user.deleted"},
		{"Users", "user.disassociated"},
		{"Users", "user.invitation_accepted"},
		{"Users", "group.created"},
		{"Users", "group.updated"},
		{"Users", "group.deleted"},
		{"Users", "group.member_added"},
		{"Users", "group.member_deleted"},
		{"Marketplace", "app_deauthorized"},
	}
}

// EventDocuments returns the webhook documents that hold the events, in
// the order of Events.
func EventDocuments() []string {
	var out []string
	for _, e := range Events() {
		if !slices.Contains(out, e.Document) {
			out = append(out, e.Document)
		}
	}
	return out
}
