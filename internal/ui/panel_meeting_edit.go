package ui

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/panel"
	"github.com/coventry-cap/capportal/internal/referral"
	"github.com/coventry-cap/capportal/web/components"
	"github.com/coventry-cap/capportal/web/pages"
)

// panelMeetingFormOf prepares the meeting form's fixed parts: where it posts and the panel members to choose.
func panelMeetingFormOf(rd panel.Round, p string, members []panel.Member, chair string, attending []string) pages.PanelMeetingFormView {
	v := pages.PanelMeetingFormView{
		Caption: panelRoundCaption(rd) + " (deadline " + referral.WeekdayDate(rd.Deadline) + ")",
		Heading: panel.PanelName(p),
		Action:  panelMeetingHref(rd.ID, p),
		Back:    panelRoundHref(rd.ID),
		DateHint: "The meeting is on or after the referral deadline, " + referral.WeekdayDate(rd.Deadline) +
			". For example, " + strconv.Itoa(rd.Deadline.AddDays(6).Day) + " " + strconv.Itoa(int(rd.Deadline.AddDays(6).Month)) + " " + strconv.Itoa(rd.Deadline.AddDays(6).Year),
	}
	v.Chair = []components.Option{{Value: "", Label: "No chair yet", Selected: chair == ""}}
	for _, m := range members {
		id := itoa(m.UserID)
		v.Chair = append(v.Chair, components.Option{Value: id, Label: m.Name, Selected: chair == id})
		v.Attendees = append(v.Attendees, components.Choice{Value: id, Label: m.Name, Hint: m.OrgNames, Checked: slices.Contains(attending, id)})
	}
	return v
}

func panelDateParts(d calendar.Date) (string, string, string) {
	if d.IsZero() {
		return "", "", ""
	}
	return strconv.Itoa(d.Day), strconv.Itoa(int(d.Month)), strconv.Itoa(d.Year)
}

// panelMeetingEdit is the form that schedules a round's meeting of a panel, or changes it, with who
// chairs it and who attended. The Headteacher Placement Meeting starts on the published date.
func (s *Server) panelMeetingEdit(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	rd, ok := s.panelRoundFor(w, r)
	if !ok {
		return
	}
	p, ok := s.panelOfRound(w, r, rd)
	if !ok {
		return
	}
	members, err := s.panels.Members(ctx)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	m, scheduled, err := s.panelMeetingOf(ctx, rd.ID, p)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	var chair string
	var attending []string
	held := calendar.Date{}
	if scheduled {
		held = m.HeldOn
		if m.ChairID != 0 {
			chair = itoa(m.ChairID)
		}
		for _, a := range m.Attendees {
			attending = append(attending, itoa(a.UserID))
		}
	} else if p == panel.HeadteacherPanel {
		held = rd.Meeting
	}
	v := panelMeetingFormOf(rd, p, members, chair, attending)
	v.DateDay, v.DateMonth, v.DateYear = panelDateParts(held)
	if scheduled {
		v.Others = m.Others
		// The agenda is read for its references and schools only: no student is shown here.
		cases, err := s.panels.Agenda(ctx, rd.ID, p)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		v.Undecidable = undecidableCases(m, cases)
		v.Moving = meetingMovingWarning(m, cases)
	}
	s.render(w, r, http.StatusOK, pages.PanelMeetingForm(s.page(r, v.Heading), v))
}

// meetingMovingWarning warns, when the agenda holds cases still to decide, that their schools see the
// meeting's day: moving it means telling them.
func meetingMovingWarning(m panel.Meeting, cases []panel.Case) string {
	var schools []string
	n := 0
	for _, c := range cases {
		if c.Decided() {
			continue
		}
		n++
		if !slices.Contains(schools, c.SchoolName) {
			schools = append(schools, c.SchoolName)
		}
	}
	if n == 0 {
		return ""
	}
	return fmt.Sprintf("%s on this agenda, from %s, and the schools see the meeting’s day (%s) on the panel dates. If you move it, tell them the new day.",
		panelCount(n, "case is still to decide", "cases are still to decide"), strings.Join(schools, ", "), referral.WeekdayDate(m.HeldOn))
}
