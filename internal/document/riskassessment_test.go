package document

import (
	"strings"
	"testing"
	"time"

	"github.com/coventry-cap/capportal/internal/calendar"
)

func d(y int, m time.Month, day int) calendar.Date { return calendar.NewDate(y, m, day) }

func TestRiskAssessmentEarliest(t *testing.T) {
	cases := []struct{ submission, want calendar.Date }{
		{d(2026, time.November, 23), d(2026, time.August, 23)},
		{d(2026, time.May, 31), d(2026, time.February, 28)},
		{d(2028, time.May, 31), d(2028, time.February, 29)}, // leap year
		{d(2028, time.May, 29), d(2028, time.February, 29)},
		{d(2026, time.May, 28), d(2026, time.February, 28)},
		{d(2026, time.December, 31), d(2026, time.September, 30)},
		{d(2026, time.February, 15), d(2025, time.November, 15)}, // across the year end
		{d(2027, time.January, 31), d(2026, time.October, 31)},
		{d(2026, time.March, 1), d(2025, time.December, 1)},
	}
	for _, c := range cases {
		if got := RiskAssessmentEarliest(c.submission); got != c.want {
			t.Errorf("RiskAssessmentEarliest(%s) = %s, want %s", c.submission, got, c.want)
		}
	}
}

func TestRiskAssessmentProblemAtTheBoundary(t *testing.T) {
	cases := []struct {
		name                  string
		completed, submission calendar.Date
		ok                    bool
	}{
		{"exactly three months", d(2026, time.August, 23), d(2026, time.November, 23), true},
		{"a day more than three months", d(2026, time.August, 22), d(2026, time.November, 23), false},
		{"completed on the day", d(2026, time.November, 23), d(2026, time.November, 23), true},
		{"completed tomorrow", d(2026, time.November, 24), d(2026, time.November, 23), false},
		{"month end clamps to 28 February", d(2026, time.February, 28), d(2026, time.May, 31), true},
		{"27 February is too old for 31 May", d(2026, time.February, 27), d(2026, time.May, 31), false},
		{"leap year: 29 February allowed for 31 May", d(2028, time.February, 29), d(2028, time.May, 31), true},
		{"leap year: 28 February too old for 31 May", d(2028, time.February, 28), d(2028, time.May, 31), false},
		{"leap year: 29 February allowed for 30 May", d(2028, time.February, 29), d(2028, time.May, 30), true},
		{"leap year: 29 May needs 29 February", d(2028, time.February, 28), d(2028, time.May, 29), false},
		{"30 September for 31 December", d(2026, time.September, 30), d(2026, time.December, 31), true},
		{"29 September too old for 31 December", d(2026, time.September, 29), d(2026, time.December, 31), false},
		{"across the year end", d(2025, time.November, 15), d(2026, time.February, 15), true},
		{"across the year end, a day early", d(2025, time.November, 14), d(2026, time.February, 15), false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := RiskAssessmentProblem(c.completed, c.submission)
			if (got == "") != c.ok {
				t.Fatalf("RiskAssessmentProblem(%s, %s) = %q, want ok=%v", c.completed, c.submission, got, c.ok)
			}
		})
	}
}

func TestRiskAssessmentProblemMessages(t *testing.T) {
	got := RiskAssessmentProblem(d(2026, time.August, 22), d(2026, time.November, 23))
	want := "The risk assessment was completed on 22 August 2026, more than three months before 23 November 2026. " +
		"CAP cannot accept a risk assessment completed before 23 August 2026: upload an updated one."
	if got != want {
		t.Errorf("old risk assessment:\n got %q\nwant %q", got, want)
	}
	if got := RiskAssessmentProblem(d(2026, time.November, 24), d(2026, time.November, 23)); got !=
		"The date the risk assessment was completed must be today or in the past" {
		t.Errorf("future risk assessment: %q", got)
	}
	if got := RiskAssessmentProblem(calendar.Date{}, d(2026, time.November, 23)); !strings.Contains(got, "Enter the date") {
		t.Errorf("missing date: %q", got)
	}
}
