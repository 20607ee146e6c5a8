package placement_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/db"
	"github.com/coventry-cap/capportal/internal/directory"
	"github.com/coventry-cap/capportal/internal/input"
	"github.com/coventry-cap/capportal/internal/placement"
	"github.com/coventry-cap/capportal/internal/placement/placementtest"
)

func terms2627(t *testing.T) []calendar.Term {
	y, ok := calendar.LookupAcademicYear("2026/27")
	if !ok {
		t.Fatal("no 2026/27")
	}
	return y.Terms
}

func planProblemFields(ps input.Problems) string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Field)
	}
	return strings.Join(out, ",")
}

// Every default plan passes the plan's own rules, so CAP can always save a plan it did not change.
func TestEveryDefaultPlanPassesThePlanRules(t *testing.T) {
	sd, terms := schoolDays2627(t), terms2627(t)
	for start := d(2026, time.September, 2); start.Before(d(2027, time.July, 10)); start = start.AddDays(1) {
		if !sd.IsSchoolDay(start) {
			continue
		}
		for _, c := range []struct {
			kind  directory.Kind
			weeks int
		}{{directory.Refocus, 0}, {directory.Course, 12}, {directory.Course, 0}, {directory.Insight, 6}} {
			plan := placement.DefaultPlan(sd, terms, c.kind, start, []int32{2, 3}, 2, c.weeks)
			p := placement.Placement{Start: start, Kind: c.kind, Status: "active"}
			in := placement.PlanInput{PlannedEnd: plan.PlannedEnd, Days: []time.Weekday{time.Tuesday, time.Wednesday},
				Sessions: placement.Sessions, HoursPerWeek: plan.HoursPerWeek, ReviewDates: plan.ReviewDates}
			if ps := in.Problems(p, sd, terms, nil); len(ps) > 0 {
				t.Fatalf("%s %d weeks from %s: %v (reviews %v, end %s)", c.kind, c.weeks, start.Format(), ps, plan.ReviewDates, plan.PlannedEnd)
			}
		}
	}
}

func TestAPlanReviewsAtLeastEveryHalfTerm(t *testing.T) {
	sd, terms := schoolDays2627(t), terms2627(t)
	officers := []placement.Officer{{ID: 7, Name: "Mo"}}
	p := placement.Placement{Start: d(2026, time.October, 5), Status: "active"}
	good := placement.PlanInput{PlannedEnd: d(2027, time.February, 12), Days: []time.Weekday{time.Monday}, Sessions: []placement.Session{placement.Morning},
		HoursPerWeek: 2.5, ReviewDates: []calendar.Date{d(2026, time.October, 22), d(2026, time.December, 11), d(2027, time.February, 12)}, MonitoringOfficerID: 7}
	if ps := good.Problems(p, sd, terms, officers); len(ps) > 0 {
		t.Fatalf("a good plan: %v", ps)
	}
	for name, c := range map[string]struct {
		change func(*placement.PlanInput)
		fields string
		says   string
	}{
		"no review in the second half of autumn": {func(in *placement.PlanInput) {
			in.ReviewDates = []calendar.Date{d(2026, time.October, 22), d(2027, time.February, 12)}
		}, "review_dates", "none falls in the second half of the autumn term (2 November 2026 to 18 December 2026)"},
		"a review on a Saturday": {func(in *placement.PlanInput) { in.ReviewDates = append(in.ReviewDates, d(2026, time.November, 14)) },
			"review_dates", "is not a school day"},
		"a review after the end": {func(in *placement.PlanInput) { in.ReviewDates = append(in.ReviewDates, d(2027, time.March, 1)) },
			"review_dates", "after the planned end"},
		"the end before the start": {func(in *placement.PlanInput) {
			in.PlannedEnd = d(2026, time.October, 1)
			in.ReviewDates = nil
		}, "planned_end,review_dates", "on or after the start date"},
		"no days, no sessions, too many hours, someone not an officer": {func(in *placement.PlanInput) {
			in.Days, in.Sessions, in.HoursPerWeek, in.MonitoringOfficerID = nil, nil, 41, 8
		}, "days,sessions,hours,monitoring_officer", ""},
		"a Saturday":      {func(in *placement.PlanInput) { in.Days = []time.Weekday{time.Saturday} }, "days", ""},
		"long objectives": {func(in *placement.PlanInput) { in.Objectives = strings.Repeat("a", placement.MaxPlanText+1) }, "objectives", ""},
	} {
		in := good
		in.ReviewDates = append([]calendar.Date(nil), good.ReviewDates...)
		c.change(&in)
		ps := in.Problems(p, sd, terms, officers)
		if planProblemFields(ps) != c.fields || c.says != "" && !strings.Contains(ps.Error()+" "+ps[len(ps)-1].Message, c.says) {
			t.Errorf("%s: %q", name, ps)
		}
	}
	// Starting a week before half term: too soon to need a review before it.
	late := placement.Placement{Start: d(2026, time.October, 19), Status: "active"}
	in := good
	in.ReviewDates = []calendar.Date{d(2026, time.December, 11), d(2027, time.February, 12)}
	if ps := in.Problems(late, sd, terms, officers); len(ps) > 0 {
		t.Errorf("a start a week before half term: %v", ps)
	}
}

// CAP changes the whole plan in one audited transaction; the provider changes only the objectives
// and reintegration plan; another provider cannot find the placement, a school cannot change it.
func TestUpdatingAPlanByWhoMayChangeWhat(t *testing.T) {
	f := newFixture(t, time.Date(2026, time.November, 16, 9, 30, 0, 0, calendar.London()))
	id := placementtest.Create(t, f.pool, placementtest.Spec{Student: "Kai", Provider: "ridgeway", Start: d(2026, time.November, 2), Days: []int32{1, 2}})
	admin := f.as("admin@cap.example")
	p, err := f.store.Get(f.ctx, admin, id)
	if err != nil {
		t.Fatal(err)
	}
	officers, err := f.store.MonitoringOfficers(f.ctx)
	if err != nil || len(officers) == 0 {
		t.Fatalf("officers %v, %v", officers, err)
	}
	in := p.PlanInput()
	in.PlannedEnd = d(2027, time.February, 12)
	in.ReviewDates = []calendar.Date{d(2026, time.December, 11), d(2027, time.February, 12)}
	in.Days = []time.Weekday{time.Wednesday, time.Monday, time.Wednesday}
	in.Sessions = []placement.Session{placement.Morning}
	in.HoursPerWeek = 5
	in.Objectives = "  Gain the Level 1 certificate  "
	in.MonitoringOfficerID = officers[0].ID
	got, err := f.store.UpdatePlan(f.ctx, admin, id, in)
	if err != nil {
		t.Fatal(err)
	}
	if got.PlannedEnd != in.PlannedEnd || len(got.Days) != 2 || got.Days[0] != time.Monday || len(got.Sessions) != 1 || got.HoursPerWeek != 5 ||
		got.Objectives != "Gain the Level 1 certificate" || got.MonitoringOfficerID != officers[0].ID || len(got.ReviewDates) != 2 {
		t.Fatalf("saved %+v", got)
	}
	var summary string
	if err := f.pool.QueryRow(f.ctx, `SELECT summary FROM audit_log WHERE action = $1 AND subject_id = $2`, placement.ActionPlan, fmt.Sprint(p.ID)).Scan(&summary); err != nil ||
		!strings.Contains(summary, "planned end, days, sessions, hours a week, objectives, review dates, monitoring officer") {
		t.Errorf("audit %q, %v", summary, err)
	}

	// The provider's staff: the objectives change, the rest of what they send is ignored.
	staff := f.as(ridgewayStaff)
	try := got.PlanInput()
	try.Objectives, try.Reintegration = "Level 1 and a work placement", "Back to Whitmore three days a week from February"
	try.PlannedEnd, try.HoursPerWeek = d(2027, time.July, 1), 30
	byProvider, err := f.store.UpdatePlan(f.ctx, staff, id, try)
	if err != nil {
		t.Fatal(err)
	}
	if byProvider.Objectives != try.Objectives || byProvider.Reintegration != try.Reintegration || byProvider.PlannedEnd != got.PlannedEnd || byProvider.HoursPerWeek != 5 {
		t.Errorf("the provider's change: %+v", byProvider)
	}
	bad := byProvider.PlanInput()
	bad.ReviewDates = nil // not theirs to change, so not their problem either
	bad.Objectives = strings.Repeat("x", placement.MaxPlanText+1)
	var ps input.Problems
	if _, err := f.store.UpdatePlan(f.ctx, staff, id, bad); !errors.As(err, &ps) || planProblemFields(ps) != "objectives" {
		t.Errorf("the provider's long objectives: %v", err)
	}

	if _, err := f.store.UpdatePlan(f.ctx, f.as("staff@lumen.provider.example"), id, in); !errors.Is(err, db.ErrNotFound) {
		t.Errorf("another provider: %v", err)
	}
	if _, err := f.store.UpdatePlan(f.ctx, f.as(coordinator), id, in); !errors.Is(err, placement.ErrNoPlanAccess) {
		t.Errorf("the school: %v", err)
	}
	noReviews := in
	noReviews.ReviewDates = nil
	if _, err := f.store.UpdatePlan(f.ctx, admin, id, noReviews); !errors.As(err, &ps) || planProblemFields(ps) != "review_dates" {
		t.Errorf("no reviews: %v", err)
	}
}
