package ui

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/go-chi/chi/v5"

	"github.com/coventry-cap/capportal/internal/auth"
	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/db"
	"github.com/coventry-cap/capportal/internal/directory"
	"github.com/coventry-cap/capportal/internal/panel"
	"github.com/coventry-cap/capportal/internal/pathway"
	"github.com/coventry-cap/capportal/internal/referral"
	"github.com/coventry-cap/capportal/web/components"
	"github.com/coventry-cap/capportal/web/pages"
)

// cohortViewers may open a cohort's page: CAP's staff and the panel members, and provider staff, of
// whom the handler then admits only the staff of the provider that runs the cohort's programme
// (Coventry AP Academy for Refocus).
var cohortViewers = auth.AnyOf(auth.CAPAdmin, auth.MonitoringOfficer, auth.CAPDSL, auth.ServiceLead, auth.PanelMember, auth.ProviderStaff)

// panelAgendaRoutes registers the pages for panel rounds, meetings, agendas and cohorts.
func (s *Server) panelAgendaRoutes(pages *Routes) {
	pages.Handle(http.MethodGet, "/panels/rounds/{id}", panelViewers, s.panelRoundShow)
	pages.Handle(http.MethodGet, "/panels/rounds/{id}/{panel}", panelViewers, s.panelAgendaShow)
	pages.Handle(http.MethodGet, "/panels/rounds/{id}/{panel}/meeting", capAdmins, s.panelMeetingEdit)
	pages.Handle(http.MethodPost, "/panels/rounds/{id}/{panel}/meeting", capAdmins, s.panelMeetingSave)
	pages.Handle(http.MethodPost, "/panels/cases/{id}/move", capAdmins, s.panelCaseMove)
	pages.HandleStep(http.MethodGet, "/referrals/{ref}/defer", capAdmins, "defer", s.referralDeferShow)
	pages.HandleStep(http.MethodPost, "/referrals/{ref}/defer", capAdmins, "defer", s.referralDefer)
	pages.Handle(http.MethodGet, "/panels/cohorts/{id}", cohortViewers, s.panelCohortShow)
	pages.Handle(http.MethodPost, "/panels/cohorts/{id}/offer", capAdmins, s.panelCohortOffer)
}

// panelsOfRound are the panels a round holds: the Review and Authorisation Panel always, the
// Multi-Agency Panel for Refocus and Focus 11, the Headteacher Placement Meeting for Supported Transfer.
func panelsOfRound(rd panel.Round) []string {
	out := []string{panel.ReviewPanel}
	if rd.Covers(panel.Refocus) || rd.Covers(panel.Focus11) {
		out = append(out, panel.MultiAgencyPanel)
	}
	if rd.Covers(panel.SupportedTransfer) {
		out = append(out, panel.HeadteacherPanel)
	}
	return out
}

func panelRoundHref(id int64) string { return "/panels/rounds/" + itoa(id) }

func panelAgendaHref(roundID int64, p string) string { return panelRoundHref(roundID) + "/" + p }

func panelMeetingHref(roundID int64, p string) string {
	return panelAgendaHref(roundID, p) + "/meeting"
}

func panelCohortHref(id int64) string { return "/panels/cohorts/" + itoa(id) }

// panelRoundCaption names a round for the caption of its pages: "Round 4 of 2026/27".
func panelRoundCaption(rd panel.Round) string {
	return fmt.Sprintf("Round %d of %s", rd.Position, rd.AcademicYear)
}

func panelActorOf(r *http.Request) panel.Actor { return panel.Actor(actor(r)) }

// panelRoundFor loads the {id} round; a draft is shown to CAP admins only, as on the calendar.
func (s *Server) panelRoundFor(w http.ResponseWriter, r *http.Request) (panel.Round, bool) {
	rd, ok := s.panelRoundLoad(w, r)
	if !ok {
		return rd, false
	}
	if rd.Draft && !auth.FromContext(r.Context()).Has(auth.CAPAdmin) {
		s.notFound(w, r)
		return rd, false
	}
	return rd, true
}

// panelOfRound reads the {panel} of the address: one the round holds, or a 404.
func (s *Server) panelOfRound(w http.ResponseWriter, r *http.Request, rd panel.Round) (string, bool) {
	p := chi.URLParam(r, "panel")
	if !slices.Contains(panelsOfRound(rd), p) {
		s.notFound(w, r)
		return "", false
	}
	return p, true
}

// panelMeetingOf is the round's meeting of the panel, and whether it is scheduled.
func (s *Server) panelMeetingOf(ctx context.Context, roundID int64, p string) (panel.Meeting, bool, error) {
	m, err := s.panels.GetMeeting(ctx, roundID, p)
	if errors.Is(err, db.ErrNotFound) {
		return m, false, nil
	}
	return m, err == nil, err
}

// meetingOthersCount counts the other attendees, one a line.
func meetingOthersCount(others string) int {
	n := 0
	for _, l := range strings.Split(others, "\n") {
		if strings.TrimSpace(l) != "" {
			n++
		}
	}
	return n
}

// meetingAttending says how many attended: "3 panel members and 1 other attendee".
func meetingAttending(m panel.Meeting) string {
	t := panelCount(len(m.Attendees), "panel member", "panel members")
	if n := meetingOthersCount(m.Others); n > 0 {
		t += " and " + panelCount(n, "other attendee", "other attendees")
	}
	return t
}

func panelCount(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

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
	}
	s.render(w, r, http.StatusOK, pages.PanelMeetingForm(s.page(r, v.Heading), v))
}

// panelMeetingSave saves the meeting, or shows the form again with what was typed and what to fix:
// the date is required, real and not before the referral deadline; the chair attended.
func (s *Server) panelMeetingSave(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	rd, ok := s.panelRoundFor(w, r)
	if !ok {
		return
	}
	p, ok := s.panelOfRound(w, r, rd)
	if !ok {
		return
	}
	if !s.parseForm(w, r) {
		return
	}
	members, err := s.panels.Members(ctx)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	f := r.PostForm
	chair := strings.TrimSpace(f.Get("chair"))
	attending := f["attendees"]
	v := panelMeetingFormOf(rd, p, members, chair, attending)
	v.DateDay, v.DateMonth, v.DateYear, v.Others = f.Get("date-day"), f.Get("date-month"), f.Get("date-year"), f.Get("others")

	held, msg, parts := stepDate("The date of the meeting", v.DateDay, v.DateMonth, v.DateYear)
	switch {
	case msg != "":
		v.Errors.AddAt("date", "date-"+firstOr(parts, "day"), msg)
		v.DateParts = parts
	case held.IsZero():
		v.Errors.AddAt("date", "date-day", "Enter the date of the meeting")
	case held.Before(rd.Deadline):
		v.Errors.AddAt("date", "date-day", "The meeting must be on or after the referral deadline, "+referral.WeekdayDate(rd.Deadline))
	}
	known := map[string]int64{}
	for _, m := range members {
		known[itoa(m.UserID)] = m.UserID
	}
	var chairID int64
	if chair != "" {
		if chairID = known[chair]; chairID == 0 {
			v.Errors.Add("chair", "Choose the chair from the list of panel members")
		} else if !slices.Contains(attending, chair) {
			v.Errors.Add("chair", "The chair must be ticked as attending the meeting")
		}
	}
	var ids []int64
	for _, a := range attending {
		id, found := known[a]
		if !found {
			v.Errors.Add("attendees", "Choose who attended from the list of panel members")
			break
		}
		if !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	if utf8.RuneCountInString(v.Others) > referral.MaxAnswer {
		v.Errors.Add("others", "Other attendees must be 10000 characters or fewer")
	}
	if !v.Errors.Any() {
		_, err := s.panels.SaveMeeting(ctx, s.Clock.Now(), panelActorOf(r), rd.ID, p,
			panel.MeetingInput{HeldOn: held, ChairID: chairID, Attendees: ids, Others: v.Others})
		switch {
		case errors.Is(err, panel.ErrMeetingDecided):
			v.Errors.AddAt("date", "date-day", "The panel has recorded decisions at this meeting, so its day and attendance can no longer change")
		case errors.Is(err, panel.ErrMeetingDay):
			v.Errors.AddAt("date", "date-day", "The meeting must be on a working day (not a weekend or bank holiday) in the round’s academic year")
		case errors.Is(err, panel.ErrMeetingBeforeRoundDeadline):
			// The deadline was moved while the form was open.
			if rd, err = s.panels.GetRound(ctx, rd.ID); err != nil {
				s.serverError(w, r, err)
				return
			}
			v.Errors.AddAt("date", "date-day", "The meeting must be on or after the referral deadline, "+referral.WeekdayDate(rd.Deadline))
		case errors.Is(err, db.ErrNotFound):
			s.notFound(w, r)
			return
		case err != nil:
			s.serverError(w, r, err)
			return
		default:
			s.flash(ctx, fmt.Sprintf("%s of round %d saved: %s, %s", panel.PanelName(p), rd.Position, referral.WeekdayDate(held),
				panelCount(len(ids), "panel member attending", "panel members attending")))
			http.Redirect(w, r, panelRoundHref(rd.ID), http.StatusSeeOther)
			return
		}
	}
	lp := s.page(r, v.Heading)
	lp.HasErrors = true
	s.render(w, r, http.StatusUnprocessableEntity, pages.PanelMeetingForm(lp, v))
}

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
	cases, err := s.panels.Agenda(ctx, rd.ID, p)
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
				row.Href = refURL + "/" + referral.CaseAction(p)
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

// panelCaseMove moves a case still to decide one place up or down its agenda.
func (s *Server) panelCaseMove(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id, ok := idParam(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	if !s.parseForm(w, r) {
		return
	}
	c, err := s.panels.GetCase(ctx, id)
	if errors.Is(err, db.ErrNotFound) {
		s.notFound(w, r)
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	back := panelAgendaHref(c.RoundID, c.Panel)
	dir := r.PostForm.Get("direction")
	if dir != "up" && dir != "down" {
		s.renderError(w, r, http.StatusBadRequest, "The form could not be read", "Go back to the agenda, reload the page and try again.")
		return
	}
	if c.Decided() {
		s.flashError(ctx, c.Reference+" has been decided, so it keeps its place on the agenda")
		http.Redirect(w, r, back, http.StatusSeeOther)
		return
	}
	err = s.panels.MoveCase(ctx, s.Clock.Now(), panelActorOf(r), c.ID, dir == "up")
	switch {
	case errors.Is(err, panel.ErrCannotMove):
		where := "last"
		if dir == "up" {
			where = "first"
		}
		s.flashError(ctx, c.Reference+" is already "+where+" on the agenda, so it cannot move "+dir)
	case errors.Is(err, db.ErrNotFound):
		s.notFound(w, r)
		return
	case err != nil:
		s.serverError(w, r, err)
		return
	default:
		s.flash(ctx, c.Reference+" moved "+dir+" the agenda")
	}
	http.Redirect(w, r, back, http.StatusSeeOther)
}

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
	v := pages.DeferView{StepPage: refStepPage(ref, "Defer to the next round", "defer"), CaseID: itoa(c.ID),
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

// panelCohortLoad loads the {id} cohort for the person: a start with places (a Flourish start date has
// none), not a draft unless they are a CAP admin; provider staff only for a programme their provider
// runs. ok is false when the response has been written.
func (s *Server) panelCohortLoad(w http.ResponseWriter, r *http.Request) (panel.Start, bool) {
	ctx := r.Context()
	p := auth.FromContext(ctx)
	id, ok := idParam(r, "id")
	if !ok {
		s.notFound(w, r)
		return panel.Start{}, false
	}
	c, err := s.panels.GetStart(ctx, id)
	if errors.Is(err, db.ErrNotFound) || (err == nil && (c.Capacity == 0 || (c.Draft && !p.Has(auth.CAPAdmin)))) {
		s.notFound(w, r)
		return c, false
	}
	if err != nil {
		s.serverError(w, r, err)
		return c, false
	}
	if !panelViewers.Allows(p) {
		runs, err := s.directory.ProviderRunsKind(ctx, p.OrgIDsWith(auth.ProviderStaff), directory.Kind(c.Kind))
		if err != nil {
			s.serverError(w, r, err)
			return c, false
		}
		if !runs {
			s.renderError(w, r, http.StatusForbidden, "You do not have access to this page",
				"Only the provider that runs "+panel.KindName(c.Kind)+", CAP and the panel members see its cohorts.")
			return c, false
		}
	}
	return c, true
}

// panelCohortView prepares the cohort's page.
func (s *Server) panelCohortView(ctx context.Context, p *auth.Principal, c panel.Start) (pages.PanelCohortView, error) {
	v := pages.PanelCohortView{Caption: c.AcademicYear, Heading: c.Title(), OfferAction: panelCohortHref(c.ID) + "/offer"}
	if panelCalendarViewers.Allows(p) {
		v.Back = "/panels"
	}
	occ, err := s.panels.OccupancyOf(ctx, c.ID)
	if err != nil {
		return v, err
	}
	places, err := s.panels.CohortPlaces(ctx, c.ID)
	if err != nil {
		return v, err
	}
	waiting, err := s.panels.WaitingList(ctx, c.ID)
	if err != nil {
		return v, err
	}
	dates := stated(c.StartsWeekday, c.Starts)
	if !c.Ends.IsZero() {
		dates += " to " + stated(c.EndsWeekday, c.Ends)
	}
	if c.Note != "" {
		dates += " (" + c.Note + ")"
	}
	v.Summary = []components.SummaryRow{
		{Key: "Dates", Value: dates},
		{Key: "Places", Value: strconv.Itoa(occ.Capacity)},
		{Key: "Placed", Value: strconv.Itoa(occ.Placed)},
		{Key: "Free places", Value: strconv.Itoa(occ.Free())},
		{Key: "Waiting list", Value: strconv.Itoa(occ.Waiting)},
	}
	byID := map[int64]panel.CohortPlace{}
	for _, pl := range places {
		byID[pl.ID] = pl
		if pl.Status == panel.Placed {
			v.Placed = append(v.Placed, panelCohortRowOf(len(v.Placed)+1, pl))
		}
	}
	for _, w := range waiting {
		if pl, ok := byID[w.ID]; ok {
			v.Waiting = append(v.Waiting, panelCohortRowOf(len(v.Waiting)+1, pl))
		}
	}
	if p.Has(auth.CAPAdmin) && len(v.Waiting) > 0 {
		later, err := s.panels.LaterCohorts(ctx, c)
		if err != nil {
			return v, err
		}
		v.CanOffer = len(later) > 0
		v.OfferOptions = []components.Option{{Value: "", Label: "Choose a cohort"}}
		for _, st := range later {
			v.OfferOptions = append(v.OfferOptions, components.Option{Value: itoa(st.ID),
				Label: st.Title() + " (" + st.AcademicYear + "), from " + referral.WeekdayDate(st.Starts)})
		}
	}
	return v, nil
}

func panelCohortRowOf(n int, p panel.CohortPlace) pages.PanelCohortRow {
	return pages.PanelCohortRow{Number: strconv.Itoa(n), Reference: p.Reference, Href: "/referrals/" + p.Reference,
		Student: p.StudentName, School: p.SchoolName}
}

// panelCohortShow is a cohort: its dates and places, who is placed, and the waiting list in the order
// places are offered; CAP admins offer the waiting list places in a later cohort.
func (s *Server) panelCohortShow(w http.ResponseWriter, r *http.Request) {
	c, ok := s.panelCohortLoad(w, r)
	if !ok {
		return
	}
	v, err := s.panelCohortView(r.Context(), auth.FromContext(r.Context()), c)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, pages.PanelCohort(s.page(r, v.Heading), v))
}

// panelCohortOffer offers the cohort's waiting list, in order, places in a later cohort.
func (s *Server) panelCohortOffer(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	c, ok := s.panelCohortLoad(w, r)
	if !ok {
		return
	}
	if !s.parseForm(w, r) {
		return
	}
	later, err := s.panels.LaterCohorts(ctx, c)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	to := r.PostForm.Get("to")
	i := slices.IndexFunc(later, func(st panel.Start) bool { return itoa(st.ID) == to })
	if i < 0 {
		v, err := s.panelCohortView(ctx, auth.FromContext(ctx), c)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		v.Errors.Add("to", "Choose the cohort to offer the places in")
		lp := s.page(r, v.Heading)
		lp.HasErrors = true
		s.render(w, r, http.StatusUnprocessableEntity, pages.PanelCohort(lp, v))
		return
	}
	target := later[i]
	offer, err := s.panels.OfferNext(ctx, s.Clock.Now(), panelActorOf(r), c.ID, target.ID)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.flash(ctx, fmt.Sprintf("%d placed in %s, %d still waiting", offer.Placed, target.Title(), offer.Waiting))
	http.Redirect(w, r, panelCohortHref(c.ID), http.StatusSeeOther)
}
