package ui

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/coventry-cap/capportal/internal/auth"
	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/input"
	"github.com/coventry-cap/capportal/internal/pathway"
	"github.com/coventry-cap/capportal/internal/placement"
	"github.com/coventry-cap/capportal/web/components"
	"github.com/coventry-cap/capportal/web/pages"
)

// Who uses the changes-and-endings pages (issue 12); each store call scopes further.
var (
	// Anyone who sees placements: a school's staff, a provider's staff, CAP's staff.
	requestViewers = auth.AnyOf(auth.Coordinator, auth.Headteacher, auth.SchoolDSL, auth.ProviderStaff, auth.ProviderDSL,
		auth.CAPAdmin, auth.MonitoringOfficer, auth.CAPDSL, auth.ServiceLead)
	// The two sides of a placement: the school's coordinators and headteachers, the provider's staff.
	placementSides = auth.AnyOf(auth.Coordinator, auth.Headteacher, auth.ProviderStaff)
	// The school's representatives, who submit a change of day.
	schoolReps = auth.AnyOf(auth.Coordinator, auth.Headteacher)
	// Who may cancel a request: either side while it is prepared, CAP until it is done.
	requestCancellers = auth.AnyOf(auth.Coordinator, auth.Headteacher, auth.ProviderStaff, auth.CAPAdmin)
	// Who records the meeting before a withdrawal: either side, CAP's admins and Monitoring Officers.
	withdrawalMeetingRecorders = auth.AnyOf(auth.Coordinator, auth.Headteacher, auth.ProviderStaff, auth.CAPAdmin, auth.MonitoringOfficer)
	// Who records qualifications: the provider's staff and CAP.
	qualificationRecorders = auth.AnyOf(auth.ProviderStaff, auth.CAPAdmin, auth.MonitoringOfficer)
	// Who records a post-16 destination: the school and CAP.
	destinationRecorders = auth.AnyOf(auth.Coordinator, auth.Headteacher, auth.CAPAdmin, auth.MonitoringOfficer)
	// Who records the hours at the home school: the school and CAP's admins.
	timetableRecorders = auth.AnyOf(auth.Coordinator, auth.Headteacher, auth.CAPAdmin)
	// The NEET-risk list: CAP's staff and the schools' coordinators and headteachers.
	neetViewers = auth.AnyOf(auth.Coordinator, auth.Headteacher, auth.CAPAdmin, auth.MonitoringOfficer, auth.CAPDSL, auth.ServiceLead)
	// The census: CAP's staff for every school, a school's coordinators and headteachers for their own.
	censusViewers   = auth.AnyOf(auth.Coordinator, auth.Headteacher, auth.CAPAdmin, auth.MonitoringOfficer, auth.CAPDSL, auth.ServiceLead)
	censusRecorders = auth.AnyOf(auth.Coordinator, auth.Headteacher, auth.CAPAdmin)
)

// forbiddenStart refuses a change or a withdrawal to someone who is neither side of the placement.
var forbiddenStart = &pathway.Refusal{Reason: "Only the school or the training provider of the placement asks for a change of day or a withdrawal.",
	Do: "Ask the school’s CAP coordinator or the provider to start it.", Forbidden: true}

// backToPlacement links to the placement's page.
func backToPlacement(id int64) pages.Link {
	return pages.Link{Text: "Back to the placement", Href: placementHref(id)}
}

// refuseRequest answers an error of a change or ending: the refusal page for a rule that refused
// it (403 for someone who may never, 409 for not now), 404 or 500 otherwise. It reports whether it
// answered; input.Problems are for the caller to show on its form.
func (s *Server) refuseRequest(w http.ResponseWriter, r *http.Request, title string, back pages.Link, err error) bool {
	var refusal *pathway.Refusal
	v := pages.RequestRefusalView{Title: title, Back: back}
	status := http.StatusConflict
	switch {
	case err == nil:
		return false
	case errors.As(err, &refusal):
		v.Reason, v.Checks, v.Do = refusal.Reason, refusal.Checks, refusal.Do
		if refusal.Forbidden {
			status = http.StatusForbidden
		}
	case errors.Is(err, placement.ErrRequestUnderWay):
		v.Reason = "A request of this kind is already under way for this placement."
		v.Do = "Carry on with that request, or cancel it before you start another."
	case errors.Is(err, placement.ErrPlacementEnded):
		v.Reason = "This placement has ended."
		v.Do = "Nothing more can be asked about it: its history is kept."
	case errors.Is(err, placement.ErrNotYear11):
		v.Reason = "Post-16 destinations are recorded for students in Year 11."
		v.Do = "Go back to the student."
	default:
		return s.failed(w, r, err)
	}
	s.render(w, r, status, pages.RequestRefusal(s.page(r, "You cannot do this now"), v))
	return true
}

// problemsIn reports whether err is a form's problems, and adds them to errs.
func problemsIn(err error, errs *components.Errors) bool {
	var ps input.Problems
	if !errors.As(err, &ps) {
		return false
	}
	*errs = append(*errs, problemsOf(ps)...)
	return true
}

// dateField reads a GOV.UK date input named prefix into a date, adding its problem to errs; all
// empty is the zero date with no problem.
func dateField(r *http.Request, prefix, label string, errs *components.Errors) (d calendar.Date, day, month, year string, parts []string) {
	day, month, year = r.PostForm.Get(prefix+"-day"), r.PostForm.Get(prefix+"-month"), r.PostForm.Get(prefix+"-year")
	d, msg, parts := stepDate(label, day, month, year)
	if msg != "" {
		errs.AddAt(prefix, prefix+"-"+firstOr(parts, "day"), msg)
	}
	return d, day, month, year, parts
}

// dateAnchors points the summary links of a domain's date problems at the date's first part.
func dateAnchors(errs components.Errors, prefixes ...string) components.Errors {
	for i, e := range errs {
		for _, p := range prefixes {
			if e.Field == p && e.Anchor == "" {
				errs[i].Anchor = p + "-day"
			}
		}
	}
	return errs
}

// signed describes who did something and when: "by Hannah Okafor on 20 November 2026 at 10:00am".
func signed(s placement.Signed) string {
	if !s.Done() {
		return ""
	}
	return "by " + s.By + " on " + components.FormatDateTime(s.At)
}

// requestTag is a request status's tag colour.
func requestTag(st placement.RequestStatus) string {
	switch st {
	case placement.Open:
		return "blue"
	case placement.Submitted:
		return "yellow"
	case placement.Applied, placement.Processed:
		return "green"
	}
	return "grey"
}

// step is one of the seven steps, done or not.
func step(text string, done bool, detail string) pages.RequestStep {
	if done {
		return pages.RequestStep{Text: text, Status: "Done", Colour: "green", Detail: detail}
	}
	return pages.RequestStep{Text: text, Status: "To do", Colour: "grey"}
}

// placementRows are what the request pages say about the placement.
func placementRows(p placement.Placement, today calendar.Date) []components.SummaryRow {
	return []components.SummaryRow{
		{Key: "School", Value: p.SchoolName},
		{Key: "Training provider", Value: p.ProviderName},
		{Key: "Programme", Value: p.Programme},
		{Key: "Started", Value: p.Start.Format()},
		{Key: "Days now", Value: p.PatternOn(today).Text()},
		{Key: "Status", Value: p.StatusOn(today)},
	}
}

// weekdayChoices are Monday to Friday as checkboxes, checked as given.
func weekdayChoices(checked []time.Weekday) []components.Choice {
	var out []components.Choice
	for _, d := range placement.Weekdays {
		c := components.Choice{Value: strconv.Itoa(int(d)), Label: d.String()}
		for _, x := range checked {
			c.Checked = c.Checked || x == d
		}
		out = append(out, c)
	}
	return out
}

// sessionChoices are the morning and afternoon as checkboxes.
func sessionChoices(checked []placement.Session) []components.Choice {
	var out []components.Choice
	for _, s := range placement.Sessions {
		c := components.Choice{Value: string(s), Label: s.Label()}
		for _, x := range checked {
			c.Checked = c.Checked || x == s
		}
		out = append(out, c)
	}
	return out
}

// formWeekdays reads the days ticked; a value that is not a weekday number stays, as a day the
// store refuses.
func formWeekdays(vals []string) []time.Weekday {
	var out []time.Weekday
	for _, v := range vals {
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil {
			n = -1
		}
		out = append(out, time.Weekday(n))
	}
	return out
}

func formSessions(vals []string) []placement.Session {
	var out []placement.Session
	for _, v := range vals {
		out = append(out, placement.Session(v))
	}
	return out
}

// ChangesAndEndingsSection builds the placement page's "Changes and endings" section
// (pages.PlacementChangesAndEndings) for the person asking: the placement's requests, the days it ran
// on, its outcome and qualifications, and links to start what they may. The caller has read the
// placement with placements.View, which audited the page.
func (s *Server) ChangesAndEndingsSection(r *http.Request, p placement.Placement) (pages.ChangesAndEndingsView, error) {
	var v pages.ChangesAndEndingsView
	ctx, a := r.Context(), placementActor(r)
	today := calendar.DateOf(s.Clock.Now())
	changes, err := s.placements.ChangesOf(ctx, a, p.ID)
	if err != nil {
		return v, err
	}
	withdrawals, err := s.placements.WithdrawalsOf(ctx, a, p.ID)
	if err != nil {
		return v, err
	}
	ending, err := s.placements.EndingOf(ctx, a, p.ID)
	if err != nil {
		return v, err
	}
	openChange, openWithdrawal := false, false
	for _, c := range changes {
		rs := pages.RequestSummary{Text: "Change of day: " + c.Current.Text() + " to " + c.Asked.Text(), Href: c.URL(),
			Status: c.Status.Label(), StatusColour: requestTag(c.Status)}
		switch {
		case c.Status == placement.Applied:
			rs.Detail = "Applied from " + c.EffectiveFrom.Format()
		case c.Status == placement.Submitted && c.Late(today):
			rs.Detail, rs.StatusColour = "Late: due "+c.Due.Format(), "red"
		case c.Status == placement.Submitted:
			rs.Detail = "Due " + c.Due.Format()
		}
		openChange = openChange || c.Status.UnderWay()
		v.Requests = append(v.Requests, rs)
	}
	for _, w := range withdrawals {
		rs := pages.RequestSummary{Text: "Withdrawal asked by " + strings.ToLower(w.Side.Label()), Href: w.URL(),
			Status: w.Status.Label(), StatusColour: requestTag(w.Status)}
		switch {
		case w.Status == placement.Processed:
			rs.Detail = "Last day " + w.LastDay.Format()
		case w.Status == placement.Submitted && w.Late(today):
			rs.Detail, rs.StatusColour = "Late: due "+w.Due.Format(), "red"
		case w.Status == placement.Submitted:
			rs.Detail = "Due " + w.Due.Format()
		}
		openWithdrawal = openWithdrawal || (w.Status.UnderWay() && w.Placement.ID == p.ID)
		v.Requests = append(v.Requests, rs)
	}
	if len(p.DayChanges) > 0 {
		v.Days = append(v.Days, "From "+p.Start.Format()+": "+(placement.Pattern{Days: p.DayChanges[0].PreviousDays, Sessions: p.DayChanges[0].PreviousSessions}).Text())
		for _, c := range p.DayChanges {
			v.Days = append(v.Days, "From "+c.From.Format()+": "+(placement.Pattern{Days: c.Days, Sessions: c.Sessions}).Text())
		}
	}
	if ending.Outcome != "" {
		v.Outcome = append(v.Outcome, components.SummaryRow{Key: "Outcome", Value: ending.Outcome.Label()})
		if !p.EndedOn.IsZero() {
			v.Outcome = append(v.Outcome, components.SummaryRow{Key: "Last day", Value: p.EndedOn.Format()})
		}
		if ending.Notes != "" {
			v.Outcome = append(v.Outcome, components.SummaryRow{Key: "Notes", Value: ending.Notes})
		}
	}
	for _, q := range ending.Qualifications {
		v.Qualifications = append(v.Qualifications, qualificationText(q))
	}
	running := p.Status == "active" && (p.EndedOn.IsZero() || !p.EndedOn.Before(today))
	if _, side := placement.SideOf(a.Principal, p); side && running {
		if !openChange {
			v.Links = append(v.Links, pages.Link{Text: "Request a change of day", Href: placementHref(p.ID) + "/change-of-day"})
		}
		if !openWithdrawal {
			v.Links = append(v.Links, pages.Link{Text: "Request a withdrawal", Href: placementHref(p.ID) + "/withdraw"})
		}
	}
	outcome := "See the outcome and qualifications"
	if placement.MayRecordOutcome(a.Principal) && ending.Outcome == "" {
		outcome = "Record the outcome"
	}
	v.Links = append(v.Links, pages.Link{Text: outcome, Href: placementHref(p.ID) + "/outcome"})
	return v, nil
}

// qualificationText describes a qualification: "Award in Motor Vehicle Maintenance, Level 1 (IMI)".
func qualificationText(q placement.Qualification) string {
	t := q.Name
	if q.Level != "" {
		t += ", " + q.Level
	}
	if q.AwardingBody != "" {
		t += " (" + q.AwardingBody + ")"
	}
	return t
}

// hoursSection builds a student's "Hours a week" section from their timetable: the form for those
// who record the home-school hours, kept as typed when form is set.
func (s *Server) hoursSection(r *http.Request, t placement.Timetable, form *hoursForm) pages.HoursView {
	today := calendar.DateOf(s.Clock.Now())
	p := auth.FromContext(r.Context())
	v := pages.HoursView{CanRecord: placement.MayRecordTimetable(p, t.SchoolID), Action: "/students/" + itoa(t.StudentID) + "/hours"}
	for _, ph := range t.Placements {
		hours := placement.FormatHours(ph.Hours)
		if ph.FromSessions {
			hours += " (2.5 a session)"
		}
		v.Rows = append(v.Rows, []components.TableCell{{Text: ph.Placement.ProviderName + ": " + ph.Placement.Programme, Header: true},
			{Text: ph.Placement.PatternOn(today).Text()}, {Text: hours, Numeric: true}})
	}
	home := "Not recorded by the school"
	if t.HomeRecorded {
		home = placement.FormatHours(t.HomeSchoolHours)
	}
	v.Summary = []components.SummaryRow{
		{Key: "At placements", Value: placement.FormatHours(t.PlacementTotal())},
		{Key: "At the home school", Value: home},
		{Key: "In all", Value: placement.FormatHours(t.Total())},
	}
	if ft, ok := t.FullTime(); ok {
		v.Summary = append(v.Summary, components.SummaryRow{Key: "Full-time for Year " + strconv.Itoa(t.YearGroup), Value: placement.FormatHours(ft)})
	} else {
		v.NoProtocol = fmt.Sprintf("Coventry’s full-time protocol covers Years 7 to 11; this student is in Year %d.", t.YearGroup)
	}
	review := "Not set"
	if !t.ReviewOn.IsZero() {
		review = t.ReviewOn.Format()
	}
	v.Summary = append(v.Summary, components.SummaryRow{Key: "Timetable review", Value: review})
	if t.PartTime() {
		v.PartTime = true
		ft, _ := t.FullTime()
		v.Warning = fmt.Sprintf("Part-time timetable: %s hours a week, %s below full-time (%s hours for Year %d).",
			placement.FormatHours(t.Total()), placement.FormatHours(t.Shortfall()), placement.FormatHours(ft), t.YearGroup)
		switch {
		case t.NeedsReviewDate():
			v.Warning += " A review date must be set."
		case t.ReviewOverdue(today):
			v.Warning += " Its review was due on " + t.ReviewOn.Format() + "."
		default:
			v.Warning += " It is reviewed on " + t.ReviewOn.Format() + "."
		}
	}
	if form != nil {
		v.Home, v.Day, v.Month, v.Year, v.DateParts, v.Errors = form.home, form.day, form.month, form.year, form.parts, form.errs
	} else {
		if t.HomeRecorded {
			v.Home = placement.FormatHours(t.HomeSchoolHours)
		}
		if !t.ReviewOn.IsZero() {
			v.Day, v.Month, v.Year = strconv.Itoa(t.ReviewOn.Day), strconv.Itoa(int(t.ReviewOn.Month)), strconv.Itoa(t.ReviewOn.Year)
		}
	}
	return v
}

// StudentHoursSection builds the student page's "Hours a week" section (pages.StudentHours): it
// does not audit, as the student page has (students.View).
func (s *Server) StudentHoursSection(r *http.Request, studentID int64) (pages.HoursView, error) {
	t, err := s.placements.TimetableOf(r.Context(), placementActor(r), studentID)
	if err != nil {
		return pages.HoursView{}, err
	}
	return s.hoursSection(r, t, nil), nil
}

// SchoolPartTimeSection builds the school page's "Part-time timetables" section
// (pages.SchoolPartTimeTimetables); the store audits it, as it names students.
func (s *Server) SchoolPartTimeSection(r *http.Request, schoolID int64) (pages.PartTimeView, error) {
	var v pages.PartTimeView
	list, err := s.placements.PartTimeTimetables(r.Context(), placementActor(r), schoolID)
	if err != nil {
		return v, err
	}
	today := calendar.DateOf(s.Clock.Now())
	for _, t := range list {
		ft, _ := t.FullTime()
		row := pages.PartTimeRow{Href: "/students/" + itoa(t.StudentID) + "/hours", Student: t.StudentName,
			Hours: placement.FormatHours(t.Total()) + " of " + placement.FormatHours(ft)}
		switch {
		case t.NeedsReviewDate():
			row.Review, row.Flag = "Not set", true
		case t.ReviewOverdue(today):
			row.Review, row.Flag = "Overdue: "+t.ReviewOn.Format(), true
		default:
			row.Review = t.ReviewOn.Format()
		}
		v.Rows = append(v.Rows, row)
	}
	return v, nil
}
