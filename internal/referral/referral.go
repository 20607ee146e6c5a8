// Package referral is the CAP multi-agency application and its journey: drafts saved section by
// section, submission with a reference and frozen answers, the documents, and every move along the
// referral's pathway (internal/pathway) as one transaction with a compare-and-set on the current step,
// an event, an audit entry and notifications. Every read is scoped to what the principal may see.
// No HTTP here.
package referral

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/coventry-cap/capportal/internal/auth"
	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/directory"
	"github.com/coventry-cap/capportal/internal/pathway"
)

// Audit actions for referrals.
const (
	ActionStarted  = "referral.started"
	ActionViewed   = "referral.viewed"
	ActionListed   = "referral.listed"
	ActionSaved    = "referral.saved"
	ActionMoved    = "referral.moved"
	ActionDocument = "referral.document"
	ActionDeleted  = "referral.draft_deleted"
)

// ErrMoved is returned when the referral is no longer at the step the action expected: someone else
// moved it first. Nothing was changed.
var ErrMoved = errors.New("the referral has already been moved on by someone else")

// ErrProgrammeRefused wraps the *pathway.Refusal of a programme chosen for a redirect that the
// referral cannot move to: the person chooses another rather than meeting a refused step.
var ErrProgrammeRefused = errors.New("the referral cannot move to that programme")

// ErrNotEditable is returned when answers or documents are changed after submission (corrections are
// new versions) or by someone who may not.
var ErrNotEditable = errors.New("the application can no longer be changed this way")

// Actor is the signed-in person acting, and the request for the audit log.
type Actor struct {
	Principal *auth.Principal
	RequestID string
}

func (a Actor) userID() int64 {
	if a.Principal == nil {
		return 0
	}
	return a.Principal.UserID
}

// Referral is one application for one student to one programme, and where it is on its pathway.
type Referral struct {
	ID           int64
	Reference    string // "" while a draft
	AcademicYear string
	SchoolID     int64
	SchoolName   string
	StudentID    int64
	StudentName  string
	StudentUPN   string
	YearGroup    int
	DateOfBirth  calendar.Date
	ProgrammeID  int64
	Programme    string
	Kind         directory.Kind
	Tier         int
	ProviderID   int64 // 0 when the programme has no provider
	ProviderName string
	PathwayID    string
	Step         pathway.Step
	StepSince    time.Time
	Answers      Answers
	// NoCommissioningConfirmed: the coordinator chose to submit a Tier 1 referral without a
	// commissioning agreement.
	NoCommissioningConfirmed bool
	Version                  int
	InterviewOn              calendar.Date
	InterviewTime            string
	CreatedAt                time.Time
	CreatedBy                int64
	UpdatedAt                time.Time
	SubmittedAt              *time.Time
	Snapshot                 *Snapshot
	// PanelRoundID is the panel round a Tier 2 or Tier 3 referral joined when it was submitted (0 for
	// none), and PanelLateReason why it is not an earlier one.
	PanelRoundID    int64
	PanelLateReason string
	// OnPanel: the referral has been on a panel's agenda, so panel members may see it.
	OnPanel bool
	// Record is what the student's record says that the application takes from it.
	Record Record
}

// Snapshot is the programme as it was when the referral was submitted.
type Snapshot struct {
	Name         string         `json:"name"`
	Kind         directory.Kind `json:"kind"`
	Tier         int            `json:"tier"`
	ProviderID   int64          `json:"provider_id,omitempty"`
	ProviderName string         `json:"provider_name,omitempty"`
	Duration     string         `json:"duration"`
	Days         string         `json:"days"`
	Fee          string         `json:"fee"`
	Category     string         `json:"category,omitempty"`
}

// Key is how the referral appears in its address: the reference, or draft-{id} before submission.
func (r Referral) Key() string {
	if r.Reference != "" {
		return r.Reference
	}
	return fmt.Sprintf("draft-%d", r.ID)
}

// URL is the referral's page.
func (r Referral) URL() string { return "/referrals/" + r.Key() }

// Title names the referral for headings.
func (r Referral) Title() string {
	if r.Reference != "" {
		return "Referral " + r.Reference
	}
	return "Draft referral"
}

// Pathway returns the pathway the referral follows.
func (r Referral) Pathway() pathway.Pathway {
	p, ok := pathway.ByID(r.PathwayID)
	if !ok {
		panic("referral " + r.Key() + " has an unknown pathway " + r.PathwayID)
	}
	return p
}

// Editable reports whether the school may still change the application: while it is a draft, or
// after CAP returned it.
func (r Referral) Editable() bool {
	return r.Step == pathway.Draft || r.Step == pathway.ReturnedToSchool
}

// Sections are the referral's application sections.
func (r Referral) Sections() []Section { return Sections(r.Kind) }

// ParseKey reads a referral key: a reference like CAP-2627-00042 or draft-17.
func ParseKey(key string) (reference string, draftID int64, ok bool) {
	if id, found := strings.CutPrefix(key, "draft-"); found {
		var n int64
		if _, err := fmt.Sscanf(id, "%d", &n); err != nil || n <= 0 || fmt.Sprint(n) != id {
			return "", 0, false
		}
		return "", n, true
	}
	if ReferenceOK(key) {
		return key, 0, true
	}
	return "", 0, false
}

// ReferenceOK reports whether s looks like a referral reference.
func ReferenceOK(s string) bool {
	if len(s) != len("CAP-2627-00042") || !strings.HasPrefix(s, "CAP-") || s[8] != '-' {
		return false
	}
	for i, c := range s {
		if (i >= 4 && i < 8 || i > 8) && (c < '0' || c > '9') {
			return false
		}
	}
	return true
}

// FormatReference builds a reference from the academic year and the year's running number.
func FormatReference(year string, n int) string {
	return fmt.Sprintf("CAP-%s-%05d", calendar.ShortCode(year), n)
}

// Scope is which referrals someone may see.
type Scope struct {
	All       bool    // CAP staff: every submitted referral
	Schools   []int64 // a school's staff: their schools' referrals, drafts included
	Providers []int64 // a provider's staff: referrals whose pack is open to their provider
	Panel     bool    // panel members: referrals that have been on a panel's agenda
}

// ScopeFor is what the principal may see.
func ScopeFor(p *auth.Principal) Scope {
	var s Scope
	if p == nil {
		return s
	}
	if p.HasAny(auth.CAPAdmin, auth.MonitoringOfficer, auth.CAPDSL, auth.ServiceLead) {
		s.All = true
	}
	s.Panel = p.HasAny(auth.PanelMember)
	for _, r := range []auth.Role{auth.Coordinator, auth.Headteacher, auth.SchoolDSL} {
		for _, m := range p.OrgsWith(r) {
			if !slices.Contains(s.Schools, m.OrgID) {
				s.Schools = append(s.Schools, m.OrgID)
			}
		}
	}
	for _, r := range []auth.Role{auth.ProviderStaff, auth.ProviderDSL} {
		for _, m := range p.OrgsWith(r) {
			if !slices.Contains(s.Providers, m.OrgID) {
				s.Providers = append(s.Providers, m.OrgID)
			}
		}
	}
	return s
}

// Empty reports whether the scope sees nothing.
func (s Scope) Empty() bool {
	return !s.All && !s.Panel && len(s.Schools) == 0 && len(s.Providers) == 0
}

// RolesFor are the roles the principal holds with respect to this referral: a coordinator only at
// its school, provider staff only at its provider, CAP admins everywhere. Pathway actions are
// allowed by these, not by the roles held somewhere else.
func RolesFor(p *auth.Principal, r Referral) []auth.Role {
	var roles []auth.Role
	if p == nil {
		return nil
	}
	for _, m := range p.Memberships {
		ok := false
		switch m.Role {
		case auth.Coordinator, auth.Headteacher, auth.SchoolDSL:
			ok = m.OrgID == r.SchoolID
		case auth.ProviderStaff, auth.ProviderDSL:
			ok = r.ProviderID != 0 && m.OrgID == r.ProviderID
		case auth.CAPAdmin, auth.MonitoringOfficer, auth.CAPDSL, auth.ServiceLead:
			ok = m.OrgKind == auth.LA
		case auth.PanelMember:
			// A panel member acts on the cases on a panel's agenda, wherever they work; a member from
			// the referring school is kept out of its decision by the decision itself (conflict of interest).
			ok = r.OnPanel
		}
		if ok && !slices.Contains(roles, m.Role) {
			roles = append(roles, m.Role)
		}
	}
	return roles
}

// Event is one entry of a referral's history.
type Event struct {
	ID        int64
	At        time.Time
	ActorName string
	ActorOrg  string
	Action    string
	From, To  pathway.Step
	Note      string
}

// Response is a provider's application response.
type Response struct {
	ID                  int64
	ProviderID          int64
	ProviderName        string
	ReceiptAcknowledged bool
	CanMeetNeeds        bool
	CanManageRisk       bool
	Accept              bool
	StartDate           calendar.Date
	Days                []time.Weekday
	DeclineReason       string // need, risk, capacity, other
	DeclineDetail       string
	Notes               string
	SubmittedAt         time.Time
	SubmittedBy         string
	ProcessedAt         *time.Time
}

// Decline reasons, coded.
var DeclineReasons = []struct{ Code, Label string }{
	{"need", "The provider cannot meet the student’s identified needs"},
	{"risk", "The provider cannot manage the student’s risk level"},
	{"capacity", "The provider has no capacity"},
	{"other", "Another reason"},
}

// DeclineReasonLabel names a decline reason code.
func DeclineReasonLabel(code string) string {
	for _, d := range DeclineReasons {
		if d.Code == code {
			return d.Label
		}
	}
	return code
}

// ResponseInput is what a provider enters.
type ResponseInput struct {
	ReceiptAcknowledged bool
	CanMeetNeeds        *bool
	CanManageRisk       *bool
	Decision            string // accept or decline
	StartDate           calendar.Date
	Days                []time.Weekday
	DeclineReason       string
	DeclineDetail       string
	Notes               string
}

// Problem is a field error for a form.
type Problem = FieldError

// Validate checks a response; today bounds the start date.
func (in ResponseInput) Validate(today calendar.Date, startDateProblem string) []Problem {
	var ps []Problem
	if !in.ReceiptAcknowledged {
		ps = append(ps, Problem{Field: "receipt", Message: "Confirm that you have received the application documents"})
	}
	if in.CanMeetNeeds == nil {
		ps = append(ps, Problem{Field: "can_meet_needs", Message: "Select whether you can meet the student’s identified needs"})
	}
	if in.CanManageRisk == nil {
		ps = append(ps, Problem{Field: "can_manage_risk", Message: "Select whether you can manage the student’s risk level"})
	}
	switch in.Decision {
	case "accept":
		switch {
		case startDateProblem != "":
			ps = append(ps, Problem{Field: "start", Message: startDateProblem})
		case in.StartDate.IsZero():
			ps = append(ps, Problem{Field: "start", Message: "Enter the start date"})
		case in.StartDate.Before(today):
			ps = append(ps, Problem{Field: "start", Message: "The start date must be today or in the future"})
		case in.StartDate.Weekday() == time.Saturday || in.StartDate.Weekday() == time.Sunday:
			ps = append(ps, Problem{Field: "start", Message: "The start date must be a weekday"})
		}
		if len(in.Days) == 0 {
			ps = append(ps, Problem{Field: "days", Message: "Select the days the student will attend"})
		}
		if (in.CanMeetNeeds != nil && !*in.CanMeetNeeds) || (in.CanManageRisk != nil && !*in.CanManageRisk) {
			ps = append(ps, Problem{Field: "decision", Message: "You cannot accept a student whose needs or risk level you cannot meet: decline, and say why"})
		}
	case "decline":
		if in.DeclineReason == "" || DeclineReasonLabel(in.DeclineReason) == in.DeclineReason {
			ps = append(ps, Problem{Field: "decline_reason", Message: "Select why you are declining"})
		}
		if strings.TrimSpace(in.DeclineDetail) == "" {
			ps = append(ps, Problem{Field: "decline_detail", Message: "Explain the reason for declining: CAP and the school need it to find a more suitable provision"})
		} else if len([]rune(in.DeclineDetail)) > MaxAnswer {
			ps = append(ps, Problem{Field: "decline_detail", Message: "The reason must be 10000 characters or fewer"})
		}
	default:
		ps = append(ps, Problem{Field: "decision", Message: "Select whether you accept or decline the student"})
	}
	if len([]rune(in.Notes)) > MaxAnswer {
		ps = append(ps, Problem{Field: "notes", Message: "Notes must be 10000 characters or fewer"})
	}
	return ps
}

// Placement is the training record CAP sets up from an accepted response.
type Placement struct {
	ID           int64
	ProviderName string
	StartDate    calendar.Date
	Days         []time.Weekday
	Status       string
	QAPlacement  bool
	CreatedAt    time.Time
}
