package placement_test

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/db"
	"github.com/coventry-cap/capportal/internal/input"
	"github.com/coventry-cap/capportal/internal/pathway"
	"github.com/coventry-cap/capportal/internal/placement"
	"github.com/coventry-cap/capportal/internal/placement/placementtest"
)

const (
	admin       = "admin@cap.example"
	headteacher = "headteacher@whitmore.school.example"
)

// A change of day is due two working days after it is submitted, a withdrawal five: weekends and
// England and Wales bank holidays are not counted.
func TestDueDaysSkipWeekendsAndBankHolidays(t *testing.T) {
	for _, c := range []struct {
		submitted calendar.Date
		n         int
		want      calendar.Date
	}{
		{d(2026, time.November, 18), placement.ChangeWorkingDays, d(2026, time.November, 20)},         // Wednesday to Friday
		{d(2026, time.November, 20), placement.ChangeWorkingDays, d(2026, time.November, 24)},         // Friday, over the weekend, to Tuesday
		{d(2026, time.November, 21), placement.ChangeWorkingDays, d(2026, time.November, 24)},         // a Saturday counts from Monday
		{d(2026, time.December, 24), placement.ChangeWorkingDays, d(2026, time.December, 30)},         // Christmas Day and the Boxing Day substitute
		{d(2027, time.April, 30), placement.ChangeWorkingDays, d(2027, time.May, 5)},                  // the early May bank holiday
		{d(2026, time.November, 20), placement.WithdrawalWorkingDays, d(2026, time.November, 27)},     // a week
		{d(2026, time.December, 24), placement.WithdrawalWorkingDays, d(2027, time.January, 5)},       // Christmas and New Year's Day
		{d(2027, time.March, 25), placement.WithdrawalWorkingDays, d(2027, time.April, 5)},            // Good Friday and Easter Monday
		{d(2027, time.May, 28), placement.WithdrawalWorkingDays, d(2027, time.June, 7)},               // the spring bank holiday
		{d(2026, time.November, 23), placement.WithdrawalWorkingDays - 5, d(2026, time.November, 23)}, // no days: the same day
	} {
		if got := placement.DueAfter(c.submitted, c.n); got != c.want {
			t.Errorf("%d working days after %s %s: %s %s, want %s %s", c.n, c.submitted.Weekday(), c.submitted, got.Weekday(), got, c.want.Weekday(), c.want)
		}
	}
}

// changeInput asks for Wednesday and Thursday mornings.
var changeInput = placement.ChangeInput{Days: []time.Weekday{time.Wednesday, time.Thursday}, Sessions: []placement.Session{placement.Morning},
	Reason: "The Tuesday group has moved", Impact: "He keeps his English lessons at school on Tuesdays; the new group is smaller."}

// The request cannot be submitted until both the school and the provider have agreed (each
// agreement records who and when); only the school's representative submits it, and it is then due
// two working days later: a Friday submission is due on the Tuesday, and flagged late on the
// Wednesday.
func TestAChangeOfDayNeedsBothAgreementsBeforeTheSchoolSubmitsIt(t *testing.T) {
	f := newFixture(t, time.Date(2026, time.November, 20, 10, 0, 0, 0, calendar.London())) // a Friday
	kai := placementtest.Create(t, f.pool, placementtest.Spec{Student: "Kai", Provider: "ridgeway", Start: d(2026, time.November, 2), Days: []int32{1, 2}})

	// What is asked is checked: days, sessions, different from now, a reason and the impact.
	_, err := f.store.StartChange(f.ctx, f.as(ridgewayStaff), kai, placement.ChangeInput{Days: []time.Weekday{time.Monday, time.Tuesday},
		Sessions: []placement.Session{placement.Afternoon, placement.Morning}})
	var ps input.Problems
	if !errors.As(err, &ps) || !slices.Equal(problemFields(ps), []string{"days", "reason", "impact"}) {
		t.Fatalf("an empty request: %v", err)
	}
	c, err := f.store.StartChange(f.ctx, f.as(ridgewayStaff), kai, changeInput)
	if err != nil {
		t.Fatal(err)
	}
	if c.Side != placement.ProviderSide || c.Status != placement.Open || c.Current.Text() != "Mondays and Tuesdays, mornings and afternoons" ||
		c.Asked.Text() != "Wednesdays and Thursdays, mornings only" || c.Requested.By != "Craig Holloway" {
		t.Fatalf("started: %+v", c)
	}
	// One request at a time.
	if _, err := f.store.StartChange(f.ctx, f.as(coordinator), kai, changeInput); !errors.Is(err, placement.ErrRequestUnderWay) {
		t.Errorf("a second request: %v", err)
	}

	submit := func(who string) error { _, err := f.store.SubmitChange(f.ctx, f.as(who), c.ID); return err }
	if err := submit(coordinator); !errors.As(err, &ps) || ps[0].Field != "agreements" || !strings.Contains(ps[0].Message, "the school and the provider") {
		t.Fatalf("submitted with no agreement: %v", err)
	}
	// A side agrees only for itself.
	var refusal *pathway.Refusal
	if _, err := f.store.AgreeChange(f.ctx, f.as(coordinator), c.ID, placement.ProviderSide); !errors.As(err, &refusal) || !refusal.Forbidden {
		t.Fatalf("the school agreeing for the provider: %v", err)
	}
	if c, err = f.store.AgreeChange(f.ctx, f.as(coordinator), c.ID, placement.SchoolSide); err != nil || !c.SchoolAgreed.Done() || c.SchoolAgreed.By != "Hannah Okafor" {
		t.Fatalf("the school agrees: %+v, %v", c.SchoolAgreed, err)
	}
	if err := submit(headteacher); !errors.As(err, &ps) || !strings.Contains(ps[0].Message, "until the provider has agreed") {
		t.Fatalf("submitted with the school's agreement only: %v", err)
	}
	f.clock.Advance(time.Hour)
	if c, err = f.store.AgreeChange(f.ctx, f.as(ridgewayStaff), c.ID, placement.ProviderSide); err != nil || !c.ProviderAgreed.At.After(c.SchoolAgreed.At) {
		t.Fatalf("the provider agrees: %+v, %v", c.ProviderAgreed, err)
	}
	// The provider does not submit: the school's representative does.
	if err := submit(ridgewayStaff); !errors.As(err, &refusal) || !refusal.Forbidden {
		t.Fatalf("the provider submitting: %v", err)
	}
	if err := submit(coordinator); err != nil {
		t.Fatal(err)
	}
	if err := submit(coordinator); err != nil { // a double click submits once
		t.Fatalf("submitting twice: %v", err)
	}
	c, err = f.store.GetChange(f.ctx, f.as(admin), c.ID)
	if err != nil || c.Status != placement.Submitted || c.Due != d(2026, time.November, 24) {
		t.Fatalf("submitted on Friday: %s due %s, %v", c.Status, c.Due, err)
	}
	for day, late := range map[calendar.Date]bool{d(2026, time.November, 24): false, d(2026, time.November, 25): true} {
		if c.Late(day) != late {
			t.Errorf("late on %s: %v, want %v", day, c.Late(day), late)
		}
	}
	f.clock.Set(time.Date(2026, time.November, 25, 9, 0, 0, 0, calendar.London()))
	due, err := f.store.Due(f.ctx, f.as(admin))
	if err != nil || due.ChangesLate != 1 || due.ChangesWaiting != 1 {
		t.Errorf("CAP's dashboard on the Wednesday: %+v, %v", due, err)
	}
	list, _, err := f.store.ChangeQueue(f.ctx, f.as(admin), placement.QueueFilter{}, 10)
	if err != nil || len(list) != 1 || !list[0].Late(calendar.DateOf(f.clock.Now())) || list[0].Placement.ID != kai {
		t.Errorf("CAP's queue: %+v, %v", list, err)
	}
}

// Applied from a date, the new days hold from that day and the old ones before it: registers before
// the date (and those already marked) keep the old days, later ones follow the new. The hours a week
// follow the sessions.
func TestRegistersFollowAChangeOfDayFromItsDate(t *testing.T) {
	f := newFixture(t, time.Date(2026, time.November, 16, 9, 30, 0, 0, calendar.London()))
	kai := placementtest.Create(t, f.pool, placementtest.Spec{Student: "Kai", Provider: "ridgeway", Start: d(2026, time.November, 2), Days: []int32{1, 2}})
	ridgeway := f.providerID("ridgeway")
	if _, err := f.store.TakeRegister(f.ctx, f.as(ridgewayStaff), ridgeway, d(2026, time.November, 16), placement.Morning,
		[]placement.MarkInput{{PlacementID: kai, Status: placement.Present}}); err != nil {
		t.Fatal(err)
	}
	c := agreedAndSubmitted(t, f, kai, changeInput)
	f.clock.Set(time.Date(2026, time.November, 18, 11, 0, 0, 0, calendar.London()))

	// The date is checked: not in the past (past registers stay as they were).
	var ps input.Problems
	if _, err := f.store.ApplyChange(f.ctx, f.as(admin), c.ID, d(2026, time.November, 17)); !errors.As(err, &ps) || ps[0].Field != "from" {
		t.Fatalf("applied from yesterday: %v", err)
	}
	var refusal *pathway.Refusal
	if _, err := f.store.ApplyChange(f.ctx, f.as(coordinator), c.ID, d(2026, time.November, 23)); !errors.As(err, &refusal) || !refusal.Forbidden {
		t.Fatalf("the school applying it: %v", err)
	}
	c, err := f.store.ApplyChange(f.ctx, f.as(admin), c.ID, d(2026, time.November, 23))
	if err != nil || c.Status != placement.Applied || c.EffectiveFrom != d(2026, time.November, 23) || c.Applied.By == "" {
		t.Fatalf("apply: %+v, %v", c, err)
	}
	for _, r := range []struct {
		day     calendar.Date
		session placement.Session
		want    bool
	}{
		{d(2026, time.November, 16), placement.Morning, true},    // marked before the change
		{d(2026, time.November, 17), placement.Afternoon, true},  // the old days before the date
		{d(2026, time.November, 18), placement.Morning, false},   // today is a Wednesday, but the new days start on Monday
		{d(2026, time.November, 19), placement.Morning, false},   // nor Thursday
		{d(2026, time.November, 23), placement.Morning, false},   // from the date, Mondays are over
		{d(2026, time.November, 24), placement.Morning, false},   // and Tuesdays
		{d(2026, time.November, 25), placement.Morning, true},    // Wednesdays
		{d(2026, time.November, 25), placement.Afternoon, false}, // mornings only
		{d(2026, time.November, 26), placement.Morning, true},    // Thursdays
	} {
		reg, err := f.store.Register(f.ctx, f.as(ridgewayStaff), ridgeway, r.day, r.session)
		if err != nil {
			t.Fatal(err)
		}
		if got := slices.Contains(names(reg), "Kai"); got != r.want {
			t.Errorf("%s %s %s: Kai in the register %v, want %v", r.day.Weekday(), r.day, r.session, got, r.want)
		}
	}
	p, err := f.store.Get(f.ctx, f.as(admin), kai)
	if err != nil {
		t.Fatal(err)
	}
	if p.HoursPerWeek != 5 || len(p.DayChanges) != 1 || p.PatternOn(d(2026, time.November, 20)).Text() != "Mondays and Tuesdays, mornings and afternoons" {
		t.Errorf("after the change: %v hours, changes %+v", p.HoursPerWeek, p.DayChanges)
	}
	// Applying twice applies once.
	if _, err := f.store.ApplyChange(f.ctx, f.as(admin), c.ID, d(2026, time.November, 30)); err != nil {
		t.Errorf("applying again: %v", err)
	}
	if p, _ = f.store.Get(f.ctx, f.as(admin), kai); len(p.DayChanges) != 1 || p.DayChanges[0].From != d(2026, time.November, 23) {
		t.Errorf("applied twice: %+v", p.DayChanges)
	}
}

// agreedAndSubmitted is a change of day the provider asked for, both sides agreed and the school
// submitted.
func agreedAndSubmitted(t *testing.T, f *fixture, placementID int64, in placement.ChangeInput) placement.ChangeRequest {
	t.Helper()
	c, err := f.store.StartChange(f.ctx, f.as(ridgewayStaff), placementID, in)
	if err != nil {
		t.Fatal(err)
	}
	for who, side := range map[string]placement.Side{coordinator: placement.SchoolSide, ridgewayStaff: placement.ProviderSide} {
		if _, err := f.store.AgreeChange(f.ctx, f.as(who), c.ID, side); err != nil {
			t.Fatal(err)
		}
	}
	if c, err = f.store.SubmitChange(f.ctx, f.as(coordinator), c.ID); err != nil {
		t.Fatal(err)
	}
	return c
}

// Two placements on the same session are refused: when a placement is set up on a session the
// student already attends elsewhere, and when a change of day would move one onto it.
func TestTwoPlacementsOnTheSameSessionAreRefused(t *testing.T) {
	f := newFixture(t, time.Date(2026, time.November, 16, 9, 30, 0, 0, calendar.London()))
	kai := placementtest.Create(t, f.pool, placementtest.Spec{Student: "Kai", Provider: "ridgeway", Start: d(2026, time.November, 2), Days: []int32{1, 2}})
	// Wednesday afternoons elsewhere are free; Tuesday mornings are not.
	placementtest.Create(t, f.pool, placementtest.Spec{Student: "Kai", Provider: "torquelane", Start: d(2026, time.November, 4), Days: []int32{3}, Sessions: []string{"pm"}})
	_, err := placementtest.TryCreate(f.pool, placementtest.Spec{Student: "Kai", Provider: "pistonworks", Start: d(2026, time.November, 10), Days: []int32{2, 4}, Sessions: []string{"am"}})
	var refusal *pathway.Refusal
	if !errors.As(err, &refusal) || len(refusal.Checks) != 1 || !strings.Contains(refusal.Checks[0], "Ridgeway Motor Skills") ||
		!strings.Contains(refusal.Checks[0], "tuesdays, mornings only") {
		t.Fatalf("a second placement on Tuesday mornings: %v", err)
	}
	// One that ended before is no clash.
	if _, err := placementtest.TryCreate(f.pool, placementtest.Spec{Student: "Tyler", Provider: "pistonworks", Start: d(2026, time.November, 10), Days: []int32{2}}); err != nil {
		t.Fatalf("another student on the same day: %v", err)
	}

	// Moving Kai's Ridgeway days onto Wednesday afternoons clashes with Torque Lane.
	c := agreedAndSubmitted(t, f, kai, placement.ChangeInput{Days: []time.Weekday{time.Wednesday}, Sessions: []placement.Session{placement.Morning, placement.Afternoon},
		Reason: "Staff change", Impact: "None on his other provision."})
	var ps input.Problems
	if _, err := f.store.ApplyChange(f.ctx, f.as(admin), c.ID, d(2026, time.November, 23)); !errors.As(err, &ps) || ps[0].Field != "from" ||
		!strings.Contains(ps[0].Message, "wednesdays, afternoons only") {
		t.Fatalf("a change onto a taken session: %v", err)
	}
	if p, _ := f.store.Get(f.ctx, f.as(admin), kai); len(p.DayChanges) != 0 || !slices.Equal(p.Days, []time.Weekday{time.Monday, time.Tuesday}) {
		t.Errorf("the refused change changed the placement: %+v", p)
	}
}

// A provider never sees another provider's change-of-day requests: not by ID, not in a queue, not on
// the placement; the school sees its own students', CAP all.
func TestAProviderNeverSeesAnotherProvidersChangeRequests(t *testing.T) {
	f := newFixture(t, time.Date(2026, time.November, 16, 9, 30, 0, 0, calendar.London()))
	kai := placementtest.Create(t, f.pool, placementtest.Spec{Student: "Kai", Provider: "ridgeway", Start: d(2026, time.November, 2), Days: []int32{1, 2}})
	c, err := f.store.StartChange(f.ctx, f.as(ridgewayStaff), kai, changeInput)
	if err != nil {
		t.Fatal(err)
	}
	for who, sees := range map[string]bool{ridgewayStaff: true, coordinator: true, admin: true, monitoring: true,
		academyStaff: false, "coordinator@canleybrook.school.example": false, "panel@cap.example": false} {
		a := f.as(who)
		_, err := f.store.GetChange(f.ctx, a, c.ID)
		if sees != (err == nil) || (!sees && !errors.Is(err, db.ErrNotFound)) {
			t.Errorf("%s getting the request: %v", who, err)
		}
		list, _, err := f.store.ChangeQueue(f.ctx, a, placement.QueueFilter{All: true}, 10)
		if err != nil || (len(list) == 1) != sees {
			t.Errorf("%s's queue: %d requests, %v", who, len(list), err)
		}
		of, err := f.store.ChangesOf(f.ctx, a, kai)
		if err != nil || (len(of) == 1) != sees {
			t.Errorf("%s's requests on the placement: %d, %v", who, len(of), err)
		}
		if _, err := f.store.AgreeChange(f.ctx, a, c.ID, placement.ProviderSide); !sees && !errors.Is(err, db.ErrNotFound) {
			t.Errorf("%s agreeing to a request it cannot see: %v", who, err)
		}
	}
}

func problemFields(ps input.Problems) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Field)
	}
	return out
}
