package panel_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/db"
	"github.com/coventry-cap/capportal/internal/db/dbtest"
	"github.com/coventry-cap/capportal/internal/directory"
	"github.com/coventry-cap/capportal/internal/panel"
	"github.com/coventry-cap/capportal/internal/seed"
)

// demo is a database with the demo data: the 2025/26 calendar as published and 2026/27 rolled over.
func demo(t *testing.T) *pgxpool.Pool {
	t.Helper()
	pool, _ := dbtest.New(t)
	clock := calendar.NewFixed(time.Date(2026, time.November, 23, 9, 30, 0, 0, calendar.London()))
	if _, err := seed.LoadDemo(context.Background(), pool, clock, "demo-password-1"); err != nil {
		t.Fatal(err)
	}
	return pool
}

func iso(t *testing.T, s string) calendar.Date {
	t.Helper()
	if s == "" {
		return calendar.Date{}
	}
	d, err := calendar.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// The published table, typed out again from the reference pack rather than read from the seed.
func TestThe2025To26CalendarMatchesThePublishedTableDateForDate(t *testing.T) {
	pool := demo(t)
	ctx := context.Background()
	rounds, err := panel.On(pool).Rounds(ctx, "2025/26")
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		deadline, deadlineDay, meeting, meetingDay string
		kinds                                      []directory.Kind
	}{
		{"2025-09-17", "Wednesday", "2025-09-30", "Tuesday", []directory.Kind{"refocus", "focus11", "supported_transfer"}},
		{"2025-10-08", "Wednesday", "2025-10-21", "Tuesday", []directory.Kind{"supported_transfer"}},
		{"2025-11-12", "Wednesday", "2025-11-25", "Tuesday", []directory.Kind{"supported_transfer"}},
		{"2025-12-03", "Wednesday", "2025-12-16", "Tuesday", []directory.Kind{"flourish", "refocus", "focus11", "supported_transfer"}},
		{"2026-01-14", "Wednesday", "2026-01-27", "Tuesday", []directory.Kind{"supported_transfer"}},
		{"2026-02-04", "Wednesday", "2026-02-24", "Tuesday", []directory.Kind{"supported_transfer"}},
		{"2026-03-11", "Wednesday", "2026-03-24", "Tuesday", []directory.Kind{"flourish", "refocus", "supported_transfer"}},
		{"2026-04-15", "Wednesday", "2026-04-28", "Tuesday", []directory.Kind{"supported_transfer"}},
		{"2026-05-20", "Wednesday", "2026-06-09", "Tuesday", []directory.Kind{"supported_transfer"}},
		{"2026-07-14", "Wednesday", "", "", []directory.Kind{"flourish"}},
	}
	if len(rounds) != len(want) {
		t.Fatalf("%d rounds, want %d", len(rounds), len(want))
	}
	for i, w := range want {
		r := rounds[i]
		if r.Position != i+1 || r.Draft || r.Deadline != iso(t, w.deadline) || r.DeadlineWeekday != w.deadlineDay ||
			r.Meeting != iso(t, w.meeting) || r.MeetingWeekday != w.meetingDay {
			t.Errorf("row %d: %+v, want %+v", i+1, r, w)
		}
		got := slices.Sorted(slices.Values(r.Kinds))
		if !slices.Equal(got, slices.Sorted(slices.Values(w.kinds))) {
			t.Errorf("row %d covers %v, want %v", i+1, r.Kinds, w.kinds)
		}
	}
	if !strings.Contains(rounds[9].Items, "Flourish QA Checks and Approval for September start") {
		t.Errorf("row 10 items %q", rounds[9].Items)
	}
	starts, err := panel.On(pool).Starts(ctx, "2025/26")
	if err != nil {
		t.Fatal(err)
	}
	type start struct {
		kind, name, starts, ends string
		capacity, listedWith     int
		fedBy                    int // position of the feeding round; 0 for July 2025
	}
	wantStarts := []start{
		{"flourish", "September start", "2025-09-15", "", 0, 1, 0},
		{"refocus", "Cohort 1", "2025-10-06", "2025-12-19", 25, 2, 1},
		{"flourish", "January start", "2026-01-12", "", 0, 5, 4},
		{"refocus", "Cohort 2", "2026-01-12", "2026-03-27", 25, 5, 4},
		{"flourish", "April start", "2026-04-27", "", 0, 8, 7},
		{"refocus", "Cohort 3", "2026-04-27", "2026-07-10", 25, 8, 7},
	}
	position := map[int64]int{}
	for _, r := range rounds {
		position[r.ID] = r.Position
	}
	var gotStarts []start
	for _, s := range starts {
		gotStarts = append(gotStarts, start{string(s.Kind), s.Name, s.Starts.String(), "", s.Capacity, position[s.ListedWith], position[s.FedBy]})
		if !s.Ends.IsZero() {
			gotStarts[len(gotStarts)-1].ends = s.Ends.String()
		}
		if s.Draft || s.Starts.Weekday() != time.Monday || s.StartsWeekday != "Monday" || (!s.Ends.IsZero() && s.EndsWeekday != "Friday") {
			t.Errorf("%s: weekdays %s/%s, draft %v", s.Title(), s.StartsWeekday, s.EndsWeekday, s.Draft)
		}
	}
	if !slices.Equal(gotStarts, wantStarts) {
		t.Errorf("starts\n got %v\nwant %v", gotStarts, wantStarts)
	}
}

func TestOnlyRound10sWeekdayDisagreesWithItsDate(t *testing.T) {
	pool := demo(t)
	ctx := context.Background()
	rounds, err := panel.On(pool).Rounds(ctx, "2025/26")
	if err != nil {
		t.Fatal(err)
	}
	starts, err := panel.On(pool).Starts(ctx, "2025/26")
	if err != nil {
		t.Fatal(err)
	}
	got := panel.Mismatches(rounds, starts)
	want := []string{"Round 10: the referral deadline is given as Wednesday 14 July 2026, but 14 July 2026 is a Tuesday."}
	if !slices.Equal(got, want) {
		t.Errorf("mismatches %q, want %q", got, want)
	}
	// Nothing is silently corrected: the date and the stated weekday are both still as printed.
	if r := rounds[9]; r.Deadline != calendar.NewDate(2026, time.July, 14) || r.DeadlineWeekday != "Wednesday" {
		t.Errorf("round 10 stored as %s %s", r.DeadlineWeekday, r.Deadline)
	}
}

func TestMismatchesWordsMeetingsAndCohortsToo(t *testing.T) {
	rounds := []panel.Round{{Position: 3, Deadline: calendar.NewDate(2025, time.November, 12), DeadlineWeekday: "Wednesday",
		Meeting: calendar.NewDate(2025, time.November, 25), MeetingWeekday: "Monday"}}
	starts := []panel.Start{{Kind: "refocus", Name: "Cohort 1", Starts: calendar.NewDate(2025, time.October, 6), StartsWeekday: "Monday",
		Ends: calendar.NewDate(2025, time.December, 19), EndsWeekday: "Thursday"}}
	want := []string{
		"Round 3: the Headteacher Placement Meeting is given as Monday 25 November 2025, but 25 November 2025 is a Tuesday.",
		"Refocus Cohort 1: the end is given as Thursday 19 December 2025, but 19 December 2025 is a Friday.",
	}
	if got := panel.Mismatches(rounds, starts); !slices.Equal(got, want) {
		t.Errorf("got %q\nwant %q", got, want)
	}
}

func TestNextRoundOnJustBeforeAndJustAfterADeadlineAndByKind(t *testing.T) {
	pool := demo(t)
	ctx := context.Background()
	cases := []struct {
		name, kind, submitted, wantDeadline string
		late                                bool
	}{
		{"the day before the deadline", "supported_transfer", "2025-12-02", "2025-12-03", false},
		{"on the deadline day", "supported_transfer", "2025-12-03", "2025-12-03", false},
		{"the day after the deadline", "supported_transfer", "2025-12-04", "2026-01-14", true},
		{"Flourish the day after the December round", "flourish", "2025-12-04", "2026-03-11", true},
		{"Flourish on the December deadline", "flourish", "2025-12-03", "2025-12-03", false},
		{"Refocus between rounds", "refocus", "2025-09-18", "2025-12-03", true},
		{"Refocus before the first round", "refocus", "2025-09-01", "2025-09-17", false},
		{"Focus 11 in its window", "focus11", "2025-11-20", "2025-12-03", false},
		{"Refocus two weeks after a deadline", "refocus", "2025-10-01", "2025-12-03", true},
		{"Refocus three weeks after a deadline", "refocus", "2025-10-08", "2025-12-03", false},
		{"Flourish after the July round goes to next year's", "flourish", "2026-07-15", "2026-12-02", true},
	}
	for _, tc := range cases {
		r, late, err := panel.On(pool).NextRound(ctx, directory.Kind(tc.kind), iso(t, tc.submitted))
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if r.Deadline != iso(t, tc.wantDeadline) || !r.Covers(directory.Kind(tc.kind)) {
			t.Errorf("%s: round %d with deadline %s, want %s", tc.name, r.Position, r.Deadline, tc.wantDeadline)
		}
		if (len(late) > 0) != tc.late {
			t.Errorf("%s: late %q, want late %v", tc.name, late, tc.late)
		}
	}
	_, late, _ := panel.On(pool).NextRound(ctx, "flourish", calendar.NewDate(2025, time.December, 4))
	want := "The referral deadline for the Flourish panels was Wednesday 3 December 2025, so this referral goes to the round with the deadline Wednesday 11 March 2026."
	if len(late) != 1 || late[0] != want {
		t.Errorf("late %q, want %q", late, want)
	}
	// Focus 11 runs in the autumn term of 2025/26 only: no round takes it after December 2025 in that year.
	r, _, err := panel.On(pool).NextRound(ctx, "focus11", calendar.NewDate(2025, time.December, 4))
	switch {
	case err != nil && !errors.Is(err, panel.ErrNoRound):
		t.Fatalf("Focus 11 after its window: %v", err)
	case err == nil && r.AcademicYear == "2025/26":
		t.Errorf("Focus 11 after its window went to %s", r.Label())
	}
	if _, _, err := panel.On(pool).NextRound(ctx, "supported_transfer", calendar.NewDate(2030, time.January, 1)); !errors.Is(err, panel.ErrNoRound) {
		t.Errorf("beyond the calendar: %v, want ErrNoRound", err)
	}
}

func TestEditingRound10ClearsItsMismatchAndIsAudited(t *testing.T) {
	pool := demo(t)
	ctx := context.Background()
	rounds, err := panel.On(pool).Rounds(ctx, "2025/26")
	if err != nil {
		t.Fatal(err)
	}
	r10 := rounds[9]
	now := time.Date(2026, time.June, 1, 10, 0, 0, 0, time.UTC)
	actor := panel.Actor{Email: "admin@cap.example", RequestID: "req-1"}
	// The meeting may not come before the deadline, and the deadline must be in the round's year.
	if _, err := panel.On(pool).UpdateRound(ctx, now, actor, r10.ID, panel.Dates{Deadline: calendar.NewDate(2026, time.July, 15), Meeting: calendar.NewDate(2026, time.July, 1)}); !errors.Is(err, panel.ErrMeetingBeforeDeadline) {
		t.Errorf("meeting before deadline: %v", err)
	}
	if _, err := panel.On(pool).UpdateRound(ctx, now, actor, r10.ID, panel.Dates{Deadline: calendar.NewDate(2026, time.September, 2)}); !errors.Is(err, panel.ErrDeadlineOutsideYear) {
		t.Errorf("deadline in the next year: %v", err)
	}
	if _, err := panel.On(pool).UpdateRound(ctx, now, actor, 999999, panel.Dates{Deadline: calendar.NewDate(2026, time.July, 15)}); !errors.Is(err, db.ErrNotFound) {
		t.Errorf("unknown round: %v", err)
	}
	got, err := panel.On(pool).UpdateRound(ctx, now, actor, r10.ID, panel.Dates{Deadline: calendar.NewDate(2026, time.July, 15)})
	if err != nil {
		t.Fatal(err)
	}
	if got.Deadline != calendar.NewDate(2026, time.July, 15) || got.DeadlineWeekday != "Wednesday" || !got.Meeting.IsZero() {
		t.Errorf("after the edit: %+v", got)
	}
	rounds, _ = panel.On(pool).Rounds(ctx, "2025/26")
	if m := panel.Mismatches(rounds, nil); len(m) != 0 {
		t.Errorf("mismatches after the correction: %q", m)
	}
	var summary string
	if err := pool.QueryRow(ctx, `SELECT summary FROM audit_log WHERE action = 'panel.round_changed' AND subject_id = $1`, fmt.Sprint(r10.ID)).Scan(&summary); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(summary, "Wednesday 14 July 2026 → Wednesday 15 July 2026") {
		t.Errorf("audit summary %q", summary)
	}
}
