package ui_test

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/coventry-cap/capportal/internal/testapp"
)

// schoolText is an element's text with its whitespace collapsed and a space between the texts of
// separate elements, as a reader would hear it (templ leaves no whitespace between tags).
func schoolText(s *goquery.Selection) string {
	var parts []string
	s.Contents().Each(func(_ int, c *goquery.Selection) {
		if goquery.NodeName(c) == "#text" {
			parts = append(parts, c.Text())
		} else {
			parts = append(parts, schoolText(c))
		}
	})
	return strings.Join(strings.Fields(strings.Join(parts, " ")), " ")
}

// schoolRows returns each row of the schools table as "name | URN | status".
func schoolRows(doc *goquery.Document) []string {
	return doc.Find(`[data-testid="schools"] tbody tr`).Map(func(_ int, tr *goquery.Selection) string {
		return schoolText(tr.Find("th")) + " | " + schoolText(tr.Find("td").Eq(0)) + " | " + schoolText(tr.Find("td .govuk-tag"))
	})
}

func slaForm(signed, day, month, year string) url.Values {
	return url.Values{"signed": {signed}, "signed-on-day": {day}, "signed-on-month": {month}, "signed-on-year": {year}}
}

// slaRecord reads a school's SLA row for 2026/27 as "signed date" ("none" when there is no row).
func slaRecord(t *testing.T, a *testapp.App, schoolID string) string {
	t.Helper()
	var rec string
	err := a.Pool.QueryRow(context.Background(), `
		SELECT coalesce((SELECT signed::text || ' ' || coalesce(signed_on::text, '-') FROM slas
		                 WHERE school_id = $1::bigint AND academic_year = '2026/27'), 'none')`, schoolID).Scan(&rec)
	if err != nil {
		t.Fatal(err)
	}
	return rec
}

func TestSchoolsListShowsEachSchoolsSLAForTheCurrentYearAndFiltersOnIt(t *testing.T) {
	a := testapp.New(t)
	admin := signedInAdmin(t, a)
	doc := mustGet(t, admin, "/schools")
	rows := schoolRows(doc)
	if len(rows) != 24 {
		t.Fatalf("%d schools listed, want 24: %v", len(rows), rows)
	}
	for _, want := range []string{"Whitmore Park Academy | 190101 | Signed", "Allesley Vale Academy | 190113 | Not signed", "Sowe Bank School | 190121 | Not signed"} {
		if !slices.Contains(rows, want) {
			t.Errorf("no row %q in %v", want, rows)
		}
	}
	if got := schoolText(doc.Find(`[data-testid="schools"] thead`)); !strings.Contains(got, "SLA for 2026/27") {
		t.Errorf("table head %q does not name the year from the clock", got)
	}
	href, _ := doc.Find(`[data-testid="schools"] tbody th a`).First().Attr("href")
	if href != "/schools/"+orgIDBySlug(t, a, "aldermoor") {
		t.Errorf("first school links to %q", href)
	}

	unsigned := schoolRows(mustGet(t, admin, "/schools?sla=unsigned"))
	want := []string{"Allesley Vale Academy | 190113 | Not signed", "Daimler Green Academy | 190124 | Not signed", "Hillfields Vale Academy | 190117 | Not signed",
		"Keresley Moor Academy | 190119 | Not signed", "Sowe Bank School | 190121 | Not signed", "Spon Gate Academy | 190116 | Not signed"}
	if !slices.Equal(unsigned, want) {
		t.Errorf("unsigned = %v, want %v", unsigned, want)
	}
	signed := schoolRows(mustGet(t, admin, "/schools?sla=signed"))
	if len(signed) != 18 || slices.ContainsFunc(signed, func(r string) bool { return !strings.HasSuffix(r, "| Signed") }) {
		t.Errorf("signed = %v", signed)
	}

	// The year follows the clock: in 2025/26 Allesley Vale had signed.
	a.Clock.Set(testapp.Start.AddDate(-1, 0, 0))
	rows = schoolRows(mustGet(t, admin, "/schools"))
	if !slices.Contains(rows, "Allesley Vale Academy | 190113 | Signed") {
		t.Errorf("in 2025/26: %v", rows)
	}
}

func TestSchoolsListIsOnlyForCAPStaff(t *testing.T) {
	a := testapp.New(t)
	for _, email := range []string{"monitoring@cap.example", "safeguarding@cap.example", "lead@cap.example"} {
		c := a.Client(t)
		c.SignIn(email)
		if r := c.Get("/schools"); r.StatusCode != http.StatusOK {
			t.Errorf("%s: GET /schools = %d, want 200", email, r.StatusCode)
		}
	}
	c := a.Client(t)
	c.SignIn("coordinator@whitmore.school.example")
	if r := c.Get("/schools"); r.StatusCode != http.StatusForbidden {
		t.Errorf("coordinator: GET /schools = %d, want 403", r.StatusCode)
	}
}

func TestSchoolPageShowsDetailsContactsAndSLAsByYear(t *testing.T) {
	a := testapp.New(t)
	admin := signedInAdmin(t, a)
	id := orgIDBySlug(t, a, "whitmore")
	doc := mustGet(t, admin, "/schools/"+id)
	if h := schoolText(doc.Find("h1")); h != "Whitmore Park Academy" {
		t.Errorf("heading %q", h)
	}
	details := schoolText(doc.Find(".govuk-summary-list"))
	for _, want := range []string{"URN 190101", "Lockhart Road, Whitmore Park, Coventry, CV6 4QX", "024 7696 0101", "office@whitmore.school.example"} {
		if !strings.Contains(details, want) {
			t.Errorf("details %q lack %q", details, want)
		}
	}
	contacts := doc.Find(`[data-testid="contacts"] tbody tr`).Map(func(_ int, tr *goquery.Selection) string { return schoolText(tr) })
	wantContacts := []string{
		"CAP coordinator Hannah Okafor coordinator@whitmore.school.example",
		"Designated safeguarding lead (school) Marcus Bennett dsl@whitmore.school.example",
		"Headteacher Rachel Thornbury headteacher@whitmore.school.example",
	}
	if !slices.Equal(contacts, wantContacts) {
		t.Errorf("contacts = %q, want %q", contacts, wantContacts)
	}
	slas := doc.Find(`[data-testid="slas"] tbody tr`).Map(func(_ int, tr *goquery.Selection) string {
		href, _ := tr.Find("a").Attr("href")
		return href + " " + schoolText(tr)
	})
	wantSLAs := []string{
		"/schools/" + id + "/sla/2026-27 2026/27 SLA (this year) Signed 1 July 2026",
		"/schools/" + id + "/sla/2025-26 2025/26 SLA Signed 1 July 2025",
	}
	if !slices.Equal(slas, wantSLAs) {
		t.Errorf("SLAs = %q, want %q", slas, wantSLAs)
	}
	if href, _ := doc.Find(".govuk-back-link").Attr("href"); href != "/schools" {
		t.Errorf("back link for CAP staff goes to %q", href)
	}

	// A role nobody at the school holds says so rather than leaving a gap.
	doc = mustGet(t, admin, "/schools/"+orgIDBySlug(t, a, "sowebank"))
	if got := schoolText(doc.Find(`[data-testid="contacts"] tbody`)); !strings.Contains(got, "Designated safeguarding lead (school) Nobody at the school holds this role in the portal Headteacher Nobody") {
		t.Errorf("contacts of a school without users: %q", got)
	}
}

func TestSchoolStaffSeeOnlyTheirOwnSchoolAndCannotRecordItsSLA(t *testing.T) {
	a := testapp.New(t)
	own, other := orgIDBySlug(t, a, "whitmore"), orgIDBySlug(t, a, "canleybrook")
	for _, email := range []string{"coordinator@whitmore.school.example", "dsl@whitmore.school.example", "headteacher@whitmore.school.example"} {
		t.Run(email, func(t *testing.T) {
			c := a.Client(t)
			c.SignIn(email)
			doc := mustGet(t, c, "/schools/"+own)
			if href, _ := doc.Find(".govuk-back-link").Attr("href"); href != "/" {
				t.Errorf("back link for school staff goes to %q", href)
			}
			doc = mustGet(t, c, "/schools/"+own+"/sla/2026-27")
			if doc.Find(`form[method="post"] input[name="signed"]`).Length() != 0 {
				t.Error("school staff are offered the form to record the SLA")
			}
			for _, path := range []string{"/schools/" + other, "/schools/" + other + "/sla/2026-27", "/schools/" + orgIDBySlug(t, a, "capa")} {
				if r := c.Get(path); r.StatusCode != http.StatusNotFound {
					t.Errorf("GET %s = %d, want 404", path, r.StatusCode)
				}
			}
			r := c.Post("/schools/"+own+"/sla/2026-27", slaForm("no", "", "", ""))
			if r.StatusCode != http.StatusForbidden {
				t.Errorf("POST own SLA = %d, want 403", r.StatusCode)
			}
			if got := slaRecord(t, a, own); got != "true 2026-07-01" {
				t.Errorf("SLA after a refused POST = %q", got)
			}
		})
	}
}

func TestSLAPageShowsTheYearsEntitlementsAndNoQAPlacementsUsed(t *testing.T) {
	a := testapp.New(t)
	c := a.Client(t)
	c.SignIn("coordinator@whitmore.school.example")
	doc := mustGet(t, c, "/schools/"+orgIDBySlug(t, a, "whitmore")+"/sla/2026-27")
	if h := schoolText(doc.Find("h1")); h != "CAP SLA 2026/27" {
		t.Errorf("heading %q", h)
	}
	summary := schoolText(doc.Find(".govuk-summary-list"))
	for _, want := range []string{"Status Signed", "Date signed 1 July 2026", "Tier 1 QA placements 0 of 15 used Counted from placements set up in the portal"} {
		if !strings.Contains(summary, want) {
			t.Errorf("summary %q lacks %q", summary, want)
		}
	}
	if got := schoolText(doc.Find(`[data-testid="qa-used"]`)); got != "0 of 15 used" {
		t.Errorf("QA placements used = %q", got)
	}
	tiers := doc.Find(`[data-testid="entitlements"] tbody tr`).Map(func(_ int, tr *goquery.Selection) string { return schoolText(tr) })
	if len(tiers) != 3 || !strings.HasPrefix(tiers[0], "Tier 1 Open access") || !strings.Contains(tiers[0], "15 paid-for quality-assured placements") ||
		!strings.Contains(tiers[1], "priority over schools without the SLA") || !strings.HasPrefix(tiers[2], "Tier 3 Exclusive access") {
		t.Errorf("entitlements = %q", tiers)
	}
	services := doc.Find(`[data-testid="services"] li`).Map(func(_ int, li *goquery.Selection) string { return schoolText(li) })
	for _, want := range []string{"When The Adults Change", "Collaborative leadership support", "SEMHL practitioner in school half a day a week", "Network and training events"} {
		if !slices.ContainsFunc(services, func(s string) bool { return strings.Contains(s, want) }) {
			t.Errorf("services %q lack %q", services, want)
		}
	}
}

func TestSLAPageForASchoolWithoutTheSLASaysWhatItCannotUse(t *testing.T) {
	a := testapp.New(t)
	admin := signedInAdmin(t, a)
	doc := mustGet(t, admin, "/schools/"+orgIDBySlug(t, a, "sowebank")+"/sla/2026-27")
	if got := schoolText(doc.Find(".govuk-summary-list")); !strings.Contains(got, "Status Not signed") || strings.Contains(got, "QA placements") {
		t.Errorf("summary = %q", got)
	}
	if got := schoolText(doc.Find(".govuk-inset-text")); !strings.Contains(got, "Sowe Bank School has no signed CAP SLA for 2026/27") || !strings.Contains(got, "not Tier 3") {
		t.Errorf("inset = %q", got)
	}
}

func TestSLAPageYearInTheAddress(t *testing.T) {
	a := testapp.New(t)
	admin := signedInAdmin(t, a)
	id := orgIDBySlug(t, a, "whitmore")
	if r := admin.Get("/schools/" + id + "/sla/2025-26"); r.StatusCode != http.StatusOK {
		t.Errorf("2025-26: %d", r.StatusCode)
	}
	for _, year := range []string{"2026-28", "2031-32", "202627", "latest", "2026-27-28"} {
		if r := admin.Get("/schools/" + id + "/sla/" + year); r.StatusCode != http.StatusNotFound {
			t.Errorf("%s: %d, want 404", year, r.StatusCode)
		}
	}
}

func TestCAPAdminRecordsASchoolsSLA(t *testing.T) {
	a := testapp.New(t)
	admin := signedInAdmin(t, a)
	id := orgIDBySlug(t, a, "allesleyvale")
	path := "/schools/" + id + "/sla/2026-27"

	doc := mustGet(t, admin, path)
	if doc.Find(`input[name="signed"]:checked`).Length() != 0 {
		t.Error("a year with nothing recorded has an answer chosen")
	}
	r := admin.Post(path, slaForm("yes", "20", "11", "2026"))
	if r.StatusCode != http.StatusSeeOther || r.Location() != path {
		t.Fatalf("POST = %d to %q, want 303 to %s", r.StatusCode, r.Location(), path)
	}
	doc = mustGet(t, admin, path)
	if msg, ok := banner(doc); !ok || msg != "SLA for 2026/27 recorded as signed on 20 November 2026" {
		t.Errorf("flash = %q (success %v)", msg, ok)
	}
	summary := schoolText(doc.Find(".govuk-summary-list"))
	for _, want := range []string{"Status Signed", "Date signed 20 November 2026", "0 of 15 used", "Last recorded By Joanne Tranter on 23 November 2026"} {
		if !strings.Contains(summary, want) {
			t.Errorf("summary %q lacks %q", summary, want)
		}
	}
	if v, _ := doc.Find(`input[name="signed"]:checked`).Attr("value"); v != "yes" {
		t.Errorf("form shows signed = %q", v)
	}
	if v, _ := doc.Find(`#signed-on-day`).Attr("value"); v != "20" {
		t.Errorf("form shows day %q", v)
	}
	if got := slaRecord(t, a, id); got != "true 2026-11-20" {
		t.Errorf("stored %q", got)
	}
	if n := auditCount(t, a, "sla.recorded", id); n != 1 {
		t.Errorf("%d audit entries, want 1", n)
	}

	// The same answer again (a double submit) changes nothing and is not audited twice.
	if r := admin.Post(path, slaForm("yes", "20", "11", "2026")); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("second POST = %d", r.StatusCode)
	}
	if n := auditCount(t, a, "sla.recorded", id); n != 1 {
		t.Errorf("after a double submit: %d audit entries, want 1", n)
	}

	// Not signed: the date is not kept, whatever was left in the boxes.
	if r := admin.Post(path, slaForm("no", "20", "11", "2026")); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("POST not signed = %d", r.StatusCode)
	}
	if got := slaRecord(t, a, id); got != "false -" {
		t.Errorf("stored %q after recording not signed", got)
	}
	if msg, _ := banner(mustGet(t, admin, path)); msg != "SLA for 2026/27 recorded as not signed" {
		t.Errorf("flash = %q", msg)
	}
	if n := auditCount(t, a, "sla.recorded", id); n != 2 {
		t.Errorf("%d audit entries, want 2", n)
	}
}

func TestSLAFormRefusesBadAnswersAndKeepsWhatWasTyped(t *testing.T) {
	a := testapp.New(t)
	admin := signedInAdmin(t, a)
	id := orgIDBySlug(t, a, "allesleyvale")
	path := "/schools/" + id + "/sla/2026-27"
	tests := []struct {
		name string
		form url.Values
		want string
	}{
		{"signed without a date", slaForm("yes", "", "", ""), "#signed-on-day Enter the date the SLA was signed"},
		{"signed tomorrow", slaForm("yes", "24", "11", "2026"), "#signed-on-day Date signed must be today or in the past"},
		{"not a real date", slaForm("yes", "31", "2", "2026"), "#signed-on-day Date signed must be a real date, like 1 7 2026"},
		{"part of a date", slaForm("yes", "20", "", "2026"), "#signed-on-day Date signed must be a real date, like 1 7 2026"},
		{"no answer", slaForm("", "20", "11", "2026"), "#signed Select whether the school has signed the SLA for 2026/27"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := admin.Post(path, tc.form)
			if r.StatusCode != http.StatusUnprocessableEntity {
				t.Fatalf("POST = %d, want 422", r.StatusCode)
			}
			doc := r.Doc(t)
			if got := errorSummary(doc); !slices.Equal(got, []string{tc.want}) {
				t.Errorf("errors = %q, want %q", got, tc.want)
			}
			if !strings.HasPrefix(doc.Find("title").Text(), "Error: ") {
				t.Errorf("title %q lacks the Error prefix", doc.Find("title").Text())
			}
			for _, part := range []string{"day", "month", "year"} {
				got, _ := doc.Find("#signed-on-" + part).Attr("value")
				if want := tc.form.Get("signed-on-" + part); got != want {
					t.Errorf("%s kept as %q, want %q", part, got, want)
				}
			}
			checked, _ := doc.Find(`input[name="signed"]:checked`).Attr("value")
			if checked != tc.form.Get("signed") {
				t.Errorf("answer kept as %q, want %q", checked, tc.form.Get("signed"))
			}
		})
	}
	if got := slaRecord(t, a, id); got != "none" {
		t.Errorf("refused answers stored %q", got)
	}
	if n := auditCount(t, a, "sla.recorded", id); n != 0 {
		t.Errorf("refused answers wrote %d audit entries", n)
	}
	// Today is the latest date accepted.
	if r := admin.Post(path, slaForm("yes", "23", "11", "2026")); r.StatusCode != http.StatusSeeOther {
		t.Errorf("signed today: %d, want 303", r.StatusCode)
	}
}

func TestSLASaveForAnUnknownSchoolOrYearIsNotFound(t *testing.T) {
	a := testapp.New(t)
	admin := signedInAdmin(t, a)
	for _, path := range []string{
		"/schools/999999/sla/2026-27",
		"/schools/" + orgIDBySlug(t, a, "capa") + "/sla/2026-27",
		"/schools/" + orgIDBySlug(t, a, "whitmore") + "/sla/2031-32",
	} {
		if r := admin.Post(path, slaForm("no", "", "", "")); r.StatusCode != http.StatusNotFound {
			t.Errorf("POST %s = %d, want 404", path, r.StatusCode)
		}
	}
}
