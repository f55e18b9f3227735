package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/zoomkit/zoomkit/examples/internal/exkit"
	"github.com/zoomkit/zoomkit/tokenstore"
	"github.com/zoomkit/zoomkit/zoom"
)

// flow drives the app the way PulsoDesk's users and Zoom do, printing each
// step with the Zoom calls it caused (read from the fake's request log) and
// the webhooks Zoom delivered meanwhile.
type flow struct {
	env        *exkit.Env
	app        *app
	log        *exkit.Transcript
	browser    *exkit.Browser
	seenReq    int
	seenHooks  int
	noRedirect *http.Client
}

// flowResult is what the flow did, for its test.
type flowResult struct {
	// Day is the date (in the workspace's zone) of the first meeting.
	Day                  time.Time
	First, Second, Third *meeting
	// Luis's is the meeting Luis scheduled in his own Zoom account.
	Luis *meeting
	// RequestsWhileDisconnected counts the Zoom requests between the
	// disconnect and the reconnect (expected: none).
	RequestsWhileDisconnected int
	// DeletedFromHistory is the second meeting as the history held it
	// before Ana deleted it from the history.
	DeletedFromHistory *meeting
}

func runFlow(ctx context.Context, env *exkit.Env, a *app, out io.Writer) error {
	_, err := runFlowResult(ctx, env, a, out)
	return err
}

func runFlowResult(ctx context.Context, env *exkit.Env, a *app, out io.Writer) (*flowResult, error) {
	if env.Fake == nil {
		return nil, errors.New("the scripted flow runs against the embedded fake Zoom; against real Zoom use -serve")
	}
	env.Start(a)
	f := &flow{env: env, app: a, log: env.Log, browser: exkit.NewBrowser(),
		noRedirect: &http.Client{Timeout: 30 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		}}}
	fmt.Fprintf(out, "PulsoDesk, workspace %q, at %s; Zoom is the embedded fake at %s\n", a.name, env.BaseURL, env.Fake.URL())
	res := &flowResult{}
	var err error

	// 1. Connect.
	f.log.Step("Ana (workspace admin) clicks Connect Zoom Account and approves PulsoDesk in her Zoom account")
	if err := f.connect(ctx, f.browser, ana, ownerEmail); err != nil {
		return nil, err
	}

	// 2. Schedule two meetings.
	day := a.now().In(loadZone(a.zone)).AddDate(0, 0, 1)
	res.Day = day
	f.log.Step("Ana clicks Schedule Meeting, chooses Zoom, and gives a title, date and time, and duration")
	if res.First, err = f.create(ctx, ana, meetingInput{Topic: "Weekly design review", Date: day.Format("2006-01-02"),
		Time: "10:00", Timezone: "Europe/Madrid", Duration: 45}); err != nil {
		return nil, err
	}
	f.log.Step("Ana schedules another one, in a teammate's time zone")
	if res.Second, err = f.create(ctx, ana, meetingInput{Topic: "1:1 Ana / Luis", Date: day.AddDate(0, 0, 1).Format("2006-01-02"),
		Time: "16:30", Timezone: "America/New_York", Duration: 30}); err != nil {
		return nil, err
	}

	// Each member connects their own Zoom: Luis's meeting lands in his.
	f.log.Step("Luis, a teammate, signs in to PulsoDesk and clicks Connect Zoom Account for his own Zoom account")
	luisBrowser := exkit.NewBrowser()
	if err := f.signin(ctx, luisBrowser, luis); err != nil {
		return nil, err
	}
	if err := f.connect(ctx, luisBrowser, luis, luis.Email); err != nil {
		return nil, err
	}
	f.log.Step("Luis schedules a meeting: Zoom creates it in his account, with him as the host")
	if res.Luis, err = f.create(ctx, luis, meetingInput{Topic: "Customer onboarding: Globex", Date: day.Format("2006-01-02"),
		Time: "12:00", Timezone: "Europe/Madrid", Duration: 30}); err != nil {
		return nil, err
	}
	if zm, ok := env.Fake.Meeting(zoom.ID(res.Luis.ID)); !ok || zm.HostID == env.Fake.OwnerID() {
		return nil, errors.New("the meeting Luis scheduled is not in his Zoom account")
	}
	f.log.OK("host %s, not Ana's Zoom account", res.Luis.HostEmail)
	f.log.Step("Luis tries to rename Ana's meeting %d", res.First.ID)
	before := len(env.Fake.Requests())
	_, err = a.updateMeeting(ctx, luis, res.First.ID, meetingInput{Topic: "Renamed by Luis", Date: day.Format("2006-01-02"),
		Time: "10:00", Timezone: "Europe/Madrid", Duration: 45})
	if !errors.Is(err, errNotYours) || len(env.Fake.Requests()) != before {
		return nil, fmt.Errorf("luis changed a meeting in Ana's Zoom account: %v", err)
	}
	f.log.Fail("refused without a Zoom call: %v", err)

	// 3. List and view.
	f.log.Step("Ana lists the meetings in her Zoom account")
	list, err := a.listMeetings(ctx, ana)
	f.calls()
	if err != nil {
		return nil, err
	}
	f.log.OK("%d scheduled meetings in Zoom", len(list))
	for _, m := range list {
		f.log.Note("%d  %q  %s, %d min", m.ID, m.Topic, m.When(), m.Duration)
	}

	f.log.Step("Ana opens meeting %d", res.First.ID)
	m, _, err := a.viewMeeting(ctx, ana, res.First.ID)
	f.calls()
	if err != nil {
		return nil, err
	}
	f.printMeeting(m)

	// 4. Update.
	f.log.Step("Ana moves meeting %d half an hour later, makes it an hour, renames it", res.First.ID)
	upd := meetingInput{Topic: "Weekly design review (extended)", Date: day.Format("2006-01-02"),
		Time: "10:30", Timezone: "Europe/Madrid", Duration: 60}
	if _, err := a.updateMeeting(ctx, ana, res.First.ID, upd); err != nil {
		f.calls()
		return nil, err
	}
	f.calls()
	if m, _, err = a.viewMeeting(ctx, ana, res.First.ID); err != nil {
		return nil, err
	}
	f.calls()
	f.log.OK("updated in Zoom and in the history")
	f.printMeeting(m)

	// 5. A change made in Zoom itself reaches the history by webhook.
	f.log.Step("Ana renames meeting %d in Zoom's own web portal", res.Second.ID)
	topic := "1:1 Ana / Luis - quarterly goals"
	if _, err := env.Fake.Client("me").Meetings.Update(ctx, zoom.ID(res.Second.ID), &zoom.UpdateMeetingRequest{Topic: zoom.Ptr(topic)}, nil); err != nil {
		return nil, fmt.Errorf("the fake's portal edit: %w", err)
	}
	f.seenReq = len(env.Fake.Requests()) // that call was Zoom's portal, not PulsoDesk
	f.log.Note("(in Zoom, not PulsoDesk) PATCH /meetings/%d", res.Second.ID)
	f.hooks()
	if h, err := a.localMeeting(ctx, res.Second.ID); err != nil || h.Topic != topic {
		return nil, fmt.Errorf("the history did not follow the change made in Zoom: %q, %v", h.Topic, err)
	}
	f.log.OK("the history shows %q (no Zoom call: the webhook carried the change)", topic)

	// 6. Join link.
	f.log.Step("A teammate clicks Join on meeting %d", res.First.ID)
	link, err := f.join(ctx, res.First.ID)
	if err != nil {
		return nil, err
	}
	f.log.OK("PulsoDesk redirects to the join link %s", link)

	// 7. Disconnect.
	f.log.Step("In Settings → Integrations → Zoom, Ana clicks Disconnect; PulsoDesk asks to confirm first")
	status, page, err := f.browser.Get(ctx, f.env.BaseURL+"/disconnect")
	if err != nil {
		return nil, err
	}
	if status != http.StatusOK || !strings.Contains(page, "Disconnect Zoom?") {
		return nil, fmt.Errorf("disconnect: no confirmation step (%d)", status)
	}
	f.log.OK("the confirmation page says what disconnecting does: %q", "Disconnect Zoom?")
	if loc, err := f.post(ctx, "/disconnect", nil); err != nil || loc != "/disconnect" {
		return nil, fmt.Errorf("disconnect without confirming: %q, %v", loc, err)
	}
	f.calls()
	if c, err := a.connection(ctx, ana); err != nil || !c.Active() {
		return nil, fmt.Errorf("a disconnect without the confirmation ended the connection: %v", err)
	}
	f.log.OK("a POST without the confirmation goes back to the confirmation step; Zoom stays connected")
	f.log.Step("Ana confirms the action")
	if _, err := f.post(ctx, "/disconnect", url.Values{"confirm": {"yes"}}); err != nil {
		return nil, err
	}
	f.calls()
	if _, err := env.Tokens.Get(ctx, a.tokenKey(ana)); !errors.Is(err, tokenstore.ErrNotFound) {
		return nil, fmt.Errorf("tokens still stored after the disconnect: %v", err)
	}
	f.log.OK("the grant is revoked at Zoom; Ana's access and refresh tokens are deleted from the store")
	if c, err := a.connection(ctx, luis); err != nil || !c.Active() {
		return nil, fmt.Errorf("the disconnect of Ana ended the connection of Luis: %v", err)
	}
	f.log.OK("Luis's own Zoom connection (%s) is not affected", luis.Email)
	disconnectedAt := len(env.Fake.Requests())

	f.log.Step("After the disconnect the history stays, with its join links")
	hist, err := a.history(ctx)
	if err != nil {
		return nil, err
	}
	for _, m := range hist {
		f.log.Note("%d  %q  %s  %s", m.ID, m.Topic, m.When(), m.JoinURL)
	}
	if link, err = f.join(ctx, res.Second.ID); err != nil {
		return nil, err
	}
	f.log.OK("%d meetings kept; Join still works: %s", len(hist), link)
	_, err = a.createMeeting(ctx, ana, meetingInput{Topic: "Should not reach Zoom", Date: day.Format("2006-01-02"),
		Time: "12:00", Timezone: "Europe/Madrid", Duration: 15})
	if !errors.Is(err, exkit.ErrNotConnected) {
		return nil, fmt.Errorf("scheduling while disconnected: got %v, want %v", err, exkit.ErrNotConnected)
	}
	f.log.Fail("Ana's scheduling a new meeting is refused: %v", err)
	res.RequestsWhileDisconnected = len(env.Fake.Requests()) - disconnectedAt
	f.log.OK("no request reached Zoom since the disconnect (%d)", res.RequestsWhileDisconnected)

	// 8. Reconnect.
	f.log.Step("Ana connects her Zoom again")
	if err := f.connect(ctx, f.browser, ana, ownerEmail); err != nil {
		return nil, err
	}
	f.log.Step("Ana schedules a meeting on the new connection")
	if res.Third, err = f.create(ctx, ana, meetingInput{Topic: "Sprint retro", Date: day.AddDate(0, 0, 2).Format("2006-01-02"),
		Time: "09:15", Timezone: "Europe/Madrid", Duration: 30}); err != nil {
		return nil, err
	}

	// 9. Delete a meeting from the history.
	f.log.Step("Ana deletes meeting %d from the meeting history", res.Second.ID)
	kept, err := a.localMeeting(ctx, res.Second.ID)
	if err != nil {
		return nil, err
	}
	res.DeletedFromHistory = &kept
	if _, err := f.post(ctx, fmt.Sprintf("/meetings/%d/delete", res.Second.ID), nil); err != nil {
		return nil, err
	}
	f.calls()
	if hist, err = a.history(ctx); err != nil {
		return nil, err
	}
	if _, ok := env.Fake.Meeting(zoom.ID(res.Second.ID)); !ok {
		return nil, fmt.Errorf("deleting from the history deleted meeting %d in Zoom", res.Second.ID)
	}
	f.log.OK("PulsoDesk's history now holds %d meetings; Zoom still has meeting %d (no Zoom call)", len(hist), res.Second.ID)
	if _, err := f.join(ctx, res.Second.ID); err == nil {
		return nil, fmt.Errorf("join still works for a meeting deleted from the history")
	}
	f.log.OK("its Join link is gone from PulsoDesk too")

	f.log.Step("Emails sent (outbox %s)", env.Mail.Dir)
	for _, e := range env.Mail.Sent() {
		f.log.Note("to %s: %s", e.To, e.Subject)
	}
	fmt.Fprintf(out, "\nDone. Data folder: %s\n", env.Cfg.DataDir)
	return res, nil
}

// calls prints the Zoom requests made since the last call, then the
// webhooks delivered.
func (f *flow) calls() {
	reqs := f.env.Fake.Requests()
	for _, r := range reqs[f.seenReq:] {
		f.log.Call(r.Method, strings.TrimPrefix(r.Path, "/v2"), r.Operation+", "+strconv.Itoa(r.Status))
	}
	f.seenReq = len(reqs)
	f.hooks()
}

func (f *flow) hooks() {
	ds := f.env.Fake.Deliveries()
	for _, d := range ds[f.seenHooks:] {
		if d.Err != "" {
			f.log.Fail("webhook %s → app: %s", d.Event, d.Err)
			continue
		}
		f.log.Note("webhook %s → POST %s: %d", d.Event, exkit.WebhookPath, d.Status)
	}
	f.seenHooks = len(ds)
}

// signin signs a browser in to PulsoDesk as a member.
func (f *flow) signin(ctx context.Context, b *exkit.Browser, mb member) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, f.env.BaseURL+"/signin",
		strings.NewReader(url.Values{"member": {mb.ID}}.Encode()))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", f.env.BaseURL)
	resp, err := b.Do(req)
	if err != nil {
		return err
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), mb.Name) {
		return fmt.Errorf("sign in as %s: status %d", mb.Name, resp.StatusCode)
	}
	f.log.OK("signed in to PulsoDesk as %s", mb.Name)
	return nil
}

// connect clicks Connect Zoom in b (signed in as mb) and approves as the
// Zoom user zoomUser, who is signed in to Zoom in that browser.
func (f *flow) connect(ctx context.Context, b *exkit.Browser, mb member, zoomUser string) error {
	if err := f.env.Fake.SetAuthorizingUser(zoomUser); err != nil {
		return err
	}
	status, body, err := b.Get(ctx, f.env.BaseURL+exkit.ConnectPath)
	f.calls()
	if err != nil {
		return fmt.Errorf("connect: %w", err)
	}
	c, err := f.app.connection(ctx, mb)
	if err != nil {
		return err
	}
	if status != http.StatusOK || !c.Active() || !strings.Contains(body, c.Email) {
		return fmt.Errorf("connect: the browser ended on a %d page without the connected account", status)
	}
	if !strings.Contains(body, `id="zoom-status">Connected`) {
		return fmt.Errorf("connect: Settings → Integrations → Zoom does not show Connected")
	}
	f.log.OK("%s's Zoom is connected as %s (Zoom user %s); tokens stored under %q", mb.Name, c.Email, c.ZoomUserID, c.TokenKey)
	f.log.OK("Settings → Integrations → Zoom shows status Connected")
	return nil
}

func (f *flow) create(ctx context.Context, mb member, in meetingInput) (*meeting, error) {
	f.log.Note("%q on %s at %s %s, %d min", in.Topic, in.Date, in.Time, in.Timezone, in.Duration)
	m, err := f.app.createMeeting(ctx, mb, in)
	f.calls()
	if err != nil {
		return nil, err
	}
	f.log.OK("meeting created")
	f.printMeeting(*m)
	return m, nil
}

func (f *flow) printMeeting(m meeting) {
	f.log.Note("id:        %d", m.ID)
	f.log.Note("topic:     %s", m.Topic)
	f.log.Note("starts:    %s, %d min", m.When(), m.Duration)
	f.log.Note("host:      %s", m.HostEmail)
	f.log.Note("join link: %s", m.JoinURL)
}

// join clicks the Join button and returns where PulsoDesk redirects.
func (f *flow) join(ctx context.Context, id int64) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, fmt.Sprintf("%s/meetings/%d/join", f.env.BaseURL, id), nil)
	if err != nil {
		return "", err
	}
	resp, err := f.noRedirect.Do(req)
	if err != nil {
		return "", err
	}
	resp.Body.Close()
	f.calls()
	if resp.StatusCode != http.StatusSeeOther {
		return "", fmt.Errorf("join: status %d", resp.StatusCode)
	}
	return resp.Header.Get("Location"), nil
}

// post submits a form of the app's pages, as the browser does, and returns
// where the app redirects.
func (f *flow) post(ctx context.Context, path string, form url.Values) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, f.env.BaseURL+path, strings.NewReader(form.Encode()))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", f.env.BaseURL)
	resp, err := f.noRedirect.Do(req)
	if err != nil {
		return "", err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		return "", fmt.Errorf("POST %s: status %d", path, resp.StatusCode)
	}
	return resp.Header.Get("Location"), nil
}
