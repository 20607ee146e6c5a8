package ui

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/directory"
	"github.com/coventry-cap/capportal/internal/pathway"
	"github.com/coventry-cap/capportal/internal/referral"
	"github.com/coventry-cap/capportal/web/components"
	"github.com/coventry-cap/capportal/web/pages"
)

// responseForm is the application response as typed.
type responseForm struct {
	Receipt                       bool
	CanMeetNeeds, CanManageRisk   string
	Decision                      string
	StartDay, StartMonth, StartYr string
	Days                          []string
	DeclineReason, DeclineDetail  string
	Notes                         string
}

func readResponseForm(f url.Values) responseForm {
	return responseForm{
		Receipt: f.Get("receipt") == "yes", CanMeetNeeds: f.Get("can_meet_needs"), CanManageRisk: f.Get("can_manage_risk"),
		Decision: f.Get("decision"), StartDay: f.Get("start-day"), StartMonth: f.Get("start-month"), StartYr: f.Get("start-year"),
		Days: f["days"], DeclineReason: f.Get("decline_reason"), DeclineDetail: f.Get("decline_detail"), Notes: f.Get("notes"),
	}
}

// input turns the form into what the store records; startProblem says what is wrong with the start
// date as typed, if anything.
func (rf responseForm) input() (referral.ResponseInput, string, []string) {
	yes := func(v string) *bool {
		switch v {
		case "yes":
			b := true
			return &b
		case "no":
			b := false
			return &b
		}
		return nil
	}
	in := referral.ResponseInput{ReceiptAcknowledged: rf.Receipt, CanMeetNeeds: yes(rf.CanMeetNeeds), CanManageRisk: yes(rf.CanManageRisk),
		Decision: rf.Decision, DeclineDetail: rf.DeclineDetail, Notes: rf.Notes}
	var problem string
	var parts []string
	switch rf.Decision {
	case "accept":
		in.StartDate, problem, parts = stepDate("The start date", rf.StartDay, rf.StartMonth, rf.StartYr)
		for d := time.Monday; d <= time.Friday; d++ {
			if slices.Contains(rf.Days, strconv.Itoa(int(d))) {
				in.Days = append(in.Days, d)
			}
		}
	case "decline":
		in.DeclineReason = rf.DeclineReason
	}
	return in, problem, parts
}

// view is the form as a page, its choices marked; the days offered are those the programme runs on
// (every weekday when it names none).
func (rf responseForm) view(sp pages.StepPage, prog directory.Programme) pages.RespondView {
	v := pages.RespondView{StepPage: sp, Receipt: rf.Receipt, StartDay: rf.StartDay, StartMonth: rf.StartMonth, StartYear: rf.StartYr,
		DeclineDetail: rf.DeclineDetail, Notes: rf.Notes}
	yesNoChoices := func(chosen string) []components.Choice {
		return []components.Choice{{Value: "yes", Label: "Yes", Checked: chosen == "yes"}, {Value: "no", Label: "No", Checked: chosen == "no"}}
	}
	v.CanMeetNeeds, v.CanManageRisk = yesNoChoices(rf.CanMeetNeeds), yesNoChoices(rf.CanManageRisk)
	v.Decision = []components.Choice{
		{Value: "accept", Label: "Accept the student", Hint: "Give the start date and the days they will attend", Checked: rf.Decision == "accept"},
		{Value: "decline", Label: "Decline the student", Hint: "Give the reason, so CAP and the school can find another provision", Checked: rf.Decision == "decline"},
	}
	v.DaysHint = "Select all that apply"
	if len(prog.Days) > 0 {
		v.DaysHint = prog.Name + " runs on " + directory.DaysText(prog.Days) + ". Select all the days the student will attend."
	}
	for d := time.Monday; d <= time.Friday; d++ {
		if len(prog.Days) > 0 && !slices.Contains(prog.Days, d) {
			continue
		}
		val := strconv.Itoa(int(d))
		v.Days = append(v.Days, components.Choice{Value: val, Label: d.String(), Checked: slices.Contains(rf.Days, val)})
	}
	for _, dr := range referral.DeclineReasons {
		v.DeclineReasons = append(v.DeclineReasons, components.Choice{Value: dr.Code, Label: dr.Label, Checked: rf.DeclineReason == dr.Code})
	}
	return v
}

// referralRespondShow is the provider's application response form, with the pack to hand.
func (s *Server) referralRespondShow(w http.ResponseWriter, r *http.Request) {
	ref := referralFrom(r.Context())
	v, ok := s.respondView(w, r, ref, responseForm{})
	if !ok {
		return
	}
	s.render(w, r, http.StatusOK, pages.ReferralRespond(s.stepLayout(r, v.StepPage), v))
}

func (s *Server) respondView(w http.ResponseWriter, r *http.Request, ref referral.Referral, rf responseForm) (pages.RespondView, bool) {
	prog, err := s.directory.GetProgramme(r.Context(), ref.ProgrammeID)
	if err != nil {
		s.serverError(w, r, err)
		return pages.RespondView{}, false
	}
	v := rf.view(refStepPage(ref, "Return the application response", pathway.Respond), prog)
	docs, err := s.referrals.Documents(r.Context(), ref)
	if err != nil {
		s.serverError(w, r, err)
		return v, false
	}
	v.Documents, v.PackHref = refDocumentLinks(ref, docs), ref.URL()+"/pack.pdf"
	return v, true
}

// referralRespond records the provider's response: receipt acknowledged, whether it can meet the
// needs and the risk, and an acceptance with a start date and days or a decline with a coded reason
// and an explanation. An acceptance must start on a school day (term time, not a half term or a bank
// holiday, within a year) that is one of the student's days, on days the programme runs. A form with
// problems comes back with everything typed.
func (s *Server) referralRespond(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	ref := referralFrom(ctx)
	if !s.parseForm(w, r) {
		return
	}
	rf := readResponseForm(r.PostForm)
	in, startProblem, startParts := rf.input()
	today := calendar.Today(s.Clock)
	problems := in.Validate(today, startProblem)
	if in.Decision == "accept" {
		more, err := s.acceptanceProblems(ctx, ref, today, in, problems)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		problems = append(problems, more...)
	}
	if len(problems) > 0 {
		v, ok := s.respondView(w, r, ref, rf)
		if !ok {
			return
		}
		for _, p := range problems {
			switch p.Field {
			case "start":
				v.Errors.AddAt(p.Field, "start-"+firstOr(startParts, "day"), p.Message)
				v.StartParts = startParts
			default:
				v.Errors.Add(p.Field, p.Message)
			}
		}
		s.render(w, r, http.StatusUnprocessableEntity, pages.ReferralRespond(s.stepLayout(r, v.StepPage), v))
		return
	}
	in.DeclineDetail, in.Notes = strings.TrimSpace(in.DeclineDetail), strings.TrimSpace(in.Notes)
	if err := s.referrals.Respond(ctx, referralActor(r), ref, in); err != nil {
		s.refuse(w, r, ref, err)
		return
	}
	if in.Decision == "accept" {
		s.flash(ctx, "Your acceptance was sent to CAP, with the start date "+in.StartDate.Format())
	} else {
		s.flash(ctx, "Your decline was sent to CAP, with the reason")
	}
	http.Redirect(w, r, ref.URL(), http.StatusSeeOther)
}

// acceptanceProblems checks an acceptance against the school calendar and the programme's days; the
// start date is left alone when the form has already found a problem with it.
func (s *Server) acceptanceProblems(ctx context.Context, ref referral.Referral, today calendar.Date, in referral.ResponseInput,
	found []referral.Problem) ([]referral.Problem, error) {
	prog, err := s.directory.GetProgramme(ctx, ref.ProgrammeID)
	if err != nil {
		return nil, err
	}
	start := in.StartDate
	for _, p := range found {
		if p.Field == "start" {
			start = calendar.Date{}
		}
	}
	ps, err := s.referrals.CheckAcceptance(ctx, today, start, in.Days, prog.Name, prog.Days)
	if err != nil {
		return nil, err
	}
	msg, err := s.referrals.FlourishStartProblem(ctx, ref, start)
	if msg != "" {
		ps = append(ps, referral.Problem{Field: "start", Message: msg})
	}
	return ps, err
}
