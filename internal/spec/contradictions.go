package spec

import (
	"slices"
	"strings"
)

// Contradiction is a place where one of Zoom's documents contradicts
// itself, so that no request (or no response) can validate against it, and
// how zoomkit resolves it. Contradictions is the one list of them: the
// contract tests of package zoom and the canned answers of zoom/zoomtest
// tolerate a validation error only when an entry names the operation and
// the error contains the entry's Match text, and a test fails when an
// entry no longer matches anything (the documents were fixed).
type Contradiction struct {
	OpID       string // operationId
	Side       string // "request", "response", or "example": a field's example fails the field's own schema
	Match      string // text of the validation error that the defect causes; for "example", the field ("req." or "resp." and its JSON path)
	Defect     string // what the document says that cannot hold
	Resolution string // what the SDK does about it
	// Probe is, for a response contradiction, a body that the defect
	// makes invalid although it is what the document describes (the
	// test of this package checks that it still fails with Match).
	Probe string
}

// oneOfSettings is the defect of Zoom's settings update bodies.
const (
	oneOfSettingsDefect = "the request body is a oneOf whose members have no required properties, so every non-empty body matches several members and no body matches exactly one"
	oneOfResponseDefect = "the response body is a oneOf whose members have no required properties, so every non-empty body matches several members"
	oneOfSettingsFix    = "the SDK sends one body type, the union of the members' fields (the settings object the GET returns); Zoom applies the fields it recognises"
)

// Contradictions lists every self-contradiction found in the covered
// documents: the request and response bodies no value can satisfy, then
// the fields whose example fails their own schema.
var Contradictions = slices.Concat(bodyContradictions, exampleContradictions)

// bodyContradictions are the request and response bodies that no value
// can satisfy, by operation.
var bodyContradictions = []Contradiction{
	{"userSettingsUpdate", "request", "matches more than one oneOf schemas", oneOfSettingsDefect, oneOfSettingsFix, ""},
	{"groupLockedSettings", "request", "matches more than one oneOf schemas", oneOfSettingsDefect, oneOfSettingsFix, ""},
	{"updateGroupSettings", "request", "matches more than one oneOf schemas", oneOfSettingsDefect, oneOfSettingsFix, ""},
	{"accountSettingsUpdate", "request", "matches more than one oneOf schemas", oneOfSettingsDefect, oneOfSettingsFix, ""},
	{"UpdateLockedSettings", "request", "matches more than one oneOf schemas", oneOfSettingsDefect, oneOfSettingsFix, ""},
	{"userSettings", "response", "matches more than one oneOf schemas", oneOfResponseDefect,
		"the SDK decodes into one type, the union of the members' fields (UserSettings)", `{"schedule_meeting":{"host_video":true}}`},
	{"getGroupSettings", "response", "matches more than one oneOf schemas", oneOfResponseDefect,
		"the SDK decodes into one type, the union of the members' fields (GroupSettings)", `{"schedule_meeting":{"host_video":true}}`},
	{"getGroupLockSettings", "response", "matches more than one oneOf schemas", oneOfResponseDefect,
		"the SDK decodes into one type, the union of the members' fields (GroupLockSettings)", `{"schedule_meeting":{"host_video":true}}`},
	{"accountSettings", "response", "matches more than one oneOf schemas", oneOfResponseDefect,
		"the SDK decodes into one type, the union of the members' fields (AccountSettings)", `{"schedule_meeting":{"host_video":true}}`},
	{"getAccountLockSettings", "response", "matches more than one oneOf schemas", oneOfResponseDefect,
		"the SDK decodes into one type, the union of the members' fields (AccountLockSettings)", `{"schedule_meeting":{"host_video":true}}`},
	{"changeDeviceAssociation", "request", `property "action" is missing`,
		`the body schema requires "action" but declares no such property (only room_id and app_type)`,
		"the SDK sends the declared fields (DevicesService.ChangeAssociation); an empty room_id releases the device, as the description says", ""},
	{"listArchivedFiles", "response", `Error at "/meetings/0/complete_time":`,
		`complete_time is a date-time string and at the same time anyOf [object, enum ""], so no value validates: a time fails the anyOf, "" fails the date-time format`,
		"the SDK decodes complete_time as a time and leaves it zero for \"\"; the fake answers \"\"",
		`{"meetings":[{"complete_time":"2021-03-12T02:57:27Z"}]}`},
	{"getArchivedFiles", "response", `Error at "/complete_time":`,
		`complete_time is a date-time string and at the same time anyOf [object, enum ""], so no value validates: a time fails the anyOf, "" fails the date-time format`,
		"the SDK decodes complete_time as a time and leaves it zero for \"\"; the fake answers \"\"",
		`{"complete_time":"2021-03-12T02:57:27Z"}`},
}

const (
	enumExample = "the SDK's enum types are strings: the example's value (and any other Zoom sends) decodes and is kept; the named constants are the schema's"
	typeExample = "the SDK types the field as the schema says; the decoder repairs what it can (a lone value where a list is documented) and leaves the rest zero with a Response.DecodeWarnings entry"
)

// exampleContradictions are the fields whose example, in the documents,
// fails the field's own schema.
var exampleContradictions = []Contradiction{
	{"Gethistorymeetingandwebinarlist", "example", "resp.history_meetings[].group", "the example is a string, the schema an array", typeExample, ""},
	{"accountSettings", "example", "resp.security.user_modifiable_info_by_admin[]", "the example is not one of the enum's values", enumExample, ""},
	{"accountSettingsUpdate", "example", "req.security.user_modifiable_info_by_admin[]", "the example is not one of the enum's values", enumExample, ""},
	{"accountSettingsUpdate", "example", "req.telephony.telephony_regions", "the example is not an object, the schema is", typeExample, ""},
	{"getArchivedFiles", "example", "resp.complete_time", "the example is a time, the schema a date-time string and anyOf [object, \"\"]", typeExample, ""},
	{"getGroupSettings", "example", "resp.chat.chat_etiquette_tool.policies[].status", "the example is not one of the enum's values", enumExample, ""},
	{"getGroupSettings", "example", "resp.chat.share_files.share_option", "the example is not one of the enum's values", enumExample, ""},
	{"getGroupSettings", "example", "resp.meeting_security.chat_etiquette_tool.policies[].status", "the example is not one of the enum's values", enumExample, ""},
	{"getUserPresenceStatus", "example", "resp.status", "the example is not the enum's one value (Do_No_Disturb)", enumExample, ""},
	{"listArchivedFiles", "example", "resp.meetings[].complete_time", "the example is a time, the schema a date-time string and anyOf [object, \"\"]", typeExample, ""},
	{"updateGroupSettings", "example", "req.chat.chat_etiquette_tool.policies[].status", "the example is not one of the enum's values", enumExample, ""},
	{"updateGroupSettings", "example", "req.chat.share_files.share_option", "the example is not one of the enum's values", enumExample, ""},
	{"updateGroupSettings", "example", "req.in_meeting.webinar_live_streaming.live_streaming_service[]", "the example is not one of the enum's values", enumExample, ""},
	{"updateGroupSettings", "example", "req.meeting_security.chat_etiquette_tool.policies[].status", "the example is not one of the enum's values", enumExample, ""},
	{"userSettingsUpdate", "example", "req.audio_conferencing.participant_phone_masking", "the example is not an object, the schema is", typeExample, ""},
}

// Tolerated returns the contradiction that explains err for the operation
// opID on side ("request" or "response"), if there is one.
func Tolerated(opID, side string, err error) (Contradiction, bool) {
	if err == nil {
		return Contradiction{}, false
	}
	for _, c := range Contradictions {
		if c.OpID == opID && c.Side == side && strings.Contains(err.Error(), c.Match) {
			return c, true
		}
	}
	return Contradiction{}, false
}
