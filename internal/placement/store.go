package placement

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/coventry-cap/capportal/internal/audit"
	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/db"
)

// Audit actions for placements.
const (
	ActionViewed    = "placement.viewed"
	ActionListed    = "placement.listed"
	ActionRegister  = "placement.register"
	ActionCorrected = "placement.mark_corrected"
	ActionPlan      = "placement.plan"
)

const selectPlacement = `
SELECT p.id, p.referral_id, coalesce(r.reference, ''), p.student_id,
       coalesce(nullif(btrim(st.preferred_first_name), ''), st.legal_first_name) || ' ' || coalesce(nullif(btrim(st.preferred_last_name), ''), st.legal_last_name),
       st.year_group, p.school_id, sc.name, p.provider_id, pv.name, p.programme_id,
       coalesce(r.programme_snapshot->>'name', pg.name), pg.kind, coalesce(p.cohort_place_id, 0), p.academic_year,
       p.start_date, p.planned_end_date, p.ended_on,
       p.days, p.sessions, coalesce(p.hours_per_week, 0)::float8, p.objectives, p.reintegration_plan,
       coalesce(p.monitoring_officer_id, 0), coalesce(mo.name, ''), p.status, p.qa_placement,
       coalesce((SELECT array_agg(d.due_on ORDER BY d.due_on) FROM placement_review_dates d WHERE d.placement_id = p.id), '{}'),
       p.created_at,
       coalesce((SELECT json_agg(json_build_object('from', c.effective_from, 'days', c.days, 'sessions', c.sessions,
           'previous_days', c.previous_days, 'previous_sessions', c.previous_sessions, 'request', coalesce(c.request_id, 0))
           ORDER BY c.effective_from) FROM placement_day_changes c WHERE c.placement_id = p.id), '[]')
FROM placements p
JOIN referrals r ON r.id = p.referral_id
JOIN students st ON st.id = p.student_id
JOIN organisations sc ON sc.id = p.school_id
JOIN organisations pv ON pv.id = p.provider_id
JOIN programmes pg ON pg.id = p.programme_id
LEFT JOIN users mo ON mo.id = p.monitoring_officer_id`

func scanPlacement(row pgx.Row) (Placement, error) {
	var p Placement
	var days []int32
	var sessions []string
	var changes []dayChangeRow
	err := row.Scan(&p.ID, &p.ReferralID, &p.Reference, &p.StudentID, &p.StudentName, &p.YearGroup, &p.SchoolID, &p.SchoolName,
		&p.ProviderID, &p.ProviderName, &p.ProgrammeID, &p.Programme, &p.Kind, &p.CohortPlaceID, &p.AcademicYear,
		&p.Start, &p.PlannedEnd, &p.EndedOn, &days, &sessions, &p.HoursPerWeek, &p.Objectives, &p.Reintegration,
		&p.MonitoringOfficerID, &p.MonitoringOfficerName, &p.Status, &p.QAPlacement, &p.ReviewDates, &p.CreatedAt, &changes)
	if errors.Is(err, pgx.ErrNoRows) {
		return p, db.ErrNotFound
	}
	if err != nil {
		return p, fmt.Errorf("read placement: %w", err)
	}
	for _, d := range days {
		p.Days = append(p.Days, time.Weekday(d))
	}
	for _, s := range sessions {
		p.Sessions = append(p.Sessions, Session(s))
	}
	for _, c := range changes {
		p.DayChanges = append(p.DayChanges, c.change())
	}
	return p, nil
}

func collectPlacements(rows pgx.Rows, err error) ([]Placement, error) {
	if err != nil {
		return nil, fmt.Errorf("list placements: %w", err)
	}
	defer rows.Close()
	var out []Placement
	for rows.Next() {
		p, err := scanPlacement(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list placements: %w", err)
	}
	return out, nil
}

// scopeSQL limits placements (alias p) to the scope; its arguments start at $n. It writes only the
// conditions the scope has, so that each shape of scope is its own statement with its own plan: one
// statement with every condition switched on and off by arguments costs a fresh plan on every run
// and cannot use the indexes the shape needs.
func scopeSQL(sc Scope, n int) (string, []any) {
	if sc.All {
		return "true", nil
	}
	var conds []string
	var args []any
	if len(sc.Schools) > 0 {
		args = append(args, sc.Schools)
		conds = append(conds, fmt.Sprintf("p.school_id = ANY($%d)", n+len(args)-1))
	}
	if len(sc.Providers) > 0 {
		args = append(args, sc.Providers)
		conds = append(conds, fmt.Sprintf("p.provider_id = ANY($%d)", n+len(args)-1))
	}
	if len(conds) == 0 {
		return "false", nil
	}
	return "(" + strings.Join(conds, " OR ") + ")", args
}

func nonNil(ids []int64) []int64 {
	if ids == nil {
		return []int64{}
	}
	return ids
}

// Get returns the placement if the actor may see it; db.ErrNotFound otherwise, so nobody learns that
// a placement they may not see exists. It records nothing: pages use View.
func (s Store) Get(ctx context.Context, a Actor, id int64) (Placement, error) {
	sc := ScopeFor(a.Principal)
	if sc.Empty() {
		return Placement{}, db.ErrNotFound
	}
	where, args := scopeSQL(sc, 2)
	return scanPlacement(s.DB.QueryRow(ctx, selectPlacement+` WHERE p.id = $1 AND `+where, append([]any{id}, args...)...))
}

// View returns the placement for a page and records the view in the audit log (what was looked at).
func (s Store) View(ctx context.Context, a Actor, id int64, what string) (Placement, error) {
	p, err := s.Get(ctx, a, id)
	if err != nil {
		return p, err
	}
	err = audit.On(s.DB).Write(ctx, audit.Entry{At: s.Clock.Now(), ActorUserID: a.userIDPtr(), ActorEmail: a.email(),
		Action: ActionViewed, SubjectType: "placement", SubjectID: fmt.Sprint(p.ID),
		Summary: "Viewed the placement’s " + what, Details: map[string]any{"referral": p.Reference, "page": what}, RequestID: a.RequestID})
	if err != nil {
		return p, fmt.Errorf("audit placement view: %w", err)
	}
	return p, nil
}

// OfReferral returns the referral's placements the actor may see, newest first.
func (s Store) OfReferral(ctx context.Context, a Actor, referralID int64) ([]Placement, error) {
	sc := ScopeFor(a.Principal)
	if sc.Empty() {
		return nil, nil
	}
	where, args := scopeSQL(sc, 2)
	return collectPlacements(s.DB.Query(ctx, selectPlacement+` WHERE p.referral_id = $1 AND `+where+` ORDER BY p.start_date DESC, p.id DESC`,
		append([]any{referralID}, args...)...))
}

// OfStudent returns the student's placements the actor may see, newest first: for a school, every
// placement of its student; for a provider, only its own.
func (s Store) OfStudent(ctx context.Context, a Actor, studentID int64) ([]Placement, error) {
	sc := ScopeFor(a.Principal)
	if sc.Empty() {
		return nil, nil
	}
	where, args := scopeSQL(sc, 2)
	return collectPlacements(s.DB.Query(ctx, selectPlacement+` WHERE p.student_id = $1 AND `+where+` ORDER BY p.start_date DESC, p.id DESC`,
		append([]any{studentID}, args...)...))
}

// ListFilter narrows the placements list.
type ListFilter struct {
	SchoolID   int64
	ProviderID int64
	// Current keeps the placements running today (or starting later); false lists ended ones too.
	Current bool
	// Ended keeps the placements that have ended (or passed their planned end).
	Ended bool
	// AfterID pages on: the list is newest first by ID.
	AfterID int64
}

// List returns a page of the placements the actor may see, newest first, and whether there are more.
// It shows students by name, so it is recorded in the audit log with the placements it showed.
func (s Store) List(ctx context.Context, a Actor, f ListFilter, limit int) ([]Placement, bool, error) {
	sc := ScopeFor(a.Principal)
	if sc.Empty() {
		return nil, false, nil
	}
	where, args := scopeSQL(sc, 1)
	conds := []string{where}
	add := func(cond string, v any) {
		args = append(args, v)
		conds = append(conds, strings.ReplaceAll(cond, "?", fmt.Sprintf("$%d", len(args))))
	}
	if f.SchoolID != 0 {
		add("p.school_id = ?", f.SchoolID)
	}
	if f.ProviderID != 0 {
		add("p.provider_id = ?", f.ProviderID)
	}
	if f.Current {
		add("p.status = 'active' AND (p.planned_end_date IS NULL OR p.planned_end_date >= ?)", calendar.DateOf(s.Clock.Now()))
	}
	if f.Ended {
		add("(p.status <> 'active' OR p.planned_end_date < ?)", calendar.DateOf(s.Clock.Now()))
	}
	if f.AfterID != 0 {
		add("p.id < ?", f.AfterID)
	}
	list, err := collectPlacements(s.DB.Query(ctx, selectPlacement+` WHERE `+strings.Join(conds, " AND ")+
		fmt.Sprintf(` ORDER BY p.id DESC LIMIT %d`, max(limit, 0)+1), args...))
	if err != nil {
		return nil, false, err
	}
	more := len(list) > limit
	if more {
		list = list[:limit]
	}
	if len(list) > 0 {
		ids := make([]int64, len(list))
		for i, p := range list {
			ids[i] = p.ID
		}
		err := audit.On(s.DB).Write(ctx, audit.Entry{At: s.Clock.Now(), ActorUserID: a.userIDPtr(), ActorEmail: a.email(),
			Action: ActionListed, SubjectType: "placement", Summary: fmt.Sprintf("Shown %d placements in a list", len(list)),
			Details: map[string]any{"shown": ids}, RequestID: a.RequestID})
		if err != nil {
			return nil, false, fmt.Errorf("audit placement list: %w", err)
		}
	}
	return list, more, nil
}
