package auth

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"

	"github.com/coventry-cap/capportal/internal/db"
)

// Store reads principals and sign-in figures. DB is the pool or a transaction.
type Store struct {
	DB db.DBTX
}

// On is the store over a pool or a transaction.
func On(conn db.DBTX) Store { return Store{DB: conn} }

// Membership is one role a person holds in one organisation.
type Membership struct {
	OrgID   int64
	OrgKind OrgKind
	OrgSlug string
	OrgName string
	Role    Role
}

// Principal is the signed-in person a request acts for.
type Principal struct {
	UserID       int64
	Email        string
	Name         string
	SessionEpoch int
	Memberships  []Membership
	// SecondFactor is whether the person has a confirmed second factor (issue 13).
	SecondFactor bool
	// Unread is how many of the person's notifications are unread, up to UnreadCap+1 (the
	// navigation's "3 unread", "99+ unread").
	Unread int
	// ReferenceVersion is the version of the reference data (reference_data_version) when the
	// person was loaded: what a page keeps of that data is good while the version is unchanged.
	ReferenceVersion int64
}

// UnreadCap is the most unread notifications a count counts: past it the navigation shows "99+".
const UnreadCap = 99

// SecondFactorRoles are the roles that must enrol a second factor before they reach any page: every
// CAP role and every designated safeguarding lead.
var SecondFactorRoles = []Role{CAPAdmin, MonitoringOfficer, CAPDSL, ServiceLead, SchoolDSL, ProviderDSL}

// NeedsSecondFactor reports whether the principal holds a role that requires a second factor and has
// not enrolled one yet.
func (p *Principal) NeedsSecondFactor() bool {
	return p != nil && !p.SecondFactor && p.HasAny(SecondFactorRoles...)
}

// Has reports whether the principal holds the role in any organisation.
func (p *Principal) Has(role Role) bool {
	if p == nil {
		return false
	}
	for _, m := range p.Memberships {
		if m.Role == role {
			return true
		}
	}
	return false
}

// HasAny reports whether the principal holds at least one of the roles.
func (p *Principal) HasAny(roles ...Role) bool {
	return slices.ContainsFunc(roles, p.Has)
}

// OrgsWith returns the organisations in which the principal holds the role.
func (p *Principal) OrgsWith(role Role) []Membership {
	var out []Membership
	for _, m := range p.Memberships {
		if m.Role == role {
			out = append(out, m)
		}
	}
	return out
}

// OrgIDsWith returns the IDs of the organisations in which the principal holds the role.
func (p *Principal) OrgIDsWith(role Role) []int64 {
	var out []int64
	for _, m := range p.OrgsWith(role) {
		out = append(out, m.OrgID)
	}
	return out
}

// Roles returns the distinct roles the principal holds, in AllRoles order.
func (p *Principal) Roles() []Role {
	var out []Role
	for _, r := range AllRoles {
		if p.Has(r) {
			out = append(out, r)
		}
	}
	return out
}

type principalKey struct{}

// WithPrincipal returns a context carrying the principal.
func WithPrincipal(ctx context.Context, p *Principal) context.Context {
	return context.WithValue(ctx, principalKey{}, p)
}

// FromContext returns the request's principal, or nil when nobody is signed in.
func FromContext(ctx context.Context) *Principal {
	p, _ := ctx.Value(principalKey{}).(*Principal)
	return p
}

// ErrInactive is returned when the user exists but has been deactivated.
var ErrInactive = errors.New("user is deactivated")

// LoadPrincipal reads an active user and their memberships.
func (s Store) LoadPrincipal(ctx context.Context, userID int64) (*Principal, error) {
	// One statement, as every signed-in request runs it: the user, with a row a membership (or one
	// row of nulls when there is none), and what every page's layout and caches need of them (the
	// unread count, the reference data's version), so that a page needs no statement for those.
	rows, err := s.DB.Query(ctx, `
		SELECT u.email, u.name, u.active, u.session_epoch,
		       EXISTS (SELECT 1 FROM second_factors f WHERE f.user_id = u.id AND f.confirmed_at IS NOT NULL),
		       (SELECT count(*) FROM (SELECT 1 FROM notifications n WHERE n.user_id = u.id AND n.read_at IS NULL
		                              LIMIT `+strconv.Itoa(UnreadCap+1)+`) unread),
		       (SELECT version FROM reference_data_version),
		       o.id, o.kind, o.slug, o.name, m.role
		FROM users u
		LEFT JOIN (memberships m JOIN organisations o ON o.id = m.organisation_id AND o.active) ON m.user_id = u.id
		WHERE u.id = $1
		ORDER BY o.name, m.role`, userID)
	if err != nil {
		return nil, fmt.Errorf("load user: %w", err)
	}
	defer rows.Close()
	var p *Principal
	var active bool
	for rows.Next() {
		var u Principal
		var orgID *int64
		var kind, slug, name, role *string
		if err := rows.Scan(&u.Email, &u.Name, &active, &u.SessionEpoch, &u.SecondFactor, &u.Unread, &u.ReferenceVersion, &orgID, &kind, &slug, &name, &role); err != nil {
			return nil, fmt.Errorf("load user: %w", err)
		}
		if p == nil {
			u.UserID = userID
			p = &u
		}
		if orgID != nil {
			p.Memberships = append(p.Memberships, Membership{OrgID: *orgID, OrgKind: OrgKind(*kind), OrgSlug: *slug, OrgName: *name, Role: Role(*role)})
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("load user: %w", err)
	}
	if p == nil {
		return nil, db.ErrNotFound
	}
	if !active {
		return nil, ErrInactive
	}
	return p, nil
}
