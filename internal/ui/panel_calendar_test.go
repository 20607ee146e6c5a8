package ui_test

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/coventry-cap/capportal/internal/browsertest"
	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/panel"
	"github.com/coventry-cap/capportal/internal/testapp"
)

// rowHeaders returns the row headers of a table, whitespace collapsed.
func rowHeaders(doc *goquery.Document, testID string) []string {
	return doc.Find(`[data-testid="` + testID + `"] tbody th`).Map(func(_ int, s *goquery.Selection) string {
		return strings.Join(strings.Fields(s.Text()), " ")
	})
}

// round10ID is the id of round 10 of 2026/27, whose deadline carries the published weekday mismatch.
func round10ID(t *testing.T, a *testapp.App) string {
	t.Helper()
	var id string
	if err := a.Pool.QueryRow(context.Background(), `SELECT id::text FROM panel_rounds WHERE academic_year = '2026/27' AND position = 10`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

// On Monday 23 November 2026 a coordinator sees 2026/27: the next deadline (2 December) first, the
// past ones after, most recent first; no warnings and no links to change anything.
func TestPanelCalendarShowsACoordinatorTheNextDeadlinesFirst(t *testing.T) {
	a := testapp.New(t)
	// CAP has scheduled round 4's Review and Authorisation Panel: schools see its day too.
	var round4 int64
	if err := a.Pool.QueryRow(context.Background(), `SELECT id FROM panel_rounds WHERE academic_year = '2026/27' AND position = 4`).Scan(&round4); err != nil {
		t.Fatal(err)
	}
	if _, err := panel.On(a.Pool).SaveMeeting(context.Background(), a.Clock.Now(), panel.Actor{Email: "admin@cap.example"}, round4, panel.ReviewPanel,
		panel.MeetingInput{HeldOn: calendar.NewDate(2026, time.December, 8)}); err != nil {
		t.Fatal(err)
	}
	c := a.Client(t)
	c.SignIn(studentWhitmoreCoordinator)
	doc := mustGet(t, c, "/panels")
	upcoming := rowHeaders(doc, "panel-upcoming")
	wantUpcoming := []string{
		"Wednesday 2 December 2026", "Wednesday 13 January 2027", "Wednesday 3 February 2027", "Wednesday 10 March 2027",
		"Wednesday 21 April 2027", "Wednesday 19 May 2027", "Wednesday 13 July 2027",
	}
	if !slices.Equal(upcoming, wantUpcoming) {
		t.Errorf("upcoming %q\nwant %q", upcoming, wantUpcoming)
	}
	if past := rowHeaders(doc, "panel-past"); !slices.Equal(past, []string{"Wednesday 11 November 2026", "Wednesday 14 October 2026", "Wednesday 16 September 2026"}) {
		t.Errorf("past %q", past)
	}
	first := doc.Find(`[data-testid="panel-upcoming"] tbody tr`).First().Find("td").Map(func(_ int, s *goquery.Selection) string {
		return strings.Join(strings.Fields(s.Text()), " ")
	})
	want := []string{"Flourish, Supported Transfer, Refocus", "Review and Authorisation Panel: Tuesday 8 December 2026" +
		"Multi-Agency Panel: not scheduled yet" + "Supported Transfer Headteacher Placement Meeting: Tuesday 15 December 2026",
		"Flourish January start from 11 January 2027; Refocus Cohort 2 from 11 January 2027"}
	if !slices.Equal(first, want) {
		t.Errorf("next round %q\nwant %q", first, want)
	}
	starts := doc.Find(`[data-testid="panel-starts"] tbody tr`).Map(func(_ int, s *goquery.Selection) string {
		return strings.Join(s.Children().Map(func(_ int, c *goquery.Selection) string { return strings.Join(strings.Fields(c.Text()), " ") }), " | ")
	})
	if len(starts) != 6 || starts[0] != "Flourish September start | Monday 21 September 2026 | Not limited | The Wednesday 14 July 2026 deadline" ||
		starts[1] != "Refocus Cohort 1 | Monday 5 October 2026 to Friday 18 December 2026 (10 weeks) | 25 | The Wednesday 16 September 2026 deadline" {
		t.Errorf("starts %q", starts)
	}
	if doc.Find(`[data-testid="panel-mismatches"]`).Length() != 0 || doc.Find(`a[href^="/panels/rounds/"]`).Length() != 0 {
		t.Errorf("a coordinator sees the admin's warning or links")
	}
	if !slices.Contains(navTexts(doc), "Panel dates") {
		t.Errorf("navigation %v lacks Panel dates", navTexts(doc))
	}
	head := a.Client(t)
	head.SignIn("headteacher@whitmore.school.example")
	mustGet(t, head, "/panels")
	// Providers' staff read the published dates (TestPanelCalendarLinksTheAcademyToItsCohorts); a
	// provider's safeguarding lead has no use for them.
	dsl := a.Client(t)
	dsl.SignIn("dsl@ridgeway.provider.example")
	if r := dsl.Get("/panels"); r.StatusCode != http.StatusForbidden {
		t.Errorf("a provider's DSL: %d, want 403", r.StatusCode)
	}
	if r := c.Get("/panels/rounds/" + round10ID(t, a) + "/edit"); r.StatusCode != http.StatusForbidden {
		t.Errorf("coordinator editing: %d, want 403", r.StatusCode)
	}
}

// A CAP admin is warned of the published weekday that is wrong, fails to save an impossible date
// (what was typed is kept), then corrects it, and the warning goes.
func TestPanelRoundEditByAnAdminRefusesABadDateThenClearsTheMismatch(t *testing.T) {
	a := testapp.New(t)
	admin := signedInAdmin(t, a)
	doc := mustGet(t, admin, "/panels")
	warning := strings.Join(strings.Fields(doc.Find(`[data-testid="panel-mismatches"] li`).Text()), " ")
	if warning != "Round 10: the referral deadline is given as Wednesday 13 July 2027, but 13 July 2027 is a Tuesday." {
		t.Errorf("warning %q", warning)
	}
	id := round10ID(t, a)
	path := "/panels/rounds/" + id + "/edit"
	if href, _ := doc.Find(`a[href="` + path + `"]`).Attr("href"); href != path {
		t.Fatalf("no Change link to %s", path)
	}
	edit := mustGet(t, admin, path)
	if v, _ := edit.Find("#deadline-day").Attr("value"); v != "13" {
		t.Errorf("deadline day %q", v)
	}
	r := admin.Post(path, form("deadline-day", "31", "deadline-month", "6", "deadline-year", "2027", "meeting-day", "", "meeting-month", "", "meeting-year", "27"))
	if r.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("bad date: %d, want 422", r.StatusCode)
	}
	bad := r.Doc(t)
	if got := errorSummary(bad); !slices.Equal(got, []string{"#deadline-day The referral deadline must be a real date", "#meeting-day The meeting date must include a day and month"}) {
		t.Errorf("error summary %q", got)
	}
	if v, _ := bad.Find("#deadline-day").Attr("value"); v != "31" {
		t.Errorf("typed day not kept: %q", v)
	}
	if r := admin.Post(path, form("deadline-day", "1", "deadline-month", "9", "deadline-year", "2027")); r.StatusCode != http.StatusUnprocessableEntity ||
		!slices.Equal(errorSummary(r.Doc(t)), []string{"#deadline-day The referral deadline must be in 2026/27"}) {
		t.Errorf("deadline outside the year: %d %q", r.StatusCode, errorSummary(r.Doc(t)))
	}
	r = admin.Post(path, form("deadline-day", "14", "deadline-month", "7", "deadline-year", "2027"))
	if r.StatusCode != http.StatusSeeOther || r.Location() != "/panels" {
		t.Fatalf("save: %d %s", r.StatusCode, r.Location())
	}
	after := mustGet(t, admin, "/panels")
	if msg, ok := banner(after); !ok || msg != "Round 10 of 2026/27 saved: referral deadline Wednesday 14 July 2027" {
		t.Errorf("banner %q", msg)
	}
	if after.Find(`[data-testid="panel-mismatches"]`).Length() != 0 {
		t.Errorf("the mismatch is still shown after the correction")
	}
	if n := auditCount(t, a, "panel.round_changed", id); n != 1 {
		t.Errorf("%d audit entries, want 1", n)
	}
	if r := admin.Get("/panels/rounds/999999/edit"); r.StatusCode != http.StatusNotFound {
		t.Errorf("unknown round: %d", r.StatusCode)
	}
}

// In a real browser with axe: the calendar as a CAP admin sees it, and the edit form with an error.
func TestPanelPagesPassAxeInABrowser(t *testing.T) {
	a := testapp.New(t)
	b := browsertest.New(t)
	b.ScreenshotDir = t.TempDir()
	b.Visit(a.URL + "/login")
	b.Fill("#email", "admin@cap.example")
	b.Fill("#password", testapp.Password)
	b.Submit("form[action='/login'] button")
	b.Visit(a.URL + "/panels")
	if !strings.Contains(b.Text("[data-testid=panel-mismatches]"), "13 July 2027 is a Tuesday") {
		t.Fatalf("warning %q", b.Text("[data-testid=panel-mismatches]"))
	}
	b.Visit(a.URL + "/panels/rounds/" + round10ID(t, a) + "/edit")
	b.Fill("#deadline-month", "13")
	b.Submit("#main-content form[method=post] button[type=submit]")
	if b.Status() != http.StatusUnprocessableEntity || !strings.Contains(b.Text(".govuk-error-summary"), "The referral deadline must be a real date") {
		t.Fatalf("status %d, summary %q", b.Status(), b.Text(".govuk-error-summary"))
	}
}

// Last year's published calendar stays readable: /panels offers the other years on file, newest
// first, and ?year= shows one of them; a year with no calendar on file is not found.
func TestPanelCalendarOffersTheYearsOnFile(t *testing.T) {
	a := testapp.New(t)
	c := a.Client(t)
	c.SignIn(studentWhitmoreCoordinator)
	doc := mustGet(t, c, "/panels")
	if got := strings.TrimSpace(doc.Find(".govuk-caption-l").First().Text()); got != "2026/27" {
		t.Fatalf("the default year is %q, want the current 2026/27", got)
	}
	links := doc.Find(`[data-testid="panel-years"] a`)
	if links.Length() != 1 || links.First().AttrOr("href", "") != "/panels?year=2025%2F26" || !strings.HasPrefix(links.First().Text(), "2025/26") {
		t.Fatalf("other years: %d links, first %q %q", links.Length(), links.First().AttrOr("href", ""), links.First().Text())
	}
	doc = mustGet(t, c, "/panels?year=2025%2F26")
	if got := strings.TrimSpace(doc.Find(".govuk-caption-l").First().Text()); got != "2025/26" {
		t.Fatalf("caption %q, want 2025/26", got)
	}
	past := rowHeaders(doc, "panel-past")
	if len(past) != 10 || past[len(past)-1] != "Wednesday 17 September 2025" {
		t.Errorf("2025/26's deadlines, most recent first: %q", past)
	}
	// Focus 11 took referrals in the autumn of 2025/26 only: it is in that year's rounds, and in none of 2026/27's.
	if got := pwText(doc.Find(`[data-testid="panel-past"]`)); !strings.Contains(got, "Focus 11") {
		t.Errorf("2025/26's rounds without Focus 11: %q", got)
	}
	if got := pwText(mustGet(t, c, "/panels").Find("main")); strings.Contains(got, "Focus 11") {
		t.Error("2026/27's calendar lists Focus 11, which is closed")
	}
	if back := doc.Find(`[data-testid="panel-years"] a`).First().AttrOr("href", ""); back != "/panels?year=2026%2F27" {
		t.Errorf("link back to this year: %q", back)
	}
	if r := c.Get("/panels?year=1999%2F00"); r.StatusCode != http.StatusNotFound {
		t.Errorf("a year with no calendar: %d, want 404", r.StatusCode)
	}
}

// Providers' staff read the panel dates too; Coventry AP Academy's staff open their cohorts from
// them, and another provider's staff open none.
func TestPanelCalendarLinksTheAcademyToItsCohorts(t *testing.T) {
	a := testapp.New(t)
	academy := a.Client(t)
	academy.SignIn("staff@capa.provider.example")
	doc := mustGet(t, academy, "/panels")
	links := doc.Find(`[data-testid="panel-starts"] a[href^="/panels/cohorts/"]`)
	if links.Length() == 0 {
		t.Fatal("the Academy's staff have no links to their cohorts on the panel dates")
	}
	if r := academy.Get(links.First().AttrOr("href", "")); r.StatusCode != http.StatusOK {
		t.Errorf("the Academy opening its cohort: %d", r.StatusCode)
	}
	if !slices.Contains(navTexts(doc), "Panel dates") {
		t.Errorf("the Academy's navigation %v lacks Panel dates", navTexts(doc))
	}
	other := a.Client(t)
	other.SignIn("staff@ridgeway.provider.example")
	doc = mustGet(t, other, "/panels")
	if n := doc.Find(`a[href^="/panels/cohorts/"], a[href^="/panels/rounds/"]`).Length(); n != 0 {
		t.Errorf("Ridgeway's staff are linked to %d cohorts or rounds", n)
	}
}
