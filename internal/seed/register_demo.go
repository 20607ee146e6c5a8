package seed

import (
	"context"
	"fmt"
	"hash/fnv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/placement"
	"github.com/coventry-cap/capportal/internal/referral"
)

// loadDemoRegisters takes the demo providers' registers from their placements' first day to the
// last school day before today, through the placement store as their staff would, each at its time
// of day: mostly present, some late, a few absent for illness, an appointment or a family event. At
// Ridgeway the last morning register before today has one unexplained absence (the kind the school
// is alerted to), an unexplained absence a week earlier was corrected to illness when the family
// rang, and one afternoon register was never taken. Today's registers are left for people to take.
func loadDemoRegisters(ctx context.Context, pool *pgxpool.Pool, real calendar.Clock, actor func(string) (referral.Actor, error)) error {
	today := calendar.DateOf(real.Now())
	rows, err := pool.Query(ctx, `SELECT o.id, o.slug, min(p.start_date) FROM placements p JOIN organisations o ON o.id = p.provider_id
		WHERE p.status = 'active' AND p.start_date < $1 GROUP BY o.id, o.slug ORDER BY o.slug`, today)
	if err != nil {
		return fmt.Errorf("demo registers: %w", err)
	}
	type provider struct {
		ID    int64
		Slug  string
		First calendar.Date
	}
	providers, err := pgx.CollectRows(rows, pgx.RowToStructByPos[provider])
	if err != nil || len(providers) == 0 {
		return err
	}
	sd, err := calendar.On(pool).SchoolDays(ctx)
	if err != nil {
		return err
	}
	clock := calendar.NewFixed(real.Now())
	store := placement.Store{DB: pool, Clock: clock}
	for _, pv := range providers {
		ra, err := actor("staff@" + pv.Slug + ".provider.example")
		if err != nil {
			return err
		}
		staff := placement.Actor{Principal: ra.Principal, RequestID: "seed"}
		// Ridgeway's story: its last morning register before today has the unexplained absence, one a
		// week before it was corrected, and a Friday afternoon in between was never taken.
		var latest, fix, skip calendar.Date
		if pv.Slug == "ridgeway" {
			for d := today.AddDays(-1); d.After(today.AddDays(-28)) && !d.Before(pv.First); d = d.AddDays(-1) {
				if !sd.IsSchoolDay(d) {
					continue
				}
				day, err := store.Day(ctx, staff, pv.ID, d)
				if err != nil {
					return err
				}
				if day[0].Learners == 0 {
					continue
				}
				switch {
				case latest.IsZero():
					latest = d
				case fix.IsZero() && d.DaysUntil(latest) >= 5:
					fix = d
				}
				if skip.IsZero() && day[1].Learners > 0 && d.Before(latest) && d.DaysUntil(latest) >= 2 {
					skip = d
				}
			}
		}
		for d := pv.First; d.Before(today); d = d.AddDays(1) {
			if !sd.IsSchoolDay(d) {
				continue
			}
			for _, session := range placement.Sessions {
				if d == skip && session == placement.Afternoon {
					continue
				}
				at := 9*time.Hour + 12*time.Minute
				if session == placement.Afternoon {
					at = 13*time.Hour + 25*time.Minute
				}
				clock.Set(d.In(calendar.London()).Add(at))
				reg, err := store.Register(ctx, staff, pv.ID, d, session)
				if err != nil {
					return fmt.Errorf("demo register %s %s: %w", d, session, err)
				}
				if len(reg.Lines) == 0 {
					continue
				}
				unexplained := (d == latest || d == fix) && session == placement.Morning
				var marks []placement.MarkInput
				for i, l := range reg.Lines {
					m := demoMark(l.Placement.ID, d, session)
					if unexplained && i == 0 {
						m = placement.MarkInput{Status: placement.Absent, Reason: placement.Unauthorised}
					}
					m.PlacementID = l.Placement.ID
					marks = append(marks, m)
				}
				taken, err := store.TakeRegister(ctx, staff, pv.ID, d, session, marks)
				if err != nil {
					return fmt.Errorf("demo register %s %s at %s: %w", d, session, pv.Slug, err)
				}
				if d != fix || session != placement.Morning {
					continue
				}
				// The family rang later that morning: the absence was illness.
				for _, m := range taken.New {
					if m.Reason == placement.Unauthorised {
						clock.Set(d.In(calendar.London()).Add(11*time.Hour + 5*time.Minute))
						if _, err := store.Correct(ctx, staff, m.ID, placement.MarkInput{Status: placement.Absent, Reason: placement.Illness},
							"A parent rang at 10:50: a stomach bug, back tomorrow"); err != nil {
							return fmt.Errorf("demo correction: %w", err)
						}
						break
					}
				}
			}
		}
	}
	return nil
}

// demoMark is a plausible mark for a learner in a session, the same every time for the same one.
func demoMark(placementID int64, day calendar.Date, s placement.Session) placement.MarkInput {
	h := fnv.New32a()
	fmt.Fprintf(h, "%d/%s/%s", placementID, day, s)
	switch n := h.Sum32() % 100; {
	case n < 8:
		return placement.MarkInput{Status: placement.Late, LateMinutes: 5 + int(n)*5}
	case n < 12:
		return placement.MarkInput{Status: placement.Absent, Reason: placement.Illness}
	case n < 14:
		return placement.MarkInput{Status: placement.Absent, Reason: placement.Medical}
	case n < 15:
		return placement.MarkInput{Status: placement.Absent, Reason: placement.OtherReason, Note: "A family event, agreed with the school"}
	}
	return placement.MarkInput{Status: placement.Present}
}
