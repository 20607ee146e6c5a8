package placement

import (
	"cmp"
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

// expectedRegisters are the registers of day with at least one learner expected, for the providers
// in scope, by provider name then session: one query for the placements running on day on its
// weekday, counted in the database by what decides whether they are expected (provider, sessions,
// and for Refocus and Focus 11 the start, which sets the phase), so that a few rows a provider come
// back rather than one a learner (the school-day, sessions and Refocus rules are then ExpectedOn's);
// one for the registers taken.
func expectedRegisters(ctx context.Context, q db.DBTX, sd calendar.SchoolDays, day calendar.Date, sc Scope) ([]RegisterDue, error) {
	if !sd.IsSchoolDay(day) || sc.Empty() {
		return nil, nil
	}
	type key struct {
		provider int64
		session  Session
	}
	counts := map[key]*RegisterDue{}
	where, args := scopeSQL(sc, 4)
	rows, err := q.Query(ctx, `SELECT p.provider_id, pv.name, pg.kind, CASE WHEN pg.kind = ANY($3) THEN p.start_date END, p.sessions, count(*)
		FROM placements p JOIN organisations pv ON pv.id = p.provider_id JOIN programmes pg ON pg.id = p.programme_id
		WHERE p.start_date <= $1
		  AND (p.planned_end_date IS NULL OR p.planned_end_date >= $1)
		  AND (p.ended_on IS NULL OR p.ended_on >= $1)
		  AND (p.status = 'active' OR p.ended_on >= $1)
		  AND $2::smallint = ANY(p.days) AND `+where+`
		GROUP BY 1, 2, 3, 4, 5`,
		append([]any{day, int16(day.Weekday()), []string{string(directory.Refocus), string(directory.Focus11)}}, args...)...)
	if err != nil {
		return nil, fmt.Errorf("read expected learners: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		// A placement standing for the group: running on day (the query's conditions), on its weekday.
		p := Placement{Status: "active", Start: day, Days: []time.Weekday{day.Weekday()}}
		var start calendar.Date // only for Refocus and Focus 11
		var sessions []string
		var n int
		if err := rows.Scan(&p.ProviderID, &p.ProviderName, &p.Kind, &start, &sessions, &n); err != nil {
			return nil, fmt.Errorf("read expected learners: %w", err)
		}
		if !start.IsZero() {
			p.Start = start
		}
		for _, s := range sessions {
			p.Sessions = append(p.Sessions, Session(s))
		}
		for _, s := range Sessions {
			if !p.ExpectedOn(sd, day, s) {
				continue
			}
			k := key{p.ProviderID, s}
			if counts[k] == nil {
				counts[k] = &RegisterDue{ProviderID: p.ProviderID, ProviderName: p.ProviderName, Date: day, Session: s}
			}
			counts[k].Expected += n
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read expected learners: %w", err)
	}
	if len(counts) == 0 {
		return nil, nil
	}
	var providers []int64
	for k := range counts {
		if !slices.Contains(providers, k.provider) {
			providers = append(providers, k.provider)
		}
	}
	trows, err := q.Query(ctx, `SELECT g.provider_id, g.session, g.taken_at, u.name FROM registers g JOIN users u ON u.id = g.taken_by
		WHERE g.on_date = $1 AND g.provider_id = ANY($2)`, day, providers)
	if err != nil {
		return nil, fmt.Errorf("read registers taken: %w", err)
	}
	var provider int64
	var session, by string
	var at time.Time
	_, err = pgx.ForEachRow(trows, []any{&provider, &session, &at, &by}, func() error {
		if r := counts[key{provider, Session(session)}]; r != nil {
			r.TakenAt, r.TakenBy = at, by
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read registers taken: %w", err)
	}
	out := make([]RegisterDue, 0, len(counts))
	for _, r := range counts {
		out = append(out, *r)
	}
	slices.SortFunc(out, func(a, b RegisterDue) int {
		return cmp.Or(cmp.Compare(a.ProviderName, b.ProviderName), cmp.Compare(a.ProviderID, b.ProviderID),
			cmp.Compare(slices.Index(Sessions, a.Session), slices.Index(Sessions, b.Session)))
	})
	return out, nil
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
// "more than 999", as the low attendance does.
const OverdueReviewCountCap = 999

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
// "more than 999", so that the count costs what the page shows, not the number of placements.
const LowAttendanceCountCap = 999

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
	Registers      bool // today's registers of the providers in scope
	Absences       bool // today's unexplained absences
	LowAttendance  bool // attendance below 90% this half term
	OverdueReviews bool
	Actions        bool // the actor's own meeting actions due
}

// WatchShown is the most rows of each list a dashboard shows; the counts are of all of them.
const WatchShown = 25

// Watch is what needs doing today about the placements the actor may see.
type Watch struct {
	Day       calendar.Date
	SchoolDay bool
	HalfTerm  HalfTerm // zero outside term time

	Registers []RegisterDue // every register today with learners expected, taken or not

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
		if w.Registers, err = expectedRegisters(ctx, s.DB, sd, today, sc); err != nil {
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
