package ui_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/coventry-cap/capportal/internal/browsertest"
	"github.com/coventry-cap/capportal/internal/testapp"
)

// In a real browser, with axe checking every page it loads: a coordinator finds a student, fails and
// then succeeds to change them, adds one, and imports a file; a CAP admin filters every school's list.
func TestStudentPagesWorkInABrowserAndPassAxe(t *testing.T) {
	a := testapp.New(t)
	b := browsertest.New(t)
	// Screenshots go to docs/screenshots only when asked for (`make screenshots`), as in the e2e journeys.
	if os.Getenv("CAP_SCREENSHOTS") == "" {
		b.ScreenshotDir = t.TempDir()
	}
	signInBrowser := func(email string) {
		b.Visit(a.URL + "/login")
		b.Fill("#email", email)
		b.Fill("#password", testapp.Password)
		b.Submit("form[action='/login'] button")
	}
	signInBrowser(studentWhitmoreCoordinator)

	b.Visit(a.URL + "/students")
	b.Screenshot("students")
	b.Fill("#q", "hammond")
	b.Submit("form[action='/students'] button")
	if got := b.Text("[data-testid=students] tbody"); !strings.Contains(got, "Leah Hammond") {
		t.Fatalf("search results: %q", got)
	}
	b.ClickAndWait("[data-testid=students] tbody a")
	if !strings.Contains(b.Text("h1"), "Leah Hammond") {
		t.Fatalf("student page heading %q", b.Text("h1"))
	}
	b.Screenshot("student")
	b.ClickAndWait("a[href$='/edit']")
	b.Fill("#dob-year", "20")
	b.Submit("#main-content form[method=post] button[type=submit]")
	if b.Status() != 422 || !strings.Contains(b.Text(".govuk-error-summary"), "Year must include 4 numbers") {
		t.Fatalf("status %d, error summary %q", b.Status(), b.Text(".govuk-error-summary"))
	}
	b.Screenshot("student-edit-error")
	b.Fill("#dob-year", "2012")
	b.Select("#year_group", "10")
	b.Submit("#main-content form[method=post] button[type=submit]")
	if !strings.Contains(b.Text(".govuk-notification-banner"), "Nothing was changed") {
		t.Errorf("banner after saving: %q", b.Text(".govuk-notification-banner"))
	}

	b.Visit(a.URL + "/students/new")
	b.Submit("#main-content form[method=post] button[type=submit]")
	if b.Status() != 422 {
		t.Errorf("an empty form: status %d, want 422", b.Status())
	}
	b.Fill("#upn", "H331290119101")
	b.Fill("#legal_first_name", "Poppy")
	b.Fill("#legal_last_name", "Vance")
	b.Fill("#dob-day", "4")
	b.Fill("#dob-month", "6")
	b.Fill("#dob-year", "2013")
	b.SetChecked("#sex", true)
	b.Select("#year_group", "9")
	b.SetChecked("#sen_status", true)
	b.SetChecked("#cp_cin_status", true)
	b.Fill("#contact1_name", "Dawn Vance")
	b.Submit("#main-content form[method=post] button[type=submit]")
	if !strings.Contains(b.Text(".govuk-notification-banner"), "Student added: Poppy Vance") {
		t.Fatalf("banner after adding: %q", b.Text(".govuk-notification-banner"))
	}

	b.Visit(a.URL + "/students/import")
	b.Submit("form[action='/students/import'] button")
	if b.Status() != 422 || !strings.Contains(b.Text(".govuk-error-summary"), "Select a CSV file of your students") {
		t.Fatalf("uploading nothing: status %d, %q", b.Status(), b.Text(".govuk-error-summary"))
	}
	file, err := filepath.Abs("../student/testdata/mis_export.csv")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(b.Ctx(), 10*time.Second)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.SetUploadFiles(chromedp.CSS("#file"), []string{file})); err != nil {
		t.Fatalf("choosing the file: %v", err)
	}
	b.Submit("form[action='/students/import'] button")
	if !strings.Contains(b.Text("h1"), "Check the students before you import them") {
		t.Fatalf("preview heading %q", b.Text("h1"))
	}
	b.Screenshot("student-import-preview")
	// Poppy, added by hand above, now shows as an update to her details from the file.
	b.Submit("#confirm-import")
	if !strings.Contains(b.Text(".govuk-notification-banner"), "Students imported") {
		t.Errorf("banner after importing: %q", b.Text(".govuk-notification-banner"))
	}
	b.Submit("[data-testid=sign-out]")

	signInBrowser("admin@cap.example")
	b.Visit(a.URL + "/students")
	b.Select("#school", "Canley Brook Academy")
	b.Submit("form[action='/students'] button")
	if got := b.Text("[data-testid=students] tbody"); !strings.Contains(got, "Freya Oakley") || strings.Contains(got, "Hammond") {
		t.Errorf("Canley Brook's students: %q", got)
	}
	b.ClickAndWait("[data-testid=students] tbody a")
	if b.Exists("a[href$='/edit']") {
		t.Error("a CAP admin is offered the edit button")
	}
}
