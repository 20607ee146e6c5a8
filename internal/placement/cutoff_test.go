package placement

import (
	"slices"
	"testing"
	"time"

	"github.com/coventry-cap/capportal/internal/calendar"
)

func TestThePassedSessionsAreThoseWhoseCutoffHasCome(t *testing.T) {
	c := Cutoffs{Morning: 9*time.Hour + 30*time.Minute, Afternoon: 13 * time.Hour}
	at := func(h, m int) time.Time {
		return time.Date(2026, time.December, 7, h, m, 0, 0, calendar.London())
	}
	cases := []struct {
		now  time.Time
		want []Session
	}{
		{at(9, 29), []Session{}},
		{at(9, 30), []Session{Morning}},
		{at(12, 59), []Session{Morning}},
		{at(13, 0), []Session{Morning, Afternoon}},
		{at(23, 59), []Session{Morning, Afternoon}},
	}
	for _, tc := range cases {
		if got := c.PassedSessions(tc.now); !slices.Equal(got, tc.want) {
			t.Errorf("at %s: passed %v, want %v", tc.now.Format("15:04"), got, tc.want)
		}
	}
}
