package student_test

import (
	"strings"
	"testing"
	"time"

	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/student"
)

func TestNormalYearGroupFollowsTheEnglishSeptemberCutOff(t *testing.T) {
	cases := []struct {
		dob   calendar.Date
		today calendar.Date
		want  int
	}{
		{calendar.NewDate(2014, time.September, 1), today, 7}, // oldest in Year 7 in 2026/27
		{calendar.NewDate(2015, time.August, 31), today, 7},   // youngest in Year 7 in 2026/27
		{calendar.NewDate(2014, time.August, 31), today, 8},
		{calendar.NewDate(2015, time.September, 1), today, 6},
		{calendar.NewDate(2016, time.February, 1), today, 6},
		{calendar.NewDate(2011, time.October, 14), today, 10},
		// In the summer term the year is still the one that started the September before.
		{calendar.NewDate(2015, time.August, 31), calendar.NewDate(2027, time.August, 31), 7},
		{calendar.NewDate(2015, time.August, 31), calendar.NewDate(2027, time.September, 1), 8},
	}
	for _, tc := range cases {
		if got := student.NormalYearGroup(tc.dob, tc.today); got != tc.want {
			t.Errorf("born %s, on %s: Year %d, want Year %d", tc.dob.Format(), tc.today.Format(), got, tc.want)
		}
	}
}

func TestYearGroupMayBeOneEitherSideOfTheNormalOneButNoMore(t *testing.T) {
	dob := calendar.NewDate(2016, time.February, 1) // normally Year 6 in 2026/27
	for year, ok := range map[int]bool{5: true, 6: true, 7: true, 8: false, 9: false, 4: false} {
		msg := student.YearGroupProblem(dob, year, today)
		if ok && msg != "" {
			t.Errorf("Year %d: %q, want allowed", year, msg)
		}
		if want := "A student born on 1 February 2016 would normally be in Year 6 in 2026/27: check the date of birth and year group"; !ok && msg != want {
			t.Errorf("Year %d: %q, want %q", year, msg, want)
		}
	}
	rec := student.Record{Details: student.Details{UPN: "H331290119101", LegalFirstName: "Poppy", LegalLastName: "Vance",
		DateOfBirth: dob, Sex: student.Female, YearGroup: 8, SEN: student.SENNone, CPCIN: student.CPCINNone}}
	ps := rec.Problems(today)
	if len(ps) != 1 || ps[0].Field != student.FieldYearGroup || !strings.Contains(ps[0].Message, "would normally be in Year 6") {
		t.Errorf("problems %+v, want the year group refused", ps)
	}
}

func TestParseCSVRefusesAYearGroupThatDoesNotFitTheDateOfBirth(t *testing.T) {
	pf := parse(t, []byte("UPN,Legal forename,Legal surname,DOB,Sex,Year\n"+
		"H331290119101,Poppy,Vance,01/02/2016,F,8\n"+
		"X33129011910C,Brad,Young,01/02/2016,M,7\n"))
	if got := strings.Join(pf.Rows[0].Problems, " | "); got != "A student born on 1 February 2016 would normally be in Year 6 in 2026/27: check the date of birth and year group" {
		t.Errorf("first row problems %q", got)
	}
	if len(pf.Rows[1].Problems) != 0 {
		t.Errorf("a student a year ahead: %q, want no problems", pf.Rows[1].Problems)
	}
}
