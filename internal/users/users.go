// Package users manages people's accounts and the roles they hold: what CAP admins do on the users
// pages and what `capportal users` does on the command line. Every change is audited in the same
// transaction.
package users

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/coventry-cap/capportal/internal/audit"
	"github.com/coventry-cap/capportal/internal/auth"
	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/db"
)

// ErrEmailTaken is returned when another account already has the email address.
var ErrEmailTaken = errors.New("a user with this email address already exists")

// ErrRoleNotAllowed is returned when a role cannot be held in that kind of organisation.
var ErrRoleNotAllowed = errors.New("that role cannot be held in that kind of organisation")

// ErrLastAdmin is returned when a change would leave no active CAP admin.
var ErrLastAdmin = errors.New("this is the last active CAP admin")

// User is an account with its memberships.
type User struct {
	ID          int64
	Email       string
	Name        string
	Active      bool
	CreatedAt   time.Time
	Memberships []auth.Membership
}

// Actor is who makes a change, for the audit log.
type Actor struct {
	UserID    *int64
	Email     string
	RequestID string
}

// Store reads and changes users.
type Store struct {
	DB    db.DBTX
	Clock calendar.Clock
}

// ListFilter narrows the users list. Empty fields match everyone.
type ListFilter struct {
	Query    string // part of the name or email
	Role     auth.Role
	OrgID    int64
	Inactive bool // include deactivated users
	// Keyset: users after (AfterName, AfterID) in name order, or, for the page before, users
	// before (BeforeName, BeforeID).
	AfterName  string
	AfterID    int64
	BeforeName string
	BeforeID   int64
}

// List returns up to limit users in name order, and whether there are more in the direction of
// travel: after the page, or before it when paging back with BeforeID.
func (s Store) List(ctx context.Context, f ListFilter, limit int) ([]User, bool, error) {
	var where []string
	var args []any
	add := func(cond string, vals ...any) {
		for _, v := range vals {
			args = append(args, v)
			cond = strings.Replace(cond, "?", fmt.Sprintf("$%d", len(args)), 1)
		}
		where = append(where, cond)
	}
	if !f.Inactive {
		add("u.active")
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		like := "%" + strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(strings.ToLower(q)) + "%"
		add("(lower(u.name) LIKE ? OR u.email LIKE ?)", like, like)
	}
	if f.Role != "" || f.OrgID != 0 {
		cond := "EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = u.id"
		var vals []any
		if f.Role != "" {
			cond += " AND m.role = ?"
			vals = append(vals, string(f.Role))
		}
		if f.OrgID != 0 {
			cond += " AND m.organisation_id = ?"
			vals = append(vals, f.OrgID)
		}
		add(cond+")", vals...)
	}
	order := "lower(u.name), u.id"
	switch {
	case f.BeforeID != 0:
		add("(lower(u.name), u.id) < (?, ?)", strings.ToLower(f.BeforeName), f.BeforeID)
		order = "lower(u.name) DESC, u.id DESC"
	case f.AfterID != 0:
		add("(lower(u.name), u.id) > (?, ?)", strings.ToLower(f.AfterName), f.AfterID)
	}
	sql := "SELECT u.id, u.email, u.name, u.active, u.created_at FROM users u"
	if len(where) > 0 {
		sql += " WHERE " + strings.Join(where, " AND ")
	}
	sql += fmt.Sprintf(" ORDER BY %s LIMIT %d", order, max(limit, 0)+1)
	rows, err := s.DB.Query(ctx, sql, args...)
	if err != nil {
		return nil, false, fmt.Errorf("list users: %w", err)
	}
	list, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (User, error) {
		var u User
		err := row.Scan(&u.ID, &u.Email, &u.Name, &u.Active, &u.CreatedAt)
		return u, err
	})
	if err != nil {
		return nil, false, fmt.Errorf("list users: %w", err)
	}
	more := len(list) > limit
	if more {
		list = list[:limit]
	}
	if f.BeforeID != 0 {
		slices.Reverse(list)
	}
	if err := s.loadMemberships(ctx, list); err != nil {
		return nil, false, err
	}
	return list, more, nil
}

// loadMemberships fills the memberships of a page of users in one query.
func (s Store) loadMemberships(ctx context.Context, list []User) error {
	if len(list) == 0 {
		return nil
	}
	ids := make([]int64, len(list))
	byID := make(map[int64]*User, len(list))
	for i := range list {
		ids[i] = list[i].ID
		byID[list[i].ID] = &list[i]
	}
	rows, err := s.DB.Query(ctx, `
		SELECT m.user_id, o.id, o.kind, o.slug, o.name, m.role
		FROM memberships m JOIN organisations o ON o.id = m.organisation_id
		WHERE m.user_id = ANY($1)
		ORDER BY o.name, m.role`, ids)
	if err != nil {
		return fmt.Errorf("load memberships: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var uid int64
		var m auth.Membership
		if err := rows.Scan(&uid, &m.OrgID, &m.OrgKind, &m.OrgSlug, &m.OrgName, &m.Role); err != nil {
			return fmt.Errorf("load memberships: %w", err)
		}
		byID[uid].Memberships = append(byID[uid].Memberships, m)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("load memberships: %w", err)
	}
	return nil
}

// Get returns one user, active or not.
func (s Store) Get(ctx context.Context, id int64) (User, error) {
	var u User
	err := s.DB.QueryRow(ctx, `SELECT id, email, name, active, created_at FROM users WHERE id = $1`, id).
		Scan(&u.ID, &u.Email, &u.Name, &u.Active, &u.CreatedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return User{}, db.ErrNotFound
	}
	if err != nil {
		return User{}, fmt.Errorf("get user: %w", err)
	}
	list := []User{u}
	if err := s.loadMemberships(ctx, list); err != nil {
		return User{}, err
	}
	return list[0], nil
}

// GetByEmail returns one user by email address.
func (s Store) GetByEmail(ctx context.Context, email string) (User, error) {
	var id int64
	err := s.DB.QueryRow(ctx, `SELECT id FROM users WHERE email = $1`, auth.NormaliseEmail(email)).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return User{}, db.ErrNotFound
	}
	if err != nil {
		return User{}, fmt.Errorf("get user: %w", err)
	}
	return s.Get(ctx, id)
}

// NewUser is what it takes to create an account.
type NewUser struct {
	Email    string
	Name     string
	Password string
	OrgID    int64
	Roles    []auth.Role
}

// Create makes an account with its first roles.
func (s Store) Create(ctx context.Context, actor Actor, n NewUser) (int64, error) {
	hash, err := auth.HashPassword(n.Password)
	if err != nil {
		return 0, err
	}
	email := auth.NormaliseEmail(n.Email)
	now := s.Clock.Now()
	var id int64
	err = db.InTx(ctx, s.DB, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `
			INSERT INTO users (email, name, password_hash, created_at, updated_at) VALUES ($1, $2, $3, $4, $4)
			RETURNING id`, email, strings.TrimSpace(n.Name), hash, now).Scan(&id)
		if db.IsUniqueViolation(err, "users_email_key") {
			return ErrEmailTaken
		}
		if err != nil {
			return fmt.Errorf("create user: %w", err)
		}
		if err := audit.On(tx).Write(ctx, audit.Entry{
			At: now, ActorUserID: actor.UserID, ActorEmail: actor.Email, RequestID: actor.RequestID,
			Action: audit.UserCreated, SubjectType: "user", SubjectID: fmt.Sprint(id),
			Summary: "Created user " + email,
		}); err != nil {
			return err
		}
		for _, r := range n.Roles {
			if err := grant(ctx, tx, now, actor, id, n.OrgID, r); err != nil {
				return err
			}
		}
		return nil
	})
	return id, err
}

// Grant gives a user a role in an organisation. Granting a role they already hold changes nothing.
func (s Store) Grant(ctx context.Context, actor Actor, userID, orgID int64, role auth.Role) error {
	now := s.Clock.Now()
	return db.InTx(ctx, s.DB, func(tx pgx.Tx) error {
		return grant(ctx, tx, now, actor, userID, orgID, role)
	})
}

func grant(ctx context.Context, tx pgx.Tx, now time.Time, actor Actor, userID, orgID int64, role auth.Role) error {
	var kind auth.OrgKind
	var orgName string
	err := tx.QueryRow(ctx, `SELECT kind, name FROM organisations WHERE id = $1 AND active`, orgID).Scan(&kind, &orgName)
	if errors.Is(err, pgx.ErrNoRows) {
		return db.ErrNotFound
	}
	if err != nil {
		return fmt.Errorf("grant role: %w", err)
	}
	if !role.Valid() || !role.AllowedIn(kind) {
		return ErrRoleNotAllowed
	}
	if err := userExists(ctx, tx, userID); err != nil {
		return err
	}
	tag, err := tx.Exec(ctx, `
		INSERT INTO memberships (user_id, organisation_id, role, granted_at, granted_by) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT DO NOTHING`, userID, orgID, string(role), now, actor.UserID)
	if err != nil {
		return fmt.Errorf("grant role: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return nil
	}
	return audit.On(tx).Write(ctx, audit.Entry{
		At: now, ActorUserID: actor.UserID, ActorEmail: actor.Email, RequestID: actor.RequestID,
		Action: audit.RoleGranted, SubjectType: "user", SubjectID: fmt.Sprint(userID),
		Summary: fmt.Sprintf("Granted %s at %s", role.Label(), orgName),
		Details: map[string]any{"role": role, "organisation_id": orgID},
	})
}

// Revoke takes a role away. It refuses to remove the last active CAP admin.
func (s Store) Revoke(ctx context.Context, actor Actor, userID, orgID int64, role auth.Role) error {
	now := s.Clock.Now()
	return db.InTx(ctx, s.DB, func(tx pgx.Tx) error {
		if role == auth.CAPAdmin {
			if err := refuseLastAdmin(ctx, tx, userID); err != nil {
				return err
			}
		}
		var orgName string
		err := tx.QueryRow(ctx, `
			DELETE FROM memberships m USING organisations o
			WHERE m.user_id = $1 AND m.organisation_id = $2 AND m.role = $3 AND o.id = m.organisation_id
			RETURNING o.name`, userID, orgID, string(role)).Scan(&orgName)
		if errors.Is(err, pgx.ErrNoRows) {
			return userExists(ctx, tx, userID) // already gone: a second press changes nothing
		}
		if err != nil {
			return fmt.Errorf("revoke role: %w", err)
		}
		// The role's pages stop at the user's next request: the principal is read afresh every time.
		return audit.On(tx).Write(ctx, audit.Entry{
			At: now, ActorUserID: actor.UserID, ActorEmail: actor.Email, RequestID: actor.RequestID,
			Action: audit.RoleRevoked, SubjectType: "user", SubjectID: fmt.Sprint(userID),
			Summary: fmt.Sprintf("Revoked %s at %s", role.Label(), orgName),
			Details: map[string]any{"role": role, "organisation_id": orgID},
		})
	})
}

// userExists returns db.ErrNotFound when there is no such user, so a change aimed at one is a 404
// rather than a foreign-key failure or a success that did nothing.
func userExists(ctx context.Context, tx pgx.Tx, userID int64) error {
	var exists bool
	if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM users WHERE id = $1)`, userID).Scan(&exists); err != nil {
		return fmt.Errorf("find user: %w", err)
	}
	if !exists {
		return db.ErrNotFound
	}
	return nil
}

// refuseLastAdmin locks the CAP admins and refuses when userID is the only active one left.
func refuseLastAdmin(ctx context.Context, tx pgx.Tx, userID int64) error {
	// Row locks alone let two removals both pass: a revoke deletes a membership without touching the
	// user row, so a transaction that waited for the row lock still counts that membership from its
	// older snapshot. This lock makes removals take turns, and (at READ COMMITTED) the count below
	// is then read after the other removal has committed.
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtext('capportal'), hashtext('last_cap_admin'))`); err != nil {
		return fmt.Errorf("lock admins: %w", err)
	}
	rows, err := tx.Query(ctx, `
		SELECT u.id FROM users u JOIN memberships m ON m.user_id = u.id
		WHERE m.role = 'cap_admin' AND u.active FOR UPDATE OF u`)
	if err != nil {
		return fmt.Errorf("count admins: %w", err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return fmt.Errorf("count admins: %w", err)
	}
	others := 0
	for _, id := range ids {
		if id != userID {
			others++
		}
	}
	if others == 0 {
		return ErrLastAdmin
	}
	return nil
}

// SetActive deactivates or reactivates an account. Deactivating ends every session the user has.
func (s Store) SetActive(ctx context.Context, actor Actor, userID int64, active bool) error {
	now := s.Clock.Now()
	return db.InTx(ctx, s.DB, func(tx pgx.Tx) error {
		if !active {
			if err := refuseLastAdmin(ctx, tx, userID); err != nil {
				var isAdmin bool
				if qerr := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM memberships WHERE user_id = $1 AND role = 'cap_admin')`, userID).Scan(&isAdmin); qerr != nil {
					return qerr
				}
				if isAdmin {
					return err
				}
			}
		}
		var email string
		err := tx.QueryRow(ctx, `
			UPDATE users SET active = $2::boolean, updated_at = $3::timestamptz,
			       deactivated_at = CASE WHEN $2::boolean THEN NULL ELSE $3::timestamptz END,
			       session_epoch = session_epoch + CASE WHEN $2::boolean THEN 0 ELSE 1 END
			WHERE id = $1 AND active <> $2::boolean
			RETURNING email`, userID, active, now).Scan(&email)
		if errors.Is(err, pgx.ErrNoRows) {
			var exists bool
			if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM users WHERE id = $1)`, userID).Scan(&exists); err != nil {
				return err
			}
			if !exists {
				return db.ErrNotFound
			}
			return nil // already in that state
		}
		if err != nil {
			return fmt.Errorf("set user active: %w", err)
		}
		action, summary := audit.UserReactivated, "Reactivated user "+email
		if !active {
			action, summary = audit.UserDeactivated, "Deactivated user "+email+" and ended their sessions"
		}
		return audit.On(tx).Write(ctx, audit.Entry{
			At: now, ActorUserID: actor.UserID, ActorEmail: actor.Email, RequestID: actor.RequestID,
			Action: action, SubjectType: "user", SubjectID: fmt.Sprint(userID), Summary: summary,
		})
	})
}

// SetPassword changes a user's password and ends their other sessions.
func (s Store) SetPassword(ctx context.Context, actor Actor, userID int64, password string) error {
	hash, err := auth.HashPassword(password)
	if err != nil {
		return err
	}
	now := s.Clock.Now()
	return db.InTx(ctx, s.DB, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE users SET password_hash = $2, updated_at = $3, session_epoch = session_epoch + 1 WHERE id = $1`, userID, hash, now)
		if err != nil {
			return fmt.Errorf("set password: %w", err)
		}
		if tag.RowsAffected() == 0 {
			return db.ErrNotFound
		}
		return audit.On(tx).Write(ctx, audit.Entry{
			At: now, ActorUserID: actor.UserID, ActorEmail: actor.Email, RequestID: actor.RequestID,
			Action: audit.UserPassword, SubjectType: "user", SubjectID: fmt.Sprint(userID), Summary: "Changed password",
		})
	})
}

// CountActive returns how many active accounts there are.
func (s Store) CountActive(ctx context.Context) (int, error) {
	var n int
	err := s.DB.QueryRow(ctx, `SELECT count(*) FROM users WHERE active`).Scan(&n)
	return n, err
}
