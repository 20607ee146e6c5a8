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
	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/db"
	"github.com/coventry-cap/capportal/internal/input"
	"github.com/coventry-cap/capportal/internal/notify"
)

// Audit actions for change-of-day requests.
const (
	ActionChangeStarted   = "placement.change_started"
	ActionChangeAgreed    = "placement.change_agreed"
	ActionChangeSubmitted = "placement.change_submitted"
	ActionChangeApplied   = "placement.change_applied"
	ActionChangeCancelled = "placement.change_cancelled"
	ActionChangeViewed    = "placement.change_viewed"
	ActionChangesListed   = "placement.changes_listed"
)

// RequestStatus is where a change-of-day or withdrawal request stands.
type RequestStatus string

// The statuses of a request: open while the sides prepare it, submitted to CAP, then applied (a
// change of day) or processed (a withdrawal), or cancelled.
const (
	Open      RequestStatus = "open"
	Submitted RequestStatus = "submitted"
	Applied   RequestStatus = "applied"
	Processed RequestStatus = "processed"
	Cancelled RequestStatus = "cancelled"
)

// Label names the status for people.
func (s RequestStatus) Label() string {
	switch s {
	case Open:
		return "Being prepared"
	case Submitted:
		return "Submitted to CAP"
	case Applied:
		return "Applied and confirmed"
	case Processed:
		return "Processed and confirmed"
	case Cancelled:
		return "Cancelled"
	}
	return string(s)
}

// UnderWay reports whether the request is still being prepared or waits for CAP.
func (s RequestStatus) UnderWay() bool { return s == Open || s == Submitted }

// Signed is who did something on a request, and when.
type Signed struct {
	At time.Time // zero when not done
	By string
}

// Done reports whether it was done.
func (s Signed) Done() bool { return !s.At.IsZero() }

// ChangeRequest is a request to change the days and sessions of a placement (the reference pack's
// "Change of day request": seven steps, two working days for CAP).
type ChangeRequest struct {
	ID             int64
	Placement      Placement
	Side           Side // who asked
	Requested      Signed
	Current        Pattern // the days and sessions when it was asked
	Asked          Pattern
	Reason         string
	Impact         string // on the student's achievement, health and well-being
	SchoolAgreed   Signed
	ProviderAgreed Signed
	Submitted      Signed
	Due            calendar.Date // two working days after submission
	Applied        Signed
	EffectiveFrom  calendar.Date
	Cancelled      Signed
	CancelReason   string
	Status         RequestStatus
}

// URL is the request's page.
func (c ChangeRequest) URL() string { return fmt.Sprintf("/changes/%d", c.ID) }

// Agreed is the agreement of a side.
func (c ChangeRequest) Agreed(side Side) Signed {
	if side == ProviderSide {
		return c.ProviderAgreed
	}
	return c.SchoolAgreed
}

// BothAgreed reports whether the school and the provider have both agreed.
func (c ChangeRequest) BothAgreed() bool { return c.SchoolAgreed.Done() && c.ProviderAgreed.Done() }

// Late reports whether CAP has not applied the request by its due day.
func (c ChangeRequest) Late(today calendar.Date) bool {
	return c.Status == Submitted && !c.Due.IsZero() && today.After(c.Due)
}

// ChangeInput is a change of day as the school or the provider asks for it.
type ChangeInput struct {
	Days     []time.Weekday
	Sessions []Session
	Reason   string
	Impact   string
}

// Problems says what is wrong with the request for a placement that now runs on current: at least
// one weekday and one session, different from now, a reason and the impact considered.
func (in ChangeInput) Problems(current Pattern) input.Problems {
	var ps input.Problems
	add := func(field, msg string) { ps = append(ps, input.FieldProblem{Field: field, Message: msg}) }
	days := slices.DeleteFunc(slices.Clone(in.Days), func(d time.Weekday) bool { return !slices.Contains(Weekdays, d) })
	sessions := slices.DeleteFunc(slices.Clone(in.Sessions), func(s Session) bool { return !s.Valid() })
	switch {
	case len(days) == 0:
		add("days", "Select the days the student should attend")
	case len(days) != len(in.Days):
		add("days", "Select days from Monday to Friday")
	}
	if len(sessions) == 0 || len(sessions) != len(in.Sessions) {
		add("sessions", "Select the sessions the student should attend")
	}
	if len(days) > 0 && len(sessions) > 0 && (Pattern{Days: days, Sessions: sessions}).Same(current) {
		add("days", "Select days or sessions different from those the student attends now")
	}
	checkText(&ps, "reason", in.Reason, "Enter why the days need to change", "The reason")
	checkText(&ps, "impact", in.Impact, "Enter the impact you considered on the student’s achievement, health and well-being", "The impact")
	return ps
}

// ErrRequestUnderWay is returned when a placement already has a request of that kind under way.
var ErrRequestUnderWay = errors.New("a request of that kind is already under way for this placement")

// ErrPlacementEnded is returned for a request on a placement that has ended.
var ErrPlacementEnded = errors.New("the placement has ended")

const selectChange = `
SELECT c.id, c.placement_id, c.requested_by_side, c.created_at, cu.name, c.current_days, c.current_sessions,
       c.new_days, c.new_sessions, c.reason, c.impact,
       c.school_agreed_at, coalesce(su.name, ''), c.provider_agreed_at, coalesce(pu.name, ''),
       c.submitted_at, coalesce(bu.name, ''), c.due_on, c.applied_at, coalesce(au.name, ''), c.effective_from,
       c.cancelled_at, coalesce(xu.name, ''), c.cancel_reason, c.status
FROM change_of_day_requests c
JOIN placements p ON p.id = c.placement_id
JOIN users cu ON cu.id = c.created_by
LEFT JOIN users su ON su.id = c.school_agreed_by
LEFT JOIN users pu ON pu.id = c.provider_agreed_by
LEFT JOIN users bu ON bu.id = c.submitted_by
LEFT JOIN users au ON au.id = c.applied_by
LEFT JOIN users xu ON xu.id = c.cancelled_by`

func scanChange(row pgx.Row) (ChangeRequest, int64, error) {
	var c ChangeRequest
	var placementID int64
	var side, status string
	var curDays, newDays []int16
	var curSessions, newSessions []string
	var schoolAt, providerAt, submittedAt, appliedAt, cancelledAt *time.Time
	err := row.Scan(&c.ID, &placementID, &side, &c.Requested.At, &c.Requested.By, &curDays, &curSessions, &newDays, &newSessions,
		&c.Reason, &c.Impact, &schoolAt, &c.SchoolAgreed.By, &providerAt, &c.ProviderAgreed.By, &submittedAt, &c.Submitted.By,
		&c.Due, &appliedAt, &c.Applied.By, &c.EffectiveFrom, &cancelledAt, &c.Cancelled.By, &c.CancelReason, &status)
	if errors.Is(err, pgx.ErrNoRows) {
		return c, 0, db.ErrNotFound
	}
	if err != nil {
		return c, 0, fmt.Errorf("read change of day request: %w", err)
	}
	c.Side, c.Status = Side(side), RequestStatus(status)
	c.Current = Pattern{Days: weekdaysOf(curDays), Sessions: sessionsOf(curSessions)}
	c.Asked = Pattern{Days: weekdaysOf(newDays), Sessions: sessionsOf(newSessions)}
	c.SchoolAgreed.At, c.ProviderAgreed.At = timeOrZero(schoolAt), timeOrZero(providerAt)
	c.Submitted.At, c.Applied.At, c.Cancelled.At = timeOrZero(submittedAt), timeOrZero(appliedAt), timeOrZero(cancelledAt)
	return c, placementID, nil
}

// changeFor reads a request with its placement, scoped to what the actor may see; lock takes the
// request's row for the transaction.
func (s Store) changeFor(ctx context.Context, q db.DBTX, a Actor, id int64, lock bool) (ChangeRequest, error) {
	sql := selectChange + ` WHERE c.id = $1`
	if lock {
		sql += ` FOR UPDATE OF c`
	}
	c, placementID, err := scanChange(q.QueryRow(ctx, sql, id))
	if err != nil {
		return c, err
	}
	c.Placement, err = Store{DB: q, Clock: s.Clock}.Get(ctx, a, placementID)
	return c, err
}

// GetChange returns the request if the actor may see its placement (db.ErrNotFound otherwise). It
// records nothing: pages use ViewChange.
func (s Store) GetChange(ctx context.Context, a Actor, id int64) (ChangeRequest, error) {
	return s.changeFor(ctx, s.DB, a, id, false)
}

// ViewChange returns the request for its page and records the view in the audit log.
func (s Store) ViewChange(ctx context.Context, a Actor, id int64) (ChangeRequest, error) {
	c, err := s.GetChange(ctx, a, id)
	if err != nil {
		return c, err
	}
	err = audit.On(s.DB).Write(ctx, audit.Entry{At: s.Clock.Now(), ActorUserID: a.userIDPtr(), ActorEmail: a.email(),
		Action: ActionChangeViewed, SubjectType: "placement", SubjectID: fmt.Sprint(c.Placement.ID),
		Summary: fmt.Sprintf("Viewed change of day request %d", c.ID), Details: map[string]any{"request": c.ID}, RequestID: a.RequestID})
	if err != nil {
		return c, fmt.Errorf("audit change view: %w", err)
	}
	return c, nil
}

// StartChange records a change of day asked for by the school or the provider of a placement that
// has not ended: the days and sessions asked for, the reason and the impact considered. The other
// side is told. Nothing is agreed yet: each side agrees on the request's page.
func (s Store) StartChange(ctx context.Context, a Actor, placementID int64, in ChangeInput) (ChangeRequest, error) {
	var out ChangeRequest
	now := s.Clock.Now()
	today := calendar.DateOf(now)
	err := db.InTx(ctx, s.DB, func(tx pgx.Tx) error {
		p, err := Store{DB: tx, Clock: s.Clock}.Get(ctx, a, placementID)
		if err != nil {
			return err
		}
		side, ok := SideOf(a.Principal, p)
		if !ok {
			return forbidden("Only the school or the provider of the placement asks for a change of day.",
				"Ask the school’s CAP coordinator or the provider to start the request.")
		}
		if p.Status != "active" || (!p.EndedOn.IsZero() && p.EndedOn.Before(today)) {
			return ErrPlacementEnded
		}
		current := Pattern{Days: p.Days, Sessions: p.Sessions}
		if ps := in.Problems(current); len(ps) > 0 {
			return ps
		}
		asked := Pattern{Days: in.Days, Sessions: in.Sessions}.normalised()
		var id int64
		err = tx.QueryRow(ctx, `INSERT INTO change_of_day_requests (placement_id, requested_by_side, created_at, created_by,
				current_days, current_sessions, new_days, new_sessions, reason, impact)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
			p.ID, string(side), now, a.userID(), int16s(p.Days), strs(p.Sessions), int16s(asked.Days), strs(asked.Sessions),
			strings.TrimSpace(in.Reason), strings.TrimSpace(in.Impact)).Scan(&id)
		if db.IsUniqueViolation(err, "change_of_day_requests_open_key") {
			return ErrRequestUnderWay
		}
		if err != nil {
			return fmt.Errorf("record change of day request: %w", err)
		}
		if err := audit.On(tx).Write(ctx, audit.Entry{At: now, ActorUserID: a.userIDPtr(), ActorEmail: a.email(),
			Action: ActionChangeStarted, SubjectType: "placement", SubjectID: fmt.Sprint(p.ID),
			Summary: fmt.Sprintf("%s asked to change the days from %s to %s", side.Label(), current.Text(), asked.Text()),
			Details: map[string]any{"request": id}, RequestID: a.RequestID}); err != nil {
			return err
		}
		if err := s.queue(ctx, tx, now, a, audienceOf(p, side.Other()), notify.Message{Kind: "placement.change_started",
			Subject: "A change of day was requested for a placement at " + p.ProviderName,
			Body:    side.Label() + " asked to change the days of a placement. Both the school and the provider must agree before the school submits it to CAP.",
			Link:    fmt.Sprintf("/changes/%d", id)}); err != nil {
			return err
		}
		out, err = s.changeFor(ctx, tx, a, id, false)
		return err
	})
	return out, err
}

// AgreeChange records the side's agreement to a request being prepared: who and when. Agreeing
// twice records the first agreement.
func (s Store) AgreeChange(ctx context.Context, a Actor, id int64, side Side) (ChangeRequest, error) {
	var out ChangeRequest
	now := s.Clock.Now()
	err := db.InTx(ctx, s.DB, func(tx pgx.Tx) error {
		c, err := s.changeFor(ctx, tx, a, id, true)
		if err != nil {
			return err
		}
		if !ActsFor(a.Principal, c.Placement, side) {
			who := "the school’s CAP coordinator or headteacher"
			if side == ProviderSide {
				who = "the provider’s staff"
			}
			return forbidden("Only "+who+" can agree for "+strings.ToLower(side.Label())+".", "Ask them to agree on this page.")
		}
		if c.Agreed(side).Done() {
			out = c
			return nil
		}
		if c.Status != Open {
			return refused("This request is "+strings.ToLower(c.Status.Label())+": it can no longer be agreed.", "Go back to the request.")
		}
		col := "school"
		if side == ProviderSide {
			col = "provider"
		}
		if _, err := tx.Exec(ctx, `UPDATE change_of_day_requests SET `+col+`_agreed_at = $2, `+col+`_agreed_by = $3 WHERE id = $1`,
			id, now, a.userID()); err != nil {
			return fmt.Errorf("record agreement: %w", err)
		}
		if err := audit.On(tx).Write(ctx, audit.Entry{At: now, ActorUserID: a.userIDPtr(), ActorEmail: a.email(),
			Action: ActionChangeAgreed, SubjectType: "placement", SubjectID: fmt.Sprint(c.Placement.ID),
			Summary: side.Label() + " agreed to the change of day", Details: map[string]any{"request": id}, RequestID: a.RequestID}); err != nil {
			return err
		}
		msg := notify.Message{Kind: "placement.change_agreed", Subject: side.Label() + " agreed to a change of day at " + c.Placement.ProviderName,
			Body: side.Label() + " agreed to the change of day. The school submits it to CAP once both sides have agreed.", Link: c.URL()}
		if err := s.queue(ctx, tx, now, a, audienceOf(c.Placement, side.Other()), msg); err != nil {
			return err
		}
		out, err = s.changeFor(ctx, tx, a, id, false)
		return err
	})
	return out, err
}

// notAgreed is the problem with submitting a change both sides have not agreed.
func notAgreed(c ChangeRequest) input.Problems {
	msg := "The change cannot be submitted until the school and the provider have both agreed to it"
	switch {
	case c.SchoolAgreed.Done():
		msg = "The change cannot be submitted until the provider has agreed to it"
	case c.ProviderAgreed.Done():
		msg = "The change cannot be submitted until the school has agreed to it"
	}
	return input.Problems{{Field: "agreements", Message: msg}}
}

// SubmitChange is the school's representative submitting a request both sides have agreed to CAP:
// it is due two working days after today. Submitting twice submits it once.
func (s Store) SubmitChange(ctx context.Context, a Actor, id int64) (ChangeRequest, error) {
	var out ChangeRequest
	now := s.Clock.Now()
	err := db.InTx(ctx, s.DB, func(tx pgx.Tx) error {
		c, err := s.changeFor(ctx, tx, a, id, true)
		if err != nil {
			return err
		}
		if !ActsFor(a.Principal, c.Placement, SchoolSide) {
			return forbidden("The school’s representative submits a change of day to CAP.", "Ask the school’s CAP coordinator to submit it.")
		}
		switch c.Status {
		case Submitted, Applied:
			out = c
			return nil
		case Cancelled:
			return refused("This request was cancelled.", "Start a new request if the days still need to change.")
		}
		if !c.BothAgreed() {
			return notAgreed(c)
		}
		due := DueAfter(calendar.DateOf(now), ChangeWorkingDays)
		if _, err := tx.Exec(ctx, `UPDATE change_of_day_requests SET status = 'submitted', submitted_at = $2, submitted_by = $3, due_on = $4
			WHERE id = $1`, id, now, a.userID(), due); err != nil {
			return fmt.Errorf("submit change of day: %w", err)
		}
		if err := audit.On(tx).Write(ctx, audit.Entry{At: now, ActorUserID: a.userIDPtr(), ActorEmail: a.email(),
			Action: ActionChangeSubmitted, SubjectType: "placement", SubjectID: fmt.Sprint(c.Placement.ID),
			Summary: "Submitted the change of day to CAP, due " + due.Format(), Details: map[string]any{"request": id}, RequestID: a.RequestID}); err != nil {
			return err
		}
		msg := notify.Message{Kind: "placement.change_submitted", Subject: c.Placement.SchoolName + " submitted a change of day request",
			Body: "A change of day request agreed by the school and the provider is waiting for CAP. It is due by " + due.Format() + ".", Link: c.URL()}
		if err := s.queue(ctx, tx, now, a, capAdmins, msg); err != nil {
			return err
		}
		out, err = s.changeFor(ctx, tx, a, id, false)
		return err
	})
	return out, err
}

// ApplyChange is CAP applying a submitted request to the placement from a date: registers from that
// day follow the new days and sessions, those before it the old ones (placement_day_changes keeps
// both), and past marks stay. The date is today or later, within the placement, after any earlier
// change; the new sessions must not clash with the student's other placements. The hours a week
// follow the sessions at the hours a session the placement had. Both sides are told.
func (s Store) ApplyChange(ctx context.Context, a Actor, id int64, from calendar.Date) (ChangeRequest, error) {
	var out ChangeRequest
	now := s.Clock.Now()
	today := calendar.DateOf(now)
	err := db.InTx(ctx, s.DB, func(tx pgx.Tx) error {
		c, err := s.changeFor(ctx, tx, a, id, true)
		if err != nil {
			return err
		}
		if !IsCAPAdmin(a.Principal) {
			return forbidden("CAP’s admins apply a change of day.", "Wait for CAP to apply it.")
		}
		switch c.Status {
		case Applied:
			out = c
			return nil
		case Open:
			return refused("The school has not submitted this request yet.", "Wait for the school to submit it.")
		case Cancelled:
			return refused("This request was cancelled.", "Go back to the request.")
		}
		if _, err := tx.Exec(ctx, `SELECT 1 FROM placements WHERE id = $1 FOR UPDATE`, c.Placement.ID); err != nil {
			return fmt.Errorf("lock placement: %w", err)
		}
		p, err := Store{DB: tx, Clock: s.Clock}.Get(ctx, a, c.Placement.ID)
		if err != nil {
			return err
		}
		var ps input.Problems
		add := func(msg string) { ps = append(ps, input.FieldProblem{Field: "from", Message: msg}) }
		last := p.lastDay()
		switch {
		case from.IsZero():
			add("Enter the date the new days start")
		case from.Before(today):
			add("The new days must start today or later: past registers are not changed")
		case from.Before(p.Start):
			add("The new days must start on or after " + p.Start.Format() + ", when the placement starts")
		case !last.IsZero() && from.After(last):
			add("The new days must start on or before " + last.Format() + ", the placement’s last day")
		case len(p.DayChanges) > 0 && !from.After(p.DayChanges[len(p.DayChanges)-1].From):
			add("The new days must start after " + p.DayChanges[len(p.DayChanges)-1].From.Format() + ", when the last change of day started")
		}
		if len(ps) > 0 {
			return ps
		}
		cs, err := clashes(ctx, tx, p.StudentID, p.ID, c.Asked, from, last)
		if err != nil {
			return err
		}
		if len(cs) > 0 {
			for _, m := range clashMessages(cs) {
				add(m + " Two placements cannot take the same session.")
			}
			return ps
		}
		if _, err := tx.Exec(ctx, `INSERT INTO placement_day_changes (placement_id, effective_from, days, sessions, previous_days,
				previous_sessions, request_id, applied_at, applied_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
			p.ID, from, int16s(c.Asked.Days), strs(c.Asked.Sessions), int16s(p.Days), strs(p.Sessions), id, now, a.userID()); err != nil {
			return fmt.Errorf("record the new days: %w", err)
		}
		// The hours a week follow the sessions, at the hours a session the placement had.
		var hours *float64
		if p.HoursPerWeek > 0 && len(p.Days)*len(p.Sessions) > 0 {
			h := min(p.HoursPerWeek/float64(len(p.Days)*len(p.Sessions))*float64(len(c.Asked.Days)*len(c.Asked.Sessions)), 40)
			hours = &h
		}
		if _, err := tx.Exec(ctx, `UPDATE placements SET days = $2, sessions = $3, hours_per_week = coalesce($4, hours_per_week) WHERE id = $1`,
			p.ID, int16s(c.Asked.Days), strs(c.Asked.Sessions), hours); err != nil {
			return fmt.Errorf("change the placement’s days: %w", err)
		}
		if _, err := tx.Exec(ctx, `UPDATE change_of_day_requests SET status = 'applied', applied_at = $2, applied_by = $3, effective_from = $4
			WHERE id = $1`, id, now, a.userID(), from); err != nil {
			return fmt.Errorf("apply change of day: %w", err)
		}
		if err := audit.On(tx).Write(ctx, audit.Entry{At: now, ActorUserID: a.userIDPtr(), ActorEmail: a.email(),
			Action: ActionChangeApplied, SubjectType: "placement", SubjectID: fmt.Sprint(p.ID),
			Summary: fmt.Sprintf("Changed the days from %s to %s from %s", (Pattern{Days: p.Days, Sessions: p.Sessions}).Text(), c.Asked.Text(), from.Format()),
			Details: map[string]any{"request": id, "from": from.String()}, RequestID: a.RequestID}); err != nil {
			return err
		}
		msg := notify.Message{Kind: "placement.change_applied", Subject: "A change of day was confirmed for a placement at " + p.ProviderName,
			Body: "CAP applied the change of day from " + from.Format() + ". Registers from that day follow the new days.", Link: c.URL()}
		if err := s.queue(ctx, tx, now, a, notify.Union(audienceOf(p, SchoolSide), audienceOf(p, ProviderSide)), msg); err != nil {
			return err
		}
		out, err = s.changeFor(ctx, tx, a, id, false)
		return err
	})
	return out, err
}

// CancelChange cancels a request, saying why: the school or the provider while it is being
// prepared, CAP until it is applied.
func (s Store) CancelChange(ctx context.Context, a Actor, id int64, why string) (ChangeRequest, error) {
	var out ChangeRequest
	now := s.Clock.Now()
	err := db.InTx(ctx, s.DB, func(tx pgx.Tx) error {
		c, err := s.changeFor(ctx, tx, a, id, true)
		if err != nil {
			return err
		}
		_, side := SideOf(a.Principal, c.Placement)
		switch {
		case c.Status == Cancelled:
			out = c
			return nil
		case !c.Status.UnderWay():
			return refused("This request was applied: it cannot be cancelled.", "Start a new request to change the days again.")
		case !IsCAPAdmin(a.Principal) && !(side && c.Status == Open):
			return forbidden("Once submitted, only CAP can cancel a request.", "Contact CAP if the change is no longer needed.")
		}
		var ps input.Problems
		checkText(&ps, "why", why, "Enter why the request is cancelled", "The reason")
		if len(ps) > 0 {
			return ps
		}
		if _, err := tx.Exec(ctx, `UPDATE change_of_day_requests SET status = 'cancelled', cancelled_at = $2, cancelled_by = $3, cancel_reason = $4
			WHERE id = $1`, id, now, a.userID(), strings.TrimSpace(why)); err != nil {
			return fmt.Errorf("cancel change of day: %w", err)
		}
		if err := audit.On(tx).Write(ctx, audit.Entry{At: now, ActorUserID: a.userIDPtr(), ActorEmail: a.email(),
			Action: ActionChangeCancelled, SubjectType: "placement", SubjectID: fmt.Sprint(c.Placement.ID),
			Summary: "Cancelled the change of day request", Details: map[string]any{"request": id, "reason": strings.TrimSpace(why)}, RequestID: a.RequestID}); err != nil {
			return err
		}
		msg := notify.Message{Kind: "placement.change_cancelled", Subject: "A change of day request was cancelled",
			Body: "The change of day request for a placement at " + c.Placement.ProviderName + " was cancelled.", Link: c.URL()}
		if err := s.queue(ctx, tx, now, a, notify.Union(audienceOf(c.Placement, SchoolSide), audienceOf(c.Placement, ProviderSide)), msg); err != nil {
			return err
		}
		out, err = s.changeFor(ctx, tx, a, id, false)
		return err
	})
	return out, err
}

// ChangesOf are the placement's change-of-day requests the actor may see, newest first. It records
// nothing: the page that shows them has audited the placement (View).
func (s Store) ChangesOf(ctx context.Context, a Actor, placementID int64) ([]ChangeRequest, error) {
	p, err := s.Get(ctx, a, placementID)
	if errors.Is(err, db.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	rows, err := s.DB.Query(ctx, selectChange+` WHERE c.placement_id = $1 ORDER BY c.id DESC`, p.ID)
	if err != nil {
		return nil, fmt.Errorf("list change of day requests: %w", err)
	}
	defer rows.Close()
	var out []ChangeRequest
	for rows.Next() {
		c, _, err := scanChange(rows)
		if err != nil {
			return nil, err
		}
		c.Placement = p
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list change of day requests: %w", err)
	}
	return out, nil
}

// QueueFilter narrows a list of requests.
type QueueFilter struct {
	// All includes applied, processed and cancelled requests; otherwise only those under way.
	All bool
	// After pages on: the list is in due order (submitted ones by due day, then those being
	// prepared), and After is the last request of the page before.
	After QueueKey
}

// QueueKey is a request's place in a queue.
type QueueKey struct {
	Due calendar.Date // zero for a request not yet submitted
	ID  int64
}

// farDue stands for "not submitted yet" in the queue's order: after every due day.
var farDue = calendar.NewDate(9999, time.December, 31)

func (k QueueKey) due() calendar.Date {
	if k.Due.IsZero() {
		return farDue
	}
	return k.Due
}

// ChangeQueue is a page of the change-of-day requests the actor may see (CAP every one, a school or
// a provider its own placements'), most urgent first, and whether there are more. It names students,
// so it is recorded in the audit log.
func (s Store) ChangeQueue(ctx context.Context, a Actor, f QueueFilter, limit int) ([]ChangeRequest, bool, error) {
	sc := ScopeFor(a.Principal)
	if sc.Empty() {
		return nil, false, nil
	}
	where, args := scopeSQL(sc, 1)
	conds := []string{where}
	if !f.All {
		conds = append(conds, "c.status IN ('open', 'submitted')")
	}
	if f.After.ID != 0 {
		args = append(args, f.After.due(), f.After.ID)
		conds = append(conds, fmt.Sprintf("(coalesce(c.due_on, '9999-12-31'::date), c.id) > ($%d, $%d)", len(args)-1, len(args)))
	}
	rows, err := s.DB.Query(ctx, selectChange+` WHERE `+strings.Join(conds, " AND ")+
		fmt.Sprintf(` ORDER BY coalesce(c.due_on, '9999-12-31'::date), c.id LIMIT %d`, max(limit, 0)+1), args...)
	if err != nil {
		return nil, false, fmt.Errorf("list change of day requests: %w", err)
	}
	var list []ChangeRequest
	var placementIDs []int64
	for rows.Next() {
		c, pid, err := scanChange(rows)
		if err != nil {
			rows.Close()
			return nil, false, err
		}
		list = append(list, c)
		placementIDs = append(placementIDs, pid)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, false, fmt.Errorf("list change of day requests: %w", err)
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
		for i, c := range list {
			ids[i] = c.ID
		}
		if err := audit.On(s.DB).Write(ctx, audit.Entry{At: s.Clock.Now(), ActorUserID: a.userIDPtr(), ActorEmail: a.email(),
			Action: ActionChangesListed, SubjectType: "placement", Summary: fmt.Sprintf("Shown %d change of day requests in a list", len(list)),
			Details: map[string]any{"requests": ids}, RequestID: a.RequestID}); err != nil {
			return nil, false, fmt.Errorf("audit change list: %w", err)
		}
	}
	return list, more, nil
}

// placementsByID reads placements in one query (the caller has scoped them).
func (s Store) placementsByID(ctx context.Context, ids []int64) (map[int64]Placement, error) {
	out := map[int64]Placement{}
	if len(ids) == 0 {
		return out, nil
	}
	list, err := collectPlacements(s.DB.Query(ctx, selectPlacement+` WHERE p.id = ANY($1)`, ids))
	if err != nil {
		return nil, err
	}
	for _, p := range list {
		out[p.ID] = p
	}
	return out, nil
}
