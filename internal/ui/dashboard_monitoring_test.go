package ui_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/coventry-cap/capportal/internal/auth"
	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/placement"
	"github.com/coventry-cap/capportal/internal/placement/placementtest"
	"github.com/coventry-cap/capportal/internal/testapp"
)

// monTake takes a provider's register as its staff member, each learner present unless marked.
func monTake(t *testing.T, a *testapp.App, staff, slug string, day calendar.Date, s placement.Session, marks map[int64]placement.MarkInput) {
	t.Helper()
	ctx := context.Background()
	var userID, providerID int64
	if err := a.Pool.QueryRow(ctx, `SELECT id FROM users WHERE email = $1`, staff).Scan(&userID); err != nil {
		t.Fatal(err)
	}
	if err := a.Pool.QueryRow(ctx, `SELECT id FROM organisations WHERE slug = $1`, slug).Scan(&providerID); err != nil {
		t.Fatal(err)
	}
	p, err := auth.On(a.Pool).LoadPrincipal(ctx, userID)
	if err != nil {
		t.Fatal(err)
	}
	store := placement.Store{DB: a.Pool, Clock: a.Clock, Outbox: a.Server.Outbox}
	actor := placement.Actor{Principal: p, RequestID: "test"}
	reg, err := store.Register(ctx, actor, providerID, day, s)
	if err != nil {
		t.Fatal(err)
	}
	var in []placement.MarkInput
	for _, l := range reg.Lines {
		m, ok := marks[l.Placement.ID]
		if !ok {
			m = placement.MarkInput{Status: placement.Present}
		}
		m.PlacementID = l.Placement.ID
		in = append(in, m)
	}
	if _, err := store.TakeRegister(ctx, actor, providerID, day, s, in); err != nil {
		t.Fatal(err)
	}
}

func monOrg(t *testing.T, a *testapp.App, slug string) string {
	t.Helper()
	var id int64
	if err := a.Pool.QueryRow(context.Background(), `SELECT id FROM organisations WHERE slug = $1`, slug).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return strconv.FormatInt(id, 10)
}

// Monday 23 November 2026: Kai (Whitmore) and Freya (Canley Brook) at Ridgeway all day, Tyler
// (Whitmore) at Lumen in the mornings. Ridgeway takes its morning register at 09:30 with Kai absent
// for no known reason; Lumen does not take its register. Whitmore's coordinator is alerted at once,
// by email without Kai's name. Ridgeway's staff see their registers (the morning's taken, the
// afternoon's to take); at 10:30 the monitoring officer sees Lumen's missing register, Kai's absence
// and his attendance (0 of 1 this half term); Whitmore's coordinator sees Kai's absence, Canley
// Brook's does not; Lumen's staff never see Ridgeway's learners.
func TestTheMonitoringDashboardsShowTodaysRegistersAndAbsences(t *testing.T) {
	a := testapp.New(t)
	ctx := context.Background()
	monday := calendar.NewDate(2026, time.November, 23)
	kai := placementtest.Create(t, a.Pool, placementtest.Spec{Student: "Kai", Provider: "ridgeway", Start: calendar.NewDate(2026, time.November, 16), Days: []int32{1}})
	placementtest.Create(t, a.Pool, placementtest.Spec{Student: "Freya", Provider: "ridgeway", Start: calendar.NewDate(2026, time.November, 16), Days: []int32{1}})
	placementtest.Create(t, a.Pool, placementtest.Spec{Student: "Tyler", Provider: "lumen", Start: calendar.NewDate(2026, time.November, 16), Days: []int32{1}, Sessions: []string{"am"}})
	ridgeway, lumen := monOrg(t, a, "ridgeway"), monOrg(t, a, "lumen")

	monTake(t, a, "staff@ridgeway.provider.example", "ridgeway", monday, placement.Morning,
		map[int64]placement.MarkInput{kai: {Status: placement.Absent, Reason: placement.Unauthorised}})
	emails := a.WaitForEmails(t, 2)
	var toCoordinator int
	for _, e := range emails {
		if strings.Contains(e.Body, "Kai") || strings.Contains(e.Subject, "Kai") || strings.Contains(e.Body, "Adeyemi") {
			t.Errorf("an alert email names the student: %q / %q", e.Subject, e.Body)
		}
		if e.To == "coordinator@whitmore.school.example" && e.Subject == "An unexplained absence at Ridgeway Motor Skills this morning" &&
			strings.Contains(e.Body, "/placements/"+strconv.FormatInt(kai, 10)) {
			toCoordinator++
		}
		if e.To == "coordinator@canleybrook.school.example" {
			t.Errorf("Canley Brook's coordinator was told of Whitmore's student: %q", e.Subject)
		}
	}
	if toCoordinator != 1 {
		t.Errorf("%d alert emails to Whitmore's coordinator, want 1: %+v", toCoordinator, emails)
	}

	staff := pwSignedIn(t, a, "staff@ridgeway.provider.example")
	doc := staff.Get("/").Doc(t)
	got := pwText(doc.Find("main"))
	if !strings.Contains(got, "Today’s registers at Ridgeway Motor Skills") || !strings.Contains(got, "Morning 2 Taken at 09:30 by Craig Holloway View the register") ||
		!strings.Contains(got, "Afternoon 2 Not taken, due by 14:00 Take the register") {
		t.Errorf("Ridgeway's dashboard: %q", got)
	}
	if doc.Find(`a[href="/registers/`+ridgeway+`/2026-11-23/pm"]`).Length() != 1 {
		t.Error("no link to take the afternoon register")
	}
	if strings.Contains(got, "Lumen") || strings.Contains(got, "Tyler") {
		t.Errorf("Ridgeway's staff see Lumen's register: %q", got)
	}

	a.Clock.Set(time.Date(2026, time.November, 23, 10, 30, 0, 0, calendar.London()))
	officer := pwSignedIn(t, a, "monitoring@cap.example")
	r := officer.Get("/")
	doc = r.Doc(t)
	got = pwText(doc.Find("main"))
	for _, want := range []string{
		"Registers missing today", "1 register was not taken by the cut-off", "Lumen Academy Morning, due by 10:00 Not taken 1 Open the register",
		"Unexplained absences today", "Kai Adeyemi-Brown Whitmore Park Academy: absent from Ridgeway Motor Skills this morning",
		"Attendance below 90% this half term", "Since Monday 2 November 2026, the second half of the Autumn term",
		"Kai Adeyemi-Brown (placement at Ridgeway Motor Skills) Whitmore Park Academy Ridgeway Motor Skills 0 of 1 0%",
		"Progress reviews overdue", "No progress review is overdue.",
		"Your meeting actions due", "You have no actions from attendance or behaviour meetings due in the next 7 days.",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("the officer's dashboard lacks %q: %q", want, got)
		}
	}
	if strings.Contains(got, "Ridgeway Motor Skills Morning, due by") {
		t.Errorf("Ridgeway's morning register, taken, is listed as missing: %q", got)
	}
	if doc.Find(`a[href="/registers/`+lumen+`/2026-11-23/am"]`).Length() != 1 || doc.Find(`a[href="/placements/`+strconv.FormatInt(kai, 10)+`"]`).Length() < 2 {
		t.Error("the officer's lists do not link to the register and the placement")
	}
	var audited int
	if err := a.Pool.QueryRow(ctx, `SELECT count(*) FROM audit_log WHERE request_id = $1 AND action = $2`, r.Header.Get("X-Request-Id"), placement.ActionListed).Scan(&audited); err != nil || audited != 1 {
		t.Errorf("the officer's dashboard names a student with %d audit rows, want 1 (%v)", audited, err)
	}

	got = pwText(pwSignedIn(t, a, "coordinator@whitmore.school.example").Get("/").Doc(t).Find("main"))
	if !strings.Contains(got, "Your students’ unexplained absences today") || !strings.Contains(got, "Kai Adeyemi-Brown Whitmore Park Academy: absent from Ridgeway Motor Skills this morning") {
		t.Errorf("Whitmore's coordinator: %q", got)
	}
	got = pwText(pwSignedIn(t, a, "coordinator@canleybrook.school.example").Get("/").Doc(t).Find("main"))
	if strings.Contains(got, "Kai") || !strings.Contains(got, "No learner has been marked absent with no known reason today.") {
		t.Errorf("Canley Brook's coordinator: %q", got)
	}
	got = pwText(pwSignedIn(t, a, "staff@lumen.provider.example").Get("/").Doc(t).Find("main"))
	if !strings.Contains(got, "Morning 1 Not taken Overdue Take the register") || strings.Contains(got, "Kai") || strings.Contains(got, "Ridgeway") {
		t.Errorf("Lumen's staff: %q", got)
	}
}
