package ui

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/coventry-cap/capportal/internal/db"
	"github.com/coventry-cap/capportal/internal/eligibility"
	"github.com/coventry-cap/capportal/internal/student"
	"github.com/coventry-cap/capportal/web/pages"
)

// eligibilityMatches bounds the students offered for a search; the coordinator narrows a wider one.
const eligibilityMatches = 20

// eligibilityStudent lets the coordinator find one of the school's students by name or UPN and, when
// one is chosen, adds their year group to the question. Choosing a student is a view of their record,
// so it is audited.
func (s *Server) eligibilityStudent(r *http.Request, schoolID int64, req *eligibility.Request, v *pages.EligibilityView) error {
	ctx := r.Context()
	a := studentActor(r)
	store := s.students
	q := r.URL.Query()
	v.StudentQuery = strings.TrimSpace(q.Get("student_q"))
	if v.StudentQuery != "" {
		list, more, err := store.List(ctx, a, student.ListFilter{SchoolID: schoolID, Query: v.StudentQuery}, eligibilityMatches)
		if err != nil {
			return err
		}
		for _, st := range list {
			v.StudentMatches = append(v.StudentMatches, pages.StudentOption{
				ID: itoa(st.ID), Label: st.Details().Name() + ", Year " + strconv.Itoa(st.YearGroup) + " (UPN " + st.UPN + ")",
			})
		}
		v.MoreMatches = more
		v.Searched = true
	}
	id, err := strconv.ParseInt(q.Get("student"), 10, 64)
	if err != nil || id <= 0 {
		return nil
	}
	st, err := store.View(ctx, a, id, "year group, to check a programme")
	if errors.Is(err, db.ErrNotFound) || (err == nil && st.SchoolID != schoolID) {
		return nil // not one of this school's students: answer for the school alone
	}
	if err != nil {
		return err
	}
	req.YearGroup, req.StudentName = st.YearGroup, st.Name()
	v.StudentID, v.StudentName = itoa(id), st.Name()
	return nil
}
