package ui_test

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/coventry-cap/capportal/internal/browsertest"
	"github.com/coventry-cap/capportal/internal/testapp"
)

// In a real browser, with axe checking every page it loads: the provider records a behaviour
// incident; the monitoring officer arranges a behaviour meeting from it, is told what is missing,
// records it with two actions and sees it saved; the provider's owner marks theirs done from the
// meeting page; the monitoring page lists it all. The review form is checked too.
func TestMonitoringPagesWorkInABrowserAndPassAxe(t *testing.T) {
	a, pl := monitoringApp(t)
	b := browsertest.New(t)
	if os.Getenv("CAP_SCREENSHOTS") == "" {
		b.ScreenshotDir = t.TempDir()
	}
	var craig, hannah string
	if err := a.Pool.QueryRow(context.Background(), `SELECT (SELECT id::text FROM users WHERE email = $1), (SELECT id::text FROM users WHERE email = $2)`,
		monRidgeway, monCoordinator).Scan(&craig, &hannah); err != nil {
		t.Fatal(err)
	}
	signIn := func(email string) {
		b.Visit(a.URL + "/login")
		b.Fill("#email", email)
		b.Fill("#password", testapp.Password)
		b.Submit("form[action='/login'] button")
	}
	save := "#main-content form[method=post] button[type=submit]:not([name])"

	signIn(monRidgeway)
	b.Visit(a.URL + pl + "/reviews/new")
	if !strings.Contains(b.Text("h1"), "Record a progress review") {
		t.Fatalf("review form heading %q", b.Text("h1"))
	}
	b.Visit(a.URL + pl + "/incidents/new")
	b.Fill("#when-day", "17")
	b.Fill("#when-month", "11")
	b.Fill("#when-year", "2026")
	b.Fill("#time", "2:30pm")
	b.Fill("#what", "Threw a spanner across the workshop")
	b.Fill("#action", "Removed from the workshop for the afternoon")
	b.Fill("#cpoms", "CP-48213")
	b.Submit(save)
	if !strings.Contains(b.Text(".govuk-notification-banner"), "Behaviour incident of 17 November 2026 at 2:30pm saved") {
		t.Fatalf("banner after the incident: %q", b.Text(".govuk-notification-banner"))
	}
	b.Submit("[data-testid=sign-out]")

	signIn(monOfficer)
	b.Visit(a.URL + pl + "/monitoring")
	b.ClickAndWait("[data-testid=incidents] a.govuk-button")
	if !strings.Contains(b.Text("h1"), "Record a behaviour meeting") || !strings.Contains(b.Value("#concerns"), "Threw a spanner") {
		t.Fatalf("meeting form %q, concerns %q", b.Text("h1"), b.Value("#concerns"))
	}
	b.Screenshot("meeting-form")
	b.Fill("#action-1", "Agree a workshop safety contract with Kai")
	b.Submit(save)
	if b.Status() != 422 || !strings.Contains(b.Text(".govuk-error-summary"), "Enter the date of the meeting") ||
		!strings.Contains(b.Text(".govuk-error-summary"), "Choose who owns action 1") {
		t.Fatalf("status %d, error summary %q", b.Status(), b.Text(".govuk-error-summary"))
	}
	b.Fill("#held-day", "20")
	b.Fill("#held-month", "11")
	b.Fill("#held-year", "2026")
	b.Fill("#provider", "Craig Holloway")
	b.Fill("#school", "Hannah Okafor")
	b.SetChecked("#student", true)
	b.Fill("#parent", "Tanya Brown (mother)")
	b.Select("#owner-1", craig)
	b.Fill("#due-1-day", "27")
	b.Fill("#due-1-month", "11")
	b.Fill("#due-1-year", "2026")
	b.Fill("#action-2", "Share the contract with home")
	b.Select("#owner-2", hannah)
	b.Fill("#due-2-day", "30")
	b.Fill("#due-2-month", "11")
	b.Fill("#due-2-year", "2026")
	b.Submit(save)
	if !strings.Contains(b.Text(".govuk-notification-banner"), "Behaviour meeting of 20 November 2026 saved with 2 agreed actions") {
		t.Fatalf("banner after the meeting: %q (status %d, %q)", b.Text(".govuk-notification-banner"), b.Status(), b.Text(".govuk-error-summary"))
	}
	if got := b.Text("[data-testid=meeting]"); !strings.Contains(got, "The CAP Monitoring Officer, during the meeting") || !strings.Contains(got, "Dean Hargreaves") {
		t.Errorf("meeting shows %q", got)
	}
	b.Screenshot("meeting")
	meeting := b.URL()
	b.Submit("[data-testid=sign-out]")

	signIn(monRidgeway)
	b.Visit(meeting)
	b.Submit("[data-testid=actions] form button")
	if !strings.Contains(b.Text(".govuk-notification-banner"), "Action marked as done") || !strings.Contains(b.Text("[data-testid=actions]"), "Done on 23 November 2026") {
		t.Errorf("after marking done: %q, %q", b.Text(".govuk-notification-banner"), b.Text("[data-testid=actions]"))
	}
	b.Visit(a.URL + pl + "/monitoring")
	if got := b.Text("[data-testid=meetings]"); !strings.Contains(got, "Behaviour meeting on 20 November 2026") || !strings.Contains(got, "1 open of 2") {
		t.Errorf("meetings on the monitoring page: %q", got)
	}
	if got := b.Text("[data-testid=incidents]"); !strings.Contains(got, "See the behaviour meeting about it") {
		t.Errorf("incident after its meeting: %q", got)
	}
	b.Screenshot("monitoring")
}
