package seed

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/directory"
	"github.com/coventry-cap/capportal/internal/panel"
)

// PublishedRound is a row of the reference pack's "Tier 2/Tier 3/ST referral deadlines and panel
// dates - AY 25/26" table, with each date's weekday as printed (which may be wrong).
type PublishedRound struct {
	Items           string
	Kinds           []directory.Kind
	Deadline        calendar.Date
	DeadlineWeekday string
	Meeting         calendar.Date // zero for "N/A"
	MeetingWeekday  string
}

// PublishedStart is a start date or cohort printed in that table.
type PublishedStart struct {
	Kind          directory.Kind
	Name, Note    string
	Starts        calendar.Date
	StartsWeekday string
	Ends          calendar.Date
	EndsWeekday   string
	ListedWith    int // the row (1 first) it is printed on
	FedBy         int // the row whose round leads to it; 0 for a round of 2024/25
}

// PanelYear2526 is the year the published table is for.
const PanelYear2526 = "2025/26"

// pd is a published date.
func pd(y int, m time.Month, day int) calendar.Date { return calendar.NewDate(y, m, day) }

// Focus 11 goes through the Refocus rounds while its referral window (the autumn term of 2025/26) is
// open, so it is covered by rows 1 and 4 only.
var (
	stOnly      = []directory.Kind{directory.SupportedTransfer}
	autumnRound = []directory.Kind{directory.Flourish, directory.Refocus, directory.Focus11, directory.SupportedTransfer}
	springRound = []directory.Kind{directory.Flourish, directory.Refocus, directory.SupportedTransfer}
)

// PublishedRounds2526 is the table exactly as published, row by row. Row 1's Flourish item is the
// July 2025 approval (of the year before), so row 1's own deadline is for Supported Transfer and
// Refocus. "Wednesday 14 July" 2026 is a Tuesday: kept as printed for a CAP admin to correct.
var PublishedRounds2526 = []PublishedRound{
	{"Tier 2 Flourish QA checks and approval (July 2025); Tier 3 Supported Transfer QA checks; Tier 3 Refocus QA checks and approval",
		[]directory.Kind{directory.Refocus, directory.Focus11, directory.SupportedTransfer}, pd(2025, time.September, 17), "Wednesday", pd(2025, time.September, 30), "Tuesday"},
	{"Tier 3 - Supported Transfer QA Checks", stOnly, pd(2025, time.October, 8), "Wednesday", pd(2025, time.October, 21), "Tuesday"},
	{"Tier 3 - Supported Transfer QA Checks", stOnly, pd(2025, time.November, 12), "Wednesday", pd(2025, time.November, 25), "Tuesday"},
	{"Tier 2 - Flourish QA checks and approval; Tier 3 - Refocus QA checks and approval; Tier 3 - Supported Transfer QA Checks",
		autumnRound, pd(2025, time.December, 3), "Wednesday", pd(2025, time.December, 16), "Tuesday"},
	{"Tier 3 - Supported Transfer QA Checks", stOnly, pd(2026, time.January, 14), "Wednesday", pd(2026, time.January, 27), "Tuesday"},
	{"Tier 3 - Supported Transfer QA Checks", stOnly, pd(2026, time.February, 4), "Wednesday", pd(2026, time.February, 24), "Tuesday"},
	{"Tier 2 - Flourish QA Checks and Approval; Tier 3 - Refocus QA Checks and Approval; Tier 3 - Supported Transfer QA Checks",
		springRound, pd(2026, time.March, 11), "Wednesday", pd(2026, time.March, 24), "Tuesday"},
	{"Tier 3 - Supported Transfer QA Checks", stOnly, pd(2026, time.April, 15), "Wednesday", pd(2026, time.April, 28), "Tuesday"},
	{"Tier 3 - Supported Transfer QA Checks", stOnly, pd(2026, time.May, 20), "Wednesday", pd(2026, time.June, 9), "Tuesday"},
	{"Tier 2 - Flourish QA Checks and Approval for September start", []directory.Kind{directory.Flourish}, pd(2026, time.July, 14), "Wednesday", calendar.Date{}, ""},
}

// PublishedStarts2526 are the table's Tier 2 (Flourish) and Tier 3 (Refocus) start dates, each fed by
// the previous round that covers its programme.
var PublishedStarts2526 = []PublishedStart{
	{directory.Flourish, "September start", "", pd(2025, time.September, 15), "Monday", calendar.Date{}, "", 1, 0},
	{directory.Refocus, "Cohort 1", "10 weeks", pd(2025, time.October, 6), "Monday", pd(2025, time.December, 19), "Friday", 2, 1},
	{directory.Flourish, "January start", "", pd(2026, time.January, 12), "Monday", calendar.Date{}, "", 5, 4},
	{directory.Refocus, "Cohort 2", "10 weeks", pd(2026, time.January, 12), "Monday", pd(2026, time.March, 27), "Friday", 5, 4},
	{directory.Flourish, "April start", "", pd(2026, time.April, 27), "Monday", calendar.Date{}, "", 8, 7},
	{directory.Refocus, "Cohort 3", "10 weeks", pd(2026, time.April, 27), "Monday", pd(2026, time.July, 10), "Friday", 8, 7},
}

// loadPanels loads the 2025/26 panel calendar as published, then makes 2026/27's the way a CAP admin
// would: the rollover's copy, confirmed. Rows already there are kept as CAP left them.
func loadPanels(ctx context.Context, tx pgx.Tx, now time.Time, _ map[string]int64) error {
	if err := LoadPanels2526(ctx, tx, now); err != nil {
		return err
	}
	next := calendar.NextAcademicYearCode(PanelYear2526)
	rounds, _, err := panel.CopyYear(ctx, tx, PanelYear2526, next)
	if err != nil {
		return err
	}
	if rounds > 0 { // only a year this load drafted is confirmed, never a draft CAP is still checking
		if _, err := panel.ConfirmYear(ctx, tx, next); err != nil {
			return err
		}
	}
	return nil
}

// LoadPanels2526 loads the 2025/26 panel calendar exactly as published (the academic year must be
// there). It only adds what is missing. Refocus cohorts get the places of the directory's Refocus
// programme, when it is loaded.
func LoadPanels2526(ctx context.Context, tx pgx.Tx, now time.Time) error {
	roundIDs := map[int]int64{}
	for i, r := range PublishedRounds2526 {
		pos := i + 1
		var meeting, meetingWeekday any
		if !r.Meeting.IsZero() {
			meeting, meetingWeekday = r.Meeting, r.MeetingWeekday
		}
		if _, err := tx.Exec(ctx, `
			INSERT INTO panel_rounds (academic_year, position, items, kinds, referral_deadline, deadline_weekday_stated,
			                          headteacher_meeting, meeting_weekday_stated, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) ON CONFLICT (academic_year, position) DO NOTHING`,
			PanelYear2526, pos, r.Items, r.Kinds, r.Deadline, r.DeadlineWeekday, meeting, meetingWeekday, now); err != nil {
			return fmt.Errorf("seed panel round %d: %w", pos, err)
		}
		var id int64
		if err := tx.QueryRow(ctx, `SELECT id FROM panel_rounds WHERE academic_year = $1 AND position = $2`, PanelYear2526, pos).Scan(&id); err != nil {
			return fmt.Errorf("seed panel round %d: %w", pos, err)
		}
		roundIDs[pos] = id
	}
	// A Refocus cohort has the places the directory's Refocus programme offers.
	var refocusPlaces *int
	if err := tx.QueryRow(ctx, `SELECT capacity_per_cohort FROM programmes WHERE slug = 'capa-refocus'`).Scan(&refocusPlaces); err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return fmt.Errorf("seed panel starts: Refocus places: %w", err)
	}
	for _, s := range PublishedStarts2526 {
		var ends, endsWeekday, capacity, fedBy any
		if !s.Ends.IsZero() {
			ends, endsWeekday = s.Ends, s.EndsWeekday
		}
		if s.Kind == directory.Refocus && refocusPlaces != nil {
			capacity = *refocusPlaces
		}
		if s.FedBy != 0 {
			fedBy = roundIDs[s.FedBy]
		}
		if _, err := tx.Exec(ctx, `
			INSERT INTO panel_starts (programme_kind, academic_year, name, note, starts_on, starts_weekday_stated,
			                          ends_on, ends_weekday_stated, capacity, fed_by_round, listed_with_round, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) ON CONFLICT (academic_year, programme_kind, name) DO NOTHING`,
			s.Kind, PanelYear2526, s.Name, s.Note, s.Starts, s.StartsWeekday, ends, endsWeekday, capacity, fedBy, roundIDs[s.ListedWith], now); err != nil {
			return fmt.Errorf("seed panel start %s %s: %w", s.Kind, s.Name, err)
		}
	}
	return nil
}
