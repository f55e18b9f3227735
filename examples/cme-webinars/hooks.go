package main

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/zoomkit/zoomkit/examples/internal/exkit"
	"github.com/zoomkit/zoomkit/webhook"
)

// The webhook functions. The endpoint verifies a delivery, deduplicates
// it and queues it; a worker replica runs its function (async.go). An
// error puts the event back in the queue, retried after a backoff, so a
// function may run more than once for one event: each is idempotent.

// onStarted records the instance that runs (its uuid names it in the
// report and absentee calls).
func (a *app) onStarted(ctx context.Context, _ *webhook.Event, p *webhook.WebinarStartedPayload) error {
	id := int64(p.Object.ID)
	res, err := a.env.DB.ExecContext(ctx, `UPDATE cme_webinars_activities SET status = 'live', instance_uuid = $2, started_at = $3 WHERE webinar_id = $1`,
		id, p.Object.UUID, unix(p.Object.StartTime.Time))
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n > 0 {
		a.worked(ctx, "webinar.started", "webinar %d is live, instance %s", id, p.Object.UUID)
	}
	return nil
}

// participantEmail is the email of a participant of a live event. Zoom
// leaves it empty for participants who are not signed in to the account,
// as the physicians are: their registration gives it.
func (a *app) participantEmail(ctx context.Context, webinarID int64, registrantID, email string) string {
	if email == "" && registrantID != "" {
		_ = a.env.DB.QueryRowContext(ctx, `SELECT email FROM cme_webinars_registrants WHERE webinar_id = $1 AND registrant_id = $2`,
			webinarID, registrantID).Scan(&email)
	}
	return strings.ToLower(email)
}

// onJoined opens an attendance segment. The primary key (instance,
// participant, join time) makes a redelivery harmless even without the
// deduper.
func (a *app) onJoined(ctx context.Context, _ *webhook.Event, p *webhook.WebinarParticipantJoinedPayload) error {
	id := int64(p.Object.ID)
	if _, err := a.activity(ctx, id); errors.Is(err, errNoActivity) {
		return nil // another webinar of the account
	} else if err != nil {
		return err
	}
	pp := p.Object.Participant
	join := pp.JoinTime.Time
	if join.IsZero() {
		join = a.now()
	}
	if err := a.injectedFault(); err != nil {
		return fmt.Errorf("recording %s's stay: %w", pp.UserName, err)
	}
	_, err := a.env.DB.ExecContext(ctx, `INSERT INTO cme_webinars_attendance (webinar_id, instance_uuid, participant_id, registrant_id, email, name, join_at, leave_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, 0) ON CONFLICT (instance_uuid, participant_id, join_at) DO NOTHING`,
		id, p.Object.UUID, pp.UserID, pp.RegistrantID, a.participantEmail(ctx, id, pp.RegistrantID, pp.Email), pp.UserName, join.Unix())
	if err != nil {
		return err
	}
	a.worked(ctx, "webinar.participant_joined", "%s joined at %s", pp.UserName, join.Format("15:04"))
	return nil
}

// onLeft closes the participant's open segment. Without one (the joined
// event never arrived), it records the leave alone: the reconciliation
// takes the time from Zoom's report.
func (a *app) onLeft(ctx context.Context, _ *webhook.Event, p *webhook.WebinarParticipantLeftPayload) error {
	id := int64(p.Object.ID)
	if _, err := a.activity(ctx, id); errors.Is(err, errNoActivity) {
		return nil
	} else if err != nil {
		return err
	}
	pp := p.Object.Participant
	leave := pp.LeaveTime.Time
	if leave.IsZero() {
		leave = a.now()
	}
	if err := a.injectedFault(); err != nil {
		return fmt.Errorf("closing %s's stay: %w", pp.UserName, err)
	}
	res, err := a.env.DB.ExecContext(ctx, `UPDATE cme_webinars_attendance SET leave_at = $3
		WHERE instance_uuid = $1 AND participant_id = $2 AND leave_at = 0 AND join_at <= $3`, p.Object.UUID, pp.UserID, leave.Unix())
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n > 0 {
		a.worked(ctx, "webinar.participant_left", "%s left at %s", pp.UserName, leave.Format("15:04"))
		return nil
	}
	_, err = a.env.DB.ExecContext(ctx, `INSERT INTO cme_webinars_attendance (webinar_id, instance_uuid, participant_id, registrant_id, email, name, join_at, leave_at)
		VALUES ($1, $2, $3, $4, $5, $6, 0, $7) ON CONFLICT (instance_uuid, participant_id, join_at) DO NOTHING`,
		id, p.Object.UUID, pp.UserID, pp.RegistrantID, a.participantEmail(ctx, id, pp.RegistrantID, pp.Email), pp.UserName, leave.Unix())
	if err != nil {
		return err
	}
	a.worked(ctx, "webinar.participant_left", "%s left at %s, but no join was recorded for this stay", pp.UserName, leave.Format("15:04"))
	return nil
}

func (a *app) onEnded(ctx context.Context, _ *webhook.Event, p *webhook.WebinarEndedPayload) error {
	id := int64(p.Object.ID)
	end := p.Object.EndTime.Time
	if end.IsZero() {
		end = a.now()
	}
	res, err := a.env.DB.ExecContext(ctx, `UPDATE cme_webinars_activities SET status = CASE WHEN status = 'credited' THEN status ELSE 'ended' END,
		instance_uuid = $2, ended_at = $3, started_at = CASE WHEN started_at = 0 THEN $4 ELSE started_at END WHERE webinar_id = $1`,
		id, p.Object.UUID, end.Unix(), unix(p.Object.StartTime.Time))
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n > 0 {
		a.worked(ctx, "webinar.ended", "webinar %d ended at %s", id, end.Format("15:04"))
	}
	return nil
}

// onApproved records approvals made in Zoom (the host's web portal).
func (a *app) onApproved(ctx context.Context, _ *webhook.Event, p *webhook.WebinarRegistrationApprovedPayload) error {
	id := int64(p.Object.ID)
	if _, err := a.activity(ctx, id); errors.Is(err, errNoActivity) {
		return nil
	} else if err != nil {
		return err
	}
	r := p.Object.Registrant
	return a.markApproved(ctx, registrant{WebinarID: id, RegistrantID: r.ID, Email: r.Email, FirstName: r.FirstName, LastName: r.LastName, Status: "approved", JoinURL: r.JoinURL})
}

// segments returns the attendance recorded from webhooks, in join order.
func (a *app) segments(ctx context.Context, webinarID int64) ([]segment, error) {
	rows, err := a.env.DB.QueryContext(ctx, `SELECT participant_id, registrant_id, email, name, join_at, leave_at
		FROM cme_webinars_attendance WHERE webinar_id = $1 ORDER BY CASE WHEN join_at = 0 THEN leave_at ELSE join_at END, participant_id`, webinarID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []segment
	for rows.Next() {
		var s segment
		var j, l int64
		if err := rows.Scan(&s.ParticipantID, &s.RegistrantID, &s.Email, &s.Name, &j, &l); err != nil {
			return nil, err
		}
		s.Join, s.Leave = fromUnix(j), fromUnix(l)
		out = append(out, s)
	}
	return out, rows.Err()
}

// deauthorized handles app_deauthorized, which Zoom sends when the admin
// removes the app: Zoom has revoked the tokens; the platform deletes the
// grant and stops calling Zoom. Activities, registrations, attendance and
// credit are the platform's records of accredited education: they are
// kept.
func (a *app) deauthorized(ctx context.Context, _ *webhook.Event, p *webhook.AppDeauthorizedPayload) error {
	a.worked(ctx, "app_deauthorized", "the app was removed by Zoom user %s, account %s", p.UserID, p.AccountID)
	if p.ClientID != "" && p.ClientID != a.env.OAuth.ClientID {
		a.log.Note("it is for another app (client id %s): ignored", p.ClientID)
		return nil
	}
	var o *org
	var err error
	if p.AccountID != "" {
		o, err = a.organisationOf(ctx, p.AccountID)
	} else {
		o, err = a.organisation(ctx)
	}
	if errors.Is(err, exkit.ErrNotConnected) {
		a.log.Note("no connection for that account: nothing to remove")
		return nil
	}
	if err != nil {
		return err // back to the queue: retried
	}
	if err := a.env.Tokens.Delete(ctx, o.TokenKey); err != nil {
		return fmt.Errorf("deleting the Zoom grant: %w", err)
	}
	a.dropClient()
	if _, err := a.env.DB.ExecContext(ctx, `UPDATE cme_webinars_org SET disconnected_at = $2 WHERE account_id = $1`, o.AccountID, a.now().Unix()); err != nil {
		return err
	}
	var nAtt, nCred int
	_ = a.env.DB.QueryRowContext(ctx, `SELECT COUNT(*) FROM cme_webinars_attendance`).Scan(&nAtt)
	_ = a.env.DB.QueryRowContext(ctx, `SELECT COUNT(*) FROM cme_webinars_credits`).Scan(&nCred)
	a.log.OK("Zoom grant deleted; organisation marked disconnected; %d attendance record(s) and %d credit record(s) kept", nAtt, nCred)
	err = a.mail.Send(ctx, exkit.Email{
		To:      o.AdminEmail,
		Subject: "Zoom disconnected from your CME platform",
		Body: "The CME platform app was removed from Zoom account " + o.AccountID + ".\n\n" +
			"We deleted the Zoom connection and make no further calls to Zoom. Your CME activities,\n" +
			"registrations, attendance and credit records are kept: they are the records of\n" +
			"accredited education and stay available for transcripts and audits.\n\n" +
			"To schedule new CME webinars, an admin connects Zoom again.\n",
	})
	if err != nil {
		a.log.Fail("sending the disconnection email to %s failed: %v", o.AdminEmail, err)
		return nil
	}
	a.log.OK("email \"Zoom disconnected\" sent to %s", o.AdminEmail)
	return nil
}
