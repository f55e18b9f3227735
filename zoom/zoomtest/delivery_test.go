package zoomtest_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/zoomkit/zoomkit/webhook"
	"github.com/zoomkit/zoomkit/zoom"
	"github.com/zoomkit/zoomkit/zoom/zoomtest"
)

// In live participant events Zoom gives the email and the user ids only
// of participants signed in to the host's account: a guest's email,
// participant_user_id and id are empty; registrant_id stays.
func TestLiveEventsHideGuestsEmails(t *testing.T) {
	s, clk := start(t)
	_, err := s.AddUser(zoomtest.User{Email: "member@example.com", FirstName: "M", Type: 1})
	require.NoError(t, err)
	member, _ := s.User("member@example.com")
	v, _ := webhook.NewVerifier([]string{"k"}, webhook.WithClock(clk.Now))
	h, _ := webhook.NewHandler(v, webhook.WithoutDedup())
	type seen struct{ name, email, id, participantUserID, registrantID string }
	var joined, left []seen
	h.OnWebinarParticipantJoined(func(_ context.Context, _ *webhook.Event, p *webhook.WebinarParticipantJoinedPayload) error {
		pp := p.Object.Participant
		joined = append(joined, seen{pp.UserName, pp.Email, pp.ID, pp.ParticipantUserID, pp.RegistrantID})
		return nil
	})
	h.OnWebinarParticipantLeft(func(_ context.Context, _ *webhook.Event, p *webhook.WebinarParticipantLeftPayload) error {
		pp := p.Object.Participant
		left = append(left, seen{pp.UserName, pp.Email, pp.ID, pp.ParticipantUserID, pp.RegistrantID})
		return nil
	})
	require.NoError(t, s.SubscribeHandler(h, "k"))

	ctx := context.Background()
	c := s.Client("me")
	w, _, err := c.Webinars.Create(ctx, "me", &zoom.CreateWebinarRequest{Topic: "Open day", Type: zoom.WebinarTypeWebinar,
		Settings: &zoom.WebinarSettingsRequest{ApprovalType: zoom.Ptr(zoom.ApprovalType(0))}})
	require.NoError(t, err)
	reg, _, err := c.Webinars.AddRegistrant(ctx, w.ID, &zoom.AddRegistrantRequest{Email: "guest@elsewhere.example", FirstName: "G"}, nil)
	require.NoError(t, err)
	_, err = s.StartWebinar(w.ID)
	require.NoError(t, err)
	_, err = s.Join(w.ID, zoomtest.Participant{Name: "Member", Email: "member@example.com"})
	require.NoError(t, err)
	_, err = s.Join(w.ID, zoomtest.Participant{Name: "Guest", Email: "guest@elsewhere.example"})
	require.NoError(t, err)
	require.NoError(t, s.EndWebinar(w.ID))

	want := []seen{
		{"Member", "member@example.com", member.ID, member.ID, ""},
		{"Guest", "", "", "", reg.RegistrantID},
	}
	assert.Equal(t, want, joined)
	assert.Equal(t, want, left)
	// The fake still knows who the guest was.
	assert.Equal(t, "guest@elsewhere.example", s.Participants(w.ID)[1].Email)
}

// attempts summarises deliveries: attempt number, minutes after t0,
// status.
func attempts(ds []zoomtest.Delivery, t0 time.Time) []string {
	var out []string
	for _, d := range ds {
		out = append(out, fmt.Sprintf("%s #%d +%v %d", d.Event, d.Attempt, d.Time.Sub(t0), d.Status))
	}
	return out
}

// Zoom retries a failed delivery 5, 25 and 85 minutes after the first
// attempt, then gives up. On the default clock the server makes the
// retries itself: in a synctest bubble they come as its time passes.
func TestRetriesOnZoomsSchedule(t *testing.T) {
	s := zoomtest.NewTestServer(t)
	tok := token(t, s, "me")
	synctest.Test(t, func(t *testing.T) {
		v, _ := webhook.NewVerifier([]string{"k"}, webhook.WithTolerance(2*time.Hour))
		h, _ := webhook.NewHandler(v, webhook.WithoutDedup())
		var down atomic.Bool
		down.Store(true)
		var handled []time.Duration
		t0 := time.Now()
		h.OnMeetingCreated(func(context.Context, *webhook.Event, *webhook.MeetingCreatedPayload) error {
			handled = append(handled, time.Since(t0))
			if down.Load() {
				return errors.New("the database is down") // 500
			}
			return nil
		})
		require.NoError(t, s.SubscribeHandler(h, "k", "meeting.created"))
		c, err := zoom.NewClient(zoom.WithBaseURL(s.APIURL()), zoom.WithHTTPClient(&http.Client{Transport: s.Transport()}),
			zoom.WithTokenSource(staticToken(tok)))
		require.NoError(t, err)
		_, _, err = c.Meetings.Create(context.Background(), "me", &zoom.CreateMeetingRequest{Topic: "retried"})
		require.NoError(t, err)
		assert.Equal(t, 1, s.PendingRetries())

		time.Sleep(25 * time.Minute) // the retries at +5 and +25 fail too
		synctest.Wait()
		down.Store(false)
		time.Sleep(time.Hour) // the last, at +85, succeeds
		synctest.Wait()
		ds := s.Deliveries()
		assert.Equal(t, []string{"meeting.created #1 +0s 500", "meeting.created #2 +5m0s 500", "meeting.created #3 +25m0s 500",
			"meeting.created #4 +1h25m0s 200"}, attempts(ds, t0))
		assert.Equal(t, []time.Duration{0, 5 * time.Minute, 25 * time.Minute, 85 * time.Minute}, handled)
		var next []time.Duration
		for _, d := range ds[:3] {
			next = append(next, d.Next.Sub(t0))
		}
		assert.Equal(t, []time.Duration{5 * time.Minute, 25 * time.Minute, 85 * time.Minute}, next)
		assert.True(t, ds[3].Next.IsZero())
		assert.Equal(t, 0, s.PendingRetries())
	})
}

// After the third retry fails Zoom drops the event.
func TestRetriesGiveUp(t *testing.T) {
	s := zoomtest.NewTestServer(t)
	synctest.Test(t, func(t *testing.T) {
		calls := 0
		require.NoError(t, s.SubscribeHandler(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			calls++
			w.WriteHeader(http.StatusServiceUnavailable)
		}), "k", "meeting.started"))
		id := seedMeeting(t, s)
		_, err := s.StartMeeting(id)
		require.NoError(t, err)
		time.Sleep(24 * time.Hour)
		synctest.Wait()
		assert.Equal(t, 4, calls)
		ds := s.Deliveries()
		require.Len(t, ds, 4)
		assert.True(t, ds[3].Next.IsZero(), "no retry after the fourth attempt")
		assert.Equal(t, "subscriber answered 503", ds[3].Err)
		assert.Equal(t, 0, s.PendingRetries())
	})
}

// Zoom waits 3 seconds for the answer. The wait is on the bubble's time:
// the request that caused the event is held 3 s of fake time, no real
// time.
func TestDeliveryTimeout(t *testing.T) {
	s := zoomtest.NewTestServer(t)
	synctest.Test(t, func(t *testing.T) {
		var slow atomic.Bool
		slow.Store(true)
		require.NoError(t, s.SubscribeHandler(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			if slow.Load() {
				time.Sleep(10 * time.Second)
			}
			w.WriteHeader(http.StatusOK)
		}), "k", "meeting.started"))
		id := seedMeeting(t, s)
		t0 := time.Now()
		_, err := s.StartMeeting(id)
		require.NoError(t, err)
		assert.Equal(t, zoomtest.DeliveryTimeout, time.Since(t0))
		synctest.Wait()
		ds := s.Deliveries()
		require.Len(t, ds, 1)
		assert.Equal(t, 0, ds[0].Status)
		assert.Equal(t, "no answer within 3s", ds[0].Err)
		assert.Equal(t, t0.Add(5*time.Minute), ds[0].Next)
		time.Sleep(time.Minute) // the slow handler has finished
		slow.Store(false)
		time.Sleep(5 * time.Minute)
		synctest.Wait()
		ds = s.Deliveries()
		require.Len(t, ds, 2)
		assert.Equal(t, 200, ds[1].Status)
	})
}

// seedMeeting creates a meeting through the in-memory transport (it works
// inside a bubble).
func seedMeeting(t *testing.T, s *zoomtest.Server) zoom.ID {
	t.Helper()
	tok := token(t, s, "me")
	c, err := zoom.NewClient(zoom.WithBaseURL(s.APIURL()), zoom.WithHTTPClient(&http.Client{Transport: s.Transport()}),
		zoom.WithTokenSource(staticToken(tok)))
	require.NoError(t, err)
	m, _, err := c.Meetings.Create(context.Background(), "me", &zoom.CreateMeetingRequest{Topic: "seeded"})
	require.NoError(t, err)
	return m.ID
}

// With a clock of the test's own, DeliverDue makes the retries that are
// due. By default a retry repeats the first attempt's timestamp and
// signature: a handler with a 5-minute window rejects the retry of an
// outage longer than that, and loses the event; with fresh timestamps it
// accepts it. A handler must survive both.
func TestRetryTimestampOption(t *testing.T) {
	for _, tc := range []struct {
		name   string
		opt    zoomtest.RetryTimestamp
		naive  bool // a handler with a 5-minute window, not webhook's default
		status int  // of the retry at +25 minutes
	}{
		{"original", zoomtest.RetryOriginalTimestamp, true, http.StatusUnauthorized},
		{"fresh", zoomtest.RetryFreshTimestamp, true, http.StatusOK},
		{"original, default handler", zoomtest.RetryOriginalTimestamp, false, http.StatusOK},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, clk := start(t, zoomtest.WithRetryTimestamp(tc.opt))
			v, _ := webhook.NewVerifier([]string{"k"}, webhook.WithClock(clk.Now))
			var hopts []webhook.HandlerOption
			if tc.naive {
				hopts = append(hopts, webhook.WithTimestampWindow(5*time.Minute))
			}
			h, err := webhook.NewHandler(v, hopts...)
			require.NoError(t, err)
			var got []string
			h.OnMeetingCreated(func(_ context.Context, _ *webhook.Event, p *webhook.MeetingCreatedPayload) error {
				got = append(got, p.Object.Topic)
				return nil
			})
			var down atomic.Bool
			down.Store(true)
			ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if down.Load() {
					http.Error(w, "deploying", http.StatusBadGateway)
					return
				}
				h.ServeHTTP(w, r)
			}))
			defer ts.Close()
			require.NoError(t, s.Subscribe(ts.URL, "k", "meeting.created"))
			_, _, err = s.Client("me").Meetings.Create(context.Background(), "me", &zoom.CreateMeetingRequest{Topic: "late"})
			require.NoError(t, err)

			clk.Advance(4 * time.Minute)
			assert.Equal(t, 0, s.DeliverDue(), "nothing is due before 5 minutes")
			clk.Advance(time.Minute)
			assert.Equal(t, 1, s.DeliverDue())
			down.Store(false)
			clk.Advance(20 * time.Minute)
			assert.Equal(t, 1, s.DeliverDue())

			ds := s.Deliveries()
			require.Len(t, ds, 3)
			assert.Equal(t, []int{502, 502, tc.status}, []int{ds[0].Status, ds[1].Status, ds[2].Status})
			sameStamp := ds[2].Header.Get("x-zm-request-timestamp") == ds[0].Header.Get("x-zm-request-timestamp") &&
				ds[2].Header.Get("x-zm-signature") == ds[0].Header.Get("x-zm-signature")
			assert.Equal(t, tc.opt == zoomtest.RetryOriginalTimestamp, sameStamp)
			if tc.status == http.StatusOK {
				assert.Equal(t, []string{"late"}, got)
				assert.Equal(t, 0, s.PendingRetries())
			} else {
				assert.Empty(t, got, "the naive window rejected the retry")
				assert.Equal(t, 1, s.PendingRetries(), "the retry at +85 minutes is still to come")
			}
		})
	}
	_, err := zoomtest.NewServer(zoomtest.WithRetryTimestamp(7))
	assert.ErrorContains(t, err, "WithRetryTimestamp")
}
