package ui

import (
	"net/http"

	"github.com/coventry-cap/capportal/internal/panel"
	"github.com/coventry-cap/capportal/internal/pathway"
	"github.com/coventry-cap/capportal/web/pages"
)

// referralOnboardShow confirms that Coventry AP Academy starts onboarding the student.
func (s *Server) referralOnboardShow(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	ref := referralFrom(ctx)
	v := pages.OnboardView{StepPage: refStepPage(ref, "Start onboarding", pathway.Onboard)}
	place, err := s.academyPlace(ctx, ref.ID)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	switch {
	case !place.found:
		v.Cohort = "The student has no cohort place yet: give them one on the cohort’s page before placing them."
	case place.place.Status == panel.Waiting:
		v.Cohort = place.text() + ". The student can be placed once they have a place."
	default:
		v.Cohort = place.text() + "."
	}
	s.render(w, r, http.StatusOK, pages.ReferralOnboard(s.stepLayout(r, v.StepPage), v))
}

// referralOnboard records that the Academy started onboarding.
func (s *Server) referralOnboard(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	ref := referralFrom(ctx)
	if err := s.referrals.Onboard(ctx, referralActor(r), ref); err != nil {
		s.refuse(w, r, ref, err)
		return
	}
	s.flash(ctx, "Onboarding started")
	http.Redirect(w, r, ref.URL(), http.StatusSeeOther)
}
