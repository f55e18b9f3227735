package main

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/zoomkit/zoomkit/examples/internal/exkit"
	"github.com/zoomkit/zoomkit/zoom"
)

// creditRow is one registrant's attendance and credit for an activity.
type creditRow struct {
	Name           string
	Email          string
	RegistrantID   string
	WebhookSeconds int // from the webinar.participant_* webhooks
	ReportSeconds  int // from Zoom's participant report
	Minutes        int // attended, whole minutes (from the seconds retained)
	PercentTenths  int // of the scheduled duration, in tenths of a percent
	Credit         float64
	Absent         bool
	Note           string
}

// Awarded reports whether credit was awarded.
func (r creditRow) Awarded() bool { return r.Credit > 0 }

// Percent is the share of the scheduled duration attended.
func (r creditRow) Percent() string {
	return strconv.FormatFloat(float64(r.PercentTenths)/10, 'f', 1, 64)
}

// reconciliation is what reconcileAndCredit found and did.
type reconciliation struct {
	Activity     *activity
	Rows         []creditRow
	ReportRows   int      // rows (stays) in Zoom's participant report
	Absentees    []string // emails of registrants without attendance (never an attendee)
	Unregistered []string // report participants who were not registered
	CSVPath      string
}

// interval is a stay in the webinar.
type interval struct{ from, to time.Time }

// attendedSeconds is the length of the union of the stays: leaving and
// rejoining adds the stays; two devices at once count once.
func attendedSeconds(stays []interval) int {
	sort.Slice(stays, func(i, j int) bool { return stays[i].from.Before(stays[j].from) })
	var total time.Duration
	var cur interval
	have := false
	for _, s := range stays {
		switch {
		case !s.to.After(s.from):
			// an empty or unknown stay
		case !have:
			cur, have = s, true
		case s.from.After(cur.to):
			total += cur.to.Sub(cur.from)
			cur = s
		case s.to.After(cur.to):
			cur.to = s.to
		}
	}
	if have {
		total += cur.to.Sub(cur.from)
	}
	return int(total / time.Second)
}

// reconcileAndCredit runs after the webinar: it reads Zoom's participant
// report and absentee list for the instance that ran, reconciles them with
// the attendance recorded from webhooks, awards credit to the registrants
// who attended at least 75% of the scheduled duration, saves the result,
// writes the CSV and emails each registrant.
//
// Rule: the participant report is Zoom's record of the whole session, so
// it wins over the webhooks when they disagree (a delivery can be lost);
// a registrant missing from the report keeps the webhook attendance, and
// any difference of a minute or more is noted on the row.
func (a *app) reconcileAndCredit(ctx context.Context, webinarID int64) (*reconciliation, error) {
	act, err := a.activity(ctx, webinarID)
	if err != nil {
		return nil, err
	}
	if act.Status == "scheduled" || act.Status == "live" {
		return nil, inputErr("webinar %d has not ended yet", webinarID)
	}
	if act.Status == "cancelled" {
		return nil, inputErr("webinar %d was cancelled: there is no attendance to credit", webinarID)
	}
	c, err := a.zoomClient(ctx)
	if err != nil {
		return nil, err
	}
	inst := zoom.LatestOf(zoom.ID(webinarID))
	if act.InstanceUUID != "" {
		inst = zoom.InstanceID(act.InstanceUUID)
	}
	rec := &reconciliation{Activity: act}

	regs, err := a.registrants(ctx, webinarID)
	if err != nil {
		return nil, err
	}
	byID, byEmail := map[string]int{}, map[string]int{}
	rows := []creditRow{}
	for _, r := range regs {
		if r.Status != "approved" {
			continue
		}
		byID[r.RegistrantID] = len(rows)
		byEmail[strings.ToLower(r.Email)] = len(rows)
		rows = append(rows, creditRow{Name: r.Name(), Email: strings.ToLower(r.Email), RegistrantID: r.RegistrantID})
	}
	find := func(registrantID, email string) (int, bool) {
		if i, ok := byID[registrantID]; ok && registrantID != "" {
			return i, true
		}
		i, ok := byEmail[strings.ToLower(email)]
		return i, ok && email != ""
	}

	// Webhook attendance.
	segs, err := a.segments(ctx, webinarID)
	if err != nil {
		return nil, err
	}
	hookStays := map[int][]interval{}
	incomplete := map[int]bool{}
	for _, s := range segs {
		i, ok := find(s.RegistrantID, s.Email)
		if !ok {
			continue
		}
		leave := s.Leave
		if leave.IsZero() {
			leave = act.EndedAt // the webinar's end closes every stay
		}
		if s.Join.IsZero() {
			incomplete[i] = true
			continue
		}
		hookStays[i] = append(hookStays[i], interval{s.Join, leave})
	}

	// Zoom's participant report, with the registrant ids (Zoom leaves them
	// out unless asked).
	a.log.Call("GET", "/report/webinars/{webinarId}/participants", "reportWebinarParticipants")
	reportStays := map[int][]interval{}
	unregistered := map[string]bool{}
	for p, err := range c.Reports.ListWebinarParticipantsAll(ctx, inst, &zoom.ListWebinarParticipantsReportOptions{
		PageSize: 300, IncludeFields: zoom.ParticipantIncludeFieldRegistrantID}) {
		if err != nil {
			if notMadeYet(err) {
				return nil, fmt.Errorf("webinar %d: %w (%w)", webinarID, errReportNotReady, err)
			}
			return nil, fmt.Errorf("reading the participant report of webinar %d: %w", webinarID, err)
		}
		rec.ReportRows++
		i, ok := find(p.RegistrantID, p.UserEmail)
		if !ok {
			unregistered[strings.TrimSpace(p.Name+" "+p.UserEmail)] = true
			continue
		}
		from, to := p.JoinTime.Time, p.LeaveTime.Time
		if to.IsZero() && p.Duration > 0 {
			to = from.Add(time.Duration(p.Duration) * time.Second)
		}
		reportStays[i] = append(reportStays[i], interval{from, to})
	}
	for n := range unregistered {
		rec.Unregistered = append(rec.Unregistered, n)
	}
	sort.Strings(rec.Unregistered)

	// Zoom's absentees: approved registrants who did not join.
	a.log.Call("GET", "/past_webinars/{webinarId}/absentees", "webinarAbsentees")
	zoomAbsent := map[int]bool{}
	for r, err := range c.Webinars.ListAbsenteesAll(ctx, inst, &zoom.ListWebinarAbsenteesOptions{PageSize: 300}) {
		if err != nil {
			return nil, fmt.Errorf("reading the absentees of webinar %d: %w", webinarID, err)
		}
		rec.Absentees = append(rec.Absentees, strings.ToLower(r.Email))
		if i, ok := find(r.ID, r.Email); ok {
			zoomAbsent[i] = true
		}
	}

	scheduled := act.Duration * 60
	for i := range rows {
		r := &rows[i]
		r.WebhookSeconds = attendedSeconds(hookStays[i])
		r.ReportSeconds = attendedSeconds(reportStays[i])
		seconds := r.WebhookSeconds
		inReport := len(reportStays[i]) > 0
		var notes []string
		switch {
		case inReport:
			seconds = r.ReportSeconds
			if d := r.ReportSeconds - r.WebhookSeconds; d >= 60 || d <= -60 {
				notes = append(notes, fmt.Sprintf("webhooks %d min, report %d min: report used", r.WebhookSeconds/60, r.ReportSeconds/60))
			}
		case r.WebhookSeconds > 0:
			notes = append(notes, "not in Zoom's report: webhook attendance used")
		}
		if incomplete[i] {
			notes = append(notes, "a stay without its participant_joined webhook")
		}
		absent, credited, note := attendanceRule(seconds, scheduled, zoomAbsent[i])
		if note != "" {
			notes = append(notes, note)
		}
		r.Absent = absent
		r.Minutes = seconds / 60
		if scheduled > 0 {
			r.PercentTenths = min((seconds*1000+scheduled/2)/scheduled, 1000) // rounded; the rule uses the seconds
		}
		if credited {
			r.Credit = act.CreditHours
		}
		r.Note = strings.Join(notes, "; ")
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].Name < rows[j].Name })
	rec.Rows = rows
	// The absentees shown are those without attendance: Zoom's list may
	// name someone whose attendance the platform recorded.
	rec.Absentees = rec.Absentees[:0]
	for _, r := range rows {
		if r.Absent {
			rec.Absentees = append(rec.Absentees, strings.ToLower(r.Email))
		}
	}
	sort.Strings(rec.Absentees)

	if err := a.saveCredits(ctx, webinarID, rows); err != nil {
		return nil, err
	}
	a.log.OK("report: %d stays; absentees: %s", rec.ReportRows, strings.Join(rec.Absentees, ", "))
	for _, r := range rows {
		credit := "no credit"
		if r.Awarded() {
			credit = fmt.Sprintf("%.2f AMA PRA Category 1 Credit", r.Credit)
		}
		line := fmt.Sprintf("%-16s %2d min %5s%%  %s", r.Name, r.Minutes, r.Percent(), credit)
		if r.Note != "" {
			line += "  (" + r.Note + ")"
		}
		a.log.OK("%s", line)
	}
	for _, u := range rec.Unregistered {
		a.log.Note("in the report but not registered, no credit: %s", u)
	}
	rec.CSVPath = filepath.Join(a.env.Cfg.DataDir, fmt.Sprintf("cme-credit-%d.csv", webinarID))
	if err := writeCSVFile(rec.CSVPath, rows); err != nil {
		return nil, fmt.Errorf("writing the credit CSV: %w", err)
	}
	a.log.OK("CSV written: %s", rec.CSVPath)
	first := act.Status != "credited"
	if _, err := a.env.DB.ExecContext(ctx, `UPDATE cme_webinars_activities SET status = 'credited' WHERE webinar_id = $1`, webinarID); err != nil {
		return nil, err
	}
	act.Status = "credited"
	if first {
		if err := a.notifyCredit(ctx, act, rows); err != nil {
			return rec, err
		}
	}
	return rec, nil
}

func (a *app) saveCredits(ctx context.Context, webinarID int64, rows []creditRow) error {
	tx, err := a.env.DB.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() { _ = tx.Rollback() }()
	if _, err := tx.ExecContext(ctx, `DELETE FROM cme_webinars_credits WHERE webinar_id = $1`, webinarID); err != nil {
		return err
	}
	now := a.now().Unix()
	for _, r := range rows {
		absent := 0
		if r.Absent {
			absent = 1
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO cme_webinars_credits (webinar_id, email, name, registrant_id, webhook_seconds, report_seconds, minutes, percent_tenths, credit_centi, absent, note, computed_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
			webinarID, r.Email, r.Name, r.RegistrantID, r.WebhookSeconds, r.ReportSeconds, r.Minutes, r.PercentTenths, int(r.Credit*100+0.5), absent, r.Note, now); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// credits returns the saved credit rows of an activity, by name.
func (a *app) credits(ctx context.Context, webinarID int64) ([]creditRow, error) {
	rows, err := a.env.DB.QueryContext(ctx, `SELECT email, name, registrant_id, webhook_seconds, report_seconds, minutes, percent_tenths, credit_centi, absent, note
		FROM cme_webinars_credits WHERE webinar_id = $1 ORDER BY name`, webinarID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []creditRow
	for rows.Next() {
		var r creditRow
		var centi, absent int
		if err := rows.Scan(&r.Email, &r.Name, &r.RegistrantID, &r.WebhookSeconds, &r.ReportSeconds, &r.Minutes, &r.PercentTenths, &centi, &absent, &r.Note); err != nil {
			return nil, err
		}
		r.Credit, r.Absent = float64(centi)/100, absent != 0
		out = append(out, r)
	}
	return out, rows.Err()
}

// csvHeader is the credit CSV's header row.
var csvHeader = []string{"name", "email", "minutes_attended", "percent_of_scheduled", "credit_awarded", "credit_hours", "note"}

func writeCSV(w io.Writer, rows []creditRow) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(csvHeader); err != nil {
		return err
	}
	for _, r := range rows {
		awarded := "no"
		if r.Awarded() {
			awarded = "yes"
		}
		if err := cw.Write([]string{r.Name, r.Email, strconv.Itoa(r.Minutes), r.Percent(), awarded,
			strconv.FormatFloat(r.Credit, 'f', 2, 64), r.Note}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func writeCSVFile(path string, rows []creditRow) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := writeCSV(f, rows); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// notifyCredit emails each registrant their result: a certificate of
// credit, or the attendance recorded and why no credit was awarded.
func (a *app) notifyCredit(ctx context.Context, act *activity, rows []creditRow) error {
	sent := 0
	for _, r := range rows {
		e := exkit.Email{To: r.Email}
		if r.Awarded() {
			e.Subject = "CME certificate: " + act.Topic
			e.Body = fmt.Sprintf("Dear %s,\n\nThank you for attending %q on %s.\n\n"+
				"You attended %d of %d scheduled minutes (%s%%) and are awarded %.2f AMA PRA Category 1 Credit(s)(TM).\n"+
				"This certificate is recorded in your CME transcript.\n",
				r.Name, act.Topic, act.Start.Format("2 Jan 2006"), r.Minutes, act.Duration, r.Percent(), r.Credit)
		} else if r.Absent {
			e.Subject = "CME attendance: " + act.Topic
			e.Body = fmt.Sprintf("Dear %s,\n\nWe missed you at %q on %s: Zoom recorded no attendance for your registration,\n"+
				"so no credit was awarded. If you attended with another link or device, reply to this email.\n",
				r.Name, act.Topic, act.Start.Format("2 Jan 2006"))
		} else {
			e.Subject = "CME attendance: " + act.Topic
			e.Body = fmt.Sprintf("Dear %s,\n\nOur records show %d of %d scheduled minutes (%s%%) for %q on %s.\n\n"+
				"Credit requires attendance of at least %d%% of the scheduled time, so no credit was awarded.\n"+
				"If you believe this is wrong, reply to this email.\n",
				r.Name, r.Minutes, act.Duration, r.Percent(), act.Topic, act.Start.Format("2 Jan 2006"), int(creditThreshold*100))
		}
		if err := a.mail.Send(ctx, e); err != nil {
			return fmt.Errorf("emailing %s: %w", r.Email, err)
		}
		sent++
	}
	a.log.OK("%d email(s) sent: certificates and attendance notices", sent)
	return nil
}

// errReportNotReady: Zoom has not made the webinar's participant report
// yet. Zoom makes it some time after the end (up to 30 minutes); until
// then the report endpoint answers 404 with code 3001, as for an unknown
// webinar. The coordinator reconciles again later.
var errReportNotReady = errors.New("the participant report is not ready: Zoom makes it up to 30 minutes after the end, try again later")

// notMadeYet reports whether err is Zoom's answer for a report of an
// ended webinar that is not made yet.
func notMadeYet(err error) bool {
	var api *zoom.APIError
	return errors.As(err, &api) && api.StatusCode == 404 && api.Code == 3001
}

// errNoCredits: the activity has not been credited yet.
var errNoCredits = errors.New("credit has not been awarded for this activity yet")

// creditCSV writes the saved credit rows of an activity as CSV.
func (a *app) creditCSV(ctx context.Context, w io.Writer, webinarID int64) error {
	rows, err := a.credits(ctx, webinarID)
	if err != nil {
		return err
	}
	if len(rows) == 0 {
		return errNoCredits
	}
	return writeCSV(w, rows)
}

// attendanceRule decides from the seconds attended whether a registrant is
// absent and whether they earn credit. Someone with recorded attendance is
// an attendee even when Zoom's absentee list names them, and credit needs
// at least one whole minute and the threshold share of a scheduled
// duration, so a 0-minute attendee is never credited.
func attendanceRule(seconds, scheduled int, zoomAbsent bool) (absent, credited bool, note string) {
	switch {
	case seconds == 0 && zoomAbsent:
		return true, false, "absent: in Zoom's absentee list"
	case seconds == 0:
		return true, false, "absent"
	case zoomAbsent:
		note = "in Zoom's absentee list, yet attendance was recorded: counted as attended"
	}
	credited = scheduled > 0 && seconds >= 60 && float64(seconds) >= creditThreshold*float64(scheduled)
	return false, credited, note
}
