package seed

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/db/dbtest"
	"github.com/coventry-cap/capportal/internal/referral"
)

func TestDemoReferralsWalkThePathwayOnce(t *testing.T) {
	pool, _ := dbtest.New(t)
	ctx := context.Background()
	clock := calendar.NewFixed(time.Date(2026, time.November, 23, 9, 30, 0, 0, calendar.London()))
	if _, err := LoadDemo(ctx, pool, clock, "demo-password-1"); err != nil {
		t.Fatal(err)
	}
	n, err := LoadDemoReferrals(ctx, pool, clock)
	if err != nil || n != len(demoReferrals)+4 {
		t.Fatalf("loaded %d referrals: %v", n, err)
	}
	rows, err := pool.Query(ctx, `SELECT step FROM referrals ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	steps, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	// The Tier 1 referrals, then the panel cases of 2026/27: a Refocus student placed in Cohort 1, a
	// Supported Transfer waiting for the Headteacher Placement Meeting, a Flourish case on round 4's
	// agenda and a Refocus application for CAP to check.
	want := "placement_active,pack_sent,response_received,exploring_alternatives,submitted,draft," +
		"placement_active,placement_active,placement_active," +
		"placement_active,headteacher_panel,review_panel,submitted"
	if got := strings.Join(steps, ","); got != want {
		t.Fatalf("steps = %s, want %s", got, want)
	}
	// The demo's acceptances follow the rules a provider's form enforces.
	// (each on the day it was given: some were walked weeks ago, so their placements have registers).
	rows, err = pool.Query(ctx, `SELECT a.start_date, a.days, p.name, p.days_offered, a.submitted_at FROM application_responses a
		JOIN referrals r ON r.id = a.referral_id JOIN programmes p ON p.id = r.programme_id WHERE a.decision = 'accept'`)
	if err != nil {
		t.Fatal(err)
	}
	type accepted struct {
		Start      calendar.Date
		Days, Runs []int32
		Name       string
		Given      time.Time
	}
	list, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (accepted, error) {
		var a accepted
		err := row.Scan(&a.Start, &a.Days, &a.Name, &a.Runs, &a.Given)
		return a, err
	})
	if err != nil || len(list) == 0 {
		t.Fatalf("accepted responses: %d, %v", len(list), err)
	}
	weekdays := func(ds []int32) []time.Weekday {
		out := make([]time.Weekday, len(ds))
		for i, d := range ds {
			out[i] = time.Weekday(d % 7)
		}
		return out
	}
	for _, a := range list {
		problems, err := referral.On(pool).CheckAcceptance(ctx, calendar.DateOf(a.Given), a.Start, weekdays(a.Days), a.Name, weekdays(a.Runs))
		if err != nil || len(problems) > 0 {
			t.Errorf("demo acceptance for %s starting %s: %v %v", a.Name, a.Start.Format(), problems, err)
		}
	}
	if again, err := LoadDemoReferrals(ctx, pool, clock); err != nil || again != 0 {
		t.Fatalf("second load added %d: %v", again, err)
	}
}

// The demo's registers run from each placement's first day to the last school day before today:
// today's are left to take, one past afternoon at Ridgeway was never taken, the last morning has
// one unexplained absence, and one earlier one was corrected to illness, keeping the original.
func TestDemoRegistersRunUpToYesterdayWithOneCorrectionAndOneUnexplainedAbsence(t *testing.T) {
	pool, _ := dbtest.New(t)
	ctx := context.Background()
	clock := calendar.NewFixed(time.Date(2026, time.November, 23, 9, 30, 0, 0, calendar.London()))
	if _, err := LoadDemo(ctx, pool, clock, "demo-password-1"); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadDemoReferrals(ctx, pool, clock); err != nil {
		t.Fatal(err)
	}
	count := func(sql string, args ...any) int {
		t.Helper()
		var n int
		if err := pool.QueryRow(ctx, sql, args...).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := count(`SELECT count(*) FROM attendance_marks m JOIN placements p ON p.id = m.placement_id JOIN organisations o ON o.id = p.provider_id
		WHERE o.slug = 'ridgeway'`); n < 30 {
		t.Errorf("%d marks at Ridgeway: want a few weeks' worth", n)
	}
	if n := count(`SELECT count(*) FROM attendance_marks m JOIN placements p ON p.id = m.placement_id JOIN organisations o ON o.id = p.provider_id
		WHERE o.slug = 'capa'`); n == 0 {
		t.Error("no marks for the Refocus placement at the Academy")
	}
	if n := count(`SELECT count(*) FROM attendance_marks WHERE on_date >= '2026-11-23'`); n != 0 {
		t.Errorf("%d marks today or later", n)
	}
	if n := count(`SELECT count(*) FROM attendance_marks WHERE absence_reason = 'unauthorised'`); n != 1 {
		t.Errorf("%d unexplained absences, want 1", n)
	}
	if n := count(`SELECT count(*) FROM attendance_marks WHERE absence_reason = 'unauthorised' AND on_date =
		(SELECT max(g.on_date) FROM registers g JOIN organisations o ON o.id = g.provider_id WHERE o.slug = 'ridgeway')`); n != 1 {
		t.Errorf("the unexplained absence is not in Ridgeway's latest register (%d)", n)
	}
	if n := count(`SELECT count(*) FROM attendance_mark_history h JOIN attendance_marks m ON m.id = h.mark_id
		WHERE h.absence_reason = 'unauthorised' AND m.absence_reason = 'illness' AND m.version = 2`); n != 1 {
		t.Errorf("%d corrections, want 1", n)
	}
	// A Ridgeway register expected but not taken: an afternoon with learners and no register.
	var ridgeway int64
	if err := pool.QueryRow(ctx, `SELECT id FROM organisations WHERE slug = 'ridgeway'`).Scan(&ridgeway); err != nil {
		t.Fatal(err)
	}
	if n := count(`SELECT count(*) FROM registers WHERE provider_id = $1 AND session = 'am'`, ridgeway); count(`SELECT count(*) FROM registers WHERE provider_id = $1 AND session = 'pm'`, ridgeway) != n-1 {
		t.Errorf("Ridgeway's afternoon registers: want one fewer than its %d mornings", n)
	}
}
