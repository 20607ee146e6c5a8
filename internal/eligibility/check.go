package eligibility

import (
	"errors"
	"slices"
	"strconv"
	"strings"

	"github.com/coventry-cap/capportal/internal/calendar"
)

// Refusal says why a school may not refer now. It lists every reason that applies, so a coordinator
// can put everything right at once rather than meeting one refusal after another.
type Refusal struct {
	Reasons []string
}

// Error joins the reasons into one message.
func (r *Refusal) Error() string { return strings.Join(r.Reasons, " ") }

// Reasons returns the reasons of a refusal, or nil when err is not one.
func Reasons(err error) []string {
	var r *Refusal
	if errors.As(err, &r) {
		return r.Reasons
	}
	return nil
}

// secondaryYears are the year groups a programme accepts when it names none.
var secondaryYears = []int{7, 8, 9, 10, 11}

// Check answers whether the school may refer the student to the programme today. It returns nil
// when it may, or a *Refusal listing every reason it may not, each a sentence a coordinator
// understands. Tiers 1 and 2 are open to schools without the SLA (their Tier 2 cases simply lose
// priority, which is not a refusal); Tier 3 is only for SLA schools.
func Check(r Request) error {
	p := r.Programme
	name := p.Name
	if name == "" {
		name = "This programme"
	}
	var reasons []string
	if !p.Active {
		reasons = append(reasons, "This programme has been retired from the CAP Directory and no longer takes referrals.")
	}
	if p.Tier == 3 && !r.SchoolHasSLA {
		school := r.SchoolName
		if school == "" {
			school = "your school"
		}
		year := r.AcademicYear
		if year == "" {
			year = calendar.AcademicYearCode(r.Today)
		}
		reasons = append(reasons, name+" is a Tier 3 programme. Tier 3 is only for schools with the CAP SLA, and "+
			school+" has no signed SLA for "+year+".")
	}
	if reason := yearGroupReason(name, p.YearGroups, r.YearGroup, r.StudentName); reason != "" {
		reasons = append(reasons, reason)
	}
	if reason := windowReason(name, p.Windows, r.Today); reason != "" {
		reasons = append(reasons, reason)
	}
	if len(reasons) == 0 {
		return nil
	}
	return &Refusal{Reasons: reasons}
}

// yearGroupReason refuses a student outside the programme's year groups. Year group 0 means no
// student has been chosen yet, so there is nothing to check.
func yearGroupReason(name string, accepted []int, year int, student string) string {
	if year == 0 {
		return ""
	}
	if len(accepted) == 0 {
		accepted = secondaryYears
	}
	if slices.Contains(accepted, year) {
		return ""
	}
	who := "this student is"
	if student != "" {
		who = student + " is"
	}
	return name + " is for " + describeYears(accepted) + "; " + who + " in Year " + strconv.Itoa(year) + "."
}

// describeYears names year groups as people do: "Year 11", "Years 7 to 11", "Years 7, 9 and 10".
func describeYears(years []int) string {
	ys := slices.Clone(years)
	slices.Sort(ys)
	ys = slices.Compact(ys)
	if len(ys) == 1 {
		return "Year " + strconv.Itoa(ys[0])
	}
	if ys[len(ys)-1]-ys[0] == len(ys)-1 {
		return "Years " + strconv.Itoa(ys[0]) + " to " + strconv.Itoa(ys[len(ys)-1])
	}
	parts := make([]string, len(ys))
	for i, y := range ys {
		parts[i] = strconv.Itoa(y)
	}
	return "Years " + strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
}

// windowReason refuses a referral outside every window. With no windows the programme takes
// referrals all year round. When a window is still to come, the sentence says when to come back;
// when all have passed, it says when they were.
func windowReason(name string, windows []Window, today calendar.Date) string {
	if len(windows) == 0 {
		return ""
	}
	var next *Window
	for i, w := range windows {
		if !today.Before(w.Opens) && !today.After(w.Closes) {
			return ""
		}
		if w.Opens.After(today) && (next == nil || w.Opens.Before(next.Opens)) {
			next = &windows[i]
		}
	}
	if next != nil {
		s := name + " takes referrals from " + next.Opens.Format()
		if next.Label != "" {
			s += " (" + next.Label + ")"
		}
		return s + "."
	}
	past := slices.Clone(windows)
	slices.SortFunc(past, func(a, b Window) int { return a.Opens.Compare(b.Opens) })
	periods := make([]string, len(past))
	for i, w := range past {
		switch {
		case w.Label != "" && i > 0 && past[i-1].Label != "":
			periods[i] = w.Label // "in the autumn term … and the spring term …"
		case w.Label != "":
			periods[i] = "in " + w.Label
		default:
			periods[i] = "from " + w.Opens.Format() + " to " + w.Closes.Format()
		}
	}
	return name + " took referrals only " + joinAnd(periods) + "."
}

// joinAnd joins phrases as a sentence does: "a", "a and b", "a, b and c".
func joinAnd(parts []string) string {
	if len(parts) == 1 {
		return parts[0]
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
}
