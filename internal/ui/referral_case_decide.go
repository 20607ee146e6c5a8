package ui

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/db"
	"github.com/coventry-cap/capportal/internal/panel"
	"github.com/coventry-cap/capportal/internal/pathway"
	"github.com/coventry-cap/capportal/internal/referral"
	"github.com/coventry-cap/capportal/web/components"
	"github.com/coventry-cap/capportal/web/pages"
)

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
	errs = append(errs, problemsOf(in.Problems())...)
	if f.Decision == panel.Deferred {
		// Refused here rather than by the move, so what the chair typed stays on the page.
		if _, err := s.panels.RoundAfter(ctx, cc.Round, ref.Kind); errors.Is(err, panel.ErrNoRound) {
			errs.Add("decision", "No later round is on the calendar to defer to: record approved or not approved, or ask CAP to publish the next panel calendar first")
		} else if err != nil {
			s.serverError(w, r, err)
			return
		}
	}
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
