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
		"placement_active,headteacher_panel,review_panel,submitted"
	if got := strings.Join(steps, ","); got != want {
		t.Fatalf("steps = %s, want %s", got, want)
	}
	// The demo's acceptances follow the rules a provider's form enforces.
	rows, err = pool.Query(ctx, `SELECT a.start_date, a.days, p.name, p.days_offered FROM application_responses a
		JOIN referrals r ON r.id = a.referral_id JOIN programmes p ON p.id = r.programme_id WHERE a.decision = 'accept'`)
	if err != nil {
		t.Fatal(err)
	}
	type accepted struct {
		Start      calendar.Date
		Days, Runs []int32
		Name       string
	}
	list, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (accepted, error) {
		var a accepted
		err := row.Scan(&a.Start, &a.Days, &a.Name, &a.Runs)
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
		problems, err := referral.On(pool).CheckAcceptance(ctx, calendar.DateOf(clock.Now()), a.Start, weekdays(a.Days), a.Name, weekdays(a.Runs))
		if err != nil || len(problems) > 0 {
			t.Errorf("demo acceptance for %s starting %s: %v %v", a.Name, a.Start.Format(), problems, err)
		}
	}
	if again, err := LoadDemoReferrals(ctx, pool, clock); err != nil || again != 0 {
		t.Fatalf("second load added %d: %v", again, err)
	}
}
