package ui

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/coventry-cap/capportal/internal/auth"
	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/placement"
	"github.com/coventry-cap/capportal/web/components"
	"github.com/coventry-cap/capportal/web/pages"
)

const withdrawalTitle = "Withdrawal request"

// withdrawNew shows the form that starts a withdrawal, to the placement's school or provider.
func (s *Server) withdrawNew(w http.ResponseWriter, r *http.Request) {
	p, ok := load(s, w, r, "id", func(ctx context.Context, id int64) (placement.Placement, error) {
		return s.placements.View(ctx, placementActor(r), id, "withdrawal request form")
	})
	if !ok || s.refuseStart(w, r, p, withdrawalTitle) {
		return
	}
	s.renderWithdrawNew(w, r, http.StatusOK, p, pages.WithdrawalFormView{})
}

func (s *Server) renderWithdrawNew(w http.ResponseWriter, r *http.Request, status int, p placement.Placement, v pages.WithdrawalFormView) {
	side, _ := placement.SideOf(auth.FromContext(r.Context()), p)
	v.RequestHeader = pages.RequestHeader{Caption: p.StudentName, Heading: "Request a withdrawal", Back: backToPlacement(p.ID), Errors: v.Errors}
	v.Action, v.Provider = placementHref(p.ID)+"/withdraw", side == placement.ProviderSide
	v.Placement = placementRows(p, calendar.DateOf(s.Clock.Now()))
	lp := s.page(r, "Request a withdrawal")
	lp.HasErrors = v.Errors.Any()
	s.render(w, r, status, pages.WithdrawalNew(lp, v))
}

// withdrawStart records the request and goes to its page.
func (s *Server) withdrawStart(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p, ok := load(s, w, r, "id", func(ctx context.Context, id int64) (placement.Placement, error) {
		return s.placements.View(ctx, placementActor(r), id, "withdrawal request form")
	})
	if !ok || !s.parseForm(w, r) {
		return
	}
	in := placement.WithdrawalInput{Reason: r.PostForm.Get("reason"), Impact: r.PostForm.Get("impact")}
	wr, err := s.placements.StartWithdrawal(ctx, placementActor(r), p.ID, in)
	var errs components.Errors
	if problemsIn(err, &errs) {
		s.renderWithdrawNew(w, r, http.StatusUnprocessableEntity, p, pages.WithdrawalFormView{RequestHeader: pages.RequestHeader{Errors: errs}, Reason: in.Reason, Impact: in.Impact})
		return
	}
	if s.refuseRequest(w, r, withdrawalTitle, backToPlacement(p.ID), err) {
		return
	}
	msg := "Withdrawal request started"
	if wr.MeetingRequired() {
		msg += ": record the meeting with CAP and the school before you submit it"
	}
	s.flash(ctx, msg)
	http.Redirect(w, r, wr.URL(), http.StatusSeeOther)
}

// withdrawalForm is what was typed on a withdrawal's page.
type withdrawalForm struct {
	errs                                           components.Errors
	heldDay, heldMonth, heldYear, attendees, notes string
	heldParts                                      []string
	lastDay, lastMonth, lastYear, note, why        string
	lastParts                                      []string
	chosen                                         []int64
	typed                                          bool // a processing form was sent: keep its choices
}

// withdrawalShow is the request's page.
func (s *Server) withdrawalShow(w http.ResponseWriter, r *http.Request) {
	id, ok := idParam(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	s.renderWithdrawal(w, r, http.StatusOK, id, withdrawalForm{})
}

func (s *Server) renderWithdrawal(w http.ResponseWriter, r *http.Request, status int, id int64, form withdrawalForm) {
	ctx := r.Context()
	a := placementActor(r)
	wr, err := s.placements.ViewWithdrawal(ctx, a, id)
	if s.failed(w, r, err) {
		return
	}
	pr := auth.FromContext(ctx)
	today := calendar.DateOf(s.Clock.Now())
	p := wr.Placement
	v := pages.WithdrawalView{
		RequestHeader: pages.RequestHeader{Caption: p.StudentName, Heading: withdrawalTitle, Back: backToPlacement(p.ID), Errors: dateAnchors(form.errs, "held", "last")},
		Status:        wr.Status.Label(), StatusColour: requestTag(wr.Status), Late: wr.Late(today),
		HeldDay: form.heldDay, HeldMonth: form.heldMonth, HeldYear: form.heldYear, HeldParts: form.heldParts, Attendees: form.attendees, Notes: form.notes,
		LastDay: form.lastDay, LastMonth: form.lastMonth, LastYear: form.lastYear, LastParts: form.lastParts, Note: form.note, CancelWhy: form.why,
	}
	v.Summary = []components.SummaryRow{
		{Key: "School", Value: p.SchoolName},
		{Key: "Training provider", Value: p.ProviderName},
		{Key: "Programme", Value: p.Programme},
		{Key: "Asked by", Value: wr.Side.Label() + ": " + wr.Requested.By + " on " + components.FormatDateTime(wr.Requested.At)},
		{Key: "Reason", Value: wr.Reason},
		{Key: "Impact on achievement, health and well-being", Value: wr.Impact},
	}
	if wr.Submitted.Done() {
		due := wr.Due.Format() + " (five working days after submission)"
		if wr.Late(today) {
			due = "Late: due " + wr.Due.Format()
		}
		v.Summary = append(v.Summary, components.SummaryRow{Key: "Submitted", Value: components.FormatDateTime(wr.Submitted.At) + " by " + wr.Submitted.By},
			components.SummaryRow{Key: "CAP processes it by", Value: due})
	}
	if wr.Status == placement.Processed {
		v.Summary = append(v.Summary, components.SummaryRow{Key: "Last day", Value: wr.LastDay.Format()},
			components.SummaryRow{Key: "Placements ended", Value: strconv.Itoa(len(wr.Ended))})
		if wr.OutcomeNote != "" {
			v.Summary = append(v.Summary, components.SummaryRow{Key: "Outcome", Value: wr.OutcomeNote})
		}
	}
	if wr.Status == placement.Cancelled {
		v.Summary = append(v.Summary, components.SummaryRow{Key: "Cancelled", Value: components.FormatDateTime(wr.Cancelled.At) + " by " + wr.Cancelled.By + ": " + wr.CancelReason})
	}
	meetingStep := "A meeting with CAP and the school is held before the form is submitted"
	v.MeetingTitle = "Meeting with CAP and the school"
	v.MeetingHint = "The provider asked for this withdrawal, so a meeting with CAP and the school must be held and recorded before it is submitted."
	if !wr.MeetingRequired() {
		meetingStep = "A discussion with a CAP Monitoring Officer (encouraged)"
		v.MeetingTitle = "Discussion with a Monitoring Officer"
		v.MeetingHint = "CAP encourages the school to discuss a withdrawal with a Monitoring Officer before submitting it. Record the discussion here if you had one."
	}
	ms := step(meetingStep, wr.Meeting.Recorded.Done(), "")
	if wr.Meeting.Recorded.Done() {
		ms.Detail = "Held on " + wr.Meeting.HeldOn.Format() + ", recorded " + signed(wr.Meeting.Recorded)
	} else if !wr.MeetingRequired() {
		ms.Status, ms.Colour = "Encouraged", "blue"
	}
	v.Steps = []pages.RequestStep{
		step("The need to withdraw is identified", true, wr.Side.Label()+": "+wr.Requested.By+" on "+components.FormatDateTime(wr.Requested.At)),
		step("The impact on the student’s achievement, health and well-being is considered", wr.Impact != "", ""),
		ms,
		step(wr.Side.Label()+"’s representative submits the form", wr.Submitted.Done(), signed(wr.Submitted)),
		step("CAP receives the form", wr.Submitted.Done(), dueDetail(wr.Submitted.Done(), wr.Due)),
		step("CAP checks the student’s placements on the course and ends them", wr.Status == placement.Processed, processedDetail(wr)),
		step("The outcome is sent to the school and the provider", wr.Status == placement.Processed, ""),
	}
	if wr.Status == placement.Cancelled {
		for i := range v.Steps {
			if v.Steps[i].Status != "Done" {
				v.Steps[i].Status, v.Steps[i].Colour = "Cancelled", "grey"
			}
		}
	}
	if wr.Meeting.Recorded.Done() {
		v.Meeting = []components.SummaryRow{
			{Key: "Held on", Value: wr.Meeting.HeldOn.Format()},
			{Key: "Who attended", Value: wr.Meeting.Attendees},
			{Key: "What was said", Value: wr.Meeting.Notes},
			{Key: "Recorded", Value: signed(wr.Meeting.Recorded)},
		}
	} else if wr.Status != placement.Open {
		v.MeetingHint = ""
	}
	_, side := placement.SideOf(pr, p)
	if wr.Status == placement.Open && (side || pr.HasAny(auth.CAPAdmin, auth.MonitoringOfficer)) {
		v.MeetingAction = wr.URL() + "/meeting"
		if wr.Meeting.Recorded.Done() && !form.errs.Any() && form.attendees == "" {
			m := wr.Meeting
			v.HeldDay, v.HeldMonth, v.HeldYear = strconv.Itoa(m.HeldOn.Day), strconv.Itoa(int(m.HeldOn.Month)), strconv.Itoa(m.HeldOn.Year)
			v.Attendees, v.Notes = m.Attendees, m.Notes
		}
	}
	if wr.Status == placement.Open && placement.ActsFor(pr, p, wr.Side) {
		v.SubmitAction = wr.URL() + "/submit"
	}
	if wr.Status == placement.Submitted && placement.IsCAPAdmin(pr) {
		v.ProcessAction = wr.URL() + "/process"
		course, err := s.placements.CourseOf(ctx, a, wr)
		if s.failed(w, r, err) {
			return
		}
		for _, cp := range course {
			checked := cp.ID == p.ID
			if form.typed {
				checked = slices.Contains(form.chosen, cp.ID)
			}
			v.Course = append(v.Course, components.Choice{Value: itoa(cp.ID), Label: cp.ProviderName + ": " + cp.PatternOn(today).Text(),
				Hint: "From " + cp.Start.Format() + " (" + cp.Reference + ")", Checked: checked})
		}
	}
	if (wr.Status == placement.Open && placement.ActsFor(pr, p, wr.Side)) || (wr.Status.UnderWay() && placement.IsCAPAdmin(pr)) {
		v.CancelAction = wr.URL() + "/cancel"
	}
	lp := s.page(r, withdrawalTitle)
	lp.HasErrors = v.Errors.Any()
	s.render(w, r, status, pages.WithdrawalShow(lp, v))
}

func processedDetail(wr placement.WithdrawalRequest) string {
	if wr.Status != placement.Processed {
		return ""
	}
	n := "the placement"
	if len(wr.Ended) > 1 {
		n = strconv.Itoa(len(wr.Ended)) + " placements"
	}
	return "Ended " + n + " after " + wr.LastDay.Format() + ", " + signed(wr.Processed)
}

// withdrawalAct runs one action on a withdrawal and answers as changeAct does.
func (s *Server) withdrawalAct(w http.ResponseWriter, r *http.Request, form func(*withdrawalForm), act func(id int64) (string, error)) {
	id, ok := idParam(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	if !s.parseForm(w, r) {
		return
	}
	var f withdrawalForm
	if form != nil {
		form(&f)
	}
	if f.errs.Any() {
		s.renderWithdrawal(w, r, http.StatusUnprocessableEntity, id, f)
		return
	}
	done, err := act(id)
	if problemsIn(err, &f.errs) {
		s.renderWithdrawal(w, r, http.StatusUnprocessableEntity, id, f)
		return
	}
	if s.refuseRequest(w, r, withdrawalTitle, pages.Link{Text: "Back to the request", Href: "/withdrawals/" + itoa(id)}, err) {
		return
	}
	s.flash(r.Context(), done)
	http.Redirect(w, r, "/withdrawals/"+itoa(id), http.StatusSeeOther)
}

// withdrawalMeeting records the meeting (or the discussion) before the withdrawal is submitted.
func (s *Server) withdrawalMeeting(w http.ResponseWriter, r *http.Request) {
	var in placement.WithdrawalMeetingInput
	s.withdrawalAct(w, r, func(f *withdrawalForm) {
		in.HeldOn, f.heldDay, f.heldMonth, f.heldYear, f.heldParts = dateField(r, "held", "The date of the meeting", &f.errs)
		in.Attendees, in.Notes = r.PostForm.Get("attendees"), r.PostForm.Get("notes")
		f.attendees, f.notes = in.Attendees, in.Notes
		if f.errs.Any() {
			// Show every problem at once: the store's on the other fields too.
			for _, e := range problemsOf(in.Problems(calendar.DateOf(s.Clock.Now()))) {
				if e.Field != "held" {
					f.errs = append(f.errs, e)
				}
			}
		}
	}, func(id int64) (string, error) {
		_, err := s.placements.RecordWithdrawalMeeting(r.Context(), placementActor(r), id, in)
		return "Meeting recorded", err
	})
}

// withdrawalSubmit is the side that asked submitting the request to CAP.
func (s *Server) withdrawalSubmit(w http.ResponseWriter, r *http.Request) {
	s.withdrawalAct(w, r, nil, func(id int64) (string, error) {
		wr, err := s.placements.SubmitWithdrawal(r.Context(), placementActor(r), id)
		return "Submitted to CAP: due by " + wr.Due.Format(), err
	})
}

// withdrawalProcess is CAP ending the chosen placements of the course after the last day.
func (s *Server) withdrawalProcess(w http.ResponseWriter, r *http.Request) {
	var in placement.ProcessInput
	s.withdrawalAct(w, r, func(f *withdrawalForm) {
		in.LastDay, f.lastDay, f.lastMonth, f.lastYear, f.lastParts = dateField(r, "last", "The student’s last day", &f.errs)
		for _, v := range r.PostForm["placements"] {
			if n, err := strconv.ParseInt(v, 10, 64); err == nil {
				in.Placements = append(in.Placements, n)
			}
		}
		in.Note, f.note, f.chosen, f.typed = r.PostForm.Get("note"), r.PostForm.Get("note"), in.Placements, true
	}, func(id int64) (string, error) {
		wr, err := s.placements.ProcessWithdrawal(r.Context(), placementActor(r), id, in)
		return "Withdrawal processed: the last day is " + wr.LastDay.Format() + ", and the school and the provider have been told", err
	})
}

// withdrawalCancel cancels the request, saying why.
func (s *Server) withdrawalCancel(w http.ResponseWriter, r *http.Request) {
	var why string
	s.withdrawalAct(w, r, func(f *withdrawalForm) { why = r.PostForm.Get("why"); f.why = why }, func(id int64) (string, error) {
		_, err := s.placements.CancelWithdrawal(r.Context(), placementActor(r), id, why)
		return "Request cancelled", err
	})
}

// withdrawalQueue is CAP's queue of withdrawal requests (a school's or a provider's own).
func (s *Server) withdrawalQueue(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	all := r.URL.Query().Get("all") == "1"
	list, more, err := s.placements.WithdrawalQueue(ctx, placementActor(r), placement.QueueFilter{All: all, After: queueAfter(r)}, queuePageSize)
	if s.failed(w, r, err) {
		return
	}
	today := calendar.DateOf(s.Clock.Now())
	v := pages.QueueView{Heading: "Withdrawal requests", All: all, AllHref: "/withdrawals?all=1", OpenHref: "/withdrawals",
		Other: pages.Link{Text: "Change of day requests", Href: "/changes"}, DueColumn: "CAP processes it by",
		Intro: "The school or the provider submits a withdrawal (a provider only after a meeting with CAP and the school); CAP processes it within five working days (weekends and bank holidays do not count). A request CAP has not processed by its due day is late.",
		Empty: "There are no withdrawal requests under way."}
	if all {
		v.Empty = "There are no withdrawal requests."
	}
	for _, wr := range list {
		what := "Asked by " + strings.ToLower(wr.Side.Label())
		if wr.MeetingRequired() && !wr.Meeting.Recorded.Done() {
			what += "; meeting not yet recorded"
		}
		row := pages.QueueRow{Href: wr.URL(), Student: wr.Placement.StudentName, School: wr.Placement.SchoolName, Provider: wr.Placement.ProviderName,
			What: what, Status: wr.Status.Label(), StatusColour: requestTag(wr.Status), Late: wr.Late(today)}
		if wr.Submitted.Done() {
			row.Due = wr.Due.Format()
		}
		v.Rows = append(v.Rows, row)
	}
	if more && len(list) > 0 {
		last := list[len(list)-1]
		v.NextHref = "/withdrawals?after=" + urlQueryEscape(queueKey(last.Due, last.ID))
		if all {
			v.NextHref += "&all=1"
		}
	}
	s.render(w, r, http.StatusOK, pages.RequestQueue(s.page(r, "Withdrawal requests"), v))
}
