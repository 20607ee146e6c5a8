package calendar

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
)

// SchoolDays answers "is the school open?" from the term dates and bank holidays CAP keeps: a school
// day is a weekday in a term, outside its half term, that is not a bank holiday. Registers are expected
// only on school days, and a programme's weeks are school weeks.
type SchoolDays struct {
	terms    []Term
	holidays map[Date]bool
}

// NewSchoolDays builds the school calendar from terms and bank holidays.
func NewSchoolDays(terms []Term, holidays []Date) SchoolDays {
	sd := SchoolDays{terms: append([]Term(nil), terms...), holidays: make(map[Date]bool, len(holidays))}
	for _, h := range holidays {
		sd.holidays[h] = true
	}
	return sd
}

// IsSchoolDay reports whether schools are open on d.
func (sd SchoolDays) IsSchoolDay(d Date) bool {
	switch d.Weekday() {
	case time.Saturday, time.Sunday:
		return false
	}
	if sd.holidays[d] {
		return false
	}
	for _, t := range sd.terms {
		if t.Contains(d) {
			return !t.InHalfTerm(d)
		}
	}
	return false
}

// Monday is the Monday of d's week.
func Monday(d Date) Date {
	back := (int(d.Weekday()) + 6) % 7
	return d.AddDays(-back)
}

// hasSchoolDay reports whether the week starting on monday has a school day.
func (sd SchoolDays) hasSchoolDay(monday Date) bool {
	for i := 0; i < 5; i++ {
		if sd.IsSchoolDay(monday.AddDays(i)) {
			return true
		}
	}
	return false
}

// SchoolWeek is the school week d falls in, counted from the week of start: 1 for start's own week,
// then one more for each later week with a school day in it, so a half term or a holiday week is not
// counted. open is false when d's week has no school day (the programme pauses; week is then the
// last school week before it). Before start, week is 0.
func (sd SchoolDays) SchoolWeek(start, d Date) (week int, open bool) {
	if d.Before(start) {
		return 0, false
	}
	first, target := Monday(start), Monday(d)
	for w := first; !w.After(target); w = w.AddDays(7) {
		if w == first || sd.hasSchoolDay(w) {
			week++
		}
	}
	return week, target == first || sd.hasSchoolDay(target)
}

// WeekStarting is the Monday of school week n counted from the week of start (n ≥ 1), skipping the
// weeks without school days; the zero Date when the calendar ends first.
func (sd SchoolDays) WeekStarting(start Date, n int) Date {
	w := Monday(start)
	for count, guard := 1, 0; guard < 520; guard++ {
		if count == n {
			return w
		}
		w = w.AddDays(7)
		if sd.hasSchoolDay(w) {
			count++
		}
	}
	return Date{}
}

// Terms are the terms CAP keeps, in date order.
func (s Store) Terms(ctx context.Context) ([]Term, error) {
	k, err := s.keptFor(ctx)
	switch {
	case err != nil:
		return nil, err
	case k != nil:
		return slices.Clone(k.terms), nil
	}
	return s.readTerms(ctx)
}

func (s Store) readTerms(ctx context.Context) ([]Term, error) {
	rows, err := s.DB.Query(ctx, `SELECT name, starts_on, ends_on, half_term_start, half_term_end FROM terms ORDER BY starts_on`)
	if err != nil {
		return nil, fmt.Errorf("load terms: %w", err)
	}
	terms, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Term, error) {
		var t Term
		err := r.Scan(&t.Name, &t.Start, &t.End, &t.HalfTermStart, &t.HalfTermEnd)
		return t, err
	})
	if err != nil {
		return nil, fmt.Errorf("load terms: %w", err)
	}
	return terms, nil
}

// SchoolDays reads the terms and bank holidays CAP keeps.
func (s Store) SchoolDays(ctx context.Context) (SchoolDays, error) {
	k, err := s.keptFor(ctx)
	switch {
	case err != nil:
		return SchoolDays{}, err
	case k != nil:
		return k.days, nil
	}
	terms, err := s.readTerms(ctx)
	if err != nil {
		return SchoolDays{}, err
	}
	hrows, err := s.DB.Query(ctx, `SELECT day FROM bank_holidays`)
	if err != nil {
		return SchoolDays{}, fmt.Errorf("load bank holidays: %w", err)
	}
	days, err := pgx.CollectRows(hrows, pgx.RowTo[Date])
	if err != nil {
		return SchoolDays{}, fmt.Errorf("load bank holidays: %w", err)
	}
	return NewSchoolDays(terms, days), nil
}
