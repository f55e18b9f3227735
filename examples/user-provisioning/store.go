package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"
)

// The app's own tables: the Zoom connection, the local mirror of the
// account's users, groups, memberships and roles, and an audit log. Types
// and placeholders ($1) work on SQLite and PostgreSQL alike.
var schema = []string{
	`CREATE TABLE IF NOT EXISTS user_provisioning_connection (
	token_key    TEXT PRIMARY KEY,
	zoom_user_id TEXT NOT NULL,
	email        TEXT NOT NULL,
	account_id   TEXT NOT NULL,
	role_id      TEXT NOT NULL,
	mode         TEXT NOT NULL,
	scopes       TEXT NOT NULL,
	connected_at TEXT NOT NULL,
	synced_at    TEXT NOT NULL
)`,
	`CREATE TABLE IF NOT EXISTS user_provisioning_users (
	email      TEXT PRIMARY KEY,
	zoom_id    TEXT NOT NULL,
	first_name TEXT NOT NULL,
	last_name  TEXT NOT NULL,
	type       INTEGER NOT NULL,
	status     TEXT NOT NULL,
	role_id    TEXT NOT NULL
)`,
	`CREATE TABLE IF NOT EXISTS user_provisioning_licences (
	email     TEXT PRIMARY KEY,
	licence   TEXT NOT NULL,
	elsewhere INTEGER NOT NULL DEFAULT 0
)`,
	`CREATE TABLE IF NOT EXISTS user_provisioning_groups (
	id   TEXT PRIMARY KEY,
	name TEXT NOT NULL
)`,
	`CREATE TABLE IF NOT EXISTS user_provisioning_group_members (
	group_id TEXT NOT NULL,
	email    TEXT NOT NULL,
	PRIMARY KEY (group_id, email)
)`,
	`CREATE TABLE IF NOT EXISTS user_provisioning_roles (
	id          TEXT PRIMARY KEY,
	name        TEXT NOT NULL,
	description TEXT NOT NULL
)`,
	`CREATE TABLE IF NOT EXISTS user_provisioning_settings (
	name  TEXT PRIMARY KEY,
	value TEXT NOT NULL
)`,
	`CREATE TABLE IF NOT EXISTS user_provisioning_audit (
	seq    BIGINT PRIMARY KEY,
	at     TEXT NOT NULL,
	actor  TEXT NOT NULL,
	action TEXT NOT NULL,
	detail TEXT NOT NULL
)`,
}

// localTables are deleted, in this order, when the integration is removed.
var localTables = []string{
	"user_provisioning_group_members",
	"user_provisioning_groups",
	"user_provisioning_roles",
	"user_provisioning_users",
	"user_provisioning_licences",
	"user_provisioning_settings",
	"user_provisioning_audit",
	"user_provisioning_connection",
}

// Access modes chosen by the admin at connect time.
const (
	modeReadWrite = "read-write"
	modeReadOnly  = "read-only"
)

// Connection is the admin's Zoom connection.
type Connection struct {
	TokenKey    string
	ZoomUserID  string
	Email       string
	AccountID   string
	RoleID      string // "0" owner, "1" admin
	Mode        string // modeReadWrite or modeReadOnly
	Scopes      string // granted, space separated
	ConnectedAt string
	SyncedAt    string
}

// User is a mirrored Zoom user. Pending users may have no Zoom id in
// Zoom's list, so the mirror is keyed by email.
type User struct {
	Email     string
	ZoomID    string
	FirstName string
	LastName  string
	Type      int // 1 Basic, 2 Licensed
	Status    string
	RoleID    string
	RoleName  string
	Groups    []string // group names
	Licence   string   // the licence RoleUp onboarded them with, "" when unknown
	Elsewhere bool     // invited while holding a Zoom account elsewhere
}

// Invitation is Zoom's invitation state as RoleUp shows it: pending
// until the person accepts Zoom's email.
func (u User) Invitation() string {
	switch {
	case u.Status == "pending" && u.Elsewhere:
		return "pending: invited away from another organisation's Zoom account; they join when they accept Zoom's email"
	case u.Status == "pending":
		return "pending: waiting for them to accept Zoom's email"
	case u.Licence != "" && u.Elsewhere:
		return "accepted: left their other Zoom account and joined"
	case u.Licence != "":
		return "accepted"
	}
	return ""
}

// Name is the user's display name.
func (u User) Name() string {
	n := strings.TrimSpace(u.FirstName + " " + u.LastName)
	if n == "" {
		return u.Email
	}
	return n
}

// TypeName is "Basic" or "Licensed".
func (u User) TypeName() string { return typeName(u.Type) }

// LicenceName is the licence as RoleUp names it: Basic, Pro or Corporate
// when RoleUp onboarded the user with it, else Zoom's user type.
func (u User) LicenceName() string {
	if l, ok := licenceByID(u.Licence); ok && l.Type == u.Type {
		return l.Name
	}
	return typeName(u.Type)
}

func typeName(t int) string {
	switch t {
	case 1:
		return "Basic"
	case 2:
		return "Licensed"
	case 4:
		return "Unassigned"
	}
	return fmt.Sprintf("type %d", t)
}

// Ref is how Zoom calls name the user: the id, or the email when the
// mirror has no id (pending users).
func (u User) Ref() string {
	if u.ZoomID != "" {
		return u.ZoomID
	}
	return u.Email
}

// Group is a mirrored Zoom group.
type Group struct {
	ID      string
	Name    string
	Members []string // emails
}

// Role is a mirrored Zoom role.
type Role struct {
	ID          string
	Name        string
	Description string
}

// AuditEntry is one line of the audit log.
type AuditEntry struct {
	At, Actor, Action, Detail string
}

// store holds the app's records.
type store struct {
	db  *sql.DB
	now func() time.Time

	auditMu sync.Mutex // serialises audit sequence numbers
}

func (s *store) migrate(ctx context.Context) error {
	for _, q := range schema {
		if _, err := s.db.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("creating the app's tables: %w", err)
		}
	}
	return nil
}

func (s *store) stamp() string { return s.now().UTC().Format(time.RFC3339) }

func (s *store) connection(ctx context.Context) (*Connection, error) {
	var c Connection
	err := s.db.QueryRowContext(ctx, `SELECT token_key, zoom_user_id, email, account_id, role_id, mode, scopes, connected_at, synced_at
FROM user_provisioning_connection`).Scan(&c.TokenKey, &c.ZoomUserID, &c.Email, &c.AccountID, &c.RoleID, &c.Mode, &c.Scopes, &c.ConnectedAt, &c.SyncedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &c, nil
}

// saveConnection replaces the connection (the app has one Zoom account).
func (s *store) saveConnection(ctx context.Context, c *Connection) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback() //nolint:errcheck // no-op after Commit
	if _, err := tx.ExecContext(ctx, `DELETE FROM user_provisioning_connection`); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO user_provisioning_connection
(token_key, zoom_user_id, email, account_id, role_id, mode, scopes, connected_at, synced_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		c.TokenKey, c.ZoomUserID, c.Email, c.AccountID, c.RoleID, c.Mode, c.Scopes, c.ConnectedAt, c.SyncedAt); err != nil {
		return err
	}
	return tx.Commit()
}

// mirror is what one sync read from Zoom.
type mirror struct {
	users  []User
	groups []Group
	roles  []Role
}

// replaceMirror swaps the mirror for m in one transaction.
func (s *store) replaceMirror(ctx context.Context, m *mirror) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback() //nolint:errcheck // no-op after Commit
	// Zoom lists pending users without their id: keep the id RoleUp
	// learned when it created them.
	known := map[string]string{}
	rows, err := tx.QueryContext(ctx, `SELECT email, zoom_id FROM user_provisioning_users WHERE zoom_id <> ''`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var e, id string
		if err := rows.Scan(&e, &id); err != nil {
			rows.Close()
			return err
		}
		known[e] = id
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, t := range localTables[:4] {
		if _, err := tx.ExecContext(ctx, `DELETE FROM `+t); err != nil {
			return err
		}
	}
	for _, u := range m.users {
		if u.ZoomID == "" {
			u.ZoomID = known[strings.ToLower(u.Email)]
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO user_provisioning_users (email, zoom_id, first_name, last_name, type, status, role_id)
VALUES ($1, $2, $3, $4, $5, $6, $7)`, strings.ToLower(u.Email), u.ZoomID, u.FirstName, u.LastName, u.Type, u.Status, u.RoleID); err != nil {
			return err
		}
	}
	for _, g := range m.groups {
		if _, err := tx.ExecContext(ctx, `INSERT INTO user_provisioning_groups (id, name) VALUES ($1, $2)`, g.ID, g.Name); err != nil {
			return err
		}
		for _, e := range g.Members {
			if _, err := tx.ExecContext(ctx, `INSERT INTO user_provisioning_group_members (group_id, email) VALUES ($1, $2)
ON CONFLICT (group_id, email) DO NOTHING`, g.ID, strings.ToLower(e)); err != nil {
				return err
			}
		}
	}
	for _, r := range m.roles {
		if _, err := tx.ExecContext(ctx, `INSERT INTO user_provisioning_roles (id, name, description) VALUES ($1, $2, $3)`, r.ID, r.Name, r.Description); err != nil {
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, `UPDATE user_provisioning_connection SET synced_at = $1`, s.stamp()); err != nil {
		return err
	}
	return tx.Commit()
}

// upsertUser adds or updates one mirrored user.
func (s *store) upsertUser(ctx context.Context, u User) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO user_provisioning_users (email, zoom_id, first_name, last_name, type, status, role_id)
VALUES ($1, $2, $3, $4, $5, $6, $7)
ON CONFLICT (email) DO UPDATE SET zoom_id = excluded.zoom_id, first_name = excluded.first_name,
last_name = excluded.last_name, type = excluded.type, status = excluded.status, role_id = excluded.role_id`,
		strings.ToLower(u.Email), u.ZoomID, u.FirstName, u.LastName, u.Type, u.Status, u.RoleID)
	return err
}

func (s *store) setStatus(ctx context.Context, email, status string) error {
	_, err := s.db.ExecContext(ctx, `UPDATE user_provisioning_users SET status = $1 WHERE email = $2`, status, strings.ToLower(email))
	return err
}

func (s *store) setRole(ctx context.Context, email, roleID string) error {
	_, err := s.db.ExecContext(ctx, `UPDATE user_provisioning_users SET role_id = $1 WHERE email = $2`, roleID, strings.ToLower(email))
	return err
}

// setLicence records the licence RoleUp onboarded email with, and
// whether the person held a Zoom account elsewhere.
func (s *store) setLicence(ctx context.Context, email, licence string, elsewhere bool) error {
	n := 0
	if elsewhere {
		n = 1
	}
	_, err := s.db.ExecContext(ctx, `INSERT INTO user_provisioning_licences (email, licence, elsewhere) VALUES ($1, $2, $3)
ON CONFLICT (email) DO UPDATE SET licence = excluded.licence, elsewhere = excluded.elsewhere`, strings.ToLower(email), licence, n)
	return err
}

func (s *store) removeUser(ctx context.Context, email string) error {
	email = strings.ToLower(email)
	if _, err := s.db.ExecContext(ctx, `DELETE FROM user_provisioning_group_members WHERE email = $1`, email); err != nil {
		return err
	}
	if _, err := s.db.ExecContext(ctx, `DELETE FROM user_provisioning_licences WHERE email = $1`, email); err != nil {
		return err
	}
	_, err := s.db.ExecContext(ctx, `DELETE FROM user_provisioning_users WHERE email = $1`, email)
	return err
}

func (s *store) addMember(ctx context.Context, groupID, email string) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO user_provisioning_group_members (group_id, email) VALUES ($1, $2)
ON CONFLICT (group_id, email) DO NOTHING`, groupID, strings.ToLower(email))
	return err
}

func (s *store) removeMember(ctx context.Context, groupID, email string) error {
	_, err := s.db.ExecContext(ctx, `DELETE FROM user_provisioning_group_members WHERE group_id = $1 AND email = $2`, groupID, strings.ToLower(email))
	return err
}

// user returns the mirrored user with email, or nil.
func (s *store) user(ctx context.Context, email string) (*User, error) {
	us, err := s.users(ctx, strings.ToLower(strings.TrimSpace(email)))
	if err != nil || len(us) == 0 {
		return nil, err
	}
	return &us[0], nil
}

// users lists the mirror (one user when only is set), with role and group
// names, ordered by email.
func (s *store) users(ctx context.Context, only string) ([]User, error) {
	q := `SELECT u.email, u.zoom_id, u.first_name, u.last_name, u.type, u.status, u.role_id, COALESCE(r.name, ''), COALESCE(l.licence, ''), COALESCE(l.elsewhere, 0)
FROM user_provisioning_users u LEFT JOIN user_provisioning_roles r ON r.id = u.role_id
LEFT JOIN user_provisioning_licences l ON l.email = u.email`
	args := []any{}
	if only != "" {
		q += ` WHERE u.email = $1`
		args = append(args, only)
	}
	rows, err := s.db.QueryContext(ctx, q+` ORDER BY u.email`, args...)
	if err != nil {
		return nil, err
	}
	var out []User
	for rows.Next() {
		var u User
		var elsewhere int
		if err := rows.Scan(&u.Email, &u.ZoomID, &u.FirstName, &u.LastName, &u.Type, &u.Status, &u.RoleID, &u.RoleName, &u.Licence, &elsewhere); err != nil {
			rows.Close()
			return nil, err
		}
		u.Elsewhere = elsewhere != 0
		out = append(out, u)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	groups, err := s.groups(ctx)
	if err != nil {
		return nil, err
	}
	for i := range out {
		for _, g := range groups {
			for _, m := range g.Members {
				if m == out[i].Email {
					out[i].Groups = append(out[i].Groups, g.Name)
				}
			}
		}
	}
	return out, nil
}

// groups lists the mirrored groups with their members, ordered by name.
func (s *store) groups(ctx context.Context) ([]Group, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT g.id, g.name, COALESCE(m.email, '')
FROM user_provisioning_groups g LEFT JOIN user_provisioning_group_members m ON m.group_id = g.id
ORDER BY g.name, m.email`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Group
	for rows.Next() {
		var id, name, email string
		if err := rows.Scan(&id, &name, &email); err != nil {
			return nil, err
		}
		if len(out) == 0 || out[len(out)-1].ID != id {
			out = append(out, Group{ID: id, Name: name})
		}
		if email != "" {
			out[len(out)-1].Members = append(out[len(out)-1].Members, email)
		}
	}
	return out, rows.Err()
}

// roles lists the mirrored roles, ordered by id.
func (s *store) roles(ctx context.Context) ([]Role, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, name, description FROM user_provisioning_roles ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Role
	for rows.Next() {
		var r Role
		if err := rows.Scan(&r.ID, &r.Name, &r.Description); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

func (s *store) roleName(ctx context.Context, id string) string {
	var name string
	if err := s.db.QueryRowContext(ctx, `SELECT name FROM user_provisioning_roles WHERE id = $1`, id).Scan(&name); err != nil {
		return "role " + id
	}
	return name
}

func (s *store) groupName(ctx context.Context, id string) (string, bool) {
	var name string
	if err := s.db.QueryRowContext(ctx, `SELECT name FROM user_provisioning_groups WHERE id = $1`, id).Scan(&name); err != nil {
		return "", false
	}
	return name, true
}

// setting returns the setting name, def when unset.
func (s *store) setting(ctx context.Context, name, def string) (string, error) {
	var v string
	err := s.db.QueryRowContext(ctx, `SELECT value FROM user_provisioning_settings WHERE name = $1`, name).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return def, nil
	}
	return v, err
}

// setSetting stores the setting name.
func (s *store) setSetting(ctx context.Context, name, value string) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO user_provisioning_settings (name, value) VALUES ($1, $2)
ON CONFLICT (name) DO UPDATE SET value = excluded.value`, name, value)
	return err
}

// audit appends to the audit log.
func (s *store) audit(ctx context.Context, actor, action, detail string) error {
	s.auditMu.Lock()
	defer s.auditMu.Unlock()
	_, err := s.db.ExecContext(ctx, `INSERT INTO user_provisioning_audit (seq, at, actor, action, detail)
SELECT COALESCE(MAX(seq), 0) + 1, $1, $2, $3, $4 FROM user_provisioning_audit`, s.stamp(), actor, action, detail)
	return err
}

// auditLog returns the audit log, newest first.
func (s *store) auditLog(ctx context.Context, limit int) ([]AuditEntry, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT at, actor, action, detail FROM user_provisioning_audit ORDER BY seq DESC LIMIT $1`, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []AuditEntry
	for rows.Next() {
		var e AuditEntry
		if err := rows.Scan(&e.At, &e.Actor, &e.Action, &e.Detail); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// wipe deletes every local record: mirror, audit log and connection.
func (s *store) wipe(ctx context.Context) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback() //nolint:errcheck // no-op after Commit
	for _, t := range localTables {
		if _, err := tx.ExecContext(ctx, `DELETE FROM `+t); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// counts returns the number of rows of each local table.
func (s *store) counts(ctx context.Context) (map[string]int, error) {
	out := map[string]int{}
	for _, t := range localTables {
		var n int
		if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+t).Scan(&n); err != nil {
			return nil, err
		}
		out[t] = n
	}
	return out, nil
}
