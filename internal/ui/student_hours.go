package ui

import (
	"net/http"
	"strings"

	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/input"
	"github.com/coventry-cap/capportal/internal/placement"
	"github.com/coventry-cap/capportal/web/components"
	"github.com/coventry-cap/capportal/web/pages"
)

// hoursForm is what was typed in the hours form.
type hoursForm struct {
	errs                   components.Errors
	home, day, month, year string
	parts                  []string
}

// homeHours reads the hours at the home school as a number field does: plain digits, one decimal
// place, 0 to 40.
var homeHours = input.Number{What: "the hours at the home school", Min: 0, Max: placement.MaxHomeSchoolHours, Places: 1, Example: "12.5"}

// hoursShow is a student's hours a week, with the changes and endings of their placements.
func (s *Server) hoursShow(w http.ResponseWriter, r *http.Request) {
	id, ok := idParam(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	s.renderHours(w, r, http.StatusOK, id, nil)
}

func (s *Server) renderHours(w http.ResponseWriter, r *http.Request, status int, id int64, form *hoursForm) {
	ctx := r.Context()
	a := placementActor(r)
	t, err := s.placements.ViewTimetable(ctx, a, id)
	if s.failed(w, r, err) {
		return
	}
	v := pages.StudentHoursPageView{
		RequestHeader: pages.RequestHeader{Caption: t.StudentName, Heading: "Hours a week and placements",
			Back: pages.Link{Text: "Back to the student", Href: "/students/" + itoa(id)}},
		Hours: s.hoursSection(r, t, form),
	}
	if form != nil {
		v.Errors = dateAnchors(form.errs, "review")
		v.Hours.Errors = v.Errors
	}
	ps, err := s.placements.OfStudent(ctx, a, id)
	if s.failed(w, r, err) {
		return
	}
	for _, p := range ps {
		sec, err := s.ChangesAndEndingsSection(r, p)
		if s.failed(w, r, err) {
			return
		}
		v.Placements = append(v.Placements, pages.StudentPlacementSection{Title: p.ProviderName + ": " + p.Programme + " (" + p.StatusOn(calendar.DateOf(s.Clock.Now())) + ")",
			Href: placementHref(p.ID), Sections: sec})
	}
	lp := s.page(r, "Hours a week and placements")
	lp.HasErrors = v.Errors.Any()
	s.render(w, r, status, pages.StudentHoursPage(lp, v))
}

// hoursSave records the hours at the home school and the review date.
func (s *Server) hoursSave(w http.ResponseWriter, r *http.Request) {
	id, ok := idParam(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	if !s.parseForm(w, r) {
		return
	}
	f := &hoursForm{home: r.PostForm.Get("home")}
	var in placement.TimetableInput
	if strings.TrimSpace(f.home) == "" {
		f.errs.Add("home", "Enter the hours a week at the home school, or 0")
	} else if v, err := homeHours.Parse(f.home); err != nil {
		f.errs.Add("home", err.Error())
	} else {
		in.HomeSchoolHours = float64(v.Units) / 10
	}
	in.ReviewOn, f.day, f.month, f.year, f.parts = dateField(r, "review", "The review date", &f.errs)
	if !f.errs.Any() {
		_, err := s.placements.RecordTimetable(r.Context(), placementActor(r), id, in)
		if !problemsIn(err, &f.errs) && s.refuseRequest(w, r, "Hours a week", pages.Link{Text: "Back to the student", Href: "/students/" + itoa(id)}, err) {
			return
		}
	}
	if f.errs.Any() {
		s.renderHours(w, r, http.StatusUnprocessableEntity, id, f)
		return
	}
	s.flash(r.Context(), "Hours a week saved")
	http.Redirect(w, r, "/students/"+itoa(id)+"/hours", http.StatusSeeOther)
}
