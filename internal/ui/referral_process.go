package ui

import (
	"net/http"

	"github.com/coventry-cap/capportal/internal/pathway"
	"github.com/coventry-cap/capportal/internal/referral"
	"github.com/coventry-cap/capportal/web/pages"
)

// openResponse is the provider's response CAP has not processed yet, if there is one: the newest
// from the provider the referral is with.
func openResponse(list []referral.Response, providerID int64) (referral.Response, bool) {
	for _, x := range list {
		if x.ProcessedAt == nil && x.ProviderID == providerID {
			return x, true
		}
	}
	return referral.Response{}, false
}

// referralProcessShow shows CAP the provider's response in full, with the button that processes it.
func (s *Server) referralProcessShow(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	ref := referralFrom(ctx)
	list, err := s.referrals().Responses(ctx, referralActor(r), ref)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	resp, ok := openResponse(list, ref.ProviderID)
	if !ok {
		// The guard checked there is one; it was processed in the meantime.
		s.refuse(w, r, ref, referral.ErrMoved)
		return
	}
	v := pages.ProcessView{StepPage: refStepPage(ref, "Process the application response", "process"),
		Response: refResponseBlock(resp), Accepted: resp.Accept, Button: "Record the decline and explore alternatives"}
	if resp.Accept {
		v.Button = "Confirm the start date to the school"
	}
	s.render(w, r, http.StatusOK, pages.ReferralProcess(s.stepLayout(r, v.StepPage), v))
}

// referralProcess processes the response: an acceptance confirms the start date to the school; a
// decline moves the referral to CAP exploring alternatives.
func (s *Server) referralProcess(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	ref := referralFrom(ctx)
	to, err := s.referrals().ProcessResponse(ctx, referralActor(r), ref)
	if err != nil {
		s.refuse(w, r, ref, err)
		return
	}
	if to == pathway.ExploringAlternatives {
		s.flash(ctx, "The decline was recorded: CAP is exploring alternatives with the school")
	} else {
		s.flash(ctx, "Start date confirmed to the school")
	}
	http.Redirect(w, r, ref.URL(), http.StatusSeeOther)
}
