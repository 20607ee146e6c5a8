package ui_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/placement/placementtest"
	"github.com/coventry-cap/capportal/internal/testapp"
)

const (
	rgRidgeway    = "staff@ridgeway.provider.example"
	rgLumen       = "staff@lumen.provider.example"
	rgCoordinator = "coordinator@whitmore.school.example"
	rgCanleybrook = "coordinator@canleybrook.school.example"
	rgAdmin       = "admin@cap.example"
	rgMonitoring  = "monitoring@cap.example"
)

var rgDay = calendar.NewDate

// rgFixture is the test portal (Monday 23 November 2026, 9:30) with Kai at Ridgeway on Mondays and
// Tuesdays from 2 November, Tyler there on Monday mornings from 16 November, and Kai at Lumen on
// Wednesday mornings.
type rgFixture struct {
	a                       *testapp.App
	kai, tyler, kaiLumen    int64
	ridgeway, lumen         int64
	kaiStudent, tylerSchool int64
}

func rgSetUp(t *testing.T) rgFixture {
	t.Helper()
	a := testapp.New(t)
	f := rgFixture{a: a}
	f.kai = placementtest.Create(t, a.Pool, placementtest.Spec{Student: "Kai", Provider: "ridgeway", Start: rgDay(2026, time.November, 2), Days: []int32{1, 2}})
	f.tyler = placementtest.Create(t, a.Pool, placementtest.Spec{Student: "Tyler", Provider: "ridgeway", Start: rgDay(2026, time.November, 16), Days: []int32{1}, Sessions: []string{"am"}})
	f.kaiLumen = placementtest.Create(t, a.Pool, placementtest.Spec{Student: "Kai", Provider: "lumen", Start: rgDay(2026, time.November, 4), Days: []int32{3}, Sessions: []string{"am"}})
	ctx := context.Background()
	for slug, id := range map[string]*int64{"ridgeway": &f.ridgeway, "lumen": &f.lumen} {
		if err := a.Pool.QueryRow(ctx, `SELECT id FROM organisations WHERE slug = $1`, slug).Scan(id); err != nil {
			t.Fatal(err)
		}
	}
	if err := a.Pool.QueryRow(ctx, `SELECT student_id FROM placements WHERE id = $1`, f.kai).Scan(&f.kaiStudent); err != nil {
		t.Fatal(err)
	}
	return f
}

func (f rgFixture) register(provider int64, day calendar.Date, session string) string {
	return fmt.Sprintf("/registers/%d/%s/%s", provider, day, session)
}

func (f rgFixture) count(t *testing.T, sql string, args ...any) int {
	t.Helper()
	var n int
	if err := f.a.Pool.QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func (f rgFixture) audited(t *testing.T, r testapp.Response) bool {
	return f.count(t, `SELECT count(*) FROM audit_log WHERE request_id = $1`, r.Header.Get("X-Request-Id")) > 0
}

// The morning register of 23 November at Ridgeway has Kai and Tyler. Problems come back together
// with everything typed kept; the saved register shows each mark's DfE code, who took it, and a
// Correct link; sending it again records nothing more and leads to the same saved register.
func TestTheRegisterIsTakenInOnePostWithProblemsKeptAndASecondSendRecordedOnce(t *testing.T) {
	f := rgSetUp(t)
	staff := pwSignedIn(t, f.a, rgRidgeway)
	today := rgDay(2026, time.November, 23)
	href := f.register(f.ridgeway, today, "am")

	list := staff.Get("/registers")
	if list.StatusCode != http.StatusOK {
		t.Fatalf("/registers: %d", list.StatusCode)
	}
	if got := pwText(list.Doc(t).Find("[data-testid=registers] tbody")); got != "Morning register 2 learners Not taken Afternoon register 1 learner Not taken" {
		t.Errorf("today's registers: %q", got)
	}
	if list.Doc(t).Find(`a[href="`+href+`"]`).Length() != 1 {
		t.Error("no link to the morning register")
	}

	page := staff.Get(href)
	if page.StatusCode != http.StatusOK || !f.audited(t, page) {
		t.Fatalf("the register: %d, audited %v", page.StatusCode, f.audited(t, page))
	}
	doc := page.Doc(t)
	if got := doc.Find("[data-testid=learner] legend").Map(func(_ int, s *goquery.Selection) string { return s.Text() }); strings.Join(got, ",") != "Kai Adeyemi-Brown,Tyler Cooke" {
		t.Errorf("learners %v", got)
	}
	if doc.Find("input[type=radio][checked]").Length() != 0 {
		t.Error("a mark is chosen before anyone chose it")
	}
	if doc.Find("#conditional-mark-"+itoa64(f.kai)+"-2 #late-"+itoa64(f.kai)).Length() != 1 {
		t.Error("Late does not reveal the minutes")
	}
	// Mark everyone present: a link that fills the form in, saved only when the provider saves it.
	all := staff.Get(href + "?present=all")
	if n := all.Doc(t).Find("input[type=radio][value=present][checked]").Length(); n != 2 {
		t.Errorf("everyone present checks %d", n)
	}
	if f.count(t, `SELECT count(*) FROM attendance_marks`) != 0 {
		t.Fatal("filling the form in saved marks")
	}

	kai, tyler := itoa64(f.kai), itoa64(f.tyler)
	bad := url.Values{"mark-" + kai: {"late"}, "late-" + kai: {"ten"}, "mark-" + tyler: {"absent"}, "reason-" + tyler: {""}, "note-" + tyler: {"Rang in"}}
	r := staff.Post(href, bad)
	if r.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("bad marks: %d", r.StatusCode)
	}
	doc = r.Doc(t)
	var links []string
	doc.Find(".govuk-error-summary a").Each(func(_ int, s *goquery.Selection) { links = append(links, s.AttrOr("href", "")) })
	if strings.Join(links, " ") != "#late-"+kai+" #reason-"+tyler {
		t.Errorf("error summary links %v: %q", links, pwText(doc.Find(".govuk-error-summary")))
	}
	if !strings.Contains(pwText(doc.Find(".govuk-error-summary")), "Enter how many minutes late Kai Adeyemi-Brown was") {
		t.Errorf("summary %q", pwText(doc.Find(".govuk-error-summary")))
	}
	if doc.Find("#mark-"+kai+"-2[checked]").Length() != 1 || doc.Find("#late-"+kai).AttrOr("value", "") != "ten" ||
		doc.Find("#mark-"+tyler+"-3[checked]").Length() != 1 || doc.Find("#note-"+tyler).AttrOr("value", "") != "Rang in" {
		t.Error("what was typed was not kept")
	}
	if doc.Find("#conditional-mark-"+kai+"-2.govuk-radios__conditional--hidden").Length() != 0 {
		t.Error("the chosen mark's minutes are hidden")
	}
	if !strings.HasPrefix(doc.Find("title").Text(), "Error: ") {
		t.Errorf("title %q", doc.Find("title").Text())
	}
	// Nobody marked: each learner's radios are linked.
	r = staff.Post(href, url.Values{})
	if got := r.Doc(t).Find(".govuk-error-summary a").First().AttrOr("href", ""); r.StatusCode != http.StatusUnprocessableEntity || got != "#mark-"+kai {
		t.Errorf("an empty register: %d, first link %q", r.StatusCode, got)
	}

	good := url.Values{"mark-" + kai: {"late"}, "late-" + kai: {"15"}, "mark-" + tyler: {"absent"}, "reason-" + tyler: {"unauthorised"}, "note-" + tyler: {""}}
	first := staff.Post(href, good)
	second := staff.Post(href, good)
	for i, r := range []testapp.Response{first, second} {
		if r.StatusCode != http.StatusSeeOther || r.Location() != href {
			t.Fatalf("send %d: %d to %q", i+1, r.StatusCode, r.Location())
		}
	}
	if n := f.count(t, `SELECT count(*) FROM attendance_marks`); n != 2 {
		t.Fatalf("%d marks after sending twice", n)
	}
	saved := staff.Get(href)
	doc = saved.Doc(t)
	if got := pwText(doc.Find(".govuk-notification-banner")); !strings.Contains(got, "already saved") {
		t.Errorf("after the second send: %q", got)
	}
	table := pwText(doc.Find("[data-testid=marks] tbody"))
	for _, want := range []string{"Kai Adeyemi-Brown", "Late (15 minutes) B Attending an approved educational activity off site",
		"Tyler Cooke", "Absent: Unauthorised (no reason known) O Absent in other or unknown circumstances (unauthorised)", "Craig Holloway, 23 November 2026 at 9:30am"} {
		if !strings.Contains(table, want) {
			t.Errorf("the saved register lacks %q: %q", want, table)
		}
	}
	if doc.Find("[data-testid=register-form]").Length() != 0 {
		t.Error("the form is still offered when everyone is marked")
	}
	if doc.Find(`a[href^="/marks/"][href$="/correct"]`).Length() != 2 {
		t.Error("no Correct link per mark")
	}
	if got := pwText(doc.Find("[data-testid=register-taken]")); got != "Taken by Craig Holloway on 23 November 2026 at 9:30am." {
		t.Errorf("taken: %q", got)
	}
	if got := pwText(staff.Get("/registers").Doc(t).Find("[data-testid=registers] tbody")); !strings.Contains(got, "Morning register 2 learners Taken By Craig Holloway") {
		t.Errorf("the day's registers after: %q", got)
	}
}

// A learner whose placement starts after the register was taken joins it unmarked, and is marked then.
func TestALearnerAddedAfterTheRegisterWasTakenIsMarkedThen(t *testing.T) {
	f := rgSetUp(t)
	staff := pwSignedIn(t, f.a, rgRidgeway)
	today := rgDay(2026, time.November, 23)
	href := f.register(f.ridgeway, today, "pm")
	if r := staff.Post(href, url.Values{"mark-" + itoa64(f.kai): {"present"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("take: %d", r.StatusCode)
	}
	amelia := placementtest.Create(t, f.a.Pool, placementtest.Spec{Student: "Amelia", Provider: "ridgeway", Start: today, Days: []int32{1}, Sessions: []string{"pm"}})
	doc := staff.Get(href).Doc(t)
	if got := pwText(doc.Find("main")); !strings.Contains(got, "Not yet marked") || doc.Find("[data-testid=learner] legend").Text() != "Amelia Barker" {
		t.Fatalf("the register with a new learner: %q", got)
	}
	if r := staff.Post(href, url.Values{"mark-" + itoa64(amelia): {"no_session"}, "nosession-" + itoa64(amelia): {""}}); r.StatusCode != http.StatusUnprocessableEntity ||
		r.Doc(t).Find(".govuk-error-summary a").AttrOr("href", "") != "#nosession-"+itoa64(amelia) {
		t.Fatalf("no session without why: %d %q", r.StatusCode, r.Doc(t).Find(".govuk-error-summary a").AttrOr("href", ""))
	}
	if r := staff.Post(href, url.Values{"mark-" + itoa64(amelia): {"no_session"}, "nosession-" + itoa64(amelia): {"Workshop closed for a gas leak"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("mark the new learner: %d", r.StatusCode)
	}
	if n := f.count(t, `SELECT count(*) FROM attendance_marks WHERE placement_id = $1 AND code = '–'`, amelia); n != 1 {
		t.Errorf("Amelia's mark: %d", n)
	}
}

// A provider gets a 404 for another provider's register, its marks and its placements; a school's
// staff do not take registers at all.
func TestRegistersAndPlacementsAreScopedToTheirProviderAndSchool(t *testing.T) {
	f := rgSetUp(t)
	today := rgDay(2026, time.November, 23)
	href := f.register(f.ridgeway, today, "am")
	staff := pwSignedIn(t, f.a, rgRidgeway)
	if r := staff.Post(href, url.Values{"mark-" + itoa64(f.kai): {"present"}, "mark-" + itoa64(f.tyler): {"present"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("take: %d", r.StatusCode)
	}
	var mark int64
	if err := f.a.Pool.QueryRow(context.Background(), `SELECT id FROM attendance_marks WHERE placement_id = $1`, f.kai).Scan(&mark); err != nil {
		t.Fatal(err)
	}
	lumen := pwSignedIn(t, f.a, rgLumen)
	for _, path := range []string{href, "/marks/" + itoa64(mark) + "/correct", "/placements/" + itoa64(f.kai), "/placements/" + itoa64(f.kai) + "/plan",
		f.register(f.ridgeway, today, "xx"), f.register(f.ridgeway, today, "am") + "x"} {
		if r := lumen.Get(path); r.StatusCode != http.StatusNotFound {
			t.Errorf("Lumen GET %s: %d", path, r.StatusCode)
		}
	}
	if r := lumen.Post(href, url.Values{"mark-" + itoa64(f.kai): {"absent"}}); r.StatusCode != http.StatusNotFound {
		t.Errorf("Lumen POST to Ridgeway's register: %d", r.StatusCode)
	}
	if r := lumen.Post("/marks/"+itoa64(mark)+"/correct", url.Values{"mark-" + itoa64(f.kai): {"absent"}, "why": {"x"}}); r.StatusCode != http.StatusNotFound {
		t.Errorf("Lumen correcting Ridgeway's mark: %d", r.StatusCode)
	}
	// Lumen's own list and registers never name Ridgeway's learners or count them.
	own := lumen.Get("/placements")
	if got := pwText(own.Doc(t).Find("main")); strings.Contains(got, "Tyler") || strings.Count(got, "Kai Adeyemi-Brown") != 1 {
		t.Errorf("Lumen's placements: %q", got)
	}
	if got := pwText(lumen.Get("/placements?provider=" + itoa64(f.ridgeway)).Doc(t).Find("main")); strings.Contains(got, "Tyler") || !strings.Contains(got, "Attendance at Lumen Academy") {
		t.Errorf("Lumen asking for Ridgeway's: %q", got)
	}
	if got := pwText(lumen.Get("/registers?provider=" + itoa64(f.ridgeway)).Doc(t).Find("main")); strings.Contains(got, "Ridgeway") || strings.Contains(got, "2 learners") {
		t.Errorf("Lumen's registers page asked for Ridgeway: %q", got)
	}

	school := pwSignedIn(t, f.a, rgCoordinator)
	for _, path := range []string{"/registers", href, "/marks/" + itoa64(mark) + "/correct"} {
		if r := school.Get(path); r.StatusCode != http.StatusForbidden {
			t.Errorf("a coordinator GET %s: %d", path, r.StatusCode)
		}
	}
	other := pwSignedIn(t, f.a, rgCanleybrook)
	for _, id := range []int64{f.kai, f.kaiLumen} {
		if r := other.Get("/placements/" + itoa64(id)); r.StatusCode != http.StatusNotFound {
			t.Errorf("another school's coordinator GET placement %d: %d", id, r.StatusCode)
		}
	}
	if got := pwText(other.Get("/placements").Doc(t).Find("main")); strings.Contains(got, "Kai") {
		t.Errorf("another school lists %q", got)
	}
	if r := pwSignedIn(t, f.a, "panel@cap.example").Get("/placements"); r.StatusCode != http.StatusForbidden {
		t.Errorf("a panel member: %d", r.StatusCode)
	}
}

// A correction keeps the original: the placement page and the correction page show what it was,
// who changed it, when and why, and the school sees the new code.
func TestACorrectionKeepsTheOriginalOnThePlacementAndCorrectionPages(t *testing.T) {
	f := rgSetUp(t)
	today := rgDay(2026, time.November, 23)
	staff := pwSignedIn(t, f.a, rgRidgeway)
	kai, tyler := itoa64(f.kai), itoa64(f.tyler)
	if r := staff.Post(f.register(f.ridgeway, today, "am"), url.Values{"mark-" + kai: {"absent"}, "reason-" + kai: {"unauthorised"}, "mark-" + tyler: {"present"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("take: %d", r.StatusCode)
	}
	var mark int64
	if err := f.a.Pool.QueryRow(context.Background(), `SELECT id FROM attendance_marks WHERE placement_id = $1`, f.kai).Scan(&mark); err != nil {
		t.Fatal(err)
	}
	href := "/marks/" + itoa64(mark) + "/correct"
	officer := pwSignedIn(t, f.a, rgMonitoring)
	form := officer.Get(href)
	if form.StatusCode != http.StatusOK || !f.audited(t, form) {
		t.Fatalf("the correction form: %d", form.StatusCode)
	}
	if form.Doc(t).Find("#mark-"+kai+"-3[checked]").Length() != 1 {
		t.Error("the form does not start from the mark as it is")
	}
	f.a.Clock.Advance(20 * time.Minute)
	r := officer.Post(href, url.Values{"mark-" + kai: {"absent"}, "reason-" + kai: {"illness"}, "why": {"  "}})
	if r.StatusCode != http.StatusUnprocessableEntity || r.Doc(t).Find(".govuk-error-summary a").AttrOr("href", "") != "#why" ||
		r.Doc(t).Find("#reason-"+kai+" option[selected]").AttrOr("value", "") != "illness" {
		t.Fatalf("no reason: %d %q", r.StatusCode, pwText(r.Doc(t).Find(".govuk-error-summary")))
	}
	r = officer.Post(href, url.Values{"mark-" + kai: {"absent"}, "reason-" + kai: {"illness"}, "why": {"His mother rang at 9:45: he has a temperature"}})
	if r.StatusCode != http.StatusSeeOther || r.Location() != f.register(f.ridgeway, today, "am") {
		t.Fatalf("correct: %d to %q", r.StatusCode, r.Location())
	}
	if n := f.count(t, `SELECT count(*) FROM attendance_mark_history WHERE mark_id = $1 AND code = 'O'`, mark); n != 1 {
		t.Fatalf("the original kept %d times", n)
	}
	want := "Was: Absent: Unauthorised (no reason known) (O), recorded by Craig Holloway on 23 November 2026 at 9:30am. Changed by Dean Hargreaves on 23 November 2026 at 9:50am: “His mother rang at 9:45: he has a temperature”"
	for who, path := range map[string]string{rgCoordinator: "/placements/" + kai, rgRidgeway: "/placements/" + kai} {
		doc := pwSignedIn(t, f.a, who).Get(path).Doc(t)
		if got := pwText(doc.Find("[data-testid=marks] [data-testid=mark-history]")); !strings.Contains(got, strings.TrimPrefix(want, "Was: ")) {
			t.Errorf("%s sees the history as %q", who, got)
		}
		if got := pwText(doc.Find("[data-testid=marks] tbody tr").First()); !strings.Contains(got, "Absent: Illness") || !strings.Contains(got, "I Illness") {
			t.Errorf("%s sees the mark as %q", who, got)
		}
	}
	if got := pwText(officer.Get(href).Doc(t).Find("[data-testid=mark-history]")); !strings.Contains(got, strings.TrimPrefix(want, "Was: ")) {
		t.Errorf("the correction page's history: %q", got)
	}
	// The school copies the codes from the student's page too.
	doc := pwSignedIn(t, f.a, rgCoordinator).Get("/students/" + itoa64(f.kaiStudent)).Doc(t)
	if got := pwText(doc.Find("[data-testid=marks] tbody")); !strings.Contains(got, "Ridgeway Motor Skills Absent: Illness") || !strings.Contains(got, "I Illness") {
		t.Errorf("the student page's marks: %q", got)
	}
}

// CAP picks the provider; anyone opens an earlier day with the date picker, which refuses a day
// that is not real or has not come yet, and says when a day has no registers.
func TestTheDaysRegistersForAProviderAndADay(t *testing.T) {
	f := rgSetUp(t)
	officer := pwSignedIn(t, f.a, rgMonitoring)
	if got := pwText(officer.Get("/registers").Doc(t).Find("main")); !strings.Contains(got, "Choose a training provider to see its registers") {
		t.Errorf("CAP before choosing: %q", got)
	}
	base := "/registers?provider=" + itoa64(f.ridgeway)
	doc := officer.Get(base + "&day-day=16&day-month=11&day-year=2026").Doc(t)
	if got := pwText(doc.Find("[data-testid=registers] tbody")); got != "Morning register 2 learners Not taken Afternoon register 1 learner Not taken" {
		t.Errorf("Monday 16 November: %q", got)
	}
	if got := pwText(doc.Find(".govuk-pagination")); !strings.Contains(got, "Previous school day : Friday 13 November 2026") || !strings.Contains(got, "Next school day : Tuesday 17 November 2026") {
		t.Errorf("the days around: %q", got)
	}
	if got := pwText(officer.Get(base + "&date=2026-11-18").Doc(t).Find("[data-testid=registers] tbody")); got != "Morning 0 learners Nobody expected Afternoon 0 learners Nobody expected" {
		t.Errorf("a Wednesday at Ridgeway: %q", got)
	}
	if got := pwText(officer.Get(base + "&date=2026-11-21").Doc(t).Find("main")); !strings.Contains(got, "There are no registers on Saturday 21 November 2026: it is not a school day") {
		t.Errorf("a Saturday: %q", got)
	}
	for _, c := range []struct{ day, month, year, says string }{
		{"31", "2", "2026", "The date must be a real date"}, {"24", "11", "2026", "The date must be today or in the past"}, {"", "11", "2026", "The date must include a day"},
	} {
		r := officer.Get(base + "&day-day=" + c.day + "&day-month=" + c.month + "&day-year=" + c.year)
		if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(pwText(r.Doc(t).Find(".govuk-error-summary")), c.says) || r.Doc(t).Find("#day-month").AttrOr("value", "") != c.month {
			t.Errorf("%s/%s/%s: %d %q", c.day, c.month, c.year, r.StatusCode, pwText(r.Doc(t).Find(".govuk-error-summary")))
		}
	}
	// A register of a day to come is not taken yet.
	if got := pwText(officer.Get(f.register(f.ridgeway, rgDay(2026, time.November, 24), "am")).Doc(t).Find("main")); !strings.Contains(got, "This register can be taken on the day, Tuesday 24 November 2026") {
		t.Errorf("tomorrow's register: %q", got)
	}
}
