package scale_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/coventry-cap/capportal/internal/referral"
	"github.com/coventry-cap/capportal/internal/scale"
	"github.com/coventry-cap/capportal/internal/seed"
	"github.com/coventry-cap/capportal/internal/testapp"
)

// A small dataset of the benchmark's shape, on the demo, renders on the portal's own pages for the
// people who use them: the data is what the portal would have written.
func TestGeneratedDataRendersOnThePortalsPages(t *testing.T) {
	a := testapp.New(t)
	ctx := context.Background()
	if _, err := seed.LoadDemoReferrals(ctx, a.Pool, a.Clock); err != nil {
		t.Fatal(err)
	}
	res, err := scale.Generate(ctx, a.Pool, scale.Options{Factor: 1, Students: 600, Clock: a.Clock})
	if err != nil {
		t.Fatal(err)
	}
	if res.Students != 600 || res.Referrals != 600 || res.Placements < 250 || res.Marks == 0 || res.Registers == 0 || res.Notifications == 0 {
		t.Fatalf("generated %+v", res)
	}
	if _, err := scale.Generate(ctx, a.Pool, scale.Options{Factor: 1, Students: 10, Clock: a.Clock}); !errors.Is(err, scale.ErrAlreadyGenerated) {
		t.Errorf("a second generation: %v, want ErrAlreadyGenerated", err)
	}
	one := func(sql string) string {
		var v string
		if err := a.Pool.QueryRow(ctx, sql).Scan(&v); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
		return v
	}
	// Every placement's half-term attendance tally matches its marks (the marks' bulk load bypasses the
	// trigger that keeps the tallies, so the generator works them out after it).
	if n := one(`SELECT count(*)::text FROM (
			SELECT m.placement_id, h.half_from, count(*) FILTER (WHERE m.status IN ('present', 'late')) AS attended,
				count(*) FILTER (WHERE m.status <> 'no_session') AS recorded
			FROM attendance_marks m CROSS JOIN LATERAL (SELECT attendance_half_term_from(m.on_date) AS half_from) h
			WHERE h.half_from IS NOT NULL GROUP BY 1, 2 HAVING count(*) FILTER (WHERE m.status <> 'no_session') > 0) x
		FULL JOIN (SELECT * FROM attendance_tallies WHERE recorded > 0) t USING (placement_id, half_from)
		WHERE x.attended IS DISTINCT FROM t.attended OR x.recorded IS DISTINCT FROM t.recorded`); n != "0" {
		t.Errorf("%s placements' attendance tallies do not match their marks", n)
	}
	if one(`SELECT count(*)::text FROM attendance_tallies`) == "0" {
		t.Error("no attendance tallies")
	}
	// A referral at each step the generator makes, and placements running and ended.
	rows, err := a.Pool.Query(ctx, `SELECT DISTINCT ON (step) '/referrals/' || coalesce(reference, 'draft-' || id) FROM referrals
		WHERE start_token LIKE 'scale-%' AND step <> 'draft' ORDER BY step, id`)
	if err != nil {
		t.Fatal(err)
	}
	var refs []string
	for rows.Next() {
		var p string
		if err := rows.Scan(&p); err != nil {
			t.Fatal(err)
		}
		refs = append(refs, p)
	}
	if len(refs) < 7 {
		t.Errorf("referrals at %d steps, want every step the generator makes", len(refs))
	}
	active := one(`SELECT '/placements/' || p.id FROM placements p JOIN referrals r ON r.id = p.referral_id WHERE r.start_token LIKE 'scale-%' AND p.status = 'active' ORDER BY p.id LIMIT 1`)
	ended := one(`SELECT '/placements/' || p.id FROM placements p JOIN referrals r ON r.id = p.referral_id WHERE r.start_token LIKE 'scale-%' AND p.status = 'ended' ORDER BY p.id LIMIT 1`)
	admin := a.Client(t)
	admin.SignIn("admin@cap.example")
	for _, p := range append(refs, "/", "/referrals", "/referrals?sort=waiting", "/notifications", active, ended, active+"/monitoring", ended+"/monitoring") {
		if r := admin.Get(p); r.StatusCode != http.StatusOK {
			t.Errorf("CAP admin: GET %s: %d", p, r.StatusCode)
		}
	}
	coord := a.Client(t)
	coord.SignIn("coordinator@whitmore.school.example")
	student := one(`SELECT '/students/' || s.id FROM students s JOIN referrals r ON r.student_id = s.id JOIN organisations o ON o.id = s.school_id
		WHERE o.slug = 'whitmore' AND r.start_token LIKE 'scale-%' ORDER BY s.id DESC LIMIT 1`)
	for _, p := range []string{"/", "/referrals", student} {
		if r := coord.Get(p); r.StatusCode != http.StatusOK {
			t.Errorf("coordinator: GET %s: %d", p, r.StatusCode)
		}
	}
	// A generated provider's member of staff signs in with the demo password and sees the day's registers.
	staff := a.Client(t)
	staff.SignIn("staff@scale-provider-1.provider.example")
	day := one(`SELECT max(m.on_date)::text FROM attendance_marks m JOIN placements p ON p.id = m.placement_id
		JOIN organisations o ON o.id = p.provider_id WHERE o.slug = 'scale-provider-1'`)
	prov := one(`SELECT id::text FROM organisations WHERE slug = 'scale-provider-1'`)
	for _, p := range []string{"/", fmt.Sprintf("/registers/%s/%s/am", prov, day)} {
		if r := staff.Get(p); r.StatusCode != http.StatusOK {
			t.Errorf("provider staff: GET %s: %d", p, r.StatusCode)
		}
	}
	panel := a.Client(t)
	panel.SignIn("panel@cap.example")
	round := one(`SELECT round_id::text FROM panel_cases GROUP BY round_id ORDER BY count(*) DESC LIMIT 1`)
	if r := panel.Get("/panels/rounds/" + round + "/review"); r.StatusCode != http.StatusOK {
		t.Errorf("panel member: the agenda: %d", r.StatusCode)
	}
}

// CAP's work queue counts a step's referrals only up to referral.QueueCountCap, so the dashboard's
// cost does not grow with the queue: beyond it the tile says "999+".
func TestTheWorkQueueStopsCountingAtItsCap(t *testing.T) {
	a := testapp.New(t)
	ctx := context.Background()
	if _, err := seed.LoadDemoReferrals(ctx, a.Pool, a.Clock); err != nil {
		t.Fatal(err)
	}
	// Copies of a submitted demo referral, each with its own reference, all waiting for CAP.
	_, err := a.Pool.Exec(ctx, `INSERT INTO referrals (reference, academic_year, school_id, student_id, programme_id, provider_id, pathway, step,
			step_since, answers, programme_snapshot, version, start_token, created_at, created_by, updated_at, submitted_at, submitted_by)
		SELECT 'CAP-2627-' || lpad((50000 + n)::text, 5, '0'), r.academic_year, r.school_id, r.student_id, r.programme_id, r.provider_id,
			r.pathway, 'submitted', r.step_since, r.answers, r.programme_snapshot, 1, 'cap-test-' || n, r.created_at, r.created_by,
			r.updated_at, r.submitted_at, r.submitted_by
		FROM referrals r, generate_series(1, $1::int) AS n WHERE r.id = (SELECT min(id) FROM referrals WHERE step = 'submitted' AND pathway = 'tier1')`,
		referral.QueueCountCap+5)
	if err != nil {
		t.Fatal(err)
	}
	c := a.Client(t)
	c.SignIn("admin@cap.example")
	r := c.Get("/")
	if r.StatusCode != http.StatusOK {
		t.Fatalf("dashboard: %d", r.StatusCode)
	}
	if !strings.Contains(r.Body, fmt.Sprintf(">%d+<", referral.QueueCountCap)) {
		t.Errorf("the dashboard does not say %d+ for more referrals than the queue counts", referral.QueueCountCap)
	}
}
