package auth

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/coventry-cap/capportal/internal/audit"
	"github.com/coventry-cap/capportal/internal/db"
)

// Sign-in throttling: this many failures for one email within the window locks it for the lockout.
const (
	MaxFailedAttempts = 10
	FailureWindow     = 5 * time.Minute
	LockoutDuration   = 15 * time.Minute
)

// ErrBadCredentials is the one answer for an unknown email, a wrong password and a deactivated account.
var ErrBadCredentials = errors.New("the email address or password is not correct")

// ErrLockedOut means too many failed attempts were made for this email; it is given for unknown
// emails too, so it says nothing about whether an account exists.
var ErrLockedOut = errors.New("too many failed attempts: sign-in is locked for 15 minutes")

// Clock is where "now" comes from, so tests can stand on any moment.
type Clock interface{ Now() time.Time }

// SignIn checks an email and password under the throttling rules and audits the outcome.
type SignIn struct {
	Pool  *pgxpool.Pool
	Clock Clock
}

// NormaliseEmail is how emails are compared and stored.
func NormaliseEmail(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

// Attempt returns the user's ID when the email and password are right and the email is not locked.
func (s SignIn) Attempt(ctx context.Context, email, password, requestID string) (int64, error) {
	return s.check(ctx, email, password, requestID, audit.SignInSucceeded, "Signed in")
}

// Reauthenticate checks a signed-in person's password before a sensitive change, under the same
// throttling as signing in, so the change form cannot be used to guess passwords.
func (s SignIn) Reauthenticate(ctx context.Context, email, password, requestID string) error {
	_, err := s.check(ctx, email, password, requestID, audit.PasswordConfirmed, "Confirmed their password")
	return err
}

func (s SignIn) check(ctx context.Context, email, password, requestID, okAction, okSummary string) (int64, error) {
	email = NormaliseEmail(email)
	now := s.Clock.Now()

	// Look the user up and check the password outside the transaction: hashing takes tens of
	// milliseconds and should not hold a lock.
	var (
		userID int64
		hash   string
		active bool
	)
	err := s.Pool.QueryRow(ctx, `SELECT id, password_hash, active FROM users WHERE email = $1`, email).Scan(&userID, &hash, &active)
	found := err == nil
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return 0, fmt.Errorf("look up user: %w", err)
	}
	if !found {
		hash = dummyHash
	}
	ok, err := CheckPassword(hash, password)
	if err != nil {
		return 0, fmt.Errorf("check password: %w", err)
	}
	ok = ok && found && active

	var result error
	err = db.InTx(ctx, s.Pool, func(tx pgx.Tx) error {
		// One attempt at a time per email, so concurrent guesses are all counted.
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtextextended($1, 7))`, email); err != nil {
			return err
		}
		var lockedUntil time.Time
		err := tx.QueryRow(ctx, `SELECT locked_until FROM sign_in_lockouts WHERE email = $1`, email).Scan(&lockedUntil)
		if err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return err
		}
		locked := err == nil && now.Before(lockedUntil)
		if _, err := tx.Exec(ctx, `INSERT INTO sign_in_attempts (email, at, succeeded) VALUES ($1, $2, $3)`, email, now, ok && !locked); err != nil {
			return err
		}
		var actor *int64
		if found {
			actor = &userID
		}
		entry := audit.Entry{At: now, ActorUserID: actor, ActorEmail: email, SubjectType: "user", RequestID: requestID}
		if found {
			entry.SubjectID = fmt.Sprint(userID)
		}
		switch {
		case locked:
			result = ErrLockedOut
			entry.Action, entry.Summary = audit.SignInFailed, "Sign-in refused: locked out after too many failed attempts"
			return audit.On(tx).Write(ctx, entry)
		case ok:
			entry.Action, entry.Summary = okAction, okSummary
			return audit.On(tx).Write(ctx, entry)
		}
		result = ErrBadCredentials
		entry.Action, entry.Summary = audit.SignInFailed, "Sign-in failed: email or password not correct"
		if err := audit.On(tx).Write(ctx, entry); err != nil {
			return err
		}
		// Count failures since the later of: the window start, the last success, the end of the last lockout.
		since := now.Add(-FailureWindow)
		if !lockedUntil.IsZero() && lockedUntil.After(since) {
			since = lockedUntil
		}
		var failures int
		err = tx.QueryRow(ctx, `
			SELECT count(*) FROM sign_in_attempts
			WHERE email = $1 AND at > $2 AND NOT succeeded
			  AND at > coalesce((SELECT max(at) FROM sign_in_attempts WHERE email = $1 AND succeeded), '-infinity')`,
			email, since).Scan(&failures)
		if err != nil {
			return err
		}
		if failures < MaxFailedAttempts {
			return nil
		}
		result = ErrLockedOut
		if _, err := tx.Exec(ctx, `
			INSERT INTO sign_in_lockouts (email, locked_at, locked_until) VALUES ($1, $2, $3)
			ON CONFLICT (email) DO UPDATE SET locked_at = EXCLUDED.locked_at, locked_until = EXCLUDED.locked_until`,
			email, now, now.Add(LockoutDuration)); err != nil {
			return err
		}
		entry.Action = audit.SignInLocked
		entry.Summary = fmt.Sprintf("Sign-in locked for 15 minutes after %d failed attempts in 5 minutes", failures)
		return audit.On(tx).Write(ctx, entry)
	})
	if err != nil {
		return 0, fmt.Errorf("record sign-in attempt: %w", err)
	}
	if result != nil {
		return 0, result
	}
	return userID, nil
}

// CountLockoutsSince counts the emails locked out since the moment, for the CAP admin's dashboard.
func (s Store) CountLockoutsSince(ctx context.Context, since time.Time) (int, error) {
	var n int
	if err := s.DB.QueryRow(ctx, `SELECT count(*) FROM sign_in_lockouts WHERE locked_at >= $1`, since).Scan(&n); err != nil {
		return 0, fmt.Errorf("count lockouts: %w", err)
	}
	return n, nil
}
