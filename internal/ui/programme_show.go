package ui

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/directory"
	"github.com/coventry-cap/capportal/internal/panel"
	"github.com/coventry-cap/capportal/internal/referral"
	"github.com/coventry-cap/capportal/web/components"
	"github.com/coventry-cap/capportal/web/pages"
)

// programmeShow is a programme's page, current or retired: a retired programme's page stays so
// referrals to it still show what they were for.
func (s *Server) programmeShow(w http.ResponseWriter, r *http.Request) {
	p, ok := load(s, w, r, "id", s.directory.GetProgramme)
	if !ok {
		return
	}
	v := pages.ProgrammeView{
		Name: p.Name, Caption: directory.TierLabel(p.Tier), Retired: !p.Active, Rows: programmeRows(p),
		CanManage:    s.routeAllows(r, http.MethodPost, "/admin/programmes/{id}/retire"),
		EditHref:     "/admin/programmes/" + itoa(p.ID) + "/edit",
		RetireAction: "/admin/programmes/" + itoa(p.ID) + "/retire",
	}
	if p.ProviderID != 0 {
		v.ProviderName, v.ProviderHref = p.ProviderName, providerHref(p.ProviderID)
	}
	if p.RetiredAt != nil {
		v.RetiredText = "This programme was retired on " + components.FormatDate(*p.RetiredAt) +
			". It takes no new referrals and is not shown in searches; its page stays so referrals to it still show what they were for."
	}
	for _, win := range p.Windows {
		v.Windows = append(v.Windows, pages.WindowRow{Year: win.AcademicYear, Opens: win.Opens.Format(), Closes: win.Closes.Format(), Label: win.Label, Draft: win.Draft})
	}
	var err error
	if p.Kind.GoesToPanel() && p.Active {
		round, _, err := s.panels.NextRound(r.Context(), p.Kind, calendar.Today(s.Clock))
		switch {
		case err == nil:
			v.Panel = fmt.Sprintf("Referrals are decided by the panels, in rounds: the next referral deadline is %s (round %d of %s).",
				referral.WeekdayDate(round.Deadline), round.Position, round.AcademicYear)
		case errors.Is(err, panel.ErrNoRound):
			v.Panel = "Referrals are decided by the panels, in rounds: no round on the calendar takes them yet."
		default:
			s.serverError(w, r, err)
			return
		}
	}
	if v.Eligibility, err = s.programmeEligibility(r, p); err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, pages.Programme(s.page(r, p.Name), v))
}

// programmeRows are a programme's details as a summary list.
func programmeRows(p directory.Programme) []components.SummaryRow {
	orNone := func(s, none string) string {
		if strings.TrimSpace(s) == "" {
			return none
		}
		return s
	}
	provider := components.SummaryRow{Key: "Training provider", Value: "None: the student moves to another school"}
	if p.ProviderID != 0 {
		provider.ValueHTML = pages.DirectoryLink(providerHref(p.ProviderID), p.ProviderName)
	}
	duration := p.Duration
	if p.DurationWeeks != 0 && !strings.Contains(duration, strconv.Itoa(p.DurationWeeks)+" week") {
		duration += " (" + strconv.Itoa(p.DurationWeeks) + " weeks)"
	}
	fee := p.FeeText()
	if p.FeePence == nil && p.Tier == 3 {
		fee = "No fee: included in the SLA"
	}
	rows := []components.SummaryRow{
		{Key: "Type", Value: p.Kind.Label()},
		{Key: "Tier", Value: directory.TierLabel(p.Tier)},
		provider,
		{Key: "Category", Value: orNone(p.Category, "None")},
		{Key: "Description", Value: p.Description},
		{Key: "Qualifications or awards", Value: orNone(p.Qualifications, "None")},
		{Key: "Duration", Value: duration},
		{Key: "Attendance", Value: daysAWeek(p.DaysPerWeek)},
		{Key: "Days it runs on", Value: directory.DaysText(p.Days)},
		{Key: "Year groups", Value: directory.YearGroupsText(p.YearGroups)},
		{Key: "Fee", Value: fee},
	}
	if p.CapacityPerCohort != 0 {
		rows = append(rows, components.SummaryRow{Key: "Places in each cohort", Value: strconv.Itoa(p.CapacityPerCohort)})
	}
	rows = append(rows, components.SummaryRow{Key: "Goes to a panel", Value: programmePanelText(p.Kind)})
	return rows
}

// programmeRetire asks for confirmation, then retires the programme. Retiring a retired programme
// changes nothing and says so.
func (s *Server) programmeRetire(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id, ok := idParam(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	if !s.parseForm(w, r) {
		return
	}
	p, err := s.directory.GetProgramme(ctx, id)
	if s.failed(w, r, err) {
		return
	}
	back := programmeHref(id)
	if r.PostForm.Get("confirm") != "yes" && p.Active {
		v := pages.RetireView{
			Caption: p.Name, Heading: "Are you sure you want to retire this programme?",
			Paragraphs: []string{
				p.Name + " will no longer appear in the CAP Directory’s search, and schools will not be able to refer to it.",
				"Its page stays, so referrals to it still show what they were for. A retired programme cannot be brought back: if it runs again, add it as a new programme.",
			},
			Action: "/admin/programmes/" + itoa(id) + "/retire", Button: "Yes, retire programme", CancelHref: back,
		}
		s.render(w, r, http.StatusOK, pages.RetireConfirm(s.page(r, "Retire "+p.Name), v))
		return
	}
	retired, err := s.directory.RetireProgramme(ctx, dirActor(r), id)
	switch {
	case s.failed(w, r, err):
		return
	case retired:
		s.flash(ctx, p.Name+" has been retired: it no longer appears in searches")
	default:
		s.flash(ctx, p.Name+" was already retired")
	}
	http.Redirect(w, r, back, http.StatusSeeOther)
}
