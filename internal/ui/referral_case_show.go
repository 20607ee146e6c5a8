package ui

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/coventry-cap/capportal/internal/auth"
	"github.com/coventry-cap/capportal/internal/db"
	"github.com/coventry-cap/capportal/internal/directory"
	"github.com/coventry-cap/capportal/internal/org"
	"github.com/coventry-cap/capportal/internal/panel"
	"github.com/coventry-cap/capportal/internal/pathway"
	"github.com/coventry-cap/capportal/internal/referral"
	"github.com/coventry-cap/capportal/web/components"
	"github.com/coventry-cap/capportal/web/pages"
)

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

	// The panel's questions are the programme's referral considerations, answered in the application:
	// in the considerations, or in an earlier section that already asked it.
	for _, q := range referral.PanelQuestions(ref.Kind) {
		answer := strings.TrimSpace(ref.Answers[q.Answer])
		if f, ok := referral.FieldByName(ref.Kind, q.Answer); ok && answer != "" && f.Type != referral.TextArea {
			answer = f.Display(answer)
		}
		v.Checklist = append(v.Checklist, pages.ChecklistRow{Question: q.Text, Answer: answer, Answered: answer != "", Elsewhere: q.Elsewhere})
		if answer == "" {
			v.Unanswered++
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
	case directory.SupportedTransfer:
		return "The case goes to the Supported Transfer Headteacher Placement Meeting."
	case directory.Refocus, directory.Focus11:
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

// renderCase shows the case page again with the form's problems and everything typed.
func (s *Server) renderCase(w http.ResponseWriter, r *http.Request, ref referral.Referral, cc referral.CaseContext, f caseForm, errs components.Errors) {
	v, ok := s.caseView(w, r, ref, cc, f)
	if !ok {
		return
	}
	v.Errors = errs
	s.render(w, r, http.StatusUnprocessableEntity, pages.ReferralPanelCase(s.stepLayout(r, v.StepPage), v))
}
