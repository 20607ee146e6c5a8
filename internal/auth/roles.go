// Package auth holds who a signed-in person is (the principal), the roles and route policies, password
// hashing and the sign-in rules with their throttling.
package auth

import "slices"

// Role is what a person may do within one organisation.
type Role string

// The roles of DESIGN.md section 1.
const (
	Coordinator       Role = "coordinator"
	SchoolDSL         Role = "dsl"
	Headteacher       Role = "headteacher"
	ProviderStaff     Role = "provider_staff"
	ProviderDSL       Role = "provider_dsl"
	CAPAdmin          Role = "cap_admin"
	MonitoringOfficer Role = "monitoring_officer"
	CAPDSL            Role = "cap_dsl"
	ServiceLead       Role = "service_lead"
	PanelMember       Role = "panel_member"
)

// OrgKind is the kind of organisation a membership is in.
type OrgKind string

// The organisation kinds.
const (
	LA       OrgKind = "la"
	School   OrgKind = "school"
	Provider OrgKind = "provider"
)

// AllRoles lists every role in the order pages show them.
var AllRoles = []Role{CAPAdmin, MonitoringOfficer, CAPDSL, ServiceLead, PanelMember, Coordinator, SchoolDSL, Headteacher, ProviderStaff, ProviderDSL}

// Label is the role's name as people say it.
func (r Role) Label() string {
	switch r {
	case Coordinator:
		return "CAP coordinator"
	case SchoolDSL:
		return "Designated safeguarding lead (school)"
	case Headteacher:
		return "Headteacher"
	case ProviderStaff:
		return "Provider staff"
	case ProviderDSL:
		return "Designated safeguarding lead (provider)"
	case CAPAdmin:
		return "CAP admin"
	case MonitoringOfficer:
		return "Monitoring officer"
	case CAPDSL:
		return "CAP safeguarding lead"
	case ServiceLead:
		return "Service lead"
	case PanelMember:
		return "Panel member"
	}
	return string(r)
}

// Valid reports whether r is one of the known roles.
func (r Role) Valid() bool { return slices.Contains(AllRoles, r) }

// AllowedIn reports whether the role can be held in an organisation of the given kind; the database
// enforces the same rule.
func (r Role) AllowedIn(kind OrgKind) bool {
	switch r {
	case Coordinator, SchoolDSL, Headteacher:
		return kind == School
	case ProviderStaff, ProviderDSL:
		return kind == Provider
	case CAPAdmin, MonitoringOfficer, CAPDSL, ServiceLead:
		return kind == LA
	case PanelMember:
		return true
	}
	return false
}
