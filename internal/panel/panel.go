// Package panel is the Tier 2 and Tier 3 panel calendar: each academic year's panel rounds (a
// referral deadline, the Supported Transfer Headteacher Placement Meeting, the programmes the round
// covers) and the starts they lead to (directory.Refocus cohorts, directory.Flourish start dates). Dates are kept with
// the weekday their source gave, so a mismatch is shown to CAP admins rather than silently accepted.
package panel

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/db"
	"github.com/coventry-cap/capportal/internal/directory"
)

// Store reads and changes the panel calendar, meetings, agendas and cohorts.
type Store struct {
	DB db.DBTX // the pool, or the transaction a caller runs the store's work inside
}

// On is the store over a pool or a transaction.
func On(conn db.DBTX) Store { return Store{DB: conn} }

// Round is one row of a year's panel calendar.
type Round struct {
	ID           int64
	AcademicYear string
	Position     int    // the row of the published table, 1 first
	Items        string // the programme items as published
	Kinds        []directory.Kind
	Deadline     calendar.Date
	// DeadlineWeekday is the weekday the source gave with the deadline, which may disagree with it.
	DeadlineWeekday string
	// Meeting is the Supported Transfer Headteacher Placement Meeting; zero when the round has none.
	Meeting        calendar.Date
	MeetingWeekday string
	Draft          bool
}

// Covers reports whether the round's panels take referrals to the programme kind.
func (r Round) Covers(kind directory.Kind) bool { return slices.Contains(r.Kinds, kind) }

// Label names the round for people: "Round 4 (deadline 3 December 2025)".
func (r Round) Label() string {
	return fmt.Sprintf("Round %d (deadline %s)", r.Position, r.Deadline.Format())
}

// Start is a programme's cohort or start date that a round leads to.
type Start struct {
	ID            int64
	Kind          directory.Kind
	AcademicYear  string
	Name          string // "Cohort 1", "January start"
	Note          string // as published: "10 weeks"
	Starts        calendar.Date
	StartsWeekday string
	Ends          calendar.Date // zero when the source gives no end
	EndsWeekday   string
	Capacity      int   // places in a cohort; 0 for a start date without a limit
	FedBy         int64 // the round whose decisions lead here; 0 when it is in a year not in the portal
	ListedWith    int64 // the row of the published table it is printed beside; 0 for none
	Draft         bool
}

// Title is how the calendar names a start: "directory.Refocus Cohort 1".
func (s Start) Title() string { return s.Kind.Label() + " " + s.Name }

const roundColumns = `id, academic_year, position, items, kinds, referral_deadline, deadline_weekday_stated,
	headteacher_meeting, coalesce(meeting_weekday_stated, ''), draft`

func scanRound(row pgx.Row) (Round, error) {
	var r Round
	err := row.Scan(&r.ID, &r.AcademicYear, &r.Position, &r.Items, &r.Kinds, &r.Deadline, &r.DeadlineWeekday,
		&r.Meeting, &r.MeetingWeekday, &r.Draft)
	return r, err
}

// Years are the academic years with a panel calendar on file, newest first; drafts counts a year
// whose calendar is still a draft (for CAP admins).
func (s Store) Years(ctx context.Context, drafts bool) ([]string, error) {
	rows, err := s.DB.Query(ctx, `SELECT DISTINCT academic_year FROM panel_rounds WHERE $1 OR NOT draft ORDER BY academic_year DESC`, drafts)
	if err != nil {
		return nil, fmt.Errorf("panel years: %w", err)
	}
	years, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("panel years: %w", err)
	}
	return years, nil
}

// Rounds returns an academic year's panel rounds in the order they were published, drafts included.
func (s Store) Rounds(ctx context.Context, year string) ([]Round, error) {
	rows, err := s.DB.Query(ctx, `SELECT `+roundColumns+` FROM panel_rounds WHERE academic_year = $1 ORDER BY position`, year)
	if err != nil {
		return nil, fmt.Errorf("panel rounds of %s: %w", year, err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (Round, error) { return scanRound(row) })
	if err != nil {
		return nil, fmt.Errorf("panel rounds of %s: %w", year, err)
	}
	return out, nil
}

// GetRound returns one round, or db.ErrNotFound.
func (s Store) GetRound(ctx context.Context, id int64) (Round, error) {
	r, err := scanRound(s.DB.QueryRow(ctx, `SELECT `+roundColumns+` FROM panel_rounds WHERE id = $1`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return r, db.ErrNotFound
	}
	if err != nil {
		return r, fmt.Errorf("panel round %d: %w", id, err)
	}
	return r, nil
}

const startColumns = `id, programme_kind, academic_year, name, note, starts_on, starts_weekday_stated,
	ends_on, coalesce(ends_weekday_stated, ''), coalesce(capacity, 0),
	coalesce(fed_by_round, 0), coalesce(listed_with_round, 0), draft`

func scanStart(row pgx.Row) (Start, error) {
	var s Start
	err := row.Scan(&s.ID, &s.Kind, &s.AcademicYear, &s.Name, &s.Note, &s.Starts, &s.StartsWeekday,
		&s.Ends, &s.EndsWeekday, &s.Capacity, &s.FedBy, &s.ListedWith, &s.Draft)
	return s, err
}

// Starts returns an academic year's cohorts and start dates in date order, drafts included.
func (s Store) Starts(ctx context.Context, year string) ([]Start, error) {
	rows, err := s.DB.Query(ctx, `SELECT `+startColumns+` FROM panel_starts WHERE academic_year = $1
		ORDER BY starts_on, programme_kind, name`, year)
	if err != nil {
		return nil, fmt.Errorf("panel starts of %s: %w", year, err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (Start, error) { return scanStart(row) })
	if err != nil {
		return nil, fmt.Errorf("panel starts of %s: %w", year, err)
	}
	return out, nil
}

// oneStart reads the first start the query finds, or db.ErrNotFound.
func oneStart(ctx context.Context, q db.DBTX, where string, args ...any) (Start, error) {
	s, err := scanStart(q.QueryRow(ctx, `SELECT `+startColumns+` FROM panel_starts WHERE `+where+` ORDER BY starts_on, id LIMIT 1`, args...))
	if errors.Is(err, pgx.ErrNoRows) {
		return s, db.ErrNotFound
	}
	if err != nil {
		return s, fmt.Errorf("panel start: %w", err)
	}
	return s, nil
}

// GetStart returns one start, or db.ErrNotFound.
func (s Store) GetStart(ctx context.Context, id int64) (Start, error) {
	return oneStart(ctx, s.DB, `id = $1`, id)
}

// CohortFedBy is the Academy cohort (a start with places) that a round's decisions lead to, or
// db.ErrNotFound. directory.Refocus and Focus 11 both join the Academy's cohorts, published as the Tier 3
// (directory.Refocus) start dates.
func (s Store) CohortFedBy(ctx context.Context, roundID int64) (Start, error) {
	return oneStart(ctx, s.DB, `fed_by_round = $1 AND capacity IS NOT NULL`, roundID)
}

// StartFedBy is the programme kind's start that a round's decisions lead to (a directory.Flourish start), or
// db.ErrNotFound.
func (s Store) StartFedBy(ctx context.Context, roundID int64, kind directory.Kind) (Start, error) {
	return oneStart(ctx, s.DB, `fed_by_round = $1 AND programme_kind = $2`, roundID, kind)
}

// Mismatches lists every weekday given with a date that disagrees with it, as sentences a CAP admin
// can act on: "Round 10: the referral deadline is given as Wednesday 14 July 2026, but 14 July 2026
// is a Tuesday."
func Mismatches(rounds []Round, starts []Start) []string {
	var out []string
	check := func(who, what, stated string, d calendar.Date) {
		if d.IsZero() || stated == "" || strings.EqualFold(stated, d.Weekday().String()) {
			return
		}
		out = append(out, fmt.Sprintf("%s: the %s is given as %s %s, but %s is a %s.", who, what, stated, d.Format(), d.Format(), d.Weekday()))
	}
	for _, r := range rounds {
		who := fmt.Sprintf("Round %d", r.Position)
		check(who, "referral deadline", r.DeadlineWeekday, r.Deadline)
		check(who, "Headteacher Placement Meeting", r.MeetingWeekday, r.Meeting)
	}
	for _, s := range starts {
		check(s.Title(), "start", s.StartsWeekday, s.Starts)
		check(s.Title(), "end", s.EndsWeekday, s.Ends)
	}
	return out
}
