package placement_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/db"
	"github.com/coventry-cap/capportal/internal/input"
	"github.com/coventry-cap/capportal/internal/pathway"
	"github.com/coventry-cap/capportal/internal/placement"
	"github.com/coventry-cap/capportal/internal/placement/placementtest"
)

var withdrawalInput = placement.WithdrawalInput{Reason: "He has stopped attending since half term",
	Impact: "He would lose his vocational hours; the school will offer a catch-up programme."}

// When the provider asks for a withdrawal, the form cannot be submitted until a meeting with CAP and
// the school is recorded (when, who attended, what was said); the provider's representative then
// submits it, due five working days later. When the school asks, no meeting is needed.
func TestAProvidersWithdrawalNeedsTheMeetingBeforeItIsSubmitted(t *testing.T) {
	f := newFixture(t, time.Date(2026, time.November, 20, 10, 0, 0, 0, calendar.London())) // a Friday
	kai := placementtest.Create(t, f.pool, placementtest.Spec{Student: "Kai", Provider: "ridgeway", Start: d(2026, time.November, 2), Days: []int32{1, 2}})
	var ps input.Problems
	if _, err := f.store.StartWithdrawal(f.ctx, f.as(ridgewayStaff), kai, placement.WithdrawalInput{Reason: "Not attending"}); !errors.As(err, &ps) || ps[0].Field != "impact" {
		t.Fatalf("without the impact considered: %v", err)
	}
	w, err := f.store.StartWithdrawal(f.ctx, f.as(ridgewayStaff), kai, withdrawalInput)
	if err != nil || w.Side != placement.ProviderSide || !w.MeetingRequired() {
		t.Fatalf("start: %+v, %v", w, err)
	}
	if _, err := f.store.SubmitWithdrawal(f.ctx, f.as(ridgewayStaff), w.ID); !errors.As(err, &ps) || ps[0].Field != "meeting" {
		t.Fatalf("submitted before the meeting: %v", err)
	}
	var refusal *pathway.Refusal
	if _, err := f.store.SubmitWithdrawal(f.ctx, f.as(coordinator), w.ID); !errors.As(err, &refusal) || !refusal.Forbidden {
		t.Fatalf("the school submitting the provider's request: %v", err)
	}
	meeting := placement.WithdrawalMeetingInput{HeldOn: d(2026, time.November, 23), Attendees: "Craig Holloway (Ridgeway), Hannah Okafor (school), Priya (CAP)",
		Notes: "Agreed that the placement is not meeting his needs."}
	if _, err := f.store.RecordWithdrawalMeeting(f.ctx, f.as(monitoring), w.ID, meeting); !errors.As(err, &ps) || ps[0].Field != "held" {
		t.Fatalf("a meeting on Monday recorded on Friday: %v", err)
	}
	meeting.HeldOn = d(2026, time.November, 19)
	if w, err = f.store.RecordWithdrawalMeeting(f.ctx, f.as(monitoring), w.ID, meeting); err != nil || !w.Meeting.Recorded.Done() || w.Meeting.Recorded.By == "" {
		t.Fatalf("record the meeting: %+v, %v", w.Meeting, err)
	}
	if w, err = f.store.SubmitWithdrawal(f.ctx, f.as(ridgewayStaff), w.ID); err != nil || w.Status != placement.Submitted || w.Due != d(2026, time.November, 27) {
		t.Fatalf("submit after the meeting: %s due %s, %v", w.Status, w.Due, err)
	}
	if w.Late(d(2026, time.November, 27)) || !w.Late(d(2026, time.November, 30)) {
		t.Error("late only after the fifth working day")
	}

	// The school's own request needs no meeting (CAP encourages one).
	tyler := placementtest.Create(t, f.pool, placementtest.Spec{Student: "Tyler", Provider: "ridgeway", Start: d(2026, time.November, 2), Days: []int32{3}})
	sw, err := f.store.StartWithdrawal(f.ctx, f.as(coordinator), tyler, withdrawalInput)
	if err != nil || sw.MeetingRequired() {
		t.Fatalf("the school starts: %+v, %v", sw, err)
	}
	if sw, err = f.store.SubmitWithdrawal(f.ctx, f.as(headteacher), sw.ID); err != nil || sw.Status != placement.Submitted {
		t.Fatalf("the school submits without a meeting: %+v, %v", sw, err)
	}
	if due, err := f.store.Due(f.ctx, f.as(admin)); err != nil || due.WithdrawalsWaiting != 2 || due.WithdrawalsLate != 0 {
		t.Errorf("CAP's dashboard: %+v, %v", due, err)
	}
}

// CAP sees the student's placements on the course and ends one of them or all: each keeps its
// history and marks, has the outcome "withdrawn", and no register after its last day.
func TestAWithdrawalEndsOneOrAllOfTheCoursesPlacementsAndRegistersStopAfterIt(t *testing.T) {
	f := newFixture(t, time.Date(2026, time.November, 16, 9, 30, 0, 0, calendar.London()))
	ridgeway := f.providerID("ridgeway")
	// Kai and Tyler each attend the same Ridgeway course on two days, under two placements.
	kaiMon := placementtest.Create(t, f.pool, placementtest.Spec{Student: "Kai", Provider: "ridgeway", Start: d(2026, time.November, 2), Days: []int32{1}})
	kaiWed := placementtest.Create(t, f.pool, placementtest.Spec{Student: "Kai", Provider: "ridgeway", Start: d(2026, time.November, 2), Days: []int32{3}})
	tylerTue := placementtest.Create(t, f.pool, placementtest.Spec{Student: "Tyler", Provider: "ridgeway", Start: d(2026, time.November, 2), Days: []int32{2}})
	tylerThu := placementtest.Create(t, f.pool, placementtest.Spec{Student: "Tyler", Provider: "ridgeway", Start: d(2026, time.November, 2), Days: []int32{4}})
	if _, err := f.store.TakeRegister(f.ctx, f.as(ridgewayStaff), ridgeway, d(2026, time.November, 16), placement.Morning,
		[]placement.MarkInput{{PlacementID: kaiMon, Status: placement.Present}}); err != nil {
		t.Fatal(err)
	}

	submitted := func(placementID int64) placement.WithdrawalRequest {
		w, err := f.store.StartWithdrawal(f.ctx, f.as(coordinator), placementID, withdrawalInput)
		if err != nil {
			t.Fatal(err)
		}
		if w, err = f.store.SubmitWithdrawal(f.ctx, f.as(coordinator), w.ID); err != nil {
			t.Fatal(err)
		}
		return w
	}
	// From one: Kai leaves the Monday placement only.
	w := submitted(kaiMon)
	course, err := f.store.CourseOf(f.ctx, f.as(admin), w)
	if err != nil || !slices.Equal(placementIDs(course), []int64{kaiMon, kaiWed}) {
		t.Fatalf("Kai's placements on the course: %v, %v", placementIDs(course), err)
	}
	var ps input.Problems
	if _, err := f.store.ProcessWithdrawal(f.ctx, f.as(admin), w.ID, placement.ProcessInput{LastDay: d(2026, time.November, 13), Placements: []int64{kaiMon}}); !errors.As(err, &ps) || ps[0].Field != "last" {
		t.Fatalf("a last day before a marked session: %v", err)
	}
	if _, err := f.store.ProcessWithdrawal(f.ctx, f.as(admin), w.ID, placement.ProcessInput{LastDay: d(2026, time.November, 20), Placements: []int64{tylerTue}}); !errors.As(err, &ps) || ps[0].Field != "placements" {
		t.Fatalf("ending another student's placement: %v", err)
	}
	var refusal *pathway.Refusal
	if _, err := f.store.ProcessWithdrawal(f.ctx, f.as(coordinator), w.ID, placement.ProcessInput{LastDay: d(2026, time.November, 20), Placements: []int64{kaiMon}}); !errors.As(err, &refusal) {
		t.Fatalf("the school processing it: %v", err)
	}
	w, err = f.store.ProcessWithdrawal(f.ctx, f.as(admin), w.ID, placement.ProcessInput{LastDay: d(2026, time.November, 20), Placements: []int64{kaiMon}, Note: "Withdrawn from Mondays"})
	if err != nil || w.Status != placement.Processed || !slices.Equal(w.Ended, []int64{kaiMon}) {
		t.Fatalf("process from one: %+v, %v", w, err)
	}

	// From all: Tyler leaves both days of the course.
	tw := submitted(tylerTue)
	if tw, err = f.store.ProcessWithdrawal(f.ctx, f.as(admin), tw.ID, placement.ProcessInput{LastDay: d(2026, time.November, 24), Placements: []int64{tylerTue, tylerThu}}); err != nil ||
		!slices.Equal(tw.Ended, []int64{tylerTue, tylerThu}) {
		t.Fatalf("process from all: %+v, %v", tw, err)
	}

	for id, want := range map[int64]struct {
		status string
		ended  calendar.Date
	}{kaiMon: {"ended", d(2026, time.November, 20)}, kaiWed: {"active", calendar.Date{}},
		tylerTue: {"ended", d(2026, time.November, 24)}, tylerThu: {"ended", d(2026, time.November, 24)}} {
		p, err := f.store.Get(f.ctx, f.as(admin), id)
		if err != nil || p.Status != want.status || p.EndedOn != want.ended {
			t.Errorf("placement %d: %s ended %s, want %s %s (%v)", id, p.Status, p.EndedOn, want.status, want.ended, err)
		}
		e, err := f.store.EndingOf(f.ctx, f.as(admin), id)
		if err != nil || (e.Outcome == placement.Withdrawn) != (want.status == "ended") {
			t.Errorf("placement %d's outcome %q, %v", id, e.Outcome, err)
		}
	}
	// Registers: Kai on the Monday he was marked and no Monday after his last day; his Wednesdays go
	// on. Tyler up to his last day (Tuesday 24th), nothing after.
	for _, r := range []struct {
		day  calendar.Date
		want []string
	}{
		{d(2026, time.November, 16), []string{"Kai"}},
		{d(2026, time.November, 23), nil},
		{d(2026, time.November, 25), []string{"Kai"}},
		{d(2026, time.November, 17), []string{"Tyler"}},
		{d(2026, time.November, 24), []string{"Tyler"}},
		{d(2026, time.November, 26), nil},
		{d(2026, time.December, 1), nil},
	} {
		reg, err := f.store.Register(f.ctx, f.as(ridgewayStaff), ridgeway, r.day, placement.Morning)
		if err != nil {
			t.Fatal(err)
		}
		if got := names(reg); !slices.Equal(got, r.want) {
			t.Errorf("%s %s: %q, want %q", r.day.Weekday(), r.day, got, r.want)
		}
	}
	// The marks stay.
	var n int
	if err := f.pool.QueryRow(f.ctx, `SELECT count(*) FROM attendance_marks WHERE placement_id = $1`, kaiMon).Scan(&n); err != nil || n != 1 {
		t.Errorf("Kai's marks after the withdrawal: %d, %v", n, err)
	}
	// A placement that has ended takes no new request.
	if _, err := f.store.StartChange(f.ctx, f.as(coordinator), tylerTue, changeInput); !errors.Is(err, placement.ErrPlacementEnded) {
		t.Errorf("a change of day on an ended placement: %v", err)
	}
}

// A provider never sees another provider's withdrawal requests, nor its placements on the course.
func TestAProviderNeverSeesAnotherProvidersWithdrawals(t *testing.T) {
	f := newFixture(t, time.Date(2026, time.November, 16, 9, 30, 0, 0, calendar.London()))
	atAcademy := placementtest.Create(t, f.pool, placementtest.Spec{Student: "Kai", Provider: "capa", Programme: "capa-refocus", Start: d(2026, time.November, 3), Days: []int32{2, 3}})
	placementtest.Create(t, f.pool, placementtest.Spec{Student: "Kai", Provider: "ridgeway", Start: d(2026, time.November, 2), Days: []int32{1}})
	w, err := f.store.StartWithdrawal(f.ctx, f.as(academyStaff), atAcademy, withdrawalInput)
	if err != nil {
		t.Fatal(err)
	}
	for who, sees := range map[string]bool{academyStaff: true, coordinator: true, admin: true, ridgewayStaff: false, "dsl@ridgeway.provider.example": false} {
		a := f.as(who)
		if _, err := f.store.GetWithdrawal(f.ctx, a, w.ID); sees != (err == nil) || (!sees && !errors.Is(err, db.ErrNotFound)) {
			t.Errorf("%s getting the withdrawal: %v", who, err)
		}
		list, _, err := f.store.WithdrawalQueue(f.ctx, a, placement.QueueFilter{}, 10)
		if err != nil || (len(list) == 1) != sees {
			t.Errorf("%s's queue: %d, %v", who, len(list), err)
		}
		if _, err := f.store.RecordWithdrawalMeeting(f.ctx, a, w.ID, placement.WithdrawalMeetingInput{HeldOn: d(2026, time.November, 16), Attendees: "x", Notes: "y"}); !sees && !errors.Is(err, db.ErrNotFound) {
			t.Errorf("%s recording a meeting on a withdrawal it cannot see: %v", who, err)
		}
	}
}

func placementIDs(ps []placement.Placement) []int64 {
	var out []int64
	for _, p := range ps {
		out = append(out, p.ID)
	}
	return out
}
