// Package rollover copies one academic year into the next: its terms, the CAP Directory's referral
// windows, the SLA offer and the panel calendar, every date moved to the same weekday of the same week
// a year on, all marked draft until a CAP admin confirms them.
package rollover

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/coventry-cap/capportal/internal/audit"
	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/db"
	"github.com/coventry-cap/capportal/internal/directory"
	"github.com/coventry-cap/capportal/internal/panel"
	"github.com/coventry-cap/capportal/internal/school"
)

// Store reads and writes academic-year rollovers. DB is the pool, or a transaction a caller runs it inside.
type Store struct {
	DB db.DBTX
}

// On is the store over a pool or a transaction.
func On(conn db.DBTX) Store { return Store{DB: conn} }

// ErrNoSourceYear is returned when the year to copy from is not in the portal.
var ErrNoSourceYear = errors.New("that academic year is not in the portal")

// ErrAlreadyConfirmed is returned when the next year has already been confirmed.
var ErrAlreadyConfirmed = errors.New("the next academic year has already been confirmed")

// ErrOutOfOrder is returned for a copy from anything but the latest confirmed year, or a
// confirmation of anything but the draft that follows it: years are rolled over one at a time.
var ErrOutOfOrder = errors.New("years are rolled over one at a time, from the latest confirmed year")

// ErrNothingToConfirm is returned when there is no draft year to confirm.
var ErrNothingToConfirm = errors.New("there is no drafted year to confirm")

// latestConfirmed is the code of the most recent confirmed academic year.
func latestConfirmed(ctx context.Context, q db.DBTX) (string, error) {
	var code string
	err := q.QueryRow(ctx, `SELECT code FROM academic_years WHERE NOT draft ORDER BY starts_on DESC LIMIT 1`).Scan(&code)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", ErrNoSourceYear
	}
	if err != nil {
		return "", fmt.Errorf("latest academic year: %w", err)
	}
	return code, nil
}

// Year is an academic year and whether it is still a draft.
type Year struct {
	Code  string
	Start calendar.Date
	End   calendar.Date
	Draft bool
	Terms []calendar.Term
}

// Status is what the rollover page shows: the latest year and its successor, if any.
type Status struct {
	From Year
	To   *Year // nil when the next year has not been copied yet
}

// Actor is who rolls over, for the audit log.
type Actor struct {
	UserID    *int64
	Email     string
	RequestID string
}

// Load reads the latest confirmed academic year and the draft (or confirmed) year after it.
func (s Store) Load(ctx context.Context) (Status, error) {
	var st Status
	code, err := latestConfirmed(ctx, s.DB)
	if err != nil {
		return st, err
	}
	// The latest confirmed year may itself have a confirmed successor only if a later one exists,
	// which the query above would have found; so the successor, if any, is a draft.
	from, err := loadYear(ctx, s.DB, code)
	if err != nil {
		return st, err
	}
	st.From = from
	next, err := loadYear(ctx, s.DB, calendar.NextAcademicYearCode(code))
	switch {
	case errors.Is(err, db.ErrNotFound):
	case err != nil:
		return st, err
	default:
		st.To = &next
	}
	return st, nil
}

func loadYear(ctx context.Context, q db.DBTX, code string) (Year, error) {
	y := Year{Code: code}
	err := q.QueryRow(ctx, `SELECT starts_on, ends_on, draft FROM academic_years WHERE code = $1`, code).Scan(&y.Start, &y.End, &y.Draft)
	if errors.Is(err, pgx.ErrNoRows) {
		return y, db.ErrNotFound
	}
	if err != nil {
		return y, fmt.Errorf("load academic year %s: %w", code, err)
	}
	rows, err := q.Query(ctx, `
		SELECT name, starts_on, ends_on, half_term_start, half_term_end FROM terms
		WHERE academic_year = $1 ORDER BY starts_on`, code)
	if err != nil {
		return y, fmt.Errorf("load terms: %w", err)
	}
	y.Terms, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (calendar.Term, error) {
		var t calendar.Term
		err := row.Scan(&t.Name, &t.Start, &t.End, &t.HalfTermStart, &t.HalfTermEnd)
		return t, err
	})
	if err != nil {
		return y, fmt.Errorf("load terms: %w", err)
	}
	return y, nil
}

// Summary counts what a copy or a confirmation touched.
type Summary struct {
	Year    string
	Terms   int
	Windows int
	Offer   bool // a copy added the SLA offer
	Rounds  int  // panel rounds
	Starts  int  // panel cohorts and start dates
}

// Empty reports whether the copy found nothing new to add (a second press of the button).
func (s Summary) Empty() bool { return s.Terms+s.Windows+s.Rounds+s.Starts == 0 && !s.Offer }

// Copy copies fromYear into the next academic year as a draft. Copying again adds only what is
// missing, so a double submit changes nothing.
func (s Store) Copy(ctx context.Context, now time.Time, actor Actor, fromYear string) (Summary, error) {
	to := calendar.NextAcademicYearCode(fromYear)
	sum := Summary{Year: to}
	err := db.InTx(ctx, s.DB, func(tx pgx.Tx) error {
		// One rollover at a time: the lock makes a copy and a confirmation take turns.
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtext('capportal'), hashtext('rollover'))`); err != nil {
			return err
		}
		latest, err := latestConfirmed(ctx, tx)
		if err != nil {
			return err
		}
		if fromYear != latest {
			return ErrOutOfOrder
		}
		from, err := loadYear(ctx, tx, fromYear)
		if errors.Is(err, db.ErrNotFound) {
			return ErrNoSourceYear
		}
		if err != nil {
			return err
		}
		var draft bool
		err = tx.QueryRow(ctx, `SELECT draft FROM academic_years WHERE code = $1`, to).Scan(&draft)
		switch {
		case err == nil && !draft:
			return ErrAlreadyConfirmed
		case errors.Is(err, pgx.ErrNoRows):
			// An academic year always runs from 1 September to 31 August.
			if _, err := tx.Exec(ctx, `INSERT INTO academic_years (code, starts_on, ends_on, draft) VALUES ($1, $2, $3, true)`,
				to, sameDateNextYear(from.Start), sameDateNextYear(from.End)); err != nil {
				return fmt.Errorf("create %s: %w", to, err)
			}
		case err != nil:
			return err
		}
		shift := calendar.SameWeekdayNextYear
		for _, t := range from.Terms {
			tag, err := tx.Exec(ctx, `
				INSERT INTO terms (academic_year, name, starts_on, ends_on, half_term_start, half_term_end, draft)
				VALUES ($1, $2, $3, $4, $5, $6, true) ON CONFLICT DO NOTHING`,
				to, t.Name, shift(t.Start), shift(t.End), shift(t.HalfTermStart), shift(t.HalfTermEnd))
			if err != nil {
				return fmt.Errorf("copy %s term: %w", t.Name, err)
			}
			sum.Terms += int(tag.RowsAffected())
		}
		if sum.Windows, err = directory.CopyWindows(ctx, tx, fromYear, to); err != nil {
			return err
		}
		if sum.Offer, err = school.CopyOffer(ctx, tx, fromYear, to); err != nil {
			return err
		}
		if sum.Rounds, sum.Starts, err = panel.CopyYear(ctx, tx, fromYear, to); err != nil {
			return err
		}
		if sum.Empty() {
			return nil
		}
		return audit.On(tx).Write(ctx, audit.Entry{
			At: now, ActorUserID: actor.UserID, ActorEmail: actor.Email, RequestID: actor.RequestID,
			Action: "rollover.copied", SubjectType: "academic_year", SubjectID: to,
			Summary: fmt.Sprintf("Copied %s into draft %s: %d terms, %d referral windows, SLA offer %v, %d panel rounds, %d panel starts",
				fromYear, to, sum.Terms, sum.Windows, sum.Offer, sum.Rounds, sum.Starts),
		})
	})
	return sum, err
}

func sameDateNextYear(d calendar.Date) calendar.Date {
	return calendar.NewDate(d.Year+1, d.Month, d.Day)
}

// Confirm makes a drafted year and everything copied into it final.
func (s Store) Confirm(ctx context.Context, now time.Time, actor Actor, year string) (Summary, error) {
	sum := Summary{Year: year}
	err := db.InTx(ctx, s.DB, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtext('capportal'), hashtext('rollover'))`); err != nil {
			return err
		}
		latest, err := latestConfirmed(ctx, tx)
		if err != nil {
			return err
		}
		if year == latest {
			return nil // already confirmed: a second press changes nothing
		}
		if year != calendar.NextAcademicYearCode(latest) {
			return ErrOutOfOrder
		}
		tag, err := tx.Exec(ctx, `UPDATE academic_years SET draft = false WHERE code = $1 AND draft`, year)
		if err != nil {
			return fmt.Errorf("confirm %s: %w", year, err)
		}
		if tag.RowsAffected() == 0 {
			return ErrNothingToConfirm
		}
		tag, err = tx.Exec(ctx, `UPDATE terms SET draft = false WHERE academic_year = $1 AND draft`, year)
		if err != nil {
			return fmt.Errorf("confirm terms: %w", err)
		}
		sum.Terms = int(tag.RowsAffected())
		if sum.Windows, err = directory.ConfirmWindows(ctx, tx, year); err != nil {
			return err
		}
		if err := school.ConfirmOffer(ctx, tx, year); err != nil {
			return err
		}
		if sum.Rounds, err = panel.ConfirmYear(ctx, tx, year); err != nil {
			return err
		}
		return audit.On(tx).Write(ctx, audit.Entry{
			At: now, ActorUserID: actor.UserID, ActorEmail: actor.Email, RequestID: actor.RequestID,
			Action: "rollover.confirmed", SubjectType: "academic_year", SubjectID: year,
			Summary: fmt.Sprintf("Confirmed %s: %d terms, %d referral windows, %d panel rounds", year, sum.Terms, sum.Windows, sum.Rounds),
		})
	})
	return sum, err
}
