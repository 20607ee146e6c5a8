package placement_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/db"
	"github.com/coventry-cap/capportal/internal/input"
	"github.com/coventry-cap/capportal/internal/placement"
	"github.com/coventry-cap/capportal/internal/placement/placementtest"
)

// Full-time is 24 hours a week for Key Stage 3 and Year 10 and 25 for Year 11 (Coventry's
// protocol): a week below it is a part-time timetable, at each boundary.
func TestThePartTimeFlagAtTheYearGroupBoundaries(t *testing.T) {
	for _, c := range []struct {
		year     int
		hours    float64
		partTime bool
	}{
		{7, 24, false}, {7, 23.5, true},
		{9, 24, false}, {9, 23.9, true}, // the last year of Key Stage 3
		{10, 24, false}, {10, 23.9, true}, {10, 24.5, false},
		{11, 24, true}, {11, 24.9, true}, {11, 25, false}, // Year 11 needs an hour more
		{12, 0, false}, {6, 10, false}, // outside the protocol: no full-time figure
	} {
		tt := placement.Timetable{YearGroup: c.year, HomeSchoolHours: c.hours}
		if got := tt.PartTime(); got != c.partTime {
			t.Errorf("Year %d with %v hours: part-time %v, want %v", c.year, c.hours, got, c.partTime)
		}
		if c.partTime && !tt.NeedsReviewDate() {
			t.Errorf("Year %d with %v hours: part-time without a review date is not flagged", c.year, c.hours)
		}
	}
	// The placements' hours and the home school's add up.
	tt := placement.Timetable{YearGroup: 11, HomeSchoolHours: 12.5, Placements: []placement.PlacementHours{{Hours: 7.5}, {Hours: 5}}}
	if tt.Total() != 25 || tt.PartTime() || tt.Shortfall() != 0 {
		t.Errorf("7.5 + 5 + 12.5 hours in Year 11: total %v, part-time %v", tt.Total(), tt.PartTime())
	}
}

// The student's week adds up their active placements' hours and the home school's; the school
// records the home-school hours, and a part-time week needs a review date (today or later). The
// school's page lists its part-time timetables.
func TestAStudentsHoursAddUpAndAPartTimeTimetableNeedsAReviewDate(t *testing.T) {
	f := newFixture(t, time.Date(2026, time.November, 23, 9, 30, 0, 0, calendar.London()))
	// Kai (Year 10): Mondays and Tuesdays at Ridgeway (10 hours), Wednesday mornings at Torque Lane (2.5).
	placementtest.Create(t, f.pool, placementtest.Spec{Student: "Kai", Provider: "ridgeway", Start: d(2026, time.November, 2), Days: []int32{1, 2}})
	placementtest.Create(t, f.pool, placementtest.Spec{Student: "Kai", Provider: "torquelane", Start: d(2026, time.November, 4), Days: []int32{3}, Sessions: []string{"am"}})
	// Tyler (Year 11): Thursdays and Fridays at Ridgeway; a placement that has not started yet does not count.
	placementtest.Create(t, f.pool, placementtest.Spec{Student: "Tyler", Provider: "ridgeway", Start: d(2026, time.November, 2), Days: []int32{4, 5}})
	placementtest.Create(t, f.pool, placementtest.Spec{Student: "Tyler", Provider: "torquelane", Start: d(2027, time.January, 4), Days: []int32{1}})
	kai, tyler := f.studentID("Kai"), f.studentID("Tyler")

	tt, err := f.store.TimetableOf(f.ctx, f.as(coordinator), kai)
	if err != nil || tt.PlacementTotal() != 12.5 || len(tt.Placements) != 2 || tt.HomeRecorded || !tt.PartTime() {
		t.Fatalf("Kai before the school records anything: %+v, %v", tt, err)
	}
	var ps input.Problems
	if _, err := f.store.RecordTimetable(f.ctx, f.as(coordinator), kai, placement.TimetableInput{HomeSchoolHours: 10}); !errors.As(err, &ps) || ps[0].Field != "review" {
		t.Fatalf("22.5 hours without a review date: %v", err)
	}
	if _, err := f.store.RecordTimetable(f.ctx, f.as(coordinator), kai, placement.TimetableInput{HomeSchoolHours: 10, ReviewOn: d(2026, time.November, 20)}); !errors.As(err, &ps) || ps[0].Field != "review" {
		t.Fatalf("a review date in the past: %v", err)
	}
	if _, err := f.store.RecordTimetable(f.ctx, f.as(coordinator), kai, placement.TimetableInput{HomeSchoolHours: 41}); !errors.As(err, &ps) || ps[0].Field != "home" {
		t.Fatalf("41 hours at the home school: %v", err)
	}
	tt, err = f.store.RecordTimetable(f.ctx, f.as(coordinator), kai, placement.TimetableInput{HomeSchoolHours: 10, ReviewOn: d(2027, time.January, 8)})
	if err != nil || tt.Total() != 22.5 || !tt.PartTime() || tt.Shortfall() != 1.5 || tt.ReviewOn != d(2027, time.January, 8) || tt.Recorded.By != "Hannah Okafor" {
		t.Fatalf("Kai part-time: %+v, %v", tt, err)
	}
	if tt, err = f.store.RecordTimetable(f.ctx, f.as(coordinator), tyler, placement.TimetableInput{HomeSchoolHours: 15}); err != nil || tt.Total() != 25 || tt.PartTime() {
		t.Fatalf("Tyler full-time at 25 hours: %+v, %v", tt, err)
	}
	list, err := f.store.PartTimeTimetables(f.ctx, f.as(coordinator), f.schoolOf(kai))
	if err != nil || len(list) != 1 || list[0].StudentID != kai {
		t.Fatalf("Whitmore's part-time timetables: %+v, %v", list, err)
	}
	// Tyler at 24 hours is part-time in Year 11.
	if _, err := f.store.RecordTimetable(f.ctx, f.as(coordinator), tyler, placement.TimetableInput{HomeSchoolHours: 14}); !errors.As(err, &ps) ||
		ps[0].Message != "Enter the date the part-time timetable will be reviewed: 24 hours a week is below full-time (25 hours for Year 11)" {
		t.Fatalf("Tyler at 24 hours: %v", err)
	}
	// Providers and other schools see nothing.
	for _, who := range []string{ridgewayStaff, "coordinator@canleybrook.school.example"} {
		if _, err := f.store.TimetableOf(f.ctx, f.as(who), kai); !errors.Is(err, db.ErrNotFound) {
			t.Errorf("%s reading Kai's timetable: %v", who, err)
		}
		if list, err := f.store.PartTimeTimetables(f.ctx, f.as(who), f.schoolOf(kai)); err != nil || len(list) != 0 {
			t.Errorf("%s listing Whitmore's part-time timetables: %d, %v", who, len(list), err)
		}
		if _, err := f.store.RecordTimetable(f.ctx, f.as(who), kai, placement.TimetableInput{HomeSchoolHours: 20}); !errors.Is(err, db.ErrNotFound) {
			t.Errorf("%s recording Kai's hours: %v", who, err)
		}
	}
	if got := fmt.Sprint(placement.FormatHours(12.5), " ", placement.FormatHours(24)); got != "12.5 24" {
		t.Errorf("hours shown as %q", got)
	}
}

func (f *fixture) schoolOf(studentID int64) int64 {
	f.t.Helper()
	var id int64
	if err := f.pool.QueryRow(f.ctx, `SELECT school_id FROM students WHERE id = $1`, studentID).Scan(&id); err != nil {
		f.t.Fatal(err)
	}
	return id
}
