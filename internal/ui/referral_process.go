package ui

import (
	"context"
	"net/http"

	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/directory"
	"github.com/coventry-cap/capportal/internal/pathway"
	"github.com/coventry-cap/capportal/internal/referral"
	"github.com/coventry-cap/capportal/web/components"
	"github.com/coventry-cap/capportal/web/pages"
)

// openResponse is the provider's response CAP has not processed yet, if there is one: the newest
// from the provider the referral is with.
func openResponse(list []referral.Response, providerID int64) (referral.Response, bool) {
	for _, x := range list {
		if x.ProcessedAt == nil && x.ProviderID == providerID {
			return x, true
		}
	}
	return referral.Response{}, false
}

// referralProcessShow shows CAP the provider's response in full, with the button that processes it.
func (s *Server) referralProcessShow(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	ref := referralFrom(ctx)
	list, err := s.referrals.Responses(ctx, referralActor(r), ref)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	resp, ok := openResponse(list, ref.ProviderID)
	if !ok {
		// The guard checked there is one; it was processed in the meantime.
		s.refuse(w, r, ref, referral.ErrMoved)
		return
	}
	v := pages.ProcessView{StepPage: refStepPage(ref, "Process the application response", pathway.Process),
		Response: refResponseBlock(resp), Accepted: resp.Accept, Button: "Record the decline and explore alternatives"}
	if resp.Accept {
		v.Button = "Confirm the start date to the school"
		if v.Dates, v.Problems, err = s.processDates(ctx, ref, resp); err != nil {
			s.serverError(w, r, err)
			return
		}
	}
	s.render(w, r, http.StatusOK, pages.ReferralProcess(s.stepLayout(r, v.StepPage), v))
}

// referralProcess processes the response: an acceptance confirms the start date to the school; a
// decline moves the referral to CAP exploring alternatives.
func (s *Server) referralProcess(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	ref := referralFrom(ctx)
	to, err := s.referrals.ProcessResponse(ctx, referralActor(r), ref)
	if err != nil {
		s.refuse(w, r, ref, err)
		return
	}
	if to == pathway.ExploringAlternatives {
		s.flash(ctx, "The decline was recorded: CAP is exploring alternatives with the school")
	} else {
		s.flash(ctx, "Start date confirmed to the school")
	}
	http.Redirect(w, r, ref.URL(), http.StatusSeeOther)
}

// processDates sets an acceptance's start date (with its weekday), the days chosen and the days the
// programme runs on side by side, and says what is wrong with them: a response recorded before the
// rules, or before CAP changed the term dates, may not agree with the calendar or the programme.
func (s *Server) processDates(ctx context.Context, ref referral.Referral, resp referral.Response) ([]components.SummaryRow, []string, error) {
	prog, err := s.directory.GetProgramme(ctx, ref.ProgrammeID)
	if err != nil {
		return nil, nil, err
	}
	runs := "Any weekday: the programme names no days"
	if len(prog.Days) > 0 {
		runs = directory.DaysText(prog.Days)
	}
	rows := []components.SummaryRow{
		{Key: "Start date", Value: referral.WeekdayDate(resp.StartDate)},
		{Key: "Days the student will attend", Value: directory.DaysText(resp.Days)},
		{Key: prog.Name + " runs on", Value: runs},
	}
	today := calendar.Today(s.Clock)
	var problems []string
	if resp.StartDate.Before(today) {
		problems = append(problems, "The start date, "+resp.StartDate.Format()+", has passed")
	}
	found, err := s.referrals.CheckAcceptance(ctx, today, resp.StartDate, resp.Days, prog.Name, prog.Days)
	if err != nil {
		return nil, nil, err
	}
	for _, p := range found {
		problems = append(problems, p.Message)
	}
	msg, err := s.referrals.FlourishStartProblem(ctx, ref, resp.StartDate)
	if msg != "" {
		problems = append(problems, msg)
	}
	return rows, problems, err
}
