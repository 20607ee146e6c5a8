package pages

import "github.com/coventry-cap/capportal/web/components"

// PlacementMonitoringSectionView is the "Monitoring" section of a placement's page: the latest review,
// the next review date, how many incidents, the meetings with actions still open, and links.
type PlacementMonitoringSectionView struct {
	Heading string // "Monitoring"
	Rows    []components.SummaryRow
	// Meetings are the meetings with actions still open, each linked.
	Meetings []Link
	Href     string // the placement's monitoring page
	Links    []Link // what the viewer may record
}

// MonitoringPageView is a placement's reviews, incidents and meetings, newest first.
type MonitoringPageView struct {
	Caption   string // the student and where they are placed
	Heading   string
	Back      string
	Summary   PlacementMonitoringSectionView
	Links     []Link // what the viewer may record
	Reviews   []RecordCard
	Incidents []RecordCard
	Meetings  []MeetingRow
}

// RecordCard is one review or incident as a summary card.
type RecordCard struct {
	ID    string // the element id, so a flash can point at it
	Title string
	Rows  []components.SummaryRow
	// Link is an action on the record: arrange a behaviour meeting about an incident, or see the one arranged.
	Link       Link
	LinkButton bool // the link is the "Arrange a behaviour meeting" button
}

// MeetingRow is a meeting in the placement's list.
type MeetingRow struct {
	Title        string // "Attendance meeting on 20 November 2026"
	Href         string
	CompletedBy  string
	Actions      string // "2 open, 1 overdue", "All 3 done", "None agreed"
	ActionsColor string // a tag colour when some are overdue
}

// ProgressBox is the progress box of one objective in the review form.
type ProgressBox struct {
	Field string
	Label string
	Value string
	Error string
}

// ReviewFormView is the progress review form.
type ReviewFormView struct {
	Caption      string
	Heading      string
	Action       string
	Back         string
	Token        string
	Due          string // "The review due on 18 December 2026 is the next one"
	DateHint     string
	HeldDay      string
	HeldMonth    string
	HeldYear     string
	HeldParts    []string
	Participants string
	Progress     []ProgressBox
	Targets      string
	NextDay      string
	NextMonth    string
	NextYear     string
	NextParts    []string
	Errors       components.Errors
}

// IncidentFormView is the behaviour incident form.
type IncidentFormView struct {
	Caption     string
	Heading     string
	Action      string
	Back        string
	Token       string
	DateHint    string
	WhenDay     string
	WhenMonth   string
	WhenYear    string
	WhenParts   []string
	Time        string
	What        string
	ActionTaken string
	WhoTold     string
	CPOMSRef    string
	Errors      components.Errors
}

// ActionRowForm is one agreed action's fields in the meeting form.
type ActionRowForm struct {
	Row         int
	Legend      string // "Action 1"
	ActionField string
	OwnerField  string
	DueField    string
	Action      string
	Owners      []components.Option
	DueDay      string
	DueMonth    string
	DueYear     string
	DueParts    []string
}

// MeetingFormView is the attendance or behaviour meeting form.
type MeetingFormView struct {
	Caption  string
	Heading  string
	Action   string
	Back     string
	Token    string
	Kind     string
	Incident string // the incident's ID, when the meeting follows one
	// IncidentText describes the incident the meeting follows.
	IncidentText string
	DateHint     string
	HeldDay      string
	HeldMonth    string
	HeldYear     string
	HeldParts    []string
	Provider     string
	School       string
	CAP          string
	Parent       string
	Student      []components.Choice
	// ByMonitoringOfficer: the viewer is a monitoring officer, who completes the record; otherwise
	// the provider says whether one was present.
	ByMonitoringOfficer bool
	CompletedBy         []components.Choice
	Concerns            string
	Actions             []ActionRowForm
	NextDay             string
	NextMonth           string
	NextYear            string
	NextParts           []string
	Errors              components.Errors
}

// MeetingPageView is a recorded meeting with its actions.
type MeetingPageView struct {
	Caption  string
	Heading  string
	Back     string
	Rows     []components.SummaryRow
	Concerns []string // one paragraph a line
	Actions  []ActionView
}

// ActionView is one agreed action and its state.
type ActionView struct {
	Action      string
	Owner       string
	Due         string
	State       string // "Done on 24 November 2026 by …", "Overdue", "Open"
	StateColour string
	DoneAction  string // where the owner marks it done; empty for anyone else or once done
	Next        string // where to come back to after marking it done
}
