package e2e_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/coventry-cap/capportal/internal/testapp"
)

// A coordinator imports students from their MIS export, finds a course in the CAP Directory by day
// and category, and reads whether their school may refer to a Tier 3 programme, and why not.
func TestCoordinatorImportsStudentsSearchesTheDirectoryAndChecksTier3(t *testing.T) {
	a := testapp.New(t)
	b := newBrowser(t)
	signIn(b, a.URL, "coordinator@canleybrook.school.example")

	csvPath := filepath.Join(t.TempDir(), "canley-brook-export.csv")
	csv := "UPN,Legal forename,Legal surname,DOB,Sex,Year,SEN,FSM,Looked after,CP/CIN\r\n" +
		"Y801200300001,Riley,Marsh,12/05/2012,M,9,N,N,N,N\r\n" +
		"M801200300002,Isla,Penrose,03/11/2011,F,10,K,Y,N,N\r\n" +
		"BADUPN,Noah,Quill,01/01/2012,M,9,N,N,N,N\r\n"
	if err := os.WriteFile(csvPath, []byte(csv), 0o600); err != nil {
		t.Fatal(err)
	}
	b.Visit(a.URL + "/students/import")
	b.Upload("#file", csvPath)
	b.Submit("form[action='/students/import'] button")
	counts := b.Text("[data-testid=import-counts]")
	if !strings.Contains(counts, "2") || !strings.Contains(b.Text("[data-testid=import-rows]"), "BADUPN") {
		t.Fatalf("import preview: counts %q", counts)
	}
	b.Screenshot("student-import-preview")
	b.Submit("form[action$='/confirm'] button")
	b.Visit(a.URL + "/students")
	list := b.Text("main")
	if !strings.Contains(list, "Marsh") || !strings.Contains(list, "Penrose") || strings.Contains(list, "Quill") {
		t.Errorf("after import the students list shows: %q", list)
	}
	b.Screenshot("students")

	b.Visit(a.URL + "/directory")
	b.Select("#day", "Wednesday")
	b.Select("#category", "Vocational Learning")
	b.Submit("form[data-testid=directory-search] button")
	if !strings.Contains(b.URL(), "day=") || !strings.Contains(b.URL(), "category=") {
		t.Errorf("filters not in the URL: %s", b.URL())
	}
	count := b.Text("[data-testid=result-count]")
	if !strings.Contains(count, "found") || strings.HasPrefix(count, "0 ") {
		t.Fatalf("directory search by day and category: %q", count)
	}
	b.Screenshot("directory-search")
	b.ClickAndWait("[data-testid=programmes] tbody tr a")
	if !b.Exists("[data-testid=eligibility]") {
		t.Errorf("a course page does not say whether the school may refer")
	}

	// Refocus is Tier 3: Canley Brook's answer depends on its SLA for 2026/27.
	b.Visit(a.URL + "/directory")
	b.Fill("#q", "Refocus")
	b.Select("#tier", "3")
	b.Submit("form[data-testid=directory-search] button")
	b.ClickAndWait("[data-testid=programmes] tbody tr a")
	answer := b.Text("[data-testid=eligibility]")
	if !strings.Contains(answer, "Canley Brook") {
		t.Fatalf("Refocus eligibility: %q", answer)
	}
	b.Screenshot("programme-eligibility")
	signOut(b)

	// A school without the SLA is told why it may not refer to Tier 3.
	email, school := noSLACoordinator(t, a)
	signIn(b, a.URL, email)
	b.Visit(a.URL + "/directory?q=Refocus&tier=3")
	b.ClickAndWait("[data-testid=programmes] tbody tr a")
	reasons := b.Text("[data-testid=eligibility-reasons]")
	if !strings.Contains(b.Text("[data-testid=eligibility]"), "No, "+school+" cannot refer") || !strings.Contains(reasons, "only for schools with the CAP SLA") {
		t.Errorf("no-SLA school on Refocus: %q", reasons)
	}
	b.Screenshot("programme-not-eligible")
}

func noSLACoordinator(t *testing.T, a *testapp.App) (email, school string) {
	t.Helper()
	if err := a.Pool.QueryRow(t.Context(), `
		SELECT u.email, o.name FROM users u JOIN memberships m ON m.user_id = u.id JOIN organisations o ON o.id = m.organisation_id
		WHERE m.role = 'coordinator' AND NOT EXISTS (SELECT 1 FROM slas s WHERE s.school_id = o.id AND s.academic_year = '2026/27' AND s.signed)
		ORDER BY u.email LIMIT 1`).Scan(&email, &school); err != nil {
		t.Fatal(err)
	}
	return email, school
}
