package panel

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/coventry-cap/capportal/internal/audit"
	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/db"
)

// ErrDeadlineOutsideYear is returned when a round's new deadline is not in its academic year.
var ErrDeadlineOutsideYear = errors.New("the referral deadline is outside the round's academic year")

// ErrMeetingBeforeDeadline is returned when the Headteacher Placement Meeting would come before the
// referral deadline whose referrals it places.
var ErrMeetingBeforeDeadline = errors.New("the Headteacher Placement Meeting is before the referral deadline")

// ErrDeadlineOutOfOrder is returned when a round's deadline would not fall between the deadlines of the
// rounds before and after it.
var ErrDeadlineOutOfOrder = errors.New("the referral deadline is not between the rounds before and after it")

// ErrDeadlineAfterMeeting is returned when a round's deadline would come after one of its panels' meetings.
var ErrDeadlineAfterMeeting = errors.New("the referral deadline is after a meeting of the round's panels")

// Actor is who changes the calendar, for the audit log.
type Actor struct {
	UserID    *int64
	Email     string
	RequestID string
}

// Dates are a round's dates as a CAP admin sets them; a zero Meeting means the round has none.
type Dates struct {
	Deadline calendar.Date
	Meeting  calendar.Date
}

// UpdateRound sets a round's dates. A CAP admin enters a date knowing its weekday (the form shows the
// mismatch being corrected), so each saved date is stored with its own weekday: this is the only way
// a stated weekday that disagrees with its date is cleared.
func (s Store) UpdateRound(ctx context.Context, now time.Time, actor Actor, id int64, d Dates) (Round, error) {
	var out Round
	err := db.InTx(ctx, s.DB, func(tx pgx.Tx) error {
		before, err := scanRound(tx.QueryRow(ctx, `SELECT `+roundColumns+` FROM panel_rounds WHERE id = $1 FOR UPDATE`, id))
		if errors.Is(err, pgx.ErrNoRows) {
			return db.ErrNotFound
		}
		if err != nil {
			return fmt.Errorf("panel round %d: %w", id, err)
		}
		var inYear bool
		if err := tx.QueryRow(ctx, `SELECT $2::date BETWEEN starts_on AND ends_on FROM academic_years WHERE code = $1`,
			before.AcademicYear, d.Deadline).Scan(&inYear); err != nil {
			return fmt.Errorf("academic year %s: %w", before.AcademicYear, err)
		}
		if !inYear {
			return ErrDeadlineOutsideYear
		}
		if !d.Meeting.IsZero() && d.Meeting.Before(d.Deadline) {
			return ErrMeetingBeforeDeadline
		}
		// The rounds stay in deadline order, and the round's scheduled panels stay after its deadline.
		var before1, after1 *calendar.Date
		if err := tx.QueryRow(ctx, `SELECT
				(SELECT referral_deadline FROM panel_rounds WHERE academic_year = $1 AND position < $2 ORDER BY position DESC LIMIT 1),
				(SELECT referral_deadline FROM panel_rounds WHERE academic_year = $1 AND position > $2 ORDER BY position LIMIT 1)`,
			before.AcademicYear, before.Position).Scan(&before1, &after1); err != nil {
			return fmt.Errorf("neighbouring rounds: %w", err)
		}
		if (before1 != nil && !d.Deadline.After(*before1)) || (after1 != nil && !d.Deadline.Before(*after1)) {
			return ErrDeadlineOutOfOrder
		}
		var firstMeeting *calendar.Date
		if err := tx.QueryRow(ctx, `SELECT min(held_on) FROM panel_meetings WHERE round_id = $1`, id).Scan(&firstMeeting); err != nil {
			return fmt.Errorf("round's meetings: %w", err)
		}
		if firstMeeting != nil && firstMeeting.Before(d.Deadline) {
			return ErrDeadlineAfterMeeting
		}
		var meetingWeekday *string
		if !d.Meeting.IsZero() {
			w := d.Meeting.Weekday().String()
			meetingWeekday = &w
		}
		out, err = scanRound(tx.QueryRow(ctx, `
			UPDATE panel_rounds SET referral_deadline = $2, deadline_weekday_stated = $3,
			       headteacher_meeting = $4, meeting_weekday_stated = $5, updated_at = $6
			WHERE id = $1 RETURNING `+roundColumns,
			id, d.Deadline, d.Deadline.Weekday().String(), d.Meeting, meetingWeekday, now))
		if err != nil {
			return fmt.Errorf("update panel round %d: %w", id, err)
		}
		return audit.On(tx).Write(ctx, audit.Entry{
			At: now, ActorUserID: actor.UserID, ActorEmail: actor.Email, RequestID: actor.RequestID,
			Action: "panel.round_changed", SubjectType: "panel_round", SubjectID: fmt.Sprint(id),
			Summary: fmt.Sprintf("Changed round %d of %s: referral deadline %s, Headteacher Placement Meeting %s",
				out.Position, out.AcademicYear, stated(before.DeadlineWeekday, before.Deadline)+" → "+stated(out.DeadlineWeekday, out.Deadline),
				stated(before.MeetingWeekday, before.Meeting)+" → "+stated(out.MeetingWeekday, out.Meeting)),
		})
	})
	return out, err
}

// stated writes a date the way its source gave it ("Wednesday 14 July 2026"), or "none".
func stated(weekday string, d calendar.Date) string {
	if d.IsZero() {
		return "none"
	}
	return weekday + " " + d.Format()
}
