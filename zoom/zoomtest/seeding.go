package zoomtest

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// Role is a role of the fake account, as the admin helpers see it.
type Role struct {
	ID          string
	Name        string
	Description string
	Type        string // "common" or "iq"
	Privileges  []string
	// Builtin marks Zoom's own roles: Owner ("0"), Admin ("1"), Member ("2").
	Builtin bool
	// MemberIDs lists the users holding the role.
	MemberIDs []string
}

// Roles returns the account's roles, built-in ones first.
func (s *Server) Roles() []Role {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Role, 0, len(s.st.roles))
	for _, r := range s.st.roles {
		if r.account != "" && r.account != s.st.accountID {
			continue
		}
		role := Role{ID: r.ID, Name: r.Name, Description: r.Description, Type: r.Type,
			Privileges: slices.Clone(r.Privileges), Builtin: r.builtin}
		for _, u := range s.st.users {
			if u.account == s.st.accountID && u.RoleID == r.ID {
				role.MemberIDs = append(role.MemberIDs, u.ID)
			}
		}
		out = append(out, role)
	}
	return out
}

// AddRole creates a custom role without emitting events (as an admin would
// in Zoom's web portal) and returns its id. Names are unique, as in Zoom
// (code 1224 through the API).
func (s *Server) AddRole(name, description string, privileges ...string) (string, error) {
	if strings.TrimSpace(name) == "" {
		return "", errors.New("zoomtest: AddRole: empty name")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, r := range s.st.roles {
		if (r.account == "" || r.account == s.st.accountID) && strings.EqualFold(r.Name, name) {
			return "", fmt.Errorf("zoomtest: AddRole: name %q is already used", name)
		}
	}
	r := &role{ID: s.st.ids.userID(), Name: name, Description: description, Type: "common", Privileges: slices.Clone(privileges), account: s.st.accountID}
	s.st.roles = append(s.st.roles, r)
	return r.ID, nil
}

// Groups returns the account's groups.
func (s *Server) Groups() []Group {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Group, 0, len(s.st.groups))
	for _, g := range s.st.groups {
		if g.account != s.st.accountID {
			continue
		}
		out = append(out, Group{ID: g.ID, Name: g.Name, Members: slices.Clone(g.Members)})
	}
	return out
}

// RevokeUser revokes every grant and token of one user (id or email)
// without a webhook, as Zoom does when the user's authorization is revoked
// on Zoom's side: the next refresh with that grant gets invalid_grant. Use
// Uninstall for the app_deauthorized path.
func (s *Server) RevokeUser(idOrEmail string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.st.lookupUser(idOrEmail, s.st.ownerID)
	if u == nil {
		return fmt.Errorf("zoomtest: RevokeUser: no user %q", idOrEmail)
	}
	s.revokeInstallLocked(u.ID)
	return nil
}

// SetVerificationToken makes webhook deliveries also carry the app's
// legacy verification token in the Authorization header, as Zoom sent it
// to apps configured before signatures (empty: stop sending it).
func (s *Server) SetVerificationToken(token string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.verificationToken = token
}
