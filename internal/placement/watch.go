package placement

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/coventry-cap/capportal/internal/audit"
	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/db"
	"github.com/coventry-cap/capportal/internal/directory"
)

// What the monitoring dashboards show, and what the alerts look for: today's registers, unexplained
// absences, attendance below 90% this half term, overdue progress reviews, and meeting actions due.
// Each is one query (or two), never one per placement.

// Ref is a placement as a dashboard row names it.
type Ref struct {
	PlacementID         int64
	StudentName         string // "" when the viewer may not see the placement (an action they own on it)
	SchoolID            int64
	SchoolName          string
	ProviderID          int64
	ProviderName        string
	MonitoringOfficerID int64
}

const refColumns = `p.id,
	coalesce(nullif(btrim(st.preferred_first_name), ''), st.legal_first_name) || ' ' || coalesce(nullif(btrim(st.preferred_last_name), ''), st.legal_last_name),
	p.school_id, sc.name, p.provider_id, pv.name, coalesce(p.monitoring_officer_id, 0)`

const refJoins = ` JOIN students st ON st.id = p.student_id
	JOIN organisations sc ON sc.id = p.school_id
	JOIN organisations pv ON pv.id = p.provider_id`

func (r *Ref) scanTargets() []any {
	return []any{&r.PlacementID, &r.StudentName, &r.SchoolID, &r.SchoolName, &r.ProviderID, &r.ProviderName, &r.MonitoringOfficerID}
}

// RegisterDue is a provider's register for a day and session with learners expected, and whether it
// has been taken.
type RegisterDue struct {
	ProviderID   int64
	ProviderName string
	Date         calendar.Date
	Session      Session
	Expected     int // learners expected
	TakenAt      time.Time
	TakenBy      string
}

// Taken reports whether the register has been taken.
func (r RegisterDue) Taken() bool { return !r.TakenAt.IsZero() }

// Path is the register's page.
func (r RegisterDue) Path() string { return RegisterPath(r.ProviderID, r.Date, r.Session) }

// registersWanted is which of a day's expected registers to read: those of the providers in scope
// (everyone's for CAP; a provider's own for its staff; none for a school, whose staff take no
// register), by provider name then session, with whether each has been taken; with Missing, only
// those of its sessions not taken, the first Limit of them (all when 0) and how many there are.
type registersWanted struct {
	Scope   Scope
	Missing []Session
	Limit   int
}

// expectedRegisters are the registers of day that are wanted, and how many there are (more than
// those returned when a limit cut them short).
//
// A day's registers are worked out once and kept (expected_registers, migration 0028) under the
// version of what decides them (the placements, their changes of day, the terms and bank holidays,
// which move the version on as they are written): one statement reads the kept registers of the
// current version with the registers taken, and when none are kept for it, workOutRegisters works
// the day out and keeps it first.
func expectedRegisters(ctx context.Context, q db.DBTX, sd calendar.SchoolDays, day calendar.Date, want registersWanted) ([]RegisterDue, int, error) {
	sc := want.Scope
	if !sd.IsSchoolDay(day) || (!sc.All && len(sc.Providers) == 0) || (want.Missing != nil && len(want.Missing) == 0) {
		return nil, 0, nil
	}
	regs, n, kept, err := keptRegisters(ctx, q, day, want, 0)
	if err != nil || kept {
		return regs, n, err
	}
	version, err := workOutRegisters(ctx, q, sd, day)
	if err != nil {
		return nil, 0, err
	}
	// Read at the version worked out, even if it has moved on since: what was worked out is the day
	// as it was a moment ago, and the next reader works out the new version.
	regs, n, kept, err = keptRegisters(ctx, q, day, want, version)
	if err == nil && !kept {
		err = fmt.Errorf("the registers expected on %s were worked out at version %d but are not kept", day, version)
	}
	return regs, n, err
}

// keptRegisters reads the wanted registers kept for day at version (the current version when 0),
// how many there are, and whether the day has been worked out at that version at all. Each shape
// of what is wanted is its own statement, with its own plan (as scopeSQL's).
func keptRegisters(ctx context.Context, q db.DBTX, day calendar.Date, want registersWanted, version int64) ([]RegisterDue, int, bool, error) {
	args := []any{day, version}
	cond := ""
	if !want.Scope.All {
		args = append(args, want.Scope.Providers)
		cond += fmt.Sprintf(" AND e.provider_id = ANY($%d)", len(args))
	}
	if want.Missing != nil {
		sessions := make([]string, len(want.Missing))
		for i, m := range want.Missing {
			sessions[i] = string(m)
		}
		args = append(args, sessions)
		cond += fmt.Sprintf(` AND e.session = ANY($%d)
			AND NOT EXISTS (SELECT 1 FROM registers t WHERE t.provider_id = e.provider_id AND t.on_date = e.on_date AND t.session = e.session)`, len(args))
	}
	limit := ""
	if want.Limit > 0 {
		limit = " LIMIT " + strconv.Itoa(want.Limit)
	}
	// Who took each register, unless only those not taken are wanted.
	taken, takenJoins := "g.taken_at, u.name", `
		LEFT JOIN registers g ON g.provider_id = e.provider_id AND g.on_date = e.on_date AND g.session = e.session
		LEFT JOIN users u ON u.id = g.taken_by`
	if want.Missing != nil {
		taken, takenJoins = "NULL::timestamptz, NULL::text", ""
	}
	// The day's row comes back even when no register is wanted (its register columns null), so
	// that a day worked out with nothing to show is told from one not worked out.
	rows, err := q.Query(ctx, `WITH v AS (SELECT CASE WHEN $2::bigint > 0 THEN $2::bigint ELSE (SELECT version FROM expected_registers_version) END AS version)
		SELECT d.on_date IS NOT NULL, count(e.provider_id) OVER (), e.provider_id, o.name, e.session, e.expected, `+taken+`
		FROM v
		LEFT JOIN expected_register_days d ON d.on_date = $1 AND d.version = v.version
		LEFT JOIN expected_registers e ON e.on_date = d.on_date AND e.version = d.version`+cond+`
		LEFT JOIN organisations o ON o.id = e.provider_id`+takenJoins+`
		ORDER BY o.name, e.provider_id, e.session`+limit, args...)
	if err != nil {
		return nil, 0, false, fmt.Errorf("read expected registers: %w", err)
	}
	defer rows.Close()
	var out []RegisterDue
	kept, count := false, 0
	for rows.Next() {
		var provider *int64
		var name, session, by *string
		var expected *int
		var at *time.Time
		if err := rows.Scan(&kept, &count, &provider, &name, &session, &expected, &at, &by); err != nil {
			return nil, 0, false, fmt.Errorf("read expected registers: %w", err)
		}
		if provider == nil {
			continue // the day's own row: worked out (or not), with no register wanted
		}
		r := RegisterDue{ProviderID: *provider, ProviderName: *name, Date: day, Session: Session(*session), Expected: *expected}
		if at != nil {
			r.TakenAt, r.TakenBy = *at, *by
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, false, fmt.Errorf("read expected registers: %w", err)
	}
	return out, count, kept, nil
}

// workOutRegisters works out day's registers from the placements running on it, keeps them under
// the version it read them at, and returns that version. One statement reads the version and the
// placements (so both are of one snapshot), counted in the database by what decides whether they
// are expected (provider, the sessions in force that day, and for Refocus and Focus 11 the start,
// which sets the phase), so that a few rows a provider come back rather than one a learner; the
// school-day, sessions and Refocus rules are then ExpectedOn's. The days and sessions in force are
// those a later change of day replaced, if one starts after day (DaysOn).
func workOutRegisters(ctx context.Context, q db.DBTX, sd calendar.SchoolDays, day calendar.Date) (int64, error) {
	type key struct {
		provider int64
		session  Session
	}
	counts := map[key]int{}
	var version int64
	rows, err := q.Query(ctx, `WITH v AS (SELECT version FROM expected_registers_version)
		SELECT v.version, g.provider_id, g.kind, g.start, g.sessions, g.n FROM v LEFT JOIN (
			SELECT p.provider_id, pg.kind, CASE WHEN pg.kind = ANY($3) THEN p.start_date END AS start,
			       coalesce(c.previous_sessions, p.sessions) AS sessions, count(*) AS n
			FROM placements p JOIN programmes pg ON pg.id = p.programme_id
			LEFT JOIN LATERAL (SELECT c.previous_days, c.previous_sessions FROM placement_day_changes c
			                   WHERE c.placement_id = p.id AND c.effective_from > $1 ORDER BY c.effective_from LIMIT 1) c ON true
			WHERE p.start_date <= $1
			  AND (p.planned_end_date IS NULL OR p.planned_end_date >= $1)
			  AND (p.ended_on IS NULL OR p.ended_on >= $1)
			  AND (p.status = 'active' OR p.ended_on >= $1)
			  AND $2::smallint = ANY(coalesce(c.previous_days, p.days))
			GROUP BY 1, 2, 3, 4) g ON true`,
		day, int16(day.Weekday()), []string{string(directory.Refocus), string(directory.Focus11)})
	if err != nil {
		return 0, fmt.Errorf("work out expected registers: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		// A placement standing for the group: running on day (the query's conditions), on its weekday.
		p := Placement{Status: "active", Start: day, Days: []time.Weekday{day.Weekday()}}
		var provider *int64
		var kind *string
		var start calendar.Date // only for Refocus and Focus 11
		var sessions []string
		var n *int
		if err := rows.Scan(&version, &provider, &kind, &start, &sessions, &n); err != nil {
			return 0, fmt.Errorf("work out expected registers: %w", err)
		}
		if provider == nil {
			continue // nobody runs on day
		}
		p.ProviderID, p.Kind = *provider, directory.Kind(*kind)
		if !start.IsZero() {
			p.Start = start
		}
		for _, s := range sessions {
			p.Sessions = append(p.Sessions, Session(s))
		}
		for _, s := range Sessions {
			if p.ExpectedOn(sd, day, s) {
				counts[key{p.ProviderID, s}] += *n
			}
		}
	}
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("work out expected registers: %w", err)
	}
	var providers []int64
	var sessions []string
	var expected []int32
	for k, n := range counts {
		providers, sessions, expected = append(providers, k.provider), append(sessions, string(k.session)), append(expected, int32(n))
	}
	// The day and its registers in one statement; a reader that worked out the same version first
	// has kept the same registers.
	if _, err := q.Exec(ctx, `WITH d AS (INSERT INTO expected_register_days (on_date, version) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING on_date)
		INSERT INTO expected_registers (on_date, version, provider_id, session, expected)
		SELECT $1, $2, x.provider_id, x.session, x.expected FROM unnest($3::bigint[], $4::text[], $5::int[]) AS x (provider_id, session, expected)
		WHERE EXISTS (SELECT 1 FROM d)`, day, version, providers, sessions, expected); err != nil {
		return 0, fmt.Errorf("keep expected registers: %w", err)
	}
	// Days before this one, and this day at versions some minutes old, are read no more.
	if _, err := q.Exec(ctx, `DELETE FROM expected_register_days WHERE on_date < $1 OR (version < $2 AND worked_out_at < now() - interval '10 minutes')`,
		day, version); err != nil {
		return 0, fmt.Errorf("forget old expected registers: %w", err)
	}
	return version, nil
}

// OverdueReview is a review date that has passed with no progress review held for it.
type OverdueReview struct {
	Ref
	DueOn calendar.Date
}

// overdueFrom is the FROM and WHERE of the overdue review dates in scope (whose conditions are
// scopeSQL's from $2), today being $1: the open review dates before today (placement_review_dates.open:
// the placement active and no progress review held from ReviewEarlyDays before the date onwards, kept
// by triggers as reviews are held, corrected or removed and placements end; migration 0027) within
// their running placement's dates. Each date's placement is looked up by its key (the LIMIT 1 keeps
// the planner from hashing every running placement instead).
func overdueFrom(where string) string {
	return `FROM placement_review_dates d
		JOIN LATERAL (SELECT 1 FROM placements p WHERE p.id = d.placement_id AND p.status = 'active'
			AND p.start_date < $1 AND d.due_on >= p.start_date
			AND (p.planned_end_date IS NULL OR d.due_on <= p.planned_end_date)
			AND (p.ended_on IS NULL OR d.due_on <= p.ended_on) AND ` + where + ` LIMIT 1) p ON true
		WHERE d.open AND d.due_on < $1`
}

// overdueReviews are the overdue review dates in scope, earliest first (then by placement), at most
// limit of them (none: all, for the alerts).
func overdueReviews(ctx context.Context, q db.DBTX, today calendar.Date, sc Scope, limit int) ([]OverdueReview, error) {
	if sc.Empty() {
		return nil, nil
	}
	where, args := scopeSQL(sc, 2)
	lim := ""
	if limit > 0 {
		lim = " LIMIT " + strconv.Itoa(limit)
	}
	rows, err := q.Query(ctx, `SELECT `+refColumns+`, o.due_on
		FROM (SELECT d.placement_id, d.due_on `+overdueFrom(where)+` ORDER BY d.due_on, d.placement_id`+lim+`) o
		JOIN placements p ON p.id = o.placement_id`+refJoins+`
		ORDER BY o.due_on, p.id`, append([]any{today}, args...)...)
	if err != nil {
		return nil, fmt.Errorf("read overdue reviews: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (OverdueReview, error) {
		var r OverdueReview
		err := row.Scan(append(r.scanTargets(), &r.DueOn)...)
		return r, err
	})
	if err != nil {
		return nil, fmt.Errorf("read overdue reviews: %w", err)
	}
	return out, nil
}

// OverdueReviewCountCap is the most overdue reviews the dashboard counts: more than this shows as
// "more than 99", as the low attendance does.
const OverdueReviewCountCap = 99

// overdueReviewsShown are the first WatchShown overdue reviews in scope and how many there are, up to
// OverdueReviewCountCap+1: read in date order through the open dates' partial index, so the cost is
// the page's, not the number of running placements.
func overdueReviewsShown(ctx context.Context, q db.DBTX, today calendar.Date, sc Scope) ([]OverdueReview, int, error) {
	if sc.Empty() {
		return nil, 0, nil
	}
	where, args := scopeSQL(sc, 2)
	var n int
	err := q.QueryRow(ctx, `SELECT count(*) FROM (SELECT 1 `+overdueFrom(where)+` LIMIT `+strconv.Itoa(OverdueReviewCountCap+1)+`) x`,
		append([]any{today}, args...)...).Scan(&n)
	if err != nil {
		return nil, 0, fmt.Errorf("count overdue reviews: %w", err)
	}
	if n == 0 {
		return nil, 0, nil
	}
	list, err := overdueReviews(ctx, q, today, sc, WatchShown)
	return list, n, err
}

// Absence is an unexplained absence: a learner marked absent with no known reason.
type Absence struct {
	Ref
	MarkID  int64
	Date    calendar.Date
	Session Session
}

// unexplainedAbsences are the day's unexplained absences in scope, by provider, session and name.
func unexplainedAbsences(ctx context.Context, q db.DBTX, day calendar.Date, sc Scope) ([]Absence, error) {
	if sc.Empty() {
		return nil, nil
	}
	where, args := scopeSQL(sc, 3)
	rows, err := q.Query(ctx, `SELECT `+refColumns+`, m.id, m.on_date, m.session
		FROM attendance_marks m JOIN placements p ON p.id = m.placement_id`+refJoins+`
		WHERE m.on_date = $1 AND m.status = 'absent' AND m.absence_reason = $2 AND `+where+`
		ORDER BY pv.name, p.provider_id, m.session, lower(st.legal_last_name), lower(st.legal_first_name), p.id`,
		append([]any{day, string(Unauthorised)}, args...)...)
	if err != nil {
		return nil, fmt.Errorf("read unexplained absences: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (Absence, error) {
		var a Absence
		var session string
		err := row.Scan(append(a.scanTargets(), &a.MarkID, &a.Date, &session)...)
		a.Session = Session(session)
		return a, err
	})
	if err != nil {
		return nil, fmt.Errorf("read unexplained absences: %w", err)
	}
	return out, nil
}

// HalfTerm is one half of a term: from its start to the day before its half-term break, or from the
// first weekday after the break to its end.
type HalfTerm struct {
	Term     string // "Autumn"
	Second   bool   // the half after the break
	From, To calendar.Date
}

// Name says which half term it is: "the second half of the Autumn term".
func (h HalfTerm) Name() string {
	if h.Second {
		return "the second half of the " + h.Term + " term"
	}
	return "the first half of the " + h.Term + " term"
}

// IsZero reports whether there is no half term (outside term time).
func (h HalfTerm) IsZero() bool { return h.From.IsZero() }

// HalfTermOf is the half term day falls in. During the half-term break it is the half just ended; in
// the holidays between terms there is none.
func HalfTermOf(terms []calendar.Term, day calendar.Date) HalfTerm {
	for _, t := range terms {
		if !t.Contains(day) {
			continue
		}
		if t.HalfTermStart.IsZero() {
			return HalfTerm{Term: t.Name, From: t.Start, To: t.End}
		}
		if day.After(t.HalfTermEnd) {
			// The break's published end is its Friday, or the Sunday: the half starts on the Monday.
			from := t.HalfTermEnd.AddDays(1)
			for from.Weekday() == time.Saturday || from.Weekday() == time.Sunday {
				from = from.AddDays(1)
			}
			return HalfTerm{Term: t.Name, Second: true, From: from, To: t.End}
		}
		return HalfTerm{Term: t.Name, From: t.Start, To: t.HalfTermStart.AddDays(-1)}
	}
	return HalfTerm{}
}

// LowAttendancePercent is the rate below which a placement's attendance this half term is flagged.
const LowAttendancePercent = 90

// LowRate is a placement whose attendance over a period is low: the sessions attended (present or
// late) of the sessions recorded (every mark but "no session", when the provider did not run it).
type LowRate struct {
	Ref
	Attended int
	Recorded int
}

// Percent is the rate as a whole percentage, rounded down, so 89.9% never shows as 90%.
func (a LowRate) Percent() int {
	if a.Recorded == 0 {
		return 0
	}
	return a.Attended * 100 / a.Recorded
}

// LowAttendanceCountCap is the most low placements the dashboard counts: more than this shows as
// "more than 99", so that the count costs about what the page shows, not the number of placements
// (counting to 999 was a third of the monitoring dashboard's time at scale factor 1, make bench).
const LowAttendanceCountCap = 99

// lowAttendance are the first WatchShown running placements in scope whose attendance in the half term
// starting on from is below LowAttendancePercent, lowest first (then by placement), and how many there
// are, up to LowAttendanceCountCap+1. It reads each placement's tally for the half term
// (attendance_tallies, kept by a trigger on attendance_marks in the same transaction as each mark is
// written or corrected) through attendance_tallies_low_idx, so it reads only low placements, in order,
// never the half term's marks. No mark is recorded for a day after today, so the half term's tally is
// the half term so far.
func lowAttendance(ctx context.Context, q db.DBTX, from calendar.Date, sc Scope) ([]LowRate, int, error) {
	if sc.Empty() {
		return nil, 0, nil
	}
	where, args := scopeSQL(sc, 2)
	// The predicate is the partial index's, literally, so that the planner can use it.
	// Each low tally's placement is looked up by its key (the LIMIT 1 keeps the planner from hashing
	// every running placement instead).
	low := `FROM attendance_tallies t
		JOIN LATERAL (SELECT 1 FROM placements p WHERE p.id = t.placement_id AND p.status = 'active' AND ` + where + ` LIMIT 1) p ON true
		WHERE t.half_from = $1 AND t.recorded > 0 AND t.attended * 100 < t.recorded * ` + strconv.Itoa(LowAttendancePercent)
	var n int
	err := q.QueryRow(ctx, `SELECT count(*) FROM (SELECT 1 `+low+` LIMIT `+strconv.Itoa(LowAttendanceCountCap+1)+`) x`,
		append([]any{from}, args...)...).Scan(&n)
	if err != nil {
		return nil, 0, fmt.Errorf("count low attendance: %w", err)
	}
	if n == 0 {
		return nil, 0, nil
	}
	rows, err := q.Query(ctx, `SELECT `+refColumns+`, l.attended, l.recorded
		FROM (SELECT t.placement_id, t.attended, t.recorded `+low+`
			ORDER BY t.attended::float8 / t.recorded, t.placement_id LIMIT `+strconv.Itoa(WatchShown)+`) l
		JOIN placements p ON p.id = l.placement_id`+refJoins+`
		ORDER BY l.attended::float8 / l.recorded, p.id`,
		append([]any{from}, args...)...)
	if err != nil {
		return nil, 0, fmt.Errorf("read attendance: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (LowRate, error) {
		var a LowRate
		err := row.Scan(append(a.scanTargets(), &a.Attended, &a.Recorded)...)
		return a, err
	})
	if err != nil {
		return nil, 0, fmt.Errorf("read attendance: %w", err)
	}
	return out, n, nil
}

// ActionsDueDays is how far ahead a meeting action shows as due on its owner's dashboard.
const ActionsDueDays = 7

// OwnAction is an agreed action of an attendance or behaviour meeting, not yet done, that its owner
// sees on their dashboard.
type OwnAction struct {
	Ref
	ID          int64
	Action      string
	DueOn       calendar.Date
	MeetingKind string // "attendance" or "behaviour"
}

// Overdue reports whether the action's due date has passed.
func (a OwnAction) Overdue(today calendar.Date) bool { return a.DueOn.Before(today) }

// actionsDue are the owner's actions not done, due within ActionsDueDays of today or overdue,
// earliest first. A placement the owner may not see is not named.
func actionsDue(ctx context.Context, q db.DBTX, ownerID int64, today calendar.Date, sc Scope) ([]OwnAction, error) {
	rows, err := q.Query(ctx, `SELECT `+refColumns+`, a.id, a.action, a.due_on, mm.kind
		FROM meeting_actions a JOIN monitoring_meetings mm ON mm.id = a.meeting_id JOIN placements p ON p.id = mm.placement_id`+refJoins+`
		WHERE a.owner_id = $1 AND a.done_at IS NULL AND a.due_on <= $2
		ORDER BY a.due_on, a.id`, ownerID, today.AddDays(ActionsDueDays))
	if err != nil {
		return nil, fmt.Errorf("read meeting actions: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (OwnAction, error) {
		var a OwnAction
		err := row.Scan(append(a.scanTargets(), &a.ID, &a.Action, &a.DueOn, &a.MeetingKind)...)
		if !sc.Sees(a.SchoolID, a.ProviderID) {
			a.StudentName = ""
		}
		return a, err
	})
	if err != nil {
		return nil, fmt.Errorf("read meeting actions: %w", err)
	}
	return out, nil
}

// WatchFor says which of the figures a dashboard shows.
type WatchFor struct {
	Registers bool // today's registers of the viewer's own providers (their staff's)
	// MissingRegisters are the sessions whose registers, not taken, the viewer watches across the
	// providers in scope (a monitoring officer: those whose cut-off has passed); none when nil.
	MissingRegisters []Session
	Absences         bool // today's unexplained absences
	LowAttendance    bool // attendance below 90% this half term
	OverdueReviews   bool
	Actions          bool // the actor's own meeting actions due
}

// WatchShown is the most rows of each list a dashboard shows; the counts are of all of them.
const WatchShown = 25

// Watch is what needs doing today about the placements the actor may see.
type Watch struct {
	Day       calendar.Date
	SchoolDay bool
	HalfTerm  HalfTerm // zero outside term time

	Registers []RegisterDue // every register today with learners expected at the viewer's own providers, taken or not
	// Missing are the first WatchShown registers of MissingRegisters' sessions not taken; MissingCount
	// is how many there are.
	Missing      []RegisterDue
	MissingCount int

	Absences       []Absence // the first WatchShown of each list
	LowAttendance  []LowRate
	OverdueReviews []OverdueReview
	Actions        []OwnAction

	// The counts are of the whole lists, but LowAttendanceCount stops at LowAttendanceCountCap+1 and
	// OverdueReviewCount at OverdueReviewCountCap+1.
	AbsenceCount, LowAttendanceCount, OverdueReviewCount, ActionCount int
}

// Watch reads what the dashboard asks for, scoped to what the actor may see. The lists name students,
// so showing them is recorded in the audit log, with the placements shown.
func (s Store) Watch(ctx context.Context, a Actor, want WatchFor) (Watch, error) {
	today := calendar.DateOf(s.Clock.Now())
	w := Watch{Day: today}
	sc := ScopeFor(a.Principal)
	sd, err := calendar.On(s.DB).SchoolDays(ctx)
	if err != nil {
		return w, err
	}
	w.SchoolDay = sd.IsSchoolDay(today)
	if want.Registers {
		if w.Registers, _, err = expectedRegisters(ctx, s.DB, sd, today, registersWanted{Scope: Scope{Providers: sc.Providers}}); err != nil {
			return w, err
		}
	}
	if want.MissingRegisters != nil {
		w.Missing, w.MissingCount, err = expectedRegisters(ctx, s.DB, sd, today, registersWanted{Scope: sc, Missing: want.MissingRegisters, Limit: WatchShown})
		if err != nil {
			return w, err
		}
	}
	if want.Absences {
		list, err := unexplainedAbsences(ctx, s.DB, today, sc)
		if err != nil {
			return w, err
		}
		w.Absences, w.AbsenceCount = firstShown(list)
	}
	if want.LowAttendance {
		terms, err := calendar.On(s.DB).Terms(ctx)
		if err != nil {
			return w, err
		}
		w.HalfTerm = HalfTermOf(terms, today)
		if !w.HalfTerm.IsZero() {
			w.LowAttendance, w.LowAttendanceCount, err = lowAttendance(ctx, s.DB, w.HalfTerm.From, sc)
			if err != nil {
				return w, err
			}
		}
	}
	if want.OverdueReviews {
		var err error
		w.OverdueReviews, w.OverdueReviewCount, err = overdueReviewsShown(ctx, s.DB, today, sc)
		if err != nil {
			return w, err
		}
	}
	if want.Actions && a.Principal != nil {
		list, err := actionsDue(ctx, s.DB, a.Principal.UserID, today, sc)
		if err != nil {
			return w, err
		}
		w.Actions, w.ActionCount = firstShown(list)
	}
	var shown []int64
	note := func(r Ref) {
		if r.StudentName != "" && !slices.Contains(shown, r.PlacementID) {
			shown = append(shown, r.PlacementID)
		}
	}
	for _, x := range w.Absences {
		note(x.Ref)
	}
	for _, x := range w.LowAttendance {
		note(x.Ref)
	}
	for _, x := range w.OverdueReviews {
		note(x.Ref)
	}
	for _, x := range w.Actions {
		note(x.Ref)
	}
	if len(shown) > 0 {
		err := audit.On(s.DB).Write(ctx, audit.Entry{At: s.Clock.Now(), ActorUserID: a.userIDPtr(), ActorEmail: a.email(),
			Action: ActionListed, SubjectType: "placement", Summary: fmt.Sprintf("Shown %d placements on the dashboard", len(shown)),
			Details: map[string]any{"shown": shown, "page": "dashboard"}, RequestID: a.RequestID})
		if err != nil {
			return w, fmt.Errorf("audit dashboard: %w", err)
		}
	}
	return w, nil
}

func firstShown[T any](list []T) ([]T, int) {
	if len(list) > WatchShown {
		return list[:WatchShown], len(list)
	}
	return list, len(list)
}
