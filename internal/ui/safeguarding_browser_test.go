package ui_test

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/coventry-cap/capportal/internal/browsertest"
	"github.com/coventry-cap/capportal/internal/secondfactor"
	"github.com/coventry-cap/capportal/internal/seed"
	"github.com/coventry-cap/capportal/internal/testapp"
	"github.com/coventry-cap/capportal/internal/ui"
)

// browserEnrol is a DSL the portal has sent to set up a second factor: they read the key shown as
// text into their "app" (the code is worked out here, as an app would), confirm it, and continue
// from the recovery codes to the page they first asked for. It returns the key.
func browserEnrol(t *testing.T, a *testapp.App, b *browsertest.Browser, next string) string {
	t.Helper()
	if !strings.Contains(b.URL(), "/account/second-factor?next="+url.QueryEscape(next)) || !strings.Contains(b.Text("h1"), "Set up your second factor") {
		t.Fatalf("asking for %s, an unenrolled DSL is at %s: %q", next, b.URL(), b.Text("h1"))
	}
	key := strings.ReplaceAll(browsertest.Eval[string](b, `[...document.querySelectorAll('.govuk-summary-list__row')]
		.find(r => r.querySelector('.govuk-summary-list__key').innerText.trim() === 'Key')
		.querySelector('.govuk-summary-list__value').innerText`), " ", "")
	if len(key) < 32 {
		t.Fatalf("key shown as text: %q", key)
	}
	b.Fill("#code", browserCode(t, a, key))
	b.Submit("form[action='/account/second-factor'] button")
	if !strings.Contains(b.Text(".govuk-panel__title"), "Second factor set up") {
		t.Fatalf("enrolment did not complete: %s", b.Text("main"))
	}
	b.ClickAndWait("main a.govuk-button")
	return key
}

// browserCode is the code the app shows now on the portal's clock.
func browserCode(t *testing.T, a *testapp.App, key string) string {
	t.Helper()
	code, err := secondfactor.CodeAt(key, a.Clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	return code
}

// In a real browser, with axe on every page and the second factor required as in production:
// Ridgeway's DSL is made to set up a second factor, then raises a concern about a learner placed
// there; the school's DSL, made to set one up too, sees the alert, comes back to it later, is asked
// for a code, confirms it and is returned to the concern, and adds an action; the school's
// coordinator finds nothing anywhere.
func TestAProviderDSLRaisesAConcernAndTheSchoolDSLActsInABrowser(t *testing.T) {
	a := testapp.New(t, testapp.Options{SecondFactorRequired: true})
	if _, err := seed.LoadDemoReferrals(context.Background(), a.Pool, a.Clock); err != nil {
		t.Fatal(err)
	}
	b, as := chBrowser(t, a)
	kai := studentPath(t, a, studentKaiUPN)

	as(sgProviderDSL)
	b.Visit(a.URL + "/safeguarding")
	browserEnrol(t, a, b, "/safeguarding")
	// Setting up the second factor confirmed a code just now: the safeguarding page opens at once.
	if !strings.HasSuffix(b.URL(), "/safeguarding") || !strings.Contains(b.Text("#main-content"), "Kai Adeyemi-Brown") {
		t.Fatalf("after enrolling, Ridgeway's DSL is at %s: %q", b.URL(), b.Text("#main-content"))
	}
	// Kai's own link (the table lists every learner placed with Ridgeway).
	b.ClickAndWait("#main-content table a[href='" + kai + "/safeguarding']")
	if !strings.Contains(b.Text("#main-content"), "Kai Adeyemi-Brown") {
		t.Fatalf("Kai's chronology: %q", b.Text("#main-content"))
	}
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
	if !strings.Contains(b.Text(".govuk-notification-banner"), "Safeguarding concern saved") || !strings.Contains(b.Text("#main-content"), "Kai Adeyemi-Brown") {
		t.Fatalf("after saving: %q", b.Text("#main-content"))
	}
	b.Screenshot("safeguarding-concern")

	as(sgSchoolDSL)
	b.Visit(a.URL + "/notifications")
	key := browserEnrol(t, a, b, "/notifications")
	if !strings.Contains(b.Text("[data-testid=notifications]"), "A new safeguarding concern has been recorded") {
		t.Fatalf("the school DSL's notifications at %s: %q", b.URL(), b.Text("#main-content"))
	}
	if got := b.Text("[data-testid=notifications]"); strings.Contains(got, "older friend") || strings.Contains(got, "He sorts me out") {
		t.Errorf("the alert carries the concern's details: %q", got)
	}
	// The DSL comes back to the alert after the 15 minutes: opening it (which marks it read and goes
	// to its link) asks for a code first.
	a.Clock.Advance(16 * time.Minute)
	b.Submit("[data-testid=notification] form button")
	if !strings.Contains(b.URL(), ui.StepUpConfirmPath+"?next="+url.QueryEscape("/safeguarding/records/")) || !strings.Contains(b.Text("h1"), "Confirm it is you") {
		t.Fatalf("the stale alert led to %s: %q", b.URL(), b.Text("h1"))
	}
	b.Screenshot("second-factor-confirm")
	b.Fill("#code", "000000")
	b.Submit("main form button")
	if b.Status() != 422 || !strings.Contains(b.Text(".govuk-error-summary"), "The code is not correct") {
		t.Fatalf("a wrong code: %d %q", b.Status(), b.Text(".govuk-error-summary"))
	}
	b.Fill("#code", browserCode(t, a, key))
	b.Submit("main form button")
	if !strings.Contains(b.URL(), "/safeguarding/records/") {
		t.Fatalf("after the code the DSL is at %s", b.URL())
	}
	if got := b.Text("#main-content"); !strings.Contains(got, "He sorts me out.") || !strings.Contains(got, "Kai Adeyemi-Brown") {
		t.Fatalf("the concern: %q", got)
	}
	b.ClickAndWait("#main-content a[href*='kind=update']")
	b.Fill("#text", "Called the parent; agreed daily check-ins.")
	b.Submit("#main-content form button[type=submit]")
	if got := b.Text("#main-content"); !strings.Contains(got, "Called the parent; agreed daily check-ins.") || !strings.Contains(got, "He sorts me out.") {
		t.Fatalf("after adding the action: %q", got)
	}
	record := strings.TrimPrefix(b.URL(), a.URL)
	b.Visit(a.URL + kai + "/safeguarding")
	if got := b.Text("#main-content"); b.Status() != 200 || !strings.Contains(got, "Said an older friend") || !strings.Contains(got, "Called the parent") {
		t.Fatalf("the chronology: %d %q", b.Status(), got)
	}
	b.Screenshot("safeguarding-chronology")

	// The coordinator of the same school is not a DSL: no page, link, notification or navigation
	// entry tells them a record exists; a record's address answers as a missing page, and the
	// safeguarding page (which every DSL has) refuses them.
	as(sgCoordinator)
	for _, page := range []struct {
		path string
		want int
	}{{record, 404}, {record + "/add?kind=update", 404}, {kai + "/safeguarding", 404}, {"/safeguarding", 403}} {
		b.Visit(a.URL + page.path)
		if got := b.Text("#main-content"); strings.Contains(got, "He sorts me out") || strings.Contains(got, "older friend") || strings.Contains(got, "check-ins") {
			t.Errorf("the coordinator read the concern at %s", page.path)
		}
		if b.Status() != page.want {
			t.Errorf("the coordinator at %s: %d, want %d", page.path, b.Status(), page.want)
		}
	}
	b.Visit(a.URL + kai)
	if b.Status() != 200 || b.Exists("#main-content a[href$='/safeguarding']") || strings.Contains(b.Text("#main-content"), "Safeguarding") {
		t.Errorf("the coordinator's student page: %d, mentions safeguarding", b.Status())
	}
	b.Visit(a.URL + "/notifications")
	if strings.Contains(strings.ToLower(b.Text("#main-content")), "safeguarding") {
		t.Errorf("the coordinator was alerted: %q", b.Text("#main-content"))
	}
	b.Visit(a.URL + "/")
	if strings.Contains(b.Text(".govuk-service-navigation"), "Safeguarding") || strings.Contains(strings.ToLower(b.Text("#main-content")), "safeguarding concern") {
		t.Errorf("the coordinator's home page offers safeguarding")
	}
}
