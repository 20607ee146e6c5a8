package ui

import (
	"net/http"

	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/placement"
	"github.com/coventry-cap/capportal/web/pages"
)

func incidentFormOf(p placement.Placement, today calendar.Date, token string) pages.IncidentFormView {
	return pages.IncidentFormView{Caption: monitoringCaption(p), Heading: "Record a behaviour incident", Action: incidentNewHref(p.ID),
		Back: placementMonitoringHref(p.ID), Token: token, DateHint: exampleDateHint(today)}
}

// incidentNew is the behaviour incident form: when, what happened, the action taken, who was told and
// the CPOMS reference. It names the student, so the view is recorded.
func (s *Server) incidentNew(w http.ResponseWriter, r *http.Request) {
	id, ok := idParam(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	a := monitoringActor(r)
	p, err := s.placements.View(r.Context(), a, id, "behaviour incident form")
	if s.failed(w, r, err) {
		return
	}
	if !placement.RecordsProgress(a.Principal, p.ProviderID) {
		s.recordRefused(w, r, placement.ErrNotRecorder)
		return
	}
	token, ok := s.freshFormToken(w, r)
	if !ok {
		return
	}
	v := incidentFormOf(p, calendar.Today(s.Clock), token)
	s.render(w, r, http.StatusOK, pages.IncidentForm(s.page(r, v.Heading), v))
}
