package ui

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/coventry-cap/capportal/internal/auth"
	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/placement"
	"github.com/coventry-cap/capportal/web/components"
	"github.com/coventry-cap/capportal/web/pages"
)

// Who uses the placement pages. The store scopes each placement further: a school its students', a
// provider its own learners, CAP all.
var (
	placementViewers = auth.AnyOf(auth.Coordinator, auth.Headteacher, auth.SchoolDSL,
		auth.CAPAdmin, auth.MonitoringOfficer, auth.CAPDSL, auth.ServiceLead, auth.ProviderStaff, auth.ProviderDSL)
	// The plan: CAP admins and monitoring officers, and provider staff for the objectives; the
	// handler asks placement.PlanAccessOf for this placement.
	planChangers = auth.AnyOf(auth.CAPAdmin, auth.MonitoringOfficer, auth.ProviderStaff)
	// Registers: a provider's staff, and CAP admins and monitoring officers standing in; the handler
	// asks placement.TakesRegisters for this provider.
	registerTakers = auth.AnyOf(auth.ProviderStaff, auth.CAPAdmin, auth.MonitoringOfficer)
)

func placementActor(r *http.Request) placement.Actor {
	return placement.Actor{Principal: auth.FromContext(r.Context()), RequestID: RequestID(r.Context())}
}

func placementHref(id int64) string { return "/placements/" + itoa(id) }

// registerHref is a register's address: /registers/12/2026-11-23/am.
func registerHref(providerID int64, day calendar.Date, s placement.Session) string {
	return "/registers/" + itoa(providerID) + "/" + day.String() + "/" + string(s)
}

// weekdayDate is "Monday 23 November 2026".
func weekdayDate(d calendar.Date) string { return d.Weekday().String() + " " + d.Format() }

// chartWeeks is how many school weeks a chart shows: the latest ones.
const chartWeeks = 12

// attendanceView shows attendance: its summary, and a chart and table of its latest weeks.
func attendanceView(id, heading string, a placement.Attendance) pages.AttendanceView {
	v := pages.AttendanceView{ID: id, Heading: heading, Empty: "No sessions have been recorded yet."}
	if a.Tally.Empty() {
		return v
	}
	rate := "No sessions recorded yet"
	if a.Percent() != "" {
		rate = fmt.Sprintf("%s (%d of %d sessions attended)", a.Percent(), a.Attended(), a.Recorded())
	}
	v.Summary = []components.SummaryRow{
		{Key: "Attendance rate", Value: rate},
		{Key: "Present", Value: strconv.Itoa(a.Present)},
		{Key: "Late", Value: strconv.Itoa(a.Late)},
		{Key: "Absent", Value: strconv.Itoa(a.Absent)},
		{Key: "No session at the provider", Value: sessionsText(a.NoSession) + " (not counted in the rate)"},
		{Key: "Not marked", Value: sessionsText(a.Unmarked) + " expected before today with no mark"},
	}
	weeks := a.Weeks
	if len(weeks) > chartWeeks {
		weeks = weeks[len(weeks)-chartWeeks:]
		v.Note = fmt.Sprintf("The chart and table show the latest %d school weeks.", chartWeeks)
	}
	for _, w := range weeks {
		r, _ := w.Rate()
		v.Weeks = append(v.Weeks, pages.AttendanceWeek{Short: w.Monday.Time().Format("2 Jan"), Long: "Week beginning " + w.Monday.Format(),
			Attended: w.Attended(), Recorded: w.Recorded(), NoSession: w.NoSession, Unmarked: w.Unmarked, Rate: w.Percent(), Percent: r * 100})
	}
	return v
}

func sessionsText(n int) string {
	if n == 1 {
		return "1 session"
	}
	return strconv.Itoa(n) + " sessions"
}

// markRow shows a mark with its code and what it replaced; correct is its correction form's
// address, empty for someone who does not take the provider's registers.
func markRow(m placement.Mark, history []placement.Change, correct bool, name string) pages.MarkRow {
	row := pages.MarkRow{Date: weekdayDate(m.Date), Session: m.Session.Label(), Mark: m.Text(), Code: m.Code, Meaning: placement.CodeMeaning(m.Code),
		Recorded: m.RecordedBy + ", " + components.FormatDateTime(m.RecordedAt),
		Label:    strings.TrimSpace(name + " " + strings.ToLower(m.Session.Label()) + " " + m.Date.Format())}
	if correct {
		row.CorrectHref = "/marks/" + itoa(m.ID) + "/correct"
	}
	for _, c := range history {
		row.History = append(row.History, pages.MarkChangeRow{Was: c.Was.Text(), Code: c.Was.Code,
			Recorded: c.Was.RecordedBy + " on " + components.FormatDateTime(c.Was.RecordedAt),
			Changed:  c.ReplacedBy + " on " + components.FormatDateTime(c.ReplacedAt), Reason: c.Reason})
	}
	return row
}

// sessionsLabel is "Morning and afternoon", "Morning only".
func sessionsLabel(ss []placement.Session) string {
	switch {
	case len(ss) == 2:
		return "Morning and afternoon"
	case len(ss) == 1:
		return ss[0].Label() + " only"
	}
	return "None"
}

// statusTag is the placement's status on day and its tag colour.
func statusTag(p placement.Placement, day calendar.Date) (string, string) {
	text := p.StatusOn(day)
	switch {
	case text == "Active":
		return text, "green"
	case strings.HasPrefix(text, "Starts"):
		return text, "blue"
	}
	return text, "grey"
}
