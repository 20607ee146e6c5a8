package ui

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/coventry-cap/capportal/internal/auth"
	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/input"
	"github.com/coventry-cap/capportal/internal/placement"
	"github.com/coventry-cap/capportal/web/components"
	"github.com/coventry-cap/capportal/web/pages"
)

// planBlankReviews is how many empty review dates the form offers beyond those set.
const planBlankReviews = 2

// planHours reads hours a week: up to 40, one decimal place.
var planHours = input.Number{What: "the hours a week", Min: 0, Max: placement.MaxHoursPerWeek, Places: 1, Example: "12.5", Optional: true}

// placementForPlan loads the placement for its plan form, audited (the form names the student), and
// answers for someone who may not change it: a 404 outside their scope, a 403 page otherwise.
func (s *Server) placementForPlan(w http.ResponseWriter, r *http.Request) (placement.Placement, placement.PlanAccess, bool) {
	pl, ok := load(s, w, r, "id", func(ctx context.Context, id int64) (placement.Placement, error) {
		return s.placements.View(ctx, placementActor(r), id, "plan form")
	})
	if !ok {
		return pl, placement.NoPlanAccess, false
	}
	access := placement.PlanAccessOf(auth.FromContext(r.Context()), pl)
	if access == placement.NoPlanAccess {
		s.renderError(w, r, http.StatusForbidden, "You cannot change this plan",
			"A CAP admin or the placement’s monitoring officer changes its plan; its provider’s staff change the objectives and reintegration plan.")
		return pl, access, false
	}
	return pl, access, true
}

// placementPlanForm prepares the plan form with the values given.
func (s *Server) placementPlanForm(ctx context.Context, pl placement.Placement, access placement.PlanAccess, in planForm) (pages.PlacementPlanView, error) {
	v := pages.PlacementPlanView{Caption: pl.StudentName + " at " + pl.ProviderName, Heading: "Change the plan",
		Action: placementHref(pl.ID) + "/plan", Back: placementHref(pl.ID), Whole: access == placement.WholePlan,
		EndDay: in.EndDay, EndMonth: in.EndMonth, EndYear: in.EndYear, Hours: in.Hours, Objectives: in.Objectives, Reintegration: in.Reintegration,
		ReviewHint: "At least one in each half term the placement runs, on a school day. Clear a date to remove it."}
	if !v.Whole {
		v.Heading = "Change the objectives and reintegration plan"
		sd, err := s.calendar.SchoolDays(ctx)
		if err != nil {
			return v, err
		}
		v.Fixed = placementPlanRows(pl, sd, calendar.Today(s.Clock))
		v.Fixed = slices.DeleteFunc(v.Fixed, func(r components.SummaryRow) bool {
			return r.Key == "Objectives" || r.Key == "Reintegration plan"
		})
		return v, nil
	}
	for _, d := range []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday} {
		v.Days = append(v.Days, components.Choice{Value: strconv.Itoa(int(d)), Label: d.String(), Checked: slices.Contains(in.Days, strconv.Itoa(int(d)))})
	}
	for _, ss := range placement.Sessions {
		v.Sessions = append(v.Sessions, components.Choice{Value: string(ss), Label: ss.Label(), Checked: slices.Contains(in.Sessions, string(ss))})
	}
	for i, d := range in.Reviews {
		v.Reviews = append(v.Reviews, pages.DateParts{Prefix: "review-" + strconv.Itoa(i+1), Legend: "Review " + strconv.Itoa(i+1),
			Day: d[0], Month: d[1], Year: d[2]})
	}
	officers, err := s.placements.MonitoringOfficers(ctx)
	if err != nil {
		return v, err
	}
	v.Officers = []components.Option{{Value: "", Label: "None assigned (any monitoring officer)", Selected: in.Officer == ""}}
	for _, o := range officers {
		v.Officers = append(v.Officers, components.Option{Value: itoa(o.ID), Label: o.Name, Selected: in.Officer == itoa(o.ID)})
	}
	return v, nil
}

// planForm is the plan form as typed.
type planForm struct {
	EndDay, EndMonth, EndYear string
	Days, Sessions            []string
	Hours                     string
	Objectives, Reintegration string
	Reviews                   [][3]string
	Officer                   string
}

func planFormOf(pl placement.Placement) planForm {
	f := planForm{Objectives: pl.Objectives, Reintegration: pl.Reintegration}
	f.EndDay, f.EndMonth, f.EndYear = panelDateParts(pl.PlannedEnd)
	for _, d := range pl.Days {
		f.Days = append(f.Days, strconv.Itoa(int(d)))
	}
	for _, ss := range pl.Sessions {
		f.Sessions = append(f.Sessions, string(ss))
	}
	if pl.HoursPerWeek > 0 {
		f.Hours = strconv.FormatFloat(pl.HoursPerWeek, 'f', -1, 64)
	}
	for _, d := range pl.ReviewDates {
		day, month, year := panelDateParts(d)
		f.Reviews = append(f.Reviews, [3]string{day, month, year})
	}
	for range planBlankReviews {
		f.Reviews = append(f.Reviews, [3]string{})
	}
	if pl.MonitoringOfficerID != 0 {
		f.Officer = itoa(pl.MonitoringOfficerID)
	}
	return f
}

// readPlanForm reads the posted form: the review dates are every review-N date input sent.
func readPlanForm(f url.Values) planForm {
	pf := planForm{EndDay: f.Get("planned_end-day"), EndMonth: f.Get("planned_end-month"), EndYear: f.Get("planned_end-year"),
		Days: f["days"], Sessions: f["sessions"], Hours: strings.TrimSpace(f.Get("hours")),
		Objectives: f.Get("objectives"), Reintegration: f.Get("reintegration"), Officer: f.Get("monitoring_officer")}
	for i := 1; i <= 60; i++ {
		p := "review-" + strconv.Itoa(i)
		if _, sent := f[p+"-day"]; !sent {
			break
		}
		pf.Reviews = append(pf.Reviews, [3]string{f.Get(p + "-day"), f.Get(p + "-month"), f.Get(p + "-year")})
	}
	return pf
}

// input reads the form into the plan it asks for, with the problems of what cannot be read.
func (pf planForm) input() (placement.PlanInput, components.Errors, []string) {
	var in placement.PlanInput
	var errs components.Errors
	end, msg, parts := stepDate("The planned end date", pf.EndDay, pf.EndMonth, pf.EndYear)
	if msg != "" {
		errs.AddAt(placement.FieldPlannedEnd, "planned_end-"+firstOr(parts, "day"), msg)
	}
	in.PlannedEnd = end
	for _, d := range pf.Days {
		n, err := strconv.Atoi(d)
		if err != nil {
			errs.AddAt(placement.FieldDays, "days", "Select days from Monday to Friday")
			break
		}
		in.Days = append(in.Days, time.Weekday(n))
	}
	for _, ss := range pf.Sessions {
		in.Sessions = append(in.Sessions, placement.Session(ss))
	}
	if pf.Hours != "" {
		v, err := planHours.Parse(pf.Hours)
		if err != nil {
			errs.Add(placement.FieldHours, err.Error())
		}
		in.HoursPerWeek = float64(v.Units) / 10
		if err == nil && v.Units == 0 {
			errs.Add(placement.FieldHours, "Enter the hours a week as more than 0, or leave it blank")
		}
	}
	in.Objectives, in.Reintegration = pf.Objectives, pf.Reintegration
	for i, d := range pf.Reviews {
		day, msg, parts := stepDate("Review "+strconv.Itoa(i+1), d[0], d[1], d[2])
		if msg != "" {
			errs.AddAt(placement.FieldReviewDates, "review-"+strconv.Itoa(i+1)+"-"+firstOr(parts, "day"), msg)
			continue
		}
		if !day.IsZero() {
			in.ReviewDates = append(in.ReviewDates, day)
		}
	}
	if pf.Officer != "" {
		id, err := strconv.ParseInt(pf.Officer, 10, 64)
		if err != nil || id <= 0 {
			errs.Add(placement.FieldMonitoringOfficer, "Select a CAP monitoring officer, or nobody in particular")
		}
		in.MonitoringOfficerID = id
	}
	return in, errs, parts
}

// placementPlanShow is the form that changes the placement's plan.
func (s *Server) placementPlanShow(w http.ResponseWriter, r *http.Request) {
	pl, access, ok := s.placementForPlan(w, r)
	if !ok {
		return
	}
	v, err := s.placementPlanForm(r.Context(), pl, access, planFormOf(pl))
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, pages.PlacementPlan(s.page(r, v.Heading), v))
}

// placementPlanSave saves the plan through placement.UpdatePlan, or shows the form again with what
// was typed and what to fix.
func (s *Server) placementPlanSave(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	pl, access, ok := s.placementForPlan(w, r)
	if !ok || !s.parseForm(w, r) {
		return
	}
	pf := readPlanForm(r.PostForm)
	in, errs, endParts := pf.input()
	if access == placement.ObjectivesOnly {
		// Only the objectives and reintegration plan are theirs: the rest is not read.
		in, errs, endParts = pl.PlanInput(), nil, nil
		in.Objectives, in.Reintegration = pf.Objectives, pf.Reintegration
	}
	if !errs.Any() {
		_, err := s.placements.UpdatePlan(ctx, placementActor(r), pl.ID, in)
		var ps input.Problems
		switch {
		case err == nil:
			s.flash(ctx, "The plan was saved")
			http.Redirect(w, r, placementHref(pl.ID), http.StatusSeeOther)
			return
		case errors.As(err, &ps):
			for _, p := range problemsOf(ps) {
				switch p.Field {
				case placement.FieldPlannedEnd:
					p.Anchor = "planned_end-day"
				case placement.FieldReviewDates:
					p.Anchor = "review-1-day"
				}
				errs = append(errs, p)
			}
		case errors.Is(err, placement.ErrNoPlanAccess):
			s.renderError(w, r, http.StatusForbidden, "You cannot change this plan", "A CAP admin or the placement’s monitoring officer changes its plan.")
			return
		default:
			s.failed(w, r, err)
			return
		}
	}
	if access == placement.ObjectivesOnly {
		pf = planFormOf(pl)
		pf.Objectives, pf.Reintegration = r.PostForm.Get("objectives"), r.PostForm.Get("reintegration")
	}
	v, err := s.placementPlanForm(ctx, pl, access, pf)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	v.Errors = errs.InOrder(pages.PlanFieldOrder)
	v.EndParts = endParts
	lp := s.page(r, v.Heading)
	lp.HasErrors = true
	s.render(w, r, http.StatusUnprocessableEntity, pages.PlacementPlan(lp, v))
}
