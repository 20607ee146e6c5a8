package panel_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/panel"
)

var approvedAt = time.Date(2026, time.November, 23, 9, 30, 0, 0, calendar.London())

// cases inserts n referrals to Refocus that have been through their panels, for cohort places.
func cases(t *testing.T, pool *pgxpool.Pool, n int) []int64 {
	t.Helper()
	ctx := context.Background()
	ids := make([]int64, n)
	for i := range n {
		err := pool.QueryRow(ctx, `INSERT INTO referrals (reference, academic_year, school_id, student_id, programme_id, provider_id,
			pathway, step, step_since, start_token, created_at, created_by, updated_at)
			SELECT $1, '2026/27', s.school_id, s.id, p.id, p.organisation_id, 'refocus', 'onboarding', $2, $1, $2,
			       (SELECT id FROM users WHERE email = 'coordinator@whitmore.school.example'), $2
			FROM students s, programmes p
			WHERE p.kind = 'refocus' AND s.school_id = (SELECT id FROM organisations WHERE slug = 'whitmore')
			ORDER BY s.id, p.id OFFSET $3 LIMIT 1 RETURNING id`,
			fmt.Sprintf("CAP-2627-%05d", 100+i), approvedAt, i%10).Scan(&ids[i])
		if err != nil {
			t.Fatal(err)
		}
	}
	return ids
}

// cohorts are 2026/27's Refocus cohorts, in date order.
func cohorts(t *testing.T, pool *pgxpool.Pool) []int64 {
	t.Helper()
	rows, err := pool.Query(context.Background(), `SELECT id FROM panel_starts
		WHERE academic_year = '2026/27' AND programme_kind = 'refocus' AND NOT draft ORDER BY starts_on`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	if len(ids) < 2 {
		t.Fatalf("the demo has %d Refocus cohorts in 2026/27", len(ids))
	}
	return ids
}

func TestFiftyApprovalsAtOnceFillACohortOfTwentyFiveAndTheRestWait(t *testing.T) {
	for round := range 3 {
		t.Run(fmt.Sprint(round), func(t *testing.T) {
			pool := demo(t)
			ctx := context.Background()
			cohort := cohorts(t, pool)[0]
			if o, err := panel.On(pool).OccupancyOf(ctx, cohort); err != nil || o.Capacity != 25 {
				t.Fatalf("cohort capacity = %+v, %v", o, err)
			}
			ids := cases(t, pool, 50)
			var wg sync.WaitGroup
			errs := make([]error, len(ids))
			for i, id := range ids {
				wg.Add(1)
				go func() {
					defer wg.Done()
					_, errs[i] = panel.On(pool).Allocate(ctx, cohort, id, 0, approvedAt.Add(time.Duration(i)*time.Second))
				}()
			}
			wg.Wait()
			for _, err := range errs {
				if err != nil {
					t.Fatal(err)
				}
			}
			o, err := panel.On(pool).OccupancyOf(ctx, cohort)
			if err != nil || o.Placed != 25 || o.Waiting != 25 {
				t.Fatalf("after 50 approvals: %+v, %v", o, err)
			}
			// Approving the same case again gives it the place it has, not a second one.
			again, err := panel.On(pool).Allocate(ctx, cohort, ids[0], 0, approvedAt)
			if err != nil {
				t.Fatal(err)
			}
			if o2, _ := panel.On(pool).OccupancyOf(ctx, cohort); o2 != o {
				t.Fatalf("a second approval changed the cohort: %+v (place %s)", o2, again.Status)
			}
		})
	}
}

func TestTheWaitingListIsOfferedTheNextCohortInPriorityOrder(t *testing.T) {
	pool := demo(t)
	ctx := context.Background()
	all := cohorts(t, pool)
	first, next := all[0], all[1]
	ids := cases(t, pool, 28)
	for i, id := range ids {
		priority := 0
		if i == 27 {
			priority = 1 // the last to be approved is an SLA school's Tier 2 case… or any higher-priority case
		}
		if _, err := panel.On(pool).Allocate(ctx, first, id, priority, approvedAt.Add(time.Duration(i)*time.Minute)); err != nil {
			t.Fatal(err)
		}
	}
	waiting, err := panel.On(pool).WaitingList(ctx, first)
	if err != nil || len(waiting) != 3 {
		t.Fatalf("waiting list: %d, %v", len(waiting), err)
	}
	if waiting[0].ReferralID != ids[27] || waiting[1].ReferralID != ids[25] || waiting[2].ReferralID != ids[26] {
		t.Fatalf("waiting order = %d, %d, %d", waiting[0].ReferralID, waiting[1].ReferralID, waiting[2].ReferralID)
	}
	offer, err := panel.On(pool).OfferNext(ctx, approvedAt.Add(time.Hour), panel.Actor{Email: "admin@cap.example", RequestID: "req-offer"}, first, next)
	if err != nil || offer.Placed != 3 || offer.Waiting != 0 {
		t.Fatalf("offered the next cohort: %+v, %v", offer, err)
	}
	var audited int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM audit_log WHERE action = $1 AND subject_id = $2 AND request_id = 'req-offer'`,
		panel.ActionCohort, fmt.Sprint(first)).Scan(&audited); err != nil || audited != 1 {
		t.Fatalf("the offer's audit entries = %d, %v; want 1", audited, err)
	}
	for _, id := range ids[25:] {
		p, err := panel.On(pool).PlaceOf(ctx, id)
		if err != nil || p.StartID != next || p.Status != panel.Placed {
			t.Fatalf("case %d after the offer: %+v, %v", id, p, err)
		}
	}
	if o, _ := panel.On(pool).OccupancyOf(ctx, first); o.Placed != 25 || o.Waiting != 0 {
		t.Fatalf("the first cohort after the offer: %+v", o)
	}
	if _, err := panel.On(pool).Allocate(ctx, next, ids[0], 0, approvedAt); err != nil {
		t.Fatal(err)
	}
	if p, _ := panel.On(pool).PlaceOf(ctx, ids[0]); p.StartID != first {
		t.Fatal("a case with a place was moved by a second approval")
	}
	var flourish int64
	if err := pool.QueryRow(ctx, `SELECT id FROM panel_starts WHERE programme_kind = 'flourish' LIMIT 1`).Scan(&flourish); err != nil {
		t.Fatal(err)
	}
	if _, err := panel.On(pool).Allocate(ctx, flourish, ids[1], 0, approvedAt); !errors.Is(err, panel.ErrNoCapacity) {
		t.Fatalf("a place in a start date without capacity: %v", err)
	}
}
