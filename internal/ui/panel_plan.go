package ui

import (
	"context"
	"errors"
	"fmt"

	"github.com/coventry-cap/capportal/internal/db"
	"github.com/coventry-cap/capportal/internal/directory"
	"github.com/coventry-cap/capportal/internal/panel"
	"github.com/coventry-cap/capportal/internal/referral"
	"github.com/coventry-cap/capportal/web/pages"
)

// panelPlan describes the panel round a referral joins: before submission the round a submission
// today would join, after it the round it joined. Nil for programmes that do not go to panel.
func (s *Server) panelPlan(ctx context.Context, ref referral.Referral) (*pages.PanelPlanView, error) {
	if !ref.GoesToPanel() {
		return nil, nil
	}
	v := &pages.PanelPlanView{Heading: "Which panel decides this referral", Intro: "If you submit it today, it goes to:"}
	var round panel.Round
	var late []string
	if ref.Reference != "" && !ref.Editable() {
		v.Intro = "It joined:"
		if ref.PanelRoundID == 0 {
			v.None = ref.PanelLateReason
			if v.None == "" {
				v.None = "CAP will add it to the next panel round on the calendar."
			}
			return v, nil
		}
		var err error
		if round, err = s.panels.GetRound(ctx, ref.PanelRoundID); err != nil {
			return nil, err
		}
		if ref.PanelLateReason != "" {
			late = []string{ref.PanelLateReason}
		}
	} else {
		plan, err := s.referrals.PlanPanel(ctx, ref.Kind)
		if err != nil {
			return nil, err
		}
		if plan.None != "" {
			v.None = plan.None
			return v, nil
		}
		round, late = plan.Round, plan.Late
	}
	v.Late = late
	v.Rows = append(v.Rows, fmt.Sprintf("Panel round %d of %s: referral deadline %s %s", round.Position, round.AcademicYear,
		round.Deadline.Weekday(), round.Deadline.Format()))
	panels := []string{panel.ReviewPanel}
	switch ref.Kind {
	case directory.Refocus, directory.Focus11:
		panels = append(panels, panel.MultiAgencyPanel)
	case directory.SupportedTransfer:
		panels = append(panels, panel.HeadteacherPanel)
	}
	for _, p := range panels {
		m, err := s.panels.GetMeeting(ctx, round.ID, p)
		switch {
		case err == nil:
			v.Rows = append(v.Rows, fmt.Sprintf("%s: %s %s", panel.PanelName(p), m.HeldOn.Weekday(), m.HeldOn.Format()))
		case errors.Is(err, db.ErrNotFound) && p == panel.HeadteacherPanel && !round.Meeting.IsZero():
			v.Rows = append(v.Rows, fmt.Sprintf("%s: %s %s", panel.PanelName(p), round.Meeting.Weekday(), round.Meeting.Format()))
		case errors.Is(err, db.ErrNotFound):
			v.Rows = append(v.Rows, panel.PanelName(p)+": after the deadline, on a day CAP will confirm")
		default:
			return nil, err
		}
	}
	switch ref.Kind {
	case directory.Refocus, directory.Focus11:
		if c, err := s.panels.CohortFedBy(ctx, round.ID); err == nil {
			v.Rows = append(v.Rows, fmt.Sprintf("If approved: Coventry AP Academy %s, starting %s %s (%d places)",
				c.Name, c.Starts.Weekday(), c.Starts.Format(), c.Capacity))
		} else if !errors.Is(err, db.ErrNotFound) {
			return nil, err
		}
	case directory.Flourish:
		if st, err := s.panels.StartFedBy(ctx, round.ID, directory.Flourish); err == nil {
			v.Rows = append(v.Rows, "If approved: the Flourish "+st.Name+", "+referral.WeekdayDate(st.Starts))
		} else if !errors.Is(err, db.ErrNotFound) {
			return nil, err
		}
	}
	return v, nil
}
