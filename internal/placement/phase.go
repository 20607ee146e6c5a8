package placement

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
	// Week is the school week of the programme, 1 to RefocusWeeks, while it runs; 0 before and after.
	Week  int
	Start calendar.Date
	// Paused is set in a week without school days (a half term): the programme resumes after it.
	Paused bool
}

// RefocusPhase is where a placement starting on start is on day. Its weeks are school weeks from the
// term calendar: week 1 is the start's week, and a half term or a holiday week is not counted, so the
// phases move on only with the weeks the student is in school.
func RefocusPhase(sd calendar.SchoolDays, start, day calendar.Date) Phase {
	p := Phase{Start: start}
	week, open := sd.SchoolWeek(start, day)
	switch {
	case day.Before(start):
		p.Stage = PhaseNotStarted
	case week > RefocusWeeks || (week == RefocusWeeks && !open):
		// The tenth school week is over once a week without school days follows it.
		p.Stage = PhaseFinished
	default:
		p.Week, p.Paused = week, !open
		p.Stage = PhaseAcademy
		if week > RefocusAcademyWeeks {
			p.Stage = PhaseBackToSchool
		}
	}
	return p
}

// AtAcademy reports whether the student is at the Academy in the phase (not in the Back to School Phase).
func (p Phase) AtAcademy() bool { return p.Stage == PhaseAcademy && !p.Paused }

// Text describes the phase for the placement's pages.
func (p Phase) Text() string {
	paused := ""
	if p.Paused {
		paused = " (half term: the programme resumes with the next school week)"
	}
	switch p.Stage {
	case PhaseNotStarted:
		return "Starts on " + p.Start.Format()
	case PhaseAcademy:
		return fmt.Sprintf("Academy phase (week %d of %d): at Coventry AP Academy Tuesday to Friday, Mondays at the home school%s", p.Week, RefocusWeeks, paused)
	case PhaseBackToSchool:
		return fmt.Sprintf("Back to School Phase (week %d of %d): the student is back at the home school, which follows the plan and strategies agreed with the Academy%s", p.Week, RefocusWeeks, paused)
	case PhaseFinished:
		return fmt.Sprintf("Programme finished: the %d school weeks from %s are over", RefocusWeeks, p.Start.Format())
	}
	return ""
}
