package pages

import (
	"github.com/a-h/templ"
	"github.com/coventry-cap/capportal/web/components"
)

// SchoolRow is one school in the schools list.
type SchoolRow struct {
	Name      string
	Href      string
	URN       string
	SLAStatus string // "Signed" or "Not signed"
	SLAColour string
	SignedOn  string
}

// SchoolsView is CAP's list of schools with their SLA status for the current academic year.
type SchoolsView struct {
	Year          string // "2026/27"
	StatusOptions []components.Option
	Filtered      bool
	Schools       []SchoolRow
	NextHref      string
	PrevHref      string
}

// ContactRow is a person holding one of a school's CAP roles, or a role nobody holds.
type ContactRow struct {
	Role  string
	Name  string // empty when nobody holds the role
	Email string
}

// SLAYearRow is a school's SLA status for one academic year.
type SLAYearRow struct {
	Year      string
	Href      string
	Status    string
	Colour    string
	SignedOn  string
	IsCurrent bool
}

// SchoolView is one school's page: details, contacts and SLAs.
type SchoolView struct {
	Name     string
	BackHref string
	BackText string
	Details  []components.SummaryRow
	Contacts []ContactRow
	SLAs     []SLAYearRow
	// Sections are the parts other records add: the students on part-time timetables.
	Sections []templ.Component
}

// EntitlementRow is what the SLA gives at one tier.
type EntitlementRow struct {
	Tier   string
	Access string
	Detail string
}

// SLAView is a school's SLA for one academic year, with the form CAP admins record it with.
type SLAView struct {
	SchoolName string
	SchoolHref string
	Year       string // "2026/27"
	FormAction string
	Signed     bool
	Status     string
	Colour     string
	SignedOn   string // "" when not signed
	Recorded   string // who last recorded it and when, when the portal knows
	// NotSignedAt is the sentence shown when the school has no signed SLA for the year.
	NotSignedAt string
	// The year's offer; HasOffer is false when CAP has set none.
	HasOffer        bool
	OfferDraft      bool
	SigningDeadline string
	Entitlements    []EntitlementRow
	Services        []string
	QAUsed          string // "0 of 15 used"
	QAUsedHint      string // where that count comes from
	// The form, for CAP admins.
	CanRecord  bool
	FormSigned string // "yes", "no" or ""
	FormDay    string
	FormMonth  string
	FormYear   string
	Errors     components.Errors
}
