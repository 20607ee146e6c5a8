package ui

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/coventry-cap/capportal/internal/auth"
	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/placement"
	"github.com/coventry-cap/capportal/web/components"
	"github.com/coventry-cap/capportal/web/pages"
)

const changeTitle = "Change of day request"

// changeNew shows the form that starts a change of day on a placement, to its school or provider.
func (s *Server) changeNew(w http.ResponseWriter, r *http.Request) {
	p, ok := load(s, w, r, "id", func(ctx context.Context, id int64) (placement.Placement, error) {
		return s.placements.View(ctx, placementActor(r), id, "change of day request form")
	})
	if !ok {
		return
	}
	if s.refuseStart(w, r, p, changeTitle) {
		return
	}
	s.renderChangeNew(w, r, http.StatusOK, p, pages.ChangeFormView{DayItems: weekdayChoices(p.Days), SessionItems: sessionChoices(p.Sessions)})
}

// refuseStart answers for someone who is neither side of the placement, or a placement that ended.
func (s *Server) refuseStart(w http.ResponseWriter, r *http.Request, p placement.Placement, title string) bool {
	if _, ok := placement.SideOf(auth.FromContext(r.Context()), p); !ok {
		return s.refuseRequest(w, r, title, backToPlacement(p.ID), forbiddenStart)
	}
	today := calendar.DateOf(s.Clock.Now())
	if p.Status != "active" || (!p.EndedOn.IsZero() && p.EndedOn.Before(today)) {
		return s.refuseRequest(w, r, title, backToPlacement(p.ID), placement.ErrPlacementEnded)
	}
	return false
}

func (s *Server) renderChangeNew(w http.ResponseWriter, r *http.Request, status int, p placement.Placement, v pages.ChangeFormView) {
	v.RequestHeader = pages.RequestHeader{Caption: p.StudentName, Heading: "Request a change of day", Back: backToPlacement(p.ID), Errors: v.Errors}
	v.Action = placementHref(p.ID) + "/change-of-day"
	v.Placement = placementRows(p, calendar.DateOf(s.Clock.Now()))
	lp := s.page(r, "Request a change of day")
	lp.HasErrors = v.Errors.Any()
	s.render(w, r, status, pages.ChangeNew(lp, v))
}

// changeStart records the request and goes to its page, where each side agrees.
func (s *Server) changeStart(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p, ok := load(s, w, r, "id", func(ctx context.Context, id int64) (placement.Placement, error) {
		return s.placements.View(ctx, placementActor(r), id, "change of day request form")
	})
	if !ok || !s.parseForm(w, r) {
		return
	}
	f := r.PostForm
	in := placement.ChangeInput{Days: formWeekdays(f["days"]), Sessions: formSessions(f["sessions"]), Reason: f.Get("reason"), Impact: f.Get("impact")}
	c, err := s.placements.StartChange(ctx, placementActor(r), p.ID, in)
	var errs components.Errors
	if problemsIn(err, &errs) {
		s.renderChangeNew(w, r, http.StatusUnprocessableEntity, p, pages.ChangeFormView{RequestHeader: pages.RequestHeader{Errors: errs},
			DayItems: weekdayChoices(in.Days), SessionItems: sessionChoices(in.Sessions), Reason: in.Reason, Impact: in.Impact})
		return
	}
	if s.refuseRequest(w, r, changeTitle, backToPlacement(p.ID), err) {
		return
	}
	s.flash(ctx, "Change of day request started: both the school and the provider must now agree")
	http.Redirect(w, r, c.URL(), http.StatusSeeOther)
}

// changeForm is what was typed on a request's page, kept when it is shown again with problems.
type changeForm struct {
	errs                  components.Errors
	day, month, year, why string
	parts                 []string
}

// changeShow is the request's page.
func (s *Server) changeShow(w http.ResponseWriter, r *http.Request) {
	id, ok := idParam(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	s.renderChange(w, r, http.StatusOK, id, changeForm{})
}

func (s *Server) renderChange(w http.ResponseWriter, r *http.Request, status int, id int64, form changeForm) {
	ctx := r.Context()
	a := placementActor(r)
	c, err := s.placements.ViewChange(ctx, a, id)
	if s.failed(w, r, err) {
		return
	}
	today := calendar.DateOf(s.Clock.Now())
	p := c.Placement
	v := pages.ChangeView{
		RequestHeader: pages.RequestHeader{Caption: p.StudentName, Heading: changeTitle, Back: backToPlacement(p.ID), Errors: dateAnchors(form.errs, "from")},
		Status:        c.Status.Label(), StatusColour: requestTag(c.Status), Late: c.Late(today),
		Day: form.day, Month: form.month, Year: form.year, DateParts: form.parts, CancelWhy: form.why,
	}
	v.Summary = []components.SummaryRow{
		{Key: "School", Value: p.SchoolName},
		{Key: "Training provider", Value: p.ProviderName},
		{Key: "Programme", Value: p.Programme},
		{Key: "Asked by", Value: c.Side.Label() + ": " + c.Requested.By + " on " + components.FormatDateTime(c.Requested.At)},
		{Key: "Days when asked", Value: c.Current.Text()},
		{Key: "Days asked for", Value: c.Asked.Text()},
		{Key: "Reason", Value: c.Reason},
		{Key: "Impact on achievement, health and well-being", Value: c.Impact},
	}
	if c.Submitted.Done() {
		due := c.Due.Format() + " (two working days after submission)"
		if c.Late(today) {
			due = "Late: due " + c.Due.Format()
		}
		v.Summary = append(v.Summary, components.SummaryRow{Key: "Submitted", Value: components.FormatDateTime(c.Submitted.At) + " by " + c.Submitted.By},
			components.SummaryRow{Key: "CAP applies it by", Value: due})
	}
	if c.Status == placement.Applied {
		v.Summary = append(v.Summary, components.SummaryRow{Key: "New days from", Value: c.EffectiveFrom.Format()})
	}
	if c.Status == placement.Cancelled {
		v.Summary = append(v.Summary, components.SummaryRow{Key: "Cancelled", Value: components.FormatDateTime(c.Cancelled.At) + " by " + c.Cancelled.By + ": " + c.CancelReason})
	}
	v.Steps = []pages.RequestStep{
		step("The need for a change of day is identified", true, c.Side.Label()+": "+c.Requested.By+" on "+components.FormatDateTime(c.Requested.At)),
		step("The impact on the student’s achievement, health and well-being is considered", c.Impact != "", ""),
		step("The school and the provider agree to the change", c.BothAgreed(), ""),
		step("The school’s representative submits the request", c.Submitted.Done(), signed(c.Submitted)),
		step("CAP receives the request", c.Submitted.Done(), dueDetail(c.Submitted.Done(), c.Due)),
		step("CAP applies the change to the placement", c.Status == placement.Applied, appliedDetail(c)),
		step("The change is confirmed to the school and the provider", c.Status == placement.Applied, ""),
	}
	if c.Status == placement.Cancelled {
		for i := range v.Steps {
			if v.Steps[i].Status != "Done" {
				v.Steps[i].Status, v.Steps[i].Colour = "Cancelled", "grey"
			}
		}
	}
	pr := auth.FromContext(ctx)
	for _, side := range []placement.Side{placement.SchoolSide, placement.ProviderSide} {
		ag := pages.Agreement{Side: side.Label(), Value: string(side), Text: "Not yet agreed", Button: "Agree for " + strings.ToLower(side.Label())}
		if got := c.Agreed(side); got.Done() {
			ag.Done, ag.Text = true, signed(got)
		} else if c.Status == placement.Open && placement.ActsFor(pr, p, side) {
			ag.Action = c.URL() + "/agree"
		}
		v.Agreements = append(v.Agreements, ag)
	}
	if c.Status == placement.Open && placement.ActsFor(pr, p, placement.SchoolSide) {
		v.SubmitAction = c.URL() + "/submit"
	}
	if c.Status == placement.Submitted && placement.IsCAPAdmin(pr) {
		v.ApplyAction = c.URL() + "/apply"
	}
	if _, side := placement.SideOf(pr, p); (c.Status == placement.Open && side) || (c.Status.UnderWay() && placement.IsCAPAdmin(pr)) {
		v.CancelAction = c.URL() + "/cancel"
	}
	lp := s.page(r, changeTitle)
	lp.HasErrors = v.Errors.Any()
	s.render(w, r, status, pages.ChangeShow(lp, v))
}

func dueDetail(submitted bool, due calendar.Date) string {
	if !submitted {
		return ""
	}
	return "Due by " + due.Format()
}

func appliedDetail(c placement.ChangeRequest) string {
	if c.Status != placement.Applied {
		return ""
	}
	return "From " + c.EffectiveFrom.Format() + ", " + signed(c.Applied)
}

// changeAct runs one action on a request and answers: its page again with problems (422), a
// refusal page, or back to the page with the flash.
func (s *Server) changeAct(w http.ResponseWriter, r *http.Request, form func(*changeForm), act func(id int64) error, done string) {
	id, ok := idParam(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	if !s.parseForm(w, r) {
		return
	}
	var f changeForm
	if form != nil {
		form(&f)
	}
	if f.errs.Any() {
		s.renderChange(w, r, http.StatusUnprocessableEntity, id, f)
		return
	}
	err := act(id)
	if problemsIn(err, &f.errs) {
		s.renderChange(w, r, http.StatusUnprocessableEntity, id, f)
		return
	}
	if s.refuseRequest(w, r, changeTitle, pages.Link{Text: "Back to the request", Href: "/changes/" + itoa(id)}, err) {
		return
	}
	if done != "" {
		s.flash(r.Context(), done)
	}
	http.Redirect(w, r, "/changes/"+itoa(id), http.StatusSeeOther)
}

// changeAgree records the agreement of the side the form names.
func (s *Server) changeAgree(w http.ResponseWriter, r *http.Request) {
	var side placement.Side
	s.changeAct(w, r, func(f *changeForm) { side = placement.Side(r.PostForm.Get("side")) }, func(id int64) error {
		if side != placement.SchoolSide && side != placement.ProviderSide {
			side = placement.SchoolSide
		}
		_, err := s.placements.AgreeChange(r.Context(), placementActor(r), id, side)
		return err
	}, "Agreement recorded")
}

// changeSubmit is the school submitting the request to CAP.
func (s *Server) changeSubmit(w http.ResponseWriter, r *http.Request) {
	s.changeAct(w, r, nil, func(id int64) error {
		c, err := s.placements.SubmitChange(r.Context(), placementActor(r), id)
		if err == nil {
			s.flash(r.Context(), "Submitted to CAP: due by "+c.Due.Format())
		}
		return err
	}, "")
}

// changeApply is CAP applying the request from a date.
func (s *Server) changeApply(w http.ResponseWriter, r *http.Request) {
	var from calendar.Date
	s.changeAct(w, r, func(f *changeForm) {
		from, f.day, f.month, f.year, f.parts = dateField(r, "from", "The date the new days start", &f.errs)
	}, func(id int64) error {
		c, err := s.placements.ApplyChange(r.Context(), placementActor(r), id, from)
		if err == nil {
			s.flash(r.Context(), "Change of day applied from "+c.EffectiveFrom.Format()+" and confirmed to the school and the provider")
		}
		return err
	}, "")
}

// changeCancel cancels the request, saying why.
func (s *Server) changeCancel(w http.ResponseWriter, r *http.Request) {
	var why string
	s.changeAct(w, r, func(f *changeForm) { why = r.PostForm.Get("why"); f.why = why }, func(id int64) error {
		_, err := s.placements.CancelChange(r.Context(), placementActor(r), id, why)
		return err
	}, "Request cancelled")
}

// QueuePageSize is how many requests a queue page shows.
const queuePageSize = 50

// queueAfter reads a queue's "after" parameter: "2026-11-24.12", or "-.12" for a request not yet
// submitted.
func queueAfter(r *http.Request) placement.QueueKey {
	var k placement.QueueKey
	due, id, ok := strings.Cut(r.URL.Query().Get("after"), ".")
	if !ok {
		return k
	}
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil || n <= 0 {
		return k
	}
	if due != "-" {
		d, err := calendar.ParseDate(due)
		if err != nil {
			return k
		}
		k.Due = d
	}
	k.ID = n
	return k
}

func queueKey(due calendar.Date, id int64) string {
	if due.IsZero() {
		return "-." + itoa(id)
	}
	return due.String() + "." + itoa(id)
}

// changeQueue is CAP's queue of change-of-day requests (a school's or a provider's own).
func (s *Server) changeQueue(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	all := r.URL.Query().Get("all") == "1"
	list, more, err := s.placements.ChangeQueue(ctx, placementActor(r), placement.QueueFilter{All: all, After: queueAfter(r)}, queuePageSize)
	if s.failed(w, r, err) {
		return
	}
	today := calendar.DateOf(s.Clock.Now())
	v := pages.QueueView{Heading: "Change of day requests", All: all, AllHref: "/changes?all=1", OpenHref: "/changes",
		Other: pages.Link{Text: "Withdrawal requests", Href: "/withdrawals"}, DueColumn: "CAP applies it by",
		Intro: "Both the school and the provider agree to a change of day; the school submits it and CAP applies it within two working days (weekends and bank holidays do not count). A request CAP has not applied by its due day is late.",
		Empty: "There are no change of day requests under way."}
	if all {
		v.Empty = "There are no change of day requests."
	}
	for _, c := range list {
		row := pages.QueueRow{Href: c.URL(), Student: c.Placement.StudentName, School: c.Placement.SchoolName, Provider: c.Placement.ProviderName,
			What: c.Current.Text() + " to " + c.Asked.Text(), Status: c.Status.Label(), StatusColour: requestTag(c.Status), Late: c.Late(today)}
		if c.Submitted.Done() {
			row.Due = c.Due.Format()
		}
		v.Rows = append(v.Rows, row)
	}
	if more && len(list) > 0 {
		last := list[len(list)-1]
		v.NextHref = "/changes?after=" + urlQueryEscape(queueKey(last.Due, last.ID))
		if all {
			v.NextHref += "&all=1"
		}
	}
	s.render(w, r, http.StatusOK, pages.RequestQueue(s.page(r, "Change of day requests"), v))
}
