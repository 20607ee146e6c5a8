package placement_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/coventry-cap/capportal/internal/auth"
	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/db"
	"github.com/coventry-cap/capportal/internal/db/dbtest"
	"github.com/coventry-cap/capportal/internal/input"
	"github.com/coventry-cap/capportal/internal/placement"
	"github.com/coventry-cap/capportal/internal/placement/placementtest"
	"github.com/coventry-cap/capportal/internal/seed"
)

type fixture struct {
	t     *testing.T
	ctx   context.Context
	pool  *pgxpool.Pool
	clock *calendar.Fixed
	store placement.Store
}

func newFixture(t *testing.T, now time.Time) *fixture {
	t.Helper()
	pool, _ := dbtest.New(t)
	clock := calendar.NewFixed(now)
	if _, err := seed.LoadDemo(context.Background(), pool, clock, "test-password-123"); err != nil {
		t.Fatal(err)
	}
	return &fixture{t: t, ctx: context.Background(), pool: pool, clock: clock, store: placement.Store{DB: pool, Clock: clock}}
}

func (f *fixture) as(email string) placement.Actor {
	f.t.Helper()
	var id int64
	if err := f.pool.QueryRow(f.ctx, `SELECT id FROM users WHERE email = $1`, email).Scan(&id); err != nil {
		f.t.Fatalf("user %s: %v", email, err)
	}
	p, err := auth.On(f.pool).LoadPrincipal(f.ctx, id)
	if err != nil {
		f.t.Fatal(err)
	}
	return placement.Actor{Principal: p, RequestID: "test"}
}

func (f *fixture) providerID(slug string) int64 {
	f.t.Helper()
	var id int64
	if err := f.pool.QueryRow(f.ctx, `SELECT id FROM organisations WHERE slug = $1`, slug).Scan(&id); err != nil {
		f.t.Fatal(err)
	}
	return id
}

const (
	ridgewayStaff = "staff@ridgeway.provider.example"
	academyStaff  = "staff@capa.provider.example"
	coordinator   = "coordinator@whitmore.school.example"
	monitoring    = "monitoring@cap.example"
)

func names(reg placement.Register) []string {
	var out []string
	for _, l := range reg.Lines {
		out = append(out, strings.Fields(l.Placement.StudentName)[0])
	}
	return out
}

var d = calendar.NewDate

// A mixed week at Ridgeway: Kai on Mondays and Tuesdays all day, Amelia on Tuesday mornings only,
// Tyler on Mondays from 16 November; JJ at the Academy on Refocus from Monday 9 November (Tuesday to
// Friday). On Monday 16 November the morning register has Kai and Tyler; Tuesday's afternoon has Kai
// but not Amelia; the Academy's Monday register has nobody (Mondays are at the home school) and its
// Tuesday register has JJ; on the late May bank holiday nobody is expected anywhere.
func TestTheRegisterListsEveryLearnerExpectedThatDayAndSession(t *testing.T) {
	f := newFixture(t, time.Date(2026, time.November, 16, 9, 0, 0, 0, calendar.London()))
	placementtest.Create(t, f.pool, placementtest.Spec{Student: "Kai", Provider: "ridgeway", Start: d(2026, time.November, 2), Days: []int32{1, 2}})
	placementtest.Create(t, f.pool, placementtest.Spec{Student: "Amelia", Provider: "ridgeway", Start: d(2026, time.November, 2), Days: []int32{2}, Sessions: []string{"am"}})
	placementtest.Create(t, f.pool, placementtest.Spec{Student: "Tyler", Provider: "ridgeway", Start: d(2026, time.November, 16), Days: []int32{1}})
	placementtest.Create(t, f.pool, placementtest.Spec{Student: "Jayden", Provider: "capa", Programme: "capa-refocus", Start: d(2026, time.November, 9), Days: []int32{2, 3, 4, 5}})
	ridgeway, capa := f.providerID("ridgeway"), f.providerID("capa")
	for _, c := range []struct {
		provider int64
		as       string
		day      calendar.Date
		session  placement.Session
		want     []string
	}{
		{ridgeway, ridgewayStaff, d(2026, time.November, 16), placement.Morning, []string{"Kai", "Tyler"}},
		{ridgeway, ridgewayStaff, d(2026, time.November, 17), placement.Morning, []string{"Kai", "Amelia"}},
		{ridgeway, ridgewayStaff, d(2026, time.November, 17), placement.Afternoon, []string{"Kai"}},
		{ridgeway, ridgewayStaff, d(2026, time.November, 9), placement.Morning, []string{"Kai"}},
		{ridgeway, ridgewayStaff, d(2026, time.October, 27), placement.Morning, nil}, // half term
		{capa, academyStaff, d(2026, time.November, 16), placement.Morning, nil},     // Mondays at the home school
		{capa, academyStaff, d(2026, time.November, 17), placement.Morning, []string{"JJ"}},
		{capa, academyStaff, d(2027, time.May, 3), placement.Morning, nil}, // a bank holiday
	} {
		reg, err := f.store.Register(f.ctx, f.as(c.as), c.provider, c.day, c.session)
		if err != nil {
			t.Fatal(err)
		}
		if got := names(reg); !slices.Equal(got, c.want) {
			t.Errorf("%s %s: %q, want %q", c.day, c.session, got, c.want)
		}
	}
	// A provider never takes another provider's register.
	if _, err := f.store.Register(f.ctx, f.as(ridgewayStaff), capa, d(2026, time.November, 17), placement.Morning); !errors.Is(err, placement.ErrNotProviders) {
		t.Errorf("Ridgeway reading the Academy's register: %v", err)
	}
}

// The register is saved in one go with a mark for every learner, each checked; sending it twice
// records it once, and a recorded mark is changed only by a correction that keeps the original.
func TestTakingTheRegisterOnceAndCorrectingAMarkKeepsTheOriginal(t *testing.T) {
	f := newFixture(t, time.Date(2026, time.November, 16, 9, 30, 0, 0, calendar.London()))
	kai := placementtest.Create(t, f.pool, placementtest.Spec{Student: "Kai", Provider: "ridgeway", Start: d(2026, time.November, 2), Days: []int32{1, 2}})
	tyler := placementtest.Create(t, f.pool, placementtest.Spec{Student: "Tyler", Provider: "ridgeway", Start: d(2026, time.November, 2), Days: []int32{1}})
	ridgeway := f.providerID("ridgeway")
	staff := f.as(ridgewayStaff)
	day := d(2026, time.November, 16)

	// Problems are refused together, nothing is saved.
	_, err := f.store.TakeRegister(f.ctx, staff, ridgeway, day, placement.Morning, []placement.MarkInput{
		{PlacementID: kai, Status: placement.Late}, {PlacementID: tyler, Status: placement.Absent, Reason: placement.OtherReason}})
	var ps input.Problems
	if !errors.As(err, &ps) || len(ps) != 2 || ps[0].Field != placement.LateField(kai) || ps[1].Field != placement.NoteField(tyler) {
		t.Fatalf("bad marks: %v", err)
	}
	// A learner left out is a problem too.
	if _, err := f.store.TakeRegister(f.ctx, staff, ridgeway, day, placement.Morning, []placement.MarkInput{{PlacementID: kai, Status: placement.Present}}); !errors.As(err, &ps) || ps[0].Field != placement.MarkField(tyler) {
		t.Fatalf("a learner left out: %v", err)
	}
	marks := []placement.MarkInput{{PlacementID: kai, Status: placement.Late, LateMinutes: 20},
		{PlacementID: tyler, Status: placement.Absent, Reason: placement.Unauthorised}}
	taken, err := f.store.TakeRegister(f.ctx, staff, ridgeway, day, placement.Morning, marks)
	if err != nil || len(taken.New) != 2 || !taken.Register.Taken() {
		t.Fatalf("take the register: %+v, %v", taken, err)
	}
	codes := map[int64]string{}
	for _, m := range taken.New {
		codes[m.PlacementID] = m.Code
	}
	if codes[kai] != "B" || codes[tyler] != "O" {
		t.Errorf("codes %v, want B for late and O for unauthorised", codes)
	}
	again, err := f.store.TakeRegister(f.ctx, staff, ridgeway, day, placement.Morning, marks)
	if err != nil || len(again.New) != 0 {
		t.Fatalf("the same register again: %d new, %v", len(again.New), err)
	}
	var n int
	if err := f.pool.QueryRow(f.ctx, `SELECT count(*) FROM attendance_marks`).Scan(&n); err != nil || n != 2 {
		t.Fatalf("%d marks after sending twice, %v", n, err)
	}
	if _, err := f.store.TakeRegister(f.ctx, staff, ridgeway, day, placement.Morning, []placement.MarkInput{
		{PlacementID: kai, Status: placement.Present}, marks[1]}); !errors.Is(err, placement.ErrMarked) {
		t.Fatalf("changing a mark through the register: %v", err)
	}

	var tylerMark int64
	for _, m := range taken.New {
		if m.PlacementID == tyler {
			tylerMark = m.ID
		}
	}
	if _, err := f.store.Correct(f.ctx, staff, tylerMark, placement.MarkInput{Status: placement.Absent, Reason: placement.Illness}, " "); !errors.As(err, &ps) || ps[0].Field != "why" {
		t.Fatalf("a correction without a reason: %v", err)
	}
	f.clock.Advance(2 * time.Hour)
	fixed, err := f.store.Correct(f.ctx, f.as(monitoring), tylerMark, placement.MarkInput{Status: placement.Absent, Reason: placement.Illness}, "His mother rang at 10:30: he is ill")
	if err != nil || fixed.Code != "I" || fixed.Version != 2 {
		t.Fatalf("correct: %+v, %v", fixed, err)
	}
	history, err := f.store.History(f.ctx, tylerMark)
	if err != nil || len(history) != 1 {
		t.Fatalf("history: %+v, %v", history, err)
	}
	h := history[0]
	if h.Was.Status != placement.Absent || h.Was.Reason != placement.Unauthorised || h.Was.Code != "O" || h.Was.RecordedBy != "Craig Holloway" ||
		h.Reason != "His mother rang at 10:30: he is ill" || h.ReplacedBy == "" || !h.ReplacedAt.After(h.Was.RecordedAt) {
		t.Errorf("the original kept as %+v", h)
	}
	// Another provider's staff cannot correct it, nor learn it exists.
	if _, err := f.store.Correct(f.ctx, f.as(academyStaff), tylerMark, placement.MarkInput{Status: placement.Present}, "Mistake"); !errors.Is(err, db.ErrNotFound) {
		t.Errorf("the Academy correcting Ridgeway's mark: %v", err)
	}
}

// Registers are taken on school days up to today, never ahead.
func TestNoRegisterOnAClosedDayOrAhead(t *testing.T) {
	f := newFixture(t, time.Date(2026, time.November, 16, 9, 30, 0, 0, calendar.London()))
	kai := placementtest.Create(t, f.pool, placementtest.Spec{Student: "Kai", Provider: "ridgeway", Start: d(2026, time.October, 5), Days: []int32{1, 2, 3, 4, 5}})
	ridgeway := f.providerID("ridgeway")
	for _, day := range []calendar.Date{d(2026, time.November, 17), d(2026, time.October, 28), d(2026, time.November, 15)} {
		_, err := f.store.TakeRegister(f.ctx, f.as(ridgewayStaff), ridgeway, day, placement.Morning, []placement.MarkInput{{PlacementID: kai, Status: placement.Present}})
		if !errors.Is(err, placement.ErrClosedDay) && !errors.Is(err, placement.ErrNotExpected) {
			t.Errorf("%s: %v, want no register", day, err)
		}
	}
}

// A school sees its students' placements, a provider only its own learners, CAP all: another
// provider's learner is not found by ID, is left out of lists and of the student's placements.
func TestAProviderNeverSeesAnotherProvidersLearner(t *testing.T) {
	f := newFixture(t, time.Date(2026, time.November, 16, 9, 30, 0, 0, calendar.London()))
	atRidgeway := placementtest.Create(t, f.pool, placementtest.Spec{Student: "Kai", Provider: "ridgeway", Start: d(2026, time.November, 2), Days: []int32{1}})
	atAcademy := placementtest.Create(t, f.pool, placementtest.Spec{Student: "Kai", Provider: "capa", Programme: "capa-refocus", Start: d(2026, time.November, 3), Days: []int32{2, 3}})
	var kai int64
	if err := f.pool.QueryRow(f.ctx, `SELECT student_id FROM placements WHERE id = $1`, atRidgeway).Scan(&kai); err != nil {
		t.Fatal(err)
	}
	ids := func(ps []placement.Placement) []int64 {
		var out []int64
		for _, p := range ps {
			out = append(out, p.ID)
		}
		slices.Sort(out)
		return out
	}
	for who, want := range map[string][]int64{
		ridgewayStaff: {atRidgeway}, academyStaff: {atAcademy}, coordinator: {atRidgeway, atAcademy}, monitoring: {atRidgeway, atAcademy},
		"dsl@ridgeway.provider.example": {atRidgeway}, "panel@cap.example": nil, "coordinator@canleybrook.school.example": nil,
	} {
		a := f.as(who)
		list, _, err := f.store.List(f.ctx, a, placement.ListFilter{}, 50)
		if err != nil {
			t.Fatal(err)
		}
		if got := ids(list); !slices.Equal(got, want) {
			t.Errorf("%s lists %v, want %v", who, got, want)
		}
		of, err := f.store.OfStudent(f.ctx, a, kai)
		if err != nil {
			t.Fatal(err)
		}
		if got := ids(of); !slices.Equal(got, want) {
			t.Errorf("%s sees Kai's placements %v, want %v", who, got, want)
		}
		for _, id := range []int64{atRidgeway, atAcademy} {
			_, err := f.store.Get(f.ctx, a, id)
			if visible := slices.Contains(want, id); visible != (err == nil) || (!visible && !errors.Is(err, db.ErrNotFound)) {
				t.Errorf("%s getting placement %d: %v (visible %v)", who, id, err, visible)
			}
		}
	}
}
