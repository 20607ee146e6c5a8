package ui

import (
	"errors"
	"net/http"

	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/input"
	"github.com/coventry-cap/capportal/internal/placement"
	"github.com/coventry-cap/capportal/web/pages"
)

// incidentCreate records the behaviour incident, or shows the form again with what was typed and
// what to fix (422). The same form sent twice records one incident.
func (s *Server) incidentCreate(w http.ResponseWriter, r *http.Request) {
	id, ok := idParam(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	if !s.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	a := monitoringActor(r)
	p, err := s.placements.View(ctx, a, id, "behaviour incident form")
	if s.failed(w, r, err) {
		return
	}
	if !placement.RecordsProgress(a.Principal, p.ProviderID) {
		s.recordRefused(w, r, placement.ErrNotRecorder)
		return
	}
	token, ok := s.formTokenOf(w, r)
	if !ok {
		return
	}
	f := r.PostForm
	v := incidentFormOf(p, calendar.Today(s.Clock), token)
	in := placement.IncidentInput{Time: f.Get("time"), What: f.Get("what"), ActionTaken: f.Get("action"), WhoTold: f.Get("told"),
		CPOMSRef: f.Get("cpoms"), Token: token}
	in.Date, v.WhenDay, v.WhenMonth, v.WhenYear, v.WhenParts = formDate(&v.Errors, f, "when", "The date of the incident")
	v.Time, v.What, v.ActionTaken, v.WhoTold, v.CPOMSRef = in.Time, in.What, in.ActionTaken, in.WhoTold, in.CPOMSRef

	if v.Errors.Any() {
		addProblems(&v.Errors, in.Problems(p, s.Clock.Now()))
	} else {
		inc, created, err := s.placements.RecordIncident(ctx, a, p.ID, in)
		var ps input.Problems
		switch {
		case errors.As(err, &ps):
			addProblems(&v.Errors, ps)
		case s.recordRefused(w, r, err):
			return
		default:
			msg := "Behaviour incident of " + inc.When() + " saved"
			if !created {
				msg = "This behaviour incident was already saved"
			}
			s.flash(ctx, msg)
			http.Redirect(w, r, placementMonitoringHref(p.ID)+"#incident-"+itoa(inc.ID), http.StatusSeeOther)
			return
		}
	}
	v.Errors = v.Errors.InOrder([]string{"when", "time", "what", "action", "told", "cpoms"})
	lp := s.page(r, v.Heading)
	lp.HasErrors = true
	s.render(w, r, http.StatusUnprocessableEntity, pages.IncidentForm(lp, v))
}
