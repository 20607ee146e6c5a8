package seed

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/directory"
	"github.com/coventry-cap/capportal/internal/panel"
	"github.com/coventry-cap/capportal/internal/referral"
)

// The demo's panel cases happen in the autumn term of 2026/27 on the published calendar, so they are
// loaded only when the portal’s today is in 2026/27 after the first round’s panels: a Refocus
// student in Cohort 1 (its Back to School Phase starts on 23 November 2026), a Supported Transfer case
// waiting for the Headteacher Placement Meeting with its review letter overdue, a Flourish case on
// the next round's agenda and a Refocus application waiting for CAP's check.
var (
	demoPanelFrom = calendar.NewDate(2026, time.October, 1)
	demoPanelTo   = calendar.NewDate(2027, time.July, 23)
)

type demoPanelStep struct {
	on  calendar.Date
	act func(r referral.Referral) error
}

// loadDemoPanels walks four Whitmore students along the panel pathways; each step happens on its day
// with the clock set to it, so the history reads as it would have happened.
func loadDemoPanels(ctx context.Context, pool *pgxpool.Pool, real calendar.Clock, actor func(string) (referral.Actor, error)) (int, error) {
	today := calendar.DateOf(real.Now())
	if today.Before(demoPanelFrom) || today.After(demoPanelTo) {
		return 0, nil
	}
	clock := calendar.NewFixed(real.Now())
	store := referral.Store{DB: pool, Clock: clock}
	people := map[string]referral.Actor{}
	for _, e := range []string{"coordinator@whitmore.school.example", "admin@cap.example", "panel@cap.example", "lead@cap.example",
		"staff@capa.provider.example"} {
		a, err := actor(e)
		if err != nil {
			return 0, err
		}
		people[e] = a
	}
	coordinator, admin, chair, lead, academy := people["coordinator@whitmore.school.example"], people["admin@cap.example"],
		people["panel@cap.example"], people["lead@cap.example"], people["staff@capa.provider.example"]
	adminID := admin.Principal.UserID
	pa := panel.Actor{UserID: &adminID, Email: admin.Principal.Email, RequestID: "seed"}
	meeting := func(r referral.Referral, p string, day calendar.Date, chairID int64, attendees ...int64) error {
		_, err := panel.On(pool).SaveMeeting(ctx, clock.Now(), pa, r.PanelRoundID, p, panel.MeetingInput{HeldOn: day, ChairID: chairID,
			Attendees: attendees, Others: "Early Help officer (Coventry City Council)"})
		return err
	}
	var headteacherID int64
	if err := pool.QueryRow(ctx, `SELECT id FROM users WHERE email = 'headteacher@whitmore.school.example'`).Scan(&headteacherID); err != nil {
		return 0, fmt.Errorf("demo headteacher: %w", err)
	}
	decide := func(who referral.Actor, d panel.Decision) func(r referral.Referral) error {
		return func(r referral.Referral) error { _, err := store.Decide(ctx, who, r, d); return err }
	}
	approve := panel.Decision{Decision: panel.Approved, Minutes: "The panel read the application and the school’s evidence.",
		Rationale:  "The school has tried a reduced timetable and mentoring; the panel agrees a time-limited placement is the right next step.",
		Conditions: "The school names a member of staff to be trained for the student’s return."}
	d := calendar.NewDate
	cases := []struct {
		serial, provider string
		kind             directory.Kind
		submitted        calendar.Date
		steps            []demoPanelStep
	}{
		{"15008", "capa", directory.Refocus, d(2026, time.September, 10), []demoPanelStep{
			{d(2026, time.September, 14), func(r referral.Referral) error { return store.AddToAgenda(ctx, admin, r) }},
			{d(2026, time.September, 17), func(r referral.Referral) error {
				if err := meeting(r, panel.ReviewPanel, d(2026, time.September, 18), chair.Principal.UserID,
					chair.Principal.UserID, lead.Principal.UserID, headteacherID); err != nil {
					return err
				}
				return meeting(r, panel.MultiAgencyPanel, d(2026, time.September, 23), lead.Principal.UserID,
					lead.Principal.UserID, chair.Principal.UserID)
			}},
			{d(2026, time.September, 18), decide(chair, approve)},
			{d(2026, time.September, 23), decide(lead, approve)},
			{d(2026, time.September, 23), func(r referral.Referral) error { return shareLetters(ctx, store, admin, r) }},
			{d(2026, time.September, 28), func(r referral.Referral) error { return store.Onboard(ctx, academy, r) }},
			{d(2026, time.September, 30), func(r referral.Referral) error { return store.PlaceInCohort(ctx, academy, r) }},
		}},
		{"16010", "", directory.SupportedTransfer, d(2026, time.November, 5), []demoPanelStep{
			{d(2026, time.November, 9), func(r referral.Referral) error { return store.AddToAgenda(ctx, admin, r) }},
			{d(2026, time.November, 10), func(r referral.Referral) error {
				if err := meeting(r, panel.ReviewPanel, d(2026, time.November, 13), chair.Principal.UserID,
					chair.Principal.UserID, lead.Principal.UserID); err != nil {
					return err
				}
				return meeting(r, panel.HeadteacherPanel, d(2026, time.November, 24), lead.Principal.UserID,
					lead.Principal.UserID, chair.Principal.UserID, headteacherID)
			}},
			{d(2026, time.November, 13), decide(chair, approve)},
		}},
		{"16014", "calmwaters", directory.Flourish, d(2026, time.November, 16), []demoPanelStep{
			{d(2026, time.November, 18), func(r referral.Referral) error { return store.AddToAgenda(ctx, admin, r) }},
			{d(2026, time.November, 18), func(r referral.Referral) error {
				return meeting(r, panel.ReviewPanel, d(2026, time.December, 3), chair.Principal.UserID,
					chair.Principal.UserID, lead.Principal.UserID, headteacherID)
			}},
		}},
		{"17007", "capa", directory.Refocus, d(2026, time.November, 20), nil},
	}
	n := 0
	for i, c := range cases {
		if !c.submitted.Before(today) {
			continue
		}
		clock.Set(c.submitted.In(calendar.London()).Add(10 * time.Hour))
		var studentID, schoolID, programmeID int64
		if err := pool.QueryRow(ctx, `SELECT s.id, s.school_id FROM students s JOIN organisations o ON o.id = s.school_id
			WHERE o.slug = 'whitmore' AND substr(s.upn, 9, 5) = $1`, c.serial).Scan(&studentID, &schoolID); err != nil {
			return n, fmt.Errorf("demo student %s: %w", c.serial, err)
		}
		if err := pool.QueryRow(ctx, `SELECT p.id FROM programmes p LEFT JOIN organisations o ON o.id = p.organisation_id
			WHERE p.kind = $1 AND p.active AND coalesce(o.slug, '') = $2 ORDER BY p.id LIMIT 1`, c.kind, c.provider).Scan(&programmeID); err != nil {
			return n, fmt.Errorf("demo %s programme: %w", c.kind, err)
		}
		r, _, err := store.Start(ctx, coordinator, referral.StartInput{SchoolID: schoolID, StudentID: studentID,
			ProgrammeID: programmeID, Token: fmt.Sprintf("demo-panel-%d", i)})
		if err != nil {
			return n, fmt.Errorf("start demo panel referral: %w", err)
		}
		n++
		if err := demoApplication(ctx, store, coordinator, r, c.submitted); err != nil {
			return n, err
		}
		if r, err = store.Get(ctx, coordinator, r.Key()); err != nil {
			return n, err
		}
		if r, err = store.Submit(ctx, coordinator, r); err != nil {
			return n, fmt.Errorf("submit demo panel referral: %w", err)
		}
		for _, step := range c.steps {
			if step.on.After(today) {
				break
			}
			clock.Set(step.on.In(calendar.London()).Add(11 * time.Hour))
			if r, err = store.Get(ctx, admin, r.Reference); err != nil {
				return n, err
			}
			if err := step.act(r); err != nil {
				return n, fmt.Errorf("demo panel referral %s on %s: %w", r.Reference, step.on.Format(), err)
			}
		}
	}
	return n, nil
}

// shareLetters shares every decided case's outcome letter of the referral.
func shareLetters(ctx context.Context, store referral.Store, admin referral.Actor, r referral.Referral) error {
	cases, err := panel.On(store.DB).CasesOf(ctx, r.ID)
	if err != nil {
		return err
	}
	for _, c := range cases {
		if c.Decided() && c.LetterSharedAt == nil {
			if err := store.ShareLetter(ctx, admin, r, c.ID); err != nil {
				return err
			}
		}
	}
	return nil
}
