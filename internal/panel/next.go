package panel

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/directory"
)

// ErrNoRound is returned when no confirmed round after the day covers the programme: the calendar
// for the next year has not been published yet.
var ErrNoRound = errors.New("no panel round on the calendar takes this programme yet")

// LateWindowDays is how long after a round's deadline its panels are still to meet (the published
// Headteacher Placement Meetings are about two weeks after the deadlines): a referral submitted in
// that time missed the round, and is told so.
const LateWindowDays = 14

// NextRound is the round a referral submitted on the day joins: the first confirmed round whose
// referral deadline is on or after that day (submitting on the deadline day meets it) and whose
// panels cover the programme kind. When the referral missed the deadline of a round whose panels are
// still to meet, late says so, so the school sees why it waits for a later panel.
func (s Store) NextRound(ctx context.Context, kind directory.Kind, submitted calendar.Date) (Round, []string, error) {
	r, err := scanRound(s.DB.QueryRow(ctx, `SELECT `+roundColumns+` FROM panel_rounds
		WHERE NOT draft AND referral_deadline >= $1 AND $2 = ANY (kinds)
		ORDER BY referral_deadline, position LIMIT 1`, submitted, kind))
	if errors.Is(err, pgx.ErrNoRows) {
		return r, nil, ErrNoRound
	}
	if err != nil {
		return r, nil, fmt.Errorf("next panel round: %w", err)
	}
	missed, err := scanRound(s.DB.QueryRow(ctx, `SELECT `+roundColumns+` FROM panel_rounds
		WHERE NOT draft AND referral_deadline < $1 AND $2 = ANY (kinds)
		ORDER BY referral_deadline DESC, position DESC LIMIT 1`, submitted, kind))
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return r, nil, nil
	case err != nil:
		return r, nil, fmt.Errorf("previous panel round: %w", err)
	}
	// Only a referral that missed a round still to meet is late: one submitted weeks after a round's
	// panels met simply goes to the next round.
	closes := missed.Deadline.AddDays(LateWindowDays)
	if missed.Meeting.After(closes) {
		closes = missed.Meeting
	}
	if submitted.After(closes) {
		return r, nil, nil
	}
	late := []string{fmt.Sprintf("The referral deadline for the %s panels was %s %s, so this referral goes to the round with the deadline %s %s.",
		kind.Label(), missed.Deadline.Weekday(), missed.Deadline.Format(), r.Deadline.Weekday(), r.Deadline.Format())}
	return r, late, nil
}
