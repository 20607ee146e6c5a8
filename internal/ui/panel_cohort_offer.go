package ui

import (
	"fmt"
	"net/http"
	"slices"

	"github.com/coventry-cap/capportal/internal/panel"
	"github.com/coventry-cap/capportal/web/pages"
)

// panelCohortOffer offers the cohort's waiting list, in order, places in a later cohort.
func (s *Server) panelCohortOffer(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	c, ok := s.panelCohortLoad(w, r)
	if !ok {
		return
	}
	if !s.parseForm(w, r) {
		return
	}
	later, err := s.panels.LaterCohorts(ctx, c)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	to := r.PostForm.Get("to")
	i := slices.IndexFunc(later, func(st panel.Start) bool { return itoa(st.ID) == to })
	if i < 0 {
		v, err := s.panelCohortView(r, c)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		v.Errors.Add("to", "Choose the cohort to offer the places in")
		lp := s.page(r, v.Heading)
		lp.HasErrors = true
		s.render(w, r, http.StatusUnprocessableEntity, pages.PanelCohort(lp, v))
		return
	}
	target := later[i]
	offer, err := s.panels.OfferNext(ctx, s.Clock.Now(), panelActorOf(r), c.ID, target.ID)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.flash(ctx, fmt.Sprintf("%d placed in %s, %d still waiting", offer.Placed, target.Title(), offer.Waiting))
	http.Redirect(w, r, panelCohortHref(c.ID), http.StatusSeeOther)
}
