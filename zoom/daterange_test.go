package zoom

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestCheckDateRange(t *testing.T) {
	now := time.Date(2026, 11, 24, 15, 0, 0, 0, time.UTC)
	type opts struct {
		From     Date `url:"from,omitempty"`
		To       Date `url:"to,omitempty"`
		PageSize int  `url:"page_size,omitempty"`
	}
	d := func(s string) Date { x, _ := ParseDate(s); return x }
	for _, tc := range []struct {
		op   string
		q    any
		fail bool
	}{
		{"reportMeetings", &opts{From: d("2026-10-24"), To: d("2026-11-24")}, false},
		{"reportMeetings", &opts{From: d("2026-10-23"), To: d("2026-11-24")}, true}, // over a month
		{"reportMeetings", &opts{From: d("2026-11-10"), To: d("2026-11-01")}, true}, // reversed
		{"reportMeetings", &opts{From: d("2026-05-24"), To: d("2026-06-01")}, false},
		{"reportMeetings", &opts{From: d("2026-05-23"), To: d("2026-06-01")}, true}, // beyond 6 months
		{"reportMeetings", &opts{}, true},                                           // required
		{"reportMeetings", (*opts)(nil), true},
		{"reportUsers", &opts{From: d("2026-11-01")}, true},
		{"reportCloudRecording", &opts{From: d("2026-10-24"), To: d("2026-11-23")}, false},
		{"reportCloudRecording", &opts{From: d("2026-10-23"), To: d("2026-11-23")}, true}, // 31 days
		{"reportCloudRecording", &opts{From: d("2026-11-20"), To: d("2026-11-24")}, true}, // today
		{"recordingsList", &opts{}, false},
		{"recordingsList", &opts{From: d("2026-01-01"), To: d("2026-03-01")}, true},
		{"meetings", &opts{From: d("2020-01-01"), To: d("2026-03-01")}, false}, // no rule
		{"dashboardMeetings", &opts{From: d("2026-10-24"), To: d("2026-11-24")}, false},
		{"dashboardMeetings", &opts{From: d("2026-05-01"), To: d("2026-05-20")}, true}, // beyond 6 months
		{"dashboardMeetings", &opts{}, true},                                           // required
		{"dashboardCRC", &opts{From: d("2026-09-01"), To: d("2026-11-01")}, true},      // over a month
		{"listMeetingSatisfaction", &opts{}, false},                                    // optional
		{"listMeetingSatisfaction", &opts{From: d("2026-04-01"), To: d("2026-04-20")}, true},
	} {
		err := checkDateRange(&operation{ID: tc.op}, tc.q, now)
		if (err != nil) != tc.fail {
			t.Errorf("%s %+v: err = %v, want failure %v", tc.op, tc.q, err, tc.fail)
		}
		if err != nil && !errors.Is(err, ErrInvalidArgument) {
			t.Errorf("%s: %v does not match ErrInvalidArgument", tc.op, err)
		}
	}
	// Refused before any request.
	rt := &fakeRT{}
	c := newFakeClient(t, rt)
	op := &operation{Method: "GET", Path: "/report/users/{userId}/meetings", ID: "reportMeetings"}
	_, err := c.call(t.Context(), op, "/report/users/me/meetings", &opts{From: d("2019-01-01"), To: d("2019-01-10")}, nil, nil)
	require.ErrorIs(t, err, ErrInvalidArgument, "err %v, %d requests", err, rt.count())
	require.Equal(t, 0, rt.count(), "err %v, %d requests", err, rt.count())
}
