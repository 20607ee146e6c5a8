package ui

import (
	"errors"
	"net/http"

	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/input"
	"github.com/coventry-cap/capportal/internal/placement"
	"github.com/coventry-cap/capportal/web/pages"
)

// reviewCreate records the progress review, or shows the form again with what was typed and what to
// fix (422). The same form sent twice records one review.
func (s *Server) reviewCreate(w http.ResponseWriter, r *http.Request) {
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
	// The form shown again names the student: the view is recorded.
	p, err := s.placements.View(ctx, a, id, "progress review form")
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
	today := calendar.Today(s.Clock)
	f := r.PostForm
	v := reviewFormOf(p, today, token)
	in := placement.ReviewInput{Participants: f.Get("participants"), Targets: f.Get("targets"), Token: token}
	in.HeldOn, v.HeldDay, v.HeldMonth, v.HeldYear, v.HeldParts = formDate(&v.Errors, f, "held", "The date of the review")
	in.NextReview, v.NextDay, v.NextMonth, v.NextYear, v.NextParts = formDate(&v.Errors, f, "next", "The date of the next review")
	v.Participants, v.Targets = in.Participants, in.Targets
	order := []string{"held", "participants"}
	for i := range v.Progress {
		field := v.Progress[i].Field
		v.Progress[i].Value = f.Get(field)
		in.Progress = append(in.Progress, v.Progress[i].Value)
		order = append(order, field)
	}
	order = append(order, "targets", "next")

	if v.Errors.Any() {
		addProblems(&v.Errors, in.Problems(p, today))
	} else {
		rv, created, err := s.placements.RecordReview(ctx, a, p.ID, in)
		var ps input.Problems
		switch {
		case errors.As(err, &ps):
			addProblems(&v.Errors, ps)
		case s.recordRefused(w, r, err):
			return
		default:
			msg := "Progress review of " + rv.HeldOn.Format() + " saved"
			if !created {
				msg = "This progress review was already saved"
			}
			s.flash(ctx, msg)
			http.Redirect(w, r, placementMonitoringHref(p.ID)+"#review-"+itoa(rv.ID), http.StatusSeeOther)
			return
		}
	}
	v.Errors = v.Errors.InOrder(order)
	for i := range v.Progress {
		v.Progress[i].Error = v.Errors.For(v.Progress[i].Field)
	}
	lp := s.page(r, v.Heading)
	lp.HasErrors = true
	s.render(w, r, http.StatusUnprocessableEntity, pages.ReviewForm(lp, v))
}
