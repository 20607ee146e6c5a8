package placement_test

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/db"
	"github.com/coventry-cap/capportal/internal/input"
	"github.com/coventry-cap/capportal/internal/pathway"
	"github.com/coventry-cap/capportal/internal/placement"
	"github.com/coventry-cap/capportal/internal/placement/placementtest"
)

func (f *fixture) studentID(first string) int64 {
	f.t.Helper()
	var id int64
	if err := f.pool.QueryRow(f.ctx, `SELECT id FROM students WHERE legal_first_name = $1 ORDER BY id LIMIT 1`, first).Scan(&id); err != nil {
		f.t.Fatal(err)
	}
	return id
}

// When a placement ends, CAP records how (ending one still running after its last day), and the
// provider or CAP the qualifications achieved; another provider can do neither.
func TestAPlacementsOutcomeAndQualifications(t *testing.T) {
	f := newFixture(t, time.Date(2026, time.December, 18, 15, 0, 0, 0, calendar.London()))
	holly := placementtest.Create(t, f.pool, placementtest.Spec{Student: "Holly", Provider: "ridgeway", Start: d(2026, time.November, 2), Days: []int32{1}})
	var ps input.Problems
	if err := f.store.RecordOutcome(f.ctx, f.as(admin), holly, placement.OutcomeInput{Outcome: "graduated"}); !errors.As(err, &ps) || !slices.Equal(problemFields(ps), []string{"outcome", "last"}) {
		t.Fatalf("no outcome and no last day: %v", err)
	}
	var refusal *pathway.Refusal
	if err := f.store.RecordOutcome(f.ctx, f.as(ridgewayStaff), holly, placement.OutcomeInput{Outcome: placement.Completed, LastDay: d(2026, time.December, 14)}); !errors.As(err, &refusal) {
		t.Fatalf("the provider ending the placement: %v", err)
	}
	if err := f.store.RecordOutcome(f.ctx, f.as(admin), holly, placement.OutcomeInput{Outcome: placement.Completed, LastDay: d(2026, time.December, 14), Notes: "Finished the course"}); err != nil {
		t.Fatal(err)
	}
	if err := f.store.AddQualification(f.ctx, f.as(ridgewayStaff), holly, placement.QualificationInput{Name: " "}); !errors.As(err, &ps) || ps[0].Field != "name" {
		t.Fatalf("a qualification without a name: %v", err)
	}
	if err := f.store.AddQualification(f.ctx, f.as(ridgewayStaff), holly, placement.QualificationInput{Name: "Award in Motor Vehicle Maintenance", Level: "Level 1", AwardingBody: "IMI"}); err != nil {
		t.Fatal(err)
	}
	if err := f.store.AddQualification(f.ctx, f.as(academyStaff), holly, placement.QualificationInput{Name: "Certificate"}); !errors.Is(err, db.ErrNotFound) {
		t.Errorf("another provider adding a qualification: %v", err)
	}
	e, err := f.store.EndingOf(f.ctx, f.as(coordinator), holly)
	if err != nil || e.Outcome != placement.Completed || e.Notes != "Finished the course" || len(e.Qualifications) != 1 ||
		e.Qualifications[0].Level != "Level 1" || e.Qualifications[0].AwardingBody != "IMI" || e.Qualifications[0].Recorded.By != "Craig Holloway" {
		t.Fatalf("the ending: %+v, %v", e, err)
	}
	p, _ := f.store.Get(f.ctx, f.as(admin), holly)
	if p.Status != "ended" || p.EndedOn != d(2026, time.December, 14) {
		t.Errorf("after the outcome: %s, ended %s", p.Status, p.EndedOn)
	}
	// Changing the outcome later keeps the last day.
	if err := f.store.RecordOutcome(f.ctx, f.as(admin), holly, placement.OutcomeInput{Outcome: placement.Transferred}); err != nil {
		t.Fatal(err)
	}
	if e, _ = f.store.EndingOf(f.ctx, f.as(admin), holly); e.Outcome != placement.Transferred {
		t.Errorf("outcome %q after changing it", e.Outcome)
	}
}

// Year 11 students with a placement this year and no confirmed post-16 destination by the date CAP
// sets are listed as at risk of NEET: for CAP every school's, for a school its own, for a provider
// none. A confirmed destination takes them off the list; "not known" does not, and a confirmed NEET
// stays on it.
func TestTheNEETRiskList(t *testing.T) {
	f := newFixture(t, time.Date(2026, time.November, 23, 9, 30, 0, 0, calendar.London()))
	for i, name := range []string{"Tyler", "Holly", "Mohammed", "Harvey", "Kai"} { // Year 11 but Kai (Year 10)
		placementtest.Create(t, f.pool, placementtest.Spec{Student: name, Provider: "ridgeway", Start: d(2026, time.November, 2), Days: []int32{int32(i%5 + 1)}})
	}
	// Chloe is in Year 11 without a placement: not a CAP student.
	const year = "2026/27"
	record := func(who, student string, in placement.DestinationInput) error {
		return f.store.RecordDestination(f.ctx, f.as(who), f.studentID(student), in)
	}
	var ps input.Problems
	if err := record(coordinator, "Tyler", placement.DestinationInput{Destination: placement.FurtherEducation}); !errors.As(err, &ps) || ps[0].Field != "confirmed" {
		t.Fatalf("a destination without the date confirmed: %v", err)
	}
	if err := record(coordinator, "Tyler", placement.DestinationInput{Destination: placement.FurtherEducation, ConfirmedOn: d(2026, time.November, 24)}); !errors.As(err, &ps) || ps[0].Field != "confirmed" {
		t.Fatalf("confirmed tomorrow: %v", err)
	}
	if err := record(coordinator, "Kai", placement.DestinationInput{Destination: placement.Apprenticeship, ConfirmedOn: d(2026, time.November, 20)}); !errors.Is(err, placement.ErrNotYear11) {
		t.Fatalf("a Year 10 student's destination: %v", err)
	}
	var refusal *pathway.Refusal
	if err := record(ridgewayStaff, "Tyler", placement.DestinationInput{Destination: placement.Apprenticeship, ConfirmedOn: d(2026, time.November, 20)}); !errors.As(err, &refusal) {
		t.Fatalf("the provider recording a destination: %v", err)
	}
	for student, in := range map[string]placement.DestinationInput{
		"Tyler":  {Destination: placement.FurtherEducation, ConfirmedOn: d(2026, time.November, 20), Detail: "City College, motor vehicle"},
		"Holly":  {Destination: placement.NotKnown, ConfirmedOn: d(2026, time.November, 20)}, // the date is dropped: nothing is confirmed
		"Harvey": {Destination: placement.NEET, ConfirmedOn: d(2026, time.November, 19)},
	} {
		who := coordinator
		if student == "Harvey" {
			who = admin
		}
		if err := record(who, student, in); err != nil {
			t.Fatalf("%s: %v", student, err)
		}
	}
	if dd, err := f.store.DestinationOf(f.ctx, f.as(coordinator), f.studentID("Holly"), year); err != nil || dd.Confirmed() || !dd.ConfirmedOn.IsZero() {
		t.Errorf("Holly's destination: %+v, %v", dd, err)
	}

	names := func(l placement.NEETList) []string {
		var out []string
		for _, r := range l.Rows {
			out = append(out, strings.Fields(r.StudentName)[0]+":"+string(r.Destination.Destination))
		}
		return out
	}
	for who, want := range map[string][]string{
		admin:                                    {"Harvey:neet", "Holly:not_known", "Mohammed:"}, // Canley Brook first, then Whitmore
		coordinator:                              {"Holly:not_known", "Mohammed:"},
		ridgewayStaff:                            nil,
		"coordinator@canleybrook.school.example": {"Harvey:neet"},
	} {
		l, err := f.store.NEETRisk(f.ctx, f.as(who), year, 50)
		if err != nil {
			t.Fatal(err)
		}
		if got := names(l); !slices.Equal(got, want) {
			t.Errorf("%s's list: %q, want %q", who, got, want)
		}
		if l.AtRisk {
			t.Errorf("%s: at risk before CAP set a date", who)
		}
	}
	// The date CAP sets: until it comes, the students are waiting for a destination; from it, at risk.
	if err := f.store.SetNEETCheckDate(f.ctx, f.as(coordinator), year, d(2027, time.May, 28)); !errors.As(err, &refusal) {
		t.Fatalf("a school setting the date: %v", err)
	}
	if err := f.store.SetNEETCheckDate(f.ctx, f.as(admin), year, d(2027, time.September, 28)); !errors.As(err, &ps) {
		t.Fatalf("a date in the next year: %v", err)
	}
	if err := f.store.SetNEETCheckDate(f.ctx, f.as(admin), year, d(2027, time.May, 28)); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		now    time.Time
		atRisk bool
	}{
		{time.Date(2027, time.May, 27, 17, 0, 0, 0, calendar.London()), false},
		{time.Date(2027, time.May, 28, 8, 0, 0, 0, calendar.London()), true},
	} {
		now, atRisk := c.now, c.atRisk
		f.clock.Set(now)
		l, err := f.store.NEETRisk(f.ctx, f.as(coordinator), year, 50)
		if err != nil || l.AtRisk != atRisk || l.CheckOn != d(2027, time.May, 28) || len(l.Rows) != 2 {
			t.Errorf("on %s: at risk %v (%d students), want %v, %v", now.Format("2 Jan"), l.AtRisk, len(l.Rows), atRisk, err)
		}
	}
	// Mohammed's apprenticeship confirmed: off the list.
	if err := record(coordinator, "Mohammed", placement.DestinationInput{Destination: placement.Apprenticeship, ConfirmedOn: d(2027, time.May, 28)}); err != nil {
		t.Fatal(err)
	}
	if l, _ := f.store.NEETRisk(f.ctx, f.as(coordinator), year, 50); !slices.Equal(names(l), []string{"Holly:not_known"}) {
		t.Errorf("after Mohammed's destination: %q", names(l))
	}
}
