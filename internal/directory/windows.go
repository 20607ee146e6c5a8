package directory

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/db"
)

// ErrUnknownYear is returned when an academic year is not in the calendar yet.
var ErrUnknownYear = errors.New("that academic year is not in the calendar")

// CopyWindows copies every referral window of fromYear's current programmes into toYear, as drafts,
// with each date moved to the same weekday of the same week the following year (a window closing on
// Wednesday 17 September 2025 closes on Wednesday 16 September 2026). Labels naming fromYear name
// toYear instead. A window copied before is not copied again. It returns how many it copied.
//
// It runs in the caller's transaction and writes no audit entry: the rollover that calls it records
// the whole copy once.
func CopyWindows(ctx context.Context, tx pgx.Tx, fromYear, toYear string) (int, error) {
	if err := yearsExist(ctx, tx, fromYear, toYear); err != nil {
		return 0, err
	}
	rows, err := tx.Query(ctx, `
		SELECT w.id, w.programme_id, w.opens_on, w.closes_on, w.label
		FROM programme_windows w JOIN programmes p ON p.id = w.programme_id
		WHERE w.academic_year = $1 AND p.active
		  AND NOT EXISTS (SELECT 1 FROM programme_windows c WHERE c.copied_from = w.id)
		ORDER BY w.id`, fromYear)
	if err != nil {
		return 0, fmt.Errorf("copy referral windows: %w", err)
	}
	type source struct {
		ID, ProgrammeID int64
		Opens, Closes   calendar.Date
		Label           string
	}
	sources, err := pgx.CollectRows(rows, pgx.RowToStructByPos[source])
	if err != nil {
		return 0, fmt.Errorf("copy referral windows: %w", err)
	}
	copied := 0
	for _, s := range sources {
		tag, err := tx.Exec(ctx, `
			INSERT INTO programme_windows (programme_id, academic_year, opens_on, closes_on, label, draft, copied_from)
			VALUES ($1, $2, $3, $4, $5, true, $6)
			ON CONFLICT (copied_from) DO NOTHING`,
			s.ProgrammeID, toYear, calendar.SameWeekdayNextYear(s.Opens), calendar.SameWeekdayNextYear(s.Closes),
			strings.ReplaceAll(s.Label, fromYear, toYear), s.ID)
		if err != nil {
			return copied, fmt.Errorf("copy referral window %d: %w", s.ID, err)
		}
		copied += int(tag.RowsAffected())
	}
	return copied, nil
}

// ConfirmWindows puts a year's draft referral windows into effect. It returns how many it confirmed.
// Like CopyWindows, it leaves the audit entry to its caller.
func ConfirmWindows(ctx context.Context, tx pgx.Tx, year string) (int, error) {
	if err := yearsExist(ctx, tx, year); err != nil {
		return 0, err
	}
	tag, err := tx.Exec(ctx, `UPDATE programme_windows SET draft = false WHERE academic_year = $1 AND draft`, year)
	if err != nil {
		return 0, fmt.Errorf("confirm referral windows: %w", err)
	}
	return int(tag.RowsAffected()), nil
}

// YearWindow is a referral window with the programme it belongs to.
type YearWindow struct {
	Window
	ProgrammeID   int64
	ProgrammeName string
	ProviderName  string
}

// ListWindows returns the referral windows of an academic year, in date order, for reviewing a
// rollover before confirming it.
func (s Store) ListWindows(ctx context.Context, year string) ([]YearWindow, error) {
	rows, err := s.DB.Query(ctx, `
		SELECT w.id, w.academic_year, w.opens_on, w.closes_on, w.label, w.draft, p.id, p.name, p.provider_name
		FROM programme_windows w JOIN programmes p ON p.id = w.programme_id
		WHERE w.academic_year = $1
		ORDER BY w.opens_on, lower(p.name), w.id`, year)
	if err != nil {
		return nil, fmt.Errorf("list referral windows: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (YearWindow, error) {
		var w YearWindow
		err := row.Scan(&w.ID, &w.AcademicYear, &w.Opens, &w.Closes, &w.Label, &w.Draft, &w.ProgrammeID, &w.ProgrammeName, &w.ProviderName)
		return w, err
	})
	if err != nil {
		return nil, fmt.Errorf("list referral windows: %w", err)
	}
	return out, nil
}

// AcademicYearCodes returns the academic years in the calendar, earliest first, for choosing a
// window's year.
func (s Store) AcademicYearCodes(ctx context.Context) ([]string, error) {
	rows, err := s.DB.Query(ctx, `SELECT code FROM academic_years ORDER BY starts_on`)
	if err != nil {
		return nil, fmt.Errorf("list academic years: %w", err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("list academic years: %w", err)
	}
	return out, nil
}

func yearsExist(ctx context.Context, q db.DBTX, codes ...string) error {
	for _, c := range codes {
		var ok bool
		if err := q.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM academic_years WHERE code = $1)`, c).Scan(&ok); err != nil {
			return fmt.Errorf("find academic year: %w", err)
		}
		if !ok {
			return fmt.Errorf("%s: %w", c, ErrUnknownYear)
		}
	}
	return nil
}
