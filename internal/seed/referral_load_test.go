package seed

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/db/dbtest"
)

func TestDemoReferralsWalkThePathwayOnce(t *testing.T) {
	pool, _ := dbtest.New(t)
	ctx := context.Background()
	clock := calendar.NewFixed(time.Date(2026, time.November, 23, 9, 30, 0, 0, calendar.London()))
	if _, err := LoadDemo(ctx, pool, clock, "demo-password-1"); err != nil {
		t.Fatal(err)
	}
	n, err := LoadDemoReferrals(ctx, pool, clock)
	if err != nil || n != len(demoReferrals) {
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
	want := "placement_active,pack_sent,response_received,exploring_alternatives,submitted,draft"
	if got := strings.Join(steps, ","); got != want {
		t.Fatalf("steps = %s, want %s", got, want)
	}
	if again, err := LoadDemoReferrals(ctx, pool, clock); err != nil || again != 0 {
		t.Fatalf("second load added %d: %v", again, err)
	}
}
