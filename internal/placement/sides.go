package placement

import (
	"context"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"github.com/coventry-cap/capportal/internal/auth"
	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/input"
	"github.com/coventry-cap/capportal/internal/notify"
	"github.com/coventry-cap/capportal/internal/pathway"
)

// Side is who asks for a change or an ending: the school or the training provider.
type Side string

// The two sides of a placement.
const (
	SchoolSide   Side = "school"
	ProviderSide Side = "provider"
)

// Label names the side for people: "The school".
func (s Side) Label() string {
	if s == ProviderSide {
		return "The provider"
	}
	return "The school"
}

// Other is the other side.
func (s Side) Other() Side {
	if s == ProviderSide {
		return SchoolSide
	}
	return ProviderSide
}

// ActsFor reports whether the principal acts for the side of the placement: the school's
// coordinators and headteachers for the school, the provider's staff for the provider.
func ActsFor(p *auth.Principal, pl Placement, side Side) bool {
	if p == nil {
		return false
	}
	switch side {
	case SchoolSide:
		return slices.Contains(p.OrgIDsWith(auth.Coordinator), pl.SchoolID) || slices.Contains(p.OrgIDsWith(auth.Headteacher), pl.SchoolID)
	case ProviderSide:
		return slices.Contains(p.OrgIDsWith(auth.ProviderStaff), pl.ProviderID)
	}
	return false
}

// SideOf is the side the principal acts for on the placement, the school first; ok is false when
// they act for neither.
func SideOf(p *auth.Principal, pl Placement) (Side, bool) {
	switch {
	case ActsFor(p, pl, SchoolSide):
		return SchoolSide, true
	case ActsFor(p, pl, ProviderSide):
		return ProviderSide, true
	}
	return "", false
}

// IsCAPAdmin reports whether the principal is a CAP admin, who processes requests.
func IsCAPAdmin(p *auth.Principal) bool { return p != nil && p.Has(auth.CAPAdmin) }

// audienceOf is everyone on a side of the placement who hears about its requests.
func audienceOf(pl Placement, side Side) notify.Audience {
	if side == ProviderSide {
		return notify.RoleAt(pl.ProviderID, auth.ProviderStaff)
	}
	return notify.RoleAt(pl.SchoolID, auth.Coordinator, auth.Headteacher)
}

// capAdmins are the CAP admins, who process requests.
var capAdmins = notify.CAPRole(auth.CAPAdmin)

// queue sends a notification inside the change's transaction; a store without an outbox (a domain
// test) sends none.
func (s Store) queue(ctx context.Context, tx pgx.Tx, now time.Time, a Actor, to notify.Audience, m notify.Message) error {
	if s.Outbox == nil {
		return nil
	}
	return s.Outbox.Queue(ctx, tx, now, to, m, a.userID())
}

// workingDays counts England and Wales working days for every request's due day.
var workingDays = calendar.EnglandWalesWorkingDays()

// Days CAP has to process a request, counted in working days from the day it was submitted.
const (
	ChangeWorkingDays     = 2
	WithdrawalWorkingDays = 5
)

// DueAfter is the due day of a request submitted on day with n working days to process it: the
// nth working day after it, so weekends and bank holidays are skipped.
func DueAfter(day calendar.Date, n int) calendar.Date { return workingDays.AddWorkingDays(day, n) }

// MaxRequestText is the longest reason, impact or note a request takes.
const MaxRequestText = 2000

// checkText adds a problem when a required text is empty or too long.
func checkText(ps *input.Problems, field, value, empty, what string) {
	switch n := utf8.RuneCountInString(strings.TrimSpace(value)); {
	case n == 0 && empty != "":
		*ps = append(*ps, input.FieldProblem{Field: field, Message: empty})
	case n > MaxRequestText:
		*ps = append(*ps, input.FieldProblem{Field: field, Message: what + " must be 2,000 characters or fewer"})
	}
}

// refused is a refusal that says what rule failed and what to do.
func refused(reason, do string) error { return &pathway.Refusal{Reason: reason, Do: do} }

// forbidden is a refusal for someone who may not take the action at all.
func forbidden(reason, do string) error {
	return &pathway.Refusal{Reason: reason, Do: do, Forbidden: true}
}

// timeOrZero reads a nullable timestamp.
func timeOrZero(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return *t
}
