package placement

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/coventry-cap/capportal/internal/audit"
	"github.com/coventry-cap/capportal/internal/auth"
	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/db"
	"github.com/coventry-cap/capportal/internal/input"
	"github.com/coventry-cap/capportal/internal/notify"
)

// Audit actions for withdrawals.
const (
	ActionWithdrawalStarted   = "placement.withdrawal_started"
	ActionWithdrawalMeeting   = "placement.withdrawal_meeting"
	ActionWithdrawalSubmitted = "placement.withdrawal_submitted"
	ActionWithdrawalProcessed = "placement.withdrawal_processed"
	ActionWithdrawalCancelled = "placement.withdrawal_cancelled"
	ActionWithdrawalViewed    = "placement.withdrawal_viewed"
	ActionWithdrawalsListed   = "placement.withdrawals_listed"
	ActionEnded               = "placement.ended"
)

// WithdrawalMeeting is the meeting with CAP and the school before a provider's withdrawal (or the school's
// discussion with a Monitoring Officer before its own).
type WithdrawalMeeting struct {
	HeldOn    calendar.Date
	Attendees string // who attended
	Notes     string // what was said
	Recorded  Signed
}

// WithdrawalRequest is a request to withdraw a student from a placement (the reference pack's
// "Withdrawal process": seven steps, five working days for CAP).
type WithdrawalRequest struct {
	ID           int64
	Placement    Placement
	Side         Side // who asked
	Requested    Signed
	Reason       string
	Impact       string // on the student's achievement, health and well-being
	Meeting      WithdrawalMeeting
	Submitted    Signed
	Due          calendar.Date // five working days after submission
	Processed    Signed
	LastDay      calendar.Date
	OutcomeNote  string
	Ended        []int64 // the placements the withdrawal ended
	Cancelled    Signed
	CancelReason string
	Status       RequestStatus
}

// URL is the request's page.
func (w WithdrawalRequest) URL() string { return fmt.Sprintf("/withdrawals/%d", w.ID) }

// MeetingRequired reports whether the meeting must be recorded before the request is submitted:
// when the provider asks.
func (w WithdrawalRequest) MeetingRequired() bool { return w.Side == ProviderSide }

// Late reports whether CAP has not processed the request by its due day.
func (w WithdrawalRequest) Late(today calendar.Date) bool {
	return w.Status == Submitted && !w.Due.IsZero() && today.After(w.Due)
}

// WithdrawalInput is a withdrawal as the school or the provider asks for it.
type WithdrawalInput struct {
	Reason string
	Impact string
}

// Problems says what is wrong: a reason and the impact considered are both required.
func (in WithdrawalInput) Problems() input.Problems {
	var ps input.Problems
	checkText(&ps, "reason", in.Reason, "Enter why the student should be withdrawn", "The reason")
	checkText(&ps, "impact", in.Impact, "Enter the impact you considered on the student’s achievement, health and well-being", "The impact")
	return ps
}

// WithdrawalMeetingInput is the record of the meeting before a withdrawal.
type WithdrawalMeetingInput struct {
	HeldOn    calendar.Date
	Attendees string
	Notes     string
}

// Problems says what is wrong with the meeting's record held for a placement that started on
// start, seen on today: the date (not in the future), who attended and what was said.
func (in WithdrawalMeetingInput) Problems(today calendar.Date) input.Problems {
	var ps input.Problems
	switch {
	case in.HeldOn.IsZero():
		ps = append(ps, input.FieldProblem{Field: "held", Message: "Enter the date of the meeting"})
	case in.HeldOn.After(today):
		ps = append(ps, input.FieldProblem{Field: "held", Message: "The meeting must be today or in the past: record it once it has been held"})
	}
	checkText(&ps, "attendees", in.Attendees, "Enter who attended the meeting", "Who attended")
	checkText(&ps, "notes", in.Notes, "Enter what was said at the meeting", "What was said")
	return ps
}

const selectWithdrawal = `
SELECT w.id, w.placement_id, w.requested_by_side, w.created_at, cu.name, w.reason, w.impact,
       w.meeting_held_on, w.meeting_attendees, w.meeting_notes, w.meeting_recorded_at, coalesce(mu.name, ''),
       w.submitted_at, coalesce(su.name, ''), w.due_on, w.processed_at, coalesce(pu.name, ''), w.last_day, w.outcome_note,
       coalesce((SELECT array_agg(e.placement_id ORDER BY e.placement_id) FROM withdrawal_ended_placements e WHERE e.withdrawal_id = w.id), '{}'),
       w.cancelled_at, coalesce(xu.name, ''), w.cancel_reason, w.status
FROM withdrawal_requests w
JOIN placements p ON p.id = w.placement_id
JOIN users cu ON cu.id = w.created_by
LEFT JOIN users mu ON mu.id = w.meeting_recorded_by
LEFT JOIN users su ON su.id = w.submitted_by
LEFT JOIN users pu ON pu.id = w.processed_by
LEFT JOIN users xu ON xu.id = w.cancelled_by`

func scanWithdrawal(row pgx.Row) (WithdrawalRequest, int64, error) {
	var w WithdrawalRequest
	var placementID int64
	var side, status string
	var meetingAt, submittedAt, processedAt, cancelledAt *time.Time
	err := row.Scan(&w.ID, &placementID, &side, &w.Requested.At, &w.Requested.By, &w.Reason, &w.Impact,
		&w.Meeting.HeldOn, &w.Meeting.Attendees, &w.Meeting.Notes, &meetingAt, &w.Meeting.Recorded.By,
		&submittedAt, &w.Submitted.By, &w.Due, &processedAt, &w.Processed.By, &w.LastDay, &w.OutcomeNote, &w.Ended,
		&cancelledAt, &w.Cancelled.By, &w.CancelReason, &status)
	if errors.Is(err, pgx.ErrNoRows) {
		return w, 0, db.ErrNotFound
	}
	if err != nil {
		return w, 0, fmt.Errorf("read withdrawal request: %w", err)
	}
	w.Side, w.Status = Side(side), RequestStatus(status)
	w.Meeting.Recorded.At, w.Submitted.At = timeOrZero(meetingAt), timeOrZero(submittedAt)
	w.Processed.At, w.Cancelled.At = timeOrZero(processedAt), timeOrZero(cancelledAt)
	return w, placementID, nil
}

func (s Store) withdrawalFor(ctx context.Context, q db.DBTX, a Actor, id int64, lock bool) (WithdrawalRequest, error) {
	sql := selectWithdrawal + ` WHERE w.id = $1`
	if lock {
		sql += ` FOR UPDATE OF w`
	}
	w, placementID, err := scanWithdrawal(q.QueryRow(ctx, sql, id))
	if err != nil {
		return w, err
	}
	w.Placement, err = Store{DB: q, Clock: s.Clock}.Get(ctx, a, placementID)
	return w, err
}

// GetWithdrawal returns the request if the actor may see its placement (db.ErrNotFound otherwise).
// It records nothing: pages use ViewWithdrawal.
func (s Store) GetWithdrawal(ctx context.Context, a Actor, id int64) (WithdrawalRequest, error) {
	return s.withdrawalFor(ctx, s.DB, a, id, false)
}

// ViewWithdrawal returns the request for its page and records the view in the audit log.
func (s Store) ViewWithdrawal(ctx context.Context, a Actor, id int64) (WithdrawalRequest, error) {
	w, err := s.GetWithdrawal(ctx, a, id)
	if err != nil {
		return w, err
	}
	err = audit.On(s.DB).Write(ctx, audit.Entry{At: s.Clock.Now(), ActorUserID: a.userIDPtr(), ActorEmail: a.email(),
		Action: ActionWithdrawalViewed, SubjectType: "placement", SubjectID: fmt.Sprint(w.Placement.ID),
		Summary: fmt.Sprintf("Viewed withdrawal request %d", w.ID), Details: map[string]any{"request": w.ID}, RequestID: a.RequestID})
	if err != nil {
		return w, fmt.Errorf("audit withdrawal view: %w", err)
	}
	return w, nil
}

// StartWithdrawal records a withdrawal asked for by the school or the provider of a placement that
// has not ended, with its reason and the impact considered. CAP and the other side are told: when the
// provider asks, a meeting with CAP and the school comes before the request can be submitted.
func (s Store) StartWithdrawal(ctx context.Context, a Actor, placementID int64, in WithdrawalInput) (WithdrawalRequest, error) {
	var out WithdrawalRequest
	now := s.Clock.Now()
	today := calendar.DateOf(now)
	err := db.InTx(ctx, s.DB, func(tx pgx.Tx) error {
		p, err := Store{DB: tx, Clock: s.Clock}.Get(ctx, a, placementID)
		if err != nil {
			return err
		}
		side, ok := SideOf(a.Principal, p)
		if !ok {
			return forbidden("Only the school or the provider of the placement asks for a withdrawal.",
				"Ask the school’s CAP coordinator or the provider to start the request.")
		}
		if p.Status != "active" || (!p.EndedOn.IsZero() && p.EndedOn.Before(today)) {
			return ErrPlacementEnded
		}
		if ps := in.Problems(); len(ps) > 0 {
			return ps
		}
		var id int64
		err = tx.QueryRow(ctx, `INSERT INTO withdrawal_requests (placement_id, requested_by_side, created_at, created_by, reason, impact)
			VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
			p.ID, string(side), now, a.userID(), strings.TrimSpace(in.Reason), strings.TrimSpace(in.Impact)).Scan(&id)
		if db.IsUniqueViolation(err, "withdrawal_requests_open_key") {
			return ErrRequestUnderWay
		}
		if err != nil {
			return fmt.Errorf("record withdrawal request: %w", err)
		}
		if err := audit.On(tx).Write(ctx, audit.Entry{At: now, ActorUserID: a.userIDPtr(), ActorEmail: a.email(),
			Action: ActionWithdrawalStarted, SubjectType: "placement", SubjectID: fmt.Sprint(p.ID),
			Summary: side.Label() + " started a withdrawal request", Details: map[string]any{"request": id}, RequestID: a.RequestID}); err != nil {
			return err
		}
		body := side.Label() + " started a request to withdraw a student from a placement."
		if side == ProviderSide {
			body += " A meeting with CAP and the school must be held and recorded before the provider submits it."
		} else {
			body += " CAP encourages a discussion with a Monitoring Officer before the school submits it."
		}
		msg := notify.Message{Kind: "placement.withdrawal_started", Subject: "A withdrawal was requested for a placement at " + p.ProviderName,
			Body: body, Link: fmt.Sprintf("/withdrawals/%d", id)}
		to := notify.Union(audienceOf(p, side.Other()), notify.CAPRole(auth.CAPAdmin, auth.MonitoringOfficer))
		if err := s.queue(ctx, tx, now, a, to, msg); err != nil {
			return err
		}
		out, err = s.withdrawalFor(ctx, tx, a, id, false)
		return err
	})
	return out, err
}

// mayRecordMeeting reports whether the principal may record the meeting: either side of the
// placement, or CAP's admins and Monitoring Officers.
func mayRecordMeeting(p *auth.Principal, pl Placement) bool {
	_, side := SideOf(p, pl)
	return side || (p != nil && p.HasAny(auth.CAPAdmin, auth.MonitoringOfficer))
}

// RecordWithdrawalMeeting records the meeting held before the withdrawal is submitted: when, who attended and
// what was said. Recording it again replaces the record, while the request is being prepared.
func (s Store) RecordWithdrawalMeeting(ctx context.Context, a Actor, id int64, in WithdrawalMeetingInput) (WithdrawalRequest, error) {
	var out WithdrawalRequest
	now := s.Clock.Now()
	err := db.InTx(ctx, s.DB, func(tx pgx.Tx) error {
		w, err := s.withdrawalFor(ctx, tx, a, id, true)
		if err != nil {
			return err
		}
		if !mayRecordMeeting(a.Principal, w.Placement) {
			return forbidden("The school, the provider or CAP records the meeting.", "Ask one of them to record it.")
		}
		if w.Status != Open {
			return refused("This request is "+strings.ToLower(w.Status.Label())+": the meeting can no longer be changed.", "Go back to the request.")
		}
		if ps := in.Problems(calendar.DateOf(now)); len(ps) > 0 {
			return ps
		}
		if _, err := tx.Exec(ctx, `UPDATE withdrawal_requests SET meeting_held_on = $2, meeting_attendees = $3, meeting_notes = $4,
			meeting_recorded_at = $5, meeting_recorded_by = $6 WHERE id = $1`,
			id, in.HeldOn, strings.TrimSpace(in.Attendees), strings.TrimSpace(in.Notes), now, a.userID()); err != nil {
			return fmt.Errorf("record meeting: %w", err)
		}
		if err := audit.On(tx).Write(ctx, audit.Entry{At: now, ActorUserID: a.userIDPtr(), ActorEmail: a.email(),
			Action: ActionWithdrawalMeeting, SubjectType: "placement", SubjectID: fmt.Sprint(w.Placement.ID),
			Summary: "Recorded the meeting of " + in.HeldOn.Format() + " before the withdrawal", Details: map[string]any{"request": id}, RequestID: a.RequestID}); err != nil {
			return err
		}
		out, err = s.withdrawalFor(ctx, tx, a, id, false)
		return err
	})
	return out, err
}

// SubmitWithdrawal is the representative of the side that asked submitting the request to CAP: due
// five working days after today. A provider's request is refused until the meeting with CAP and the
// school is recorded. Submitting twice submits it once.
func (s Store) SubmitWithdrawal(ctx context.Context, a Actor, id int64) (WithdrawalRequest, error) {
	var out WithdrawalRequest
	now := s.Clock.Now()
	err := db.InTx(ctx, s.DB, func(tx pgx.Tx) error {
		w, err := s.withdrawalFor(ctx, tx, a, id, true)
		if err != nil {
			return err
		}
		if !ActsFor(a.Principal, w.Placement, w.Side) {
			return forbidden(w.Side.Label()+" asked for this withdrawal, so its representative submits it.", "Ask them to submit it.")
		}
		switch w.Status {
		case Submitted, Processed:
			out = w
			return nil
		case Cancelled:
			return refused("This request was cancelled.", "Start a new request if the student should still be withdrawn.")
		}
		if w.MeetingRequired() && !w.Meeting.Recorded.Done() {
			return input.Problems{{Field: "meeting", Message: "Record the meeting with CAP and the school before you submit the withdrawal"}}
		}
		due := DueAfter(calendar.DateOf(now), WithdrawalWorkingDays)
		if _, err := tx.Exec(ctx, `UPDATE withdrawal_requests SET status = 'submitted', submitted_at = $2, submitted_by = $3, due_on = $4
			WHERE id = $1`, id, now, a.userID(), due); err != nil {
			return fmt.Errorf("submit withdrawal: %w", err)
		}
		if err := audit.On(tx).Write(ctx, audit.Entry{At: now, ActorUserID: a.userIDPtr(), ActorEmail: a.email(),
			Action: ActionWithdrawalSubmitted, SubjectType: "placement", SubjectID: fmt.Sprint(w.Placement.ID),
			Summary: "Submitted the withdrawal to CAP, due " + due.Format(), Details: map[string]any{"request": id}, RequestID: a.RequestID}); err != nil {
			return err
		}
		from := w.Placement.SchoolName
		if w.Side == ProviderSide {
			from = w.Placement.ProviderName
		}
		msg := notify.Message{Kind: "placement.withdrawal_submitted", Subject: from + " submitted a withdrawal request",
			Body: "A withdrawal request is waiting for CAP. It is due by " + due.Format() + ".", Link: w.URL()}
		if err := s.queue(ctx, tx, now, a, capAdmins, msg); err != nil {
			return err
		}
		out, err = s.withdrawalFor(ctx, tx, a, id, false)
		return err
	})
	return out, err
}

// CourseOf are the student's placements on the same course (programme) as the withdrawal's, still
// running or about to, that the actor may see: CAP checks whether the student leaves all of them.
func (s Store) CourseOf(ctx context.Context, a Actor, w WithdrawalRequest) ([]Placement, error) {
	sc := ScopeFor(a.Principal)
	if sc.Empty() {
		return nil, nil
	}
	where, args := scopeSQL(sc, 3)
	return collectPlacements(s.DB.Query(ctx, selectPlacement+` WHERE p.student_id = $1 AND p.programme_id = $2 AND p.status = 'active' AND `+
		where+` ORDER BY p.start_date, p.id`, append([]any{w.Placement.StudentID, w.Placement.ProgrammeID}, args...)...))
}

// ProcessInput is CAP's processing of a withdrawal: the last day the student attends, and which of
// the student's placements on the course end (the one asked about, or all of them).
type ProcessInput struct {
	LastDay    calendar.Date
	Placements []int64
	Note       string // the outcome sent to the school and the provider
}

// ProcessWithdrawal is CAP ending the chosen placements of the course after the last day: each keeps
// its history, is marked ended with the outcome "withdrawn", and has no register after it. The last
// day cannot be before a session already marked in a register. Both sides are told.
func (s Store) ProcessWithdrawal(ctx context.Context, a Actor, id int64, in ProcessInput) (WithdrawalRequest, error) {
	var out WithdrawalRequest
	now := s.Clock.Now()
	err := db.InTx(ctx, s.DB, func(tx pgx.Tx) error {
		w, err := s.withdrawalFor(ctx, tx, a, id, true)
		if err != nil {
			return err
		}
		if !IsCAPAdmin(a.Principal) {
			return forbidden("CAP’s admins process a withdrawal.", "Wait for CAP to process it.")
		}
		switch w.Status {
		case Processed:
			out = w
			return nil
		case Open:
			return refused("This request has not been submitted yet.", "Wait for "+strings.ToLower(w.Side.Label())+" to submit it.")
		case Cancelled:
			return refused("This request was cancelled.", "Go back to the request.")
		}
		course, err := Store{DB: tx, Clock: s.Clock}.CourseOf(ctx, a, w)
		if err != nil {
			return err
		}
		var ps input.Problems
		var chosen []Placement
		for _, p := range course {
			if slices.Contains(in.Placements, p.ID) {
				chosen = append(chosen, p)
			}
		}
		if len(chosen) == 0 || len(chosen) != len(slices.Compact(slices.Sorted(slices.Values(in.Placements)))) {
			ps = append(ps, input.FieldProblem{Field: "placements", Message: "Select the placements the student is withdrawn from"})
		}
		if in.LastDay.IsZero() {
			ps = append(ps, input.FieldProblem{Field: "last", Message: "Enter the student’s last day"})
		} else if len(chosen) > 0 {
			var lastMarked calendar.Date
			ids := make([]int64, len(chosen))
			for i, p := range chosen {
				ids[i] = p.ID
			}
			if err := tx.QueryRow(ctx, `SELECT max(on_date) FROM attendance_marks WHERE placement_id = ANY($1)`, ids).Scan(&lastMarked); err != nil {
				return fmt.Errorf("read last mark: %w", err)
			}
			if !lastMarked.IsZero() && in.LastDay.Before(lastMarked) {
				ps = append(ps, input.FieldProblem{Field: "last", Message: "The last day cannot be before " + lastMarked.Format() +
					", when the student was last marked in a register"})
			}
		}
		checkText(&ps, "note", in.Note, "", "The outcome")
		if len(ps) > 0 {
			return ps
		}
		for _, p := range chosen {
			if _, err := tx.Exec(ctx, `UPDATE placements SET ended_on = $2, status = 'ended' WHERE id = $1`, p.ID, in.LastDay); err != nil {
				return fmt.Errorf("end placement: %w", err)
			}
			if _, err := tx.Exec(ctx, `INSERT INTO placement_outcomes (placement_id, outcome, notes, recorded_at, recorded_by)
				VALUES ($1, 'withdrawn', $2, $3, $4)
				ON CONFLICT (placement_id) DO UPDATE SET outcome = 'withdrawn', notes = EXCLUDED.notes, recorded_at = EXCLUDED.recorded_at,
					recorded_by = EXCLUDED.recorded_by`, p.ID, strings.TrimSpace(in.Note), now, a.userID()); err != nil {
				return fmt.Errorf("record outcome: %w", err)
			}
			if _, err := tx.Exec(ctx, `INSERT INTO withdrawal_ended_placements (withdrawal_id, placement_id) VALUES ($1, $2)`, id, p.ID); err != nil {
				return fmt.Errorf("record ended placement: %w", err)
			}
			if err := audit.On(tx).Write(ctx, audit.Entry{At: now, ActorUserID: a.userIDPtr(), ActorEmail: a.email(),
				Action: ActionEnded, SubjectType: "placement", SubjectID: fmt.Sprint(p.ID),
				Summary: "Withdrawn: the last day is " + in.LastDay.Format(), Details: map[string]any{"withdrawal": id}, RequestID: a.RequestID}); err != nil {
				return err
			}
		}
		if _, err := tx.Exec(ctx, `UPDATE withdrawal_requests SET status = 'processed', processed_at = $2, processed_by = $3, last_day = $4,
			outcome_note = $5 WHERE id = $1`, id, now, a.userID(), in.LastDay, strings.TrimSpace(in.Note)); err != nil {
			return fmt.Errorf("process withdrawal: %w", err)
		}
		scope := "this placement"
		if len(chosen) > 1 {
			scope = fmt.Sprintf("all %d placements on the course", len(chosen))
		}
		if err := audit.On(tx).Write(ctx, audit.Entry{At: now, ActorUserID: a.userIDPtr(), ActorEmail: a.email(),
			Action: ActionWithdrawalProcessed, SubjectType: "placement", SubjectID: fmt.Sprint(w.Placement.ID),
			Summary: "Processed the withdrawal from " + scope + ", last day " + in.LastDay.Format(),
			Details: map[string]any{"request": id, "ended": in.Placements}, RequestID: a.RequestID}); err != nil {
			return err
		}
		msg := notify.Message{Kind: "placement.withdrawal_processed", Subject: "A withdrawal from a placement at " + w.Placement.ProviderName + " was processed",
			Body: "CAP processed the withdrawal: the student’s last day is " + in.LastDay.Format() + ".", Link: w.URL()}
		if err := s.queue(ctx, tx, now, a, notify.Union(audienceOf(w.Placement, SchoolSide), audienceOf(w.Placement, ProviderSide)), msg); err != nil {
			return err
		}
		out, err = s.withdrawalFor(ctx, tx, a, id, false)
		return err
	})
	return out, err
}

// CancelWithdrawal cancels a request, saying why: the side that asked while it is being prepared,
// CAP until it is processed.
func (s Store) CancelWithdrawal(ctx context.Context, a Actor, id int64, why string) (WithdrawalRequest, error) {
	var out WithdrawalRequest
	now := s.Clock.Now()
	err := db.InTx(ctx, s.DB, func(tx pgx.Tx) error {
		w, err := s.withdrawalFor(ctx, tx, a, id, true)
		if err != nil {
			return err
		}
		switch {
		case w.Status == Cancelled:
			out = w
			return nil
		case !w.Status.UnderWay():
			return refused("This withdrawal was processed: it cannot be cancelled.", "Contact CAP if the student should return.")
		case !IsCAPAdmin(a.Principal) && !(ActsFor(a.Principal, w.Placement, w.Side) && w.Status == Open):
			return forbidden("Only the side that asked, before submitting it, or CAP can cancel a withdrawal request.", "Contact CAP if it is no longer needed.")
		}
		var ps input.Problems
		checkText(&ps, "why", why, "Enter why the request is cancelled", "The reason")
		if len(ps) > 0 {
			return ps
		}
		if _, err := tx.Exec(ctx, `UPDATE withdrawal_requests SET status = 'cancelled', cancelled_at = $2, cancelled_by = $3, cancel_reason = $4
			WHERE id = $1`, id, now, a.userID(), strings.TrimSpace(why)); err != nil {
			return fmt.Errorf("cancel withdrawal: %w", err)
		}
		if err := audit.On(tx).Write(ctx, audit.Entry{At: now, ActorUserID: a.userIDPtr(), ActorEmail: a.email(),
			Action: ActionWithdrawalCancelled, SubjectType: "placement", SubjectID: fmt.Sprint(w.Placement.ID),
			Summary: "Cancelled the withdrawal request", Details: map[string]any{"request": id, "reason": strings.TrimSpace(why)}, RequestID: a.RequestID}); err != nil {
			return err
		}
		msg := notify.Message{Kind: "placement.withdrawal_cancelled", Subject: "A withdrawal request was cancelled",
			Body: "The withdrawal request for a placement at " + w.Placement.ProviderName + " was cancelled.", Link: w.URL()}
		if err := s.queue(ctx, tx, now, a, notify.Union(audienceOf(w.Placement, SchoolSide), audienceOf(w.Placement, ProviderSide)), msg); err != nil {
			return err
		}
		out, err = s.withdrawalFor(ctx, tx, a, id, false)
		return err
	})
	return out, err
}

// WithdrawalsOf are the placement's withdrawal requests the actor may see, newest first. It records
// nothing: the page that shows them has audited the placement (View).
func (s Store) WithdrawalsOf(ctx context.Context, a Actor, placementID int64) ([]WithdrawalRequest, error) {
	p, err := s.Get(ctx, a, placementID)
	if errors.Is(err, db.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	rows, err := s.DB.Query(ctx, selectWithdrawal+` WHERE w.placement_id = $1 OR EXISTS (SELECT 1 FROM withdrawal_ended_placements e
		WHERE e.withdrawal_id = w.id AND e.placement_id = $1) ORDER BY w.id DESC`, p.ID)
	if err != nil {
		return nil, fmt.Errorf("list withdrawal requests: %w", err)
	}
	var out []WithdrawalRequest
	var pids []int64
	for rows.Next() {
		w, pid, err := scanWithdrawal(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		w.Placement = p
		out, pids = append(out, w), append(pids, pid)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list withdrawal requests: %w", err)
	}
	for i, pid := range pids {
		if pid == p.ID {
			continue
		}
		// A withdrawal asked on another placement of the course: shown with that placement when this
		// person may see it, otherwise only as having ended this one.
		other, err := s.Get(ctx, a, pid)
		switch {
		case err == nil:
			out[i].Placement = other
		case !errors.Is(err, db.ErrNotFound):
			return nil, err
		}
	}
	return out, nil
}

// WithdrawalQueue is a page of the withdrawal requests the actor may see, most urgent first, and
// whether there are more. It names students, so it is recorded in the audit log.
func (s Store) WithdrawalQueue(ctx context.Context, a Actor, f QueueFilter, limit int) ([]WithdrawalRequest, bool, error) {
	sc := ScopeFor(a.Principal)
	if sc.Empty() {
		return nil, false, nil
	}
	where, args := scopeSQL(sc, 1)
	conds := []string{where}
	if !f.All {
		conds = append(conds, "w.status IN ('open', 'submitted')")
	}
	if f.After.ID != 0 {
		args = append(args, f.After.due(), f.After.ID)
		conds = append(conds, fmt.Sprintf("(coalesce(w.due_on, '9999-12-31'::date), w.id) > ($%d, $%d)", len(args)-1, len(args)))
	}
	rows, err := s.DB.Query(ctx, selectWithdrawal+` WHERE `+strings.Join(conds, " AND ")+
		fmt.Sprintf(` ORDER BY coalesce(w.due_on, '9999-12-31'::date), w.id LIMIT %d`, max(limit, 0)+1), args...)
	if err != nil {
		return nil, false, fmt.Errorf("list withdrawal requests: %w", err)
	}
	var list []WithdrawalRequest
	var placementIDs []int64
	for rows.Next() {
		w, pid, err := scanWithdrawal(rows)
		if err != nil {
			rows.Close()
			return nil, false, err
		}
		list = append(list, w)
		placementIDs = append(placementIDs, pid)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, false, fmt.Errorf("list withdrawal requests: %w", err)
	}
	more := len(list) > limit
	if more {
		list, placementIDs = list[:limit], placementIDs[:limit]
	}
	byID, err := s.placementsByID(ctx, placementIDs)
	if err != nil {
		return nil, false, err
	}
	for i := range list {
		list[i].Placement = byID[placementIDs[i]]
	}
	if len(list) > 0 {
		ids := make([]int64, len(list))
		for i, w := range list {
			ids[i] = w.ID
		}
		if err := audit.On(s.DB).Write(ctx, audit.Entry{At: s.Clock.Now(), ActorUserID: a.userIDPtr(), ActorEmail: a.email(),
			Action: ActionWithdrawalsListed, SubjectType: "placement", Summary: fmt.Sprintf("Shown %d withdrawal requests in a list", len(list)),
			Details: map[string]any{"requests": ids}, RequestID: a.RequestID}); err != nil {
			return nil, false, fmt.Errorf("audit withdrawal list: %w", err)
		}
	}
	return list, more, nil
}

// DueSummary counts the requests under way that need someone to act, for a dashboard: those CAP
// has not processed by their due day (late) or that are due today, and those waiting for the
// person's own side (to agree to a change of day, or to submit a request).
type DueSummary struct {
	ChangesLate, ChangesDueToday, ChangesWaiting             int // submitted, for CAP
	WithdrawalsLate, WithdrawalsDueToday, WithdrawalsWaiting int // submitted, for CAP
	ChangesToAgree, ChangesToSubmit                          int // open, for the school or the provider
	WithdrawalsToSubmit                                      int // open, for the side that asked
}

// Due is the dashboard's count of change-of-day and withdrawal requests for the actor: CAP sees the
// submitted ones it must process (late, due today, all waiting), a school or a provider the open ones
// waiting for it. It names nobody, so it records nothing; it reads only requests under way (a
// partial index keeps that small).
func (s Store) Due(ctx context.Context, a Actor) (DueSummary, error) {
	var d DueSummary
	sc := ScopeFor(a.Principal)
	if sc.Empty() {
		return d, nil
	}
	today := calendar.DateOf(s.Clock.Now())
	if IsCAPAdmin(a.Principal) {
		err := s.DB.QueryRow(ctx, `SELECT
				count(*) FILTER (WHERE kind = 'c' AND due_on < $1), count(*) FILTER (WHERE kind = 'c' AND due_on = $1), count(*) FILTER (WHERE kind = 'c'),
				count(*) FILTER (WHERE kind = 'w' AND due_on < $1), count(*) FILTER (WHERE kind = 'w' AND due_on = $1), count(*) FILTER (WHERE kind = 'w')
			FROM (SELECT 'c' AS kind, due_on FROM change_of_day_requests WHERE status = 'submitted'
			      UNION ALL SELECT 'w', due_on FROM withdrawal_requests WHERE status = 'submitted') q`, today).
			Scan(&d.ChangesLate, &d.ChangesDueToday, &d.ChangesWaiting, &d.WithdrawalsLate, &d.WithdrawalsDueToday, &d.WithdrawalsWaiting)
		if err != nil {
			return d, fmt.Errorf("count requests due: %w", err)
		}
	}
	schools, providers := nonNil(nil), nonNil(nil)
	for _, r := range []auth.Role{auth.Coordinator, auth.Headteacher} {
		schools = append(schools, a.Principal.OrgIDsWith(r)...)
	}
	providers = append(providers, a.Principal.OrgIDsWith(auth.ProviderStaff)...)
	if len(schools)+len(providers) == 0 {
		return d, nil
	}
	err := s.DB.QueryRow(ctx, `SELECT
			(SELECT count(*) FROM change_of_day_requests c JOIN placements p ON p.id = c.placement_id WHERE c.status = 'open'
				AND ((p.school_id = ANY($1) AND c.school_agreed_at IS NULL) OR (p.provider_id = ANY($2) AND c.provider_agreed_at IS NULL))),
			(SELECT count(*) FROM change_of_day_requests c JOIN placements p ON p.id = c.placement_id WHERE c.status = 'open'
				AND p.school_id = ANY($1) AND c.school_agreed_at IS NOT NULL AND c.provider_agreed_at IS NOT NULL),
			(SELECT count(*) FROM withdrawal_requests w JOIN placements p ON p.id = w.placement_id WHERE w.status = 'open'
				AND ((w.requested_by_side = 'school' AND p.school_id = ANY($1)) OR (w.requested_by_side = 'provider' AND p.provider_id = ANY($2))))`,
		schools, providers).Scan(&d.ChangesToAgree, &d.ChangesToSubmit, &d.WithdrawalsToSubmit)
	if err != nil {
		return d, fmt.Errorf("count requests waiting: %w", err)
	}
	return d, nil
}
