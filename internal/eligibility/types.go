// Package eligibility answers one question for the whole portal: may this school refer this student to
// this programme now, and if not, why — in sentences a school coordinator understands.
package eligibility

import "github.com/coventry-cap/capportal/internal/calendar"

// Programme is what eligibility needs to know of a CAP Directory programme.
type Programme struct {
	Name       string
	Tier       int    // 1, 2 or 3
	Kind       string // course, insight, flourish, supported_transfer, refocus, focus11, year11_post16
	YearGroups []int  // the year groups it accepts; empty means any secondary year (7–11)
	Active     bool
	// Windows are the periods in which referrals are taken. None means all year round.
	Windows []Window
}

// Window is a period in which a programme takes referrals.
type Window struct {
	AcademicYear string        // "2025/26"
	Opens        calendar.Date // first day referrals are taken
	Closes       calendar.Date // last day referrals are taken
	Label        string        // how people name it: "the autumn term of 2025/26"
}

// Request is one "may we refer?" question.
type Request struct {
	Programme    Programme
	SchoolName   string
	AcademicYear string // the academic year of Today, e.g. "2026/27"
	SchoolHasSLA bool   // a signed SLA for AcademicYear
	YearGroup    int    // the student's year group; 0 when no student has been chosen yet
	StudentName  string // for the sentence about year groups; may be empty
	Today        calendar.Date
}
