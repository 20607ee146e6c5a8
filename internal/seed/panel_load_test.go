package seed

import (
	"context"
	"testing"
	"time"

	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/db/dbtest"
)

// The demo holds 2025/26's ten rounds and six starts as published and 2026/27's rolled-over copy,
// confirmed; a second load adds nothing and keeps a CAP admin's correction.
func TestDemoPanelCalendarLoadsOnceAndKeepsCorrections(t *testing.T) {
	pool, _ := dbtest.New(t)
	ctx := context.Background()
	clock := calendar.NewFixed(time.Date(2026, time.November, 23, 9, 30, 0, 0, calendar.London()))
	if _, err := LoadDemo(ctx, pool, clock, "demo-password-1"); err != nil {
		t.Fatal(err)
	}
	if _, err := pool.Exec(ctx, `UPDATE panel_rounds SET referral_deadline = '2026-07-15' WHERE academic_year = '2025/26' AND position = 10`); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadDemo(ctx, pool, clock, "demo-password-1"); err != nil {
		t.Fatal(err)
	}
	var rounds, drafts, starts int
	var r10 calendar.Date
	if err := pool.QueryRow(ctx, `SELECT count(*), count(*) FILTER (WHERE draft),
		(SELECT count(*) FROM panel_starts), max(referral_deadline) FILTER (WHERE academic_year = '2025/26')
		FROM panel_rounds`).Scan(&rounds, &drafts, &starts, &r10); err != nil {
		t.Fatal(err)
	}
	if rounds != 20 || drafts != 0 || starts != 12 || r10 != calendar.NewDate(2026, time.July, 15) {
		t.Errorf("%d rounds (%d drafts), %d starts, round 10 of 2025/26 on %s; want 20, 0, 12, 2026-07-15", rounds, drafts, starts, r10)
	}
}
