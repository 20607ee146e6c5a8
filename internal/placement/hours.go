package placement

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/coventry-cap/capportal/internal/audit"
	"github.com/coventry-cap/capportal/internal/auth"
	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/db"
	"github.com/coventry-cap/capportal/internal/input"
)

// Audit actions for timetables.
const (
	ActionTimetable       = "student.timetable"
	ActionTimetableViewed = "student.timetable_viewed"
	ActionPartTimeListed  = "student.part_time_listed"
)

// FullTimeHours is full-time education a week for a year group under Coventry's protocol: 24 hours
// for Key Stage 3 (Years 7 to 9) and Year 10, 25 for Year 11. ok is false for other year groups,
// which the protocol does not cover.
func FullTimeHours(yearGroup int) (hours float64, ok bool) {
	switch {
	case yearGroup >= 7 && yearGroup <= 10:
		return 24, true
	case yearGroup == 11:
		return 25, true
	}
	return 0, false
}

// PlacementHours is an active placement's hours a week in a student's timetable.
type PlacementHours struct {
	Placement Placement
	Hours     float64
	// FromSessions is true when the placement has no hours recorded and they are counted as its
	// sessions at HoursPerSession.
	FromSessions bool
}

// Timetable is a student's week: the hours of their active placements, the hours at the home school
// the school records, and how the total compares with full-time for their year group.
type Timetable struct {
	StudentID       int64
	StudentName     string
	SchoolID        int64
	YearGroup       int
	Placements      []PlacementHours
	HomeSchoolHours float64
	HomeRecorded    bool // whether the school has recorded the home-school hours
	ReviewOn        calendar.Date
	Recorded        Signed
}

// PlacementTotal is the hours a week of the active placements.
func (t Timetable) PlacementTotal() float64 {
	var h float64
	for _, p := range t.Placements {
		h += p.Hours
	}
	return round1(h)
}

// Total is the hours a week at the placements and the home school.
func (t Timetable) Total() float64 { return round1(t.PlacementTotal() + t.HomeSchoolHours) }

// FullTime is full-time for the student's year group; ok is false when the protocol does not cover
// it.
func (t Timetable) FullTime() (float64, bool) { return FullTimeHours(t.YearGroup) }

// PartTime reports whether the student's week is below full-time for the year group: a part-time
// timetable, which needs a review date.
func (t Timetable) PartTime() bool {
	ft, ok := t.FullTime()
	return ok && t.Total() < ft
}

// Shortfall is how many hours below full-time the week is (0 when it is full-time).
func (t Timetable) Shortfall() float64 {
	ft, ok := t.FullTime()
	if !ok || t.Total() >= ft {
		return 0
	}
	return round1(ft - t.Total())
}

// NeedsReviewDate reports a part-time timetable without a review date.
func (t Timetable) NeedsReviewDate() bool { return t.PartTime() && t.ReviewOn.IsZero() }

// ReviewOverdue reports a part-time timetable whose review date has passed.
func (t Timetable) ReviewOverdue(today calendar.Date) bool {
	return t.PartTime() && !t.ReviewOn.IsZero() && t.ReviewOn.Before(today)
}

func round1(h float64) float64 { return math.Round(h*10) / 10 }

// hoursOf is a placement's hours a week.
func hoursOf(p Placement, today calendar.Date) PlacementHours {
	if p.HoursPerWeek > 0 {
		return PlacementHours{Placement: p, Hours: p.HoursPerWeek}
	}
	return PlacementHours{Placement: p, Hours: float64(p.SessionsPerWeek(today)) * HoursPerSession, FromSessions: true}
}

// studentTimetableScope reads the student if the actor may see their timetable: CAP's staff and the
// student's own school.
func studentTimetableScope(ctx context.Context, q db.DBTX, a Actor, studentID int64) (Timetable, error) {
	t := Timetable{StudentID: studentID}
	sc := ScopeFor(a.Principal)
	if !sc.All && len(sc.Schools) == 0 {
		return t, db.ErrNotFound
	}
	err := q.QueryRow(ctx, `SELECT coalesce(nullif(btrim(preferred_first_name), ''), legal_first_name) || ' ' || coalesce(nullif(btrim(preferred_last_name), ''), legal_last_name),
		school_id, year_group FROM students WHERE id = $1 AND ($2::boolean OR school_id = ANY($3))`, studentID, sc.All, nonNil(sc.Schools)).
		Scan(&t.StudentName, &t.SchoolID, &t.YearGroup)
	if errors.Is(err, pgx.ErrNoRows) {
		return t, db.ErrNotFound
	}
	if err != nil {
		return t, fmt.Errorf("read student: %w", err)
	}
	return t, nil
}

// timetables fills the timetables of students (keyed by ID) with their placements running today
// and the home-school hours recorded, in two queries.
func timetables(ctx context.Context, q db.DBTX, today calendar.Date, ts map[int64]*Timetable) error {
	ids := make([]int64, 0, len(ts))
	for id := range ts {
		ids = append(ids, id)
	}
	if len(ids) == 0 {
		return nil
	}
	ps, err := collectPlacements(q.Query(ctx, selectPlacement+` WHERE p.student_id = ANY($1) AND p.status = 'active'
		AND p.start_date <= $2 AND coalesce(p.ended_on, p.planned_end_date, 'infinity'::date) >= $2 ORDER BY p.start_date, p.id`, ids, today))
	if err != nil {
		return err
	}
	for _, p := range ps {
		if p.Running(today) {
			ts[p.StudentID].Placements = append(ts[p.StudentID].Placements, hoursOf(p, today))
		}
	}
	rows, err := q.Query(ctx, `SELECT t.student_id, t.home_school_hours::float8, t.review_on, t.recorded_at, u.name
		FROM student_timetables t JOIN users u ON u.id = t.recorded_by WHERE t.student_id = ANY($1)`, ids)
	if err != nil {
		return fmt.Errorf("read timetables: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var hours float64
		var review calendar.Date
		var at time.Time
		var by string
		if err := rows.Scan(&id, &hours, &review, &at, &by); err != nil {
			return fmt.Errorf("read timetables: %w", err)
		}
		t := ts[id]
		t.HomeSchoolHours, t.HomeRecorded, t.ReviewOn, t.Recorded = hours, true, review, Signed{At: at, By: by}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read timetables: %w", err)
	}
	return nil
}

// TimetableOf is the student's week, for CAP's staff and the student's school. It records nothing:
// the page that shows it audits the student (ViewTimetable does, for a page of its own).
func (s Store) TimetableOf(ctx context.Context, a Actor, studentID int64) (Timetable, error) {
	t, err := studentTimetableScope(ctx, s.DB, a, studentID)
	if err != nil {
		return t, err
	}
	err = timetables(ctx, s.DB, calendar.DateOf(s.Clock.Now()), map[int64]*Timetable{studentID: &t})
	return t, err
}

// ViewTimetable is TimetableOf for a page that shows it, recorded in the audit log.
func (s Store) ViewTimetable(ctx context.Context, a Actor, studentID int64) (Timetable, error) {
	t, err := s.TimetableOf(ctx, a, studentID)
	if err != nil {
		return t, err
	}
	err = audit.On(s.DB).Write(ctx, audit.Entry{At: s.Clock.Now(), ActorUserID: a.userIDPtr(), ActorEmail: a.email(),
		Action: ActionTimetableViewed, SubjectType: "student", SubjectID: fmt.Sprint(studentID),
		Summary: "Viewed the student’s hours a week", RequestID: a.RequestID})
	if err != nil {
		return t, fmt.Errorf("audit timetable view: %w", err)
	}
	return t, nil
}

// TimetableInput is what the school records about a student's week.
type TimetableInput struct {
	HomeSchoolHours float64
	ReviewOn        calendar.Date
}

// MaxHomeSchoolHours is the most hours a week at the home school the portal takes.
const MaxHomeSchoolHours = 40

// MayRecordTimetable reports whether the principal records a student's home-school hours: the
// student's school (coordinators and headteachers) and CAP's admins.
func MayRecordTimetable(p *auth.Principal, schoolID int64) bool {
	return p != nil && (IsCAPAdmin(p) || slices.Contains(p.OrgIDsWith(auth.Coordinator), schoolID) ||
		slices.Contains(p.OrgIDsWith(auth.Headteacher), schoolID))
}

// RecordTimetable records the hours a week the student spends at the home school and the review
// date. A week below full-time for the year group is a part-time timetable, and its review date must
// be set, today or later.
func (s Store) RecordTimetable(ctx context.Context, a Actor, studentID int64, in TimetableInput) (Timetable, error) {
	var out Timetable
	now := s.Clock.Now()
	today := calendar.DateOf(now)
	err := db.InTx(ctx, s.DB, func(tx pgx.Tx) error {
		t, err := studentTimetableScope(ctx, tx, a, studentID)
		if err != nil {
			return err
		}
		if !MayRecordTimetable(a.Principal, t.SchoolID) {
			return forbidden("The student’s school records the hours at the home school.", "Ask the school’s CAP coordinator.")
		}
		if err := timetables(ctx, tx, today, map[int64]*Timetable{studentID: &t}); err != nil {
			return err
		}
		var ps input.Problems
		if in.HomeSchoolHours < 0 || in.HomeSchoolHours > MaxHomeSchoolHours || round1(in.HomeSchoolHours) != in.HomeSchoolHours {
			ps = append(ps, input.FieldProblem{Field: "home", Message: "Enter the hours at the home school as a number from 0 to 40, like 12.5"})
		}
		t.HomeSchoolHours, t.ReviewOn = in.HomeSchoolHours, in.ReviewOn
		ft, _ := t.FullTime()
		switch {
		case len(ps) > 0:
		case t.NeedsReviewDate():
			ps = append(ps, input.FieldProblem{Field: "review", Message: fmt.Sprintf(
				"Enter the date the part-time timetable will be reviewed: %s hours a week is below full-time (%s hours for Year %d)",
				FormatHours(t.Total()), FormatHours(ft), t.YearGroup)})
		case !in.ReviewOn.IsZero() && in.ReviewOn.Before(today):
			ps = append(ps, input.FieldProblem{Field: "review", Message: "The review date must be today or later"})
		}
		if len(ps) > 0 {
			return ps
		}
		var review any
		if !in.ReviewOn.IsZero() {
			review = in.ReviewOn
		}
		if _, err := tx.Exec(ctx, `INSERT INTO student_timetables (student_id, home_school_hours, review_on, recorded_at, recorded_by)
			VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (student_id) DO UPDATE SET home_school_hours = EXCLUDED.home_school_hours, review_on = EXCLUDED.review_on,
				recorded_at = EXCLUDED.recorded_at, recorded_by = EXCLUDED.recorded_by`,
			studentID, in.HomeSchoolHours, review, now, a.userID()); err != nil {
			return fmt.Errorf("record timetable: %w", err)
		}
		summary := fmt.Sprintf("Recorded %s hours a week at the home school: %s in all", FormatHours(in.HomeSchoolHours), FormatHours(t.Total()))
		if t.PartTime() {
			summary += ", a part-time timetable to review on " + in.ReviewOn.Format()
		}
		if err := audit.On(tx).Write(ctx, audit.Entry{At: now, ActorUserID: a.userIDPtr(), ActorEmail: a.email(),
			Action: ActionTimetable, SubjectType: "student", SubjectID: fmt.Sprint(studentID), Summary: summary, RequestID: a.RequestID}); err != nil {
			return err
		}
		out, err = Store{DB: tx, Clock: s.Clock}.TimetableOf(ctx, a, studentID)
		return err
	})
	return out, err
}

// PartTimeTimetables are the school's students with a placement running today whose week is below
// full-time, in name order, for the school's page: CAP's staff and the school's own staff. It names
// students, so it is recorded in the audit log.
func (s Store) PartTimeTimetables(ctx context.Context, a Actor, schoolID int64) ([]Timetable, error) {
	sc := ScopeFor(a.Principal)
	if !sc.All && !slices.Contains(sc.Schools, schoolID) {
		return nil, nil
	}
	today := calendar.DateOf(s.Clock.Now())
	rows, err := s.DB.Query(ctx, `SELECT st.id, coalesce(nullif(btrim(st.preferred_first_name), ''), st.legal_first_name) || ' ' || coalesce(nullif(btrim(st.preferred_last_name), ''), st.legal_last_name),
			st.school_id, st.year_group
		FROM students st WHERE st.school_id = $1 AND EXISTS (SELECT 1 FROM placements p WHERE p.student_id = st.id AND p.status = 'active'
			AND p.start_date <= $2 AND coalesce(p.ended_on, p.planned_end_date, 'infinity'::date) >= $2)
		ORDER BY lower(st.legal_last_name), lower(st.legal_first_name), st.id`, schoolID, today)
	if err != nil {
		return nil, fmt.Errorf("list timetables: %w", err)
	}
	list, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (Timetable, error) {
		var t Timetable
		err := row.Scan(&t.StudentID, &t.StudentName, &t.SchoolID, &t.YearGroup)
		return t, err
	})
	if err != nil {
		return nil, fmt.Errorf("list timetables: %w", err)
	}
	byID := make(map[int64]*Timetable, len(list))
	for i := range list {
		byID[list[i].StudentID] = &list[i]
	}
	if err := timetables(ctx, s.DB, today, byID); err != nil {
		return nil, err
	}
	list = slices.DeleteFunc(list, func(t Timetable) bool { return !t.PartTime() })
	if len(list) > 0 {
		ids := make([]int64, len(list))
		for i, t := range list {
			ids[i] = t.StudentID
		}
		if err := audit.On(s.DB).Write(ctx, audit.Entry{At: s.Clock.Now(), ActorUserID: a.userIDPtr(), ActorEmail: a.email(),
			Action: ActionPartTimeListed, SubjectType: "student", Summary: fmt.Sprintf("Shown %d part-time timetables", len(list)),
			Details: map[string]any{"shown": ids, "school": schoolID}, RequestID: a.RequestID}); err != nil {
			return nil, fmt.Errorf("audit part-time list: %w", err)
		}
	}
	return list, nil
}

// FormatHours shows hours as the portal does: "24", "12.5".
func FormatHours(h float64) string {
	h = round1(h)
	if h == math.Trunc(h) {
		return fmt.Sprintf("%.0f", h)
	}
	return fmt.Sprintf("%.1f", h)
}
