package placement_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/coventry-cap/capportal/internal/placement"
	"github.com/coventry-cap/capportal/internal/placement/placementtest"
)

// The registers expected today are worked out once a day and kept (migration 0028) until something
// that decides them changes: a placement started or ended, a change of day, a bank holiday. Each
// change shows on the next dashboard at once, the days in force today are those before a change of
// day that starts later, and every count agrees with the learners the register itself lists.
func TestTheRegistersExpectedFollowTheDaysInForceAndEveryChange(t *testing.T) {
	monday := d(2026, time.November, 23)
	f := newFixture(t, london(2026, time.November, 23, 9, 0))
	ridgeway, lumen := f.providerID("ridgeway"), f.providerID("lumen")
	kai := placementtest.Create(t, f.pool, placementtest.Spec{Student: "Kai", Provider: "ridgeway", Start: d(2026, time.October, 5), Days: []int32{1}})
	amelia := placementtest.Create(t, f.pool, placementtest.Spec{Student: "Amelia", Provider: "ridgeway", Start: d(2026, time.November, 2), Days: []int32{1}, Sessions: []string{"am"}})
	placementtest.Create(t, f.pool, placementtest.Spec{Student: "Tyler", Provider: "lumen", Start: d(2026, time.November, 2), Days: []int32{2}})

	// registers is what the dashboard expects at Ridgeway and Lumen, as "provider session count",
	// each count checked against the register's own list of learners: the registers missing for the
	// monitoring officer, a provider's own for its staff.
	registers := func(who string) []string {
		t.Helper()
		// The officer watches every session's registers not taken; others their own providers' registers.
		want := placement.WatchFor{Registers: true}
		if who == monitoring {
			want = placement.WatchFor{MissingRegisters: placement.Sessions}
		}
		w, err := f.store.Watch(f.ctx, f.as(who), want)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, r := range append(w.Missing, w.Registers...) {
			reg, err := f.store.Register(f.ctx, f.as(monitoring), r.ProviderID, r.Date, r.Session)
			if err != nil {
				t.Fatal(err)
			}
			if len(reg.Lines) != r.Expected {
				t.Errorf("the dashboard expects %d at %s on %s %s; the register lists %d", r.Expected, r.ProviderName, r.Date, r.Session, len(reg.Lines))
			}
			name := map[int64]string{ridgeway: "ridgeway", lumen: "lumen"}[r.ProviderID]
			if name == "" {
				continue // a demo placement elsewhere
			}
			taken := ""
			if r.Taken() {
				taken = " taken"
			}
			out = append(out, fmt.Sprintf("%s %s %d%s", name, r.Session, r.Expected, taken))
		}
		return out
	}
	expect := func(what, who string, want ...string) {
		t.Helper()
		if got := registers(who); !slices.Equal(got, want) {
			t.Errorf("%s: %q, want %q", what, got, want)
		}
	}
	version := func() int64 {
		var v int64
		if err := f.pool.QueryRow(f.ctx, `SELECT version FROM expected_registers_version`).Scan(&v); err != nil {
			t.Fatal(err)
		}
		return v
	}
	exec := func(sql string, args ...any) {
		t.Helper()
		if _, err := f.pool.Exec(f.ctx, sql, args...); err != nil {
			t.Fatal(err)
		}
	}

	expect("Monday", monitoring, "ridgeway am 2", "ridgeway pm 1")
	v := version()
	expect("Monday again", monitoring, "ridgeway am 2", "ridgeway pm 1")
	if version() != v {
		t.Error("reading the dashboard moved the version on")
	}
	var days int
	if err := f.pool.QueryRow(f.ctx, `SELECT count(*) FROM expected_register_days WHERE on_date = $1`, monday).Scan(&days); err != nil || days != 1 {
		t.Errorf("Monday worked out %d times, want once (%v)", days, err)
	}

	// Kai moves to Tuesdays from next Monday, as CAP's ApplyChange writes it: today he is still
	// expected on his Monday, and on Tuesday week he is expected on his Tuesday.
	exec(`INSERT INTO placement_day_changes (placement_id, effective_from, days, sessions, previous_days, previous_sessions, applied_at, applied_by)
		VALUES ($1, '2026-11-30', '{2}', '{am,pm}', '{1}', '{am,pm}', now(), (SELECT id FROM users WHERE email = $2))`, kai, monitoring)
	exec(`UPDATE placements SET days = '{2}' WHERE id = $1`, kai)
	if version() == v {
		t.Error("a change of day did not move the version on")
	}
	expect("Monday, Kai's change of day starting next week", monitoring, "ridgeway am 2", "ridgeway pm 1")
	f.clock.Set(london(2026, time.November, 24, 9, 0))
	expect("Tuesday, before the change", monitoring, "lumen am 1", "lumen pm 1")
	f.clock.Set(london(2026, time.December, 1, 9, 0))
	expect("Tuesday after the change", monitoring, "lumen am 1", "lumen pm 1", "ridgeway am 1", "ridgeway pm 1")
	f.clock.Set(london(2026, time.November, 23, 9, 0))

	// A new learner counts at once, an ended placement no more.
	placementtest.Create(t, f.pool, placementtest.Spec{Student: "Freya", Provider: "ridgeway", Start: d(2026, time.November, 16), Days: []int32{1}, Sessions: []string{"pm"}})
	expect("Freya placed", monitoring, "ridgeway am 2", "ridgeway pm 2")
	exec(`UPDATE placements SET status = 'ended', ended_on = '2026-11-20' WHERE id = $1`, amelia)
	expect("Amelia's placement ended last Friday", monitoring, "ridgeway am 1", "ridgeway pm 2")

	// Taking a register shows as taken without working the day out again.
	v = version()
	f.take(ridgewayStaff, ridgeway, monday, placement.Morning, nil)
	expect("the morning register taken", monitoring, "ridgeway pm 2")
	if version() != v {
		t.Error("taking a register moved the version on")
	}
	// Ridgeway's staff see their own registers; Lumen's theirs (none today); a school's coordinator none.
	expect("Ridgeway's staff", ridgewayStaff, "ridgeway am 1 taken", "ridgeway pm 2")
	expect("Lumen's staff", "staff@lumen.provider.example")
	expect("a coordinator", coordinator)

	// A bank holiday declared for today closes every register; taking it back opens them again.
	exec(`INSERT INTO bank_holidays (day, name) VALUES ($1, 'A day declared')`, monday)
	expect("a bank holiday", monitoring)
	exec(`DELETE FROM bank_holidays WHERE day = $1`, monday)
	expect("the bank holiday taken back", ridgewayStaff, "ridgeway am 1 taken", "ridgeway pm 2")

	// The alerts job reads the same registers: the afternoon's, not taken by its cut-off, is raised.
	al := f.withAlerts()
	f.raise(al, london(2026, time.November, 23, 14, 30))
	var subjects []string
	if err := f.pool.QueryRow(f.ctx, `SELECT coalesce(array_agg(subject ORDER BY subject), '{}') FROM monitoring_alerts
		WHERE kind = 'register_missing' AND subject LIKE $1 || '/%'`, fmt.Sprint(ridgeway)).Scan(&subjects); err != nil {
		t.Fatal(err)
	}
	if want := []string{fmt.Sprintf("%d/2026-11-23/pm", ridgeway)}; !slices.Equal(subjects, want) {
		t.Errorf("missing registers alerted at Ridgeway: %q, want %q", subjects, want)
	}
}
