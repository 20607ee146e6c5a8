package ui

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/coventry-cap/capportal/internal/auth"
	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/db"
	"github.com/coventry-cap/capportal/internal/directory"
	"github.com/coventry-cap/capportal/internal/org"
	"github.com/coventry-cap/capportal/internal/panel"
	"github.com/coventry-cap/capportal/internal/pathway"
	"github.com/coventry-cap/capportal/internal/referral"
	"github.com/coventry-cap/capportal/web/components"
	"github.com/coventry-cap/capportal/web/pages"
)

// referralPanelRoutes registers the pages for a referral's panel steps: agenda, decisions, deferral.
func (s *Server) referralPanelRoutes(pages *Routes) {
	pages.HandleStep(http.MethodGet, "/referrals/{ref}/agenda", capAdmins, "agenda", s.referralAgendaShow)
	pages.HandleStep(http.MethodPost, "/referrals/{ref}/agenda", capAdmins, "agenda", s.referralAgenda)
	// One case page for the three panels: the action names the panel the referral waits on.
	for _, action := range []string{"decide", "map", "allocate"} {
		pages.HandleStep(http.MethodGet, "/referrals/{ref}/"+action, panelMembers, action, s.referralCaseShow)
		pages.HandleStep(http.MethodPost, "/referrals/{ref}/"+action, panelMembers, action, s.referralCaseDecide)
	}
}

// referralAgendaShow asks CAP to confirm the checked application joins the Review and Authorisation
// Panel's agenda: which round (the one it joined at submission, or the next one now when none was on
// the calendar then), when that panel meets, and why it is not an earlier round.
func (s *Server) referralAgendaShow(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	ref := referralFrom(ctx)
	v := pages.AgendaStepView{StepPage: refStepPage(ref, "Add to the panel agenda", "agenda"), Late: ref.PanelLateReason}
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

// openCase is the case the referral waits on, with whether this person may record its decision. A
// referral at a panel step without an open case (it was never added, or was just decided) is refused.
func (s *Server) openCase(w http.ResponseWriter, r *http.Request, ref referral.Referral) (referral.CaseContext, bool) {
	cc, err := s.referrals.OpenCase(r.Context(), referralActor(r), ref)
	if errors.Is(err, db.ErrNotFound) {
		s.refuse(w, r, ref, &pathway.Refusal{Reason: "This referral is not on a panel’s agenda.",
			Do: "Open the referral to see where it is now."})
		return cc, false
	}
	if err != nil {
		s.serverError(w, r, err)
		return cc, false
	}
	return cc, true
}

// caseForm is the chair's decision as typed.
type caseForm struct {
	Do                              string
	CaseID                          string
	Minutes, Rationale, Conditions  string
	Decision                        string
	Priority                        string
	School                          string
	StartDay, StartMonth, StartYear string
	startParts                      []string
}

func readCaseForm(f url.Values) caseForm {
	return caseForm{Do: f.Get("do"), CaseID: f.Get("case_id"), Minutes: f.Get("minutes"), Rationale: f.Get("rationale"),
		Conditions: f.Get("conditions"), Decision: f.Get("decision"), Priority: f.Get("priority"), School: f.Get("receiving_school"),
		StartDay: f.Get("transfer_start-day"), StartMonth: f.Get("transfer_start-month"), StartYear: f.Get("transfer_start-year")}
}

// referralCaseShow is the case page for the panel the referral waits on.
func (s *Server) referralCaseShow(w http.ResponseWriter, r *http.Request) {
	ref := referralFrom(r.Context())
	cc, ok := s.openCase(w, r, ref)
	if !ok {
		return
	}
	f := caseForm{CaseID: itoa(cc.Case.ID), Minutes: cc.Case.Minutes, Priority: "0"}
	v, ok := s.caseView(w, r, ref, cc, f)
	if !ok {
		return
	}
	s.render(w, r, http.StatusOK, pages.ReferralPanelCase(s.stepLayout(r, v.StepPage), v))
}

// caseView builds the case page: the meeting and who cannot take part, the referral, the panel's
// checklist with the school's answers, earlier decisions, and the form (or why there is none).
func (s *Server) caseView(w http.ResponseWriter, r *http.Request, ref referral.Referral, cc referral.CaseContext, f caseForm) (pages.PanelCaseView, bool) {
	ctx := r.Context()
	c := cc.Case
	action := referral.CaseAction(c.Panel)
	heading := "Record the panel’s decision"
	if act, ok := ref.Pathway().Action(action); ok {
		heading = act.Label
	}
	name := panel.PanelName(c.Panel)
	sp := refStepPage(ref, heading, action)
	sp.Reference = name + ": " + ref.Reference
	sp.Summary = []components.SummaryRow{
		{Key: "Reference", Value: ref.Reference},
		{Key: "Student", Value: ref.StudentName},
		{Key: "Year group", Value: "Year " + strconv.Itoa(ref.YearGroup)},
		{Key: "School", Value: ref.SchoolName},
		{Key: "Programme", Value: ref.Programme},
		{Key: "Tier", Value: directory.TierLabel(ref.Tier)},
	}
	v := pages.PanelCaseView{StepPage: sp, PanelName: name, SchoolName: ref.SchoolName,
		ReferralHref: ref.URL(), PackHref: ref.URL() + "/pack.pdf"}

	v.Meeting = []components.SummaryRow{
		{Key: "Panel", Value: name},
		{Key: "Round", Value: fmt.Sprintf("Round %d of %s (referral deadline %s)", cc.Round.Position, cc.Round.AcademicYear, cc.Round.Deadline.Format())},
	}
	if m := cc.Meeting; m.ID != 0 {
		chair := m.ChairName
		if chair == "" {
			chair = "No chair recorded: any member who attended records the decisions"
		}
		attended := "No attendance recorded yet"
		if len(m.Attendees) > 0 {
			names := make([]string, 0, len(m.Attendees))
			for _, a := range m.Attendees {
				names = append(names, a.Name+" ("+a.OrgNames+")")
				if a.From(ref.SchoolID) {
					v.Excluded = append(v.Excluded, a.Name)
				}
			}
			attended = strings.Join(names, "\n")
		}
		v.Meeting = append(v.Meeting,
			components.SummaryRow{Key: "Meeting day", Value: m.HeldOn.Weekday().String() + " " + m.HeldOn.Format()},
			components.SummaryRow{Key: "Chair", Value: chair},
			refMultiLineRow("Attended", attended))
		if m.Others != "" {
			v.Meeting = append(v.Meeting, refMultiLineRow("Also present", m.Others))
		}
	} else {
		v.Meeting = append(v.Meeting, components.SummaryRow{Key: "Meeting day", Value: "Not scheduled yet"})
	}

	// The panel's questions are the programme's referral considerations, answered in the application.
	if sec, ok := referral.SectionByID(ref.Kind, referral.SectionConsiderations); ok {
		for _, q := range sec.Fields {
			answer := strings.TrimSpace(ref.Answers[q.Name])
			v.Checklist = append(v.Checklist, pages.ChecklistRow{Question: q.Label, Answer: answer, Answered: answer != ""})
			if answer == "" {
				v.Unanswered++
			}
		}
	}

	cases, err := s.panels.CasesOf(ctx, ref.ID)
	if err != nil {
		s.serverError(w, r, err)
		return v, false
	}
	for _, pc := range cases {
		if !pc.Decided() {
			continue
		}
		p := pages.PreviousDecision{Heading: panel.PanelName(pc.Panel)}
		if pc.DecidedAt != nil {
			p.Heading += ", " + components.FormatDate(*pc.DecidedAt)
		}
		p.Rows = []components.SummaryRow{{Key: "Decision", Value: panel.DecisionLabel(pc.Decision)}}
		if pc.Rationale != "" {
			p.Rows = append(p.Rows, refMultiLineRow("Rationale", pc.Rationale))
		}
		if pc.Conditions != "" {
			p.Rows = append(p.Rows, refMultiLineRow("Conditions", pc.Conditions))
		}
		if pc.ReceivingSchoolName != "" {
			p.Rows = append(p.Rows, components.SummaryRow{Key: "Receiving school", Value: pc.ReceivingSchoolName})
		}
		if pc.DecidedByName != "" {
			p.Rows = append(p.Rows, components.SummaryRow{Key: "Recorded by", Value: pc.DecidedByName})
		}
		v.Previous = append(v.Previous, p)
	}

	if cc.Refusal != nil {
		v.Refusal, v.RefusalDo = cc.Refusal.Reason, cc.Refusal.Do
		return v, true
	}
	v.CaseID, v.Minutes, v.Rationale, v.Conditions = f.CaseID, f.Minutes, f.Rationale, f.Conditions
	v.DecideButton = "Record the decision"
	v.RationaleHint = "Why the panel decided this. The school reads it in the outcome letter. Not needed for a deferral."
	next := "The case goes on this panel’s agenda in the next round."
	switch after, err := s.panels.RoundAfter(ctx, cc.Round, ref.Kind); {
	case err == nil:
		next = fmt.Sprintf("The case goes on this panel’s agenda in round %d (deadline %s).", after.Position, after.Deadline.Format())
	case errors.Is(err, panel.ErrNoRound):
		next = "No later round is on the calendar yet, so the case cannot be deferred until one is published."
	default:
		s.serverError(w, r, err)
		return v, false
	}
	v.Decisions = []components.Choice{
		{Value: panel.Approved, Label: panel.DecisionLabel(panel.Approved), Hint: approvedHint(ref, c.Panel), Checked: f.Decision == panel.Approved},
		{Value: panel.NotApproved, Label: panel.DecisionLabel(panel.NotApproved), Hint: "CAP explores alternatives with the school.",
			Checked: f.Decision == panel.NotApproved},
		{Value: panel.Deferred, Label: panel.DecisionLabel(panel.Deferred), Hint: next, Checked: f.Decision == panel.Deferred},
	}
	if c.Panel == panel.MultiAgencyPanel {
		v.ShowPriority = true
		v.Priorities = []components.Choice{
			{Value: "0", Label: "Normal", Checked: f.Priority != "1"},
			{Value: "1", Label: "High", Checked: f.Priority == "1"},
		}
	}
	if c.Panel == panel.HeadteacherPanel {
		v.ShowTransfer = true
		v.StartDay, v.StartMonth, v.StartYear, v.StartParts = f.StartDay, f.StartMonth, f.StartYear, f.startParts
		schools, err := s.otherSchools(ctx, ref)
		if err != nil {
			s.serverError(w, r, err)
			return v, false
		}
		v.Schools = []components.Option{{Value: "", Label: "Choose a school", Selected: f.School == ""}}
		for _, sc := range schools {
			id := itoa(sc.ID)
			v.Schools = append(v.Schools, components.Option{Value: id, Label: sc.Name, Selected: f.School == id})
		}
	}
	return v, true
}

// approvedHint says where an approval takes the case.
func approvedHint(ref referral.Referral, panelKind string) string {
	switch panelKind {
	case panel.MultiAgencyPanel:
		return "The outcome is shared with the school and Coventry AP Academy, and the student is given a cohort place (or a place on its waiting list)."
	case panel.HeadteacherPanel:
		return "The student starts a 12-week transfer placement at the receiving school."
	}
	switch ref.Kind {
	case panel.SupportedTransfer:
		return "The case goes to the Supported Transfer Headteacher Placement Meeting."
	case panel.Refocus, panel.Focus11:
		return "The case goes to the Multi-Agency Panel."
	}
	return "The outcome is shared with the school and the pack goes to the provider."
}

// otherSchools are the active schools a student can transfer to: every one but the referring school.
func (s *Server) otherSchools(ctx context.Context, ref referral.Referral) ([]org.Organisation, error) {
	orgs, err := s.orgs.List(ctx)
	if err != nil {
		return nil, err
	}
	var out []org.Organisation
	for _, o := range orgs {
		if o.Kind == auth.School && o.ID != ref.SchoolID {
			out = append(out, o)
		}
	}
	return out, nil
}

// referralCaseDecide records the chair's decision (or, with "Save minutes", only the minutes). A form
// with problems comes back with everything typed; a refusal (the meeting is still to come, a conflict
// of interest, not at the meeting, not the chair) says why and changes nothing.
func (s *Server) referralCaseDecide(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	ref := referralFrom(ctx)
	if !s.parseForm(w, r) {
		return
	}
	f := readCaseForm(r.PostForm)
	cc, ok := s.openCase(w, r, ref)
	if !ok {
		return
	}
	// A form for a case decided since (and perhaps carried to another round) changes nothing.
	if f.CaseID != itoa(cc.Case.ID) {
		s.refuse(w, r, ref, referral.ErrMoved)
		return
	}
	if cc.Refusal != nil {
		s.refuse(w, r, ref, cc.Refusal)
		return
	}
	var errs components.Errors
	tooLong := func(field, label, value string) {
		if utf8.RuneCountInString(strings.TrimSpace(value)) > referral.MaxAnswer {
			errs.Add(field, label+" must be 10000 characters or fewer")
		}
	}
	if f.Do == "minutes" {
		tooLong("minutes", "The minutes", f.Minutes)
		if errs.Any() {
			s.renderCase(w, r, ref, cc, f, errs)
			return
		}
		err := s.panels.SaveMinutes(ctx, s.Clock.Now(), panelActorOf(r), cc.Case.ID, f.Minutes)
		if errors.Is(err, db.ErrNotFound) {
			err = referral.ErrMoved
		}
		if err != nil {
			s.refuse(w, r, ref, err)
			return
		}
		// The page comes back as it was rather than by a redirect, so a rationale or a choice typed
		// before the chair saved the minutes is not lost; saving the same minutes twice is harmless.
		cc.Case.Minutes = strings.TrimSpace(f.Minutes)
		v, ok := s.caseView(w, r, ref, cc, f)
		if !ok {
			return
		}
		lp := s.stepLayout(r, v.StepPage)
		lp.Flash, lp.FlashError = "The minutes were saved", false
		s.render(w, r, http.StatusOK, pages.ReferralPanelCase(lp, v))
		return
	}

	in := referral.DecideInput{CaseID: cc.Case.ID, Decision: f.Decision, Minutes: f.Minutes, Rationale: f.Rationale, Conditions: f.Conditions}
	switch f.Decision {
	case panel.Approved, panel.NotApproved:
	case panel.Deferred:
		// Refused here rather than by the move, so what the chair typed stays on the page.
		if _, err := s.panels.RoundAfter(ctx, cc.Round, ref.Kind); errors.Is(err, panel.ErrNoRound) {
			errs.Add("decision", "No later round is on the calendar to defer to: record approved or not approved, or ask CAP to publish the next panel calendar first")
		} else if err != nil {
			s.serverError(w, r, err)
			return
		}
	default:
		errs.Add("decision", "Select the panel’s decision")
	}
	tooLong("minutes", "The minutes", f.Minutes)
	if strings.TrimSpace(f.Rationale) == "" && (f.Decision == panel.Approved || f.Decision == panel.NotApproved) {
		errs.Add("rationale", "Enter the rationale for the decision")
	}
	tooLong("rationale", "The rationale", f.Rationale)
	tooLong("conditions", "The conditions", f.Conditions)
	if cc.Case.Panel == panel.MultiAgencyPanel && f.Decision == panel.Approved {
		switch f.Priority {
		case "", "0":
		case "1":
			in.Priority = 1
		default:
			errs.Add("priority", "Select normal or high priority")
		}
	}
	if cc.Case.Panel == panel.HeadteacherPanel && f.Decision == panel.Approved {
		var err error
		if in.ReceivingSchoolID, in.TransferStart, err = s.transferProblems(ctx, ref, &f, &errs); err != nil {
			s.serverError(w, r, err)
			return
		}
	}
	if errs.Any() {
		s.renderCase(w, r, ref, cc, f, errs)
		return
	}
	if f.Decision == panel.Deferred && strings.TrimSpace(in.Rationale) == "" {
		// Every decision carries a rationale for the outcome letter; a deferral's can go without saying.
		in.Rationale = "The " + panel.PanelName(cc.Case.Panel) + " deferred the case to its next round."
	}
	to, err := s.referrals.Decide(ctx, referralActor(r), ref, in)
	if err != nil {
		s.refuse(w, r, ref, err)
		return
	}
	msg, err := s.decisionFlash(ctx, ref, in, to)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.flash(ctx, msg)
	http.Redirect(w, r, "/panels/rounds/"+itoa(cc.Case.RoundID)+"/"+cc.Case.Panel, http.StatusSeeOther)
}

// transferProblems checks the receiving school and the first day of an allocated transfer.
func (s *Server) transferProblems(ctx context.Context, ref referral.Referral, f *caseForm, errs *components.Errors) (int64, calendar.Date, error) {
	var schoolID int64
	switch f.School {
	case "":
		errs.Add("receiving_school", "Select the receiving school")
	case itoa(ref.SchoolID):
		errs.Add("receiving_school", "Select a school other than "+ref.SchoolName+", the referring school")
	default:
		schools, err := s.otherSchools(ctx, ref)
		if err != nil {
			return 0, calendar.Date{}, err
		}
		for _, sc := range schools {
			if itoa(sc.ID) == f.School {
				schoolID = sc.ID
			}
		}
		if schoolID == 0 {
			errs.Add("receiving_school", "Select a school from the list")
		}
	}
	label := "The first day at the receiving school"
	start, problem, parts := stepDate(label, f.StartDay, f.StartMonth, f.StartYear)
	today := calendar.Today(s.Clock)
	switch {
	case problem != "":
	case start.IsZero():
		problem = "Enter the first day at the receiving school"
	case start.Weekday() == time.Saturday || start.Weekday() == time.Sunday:
		problem = label + " must be a weekday"
	case !refWorkingDays.IsWorkingDay(start):
		problem = label + " must not be a bank holiday"
	case start.Before(today):
		problem = label + " must be today or in the future"
	}
	if problem != "" {
		errs.AddAt("transfer_start", "transfer_start-"+firstOr(parts, "day"), problem)
		f.startParts = parts
	}
	return schoolID, start, nil
}

// renderCase shows the case page again with the form's problems and everything typed.
func (s *Server) renderCase(w http.ResponseWriter, r *http.Request, ref referral.Referral, cc referral.CaseContext, f caseForm, errs components.Errors) {
	v, ok := s.caseView(w, r, ref, cc, f)
	if !ok {
		return
	}
	v.Errors = errs
	s.render(w, r, http.StatusUnprocessableEntity, pages.ReferralPanelCase(s.stepLayout(r, v.StepPage), v))
}

// decisionFlash says what the decision did.
func (s *Server) decisionFlash(ctx context.Context, ref referral.Referral, in referral.DecideInput, to pathway.Step) (string, error) {
	switch in.Decision {
	case panel.NotApproved:
		return "Not approved: CAP will explore alternatives with the school", nil
	case panel.Deferred:
		c, err := s.panels.OpenCase(ctx, ref.ID)
		if err != nil {
			return "", err
		}
		round, err := s.panels.GetRound(ctx, c.RoundID)
		if err != nil {
			return "", err
		}
		return fmt.Sprintf("Deferred to round %d: the case is on the %s agenda of that round (deadline %s)",
			round.Position, panel.PanelName(c.Panel), round.Deadline.Format()), nil
	}
	switch to {
	case pathway.MultiAgencyPanel:
		return "Approved: the case goes to the Multi-Agency Panel", nil
	case pathway.HeadteacherPanel:
		return "Approved: the case goes to the Supported Transfer Headteacher Placement Meeting", nil
	case pathway.TransferPlacement:
		t, err := s.referrals.TransferOf(ctx, ref.ID)
		if err != nil {
			return "", err
		}
		return fmt.Sprintf("Approved: the student transfers to %s from %s %s", t.ReceivingSchoolName, t.Starts.Weekday(), t.Starts.Format()), nil
	case pathway.OutcomeShared:
		if ref.Step != pathway.MultiAgencyPanel {
			return "Approved: CAP shares the outcome with the school and sends the pack to the provider", nil
		}
		msg := "Approved: the outcome goes to the school and Coventry AP Academy starts onboarding"
		place, err := s.panels.PlaceOf(ctx, ref.ID)
		if errors.Is(err, db.ErrNotFound) {
			return msg, nil
		}
		if err != nil {
			return "", err
		}
		start, err := s.panels.GetStart(ctx, place.StartID)
		if err != nil {
			return "", err
		}
		if place.Status == panel.Placed {
			return msg + ", with a place in " + start.Title(), nil
		}
		return msg + ": " + start.Title() + " is full, so the student is on its waiting list", nil
	}
	return "The decision was recorded", nil
}
