package placement

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/db"
)

// Tally counts sessions: the marks recorded, and the sessions expected but not marked.
type Tally struct {
	Present, Late, Absent, NoSession int
	// Unmarked are the sessions the learner was expected on a day before today whose register has no
	// mark for them (the register was not taken, or was taken before they joined it). Today's sessions
	// are left out: their registers may still be taken.
	Unmarked int
}

// Attended are the sessions attended: present or late.
func (t Tally) Attended() int { return t.Present + t.Late }

// Recorded are the sessions with a mark that counts towards the rate: present, late or absent. A
// session the provider did not run ("no session") is not a session the learner could attend.
func (t Tally) Recorded() int { return t.Present + t.Late + t.Absent }

// Rate is the share of recorded sessions attended, 0 to 1; ok is false when none was recorded.
func (t Tally) Rate() (rate float64, ok bool) {
	if t.Recorded() == 0 {
		return 0, false
	}
	return float64(t.Attended()) / float64(t.Recorded()), true
}

// Percent is the rate for people, to one decimal place without a trailing zero: "87.5%", "100%";
// empty when no session was recorded.
func (t Tally) Percent() string {
	r, ok := t.Rate()
	if !ok {
		return ""
	}
	tenths := math.Round(r * 1000)
	s := strconv.FormatFloat(tenths/10, 'f', 1, 64)
	return strings.TrimSuffix(s, ".0") + "%"
}

// Empty reports whether nothing was recorded or expected.
func (t Tally) Empty() bool { return t.Recorded() == 0 && t.NoSession == 0 && t.Unmarked == 0 }

func (t *Tally) add(o Tally) {
	t.Present += o.Present
	t.Late += o.Late
	t.Absent += o.Absent
	t.NoSession += o.NoSession
	t.Unmarked += o.Unmarked
}

func (t *Tally) count(s Status) {
	switch s {
	case Present:
		t.Present++
	case Late:
		t.Late++
	case Absent:
		t.Absent++
	case NoSession:
		t.NoSession++
	}
}

// WeekTally is one school week's tally, Monday to Friday.
type WeekTally struct {
	Monday calendar.Date
	Tally
}

// Friday is the last weekday of the week.
func (w WeekTally) Friday() calendar.Date { return w.Monday.AddDays(4) }

// Attendance is a tally over a period and the same by school week, oldest first. Weeks with nothing
// recorded or expected (half terms, holidays) are left out.
type Attendance struct {
	Tally
	Weeks []WeekTally
}

// markFact is what the rates need of a mark.
type markFact struct {
	PlacementID int64
	Date        calendar.Date
	Session     Session
	Status      Status
}

// tallyAttendance counts the placements' marks from from (the zero Date for all) up to through, and
// the sessions each was expected on before through that have no mark.
func tallyAttendance(sd calendar.SchoolDays, ps []Placement, marks []markFact, from, through calendar.Date) Attendance {
	weeks := map[calendar.Date]*Tally{}
	week := func(d calendar.Date) *Tally {
		m := calendar.Monday(d)
		t, ok := weeks[m]
		if !ok {
			t = &Tally{}
			weeks[m] = t
		}
		return t
	}
	type key struct {
		id      int64
		day     calendar.Date
		session Session
	}
	marked := make(map[key]bool, len(marks))
	for _, m := range marks {
		if m.Date.Before(from) || m.Date.After(through) {
			continue
		}
		marked[key{m.PlacementID, m.Date, m.Session}] = true
		week(m.Date).count(m.Status)
	}
	for _, p := range ps {
		first := p.Start
		if first.Before(from) {
			first = from
		}
		for d := first; d.Before(through); d = d.AddDays(1) {
			for _, s := range Sessions {
				if p.ExpectedOn(sd, d, s) && !marked[key{p.ID, d, s}] {
					week(d).Unmarked++
				}
			}
		}
	}
	var out Attendance
	for m, t := range weeks {
		if t.Empty() {
			continue
		}
		out.Weeks = append(out.Weeks, WeekTally{Monday: m, Tally: *t})
		out.add(*t)
	}
	slices.SortFunc(out.Weeks, func(a, b WeekTally) int { return a.Monday.Compare(b.Monday) })
	return out
}

// markFacts reads the marks of the placements, from from (the zero Date for all).
func markFacts(ctx context.Context, q db.DBTX, ids []int64, from calendar.Date) ([]markFact, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	var since *calendar.Date
	if !from.IsZero() {
		since = &from
	}
	rows, err := q.Query(ctx, `SELECT placement_id, on_date, session, status FROM attendance_marks
		WHERE placement_id = ANY($1) AND ($2::date IS NULL OR on_date >= $2)`, ids, since)
	if err != nil {
		return nil, fmt.Errorf("read attendance: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (markFact, error) {
		var m markFact
		var session, status string
		err := row.Scan(&m.PlacementID, &m.Date, &session, &status)
		m.Session, m.Status = Session(session), Status(status)
		return m, err
	})
	if err != nil {
		return nil, fmt.Errorf("read attendance: %w", err)
	}
	return out, nil
}

// attendance tallies the placements' marks and expected sessions up to today, from from.
func (s Store) attendance(ctx context.Context, ps []Placement, from calendar.Date) (Attendance, error) {
	if len(ps) == 0 {
		return Attendance{}, nil
	}
	sd, err := calendar.On(s.DB).SchoolDays(ctx)
	if err != nil {
		return Attendance{}, err
	}
	ids := make([]int64, len(ps))
	for i, p := range ps {
		ids[i] = p.ID
	}
	marks, err := markFacts(ctx, s.DB, ids, from)
	if err != nil {
		return Attendance{}, err
	}
	return tallyAttendance(sd, ps, marks, from, calendar.DateOf(s.Clock.Now())), nil
}

// AttendanceOf is the placement's attendance from its start to today. The placement is one the
// caller has already read for the person (View or Get), so it is theirs to see.
func (s Store) AttendanceOf(ctx context.Context, p Placement) (Attendance, error) {
	return s.attendance(ctx, []Placement{p}, calendar.Date{})
}

// PlacementAttendance is a placement with its attendance.
type PlacementAttendance struct {
	Placement  Placement
	Attendance Attendance
}

// StudentAttendance is a student's placements the actor may see, newest first, each with its
// attendance, and the attendance across all of them: for a school, every placement of its student;
// for a provider, only its own.
type StudentAttendance struct {
	Placements []PlacementAttendance
	Attendance Attendance
}

// OfStudentWithAttendance returns the student's placements the actor may see with their attendance,
// in a fixed number of queries however many placements there are.
func (s Store) OfStudentWithAttendance(ctx context.Context, a Actor, studentID int64) (StudentAttendance, error) {
	var out StudentAttendance
	ps, err := s.OfStudent(ctx, a, studentID)
	if err != nil || len(ps) == 0 {
		return out, err
	}
	sd, err := calendar.On(s.DB).SchoolDays(ctx)
	if err != nil {
		return out, err
	}
	ids := make([]int64, len(ps))
	for i, p := range ps {
		ids[i] = p.ID
	}
	marks, err := markFacts(ctx, s.DB, ids, calendar.Date{})
	if err != nil {
		return out, err
	}
	today := calendar.DateOf(s.Clock.Now())
	byPlacement := map[int64][]markFact{}
	for _, m := range marks {
		byPlacement[m.PlacementID] = append(byPlacement[m.PlacementID], m)
	}
	for _, p := range ps {
		out.Placements = append(out.Placements, PlacementAttendance{Placement: p,
			Attendance: tallyAttendance(sd, []Placement{p}, byPlacement[p.ID], calendar.Date{}, today)})
	}
	out.Attendance = tallyAttendance(sd, ps, marks, calendar.Date{}, today)
	return out, nil
}

// ProviderAttendance is the attendance of every learner at the provider from from up to today: for
// CAP's staff and the provider's own staff only (db.ErrNotFound for anyone else, so a provider never
// learns another's figures).
func (s Store) ProviderAttendance(ctx context.Context, a Actor, providerID int64, from calendar.Date) (Attendance, error) {
	sc := ScopeFor(a.Principal)
	if !sc.All && !slices.Contains(sc.Providers, providerID) {
		return Attendance{}, db.ErrNotFound
	}
	ps, err := collectPlacements(s.DB.Query(ctx, selectPlacement+`
		WHERE p.provider_id = $1 AND (p.planned_end_date IS NULL OR p.planned_end_date >= $2) AND (p.ended_on IS NULL OR p.ended_on >= $2)
		  AND p.start_date <= $3`, providerID, from, calendar.DateOf(s.Clock.Now())))
	if err != nil {
		return Attendance{}, err
	}
	return s.attendance(ctx, ps, from)
}
