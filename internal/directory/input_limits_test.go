package directory_test

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/directory"
)

func TestSearchWithThePageNumberTooLargeToCountShowsTheLastPage(t *testing.T) {
	pool, _ := newDirectory(t)
	all := count(t, pool, `SELECT count(*) FROM programmes WHERE active`)
	lastPage := (all + directory.PageSize - 1) / directory.PageSize
	for _, page := range []int{math.MaxInt, math.MaxInt / directory.PageSize, math.MaxInt32} {
		res, err := directory.On(pool).Search(ctx, directory.Filter{}, page)
		if err != nil {
			t.Fatalf("page %d: %v", page, err)
		}
		if res.Page != lastPage || res.Total != all || len(res.Programmes) != all-(lastPage-1)*directory.PageSize {
			t.Errorf("page %d: showed page %d with %d of %d, want the last page %d", page, res.Page, len(res.Programmes), res.Total, lastPage)
		}
	}
}

// validCourse is a programme that breaks no rule, with one referral window in the autumn of 2026/27.
func validCourse() directory.ProgrammeInput {
	return directory.ProgrammeInput{Kind: directory.Course, Name: "A", ProviderID: 1, Category: "Employability", Description: "D",
		Duration: "6 weeks", DurationWeeks: 6, DaysPerWeek: 1, Days: []time.Weekday{time.Monday}, YearGroups: []int{9, 10, 11},
		Windows: []directory.WindowInput{{AcademicYear: "2026/27", Opens: calendar.NewDate(2026, time.September, 1),
			Closes: calendar.NewDate(2026, time.December, 18), Label: "the autumn term of 2026/27"}}}
}

func problemsOn(ps []directory.Problem, field string) []string {
	var out []string
	for _, p := range ps {
		if p.Field == field {
			out = append(out, p.Message)
		}
	}
	return out
}

func TestReferralWindowDatesMustFallInTheirAcademicYear(t *testing.T) {
	const outside = "must be in the 2026/27 academic year, between 1 September 2026 and 31 August 2027"
	cases := []struct {
		name                  string
		opens, closes         calendar.Date
		wantOpens, wantCloses bool
	}{
		{"the whole year", calendar.NewDate(2026, time.September, 1), calendar.NewDate(2027, time.August, 31), false, false},
		{"both in 2031", calendar.NewDate(2031, time.September, 1), calendar.NewDate(2031, time.December, 18), true, true},
		{"opening the day before the year", calendar.NewDate(2026, time.August, 31), calendar.NewDate(2026, time.December, 18), true, false},
		{"closing the day after the year", calendar.NewDate(2027, time.June, 1), calendar.NewDate(2027, time.September, 1), false, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			in := validCourse()
			in.Windows[0].Opens, in.Windows[0].Closes = tc.opens, tc.closes
			in.Normalise()
			ps := in.Validate()
			opens, closes := problemsOn(ps, "opens"), problemsOn(ps, "closes")
			if got := len(opens) == 1 && strings.HasSuffix(opens[0], outside); got != tc.wantOpens || (!tc.wantOpens && len(opens) > 0) {
				t.Errorf("opens problems %q, want refused: %v", opens, tc.wantOpens)
			}
			if got := len(closes) == 1 && strings.HasSuffix(closes[0], outside); got != tc.wantCloses || (!tc.wantCloses && len(closes) > 0) {
				t.Errorf("closes problems %q, want refused: %v", closes, tc.wantCloses)
			}
			if len(ps) != len(opens)+len(closes) {
				t.Errorf("other problems: %+v", ps)
			}
		})
	}
}

func TestProgrammeNameLimitCountsCharactersNotBytes(t *testing.T) {
	in := validCourse()
	in.Name = strings.Repeat("é", 200) // 400 bytes
	in.Normalise()
	if ps := in.Validate(); len(ps) != 0 {
		t.Errorf("a name of 200 accented letters: %+v, want no problems", ps)
	}
	in.Name = strings.Repeat("é", 201)
	if got := problemsOn(in.Validate(), "name"); len(got) != 1 || got[0] != "Enter a name of 200 characters or fewer" {
		t.Errorf("a name of 201 accented letters: %q", got)
	}
}
