package ui

import (
	"net/http"
	"strconv"

	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/placement"
	"github.com/coventry-cap/capportal/web/pages"
)

// reviewFormOf prepares the review form's fixed parts for the placement: where it posts, the
// progress box of each objective (or one overall box) and the review date now due.
func reviewFormOf(p placement.Placement, today calendar.Date, token string) pages.ReviewFormView {
	v := pages.ReviewFormView{Caption: monitoringCaption(p), Heading: "Record a progress review", Action: reviewNewHref(p.ID),
		Back: placementMonitoringHref(p.ID), Token: token, DateHint: exampleDateHint(today)}
	if due := p.NextReviewDue(today); !due.IsZero() {
		v.Due = "The next review date is " + due.Format() + "."
	}
	objectives := p.ReviewObjectives()
	for i, o := range objectives {
		label := "Objective " + strconv.Itoa(i+1) + ": " + o
		if len(objectives) == 1 && o == placement.OverallProgress {
			label = "Progress made (no objectives were recorded for the placement)"
		}
		v.Progress = append(v.Progress, pages.ProgressBox{Field: placement.ProgressField(i), Label: label})
	}
	return v
}

// reviewNew is the progress review form: who took part, progress against each of the placement's
// objectives, targets and the next review date. It names the student, so the view is recorded.
func (s *Server) reviewNew(w http.ResponseWriter, r *http.Request) {
	id, ok := idParam(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	a := monitoringActor(r)
	p, err := s.placements.View(r.Context(), a, id, "progress review form")
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
	v := reviewFormOf(p, calendar.Today(s.Clock), token)
	s.render(w, r, http.StatusOK, pages.ReviewForm(s.page(r, v.Heading), v))
}
