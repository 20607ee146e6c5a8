package placement

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/db"
	"github.com/coventry-cap/capportal/internal/pathway"
)

// Weekdays are the days a placement can run on, Monday to Friday.
var Weekdays = []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday}

// DayChange is a change of a placement's days and sessions from a date, with the days and sessions
// it replaced: the register of a day before From follows those.
type DayChange struct {
	From             calendar.Date
	Days             []time.Weekday
	Sessions         []Session
	PreviousDays     []time.Weekday
	PreviousSessions []Session
	RequestID        int64 // the change-of-day request it applied; 0 for none
}

// dayChangeRow is a DayChange as selectPlacement reads it (JSON).
type dayChangeRow struct {
	From             calendar.Date `json:"from"`
	Days             []int         `json:"days"`
	Sessions         []string      `json:"sessions"`
	PreviousDays     []int         `json:"previous_days"`
	PreviousSessions []string      `json:"previous_sessions"`
	Request          int64         `json:"request"`
}

func (r dayChangeRow) change() DayChange {
	return DayChange{From: r.From, Days: weekdaysOf(r.Days), Sessions: sessionsOf(r.Sessions),
		PreviousDays: weekdaysOf(r.PreviousDays), PreviousSessions: sessionsOf(r.PreviousSessions), RequestID: r.Request}
}

func weekdaysOf[T int | int32 | int16](ds []T) []time.Weekday {
	out := make([]time.Weekday, 0, len(ds))
	for _, d := range ds {
		out = append(out, time.Weekday(d))
	}
	return out
}

func sessionsOf(ss []string) []Session {
	out := make([]Session, 0, len(ss))
	for _, s := range ss {
		out = append(out, Session(s))
	}
	return out
}

// DaysOn are the days and sessions in force on day: those a change of day replaced before its date,
// the latest ones from it.
func (p Placement) DaysOn(day calendar.Date) ([]time.Weekday, []Session) {
	for _, c := range p.DayChanges {
		if day.Before(c.From) {
			return c.PreviousDays, c.PreviousSessions
		}
	}
	return p.Days, p.Sessions
}

// SessionsPerWeek is how many sessions a week the placement runs on day (days times sessions).
func (p Placement) SessionsPerWeek(day calendar.Date) int {
	days, sessions := p.DaysOn(day)
	return len(days) * len(sessions)
}

// Pattern is a set of days and sessions, such as a placement runs on.
type Pattern struct {
	Days     []time.Weekday
	Sessions []Session
}

// normalised sorts the days Monday first and the sessions morning first, without repeats.
func (pt Pattern) normalised() Pattern {
	days := slices.Clone(pt.Days)
	slices.Sort(days)
	days = slices.Compact(days)
	var sessions []Session
	for _, s := range Sessions {
		if slices.Contains(pt.Sessions, s) {
			sessions = append(sessions, s)
		}
	}
	return Pattern{Days: days, Sessions: sessions}
}

// Same reports whether two patterns cover the same days and sessions.
func (pt Pattern) Same(o Pattern) bool {
	a, b := pt.normalised(), o.normalised()
	return slices.Equal(a.Days, b.Days) && slices.Equal(a.Sessions, b.Sessions)
}

// Text describes the pattern for people: "Mondays and Tuesdays, mornings and afternoons",
// "Wednesdays, mornings only".
func (pt Pattern) Text() string {
	n := pt.normalised()
	if len(n.Days) == 0 {
		return "No days"
	}
	var days []string
	for _, d := range n.Days {
		days = append(days, d.String()+"s")
	}
	when := "mornings and afternoons"
	switch {
	case len(n.Sessions) == 1 && n.Sessions[0] == Morning:
		when = "mornings only"
	case len(n.Sessions) == 1 && n.Sessions[0] == Afternoon:
		when = "afternoons only"
	}
	return joinAnd(days) + ", " + when
}

// joinAnd joins words as a sentence does: "a", "a and b", "a, b and c".
func joinAnd(words []string) string {
	switch len(words) {
	case 0:
		return ""
	case 1:
		return words[0]
	}
	return strings.Join(words[:len(words)-1], ", ") + " and " + words[len(words)-1]
}

// PatternOn is the placement's pattern on day.
func (p Placement) PatternOn(day calendar.Date) Pattern {
	d, s := p.DaysOn(day)
	return Pattern{Days: d, Sessions: s}
}

func int16s(days []time.Weekday) []int16 {
	out := make([]int16, len(days))
	for i, d := range days {
		out[i] = int16(d)
	}
	return out
}

func strs(ss []Session) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = string(s)
	}
	return out
}

// lastDay is the last day a placement may be expected: its end, or else its planned end; zero when
// it is open-ended.
func (p Placement) lastDay() calendar.Date {
	if !p.EndedOn.IsZero() {
		return p.EndedOn
	}
	return p.PlannedEnd
}

// sessionClash is another placement of the student that shares a day and session with a pattern.
type sessionClash struct {
	reference, provider string
	from                calendar.Date
	shared              Pattern
}

// clashes are the student's other placements (not exceptID) that overlap from..until (until zero:
// open-ended) and share a weekday and a session with the pattern. It compares each placement's latest
// days and sessions, which is what it runs on from now.
func clashes(ctx context.Context, q db.DBTX, studentID, exceptID int64, pt Pattern, from, until calendar.Date) ([]sessionClash, error) {
	var untilArg any
	if !until.IsZero() {
		untilArg = until
	}
	rows, err := q.Query(ctx, `
		SELECT coalesce(r.reference, ''), pv.name, p.start_date, p.days, p.sessions
		FROM placements p JOIN referrals r ON r.id = p.referral_id JOIN organisations pv ON pv.id = p.provider_id
		WHERE p.student_id = $1 AND p.id <> $2
		  AND (p.status = 'active' OR p.ended_on IS NOT NULL)
		  AND ($4::date IS NULL OR p.start_date <= $4)
		  AND coalesce(p.ended_on, p.planned_end_date, 'infinity'::date) >= $3
		  AND p.days && $5::smallint[] AND p.sessions && $6::text[]
		ORDER BY p.start_date, p.id`, studentID, exceptID, from, untilArg, int16s(pt.Days), strs(pt.Sessions))
	if err != nil {
		return nil, fmt.Errorf("find clashing placements: %w", err)
	}
	defer rows.Close()
	var out []sessionClash
	for rows.Next() {
		var c sessionClash
		var days []int16
		var sessions []string
		if err := rows.Scan(&c.reference, &c.provider, &c.from, &days, &sessions); err != nil {
			return nil, fmt.Errorf("find clashing placements: %w", err)
		}
		for _, d := range weekdaysOf(days) {
			if slices.Contains(pt.Days, d) {
				c.shared.Days = append(c.shared.Days, d)
			}
		}
		for _, s := range sessionsOf(sessions) {
			if slices.Contains(pt.Sessions, s) {
				c.shared.Sessions = append(c.shared.Sessions, s)
			}
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("find clashing placements: %w", err)
	}
	return out, nil
}

// clashMessages say which of the student's placements already take the sessions, without naming
// the student (the words go into refusals and form errors).
func clashMessages(cs []sessionClash) []string {
	var out []string
	for _, c := range cs {
		out = append(out, fmt.Sprintf("The student already attends %s (%s) on %s.", c.provider, c.reference, strings.ToLower(c.shared.Text())))
	}
	return out
}

// RefuseSessionClash refuses a placement just set up (inside the transaction that set it up) when
// the student already has another placement on one of its sessions: a student cannot be in two
// places at once. It is called by SetUpPlan, so every way a placement is set up checks it.
func RefuseSessionClash(ctx context.Context, q db.DBTX, placementID int64) error {
	var studentID int64
	var start calendar.Date
	var planned, ended calendar.Date
	var days []int16
	var sessions []string
	err := q.QueryRow(ctx, `SELECT student_id, start_date, planned_end_date, ended_on, days, sessions FROM placements WHERE id = $1`, placementID).
		Scan(&studentID, &start, &planned, &ended, &days, &sessions)
	if err != nil {
		return fmt.Errorf("read new placement: %w", err)
	}
	until := ended
	if until.IsZero() {
		until = planned
	}
	cs, err := clashes(ctx, q, studentID, placementID, Pattern{Days: weekdaysOf(days), Sessions: sessionsOf(sessions)}, start, until)
	if err != nil || len(cs) == 0 {
		return err
	}
	return &pathway.Refusal{Reason: "This placement would put the student in two places at once.", Checks: clashMessages(cs),
		Do: "Agree other days with the provider, or change the days of the other placement first (a change of day request)."}
}
