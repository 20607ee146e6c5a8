package ui_test

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/coventry-cap/capportal/internal/browsertest"
	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/placement"
	"github.com/coventry-cap/capportal/internal/placement/placementtest"
	"github.com/coventry-cap/capportal/internal/testapp"
)

// The monitoring dashboards with every list filled, in a real browser with axe: the monitoring
// officer's (a missing register, an absence, low attendance, an overdue review, an overdue action),
// the provider's registers, and the coordinator's absences.
func TestTheMonitoringDashboardsPassAxe(t *testing.T) {
	a := testapp.New(t)
	ctx := context.Background()
	monday := calendar.NewDate(2026, time.November, 23)
	kai := placementtest.Create(t, a.Pool, placementtest.Spec{Student: "Kai", Provider: "ridgeway", Start: calendar.NewDate(2026, time.October, 5), Days: []int32{1}})
	placementtest.Create(t, a.Pool, placementtest.Spec{Student: "Tyler", Provider: "lumen", Start: calendar.NewDate(2026, time.November, 16), Days: []int32{1}, Sessions: []string{"am"}})
	monTake(t, a, "staff@ridgeway.provider.example", "ridgeway", monday, placement.Morning,
		map[int64]placement.MarkInput{kai: {Status: placement.Absent, Reason: placement.Unauthorised}})
	var officer, meeting int64
	if err := a.Pool.QueryRow(ctx, `SELECT id FROM users WHERE email = 'monitoring@cap.example'`).Scan(&officer); err != nil {
		t.Fatal(err)
	}
	if err := a.Pool.QueryRow(ctx, `INSERT INTO monitoring_meetings (placement_id, kind, held_on, completed_by, concerns, recorded_at, recorded_by)
		VALUES ($1, 'attendance', '2026-11-16', 'monitoring_officer', 'Absences on Mondays', now(), $2) RETURNING id`, kai, officer).Scan(&meeting); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Pool.Exec(ctx, `INSERT INTO meeting_actions (meeting_id, action, owner_id, due_on) VALUES ($1, 'Ring the family', $2, '2026-11-20')`, meeting, officer); err != nil {
		t.Fatal(err)
	}
	a.Clock.Set(time.Date(2026, time.November, 23, 10, 30, 0, 0, calendar.London()))
	for _, c := range []struct{ email, shot, want string }{
		{"monitoring@cap.example", "dashboard-monitoring-officer", "Registers missing today"},
		{"staff@ridgeway.provider.example", "dashboard-provider-registers", "Today’s registers at Ridgeway Motor Skills"},
		{"coordinator@whitmore.school.example", "dashboard-coordinator-absences", "Your students’ unexplained absences today"},
	} {
		b := browsertest.New(t)
		if os.Getenv("CAP_SCREENSHOTS") == "" {
			b.ScreenshotDir = t.TempDir()
		}
		b.Visit(a.URL + "/login")
		b.Fill("#email", c.email)
		b.Fill("#password", testapp.Password)
		b.Submit("form[action='/login'] button")
		if got := b.Text("main"); !strings.Contains(got, c.want) {
			t.Errorf("%s: %q", c.email, got)
		}
		b.Screenshot(c.shot)
	}
}
