package referral

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/directory"
)

// acceptanceDays is the bank-holiday calendar the start date is checked against; read-only once built.
var acceptanceDays = calendar.EnglandWalesWorkingDays()

// WeekdayDate is a date with its weekday, "Monday 4 January 2027", so a mismatch with the days
// chosen is plain to see.
func WeekdayDate(d calendar.Date) string {
	return d.Weekday().String() + " " + d.Format()
}

// CheckAcceptance checks what a provider accepts a student with against the school calendar CAP keeps
// and the programme: the start date must be a school day (in term time, not in a half term, not a
// bank holiday) no more than a year from today; every day chosen must be one the programme runs on
// (any weekday, when the programme names none); and the start date must fall on one of the days
// chosen. A zero start date is not checked (the form has already said what is wrong with it).
// Problems are for the fields "start" and "days", at most one each.
func (s Store) CheckAcceptance(ctx context.Context, today, start calendar.Date, days []time.Weekday,
	programme string, runs []time.Weekday) ([]Problem, error) {
	var ps []Problem
	if !start.IsZero() {
		msg, err := startDateProblem(ctx, s.DB, today, start)
		if err != nil {
			return nil, err
		}
		if msg == "" && len(days) > 0 && !slices.Contains(days, start.Weekday()) {
			msg = "The start date is a " + start.Weekday().String() + ", which is not one of the days the student will attend: " +
				"choose a start date on one of their days, or add " + start.Weekday().String()
		}
		if msg != "" {
			ps = append(ps, Problem{Field: "start", Message: msg})
		}
	}
	if len(runs) > 0 {
		var wrong []time.Weekday
		for _, d := range days {
			if !slices.Contains(runs, d) {
				wrong = append(wrong, d)
			}
		}
		if len(wrong) > 0 {
			verb := "is not one of its days"
			if len(wrong) > 1 {
				verb = "are not its days"
			}
			ps = append(ps, Problem{Field: "days", Message: fmt.Sprintf("%s runs on %s only: %s %s", programme, directory.DaysText(runs),
				directory.DaysText(wrong), verb)})
		}
	}
	return ps, nil
}

// startDateProblem says why the start date is not a school day a student could start on, or "".
func startDateProblem(ctx context.Context, q calendar.Querier, today, start calendar.Date) (string, error) {
	if latest := calendar.NewDate(today.Year+1, today.Month, today.Day); start.After(latest) {
		return "The start date must be no more than a year from today, by " + latest.Format(), nil
	}
	pos, err := calendar.On(q).LoadPosition(ctx, start)
	if err != nil {
		return "", fmt.Errorf("check the start date: %w", err)
	}
	// CAP may add a bank holiday in the database (a one-off day); the built-in list covers the rest.
	if h := pos.NextHoliday; h != nil && h.Date == start {
		return "The start date cannot be a bank holiday: " + start.Format() + " is " + h.Name, nil
	}
	if start.Weekday() != time.Saturday && start.Weekday() != time.Sunday && !acceptanceDays.IsWorkingDay(start) {
		name := "a bank holiday"
		for _, h := range calendar.BankHolidaysEnglandWales() {
			if h.Date == start {
				name = h.Name
			}
		}
		return "The start date cannot be a bank holiday: " + start.Format() + " is " + name, nil
	}
	switch t := pos.Term; {
	case pos.AcademicYear == "" && t == nil:
		return "The start date must be in term time, and the portal has no term dates for " + start.Format() +
			" yet: choose an earlier date, or ask CAP to add the term dates", nil
	case t == nil:
		return "The start date must be in term time: " + start.Format() + " is in the school holidays", nil
	case t.InHalfTerm(start):
		return "The start date must be in term time: " + start.Format() + " is in the " + strings.ToLower(t.Name) +
			" half term (" + t.HalfTermStart.Format() + " to " + t.HalfTermEnd.Format() + ")", nil
	}
	return "", nil
}
