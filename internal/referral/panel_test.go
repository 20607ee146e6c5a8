package referral_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/input"
	"github.com/coventry-cap/capportal/internal/panel"
	"github.com/coventry-cap/capportal/internal/pathway"
	"github.com/coventry-cap/capportal/internal/referral"
)

const (
	panelChair  = "panel@cap.example"
	panelLead   = "lead@cap.example"                    // service lead and panel member at CAP
	headteacher = "headteacher@whitmore.school.example" // panel member from the referring school
	academy     = "staff@capa.provider.example"
)

var (
	reviewDay = calendar.NewDate(2026, time.December, 3) // after round 4's deadline of Wednesday 2 December 2026
	mapDay    = calendar.NewDate(2026, time.December, 8)
)

// on moves the clock to 10:00 on the day.
func (f *fixture) on(d calendar.Date) {
	f.clock.Set(d.In(calendar.London()).Add(10 * time.Hour))
}

func (f *fixture) userID(email string) int64 {
	return f.id(`SELECT id FROM users WHERE email = $1`, email)
}

// meeting schedules the round's panel on the day with the attendees, the first chairing.
func (f *fixture) meeting(roundID int64, p string, day calendar.Date, attendees ...string) {
	f.t.Helper()
	in := panel.MeetingInput{HeldOn: day}
	for i, e := range attendees {
		id := f.userID(e)
		if i == 0 {
			in.ChairID = id
		}
		in.Attendees = append(in.Attendees, id)
	}
	admin := f.userID(admin)
	if _, err := panel.On(f.pool).SaveMeeting(f.ctx, f.clock.Now(), panel.Actor{UserID: &admin}, roundID, p, in); err != nil {
		f.t.Fatalf("schedule %s: %v", p, err)
	}
}

func (f *fixture) decide(email string, r referral.Referral, decision string) (pathway.Step, error) {
	return f.store.Decide(f.ctx, f.as(email), f.reload(r), referral.DecideInput{Decision: decision,
		Minutes: "Discussed.", Rationale: "The school's evidence shows the programme fits the student's needs."})
}

func (f *fixture) events(r referral.Referral) []string {
	f.t.Helper()
	rows, err := f.pool.Query(f.ctx, `SELECT action || ':' || to_step FROM referral_events WHERE referral_id = $1 ORDER BY id`, r.ID)
	if err != nil {
		f.t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		must(f.t, rows.Scan(&s))
		out = append(out, s)
	}
	return out
}

func wantStep(t *testing.T, got pathway.Step, err error, want pathway.Step) {
	t.Helper()
	if err != nil {
		t.Fatalf("want %s, got error %v", want, err)
	}
	if got != want {
		t.Fatalf("moved to %s, want %s", got, want)
	}
}

func refusal(t *testing.T, err error, contains string) *pathway.Refusal {
	t.Helper()
	var ref *pathway.Refusal
	if !errors.As(err, &ref) {
		t.Fatalf("want a refusal containing %q, got %v", contains, err)
	}
	if text := ref.Reason + " " + strings.Join(ref.Checks, " "); !strings.Contains(text, contains) {
		t.Fatalf("refusal %q does not say %q", text, contains)
	}
	return ref
}

func TestRefocusGoesFromSubmissionThroughBothPanelsIntoACohort(t *testing.T) {
	f := newFixture(t)
	r := f.submitted(f.programme("capa", "refocus"))
	round, err := panel.On(f.pool).GetRound(f.ctx, r.PanelRoundID)
	must(t, err)
	if round.Position != 4 || round.Deadline != calendar.NewDate(2026, time.December, 2) || r.PanelLateReason != "" {
		t.Fatalf("joined %s (late %q), want round 4 of 2026/27 with the deadline 2 December 2026", round.Label(), r.PanelLateReason)
	}
	must(t, f.store.AddToAgenda(f.ctx, f.as(admin), r))

	// No meeting yet: nobody can decide.
	_, err = f.decide(panelChair, r, panel.Approved)
	refusal(t, err, "has not been scheduled")

	f.meeting(round.ID, panel.ReviewPanel, reviewDay, panelChair, panelLead, headteacher)
	_, err = f.decide(panelChair, r, panel.Approved)
	refusal(t, err, "decisions are recorded at or after the meeting")

	f.on(reviewDay)
	_, err = f.decide(headteacher, r, panel.Approved)
	if ref := refusal(t, err, "conflict of interest"); !ref.Forbidden {
		t.Fatal("a conflict of interest should be a forbidden refusal")
	}
	_, err = f.decide(panelLead, r, panel.Approved)
	refusal(t, err, "chair")
	step, err := f.decide(panelChair, r, panel.Approved)
	wantStep(t, step, err, pathway.MultiAgencyPanel)

	// The headteacher attended but took no part: it is their school's case.
	cases, err := panel.On(f.pool).CasesOf(f.ctx, r.ID)
	must(t, err)
	if len(cases) != 2 || cases[0].Panel != panel.ReviewPanel || cases[1].Panel != panel.MultiAgencyPanel || cases[1].Decided() {
		t.Fatalf("cases %+v, want the decided review case and an open Multi-Agency case", cases)
	}
	if !slices.Contains(cases[0].Excluded, f.userID(headteacher)) || slices.Contains(cases[0].TookPart, f.userID(headteacher)) ||
		len(cases[0].TookPart) != 2 {
		t.Fatalf("took part %v, excluded %v", cases[0].TookPart, cases[0].Excluded)
	}
	if want := calendar.NewDate(2026, time.December, 8); cases[0].LetterDue != want {
		t.Fatalf("letter due %s, want %s (three working days after Thursday 3 December)", cases[0].LetterDue, want)
	}

	// The Academy cannot onboard before the Multi-Agency Panel agrees.
	err = f.store.Onboard(f.ctx, f.as(admin), f.reload(r))
	refusal(t, err, "Multi-Agency Panel")

	f.meeting(round.ID, panel.MultiAgencyPanel, mapDay, panelLead, panelChair)
	f.on(mapDay)
	step, err = f.decide(panelLead, r, panel.Approved)
	wantStep(t, step, err, pathway.OutcomeShared)
	place, err := panel.On(f.pool).PlaceOf(f.ctx, r.ID)
	must(t, err)
	cohort, err := panel.On(f.pool).GetStart(f.ctx, place.StartID)
	must(t, err)
	if place.Status != panel.Placed || cohort.Name != "Cohort 2" || cohort.Starts != calendar.NewDate(2027, time.January, 11) {
		t.Fatalf("place %+v in %s, want a place in Cohort 2 starting 11 January 2027", place, cohort.Title())
	}

	// The Academy now sees the referral, onboards the student and places them in the cohort.
	aca := f.as(academy)
	got, err := f.store.Get(f.ctx, aca, r.Reference)
	must(t, err)
	must(t, f.store.Onboard(f.ctx, aca, got))
	must(t, f.store.PlaceInCohort(f.ctx, aca, f.reload(r)))
	var start calendar.Date
	var days []int32
	must(t, f.pool.QueryRow(f.ctx, `SELECT start_date, days FROM placements WHERE referral_id = $1 AND cohort_place_id = $2`,
		r.ID, place.ID).Scan(&start, &days))
	if start != cohort.Starts || !slices.Equal(days, []int32{2, 3, 4, 5}) {
		t.Fatalf("placement from %s on days %v, want the cohort's start, Tuesday to Friday", start, days)
	}
	want := []string{"submit:submitted", "agenda:review_panel", "decide:multi_agency_panel", "map:outcome_shared",
		"onboard:onboarding", "cohort:placement_active"}
	if got := f.events(r); !slices.Equal(got, want) {
		t.Fatalf("history %v, want %v", got, want)
	}
}

func TestEachPanelPathwayRefusesStepsOutOfOrder(t *testing.T) {
	f := newFixture(t)
	r := f.submitted(f.programme("capa", "refocus"))
	ca, aca := f.as(admin), f.as(academy)
	// Submitted: no decision, onboarding or cohort yet.
	for name, err := range map[string]error{
		"decide":  func() error { _, err := f.decide(panelChair, r, panel.Approved); return err }(),
		"onboard": f.store.Onboard(f.ctx, ca, r),
		"cohort":  f.store.PlaceInCohort(f.ctx, ca, r),
		"defer":   f.store.DeferCase(f.ctx, ca, r, 0, ""),
	} {
		if !refused(err) {
			t.Errorf("%s at submitted: %v, want a refusal", name, err)
		}
	}
	must(t, f.store.AddToAgenda(f.ctx, ca, r))
	if err := f.store.AddToAgenda(f.ctx, ca, f.reload(r)); !refused(err) {
		t.Error("added to the agenda twice")
	}
	r = f.reload(r)
	for name, err := range map[string]error{
		"onboard": f.store.Onboard(f.ctx, ca, r),
		"cohort":  f.store.PlaceInCohort(f.ctx, ca, r),
	} {
		if !refused(err) {
			t.Errorf("%s at the review panel: %v, want a refusal", name, err)
		}
	}
	if _, err := f.store.Get(f.ctx, aca, r.Reference); err == nil {
		t.Error("the Academy sees the referral before the panels agreed")
	}
	if n := f.count(`SELECT count(*) FROM referral_events WHERE referral_id = $1`, r.ID); n != 2 {
		t.Fatalf("%d events, want 2: refused steps must write nothing", n)
	}

	// Supported Transfer: no placement review before the Headteacher Placement Meeting allocates a school.
	st := f.submitted(f.id(`SELECT id FROM programmes WHERE kind = 'supported_transfer' AND retired_at IS NULL LIMIT 1`))
	must(t, f.store.AddToAgenda(f.ctx, ca, st))
	if err := f.store.ReviewTransfer(f.ctx, ca, f.reload(st), reviewDay, "too early"); !refused(err) {
		t.Error("a transfer was reviewed before it started")
	}
	if err := f.store.RecordTransferOutcome(f.ctx, ca, f.reload(st), "stays", ""); !refused(err) {
		t.Error("a transfer outcome was recorded before its review")
	}

	// Flourish: no pack to the provider until the panel approved.
	fl := f.submitted(f.programme("calmwaters", "flourish"))
	must(t, f.store.AddToAgenda(f.ctx, ca, fl))
	if err := f.store.SendPack(f.ctx, ca, f.reload(fl)); !refused(err) {
		t.Error("a Flourish pack was sent before the panel decided")
	}
}

func TestSupportedTransferIsAllocatedAtTheHeadteacherMeetingThenReviewed(t *testing.T) {
	f := newFixture(t)
	st := f.submitted(f.id(`SELECT id FROM programmes WHERE kind = 'supported_transfer' AND retired_at IS NULL LIMIT 1`))
	ca := f.as(admin)
	must(t, f.store.AddToAgenda(f.ctx, ca, st))
	f.meeting(st.PanelRoundID, panel.ReviewPanel, reviewDay, panelChair)
	f.on(reviewDay)
	step, err := f.decide(panelChair, st, panel.Approved)
	wantStep(t, step, err, pathway.HeadteacherPanel)

	round, err := panel.On(f.pool).GetRound(f.ctx, st.PanelRoundID)
	must(t, err)
	f.meeting(st.PanelRoundID, panel.HeadteacherPanel, round.Meeting, panelLead)
	f.on(round.Meeting)
	receiving := f.id(`SELECT id FROM organisations WHERE slug = 'canleybrook'`)
	starts := calendar.NewDate(2027, time.January, 5)
	step, err = f.store.Decide(f.ctx, f.as(panelLead), f.reload(st), referral.DecideInput{Decision: panel.Approved,
		Rationale: "A fresh start is in the student's interest.", ReceivingSchoolID: receiving, TransferStart: starts})
	wantStep(t, step, err, pathway.TransferPlacement)
	tr, err := referral.On(f.pool).TransferOf(f.ctx, st.ID)
	must(t, err)
	if tr.ReceivingSchoolID != receiving || tr.Starts != starts || tr.Ends != starts.AddDays(84) {
		t.Fatalf("transfer %+v, want twelve weeks at Canley Brook from 5 January 2027", tr)
	}
	if err := f.store.RecordTransferOutcome(f.ctx, ca, f.reload(st), "stays", ""); !refused(err) {
		t.Fatal("an outcome before the review was allowed")
	}
	must(t, f.store.ReviewTransfer(f.ctx, ca, f.reload(st), calendar.NewDate(2027, time.March, 26), "Settled well."))
	must(t, f.store.RecordTransferOutcome(f.ctx, ca, f.reload(st), "stays", "Stays on roll at Canley Brook."))
	if got := f.reload(st); got.Step != pathway.TransferOutcome {
		t.Fatalf("step %s, want transfer_outcome", got.Step)
	}
}

func TestAReferralJoinsTheRoundWhoseDeadlineItMeets(t *testing.T) {
	for _, tc := range []struct {
		name     string
		day      calendar.Date
		position int
		late     bool
	}{
		{"the day before the deadline", calendar.NewDate(2026, time.December, 1), 4, false},
		{"on the deadline day", calendar.NewDate(2026, time.December, 2), 4, false},
		{"the day after the deadline", calendar.NewDate(2026, time.December, 3), 7, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			f.on(tc.day)
			plan, err := f.store.PlanPanel(f.ctx, "refocus")
			must(t, err)
			r := f.submitted(f.programme("capa", "refocus"))
			round, err := panel.On(f.pool).GetRound(f.ctx, r.PanelRoundID)
			must(t, err)
			if round.Position != tc.position || plan.Round.ID != round.ID {
				t.Fatalf("joined round %d (the plan said %d), want %d", round.Position, plan.Round.Position, tc.position)
			}
			if late := r.PanelLateReason != ""; late != tc.late {
				t.Fatalf("late reason %q", r.PanelLateReason)
			}
			if tc.late && !strings.Contains(r.PanelLateReason, "2 December 2026") {
				t.Fatalf("late reason %q does not name the missed deadline", r.PanelLateReason)
			}
		})
	}
}

func TestSLASchoolsTier2CasesComeBeforeOthersOnTheAgenda(t *testing.T) {
	f := newFixture(t)
	ca := f.as(admin)
	setSLA := func(signed bool) {
		_, err := f.pool.Exec(f.ctx, `UPDATE slas SET signed = $1, signed_on = CASE WHEN $1 THEN DATE '2026-09-01' END
			WHERE academic_year = '2026/27' AND school_id = (SELECT id FROM organisations WHERE slug = 'whitmore')`, signed)
		must(t, err)
	}
	// Without an SLA: a Flourish case and a second Flourish case.
	setSLA(false)
	first := f.submitted(f.programme("calmwaters", "flourish"))
	must(t, f.store.AddToAgenda(f.ctx, ca, first))
	// A Tier 3 case from an SLA school gets no Tier 2 priority.
	setSLA(true)
	tier3 := f.submitted(f.programme("capa", "refocus"))
	must(t, f.store.AddToAgenda(f.ctx, ca, tier3))
	// An SLA school's Tier 2 case goes before both.
	sla := f.submitted(f.programme("mindfulpaths", "flourish"))
	must(t, f.store.AddToAgenda(f.ctx, ca, sla))
	agenda, err := panel.On(f.pool).Agenda(f.ctx, f.reload(first).PanelRoundID, panel.ReviewPanel)
	must(t, err)
	var order []int64
	for _, c := range agenda {
		order = append(order, c.ReferralID)
	}
	if want := []int64{sla.ID, first.ID, tier3.ID}; !slices.Equal(order, want) {
		t.Fatalf("agenda %v, want %v (the SLA school's Tier 2 case first)", order, want)
	}
	// CAP can still reorder.
	admin := f.userID(admin)
	must(t, panel.On(f.pool).MoveCase(f.ctx, f.clock.Now(), panel.Actor{UserID: &admin}, agenda[2].ID, true))
	agenda, err = panel.On(f.pool).Agenda(f.ctx, agenda[0].RoundID, panel.ReviewPanel)
	must(t, err)
	if agenda[1].ReferralID != tier3.ID {
		t.Fatalf("moving up did not move the case up: %v", agenda)
	}
	if err := panel.On(f.pool).MoveCase(f.ctx, f.clock.Now(), panel.Actor{UserID: &admin}, agenda[0].ID, true); !errors.Is(err, panel.ErrCannotMove) {
		t.Fatalf("moving the first case up: %v", err)
	}
}

func TestAMemberFromTheReferringSchoolTakesNoPartEvenAsChair(t *testing.T) {
	f := newFixture(t)
	r := f.submitted(f.programme("calmwaters", "flourish"))
	must(t, f.store.AddToAgenda(f.ctx, f.as(admin), r))
	// The headteacher chairs the meeting, but the case is from their school: another attending member records it.
	f.meeting(r.PanelRoundID, panel.ReviewPanel, reviewDay, headteacher, panelChair)
	f.on(reviewDay)
	_, err := f.decide(headteacher, r, panel.NotApproved)
	refusal(t, err, "conflict of interest")
	if n := f.count(`SELECT count(*) FROM panel_cases WHERE referral_id = $1 AND decision IS NOT NULL`, r.ID); n != 0 {
		t.Fatal("a refused decision was written")
	}
	step, err := f.decide(panelChair, r, panel.NotApproved)
	wantStep(t, step, err, pathway.ExploringAlternatives)
	c, err := panel.On(f.pool).CasesOf(f.ctx, r.ID)
	must(t, err)
	if !slices.Equal(c[0].Excluded, []int64{f.userID(headteacher)}) || !slices.Equal(c[0].TookPart, []int64{f.userID(panelChair)}) {
		t.Fatalf("took part %v, excluded %v", c[0].TookPart, c[0].Excluded)
	}
}

func TestADeferredCaseGoesToTheNextRoundsAgenda(t *testing.T) {
	f := newFixture(t)
	r := f.submitted(f.programme("calmwaters", "flourish"))
	must(t, f.store.AddToAgenda(f.ctx, f.as(admin), r))
	f.meeting(r.PanelRoundID, panel.ReviewPanel, reviewDay, panelChair)
	f.on(reviewDay)
	first, err := panel.On(f.pool).OpenCase(f.ctx, r.ID)
	must(t, err)
	step, err := f.decide(panelChair, r, panel.Deferred)
	wantStep(t, step, err, pathway.ReviewPanel)
	// A second press of the same form (for the case now decided) finds it decided.
	if _, err := f.store.Decide(f.ctx, f.as(panelChair), f.reload(r), referral.DecideInput{CaseID: first.ID, Decision: panel.Approved,
		Rationale: "x"}); !errors.Is(err, referral.ErrMoved) {
		t.Fatalf("deciding a case already decided: %v", err)
	}
	open, err := panel.On(f.pool).OpenCase(f.ctx, r.ID)
	must(t, err)
	next, err := panel.On(f.pool).GetRound(f.ctx, open.RoundID)
	must(t, err)
	if next.Position != 7 || open.CarriedFrom == 0 || open.Panel != panel.ReviewPanel {
		t.Fatalf("deferred to %s (carried from %d), want round 7's Review and Authorisation Panel", next.Label(), open.CarriedFrom)
	}
	// CAP defers it again before that meeting.
	must(t, f.store.DeferCase(f.ctx, f.as(admin), f.reload(r), open.ID, "The school asked for more time."))
	again, err := panel.On(f.pool).OpenCase(f.ctx, r.ID)
	must(t, err)
	if again.RoundID == open.RoundID || again.CarriedFrom != open.ID {
		t.Fatalf("CAP's deferral left the case in round %d", again.RoundID)
	}
}

func TestTheOutcomeLetterIsDueThreeWorkingDaysAfterTheMeetingAcrossBankHolidays(t *testing.T) {
	f := newFixture(t)
	r := f.submitted(f.programme("calmwaters", "flourish"))
	must(t, f.store.AddToAgenda(f.ctx, f.as(admin), r))
	christmasEve := calendar.NewDate(2026, time.December, 24)
	f.meeting(r.PanelRoundID, panel.ReviewPanel, christmasEve, panelChair)
	f.on(christmasEve)
	step, err := f.decide(panelChair, r, panel.Approved)
	wantStep(t, step, err, pathway.OutcomeShared)
	c, err := panel.On(f.pool).CasesOf(f.ctx, r.ID)
	must(t, err)
	// Friday 25 and Monday 28 December are bank holidays: 29, 30, 31 December are the three working days.
	if want := calendar.NewDate(2026, time.December, 31); c[0].LetterDue != want {
		t.Fatalf("letter due %s, want %s", c[0].LetterDue, want)
	}
	if c[0].LetterLate(calendar.NewDate(2026, time.December, 31)) || !c[0].LetterLate(calendar.NewDate(2027, time.January, 1)) {
		t.Fatal("the letter should be late from the day after it was due")
	}
	// Shared late, it stays marked late; the school is told.
	f.on(calendar.NewDate(2027, time.January, 4))
	must(t, f.store.ShareLetter(f.ctx, f.as(admin), f.reload(r), c[0].ID))
	if err := f.store.ShareLetter(f.ctx, f.as(admin), f.reload(r), c[0].ID); !errors.Is(err, panel.ErrLetterShared) {
		t.Fatalf("sharing twice: %v", err)
	}
	c, err = panel.On(f.pool).CasesOf(f.ctx, r.ID)
	must(t, err)
	if !c[0].LetterLate(calendar.NewDate(2027, time.January, 4)) {
		t.Fatal("a letter shared after its due day is not flagged late")
	}
	if n := f.count(`SELECT count(*) FROM notifications WHERE kind = 'referral.letter'`); n == 0 {
		t.Fatal("the school was not told about the letter")
	}
}

func TestFiftyMultiAgencyApprovalsAtOnceNeverOverfillACohortOf25(t *testing.T) {
	for round := 1; round <= 3; round++ {
		t.Run(fmt.Sprintf("round %d", round), func(t *testing.T) {
			f := newFixture(t)
			r := f.submitted(f.programme("capa", "refocus"))
			must(t, f.store.AddToAgenda(f.ctx, f.as(admin), r))
			f.meeting(r.PanelRoundID, panel.ReviewPanel, reviewDay, panelChair)
			f.on(reviewDay)
			step, err := f.decide(panelChair, r, panel.Approved)
			wantStep(t, step, err, pathway.MultiAgencyPanel)
			// 49 more cases waiting on the same Multi-Agency Panel: copies of this referral.
			var cols string
			must(t, f.pool.QueryRow(f.ctx, `SELECT string_agg(quote_ident(column_name), ', ') FROM information_schema.columns
				WHERE table_name = 'referrals' AND column_name NOT IN ('id', 'reference', 'start_token')`).Scan(&cols))
			refs := []referral.Referral{f.reload(r)}
			for i := 1; i < 50; i++ {
				ref := fmt.Sprintf("CAP-2627-9%04d", i)
				id := f.id(`INSERT INTO referrals (reference, start_token, `+cols+`) SELECT $2, $2, `+cols+` FROM referrals WHERE id = $1 RETURNING id`, r.ID, ref)
				_, err := f.pool.Exec(f.ctx, `INSERT INTO panel_cases (round_id, panel, referral_id, position, added_at)
					VALUES ($1, 'multi_agency', $2, $3, now())`, r.PanelRoundID, id, i+1)
				must(t, err)
				got, err := f.store.Get(f.ctx, f.as(admin), ref)
				must(t, err)
				refs = append(refs, got)
			}
			f.meeting(r.PanelRoundID, panel.MultiAgencyPanel, mapDay, panelLead)
			f.on(mapDay)
			chair := f.as(panelLead)
			var wg sync.WaitGroup
			errs := make(chan error, len(refs))
			for _, ref := range refs {
				wg.Add(1)
				go func() {
					defer wg.Done()
					_, err := f.store.Decide(f.ctx, chair, ref, referral.DecideInput{Decision: panel.Approved, Rationale: "Agreed."})
					errs <- err
				}()
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				must(t, err)
			}
			cohort, err := panel.On(f.pool).CohortFedBy(f.ctx, r.PanelRoundID)
			must(t, err)
			occ, err := panel.On(f.pool).OccupancyOf(f.ctx, cohort.ID)
			must(t, err)
			if occ.Placed != 25 || occ.Waiting != 25 {
				t.Fatalf("%d placed and %d waiting, want 25 and 25", occ.Placed, occ.Waiting)
			}
			if n := f.count(`SELECT count(*) FROM referrals WHERE step = 'outcome_shared'`); n != 50 {
				t.Fatalf("%d referrals moved on, want 50", n)
			}
		})
	}
}

func TestAMeetingsDayAttendanceAndTheRoundsDeadlineStandOnceItHasDecided(t *testing.T) {
	f := newFixture(t)
	r := f.submitted(f.programme("calmwaters", "flourish"))
	must(t, f.store.AddToAgenda(f.ctx, f.as(admin), r))
	admin := f.userID(admin)
	pa := panel.Actor{UserID: &admin}
	saturday := calendar.NewDate(2026, time.December, 5)
	if _, err := panel.On(f.pool).SaveMeeting(f.ctx, f.clock.Now(), pa, r.PanelRoundID, panel.ReviewPanel,
		panel.MeetingInput{HeldOn: saturday}); !errors.Is(err, panel.ErrMeetingDay) {
		t.Fatalf("a meeting on a Saturday: %v", err)
	}
	f.meeting(r.PanelRoundID, panel.ReviewPanel, reviewDay, panelChair)
	// The deadline cannot move past the meeting, nor out of the rounds' order.
	for _, tc := range []struct {
		deadline calendar.Date
		want     error
	}{
		{calendar.NewDate(2026, time.December, 4), panel.ErrDeadlineAfterMeeting},
		{calendar.NewDate(2026, time.November, 10), panel.ErrDeadlineOutOfOrder},
	} {
		if _, err := panel.On(f.pool).UpdateRound(f.ctx, f.clock.Now(), pa, r.PanelRoundID, panel.Dates{Deadline: tc.deadline,
			Meeting: calendar.NewDate(2026, time.December, 15)}); !errors.Is(err, tc.want) {
			t.Errorf("deadline %s: %v, want %v", tc.deadline, err, tc.want)
		}
	}
	f.on(reviewDay)
	step, err := f.decide(panelChair, r, panel.Approved)
	wantStep(t, step, err, pathway.OutcomeShared)
	if _, err := panel.On(f.pool).SaveMeeting(f.ctx, f.clock.Now(), pa, r.PanelRoundID, panel.ReviewPanel,
		panel.MeetingInput{HeldOn: calendar.NewDate(2026, time.December, 10)}); !errors.Is(err, panel.ErrMeetingDecided) {
		t.Fatalf("moving a meeting that has decided: %v", err)
	}
}

// refused reports whether err is the pathway refusing a step (or finding it already taken), not
// some other failure.
func refused(err error) bool {
	var r *pathway.Refusal
	return errors.As(err, &r) || errors.Is(err, referral.ErrMoved)
}

// The rules of a decision are the store's, not only the form's: an approval or a refusal without its
// rationale, or a decision the panel cannot make, is refused and changes nothing; a deferral without
// one is recorded with the sentence its letter gives.
func TestTheStoreRefusesADecisionWithoutItsRationale(t *testing.T) {
	f := newFixture(t)
	r := f.submitted(f.programme("capa", "refocus"))
	must(t, f.store.AddToAgenda(f.ctx, f.as(admin), r))
	f.meeting(f.reload(r).PanelRoundID, panel.ReviewPanel, reviewDay, panelChair)
	f.on(reviewDay)
	for _, in := range []referral.DecideInput{
		{Decision: panel.Approved, Rationale: "  "},
		{Decision: panel.NotApproved},
		{Decision: "maybe", Rationale: "Unsure."},
		{Decision: panel.Approved, Rationale: strings.Repeat("x", panel.MaxText+1)},
	} {
		_, err := f.store.Decide(f.ctx, f.as(panelChair), f.reload(r), in)
		var ps input.Problems
		if !errors.As(err, &ps) || len(ps) != 1 {
			t.Fatalf("%+v: got %v, want one problem", in.Decision, err)
		}
		if got := f.reload(r).Step; got != pathway.ReviewPanel {
			t.Fatalf("%+v moved the referral to %s", in.Decision, got)
		}
	}
	if _, err := f.store.Decide(f.ctx, f.as(panelChair), f.reload(r), referral.DecideInput{Decision: panel.Deferred}); err != nil {
		t.Fatalf("defer without a rationale: %v", err)
	}
	var rationale string
	must(t, f.pool.QueryRow(f.ctx, `SELECT rationale FROM panel_cases WHERE referral_id = $1 AND decision = 'deferred'`, r.ID).Scan(&rationale))
	if rationale != "The Review and Authorisation Panel deferred the case to its next round." {
		t.Errorf("deferral's rationale %q", rationale)
	}
}
