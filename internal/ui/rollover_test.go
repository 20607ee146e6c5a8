package ui_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/testapp"
)

func TestRolloverMovesAWednesdayDeadlineToTheNextYearsWednesday(t *testing.T) {
	a := testapp.New(t)
	ctx := context.Background()
	// A Flourish referral window in 2026/27 that closes on Wednesday 16 September 2026.
	closes := calendar.NewDate(2026, time.September, 16)
	if closes.Weekday() != time.Wednesday {
		t.Fatalf("test premise: %s is a %s", closes, closes.Weekday())
	}
	if _, err := a.Pool.Exec(ctx, `
		INSERT INTO programme_windows (programme_id, academic_year, opens_on, closes_on, label)
		SELECT id, '2026/27', '2026-09-02', $1, 'the September round of 2026/27' FROM programmes WHERE kind = 'flourish' ORDER BY id LIMIT 1`, closes); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Pool.Exec(ctx, `UPDATE sla_offers SET signing_deadline = $1 WHERE academic_year = '2026/27'`, closes); err != nil {
		t.Fatal(err)
	}

	admin := a.Client(t)
	admin.SignIn("admin@cap.example")
	page := admin.Get("/admin/rollover")
	if page.StatusCode != http.StatusOK || !strings.Contains(page.Body, "Copy 2026/27 into a draft of the next year") {
		t.Fatalf("rollover page: %d", page.StatusCode)
	}
	for i := 0; i < 2; i++ { // a double submit copies once
		if r := admin.Post("/admin/rollover", form("from", "2026/27")); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("copy %d: %d", i+1, r.StatusCode)
		}
	}
	var windowCloses, offerDeadline calendar.Date
	var windowDraft, offerDraft, yearDraft bool
	var windows int
	if err := a.Pool.QueryRow(ctx, `SELECT count(*), max(closes_on), bool_and(draft) FROM programme_windows WHERE academic_year = '2027/28'`).Scan(&windows, &windowCloses, &windowDraft); err != nil {
		t.Fatal(err)
	}
	if err := a.Pool.QueryRow(ctx, `SELECT signing_deadline, draft FROM sla_offers WHERE academic_year = '2027/28'`).Scan(&offerDeadline, &offerDraft); err != nil {
		t.Fatal(err)
	}
	if err := a.Pool.QueryRow(ctx, `SELECT draft FROM academic_years WHERE code = '2027/28'`).Scan(&yearDraft); err != nil {
		t.Fatal(err)
	}
	want := calendar.NewDate(2027, time.September, 15)
	if windows != 1 || windowCloses != want || windowCloses.Weekday() != time.Wednesday || !windowDraft {
		t.Errorf("copied windows: %d closing %s (%s), draft %v; want 1 closing Wednesday %s, draft", windows, windowCloses, windowCloses.Weekday(), windowDraft, want)
	}
	if offerDeadline != want || !offerDraft {
		t.Errorf("copied SLA offer deadline %s draft %v, want %s draft", offerDeadline, offerDraft, want)
	}
	if !yearDraft {
		t.Errorf("2027/28 not a draft")
	}
	var autumn calendar.Date
	if err := a.Pool.QueryRow(ctx, `SELECT starts_on FROM terms WHERE academic_year = '2027/28' AND name = 'Autumn'`).Scan(&autumn); err != nil {
		t.Fatal(err)
	}
	if autumn.Weekday() != time.Wednesday || autumn != calendar.NewDate(2027, time.September, 1) {
		t.Errorf("autumn 2027/28 starts %s (%s), want Wednesday 1 September 2027", autumn, autumn.Weekday())
	}
	page = admin.Get("/admin/rollover")
	if !strings.Contains(page.Body, "15 September 2027") || !strings.Contains(page.Body, "Confirm 2027/28") {
		t.Errorf("draft not shown for checking")
	}
	// Spring 2027 starts Monday 4 January; its copy, Monday 3 January 2028, is a bank holiday.
	if w := page.Doc(t).Find("[data-testid=rollover-warnings]").Text(); !strings.Contains(w, "Spring term starts on Monday 3 January 2028") {
		t.Errorf("no warning about a term starting on a bank holiday: %q", w)
	}

	if r := admin.Post("/admin/rollover/confirm", form("year", "2027/28")); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("confirm: %d", r.StatusCode)
	}
	if err := a.Pool.QueryRow(ctx, `SELECT (SELECT draft FROM academic_years WHERE code = '2027/28'), (SELECT bool_or(draft) FROM programme_windows WHERE academic_year = '2027/28'), (SELECT draft FROM sla_offers WHERE academic_year = '2027/28')`).Scan(&yearDraft, &windowDraft, &offerDraft); err != nil {
		t.Fatal(err)
	}
	if yearDraft || windowDraft || offerDraft {
		t.Errorf("after confirming: year draft %v, windows draft %v, offer draft %v", yearDraft, windowDraft, offerDraft)
	}
	var copied, confirmed int
	if err := a.Pool.QueryRow(ctx, `SELECT count(*) FILTER (WHERE action = 'rollover.copied'), count(*) FILTER (WHERE action = 'rollover.confirmed') FROM audit_log`).Scan(&copied, &confirmed); err != nil {
		t.Fatal(err)
	}
	if copied != 1 || confirmed != 1 {
		t.Errorf("audit: %d copies and %d confirmations, want 1 and 1", copied, confirmed)
	}

	coord := a.Client(t)
	coord.SignIn("coordinator@whitmore.school.example")
	if r := coord.Post("/admin/rollover", form("from", "2026/27")); r.StatusCode != http.StatusForbidden {
		t.Errorf("coordinator rollover: %d", r.StatusCode)
	}
}

func TestRolloverRefusesYearsOutOfOrder(t *testing.T) {
	a := testapp.New(t)
	ctx := context.Background()
	admin := a.Client(t)
	admin.SignIn("admin@cap.example")
	for _, from := range []string{"2025/26", "2027/28", "garbage", ""} {
		admin.Post("/admin/rollover", form("from", from))
		if r := admin.Get("/admin/rollover"); !strings.Contains(r.Body, "one at a time") && !strings.Contains(r.Body, "not in the portal") {
			t.Errorf("copy from %q: no refusal shown", from)
		}
	}
	var years int
	if err := a.Pool.QueryRow(ctx, `SELECT count(*) FROM academic_years`).Scan(&years); err != nil || years != 2 {
		t.Fatalf("out-of-order copies created years: %d (%v)", years, err)
	}
	admin.Post("/admin/rollover", form("from", "2026/27"))
	admin.Get("/admin/rollover") // shows, and so clears, the "drafted" message
	for _, year := range []string{"2028/29", "garbage", ""} {
		admin.Post("/admin/rollover/confirm", form("year", year))
		r := admin.Get("/admin/rollover")
		if strings.Contains(r.Body, year+" confirmed") && year != "" || !strings.Contains(r.Body, "no drafted year") {
			t.Errorf("confirm %q: %s", year, r.Doc(t).Find(".govuk-notification-banner").Text())
		}
	}
	var draft bool
	if err := a.Pool.QueryRow(ctx, `SELECT draft FROM academic_years WHERE code = '2027/28'`).Scan(&draft); err != nil || !draft {
		t.Fatalf("2027/28 should still be a draft: %v %v", draft, err)
	}
}
