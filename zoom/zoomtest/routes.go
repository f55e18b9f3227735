package zoomtest

// handlerTable maps the operationIds the fake implements to their
// handlers. Operations of the OpenAPI documents left out answer from the
// document (see cannedHandler).
func handlerTable() map[string]handlerFunc {
	return map[string]handlerFunc{
		// Users.
		"users":      listUsers,
		"userCreate": createUser,
		"user":       getUser,
		"userUpdate": updateUser,
		"userDelete": deleteUser,
		"userStatus": userStatus,
		"userEmail":  userEmail,

		// User settings: the Webinar add-on (feature.webinar) is kept;
		// the rest is answered from the documents.
		"userSettingsUpdate": updateUserSettings,
		"userSettings":       getUserSettings,

		// Meetings.
		"meetingCreate":       createMeeting,
		"meeting":             getMeeting,
		"meetings":            listMeetings,
		"listUpcomingMeeting": listUpcoming,
		"meetingUpdate":       updateMeeting,
		"meetingDelete":       deleteMeeting,
		"meetingStatus":       meetingStatus,
		"meetingInvitation":   meetingInvitation,

		// Meeting registrants.
		"meetingRegistrants":              listRegistrants,
		"meetingRegistrantCreate":         addRegistrant,
		"addBatchRegistrants":             batchRegistrants,
		"meetingRegistrantGet":            getRegistrant,
		"meetingregistrantdelete":         deleteRegistrant,
		"meetingRegistrantStatus":         registrantStatus,
		"meetingRegistrantsQuestionsGet":  getQuestions,
		"meetingRegistrantQuestionUpdate": updateQuestions,

		// Webinar polls and survey, and their results.
		"webinarPolls":               listWebinarPolls,
		"webinarPollCreate":          createWebinarPoll,
		"webinarPollGet":             getWebinarPoll,
		"webinarPollUpdate":          updateWebinarPoll,
		"webinarPollDelete":          deleteWebinarPoll,
		"webinarSurveyGet":           getWebinarSurvey,
		"webinarSurveyUpdate":        updateWebinarSurvey,
		"webinarSurveyDelete":        deleteWebinarSurvey,
		"listPastWebinarPollResults": pastWebinarPolls,
		"reportWebinarPolls":         reportWebinarPolls,
		"reportWebinarSurvey":        reportWebinarSurvey,

		// Webinars, registrants, panelists.
		"webinarCreate":                   createWebinar,
		"webinar":                         getWebinar,
		"webinars":                        listWebinars,
		"webinarUpdate":                   updateWebinar,
		"webinarDelete":                   deleteWebinar,
		"webinarStatus":                   webinarStatus,
		"webinarRegistrants":              listRegistrants,
		"webinarRegistrantCreate":         addRegistrant,
		"addBatchWebinarRegistrants":      batchRegistrants,
		"webinarRegistrantGet":            getRegistrant,
		"deleteWebinarRegistrant":         deleteRegistrant,
		"webinarRegistrantStatus":         registrantStatus,
		"webinarRegistrantsQuestionsGet":  getQuestions,
		"webinarRegistrantQuestionUpdate": updateQuestions,
		"webinarPanelists":                listPanelists,
		"webinarPanelistCreate":           addPanelists,
		"webinarPanelistsDelete":          deletePanelists,
		"webinarPanelistDelete":           deletePanelist,

		// Past meetings and webinars, reports, recordings.
		"pastMeetingDetails":        pastMeetingDetails,
		"pastMeetings":              pastMeetingInstances,
		"pastMeetingParticipants":   pastMeetingParticipants,
		"pastWebinars":              pastWebinarInstances,
		"listWebinarParticipants":   pastWebinarParticipants,
		"webinarAbsentees":          webinarAbsentees,
		"reportMeetings":            reportUserMeetings,
		"reportMeetingDetails":      reportMeetingDetails,
		"reportMeetingParticipants": reportMeetingParticipants,
		"reportWebinarDetails":      reportWebinarDetails,
		"reportWebinarParticipants": reportWebinarParticipants,
		"recordingsList":            listRecordings,
		"recordingGet":              getRecording,
		"recordingDelete":           deleteRecording,

		// Groups, roles, contacts.
		"groups":                listGroups,
		"groupCreate":           createGroup,
		"group":                 getGroup,
		"groupUpdate":           updateGroup,
		"groupDelete":           deleteGroup,
		"groupMembers":          listGroupMembers,
		"groupMembersCreate":    addGroupMembers,
		"groupMembersDelete":    deleteGroupMember,
		"updateAGroupMember":    updateGroupMember,
		"roles":                 listRoles,
		"createRole":            createRole,
		"getRoleInformation":    getRole,
		"updateRole":            updateRole,
		"deleteRole":            deleteRole,
		"roleMembers":           listRoleMembers,
		"AddRoleMembers":        addRoleMembers,
		"roleMemberDelete":      deleteRoleMember,
		"searchCompanyContacts": searchContacts,
	}
}
