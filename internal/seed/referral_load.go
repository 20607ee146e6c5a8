package seed

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/coventry-cap/capportal/internal/auth"
	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/directory"
	"github.com/coventry-cap/capportal/internal/document"
	"github.com/coventry-cap/capportal/internal/referral"
)

// demoReferral is one of the demo's referrals: a Whitmore student, a provider's course, and how far
// along the Tier 1 pathway it has gone.
type demoReferral struct {
	Serial   string // the student's UPN serial in DemoStudents
	Provider string // provider key
	Stage    string // draft, submitted, pack_sent, response_received, declined, placement_active
	// WeeksAgo walks the referral that many weeks before today (on the school day nearest before),
	// so its placement has weeks of registers behind it.
	WeeksAgo int
}

var demoReferrals = []demoReferral{
	{Serial: "15001", Provider: "ridgeway", Stage: "placement_active"},
	{Serial: "15002", Provider: "lumen", Stage: "pack_sent"},
	{Serial: "15004", Provider: "mwimpact", Stage: "response_received"},
	{Serial: "14003", Provider: "worknlearn", Stage: "declined"},
	{Serial: "16005", Provider: "outdoor", Stage: "submitted"},
	{Serial: "14006", Provider: "petxi", Stage: "draft"},
	{Serial: "15011", Provider: "ridgeway", Stage: "placement_active", WeeksAgo: 6},
	{Serial: "14012", Provider: "ridgeway", Stage: "placement_active", WeeksAgo: 5},
	{Serial: "14009", Provider: "ridgeway", Stage: "placement_active", WeeksAgo: 4},
}

// demoRiskAssessment is a tiny real PDF standing in for a school's risk assessment.
var demoRiskAssessment = []byte("%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")

// LoadDemoReferrals walks a handful of Whitmore's students along the Tier 1 pathway through the
// referral store — the same moves people make in the portal — so a new portal shows CAP's work queue,
// a provider's pack and a placement. It adds nothing when referrals already exist. It is not part of
// LoadDemo, so tests start without referrals. Notifications are not sent for the demo's history.
func LoadDemoReferrals(ctx context.Context, pool *pgxpool.Pool, clock calendar.Clock) (int, error) {
	var existing int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM referrals`).Scan(&existing); err != nil {
		return 0, fmt.Errorf("count referrals: %w", err)
	}
	if existing > 0 {
		return 0, nil
	}
	actor := func(email string) (referral.Actor, error) {
		var id int64
		if err := pool.QueryRow(ctx, `SELECT id FROM users WHERE email = $1`, email).Scan(&id); err != nil {
			return referral.Actor{}, fmt.Errorf("demo user %s: %w", email, err)
		}
		p, err := auth.On(pool).LoadPrincipal(ctx, id)
		return referral.Actor{Principal: p, RequestID: "seed"}, err
	}
	coordinator, err := actor("coordinator@whitmore.school.example")
	if err != nil {
		return 0, err
	}
	admin, err := actor("admin@cap.example")
	if err != nil {
		return 0, err
	}
	realToday := calendar.DateOf(clock.Now())
	sd, err := calendar.On(pool).SchoolDays(ctx)
	if err != nil {
		return 0, err
	}
	n := 0
	for i, d := range demoReferrals {
		// Each referral is walked on its own clock: today, or some weeks before.
		today := realToday
		if d.WeeksAgo > 0 {
			today = today.AddDays(-7 * d.WeeksAgo)
			for range 30 {
				if sd.IsSchoolDay(today) {
					break
				}
				today = today.AddDays(-1)
			}
		}
		walk := calendar.NewFixed(today.In(calendar.London()).Add(10 * time.Hour))
		if today == realToday {
			walk.Set(clock.Now())
		}
		store := referral.Store{DB: pool, Clock: walk}
		var studentID, schoolID, programmeID int64
		var year int
		err := pool.QueryRow(ctx, `SELECT s.id, s.school_id, s.year_group FROM students s JOIN organisations o ON o.id = s.school_id
			WHERE o.slug = 'whitmore' AND substr(s.upn, 9, 5) = $1`, d.Serial).Scan(&studentID, &schoolID, &year)
		if err != nil {
			return n, fmt.Errorf("demo student %s: %w", d.Serial, err)
		}
		err = pool.QueryRow(ctx, `SELECT p.id FROM programmes p JOIN organisations o ON o.id = p.organisation_id
			WHERE o.slug = $1 AND p.kind IN ('course', 'year11_post16') AND p.active AND $2 = ANY(p.year_groups)
			ORDER BY p.kind, p.id LIMIT 1`, d.Provider, year).Scan(&programmeID)
		if err != nil {
			return n, fmt.Errorf("demo programme at %s: %w", d.Provider, err)
		}
		r, _, err := store.Start(ctx, coordinator, referral.StartInput{SchoolID: schoolID, StudentID: studentID,
			ProgrammeID: programmeID, Token: fmt.Sprintf("demo-%d", i)})
		if err != nil {
			return n, fmt.Errorf("start demo referral: %w", err)
		}
		n++
		if err := demoApplication(ctx, store, coordinator, r, today); err != nil {
			return n, err
		}
		if d.Stage == "draft" {
			continue
		}
		if r, err = store.Get(ctx, coordinator, r.Key()); err != nil {
			return n, err
		}
		if r, err = store.Submit(ctx, coordinator, r); err != nil {
			return n, fmt.Errorf("submit demo referral: %w", err)
		}
		if d.Stage == "submitted" {
			continue
		}
		provider, err := actor("staff@" + d.Provider + ".provider.example")
		if err != nil {
			return n, err
		}
		steps := []func(referral.Referral) error{
			func(r referral.Referral) error { return store.SendPack(ctx, admin, r) },
			func(r referral.Referral) error {
				return store.RecordInterview(ctx, coordinator, r, today.AddDays(-1), "10:30")
			},
			func(r referral.Referral) error {
				yes, no := true, false
				days, start, err := demoStart(ctx, pool, r.ProgrammeID, today)
				if err != nil {
					return err
				}
				in := referral.ResponseInput{ReceiptAcknowledged: true, CanMeetNeeds: &yes, CanManageRisk: &yes, Decision: "accept",
					StartDate: start, Days: days}
				if d.Stage == "declined" {
					in = referral.ResponseInput{ReceiptAcknowledged: true, CanMeetNeeds: &no, CanManageRisk: &yes, Decision: "decline",
						DeclineReason: "need", DeclineDetail: "Our placements are outdoors on a working site; the student’s EHCP asks for a quiet indoor base we cannot offer."}
				}
				return store.Respond(ctx, provider, r, in)
			},
			func(r referral.Referral) error { _, err := store.ProcessResponse(ctx, admin, r); return err },
			func(r referral.Referral) error { return store.SetUpPlacement(ctx, admin, r, true) },
		}
		upTo := map[string]int{"pack_sent": 1, "response_received": 3, "declined": 4, "placement_active": 5}[d.Stage]
		for _, step := range steps[:upTo] {
			if r, err = store.Get(ctx, admin, r.Reference); err != nil {
				return n, err
			}
			if err := step(r); err != nil {
				return n, fmt.Errorf("demo referral %s: %w", r.Reference, err)
			}
		}
	}
	panels, err := loadDemoPanels(ctx, pool, clock, actor)
	if err != nil {
		return n + panels, err
	}
	return n + panels, loadDemoRegisters(ctx, pool, clock, actor)
}

// demoApplication fills every section and attaches a risk assessment completed last week.
func demoApplication(ctx context.Context, store referral.Store, a referral.Actor, r referral.Referral, today calendar.Date) error {
	answers := referral.Answers{}
	for _, s := range r.Sections() {
		for _, f := range s.Fields {
			switch f.Type {
			case referral.FromRecord:
				continue
			case referral.YesNo:
				answers[f.Name] = "no"
			case referral.Confirm:
				answers[f.Name] = "yes"
			case referral.DateOf:
				answers[f.Name] = today.AddDays(-3).String()
			case referral.Percent:
				answers[f.Name] = "82"
			default:
				answers[f.Name] = demoAnswer(f.Name)
			}
		}
	}
	if len(r.Record.Parental) > 0 {
		answers["consent_name"] = r.Record.Parental[0]
	}
	yes := true
	if err := store.SaveAnswers(ctx, a, r, answers, &yes); err != nil {
		return fmt.Errorf("demo answers: %w", err)
	}
	checked, err := document.Validate("risk-assessment.pdf", demoRiskAssessment)
	if err != nil {
		return err
	}
	_, err = store.AddDocument(ctx, a, r, document.Upload{Kind: document.RiskAssessment, Checked: checked, Data: demoRiskAssessment,
		CompletedOn: today.AddDays(-7), Template: document.CAPTemplate})
	if err != nil && !errors.Is(err, referral.ErrMoved) {
		return fmt.Errorf("demo risk assessment: %w", err)
	}
	return nil
}

func demoAnswer(field string) string {
	switch field {
	case "reasons":
		return "Attendance has fallen this term and the student has disengaged from most lessons, but lights up in practical work."
	case "tried":
		return "A reduced timetable with mentoring twice a week since September; attendance rose for a month and then fell back."
	case "aims":
		return "Re-engage with learning through a practical course, and gain an entry-level qualification."
	case "needs":
		return "Finds sitting still in classrooms difficult; reading age below chronological age; responds well to hands-on tasks."
	}
	return "Discussed with the student and family; see the school’s notes. (Demo answer.)"
}

// demoStart picks an acceptance a provider would give: up to two of the days the programme runs,
// starting on the next working day in term that is one of them.
func demoStart(ctx context.Context, pool *pgxpool.Pool, programmeID int64, today calendar.Date) ([]time.Weekday, calendar.Date, error) {
	p, err := directory.On(pool).GetProgramme(ctx, programmeID)
	if err != nil {
		return nil, calendar.Date{}, err
	}
	days := p.Days
	if len(days) > 2 {
		days = days[:2]
	}
	if len(days) == 0 {
		days = []time.Weekday{time.Tuesday}
	}
	working := calendar.EnglandWalesWorkingDays()
	d := today.AddDays(1)
	for range 120 {
		if working.IsWorkingDay(d) && slices.Contains(days, d.Weekday()) {
			problems, err := referral.On(pool).CheckAcceptance(ctx, today, d, days, p.Name, p.Days)
			if err != nil {
				return nil, calendar.Date{}, err
			}
			if len(problems) == 0 {
				return days, d, nil
			}
		}
		d = d.AddDays(1)
	}
	return nil, calendar.Date{}, fmt.Errorf("no start date in term on %s within 120 days of %s", directory.DaysText(days), today.Format())
}
