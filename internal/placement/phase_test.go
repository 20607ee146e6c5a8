package placement_test

import (
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/directory"
	"github.com/coventry-cap/capportal/internal/placement"
)

// schoolDays2627 is Coventry's 2026/27 term calendar with England and Wales bank holidays.
func schoolDays2627(t *testing.T) calendar.SchoolDays {
	t.Helper()
	y, ok := calendar.LookupAcademicYear("2026/27")
	if !ok {
		t.Fatal("no 2026/27 term dates")
	}
	return calendar.NewSchoolDays(y.Terms, calendar.HolidayDates(calendar.BankHolidaysEnglandWales()))
}

// A cohort that starts on Monday 14 September 2026 has six school weeks before October half term:
// the half term is not a programme week, so the Back to School Phase begins on 9 November, not on 2
// November as counting calendar weeks would have it.
func TestRefocusPhaseCountsSchoolWeeksAcrossHalfTerm(t *testing.T) {
	sd := schoolDays2627(t)
	start := calendar.NewDate(2026, time.September, 14)
	d := func(m time.Month, day int) calendar.Date { return calendar.NewDate(2026, m, day) }
	cases := []struct {
		name   string
		day    calendar.Date
		stage  string
		week   int
		paused bool
		text   string
	}{
		{"the day before the start", start.AddDays(-1), placement.PhaseNotStarted, 0, false, "Starts on 14 September 2026"},
		{"the first day", start, placement.PhaseAcademy, 1, false, "Academy phase (week 1 of 10)"},
		{"the week before half term", d(time.October, 23), placement.PhaseAcademy, 6, false, "Academy phase (week 6 of 10)"},
		{"half term", d(time.October, 28), placement.PhaseAcademy, 6, true, "Academy phase (week 6 of 10): at Coventry AP Academy Tuesday to Friday, Mondays at the home school (half term"},
		{"the week after half term", d(time.November, 2), placement.PhaseAcademy, 7, false, "Academy phase (week 7 of 10)"},
		{"a week later: Back to School", d(time.November, 9), placement.PhaseBackToSchool, 8, false, "Back to School Phase (week 8 of 10)"},
		{"the tenth week", d(time.November, 27), placement.PhaseBackToSchool, 10, false, "Back to School Phase (week 10 of 10)"},
		{"the week after", d(time.November, 30), placement.PhaseFinished, 0, false, "Programme finished: the 10 school weeks"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := placement.RefocusPhase(sd, start, c.day)
			if got.Stage != c.stage || got.Week != c.week || got.Paused != c.paused {
				t.Errorf("RefocusPhase(%s) = %s week %d paused %v, want %s week %d paused %v", c.day, got.Stage, got.Week, got.Paused, c.stage, c.week, c.paused)
			}
			if !strings.HasPrefix(got.Text(), c.text) {
				t.Errorf("text %q, want it to start %q", got.Text(), c.text)
			}
		})
	}
}

// Refocus Cohort 2 starts on Monday 11 January 2027; February half term pauses it, and the tenth
// school week ends as the Easter holidays begin.
func TestRefocusCohort2sPhasesFollowTheSpringTerm(t *testing.T) {
	sd := schoolDays2627(t)
	start := calendar.NewDate(2027, time.January, 11)
	for day, want := range map[calendar.Date]string{
		calendar.NewDate(2027, time.February, 17): "academy week 5 paused",
		calendar.NewDate(2027, time.March, 5):     "academy week 7",
		calendar.NewDate(2027, time.March, 8):     "back_to_school week 8",
		calendar.NewDate(2027, time.March, 25):    "back_to_school week 10",
		calendar.NewDate(2027, time.March, 30):    "finished week 0",
	} {
		p := placement.RefocusPhase(sd, start, day)
		got := p.Stage + " week " + strconv.Itoa(p.Week)
		if p.Paused {
			got += " paused"
		}
		if got != want {
			t.Errorf("%s: %s, want %s", day, got, want)
		}
	}
}

// A new placement's plan: Refocus ends with its tenth school week, a six-week course after six school
// weeks; reviews fall at the end of each half term it runs in and on its last day; hours count 2.5 a session.
func TestDefaultPlanEndsAfterItsSchoolWeeksWithAReviewEachHalfTerm(t *testing.T) {
	sd := schoolDays2627(t)
	y, _ := calendar.LookupAcademicYear("2026/27")
	d := calendar.NewDate
	refocus := placement.DefaultPlan(sd, y.Terms, directory.Refocus, d(2026, time.September, 14), []int32{2, 3, 4, 5}, 2, 0)
	if refocus.PlannedEnd != d(2026, time.November, 27) || refocus.HoursPerWeek != 20 ||
		!slices.Equal(refocus.ReviewDates, []calendar.Date{d(2026, time.October, 23), d(2026, time.November, 27)}) {
		t.Errorf("Refocus plan %+v", refocus)
	}
	course := placement.DefaultPlan(sd, y.Terms, directory.Course, d(2026, time.November, 2), []int32{1}, 1, 6)
	if course.PlannedEnd != d(2026, time.December, 11) || course.HoursPerWeek != 2.5 ||
		!slices.Equal(course.ReviewDates, []calendar.Date{d(2026, time.December, 11)}) {
		t.Errorf("course plan %+v", course)
	}
	open := placement.DefaultPlan(sd, y.Terms, directory.Course, d(2027, time.January, 11), []int32{1, 2}, 2, 0)
	want := []calendar.Date{d(2027, time.February, 12), d(2027, time.March, 25), d(2027, time.May, 28), d(2027, time.July, 21)}
	if !open.PlannedEnd.IsZero() || !slices.Equal(open.ReviewDates, want) {
		t.Errorf("a placement with no planned end reviews each half term to the year's end: %+v, want %v", open, want)
	}
}
