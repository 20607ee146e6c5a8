package ui_test

import (
	"context"
	"strings"
	"testing"

	"github.com/coventry-cap/capportal/internal/browsertest"
	"github.com/coventry-cap/capportal/internal/seed"
	"github.com/coventry-cap/capportal/internal/testapp"
	"github.com/coventry-cap/capportal/internal/ui"
)

// browserStepUp stands in for confirming a second-factor code (the confirmation page is issue 13's
// other half): the test-only route records a confirmation in this browser's session.
func browserStepUp(t *testing.T, b *browsertest.Browser) {
	t.Helper()
	if got := browsertest.Eval[int](b, `fetch(`+"'"+ui.StepUpForTestPath+"'"+`, {method: 'POST'}).then(r => r.status)`); got != 204 {
		t.Fatalf("step up in the browser: %d", got)
	}
}

// In a real browser, with axe on every page: Ridgeway's DSL raises a concern about a learner placed
// there, the school's DSL sees the alert, opens the concern and adds an action; the school's
// coordinator finds nothing anywhere.
func TestAProviderDSLRaisesAConcernAndTheSchoolDSLActsInABrowser(t *testing.T) {
	a := testapp.New(t, testapp.Options{ExtraRoutes: ui.AddStepUpForTest})
	if _, err := seed.LoadDemoReferrals(context.Background(), a.Pool, a.Clock); err != nil {
		t.Fatal(err)
	}
	b, as := chBrowser(t, a)

	as(sgProviderDSL)
	browserStepUp(t, b)
	b.Visit(a.URL + "/safeguarding")
	if !strings.Contains(b.Text("#main-content"), "Kai Adeyemi-Brown") {
		t.Fatalf("Ridgeway's DSL does not see Kai among their learners: %q", b.Text("#main-content"))
	}
	b.ClickAndWait("#main-content table a[href$='/safeguarding']")
	b.ClickAndWait("#main-content a.govuk-button[href*='kind=concern']")
	b.Submit("#main-content form button[type=submit]")
	if b.Status() != 422 || !strings.Contains(b.Text(".govuk-error-summary"), "Enter a summary of the concern") {
		t.Fatalf("an empty concern: %d %q", b.Status(), b.Text(".govuk-error-summary"))
	}
	b.Fill("#summary", "Said an older friend gives them lifts and a new phone.")
	b.Fill("#happened-day", "23")
	b.Fill("#happened-month", "11")
	b.Fill("#happened-year", "2026")
	b.Fill("#where", "Workshop canteen")
	b.Fill("#raised_by", "Craig Holloway, tutor")
	b.Fill("#child_words", "He sorts me out.")
	b.Fill("#immediate_action", "Listened and told the DSL at once.")
	b.Submit("#main-content form button[type=submit]")
	if !strings.Contains(b.Text(".govuk-notification-banner"), "Safeguarding concern saved") {
		t.Fatalf("after saving: %q", b.Text("#main-content"))
	}
	b.Screenshot("safeguarding-concern")

	as(sgSchoolDSL)
	b.Visit(a.URL + "/notifications")
	if !strings.Contains(b.Text("[data-testid=notifications]"), "A new safeguarding concern has been recorded") {
		t.Fatalf("the school DSL's notifications: %q", b.Text("#main-content"))
	}
	browserStepUp(t, b)
	// Opening an unread notification marks it read and goes to its link.
	b.Submit("[data-testid=notification] form button")
	if !strings.Contains(b.URL(), "/safeguarding/records/") {
		t.Fatalf("the alert led to %s", b.URL())
	}
	if !strings.Contains(b.Text("#main-content"), "He sorts me out.") {
		t.Fatalf("the concern: %q", b.Text("#main-content"))
	}
	b.ClickAndWait("#main-content a[href*='kind=update']")
	b.Fill("#text", "Called the parent; agreed daily check-ins.")
	b.Submit("#main-content form button[type=submit]")
	if got := b.Text("#main-content"); !strings.Contains(got, "Called the parent; agreed daily check-ins.") || !strings.Contains(got, "He sorts me out.") {
		t.Fatalf("after adding the action: %q", got)
	}
	record := b.URL()

	as(sgCoordinator)
	browserStepUp(t, b)
	b.Visit(record)
	if b.Status() != 404 {
		t.Errorf("the coordinator opened the concern: %d", b.Status())
	}
	b.Visit(a.URL + studentPath(t, a, studentKaiUPN))
	if strings.Contains(b.Text("#main-content"), "Safeguarding") {
		t.Errorf("the coordinator's student page mentions safeguarding")
	}
	b.Visit(a.URL + "/notifications")
	if strings.Contains(b.Text("#main-content"), "safeguarding") {
		t.Errorf("the coordinator was alerted")
	}
	b.Visit(a.URL + "/")
	if strings.Contains(b.Text(".govuk-service-navigation"), "Safeguarding") {
		t.Errorf("the coordinator's navigation offers Safeguarding")
	}
}
