package panel

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/coventry-cap/capportal/internal/calendar"
)

// runsInYear holds, for a programme kind k in a query with the year as $1, unless the kind is closed
// that year: it has active programmes, and every one takes referrals only in set windows, none of them
// in the year.
const runsInYear = `(NOT EXISTS (SELECT 1 FROM programmes p WHERE p.kind = k AND p.active)
	OR EXISTS (SELECT 1 FROM programmes p WHERE p.kind = k AND p.active AND (
		NOT EXISTS (SELECT 1 FROM programme_windows w WHERE w.programme_id = p.id)
		OR EXISTS (SELECT 1 FROM programme_windows w WHERE w.programme_id = p.id AND w.academic_year = $1))))`

// CopyYear copies fromYear's rounds and starts into toYear as drafts, every date moved to the same
// weekday of the same week a year on (calendar.SameWeekdayNextYear). The weekday each source stated
// is copied as it was, so a mismatch nobody has corrected is still shown in the new year. A start
// fed by a round of the year before fromYear (not in the portal) is fed, in toYear, by fromYear's
// last round for its programme before it: the July round that leads to September's directory.Flourish start.
// Copying again adds only what is missing. It returns how many rounds and starts it added, and
// leaves the audit entry to its caller (the rollover).
func CopyYear(ctx context.Context, tx pgx.Tx, fromYear, toYear string) (rounds, starts int, err error) {
	shift := calendar.SameWeekdayNextYear
	src, err := On(tx).Rounds(ctx, fromYear)
	if err != nil {
		return 0, 0, err
	}
	for _, r := range src {
		var meeting, meetingWeekday any
		if !r.Meeting.IsZero() {
			meeting, meetingWeekday = shift(r.Meeting), r.MeetingWeekday
		}
		// A programme open only in set referral windows, none of them in toYear (Focus 11 ran in the autumn
		// of 2025/26 only), goes to no round of toYear.
		tag, err := tx.Exec(ctx, `
			INSERT INTO panel_rounds (academic_year, position, items, kinds, referral_deadline, deadline_weekday_stated,
			                          headteacher_meeting, meeting_weekday_stated, draft, copied_from)
			SELECT $1, $2, $3, kinds, $5, $6, $7, $8, true, $9
			FROM (SELECT ARRAY(SELECT k FROM unnest($4::text[]) AS k WHERE `+runsInYear+`) AS kinds) AS open
			WHERE cardinality(kinds) > 0
			ON CONFLICT DO NOTHING`,
			toYear, r.Position, r.Items, r.Kinds, shift(r.Deadline), r.DeadlineWeekday, meeting, meetingWeekday, r.ID)
		if err != nil {
			return rounds, starts, fmt.Errorf("copy panel round %d of %s: %w", r.Position, fromYear, err)
		}
		rounds += int(tag.RowsAffected())
	}
	ss, err := On(tx).Starts(ctx, fromYear)
	if err != nil {
		return rounds, starts, err
	}
	for _, s := range ss {
		var ends, endsWeekday, capacity any
		if !s.Ends.IsZero() {
			ends, endsWeekday = shift(s.Ends), s.EndsWeekday
		}
		if s.Capacity > 0 {
			capacity = s.Capacity
		}
		starts2 := shift(s.Starts)
		// The copies of the source's rounds, found through copied_from; a start fed from the year
		// before is fed by fromYear's last round for its programme whose deadline precedes it.
		tag, err := tx.Exec(ctx, `
			INSERT INTO panel_starts (programme_kind, academic_year, name, note, starts_on, starts_weekday_stated,
			                          ends_on, ends_weekday_stated, capacity, fed_by_round, listed_with_round, draft, copied_from)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9,
			        CASE WHEN $10::bigint = 0 THEN
			            (SELECT id FROM panel_rounds WHERE academic_year = $13 AND $1 = ANY (kinds) AND referral_deadline < $5
			             ORDER BY referral_deadline DESC LIMIT 1)
			        ELSE (SELECT id FROM panel_rounds WHERE copied_from = $10) END,
			        (SELECT id FROM panel_rounds WHERE copied_from = $11), true, $12)
			ON CONFLICT DO NOTHING`,
			s.Kind, toYear, s.Name, s.Note, starts2, s.StartsWeekday, ends, endsWeekday, capacity, s.FedBy, s.ListedWith, s.ID, fromYear)
		if err != nil {
			return rounds, starts, fmt.Errorf("copy %s of %s: %w", s.Title(), fromYear, err)
		}
		starts += int(tag.RowsAffected())
	}
	return rounds, starts, nil
}

// ConfirmYear puts a year's draft rounds and starts into effect. It returns how many rounds it
// confirmed, and leaves the audit entry to its caller.
func ConfirmYear(ctx context.Context, tx pgx.Tx, year string) (int, error) {
	tag, err := tx.Exec(ctx, `UPDATE panel_rounds SET draft = false, updated_at = now() WHERE academic_year = $1 AND draft`, year)
	if err != nil {
		return 0, fmt.Errorf("confirm panel rounds of %s: %w", year, err)
	}
	if _, err := tx.Exec(ctx, `UPDATE panel_starts SET draft = false, updated_at = now() WHERE academic_year = $1 AND draft`, year); err != nil {
		return 0, fmt.Errorf("confirm panel starts of %s: %w", year, err)
	}
	return int(tag.RowsAffected()), nil
}
