package ui_test

import (
	"strings"
	"testing"

	"github.com/coventry-cap/capportal/internal/browsertest"
	"github.com/coventry-cap/capportal/internal/testapp"
)

// TestDirectoryPagesPassAxeInABrowser visits every page of the CAP Directory in Chromium, with axe
// checking each for WCAG 2.2 AA problems: a coordinator's search by day and category, a programme
// and a provider, and a CAP admin's forms (with their errors) and retire confirmations.
func TestDirectoryPagesPassAxeInABrowser(t *testing.T) {
	a := testapp.New(t)
	b := browsertest.New(t)
	b.ScreenshotDir = t.TempDir()
	signIn := func(email string) {
		b.Visit(a.URL + "/login")
		b.Fill("#email", email)
		b.Fill("#password", testapp.Password)
		b.Submit("form[action='/login'] button")
	}

	signIn(dirCoordinator)
	b.Visit(a.URL + "/directory")
	b.Select("#category", "Vocational Learning")
	b.Select("#day", "wednesday")
	b.Submit("[data-testid=directory-search] button")
	if !strings.Contains(b.URL(), "category=Vocational+Learning") || !strings.Contains(b.URL(), "day=wednesday") {
		t.Errorf("the search is not in the URL: %s", b.URL())
	}
	if !strings.HasSuffix(b.Text("[data-testid=result-count]"), "programmes found") {
		t.Errorf("count: %q", b.Text("[data-testid=result-count]"))
	}
	b.ClickAndWait(".govuk-pagination__next a")
	b.Visit(a.URL + "/directory?q=zzzzqqq")
	b.Visit(a.URL + "/directory/programmes/" + dirProgrammeID(t, a, "capa-focus-11"))
	b.Visit(a.URL + "/directory/providers/" + orgIDBySlug(t, a, "capa"))

	b.Submit("[data-testid=sign-out]")
	signIn("admin@cap.example")
	id := dirProgrammeID(t, a, "capa-refocus")
	b.Visit(a.URL + "/directory?retired=1")
	b.Visit(a.URL + "/directory/programmes/" + id)
	b.Visit(a.URL + "/admin/programmes/" + id + "/edit")
	b.Visit(a.URL + "/admin/programmes/new")
	b.Fill("#name", "Drone Piloting")
	b.Fill("#window-1-label", "the spring term")
	b.Submit("form[action='/admin/programmes'] button[type=submit]")
	if !b.Exists(".govuk-error-summary") {
		t.Error("no error summary for an incomplete programme")
	}
	b.Visit(a.URL + "/admin/providers/new")
	b.Submit("form[action='/admin/providers'] button[type=submit]")
	if !b.Exists(".govuk-error-summary") {
		t.Error("no error summary for an empty provider")
	}
	provider := orgIDBySlug(t, a, "capa")
	b.Visit(a.URL + "/admin/providers/" + provider + "/edit")
	b.Visit(a.URL + "/directory/providers/" + provider)
	b.Submit("form[action='/admin/providers/" + provider + "/retire'] button")
	if !strings.Contains(b.Text("h1"), "Are you sure") {
		t.Errorf("retiring a provider did not ask first: %q", b.Text("h1"))
	}
	b.Visit(a.URL + "/directory/programmes/" + id)
	b.Submit("form[action='/admin/programmes/" + id + "/retire'] button")
	b.Submit("form[action='/admin/programmes/" + id + "/retire'] button")
	if !strings.Contains(b.Text(".govuk-notification-banner"), "has been retired") {
		t.Errorf("no confirmation of retiring: %q", b.Text(".govuk-notification-banner"))
	}
}
