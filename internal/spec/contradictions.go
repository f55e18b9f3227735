package spec

import "strings"

// Contradiction is a place where one of Zoom's documents contradicts
// itself, so that no request (or no response) can validate against it, and
// how zoomkit resolves it. Contradictions is the one list of them: the
// contract tests of package zoom and the canned answers of zoom/zoomtest
// tolerate a validation error only when an entry names the operation and
// the error contains the entry's Match text, and a test fails when an
// entry no longer matches anything (the documents were fixed).
type Contradiction struct {
	OpID       string // operationId
	Side       string // "request" or "response"
	Match      string // text of the validation error that the defect causes
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
// documents, by operation.
var Contradictions = []Contradiction{
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
