// Package student keeps a school's students: their census-style details, parent/carer contacts and the
// professionals involved; UPN validation; and the CSV import from a school's MIS. Every query is scoped
// to what the principal may see. No HTTP here.
package student

import (
	"fmt"
	"net/mail"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/input"
)

// Sex is as recorded in the school census.
type Sex string

// The census values of sex.
const (
	Female     Sex = "F"
	Male       Sex = "M"
	SexUnknown Sex = "U"
)

// Sexes lists the values in the order forms show them.
var Sexes = []Sex{Female, Male, SexUnknown}

// Label is how the value is shown.
func (s Sex) Label() string {
	switch s {
	case Female:
		return "Female"
	case Male:
		return "Male"
	case SexUnknown:
		return "Unknown"
	}
	return string(s)
}

// Valid reports whether s is a census value.
func (s Sex) Valid() bool { return s == Female || s == Male || s == SexUnknown }

// SEN is a student's special educational needs provision.
type SEN string

// The SEN provisions, with the census codes N, K and E.
const (
	SENNone    SEN = "none"
	SENSupport SEN = "sen_support"
	SENEHCP    SEN = "ehcp"
)

// SENs lists the values in the order forms show them.
var SENs = []SEN{SENNone, SENSupport, SENEHCP}

// Label is how the value is shown.
func (s SEN) Label() string {
	switch s {
	case SENNone:
		return "No special educational needs"
	case SENSupport:
		return "SEN support"
	case SENEHCP:
		return "Education, health and care plan (EHCP)"
	}
	return string(s)
}

// Valid reports whether s is a known provision.
func (s SEN) Valid() bool { return s == SENNone || s == SENSupport || s == SENEHCP }

// CPCIN is whether a student is a child in need or on a child protection plan.
type CPCIN string

// The CP/CIN statuses.
const (
	CPCINNone CPCIN = "none"
	CIN       CPCIN = "cin"
	CP        CPCIN = "cp"
)

// CPCINs lists the values in the order forms show them.
var CPCINs = []CPCIN{CPCINNone, CIN, CP}

// Label is how the value is shown.
func (c CPCIN) Label() string {
	switch c {
	case CPCINNone:
		return "Neither"
	case CIN:
		return "Child in need (CIN)"
	case CP:
		return "Child protection plan (CP)"
	}
	return string(c)
}

// Valid reports whether c is a known status.
func (c CPCIN) Valid() bool { return c == CPCINNone || c == CIN || c == CP }

// The year groups a student can be recorded in. Referrals are for Years 7 to 11; sixth formers can be kept.
const (
	MinYearGroup = 7
	MaxYearGroup = 13
)

// Details are a student's own census-style facts.
type Details struct {
	UPN                string
	LegalFirstName     string
	LegalLastName      string
	PreferredFirstName string
	PreferredLastName  string
	DateOfBirth        calendar.Date `json:",omitzero"`
	Sex                Sex
	YearGroup          int
	SEN                SEN
	FSM                bool
	LookedAfter        bool
	CPCIN              CPCIN
	Ethnicity          string
	Address            string
	Postcode           string
}

// Contact is a parent or carer.
type Contact struct {
	Name                   string
	Relationship           string
	Phone                  string
	Email                  string
	Address                string
	ParentalResponsibility bool
}

// Professional is someone from another service who works with the student.
type Professional struct {
	Name   string
	Role   string
	Agency string
	Phone  string
	Email  string
}

// Record is everything a coordinator keeps about a student.
type Record struct {
	Details
	Contacts      []Contact
	Professionals []Professional
}

// Student is a stored student with their school.
type Student struct {
	ID         int64
	SchoolID   int64
	SchoolName string
	Record
	CreatedAt time.Time
	UpdatedAt time.Time
}

// IsTemporaryUPN reports whether the UPN is a temporary one (ending in a letter).
func (d Details) IsTemporaryUPN() bool {
	u, err := ParseUPN(d.UPN)
	return err == nil && u.Temporary
}

// Name is the name the student goes by: preferred names where the school has them, else legal ones.
func (d Details) Name() string {
	first, last := d.LegalFirstName, d.LegalLastName
	if d.PreferredFirstName != "" {
		first = d.PreferredFirstName
	}
	if d.PreferredLastName != "" {
		last = d.PreferredLastName
	}
	return first + " " + last
}

// LegalName is the student's legal full name.
func (d Details) LegalName() string { return d.LegalFirstName + " " + d.LegalLastName }

// Age is the student's age in whole years on the day.
func (d Details) Age(on calendar.Date) int {
	age := on.Year - d.DateOfBirth.Year
	if on.Month < d.DateOfBirth.Month || (on.Month == d.DateOfBirth.Month && on.Day < d.DateOfBirth.Day) {
		age--
	}
	return age
}

// The field names of problems; the forms use the same names.
const (
	FieldUPN                = "upn"
	FieldLegalFirstName     = "legal_first_name"
	FieldLegalLastName      = "legal_last_name"
	FieldPreferredFirstName = "preferred_first_name"
	FieldPreferredLastName  = "preferred_last_name"
	FieldDateOfBirth        = "dob"
	FieldSex                = "sex"
	FieldYearGroup          = "year_group"
	FieldSEN                = "sen_status"
	FieldCPCIN              = "cp_cin_status"
	FieldEthnicity          = "ethnicity"
	FieldAddress            = "address"
	FieldPostcode           = "postcode"
)

// ContactField names a field of the nth parent or carer (from 1), e.g. "contact1_name".
func ContactField(n int, field string) string { return fmt.Sprintf("contact%d_%s", n, field) }

// ProfessionalField names a field of the nth professional (from 1), e.g. "prof1_name".
func ProfessionalField(n int, field string) string { return fmt.Sprintf("prof%d_%s", n, field) }

// Problem is one thing wrong with a record, as a sentence for the person who typed it.
type Problem struct {
	Field   string
	Message string
}

// Normalise tidies what people type: spaces trimmed, UPN and postcode in their standard forms, and
// none of the invisible characters that can disguise a name (input.Multiline), whether the record came
// from the form or an import file.
func (r *Record) Normalise() {
	d := &r.Details
	d.UPN = NormaliseUPN(input.Line(d.UPN))
	for _, s := range []*string{&d.LegalFirstName, &d.LegalLastName, &d.PreferredFirstName, &d.PreferredLastName, &d.Ethnicity} {
		*s = collapseSpaces(*s)
	}
	d.Address = trimLines(d.Address)
	d.Postcode = NormalisePostcode(input.Line(d.Postcode))
	for i := range r.Contacts {
		c := &r.Contacts[i]
		c.Name, c.Relationship, c.Phone = collapseSpaces(c.Name), collapseSpaces(c.Relationship), collapseSpaces(c.Phone)
		c.Email, c.Address = strings.TrimSpace(input.Line(c.Email)), trimLines(c.Address)
	}
	for i := range r.Professionals {
		p := &r.Professionals[i]
		p.Name, p.Role, p.Agency = collapseSpaces(p.Name), collapseSpaces(p.Role), collapseSpaces(p.Agency)
		p.Phone, p.Email = collapseSpaces(p.Phone), strings.TrimSpace(input.Line(p.Email))
	}
}

// collapseSpaces cleans a single-line value, trims it and turns runs of white space into one space.
func collapseSpaces(s string) string { return strings.Join(strings.Fields(input.Line(s)), " ") }

// trimLines cleans a multi-line value (an address) and trims it, keeping its line breaks.
func trimLines(s string) string { return strings.TrimSpace(input.Multiline(s)) }

// NormalisePostcode upper-cases a postcode and puts one space before its last three characters.
func NormalisePostcode(s string) string {
	s = strings.ToUpper(strings.Join(strings.Fields(s), ""))
	if len(s) > 3 {
		s = s[:len(s)-3] + " " + s[len(s)-3:]
	}
	return s
}

var (
	postcodeRe = regexp.MustCompile(`^[A-Z]{1,2}[0-9][A-Z0-9]? [0-9][A-Z]{2}$`)
	phoneRe    = regexp.MustCompile(`^\+?[0-9 ()-]{6,20}$`)
)

// Problems checks a record (after Normalise) and returns what is wrong, in form order. today bounds
// the date of birth.
func (r Record) Problems(today calendar.Date) []Problem {
	var out []Problem
	add := func(field, msg string) { out = append(out, Problem{Field: field, Message: msg}) }
	d := r.Details
	if _, err := ParseUPN(d.UPN); err != nil {
		add(FieldUPN, err.Error())
	}
	required := func(field, value, missing, label string) {
		if value == "" {
			add(field, missing)
		} else if utf8.RuneCountInString(value) > 100 {
			add(field, label+" must be 100 characters or fewer")
		}
	}
	required(FieldLegalFirstName, d.LegalFirstName, "Enter the student’s legal first name", "Legal first name")
	required(FieldLegalLastName, d.LegalLastName, "Enter the student’s legal last name", "Legal last name")
	if utf8.RuneCountInString(d.PreferredFirstName) > 100 {
		add(FieldPreferredFirstName, "Preferred first name must be 100 characters or fewer")
	}
	if utf8.RuneCountInString(d.PreferredLastName) > 100 {
		add(FieldPreferredLastName, "Preferred last name must be 100 characters or fewer")
	}
	if msg := DateOfBirthProblem(d.DateOfBirth, today); msg != "" {
		add(FieldDateOfBirth, msg)
	}
	if !d.Sex.Valid() {
		add(FieldSex, "Select the student’s sex")
	}
	if d.YearGroup < MinYearGroup || d.YearGroup > MaxYearGroup {
		add(FieldYearGroup, "Select the student’s year group, from Year 7 to Year 13")
	} else if DateOfBirthProblem(d.DateOfBirth, today) == "" {
		if msg := YearGroupProblem(d.DateOfBirth, d.YearGroup, today); msg != "" {
			add(FieldYearGroup, msg)
		}
	}
	if !d.SEN.Valid() {
		add(FieldSEN, "Select the student’s special educational needs provision")
	}
	if !d.CPCIN.Valid() {
		add(FieldCPCIN, "Select whether the student is a child in need or on a child protection plan")
	}
	if utf8.RuneCountInString(d.Ethnicity) > 100 {
		add(FieldEthnicity, "Ethnicity must be 100 characters or fewer")
	}
	if utf8.RuneCountInString(d.Address) > 500 {
		add(FieldAddress, "Address must be 500 characters or fewer")
	}
	if d.Postcode != "" && !postcodeRe.MatchString(d.Postcode) {
		add(FieldPostcode, "Enter a real postcode, like CV1 2GN")
	}
	for i, c := range r.Contacts {
		n := i + 1
		who := fmt.Sprintf("parent or carer %d", n)
		if c == (Contact{}) {
			continue
		}
		if c.Name == "" {
			add(ContactField(n, "name"), "Enter the name of "+who)
		} else if utf8.RuneCountInString(c.Name) > 100 {
			add(ContactField(n, "name"), "The name of "+who+" must be 100 characters or fewer")
		}
		if utf8.RuneCountInString(c.Relationship) > 50 {
			add(ContactField(n, "relationship"), "The relationship of "+who+" must be 50 characters or fewer")
		}
		if c.Phone != "" && !phoneRe.MatchString(c.Phone) {
			add(ContactField(n, "phone"), "Enter a phone number for "+who+", like 07700 900 982")
		}
		if c.Email != "" && !validEmail(c.Email) {
			add(ContactField(n, "email"), "Enter an email address for "+who+" in the correct format, like name@example.com")
		}
		if utf8.RuneCountInString(c.Address) > 500 {
			add(ContactField(n, "address"), "The address of "+who+" must be 500 characters or fewer")
		}
	}
	for i, p := range r.Professionals {
		n := i + 1
		who := fmt.Sprintf("professional %d", n)
		if p == (Professional{}) {
			continue
		}
		if p.Name == "" {
			add(ProfessionalField(n, "name"), "Enter the name of "+who)
		} else if utf8.RuneCountInString(p.Name) > 100 {
			add(ProfessionalField(n, "name"), "The name of "+who+" must be 100 characters or fewer")
		}
		if utf8.RuneCountInString(p.Role) > 100 {
			add(ProfessionalField(n, "role"), "The role of "+who+" must be 100 characters or fewer")
		}
		if utf8.RuneCountInString(p.Agency) > 100 {
			add(ProfessionalField(n, "agency"), "The agency of "+who+" must be 100 characters or fewer")
		}
		if p.Phone != "" && !phoneRe.MatchString(p.Phone) {
			add(ProfessionalField(n, "phone"), "Enter a phone number for "+who+", like 024 7696 0123")
		}
		if p.Email != "" && !validEmail(p.Email) {
			add(ProfessionalField(n, "email"), "Enter an email address for "+who+" in the correct format, like name@example.com")
		}
	}
	return out
}

// DateOfBirthProblem says what is wrong with a date of birth, or "" when it is plausible for a
// secondary school student on the day.
func DateOfBirthProblem(dob, today calendar.Date) string {
	switch {
	case dob.IsZero():
		return "Enter the student’s date of birth"
	case !dob.Before(today):
		return "Date of birth must be in the past"
	}
	age := Details{DateOfBirth: dob}.Age(today)
	if age < 9 || age > 20 {
		return "Date of birth must be for a secondary school student aged 9 to 20: check the year"
	}
	return ""
}

// NormalYearGroup is the year group a child born on dob is in during the academic year containing
// today, in England: the year a child starts Year 1 is the one after they turn five, so Year N of
// the year starting 1 September Y is for children born 1 September (Y-N-5) to 31 August (Y-N-4).
// It can be below 1 or above 13 for children outside those years.
func NormalYearGroup(dob, today calendar.Date) int {
	yearStart := today.Year
	if today.Month < time.September {
		yearStart--
	}
	cohortStart := dob.Year // the academic year the child was born in
	if dob.Month < time.September {
		cohortStart--
	}
	return yearStart - cohortStart - 5
}

// YearGroupProblem says what is wrong with a year group for a date of birth, or "" when they fit. A
// student can be a year behind or ahead of their age (held back or accelerated); further apart, one
// of the two is almost certainly mistyped.
func YearGroupProblem(dob calendar.Date, yearGroup int, today calendar.Date) string {
	normal := NormalYearGroup(dob, today)
	if yearGroup >= normal-1 && yearGroup <= normal+1 {
		return ""
	}
	year := calendar.AcademicYearCode(today)
	if normal < 1 || normal > MaxYearGroup {
		return fmt.Sprintf("A student born on %s would not normally be at secondary school in %s: check the date of birth and year group", dob.Format(), year)
	}
	return fmt.Sprintf("A student born on %s would normally be in Year %d in %s: check the date of birth and year group", dob.Format(), normal, year)
}

func validEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s && strings.Contains(s[strings.LastIndexByte(s, '@')+1:], ".")
}

// trimBlanks drops the blank contact and professional slots a form sends.
func (r *Record) trimBlanks() {
	contacts := r.Contacts[:0:0]
	for _, c := range r.Contacts {
		if c != (Contact{}) {
			contacts = append(contacts, c)
		}
	}
	r.Contacts = contacts
	profs := r.Professionals[:0:0]
	for _, p := range r.Professionals {
		if p != (Professional{}) {
			profs = append(profs, p)
		}
	}
	r.Professionals = profs
}
