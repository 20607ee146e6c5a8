// Package pathway is the step engine: each CAP pathway is plain, typed data — its steps in order, who
// acts at each, and the actions that move a referral from one step to the next with the checks that
// must hold first. The HTTP routes, the buttons a page offers and the store's compare-and-set all read
// the same definitions, so what a page offers is exactly what the server allows. No HTTP, no SQL.
package pathway

import (
	"fmt"
	"slices"
	"strings"

	"github.com/coventry-cap/capportal/internal/auth"
	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/directory"
)

// Step is where a referral is on its pathway.
type Step string

// The steps of every pathway, named as CAP's staff name them.
const (
	Draft                 Step = "draft"
	Submitted             Step = "submitted"
	ReturnedToSchool      Step = "returned_to_school"
	PackSent              Step = "pack_sent"
	InterviewArranged     Step = "interview_arranged"
	ResponseReceived      Step = "response_received"
	StartConfirmed        Step = "start_confirmed"
	PlacementActive       Step = "placement_active"
	ExploringAlternatives Step = "exploring_alternatives"
	// Panel steps (the panels issue builds their pages).
	ReviewPanel       Step = "review_panel"
	OutcomeShared     Step = "outcome_shared"
	HeadteacherPanel  Step = "headteacher_panel"
	TransferPlacement Step = "transfer_placement"
	TransferReview    Step = "transfer_review"
	TransferOutcome   Step = "transfer_outcome"
	MultiAgencyPanel  Step = "multi_agency_panel"
	Onboarding        Step = "onboarding"
	Closed            Step = "closed"
)

// Party is who a step waits on.
type Party string

// The parties a referral can wait on.
const (
	School   Party = "school"
	CAP      Party = "cap"
	Provider Party = "provider"
	Panel    Party = "panel"
	Academy  Party = "academy" // Coventry AP Academy, which runs Refocus and Focus 11
	// CAPAndSchool: either may act (CAP and the school choose another programme together).
	CAPAndSchool Party = "cap_and_school"
	Nobody       Party = ""
)

// Label names the party in "waiting on …" sentences.
func (p Party) Label() string {
	switch p {
	case School:
		return "the school"
	case CAP:
		return "the CAP admin team"
	case Provider:
		return "the training provider"
	case Panel:
		return "the panel"
	case Academy:
		return "Coventry AP Academy"
	case CAPAndSchool:
		return "the CAP admin team and the school: either can redirect it"
	}
	return "nobody"
}

// StepInfo describes a step for people: its name, who it waits on, and what happens there.
type StepInfo struct {
	Step    Step
	Title   string // "Pack sent to the provider"
	Waiting Party  // who must act next
	Next    string // what happens next, in a sentence
	// Notify lists who is told when a referral arrives at this step.
	Notify []Party
}

// Facts are what checks look at: the referral as its store knows it, flattened. The referral
// package fills them; checks never query.
type Facts struct {
	IncompleteSections     []string
	RiskAssessmentProblem  string // "" when a risk assessment is present and in date
	HasRiskAssessment      bool
	HasCommissioning       bool
	CommissioningConfirmed bool // the coordinator confirmed submitting without one
	EligibilityProblems    []string
	HasOpenPack            bool
	HasResponse            bool // an unprocessed application response to the open pack
	ResponseAccepted       bool
	HasPlacement           bool
	InterviewOn            calendar.Date // the interview's day, once recorded
	Today                  calendar.Date
}

// Check is a rule that must hold before an action; it returns nil or an error a person can act on.
type Check struct {
	Name string
	Fn   func(Facts) error
}

// ActionID names an action; it is the last part of its route: /referrals/{ref}/{ID}.
type ActionID string

// The actions of every pathway.
const (
	Submit         ActionID = "submit"
	Return         ActionID = "return"
	Resubmit       ActionID = "resubmit"
	Redirect       ActionID = "redirect"
	SendPack       ActionID = "send-pack"
	Interview      ActionID = "interview"
	Respond        ActionID = "respond"
	Process        ActionID = "process"
	SetUpPlacement ActionID = "placement"
	JoinAgenda     ActionID = "agenda"
	Defer          ActionID = "defer"
	Decide         ActionID = "decide"   // the Review and Authorisation Panel's decision
	DecideMAP      ActionID = "map"      // the Multi-Agency Panel's outcome
	Allocate       ActionID = "allocate" // the Headteacher Placement Meeting's decision
	ReviewTransfer ActionID = "review"
	RecordOutcome  ActionID = "outcome"
	Onboard        ActionID = "onboard"
	PlaceInCohort  ActionID = "cohort"
)

// Action moves a referral from one of its From steps to one of its To steps.
type Action struct {
	ID     ActionID
	Label  string // the button: "Send the pack to the provider"
	From   []Step
	To     []Step
	By     []auth.Role
	Checks []Check
}

// AllowedBy reports whether any of the roles may take the action.
func (a Action) AllowedBy(roles []auth.Role) bool {
	return slices.ContainsFunc(roles, func(r auth.Role) bool { return slices.Contains(a.By, r) })
}

// Leads reports whether the action may end at step s.
func (a Action) Leads(s Step) bool { return slices.Contains(a.To, s) }

// Pathway is one route through CAP: its name, its steps on the way to a placement, and its actions.
type Pathway struct {
	ID      string
	Name    string
	Steps   []StepInfo // in order; side steps (returned, exploring alternatives) after the main line
	Main    []Step     // the main line shown as "done / now / to come"
	Actions []Action
}

// Info returns what the pathway says about a step.
func (p Pathway) Info(s Step) StepInfo {
	for _, i := range p.Steps {
		if i.Step == s {
			return i
		}
	}
	return StepInfo{Step: s, Title: string(s)}
}

// Action returns the pathway's action by ID.
func (p Pathway) Action(id ActionID) (Action, bool) {
	for _, a := range p.Actions {
		if a.ID == id {
			return a, true
		}
	}
	return Action{}, false
}

// From returns the actions that can be taken at step s.
func (p Pathway) From(s Step) []Action {
	var out []Action
	for _, a := range p.Actions {
		if slices.Contains(a.From, s) {
			out = append(out, a)
		}
	}
	return out
}

// Refusal says why an action cannot be taken now and what to do about it.
type Refusal struct {
	Reason string   // "This referral is not at the step this action follows."
	Checks []string // each failed check's message
	Do     string   // what to do instead
	// Forbidden: the person may not take this step at all (their role), rather than not yet.
	Forbidden bool
}

// Error joins the refusal into one sentence.
func (r *Refusal) Error() string {
	parts := append([]string{r.Reason}, r.Checks...)
	return strings.Join(parts, " ")
}

// Guard answers whether roles may take the action on a referral at step with these facts: nil, or a
// *Refusal saying which rule failed. The order is the chain's: role, then step, then checks.
func (p Pathway) Guard(a Action, roles []auth.Role, at Step, f Facts) error {
	if !a.AllowedBy(roles) {
		return &Refusal{
			Reason:    fmt.Sprintf("Only %s can %s.", rolesText(a.By), lowerFirst(a.Label)),
			Do:        "Ask someone with that role to do it, or contact the CAP admin team.",
			Forbidden: true,
		}
	}
	if !slices.Contains(a.From, at) {
		info := p.Info(at)
		return &Refusal{
			Reason: fmt.Sprintf("This referral is at “%s”, so it cannot be moved on this way now.", info.Title),
			Do:     "Open the referral to see what happens next and who it is waiting on.",
		}
	}
	var failed []string
	for _, c := range a.Checks {
		if err := c.Fn(f); err != nil {
			failed = append(failed, err.Error())
		}
	}
	if len(failed) > 0 {
		return &Refusal{Reason: "Some things must be put right first.", Checks: failed,
			Do: "Put these right, then try again."}
	}
	return nil
}

func rolesText(roles []auth.Role) string {
	names := make([]string, len(roles))
	for i, r := range roles {
		names[i] = "a " + r.Label()
	}
	switch len(names) {
	case 0:
		return "nobody"
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}

// Position is where each main-line step stands for a referral at step at.
type Position struct {
	Info  StepInfo
	State string // "done", "current" or "to come"
}

// Progress lays the main line out around the current step. A referral on a side step (returned to
// the school, exploring alternatives) shows the side step as current after the steps it passed.
func (p Pathway) Progress(at Step, reached []Step) []Position {
	var out []Position
	idx := slices.Index(p.Main, at)
	for i, s := range p.Main {
		state := "to come"
		switch {
		case idx >= 0 && i < idx, idx < 0 && slices.Contains(reached, s):
			state = "done"
		case i == idx:
			state = "current"
		}
		out = append(out, Position{Info: p.Info(s), State: state})
	}
	if idx < 0 && at != Draft {
		// Put the side step after the last step reached.
		pos := 0
		for i, s := range p.Main {
			if slices.Contains(reached, s) {
				pos = i + 1
			}
		}
		side := Position{Info: p.Info(at), State: "current"}
		out = slices.Insert(out, pos, side)
	}
	return out
}

// For returns the pathway a programme kind follows.
func For(kind directory.Kind) (Pathway, bool) {
	switch kind {
	case directory.Course, directory.Insight, directory.Year11Post16:
		return Tier1, true
	case directory.Flourish:
		return Flourish, true
	case directory.SupportedTransfer:
		return SupportedTransfer, true
	case directory.Refocus:
		return Refocus, true
	case directory.Focus11:
		return Focus11, true
	}
	return Pathway{}, false
}

// ByID returns a pathway by its ID.
func ByID(id string) (Pathway, bool) {
	for _, p := range All {
		if p.ID == id {
			return p, true
		}
	}
	return Pathway{}, false
}

// RolesFor is every role that may take the action on any pathway: the roles its route admits
// before the step's guard checks the role with respect to the referral.
func RolesFor(id ActionID) []auth.Role {
	var out []auth.Role
	for _, p := range All {
		if a, ok := p.Action(id); ok {
			for _, r := range a.By {
				if !slices.Contains(out, r) {
					out = append(out, r)
				}
			}
		}
	}
	return out
}

// All lists every pathway.
var All = []Pathway{Tier1, Flourish, SupportedTransfer, Refocus, Focus11}
