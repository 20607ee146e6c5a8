package referral

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/coventry-cap/capportal/internal/db"
	"github.com/coventry-cap/capportal/internal/document"
	"github.com/coventry-cap/capportal/internal/student"
)

// PackStudent returns the student of a referral with the record the application pack carries:
// their details, parents and carers, and professionals. r must come from Get or View, which scoped it
// to the caller; that is the permission. A provider holding the open pack may read this student even
// though the student store's own scope (the school's staff and CAP) would not let it, and only while
// the referral is theirs to see.
func (s Store) PackStudent(ctx context.Context, r Referral) (student.Student, error) {
	var st student.Student
	d := &st.Details
	err := s.DB.QueryRow(ctx, `SELECT s.id, s.school_id, o.name, s.upn, s.legal_first_name, s.legal_last_name,
		s.preferred_first_name, s.preferred_last_name, s.date_of_birth, s.sex, s.year_group, s.sen_status, s.fsm,
		s.looked_after, s.cp_cin_status, s.ethnicity, s.address, s.postcode, s.created_at, s.updated_at
		FROM students s JOIN organisations o ON o.id = s.school_id
		WHERE s.id = $1 AND s.school_id = $2`, r.StudentID, r.SchoolID).
		Scan(&st.ID, &st.SchoolID, &st.SchoolName, &d.UPN, &d.LegalFirstName, &d.LegalLastName,
			&d.PreferredFirstName, &d.PreferredLastName, &d.DateOfBirth, &d.Sex, &d.YearGroup, &d.SEN, &d.FSM,
			&d.LookedAfter, &d.CPCIN, &d.Ethnicity, &d.Address, &d.Postcode, &st.CreatedAt, &st.UpdatedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return st, db.ErrNotFound
	}
	if err != nil {
		return st, fmt.Errorf("load the referral's student: %w", err)
	}
	rows, err := s.DB.Query(ctx, `SELECT name, relationship, phone, email, address, parental_responsibility
		FROM student_contacts WHERE student_id = $1 ORDER BY priority`, st.ID)
	if err != nil {
		return st, fmt.Errorf("load the student's contacts: %w", err)
	}
	if st.Contacts, err = pgx.CollectRows(rows, pgx.RowToStructByPos[student.Contact]); err != nil {
		return st, fmt.Errorf("load the student's contacts: %w", err)
	}
	rows, err = s.DB.Query(ctx, `SELECT name, role, agency, phone, email
		FROM student_professionals WHERE student_id = $1 ORDER BY position`, st.ID)
	if err != nil {
		return st, fmt.Errorf("load the student's professionals: %w", err)
	}
	if st.Professionals, err = pgx.CollectRows(rows, pgx.RowToStructByPos[student.Professional]); err != nil {
		return st, fmt.Errorf("load the student's professionals: %w", err)
	}
	return st, nil
}

// PackDocuments returns every current document of the referral with its content, for the pack, in
// the order they were attached. Like PackStudent, r must come from Get or View.
func (s Store) PackDocuments(ctx context.Context, r Referral) ([]document.Doc, error) {
	metas, err := document.On(s.DB).List(ctx, r.ID)
	if err != nil {
		return nil, err
	}
	out := make([]document.Doc, 0, len(metas))
	for _, m := range metas {
		d, err := document.On(s.DB).Get(ctx, r.ID, m.ID)
		if errors.Is(err, db.ErrNotFound) {
			continue // removed between the two reads: no longer part of the application
		}
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, nil
}
