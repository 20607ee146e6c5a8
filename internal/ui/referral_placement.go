package ui

import (
	"context"
	"net/http"

	"github.com/coventry-cap/capportal/internal/pathway"
	"github.com/coventry-cap/capportal/internal/referral"
	"github.com/coventry-cap/capportal/web/pages"
)

// qaChoiceFor is whether the placement can count as one of the school's SLA quality-assured Tier 1
// placements; the store applies the same rule when the placement is set up.
func (s *Server) qaChoiceFor(ctx context.Context, ref referral.Referral) (referral.QAChoice, error) {
	return s.referrals.QAChoiceFor(ctx, ref)
}

// acceptedResponse is the processed acceptance the placement is set up from.
func acceptedResponse(list []referral.Response, providerID int64) (referral.Response, bool) {
	for _, x := range list {
		if x.Accept && x.ProcessedAt != nil && x.ProviderID == providerID {
			return x, true
		}
	}
	return referral.Response{}, false
}

// referralPlacementShow shows CAP the accepted response it is setting the training record up from,
// and whether the placement counts against the school's SLA allowance.
func (s *Server) referralPlacementShow(w http.ResponseWriter, r *http.Request) {
	v, ok := s.placementView(w, r, nil)
	if !ok {
		return
	}
	s.render(w, r, http.StatusOK, pages.ReferralPlacement(s.stepLayout(r, v.StepPage), v))
}

// placementView builds the placement page; qa is what was posted, nil for the default.
func (s *Server) placementView(w http.ResponseWriter, r *http.Request, qa *bool) (pages.PlacementView, bool) {
	ctx := r.Context()
	ref := referralFrom(ctx)
	v := pages.PlacementView{StepPage: refStepPage(ref, "Set up the training record", pathway.SetUpPlacement)}
	list, err := s.referrals.Responses(ctx, referralActor(r), ref)
	if err != nil {
		s.serverError(w, r, err)
		return v, false
	}
	resp, ok := acceptedResponse(list, ref.ProviderID)
	if !ok {
		s.refuse(w, r, ref, referral.ErrMoved)
		return v, false
	}
	v.Response = refResponseBlock(resp)
	v.Response.Heading = "The accepted application response"
	choice, err := s.qaChoiceFor(ctx, ref)
	if err != nil {
		s.serverError(w, r, err)
		return v, false
	}
	v.QAOffered, v.QAHint, v.QA = choice.Offered, choice.Hint, choice.Default
	if qa != nil {
		v.QA = *qa
	}
	return v, true
}

// referralPlacement sets up the training record: a placement from the accepted response. Counting it
// as a QA placement is refused when the school has none to count it against.
func (s *Server) referralPlacement(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	ref := referralFrom(ctx)
	if !s.parseForm(w, r) {
		return
	}
	qa := r.PostForm.Get("qa") == "yes"
	choice, err := s.qaChoiceFor(ctx, ref)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if qa && !choice.Offered {
		v, ok := s.placementView(w, r, &qa)
		if !ok {
			return
		}
		// Show the box, ticked, so the error has a field and can be put right.
		v.QAOffered = true
		v.Errors.Add("qa", "This placement cannot count as a quality-assured placement: "+choice.Hint)
		s.render(w, r, http.StatusUnprocessableEntity, pages.ReferralPlacement(s.stepLayout(r, v.StepPage), v))
		return
	}
	if err := s.referrals.SetUpPlacement(ctx, referralActor(r), ref, qa); err != nil {
		s.refuse(w, r, ref, err)
		return
	}
	s.flash(ctx, "The training record is set up: the placement is active")
	http.Redirect(w, r, ref.URL(), http.StatusSeeOther)
}
