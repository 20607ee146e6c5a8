package ui

import (
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/coventry-cap/capportal/internal/pathway"
	"github.com/coventry-cap/capportal/internal/referral"
	"github.com/coventry-cap/capportal/web/pages"
)

// referralReturnShow asks CAP what is missing before the application goes back to the school.
func (s *Server) referralReturnShow(w http.ResponseWriter, r *http.Request) {
	ref := referralFrom(r.Context())
	v := pages.ReturnView{StepPage: refStepPage(ref, "Send the application back to the school", pathway.Return)}
	s.render(w, r, http.StatusOK, pages.ReferralReturn(s.stepLayout(r, v.StepPage), v))
}

// referralReturn sends the application back to the school with what is missing; the school edits it
// and resubmits. Without a reason the form comes back with what was typed.
func (s *Server) referralReturn(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	ref := referralFrom(ctx)
	if !s.parseForm(w, r) {
		return
	}
	v := pages.ReturnView{StepPage: refStepPage(ref, "Send the application back to the school", pathway.Return),
		Missing: r.PostForm.Get("missing")}
	missing := strings.TrimSpace(v.Missing)
	switch {
	case missing == "":
		v.Errors.Add("missing", "Enter what is missing or needs changing")
	case utf8.RuneCountInString(missing) > referral.MaxAnswer:
		v.Errors.Add("missing", "What is missing must be 10000 characters or fewer")
	}
	if v.Errors.Any() {
		s.render(w, r, http.StatusUnprocessableEntity, pages.ReferralReturn(s.stepLayout(r, v.StepPage), v))
		return
	}
	if err := s.referrals.ReturnToSchool(ctx, referralActor(r), ref, missing); err != nil {
		s.refuse(w, r, ref, err)
		return
	}
	s.flash(ctx, ref.Title()+" was sent back to the school with what needs changing")
	http.Redirect(w, r, ref.URL(), http.StatusSeeOther)
}
