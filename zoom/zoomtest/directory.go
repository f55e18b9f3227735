package zoomtest

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
)

// Group is a group as [Server.Group] reports it.
type Group struct {
	ID      string
	Name    string
	Members []string // user ids
}

// Group returns the group with the id.
func (s *Server) Group(id string) (Group, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	g := s.st.groupByID(id)
	if g == nil {
		return Group{}, false
	}
	return Group{ID: g.ID, Name: g.Name, Members: slices.Clone(g.Members)}, true
}

// AddGroup creates a group without emitting events and returns its id.
func (s *Server) AddGroup(name string, memberIDs ...string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, g := range s.st.groups {
		if g.account == s.st.accountID && strings.EqualFold(g.Name, name) {
			return "", fmt.Errorf("zoomtest: AddGroup: name %q is already used", name)
		}
	}
	g := &group{ID: s.st.ids.userID(), Name: name, CreatedAt: s.cfg.now(), account: s.st.accountID}
	for _, id := range memberIDs {
		u := s.st.lookupUserIn(s.st.accountID, id, s.st.ownerID)
		if u == nil {
			return "", fmt.Errorf("zoomtest: AddGroup: no user %q", id)
		}
		g.Members = append(g.Members, u.ID)
	}
	s.st.groups = append(s.st.groups, g)
	return g.ID, nil
}

func (c *call) group() (*group, *apiError) {
	id := c.params["groupId"]
	g := c.groupByID(id)
	if g == nil {
		return nil, fail(http.StatusNotFound, 4130, "Group does not exist: %s.", id)
	}
	return g, nil
}

func groupJSON(g *group) map[string]any {
	return map[string]any{"id": g.ID, "name": g.Name, "total_members": len(g.Members)}
}

// GET /groups
func listGroups(c *call) (result, *apiError) {
	lo, hi, env, e := c.page(c.listKey(), len(c.groups()), 30, 300)
	if e != nil {
		return failed(e)
	}
	items := []map[string]any{}
	for _, g := range c.groups()[lo:hi] {
		items = append(items, groupJSON(g))
	}
	env["groups"] = items
	delete(env, "page_number")
	delete(env, "page_count")
	return ok(env)
}

// POST /groups
func createGroup(c *call) (result, *apiError) {
	var req struct {
		Name string `json:"name"`
	}
	if e := c.decode(&req); e != nil {
		return failed(e)
	}
	name := strings.TrimSpace(req.Name)
	if name == "" || len(name) >= 128 {
		return failed(fail(http.StatusBadRequest, 300, "Invalid group name."))
	}
	for _, g := range c.groups() {
		if strings.EqualFold(g.Name, name) {
			return failed(fail(http.StatusConflict, 4132, "Group name %s is already in use.", name))
		}
	}
	g := &group{ID: c.st.ids.userID(), Name: name, CreatedAt: c.now, account: c.acct().id}
	c.st.groups = append(c.st.groups, g)
	c.emit("group.created", map[string]any{"operator": c.operatorEmail(), "operator_id": c.me(),
		"object": map[string]any{"id": g.ID, "name": g.Name}, "time_stamp": c.now.UnixMilli()})
	return created(groupJSON(g))
}

// GET /groups/{groupId}
func getGroup(c *call) (result, *apiError) {
	g, e := c.group()
	if e != nil {
		return failed(e)
	}
	return ok(groupJSON(g))
}

// PATCH /groups/{groupId}
func updateGroup(c *call) (result, *apiError) {
	g, e := c.group()
	if e != nil {
		return failed(e)
	}
	var req struct {
		Name string `json:"name"`
	}
	if e := c.decode(&req); e != nil {
		return failed(e)
	}
	name := strings.TrimSpace(req.Name)
	if name == "" || len(name) >= 128 {
		return failed(fail(http.StatusBadRequest, 300, "Invalid group name."))
	}
	for _, o := range c.groups() {
		if o != g && strings.EqualFold(o.Name, name) {
			return failed(fail(http.StatusConflict, 4132, "Group name %s is already in use.", name))
		}
	}
	old := g.Name
	g.Name = name
	c.emit("group.updated", map[string]any{"operator": c.operatorEmail(), "operator_id": c.me(),
		"object": map[string]any{"id": g.ID, "name": g.Name}, "old_object": map[string]any{"id": g.ID, "name": old},
		"time_stamp": c.now.UnixMilli()})
	return noContent()
}

// DELETE /groups/{groupId}
func deleteGroup(c *call) (result, *apiError) {
	g, e := c.group()
	if e != nil {
		return failed(e)
	}
	c.st.groups = slices.DeleteFunc(c.st.groups, func(x *group) bool { return x == g })
	c.emit("group.deleted", map[string]any{"operator": c.operatorEmail(), "operator_id": c.me(),
		"object": map[string]any{"id": g.ID, "name": g.Name}, "time_stamp": c.now.UnixMilli()})
	return noContent()
}

func memberJSON(u *user) map[string]any {
	return map[string]any{"id": u.ID, "email": u.Email, "first_name": u.FirstName, "last_name": u.LastName, "type": u.Type}
}

// GET /groups/{groupId}/members
func listGroupMembers(c *call) (result, *apiError) {
	g, e := c.group()
	if e != nil {
		return failed(e)
	}
	lo, hi, env, e := c.page(c.listKey(g.ID), len(g.Members), 30, 2000)
	if e != nil {
		return failed(e)
	}
	items := []map[string]any{}
	for _, id := range g.Members[lo:hi] {
		if u := c.st.userByID(id); u != nil {
			items = append(items, memberJSON(u))
		}
	}
	env["members"] = items
	return ok(env)
}

type memberRef struct {
	ID    string `json:"id"`
	Email string `json:"email"`
}

func (c *call) resolveMembers(refs []memberRef) ([]*user, *apiError) {
	if len(refs) == 0 {
		return nil, fail(http.StatusBadRequest, 300, "Validation Failed.")
	}
	if len(refs) > 30 {
		return nil, fail(http.StatusBadRequest, 300, "At most 30 members at a time.")
	}
	var out []*user
	for _, r := range refs {
		key := r.ID
		if key == "" {
			key = r.Email
		}
		u := c.st.lookupUserIn(c.acct().id, key, "")
		if u == nil {
			return nil, fail(http.StatusNotFound, 1001, "User does not exist: %s.", key)
		}
		out = append(out, u)
	}
	return out, nil
}

// POST /groups/{groupId}/members
func addGroupMembers(c *call) (result, *apiError) {
	g, e := c.group()
	if e != nil {
		return failed(e)
	}
	var req struct {
		Members []memberRef `json:"members"`
	}
	if e := c.decode(&req); e != nil {
		return failed(e)
	}
	users, e := c.resolveMembers(req.Members)
	if e != nil {
		return failed(e)
	}
	var ids []string
	var added []map[string]any
	for _, u := range users {
		if !slices.Contains(g.Members, u.ID) {
			g.Members = append(g.Members, u.ID)
			added = append(added, map[string]any{"id": u.ID, "email": u.Email})
		}
		ids = append(ids, u.ID)
	}
	if len(added) > 0 {
		c.emit("group.member_added", map[string]any{"operator": c.operatorEmail(), "operator_id": c.me(),
			"object": map[string]any{"id": g.ID, "members": added}, "time_stamp": c.now.UnixMilli()})
	}
	return created(map[string]any{"ids": strings.Join(ids, ","), "added_at": zoomTime(c.now)})
}

// DELETE /groups/{groupId}/members/{memberId}
func deleteGroupMember(c *call) (result, *apiError) {
	g, e := c.group()
	if e != nil {
		return failed(e)
	}
	u := c.st.lookupUserIn(c.acct().id, c.params["memberId"], "")
	if u == nil || !slices.Contains(g.Members, u.ID) {
		return failed(fail(http.StatusNotFound, 4131, "Group member does not exist: %s.", c.params["memberId"]))
	}
	g.Members = removeString(g.Members, u.ID)
	c.emit("group.member_deleted", map[string]any{"operator": c.operatorEmail(), "operator_id": c.me(),
		"object":     map[string]any{"id": g.ID, "members": []map[string]any{{"id": u.ID, "email": u.Email}}},
		"time_stamp": c.now.UnixMilli()})
	return noContent()
}

// PATCH /groups/{groupId}/members/{memberId}
func updateGroupMember(c *call) (result, *apiError) {
	g, e := c.group()
	if e != nil {
		return failed(e)
	}
	u := c.st.lookupUserIn(c.acct().id, c.params["memberId"], "")
	if u == nil || !slices.Contains(g.Members, u.ID) {
		return failed(fail(http.StatusNotFound, 4131, "Group member does not exist: %s.", c.params["memberId"]))
	}
	var req struct {
		Action        string `json:"action"`
		TargetGroupID string `json:"target_group_id"`
	}
	if e := c.decode(&req); e != nil {
		return failed(e)
	}
	switch req.Action {
	case "move":
		t := c.groupByID(req.TargetGroupID)
		if t == nil {
			return failed(fail(http.StatusNotFound, 4130, "Group does not exist: %s.", req.TargetGroupID))
		}
		g.Members = removeString(g.Members, u.ID)
		if !slices.Contains(t.Members, u.ID) {
			t.Members = append(t.Members, u.ID)
		}
	case "set_primary":
		g.Members = append([]string{u.ID}, removeString(g.Members, u.ID)...)
	default:
		return failed(fail(http.StatusBadRequest, 300, "Invalid field: action."))
	}
	return noContent()
}

// Roles.

func roleJSON(st *state, acct string, r *role, full bool) map[string]any {
	n := 0
	for _, u := range st.users {
		if u.account == acct && u.RoleID == r.ID {
			n++
		}
	}
	out := map[string]any{"id": r.ID, "name": r.Name, "description": r.Description, "type": r.Type, "total_members": n}
	if full {
		p := r.Privileges
		if p == nil {
			p = []string{}
		}
		out["privileges"] = p
	}
	return out
}

func (c *call) role() (*role, *apiError) {
	id := c.params["roleId"]
	r := c.roleByID(id)
	if r == nil {
		return nil, fail(http.StatusBadRequest, 1034, "Role does not exist.")
	}
	return r, nil
}

// GET /roles
func listRoles(c *call) (result, *apiError) {
	typ := c.query.Get("type")
	if typ == "" {
		typ = "common"
	}
	items := []map[string]any{}
	for _, r := range c.roles() {
		if r.Type == typ {
			items = append(items, roleJSON(c.st, c.acct().id, r, false))
		}
	}
	return ok(map[string]any{"total_records": len(items), "roles": items})
}

// POST /roles
func createRole(c *call) (result, *apiError) {
	var req struct {
		Name        string   `json:"name"`
		Description string   `json:"description"`
		Type        string   `json:"type"`
		Privileges  []string `json:"privileges"`
	}
	if e := c.decode(&req); e != nil {
		return failed(e)
	}
	if strings.TrimSpace(req.Name) == "" {
		return failed(fail(http.StatusBadRequest, 300, "Invalid field: name."))
	}
	for _, r := range c.roles() {
		if strings.EqualFold(r.Name, req.Name) {
			return failed(fail(http.StatusBadRequest, 1224, "Role name %s is already in use.", req.Name))
		}
	}
	if req.Type == "" {
		req.Type = "common"
	}
	r := &role{ID: c.st.ids.userID(), Name: req.Name, Description: req.Description, Type: req.Type, Privileges: req.Privileges, account: c.acct().id}
	c.st.roles = append(c.st.roles, r)
	return created(roleJSON(c.st, c.acct().id, r, true))
}

// GET /roles/{roleId}
func getRole(c *call) (result, *apiError) {
	r, e := c.role()
	if e != nil {
		return failed(e)
	}
	return ok(roleJSON(c.st, c.acct().id, r, true))
}

// PATCH /roles/{roleId}
func updateRole(c *call) (result, *apiError) {
	r, e := c.role()
	if e != nil {
		return failed(e)
	}
	var req struct {
		Name        *string  `json:"name"`
		Description *string  `json:"description"`
		Privileges  []string `json:"privileges"`
	}
	if e := c.decode(&req); e != nil {
		return failed(e)
	}
	if r.builtin && r.ID == "0" {
		return failed(fail(http.StatusBadRequest, 200, "The Owner role cannot be changed."))
	}
	if req.Name != nil {
		for _, o := range c.roles() {
			if o != r && strings.EqualFold(o.Name, *req.Name) {
				return failed(fail(http.StatusBadRequest, 1224, "Role name %s is already in use.", *req.Name))
			}
		}
		r.Name = *req.Name
	}
	if req.Description != nil {
		r.Description = *req.Description
	}
	if req.Privileges != nil {
		r.Privileges = req.Privileges
	}
	return noContent()
}

// DELETE /roles/{roleId}
func deleteRole(c *call) (result, *apiError) {
	r, e := c.role()
	if e != nil {
		return failed(e)
	}
	if r.builtin {
		return failed(fail(http.StatusBadRequest, 300, "Built-in roles cannot be deleted."))
	}
	for _, u := range c.st.users {
		if u.account == c.acct().id && u.RoleID == r.ID {
			return failed(fail(http.StatusBadRequest, 300, "The role still has members."))
		}
	}
	c.st.roles = slices.DeleteFunc(c.st.roles, func(x *role) bool { return x == r })
	return noContent()
}

// GET /roles/{roleId}/members
func listRoleMembers(c *call) (result, *apiError) {
	r, e := c.role()
	if e != nil {
		return failed(e)
	}
	var list []*user
	for _, u := range c.st.users {
		if u.account == c.acct().id && u.RoleID == r.ID {
			list = append(list, u)
		}
	}
	lo, hi, env, e := c.page(c.listKey(r.ID), len(list), 30, 300)
	if e != nil {
		return failed(e)
	}
	items := []map[string]any{}
	for _, u := range list[lo:hi] {
		m := memberJSON(u)
		m["department"] = u.Dept
		items = append(items, m)
	}
	env["members"] = items
	return ok(env)
}

// POST /roles/{roleId}/members
func addRoleMembers(c *call) (result, *apiError) {
	r, e := c.role()
	if e != nil {
		return failed(e)
	}
	var req struct {
		Members []memberRef `json:"members"`
	}
	if e := c.decode(&req); e != nil {
		return failed(e)
	}
	if r.ID == "0" || r.ID == "2" {
		return failed(fail(http.StatusBadRequest, 300, "Members cannot be assigned to the %s role.", r.Name))
	}
	users, e := c.resolveMembers(req.Members)
	if e != nil {
		return failed(e)
	}
	var ids []string
	for _, u := range users {
		if u.RoleID == "0" {
			return failed(fail(http.StatusBadRequest, 300, "The account owner's role cannot be changed."))
		}
		ids = append(ids, u.ID)
	}
	for _, u := range users {
		u.RoleID = r.ID
	}
	return created(map[string]any{"ids": strings.Join(ids, ","), "add_at": zoomTime(c.now)})
}

// DELETE /roles/{roleId}/members/{memberId}
func deleteRoleMember(c *call) (result, *apiError) {
	r, e := c.role()
	if e != nil {
		return failed(e)
	}
	u := c.st.lookupUserIn(c.acct().id, c.params["memberId"], "")
	if u == nil || u.RoleID != r.ID {
		return failed(fail(http.StatusNotFound, 1001, "User does not exist: %s.", c.params["memberId"]))
	}
	if r.ID == "0" || r.ID == "2" {
		return failed(fail(http.StatusBadRequest, 300, "Members cannot be removed from the %s role.", r.Name))
	}
	u.RoleID = "2"
	return noContent()
}

// GET /contacts
func searchContacts(c *call) (result, *apiError) {
	key := strings.ToLower(strings.TrimSpace(c.query.Get("search_key")))
	if key == "" {
		return failed(fail(http.StatusBadRequest, 300, "Invalid field: search_key."))
	}
	status := c.query.Get("user_status")
	if status == "" {
		status = "active"
	}
	var list []*user
	for _, u := range c.st.users {
		if u.Status != status {
			continue
		}
		if strings.HasPrefix(strings.ToLower(u.FirstName), key) || strings.HasPrefix(strings.ToLower(u.LastName), key) ||
			strings.HasPrefix(strings.ToLower(u.displayName()), key) || strings.HasPrefix(strings.ToLower(u.Email), key) {
			list = append(list, u)
		}
	}
	lo, hi, env, e := c.page(c.listKey(key, status), len(list), 1, 25)
	if e != nil {
		return failed(e)
	}
	items := []map[string]any{}
	for _, u := range list[lo:hi] {
		items = append(items, map[string]any{
			"id": u.ID, "email": u.Email, "first_name": u.FirstName, "last_name": u.LastName,
			"display_name": u.displayName(), "dept": u.Dept, "job_title": u.JobTitle, "location": u.Location,
			"contact_type": 1, "presence_status": "Available",
		})
	}
	out := map[string]any{"contacts": items, "next_page_token": env["next_page_token"], "page_size": env["page_size"]}
	if c.query.Get("query_presence_status") != "true" {
		for _, it := range items {
			delete(it, "presence_status")
		}
	}
	return ok(out)
}
