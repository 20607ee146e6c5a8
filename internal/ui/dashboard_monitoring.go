package ui

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/coventry-cap/capportal/internal/auth"
	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/placement"
	"github.com/coventry-cap/capportal/web/components"
	"github.com/coventry-cap/capportal/web/pages"
)

// The monitoring parts of the dashboard: the monitoring officer's day (registers missing after their
// cut-off, unexplained absences, attendance below 90% this half term, overdue reviews), the registers
// a provider takes today, a coordinator's students' unexplained absences, and everyone's meeting
// actions due. One read (placement.Store.Watch), audited when it names students.

// watchFor is what the principal's roles need from the placements' day at now.
func (s *Server) watchFor(p *auth.Principal, now time.Time) placement.WatchFor {
	var w placement.WatchFor
	if p.Has(auth.MonitoringOfficer) {
		// The registers missing: those of the sessions whose cut-off has passed.
		w = placement.WatchFor{MissingRegisters: s.cutoffs.PassedSessions(now), Absences: true, LowAttendance: true, OverdueReviews: true}
	}
	if p.Has(auth.ProviderStaff) {
		w.Registers = true
	}
	if p.Has(auth.Coordinator) {
		w.Absences = true
	}
	// Anyone can own an action agreed at a meeting.
	w.Actions = true
	return w
}

// monitoringSections are the dashboard's monitoring sections for the principal, in the order of the
// page: the officer's, then the provider's registers, then a coordinator's absences, then actions.
func (s *Server) monitoringSections(r *http.Request) ([]pages.DashboardSection, error) {
	ctx := r.Context()
	p := auth.FromContext(ctx)
	w, err := s.placements.Watch(ctx, placement.Actor{Principal: p, RequestID: RequestID(ctx)}, s.watchFor(p, s.Clock.Now()))
	if err != nil {
		return nil, err
	}
	var out []pages.DashboardSection
	if p.Has(auth.MonitoringOfficer) {
		out = append(out, s.missingRegistersSection(w), absencesSection(w, "Unexplained absences today"),
			lowAttendanceSection(w), overdueReviewsSection(w))
	}
	if p.Has(auth.ProviderStaff) {
		for _, m := range p.OrgsWith(auth.ProviderStaff) {
			out = append(out, s.registersToTakeSection(w, m.OrgID, m.OrgName))
		}
	}
	if p.Has(auth.Coordinator) && !p.Has(auth.MonitoringOfficer) {
		out = append(out, absencesSection(w, "Your students’ unexplained absences today"))
	}
	if len(w.Actions) > 0 || p.HasAny(auth.MonitoringOfficer, auth.ProviderStaff, auth.Coordinator) {
		out = append(out, actionsSection(w))
	}
	return out, nil
}

// shownOf says how many of a list are shown when it is longer than the dashboard shows.
func shownOf(shown, total int) []string {
	if total > shown {
		return []string{"The first " + strconv.Itoa(shown) + " of " + strconv.Itoa(total) + ":"}
	}
	return nil
}

// cappedShownOf is shownOf for a count that stops at limit+1: the count as the page says it ("More
// than 99" beyond the limit) and the line before the rows when some are not shown.
func cappedShownOf(shown, total, limit int) (string, []string) {
	count := strconv.Itoa(total)
	if total > limit {
		count = "More than " + strconv.Itoa(limit)
	}
	if total <= shown {
		return count, nil
	}
	return count, []string{"The first " + strconv.Itoa(shown) + " of " + strings.ToLower(count[:1]) + count[1:] + ":"}
}

func placementLink(ref placement.Ref, what string) []components.Action {
	return []components.Action{{Href: placement.PlacementPath(ref.PlacementID), Text: "Open", VisuallyHidden: what}}
}

// missingRegistersSection is today's registers not taken by their session's cut-off, across providers.
func (s *Server) missingRegistersSection(w placement.Watch) pages.DashboardSection {
	sec := pages.DashboardSection{Heading: "Registers missing today"}
	due := "Morning registers are due by " + s.cutoffs.Label(placement.Morning) + " and afternoon registers by " + s.cutoffs.Label(placement.Afternoon) + "."
	if !w.SchoolDay {
		sec.Paragraph = []string{"Today is not a school day: no registers are expected."}
		return sec
	}
	if w.MissingCount == 0 {
		sec.Paragraph = []string{"No register is missing: every register due so far today has been taken. " + due}
		return sec
	}
	sec.Paragraph = append([]string{strconv.Itoa(w.MissingCount) + " " + plural(w.MissingCount, "register was", "registers were") +
		" not taken by the cut-off. The provider’s staff and the monitoring officers have been alerted. " + due},
		shownOf(len(w.Missing), w.MissingCount)...)
	missing := w.Missing // the first, by provider name and session
	tbl := components.TableProps{Caption: "Registers not taken by the cut-off", CaptionSize: "s", Head: []components.TableHeader{
		{Text: "Provider"}, {Text: "Session"}, {Text: "Learners expected", Numeric: true}, {Text: "Register"}}}
	for _, reg := range missing {
		tbl.Rows = append(tbl.Rows, []components.TableCell{
			{Text: reg.ProviderName, Header: true},
			{HTML: pages.DashboardFlagged(reg.Session.Label()+", due by "+s.cutoffs.Label(reg.Session), "Not taken", "red")},
			{Text: strconv.Itoa(reg.Expected), Numeric: true},
			{HTML: pages.DashboardLink("Open the register", reg.Path(), "of "+reg.ProviderName+", "+strings.ToLower(reg.Session.Label()))},
		})
	}
	sec.Tables = []components.TableProps{tbl}
	return sec
}

// absencesSection is today's unexplained absences the viewer may see.
func absencesSection(w placement.Watch, heading string) pages.DashboardSection {
	sec := pages.DashboardSection{Heading: heading}
	if w.AbsenceCount == 0 {
		sec.Paragraph = []string{"No learner has been marked absent with no known reason today."}
		return sec
	}
	sec.Paragraph = append([]string{strconv.Itoa(w.AbsenceCount) + " " + plural(w.AbsenceCount, "learner was", "learners were") +
		" marked absent with no known reason today (code O). Follow each up with the school and the family today."},
		shownOf(len(w.Absences), w.AbsenceCount)...)
	for _, a := range w.Absences {
		sec.Rows = append(sec.Rows, components.SummaryRow{Key: a.StudentName,
			Value:   a.SchoolName + ": absent from " + a.ProviderName + " this " + strings.ToLower(a.Session.Label()),
			Actions: placementLink(a.Ref, "the placement of "+a.StudentName)})
	}
	return sec
}

// lowAttendanceSection is the placements below 90% this half term, lowest first.
func lowAttendanceSection(w placement.Watch) pages.DashboardSection {
	sec := pages.DashboardSection{Heading: "Attendance below " + strconv.Itoa(placement.LowAttendancePercent) + "% this half term"}
	if w.HalfTerm.IsZero() {
		sec.Paragraph = []string{"It is not term time: there is no half term to count."}
		return sec
	}
	since := "Since " + w.HalfTerm.From.Weekday().String() + " " + w.HalfTerm.From.Format() + ", " + w.HalfTerm.Name() +
		": sessions attended (present or late) of the sessions recorded; sessions the provider did not run are not counted."
	if w.LowAttendanceCount == 0 {
		sec.Paragraph = []string{since, "No placement is below " + strconv.Itoa(placement.LowAttendancePercent) + "%."}
		return sec
	}
	count, shown := cappedShownOf(len(w.LowAttendance), w.LowAttendanceCount, placement.LowAttendanceCountCap)
	sec.Paragraph = append([]string{since}, shown...)
	tbl := components.TableProps{Caption: count + " " + plural(w.LowAttendanceCount, "placement", "placements") +
		" below " + strconv.Itoa(placement.LowAttendancePercent) + "%, lowest first", CaptionSize: "s",
		Head: []components.TableHeader{{Text: "Student"}, {Text: "School"}, {Text: "Provider"}, {Text: "Sessions attended", Numeric: true}, {Text: "Attendance", Numeric: true}}}
	for _, a := range w.LowAttendance {
		tbl.Rows = append(tbl.Rows, []components.TableCell{
			{HTML: pages.DashboardLink(a.StudentName, placement.PlacementPath(a.PlacementID), "(placement at "+a.ProviderName+")"), Header: true},
			{Text: a.SchoolName},
			{Text: a.ProviderName},
			{Text: strconv.Itoa(a.Attended) + " of " + strconv.Itoa(a.Recorded), Numeric: true},
			{Text: strconv.Itoa(a.Percent()) + "%", Numeric: true},
		})
	}
	sec.Tables = []components.TableProps{tbl}
	return sec
}

// overdueReviewsSection is the review dates passed with no progress review held.
func overdueReviewsSection(w placement.Watch) pages.DashboardSection {
	sec := pages.DashboardSection{Heading: "Progress reviews overdue"}
	if w.OverdueReviewCount == 0 {
		sec.Paragraph = []string{"No progress review is overdue."}
		return sec
	}
	count, shown := cappedShownOf(len(w.OverdueReviews), w.OverdueReviewCount, placement.OverdueReviewCountCap)
	sec.Paragraph = append([]string{count + " " + plural(w.OverdueReviewCount, "review date has", "review dates have") +
		" passed with no progress review recorded (a review held up to " + strconv.Itoa(placement.ReviewEarlyDays) + " days before its date counts for it), earliest first."},
		shown...)
	for _, rv := range w.OverdueReviews {
		sec.Rows = append(sec.Rows, components.SummaryRow{Key: rv.StudentName,
			Value:   rv.ProviderName + ": review due on " + rv.DueOn.Weekday().String() + " " + rv.DueOn.Format(),
			Actions: placementLink(rv.Ref, "the placement of "+rv.StudentName)})
	}
	return sec
}

// registersToTakeSection is the provider's registers today: each session with learners expected, how
// many, and whether it is taken.
func (s *Server) registersToTakeSection(w placement.Watch, providerID int64, providerName string) pages.DashboardSection {
	sec := pages.DashboardSection{Heading: "Today’s registers at " + providerName}
	if !w.SchoolDay {
		sec.Paragraph = []string{"Today is not a school day: no registers are taken."}
		return sec
	}
	var regs []placement.RegisterDue
	for _, reg := range w.Registers {
		if reg.ProviderID == providerID {
			regs = append(regs, reg)
		}
	}
	if len(regs) == 0 {
		sec.Paragraph = []string{"No learner is expected at " + providerName + " today."}
		return sec
	}
	sec.Paragraph = []string{"Take each register by its cut-off: the morning’s by " + s.cutoffs.Label(placement.Morning) +
		", the afternoon’s by " + s.cutoffs.Label(placement.Afternoon) + ". A register not taken by then alerts your team and CAP."}
	now := s.Clock.Now()
	tbl := components.TableProps{Caption: w.Day.Weekday().String() + " " + w.Day.Format(), CaptionSize: "s",
		Head: []components.TableHeader{{Text: "Session"}, {Text: "Learners expected", Numeric: true}, {Text: "Register"}, {Text: "Action"}}}
	for _, reg := range regs {
		state := pages.DashboardFlagged("Not taken, due by "+s.cutoffs.Label(reg.Session), "", "")
		link := "Take the register"
		switch {
		case reg.Taken():
			state = pages.DashboardFlagged("Taken at "+reg.TakenAt.In(calendar.London()).Format("15:04")+" by "+reg.TakenBy, "", "")
			link = "View the register"
		case s.cutoffs.Passed(now, reg.Session):
			state = pages.DashboardFlagged("Not taken", "Overdue", "red")
		}
		tbl.Rows = append(tbl.Rows, []components.TableCell{
			{Text: reg.Session.Label(), Header: true},
			{Text: strconv.Itoa(reg.Expected), Numeric: true},
			{HTML: state},
			{HTML: pages.DashboardLink(link, reg.Path(), "for the "+strings.ToLower(reg.Session.Label()))},
		})
	}
	sec.Tables = []components.TableProps{tbl}
	return sec
}

// actionsSection is the viewer's own meeting actions, not done, due within the week or overdue.
func actionsSection(w placement.Watch) pages.DashboardSection {
	sec := pages.DashboardSection{Heading: "Your meeting actions due"}
	if w.ActionCount == 0 {
		sec.Paragraph = []string{"You have no actions from attendance or behaviour meetings due in the next " + strconv.Itoa(placement.ActionsDueDays) + " days."}
		return sec
	}
	overdue := 0
	for _, a := range w.Actions {
		if a.Overdue(w.Day) {
			overdue++
		}
	}
	text := strconv.Itoa(w.ActionCount) + " " + plural(w.ActionCount, "action", "actions") + " agreed at meetings " +
		plural(w.ActionCount, "is", "are") + " yours to do in the next " + strconv.Itoa(placement.ActionsDueDays) + " days or overdue, earliest first."
	if overdue > 0 {
		text += " " + strconv.Itoa(overdue) + " " + plural(overdue, "is", "are") + " overdue."
	}
	sec.Paragraph = append([]string{text}, shownOf(len(w.Actions), w.ActionCount)...)
	for _, a := range w.Actions {
		about := "Meeting"
		switch a.MeetingKind {
		case "attendance":
			about = "Attendance meeting"
		case "behaviour":
			about = "Behaviour meeting"
		}
		if a.StudentName != "" {
			about += " about " + a.StudentName
		}
		about += " at " + a.ProviderName
		tag := ""
		if a.Overdue(w.Day) {
			tag = "Overdue"
		}
		row := components.SummaryRow{Key: "Due " + a.DueOn.Weekday().String() + " " + a.DueOn.Format(),
			ValueHTML: pages.DashboardFlagged(a.Action+" ("+about+")", tag, "red")}
		if a.StudentName != "" {
			row.Actions = placementLink(a.Ref, "the placement for the action "+strconv.Quote(a.Action))
		}
		sec.Rows = append(sec.Rows, row)
	}
	return sec
}
