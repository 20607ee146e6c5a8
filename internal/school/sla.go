package school

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/coventry-cap/capportal/internal/audit"
	"github.com/coventry-cap/capportal/internal/auth"
	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/db"
	"github.com/coventry-cap/capportal/internal/users"
)

// ActionSLARecorded is the audit action written when CAP records or changes a school's SLA.
const ActionSLARecorded = "sla.recorded"

// ErrSignedOnMissing is returned when an SLA is recorded as signed without the date it was signed.
var ErrSignedOnMissing = errors.New("a signed SLA needs the date it was signed")

// ErrSignedOnInFuture is returned when the date an SLA was signed is after today.
var ErrSignedOnInFuture = errors.New("the date an SLA was signed cannot be in the future")

// ErrSignedOnTooEarly is returned when the date an SLA was signed is before EarliestSignedOn.
var ErrSignedOnTooEarly = errors.New("the date an SLA was signed is too early for its academic year")

// EarliestSignedOn is the first date an SLA for the academic year can have been signed: 1 September
// of the calendar year before the year starts. Schools sign in the spring and summer before the
// year, so an earlier date is a typing mistake. It is false for a malformed year code.
func EarliestSignedOn(year string) (calendar.Date, bool) {
	start, err := calendar.ParseAcademicYearCode(year)
	if err != nil {
		return calendar.Date{}, false
	}
	return calendar.NewDate(start-1, time.September, 1), true
}

// SLA is a school's SLA for one academic year with what that year's offer gives it.
type SLA struct {
	SchoolID     int64
	SchoolName   string
	AcademicYear string
	Recorded     bool // false when CAP has recorded nothing for the year: not signed
	Signed       bool
	SignedOn     calendar.Date
	RecordedBy   string    // who last recorded it, when the portal knows
	UpdatedAt    time.Time // when it was last recorded in the portal; zero for records from before
	Offer        *Offer    // nil when CAP has set no offer for the year
	QAUsed       int       // Tier 1 QA placements used this year: see UsedQAPlacements
}

// SLA returns a school's SLA for the academic year, scoped to the principal; db.ErrNotFound when
// the school is not theirs to see or the year is not one the portal knows.
func (s Store) SLA(ctx context.Context, p *auth.Principal, schoolID int64, year string) (SLA, error) {
	sc, err := s.get(ctx, p, schoolID)
	if err != nil {
		return SLA{}, err
	}
	out := SLA{SchoolID: sc.ID, SchoolName: sc.Name, AcademicYear: year}
	var updatedAt *time.Time
	err = s.DB.QueryRow(ctx, `
		SELECT s.school_id IS NOT NULL, coalesce(s.signed, false), s.signed_on, coalesce(u.name, ''), s.updated_at
		FROM academic_years y
		LEFT JOIN slas s ON s.school_id = $1 AND s.academic_year = y.code
		LEFT JOIN users u ON u.id = s.recorded_by
		WHERE y.code = $2`, schoolID, year).Scan(&out.Recorded, &out.Signed, &out.SignedOn, &out.RecordedBy, &updatedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return SLA{}, db.ErrNotFound
	}
	if err != nil {
		return SLA{}, fmt.Errorf("load SLA: %w", err)
	}
	if updatedAt != nil {
		out.UpdatedAt = *updatedAt
	}
	switch o, err := s.OfferFor(ctx, year); {
	case err == nil:
		out.Offer = &o
	case !errors.Is(err, db.ErrNotFound):
		return SLA{}, err
	}
	if out.QAUsed, err = s.UsedQAPlacements(ctx, schoolID, year); err != nil {
		return SLA{}, err
	}
	return out, nil
}

// UsedQAPlacements counts the Tier 1 quality-assured placements a school has used in an academic
// year, against the offer's allowance: the placements CAP set up for the school's students that year
// and counted as QA placements. It is the one place that count is made. A placement that has ended
// still counts: the allowance is of placements started, not of places held.
func (s Store) UsedQAPlacements(ctx context.Context, schoolID int64, year string) (int, error) {
	var n int
	err := s.DB.QueryRow(ctx, `SELECT count(*) FROM placements
		WHERE school_id = $1 AND academic_year = $2 AND qa_placement`, schoolID, year).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count QA placements: %w", err)
	}
	return n, nil
}

// RecordSLA records whether a school has signed the SLA for an academic year and when. When not
// signed the date is dropped. It reports whether anything changed: recording what is already there
// (a double submit) changes nothing and writes no audit entry.
func (s Store) RecordSLA(ctx context.Context, actor users.Actor, schoolID int64, year string, signed bool, signedOn calendar.Date) (bool, error) {
	now := s.Clock.Now()
	if !signed {
		signedOn = calendar.Date{}
	}
	if signed && signedOn.IsZero() {
		return false, ErrSignedOnMissing
	}
	if signed && signedOn.After(calendar.DateOf(now)) {
		return false, ErrSignedOnInFuture
	}
	changed := false
	err := db.InTx(ctx, s.DB, func(tx pgx.Tx) error {
		var name string
		err := tx.QueryRow(ctx, `
			SELECT o.name FROM organisations o, academic_years y
			WHERE o.id = $1 AND o.kind = 'school' AND y.code = $2`, schoolID, year).Scan(&name)
		if errors.Is(err, pgx.ErrNoRows) {
			return db.ErrNotFound
		}
		if err != nil {
			return fmt.Errorf("record SLA: %w", err)
		}
		// Checked once the year is known to exist, so an unknown year is not found rather than early.
		if earliest, ok := EarliestSignedOn(year); signed && ok && signedOn.Before(earliest) {
			return ErrSignedOnTooEarly
		}
		before := map[string]any{"recorded": false}
		var wasSigned bool
		var wasOn calendar.Date
		err = tx.QueryRow(ctx, `SELECT signed, signed_on FROM slas WHERE school_id = $1 AND academic_year = $2 FOR UPDATE`, schoolID, year).
			Scan(&wasSigned, &wasOn)
		switch {
		case err == nil:
			before = map[string]any{"recorded": true, "signed": wasSigned, "signed_on": dateOrNil(wasOn)}
		case !errors.Is(err, pgx.ErrNoRows):
			return fmt.Errorf("record SLA: %w", err)
		}
		// The WHERE makes an identical second submit a no-op, even when two race to insert the row.
		tag, err := tx.Exec(ctx, `
			INSERT INTO slas (school_id, academic_year, signed, signed_on, recorded_by, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6)
			ON CONFLICT (school_id, academic_year) DO UPDATE
				SET signed = EXCLUDED.signed, signed_on = EXCLUDED.signed_on,
				    recorded_by = EXCLUDED.recorded_by, updated_at = EXCLUDED.updated_at
				WHERE (slas.signed, slas.signed_on) IS DISTINCT FROM (EXCLUDED.signed, EXCLUDED.signed_on)`,
			schoolID, year, signed, signedOn, actor.UserID, now)
		if err != nil {
			return fmt.Errorf("record SLA: %w", err)
		}
		if tag.RowsAffected() == 0 {
			return nil
		}
		changed = true
		summary := "Recorded the " + year + " SLA for " + name + " as not signed"
		if signed {
			summary = "Recorded the " + year + " SLA for " + name + " as signed on " + signedOn.Format()
		}
		return audit.On(tx).Write(ctx, audit.Entry{
			At: now, ActorUserID: actor.UserID, ActorEmail: actor.Email, RequestID: actor.RequestID,
			Action: ActionSLARecorded, SubjectType: "school", SubjectID: fmt.Sprint(schoolID),
			Summary: summary,
			Details: map[string]any{"academic_year": year, "signed": signed, "signed_on": dateOrNil(signedOn), "before": before},
		})
	})
	return changed, err
}

func dateOrNil(d calendar.Date) any {
	if d.IsZero() {
		return nil
	}
	return d.String()
}
