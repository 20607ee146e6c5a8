package ui_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/coventry-cap/capportal/internal/testapp"
)

// hygieneHeading is the page's main heading.
func hygieneHeading(t *testing.T, r testapp.Response) string {
	t.Helper()
	return strings.Join(strings.Fields(r.Doc(t).Find("h1").First().Text()), " ")
}

func TestAddressesWithANULOrBytesThatAreNotUTF8AreRefusedWith400NotAServerError(t *testing.T) {
	a := testapp.New(t)
	coordinator := a.Client(t)
	coordinator.SignIn(studentWhitmoreCoordinator)
	admin := signedInAdmin(t, a)
	tests := []struct {
		name string
		c    *testapp.Client
		path string
	}{
		{"a NUL in a directory search", coordinator, "/directory?q=%00"},
		{"bytes that are not UTF-8 in a directory search", coordinator, "/directory?q=%ff%fe"},
		{"a NUL in a student search", coordinator, "/students?q=%00"},
		{"bytes that are not UTF-8 in a schools page link", admin, "/schools?after=5&after_name=%ff"},
		{"a NUL in a filter's name", admin, "/schools?sla%00=signed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := tt.c.Get(tt.path)
			if r.StatusCode != http.StatusBadRequest {
				t.Fatalf("GET %s = %d, want 400", tt.path, r.StatusCode)
			}
			if h := hygieneHeading(t, r); h != "The web address contains characters the portal cannot read" {
				t.Errorf("heading %q", h)
			}
		})
	}
	// Text that is UTF-8, accented or not, is searched as usual.
	if r := coordinator.Get("/directory?q=caf%C3%A9"); r.StatusCode != http.StatusOK {
		t.Errorf("a search for café = %d, want 200", r.StatusCode)
	}
}

func TestFormsWithANULOrBytesThatAreNotUTF8AreRefusedWith422AndSaveNothing(t *testing.T) {
	a := testapp.New(t)
	coordinator := a.Client(t)
	coordinator.SignIn(studentWhitmoreCoordinator)
	admin := signedInAdmin(t, a)

	student := studentValidForm()
	student.Set("legal_first_name", "A\x00B")
	programme := dirValidProgramme(orgIDBySlug(t, a, "brightspark"))
	programme.Set("name", "Nul\x00Name")
	provider := dirValidProvider()
	provider.Set("name", "Bad\xffName")
	tests := []struct {
		name  string
		c     *testapp.Client
		path  string
		form  url.Values
		saved string // counts what the form would have saved
	}{
		{"a student's name with a NUL", coordinator, "/students", student, `SELECT count(*) FROM students WHERE upn = 'H331290119101'`},
		{"a programme's name with a NUL", admin, "/admin/programmes", programme, `SELECT count(*) FROM programmes WHERE name LIKE 'Nul%'`},
		{"a provider's name that is not UTF-8", admin, "/admin/providers", provider, `SELECT count(*) FROM organisations WHERE name LIKE 'Bad%'`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := tt.c.Post(tt.path, tt.form)
			if r.StatusCode != http.StatusUnprocessableEntity {
				t.Fatalf("POST %s = %d, want 422", tt.path, r.StatusCode)
			}
			if h := hygieneHeading(t, r); h != "Some of what you typed cannot be saved" {
				t.Errorf("heading %q", h)
			}
			if !strings.Contains(r.Body, "copied from another program") {
				t.Error("the page does not say where such characters come from and what to do")
			}
			if n := studentCount(t, a, tt.saved); n != 0 {
				t.Errorf("%d records saved, want none", n)
			}
		})
	}
}

func TestImportRefusesAFileNameOrFieldThatIsNotUTF8(t *testing.T) {
	a := testapp.New(t)
	c := a.Client(t)
	c.SignIn(studentWhitmoreCoordinator)
	data := studentReadFile(t, "../student/testdata/mis_export.csv")

	r := studentPostFile(t, c, a, "students\xff.csv", data, nil)
	if r.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("a file name that is not UTF-8: %d, want 422", r.StatusCode)
	}
	want := "#file The selected file’s name contains characters the portal cannot read: rename the file and try again"
	if got := errorSummary(r.Doc(t)); len(got) != 1 || got[0] != want {
		t.Errorf("error summary %q, want %q", got, want)
	}

	r = studentPostFile(t, c, a, "students.csv", data, url.Values{"school": {"\x00"}})
	if r.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("a school field with a NUL: %d, want 422", r.StatusCode)
	}
	if h := hygieneHeading(t, r); h != "Some of what you typed cannot be saved" {
		t.Errorf("heading %q", h)
	}
	if n := studentCount(t, a, `SELECT count(*) FROM student_imports`); n != 0 {
		t.Errorf("%d imports kept, want none", n)
	}
}

func TestDirectoryPageNumberTooLargeToCountShowsTheLastPage(t *testing.T) {
	a := testapp.New(t)
	c := dirSignedIn(t, a, dirCoordinator)
	last := c.Get("/directory?page=1000")
	if last.StatusCode != http.StatusOK {
		t.Fatalf("page 1000 = %d", last.StatusCode)
	}
	want := dirResultRows(last.Doc(t))
	if len(want) == 0 {
		t.Fatal("the last page shows no programmes")
	}
	r := c.Get("/directory?page=9223372036854775807")
	if r.StatusCode != http.StatusOK {
		t.Fatalf("the largest page number = %d, want 200", r.StatusCode)
	}
	if got := dirResultRows(r.Doc(t)); len(got) != len(want) || strings.Join(got[0], "|") != strings.Join(want[0], "|") {
		t.Errorf("the largest page number shows %q, want the last page %q", got, want)
	}
}

func TestReferralWindowDatesMustFallInTheChosenAcademicYear(t *testing.T) {
	a := testapp.New(t)
	admin := signedInAdmin(t, a)
	form := dirValidProgramme(orgIDBySlug(t, a, "brightspark"))
	for k, v := range map[string]string{
		"window-1-year": "2026/27", "window-1-label": "the autumn term of 2026/27",
		"window-1-opens-day": "1", "window-1-opens-month": "9", "window-1-opens-year": "2031",
		"window-1-closes-day": "18", "window-1-closes-month": "12", "window-1-closes-year": "2031",
	} {
		form.Set(k, v)
	}
	r := admin.Post("/admin/programmes", form)
	if r.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("status %d, want 422", r.StatusCode)
	}
	want := []string{
		"#window-1-opens-day The opening date must be in the 2026/27 academic year, between 1 September 2026 and 31 August 2027",
		"#window-1-closes-day The closing date must be in the 2026/27 academic year, between 1 September 2026 and 31 August 2027",
	}
	if got := errorSummary(r.Doc(t)); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("error summary:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if n := dirCount(t, a, `SELECT count(*) FROM programmes WHERE name = 'Drone Piloting'`); n != 0 {
		t.Errorf("the programme was saved with its window in 2031")
	}

	form.Set("window-1-opens-year", "2026")
	form.Set("window-1-closes-year", "2026")
	if r := admin.Post("/admin/programmes", form); r.StatusCode != http.StatusSeeOther {
		t.Errorf("a window in the autumn of 2026 = %d, want 303", r.StatusCode)
	}
}

func TestSLASignedDateLongBeforeTheYearIsRefused(t *testing.T) {
	a := testapp.New(t)
	admin := signedInAdmin(t, a)
	sowebank := orgIDBySlug(t, a, "sowebank")
	path := "/schools/" + sowebank + "/sla/2026-27"
	before := slaRecord(t, a, sowebank)
	for _, date := range [][3]string{{"1", "1", "1900"}, {"31", "8", "2025"}} {
		r := admin.Post(path, slaForm("yes", date[0], date[1], date[2]))
		if r.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("signed %v: %d, want 422", date, r.StatusCode)
		}
		want := "#signed-on-day Date signed must be on or after 1 September 2025: schools sign the SLA for 2026/27 in the months before the year starts"
		if got := errorSummary(r.Doc(t)); len(got) != 1 || got[0] != want {
			t.Errorf("signed %v: error summary %q, want %q", date, got, want)
		}
		if got := r.Doc(t).Find("#signed-on-year").AttrOr("value", ""); got != date[2] {
			t.Errorf("the year typed was not kept: %q", got)
		}
	}
	if got := slaRecord(t, a, sowebank); got != before {
		t.Errorf("SLA after refused dates = %q, want %q", got, before)
	}
	if r := admin.Post(path, slaForm("yes", "1", "9", "2025")); r.StatusCode != http.StatusSeeOther {
		t.Errorf("signed 1 September 2025 = %d, want 303", r.StatusCode)
	}
	if got := slaRecord(t, a, sowebank); got != "true 2025-09-01" {
		t.Errorf("SLA = %q, want signed on 1 September 2025", got)
	}
}

func TestStudentYearGroupMustFitTheDateOfBirthWithinAYear(t *testing.T) {
	a := testapp.New(t)
	c := a.Client(t)
	c.SignIn(studentWhitmoreCoordinator)
	form := studentValidForm()
	form.Set("dob-day", "1")
	form.Set("dob-month", "2")
	form.Set("dob-year", "2016")
	form.Set("year_group", "8") // two years ahead of Year 6
	r := c.Post("/students", form)
	if r.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("status %d, want 422", r.StatusCode)
	}
	want := "#year_group A student born on 1 February 2016 would normally be in Year 6 in 2026/27: check the date of birth and year group"
	if got := errorSummary(r.Doc(t)); len(got) != 1 || got[0] != want {
		t.Errorf("error summary %q, want %q", got, want)
	}
	if n := studentCount(t, a, `SELECT count(*) FROM students WHERE upn = 'H331290119101'`); n != 0 {
		t.Error("the student was saved")
	}
	if r.Doc(t).Find(`#year_group option[value="8"][selected]`).Length() != 1 || r.Doc(t).Find("#dob-year").AttrOr("value", "") != "2016" {
		t.Error("what was typed was not kept")
	}
	form.Set("year_group", "7") // a year ahead, as an accelerated student may be
	if r := c.Post("/students", form); r.StatusCode != http.StatusSeeOther {
		t.Errorf("a student a year ahead = %d, want 303", r.StatusCode)
	}

	// The import checks the same, from the same clock.
	csv := "UPN,Legal forename,Legal surname,DOB,Sex,Year\n" +
		"H331290119101,Poppy,Vance,01/02/2016,F,8\n" +
		"X33129011910C,Brad,Young,01/02/2016,M,7\n" // a year ahead: allowed
	r = studentPostFile(t, c, a, "students.csv", []byte(csv), nil)
	if r.StatusCode != http.StatusOK {
		t.Fatalf("preview: %d", r.StatusCode)
	}
	rows := tableRows(r.Doc(t).Find(`[data-testid="import-rows"]`))
	if len(rows) != 2 || !strings.HasSuffix(rows[0], "| Error | A student born on 1 February 2016 would normally be in Year 6 in 2026/27: check the date of birth and year group") {
		t.Errorf("first row %q, want the year group refused", rows)
	}
	if len(rows) == 2 && strings.Contains(rows[1], "would normally be") {
		t.Errorf("second row %q: a student a year ahead was refused", rows[1])
	}
}
