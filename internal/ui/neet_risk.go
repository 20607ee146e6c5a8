package ui

import (
	"net/http"
	"strconv"

	"github.com/coventry-cap/capportal/internal/auth"
	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/placement"
	"github.com/coventry-cap/capportal/web/components"
	"github.com/coventry-cap/capportal/web/pages"
)

// neetListLimit is how many students the NEET-risk page lists at once.
const neetListLimit = 500

// neetRisk lists the Year 11 students without a confirmed post-16 destination this year.
func (s *Server) neetRisk(w http.ResponseWriter, r *http.Request) {
	s.renderNEET(w, r, http.StatusOK, nil)
}

type neetForm struct {
	errs             components.Errors
	day, month, year string
	parts            []string
}

func (s *Server) renderNEET(w http.ResponseWriter, r *http.Request, status int, form *neetForm) {
	ctx := r.Context()
	year := calendar.AcademicYearCode(calendar.DateOf(s.Clock.Now()))
	l, err := s.placements.NEETRisk(ctx, placementActor(r), year, neetListLimit)
	if s.failed(w, r, err) {
		return
	}
	v := pages.NEETView{Year: year, AtRisk: l.AtRisk, More: l.More, CanSet: placement.IsCAPAdmin(auth.FromContext(ctx)), Action: "/neet-risk/date"}
	if !l.CheckOn.IsZero() {
		v.CheckOn = l.CheckOn.Format()
		v.Day, v.Month, v.YearPart = strconv.Itoa(l.CheckOn.Day), strconv.Itoa(int(l.CheckOn.Month)), strconv.Itoa(l.CheckOn.Year)
	}
	if form != nil {
		v.Day, v.Month, v.YearPart, v.DateParts, v.Errors = form.day, form.month, form.year, form.parts, dateAnchors(form.errs, "check")
	}
	for _, row := range l.Rows {
		dest := "None recorded"
		switch row.Destination.Destination {
		case placement.NotKnown:
			dest = "Not known"
		case placement.NEET:
			dest = "NEET, confirmed on " + row.Destination.ConfirmedOn.Format()
		}
		v.Rows = append(v.Rows, pages.NEETRow{Href: "/students/" + itoa(row.StudentID) + "/destination", Student: row.StudentName, School: row.SchoolName, Destination: dest})
	}
	lp := s.page(r, "Year 11 students at risk of NEET")
	lp.HasErrors = v.Errors.Any()
	s.render(w, r, status, pages.NEETRisk(lp, v))
}

// neetDateSave is CAP setting the date destinations are checked by this year.
func (s *Server) neetDateSave(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	f := &neetForm{}
	var on calendar.Date
	on, f.day, f.month, f.year, f.parts = dateField(r, "check", "The date", &f.errs)
	year := calendar.AcademicYearCode(calendar.DateOf(s.Clock.Now()))
	if !f.errs.Any() {
		err := s.placements.SetNEETCheckDate(r.Context(), placementActor(r), year, on)
		if !problemsIn(err, &f.errs) && s.refuseRequest(w, r, "Year 11 destinations", pages.Link{Text: "Back to the list", Href: "/neet-risk"}, err) {
			return
		}
	}
	if f.errs.Any() {
		s.renderNEET(w, r, http.StatusUnprocessableEntity, f)
		return
	}
	s.flash(r.Context(), "Destinations are checked by "+on.Format())
	http.Redirect(w, r, "/neet-risk", http.StatusSeeOther)
}
