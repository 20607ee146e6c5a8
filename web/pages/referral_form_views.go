package pages

import "github.com/coventry-cap/capportal/web/components"

// The school coordinator's application: starting a referral, the task list, one section's form, the
// documents, check your answers and the confirmation. The handlers in internal/ui/referral_new.go,
// referral_application.go, referral_section.go, referral_documents.go and referral_submit.go fill these.

// OptionGroup is a labelled group of a select's options (an <optgroup>).
type OptionGroup struct {
	Label   string
	Options []components.Option
}

// ApplicationStartView chooses the student and the programme, answers whether the school may refer,
// and offers to start the application when it may.
type ApplicationStartView struct {
	// SchoolOptions lets a coordinator of several schools choose which one refers; empty otherwise.
	SchoolOptions []components.Option
	SchoolName    string
	// StudentOptions are the school's students; a search narrows them when the school has many.
	StudentOptions  []components.Option
	ShowSearch      bool
	StudentQuery    string
	MoreStudents    bool
	ProgrammeGroups []OptionGroup
	ProgrammeHint   string
	Errors          components.Errors

	// The answer, once a programme is chosen (and the student, for their year group).
	Answered      bool
	StudentName   string
	ProgrammeName string
	Eligible      bool
	Reasons       []string
	// Existing is the student's referral to this programme that is still going, which stops a second.
	Existing *ExistingReferral
	Note     string
	// CanStart offers the "Start the application" button: eligible, with a student chosen.
	CanStart    bool
	StartToken  string
	School      string // the chosen school's ID when the coordinator has several
	StudentID   string
	ProgrammeID string
}

// ApplicationTaskListView is the application's task list.
type ApplicationTaskListView struct {
	Caption       string
	Heading       string
	ReturnedNote  string // CAP's note when it sent the application back
	StudentRows   []components.SummaryRow
	ProgrammeRows []components.SummaryRow
	Tasks         []components.TaskItem
	Completed     int
	Total         int
	CheckHref     string // "" until every task is complete
	ReferralHref  string
	DeleteHref    string // a draft's "delete" page; "" once submitted
}

// ApplicationField is one question of a section as a form shows it.
type ApplicationField struct {
	Name  string
	Label string
	Hint  string
	// Type is text, textarea, yesno, date, confirm or percent.
	Type  string
	Value string
	// Day, Month and Year are a date's parts as typed.
	Day, Month, Year string
	DateErrorParts   []string
	Error            string
	// MaxLength is the longest answer, for the character count of a textarea.
	MaxLength int
	// Reveal are follow-up questions shown when the yes/no answer is RevealOn.
	Reveal   []ApplicationField
	RevealOn string
	// Record is what the student's record says, for a question the application does not ask again.
	Record []string
	// Choices are the people a parental question chooses from (those with parental responsibility).
	Choices []string
	// StudentHref is where the record is corrected.
	StudentHref string
}

// ApplicationSectionView is one section's form.
type ApplicationSectionView struct {
	Caption  string
	Heading  string
	Intro    string
	Action   string
	BackHref string
	Fields   []ApplicationField
	Errors   components.Errors
	// Saved says that what was typed has been kept although it has problems.
	Saved bool
}

// ApplicationDocument is one attached document.
type ApplicationDocument struct {
	ID           string
	Name         string
	Href         string
	Kind         string
	Size         string
	Type         string
	Completed    string // risk assessments: the date completed and whose template
	UploadedBy   string
	UploadedAt   string
	RemoveAction string
}

// ApplicationDocumentsView lists the documents and uploads another.
type ApplicationDocumentsView struct {
	Caption   string
	Action    string
	BackHref  string
	Documents []ApplicationDocument
	// RiskAssessment says where the risk assessment stands: "" when one is attached and in date.
	RiskAssessment string
	// The upload form as typed.
	Kind, Day, Month, Year, Template, Description string
	DateErrorParts                                []string
	KindItems                                     []components.Choice
	TemplateItems                                 []components.Choice
	Errors                                        components.Errors
	// Tier 1: the commissioning agreement is encouraged; without one the coordinator confirms.
	CommissioningEncouraged bool
	HasCommissioning        bool
	NoCommissioning         bool
}

// ApplicationCheckSection is one section's answers on the check-answers page.
type ApplicationCheckSection struct {
	ID    string
	Title string
	Rows  []components.SummaryRow
}

// ApplicationCheckView is "Check your answers" before submitting (or resubmitting) the application.
type ApplicationCheckView struct {
	Caption      string
	ReturnedNote string
	StudentRows  []components.SummaryRow
	Sections     []ApplicationCheckSection
	DocumentRows []components.SummaryRow
	DocumentsRef string
	// Problems stop the submission; each links to where it is put right.
	Problems     []Link
	SubmitAction string // the submit form, for a draft
	// ResubmitAction is the resubmit form, for an application CAP sent back; it asks for a reason.
	ResubmitAction string
	Reason         string
	Errors         components.Errors
	BackHref       string
	// Panel is the round a Tier 2 or Tier 3 referral submitted today joins; nil for other programmes.
	Panel *PanelPlanView
}

// ApplicationConfirmationView confirms the submission and its reference.
type ApplicationConfirmationView struct {
	Reference    string
	StudentName  string
	Programme    string
	Next         string
	ReferralHref string
	Panel        *PanelPlanView
	// Interview tells the school to arrange the interview with the provider once the pack is sent.
	Interview string
}

// ExistingReferral is a student's referral to a programme that is still going.
type ExistingReferral struct {
	Student   string
	Reference string
	Href      string
	Step      string // its step, as its pathway names it
}
