package calendar

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/coventry-cap/capportal/internal/refdata"
)

// The academic years, terms and bank holidays are reference data (refdata.Kept): a store over a pool
// keeps what it read under the request's reference version, so a page reads the calendar only after
// a change. A store over a transaction always reads, in the transaction's snapshot.

// keptCalendar is the calendar as read at a version.
type keptCalendar struct {
	years    []yearSpan
	terms    []Term
	holidays []Holiday // in date order
	days     SchoolDays
}

type yearSpan struct {
	code       string
	start, end Date
}

var kept refdata.Kept[*pgxpool.Pool, *keptCalendar]

// keptFor returns the calendar kept for the request's version, reading it when the version moved
// on; nil when the store cannot keep one (over a transaction, or no version in the context).
func (s Store) keptFor(ctx context.Context) (*keptCalendar, error) {
	pool, ok := s.DB.(*pgxpool.Pool)
	if !ok || refdata.Version(ctx) <= 0 {
		return nil, nil
	}
	return kept.Get(ctx, pool, func() (*keptCalendar, error) { return s.readCalendar(ctx) })
}

func (s Store) readCalendar(ctx context.Context) (*keptCalendar, error) {
	k := &keptCalendar{}
	rows, err := s.DB.Query(ctx, `SELECT code, starts_on, ends_on FROM academic_years ORDER BY starts_on`)
	if err != nil {
		return nil, fmt.Errorf("load academic years: %w", err)
	}
	if k.years, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (yearSpan, error) {
		var y yearSpan
		return y, r.Scan(&y.code, &y.start, &y.end)
	}); err != nil {
		return nil, fmt.Errorf("load academic years: %w", err)
	}
	if k.terms, err = s.readTerms(ctx); err != nil {
		return nil, err
	}
	rows, err = s.DB.Query(ctx, `SELECT day, name FROM bank_holidays ORDER BY day`)
	if err != nil {
		return nil, fmt.Errorf("load bank holidays: %w", err)
	}
	if k.holidays, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (Holiday, error) {
		var h Holiday
		return h, r.Scan(&h.Date, &h.Name)
	}); err != nil {
		return nil, fmt.Errorf("load bank holidays: %w", err)
	}
	days := make([]Date, len(k.holidays))
	for i, h := range k.holidays {
		days[i] = h.Date
	}
	k.days = NewSchoolDays(k.terms, days)
	return k, nil
}

// position is LoadPosition's answer from the kept calendar.
func (k *keptCalendar) position(day Date) Position {
	p := Position{Day: day}
	for _, y := range k.years {
		if !day.Before(y.start) && !day.After(y.end) {
			p.AcademicYear = y.code
			break
		}
	}
	for _, t := range k.terms {
		if !day.Before(t.Start) && !day.After(t.End) {
			t := t
			p.Term = &t
			break
		}
	}
	for _, h := range k.holidays {
		if !h.Date.Before(day) {
			h := h
			p.NextHoliday = &h
			break
		}
	}
	return p
}
