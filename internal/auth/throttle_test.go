package auth_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/coventry-cap/capportal/internal/auth"
	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/db"
	"github.com/coventry-cap/capportal/internal/db/dbtest"
)

const (
	ownerEmail    = "owner@cap.example"
	ownerPassword = "the owner's own password"
	attacker      = "192.0.2.66:50123"
	ownerHome     = "198.51.100.7:41000"
)

type signInFixture struct {
	pool  *pgxpool.Pool
	clock *calendar.Fixed
	in    auth.SignIn
}

// newSignIn gives a fresh database with one account, and a sign-in on a clock the test moves.
func newSignIn(t *testing.T) signInFixture {
	t.Helper()
	pool, _ := dbtest.New(t)
	hash, err := auth.HashPassword(ownerPassword)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := pool.Exec(context.Background(), `INSERT INTO users (email, name, password_hash) VALUES ($1, 'Owen Owner', $2)`, ownerEmail, hash); err != nil {
		t.Fatal(err)
	}
	clock := calendar.NewFixed(time.Date(2026, time.November, 23, 9, 30, 0, 0, time.UTC))
	return signInFixture{pool: pool, clock: clock, in: auth.SignIn{Pool: pool, Clock: clock}}
}

func (f signInFixture) attempt(t *testing.T, email, password, addr string) error {
	t.Helper()
	_, err := f.in.Attempt(context.Background(), email, password, addr, "req")
	if err != nil && !errors.Is(err, auth.ErrBadCredentials) && !errors.Is(err, auth.ErrThrottled) {
		t.Fatalf("attempt: %v", err)
	}
	return err
}

func (f signInFixture) count(t *testing.T, query string, args ...any) int {
	t.Helper()
	var n int
	if err := f.pool.QueryRow(context.Background(), query, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// addr is the i-th of many client addresses, as RemoteAddr gives them.
func addr(i int) string { return fmt.Sprintf("203.0.%d.%d:443", i/250, 1+i%250) }

func TestAnAttackersWrongPasswordsFromOneAddressDoNotKeepTheOwnerOut(t *testing.T) {
	f := newSignIn(t)
	for i := range 50 {
		err := f.attempt(t, ownerEmail, fmt.Sprintf("guess %d", i), attacker)
		want := auth.ErrBadCredentials
		if i >= auth.PairLimit {
			want = auth.ErrThrottled
		}
		if !errors.Is(err, want) {
			t.Fatalf("guess %d: %v, want %v", i+1, err, want)
		}
		f.clock.Advance(time.Second)
	}
	// The attacker's address stays refused for this email, even with the right password.
	if err := f.attempt(t, ownerEmail, ownerPassword, attacker); !errors.Is(err, auth.ErrThrottled) {
		t.Fatalf("right password from the attacker's address: %v, want throttled", err)
	}
	// The owner at home waits no longer than the longest delay, and gets in.
	f.clock.Advance(auth.EmailMaxDelay)
	if err := f.attempt(t, ownerEmail, ownerPassword, ownerHome); err != nil {
		t.Fatalf("the owner from another address, %v after the attack: %v", auth.EmailMaxDelay, err)
	}
	// Only the ten guesses that were checked count as failures; the forty refused ones do not.
	if n := f.count(t, `SELECT count(*) FROM sign_in_attempts WHERE outcome = 'failed'`); n != auth.PairLimit {
		t.Errorf("%d failures recorded, want %d", n, auth.PairLimit)
	}
	if n := f.count(t, `SELECT count(*) FROM audit_log WHERE action = 'sign_in.throttled' AND actor_email = $1`, ownerEmail); n != 41 {
		t.Errorf("%d throttled sign-ins audited, want 41", n)
	}
}

func TestTheAttackersAddressIsPausedForTheEmailUntilItsFailuresAreFifteenMinutesOld(t *testing.T) {
	f := newSignIn(t)
	first := f.clock.Now()
	for range auth.PairLimit {
		f.attempt(t, ownerEmail, "wrong", attacker)
		f.clock.Advance(10 * time.Second)
	}
	f.clock.Set(first.Add(auth.PairWindow - time.Second))
	if err := f.attempt(t, ownerEmail, ownerPassword, attacker); !errors.Is(err, auth.ErrThrottled) {
		t.Fatalf("just before the first failure is 15 minutes old: %v, want throttled", err)
	}
	f.clock.Set(first.Add(auth.PairWindow))
	if err := f.attempt(t, ownerEmail, ownerPassword, attacker); err != nil {
		t.Fatalf("once the first failure is 15 minutes old: %v", err)
	}
	// Getting in clears the count for that address: ten more wrong passwords may be tried there.
	for i := range auth.PairLimit {
		f.clock.Advance(time.Minute)
		if err := f.attempt(t, ownerEmail, "wrong again", attacker); !errors.Is(err, auth.ErrBadCredentials) {
			t.Fatalf("failure %d after signing in: %v", i+1, err)
		}
	}
}

func TestOneAddressGuessingManyEmailsIsPausedForEveryEmail(t *testing.T) {
	f := newSignIn(t)
	for i := range auth.ClientLimit {
		if err := f.attempt(t, fmt.Sprintf("someone%d@cap.example", i), "wrong", attacker); !errors.Is(err, auth.ErrBadCredentials) {
			t.Fatalf("guess %d: %v", i+1, err)
		}
	}
	if err := f.attempt(t, ownerEmail, ownerPassword, attacker); !errors.Is(err, auth.ErrThrottled) {
		t.Fatalf("after %d failures from one address, another email from it: %v, want throttled", auth.ClientLimit, err)
	}
	// The same address but another port is the same client.
	if err := f.attempt(t, ownerEmail, ownerPassword, "192.0.2.66:60000"); !errors.Is(err, auth.ErrThrottled) {
		t.Fatalf("the attacker's address from another port: %v, want throttled", err)
	}
	if err := f.attempt(t, ownerEmail, ownerPassword, ownerHome); err != nil {
		t.Fatalf("the owner from another address: %v", err)
	}
	f.clock.Advance(auth.ClientWindow)
	if err := f.attempt(t, "someone0@cap.example", "wrong", attacker); !errors.Is(err, auth.ErrBadCredentials) {
		t.Fatalf("15 minutes later the address may try again: %v", err)
	}
}

// Each failure for the email, from wherever, makes the next attempt wait longer after it, up to
// the longest delay; the owner who waits gets in, and refused attempts make nobody wait longer.
func TestFailuresForOneEmailFromManyAddressesDelayTheNextAttemptMoreAndMore(t *testing.T) {
	f := newSignIn(t)
	client := 0
	next := func() string { client++; return addr(client) }
	for i := range auth.EmailFreeFailures {
		if err := f.attempt(t, ownerEmail, "wrong", next()); !errors.Is(err, auth.ErrBadCredentials) {
			t.Fatalf("free failure %d: %v", i+1, err)
		}
	}
	want := []time.Duration{5 * time.Second, 10 * time.Second, 20 * time.Second, 40 * time.Second, 80 * time.Second, 160 * time.Second, 5 * time.Minute, 5 * time.Minute}
	for i, wait := range want {
		if got := auth.EmailDelay(auth.EmailFreeFailures + i); got != wait {
			t.Errorf("EmailDelay(%d) = %v, want %v", auth.EmailFreeFailures+i, got, wait)
		}
		last := f.clock.Now()
		f.clock.Set(last.Add(wait - time.Second))
		for range 3 {
			if err := f.attempt(t, ownerEmail, ownerPassword, next()); !errors.Is(err, auth.ErrThrottled) {
				t.Fatalf("after %d failures, %v after the last: %v, want throttled", auth.EmailFreeFailures+i, wait-time.Second, err)
			}
		}
		f.clock.Set(last.Add(wait))
		if err := f.attempt(t, ownerEmail, "wrong", next()); !errors.Is(err, auth.ErrBadCredentials) {
			t.Fatalf("after %d failures, %v after the last: %v, want the password checked", auth.EmailFreeFailures+i, wait, err)
		}
	}
	f.clock.Advance(auth.EmailMaxDelay)
	if err := f.attempt(t, ownerEmail, ownerPassword, ownerHome); err != nil {
		t.Fatalf("the owner after the longest delay: %v", err)
	}
	// Getting in clears the email's count: the next failures are free again.
	for i := range auth.EmailFreeFailures {
		if err := f.attempt(t, ownerEmail, "wrong", next()); !errors.Is(err, auth.ErrBadCredentials) {
			t.Fatalf("free failure %d after the owner signed in: %v", i+1, err)
		}
	}
}

// The throttle never looks at whether an account exists: the same attempts for an unknown email and
// for a known one with wrong passwords get the same answers at the same moments.
func TestAnUnknownEmailIsThrottledExactlyLikeAKnownOne(t *testing.T) {
	script := func(t *testing.T, email string) []string {
		f := newSignIn(t)
		var got []string
		try := func(from string, wait time.Duration) {
			f.clock.Advance(wait)
			err := f.attempt(t, email, "wrong", from)
			got = append(got, fmt.Sprint(err))
		}
		for range 12 {
			try(attacker, time.Second) // the pair's limit
		}
		for i := range 10 {
			try(addr(i), 3*time.Second) // the email's growing delay
		}
		try(ownerHome, auth.EmailMaxDelay)
		try(attacker, 0)
		return got
	}
	known, unknown := script(t, ownerEmail), script(t, "nobody@cap.example")
	if fmt.Sprint(known) != fmt.Sprint(unknown) {
		t.Errorf("answers differ:\nknown:   %v\nunknown: %v", known, unknown)
	}
	throttled := 0
	for _, a := range known {
		if a == auth.ErrThrottled.Error() {
			throttled++
		}
	}
	if throttled == 0 {
		t.Errorf("the script never met the throttle: %v", known)
	}
}

func TestParallelGuessesAreAllCounted(t *testing.T) {
	f := newSignIn(t)
	const guesses = 16
	errs := make([]error, guesses)
	var wg sync.WaitGroup
	for i := range guesses {
		wg.Go(func() {
			_, errs[i] = f.in.Attempt(context.Background(), ownerEmail, fmt.Sprintf("guess %d", i), attacker, "req")
		})
	}
	wg.Wait()
	var bad, throttled int
	for _, err := range errs {
		switch {
		case errors.Is(err, auth.ErrBadCredentials):
			bad++
		case errors.Is(err, auth.ErrThrottled):
			throttled++
		default:
			t.Fatalf("guess: %v", err)
		}
	}
	if bad != auth.PairLimit || throttled != guesses-auth.PairLimit {
		t.Errorf("%d parallel guesses: %d checked and %d throttled, want %d and %d", guesses, bad, throttled, auth.PairLimit, guesses-auth.PairLimit)
	}
}

// The throttle on its own, as a second-factor step would use it: many emails guessed at once from
// one address are counted one after another, so exactly the address's limit get through.
func TestParallelGuessesAtManyEmailsFromOneAddressAreAllCounted(t *testing.T) {
	f := newSignIn(t)
	throttle := auth.Throttle{Kind: "test-code", Clock: f.clock}
	const guesses = auth.ClientLimit + 20
	allowed := make([]bool, guesses)
	var wg sync.WaitGroup
	for i := range guesses {
		wg.Go(func() {
			email := fmt.Sprintf("someone%d@cap.example", i)
			err := db.InTx(context.Background(), f.pool, func(tx pgx.Tx) error {
				err := throttle.Check(context.Background(), tx, email, attacker)
				outcome := auth.Failed
				if errors.Is(err, auth.ErrThrottled) {
					outcome = auth.Throttled
				} else if err != nil {
					return err
				} else {
					allowed[i] = true
				}
				return throttle.Record(context.Background(), tx, email, attacker, outcome)
			})
			if err != nil {
				t.Errorf("guess %d: %v", i, err)
			}
		})
	}
	wg.Wait()
	n := 0
	for _, ok := range allowed {
		if ok {
			n++
		}
	}
	if n != auth.ClientLimit {
		t.Errorf("%d parallel guesses from one address: %d allowed, want %d", guesses, n, auth.ClientLimit)
	}
	// Another kind's failures are its own: passwords from that address are not refused.
	if err := f.attempt(t, ownerEmail, ownerPassword, attacker); err != nil {
		t.Errorf("a password after another kind's failures: %v", err)
	}
}

func TestReauthenticatingSharesTheSignInThrottle(t *testing.T) {
	f := newSignIn(t)
	for i := range auth.PairLimit {
		if err := f.in.Reauthenticate(context.Background(), ownerEmail, "wrong", attacker, "req"); !errors.Is(err, auth.ErrBadCredentials) {
			t.Fatalf("wrong password %d on the change form: %v", i+1, err)
		}
	}
	if err := f.attempt(t, ownerEmail, ownerPassword, attacker); !errors.Is(err, auth.ErrThrottled) {
		t.Fatalf("signing in after %d wrong passwords on the change form: %v, want throttled", auth.PairLimit, err)
	}
	if err := f.in.Reauthenticate(context.Background(), ownerEmail, ownerPassword, attacker, "req"); !errors.Is(err, auth.ErrThrottled) {
		t.Fatalf("the change form after them: %v, want throttled", err)
	}
}

func TestCountThrottledSinceCountsRefusedAttempts(t *testing.T) {
	f := newSignIn(t)
	for range auth.PairLimit + 3 {
		f.attempt(t, ownerEmail, "wrong", attacker)
	}
	f.clock.Advance(25 * time.Hour)
	for range auth.PairLimit + 2 {
		f.attempt(t, "nobody@cap.example", "wrong", attacker)
	}
	ctx := context.Background()
	n, err := auth.On(f.pool).CountThrottledSince(ctx, f.clock.Now().Add(-24*time.Hour))
	if err != nil || n != 2 {
		t.Errorf("throttled in the last 24 hours: %d (%v), want 2", n, err)
	}
	n, err = auth.On(f.pool).CountThrottledSince(ctx, f.clock.Now().Add(-48*time.Hour))
	if err != nil || n != 5 {
		t.Errorf("throttled in the last 48 hours: %d (%v), want 5", n, err)
	}
}

func TestClientKeyIsTheHostWithIPv6ByItsSlash64(t *testing.T) {
	cases := map[string]string{
		"192.0.2.1:1234":              "192.0.2.1",
		"192.0.2.1":                   "192.0.2.1",
		"[2001:db8:1:2:3:4:5:6]:443":  "2001:db8:1:2::/64",
		"[2001:db8:1:2:ffff::1]:8443": "2001:db8:1:2::/64",
		"[2001:db8:1:3::1]:443":       "2001:db8:1:3::/64",
		"[::ffff:192.0.2.1]:80":       "192.0.2.1",
		"[fe80::1%eth0]:80":           "fe80::/64",
		"2001:db8:1:2::/64":           "2001:db8:1:2::/64",
		"[::1]:5000":                  "::/64",
		"":                            "",
		"not an address":              "not an address",
	}
	for in, want := range cases {
		if got := auth.ClientKey(in); got != want {
			t.Errorf("ClientKey(%q) = %q, want %q", in, got, want)
		}
	}
}

// Migration 11 carries the attempts already recorded over, and back.
func TestThrottleMigrationKeepsRecordedAttemptsGoingUpAndDown(t *testing.T) {
	pool, _ := dbtest.New(t)
	ctx := context.Background()
	m, err := db.Migrator(pool)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	if err := m.Migrate(10); err != nil {
		t.Fatalf("migrate down to 10: %v", err)
	}
	if _, err := pool.Exec(ctx, `INSERT INTO sign_in_attempts (email, at, succeeded) VALUES ('a@cap.example', now(), true), ('a@cap.example', now(), false), ('b@cap.example', now(), false)`); err != nil {
		t.Fatal(err)
	}
	if err := m.Up(); err != nil {
		t.Fatalf("migrate up: %v", err)
	}
	outcomes := func(query string) string {
		var s string
		if err := pool.QueryRow(ctx, query).Scan(&s); err != nil {
			t.Fatal(err)
		}
		return s
	}
	if got := outcomes(`SELECT string_agg(email || ' ' || kind || ' ' || outcome || ' "' || client || '"', ', ' ORDER BY id) FROM sign_in_attempts`); got != `a@cap.example password succeeded "", a@cap.example password failed "", b@cap.example password failed ""` {
		t.Errorf("after migrating up: %s", got)
	}
	if _, err := pool.Exec(ctx, `INSERT INTO sign_in_attempts (email, client, kind, outcome, at) VALUES ('c@cap.example', '192.0.2.1', 'password', 'throttled', now())`); err != nil {
		t.Fatal(err)
	}
	if err := m.Migrate(10); err != nil {
		t.Fatalf("migrate down to 10 again: %v", err)
	}
	if got := outcomes(`SELECT string_agg(email || ' ' || succeeded, ', ' ORDER BY id) FROM sign_in_attempts`); got != "a@cap.example true, a@cap.example false, b@cap.example false, c@cap.example false" {
		t.Errorf("after migrating down: %s", got)
	}
	if got := outcomes(`SELECT coalesce(to_regclass('sign_in_lockouts')::text, 'none')`); got != "sign_in_lockouts" {
		t.Errorf("sign_in_lockouts after migrating down: %s", got)
	}
}
