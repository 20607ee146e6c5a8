package referral

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/directory"
	"github.com/coventry-cap/capportal/internal/input"
)

// The application is a GOV.UK task list of sections. Each section is data — its questions, which are
// required, and when — so one form renders and validates them all, and the pack, the check-answers
// page and the referral page read the same definitions.

// FieldType is how a question is answered.
type FieldType string

// The kinds of answer.
const (
	Text     FieldType = "text"
	TextArea FieldType = "textarea"
	YesNo    FieldType = "yesno"
	DateOf   FieldType = "date" // stored as 2006-01-02; entered as day, month, year
	Confirm  FieldType = "confirm"
	Percent  FieldType = "percent"
	// Parental is a choice of the people with parental responsibility on the student's record.
	Parental FieldType = "parental"
	// FromRecord is not asked: its yes or no comes from the student's record (Field.Record says which
	// fact), and the form shows it with a way to correct the record.
	FromRecord FieldType = "record"
)

// The facts of the student's record a FromRecord field shows.
const (
	FactEHCP          = "ehcp"          // the record's SEN status is an EHCP
	FactProfessionals = "professionals" // professionals are recorded for the student
)

// Field is one question of a section.
type Field struct {
	Name     string
	Label    string
	Hint     string
	Type     FieldType
	Required bool
	// RequiredIf makes the field required when another field has a value ("ehcp" = "yes").
	RequiredIf *Condition
	// Short is the label used on the check-answers page and in the pack.
	Short string
	// Number is what a Percent field accepts: its range, its decimal places and its message.
	Number input.Number
	// Record is the fact of the student's record a FromRecord field shows.
	Record string
}

// Condition is "field Name has value Value".
type Condition struct{ Name, Value string }

// Section is one task of the application.
type Section struct {
	ID     string
	Title  string
	Intro  string
	Fields []Field
}

// Section IDs.
const (
	SectionStudent        = "student"
	SectionNeeds          = "needs"
	SectionReasons        = "reasons"
	SectionProfessionals  = "professionals"
	SectionConsiderations = "considerations"
	SectionConsents       = "consents"
	SectionDocuments      = "documents"
)

// MaxAnswer is the longest answer kept for one question.
const MaxAnswer = 10000

// Answers are the application's answers by field name.
type Answers map[string]string

// Sections returns the application's sections for a programme kind, in task-list order. The
// documents section has no fields: it is complete when the risk assessment is attached and in date.
func Sections(kind directory.Kind) []Section {
	return []Section{
		{ID: SectionStudent, Title: "Student and family",
			Intro: "The student’s details and parents or carers come from the school’s student record. Add what the provider and CAP need to know about the family.",
			Fields: []Field{
				{Name: "family_circumstances", Label: "Family circumstances relevant to this referral", Short: "Family circumstances",
					Hint: "Who the student lives with, caring responsibilities, and anything the provider should know before meeting the family", Type: TextArea, Required: true},
				{Name: "parent_views", Label: "What do the parents or carers think about this referral?", Short: "Parents’ or carers’ views", Type: TextArea, Required: true},
				{Name: "student_views", Label: "What does the student think about this referral?", Short: "Student’s views",
					Hint: "Their strengths, their interests and what they would like support with", Type: TextArea, Required: true},
			}},
		{ID: SectionNeeds, Title: "Needs",
			Intro: "The student’s special educational needs status comes from the student record.",
			Fields: []Field{
				{Name: "needs", Label: "Describe the student’s needs", Short: "Needs",
					Hint: "Learning needs, special educational needs, and social, emotional and mental health needs", Type: TextArea, Required: true},
				{Name: "ehcp", Label: "Education, health and care plan (EHCP)", Short: "EHCP", Type: FromRecord, Record: FactEHCP},
				{Name: "ehcp_provision", Label: "How will this provision meet the requirements of the EHCP?", Short: "How the provision meets the EHCP",
					Type: TextArea, RequiredIf: &Condition{Name: "ehcp", Value: "yes"}},
				{Name: "medical", Label: "Medical needs and medication (optional)", Short: "Medical needs", Type: TextArea},
				{Name: "attendance", Label: "The student’s attendance this academic year", Short: "Attendance this year",
					Hint: "As a percentage, for example 84.5", Type: Percent, Required: true,
					Number: input.Number{What: "the attendance", Min: 0, Max: 100, Places: 1, Example: "85"}},
			}},
		{ID: SectionReasons, Title: "Reasons for referral",
			Fields: []Field{
				{Name: "reasons", Label: "Why are you referring the student?", Short: "Reasons for referral", Type: TextArea, Required: true},
				{Name: "tried", Label: "What has the school already tried, and what was the impact?", Short: "What has been tried and its impact",
					Hint: "Strategies and interventions, adapted timetables or curriculum, and how the student responded", Type: TextArea, Required: true},
				{Name: "aims", Label: "What should this placement achieve for the student?", Short: "What the placement should achieve", Type: TextArea, Required: true},
			}},
		{ID: SectionProfessionals, Title: "Professionals involved",
			Intro: "Professionals recorded on the student’s record are included in the application.",
			Fields: []Field{
				{Name: "professionals", Label: "Professionals involved", Short: "Other professionals involved", Type: FromRecord, Record: FactProfessionals},
				{Name: "professionals_detail", Label: "What has been the impact of their work?", Short: "Their involvement and its impact",
					Type: TextArea, RequiredIf: &Condition{Name: "professionals", Value: "yes"}},
				{Name: "early_help", Label: "Has an Early Help Assessment been started and recorded on EHM?", Short: "Early Help Assessment on EHM", Type: YesNo, Required: true},
			}},
		{ID: SectionConsiderations, Title: considerationsTitle(kind),
			Intro: considerationsIntro(kind), Fields: considerations(kind)},
		{ID: SectionConsents, Title: "Consents",
			Fields: []Field{
				{Name: "consent_parent", Label: "A parent or carer with parental responsibility agrees to this referral", Short: "Parent or carer agrees to the referral", Type: Confirm, Required: true},
				{Name: "consent_share", Label: "They agree that CAP may share this application with the training provider and, where the programme has one, the panel", Short: "Agrees to sharing the application", Type: Confirm, Required: true},
				{Name: "consent_student", Label: "The student knows about this referral", Short: "Student knows about the referral", Type: Confirm, Required: true},
				{Name: "consent_name", Label: "Who gave consent?", Short: "Consent given by",
					Hint: "The people with parental responsibility on the student’s record", Type: Parental, Required: true},
				{Name: "consent_date", Label: "Date consent was given", Short: "Consent given on", Hint: "For example, 27 3 2026", Type: DateOf, Required: true},
			}},
		{ID: SectionDocuments, Title: "Documents",
			Intro: "Attach the student’s risk assessment — the CAP template or the school’s own — completed no more than three months before you submit."},
	}
}

// SectionByID returns a section of the kind's application.
func SectionByID(kind directory.Kind, id string) (Section, bool) {
	for _, s := range Sections(kind) {
		if s.ID == id {
			return s, true
		}
	}
	return Section{}, false
}

// FieldError is a problem with one answer.
type FieldError = input.FieldProblem

// Validate checks a section's answers against its questions; today bounds dates.
func (s Section) Validate(a Answers, today calendar.Date) []FieldError {
	var errs []FieldError
	for _, f := range s.Fields {
		if f.Type == FromRecord {
			continue // the record says it; nothing to check
		}
		v := strings.TrimSpace(a[f.Name])
		required := f.Required || (f.RequiredIf != nil && a[f.RequiredIf.Name] == f.RequiredIf.Value)
		if v == "" {
			if required {
				errs = append(errs, FieldError{Field: f.Name, Message: missingMessage(f)})
			}
			continue
		}
		if len([]rune(v)) > MaxAnswer {
			errs = append(errs, FieldError{Field: f.Name, Message: f.Short + " must be " + strconv.Itoa(MaxAnswer) + " characters or fewer"})
			continue
		}
		switch f.Type {
		case YesNo:
			if v != "yes" && v != "no" {
				errs = append(errs, FieldError{Field: f.Name, Message: missingMessage(f)})
			}
		case Confirm:
			if v != "yes" {
				errs = append(errs, FieldError{Field: f.Name, Message: missingMessage(f)})
			}
		case Percent:
			if _, err := f.percent(v); err != nil {
				errs = append(errs, FieldError{Field: f.Name, Message: err.Error()})
			}
		case DateOf:
			d, err := time.Parse("2006-01-02", v)
			if err != nil {
				errs = append(errs, FieldError{Field: f.Name, Message: "The " + lowerFirst(f.Label) + " must be a real date"})
			} else if calendar.DateOf(d).After(today) {
				errs = append(errs, FieldError{Field: f.Name, Message: "The " + lowerFirst(f.Label) + " must be today or in the past"})
			} else if calendar.DateOf(d).Before(calendar.NewDate(today.Year-2, today.Month, today.Day)) {
				errs = append(errs, FieldError{Field: f.Name, Message: "The " + lowerFirst(f.Label) + " must be within the last two years: ask the family to confirm their consent again"})
			}
		}
	}
	return errs
}

// CleanAnswers removes from answers the invisible characters that can disguise text (see
// input.Multiline): the answer to a multi-line question keeps its line breaks, as "\n"; every other
// answer is one line.
func CleanAnswers(kind directory.Kind, a Answers) Answers {
	multiline := map[string]bool{}
	for _, s := range Sections(kind) {
		for _, f := range s.Fields {
			multiline[f.Name] = f.Type == TextArea
		}
	}
	out := make(Answers, len(a))
	for k, v := range a {
		if multiline[k] {
			out[k] = input.Multiline(v)
		} else {
			out[k] = input.Line(v)
		}
	}
	return out
}

// percent reads a Percent answer; the "%" the input shows beside the box may be typed too.
func (f Field) percent(v string) (input.Value, error) {
	return f.Number.Parse(strings.TrimSuffix(strings.TrimSpace(v), "%"))
}

func missingMessage(f Field) string {
	label := strings.TrimSuffix(f.Label, " (optional)")
	switch {
	case f.Type == YesNo:
		return "Select yes or no: " + label
	case f.Type == Parental:
		return "Select who gave consent"
	case f.Type == Confirm:
		return "Confirm that " + lowerFirst(label)
	case f.Type == DateOf:
		return "Enter the " + lowerFirst(label)
	case strings.HasSuffix(label, "?"):
		return "Answer the question: " + label
	case strings.HasPrefix(label, "Describe "):
		return label
	case strings.HasPrefix(label, "The "):
		return "Enter " + lowerFirst(label)
	}
	return "Enter the " + lowerFirst(label)
}

// properNouns start titles that keep their capital mid-sentence: the names of panels, programmes
// and Coventry AP Academy.
var properNouns = []string{"Coventry", "Multi-Agency", "Review and Authorisation", "Supported Transfer", "Headteacher Placement",
	"Flourish", "Refocus", "Focus 11", "Insight", "Year 11"}

// lowerFirst puts a title mid-sentence: "Pack sent to the provider" becomes "pack sent to the
// provider", while acronyms ("EHCP", "CAP") and names ("Coventry AP Academy onboarding", "Multi-Agency
// Panel") keep their capitals.
// MidSentence is lowerFirst for the pages: a title put inside a sentence.
func MidSentence(s string) string { return lowerFirst(s) }

func lowerFirst(s string) string {
	if s == "" || (len(s) > 1 && isUpper(s[0]) && isUpper(s[1])) {
		return s
	}
	for _, p := range properNouns {
		if strings.HasPrefix(s, p) {
			return s
		}
	}
	return strings.ToLower(s[:1]) + s[1:]
}

func isUpper(b byte) bool { return b >= 'A' && b <= 'Z' }

// Status is a task's state on the task list.
type Status string

// The task-list statuses of GOV.UK's task list pattern.
const (
	NotStarted Status = "Not yet started"
	InProgress Status = "In progress"
	Completed  Status = "Completed"
)

// StatusOf says how far a section's answers have got.
func (s Section) StatusOf(a Answers, today calendar.Date) Status {
	any := false
	for _, f := range s.Fields {
		if f.Type != FromRecord && strings.TrimSpace(a[f.Name]) != "" {
			any = true
			break
		}
	}
	if !any {
		return NotStarted
	}
	if len(s.Validate(a, today)) > 0 {
		return InProgress
	}
	return Completed
}

// Visible reports whether a field applies given the other answers (a follow-up shows only when its
// condition holds); used by the check-answers page and the pack.
func (f Field) Visible(a Answers) bool {
	return f.RequiredIf == nil || a[f.RequiredIf.Name] == f.RequiredIf.Value
}

// Display is an answer as people read it.
func (f Field) Display(v string) string {
	v = strings.TrimSpace(v)
	if v == "" {
		return "Not given"
	}
	switch f.Type {
	case YesNo:
		if v == "yes" {
			return "Yes"
		}
		return "No"
	case FromRecord:
		if v == "yes" {
			return "Yes, on the student’s record"
		}
		return "None on the student’s record"
	case Confirm:
		return "Confirmed"
	case Percent:
		// An answer that is not a percentage (a draft's) shows as it was typed, without a "%" that
		// would make "NaN" look like one.
		if n, err := f.percent(v); err == nil {
			return n.String() + "%"
		}
	case DateOf:
		if d, err := time.Parse("2006-01-02", v); err == nil {
			return calendar.DateOf(d).Format()
		}
	}
	return v
}

// Record is what the student's record says that the application takes from it rather than asking
// again: whether they have an EHCP, the professionals involved, and who has parental responsibility.
type Record struct {
	EHCP          bool
	Professionals []string // "Dana Whitfield, social worker (Coventry Children's Services)"
	Parental      []string // the names of the contacts with parental responsibility: "Agata Kowalska (Mother)"
}

// Fact is the yes or no a FromRecord field takes from the record.
func (rec Record) Fact(name string) string {
	yes := false
	switch name {
	case FactEHCP:
		yes = rec.EHCP
	case FactProfessionals:
		yes = len(rec.Professionals) > 0
	}
	if yes {
		return "yes"
	}
	return "no"
}

// withRecord is the answers with the record's facts in the FromRecord fields: what the application
// says is always what the record says.
func withRecord(kind directory.Kind, a Answers, rec Record) Answers {
	out := make(Answers, len(a)+2)
	for k, v := range a {
		out[k] = v
	}
	for _, s := range Sections(kind) {
		for _, f := range s.Fields {
			if f.Type == FromRecord {
				out[f.Name] = rec.Fact(f.Record)
			}
		}
	}
	return out
}

// ParentalProblem says what is wrong with a consent given by someone not recorded as having parental
// responsibility; "" when the choice is one of them (or not made yet).
func (rec Record) ParentalProblem(chosen string) string {
	chosen = strings.TrimSpace(chosen)
	if chosen == "" || slices.Contains(rec.Parental, chosen) {
		return ""
	}
	if len(rec.Parental) == 0 {
		return "Nobody on the student’s record has parental responsibility: add the parent or carer who gave consent to the student’s record first"
	}
	return "Choose who gave consent from the people with parental responsibility on the student’s record, or correct the record first"
}

// SectionProblems checks a section's answers as the referral holds them: the section's own rules, and
// that consent came from someone with parental responsibility on the student's record.
func (r Referral) SectionProblems(sec Section, a Answers, today calendar.Date) []FieldError {
	errs := sec.Validate(a, today)
	for _, f := range sec.Fields {
		if f.Type != Parental || slices.ContainsFunc(errs, func(e FieldError) bool { return e.Field == f.Name }) {
			continue
		}
		if msg := r.Record.ParentalProblem(a[f.Name]); msg != "" {
			errs = append(errs, FieldError{Field: f.Name, Message: msg})
		}
	}
	return errs
}

// SectionStatus is the section's state on the task list for the referral's answers and record.
func (r Referral) SectionStatus(sec Section, today calendar.Date) Status {
	if st := sec.StatusOf(r.Answers, today); st != Completed {
		return st
	}
	if len(r.SectionProblems(sec, r.Answers, today)) > 0 {
		return InProgress
	}
	return Completed
}
