// Package placementtest makes placements for tests on a database with the demo data: a submitted
// referral at "placement active" with its pack and accepted application response, then the placement
// with the days and sessions asked for and its default plan, as CAP's set-up would leave it.
package placementtest

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/db"
	"github.com/coventry-cap/capportal/internal/placement"
)

// Spec is the placement to make. Student, Provider and Programme name demo records: a student by
// their legal first name, a provider by its slug, a programme by its slug (any programme of the
// provider when empty).
type Spec struct {
	Student   string
	Provider  string
	Programme string
	Start     calendar.Date
	Days      []int32  // ISO weekdays, 1 Monday … 5 Friday
	Sessions  []string // "am", "pm"; both when empty
	// StudentID names the student by ID instead (one made by Learners, say).
	StudentID int64
}

var serial atomic.Int64

// Create makes the placement and returns its ID.
func Create(t testing.TB, pool *pgxpool.Pool, s Spec) int64 {
	t.Helper()
	id, err := TryCreate(pool, s)
	if err != nil {
		t.Fatalf("make a placement: %v", err)
	}
	return id
}

// TryCreate makes the placement and returns its ID, or the error that refused it (a session the
// student already attends elsewhere, say).
func TryCreate(pool *pgxpool.Pool, s Spec) (int64, error) {
	ctx := context.Background()
	if len(s.Sessions) == 0 {
		s.Sessions = []string{"am", "pm"}
	}
	var id int64
	err := db.InTx(ctx, pool, func(tx pgx.Tx) error {
		var studentID, schoolID, providerID, programmeID, adminID int64
		if err := tx.QueryRow(ctx, `SELECT id, school_id FROM students WHERE ($2 > 0 AND id = $2) OR ($2 = 0 AND legal_first_name = $1)
			ORDER BY id LIMIT 1`, s.Student, s.StudentID).Scan(&studentID, &schoolID); err != nil {
			return fmt.Errorf("student %s: %w", s.Student, err)
		}
		if err := tx.QueryRow(ctx, `SELECT id FROM organisations WHERE slug = $1`, s.Provider).Scan(&providerID); err != nil {
			return fmt.Errorf("provider %s: %w", s.Provider, err)
		}
		if err := tx.QueryRow(ctx, `SELECT id FROM programmes WHERE organisation_id = $1 AND ($2 = '' OR slug = $2) ORDER BY id LIMIT 1`,
			providerID, s.Programme).Scan(&programmeID); err != nil {
			return fmt.Errorf("programme %s of %s: %w", s.Programme, s.Provider, err)
		}
		if err := tx.QueryRow(ctx, `SELECT u.id FROM users u JOIN memberships m ON m.user_id = u.id WHERE m.role = 'cap_admin' ORDER BY u.id LIMIT 1`).
			Scan(&adminID); err != nil {
			return fmt.Errorf("a CAP admin: %w", err)
		}
		n := serial.Add(1)
		now := s.Start.Time()
		var referralID, packID, responseID int64
		if err := tx.QueryRow(ctx, `INSERT INTO referrals (reference, academic_year, school_id, student_id, programme_id, provider_id,
				pathway, step, step_since, start_token, created_at, created_by, updated_at, submitted_at, submitted_by)
			VALUES ($1, $2, $3, $4, $5, $6, 'tier1', 'placement_active', $7, $8, $7, $9, $7, $7, $9) RETURNING id`,
			fmt.Sprintf("CAP-9999-%05d", n%100000), calendar.AcademicYearCode(s.Start), schoolID, studentID, programmeID, providerID,
			now, fmt.Sprintf("placementtest-%d-%d", n, studentID), adminID).Scan(&referralID); err != nil {
			return fmt.Errorf("referral: %w", err)
		}
		if err := tx.QueryRow(ctx, `INSERT INTO referral_packs (referral_id, provider_id, sent_at, sent_by) VALUES ($1, $2, $3, $4) RETURNING id`,
			referralID, providerID, now, adminID).Scan(&packID); err != nil {
			return fmt.Errorf("pack: %w", err)
		}
		if err := tx.QueryRow(ctx, `INSERT INTO application_responses (referral_id, pack_id, provider_id, receipt_acknowledged,
				can_meet_needs, can_manage_risk, decision, start_date, days, submitted_at, submitted_by, processed_at, processed_by)
			VALUES ($1, $2, $3, true, true, true, 'accept', $4, $5, $6, $7, $6, $7) RETURNING id`,
			referralID, packID, providerID, s.Start, s.Days, now, adminID).Scan(&responseID); err != nil {
			return fmt.Errorf("response: %w", err)
		}
		if err := tx.QueryRow(ctx, `INSERT INTO placements (referral_id, application_response_id, student_id, school_id, provider_id,
				programme_id, academic_year, start_date, days, sessions, created_at, created_by)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
			referralID, responseID, studentID, schoolID, providerID, programmeID, calendar.AcademicYearCode(s.Start), s.Start, s.Days,
			s.Sessions, now, adminID).Scan(&id); err != nil {
			return fmt.Errorf("placement: %w", err)
		}
		return placement.SetUpPlan(ctx, tx, id)
	})
	return id, err
}

var learners atomic.Int64

// Learners makes n fictional students at the school (by slug) and places each at the provider as
// spec says (its Student is ignored), returning the placements' IDs: a provider with many learners,
// for benchmarks and query counts.
func Learners(t testing.TB, pool *pgxpool.Pool, school string, n int, spec Spec) []int64 {
	t.Helper()
	ctx := context.Background()
	var schoolID int64
	if err := pool.QueryRow(ctx, `SELECT id FROM organisations WHERE slug = $1`, school).Scan(&schoolID); err != nil {
		t.Fatalf("school %s: %v", school, err)
	}
	ids := make([]int64, 0, n)
	for range n {
		k := learners.Add(1)
		var studentID int64
		// UPNs beginning Z99 are not issued; the check letter is not checked by the database.
		if err := pool.QueryRow(ctx, `INSERT INTO students (school_id, upn, legal_first_name, legal_last_name, date_of_birth, sex, year_group,
				created_at, updated_at) VALUES ($1, $2, 'Learner', $3, '2011-09-01', 'U', 10, now(), now()) RETURNING id`,
			schoolID, fmt.Sprintf("Z99%09d0", k), fmt.Sprintf("Number %04d", k)).Scan(&studentID); err != nil {
			t.Fatalf("make a learner: %v", err)
		}
		s := spec
		s.StudentID = studentID
		ids = append(ids, Create(t, pool, s))
	}
	return ids
}
