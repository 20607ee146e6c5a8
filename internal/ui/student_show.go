package ui

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"

	"github.com/coventry-cap/capportal/internal/auth"
	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/placement"
	"github.com/coventry-cap/capportal/internal/referral"
	"github.com/coventry-cap/capportal/internal/safeguarding"
	"github.com/coventry-cap/capportal/internal/student"
	"github.com/coventry-cap/capportal/web/components"
	"github.com/coventry-cap/capportal/web/pages"
)

func (s *Server) studentShow(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id, ok := idParam(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	// The view is written to the audit log before anything is shown; another school's student is a
	// 404, so nobody learns that they exist.
	st, err := s.students.View(ctx, studentActor(r), id, "details")
	if s.failed(w, r, err) {
		return
	}
	today := calendar.DateOf(s.Clock.Now())
	v := pages.StudentView{
		ID: st.ID, Name: st.Name(), School: st.SchoolName,
		CanEdit: student.ManageScope(auth.FromContext(ctx)).Includes(st.SchoolID),
	}
	// The link shows only to those who may open the chronology, and says nothing of what it holds.
	sees, err := s.safeguarding.MaySee(ctx, auth.FromContext(ctx), st.ID)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if sees {
		v.SafeguardingHref = safeguarding.ChronologyPath(st.ID)
	}
	upn := st.UPN
	if st.IsTemporaryUPN() {
		upn += " (temporary)"
	}
	preferred := "None"
	if st.PreferredFirstName != "" || st.PreferredLastName != "" {
		preferred = st.Name()
	}
	v.Details = []components.SummaryRow{
		{Key: "UPN", Value: upn},
		{Key: "Legal name", Value: st.LegalName()},
		{Key: "Preferred name", Value: preferred},
		{Key: "Date of birth", Value: fmt.Sprintf("%s (age %d)", st.DateOfBirth.Format(), st.Age(today))},
		{Key: "Sex", Value: st.Sex.Label()},
		{Key: "Year group", Value: "Year " + strconv.Itoa(st.YearGroup)},
		{Key: "School", Value: st.SchoolName},
		{Key: "Ethnicity", Value: orNotRecorded(st.Ethnicity)},
		{Key: "Address", Value: orNotRecorded(st.Address)},
		{Key: "Postcode", Value: orNotRecorded(st.Postcode)},
	}
	v.Needs = []components.SummaryRow{
		{Key: "Special educational needs", Value: st.SEN.Label()},
		{Key: "Free school meals", Value: yesNo(st.FSM)},
		{Key: "Looked after", Value: yesNo(st.LookedAfter)},
		{Key: "Child in need or child protection", Value: st.CPCIN.Label()},
	}
	for _, c := range st.Contacts {
		v.Contacts = append(v.Contacts, pages.ContactCard{Title: c.Name, Rows: []components.SummaryRow{
			{Key: "Relationship", Value: orNotRecorded(c.Relationship)},
			{Key: "Parental responsibility", Value: yesNo(c.ParentalResponsibility)},
			{Key: "Phone", Value: orNotRecorded(c.Phone)},
			{Key: "Email", Value: orNotRecorded(c.Email)},
			{Key: "Address", Value: orText(c.Address, "Same as the student’s")},
		}})
	}
	for _, p := range st.Professionals {
		v.Professionals = append(v.Professionals, []components.TableCell{
			{Text: p.Name, Header: true}, {Text: p.Role}, {Text: p.Agency}, {Text: p.Phone}, {Text: p.Email},
		})
	}
	if err := s.studentPlacements(r, st.ID, &v); err != nil {
		s.serverError(w, r, err)
		return
	}
	if err := s.studentReferrals(r, st, &v); err != nil {
		s.serverError(w, r, err)
		return
	}
	slices.SortStableFunc(v.Timeline, func(a, b components.TimelineItem) int { return b.When.Compare(a.When) })
	hours, err := s.StudentHoursSection(r, st.ID)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	v.Sections = append(v.Sections, pages.StudentHours(hours))
	s.render(w, r, http.StatusOK, pages.Student(s.page(r, st.Name()), v))
}

// studentMarks is how many of the student's latest marks their page shows.
const studentMarks = 20

// studentPlacements adds the student's placements the viewer may see, each with its attendance rate,
// the attendance across them by week and the latest marks with their DfE codes.
func (s *Server) studentPlacements(r *http.Request, studentID int64, v *pages.StudentView) error {
	ctx := r.Context()
	sa, err := s.placements.OfStudentWithAttendance(ctx, placementActor(r), studentID)
	if err != nil || len(sa.Placements) == 0 {
		return err
	}
	today := calendar.DateOf(s.Clock.Now())
	var ps []placement.Placement
	where := map[int64]string{}
	for _, pa := range sa.Placements {
		pl := pa.Placement
		ps = append(ps, pl)
		where[pl.ID] = pl.ProviderName
		v.Timeline = append(v.Timeline, components.TimelineItem{Title: "Placement at " + pl.ProviderName + " starts: " + pl.Programme, When: pl.Start.Time()})
		if !pl.EndedOn.IsZero() {
			v.Timeline = append(v.Timeline, components.TimelineItem{Title: "Placement at " + pl.ProviderName + " ended", When: pl.EndedOn.Time()})
		}
		status, _ := statusTag(pl, today)
		rate := pa.Attendance.Percent()
		if rate == "" {
			rate = "No sessions recorded"
		} else {
			rate += " (" + strconv.Itoa(pa.Attendance.Attended()) + " of " + strconv.Itoa(pa.Attendance.Recorded()) + ")"
		}
		v.Placements = append(v.Placements, pages.StudentPlacementRow{Href: placementHref(pl.ID), Provider: pl.ProviderName,
			Programme: pl.Programme, Start: pl.Start.Format(), Status: status, Rate: rate})
	}
	heading := "Attendance at the placement"
	if len(ps) > 1 {
		heading = "Attendance across the placements"
	}
	av := attendanceView("student-attendance", heading, sa.Attendance)
	v.Attendance = &av
	marks, err := s.placements.RecentMarks(ctx, ps, studentMarks)
	if err != nil {
		return err
	}
	histories, err := s.placements.Histories(ctx, marks)
	if err != nil {
		return err
	}
	for _, m := range marks {
		row := markRow(m, histories[m.ID], false, "")
		row.Where = where[m.PlacementID]
		v.Marks = append(v.Marks, row)
	}
	return nil
}

func orText(s, otherwise string) string {
	if s == "" {
		return otherwise
	}
	return s
}

// studentReferrals lists the student's referrals the person may see (drafts for the school's
// coordinators), adds them to the timeline, and offers the school's coordinators a new referral.
func (s *Server) studentReferrals(r *http.Request, st student.Student, v *pages.StudentView) error {
	p := auth.FromContext(r.Context())
	f := referral.ListFilter{StudentID: st.ID, Sort: referral.SortNewest}
	if slices.Contains(p.OrgIDsWith(auth.Coordinator), st.SchoolID) {
		f.DraftSchools = []int64{st.SchoolID}
		v.ReferHref = "/referrals/new?school=" + itoa(st.SchoolID) + "&student=" + itoa(st.ID)
	}
	list, _, err := s.referrals.List(r.Context(), referralActor(r), f, 50)
	if err != nil {
		return err
	}
	for _, x := range list {
		ref := x.Reference
		if ref == "" {
			ref = "Draft"
		}
		v.Referrals = append(v.Referrals, pages.StudentReferralRow{Href: "/referrals/" + x.Key(), Reference: ref, Programme: x.Programme,
			Step: x.StepTitle(), Started: components.FormatDate(x.CreatedAt)})
		v.Timeline = append(v.Timeline, components.TimelineItem{Title: "Referral to " + x.Programme + " started", When: x.CreatedAt,
			Description: ref + ": now " + referral.MidSentence(x.StepTitle())})
	}
	return nil
}
