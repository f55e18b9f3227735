package main

import "strings"

// This file is the overrides table: the deliberate Go names of services,
// methods and types; the per-operation rules (rate label where the
// documents give none, date windows, path parameter kinds); the field rules
// (secrets, flexible ids, pointers, required verbs, limits, enums); the
// unification of the nested types that the OpenAPI documents repeat inline
// (typeAliases, merged by name while building) or repeat with the same
// shape (sharedTypes, merged by structure after building, see dedupe.go);
// and the events' field rules. Adding a tag means adding it to the scope
// (internal/gen/scope) and one entry per operation to operations; the
// generator fails on an operation without an entry, and on an entry for an
// operation outside the scope.

// opDef names the Go side of one operation.
type opDef struct {
	Service string // service type without "Service": Meetings, Users, ...
	Method  string
	Base    string // stem of derived type names: Base+"Options", Base+"Request", Base+"Result"
	Result  string // response type name (default Base+"Result")
	Body    string // request body type name (default Base+"Request"); a request name, never a response type's
	// Like names the response type whose schema the request body shares
	// (Users.UpdateSettings' body is UserSettings'): the body's nested
	// types are named after it, as the request side of its nested types
	// (UserSettingsInMeetingRequest), and share its enum names.
	Like string
	// Params overrides the Go kind of path parameters: "id" (zoom.ID),
	// "string" or "instance" (zoom.InstanceID).
	Params map[string]string
	// Query overrides the kind of query parameters.
	Query map[string]string
	// Upload is the multipart form field of an upload operation.
	Upload string
	// OptionalBody lets the request body be nil (no body is sent).
	OptionalBody bool
	// Rate is the rate-limit label for an operation whose description
	// has none (an assumption, said so in the method's doc comment).
	Rate string
	// Decode names the type a success body decodes into when the
	// documents describe none (they document a fake "200" error instead)
	// but Zoom sends one.
	Decode string
	// Dates is the window Zoom documents for the from/to query dates, or
	// nil. It is emitted in zz_daterules.go.
	Dates *dateWindow
}

// dateWindow is Zoom's documented window for an operation's from/to
// dates: a range outside it is refused before the call, since Zoom would
// answer 300 "Invalid parameter" or silently return a truncated report.
type dateWindow struct {
	Required bool // from and to must be given
	MaxDays  int  // 0: the range may span at most one calendar month
	Lookback int  // from must be within this many months before today (0: no limit)
	NotToday bool // data is complete only up to yesterday
}

func def(svc, method, base, result string) opDef {
	return opDef{Service: svc, Method: method, Base: base, Result: result}
}

func (d opDef) body(name string) opDef { d.Body = name; return d }

func (d opDef) like(name string) opDef { d.Like = name; return d }

func (d opDef) upload(field string) opDef { d.Upload = field; return d }

func (d opDef) decode(typ string) opDef { d.Decode = typ; return d }

func (d opDef) rate(label string) opDef { d.Rate = label; return d }

func (d opDef) dates(w dateWindow) opDef { d.Dates = &w; return d }

func (d opDef) query(kinds map[string]string) opDef { d.Query = kinds; return d }

// operations maps every covered operationId to its Go names.
var operations = map[string]opDef{
	// Meetings document, tags Meetings and Invitation & Registration.
	"meetingCreate":                   def("Meetings", "Create", "CreateMeeting", "Meeting"),
	"meetings":                        def("Meetings", "List", "ListMeetings", "MeetingList"),
	"listUpcomingMeeting":             def("Meetings", "ListUpcoming", "ListUpcomingMeetings", "UpcomingMeetingList"),
	"meeting":                         def("Meetings", "Get", "GetMeeting", "Meeting"),
	"meetingUpdate":                   def("Meetings", "Update", "UpdateMeeting", ""),
	"meetingDelete":                   def("Meetings", "Delete", "DeleteMeeting", ""),
	"meetingStatus":                   def("Meetings", "UpdateStatus", "UpdateMeetingStatus", ""),
	"meetingInvitation":               def("Meetings", "GetInvitation", "GetMeetingInvitation", "MeetingInvitation"),
	"meetingInviteLinksCreate":        def("Meetings", "CreateInviteLinks", "CreateMeetingInviteLinks", "MeetingInviteLinks"),
	"getSipDialingWithPasscode":       def("Meetings", "GetSIPDialing", "GetMeetingSIPDialing", "MeetingSIPDialing"),
	"meetingRTMSStatusUpdate":         def("Meetings", "UpdateRTMSAppStatus", "UpdateMeetingRTMSAppStatus", ""),
	"meetingRegistrants":              def("Meetings", "ListRegistrants", "ListMeetingRegistrants", "RegistrantList"),
	"meetingRegistrantCreate":         def("Meetings", "AddRegistrant", "AddMeetingRegistrant", "MeetingRegistration").body("AddRegistrantRequest").like("Registrant"),
	"meetingRegistrantGet":            def("Meetings", "GetRegistrant", "GetMeetingRegistrant", "Registrant"),
	"meetingregistrantdelete":         def("Meetings", "DeleteRegistrant", "DeleteMeetingRegistrant", ""),
	"meetingRegistrantStatus":         def("Meetings", "UpdateRegistrantStatus", "UpdateMeetingRegistrantStatus", "").body("UpdateRegistrantStatusRequest"),
	"meetingRegistrantsQuestionsGet":  def("Meetings", "GetRegistrantQuestions", "GetMeetingRegistrantQuestions", "RegistrantQuestions"),
	"meetingRegistrantQuestionUpdate": def("Meetings", "UpdateRegistrantQuestions", "UpdateMeetingRegistrantQuestions", "").body("UpdateRegistrantQuestionsRequest").like("RegistrantQuestions"),
	"addBatchRegistrants":             def("Meetings", "AddBatchRegistrants", "AddBatchMeetingRegistrants", "BatchRegistrantsResult").body("AddBatchRegistrantsRequest"),
	"pastMeetingDetails":              def("Meetings", "GetPast", "GetPastMeeting", "PastMeeting"),
	"pastMeetings":                    def("Meetings", "ListPastInstances", "ListPastMeetingInstances", "MeetingInstanceList"),
	"pastMeetingParticipants":         def("Meetings", "ListPastParticipants", "ListPastMeetingParticipants", "ParticipantList"),
	"listPastMeetingQA":               def("Meetings", "ListPastQA", "ListPastMeetingQA", "PastMeetingQA"),

	// Meetings document, tag Webinars.
	"webinarCreate":                     def("Webinars", "Create", "CreateWebinar", "Webinar"),
	"webinars":                          def("Webinars", "List", "ListWebinars", "WebinarList"),
	"webinar":                           def("Webinars", "Get", "GetWebinar", "Webinar"),
	"webinarUpdate":                     def("Webinars", "Update", "UpdateWebinar", ""),
	"webinarDelete":                     def("Webinars", "Delete", "DeleteWebinar", ""),
	"webinarStatus":                     def("Webinars", "UpdateStatus", "UpdateWebinarStatus", ""),
	"webinarRegistrants":                def("Webinars", "ListRegistrants", "ListWebinarRegistrants", "RegistrantList"),
	"webinarRegistrantCreate":           def("Webinars", "AddRegistrant", "AddWebinarRegistrant", "WebinarRegistration").body("AddRegistrantRequest").like("Registrant"),
	"webinarRegistrantGet":              def("Webinars", "GetRegistrant", "GetWebinarRegistrant", "Registrant"),
	"deleteWebinarRegistrant":           def("Webinars", "DeleteRegistrant", "DeleteWebinarRegistrant", ""),
	"webinarRegistrantStatus":           def("Webinars", "UpdateRegistrantStatus", "UpdateWebinarRegistrantStatus", "").body("UpdateRegistrantStatusRequest"),
	"webinarRegistrantsQuestionsGet":    def("Webinars", "GetRegistrantQuestions", "GetWebinarRegistrantQuestions", "RegistrantQuestions"),
	"webinarRegistrantQuestionUpdate":   def("Webinars", "UpdateRegistrantQuestions", "UpdateWebinarRegistrantQuestions", "").body("UpdateRegistrantQuestionsRequest").like("RegistrantQuestions"),
	"addBatchWebinarRegistrants":        def("Webinars", "AddBatchRegistrants", "AddBatchWebinarRegistrants", "BatchRegistrantsResult").body("AddBatchRegistrantsRequest"),
	"webinarPanelists":                  def("Webinars", "ListPanelists", "ListWebinarPanelists", "PanelistList"),
	"webinarPanelistCreate":             def("Webinars", "AddPanelists", "AddWebinarPanelists", "AddedPanelists"),
	"webinarPanelistsDelete":            def("Webinars", "DeleteAllPanelists", "DeleteAllWebinarPanelists", ""),
	"webinarPanelistDelete":             def("Webinars", "DeletePanelist", "DeleteWebinarPanelist", ""),
	"pastWebinars":                      def("Webinars", "ListPastInstances", "ListPastWebinarInstances", "WebinarInstanceList"),
	"listWebinarParticipants":           def("Webinars", "ListPastParticipants", "ListPastWebinarParticipants", "ParticipantList"),
	"webinarAbsentees":                  def("Webinars", "ListAbsentees", "ListWebinarAbsentees", "AbsenteeList"),
	"listPastWebinarPollResults":        def("Webinars", "ListPastPollResults", "ListPastWebinarPollResults", "PastWebinarPollResults"),
	"listPastWebinarQA":                 def("Webinars", "ListPastQA", "ListPastWebinarQA", "PastWebinarQA"),
	"listWebinarTemplates":              def("Webinars", "ListTemplates", "ListWebinarTemplates", "WebinarTemplateList").rate("MEDIUM"),
	"webinarTemplateCreate":             def("Webinars", "CreateTemplate", "CreateWebinarTemplate", "WebinarTemplate"),
	"deleteWebinarChatMessageById":      def("Webinars", "DeleteLiveChatMessage", "DeleteLiveWebinarChatMessage", ""),
	"getWebinarBranding":                def("Webinars", "GetBranding", "GetWebinarBranding", "WebinarBranding"),
	"createWebinarBrandingNameTag":      def("Webinars", "CreateBrandingNameTag", "CreateWebinarBrandingNameTag", "WebinarNameTag"),
	"deleteWebinarBrandingNameTag":      def("Webinars", "DeleteBrandingNameTags", "DeleteWebinarBrandingNameTags", ""),
	"updateWebinarBrandingNameTag":      def("Webinars", "UpdateBrandingNameTag", "UpdateWebinarBrandingNameTag", ""),
	"uploadWebinarBrandingVB":           def("Webinars", "UploadBrandingVirtualBackground", "UploadWebinarBrandingVirtualBackground", "WebinarBrandingFile").upload("file"),
	"deleteWebinarBrandingVB":           def("Webinars", "DeleteBrandingVirtualBackgrounds", "DeleteWebinarBrandingVirtualBackgrounds", ""),
	"setWebinarBrandingVB":              def("Webinars", "SetDefaultBrandingVirtualBackground", "SetWebinarBrandingVirtualBackground", ""),
	"uploadWebinarBrandingWallpaper":    def("Webinars", "UploadBrandingWallpaper", "UploadWebinarBrandingWallpaper", "WebinarBrandingWallpaper").upload("file"),
	"deleteWebinarBrandingWallpaper":    def("Webinars", "DeleteBrandingWallpaper", "DeleteWebinarBrandingWallpaper", ""),
	"webinarInviteLinksCreate":          def("Webinars", "CreateInviteLinks", "CreateWebinarInviteLinks", "WebinarInviteLinks"),
	"webinarLiveStreamingJoinToken":     def("Webinars", "GetLiveStreamingJoinToken", "GetWebinarLiveStreamingJoinToken", "JoinToken"),
	"webinarLocalArchivingArchiveToken": def("Webinars", "GetLocalArchivingToken", "GetWebinarLocalArchivingToken", "JoinToken"),
	"webinarLocalRecordingJoinToken":    def("Webinars", "GetLocalRecordingJoinToken", "GetWebinarLocalRecordingJoinToken", "JoinToken"),
	"getWebinarLiveStreamDetails":       def("Webinars", "GetLiveStream", "GetWebinarLiveStream", "WebinarLiveStream"),
	"webinarLiveStreamUpdate":           def("Webinars", "UpdateLiveStream", "UpdateWebinarLiveStream", ""),
	"webinarLiveStreamStatusUpdate":     def("Webinars", "UpdateLiveStreamStatus", "UpdateWebinarLiveStreamStatus", ""),
	"webinarPolls":                      def("Webinars", "ListPolls", "ListWebinarPolls", "WebinarPollList"),
	"webinarPollCreate":                 def("Webinars", "CreatePoll", "CreateWebinarPoll", "WebinarPoll"),
	"webinarPollGet":                    def("Webinars", "GetPoll", "GetWebinarPoll", "WebinarPoll"),
	"webinarPollUpdate":                 def("Webinars", "UpdatePoll", "UpdateWebinarPoll", ""),
	"webinarPollDelete":                 def("Webinars", "DeletePoll", "DeleteWebinarPoll", ""),
	"getWebinarSipDialingWithPasscode":  def("Webinars", "GetSIPDialing", "GetWebinarSIPDialing", "WebinarSIPDialing"),
	"webinarSurveyGet":                  def("Webinars", "GetSurvey", "GetWebinarSurvey", "WebinarSurvey"),
	"webinarSurveyUpdate":               def("Webinars", "UpdateSurvey", "UpdateWebinarSurvey", "").like("WebinarSurvey"),
	"webinarSurveyDelete":               def("Webinars", "DeleteSurvey", "DeleteWebinarSurvey", ""),
	"webinarToken":                      def("Webinars", "GetToken", "GetWebinarToken", "WebinarToken"),
	"getTrackingSources":                def("Webinars", "ListTrackingSources", "ListWebinarTrackingSources", "TrackingSourceList"),

	// Meetings document, tag Reports.
	"reportDaily":                     def("Reports", "GetDaily", "GetDailyReport", "DailyReport"),
	"reportUsers":                     def("Reports", "ListActiveHosts", "ListActiveHostsReport", "ActiveHostsReport").dates(dateWindow{Required: true, Lookback: 6}),
	"reportMeetings":                  def("Reports", "ListMeetings", "ListMeetingsReport", "UserMeetingsReport").dates(dateWindow{Required: true, Lookback: 6}),
	"reportMeetingDetails":            def("Reports", "GetMeeting", "GetMeetingReport", "MeetingReport"),
	"reportMeetingParticipants":       def("Reports", "ListMeetingParticipants", "ListMeetingParticipantsReport", "MeetingParticipantsReport"),
	"reportMeetingPolls":              def("Reports", "GetMeetingPolls", "GetMeetingPollsReport", "MeetingPollsReport"),
	"reportMeetingQA":                 def("Reports", "GetMeetingQA", "GetMeetingQAReport", "MeetingQAReport"),
	"reportMeetingSurvey":             def("Reports", "GetMeetingSurvey", "GetMeetingSurveyReport", "MeetingSurveyReport"),
	"reportWebinarDetails":            def("Reports", "GetWebinar", "GetWebinarReport", "WebinarReport"),
	"reportWebinarParticipants":       def("Reports", "ListWebinarParticipants", "ListWebinarParticipantsReport", "WebinarParticipantsReport"),
	"reportWebinarPolls":              def("Reports", "GetWebinarPolls", "GetWebinarPollsReport", "WebinarPollsReport"),
	"reportWebinarQA":                 def("Reports", "GetWebinarQA", "GetWebinarQAReport", "WebinarQAReport"),
	"reportWebinarSurvey":             def("Reports", "GetWebinarSurvey", "GetWebinarSurveyReport", "WebinarSurveyReport"),
	"reportTelephone":                 def("Reports", "GetTelephone", "GetTelephoneReport", "TelephoneReport").dates(dateWindow{Required: true}),
	"reportCloudRecording":            def("Reports", "GetCloudRecording", "GetCloudRecordingReport", "CloudRecordingReport").dates(dateWindow{Required: true, MaxDays: 30, Lookback: 6, NotToday: true}),
	"reportOperationLogs":             def("Reports", "ListOperationLogs", "ListOperationLogsReport", "OperationLogsReport").dates(dateWindow{Required: true}),
	"reportSignInSignOutActivities":   def("Reports", "ListSignInActivities", "ListSignInActivitiesReport", "SignInActivitiesReport").dates(dateWindow{}),
	"getBillingReport":                def("Reports", "GetBilling", "GetBillingReport", "BillingReport"),
	"getBillingInvoicesReports":       def("Reports", "GetBillingInvoices", "GetBillingInvoicesReport", "BillingInvoicesReport"),
	"Gethistorymeetingandwebinarlist": def("Reports", "ListHistoryMeetings", "ListHistoryMeetingsReport", "HistoryMeetingsReport"),
	"reportMeetingactivitylogs":       def("Reports", "ListMeetingActivities", "ListMeetingActivitiesReport", "MeetingActivitiesReport"),
	"Getremotesupportreport":          def("Reports", "GetRemoteSupport", "GetRemoteSupportReport", "RemoteSupportReport"),
	"reportUpcomingEvents":            def("Reports", "ListUpcomingEvents", "ListUpcomingEventsReport", "UpcomingEventsReport").dates(dateWindow{Required: true}),

	// Meetings document, tag Cloud Recording.
	"recordingsList":                    def("CloudRecordings", "List", "ListRecordings", "RecordingList").dates(dateWindow{}),
	"recordingGet":                      def("CloudRecordings", "Get", "GetMeetingRecordings", "MeetingRecordings"),
	"recordingDelete":                   def("CloudRecordings", "Delete", "DeleteMeetingRecordings", ""),
	"recordingStatusUpdate":             def("CloudRecordings", "Recover", "RecoverMeetingRecordings", ""),
	"recordingDeleteOne":                def("CloudRecordings", "DeleteFile", "DeleteRecordingFile", ""),
	"recordingStatusUpdateOne":          def("CloudRecordings", "RecoverFile", "RecoverRecordingFile", ""),
	"analytics_details":                 def("CloudRecordings", "GetAnalyticsDetails", "GetRecordingAnalyticsDetails", "RecordingAnalyticsDetails").rate("MEDIUM").dates(dateWindow{}),
	"analytics_summary":                 def("CloudRecordings", "GetAnalyticsSummary", "GetRecordingAnalyticsSummary", "RecordingAnalyticsSummary").rate("MEDIUM").dates(dateWindow{}),
	"meetingRecordingRegistrants":       def("CloudRecordings", "ListRegistrants", "ListRecordingRegistrants", "RecordingRegistrantList"),
	"meetingRecordingRegistrantCreate":  def("CloudRecordings", "AddRegistrant", "AddRecordingRegistrant", "RecordingRegistration").like("RecordingRegistrant"),
	"meetingRecordingRegistrantStatus":  def("CloudRecordings", "UpdateRegistrantStatus", "UpdateRecordingRegistrantStatus", "").body("UpdateRegistrantStatusRequest"),
	"recordingRegistrantsQuestionsGet":  def("CloudRecordings", "GetRegistrantQuestions", "GetRecordingRegistrantQuestions", "RegistrantQuestions"),
	"recordingRegistrantQuestionUpdate": def("CloudRecordings", "UpdateRegistrantQuestions", "UpdateRecordingRegistrantQuestions", "").body("UpdateRegistrantQuestionsRequest").like("RegistrantQuestions"),
	"recordingSettingUpdate":            def("CloudRecordings", "GetSettings", "GetRecordingSettings", "RecordingSettings"),
	"recordingSettingsUpdate":           def("CloudRecordings", "UpdateSettings", "UpdateRecordingSettings", "").like("RecordingSettings"),
	"GetMeetingTranscript":              def("CloudRecordings", "GetTranscript", "GetMeetingTranscript", "MeetingTranscript"),
	"DeleteMeetingTranscript":           def("CloudRecordings", "DeleteTranscript", "DeleteMeetingTranscript", ""),

	// Meetings document, tags Live streaming, In-Meeting Apps and
	// In-Meeting Features: calls about one meeting, beside the Webinars
	// service's counterparts.
	"meetingLiveStreamingJoinToken":  def("Meetings", "GetLiveStreamingJoinToken", "GetMeetingLiveStreamingJoinToken", "JoinToken"),
	"getMeetingLiveStreamDetails":    def("Meetings", "GetLiveStream", "GetMeetingLiveStream", "MeetingLiveStream"),
	"meetingLiveStreamUpdate":        def("Meetings", "UpdateLiveStream", "UpdateMeetingLiveStream", ""),
	"meetingLiveStreamStatusUpdate":  def("Meetings", "UpdateLiveStreamStatus", "UpdateMeetingLiveStreamStatus", ""),
	"meetingAppAdd":                  def("Meetings", "AddApp", "AddMeetingApp", "MeetingApp"),
	"meetingAppDelete":               def("Meetings", "DeleteApp", "DeleteMeetingApp", ""),
	"deleteMeetingChatMessageById":   def("Meetings", "DeleteLiveChatMessage", "DeleteLiveMeetingChatMessage", ""),
	"updateMeetingChatMessageById":   def("Meetings", "UpdateLiveChatMessage", "UpdateLiveMeetingChatMessage", ""),
	"inMeetingControl":               def("Meetings", "Control", "ControlLiveMeeting", ""),
	"meetingLocalRecordingJoinToken": def("Meetings", "GetLocalRecordingJoinToken", "GetMeetingLocalRecordingJoinToken", "JoinToken"),
	"meetingToken":                   def("Meetings", "GetToken", "GetMeetingToken", "MeetingToken"),

	// Meetings document, tag Polls.
	"createBatchPolls":     def("Polls", "CreateBatch", "CreateBatchMeetingPolls", "MeetingPollBatch"),
	"meetingPolls":         def("Polls", "List", "ListMeetingPolls", "MeetingPollList"),
	"meetingPollCreate":    def("Polls", "Create", "CreateMeetingPoll", "MeetingPoll"),
	"meetingPollGet":       def("Polls", "Get", "GetMeetingPoll", "MeetingPoll"),
	"meetingPollUpdate":    def("Polls", "Update", "UpdateMeetingPoll", ""),
	"meetingPollDelete":    def("Polls", "Delete", "DeleteMeetingPoll", ""),
	"listPastMeetingPolls": def("Polls", "ListPastResults", "ListPastMeetingPollResults", "PastMeetingPollResults"),

	// Meetings document, tag Surveys.
	"meetingSurveyGet":    def("Surveys", "GetMeeting", "GetMeetingSurvey", "MeetingSurvey"),
	"meetingSurveyDelete": def("Surveys", "DeleteMeeting", "DeleteMeetingSurvey", ""),
	"meetingSurveyUpdate": def("Surveys", "UpdateMeeting", "UpdateMeetingSurvey", "").like("MeetingSurvey"),

	// Meetings document, tag Summaries.
	"Listmeetingsummaries":          def("Summaries", "List", "ListMeetingSummaries", "MeetingSummaryList"),
	"Getameetingsummary":            def("Summaries", "Get", "GetMeetingSummary", "MeetingSummary"),
	"Deletemeetingorwebinarsummary": def("Summaries", "Delete", "DeleteMeetingSummary", ""),

	// Meetings document, tag Templates.
	"listMeetingTemplates":  def("Templates", "List", "ListMeetingTemplates", "MeetingTemplateList"),
	"meetingTemplateCreate": def("Templates", "Create", "CreateMeetingTemplate", "CreatedMeetingTemplate"),

	// Meetings document, tags TSP and PAC.
	"tsp":           def("TSP", "Get", "GetAccountTSP", "AccountTSP"),
	"tspUpdate":     def("TSP", "Update", "UpdateAccountTSP", ""),
	"userTSPs":      def("TSP", "ListUserAccounts", "ListUserTSPAccounts", "UserTSPAccountList"),
	"userTSPCreate": def("TSP", "AddUserAccount", "AddUserTSPAccount", "UserTSPAccount"),
	"tspUrlUpdate":  def("TSP", "SetUserGlobalDialInURL", "SetUserTSPGlobalDialInURL", ""),
	"userTSP":       def("TSP", "GetUserAccount", "GetUserTSPAccount", "UserTSPAccount"),
	"userTSPDelete": def("TSP", "DeleteUserAccount", "DeleteUserTSPAccount", ""),
	"userTSPUpdate": def("TSP", "UpdateUserAccount", "UpdateUserTSPAccount", "").body("UpdateUserTSPAccountRequest"),
	"userPACs":      def("Users", "ListPACAccounts", "ListUserPACAccounts", "PACAccountList"),

	// Meetings document, tag Tracking Field.
	"trackingfieldList":   def("TrackingFields", "List", "ListTrackingFields", "TrackingFieldList"),
	"trackingfieldCreate": def("TrackingFields", "Create", "CreateTrackingField", "TrackingField"),
	"trackingfieldGet":    def("TrackingFields", "Get", "GetTrackingField", "TrackingField"),
	"trackingfieldDelete": def("TrackingFields", "Delete", "DeleteTrackingField", ""),
	"trackingfieldUpdate": def("TrackingFields", "Update", "UpdateTrackingField", ""),

	// Meetings document, tags H323 Devices and SIP Phone.
	"deviceList":           def("H323Devices", "List", "ListH323Devices", "H323DeviceList"),
	"deviceCreate":         def("H323Devices", "Create", "CreateH323Device", "H323Device"),
	"deviceDelete":         def("H323Devices", "Delete", "DeleteH323Device", ""),
	"deviceUpdate":         def("H323Devices", "Update", "UpdateH323Device", ""),
	"ListSIPPhonePhones":   def("SIPPhones", "List", "ListSIPPhones", "SIPPhoneList"),
	"EnableSIPPhonePhones": def("SIPPhones", "Enable", "EnableSIPPhone", "SIPPhone"),
	"deleteSIPPhonePhones": def("SIPPhones", "Delete", "DeleteSIPPhone", ""),
	"UpdateSIPPhonePhones": def("SIPPhones", "Update", "UpdateSIPPhone", ""),

	// Meetings document, tag Devices (Zoom Device Management and Zoom
	// Phone Appliances).
	"listDevices":                           def("Devices", "List", "ListDevices", "DeviceList"),
	"addDevice":                             def("Devices", "Add", "AddDevice", ""),
	"Getzdmgroupinfo":                       def("Devices", "ListZDMGroups", "ListZDMGroups", "ZDMGroupList"),
	"Assigndevicetoauser/commonarea":        def("Devices", "AssignZPA", "AssignZPADevice", ""),
	"GetZpaDeviceListProfileSettingOfaUser": def("Devices", "GetZPASettings", "GetZPASettings", "ZPASettings"),
	"UpgradeZpas/app":                       def("Devices", "UpgradeZPA", "UpgradeZPA", ""),
	"DeleteZpaDeviceByVendorAndMacAddress":  def("Devices", "DeleteZPA", "DeleteZPADevice", ""),
	"GetZpaVersioninfo":                     def("Devices", "GetZPAVersions", "GetZPAVersions", "ZPAVersions"),
	"getDevice":                             def("Devices", "Get", "GetDevice", "Device"),
	"deleteDevice":                          def("Devices", "Delete", "DeleteDevice", ""),
	"updateDevice":                          def("Devices", "Update", "UpdateDevice", ""),
	"assginGroup":                           def("Devices", "AssignGroup", "AssignDeviceGroup", ""),
	"changeDeviceAssociation":               def("Devices", "ChangeAssociation", "ChangeDeviceAssociation", ""),

	// Meetings document, tag Archiving.
	"listArchivedFiles":                 def("Archiving", "ListFiles", "ListArchivedFiles", "ArchivedFileList"),
	"getArchivedFileStatistics":         def("Archiving", "GetStatistics", "GetArchivedFileStatistics", "ArchivedFileStatistics"),
	"updateArchivedFile":                def("Archiving", "UpdateFile", "UpdateArchivedFile", ""),
	"meetingLocalArchivingArchiveToken": def("Archiving", "GetMeetingToken", "GetMeetingLocalArchivingToken", "JoinToken"),
	"getArchivedFiles":                  def("Archiving", "GetMeetingFiles", "GetMeetingArchivedFiles", "MeetingArchivedFiles"),
	"deleteArchivedFiles":               def("Archiving", "DeleteMeetingFiles", "DeleteMeetingArchivedFiles", ""),

	// Users document, tag Users.
	"users":                      def("Users", "List", "ListUsers", "UserList"),
	"userCreate":                 def("Users", "Create", "CreateUser", "CreatedUser"),
	"userEmail":                  def("Users", "CheckEmail", "CheckUserEmail", "EmailCheck"),
	"bulkUpdateFeature":          def("Users", "BulkUpdateFeatures", "BulkUpdateUserFeatures", "BulkUpdateUserFeaturesResult"),
	"userZak":                    def("Users", "GetMyZAK", "GetMyZAK", "UserToken"),
	"userSummary":                def("Users", "GetSummary", "GetUserSummary", "UserSummary"),
	"userVanityName":             def("Users", "CheckVanityName", "CheckVanityName", "VanityNameCheck"),
	"user":                       def("Users", "Get", "GetUser", "User"),
	"userUpdate":                 def("Users", "Update", "UpdateUser", ""),
	"userDelete":                 def("Users", "Delete", "DeleteUser", ""),
	"userAssistants":             def("Users", "ListAssistants", "ListUserAssistants", "AssistantList"),
	"userAssistantCreate":        def("Users", "AddAssistants", "AddUserAssistants", "AddedAssistants").like("AssistantList"),
	"userAssistantsDelete":       def("Users", "DeleteAssistants", "DeleteUserAssistants", ""),
	"userAssistantDelete":        def("Users", "DeleteAssistant", "DeleteUserAssistant", ""),
	"listCollaborationDevices":   def("Users", "ListCollaborationDevices", "ListCollaborationDevices", "CollaborationDeviceList"),
	"getCollaborationDevice":     def("Users", "GetCollaborationDevice", "GetCollaborationDevice", "CollaborationDevice"),
	"userEmailUpdate":            def("Users", "UpdateEmail", "UpdateUserEmail", ""),
	"Getmeetingsummarytemplates": def("Users", "ListMeetingSummaryTemplates", "ListMeetingSummaryTemplates", "MeetingSummaryTemplateList"),
	"getUserMeetingTemplates":    def("Users", "GetMeetingTemplate", "GetMeetingTemplate", "MeetingTemplate"),
	"userPassword":               def("Users", "UpdatePassword", "UpdateUserPassword", ""),
	"userPermission":             def("Users", "GetPermissions", "GetUserPermissions", "UserPermissions"),
	"userPicture":                def("Users", "UploadPicture", "UploadUserPicture", "").upload("pic_file"),
	"userPictureDelete":          def("Users", "DeletePicture", "DeleteUserPicture", ""),
	"getUserPresenceStatus":      def("Users", "GetPresenceStatus", "GetUserPresenceStatus", "PresenceStatus"),
	"updatePresenceStatus":       def("Users", "UpdatePresenceStatus", "UpdateUserPresenceStatus", ""),
	"userSchedulers":             def("Users", "ListSchedulers", "ListUserSchedulers", "SchedulerList"),
	"userSchedulersDelete":       def("Users", "DeleteSchedulers", "DeleteUserSchedulers", ""),
	"userSchedulerDelete":        def("Users", "DeleteScheduler", "DeleteUserScheduler", ""),
	"userSettings":               def("Users", "GetSettings", "GetUserSettings", "UserSettings"),
	"userSettingsUpdate":         def("Users", "UpdateSettings", "UpdateUserSettings", "").like("UserSettings"),
	"uploadVBuser":               def("Users", "UploadVirtualBackground", "UploadUserVirtualBackground", "VirtualBackground").upload("file"),
	"delUserVB":                  def("Users", "DeleteVirtualBackgrounds", "DeleteUserVirtualBackgrounds", ""),
	"userStatus":                 def("Users", "UpdateStatus", "UpdateUserStatus", ""),
	"userToken":                  def("Users", "GetToken", "GetUserToken", "UserToken"),
	"userSSOTokenDelete":         def("Users", "RevokeSSOToken", "RevokeUserSSOToken", ""),

	// Users document, tag Groups.
	"groups":                          def("Groups", "List", "ListGroups", "GroupList"),
	"groupCreate":                     def("Groups", "Create", "CreateGroup", "Group"),
	"group":                           def("Groups", "Get", "GetGroup", "Group"),
	"groupUpdate":                     def("Groups", "Update", "UpdateGroup", ""),
	"groupDelete":                     def("Groups", "Delete", "DeleteGroup", ""),
	"groupAdmins":                     def("Groups", "ListAdmins", "ListGroupAdmins", "GroupAdminList"),
	"groupAdminsCreate":               def("Groups", "AddAdmins", "AddGroupAdmins", "AddedGroupAdmins"),
	"groupAdminsDelete":               def("Groups", "DeleteAdmin", "DeleteGroupAdmin", ""),
	"groupChannels":                   def("Groups", "ListChannels", "ListGroupChannels", "GroupChannelList"),
	"getGroupLockSettings":            def("Groups", "GetLockSettings", "GetGroupLockSettings", "GroupLockSettings"),
	"groupLockedSettings":             def("Groups", "UpdateLockSettings", "UpdateGroupLockSettings", "").like("GroupLockSettings"),
	"groupMembers":                    def("Groups", "ListMembers", "ListGroupMembers", "GroupMemberList"),
	"groupMembersCreate":              def("Groups", "AddMembers", "AddGroupMembers", "AddedGroupMembers"),
	"groupMembersDelete":              def("Groups", "DeleteMember", "DeleteGroupMember", ""),
	"updateAGroupMember":              def("Groups", "UpdateMember", "UpdateGroupMember", ""),
	"getGroupSettings":                def("Groups", "GetSettings", "GetGroupSettings", "GroupSettings"),
	"updateGroupSettings":             def("Groups", "UpdateSettings", "UpdateGroupSettings", "").like("GroupSettings"),
	"groupSettingsRegistration":       def("Groups", "GetRegistrationSettings", "GetGroupRegistrationSettings", "GroupRegistrationSettings"),
	"groupSettingsRegistrationUpdate": def("Groups", "UpdateRegistrationSettings", "UpdateGroupRegistrationSettings", "").like("GroupRegistrationSettings"),
	"uploadGroupVB":                   def("Groups", "UploadVirtualBackground", "UploadGroupVirtualBackground", "VirtualBackground").upload("file"),
	"delGroupVB":                      def("Groups", "DeleteVirtualBackgrounds", "DeleteGroupVirtualBackgrounds", ""),

	// Users document, tag Contact Groups.
	"contactGroups":            def("ContactGroups", "List", "ListContactGroups", "ContactGroupList"),
	"contactGroupCreate":       def("ContactGroups", "Create", "CreateContactGroup", "CreatedContactGroup"),
	"contactGroup":             def("ContactGroups", "Get", "GetContactGroup", "ContactGroup"),
	"contactGroupDelete":       def("ContactGroups", "Delete", "DeleteContactGroup", ""),
	"contactGroupUpdate":       def("ContactGroups", "Update", "UpdateContactGroup", ""),
	"contactGroupMembers":      def("ContactGroups", "ListMembers", "ListContactGroupMembers", "ContactGroupMemberList"),
	"contactGroupMemberAdd":    def("ContactGroups", "AddMembers", "AddContactGroupMembers", "AddedContactGroupMembers"),
	"contactGroupMemberRemove": def("ContactGroups", "RemoveMembers", "RemoveContactGroupMembers", ""),

	// Users document, tag Divisions.
	"listDivisions":        def("Divisions", "List", "ListDivisions", "DivisionList"),
	"Createadivision":      def("Divisions", "Create", "CreateDivision", "CreatedDivision"),
	"Getdivision":          def("Divisions", "Get", "GetDivision", "Division"),
	"Deletedivision":       def("Divisions", "Delete", "DeleteDivision", ""),
	"Updateadivision":      def("Divisions", "Update", "UpdateDivision", ""),
	"listDivisionMembers":  def("Divisions", "ListMembers", "ListDivisionMembers", "DivisionMemberList"),
	"assigndivisionMember": def("Divisions", "AssignMembers", "AssignDivisionMembers", "AssignedDivisionMembers"),

	// Accounts document, tag Roles.
	"roles":              def("Roles", "List", "ListRoles", "RoleList"),
	"createRole":         def("Roles", "Create", "CreateRole", "Role").decode("Role"), // Zoom answers 201 with the role
	"getRoleInformation": def("Roles", "Get", "GetRole", "Role"),
	"updateRole":         def("Roles", "Update", "UpdateRole", ""),
	"deleteRole":         def("Roles", "Delete", "DeleteRole", ""),
	"roleMembers":        def("Roles", "ListMembers", "ListRoleMembers", "RoleMemberList"),
	"AddRoleMembers":     def("Roles", "AddMembers", "AddRoleMembers", "AddedRoleMembers"),
	"roleMemberDelete":   def("Roles", "DeleteMember", "DeleteRoleMember", ""),

	// Accounts document, tag Accounts.
	"getAccountLockSettings":            def("Accounts", "GetLockSettings", "GetAccountLockSettings", "AccountLockSettings"),
	"UpdateLockedSettings":              def("Accounts", "UpdateLockSettings", "UpdateAccountLockSettings", "").like("AccountLockSettings"),
	"accountManagedDomain":              def("Accounts", "GetManagedDomains", "GetAccountManagedDomains", "AccountManagedDomains"),
	"UpdateTheAccountOwner":             def("Accounts", "UpdateOwner", "UpdateAccountOwner", ""),
	"accountSettings":                   def("Accounts", "GetSettings", "GetAccountSettings", "AccountSettings"),
	"accountSettingsUpdate":             def("Accounts", "UpdateSettings", "UpdateAccountSettings", "").like("AccountSettings"),
	"accountSettingsRegistration":       def("Accounts", "GetRegistrationSettings", "GetAccountRegistrationSettings", "AccountRegistrationSettings"),
	"accountSettingsRegistrationUpdate": def("Accounts", "UpdateRegistrationSettings", "UpdateAccountRegistrationSettings", "").like("AccountRegistrationSettings"),
	"uploadVB":                          def("Accounts", "UploadVirtualBackground", "UploadAccountVirtualBackground", "VirtualBackground").upload("file"),
	"delVB":                             def("Accounts", "DeleteVirtualBackgrounds", "DeleteAccountVirtualBackgrounds", ""),
	"accountTrustedDomain":              def("Accounts", "GetTrustedDomains", "GetAccountTrustedDomains", "AccountTrustedDomains"),

	// Accounts document, tag Dashboards.
	"dashboardChat":                    def("Dashboards", "GetChat", "GetChatMetrics", "ChatMetrics").dates(dateWindow{Required: true, Lookback: 6}),
	"dashboardClientFeedback":          def("Dashboards", "ListClientFeedback", "ListClientFeedback", "ClientFeedbackList").dates(dateWindow{Required: true, Lookback: 6}),
	"dashboardClientFeedbackDetail":    def("Dashboards", "GetClientFeedback", "GetClientFeedback", "ClientFeedbackDetail").dates(dateWindow{Lookback: 6}),
	"listMeetingSatisfaction":          def("Dashboards", "ListMeetingSatisfaction", "ListMeetingSatisfaction", "MeetingSatisfactionList").dates(dateWindow{Lookback: 6}),
	"getClientVersions":                def("Dashboards", "ListClientVersions", "ListClientVersions", "ClientVersionList"),
	"dashboardCRC":                     def("Dashboards", "GetCRCPortUsage", "GetCRCPortUsage", "CRCPortUsage").dates(dateWindow{Required: true}),
	"dashboardIssueZoomRoom":           def("Dashboards", "ListZoomRoomsWithIssues", "ListZoomRoomsWithIssues", "ZoomRoomsWithIssues").dates(dateWindow{Required: true, Lookback: 6}),
	"dashboardIssueDetailZoomRoom":     def("Dashboards", "ListZoomRoomIssues", "ListZoomRoomIssues", "ZoomRoomIssueList").dates(dateWindow{Required: true, Lookback: 6}),
	"dashboardMeetings":                def("Dashboards", "ListMeetings", "ListDashboardMeetings", "DashboardMeetingList").query(map[string]string{"from": "date", "to": "date"}).dates(dateWindow{Required: true, Lookback: 6}),
	"dashboardMeetingDetail":           def("Dashboards", "GetMeeting", "GetDashboardMeeting", "DashboardMeeting"),
	"dashboardMeetingParticipants":     def("Dashboards", "ListMeetingParticipants", "ListDashboardMeetingParticipants", "DashboardMeetingParticipantList"),
	"dashboardMeetingParticipantsQOS":  def("Dashboards", "ListMeetingParticipantsQOS", "ListMeetingParticipantsQOS", "ParticipantQOSList"),
	"participantFeedback":              def("Dashboards", "ListMeetingFeedback", "ListMeetingFeedback", "ParticipantFeedbackList"),
	"dashboardMeetingParticipantShare": def("Dashboards", "ListMeetingSharing", "ListMeetingSharing", "ParticipantSharingList"),
	"dashboardMeetingParticipantQOS":   def("Dashboards", "GetMeetingParticipantQOS", "GetMeetingParticipantQOS", "ParticipantQOS"),
	"dashboardQuality":                 def("Dashboards", "GetQuality", "GetQualityScores", "QualityScores"),
	"dashboardWebinars":                def("Dashboards", "ListWebinars", "ListDashboardWebinars", "DashboardWebinarList"),
	"dashboardWebinarDetail":           def("Dashboards", "GetWebinar", "GetDashboardWebinar", "DashboardWebinar"),
	"dashboardWebinarParticipants":     def("Dashboards", "ListWebinarParticipants", "ListDashboardWebinarParticipants", "DashboardWebinarParticipantList"),
	"dashboardWebinarParticipantsQOS":  def("Dashboards", "ListWebinarParticipantsQOS", "ListWebinarParticipantsQOS", "ParticipantQOSList"),
	"participantWebinarFeedback":       def("Dashboards", "ListWebinarFeedback", "ListWebinarFeedback", "ParticipantFeedbackList"),
	"dashboardWebinarParticipantShare": def("Dashboards", "ListWebinarSharing", "ListWebinarSharing", "ParticipantSharingList"),
	"dashboardWebinarParticipantQOS":   def("Dashboards", "GetWebinarParticipantQOS", "GetWebinarParticipantQOS", "ParticipantQOS"),
	"dashboardZoomRooms":               def("Dashboards", "ListZoomRooms", "ListDashboardZoomRooms", "DashboardZoomRoomList"),
	"dashboardZoomRoomIssue":           def("Dashboards", "ListTopZoomRoomIssues", "ListTopZoomRoomIssues", "TopZoomRoomIssues"),
	"dashboardZoomRoom":                def("Dashboards", "GetZoomRoom", "GetDashboardZoomRoom", "DashboardZoomRoom"),

	// Accounts document, tag Data Requests.
	"DownloadfilesfromDataRequest":       def("DataRequests", "GetFileDownloadURL", "GetDataRequestFileURL", "DataRequestFileURL"),
	"GetDataRequestsHistory":             def("DataRequests", "List", "ListDataRequests", "DataRequestList"),
	"CreateDataAccessRequest":            def("DataRequests", "Create", "CreateDataRequest", "CreatedDataRequest"),
	"GetDownloadableFilesforDataRequest": def("DataRequests", "ListFiles", "ListDataRequestFiles", "DataRequestFileList"),
	"CancelDataRequest":                  def("DataRequests", "Cancel", "CancelDataRequest", ""),

	// Accounts document, tag Information Barriers.
	"InformationBarriersList":   def("InformationBarriers", "List", "ListInformationBarrierPolicies", "InformationBarrierPolicyList"),
	"InformationBarriersCreate": def("InformationBarriers", "Create", "CreateInformationBarrierPolicy", "InformationBarrierPolicy"),
	"InformationBarriersGet":    def("InformationBarriers", "Get", "GetInformationBarrierPolicy", "InformationBarrierPolicy"),
	"InformationBarriersDelete": def("InformationBarriers", "Delete", "DeleteInformationBarrierPolicy", ""),
	"InformationBarriersUpdate": def("InformationBarriers", "Update", "UpdateInformationBarrierPolicy", "UpdatedInformationBarrierPolicy"),

	// Accounts document, tag Survey Management (account-level Zoom surveys).
	"getAccountSurveys":      def("Surveys", "List", "ListSurveys", "SurveyList"),
	"getSurveyInfo":          def("Surveys", "Get", "GetSurvey", "Survey"),
	"getSurveyAnswers":       def("Surveys", "ListAnswers", "ListSurveyAnswers", "SurveyAnswerList"),
	"getSurveyInstancesInfo": def("Surveys", "ListInstances", "ListSurveyInstances", "SurveyInstanceList"),

	// Team Chat document, tag Contacts.
	"searchCompanyContacts": def("Contacts", "Search", "SearchCompanyContacts", "CompanyContactList"),
	"getUserContacts":       def("Contacts", "ListMine", "ListUserContacts", "UserContactList"),
	"getUserContact":        def("Contacts", "GetMine", "GetUserContact", "UserContact"),
}

// requiredFields are request fields ("Type.json_name") that Zoom needs but
// its documents do not mark required: the verb of an action body. They stay
// plain values (never pointers, see sendsZero) and are checked before the
// call like the documented required fields.
var requiredFields = map[string]bool{
	"UpdateMeetingStatusRequest.action":           true,
	"UpdateWebinarStatusRequest.action":           true,
	"UpdateWebinarLiveStreamStatusRequest.action": true,
	"UpdateMeetingRTMSAppStatusRequest.action":    true,
	"UpdateUserPresenceStatusRequest.status":      true,
}

// pointerFields are number fields (by JSON name) whose zero Zoom treats as
// a value although the documents do not say so (their enum has no 0): they
// can carry an explicit zero in every request (zeroMeaningful, sendsZero).
// rating_min_value: a rating scale may start at 0 ("cannot be less than
// zero"); the polls' documents show 0 as the example, the survey's do not.
var pointerFields = map[string]bool{"jbh_time": true, "end_times": true, "rating_min_value": true}

// idKind says how a meeting or webinar id path parameter that the
// documents type as a string is passed: calls about one instance (past
// meetings and webinars, reports, recordings) take an InstanceID (numeric
// id or UUID); all others take the ID, unless the parameter's
// description says it also takes a UUID (see model.go).
func idKind(path string) string {
	switch {
	case strings.HasPrefix(path, "/past_meetings/"), strings.HasPrefix(path, "/past_webinars/"), strings.HasPrefix(path, "/report/"):
		return "instance"
	case strings.Contains(path, "/recordings"), strings.HasSuffix(path, "/transcript"):
		return "instance"
	}
	return "id"
}

// secretFields are the string fields decoded as zoom.Secret.
var secretFields = map[string]bool{
	"start_url": true, "password": true, "h323_password": true, "pstn_password": true,
	"encrypted_password": true, "passcode": true, "host_key": true, "zak": true, "token": true,
	"download_access_token": true, "recording_play_passcode": true, "h323_passcode": true,
	"encrypted_passcode": true, "pstn_passcode": true,
	"participant_password": true, "listen_only_password": true, "leader_pin": true,
	"authorized_channel_token": true,
}

// typeAliases unifies the types the documents repeat inline: a generated
// name on the left becomes the type on the right, whose fields are the
// union of all its sources. A key starting with "*" matches a suffix.
// Nested types are named after their (aliased) parent, so aliasing
// CreateMeetingRequestSettings to MeetingSettings also makes its breakout
// rooms MeetingSettingsBreakoutRoom. Request and response sides never share
// a type: a request schema aliased to a response type's name becomes that
// name plus "Request" (MeetingSettingsRequest, MeetingSettingsBreakoutRoomRequest),
// see requestName in model.go.
var typeAliases = map[string]string{
	// Meetings.
	"CreateMeetingRequestSettings":         "MeetingSettings",
	"UpdateMeetingRequestSettings":         "MeetingSettings",
	"CreateMeetingRequestRecurrence":       "MeetingRecurrence",
	"UpdateMeetingRequestRecurrence":       "MeetingRecurrence",
	"CreateMeetingRequestTrackingField":    "MeetingTrackingField",
	"UpdateMeetingRequestTrackingField":    "MeetingTrackingField",
	"MeetingListMeeting":                   "Meeting",
	"UpcomingMeetingListMeeting":           "UpcomingMeeting",
	"MeetingRegistrationOccurrence":        "MeetingOccurrence",
	"MeetingInstanceListMeeting":           "MeetingInstance",
	"ParticipantListParticipant":           "Participant",
	"RegistrantListRegistrant":             "Registrant",
	"RegistrantQuestionsQuestion":          "RegistrantQuestion",
	"RegistrantQuestionsCustomQuestion":    "RegistrantCustomQuestionDefinition",
	"AddBatchRegistrantsRequestRegistrant": "BatchRegistrant",
	"BatchRegistrantsResultRegistrant":     "BatchRegistrantLink",
	"MeetingSummaryTemplateListItem":       "MeetingSummaryTemplate",

	// Shared by meetings and webinars.
	"MeetingRecurrence":                         "Recurrence",
	"WebinarRecurrence":                         "Recurrence",
	"CreateWebinarRequestRecurrence":            "Recurrence",
	"UpdateWebinarRequestRecurrence":            "Recurrence",
	"MeetingOccurrence":                         "Occurrence",
	"WebinarOccurrence":                         "Occurrence",
	"WebinarRegistrationOccurrence":             "Occurrence",
	"*TrackingField":                            "TrackingField",
	"*CustomKey":                                "CustomKey",
	"MeetingSettingsGlobalDialInNumber":         "GlobalDialInNumber",
	"WebinarSettingsGlobalDialInNumber":         "GlobalDialInNumber",
	"MeetingSettingsLanguageInterpretation":     "LanguageInterpretation",
	"WebinarSettingsLanguageInterpretation":     "LanguageInterpretation",
	"LanguageInterpretationInterpreter":         "Interpreter",
	"MeetingSettingsSignLanguageInterpretation": "SignLanguageInterpretation",
	"WebinarSettingsSignLanguageInterpretation": "SignLanguageInterpretation",
	"SignLanguageInterpretationInterpreter":     "SignLanguageInterpreter",
	"MeetingInviteLinksAttendee":                "InviteLink",
	"WebinarInviteLinksAttendee":                "InviteLink",
	"CreateMeetingInviteLinksRequestAttendee":   "InviteLinkAttendee",
	"CreateWebinarInviteLinksRequestAttendee":   "InviteLinkAttendee",
	"PastMeetingQAQuestion":                     "QAQuestion",
	"PastWebinarQAQuestion":                     "QAQuestion",
	"QAQuestionQuestionDetail":                  "QAQuestionDetail",

	// Webinars.
	"CreateWebinarRequestSettings":                                  "WebinarSettings",
	"UpdateWebinarRequestSettings":                                  "WebinarSettings",
	"CreateWebinarRequestSimuliveDelayStart":                        "WebinarSimuliveDelayStart",
	"UpdateWebinarRequestSimuliveDelayStart":                        "WebinarSimuliveDelayStart",
	"WebinarSettingsAttendeesAndPanelistsReminderEmailNotification": "WebinarEmailNotification",
	"WebinarSettingsFollowUpAbsenteesEmailNotification":             "WebinarEmailNotification",
	"WebinarSettingsFollowUpAttendeesEmailNotification":             "WebinarEmailNotification",
	"WebinarListWebinar":                                            "Webinar",
	"WebinarInstanceListWebinar":                                    "WebinarInstance",
	"AbsenteeListRegistrant":                                        "Registrant",
	"AddWebinarPanelistsRequestPanelist":                            "Panelist",
	"PanelistListPanelist":                                          "Panelist",
	"CreateWebinarPollRequestQuestion":                              "PollQuestion",
	"UpdateWebinarPollRequestQuestion":                              "PollQuestion",
	"WebinarPollQuestion":                                           "PollQuestion",
	"WebinarPollListPoll":                                           "WebinarPoll",
	"WebinarBrandingNameTag":                                        "WebinarNameTag",
	"WebinarBrandingVirtualBackground":                              "WebinarBrandingFile",
	"WebinarBrandingWallpaper":                                      "WebinarBrandingFile",
	"WebinarTemplateListTemplate":                                   "WebinarTemplate",
	"TrackingSourceListTrackingSource":                              "TrackingSource",
	"PastWebinarPollResultsQuestion":                                "PollReportQuestion",

	// Reports.
	"ActiveHostsReportUser":                         "ActiveHost",
	"ActiveHostCustomAttribute":                     "UserCustomAttribute",
	"BillingReportBillingReport":                    "BillingReportItem",
	"BillingInvoicesReportInvoice":                  "BillingInvoice",
	"CloudRecordingReportCloudRecordingStorageItem": "CloudRecordingStorage",
	"DailyReportDate":                               "DailyUsage",
	"HistoryMeetingsReportHistoryMeeting":           "HistoryMeeting",
	"MeetingActivitiesReportMeetingActivityLog":     "MeetingActivityLog",
	"MeetingParticipantsReportParticipant":          "ReportParticipant",
	"WebinarParticipantsReportParticipant":          "ReportParticipant",
	"MeetingPollsReportQuestion":                    "PollReportQuestion",
	"WebinarPollsReportQuestion":                    "PollReportQuestion",
	"PollReportQuestionQuestionDetail":              "PollReportAnswer",
	"MeetingQAReportQuestion":                       "QAReportQuestion",
	"WebinarQAReportQuestion":                       "QAReportQuestion",
	"QAReportQuestionQuestionDetail":                "QAReportDetail",
	"QAReportDetailAnswerDetail":                    "QAReportAnswer",
	"MeetingSurveyReportSurveyAnswer":               "SurveyReportAnswer",
	"WebinarSurveyReportSurveyAnswer":               "SurveyReportAnswer",
	"SurveyReportAnswerAnswerDetail":                "SurveyReportAnswerDetail",
	"OperationLogsReportOperationLog":               "OperationLog",
	"RemoteSupportReportRemoteSupportLog":           "RemoteSupportLog",
	"SignInActivitiesReportActivityLog":             "SignInActivity",
	"TelephoneReportTelephonyUsageItem":             "TelephonyUsage",
	"UpcomingEventsReportUpcomingEvent":             "UpcomingEvent",
	"UserMeetingsReportMeeting":                     "MeetingReport",

	// Cloud recordings.
	"RecordingListMeeting":                          "MeetingRecordings",
	"MeetingRecordingsRecordingFile":                "RecordingFile",
	"MeetingRecordingsParticipantAudioFile":         "ParticipantAudioFile",
	"RecordingRegistrantListRegistrant":             "RecordingRegistrant",
	"RecordingAnalyticsDetailsAnalyticsDetail":      "RecordingView",
	"RecordingAnalyticsSummaryAnalyticsSummaryItem": "RecordingAnalyticsDay",

	// Users, groups, roles, contacts.
	"UserListUser":                               "User",
	"CreateUserRequestUserInfo":                  "UserInfo",
	"CreateUserRequestUserInfoFeature":           "UserFeature",
	"UserInfoFeature":                            "UserFeature",
	"UpdateUserRequestFeature":                   "UserFeature",
	"UpdateUserRequestCustomAttribute":           "UserCustomAttribute",
	"UpdateUserRequestPhoneNumber":               "PhoneNumber",
	"UserPhoneNumber":                            "PhoneNumber",
	"UserContactPhoneNumber":                     "PhoneNumber",
	"CompanyContactPhoneNumber":                  "PhoneNumber",
	"*LicenseInfoListItem":                       "LicenseInfo",
	"AddGroupAdminsRequestAdmin":                 "UserRef",
	"AddGroupMembersRequestMember":               "UserRef",
	"AddRoleMembersRequestMember":                "UserRef",
	"UpdateRegistrantStatusRequestRegistrant":    "RegistrantRef",
	"BulkUpdateUserFeaturesRequestUser":          "UserRef",
	"AssistantListAssistant":                     "Assistant",
	"SchedulerListScheduler":                     "Scheduler",
	"CollaborationDeviceListCollaborationDevice": "CollaborationDevice",
	"GroupListGroup":                             "Group",
	"GroupMemberListMember":                      "GroupMember",
	"GroupAdminListAdmin":                        "GroupAdmin",
	"GroupChannelListChannel":                    "GroupChannel",
	"RoleListRole":                               "Role",
	"RoleMemberListMember":                       "RoleMember",
	"UpdateRoleRequestSubAccountPrivileges":      "RoleSubAccountPrivileges",
	"CompanyContactListContact":                  "CompanyContact",
	"UserContactListContact":                     "UserContact",
	"BulkUpdateUserFeaturesResultFailDetail":     "FeatureUpdateFailure",
	"GroupRegistrationSettingsQuestion":          "RegistrantQuestion",
	"GroupRegistrationSettingsCustomQuestion":    "RegistrantCustomQuestionDefinition",

	// Pieces shared by user, group and lock settings.
	"*AllowedCountry":                     "Country",
	"*SelectedCountry":                    "Country",
	"*AuthenticationOption":               "AuthenticationOption",
	"*ChatEtiquetteToolPolicy":            "ChatEtiquettePolicy",
	"*MeetingPasswordRequirement":         "PasswordRequirement",
	"*RecordingPasswordRequirement":       "PasswordRequirement",
	"*IPAddressAccessControl":             "IPAddressAccessControl",
	"*RecordFilesSeparately":              "RecordFilesSeparately",
	"*TollCallNumber":                     "TollNumber",
	"*TollFreeAndFeeBasedTollCallNumber":  "TollNumber",
	"*WaitingRoomSettings":                "WaitingRoomSettings",
	"*VirtualBackgroundSettingsFile":      "VirtualBackground",
	"*SpeakLanguage":                      "LanguageCode",
	"*LanguageConfigItem":                 "LanguageCode",
	"*TransLangConfigItem":                "TranslationLanguageConfig",
	"*LanguageItemPairList":               "TranslationLanguagePairs",
	"*TranslateTo":                        "TranslationTargets",
	"*RecordingNotificationForZoomClient": "RecordingNotification",
	"*ParticipantPhoneMasking":            "ParticipantPhoneMasking",
	"*SmartRecording":                     "SmartRecording",
	"*ManualCaptioning":                   "ManualCaptioning",
	"*ClosedCaptioning":                   "ClosedCaptioning",
}

// sharedTypes names the unified type of nested types that are
// structurally identical (see dedupe): a member's generated name (the
// response side's; the request side's adds "Request") on the left, the
// unified name on the right. User and group settings repeat these.
var sharedTypes = map[string]string{
	"UserSettingsAudioConferencingTollCall":                                "TollCallSettings",
	"GroupSettingsAudioConferencingTollCall":                               "TollCallSettings",
	"UserSettingsAudioConferencingTollFreeAndFeeBasedTollCall":             "TollFreeAndFeeBasedTollCallSettings",
	"GroupSettingsAudioConferencingTollFreeAndFeeBasedTollCall":            "TollFreeAndFeeBasedTollCallSettings",
	"UserSettingsAudioConferencingGlobalDialInCountries":                   "GlobalDialInCountrySettings",
	"GroupSettingsAudioConferencingGlobalDialInCountries":                  "GlobalDialInCountrySettings",
	"UserSettingsAudioConferencingCallMeAndInviteByPhoneCallOutCountries":  "CountrySelection",
	"GroupSettingsAudioConferencingCallMeAndInviteByPhoneCallOutCountries": "CountrySelection",
	"UserSettingsTSPGlobalDialInCountries":                                 "CountrySelection",
	"UserSettingsEmailNotification":                                        "EmailNotificationSettings",
	"GroupSettingsEmailNotification":                                       "EmailNotificationSettings",
	"UserSettingsInMeetingWebinarLiveStreaming":                            "WebinarLiveStreamingSettings",
	"GroupSettingsInMeetingWebinarLiveStreaming":                           "WebinarLiveStreamingSettings",
	"UserSettingsInMeetingLanguageInterpretation":                          "LanguageInterpretationSettings",
	"GroupSettingsInMeetingLanguageInterpretation":                         "LanguageInterpretationSettings",
	"UserSettingsInMeetingSignLanguageInterpretation":                      "SignLanguageInterpretationSettings",
	"GroupSettingsInMeetingSignLanguageInterpretation":                     "SignLanguageInterpretationSettings",
	"UserSettingsInMeetingVirtualBackgroundSettings":                       "VirtualBackgroundSettings",
	"GroupSettingsInMeetingVirtualBackgroundSettings":                      "VirtualBackgroundSettings",
	"UserSettingsInMeetingWebinarChat":                                     "WebinarChatSettings",
	"GroupSettingsInMeetingWebinarChat":                                    "WebinarChatSettings",
	"UserSettingsProfileRecordingStorageLocation":                          "RecordingStorageLocation",
	"GroupSettingsProfileRecordingStorageLocation":                         "RecordingStorageLocation",
	"UserSettingsInMeetingMeetingPolling":                                  "UserPollingSettings",
	"UserSettingsInMeetingWebinarPolling":                                  "UserPollingSettings",
	"GroupSettingsInMeetingMeetingPolling":                                 "GroupPollingSettings",
	"GroupSettingsInMeetingWebinarPolling":                                 "GroupPollingSettings",
	"UserSettingsAudioConferencingCallMeAndInviteByPhone":                  "CallMeAndInviteByPhoneSettings",
	"GroupSettingsAudioConferencingCallMeAndInviteByPhone":                 "CallMeAndInviteByPhoneSettings",
	"UserSettingsAudioConferencing":                                        "AudioConferencingSettings",
	"GroupSettingsAudioConferencing":                                       "AudioConferencingSettings",
	"UserSettingsProfile":                                                  "ProfileSettings",
	"GroupSettingsProfile":                                                 "ProfileSettings",
	"RegistrantCustomQuestion":                                             "RegistrantCustomQuestion",
	"RecordingRegistrantCustomQuestion":                                    "RegistrantCustomQuestion",
	"GroupSettingsChatChatEtiquetteTool":                                   "ChatEtiquetteToolSettings",
	"GroupSettingsMeetingSecurityChatEtiquetteTool":                        "ChatEtiquetteToolSettings",
}

// maxItems caps the request body arrays ("Type.json_name") that Zoom
// documents a limit for in prose (or as a "maximum", which does not apply
// to arrays): a longer array is refused before the call.
var maxItems = map[string]int{
	"AddBatchRegistrantsRequest.registrants":    30,
	"UpdateRegistrantStatusRequest.registrants": 30,
	"AddWebinarPanelistsRequest.panelists":      30,
	"CreateBatchMeetingPollsRequest.polls":      25, // schema maxItems
	"CreateDataRequestRequest.emails":           10, // schema maxItems
}

// fieldTypes overrides the type of single fields ("Type.json_name").
var fieldTypes = map[string]*tref{
	"GroupMember.type": {kind: "enum", name: "UserType"},
	"RoleMember.type":  {kind: "enum", name: "UserType"},
	"CreatedUser.type": {kind: "enum", name: "UserType"},
	// The documents type these timestamps as plain strings.
	"RecordingFile.recording_start":      {kind: "time"},
	"RecordingFile.recording_end":        {kind: "time"},
	"RecordingFile.deleted_time":         {kind: "time"},
	"MeetingRecordings.auto_delete_date": {kind: "date"},
}

// enumNames names the enum of a field ("Type.json_name", after aliasing);
// "-" keeps the field a plain string or int.
var enumNames = map[string]string{
	"Meeting.type":                         "MeetingType",
	"CreateMeetingRequest.type":            "MeetingType",
	"UpdateMeetingRequest.type":            "MeetingType",
	"PastMeeting.type":                     "MeetingType",
	"UpcomingMeeting.type":                 "MeetingType",
	"Meeting.status":                       "MeetingStatus",
	"MeetingRecurrence.type":               "RecurrenceType",
	"Recurrence.weekly_days":               "-",
	"Occurrence.status":                    "OccurrenceStatus",
	"ListMeetingsOptions.type":             "MeetingListType",
	"UpdateMeetingStatusRequest.action":    "MeetingAction",
	"UpdateRegistrantStatusRequest.action": "RegistrantAction",
	"ListMeetingRegistrantsOptions.status": "RegistrantStatus",
	"Registrant.status":                    "RegistrantStatus",
	"Participant.status":                   "ParticipantStatus",
	"GlobalDialInNumber.type":              "DialInNumberType",

	"Webinar.type":                                        "WebinarType",
	"CreateWebinarRequest.type":                           "WebinarType",
	"UpdateWebinarRequest.type":                           "WebinarType",
	"RecordingRegistrant.no_of_employees":                 "-",
	"RecordingRegistrant.purchasing_time_frame":           "-",
	"RecordingRegistrant.role_in_purchase_process":        "-",
	"RecordingRegistrant.status":                          "RegistrantStatus",
	"ListRecordingRegistrantsOptions.status":              "RegistrantStatus",
	"ListWebinarRegistrantsOptions.status":                "RegistrantStatus",
	"DeleteMeetingRecordingsOptions.action":               "RecordingDeleteAction",
	"DeleteRecordingFileOptions.action":                   "RecordingDeleteAction",
	"RecoverMeetingRecordingsRequest.action":              "RecordingRecoverAction",
	"RecoverRecordingFileRequest.action":                  "RecordingRecoverAction",
	"GetRecordingAnalyticsDetailsOptions.type":            "RecordingAnalyticsType",
	"GetTelephoneReportOptions.query_date_type":           "TelephoneReportDateType",
	"GetTelephoneReportOptions.type":                      "TelephoneReportType",
	"TelephonyUsage.type":                                 "-",
	"GetWebinarTokenOptions.type":                         "WebinarTokenType",
	"ListActiveHostsReportOptions.type":                   "ActiveHostsReportType",
	"ListHistoryMeetingsReportOptions.date_type":          "HistoryMeetingsDateType",
	"ListHistoryMeetingsReportOptions.meeting_feature":    "HistoryMeetingFeature",
	"ListHistoryMeetingsReportOptions.meeting_type":       "HistoryMeetingsFilter",
	"ListHistoryMeetingsReportOptions.report_type":        "HistoryMeetingsReportType",
	"HistoryMeeting.type":                                 "HistoryMeetingType",
	"ListMeetingActivitiesReportOptions.activity_type":    "MeetingActivityType",
	"ListMeetingParticipantsReportOptions.include_fields": "ParticipantIncludeField",
	"ListWebinarParticipantsReportOptions.include_fields": "ParticipantIncludeField",
	"ListMeetingsReportOptions.type":                      "MeetingsReportType",
	"ListOperationLogsReportOptions.category_type":        "OperationLogCategory",
	"ListUpcomingEventsReportOptions.type":                "UpcomingEventsType",
	"ListWebinarsOptions.type":                            "WebinarListType",
	"MeetingRecordings.type":                              "-",
	"MeetingTranscript.download_restriction_reason":       "TranscriptRestrictionReason",
	"ParticipantAudioFile.status":                         "RecordingFileStatus",
	"RecordingFile.status":                                "RecordingFileStatus",
	"RecordingFile.file_extension":                        "RecordingFileExtension",
	"RecordingFile.file_type":                             "RecordingFileType",
	"RecordingFile.recording_type":                        "RecordingType",
	"RecordingSettings.share_recording":                   "RecordingShareScope",
	"UpdateWebinarLiveStreamStatusRequest.action":         "LiveStreamAction",
	"UpdateWebinarStatusRequest.action":                   "WebinarAction",
	"WebinarSettingsQuestionAndAnswer.answer_questions":   "QAAnswerVisibility",
	"WebinarSimuliveDelayStart.timeunit":                  "SimuliveTimeUnit",
	"QAReportDetail.question_status":                      "QAQuestionStatus",
	"QAReportAnswer.type":                                 "QAAnswerType",
	"WebinarPoll.status":                                  "PollStatus",
	"Meeting.creation_source":                             "CreationSource",
	"Webinar.creation_source":                             "CreationSource",
	"ReportParticipant.status":                            "ParticipantStatus",
	"User.type":                                           "UserType",
	"UserInfo.type":                                       "UserType",
	"UpdateUserRequest.type":                              "UserType",
	"CreatedUser.type":                                    "UserType",
	"GroupMember.type":                                    "UserType",
	"RoleMember.type":                                     "UserType",
	"User.status":                                         "UserStatus",
	"ListUsersOptions.status":                             "UserStatus",
	"ListUsersOptions.include_fields":                     "UserIncludeField",
	"ListUsersOptions.license":                            "UserLicense",
	"CreateUserRequest.action":                            "UserCreateAction",
	"DeleteUserOptions.action":                            "UserDeleteAction",
	"UpdateUserStatusRequest.action":                      "UserStatusAction",
	"GetUserTokenOptions.type":                            "UserTokenType",
	"UpdateGroupMemberRequest.action":                     "GroupMemberAction",
	"ListRolesOptions.type":                               "RoleType",
	"GetGroupRegistrationSettingsOptions.type":            "RegistrationSettingsType",
	"UpdateGroupRegistrationSettingsOptions.type":         "RegistrationSettingsType",
	"UpdateMeetingRTMSAppStatusRequest.action":            "RTMSAppAction",
	"UserSettingsFeature.concurrent_meeting":              "ConcurrentMeetingPlan",
	"RegistrantCustomQuestionDefinition.type":             "CustomQuestionType",
	"PresenceStatus.status":                               "Presence",
	"UpdateUserPresenceStatusRequest.status":              "Presence",
	"UserContact.presence_status":                         "Presence",
	"CompanyContact.presence_status":                      "Presence",
	"CompanyContact.user_status":                          "UserStatus",
	"SearchCompanyContactsOptions.user_status":            "UserStatus",
	"CompanyContact.activity":                             "ContactActivity",
	"FeatureUpdateFailure.reason":                         "-",
	"CollaborationDevice.status":                          "DeviceStatus",
	"Registrant.no_of_employees":                          "-",
	"Registrant.purchasing_time_frame":                    "-",
	"Registrant.role_in_purchase_process":                 "-",
	"LanguageCode.name":                                   "-",
	"LanguageCode.code":                                   "-",
	"UserInfo.plan_united_type":                           "-",
	"UpdateUserRequest.plan_united_type":                  "-",
	"User.plan_united_type":                               "-",
	"BulkUpdateUserFeaturesRequest.feature_type":          "FeatureType",
}

// enumByJSON names the enum of every field with this JSON name, unless
// enumNames says otherwise.
var enumByJSON = map[string]string{
	"approval_type":        "ApprovalType",
	"registration_type":    "RegistrationType",
	"audio":                "AudioType",
	"audio_type":           "AudioType",
	"auto_recording":       "AutoRecording",
	"encryption_type":      "EncryptionType",
	"monthly_week":         "MonthlyWeek",
	"monthly_week_day":     "Weekday",
	"option":               "SettingsOption",
	"label":                "PhoneNumberLabel",
	"license_type":         "LicenseType",
	"entry_exit_chime":     "EntryExitChime",
	"who_can_share_screen": "ScreenSharePermission",
	"who_can_share_screen_when_someone_is_sharing": "ScreenSharePermission",
	"require_password_for_pmi_meetings":            "PMIPasswordRequirement",
	"masking_type":                                 "PhoneMaskingType",
	"share_option":                                 "FileShareOption",
	"notification_when_archiving_starts":           "ArchiveNotification",
	"play_voice_prompt_when_archiving_starts":      "ArchiveVoicePrompt",
	"require_press_1_for_call_me":                  "CallMePressOne",
	"mode":                                         "WaitingRoomMode",
	"who_goes_to_waiting_room":                     "WaitingRoomAudience",
	"method":                                       "CountryRegionMethod",
	"question_visibility":                          "QuestionVisibility",
	"permission_level":                             "ResourcePermission",
	"resource_type":                                "ResourceType",
	"meeting_reactions_emojis":                     "EmojiOption",
	"emojis_option":                                "EmojiOption",
	"participants_share_simultaneously":            "SimultaneousSharing",
}

// intEnums names the values of the integer enums.
var intEnums = map[string][]enumConst{
	"MeetingType": {
		{0, "Prescheduled", "a prescheduled meeting"},
		{1, "Instant", "an instant meeting"},
		{2, "Scheduled", "a scheduled meeting"},
		{3, "RecurringNoFixedTime", "a recurring meeting with no fixed time"},
		{4, "PMI", "a meeting in the host's personal meeting room (PMI)"},
		{7, "PAC", "a personal audio conference"},
		{8, "RecurringFixedTime", "a recurring meeting with a fixed time"},
		{10, "ScreenShareOnly", "a screen share only meeting"},
	},
	"ApprovalType": {
		{0, "Automatic", "registrants are approved automatically"},
		{1, "Manual", "registrants are approved manually"},
		{2, "NoRegistration", "no registration is required"},
	},
	"RegistrationType": {
		{1, "Once", "attendees register once and can attend any occurrence"},
		{2, "EachOccurrence", "attendees register for each occurrence"},
		{3, "ChooseOccurrences", "attendees register once and choose one or more occurrences"},
	},
	"RecurrenceType": {
		{1, "Daily", "daily"},
		{2, "Weekly", "weekly"},
		{3, "Monthly", "monthly"},
	},
	"MonthlyWeek": {
		{-1, "Last", "the last week of the month"},
		{1, "First", "the first week of the month"},
		{2, "Second", "the second week of the month"},
		{3, "Third", "the third week of the month"},
		{4, "Fourth", "the fourth week of the month"},
	},
	"Weekday": {
		{1, "Sunday", "Sunday"}, {2, "Monday", "Monday"}, {3, "Tuesday", "Tuesday"}, {4, "Wednesday", "Wednesday"},
		{5, "Thursday", "Thursday"}, {6, "Friday", "Friday"}, {7, "Saturday", "Saturday"},
	},
	"WebinarType": {
		{5, "Webinar", "a webinar"},
		{6, "RecurringNoFixedTime", "a recurring webinar with no fixed time"},
		{9, "RecurringFixedTime", "a recurring webinar with a fixed time"},
	},
	"UserType": {
		{1, "Basic", "a Basic user"},
		{2, "Licensed", "a Licensed user"},
		{4, "Unassigned", "unassigned, without Meetings Basic"},
		{99, "None", "none (deprecated; ssoCreate only)"},
	},
}

// enumConst is one value of an integer enum.
type enumConst struct {
	Value int
	Name  string // constant name after the type name
	Doc   string
}

// The events' rules (see events.go).

// eventOverride is the Go type (and doc) of one event field.
type eventOverride struct{ goType, doc string }

// eventOverrides maps "event name|path below payload", or "event
// prefix|path" for every event of the prefix, to a Go type. Prefix "*"
// matches every event.
var eventOverrides = map[string]eventOverride{
	// The ID typing trap: a number in meeting.created, a string in meeting.started, either in webinar.ended.
	"meeting|object.id":       {"zoom.ID", ""},
	"meeting|old_object.id":   {"zoom.ID", ""},
	"webinar|object.id":       {"zoom.ID", ""},
	"webinar|old_object.id":   {"zoom.ID", ""},
	"recording|object.id":     {"zoom.ID", ""},
	"recording|old_object.id": {"zoom.ID", ""},
	// The meeting's ID under another name (the AI Companion events): comparable with object.id elsewhere.
	"meeting|object.meeting_number": {"zoom.ID", ""},
	// A number in the schema, "2024-09-08 15:58:40" in the example: kept raw.
	// The schema's only member is a placeholder, "$changed_field_name"; the example sends the
	// changed members of object with their previous values.
	"account.updated|old_object": {"AccountUpdatedObject", "The previous values of the changed members of object."},
	// Contradictions between an example and its schema (see specContradictions in
	// webhook/contradictions_test.go, which lists them all with their resolution).
	"recording.renamed|time_stamp":                                               {"Millis", "When the user renamed the recording (the schema says a number of milliseconds, Zoom's example quotes it)."},
	"account.lock_settings_updated|object.settings.recording.auto_recording":     {"json.RawMessage", "Whether automatic recording is locked, kept raw: the schema says a boolean, Zoom's example shows \"cloud\"."},
	"account.lock_settings_updated|old_object.settings.recording.auto_recording": {"json.RawMessage", "Whether automatic recording was locked, kept raw: the schema says a boolean, Zoom's example shows \"cloud\"."},
	"meeting|object.chat_message.date_time":                                      {"string", chatDateTime},
	"meeting|object.chat_message_file.date_time":                                 {"string", chatDateTime},
	"webinar|object.chat_message.date_time":                                      {"string", chatDateTime},
	"webinar|object.chat_message_file.date_time":                                 {"string", chatDateTime},
	"app_deauthorized|event_ts":                                                  {"json.RawMessage", "The timestamp of the webhook event, kept raw: the schema says a number, Zoom's example shows a \"2006-01-02 15:04:05\" string."},
}

// chatDateTime documents the date_time of the in-meeting chat events, kept as received.
const chatDateTime = "When the message or file was sent, as received: the schema says an RFC 3339 date-time, Zoom's example shows \"GMT20220110-072010\"."

// eventModels names the zoom model an event struct is, where the event's
// schema holds a subset of that model's members (the settings of a meeting
// or webinar, of which events carry a few): "event name|path below
// payload", or "event prefix|path" for every event of the prefix, to a
// model of package zoom. The generator checks that every
// member the event documents (or shows in its example) is a member of the
// model, of the same kind, and that the model holds no secret (see
// events_reuse.go); structs of exactly a model's shape need no entry.
var eventModels = map[string]string{
	"meeting|object.settings":     "MeetingSettings",
	"meeting|old_object.settings": "MeetingSettings",
	// webinar.created's settings carry use_pmi, which WebinarSettings lacks.
	"webinar.updated|object.settings":     "WebinarSettings",
	"webinar.updated|old_object.settings": "WebinarSettings",
}

// eventExtras adds fields that Zoom sends but the current schema omits.
var eventExtras = map[string][]eventField{
	"app_deauthorized|": {{
		json: "user_data_retention", goType: "NullBool",
		doc: "Whether the user asked Zoom to retain their data. Older deliveries send the string \"true\" or \"false\", 2025 deliveries null, and the 2026 schema omits it.",
	}},
}
