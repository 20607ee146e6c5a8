package ui

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/coventry-cap/capportal/internal/auth"
	"github.com/coventry-cap/capportal/internal/student"
	"github.com/coventry-cap/capportal/web/pages"
)

const studentsPerPage = 25

func (s *Server) studentList(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p := auth.FromContext(ctx)
	q := r.URL.Query()
	scope := student.ViewScope(p)
	f := student.ListFilter{Query: strings.TrimSpace(q.Get("q"))}
	if id, err := strconv.ParseInt(q.Get("school"), 10, 64); err == nil && scope.Includes(id) {
		f.SchoolID = id
	}
	if id, err := strconv.ParseInt(q.Get("after"), 10, 64); err == nil {
		f.AfterID = id
	} else if id, err := strconv.ParseInt(q.Get("before"), 10, 64); err == nil {
		f.BeforeID = id
	}
	list, more, err := s.students.List(ctx, studentActor(r), f, studentsPerPage)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	v := pages.StudentsView{
		Heading:    "Students",
		Query:      f.Query,
		ShowSchool: scope.All || len(scope.SchoolIDs) > 1,
		CanManage:  p.Has(auth.Coordinator),
		Searched:   f.Query != "" || f.SchoolID != 0,
	}
	if scope.All {
		orgs, err := s.orgs.List(ctx)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		selected := ""
		if f.SchoolID != 0 {
			selected = itoa(f.SchoolID)
		}
		v.SchoolOptions = schoolFilterOptions(orgs, selected)
	} else if len(scope.SchoolIDs) == 1 {
		for _, m := range p.Memberships {
			if m.OrgID == scope.SchoolIDs[0] {
				v.Heading = "Students at " + m.OrgName
				break
			}
		}
	}
	for _, st := range list {
		d := st.Details()
		row := pages.StudentRow{ID: st.ID, Name: d.Name(), UPN: st.UPN, Born: st.DateOfBirth.Format(),
			YearGroup: "Year " + strconv.Itoa(st.YearGroup), School: st.SchoolName}
		if d.LegalName() != d.Name() {
			row.LegalName = d.LegalName()
		}
		v.Students = append(v.Students, row)
	}
	keep := url.Values{"q": {f.Query}}
	if f.SchoolID != 0 {
		keep.Set("school", itoa(f.SchoolID))
	}
	if len(list) > 0 {
		k := keyset{Path: "/students", Keep: keep, After: f.AfterID != 0, Before: f.BeforeID != 0, More: more}
		v.PrevHref, v.NextHref = k.links(len(list), idCursor(list[0].ID), idCursor(list[len(list)-1].ID))
	}
	s.render(w, r, http.StatusOK, pages.Students(s.page(r, v.Heading), v))
}
