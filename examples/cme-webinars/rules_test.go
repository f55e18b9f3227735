package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestAttendanceRule: someone is never both absent and an attendee, and
// no one is credited for 0 minutes, even for a webinar scheduled for 0
// minutes.
func TestAttendanceRule(t *testing.T) {
	cases := []struct {
		name                string
		seconds, scheduled  int
		zoomAbsent          bool
		wantAbsent, wantCrd bool
	}{
		{"full attendance", 3600, 3600, false, false, true},
		{"in Zoom's absentee list but attended", 3000, 3600, true, false, true},
		{"in Zoom's absentee list, no attendance", 0, 3600, true, true, false},
		{"no attendance", 0, 3600, false, true, false},
		{"0 minutes of a 0-minute webinar", 0, 0, false, true, false},
		{"under a minute", 59, 60, false, false, false},
	}
	for _, c := range cases {
		absent, credited, _ := attendanceRule(c.seconds, c.scheduled, c.zoomAbsent)
		assert.Equal(t, c.wantAbsent, absent, "%s: absent", c.name)
		assert.Equal(t, c.wantCrd, credited, "%s: credited", c.name)
		assert.False(t, absent && credited, "%s: both absent and credited", c.name)
	}
}
