// Package school reads Coventry's secondary schools, the people who are their CAP contacts, and the CAP
// SLA each school holds per academic year with what that year's offer entitles it to. Every read is
// scoped to the principal: CAP's staff see every school, a school's own staff only their school.
package school

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/coventry-cap/capportal/internal/auth"
	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/db"
)

// Store reads schools and records their SLAs.
type Store struct {
	DB    db.DBTX
	Clock calendar.Clock
}

// On is the store over a pool or a transaction, for reads inside a caller's transaction.
func On(conn db.DBTX) Store { return Store{DB: conn} }

// School is a school's details, its CAP contacts and its SLA for each academic year.
type School struct {
	ID       int64
	Name     string
	URN      string
	Address  string
	Postcode string
	Phone    string
	Email    string
	Active   bool
	Contacts []Contact
	SLAs     []YearSLA // every academic year the portal knows, newest first
}

// Contact is a person holding one of a school's CAP roles.
type Contact struct {
	Role  auth.Role
	Name  string
	Email string
}

// YearSLA is a school's SLA status for one academic year.
type YearSLA struct {
	AcademicYear string
	Recorded     bool // CAP has recorded the SLA for this year, signed or not
	Signed       bool
	SignedOn     calendar.Date
}

// ContactRoles are the school roles shown as its contacts, in the order pages show them.
var ContactRoles = []auth.Role{auth.Coordinator, auth.SchoolDSL, auth.Headteacher}

// capStaffRoles see every school.
var capStaffRoles = []auth.Role{auth.CAPAdmin, auth.MonitoringOfficer, auth.CAPDSL, auth.ServiceLead}

// scope says which schools the principal may see: all of them, or the ones where they hold a
// school role.
func scope(p *auth.Principal) (all bool, own []int64) {
	if p == nil {
		return false, nil
	}
	if p.HasAny(capStaffRoles...) {
		return true, nil
	}
	for _, m := range p.Memberships {
		if m.OrgKind == auth.School && slices.Contains(ContactRoles, m.Role) && !slices.Contains(own, m.OrgID) {
			own = append(own, m.OrgID)
		}
	}
	return false, own
}

// ListFilter narrows the schools list.
type ListFilter struct {
	Year   string // the academic year whose SLA status is shown and filtered on
	Status string // "" for every school, StatusSigned or StatusUnsigned
	// Keyset: schools after (AfterName, AfterID) in name order, or, for the page before, schools
	// before (BeforeName, BeforeID).
	AfterName  string
	AfterID    int64
	BeforeName string
	BeforeID   int64
}

// The SLA statuses the schools list filters on.
const (
	StatusSigned   = "signed"
	StatusUnsigned = "unsigned" // no SLA recorded, or recorded as not signed
)

// ListItem is one school in the list, with its SLA for the filter's year.
type ListItem struct {
	ID       int64
	Name     string
	URN      string
	Signed   bool
	SignedOn calendar.Date
}

// List returns up to limit active schools the principal may see, in name order, each with its SLA
// status for f.Year, and whether there are more in the direction of travel. One query, whatever the
// page size.
func (s Store) List(ctx context.Context, p *auth.Principal, f ListFilter, limit int) ([]ListItem, bool, error) {
	all, own := scope(p)
	args := []any{f.Year}
	where := []string{"o.kind = 'school'", "o.active"}
	add := func(cond string, vals ...any) {
		for _, v := range vals {
			args = append(args, v)
			cond = strings.Replace(cond, "?", fmt.Sprintf("$%d", len(args)), 1)
		}
		where = append(where, cond)
	}
	if !all {
		add("o.id = ANY(?)", own)
	}
	switch f.Status {
	case StatusSigned:
		add("coalesce(s.signed, false)")
	case StatusUnsigned:
		add("NOT coalesce(s.signed, false)")
	}
	order := "o.name, o.id"
	switch {
	case f.BeforeID != 0:
		add("(o.name, o.id) < (?, ?)", f.BeforeName, f.BeforeID)
		order = "o.name DESC, o.id DESC"
	case f.AfterID != 0:
		add("(o.name, o.id) > (?, ?)", f.AfterName, f.AfterID)
	}
	sql := `SELECT o.id, o.name, coalesce(o.urn, ''), coalesce(s.signed, false), s.signed_on
		FROM organisations o LEFT JOIN slas s ON s.school_id = o.id AND s.academic_year = $1
		WHERE ` + strings.Join(where, " AND ") + fmt.Sprintf(" ORDER BY %s LIMIT %d", order, max(limit, 0)+1)
	rows, err := s.DB.Query(ctx, sql, args...)
	if err != nil {
		return nil, false, fmt.Errorf("list schools: %w", err)
	}
	list, err := pgx.CollectRows(rows, pgx.RowToStructByPos[ListItem])
	if err != nil {
		return nil, false, fmt.Errorf("list schools: %w", err)
	}
	more := len(list) > limit
	if more {
		list = list[:limit]
	}
	if f.BeforeID != 0 {
		slices.Reverse(list)
	}
	return list, more, nil
}

// Get returns a school the principal may see, with its contacts and its SLA for every academic
// year; db.ErrNotFound when there is no such school or it is not theirs to see.
func (s Store) Get(ctx context.Context, p *auth.Principal, id int64) (School, error) {
	sc, err := s.get(ctx, p, id)
	if err != nil {
		return sc, err
	}
	rows, err := s.DB.Query(ctx, `
		SELECT m.role, u.name, u.email
		FROM memberships m JOIN users u ON u.id = m.user_id
		WHERE m.organisation_id = $1 AND m.role = ANY($2) AND u.active
		ORDER BY array_position($2, m.role), lower(u.name), u.id`, id, roleNames(ContactRoles))
	if err != nil {
		return sc, fmt.Errorf("load school contacts: %w", err)
	}
	sc.Contacts, err = pgx.CollectRows(rows, pgx.RowToStructByPos[Contact])
	if err != nil {
		return sc, fmt.Errorf("load school contacts: %w", err)
	}
	rows, err = s.DB.Query(ctx, `
		SELECT y.code, s.school_id IS NOT NULL, coalesce(s.signed, false), s.signed_on
		FROM academic_years y LEFT JOIN slas s ON s.school_id = $1 AND s.academic_year = y.code
		ORDER BY y.code DESC`, id)
	if err != nil {
		return sc, fmt.Errorf("load school SLAs: %w", err)
	}
	sc.SLAs, err = pgx.CollectRows(rows, pgx.RowToStructByPos[YearSLA])
	if err != nil {
		return sc, fmt.Errorf("load school SLAs: %w", err)
	}
	return sc, nil
}

// get reads a school's own details, scoped to the principal.
func (s Store) get(ctx context.Context, p *auth.Principal, id int64) (School, error) {
	all, own := scope(p)
	sc := School{ID: id}
	err := s.DB.QueryRow(ctx, `
		SELECT name, coalesce(urn, ''), address, postcode, phone, email, active
		FROM organisations WHERE id = $1 AND kind = 'school' AND ($2 OR id = ANY($3))`, id, all, own).
		Scan(&sc.Name, &sc.URN, &sc.Address, &sc.Postcode, &sc.Phone, &sc.Email, &sc.Active)
	if errors.Is(err, pgx.ErrNoRows) {
		return School{}, db.ErrNotFound
	}
	if err != nil {
		return School{}, fmt.Errorf("get school: %w", err)
	}
	return sc, nil
}

func roleNames(roles []auth.Role) []string {
	out := make([]string, len(roles))
	for i, r := range roles {
		out[i] = string(r)
	}
	return out
}
