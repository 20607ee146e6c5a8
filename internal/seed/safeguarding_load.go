package seed

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/coventry-cap/capportal/internal/auth"
	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/safeguarding"
)

// LoadDemoSafeguarding records a few fictional safeguarding records, through the safeguarding store,
// so the demo's DSLs and Service Lead have something to open: a concern Ridgeway's DSL raised about a
// learner placed there, with the school DSL's action and a MASH referral; a concern of the school's
// own that Ridgeway was not told of; a CE tool record with its FIB submission; and a LADO report. It
// needs LoadDemoReferrals' placements, adds nothing when records exist, and sends no alerts.
func LoadDemoSafeguarding(ctx context.Context, pool *pgxpool.Pool, clock calendar.Clock) (int, error) {
	var existing int
	if err := pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM safeguarding_entries) + (SELECT count(*) FROM lado_reports)`).Scan(&existing); err != nil {
		return 0, fmt.Errorf("count safeguarding records: %w", err)
	}
	if existing > 0 {
		return 0, nil
	}
	actor := func(email string) (safeguarding.Actor, error) {
		var id int64
		if err := pool.QueryRow(ctx, `SELECT id FROM users WHERE email = $1`, email).Scan(&id); err != nil {
			return safeguarding.Actor{}, fmt.Errorf("demo user %s: %w", email, err)
		}
		p, err := auth.On(pool).LoadPrincipal(ctx, id)
		return safeguarding.Actor{Principal: p, RequestID: "seed"}, err
	}
	studentID := func(serial string) (int64, error) {
		var id int64
		err := pool.QueryRow(ctx, `SELECT s.id FROM students s JOIN organisations o ON o.id = s.school_id
			WHERE o.slug = 'whitmore' AND substr(s.upn, 9, 5) = $1`, serial).Scan(&id)
		if err != nil {
			return 0, fmt.Errorf("demo student %s: %w", serial, err)
		}
		return id, nil
	}
	var placed int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM placements`).Scan(&placed); err != nil || placed == 0 {
		return 0, err // no placements: nothing the demo's provider DSL could see
	}
	provider, err := actor("dsl@ridgeway.provider.example")
	if err != nil {
		return 0, err
	}
	school, err := actor("dsl@whitmore.school.example")
	if err != nil {
		return 0, err
	}
	team, err := actor("safeguarding@cap.example")
	if err != nil {
		return 0, err
	}
	lead, err := actor("lead@cap.example")
	if err != nil {
		return 0, err
	}
	kai, err := studentID("15001")
	if err != nil {
		return 0, err
	}
	other, err := studentID("15002")
	if err != nil {
		return 0, err
	}
	exploited, err := studentID("15011")
	if err != nil {
		return 0, err
	}
	now := clock.Now()
	// Each record is written on its own clock, some hours ago; its dates are days before that.
	day := func(c calendar.Clock, n int) calendar.Date { return calendar.DateOf(c.Now()).AddDays(-n) }
	at := func(hoursAgo int) *calendar.Fixed {
		return calendar.NewFixed(now.Add(-time.Duration(hoursAgo) * time.Hour))
	}
	c50, c30, c29, c80, c20, c19, c100 := at(50), at(30), at(29), at(80), at(20), at(19), at(100)
	n := 0
	store := func(c calendar.Clock) safeguarding.Store { return safeguarding.Store{DB: pool, Clock: c} }

	concern, _, err := store(c50).Raise(ctx, provider, kai, safeguarding.Concern, safeguarding.Body{
		Summary:    "During the morning break the learner said an older friend collects them after sessions and has given them a new phone. They seemed anxious when the phone rang.",
		HappenedOn: day(c50, 0), HappenedAt: "10:45am", Where: "Ridgeway Motor Skills, workshop canteen",
		RaisedBy: "Craig Holloway, workshop tutor", Others: "None present",
		ChildWords:      "“He’s just a mate, he sorts me out. I have to answer when he rings.”",
		ImmediateAction: "Tutor listened, did not ask leading questions, and told the provider DSL straight away.",
		Decisions:       "DSL decided to tell the school DSL the same day because of the possible exploitation indicators.",
		WhoTold:         "Whitmore Park Academy DSL, by phone at 12:15pm",
	}, "demo-sg-1")
	if err != nil {
		return n, fmt.Errorf("demo concern: %w", err)
	}
	n++
	if _, err := store(c30).Add(ctx, school, concern, safeguarding.Update, 0, safeguarding.Body{
		Text:      "Spoke with the parent, who shares the worry about the new phone. Agreed a check-in with the learner each placement day.",
		Decisions: "A MASH referral, because an unknown adult is giving gifts and controlling contact.",
	}, "demo-sg-2"); err != nil {
		return n, fmt.Errorf("demo update: %w", err)
	}
	if _, err := store(c29).Add(ctx, school, concern, safeguarding.MASH, 0, safeguarding.Body{
		MadeBy: "Marcus Bennett, Whitmore Park Academy DSL", MadeOn: day(c29, 0), Reference: "MASH-DEMO-0001",
	}, "demo-sg-3"); err != nil {
		return n, fmt.Errorf("demo MASH referral: %w", err)
	}
	if _, _, err := store(c80).Raise(ctx, school, other, safeguarding.Concern, safeguarding.Body{
		Summary:    "The student arrived without a coat for the third day running and said there was no food at home at the weekend.",
		HappenedOn: day(c80, 1), Where: "Whitmore Park Academy, form room", RaisedBy: "Form tutor",
		ImmediateAction: "Breakfast provided; DSL informed.", Outcome: "Early help conversation with the family booked.",
	}, "demo-sg-4"); err != nil {
		return n, fmt.Errorf("demo school concern: %w", err)
	}
	n++
	_, _, err = store(c20).Raise(ctx, team, exploited, safeguarding.CETool, safeguarding.Body{
		Indicators: []safeguarding.Indicator{
			{Code: "missing-education", Evidence: "Left the placement at lunchtime twice this month without explanation."},
			{Code: "phones", Evidence: "Seen with two phones."},
		},
		Text: "Completed with the provider after the monitoring visit.",
	}, "demo-sg-5")
	if err != nil {
		return n, fmt.Errorf("demo CE tool record: %w", err)
	}
	n++
	if _, _, err := store(c19).Raise(ctx, team, exploited, safeguarding.FIB, safeguarding.Body{
		MadeBy: "Alison Kirkbride, CAP safeguarding team", MadeOn: day(c19, 0),
	}, "demo-sg-6"); err != nil {
		return n, fmt.Errorf("demo FIB submission: %w", err)
	}
	n++
	if _, _, err := store(c100).ReportLADO(ctx, lead, safeguarding.LADOBody{
		Allegation: "A learner reported that a volunteer driver shouted at them and grabbed their arm when they were late to the minibus.",
		PersonRole: "Volunteer minibus driver", PersonOrg: "A demo training provider", ReportedBy: "The provider’s DSL",
		ReceivedOn: day(c100, 1), InitialInfo: "The learner’s account, the provider’s timeline of the journey, and the driver’s rota.",
	}, "demo-sg-7"); err != nil {
		return n, fmt.Errorf("demo LADO report: %w", err)
	}
	n++
	return n, nil
}
