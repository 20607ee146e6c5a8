package ui

import (
	"net/http"

	"github.com/coventry-cap/capportal/internal/pathway"
	"github.com/coventry-cap/capportal/internal/referral"
	"github.com/coventry-cap/capportal/web/components"
	"github.com/coventry-cap/capportal/web/pages"
)

// transferOutcomeChoices are the two outcomes, the chosen one checked.
func transferOutcomeChoices(chosen string) []components.Choice {
	var out []components.Choice
	for _, o := range []string{"stays", "returns"} {
		out = append(out, components.Choice{Value: o, Label: referral.TransferOutcomeLabel(o), Checked: o == chosen})
	}
	return out
}

// referralTransferOutcomeShow asks CAP whether the student stays at the receiving school.
func (s *Server) referralTransferOutcomeShow(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	ref := referralFrom(ctx)
	v := pages.TransferOutcomeView{StepPage: refStepPage(ref, "Record the transfer outcome", pathway.RecordOutcome), Outcomes: transferOutcomeChoices("")}
	var err error
	if _, v.Transfer, err = s.academyTransfer(ctx, ref); err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, pages.ReferralTransferOutcome(s.stepLayout(r, v.StepPage), v))
}

// referralTransferOutcome records the outcome: the student stays at the receiving school or
// returns to the home school.
func (s *Server) referralTransferOutcome(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	ref := referralFrom(ctx)
	if !s.parseForm(w, r) {
		return
	}
	outcome, notes := r.PostForm.Get("outcome"), r.PostForm.Get("notes")
	v := pages.TransferOutcomeView{StepPage: refStepPage(ref, "Record the transfer outcome", pathway.RecordOutcome), Notes: notes}
	if outcome != "stays" && outcome != "returns" {
		outcome = ""
		v.Errors.Add("outcome", "Select whether the student stays at the receiving school or returns to the home school")
	}
	if len(notes) > 5000 {
		v.Errors.Add("notes", "Notes must be 5,000 characters or fewer")
	}
	v.Outcomes = transferOutcomeChoices(outcome)
	if v.Errors.Any() {
		var err error
		if _, v.Transfer, err = s.academyTransfer(ctx, ref); err != nil {
			s.serverError(w, r, err)
			return
		}
		s.render(w, r, http.StatusUnprocessableEntity, pages.ReferralTransferOutcome(s.stepLayout(r, v.StepPage), v))
		return
	}
	if err := s.referrals.RecordTransferOutcome(ctx, referralActor(r), ref, outcome, notes); err != nil {
		s.refuse(w, r, ref, err)
		return
	}
	s.flash(ctx, "Transfer outcome recorded: "+referral.TransferOutcomeLabel(outcome))
	http.Redirect(w, r, ref.URL(), http.StatusSeeOther)
}
