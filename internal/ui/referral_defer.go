package ui

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/coventry-cap/capportal/internal/db"
	"github.com/coventry-cap/capportal/internal/panel"
	"github.com/coventry-cap/capportal/internal/pathway"
	"github.com/coventry-cap/capportal/internal/referral"
	"github.com/coventry-cap/capportal/web/components"
	"github.com/coventry-cap/capportal/web/pages"
)

// panelDeferPlan is the case the referral waits on, its round and the round a deferral takes it to; the
// refusal says why it cannot be deferred.
func (s *Server) panelDeferPlan(ctx context.Context, ref referral.Referral) (panel.Case, panel.Round, panel.Round, error) {
	var rd, next panel.Round
	c, err := s.panels.OpenCase(ctx, ref.ID)
	if errors.Is(err, db.ErrNotFound) {
		return c, rd, next, &pathway.Refusal{Reason: "This referral is not on a panel’s agenda.", Do: "Add it to the agenda first."}
	}
	if err != nil {
		return c, rd, next, err
	}
	if rd, err = s.panels.GetRound(ctx, c.RoundID); err != nil {
		return c, rd, next, err
	}
	next, err = s.panels.RoundAfter(ctx, rd, ref.Kind)
	if errors.Is(err, panel.ErrNoRound) {
		return c, rd, next, &pathway.Refusal{Reason: "There is no later round on the calendar to defer this case to.",
			Do: "Publish the next panel calendar on the panel dates page first."}
	}
	return c, rd, next, err
}

// panelDeferView is the deferral's confirm page.
func panelDeferView(ref referral.Referral, c panel.Case, rd, next panel.Round) pages.DeferView {
	v := pages.DeferView{StepPage: refStepPage(ref, "Defer to the next round", pathway.Defer), CaseID: itoa(c.ID),
		NextRound: fmt.Sprintf("round %d (deadline %s)", next.Position, referral.WeekdayDate(next.Deadline))}
	v.Summary = append(v.Summary,
		components.SummaryRow{Key: "On the agenda of", Value: fmt.Sprintf("%s, round %d (deadline %s)", panel.PanelName(c.Panel), rd.Position, referral.WeekdayDate(rd.Deadline))},
		components.SummaryRow{Key: "Goes to", Value: fmt.Sprintf("%s, %s", panel.PanelName(c.Panel), v.NextRound)})
	return v
}

// referralDeferShow asks CAP to confirm a deferral to the next round, with an optional reason.
func (s *Server) referralDeferShow(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	ref := referralFrom(ctx)
	c, rd, next, err := s.panelDeferPlan(ctx, ref)
	if err != nil {
		s.refuse(w, r, ref, err)
		return
	}
	v := panelDeferView(ref, c, rd, next)
	s.render(w, r, http.StatusOK, pages.ReferralDefer(s.stepLayout(r, v.StepPage), v))
}

// referralDefer moves the case to the same panel's agenda in the next round, and goes back to the
// agenda it left.
func (s *Server) referralDefer(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	ref := referralFrom(ctx)
	if !s.parseForm(w, r) {
		return
	}
	caseID, err := strconv.ParseInt(r.PostForm.Get("case"), 10, 64)
	if err != nil || caseID <= 0 {
		s.renderError(w, r, http.StatusBadRequest, "The form could not be read", "Go back to the referral, reload the page and try again.")
		return
	}
	c, rd, next, err := s.panelDeferPlan(ctx, ref)
	if err != nil {
		s.refuse(w, r, ref, err)
		return
	}
	if c.ID != caseID {
		s.refuse(w, r, ref, referral.ErrMoved)
		return
	}
	reason := r.PostForm.Get("reason")
	if utf8.RuneCountInString(strings.TrimSpace(reason)) > referral.MaxAnswer {
		v := panelDeferView(ref, c, rd, next)
		v.Reason = reason
		v.Errors.Add("reason", "The reason must be 10000 characters or fewer")
		s.render(w, r, http.StatusUnprocessableEntity, pages.ReferralDefer(s.stepLayout(r, v.StepPage), v))
		return
	}
	if err := s.referrals.DeferCase(ctx, referralActor(r), ref, caseID, reason); err != nil {
		s.refuse(w, r, ref, err)
		return
	}
	s.flash(ctx, fmt.Sprintf("%s deferred to the %s of round %d (deadline %s)", ref.Reference, panel.PanelName(c.Panel), next.Position, referral.WeekdayDate(next.Deadline)))
	http.Redirect(w, r, panelAgendaHref(rd.ID, c.Panel), http.StatusSeeOther)
}
