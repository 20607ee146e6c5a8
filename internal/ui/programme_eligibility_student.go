package ui

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/coventry-cap/capportal/internal/db"
	"github.com/coventry-cap/capportal/internal/eligibility"
	"github.com/coventry-cap/capportal/internal/student"
	"github.com/coventry-cap/capportal/web/pages"
)

// eligibilityStudentLimit bounds the "check for a student" list; a school refers far fewer at a time.
const eligibilityStudentLimit = 500

// eligibilityStudent lists the school's students to choose from and, when one is chosen, adds their
// year group to the question.
func (s *Server) eligibilityStudent(r *http.Request, schoolID int64, req *eligibility.Request, v *pages.EligibilityView) error {
	ctx := r.Context()
	a := studentActor(r)
	list, _, err := student.Store{Pool: s.Pool, Clock: s.Clock}.List(ctx, a, student.ListFilter{SchoolID: schoolID}, eligibilityStudentLimit)
	if err != nil {
		return err
	}
	chosen := r.URL.Query().Get("student")
	for _, st := range list {
		id := itoa(st.ID)
		v.StudentOptions = append(v.StudentOptions, pages.StudentOption{
			ID: id, Label: st.Details().Name() + ", Year " + strconv.Itoa(st.YearGroup), Selected: id == chosen,
		})
	}
	id, err := strconv.ParseInt(chosen, 10, 64)
	if err != nil || id <= 0 {
		return nil
	}
	st, err := student.Store{Pool: s.Pool, Clock: s.Clock}.Get(ctx, a, id)
	if errors.Is(err, db.ErrNotFound) || (err == nil && st.SchoolID != schoolID) {
		return nil // not one of this school's students: answer for the school alone
	}
	if err != nil {
		return err
	}
	req.YearGroup, req.StudentName = st.YearGroup, st.Name()
	v.StudentID, v.StudentName = chosen, st.Name()
	return nil
}
