package e2e_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/placement/placementtest"
	"github.com/coventry-cap/capportal/internal/testapp"
)

const (
	monProvider    = "staff@ridgeway.provider.example"     // Craig Holloway
	monCoordinator = "coordinator@whitmore.school.example" // Hannah Okafor
	monOfficer     = "monitoring@cap.example"              // Dean Hargreaves
)

// Monday 23 November 2026, after the first day: Ridgeway's staff take the morning register with Tyler
// absent and no reason known; his school's coordinator is told the same day (in the portal, without
// his name) and finds the mark with its DfE code; the monitoring officer records an attendance meeting
// with two actions, one for the provider and one for the school. axe checks every page on the way.
func TestAnUnexplainedAbsenceIsSeenTheSameDayAndMetAbout(t *testing.T) {
	a := testapp.New(t)
	ctx := context.Background()
	day := calendar.NewDate(2026, time.November, 2)
	kai := placementtest.Create(t, a.Pool, placementtest.Spec{Student: "Kai", Provider: "ridgeway", Start: day, Days: []int32{1, 2}})
	tyler := placementtest.Create(t, a.Pool, placementtest.Spec{Student: "Tyler", Provider: "ridgeway", Start: day, Days: []int32{1}, Sessions: []string{"am"}})
	var craig, hannah int64
	if err := a.Pool.QueryRow(ctx, `SELECT (SELECT id FROM users WHERE email = $1), (SELECT id FROM users WHERE email = $2)`,
		monProvider, monCoordinator).Scan(&craig, &hannah); err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t)

	// The provider takes the morning register: Kai present, Tyler absent with no reason known.
	signIn(b, a.URL, monProvider)
	b.ClickAndWait(".govuk-service-navigation a[href='/registers']")
	b.ClickAndWait("[data-testid=registers] a[href$='/am']")
	b.SetChecked("#mark-"+strconv.FormatInt(kai, 10), true) // Present
	b.SetChecked("#mark-"+strconv.FormatInt(tyler, 10)+"-3", true)
	b.Select("#reason-"+strconv.FormatInt(tyler, 10), "unauthorised")
	b.Submit("[data-testid=register-form] button[type=submit]")
	if got := b.Text(".govuk-notification-banner"); !strings.Contains(got, "The morning register was saved: 2 marks") {
		t.Fatalf("after taking the register: %q (%q)", got, b.Text(".govuk-error-summary"))
	}
	signOut(b)

	// The alert is a job; the same day, the school's coordinator has it, with no name in it.
	var subject string
	deadline := time.Now().Add(20 * time.Second)
	for subject == "" && time.Now().Before(deadline) {
		_ = a.Pool.QueryRow(ctx, `SELECT subject FROM notifications WHERE user_id = $1 AND kind LIKE 'placement.%' ORDER BY id DESC LIMIT 1`, hannah).Scan(&subject)
		if subject == "" {
			time.Sleep(200 * time.Millisecond)
		}
	}
	if !strings.Contains(subject, "unexplained absence") || strings.Contains(subject, "Tyler") {
		t.Fatalf("the coordinator's alert: %q", subject)
	}
	signIn(b, a.URL, monCoordinator)
	if got := b.Text("main"); !strings.Contains(got, "Tyler Cooke") || !strings.Contains(strings.ToLower(got), "unexplained absence") {
		t.Errorf("the coordinator's dashboard does not show today's unexplained absence: %q", got)
	}
	b.ClickAndWait(".govuk-service-navigation a[href='/notifications']")
	if !strings.Contains(b.Text("main"), subject) {
		t.Errorf("the notifications page lacks %q", subject)
	}
	b.Visit(a.URL + "/placements/" + strconv.FormatInt(tyler, 10))
	if got := b.Text("[data-testid=marks]"); !strings.Contains(got, "Absent: Unauthorised") || !strings.Contains(got, "O") {
		t.Errorf("the school's view of the mark: %q", got)
	}
	signOut(b)

	// The monitoring officer records an attendance meeting with two actions.
	signIn(b, a.URL, monOfficer)
	b.Visit(a.URL + "/placements/" + strconv.FormatInt(tyler, 10) + "/meetings/new?kind=attendance")
	b.Fill("#held-day", "23")
	b.Fill("#held-month", "11")
	b.Fill("#held-year", "2026")
	b.Fill("#provider", "Craig Holloway")
	b.Fill("#school", "Hannah Okafor")
	b.SetChecked("#student", true)
	b.Fill("#parent", "Donna Cooke (mother)")
	b.Fill("#concerns", "Tyler missed the morning with no reason given")
	b.Fill("#action-1", "Ring home by 9:30 on any morning Tyler is not in")
	b.Select("#owner-1", strconv.FormatInt(craig, 10))
	b.Fill("#due-1-day", "30")
	b.Fill("#due-1-month", "11")
	b.Fill("#due-1-year", "2026")
	b.Fill("#action-2", "Check Tyler's attendance at school on his other days")
	b.Select("#owner-2", strconv.FormatInt(hannah, 10))
	b.Fill("#due-2-day", "27")
	b.Fill("#due-2-month", "11")
	b.Fill("#due-2-year", "2026")
	b.Submit("#main-content form[method=post] button[type=submit]:not([name])")
	if got := b.Text(".govuk-notification-banner"); !strings.Contains(got, "Attendance meeting of 23 November 2026 saved with 2 agreed actions") {
		t.Fatalf("after the meeting: %q (status %d, %q)", got, b.Status(), b.Text(".govuk-error-summary"))
	}
	if got := b.Text("[data-testid=meeting]"); !strings.Contains(got, "The CAP Monitoring Officer, during the meeting") {
		t.Errorf("the meeting record does not say who completed it: %q", got)
	}
	if got := b.Text("[data-testid=actions]"); !strings.Contains(got, "Ring home by 9:30") || !strings.Contains(got, "Check Tyler's attendance") {
		t.Errorf("the meeting's actions: %q", got)
	}
	signOut(b)

	// The school's action is on its coordinator's dashboard.
	signIn(b, a.URL, monCoordinator)
	if got := b.Text("main"); !strings.Contains(got, "Check Tyler's attendance at school on his other days") {
		t.Errorf("the coordinator's dashboard lacks their action: %q", got)
	}

}
