package zoomtest

import (
	"encoding/json"
	"net/http"
	"strings"
)

// adminOnlyOps are operations a member may not call whatever the scopes
// of the token: managing the account's users, roles and groups, and the
// account's reports. Operations whose classic scopes are all admin scopes
// are admin-only too (see checkPrivilege).
var adminOnlyOps = map[string]bool{
	"users":            true, // the account's user list
	"userCreate":       true,
	"userDelete":       true,
	"userStatus":       true,
	"AddRoleMembers":   true,
	"roleMemberDelete": true,
}

// noPrivilege is Zoom's answer when the user behind a token lacks the
// role an operation needs (documented for POST /users as 400, code 200,
// "No privilege.").
func noPrivilege() *apiError {
	return fail(http.StatusBadRequest, 200, "No privilege.")
}

// checkPrivilege enforces the acting user's role, read at each call (so a
// demotion takes effect on the next call): a token acts with the power of
// the user who installed the app, whatever its scopes. A member (any role
// but Owner and Admin) may not call admin-only operations, may not name
// another user in a {userId} path parameter or in schedule_for, may not
// act on a meeting or webinar they neither host nor co-host (Zoom's
// 3000), and may not change their own user type or group. Server-to-server tokens act as
// the account and are not limited. s.mu is held.
func (s *Server) checkPrivilege(t *accessToken, info *opInfo, params map[string]string, body []byte) *apiError {
	if t.kind == "account" {
		return nil
	}
	u := s.st.userByID(t.actingUser(s.st))
	if u == nil || isAccountAdmin(u) {
		return nil
	}
	id := info.op.ID
	if adminOnlyOps[id] || allAdminScopes(info) {
		return noPrivilege()
	}
	if uid, has := params["userId"]; has && uid != "me" {
		if target := s.st.lookupUser(decodeParam(uid), u.ID); target != nil && target.ID != u.ID {
			return noPrivilege()
		}
	}
	for _, param := range []string{"meetingId", "webinarId"} {
		if v, has := params[param]; has {
			// Another account's meeting is not found (by the handler).
			if m, _ := s.st.findMeeting(decodeParam(v)); m != nil && !m.deleted && !mayRun(m, u) &&
				s.st.accountOf(s.st.userByID(m.HostID)) == s.st.accountOf(u) {
				what := "meeting"
				if m.Webinar {
					what = "webinar"
				}
				return fail(http.StatusBadRequest, 3000, "Cannot access %s information.", what)
			}
		}
	}
	switch id {
	case "meetingCreate", "webinarCreate":
		var req struct {
			ScheduleFor string `json:"schedule_for"`
		}
		if json.Unmarshal(body, &req) == nil && req.ScheduleFor != "" {
			if target := s.st.lookupUser(req.ScheduleFor, u.ID); target != nil && target.ID != u.ID {
				return noPrivilege()
			}
		}
	case "userUpdate":
		var req map[string]json.RawMessage
		if json.Unmarshal(body, &req) == nil {
			if _, set := req["type"]; set {
				return fail(http.StatusBadRequest, 1108, "Permission requirements to change the user type of this user were not met.")
			}
			if _, set := req["group_id"]; set {
				return noPrivilege()
			}
		}
	}
	return nil
}

// allAdminScopes reports whether every classic scope of the operation is
// an admin scope (groups, roles, reports, ...).
func allAdminScopes(info *opInfo) bool {
	cl := classic(info.scopes)
	if len(cl) == 0 {
		return false
	}
	for _, sc := range cl {
		if !isAdminScope(sc) {
			return false
		}
	}
	return true
}

// mayRun reports whether the member u may act on m: as its host or as one
// of its alternative hosts.
func mayRun(m *meeting, u *user) bool {
	if m.HostID == u.ID {
		return true
	}
	alt, _ := m.Settings["alternative_hosts"].(string)
	for _, e := range strings.FieldsFunc(alt, func(r rune) bool { return r == ';' || r == ',' }) {
		if strings.EqualFold(strings.TrimSpace(e), u.Email) {
			return true
		}
	}
	return false
}
