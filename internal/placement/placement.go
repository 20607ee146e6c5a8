// Package placement is a student at a provider after the first day: what the placement agreed at its
// start (days and sessions, hours, objectives, the reintegration plan, review dates), the daily
// registers with the DfE code each mark gives the school, corrections that keep the original, and who
// may see any of it: a school its own students' placements, a provider its own learners, CAP all. No
// HTTP, no templates.
package placement

import (
	"slices"
	"time"

	"github.com/coventry-cap/capportal/internal/auth"
	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/db"
	"github.com/coventry-cap/capportal/internal/directory"
	"github.com/coventry-cap/capportal/internal/notify"
)

// Store reads and changes placements and their registers.
type Store struct {
	DB     db.DBTX // the pool, or the transaction a caller runs the store's work inside
	Clock  calendar.Clock
	Outbox *notify.Outbox // notifications, and the alerts of unexplained absences; nil queues no alerts
}

// Actor is who acts, with the request ID for the audit log.
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

func (a Actor) userIDPtr() *int64 {
	if a.Principal == nil {
		return nil
	}
	id := a.Principal.UserID
	return &id
}

func (a Actor) email() string {
	if a.Principal == nil {
		return ""
	}
	return a.Principal.Email
}

// Session is a morning or an afternoon: a register is taken for each.
type Session string

// The two sessions of a school day.
const (
	Morning   Session = "am"
	Afternoon Session = "pm"
)

// Sessions are both, in the order of the day.
var Sessions = []Session{Morning, Afternoon}

// Valid reports whether s is a session.
func (s Session) Valid() bool { return s == Morning || s == Afternoon }

// Label names the session: "Morning".
func (s Session) Label() string {
	if s == Afternoon {
		return "Afternoon"
	}
	return "Morning"
}

// Placement is a student's placement at a provider, with what was agreed at its start.
type Placement struct {
	ID            int64
	ReferralID    int64
	Reference     string
	StudentID     int64
	StudentName   string
	YearGroup     int
	SchoolID      int64
	SchoolName    string
	ProviderID    int64
	ProviderName  string
	ProgrammeID   int64
	Programme     string
	Kind          directory.Kind
	CohortPlaceID int64
	AcademicYear  string
	Start         calendar.Date
	PlannedEnd    calendar.Date // zero when none was agreed
	EndedOn       calendar.Date // the last day expected, once it has ended
	Days          []time.Weekday
	Sessions      []Session
	HoursPerWeek  float64 // 0 when not recorded
	Objectives    string
	Reintegration string
	// MonitoringOfficerID is the CAP monitoring officer who follows the placement; 0 for all of them.
	MonitoringOfficerID   int64
	MonitoringOfficerName string
	Status                string // "active" or "ended"
	QAPlacement           bool
	ReviewDates           []calendar.Date
	CreatedAt             time.Time
	// DayChanges are the changes of day applied to the placement, oldest first: Days and Sessions are
	// those of the latest, and DaysOn answers for any day (see days.go).
	DayChanges []DayChange
}

// Refocus reports whether the placement runs in Coventry AP Academy's phases (Refocus, Focus 11).
func (p Placement) Refocus() bool { return p.Kind == directory.Refocus || p.Kind == directory.Focus11 }

// Running reports whether the placement covers day: from its start to its planned or actual end.
func (p Placement) Running(day calendar.Date) bool {
	if day.Before(p.Start) {
		return false
	}
	if !p.PlannedEnd.IsZero() && day.After(p.PlannedEnd) {
		return false
	}
	if !p.EndedOn.IsZero() && day.After(p.EndedOn) {
		return false
	}
	return p.Status == "active" || !p.EndedOn.IsZero()
}

// ExpectedOn reports whether the student is expected at the provider on day for the session: a school
// day the placement runs, one of the days and sessions in force that day (a change of day applies from
// its date), and for Refocus and Focus 11 the Academy phase
// (the first seven school weeks; Mondays are at the home school). Nobody is expected on a closed day.
func (p Placement) ExpectedOn(sd calendar.SchoolDays, day calendar.Date, s Session) bool {
	days, sessions := p.DaysOn(day)
	if !p.Running(day) || !sd.IsSchoolDay(day) || !slices.Contains(days, day.Weekday()) || !slices.Contains(sessions, s) {
		return false
	}
	if p.Refocus() {
		return RefocusPhase(sd, p.Start, day).AtAcademy()
	}
	return true
}

// Phase is the Refocus or Focus 11 phase on day; the zero Phase for other programmes.
func (p Placement) Phase(sd calendar.SchoolDays, day calendar.Date) Phase {
	if !p.Refocus() {
		return Phase{}
	}
	return RefocusPhase(sd, p.Start, day)
}

// StatusOn says where the placement stands on day, for people: "Starts on 5 January 2027" before its
// first day, "Ended on …" after it, "Active" between.
func (p Placement) StatusOn(day calendar.Date) string {
	switch {
	case day.Before(p.Start):
		return "Starts on " + p.Start.Weekday().String() + " " + p.Start.Format()
	case !p.EndedOn.IsZero() && day.After(p.EndedOn):
		return "Ended on " + p.EndedOn.Format()
	case p.Status != "active":
		return "Ended"
	}
	return "Active"
}

// Scope is which placements someone may see.
type Scope struct {
	All       bool    // CAP staff
	Schools   []int64 // a school's staff: their students' placements
	Providers []int64 // a provider's staff: their own learners, and no one else's
}

// ScopeFor is what the principal may see. Panel members see none: placements are not panel cases.
func ScopeFor(p *auth.Principal) Scope {
	var s Scope
	if p == nil {
		return s
	}
	s.All = p.HasAny(auth.CAPAdmin, auth.MonitoringOfficer, auth.CAPDSL, auth.ServiceLead)
	for _, r := range []auth.Role{auth.Coordinator, auth.Headteacher, auth.SchoolDSL} {
		for _, id := range p.OrgIDsWith(r) {
			if !slices.Contains(s.Schools, id) {
				s.Schools = append(s.Schools, id)
			}
		}
	}
	for _, r := range []auth.Role{auth.ProviderStaff, auth.ProviderDSL} {
		for _, id := range p.OrgIDsWith(r) {
			if !slices.Contains(s.Providers, id) {
				s.Providers = append(s.Providers, id)
			}
		}
	}
	return s
}

// Empty reports whether the scope sees nothing.
func (s Scope) Empty() bool { return !s.All && len(s.Schools) == 0 && len(s.Providers) == 0 }

// Sees reports whether the scope covers a placement at the school and provider.
func (s Scope) Sees(schoolID, providerID int64) bool {
	return s.All || slices.Contains(s.Schools, schoolID) || slices.Contains(s.Providers, providerID)
}

// TakesRegisters reports whether the principal takes registers for the provider: its staff, or a CAP
// admin or monitoring officer standing in.
func TakesRegisters(p *auth.Principal, providerID int64) bool {
	if p == nil {
		return false
	}
	return p.HasAny(auth.CAPAdmin, auth.MonitoringOfficer) || slices.Contains(p.OrgIDsWith(auth.ProviderStaff), providerID)
}
