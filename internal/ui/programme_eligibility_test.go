package ui_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/coventry-cap/capportal/internal/testapp"
)

func programmeID(t *testing.T, a *testapp.App, kind string) string {
	t.Helper()
	var id string
	if err := a.Pool.QueryRow(context.Background(), `SELECT id::text FROM programmes WHERE kind = $1 AND active ORDER BY id LIMIT 1`, kind).Scan(&id); err != nil {
		t.Fatalf("programme of kind %s: %v", kind, err)
	}
	return id
}

func coordinatorWithoutSLA(t *testing.T, a *testapp.App) (email, school string) {
	t.Helper()
	if err := a.Pool.QueryRow(context.Background(), `
		SELECT u.email, o.name FROM users u JOIN memberships m ON m.user_id = u.id JOIN organisations o ON o.id = m.organisation_id
		WHERE m.role = 'coordinator' AND NOT EXISTS (SELECT 1 FROM slas s WHERE s.school_id = o.id AND s.academic_year = '2026/27' AND s.signed)
		ORDER BY u.email LIMIT 1`).Scan(&email, &school); err != nil {
		t.Fatal(err)
	}
	return email, school
}

func TestProgrammePageTellsACoordinatorWhetherTheirSchoolMayRefer(t *testing.T) {
	a := testapp.New(t)
	refocus := "/directory/programmes/" + programmeID(t, a, "refocus")

	sla := a.Client(t)
	sla.SignIn("coordinator@whitmore.school.example")
	got := sla.Get(refocus).Doc(t).Find("[data-testid=eligibility]").Text()
	if !strings.Contains(got, "Yes, Whitmore Park Academy can refer to this programme now") {
		t.Errorf("SLA school on Refocus: %q", got)
	}

	email, school := coordinatorWithoutSLA(t, a)
	none := a.Client(t)
	none.SignIn(email)
	doc := none.Get(refocus).Doc(t)
	reasons := doc.Find("[data-testid=eligibility-reasons]").Text()
	if !strings.Contains(doc.Find("[data-testid=eligibility]").Text(), "No, "+school+" cannot refer") ||
		!strings.Contains(reasons, "Tier 3 is only for schools with the CAP SLA") {
		t.Errorf("school without SLA on Refocus: %q", reasons)
	}
	// Tier 1 stays open without the SLA.
	course := none.Get("/directory/programmes/" + programmeID(t, a, "course")).Doc(t).Find("[data-testid=eligibility]").Text()
	if !strings.Contains(course, "Yes, "+school+" can refer") {
		t.Errorf("school without SLA on a Tier 1 course: %q", course)
	}
	// Tier 2 stays open without the SLA, but without the SLA's priority, and the school is told.
	flourish := none.Get("/directory/programmes/" + programmeID(t, a, "flourish")).Doc(t)
	if !strings.Contains(flourish.Find("[data-testid=eligibility]").Text(), "Yes, "+school+" can refer") ||
		!strings.Contains(flourish.Find("[data-testid=eligibility-note]").Text(), "priority for Tier 2") {
		t.Errorf("school without SLA on Flourish: %q", flourish.Find("[data-testid=eligibility]").Text())
	}
	// Focus 11's only window was the autumn term of 2025/26; the clock stands in November 2026.
	focus := sla.Get("/directory/programmes/" + programmeID(t, a, "focus11")).Doc(t).Find("[data-testid=eligibility-reasons]").Text()
	if !strings.Contains(focus, "took referrals only in the autumn term of 2025/26") {
		t.Errorf("Focus 11 in 2026: %q", focus)
	}

	admin := a.Client(t)
	admin.SignIn("admin@cap.example")
	if admin.Get(refocus).Doc(t).Find("[data-testid=eligibility]").Length() != 0 {
		t.Errorf("a CAP admin, who does not refer, is shown a school's eligibility")
	}
}

func TestEligibilityForAChosenStudentChecksTheirYearGroup(t *testing.T) {
	a := testapp.New(t)
	var id, first string
	var year int
	if err := a.Pool.QueryRow(context.Background(), `
		SELECT s.id::text, coalesce(nullif(s.preferred_first_name, ''), s.legal_first_name), s.year_group FROM students s JOIN organisations o ON o.id = s.school_id
		WHERE o.slug = 'whitmore' AND s.year_group <> 11 ORDER BY s.id LIMIT 1`).Scan(&id, &first, &year); err != nil {
		t.Fatal(err)
	}
	c := a.Client(t)
	c.SignIn("coordinator@whitmore.school.example")
	page := "/directory/programmes/" + programmeID(t, a, "year11_post16")
	doc := c.Get(page).Doc(t)
	found := c.Get(page + "?student_q=" + url.QueryEscape(first)).Doc(t)
	if found.Find("[data-testid=student-matches] a[href$='?student="+id+"']").Length() != 1 {
		t.Fatalf("searching for %q does not offer the school's student", first)
	}
	if !strings.Contains(doc.Find("[data-testid=eligibility]").Text(), "Yes, Whitmore Park Academy can refer") {
		t.Errorf("without a student the school may refer to a Year 11 Post-16 programme")
	}
	reasons := c.Get(page + "?student=" + id).Doc(t).Find("[data-testid=eligibility-reasons]").Text()
	if !strings.Contains(reasons, "Year 11") || !strings.Contains(reasons, first) {
		t.Errorf("Year %d student on a Year 11 programme: %q", year, reasons)
	}
	// Another school's student is not a choice, and asking about one reveals nothing.
	var other string
	if err := a.Pool.QueryRow(context.Background(), `SELECT s.id::text FROM students s JOIN organisations o ON o.id = s.school_id WHERE o.slug <> 'whitmore' LIMIT 1`).Scan(&other); err != nil {
		t.Fatal(err)
	}
	if body := c.Get(page + "?student=" + other).Body; strings.Contains(body, "cannot refer") {
		t.Errorf("another school's student changed the answer")
	}
	var viewed int
	if err := a.Pool.QueryRow(context.Background(), `SELECT count(*) FROM audit_log WHERE action = 'student.viewed' AND subject_id = $1`, id).Scan(&viewed); err != nil || viewed != 1 {
		t.Errorf("checking for a student was audited %d times, want 1 (%v)", viewed, err)
	}
}
