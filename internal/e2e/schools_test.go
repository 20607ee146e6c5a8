package e2e_test

import (
	"strings"
	"testing"

	"github.com/coventry-cap/capportal/internal/testapp"
)

// A CAP admin finds the schools without an SLA, records one, and rolls the academic year over.
func TestCAPAdminRecordsAnSLAAndRollsTheYearOver(t *testing.T) {
	a := testapp.New(t)
	b := newBrowser(t)
	signIn(b, a.URL, "admin@cap.example")

	b.ClickAndWait("a[href='/schools?sla=unsigned']")
	if !strings.Contains(b.Text("main"), "Not signed") {
		t.Fatalf("unsigned schools list: %q", b.Text("main"))
	}
	b.Screenshot("schools-unsigned")
	b.ClickAndWait("main table tbody tr a")
	school := b.Text("h1")
	b.Screenshot("school")
	b.ClickAndWait("a[href$='/sla/2026-27']")
	// Saying it is signed without a date is refused, and the answer is kept.
	b.SetChecked("input[name=signed][value=yes]", true)
	b.Submit("form[action$='/sla/2026-27'] button")
	if !strings.Contains(b.Text(".govuk-error-summary"), "date") {
		t.Fatalf("signed without a date: %q", b.Text("main"))
	}
	b.Fill("#signed-on-day", "2")
	b.Fill("#signed-on-month", "9")
	b.Fill("#signed-on-year", "2026")
	b.Submit("form[action$='/sla/2026-27'] button")
	if !strings.Contains(b.Text("main"), "2 September 2026") || !strings.Contains(b.Text("main"), "0 of 15") {
		t.Errorf("recorded SLA for %s: %q", school, b.Text("main"))
	}
	b.Screenshot("sla")

	b.Visit(a.URL + "/admin/rollover")
	b.Submit("form[action='/admin/rollover'] button")
	if !strings.Contains(b.Text("main"), "2027/28") || !strings.Contains(b.Text("main"), "Draft") {
		t.Fatalf("after copying: %q", b.Text("main"))
	}
	if !strings.Contains(b.Text("main"), "1 September 2027") {
		t.Errorf("the 2027/28 autumn term does not start on Wednesday 1 September 2027")
	}
	b.Screenshot("rollover-draft")
	b.Submit("form[action='/admin/rollover/confirm'] button")
	if !strings.Contains(b.Text(".govuk-notification-banner"), "2027/28 confirmed") {
		t.Errorf("no confirmation: %q", b.Text("main"))
	}
}
