package auth

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/coventry-cap/capportal/internal/audit"
	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/db"
)

// ErrBadCredentials is the one answer for an unknown email, a wrong password and a deactivated account.
var ErrBadCredentials = errors.New("the email address or password is not correct")

// SignIn checks an email and password under the throttle and audits the outcome.
type SignIn struct {
	Pool  *pgxpool.Pool
	Clock calendar.Clock
}

// NormaliseEmail is how emails are compared and stored.
func NormaliseEmail(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

// Attempt returns the user's ID when the email and password are right and the throttle lets the
// attempt be made from addr, the request's RemoteAddr; otherwise ErrBadCredentials or ErrThrottled.
func (s SignIn) Attempt(ctx context.Context, email, password, addr, requestID string) (int64, error) {
	return s.check(ctx, email, password, addr, requestID, audit.SignInSucceeded, "Signed in")
}

// Reauthenticate checks a signed-in person's password before a sensitive change, under the same
// throttle and counts as signing in, so the change form cannot be used to guess passwords.
func (s SignIn) Reauthenticate(ctx context.Context, email, password, addr, requestID string) error {
	_, err := s.check(ctx, email, password, addr, requestID, audit.PasswordConfirmed, "Confirmed their password")
	return err
}

func (s SignIn) check(ctx context.Context, email, password, addr, requestID, okAction, okSummary string) (int64, error) {
	email = NormaliseEmail(email)
	throttle := Throttle{Kind: PasswordAttempt, Clock: s.Clock}

	// Look the user up and check the password outside the transaction, throttled or not: hashing
	// takes tens of milliseconds and should not hold a lock, and a refusal must take as long as an
	// answer.
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
		entry := audit.Entry{At: s.Clock.Now(), ActorEmail: email, SubjectType: "user", RequestID: requestID}
		if found {
			entry.ActorUserID, entry.SubjectID = &userID, fmt.Sprint(userID)
		}
		var (
			outcome Outcome
			refused *ThrottledError
		)
		switch err := throttle.Check(ctx, tx, email, addr); {
		case errors.As(err, &refused):
			result, outcome = ErrThrottled, Throttled
			entry.Action, entry.Summary = audit.SignInThrottled, "Sign-in refused: "+refused.Rule
		case err != nil:
			return err
		case ok:
			outcome = Succeeded
			entry.Action, entry.Summary = okAction, okSummary
		default:
			result, outcome = ErrBadCredentials, Failed
			entry.Action, entry.Summary = audit.SignInFailed, "Sign-in failed: email or password not correct"
		}
		if err := throttle.Record(ctx, tx, email, addr, outcome); err != nil {
			return err
		}
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
