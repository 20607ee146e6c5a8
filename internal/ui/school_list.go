package ui

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/coventry-cap/capportal/internal/auth"
	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/school"
	"github.com/coventry-cap/capportal/web/components"
	"github.com/coventry-cap/capportal/web/pages"
)

const schoolsPerPage = 50

func (s *Server) schoolList(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	q := r.URL.Query()
	year := calendar.AcademicYearCode(calendar.Today(s.Clock))
	f := school.ListFilter{Year: year, Status: q.Get("sla")}
	if f.Status != school.StatusSigned && f.Status != school.StatusUnsigned {
		f.Status = ""
	}
	if id, err := strconv.ParseInt(q.Get("after"), 10, 64); err == nil {
		f.AfterID, f.AfterName = id, q.Get("after_name")
	} else if id, err := strconv.ParseInt(q.Get("before"), 10, 64); err == nil {
		f.BeforeID, f.BeforeName = id, q.Get("before_name")
	}
	list, more, err := s.schools.List(ctx, auth.FromContext(ctx), f, schoolsPerPage)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	v := pages.SchoolsView{
		Year:     year,
		Filtered: f.Status != "",
		StatusOptions: []components.Option{
			{Value: "", Label: "Any", Selected: f.Status == ""},
			{Value: school.StatusSigned, Label: "Signed", Selected: f.Status == school.StatusSigned},
			{Value: school.StatusUnsigned, Label: "Not signed", Selected: f.Status == school.StatusUnsigned},
		},
	}
	for _, sc := range list {
		status, colour := slaStatus(sc.Signed)
		row := pages.SchoolRow{Name: sc.Name, Href: "/schools/" + itoa(sc.ID), URN: sc.URN, SLAStatus: status, SLAColour: colour}
		if sc.Signed && !sc.SignedOn.IsZero() {
			row.SignedOn = sc.SignedOn.Format()
		}
		v.Schools = append(v.Schools, row)
	}
	if len(list) > 0 {
		k := keyset{Path: "/schools", Keep: url.Values{"sla": {f.Status}}, After: f.AfterID != 0, Before: f.BeforeID != 0, More: more}
		first, last := list[0], list[len(list)-1]
		v.PrevHref, v.NextHref = k.links(len(list), nameCursor(first.ID, first.Name), nameCursor(last.ID, last.Name))
	}
	s.render(w, r, http.StatusOK, pages.Schools(s.page(r, "Schools"), v))
}
