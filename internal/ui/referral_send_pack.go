package ui

import (
	"net/http"

	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/pathway"
	"github.com/coventry-cap/capportal/internal/referral"
	"github.com/coventry-cap/capportal/web/pages"
)

// referralSendPackShow is CAP's checklist before the pack goes to the provider: what the pack holds
// and the checks it passed (the step's guard has already refused a pack that fails them).
func (s *Server) referralSendPackShow(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	ref := referralFrom(ctx)
	store := s.referrals
	facts, err := store.Facts(ctx, ref)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	docs, err := store.Documents(ctx, ref)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	// The pack goes to the provider organisation as it is now, which the flash names too.
	provider := ref.ProviderName
	v := pages.SendPackView{StepPage: refStepPage(ref, "Check the pack and send it to "+provider, pathway.SendPack),
		Provider: provider, Documents: refDocumentLinks(ref, docs), PackHref: ref.URL() + "/pack.pdf"}
	today := calendar.Today(s.Clock)
	for _, sec := range ref.Sections() {
		if sec.ID == referral.SectionDocuments {
			continue
		}
		st := ref.SectionStatus(sec, today)
		v.Sections = append(v.Sections, pages.CheckItem{Text: sec.Title, OK: st == referral.Completed})
	}
	check := func(text string, c pathway.Check, okNote string) {
		item := pages.CheckItem{Text: text, OK: true, Note: okNote}
		if err := c.Fn(facts); err != nil {
			item.OK, item.Note = false, err.Error()
		}
		v.Checks = append(v.Checks, item)
	}
	check("Every section of the application is complete", pathway.ApplicationComplete, "")
	check("The risk assessment is attached and in date", pathway.RiskAssessmentInDate,
		"Completed no more than three months before the referral was submitted.")
	commissioning := "A commissioning agreement is attached."
	if !facts.HasCommissioning && facts.CommissioningConfirmed {
		commissioning = "The school confirmed it is submitting without a commissioning agreement."
	}
	check("Commissioning agreement attached, or the school confirmed it has none", pathway.CommissioningAgreement, commissioning)
	s.render(w, r, http.StatusOK, pages.ReferralSendPack(s.stepLayout(r, v.StepPage), v))
}

// referralSendPack sends the pack: from now the provider's staff can see the referral and its
// documents. Of two people pressing the button at once, one sends it; the other is told it moved.
func (s *Server) referralSendPack(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	ref := referralFrom(ctx)
	if err := s.referrals.SendPack(ctx, referralActor(r), ref); err != nil {
		s.refuse(w, r, ref, err)
		return
	}
	s.flash(ctx, "The application pack was sent to "+ref.ProviderName)
	http.Redirect(w, r, ref.URL(), http.StatusSeeOther)
}
