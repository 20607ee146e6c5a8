package org

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/db"
)

// SLA is a school's service level agreement for one academic year.
type SLA struct {
	AcademicYear string
	Signed       bool
	SignedOn     calendar.Date
}

// SLAFor returns the school's SLA for the year; ErrNotFound when it has none.
func SLAFor(ctx context.Context, q db.DBTX, schoolID int64, year string) (SLA, error) {
	s := SLA{AcademicYear: year}
	err := q.QueryRow(ctx, `SELECT signed, signed_on FROM slas WHERE school_id = $1 AND academic_year = $2`, schoolID, year).Scan(&s.Signed, &s.SignedOn)
	if errors.Is(err, pgx.ErrNoRows) {
		return s, db.ErrNotFound
	}
	if err != nil {
		return s, fmt.Errorf("load SLA: %w", err)
	}
	return s, nil
}

// CountSchoolsWithoutSignedSLA counts active schools with no signed SLA for the year.
func CountSchoolsWithoutSignedSLA(ctx context.Context, q db.DBTX, year string) (int, error) {
	var n int
	err := q.QueryRow(ctx, `
		SELECT count(*) FROM organisations o
		WHERE o.kind = 'school' AND o.active
		  AND NOT EXISTS (SELECT 1 FROM slas s WHERE s.school_id = o.id AND s.academic_year = $1 AND s.signed)`, year).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count schools without SLA: %w", err)
	}
	return n, nil
}
