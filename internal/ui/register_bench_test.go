package ui_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/placement/placementtest"
	"github.com/coventry-cap/capportal/internal/testapp"
)

// benchLearners is how many learners the benchmarks' provider expects in every register.
const benchLearners = 200

// benchRegister is a portal whose Ridgeway has 200 learners every school day, morning and afternoon,
// since 2 September 2026, with its staff signed in.
func benchRegister(b *testing.B) (*testapp.App, *testapp.Client, int64, []int64) {
	b.Helper()
	a := testapp.New(b)
	ids := placementtest.Learners(b, a.Pool, "whitmore", benchLearners,
		placementtest.Spec{Provider: "ridgeway", Start: calendar.NewDate(2026, time.September, 2), Days: []int32{1, 2, 3, 4, 5}})
	var ridgeway int64
	if err := a.Pool.QueryRow(context.Background(), `SELECT id FROM organisations WHERE slug = 'ridgeway'`).Scan(&ridgeway); err != nil {
		b.Fatal(err)
	}
	// Open-ended, so every learner is expected every school day of the term.
	if _, err := a.Pool.Exec(context.Background(), `UPDATE placements SET planned_end_date = NULL WHERE id = ANY($1)`, ids); err != nil {
		b.Fatal(err)
	}
	c := a.Client(b)
	c.SignIn(rgRidgeway)
	return a, c, ridgeway, ids
}

// BenchmarkRegisterPage200 is the register page of a provider with 200 expected learners, before it
// is taken: every learner's radios and reveals.
func BenchmarkRegisterPage200(b *testing.B) {
	_, c, ridgeway, _ := benchRegister(b)
	path := fmt.Sprintf("/registers/%d/2026-11-23/am", ridgeway)
	if n := strings.Count(c.Get(path).Body, `data-testid="learner"`); n != benchLearners {
		b.Fatalf("the register has %d learners", n)
	}
	b.ResetTimer()
	for b.Loop() {
		if r := c.Get(path); r.StatusCode != http.StatusOK {
			b.Fatalf("%s: %d", path, r.StatusCode)
		}
	}
}

// BenchmarkRegisterPost200 saves 200 marks in one POST (one transaction), each time a register not
// yet taken: the school days before 23 November, latest first.
func BenchmarkRegisterPost200(b *testing.B) {
	a, c, ridgeway, ids := benchRegister(b)
	sd, err := calendar.On(a.Pool).SchoolDays(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	form := url.Values{}
	for i, id := range ids {
		switch i % 10 {
		case 3:
			form.Set(fmt.Sprintf("mark-%d", id), "late")
			form.Set(fmt.Sprintf("late-%d", id), "10")
		case 7:
			form.Set(fmt.Sprintf("mark-%d", id), "absent")
			form.Set(fmt.Sprintf("reason-%d", id), "illness")
		default:
			form.Set(fmt.Sprintf("mark-%d", id), "present")
		}
	}
	// The registers of 23 November, then of each school day before it: morning, then afternoon.
	day, session := calendar.NewDate(2026, time.November, 24), "pm"
	b.ResetTimer()
	for b.Loop() {
		if session == "pm" {
			session = "am"
			for day = day.AddDays(-1); !sd.IsSchoolDay(day); day = day.AddDays(-1) {
			}
		} else {
			session = "pm"
		}
		path := fmt.Sprintf("/registers/%d/%s/%s", ridgeway, day, session)
		if r := c.Post(path, form); r.StatusCode != http.StatusSeeOther {
			b.Fatalf("%s: %d", path, r.StatusCode)
		}
	}
}
