package ui

import (
	"net/http"
	"strconv"

	"github.com/coventry-cap/capportal/internal/auth"
	"github.com/coventry-cap/capportal/web/components"
	"github.com/coventry-cap/capportal/web/pages"
)

// qaUsedHint says where the QA placements count comes from, so nobody takes it for a figure typed in.
const qaUsedHint = "Counted from placements set up in the portal"

func (s *Server) slaShow(w http.ResponseWriter, r *http.Request) {
	s.renderSLA(w, r, http.StatusOK, pages.SLAView{}, true)
}

// renderSLA shows a school's SLA for the year in the URL. fill puts the recorded SLA into the form;
// a re-rendered form passes false to keep what the admin typed.
func (s *Server) renderSLA(w http.ResponseWriter, r *http.Request, status int, v pages.SLAView, fill bool) {
	ctx := r.Context()
	id, ok := idParam(r, "id")
	year, yok := slaYearParam(r)
	if !ok || !yok {
		s.notFound(w, r)
		return
	}
	p := auth.FromContext(ctx)
	sla, err := s.schools.SLA(ctx, p, id, year)
	if s.failed(w, r, err) {
		return
	}
	v.SchoolName, v.SchoolHref, v.Year = sla.SchoolName, "/schools/"+itoa(id), year
	v.FormAction = slaHref(id, year)
	v.Signed = sla.Signed
	v.Status, v.Colour = slaStatus(sla.Signed)
	if sla.Signed && !sla.SignedOn.IsZero() {
		v.SignedOn = sla.SignedOn.Format()
	}
	if sla.RecordedBy != "" && !sla.UpdatedAt.IsZero() {
		v.Recorded = "By " + sla.RecordedBy + " on " + components.FormatDate(sla.UpdatedAt)
	}
	v.NotSignedAt = sla.SchoolName + " has no signed CAP SLA for " + year + ", so it can use Tier 1 courses and Tier 2 programmes " +
		"(without the SLA schools’ priority for Tier 2) but not Tier 3. Call the CAP team on 024 7697 2062 to sign it."
	if o := sla.Offer; o != nil {
		v.HasOffer, v.OfferDraft = true, o.Draft
		for _, e := range o.Entitlements() {
			v.Entitlements = append(v.Entitlements, pages.EntitlementRow{Tier: e.Tier, Access: e.Access, Detail: e.Detail})
		}
		v.Services = o.Services()
		v.QAUsed = strconv.Itoa(sla.QAUsed) + " of " + strconv.Itoa(o.Tier1QAPlacements) + " used"
		v.QAUsedHint = qaUsedHint
		if !o.SigningDeadline.IsZero() && !sla.Signed {
			v.SigningDeadline = o.SigningDeadline.Format()
		}
	}
	if pol, ok := s.routes.Policy(http.MethodPost, "/schools/{id}/sla/{year}"); ok && pol.Allows(p) {
		v.CanRecord = true
		if fill && sla.Recorded {
			v.FormSigned = "no"
			if sla.Signed {
				v.FormSigned = "yes"
				if !sla.SignedOn.IsZero() {
					v.FormDay, v.FormMonth, v.FormYear = strconv.Itoa(sla.SignedOn.Day), strconv.Itoa(int(sla.SignedOn.Month)), strconv.Itoa(sla.SignedOn.Year)
				}
			}
		}
	}
	lp := s.page(r, "CAP SLA "+year+" – "+sla.SchoolName)
	lp.HasErrors = v.Errors.Any()
	s.render(w, r, status, pages.SLA(lp, v))
}
