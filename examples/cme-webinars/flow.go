package main

import (
	"context"
	"errors"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/zoomkit/zoomkit/examples/internal/exkit"
	"github.com/zoomkit/zoomkit/zoom"
	"github.com/zoomkit/zoomkit/zoom/zoomtest"
)

// The people of the scenario: the organisation's Zoom admin (the account
// owner), a faculty member who hosts the webinar (a licensed user to whom
// the admin assigned the Webinar add-on: a license alone hosts no
// webinar), and physicians from outside the account who register.
const orgAdmin = "cme-admin@pom.example"

var (
	faculty   = zoomtest.User{Email: "lena.chen@pom.example", FirstName: "Lena", LastName: "Chen", Type: 2, Webinar: true, Dept: "Cardiology"}
	okafor    = person{"Amara", "Okafor", "amara.okafor@stmarys.example"}
	fernandez = person{"Luis", "Fernandez", "luis.fernandez@cityclinic.example"}
	weiss     = person{"Hannah", "Weiss", "hannah.weiss@northside.example"}
	sato      = person{"Kenji", "Sato", "kenji.sato@bayhealth.example"}
	nair      = person{"Priya", "Nair", "priya.nair@lakeside.example"}
)

// seedAccount adds the faculty host to the fake account and makes the
// admin the user who approves the consent.
func seedAccount(fake *zoomtest.Server) error {
	if _, err := fake.AddUser(faculty); err != nil {
		return fmt.Errorf("seeding the fake Zoom: %w", err)
	}
	return fake.SetAuthorizingUser(orgAdmin)
}

// outage wraps the app: while down, its webhook endpoint answers 503, as
// during a failed deploy. It stands for the network, not for the app.
type outage struct {
	h    http.Handler
	down atomic.Bool
}

func (o *outage) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if o.down.Load() && r.URL.Path == exkit.WebhookPath {
		http.Error(w, "service unavailable", http.StatusServiceUnavailable)
		return
	}
	o.h.ServeHTTP(w, r)
}

// flowResult is what the scripted flow did, for its test.
type flowResult struct {
	AdminID       string
	WebinarID     int64
	Rec           *reconciliation
	ReplayStatus  int       // the app's answer to a redelivered event
	RetriedEvent  string    // the delivery that failed during the outage, and Zoom retried
	WorkerRetried bool      // a worker's failed attempt was retried from the queue
	Refreshes     int       // token refreshes at the reconciliation, a day after connecting
	RequestsAfter int       // Zoom requests made after the uninstall
	MemberRefused string    // Zoom's message when a member approved the app
	Renamed       string    // the webinar's title after the coordinator corrected it
	CancelledID   int64     // the webinar scheduled by mistake and cancelled
	Listed        []int64   // Dr. Chen's webinars as Zoom lists them after the cancel
	Stays         []segment // the webhook stays, as recorded after the end
	PurgedEarly   int64     // stays deleted a day after the uninstall
	Purged        int64     // stays deleted after the retention period
}

// renamedTopic is the webinar's title after the coordinator corrects it.
const renamedTopic = "Grand Rounds: Hypertension management update 2026 (AHA/ACC guideline)"

// zoomMessage is the message of a Zoom error page.
var zoomMessage = regexp.MustCompile(`<p>([^<]*)</p>`)

// runFlow runs the product's flow against the embedded fake Zoom, through
// the app's own code paths, printing each step. It uses the fake only for
// what people and Zoom do: approving the consent, hosting and attending
// the webinar, removing the app.
func runFlow(ctx context.Context, env *exkit.Env, a *app, clock *exkit.Clock) (*flowResult, error) {
	if env.Fake == nil || clock == nil {
		return nil, errors.New("the scripted flow runs against the embedded fake Zoom; use -serve with real Zoom")
	}
	log := env.Log
	res := &flowResult{}
	net := &outage{h: a}
	env.Start(net)

	log.Step("Start the CME platform and the fake Zoom")
	if err := seedAccount(env.Fake); err != nil {
		return nil, err
	}
	log.Note("app: OAuth (authorization code), installed once for the account by an admin; scopes: %s", strings.Join(appScopes, " "))
	log.Note("webhook %s%s, verified by x-zm-signature; events deduplicated in the database", env.BaseURL, exkit.WebhookPath)
	log.Note("webhook events are queued (%s) and worked by %d worker replicas; Zoom gets its 200 before the work", queueName(a), replicas)
	log.Note("account: admin %s; faculty host Dr. %s %s <%s> (licensed, webinar plan)", orgAdmin, faculty.FirstName, faculty.LastName, faculty.Email)

	log.Step("Dr. Chen, a member of the account, clicks Connect Zoom first")
	if err := env.Fake.SetAuthorizingUser(faculty.Email); err != nil {
		return nil, err
	}
	log.Call("GET", "/oauth/authorize", "consent, approved as "+faculty.Email)
	status, page, err := exkit.NewBrowser().Get(ctx, env.BaseURL+exkit.ConnectPath)
	if err != nil {
		return nil, fmt.Errorf("connect Zoom as a member: %w", err)
	}
	m := zoomMessage.FindStringSubmatch(page)
	if status != http.StatusForbidden || m == nil {
		return nil, fmt.Errorf("connect Zoom as a member: the browser ended on a %d page, not Zoom's refusal", status)
	}
	res.MemberRefused = html.UnescapeString(m[1])
	if o, err := a.organisation(ctx); err == nil && o.Connected() {
		return nil, errors.New("a member's approval connected the organisation")
	}
	log.Fail("Zoom refused on its consent page: %s", res.MemberRefused)
	log.Note("the app is admin-managed: only the account owner or an admin can install it; the platform got no code and no token")
	if err := env.Fake.SetAuthorizingUser(orgAdmin); err != nil {
		return nil, err
	}

	log.Step("The admin clicks Connect Zoom and approves the app for the organisation")
	log.Call("GET", "/oauth/authorize", "consent, approved as "+orgAdmin)
	status, _, err = exkit.NewBrowser().Get(ctx, env.BaseURL+exkit.ConnectPath)
	if err != nil {
		return nil, fmt.Errorf("connect Zoom: %w", err)
	}
	o, err := a.organisation(ctx)
	if err != nil || status != http.StatusOK || !o.Connected() {
		return nil, fmt.Errorf("connect Zoom: the browser ended on a %d page; organisation: %v", status, err)
	}
	res.AdminID = o.AdminID
	log.OK("the browser is back on the platform's home page")

	log.Step("The CME coordinator schedules a webinar for Dr. Chen, with registration")
	start := clock.Now().Add(24 * time.Hour)
	act, err := a.createActivity(ctx, activityRequest{
		Topic: "Grand Rounds: Hypertension management update 2026", HostEmail: faculty.Email,
		Start: start, Duration: 60, CreditHours: 1,
	})
	if err != nil {
		return nil, err
	}
	res.WebinarID = act.WebinarID
	log.Note("the admin grant acts for the host: POST /users/%s/webinars needs webinar:write:admin", faculty.Email)

	log.Step("The coordinator corrects the webinar's title")
	if err := a.updateActivity(ctx, act.WebinarID, activityChange{Topic: renamedTopic, Start: act.Start, Duration: act.Duration}); err != nil {
		return nil, err
	}
	if act, err = a.activity(ctx, act.WebinarID); err != nil {
		return nil, err
	}
	if zw, ok := env.Fake.Meeting(zoom.ID(act.WebinarID)); !ok || zw.Topic != renamedTopic || act.Topic != renamedTopic {
		return nil, fmt.Errorf("after the rename, Zoom has %q and the platform %q", zw.Topic, act.Topic)
	}
	res.Renamed = act.Topic
	log.OK("Zoom and the platform both call webinar %d %q", act.WebinarID, act.Topic)

	log.Step("A second session is moved an hour later, then cancelled (a duplicate)")
	extra, err := a.createActivity(ctx, activityRequest{
		Topic: "Grand Rounds: Hypertension (duplicate)", HostEmail: faculty.Email,
		Start: start.Add(time.Hour), Duration: 60, CreditHours: 1,
	})
	if err != nil {
		return nil, err
	}
	if err := a.updateActivity(ctx, extra.WebinarID, activityChange{Start: extra.Start.Add(time.Hour), Duration: 90}); err != nil {
		return nil, err
	}
	if err := a.cancelActivity(ctx, extra.WebinarID); err != nil {
		return nil, err
	}
	if extra, err = a.activity(ctx, extra.WebinarID); err != nil || extra.Status != "cancelled" {
		return nil, fmt.Errorf("after cancelling, the activity is %+v (%v)", extra, err)
	}
	res.CancelledID = extra.WebinarID
	log.OK("the platform keeps activity %d, marked %s", extra.WebinarID, extra.Status)
	listed, err := a.zoomWebinars(ctx, faculty.Email)
	if err != nil {
		return nil, err
	}
	for _, w := range listed {
		res.Listed = append(res.Listed, int64(w.ID))
		log.OK("in Zoom, Dr. Chen's webinar %d %q at %s UTC", w.ID, w.Topic, w.StartTime.UTC().Format("2006-01-02 15:04"))
	}

	log.Step("Register four physicians in one batch")
	if _, err := a.registerBatch(ctx, act.WebinarID, []person{okafor, fernandez, weiss, sato}); err != nil {
		return nil, err
	}

	log.Step("Dr. Nair registers on her own, later")
	if _, err := a.register(ctx, act.WebinarID, nair); err != nil {
		return nil, err
	}

	log.Step("The coordinator approves the pending registrations")
	if _, err := a.approvePending(ctx, act.WebinarID); err != nil {
		return nil, err
	}
	if err := a.drain(ctx); err != nil {
		return nil, err
	}
	regs, err := a.registrants(ctx, act.WebinarID)
	if err != nil {
		return nil, err
	}
	for _, r := range regs {
		log.OK("%-16s %-36s %s", r.Name(), r.Email, r.Status)
	}

	log.Step("The next day, Dr. Chen starts the webinar on time (%s UTC)", start.Format("2006-01-02 15:04"))
	clock.Set(start)
	uuid, err := env.Fake.StartWebinar(zoom.ID(act.WebinarID))
	if err != nil {
		return nil, err
	}
	if err := a.drain(ctx); err != nil {
		return nil, err
	}
	at := func(min int, what string) {
		clock.Set(start.Add(time.Duration(min) * time.Minute))
		log.Note("+%02d min  %s", min, what)
	}
	joined := map[string]string{} // email → participant id of the current stay
	// Each event Zoom sends is queued, then worked: the flow waits for
	// the workers before the next thing happens, for a readable
	// transcript.
	join := func(p person) error {
		id, err := env.Fake.Join(zoom.ID(act.WebinarID), zoomtest.Participant{Name: p.Name(), Email: p.Email})
		joined[p.Email] = id
		return errors.Join(err, a.drain(ctx))
	}
	leave := func(p person) error {
		return errors.Join(env.Fake.Leave(zoom.ID(act.WebinarID), joined[p.Email]), a.drain(ctx))
	}

	at(0, "Dr. Okafor and Dr. Fernandez join")
	if err := errors.Join(join(okafor), join(fernandez)); err != nil {
		return nil, err
	}

	log.Step("Zoom delivers Dr. Fernandez's participant_joined again (no 200 seen in time)")
	res.ReplayStatus, err = redeliverLast(ctx, env, "webinar.participant_joined")
	if err != nil {
		return nil, err
	}
	segs, err := a.segments(ctx, act.WebinarID)
	if err != nil {
		return nil, err
	}
	if res.ReplayStatus != http.StatusOK || len(segs) != 2 {
		return nil, fmt.Errorf("redelivery: answered %d, %d stays recorded (want 200 and 2)", res.ReplayStatus, len(segs))
	}
	log.OK("answered 200 and deduplicated: still %d stays recorded", len(segs))

	log.Step("The webinar runs")
	at(5, "Dr. Nair joins")
	if err := join(nair); err != nil {
		return nil, err
	}
	at(20, "Dr. Fernandez leaves (a call); Dr. Weiss joins, 20 minutes late, while the attendance database fails once")
	if err := leave(fernandez); err != nil {
		return nil, err
	}
	a.faults.Store(1) // the next attendance write fails
	if err := join(weiss); err != nil {
		return nil, err
	}
	if segs, err = a.segments(ctx, act.WebinarID); err != nil {
		return nil, err
	}
	if a.faults.Load() != 0 || !slices.ContainsFunc(segs, func(s segment) bool { return s.Email == weiss.Email }) {
		return nil, errors.New("the join of Dr. Weiss was not recorded after the failed attempt")
	}
	res.WorkerRetried = true
	log.OK("the failed attempt was retried from the queue: Dr. Weiss's join is recorded once, with Zoom's join time; Zoom saw only a 200")
	at(25, "Dr. Fernandez rejoins")
	if err := join(fernandez); err != nil {
		return nil, err
	}
	at(30, "Dr. Nair's connection drops")
	if err := leave(nair); err != nil {
		return nil, err
	}
	at(32, "the platform's webhook endpoint is down (a failed deploy) while Dr. Nair rejoins")
	net.down.Store(true)
	err = join(nair)
	net.down.Store(false)
	if err != nil {
		return nil, err
	}
	dl := env.Fake.Deliveries()
	last := dl[len(dl)-1]
	if last.Status != http.StatusServiceUnavailable {
		return nil, fmt.Errorf("the delivery during the outage got %d", last.Status)
	}
	res.RetriedEvent = last.Event
	log.Fail("Zoom's delivery of %s failed (503); Zoom retries 5, 25 and 85 minutes after the first attempt", last.Event)
	at(34, "the endpoint is back")
	at(37, "Zoom retries the delivery, 5 minutes after the first attempt")
	if n := env.Fake.DeliverDue(); n != 1 {
		return nil, fmt.Errorf("the fake Zoom made %d retries at +37 min, want 1", n)
	}
	if err := a.drain(ctx); err != nil {
		return nil, err
	}
	dl = env.Fake.Deliveries()
	if last = dl[len(dl)-1]; last.Event != res.RetriedEvent || last.Attempt != 2 || last.Status != http.StatusOK {
		return nil, fmt.Errorf("the retry: %s attempt %d answered %d", last.Event, last.Attempt, last.Status)
	}
	log.OK("the retry is accepted, though it may carry the first attempt's timestamp: Dr. Nair's rejoin is recorded, 5 minutes late")
	at(60, "Dr. Chen ends the webinar; everyone still in leaves")
	if err := env.Fake.EndWebinar(zoom.ID(act.WebinarID)); err != nil {
		return nil, err
	}
	if err := a.drain(ctx); err != nil {
		return nil, err
	}
	if act, err = a.activity(ctx, act.WebinarID); err != nil {
		return nil, err
	}
	if act.Status != "ended" || act.InstanceUUID != uuid {
		return nil, fmt.Errorf("after the end the activity is %q, instance %q (want ended, %s)", act.Status, act.InstanceUUID, uuid)
	}
	log.Note("Dr. Sato never joined")

	log.Step("Attendance recorded from the webhooks")
	if segs, err = a.segments(ctx, act.WebinarID); err != nil {
		return nil, err
	}
	res.Stays = segs
	for _, s := range segs {
		from := "(join not received)"
		if !s.Join.IsZero() {
			from = s.Join.Format("15:04")
		}
		log.OK("%-16s %-20s → %s", s.Name, from, s.Leave.Format("15:04"))
	}

	log.Step("30 minutes later: reconcile with Zoom's participant report and absentees, award credit")
	log.Note("rule: credit when attended ≥ %d%% of the %d scheduled minutes (%d min); the report wins over webhooks",
		int(creditThreshold*100), act.Duration, int(creditThreshold*float64(act.Duration)))
	clock.Set(start.Add(90 * time.Minute))
	refreshes := env.Fake.TokenRequests()["refresh_token"]
	before, err := env.Tokens.Get(ctx, o.TokenKey)
	if err != nil {
		return nil, err
	}
	rec, err := a.reconcileAndCredit(ctx, act.WebinarID)
	if err != nil {
		return nil, err
	}
	res.Rec = rec
	res.Refreshes = env.Fake.TokenRequests()["refresh_token"] - refreshes
	after, err := env.Tokens.Get(ctx, o.TokenKey)
	if err != nil {
		return nil, err
	}
	if res.Refreshes != 1 || after.RefreshToken == before.RefreshToken {
		return nil, fmt.Errorf("a day after connecting: %d refresh(es), rotated refresh token saved: %v", res.Refreshes, after.RefreshToken != before.RefreshToken)
	}
	log.Note("the access token had expired since yesterday: it was refreshed once before the report call; Zoom rotated the refresh token and the new one is saved")

	log.Step("The admin removes the app from Zoom (Marketplace > Manage > Installed Apps > Remove)")
	log.Note("Zoom revokes the app's tokens and sends app_deauthorized to %s", exkit.WebhookPath)
	if err := env.Fake.Uninstall(o.AdminID); err != nil {
		return nil, err
	}
	if err := a.drain(ctx); err != nil {
		return nil, err
	}
	dl = env.Fake.Deliveries()
	if len(dl) == 0 || dl[len(dl)-1].Event != "app_deauthorized" || dl[len(dl)-1].Status != http.StatusOK {
		return nil, errors.New("app_deauthorized was not delivered and accepted")
	}
	log.OK("the app answered Zoom 200")
	if _, err := env.Tokens.Get(ctx, o.TokenKey); err == nil {
		return nil, errors.New("the Zoom grant is still in the token store")
	}

	log.Step("After the uninstall: the records stay, and Zoom is not called")
	n := len(env.Fake.Requests())
	rr := httptest.NewRecorder()
	a.ServeHTTP(rr, httptest.NewRequestWithContext(ctx, http.MethodGet, fmt.Sprintf("/webinars/%d", act.WebinarID), nil))
	if rr.Code != http.StatusOK || !strings.Contains(rr.Body.String(), okafor.Email) {
		return nil, fmt.Errorf("the activity page answered %d after the uninstall", rr.Code)
	}
	log.OK("the activity page shows the registrants, attendance and credit from the platform's records")
	_, err = a.approvePending(ctx, act.WebinarID)
	if !errors.Is(err, exkit.ErrNotConnected) {
		return nil, fmt.Errorf("after the uninstall, approving gave %v", err)
	}
	log.Fail("approving registrations: Zoom is not connected (an admin must connect Zoom again)")
	res.RequestsAfter = len(env.Fake.Requests()) - n
	if res.RequestsAfter != 0 {
		return nil, fmt.Errorf("%d Zoom request(s) were made after the uninstall", res.RequestsAfter)
	}
	log.OK("no Zoom request was made after the uninstall")

	log.Step("Retention: webhook stays are deleted %d days after the removal; credits stay", int(attendanceRetention.Hours()/24))
	clock.Advance(24 * time.Hour)
	if res.PurgedEarly, err = a.purgeExpired(ctx); err != nil {
		return nil, err
	}
	log.OK("a day later: %d attendance records deleted (within the retention period)", res.PurgedEarly)
	clock.Advance(attendanceRetention)
	if res.Purged, err = a.purgeExpired(ctx); err != nil {
		return nil, err
	}
	log.OK("%d days later: %d attendance records deleted; activities, registrations and credits are kept", 1+int(attendanceRetention.Hours()/24), res.Purged)

	log.Step("Done")
	log.Note("outbox: %s (%d emails)", filepath.Join(env.Cfg.DataDir, "outbox"), len(env.Mail.Sent()))
	log.Note("credit CSV: %s", rec.CSVPath)
	log.Note("database: %s", dbName(env))
	c := a.events.counters.Snapshot()
	log.Note("webhook events: %d queued, %d handled, %d failed attempt(s) retried, %d dead-lettered", c.Queued, c.Finished-c.Failed, c.Retried, c.DeadLettered)
	return res, nil
}

// redeliverLast posts the last delivery of event to the app again, byte
// for byte with its signature, as Zoom does when it saw no 200 in time.
func redeliverLast(ctx context.Context, env *exkit.Env, event string) (int, error) {
	dl := env.Fake.Deliveries()
	for i := len(dl) - 1; i >= 0; i-- {
		d := dl[i]
		if d.Event != event {
			continue
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, env.BaseURL+exkit.WebhookPath, strings.NewReader(string(d.Body)))
		if err != nil {
			return 0, err
		}
		req.Header = d.Header.Clone()
		req.Close = true
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return 0, err
		}
		resp.Body.Close()
		return resp.StatusCode, nil
	}
	return 0, fmt.Errorf("no %s delivery to repeat", event)
}

func dbName(env *exkit.Env) string {
	switch dsn := env.Cfg.DSN; {
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"):
		return "PostgreSQL (-db)"
	case dsn != "":
		return dsn
	}
	return filepath.Join(env.Cfg.DataDir, "app.db")
}

// queueName says where the webhook events are queued.
func queueName(a *app) string {
	if a.events.pg != nil {
		return "PostgreSQL table " + a.events.pg.Table()
	}
	return "in memory: pgqueue needs PostgreSQL"
}
