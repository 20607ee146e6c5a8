package rollover_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/db"
	"github.com/coventry-cap/capportal/internal/db/dbtest"
	"github.com/coventry-cap/capportal/internal/panel"
	"github.com/coventry-cap/capportal/internal/rollover"
	"github.com/coventry-cap/capportal/internal/seed"
)

// A portal holding only 2025/26, with its panel calendar as published, is rolled into 2026/27: every
// round and start moves to the same weekday, as a draft, until a CAP admin confirms it.
func TestRolloverCopiesThePanelCalendarAsADraftOnTheSameWeekdays(t *testing.T) {
	pool, _ := dbtest.New(t)
	ctx := context.Background()
	now := time.Date(2026, time.July, 20, 9, 0, 0, 0, time.UTC)
	y, _ := calendar.LookupAcademicYear("2025/26")
	err := db.InTx(ctx, pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO academic_years (code, starts_on, ends_on) VALUES ($1, $2, $3)`, y.Code, y.Start, y.End); err != nil {
			return err
		}
		for _, tm := range y.Terms {
			if _, err := tx.Exec(ctx, `INSERT INTO terms (academic_year, name, starts_on, ends_on, half_term_start, half_term_end) VALUES ($1, $2, $3, $4, $5, $6)`,
				y.Code, tm.Name, tm.Start, tm.End, tm.HalfTermStart, tm.HalfTermEnd); err != nil {
				return err
			}
		}
		if err := seed.LoadPanels2526(ctx, tx, now); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `UPDATE panel_starts SET capacity = 25 WHERE programme_kind = 'refocus'`)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	actor := rollover.Actor{Email: "admin@cap.example"}
	for i := 0; i < 2; i++ { // a second copy adds nothing
		sum, err := rollover.On(pool).Copy(ctx, now, actor, "2025/26")
		if err != nil {
			t.Fatal(err)
		}
		wantRounds, wantStarts := 10, 6
		if i == 1 {
			wantRounds, wantStarts = 0, 0
		}
		if sum.Rounds != wantRounds || sum.Starts != wantStarts {
			t.Errorf("copy %d: %d rounds, %d starts; want %d, %d", i+1, sum.Rounds, sum.Starts, wantRounds, wantStarts)
		}
	}
	from, _ := panel.On(pool).Rounds(ctx, "2025/26")
	to, err := panel.On(pool).Rounds(ctx, "2026/27")
	if err != nil || len(to) != len(from) {
		t.Fatalf("copied %d rounds of %d: %v", len(to), len(from), err)
	}
	for i, r := range to {
		f := from[i]
		if !r.Draft || r.Deadline != calendar.SameWeekdayNextYear(f.Deadline) || r.Deadline.Weekday() != f.Deadline.Weekday() ||
			r.DeadlineWeekday != f.DeadlineWeekday || r.Items != f.Items || len(r.Kinds) != len(f.Kinds) {
			t.Errorf("round %d copied as %+v from %+v", f.Position, r, f)
		}
		if f.Meeting.IsZero() != r.Meeting.IsZero() || (!f.Meeting.IsZero() && r.Meeting != calendar.SameWeekdayNextYear(f.Meeting)) {
			t.Errorf("round %d meeting %s from %s", f.Position, r.Meeting, f.Meeting)
		}
	}
	if to[0].Deadline != calendar.NewDate(2026, time.September, 16) {
		t.Errorf("round 1 of 2026/27: %s, want Wednesday 16 September 2026", to[0].Deadline)
	}
	// The uncorrected weekday of round 10 is carried into the copy, still shown as a mismatch.
	if m := panel.Mismatches(to, nil); len(m) != 1 || m[0] != "Round 10: the referral deadline is given as Wednesday 13 July 2027, but 13 July 2027 is a Tuesday." {
		t.Errorf("mismatches in the copy: %q", m)
	}
	// Drafts take no referrals.
	if r, _, err := panel.On(pool).NextRound(ctx, "supported_transfer", calendar.NewDate(2026, time.September, 1)); err == nil {
		t.Errorf("a draft round took a referral: %s", r.Label())
	}
	starts, _ := panel.On(pool).Starts(ctx, "2026/27")
	byID := map[int64]panel.Round{}
	for _, r := range append(from, to...) {
		byID[r.ID] = r
	}
	want := map[string]struct {
		starts   calendar.Date
		capacity int
		fedBy    string // year and position of the feeding round
	}{
		"flourish September start": {calendar.NewDate(2026, time.September, 21), 0, "2025/26 10"},
		"refocus Cohort 1":         {calendar.NewDate(2026, time.October, 5), 25, "2026/27 1"},
		"flourish January start":   {calendar.NewDate(2027, time.January, 11), 0, "2026/27 4"},
		"refocus Cohort 2":         {calendar.NewDate(2027, time.January, 11), 25, "2026/27 4"},
		"flourish April start":     {calendar.NewDate(2027, time.April, 26), 0, "2026/27 7"},
		"refocus Cohort 3":         {calendar.NewDate(2027, time.April, 26), 25, "2026/27 7"},
	}
	if len(starts) != len(want) {
		t.Fatalf("%d starts copied, want %d", len(starts), len(want))
	}
	for _, s := range starts {
		w, ok := want[string(s.Kind)+" "+s.Name]
		fed := byID[s.FedBy]
		if !ok || !s.Draft || s.Starts != w.starts || s.Starts.Weekday() != time.Monday || s.Capacity != w.capacity ||
			fed.AcademicYear+" "+itoa(fed.Position) != w.fedBy {
			t.Errorf("%s: %s, capacity %d, fed by %s %d, draft %v; want %+v", s.Title(), s.Starts, s.Capacity, fed.AcademicYear, fed.Position, s.Draft, w)
		}
	}

	if _, err := rollover.On(pool).Confirm(ctx, now, actor, "2026/27"); err != nil {
		t.Fatal(err)
	}
	to, _ = panel.On(pool).Rounds(ctx, "2026/27")
	starts, _ = panel.On(pool).Starts(ctx, "2026/27")
	for _, r := range to {
		if r.Draft {
			t.Errorf("round %d still a draft after confirming", r.Position)
		}
	}
	for _, s := range starts {
		if s.Draft {
			t.Errorf("%s still a draft after confirming", s.Title())
		}
	}
	if r, _, err := panel.On(pool).NextRound(ctx, "supported_transfer", calendar.NewDate(2026, time.September, 1)); err != nil || r.Deadline != calendar.NewDate(2026, time.September, 16) {
		t.Errorf("after confirming: %s, %v", r.Label(), err)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
