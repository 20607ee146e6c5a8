package pages

import (
	"github.com/coventry-cap/capportal/web/components"
)

// ProgressStep is one step of a referral's pathway as the referral page lists it.
type ProgressStep struct {
	Title  string
	State  string // "Done", "Now" or "To come"
	Colour string // the tag colour for the state
	Next   string // what happens at the current step
}

// ReferralAction is an action the viewer may take now, as a link to its step page.
type ReferralAction struct {
	Text string
	Href string
}

// BlockedAction is an action the viewer could take but for checks that fail.
type BlockedAction struct {
	Text   string
	Checks []string
}

// AnswerSection is one section of the application as a summary list.
type AnswerSection struct {
	Title string
	Rows  []components.SummaryRow
}

// DocumentLink is one attached document with its download link.
type DocumentLink struct {
	Name   string // the file name
	Href   string
	Kind   string // "Risk assessment"
	Detail string // "PDF, 350 KB, completed on 2 November 2026"
}

// RowBlock is a headed summary list (a response, a placement).
type RowBlock struct {
	Heading string
	Rows    []components.SummaryRow
}

// ReferralView is a referral's page.
type ReferralView struct {
	Heading  string // "Referral CAP-2627-00001"
	Caption  string // the student's name
	Details  []components.SummaryRow
	StepName string
	Next     string
	// Starts is the placement's start and days, at the top once they are known: "Starts Tuesday 5
	// January 2027, Tuesdays and Wednesdays".
	Starts   string
	Waiting  string // "Waiting on the training provider" or ""
	Progress []ProgressStep
	Actions  []ReferralAction
	Blocked  []BlockedAction
	// ApplicationHref is the coordinator's way back into a returned application.
	ApplicationHref string
	ReturnNote      string // what CAP asked the school to put right, when it is returned
	Sections        []AnswerSection
	Documents       []DocumentLink
	PackHref        string
	Responses       []RowBlock
	Placement       *RowBlock
	// Panel is the Tier 2 or Tier 3 referral's panels, decisions and outcome letters; nil for others.
	Panel *RefPanelSection
	// Contacts are who to get in touch with: the provider's for the school and CAP, the school's
	// for the provider and CAP.
	Contacts []RowBlock
	Versions []components.SummaryRow
	Timeline []components.TimelineItem
}

// ReferralRow is one line of the referrals list.
type ReferralRow struct {
	Key       string
	Href      string
	Draft     bool
	Student   string
	School    string
	Programme string
	Provider  string
	Step      string
	Since     string // "17 September 2025 (6 working days)"
}

// ReferralsView is the referrals list with its filters.
type ReferralsView struct {
	Heading         string
	StepOptions     []components.Option
	KindOptions     []components.Option
	TierOptions     []components.Option
	SchoolOptions   []components.Option // CAP only
	ProviderOptions []components.Option // CAP and schools
	// SchoolName and ProviderName, when set, replace the selects with a name to type: there are too
	// many schools or providers to choose from a list.
	SchoolName, ProviderName *NameFilter
	AgeOptions               []components.Option
	SortOptions              []components.Option
	Rows                     []ReferralRow
	ShowSchool               bool
	NextHref                 string
	FirstHref                string // back to the first page, when on a later one
	Filtered                 bool
	CanRefer                 bool
}

// NameFilter is a filter by part of an organisation's name.
type NameFilter struct {
	Value string
	// Note says what the value matched, when it matched none or several (empty when nothing was
	// typed, or one organisation).
	Note string
}

// StepPage is what every pathway step page shares: whose referral, where to go back to, where the
// form posts.
type StepPage struct {
	Reference string // the caption
	Heading   string
	Action    string // where the form posts
	Back      string // the referral page
	Summary   []components.SummaryRow
	Errors    components.Errors
}

// ReturnView asks CAP what the school must put right.
type ReturnView struct {
	StepPage
	Missing string
}

// CheckItem is one pack check with whether it holds.
type CheckItem struct {
	Text string
	OK   bool
	Note string
}

// SendPackView is the checklist before CAP sends the pack to the provider.
type SendPackView struct {
	StepPage
	Provider  string
	Sections  []CheckItem
	Checks    []CheckItem
	Documents []DocumentLink
	PackHref  string
}

// InterviewView records the interview date.
type InterviewView struct {
	StepPage
	Day, Month, Year string
	DateParts        []string
	Time             string
	Current          string // the date already recorded, when changing it
}

// RespondView is the provider's application response form.
type RespondView struct {
	StepPage
	Receipt        bool
	CanMeetNeeds   []components.Choice
	CanManageRisk  []components.Choice
	Decision       []components.Choice
	StartDay       string
	StartMonth     string
	StartYear      string
	StartParts     []string
	Days           []components.Choice // the days the programme runs on
	DaysHint       string              // which days the programme runs on
	DeclineReasons []components.Choice
	DeclineDetail  string
	Notes          string
	Documents      []DocumentLink
	PackHref       string
}

// ProcessView shows CAP the provider's response in full before it is processed.
type ProcessView struct {
	StepPage
	Response RowBlock
	Accepted bool
	Button   string
	// Dates sets the accepted start date (with its weekday), the days chosen and the days the
	// programme runs on side by side, so CAP can see at once whether they agree.
	Dates []components.SummaryRow
	// Problems are what is wrong with the start date or the days, for CAP to take up with the
	// provider before confirming the start to the school.
	Problems []string
}

// PlacementView is CAP setting up the training record from the accepted response.
type PlacementView struct {
	StepPage
	Response  RowBlock
	QA        bool
	QAHint    string
	QAOffered bool // false when the placement cannot count (not Tier 1, no SLA, none left)
}

// ProgrammeChoice is one programme a referral can be redirected to.
type ProgrammeChoice struct {
	ID      string
	Label   string
	Hint    string
	Checked bool
}

// ProgrammeGroup is the choices of one tier.
type ProgrammeGroup struct {
	Tier    string
	Choices []ProgrammeChoice
}

// RedirectView chooses another programme for a declined referral.
type RedirectView struct {
	StepPage
	Query       string
	TierOptions []components.Option
	Tier        string
	Groups      []ProgrammeGroup
	NoResults   bool
	Total       int
	Page        int
	NextHref    string
	PrevHref    string
	Note        string
	Reasons     []string // why the chosen programme cannot be used
	Current     string   // the programme the referral is for now
}
