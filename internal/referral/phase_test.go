package referral_test

import (
	"strings"
	"testing"
	"time"

	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/referral"
)

// Refocus Cohort 2 starts on Monday 11 January 2027: seven weeks at the Academy, then the three-week
// Back to School Phase, each boundary on the day it falls.
func TestRefocusPhaseBoundaries(t *testing.T) {
	start := calendar.NewDate(2027, time.January, 11)
	cases := []struct {
		name  string
		day   calendar.Date
		stage string
		week  int
		text  string
	}{
		{"the day before the start", start.AddDays(-1), referral.PhaseNotStarted, 0, "Starts on 11 January 2027"},
		{"the first day", start, referral.PhaseAcademy, 1, "Academy phase (week 1 of 10): at Coventry AP Academy Tuesday to Friday, Mondays at the home school"},
		{"the last day of week 7", calendar.NewDate(2027, time.February, 28), referral.PhaseAcademy, 7, "Academy phase (week 7 of 10)"},
		{"the first day of week 8", calendar.NewDate(2027, time.March, 1), referral.PhaseBackToSchool, 8, "Back to School Phase (week 8 of 10)"},
		{"the last day of week 10", calendar.NewDate(2027, time.March, 21), referral.PhaseBackToSchool, 10, "Back to School Phase (week 10 of 10)"},
		{"the day after the ten weeks", calendar.NewDate(2027, time.March, 22), referral.PhaseFinished, 0, "Programme finished"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := referral.RefocusPhase(start, c.day)
			if got.Stage != c.stage || got.Week != c.week {
				t.Errorf("RefocusPhase(%s, %s) = %s week %d, want %s week %d", start, c.day, got.Stage, got.Week, c.stage, c.week)
			}
			if !strings.HasPrefix(got.Text(), c.text) {
				t.Errorf("text %q, want it to start %q", got.Text(), c.text)
			}
		})
	}
}
