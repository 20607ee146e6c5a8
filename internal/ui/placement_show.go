package ui

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/coventry-cap/capportal/internal/auth"
	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/directory"
	"github.com/coventry-cap/capportal/internal/placement"
	"github.com/coventry-cap/capportal/web/components"
	"github.com/coventry-cap/capportal/web/pages"
)

// placementMarks is how many of its latest marks the placement page shows.
const placementMarks = 40

// placementShow is a placement's page: everything its plan records, its attendance by school week
// and its latest marks with their DfE codes and corrections. The view is audited before anything
// is shown; a placement outside the person's scope is a 404.
func (s *Server) placementShow(w http.ResponseWriter, r *http.Request) {
	pl, ok := load(s, w, r, "id", func(ctx context.Context, id int64) (placement.Placement, error) {
		return s.placements.View(ctx, placementActor(r), id, "page")
	})
	if !ok {
		return
	}
	v, err := s.placementPageView(r, pl)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	// Reviews, incidents and meetings: the monitoring at a glance, with the way to record them.
	mon, err := s.placementMonitoringSection(r, pl)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	v.Sections = append(v.Sections, pages.PlacementSection{ID: "monitoring", Body: pages.PlacementMonitoringSection(mon)})
	// Change of day, withdrawal and the outcome: the requests and the way to make them.
	changes, err := s.ChangesAndEndingsSection(r, pl)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	v.Sections = append(v.Sections, pages.PlacementSection{ID: "changes", Body: pages.PlacementChangesAndEndings(changes)})
	s.render(w, r, http.StatusOK, pages.PlacementPage(s.page(r, pl.StudentName+" at "+pl.ProviderName), v))
}

// placementPageView gathers the placement page.
func (s *Server) placementPageView(r *http.Request, pl placement.Placement) (pages.PlacementPageView, error) {
	ctx := r.Context()
	p := auth.FromContext(ctx)
	today := calendar.Today(s.Clock)
	status, colour := statusTag(pl, today)
	v := pages.PlacementPageView{Heading: pl.StudentName, Caption: "Placement at " + pl.ProviderName, Status: status, Colour: colour}

	student := components.SummaryRow{Key: "Student", Value: pl.StudentName}
	if studentViewers.Allows(p) {
		student.ValueHTML = pages.DirectoryLink("/students/"+itoa(pl.StudentID), pl.StudentName)
	}
	v.Details = []components.SummaryRow{student,
		{Key: "Year group", Value: "Year " + strconv.Itoa(pl.YearGroup)},
		{Key: "School", Value: pl.SchoolName},
		{Key: "Training provider", Value: pl.ProviderName},
		{Key: "Programme", Value: pl.Programme},
	}
	cohort, err := s.placements.CohortName(ctx, pl)
	if err != nil {
		return v, err
	}
	if cohort != "" {
		v.Details = append(v.Details, components.SummaryRow{Key: "Cohort", Value: cohort})
	}
	if pl.Reference != "" {
		v.Details = append(v.Details, components.SummaryRow{Key: "Referral", ValueHTML: pages.DirectoryLink("/referrals/"+pl.Reference, pl.Reference)})
	}

	sd, err := s.calendar.SchoolDays(ctx)
	if err != nil {
		return v, err
	}
	v.Plan = placementPlanRows(pl, sd, today)
	switch placement.PlanAccessOf(p, pl) {
	case placement.WholePlan:
		v.PlanHref, v.PlanLink = placementHref(pl.ID)+"/plan", "Change the plan"
	case placement.ObjectivesOnly:
		v.PlanHref, v.PlanLink = placementHref(pl.ID)+"/plan", "Change the objectives and reintegration plan"
	}

	att, err := s.placements.AttendanceOf(ctx, pl)
	if err != nil {
		return v, err
	}
	v.Attendance = attendanceView("attendance", "Attendance", att)

	marks, err := s.placements.RecentMarks(ctx, []placement.Placement{pl}, placementMarks+1)
	if err != nil {
		return v, err
	}
	if len(marks) > placementMarks {
		marks = marks[:placementMarks]
		v.MarksNote = fmt.Sprintf("The latest %d marks are shown.", placementMarks)
	}
	histories, err := s.placements.Histories(ctx, marks)
	if err != nil {
		return v, err
	}
	v.ShowCorrect = placement.TakesRegisters(p, pl.ProviderID)
	for _, m := range marks {
		v.Marks = append(v.Marks, markRow(m, histories[m.ID], v.ShowCorrect, pl.StudentName))
	}
	return v, nil
}

// placementPlanRows show what the placement agreed: its dates, days and sessions, hours, objectives,
// reintegration plan, reviews, monitoring officer, and for Refocus and Focus 11 the phase today.
func placementPlanRows(pl placement.Placement, sd calendar.SchoolDays, today calendar.Date) []components.SummaryRow {
	end := "Not agreed"
	if !pl.PlannedEnd.IsZero() {
		end = pl.PlannedEnd.Format()
	}
	hours := "Not recorded"
	if pl.HoursPerWeek > 0 {
		hours = strconv.FormatFloat(pl.HoursPerWeek, 'f', -1, 64)
	}
	var reviews []string
	for _, d := range pl.ReviewDates {
		reviews = append(reviews, weekdayDate(d))
	}
	officer := "Any CAP monitoring officer (none assigned)"
	if pl.MonitoringOfficerName != "" {
		officer = pl.MonitoringOfficerName
	}
	rows := []components.SummaryRow{
		{Key: "Start date", Value: weekdayDate(pl.Start)},
		{Key: "Planned end date", Value: end},
	}
	if !pl.EndedOn.IsZero() {
		rows = append(rows, components.SummaryRow{Key: "Ended on", Value: pl.EndedOn.Format()})
	}
	rows = append(rows,
		components.SummaryRow{Key: "Days", Value: orText(directory.DaysText(pl.Days), "None")},
		components.SummaryRow{Key: "Sessions", Value: sessionsLabel(pl.Sessions)},
		components.SummaryRow{Key: "Hours a week", Value: hours},
		components.SummaryRow{Key: "Objectives", Value: orText(pl.Objectives, "Not recorded yet")},
		components.SummaryRow{Key: "Reintegration plan", Value: orText(pl.Reintegration, "Not recorded yet")},
		components.SummaryRow{Key: "Review dates", Value: orText(strings.Join(reviews, ", "), "None set")},
		components.SummaryRow{Key: "Monitoring officer", Value: officer},
	)
	if pl.Refocus() {
		rows = append(rows, components.SummaryRow{Key: "Phase", Value: pl.Phase(sd, today).Text()})
	}
	return rows
}
