package ui

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/coventry-cap/capportal/internal/db"
	"github.com/coventry-cap/capportal/internal/panel"
	"github.com/coventry-cap/capportal/internal/pathway"
	"github.com/coventry-cap/capportal/web/pages"
)

// referralAgendaShow asks CAP to confirm the checked application joins the Review and Authorisation
// Panel's agenda: which round (the one it joined at submission, or the next one now when none was on
// the calendar then), when that panel meets, and why it is not an earlier round.
func (s *Server) referralAgendaShow(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	ref := referralFrom(ctx)
	v := pages.AgendaStepView{StepPage: refStepPage(ref, "Add to the panel agenda", pathway.JoinAgenda), Late: ref.PanelLateReason}
	var round panel.Round
	if ref.PanelRoundID != 0 {
		var err error
		if round, err = s.panels.GetRound(ctx, ref.PanelRoundID); err != nil {
			s.serverError(w, r, err)
			return
		}
	} else {
		plan, err := s.referrals.PlanPanel(ctx, ref.Kind)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		if plan.Round.ID == 0 {
			v.None = plan.None
			s.render(w, r, http.StatusOK, pages.ReferralAgenda(s.stepLayout(r, v.StepPage), v))
			return
		}
		// The reason recorded at submission was that no round was on the calendar; today's plan says
		// why this round rather than an earlier one.
		round, v.Late = plan.Round, strings.Join(plan.Late, " ")
	}
	v.Round = fmt.Sprintf("Round %d of %s: referral deadline %s %s", round.Position, round.AcademicYear,
		round.Deadline.Weekday(), round.Deadline.Format())
	name := panel.PanelName(panel.ReviewPanel)
	switch m, err := s.panels.GetMeeting(ctx, round.ID, panel.ReviewPanel); {
	case err == nil:
		v.Meeting = fmt.Sprintf("The %s meets on %s %s", name, m.HeldOn.Weekday(), m.HeldOn.Format())
	case errors.Is(err, db.ErrNotFound):
		v.Meeting = "The " + name + " meets after the deadline, on a day CAP has not scheduled yet"
	default:
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, pages.ReferralAgenda(s.stepLayout(r, v.StepPage), v))
}

// referralAgenda adds the referral to its round's Review and Authorisation Panel agenda.
func (s *Server) referralAgenda(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	ref := referralFrom(ctx)
	if err := s.referrals.AddToAgenda(ctx, referralActor(r), ref); err != nil {
		s.refuse(w, r, ref, err)
		return
	}
	s.flash(ctx, ref.Title()+" was added to the "+panel.PanelName(panel.ReviewPanel)+"’s agenda")
	http.Redirect(w, r, ref.URL(), http.StatusSeeOther)
}
