package placement_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/db"
	"github.com/coventry-cap/capportal/internal/placement"
	"github.com/coventry-cap/capportal/internal/placement/placementtest"
)

func TestAPercentHasOneDecimalPlaceAtMost(t *testing.T) {
	for _, c := range []struct {
		t    placement.Tally
		want string
	}{
		{placement.Tally{Present: 2, Absent: 1}, "66.7%"},
		{placement.Tally{Present: 1, Late: 1, NoSession: 3}, "100%"},
		{placement.Tally{Present: 7, Absent: 1}, "87.5%"},
		{placement.Tally{Absent: 2}, "0%"},
		{placement.Tally{NoSession: 2, Unmarked: 1}, ""},
	} {
		if got := c.t.Percent(); got != c.want {
			t.Errorf("%+v: %q, want %q", c.t, got, c.want)
		}
	}
}

// weekly writes the weeks as "19 Oct: P1 L1 A1 N1 U0".
func weekly(a placement.Attendance) string {
	var out []string
	for _, w := range a.Weeks {
		out = append(out, fmt.Sprintf("%s: %s", w.Monday.Time().Format("2 Jan"), tallyText(w.Tally)))
	}
	return strings.Join(out, "; ")
}

func tallyText(t placement.Tally) string {
	return fmt.Sprintf("P%d L%d A%d N%d U%d %s", t.Present, t.Late, t.Absent, t.NoSession, t.Unmarked, t.Percent())
}

// A known dataset, counted by hand. Kai is at Ridgeway on Mondays and Tuesdays, morning and afternoon,
// from Monday 19 October 2026; Tyler there on Monday mornings from 2 November; Kai also at Lumen on
// Wednesday mornings from 4 November. Today is Wednesday 18 November.
//
//	week of 19 Oct  Kai: Mon present, late; Tue absent (illness), no session             P1 L1 A1 N1
//	26 Oct          half term: no week
//	week of 2 Nov   Kai: Mon present, present; Tue not taken (2 unmarked). Tyler present  Kai P2 U2
//	                Kai at Lumen: Wed present
//	week of 9 Nov   Kai: Mon absent, absent (unauthorised; the morning corrected to late); Tue present, present
//	                Tyler: absent (other). Kai at Lumen: absent (medical)
//	week of 16 Nov  Kai: Mon present, the afternoon not taken (1 unmarked); Tue present, present
//	                Tyler: no session. Kai at Lumen: Wed (today) present
//
// Kai at Ridgeway: P8 L2 A2 N1 U3, 10 of 12 = 83.3%. Kai across both: P10 L2 A3 N1 U3, 12 of 15 = 80%.
// Ridgeway: Kai and Tyler, P9 L2 A3 N2 U3, 11 of 14 = 78.6%.
func TestAttendanceRatesAndWeeksAgainstAKnownDataset(t *testing.T) {
	f := newFixture(t, time.Date(2026, time.November, 18, 10, 0, 0, 0, calendar.London()))
	kai := placementtest.Create(t, f.pool, placementtest.Spec{Student: "Kai", Provider: "ridgeway", Start: d(2026, time.October, 19), Days: []int32{1, 2}})
	tyler := placementtest.Create(t, f.pool, placementtest.Spec{Student: "Tyler", Provider: "ridgeway", Start: d(2026, time.November, 2), Days: []int32{1}, Sessions: []string{"am"}})
	kaiLumen := placementtest.Create(t, f.pool, placementtest.Spec{Student: "Kai", Provider: "lumen", Start: d(2026, time.November, 4), Days: []int32{3}, Sessions: []string{"am"}})
	ridgeway, lumen := f.providerID("ridgeway"), f.providerID("lumen")
	staff, lumenStaff := f.as(ridgewayStaff), f.as("staff@lumen.provider.example")

	present := placement.MarkInput{Status: placement.Present}
	late := func(n int) placement.MarkInput { return placement.MarkInput{Status: placement.Late, LateMinutes: n} }
	absent := func(r placement.Reason, note string) placement.MarkInput {
		return placement.MarkInput{Status: placement.Absent, Reason: r, Note: note}
	}
	none := placement.MarkInput{Status: placement.NoSession, Note: "Staff training"}
	take := func(a placement.Actor, provider int64, day calendar.Date, s placement.Session, marks map[int64]placement.MarkInput) []placement.Mark {
		t.Helper()
		var in []placement.MarkInput
		for id, m := range marks {
			m.PlacementID = id
			in = append(in, m)
		}
		taken, err := f.store.TakeRegister(f.ctx, a, provider, day, s, in)
		if err != nil {
			t.Fatalf("register of %s %s: %v", day, s, err)
		}
		return taken.New
	}
	am, pm := placement.Morning, placement.Afternoon
	take(staff, ridgeway, d(2026, time.October, 19), am, map[int64]placement.MarkInput{kai: present})
	take(staff, ridgeway, d(2026, time.October, 19), pm, map[int64]placement.MarkInput{kai: late(10)})
	take(staff, ridgeway, d(2026, time.October, 20), am, map[int64]placement.MarkInput{kai: absent(placement.Illness, "")})
	take(staff, ridgeway, d(2026, time.October, 20), pm, map[int64]placement.MarkInput{kai: none})
	take(staff, ridgeway, d(2026, time.November, 2), am, map[int64]placement.MarkInput{kai: present, tyler: present})
	take(staff, ridgeway, d(2026, time.November, 2), pm, map[int64]placement.MarkInput{kai: present})
	take(lumenStaff, lumen, d(2026, time.November, 4), am, map[int64]placement.MarkInput{kaiLumen: present})
	nine := take(staff, ridgeway, d(2026, time.November, 9), am, map[int64]placement.MarkInput{kai: absent(placement.Unauthorised, ""),
		tyler: absent(placement.OtherReason, "Family funeral")})
	take(staff, ridgeway, d(2026, time.November, 9), pm, map[int64]placement.MarkInput{kai: absent(placement.Unauthorised, "")})
	take(staff, ridgeway, d(2026, time.November, 10), am, map[int64]placement.MarkInput{kai: present})
	take(staff, ridgeway, d(2026, time.November, 10), pm, map[int64]placement.MarkInput{kai: present})
	take(lumenStaff, lumen, d(2026, time.November, 11), am, map[int64]placement.MarkInput{kaiLumen: absent(placement.Medical, "")})
	take(staff, ridgeway, d(2026, time.November, 16), am, map[int64]placement.MarkInput{kai: present, tyler: {Status: placement.NoSession, Note: "His group's trip was cancelled"}})
	take(staff, ridgeway, d(2026, time.November, 17), am, map[int64]placement.MarkInput{kai: present})
	take(staff, ridgeway, d(2026, time.November, 17), pm, map[int64]placement.MarkInput{kai: present})
	take(lumenStaff, lumen, d(2026, time.November, 18), am, map[int64]placement.MarkInput{kaiLumen: present})

	p, err := f.store.Get(f.ctx, staff, kai)
	if err != nil {
		t.Fatal(err)
	}
	check := func(what string, a placement.Attendance, total, weeks string) {
		t.Helper()
		if got := tallyText(a.Tally); got != total {
			t.Errorf("%s: %s, want %s", what, got, total)
		}
		if got := weekly(a); got != weeks {
			t.Errorf("%s by week:\n got %s\nwant %s", what, got, weeks)
		}
	}
	before, err := f.store.AttendanceOf(f.ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	check("Kai at Ridgeway before the correction", before, "P8 L1 A3 N1 U3 75%",
		"19 Oct: P1 L1 A1 N1 U0 66.7%; 2 Nov: P2 L0 A0 N0 U2 100%; 9 Nov: P2 L0 A2 N0 U0 50%; 16 Nov: P3 L0 A0 N0 U1 100%")

	// The morning of 9 November is corrected: Kai came in 40 minutes after the register was taken.
	var kaiNine int64
	for _, m := range nine {
		if m.PlacementID == kai {
			kaiNine = m.ID
		}
	}
	if _, err := f.store.Correct(f.ctx, staff, kaiNine, late(40), "He arrived at 9:40 after the register was taken"); err != nil {
		t.Fatal(err)
	}
	after, err := f.store.AttendanceOf(f.ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	check("Kai at Ridgeway", after, "P8 L2 A2 N1 U3 83.3%",
		"19 Oct: P1 L1 A1 N1 U0 66.7%; 2 Nov: P2 L0 A0 N0 U2 100%; 9 Nov: P2 L1 A1 N0 U0 75%; 16 Nov: P3 L0 A0 N0 U1 100%")

	var student int64
	if err := f.pool.QueryRow(f.ctx, `SELECT student_id FROM placements WHERE id = $1`, kai).Scan(&student); err != nil {
		t.Fatal(err)
	}
	school, err := f.store.OfStudentWithAttendance(f.ctx, f.as(coordinator), student)
	if err != nil {
		t.Fatal(err)
	}
	check("Kai across his placements", school.Attendance, "P10 L2 A3 N1 U3 80%",
		"19 Oct: P1 L1 A1 N1 U0 66.7%; 2 Nov: P3 L0 A0 N0 U2 100%; 9 Nov: P2 L1 A2 N0 U0 60%; 16 Nov: P4 L0 A0 N0 U1 100%")
	if len(school.Placements) != 2 {
		t.Fatalf("the school sees %d placements", len(school.Placements))
	}
	for _, pa := range school.Placements {
		want := map[int64]string{kai: "P8 L2 A2 N1 U3 83.3%", kaiLumen: "P2 L0 A1 N0 U0 66.7%"}[pa.Placement.ID]
		if got := tallyText(pa.Attendance.Tally); got != want {
			t.Errorf("placement %d: %s, want %s", pa.Placement.ID, got, want)
		}
	}
	// Ridgeway sees only its own placement of Kai's in his figures.
	own, err := f.store.OfStudentWithAttendance(f.ctx, staff, student)
	if err != nil {
		t.Fatal(err)
	}
	if got := tallyText(own.Attendance.Tally); len(own.Placements) != 1 || got != "P8 L2 A2 N1 U3 83.3%" {
		t.Errorf("Ridgeway sees Kai's attendance as %s over %d placements", got, len(own.Placements))
	}

	from := d(2026, time.September, 1)
	prov, err := f.store.ProviderAttendance(f.ctx, f.as(monitoring), ridgeway, from)
	if err != nil {
		t.Fatal(err)
	}
	check("Ridgeway", prov, "P9 L2 A3 N2 U3 78.6%",
		"19 Oct: P1 L1 A1 N1 U0 66.7%; 2 Nov: P3 L0 A0 N0 U2 100%; 9 Nov: P2 L1 A2 N0 U0 60%; 16 Nov: P3 L0 A0 N1 U1 100%")
	if own, err := f.store.ProviderAttendance(f.ctx, staff, ridgeway, from); err != nil || tallyText(own.Tally) != tallyText(prov.Tally) {
		t.Errorf("Ridgeway's own figures: %+v, %v", own.Tally, err)
	}
	// From 9 November only: the earlier weeks are left out.
	recent, err := f.store.ProviderAttendance(f.ctx, f.as(monitoring), ridgeway, d(2026, time.November, 9))
	if err != nil || tallyText(recent.Tally) != "P5 L1 A2 N1 U1 75%" {
		t.Errorf("Ridgeway since 9 November: %s, %v", tallyText(recent.Tally), err)
	}
	for _, who := range []string{"staff@lumen.provider.example", coordinator, "panel@cap.example"} {
		if _, err := f.store.ProviderAttendance(f.ctx, f.as(who), ridgeway, from); !errors.Is(err, db.ErrNotFound) {
			t.Errorf("%s reading Ridgeway's figures: %v", who, err)
		}
	}
}
