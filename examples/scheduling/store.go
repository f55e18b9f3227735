package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// The app's own records. Table names carry the example's prefix; the SQL
// uses $n placeholders and portable types, so it runs on SQLite and
// PostgreSQL alike.
var schema = []string{
	`CREATE TABLE IF NOT EXISTS scheduling_hosts (
	id TEXT PRIMARY KEY,
	name TEXT NOT NULL,
	email TEXT NOT NULL,
	timezone TEXT NOT NULL
)`,
	// The host's settings; no row means the defaults (built-in calls).
	`CREATE TABLE IF NOT EXISTS scheduling_settings (
	host_id TEXT PRIMARY KEY,
	default_conferencing TEXT NOT NULL
)`,
	// The host's Zoom connection (the token itself is in the token store
	// under token_key, one per Zoom user: accounts connected to the same
	// Zoom user share it).
	`CREATE TABLE IF NOT EXISTS scheduling_zoom_connections (
	host_id TEXT PRIMARY KEY,
	zoom_user_id TEXT NOT NULL,
	zoom_email TEXT NOT NULL,
	zoom_account_id TEXT NOT NULL,
	token_key TEXT NOT NULL,
	status TEXT NOT NULL,
	status_reason TEXT NOT NULL,
	connected_at BIGINT NOT NULL,
	status_changed_at BIGINT NOT NULL
)`,
	`CREATE TABLE IF NOT EXISTS scheduling_bookings (
	id TEXT PRIMARY KEY,
	host_id TEXT NOT NULL,
	client_name TEXT NOT NULL,
	client_email TEXT NOT NULL,
	start_unix BIGINT NOT NULL,
	duration_min INTEGER NOT NULL,
	status TEXT NOT NULL,
	conferencing TEXT NOT NULL,
	zoom_meeting_id BIGINT NOT NULL,
	join_url TEXT NOT NULL,
	note TEXT NOT NULL,
	created_at BIGINT NOT NULL
)`,
}

// Conferencing kinds.
const (
	confZoom    = "zoom"
	confBuiltin = "builtin"
)

// Connection states.
const (
	statusConnected         = "connected"
	statusReconnectRequired = "reconnect_required"
)

// Booking states.
const (
	bookingConfirmed = "confirmed"
	bookingCancelled = "cancelled"
)

// Host is a booking page owner (a coach, a consultant...).
type Host struct {
	ID, Name, Email string
	Timezone        string
	loc             *time.Location
}

// Connection is a host's Zoom connection.
type Connection struct {
	HostID        string
	ZoomUserID    string
	ZoomEmail     string
	ZoomAccountID string
	TokenKey      string
	Status        string // statusConnected or statusReconnectRequired
	StatusReason  string // what Zoom said when the grant died
	ConnectedAt   time.Time
}

// Usable reports whether the app may call Zoom with this connection.
func (c *Connection) Usable() bool { return c != nil && c.Status == statusConnected }

// Booking is a client's booked slot.
type Booking struct {
	ID          string
	HostID      string
	ClientName  string
	ClientEmail string
	Start       time.Time
	DurationMin int
	Status      string // bookingConfirmed or bookingCancelled
	// Conferencing is confZoom (ZoomMeetingID and JoinURL from Zoom) or
	// confBuiltin (JoinURL is the app's own call room).
	Conferencing  string
	ZoomMeetingID int64
	JoinURL       string
	// Note tells what happened to the conferencing, when not the expected.
	Note      string
	CreatedAt time.Time
}

func migrate(ctx context.Context, db *sql.DB) error {
	for _, q := range schema {
		if _, err := db.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("creating the app's tables: %w", err)
		}
	}
	return nil
}

func (a *app) ensureHost(ctx context.Context, h Host) error {
	_, err := a.db.ExecContext(ctx, `INSERT INTO scheduling_hosts (id, name, email, timezone) VALUES ($1, $2, $3, $4)
ON CONFLICT (id) DO NOTHING`, h.ID, h.Name, h.Email, h.Timezone)
	return err
}

func (a *app) host(ctx context.Context, id string) (*Host, error) {
	h := &Host{}
	err := a.db.QueryRowContext(ctx, `SELECT id, name, email, timezone FROM scheduling_hosts WHERE id = $1`, id).
		Scan(&h.ID, &h.Name, &h.Email, &h.Timezone)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("no host %q", id)
	}
	if err != nil {
		return nil, err
	}
	if h.loc, err = time.LoadLocation(h.Timezone); err != nil {
		return nil, fmt.Errorf("host %s: time zone: %w", id, err)
	}
	return h, nil
}

// defaultConferencing returns the host's setting (confBuiltin without one).
func (a *app) defaultConferencing(ctx context.Context, hostID string) (string, error) {
	var kind string
	err := a.db.QueryRowContext(ctx, `SELECT default_conferencing FROM scheduling_settings WHERE host_id = $1`, hostID).Scan(&kind)
	if errors.Is(err, sql.ErrNoRows) {
		return confBuiltin, nil
	}
	return kind, err
}

func (a *app) putDefaultConferencing(ctx context.Context, hostID, kind string) error {
	_, err := a.db.ExecContext(ctx, `INSERT INTO scheduling_settings (host_id, default_conferencing) VALUES ($1, $2)
ON CONFLICT (host_id) DO UPDATE SET default_conferencing = excluded.default_conferencing`, hostID, kind)
	return err
}

const connColumns = `host_id, zoom_user_id, zoom_email, zoom_account_id, token_key, status, status_reason, connected_at`

func scanConn(row interface{ Scan(...any) error }) (*Connection, error) {
	c := &Connection{}
	var at int64
	if err := row.Scan(&c.HostID, &c.ZoomUserID, &c.ZoomEmail, &c.ZoomAccountID, &c.TokenKey, &c.Status, &c.StatusReason, &at); err != nil {
		return nil, err
	}
	c.ConnectedAt = time.Unix(at, 0)
	return c, nil
}

// connection returns the host's Zoom connection, or nil.
func (a *app) connection(ctx context.Context, hostID string) (*Connection, error) {
	c, err := scanConn(a.db.QueryRowContext(ctx, `SELECT `+connColumns+` FROM scheduling_zoom_connections WHERE host_id = $1`, hostID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return c, err
}

// connectionsOfZoomUser returns the connections made with a Zoom user.
func (a *app) connectionsOfZoomUser(ctx context.Context, zoomUserID string) ([]*Connection, error) {
	rows, err := a.db.QueryContext(ctx, `SELECT `+connColumns+` FROM scheduling_zoom_connections WHERE zoom_user_id = $1`, zoomUserID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*Connection
	for rows.Next() {
		c, err := scanConn(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

func (a *app) putConnection(ctx context.Context, c *Connection) error {
	now := a.clock.Now().Unix()
	_, err := a.db.ExecContext(ctx, `INSERT INTO scheduling_zoom_connections
(host_id, zoom_user_id, zoom_email, zoom_account_id, token_key, status, status_reason, connected_at, status_changed_at)
VALUES ($1, $2, $3, $4, $5, $6, '', $7, $7)
ON CONFLICT (host_id) DO UPDATE SET zoom_user_id = excluded.zoom_user_id, zoom_email = excluded.zoom_email,
zoom_account_id = excluded.zoom_account_id, token_key = excluded.token_key, status = excluded.status,
status_reason = excluded.status_reason, connected_at = excluded.connected_at, status_changed_at = excluded.status_changed_at`,
		c.HostID, c.ZoomUserID, c.ZoomEmail, c.ZoomAccountID, c.TokenKey, statusConnected, now)
	if err != nil {
		return err
	}
	// The new token serves every account on this Zoom user.
	_, err = a.db.ExecContext(ctx, `UPDATE scheduling_zoom_connections SET status = $1, status_reason = '', status_changed_at = $2
WHERE token_key = $3 AND status <> $1`, statusConnected, now, c.TokenKey)
	return err
}

// markReconnectRequired flags the connections using tokenKey; it returns
// the accounts this call flagged (so that each host is told once).
func (a *app) markReconnectRequired(ctx context.Context, tokenKey, reason string) ([]string, error) {
	tx, err := a.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer func() { _ = tx.Rollback() }()
	rows, err := tx.QueryContext(ctx, `SELECT host_id FROM scheduling_zoom_connections WHERE token_key = $1 AND status = $2`, tokenKey, statusConnected)
	if err != nil {
		return nil, err
	}
	var hosts []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, err
		}
		hosts = append(hosts, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var flagged []string
	for _, id := range hosts {
		res, err := tx.ExecContext(ctx, `UPDATE scheduling_zoom_connections SET status = $1, status_reason = $2, status_changed_at = $3
WHERE host_id = $4 AND status = $5`, statusReconnectRequired, reason, a.clock.Now().Unix(), id, statusConnected)
		if err != nil {
			return nil, err
		}
		if n, err := res.RowsAffected(); err != nil {
			return nil, err
		} else if n > 0 {
			flagged = append(flagged, id)
		}
	}
	return flagged, tx.Commit()
}

const bookingColumns = `id, host_id, client_name, client_email, start_unix, duration_min, status, conferencing, zoom_meeting_id, join_url, note, created_at`

func scanBooking(row interface{ Scan(...any) error }) (*Booking, error) {
	b := &Booking{}
	var start, created int64
	if err := row.Scan(&b.ID, &b.HostID, &b.ClientName, &b.ClientEmail, &start, &b.DurationMin, &b.Status,
		&b.Conferencing, &b.ZoomMeetingID, &b.JoinURL, &b.Note, &created); err != nil {
		return nil, err
	}
	b.Start, b.CreatedAt = time.Unix(start, 0).UTC(), time.Unix(created, 0).UTC()
	return b, nil
}

// errNoBooking is returned for an unknown booking id.
var errNoBooking = errors.New("no such booking")

// Booking returns a booking by id.
func (a *app) Booking(ctx context.Context, id string) (*Booking, error) {
	b, err := scanBooking(a.db.QueryRowContext(ctx, `SELECT `+bookingColumns+` FROM scheduling_bookings WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errNoBooking
	}
	return b, err
}

// Bookings returns the host's bookings, by start time.
func (a *app) Bookings(ctx context.Context, hostID string) ([]*Booking, error) {
	rows, err := a.db.QueryContext(ctx, `SELECT `+bookingColumns+` FROM scheduling_bookings WHERE host_id = $1 ORDER BY start_unix, created_at, id`, hostID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*Booking
	for rows.Next() {
		b, err := scanBooking(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, rows.Err()
}

func (a *app) insertBooking(ctx context.Context, b *Booking) error {
	_, err := a.db.ExecContext(ctx, `INSERT INTO scheduling_bookings (`+bookingColumns+`)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
		b.ID, b.HostID, b.ClientName, b.ClientEmail, b.Start.Unix(), b.DurationMin, b.Status,
		b.Conferencing, b.ZoomMeetingID, b.JoinURL, b.Note, b.CreatedAt.Unix())
	return err
}

func (a *app) updateBooking(ctx context.Context, b *Booking) error {
	_, err := a.db.ExecContext(ctx, `UPDATE scheduling_bookings SET start_unix = $2, status = $3, conferencing = $4,
zoom_meeting_id = $5, join_url = $6, note = $7 WHERE id = $1`,
		b.ID, b.Start.Unix(), b.Status, b.Conferencing, b.ZoomMeetingID, b.JoinURL, b.Note)
	return err
}

// removeZoomData deletes what the app holds about a host's Zoom user: the
// token, the connection and the settings that referred to Zoom (the
// default goes back to built-in calls).
func (a *app) removeZoomData(ctx context.Context, c *Connection) error {
	if err := a.tokens.Delete(ctx, c.TokenKey); err != nil {
		return fmt.Errorf("deleting the Zoom token: %w", err)
	}
	a.forget(c.TokenKey)
	if _, err := a.db.ExecContext(ctx, `DELETE FROM scheduling_zoom_connections WHERE host_id = $1`, c.HostID); err != nil {
		return err
	}
	return a.putDefaultConferencing(ctx, c.HostID, confBuiltin)
}
