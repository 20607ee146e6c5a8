package ui_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/coventry-cap/capportal/internal/browsertest"
	"github.com/coventry-cap/capportal/internal/referral"
	"github.com/coventry-cap/capportal/internal/testapp"
)

var appBrowserDraft = regexp.MustCompile(`/referrals/(draft-[0-9]+)/application$`)

// In a real browser, with axe checking every page it loads: a coordinator starts a referral, meets a
// section's errors, completes every section, uploads the risk assessment, confirms there is no
// commissioning agreement, checks the answers and submits.
func TestReferralApplicationWorksInABrowserAndPassesAxe(t *testing.T) {
	a := testapp.New(t)
	b := browsertest.New(t)
	if os.Getenv("CAP_SCREENSHOTS") == "" {
		b.ScreenshotDir = t.TempDir()
	}
	b.Visit(a.URL + "/login")
	b.Fill("#email", appCoordinator)
	b.Fill("#password", testapp.Password)
	b.Submit("form[action='/login'] button")

	b.Visit(a.URL + "/referrals/new")
	b.Select("#student", appStudentID(t, a, "15001"))
	b.Select("#programme", appCourseID(t, a))
	b.Submit(`form[data-testid="choose"] button`)
	if got := b.Text(`[data-testid="eligibility-answer"]`); !strings.Contains(got, "Yes") {
		t.Fatalf("eligibility answer %q", got)
	}
	b.Screenshot("referral-new")
	b.Submit(`form[data-testid="start"] button`)
	m := appBrowserDraft.FindStringSubmatch(b.URL())
	if m == nil {
		t.Fatalf("after starting: %s", b.URL())
	}
	base := "/referrals/" + m[1]
	b.Screenshot("referral-task-list")

	for i, sec := range referral.Sections("course") {
		if sec.ID == referral.SectionDocuments {
			continue
		}
		b.ClickAndWait(`a[href="` + base + `/sections/` + sec.ID + `"]`)
		if i == 1 {
			// Needs with nothing typed: the errors are shown and checked too.
			b.Submit(`button[value="continue"]`)
			if b.Status() != 422 || !strings.Contains(b.Text(".govuk-error-summary"), "Describe the student’s needs") {
				t.Fatalf("needs with errors: %d %q", b.Status(), b.Text(".govuk-error-summary"))
			}
			b.Screenshot("referral-section-errors")
		}
		for _, f := range sec.Fields {
			switch f.Type {
			case referral.FromRecord:
				continue
			case referral.Parental:
				b.SetChecked(`input[name="`+f.Name+`"]`, true)
			case referral.YesNo:
				b.SetChecked("#"+f.Name+"-no", true)
			case referral.Confirm:
				b.SetChecked("#"+f.Name, true)
			case referral.DateOf:
				b.Fill("#"+f.Name+"-day", "2")
				b.Fill("#"+f.Name+"-month", "11")
				b.Fill("#"+f.Name+"-year", "2026")
			case referral.Percent:
				b.Fill("#"+f.Name, "91")
			default:
				// A follow-up is there when its condition holds (the record's professionals, say).
				if f.RequiredIf == nil || b.Exists("#"+f.Name) {
					b.Fill("#"+f.Name, "About "+strings.ToLower(f.Short))
				}
			}
		}
		b.Submit(`button[value="continue"]`)
		if !strings.HasSuffix(b.URL(), base+"/application") {
			t.Fatalf("section %s did not complete: %s %q", sec.ID, b.URL(), b.Text("main"))
		}
	}

	b.ClickAndWait(`a[href="` + base + `/documents"]`)
	file := filepath.Join(t.TempDir(), "risk-assessment.pdf")
	if err := os.WriteFile(file, appPDF, 0o600); err != nil {
		t.Fatal(err)
	}
	b.SetChecked("#kind", true) // a risk assessment, the first kind
	b.Fill("#completed-day", "2")
	b.Fill("#completed-month", "11")
	b.Fill("#completed-year", "2026")
	b.SetChecked("#template", true)
	b.Upload("#file", file)
	b.Submit(`form[data-testid="upload"] button[type=submit]`)
	if got := b.Text(`[data-testid="documents"]`); !strings.Contains(got, "risk-assessment.pdf") {
		t.Fatalf("documents after uploading: %q", got)
	}
	b.SetChecked("#no_commissioning", true)
	b.Submit(`form[data-testid="no-commissioning"] button`)
	b.Screenshot("referral-documents")

	b.ClickAndWait(`a.govuk-back-link`)
	b.ClickAndWait(`a[href="` + base + `/check"]`)
	if b.Exists(`[data-testid="problems"]`) {
		t.Fatalf("problems on the check page: %q", b.Text(`[data-testid="problems"]`))
	}
	b.Screenshot("referral-check")
	b.Submit(`form[data-testid="submit"] button`)
	if got := b.Text(`[data-testid="reference"]`); got != "CAP-2627-00001" {
		t.Fatalf("reference %q", got)
	}
	b.Screenshot("referral-submitted")

	// A draft started by mistake is deleted after a confirmation.
	b.Visit(a.URL + "/referrals/new?student=" + appStudentID(t, a, "15002") + "&programme=" + appCourseID(t, a))
	b.Submit(`form[data-testid="start"] button`)
	b.ClickAndWait(`[data-testid="delete-draft"]`)
	b.Submit(`form button.govuk-button--warning`)
	if got := b.Text(".govuk-notification-banner"); !strings.Contains(got, "has been deleted") {
		t.Fatalf("after deleting the draft the page says %q", got)
	}
}
