// Package pages holds the portal's pages and their view models. Handlers fill the view models; the
// templates only show them.
package pages

import (
	"strconv"

	"github.com/coventry-cap/capportal/web/components"
)

// LoginView is the sign-in form.
type LoginView struct {
	Email  string
	Next   string
	Errors components.Errors
	// SecondFactorOptional: the demo setting turned the second-factor requirement off.
	SecondFactorOptional bool
}

// ErrorView is a 403, 404, 500 or refused-request page.
type ErrorView struct {
	Status    int
	Heading   string
	Paragraph []string
	Reference string // shown on 500s so the CAP team can find the log line
	Links     []Link
}

// Link is a labelled href.
type Link struct {
	Text string
	Href string
}

// Tile is one real figure on a dashboard, with where to go about it (Href may be empty).
type Tile struct {
	Label string
	Count int
	// More: there are more than Count (a capped count), shown as "999+".
	More bool
	Href string
	Hint string
}

// DashboardSection is what one of the viewer's roles needs to do next.
type DashboardSection struct {
	Heading   string
	Paragraph []string
	Tiles     []Tile
	Links     []Link
	Rows      []components.SummaryRow
	Tables    []components.TableProps
}

// DashboardView is the home page for a signed-in person.
type DashboardView struct {
	Name     string
	TermRows []components.SummaryRow
	Sections []DashboardSection
}

// UserRow is one line of the users table.
type UserRow struct {
	ID     int64
	Name   string
	Email  string
	Roles  []string
	Active bool
}

// UsersView is the CAP admin's list of users.
type UsersView struct {
	Query       string
	Role        string
	Org         string
	Inactive    bool
	RoleOptions []components.Option
	OrgOptions  []components.Option
	Users       []UserRow
	NextHref    string
	PrevHref    string
}

// UserFormView is the new-user form.
type UserFormView struct {
	Name       string
	Email      string
	Org        string
	Roles      []string
	OrgOptions []components.Option
	RoleItems  []components.Choice
	Errors     components.Errors
}

// MembershipRow is one role a user holds, with its revoke form.
type MembershipRow struct {
	OrgID   int64
	OrgName string
	OrgKind string
	Role    string
	Label   string
}

// UserView is one user's page with its role and status actions.
type UserView struct {
	ID          int64
	Name        string
	Email       string
	Active      bool
	Created     string
	IsSelf      bool
	Memberships []MembershipRow
	GrantOrg    string
	GrantRole   string
	OrgOptions  []components.Option
	RoleOptions []components.Option
	Errors      components.Errors
	// SecondFactor is the second factor's status as shown; CanResetSecondFactor when there is one.
	SecondFactor         string
	CanResetSecondFactor bool
}

// AuditRow is one audit entry as shown.
type AuditRow struct {
	When    string
	Actor   string
	Action  string
	Subject string
	Summary string
}

// AuditView is the audit log search.
type AuditView struct {
	Actor    string
	Action   string
	Subject  string
	FromDay  string
	FromMon  string
	FromYear string
	ToDay    string
	ToMon    string
	ToYear   string
	Errors   components.Errors
	Rows     []AuditRow
	NextHref string
	Searched bool
}

// PasswordView is the change-your-password form.
type PasswordView struct {
	Errors components.Errors
}

// tileCount is a tile's number: "999+" for a capped count.
func tileCount(t Tile) string {
	if t.More {
		return strconv.Itoa(t.Count) + "+"
	}
	return strconv.Itoa(t.Count)
}
