package ui

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/coventry-cap/capportal/internal/auth"
	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/db"
	"github.com/coventry-cap/capportal/internal/directory"
	"github.com/coventry-cap/capportal/internal/pathway"
	"github.com/coventry-cap/capportal/internal/referral"
	"github.com/coventry-cap/capportal/internal/student"
	"github.com/coventry-cap/capportal/web/components"
	"github.com/coventry-cap/capportal/web/pages"
)

// applicationStudentLimit bounds the students offered in the start page's list; a school with more
// searches by name or UPN.
const applicationStudentLimit = 200

// applicationProgrammePages bounds the directory pages read for the programme list (20 a page), so a
// runaway directory cannot make the page unbounded.
const applicationProgrammePages = 50

// applicationStartInput is what the start page was asked about, from the address or the form.
type applicationStartInput struct {
	School, Student, Programme, Query string
}

func (s *Server) referralNew(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	in := applicationStartInput{
		School: strings.TrimSpace(q.Get("school")), Student: strings.TrimSpace(q.Get("student")),
		Programme: strings.TrimSpace(q.Get("programme")), Query: strings.TrimSpace(q.Get("student_q")),
	}
	// The form was sent without a programme: say what to choose. A programme on its own is fine
	// (the answer then says whether the school may refer to it at all).
	var errs components.Errors
	if q.Has("programme") && in.Programme == "" {
		if q.Has("student") && in.Student == "" {
			errs.Add("student", "Select a student")
		}
		errs.Add("programme", "Select a programme")
	}
	status := http.StatusOK
	if errs.Any() {
		status = http.StatusUnprocessableEntity
	}
	c, err := s.chooseForApplication(r, in)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.renderApplicationStart(w, r, status, in, c, errs)
}

// applicationChosen is the student and programme a start page or form names, once checked.
type applicationChosen struct {
	school    auth.Membership
	schoolOK  bool
	student   student.Student
	studentOK bool
	programme directory.Programme
	progOK    bool
}

// chooseForApplication reads the chosen school, student (one of that school's) and programme. Looking
// at the student shows their name, so it is an audited view.
func (s *Server) chooseForApplication(r *http.Request, in applicationStartInput) (applicationChosen, error) {
	ctx := r.Context()
	var c applicationChosen
	c.school, c.schoolOK = schoolChoice(auth.FromContext(ctx), in.School)
	if id, err := strconv.ParseInt(in.Programme, 10, 64); err == nil && id > 0 {
		p, err := s.directory.GetProgramme(ctx, id)
		switch {
		case errors.Is(err, db.ErrNotFound):
		case err != nil:
			return c, err
		default:
			c.programme, c.progOK = p, true
		}
	}
	if id, err := strconv.ParseInt(in.Student, 10, 64); err == nil && id > 0 && c.schoolOK {
		st, err := s.students.View(ctx, studentActor(r), id, "year group, to start a referral")
		switch {
		case errors.Is(err, db.ErrNotFound):
		case err != nil:
			return c, err
		case st.SchoolID == c.school.OrgID:
			c.student, c.studentOK = st, true
		}
	}
	return c, nil
}

// eligibility asks whether the school may refer the student (or, without one, any student) to the
// programme today.
func (s *Server) applicationEligibility(r *http.Request, c applicationChosen) ([]string, error) {
	name, year := "", 0
	if c.studentOK {
		name, year = c.student.Name(), c.student.YearGroup
	}
	return s.referrals.EligibilityProblems(r.Context(), c.school.OrgID, c.school.OrgName, name, year,
		c.programme.ID, calendar.Today(s.Clock))
}

// renderApplicationStart shows the start page for what was chosen (read once per request: reading a
// student is an audited view).
func (s *Server) renderApplicationStart(w http.ResponseWriter, r *http.Request, status int, in applicationStartInput, c applicationChosen, errs components.Errors) {
	ctx := r.Context()
	p := auth.FromContext(ctx)
	v := pages.ApplicationStartView{
		SchoolOptions: schoolChoiceOptions(p, in.School),
		StudentQuery:  in.Query,
		Errors:        errs,
		ProgrammeHint: "Programmes are listed by tier. You can also find one in the CAP Directory and refer from its page.",
	}
	if c.schoolOK {
		v.SchoolName = c.school.OrgName
		list, more, err := s.students.List(ctx, studentActor(r),
			student.ListFilter{SchoolID: c.school.OrgID, Query: in.Query}, applicationStudentLimit)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		v.MoreStudents = more
		v.ShowSearch = more || in.Query != ""
		v.StudentOptions = append(v.StudentOptions, components.Option{Value: "", Label: "Choose a student", Selected: !c.studentOK})
		listed := false
		for _, st := range list {
			id := itoa(st.ID)
			listed = listed || (c.studentOK && st.ID == c.student.ID)
			v.StudentOptions = append(v.StudentOptions, components.Option{Value: id, Label: applicationStudentLabel(st.Details()),
				Selected: c.studentOK && st.ID == c.student.ID})
		}
		if c.studentOK && !listed {
			// Chosen earlier but outside the current search: keep the choice.
			v.StudentOptions = append(v.StudentOptions, components.Option{Value: itoa(c.student.ID),
				Label: applicationStudentLabel(c.student.Details), Selected: true})
		}
		if len(list) == 0 && in.Query == "" {
			v.StudentOptions = nil
			// There is nothing to select: say why instead.
			v.Errors = slices.DeleteFunc(slices.Clone(v.Errors), func(e components.FieldError) bool { return e.Field == "student" })
			v.Errors = append(v.Errors, components.FieldError{Field: "student",
				Message: c.school.OrgName + " has no students in the portal yet: add the student first"})
		}
	}
	groups, err := s.applicationProgrammeGroups(r, c.programme.ID)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if c.progOK && !c.programme.Active {
		// A retired programme is not in the list; show it so the answer below makes sense.
		groups = append(groups, pages.OptionGroup{Label: "Retired", Options: []components.Option{{Value: itoa(c.programme.ID), Label: c.programme.Name, Selected: true}}})
	}
	v.ProgrammeGroups = groups
	if c.schoolOK && c.progOK {
		reasons, err := s.applicationEligibility(r, c)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		v.Answered, v.Eligible, v.Reasons = true, len(reasons) == 0, reasons
		v.ProgrammeName = c.programme.Name
		if c.studentOK {
			v.StudentName = c.student.Name()
			existing, err := s.applicationExisting(r, c)
			if err != nil {
				s.serverError(w, r, err)
				return
			}
			if existing != nil {
				v.Existing, v.Eligible = existing, false
			}
		}
		if v.Eligible && c.programme.Tier == 2 {
			year := calendar.AcademicYearCode(calendar.Today(s.Clock))
			sla, err := s.schools.SLAOf(ctx, c.school.OrgID, year)
			if err != nil {
				s.serverError(w, r, err)
				return
			}
			if !sla.Signed {
				v.Note = "Schools with the CAP SLA have priority for Tier 2 places, and " + c.school.OrgName +
					" has no signed SLA for " + year + ", so its referrals may wait behind theirs."
			}
		}
		if v.Eligible && c.studentOK {
			token, err := newStartToken()
			if err != nil {
				s.serverError(w, r, err)
				return
			}
			v.CanStart, v.StartToken = true, token
			v.StudentID, v.ProgrammeID = itoa(c.student.ID), itoa(c.programme.ID)
			if len(v.SchoolOptions) > 0 {
				v.School = itoa(c.school.OrgID)
			}
		}
	}
	lp := s.page(r, "Start a referral")
	lp.HasErrors = v.Errors.Any()
	s.render(w, r, status, pages.ApplicationStart(lp, v))
}

// applicationExisting is the student's referral to the programme that is still going, if there is
// one: a second referral to the same programme would only duplicate it.
func (s *Server) applicationExisting(r *http.Request, c applicationChosen) (*pages.ExistingReferral, error) {
	reference, step, found, err := s.referrals.OpenReferralTo(r.Context(), c.student.ID, c.programme.ID)
	if err != nil || !found {
		return nil, err
	}
	title := string(step)
	if pw, ok := pathway.For(c.programme.Kind); ok {
		title = pw.Info(step).Title
	}
	return &pages.ExistingReferral{Student: c.student.Name(), Reference: reference, Href: "/referrals/" + reference, Step: title}, nil
}

func applicationStudentLabel(d student.Details) string {
	return d.Name() + ", Year " + strconv.Itoa(d.YearGroup) + " (UPN " + d.UPN + ")"
}

// applicationProgrammeGroups lists the directory's current programmes grouped by tier, the chosen
// one selected.
func (s *Server) applicationProgrammeGroups(r *http.Request, selected int64) ([]pages.OptionGroup, error) {
	groups := []pages.OptionGroup{{Options: []components.Option{{Value: "", Label: "Choose a programme", Selected: selected == 0}}}}
	byTier := map[int][]components.Option{}
	for page := 1; page <= applicationProgrammePages; page++ {
		res, err := s.directory.Search(r.Context(), directory.Filter{}, page)
		if err != nil {
			return nil, err
		}
		for _, p := range res.Programmes {
			label := p.Name
			if p.ProviderName != "" && !strings.Contains(p.Name, p.ProviderName) {
				label += " – " + p.ProviderName
			}
			byTier[p.Tier] = append(byTier[p.Tier], components.Option{Value: itoa(p.ID), Label: label, Selected: p.ID == selected})
		}
		if page >= res.Pages {
			break
		}
	}
	for tier := 1; tier <= 3; tier++ {
		if len(byTier[tier]) > 0 {
			groups = append(groups, pages.OptionGroup{Label: directory.TierLabel(tier), Options: byTier[tier]})
		}
	}
	return groups, nil
}

// newStartToken is the one-time token of a start form: the same form sent twice starts one draft.
func newStartToken() (string, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("start token: %w", err)
	}
	return hex.EncodeToString(b), nil
}

func validStartToken(t string) bool {
	if len(t) != 32 {
		return false
	}
	_, err := hex.DecodeString(t)
	return err == nil
}

func (s *Server) referralStart(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	if !s.parseForm(w, r) {
		return
	}
	f := r.PostForm
	in := applicationStartInput{School: strings.TrimSpace(f.Get("school")), Student: strings.TrimSpace(f.Get("student")),
		Programme: strings.TrimSpace(f.Get("programme"))}
	token := f.Get("start_token")
	if !validStartToken(token) {
		s.renderError(w, r, http.StatusBadRequest, "The form could not be read",
			"Go back, reload the page and try again.")
		return
	}
	c, err := s.chooseForApplication(r, in)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	var errs components.Errors
	if !c.schoolOK {
		errs.Add("school", "Choose the school that is referring the student")
	}
	if !c.studentOK {
		errs.Add("student", "Select a student")
	}
	if !c.progOK {
		errs.Add("programme", "Select a programme")
	}
	if errs.Any() {
		s.renderApplicationStart(w, r, http.StatusUnprocessableEntity, in, c, errs)
		return
	}
	// The answer may have changed since the page was shown (a window closed, the SLA lapsed).
	reasons, err := s.applicationEligibility(r, c)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if len(reasons) > 0 {
		s.renderApplicationStart(w, r, http.StatusUnprocessableEntity, in, c, nil)
		return
	}
	// A referral to the same programme may have been submitted since the page was shown.
	switch existing, err := s.applicationExisting(r, c); {
	case err != nil:
		s.serverError(w, r, err)
		return
	case existing != nil:
		s.renderApplicationStart(w, r, http.StatusUnprocessableEntity, in, c, nil)
		return
	}
	ref, created, err := s.referrals.Start(ctx, referralActor(r), referral.StartInput{
		SchoolID: c.school.OrgID, StudentID: c.student.ID, ProgrammeID: c.programme.ID, Token: token})
	switch {
	case errors.Is(err, referral.ErrStudentNotFound):
		s.renderApplicationStart(w, r, http.StatusUnprocessableEntity, in, c, components.Errors{{Field: "student", Message: "Choose one of your school’s students"}})
		return
	case errors.Is(err, db.ErrNotFound):
		s.renderApplicationStart(w, r, http.StatusUnprocessableEntity, in, c, components.Errors{{Field: "programme", Message: "Choose a programme from the list"}})
		return
	case errors.Is(err, referral.ErrNotEditable):
		// The form's token started an application that has since been submitted.
		s.flashError(ctx, "This form was already used to start an application, and it has been submitted. Find it in your referrals.")
		http.Redirect(w, r, "/referrals", http.StatusSeeOther)
		return
	case err != nil:
		s.serverError(w, r, err)
		return
	}
	if created {
		s.flash(ctx, "Application started. Each section is saved as you complete it, so you can come back to it later.")
	} else {
		s.flash(ctx, "There is already a draft application for "+ref.StudentName+" to "+ref.Programme+": carry on with it here.")
	}
	http.Redirect(w, r, ref.URL()+"/application", http.StatusSeeOther)
}
