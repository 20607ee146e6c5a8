// Package formonce makes a create form act once however often it is sent. Each form carries a
// one-time token; the first request with it claims the token, and when its answer sends the person on
// (a redirect to what it made) that place is kept with the token. Any other request with the same token
// waits for the first and is sent to the same place, so ten identical posts make one record and all
// ten answers lead to it. A first request that did not save (a form with mistakes, a refusal) gives the
// token back, so the form can be corrected and sent again.
package formonce

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/coventry-cap/capportal/internal/db"
)

// Store keeps the claimed tokens.
type Store struct {
	DB db.DBTX
}

// On is the store over a pool or a transaction.
func On(conn db.DBTX) Store { return Store{DB: conn} }

// Claim is what became of a token claimed.
type Claim struct {
	// Mine is true when this request claimed the token and should act on the form.
	Mine bool
	// Location is where the first request led, once it has answered; empty while it is still acting.
	Location string
	// Foreign is true when the token was claimed by another person or for another form, which only a
	// forged or copied form does.
	Foreign bool
	// Gone is true when the token is free again (the first request gave it back): claim it again.
	Gone bool
}

// Claim claims the token for the user and route, or says what the request that claimed it did.
func (s Store) Claim(ctx context.Context, token string, userID int64, route string) (Claim, error) {
	// Tokens are forgotten after two days: a form older than that is sent as a new one (its old claim
	// is taken over here; the retention job deletes old claims, see Forget).
	tag, err := s.DB.Exec(ctx, `INSERT INTO form_submissions (token, user_id, route) VALUES ($1, $2, $3)
		ON CONFLICT (token) DO UPDATE SET user_id = EXCLUDED.user_id, route = EXCLUDED.route, location = NULL, claimed_at = now()
		WHERE form_submissions.claimed_at < now() - interval '2 days'`, token, userID, route)
	if err != nil {
		return Claim{}, fmt.Errorf("claim form token: %w", err)
	}
	if tag.RowsAffected() == 1 {
		return Claim{Mine: true}, nil
	}
	return s.Look(ctx, token, userID, route)
}

// Look reads what the request that claimed the token has done so far.
func (s Store) Look(ctx context.Context, token string, userID int64, route string) (Claim, error) {
	var (
		owner    int64
		claimFor string
		location *string
	)
	err := s.DB.QueryRow(ctx, `SELECT user_id, route, location FROM form_submissions WHERE token = $1`, token).
		Scan(&owner, &claimFor, &location)
	if errors.Is(err, pgx.ErrNoRows) {
		return Claim{Gone: true}, nil
	}
	if err != nil {
		return Claim{}, fmt.Errorf("read form token: %w", err)
	}
	if owner != userID || claimFor != route {
		return Claim{Foreign: true}, nil
	}
	if location != nil {
		return Claim{Location: *location}, nil
	}
	return Claim{}, nil
}

// Done keeps where the claimed token's request led.
func (s Store) Done(ctx context.Context, token, location string) error {
	if _, err := s.DB.Exec(ctx, `UPDATE form_submissions SET location = $2 WHERE token = $1`, token, location); err != nil {
		return fmt.Errorf("keep form token's answer: %w", err)
	}
	return nil
}

// Release gives the token back: the request that claimed it saved nothing.
func (s Store) Release(ctx context.Context, token string) error {
	if _, err := s.DB.Exec(ctx, `DELETE FROM form_submissions WHERE token = $1 AND location IS NULL`, token); err != nil {
		return fmt.Errorf("release form token: %w", err)
	}
	return nil
}

// Forget deletes the claims made more than two days ago, for the daily retention job.
func (s Store) Forget(ctx context.Context) (int64, error) {
	tag, err := s.DB.Exec(ctx, `DELETE FROM form_submissions WHERE claimed_at < now() - interval '2 days'`)
	if err != nil {
		return 0, fmt.Errorf("forget old form tokens: %w", err)
	}
	return tag.RowsAffected(), nil
}
