package pages

import (
	"github.com/a-h/templ"

	"github.com/coventry-cap/capportal/web/components"
)

// PlacementsView is the list of placements someone may see.
type PlacementsView struct {
	Heading string
	// Show is the filter chosen: "current", "ended" or "all".
	ShowOptions []components.Option
	// ProviderOptions let CAP's staff pick a provider (and see its attendance); nil for others.
	ProviderOptions []components.Option
	ShowSchool      bool
	ShowProvider    bool
	Rows            []PlacementRow
	Empty           string
	// Attendance is the chosen provider's (or the provider's own) attendance; nil when none.
	Attendance *AttendanceView
	NextHref   string
	FirstHref  string
}

// PlacementRow is one placement in the list.
type PlacementRow struct {
	Href, Student, School, Provider, Programme, Start, Status string
}

// PlacementPageView is a placement's page. Each monitoring record (progress reviews, behaviour
// incidents, meetings) adds its own section to Sections, shown after the attendance.
type PlacementPageView struct {
	Heading string // the student's name
	Caption string // "Placement at Ridgeway Motor Skills"
	Status  string
	Colour  string
	Details []components.SummaryRow
	Plan    []components.SummaryRow
	// PlanHref is the plan's change form, with its link text; empty for someone who cannot change it.
	PlanHref, PlanLink string
	Attendance         AttendanceView
	// Marks are the latest marks, newest first, with their DfE codes and corrections.
	Marks []MarkRow
	// MarksNote says how many marks are shown, when not all of them.
	MarksNote string
	// ShowCorrect adds the column of "Correct" links (for those who take its provider's registers).
	ShowCorrect bool
	Sections    []PlacementSection
}

// PlacementSection is a headed part of the placement page another record keeps.
type PlacementSection struct {
	ID      string
	Heading string
	Body    templ.Component
}

// MarkRow is a recorded mark: what it says, its DfE code and what that means, who recorded it, and
// what it replaced.
type MarkRow struct {
	// Date and Session fill the first column: the day and session, or on a register the learner
	// and their programme.
	Date, Session, Where string
	Mark                 string
	Code, Meaning        string
	Recorded             string // "Craig Holloway, 23 November 2026 at 9:12am"
	CorrectHref          string
	Label                string // who and when the mark is for, completing "Correct" for screen readers
	History              []MarkChangeRow
}

// MarkChangeRow is what a mark said before a correction, who changed it, when and why.
type MarkChangeRow struct {
	Was, Code, Recorded, Changed, Reason string
}

// PlacementPlanView is the form that changes a placement's plan.
type PlacementPlanView struct {
	Caption, Heading string
	Action, Back     string
	// Whole is false for a provider's staff, who change the objectives and reintegration plan only.
	Whole                     bool
	EndDay, EndMonth, EndYear string
	EndParts                  []string
	Days                      []components.Choice
	Sessions                  []components.Choice
	Hours                     string
	Objectives, Reintegration string
	Reviews                   []DateParts
	ReviewHint                string
	Officers                  []components.Option
	Fixed                     []components.SummaryRow // what a provider sees of the rest
	Errors                    components.Errors
}

// DateParts is one date input's values.
type DateParts struct {
	Prefix           string
	Legend           string
	Day, Month, Year string
}

// PlanFieldOrder is the order the plan form's fields appear in, for its error summary.
var PlanFieldOrder = []string{"planned_end", "days", "sessions", "hours", "objectives", "reintegration", "review_dates", "monitoring_officer"}
