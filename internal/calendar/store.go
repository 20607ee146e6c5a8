package calendar

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// Querier is the part of a pool or transaction the calendar store uses.
type Querier interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

// Store reads the calendar the database holds. DB is the pool or a transaction.
type Store struct {
	DB Querier
}

// On is the store over a pool or a transaction.
func On(q Querier) Store { return Store{DB: q} }

// Position is a day's place in the school year, as the database holds it (CAP edits and rolls it over there).
type Position struct {
	Day          Date
	AcademicYear string // "" when no academic year covers the day
	Term         *Term  // nil outside term time
	NextHoliday  *Holiday
}

// LoadPosition reads the academic year, term and next bank holiday for the day.
func (s Store) LoadPosition(ctx context.Context, day Date) (Position, error) {
	k, err := s.keptFor(ctx)
	switch {
	case err != nil:
		return Position{Day: day}, err
	case k != nil:
		return k.position(day), nil
	}
	t := Position{Day: day}
	err = s.DB.QueryRow(ctx, `SELECT code FROM academic_years WHERE $1 BETWEEN starts_on AND ends_on`, day).Scan(&t.AcademicYear)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return t, fmt.Errorf("load academic year: %w", err)
	}
	var term Term
	err = s.DB.QueryRow(ctx, `
		SELECT name, starts_on, ends_on, half_term_start, half_term_end FROM terms
		WHERE $1 BETWEEN starts_on AND ends_on`, day).Scan(&term.Name, &term.Start, &term.End, &term.HalfTermStart, &term.HalfTermEnd)
	switch {
	case err == nil:
		t.Term = &term
	case !errors.Is(err, pgx.ErrNoRows):
		return t, fmt.Errorf("load term: %w", err)
	}
	var h Holiday
	err = s.DB.QueryRow(ctx, `SELECT day, name FROM bank_holidays WHERE day >= $1 ORDER BY day LIMIT 1`, day).Scan(&h.Date, &h.Name)
	switch {
	case err == nil:
		t.NextHoliday = &h
	case !errors.Is(err, pgx.ErrNoRows):
		return t, fmt.Errorf("load bank holiday: %w", err)
	}
	return t, nil
}

// Seed writes the academic years, terms and bank holidays this package knows, keeping any dates CAP
// has already changed in the database.
func Seed(ctx context.Context, q Querier) error {
	for _, y := range AcademicYears() {
		if _, err := q.Exec(ctx, `INSERT INTO academic_years (code, starts_on, ends_on) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
			y.Code, y.Start, y.End); err != nil {
			return fmt.Errorf("seed academic year %s: %w", y.Code, err)
		}
		for _, t := range y.Terms {
			if _, err := q.Exec(ctx, `
				INSERT INTO terms (academic_year, name, starts_on, ends_on, half_term_start, half_term_end)
				VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
				y.Code, t.Name, t.Start, t.End, t.HalfTermStart, t.HalfTermEnd); err != nil {
				return fmt.Errorf("seed %s term %s: %w", y.Code, t.Name, err)
			}
		}
	}
	for _, h := range BankHolidaysEnglandWales() {
		if _, err := q.Exec(ctx, `INSERT INTO bank_holidays (day, name) VALUES ($1, $2) ON CONFLICT DO NOTHING`, h.Date, h.Name); err != nil {
			return fmt.Errorf("seed bank holiday %s: %w", h.Date, err)
		}
	}
	return nil
}
