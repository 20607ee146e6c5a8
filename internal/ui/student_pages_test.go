package ui_test

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/coventry-cap/capportal/internal/testapp"
)

const (
	studentWhitmoreCoordinator = "coordinator@whitmore.school.example"
	studentKaiUPN              = "C331290115001" // a demo student at Whitmore Park Academy
	studentFreyaUPN            = "L331290215001" // a demo student at Canley Brook Academy
)

// studentPath is the page of the student with the UPN.
func studentPath(t *testing.T, a *testapp.App, upn string) string {
	t.Helper()
	var id string
	if err := a.Pool.QueryRow(context.Background(), `SELECT id::text FROM students WHERE upn = $1`, upn).Scan(&id); err != nil {
		t.Fatalf("student %s: %v", upn, err)
	}
	return "/students/" + id
}

func studentCount(t *testing.T, a *testapp.App, sql string, args ...any) int {
	t.Helper()
	var n int
	if err := a.Pool.QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// studentRowText is every student row of the students table as one line of text each.
func studentRowText(doc *goquery.Document) []string {
	return tableRows(doc.Find(`[data-testid="students"]`))
}

// studentValidForm is a complete new-student form.
// summaryRows is a summary list as "key: value" lines.
func summaryRows(sel *goquery.Selection) string {
	return strings.Join(sel.Find(".govuk-summary-list__row").Map(func(_ int, r *goquery.Selection) string {
		return strings.TrimSpace(r.Find("dt").Text()) + ": " + strings.Join(strings.Fields(r.Find("dd").First().Text()), " ")
	}), "\n")
}

// tableRows is a table's body as lines of cells separated by " | ", list items in a cell by "; ".
func tableRows(sel *goquery.Selection) []string {
	return sel.Find("tbody tr").Map(func(_ int, tr *goquery.Selection) string {
		return strings.Join(tr.Children().Map(func(_ int, cell *goquery.Selection) string {
			if items := cell.Find("li"); items.Length() > 0 {
				return strings.Join(items.Map(func(_ int, li *goquery.Selection) string { return strings.TrimSpace(li.Text()) }), "; ")
			}
			return strings.Join(strings.Fields(cell.Text()), " ")
		}), " | ")
	})
}

func studentValidForm() url.Values {
	return url.Values{
		"upn": {"H331290119101"}, "legal_first_name": {"Poppy"}, "legal_last_name": {"Vance"},
		"dob-day": {"4"}, "dob-month": {"6"}, "dob-year": {"2012"}, "sex": {"F"}, "year_group": {"9"},
		"sen_status": {"none"}, "cp_cin_status": {"none"}, "flags": {"fsm"},
		"contact1_name": {"Dawn Vance"}, "contact1_relationship": {"Mother"}, "contact1_pr": {"yes"}, "contact1_phone": {"07700 900341"},
		"contact1_email": {""}, "contact1_address": {""},
		"contact2_name": {""}, "contact2_relationship": {""}, "contact2_phone": {""}, "contact2_email": {""}, "contact2_address": {""},
		"prof1_name": {"Jo Reid"}, "prof1_role": {"Early help worker"}, "prof1_agency": {""}, "prof1_phone": {""}, "prof1_email": {""},
	}
}

// formFromPage reads a page's form fields as a browser would submit them.
func studentFormFromPage(doc *goquery.Document) url.Values {
	form := url.Values{}
	doc.Find("form[method=post] input, form[method=post] textarea, form[method=post] select").Each(func(_ int, s *goquery.Selection) {
		name, _ := s.Attr("name")
		if name == "" {
			return
		}
		switch {
		case goquery.NodeName(s) == "textarea":
			form.Add(name, s.Text())
		case goquery.NodeName(s) == "select":
			v, _ := s.Find("option[selected]").Attr("value")
			form.Add(name, v)
		case s.AttrOr("type", "") == "radio" || s.AttrOr("type", "") == "checkbox":
			if _, checked := s.Attr("checked"); checked {
				form.Add(name, s.AttrOr("value", ""))
			}
		default:
			form.Add(name, s.AttrOr("value", ""))
		}
	})
	return form
}

func TestCoordinatorOfAnotherSchoolGets404ForAStudent(t *testing.T) {
	a := testapp.New(t)
	c := a.Client(t)
	c.SignIn(studentWhitmoreCoordinator)
	freya := studentPath(t, a, studentFreyaUPN)
	missing := c.Get("/students/999999")
	if missing.StatusCode != http.StatusNotFound {
		t.Fatalf("a student who does not exist: %d, want 404", missing.StatusCode)
	}
	for _, path := range []string{freya, freya + "/edit"} {
		r := c.Get(path)
		if r.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404", path, r.StatusCode)
		}
		if strings.Contains(r.Body, "Freya") || strings.Contains(r.Body, "Canley") {
			t.Errorf("GET %s gave away the student", path)
		}
	}
	if testapp.Normalise(c.Get(freya).Body) != testapp.Normalise(missing.Body) {
		t.Error("another school's student answers differently from a student who does not exist")
	}
	form := studentValidForm()
	form.Set("upn", studentFreyaUPN)
	form.Set("legal_first_name", "Changed")
	r := c.Post(freya, form)
	if r.StatusCode != http.StatusNotFound {
		t.Errorf("POST %s: %d, want 404", freya, r.StatusCode)
	}
	if r := c.Post(freya, url.Values{}); r.StatusCode != http.StatusNotFound {
		t.Errorf("POST %s with an empty form: %d, want 404 rather than a form error", freya, r.StatusCode)
	}
	if n := studentCount(t, a, `SELECT count(*) FROM students WHERE upn = $1 AND legal_first_name = 'Freya'`, studentFreyaUPN); n != 1 {
		t.Error("another school's coordinator changed the student")
	}
	if n := studentCount(t, a, `SELECT count(*) FROM audit_log WHERE action = 'student.viewed' AND subject_id = $1`, strings.TrimPrefix(freya, "/students/")); n != 0 {
		t.Errorf("a refused view was audited as a view %d times", n)
	}
}

func TestViewingAStudentIsAuditedAndShowsTheirRecord(t *testing.T) {
	a := testapp.New(t)
	c := a.Client(t)
	c.SignIn("dsl@whitmore.school.example")
	path := studentPath(t, a, "M331290114006") // Holly Fairclough, looked after, with two contacts
	id := strings.TrimPrefix(path, "/students/")
	r := c.Get(path)
	if r.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d", path, r.StatusCode)
	}
	doc := r.Doc(t)
	if h := strings.TrimSpace(doc.Find("h1").Text()); h != "Holly Fairclough" {
		t.Errorf("heading %q", h)
	}
	details := summaryRows(doc.Find(`[data-testid="student-details"]`))
	for _, want := range []string{"UPN: M331290114006", "Date of birth: 9 September 2010 (age 16)", "Year group: Year 11", "School: Whitmore Park Academy"} {
		if !strings.Contains(details, want) {
			t.Errorf("details %q lack %q", details, want)
		}
	}
	if needs := summaryRows(doc.Find(`[data-testid="student-needs"]`)); !strings.Contains(needs, "Looked after: Yes") {
		t.Errorf("needs %q do not say looked after", needs)
	}
	if n := doc.Find(`[data-testid="student-contact"]`).Length(); n != 2 {
		t.Errorf("%d contacts shown, want 2", n)
	}
	if !strings.Contains(doc.Find(`[data-testid="student-professionals"]`).Text(), "Virtual school caseworker") {
		t.Error("the professional is not shown")
	}
	if doc.Find(`a[href="`+path+`/edit"]`).Length() != 0 {
		t.Error("a DSL is offered the edit button")
	}
	if n := auditCount(t, a, "student.viewed", id); n != 1 {
		t.Errorf("views audited: %d, want 1", n)
	}
	c.Get(path)
	if n := auditCount(t, a, "student.viewed", id); n != 2 {
		t.Errorf("views audited after a second view: %d, want 2", n)
	}
}

func TestCAPStaffCanViewAnySchoolsStudents(t *testing.T) {
	a := testapp.New(t)
	for _, email := range []string{"admin@cap.example", "monitoring@cap.example", "safeguarding@cap.example", "lead@cap.example"} {
		c := a.Client(t)
		c.SignIn(email)
		for _, upn := range []string{studentKaiUPN, studentFreyaUPN} {
			if r := c.Get(studentPath(t, a, upn)); r.StatusCode != http.StatusOK {
				t.Errorf("%s viewing %s: %d, want 200", email, upn, r.StatusCode)
			}
		}
	}
	c := a.Client(t)
	c.SignIn("admin@cap.example")
	doc := c.Get("/students").Doc(t)
	rows := studentRowText(doc)
	if len(rows) != 21 {
		t.Errorf("a CAP admin lists %d students, want every school's 21", len(rows))
	}
	if !strings.Contains(strings.Join(rows, "\n"), "Canley Brook Academy") {
		t.Error("the list does not name each student's school")
	}
	if doc.Find(`a[href="/students/new"]`).Length() != 0 {
		t.Error("a CAP admin is offered to add students")
	}
	if r := c.Get(studentPath(t, a, studentKaiUPN) + "/edit"); r.StatusCode != http.StatusForbidden {
		t.Errorf("a CAP admin editing: %d, want 403", r.StatusCode)
	}
	canley := orgIDBySlug(t, a, "canleybrook")
	if rows := studentRowText(c.Get("/students?school=" + canley).Doc(t)); len(rows) != 3 {
		t.Errorf("filtered to Canley Brook: %d students, want 3", len(rows))
	}
}

func TestProviderStaffAreRefusedStudentPages(t *testing.T) {
	a := testapp.New(t)
	c := a.Client(t)
	c.SignIn("staff@ridgeway.provider.example")
	kai := studentPath(t, a, studentKaiUPN)
	for _, path := range []string{"/students", kai, kai + "/edit", "/students/new", "/students/import"} {
		if r := c.Get(path); r.StatusCode != http.StatusForbidden {
			t.Errorf("GET %s: %d, want 403", path, r.StatusCode)
		}
	}
	if r := c.Post("/students", studentValidForm()); r.StatusCode != http.StatusForbidden {
		t.Errorf("POST /students: %d, want 403", r.StatusCode)
	}
}

func TestSchoolStaffListOnlyTheirOwnStudents(t *testing.T) {
	a := testapp.New(t)
	c := a.Client(t)
	c.SignIn("headteacher@whitmore.school.example")
	doc := c.Get("/students").Doc(t)
	if h := strings.TrimSpace(doc.Find("h1").Text()); h != "Students at Whitmore Park Academy" {
		t.Errorf("heading %q", h)
	}
	rows := studentRowText(doc)
	if len(rows) != 15 {
		t.Errorf("%d students listed, want Whitmore's 15", len(rows))
	}
	if strings.Contains(strings.Join(rows, "\n"), "Oakley") {
		t.Error("another school's student is listed")
	}
	if doc.Find(`a[href="/students/new"]`).Length() != 0 {
		t.Error("a headteacher is offered to add a student")
	}
	if got := studentRowText(c.Get("/students?q=JJ").Doc(t)); len(got) != 1 || !strings.Contains(got[0], "JJ Ellis") || !strings.Contains(got[0], "Legal name: Jayden Ellis") {
		t.Errorf("search for a preferred name: %q", got)
	}
	if got := studentRowText(c.Get("/students?q=" + url.QueryEscape("l331 2901 2601b")).Doc(t)); len(got) != 1 {
		t.Errorf("search for a UPN with spaces: %q", got)
	}
	none := c.Get("/students?q=oakley").Doc(t)
	if none.Find(`[data-testid="no-students"]`).Length() != 1 {
		t.Error("a search for another school's student does not say nothing matched")
	}
	if r := c.Get("/students/new"); r.StatusCode != http.StatusForbidden {
		t.Errorf("a headteacher adding a student: %d, want 403", r.StatusCode)
	}
}

func TestAddStudentExplainsProblemsAndKeepsWhatWasTyped(t *testing.T) {
	a := testapp.New(t)
	c := a.Client(t)
	c.SignIn(studentWhitmoreCoordinator)
	form := studentValidForm()
	form.Set("upn", "A331290119101") // wrong check letter
	form.Set("legal_last_name", "")
	form.Set("dob-month", "")
	form.Del("sex")
	form.Set("contact1_email", "dawn-at-home")
	r := c.Post("/students", form)
	if r.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("status %d, want 422", r.StatusCode)
	}
	doc := r.Doc(t)
	want := []string{
		"#upn The UPN’s check letter does not match: check it was typed correctly",
		"#legal_last_name Enter the student’s legal last name",
		"#dob-month Date of birth must include a month",
		"#sex Select the student’s sex",
		"#contact1_email Enter an email address for parent or carer 1 in the correct format, like name@example.com",
	}
	if got := errorSummary(doc); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("error summary:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if !strings.HasPrefix(doc.Find("title").Text(), "Error: ") {
		t.Error("the title does not start with Error:")
	}
	kept := map[string]string{"#upn": "A331290119101", "#legal_first_name": "Poppy", "#dob-day": "4", "#dob-year": "2012", "#contact1_name": "Dawn Vance", "#prof1_name": "Jo Reid"}
	for sel, v := range kept {
		if got := doc.Find(sel).AttrOr("value", ""); got != v {
			t.Errorf("%s = %q, want the typed %q", sel, got, v)
		}
	}
	if doc.Find(`#flags[checked]`).Length() != 1 || doc.Find(`#contact1_pr[checked]`).Length() != 1 {
		t.Error("the ticked boxes were not kept")
	}
	if doc.Find(`#year_group option[value="9"][selected]`).Length() != 1 {
		t.Error("the year group was not kept")
	}
	if n := studentCount(t, a, `SELECT count(*) FROM students WHERE legal_first_name = 'Poppy'`); n != 0 {
		t.Error("an invalid student was saved")
	}
}

func TestAddStudentSavesOnceWhenSubmittedTwice(t *testing.T) {
	a := testapp.New(t)
	c := a.Client(t)
	c.SignIn(studentWhitmoreCoordinator)
	if r := c.Get("/students/new"); r.StatusCode != http.StatusOK || r.Doc(t).Find("#dob-day").Length() != 1 {
		t.Fatalf("the form: %d", r.StatusCode)
	}
	r := c.Post("/students", studentValidForm())
	if r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(r.Location(), "/students/") {
		t.Fatalf("add: %d to %q, want 303 to the student", r.StatusCode, r.Location())
	}
	first := r.Location()
	page := c.Get(first).Doc(t)
	if msg, ok := banner(page); !ok || msg != "Student added: Poppy Vance" {
		t.Errorf("banner %q (success %v)", msg, ok)
	}
	if !strings.Contains(page.Find(`[data-testid="student-professionals"]`).Text(), "Jo Reid") {
		t.Error("the professional was not saved")
	}
	again := c.Post("/students", studentValidForm())
	if again.StatusCode != http.StatusSeeOther || again.Location() != first {
		t.Errorf("second submit: %d to %q, want 303 to %s", again.StatusCode, again.Location(), first)
	}
	if msg, _ := banner(c.Get(first).Doc(t)); msg != "Poppy Vance has already been added" {
		t.Errorf("banner after the second submit: %q", msg)
	}
	if n := studentCount(t, a, `SELECT count(*) FROM students WHERE upn = 'H331290119101'`); n != 1 {
		t.Errorf("%d students saved, want 1", n)
	}
	if n := studentCount(t, a, `SELECT count(*) FROM audit_log WHERE action = 'student.created'`); n != 1 {
		t.Errorf("%d creations audited, want 1", n)
	}
}

func TestAddStudentRefusesAUPNAnotherSchoolHasWithoutNamingIt(t *testing.T) {
	a := testapp.New(t)
	c := a.Client(t)
	c.SignIn(studentWhitmoreCoordinator)
	form := studentValidForm()
	form.Set("upn", strings.ToLower(studentFreyaUPN))
	r := c.Post("/students", form)
	if r.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("status %d, want 422", r.StatusCode)
	}
	doc := r.Doc(t)
	if got := errorSummary(doc); len(got) != 1 || got[0] != "#upn "+upnContactCAP {
		t.Errorf("error summary %q", got)
	}
	if strings.Contains(r.Body, "Canley") || strings.Contains(r.Body, "Freya") {
		t.Error("the refusal names the other school's student")
	}
}

func TestEditStudentSavesChangesAndIsAudited(t *testing.T) {
	a := testapp.New(t)
	c := a.Client(t)
	c.SignIn(studentWhitmoreCoordinator)
	kai := studentPath(t, a, studentKaiUPN)
	id := strings.TrimPrefix(kai, "/students/")
	if !strings.Contains(c.Get(kai).Body, `href="`+kai+`/edit"`) {
		t.Error("the coordinator is not offered the edit button")
	}
	edit := c.Get(kai + "/edit")
	if edit.StatusCode != http.StatusOK {
		t.Fatalf("edit form: %d", edit.StatusCode)
	}
	if n := studentCount(t, a, `SELECT count(*) FROM audit_log WHERE action = 'student.viewed' AND subject_id = $1 AND details->>'page' = 'edit form'`, id); n != 1 {
		t.Errorf("opening the edit form audited %d times, want 1", n)
	}
	form := studentFormFromPage(edit.Doc(t))
	if form.Get("legal_last_name") != "Adeyemi-Brown" || form.Get("dob-year") != "2011" || form.Get("contact1_name") != "Tanya Brown" {
		t.Fatalf("the edit form is not filled in: %v", form)
	}
	unchanged := c.Post(kai, form)
	if unchanged.StatusCode != http.StatusSeeOther {
		t.Fatalf("saving unchanged: %d", unchanged.StatusCode)
	}
	if msg, _ := banner(c.Get(kai).Doc(t)); msg != "Nothing was changed: the details are as they were" {
		t.Errorf("banner %q", msg)
	}
	form.Set("year_group", "11")
	form.Set("contact2_name", "Marcus Brown")
	form.Set("contact2_relationship", "Father")
	r := c.Post(kai, form)
	if r.StatusCode != http.StatusSeeOther || r.Location() != kai {
		t.Fatalf("save: %d to %q", r.StatusCode, r.Location())
	}
	doc := c.Get(kai).Doc(t)
	if msg, _ := banner(doc); msg != "Details saved: changed the year group, parents and carers" {
		t.Errorf("banner %q", msg)
	}
	if doc.Find(`[data-testid="student-contact"]`).Length() != 2 {
		t.Error("the second contact was not saved")
	}
	if n := auditCount(t, a, "student.updated", id); n != 1 {
		t.Errorf("updates audited: %d, want 1", n)
	}
	form.Set("dob-day", "31")
	form.Set("dob-month", "2")
	bad := c.Post(kai, form)
	if bad.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("31 February: %d, want 422", bad.StatusCode)
	}
	bdoc := bad.Doc(t)
	if got := errorSummary(bdoc); len(got) != 1 || got[0] != "#dob-day Date of birth must be a real date" {
		t.Errorf("error summary %q", got)
	}
	if bdoc.Find("#dob-day").AttrOr("value", "") != "31" || bdoc.Find("#contact2_name").AttrOr("value", "") != "Marcus Brown" {
		t.Error("what was typed was not kept")
	}
	if r := c.Get("/students/abc/edit"); r.StatusCode != http.StatusNotFound {
		t.Errorf("a non-numeric ID: %d, want 404", r.StatusCode)
	}
}

// postFile uploads a file to the import page as a browser would.
func studentPostFile(t *testing.T, c *testapp.Client, a *testapp.App, name string, data []byte, extra url.Values) testapp.Response {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, vs := range extra {
		for _, v := range vs {
			if err := mw.WriteField(k, v); err != nil {
				t.Fatal(err)
			}
		}
	}
	if name != "" {
		fw, err := mw.CreateFormFile("file", name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := fw.Write(data); err != nil {
			t.Fatal(err)
		}
	}
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodPost, a.URL+"/students/import", &body)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return c.Do(req)
}

func studentReadFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestImportPreviewsThenAppliesOnceOnConfirm(t *testing.T) {
	a := testapp.New(t)
	c := a.Client(t)
	c.SignIn(studentWhitmoreCoordinator)
	page := c.Get("/students/import").Doc(t)
	if page.Find(`form[enctype="multipart/form-data"][action="/students/import"] input.govuk-file-upload[type=file][name=file]`).Length() != 1 {
		t.Error("the import page has no GOV.UK file upload in a multipart form")
	}
	if page.Find(`[data-testid="import-columns"] tbody tr`).Length() != 20 {
		t.Error("the import page does not list the 20 columns")
	}
	before := studentCount(t, a, `SELECT count(*) FROM students`)
	r := studentPostFile(t, c, a, "mis_export.csv", studentReadFile(t, "../student/testdata/mis_export.csv"), nil)
	if r.StatusCode != http.StatusOK {
		t.Fatalf("preview: %d", r.StatusCode)
	}
	doc := r.Doc(t)
	counts := summaryRows(doc.Find(`[data-testid="import-counts"]`))
	if counts != "New students: 2\nStudents whose details will change: 1\nStudents already up to date: 1\nRows that cannot be imported: 3" {
		t.Errorf("counts %q", counts)
	}
	rows := tableRows(doc.Find(`[data-testid="import-rows"]`))
	wantRows := []string{
		"2 | C331290115001 | Kai Adeyemi-Brown | Unchanged | Already up to date",
		"3 | R331290115002 | Amelia Barker | Update | Will change: free school meals, address",
		"4 | H331290119101 | Poppy Vance | New | Will be added",
		"5 | A331290119102 | Reece Walker | Error | The UPN’s check letter does not match: check it was typed correctly in your MIS",
		"6 | L331290215001 | Freya Oakley | Error | " + upnContactCAP,
		"7 | L331290119103 | Ivy | Error | The legal surname is missing; The date of birth ‘31/02/2012’ is not a real date in the form dd/mm/yyyy, like 27/03/2012",
		"8 | X33129011910C | Brad Young | New | Will be added",
	}
	if strings.Join(rows, "\n") != strings.Join(wantRows, "\n") {
		t.Errorf("rows:\n%s\nwant\n%s", strings.Join(rows, "\n"), strings.Join(wantRows, "\n"))
	}
	if n := studentCount(t, a, `SELECT count(*) FROM students`); n != before {
		t.Fatalf("the preview wrote students: %d, want %d", n, before)
	}
	button := doc.Find("#confirm-import")
	if strings.TrimSpace(button.Text()) != "Import 3 students" {
		t.Errorf("confirm button %q", strings.TrimSpace(button.Text()))
	}
	action := button.Closest("form").AttrOr("action", "")
	done := c.Post(action, url.Values{})
	if done.StatusCode != http.StatusSeeOther || done.Location() != "/students" {
		t.Fatalf("confirm: %d to %q", done.StatusCode, done.Location())
	}
	if msg, _ := banner(c.Get("/students").Doc(t)); msg != "Students imported: 2 added, 1 updated, 1 already up to date. 3 rows with problems were left out." {
		t.Errorf("banner %q", msg)
	}
	if n := studentCount(t, a, `SELECT count(*) FROM students`); n != before+2 {
		t.Errorf("%d students, want %d", n, before+2)
	}
	twice := c.Post(action, url.Values{})
	if twice.StatusCode != http.StatusSeeOther {
		t.Fatalf("second confirm: %d", twice.StatusCode)
	}
	if msg, _ := banner(c.Get("/students").Doc(t)); !strings.HasPrefix(msg, "This import was already done") {
		t.Errorf("banner after the second confirm %q", msg)
	}
	if n := studentCount(t, a, `SELECT count(*) FROM students`); n != before+2 {
		t.Errorf("the second confirm changed the count to %d", n)
	}
	other := a.Client(t)
	other.SignIn("coordinator@canleybrook.school.example")
	if r := other.Post(action, url.Values{}); r.StatusCode != http.StatusNotFound {
		t.Errorf("another school's coordinator confirming: %d, want 404", r.StatusCode)
	}
	// The same file again: nothing to import, and an offer to upload another.
	again := studentPostFile(t, c, a, "mis_export.csv", studentReadFile(t, "../student/testdata/mis_export.csv"), nil).Doc(t)
	if again.Find("#confirm-import").Length() != 0 {
		t.Error("a file with nothing new offers to import")
	}
	if got := again.Find(`[data-testid="nothing-to-import"]`).Text(); !strings.HasPrefix(got, "There is nothing to import: the other students in this file are already up to date") {
		t.Errorf("the second preview says %q", got)
	}
	if !strings.Contains(again.Find(".govuk-inset-text").Text(), "You imported this same file on 23 November 2026 at 9:30am") {
		t.Error("the second preview does not say the file was imported before")
	}
}

func TestImportOfOnlyUpToDateStudentsSaysThereIsNothingToDo(t *testing.T) {
	a := testapp.New(t)
	c := a.Client(t)
	c.SignIn(studentWhitmoreCoordinator)
	file := "UPN,Legal forename,Legal surname,DOB,Sex,Year\r\n" + studentKaiUPN + ",Kai,Adeyemi-Brown,14/10/2011,M,10\r\n"
	doc := studentPostFile(t, c, a, "kai.csv", []byte(file), nil).Doc(t)
	if got := strings.TrimSpace(doc.Find(`[data-testid="nothing-to-import"]`).Text()); got != "Every student in this file is already in the portal with these details: there is nothing to import." {
		t.Errorf("message %q", got)
	}
	if doc.Find(`a[href="/students/import"]`).Length() == 0 {
		t.Error("no offer to upload another file")
	}
}

func TestImportRefusesFilesItCannotRead(t *testing.T) {
	a := testapp.New(t)
	c := a.Client(t)
	c.SignIn(studentWhitmoreCoordinator)
	tests := []struct {
		name   string
		file   string
		data   []byte
		status int
		want   string
	}{
		{"no file", "", nil, http.StatusUnprocessableEntity, "#file Select a CSV file of your students"},
		{"empty file", "students.csv", []byte{}, http.StatusUnprocessableEntity, "#file The selected file is empty"},
		{"spreadsheet", "students.xlsx", []byte("PK\x03\x04"), http.StatusUnprocessableEntity, "#file The selected file is a spreadsheet: in your MIS or spreadsheet, save or export it as ‘CSV (comma delimited)’ and upload that"},
		{"not a CSV", "photo.jpg", []byte("\xff\xd8\xff"), http.StatusUnprocessableEntity, "#file The selected file must be a CSV"},
		{"missing columns", "students.csv", []byte("UPN,Name\nC331290115001,Kai\n"), http.StatusUnprocessableEntity, "#file The file’s first row must name its columns"},
		{"too large", "big.csv", bytes.Repeat([]byte("x"), 10<<20+1), http.StatusRequestEntityTooLarge, "#file The selected file must be smaller than 10 MB"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := studentPostFile(t, c, a, tt.file, tt.data, nil)
			if r.StatusCode != tt.status {
				t.Fatalf("status %d, want %d", r.StatusCode, tt.status)
			}
			doc := r.Doc(t)
			got := errorSummary(doc)
			if len(got) != 1 || !strings.HasPrefix(got[0], tt.want) {
				t.Errorf("error summary %q, want %q", got, tt.want)
			}
			if doc.Find("#file-error").Length() != 1 || doc.Find("input#file.govuk-file-upload--error").Length() != 1 {
				t.Error("the file field is not marked with the error")
			}
		})
	}
	if n := studentCount(t, a, `SELECT count(*) FROM student_imports`); n != 0 {
		t.Errorf("%d imports kept from refused files, want none", n)
	}
}

// The student's page offers the school's coordinator a referral, and lists the student's referrals
// (a draft included, for the coordinator) with a timeline; CAP sees the same without the button.
func TestTheStudentPageListsReferralsWithATimelineAndOffersANewOne(t *testing.T) {
	a := testapp.New(t)
	kai := pwSubmitted(t, a, pwKaiUPN, pwMotorVehicle(t, a))
	c := a.Client(t)
	c.SignIn(studentWhitmoreCoordinator)
	doc := mustGet(t, c, "/students/"+itoa64(kai.StudentID))
	refer := doc.Find(`a.govuk-button[href^="/referrals/new?"]`)
	if refer.Length() != 1 || pwText(refer) != "Refer this student" || !strings.Contains(refer.AttrOr("href", ""), "student="+itoa64(kai.StudentID)) {
		t.Errorf("no 'Refer this student' for the coordinator: %d %q", refer.Length(), refer.AttrOr("href", ""))
	}
	rows := doc.Find(`[data-testid="student-referrals"] tbody tr`)
	if rows.Length() != 1 || !strings.Contains(pwText(rows.First()), kai.Reference) || !strings.Contains(pwText(rows.First()), "CAP reviews the application pack") {
		t.Errorf("the student's referrals: %q", pwText(doc.Find(`[data-testid="student-referrals"]`)))
	}
	if got := pwText(doc.Find(`[data-testid="student-timeline"]`)); !strings.Contains(got, "Referral to Motor Vehicle") || !strings.Contains(got, kai.Reference+": now CAP reviews the application pack") {
		t.Errorf("timeline %q", got)
	}
	admin := signedInAdmin(t, a)
	doc = mustGet(t, admin, "/students/"+itoa64(kai.StudentID))
	if doc.Find(`a[href^="/referrals/new?"]`).Length() != 0 || doc.Find(`[data-testid="student-referrals"] tbody tr`).Length() != 1 {
		t.Error("CAP's view of the student: a referral button, or the referral missing")
	}
}

// The coordinator's dashboard lists what the school's referrals wait on them for now, each linked to
// where to act: here, an interview to arrange once CAP has sent the pack.
func TestTheCoordinatorsDashboardListsWhatNeedsThemNow(t *testing.T) {
	a := testapp.New(t)
	ref := pwMove(t, a, pwSubmitted(t, a, pwKaiUPN, pwMotorVehicle(t, a)), pwAdmin, pwSendPack)
	c := a.Client(t)
	c.SignIn(studentWhitmoreCoordinator)
	doc := mustGet(t, c, "/")
	var now *goquery.Selection
	doc.Find("h2").Each(func(_ int, h *goquery.Selection) {
		if strings.TrimSpace(h.Text()) == "Needs you now" {
			now = h.Parent()
		}
	})
	if now == nil {
		t.Fatal("no 'Needs you now' on the coordinator's dashboard")
	}
	if got := pwText(now); !strings.Contains(got, "Kai Adeyemi-Brown") || !strings.Contains(got, "Arrange the interview with Ridgeway Motor Skills and record its date") {
		t.Errorf("needs you now: %q", got)
	}
	if now.Find(`a[href="`+ref.URL()+`/interview"]`).Length() != 1 {
		t.Errorf("no link to record the interview: %q", pwText(now))
	}
}
