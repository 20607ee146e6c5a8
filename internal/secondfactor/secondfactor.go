// Package secondfactor keeps people's second factor (issue 13): a TOTP key per person, sealed with
// AES-GCM under the portal's key, checked under the sign-in throttle, each time step accepted once;
// and ten single-use recovery codes kept only as hashes. Every change is audited in its transaction.
package secondfactor

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base32"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"github.com/coventry-cap/capportal/internal/audit"
	"github.com/coventry-cap/capportal/internal/auth"
	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/db"
	"github.com/coventry-cap/capportal/internal/users"
)

// Issuer is the name authenticator apps show beside the account.
const Issuer = "CAP Portal"

// Period is the TOTP time step.
const Period = 30 * time.Second

// RecoveryCodes is how many recovery codes a person is given at a time.
const RecoveryCodes = 10

// Errors the pages explain.
var (
	ErrWrongCode       = errors.New("the code is not correct")
	ErrCodeUsed        = errors.New("the code has already been used")
	ErrNotEnrolled     = errors.New("no second factor is set up")
	ErrAlreadyEnrolled = errors.New("a second factor is already set up")
)

// DevelopmentKey seals keys when CAP_SECOND_FACTOR_KEY is not set outside production. It is public,
// so it protects nothing: production refuses to start without a key of its own.
var DevelopmentKey = func() []byte { k := sha256.Sum256([]byte("capportal development second-factor key")); return k[:] }()

// Store reads and changes second factors. Key is the 32-byte AES-256 key that seals TOTP keys.
type Store struct {
	DB    db.DBTX
	Clock calendar.Clock
	Key   []byte
}

// Attempt is who gives a code, from where, for the throttle and the audit log.
type Attempt struct {
	UserID    int64
	Email     string
	Addr      string // the request's RemoteAddr
	RequestID string
}

// Status is what the account and admin pages show.
type Status struct {
	Enrolled     bool
	EnrolledAt   time.Time
	RecoveryLeft int
	PendingSetUp bool // a key was made but no code confirmed it yet
}

// Status reads a person's second factor.
func (s Store) Status(ctx context.Context, userID int64) (Status, error) {
	var st Status
	var confirmed *time.Time
	err := s.DB.QueryRow(ctx, `
		SELECT f.confirmed_at,
		       (SELECT count(*) FROM second_factor_recovery_codes c WHERE c.user_id = f.user_id AND c.used_at IS NULL)
		FROM second_factors f WHERE f.user_id = $1`, userID).Scan(&confirmed, &st.RecoveryLeft)
	if errors.Is(err, pgx.ErrNoRows) {
		return Status{}, nil
	}
	if err != nil {
		return Status{}, fmt.Errorf("read second factor: %w", err)
	}
	if confirmed != nil {
		st.Enrolled, st.EnrolledAt = true, *confirmed
	} else {
		st.PendingSetUp, st.RecoveryLeft = true, 0
	}
	return st, nil
}

// KeyToEnrol returns the key to enrol with: the one waiting for a first code if there is one, so a
// reload shows the key already scanned, otherwise a new one. account is what the app labels it.
func (s Store) KeyToEnrol(ctx context.Context, userID int64, account string) (*otp.Key, error) {
	var key *otp.Key
	err := db.InTx(ctx, s.DB, func(tx pgx.Tx) error {
		var (
			sealed    []byte
			confirmed *time.Time
		)
		err := tx.QueryRow(ctx, `SELECT sealed_key, confirmed_at FROM second_factors WHERE user_id = $1 FOR UPDATE`, userID).Scan(&sealed, &confirmed)
		switch {
		case err == nil && confirmed != nil:
			return ErrAlreadyEnrolled
		case err == nil:
			secret, err := s.open(userID, sealed)
			if err != nil {
				return err
			}
			key, err = keyFor(account, secret)
			return err
		case !errors.Is(err, pgx.ErrNoRows):
			return fmt.Errorf("read second factor: %w", err)
		}
		key, err = totp.Generate(totp.GenerateOpts{Issuer: Issuer, AccountName: account, Period: uint(Period / time.Second)})
		if err != nil {
			return fmt.Errorf("make a key: %w", err)
		}
		sealed, err = s.seal(userID, key.Secret())
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO second_factors (user_id, sealed_key, created_at) VALUES ($1, $2, $3)`,
			userID, sealed, s.Clock.Now()); err != nil {
			return fmt.Errorf("store the key: %w", err)
		}
		return nil
	})
	return key, err
}

func keyFor(account, secret string) (*otp.Key, error) {
	b, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(secret)
	if err != nil {
		return nil, fmt.Errorf("decode key: %w", err)
	}
	return totp.Generate(totp.GenerateOpts{Issuer: Issuer, AccountName: account, Period: uint(Period / time.Second), Secret: b})
}

// Confirm completes enrolment when the code is right for the waiting key, and returns the recovery
// codes to show once.
func (s Store) Confirm(ctx context.Context, a Attempt, code string) ([]string, error) {
	var codes []string
	err := s.attempt(ctx, a, false, code, func(tx pgx.Tx, now time.Time) error {
		if _, err := tx.Exec(ctx, `UPDATE second_factors SET confirmed_at = $2 WHERE user_id = $1`, a.UserID, now); err != nil {
			return fmt.Errorf("confirm second factor: %w", err)
		}
		var err error
		codes, err = replaceRecoveryCodes(ctx, tx, a.UserID, now)
		if err != nil {
			return err
		}
		return audit.On(tx).Write(ctx, audit.Entry{
			At: now, ActorUserID: &a.UserID, ActorEmail: a.Email, RequestID: a.RequestID,
			Action: audit.SecondFactorEnrolled, SubjectType: "user", SubjectID: fmt.Sprint(a.UserID),
			Summary: "Set up a second factor",
		})
	})
	return codes, err
}

// Method is how a code was accepted.
type Method int

// The methods.
const (
	ByApp Method = iota + 1
	ByRecoveryCode
)

// Verify checks a code from the app, or a recovery code, for a person who has enrolled. It returns
// ErrWrongCode, ErrCodeUsed, auth.ErrThrottled or ErrNotEnrolled when it is refused.
func (s Store) Verify(ctx context.Context, a Attempt, code string) (Method, error) {
	var m Method
	err := s.attempt(ctx, a, true, code, func(tx pgx.Tx, now time.Time) error {
		m = ByApp
		if !isAppCode(normalise(code)) {
			m = ByRecoveryCode
		}
		return nil
	})
	return m, err
}

// NewRecoveryCodes replaces a person's recovery codes once they have given a code, and returns the
// new ones to show once.
func (s Store) NewRecoveryCodes(ctx context.Context, a Attempt, code string) ([]string, error) {
	var codes []string
	err := s.attempt(ctx, a, true, code, func(tx pgx.Tx, now time.Time) error {
		var err error
		codes, err = replaceRecoveryCodes(ctx, tx, a.UserID, now)
		if err != nil {
			return err
		}
		return audit.On(tx).Write(ctx, audit.Entry{
			At: now, ActorUserID: &a.UserID, ActorEmail: a.Email, RequestID: a.RequestID,
			Action: audit.SecondFactorNewCodes, SubjectType: "user", SubjectID: fmt.Sprint(a.UserID),
			Summary: "Replaced their recovery codes",
		})
	})
	return codes, err
}

// Reset removes a person's second factor, so they must enrol again, and ends their sessions.
func (s Store) Reset(ctx context.Context, actor users.Actor, userID int64) error {
	now := s.Clock.Now()
	return db.InTx(ctx, s.DB, func(tx pgx.Tx) error {
		var email string
		err := tx.QueryRow(ctx, `UPDATE users SET session_epoch = session_epoch + 1, updated_at = $2 WHERE id = $1 RETURNING email`, userID, now).Scan(&email)
		if errors.Is(err, pgx.ErrNoRows) {
			return db.ErrNotFound
		}
		if err != nil {
			return fmt.Errorf("end their sessions: %w", err)
		}
		if _, err := tx.Exec(ctx, `DELETE FROM second_factor_recovery_codes WHERE user_id = $1`, userID); err != nil {
			return fmt.Errorf("remove recovery codes: %w", err)
		}
		tag, err := tx.Exec(ctx, `DELETE FROM second_factors WHERE user_id = $1`, userID)
		if err != nil {
			return fmt.Errorf("remove second factor: %w", err)
		}
		if tag.RowsAffected() == 0 {
			return ErrNotEnrolled
		}
		return audit.On(tx).Write(ctx, audit.Entry{
			At: now, ActorUserID: actor.UserID, ActorEmail: actor.Email, RequestID: actor.RequestID,
			Action: audit.SecondFactorReset, SubjectType: "user", SubjectID: fmt.Sprint(userID),
			Summary: "Reset the second factor of " + email + " and ended their sessions",
		})
	})
}

// attempt checks a code under the throttle in one transaction: the key's row is locked, so two
// requests with one code cannot both be accepted. enrolled says whether the key must be confirmed
// (a code at sign-in) or waiting (enrolment, where recovery codes do not exist yet). ok runs in the
// same transaction once the code is accepted.
func (s Store) attempt(ctx context.Context, a Attempt, enrolled bool, code string, ok func(pgx.Tx, time.Time) error) error {
	throttle := auth.Throttle{Kind: auth.SecondFactorAttempt, Clock: s.Clock}
	now := s.Clock.Now()
	code = normalise(code)
	var result error
	err := db.InTx(ctx, s.DB, func(tx pgx.Tx) error {
		entry := audit.Entry{At: now, ActorUserID: &a.UserID, ActorEmail: a.Email, RequestID: a.RequestID,
			SubjectType: "user", SubjectID: fmt.Sprint(a.UserID)}
		var refused *auth.ThrottledError
		switch err := throttle.Check(ctx, tx, a.Email, a.Addr); {
		case errors.As(err, &refused):
			result = auth.ErrThrottled
			entry.Action, entry.Summary = audit.SecondFactorThrottled, "Second-factor code refused: "+refused.Rule
			if err := throttle.Record(ctx, tx, a.Email, a.Addr, auth.Throttled); err != nil {
				return err
			}
			return audit.On(tx).Write(ctx, entry)
		case err != nil:
			return err
		}
		var (
			sealed    []byte
			confirmed *time.Time
			lastStep  int64
		)
		err := tx.QueryRow(ctx, `SELECT sealed_key, confirmed_at, last_step FROM second_factors WHERE user_id = $1 FOR UPDATE`, a.UserID).
			Scan(&sealed, &confirmed, &lastStep)
		if errors.Is(err, pgx.ErrNoRows) || (err == nil && (confirmed != nil) != enrolled) {
			if enrolled {
				result = ErrNotEnrolled
			} else {
				result = ErrAlreadyEnrolled
			}
			return nil
		}
		if err != nil {
			return fmt.Errorf("read second factor: %w", err)
		}
		secret, err := s.open(a.UserID, sealed)
		if err != nil {
			return err
		}
		switch {
		case isAppCode(code):
			step, matched := matchStep(secret, code, now)
			switch {
			case !matched:
				result = ErrWrongCode
			case step <= lastStep:
				result = ErrCodeUsed
			default:
				if _, err := tx.Exec(ctx, `UPDATE second_factors SET last_step = $2 WHERE user_id = $1`, a.UserID, step); err != nil {
					return fmt.Errorf("record the code's time step: %w", err)
				}
			}
		case enrolled && code != "":
			tag, err := tx.Exec(ctx, `UPDATE second_factor_recovery_codes SET used_at = $3
				WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL`, a.UserID, hashCode(code), now)
			if err != nil {
				return fmt.Errorf("use recovery code: %w", err)
			}
			if tag.RowsAffected() == 0 {
				result = ErrWrongCode
				break
			}
			var left int
			if err := tx.QueryRow(ctx, `SELECT count(*) FROM second_factor_recovery_codes WHERE user_id = $1 AND used_at IS NULL`,
				a.UserID).Scan(&left); err != nil {
				return fmt.Errorf("count recovery codes: %w", err)
			}
			if err := audit.On(tx).Write(ctx, audit.Entry{
				At: now, ActorUserID: &a.UserID, ActorEmail: a.Email, RequestID: a.RequestID,
				Action: audit.SecondFactorRecovery, SubjectType: "user", SubjectID: fmt.Sprint(a.UserID),
				Summary: "Used a recovery code (" + strconv.Itoa(left) + " left)",
			}); err != nil {
				return err
			}
		default:
			result = ErrWrongCode
		}
		outcome := auth.Succeeded
		if result != nil {
			outcome = auth.Failed
			entry.Action, entry.Summary = audit.SecondFactorFailed, "Second-factor code not accepted: "+result.Error()
		} else {
			entry.Action, entry.Summary = audit.SecondFactorVerified, "Gave a correct second-factor code"
		}
		if err := throttle.Record(ctx, tx, a.Email, a.Addr, outcome); err != nil {
			return err
		}
		if err := audit.On(tx).Write(ctx, entry); err != nil {
			return err
		}
		if result != nil {
			return nil
		}
		return ok(tx, now)
	})
	if err != nil {
		return fmt.Errorf("check second-factor code: %w", err)
	}
	return result
}

// matchStep finds the time step, from the one before now to the one after (the clocks of phones
// drift), whose code is the one given.
func matchStep(secret, code string, now time.Time) (int64, bool) {
	cur := now.Unix() / int64(Period/time.Second)
	for _, step := range []int64{cur - 1, cur, cur + 1} {
		want, err := CodeAt(secret, time.Unix(step*int64(Period/time.Second), 0))
		if err == nil && subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			return step, true
		}
	}
	return 0, false
}

// CodeAt is the app's code for a key at a moment, as an authenticator app computes it.
func CodeAt(secret string, t time.Time) (string, error) {
	return totp.GenerateCodeCustom(secret, t, totp.ValidateOpts{Period: uint(Period / time.Second), Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
}

// normalise drops the spaces and hyphens people type or copy with a code, and the case.
func normalise(code string) string {
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' || r == '\t' {
			return -1
		}
		return r
	}, strings.ToLower(strings.TrimSpace(code)))
}

func isAppCode(code string) bool {
	if len(code) != 6 {
		return false
	}
	for _, r := range code {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

func hashCode(code string) []byte {
	h := sha256.Sum256([]byte("recovery:" + code))
	return h[:]
}

// recoveryAlphabet has no 0/o or 1/l, so codes read back from paper are typed right.
const recoveryAlphabet = "abcdefghjkmnpqrstuvwxyz23456789"

func replaceRecoveryCodes(ctx context.Context, tx pgx.Tx, userID int64, now time.Time) ([]string, error) {
	if _, err := tx.Exec(ctx, `DELETE FROM second_factor_recovery_codes WHERE user_id = $1`, userID); err != nil {
		return nil, fmt.Errorf("remove old recovery codes: %w", err)
	}
	codes := make([]string, 0, RecoveryCodes)
	for len(codes) < RecoveryCodes {
		b := make([]byte, 10)
		if _, err := rand.Read(b); err != nil {
			return nil, err
		}
		var sb strings.Builder
		for i, x := range b {
			if i == 5 {
				sb.WriteByte('-')
			}
			sb.WriteByte(recoveryAlphabet[int(x)%len(recoveryAlphabet)])
		}
		code := sb.String()
		tag, err := tx.Exec(ctx, `INSERT INTO second_factor_recovery_codes (user_id, code_hash, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
			userID, hashCode(normalise(code)), now)
		if err != nil {
			return nil, fmt.Errorf("store recovery code: %w", err)
		}
		if tag.RowsAffected() == 1 {
			codes = append(codes, code)
		}
	}
	return codes, nil
}

// seal encrypts a key for one user: the user's ID is authenticated with it, so a sealed key copied
// to another user's row does not open.
func (s Store) seal(userID int64, secret string) ([]byte, error) {
	gcm, err := s.gcm()
	if err != nil {
		return nil, err
	}
	nonce := make([]byte, gcm.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return nil, err
	}
	return gcm.Seal(nonce, nonce, []byte(secret), []byte(strconv.FormatInt(userID, 10))), nil
}

func (s Store) open(userID int64, sealed []byte) (string, error) {
	gcm, err := s.gcm()
	if err != nil {
		return "", err
	}
	if len(sealed) < gcm.NonceSize() {
		return "", errors.New("open second-factor key: too short")
	}
	plain, err := gcm.Open(nil, sealed[:gcm.NonceSize()], sealed[gcm.NonceSize():], []byte(strconv.FormatInt(userID, 10)))
	if err != nil {
		return "", fmt.Errorf("open second-factor key (was CAP_SECOND_FACTOR_KEY changed?): %w", err)
	}
	return string(plain), nil
}

func (s Store) gcm() (cipher.AEAD, error) {
	key := s.Key
	if key == nil {
		key = DevelopmentKey
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("second-factor key: %w", err)
	}
	return cipher.NewGCM(block)
}
