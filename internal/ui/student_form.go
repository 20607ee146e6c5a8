package ui

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/coventry-cap/capportal/internal/auth"
	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/db"
	"github.com/coventry-cap/capportal/internal/student"
	"github.com/coventry-cap/capportal/web/components"
	"github.com/coventry-cap/capportal/web/pages"
)

// The form shows at least this many parents or carers and professionals, and one empty slot more
// than the student has, up to maxSlots.
const (
	minContactSlots      = 2
	minProfessionalSlots = 3
	maxSlots             = 10
)

// studentForm is the student form as typed.
type studentForm struct {
	School                        string
	UPN                           string
	LegalFirst, LegalLast         string
	PreferredFirst, PreferredLast string
	DOBDay, DOBMonth, DOBYear     string
	Sex, YearGroup, SEN, CPCIN    string
	FSM, LookedAfter              bool
	Ethnicity, Address, Postcode  string
	Contacts                      []pages.ContactForm
	Professionals                 []pages.ProfessionalForm
}

func readStudentForm(f url.Values) studentForm {
	get := func(k string) string { return strings.TrimSpace(f.Get(k)) }
	sf := studentForm{
		School: get("school"), UPN: get("upn"),
		LegalFirst: get("legal_first_name"), LegalLast: get("legal_last_name"),
		PreferredFirst: get("preferred_first_name"), PreferredLast: get("preferred_last_name"),
		DOBDay: get("dob-day"), DOBMonth: get("dob-month"), DOBYear: get("dob-year"),
		Sex: get("sex"), YearGroup: get("year_group"), SEN: get("sen_status"), CPCIN: get("cp_cin_status"),
		FSM: slices.Contains(f["flags"], "fsm"), LookedAfter: slices.Contains(f["flags"], "looked_after"),
		Ethnicity: get("ethnicity"), Address: get("address"), Postcode: get("postcode"),
	}
	for n := 1; n <= maxSlots; n++ {
		if _, ok := f[student.ContactField(n, "name")]; !ok {
			break
		}
		field := func(name string) string { return get(student.ContactField(n, name)) }
		sf.Contacts = append(sf.Contacts, pages.ContactForm{
			Name: field("name"), Relationship: field("relationship"), Phone: field("phone"), Email: field("email"),
			Address: field("address"), ParentalResponsibility: field("pr") == "yes",
		})
	}
	for n := 1; n <= maxSlots; n++ {
		if _, ok := f[student.ProfessionalField(n, "name")]; !ok {
			break
		}
		field := func(name string) string { return get(student.ProfessionalField(n, name)) }
		sf.Professionals = append(sf.Professionals, pages.ProfessionalForm{
			Name: field("name"), Role: field("role"), Agency: field("agency"), Phone: field("phone"), Email: field("email"),
		})
	}
	return sf
}

// formFromStudent fills the form with a stored student.
func formFromStudent(st student.Student) studentForm {
	d := st.Details
	sf := studentForm{
		UPN: d.UPN, LegalFirst: d.LegalFirstName, LegalLast: d.LegalLastName,
		PreferredFirst: d.PreferredFirstName, PreferredLast: d.PreferredLastName,
		DOBDay: strconv.Itoa(d.DateOfBirth.Day), DOBMonth: strconv.Itoa(int(d.DateOfBirth.Month)), DOBYear: strconv.Itoa(d.DateOfBirth.Year),
		Sex: string(d.Sex), YearGroup: strconv.Itoa(d.YearGroup), SEN: string(d.SEN), CPCIN: string(d.CPCIN),
		FSM: d.FSM, LookedAfter: d.LookedAfter, Ethnicity: d.Ethnicity, Address: d.Address, Postcode: d.Postcode,
	}
	for _, c := range st.Contacts {
		sf.Contacts = append(sf.Contacts, pages.ContactForm{Name: c.Name, Relationship: c.Relationship, Phone: c.Phone,
			Email: c.Email, Address: c.Address, ParentalResponsibility: c.ParentalResponsibility})
	}
	for _, p := range st.Professionals {
		sf.Professionals = append(sf.Professionals, pages.ProfessionalForm{Name: p.Name, Role: p.Role, Agency: p.Agency, Phone: p.Phone, Email: p.Email})
	}
	sf.Contacts = padSlots(sf.Contacts, minContactSlots)
	sf.Professionals = padSlots(sf.Professionals, minProfessionalSlots)
	return sf
}

// padSlots adds empty slots: at least min, and one more than are filled, up to maxSlots.
func padSlots[T any](items []T, least int) []T {
	n := min(max(least, len(items)+1), maxSlots)
	for len(items) < n {
		var zero T
		items = append(items, zero)
	}
	return items
}

// record turns the form into a student record.
func (sf studentForm) record(dob calendar.Date) student.Record {
	year, _ := strconv.Atoi(sf.YearGroup)
	rec := student.Record{Details: student.Details{
		UPN: sf.UPN, LegalFirstName: sf.LegalFirst, LegalLastName: sf.LegalLast,
		PreferredFirstName: sf.PreferredFirst, PreferredLastName: sf.PreferredLast,
		DateOfBirth: dob, Sex: student.Sex(sf.Sex), YearGroup: year, SEN: student.SEN(sf.SEN), CPCIN: student.CPCIN(sf.CPCIN),
		FSM: sf.FSM, LookedAfter: sf.LookedAfter, Ethnicity: sf.Ethnicity, Address: sf.Address, Postcode: sf.Postcode,
	}}
	for _, c := range sf.Contacts {
		rec.Contacts = append(rec.Contacts, student.Contact{Name: c.Name, Relationship: c.Relationship, Phone: c.Phone,
			Email: c.Email, Address: c.Address, ParentalResponsibility: c.ParentalResponsibility})
	}
	for _, p := range sf.Professionals {
		rec.Professionals = append(rec.Professionals, student.Professional{Name: p.Name, Role: p.Role, Agency: p.Agency, Phone: p.Phone, Email: p.Email})
	}
	return rec
}

// validate checks the form and returns the record, the problems in form order and which parts of
// the date of birth are wrong.
func (sf studentForm) validate(today calendar.Date) (student.Record, components.Errors, []string) {
	var errs components.Errors
	dob, dobMsg, dobParts := parseDateOfBirth(sf.DOBDay, sf.DOBMonth, sf.DOBYear)
	rec := sf.record(dob)
	rec.Normalise()
	for _, p := range rec.Problems(today) {
		switch {
		case p.Field == student.FieldDateOfBirth:
			msg := p.Message
			if dobMsg != "" {
				msg = dobMsg
			}
			anchor := "dob-day"
			if len(dobParts) > 0 {
				anchor = "dob-" + dobParts[0]
			}
			errs.AddAt(p.Field, anchor, msg)
		case p.Field == student.FieldYearGroup && (rec.YearGroup < student.MinYearGroup || rec.YearGroup > student.MaxYearGroup):
			errs.Add(p.Field, "Select the student’s year group")
		default:
			errs.Add(p.Field, p.Message)
		}
	}
	return rec, errs, dobParts
}

// parseDateOfBirth reads the date input the GOV.UK way: it says which part is missing or wrong.
func parseDateOfBirth(day, month, year string) (calendar.Date, string, []string) {
	var missing []string
	for _, p := range []struct{ name, v string }{{"day", day}, {"month", month}, {"year", year}} {
		if p.v == "" {
			missing = append(missing, p.name)
		}
	}
	switch len(missing) {
	case 3:
		return calendar.Date{}, "", nil // Problems says to enter it
	case 2:
		return calendar.Date{}, "Date of birth must include a " + missing[0] + " and " + missing[1], missing
	case 1:
		return calendar.Date{}, "Date of birth must include a " + missing[0], missing
	}
	if len(year) != 4 {
		return calendar.Date{}, "Year must include 4 numbers", []string{"year"}
	}
	d, ok := parseDateParts(day, month, year)
	if !ok {
		return calendar.Date{}, "Date of birth must be a real date", nil
	}
	return d, "", nil
}

// view is the form as a page, with its choices marked.
func (sf studentForm) view(errs components.Errors, dobParts []string) pages.StudentFormView {
	v := pages.StudentFormView{
		UPN: sf.UPN, LegalFirst: sf.LegalFirst, LegalLast: sf.LegalLast,
		PreferredFirst: sf.PreferredFirst, PreferredLast: sf.PreferredLast,
		DOBDay: sf.DOBDay, DOBMonth: sf.DOBMonth, DOBYear: sf.DOBYear, DOBErrorParts: dobParts,
		Ethnicity: sf.Ethnicity, Address: sf.Address, Postcode: sf.Postcode,
		// A re-shown form keeps the slots that were posted, filled or not.
		Contacts: sf.Contacts, Professionals: sf.Professionals,
		Errors: errs,
	}
	for len(v.Contacts) < minContactSlots {
		v.Contacts = append(v.Contacts, pages.ContactForm{})
	}
	for len(v.Professionals) < minProfessionalSlots {
		v.Professionals = append(v.Professionals, pages.ProfessionalForm{})
	}
	v.YearOptions = append(v.YearOptions, components.Option{Value: "", Label: "Choose a year group", Selected: sf.YearGroup == ""})
	for y := student.MinYearGroup; y <= student.MaxYearGroup; y++ {
		val := strconv.Itoa(y)
		v.YearOptions = append(v.YearOptions, components.Option{Value: val, Label: "Year " + val, Selected: sf.YearGroup == val})
	}
	for _, s := range student.Sexes {
		v.SexItems = append(v.SexItems, components.Choice{Value: string(s), Label: s.Label(), Checked: sf.Sex == string(s)})
	}
	for _, s := range student.SENs {
		v.SENItems = append(v.SENItems, components.Choice{Value: string(s), Label: s.Label(), Checked: sf.SEN == string(s)})
	}
	for _, c := range student.CPCINs {
		v.CPCINItems = append(v.CPCINItems, components.Choice{Value: string(c), Label: c.Label(), Checked: sf.CPCIN == string(c)})
	}
	v.FlagItems = []components.Choice{
		{Value: "fsm", Label: "Eligible for free school meals", Checked: sf.FSM},
		{Value: "looked_after", Label: "Looked after (in the care of a local authority)", Checked: sf.LookedAfter},
	}
	return v
}

func (s *Server) studentNew(w http.ResponseWriter, r *http.Request) {
	s.renderStudentNew(w, r, http.StatusOK, studentForm{}, nil, nil)
}

func (s *Server) renderStudentNew(w http.ResponseWriter, r *http.Request, status int, sf studentForm, errs components.Errors, dobParts []string) {
	p := auth.FromContext(r.Context())
	v := sf.view(errs, dobParts)
	v.Heading, v.Action, v.CancelHref = "Add a student", "/students", "/students"
	v.SchoolOptions = schoolChoiceOptions(p, sf.School)
	if m, ok := schoolChoice(p, sf.School); ok && len(v.SchoolOptions) == 0 {
		v.Caption = m.OrgName
	}
	lp := s.page(r, v.Heading)
	lp.HasErrors = errs.Any()
	s.render(w, r, status, pages.StudentForm(lp, v))
}

func (s *Server) studentCreate(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	if !s.parseForm(w, r) {
		return
	}
	p := auth.FromContext(ctx)
	sf := readStudentForm(r.PostForm)
	rec, errs, dobParts := sf.validate(calendar.DateOf(s.Clock.Now()))
	school, ok := schoolChoice(p, sf.School)
	if !ok {
		// The school comes first on the form, so its problem leads the summary.
		errs = append(components.Errors{{Field: "school", Message: "Choose the student’s school"}}, errs...)
	}
	if !errs.Any() {
		id, err := s.students.Create(ctx, studentActor(r), school.OrgID, rec)
		switch {
		case errors.Is(err, student.ErrUPNTaken):
			// A double submit lands here too: show the student that was just added rather than fail. Any
			// detail that differs means a different record, so the form comes back with what was typed.
			st, gerr := s.students.FindManagedByUPN(ctx, studentActor(r), rec.UPN)
			if gerr != nil && !errors.Is(gerr, db.ErrNotFound) {
				s.serverError(w, r, gerr)
				return
			}
			if gerr == nil && st.Resubmits(school.OrgID, rec) {
				s.flash(ctx, st.Name()+" has already been added")
				http.Redirect(w, r, "/students/"+itoa(st.ID), http.StatusSeeOther)
				return
			}
			errs.Add(student.FieldUPN, upnTakenMessage(st, gerr))
		case errors.Is(err, student.ErrUPNRefused):
			errs.Add(student.FieldUPN, student.UPNContactCAP)
		case errors.Is(err, db.ErrNotFound):
			errs = append(components.Errors{{Field: "school", Message: "Choose the student’s school"}}, errs...)
		case err != nil:
			s.serverError(w, r, err)
			return
		default:
			s.flash(ctx, "Student added: "+rec.Name())
			http.Redirect(w, r, "/students/"+itoa(id), http.StatusSeeOther)
			return
		}
	}
	s.renderStudentNew(w, r, http.StatusUnprocessableEntity, sf, errs, dobParts)
}

func (s *Server) studentEdit(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id, ok := idParam(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	// The form shows the student's details, so opening it is a view for the audit log.
	st, err := s.students.ViewManaged(ctx, studentActor(r), id, "edit form")
	if s.failed(w, r, err) {
		return
	}
	s.renderStudentEdit(w, r, http.StatusOK, st, formFromStudent(st), nil, nil)
}

func (s *Server) renderStudentEdit(w http.ResponseWriter, r *http.Request, status int, st student.Student, sf studentForm, errs components.Errors, dobParts []string) {
	v := sf.view(errs, dobParts)
	v.ID = st.ID
	v.Heading = "Change " + st.Name() + "’s details"
	v.Caption = st.SchoolName
	v.Action = "/students/" + itoa(st.ID)
	v.CancelHref = v.Action
	lp := s.page(r, v.Heading)
	lp.HasErrors = errs.Any()
	s.render(w, r, status, pages.StudentForm(lp, v))
}

func (s *Server) studentUpdate(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id, ok := idParam(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	// Another school's student is a 404 whatever was posted, so nothing is revealed by the answer.
	st, err := s.students.GetManaged(ctx, studentActor(r), id)
	if s.failed(w, r, err) {
		return
	}
	if !s.parseForm(w, r) {
		return
	}
	sf := readStudentForm(r.PostForm)
	rec, errs, dobParts := sf.validate(calendar.DateOf(s.Clock.Now()))
	if !errs.Any() {
		changed, err := s.students.Update(ctx, studentActor(r), id, rec)
		switch {
		case errors.Is(err, student.ErrUPNTaken):
			other, gerr := s.students.FindManagedByUPN(ctx, studentActor(r), rec.UPN)
			if gerr != nil && !errors.Is(gerr, db.ErrNotFound) {
				s.serverError(w, r, gerr)
				return
			}
			errs.Add(student.FieldUPN, upnTakenMessage(other, gerr))
		case errors.Is(err, student.ErrUPNRefused):
			errs.Add(student.FieldUPN, student.UPNContactCAP)
		case s.failed(w, r, err):
			return
		case len(changed) == 0:
			s.flash(ctx, "Nothing was changed: the details are as they were")
			http.Redirect(w, r, "/students/"+itoa(id), http.StatusSeeOther)
			return
		default:
			s.flash(ctx, fmt.Sprintf("Details saved: changed the %s", strings.Join(changed, ", ")))
			http.Redirect(w, r, "/students/"+itoa(id), http.StatusSeeOther)
			return
		}
	}
	s.renderStudentEdit(w, r, http.StatusUnprocessableEntity, st, sf, errs, dobParts)
}

// upnTakenMessage names the school, one the coordinator runs, whose student already has the UPN. If
// that student has gone since the store refused the UPN, it names no school.
func upnTakenMessage(holder student.Student, findErr error) string {
	if findErr != nil {
		return student.UPNOnRoll("your school")
	}
	return student.UPNOnRoll(holder.SchoolName)
}
