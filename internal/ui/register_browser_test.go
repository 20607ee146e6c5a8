package ui_test

import (
	"os"
	"strings"
	"testing"

	"github.com/coventry-cap/capportal/internal/browsertest"
	"github.com/coventry-cap/capportal/internal/testapp"
)

// In a real browser, with axe checking every page: Ridgeway's staff open today's registers, take the
// morning register (a problem first, then the marks, with the reveals working), correct a mark, and
// look at the placement with its chart; CAP changes the plan; the school sees the marks.
func TestTheRegisterCorrectionAndPlacementPagesWorkInABrowserAndPassAxe(t *testing.T) {
	f := rgSetUp(t)
	b := browsertest.New(t)
	if os.Getenv("CAP_SCREENSHOTS") == "" {
		b.ScreenshotDir = t.TempDir()
	}
	signIn := func(email string) {
		b.Visit(f.a.URL + "/login")
		b.Fill("#email", email)
		b.Fill("#password", testapp.Password)
		b.Submit("form[action='/login'] button")
	}
	kai, tyler := itoa64(f.kai), itoa64(f.tyler)
	signIn(rgRidgeway)
	b.ClickAndWait(".govuk-service-navigation a[href='/registers']")
	if got := b.Text("[data-testid=registers]"); !strings.Contains(got, "Not taken") {
		t.Fatalf("today's registers: %q", got)
	}
	b.ClickAndWait("[data-testid=registers] a[href$='/am']")
	b.Screenshot("register")
	// Late without the minutes, and Tyler absent: the reveals open as each mark is chosen.
	hidden := func(id string) bool {
		return browsertest.Eval[bool](b, `getComputedStyle(document.getElementById("`+id+`")).display === "none"`)
	}
	if !hidden("conditional-mark-" + kai + "-2") {
		t.Error("the minutes show before Late is chosen")
	}
	b.SetChecked("#mark-"+kai+"-2", true)
	if hidden("conditional-mark-" + kai + "-2") {
		t.Error("choosing Late does not reveal the minutes")
	}
	b.SetChecked("#mark-"+tyler+"-3", true)
	b.Select("#reason-"+tyler, "unauthorised")
	b.Submit("[data-testid=register-form] button[type=submit]")
	if b.Status() != 422 || !strings.Contains(b.Text(".govuk-error-summary"), "Enter how many minutes late Kai Adeyemi-Brown was") {
		t.Fatalf("status %d, summary %q", b.Status(), b.Text(".govuk-error-summary"))
	}
	b.Screenshot("register-error")
	b.Fill("#late-"+kai, "12")
	b.Submit("[data-testid=register-form] button[type=submit]")
	if got := b.Text(".govuk-notification-banner"); !strings.Contains(got, "The morning register was saved: 2 marks") {
		t.Fatalf("after saving: %q", got)
	}
	if got := b.Text("[data-testid=marks]"); !strings.Contains(got, "Late (12 minutes)") || !strings.Contains(got, "Absent: Unauthorised") {
		t.Errorf("the saved register: %q", got)
	}
	b.Screenshot("register-taken")

	// Tyler's mother rang: the absence was illness.
	b.ClickAndWait("[data-testid=marks] tbody tr:nth-child(2) a[href$='/correct']")
	b.SetChecked("#mark-"+tyler+"-3", true)
	b.Select("#reason-"+tyler, "illness")
	b.Submit("#main-content form button[type=submit]")
	if b.Status() != 422 || !strings.Contains(b.Text(".govuk-error-summary"), "Say why the mark is being corrected") {
		t.Fatalf("a correction without why: %d %q", b.Status(), b.Text(".govuk-error-summary"))
	}
	b.Fill("#why", "His mother rang at 9:40: he is ill")
	b.Submit("#main-content form button[type=submit]")
	if got := b.Text(".govuk-notification-banner"); !strings.Contains(got, "corrected to Absent: Illness") {
		t.Fatalf("after correcting: %q", got)
	}
	b.Visit(f.a.URL + "/marks/" + markOf(t, f, f.tyler) + "/correct")
	if got := b.Text("[data-testid=mark-history]"); !strings.Contains(got, "His mother rang at 9:40") {
		t.Errorf("the correction page's history: %q", got)
	}
	b.Screenshot("mark-correct")

	b.ClickAndWait(".govuk-service-navigation a[href='/placements']")
	b.ClickAndWait("[data-testid=placements] a[href='/placements/" + kai + "']")
	if !b.Exists("[data-testid=attendance-chart]") || !strings.Contains(b.Text("[data-testid=attendance-table]"), "100%") {
		t.Errorf("the placement's attendance: %q", b.Text("[data-testid=attendance]"))
	}
	b.Screenshot("placement")
	b.ClickAndWait("a[href='/placements/" + kai + "/plan']")
	b.Fill("#objectives", "Level 1 Certificate in Light Vehicle Maintenance by February")
	b.Submit("#main-content form button[type=submit]")
	if got := b.Text("[data-testid=placement-plan]"); !strings.Contains(got, "Level 1 Certificate in Light Vehicle Maintenance by February") {
		t.Errorf("the provider's objectives: %q", got)
	}

	// CAP: the plan's whole form, and the provider's figures.
	b.Submit("[data-testid=sign-out]")
	signIn(rgAdmin)
	b.Visit(f.a.URL + "/placements/" + kai + "/plan")
	b.Fill("#hours", "twelve")
	b.Submit("#main-content form button[type=submit]")
	if b.Status() != 422 {
		t.Errorf("hours in words: %d", b.Status())
	}
	b.Visit(f.a.URL + "/placements?provider=" + itoa64(f.ridgeway))
	if !b.Exists("[data-testid=provider-attendance-chart]") {
		t.Error("no chart of Ridgeway's attendance")
	}
	b.Visit(f.a.URL + "/registers?provider=" + itoa64(f.ridgeway))

	// The school copies the codes from the student's page.
	b.Submit("[data-testid=sign-out]")
	signIn(rgCoordinator)
	b.Visit(f.a.URL + "/students/" + itoa64(f.kaiStudent))
	if got := b.Text("[data-testid=marks]"); !strings.Contains(got, "B") || !strings.Contains(got, "Attending an approved educational activity off site") {
		t.Errorf("the student's marks: %q", got)
	}
}

func markOf(t *testing.T, f rgFixture, placementID int64) string {
	t.Helper()
	var id int64
	if err := f.a.Pool.QueryRow(t.Context(), `SELECT id FROM attendance_marks WHERE placement_id = $1 ORDER BY id DESC LIMIT 1`, placementID).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return itoa64(id)
}
