package ui_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/coventry-cap/capportal/internal/testapp"
)

const dirCoordinator = "coordinator@whitmore.school.example"

func dirSignedIn(t *testing.T, a *testapp.App, email string) *testapp.Client {
	t.Helper()
	c := a.Client(t)
	c.SignIn(email)
	return c
}

// dirCount runs a count query on the portal's database.
func dirCount(t *testing.T, a *testapp.App, sql string, args ...any) int {
	t.Helper()
	var n int
	if err := a.Pool.QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return n
}

func dirProgrammeID(t *testing.T, a *testapp.App, slug string) string {
	t.Helper()
	var id string
	if err := a.Pool.QueryRow(context.Background(), `SELECT id::text FROM programmes WHERE slug = $1`, slug).Scan(&id); err != nil {
		t.Fatalf("programme %s: %v", slug, err)
	}
	return id
}

// dirResultRows returns each result as its cells' text: programme, provider, tier, category, days, year groups.
func dirResultRows(doc *goquery.Document) [][]string {
	var rows [][]string
	doc.Find(`[data-testid="programmes"] tbody tr`).Each(func(_ int, tr *goquery.Selection) {
		var cells []string
		tr.Children().Each(func(_ int, c *goquery.Selection) { cells = append(cells, strings.Join(strings.Fields(c.Text()), " ")) })
		rows = append(rows, cells)
	})
	return rows
}

// dirSummary reads a summary list as "key: value" lines, the value's parts joined by spaces.
func dirSummary(doc *goquery.Document, testid string) string {
	var lines []string
	doc.Find(`[data-testid="` + testid + `"] .govuk-summary-list__row`).Each(func(_ int, row *goquery.Selection) {
		key := strings.TrimSpace(row.Find(".govuk-summary-list__key").Text())
		var parts []string
		row.Find(".govuk-summary-list__value").Contents().Each(func(_ int, n *goquery.Selection) {
			if t := strings.Join(strings.Fields(n.Text()), " "); t != "" {
				parts = append(parts, t)
			}
		})
		lines = append(lines, key+": "+strings.Join(parts, " "))
	})
	return strings.Join(lines, "\n")
}

// dirCells reads a table's body rows as text, cells joined by " | ".
func dirCells(doc *goquery.Document, testid string) []string {
	var rows []string
	doc.Find(`[data-testid="` + testid + `"] tbody tr`).Each(func(_ int, tr *goquery.Selection) {
		var cells []string
		tr.Children().Each(func(_ int, c *goquery.Selection) { cells = append(cells, strings.Join(strings.Fields(c.Text()), " ")) })
		rows = append(rows, strings.Join(cells, " | "))
	})
	return rows
}

func dirResultCount(doc *goquery.Document) string {
	return strings.TrimSpace(doc.Find(`[data-testid="result-count"]`).Text())
}

func dirSelected(doc *goquery.Document, id string) string {
	v, _ := doc.Find("#" + id + " option[selected]").Attr("value")
	return v
}

// wednesdayIn matches days that include Wednesday, named or inside a range such as "Monday to Friday".
var wednesdayIn = regexp.MustCompile(`Wednesday|(Monday|Tuesday) to (Thursday|Friday)`)

func TestDirectorySearchByCategoryAndDayKeepsTheFiltersInTheURL(t *testing.T) {
	a := testapp.New(t)
	c := dirSignedIn(t, a, dirCoordinator)

	doc := mustGet(t, c, "/directory")
	all := dirCount(t, a, `SELECT count(*) FROM programmes WHERE active`)
	if got := dirResultCount(doc); got != strconv.Itoa(all)+" programmes found" {
		t.Errorf("unfiltered count %q, want %d programmes found", got, all)
	}
	if n := len(dirResultRows(doc)); n != 20 {
		t.Errorf("first page shows %d, want 20", n)
	}
	if doc.Find(`[data-testid="clear-filters"]`).Length() != 0 {
		t.Error("Clear filters offered with no filters")
	}

	path := "/directory?category=" + url.QueryEscape("Vocational Learning") + "&day=wednesday"
	doc = mustGet(t, c, path)
	want := dirCount(t, a, `SELECT count(*) FROM programmes WHERE active AND category = 'Vocational Learning' AND 3 = ANY(days_offered)`)
	if want <= 20 || want >= all {
		t.Fatalf("the demo data gives %d Wednesday vocational programmes: the test needs more than a page and fewer than all", want)
	}
	if got := dirResultCount(doc); got != strconv.Itoa(want)+" programmes found" {
		t.Errorf("count %q, want %d", got, want)
	}
	for _, row := range dirResultRows(doc) {
		if row[3] != "Vocational Learning" || !wednesdayIn.MatchString(row[4]) {
			t.Errorf("result %v is not a Wednesday vocational programme", row)
		}
	}
	if dirSelected(doc, "category") != "Vocational Learning" || dirSelected(doc, "day") != "wednesday" {
		t.Errorf("form shows category %q day %q", dirSelected(doc, "category"), dirSelected(doc, "day"))
	}
	if doc.Find(`[data-testid="clear-filters"]`).AttrOr("href", "") != "/directory" {
		t.Error("no Clear filters link")
	}
	next := nextPage(doc)
	u, err := url.Parse(next)
	if err != nil || u.Query().Get("category") != "Vocational Learning" || u.Query().Get("day") != "wednesday" || u.Query().Get("page") != "2" {
		t.Fatalf("next page link %q does not keep the filters", next)
	}
	doc = mustGet(t, c, next)
	if n := len(dirResultRows(doc)); n != want-20 && n != 20 {
		t.Errorf("page 2 shows %d", n)
	}
	if cur := strings.TrimSpace(doc.Find(`.govuk-pagination__item--current`).Text()); cur != "2" {
		t.Errorf("current page %q", cur)
	}
}

func TestDirectoryFiltersOnTierProviderAndYearGroup(t *testing.T) {
	a := testapp.New(t)
	c := dirSignedIn(t, a, "staff@ridgeway.provider.example")

	doc := mustGet(t, c, "/directory?tier=3")
	var names []string
	for _, row := range dirResultRows(doc) {
		names = append(names, row[0])
	}
	if !slices.Equal(names, []string{"Focus 11", "Refocus", "Supported Transfer"}) {
		t.Errorf("Tier 3: %v", names)
	}

	ridgeway := orgIDBySlug(t, a, "ridgeway")
	doc = mustGet(t, c, "/directory?provider="+ridgeway)
	if got := dirResultCount(doc); got != "4 programmes found" {
		t.Errorf("Ridgeway: %q", got)
	}
	for _, row := range dirResultRows(doc) {
		if row[1] != "Ridgeway Motor Skills" {
			t.Errorf("provider filter found %v", row)
		}
	}

	doc = mustGet(t, c, "/directory?year=7&tier=2")
	want := dirCount(t, a, `SELECT count(*) FROM programmes WHERE active AND tier = 2 AND 7 = ANY(year_groups)`)
	if got := dirResultCount(doc); got != strconv.Itoa(want)+" programmes found" || want == 0 {
		t.Errorf("Year 7 Tier 2: %q, want %d", got, want)
	}

	// Values that are not choices are ignored, not refused.
	doc = mustGet(t, c, "/directory?tier=9&day=sunday&year=3&provider=abc&category=Nonsense")
	all := dirCount(t, a, `SELECT count(*) FROM programmes WHERE active`)
	if got := dirResultCount(doc); got != strconv.Itoa(all)+" programmes found" {
		t.Errorf("unknown filter values: %q", got)
	}
}

func TestDirectoryTextSearchFindsACourseByAWordInItsDescription(t *testing.T) {
	a := testapp.New(t)
	c := dirSignedIn(t, a, dirCoordinator)
	doc := mustGet(t, c, "/directory?q=carburettor")
	rows := dirResultRows(doc)
	if len(rows) != 1 || rows[0][0] != "Motorcycle Maintenance" || rows[0][1] != "Piston Works Motorcycle Project" {
		t.Fatalf("carburettor found %v", rows)
	}
	if v, _ := doc.Find("#q").Attr("value"); v != "carburettor" {
		t.Errorf("search box shows %q", v)
	}
	doc = mustGet(t, c, "/directory?q=zzzzqqq")
	if dirResultCount(doc) != "No programmes found" || doc.Find(`[data-testid="no-results"]`).Length() != 1 {
		t.Errorf("nothing found: %q", dirResultCount(doc))
	}
}

func TestProgrammePageShowsItsDetailsWindowsAndProvider(t *testing.T) {
	a := testapp.New(t)
	c := dirSignedIn(t, a, dirCoordinator)
	id := dirProgrammeID(t, a, "capa-focus-11")
	doc := mustGet(t, c, "/directory/programmes/"+id)
	if h := strings.Join(strings.Fields(doc.Find("h1").Text()), " "); h != "Focus 11" {
		t.Errorf("heading %q", h)
	}
	details := dirSummary(doc, "programme-details")
	for _, want := range []string{"Tier: Tier 3: Time-limited support", "Training provider: Coventry AP Academy", "Year groups: Year 11", "Duration: 10 weeks", "Multi-Agency Panel"} {
		if !strings.Contains(details, want) {
			t.Errorf("details lack %q: %s", want, details)
		}
	}
	windows := dirCells(doc, "windows")
	if !slices.Equal(windows, []string{"the autumn term of 2025/26 | 2025/26 | 1 September 2025 | 19 December 2025"}) {
		t.Errorf("windows: %s", windows)
	}
	if href := doc.Find(`[data-testid="programme-details"] a[href^="/directory/providers/"]`).AttrOr("href", ""); href != "/directory/providers/"+orgIDBySlug(t, a, "capa") {
		t.Errorf("provider link %q", href)
	}
	if doc.Find(`form[action$="/retire"]`).Length() != 0 || doc.Find(`a[href$="/edit"]`).Length() != 0 {
		t.Error("a coordinator is offered Change or Retire")
	}
	if !strings.Contains(doc.Find(`[data-testid="eligibility"]`).Text(), "took referrals only in the autumn term of 2025/26") {
		t.Error("a coordinator is not told why Focus 11 takes no referrals now")
	}

	// Refocus goes to the panels' rounds: its page gives the next deadline, not "all year round".
	refocus := mustGet(t, c, "/directory/programmes/"+dirProgrammeID(t, a, "capa-refocus"))
	if refocus.Find(`[data-testid="year-round"]`).Length() != 0 {
		t.Error("Refocus says it takes referrals all year round")
	}
	if got := strings.Join(strings.Fields(refocus.Find(`[data-testid="panel-deadline"]`).Text()), " "); !strings.Contains(got, "the next referral deadline is Wednesday 2 December 2026 (round 4 of 2026/27)") {
		t.Errorf("Refocus's next deadline: %q", got)
	}

	admin := signedInAdmin(t, a)
	doc = mustGet(t, admin, "/directory/programmes/"+id)
	if doc.Find(`form[action="/admin/programmes/`+id+`/retire"]`).Length() != 1 || doc.Find(`a[href="/admin/programmes/`+id+`/edit"]`).Length() != 1 {
		t.Error("a CAP admin is not offered Change and Retire")
	}

	for _, path := range []string{"/directory/programmes/999999", "/directory/programmes/abc", "/directory/providers/" + orgIDBySlug(t, a, "whitmore"), "/directory/providers/0"} {
		if r := c.Get(path); r.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404", path, r.StatusCode)
		}
	}
}

func TestProviderPageShowsIdentifierDSLSitesAndProgrammes(t *testing.T) {
	a := testapp.New(t)
	c := dirSignedIn(t, a, dirCoordinator)
	doc := mustGet(t, c, "/directory/providers/"+orgIDBySlug(t, a, "capa"))
	details := dirSummary(doc, "provider-details")
	for _, want := range []string{"URN: 190500", "Type of setting: Alternative provision academy", "Registered: Yes", "Address: Academy Way, Stoke, Coventry, CV2 4NJ",
		"Designated safeguarding lead: Samina Akhtar dsl@capa.provider.example 07700 900201", "Programmes: 3 current programmes"} {
		if !strings.Contains(details, want) {
			t.Errorf("details lack %q: %s", want, details)
		}
	}
	if sites := doc.Find(`[data-testid="sites"] tbody tr`).Length(); sites != 1 {
		t.Errorf("%d sites, want the Academy Annexe", sites)
	}
	var names []string
	for _, row := range dirResultRows(doc) {
		names = append(names, row[0])
	}
	if !slices.Equal(names, []string{"CAPA Lite", "Focus 11", "Refocus"}) {
		t.Errorf("programmes %v", names)
	}
	doc = mustGet(t, c, "/directory/providers/"+orgIDBySlug(t, a, "glowup"))
	details = dirSummary(doc, "provider-details")
	if !strings.Contains(details, "Type of setting: Sole trader") || !strings.Contains(details, "Registered: No, it is an unregistered provider") || strings.Contains(details, "UKPRN") {
		t.Errorf("unregistered provider: %s", details)
	}
}

func TestCoordinatorMaySearchButNotKeepTheDirectory(t *testing.T) {
	a := testapp.New(t)
	c := dirSignedIn(t, a, dirCoordinator)
	id := dirProgrammeID(t, a, "capa-refocus")
	provider := orgIDBySlug(t, a, "capa")
	for _, path := range []string{"/admin/programmes/new", "/admin/programmes/" + id + "/edit", "/admin/providers/new", "/admin/providers/" + provider + "/edit"} {
		if r := c.Get(path); r.StatusCode != http.StatusForbidden {
			t.Errorf("GET %s: %d, want 403", path, r.StatusCode)
		}
	}
	for _, path := range []string{"/admin/programmes", "/admin/programmes/" + id, "/admin/programmes/" + id + "/retire", "/admin/providers", "/admin/providers/" + provider, "/admin/providers/" + provider + "/retire"} {
		if r := c.Post(path, form("confirm", "yes", "name", "X")); r.StatusCode != http.StatusForbidden {
			t.Errorf("POST %s: %d, want 403", path, r.StatusCode)
		}
	}
	if n := dirCount(t, a, `SELECT count(*) FROM programmes WHERE NOT active`); n != 0 {
		t.Errorf("%d programmes retired by a coordinator", n)
	}
	if r := a.Client(t).Get("/directory"); r.StatusCode != http.StatusSeeOther {
		t.Errorf("signed out /directory: %d, want a redirect to sign in", r.StatusCode)
	}
	doc := mustGet(t, c, "/directory")
	if doc.Find(`a[href="/admin/programmes/new"]`).Length() != 0 || doc.Find("#retired").Length() != 0 {
		t.Error("a coordinator is offered the admin's directory actions")
	}
}

// dirValidProgramme is a complete new-programme form.
func dirValidProgramme(provider string) url.Values {
	return url.Values{
		"kind": {"course"}, "name": {"Drone Piloting"}, "provider": {provider}, "category": {"Practical Skill Development"},
		"description": {"Flying drones safely and within the law, with a practical test."}, "qualifications": {"Level 1 Award in Drone Operation"},
		"duration": {"One term (12 weeks)"}, "duration_weeks": {"12"}, "days": {"2", "4"}, "days_per_week": {"1"},
		"fee": {"£65.50"}, "fee_basis": {"day"}, "year_groups": {"10", "11"}, "capacity": {"8"},
		"window_rows": {"1"}, "window-1-id": {""}, "window-1-year": {""}, "window-1-label": {""},
	}
}

func TestCreatingAProgrammeRefusesBadInputKeepingItThenAddsAndAuditsOnce(t *testing.T) {
	a := testapp.New(t)
	admin := signedInAdmin(t, a)
	bright := orgIDBySlug(t, a, "brightspark")

	bad := dirValidProgramme(bright)
	bad.Set("category", "")
	bad.Set("days_per_week", "three")
	bad.Set("fee", "sixty")
	bad.Set("name", "  Drone   Piloting ")
	bad.Set("window-1-year", "2026/27")
	bad.Set("window-1-opens-day", "1")
	bad.Set("window-1-opens-month", "10")
	bad.Set("window-1-opens-year", "2026")
	bad.Set("window-1-closes-day", "31")
	bad.Set("window-1-closes-month", "2")
	bad.Set("window-1-closes-year", "2027")
	r := admin.Post("/admin/programmes", bad)
	if r.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("bad programme: %d, want 422", r.StatusCode)
	}
	doc := r.Doc(t)
	want := []string{
		"#category Choose the category of the course",
		"#days_per_week Enter the days a week as a whole number between 1 and 5, like 2",
		"#fee Enter the fee in pounds, like 65 or 1,250.50, or leave it blank",
		"#window-1-closes-day The closing date must be a real date, like 18 12 2026",
		"#window-1-label Enter how schools will see the window, for example the autumn term of 2025/26",
	}
	if got := errorSummary(doc); !slices.Equal(got, want) {
		t.Errorf("error summary:\n%v\nwant\n%v", got, want)
	}
	for id, v := range map[string]string{"name": "Drone   Piloting", "fee": "sixty", "days_per_week": "three", "window-1-closes-day": "31", "window-1-opens-month": "10"} {
		if got, _ := doc.Find("#" + id).Attr("value"); got != v {
			t.Errorf("#%s kept %q, want %q", id, got, v)
		}
	}
	if !strings.Contains(doc.Find("#description").Text(), "Flying drones") || dirSelected(doc, "provider") != bright || dirSelected(doc, "window-1-year") != "2026/27" {
		t.Error("description, provider or window year not kept")
	}
	if doc.Find(`input[name="days"][value="2"][checked]`).Length() != 1 || doc.Find(`input[name="year_groups"][value="11"][checked]`).Length() != 1 {
		t.Error("ticked days or year groups not kept")
	}
	if !strings.HasPrefix(doc.Find("title").Text(), "Error: ") {
		t.Errorf("title %q lacks Error:", doc.Find("title").Text())
	}
	if n := dirCount(t, a, `SELECT count(*) FROM programmes WHERE name = 'Drone Piloting'`); n != 0 {
		t.Fatal("a refused programme was saved")
	}

	good := dirValidProgramme(bright)
	r = admin.Post("/admin/programmes", good)
	if r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(r.Location(), "/directory/programmes/") {
		t.Fatalf("good programme: %d to %q", r.StatusCode, r.Location())
	}
	id := strings.TrimPrefix(r.Location(), "/directory/programmes/")
	if auditCount(t, a, "programme.created", id) != 1 {
		t.Error("no audit entry for the new programme")
	}
	doc = mustGet(t, admin, r.Location())
	if msg, ok := banner(doc); !ok || msg != "Drone Piloting has been added to the CAP Directory" {
		t.Errorf("banner %q", msg)
	}
	details := dirSummary(doc, "programme-details")
	for _, want := range []string{"Training provider: Bright Spark Electrical Skills", "Fee: £65.50 a day", "Days it runs on: Tuesday and Thursday", "Year groups: Years 10 and 11", "Places in each cohort: 8", "Goes to a panel: No"} {
		if !strings.Contains(details, want) {
			t.Errorf("new programme lacks %q: %s", want, details)
		}
	}
	// Sent again (a double click, or back and resend): one programme, and the second lands on it.
	r = admin.Post("/admin/programmes", good)
	if r.StatusCode != http.StatusSeeOther || r.Location() != "/directory/programmes/"+id {
		t.Errorf("second send: %d to %q", r.StatusCode, r.Location())
	}
	if n := dirCount(t, a, `SELECT count(*) FROM programmes WHERE name = 'Drone Piloting'`); n != 1 {
		t.Errorf("%d programmes after sending twice", n)
	}
	c := dirSignedIn(t, a, dirCoordinator)
	if rows := dirResultRows(mustGet(t, c, "/directory?q=drone")); len(rows) != 1 {
		t.Errorf("new programme not found by search: %v", rows)
	}
}

func TestEditingAProgrammeKeepsInputOnErrorsAndSavesChanges(t *testing.T) {
	a := testapp.New(t)
	admin := signedInAdmin(t, a)
	id := dirProgrammeID(t, a, "capa-focus-11")
	doc := mustGet(t, admin, "/admin/programmes/"+id+"/edit")
	if v, _ := doc.Find("#name").Attr("value"); v != "Focus 11" {
		t.Errorf("name %q", v)
	}
	if doc.Find(`input[name="kind"][value="focus11"][checked]`).Length() != 1 || dirSelected(doc, "window-1-year") != "2025/26" {
		t.Error("kind or window not filled in")
	}
	if v, _ := doc.Find("#window-1-closes-day").Attr("value"); v != "19" {
		t.Errorf("window closes day %q", v)
	}

	// Post the form back as the page has it, with one change.
	f := dirFormValues(doc.Find(`form[action="/admin/programmes/` + id + `"]`))
	f.Set("year_groups", "10")
	r := admin.Post("/admin/programmes/"+id, f)
	if r.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("Focus 11 for Year 10: %d, want 422", r.StatusCode)
	}
	if got := errorSummary(r.Doc(t)); !slices.Equal(got, []string{"#year_groups Focus 11 is for Year 11 only: choose Year 11"}) {
		t.Errorf("errors %v", got)
	}
	f.Set("year_groups", "11")
	f.Set("description", "Ten weeks at the Academy for Year 11.")
	r = admin.Post("/admin/programmes/"+id, f)
	if r.StatusCode != http.StatusSeeOther || r.Location() != "/directory/programmes/"+id {
		t.Fatalf("save: %d to %q", r.StatusCode, r.Location())
	}
	if auditCount(t, a, "programme.updated", id) != 1 {
		t.Error("no audit entry for the change")
	}
	if n := dirCount(t, a, `SELECT count(*) FROM programme_windows WHERE programme_id = $1::bigint`, id); n != 1 {
		t.Errorf("%d windows after saving, want the one", n)
	}
	// Saving it unchanged writes nothing.
	r = admin.Post("/admin/programmes/"+id, dirFormValues(mustGet(t, admin, "/admin/programmes/"+id+"/edit").Find(`form[action="/admin/programmes/`+id+`"]`)))
	if r.StatusCode != http.StatusSeeOther || auditCount(t, a, "programme.updated", id) != 1 {
		t.Errorf("unchanged save: %d, audit %d", r.StatusCode, auditCount(t, a, "programme.updated", id))
	}
}

// dirFormValues reads a form's fields as a browser would submit them.
func dirFormValues(f *goquery.Selection) url.Values {
	v := url.Values{}
	f.Find("input, textarea, select").Each(func(_ int, s *goquery.Selection) {
		name, ok := s.Attr("name")
		if !ok {
			return
		}
		switch {
		case goquery.NodeName(s) == "textarea":
			v.Add(name, s.Text())
		case goquery.NodeName(s) == "select":
			v.Add(name, s.Find("option[selected]").AttrOr("value", ""))
		case s.AttrOr("type", "") == "checkbox" || s.AttrOr("type", "") == "radio":
			if _, checked := s.Attr("checked"); checked {
				v.Add(name, s.AttrOr("value", "on"))
			}
		default:
			v.Add(name, s.AttrOr("value", ""))
		}
	})
	return v
}

func TestRetiringAProgrammeAsksFirstThenHidesItFromSearchButKeepsItsPage(t *testing.T) {
	a := testapp.New(t)
	admin := signedInAdmin(t, a)
	id := dirProgrammeID(t, a, "pistonworks-motorcycle-maintenance")

	r := admin.Post("/admin/programmes/"+id+"/retire", nil)
	if r.StatusCode != http.StatusOK || !strings.Contains(r.Body, "Are you sure you want to retire this programme?") {
		t.Fatalf("retire without confirming: %d", r.StatusCode)
	}
	if n := dirCount(t, a, `SELECT count(*) FROM programmes WHERE id = $1::bigint AND active`, id); n != 1 {
		t.Fatal("retired before confirming")
	}
	r = admin.Post("/admin/programmes/"+id+"/retire", form("confirm", "yes"))
	if r.StatusCode != http.StatusSeeOther || r.Location() != "/directory/programmes/"+id {
		t.Fatalf("retire: %d to %q", r.StatusCode, r.Location())
	}
	if msg, _ := banner(mustGet(t, admin, r.Location())); msg != "Motorcycle Maintenance has been retired: it no longer appears in searches" {
		t.Errorf("banner %q", msg)
	}
	r = admin.Post("/admin/programmes/"+id+"/retire", form("confirm", "yes"))
	if r.StatusCode != http.StatusSeeOther {
		t.Errorf("retire twice: %d", r.StatusCode)
	}
	if auditCount(t, a, "programme.retired", id) != 1 {
		t.Errorf("%d audit entries for retiring, want 1", auditCount(t, a, "programme.retired", id))
	}

	c := dirSignedIn(t, a, dirCoordinator)
	for _, path := range []string{"/directory?q=carburettor", "/directory?q=carburettor&retired=1"} {
		if rows := dirResultRows(mustGet(t, c, path)); len(rows) != 0 {
			t.Errorf("a coordinator's %s found the retired programme: %v", path, rows)
		}
	}
	doc := mustGet(t, c, "/directory/programmes/"+id)
	if !strings.Contains(doc.Find("h1").Text(), "Retired") || !strings.Contains(doc.Find(".govuk-inset-text").Text(), "retired on 23 November 2026") {
		t.Error("retired programme page does not say it is retired")
	}
	if rows := dirResultRows(mustGet(t, admin, "/directory?q=carburettor&retired=1")); len(rows) != 1 || !strings.Contains(rows[0][0], "Retired") {
		t.Errorf("admin including retired: %v", rows)
	}
	if r := admin.Get("/admin/programmes/" + id + "/edit"); r.StatusCode != http.StatusConflict || !strings.Contains(r.Body, "cannot be changed") {
		t.Errorf("editing a retired programme: %d", r.StatusCode)
	}
}

// dirValidProvider is a complete new-provider form.
func dirValidProvider() url.Values {
	return url.Values{
		"name": {"Skyline Access Training"}, "registered": {"yes"}, "ukprn": {"19009999"}, "urn": {""}, "setting_type": {""},
		"address": {"Unit 9, Scaffold Way, Coventry"}, "postcode": {"cv3 4fx"}, "phone": {"024 7696 0999"}, "email": {"office@skyline.provider.example"},
		"dsl_name": {"Ruth Ellery"}, "dsl_email": {"dsl@skyline.provider.example"}, "dsl_phone": {"07700 900999"},
		"site_rows": {"1"}, "site-1-id": {""}, "site-1-name": {"Tower yard"}, "site-1-address": {"Tower Street, Coventry"}, "site-1-postcode": {"CV1 1LS"},
	}
}

func TestProvidersAreAddedChangedAndRetiredWithTheirProgrammes(t *testing.T) {
	a := testapp.New(t)
	admin := signedInAdmin(t, a)

	bad := dirValidProvider()
	bad.Set("ukprn", "")
	bad.Set("dsl_email", "ruth")
	bad.Set("site-1-postcode", "")
	r := admin.Post("/admin/providers", bad)
	if r.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("bad provider: %d", r.StatusCode)
	}
	doc := r.Doc(t)
	want := []string{
		"#ukprn Enter the provider’s UKPRN or URN: a registered provider has one",
		"#dsl_email Enter an email address in the correct format, like name@example.com",
		"#site-1-postcode Enter the site’s postcode, like CV1 2GN",
	}
	if got := errorSummary(doc); !slices.Equal(got, want) {
		t.Errorf("errors %v, want %v", got, want)
	}
	if v, _ := doc.Find("#dsl_email").Attr("value"); v != "ruth" {
		t.Errorf("DSL email kept as %q", v)
	}
	if v, _ := doc.Find("#site-1-name").Attr("value"); v != "Tower yard" {
		t.Errorf("site name kept as %q", v)
	}

	// Unanswered, the registration question is the only problem: no UKPRN or type of setting is asked for yet.
	unanswered := dirValidProvider()
	unanswered.Del("registered")
	unanswered.Set("ukprn", "")
	r = admin.Post("/admin/providers", unanswered)
	if got := errorSummary(r.Doc(t)); r.StatusCode != http.StatusUnprocessableEntity || !slices.Equal(got, []string{"#registered Select whether the provider is registered"}) {
		t.Errorf("registration unanswered: %d %v", r.StatusCode, got)
	}

	taken := dirValidProvider()
	taken.Set("ukprn", "19000301")
	if r := admin.Post("/admin/providers", taken); r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "Another organisation already has this UKPRN") {
		t.Errorf("taken UKPRN: %d", r.StatusCode)
	}

	r = admin.Post("/admin/providers", dirValidProvider())
	if r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(r.Location(), "/directory/providers/") {
		t.Fatalf("add provider: %d to %q", r.StatusCode, r.Location())
	}
	id := strings.TrimPrefix(r.Location(), "/directory/providers/")
	if auditCount(t, a, "provider.created", id) != 1 {
		t.Error("no audit entry for the new provider")
	}
	doc = mustGet(t, admin, r.Location())
	details := dirSummary(doc, "provider-details")
	if !strings.Contains(details, "UKPRN: 19009999") || !strings.Contains(details, "Address: Unit 9, Scaffold Way, Coventry, CV3 4FX") || !strings.Contains(details, "Designated safeguarding lead: Ruth Ellery") {
		t.Errorf("new provider: %s", details)
	}
	if r := admin.Post("/admin/providers", dirValidProvider()); r.StatusCode != http.StatusSeeOther || r.Location() != "/directory/providers/"+id {
		t.Errorf("second send: %d to %q", r.StatusCode, r.Location())
	}

	// A programme at it, then a change of name that search follows.
	prog := dirValidProgramme(id)
	if r := admin.Post("/admin/programmes", prog); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("programme at the new provider: %d", r.StatusCode)
	}
	edit := dirFormValues(mustGet(t, admin, "/admin/providers/"+id+"/edit").Find(`form[action="/admin/providers/` + id + `"]`))
	if edit.Get("site-1-name") != "Tower yard" || edit.Get("registered") != "yes" {
		t.Fatalf("edit form %v", edit)
	}
	edit.Set("name", "Highline Access Training")
	if r := admin.Post("/admin/providers/"+id, edit); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("rename: %d", r.StatusCode)
	}
	c := dirSignedIn(t, a, dirCoordinator)
	if rows := dirResultRows(mustGet(t, c, "/directory?q=highline")); len(rows) != 1 || rows[0][1] != "Highline Access Training" {
		t.Errorf("search by the new name: %v", rows)
	}

	r = admin.Post("/admin/providers/"+id+"/retire", nil)
	if r.StatusCode != http.StatusOK || !strings.Contains(r.Body, "Its programme Drone Piloting will be retired too.") {
		t.Fatalf("retire without confirming: %d", r.StatusCode)
	}
	r = admin.Post("/admin/providers/"+id+"/retire", form("confirm", "yes"))
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("retire: %d", r.StatusCode)
	}
	if msg, _ := banner(mustGet(t, admin, r.Location())); msg != "Highline Access Training and its 1 current programme have been retired" {
		t.Errorf("banner %q", msg)
	}
	if n := dirCount(t, a, `SELECT count(*) FROM programmes WHERE organisation_id = $1::bigint AND active`, id); n != 0 {
		t.Errorf("%d programmes still active at a retired provider", n)
	}
	if auditCount(t, a, "provider.retired", id) != 1 {
		t.Error("no audit entry for retiring")
	}
	if r := admin.Post("/admin/providers/"+id, edit); r.StatusCode != http.StatusConflict {
		t.Errorf("changing a retired provider: %d, want 409", r.StatusCode)
	}
	if rows := dirResultRows(mustGet(t, c, "/directory?q=drone")); len(rows) != 0 {
		t.Errorf("retired provider's programme found: %v", rows)
	}
	if r := c.Get("/directory/providers/" + id); r.StatusCode != http.StatusOK {
		t.Errorf("retired provider's page: %d", r.StatusCode)
	}
}
