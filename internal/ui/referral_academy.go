package ui

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"

	"github.com/coventry-cap/capportal/internal/audit"
	"github.com/coventry-cap/capportal/internal/auth"
	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/db"
	"github.com/coventry-cap/capportal/internal/panel"
	"github.com/coventry-cap/capportal/internal/pdfdoc"
	"github.com/coventry-cap/capportal/internal/referral"
	"github.com/coventry-cap/capportal/web/components"
	"github.com/coventry-cap/capportal/web/pages"
)

// referralAcademyRoutes registers the pages for outcome letters, onboarding into a cohort, the Supported Transfer placement.
func (s *Server) referralAcademyRoutes(pages *Routes) {
	pages.Handle(http.MethodGet, "/referrals/{ref}/letters/{case}", referralViewers, s.referralLetter)
	pages.Handle(http.MethodPost, "/referrals/{ref}/letters/{case}/share", capAdmins, s.referralLetterShare)
	pages.HandleStep(http.MethodGet, "/referrals/{ref}/onboard", academyStaff, "onboard", s.referralOnboardShow)
	pages.HandleStep(http.MethodPost, "/referrals/{ref}/onboard", academyStaff, "onboard", s.referralOnboard)
	pages.HandleStep(http.MethodGet, "/referrals/{ref}/cohort", academyStaff, "cohort", s.referralCohortShow)
	pages.HandleStep(http.MethodPost, "/referrals/{ref}/cohort", academyStaff, "cohort", s.referralCohort)
	pages.HandleStep(http.MethodGet, "/referrals/{ref}/review", capAdmins, "review", s.referralTransferReviewShow)
	pages.HandleStep(http.MethodPost, "/referrals/{ref}/review", capAdmins, "review", s.referralTransferReview)
	pages.HandleStep(http.MethodGet, "/referrals/{ref}/outcome", capAdmins, "outcome", s.referralTransferOutcomeShow)
	pages.HandleStep(http.MethodPost, "/referrals/{ref}/outcome", capAdmins, "outcome", s.referralTransferOutcome)
}

// letterURL is where a case's outcome letter downloads.
func letterURL(ref referral.Referral, caseID int64) string {
	return ref.URL() + "/letters/" + itoa(caseID)
}

// letterCase reads the {case} of the URL: one of this referral's panel cases, or a 404 (a case of
// another referral is answered like one that does not exist). ok is false when the response has
// been written.
func (s *Server) letterCase(w http.ResponseWriter, r *http.Request, ref referral.Referral) (panel.Case, bool) {
	id, ok := idParam(r, "case")
	if !ok {
		s.notFound(w, r)
		return panel.Case{}, false
	}
	c, err := s.panels.GetCase(r.Context(), id)
	if errors.Is(err, db.ErrNotFound) || (err == nil && c.ReferralID != ref.ID) {
		s.notFound(w, r)
		return c, false
	}
	if err != nil {
		s.serverError(w, r, err)
		return c, false
	}
	return c, true
}

// referralLetter sends a decided case's outcome letter as a PDF: to CAP's staff and the panel
// members once it is decided, to the school once CAP has shared it; to anyone else it does not
// exist. The download is audited like the pack's.
func (s *Server) referralLetter(w http.ResponseWriter, r *http.Request) {
	ref, ok := s.loadReferral(w, r)
	if !ok {
		return
	}
	c, ok := s.letterCase(w, r, ref)
	if !ok {
		return
	}
	ctx := r.Context()
	a := referralActor(r)
	if !referral.LetterVisible(a.Principal, ref, c) {
		s.notFound(w, r)
		return
	}
	l, err := s.outcomeLetter(ctx, ref, c)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	now := s.Clock.Now()
	out, err := pdfdoc.Render(l.Doc(now))
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	// The route admits only people signed in, so there is a principal.
	err = s.audit.Write(ctx, audit.Entry{At: now, ActorUserID: &a.Principal.UserID, ActorEmail: a.Principal.Email, Action: referral.ActionViewed,
		SubjectType: "referral", SubjectID: itoa(ref.ID), RequestID: a.RequestID,
		Summary: "Viewed " + ref.Title() + " (outcome letter of the " + panel.PanelName(c.Panel) + ", downloaded as a PDF)"})
	if err != nil {
		s.serverError(w, r, fmt.Errorf("audit letter download: %w", err))
		return
	}
	writeAttachment(w, l.FileName(), "application/pdf", out)
}

// outcomeLetter gathers what the case's letter says: the meeting that decided it, the round, and
// what the decision led to (a cohort place, a transfer, the round a deferred case goes to).
func (s *Server) outcomeLetter(ctx context.Context, ref referral.Referral, c panel.Case) (panel.Letter, error) {
	l := panel.Letter{Case: c, Dated: calendar.Today(s.Clock), TransferWeeks: referral.TransferWeeks}
	if c.LetterSharedAt != nil {
		l.Dated = calendar.DateOf(*c.LetterSharedAt)
	}
	var err error
	if l.Round, err = s.panels.GetRound(ctx, c.RoundID); err != nil {
		return l, err
	}
	m, err := s.panels.GetMeeting(ctx, c.RoundID, c.Panel)
	switch {
	case errors.Is(err, db.ErrNotFound):
	case err != nil:
		return l, err
	// A case CAP deferred before its meeting was not decided there.
	case c.DecidedAt == nil || !calendar.DateOf(*c.DecidedAt).Before(m.HeldOn):
		l.Meeting = m
	}
	switch {
	case c.Decision == panel.Deferred:
		cases, err := s.panels.CasesOf(ctx, ref.ID)
		if err != nil {
			return l, err
		}
		for _, next := range cases {
			if next.CarriedFrom == c.ID {
				if l.NextRound, err = s.panels.GetRound(ctx, next.RoundID); err != nil {
					return l, err
				}
			}
		}
	case c.Decision == panel.Approved && c.Panel == panel.MultiAgencyPanel:
		place, err := s.academyPlace(ctx, ref.ID)
		if err != nil {
			return l, err
		}
		if place.found {
			l.Cohort, l.WaitingPosition = place.start, place.position
		}
	case c.Decision == panel.Approved && c.Panel == panel.HeadteacherPanel:
		t, err := s.referrals.TransferOf(ctx, ref.ID)
		switch {
		case errors.Is(err, db.ErrNotFound):
		case err != nil:
			return l, err
		default:
			l.TransferStart = t.Starts
		}
	}
	return l, nil
}

// referralLetterShare is CAP sharing a case's outcome letter with the school.
func (s *Server) referralLetterShare(w http.ResponseWriter, r *http.Request) {
	ref, ok := s.loadReferral(w, r)
	if !ok {
		return
	}
	c, ok := s.letterCase(w, r, ref)
	if !ok {
		return
	}
	ctx := r.Context()
	err := s.referrals.ShareLetter(ctx, referralActor(r), ref, c.ID)
	switch {
	case err == nil:
		s.flash(ctx, "Outcome letter shared with "+ref.SchoolName)
	case errors.Is(err, panel.ErrLetterShared):
		s.flashError(ctx, "The outcome letter of the "+panel.PanelName(c.Panel)+" was already shared with the school, so nothing was changed.")
	case errors.Is(err, panel.ErrNotDecided):
		s.flashError(ctx, "The "+panel.PanelName(c.Panel)+" has not decided this case yet: its outcome letter can be shared once the decision is recorded.")
	case errors.Is(err, db.ErrNotFound):
		s.notFound(w, r)
		return
	default:
		s.serverError(w, r, err)
		return
	}
	http.Redirect(w, r, ref.URL(), http.StatusSeeOther)
}

// academyPlaceInfo is a referral's place in an Academy cohort, or on its waiting list.
type academyPlaceInfo struct {
	found    bool
	place    panel.Place
	start    panel.Start
	position int // on the waiting list, 1 first; 0 with a place
}

// academyPlace looks up the referral's cohort place and, when it waits, its number on the list.
func (s *Server) academyPlace(ctx context.Context, referralID int64) (academyPlaceInfo, error) {
	var info academyPlaceInfo
	place, err := s.panels.PlaceOf(ctx, referralID)
	if errors.Is(err, db.ErrNotFound) {
		return info, nil
	}
	if err != nil {
		return info, err
	}
	info.found, info.place = true, place
	if info.start, err = s.panels.GetStart(ctx, place.StartID); err != nil {
		return info, err
	}
	if place.Status == panel.Waiting {
		list, err := s.panels.WaitingList(ctx, place.StartID)
		if err != nil {
			return info, err
		}
		info.position = slices.IndexFunc(list, func(p panel.Place) bool { return p.ID == place.ID }) + 1
	}
	return info, nil
}

// text is how the referral page says it: "Place in Refocus Cohort 2 from 11 January 2027".
func (p academyPlaceInfo) text() string {
	if p.place.Status == panel.Waiting {
		return "Waiting list of " + p.start.Title() + ", number " + strconv.Itoa(p.position)
	}
	return "Place in " + p.start.Title() + " from " + p.start.Starts.Format()
}

// academyIsCAPStaff reports whether the viewer is one of CAP's staff for this referral.
func academyIsCAPStaff(roles []auth.Role) bool {
	return slices.ContainsFunc(roles, func(r auth.Role) bool {
		return r == auth.CAPAdmin || r == auth.MonitoringOfficer || r == auth.CAPDSL || r == auth.ServiceLead
	})
}

// academyIsSchool reports whether the viewer sees the referral as the referring school's staff only.
func academyIsSchool(roles []auth.Role) bool {
	return slices.ContainsFunc(roles, func(r auth.Role) bool {
		return r == auth.Coordinator || r == auth.Headteacher || r == auth.SchoolDSL
	})
}

// refPanelSection is the referral page's Panel section: the round the referral joined and why, its
// cases with their decisions and outcome letters, and what the decisions led to. The school reads a
// decision in its outcome letter: until CAP shares it, the school sees that the case was decided.
func (s *Server) refPanelSection(ctx context.Context, a referral.Actor, ref referral.Referral) (*pages.RefPanelSection, error) {
	roles := referral.RolesFor(a.Principal, ref)
	capStaff := academyIsCAPStaff(roles)
	admin := slices.Contains(roles, auth.CAPAdmin)
	schoolOnly := academyIsSchool(roles) && !capStaff && !slices.Contains(roles, auth.PanelMember)
	today := calendar.DateOf(s.Clock.Now())
	sec := &pages.RefPanelSection{LateReason: ref.PanelLateReason}

	rounds := map[int64]panel.Round{}
	roundText := func(id int64) (string, error) {
		rd, ok := rounds[id]
		if !ok {
			var err error
			if rd, err = s.panels.GetRound(ctx, id); err != nil {
				return "", err
			}
			rounds[id] = rd
		}
		return fmt.Sprintf("Round %d, referral deadline %s", rd.Position, rd.Deadline.Format()), nil
	}
	switch {
	case ref.PanelRoundID != 0:
		t, err := roundText(ref.PanelRoundID)
		if err != nil {
			return nil, err
		}
		sec.Round = t
	default:
		sec.Round = "Not on a panel round yet"
	}

	cases, err := s.panels.CasesOf(ctx, ref.ID)
	if err != nil {
		return nil, err
	}
	for _, c := range cases {
		rt, err := roundText(c.RoundID)
		if err != nil {
			return nil, err
		}
		cv := pages.RefPanelCase{Heading: panel.PanelName(c.Panel), Rows: []components.SummaryRow{{Key: "Round", Value: rt}}}
		meeting := "Not scheduled yet"
		switch m, err := s.panels.GetMeeting(ctx, c.RoundID, c.Panel); {
		case err == nil:
			meeting = m.HeldOn.Weekday().String() + " " + m.HeldOn.Format()
		case !errors.Is(err, db.ErrNotFound):
			return nil, err
		}
		cv.Rows = append(cv.Rows, components.SummaryRow{Key: "Meeting", Value: meeting})
		visible := referral.LetterVisible(a.Principal, ref, c)
		switch {
		case !c.Decided():
			cv.Rows = append(cv.Rows, components.SummaryRow{Key: "Decision", Value: "Not decided yet"})
		case schoolOnly && !visible:
			cv.Rows = append(cv.Rows, components.SummaryRow{Key: "Decision",
				Value: "Decided. CAP shares the outcome letter with the school within " + strconv.Itoa(panel.LetterWorkingDays) + " working days of the meeting."})
		default:
			cv.Rows = append(cv.Rows,
				components.SummaryRow{Key: "Decision", Value: panel.DecisionLabel(c.Decision)},
				refMultiLineRow("Rationale", orText(c.Rationale, "None recorded")),
				refMultiLineRow("Conditions", orText(c.Conditions, "None")))
			if c.ReceivingSchoolName != "" {
				cv.Rows = append(cv.Rows, components.SummaryRow{Key: "Receiving school", Value: c.ReceivingSchoolName})
			}
		}
		if c.Decided() {
			lv := &pages.RefPanelLetter{PanelName: panel.PanelName(c.Panel)}
			if visible {
				lv.Href = letterURL(ref, c.ID)
			} else {
				lv.Pending = "Not shared with the school yet."
			}
			if capStaff {
				lv.Status = "Due by " + c.LetterDue.Format() + "."
				if c.LetterSharedAt != nil {
					lv.Status += " Shared on " + calendar.DateOf(*c.LetterSharedAt).Format() + "."
				} else {
					lv.Status += " Not shared with the school yet."
					if admin {
						lv.ShareAction = letterURL(ref, c.ID) + "/share"
					}
				}
				lv.Late = c.LetterLate(today)
			}
			cv.Letter = lv
		}
		sec.Cases = append(sec.Cases, cv)
	}

	switch ref.Kind {
	case panel.Refocus, panel.Focus11:
		place, err := s.academyPlace(ctx, ref.ID)
		if err != nil {
			return nil, err
		}
		if place.found {
			sec.Cohort = &pages.RefCohortPlace{Text: place.text()}
			if capStaff {
				sec.Cohort.Href, sec.Cohort.LinkText = "/panels/cohorts/"+itoa(place.start.ID), "See "+place.start.Title()
			}
		}
	case panel.SupportedTransfer:
		t, err := s.referrals.TransferOf(ctx, ref.ID)
		switch {
		case err == nil:
			sec.Transfer = transferRows(t)
		case !errors.Is(err, db.ErrNotFound):
			return nil, err
		}
	}
	return sec, nil
}

// transferRows describe a Supported Transfer placement: where, when, its review and its outcome.
func transferRows(t referral.Transfer) []components.SummaryRow {
	rows := []components.SummaryRow{
		{Key: "Receiving school", Value: t.ReceivingSchoolName},
		{Key: "Placement", Value: fmt.Sprintf("%d weeks, from %s to %s", referral.TransferWeeks, t.Starts.Format(), t.Ends.Format())},
	}
	review := "Not reviewed yet"
	if !t.ReviewOn.IsZero() {
		review = "Reviewed on " + t.ReviewOn.Format()
		if t.ReviewNotes != "" {
			review += "\n" + t.ReviewNotes
		}
	}
	rows = append(rows, refMultiLineRow("Review", review))
	outcome := "Not recorded yet"
	if t.Outcome != "" {
		outcome = referral.TransferOutcomeLabel(t.Outcome)
		if t.OutcomeNotes != "" {
			outcome += "\n" + t.OutcomeNotes
		}
	}
	return append(rows, refMultiLineRow("Outcome", outcome))
}

// referralOnboardShow confirms that Coventry AP Academy starts onboarding the student.
func (s *Server) referralOnboardShow(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	ref := referralFrom(ctx)
	v := pages.OnboardView{StepPage: refStepPage(ref, "Start onboarding", "onboard")}
	place, err := s.academyPlace(ctx, ref.ID)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	switch {
	case !place.found:
		v.Cohort = "The student has no cohort place yet: give them one on the cohort’s page before placing them."
	case place.place.Status == panel.Waiting:
		v.Cohort = place.text() + ". The student can be placed once they have a place."
	default:
		v.Cohort = place.text() + "."
	}
	s.render(w, r, http.StatusOK, pages.ReferralOnboard(s.stepLayout(r, v.StepPage), v))
}

// referralOnboard records that the Academy started onboarding.
func (s *Server) referralOnboard(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	ref := referralFrom(ctx)
	if err := s.referrals.Onboard(ctx, referralActor(r), ref); err != nil {
		s.refuse(w, r, ref, err)
		return
	}
	s.flash(ctx, "Onboarding started")
	http.Redirect(w, r, ref.URL(), http.StatusSeeOther)
}

// referralCohortShow shows the student's cohort place, or why they cannot be placed yet.
func (s *Server) referralCohortShow(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	ref := referralFrom(ctx)
	v := pages.CohortStepView{StepPage: refStepPage(ref, "Place in the cohort", "cohort")}
	place, err := s.academyPlace(ctx, ref.ID)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	switch {
	case !place.found:
		v.Blocked = "The student has no place in a cohort yet, so they cannot be placed."
		v.Do = "Give the student a place in a cohort on the cohort’s page."
	default:
		v.Place = []components.SummaryRow{
			{Key: "Cohort", Value: place.start.Title()},
			{Key: "Starts", Value: place.start.Starts.Weekday().String() + " " + place.start.Starts.Format()},
		}
		if !place.start.Ends.IsZero() {
			v.Place = append(v.Place, components.SummaryRow{Key: "Ends", Value: place.start.Ends.Weekday().String() + " " + place.start.Ends.Format()})
		}
		if place.place.Status == panel.Waiting {
			v.Place = append(v.Place, components.SummaryRow{Key: "Waiting list", Value: "Number " + strconv.Itoa(place.position)})
			v.Blocked = "The student is number " + strconv.Itoa(place.position) + " on the waiting list of " + place.start.Title() +
				", which is full, so they cannot be placed yet."
			v.Do = "CAP offers the waiting list places in the next cohort on the cohort’s page; the student can be placed once they have one."
		} else {
			v.Place = append(v.Place, components.SummaryRow{Key: "Days at the Academy", Value: "Tuesday to Friday for seven weeks, Mondays at the home school; then the three-week Back to School Phase"})
		}
	}
	s.render(w, r, http.StatusOK, pages.ReferralCohort(s.stepLayout(r, v.StepPage), v))
}

// referralCohort places the student in their cohort place: the placement starts on the cohort's
// first day. A student on the waiting list is refused with what to do.
func (s *Server) referralCohort(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	ref := referralFrom(ctx)
	if err := s.referrals.PlaceInCohort(ctx, referralActor(r), ref); err != nil {
		s.refuse(w, r, ref, err)
		return
	}
	msg := "Placed in the cohort"
	if place, err := s.academyPlace(ctx, ref.ID); err == nil && place.found {
		msg = "Placed in " + place.start.Title() + ", starting " + place.start.Starts.Format()
	}
	s.flash(ctx, msg)
	http.Redirect(w, r, ref.URL(), http.StatusSeeOther)
}

// academyTransfer is the referral's transfer placement's rows, for the review and outcome pages.
func (s *Server) academyTransfer(ctx context.Context, ref referral.Referral) (referral.Transfer, []components.SummaryRow, error) {
	t, err := s.referrals.TransferOf(ctx, ref.ID)
	if errors.Is(err, db.ErrNotFound) {
		return t, nil, nil
	}
	if err != nil {
		return t, nil, err
	}
	return t, transferRows(t), nil
}

// referralTransferReviewShow asks CAP for the date and notes of the transfer placement's review.
func (s *Server) referralTransferReviewShow(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	ref := referralFrom(ctx)
	v := pages.TransferReviewView{StepPage: refStepPage(ref, "Record the placement review", "review")}
	var err error
	if _, v.Transfer, err = s.academyTransfer(ctx, ref); err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, pages.ReferralTransferReview(s.stepLayout(r, v.StepPage), v))
}

// referralTransferReview records the review: a real date, not in the future and not before the
// placement started.
func (s *Server) referralTransferReview(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	ref := referralFrom(ctx)
	if !s.parseForm(w, r) {
		return
	}
	f := r.PostForm
	v := pages.TransferReviewView{StepPage: refStepPage(ref, "Record the placement review", "review"),
		Day: f.Get("review-day"), Month: f.Get("review-month"), Year: f.Get("review-year"), Notes: f.Get("notes")}
	t, rows, err := s.academyTransfer(ctx, ref)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	v.Transfer = rows
	today := calendar.Today(s.Clock)
	on, msg, parts := stepDate("The review date", v.Day, v.Month, v.Year)
	switch {
	case msg != "":
		v.Errors.AddAt("review", "review-"+firstOr(parts, "day"), msg)
		v.DateParts = parts
	case on.IsZero():
		v.Errors.AddAt("review", "review-day", "Enter the date of the review")
	case on.After(today):
		v.Errors.AddAt("review", "review-day", "The review date must be today or in the past")
	case !t.Starts.IsZero() && on.Before(t.Starts):
		v.Errors.AddAt("review", "review-day", "The review date must be on or after "+t.Starts.Format()+", when the placement started")
	}
	if len(v.Notes) > 5000 {
		v.Errors.Add("notes", "Notes must be 5,000 characters or fewer")
	}
	if v.Errors.Any() {
		s.render(w, r, http.StatusUnprocessableEntity, pages.ReferralTransferReview(s.stepLayout(r, v.StepPage), v))
		return
	}
	if err := s.referrals.ReviewTransfer(ctx, referralActor(r), ref, on, v.Notes); err != nil {
		s.refuse(w, r, ref, err)
		return
	}
	s.flash(ctx, "Placement review recorded: "+on.Format())
	http.Redirect(w, r, ref.URL(), http.StatusSeeOther)
}

// transferOutcomeChoices are the two outcomes, the chosen one checked.
func transferOutcomeChoices(chosen string) []components.Choice {
	var out []components.Choice
	for _, o := range []string{"stays", "returns"} {
		out = append(out, components.Choice{Value: o, Label: referral.TransferOutcomeLabel(o), Checked: o == chosen})
	}
	return out
}

// referralTransferOutcomeShow asks CAP whether the student stays at the receiving school.
func (s *Server) referralTransferOutcomeShow(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	ref := referralFrom(ctx)
	v := pages.TransferOutcomeView{StepPage: refStepPage(ref, "Record the transfer outcome", "outcome"), Outcomes: transferOutcomeChoices("")}
	var err error
	if _, v.Transfer, err = s.academyTransfer(ctx, ref); err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, pages.ReferralTransferOutcome(s.stepLayout(r, v.StepPage), v))
}

// referralTransferOutcome records the outcome: the student stays at the receiving school or
// returns to the home school.
func (s *Server) referralTransferOutcome(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	ref := referralFrom(ctx)
	if !s.parseForm(w, r) {
		return
	}
	outcome, notes := r.PostForm.Get("outcome"), r.PostForm.Get("notes")
	v := pages.TransferOutcomeView{StepPage: refStepPage(ref, "Record the transfer outcome", "outcome"), Notes: notes}
	if outcome != "stays" && outcome != "returns" {
		outcome = ""
		v.Errors.Add("outcome", "Select whether the student stays at the receiving school or returns to the home school")
	}
	if len(notes) > 5000 {
		v.Errors.Add("notes", "Notes must be 5,000 characters or fewer")
	}
	v.Outcomes = transferOutcomeChoices(outcome)
	if v.Errors.Any() {
		var err error
		if _, v.Transfer, err = s.academyTransfer(ctx, ref); err != nil {
			s.serverError(w, r, err)
			return
		}
		s.render(w, r, http.StatusUnprocessableEntity, pages.ReferralTransferOutcome(s.stepLayout(r, v.StepPage), v))
		return
	}
	if err := s.referrals.RecordTransferOutcome(ctx, referralActor(r), ref, outcome, notes); err != nil {
		s.refuse(w, r, ref, err)
		return
	}
	s.flash(ctx, "Transfer outcome recorded: "+referral.TransferOutcomeLabel(outcome))
	http.Redirect(w, r, ref.URL(), http.StatusSeeOther)
}
