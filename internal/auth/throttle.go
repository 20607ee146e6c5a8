package auth

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"time"

	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/jackc/pgx/v5"
)

// The throttle's limits. Guessing is slowed three ways, none of which lets a stranger keep an
// account's owner out for long:
//   - one email from one client address: refused while PairLimit attempts have failed in PairWindow
//     (counted since that address last got in as that email);
//   - one client address, whatever the email: refused while ClientLimit attempts have failed in
//     ClientWindow;
//   - one email from anywhere: never refused outright. Once EmailFreeFailures attempts have failed in
//     EmailWindow (counted since the email last got in), each further attempt must come EmailDelay
//     after the last failure, a wait that doubles with each failure up to EmailMaxDelay.
const (
	PairLimit         = 10
	PairWindow        = 15 * time.Minute
	ClientLimit       = 50
	ClientWindow      = 15 * time.Minute
	EmailFreeFailures = 10
	EmailWindow       = 24 * time.Hour
	EmailBaseDelay    = 5 * time.Second
	EmailMaxDelay     = 5 * time.Minute
)

// ErrThrottled is the one answer for an attempt the throttle refuses, whichever limit it met and
// whether or not an account has the email.
var ErrThrottled = errors.New("too many failed attempts: wait, then try again")

// ThrottledError is Check's refusal. It matches ErrThrottled; Rule says which limit was met, for the
// audit log only.
type ThrottledError struct{ Rule string }

func (e *ThrottledError) Error() string { return ErrThrottled.Error() + " (" + e.Rule + ")" }

// Unwrap makes errors.Is(err, ErrThrottled) hold.
func (e *ThrottledError) Unwrap() error { return ErrThrottled }

// AttemptKind is what an attempt tried: each kind is throttled on its own counts.
type AttemptKind string

// The kinds of attempt: a password given to sign in or to confirm a sensitive change, and a
// second-factor code (or recovery code) given at sign-in's second step, to confirm a code or to enrol.
const (
	PasswordAttempt     AttemptKind = "password"
	SecondFactorAttempt AttemptKind = "second_factor"
)

// Outcome is how an attempt ended.
type Outcome string

// The outcomes. Only Failed counts towards a limit: a throttled attempt was refused without its
// answer counting, so sending more of them while waiting makes nobody wait longer.
const (
	Succeeded Outcome = "succeeded"
	Failed    Outcome = "failed"
	Throttled Outcome = "throttled"
)

// Throttle limits failed attempts of one kind by email and client address. It looks at the email
// as typed and never at whether an account has it, so an unknown email is throttled exactly like a
// known one. Use it inside one transaction per attempt: Check, then Record the outcome (Throttled
// when Check refused). Check takes transaction-scoped locks on the client address and then the
// email, so concurrent attempts are counted one after another.
type Throttle struct {
	Kind  AttemptKind
	Clock calendar.Clock
}

// Check returns nil when an attempt for the email from the client address may be made now, a
// *ThrottledError when it may not, or the database's error. addr is the request's RemoteAddr.
func (t Throttle) Check(ctx context.Context, tx pgx.Tx, email, addr string) error {
	email, client := NormaliseEmail(email), ClientKey(addr)
	if err := lockAttempts(ctx, tx, email, client); err != nil {
		return err
	}
	now := t.Clock.Now()

	var pair int
	if err := tx.QueryRow(ctx, `
		SELECT count(*) FROM sign_in_attempts
		WHERE email = $1 AND client = $2 AND kind = $3 AND outcome = 'failed'
		  AND at > greatest($4, (SELECT max(at) FROM sign_in_attempts
		                         WHERE email = $1 AND kind = $3 AND outcome = 'succeeded' AND client = $2 AND at > $4))`,
		email, client, t.Kind, now.Add(-PairWindow)).Scan(&pair); err != nil {
		return fmt.Errorf("count failures for the email from the address: %w", err)
	}
	if pair >= PairLimit {
		return &ThrottledError{Rule: fmt.Sprintf("%d failed attempts for this email from this address in %s", pair, minutes(PairWindow))}
	}

	var fromClient int
	if err := tx.QueryRow(ctx, `
		SELECT count(*) FROM sign_in_attempts
		WHERE client = $1 AND kind = $2 AND outcome = 'failed' AND at > $3`,
		client, t.Kind, now.Add(-ClientWindow)).Scan(&fromClient); err != nil {
		return fmt.Errorf("count failures from the address: %w", err)
	}
	if fromClient >= ClientLimit {
		return &ThrottledError{Rule: fmt.Sprintf("%d failed attempts from this address in %s", fromClient, minutes(ClientWindow))}
	}

	var (
		forEmail int
		last     *time.Time
	)
	if err := tx.QueryRow(ctx, `
		SELECT count(*), max(at) FROM sign_in_attempts
		WHERE email = $1 AND kind = $2 AND outcome = 'failed'
		  AND at > greatest($3, (SELECT max(at) FROM sign_in_attempts
		                         WHERE email = $1 AND kind = $2 AND outcome = 'succeeded' AND at > $3))`,
		email, t.Kind, now.Add(-EmailWindow)).Scan(&forEmail, &last); err != nil {
		return fmt.Errorf("count failures for the email: %w", err)
	}
	if wait := EmailDelay(forEmail); last != nil && now.Before(last.Add(wait)) {
		return &ThrottledError{Rule: fmt.Sprintf("%d failed attempts for this email; the next must wait %s after the last", forEmail, wait)}
	}
	return nil
}

// Record stores an attempt's outcome, for the counts later Checks make.
func (t Throttle) Record(ctx context.Context, tx pgx.Tx, email, addr string, outcome Outcome) error {
	email, client := NormaliseEmail(email), ClientKey(addr)
	if err := lockAttempts(ctx, tx, email, client); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `INSERT INTO sign_in_attempts (email, client, kind, outcome, at) VALUES ($1, $2, $3, $4, $5)`,
		email, client, t.Kind, outcome, t.Clock.Now()); err != nil {
		return fmt.Errorf("record attempt: %w", err)
	}
	return nil
}

// lockAttempts serialises attempts from one client address and for one email until the transaction
// ends. Always the address first, then the email, so two attempts never wait on each other's locks.
// The locks are re-entrant, so Check and Record may both take them.
func lockAttempts(ctx context.Context, tx pgx.Tx, email, client string) error {
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtextextended('sign-in client ' || $1, 7))`, client); err != nil {
		return fmt.Errorf("lock attempts from the address: %w", err)
	}
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtextextended($1, 7))`, email); err != nil {
		return fmt.Errorf("lock attempts for the email: %w", err)
	}
	return nil
}

// EmailDelay is how long after an email's last failure its next attempt must wait, given how many
// have failed: nothing for the first EmailFreeFailures, then EmailBaseDelay doubling with each
// further failure, never more than EmailMaxDelay.
func EmailDelay(failures int) time.Duration {
	if failures < EmailFreeFailures {
		return 0
	}
	d := EmailBaseDelay
	for i := EmailFreeFailures; i < failures && d < EmailMaxDelay; i++ {
		d *= 2
	}
	return min(d, EmailMaxDelay)
}

// ClientKey is the client address the throttle counts by: the host part of a request's RemoteAddr,
// an IPv4-mapped IPv6 address as IPv4, and any other IPv6 address as its /64, since one household or
// server is given a whole /64 and could otherwise be countless clients. Anything that is not an IP
// address is kept as it is.
func ClientKey(remoteAddr string) string {
	host := remoteAddr
	if h, _, err := net.SplitHostPort(remoteAddr); err == nil {
		host = h
	}
	a, err := netip.ParseAddr(host)
	if err != nil {
		return host
	}
	a = a.Unmap().WithZone("")
	if a.Is6() {
		p, err := a.Prefix(64)
		if err != nil {
			return a.String()
		}
		return p.String()
	}
	return a.String()
}

// CountThrottledSince counts the attempts the throttle refused since the moment, for the CAP
// admin's dashboard. Each is also in the audit log as sign_in.throttled.
func (s Store) CountThrottledSince(ctx context.Context, since time.Time) (int, error) {
	var n int
	if err := s.DB.QueryRow(ctx, `SELECT count(*) FROM sign_in_attempts WHERE outcome = 'throttled' AND at >= $1`, since).Scan(&n); err != nil {
		return 0, fmt.Errorf("count throttled attempts: %w", err)
	}
	return n, nil
}

func minutes(d time.Duration) string { return fmt.Sprintf("%d minutes", int(d.Minutes())) }
