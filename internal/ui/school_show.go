package ui

import (
	"net/http"
	"strings"

	"github.com/coventry-cap/capportal/internal/auth"
	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/school"
	"github.com/coventry-cap/capportal/web/components"
	"github.com/coventry-cap/capportal/web/pages"
)

// schoolShow shows a school to CAP's staff, or to the school's own staff; anyone else gets the same
// 404 as for a school that does not exist.
func (s *Server) schoolShow(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id, ok := idParam(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	p := auth.FromContext(ctx)
	sc, err := s.schools.Get(ctx, p, id)
	if s.failed(w, r, err) {
		return
	}
	v := pages.SchoolView{Name: sc.Name, BackHref: "/", BackText: "Back to home"}
	if pol, ok := s.routes.Policy(http.MethodGet, "/schools"); ok && pol.Allows(p) {
		v.BackHref, v.BackText = "/schools", "Back to schools"
	}
	address := strings.TrimSpace(strings.Join(schoolNonEmpty(sc.Address, sc.Postcode), ", "))
	v.Details = []components.SummaryRow{
		{Key: "URN", Value: schoolDetail(sc.URN)},
		{Key: "Address", Value: schoolDetail(address)},
		{Key: "Phone", Value: schoolDetail(sc.Phone)},
		{Key: "Email", Value: schoolDetail(sc.Email)},
	}
	if !sc.Active {
		v.Details = append(v.Details, components.SummaryRow{Key: "Status", Value: "Closed: no longer uses the portal"})
	}
	for _, role := range school.ContactRoles {
		found := false
		for _, c := range sc.Contacts {
			if c.Role == role {
				v.Contacts = append(v.Contacts, pages.ContactRow{Role: role.Label(), Name: c.Name, Email: c.Email})
				found = true
			}
		}
		if !found {
			v.Contacts = append(v.Contacts, pages.ContactRow{Role: role.Label()})
		}
	}
	current := calendar.AcademicYearCode(calendar.Today(s.Clock))
	for _, y := range sc.SLAs {
		status, colour := slaStatus(y.Signed)
		row := pages.SLAYearRow{Year: y.AcademicYear, Href: slaHref(sc.ID, y.AcademicYear), Status: status, Colour: colour, IsCurrent: y.AcademicYear == current}
		if y.Signed && !y.SignedOn.IsZero() {
			row.SignedOn = y.SignedOn.Format()
		}
		v.SLAs = append(v.SLAs, row)
	}
	partTime, err := s.SchoolPartTimeSection(r, sc.ID)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	v.Sections = append(v.Sections, pages.SchoolPartTimeTimetables(partTime))
	s.render(w, r, http.StatusOK, pages.School(s.page(r, sc.Name), v))
}

func schoolNonEmpty(parts ...string) []string {
	var out []string
	for _, p := range parts {
		if strings.TrimSpace(p) != "" {
			out = append(out, strings.TrimSpace(p))
		}
	}
	return out
}

func schoolDetail(s string) string {
	if s == "" {
		return "Not recorded"
	}
	return s
}
