package referral_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/coventry-cap/capportal/internal/auth"
	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/db"
	"github.com/coventry-cap/capportal/internal/db/dbtest"
	"github.com/coventry-cap/capportal/internal/document"
	"github.com/coventry-cap/capportal/internal/notify"
	"github.com/coventry-cap/capportal/internal/pathway"
	"github.com/coventry-cap/capportal/internal/referral"
	"github.com/coventry-cap/capportal/internal/seed"
)

// now is a Monday in the autumn term of 2026/27.
var now = time.Date(2026, time.November, 23, 9, 30, 0, 0, calendar.London())

type fixture struct {
	t     *testing.T
	ctx   context.Context
	pool  *pgxpool.Pool
	clock *calendar.Fixed
	store referral.Store
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	pool, _ := dbtest.New(t)
	clock := calendar.NewFixed(now)
	ctx := context.Background()
	if _, err := seed.LoadDemo(ctx, pool, clock, "demo-password-1"); err != nil {
		t.Fatal(err)
	}
	client, err := notify.NewClient(pool, &notify.MemoryMailer{}, slog.New(slog.NewTextHandler(io.Discard, nil)),
		notify.ClientOptions{BaseURL: &url.URL{Scheme: "http", Host: "portal.test"}, Clock: clock, TestOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{t: t, ctx: ctx, pool: pool, clock: clock,
		store: referral.Store{DB: pool, Clock: clock, Outbox: notify.NewOutbox(client)}}
}

// as is the demo user with the email acting.
func (f *fixture) as(email string) referral.Actor {
	f.t.Helper()
	var id int64
	if err := f.pool.QueryRow(f.ctx, `SELECT id FROM users WHERE email = $1`, email).Scan(&id); err != nil {
		f.t.Fatalf("user %s: %v", email, err)
	}
	p, err := auth.On(f.pool).LoadPrincipal(f.ctx, id)
	if err != nil {
		f.t.Fatal(err)
	}
	return referral.Actor{Principal: p, RequestID: "test"}
}

const (
	coordinator  = "coordinator@whitmore.school.example"
	admin        = "admin@cap.example"
	provider     = "staff@ridgeway.provider.example"
	otherCoord   = "coordinator@canleybrook.school.example"
	otherProvEml = "staff@lumen.provider.example"
)

func (f *fixture) id(sql string, args ...any) int64 {
	f.t.Helper()
	var id int64
	if err := f.pool.QueryRow(f.ctx, sql, args...).Scan(&id); err != nil {
		f.t.Fatalf("%s: %v", sql, err)
	}
	return id
}

// programme is a current programme of the provider (by slug) with the kind.
func (f *fixture) programme(providerSlug, kind string) int64 {
	return f.id(`SELECT p.id FROM programmes p JOIN organisations o ON o.id = p.organisation_id
		WHERE o.slug = $1 AND p.kind = $2 AND p.retired_at IS NULL AND (p.year_groups = '{}' OR 10 = ANY(p.year_groups))
		ORDER BY p.id LIMIT 1`, providerSlug, kind)
}

// student is a Year 10 student at Whitmore.
func (f *fixture) student() (int64, string, string) {
	var id int64
	var first, last string
	err := f.pool.QueryRow(f.ctx, `SELECT s.id, s.legal_first_name, s.legal_last_name FROM students s
		JOIN organisations o ON o.id = s.school_id WHERE o.slug = 'whitmore' AND s.year_group = 10 ORDER BY s.id LIMIT 1`).Scan(&id, &first, &last)
	if err != nil {
		f.t.Fatal(err)
	}
	return id, first, last
}

// completeAnswers answers every question of the kind's application validly.
func completeAnswers(r referral.Referral, today calendar.Date) referral.Answers {
	a := referral.Answers{}
	for _, s := range referral.Sections(r.Kind) {
		for _, fl := range s.Fields {
			switch fl.Type {
			case referral.FromRecord:
				continue
			case referral.Parental:
				a[fl.Name] = r.Record.Parental[0]
			case referral.YesNo:
				a[fl.Name] = "no"
			case referral.Confirm:
				a[fl.Name] = "yes"
			case referral.DateOf:
				a[fl.Name] = today.AddDays(-2).String()
			case referral.Percent:
				a[fl.Name] = "86.5"
			default:
				a[fl.Name] = "An answer for " + fl.Name
			}
		}
	}
	return a
}

var pdf = []byte("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")

// draft starts a complete, unsubmitted application to the programme with a risk assessment completed on ra.
func (f *fixture) draft(programmeID int64, ra calendar.Date) referral.Referral {
	f.t.Helper()
	c := f.as(coordinator)
	studentID, _, _ := f.student()
	schoolID := f.id(`SELECT id FROM organisations WHERE slug = 'whitmore'`)
	r, _, err := f.store.Start(f.ctx, c, referral.StartInput{SchoolID: schoolID, StudentID: studentID, ProgrammeID: programmeID,
		Token: fmt.Sprintf("token-%d-%d", programmeID, time.Now().UnixNano())})
	if err != nil {
		f.t.Fatal(err)
	}
	yes := true
	if err := f.store.SaveAnswers(f.ctx, c, r, completeAnswers(r, calendar.DateOf(now)), &yes); err != nil {
		f.t.Fatal(err)
	}
	checked, err := document.Validate("risk-assessment.pdf", pdf)
	if err != nil {
		f.t.Fatal(err)
	}
	if _, err := f.store.AddDocument(f.ctx, c, r, document.Upload{Kind: document.RiskAssessment, Checked: checked, Data: pdf,
		CompletedOn: ra, Template: document.CAPTemplate}); err != nil {
		f.t.Fatal(err)
	}
	return f.reload(r)
}

func (f *fixture) reload(r referral.Referral) referral.Referral {
	f.t.Helper()
	key, err := f.store.KeyOf(f.ctx, r.ID)
	if err != nil {
		f.t.Fatal(err)
	}
	got, err := f.store.Get(f.ctx, f.as(admin), key)
	if errors.Is(err, db.ErrNotFound) {
		got, err = f.store.Get(f.ctx, f.as(coordinator), key)
	}
	if err != nil {
		f.t.Fatal(err)
	}
	return got
}

func (f *fixture) submitted(programmeID int64) referral.Referral {
	f.t.Helper()
	r := f.draft(programmeID, calendar.DateOf(now).AddDays(-7))
	r, err := f.store.Submit(f.ctx, f.as(coordinator), r)
	if err != nil {
		f.t.Fatalf("submit: %v", err)
	}
	return f.reload(r)
}

func (f *fixture) count(sql string, args ...any) int {
	f.t.Helper()
	var n int
	if err := f.pool.QueryRow(f.ctx, sql, args...).Scan(&n); err != nil {
		f.t.Fatalf("%s: %v", sql, err)
	}
	return n
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func accept(start calendar.Date) referral.ResponseInput {
	yes := true
	return referral.ResponseInput{ReceiptAcknowledged: true, CanMeetNeeds: &yes, CanManageRisk: &yes, Decision: "accept",
		StartDate: start, Days: []time.Weekday{time.Tuesday, time.Thursday}}
}

func TestTier1PathwayFromSubmissionToActivePlacement(t *testing.T) {
	f := newFixture(t)
	r := f.submitted(f.programme("ridgeway", "course"))
	if !strings.HasPrefix(r.Reference, "CAP-2627-") || r.Step != pathway.Submitted || r.Version != 1 || r.Snapshot == nil {
		t.Fatalf("submitted referral = %q at %s v%d snapshot %v", r.Reference, r.Step, r.Version, r.Snapshot)
	}
	must(t, f.store.SendPack(f.ctx, f.as(admin), r))
	r = f.reload(r)
	must(t, f.store.RecordInterview(f.ctx, f.as(coordinator), r, calendar.DateOf(now).AddDays(2), "10:00"))
	r = f.reload(r)
	// The interview is held, then the response is sent: not before the interview's day.
	if err := f.store.Respond(f.ctx, f.as(provider), r, accept(calendar.NewDate(2026, time.December, 1))); !refused(err) || !strings.Contains(err.Error(), "after it has been held") {
		t.Fatalf("a response before the interview: %v", err)
	}
	f.clock.Set(now.Add(48 * time.Hour))
	must(t, f.store.Respond(f.ctx, f.as(provider), f.reload(r), accept(calendar.NewDate(2026, time.December, 1))))
	r = f.reload(r)
	to, err := f.store.ProcessResponse(f.ctx, f.as(admin), r)
	must(t, err)
	if to != pathway.StartConfirmed {
		t.Fatalf("processed acceptance went to %s", to)
	}
	r = f.reload(r)
	must(t, f.store.SetUpPlacement(f.ctx, f.as(admin), r, true))
	r = f.reload(r)
	if r.Step != pathway.PlacementActive {
		t.Fatalf("step = %s, want placement active", r.Step)
	}
	page, err := f.store.PageData(f.ctx, f.as(admin), r)
	must(t, err)
	if pl := page.Placement; pl == nil || !pl.StartDate.Equal(calendar.NewDate(2026, time.December, 1)) || len(pl.Days) != 2 || !pl.QAPlacement {
		t.Fatalf("placement = %+v", pl)
	}
	var actions []string
	for _, e := range page.Events {
		actions = append(actions, e.Action)
	}
	if got := strings.Join(actions, ","); got != "submit,send-pack,interview,respond,process,placement" {
		t.Fatalf("events = %s", got)
	}
}

func TestEveryOutOfOrderTier1StepIsRefusedAndChangesNothing(t *testing.T) {
	f := newFixture(t)
	r := f.submitted(f.programme("ridgeway", "course"))
	before := f.count(`SELECT count(*) FROM referral_events WHERE referral_id = $1`, r.ID)
	attempts := map[string]func() error{
		"interview": func() error {
			return f.store.RecordInterview(f.ctx, f.as(coordinator), r, calendar.DateOf(now), "")
		},
		"respond":   func() error { return f.store.Respond(f.ctx, f.as(admin), r, accept(calendar.DateOf(now).AddDays(7))) },
		"process":   func() error { _, err := f.store.ProcessResponse(f.ctx, f.as(admin), r); return err },
		"placement": func() error { return f.store.SetUpPlacement(f.ctx, f.as(admin), r, false) },
		"redirect": func() error {
			_, err := f.store.Redirect(f.ctx, f.as(admin), r, f.programme("ridgeway", "course")+1, "")
			return err
		},
		"resubmit": func() error { return f.store.Resubmit(f.ctx, f.as(coordinator), r, "again") },
		"submit":   func() error { _, err := f.store.Submit(f.ctx, f.as(coordinator), r); return err },
	}
	for name, try := range attempts {
		err := try()
		var refusal *pathway.Refusal
		if !errors.As(err, &refusal) {
			t.Errorf("%s at submitted: err = %v, want a refusal", name, err)
		}
	}
	after := f.reload(r)
	if after.Step != pathway.Submitted || f.count(`SELECT count(*) FROM referral_events WHERE referral_id = $1`, r.ID) != before {
		t.Fatalf("refused steps changed the referral: now at %s", after.Step)
	}
	if n := f.count(`SELECT count(*) FROM referral_packs WHERE referral_id = $1`, r.ID) +
		f.count(`SELECT count(*) FROM application_responses WHERE referral_id = $1`, r.ID) +
		f.count(`SELECT count(*) FROM placements WHERE referral_id = $1`, r.ID); n != 0 {
		t.Fatalf("refused steps wrote %d rows", n)
	}
}

func TestOnlyTheStepsRolesMayTakeIt(t *testing.T) {
	f := newFixture(t)
	r := f.submitted(f.programme("ridgeway", "course"))
	// A coordinator cannot send the pack, nor can the provider before it has one.
	for _, who := range []string{coordinator, provider} {
		err := f.store.SendPack(f.ctx, f.as(who), r)
		var refusal *pathway.Refusal
		if !errors.As(err, &refusal) || !strings.Contains(refusal.Reason, "Only a CAP admin") {
			t.Errorf("%s sending the pack: %v", who, err)
		}
	}
	must(t, f.store.SendPack(f.ctx, f.as(admin), r))
	r = f.reload(r)
	// Another school's coordinator holds the coordinator role, but not at this referral's school.
	roles := referral.RolesFor(f.as(otherCoord).Principal, r)
	if len(roles) != 0 {
		t.Fatalf("another school's coordinator has roles %v on this referral", roles)
	}
	must(t, f.store.RecordInterview(f.ctx, f.as(provider), r, calendar.DateOf(now), ""))
	r = f.reload(r)
	// Only the provider returns the response: not the school, not CAP.
	for _, who := range []string{coordinator, admin} {
		var refusal *pathway.Refusal
		if err := f.store.Respond(f.ctx, f.as(who), r, accept(calendar.DateOf(now).AddDays(7))); !errors.As(err, &refusal) {
			t.Errorf("%s responding: %v", who, err)
		}
	}
}

func TestTwoPeopleSendingThePackAtOnceMoveItOnce(t *testing.T) {
	for round := range 3 {
		t.Run(fmt.Sprint(round), func(t *testing.T) {
			f := newFixture(t)
			r := f.submitted(f.programme("ridgeway", "course"))
			a := f.as(admin)
			const n = 20
			var wg sync.WaitGroup
			errs := make([]error, n)
			for i := range n {
				wg.Add(1)
				go func() {
					defer wg.Done()
					errs[i] = f.store.SendPack(f.ctx, a, r)
				}()
			}
			wg.Wait()
			ok := 0
			for _, err := range errs {
				switch {
				case err == nil:
					ok++
				case errors.Is(err, referral.ErrMoved):
				default:
					t.Errorf("unexpected error: %v", err)
				}
			}
			if ok != 1 {
				t.Fatalf("%d of %d succeeded, want exactly 1", ok, n)
			}
			if p := f.count(`SELECT count(*) FROM referral_packs WHERE referral_id = $1`, r.ID); p != 1 {
				t.Fatalf("%d packs", p)
			}
			if e := f.count(`SELECT count(*) FROM referral_events WHERE referral_id = $1 AND action = 'send-pack'`, r.ID); e != 1 {
				t.Fatalf("%d send-pack events", e)
			}
		})
	}
}

func TestSubmittingTwiceCreatesOneReferral(t *testing.T) {
	f := newFixture(t)
	r := f.draft(f.programme("ridgeway", "course"), calendar.DateOf(now).AddDays(-1))
	var wg sync.WaitGroup
	errs := make([]error, 5)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = f.store.Submit(f.ctx, f.as(coordinator), r)
		}()
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		if err == nil {
			ok++
		} else if !errors.Is(err, referral.ErrMoved) {
			t.Errorf("unexpected error: %v", err)
		}
	}
	if ok != 1 || f.count(`SELECT count(*) FROM referrals WHERE reference IS NOT NULL`) != 1 ||
		f.count(`SELECT count(*) FROM referral_versions WHERE referral_id = $1`, r.ID) != 1 {
		t.Fatalf("%d submits succeeded", ok)
	}
	// The number was taken once: the next referral is 00002.
	if n := f.count(`SELECT last_number FROM referral_counters WHERE academic_year = '2026/27'`); n != 1 {
		t.Fatalf("counter at %d", n)
	}
	// Starting the same form again finds the same referral rather than a new draft.
	again, created, err := f.store.Start(f.ctx, f.as(coordinator), referral.StartInput{SchoolID: r.SchoolID, StudentID: r.StudentID,
		ProgrammeID: r.ProgrammeID, Token: "another-token"})
	must(t, err)
	if !created || again.ID == r.ID {
		t.Fatalf("a new application after submission should be a new draft: created=%v id=%d", created, again.ID)
	}
}

func TestTheRiskAssessmentMayBeNoMoreThanThreeMonthsOld(t *testing.T) {
	f := newFixture(t)
	course := f.programme("ridgeway", "course")
	today := calendar.DateOf(now) // 23 November 2026
	inDate := f.draft(course, calendar.NewDate(2026, time.August, 23))
	if _, err := f.store.Submit(f.ctx, f.as(coordinator), inDate); err != nil {
		t.Fatalf("a risk assessment completed exactly three months ago was refused: %v", err)
	}
	old := f.draft(f.programme("ridgeway", "course")+0, calendar.NewDate(2026, time.August, 22))
	_, err := f.store.Submit(f.ctx, f.as(coordinator), old)
	var refusal *pathway.Refusal
	if !errors.As(err, &refusal) || !strings.Contains(strings.Join(refusal.Checks, " "), "22 August 2026") {
		t.Fatalf("a risk assessment from 22 August 2026 on %s: %v", today.Format(), err)
	}
}

func TestProvidersSeeReferralsOnlyOnceTheirPackIsSent(t *testing.T) {
	f := newFixture(t)
	r := f.submitted(f.programme("ridgeway", "course"))
	if _, err := f.store.Get(f.ctx, f.as(provider), r.Reference); !errors.Is(err, db.ErrNotFound) {
		t.Fatalf("provider saw the referral before the pack was sent: %v", err)
	}
	if list, _, _ := f.store.List(f.ctx, f.as(provider), referral.ListFilter{}, 50); len(list) != 0 {
		t.Fatalf("provider's list before the pack: %d", len(list))
	}
	must(t, f.store.SendPack(f.ctx, f.as(admin), r))
	if _, err := f.store.Get(f.ctx, f.as(provider), r.Reference); err != nil {
		t.Fatalf("provider cannot see its pack: %v", err)
	}
	if _, err := f.store.Get(f.ctx, f.as(otherProvEml), r.Reference); !errors.Is(err, db.ErrNotFound) {
		t.Fatalf("another provider saw the referral: %v", err)
	}
	if _, err := f.store.Get(f.ctx, f.as(otherCoord), r.Reference); !errors.Is(err, db.ErrNotFound) {
		t.Fatalf("another school saw the referral: %v", err)
	}
}

func TestADeclineIsRedirectedWithEverythingAlreadyGiven(t *testing.T) {
	f := newFixture(t)
	r := f.submitted(f.programme("ridgeway", "course"))
	must(t, f.store.SendPack(f.ctx, f.as(admin), r))
	r = f.reload(r)
	must(t, f.store.RecordInterview(f.ctx, f.as(provider), r, calendar.DateOf(now), ""))
	r = f.reload(r)
	no := false
	yes := true
	must(t, f.store.Respond(f.ctx, f.as(provider), r, referral.ResponseInput{ReceiptAcknowledged: true, CanMeetNeeds: &no,
		CanManageRisk: &yes, Decision: "decline", DeclineReason: "need", DeclineDetail: "Our workshop cannot adapt for the student’s needs."}))
	r = f.reload(r)
	// No placement from a declined response, whatever the steps say.
	if err := f.store.SetUpPlacement(f.ctx, f.as(admin), r, false); err == nil {
		t.Fatal("a placement was set up from a declined response")
	}
	to, err := f.store.ProcessResponse(f.ctx, f.as(admin), r)
	must(t, err)
	if to != pathway.ExploringAlternatives {
		t.Fatalf("decline processed to %s", to)
	}
	r = f.reload(r)
	answers := r.Answers
	other := f.programme("lumen", "course")
	to, err = f.store.Redirect(f.ctx, f.as(coordinator), r, other, "Agreed with CAP on the phone")
	must(t, err)
	if to != pathway.Submitted {
		t.Fatalf("redirect to another course went to %s", to)
	}
	moved := f.reload(r)
	if moved.ProgrammeID != other || moved.Step != pathway.Submitted || moved.Reference != r.Reference {
		t.Fatalf("redirected referral = %s at %s for programme %d", moved.Reference, moved.Step, moved.ProgrammeID)
	}
	if fmt.Sprint(moved.Answers) != fmt.Sprint(answers) {
		t.Fatal("the answers changed on redirect")
	}
	if _, err := f.store.Get(f.ctx, f.as(provider), r.Reference); !errors.Is(err, db.ErrNotFound) {
		t.Fatalf("the declining provider still sees the referral: %v", err)
	}
	must(t, f.store.SendPack(f.ctx, f.as(admin), moved))
	if _, err := f.store.Get(f.ctx, f.as(otherProvEml), r.Reference); err != nil {
		t.Fatalf("the new provider cannot see its pack: %v", err)
	}
}

func TestNotificationsNeverCarryTheStudentsName(t *testing.T) {
	f := newFixture(t)
	_, first, last := f.student()
	r := f.submitted(f.programme("ridgeway", "course"))
	must(t, f.store.SendPack(f.ctx, f.as(admin), r))
	r = f.reload(r)
	must(t, f.store.RecordInterview(f.ctx, f.as(coordinator), r, calendar.DateOf(now), ""))
	r = f.reload(r)
	must(t, f.store.Respond(f.ctx, f.as(provider), r, accept(calendar.DateOf(now).AddDays(7))))
	rows, err := f.pool.Query(f.ctx, `SELECT subject, body, link FROM notifications`)
	must(t, err)
	n := 0
	for rows.Next() {
		var subject, body, link string
		must(t, rows.Scan(&subject, &body, &link))
		n++
		for _, name := range []string{first, last} {
			if strings.Contains(subject+body+link, name) {
				t.Errorf("notification carries the student's name %q: %s / %s", name, subject, body)
			}
		}
	}
	must(t, rows.Err())
	if n == 0 {
		t.Fatal("no notifications were queued")
	}
	// The provider was told the pack arrived.
	if f.count(`SELECT count(*) FROM notifications n JOIN users u ON u.id = n.user_id WHERE u.email = $1 AND n.kind = 'referral.pack_sent'`, provider) != 1 {
		t.Fatal("the provider was not notified of the pack")
	}
}

func TestARedirectToAProgrammeWithOtherQuestionsGoesToTheSchoolForThem(t *testing.T) {
	f := newFixture(t)
	r := f.submitted(f.programme("ridgeway", "course"))
	must(t, f.store.SendPack(f.ctx, f.as(admin), r))
	r = f.reload(r)
	must(t, f.store.RecordInterview(f.ctx, f.as(provider), r, calendar.DateOf(now), ""))
	r = f.reload(r)
	no, yes := false, true
	must(t, f.store.Respond(f.ctx, f.as(provider), r, referral.ResponseInput{ReceiptAcknowledged: true, CanMeetNeeds: &no,
		CanManageRisk: &yes, Decision: "decline", DeclineReason: "capacity", DeclineDetail: "The course is full until Easter."}))
	r = f.reload(r)
	_, err := f.store.ProcessResponse(f.ctx, f.as(admin), r)
	must(t, err)
	r = f.reload(r)
	flourish := f.id(`SELECT id FROM programmes WHERE kind = 'flourish' AND active AND 10 = ANY(year_groups) ORDER BY id LIMIT 1`)
	if to, err := f.store.Redirect(f.ctx, f.as(admin), r, flourish, ""); err != nil || to != pathway.ReturnedToSchool {
		t.Fatalf("redirect to Flourish: %s, %v", to, err)
	}
	moved := f.reload(r)
	if moved.Step != pathway.ReturnedToSchool || moved.PathwayID != "flourish" {
		t.Fatalf("redirected to Flourish: at %s on %s, want returned to the school on flourish", moved.Step, moved.PathwayID)
	}
	page, err := f.store.PageData(f.ctx, f.as(admin), moved)
	must(t, err)
	if last := page.Events[len(page.Events)-1]; !strings.Contains(last.Note, "questions for the panel") {
		t.Fatalf("the school is not told what to answer: %q", last.Note)
	}
	// The school answers the panel's questions and resubmits; nothing else is retyped.
	must(t, f.store.SaveAnswers(f.ctx, f.as(coordinator), moved, completeAnswers(moved, calendar.DateOf(now)), nil))
	moved = f.reload(moved)
	must(t, f.store.Resubmit(f.ctx, f.as(coordinator), moved, "Answered the panel's questions"))
	if got := f.reload(moved); got.Step != pathway.Submitted || got.Version != 2 {
		t.Fatalf("resubmitted: at %s v%d", got.Step, got.Version)
	}
}

func TestADraftCannotBeSubmittedBesideAnotherReferralToTheSameProgramme(t *testing.T) {
	f := newFixture(t)
	course := f.programme("ridgeway", "course")
	first := f.draft(course, calendar.DateOf(now).AddDays(-3))
	// A second draft for the same student and programme, started under another token before the first was submitted.
	if _, err := f.pool.Exec(f.ctx, `UPDATE referrals SET start_token = 'first' WHERE id = $1`, first.ID); err != nil {
		t.Fatal(err)
	}
	submitted, err := f.store.Submit(f.ctx, f.as(coordinator), first)
	must(t, err)
	second := f.draft(course, calendar.DateOf(now).AddDays(-3))
	if second.ID == first.ID {
		t.Fatal("the second application reused the submitted one")
	}
	_, err = f.store.Submit(f.ctx, f.as(coordinator), second)
	var refusal *pathway.Refusal
	if !errors.As(err, &refusal) || !strings.Contains(strings.Join(refusal.Checks, " "), submitted.Reference) {
		t.Fatalf("submitting a second referral to the same programme: %v", err)
	}
}

func TestStartingTheSameApplicationInManyTabsAtOnceMakesOneDraft(t *testing.T) {
	f := newFixture(t)
	course := f.programme("ridgeway", "course")
	studentID, _, _ := f.student()
	schoolID := f.id(`SELECT id FROM organisations WHERE slug = 'whitmore'`)
	c := f.as(coordinator)
	var wg sync.WaitGroup
	ids := make([]int64, 16)
	errs := make([]error, 16)
	for i := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r, _, err := f.store.Start(f.ctx, c, referral.StartInput{SchoolID: schoolID, StudentID: studentID, ProgrammeID: course,
				Token: fmt.Sprintf("tab-%d", i)})
			ids[i], errs[i] = r.ID, err
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("start %d: %v", i, err)
		}
		if ids[i] != ids[0] {
			t.Fatalf("start %d opened draft %d, start 0 opened %d", i, ids[i], ids[0])
		}
	}
	if n := f.count(`SELECT count(*) FROM referrals WHERE step = 'draft'`); n != 1 {
		t.Fatalf("%d drafts", n)
	}
}

// confirmed takes a new referral to the course as far as "start date confirmed".
func (f *fixture) confirmed(course int64) referral.Referral {
	f.t.Helper()
	r := f.submitted(course)
	must(f.t, f.store.SendPack(f.ctx, f.as(admin), r))
	r = f.reload(r)
	must(f.t, f.store.RecordInterview(f.ctx, f.as(provider), r, calendar.DateOf(now), ""))
	r = f.reload(r)
	must(f.t, f.store.Respond(f.ctx, f.as(provider), r, accept(calendar.NewDate(2026, time.December, 1))))
	r = f.reload(r)
	_, err := f.store.ProcessResponse(f.ctx, f.as(admin), r)
	must(f.t, err)
	return f.reload(r)
}

func TestTheStoreKeepsASchoolWithinItsQAPlacements(t *testing.T) {
	f := newFixture(t)
	if _, err := f.pool.Exec(f.ctx, `UPDATE sla_offers SET tier1_qa_placements = 1 WHERE academic_year = '2026/27'`); err != nil {
		t.Fatal(err)
	}
	var courses []int64
	rows, err := f.pool.Query(f.ctx, `SELECT p.id FROM programmes p JOIN organisations o ON o.id = p.organisation_id
		WHERE o.slug = 'ridgeway' AND p.kind = 'course' AND p.active AND 10 = ANY(p.year_groups) ORDER BY p.id LIMIT 2`)
	must(t, err)
	for rows.Next() {
		var id int64
		must(t, rows.Scan(&id))
		courses = append(courses, id)
	}
	rows.Close()
	if len(courses) != 2 {
		t.Fatalf("need two Ridgeway courses for Year 10, have %d", len(courses))
	}
	first, second := f.confirmed(courses[0]), f.confirmed(courses[1])
	// The same student on other days: two placements never take the same session.
	if _, err := f.pool.Exec(f.ctx, `UPDATE application_responses SET days = '{1,3}' WHERE referral_id = $1`, second.ID); err != nil {
		t.Fatal(err)
	}
	must(t, f.store.SetUpPlacement(f.ctx, f.as(admin), first, true))
	err = f.store.SetUpPlacement(f.ctx, f.as(admin), second, true)
	var refusal *pathway.Refusal
	if !errors.As(err, &refusal) || !strings.Contains(strings.Join(refusal.Checks, " "), "used all its quality-assured") {
		t.Fatalf("a second QA placement over an allowance of one: %v", err)
	}
	must(t, f.store.SetUpPlacement(f.ctx, f.as(admin), second, false))
	if n := f.count(`SELECT count(*) FROM placements WHERE qa_placement`); n != 1 {
		t.Fatalf("%d QA placements", n)
	}
}
