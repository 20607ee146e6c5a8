package calendar

import (
	"fmt"
	"strconv"
	"time"
)

// Term holds one school term; Start..End includes the half-term week, as published term dates do.
type Term struct {
	Name          string // "Autumn", "Spring" or "Summer"
	Start, End    Date
	HalfTermStart Date
	HalfTermEnd   Date
}

// Contains treats both ends as inclusive, matching how term dates are published.
func (t Term) Contains(d Date) bool { return !d.Before(t.Start) && !d.After(t.End) }

// InHalfTerm lets callers skip sessions and reviews that cannot happen while schools are closed.
func (t Term) InHalfTerm(d Date) bool {
	return !d.Before(t.HalfTermStart) && !d.After(t.HalfTermEnd)
}

// AcademicYear spans 1 September to 31 August, the period used for cohorts, references and funding.
type AcademicYear struct {
	Code       string // e.g. "2025/26"
	Start, End Date
	Terms      []Term
}

// TermOn finds the term in session on d; false means a school holiday between terms (or outside the year), not half term.
func (y AcademicYear) TermOn(d Date) (Term, bool) {
	for _, t := range y.Terms {
		if t.Contains(d) {
			return t, true
		}
	}
	return Term{}, false
}

// Contains reports whether d falls in this academic year, both ends inclusive.
func (y AcademicYear) Contains(d Date) bool { return !d.Before(y.Start) && !d.After(y.End) }

// academicYears follows Coventry community-school term dates (pupil days; INSET
// days are set per school and deliberately omitted). Add a year each spring
// once the council publishes it.
var academicYears = []AcademicYear{
	{
		Code:  "2025/26",
		Start: Date{2025, time.September, 1},
		End:   Date{2026, time.August, 31},
		Terms: []Term{
			{"Autumn", Date{2025, time.September, 3}, Date{2025, time.December, 19}, Date{2025, time.October, 27}, Date{2025, time.October, 31}},
			{"Spring", Date{2026, time.January, 5}, Date{2026, time.March, 27}, Date{2026, time.February, 16}, Date{2026, time.February, 20}},
			{"Summer", Date{2026, time.April, 13}, Date{2026, time.July, 22}, Date{2026, time.May, 25}, Date{2026, time.May, 29}},
		},
	},
	{
		Code:  "2026/27",
		Start: Date{2026, time.September, 1},
		End:   Date{2027, time.August, 31},
		Terms: []Term{
			{"Autumn", Date{2026, time.September, 2}, Date{2026, time.December, 18}, Date{2026, time.October, 26}, Date{2026, time.October, 30}},
			// 26 March 2027 is Good Friday, so the last day pupils attend is in practice Thursday 25 March.
			{"Spring", Date{2027, time.January, 4}, Date{2027, time.March, 26}, Date{2027, time.February, 15}, Date{2027, time.February, 19}},
			{"Summer", Date{2027, time.April, 12}, Date{2027, time.July, 21}, Date{2027, time.May, 31}, Date{2027, time.June, 4}},
		},
	},
}

// AcademicYears returns deep copies so callers cannot edit the shared term table.
func AcademicYears() []AcademicYear {
	out := make([]AcademicYear, len(academicYears))
	for i, y := range academicYears {
		y.Terms = append([]Term(nil), y.Terms...)
		out[i] = y
	}
	return out
}

// LookupAcademicYear finds term dates by code; false means the year has not been loaded yet, which callers must handle rather than guess.
func LookupAcademicYear(code string) (AcademicYear, bool) {
	for _, y := range AcademicYears() {
		if y.Code == code {
			return y, true
		}
	}
	return AcademicYear{}, false
}

// AcademicYearCode works for any date, even years without term data, because references and cohorts need a code regardless.
func AcademicYearCode(d Date) string {
	start := d.Year
	if d.Month < time.September {
		start--
	}
	return formatCode(start)
}

func formatCode(start int) string {
	return fmt.Sprintf("%04d/%02d", start, (start+1)%100)
}

// ParseAcademicYearCode validates a "2025/26" code from user or database input and returns its starting calendar year.
func ParseAcademicYearCode(code string) (int, error) {
	if len(code) == 7 && code[4] == '/' && allDigits(code[:4]) && allDigits(code[5:]) {
		start, _ := strconv.Atoi(code[:4])
		end, _ := strconv.Atoi(code[5:])
		if end == (start+1)%100 {
			return start, nil
		}
	}
	return 0, fmt.Errorf("calendar: invalid academic year code %q: want e.g. 2025/26", code)
}

func allDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// NextAcademicYearCode rolls a code forward for "next year" cohorts; it returns "" for a malformed code rather than inventing one.
func NextAcademicYearCode(code string) string {
	start, err := ParseAcademicYearCode(code)
	if err != nil {
		return ""
	}
	return formatCode(start + 1)
}

// ShortCode compresses "2026/27" to "2627" for case references such as CAP-2627-00042; it returns "" for a malformed code.
func ShortCode(code string) string {
	if _, err := ParseAcademicYearCode(code); err != nil {
		return ""
	}
	return code[2:4] + code[5:7]
}

// SameWeekdayNextYear finds next year's equivalent of a date in CAP's calendar (a referral deadline,
// a term's first day) by keeping its weekday and its week of the month: the third Wednesday of
// September stays the third Wednesday of September (Wednesday 17 September 2025 becomes Wednesday
// 16 September 2026, which becomes Wednesday 15 September 2027). A fifth weekday that next year's
// month lacks becomes that month's last such weekday.
//
// Simply adding 52 weeks keeps the weekday too, but lands a day or two earlier every year, so dates
// rolled over year after year drift out of their month (a term starting Wednesday 2 September 2026
// would start on Wednesday 30 August 2028, in the previous academic year). Counting weeks within the
// month never drifts.
func SameWeekdayNextYear(d Date) Date {
	nth := (d.Day-1)/7 + 1 // 1st, 2nd, … occurrence of this weekday in the month
	first := NewDate(d.Year+1, d.Month, 1)
	offset := (int(d.Weekday()) - int(first.Weekday()) + 7) % 7
	out := first.AddDays(offset + 7*(nth-1))
	if out.Month != d.Month {
		out = out.AddDays(-7)
	}
	return out
}
