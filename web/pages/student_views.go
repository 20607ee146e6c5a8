package pages

import (
	"strconv"

	"github.com/a-h/templ"
	"github.com/coventry-cap/capportal/web/components"
)

// StudentRow is one line of the students list.
type StudentRow struct {
	ID        int64
	Name      string // the name they go by
	LegalName string // shown too when it differs from Name
	UPN       string
	Born      string
	YearGroup string
	School    string
}

// Href is the student's page.
func (r StudentRow) Href() string { return "/students/" + strconv.FormatInt(r.ID, 10) }

// StudentsView is the list of students someone may see.
type StudentsView struct {
	Heading       string
	Query         string
	ShowSchool    bool                // CAP staff see every school's students
	SchoolOptions []components.Option // CAP staff can narrow to one school
	CanManage     bool                // coordinators add and import
	Students      []StudentRow
	NextHref      string
	PrevHref      string
	Searched      bool
}

// ContactCard is one parent or carer on the student's page.
type ContactCard struct {
	Title string
	Rows  []components.SummaryRow
}

// StudentView is one student's page.
type StudentView struct {
	ID            int64
	Name          string
	School        string
	CanEdit       bool
	Details       []components.SummaryRow
	Needs         []components.SummaryRow
	Contacts      []ContactCard
	Professionals [][]components.TableCell
	// Placements are the student's placements the viewer may see, with their attendance rates, the
	// attendance across them and their latest marks.
	Placements []StudentPlacementRow
	Attendance *AttendanceView
	Marks      []MarkRow
	// ReferHref starts a referral for the student (the school's coordinators).
	ReferHref string
	// SafeguardingHref is the student's safeguarding chronology, for those who may see it only.
	SafeguardingHref string
	// Referrals are the student's referrals the viewer may see, newest first.
	Referrals []StudentReferralRow
	// Timeline is the student's referrals and placements in date order, newest first.
	Timeline []components.TimelineItem
	// Sections are the parts other records add: the hours a week against full-time.
	Sections []templ.Component
}

// StudentReferralRow is one of the student's referrals.
type StudentReferralRow struct {
	Href, Reference, Programme, Step, Started string
}

// StudentPlacementRow is one of the student's placements.
type StudentPlacementRow struct {
	Href, Provider, Programme, Start, Status, Rate string
}

// EditHref is the student's edit form.
func (v StudentView) EditHref() string { return "/students/" + strconv.FormatInt(v.ID, 10) + "/edit" }

// ContactForm is one parent or carer on the student form.
type ContactForm struct {
	Name, Relationship, Phone, Email, Address string
	ParentalResponsibility                    bool
}

// ProfessionalForm is one professional on the student form.
type ProfessionalForm struct {
	Name, Role, Agency, Phone, Email string
}

// StudentFormView is the form to add a student or change their details.
type StudentFormView struct {
	ID                        int64 // 0 when adding
	Heading                   string
	Caption                   string
	Action                    string
	CancelHref                string
	SchoolOptions             []components.Option // only when the coordinator has more than one school
	UPN                       string
	LegalFirst                string
	LegalLast                 string
	PreferredFirst            string
	PreferredLast             string
	DOBDay, DOBMonth, DOBYear string
	DOBErrorParts             []string
	Ethnicity                 string
	Address                   string
	Postcode                  string
	YearOptions               []components.Option
	SexItems                  []components.Choice
	SENItems                  []components.Choice
	CPCINItems                []components.Choice
	FlagItems                 []components.Choice
	Contacts                  []ContactForm
	Professionals             []ProfessionalForm
	Errors                    components.Errors
}

// ImportColumn is one column the import page documents.
type ImportColumn struct {
	Header   string
	Values   string
	Required bool
}

// StudentImportView is the page to upload an MIS export.
type StudentImportView struct {
	SchoolOptions []components.Option
	Columns       []ImportColumn
	MaxRows       int
	Errors        components.Errors
}

// ImportPreviewRow is one row of a previewed file.
type ImportPreviewRow struct {
	Line      int
	UPN       string
	Name      string
	Status    string
	TagColour string
	Outcome   string   // what importing it will do
	Reasons   []string // why it cannot be imported
}

// ImportPreviewView shows what importing a file would do, with the button to do it.
type ImportPreviewView struct {
	ID                int64
	FileName          string
	SchoolName        string
	New               int
	Update            int
	Unchanged         int
	Error             int
	Rows              []ImportPreviewRow
	Ignored           []string
	LeftOut           []string // optional columns the file does not have
	SameFileAppliedOn string
	CanConfirm        bool
	ConfirmText       string
	NothingToImport   string // why there is no button, when there is none
}

// ConfirmHref is where the confirm button posts.
func (v ImportPreviewView) ConfirmHref() string {
	return "/students/import/" + strconv.FormatInt(v.ID, 10) + "/confirm"
}
