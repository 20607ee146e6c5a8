package ui

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/coventry-cap/capportal/internal/auth"
	"github.com/coventry-cap/capportal/internal/panel"
	"github.com/coventry-cap/capportal/internal/referral"
	"github.com/coventry-cap/capportal/web/components"
	"github.com/coventry-cap/capportal/web/pages"
)

// panelRoundShow is a round: its deadline and programmes, and for each panel it holds the meeting's
// day, chair and attendance, its cases and a link to the agenda.
func (s *Server) panelRoundShow(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	rd, ok := s.panelRoundFor(w, r)
	if !ok {
		return
	}
	admin := auth.FromContext(ctx).Has(auth.CAPAdmin)
	counts, err := s.panels.CaseCounts(ctx, rd.ID)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	row := panelRoundRow(rd, nil)
	v := pages.PanelRoundView{Caption: rd.AcademicYear, Heading: fmt.Sprintf("Panel round %d", rd.Position), Draft: rd.Draft,
		Summary: []components.SummaryRow{
			{Key: "Referral deadline", Value: stated(rd.DeadlineWeekday, rd.Deadline)},
			{Key: "Programmes", Value: row.Programmes},
		}}
	if !rd.Meeting.IsZero() {
		v.Summary = append(v.Summary, components.SummaryRow{Key: "Published Headteacher Placement Meeting", Value: stated(rd.MeetingWeekday, rd.Meeting)})
	}
	for _, p := range panelsOfRound(rd) {
		m, scheduled, err := s.panelMeetingOf(ctx, rd.ID, p)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		c := counts[p]
		card := pages.PanelMeetingCard{Panel: p, Name: panel.PanelName(p), AgendaHref: panelAgendaHref(rd.ID, p),
			Meets: "Not scheduled", Chair: "–", Attending: "–",
			Cases: strconv.Itoa(c.All), Undecided: strconv.Itoa(c.Undecided)}
		if scheduled {
			card.Meets = referral.WeekdayDate(m.HeldOn)
			card.Chair = "No chair recorded"
			if m.ChairName != "" {
				card.Chair = m.ChairName
			}
			card.Attending = meetingAttending(m)
		}
		if admin {
			card.MeetingHref, card.MeetingLink = panelMeetingHref(rd.ID, p), "Schedule"
			if scheduled {
				card.MeetingLink = "Change"
			}
		}
		v.Panels = append(v.Panels, card)
	}
	s.render(w, r, http.StatusOK, pages.PanelRound(s.page(r, v.Heading+" of "+rd.AcademicYear), v))
}
