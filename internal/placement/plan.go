package placement

import (
	"context"
	"fmt"
	"slices"

	"github.com/jackc/pgx/v5"

	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/directory"
)

// HoursPerSession is how long a provider session counts for when a placement's hours are first set:
// a school day of five hours is two sessions.
const HoursPerSession = 2.5

// lastSchoolDay is the last school day of the school week starting on monday.
func lastSchoolDay(sd calendar.SchoolDays, monday calendar.Date) calendar.Date {
	for i := 4; i >= 0; i-- {
		if d := monday.AddDays(i); sd.IsSchoolDay(d) {
			return d
		}
	}
	return monday.AddDays(4)
}

// halfTermEnds are the last school days of each half term (a term's half before and after its half
// term) from start up to until, in order.
func halfTermEnds(sd calendar.SchoolDays, terms []calendar.Term, start, until calendar.Date) []calendar.Date {
	var out []calendar.Date
	for _, t := range terms {
		for _, end := range []calendar.Date{t.HalfTermStart.AddDays(-1), t.End} {
			// The last school day on or before the half's last calendar day.
			for !sd.IsSchoolDay(end) && end.After(t.Start) {
				end = end.AddDays(-1)
			}
			if end.After(start) && !end.After(until) {
				out = append(out, end)
			}
		}
	}
	slices.SortFunc(out, func(a, b calendar.Date) int { return a.Compare(b) })
	return out
}

// Plan is what a placement agrees at its start and CAP can change: its planned end, hours a week and
// review dates.
type Plan struct {
	PlannedEnd   calendar.Date
	HoursPerWeek float64
	ReviewDates  []calendar.Date
}

// DefaultPlan is a new placement's plan. Refocus and Focus 11 end on the last school day of their
// tenth school week; another programme with a length in weeks ends after that many school weeks.
// Hours are the sessions a week at HoursPerSession. A review falls on the last school day of each half
// term the placement runs in (at least every half term), and on its last day; one within ten days of
// the start is left out, as too soon to review anything.
func DefaultPlan(sd calendar.SchoolDays, terms []calendar.Term, kind directory.Kind, start calendar.Date, days []int32, sessions int, weeks int) Plan {
	var p Plan
	switch {
	case kind == directory.Refocus || kind == directory.Focus11:
		weeks = RefocusWeeks
	case weeks <= 0:
		weeks = 0
	}
	if weeks > 0 {
		if mon := sd.WeekStarting(start, weeks); !mon.IsZero() {
			p.PlannedEnd = lastSchoolDay(sd, mon)
		}
	}
	atAcademy := len(days)
	p.HoursPerWeek = float64(atAcademy*max(sessions, 1)) * HoursPerSession
	until := p.PlannedEnd
	if until.IsZero() {
		// No planned end: review through the academic year it starts in.
		if y, ok := calendar.LookupAcademicYear(calendar.AcademicYearCode(start)); ok {
			until = y.End
		} else {
			until = start.AddDays(365)
		}
	}
	for _, d := range halfTermEnds(sd, terms, start, until) {
		if start.DaysUntil(d) >= 10 {
			p.ReviewDates = append(p.ReviewDates, d)
		}
	}
	if !p.PlannedEnd.IsZero() && !slices.Contains(p.ReviewDates, p.PlannedEnd) {
		p.ReviewDates = append(p.ReviewDates, p.PlannedEnd)
	}
	return p
}

// SetUpPlan gives a placement just set up (inside the transaction that set it up) its default plan, and
// refuses it when the student already has a placement on one of its sessions (RefuseSessionClash).
func SetUpPlan(ctx context.Context, tx pgx.Tx, placementID int64) error {
	var kind directory.Kind
	var start calendar.Date
	var days []int32
	var sessions []string
	var weeks int
	err := tx.QueryRow(ctx, `SELECT pg.kind, p.start_date, p.days, p.sessions, coalesce(pg.duration_weeks, 0)
		FROM placements p JOIN programmes pg ON pg.id = p.programme_id WHERE p.id = $1`, placementID).
		Scan(&kind, &start, &days, &sessions, &weeks)
	if err != nil {
		return fmt.Errorf("read new placement: %w", err)
	}
	sd, err := calendar.On(tx).SchoolDays(ctx)
	if err != nil {
		return err
	}
	terms, err := calendar.On(tx).Terms(ctx)
	if err != nil {
		return err
	}
	plan := DefaultPlan(sd, terms, kind, start, days, len(sessions), weeks)
	var hours *float64
	if plan.HoursPerWeek > 0 {
		h := min(plan.HoursPerWeek, 40)
		hours = &h
	}
	if _, err := tx.Exec(ctx, `UPDATE placements SET planned_end_date = $2, hours_per_week = $3 WHERE id = $1`,
		placementID, plan.PlannedEnd, hours); err != nil {
		return fmt.Errorf("plan the placement: %w", err)
	}
	if _, err := tx.Exec(ctx, `INSERT INTO placement_review_dates (placement_id, due_on) SELECT $1, d FROM unnest($2::date[]) AS d
		ON CONFLICT DO NOTHING`, placementID, plan.ReviewDates); err != nil {
		return fmt.Errorf("set review dates: %w", err)
	}
	return RefuseSessionClash(ctx, tx, placementID)
}
