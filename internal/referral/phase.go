package referral

import (
	"fmt"

	"github.com/coventry-cap/capportal/internal/calendar"
)

// The stages of a Refocus or Focus 11 placement's ten weeks.
const (
	PhaseNotStarted   = "not_started"
	PhaseAcademy      = "academy"
	PhaseBackToSchool = "back_to_school"
	PhaseFinished     = "finished"
)

// RefocusAcademyWeeks are the weeks at Coventry AP Academy (four days a week, Mondays at the home
// school); the weeks after them, up to RefocusWeeks, are the Back to School Phase.
const (
	RefocusAcademyWeeks = 7
	RefocusWeeks        = 10
)

// Phase is where a Refocus or Focus 11 placement is on a day.
type Phase struct {
	Stage string
	// Week is the week of the programme, 1 to RefocusWeeks, while it runs; 0 before and after.
	Week  int
	Start calendar.Date
}

// RefocusPhase is where a placement starting on start is on today. Weeks are counted in whole
// weeks from the first day, as the cohort's published dates are: week 1 is the start day and the
// six days after it.
func RefocusPhase(start, today calendar.Date) Phase {
	p := Phase{Start: start}
	days := start.DaysUntil(today)
	switch {
	case days < 0:
		p.Stage = PhaseNotStarted
	case days >= 7*RefocusWeeks:
		p.Stage = PhaseFinished
	default:
		p.Week = days/7 + 1
		p.Stage = PhaseAcademy
		if p.Week > RefocusAcademyWeeks {
			p.Stage = PhaseBackToSchool
		}
	}
	return p
}

// Text describes the phase for the referral's page.
func (p Phase) Text() string {
	switch p.Stage {
	case PhaseNotStarted:
		return "Starts on " + p.Start.Format()
	case PhaseAcademy:
		return fmt.Sprintf("Academy phase (week %d of %d): at Coventry AP Academy Tuesday to Friday, Mondays at the home school", p.Week, RefocusWeeks)
	case PhaseBackToSchool:
		return fmt.Sprintf("Back to School Phase (week %d of %d): the student is back at the home school, which follows the plan and strategies agreed with the Academy", p.Week, RefocusWeeks)
	case PhaseFinished:
		return fmt.Sprintf("Programme finished: the %d weeks from %s are over", RefocusWeeks, p.Start.Format())
	}
	return ""
}
