package ui_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/coventry-cap/capportal/internal/placement/placementtest"
)

// The placement page shows what the placement records, with the status "Starts on …" before it
// starts, and is audited; the referral and the student link to it.
func TestThePlacementPageShowsEverythingThePlacementRecords(t *testing.T) {
	f := rgSetUp(t)
	school := pwSignedIn(t, f.a, rgCoordinator)
	r := school.Get("/placements/" + itoa64(f.kai))
	if r.StatusCode != http.StatusOK || !f.audited(t, r) {
		t.Fatalf("the placement page: %d, audited %v", r.StatusCode, f.audited(t, r))
	}
	doc := r.Doc(t)
	details := pwText(doc.Find("[data-testid=placement-details]"))
	for _, want := range []string{"Student Kai Adeyemi-Brown", "Year group Year 10", "School Whitmore", "Training provider Ridgeway Motor Skills", "Programme", "Referral CAP-9999-"} {
		if !strings.Contains(details, want) {
			t.Errorf("details lack %q: %q", want, details)
		}
	}
	plan := pwText(doc.Find("[data-testid=placement-plan]"))
	for _, want := range []string{"Start date Monday 2 November 2026", "Days Monday and Tuesday", "Sessions Morning and afternoon", "Hours a week 10",
		"Objectives Not recorded yet", "Reintegration plan Not recorded yet", "Review dates Friday 18 December 2026", "Monitoring officer Any CAP monitoring officer"} {
		if !strings.Contains(plan, want) {
			t.Errorf("the plan lacks %q: %q", want, plan)
		}
	}
	if got := pwText(doc.Find("[data-testid=placement-status]")); got != "Active" {
		t.Errorf("status %q", got)
	}
	if doc.Find(`a[href$="/plan"]`).Length() != 0 {
		t.Error("the school is offered the plan to change")
	}
	if doc.Find(`a[href="/students/`+itoa64(f.kaiStudent)+`"]`).Length() != 1 {
		t.Error("no link to the student")
	}
	var ref string
	if err := f.a.Pool.QueryRow(context.Background(), `SELECT r.reference FROM referrals r JOIN placements p ON p.referral_id = r.id WHERE p.id = $1`, f.kai).Scan(&ref); err != nil {
		t.Fatal(err)
	}
	if school.Get("/referrals/"+ref).Doc(t).Find(`[data-testid=referral-placement] a[href="/placements/`+itoa64(f.kai)+`"]`).Length() != 1 {
		t.Error("the referral does not link its placement")
	}
	// Before it starts.
	soon := pwSignedIn(t, f.a, rgRidgeway)
	future := placementtest.Create(t, f.a.Pool, placementtest.Spec{Student: "Amelia", Provider: "ridgeway", Start: rgDay(2026, time.December, 1), Days: []int32{2}})
	if got := pwText(soon.Get("/placements/" + itoa64(future)).Doc(t).Find("[data-testid=placement-status]")); got != "Starts on Tuesday 1 December 2026" {
		t.Errorf("a placement to come: %q", got)
	}
	// Ridgeway's staff see no link to the student (they have no student pages) but change the objectives.
	doc = soon.Get("/placements/" + itoa64(f.kai)).Doc(t)
	if doc.Find(`a[href^="/students/"]`).Length() != 0 || doc.Find(`a[href="/placements/`+itoa64(f.kai)+`/plan"]`).Text() != "Change the objectives and reintegration plan" {
		t.Error("the provider's links")
	}
}

// CAP changes the plan; a problem comes back with what was typed; the provider changes only the
// objectives and reintegration plan.
func TestThePlanFormByWhoMayChangeWhat(t *testing.T) {
	f := rgSetUp(t)
	href := "/placements/" + itoa64(f.kai) + "/plan"
	admin := pwSignedIn(t, f.a, rgAdmin)
	form := admin.Get(href)
	if form.StatusCode != http.StatusOK {
		t.Fatalf("the plan form: %d", form.StatusCode)
	}
	doc := form.Doc(t)
	if doc.Find("#review-1-day").AttrOr("value", "") != "18" || doc.Find("#review-3-day").Length() != 1 || doc.Find("#days-2[checked]").Length() != 1 {
		t.Errorf("the form does not start from the plan")
	}
	post := url.Values{"planned_end-day": {"12"}, "planned_end-month": {"2"}, "planned_end-year": {"2027"},
		"days": {"1", "2"}, "sessions": {"am", "pm"}, "hours": {"12.5"}, "objectives": {"Level 1 in vehicle maintenance"}, "reintegration": {"Back to Whitmore full time after February half term"},
		"review-1-day": {"18"}, "review-1-month": {"12"}, "review-1-year": {"2026"}, "review-2-day": {""}, "review-2-month": {""}, "review-2-year": {""},
		"monitoring_officer": {""}}
	r := admin.Post(href, post)
	if r.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("a plan without a spring review: %d", r.StatusCode)
	}
	doc = r.Doc(t)
	if got := pwText(doc.Find(".govuk-error-summary")); !strings.Contains(got, "none falls in the first half of the spring term (4 January 2027 to 12 February 2027)") ||
		doc.Find(".govuk-error-summary a").AttrOr("href", "") != "#review-1-day" {
		t.Errorf("summary %q", got)
	}
	if doc.Find("#objectives").Text() != "Level 1 in vehicle maintenance" || doc.Find("#hours").AttrOr("value", "") != "12.5" || doc.Find("#planned_end-day").AttrOr("value", "") != "12" {
		t.Error("what was typed was lost")
	}
	post.Set("review-2-day", "12")
	post.Set("review-2-month", "2")
	post.Set("review-2-year", "2027")
	post.Set("hours", "lots")
	if r := admin.Post(href, post); r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(pwText(r.Doc(t).Find(".govuk-error-summary")), "hours a week") {
		t.Fatalf("hours typed as words: %d", r.StatusCode)
	}
	post.Set("hours", "12.5")
	if r := admin.Post(href, post); r.StatusCode != http.StatusSeeOther || r.Location() != "/placements/"+itoa64(f.kai) {
		t.Fatalf("save: %d %q", r.StatusCode, r.Location())
	}
	plan := pwText(admin.Get("/placements/" + itoa64(f.kai)).Doc(t).Find("[data-testid=placement-plan]"))
	for _, want := range []string{"Planned end date 12 February 2027", "Hours a week 12.5", "Objectives Level 1 in vehicle maintenance",
		"Review dates Friday 18 December 2026, Friday 12 February 2027"} {
		if !strings.Contains(plan, want) {
			t.Errorf("saved plan lacks %q: %q", want, plan)
		}
	}

	staff := pwSignedIn(t, f.a, rgRidgeway)
	doc = staff.Get(href).Doc(t)
	if doc.Find("#hours").Length() != 0 || doc.Find("#objectives").Length() != 1 {
		t.Error("the provider is offered more than the objectives and reintegration plan")
	}
	if r := staff.Post(href, url.Values{"objectives": {"Level 1, and a week's work placement"}, "reintegration": {"Unchanged"}, "hours": {"40"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("the provider saves: %d", r.StatusCode)
	}
	plan = pwText(staff.Get("/placements/" + itoa64(f.kai)).Doc(t).Find("[data-testid=placement-plan]"))
	if !strings.Contains(plan, "Objectives Level 1, and a week's work placement") || !strings.Contains(plan, "Hours a week 12.5") {
		t.Errorf("after the provider's change: %q", plan)
	}
	if r := pwSignedIn(t, f.a, rgCoordinator).Get(href); r.StatusCode != http.StatusForbidden {
		t.Errorf("a coordinator: %d", r.StatusCode)
	}
}

// The weekly figures on the placement page, the student page and CAP's provider view match the
// marks: Kai at Ridgeway, week of 16 November: Monday present and late, Tuesday absent (illness)
// and no session; week of 23 November (today): Monday morning present.
func TestTheWeeklyAttendanceChartAndTableShowTheSameFigures(t *testing.T) {
	f := rgSetUp(t)
	staff := pwSignedIn(t, f.a, rgRidgeway)
	kai, tyler := itoa64(f.kai), itoa64(f.tyler)
	for _, reg := range []struct {
		day     int
		session string
		form    url.Values
	}{
		{16, "am", url.Values{"mark-" + kai: {"present"}, "mark-" + tyler: {"present"}}},
		{16, "pm", url.Values{"mark-" + kai: {"late"}, "late-" + kai: {"20"}}},
		{17, "am", url.Values{"mark-" + kai: {"absent"}, "reason-" + kai: {"illness"}}},
		{17, "pm", url.Values{"mark-" + kai: {"no_session"}, "nosession-" + kai: {"Tutor ill"}}},
		{23, "am", url.Values{"mark-" + kai: {"present"}, "mark-" + tyler: {"absent"}, "reason-" + tyler: {"unauthorised"}}},
	} {
		if r := staff.Post(f.register(f.ridgeway, rgDay(2026, time.November, reg.day), reg.session), reg.form); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("register %d %s: %d %s", reg.day, reg.session, r.StatusCode, pwText(r.Doc(t).Find(".govuk-error-summary")))
		}
	}
	doc := staff.Get("/placements/" + kai).Doc(t)
	rows := doc.Find("[data-testid=attendance-table] tbody tr").Map(func(_ int, s *goquery.Selection) string { return pwText(s) })
	// 2 and 9 November: registers not taken, 4 sessions each.
	want := []string{"2 Nov (Week beginning 2 November 2026) 0 of 0 None recorded 0 4", "9 Nov (Week beginning 9 November 2026) 0 of 0 None recorded 0 4",
		"16 Nov (Week beginning 16 November 2026) 2 of 3 66.7% 1 0", "23 Nov (Week beginning 23 November 2026) 1 of 1 100% 0 0"}
	if strings.Join(rows, "|") != strings.Join(want, "|") {
		t.Errorf("weekly table:\n%s\nwant\n%s", strings.Join(rows, "\n"), strings.Join(want, "\n"))
	}
	if got := pwText(doc.Find("[data-testid=attendance] .govuk-summary-list")); !strings.Contains(got, "Attendance rate 75% (3 of 4 sessions attended)") ||
		!strings.Contains(got, "Not marked 8 sessions") {
		t.Errorf("summary %q", got)
	}
	svg := doc.Find("[data-testid=attendance-chart]")
	if svg.AttrOr("role", "") != "img" || svg.Find("title").Text() != "Attendance rate by school week" ||
		!strings.Contains(svg.Find("desc").Text(), "Week beginning 16 November 2026: 66.7% (2 of 3 sessions)") || svg.Find("rect").Length() != 2 {
		t.Errorf("chart: role %q, desc %q, %d bars", svg.AttrOr("role", ""), svg.Find("desc").Text(), svg.Find("rect").Length())
	}
	// The school sees the same for Kai across both his placements (Lumen's registers are not taken: 3 unmarked).
	doc = pwSignedIn(t, f.a, rgCoordinator).Get("/students/" + itoa64(f.kaiStudent)).Doc(t)
	if got := pwText(doc.Find("[data-testid=student-placements] tbody")); !strings.Contains(got, "Ridgeway Motor Skills") || !strings.Contains(got, "75% (3 of 4)") ||
		!strings.Contains(got, "Lumen Academy") || !strings.Contains(got, "No sessions recorded") {
		t.Errorf("the student's placements: %q", got)
	}
	if got := pwText(doc.Find("[data-testid=student-attendance] .govuk-summary-list")); !strings.Contains(got, "Not marked 11 sessions") {
		t.Errorf("the student's summary: %q", got)
	}
	// CAP per provider: Ridgeway, Kai and Tyler.
	doc = pwSignedIn(t, f.a, rgMonitoring).Get("/placements?provider=" + itoa64(f.ridgeway)).Doc(t)
	if got := pwText(doc.Find("[data-testid=provider-attendance] .govuk-summary-list")); !strings.Contains(got, "Attendance rate 66.7% (4 of 6 sessions attended)") {
		t.Errorf("Ridgeway's figures: %q", got)
	}
	if got := pwText(doc.Find("[data-testid=placements] tbody")); strings.Contains(got, "Lumen") || !strings.Contains(got, "Tyler Cooke") {
		t.Errorf("Ridgeway's list: %q", got)
	}
}
