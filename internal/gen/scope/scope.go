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
	Document string // Zoom's webhook document, without ".json": Meetings, Users, Accounts, Marketplace
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

// Events returns the events with typed payloads: every event of Zoom's
// Meetings, Users, Accounts and Marketplace webhook documents (trimspec
// fails when a document holds one this list lacks). They are grouped by
// document, in the order of the generated code: the first 36 typed, then
// the others in the document's order.
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
		{"Meetings", "meeting.participant_jbh_waiting"},
		{"Meetings", "meeting.summary_recovered"},
		{"Meetings", "meeting.participant_left_breakout_room"},
		{"Meetings", "meeting.device_tested"},
		{"Meetings", "meeting.summary_shared"},
		{"Meetings", "webinar.chat_message_file_downloaded"},
		{"Meetings", "recording.registration_approved"},
		{"Meetings", "meeting.risk_alert"},
		{"Meetings", "meeting.aic_transcript_completed"},
		{"Meetings", "webinar.participant_feedback"},
		{"Meetings", "meeting.participant_joined_waiting_room"},
		{"Meetings", "meeting.ai_companion_assets_deleted"},
		{"Meetings", "webinar.converted_to_meeting"},
		{"Meetings", "meeting.participant_phone_callout_ringing"},
		{"Meetings", "meeting.participant_jbh_joined"},
		{"Meetings", "meeting.invitation_accepted"},
		{"Meetings", "recording.archive_files_completed"},
		{"Meetings", "meeting.alert"},
		{"Meetings", "meeting.chat_message_file_sent"},
		{"Meetings", "user.tsp_deleted"},
		{"Meetings", "meeting.ai_companion_started"},
		{"Meetings", "meeting.invitation_dispatched"},
		{"Meetings", "meeting.converted_to_webinar"},
		{"Meetings", "webinar.recovered"},
		{"Meetings", "webinar.participant_role_changed"},
		{"Meetings", "meeting.participant_jbh_waiting_left"},
		{"Meetings", "user.tsp_created"},
		{"Meetings", "meeting.breakout_room_sharing_ended"},
		{"Meetings", "meeting.ai_companion_stopped"},
		{"Meetings", "recording.batch_deleted"},
		{"Meetings", "webinar.alert"},
		{"Meetings", "webinar.chat_message_sent"},
		{"Meetings", "webinar.chat_message_file_sent"},
		{"Meetings", "meeting.participant_joined_breakout_room"},
		{"Meetings", "meeting.participant_left_waiting_room"},
		{"Meetings", "meeting.summary_completed"},
		{"Meetings", "meeting.participant_phone_callout_rejected"},
		{"Meetings", "meeting.participant_phone_callout_accepted"},
		{"Meetings", "webinar.sharing_started"},
		{"Meetings", "recording.recovered"},
		{"Meetings", "meeting.sharing_ended"},
		{"Meetings", "recording.cloud_storage_usage_updated"},
		{"Meetings", "recording.transcript_completed"},
		{"Meetings", "recording.stopped"},
		{"Meetings", "recording.batch_trashed"},
		{"Meetings", "meeting.chat_message_file_downloaded"},
		{"Meetings", "webinar.sharing_ended"},
		{"Meetings", "meeting.summary_trashed"},
		{"Meetings", "meeting.sharing_started"},
		{"Meetings", "meeting.chat_message_sent"},
		{"Meetings", "meeting.invitation_rejected"},
		{"Meetings", "meeting.participant_role_changed"},
		{"Meetings", "meeting.permanently_deleted"},
		{"Meetings", "recording.registration_created"},
		{"Meetings", "meeting.live_streaming_started"},
		{"Meetings", "meeting.participant_room_system_callout_accepted"},
		{"Meetings", "meeting.breakout_room_sharing_started"},
		{"Meetings", "meeting.participant_bind"},
		{"Meetings", "meeting.participant_feedback"},
		{"Meetings", "recording.deleted"},
		{"Meetings", "recording.paused"},
		{"Meetings", "meeting.participant_room_system_callout_ringing"},
		{"Meetings", "recording.started"},
		{"Meetings", "user.tsp_updated"},
		{"Meetings", "meeting.invitation_timeout"},
		{"Meetings", "meeting.participant_admitted"},
		{"Meetings", "meeting.participant_room_system_callout_failed"},
		{"Meetings", "recording.resumed"},
		{"Meetings", "meeting.participant_phone_callout_missed"},
		{"Meetings", "meeting.summary_updated"},
		{"Meetings", "recording.renamed"},
		{"Meetings", "meeting.participant_room_system_callout_missed"},
		{"Meetings", "recording.registration_denied"},
		{"Meetings", "meeting.live_streaming_stopped"},
		{"Meetings", "meeting.recovered"},
		{"Meetings", "webinar.permanently_deleted"},
		{"Meetings", "meeting.participant_put_in_waiting_room"},
		{"Meetings", "recording.trashed"},
		{"Meetings", "meeting.summary_deleted"},
		{"Meetings", "webinar.participant_bind"},
		{"Meetings", "recording.batch_recovered"},
		{"Meetings", "meeting.participant_room_system_callout_rejected"},
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
		{"Users", "group.admin_added"},
		{"Users", "group.lock_settings_updated"},
		{"Users", "group.admin_deleted"},
		{"Users", "user.settings_updated"},
		{"Users", "group.settings_updated"},
		{"Users", "user.presence_status_updated"},
		{"Users", "user.signed_in"},
		{"Users", "user.signed_out"},
		{"Users", "user.personal_notes_updated"},
		{"Accounts", "account.vanity_url_rejected"},
		{"Accounts", "account.created"},
		{"Accounts", "information_barriers.policy_deleted"},
		{"Accounts", "account.updated"},
		{"Accounts", "information_barriers.policy_created"},
		{"Accounts", "account.lock_settings_updated"},
		{"Accounts", "account.disassociated"},
		{"Accounts", "information_barriers.policy_updated"},
		{"Accounts", "account.vanity_url_approved"},
		{"Accounts", "account.settings_updated"},
		{"Marketplace", "app_deauthorized"},
		{"Marketplace", "app.authorization_request_created"},
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
