package ui

import (
	"net/http"
	"strconv"

	"github.com/coventry-cap/capportal/internal/auth"
	"github.com/coventry-cap/capportal/internal/panel"
	"github.com/coventry-cap/capportal/internal/referral"
	"github.com/coventry-cap/capportal/web/pages"
)

// carriedRoundName names the round a carried case came from: "round 4", or "round 10 of 2025/26"
// when it was another year's.
func carriedRoundName(ref panel.RoundRef, year string) string {
	name := "round " + strconv.Itoa(ref.Position)
	if ref.AcademicYear != year {
		name += " of " + ref.AcademicYear
	}
	return name
}

// panelDecisionColour is the tag colour of a decision.
func panelDecisionColour(d string) string {
	switch d {
	case panel.Approved:
		return "green"
	case panel.NotApproved:
		return "red"
	case panel.Deferred:
		return "yellow"
	}
	return "grey"
}

// panelAgendaShow is a panel's agenda in a round: the meeting, then the cases in order. CAP admins
// reorder the cases still to decide and defer them to the next round.
func (s *Server) panelAgendaShow(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	rd, ok := s.panelRoundFor(w, r)
	if !ok {
		return
	}
	p, ok := s.panelOfRound(w, r, rd)
	if !ok {
		return
	}
	admin := auth.FromContext(ctx).Has(auth.CAPAdmin)
	m, scheduled, err := s.panelMeetingOf(ctx, rd.ID, p)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	cases, err := s.panels.ViewAgenda(ctx, s.Clock.Now(), panelActorOf(r), rd.ID, p)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	carried, err := s.panels.CarriedFrom(ctx, cases)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	v := pages.PanelAgendaView{Caption: panelRoundCaption(rd) + " (deadline " + referral.WeekdayDate(rd.Deadline) + ")",
		Heading: panel.PanelName(p) + " agenda", Back: panelRoundHref(rd.ID), Meeting: "Not scheduled yet", CanOrder: admin}
	if scheduled {
		v.Undecidable = undecidableCases(m, cases)
	}
	if scheduled {
		v.Meeting = "Meets on " + referral.WeekdayDate(m.HeldOn)
		if m.ChairName != "" {
			v.Meeting += ", chaired by " + m.ChairName
		}
		v.Meeting += ", " + meetingAttending(m)
	}
	if admin {
		v.MeetingHref, v.MeetingLink = panelMeetingHref(rd.ID, p), "Schedule the meeting"
		if scheduled {
			v.MeetingLink = "Change the meeting"
		}
	}
	for i, c := range cases {
		refURL := "/referrals/" + c.Reference
		row := pages.PanelAgendaRow{ID: itoa(c.ID), Number: strconv.Itoa(i + 1), Reference: c.Reference, Href: refURL,
			Student: c.StudentName, School: c.SchoolName, SLA: c.SchoolSLA, Programme: c.Programme, Tier: strconv.Itoa(c.Tier),
			Status: "Not decided", StatusColour: "grey", Undecided: !c.Decided(),
			First: i == 0, Last: i == len(cases)-1}
		if c.Decided() {
			row.Status, row.StatusColour = panel.DecisionLabel(c.Decision), panelDecisionColour(c.Decision)
		} else {
			// The case page is the chair's; everyone else reads the referral.
			if auth.FromContext(r.Context()).Has(auth.PanelMember) {
				row.Href = refURL + "/" + string(referral.CaseAction(p))
			}
			row.MoveAction = "/panels/cases/" + itoa(c.ID) + "/move"
			row.DeferHref = refURL + "/defer"
		}
		if c.CarriedFrom != 0 {
			row.Carried = "Carried from " + carriedRoundName(carried[c.CarriedFrom], rd.AcademicYear)
		}
		v.Cases = append(v.Cases, row)
	}
	s.render(w, r, http.StatusOK, pages.PanelAgenda(s.page(r, v.Heading), v))
}
