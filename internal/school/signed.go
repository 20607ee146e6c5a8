package school

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// SLAOf returns a school's SLA for the year without scoping to a viewer, for the portal's own
// decisions (eligibility, dashboards); Recorded is false when CAP has recorded none.
func (s Store) SLAOf(ctx context.Context, schoolID int64, year string) (YearSLA, error) {
	y := YearSLA{AcademicYear: year}
	err := s.DB.QueryRow(ctx, `SELECT signed, signed_on FROM slas WHERE school_id = $1 AND academic_year = $2`, schoolID, year).Scan(&y.Signed, &y.SignedOn)
	if errors.Is(err, pgx.ErrNoRows) {
		return y, nil
	}
	if err != nil {
		return y, fmt.Errorf("load SLA: %w", err)
	}
	y.Recorded = true
	return y, nil
}

// CountWithoutSignedSLA counts active schools with no signed SLA for the year.
func (s Store) CountWithoutSignedSLA(ctx context.Context, year string) (int, error) {
	var n int
	err := s.DB.QueryRow(ctx, `
		SELECT count(*) FROM organisations o
		WHERE o.kind = 'school' AND o.active
		  AND NOT EXISTS (SELECT 1 FROM slas s WHERE s.school_id = o.id AND s.academic_year = $1 AND s.signed)`, year).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count schools without SLA: %w", err)
	}
	return n, nil
}
