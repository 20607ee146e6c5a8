package document

import (
	"fmt"

	"github.com/coventry-cap/capportal/internal/calendar"
)

// RiskAssessmentEarliest is the earliest completion date CAP accepts for a referral submitted on
// submission: the same day of the month three calendar months before, or that month's last day when it
// is shorter (31 May → 28 February, or 29 February in a leap year).
func RiskAssessmentEarliest(submission calendar.Date) calendar.Date {
	// The first of the month three months back never overflows, so its month is the one we want.
	first := calendar.NewDate(submission.Year, submission.Month-3, 1)
	last := calendar.NewDate(first.Year, first.Month+1, 0).Day
	return calendar.NewDate(first.Year, first.Month, min(submission.Day, last))
}

// RiskAssessmentProblem says what is wrong with a risk assessment completed on completed for a referral
// submitted on submission, or "" when CAP can accept it. The welcome pack asks for one completed no more
// than three months before the referral is made.
func RiskAssessmentProblem(completed, submission calendar.Date) string {
	switch earliest := RiskAssessmentEarliest(submission); {
	case completed.IsZero():
		return "Enter the date the risk assessment was completed"
	case completed.After(submission):
		return "The date the risk assessment was completed must be today or in the past"
	case completed.Before(earliest):
		return fmt.Sprintf("The risk assessment was completed on %s, more than three months before %s. "+
			"CAP cannot accept a risk assessment completed before %s: upload an updated one.",
			completed.Format(), submission.Format(), earliest.Format())
	}
	return ""
}
