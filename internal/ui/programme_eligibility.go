package ui

import (
	"net/http"

	"github.com/a-h/templ"

	"github.com/coventry-cap/capportal/internal/auth"
	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/directory"
	"github.com/coventry-cap/capportal/internal/eligibility"
	"github.com/coventry-cap/capportal/web/pages"
)

// programmeEligibility answers "Can your school refer to this programme?" for a viewer who refers
// (a coordinator or headteacher), for their first school; nil for everyone else.
func (s *Server) programmeEligibility(r *http.Request, p directory.Programme) (templ.Component, error) {
	ctx := r.Context()
	pr := auth.FromContext(ctx)
	var schools []auth.Membership
	schools = append(schools, pr.OrgsWith(auth.Coordinator)...)
	schools = append(schools, pr.OrgsWith(auth.Headteacher)...)
	if len(schools) == 0 {
		return nil, nil
	}
	school := schools[0]
	today := calendar.Today(s.Clock)
	year := calendar.AcademicYearCode(today)
	sla, err := s.schools.SLAOf(ctx, school.OrgID, year)
	if err != nil {
		return nil, err
	}
	req := eligibility.Request{
		Programme: p.Eligibility(), SchoolName: school.OrgName, AcademicYear: year,
		SchoolHasSLA: sla.Signed, Today: today,
	}
	v := pages.EligibilityView{SchoolName: school.OrgName, Action: "/directory/programmes/" + itoa(p.ID)}
	if err := s.eligibilityStudent(r, school.OrgID, &req, &v); err != nil {
		return nil, err
	}
	err = eligibility.Check(req)
	v.Allowed = err == nil
	if v.Allowed && p.Tier == 2 && !req.SchoolHasSLA {
		// The SLA promises SLA schools priority for Tier 2 places; the others should know.
		v.Note = "Schools with the CAP SLA have priority for Tier 2 places, and " + school.OrgName + " has no signed SLA for " + year + ", so its referrals may wait behind theirs."
	}
	v.Reasons = eligibility.Reasons(err)
	if err != nil && v.Reasons == nil {
		return nil, err
	}
	// A coordinator whose school may refer goes straight on to the referral (for the student they
	// checked, when they chose one).
	refer := ""
	if v.Allowed && coordinatesSchool(pr, school.OrgID) {
		refer = "/referrals/new?programme=" + itoa(p.ID)
		if v.StudentID != "" {
			refer += "&student=" + v.StudentID
		}
	}
	return pages.ReferFromProgramme(pages.Eligibility(v), refer), nil
}
