// Package audit writes and searches the append-only audit log. The database refuses to change or
// delete an entry; this package only ever inserts and reads.
package audit

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/coventry-cap/capportal/internal/db"
)

// Store reads and writes the audit log. DB is the pool, or a transaction a caller runs it inside.
type Store struct {
	DB db.DBTX
}

// On is the store over a pool or a transaction.
func On(conn db.DBTX) Store { return Store{DB: conn} }

// Actions written by the foundation. Domain packages add their own, named area.verb.
const (
	SignInSucceeded   = "sign_in.succeeded"
	SignInFailed      = "sign_in.failed"
	SignInThrottled   = "sign_in.throttled"
	SignedOut         = "sign_in.signed_out"
	PasswordConfirmed = "user.password_confirmed"
	UserCreated       = "user.created"
	UserDeactivated   = "user.deactivated"
	UserReactivated   = "user.reactivated"
	UserPassword      = "user.password_changed"
	RoleGranted       = "role.granted"
	RoleRevoked       = "role.revoked"
	OrganisationSeed  = "organisation.seeded"
	// The second factor (issue 13).
	SecondFactorEnrolled  = "second_factor.enrolled"
	SecondFactorVerified  = "second_factor.verified"
	SecondFactorFailed    = "second_factor.failed"
	SecondFactorThrottled = "second_factor.throttled"
	SecondFactorRecovery  = "second_factor.recovery_code_used"
	SecondFactorNewCodes  = "second_factor.recovery_codes_replaced"
	SecondFactorReset     = "second_factor.reset"
)

// Entry is one line of the audit log.
type Entry struct {
	ID          int64
	At          time.Time
	ActorUserID *int64
	ActorEmail  string
	Action      string
	SubjectType string
	SubjectID   string
	Summary     string
	Details     map[string]any
	RequestID   string
}

// Write appends an entry. Pass the transaction that made the change, so the change and its record
// commit together.
func (s Store) Write(ctx context.Context, e Entry) error {
	details := e.Details
	if details == nil {
		details = map[string]any{}
	}
	b, err := json.Marshal(details)
	if err != nil {
		return fmt.Errorf("audit details: %w", err)
	}
	at := e.At
	if at.IsZero() {
		at = time.Now()
	}
	_, err = s.DB.Exec(ctx, `
		INSERT INTO audit_log (at, actor_user_id, actor_email, action, subject_type, subject_id, summary, details, request_id)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		at, e.ActorUserID, e.ActorEmail, e.Action, e.SubjectType, e.SubjectID, e.Summary, b, e.RequestID)
	if err != nil {
		return fmt.Errorf("write audit entry: %w", err)
	}
	return nil
}

// Filter narrows a search of the log. Empty fields match everything.
type Filter struct {
	Actor   string // part of the actor's email
	Action  string // action prefix, e.g. "sign_in"
	Subject string // subject ID, exact
	From    time.Time
	To      time.Time // exclusive
	// Keyset: entries written before the one with this ID (IDs rise with every entry written).
	BeforeID int64
	// Hidden are action prefixes left out (the safeguarding views, for those who may not see the
	// records: that someone looked is itself a sign that a record exists).
	Hidden []string
}

// Search returns up to limit entries, newest first, and whether there are more.
func (s Store) Search(ctx context.Context, f Filter, limit int) ([]Entry, bool, error) {
	var where []string
	var args []any
	add := func(cond string, v any) {
		args = append(args, v)
		where = append(where, strings.ReplaceAll(cond, "?", fmt.Sprintf("$%d", len(args))))
	}
	if f.Actor != "" {
		add("actor_email LIKE ?", "%"+escapeLike(strings.ToLower(f.Actor))+"%")
	}
	if f.Action != "" {
		add("action LIKE ?", escapeLike(f.Action)+"%")
	}
	if f.Subject != "" {
		add("subject_id = ?", f.Subject)
	}
	if !f.From.IsZero() {
		add("at >= ?", f.From)
	}
	if !f.To.IsZero() {
		add("at < ?", f.To)
	}
	if f.BeforeID > 0 {
		add("id < ?", f.BeforeID)
	}
	for _, h := range f.Hidden {
		add("action NOT LIKE ?", escapeLike(h)+"%")
	}
	sql := `SELECT id, at, actor_user_id, actor_email, action, subject_type, subject_id, summary, details, request_id FROM audit_log`
	if len(where) > 0 {
		sql += " WHERE " + strings.Join(where, " AND ")
	}
	sql += fmt.Sprintf(" ORDER BY id DESC LIMIT %d", max(limit, 0)+1)
	rows, err := s.DB.Query(ctx, sql, args...)
	if err != nil {
		return nil, false, fmt.Errorf("search audit log: %w", err)
	}
	entries, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (Entry, error) {
		var e Entry
		var details []byte
		if err := row.Scan(&e.ID, &e.At, &e.ActorUserID, &e.ActorEmail, &e.Action, &e.SubjectType, &e.SubjectID, &e.Summary, &details, &e.RequestID); err != nil {
			return e, err
		}
		return e, json.Unmarshal(details, &e.Details)
	})
	if err != nil {
		return nil, false, fmt.Errorf("search audit log: %w", err)
	}
	more := len(entries) > limit
	if more {
		entries = entries[:limit]
	}
	return entries, more, nil
}

func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}
